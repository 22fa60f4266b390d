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
mod detail;
pub mod online;
mod overrides;
pub mod purl;
mod rules;
mod weights;

pub use detail::{Detail, Seen, Via};
pub use overrides::{Override, Overrides, OverridesError};
pub use weights::Weights;

use crate::data::{Registry, VendorIdx};
use crate::model::{ComponentId, Sbom};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

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

/// One finding about a component's vendor or country, and where it came from. Borrows from the
/// SBOM and the data registry; its `detail` is formatted only when shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence<'a> {
    pub source: EvidenceSource,
    /// Stable rule id, e.g. `cpe-vendor`, `purl-namespace`, `declared-supplier`.
    pub rule: &'static str,
    /// What was seen and which data row matched, e.g.
    /// `CPE vendor 'cisco' -> data/vendors/network-equipment.toml#cisco`.
    #[serde(serialize_with = "as_display")]
    pub detail: Detail<'a>,
    /// Vendor id in the registry, when the evidence names a known organisation (the record's
    /// own string, referenced: 8 bytes where a slice takes 16).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<&'a String>,
    /// A vendor name the registry does not know (declared in the SBOM, from an override).
    /// Boxed: most evidence has none, and a `Cow` inline would take 24 bytes in every piece.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_name: Option<Box<Cow<'a, str>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<&'a str>,
    pub confidence: f64,
    /// Set on the evidence that decided the attribution.
    pub won: bool,
    #[serde(skip)]
    pub(crate) vendor_idx: Option<VendorIdx>,
}

fn as_display<T: std::fmt::Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// A vendor as reported: id and name, and the ultimate parent where ownership is known.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VendorRef<'a> {
    /// Registry id, or `None` for a vendor known only by the name an SBOM declares.
    pub id: Option<&'a str>,
    pub name: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<ParentRef<'a>>,
}

/// The ultimate parent of a vendor: its registry record, referenced (8 bytes in every
/// attribution where its three fields took 48). Serialised as `{id, name, country}`.
#[derive(Debug, Clone, Copy)]
pub struct ParentRef<'a>(&'a crate::data::Vendor);

impl<'a> ParentRef<'a> {
    pub fn new(v: &'a crate::data::Vendor) -> ParentRef<'a> {
        ParentRef(v)
    }

    pub fn id(&self) -> &'a str {
        &self.0.id
    }

    pub fn name(&self) -> &'a str {
        &self.0.name
    }

    pub fn country(&self) -> Option<&'a str> {
        self.0.country.as_deref()
    }
}

impl PartialEq for ParentRef<'_> {
    fn eq(&self, o: &Self) -> bool {
        self.id() == o.id() && self.name() == o.name() && self.country() == o.country()
    }
}

impl Serialize for ParentRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ParentRef", 3)?;
        st.serialize_field("id", self.id())?;
        st.serialize_field("name", self.name())?;
        st.serialize_field("country", &self.country())?;
        st.end()
    }
}

/// The distribution channel a component comes through.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelRef<'a> {
    pub name: Cow<'a, str>,
    /// Operator's country; `None` when unknown.
    pub country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<&'a str>,
    /// Buyer jurisdictions with a common domestic mirror of this channel.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub mirrors_in: &'a [String],
    /// The vendor delivers directly (no third-party channel): its jurisdiction is the origin's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub direct: bool,
}

/// The attribution of one component; borrows from the SBOM and the data registry. The
/// component's own fields (`ref`, name, version, purl) are read through it, not copied: one
/// attribution per component is held to the end of a run, a million in a large product.
#[derive(Debug, Clone)]
pub struct Attribution<'a> {
    pub component: ComponentId,
    /// The attributed component.
    of: &'a crate::model::Component,
    pub vendor: Option<VendorRef<'a>>,
    pub country: Option<&'a str>,
    pub channel: Option<ChannelRef<'a>>,
    pub confidence: f64,
    pub evidence: Vec<Evidence<'a>>,
}

impl<'a> Attribution<'a> {
    /// The evidence that decided the attribution, if any.
    pub fn winner(&self) -> Option<&Evidence<'a>> {
        self.evidence.iter().find(|e| e.won)
    }

    /// The component's `bom-ref` (SPDX id).
    pub fn bom_ref(&self) -> &'a str {
        &self.of.bom_ref
    }

    pub fn name(&self) -> &'a str {
        &self.of.name
    }

    pub fn version(&self) -> Option<&'a str> {
        self.of.version.as_deref()
    }

    pub fn purl(&self) -> Option<&'a str> {
        self.of.purl.as_deref()
    }
}

impl PartialEq for Attribution<'_> {
    fn eq(&self, o: &Self) -> bool {
        self.component == o.component
            && self.bom_ref() == o.bom_ref()
            && self.name() == o.name()
            && self.version() == o.version()
            && self.purl() == o.purl()
            && self.vendor == o.vendor
            && self.country == o.country
            && self.channel == o.channel
            && self.confidence == o.confidence
            && self.evidence == o.evidence
    }
}

