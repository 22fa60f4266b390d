//! Supply-cut scenarios (docs/scoring.md, "continuity"): which components each scenario
//! removes, which ones the product then loses, and the weighted share lost.
//!
//! Every scenario of a report is evaluated in one bit-parallel pass over the graph per 63
//! scenarios ([`Csr::lost_many`]), not one search each: a country embargo touches a large part
//! of the graph, and a report weighs a dozen or more of them.

use super::{ratio, round4, Fixed, Item, ScenarioResult, ScenarioSpec};
use crate::graph::csr::{Csr, SCENARIOS_PER_PASS};
use crate::model::Sbom;
use rustc_hash::FxHashMap;

/// One scenario as evaluated: its spec, and whether components of unknown origin are cut with
/// it (the unknown-origin variant of a country scenario, for the bounds and the central value of
/// continuity: docs/scoring.md, "Unknown origin").
#[derive(Clone, Copy)]
pub(super) struct Cut<'s> {
    pub spec: &'s ScenarioSpec,
    pub with_unknown: bool,
}

/// The outcome of a list of scenarios.
pub(super) struct Cuts {
    /// Per pass of up to 63 scenarios: the removed, the degraded and the lost masks, by node.
    passes: Vec<Masks>,
    /// Per scenario, in the order given: the weighted share of the product lost, in [0, 1].
    pub lost: Vec<f64>,
    /// Per scenario: the weighted share degraded (published open source whose origin is cut,
    /// still reached by the product), in [0, 1].
    pub degraded: Vec<f64>,
    /// Per scenario: `lost + degraded_weight x degraded`.
    pub impact: Vec<f64>,
}

struct Masks {
    /// The scenario cuts the component's supply and its code goes with it.
    removed: Vec<u64>,
    /// The scenario cuts the component's origin but its code stays (published open source).
    degraded: Vec<u64>,
    /// Removed, or reached only through removed components.
    lost: Vec<u64>,
}

