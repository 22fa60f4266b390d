//! Jurisdiction data (`data/jurisdictions/*.toml`): named country groups, directed country-level
//! measures (`imposing -> target`), per-jurisdiction legal facts (data-access and compelled-
//! assistance laws, blocking statutes) and vendor-level measures of an authority. Plus the pair
//! weights of `data/weights/pair.toml` (a policy profile, not facts).
//!
//! Every record carries its provenance: `source` (an id of `data/sources.toml`), `source_url`,
//! `citation`, `as_of`, `confidence`. A record whose facts were checked against independent
//! published pages lists them in `corroborated_by` with the date of the check in `checked_on`;
//! `confidence = "corroborated"` requires both. Dated records carry `effective_from`, `status` and, when
//! they no longer apply, `effective_to` (the first day they no longer apply).
//!
//! Country codes are literal ISO 3166-1 alpha-2 codes: `CN` never implies `HK`, `MO` or `TW`. A
//! group lists `HK` when the instrument behind it covers Hong Kong (data/README.md,
//! "Jurisdictions").

use super::{DataFile, Registry};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How sure the curator is of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Checked against the official text at `source_url` on `as_of`.
    Verified,
    /// Restated from the curator's knowledge of the official text; the URL is the official
    /// location, not re-read on `as_of`.
    #[default]
    Curated,
    /// Every fact (instrument, citation, dates, status, parties) was checked on `checked_on`
    /// against the published pages of `corroborated_by` (news reports quoting the act, official
    /// pages, law-firm summaries); `source_url` stays the primary (official) source.
    Corroborated,
    /// A detail (a date, a member, the exact citation) is uncertain; `note` says which.
    Unverified,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Verified => "verified",
            Confidence::Curated => "curated",
            Confidence::Corroborated => "corroborated",
            Confidence::Unverified => "unverified",
        }
    }
}

/// Whether a dated record still applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Suspended,
    Revoked,
    Superseded,
    Expired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Suspended => "suspended",
            Status::Revoked => "revoked",
            Status::Superseded => "superseded",
            Status::Expired => "expired",
        }
    }
}

/// What a group is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// A multilateral export-control regime (Wassenaar, NSG, MTCR, Australia Group): the groups
    /// the `regime_asymmetry` indicator compares.
    ExportControlRegime,
    /// A union whose members share law (the EU).
    Union,
    /// A country group of a national export-control law (EAR Supp. 1 to Part 740).
    CountryGroup,
    /// A designation by one state (15 CFR 791.4 foreign adversaries).
    Designation,
    /// A data-protection status (GDPR adequacy).
    DataProtection,
    /// An alliance or intelligence partnership.
    Alliance,
}

/// A named set of countries.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// `[a-z0-9_]+`: lower case, so it can never equal an (upper-case) country code.
    pub id: String,
    pub name: String,
    pub kind: GroupKind,
    /// ISO 3166-1 alpha-2 codes, as the instrument lists them.
    pub members: Vec<String>,
    pub source: String,
    pub source_url: String,
    pub citation: String,
    pub as_of: String,
    #[serde(default)]
    pub confidence: Confidence,
    /// Published pages that corroborate the record's facts (required when `confidence =
    /// "corroborated"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corroborated_by: Vec<String>,
    /// The date the facts were checked against `corroborated_by`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_on: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The kind of a country-level measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureType {
    ExportControl,
    Sanction,
    TechnologyRestriction,
    ImportOrProcurementBan,
    Countermeasure,
    DataAccessLaw,
    TradeMeasure,
}

impl MeasureType {
    /// The closed set of `value`s of this type, strongest first.
    pub fn values(self) -> &'static [&'static str] {
        match self {
            MeasureType::ExportControl => &["embargo", "license_required", "dual_use_licensing"],
            MeasureType::Sanction | MeasureType::Countermeasure => {
                &["comprehensive", "sectoral", "targeted"]
            }
            MeasureType::TechnologyRestriction => &["prohibition", "license_required"],
            MeasureType::ImportOrProcurementBan => &["ban", "restriction"],
            MeasureType::DataAccessLaw => &["compelled_assistance", "extraterritorial"],
            MeasureType::TradeMeasure => &[
                "export_ban",
                "export_license",
                "import_restriction",
                "tariff",
            ],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MeasureType::ExportControl => "export_control",
            MeasureType::Sanction => "sanction",
            MeasureType::TechnologyRestriction => "technology_restriction",
            MeasureType::ImportOrProcurementBan => "import_or_procurement_ban",
            MeasureType::Countermeasure => "countermeasure",
            MeasureType::DataAccessLaw => "data_access_law",
            MeasureType::TradeMeasure => "trade_measure",
        }
    }
}

/// The closed set of measure scopes.
pub const SCOPES: &[&str] = &[
    "all",
    "ict",
    "telecom",
    "semiconductors",
    "semiconductor_equipment",
    "advanced_computing",
    "encryption",
    "software",
    "surveillance",
    "critical_minerals",
    "dual_use",
    "military",
    "finance",
    "energy",
];

/// A directed country-level measure: `imposing` restricts something towards `target`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// `[a-z0-9-]+`, unique among measures.
    pub id: String,
    /// Country code or group id.
    pub imposing: String,
    /// Country code, group id, or `*` (every destination but the imposing one).
    pub target: String,
    /// Countries or groups carved out of `target` (e.g. `*` except `eu`).
    #[serde(default)]
    pub target_except: Vec<String>,
    pub measure_type: MeasureType,
    /// One of [`MeasureType::values`].
    pub value: String,
    /// Items of [`SCOPES`].
    pub scope: Vec<String>,
    /// The legal act or rule, by name.
    pub instrument: String,
    pub citation: String,
    pub effective_from: String,
    #[serde(default)]
    pub effective_to: Option<String>,
    pub status: Status,
    pub source: String,
    pub source_url: String,
    pub as_of: String,
    #[serde(default)]
    pub confidence: Confidence,
    /// Published pages that corroborate the record's facts (required when `confidence =
    /// "corroborated"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corroborated_by: Vec<String>,
    /// The date the facts were checked against `corroborated_by`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_on: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// What a law does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LawKind {
    /// Compels providers to disclose data they control wherever it is stored (CLOUD Act, FISA 702).
    ExtraterritorialDataAccess,
    /// Obliges organisations to assist state intelligence or to build capabilities on demand
    /// (CN NIL art. 7, UK IPA TCNs, AU TOLA, RU SORM).
    CompelledAssistance,
    /// Forbids compliance with foreign measures (EU 2271/96, MOFCOM Order 2021 No. 1).
    BlockingStatute,
    /// Empowers the state to list and sanction foreign parties in answer to foreign measures
    /// (CN AFSL, UEL Provisions).
    CountermeasureLaw,
    /// A national export-control framework law (CN Export Control Law).
    ExportControlLaw,
}

impl LawKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LawKind::ExtraterritorialDataAccess => "extraterritorial_data_access",
            LawKind::CompelledAssistance => "compelled_assistance",
            LawKind::BlockingStatute => "blocking_statute",
            LawKind::CountermeasureLaw => "countermeasure_law",
            LawKind::ExportControlLaw => "export_control_law",
        }
    }
}

