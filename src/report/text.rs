//! The terminal summary: scores with their direction, rating, top countries, vendors, scenarios
//! and the findings. Colour is the caller's choice (`--format text` on a terminal without
//! `NO_COLOR`); the words are the same either way.

use super::{pct, Product, ReportError, Writer};
use crate::report::policy::Evaluation;
use crate::score::{Rating, Report, Severity};
use std::fmt::Write;

/// ANSI styles, or nothing.
#[derive(Debug, Clone, Copy)]
struct Style {
    color: bool,
}

impl Style {
    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(self, s: &str) -> String {
        self.paint("1", s)
    }
    fn rating(self, r: Rating) -> String {
        let code = match r {
            Rating::Low => "1;32",
            Rating::Medium => "1;33",
            Rating::High | Rating::Critical => "1;31",
        };
        self.paint(code, &r.as_str().to_uppercase())
    }
    fn severity(self, s: Severity) -> String {
        let code = match s {
            Severity::Critical | Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low | Severity::Info => "36",
        };
        self.paint(code, &format!("[{}]", s.as_str().to_uppercase()))
    }
}

/// SBOM text for a terminal: control characters (an escape sequence in a component name could
/// rewrite the screen) become U+FFFD.
fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_control) {
        s.chars()
            .map(|c| if c.is_control() { '\u{fffd}' } else { c })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// The terminal summary of one report, without colour.
pub fn render(r: &Report<'_>) -> String {
    render_styled(r, None, false)
}

/// The terminal summary of one report, with the policy verdict when given.
pub fn render_styled(r: &Report<'_>, policy: Option<&Evaluation>, color: bool) -> String {
    let st = Style { color };
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}  ({} components)\n  sbomrisk {}, data {}, profile {} ({}), buyer {}, as of {}",
        st.bold(&clean(&r.file)),
        r.document.components,
        r.tool.version,
        r.data_version,
        r.profile.name,
        r.profile.digest,
        r.buyer,
        r.as_of
    );
    let _ = writeln!(
        o,
        "\n  rating: {} (risk index {:.1}/100): {}\n",
        st.rating(r.rating),
        r.risk_index,
        clean(&r.rating_reason)
    );
    let s = &r.scores;
    for (name, score) in [
        ("origin_diversity", &s.origin_diversity),
        ("single_vendor_reliance", &s.single_vendor_reliance),
        ("political_exposure", &s.political_exposure),
        ("continuity", &s.continuity),
        ("transparency", &s.transparency),
    ] {
        let range = score.bounds.map_or(String::new(), |b| {
            format!(
                "  [unknown origin: {:.1} best, {:.1} worst]",
                b.best, b.worst
            )
        });
        let _ = writeln!(
            o,
            "  {name:<24}{:>6.1}  {}{range}",
            score.value, score.direction
        );
    }
    let _ = writeln!(
        o,
        "\n  origin countries (weighted share, exposure for a {} buyer):",
        r.buyer
    );
    for c in r.countries.iter().take(10) {
        let rows: Vec<String> = c
            .card
            .iter()
            .flat_map(|card| &card.rows)
            .filter(|row| row.value != "none")
            .map(|row| format!("{}={}", row.indicator, row.value))
            .collect();
        let _ = writeln!(
            o,
            "    {:<4}{:>7} {:>5} comp.  exposure {:.2}  {}",
            c.country.as_deref().unwrap_or("??"),
            pct(c.share),
            c.components,
            c.exposure,
            if c.country.is_none() {
                "unknown origin (taken as the most exposed known foreign origin, at least exposure.unknown_country)".to_string()
            } else if rows.is_empty() {
                "no measure found".to_string()
            } else {
                rows.join(", ")
            }
        );
    }
    let _ = writeln!(o, "\n  top vendors (weighted share):");
    for v in r.vendors.iter().take(8) {
        let _ = writeln!(
            o,
            "    {:>7} {:<44} {}{}{}",
            pct(v.share),
            clean(&v.name),
            v.country.as_deref().unwrap_or("??"),
            match v.country_basis {
                Some(b) if v.country.is_some() && b != "headquarters" => format!(" ({b})"),
                _ => String::new(),
            },
            if v.measures.is_empty() {
                String::new()
            } else {
                format!(
                    "  [{} measure(s) of the buyer's authorities]",
                    v.measures.len()
                )
            }
        );
    }
    let _ = writeln!(
        o,
        "\n  scenarios (weighted share lost / degraded; impact = lost + {} x degraded):",
        r.scores
            .continuity
            .inputs
            .get("degraded_weight")
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    );
    for sc in r.scenarios.iter().take(8) {
        let unknown = match sc.impact_if_unknown_here {
            Some(u) if !sc.unknown_components.is_empty() => format!(
                ", impact {} if the {} of unknown {} came from here",
                pct(u),
                sc.unknown_components.len(),
                if sc.name.starts_with("disruption:") {
                    "production site"
                } else {
                    "origin"
                }
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            o,
            "    {:<28}lost {:>6}  degraded {:>6}  impact {:>6}  ({} removed, {} degraded, {} affected{unknown})",
            clean(&sc.name),
            pct(sc.product_share_lost),
            pct(sc.product_share_degraded),
            pct(sc.impact),
            sc.removed_components.len(),
            sc.degraded_components.len(),
            sc.affected_components.len()
        );
    }
    let _ = writeln!(o, "\n  findings ({}):", r.findings.len());
    for f in &r.findings {
        let _ = writeln!(
            o,
            "    {} {} Art. {} {}: {}",
            st.severity(f.severity),
            f.id,
            f.factor.article,
            f.factor.clause,
            clean(&f.title)
        );
        if let Some(e) = f.evidence.first() {
            let _ = writeln!(o, "        evidence: {}", clean(e));
        }
        let _ = writeln!(o, "        mitigation: {}", f.mitigation);
    }
    if let Some(ev) = policy {
        let verdict = if ev.passed {
            st.paint("1;32", "PASSED")
        } else {
            st.paint("1;31", "FAILED")
        };
        let _ = writeln!(
            o,
            "\n  policy {}: {} ({} violation(s))",
            ev.file,
            verdict,
            ev.violations.len()
        );
        for v in &ev.violations {
            let _ = writeln!(o, "    {}: {}", st.paint("31", v.rule), clean(&v.message));
        }
    }
    o.push('\n');
    o
}

