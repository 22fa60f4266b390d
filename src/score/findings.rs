//! Findings: what a procurement team acts on, each tied to the Article 10 factor and clause it
//! serves, with the components and evidence behind it and a mitigation. Codes are stable (see
//! docs/scoring.md, "Findings").

use super::pair::{PairCard, VendorMeasureHit};
use super::{fl, ratio, round4, CountryShare, Fixed, Item, ScenarioResult, Scores};
use crate::data::scoring::ScoringProfile;
use crate::data::Registry;
use crate::model::Sbom;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// The Article 10 factor a finding serves.
#[derive(Debug, Clone, Serialize)]
pub struct Factor {
    /// `10(2)` (business continuity) or `10(3)` (security, openness, transparency, diversity of
    /// sources, channel reliability, political/diplomatic/trade disruption).
    pub article: &'static str,
    /// The clause within it: `business continuity`, `diversity of sources`, `supply channel
    /// reliability`, `political, diplomatic and trade factors`, `openness`, `transparency`.
    pub clause: &'static str,
}

/// The stable finding codes: the one list the findings, the SARIF rules and docs/scoring.md's
/// finding table come from (a test checks the table against it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    VendorMeasure,
    OriginExposure,
    Channel,
    SpofVendor,
    Embargo,
    Disruption,
    Concentration,
    LowDiversity,
    UnknownOrigin,
    SbomEmpty,
    SbomGaps,
    ClosedExposed,
}

impl Code {
    pub const ALL: [Code; 12] = [
        Code::VendorMeasure,
        Code::OriginExposure,
        Code::Channel,
        Code::SpofVendor,
        Code::Embargo,
        Code::Disruption,
        Code::Concentration,
        Code::LowDiversity,
        Code::UnknownOrigin,
        Code::SbomEmpty,
        Code::SbomGaps,
        Code::ClosedExposed,
    ];

    /// The code as reports print it (`SR-VENDOR-MEASURE`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::VendorMeasure => "SR-VENDOR-MEASURE",
            Code::OriginExposure => "SR-ORIGIN-EXPOSURE",
            Code::Channel => "SR-CHANNEL",
            Code::SpofVendor => "SR-SPOF-VENDOR",
            Code::Embargo => "SR-EMBARGO",
            Code::Disruption => "SR-DISRUPTION",
            Code::Concentration => "SR-CONCENTRATION",
            Code::LowDiversity => "SR-LOW-DIVERSITY",
            Code::UnknownOrigin => "SR-UNKNOWN-ORIGIN",
            Code::SbomEmpty => "SR-SBOM-EMPTY",
            Code::SbomGaps => "SR-SBOM-GAPS",
            Code::ClosedExposed => "SR-CLOSED-EXPOSED",
        }
    }

    /// One line on what it means (the SARIF rule's short description).
    pub const fn summary(self) -> &'static str {
        match self {
            Code::VendorMeasure => "A component's vendor is named by a measure of the buyer's authorities that binds the buyer and covers the component",
            Code::OriginExposure => "Components originate in a foreign country with political, diplomatic or trade measures towards the buyer that bear on what they supply",
            Code::Channel => "Components come through a distribution channel operated in an exposed foreign country, without a domestic mirror",
            Code::SpofVendor => "One vendor's cut loses or degrades a large share of the product (single point of failure)",
            Code::Embargo => "One country's cut loses or degrades a large share of the product",
            Code::Disruption => "A physical disruption where hardware is made loses a large share of the product",
            Code::Concentration => "One vendor carries half the product or more",
            Code::LowDiversity => "The product's origin countries are not diverse",
            Code::UnknownOrigin => "A share of the product has no known origin",
            Code::SbomEmpty => "The SBOM lists no component but the product",
            Code::SbomGaps => "The SBOM misses required elements (NTIA, CISA, BSI TR-03183-2)",
            Code::ClosedExposed => "Proprietary components or hardware are exposed",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `SR-VENDOR-MEASURE`.
    pub id: &'static str,
    /// What the finding is about, when it is about one thing: the vendor, the country or the
    /// scenario (`broadcom`, `US`, `embargo:US`). `id` and `subject` identify a finding across
    /// versions of a product (`diff`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub factor: Factor,
    pub severity: Severity,
    pub title: String,
    /// bom-refs of the components behind it (at most `MAX_REFS`; `components_total` counts all).
    pub components: Vec<String>,
    pub components_total: usize,
    /// Weighted share of the product these components carry.
    pub share: f64,
    /// Data rows, measures and figures behind it.
    pub evidence: Vec<String>,
    pub mitigation: String,
}

