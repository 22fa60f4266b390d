//! `transparency` (docs/scoring.md, "transparency"): how much of the product the SBOM lets a
//! buyer see: the document's completeness against a set of minimum elements
//! (`completeness.rs`, catalogue in data/completeness.toml), the share of known origin, and
//! the share of open source. Its profile slice is `[transparency]`; its findings are
//! SR-UNKNOWN-ORIGIN, SR-SBOM-EMPTY and SR-SBOM-GAPS.

use super::completeness::{self, Completeness};
use super::findings::{codes, Context, Finding, Ladder, Severity, F3_TRANSPARENCY};
use super::profile::{sum_to_one, unit, ScoringProfile};
use super::{ratio, round1, round4, Fixed, Item, Score};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[transparency]`: the completeness profile, the weights of the three terms and the
/// findings' thresholds.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub completeness_profile: String,
    pub completeness: f64,
    pub attribution: f64,
    pub open_source: f64,
    pub findings: FindingsConfig,
}

/// `[transparency.findings]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FindingsConfig {
    /// SR-UNKNOWN-ORIGIN, on the weighted share of components with no known origin country.
    pub unknown_origin: Ladder,
    /// SR-SBOM-GAPS, on the completeness score (0-1) of `completeness_profile`: a level applies
    /// below its threshold.
    pub sbom_gaps: Ladder,
    /// SR-SBOM-EMPTY: the severity of an SBOM that lists no component but the product.
    pub sbom_empty: Severity,
}

impl Config {
    pub(super) fn validate(&self, out: &mut Vec<String>) {
        unit(out, "transparency.completeness", self.completeness);
        unit(out, "transparency.attribution", self.attribution);
        unit(out, "transparency.open_source", self.open_source);
        sum_to_one(
            out,
            "transparency.completeness + attribution + open_source",
            self.completeness + self.attribution + self.open_source,
        );
        if !completeness::profile_ids().any(|id| id == self.completeness_profile) {
            out.push(format!(
                "transparency.completeness_profile '{}' is not one of {}",
                self.completeness_profile,
                completeness::profile_ids().collect::<Vec<_>>().join(", ")
            ));
        }
        let f = &self.findings;
        f.unknown_origin.validate(
            "transparency.findings.unknown_origin",
            (0.0, 1.0),
            true,
            out,
        );
        f.sbom_gaps
            .validate("transparency.findings.sbom_gaps", (0.0, 1.0), false, out);
    }
}

codes! {
    /// The findings of transparency.
    pub enum Code {
        UnknownOrigin => ("SR-UNKNOWN-ORIGIN", "unknown_origin", F3_TRANSPARENCY, "A share of the product has no known origin"),
        SbomEmpty => ("SR-SBOM-EMPTY", "sbom_empty", F3_TRANSPARENCY, "The SBOM lists no component but the product"),
        SbomGaps => ("SR-SBOM-GAPS", "sbom_gaps", F3_TRANSPARENCY, "The SBOM misses required elements (NTIA, CISA, BSI TR-03183-2)"),
    }
}

/// `transparency`.
pub(super) fn score(
    p: &ScoringProfile,
    items: &[Item<'_>],
    total: Fixed,
    completeness: &[Completeness],
) -> Score {
    let t = &p.transparency;
    let compl = completeness
        .iter()
        .find(|c| c.profile == t.completeness_profile)
        .map_or(0.0, |c| c.score);
    let attributed: Fixed = items
        .iter()
        .filter(|i| i.country.is_some() && i.vendor_key.is_some())
        .map(|i| i.weight)
        .sum();
    let open_w: Fixed = items.iter().filter(|i| i.open).map(|i| i.weight).sum();
    let attributed_share = ratio(attributed, total);
    let open_share = ratio(open_w, total);
    let transparency = 100.0
        * (t.completeness * compl + t.attribution * attributed_share + t.open_source * open_share);
    Score {
        value: round1(transparency),
        direction: "100 = complete SBOM, every origin known, all open source; 0 = opaque",
        formula: "100 x (w_c x completeness + w_a x attributed_share + w_o x open_source_share)",
        inputs: BTreeMap::from([
            (
                "completeness_profile",
                t.completeness_profile.clone().into(),
            ),
            ("completeness", round4(compl).into()),
            ("attributed_share", round4(attributed_share).into()),
            ("open_source_share", round4(open_share).into()),
        ]),
        bounds: None,
    }
}

/// SR-UNKNOWN-ORIGIN, SR-SBOM-EMPTY and SR-SBOM-GAPS.
pub(super) fn findings(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let p = cx.profile;
    let f = &p.transparency.findings;
    // SR-UNKNOWN-ORIGIN: components whose country is unknown.
    let (refs, n, share) = cx.refs(cx.items.iter().filter(|i| i.country.is_none()));
    if let Some(severity) = f.unknown_origin.at_least(share).filter(|_| n > 0) {
        out.push(Finding {
            id: Code::UnknownOrigin.as_str(),
            subject: None,
            factor: Code::UnknownOrigin.factor(),
            severity,
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
            factor: Code::SbomEmpty.factor(),
            severity: f.sbom_empty,
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
        if let Some(severity) = f.sbom_gaps.below(c.score) {
            out.push(Finding {
                id: Code::SbomGaps.as_str(),
                subject: None,
                factor: Code::SbomGaps.factor(),
                severity,
                title: format!("The SBOM meets {:.0}% of the {} minimum elements", c.score * 100.0, c.profile),
                components: Vec::new(),
                components_total: 0,
                share: 1.0,
                evidence: vec![format!("completeness profile {} ({})", c.profile, c.title)],
                mitigation: "Require an SBOM that meets the minimum elements (supplier, version, unique identifiers, hashes, licences, relationships) as a procurement condition.".into(),
            });
        }
    }
}
