//! Graph export: Graphviz DOT and a JSON node/edge list.

use super::{DependencyGraph, Edge, Node};
use crate::model::Sbom;
use petgraph::visit::EdgeRef;
use serde_json::json;
use std::fmt::Write;

fn node_id(g: &DependencyGraph, n: petgraph::graph::NodeIndex, sbom: &Sbom) -> String {
    match g.graph[n] {
        Node::Component(id) => sbom.component(id).bom_ref.clone(),
        Node::Document => "sbomrisk:document".to_string(),
    }
}

fn label(g: &DependencyGraph, n: petgraph::graph::NodeIndex, sbom: &Sbom) -> String {
    match g.graph[n] {
        Node::Component(id) => {
            let c = sbom.component(id);
            match &c.version {
                Some(v) => format!("{}@{}", c.name, v),
                None => c.name.clone(),
            }
        }
        Node::Document => sbom
            .document
            .name
            .clone()
            .unwrap_or_else(|| "(document)".to_string()),
    }
}

/// A DOT string body: quotes and backslashes escaped, a line break as `\n`; control
/// characters (a terminal escape when the graph is printed) and bidi controls (which reorder
/// what a viewer shows) become U+FFFD.
fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if crate::report::unsafe_on_terminal(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Graphviz DOT: one node per component, dashed edges for inferred ones, boxes for roots.
pub fn to_dot(g: &DependencyGraph, sbom: &Sbom) -> String {
    let mut out =
        String::from("digraph sbom {\n  rankdir=LR;\n  node [shape=ellipse, fontsize=10];\n");
    for n in g.graph.node_indices() {
        let shape = match g.graph[n] {
            Node::Component(id) if sbom.component(id).role == crate::model::Role::Root => {
                " shape=box"
            }
            Node::Document => " shape=box style=dashed",
            _ => "",
        };
        let _ = writeln!(
            out,
            "  \"{}\" [label=\"{}\"{shape}];",
            dot_escape(&node_id(g, n, sbom)),
            dot_escape(&label(g, n, sbom))
        );
    }
    for e in g.graph.edge_references() {
        let w = e.weight();
        let mut attrs = vec![format!("label=\"{}\"", kind_name(w.kind))];
        if w.inferred {
            attrs.push("style=dashed".into());
        }
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [{}];",
            dot_escape(&node_id(g, e.source(), sbom)),
            dot_escape(&node_id(g, e.target(), sbom)),
            attrs.join(", ")
        );
    }
    out.push_str("}\n");
    out
}

fn kind_name(k: crate::model::RelationKind) -> &'static str {
    match k {
        crate::model::RelationKind::DependsOn => "depends-on",
        crate::model::RelationKind::Contains => "contains",
        crate::model::RelationKind::Describes => "describes",
        crate::model::RelationKind::Other => "other",
    }
}

/// The graph as pretty JSON, written node by node and edge by edge (no document tree: at a
/// million components the tree took 4 GB): the bytes `serde_json::to_string_pretty` gives for
/// [`to_json`], then a line break. Keys in alphabetical order, as that tree has them.
pub fn write_json<W: std::io::Write>(
    out: &mut W,
    g: &DependencyGraph,
    sbom: &Sbom,
) -> std::io::Result<()> {
    use crate::jsonfmt::write_pretty;
    fn array<W: std::io::Write, T: serde::Serialize>(
        out: &mut W,
        items: impl Iterator<Item = T>,
    ) -> std::io::Result<()> {
        let mut first = true;
        for item in items {
            out.write_all(if first { b"[\n    " } else { b",\n    " })?;
            first = false;
            write_pretty(out, 2, &item)?;
        }
        out.write_all(if first { b"[]" } else { b"\n  ]" })
    }
    let refs = |ids: &[crate::model::ComponentId]| {
        ids.iter()
            .map(|id| sbom.component(*id).bom_ref.as_str())
            .collect::<Vec<_>>()
    };
    out.write_all(b"{\n  \"cycles\": ")?;
    let cycles: Vec<Vec<&str>> = g.cycles.iter().map(|c| refs(c)).collect();
    write_pretty(out, 1, &cycles)?;
    out.write_all(b",\n  \"edges\": ")?;
    array(
        out,
        g.graph.edge_references().map(|e| edge_json(g, sbom, e)),
    )?;
    out.write_all(b",\n  \"nodes\": ")?;
    array(out, g.graph.node_indices().map(|n| node_json(g, sbom, n)))?;
    out.write_all(b",\n  \"root\": ")?;
    write_pretty(out, 1, &node_id(g, g.root, sbom))?;
    out.write_all(b",\n  \"unreachable\": ")?;
    write_pretty(out, 1, &refs(&g.unreachable))?;
    out.write_all(b"\n}\n")
}