/// The JSON of `attribute --format json`: `ref`, `name`, `version`, `purl`, then what was found.
impl Serialize for Attribution<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Attribution", Attribution::FIELDS)?;
        self.serialize_fields(&mut st)?;
        st.end()
    }
}

impl Attribution<'_> {
    /// How many fields [`Attribution::serialize_fields`] writes.
    pub const FIELDS: usize = 9;

    /// Writes the fields of the JSON form into a struct being serialised (for a row that adds
    /// its own after them).
    pub fn serialize_fields<S: serde::ser::SerializeStruct>(
        &self,
        st: &mut S,
    ) -> Result<(), S::Error> {
        st.serialize_field("ref", self.bom_ref())?;
        st.serialize_field("name", self.name())?;
        st.serialize_field("version", &self.version())?;
        st.serialize_field("purl", &self.purl())?;
        st.serialize_field("vendor", &self.vendor)?;
        st.serialize_field("country", &self.country)?;
        st.serialize_field("channel", &self.channel)?;
        st.serialize_field("confidence", &self.confidence)?;
        st.serialize_field("evidence", &self.evidence)
    }
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
    pub fn online_candidates(&self, sbom: &Sbom, offline: &[Attribution<'_>]) -> Vec<String> {
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
    pub fn attribute<'a>(&self, sbom: &'a Sbom) -> Vec<Attribution<'a>>
    where
        'r: 'a,
    {
        let ids: Vec<ComponentId> = sbom.iter().map(|(id, _)| id).collect();
        let doc = rules::doc_context(self.registry, sbom);
        // One scratch buffer per worker: each attribution then gets its evidence in one
        // allocation of the exact size. Each worker also remembers the lookups that repeat
        // (names, hosts, domains, namespaces, countries) for the rest of this call.
        let mut out: Vec<Attribution<'a>> = if crate::par::small(ids.len()) {
            let (mut scratch, mut memo) = (Vec::new(), rules::Memo::default());
            ids.iter()
                .map(|&id| self.attribute_with(sbom, &doc, id, &mut memo, &mut scratch))
                .collect()
        } else {
            ids.par_iter()
                .with_min_len(256)
                .map_init(
                    || (Vec::new(), rules::Memo::default()),
                    |(scratch, memo), &id| self.attribute_with(sbom, &doc, id, memo, scratch),
                )
                .collect()
        };
        // A layer of an image is supplied by whoever publishes the image. Two rounds reach a
        // layer of a layer.
        for _ in 0..2 {
            let mut changed = false;
            for (layer, container) in &doc.layers {
                let (l, c) = (*layer as usize, *container as usize);
                if l == c || l >= out.len() || c >= out.len() || out[l].vendor.is_some() {
                    continue;
                }
                // Both at once, without copying the container's attribution.
                let (layer, parent) = if l < c {
                    let (head, tail) = out.split_at_mut(c);
                    (&mut head[l], &tail[0])
                } else {
                    let (head, tail) = out.split_at_mut(l);
                    (&mut tail[0], &head[c])
                };
                changed |= self.inherit(layer, parent, sbom);
            }
            if !changed {
                break;
            }
        }
        out
    }

    /// Gives a layer without a vendor of its own its container's vendor and country, as
    /// `container-layer` evidence. Returns whether anything changed.
    fn inherit<'a>(
        &self,
        layer: &mut Attribution<'a>,
        container: &Attribution<'a>,
        sbom: &'a Sbom,
    ) -> bool
    where
        'r: 'a,
    {
        let (Some(vendor), Some(w)) = (container.vendor.clone(), container.winner()) else {
            return false;
        };
        let confidence = self.weights.of("container-layer").min(container.confidence);
        let c = sbom.component(container.component);
        layer.evidence.push(Evidence {
            source: w.source,
            rule: "container-layer",
            detail: Detail {
                seen: Seen::ContainerLayer { container: &c.name },
                row: w.detail.row,
            },
            vendor: w.vendor,
            vendor_name: w.vendor_name.clone(),
            country: container.country,
            confidence,
            won: true,
            vendor_idx: w.vendor_idx,
        });
        for e in layer.evidence.iter_mut() {
            e.won = e.rule == "container-layer";
        }
        layer.vendor = Some(vendor);
        layer.country = container.country;
        layer.confidence = (confidence * 1000.0).round() / 1000.0;
        if layer.channel.is_none() {
            layer.channel = container.channel.clone();
        }
        true
    }

    /// Attributes one component. What the document says as a whole (a container's other
    /// packages) counts, so this reads the whole SBOM: use [`Attributor::attribute`] for many.
    pub fn attribute_one<'a>(&self, sbom: &'a Sbom, id: ComponentId) -> Attribution<'a>
    where
        'r: 'a,
    {
        let doc = rules::doc_context(self.registry, sbom);
        let mut a = self.attribute_with(sbom, &doc, id, &mut Default::default(), &mut Vec::new());
        if a.vendor.is_none() {
            if let Some((_, container)) = doc.layers.iter().find(|(l, _)| *l == id.0) {
                let parent = self.attribute_one(sbom, ComponentId(*container));
                self.inherit(&mut a, &parent, sbom);
            }
        }
        a
    }

    fn attribute_with<'a>(
        &self,
        sbom: &'a Sbom,
        doc: &rules::DocContext,
        id: ComponentId,
        memo: &mut rules::Memo<'a>,
        scratch: &mut Vec<Evidence<'a>>,
    ) -> Attribution<'a>
    where
        'r: 'a,
    {
        let c = sbom.component(id);
        let purl = c.purl.as_deref().and_then(purl::parse);
        scratch.clear();
        rules::collect(self, sbom, doc.hit(id), c, purl.as_ref(), memo, scratch);
        resolve(self, memo, c, id, purl.as_ref(), scratch)
    }
}

