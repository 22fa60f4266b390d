//! The dependency graph of one SBOM, in petgraph.
//!
//! Node `i` is component `ComponentId(i)`; when a document has several roots (an SPDX document
//! that DESCRIBES several packages) one more node, the *document node*, holds them together so
//! every analysis has a single entry point. Edges point from consumer/container to supplier/part.
//!
//! Structural findings (cycles, unreachable components, inferred root edges) are returned as
//! diagnostics; they never fail the build.
//!
//! Architecture invariant: the graph reads the model and nothing else; it knows no format.

pub mod csr;
mod export;

pub use export::{to_dot, to_json, write_json};

use crate::model::{
    ComponentId, Diagnostic, DiagnosticCode, RelationKind, Role, Sbom, MAX_DIAGNOSTICS_PER_CODE,
};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::Bfs;
use petgraph::Direction;
use serde::Serialize;

/// What an edge carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub kind: RelationKind,
    /// Added by the tool (flat SBOM root edges, document-node edges), not read from the document.
    pub inferred: bool,
    /// Index into `Sbom::relations` for edges read from the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<u32>,
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Node {
    Component(ComponentId),
    /// The synthetic node above several roots.
    Document,
}

/// The dependency graph and what was learned building it.
#[derive(Debug, Clone)]
pub struct DependencyGraph {
    pub graph: DiGraph<Node, Edge, u32>,
    /// The single entry point: the only root, or the document node.
    pub root: NodeIndex,
    /// Edges read from the document that count as supply edges (depends-on and contains).
    pub document_edges: usize,
    /// Edges the tool inferred.
    pub inferred_edges: usize,
    /// Components not reachable from the root (after inference).
    pub unreachable: Vec<ComponentId>,
    /// Strongly connected components of more than one node (or a self-loop).
    pub cycles: Vec<Vec<ComponentId>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl DependencyGraph {
    /// The node of a component.
    pub fn node(&self, id: ComponentId) -> NodeIndex {
        NodeIndex::new(id.index())
    }

    /// The component of a node, `None` for the document node.
    pub fn component(&self, node: NodeIndex) -> Option<ComponentId> {
        match self.graph[node] {
            Node::Component(id) => Some(id),
            Node::Document => None,
        }
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Direct suppliers/parts of a component.
    pub fn children(&self, id: ComponentId) -> impl Iterator<Item = ComponentId> + '_ {
        self.graph
            .neighbors_directed(self.node(id), Direction::Outgoing)
            .filter_map(|n| self.component(n))
    }
}

/// Builds the graph of `sbom`. Supply edges are depends-on and contains; DESCRIBES and other
/// relations are left out of the graph (they stay in `sbom.relations`).
///
/// When the root has no outgoing supply edge (a flat SBOM, or one whose `dependencies` never
/// mention the product), the root gets an inferred edge to every component nothing else points
/// to, and an I005 note says so.
pub fn build(sbom: &Sbom) -> DependencyGraph {
    let n = sbom.components.len();
    let mut graph: DiGraph<Node, Edge, u32> =
        DiGraph::with_capacity(n + 1, sbom.relations.len() + 8);
    for (id, _) in sbom.iter() {
        graph.add_node(Node::Component(id));
    }
    let mut document_edges = 0;
    for (i, r) in sbom.relations.iter().enumerate() {
        if matches!(r.kind, RelationKind::DependsOn | RelationKind::Contains) {
            graph.add_edge(
                NodeIndex::new(r.from.index()),
                NodeIndex::new(r.to.index()),
                Edge {
                    kind: r.kind,
                    inferred: r.inferred,
                    relation: Some(i as u32),
                },
            );
            document_edges += 1;
        }
    }
    let mut diagnostics = Vec::new();
    let mut inferred_edges = 0;
    let root = match sbom.roots.as_slice() {
        [only] => NodeIndex::new(only.index()),
        roots => {
            let doc = graph.add_node(Node::Document);
            for r in roots {
                graph.add_edge(
                    doc,
                    NodeIndex::new(r.index()),
                    Edge {
                        kind: RelationKind::Contains,
                        inferred: true,
                        relation: None,
                    },
                );
                inferred_edges += 1;
            }
            doc
        }
    };

    // Flat SBOM: no supply edge leaves any root. Hang every unpointed component off the root.
    let root_has_edges = sbom.roots.iter().any(|r| {
        graph
            .neighbors_directed(NodeIndex::new(r.index()), Direction::Outgoing)
            .next()
            .is_some()
    });
    if !root_has_edges {
        let orphans: Vec<NodeIndex> = sbom
            .iter()
            .filter(|(id, c)| {
                c.role != Role::Root
                    && graph
                        .neighbors_directed(NodeIndex::new(id.index()), Direction::Incoming)
                        .next()
                        .is_none()
            })
            .map(|(id, _)| NodeIndex::new(id.index()))
            .collect();
        if !orphans.is_empty() {
            let from = match sbom.roots.as_slice() {
                [only] => NodeIndex::new(only.index()),
                _ => root,
            };
            for &o in &orphans {
                graph.add_edge(
                    from,
                    o,
                    Edge {
                        kind: RelationKind::DependsOn,
                        inferred: true,
                        relation: None,
                    },
                );
            }
            inferred_edges += orphans.len();
            diagnostics.push(Diagnostic::new(
                DiagnosticCode::InferredRootEdges,
                format!(
                    "the product has no dependency relations; {} root edges inferred to components nothing else depends on",
                    orphans.len()
                ),
            ));
        }
    }

    // Reachability from the root.
    let mut seen = vec![false; graph.node_count()];
    let mut bfs = Bfs::new(&graph, root);
    while let Some(nx) = bfs.next(&graph) {
        seen[nx.index()] = true;
    }
    let unreachable: Vec<ComponentId> = sbom
        .iter()
        .filter(|(id, _)| !seen[id.index()])
        .map(|(id, _)| id)
        .collect();
    if !unreachable.is_empty() {
        let sample: Vec<&str> = unreachable
            .iter()
            .take(5)
            .map(|id| sbom.component(*id).bom_ref.as_str())
            .collect();
        diagnostics.push(Diagnostic::new(
            DiagnosticCode::Unreachable,
            format!(
                "{} components are not reachable from the product root (e.g. {})",
                unreachable.len(),
                sample.join(", ")
            ),
        ));
    }

    // Cycles: strongly connected components with more than one node.
    // Tarjan without recursion (petgraph's recurses along paths and overflowed the stack on a
    // 300k-long chain) and without collecting the singletons that almost every node is.
    let mut cycles: Vec<Vec<ComponentId>> = Vec::new();
    multi_node_sccs(&graph, |scc| {
        let mut ids: Vec<ComponentId> = scc
            .iter()
            .filter_map(|n| match graph[*n] {
                Node::Component(id) => Some(id),
                Node::Document => None,
            })
            .collect();
        ids.sort();
        cycles.push(ids);
    });
    cycles.sort();
    for cycle in cycles.iter().take(MAX_DIAGNOSTICS_PER_CODE) {
        let names: Vec<&str> = cycle
            .iter()
            .take(6)
            .map(|id| sbom.component(*id).bom_ref.as_str())
            .collect();
        let more = if cycle.len() > 6 {
            format!(" and {} more", cycle.len() - 6)
        } else {
            String::new()
        };
        diagnostics.push(Diagnostic::new(
            DiagnosticCode::Cycle,
            format!("dependency cycle through {}{more}", names.join(" -> ")),
        ));
    }

    DependencyGraph {
        graph,
        root,
        document_edges,
        inferred_edges,
        unreachable,
        cycles,
        diagnostics,
    }
}

/// Tarjan's strongly connected components, iterative: calls `f` for every component of more
/// than one node. Memory is a few words per node; no recursion, so no stack overflow on long
/// dependency chains.
fn multi_node_sccs(g: &DiGraph<Node, Edge, u32>, mut f: impl FnMut(&[NodeIndex])) {
    const UNSET: u32 = u32::MAX;
    let n = g.node_count();
    let mut index = vec![UNSET; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<NodeIndex> = Vec::new();
    let mut call: Vec<(NodeIndex, petgraph::graph::Neighbors<'_, Edge, u32>)> = Vec::new();
    let mut next = 0u32;
    for start in g.node_indices() {
        if index[start.index()] != UNSET {
            continue;
        }
        index[start.index()] = next;
        low[start.index()] = next;
        next += 1;
        stack.push(start);
        on_stack[start.index()] = true;
        call.push((start, g.neighbors(start)));
        while let Some((v, it)) = call.last_mut() {
            let v = *v;
            match it.next() {
                Some(w) if index[w.index()] == UNSET => {
                    index[w.index()] = next;
                    low[w.index()] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w.index()] = true;
                    call.push((w, g.neighbors(w)));
                }
                Some(w) => {
                    if on_stack[w.index()] {
                        low[v.index()] = low[v.index()].min(index[w.index()]);
                    }
                }
                None => {
                    call.pop();
                    if let Some((parent, _)) = call.last() {
                        low[parent.index()] = low[parent.index()].min(low[v.index()]);
                    }
                    if low[v.index()] == index[v.index()] {
                        if let Some(pos) = stack.iter().rposition(|&x| x == v) {
                            for x in &stack[pos..] {
                                on_stack[x.index()] = false;
                            }
                            if stack.len() - pos > 1 {
                                f(&stack[pos..]);
                            }
                            stack.truncate(pos);
                        }
                    }
                }
            }
        }
    }
}

impl DependencyGraph {
    /// The breadth-first tree from the root: per node, the first parent that reaches it (edges
    /// read in document order) and its depth (`usize::MAX` when the root does not reach it).
    pub fn breadth_first_tree(&self) -> (Vec<Option<NodeIndex>>, Vec<usize>) {
        let g = &self.graph;
        let n = g.node_count();
        let mut parent: Vec<Option<NodeIndex>> = vec![None; n];
        let mut depth: Vec<usize> = vec![usize::MAX; n];
        let mut queue = std::collections::VecDeque::new();
        if self.root.index() < n {
            depth[self.root.index()] = 0;
            queue.push_back(self.root);
        }
        while let Some(u) = queue.pop_front() {
            // petgraph lists outgoing edges newest first; read them in document order.
            let mut next: Vec<NodeIndex> = g
                .neighbors_directed(u, petgraph::Direction::Outgoing)
                .collect();
            next.reverse();
            for v in next {
                if depth[v.index()] == usize::MAX {
                    depth[v.index()] = depth[u.index()] + 1;
                    parent[v.index()] = Some(u);
                    queue.push_back(v);
                }
            }
        }
        (parent, depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Component, Format, SbomBuilder, Serialization};

    fn sbom(edges: &[(&str, &str)], names: &[&str], root: Option<&str>) -> Sbom {
        let mut b = SbomBuilder::new("t", Format::CycloneDx, Serialization::Json);
        for n in names {
            let id = b.add_component(Component::new(*n, *n));
            if Some(*n) == root {
                b.mark_root(id);
            }
        }
        for (f, t) in edges {
            b.relate_refs(
                f,
                t,
                RelationKind::DependsOn,
                "dependsOn".into(),
                String::new,
            );
        }
        b.finish()
    }

    #[test]
    fn flat_sbom_gets_inferred_root_edges() {
        let s = sbom(&[], &["app", "a", "b"], Some("app"));
        let g = build(&s);
        assert_eq!(g.inferred_edges, 2);
        assert_eq!(g.document_edges, 0);
        assert!(g.unreachable.is_empty());
        assert!(g
            .diagnostics
            .iter()
            .any(|d| d.code == DiagnosticCode::InferredRootEdges));
    }

    #[test]
    fn unreachable_and_cycles_are_reported() {
        let s = sbom(
            &[("app", "a"), ("a", "b"), ("b", "a"), ("x", "y")],
            &["app", "a", "b", "x", "y"],
            Some("app"),
        );
        let g = build(&s);
        assert_eq!(g.inferred_edges, 0);
        assert_eq!(g.unreachable.len(), 2, "x and y");
        assert_eq!(g.cycles.len(), 1);
        assert_eq!(g.cycles[0].len(), 2);
        let codes: Vec<_> = g.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&DiagnosticCode::Unreachable));
        assert!(codes.contains(&DiagnosticCode::Cycle));
    }

    #[test]
    fn iterative_tarjan_agrees_with_kosaraju() {
        let s = sbom(
            &[
                ("app", "a"),
                ("a", "b"),
                ("b", "c"),
                ("c", "a"),
                ("c", "d"),
                ("d", "e"),
                ("e", "d"),
                ("e", "f"),
                ("app", "f"),
            ],
            &["app", "a", "b", "c", "d", "e", "f"],
            Some("app"),
        );
        let g = build(&s);
        let mut want: Vec<Vec<usize>> = petgraph::algo::kosaraju_scc(&g.graph)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|c| {
                let mut v: Vec<usize> = c.into_iter().map(|n| n.index()).collect();
                v.sort();
                v
            })
            .collect();
        want.sort();
        let got: Vec<Vec<usize>> = g
            .cycles
            .iter()
            .map(|c| c.iter().map(|i| i.index()).collect())
            .collect();
        assert_eq!(got, want);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn several_roots_get_a_document_node() {
        let mut b = SbomBuilder::new("t", Format::Spdx, Serialization::Json);
        let r1 = b.add_component(Component::new("r1", "r1"));
        let r2 = b.add_component(Component::new("r2", "r2"));
        b.add_component(Component::new("c", "c"));
        b.mark_root(r1);
        b.mark_root(r2);
        b.relate_refs(
            "r1",
            "c",
            RelationKind::Contains,
            "CONTAINS".into(),
            String::new,
        );
        let s = b.finish();
        let g = build(&s);
        assert_eq!(g.graph[g.root], Node::Document);
        assert_eq!(g.graph.node_count(), 4);
        assert!(g.unreachable.is_empty());
        assert_eq!(g.children(r1).collect::<Vec<_>>().len(), 1);
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use crate::model::{Component, Format, SbomBuilder, Serialization};
    use proptest::prelude::*;

    fn build_with(order: &[(usize, usize)], n: usize) -> (usize, usize, Vec<usize>, usize) {
        let mut b = SbomBuilder::new("p", Format::CycloneDx, Serialization::Json);
        for i in 0..n {
            let id = b.add_component(Component::new(format!("c{i}"), format!("c{i}")));
            if i == 0 {
                b.mark_root(id);
            }
        }
        for &(f, t) in order {
            b.relate_refs(
                &format!("c{f}"),
                &format!("c{t}"),
                RelationKind::DependsOn,
                "dependsOn".into(),
                String::new,
            );
        }
        let s = b.finish();
        let g = build(&s);
        let mut unreachable: Vec<usize> = g.unreachable.iter().map(|c| c.index()).collect();
        unreachable.sort();
        (
            g.document_edges,
            g.inferred_edges,
            unreachable,
            g.cycles.len(),
        )
    }

    proptest! {
        /// The iterative Tarjan finds exactly Kosaraju's multi-node components.
        #[test]
        fn cycles_agree_with_kosaraju(
            n in 2usize..40,
            edges in proptest::collection::vec((0usize..40, 0usize..40), 0..120),
        ) {
            let edges: Vec<(usize, usize)> = edges.into_iter().map(|(f, t)| (f % n, t % n)).collect();
            let mut b = SbomBuilder::new("p", Format::CycloneDx, Serialization::Json);
            for i in 0..n {
                let id = b.add_component(Component::new(format!("c{i}"), format!("c{i}")));
                if i == 0 {
                    b.mark_root(id);
                }
            }
            for &(f, t) in &edges {
                b.relate_refs(&format!("c{f}"), &format!("c{t}"), RelationKind::DependsOn, "dependsOn".into(), String::new);
            }
            let g = build(&b.finish());
            let mut want: Vec<Vec<usize>> = petgraph::algo::kosaraju_scc(&g.graph)
                .into_iter()
                .filter(|c| c.len() > 1)
                .map(|c| { let mut v: Vec<usize> = c.into_iter().map(|x| x.index()).collect(); v.sort(); v })
                .collect();
            want.sort();
            let got: Vec<Vec<usize>> = g.cycles.iter().map(|c| c.iter().map(|i| i.index()).collect()).collect();
            prop_assert_eq!(got, want);
        }

        /// The graph's findings do not depend on the order relations are written in.
        #[test]
        fn findings_are_order_independent(
            n in 2usize..30,
            edges in proptest::collection::vec((0usize..30, 0usize..30), 0..80),
            seed in any::<u64>(),
        ) {
            let edges: Vec<(usize, usize)> = edges.into_iter().map(|(f, t)| (f % n, t % n)).collect();
            let mut shuffled = edges.clone();
            // Deterministic shuffle from the seed.
            let mut x = seed | 1;
            for i in (1..shuffled.len()).rev() {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                shuffled.swap(i, (x % (i as u64 + 1)) as usize);
            }
            prop_assert_eq!(build_with(&edges, n), build_with(&shuffled, n));
        }

        /// The root is never unreachable, and after root inference every component nothing
        /// points to is reachable: only parts of cycles no one enters can stay unreachable.
        #[test]
        fn inference_leaves_only_unentered_cycles_unreachable(
            n in 2usize..30,
            edges in proptest::collection::vec((1usize..30, 1usize..30), 0..80),
        ) {
            // No edge touches the root (component 0), so root edges are always inferred.
            let edges: Vec<(usize, usize)> = edges
                .into_iter()
                .map(|(f, t)| (1 + f % (n - 1), 1 + t % (n - 1)))
                .filter(|_| n > 1)
                .collect();
            let (_, inferred, unreachable, cycles) = build_with(&edges, n);
            prop_assert!(!unreachable.contains(&0));
            let has_incoming = |c: usize| edges.iter().any(|&(f, t)| t == c && f != t);
            for u in &unreachable {
                prop_assert!(has_incoming(*u), "component {} has no incoming edge yet is unreachable", u);
            }
            if !unreachable.is_empty() {
                prop_assert!(cycles > 0, "unreachable components without a cycle");
            }
            prop_assert!(inferred > 0 || n == 1 || (1..n).all(has_incoming));
        }
    }
}
