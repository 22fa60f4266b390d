//! Graph export: Graphviz DOT and a JSON node/edge list.

use super::{DependencyGraph, Node};
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

/// JSON: `{"root": ref, "nodes": [...], "edges": [{"from","to","kind","source_type","inferred"}]}`.
pub fn to_json(g: &DependencyGraph, sbom: &Sbom) -> serde_json::Value {
    let nodes: Vec<_> = g
        .graph
        .node_indices()
        .map(|n| match g.graph[n] {
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
        })
        .collect();
    let edges: Vec<_> = g
        .graph
        .edge_references()
        .map(|e| {
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
        })
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

    #[test]
    fn dot_labels_keep_quotes_and_lose_escapes_and_bidi_controls() {
        assert_eq!(dot_escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(
            dot_escape("x\u{1b}]0;pwned\u{7}\u{202e}gnp\u{2066}"),
            "x\u{fffd}]0;pwned\u{fffd}\u{fffd}gnp\u{fffd}"
        );
    }
}
