//! The pair card: the political, diplomatic and trade exposure of a buyer jurisdiction B to a
//! supplier jurisdiction S (Cybersecurity Review Measures, Art. 10 factor 3: "因为政治、外交、贸易
//! 等因素导致供应中断的风险"), as a transparent indicator vector with one row per indicator.
//!
//! Every row is always present. A row without a matching record has the value `none` and the
//! detail "no measure found as of DATE". Each row names the records behind it, the clause of
//! Art. 10 it serves and its weight from `data/weights/pair.toml` (the default profile, a
//! policy choice). [`PairCard::exposure`] folds the weights into one figure in [0, 1] by the
//! profile's fold rule. A buyer buying from its own jurisdiction gets an all-`none` card.
//!
//! Vendor-level measures of the buyer's own authorities (CAC review outcome, FCC Covered List,
//! BIS Entity List...) are not part of the card: [`vendor_findings`] returns them, for the
//! scoring layer to report as critical findings.

use crate::data::jurisdictions::{
    today, Fold, Jurisdictions, LawKind, MeasureType, VendorMeasure, PAIR_INDICATORS,
};
use crate::data::Registry;
use serde::Serialize;

/// The Art. 10 clause each indicator serves (`art10.3.*`: factor 3's "political, diplomatic,
/// trade" causes of supply interruption; data-access laws serve factor 1 (illegal control) and
/// factor 6 (data affected or controlled by a foreign government), shown on the card because a
/// buyer weighs them in the same procurement decision).
const CLAUSES: &[(&str, &str)] = &[
    ("export_control.supplier_on_buyer", "art10.3.political"),
    ("sanctions.supplier_on_buyer", "art10.3.diplomatic"),
    ("sanctions.buyer_on_supplier", "art10.3.diplomatic"),
    (
        "technology_restriction.supplier_on_buyer",
        "art10.3.political",
    ),
    ("trade_measures", "art10.3.trade"),
    ("regime_asymmetry", "art10.3.political"),
    ("data_access_law.supplier", "art10.1+art10.6"),
    ("blocking_statute.buyer", "art10.3.diplomatic"),
];

/// What a component supplies, as far as the scope of a measure goes (docs/scoring.md, "Measure
/// scope"): bit flags, so a firmware blob is both software and hardware-bound.
pub mod supply {
    /// Software of any kind: libraries, applications, operating systems, containers, files.
    pub const SOFTWARE: u8 = 1;
    /// Chips and devices, and the firmware and drivers bound to them.
    pub const HARDWARE: u8 = 2;
    /// Cryptography (the profile's `cryptography_names`).
    pub const CRYPTO: u8 = 4;
    /// Equipment to make semiconductors. No component of a network product is one: measures
    /// scoped to it show on the card but weigh on no component.
    pub const EQUIPMENT: u8 = 8;
    /// Every class: the card printed per origin country.
    pub const ALL: u8 = SOFTWARE | HARDWARE | CRYPTO | EQUIPMENT;

    /// The classes of a component of `kind`, cryptography or not.
    pub fn of(kind: crate::model::ComponentKind, crypto: bool) -> u8 {
        use crate::model::ComponentKind as K;
        let base = match kind {
            K::Device => HARDWARE,
            K::Firmware | K::DeviceDriver | K::Platform => SOFTWARE | HARDWARE,
            _ => SOFTWARE,
        };
        if crypto {
            base | CRYPTO
        } else {
            base
        }
    }

    /// The classes a measure scope bears on (0 for scopes outside network products: `military`,
    /// `energy`).
    pub fn of_scope(scope: &str) -> u8 {
        match scope {
            "all" | "ict" | "telecom" | "dual_use" | "surveillance" | "finance" => {
                SOFTWARE | HARDWARE | CRYPTO
            }
            "software" => SOFTWARE,
            "encryption" => CRYPTO,
            "semiconductors" | "advanced_computing" | "critical_minerals" => HARDWARE,
            "semiconductor_equipment" => EQUIPMENT,
            _ => 0,
        }
    }

    /// The classes a vendor measure's `items` cover (`software` covers cryptography too;
    /// `services` and `investment` no component).
    pub fn of_items(items: &[String]) -> u8 {
        items.iter().fold(0, |acc, i| {
            acc | match i.as_str() {
                "software" => SOFTWARE | CRYPTO,
                "hardware" => HARDWARE,
                _ => 0,
            }
        })
    }

    /// A readable name of a class set: `software`, `hardware+crypto`, ...
    pub fn label(classes: u8) -> &'static str {
        const LABELS: [&str; 16] = [
            "none",
            "software",
            "hardware",
            "software+hardware",
            "crypto",
            "software+crypto",
            "hardware+crypto",
            "software+hardware+crypto",
            "equipment",
            "software+equipment",
            "hardware+equipment",
            "software+hardware+equipment",
            "crypto+equipment",
            "software+crypto+equipment",
            "hardware+crypto+equipment",
            "all",
        ];
        LABELS[usize::from(classes & ALL)]
    }
}

