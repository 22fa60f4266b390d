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
pub mod continuity;
pub mod criticality;
pub mod diff;
pub mod diversity;
pub mod exposure;
mod findings;
pub mod licence;
pub mod pair;
pub mod portfolio;
pub mod profile;
pub mod rating;
pub mod reliance;
mod scenario;
pub mod transparency;

pub use findings::{Code, Factor, Finding, Ladder, Severity};
pub use profile::ScoringProfile;

use crate::attribution::Attribution;
use crate::data::Registry;
use crate::graph::DependencyGraph;
use crate::model::Sbom;
use licence::{LicenceState, SupplyKind};
use pair::{PairCard, VendorMeasureHit};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// The report schema id.
pub const SCHEMA: &str = "sbomrisk/report/v2";

/// What the score stage refuses: a scoring profile, a scenario or a buyer class, each naming
/// what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    /// A scoring profile that cannot be used: the file and every problem (key, value).
    #[error("{file}: {message}")]
    Profile { file: String, message: String },
    /// A scenario that cannot be run.
    #[error("scenario '{spec}': {message}")]
    Scenario { spec: String, message: String },
    /// Not a buyer class.
    #[error("buyer class '{0}' is not one of ciio, government, defense, private")]
    BuyerClass(String),
}

fn scenario_error(spec: &str, message: impl Into<String>) -> ScoreError {
    ScoreError::Scenario {
        spec: spec.to_string(),
        message: message.into(),
    }
}

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
    pub fn parse(s: &str, reg: &Registry) -> Result<ScenarioSpec, ScoreError> {
        match s.split_once(':') {
            Some(("embargo", cc)) => match reg.country_code(cc) {
                Some(code) => Ok(ScenarioSpec::Embargo(code.to_string())),
                None => Err(scenario_error(
                    s,
                    format!("'{cc}' is not an ISO 3166-1 alpha-2 code"),
                )),
            },
            Some(("disruption", cc)) => match reg.country_code(cc) {
                Some(code) => Ok(ScenarioSpec::Disruption(code.to_string())),
                None => Err(scenario_error(
                    s,
                    format!("'{cc}' is not an ISO 3166-1 alpha-2 code"),
                )),
            },
            Some(("vendor", id)) if !id.trim().is_empty() => {
                Ok(ScenarioSpec::Vendor(id.trim().to_string()))
            }
            _ => Err(scenario_error(
                s,
                "expected embargo:CC, disruption:CC or vendor:ID (e.g. embargo:US, disruption:TW, vendor:broadcom)",
            )),
        }
    }

    /// Parses a scenario as [`ScenarioSpec::parse`] does, and resolves a vendor against the
    /// data: a registry id, name or alias becomes the id. A vendor the data does not know but
    /// close to one it knows is refused with the nearest ids ("did you mean"); any other is
    /// kept as given (a vendor name as an SBOM reports it), and a product none of whose
    /// components it matches says so ([`ScenarioSpec::unmatched`]).
    pub fn parse_known(s: &str, reg: &Registry) -> Result<ScenarioSpec, ScoreError> {
        let spec = ScenarioSpec::parse(s, reg)?;
        let ScenarioSpec::Vendor(v) = &spec else {
            return Ok(spec);
        };
        let known = reg.by_id(v).or_else(|| reg.by_name(v)).or_else(|| {
            reg.vendors
                .iter()
                .position(|x| {
                    x.aliases.iter().any(|a| a.eq_ignore_ascii_case(v))
                        || x.id.eq_ignore_ascii_case(v)
                })
                .and_then(|i| reg.by_id(&reg.vendors[i].id))
        });
        if let Some(idx) = known {
            return Ok(ScenarioSpec::Vendor(reg.vendor(idx).id.clone()));
        }
        let ids = reg.vendors.iter().map(|x| x.id.as_str());
        match crate::data::nearest(v, ids) {
            Some(near) => Err(scenario_error(
                s,
                format!(
                    "no vendor '{v}' in the data; did you mean vendor:{near}? (`sbomrisk vendors search {v}`)"
                ),
            )),
            None => Ok(spec),
        }
    }

    /// The user's scenarios that match no component of a report: a vendor no component of the
    /// product comes from, a country none originates in or is shipped from.
    pub fn unmatched<'s>(specs: &'s [ScenarioSpec], report: &Report<'_>) -> Vec<&'s ScenarioSpec> {
        specs
            .iter()
            .filter(|spec| match spec {
                ScenarioSpec::Vendor(v) => !report.components.iter().any(|c| {
                    c.vendor_id == Some(v.as_str())
                        || c.vendor().is_some_and(|n| n.eq_ignore_ascii_case(v))
                }),
                ScenarioSpec::Embargo(_) | ScenarioSpec::Disruption(_) => false,
            })
            .collect()
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

    pub fn parse(s: &str) -> Result<BuyerClass, ScoreError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ciio" => Ok(BuyerClass::Ciio),
            "government" => Ok(BuyerClass::Government),
            "defense" | "defence" => Ok(BuyerClass::Defense),
            "private" => Ok(BuyerClass::Private),
            _ => Err(ScoreError::BuyerClass(s.to_string())),
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

/// Per component: weight, exposure and contribution. Compact (the component, its attribution
/// and the few facts scoring adds, about 100 bytes against 264 for the spelled-out row): a
/// product of a million components keeps a million of these to the end of the report.
/// [`ComponentScore::row`] gives every field; JSON has the row's fields.
#[derive(Debug, Clone)]
pub struct ComponentScore<'a> {
    component: &'a crate::model::Component,
    attribution: Option<&'a crate::attribution::Attribution<'a>>,
    vendor_id: Option<&'a str>,
    country: Option<&'a str>,
    channel_country: Option<&'a str>,
    supply: u8,
    licence: licence::LicenceState,
    supply_kind: licence::SupplyKind,
    /// Whether the code stays with the buyer when the origin is cut (supply kind
    /// `open-source`).
    pub open_source: bool,
    /// Components the root reaches only through this one.
    pub dominated: u32,
    /// Criticality weight (docs/scoring.md, "Component weight").
    pub weight: f64,
    /// x(c), in [0, 1].
    pub exposure: f64,
    /// weight x exposure / total weight: this component's part of political_exposure / 100.
    pub contribution: f64,
}