/// A legal fact of one jurisdiction.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    pub id: String,
    /// Country code or group id (`eu`).
    pub jurisdiction: String,
    pub kind: LawKind,
    pub name: String,
    pub citation: String,
    pub effective_from: String,
    #[serde(default)]
    pub effective_to: Option<String>,
    pub status: Status,
    pub source: String,
    pub source_url: String,
    pub as_of: String,
    #[serde(default)]
    pub confidence: Confidence,
    /// Published pages that corroborate the record's facts (required when `confidence =
    /// "corroborated"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corroborated_by: Vec<String>,
    /// The date the facts were checked against `corroborated_by`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_on: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The closed set of vendor-level lists and decisions.
pub const VENDOR_LISTS: &[&str] = &[
    "cac-review-outcome",
    "cac-summons",
    "samr-investigation",
    "mofcom-uel",
    "mofcom-export-control-list",
    "cn-afsl-countermeasure",
    "us-bis-entity-list",
    "us-bis-denial-order",
    "us-bis-icts-final-determination",
    "us-fcc-covered-list",
    "us-fcc-equipment-authorization",
    "us-fcc-section-214",
    "us-ndaa-889",
    "us-ndaa-1634",
    "us-dhs-bod",
    "us-ofac-sdn",
    "us-ofac-ns-cmic",
    "us-dod-1260h",
    "us-pafaca",
    "us-government-device-ban",
    "gb-designated-vendor-direction",
    "gb-government-security-decision",
    "se-pts-licence-condition",
    "de-bsi-warning",
    "de-5g-agreement",
    "eu-commission-decision",
    "in-meity-69a-blocking",
    "au-5g-security-guidance",
    "tw-sht-entity-list",
];

/// The closed set of effects of a vendor-level measure.
/// Who a vendor measure binds (`binds`).
pub const MEASURE_BINDS: &[&str] = &["all", "ciio", "government", "defense"];

/// What a vendor measure covers (`items`).
pub const MEASURE_ITEMS: &[&str] = &["hardware", "software", "services", "investment"];

pub const VENDOR_EFFECTS: &[&str] = &[
    "ban",
    "stop_purchase",
    "procurement_ban",
    "equipment_authorization_ban",
    "removal_required",
    "license_required",
    "export_denial",
    "blocked",
    "investment_ban",
    "usage_warning",
    "investigation",
];

/// A measure of one authority naming one vendor of `data/vendors`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VendorMeasure {
    pub id: String,
    /// Country code or group id (`eu`) of the authority.
    pub authority_country: String,
    /// The authority, by name.
    pub authority: String,
    /// One of [`VENDOR_LISTS`].
    pub list: String,
    /// A vendor id of `data/vendors`.
    pub vendor: String,
    /// One of [`VENDOR_EFFECTS`].
    pub effect: String,
    /// What the measure covers (products, parties, networks), in a few words.
    pub scope: String,
    /// Who must comply: one of [`MEASURE_BINDS`] (`all` under the jurisdiction, `ciio`
    /// operators of critical infrastructure, `government` agencies and their contractors,
    /// `defense` contracting).
    pub binds: String,
    /// What it covers: some of [`MEASURE_ITEMS`] (`hardware`, `software`, `services`,
    /// `investment`). A component weighs under the measure only when its supply class is covered.
    pub items: Vec<String>,
    /// Whether it reaches the vendor's published open source (a purchase ban or an export
    /// control on items does not: publicly available code is neither purchased nor subject to
    /// the EAR, 15 CFR 734.3(b)(3)).
    #[serde(default)]
    pub reaches_published_source: bool,
    /// Whether the instrument names the vendor's subsidiaries and affiliates too (FCC Covered
    /// List, NDAA sec. 889): then it also applies to vendors whose parent chain reaches this one.
    #[serde(default)]
    pub covers_subsidiaries: bool,
    /// The date the measure was published or took effect.
    pub effective_from: String,
    #[serde(default)]
    pub effective_to: Option<String>,
    pub status: Status,
    pub citation: String,
    pub source: String,
    pub source_url: String,
    pub as_of: String,
    #[serde(default)]
    pub confidence: Confidence,
    /// Published pages that corroborate the record's facts (required when `confidence =
    /// "corroborated"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corroborated_by: Vec<String>,
    /// The date the facts were checked against `corroborated_by`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_on: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// One `data/jurisdictions/*.toml` file: any of the four tables.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JurisdictionsFile {
    #[serde(default)]
    pub group: Vec<Group>,
    #[serde(default)]
    pub measure: Vec<Measure>,
    #[serde(default)]
    pub law: Vec<Law>,
    #[serde(default)]
    pub vendor_measure: Vec<VendorMeasure>,
}

/// How a pair card's row weights fold into one exposure in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fold {
    /// `1 - prod(1 - w_i)`: independent routes to a supply cut.
    NoisyOr,
    /// `max(w_i)`: the strongest row alone.
    Max,
}

/// `data/weights/pair.toml`: a scoring profile (policy, not facts).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PairWeights {
    pub profile: String,
    pub fold: Fold,
    /// indicator id -> value -> weight in [0, 1].
    pub indicators: BTreeMap<String, BTreeMap<String, f64>>,
}

impl PairWeights {
    /// The weight of `value` of `indicator`; 0 when absent.
    pub fn weight(&self, indicator: &str, value: &str) -> f64 {
        self.indicators
            .get(indicator)
            .and_then(|m| m.get(value))
            .copied()
            .unwrap_or(0.0)
    }
}

/// The pair-card indicators and their closed value sets, strongest first (`none` is implied
/// and always last). `data/weights/pair.toml` must weigh every value.
pub const PAIR_INDICATORS: &[(&str, &[&str])] = &[
    (
        "export_control.supplier_on_buyer",
        &["embargo", "license_required", "dual_use_licensing"],
    ),
    (
        "sanctions.supplier_on_buyer",
        &["comprehensive", "sectoral", "targeted"],
    ),
    (
        "sanctions.buyer_on_supplier",
        &["comprehensive", "sectoral", "targeted"],
    ),
    (
        "technology_restriction.supplier_on_buyer",
        &["prohibition", "license_required"],
    ),
    (
        "trade_measures",
        &[
            "export_ban",
            "import_ban",
            "export_license",
            "import_restriction",
            "tariff",
        ],
    ),
    ("regime_asymmetry", &["supplier_member_buyer_not"]),
    (
        "data_access_law.supplier",
        &["compelled_assistance", "extraterritorial_data_access"],
    ),
    (
        "blocking_statute.buyer",
        &["blocking_statute", "countermeasure_law"],
    ),
];

