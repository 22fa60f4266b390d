//! `data/weights/scoring.toml`: the scoring profile (policy weights, not facts). The formulas
//! that use each number are in docs/scoring.md; `analyze --weights FILE` replaces the profile.

use crate::model::ComponentKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringProfile {
    pub profile: String,
    pub criticality: Criticality,
    #[serde(default)]
    pub diversity: Diversity,
    pub reliance: Reliance,
    pub exposure: Exposure,
    pub continuity: Continuity,
    pub transparency: Transparency,
    pub rating: Rating,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Criticality {
    pub dominated_weight: f64,
    pub cryptography: f64,
    pub cryptography_names: Vec<String>,
    /// Factor per component kind (kebab-case name); every kind must be present.
    pub kind: BTreeMap<String, f64>,
}

/// No parameters: the diversity curve is fixed (docs/scoring.md).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Diversity {}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reliance {
    pub hhi: f64,
    pub top_share: f64,
    pub spof: f64,
    pub spof_threshold: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exposure {
    pub unknown_country: f64,
    pub open_source_mitigation: f64,
    pub channel_weight: f64,
    pub mirror_mitigation: f64,
    pub open_source_licences: Vec<String>,
    /// Exposure floor per vendor-measure effect.
    pub vendor_effects: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Continuity {
    pub include_channels: bool,
    pub top_vendors: usize,
    pub top_countries: usize,
    /// How much of a loss a degraded supply counts: published open source whose code stays
    /// when its origin is cut, but whose upstream fixes and infrastructure do not.
    pub degraded_weight: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Transparency {
    pub completeness_profile: String,
    pub completeness: f64,
    pub attribution: f64,
    pub open_source: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    pub political_exposure: f64,
    pub single_vendor_reliance: f64,
    pub origin_diversity: f64,
    pub continuity: f64,
    pub transparency: f64,
    pub low: f64,
    pub medium: f64,
    pub high: f64,
}

/// The completeness profiles `transparency.completeness_profile` may name.
pub const COMPLETENESS_PROFILES: &[&str] = &["ntia-2021", "cisa-2025", "bsi-tr-03183-2"];

impl ScoringProfile {
    /// Parses a profile file and checks it; errors name the file and the key.
    pub fn parse(path: &str, text: &str) -> Result<ScoringProfile, String> {
        ScoringProfile::from_toml(text).map_err(|e| format!("{path}: {e}"))
    }

    /// Parses and checks a profile; errors name the key.
    pub fn from_toml(text: &str) -> Result<ScoringProfile, String> {
        let p: ScoringProfile =
            toml::from_str(text).map_err(|e| e.to_string().trim().replace('\n', " "))?;
        let problems = p.validate();
        if problems.is_empty() {
            Ok(p)
        } else {
            Err(problems.join("; "))
        }
    }

    /// Every problem: a weight out of range, a missing kind, weights that do not sum to 1.
    pub fn validate(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut unit = |what: &str, v: f64| {
            if !(0.0..=1.0).contains(&v) || v.is_nan() {
                out.push(format!("{what} = {v} is not in [0, 1]"));
            }
        };
        let r = &self.reliance;
        unit("reliance.hhi", r.hhi);
        unit("reliance.top_share", r.top_share);
        unit("reliance.spof", r.spof);
        unit("reliance.spof_threshold", r.spof_threshold);
        let e = &self.exposure;
        unit("exposure.unknown_country", e.unknown_country);
        unit("exposure.open_source_mitigation", e.open_source_mitigation);
        unit("exposure.channel_weight", e.channel_weight);
        unit("exposure.mirror_mitigation", e.mirror_mitigation);
        unit(
            "continuity.degraded_weight",
            self.continuity.degraded_weight,
        );
        for (k, v) in &e.vendor_effects {
            unit(&format!("exposure.vendor_effects.{k}"), *v);
        }
        let t = &self.transparency;
        unit("transparency.completeness", t.completeness);
        unit("transparency.attribution", t.attribution);
        unit("transparency.open_source", t.open_source);
        let g = &self.rating;
        for (k, v) in [
            ("political_exposure", g.political_exposure),
            ("single_vendor_reliance", g.single_vendor_reliance),
            ("origin_diversity", g.origin_diversity),
            ("continuity", g.continuity),
            ("transparency", g.transparency),
        ] {
            unit(&format!("rating.{k}"), v);
        }
        for (what, sum) in [
            (
                "reliance.hhi + top_share + spof",
                r.hhi + r.top_share + r.spof,
            ),
            (
                "transparency.completeness + attribution + open_source",
                t.completeness + t.attribution + t.open_source,
            ),
            (
                "the rating weights",
                g.political_exposure
                    + g.single_vendor_reliance
                    + g.origin_diversity
                    + g.continuity
                    + g.transparency,
            ),
        ] {
            if (sum - 1.0).abs() > 1e-6 {
                out.push(format!("{what} sum to {sum}, not 1"));
            }
        }
        if !(0.0 <= g.low && g.low <= g.medium && g.medium <= g.high && g.high <= 100.0) {
            out.push("rating thresholds must satisfy 0 <= low <= medium <= high <= 100".into());
        }
        let c = &self.criticality;
        for kind in ComponentKind::ALL {
            match c.kind.get(kind.as_str()) {
                Some(v) if *v >= 0.0 && v.is_finite() => {}
                Some(v) => out.push(format!(
                    "criticality.kind.{} = {v} is negative",
                    kind.as_str()
                )),
                None => out.push(format!("criticality.kind has no '{}'", kind.as_str())),
            }
        }
        for k in c.kind.keys() {
            if !ComponentKind::ALL.iter().any(|x| x.as_str() == k) {
                out.push(format!("criticality.kind.{k}: unknown component kind"));
            }
        }
        if c.dominated_weight < 0.0 || c.cryptography < 0.0 {
            out.push("criticality weights must not be negative".into());
        }
        for k in e.vendor_effects.keys() {
            if !crate::data::jurisdictions::VENDOR_EFFECTS.contains(&k.as_str()) {
                out.push(format!("exposure.vendor_effects.{k}: unknown effect"));
            }
        }
        for effect in crate::data::jurisdictions::VENDOR_EFFECTS {
            if !e.vendor_effects.contains_key(*effect) {
                out.push(format!("exposure.vendor_effects has no '{effect}'"));
            }
        }
        if !COMPLETENESS_PROFILES.contains(&t.completeness_profile.as_str()) {
            out.push(format!(
                "transparency.completeness_profile '{}' is not one of {}",
                t.completeness_profile,
                COMPLETENESS_PROFILES.join(", ")
            ));
        }
        out
    }

    /// A short digest of the profile's content, recorded in reports.
    pub fn digest(&self) -> String {
        let text = toml::to_string(self).unwrap_or_default();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../data/weights/scoring.toml");

    #[test]
    fn shipped_profile_is_valid() {
        let p = ScoringProfile::parse("data/weights/scoring.toml", SHIPPED).unwrap();
        assert_eq!(p.profile, "default");
        assert_eq!(p.digest(), p.clone().digest());
    }

    #[test]
    fn bad_profiles_name_the_key() {
        let e = ScoringProfile::parse("w.toml", &SHIPPED.replace("hhi = 0.4", "hhi = 0.5"))
            .unwrap_err();
        assert!(e.contains("reliance.hhi + top_share + spof sum to"), "{e}");
        let e =
            ScoringProfile::parse("w.toml", &SHIPPED.replace("firmware = 3.0\n", "")).unwrap_err();
        assert!(e.contains("criticality.kind has no 'firmware'"), "{e}");
        let e = ScoringProfile::parse(
            "w.toml",
            &SHIPPED.replace("[diversity]", "[diversity]\nx = 1"),
        )
        .unwrap_err();
        assert!(e.starts_with("w.toml: ") && e.contains('x'), "{e}");
        let e = ScoringProfile::parse(
            "w.toml",
            &SHIPPED.replace("unknown_country = 0.3", "unknown_country = 1.3"),
        )
        .unwrap_err();
        assert!(e.contains("exposure.unknown_country = 1.3"), "{e}");
    }
}
