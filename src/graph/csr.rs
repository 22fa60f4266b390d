//! What the dependency graph says about criticality and loss: the dominator tree (which
//! components the product reaches only through a given one) and supply-cut scenarios.
//!
//! Both run on compressed adjacency arrays built once ([`Csr`]): scoring a 100k-component SBOM
//! weighs a dozen or more scenarios (all in one bit-parallel pass), and petgraph's linked adjacency lists and its
//! `simple_fast` (hash sets of predecessors) cost more than ingest did. The dominator algorithm
//! is Cooper, Harvey and Kennedy's "A Simple, Fast Dominance Algorithm" (2001), the one
//! `simple_fast` implements; a property test checks the two agree.

use crate::graph::DependencyGraph;
use petgraph::visit::EdgeRef;

/// Successor and predecessor lists of every node, as offsets into flat arrays.
pub struct Csr {
    n: usize,
    root: usize,
    succ_start: Vec<u32>,
    succ: Vec<u32>,
    pred_start: Vec<u32>,
    pred: Vec<u32>,
    /// Nodes the root reaches, in depth-first postorder.
    order: Vec<u32>,
    /// Postorder number of each node (`u32::MAX` when the root does not reach it).
    post: Vec<u32>,
}

/// Scenarios [`Csr::lost_many`] evaluates in one pass (bit 63 is the unchanged graph).
pub const SCENARIOS_PER_PASS: usize = 63;
const BASE: u64 = 1 << 63;

