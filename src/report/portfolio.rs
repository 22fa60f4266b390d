//! The portfolio summary for people: `portfolio --format text` (a terminal) and `--format
//! markdown` (wikis, tickets); `--format html` is [`crate::report::html::portfolio_page`].
//! Each reads the cross-product [`Aggregate`] and the unreadable SBOMs; nothing is recomputed.
//! Product names and paths come from manifests and partial reports: text is cleaned of control
//! characters for the terminal, Markdown is escaped.

use super::markdown::escape as md;
use super::text::clean;
use crate::score::portfolio::{Aggregate, ProductError};
use std::fmt::Write;

/// The run a portfolio summary is of.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// The run in one line: tool, data, profile, buyer, date, and shard and policy if any.
    pub line: &'a str,
    /// The policy file every product was checked against.
    pub policy: Option<&'a str>,
}

/// `portfolio --format text`.
pub fn render_text(run: &Run<'_>, errors: &[ProductError], a: &Aggregate) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "portfolio: {} product(s), {} error(s)\n  {}",
        a.products,
        a.errors,
        clean(run.line)
    );
    let _ = writeln!(
        o,
        "\n  ratings: {}\n  origin diversity (mean shares): {:.1}/100 (higher is better)\n  political exposure: mean {:.1}, max {:.1} (higher is worse)\n  single-vendor reliance: mean {:.1} (higher is worse)",
        a.ratings_line(),
        a.origin_diversity,
        a.political_exposure_mean,
        a.political_exposure_max,
        a.single_vendor_reliance_mean
    );
    let _ = writeln!(o, "\n  riskiest products:");
    for r in a.riskiest.iter().take(15) {
        let _ = writeln!(
            o,
            "    {:<9}{:>6.1}  exposure {:>5.1}  reliance {:>5.1}  {} ({})",
            clean(&r.rating.to_uppercase()),
            r.risk_index,
            r.political_exposure,
            r.single_vendor_reliance,
            clean(&r.product),
            clean(&r.path)
        );
    }
    let _ = writeln!(
        o,
        "\n  vendors the portfolio depends on (products using them; mean share):"
    );
    for v in a.vendors.iter().take(15) {
        let _ = writeln!(
            o,
            "    {:>5} product(s) {:>6.1}%  {} ({})",
            v.products,
            v.mean_share * 100.0,
            clean(&v.name),
            clean(v.country.as_deref().unwrap_or("??"))
        );
    }
    let _ = writeln!(o, "\n  origin countries (products; mean weighted share):");
    for c in a.countries.iter().take(12) {
        let _ = writeln!(
            o,
            "    {:<4}{:>5} product(s) {:>6.1}%",
            clean(c.country.as_deref().unwrap_or("??")),
            c.products,
            c.mean_share * 100.0
        );
    }
    if let Some(v) = &a.policy_violated {
        let _ = writeln!(
            o,
            "\n  policy {}: {} of {} product(s) violate it",
            clean(run.policy.unwrap_or("?")),
            v.len(),
            a.products
        );
        for p in v.iter().take(20) {
            let _ = writeln!(o, "    {}", clean(p));
        }
    }
    if !errors.is_empty() {
        let _ = writeln!(o, "\n  errors:");
        for e in errors {
            let _ = writeln!(o, "    {}: {}", clean(&e.path), clean(&e.error));
        }
    }
    o.push('\n');
    o
}

/// `portfolio --format markdown`.
pub fn render_markdown(run: &Run<'_>, errors: &[ProductError], a: &Aggregate) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# Portfolio supply-risk summary\n\n{} product(s), {} error(s). {}.\n",
        a.products,
        a.errors,
        md(run.line)
    );
    let _ = writeln!(
        o,
        "| measure | value | direction |\n|---|---:|---|\n| origin diversity (mean shares) | {:.1} | higher is better |\n| political exposure, mean | {:.1} | higher is worse |\n| political exposure, max | {:.1} | higher is worse |\n| single-vendor reliance, mean | {:.1} | higher is worse |\n",
        a.origin_diversity, a.political_exposure_mean, a.political_exposure_max, a.single_vendor_reliance_mean
    );
    let _ = writeln!(o, "Ratings: {}.\n\n## Riskiest products\n\n| rating | risk index | exposure | reliance | product | path |\n|---|---:|---:|---:|---|---|", a.ratings_line());
    for r in a.riskiest.iter().take(25) {
        let _ = writeln!(
            o,
            "| {} | {:.1} | {:.1} | {:.1} | {} | {} |",
            md(&r.rating),
            r.risk_index,
            r.political_exposure,
            r.single_vendor_reliance,
            md(&r.product),
            md(&r.path)
        );
    }
    let _ = writeln!(o, "\n## Vendors the portfolio depends on\n\n| vendor | country | products | mean share | most dependent |\n|---|---|---:|---:|---|");
    for v in a.vendors.iter().take(25) {
        let most = v
            .most_dependent
            .iter()
            .take(3)
            .map(|p| format!("{} ({:.0}%)", md(&p.product), p.share * 100.0))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            o,
            "| {} | {} | {} | {:.1}% | {most} |",
            md(&v.name),
            md(v.country.as_deref().unwrap_or("unknown")),
            v.products,
            v.mean_share * 100.0
        );
    }
    let _ = writeln!(
        o,
        "\n## Origin countries\n\n| country | products | mean share |\n|---|---:|---:|"
    );
    for c in &a.countries {
        let _ = writeln!(
            o,
            "| {} | {} | {:.1}% |",
            md(c.country.as_deref().unwrap_or("unknown")),
            c.products,
            c.mean_share * 100.0
        );
    }
    if let Some(v) = &a.policy_violated {
        let _ = writeln!(
            o,
            "\n## Policy\n\n{} of {} product(s) violate `{}`.\n",
            v.len(),
            a.products,
            md(run.policy.unwrap_or("?"))
        );
        for p in v {
            let _ = writeln!(o, "- {}", md(p));
        }
    }
    if !errors.is_empty() {
        let _ = writeln!(o, "\n## Errors\n");
        for e in errors {
            let _ = writeln!(o, "- {}: {}", md(&e.path), md(&e.error));
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::portfolio::RiskRow;

    fn aggregate() -> Aggregate {
        Aggregate {
            products: 1,
            errors: 1,
            policy_violated: None,
            ratings: [("high".to_string(), 1)].into_iter().collect(),
            origin_diversity: 40.0,
            political_exposure_mean: 30.0,
            political_exposure_max: 30.0,
            single_vendor_reliance_mean: 20.0,
            vendors: Vec::new(),
            countries: Vec::new(),
            riskiest: vec![RiskRow {
                path: "a\x1b[2J.json".into(),
                product: "Gate | <script>".into(),
                rating: "high".into(),
                risk_index: 50.0,
                political_exposure: 30.0,
                single_vendor_reliance: 20.0,
            }],
        }
    }

    #[test]
    fn hostile_names_stay_text() {
        let run = Run {
            line: "sbomrisk x",
            policy: None,
        };
        let errors = [ProductError {
            seq: 1,
            path: "bad\r.json".into(),
            error: "broken".into(),
        }];
        let t = render_text(&run, &errors, &aggregate());
        assert!(!t.contains('\x1b') && !t.contains('\r'), "{t}");
        assert!(t.contains("Gate | <script> (a\u{fffd}[2J.json)"), "{t}");
        let m = render_markdown(&run, &errors, &aggregate());
        assert!(m.contains("| Gate \\| \\<script\\> |"), "{m}");
    }
}