fn node_json(g: &DependencyGraph, sbom: &Sbom, n: petgraph::graph::NodeIndex) -> serde_json::Value {
    match g.graph[n] {
        Node::Component(id) => {
            let c = sbom.component(id);
            json!({
                "ref": c.bom_ref, "name": c.name, "version": c.version,
                "type": c.kind.as_str(), "purl": c.purl, "role": c.role,
            })
        }
        Node::Document => {
            json!({"ref": "sbomrisk:document", "name": label(g, n, sbom), "role": "document"})
        }
    }
}

fn edge_json(
    g: &DependencyGraph,
    sbom: &Sbom,
    e: petgraph::graph::EdgeReference<'_, Edge>,
) -> serde_json::Value {
    let w = e.weight();
    let source_type = w
        .relation
        .map(|i| sbom.source_type(&sbom.relations[i as usize]).to_string());
    json!({
        "from": node_id(g, e.source(), sbom),
        "to": node_id(g, e.target(), sbom),
        "kind": kind_name(w.kind),
        "source_type": source_type,
        "inferred": w.inferred,
    })
}

/// JSON: `{"root": ref, "nodes": [...], "edges": [{"from","to","kind","source_type","inferred"}]}`.
pub fn to_json(g: &DependencyGraph, sbom: &Sbom) -> serde_json::Value {
    let nodes: Vec<_> = g
        .graph
        .node_indices()
        .map(|n| node_json(g, sbom, n))
        .collect();
    let edges: Vec<_> = g
        .graph
        .edge_references()
        .map(|e| edge_json(g, sbom, e))
        .collect();
    json!({
        "root": node_id(g, g.root, sbom),
        "nodes": nodes,
        "edges": edges,
        "unreachable": g.unreachable.iter().map(|id| sbom.component(*id).bom_ref.clone()).collect::<Vec<_>>(),
        "cycles": g.cycles.iter().map(|c| c.iter().map(|id| sbom.component(*id).bom_ref.clone()).collect::<Vec<_>>()).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::dot_escape;

    /// The streamed JSON is, byte for byte, the pretty-printed document tree, on every example
    /// and fixture (cycles, unreachable components, inferred edges, a document node).
    #[test]
    fn streamed_json_is_the_pretty_tree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut n = 0;
        for dir in ["sboms", "tests/fixtures"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
                let Ok(sbom) = crate::ingest::ingest_path(&e.path()) else {
                    continue;
                };
                let g = crate::graph::build(&sbom);
                let mut streamed = Vec::new();
                super::write_json(&mut streamed, &g, &sbom).unwrap();
                let tree = serde_json::to_string_pretty(&super::to_json(&g, &sbom)).unwrap() + "\n";
                assert_eq!(
                    String::from_utf8(streamed).unwrap(),
                    tree,
                    "{}",
                    e.path().display()
                );
                n += 1;
            }
        }
        assert!(n >= 10, "{n} documents");
    }

    #[test]
    fn dot_labels_keep_quotes_and_lose_escapes_and_bidi_controls() {
        assert_eq!(dot_escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(
            dot_escape("x\u{1b}]0;pwned\u{7}\u{202e}gnp\u{2066}"),
            "x\u{fffd}]0;pwned\u{fffd}\u{fffd}gnp\u{fffd}"
        );
    }
}