/// Picks the winner among the evidence and fills vendor, country, parent, channel, confidence.
fn resolve<'a>(
    a: &Attributor<'a>,
    memo: &mut rules::Memo<'a>,
    c: &'a crate::model::Component,
    id: ComponentId,
    purl: Option<&purl::PurlInfo<'a>>,
    evidence: &mut Vec<Evidence<'a>>,
) -> Attribution<'a> {
    let reg: &'a Registry = a.registry;
    // Strongest first; ties keep the order the rules ran in (a stable sort), which is fixed.
    evidence.sort_by(|x, y| {
        y.confidence
            .total_cmp(&x.confidence)
            .then(x.source.cmp(&y.source))
    });
    // The same finding twice (one URL in two fields) is shown once.
    let mut i = 1;
    while i < evidence.len() {
        if evidence[..i]
            .iter()
            .any(|e| e.rule == evidence[i].rule && e.detail == evidence[i].detail)
        {
            evidence.remove(i);
        } else {
            i += 1;
        }
    }

    let winner = evidence
        .iter()
        .position(|e| e.vendor_idx.is_some() || e.vendor_name.is_some());
    let mut vendor = None;
    let mut country: Option<&'a str> = None;
    let mut confidence = 0.0;
    if let Some(w) = winner {
        evidence[w].won = true;
        let e = &evidence[w];
        confidence = e.confidence;
        match e.vendor_idx {
            Some(idx) => {
                let v = reg.vendor(idx);
                let top = reg.ultimate_parent(idx);
                let parent = (top != idx).then(|| ParentRef::new(reg.vendor(top)));
                vendor = Some(VendorRef {
                    id: Some(&v.id),
                    name: Cow::Borrowed(&v.name),
                    parent,
                });
                country = e.country.or(v.country.as_deref());
            }
            None => {
                vendor = Some(VendorRef {
                    id: None,
                    name: e.vendor_name.as_deref().cloned().unwrap_or_default(),
                    parent: None,
                });
                country = e.country;
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
    // One answer, one source: the country is the winning vendor's, or the winning evidence's
    // own. A vendor whose record has no country gives none, whatever losing evidence (another
    // organisation's domain, a registry, a TLD) says. Only what the SBOM itself declares about
    // this component (an address country) may fill it: for a declared winner, or when nothing
    // names a vendor at all.
    let declared_winner = winner.is_none_or(|w| {
        matches!(
            evidence[w].source,
            EvidenceSource::Declared | EvidenceSource::Override
        )
    });
    if country.is_none() && declared_winner {
        if let Some(e) = evidence
            .iter_mut()
            .filter(|e| {
                e.country.is_some()
                    && e.vendor_idx.is_none()
                    && e.vendor_name.is_none()
                    && matches!(
                        e.source,
                        EvidenceSource::Declared | EvidenceSource::Override
                    )
                    && e.confidence >= a.weights.min_country_confidence
            })
            .max_by(|x, y| x.confidence.total_cmp(&y.confidence))
        {
            country = e.country;
            if winner.is_none() {
                e.won = true;
                confidence = e.confidence;
            }
        }
    }
    let channel = rules::channel(a, memo, purl, vendor.as_ref(), country);
    // Exactly sized; the caller's scratch buffer keeps its capacity for the next component.
    let mut kept = Vec::with_capacity(evidence.len());
    kept.append(evidence);
    Attribution {
        component: id,
        of: c,
        vendor,
        country,
        channel,
        confidence: (confidence * 1000.0).round() / 1000.0,
        evidence: kept,
    }
}

#[cfg(test)]
mod tests;
