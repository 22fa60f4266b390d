//! Scoring: Article 10 factors 2 and 3 of the Cybersecurity Review Measures, for one product
//! (SBOM), one buyer jurisdiction and one scoring profile.
//!
//! Inputs: the model, its dependency graph, the attributions, the data registry (jurisdictions,
//! vendor measures, channels) and the profile (`data/weights/scoring.toml`). Output: a
//! [`Report`] that only reads them; every figure in it traces to components and data rows. The
//! formulas are written out in docs/scoring.md, and each one is named where it is computed.
//!
//! Architecture invariant: knows the model, the graph, attribution results and the data; knows
//! no file format and no report format.

pub mod completeness;
pub mod diff;
mod findings;
mod graph;
pub mod licence;
pub mod pair;
pub mod portfolio;
mod rating;
mod scenario;

pub use findings::{Code, Factor, Finding, Severity};

use crate::attribution::Attribution;
use crate::data::scoring::ScoringProfile;
use crate::data::Registry;
use crate::graph::DependencyGraph;
use crate::model::Sbom;
use licence::{LicenceState, SupplyKind};
use pair::{PairCard, VendorMeasureHit};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::BTreeMap;

/// The report schema id.
pub const SCHEMA: &str = "sbomrisk/report/v2";

/// A supply-cut scenario.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScenarioSpec {
    /// `embargo:CC`: the country's supply stops.
    Embargo(String),
    /// `vendor:ID`: the vendor's supply stops (a registry id or a vendor name as reported).
    Vendor(String),
    /// `disruption:CC`: a physical disruption (blockade, disaster, war) stops production in the
    /// country: hardware whose vendor makes it there (`fab_countries`, `assembly_countries` of
    /// data/vendors) is lost, whatever the vendor's legal origin.
    Disruption(String),
}

impl ScenarioSpec {
    /// Parses `embargo:CC` or `vendor:ID`.
    pub fn parse(s: &str, reg: &Registry) -> Result<ScenarioSpec, String> {
        match s.split_once(':') {
            Some(("embargo", cc)) => match reg.country_code(cc) {
                Some(code) => Ok(ScenarioSpec::Embargo(code.to_string())),
                None => Err(format!(
                    "scenario '{s}': '{cc}' is not an ISO 3166-1 alpha-2 code"
                )),
            },
            Some(("disruption", cc)) => match reg.country_code(cc) {
                Some(code) => Ok(ScenarioSpec::Disruption(code.to_string())),
                None => Err(format!(
                    "scenario '{s}': '{cc}' is not an ISO 3166-1 alpha-2 code"
                )),
            },
            Some(("vendor", id)) if !id.trim().is_empty() => {
                Ok(ScenarioSpec::Vendor(id.trim().to_string()))
            }
            _ => Err(format!(
                "scenario '{s}': expected embargo:CC, disruption:CC or vendor:ID (e.g. embargo:US, disruption:TW, vendor:broadcom)"
            )),
        }
    }

    pub fn name(&self) -> String {
        match self {
            ScenarioSpec::Embargo(c) => format!("embargo:{c}"),
            ScenarioSpec::Vendor(v) => format!("vendor:{v}"),
            ScenarioSpec::Disruption(c) => format!("disruption:{c}"),
        }
    }
}

/// Who the buyer is, as far as who must comply with a measure goes (`binds` of
/// data/jurisdictions/vendor_measures.toml). The Cybersecurity Review Measures' subject is the
/// operator of critical information infrastructure, hence `ciio` by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BuyerClass {
    /// An operator of critical information infrastructure.
    #[default]
    Ciio,
    /// A government agency (or its contractor, for procurement measures).
    Government,
    /// Defence contracting (bound by government measures too).
    Defense,
    /// Anyone else: bound only by measures that bind everyone under the jurisdiction.
    Private,
}

impl BuyerClass {
    pub const ALL: [&'static str; 4] = ["ciio", "government", "defense", "private"];

    pub fn parse(s: &str) -> Result<BuyerClass, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ciio" => Ok(BuyerClass::Ciio),
            "government" => Ok(BuyerClass::Government),
            "defense" | "defence" => Ok(BuyerClass::Defense),
            "private" => Ok(BuyerClass::Private),
            _ => Err(format!(
                "buyer class '{s}' is not one of ciio, government, defense, private"
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BuyerClass::Ciio => "ciio",
            BuyerClass::Government => "government",
            BuyerClass::Defense => "defense",
            BuyerClass::Private => "private",
        }
    }

    /// Whether a measure that binds `binds` (all | ciio | government | defense) binds this buyer.
    pub fn bound_by(self, binds: &str) -> bool {
        match binds {
            "all" => true,
            "ciio" => self == BuyerClass::Ciio,
            "government" => matches!(self, BuyerClass::Government | BuyerClass::Defense),
            "defense" => self == BuyerClass::Defense,
            _ => false,
        }
    }
}

/// What the caller chooses.
#[derive(Debug, Clone)]
pub struct Options<'p> {
    /// ISO 3166-1 alpha-2 code of the buyer's jurisdiction.
    pub buyer: String,
    /// Who must comply with which measure (`--buyer-class`).
    pub buyer_class: BuyerClass,
    pub profile: &'p ScoringProfile,
    /// Scenarios to report; empty: the worst country and vendor scenarios.
    pub scenarios: Vec<ScenarioSpec>,
    /// Date the measures are evaluated at (`YYYY-MM-DD`); `None`: today.
    pub as_of: Option<String>,
}

