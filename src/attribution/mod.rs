//! Attribution: who supplies each component, under which jurisdiction, through which channel.
//!
//! Each component is run through the evidence rules, strongest first (user overrides, SBOM
//! declarations, CPE vendor, purl namespace, domains, online metadata). Every rule that fires
//! adds an [`Evidence`]; the strongest one with a vendor wins, and its vendor's record gives the
//! country and the ultimate parent. Nothing found is an answer too: vendor and country unknown.
//!
//! Architecture invariant: reads the model and the data registry; knows no file format, no score
//! and no report. Confidence weights come from `data/attribution.toml`, never from code.

pub mod cache;
pub mod cpe;
pub mod online;
mod overrides;
mod purl;
mod rules;
mod weights;

pub use overrides::{Override, Overrides, OverridesError};
pub use weights::Weights;

use crate::data::{Registry, VendorIdx};
use crate::model::{ComponentId, Sbom};
use rayon::prelude::*;
use serde::Serialize;

/// Which rule family produced a piece of evidence, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceSource {
    Override,
    Declared,
    Cpe,
    Purl,
    Domain,
    Online,
}

impl EvidenceSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceSource::Override => "override",
            EvidenceSource::Declared => "declared",
            EvidenceSource::Cpe => "cpe",
            EvidenceSource::Purl => "purl",
            EvidenceSource::Domain => "domain",
            EvidenceSource::Online => "online",
        }
    }
}

/// One finding about a component's vendor or country, and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub source: EvidenceSource,
    /// Stable rule id, e.g. `cpe-vendor`, `purl-namespace`, `declared-supplier`.
    pub rule: &'static str,
    /// What was seen and which data row matched, e.g.
    /// `CPE vendor 'cisco' -> data/vendors/network-equipment.toml#cisco`.
    pub detail: String,
    /// Vendor id in the registry, when the evidence names a known organisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// A vendor name the registry does not know (declared in the SBOM, from an override).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub confidence: f64,
    /// Set on the evidence that decided the attribution.
    pub won: bool,
    #[serde(skip)]
    pub(crate) vendor_idx: Option<VendorIdx>,
}

/// A vendor as reported: id and name, and the ultimate parent where ownership is known.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VendorRef {
    /// Registry id, or `None` for a vendor known only by the name an SBOM declares.
    pub id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<ParentRef>,
}

/// The ultimate parent of a vendor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParentRef {
    pub id: String,
    pub name: String,
    pub country: Option<String>,
}

/// The distribution channel a component comes through.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelRef {
    pub name: String,
    /// Operator's country; `None` when unknown.
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Buyer jurisdictions with a common domestic mirror of this channel.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mirrors_in: Vec<String>,
}

/// The attribution of one component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribution {
    #[serde(skip)]
    pub component: ComponentId,
    #[serde(rename = "ref")]
    pub bom_ref: String,
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub vendor: Option<VendorRef>,
    pub country: Option<String>,
    pub channel: Option<ChannelRef>,
    pub confidence: f64,
    pub evidence: Vec<Evidence>,
}

/// Runs the rules over every component of an SBOM.
pub struct Attributor<'r> {
    pub registry: &'r Registry,
    pub overrides: Overrides,
    pub weights: Weights,
    /// Online metadata by purl, fetched (or read from the cache) before attributing.
    pub online: std::collections::BTreeMap<String, Vec<online::PackageFacts>>,
}

