//! The rating (docs/scoring.md, "Rating"): the risk index folded from the five scores, its
//! band, and what set the rating (the band, or the finding that lifted it).

use super::{round1, Finding, Rating, Scores, Severity};
use crate::data::scoring::Rating as Profile;

/// The risk index, the rating and the reason for it. `empty`: the SBOM lists no component but
/// the product (SR-SBOM-EMPTY), which rates at least high.
pub(super) fn rate(
    g: &Profile,
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