/// One score: its value, its direction and the inputs of its formula.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    /// 0-100, rounded to 0.1.
    pub value: f64,
    /// What 100 means.
    pub direction: &'static str,
    /// The formula, as in docs/scoring.md.
    pub formula: &'static str,
    /// The figures the formula was applied to.
    pub inputs: BTreeMap<&'static str, serde_json::Value>,
    /// The range the score spans over what unknown origin could be (scores whose inputs
    /// include unknown origin; docs/scoring.md, "Unknown origin").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounds: Option<Bounds>,
}

/// A score with unknown origin taken as domestic (`best`) and as the most exposed origin in the
/// data for this buyer (`worst`). `best` is the better end: lower for political exposure,
/// higher for diversity and continuity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bounds {
    pub best: f64,
    pub worst: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub origin_diversity: Score,
    pub single_vendor_reliance: Score,
    pub political_exposure: Score,
    pub continuity: Score,
    pub transparency: Score,
}

/// Low to critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    Low,
    Medium,
    High,
    Critical,
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Low => "low",
            Rating::Medium => "medium",
            Rating::High => "high",
            Rating::Critical => "critical",
        }
    }
}

/// One origin country (or the unknown bucket) and its pair card.
#[derive(Debug, Clone, Serialize)]
pub struct CountryShare {
    /// Alpha-2 code, or `null` for the unknown bucket.
    pub country: Option<String>,
    pub name: Option<String>,
    pub components: usize,
    /// Weighted share of the product, in [0, 1].
    pub share: f64,
    /// Pair-card exposure (buyer, country), in [0, 1]; for the unknown bucket, the exposure
    /// unknown origin is taken at: that of the product's most exposed known foreign origin, and
    /// at least the profile's `unknown_country`.
    pub exposure: f64,
    /// The pair exposure as it bears on each supply class of this country's components
    /// (`software`, `hardware`, `software+crypto` ...): only measures whose scope bears on the
    /// class count (docs/scoring.md, "Measure scope"). Empty for the unknown bucket.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub exposure_by_supply: BTreeMap<&'static str, f64>,
    /// The pair card; absent for the unknown bucket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<PairCard>,
}

/// One vendor and its share.
#[derive(Debug, Clone, Serialize)]
pub struct VendorShare {
    /// Registry id, when the vendor is in data/vendors.
    pub id: Option<String>,
    pub name: String,
    pub country: Option<String>,
    /// What the country is (data/README.md, "Country rule"): `headquarters`, `legal-seat`,
    /// `fiscal-host` (a project without a legal entity, counted in its fiscal host's country),
    /// `sponsor`...; absent for vendors the data does not know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_basis: Option<&'static str>,
    pub components: usize,
    pub share: f64,
    /// Measures of the buyer's authorities naming this vendor.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<VendorMeasureHit>,
}

/// A supply-cut scenario's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult<'a> {
    pub name: String,
    /// Components whose supply the scenario cuts, code and all: proprietary software and
    /// firmware, hardware, and components whose licence is undeclared.
    pub removed_components: Vec<&'a str>,
    /// Published open source whose origin the scenario cuts, still reached by the product: its
    /// code stays, its upstream maintenance and fixes are at risk.
    pub degraded_components: Vec<&'a str>,
    /// Removed components and those the product reaches only through them.
    pub affected_components: Vec<&'a str>,
    /// Components of unknown origin the scenario would also cut if their origin were its
    /// country (country scenarios only): they may be lost.
    pub unknown_components: Vec<&'a str>,
    /// Weighted share of the product lost (`affected_components`), in [0, 1].
    pub product_share_lost: f64,
    /// Weighted share degraded (`degraded_components`), in [0, 1].
    pub product_share_degraded: f64,
    /// `product_share_lost + continuity.degraded_weight x product_share_degraded`.
    pub impact: f64,
    /// The impact if the components of unknown origin came from this country too (country
    /// scenarios only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact_if_unknown_here: Option<f64>,
}

/// Per component: weight, exposure and contribution.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentScore<'a> {
    #[serde(rename = "ref")]
    pub bom_ref: &'a str,
    pub name: &'a str,
    pub version: Option<&'a str>,
    pub purl: Option<&'a str>,
    pub kind: &'static str,
    /// What it supplies as far as measure scopes go: `software`, `hardware`,
    /// `software+hardware` (firmware, drivers), `+crypto`.
    pub supply: &'static str,
    pub vendor: Option<&'a str>,
    pub vendor_id: Option<&'a str>,
    pub country: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub channel_country: Option<&'a str>,
    /// Whether the code stays with the buyer when the origin is cut (supply kind
    /// `open-source`).
    pub open_source: bool,
    /// The licence expression the SBOM declares (concluded where given).
    pub licenses: Option<&'a str>,
    /// What its declared licence says: `open-source`, `not-open-source`, `undeclared`.
    pub licence: &'static str,
    /// What a cut takes away: `open-source` (degraded), `proprietary`, `hardware`,
    /// `undeclared` (lost).
    pub supply_kind: &'static str,
    /// Criticality weight (docs/scoring.md, "Component weight").
    pub weight: f64,
    /// Components the root reaches only through this one.
    pub dominated: u32,
    /// x(c), in [0, 1].
    pub exposure: f64,
    /// weight x exposure / total weight: this component's part of political_exposure / 100.
    pub contribution: f64,
    /// The evidence that decided vendor/country.
    #[serde(serialize_with = "detail_text")]
    pub evidence: Option<&'a crate::attribution::Detail<'a>>,
}

