//! `origin_diversity` (docs/scoring.md, "origin_diversity"): how evenly the product's supply is
//! spread over origin countries. Its profile slice is `[diversity]` (the curve is fixed; only
//! the finding's thresholds are policy); its finding is SR-LOW-DIVERSITY.

use super::findings::{codes, inputs, Context, Finding, Ladder, F3_DIVERSITY};
use super::{effective_number, ratio, round1, round4, Bounds, Fixed, Score, Shares};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[diversity]`: no weight (the diversity curve is fixed, so scores compare across profiles),
/// only the finding's thresholds.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub findings: FindingsConfig,
}

/// `[diversity.findings]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FindingsConfig {
    /// SR-LOW-DIVERSITY, on origin_diversity (0-100): a level applies below its threshold.
    pub low_diversity: Ladder,
}

impl Config {
    pub(super) fn validate(&self, out: &mut Vec<String>) {
        self.findings.low_diversity.validate(
            "diversity.findings.low_diversity",
            (0.0, 100.0),
            false,
            out,
        );
    }
}

codes! {
    /// The findings of origin diversity.
    pub enum Code {
        LowDiversity => ("SR-LOW-DIVERSITY", "low_diversity", F3_DIVERSITY, "The product's origin countries are not diverse"),
    }
}

/// `origin_diversity` and its bounds: unknown origin as domestic (it joins the buyer's bucket)
/// and as the largest known origin (it joins that bucket: the least diverse it can be).
pub(super) fn score(buyer: &str, total: Fixed, shares: &Shares<'_>) -> Score {
    let unknown_w = shares.unknown_w;
    let known_w = total - unknown_w;
    let known: Vec<(&str, Fixed)> = shares
        .country_w
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
    let bounds = {
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
    Score {
        value: round1(diversity),
        direction: "100 = supply spread evenly over many origin countries; 0 = one country, or origin unknown",
        formula: "100 x known_share x (1 - 1/N_eff), N_eff = exp(-sum s_i ln s_i) over known origin countries",
        inputs: BTreeMap::from([
            ("known_share", round4(known_share).into()),
            ("effective_countries", round4(n_eff).into()),
            ("countries", known.len().into()),
        ]),
        bounds: (unknown_w > 0).then_some(bounds),
    }
}

/// SR-LOW-DIVERSITY: few origin countries.
pub(super) fn findings(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let d = cx.scores.origin_diversity.value;
    if cx.items.is_empty() {
        return;
    }
    let Some(severity) = cx.profile.diversity.findings.low_diversity.below(d) else {
        return;
    };
    out.push(Finding {
        id: Code::LowDiversity.as_str(),
        subject: None,
        factor: Code::LowDiversity.factor(),
        severity,
        title: format!("Origin diversity is {d:.1}/100: the product's supply comes from few countries"),
        components: Vec::new(),
        components_total: 0,
        share: 1.0,
        evidence: vec![format!("inputs: {}", inputs(&cx.scores.origin_diversity))],
        mitigation: "Where the origin is known and concentrated, qualify sources in other jurisdictions for the heaviest components; where it is unknown, ask the supplier for SBOM supplier data (see SR-UNKNOWN-ORIGIN).".into(),
    });
}