/// At most this many refs per finding (a finding on 90k components lists the first ones).
pub const MAX_REFS: usize = 1000;

pub(super) struct Context<'c, 'a> {
    pub reg: &'c Registry,
    pub sbom: &'a Sbom,
    pub buyer: &'c str,
    pub profile: &'c ScoringProfile,
    pub total: Fixed,
    pub items: &'c [Item<'a>],
    pub cards: &'c FxHashMap<&'a str, PairCard>,
    pub vendor_hits: &'c FxHashMap<&'a str, Vec<VendorMeasureHit>>,
    pub vendor_w: &'c BTreeMap<&'a str, (Fixed, usize)>,
    pub worst: &'c [ScenarioResult<'a>],
    /// The origin unknown-origin components are assumed to come from in the central values.
    pub assumed: Option<&'c str>,
    pub buyer_class: super::BuyerClass,
    pub as_of: &'c str,
    pub countries: &'c [CountryShare],
    pub scores: &'c Scores,
    pub completeness: &'c [super::completeness::Completeness],
    pub x: &'c [f64],
    pub weights: &'c [f64],
    /// Interned vendor keys and country codes: `Item::vix` and `Item::cix` of each.
    pub vendor_index: &'c FxHashMap<&'a str, u32>,
    pub country_index: &'c FxHashMap<&'a str, u32>,
}

const F2: Factor = Factor {
    article: "10(2)",
    clause: "business continuity",
};
const F3_DIVERSITY: Factor = Factor {
    article: "10(3)",
    clause: "diversity of sources",
};
const F3_CHANNEL: Factor = Factor {
    article: "10(3)",
    clause: "supply channel reliability",
};
const F3_POLITICAL: Factor = Factor {
    article: "10(3)",
    clause: "political, diplomatic and trade factors",
};
const F3_OPENNESS: Factor = Factor {
    article: "10(3)",
    clause: "openness",
};
const F3_TRANSPARENCY: Factor = Factor {
    article: "10(3)",
    clause: "transparency",
};

const ART6: &str = "Contract the Article 6 commitment: the supplier undertakes not to interrupt supply or necessary technical support without justified reason.";

impl Context<'_, '_> {
    /// The items of vendor key `vendor` (compared by interned index, not by text).
    fn of_vendor<'s>(&'s self, vendor: &str) -> impl Iterator<Item = &'s Item<'s>> + 's {
        let vix = self
            .vendor_index
            .get(vendor)
            .copied()
            .unwrap_or(super::NONE);
        self.items
            .iter()
            .filter(move |i| vix != super::NONE && i.vix == vix)
    }

    /// The items whose origin country is `cc`.
    fn of_country<'s>(&'s self, cc: &str) -> impl Iterator<Item = &'s Item<'s>> + 's {
        let cix = self.country_index.get(cc).copied().unwrap_or(super::NONE);
        self.items
            .iter()
            .filter(move |i| cix != super::NONE && i.cix == cix)
    }

    fn refs<'i>(&self, items: impl Iterator<Item = &'i Item<'i>>) -> (Vec<String>, usize, f64)
    where
        Self: 'i,
    {
        let mut refs = Vec::new();
        let mut n = 0;
        let mut w: Fixed = 0;
        for it in items {
            n += 1;
            w += it.weight;
            if refs.len() < MAX_REFS {
                refs.push(self.sbom.components[it.id].bom_ref.clone());
            }
        }
        (refs, n, round4(ratio(w, self.total)))
    }
}