fn detail_text<S: serde::Serializer>(
    d: &Option<&crate::attribution::Detail<'_>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

/// The analysis of one product.
#[derive(Debug, Clone, Serialize)]
pub struct Report<'a> {
    pub schema: &'static str,
    pub tool: Tool,
    pub data_version: String,
    pub profile: ProfileRef,
    pub buyer: String,
    pub buyer_class: BuyerClass,
    pub as_of: String,
    pub file: String,
    pub document: DocumentRef,
    pub scores: Scores,
    pub risk_index: f64,
    pub rating: Rating,
    /// What set the rating: the index band, or the finding that lifted it.
    pub rating_reason: String,
    pub findings: Vec<Finding>,
    pub countries: Vec<CountryShare>,
    pub vendors: Vec<VendorShare>,
    pub scenarios: Vec<ScenarioResult<'a>>,
    pub completeness: Vec<completeness::Completeness>,
    pub components: Vec<ComponentScore<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ProfileRef {
    pub name: String,
    pub digest: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentRef {
    pub format: Option<String>,
    pub spec_version: String,
    pub name: Option<String>,
    /// Components scored (roots, the product itself, are not).
    pub components: usize,
    pub edges: usize,
}

/// Fixed-point sums (1e-9), so that every total is exact and independent of component order.
type Fixed = i128;
const SCALE: f64 = 1e9;
fn fx(v: f64) -> Fixed {
    (v * SCALE).round() as Fixed
}
fn fl(v: Fixed) -> f64 {
    v as f64 / SCALE
}
fn ratio(a: Fixed, b: Fixed) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}
/// `exp(Shannon entropy)` of the shares of `weights`: the effective number of origins.
fn effective_number(weights: impl Iterator<Item = Fixed> + Clone) -> f64 {
    let sum: Fixed = weights.clone().sum();
    let entropy: f64 = weights
        .map(|w| ratio(w, sum))
        .filter(|s| *s > 0.0)
        .map(|s| -s * s.ln())
        .sum();
    entropy.exp()
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// The strongest effect weight (`exposure.vendor_effects`) among vendor measures; 0 for none.
fn strongest_effect<'h>(
    p: &ScoringProfile,
    hits: impl IntoIterator<Item = &'h VendorMeasureHit>,
) -> f64 {
    hits.into_iter()
        .map(|h| {
            p.exposure
                .vendor_effects
                .get(&h.measure.effect)
                .copied()
                .unwrap_or(0.0)
        })
        .fold(0.0, f64::max)
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

/// Whether a vendor measure weighs on a component of `supply` classes (published source when
/// `open`) for a buyer of `class` (docs/scoring.md, "Who a measure binds and what it covers").
fn weighs_on(h: &VendorMeasureHit, class: BuyerClass, supply: u8, open: bool) -> bool {
    let m = &h.measure;
    class.bound_by(&m.binds)
        && pair::supply::of_items(&m.items) & supply != 0
        && (!open || m.reaches_published_source)
}

/// What scoring needs of one component.
struct Item<'a> {
    id: usize,
    weight: Fixed,
    country: Option<&'a str>,
    vendor_key: Option<&'a str>,
    /// Registry id of the vendor, when it is in data/vendors.
    vendor_id: Option<&'a str>,
    channel_country: Option<&'a str>,
    mirrored: bool,
    /// Published open source: a cut degrades it ([`SupplyKind::code_stays`]).
    open: bool,
    kind: SupplyKind,
    licence: LicenceState,
    /// What the component supplies, as far as measure scopes go ([`pair::supply`]).
    supply: u8,
    /// Interned vendor key, origin country and channel country ([`NONE`] when unknown).
    vix: u32,
    cix: u32,
    chix: u32,
}

/// No interned index.
const NONE: u32 = u32::MAX;

/// Strings seen many times (vendor keys, country codes), numbered in order of appearance, so
/// per-component sums run on arrays instead of string-keyed maps.
#[derive(Default)]
struct Interner<'a> {
    index: FxHashMap<&'a str, u32>,
    /// The same text at the same address is the same key: most keys are borrowed from the
    /// registry (vendor ids, country codes), so the address answers without reading the text.
    by_address: FxHashMap<(usize, usize), u32>,
    keys: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    fn get(&mut self, key: Option<&'a str>) -> u32 {
        let Some(key) = key else { return NONE };
        let address = (key.as_ptr() as usize, key.len());
        if let Some(ix) = self.by_address.get(&address) {
            return *ix;
        }
        let next = self.keys.len() as u32;
        let ix = *self.index.entry(key).or_insert(next);
        if ix == next {
            self.keys.push(key);
        }
        self.by_address.insert(address, ix);
        ix
    }
}

