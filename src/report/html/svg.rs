//! The inline SVG charts of the HTML reports: horizontal bar charts, the bar of a table cell and
//! the critical paths of the dependency graph. Labels are never cut: a label wider than its
//! column wraps onto more lines, and the row grows to hold them.

use super::{colors, escape};
use crate::report::CriticalPaths;
use std::fmt::Write;

/// One bar of [`bar_chart`]: its label, its value in [0, 1], the note after the bar, its fill.
pub type Bar<'c> = (String, f64, String, &'c str);

/// Columns an average character of a label takes: 2 for East Asian wide and fullwidth
/// characters, 1 otherwise (a width estimate for breaking lines, not a font metric).
fn columns(c: char) -> usize {
    match u32::from(c) {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// A label as lines of at most `max` columns: broken after a space or after `-`, `/`, `_`,
/// `.`, `:`, `@`, and anywhere within a piece longer than a line. Every character is kept.
pub fn wrap_label(label: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    // Pieces end at a break opportunity (the breaking character stays with its piece).
    let mut pieces: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in label.char_indices() {
        if matches!(c, ' ' | '-' | '/' | '_' | '.' | ':' | '@') {
            let end = i + c.len_utf8();
            pieces.push(&label[start..end]);
            start = end;
        }
    }
    if start < label.len() {
        pieces.push(&label[start..]);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut col = 0;
    for piece in pieces {
        if col == 0 && piece.trim().is_empty() {
            continue;
        }
        let w: usize = piece.chars().map(columns).sum();
        let w_trimmed: usize = piece.trim_end().chars().map(columns).sum();
        if col > 0 && col + w_trimmed > max {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            col = 0;
            if piece.trim().is_empty() {
                continue;
            }
        }
        if w_trimmed <= max {
            line.push_str(piece);
            col += w;
            continue;
        }
        for c in piece.chars() {
            let cw = columns(c);
            if col > 0 && col + cw > max {
                lines.push(std::mem::take(&mut line));
                col = 0;
            }
            line.push(c);
            col += cw;
        }
    }
    let last = line.trim_end();
    if !last.is_empty() || lines.is_empty() {
        lines.push(last.to_string());
    }
    lines
}

/// `<tspan>` lines at `x`, the first at the text's `y`, then one every `step` pixels.
fn tspans(lines: &[String], x: f64, step: f64) -> String {
    let mut s = String::new();
    for (i, line) in lines.iter().enumerate() {
        let _ = write!(
            s,
            r##"<tspan x="{x:.1}" dy="{}">{}</tspan>"##,
            if i == 0 { 0.0 } else { step },
            escape(line)
        );
    }
    s
}

/// A horizontal bar chart; a long label wraps in its column and its row grows.
pub fn bar_chart(title: &str, rows: &[Bar<'_>]) -> String {
    const LABEL_W: f64 = 230.0;
    const BAR_W: f64 = 300.0;
    /// Label columns at font size 12 in the label column.
    const LABEL_COLS: usize = 34;
    const LINE: f64 = 14.0;
    let laid: Vec<(Vec<String>, f64)> = rows
        .iter()
        .map(|(label, ..)| {
            let lines = wrap_label(label, LABEL_COLS);
            let block = 16.0 + (lines.len().saturating_sub(1)) as f64 * LINE;
            (lines, block)
        })
        .collect();
    let h: f64 = 10.0 + laid.iter().map(|(_, block)| block + 8.0).sum::<f64>();
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="chart" role="img" aria-label="{}" viewBox="0 0 800 {h:.0}" width="100%" style="max-width:800px" xmlns="http://www.w3.org/2000/svg">"##,
        escape(title)
    );
    let mut y = 5.0;
    for ((label, v, note, fill), (lines, block)) in rows.iter().zip(&laid) {
        let mid = y + block / 2.0;
        let w = (v.clamp(0.0, 1.0) * BAR_W).max(if *v > 0.0 { 1.0 } else { 0.0 });
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="12">{}</text><rect x="{LABEL_W}" y="{:.1}" width="{BAR_W}" height="16" fill="#edf2f7"/><rect x="{LABEL_W}" y="{:.1}" width="{w:.1}" height="16" fill="{fill}"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}" font-size="12">{}</text>"##,
            LABEL_W - 6.0,
            mid + 5.0 - (lines.len().saturating_sub(1)) as f64 * LINE / 2.0,
            tspans(lines, LABEL_W - 6.0, LINE),
            mid - 8.0,
            mid - 8.0,
            escape(label),
            escape(note),
            LABEL_W + BAR_W + 6.0,
            mid + 5.0,
            escape(note),
        );
        y += block + 8.0;
    }
    s.push_str("</svg>");
    s
}

/// A single bar for a table cell.
pub fn cell_bar(v: f64, fill: &str) -> String {
    format!(
        r##"<svg viewBox="0 0 160 14" width="160" height="14" xmlns="http://www.w3.org/2000/svg"><rect x="0" y="1" width="160" height="12" fill="#edf2f7"/><rect x="0" y="1" width="{:.1}" height="12" fill="{fill}"/></svg>"##,
        v.clamp(0.0, 1.0) * 160.0
    )
}

/// The colour of an exposure (or of how bad a score is), in [0, 1].
pub fn exposure_fill(x: f64) -> &'static str {
    if x >= 0.5 {
        colors::HIGH
    } else if x >= 0.2 {
        colors::MEDIUM
    } else {
        colors::LOW
    }
}

/// Label columns (font size 11) in a box of the critical paths.
const PATH_LABEL_COLS: usize = 22;