impl<'r> Attributor<'r> {
    /// An attributor with the registry's weights and no overrides.
    pub fn new(registry: &'r Registry) -> Attributor<'r> {
        Attributor {
            registry,
            overrides: Overrides::default(),
            weights: Weights::from_registry(registry),
            online: Default::default(),
        }
    }

    /// The purls worth asking online sources about: components without a vendor in the data
    /// after the offline rules.
    pub fn online_candidates(&self, sbom: &Sbom, offline: &[Attribution]) -> Vec<String> {
        let mut purls: Vec<String> = offline
            .iter()
            .filter(|a| a.vendor.as_ref().is_none_or(|v| v.id.is_none()))
            .filter_map(|a| sbom.component(a.component).purl.clone())
            .collect();
        purls.sort();
        purls.dedup();
        purls
    }

    /// Attributes every component (roots included), in component order, in parallel.
    pub fn attribute(&self, sbom: &Sbom) -> Vec<Attribution> {
        let names = rules::name_cache(self.registry, sbom);
        let ids: Vec<ComponentId> = sbom.iter().map(|(id, _)| id).collect();
        ids.par_iter()
            .with_min_len(256)
            .map(|&id| self.attribute_with(sbom, id, Some(&names)))
            .collect()
    }

    /// Attributes one component.
    pub fn attribute_one(&self, sbom: &Sbom, id: ComponentId) -> Attribution {
        self.attribute_with(sbom, id, None)
    }

    fn attribute_with(
        &self,
        sbom: &Sbom,
        id: ComponentId,
        names: Option<&rules::NameCache<'_>>,
    ) -> Attribution {
        let c = sbom.component(id);
        let purl = c.purl.as_deref().and_then(purl::parse);
        let mut evidence = rules::collect(self, sbom, c, purl.as_ref(), names);
        resolve(self, c, id, purl.as_ref(), &mut evidence)
    }
}

/// Picks the winner among the evidence and fills vendor, country, parent, channel, confidence.
fn resolve(
    a: &Attributor<'_>,
    c: &crate::model::Component,
    id: ComponentId,
    purl: Option<&purl::PurlInfo>,
    evidence: &mut Vec<Evidence>,
) -> Attribution {
    let reg = a.registry;
    // Strongest first; ties broken by rule family order, then by detail for determinism.
    evidence.sort_by(|x, y| {
        y.confidence
            .total_cmp(&x.confidence)
            .then(x.source.cmp(&y.source))
            .then_with(|| x.detail.cmp(&y.detail))
    });
    evidence.dedup_by(|x, y| x.rule == y.rule && x.detail == y.detail);

    let winner = evidence
        .iter()
        .position(|e| e.vendor_idx.is_some() || e.vendor_name.is_some());
    let mut vendor = None;
    let mut country = None;
    let mut confidence = 0.0;
    if let Some(w) = winner {
        evidence[w].won = true;
        let e = &evidence[w];
        confidence = e.confidence;
        match e.vendor_idx {
            Some(idx) => {
                let v = reg.vendor(idx);
                let top = reg.ultimate_parent(idx);
                let parent = (top != idx).then(|| {
                    let p = reg.vendor(top);
                    ParentRef {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        country: p.country.clone(),
                    }
                });
                vendor = Some(VendorRef {
                    id: Some(v.id.clone()),
                    name: v.name.clone(),
                    parent,
                });
                country = e.country.clone().or_else(|| v.country.clone());
            }
            None => {
                vendor = Some(VendorRef {
                    id: None,
                    name: e.vendor_name.clone().unwrap_or_default(),
                    parent: None,
                });
                country = e.country.clone();
            }
        }
        // Strong evidence for another country lowers the confidence: the answer is contested.
        // The user's own override is never contested.
        let contested = evidence[w].source != EvidenceSource::Override
            && evidence.iter().any(|o| {
                !o.won
                    && o.confidence >= a.weights.contest_threshold
                    && o.country.is_some()
                    && o.country != country
            });
        if contested {
            confidence *= a.weights.contested_factor;
        }
    }
    if country.is_none() {
        // No vendor, or a vendor without a known country: the best country-only hint.
        if let Some(e) = evidence
            .iter_mut()
            .filter(|e| e.country.is_some() && e.confidence >= a.weights.min_country_confidence)
            .max_by(|x, y| x.confidence.total_cmp(&y.confidence))
        {
            country = e.country.clone();
            if winner.is_none() {
                e.won = true;
                confidence = e.confidence;
            }
        }
    }
    let channel = rules::channel(a, purl, vendor.as_ref(), country.as_deref());
    Attribution {
        component: id,
        bom_ref: c.bom_ref.clone(),
        name: c.name.clone(),
        version: c.version.clone(),
        purl: c.purl.clone(),
        vendor,
        country,
        channel,
        confidence: (confidence * 1000.0).round() / 1000.0,
        evidence: std::mem::take(evidence),
    }
}

#[cfg(test)]
mod tests;