/// `--format text`: the summaries one after the other; unreadable files only on stderr.
#[derive(Debug, Default)]
pub struct TextWriter {
    color: bool,
    out: String,
}

impl TextWriter {
    pub fn new(color: bool) -> TextWriter {
        TextWriter {
            color,
            out: String::new(),
        }
    }
}

impl Writer for TextWriter {
    fn product(&mut self, p: &Product<'_, '_>) -> Result<(), ReportError> {
        self.out
            .push_str(&render_styled(p.report, p.policy, self.color));
        Ok(())
    }
    fn failure(&mut self, _file: &str, _error: &str) {}
    fn finish(self: Box<Self>) -> Result<String, ReportError> {
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_when_asked() {
        let plain = Style { color: false };
        assert_eq!(plain.rating(Rating::High), "HIGH");
        assert_eq!(plain.severity(Severity::Medium), "[MEDIUM]");
        let c = Style { color: true };
        assert_eq!(c.rating(Rating::High), "\x1b[1;31mHIGH\x1b[0m");
        assert!(c.severity(Severity::Low).contains("[LOW]"));
    }

    #[test]
    fn control_characters_from_an_sbom_do_not_reach_the_terminal() {
        assert_eq!(clean("evil\x1b[2Jname\r"), "evil\u{fffd}[2Jname\u{fffd}");
        assert!(matches!(
            clean("plain"),
            std::borrow::Cow::Borrowed("plain")
        ));
    }
}