impl<'a> ComponentScore<'a> {
    /// Every field of the row.
    pub fn row(&self) -> ComponentRow<'a> {
        ComponentRow {
            bom_ref: self.bom_ref(),
            name: self.name(),
            version: self.version(),
            purl: self.purl(),
            kind: self.kind(),
            supply: self.supply(),
            vendor: self.vendor(),
            vendor_id: self.vendor_id,
            country: self.country,
            channel: self.channel(),
            channel_country: self.channel_country,
            open_source: self.open_source,
            licenses: self.licenses(),
            licence: self.licence(),
            supply_kind: self.supply_kind(),
            weight: self.weight,
            dominated: self.dominated,
            exposure: self.exposure,
            contribution: self.contribution,
            evidence: self.evidence(),
        }
    }

    pub fn bom_ref(&self) -> &'a str {
        &self.component.bom_ref
    }

    pub fn name(&self) -> &'a str {
        &self.component.name
    }

    pub fn version(&self) -> Option<&'a str> {
        self.component.version.as_deref()
    }

    pub fn purl(&self) -> Option<&'a str> {
        self.component.purl.as_deref()
    }

    /// The component kind (`library`, `firmware`...).
    pub fn kind(&self) -> &'static str {
        self.component.kind.as_str()
    }

    /// What it supplies as far as measure scopes go: `software`, `hardware`,
    /// `software+hardware` (firmware, drivers), `+crypto`.
    pub fn supply(&self) -> &'static str {
        pair::supply::label(self.supply)
    }

    pub fn vendor(&self) -> Option<&'a str> {
        self.attribution
            .and_then(|a| a.vendor.as_ref())
            .map(|v| &*v.name)
    }

    pub fn vendor_id(&self) -> Option<&'a str> {
        self.vendor_id
    }

    pub fn country(&self) -> Option<&'a str> {
        self.country
    }

    pub fn channel(&self) -> Option<&'a str> {
        self.attribution
            .and_then(|a| a.channel.as_ref())
            .map(|ch| &*ch.name)
    }

    pub fn channel_country(&self) -> Option<&'a str> {
        self.channel_country
    }

    /// The licence expression the SBOM declares (concluded where given).
    pub fn licenses(&self) -> Option<&'a str> {
        self.component.licenses.as_deref()
    }

    /// What its declared licence says: `open-source`, `not-open-source`, `undeclared`.
    pub fn licence(&self) -> &'static str {
        self.licence.as_str()
    }

    /// What a cut takes away: `open-source` (degraded), `proprietary`, `hardware`,
    /// `undeclared` (lost).
    pub fn supply_kind(&self) -> &'static str {
        self.supply_kind.as_str()
    }

    /// The evidence that decided vendor/country.
    pub fn evidence(&self) -> Option<&'a crate::attribution::Detail<'a>> {
        self.attribution.and_then(|a| a.winner()).map(|e| &e.detail)
    }
}

impl Serialize for ComponentScore<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.row().serialize(s)
    }
}

/// A [`ComponentScore`] spelled out, field by field: what reports serialise and read.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentRow<'a> {
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