/// One record of any of the four tables.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(tag = "table", rename_all = "snake_case")]
pub enum Record<'a> {
    Group(&'a Group),
    Measure(&'a Measure),
    Law(&'a Law),
    VendorMeasure(&'a VendorMeasure),
}

/// The loaded jurisdiction data with its indexes.
#[derive(Debug, Clone, Default)]
pub struct Jurisdictions {
    pub groups: Vec<Group>,
    pub measures: Vec<Measure>,
    pub laws: Vec<Law>,
    pub vendor_measures: Vec<VendorMeasure>,
    /// The file of each record, by record id (for messages).
    files: FxHashMap<String, String>,
    group_by_id: FxHashMap<String, usize>,
    /// Country code -> indexes of the groups listing it.
    groups_of_cc: FxHashMap<String, Vec<usize>>,
    /// Vendor id -> indexes of its vendor measures.
    by_vendor: FxHashMap<String, Vec<usize>>,
    /// Country code or group id -> indexes, in data order, of the measures whose imposing side
    /// covers it (the code itself and, for a group, each member): [`Jurisdictions::measures`]
    /// reads a handful of measures instead of every one, thousands of times at each start.
    measures_by_imposing: FxHashMap<String, Vec<usize>>,
    /// The same for the laws, by jurisdiction ([`Jurisdictions::laws_of`]).
    laws_by_jurisdiction: FxHashMap<String, Vec<usize>>,
    /// `(measures.len(), laws.len())` when those indexes were made: a table changed since is
    /// scanned whole.
    indexed: (usize, usize),
}

/// Record indexes by each code their `codes` cover: the code itself and, for a group id, each
/// member; in data order, each once.
fn by_cover<'r>(
    codes: impl Iterator<Item = &'r String>,
    group_by_id: &FxHashMap<String, usize>,
    groups: &[Group],
) -> FxHashMap<String, Vec<usize>> {
    let mut out: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, code) in codes.enumerate() {
        let members = group_by_id.get(code).map(|&g| &groups[g].members);
        for c in std::iter::once(code).chain(members.into_iter().flatten()) {
            let list = out.entry(c.clone()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    out
}

/// The indexes `index` lists under `code` when it is current, else every index below `len`:
/// the candidates a full test then filters.
fn candidates<'a>(
    index: &'a FxHashMap<String, Vec<usize>>,
    current: bool,
    len: usize,
    code: &str,
) -> impl Iterator<Item = usize> + 'a {
    let listed: &[usize] = match current {
        true => index.get(code).map_or(&[], Vec::as_slice),
        false => &[],
    };
    let scanned = if current { 0..0 } else { 0..len };
    listed.iter().copied().chain(scanned)
}

/// Today's date as `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    now.get(..10).unwrap_or("1970-01-01").to_string()
}

/// Whether a dated record applies on `at` (`YYYY-MM-DD`): from `effective_from` (inclusive) to
/// `effective_to` (exclusive); a record without `effective_to` applies only while `active`.
fn applies(from: &str, to: Option<&str>, status: Status, at: &str) -> bool {
    from <= at
        && match to {
            Some(to) => at < to,
            None => status == Status::Active,
        }
}

impl Measure {
    pub fn is_active(&self, at: &str) -> bool {
        applies(
            &self.effective_from,
            self.effective_to.as_deref(),
            self.status,
            at,
        )
    }
}

impl Law {
    pub fn is_active(&self, at: &str) -> bool {
        applies(
            &self.effective_from,
            self.effective_to.as_deref(),
            self.status,
            at,
        )
    }
}

impl VendorMeasure {
    pub fn is_active(&self, at: &str) -> bool {
        applies(
            &self.effective_from,
            self.effective_to.as_deref(),
            self.status,
            at,
        )
    }
}

impl Jurisdictions {
    /// Adds the records of one `jurisdictions/*.toml` file.
    pub(crate) fn add_file(&mut self, path: &str, file: JurisdictionsFile) {
        let path = format!("data/{path}");
        let ids = file
            .group
            .iter()
            .map(|r| &r.id)
            .chain(file.measure.iter().map(|r| &r.id))
            .chain(file.law.iter().map(|r| &r.id))
            .chain(file.vendor_measure.iter().map(|r| &r.id));
        for id in ids {
            self.files.entry(id.clone()).or_insert_with(|| path.clone());
        }
        self.groups.extend(file.group);
        self.measures.extend(file.measure);
        self.laws.extend(file.law);
        self.vendor_measures.extend(file.vendor_measure);
    }

    /// Builds the lookup indexes (after every file is added).
    pub(crate) fn index(&mut self) {
        self.group_by_id.clear();
        self.groups_of_cc.clear();
        self.by_vendor.clear();
        for (i, g) in self.groups.iter().enumerate() {
            self.group_by_id.entry(g.id.clone()).or_insert(i);
            for m in &g.members {
                let list = self.groups_of_cc.entry(m.clone()).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        for (i, v) in self.vendor_measures.iter().enumerate() {
            self.by_vendor.entry(v.vendor.clone()).or_default().push(i);
        }
        self.measures_by_imposing = by_cover(
            self.measures.iter().map(|m| &m.imposing),
            &self.group_by_id,
            &self.groups,
        );
        self.laws_by_jurisdiction = by_cover(
            self.laws.iter().map(|l| &l.jurisdiction),
            &self.group_by_id,
            &self.groups,
        );
        self.indexed = (self.measures.len(), self.laws.len());
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
            && self.measures.is_empty()
            && self.laws.is_empty()
            && self.vendor_measures.is_empty()
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.group_by_id.get(id).map(|&i| &self.groups[i])
    }

    /// The groups listing country `cc`.
    pub fn groups_of<'a>(&'a self, cc: &str) -> impl Iterator<Item = &'a Group> + 'a {
        self.groups_of_cc
            .get(cc)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|&i| &self.groups[i])
    }

    /// The countries a group id or country code stands for: a group's members, or the code
    /// itself. `*` and unknown group ids expand to nothing.
    pub fn expand<'a>(&'a self, group_or_cc: &'a str) -> Vec<&'a str> {
        match self.group(group_or_cc) {
            Some(g) => g.members.iter().map(String::as_str).collect(),
            None if is_country_code(group_or_cc) => vec![group_or_cc],
            None => Vec::new(),
        }
    }

    /// Whether `code` (a country code or group id) covers country `cc`.
    pub fn covers(&self, code: &str, cc: &str) -> bool {
        // Through the index of the groups listing `cc` (a few), not the group's member list
        // (27 for the EU): the same answer, asked thousands of times at each start.
        code == cc
            || self.group_by_id.get(code).is_some_and(|g| {
                self.groups_of_cc
                    .get(cc)
                    .is_some_and(|listing| listing.contains(g))
            })
    }

    fn target_covers(&self, m: &Measure, imposing: &str, target: &str) -> bool {
        let hit = if m.target == "*" {
            target != imposing && !self.covers(&m.imposing, target)
        } else {
            self.covers(&m.target, target)
        };
        hit && !m.target_except.iter().any(|e| self.covers(e, target))
    }

    /// The measures `imposing` (a country) applies to `target` (a country), through groups on
    /// either side, active on `at` (default: today).
    pub fn measures<'a>(
        &'a self,
        imposing: &'a str,
        target: &'a str,
        at: Option<&str>,
    ) -> impl Iterator<Item = &'a Measure> + 'a {
        let at = at.map_or_else(today, str::to_string);
        // Through the index of the measures each code imposes when it is current; the test
        // below is the whole definition either way.
        let len = self.measures.len();
        candidates(
            &self.measures_by_imposing,
            self.indexed.0 == len,
            len,
            imposing,
        )
        .map(move |i| &self.measures[i])
        .filter(move |m| {
            m.is_active(&at)
                && self.covers(&m.imposing, imposing)
                && self.target_covers(m, imposing, target)
        })
    }

    /// The laws of country `cc` and of the groups it belongs to (the EU), active on `at`
    /// (default: today).
    pub fn laws_of<'a>(
        &'a self,
        cc: &'a str,
        at: Option<&str>,
    ) -> impl Iterator<Item = &'a Law> + 'a {
        let at = at.map_or_else(today, str::to_string);
        let len = self.laws.len();
        candidates(&self.laws_by_jurisdiction, self.indexed.1 == len, len, cc)
            .map(move |i| &self.laws[i])
            .filter(move |l| l.is_active(&at) && self.covers(&l.jurisdiction, cc))
    }

    /// Every vendor-level measure naming `vendor_id`, of every authority and date.
    pub fn vendor_measures<'a>(
        &'a self,
        vendor_id: &str,
    ) -> impl Iterator<Item = &'a VendorMeasure> + 'a {
        self.by_vendor
            .get(vendor_id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|&i| &self.vendor_measures[i])
    }

    /// Any record by id (ids are unique across the four tables), for explanations.
    pub fn record(&self, id: &str) -> Option<Record<'_>> {
        if let Some(g) = self.group(id) {
            return Some(Record::Group(g));
        }
        self.measures
            .iter()
            .find(|r| r.id == id)
            .map(Record::Measure)
            .or_else(|| self.laws.iter().find(|r| r.id == id).map(Record::Law))
            .or_else(|| {
                self.vendor_measures
                    .iter()
                    .find(|r| r.id == id)
                    .map(Record::VendorMeasure)
            })
    }

    /// The file a record came from.
    pub fn file_of(&self, id: &str) -> &str {
        self.files
            .get(id)
            .map_or("data/jurisdictions", String::as_str)
    }
}

