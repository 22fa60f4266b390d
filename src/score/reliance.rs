//! `single_vendor_reliance` (docs/scoring.md, "single_vendor_reliance"): how much of the
//! product rests on one vendor. Its profile slice is `[reliance]`; its findings are
//! SR-CONCENTRATION and SR-SPOF-VENDOR.

use super::findings::{codes, inputs, Context, Finding, Ladder, ART6, F2, F3_DIVERSITY};
use super::profile::{sum_to_one, unit, ScoringProfile};
use super::{ratio, round1, round4, Fixed, Score, Shares};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[reliance]`: the weights of the three terms, and the findings' thresholds.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub hhi: f64,
    pub top_share: f64,
    pub spof: f64,
    pub findings: FindingsConfig,
}

/// `[reliance.findings]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FindingsConfig {
    /// SR-CONCENTRATION, on the largest vendor's weighted share.
    pub concentration: Ladder,
    /// SR-SPOF-VENDOR, on a vendor scenario's impact (lost + degraded_weight x degraded).
    pub spof_vendor: Ladder,
}

impl Config {
    pub(super) fn validate(&self, out: &mut Vec<String>) {
        unit(out, "reliance.hhi", self.hhi);
        unit(out, "reliance.top_share", self.top_share);
        unit(out, "reliance.spof", self.spof);
        sum_to_one(
            out,
            "reliance.hhi + top_share + spof",
            self.hhi + self.top_share + self.spof,
        );
        let f = &self.findings;
        f.concentration
            .validate("reliance.findings.concentration", (0.0, 1.0), true, out);
        f.spof_vendor
            .validate("reliance.findings.spof_vendor", (0.0, 1.0), true, out);
    }
}

codes! {
    /// The findings of single-vendor reliance.
    pub enum Code {
        Concentration => ("SR-CONCENTRATION", "concentration", F3_DIVERSITY, "One vendor carries half the product or more"),
        SpofVendor => ("SR-SPOF-VENDOR", "spof_vendor", F2, "One vendor's cut loses or degrades a large share of the product (single point of failure)"),
    }
}

/// `single_vendor_reliance`; `worst_vendor_loss` is the largest vendor scenario's impact.
pub(super) fn score(
    p: &ScoringProfile,
    total: Fixed,
    shares: &Shares<'_>,
    worst_vendor_loss: f64,
) -> Score {
    let vendor_w = &shares.vendor_w;
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
    Score {
        value: round1(reliance),
        direction: "100 = the whole product from one vendor; 0 = many vendors, none critical",
        formula: "100 x (w_hhi x HHI + w_top x top_share + w_spof x worst vendor scenario loss)",
        inputs: BTreeMap::from([
            ("hhi", round4(hhi).into()),
            ("top_share", round4(top_share).into()),
            ("worst_vendor_loss", round4(worst_vendor_loss).into()),
            ("vendors", vendor_w.len().into()),
            (
                "unknown_vendor_share",
                round4(ratio(shares.unknown_vendor.0, total)).into(),
            ),
        ]),
        bounds: None,
    }
}

/// SR-SPOF-VENDOR (vendor scenarios that lose a large share) and SR-CONCENTRATION (one vendor
/// carries a large share).
pub(super) fn findings(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let f = &cx.profile.reliance.findings;
    for s in cx.worst.iter().filter(|s| s.name.starts_with("vendor:")) {
        let Some(severity) = f.spof_vendor.at_least(s.impact) else {
            continue;
        };
        out.push(super::continuity::scenario_finding(
            cx,
            s,
            Code::SpofVendor.as_str(),
            Code::SpofVendor.factor(),
            severity,
            "vendor",
            format!("Qualify a second source for this vendor's components, or secure source-code escrow and long-term support. {ART6}"),
        ));
    }
    if let Some((vendor, (w, n))) = cx
        .vendor_w
        .iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.0.cmp(a.0)))
    {
        let share = ratio(*w, cx.total);
        if let Some(severity) = f.concentration.at_least(share) {
            let (refs, n2, _) = cx.refs(cx.of_vendor(vendor));
            out.push(Finding {
                id: Code::Concentration.as_str(),
                subject: Some(vendor.to_string()),
                factor: Code::Concentration.factor(),
                severity,
                title: format!("{vendor} supplies {:.1}% of the product by weight ({n} components)", share * 100.0),
                components: refs,
                components_total: n2,
                share: round4(share),
                evidence: vec![format!("reliance inputs: {}", inputs(&cx.scores.single_vendor_reliance))],
                mitigation: format!("Qualify alternative suppliers for the heaviest components of this vendor. {ART6}"),
            });
        }
    }
}
