//! The portfolio summary as one self-contained HTML page (`portfolio --format html`).

use super::svg::{bar_chart, cell_bar, exposure_fill, Bar};
use super::{colors, document, href, rating_class, text};
use crate::report::pct;
use std::fmt::Write;

/// Maps a product's SBOM path (as the portfolio lists it) to the location of its own report (a
/// relative path or a URL), or `None` when it has none.
pub type ReportLinks<'l> = &'l dyn Fn(&str) -> Option<String>;

/// A product's name, linked to its report when `links` gives one that [`href`] accepts.
fn product_link(links: Option<ReportLinks<'_>>, path: &str, name: &str) -> String {
    match links.and_then(|f| f(path)).as_deref().and_then(href) {
        Some(url) => format!("<a href=\"{url}\">{}</a>", text(name)),
        None => text(name),
    }
}

/// The portfolio summary as one self-contained page (`portfolio --format html`): origin
/// countries and vendors across the products as bar charts, the riskiest products with a
/// coloured rating badge and a bar per risk index, the policy verdicts and the unreadable SBOMs.
/// `meta` is the run's line (tool, data, profile, buyer, date). `links`, when given, maps a
/// product's path to its own report, and the product's name links there (targets go through
/// [`href`]: never a `javascript:` link).
pub fn portfolio_page(
    meta: &str,
    agg: &crate::score::portfolio::Aggregate,
    errors: &[crate::score::portfolio::ProductError],
    links: Option<ReportLinks<'_>>,
) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<section><h1>Portfolio supply-risk summary</h1><p class=\"meta\">{} product(s), {} error(s). {}</p>",
        agg.products,
        agg.errors,
        text(meta)
    );
    let _ = write!(
        o,
        "<table><thead><tr><th>measure</th><th>value</th><th>direction</th></tr></thead><tbody>\
<tr><td>origin diversity (mean shares)</td><td>{:.1}</td><td>higher is better</td></tr>\
<tr><td>political exposure, mean</td><td>{:.1}</td><td>higher is worse</td></tr>\
<tr><td>political exposure, max</td><td>{:.1}</td><td>higher is worse</td></tr>\
<tr><td>single-vendor reliance, mean</td><td>{:.1}</td><td>higher is worse</td></tr></tbody></table>",
        agg.origin_diversity,
        agg.political_exposure_mean,
        agg.political_exposure_max,
        agg.single_vendor_reliance_mean
    );
    let ratings: Vec<String> = ["critical", "high", "medium", "low"]
        .iter()
        .filter_map(|r| {
            agg.ratings
                .get(*r)
                .map(|n| format!("<span class=\"badge {}\">{n} {}</span>", rating_class(r), r))
        })
        .collect();
    let _ = write!(
        o,
        "<p>Ratings: {}.</p>",
        if ratings.is_empty() {
            "none".to_string()
        } else {
            ratings.join(" ")
        }
    );
    let countries: Vec<Bar<'_>> = agg
        .countries
        .iter()
        .take(15)
        .map(|c| {
            (
                c.country.clone().unwrap_or_else(|| "unknown".into()),
                c.mean_share,
                format!("{} ({} products)", pct(c.mean_share), c.products),
                if c.country.is_some() {
                    colors::COUNTRY
                } else {
                    colors::OTHERS
                },
            )
        })
        .collect();
    let _ = write!(
        o,
        "<h2>Origin countries (mean weighted share)</h2><figure>{}</figure>",
        bar_chart("Origin countries across the portfolio", &countries)
    );
    let n = agg.products.max(1) as f64;
    let vendors: Vec<Bar<'_>> = agg
        .vendors
        .iter()
        .take(15)
        .map(|v| {
            (
                v.name.clone(),
                v.products as f64 / n,
                format!("{} of {} products", v.products, agg.products),
                colors::VENDOR,
            )
        })
        .collect();
    let _ = write!(
        o,
        "<h2>Vendors the portfolio depends on (share of products using each)</h2><figure>{}</figure>",
        bar_chart("Vendors across the portfolio", &vendors)
    );
    let _ = write!(o, "<h2>Riskiest products</h2><table><thead><tr><th>rating</th><th>risk index</th><th></th><th>exposure</th><th>reliance</th><th>product</th><th>path</th></tr></thead><tbody>");
    for r in agg.riskiest.iter().take(50) {
        let _ = write!(
            o,
            "<tr><td><span class=\"badge {}\">{}</span></td><td>{:.1}</td><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{}</td><td>{}</td></tr>",
            rating_class(&r.rating),
            text(&r.rating.to_uppercase()),
            r.risk_index,
            cell_bar(r.risk_index / 100.0, exposure_fill(r.risk_index / 100.0)),
            r.political_exposure,
            r.single_vendor_reliance,
            product_link(links, &r.path, &r.product),
            text(&r.path)
        );
    }
    o.push_str("</tbody></table>");
    if let Some(v) = &agg.policy_violated {
        let _ = write!(
            o,
            "<h2>Policy</h2><p>{} of {} product(s) violate the policy.</p><ul>",
            v.len(),
            agg.products
        );
        for p in v {
            let _ = write!(o, "<li>{}</li>", product_link(links, p, p));
        }
        o.push_str("</ul>");
    }
    if !errors.is_empty() {
        o.push_str("<h2>SBOMs that could not be read</h2><ul>");
        for e in errors {
            let _ = write!(o, "<li>{}: {}</li>", text(&e.path), text(&e.error));
        }
        o.push_str("</ul>");
    }
    o.push_str("</section>");
    document("Portfolio supply-risk summary", &o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aggregate() -> crate::score::portfolio::Aggregate {
        use crate::score::portfolio::{Aggregate, RiskRow};
        let row = |path: &str, product: &str, rating: &str, x: f64| RiskRow {
            path: path.into(),
            product: product.into(),
            rating: rating.into(),
            risk_index: x,
            political_exposure: x,
            single_vendor_reliance: x / 2.0,
        };
        Aggregate {
            products: 4,
            errors: 0,
            policy_violated: Some(vec!["a.cdx.json".into()]),
            ratings: [("critical".to_string(), 1), ("low".to_string(), 3)]
                .into_iter()
                .collect(),
            origin_diversity: 40.0,
            political_exposure_mean: 30.0,
            political_exposure_max: 80.0,
            single_vendor_reliance_mean: 20.0,
            vendors: Vec::new(),
            countries: Vec::new(),
            riskiest: vec![
                row("a.cdx.json", "Router <b>", "critical", 80.0),
                row("evil.json", "Evil", "low", 10.0),
                row("b.json", "B", "low\" onclick=\"x", 5.0),
                row("c.json", "C", "low", 4.0),
            ],
        }
    }

    #[test]
    fn portfolio_badges_and_links() {
        let agg = aggregate();
        let plain = portfolio_page("run", &agg, &[], None);
        assert!(plain.contains("<span class=\"badge rating-critical\">CRITICAL</span>"));
        assert!(plain.contains("<span class=\"badge rating-low\">LOW</span>"));
        assert!(
            plain.contains("<span class=\"badge rating-unknown\">LOW&quot; ONCLICK=&quot;X</span>")
        );
        assert!(plain.contains("<span class=\"badge rating-critical\">1 critical</span>"));
        assert!(!plain.contains("<a "));
        let links = |path: &str| -> Option<String> {
            match path {
                "a.cdx.json" => Some("reports/a report.html".into()),
                "evil.json" => Some("javascript:alert(1)".into()),
                _ => None,
            }
        };
        let linked = portfolio_page("run", &agg, &[], Some(&links));
        assert!(linked.contains("<a href=\"reports/a%20report.html\">Router &lt;b&gt;</a>"));
        // The policy list links the same product.
        assert_eq!(
            linked.matches("href=\"reports/a%20report.html\"").count(),
            2
        );
        assert!(!linked.contains("javascript"));
        assert!(linked.contains("<td>Evil</td>"));
    }
}