fn is_country_code(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_id(s: &str, extra: u8) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == extra)
}

/// The provenance fields every record has.
struct Prov<'a> {
    source: &'a str,
    source_url: &'a str,
    citation: &'a str,
    as_of: &'a str,
    dates: Option<(&'a str, Option<&'a str>, Status)>,
    confidence: Confidence,
    corroborated_by: &'a [String],
    checked_on: Option<&'a str>,
}

fn check_prov(reg: &Registry, what: &str, p: &Prov<'_>, problems: &mut Vec<String>) {
    if p.source.is_empty() {
        problems.push(format!("{what}: no source"));
    } else if !reg.sources.contains_key(p.source) {
        problems.push(format!(
            "{what}: source '{}' is not in data/sources.toml",
            p.source
        ));
    }
    if !(p.source_url.starts_with("https://") || p.source_url.starts_with("http://")) {
        problems.push(format!(
            "{what}: source_url '{}' is not a web address",
            p.source_url
        ));
    }
    if p.citation.trim().is_empty() {
        problems.push(format!("{what}: no citation"));
    }
    for u in p.corroborated_by {
        if !(u.starts_with("https://") || u.starts_with("http://")) {
            problems.push(format!(
                "{what}: corroborated_by '{u}' is not a web address"
            ));
        }
    }
    if let Some(d) = p.checked_on {
        if !super::load::is_date(d) {
            problems.push(format!("{what}: checked_on '{d}' is not YYYY-MM-DD"));
        }
    }
    if p.confidence == Confidence::Corroborated {
        if p.corroborated_by.is_empty() {
            problems.push(format!(
                "{what}: confidence corroborated needs at least one corroborated_by address"
            ));
        }
        if p.checked_on.is_none() {
            problems.push(format!(
                "{what}: confidence corroborated needs checked_on (the date of the check)"
            ));
        }
    }
    if !super::load::is_date(p.as_of) {
        problems.push(format!("{what}: as_of '{}' is not YYYY-MM-DD", p.as_of));
    }
    if let Some((from, to, status)) = p.dates {
        if !super::load::is_date(from) {
            problems.push(format!("{what}: effective_from '{from}' is not YYYY-MM-DD"));
        }
        match to {
            Some(to) if !super::load::is_date(to) => {
                problems.push(format!("{what}: effective_to '{to}' is not YYYY-MM-DD"))
            }
            Some(to) if to < from => problems.push(format!(
                "{what}: effective_to {to} is before effective_from {from}"
            )),
            None if status != Status::Active => problems.push(format!(
                "{what}: status {} needs effective_to (the first day it no longer applies)",
                status.as_str()
            )),
            Some(to) if status == Status::Active && to <= p.as_of => problems.push(format!(
                "{what}: status active, but effective_to {to} is not after as_of {}",
                p.as_of
            )),
            _ => {}
        }
    }
}

