//! `continuity` (docs/scoring.md, "continuity"): how much of the product one cut loses, over
//! the worst country embargoes, production-site disruptions and vendor cuts, and any scenario
//! the user asks for. The cuts themselves are evaluated in `scenario.rs` on the graph of
//! `graph.rs`. Its profile slice is `[continuity]`; its findings are SR-EMBARGO and
//! SR-DISRUPTION (vendor cuts raise reliance's SR-SPOF-VENDOR).

use super::criticality::Supply;
use super::exposure::Cards;
use super::findings::{codes, Context, Factor, Finding, Ladder, Severity, ART6, F2, MAX_REFS};
use super::profile::{unit, ScoringProfile};
use super::{
    pair, round1, round4, scenario, Bounds, Fixed, ScenarioResult, ScenarioSpec, Score, Shares,
    SupplyKind, NONE,
};
use crate::data::Registry;
use crate::model::Sbom;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[continuity]`: which scenarios are weighed, and what a degraded supply counts.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub include_channels: bool,
    pub top_vendors: usize,
    pub top_countries: usize,
    /// How much of a loss a degraded supply counts: published open source whose code stays
    /// when its origin is cut, but whose upstream fixes and infrastructure do not.
    pub degraded_weight: f64,
    pub findings: FindingsConfig,
}

/// `[continuity.findings]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FindingsConfig {
    /// SR-EMBARGO, on a country scenario's central impact.
    pub embargo: Ladder,
    /// SR-DISRUPTION, on a production-site scenario's impact.
    pub disruption: Ladder,
}

impl Config {
    pub(super) fn validate(&self, out: &mut Vec<String>) {
        unit(out, "continuity.degraded_weight", self.degraded_weight);
        self.findings
            .embargo
            .validate("continuity.findings.embargo", (0.0, 1.0), true, out);
        self.findings
            .disruption
            .validate("continuity.findings.disruption", (0.0, 1.0), true, out);
    }
}

codes! {
    /// The findings of continuity.
    pub enum Code {
        Embargo => ("SR-EMBARGO", "embargo", F2, "One country's cut loses or degrades a large share of the product"),
        Disruption => ("SR-DISRUPTION", "disruption", F2, "A physical disruption where hardware is made loses a large share of the product"),
    }
}

/// What the scenarios found.
pub(super) struct Continuity<'a> {
    pub score: Score,
    /// The worst default scenarios, as many as the report lists, worst first.
    pub worst: Vec<ScenarioResult<'a>>,
    /// The user's scenarios, when any.
    pub requested: Option<Vec<ScenarioResult<'a>>>,
    /// The largest impact of a vendor scenario (an input of reliance).
    pub worst_vendor_loss: f64,
    /// The origin unknown-origin components are taken to come from.
    pub assumed: Option<String>,
}