/// A score's formula inputs as `k=v, ...`.
fn inputs(score: &super::Score) -> String {
    score
        .inputs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn severity_of_exposure(x: f64) -> Severity {
    if x >= 0.5 {
        Severity::High
    } else if x >= 0.2 {
        Severity::Medium
    } else {
        Severity::Low
    }
}

/// Every finding, most severe first (ties: by code, then title).
pub(super) fn collect(cx: &Context<'_, '_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let p = cx.profile;

    // SR-VENDOR-MEASURE: a component from a vendor named by a measure of the buyer's
    // authorities (CAC review outcome, FCC Covered List, Entity List...).
    // A measure counts only for the components it weighs on: it binds the buyer's class, covers
    // their supply class and reaches them (never published source, unless it says so).
    let class = cx.buyer_class;
    for (vendor, hits) in cx.vendor_hits {
        if hits.is_empty() {
            continue;
        }
        let weighs =
            |it: &Item<'_>, h: &VendorMeasureHit| super::weighs_on(h, class, it.supply, it.open);
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
                        .all(|it| super::pair::supply::of_items(&m.items) & it.supply == 0)
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
                factor: F3_POLITICAL,
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
        let strongest = super::strongest_effect(p, applying.iter().copied());
        let severity = if strongest >= 1.0 {
            Severity::Critical
        } else if strongest >= 0.5 {
            Severity::High
        } else {
            Severity::Medium
        };
        out.push(Finding {
            id: Code::VendorMeasure.as_str(),
            subject: Some(vendor.to_string()),
            factor: F3_POLITICAL,
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

    // SR-ORIGIN-EXPOSURE: components from an origin country whose pair card is not empty.
    // The finding states the weighted exposure of the very components it names, and cites only
    // the card rows that bear on what they supply (docs/scoring.md, "Measure scope").
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
            factor: F3_POLITICAL,
            severity: severity_of_exposure(exposure),
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
                    super::pair::supply::label(classes),
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

    // SR-CHANNEL: components that come through a channel operated in an exposed foreign
    // jurisdiction, without a common domestic mirror.
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
        let (refs, n, share) = cx.refs(list.into_iter());
        out.push(Finding {
            id: Code::Channel.as_str(),
            subject: Some(cc.to_string()),
            factor: F3_CHANNEL,
            severity: severity_of_exposure(x * p.exposure.channel_weight),
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

    // SR-SPOF-VENDOR and SR-EMBARGO: scenarios that lose a large share of the product.
    for s in cx.worst {
        let vendor = s.name.starts_with("vendor:");
        let threshold = if vendor {
            p.reliance.spof_threshold
        } else {
            0.25
        };
        // The central impact: lost + degraded_weight x degraded, with unknown origin counted for
        // the country it is assumed to come from (docs/scoring.md, "Unknown origin").
        let assumed = cx
            .assumed
            .is_some_and(|a| s.name.strip_prefix("embargo:") == Some(a));
        let impact = if assumed {
            s.impact_if_unknown_here.unwrap_or(s.impact)
        } else {
            s.impact
        };
        if impact < threshold {
            continue;
        }
        let severity = if impact >= 0.5 {
            Severity::High
        } else {
            Severity::Medium
        };
        let physical = s.name.starts_with("disruption:");
        let (id, what, mitigation) = if vendor {
            (
                Code::SpofVendor.as_str(),
                "vendor",
                format!("Qualify a second source for this vendor's components, or secure source-code escrow and long-term support. {ART6}"),
            )
        } else if physical {
            (
                Code::Disruption.as_str(),
                "physical (production-site)",
                format!("Qualify parts made elsewhere (another fab or assembly site, or a second vendor), and hold a stock of the parts made only there. {ART6}"),
            )
        } else {
            (
                Code::Embargo.as_str(),
                "country",
                format!("Reduce dependence on this jurisdiction: second sources elsewhere, domestic mirrors for its channels, stock of firmware and spare parts. {ART6}"),
            )
        };
        out.push(Finding {
            id,
            subject: Some(s.name.clone()),
            factor: F2,
            severity,
            title: format!(
                "Scenario {}: a single {what} cut loses {:.1}% of the product and degrades {:.1}% by weight (impact {:.1}%{})",
                s.name,
                s.product_share_lost * 100.0,
                s.product_share_degraded * 100.0,
                impact * 100.0,
                if assumed {
                    format!(
                        ", counting the {} component(s) of unknown origin as from here",
                        s.unknown_components.len()
                    )
                } else {
                    String::new()
                }
            ),
            components: s
                .affected_components
                .iter()
                .chain(&s.degraded_components)
                .chain(if assumed { &s.unknown_components[..] } else { &[] })
                .take(MAX_REFS)
                .map(|r| r.to_string())
                .collect(),
            components_total: s.affected_components.len()
                + s.degraded_components.len()
                + if assumed { s.unknown_components.len() } else { 0 },
            share: impact,
            evidence: {
                let mut ev = vec![format!(
                    "{} component(s) removed and {} affected (removed plus those the product reaches only through them): supply lost; {} published-source component(s) degraded (code kept, upstream maintenance at risk), weighed {} of a loss (continuity.degraded_weight)",
                    s.removed_components.len(),
                    s.affected_components.len(),
                    s.degraded_components.len(),
                    cx.profile.continuity.degraded_weight
                )];
                if assumed {
                    ev.push(format!(
                        "{} component(s) of unknown origin counted with this country, the product's most exposed origin (unknown is never taken as safer than what is known)",
                        s.unknown_components.len()
                    ));
                }
                ev
            },
            mitigation,
        });
    }

    // SR-CONCENTRATION: one vendor carries half the product or more.
    if let Some((vendor, (w, n))) = cx
        .vendor_w
        .iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.0.cmp(a.0)))
    {
        let share = ratio(*w, cx.total);
        if share >= 0.5 {
            let (refs, n2, _) = cx.refs(cx.of_vendor(vendor));
            out.push(Finding {
                id: Code::Concentration.as_str(),
                subject: Some(vendor.to_string()),
                factor: F3_DIVERSITY,
                severity: Severity::Medium,
                title: format!("{vendor} supplies {:.1}% of the product by weight ({n} components)", share * 100.0),
                components: refs,
                components_total: n2,
                share: round4(share),
                evidence: vec![format!("reliance inputs: {}", inputs(&cx.scores.single_vendor_reliance))],
                mitigation: format!("Qualify alternative suppliers for the heaviest components of this vendor. {ART6}"),
            });
        }
    }

    // SR-LOW-DIVERSITY: few origin countries.
    let d = cx.scores.origin_diversity.value;
    if d < 20.0 && !cx.items.is_empty() {
        out.push(Finding {
            id: Code::LowDiversity.as_str(),
            subject: None,
            factor: F3_DIVERSITY,
            severity: if d < 10.0 { Severity::Medium } else { Severity::Low },
            title: format!("Origin diversity is {d:.1}/100: the product's supply comes from few countries"),
            components: Vec::new(),
            components_total: 0,
            share: 1.0,
            evidence: vec![format!("inputs: {}", inputs(&cx.scores.origin_diversity))],
            mitigation: "Where the origin is known and concentrated, qualify sources in other jurisdictions for the heaviest components; where it is unknown, ask the supplier for SBOM supplier data (see SR-UNKNOWN-ORIGIN).".into(),
        });
    }

    // SR-UNKNOWN-ORIGIN: components whose country is unknown.
    let (refs, n, share) = cx.refs(cx.items.iter().filter(|i| i.country.is_none()));
    if n > 0 && share >= 0.1 {
        out.push(Finding {
            id: Code::UnknownOrigin.as_str(),
            subject: None,
            factor: F3_TRANSPARENCY,
            severity: if share >= 0.5 { Severity::High } else if share >= 0.2 { Severity::Medium } else { Severity::Low },
            title: format!("{n} component(s), {:.1}% of the product by weight, have no known origin country", share * 100.0),
            components: refs,
            components_total: n,
            share,
            evidence: {
                let unknown_x = cx
                    .countries
                    .iter()
                    .find(|c| c.country.is_none())
                    .map_or(p.exposure.unknown_country, |c| c.exposure);
                let mut ev = vec![format!(
                    "taken as from {}: exposure {unknown_x:.2} (the product's most exposed known foreign origin, at least exposure.unknown_country = {}), and cut with that origin's embargo (docs/scoring.md, \"Unknown origin\")",
                    cx.assumed.unwrap_or("the most exposed origin in the data"),
                    p.exposure.unknown_country
                )];
                for (name, s) in [
                    ("political_exposure", &cx.scores.political_exposure),
                    ("continuity", &cx.scores.continuity),
                    ("origin_diversity", &cx.scores.origin_diversity),
                ] {
                    if let Some(b) = s.bounds {
                        ev.push(format!(
                            "{name} {:.1}: {:.1} if this origin were domestic, {:.1} if it were the most exposed in the data",
                            s.value, b.best, b.worst
                        ));
                    }
                }
                ev
            },
            mitigation: "Ask the supplier for an SBOM with supplier names and addresses (NTIA minimum elements); record what you know in an overrides file (--overrides).".into(),
        });
    }

    // SR-SBOM-EMPTY: nothing but the product itself.
    if cx.items.is_empty() {
        out.push(Finding {
            id: Code::SbomEmpty.as_str(),
            subject: None,
            factor: F3_TRANSPARENCY,
            severity: Severity::High,
            title: "The SBOM lists no component besides the product itself: its supply cannot be assessed".into(),
            components: Vec::new(),
            components_total: 0,
            share: 1.0,
            evidence: vec![format!(
                "{} component(s) in the document, all of them roots (the product)",
                cx.sbom.components.len()
            )],
            mitigation: "Require a complete SBOM (every component with supplier, version and identifiers, and the dependency relationships) before purchase: the Article 5 pre-purchase analysis needs one. The scores of this report describe an empty product and are not an assessment.".into(),
        });
    }

    // SR-SBOM-GAPS: the SBOM misses minimum elements.
    if let Some(c) = cx
        .completeness
        .iter()
        .find(|c| c.profile == p.transparency.completeness_profile)
    {
        if c.score < 0.7 {
            out.push(Finding {
                id: Code::SbomGaps.as_str(),
                subject: None,
                factor: F3_TRANSPARENCY,
                severity: if c.score < 0.4 { Severity::Medium } else { Severity::Low },
                title: format!("The SBOM meets {:.0}% of the {} minimum elements", c.score * 100.0, c.profile),
                components: Vec::new(),
                components_total: 0,
                share: 1.0,
                evidence: vec![format!("completeness profile {} ({})", c.profile, c.title)],
                mitigation: "Require an SBOM that meets the minimum elements (supplier, version, unique identifiers, hashes, licences, relationships) as a procurement condition.".into(),
            });
        }
    }

    // SR-CLOSED-EXPOSED: proprietary components (a declared licence that is not open source)
    // and hardware from exposed origins. No licence declared is not "closed": those are counted apart.
    let exposed = |i: &&Item| cx.x[i.id] >= 0.5 && cx.weights[i.id] > 0.0;
    let exposed_closed: Vec<&Item> = cx
        .items
        .iter()
        .filter(|i| {
            matches!(
                i.kind,
                super::SupplyKind::Proprietary | super::SupplyKind::Hardware
            )
        })
        .filter(exposed)
        .collect();
    let exposed_undeclared = cx
        .items
        .iter()
        .filter(|i| i.kind == super::SupplyKind::Undeclared)
        .filter(exposed)
        .count();
    let (refs, n, share) = cx.refs(exposed_closed.iter().copied());
    if n > 0 {
        // The heaviest of them, each with what makes it exposed: the first five in order of
        // exposed weight (then component order), picked without sorting them all.
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
                "{exposed_undeclared} more component(s) with exposure of 0.5 or more declare no licence: not counted as closed, but lost in the scenarios"
            ));
        }
        out.push(Finding {
            id: Code::ClosedExposed.as_str(),
            subject: None,
            factor: F3_OPENNESS,
            severity: Severity::Medium,
            title: format!("{n} component(s) without an open-source licence have exposure of 0.5 or more"),
            components: refs,
            components_total: n,
            share,
            evidence,
            mitigation: "Negotiate source-code escrow or a licence that allows maintenance by a third party; prefer open-source equivalents.".into(),
        });
    }

    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.id.cmp(b.id))
            .then_with(|| b.share.total_cmp(&a.share))
            .then_with(|| a.title.cmp(&b.title))
    });
    out
}