/// Every problem with the jurisdiction data and the pair weights.
pub fn validate(reg: &Registry) -> Vec<String> {
    let j = &reg.jurisdictions;
    let mut problems = Vec::new();
    let check_id = |kind: &str, id: &str, extra: u8, problems: &mut Vec<String>| {
        let what = format!("{}: {kind} '{id}'", j.file_of(id));
        if !is_id(id, extra) {
            problems.push(format!(
                "{what}: id must be lowercase [a-z0-9{}]",
                extra as char
            ));
        }
        what
    };
    // Ids are unique across the four kinds, so one id names one record in reports.
    let mut all_ids: FxHashMap<&str, &str> = FxHashMap::default();
    let mut ids = Vec::new();
    ids.extend(j.groups.iter().map(|r| ("group", r.id.as_str())));
    ids.extend(j.measures.iter().map(|r| ("measure", r.id.as_str())));
    ids.extend(j.laws.iter().map(|r| ("law", r.id.as_str())));
    ids.extend(
        j.vendor_measures
            .iter()
            .map(|r| ("vendor_measure", r.id.as_str())),
    );
    for (kind, id) in ids {
        if let Some(prev) = all_ids.insert(id, kind) {
            problems.push(format!(
                "{}: {kind} id '{id}' is also the id of a {prev}",
                j.file_of(id)
            ));
        }
    }
    let place_ok = |code: &str| reg.is_country(code) || j.group(code).is_some();
    for g in &j.groups {
        let what = check_id("group", &g.id, b'_', &mut problems);
        check_prov(
            reg,
            &what,
            &Prov {
                source: &g.source,
                source_url: &g.source_url,
                citation: &g.citation,
                as_of: &g.as_of,
                dates: None,
                confidence: g.confidence,
                corroborated_by: &g.corroborated_by,
                checked_on: g.checked_on.as_deref(),
            },
            &mut problems,
        );
        if g.members.is_empty() {
            problems.push(format!("{what}: no members"));
        }
        let mut seen_m = Vec::new();
        for m in &g.members {
            if !reg.is_country(m) {
                problems.push(format!("{what}: member '{m}' is not a country code"));
            }
            if seen_m.contains(&m) {
                problems.push(format!("{what}: member '{m}' is listed twice"));
            }
            seen_m.push(m);
        }
    }
    for m in &j.measures {
        let what = check_id("measure", &m.id, b'-', &mut problems);
        check_prov(
            reg,
            &what,
            &Prov {
                source: &m.source,
                source_url: &m.source_url,
                citation: &m.citation,
                as_of: &m.as_of,
                dates: Some((&m.effective_from, m.effective_to.as_deref(), m.status)),
                confidence: m.confidence,
                corroborated_by: &m.corroborated_by,
                checked_on: m.checked_on.as_deref(),
            },
            &mut problems,
        );
        if !place_ok(&m.imposing) {
            problems.push(format!(
                "{what}: imposing '{}' is neither a country code nor a group id",
                m.imposing
            ));
        }
        if m.target != "*" && !place_ok(&m.target) {
            problems.push(format!(
                "{what}: target '{}' is neither a country code, a group id nor '*'",
                m.target
            ));
        }
        for e in &m.target_except {
            if !place_ok(e) {
                problems.push(format!(
                    "{what}: target_except '{e}' is neither a country code nor a group id"
                ));
            }
        }
        if !m.measure_type.values().contains(&m.value.as_str()) {
            problems.push(format!(
                "{what}: value '{}' is not one of {:?} for {}",
                m.value,
                m.measure_type.values(),
                m.measure_type.as_str()
            ));
        }
        if m.scope.is_empty() {
            problems.push(format!("{what}: no scope"));
        }
        for s in &m.scope {
            if !SCOPES.contains(&s.as_str()) {
                problems.push(format!("{what}: scope '{s}' is not one of {SCOPES:?}"));
            }
        }
        if m.instrument.trim().is_empty() {
            problems.push(format!("{what}: no instrument"));
        }
    }
    for l in &j.laws {
        let what = check_id("law", &l.id, b'-', &mut problems);
        check_prov(
            reg,
            &what,
            &Prov {
                source: &l.source,
                source_url: &l.source_url,
                citation: &l.citation,
                as_of: &l.as_of,
                dates: Some((&l.effective_from, l.effective_to.as_deref(), l.status)),
                confidence: l.confidence,
                corroborated_by: &l.corroborated_by,
                checked_on: l.checked_on.as_deref(),
            },
            &mut problems,
        );
        if !place_ok(&l.jurisdiction) {
            problems.push(format!(
                "{what}: jurisdiction '{}' is neither a country code nor a group id",
                l.jurisdiction
            ));
        }
    }
    for v in &j.vendor_measures {
        let what = check_id("vendor_measure", &v.id, b'-', &mut problems);
        check_prov(
            reg,
            &what,
            &Prov {
                source: &v.source,
                source_url: &v.source_url,
                citation: &v.citation,
                as_of: &v.as_of,
                dates: Some((&v.effective_from, v.effective_to.as_deref(), v.status)),
                confidence: v.confidence,
                corroborated_by: &v.corroborated_by,
                checked_on: v.checked_on.as_deref(),
            },
            &mut problems,
        );
        if !place_ok(&v.authority_country) {
            problems.push(format!(
                "{what}: authority_country '{}' is neither a country code nor a group id",
                v.authority_country
            ));
        }
        if reg.by_id(&v.vendor).is_none() {
            problems.push(format!(
                "{what}: vendor '{}' is not a vendor id of data/vendors",
                v.vendor
            ));
        }
        if !VENDOR_LISTS.contains(&v.list.as_str()) {
            problems.push(format!(
                "{what}: list '{}' is not one of {VENDOR_LISTS:?}",
                v.list
            ));
        }
        if !VENDOR_EFFECTS.contains(&v.effect.as_str()) {
            problems.push(format!(
                "{what}: effect '{}' is not one of {VENDOR_EFFECTS:?}",
                v.effect
            ));
        }
        if !MEASURE_BINDS.contains(&v.binds.as_str()) {
            problems.push(format!(
                "{what}: binds '{}' is not one of {MEASURE_BINDS:?}",
                v.binds
            ));
        }
        if v.items.is_empty() {
            problems.push(format!(
                "{what}: items is empty (one or more of {MEASURE_ITEMS:?})"
            ));
        }
        for i in &v.items {
            if !MEASURE_ITEMS.contains(&i.as_str()) {
                problems.push(format!(
                    "{what}: item '{i}' is not one of {MEASURE_ITEMS:?}"
                ));
            }
        }
    }
    match &reg.pair_weights {
        None if !j.is_empty() => {
            problems.push("data/weights/pair.toml: missing (the jurisdiction data needs it)".into())
        }
        None => {}
        Some(w) => validate_weights(w, &mut problems),
    }
    problems
}

fn validate_weights(w: &PairWeights, problems: &mut Vec<String>) {
    let what = "data/weights/pair.toml";
    for (ind, values) in PAIR_INDICATORS {
        let Some(weights) = w.indicators.get(*ind) else {
            problems.push(format!("{what}: no weights for indicator '{ind}'"));
            continue;
        };
        for v in values.iter().chain(&["none"]) {
            if !weights.contains_key(*v) {
                problems.push(format!("{what}: no weight for {ind} = {v}"));
            }
        }
        for (v, x) in weights {
            if !values.contains(&v.as_str()) && v != "none" {
                problems.push(format!("{what}: {ind} has no value '{v}'"));
            }
            if !(0.0..=1.0).contains(x) {
                problems.push(format!(
                    "{what}: weight of {ind} = {v} is {x}, not in [0, 1]"
                ));
            }
        }
        if weights.get("none").is_some_and(|x| *x != 0.0) {
            problems.push(format!("{what}: weight of {ind} = none must be 0"));
        }
    }
    for ind in w.indicators.keys() {
        if !PAIR_INDICATORS.iter().any(|(i, _)| i == ind) {
            problems.push(format!("{what}: unknown indicator '{ind}'"));
        }
    }
}

/// Parses one `jurisdictions/*.toml` file into the registry.
pub(crate) fn load_file(reg: &mut Registry, f: &DataFile) -> Result<(), super::DataError> {
    let file: JurisdictionsFile = super::load::parse_toml(f)?;
    reg.jurisdictions.add_file(&f.path, file);
    Ok(())
}

/// A small, hand-made data set for the tests of this module and of `score::pair`.
#[cfg(test)]
pub(crate) mod fixture {
    use super::super::{DataError, DataFile, Registry};

    pub const COUNTRIES: &str = "US\tUnited States\nCN\tChina\nDE\tGermany\nNL\tNetherlands\n\
                                 HK\tHong Kong\nGB\tBritain\nRU\tRussia\n";
    pub const SOURCES: &str = r#"
[[source]]
id = "t"
url = "https://example.org/"
"#;
    pub const VENDORS: &str = r#"
[[vendor]]
id = "huawei"
name = "Huawei Technologies Co., Ltd."
country = "CN"
kind = "private-company"
sources = [{ fact = "country", url = "https://example.org/h", date = "2026-11-25" }]

[[vendor]]
id = "hisilicon"
name = "HiSilicon"
country = "CN"
parent = "huawei"
kind = "private-company"
sources = [
  { fact = "country", url = "https://example.org/hs", date = "2026-11-25" },
  { fact = "parent", url = "https://example.org/hs", date = "2026-11-25" },
]

[[vendor]]
id = "micron"
name = "Micron Technology, Inc."
country = "US"
kind = "public-company"
sources = [{ fact = "country", url = "https://example.org/m", date = "2026-11-25" }]
"#;
    /// Provenance lines every record below shares.
    const P: &str =
        "source = \"t\"\nsource_url = \"https://example.org/x\"\nas_of = \"2026-11-25\"";

