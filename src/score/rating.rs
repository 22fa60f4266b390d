//! The rating (docs/scoring.md, "Rating"): the risk index folded from the five scores, its
//! band, and what set the rating (the band, or the finding that lifted it).

use super::profile::{sum_to_one, unit};
use super::{round1, Finding, Rating, Scores, Severity};
use serde::{Deserialize, Serialize};

/// `[rating]`: the weight of each score in the risk index, and the index's bands.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub political_exposure: f64,
    pub single_vendor_reliance: f64,
    pub origin_diversity: f64,
    pub continuity: f64,
    pub transparency: f64,
    pub low: f64,
    pub medium: f64,
    pub high: f64,
}

impl Config {
    pub(super) fn validate(&self, out: &mut Vec<String>) {
        let weights = [
            ("political_exposure", self.political_exposure),
            ("single_vendor_reliance", self.single_vendor_reliance),
            ("origin_diversity", self.origin_diversity),
            ("continuity", self.continuity),
            ("transparency", self.transparency),
        ];
        for (k, v) in weights {
            unit(out, &format!("rating.{k}"), v);
        }
        sum_to_one(
            out,
            "the rating weights",
            weights.iter().map(|(_, v)| v).sum(),
        );
        if !(0.0 <= self.low
            && self.low <= self.medium
            && self.medium <= self.high
            && self.high <= 100.0)
        {
            out.push("rating thresholds must satisfy 0 <= low <= medium <= high <= 100".into());
        }
    }
}

/// The risk index, the rating and the reason for it. `empty`: the SBOM lists no component but
/// the product (SR-SBOM-EMPTY), which rates at least high.
pub(super) fn rate(
    g: &Config,
    scores: &Scores,
    findings: &[Finding],
    empty: bool,
) -> (f64, Rating, String) {
    let risk_index = round1(
        g.political_exposure * scores.political_exposure.value
            + g.single_vendor_reliance * scores.single_vendor_reliance.value
            + g.origin_diversity * (100.0 - scores.origin_diversity.value)
            + g.continuity * (100.0 - scores.continuity.value)
            + g.transparency * (100.0 - scores.transparency.value),
    );
    let (band, range) = if risk_index < g.low {
        (Rating::Low, format!("below {}", g.low))
    } else if risk_index < g.medium {
        (Rating::Medium, format!("{} to {}", g.low, g.medium))
    } else if risk_index < g.high {
        (Rating::High, format!("{} to {}", g.medium, g.high))
    } else {
        (Rating::Critical, format!("{} or more", g.high))
    };
    let mut rating = band;
    let mut rating_reason = format!(
        "risk index {risk_index:.1} in the {} band ({range})",
        band.as_str()
    );
    // A critical finding makes the rating critical; the reason names it.
    let critical: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .collect();
    if let Some(f) = critical.first() {
        if band < Rating::Critical {
            rating_reason = format!(
                "critical finding {}{}{}; the risk index alone ({risk_index:.1}) is {}",
                f.id,
                f.subject
                    .as_deref()
                    .map_or(String::new(), |s| format!(" ({s})")),
                if critical.len() > 1 {
                    format!(" and {} more", critical.len() - 1)
                } else {
                    String::new()
                },
                band.as_str()
            );
        } else {
            rating_reason.push_str(&format!(
                ", and critical finding {}{}",
                f.id,
                f.subject
                    .as_deref()
                    .map_or(String::new(), |s| format!(" ({s})"))
            ));
        }
        rating = Rating::Critical;
    }
    // An SBOM with no component but the product is no evidence of low risk (SR-SBOM-EMPTY).
    if empty && rating < Rating::High {
        rating = Rating::High;
        rating_reason = format!(
            "at least high: the SBOM lists no component but the product (SR-SBOM-EMPTY); the risk index alone ({risk_index:.1}) is {}",
            band.as_str()
        );
    }
    (risk_index, rating, rating_reason)
}
