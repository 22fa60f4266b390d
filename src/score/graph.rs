//! What the dependency graph says about criticality and loss: the dominator tree (which
//! components the product reaches only through a given one) and supply-cut scenarios.

use crate::graph::DependencyGraph;
use petgraph::algo::dominators::simple_fast;
use petgraph::Direction;

/// Per node: how many *scored* components the root reaches only through it (its dominator
/// subtree, itself excluded). `scored[i]` says whether node `i` is a scored component.
pub fn dominated_counts(g: &DependencyGraph, scored: &[bool]) -> Vec<u32> {
    let n = g.graph.node_count();
    let doms = simple_fast(&g.graph, g.root);
    // Children of each node in the dominator tree, as a compressed adjacency list.
    let mut idom = vec![u32::MAX; n];
    let mut count = vec![0u32; n + 1];
    for v in g.graph.node_indices() {
        if v == g.root {
            continue;
        }
        if let Some(d) = doms.immediate_dominator(v) {
            idom[v.index()] = d.index() as u32;
            count[d.index()] += 1;
        }
    }
    let mut start = vec![0u32; n + 1];
    for i in 0..n {
        start[i + 1] = start[i] + count[i];
    }
    let mut fill = start.clone();
    let mut kids = vec![0u32; start[n] as usize];
    for (v, &d) in idom.iter().enumerate() {
        if d != u32::MAX {
            let slot = &mut fill[d as usize];
            kids[*slot as usize] = v as u32;
            *slot += 1;
        }
    }
    // Breadth-first order from the root; sizes accumulate in reverse.
    let mut order = Vec::with_capacity(n);
    order.push(g.root.index() as u32);
    let mut i = 0;
    while i < order.len() {
        let v = order[i] as usize;
        order.extend_from_slice(&kids[start[v] as usize..start[v + 1] as usize]);
        i += 1;
    }
    let mut size = vec![0u32; n];
    for &v in order.iter().rev() {
        let v = v as usize;
        let own = u32::from(scored.get(v).copied().unwrap_or(false));
        let below: u32 = kids[start[v] as usize..start[v + 1] as usize]
            .iter()
            .map(|&k| size[k as usize])
            .sum();
        size[v] = own + below;
    }
    // Dominated = subtree minus the node itself.
    size.iter()
        .enumerate()
        .map(|(v, &s)| s - u32::from(scored.get(v).copied().unwrap_or(false)).min(s))
        .collect()
}

/// Nodes reachable from the root without passing through a removed node.
pub fn reachable(g: &DependencyGraph, removed: &[bool]) -> Vec<bool> {
    let n = g.graph.node_count();
    let mut seen = vec![false; n];
    if removed.get(g.root.index()).copied().unwrap_or(false) {
        return seen;
    }
    let mut stack = vec![g.root];
    seen[g.root.index()] = true;
    while let Some(v) = stack.pop() {
        for w in g.graph.neighbors_directed(v, Direction::Outgoing) {
            let i = w.index();
            if !seen[i] && !removed.get(i).copied().unwrap_or(false) {
                seen[i] = true;
                stack.push(w);
            }
        }
    }
    seen
}

/// The components a scenario loses: the removed ones, and those the root reached before but
/// reaches no more (they came only through removed ones). `before` is `reachable(g, &[])`.
pub fn lost(g: &DependencyGraph, removed: &[bool], before: &[bool]) -> Vec<bool> {
    let after = reachable(g, removed);
    (0..g.graph.node_count())
        .map(|i| removed[i] || (before[i] && !after[i]))
        .collect()
}