    pub fn groups() -> String {
        format!(
            r#"
[[group]]
id = "eu"
name = "EU"
kind = "union"
members = ["DE", "NL"]
citation = "TEU"
{P}

[[group]]
id = "wassenaar"
name = "Wassenaar"
kind = "export_control_regime"
members = ["US", "DE", "NL", "GB", "RU"]
citation = "WA"
{P}

[[group]]
id = "d1"
name = "EAR D:1"
kind = "country_group"
members = ["CN", "HK", "RU"]
citation = "15 CFR 740 Supp. 1"
{P}
"#
        )
    }

    pub fn measures() -> String {
        format!(
            r#"
[[measure]]
id = "us-d1"
imposing = "US"
target = "d1"
measure_type = "export_control"
value = "license_required"
scope = ["dual_use"]
instrument = "EAR D:1"
citation = "15 CFR 742.4"
effective_from = "1996-03-25"
status = "active"
{P}

[[measure]]
id = "us-cn-ac"
imposing = "US"
target = "CN"
measure_type = "technology_restriction"
value = "license_required"
scope = ["advanced_computing"]
instrument = "AC rule"
citation = "87 FR 62186"
effective_from = "2022-10-07"
status = "active"
{P}

[[measure]]
id = "us-cn-arms"
imposing = "US"
target = "CN"
measure_type = "export_control"
value = "embargo"
scope = ["military"]
instrument = "arms embargo"
citation = "22 CFR 126.1"
effective_from = "1990-01-01"
status = "active"
{P}

[[measure]]
id = "us-cn-old"
imposing = "US"
target = "CN"
measure_type = "sanction"
value = "comprehensive"
scope = ["all"]
instrument = "old embargo"
citation = "old"
effective_from = "2000-01-01"
effective_to = "2010-01-01"
status = "revoked"
{P}

[[measure]]
id = "eu-cn-listing"
imposing = "eu"
target = "CN"
measure_type = "sanction"
value = "targeted"
scope = ["all"]
instrument = "EU listings"
citation = "Reg X"
effective_from = "2021-03-22"
status = "active"
{P}

[[measure]]
id = "nl-sme"
imposing = "NL"
target = "*"
target_except = ["eu"]
measure_type = "technology_restriction"
value = "license_required"
scope = ["semiconductor_equipment"]
instrument = "NL SME"
citation = "Stcrt 2023"
effective_from = "2023-09-01"
status = "active"
{P}
"#
        )
    }

    pub fn laws() -> String {
        format!(
            r#"
[[law]]
id = "us-cloud"
jurisdiction = "US"
kind = "extraterritorial_data_access"
name = "CLOUD Act"
citation = "18 U.S.C. 2713"
effective_from = "2018-03-23"
status = "active"
{P}

[[law]]
id = "cn-nil"
jurisdiction = "CN"
kind = "compelled_assistance"
name = "NIL"
citation = "art. 7"
effective_from = "2017-06-28"
status = "active"
{P}

[[law]]
id = "cn-afsl"
jurisdiction = "CN"
kind = "countermeasure_law"
name = "AFSL"
citation = "AFSL"
effective_from = "2021-06-10"
status = "active"
{P}
"#
        )
    }

    pub fn vendor_measures() -> String {
        format!(
            r#"
[[vendor_measure]]
id = "cn-cac-micron"
authority_country = "CN"
authority = "CAC"
list = "cac-review-outcome"
vendor = "micron"
effect = "stop_purchase"
scope = "CIIO purchases"
binds = "ciio"
items = ["hardware", "software"]
effective_from = "2023-05-21"
status = "active"
citation = "CAC 2023-05-21"
{P}

[[vendor_measure]]
id = "us-fcc-huawei"
authority_country = "US"
authority = "FCC"
list = "us-fcc-covered-list"
vendor = "huawei"
effect = "procurement_ban"
scope = "equipment"
binds = "ciio"
items = ["hardware", "services"]
covers_subsidiaries = true
effective_from = "2021-03-12"
status = "active"
citation = "47 U.S.C. 1601"
{P}

[[vendor_measure]]
id = "us-bis-huawei"
authority_country = "US"
authority = "BIS"
list = "us-bis-entity-list"
vendor = "huawei"
effect = "license_required"
scope = "EAR items"
binds = "all"
items = ["hardware", "software"]
effective_from = "2019-05-16"
status = "active"
citation = "84 FR 22961"
{P}

[[vendor_measure]]
id = "eu-huawei"
authority_country = "eu"
authority = "European Commission"
list = "eu-commission-decision"
vendor = "huawei"
effect = "procurement_ban"
scope = "own procurement"
binds = "government"
items = ["hardware", "services"]
effective_from = "2023-06-15"
status = "active"
citation = "C(2023) 4049"
{P}
"#
        )
    }

    fn file(path: &str, text: &str) -> DataFile {
        DataFile::new(path, text.to_string())
    }