/// Whether a measure bears on components of `classes` (one of its scopes does).
fn bears_on(m: &crate::data::jurisdictions::Measure, classes: u8) -> bool {
    m.scope.iter().any(|s| supply::of_scope(s) & classes != 0)
}

/// One indicator of the card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairRow {
    /// Stable id, e.g. `export_control.supplier_on_buyer`.
    pub indicator: String,
    /// A value of the indicator's closed set (`data::jurisdictions::PAIR_INDICATORS`), or
    /// `none`.
    pub value: String,
    /// Ids of the records behind the value (measures, laws, groups), strongest first.
    pub records: Vec<String>,
    /// The Art. 10 clause the indicator serves.
    pub clause: String,
    /// The profile's weight of `value`, in [0, 1].
    pub weight: f64,
    /// One human line: the strongest record with its citation and date, or why the row is empty.
    pub detail: String,
}

/// The indicator vector of one (buyer, supplier) jurisdiction pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairCard {
    pub buyer: String,
    pub supplier: String,
    /// The date the measures were evaluated at (`YYYY-MM-DD`).
    pub as_of: String,
    /// The weight profile (`data/weights/pair.toml` `profile`), or `none` when the data has no
    /// weights (every weight is then 0).
    pub profile: String,
    /// The fold rule of [`PairCard::exposure`].
    pub fold: Fold,
    pub rows: Vec<PairRow>,
}

/// A vendor-level measure of the buyer's own jurisdiction that names a component's vendor.
#[derive(Debug, Clone, Serialize)]
pub struct VendorMeasureHit {
    #[serde(flatten)]
    pub measure: VendorMeasure,
    /// The country or group of the authority that made it the buyer's own (`CN`, `eu`).
    pub via_authority: String,
    /// Set when the measure names the vendor's parent (and covers subsidiaries).
    pub via_parent: Option<String>,
    /// One human line with authority, list, effect, citation and date.
    pub detail: String,
}

/// Collects the strongest value among matching records of one indicator.
struct Row {
    indicator: &'static str,
    values: &'static [&'static str],
    /// (rank in `values`, record id, detail)
    hits: Vec<(usize, String, String)>,
    /// A detail line that replaces the strongest hit's line (when the hits read as one fact).
    summary: Option<String>,
    /// Whether detail lines are wanted; an exposure alone needs none ([`PairCard::exposure_for`]).
    details: bool,
}

impl Row {
    fn new(indicator: &'static str, details: bool) -> Row {
        let values = PAIR_INDICATORS
            .iter()
            .find(|(i, _)| *i == indicator)
            .map_or(&[][..], |(_, v)| *v);
        Row {
            indicator,
            values,
            hits: Vec::new(),
            summary: None,
            details,
        }
    }

    fn add(&mut self, value: &str, id: &str, detail: String) {
        if let Some(rank) = self.values.iter().position(|v| *v == value) {
            self.hits.push((rank, id.to_string(), detail));
        }
    }

    /// The weight [`Row::finish`] gives the row: that of its strongest value (its hit of lowest
    /// rank), or of `none`.
    fn weight(&self, reg: &Registry) -> f64 {
        reg.pair_weights
            .as_ref()
            .map_or(0.0, |w| w.weight(self.indicator, self.value()))
    }

    /// Its strongest value (that of its hit of lowest rank), or `none`.
    fn value(&self) -> &'static str {
        self.hits
            .iter()
            .map(|h| h.0)
            .min()
            .map_or("none", |rank| self.values[rank])
    }

    fn finish(mut self, reg: &Registry, as_of: &str, empty_note: Option<String>) -> PairRow {
        self.hits
            .sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        self.hits.dedup_by(|a, b| a.1 == b.1);
        let value = self.value();
        let weight = self.weight(reg);
        let detail = match self.hits.first() {
            _ if !self.details => String::new(),
            Some(_) if self.summary.is_some() => self.summary.take().unwrap_or_default(),
            Some((_, _, d)) if self.hits.len() > 1 => {
                format!("{d} (+{} more)", self.hits.len() - 1)
            }
            Some((_, _, d)) => d.clone(),
            None => match empty_note {
                Some(n) => format!("no measure found as of {as_of} ({n})"),
                None => format!("no measure found as of {as_of}"),
            },
        };
        PairRow {
            indicator: self.indicator.to_string(),
            value: value.to_string(),
            records: self.hits.into_iter().map(|h| h.1).collect(),
            clause: CLAUSES
                .iter()
                .find(|(i, _)| *i == self.indicator)
                .map_or("", |(_, c)| c)
                .to_string(),
            weight,
            detail,
        }
    }
}

fn measure_line(m: &crate::data::jurisdictions::Measure, direction: &str, details: bool) -> String {
    if !details {
        return String::new();
    }
    format!(
        "{direction}: {} ({}; {}, in force {})",
        m.instrument, m.value, m.citation, m.effective_from
    )
}