/// The critical paths as a layered tree: one column per depth, the root on the left. A node's
/// label wraps inside its box, whole; the rows are as tall as the tallest box.
pub fn paths_svg(p: &CriticalPaths) -> String {
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
    const LINE: f64 = 13.0;
    let labels: Vec<Vec<String>> = p
        .nodes
        .iter()
        .map(|node| wrap_label(&node.label, PATH_LABEL_COLS))
        .collect();
    let box_h = |i: usize| 21.0 + labels[i].len() as f64 * LINE;
    let tallest = (0..n)
        .filter(|i| col(p.nodes[*i].depth).is_some())
        .map(box_h)
        .fold(34.0, f64::max);
    let (box_w, col_w, row_h) = (180.0, 205.0, tallest + 10.0);
    let cols = (0..=max_depth).filter_map(col).max().unwrap_or(0) + 1;
    let width = 20.0 + cols as f64 * col_w;
    let height = 20.0 + next_leaf.max(1.0) * row_h;
    // The top left corner of a drawn box; boxes are centred on their row.
    let pos = |i: usize| -> Option<(f64, f64)> {
        col(p.nodes[i].depth).map(|c| {
            (
                10.0 + c as f64 * col_w,
                10.0 + y[i] * row_h + (tallest - box_h(i)) / 2.0,
            )
        })
    };
    let mid = |i: usize, top: f64| top + box_h(i) / 2.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="chart paths" role="img" aria-label="critical paths of the dependency graph" viewBox="0 0 {width:.0} {height:.0}" width="100%" style="max-width:{width:.0}px" xmlns="http://www.w3.org/2000/svg">"##
    );
    // Edges first, under the boxes; to the nearest drawn ancestor.
    for i in 1..n {
        let Some((x2, top2)) = pos(i) else { continue };
        let mut anc = p.nodes[i].parent;
        let mut skipped = false;
        while let Some(a) = anc {
            if pos(a).is_some() {
                break;
            }
            skipped = true;
            anc = p.nodes.get(a).and_then(|x| x.parent);
        }
        let Some((a, (x1, top1))) = anc.and_then(|a| pos(a).map(|p| (a, p))) else {
            continue;
        };
        let (y1, y2) = (mid(a, top1), mid(i, top2));
        let _ = write!(
            s,
            r##"<path d="M{:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}" fill="none" stroke="#718096" stroke-width="1.5"{}/>"##,
            x1 + box_w,
            x1 + box_w + 12.0,
            x2 - 12.0,
            if skipped {
                r##" stroke-dasharray="4 3""##
            } else {
                ""
            }
        );
    }
    for (i, node) in p.nodes.iter().enumerate() {
        let Some((x, top)) = pos(i) else { continue };
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
            r##"<g><title>{} ({})</title><rect x="{x:.1}" y="{top:.1}" width="{box_w}" height="{:.1}" rx="4" fill="{fill}" stroke="{}" stroke-width="{}"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#fff" font-weight="600">{}</text><text x="{:.1}" y="{:.1}" font-size="10" fill="#fff">{}</text></g>"##,
            escape(&node.label),
            escape(node.bom_ref.as_deref().unwrap_or("document")),
            box_h(i),
            if node.target { "#1a202c" } else { "none" },
            if node.target { 2 } else { 0 },
            x + 6.0,
            top + 14.0,
            tspans(&labels[i], x + 6.0, LINE),
            x + 6.0,
            top + 14.0 + labels[i].len() as f64 * LINE,
            escape(&sub),
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_whole() {
        assert_eq!(wrap_label("short", 10), ["short"]);
        assert_eq!(
            wrap_label("The Linux Foundation Europe", 12),
            ["The Linux", "Foundation", "Europe"]
        );
        assert_eq!(
            wrap_label("pkg:npm/@scope/very-long-name", 12),
            ["pkg:npm/@", "scope/very-", "long-name"]
        );
        // No break opportunity: broken anywhere; every character is kept.
        assert_eq!(wrap_label("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        // Wide characters take two columns.
        assert_eq!(wrap_label("中华人民共和国", 6), ["中华人", "民共和", "国"]);
        assert_eq!(wrap_label("", 5), [""]);
        for (label, max) in [
            ("linux-firmware 20240115-amd64 and more text", 7),
            ("a  b", 1),
        ] {
            let joined: String = wrap_label(label, max).concat();
            assert_eq!(joined.replace(' ', ""), label.replace(' ', ""), "{label}");
        }
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
    fn a_long_path_label_is_drawn_whole() {
        use crate::report::paths::PathNode;
        let label = "org.example.networking:very-long-artifact-name-with-parts 1.2.3-SNAPSHOT";
        let p = CriticalPaths {
            nodes: vec![
                PathNode {
                    bom_ref: None,
                    label: "product".into(),
                    depth: 0,
                    parent: None,
                    weight: 0.0,
                    exposure: 0.0,
                    country: None,
                    target: false,
                },
                PathNode {
                    bom_ref: Some("x".into()),
                    label: label.into(),
                    depth: 1,
                    parent: Some(0),
                    weight: 1.0,
                    exposure: 0.1,
                    country: Some("DE".into()),
                    target: true,
                },
            ],
        };
        let svg = paths_svg(&p);
        assert!(!svg.contains('…'));
        let drawn: String = wrap_label(label, PATH_LABEL_COLS).concat();
        assert_eq!(drawn.replace(' ', ""), label.replace(' ', ""));
        for line in wrap_label(label, PATH_LABEL_COLS) {
            assert!(
                svg.contains(&format!(">{}</tspan>", escape(&line))),
                "{line}"
            );
        }
    }
}
