//! `--format html`: the dossier as one self-contained HTML file, to read on screen and to print
//! and file: inline CSS (with print rules), inline SVG charts drawn here (origin countries by
//! weighted share, vendor concentration, a bar per supply-cut scenario, the critical paths of
//! the dependency graph), the findings and the heaviest components. Nothing is fetched: no
//! script, style sheet, font or image from elsewhere, and a Content-Security-Policy that forbids
//! them. Every string from an SBOM or the data goes through [`escape`].

use super::{by_weight, pct, CriticalPaths, Product, ReportError, Writer, MAX_COMPONENT_ROWS};
use crate::report::policy::Evaluation;
use crate::score::{Report, Severity};
use std::fmt::Write;

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

/// HTML-safe text, for element content and for quoted attribute values alike.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// At most `n` characters, with an ellipsis when cut (before escaping).
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| "—".to_string(), escape)
}

const CSS: &str = r##"
:root { --fg: #1a202c; --muted: #4a5568; --line: #cbd5e0; --bg: #ffffff; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1100px; padding: 24px; font-size: 14px; line-height: 1.45; }
h1 { font-size: 22px; margin: 0 0 8px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; text-align: left; overflow-wrap: break-word; }
table.components td, table.findings td { overflow-wrap: anywhere; }
th { background: #edf2f7; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.meta { width: auto; }
table.meta th { font-weight: 600; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.badge { white-space: nowrap; display: inline-block; padding: 2px 8px; border-radius: 4px; color: #fff; font-weight: 700; }
.rating-low, .sev-low, .sev-info { background: #38a169; }
.rating-medium, .sev-medium { background: #d69e2e; }
.rating-high, .sev-high { background: #e53e3e; }
.rating-critical, .sev-critical { background: #9b2c2c; }
.passed { background: #38a169; }
.failed { background: #c53030; }
figure { margin: 8px 0; }
figcaption { color: var(--muted); font-size: 12px; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
ul.evidence { margin: 0; padding-left: 18px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  section.product + section.product { break-before: page; page-break-before: always; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, tr, .finding { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"##;

/// A horizontal bar chart: (label, value in [0, 1], annotation, fill).
fn bar_chart(title: &str, rows: &[(String, f64, String, &str)]) -> String {
    let row_h = 24;
    let label_w = 230;
    let bar_w = 300.0;
    let h = 10 + rows.len() * row_h;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="chart" role="img" aria-label="{}" viewBox="0 0 800 {h}" width="100%" style="max-width:800px" xmlns="http://www.w3.org/2000/svg">"##,
        escape(title)
    );
    for (i, (label, v, note, fill)) in rows.iter().enumerate() {
        let y = 5 + i * row_h;
        let w = (v.clamp(0.0, 1.0) * bar_w).max(if *v > 0.0 { 1.0 } else { 0.0 });
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text><rect x="{label_w}" y="{}" width="{bar_w}" height="16" fill="#edf2f7"/><rect x="{label_w}" y="{}" width="{w:.1}" height="16" fill="{fill}"><title>{}: {}</title></rect><text x="{}" y="{}" font-size="12">{}</text>"##,
            label_w - 6,
            y + 13,
            escape(&cut(label, 28)),
            y,
            y,
            escape(label),
            escape(note),
            label_w as f64 + bar_w + 6.0,
            y + 13,
            escape(note),
        );
    }
    s.push_str("</svg>");
    s
}

/// A single bar for a table cell.
fn cell_bar(v: f64, fill: &str) -> String {
    format!(
        r##"<svg viewBox="0 0 160 14" width="160" height="14" xmlns="http://www.w3.org/2000/svg"><rect x="0" y="1" width="160" height="12" fill="#edf2f7"/><rect x="0" y="1" width="{:.1}" height="12" fill="{fill}"/></svg>"##,
        v.clamp(0.0, 1.0) * 160.0
    )
}

fn exposure_fill(x: f64) -> &'static str {
    if x >= 0.5 {
        colors::HIGH
    } else if x >= 0.2 {
        colors::MEDIUM
    } else {
        colors::LOW
    }
}

/// The critical paths as a layered tree: one column per depth, the root on the left.
fn paths_svg(p: &CriticalPaths) -> String {
    let n = p.nodes.len();
    if n == 0 {
        return String::new();
    }
    // Deep graphs: keep the first three and the last nine levels, and dash the edges across.
    let max_depth = p.max_depth();
    let col = |d: usize| -> Option<usize> {
        if max_depth <= 12 || d <= 2 {
            Some(d)
        } else if d + 9 > max_depth {
            Some(d + 12 - max_depth)
        } else {
            None
        }
    };
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, node) in p.nodes.iter().enumerate() {
        if let Some(par) = node.parent.filter(|par| *par < n) {
            children[par].push(i);
        }
    }
    for c in &mut children {
        c.sort_by(|a, b| p.nodes[*b].weight.total_cmp(&p.nodes[*a].weight));
    }
    // Leaves take consecutive rows; a parent sits midway between its first and last child.
    // Iterative post-order (the tree can be as deep as the graph).
    let mut y = vec![0.0f64; n];
    let mut next_leaf = 0.0f64;
    let mut stack: Vec<(usize, bool)> = vec![(0, false)];
    while let Some((u, done)) = stack.pop() {
        if done || children[u].is_empty() {
            y[u] = match (children[u].first(), children[u].last()) {
                (Some(a), Some(b)) => (y[*a] + y[*b]) / 2.0,
                _ => {
                    next_leaf += 1.0;
                    next_leaf - 1.0
                }
            };
            continue;
        }
        stack.push((u, true));
        for c in children[u].iter().rev() {
            stack.push((*c, false));
        }
    }
    let (box_w, box_h, col_w, row_h) = (150.0, 34.0, 175.0, 44.0);
    let cols = (0..=max_depth).filter_map(col).max().unwrap_or(0) + 1;
    let width = 20.0 + cols as f64 * col_w;
    let height = 20.0 + next_leaf.max(1.0) * row_h;
    let pos = |i: usize| -> Option<(f64, f64)> {
        col(p.nodes[i].depth).map(|c| (10.0 + c as f64 * col_w, 10.0 + y[i] * row_h))
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="chart paths" role="img" aria-label="critical paths of the dependency graph" viewBox="0 0 {width:.0} {height:.0}" width="100%" style="max-width:{width:.0}px" xmlns="http://www.w3.org/2000/svg">"##
    );
    // Edges first, under the boxes; to the nearest drawn ancestor.
    for i in 1..n {
        let Some((x2, y2)) = pos(i) else { continue };
        let mut anc = p.nodes[i].parent;
        let mut skipped = false;
        while let Some(a) = anc {
            if pos(a).is_some() {
                break;
            }
            skipped = true;
            anc = p.nodes.get(a).and_then(|x| x.parent);
        }
        let Some((x1, y1)) = anc.and_then(pos) else {
            continue;
        };
        let _ = write!(
            s,
            r##"<path d="M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="none" stroke="#718096" stroke-width="1.5"{}/>"##,
            x1 + box_w,
            y1 + box_h / 2.0,
            x1 + box_w + 12.0,
            y1 + box_h / 2.0,
            x2 - 12.0,
            y2 + box_h / 2.0,
            x2,
            y2 + box_h / 2.0,
            if skipped {
                r##" stroke-dasharray="4 3""##
            } else {
                ""
            }
        );
    }
    for (i, node) in p.nodes.iter().enumerate() {
        let Some((x, yy)) = pos(i) else { continue };
        let fill = if node.parent.is_none() {
            colors::ROOT
        } else {
            exposure_fill(node.exposure)
        };
        let sub = if node.parent.is_none() {
            "product".to_string()
        } else {
            format!(
                "w {:.2} · x {:.2} · {}",
                node.weight,
                node.exposure,
                node.country.as_deref().unwrap_or("??")
            )
        };
        let _ = write!(
            s,
            r##"<g><title>{} ({})</title><rect x="{x:.1}" y="{yy:.1}" width="{box_w}" height="{box_h}" rx="4" fill="{fill}" stroke="{}" stroke-width="{}"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#fff" font-weight="600">{}</text><text x="{:.1}" y="{:.1}" font-size="10" fill="#fff">{}</text></g>"##,
            escape(&node.label),
            escape(node.bom_ref.as_deref().unwrap_or("document")),
            if node.target { "#1a202c" } else { "none" },
            if node.target { 2 } else { 0 },
            x + 6.0,
            yy + 14.0,
            escape(&cut(&node.label, 19)),
            x + 6.0,
            yy + 27.0,
            escape(&sub),
        );
    }
    s.push_str("</svg>");
    s
}

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

/// One product's section.
pub fn section(
    r: &Report<'_>,
    paths: Option<&CriticalPaths>,
    policy: Option<&Evaluation>,
) -> String {
    let mut o = String::new();
    let title = r.document.name.as_deref().unwrap_or(&r.file);
    let _ = write!(
        o,
        r##"<section class="product"><h1>Supply-disruption risk dossier: {}</h1>"##,
        escape(title)
    );
    o.push_str(r##"<table class="meta"><tbody>"##);
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
        (
            "Tool",
            format!("{} {}", r.tool.name, escape(r.tool.version)),
        ),
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
        let _ = write!(o, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    o.push_str("</tbody></table>");
    let _ = write!(
        o,
        r##"<p>Rating: <span class="badge rating-{}">{}</span> risk index <strong>{:.1}</strong>/100. Set by: {}.</p>"##,
        r.rating.as_str(),
        r.rating.as_str().to_uppercase(),
        r.risk_index,
        escape(&r.rating_reason)
    );
    if let Some(ev) = policy {
        section_policy(&mut o, ev);
    }

    // Scores.
    o.push_str("<h2>Scores</h2><table><thead><tr><th>score</th><th class=\"num\">value</th><th></th><th>range over unknown origin</th><th>direction</th></tr></thead><tbody>");
    let s = &r.scores;
    for (name, score, worse_high) in [
        ("origin_diversity", &s.origin_diversity, false),
        ("single_vendor_reliance", &s.single_vendor_reliance, true),
        ("political_exposure", &s.political_exposure, true),
        ("continuity", &s.continuity, false),
        ("transparency", &s.transparency, false),
    ] {
        let badness = if worse_high {
            score.value / 100.0
        } else {
            1.0 - score.value / 100.0
        };
        let _ = write!(
            o,
            "<tr><td><code>{name}</code></td><td class=\"num\">{:.1}</td><td>{}</td><td class=\"small\">{}</td><td class=\"small\">{}</td></tr>",
            score.value,
            cell_bar(score.value / 100.0, exposure_fill(badness)),
            score.bounds.map_or("—".to_string(), |b| format!("{:.1} (best) to {:.1} (worst)", b.best, b.worst)),
            escape(score.direction)
        );
    }
    o.push_str("</tbody></table>");

    // Origin countries.
    let _ = write!(
        o,
        "<h2>Origin countries</h2><figure>{}<figcaption>Weighted share of the product by origin country; exposure for a {} buyer from the pair card.</figcaption></figure>",
        bar_chart(
            "origin countries by weighted share",
            &r.countries
                .iter()
                .take(15)
                .map(|c| {
                    (
                        match (&c.country, &c.name) {
                            (Some(cc), Some(n)) => format!("{cc} {n}"),
                            (Some(cc), None) => cc.clone(),
                            _ => "unknown origin".to_string(),
                        },
                        c.share,
                        format!("{} · {} comp. · exposure {:.2}", pct(c.share), c.components, c.exposure),
                        if c.country.is_some() { colors::COUNTRY } else { colors::OTHERS },
                    )
                })
                .collect::<Vec<_>>()
        ),
        escape(&r.buyer)
    );
    // Vendors: the top ten and the rest together.
    const TOP_VENDORS: usize = 10;
    let mut vrows: Vec<(String, f64, String, &str)> = r
        .vendors
        .iter()
        .take(TOP_VENDORS)
        .map(|v| {
            (
                v.name.clone(),
                v.share,
                format!(
                    "{} · {}{}{}",
                    pct(v.share),
                    v.country.as_deref().unwrap_or("??"),
                    match v.country_basis {
                        Some(b) if v.country.is_some() && b != "headquarters" => format!(" ({b})"),
                        _ => String::new(),
                    },
                    if v.measures.is_empty() {
                        String::new()
                    } else {
                        format!(" · {} measure(s)", v.measures.len())
                    }
                ),
                colors::VENDOR,
            )
        })
        .collect();
    if r.vendors.len() > TOP_VENDORS {
        let rest = &r.vendors[TOP_VENDORS..];
        let share: f64 = rest.iter().map(|v| v.share).sum();
        vrows.push((
            format!("{} other vendors", rest.len()),
            share,
            pct(share),
            colors::OTHERS,
        ));
    }
    let unknown: f64 = r
        .scores
        .single_vendor_reliance
        .inputs
        .get("unknown_vendor_share")
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(0.0);
    if unknown > 0.0 {
        vrows.push((
            "unknown vendor".to_string(),
            unknown,
            pct(unknown),
            colors::OTHERS,
        ));
    }
    let _ = write!(
        o,
        "<h2>Vendor concentration</h2><figure>{}<figcaption>Weighted share of the product by vendor.</figcaption></figure>",
        bar_chart("vendor concentration", &vrows)
    );
    // Scenarios.
    o.push_str("<h2>Supply-cut scenarios</h2><p class=\"small\">Lost: supply taken away, code and all (proprietary software, firmware, hardware, undeclared licences). Degraded: published source whose upstream is cut; its code stays. Impact = lost + degraded weight &times; degraded.</p><table class=\"scenarios\"><thead><tr><th>scenario</th><th>impact</th><th class=\"num\"></th><th class=\"num\">lost</th><th class=\"num\">degraded</th><th class=\"num\">if unknown origin came from here</th><th class=\"num\">removed</th><th class=\"num\">degraded</th><th class=\"num\">affected</th><th class=\"num\">unknown origin</th></tr></thead><tbody>");
    for sc in &r.scenarios {
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&sc.name),
            cell_bar(sc.impact, colors::SCENARIO),
            pct(sc.impact),
            pct(sc.product_share_lost),
            pct(sc.product_share_degraded),
            sc.impact_if_unknown_here.map_or("—".to_string(), pct),
            sc.removed_components.len(),
            sc.degraded_components.len(),
            sc.affected_components.len(),
            sc.unknown_components.len()
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
        r.findings.len()
    );
    for f in &r.findings {
        let ev: Vec<String> = f
            .evidence
            .iter()
            .map(|e| format!("<li>{}</li>", escape(e)))
            .collect();
        let shown: Vec<String> = f.components.iter().take(10).map(|c| escape(c)).collect();
        let more = if f.components_total > shown.len() {
            format!(" and {} more", f.components_total - shown.len())
        } else {
            String::new()
        };
        let _ = write!(
            o,
            "<tr class=\"finding\"><td><span class=\"badge {}\">{}</span></td><td><strong>{}</strong> <span class=\"muted small\">Art. {} {}</span><br>{}<div class=\"small muted\">{} component(s), {} by weight: {}{more}</div></td><td><ul class=\"evidence small\">{}</ul></td><td class=\"small\">{}</td></tr>",
            sev_class(f.severity),
            f.severity.as_str().to_uppercase(),
            f.id,
            f.factor.article,
            f.factor.clause,
            escape(&f.title),
            f.components_total,
            pct(f.share),
            shown.join(", "),
            ev.concat(),
            escape(&f.mitigation)
        );
    }
    o.push_str("</tbody></table>");

    o.push_str("<h2>Pair cards of the origin countries</h2><table><thead><tr><th>country</th><th class=\"num\">share</th><th class=\"num\">exposure</th><th>pair card (non-empty rows)</th></tr></thead><tbody>");
    for c in &r.countries {
        let rows: Vec<String> = c
            .card
            .iter()
            .flat_map(|card| &card.rows)
            .filter(|row| row.value != "none")
            .map(|row| {
                format!(
                    "<li><code>{}</code> = <strong>{}</strong> (weight {}): {}</li>",
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
            format!("<ul class=\"evidence small\">{}</ul>", rows.concat())
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td>{card}</td></tr>",
            opt(c.country.as_deref()),
            pct(c.share),
            c.exposure
        );
    }
    o.push_str("</tbody></table>");

    let measured: Vec<_> = r
        .vendors
        .iter()
        .filter(|v| !v.measures.is_empty())
        .collect();
    if !measured.is_empty() {
        o.push_str("<h2>Measures naming the vendors</h2><table><thead><tr><th>vendor</th><th>measures of the buyer's authorities</th></tr></thead><tbody>");
        for v in measured {
            let ms: Vec<String> = v
                .measures
                .iter()
                .map(|m| format!("<li>{}</li>", escape(&m.detail)))
                .collect();
            let _ = write!(
                o,
                "<tr><td>{}</td><td><ul class=\"evidence small\">{}</ul></td></tr>",
                escape(&v.name),
                ms.concat()
            );
        }
        o.push_str("</tbody></table>");
    }

    // Completeness.
    o.push_str("<h2>SBOM completeness</h2><table><thead><tr><th>profile</th><th class=\"num\">score</th><th></th></tr></thead><tbody>");
    for c in &r.completeness {
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(c.title),
            pct(c.score),
            cell_bar(c.score, colors::COUNTRY)
        );
    }
    o.push_str("</tbody></table>");

    // Components.
    let comps = by_weight(r);
    let _ = write!(
        o,
        "<h2>Components (heaviest {} of {})</h2><table class=\"components small\"><thead><tr><th>ref</th><th>name</th><th>version</th><th>vendor</th><th>country</th><th>channel</th><th class=\"num\">weight</th><th class=\"num\">exposure</th><th class=\"num\">contribution</th></tr></thead><tbody>",
        comps.len().min(MAX_COMPONENT_ROWS),
        comps.len()
    );
    for c in comps.iter().take(MAX_COMPONENT_ROWS) {
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td><td class=\"num\">{}</td></tr>",
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
    o.push_str("</tbody></table>");
    if comps.len() > MAX_COMPONENT_ROWS {
        let _ = write!(
            o,
            "<p class=\"muted\">{} more component(s) not shown (<code>--format csv</code> lists all).</p>",
            comps.len() - MAX_COMPONENT_ROWS
        );
    }
    o.push_str("</section>");
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
<style>{CSS}</style>
</head>
<body>
{body}
<footer>Generated by sbomrisk {} (Article 10 factors 2 and 3 of the Cybersecurity Review Measures). Scores, formulas and findings: docs/scoring.md.</footer>
</body>
</html>
"##,
        escape(crate::VERSION),
        escape(title),
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
    fn product(&mut self, p: &Product<'_, '_>) -> Result<(), ReportError> {
        let r = p.report;
        self.titles
            .push(r.document.name.clone().unwrap_or_else(|| r.file.clone()));
        self.body.push_str(&section(r, p.paths, p.policy));
        Ok(())
    }
    fn failure(&mut self, file: &str, error: &str) {
        let _ = write!(
            self.body,
            "<section class=\"product\"><h1>{}: not analysed</h1><p>{}</p></section>",
            escape(file),
            escape(error)
        );
    }
    fn finish(self: Box<Self>) -> Result<String, ReportError> {
        let title = match self.titles.as_slice() {
            [one] => format!("sbomrisk dossier: {one}"),
            more => format!("sbomrisk dossier: {} products", more.len()),
        };
        Ok(document(&title, &self.body))
    }
}

/// The portfolio summary as one self-contained page (`portfolio --format html`): origin
/// countries and vendors across the products as bar charts, the riskiest products with a bar per
/// risk index, the policy verdicts and the unreadable SBOMs. `meta` is the run's line (tool,
/// data, profile, buyer, date).
pub fn portfolio_page(
    meta: &str,
    agg: &crate::score::portfolio::Aggregate,
    errors: &[crate::score::portfolio::ProductError],
) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<section><h1>Portfolio supply-risk summary</h1><p class=\"meta\">{} product(s), {} error(s). {}</p>",
        agg.products,
        agg.errors,
        escape(meta)
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
    let _ = write!(o, "<p>Ratings: {}.</p>", escape(&agg.ratings_line()));
    let countries: Vec<(String, f64, String, &str)> = agg
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
    let vendors: Vec<(String, f64, String, &str)> = agg
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
            "<tr><td>{}</td><td>{:.1}</td><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.rating),
            r.risk_index,
            cell_bar(r.risk_index / 100.0, exposure_fill(r.risk_index / 100.0)),
            r.political_exposure,
            r.single_vendor_reliance,
            escape(&r.product),
            escape(&r.path)
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
            let _ = write!(o, "<li>{}</li>", escape(p));
        }
        o.push_str("</ul>");
    }
    if !errors.is_empty() {
        o.push_str("<h2>SBOMs that could not be read</h2><ul>");
        for e in errors {
            let _ = write!(o, "<li>{}: {}</li>", escape(&e.path), escape(&e.error));
        }
        o.push_str("</ul>");
    }
    o.push_str("</section>");
    document("Portfolio supply-risk summary", &o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::{with_report, HOSTILE};

    #[test]
    fn escape_covers_text_and_attributes() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escape(r##"x" onmouseover="a" y='b'"##),
            "x&quot; onmouseover=&quot;a&quot; y=&#39;b&#39;"
        );
        assert_eq!(escape("a & b"), "a &amp; b");
        assert_eq!(escape("bell\u{7}"), "bell\u{fffd}");
    }

    #[test]
    fn deep_paths_keep_the_first_and_last_levels_and_dash_across() {
        use crate::report::paths::PathNode;
        let node = |d: usize| PathNode {
            bom_ref: Some(format!("c{d}")),
            label: format!("c{d}"),
            depth: d,
            parent: d.checked_sub(1),
            weight: 1.0,
            exposure: 0.6,
            country: None,
            target: d == 20,
        };
        let p = CriticalPaths {
            nodes: (0..=20).map(node).collect(),
        };
        let svg = paths_svg(&p);
        // Levels 0-2 and 12-20 are drawn: 12 boxes, 11 edges, one of them dashed.
        assert_eq!(svg.matches("<rect").count(), 12);
        assert_eq!(svg.matches("<path").count(), 11);
        assert_eq!(svg.matches("stroke-dasharray").count(), 1);
        assert!(svg.contains(">c2<") && svg.contains(">c12<") && !svg.contains(">c11<"));
        assert!(paths_svg(&CriticalPaths::default()).is_empty());
    }

    #[test]
    fn cut_counts_characters() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("äöü", 3), "äöü");
    }

    fn html(doc: &str) -> String {
        let sbom = crate::ingest::ingest_bytes("fixture.cdx.json", doc.as_bytes()).unwrap();
        let g = crate::graph::build(&sbom);
        with_report(doc, |r| {
            let paths = CriticalPaths::compute(&sbom, &g, r, 10);
            let mut w: Box<dyn Writer> = Box::<HtmlWriter>::default();
            w.product(&Product {
                report: r,
                paths: Some(&paths),
                policy: None,
            })
            .unwrap();
            w.failure("<b>bad</b>.json", "bad <input>");
            w.finish().unwrap()
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
        let h = html(crate::report::testutil::ROUTER);
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
    }
}