impl PairCard {
    /// The card of `buyer` against `supplier` (ISO alpha-2 codes), with the measures in force on
    /// `as_of` (`YYYY-MM-DD`; default today).
    /// Codes are trimmed and upper-cased (`cn` is `CN`).
    pub fn build(reg: &Registry, buyer: &str, supplier: &str, as_of: Option<&str>) -> PairCard {
        PairCard::build_for(reg, buyer, supplier, as_of, supply::ALL)
    }

    /// The card as it bears on components of `classes` ([`supply`]): a measure counts when one
    /// of its scopes bears on one of them. Rows that are no measures (regime asymmetry,
    /// data-access laws, blocking statutes) count for every class.
    pub fn build_for(
        reg: &Registry,
        buyer: &str,
        supplier: &str,
        as_of: Option<&str>,
        classes: u8,
    ) -> PairCard {
        PairCard::from_rows(reg, Rows::of(reg, buyer, supplier, as_of, classes, true))
    }

    /// [`PairCard::exposure`] of [`PairCard::build_for`]'s card, without formatting its detail
    /// lines: the searches over every origin (the most exposed origin, each scored component's
    /// class) build dozens of cards a run and read only their weights.
    pub fn exposure_for(
        reg: &Registry,
        buyer: &str,
        supplier: &str,
        as_of: Option<&str>,
        classes: u8,
    ) -> f64 {
        // The rows' weights folded as the card folds them, without finishing the rows (their
        // ids, clause and value strings) that only the card shows.
        let rows = Rows::of(reg, buyer, supplier, as_of, classes, false);
        let fold = reg.pair_weights.as_ref().map_or(Fold::NoisyOr, |w| w.fold);
        fold_weights(fold, rows.rows.iter().map(|r| r.weight(reg)))
    }

    /// The card of `rows`; rows made without details have empty detail lines (values, records
    /// and weights are the same).
    fn from_rows(reg: &Registry, rows: Rows) -> PairCard {
        let Rows {
            buyer,
            supplier,
            at,
            rows,
            block_note,
        } = rows;
        let note = |n: Option<String>| {
            if buyer == supplier {
                Some("domestic: buyer and supplier are the same jurisdiction".to_string())
            } else {
                n
            }
        };
        let (profile, fold) = reg
            .pair_weights
            .as_ref()
            .map_or(("none".to_string(), Fold::NoisyOr), |w| {
                (w.profile.clone(), w.fold)
            });
        let [export, sanc_s, sanc_b, tech, trade, regime, data, block] = rows;
        let rows = vec![
            export.finish(reg, &at, note(None)),
            sanc_s.finish(reg, &at, note(None)),
            sanc_b.finish(reg, &at, note(None)),
            tech.finish(reg, &at, note(None)),
            trade.finish(reg, &at, note(None)),
            regime.finish(reg, &at, note(None)),
            data.finish(reg, &at, note(None)),
            block.finish(reg, &at, note(block_note)),
        ];
        PairCard {
            buyer,
            supplier,
            as_of: at,
            profile,
            fold,
            rows,
        }
    }
}

/// A card's rows before they are finished: what a card shows and what an exposure alone reads.
struct Rows {
    buyer: String,
    supplier: String,
    at: String,
    /// export, sanctions either way, technology, trade, regime, data access, blocking statute.
    rows: [Row; 8],
    block_note: Option<String>,
}