/// Runs the default scenarios and the user's, and scores continuity.
#[allow(clippy::too_many_arguments)]
pub(super) fn run<'a>(
    reg: &Registry,
    sbom: &'a Sbom,
    p: &ScoringProfile,
    buyer: &str,
    as_of: &str,
    user: &[ScenarioSpec],
    supply: &Supply<'a>,
    shares: &Shares<'a>,
    cards: &Cards<'_>,
    n_nodes: usize,
) -> Continuity<'a> {
    let items = &supply.items;
    let unknown_w = shares.unknown_w;
    // The worst cases: foreign countries (origin or unmirrored channel) and top vendors.
    let mut foreign: Vec<Option<Fixed>> = vec![None; supply.country_ix.keys.len()];
    for it in items {
        let channel = if it.mirrored { NONE } else { it.chix };
        for cix in [it.cix, channel] {
            if let Some(slot) = foreign.get_mut(cix as usize) {
                *slot.get_or_insert(0) += it.weight;
            }
        }
    }
    let mut top_countries: Vec<(&str, Fixed)> = supply
        .country_ix
        .keys
        .iter()
        .zip(&foreign)
        .filter(|(cc, _)| **cc != buyer)
        .filter_map(|(cc, w)| Some((*cc, (*w)?)))
        .collect();
    top_countries.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    top_countries.truncate(p.continuity.top_countries);
    let mut top_vendors: Vec<(&str, Fixed)> =
        shares.vendor_w.iter().map(|(k, v)| (*k, v.0)).collect();
    top_vendors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    top_vendors.truncate(p.continuity.top_vendors);
    // Unknown origin in the central value (docs/scoring.md, "Unknown origin"): it is taken to
    // come from the product's most exposed known foreign origin, or, when none is known, from
    // the most exposed origin in the data for this buyer; its embargo then cuts it too.
    let assumed: Option<String> = if unknown_w > 0 {
        shares
            .known_foreign
            .iter()
            .map(|cc| (*cc, cards.pair_x(buyer, cc)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(cc, _)| cc.to_string())
            .or_else(|| {
                pair::most_exposed_origin(reg, buyer, as_of, pair::supply::ALL).map(|(cc, _)| cc)
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
    let production: Vec<Vec<String>> = shares
        .vendor_id_of
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
    let specs: Vec<&ScenarioSpec> = defaults.iter().chain(user).collect();
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
        &supply.csr,
        items,
        supply.total,
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
    let bounds = {
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
    let sequential = crate::par::small(items.len());
    let worst_results: Vec<ScenarioResult<'a>> = crate::par::map(
        sequential,
        &worst[..listed.min(worst.len())],
        |&(i, spec)| cuts.result(i, variant[i], spec, items, sbom),
    );
    // The user's scenarios; without any, the report lists the worst.
    let numbered: Vec<(usize, &ScenarioSpec)> = user.iter().enumerate().collect();
    let requested: Option<Vec<ScenarioResult<'a>>> = (!user.is_empty()).then(|| {
        crate::par::map(sequential, &numbered, |&(j, spec)| {
            let i = defaults.len() + j;
            cuts.result(i, variant[i], spec, items, sbom)
        })
    });
    let score = Score {
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
        bounds: (unknown_w > 0).then_some(bounds),
    };
    Continuity {
        score,
        worst: worst_results,
        requested,
        worst_vendor_loss,
        assumed,
    }
}

/// SR-EMBARGO and SR-DISRUPTION: country and production-site scenarios that lose a large share.
pub(super) fn findings(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let f = &cx.profile.continuity.findings;
    for s in cx.worst {
        let physical = s.name.starts_with("disruption:");
        if !physical && !s.name.starts_with("embargo:") {
            continue;
        }
        // The central impact, with unknown origin counted for the country it is assumed to come
        // from (docs/scoring.md, "Unknown origin").
        let assumed = cx
            .assumed
            .is_some_and(|a| s.name.strip_prefix("embargo:") == Some(a));
        let impact = if assumed {
            s.impact_if_unknown_here.unwrap_or(s.impact)
        } else {
            s.impact
        };
        let ladder = if physical { &f.disruption } else { &f.embargo };
        let Some(severity) = ladder.at_least(impact) else {
            continue;
        };
        out.push(if physical {
            scenario_finding(
                cx,
                s,
                Code::Disruption.as_str(),
                Code::Disruption.factor(),
                severity,
                "physical (production-site)",
                format!("Qualify parts made elsewhere (another fab or assembly site, or a second vendor), and hold a stock of the parts made only there. {ART6}"),
            )
        } else {
            scenario_finding(
                cx,
                s,
                Code::Embargo.as_str(),
                Code::Embargo.factor(),
                severity,
                "country",
                format!("Reduce dependence on this jurisdiction: second sources elsewhere, domestic mirrors for its channels, stock of firmware and spare parts. {ART6}"),
            )
        });
    }
}

/// The finding of one scenario that loses a large share (a country, site or vendor cut).
pub(super) fn scenario_finding(
    cx: &Context<'_, '_>,
    s: &ScenarioResult<'_>,
    id: &'static str,
    factor: Factor,
    severity: Severity,
    what: &str,
    mitigation: String,
) -> Finding {
    let assumed = cx
        .assumed
        .is_some_and(|a| s.name.strip_prefix("embargo:") == Some(a));
    let impact = if assumed {
        s.impact_if_unknown_here.unwrap_or(s.impact)
    } else {
        s.impact
    };
    Finding {
        id,
        subject: Some(s.name.clone()),
        factor,
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
    }
}
