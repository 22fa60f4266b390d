//! `political_exposure` (docs/scoring.md, "political_exposure"): how much of the product a
//! political, diplomatic or trade measure of the buyer's authorities can reach, from the pair
//! cards of its origin and channel countries and the measures naming its vendors. Its profile
//! slice is `[exposure]`; its findings are SR-VENDOR-MEASURE, SR-ORIGIN-EXPOSURE, SR-CHANNEL and
//! SR-CLOSED-EXPOSED.

use super::criticality::Supply;
use super::findings::{
    codes, Context, Finding, Ladder, Severity, ART6, F3_CHANNEL, F3_OPENNESS, F3_POLITICAL,
};
use super::pair::{self, PairCard, VendorMeasureHit};
use super::profile::{unit, ScoringProfile};
use super::{
    fl, fx, ratio, round1, round4, Bounds, BuyerClass, Fixed, Item, Score, Shares, SupplyKind, NONE,
};
use crate::data::Registry;
use crate::model::Sbom;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[exposure]`: the terms of x(c).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub unknown_country: f64,
    pub open_source_mitigation: f64,
    pub channel_weight: f64,
    pub mirror_mitigation: f64,
    pub open_source_licences: Vec<String>,
    /// Exposure floor per vendor-measure effect.
    pub vendor_effects: BTreeMap<String, f64>,
    pub findings: FindingsConfig,
}

/// `[exposure.findings]`: severity thresholds.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FindingsConfig {
    /// SR-VENDOR-MEASURE, on the strongest effect of the measures that weigh on the components.
    pub vendor_measure: Ladder,
    /// SR-ORIGIN-EXPOSURE, on the weighted exposure x(c) of the components it names.
    pub origin_exposure: Ladder,
    /// SR-CHANNEL, on the channel route (pair-card exposure x channel_weight).
    pub channel: Ladder,
    /// SR-CLOSED-EXPOSED, on each proprietary or hardware component's x(c): those at or above
    /// the lowest level are named, and the finding takes the level of the most exposed.
    pub closed_exposed: Ladder,
}

impl Config {
    pub(super) fn validate(&self, out: &mut Vec<String>) {
        unit(out, "exposure.unknown_country", self.unknown_country);
        unit(
            out,
            "exposure.open_source_mitigation",
            self.open_source_mitigation,
        );
        unit(out, "exposure.channel_weight", self.channel_weight);
        unit(out, "exposure.mirror_mitigation", self.mirror_mitigation);
        for (k, v) in &self.vendor_effects {
            unit(out, &format!("exposure.vendor_effects.{k}"), *v);
        }
        for k in self.vendor_effects.keys() {
            if !crate::data::jurisdictions::VENDOR_EFFECTS.contains(&k.as_str()) {
                out.push(format!("exposure.vendor_effects.{k}: unknown effect"));
            }
        }
        for effect in crate::data::jurisdictions::VENDOR_EFFECTS {
            if !self.vendor_effects.contains_key(*effect) {
                out.push(format!("exposure.vendor_effects has no '{effect}'"));
            }
        }
        let f = &self.findings;
        for (key, ladder) in [
            ("vendor_measure", &f.vendor_measure),
            ("origin_exposure", &f.origin_exposure),
            ("channel", &f.channel),
            ("closed_exposed", &f.closed_exposed),
        ] {
            ladder.validate(&format!("exposure.findings.{key}"), (0.0, 1.0), true, out);
        }
    }
}

codes! {
    /// The findings of political exposure.
    pub enum Code {
        VendorMeasure => ("SR-VENDOR-MEASURE", "vendor_measure", F3_POLITICAL, "A component's vendor is named by a measure of the buyer's authorities that binds the buyer and covers the component"),
        OriginExposure => ("SR-ORIGIN-EXPOSURE", "origin_exposure", F3_POLITICAL, "Components originate in a foreign country with political, diplomatic or trade measures towards the buyer that bear on what they supply"),
        Channel => ("SR-CHANNEL", "channel", F3_CHANNEL, "Components come through a distribution channel operated in an exposed foreign country, without a domestic mirror"),
        ClosedExposed => ("SR-CLOSED-EXPOSED", "closed_exposed", F3_OPENNESS, "Proprietary components or hardware are exposed"),
    }
}

/// The pair cards and vendor measures of a product's origins, built once.
pub(super) struct Cards<'a> {
    /// One card per country seen (origin or channel).
    pub cards: FxHashMap<&'a str, PairCard>,
    /// Exposure per (interned country, supply class) present.
    supply_x: FxHashMap<(u32, u8), f64>,
    /// The supply classes of the components of unknown origin.
    pub unknown_supplies: Vec<u8>,
    /// Measures naming the vendors of the scored components and of the product.
    pub vendor_hits: FxHashMap<&'a str, Vec<VendorMeasureHit>>,
    /// Per interned vendor: its measures, when any.
    hits_by_vix: Vec<Option<Vec<VendorMeasureHit>>>,
}

impl<'a> Cards<'a> {
    pub fn build(
        reg: &Registry,
        sbom: &Sbom,
        buyer: &str,
        as_of: &str,
        supply: &Supply<'a>,
        shares: &Shares<'a>,
    ) -> Cards<'a> {
        let country_ix = &supply.country_ix;
        let cards: FxHashMap<&str, PairCard> = country_ix
            .keys
            .iter()
            .map(|cc| (*cc, PairCard::build(reg, buyer, cc, Some(as_of))))
            .collect();
        // A component's pair exposure counts the measures whose scope bears on what it supplies
        // (docs/scoring.md, "Measure scope"): one card per (country, supply class) present.
        let unknown_supplies: Vec<u8> = {
            let mut v: Vec<u8> = supply
                .items
                .iter()
                .filter(|it| it.country.is_none())
                .map(|it| it.supply)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        // Unknown origin is weighed at the known foreign origins' cards for its supply classes,
        // so those (country, class) cards are built here too, once.
        let unknown_pairs = shares.known_foreign.iter().flat_map(|cc| {
            let cix = country_ix.index.get(cc).copied().unwrap_or(NONE);
            unknown_supplies.iter().map(move |&sup| (cix, sup))
        });
        let item_pairs = supply
            .items
            .iter()
            .flat_map(|it| [(it.cix, it.supply), (it.chix, it.supply)]);
        let mut supply_x: FxHashMap<(u32, u8), f64> = FxHashMap::default();
        for (cix, sup) in item_pairs.chain(unknown_pairs) {
            if let Some(cc) = country_ix.keys.get(cix as usize) {
                supply_x.entry((cix, sup)).or_insert_with(|| {
                    if *cc == buyer {
                        0.0
                    } else {
                        PairCard::exposure_for(reg, buyer, cc, Some(as_of), sup)
                    }
                });
            }
        }
        // Measures on the vendors of the scored components and of the product itself.
        let mut vendor_hits: FxHashMap<&str, Vec<VendorMeasureHit>> = FxHashMap::default();
        let root_vendors = sbom
            .roots
            .iter()
            .filter_map(|r| supply.by_component.get(r.index()).copied().flatten())
            .filter_map(|a| a.vendor.as_ref().and_then(|v| v.id));
        for id in shares
            .vendor_id_of
            .iter()
            .flatten()
            .copied()
            .chain(root_vendors)
        {
            vendor_hits
                .entry(id)
                .or_insert_with(|| pair::vendor_findings_at(reg, buyer, id, Some(as_of)));
        }
        let hits_by_vix = shares
            .vendor_id_of
            .iter()
            .map(|id| {
                id.and_then(|id| vendor_hits.get(id))
                    .filter(|h| !h.is_empty())
                    .cloned()
            })
            .collect();
        Cards {
            cards,
            supply_x,
            unknown_supplies,
            vendor_hits,
            hits_by_vix,
        }
    }

    /// The whole pair card's exposure of a country (0 for the buyer's own).
    pub fn pair_x(&self, buyer: &str, cc: &str) -> f64 {
        if cc == buyer {
            0.0
        } else {
            self.cards.get(cc).map_or(0.0, PairCard::exposure)
        }
    }

    /// The exposure of an interned country for a supply class.
    pub fn of(&self, cix: u32, supply: u8) -> Option<f64> {
        self.supply_x.get(&(cix, supply)).copied()
    }

    /// The exposure per supply class of one country, labelled.
    pub fn by_supply(&self, cix: u32) -> BTreeMap<&'static str, f64> {
        self.supply_x
            .iter()
            .filter(|((c, _), _)| *c == cix)
            .map(|((_, sup), x)| (pair::supply::label(*sup), round4(*x)))
            .collect()
    }
}

/// The strongest effect weight (`exposure.vendor_effects`) among vendor measures; 0 for none.
pub(super) fn strongest_effect<'h>(
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

/// Whether a vendor measure weighs on a component of `supply` classes (published source when
/// `open`) for a buyer of `class` (docs/scoring.md, "Who a measure binds and what it covers").
pub(super) fn weighs_on(h: &VendorMeasureHit, class: BuyerClass, supply: u8, open: bool) -> bool {
    let m = &h.measure;
    class.bound_by(&m.binds)
        && pair::supply::of_items(&m.items) & supply != 0
        && (!open || m.reaches_published_source)
}

/// x(c) of every component (by id) and the score.
pub(super) struct Exposure {
    pub x: Vec<f64>,
    pub score: Score,
}

/// Computes x(c) for every item and `political_exposure` with its bounds.
#[allow(clippy::too_many_arguments)]
pub(super) fn score(
    reg: &Registry,
    p: &ScoringProfile,
    buyer: &str,
    as_of: &str,
    class: BuyerClass,
    supply: &Supply<'_>,
    shares: &Shares<'_>,
    cards: &Cards<'_>,
) -> Exposure {
    let e = &p.exposure;
    let items = &supply.items;
    let total = supply.total;
    let floor_of = |it: &Item<'_>| -> f64 {
        cards
            .hits_by_vix
            .get(it.vix as usize)
            .and_then(Option::as_ref)
            .map_or(0.0, |hits| {
                strongest_effect(
                    p,
                    hits.iter()
                        .filter(|h| weighs_on(h, class, it.supply, it.open)),
                )
            })
    };
    // Unknown origin (docs/scoring.md, "Unknown origin"): the central value takes it as the
    // product's most exposed known foreign origin for the component's supply class, at least
    // `unknown_country`, so knowing less never lowers the exposure; the bounds take it as
    // domestic (best) and as the most exposed origin in the data for this buyer (worst).
    let unknown_x: FxHashMap<u8, (f64, f64)> = cards
        .unknown_supplies
        .iter()
        .map(|&sup| {
            let known = shares
                .known_foreign
                .iter()
                .filter_map(|cc| cards.of(*supply.country_ix.index.get(cc)?, sup))
                .fold(0.0, f64::max);
            let central = known.max(e.unknown_country);
            let worst = pair::most_exposed_origin(reg, buyer, as_of, sup)
                .map_or(0.0, |(_, x)| x)
                .max(central);
            (sup, (central, worst))
        })
        .collect();
    let mut x = vec![0.0f64; supply.weights.len()];
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
    for it in items {
        let channel = cards.of(it.chix, it.supply).unwrap_or(0.0)
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
        let w = supply.weights[it.id];
        match cards.of(it.cix, it.supply) {
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
    let bounds = Bounds {
        best: round1(100.0 * ratio(exposed_best, total)),
        worst: round1(100.0 * ratio(exposed_worst, total)),
    };
    let score = Score {
        value: round1(political),
        direction: "100 = every part exposed to the strongest political, diplomatic and trade measures; 0 = all-domestic supply",
        formula: "100 x sum(weight x x(c)) / sum(weight); x(c) = max(vendor measure, 1 - (1 - origin x open mitigation) x (1 - channel_weight x channel x mirror mitigation))",
        inputs: BTreeMap::from([
            ("buyer", buyer.into()),
            ("total_weight", round4(fl(total)).into()),
            ("exposed_weight", round4(fl(exposed)).into()),
            ("unknown_origin_share", round4(ratio(shares.unknown_w, total)).into()),
        ]),
        bounds: (shares.unknown_w > 0).then_some(bounds),
    };
    Exposure { x, score }
}

/// SR-VENDOR-MEASURE, SR-ORIGIN-EXPOSURE, SR-CHANNEL and SR-CLOSED-EXPOSED.
pub(super) fn findings(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    vendor_measures(cx, out);
    origins(cx, out);
    channels(cx, out);
    closed(cx, out);
}

/// SR-VENDOR-MEASURE: a component from a vendor named by a measure of the buyer's authorities
/// (CAC review outcome, FCC Covered List, Entity List...). A measure counts only for the
/// components it weighs on: it binds the buyer's class, covers their supply class and reaches
/// them (never published source, unless it says so).
fn vendor_measures(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let p = cx.profile;
    let class = cx.buyer_class;
    for (vendor, hits) in cx.vendor_hits {
        if hits.is_empty() {
            continue;
        }
        let weighs = |it: &Item<'_>, h: &VendorMeasureHit| weighs_on(h, class, it.supply, it.open);
        let name = cx
            .reg
            .by_id(vendor)
            .map_or(vendor.to_string(), |i| cx.reg.vendor(i).name.clone());
        let applying: Vec<&VendorMeasureHit> = hits
            .iter()
            .filter(|h| cx.of_vendor(vendor).any(|it| weighs(it, h)))
            .collect();
        if applying.is_empty() {
            let (refs, n, share) = cx.refs(cx.of_vendor(vendor));
            if n == 0 {
                continue;
            }
            let evidence = hits
                .iter()
                .map(|h| {
                    let m = &h.measure;
                    let why = if !class.bound_by(&m.binds) {
                        format!("binds {}, not a {} buyer", m.binds, class.as_str())
                    } else if cx
                        .of_vendor(vendor)
                        .all(|it| pair::supply::of_items(&m.items) & it.supply == 0)
                    {
                        format!("covers {}, not what these components supply", m.items.join(", "))
                    } else {
                        "does not reach published open source, and these components are published source".to_string()
                    };
                    format!("{}: {why}", h.detail)
                })
                .collect();
            out.push(Finding {
                id: Code::VendorMeasure.as_str(),
                subject: Some(vendor.to_string()),
                factor: Code::VendorMeasure.factor(),
                severity: Severity::Info,
                title: format!(
                    "{n} component(s) from {name}: named by {} measure(s) of the buyer's ({}) authorities that weigh on none of them",
                    hits.len(),
                    cx.buyer
                ),
                components: refs,
                components_total: n,
                share,
                evidence,
                mitigation: "None needed for these components; a measure that binds this buyer's class and covers them (a purchase of the vendor's products) would count.".into(),
            });
            continue;
        }
        let (refs, n, share) = cx.refs(
            cx.of_vendor(vendor)
                .filter(|it| applying.iter().any(|h| weighs(it, h))),
        );
        if n == 0 {
            continue;
        }
        let strongest = strongest_effect(p, applying.iter().copied());
        let Some(severity) = p.exposure.findings.vendor_measure.at_least(strongest) else {
            continue;
        };
        out.push(Finding {
            id: Code::VendorMeasure.as_str(),
            subject: Some(vendor.to_string()),
            factor: Code::VendorMeasure.factor(),
            severity,
            title: format!(
                "{n} component(s) from {name}, named by {} measure(s) of the buyer's ({}) authorities that bind a {} buyer and cover them",
                applying.len(),
                cx.buyer,
                class.as_str()
            ),
            components: refs,
            components_total: n,
            share,
            evidence: applying
                .iter()
                .map(|h| {
                    format!(
                        "{} [binds {}; covers {}]",
                        h.detail,
                        h.measure.binds,
                        h.measure.items.join(", ")
                    )
                })
                .collect(),
            mitigation: format!(
                "Check each measure's current status (dated above); replace these components with ones from a supplier no measure names, or obtain the approval the measure requires before purchase. {ART6}"
            ),
        });
    }
}

/// SR-ORIGIN-EXPOSURE: components from an origin country whose pair card is not empty. The
/// finding states the weighted exposure of the very components it names, and cites only the
/// card rows that bear on what they supply (docs/scoring.md, "Measure scope").
fn origins(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for c in cx.countries {
        let (Some(cc), Some(_)) = (c.country.as_deref(), c.card.as_ref()) else {
            continue;
        };
        if cc == cx.buyer || c.exposure <= 0.0 {
            continue;
        }
        let classes = cx.of_country(cc).fold(0u8, |acc, it| acc | it.supply);
        let card = PairCard::build_for(cx.reg, cx.buyer, cc, Some(cx.as_of), classes);
        let (w, wx) = cx.of_country(cc).fold((0.0, 0.0), |(w, wx), it| {
            let wi = cx.weights[it.id];
            (w + wi, wx + wi * cx.x[it.id])
        });
        let exposure = if w > 0.0 { wx / w } else { 0.0 };
        if card.exposure() <= 0.0 || exposure <= 0.0 {
            continue;
        }
        let Some(severity) = cx
            .profile
            .exposure
            .findings
            .origin_exposure
            .at_least(exposure)
        else {
            continue;
        };
        let (refs, n, share) = cx.refs(cx.of_country(cc));
        let rows: Vec<String> = card
            .rows
            .iter()
            .filter(|r| r.value != "none")
            .map(|r| {
                format!(
                    "{} = {} (weight {}): {}",
                    r.indicator, r.value, r.weight, r.detail
                )
            })
            .collect();
        out.push(Finding {
            id: Code::OriginExposure.as_str(),
            subject: Some(cc.to_string()),
            factor: Code::OriginExposure.factor(),
            severity,
            title: format!(
                "{n} component(s) ({:.1}% of the product by weight) originate in {cc}, weighted exposure {exposure:.2} for a {} buyer",
                share * 100.0,
                cx.buyer
            ),
            components: refs,
            components_total: n,
            share,
            evidence: {
                let mut ev = vec![format!(
                    "their weighted exposure x(c) is {exposure:.2}; the pair card for what they supply ({}) is {:.2}, before open-source and channel terms",
                    pair::supply::label(classes),
                    card.exposure()
                )];
                ev.extend(rows);
                ev
            },
            mitigation: format!(
                "Qualify a second source from a jurisdiction with an empty pair card for the heaviest of these components; prefer open-source alternatives whose source can be kept and maintained. {ART6}"
            ),
        });
    }
}

/// SR-CHANNEL: components that come through a channel operated in an exposed foreign
/// jurisdiction, without a common domestic mirror.
fn channels(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let p = cx.profile;
    let mut by_channel: BTreeMap<&str, Vec<&Item<'_>>> = BTreeMap::new();
    for it in cx.items {
        if let Some(cc) = it.channel_country {
            if cc != cx.buyer
                && !it.mirrored
                && cx.cards.get(cc).is_some_and(|c| c.exposure() > 0.0)
            {
                by_channel.entry(cc).or_default().push(it);
            }
        }
    }
    for (cc, list) in by_channel {
        let x = cx.cards.get(cc).map_or(0.0, PairCard::exposure);
        let Some(severity) = p
            .exposure
            .findings
            .channel
            .at_least(x * p.exposure.channel_weight)
        else {
            continue;
        };
        let (refs, n, share) = cx.refs(list.into_iter());
        out.push(Finding {
            id: Code::Channel.as_str(),
            subject: Some(cc.to_string()),
            factor: Code::Channel.factor(),
            severity,
            title: format!(
                "{n} component(s) arrive through distribution channels operated in {cc} with no common mirror in {}",
                cx.buyer
            ),
            components: refs,
            components_total: n,
            share,
            evidence: vec![format!(
                "pair card ({}, {cc}) exposure {x:.2}; channel operators from data/channels.toml",
                cx.buyer
            )],
            mitigation: "Serve these packages from a domestic mirror or an internal registry (pinned versions, verified hashes), so the channel operator's jurisdiction cannot cut them off.".into(),
        });
    }
}

/// SR-CLOSED-EXPOSED: proprietary components (a declared licence that is not open source) and
/// hardware from exposed origins. No licence declared is not "closed": those are counted apart.
fn closed(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let ladder = &cx.profile.exposure.findings.closed_exposed;
    let floor = ladder.floor();
    let exposed = |i: &&Item| cx.x[i.id] >= floor && cx.weights[i.id] > 0.0;
    let exposed_closed: Vec<&Item> = cx
        .items
        .iter()
        .filter(|i| matches!(i.kind, SupplyKind::Proprietary | SupplyKind::Hardware))
        .filter(exposed)
        .collect();
    let exposed_undeclared = cx
        .items
        .iter()
        .filter(|i| i.kind == SupplyKind::Undeclared)
        .filter(exposed)
        .count();
    let (refs, n, share) = cx.refs(exposed_closed.iter().copied());
    let most = exposed_closed
        .iter()
        .map(|i| cx.x[i.id])
        .fold(0.0, f64::max);
    let Some(severity) = ladder.at_least(most).filter(|_| n > 0) else {
        return;
    };
    // The heaviest of them, each with what makes it exposed: the first five in order of exposed
    // weight (then component order), picked without sorting them all.
    let heavier = |a: &&Item, b: &&Item| {
        (cx.weights[b.id] * cx.x[b.id])
            .total_cmp(&(cx.weights[a.id] * cx.x[a.id]))
            .then(a.id.cmp(&b.id))
    };
    // Summed in component order, before the selection reorders them.
    let exposed_w: f64 = exposed_closed
        .iter()
        .map(|i| cx.weights[i.id] * cx.x[i.id])
        .sum();
    let mut heavy = exposed_closed;
    if heavy.len() > 5 {
        heavy.select_nth_unstable_by(5, heavier);
    }
    let top = heavy.len().min(5);
    heavy[..top].sort_by(heavier);
    let mut evidence: Vec<String> = heavy[..top]
        .iter()
        .map(|i| {
            let c = &cx.sbom.components[i.id];
            format!(
                "{} ({}): licence {}, origin {}, exposure {:.2}, weight {:.2}",
                c.name,
                c.bom_ref,
                c.licenses.as_deref().unwrap_or("none declared"),
                i.country.unwrap_or("unknown"),
                cx.x[i.id],
                cx.weights[i.id]
            )
        })
        .collect();
    if heavy.len() > 5 {
        evidence.push(format!("and {} more", heavy.len() - 5));
    }
    evidence.push(format!(
        "their exposed weight is {:.1}% of the product's (total weight {:.2}); open source: OSI-approved or FSF free/libre in the SPDX list, or listed in exposure.open_source_licences, with SPDX AND/OR semantics",
        100.0 * exposed_w / fl(cx.total).max(f64::MIN_POSITIVE),
        fl(cx.total)
    ));
    if exposed_undeclared > 0 {
        evidence.push(format!(
            "{exposed_undeclared} more component(s) with exposure of {floor} or more declare no licence: not counted as closed, but lost in the scenarios"
        ));
    }
    out.push(Finding {
        id: Code::ClosedExposed.as_str(),
        subject: None,
        factor: Code::ClosedExposed.factor(),
        severity,
        title: format!(
            "{n} component(s) without an open-source licence have exposure of {floor} or more"
        ),
        components: refs,
        components_total: n,
        share,
        evidence,
        mitigation: "Negotiate source-code escrow or a licence that allows maintenance by a third party; prefer open-source equivalents.".into(),
    });
}
