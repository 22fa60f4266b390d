//! Component weight and supply kind (docs/scoring.md, "Component weight" and "Supply kinds"):
//! the first stage of scoring. Every scored component becomes an [`Item`] with its weight, its
//! attribution (vendor, origin, channel, interned), what it supplies and what a cut takes away
//! from it. Its profile slice is `[criticality]`.

use super::completeness::{self, Completeness};
use super::licence::{LicenceState, SupplyKind};
use super::profile::ScoringProfile;
use super::{fx, pair, Fixed, Interner, Item};
use crate::attribution::Attribution;
use crate::data::Registry;
use crate::graph::csr::Csr;
use crate::graph::DependencyGraph;
use crate::model::{ComponentKind, Sbom};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[criticality]`: how much a component weighs.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub dominated_weight: f64,
    pub cryptography: f64,
    pub cryptography_names: Vec<String>,
    /// Factor per component kind (kebab-case name); every kind must be present.
    pub kind: BTreeMap<String, f64>,
}

impl Config {
    pub(super) fn validate(&self, out: &mut Vec<String>) {
        for kind in ComponentKind::ALL {
            match self.kind.get(kind.as_str()) {
                Some(v) if *v >= 0.0 && v.is_finite() => {}
                Some(v) => out.push(format!(
                    "criticality.kind.{} = {v} is negative",
                    kind.as_str()
                )),
                None => out.push(format!("criticality.kind has no '{}'", kind.as_str())),
            }
        }
        for k in self.kind.keys() {
            if !ComponentKind::ALL.iter().any(|x| x.as_str() == k) {
                out.push(format!("criticality.kind.{k}: unknown component kind"));
            }
        }
        if self.dominated_weight < 0.0 || self.cryptography < 0.0 {
            out.push("criticality weights must not be negative".into());
        }
    }
}

/// What the first stage hands on: the scored items and what was read beside them.
pub(super) struct Supply<'a> {
    pub items: Vec<Item<'a>>,
    /// Per component (by id): its weight; 0 for the roots.
    pub weights: Vec<f64>,
    /// Sum of the items' weights.
    pub total: Fixed,
    pub n_scored: usize,
    pub vendor_ix: Interner<'a>,
    pub country_ix: Interner<'a>,
    /// Per component: its attribution.
    pub by_component: Vec<Option<&'a Attribution<'a>>>,
    /// Per node: how many scored components it dominates.
    pub dominated: Vec<u32>,
    pub csr: Csr,
    pub completeness: Vec<Completeness>,
}

/// Weighs every scored component and reads its supply kind.
pub(super) fn supply<'a>(
    reg: &Registry,
    sbom: &'a Sbom,
    graph: &DependencyGraph,
    attributions: &'a [Attribution<'a>],
    p: &ScoringProfile,
    buyer: &str,
) -> Supply<'a> {
    let n_nodes = graph.graph.node_count();
    // Every component but the roots (and the document node above several roots).
    let mut scored: Vec<bool> = (0..n_nodes).map(|i| i < sbom.components.len()).collect();
    // One root is the product itself. A document that describes several packages (an SPDX
    // document of 54 source packages) is analysed as a whole: the document is the product and
    // every described package is one of its components, so nothing is dropped.
    if sbom.roots.len() == 1 {
        for r in &sbom.roots {
            scored[r.index()] = false;
        }
    }
    let n_scored = scored.iter().filter(|s| **s).count();
    // The graph passes and the SBOM completeness read different things: run them side by side.
    let crypto: FxHashSet<String> = p
        .criticality
        .cryptography_names
        .iter()
        .map(|n| n.to_ascii_lowercase())
        .collect();
    let small = crate::par::small(sbom.components.len());
    let ((csr, dominated), (completeness, flags)) = crate::par::join(
        small,
        || {
            let csr = Csr::new(graph);
            let dominated = csr.dominated_counts(&scored);
            (csr, dominated)
        },
        || {
            crate::par::join(
                small,
                || completeness::completeness(sbom, graph),
                // Per component: what its licence says (licence expressions repeat: each
                // distinct one is parsed once) and whether it is cryptography by name. Both read
                // text scattered over the heap, so they run here, beside the graph passes.
                || -> Vec<(LicenceState, bool)> {
                    let list = &p.exposure.open_source_licences;
                    let distinct: FxHashSet<&str> = sbom
                        .components
                        .iter()
                        .filter_map(|c| c.licenses.as_deref())
                        .collect();
                    let states: FxHashMap<&str, LicenceState> = distinct
                        .into_iter()
                        .map(|l| (l, LicenceState::of(Some(l), list)))
                        .collect();
                    let of = |c: &crate::model::Component| {
                        let open = c
                            .licenses
                            .as_deref()
                            .and_then(|l| states.get(l).copied())
                            .unwrap_or(LicenceState::Undeclared);
                        let is_crypto = if c.name.bytes().any(|b| b.is_ascii_uppercase()) {
                            crypto.contains(&c.name.to_ascii_lowercase())
                        } else {
                            crypto.contains(c.name.as_str())
                        };
                        (open, is_crypto)
                    };
                    crate::par::map_min(small, &sbom.components, 4096, of)
                },
            )
        },
    );
    let kind_factor: Vec<f64> = ComponentKind::ALL
        .iter()
        .map(|k| p.criticality.kind.get(k.as_str()).copied().unwrap_or(1.0))
        .collect();
    let by_component: Vec<Option<&Attribution<'a>>> = {
        let mut v = vec![None; sbom.components.len()];
        for a in attributions {
            if let Some(slot) = v.get_mut(a.component.index()) {
                *slot = Some(a);
            }
        }
        v
    };
    let denom = n_scored.saturating_sub(1).max(1) as f64;
    let mut items: Vec<Item<'a>> = Vec::with_capacity(n_scored);
    let mut weights = vec![0.0f64; sbom.components.len()];
    let mut vendor_ix = Interner::default();
    let mut country_ix = Interner::default();
    for (i, c) in sbom.components.iter().enumerate() {
        if !scored[i] {
            continue;
        }
        let mut base = kind_factor.get(c.kind as usize).copied().unwrap_or(1.0);
        let (licence, is_crypto) = flags
            .get(i)
            .copied()
            .unwrap_or((LicenceState::Undeclared, false));
        if is_crypto {
            base = base.max(p.criticality.cryptography);
        }
        let share = f64::from(dominated[i]) / denom;
        let w = base * (1.0 + p.criticality.dominated_weight * share);
        weights[i] = w;
        let a = by_component[i];
        // A vendor's direct delivery is no second route: its jurisdiction is the origin's.
        let channel = a.and_then(|a| a.channel.as_ref()).filter(|ch| !ch.direct);
        let country = a.and_then(|a| a.country);
        let vendor_key = a.and_then(|a| a.vendor.as_ref()).map(|v| match v.id {
            Some(id) => id,
            None => &*v.name,
        });
        let channel_country = channel.and_then(|ch| ch.country);
        // A package a distribution shipped, when that distribution publishes the source of
        // every package (`source_archive` of its distribution rule).
        // (The operating-system entry of such a distribution too, however it was attributed.)
        let distribution_source = || {
            a.is_some_and(|a| {
                a.winner().is_some_and(|w| {
                    let by_distribution =
                        matches!(w.rule, "purl-distro" | "version-distro" | "sibling-distro")
                            || c.kind == ComponentKind::OperatingSystem;
                    by_distribution && w.vendor.is_some_and(|id| reg.source_archive(id).is_some())
                })
            })
        };
        // Or a package of a registry that ships source (`ships_source` in data/channels.toml).
        let registry_source = || {
            c.purl
                .as_deref()
                .and_then(crate::attribution::purl::parse)
                .and_then(|p| reg.channel(&p.ty, None))
                .is_some_and(|ch| ch.ships_source)
        };
        // Read only when the licence leaves the question open (most components declare one).
        let published = matches!(licence, LicenceState::Undeclared | LicenceState::Mixed)
            && (distribution_source() || registry_source() || forge_source(reg, c));
        let kind = SupplyKind::of(c.kind == ComponentKind::Device, licence, published);
        items.push(Item {
            id: i,
            weight: fx(w),
            country,
            vendor_key,
            vendor_id: a.and_then(|a| a.vendor.as_ref()).and_then(|v| v.id),
            channel_country,
            supply: pair::supply::of(c.kind, is_crypto),
            vix: vendor_ix.get(vendor_key),
            cix: country_ix.get(country),
            chix: country_ix.get(channel_country),
            mirrored: channel.is_some_and(|ch| ch.mirrors_in.iter().any(|m| m == buyer)),
            open: kind.code_stays(),
            kind,
            licence,
        });
    }
    let total: Fixed = items.iter().map(|i| i.weight).sum();
    Supply {
        items,
        weights,
        total,
        n_scored,
        vendor_ix,
        country_ix,
        by_component,
        dominated,
        csr,
        completeness,
    }
}

/// Whether a component names its source repository on a public code forge (a VCS reference, or
/// an SPDX download location in VCS syntax, `git+https://github.com/...`, on a `hosting` host of
/// data/purl_rules.toml): its source is published there.
fn forge_source(reg: &Registry, c: &crate::model::Component) -> bool {
    use crate::model::ExternalRefKind;
    c.external_refs.iter().any(|r| {
        let url = r.url.trim();
        let vcs_syntax = ["git+", "hg+", "svn+", "bzr+"].iter().any(|p| {
            url.len() > p.len()
                && url
                    .get(..p.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(p))
        });
        if r.kind != ExternalRefKind::Vcs && !vcs_syntax {
            return false;
        }
        crate::attribution::purl::host_of(url).is_some_and(|host| {
            reg.host_rule(&host)
                .is_some_and(|h| h.kind == crate::data::HostKind::Hosting)
        })
    })
}