impl Rows {
    fn of(
        reg: &Registry,
        buyer: &str,
        supplier: &str,
        as_of: Option<&str>,
        classes: u8,
        details: bool,
    ) -> Rows {
        let buyer = buyer.trim().to_ascii_uppercase();
        let supplier = supplier.trim().to_ascii_uppercase();
        let (buyer, supplier) = (buyer.as_str(), supplier.as_str());
        let at = as_of.map_or_else(today, str::to_string);
        let j = reg.jurisdictions();
        let mut export = Row::new("export_control.supplier_on_buyer", details);
        let mut sanc_s = Row::new("sanctions.supplier_on_buyer", details);
        let mut sanc_b = Row::new("sanctions.buyer_on_supplier", details);
        let mut tech = Row::new("technology_restriction.supplier_on_buyer", details);
        let mut trade = Row::new("trade_measures", details);
        let mut regime = Row::new("regime_asymmetry", details);
        let mut data = Row::new("data_access_law.supplier", details);
        let mut block = Row::new("blocking_statute.buyer", details);
        let mut block_note = None;
        if buyer != supplier {
            let (s_to_b, b_to_s) = match details {
                true => (
                    format!("{supplier} on {buyer}"),
                    format!("{buyer} on {supplier}"),
                ),
                false => Default::default(),
            };
            for m in j
                .measures(supplier, buyer, Some(&at))
                .filter(|m| bears_on(m, classes))
            {
                let line = measure_line(m, &s_to_b, details);
                match m.measure_type {
                    MeasureType::ExportControl => export.add(&m.value, &m.id, line),
                    MeasureType::Sanction => sanc_s.add(&m.value, &m.id, line),
                    MeasureType::TechnologyRestriction => tech.add(&m.value, &m.id, line),
                    MeasureType::TradeMeasure => trade.add(&m.value, &m.id, line),
                    // The supplier's bans on buying from the buyer and its countermeasures do not
                    // cut the supplier's exports; the buyer-side rows below see the other way.
                    MeasureType::ImportOrProcurementBan
                    | MeasureType::Countermeasure
                    | MeasureType::DataAccessLaw => {}
                }
            }
            for m in j
                .measures(buyer, supplier, Some(&at))
                .filter(|m| bears_on(m, classes))
            {
                let line = measure_line(m, &b_to_s, details);
                match m.measure_type {
                    MeasureType::Sanction | MeasureType::Countermeasure => {
                        sanc_b.add(&m.value, &m.id, line)
                    }
                    MeasureType::TradeMeasure => trade.add(&m.value, &m.id, line),
                    MeasureType::ImportOrProcurementBan => {
                        let v = if m.value == "ban" {
                            "import_ban"
                        } else {
                            "import_restriction"
                        };
                        trade.add(v, &m.id, line)
                    }
                    MeasureType::ExportControl
                    | MeasureType::TechnologyRestriction
                    | MeasureType::DataAccessLaw => {}
                }
            }
            let mut regimes: Vec<&str> = Vec::new();
            for g in j.groups_of(supplier) {
                if g.kind == crate::data::jurisdictions::GroupKind::ExportControlRegime
                    && !j.covers(&g.id, buyer)
                {
                    regimes.push(&g.id);
                }
            }
            regimes.sort_unstable();
            for g in &regimes {
                regime.add("supplier_member_buyer_not", g, String::new());
            }
            if details && !regimes.is_empty() {
                let cites: Vec<&str> = regimes
                    .iter()
                    .filter_map(|g| j.group(g).map(|g| g.citation.as_str()))
                    .collect();
                regime.summary = Some(format!(
                    "{supplier} participates in {} and {buyer} does not ({})",
                    regimes.join(", "),
                    cites.join("; ")
                ));
            }
            for l in j.laws_of(supplier, Some(&at)) {
                let v = match l.kind {
                    LawKind::CompelledAssistance => "compelled_assistance",
                    LawKind::ExtraterritorialDataAccess => "extraterritorial_data_access",
                    _ => continue,
                };
                let line = if details {
                    format!(
                        "{supplier}: {} ({}, in force {})",
                        l.name, l.citation, l.effective_from
                    )
                } else {
                    String::new()
                };
                data.add(v, &l.id, line);
            }
            // A blocking statute matters when the supplier imposes something the buyer's law
            // answers: an export control aimed at the buyer (not the routine dual-use licensing
            // every destination faces), a sanction or a technology restriction.
            let aimed = |r: &Row| r.hits.iter().any(|h| r.values[h.0] != "dual_use_licensing");
            let conflict = aimed(&export) || aimed(&sanc_s) || aimed(&tech);
            let mut unanswered: Vec<&str> = Vec::new();
            for l in j.laws_of(buyer, Some(&at)) {
                let v = match l.kind {
                    LawKind::BlockingStatute => "blocking_statute",
                    LawKind::CountermeasureLaw => "countermeasure_law",
                    _ => continue,
                };
                if conflict {
                    let line = if details {
                        format!(
                            "{buyer}: {} ({}, in force {})",
                            l.name, l.citation, l.effective_from
                        )
                    } else {
                        String::new()
                    };
                    block.add(v, &l.id, line);
                } else {
                    unanswered.push(l.id.as_str());
                }
            }
            if !conflict && !unanswered.is_empty() {
                block_note = Some(format!(
                    "{buyer} has {}, but {supplier} imposes no measure on {buyer} for it to answer",
                    unanswered.join(", ")
                ));
            }
        }
        Rows {
            buyer: buyer.to_string(),
            supplier: supplier.to_string(),
            at,
            rows: [export, sanc_s, sanc_b, tech, trade, regime, data, block],
            block_note,
        }
    }
}

/// Weights folded into one exposure in [0, 1]: `1 - prod(1 - w)` (noisy-or) or `max(w)`, each
/// weight clamped to [0, 1] first.
fn fold_weights(fold: Fold, ws: impl Iterator<Item = f64>) -> f64 {
    let ws = ws.map(|w| w.clamp(0.0, 1.0));
    match fold {
        Fold::NoisyOr => 1.0 - ws.fold(1.0, |acc, w| acc * (1.0 - w)),
        Fold::Max => ws.fold(0.0, f64::max),
    }
}

impl PairCard {
    /// The row of an indicator.
    pub fn row(&self, indicator: &str) -> Option<&PairRow> {
        self.rows.iter().find(|r| r.indicator == indicator)
    }

    /// The rows folded into one exposure in [0, 1]: `1 - prod(1 - w)` (noisy-or) or `max(w)`,
    /// per the profile. An all-`none` card gives exactly 0.
    pub fn exposure(&self) -> f64 {
        fold_weights(self.fold, self.rows.iter().map(|r| r.weight))
    }
}

