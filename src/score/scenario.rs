//! Supply-cut scenarios (docs/scoring.md, "continuity"): which components each scenario
//! removes, which ones the product then loses, and the weighted share lost.
//!
//! Every scenario of a report is evaluated in one bit-parallel pass over the graph per 63
//! scenarios ([`Csr::lost_many`]), not one search each: a country embargo touches a large part
//! of the graph, and a report weighs a dozen or more of them.

use super::graph::{Csr, SCENARIOS_PER_PASS};
use super::{ratio, round4, Fixed, Item, ScenarioResult, ScenarioSpec};
use crate::model::Sbom;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// The outcome of a list of scenarios.
pub(super) struct Cuts {
    /// Per pass of up to 63 scenarios: the removed and the lost masks, by node.
    passes: Vec<(Vec<u64>, Vec<u64>)>,
    /// Per scenario, in the order given: the weighted share of the product lost, in [0, 1].
    pub shares: Vec<f64>,
}

impl Cuts {
    /// Evaluates `specs` on the scored `items` (`total` is their summed weight).
    pub fn run(
        csr: &Csr,
        items: &[Item<'_>],
        total: Fixed,
        specs: &[&ScenarioSpec],
        include_channels: bool,
        n_nodes: usize,
    ) -> Cuts {
        let passes: Vec<(Vec<u64>, Vec<u64>)> = specs
            .par_chunks(SCENARIOS_PER_PASS)
            .map(|chunk| {
                let removed = removed_masks(items, chunk, include_channels, n_nodes);
                let lost = csr.lost_many(&removed);
                (removed, lost)
            })
            .collect();
        let mut lost_w: Vec<Fixed> = vec![0; specs.len()];
        for (p, (_, lost)) in passes.iter().enumerate() {
            let base = p * SCENARIOS_PER_PASS;
            for it in items {
                let mut m = lost.get(it.id).copied().unwrap_or(0);
                while m != 0 {
                    let k = m.trailing_zeros() as usize;
                    if let Some(w) = lost_w.get_mut(base + k) {
                        *w += it.weight;
                    }
                    m &= m - 1;
                }
            }
        }
        Cuts {
            passes,
            shares: lost_w.iter().map(|w| round4(ratio(*w, total))).collect(),
        }
    }

    /// The refs of the items scenario `i` removes (`lost = false`) or loses (`lost = true`,
    /// removed ones included), in component order.
    fn refs<'a>(&self, i: usize, lost: bool, items: &[Item<'a>], sbom: &'a Sbom) -> Vec<&'a str> {
        let bit = 1u64 << (i % SCENARIOS_PER_PASS);
        let Some((removed, lost_masks)) = self.passes.get(i / SCENARIOS_PER_PASS) else {
            return Vec::new();
        };
        let masks = if lost { lost_masks } else { removed };
        items
            .iter()
            .filter(|it| masks.get(it.id).is_some_and(|m| m & bit != 0))
            .map(|it| sbom.components[it.id].bom_ref.as_str())
            .collect()
    }

    /// The report entry of scenario `i`.
    pub fn result<'a>(
        &self,
        i: usize,
        spec: &ScenarioSpec,
        items: &[Item<'a>],
        sbom: &'a Sbom,
    ) -> ScenarioResult<'a> {
        ScenarioResult {
            name: spec.name(),
            removed_components: self.refs(i, false, items, sbom),
            affected_components: self.refs(i, true, items, sbom),
            product_share_lost: self.shares.get(i).copied().unwrap_or(0.0),
        }
    }
}

/// Bit `k` of node `v`: scenario `chunk[k]` removes component `v`. An embargo removes the
/// components of that origin country and, with `include_channels`, those delivered through an
/// unmirrored channel of that country; a vendor scenario removes the vendor's components (its
/// id or name, ASCII case ignored).
fn removed_masks(
    items: &[Item<'_>],
    chunk: &[&ScenarioSpec],
    include_channels: bool,
    n_nodes: usize,
) -> Vec<u64> {
    let mut by_country: FxHashMap<&str, u64> = FxHashMap::default();
    let mut vendors: Vec<(&str, u64)> = Vec::new();
    for (k, spec) in chunk.iter().enumerate() {
        match spec {
            ScenarioSpec::Embargo(cc) => *by_country.entry(cc.as_str()).or_default() |= 1 << k,
            ScenarioSpec::Vendor(v) => vendors.push((v.as_str(), 1 << k)),
        }
    }
    // Vendor keys repeat across components: each (interned) vendor is matched once.
    let mut vendor_memo: Vec<Option<u64>> = Vec::new();
    let mut removed = vec![0u64; n_nodes];
    for it in items {
        let country = |cc: Option<&str>| cc.and_then(|c| by_country.get(c)).copied().unwrap_or(0);
        let mut m = country(it.country);
        if include_channels && !it.mirrored {
            m |= country(it.channel_country);
        }
        if let (Some(key), false) = (it.vendor_key, vendors.is_empty()) {
            let vix = it.vix as usize;
            if vendor_memo.len() <= vix {
                vendor_memo.resize(vix + 1, None);
            }
            m |= *vendor_memo[vix].get_or_insert_with(|| {
                vendors
                    .iter()
                    .filter(|(v, _)| key.eq_ignore_ascii_case(v))
                    .fold(0, |acc, (_, bit)| acc | bit)
            });
        }
        if let Some(slot) = removed.get_mut(it.id) {
            *slot = m;
        }
    }
    removed
}