    /// The fixture, with `extra` appended to the measures file.
    pub fn registry(extra: &str) -> Result<Registry, DataError> {
        Registry::from_files(&[
            file("countries.tsv", COUNTRIES),
            file("sources.toml", SOURCES),
            file(
                "attribution.toml",
                include_str!("../../data/attribution.toml"),
            ),
            file(
                "weights/pair.toml",
                include_str!("../../data/weights/pair.toml"),
            ),
            file("vendors/t.toml", VENDORS),
            file("jurisdictions/groups.toml", &groups()),
            file("jurisdictions/measures.toml", &(measures() + extra)),
            file("jurisdictions/laws.toml", &laws()),
            file("jurisdictions/vendor_measures.toml", &vendor_measures()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::registry;
    use super::Record;

    fn problems(extra: &str) -> Vec<String> {
        match registry(extra) {
            Ok(_) => Vec::new(),
            Err(super::super::DataError::Invalid(p)) => p,
            Err(e) => vec![format!("parse: {e}")],
        }
    }

    fn record(id: &str, fields: &str) -> String {
        format!(
            "\n[[{}]]\nid = \"{id}\"\n{fields}\n",
            if fields.contains("vendor =") {
                "vendor_measure"
            } else {
                "measure"
            }
        )
    }

    const GOOD_MEASURE: &str = r#"imposing = "US"
target = "RU"
measure_type = "sanction"
value = "sectoral"
scope = ["all"]
instrument = "EO 14024"
citation = "31 CFR 587"
effective_from = "2021-04-15"
status = "active"
source = "t"
source_url = "https://example.org/x"
as_of = "2026-11-25""#;

    #[test]
    fn the_fixture_is_valid() {
        assert_eq!(problems(""), Vec::<String>::new());
        assert_eq!(
            problems(&record("us-ru", GOOD_MEASURE)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn validation_rejects_a_record_without_source() {
        let no_source = GOOD_MEASURE.replace("source = \"t\"", "source = \"\"");
        let p = problems(&record("us-ru", &no_source));
        assert!(p.iter().any(|p| p.contains("'us-ru': no source")), "{p:?}");
        let unknown = GOOD_MEASURE.replace("source = \"t\"", "source = \"nowhere\"");
        let p = problems(&record("us-ru", &unknown));
        assert!(
            p.iter()
                .any(|p| p.contains("'nowhere' is not in data/sources.toml")),
            "{p:?}"
        );
        let no_url = GOOD_MEASURE.replace("https://example.org/x", "example.org");
        let p = problems(&record("us-ru", &no_url));
        assert!(
            p.iter().any(|p| p.contains("is not a web address")),
            "{p:?}"
        );
        // A missing field is a parse error naming the file.
        let missing = GOOD_MEASURE.replace("source_url = \"https://example.org/x\"\n", "");
        let p = problems(&record("us-ru", &missing));
        assert!(
            p.iter()
                .any(|p| p.starts_with("parse: data/jurisdictions/measures.toml")
                    && p.contains("source_url")),
            "{p:?}"
        );
    }

    #[test]
    fn validation_rejects_bad_countries_groups_values_and_dates() {
        let p = problems(&record(
            "x1",
            &GOOD_MEASURE.replace("target = \"RU\"", "target = \"XX\""),
        ));
        assert!(
            p.iter().any(|p| p.contains("target 'XX' is neither")),
            "{p:?}"
        );
        let p = problems(&record(
            "x2",
            &GOOD_MEASURE.replace("imposing = \"US\"", "imposing = \"nato\""),
        ));
        assert!(
            p.iter().any(|p| p.contains("imposing 'nato' is neither")),
            "{p:?}"
        );
        let p = problems(&record(
            "x3",
            &GOOD_MEASURE.replace("\"sectoral\"", "\"embargo\""),
        ));
        assert!(
            p.iter()
                .any(|p| p.contains("value 'embargo' is not one of")),
            "{p:?}"
        );
        let p = problems(&record(
            "x4",
            &GOOD_MEASURE.replace("[\"all\"]", "[\"cars\"]"),
        ));
        assert!(p.iter().any(|p| p.contains("scope 'cars'")), "{p:?}");
        let p = problems(&record(
            "x5",
            &GOOD_MEASURE.replace(
                "status = \"active\"",
                "effective_to = \"2020-01-01\"\nstatus = \"revoked\"",
            ),
        ));
        assert!(
            p.iter()
                .any(|p| p.contains("effective_to 2020-01-01 is before effective_from 2021-04-15")),
            "{p:?}"
        );
        let p = problems(&record(
            "x6",
            &GOOD_MEASURE.replace("status = \"active\"", "status = \"revoked\""),
        ));
        assert!(p.iter().any(|p| p.contains("needs effective_to")), "{p:?}");
        let p = problems(&record(
            "x7",
            &GOOD_MEASURE.replace("2021-04-15", "15.4.2021"),
        ));
        assert!(
            p.iter().any(|p| p.contains("effective_from '15.4.2021'")),
            "{p:?}"
        );
        let stale = GOOD_MEASURE.replace(
            "status = \"active\"",
            "effective_to = \"2022-01-01\"\nstatus = \"active\"",
        );
        let p = problems(&record("x8", &stale));
        assert!(
            p.iter()
                .any(|p| p.contains("status active, but effective_to 2022-01-01")),
            "{p:?}"
        );
    }

    #[test]
    fn validation_rejects_an_unknown_vendor_and_list() {
        let vm = r#"authority_country = "US"
authority = "FCC"
list = "us-fcc-covered-list"
vendor = "hytera"
effect = "procurement_ban"
scope = "equipment"
binds = "ciio"
items = ["hardware", "services"]
effective_from = "2021-03-12"
status = "active"
citation = "47 U.S.C. 1601"
source = "t"
source_url = "https://example.org/x"
as_of = "2026-11-25""#;
        // A vendor measure in the measures file is still a vendor measure: any table in any file.
        let p = problems(&record("us-fcc-hytera", vm));
        assert!(
            p.iter()
                .any(|p| p.contains("vendor 'hytera' is not a vendor id")),
            "{p:?}"
        );
        let p = problems(&record(
            "us-x",
            &vm.replace("hytera", "huawei")
                .replace("us-fcc-covered-list", "blacklist"),
        ));
        assert!(
            p.iter()
                .any(|p| p.contains("list 'blacklist' is not one of")),
            "{p:?}"
        );
    }

    #[test]
    fn validation_rejects_duplicate_ids() {
        let p = problems(&record("us-d1", GOOD_MEASURE));
        assert!(
            p.iter()
                .any(|p| p.contains("measure id 'us-d1' is also the id of a measure")),
            "{p:?}"
        );
        // Ids are unique across kinds too.
        let p = problems(&record("cn-afsl", GOOD_MEASURE));
        assert!(
            p.iter()
                .any(|p| p.contains("law id 'cn-afsl' is also the id of a measure")),
            "{p:?}"
        );
    }

    #[test]
    fn validation_checks_the_weights() {
        let mut reg = registry("").unwrap();
        let w = reg.pair_weights.as_mut().unwrap();
        w.indicators
            .get_mut("regime_asymmetry")
            .unwrap()
            .insert("supplier_member_buyer_not".into(), 1.5);
        w.indicators.remove("trade_measures");
        let p = reg.validate();
        assert!(
            p.iter().any(|p| p.contains("is 1.5, not in [0, 1]")),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|p| p.contains("no weights for indicator 'trade_measures'")),
            "{p:?}"
        );
        reg.pair_weights = None;
        assert!(reg
            .validate()
            .iter()
            .any(|p| p.contains("data/weights/pair.toml: missing")));
    }

    #[test]
    fn groups_expand_and_cover() {
        let reg = registry("").unwrap();
        let j = reg.jurisdictions();
        let mut of_de: Vec<&str> = j.groups_of("DE").map(|g| g.id.as_str()).collect();
        of_de.sort_unstable();
        assert_eq!(of_de, ["eu", "wassenaar"]);
        assert_eq!(
            j.groups_of("CN").map(|g| g.id.as_str()).collect::<Vec<_>>(),
            ["d1"]
        );
        assert_eq!(j.expand("eu"), ["DE", "NL"]);
        assert_eq!(j.expand("CN"), ["CN"]);
        assert!(j.expand("nato").is_empty());
        // CN never implies HK: HK is covered only where a group lists it.
        assert!(!j.covers("CN", "HK"));
        assert!(j.covers("d1", "HK"));
    }

    /// The measures found through the imposing index are those a scan of every measure finds,
    /// in the same order, for every imposing code the data names and a spread of targets and
    /// dates; a table changed after indexing is scanned whole.
    #[test]
    fn measures_through_the_index_are_the_scan() {
        let mut reg = crate::data::Registry::embedded().unwrap();
        let j = reg.jurisdictions();
        let mut imposing: Vec<String> = j.measures.iter().map(|m| m.imposing.clone()).collect();
        imposing.extend(j.groups.iter().flat_map(|g| g.members.iter().cloned()));
        imposing.extend(["CN", "US", "RU", "ZZ", "eu"].map(String::from));
        imposing.sort();
        imposing.dedup();
        let targets: Vec<&String> = reg.countries.keys().step_by(7).collect();
        let scan = |j: &super::Jurisdictions, imp: &str, tgt: &str, at: &str| -> Vec<String> {
            j.measures
                .iter()
                .filter(|m| {
                    m.is_active(at) && j.covers(&m.imposing, imp) && j.target_covers(m, imp, tgt)
                })
                .map(|m| m.id.clone())
                .collect()
        };
        let ids = |j: &super::Jurisdictions, imp: &str, tgt: &str, at: &str| -> Vec<String> {
            j.measures(imp, tgt, Some(at))
                .map(|m| m.id.clone())
                .collect()
        };
        let mut found = 0;
        for at in ["2019-01-01", "2026-12-07"] {
            for imp in &imposing {
                for tgt in targets.iter().map(|t| t.as_str()).chain(["CN", "HK", "US"]) {
                    let want = scan(j, imp, tgt, at);
                    found += want.len();
                    assert_eq!(ids(j, imp, tgt, at), want, "{imp} on {tgt} at {at}");
                }
            }
        }
        assert!(found > 100, "the comparison saw measures: {found}");
        let mut laws = 0;
        for at in ["2019-01-01", "2026-12-07"] {
            for cc in imposing.iter().map(String::as_str).chain(["HK", "TW"]) {
                let want: Vec<&str> = j
                    .laws
                    .iter()
                    .filter(|l| l.is_active(at) && j.covers(&l.jurisdiction, cc))
                    .map(|l| l.id.as_str())
                    .collect();
                laws += want.len();
                let got: Vec<&str> = j.laws_of(cc, Some(at)).map(|l| l.id.as_str()).collect();
                assert_eq!(got, want, "laws of {cc} at {at}");
            }
        }
        assert!(laws > 20, "the comparison saw laws: {laws}");
        // A measure added after indexing is still found (the table is scanned whole).
        let mut extra = reg.jurisdictions.measures[0].clone();
        extra.id = "added-after-index".into();
        let (imp, tgt) = (extra.imposing.clone(), "CN");
        reg.jurisdictions.measures.push(extra);
        let j = reg.jurisdictions();
        assert_eq!(
            ids(j, &imp, tgt, "2026-12-07"),
            scan(j, &imp, tgt, "2026-12-07")
        );
    }

    #[test]
    fn covers_through_the_index_is_membership() {
        // Every group and country of the embedded data: the index answers as the lists do.
        let reg = crate::data::Registry::embedded().unwrap();
        let j = reg.jurisdictions();
        assert!(!j.groups.is_empty());
        for cc in reg.countries.keys() {
            for g in &j.groups {
                let listed = j.group(&g.id).is_some_and(|g| g.members.contains(cc));
                assert_eq!(j.covers(&g.id, cc), listed, "{} {cc}", g.id);
            }
            assert!(j.covers(cc, cc));
            assert!(!j.covers("no-such-group", cc));
        }
    }

    #[test]
    fn measures_expand_groups_on_both_sides() {
        let reg = registry("").unwrap();
        let j = reg.jurisdictions();
        let at = Some("2026-01-01");
        let ids = |imp: &str, tgt: &str| -> Vec<String> {
            let mut v: Vec<String> = j.measures(imp, tgt, at).map(|m| m.id.clone()).collect();
            v.sort();
            v
        };
        // US -> d1 reaches HK and CN; the CN-only rules do not reach HK.
        assert_eq!(ids("US", "HK"), ["us-d1"]);
        assert_eq!(ids("US", "CN"), ["us-cn-ac", "us-cn-arms", "us-d1"]);
        // An EU measure is imposed by each member.
        assert_eq!(ids("DE", "CN"), ["eu-cn-listing"]);
        assert_eq!(ids("NL", "CN"), ["eu-cn-listing", "nl-sme"]);
        // `*` minus `eu`: NL's rule reaches the US and not DE, nor NL itself.
        assert_eq!(ids("NL", "US"), ["nl-sme"]);
        assert!(ids("NL", "DE").is_empty());
        assert!(ids("NL", "NL").is_empty());
    }

    #[test]
    fn measures_are_date_aware() {
        let reg = registry("").unwrap();
        let j = reg.jurisdictions();
        let has_old = |at: &str| {
            j.measures("US", "CN", Some(at))
                .any(|m| m.id == "us-cn-old")
        };
        assert!(has_old("2000-01-01"));
        assert!(has_old("2009-12-31"));
        assert!(
            !has_old("2010-01-01"),
            "effective_to is the first day it no longer applies"
        );
        assert!(!has_old("1999-12-31"));
        // Default: today, when the old measure has long ended.
        assert!(!j.measures("US", "CN", None).any(|m| m.id == "us-cn-old"));
        assert!(j.measures("US", "CN", None).any(|m| m.id == "us-cn-ac"));
        // The AC rule did not exist in 2020.
        assert!(!j
            .measures("US", "CN", Some("2020-01-01"))
            .any(|m| m.id == "us-cn-ac"));
    }

    #[test]
    fn laws_of_a_member_include_the_groups_laws() {
        let extra = r#"
[[law]]
id = "eu-blocking"
jurisdiction = "eu"
kind = "blocking_statute"
name = "Blocking Statute"
citation = "Reg 2271/96"
effective_from = "1996-11-29"
status = "active"
source = "t"
source_url = "https://example.org/x"
as_of = "2026-11-25"
"#;
        let reg = registry(extra).unwrap();
        let j = reg.jurisdictions();
        let ids: Vec<&str> = j.laws_of("DE", None).map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["eu-blocking"]);
        let mut cn: Vec<&str> = j.laws_of("CN", None).map(|l| l.id.as_str()).collect();
        cn.sort_unstable();
        assert_eq!(cn, ["cn-afsl", "cn-nil"]);
        assert_eq!(
            j.laws_of("CN", Some("2018-01-01")).count(),
            1,
            "AFSL is from 2021"
        );
    }

    #[test]
    fn vendor_measures_by_vendor() {
        let reg = registry("").unwrap();
        let mut ids: Vec<&str> = reg
            .jurisdictions()
            .vendor_measures("huawei")
            .map(|m| m.id.as_str())
            .collect();
        ids.sort_unstable();
        assert_eq!(ids, ["eu-huawei", "us-bis-huawei", "us-fcc-huawei"]);
        assert_eq!(reg.jurisdictions().vendor_measures("nokia").count(), 0);
        assert!(
            matches!(reg.jurisdictions().record("us-fcc-huawei"), Some(Record::VendorMeasure(m)) if m.vendor == "huawei")
        );
        assert!(matches!(
            reg.jurisdictions().record("cn-afsl"),
            Some(Record::Law(_))
        ));
        assert!(matches!(
            reg.jurisdictions().record("eu"),
            Some(Record::Group(_))
        ));
        assert!(matches!(
            reg.jurisdictions().record("us-d1"),
            Some(Record::Measure(_))
        ));
        assert!(reg.jurisdictions().record("nothing").is_none());
    }
}