impl Cuts {
    /// Evaluates `cuts` on the scored `items` (`total` is their summed weight).
    pub fn run(
        csr: &Csr,
        items: &[Item<'_>],
        total: Fixed,
        cuts: &[Cut<'_>],
        continuity: &super::continuity::Config,
        production: &[&[String]],
        n_nodes: usize,
    ) -> Cuts {
        let (include_channels, degraded_weight) =
            (continuity.include_channels, continuity.degraded_weight);
        let pass = |chunk: &[Cut<'_>]| {
            let (removed, degraded) =
                cut_masks(items, chunk, include_channels, production, n_nodes);
            let lost = csr.lost_many(&removed);
            Masks {
                removed,
                degraded,
                lost,
            }
        };
        // A small graph is cut on this thread (the pool's start would cost more).
        let chunks: Vec<&[Cut<'_>]> = cuts.chunks(SCENARIOS_PER_PASS).collect();
        let passes: Vec<Masks> =
            crate::par::map(crate::par::small(n_nodes), &chunks, |chunk| pass(chunk));
        let mut lost_w: Vec<Fixed> = vec![0; cuts.len()];
        let mut degraded_w: Vec<Fixed> = vec![0; cuts.len()];
        for (p, m) in passes.iter().enumerate() {
            let base = p * SCENARIOS_PER_PASS;
            for it in items {
                let lost = m.lost.get(it.id).copied().unwrap_or(0);
                // Degraded and still reached: a lost component is not also degraded.
                let degraded = m.degraded.get(it.id).copied().unwrap_or(0) & !lost;
                for (mut bits, acc) in [(lost, &mut lost_w), (degraded, &mut degraded_w)] {
                    while bits != 0 {
                        let k = bits.trailing_zeros() as usize;
                        if let Some(w) = acc.get_mut(base + k) {
                            *w += it.weight;
                        }
                        bits &= bits - 1;
                    }
                }
            }
        }
        let lost: Vec<f64> = lost_w.iter().map(|w| round4(ratio(*w, total))).collect();
        let degraded: Vec<f64> = degraded_w
            .iter()
            .map(|w| round4(ratio(*w, total)))
            .collect();
        let impact = lost
            .iter()
            .zip(&degraded)
            .map(|(l, d)| round4(l + degraded_weight * d))
            .collect();
        Cuts {
            passes,
            lost,
            degraded,
            impact,
        }
    }

    /// The refs of the items scenario `i` marks in `pick` (of its removed, degraded and lost
    /// masks), in component order.
    fn refs<'a>(
        &self,
        i: usize,
        pick: impl Fn(&Masks, usize) -> u64,
        items: &[Item<'a>],
        sbom: &'a Sbom,
    ) -> Vec<&'a str> {
        let bit = 1u64 << (i % SCENARIOS_PER_PASS);
        let Some(m) = self.passes.get(i / SCENARIOS_PER_PASS) else {
            return Vec::new();
        };
        items
            .iter()
            .filter(|it| pick(m, it.id) & bit != 0)
            .map(|it| sbom.components[it.id].bom_ref.as_str())
            .collect()
    }

    /// The report entry of scenario `i`; `unknown`: the index of its unknown-origin variant,
    /// when it has one.
    pub fn result<'a>(
        &self,
        i: usize,
        unknown: Option<usize>,
        spec: &ScenarioSpec,
        items: &[Item<'a>],
        sbom: &'a Sbom,
    ) -> ScenarioResult<'a> {
        let get = |v: &[f64], i: usize| v.get(i).copied().unwrap_or(0.0);
        let at = |m: &Vec<u64>, id: usize| m.get(id).copied().unwrap_or(0);
        let removed = |m: &Masks, id| at(&m.removed, id);
        let lost = |m: &Masks, id| at(&m.lost, id);
        let degraded = |m: &Masks, id| at(&m.degraded, id) & !at(&m.lost, id);
        // The components of unknown origin (or, for a disruption, of unknown production) that
        // the variant cuts and the scenario does not.
        let unknown_components = unknown.map_or_else(Vec::new, |u| {
            let ubit = 1u64 << (u % SCENARIOS_PER_PASS);
            let bit = 1u64 << (i % SCENARIOS_PER_PASS);
            let (Some(mu), Some(mi)) = (
                self.passes.get(u / SCENARIOS_PER_PASS),
                self.passes.get(i / SCENARIOS_PER_PASS),
            ) else {
                return Vec::new();
            };
            let cut =
                |m: &Masks, id: usize, b: u64| (at(&m.removed, id) | at(&m.degraded, id)) & b != 0;
            items
                .iter()
                .filter(|it| cut(mu, it.id, ubit) && !cut(mi, it.id, bit))
                .map(|it| sbom.components[it.id].bom_ref.as_str())
                .collect()
        });
        let impact = get(&self.impact, i);
        ScenarioResult {
            name: spec.name(),
            removed_components: self.refs(i, removed, items, sbom),
            degraded_components: self.refs(i, degraded, items, sbom),
            affected_components: self.refs(i, lost, items, sbom),
            unknown_components,
            product_share_lost: get(&self.lost, i),
            product_share_degraded: get(&self.degraded, i),
            impact,
            impact_if_unknown_here: unknown.map(|u| get(&self.impact, u).max(impact)),
        }
    }
}

/// Bit `k` of node `v` in the first mask: scenario `chunk[k]` cuts component `v` and its code
/// goes with it; in the second: it cuts `v`'s origin but `v`'s code stays (published open
/// source). An embargo cuts the components of that origin country and, with
/// `include_channels`, those delivered through an unmirrored channel of that country (and, in
/// its unknown-origin variant, those of unknown origin); a vendor scenario cuts the vendor's
/// components (its id or name, ASCII case ignored).
fn cut_masks(
    items: &[Item<'_>],
    chunk: &[Cut<'_>],
    include_channels: bool,
    production: &[&[String]],
    n_nodes: usize,
) -> (Vec<u64>, Vec<u64>) {
    let mut by_country: FxHashMap<&str, u64> = FxHashMap::default();
    let mut by_site: FxHashMap<&str, u64> = FxHashMap::default();
    let mut vendors: Vec<(&str, u64)> = Vec::new();
    let mut unknown_bits = 0u64;
    let mut unknown_site_bits = 0u64;
    for (k, cut) in chunk.iter().enumerate() {
        let physical = matches!(cut.spec, ScenarioSpec::Disruption(_));
        match cut.spec {
            ScenarioSpec::Embargo(cc) => *by_country.entry(cc.as_str()).or_default() |= 1 << k,
            ScenarioSpec::Vendor(v) => vendors.push((v.as_str(), 1 << k)),
            ScenarioSpec::Disruption(cc) => *by_site.entry(cc.as_str()).or_default() |= 1 << k,
        }
        if cut.with_unknown {
            if physical {
                unknown_site_bits |= 1 << k;
            } else {
                unknown_bits |= 1 << k;
            }
        }
    }
    // Vendor keys repeat across components: each (interned) vendor is matched once.
    let mut vendor_memo: Vec<Option<u64>> = Vec::new();
    let mut removed = vec![0u64; n_nodes];
    let mut degraded = vec![0u64; n_nodes];
    for it in items {
        let country = |cc: Option<&str>| cc.and_then(|c| by_country.get(c)).copied().unwrap_or(0);
        let mut m = country(it.country);
        if it.country.is_none() {
            m |= unknown_bits;
        }
        // A physical disruption cuts hardware where it is made; hardware whose production no
        // record gives is cut in the unknown-production variant.
        if it.kind == super::SupplyKind::Hardware && !(by_site.is_empty() && unknown_site_bits == 0)
        {
            let sites = production.get(it.vix as usize).copied().unwrap_or(&[]);
            if sites.is_empty() {
                m |= unknown_site_bits;
            } else {
                for cc in sites {
                    m |= by_site.get(cc.as_str()).copied().unwrap_or(0);
                }
            }
        }
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
        let slot = if it.kind.code_stays() {
            degraded.get_mut(it.id)
        } else {
            removed.get_mut(it.id)
        };
        if let Some(slot) = slot {
            *slot = m;
        }
    }
    (removed, degraded)
}