/// The vendor-level measures of `buyer`'s own authorities (its country, or a group containing
/// it such as the EU) naming `vendor_id`, or naming its parent chain when the measure covers
/// subsidiaries, in force today.
pub fn vendor_findings(reg: &Registry, buyer: &str, vendor_id: &str) -> Vec<VendorMeasureHit> {
    vendor_findings_at(reg, buyer, vendor_id, None)
}

/// [`vendor_findings`] at a date (`YYYY-MM-DD`; default today).
pub fn vendor_findings_at(
    reg: &Registry,
    buyer: &str,
    vendor_id: &str,
    as_of: Option<&str>,
) -> Vec<VendorMeasureHit> {
    let buyer = buyer.trim().to_ascii_uppercase();
    let buyer = buyer.as_str();
    let at = as_of.map_or_else(today, str::to_string);
    let j: &Jurisdictions = reg.jurisdictions();
    // The vendor itself, then its parents (cycle-safe, bounded like Registry::ultimate_parent).
    let mut chain: Vec<String> = vec![vendor_id.to_string()];
    let mut cur = reg.by_id(vendor_id);
    for _ in 0..16 {
        let Some(idx) = cur else { break };
        let Some(p) = reg.vendor(idx).parent.as_deref() else {
            break;
        };
        if chain.iter().any(|c| c == p) {
            break;
        }
        chain.push(p.to_string());
        cur = reg.by_id(p);
    }
    let mut hits = Vec::new();
    for (depth, v) in chain.iter().enumerate() {
        for m in j.vendor_measures(v) {
            if !m.is_active(&at) || !j.covers(&m.authority_country, buyer) {
                continue;
            }
            if depth > 0 && !m.covers_subsidiaries {
                continue;
            }
            let via_parent = (depth > 0).then(|| v.clone());
            let detail = format!(
                "{} ({}): {} {} on {}{} since {} ({}, status {})",
                m.authority,
                m.authority_country,
                m.list,
                m.effect,
                m.vendor,
                if depth > 0 {
                    format!(" (parent of {vendor_id})")
                } else {
                    String::new()
                },
                m.effective_from,
                m.citation,
                m.status.as_str()
            );
            hits.push(VendorMeasureHit {
                measure: m.clone(),
                via_authority: m.authority_country.clone(),
                via_parent,
                detail,
            });
        }
    }
    hits
}

/// The origin country whose pair card weighs most on `buyer` for components of `classes`, with
/// that exposure: the "most exposed origin in the data" that the worst bound of a score gives
/// unknown origin (docs/scoring.md, "Unknown origin"). Ties go to the lower code. Computed once
/// per (data version, buyer, date, classes) in a process.
pub fn most_exposed_origin(
    reg: &Registry,
    buyer: &str,
    as_of: &str,
    classes: u8,
) -> Option<(String, f64)> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Key = (String, String, String, u8);
    type Cache = Mutex<HashMap<Key, Option<(String, f64)>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let buyer = buyer.trim().to_ascii_uppercase();
    let key = (
        reg.version.clone(),
        buyer.clone(),
        as_of.to_string(),
        classes,
    );
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let best = max_exposure(reg, &buyer, as_of, classes, candidates(reg, &buyer));
    if let Ok(mut c) = cache.lock() {
        c.insert(key, best.clone());
    }
    best
}

/// The highest exposure over `origins` (in code order; the first of equals wins).
fn max_exposure<'r>(
    reg: &Registry,
    buyer: &str,
    as_of: &str,
    classes: u8,
    origins: impl Iterator<Item = &'r String>,
) -> Option<(String, f64)> {
    let mut best: Option<(String, f64)> = None;
    for cc in origins {
        let x = PairCard::exposure_for(reg, buyer, cc, Some(as_of), classes);
        if best.as_ref().is_none_or(|(_, b)| x > *b) {
            best = Some((cc.clone(), x));
        }
    }
    best
}

