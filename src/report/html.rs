//! `--format html`: the dossier as one self-contained HTML file, to read on screen and to print
//! and file. Each product opens with a one-page summary (the rating and why, the five scores
//! with their range over unknown origin, the top three risks and what to do about them), then
//! the details: inline SVG charts drawn in [`svg`] (origin countries by weighted share, vendor
//! concentration, a bar per supply-cut scenario, the critical paths of the dependency graph),
//! the findings, the pair cards, the vendors with the basis of their country, completeness and
//! the heaviest components. Everything is laid out from the product's [`View`].
//!
//! Nothing is fetched: no script, style sheet, font or image from elsewhere, and a
//! Content-Security-Policy that forbids them. Every string from an SBOM or the data goes
//! through [`escape`] ([`text`] for element content, which also marks CJK runs with their
//! `lang`); a link target goes through [`href`] (`html/escape.rs`). The portfolio page is
//! [`portfolio_page`] (`html/portfolio.rs`).

mod escape;
mod portfolio;
mod svg;

pub use escape::{escape, href, text};
pub use portfolio::{portfolio_page, ReportLinks};

use super::view::{Card, View, UNKNOWN_ORIGIN_CARD};
use super::{pct, CriticalPaths, Product, ReportError, Writer};
use crate::report::policy::Evaluation;
use crate::score::{Report, Severity};
use std::fmt::Write;
use svg::{bar_chart, cell_bar, exposure_fill, paths_svg, Bar};

/// Fill colours of the charts (the headless-browser test looks for them).
pub mod colors {
    /// Origin-country bars.
    pub const COUNTRY: &str = "#2b6cb0";
    /// Vendor bars.
    pub const VENDOR: &str = "#6b46c1";
    /// The "others" vendor bar.
    pub const OTHERS: &str = "#a0aec0";
    /// Scenario bars (share lost).
    pub const SCENARIO: &str = "#dd6b20";
    /// Critical-path nodes by exposure: below 0.2, below 0.5, from 0.5; the root.
    pub const LOW: &str = "#38a169";
    pub const MEDIUM: &str = "#d69e2e";
    pub const HIGH: &str = "#e53e3e";
    pub const ROOT: &str = "#4a5568";
}

fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| "—".to_string(), text)
}

/// Latin fonts first, then fonts with the CJK glyphs of Chinese legal titles and vendor names.
const FONTS: &str = r#"system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif"#;

