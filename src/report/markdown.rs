//! `--format markdown`: the dossier as Markdown (GitHub-flavoured tables), for wikis and
//! tickets. Every string that comes from an SBOM or the data goes through [`escape`], so a
//! component name cannot open a table cell, a code span, a link or an HTML tag.

use super::{by_weight, pct, Product, ReportError, Writer, MAX_COMPONENT_ROWS};
use crate::report::policy::Evaluation;
use crate::score::Report;
use std::fmt::Write;

/// Markdown-safe text: newlines become spaces; Markdown's punctuation (pipes, backticks,
/// emphasis, brackets, angle brackets, ampersands, backslashes) is backslash-escaped.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    let mut prev_cr = false;
    for c in s.chars() {
        match c {
            '\r' => o.push(' '),
            '\n' if prev_cr => {}
            '\n' => o.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#' | '!' => {
                o.push('\\');
                o.push(c);
            }
            c if c.is_control() => o.push(' '),
            c => o.push(c),
        }
        prev_cr = c == '\r';
    }
    o
}

fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| "—".to_string(), escape)
}

/// The dossier of one product.
pub fn render(r: &Report<'_>, policy: Option<&Evaluation>) -> String {
    let mut o = String::new();
    let title = r.document.name.as_deref().unwrap_or(&r.file);
    let _ = writeln!(o, "# Supply-disruption risk dossier: {}\n", escape(title));
    let _ = writeln!(o, "| | |\n|---|---|");
    for (k, v) in [
        ("SBOM file", escape(&r.file)),
        (
            "Format",
            format!(
                "{} {}",
                escape(r.document.format.as_deref().unwrap_or("unknown")),
                escape(&r.document.spec_version)
            ),
        ),
        (
            "Components",
            format!("{} ({} edges)", r.document.components, r.document.edges),
        ),
        ("Buyer jurisdiction", escape(&r.buyer)),
        ("As of", escape(&r.as_of)),
        ("Tool", format!("{} {}", r.tool.name, r.tool.version)),
        ("Data version", escape(&r.data_version)),
        (
            "Scoring profile",
            format!(
                "{} ({})",
                escape(&r.profile.name),
                escape(&r.profile.digest)
            ),
        ),
    ] {
        let _ = writeln!(o, "| {k} | {v} |");
    }
    let _ = writeln!(
        o,
        "\n## Rating: {} (risk index {:.1}/100)\n\nSet by: {}.\n",
        r.rating.as_str().to_uppercase(),
        r.risk_index,
        escape(&r.rating_reason)
    );
    if let Some(ev) = policy {
        section_policy(&mut o, ev);
    }
    let _ = writeln!(
        o,
        "## Scores\n\n| score | value | range over unknown origin (best to worst) | direction |\n|---|---:|---|---|"
    );
    let s = &r.scores;
    for (name, score) in [
        ("origin_diversity", &s.origin_diversity),
        ("single_vendor_reliance", &s.single_vendor_reliance),
        ("political_exposure", &s.political_exposure),
        ("continuity", &s.continuity),
        ("transparency", &s.transparency),
    ] {
        let range = score.bounds.map_or("—".to_string(), |b| {
            format!("{:.1} to {:.1}", b.best, b.worst)
        });
        let _ = writeln!(
            o,
            "| `{name}` | {:.1} | {range} | {} |",
            score.value,
            escape(score.direction)
        );
    }
    let _ = writeln!(
        o,
        "\n## Origin countries\n\nWeighted share of the product and exposure for a {} buyer; \
         the pair card's non-empty rows.\n\n| country | share | components | exposure | pair card |\n|---|---:|---:|---:|---|",
        escape(&r.buyer)
    );
    for c in &r.countries {
        let rows: Vec<String> = c
            .card
            .iter()
            .flat_map(|card| &card.rows)
            .filter(|row| row.value != "none")
            .map(|row| {
                format!(
                    "**{}** = {} (weight {}): {}",
                    escape(&row.indicator),
                    escape(&row.value),
                    row.weight,
                    escape(&row.detail)
                )
            })
            .collect();
        let card = if c.country.is_none() {
            "unknown origin (taken as the most exposed known foreign origin, at least exposure.unknown_country)".to_string()
        } else if rows.is_empty() {
            "no measure found".to_string()
        } else {
            rows.join("<br>")
        };
        let name = match (&c.country, &c.name) {
            (Some(cc), Some(n)) => format!("{} ({})", escape(cc), escape(n)),
            (Some(cc), None) => escape(cc),
            _ => "unknown".to_string(),
        };
        let _ = writeln!(
            o,
            "| {name} | {} | {} | {:.2} | {card} |",
            pct(c.share),
            c.components,
            c.exposure
        );
    }
    let _ = writeln!(
        o,
        "\n## Vendors\n\n| vendor | country (basis) | share | components | measures of the buyer's authorities |\n|---|---|---:|---:|---|"
    );
    for v in &r.vendors {
        let measures: Vec<String> = v.measures.iter().map(|m| escape(&m.detail)).collect();
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            escape(&v.name),
            match (v.country.as_deref(), v.country_basis) {
                (Some(c), Some(b)) => format!("{} ({b})", escape(c)),
                (c, _) => opt(c),
            },
            pct(v.share),
            v.components,
            if measures.is_empty() {
                "—".to_string()
            } else {
                measures.join("<br>")
            }
        );
    }
    let _ = writeln!(
        o,
        "\n## Supply-cut scenarios\n\nLost: supply taken away, code and all (proprietary software, firmware, hardware, undeclared licences). Degraded: published source whose upstream is cut; its code stays. Impact = lost + degraded weight x degraded (docs/scoring.md).\n\n| scenario | lost | degraded | impact | impact if unknown origin came from here | removed | degraded | affected | unknown origin |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for sc in &r.scenarios {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            escape(&sc.name),
            pct(sc.product_share_lost),
            pct(sc.product_share_degraded),
            pct(sc.impact),
            sc.impact_if_unknown_here.map_or("—".to_string(), pct),
            sc.removed_components.len(),
            sc.degraded_components.len(),
            sc.affected_components.len(),
            sc.unknown_components.len()
        );
    }
    let _ = writeln!(o, "\n## Findings ({})\n", r.findings.len());
    for f in &r.findings {
        let _ = writeln!(
            o,
            "### {} {}: {}\n\n- Severity: **{}**\n- Article {}, {}\n- Components: {} ({} of the product by weight){}",
            f.severity.as_str().to_uppercase(),
            f.id,
            escape(&f.title),
            f.severity.as_str(),
            f.factor.article,
            f.factor.clause,
            f.components_total,
            pct(f.share),
            if f.components.is_empty() {
                String::new()
            } else {
                let shown: Vec<String> = f.components.iter().take(10).map(|c| escape(c)).collect();
                format!(
                    ": {}{}",
                    shown.join(", "),
                    if f.components_total > shown.len() {
                        format!(" and {} more", f.components_total - shown.len())
                    } else {
                        String::new()
                    }
                )
            }
        );
        for e in &f.evidence {
            let _ = writeln!(o, "- Evidence: {}", escape(e));
        }
        let _ = writeln!(o, "- Mitigation: {}\n", escape(&f.mitigation));
    }
    let _ = writeln!(o, "## SBOM completeness\n\n| profile | score |\n|---|---:|");
    for c in &r.completeness {
        let _ = writeln!(o, "| {} | {} |", escape(c.title), pct(c.score));
    }
    let comps = by_weight(r);
    let _ = writeln!(
        o,
        "\n## Components (heaviest {} of {})\n\n| ref | name | version | vendor | country | channel | weight | exposure | contribution |\n|---|---|---|---|---|---|---:|---:|---:|",
        comps.len().min(MAX_COMPONENT_ROWS),
        comps.len()
    );
    for c in comps.iter().take(MAX_COMPONENT_ROWS) {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {:.2} | {:.2} | {} |",
            escape(c.bom_ref),
            escape(c.name),
            opt(c.version),
            opt(c.vendor),
            opt(c.country),
            opt(c.channel),
            c.weight,
            c.exposure,
            pct(c.contribution)
        );
    }
    if comps.len() > MAX_COMPONENT_ROWS {
        let _ = writeln!(
            o,
            "\n{} more component(s) not shown (`--format csv` lists all).",
            comps.len() - MAX_COMPONENT_ROWS
        );
    }
    o.push('\n');
    o
}