/// Analyses one product.
pub fn analyze<'a>(
    reg: &Registry,
    sbom: &'a Sbom,
    graph: &DependencyGraph,
    attributions: &'a [Attribution<'a>],
    opts: &Options<'_>,
) -> Report<'a> {
    let p = opts.profile;
    let buyer = opts.buyer.as_str();
    let as_of = opts
        .as_of
        .clone()
        .unwrap_or_else(crate::data::jurisdictions::today);
    let n_nodes = graph.graph.node_count();

    // --- Component weight (docs/scoring.md, "Component weight") ---------------------------
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
    let ((csr, dominated), (completeness_all, flags)) = rayon::join(
        || {
            let csr = graph::Csr::new(graph);
            let dominated = csr.dominated_counts(&scored);
            (csr, dominated)
        },
        || {
            rayon::join(
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
                    sbom.components
                        .par_iter()
                        .with_min_len(4096)
                        .map(|c| {
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
                        })
                        .collect()
                },
            )
        },
    );
    let kind_factor: Vec<f64> = crate::model::ComponentKind::ALL
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
                            || c.kind == crate::model::ComponentKind::OperatingSystem;
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
        let kind = SupplyKind::of(
            c.kind == crate::model::ComponentKind::Device,
            licence,
            published,
        );
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

    // --- Origin countries and pair cards --------------------------------------------------
    // Every country seen (origin or channel) gets a pair card.
    let n_countries = country_ix.keys.len();
    let mut origin_acc: Vec<(Fixed, usize)> = vec![(0, 0); n_countries];
    let mut unknown_origin: (Fixed, usize) = (0, 0);
    for it in &items {
        let e = match origin_acc.get_mut(it.cix as usize) {
            Some(e) => e,
            None => &mut unknown_origin,
        };
        e.0 += it.weight;
        e.1 += 1;
    }
    let mut country_w: BTreeMap<Option<&str>, (Fixed, usize)> = country_ix
        .keys
        .iter()
        .zip(&origin_acc)
        .filter(|(_, acc)| acc.1 > 0)
        .map(|(cc, acc)| (Some(*cc), *acc))
        .collect();
    if unknown_origin.1 > 0 {
        country_w.insert(None, unknown_origin);
    }
    let cards: FxHashMap<&str, PairCard> = country_ix
        .keys
        .iter()
        .map(|cc| (*cc, PairCard::build(reg, buyer, cc, Some(&as_of))))
        .collect();
    let pair_x = |cc: &str| -> f64 {
        if cc == buyer {
            0.0
        } else {
            cards.get(cc).map_or(0.0, PairCard::exposure)
        }
    };
    // A component's pair exposure counts the measures whose scope bears on what it supplies
    // (docs/scoring.md, "Measure scope"): one card per (country, supply class) present.
    let unknown_supplies: Vec<u8> = {
        let mut v: Vec<u8> = items
            .iter()
            .filter(|it| it.country.is_none())
            .map(|it| it.supply)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let known_foreign: Vec<&str> = country_ix
        .keys
        .iter()
        .zip(&origin_acc)
        .filter(|(cc, acc)| acc.1 > 0 && **cc != buyer)
        .map(|(cc, _)| *cc)
        .collect();
    // Unknown origin is weighed at the known foreign origins' cards for its supply classes, so
    // those (country, class) cards are built here too, once.
    let unknown_pairs = known_foreign.iter().flat_map(|cc| {
        let cix = country_ix.index.get(cc).copied().unwrap_or(NONE);
        unknown_supplies.iter().map(move |&sup| (cix, sup))
    });
    let item_pairs = items
        .iter()
        .flat_map(|it| [(it.cix, it.supply), (it.chix, it.supply)]);
    let mut supply_x: FxHashMap<(u32, u8), f64> = FxHashMap::default();
    for (cix, sup) in item_pairs.chain(unknown_pairs) {
        if let Some(cc) = country_ix.keys.get(cix as usize) {
            supply_x.entry((cix, sup)).or_insert_with(|| {
                if *cc == buyer {
                    0.0
                } else {
                    PairCard::build_for(reg, buyer, cc, Some(&as_of), sup).exposure()
                }
            });
        }
    }
    let pair_of = |cix: u32, supply: u8| supply_x.get(&(cix, supply)).copied();

    // --- Vendors and the buyer's own vendor measures --------------------------------------
    let n_vendors = vendor_ix.keys.len();
    let mut vendor_acc: Vec<(Fixed, usize)> = vec![(0, 0); n_vendors];
    let mut vendor_id_of: Vec<Option<&str>> = vec![None; n_vendors];
    // The origin country shown for a vendor: that of its last component.
    let mut vendor_country_of: Vec<Option<&str>> = vec![None; n_vendors];
    let mut unknown_vendor: (Fixed, usize) = (0, 0);
    for it in &items {
        match vendor_acc.get_mut(it.vix as usize) {
            Some(e) => {
                e.0 += it.weight;
                e.1 += 1;
                vendor_id_of[it.vix as usize] = it.vendor_id;
                vendor_country_of[it.vix as usize] = it.country;
            }
            None => {
                unknown_vendor.0 += it.weight;
                unknown_vendor.1 += 1;
            }
        }
    }
    let vendor_w: BTreeMap<&str, (Fixed, usize)> = vendor_ix
        .keys
        .iter()
        .copied()
        .zip(vendor_acc.iter().copied())
        .collect();
    // Measures on the vendors of the scored components and of the product itself.
    let mut vendor_hits: FxHashMap<&str, Vec<VendorMeasureHit>> = FxHashMap::default();
    let root_vendors = sbom
        .roots
        .iter()
        .filter_map(|r| by_component.get(r.index()).copied().flatten())
        .filter_map(|a| a.vendor.as_ref().and_then(|v| v.id));
    for id in vendor_id_of.iter().flatten().copied().chain(root_vendors) {
        vendor_hits
            .entry(id)
            .or_insert_with(|| pair::vendor_findings_at(reg, buyer, id, Some(&as_of)));
    }
    // A vendor measure weighs on a component when it binds this buyer's class, covers the
    // component's supply class, and reaches it (published source only if the measure says so).
    let hits_by_vix: Vec<Option<&[VendorMeasureHit]>> = vendor_id_of
        .iter()
        .map(|id| {
            id.and_then(|id| vendor_hits.get(id))
                .map(Vec::as_slice)
                .filter(|h| !h.is_empty())
        })
        .collect();
    let class = opts.buyer_class;
    let floor_of = |it: &Item<'_>| -> f64 {
        hits_by_vix
            .get(it.vix as usize)
            .copied()
            .flatten()
            .map_or(0.0, |hits| {
                strongest_effect(
                    p,
                    hits.iter()
                        .filter(|h| weighs_on(h, class, it.supply, it.open)),
                )
            })
    };

    // --- Component exposure x(c) and political_exposure -----------------------------------
    let e = &p.exposure;
    // Unknown origin (docs/scoring.md, "Unknown origin"): the central value takes it as the
    // product's most exposed known foreign origin for the component's supply class, at least
    // `unknown_country`, so knowing less never lowers the exposure; the bounds take it as
    // domestic (best) and as the most exposed origin in the data for this buyer (worst).
    let unknown_x: FxHashMap<u8, (f64, f64)> = unknown_supplies
        .iter()
        .map(|&sup| {
            let known = known_foreign
                .iter()
                .filter_map(|cc| pair_of(*country_ix.index.get(cc)?, sup))
                .fold(0.0, f64::max);
            let central = known.max(e.unknown_country);
            let worst = pair::most_exposed_origin(reg, buyer, &as_of, sup)
                .map_or(0.0, |(_, x)| x)
                .max(central);
            (sup, (central, worst))
        })
        .collect();
    let mut x = vec![0.0f64; sbom.components.len()];
    let mut exposed: Fixed = 0;
    let (mut exposed_best, mut exposed_worst): (Fixed, Fixed) = (0, 0);
    let mitigated = |origin: f64, it: &Item<'_>| {
        origin
            * if it.open {
                1.0 - e.open_source_mitigation
            } else {
                1.0
            }
    };
    for it in &items {
        let channel = pair_of(it.chix, it.supply).unwrap_or(0.0)
            * if it.mirrored {
                1.0 - e.mirror_mitigation
            } else {
                1.0
            };
        let domestic = it.country == Some(buyer);
        let floor = if domestic { 0.0 } else { floor_of(it) };
        let x_of = |origin: f64| {
            let routes = 1.0 - (1.0 - mitigated(origin, it)) * (1.0 - e.channel_weight * channel);
            routes.max(floor).clamp(0.0, 1.0)
        };
        let w = weights[it.id];
        match pair_of(it.cix, it.supply) {
            Some(origin) => {
                let xi = x_of(origin);
                x[it.id] = xi;
                let v = fx(w * xi);
                exposed += v;
                exposed_best += v;
                exposed_worst += v;
            }
            None => {
                let (central, worst) = unknown_x
                    .get(&it.supply)
                    .copied()
                    .unwrap_or((e.unknown_country, e.unknown_country));
                let xi = x_of(central);
                x[it.id] = xi;
                exposed += fx(w * xi);
                exposed_best += fx(w * x_of(0.0));
                exposed_worst += fx(w * x_of(worst));
            }
        }
    }
    let political = 100.0 * ratio(exposed, total);
    let political_bounds = Bounds {
        best: round1(100.0 * ratio(exposed_best, total)),
        worst: round1(100.0 * ratio(exposed_worst, total)),
    };

    // --- Diversity (docs/scoring.md, "origin_diversity") ----------------------------------
    let unknown_w = country_w.get(&None).map_or(0, |e| e.0);
    let known_w = total - unknown_w;
    let known: Vec<(&str, Fixed)> = country_w
        .iter()
        .filter_map(|(k, (w, _))| Some(((*k)?, *w)))
        .collect();
    let n_eff = effective_number(known.iter().map(|(_, w)| *w));
    let known_share = ratio(known_w, total);
    let diversity = if known_w > 0 {
        100.0 * known_share * (1.0 - 1.0 / n_eff)
    } else {
        0.0
    };
    // Bounds: unknown origin as domestic (it joins the buyer's bucket), and as the largest
    // known origin (it joins that bucket: the least diverse it can be).
    let diversity_bounds = {
        let with = |cc: Option<&str>| -> f64 {
            if total == 0 {
                return 0.0;
            }
            let mut v: Vec<(&str, Fixed)> = known.clone();
            match v.iter_mut().find(|(k, _)| Some(*k) == cc) {
                Some(e) => e.1 += unknown_w,
                None => v.push((cc.unwrap_or(buyer), unknown_w)),
            }
            100.0 * (1.0 - 1.0 / effective_number(v.iter().map(|(_, w)| *w)))
        };
        let largest = known
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(cc, _)| *cc);
        let worst = if known_w > 0 { with(largest) } else { 0.0 };
        Bounds {
            best: round1(diversity.max(with(Some(buyer)))),
            worst: round1(diversity.min(worst)),
        }
    };

    // --- Scenarios (docs/scoring.md, "continuity") ----------------------------------------
    // The worst cases: foreign countries (origin or unmirrored channel) and top vendors.
    let mut foreign: Vec<Option<Fixed>> = vec![None; n_countries];
    for it in &items {
        let channel = if it.mirrored { NONE } else { it.chix };
        for cix in [it.cix, channel] {
            if let Some(slot) = foreign.get_mut(cix as usize) {
                *slot.get_or_insert(0) += it.weight;
            }
        }
    }
    let mut top_countries: Vec<(&str, Fixed)> = country_ix
        .keys
        .iter()
        .zip(&foreign)
        .filter(|(cc, _)| **cc != buyer)
        .filter_map(|(cc, w)| Some((*cc, (*w)?)))
        .collect();
    top_countries.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    top_countries.truncate(p.continuity.top_countries);
    let mut top_vendors: Vec<(&str, Fixed)> = vendor_w.iter().map(|(k, v)| (*k, v.0)).collect();
    top_vendors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    top_vendors.truncate(p.continuity.top_vendors);
    // Unknown origin in the central value (docs/scoring.md, "Unknown origin"): it is taken to
    // come from the product's most exposed known foreign origin, or, when none is known, from
    // the most exposed origin in the data for this buyer; its embargo then cuts it too.
    let assumed: Option<String> = if unknown_w > 0 {
        known_foreign
            .iter()
            .map(|cc| (*cc, pair_x(cc)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(cc, _)| cc.to_string())
            .or_else(|| {
                pair::most_exposed_origin(reg, buyer, &as_of, pair::supply::ALL).map(|(cc, _)| cc)
            })
    } else {
        None
    };
    let mut defaults: Vec<ScenarioSpec> = top_countries
        .iter()
        .map(|(c, _)| ScenarioSpec::Embargo(c.to_string()))
        .chain(
            top_vendors
                .iter()
                .map(|(v, _)| ScenarioSpec::Vendor(v.to_string())),
        )
        .collect();
    if let Some(cc) = &assumed {
        let spec = ScenarioSpec::Embargo(cc.clone());
        if !defaults.contains(&spec) {
            defaults.push(spec);
        }
    }
    // Where the hardware is made (docs/scoring.md, "Legal and physical origin"): per vendor,
    // its fab and assembly countries; the physical disruptions of the countries that make the
    // most hardware weight are listed beside the embargoes.
    let production: Vec<Vec<String>> = vendor_id_of
        .iter()
        .map(|id| {
            let Some(v) = id.and_then(|id| reg.by_id(id)).map(|i| reg.vendor(i)) else {
                return Vec::new();
            };
            let mut all: Vec<String> = v
                .fab_countries
                .iter()
                .chain(&v.assembly_countries)
                .cloned()
                .collect();
            all.sort();
            all.dedup();
            all
        })
        .collect();
    let production_slices: Vec<&[String]> = production.iter().map(Vec::as_slice).collect();
    let mut site_w: BTreeMap<&str, Fixed> = BTreeMap::new();
    let mut hardware_unknown_site = false;
    for it in items.iter().filter(|it| it.kind == SupplyKind::Hardware) {
        let sites = production_slices
            .get(it.vix as usize)
            .copied()
            .unwrap_or(&[]);
        hardware_unknown_site |= sites.is_empty();
        for cc in sites {
            *site_w.entry(cc.as_str()).or_default() += it.weight;
        }
    }
    let mut sites: Vec<(&str, Fixed)> = site_w.into_iter().collect();
    sites.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (cc, _) in sites.iter().take(p.continuity.top_countries) {
        defaults.push(ScenarioSpec::Disruption(cc.to_string()));
    }
    // The defaults first, then the user's, then the unknown-origin variant of each country
    // scenario: all in one pass over the graph.
    let specs: Vec<&ScenarioSpec> = defaults.iter().chain(&opts.scenarios).collect();
    let mut cut_list: Vec<scenario::Cut<'_>> = specs
        .iter()
        .map(|spec| scenario::Cut {
            spec,
            with_unknown: false,
        })
        .collect();
    let mut variant: Vec<Option<usize>> = vec![None; specs.len()];
    for (i, spec) in specs.iter().enumerate() {
        let unknown = match spec {
            ScenarioSpec::Embargo(_) => unknown_w > 0,
            ScenarioSpec::Disruption(_) => hardware_unknown_site,
            ScenarioSpec::Vendor(_) => false,
        };
        if unknown {
            variant[i] = Some(cut_list.len());
            cut_list.push(scenario::Cut {
                spec,
                with_unknown: true,
            });
        }
    }
    let cuts = scenario::Cuts::run(
        &csr,
        &items,
        total,
        &cut_list,
        &p.continuity,
        &production_slices,
        n_nodes,
    );
    let impact_of = |i: usize| cuts.impact.get(i).copied().unwrap_or(0.0);
    let unknown_impact =
        |i: usize| variant[i].map_or(impact_of(i), |v| impact_of(v).max(impact_of(i)));
    // The central impact: the unknown-origin variant for the assumed origin's embargo.
    let central_impact = |i: usize| match (&assumed, specs[i]) {
        (Some(a), ScenarioSpec::Embargo(cc)) if a == cc => unknown_impact(i),
        _ => impact_of(i),
    };
    let mut worst: Vec<(usize, &ScenarioSpec)> = defaults.iter().enumerate().collect();
    worst.sort_by(|a, b| {
        central_impact(b.0)
            .total_cmp(&central_impact(a.0))
            .then_with(|| a.1.cmp(b.1))
    });
    let worst_loss = worst.first().map_or(0.0, |s| central_impact(s.0));
    let worst_vendor_loss = worst
        .iter()
        .filter(|s| matches!(s.1, ScenarioSpec::Vendor(_)))
        .map(|s| impact_of(s.0))
        .fold(0.0, f64::max);
    let continuity = 100.0 * (1.0 - worst_loss);
    let continuity_bounds = {
        let best = (0..defaults.len()).map(impact_of).fold(0.0, f64::max);
        let worst = (0..defaults.len()).map(unknown_impact).fold(best, f64::max);
        Bounds {
            best: round1(100.0 * (1.0 - best)),
            worst: round1(100.0 * (1.0 - worst)),
        }
    };
    // The report lists the worst `top_countries.max(top_vendors)` scenarios.
    let listed = p.continuity.top_countries.max(p.continuity.top_vendors);
    // Each listed scenario's refs are two passes over the items: run them side by side.
    let worst_results: Vec<ScenarioResult<'a>> = worst
        .par_iter()
        .take(listed)
        .map(|&(i, spec)| cuts.result(i, variant[i], spec, &items, sbom))
        .collect();
    // The user's scenarios; without any, the report lists the worst (moved in below).
    let requested: Option<Vec<ScenarioResult<'a>>> = (!opts.scenarios.is_empty()).then(|| {
        opts.scenarios
            .par_iter()
            .enumerate()
            .map(|(j, spec)| {
                let i = defaults.len() + j;
                cuts.result(i, variant[i], spec, &items, sbom)
            })
            .collect()
    });

    // --- Reliance (docs/scoring.md, "single_vendor_reliance") -----------------------------
    let known_vendor_w: Fixed = vendor_w.values().map(|v| v.0).sum();
    let hhi: f64 = vendor_w
        .values()
        .map(|(w, _)| ratio(*w, known_vendor_w).powi(2))
        .sum();
    let top_share = vendor_w
        .values()
        .map(|(w, _)| ratio(*w, known_vendor_w))
        .fold(0.0, f64::max);
    let r = &p.reliance;
    let reliance = 100.0 * (r.hhi * hhi + r.top_share * top_share + r.spof * worst_vendor_loss);

    // --- Transparency ----------------------------------------------------------------------
    let compl = completeness_all
        .iter()
        .find(|c| c.profile == p.transparency.completeness_profile)
        .map_or(0.0, |c| c.score);
    let attributed: Fixed = items
        .iter()
        .filter(|i| i.country.is_some() && i.vendor_key.is_some())
        .map(|i| i.weight)
        .sum();
    let open_w: Fixed = items.iter().filter(|i| i.open).map(|i| i.weight).sum();
    let t = &p.transparency;
    let attributed_share = ratio(attributed, total);
    let open_share = ratio(open_w, total);
    let transparency = 100.0
        * (t.completeness * compl + t.attribution * attributed_share + t.open_source * open_share);

    // --- Report parts ------------------------------------------------------------------------
    let countries: Vec<CountryShare> = {
        let mut v: Vec<CountryShare> = country_w
            .iter()
            .map(|(cc, (w, n))| CountryShare {
                country: cc.map(str::to_string),
                name: cc.and_then(|c| reg.countries.get(c).cloned()),
                components: *n,
                share: round4(ratio(*w, total)),
                exposure: round4(cc.map_or_else(
                    || {
                        known_foreign
                            .iter()
                            .map(|k| pair_x(k))
                            .fold(e.unknown_country, f64::max)
                    },
                    pair_x,
                )),
                exposure_by_supply: supply_x
                    .iter()
                    .filter(|((cix, _), _)| {
                        cc.is_some() && country_ix.keys.get(*cix as usize).copied() == *cc
                    })
                    .map(|((_, sup), x)| (pair::supply::label(*sup), round4(*x)))
                    .collect(),
                card: cc.and_then(|c| cards.get(c).cloned()),
            })
            .collect();
        v.sort_by(|a, b| {
            b.share
                .total_cmp(&a.share)
                .then_with(|| a.country.cmp(&b.country))
        });
        v
    };
    let vendor_country: FxHashMap<&str, Option<&str>> = vendor_ix
        .keys
        .iter()
        .copied()
        .zip(vendor_country_of.iter().copied())
        .collect();
    let vendors: Vec<VendorShare> = {
        let mut v: Vec<VendorShare> = vendor_w
            .iter()
            .map(|(k, (w, n))| {
                let idx = reg.by_id(k);
                VendorShare {
                    id: idx.map(|_| k.to_string()),
                    name: idx.map_or_else(|| k.to_string(), |i| reg.vendor(i).name.clone()),
                    country: vendor_country.get(k).copied().flatten().map(str::to_string),
                    country_basis: idx.map(|i| reg.vendor(i).country_basis.as_str()),
                    components: *n,
                    share: round4(ratio(*w, total)),
                    measures: vendor_hits.get(k).cloned().unwrap_or_default(),
                }
            })
            .collect();
        v.sort_by(|a, b| {
            b.share
                .total_cmp(&a.share)
                .then_with(|| a.name.cmp(&b.name))
        });
        v
    };

    let mut scores = Scores {
        origin_diversity: Score {
            value: round1(diversity),
            direction: "100 = supply spread evenly over many origin countries; 0 = one country, or origin unknown",
            formula: "100 x known_share x (1 - 1/N_eff), N_eff = exp(-sum s_i ln s_i) over known origin countries",
            inputs: BTreeMap::from([
                ("known_share", round4(known_share).into()),
                ("effective_countries", round4(n_eff).into()),
                ("countries", country_w.keys().filter(|k| k.is_some()).count().into()),
            ]),
            bounds: (unknown_w > 0).then_some(diversity_bounds),
        },
        single_vendor_reliance: Score {
            value: round1(reliance),
            direction: "100 = the whole product from one vendor; 0 = many vendors, none critical",
            formula: "100 x (w_hhi x HHI + w_top x top_share + w_spof x worst vendor scenario loss)",
            inputs: BTreeMap::from([
                ("hhi", round4(hhi).into()),
                ("top_share", round4(top_share).into()),
                ("worst_vendor_loss", round4(worst_vendor_loss).into()),
                ("vendors", vendor_w.len().into()),
                ("unknown_vendor_share", round4(ratio(unknown_vendor.0, total)).into()),
            ]),
            bounds: None,
        },
        political_exposure: Score {
            value: round1(political),
            direction: "100 = every part exposed to the strongest political, diplomatic and trade measures; 0 = all-domestic supply",
            formula: "100 x sum(weight x x(c)) / sum(weight); x(c) = max(vendor measure, 1 - (1 - origin x open mitigation) x (1 - channel_weight x channel x mirror mitigation))",
            inputs: BTreeMap::from([
                ("buyer", buyer.into()),
                ("total_weight", round4(fl(total)).into()),
                ("exposed_weight", round4(fl(exposed)).into()),
                ("unknown_origin_share", round4(ratio(unknown_w, total)).into()),
            ]),
            bounds: (unknown_w > 0).then_some(political_bounds),
        },
        continuity: Score {
            value: round1(continuity),
            direction: "100 = no single country or vendor cut loses any of the product; 0 = one cut loses it all",
            formula: "100 x (1 - largest impact over the worst country and vendor scenarios); impact = share lost + degraded_weight x share degraded; unknown origin cut with the embargo of its assumed origin",
            inputs: BTreeMap::from([
                ("worst_scenario", worst.first().map(|s| s.1.name()).unwrap_or_default().into()),
                ("worst_impact", round4(worst_loss).into()),
                ("degraded_weight", p.continuity.degraded_weight.into()),
                (
                    "unknown_origin_assumed",
                    assumed.clone().map_or(serde_json::Value::Null, Into::into),
                ),
            ]),
            bounds: (unknown_w > 0).then_some(continuity_bounds),
        },
        transparency: Score {
            value: round1(transparency),
            direction: "100 = complete SBOM, every origin known, all open source; 0 = opaque",
            formula: "100 x (w_c x completeness + w_a x attributed_share + w_o x open_source_share)",
            inputs: BTreeMap::from([
                ("completeness_profile", p.transparency.completeness_profile.clone().into()),
                ("completeness", round4(compl).into()),
                ("attributed_share", round4(attributed_share).into()),
                ("open_source_share", round4(open_share).into()),
            ]),
            bounds: None,
        },
    };
    if n_scored == 0 {
        // Nothing but the product itself: nothing is known of its supply, which is never the
        // best case. It scores as one component of unknown origin: exposed as the most exposed
        // origin in the data, lost in one cut, no diversity (docs/scoring.md, "Unknown origin").
        let worst = pair::most_exposed_origin(reg, buyer, &as_of, pair::supply::ALL)
            .map_or(e.unknown_country, |(_, x)| x.max(e.unknown_country));
        scores.political_exposure.value = round1(100.0 * worst);
        scores.political_exposure.bounds = Some(Bounds {
            best: 0.0,
            worst: round1(100.0 * worst),
        });
        scores.continuity.value = 0.0;
        scores.continuity.bounds = Some(Bounds {
            best: 100.0,
            worst: 0.0,
        });
        scores.origin_diversity.bounds = Some(Bounds {
            best: 0.0,
            worst: 0.0,
        });
    }

    let ctx = findings::Context {
        reg,
        sbom,
        buyer,
        profile: p,
        total,
        items: &items,
        cards: &cards,
        vendor_hits: &vendor_hits,
        vendor_w: &vendor_w,
        worst: &worst_results,
        assumed: assumed.as_deref(),
        buyer_class: opts.buyer_class,
        as_of: &as_of,
        countries: &countries,
        scores: &scores,
        completeness: &completeness_all,
        x: &x,
        weights: &weights,
        vendor_index: &vendor_ix.index,
        country_index: &country_ix.index,
    };
    let components = || -> Vec<ComponentScore<'a>> {
        items
            .par_iter()
            .map(|it| {
                let c = &sbom.components[it.id];
                let a = by_component[it.id];
                let ch = a.and_then(|a| a.channel.as_ref());
                ComponentScore {
                    bom_ref: &c.bom_ref,
                    name: &c.name,
                    version: c.version.as_deref(),
                    purl: c.purl.as_deref(),
                    kind: c.kind.as_str(),
                    supply: pair::supply::label(it.supply),
                    vendor: a.and_then(|a| a.vendor.as_ref()).map(|v| &*v.name),
                    vendor_id: it.vendor_id,
                    country: it.country,
                    channel: ch.map(|ch| &*ch.name),
                    channel_country: it.channel_country,
                    open_source: it.open,
                    licenses: c.licenses.as_deref(),
                    licence: it.licence.as_str(),
                    supply_kind: it.kind.as_str(),
                    weight: round4(weights[it.id]),
                    dominated: dominated[it.id],
                    exposure: round4(x[it.id]),
                    contribution: round4(ratio(fx(weights[it.id] * x[it.id]), total)),
                    evidence: a.and_then(|a| a.winner()).map(|e| &e.detail),
                }
            })
            .collect()
    };
    // The per-component rows and the findings read the same results: build them side by side.
    let (components, findings) = rayon::join(components, || findings::collect(&ctx));

    let (risk_index, rating, rating_reason) =
        rating::rate(&p.rating, &scores, &findings, n_scored == 0);

    Report {
        schema: SCHEMA,
        tool: Tool {
            name: "sbomrisk",
            version: crate::VERSION,
        },
        data_version: reg.version.clone(),
        profile: ProfileRef {
            name: p.profile.clone(),
            digest: p.digest(),
        },
        buyer: buyer.to_string(),
        buyer_class: opts.buyer_class,
        as_of,
        file: sbom.document.path.clone(),
        document: DocumentRef {
            format: sbom.document.format.map(|f| format!("{f:?}")),
            spec_version: sbom.document.spec_version.clone(),
            name: sbom.document.name.clone(),
            components: n_scored,
            edges: graph.edge_count(),
        },
        scores,
        risk_index,
        rating,
        rating_reason,
        findings,
        countries,
        vendors,
        scenarios: requested.unwrap_or(worst_results),
        completeness: completeness_all,
        components,
    }
}

#[cfg(test)]
mod tests;
