//! The critical paths of a product's dependency graph, for the HTML report: the shortest path
//! from the root to each of the heaviest components (by criticality weight, which already counts
//! the components each one alone brings in). The paths share their prefixes, so together they
//! form a tree: the breadth-first tree of the graph, cut down to these paths.
//!
//! Only what the report already scored is read (weights, exposure); nothing is recomputed.

use crate::graph::DependencyGraph;
use crate::model::Sbom;
use crate::score::Report;
use petgraph::graph::NodeIndex;
use rustc_hash::FxHashMap;

/// One node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct PathNode {
    /// The component's bom-ref; `None` for the document node above several roots.
    pub bom_ref: Option<String>,
    /// `name version`, or `document`.
    pub label: String,
    /// Edges from the root.
    pub depth: usize,
    /// Index of the parent in `CriticalPaths::nodes`; `None` for the root.
    pub parent: Option<usize>,
    /// Criticality weight (0 for the root, which is not scored).
    pub weight: f64,
    /// x(c) in [0, 1] (0 for the root).
    pub exposure: f64,
    pub country: Option<String>,
    /// One of the heaviest components (a path ends here).
    pub target: bool,
}

/// The tree of critical paths; `nodes[0]` is the root; parents come before their children.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CriticalPaths {
    pub nodes: Vec<PathNode>,
}

/// How many heaviest components get a path.
pub const DEFAULT_TARGETS: usize = 10;

impl CriticalPaths {
    /// The paths from the root to the `targets` heaviest components the root reaches.
    pub fn compute(
        sbom: &Sbom,
        graph: &DependencyGraph,
        report: &Report<'_>,
        targets: usize,
    ) -> CriticalPaths {
        let n = graph.graph.node_count();
        // Breadth-first tree: the first parent that reaches a node, in edge order.
        let (parent, depth) = graph.breadth_first_tree();
        let by_ref: FxHashMap<&str, usize> = sbom
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| (c.bom_ref.as_str(), i))
            .collect();
        let scored: FxHashMap<usize, &crate::score::ComponentScore<'_>> = report
            .components
            .iter()
            .filter_map(|c| by_ref.get(c.bom_ref()).map(|i| (*i, c)))
            .collect();
        let mut heavy: Vec<usize> = super::by_weight(report)
            .into_iter()
            .filter_map(|c| by_ref.get(c.bom_ref()).copied())
            .filter(|i| depth.get(*i).is_some_and(|d| *d != usize::MAX))
            .take(targets)
            .collect();
        heavy.sort_unstable();
        // Every node on the paths, ordered by depth then graph index (parents first).
        let mut keep = vec![false; n];
        let mut is_target = vec![false; n];
        for &t in &heavy {
            is_target[t] = true;
            let mut cur = Some(NodeIndex::new(t));
            while let Some(c) = cur {
                if keep[c.index()] {
                    break;
                }
                keep[c.index()] = true;
                cur = parent[c.index()];
            }
        }
        if graph.root.index() < n {
            keep[graph.root.index()] = true;
        }
        let mut order: Vec<usize> = (0..n).filter(|i| keep[*i]).collect();
        order.sort_by_key(|i| (depth[*i], *i));
        let mut pos: FxHashMap<usize, usize> = FxHashMap::default();
        let mut nodes = Vec::with_capacity(order.len());
        for i in order {
            let comp = graph.component(NodeIndex::new(i));
            let c = comp.and_then(|id| sbom.components.get(id.index()));
            let s = scored.get(&i);
            nodes.push(PathNode {
                bom_ref: c.map(|c| c.bom_ref.clone()),
                label: match c {
                    Some(c) => match &c.version {
                        Some(v) => format!("{} {v}", c.name),
                        None => c.name.clone(),
                    },
                    None => "document".to_string(),
                },
                depth: depth[i],
                parent: parent[i].and_then(|p| pos.get(&p.index()).copied()),
                weight: s.map_or(0.0, |s| s.weight),
                exposure: s.map_or(0.0, |s| s.exposure),
                country: s.and_then(|s| s.country()).map(str::to_string),
                target: is_target[i],
            });
            pos.insert(i, nodes.len() - 1);
        }
        CriticalPaths { nodes }
    }

    /// The deepest level.
    pub fn max_depth(&self) -> usize {
        self.nodes.iter().map(|n| n.depth).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::{registry, ROUTER};

    #[test]
    fn paths_reach_the_heaviest_components_through_their_parents() {
        let reg = registry();
        let sbom = crate::ingest::ingest_bytes("r.cdx.json", ROUTER.as_bytes()).unwrap();
        let g = crate::graph::build(&sbom);
        crate::report::testutil::with_report(ROUTER, |r| {
            let p = CriticalPaths::compute(&sbom, &g, r, 3);
            let _ = &reg;
            assert!(p.nodes[0].parent.is_none());
            assert_eq!(p.nodes[0].depth, 0);
            assert_eq!(p.nodes.iter().filter(|n| n.target).count(), 3);
            for (i, n) in p.nodes.iter().enumerate().skip(1) {
                let parent = n.parent.expect("every node but the root has a parent");
                assert!(parent < i);
                assert_eq!(p.nodes[parent].depth + 1, n.depth);
            }
            // The heaviest component is a target.
            let top = crate::report::by_weight(r)[0].bom_ref();
            assert!(p
                .nodes
                .iter()
                .any(|n| n.target && n.bom_ref.as_deref() == Some(top)));
        });
    }
}