fn compress(n: usize, edges: &[(u32, u32)]) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n + 1];
    for &(a, _) in edges {
        start[a as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut out = vec![0u32; edges.len()];
    for &(a, b) in edges {
        let slot = &mut fill[a as usize];
        out[*slot as usize] = b;
        *slot += 1;
    }
    (start, out)
}

impl Csr {
    pub fn new(g: &DependencyGraph) -> Csr {
        let n = g.graph.node_count();
        let fwd: Vec<(u32, u32)> = g
            .graph
            .edge_references()
            .map(|e| (e.source().index() as u32, e.target().index() as u32))
            .collect();
        let back: Vec<(u32, u32)> = fwd.iter().map(|&(a, b)| (b, a)).collect();
        let (succ_start, succ) = compress(n, &fwd);
        let (pred_start, pred) = compress(n, &back);
        let mut csr = Csr {
            n,
            root: g.root.index(),
            succ_start,
            succ,
            pred_start,
            pred,
            order: Vec::new(),
            post: Vec::new(),
        };
        csr.postorder();
        csr
    }

    /// Numbers the nodes the root reaches in postorder, by an iterative depth-first search.
    fn postorder(&mut self) {
        const NONE: u32 = u32::MAX;
        let n = self.n;
        let mut post = vec![NONE; n];
        let mut order = Vec::with_capacity(n);
        if n > 0 {
            let mut visited = vec![false; n];
            let mut stack: Vec<(u32, u32)> = vec![(self.root as u32, 0)];
            visited[self.root] = true;
            while let Some(&mut (v, ref mut i)) = stack.last_mut() {
                let s = self.succ(v as usize);
                if (*i as usize) < s.len() {
                    let w = s[*i as usize];
                    *i += 1;
                    if !visited[w as usize] {
                        visited[w as usize] = true;
                        stack.push((w, 0));
                    }
                } else {
                    post[v as usize] = order.len() as u32;
                    order.push(v);
                    stack.pop();
                }
            }
        }
        self.order = order;
        self.post = post;
    }

    fn succ(&self, v: usize) -> &[u32] {
        &self.succ[self.succ_start[v] as usize..self.succ_start[v + 1] as usize]
    }

    fn pred(&self, v: usize) -> &[u32] {
        &self.pred[self.pred_start[v] as usize..self.pred_start[v + 1] as usize]
    }

    /// Immediate dominators (`u32::MAX` for nodes the root does not reach; the root is its own).
    pub fn idoms(&self) -> Vec<u32> {
        const NONE: u32 = u32::MAX;
        let n = self.n;
        let mut out = vec![NONE; n];
        let (post, order) = (&self.post, &self.order);
        let m = order.len();
        if m == 0 {
            return out;
        }
        // The algorithm runs on postorder numbers, as the paper does: `intersect` then compares
        // the numbers themselves, and the predecessors of each node are read from one compact
        // array in the order the passes visit them. Predecessors the root does not reach are
        // left out.
        let mut start: Vec<u32> = Vec::with_capacity(m + 1);
        let mut preds: Vec<u32> = Vec::with_capacity(self.pred.len());
        for &v in order.iter() {
            start.push(preds.len() as u32);
            preds.extend(
                self.pred(v as usize)
                    .iter()
                    .map(|&p| post[p as usize])
                    .filter(|&p| p != NONE),
            );
        }
        start.push(preds.len() as u32);
        // The root finishes last: it has the highest number.
        let root = (m - 1) as u32;
        let mut idom = vec![NONE; m];
        idom[root as usize] = root;
        let intersect = |idom: &[u32], mut a: u32, mut b: u32| -> u32 {
            while a != b {
                while a < b {
                    a = idom[a as usize];
                }
                while b < a {
                    b = idom[b as usize];
                }
            }
            a
        };
        let mut changed = true;
        while changed {
            changed = false;
            // Reverse postorder, root excluded.
            for k in (0..m - 1).rev() {
                let mut new = NONE;
                for &p in &preds[start[k] as usize..start[k + 1] as usize] {
                    if idom[p as usize] == NONE {
                        continue;
                    }
                    new = if new == NONE {
                        p
                    } else {
                        intersect(&idom, p, new)
                    };
                }
                if new != NONE && idom[k] != new {
                    idom[k] = new;
                    changed = true;
                }
            }
        }
        for (k, &v) in order.iter().enumerate() {
            // Every node the root reaches has an idom after the passes (its DFS parent precedes
            // it in reverse postorder); `get` keeps that an assumption, not a panic.
            if let Some(&d) = order.get(idom[k] as usize) {
                out[v as usize] = d;
            }
        }
        out
    }

    /// Per node: how many *scored* nodes the root reaches only through it (its dominator
    /// subtree, itself excluded). `scored[i]` says whether node `i` is a scored component.
    pub fn dominated_counts(&self, scored: &[bool]) -> Vec<u32> {
        let n = self.n;
        let idom = self.idoms();
        let tree: Vec<(u32, u32)> = idom
            .iter()
            .enumerate()
            .filter(|&(v, &d)| d != u32::MAX && v != self.root)
            .map(|(v, &d)| (d, v as u32))
            .collect();
        let (start, kids) = compress(n, &tree);
        let children = |v: usize| &kids[start[v] as usize..start[v + 1] as usize];
        // Breadth-first order from the root; sizes accumulate in reverse.
        let mut order: Vec<u32> = Vec::with_capacity(n);
        if n > 0 {
            order.push(self.root as u32);
        }
        let mut i = 0;
        while i < order.len() {
            order.extend_from_slice(children(order[i] as usize));
            i += 1;
        }
        let own = |v: usize| u32::from(scored.get(v).copied().unwrap_or(false));
        let mut size = vec![0u32; n];
        for &v in order.iter().rev() {
            let v = v as usize;
            size[v] = own(v) + children(v).iter().map(|&k| size[k as usize]).sum::<u32>();
        }
        (0..n).map(|v| size[v] - own(v).min(size[v])).collect()
    }

    /// Nodes reachable from the root without passing through a removed node (the reference of
    /// the property test).
    #[cfg(test)]
    fn reachable(&self, removed: &[bool]) -> Vec<bool> {
        let mut seen = vec![false; self.n];
        if self.n == 0 || removed.get(self.root).copied().unwrap_or(false) {
            return seen;
        }
        let mut stack = vec![self.root as u32];
        seen[self.root] = true;
        while let Some(v) = stack.pop() {
            for &w in self.succ(v as usize) {
                let i = w as usize;
                if !seen[i] && !removed.get(i).copied().unwrap_or(false) {
                    seen[i] = true;
                    stack.push(w);
                }
            }
        }
        seen
    }

    /// What up to [`SCENARIOS_PER_PASS`] scenarios lose, all in one pass. `removed[v]` has bit
    /// `k` set when scenario `k` removes node `v`; the answer has bit `k` of node `v` set when
    /// scenario `k` loses it: it is removed, or the root reached it before and reaches it no
    /// more (every path to it went through a removed node).
    ///
    /// Bit-parallel reachability: `alive[v]` holds the scenarios in which the root still reaches
    /// `v` (bit 63: nothing removed). One sweep in reverse postorder settles every forward
    /// edge; a worklist then carries what back edges (cycles) add. A mask only grows, so a node
    /// is queued at most 64 times: the pass is linear in the graph whatever its shape.
    pub fn lost_many(&self, removed: &[u64]) -> Vec<u64> {
        let n = self.n;
        let rm = |v: usize| removed.get(v).copied().unwrap_or(0) & !BASE;
        let mut alive = vec![0u64; n];
        if n > 0 {
            alive[self.root] = !rm(self.root);
        }
        let mut work: Vec<u32> = Vec::new();
        for &v in self.order.iter().rev() {
            let v = v as usize;
            let a = alive[v];
            if a == 0 {
                continue;
            }
            for &w in self.succ(v) {
                let wi = w as usize;
                let add = a & !rm(wi);
                if add & !alive[wi] != 0 {
                    alive[wi] |= add;
                    // Already swept (a back edge): carry the new bits on from the worklist.
                    if self.post[wi] > self.post[v] {
                        work.push(w);
                    }
                }
            }
        }
        while let Some(v) = work.pop() {
            let a = alive[v as usize];
            for &w in self.succ(v as usize) {
                let wi = w as usize;
                let add = a & !rm(wi);
                if add & !alive[wi] != 0 {
                    alive[wi] |= add;
                    work.push(w);
                }
            }
        }
        (0..n)
            .map(|v| {
                let reached = if alive[v] & BASE != 0 {
                    !alive[v] & !BASE
                } else {
                    0
                };
                rm(v) | reached
            })
            .collect()
    }

    /// `lost` by a full reachability pass (the reference for the property test).
    #[cfg(test)]
    fn lost_by_reachability(&self, removed: &[bool], before: &[bool]) -> Vec<bool> {
        let after = self.reachable(removed);
        (0..self.n)
            .map(|i| removed[i] || (before[i] && !after[i]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Component, Format, RelationKind, SbomBuilder, Serialization};
    use proptest::prelude::*;

    fn graph(n: usize, edges: &[(usize, usize)]) -> DependencyGraph {
        let mut b = SbomBuilder::new("g", Format::CycloneDx, Serialization::Json);
        let ids: Vec<_> = (0..n)
            .map(|i| b.add_component(Component::new(format!("c{i}"), format!("c{i}"))))
            .collect();
        b.mark_root(ids[0]);
        for &(x, y) in edges {
            b.relate(ids[x], ids[y], RelationKind::DependsOn, "dependsOn".into());
        }
        crate::graph::build(&b.finish())
    }

    proptest! {
        /// Every scenario of a bit-parallel pass loses exactly what a full reachability pass
        /// of that scenario alone loses, cycles included.
        #[test]
        fn lost_many_agrees_with_reachability(
            n in 2usize..30,
            edges in prop::collection::vec((0usize..30, 0usize..30), 0..80),
            cuts in prop::collection::vec(any::<u64>(), 30),
        ) {
            let edges: Vec<(usize, usize)> = edges.into_iter().filter(|(a, b)| *a < n && *b < n).collect();
            let g = graph(n, &edges);
            let csr = Csr::new(&g);
            let nodes = g.graph.node_count();
            let removed: Vec<u64> = (0..nodes)
                .map(|i| if i == g.root.index() { 0 } else { cuts[i % 30] & !BASE })
                .collect();
            let before = csr.reachable(&vec![false; nodes]);
            let many = csr.lost_many(&removed);
            for k in 0..SCENARIOS_PER_PASS {
                let one: Vec<bool> = removed.iter().map(|m| m >> k & 1 == 1).collect();
                let got: Vec<bool> = many.iter().map(|m| m >> k & 1 == 1).collect();
                prop_assert_eq!(got, csr.lost_by_reachability(&one, &before), "scenario {}", k);
            }
        }

        /// Our dominators are petgraph's.
        #[test]
        fn idoms_agree_with_petgraph(n in 2usize..30, edges in prop::collection::vec((0usize..30, 0usize..30), 0..80)) {
            let edges: Vec<(usize, usize)> = edges.into_iter().filter(|(a, b)| *a < n && *b < n).collect();
            let g = graph(n, &edges);
            let ours = Csr::new(&g).idoms();
            let theirs = petgraph::algo::dominators::simple_fast(&g.graph, g.root);
            for v in g.graph.node_indices() {
                let want = if v == g.root {
                    Some(v.index() as u32)
                } else {
                    theirs.immediate_dominator(v).map(|d| d.index() as u32)
                };
                let got = (ours[v.index()] != u32::MAX).then_some(ours[v.index()]);
                prop_assert_eq!(got, want, "node {}", v.index());
            }
        }
    }

    #[test]
    fn a_chain_is_dominated_link_by_link() {
        // 0 -> 1 -> 2 -> 3, and 0 -> 3 as well: 3 is not dominated by 1 or 2.
        let g = graph(4, &[(0, 1), (1, 2), (2, 3), (0, 3)]);
        let csr = Csr::new(&g);
        let scored = [false, true, true, true];
        assert_eq!(csr.dominated_counts(&scored), [3, 1, 0, 0]);
        let lost = csr.lost_many(&[0, 1, 0, 0]);
        assert_eq!(lost, [0, 1, 1, 0]);
    }

    #[test]
    fn deep_chains_do_not_recurse() {
        let n = 200_000;
        let edges: Vec<(usize, usize)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        let g = graph(n, &edges);
        let csr = Csr::new(&g);
        let scored: Vec<bool> = (0..n).map(|i| i > 0).collect();
        let d = csr.dominated_counts(&scored);
        assert_eq!(d[1], (n - 2) as u32);
        assert_eq!(d[n - 1], 0);
    }
}