/// The origins whose pair card with `buyer` can differ, in code order: every country the
/// jurisdiction data names (a group member, a measure's imposing, target or excepted code, a
/// law's jurisdiction), and the first of the others. A country the data never names meets
/// exactly the same measures and laws as any other such country (none of its own, and the
/// same `*` targets), so one stands for all: 30-odd cards instead of 249 on each start.
fn candidates<'r>(reg: &'r Registry, buyer: &'r str) -> impl Iterator<Item = &'r String> + 'r {
    let j = reg.jurisdictions();
    let mut named: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for g in &j.groups {
        named.extend(g.members.iter().map(String::as_str));
    }
    for m in &j.measures {
        named.insert(&m.imposing);
        named.insert(&m.target);
        named.extend(m.target_except.iter().map(String::as_str));
    }
    for l in &j.laws {
        named.insert(&l.jurisdiction);
    }
    let mut first_other = true;
    reg.countries.keys().filter(move |cc| {
        if cc.as_str() == buyer {
            return false;
        }
        if named.contains(cc.as_str()) {
            return true;
        }
        std::mem::replace(&mut first_other, false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The candidates give what every country gives, for buyers inside and outside the
    /// data's groups, each supply class and several dates.
    #[test]
    fn candidates_find_the_same_most_exposed_origin_as_every_country() {
        let reg = Registry::embedded().unwrap();
        for buyer in ["CN", "US", "DE", "RU", "TW", "IR", "BR", "KP", "JP", "ZA"] {
            for at in ["2020-01-01", "2024-06-30", "2026-11-25"] {
                for classes in [
                    supply::ALL,
                    supply::SOFTWARE,
                    supply::HARDWARE,
                    supply::CRYPTO,
                    supply::EQUIPMENT,
                ] {
                    let all = reg.countries.keys().filter(|cc| cc.as_str() != buyer);
                    assert_eq!(
                        max_exposure(&reg, buyer, at, classes, candidates(&reg, buyer)),
                        max_exposure(&reg, buyer, at, classes, all),
                        "{buyer} {at} {classes}"
                    );
                }
            }
        }
    }

    #[test]
    fn exposure_without_details_is_the_cards_exposure() {
        let reg = Registry::embedded().unwrap();
        let mut nonzero = 0;
        for buyer in ["CN", "US", "DE", "RU", "IR"] {
            for at in ["2020-01-01", "2026-11-25"] {
                for classes in [supply::ALL, supply::SOFTWARE, supply::HARDWARE] {
                    for cc in reg.countries.keys() {
                        let full = PairCard::build_for(&reg, buyer, cc, Some(at), classes);
                        let lean = PairCard::from_rows(
                            &reg,
                            Rows::of(&reg, buyer, cc, Some(at), classes, false),
                        );
                        let x = PairCard::exposure_for(&reg, buyer, cc, Some(at), classes);
                        assert_eq!(x.to_bits(), full.exposure().to_bits(), "{buyer} {cc} {at}");
                        let rows = |c: &PairCard| -> Vec<(String, String, Vec<String>, u64)> {
                            c.rows
                                .iter()
                                .map(|r| {
                                    (
                                        r.indicator.clone(),
                                        r.value.clone(),
                                        r.records.clone(),
                                        r.weight.to_bits(),
                                    )
                                })
                                .collect()
                        };
                        assert_eq!(rows(&lean), rows(&full), "{buyer} {cc} {at}");
                        assert!(lean.rows.iter().all(|r| r.detail.is_empty()));
                        nonzero += usize::from(x > 0.0);
                    }
                }
            }
        }
        assert!(
            nonzero > 100,
            "the comparison covers cards with measures: {nonzero}"
        );
    }

    use crate::data::jurisdictions::fixture::registry;

    const AT: Option<&str> = Some("2026-01-01");

    fn values(card: &PairCard) -> Vec<(&str, &str)> {
        card.rows
            .iter()
            .map(|r| (r.indicator.as_str(), r.value.as_str()))
            .collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn every_row_is_always_present_in_a_fixed_order() {
        let reg = registry("").unwrap();
        let card = PairCard::build(&reg, "GB", "DE", AT);
        let ids: Vec<&str> = card.rows.iter().map(|r| r.indicator.as_str()).collect();
        let expected: Vec<&str> = PAIR_INDICATORS.iter().map(|(i, _)| *i).collect();
        assert_eq!(ids, expected);
        for r in &card.rows {
            assert_eq!(r.value, "none", "{r:?}");
            assert!(r.records.is_empty());
            assert_eq!(r.weight, 0.0);
            assert!(
                r.detail.starts_with("no measure found as of 2026-01-01"),
                "{r:?}"
            );
            assert!(r.clause.starts_with("art10."), "{r:?}");
        }
        assert_eq!(card.exposure(), 0.0);
        assert_eq!(card.profile, "default");
    }

    #[test]
    fn cn_buyer_us_supplier() {
        let reg = registry("").unwrap();
        let card = PairCard::build(&reg, "CN", "US", AT);
        assert_eq!(
            values(&card),
            [
                ("export_control.supplier_on_buyer", "license_required"),
                ("sanctions.supplier_on_buyer", "none"),
                ("sanctions.buyer_on_supplier", "none"),
                (
                    "technology_restriction.supplier_on_buyer",
                    "license_required"
                ),
                ("trade_measures", "none"),
                ("regime_asymmetry", "supplier_member_buyer_not"),
                ("data_access_law.supplier", "extraterritorial_data_access"),
                ("blocking_statute.buyer", "countermeasure_law"),
            ]
        );
        let ec = card.row("export_control.supplier_on_buyer").unwrap();
        // The military-only arms embargo is outside the card's scopes: D:1 is the strongest.
        assert_eq!(ec.records, ["us-d1"]);
        assert!(ec.detail.contains("15 CFR 742.4") && ec.detail.contains("1996-03-25"));
        assert_eq!(ec.clause, "art10.3.political");
        assert_eq!(ec.weight, 0.6);
        let regime = card.row("regime_asymmetry").unwrap();
        assert_eq!(regime.records, ["wassenaar"]);
        assert_eq!(
            regime.detail,
            "US participates in wassenaar and CN does not (WA)"
        );
        // 1 - (1-0.6)(1-0.5)(1-0.2)(1-0.05)(1-0.1) = 1 - 0.4*0.5*0.8*0.95*0.9 = 1 - 0.1368
        assert!(close(card.exposure(), 0.8632), "{}", card.exposure());
    }

    #[test]
    fn swapping_the_buyer_swaps_the_exposed_side() {
        let reg = registry("").unwrap();
        let card = PairCard::build(&reg, "US", "CN", AT);
        assert_eq!(
            values(&card),
            [
                ("export_control.supplier_on_buyer", "none"),
                ("sanctions.supplier_on_buyer", "none"),
                ("sanctions.buyer_on_supplier", "none"),
                ("technology_restriction.supplier_on_buyer", "none"),
                ("trade_measures", "none"),
                ("regime_asymmetry", "none"),
                ("data_access_law.supplier", "compelled_assistance"),
                ("blocking_statute.buyer", "none"),
            ]
        );
        assert!(close(card.exposure(), 0.1));
        assert_ne!(card.rows, PairCard::build(&reg, "CN", "US", AT).rows);
    }

    #[test]
    fn domestic_supply_is_exactly_zero() {
        let reg = registry("").unwrap();
        for (b, s) in [("DE", "DE"), ("CN", "CN"), ("US", "US"), ("us", " US")] {
            let card = PairCard::build(&reg, b, s, AT);
            assert!(card.rows.iter().all(|r| r.value == "none"), "{card:?}");
            assert!(card.rows.iter().all(|r| r
                .detail
                .ends_with("(domestic: buyer and supplier are the same jurisdiction)")));
            assert_eq!(card.exposure(), 0.0);
        }
    }

    #[test]
    fn a_group_measure_applies_to_a_member_buyer() {
        let reg = registry("").unwrap();
        // The EU's listings of Chinese parties are the DE buyer's own sanctions on CN.
        let card = PairCard::build(&reg, "DE", "CN", AT);
        let row = card.row("sanctions.buyer_on_supplier").unwrap();
        assert_eq!(
            (row.value.as_str(), row.records.as_slice()),
            ("targeted", &["eu-cn-listing".to_string()][..])
        );
        // 1 - (1-0.15)(1-0.1) = 0.235
        assert!(close(card.exposure(), 0.235), "{}", card.exposure());
        let block = PairCard::build(&reg, "CN", "NL", AT);
        let block = block.row("blocking_statute.buyer").unwrap();
        assert_eq!(
            block.value, "countermeasure_law",
            "NL's SME rule is aimed at CN"
        );
        let cn_gb = PairCard::build(&reg, "CN", "GB", AT);
        assert_eq!(
            cn_gb.row("blocking_statute.buyer").unwrap().detail,
            "no measure found as of 2026-01-01 (CN has cn-afsl, but GB imposes no measure on CN for it to answer)"
        );
        // Two EU members: NL's `*` except `eu` rule does not reach DE.
        assert_eq!(PairCard::build(&reg, "DE", "NL", AT).exposure(), 0.0);
        let us_nl = PairCard::build(&reg, "US", "NL", AT);
        assert_eq!(
            us_nl
                .row("technology_restriction.supplier_on_buyer")
                .unwrap()
                .records,
            ["nl-sme"]
        );
    }

    #[test]
    fn an_ended_measure_is_not_read() {
        let reg = registry("").unwrap();
        let now = PairCard::build(&reg, "CN", "US", AT);
        assert_eq!(
            now.row("sanctions.supplier_on_buyer").unwrap().value,
            "none"
        );
        let then = PairCard::build(&reg, "CN", "US", Some("2005-06-01"));
        let row = then.row("sanctions.supplier_on_buyer").unwrap();
        assert_eq!((row.value.as_str(), row.weight), ("comprehensive", 1.0));
        assert_eq!(row.records, ["us-cn-old"]);
        assert_eq!(then.exposure(), 1.0);
        // In 2005 the AC rule, the CLOUD Act and the AFSL did not exist yet.
        assert_eq!(
            then.row("technology_restriction.supplier_on_buyer")
                .unwrap()
                .value,
            "none"
        );
        assert_eq!(then.row("data_access_law.supplier").unwrap().value, "none");
        assert_eq!(then.row("blocking_statute.buyer").unwrap().value, "none");
    }

    #[test]
    fn the_max_fold() {
        let mut reg = registry("").unwrap();
        reg.pair_weights.as_mut().unwrap().fold = Fold::Max;
        assert!(close(PairCard::build(&reg, "CN", "US", AT).exposure(), 0.6));
    }

    #[test]
    fn vendor_findings_are_the_buyers_own_measures() {
        let reg = registry("").unwrap();
        let ids = |buyer: &str, vendor: &str| -> Vec<String> {
            let mut v: Vec<String> = vendor_findings_at(&reg, buyer, vendor, AT)
                .into_iter()
                .map(|h| h.measure.id)
                .collect();
            v.sort();
            v
        };
        assert_eq!(ids("CN", "micron"), ["cn-cac-micron"]);
        assert!(ids("US", "micron").is_empty());
        assert_eq!(ids("US", "huawei"), ["us-bis-huawei", "us-fcc-huawei"]);
        assert!(ids("CN", "huawei").is_empty());
        // The EU's measure is a DE buyer's own.
        assert_eq!(ids("DE", "huawei"), ["eu-huawei"]);
        assert!(ids("GB", "huawei").is_empty());
        // Through the parent only where the instrument covers subsidiaries (FCC yes, BIS no).
        let hs = vendor_findings_at(&reg, "US", "hisilicon", AT);
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].measure.id, "us-fcc-huawei");
        assert_eq!(hs[0].via_parent.as_deref(), Some("huawei"));
        assert!(
            hs[0].detail.contains("(parent of hisilicon)") && hs[0].detail.contains("2021-03-12")
        );
        // Before the listing there is no finding.
        assert!(vendor_findings_at(&reg, "CN", "micron", Some("2023-05-20")).is_empty());
        assert!(ids("US", "nobody").is_empty());
    }

    #[test]
    fn the_card_serializes() {
        let reg = registry("").unwrap();
        let json = serde_json::to_value(PairCard::build(&reg, "CN", "US", AT)).unwrap();
        assert_eq!(json["fold"], "noisy_or");
        assert_eq!(
            json["rows"][0]["indicator"],
            "export_control.supplier_on_buyer"
        );
        assert_eq!(json["rows"][0]["records"][0], "us-d1");
        let hit = serde_json::to_value(&vendor_findings_at(&reg, "CN", "micron", AT)[0]).unwrap();
        assert_eq!(hit["list"], "cac-review-outcome");
        assert_eq!(hit["status"], "active");
    }

    /// The shipped data: the cases the scoring layer relies on.
    #[test]
    fn shipped_data_cases() {
        let reg = Registry::embedded().unwrap();
        let at = Some("2026-11-25");
        let cn_us = PairCard::build(&reg, "CN", "US", at);
        let ec = cn_us.row("export_control.supplier_on_buyer").unwrap();
        assert_eq!(ec.value, "license_required");
        assert!(
            ec.records
                .iter()
                .any(|r| r == "us-ear-d1-national-security"),
            "{ec:?}"
        );
        let tech = cn_us
            .row("technology_restriction.supplier_on_buyer")
            .unwrap();
        assert!(
            tech.records
                .iter()
                .any(|r| r == "us-cn-advanced-computing-2022"),
            "{tech:?}"
        );
        let us_cn = PairCard::build(&reg, "US", "CN", at);
        assert_eq!(
            us_cn.row("export_control.supplier_on_buyer").unwrap().value,
            "dual_use_licensing"
        );
        assert!(us_cn.exposure() < cn_us.exposure());
        assert_eq!(PairCard::build(&reg, "DE", "DE", at).exposure(), 0.0);
        // RU buyer, DE supplier: the EU's dual-use ban on Russia is an embargo.
        let ru_de = PairCard::build(&reg, "RU", "DE", at);
        assert_eq!(
            ru_de.row("export_control.supplier_on_buyer").unwrap().value,
            "embargo"
        );
        assert_eq!(ru_de.exposure(), 1.0);
        // Vendor findings.
        let f = |b: &str, v: &str| -> Vec<String> {
            vendor_findings_at(&reg, b, v, at)
                .into_iter()
                .map(|h| h.measure.list)
                .collect()
        };
        assert_eq!(f("CN", "micron"), ["cac-review-outcome"]);
        assert!(f("US", "micron").is_empty());
        let us_huawei = f("US", "huawei");
        assert!(
            us_huawei.iter().any(|l| l == "us-fcc-covered-list"),
            "{us_huawei:?}"
        );
        assert!(
            us_huawei.iter().any(|l| l == "us-bis-entity-list"),
            "{us_huawei:?}"
        );
        assert!(f("CN", "huawei").is_empty());
        // ZTE's 2016 Entity List entry and 2018 denial order ended; the FCC listing stands.
        let us_zte = f("US", "zte");
        assert!(
            !us_zte.iter().any(|l| l == "us-bis-denial-order"),
            "{us_zte:?}"
        );
        assert!(vendor_findings_at(&reg, "US", "zte", Some("2018-05-01"))
            .iter()
            .any(|h| h.measure.list == "us-bis-denial-order"));
        // The FY2023 NDAA sec. 5949 ban on SMIC chips starts on 2027-12-23.
        let smic = |at| {
            vendor_findings_at(&reg, "US", "smic", Some(at))
                .into_iter()
                .any(|h| h.measure.id == "us-ndaa-5949-smic")
        };
        assert!(!smic("2026-11-25"));
        assert!(smic("2027-12-23"));
    }
}