/// Who supplies the product: the weight and count of each origin country and vendor, summed
/// once from the items and read by every score.
pub(super) struct Shares<'a> {
    /// Per origin country (None: unknown origin): weight and component count.
    pub country_w: BTreeMap<Option<&'a str>, (Fixed, usize)>,
    /// Weight of unknown origin.
    pub unknown_w: Fixed,
    /// The known origin countries other than the buyer's.
    pub known_foreign: Vec<&'a str>,
    /// Per vendor key: weight and component count.
    pub vendor_w: BTreeMap<&'a str, (Fixed, usize)>,
    /// Weight and count of components with no known vendor.
    pub unknown_vendor: (Fixed, usize),
    /// Per interned vendor: its registry id, and the origin shown for it (its last component's).
    pub vendor_id_of: Vec<Option<&'a str>>,
    pub vendor_country_of: Vec<Option<&'a str>>,
}

impl<'a> Shares<'a> {
    fn of(supply: &criticality::Supply<'a>, buyer: &str) -> Shares<'a> {
        let (country_ix, vendor_ix) = (&supply.country_ix, &supply.vendor_ix);
        let mut origin_acc: Vec<(Fixed, usize)> = vec![(0, 0); country_ix.keys.len()];
        let mut unknown_origin: (Fixed, usize) = (0, 0);
        let n_vendors = vendor_ix.keys.len();
        let mut vendor_acc: Vec<(Fixed, usize)> = vec![(0, 0); n_vendors];
        let mut vendor_id_of: Vec<Option<&str>> = vec![None; n_vendors];
        let mut vendor_country_of: Vec<Option<&str>> = vec![None; n_vendors];
        let mut unknown_vendor: (Fixed, usize) = (0, 0);
        for it in &supply.items {
            let e = origin_acc
                .get_mut(it.cix as usize)
                .unwrap_or(&mut unknown_origin);
            e.0 += it.weight;
            e.1 += 1;
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
        let known_foreign = country_ix
            .keys
            .iter()
            .zip(&origin_acc)
            .filter(|(cc, acc)| acc.1 > 0 && **cc != buyer)
            .map(|(cc, _)| *cc)
            .collect();
        let vendor_w = vendor_ix
            .keys
            .iter()
            .copied()
            .zip(vendor_acc.iter().copied())
            .collect();
        Shares {
            country_w,
            unknown_w: unknown_origin.0,
            known_foreign,
            vendor_w,
            unknown_vendor,
            vendor_id_of,
            vendor_country_of,
        }
    }
}

/// Analyses one product: weighs its components (`criticality`), sums who supplies them,
/// builds the pair cards of its origins, then scores exposure, diversity, continuity (whose
/// vendor cuts feed reliance), reliance and transparency, collects each score's findings and
/// rates the whole.
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
    let supply = criticality::supply(reg, sbom, graph, attributions, p, buyer);
    let shares = Shares::of(&supply, buyer);
    let cards = exposure::Cards::build(reg, sbom, buyer, &as_of, &supply, &shares);
    let exposure = exposure::score(
        reg,
        p,
        buyer,
        &as_of,
        opts.buyer_class,
        &supply,
        &shares,
        &cards,
    );
    let continuity = continuity::run(
        reg,
        sbom,
        p,
        buyer,
        &as_of,
        &opts.scenarios,
        &supply,
        &shares,
        &cards,
        graph.graph.node_count(),
    );
    let mut scores = Scores {
        origin_diversity: diversity::score(buyer, supply.total, &shares),
        single_vendor_reliance: reliance::score(
            p,
            supply.total,
            &shares,
            continuity.worst_vendor_loss,
        ),
        political_exposure: exposure.score,
        continuity: continuity.score,
        transparency: transparency::score(p, &supply.items, supply.total, &supply.completeness),
    };
    let empty = supply.n_scored == 0;
    if empty {
        // Nothing but the product itself: nothing is known of its supply, which is never the
        // best case. It scores as one component of unknown origin: exposed as the most exposed
        // origin in the data, lost in one cut, no diversity (docs/scoring.md, "Unknown origin").
        let worst = pair::most_exposed_origin(reg, buyer, &as_of, pair::supply::ALL)
            .map_or(p.exposure.unknown_country, |(_, x)| {
                x.max(p.exposure.unknown_country)
            });
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

    let countries = country_shares(reg, buyer, p, &supply, &shares, &cards);
    let vendors = vendor_shares(reg, &supply, &shares, &cards);
    let ctx = findings::Context {
        reg,
        sbom,
        buyer,
        profile: p,
        total: supply.total,
        items: &supply.items,
        cards: &cards.cards,
        vendor_hits: &cards.vendor_hits,
        vendor_w: &shares.vendor_w,
        worst: &continuity.worst,
        assumed: continuity.assumed.as_deref(),
        buyer_class: opts.buyer_class,
        as_of: &as_of,
        countries: &countries,
        scores: &scores,
        completeness: &supply.completeness,
        x: &exposure.x,
        weights: &supply.weights,
        vendor_index: &supply.vendor_ix.index,
        country_index: &supply.country_ix.index,
    };
    // The per-component rows and the findings read the same results: build them side by side.
    let (components, findings) = crate::par::join(
        crate::par::small(sbom.components.len()),
        || component_scores(sbom, &supply, &exposure.x),
        || findings::collect(&ctx),
    );
    let (risk_index, rating, rating_reason) = rating::rate(&p.rating, &scores, &findings, empty);

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
            format: sbom.document.format.map(|f| f.name().to_string()),
            spec_version: sbom.document.spec_version.clone(),
            name: sbom.document.name.clone(),
            components: supply.n_scored,
            edges: graph.edge_count(),
        },
        scores,
        risk_index,
        rating,
        rating_reason,
        findings,
        countries,
        vendors,
        scenarios: continuity.requested.unwrap_or(continuity.worst),
        completeness: supply.completeness,
        components,
    }
}

