//! `--format markdown`: the dossier as Markdown (GitHub-flavoured tables), for wikis and
//! tickets. Every string that comes from an SBOM or the data goes through [`escape`], so a
//! component name cannot open a table cell, a code span, a link or an HTML tag.

use super::view::{Card, View, UNKNOWN_ORIGIN_CARD};
use super::{pct, Product, ReportError, Writer};
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
            c if super::is_bidi_control(c) => o.push('\u{fffd}'),
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
    render_view(&View::of(r), policy)
}

fn render_view(v: &View<'_>, policy: Option<&Evaluation>) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Supply-disruption risk dossier: {}\n", escape(v.title));
    let _ = writeln!(o, "| | |\n|---|---|");
    for (k, val) in [
        ("SBOM file", escape(v.file)),
        ("Format", escape(&v.format)),
        (
            "Components",
            format!("{} ({} edges)", v.components, v.edges),
        ),
        ("Buyer jurisdiction", escape(v.buyer)),
        ("As of", escape(v.as_of)),
        ("Tool", escape(&v.tool)),
        ("Data version", escape(v.data_version)),
        ("Scoring profile", escape(&v.profile)),
    ] {
        let _ = writeln!(o, "| {k} | {val} |");
    }
    let _ = writeln!(
        o,
        "\n## Rating: {} (risk index {}/100)\n\nSet by: {}.\n",
        v.rating_label,
        v.risk_index,
        escape(v.rating_reason)
    );
    if let Some(ev) = policy {
        section_policy(&mut o, ev);
    }
    let _ = writeln!(
        o,
        "## Scores\n\n| score | value | range over unknown origin | direction |\n|---|---:|---|---|"
    );
    for s in &v.scores {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} |",
            s.key,
            s.value_text,
            s.bounds_text.as_deref().unwrap_or("—"),
            escape(s.direction)
        );
    }
    let _ = writeln!(
        o,
        "\n## Origin countries\n\nWeighted share of the product and exposure for a {} buyer; \
         the pair card's non-empty rows.\n\n| country | share | components | exposure | pair card |\n|---|---:|---:|---:|---|",
        escape(v.buyer)
    );
    for c in &v.countries {
        let card = match &c.card {
            Card::UnknownOrigin => UNKNOWN_ORIGIN_CARD.to_string(),
            Card::NoMeasure => "no measure found".to_string(),
            Card::Rows(rows) => rows
                .iter()
                .map(|row| {
                    format!(
                        "**{}** = {} (weight {}): {}",
                        escape(row.indicator),
                        escape(row.value),
                        row.weight,
                        escape(row.detail)
                    )
                })
                .collect::<Vec<_>>()
                .join("<br>"),
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {card} |",
            escape(&c.label),
            c.share_text,
            c.components,
            c.exposure_text
        );
    }
    let _ = writeln!(
        o,
        "\n## Vendors\n\n| vendor | country (basis) | share | components | measures of the buyer's authorities |\n|---|---|---:|---:|---|"
    );
    for vendor in &v.vendors {
        let measures: Vec<String> = vendor.measures.iter().map(|m| escape(m)).collect();
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            escape(vendor.name),
            match vendor.country {
                Some(_) => escape(&vendor.country_label()),
                None => "—".to_string(),
            },
            vendor.share_text,
            vendor.components,
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
    for sc in &v.scenarios {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            escape(sc.name),
            sc.lost_text,
            sc.degraded_text,
            sc.impact_text,
            sc.if_unknown_text.as_deref().unwrap_or("—"),
            sc.removed,
            sc.degraded,
            sc.affected,
            sc.unknown
        );
    }
    let _ = writeln!(o, "\n## Findings ({})\n", v.findings.len());
    for f in &v.findings {
        let _ = writeln!(
            o,
            "### {} {}: {}\n\n- Severity: **{}**\n- Article {}, {}\n- Components: {} ({} of the product by weight){}",
            f.severity_label,
            f.id,
            escape(f.title),
            f.severity.as_str(),
            f.article,
            f.clause,
            f.components_total,
            f.share,
            if f.components.is_empty() {
                String::new()
            } else {
                let shown: Vec<String> = f.components.iter().map(|c| escape(c)).collect();
                format!(
                    ": {}{}",
                    shown.join(", "),
                    if f.components_more.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", f.components_more)
                    }
                )
            }
        );
        for e in &f.evidence {
            let _ = writeln!(o, "- Evidence: {}", escape(e.text));
        }
        let _ = writeln!(o, "- Mitigation: {}\n", escape(f.mitigation));
    }
    let _ = writeln!(o, "## SBOM completeness\n\n| profile | score |\n|---|---:|");
    for c in &v.completeness {
        let _ = writeln!(o, "| {} | {} |", escape(c.title), pct(c.score));
    }
    let _ = writeln!(
        o,
        "\n## Components (heaviest {} of {})\n\n| ref | name | version | vendor | country | channel | weight | exposure | contribution |\n|---|---|---|---|---|---|---:|---:|---:|",
        v.heaviest.len(),
        v.components_total
    );
    for c in &v.heaviest {
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
    if v.components_total > v.heaviest.len() {
        let _ = writeln!(
            o,
            "\n{} more component(s) not shown (`--format csv` lists all).",
            v.components_total - v.heaviest.len()
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
    /// Whether a section was written (the next one is set apart by a rule).
    started: bool,
}

impl MarkdownWriter {
    fn separate(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if std::mem::replace(&mut self.started, true) {
            out.write_all(b"---\n\n")?;
        }
        Ok(())
    }
}

impl Writer for MarkdownWriter {
    fn product(
        &mut self,
        out: &mut dyn std::io::Write,
        p: &Product<'_, '_>,
    ) -> Result<(), ReportError> {
        self.separate(out)?;
        out.write_all(render(p.report, p.policy).as_bytes())?;
        Ok(())
    }
    fn failure(
        &mut self,
        out: &mut dyn std::io::Write,
        file: &str,
        error: &str,
    ) -> Result<(), ReportError> {
        self.separate(out)?;
        writeln!(
            out,
            "# {}: not analysed\n\n{}\n",
            escape(file),
            escape(error)
        )?;
        Ok(())
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
        // A right-to-left override cannot reorder the text around a name.
        assert_eq!(escape("lib\u{202e}gpj.exe"), "lib\u{fffd}gpj.exe");
        assert_eq!(escape("a\u{2066}b\u{2069}"), "a\u{fffd}b\u{fffd}");
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