const CSS: &str = r##"
:root { --fg: #1a202c; --muted: #4a5568; --line: #cbd5e0; --bg: #ffffff; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: FONTS; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1100px; padding: 24px; font-size: 14px; line-height: 1.45; }
h1 { font-size: 22px; margin: 0 0 8px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; text-align: left; overflow-wrap: break-word; }
table.components td, table.findings td, table.vendors td { overflow-wrap: anywhere; }
th { background: #edf2f7; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
table.meta { width: auto; }
table.meta th { font-weight: 600; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.badge { white-space: nowrap; display: inline-block; padding: 2px 8px; border-radius: 4px; color: #fff; font-weight: 700; }
.rating-low, .sev-low, .sev-info { background: #38a169; }
.rating-medium, .sev-medium { background: #d69e2e; }
.rating-high, .sev-high { background: #e53e3e; }
.rating-critical, .sev-critical { background: #9b2c2c; }
.rating-unknown { background: #718096; }
.passed { background: #38a169; }
.failed { background: #c53030; }
.summary .verdict { font-size: 16px; margin: 12px 0; }
.summary h2 { margin-top: 18px; }
.summary .about { margin: 0; }
ol.risks { margin: 4px 0; padding-left: 22px; }
ol.risks > li { margin: 0 0 10px; }
ol.risks .todo { margin: 2px 0 0; }
figure { margin: 8px 0; }
figcaption { color: var(--muted); font-size: 12px; }
svg text { font-family: FONTS; }
ul.evidence { margin: 0; padding-left: 18px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; font-size: 12px; }
a { color: #2b6cb0; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  section.product + section.product { break-before: page; page-break-before: always; }
  .summary { break-after: page; page-break-after: always; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, tr, .finding, ol.risks > li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"##;

fn section_policy(o: &mut String, ev: &Evaluation) {
    let _ = write!(
        o,
        r##"<h2>Policy <code>{}</code>: <span class="badge {}">{}</span></h2>"##,
        escape(&ev.file),
        if ev.passed { "passed" } else { "failed" },
        if ev.passed { "PASSED" } else { "FAILED" }
    );
    if ev.violations.is_empty() {
        o.push_str("<p>No violation.</p>");
        return;
    }
    o.push_str(
        "<table><thead><tr><th>rule</th><th>limit</th><th>actual</th><th>violation</th><th>components</th></tr></thead><tbody>",
    );
    for v in &ev.violations {
        let shown: Vec<String> = v.components.iter().take(10).map(|c| escape(c)).collect();
        let more = if v.components_total > shown.len() {
            format!(" and {} more", v.components_total - shown.len())
        } else {
            String::new()
        };
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"small\">{}{more}</td></tr>",
            v.rule,
            escape(&crate::report::policy::show(&v.limit)),
            escape(&crate::report::policy::show(&v.actual)),
            escape(&v.message),
            shown.join(", ")
        );
    }
    o.push_str("</tbody></table>");
}

fn sev_class(s: Severity) -> &'static str {
    match s {
        Severity::Info => "sev-info",
        Severity::Low => "sev-low",
        Severity::Medium => "sev-medium",
        Severity::High => "sev-high",
        Severity::Critical => "sev-critical",
    }
}

/// The CSS class of a rating shown in a badge; `rating-unknown` for a value that is none of
/// the four (a portfolio's partial reports are read back from files).
pub(crate) fn rating_class(rating: &str) -> &'static str {
    match rating {
        "low" => "rating-low",
        "medium" => "rating-medium",
        "high" => "rating-high",
        "critical" => "rating-critical",
        _ => "rating-unknown",
    }
}

/// The first page: title, rating and why, the scores, the top risks and what to do.
fn summary(o: &mut String, v: &View<'_>) {
    let _ = write!(
        o,
        r##"<div class="summary"><h1>Supply-disruption risk dossier: {}</h1><p class="about small muted">{} · {} · {} components · buyer {} · as of {}</p>"##,
        text(v.title),
        text(v.file),
        escape(&v.format),
        v.components,
        text(v.buyer),
        text(v.as_of)
    );
    let _ = write!(
        o,
        r##"<p class="verdict">Rating: <span class="badge {}">{}</span> risk index <strong>{}</strong>/100. Why: {}.</p>"##,
        rating_class(v.rating.as_str()),
        v.rating_label,
        v.risk_index,
        text(v.rating_reason)
    );
    o.push_str("<h2>Scores</h2><table class=\"scores\"><thead><tr><th>score</th><th class=\"num\">value</th><th></th><th>range over unknown origin</th><th>direction</th></tr></thead><tbody>");
    for s in &v.scores {
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td>{}</td><td class=\"small\">{}</td><td class=\"small\">{}</td></tr>",
            s.key,
            s.value_text,
            cell_bar(s.value / 100.0, exposure_fill(s.badness())),
            s.bounds_text.as_deref().unwrap_or("—"),
            escape(s.direction)
        );
    }
    o.push_str("</tbody></table>");
    let _ = write!(o, "<h2>Top risks and what to do</h2>");
    if v.top_risks.is_empty() {
        o.push_str("<p>No finding.</p>");
    } else {
        o.push_str("<ol class=\"risks\">");
        for f in v.top_risks() {
            let _ = write!(
                o,
                "<li><span class=\"badge {}\">{}</span> <strong>{}</strong> <span class=\"muted small\">Art. {} {}</span><br>{}<p class=\"todo\"><strong>What to do:</strong> {}</p></li>",
                sev_class(f.severity),
                f.severity_label,
                f.id,
                f.article,
                f.clause,
                text(f.title),
                text(f.mitigation)
            );
        }
        o.push_str("</ol>");
        if v.findings.len() > v.top_risks.len() {
            let _ = write!(
                o,
                "<p class=\"small muted\">{} more finding(s) below.</p>",
                v.findings.len() - v.top_risks.len()
            );
        }
    }
    o.push_str("</div>");
}

/// One product's section.
pub fn section(
    r: &Report<'_>,
    paths: Option<&CriticalPaths>,
    policy: Option<&Evaluation>,
) -> String {
    section_view(&View::of(r), paths, policy)
}

fn section_view(
    v: &View<'_>,
    paths: Option<&CriticalPaths>,
    policy: Option<&Evaluation>,
) -> String {
    let mut o = String::new();
    o.push_str(r##"<section class="product">"##);
    summary(&mut o, v);
    if let Some(ev) = policy {
        section_policy(&mut o, ev);
    }

    // Origin countries.
    let countries: Vec<Bar<'_>> = v
        .countries
        .iter()
        .take(15)
        .map(|c| {
            (
                c.label.clone(),
                c.share,
                format!(
                    "{} · {} comp. · exposure {}",
                    c.share_text, c.components, c.exposure_text
                ),
                if c.code.is_some() {
                    colors::COUNTRY
                } else {
                    colors::OTHERS
                },
            )
        })
        .collect();
    let _ = write!(
        o,
        "<h2>Origin countries</h2><figure>{}<figcaption>Weighted share of the product by origin country; exposure for a {} buyer from the pair card.</figcaption></figure>",
        bar_chart("origin countries by weighted share", &countries),
        text(v.buyer)
    );
    // Vendors: the top ten and the rest together.
    const TOP_VENDORS: usize = 10;
    let mut vrows: Vec<Bar<'_>> = v
        .vendors
        .iter()
        .take(TOP_VENDORS)
        .map(|vendor| {
            (
                vendor.name.to_string(),
                vendor.share,
                format!(
                    "{} · {}{}",
                    vendor.share_text,
                    vendor.country_label(),
                    match vendor.measures.len() {
                        0 => String::new(),
                        n => format!(" · {n} measure(s)"),
                    }
                ),
                colors::VENDOR,
            )
        })
        .collect();
    if v.vendors.len() > TOP_VENDORS {
        let rest = &v.vendors[TOP_VENDORS..];
        let share: f64 = rest.iter().map(|v| v.share).sum();
        vrows.push((
            format!("{} other vendors", rest.len()),
            share,
            pct(share),
            colors::OTHERS,
        ));
    }
    if v.unknown_vendor_share > 0.0 {
        vrows.push((
            "unknown vendor".to_string(),
            v.unknown_vendor_share,
            pct(v.unknown_vendor_share),
            colors::OTHERS,
        ));
    }
    let _ = write!(
        o,
        "<h2>Vendor concentration</h2><figure>{}<figcaption>Weighted share of the product by vendor, with the vendor's country and its basis (headquarters, legal seat, fiscal host...) where the data has it.</figcaption></figure>",
        bar_chart("vendor concentration", &vrows)
    );
    // Scenarios.
    o.push_str("<h2>Supply-cut scenarios</h2><p class=\"small\">Lost: supply taken away, code and all (proprietary software, firmware, hardware, undeclared licences). Degraded: published source whose upstream is cut; its code stays. Impact = lost + degraded weight &times; degraded.</p><table class=\"scenarios\"><thead><tr><th>scenario</th><th>impact</th><th class=\"num\"></th><th class=\"num\">lost</th><th class=\"num\">degraded</th><th class=\"num\">if unknown origin came from here</th><th class=\"num\">removed</th><th class=\"num\">degraded</th><th class=\"num\">affected</th><th class=\"num\">unknown origin</th></tr></thead><tbody>");
    for sc in &v.scenarios {
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            text(sc.name),
            cell_bar(sc.impact, colors::SCENARIO),
            sc.impact_text,
            sc.lost_text,
            sc.degraded_text,
            sc.if_unknown_text.as_deref().unwrap_or("—"),
            sc.removed,
            sc.degraded,
            sc.affected,
            sc.unknown
        );
    }
    o.push_str("</tbody></table>");

    // Critical paths.
    if let Some(p) = paths {
        let _ = write!(
            o,
            "<h2>Critical paths</h2><figure>{}<figcaption>Shortest paths from the product to its {} heaviest components (outlined); colour: exposure (green below 0.2, amber below 0.5, red from 0.5); w = criticality weight, x = exposure. Dashed edges skip levels.</figcaption></figure>",
            paths_svg(p),
            p.nodes.iter().filter(|n| n.target).count()
        );
    }

    // Findings.
    let _ = write!(
        o,
        "<h2>Findings ({})</h2><table class=\"findings\"><thead><tr><th>severity</th><th>finding</th><th>evidence</th><th>mitigation</th></tr></thead><tbody>",
        v.findings.len()
    );
    for f in &v.findings {
        let ev: Vec<String> = f
            .evidence
            .iter()
            .map(|e| format!("<li>{}</li>", text(e.text)))
            .collect();
        let shown = if f.components.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = f.components.iter().map(|c| text(c)).collect();
            format!(": {}", names.join(", "))
        };
        let _ = write!(
            o,
            "<tr class=\"finding\"><td><span class=\"badge {}\">{}</span></td><td><strong>{}</strong> <span class=\"muted small\">Art. {} {}</span><br>{}<div class=\"small muted\">{} component(s), {} by weight{shown}{}</div></td><td><ul class=\"evidence small\">{}</ul></td><td class=\"small\">{}</td></tr>",
            sev_class(f.severity),
            f.severity_label,
            f.id,
            f.article,
            f.clause,
            text(f.title),
            f.components_total,
            f.share,
            if f.components_more.is_empty() {
                String::new()
            } else {
                format!(" {}", f.components_more)
            },
            ev.concat(),
            text(f.mitigation)
        );
    }
    o.push_str("</tbody></table>");

    o.push_str("<h2>Pair cards of the origin countries</h2><table><thead><tr><th>country</th><th class=\"num\">share</th><th class=\"num\">exposure</th><th>pair card (non-empty rows)</th></tr></thead><tbody>");
    for c in &v.countries {
        let card = match &c.card {
            Card::UnknownOrigin => UNKNOWN_ORIGIN_CARD.to_string(),
            Card::NoMeasure => "no measure found".to_string(),
            Card::Rows(rows) => format!(
                "<ul class=\"evidence small\">{}</ul>",
                rows.iter()
                    .map(|row| format!(
                        "<li><code>{}</code> = <strong>{}</strong> (weight {}): {}</li>",
                        escape(row.indicator),
                        escape(row.value),
                        row.weight,
                        text(row.detail)
                    ))
                    .collect::<String>()
            ),
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{card}</td></tr>",
            text(&c.label),
            c.share_text,
            c.exposure_text
        );
    }
    o.push_str("</tbody></table>");

    // Vendors, with the basis of their country and the measures naming them.
    o.push_str("<h2>Vendors</h2><p class=\"small muted\">The basis of a country (data/README.md, \"Country rule\"): headquarters, where the vendor is run; legal seat, where it is registered; fiscal host, the legal entity that holds a project without one of its own.</p><table class=\"vendors\"><thead><tr><th>vendor</th><th>country</th><th>basis of the country</th><th class=\"num\">share</th><th class=\"num\">components</th><th>measures of the buyer's authorities</th></tr></thead><tbody>");
    for vendor in &v.vendors {
        let measures = if vendor.measures.is_empty() {
            "—".to_string()
        } else {
            format!(
                "<ul class=\"evidence small\">{}</ul>",
                vendor
                    .measures
                    .iter()
                    .map(|m| format!("<li>{}</li>", text(m)))
                    .collect::<String>()
            )
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{measures}</td></tr>",
            text(vendor.name),
            opt(vendor.country),
            vendor.basis.unwrap_or("—"),
            vendor.share_text,
            vendor.components
        );
    }
    o.push_str("</tbody></table>");

    // Completeness.
    o.push_str("<h2>SBOM completeness</h2><table><thead><tr><th>profile</th><th class=\"num\">score</th><th></th></tr></thead><tbody>");
    for c in &v.completeness {
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            text(c.title),
            pct(c.score),
            cell_bar(c.score, colors::COUNTRY)
        );
    }
    o.push_str("</tbody></table>");

    // Components.
    let _ = write!(
        o,
        "<h2>Components (heaviest {} of {})</h2><table class=\"components small\"><thead><tr><th>ref</th><th>name</th><th>version</th><th>vendor</th><th>country</th><th>channel</th><th class=\"num\">weight</th><th class=\"num\">exposure</th><th class=\"num\">contribution</th></tr></thead><tbody>",
        v.heaviest.len(),
        v.components_total
    );
    for c in &v.heaviest {
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td><td class=\"num\">{}</td></tr>",
            text(c.bom_ref),
            text(c.name),
            opt(c.version),
            opt(c.vendor),
            opt(c.country),
            opt(c.channel),
            c.weight,
            c.exposure,
            pct(c.contribution)
        );
    }
    o.push_str("</tbody></table>");
    if v.components_total > v.heaviest.len() {
        let _ = write!(
            o,
            "<p class=\"muted\">{} more component(s) not shown (<code>--format csv</code> lists all).</p>",
            v.components_total - v.heaviest.len()
        );
    }

    // What the report was made with.
    o.push_str(r##"<h2>About this report</h2><table class="meta"><tbody>"##);
    for (k, val) in [
        ("SBOM file", text(v.file)),
        ("Format", escape(&v.format)),
        (
            "Components",
            format!("{} ({} edges)", v.components, v.edges),
        ),
        ("Buyer jurisdiction", text(v.buyer)),
        ("As of", text(v.as_of)),
        ("Tool", escape(&v.tool)),
        ("Data version", text(v.data_version)),
        ("Scoring profile", text(&v.profile)),
    ] {
        let _ = write!(o, "<tr><th>{k}</th><td>{val}</td></tr>");
    }
    o.push_str("</tbody></table></section>");
    o
}

/// Wraps sections into the document.
pub fn document(title: &str, body: &str) -> String {
    format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sbomrisk {}">
<title>{}</title>
<style>{}</style>
</head>
<body>
{body}
<footer>Generated by sbomrisk {} (Article 10 factors 2 and 3 of the Cybersecurity Review Measures). Scores, formulas and findings: docs/scoring.md.</footer>
</body>
</html>
"##,
        escape(crate::VERSION),
        escape(title),
        CSS.replace("FONTS", FONTS),
        escape(crate::VERSION),
    )
}

/// `--format html`: one document, one section per product.
#[derive(Debug, Default)]
pub struct HtmlWriter {
    titles: Vec<String>,
    body: String,
}

impl Writer for HtmlWriter {
    fn product(
        &mut self,
        _out: &mut dyn std::io::Write,
        p: &Product<'_, '_>,
    ) -> Result<(), ReportError> {
        let r = p.report;
        self.titles
            .push(r.document.name.clone().unwrap_or_else(|| r.file.clone()));
        self.body.push_str(&section(r, p.paths, p.policy));
        Ok(())
    }
    fn failure(
        &mut self,
        _out: &mut dyn std::io::Write,
        file: &str,
        error: &str,
    ) -> Result<(), ReportError> {
        let _ = write!(
            self.body,
            "<section class=\"product\"><h1>{}: not analysed</h1><p>{}</p></section>",
            escape(file),
            escape(error)
        );
        Ok(())
    }
    fn finish(self: Box<Self>, out: &mut dyn std::io::Write) -> Result<(), ReportError> {
        let title = match self.titles.as_slice() {
            [one] => format!("sbomrisk dossier: {one}"),
            more => format!("sbomrisk dossier: {} products", more.len()),
        };
        out.write_all(document(&title, &self.body).as_bytes())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::{with_report, HOSTILE, ROUTER};

    fn html(doc: &str) -> String {
        let sbom = crate::ingest::ingest_bytes("fixture.cdx.json", doc.as_bytes()).unwrap();
        let g = crate::graph::build(&sbom);
        with_report(doc, |r| {
            let paths = CriticalPaths::compute(&sbom, &g, r, 10);
            let mut buf = Vec::new();
            let mut w: Box<dyn Writer> = Box::<HtmlWriter>::default();
            w.product(
                &mut buf,
                &Product {
                    report: r,
                    paths: Some(&paths),
                    policy: None,
                },
            )
            .unwrap();
            w.failure(&mut buf, "<b>bad</b>.json", "bad <input>")
                .unwrap();
            w.finish(&mut buf).unwrap();
            String::from_utf8(buf).unwrap()
        })
    }

    #[test]
    fn hostile_names_show_as_text() {
        let h = html(HOSTILE);
        // No markup from the SBOM: the only tags are ours.
        assert!(!h.contains("<script"), "a script tag");
        assert!(!h.contains("<img"), "an img tag");
        assert!(!h.contains("<b>"), "a b tag");
        assert!(!h.contains("onmouseover=\""), "an attribute broke out");
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(h.contains("attr&quot; onmouseover=&quot;alert(3)&#39; x=&#39;"));
        assert!(h.contains("&lt;b&gt;bad&lt;/b&gt;.json"));
    }

    #[test]
    fn self_contained_with_every_chart() {
        let h = html(ROUTER);
        for remote in ["<script", "<link", "src=\"http", "url(", "@import", "<img"] {
            assert!(!h.contains(remote), "{remote}");
        }
        assert!(h.contains("@media print"));
        for c in [
            colors::COUNTRY,
            colors::VENDOR,
            colors::SCENARIO,
            colors::ROOT,
        ] {
            assert!(h.contains(&format!("fill=\"{c}\"")), "{c}");
        }
        assert!(h.contains("aria-label=\"critical paths of the dependency graph\""));
        assert_eq!(h.matches("<svg").count(), h.matches("</svg>").count());
        // Labels are never cut.
        assert!(!h.contains('…'));
    }

    #[test]
    fn opens_with_a_one_page_summary() {
        let h = html(ROUTER);
        with_report(ROUTER, |r| {
            let v = View::of(r);
            let summary = &h[h.find("<div class=\"summary\">").unwrap()..];
            let summary = &summary[..summary.find("</div>").unwrap()];
            // Rating and why.
            assert!(summary.contains(&format!(
                "<span class=\"badge rating-{}\">{}</span>",
                r.rating.as_str(),
                r.rating.as_str().to_uppercase()
            )));
            assert!(summary.contains(&format!("Why: {}.", text(&r.rating_reason))));
            // The five scores, with their bounds where they have them.
            for s in &v.scores {
                assert!(
                    summary.contains(&format!("<code>{}</code>", s.key)),
                    "{}",
                    s.key
                );
                if let Some(b) = &s.bounds_text {
                    assert!(summary.contains(b.as_str()), "{b}");
                }
            }
            // The top three risks, most severe first, with their mitigation.
            assert_eq!(summary.matches("<li>").count(), TOP.min(r.findings.len()));
            let mut at = 0;
            for f in v.top_risks() {
                let i = summary[at..].find(f.id).map(|i| i + at).unwrap();
                assert!(summary[i..].contains(&text(f.mitigation)));
                at = i;
            }
            // Before any detail.
            assert!(h.find("<div class=\"summary\">") < h.find("<h2>Origin countries"));
        });
    }
    const TOP: usize = crate::report::view::TOP_RISKS;

    #[test]
    fn vendors_name_the_basis_of_their_country_and_fonts_cover_cjk() {
        let h = html(ROUTER);
        with_report(ROUTER, |r| {
            let known = r
                .vendors
                .iter()
                .filter(|v| v.country.is_some() && v.country_basis.is_some())
                .count();
            assert!(known > 0);
            let table = &h[h.find("<table class=\"vendors\">").unwrap()..];
            let table = &table[..table.find("</table>").unwrap()];
            let bases = ["headquarters", "legal seat", "fiscal host"];
            let named = table
                .split("<tr>")
                .filter(|row| bases.iter().any(|b| row.contains(&format!("<td>{b}</td>"))))
                .count();
            assert!(named >= 1, "{table}");
        });
        assert!(h.contains("<meta charset=\"utf-8\">"));
        assert!(h.contains(r#""Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif"#));
    }
}