fn section_policy(o: &mut String, ev: &Evaluation) {
    let _ = writeln!(
        o,
        "## Policy {}: {}\n",
        escape(&ev.file),
        if ev.passed { "PASSED" } else { "FAILED" }
    );
    if ev.violations.is_empty() {
        let _ = writeln!(o, "No violation.\n");
        return;
    }
    let _ = writeln!(
        o,
        "| rule | limit | actual | violation | components |\n|---|---|---|---|---|"
    );
    for v in &ev.violations {
        let shown: Vec<String> = v.components.iter().take(10).map(|c| escape(c)).collect();
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {}{} |",
            v.rule,
            escape(&crate::report::policy::show(&v.limit)),
            escape(&crate::report::policy::show(&v.actual)),
            escape(&v.message),
            shown.join(", "),
            if v.components_total > shown.len() {
                format!(" and {} more", v.components_total - shown.len())
            } else {
                String::new()
            }
        );
    }
    o.push('\n');
}

/// `--format markdown`: the dossiers one after the other; an unreadable file is a short section.
#[derive(Debug, Default)]
pub struct MarkdownWriter {
    out: String,
}

impl Writer for MarkdownWriter {
    fn product(&mut self, p: &Product<'_, '_>) -> Result<(), ReportError> {
        if !self.out.is_empty() {
            self.out.push_str("---\n\n");
        }
        self.out.push_str(&render(p.report, p.policy));
        Ok(())
    }
    fn failure(&mut self, file: &str, error: &str) {
        if !self.out.is_empty() {
            self.out.push_str("---\n\n");
        }
        let _ = writeln!(
            self.out,
            "# {}: not analysed\n\n{}\n",
            escape(file),
            escape(error)
        );
    }
    fn finish(self: Box<Self>) -> Result<String, ReportError> {
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::{with_report, HOSTILE};

    #[test]
    fn escape_neutralises_markdown_and_html() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("`x`"), "\\`x\\`");
        assert_eq!(escape("line\nnext\r\nthird"), "line next third");
        assert_eq!(escape("[l](u)"), "\\[l\\](u)");
        assert_eq!(escape("plain 1.2.3-x"), "plain 1.2.3-x");
    }

    #[test]
    fn hostile_names_stay_text_and_tables_keep_their_columns() {
        let md = with_report(HOSTILE, |r| render(r, None));
        // Every angle bracket from the SBOM is escaped (ours: only `<br>` in table cells).
        let bare = md.replace("\\<", "").replace("<br>", "");
        assert!(!bare.contains('<'), "{md}");
        assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
        assert!(md.contains("Evil \\<img src=x onerror=alert(2)\\> Corp"));
        // Every row of the components table has its 9 cells: no SBOM pipe or newline splits one.
        let table: Vec<&str> = md
            .lines()
            .skip_while(|l| !l.starts_with("## Components"))
            .filter(|l| l.starts_with('|'))
            .collect();
        assert_eq!(table.len(), 2 + 3);
        for row in table {
            let cells = row.replace("\\|", "").matches('|').count();
            assert_eq!(cells, 10, "{row}");
        }
    }
}