/// The report's origin countries, largest share first.
fn country_shares(
    reg: &Registry,
    buyer: &str,
    p: &ScoringProfile,
    supply: &criticality::Supply<'_>,
    shares: &Shares<'_>,
    cards: &exposure::Cards<'_>,
) -> Vec<CountryShare> {
    let mut v: Vec<CountryShare> = shares
        .country_w
        .iter()
        .map(|(cc, (w, n))| CountryShare {
            country: cc.map(str::to_string),
            name: cc.and_then(|c| reg.countries.get(c).cloned()),
            components: *n,
            share: round4(ratio(*w, supply.total)),
            exposure: round4(cc.map_or_else(
                || {
                    shares
                        .known_foreign
                        .iter()
                        .map(|k| cards.pair_x(buyer, k))
                        .fold(p.exposure.unknown_country, f64::max)
                },
                |c| cards.pair_x(buyer, c),
            )),
            exposure_by_supply: cc
                .and_then(|c| supply.country_ix.index.get(c))
                .map(|cix| cards.by_supply(*cix))
                .unwrap_or_default(),
            card: cc.and_then(|c| cards.cards.get(c).cloned()),
        })
        .collect();
    v.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then_with(|| a.country.cmp(&b.country))
    });
    v
}

/// The report's vendors, largest share first, with the measures that name them.
fn vendor_shares(
    reg: &Registry,
    supply: &criticality::Supply<'_>,
    shares: &Shares<'_>,
    cards: &exposure::Cards<'_>,
) -> Vec<VendorShare> {
    let vendor_country: FxHashMap<&str, Option<&str>> = supply
        .vendor_ix
        .keys
        .iter()
        .copied()
        .zip(shares.vendor_country_of.iter().copied())
        .collect();
    let mut v: Vec<VendorShare> = shares
        .vendor_w
        .iter()
        .map(|(k, (w, n))| {
            let idx = reg.by_id(k);
            VendorShare {
                id: idx.map(|_| k.to_string()),
                name: idx.map_or_else(|| k.to_string(), |i| reg.vendor(i).name.clone()),
                country: vendor_country.get(k).copied().flatten().map(str::to_string),
                country_basis: idx.map(|i| reg.vendor(i).country_basis.as_str()),
                components: *n,
                share: round4(ratio(*w, supply.total)),
                measures: cards.vendor_hits.get(k).cloned().unwrap_or_default(),
            }
        })
        .collect();
    v.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then_with(|| a.name.cmp(&b.name))
    });
    v
}

/// One row per scored component: its attribution, supply kind, weight and exposure.
fn component_scores<'a>(
    sbom: &'a Sbom,
    supply: &criticality::Supply<'a>,
    x: &[f64],
) -> Vec<ComponentScore<'a>> {
    let items = &supply.items;
    crate::par::map(crate::par::small(items.len()), items, |it| {
        let c = &sbom.components[it.id];
        let a = supply.by_component[it.id];
        let w = supply.weights[it.id];
        ComponentScore {
            component: c,
            attribution: a,
            vendor_id: it.vendor_id,
            country: it.country,
            channel_country: it.channel_country,
            supply: it.supply,
            licence: it.licence,
            supply_kind: it.kind,
            open_source: it.open,
            dominated: supply.dominated[it.id],
            weight: round4(w),
            exposure: round4(x[it.id]),
            contribution: round4(ratio(fx(w * x[it.id]), supply.total)),
        }
    })
}

#[cfg(test)]
mod tests;
