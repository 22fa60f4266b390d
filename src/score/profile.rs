//! The scoring profile (`data/weights/scoring.toml`): policy weights and severity thresholds,
//! not facts. Each section is the slice of one score and lives in that score's module
//! (`criticality::Config`, `exposure::Config`...); this file composes them, parses the file and
//! checks it. The formulas that use each number are in docs/scoring.md; `analyze --weights
//! FILE` replaces the profile.

use super::ScoreError;
use super::{continuity, criticality, diversity, exposure, rating, reliance, transparency};
use crate::data::Registry;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringProfile {
    pub profile: String,
    pub criticality: criticality::Config,
    pub diversity: diversity::Config,
    pub reliance: reliance::Config,
    pub exposure: exposure::Config,
    pub continuity: continuity::Config,
    pub transparency: transparency::Config,
    pub rating: rating::Config,
}

/// A weight that must lie in [0, 1].
pub(super) fn unit(out: &mut Vec<String>, what: &str, v: f64) {
    if !(0.0..=1.0).contains(&v) || v.is_nan() {
        out.push(format!("{what} = {v} is not in [0, 1]"));
    }
}

/// Weights that must sum to 1.
pub(super) fn sum_to_one(out: &mut Vec<String>, what: &str, sum: f64) {
    if (sum - 1.0).abs() > 1e-6 {
        out.push(format!("{what} sum to {sum}, not 1"));
    }
}

impl ScoringProfile {
    /// Parses a profile file and checks it; errors name the file and the key.
    pub fn parse(path: &str, text: &str) -> Result<ScoringProfile, ScoreError> {
        let err = |message: String| ScoreError::Profile {
            file: path.to_string(),
            message,
        };
        let p: ScoringProfile =
            toml::from_str(text).map_err(|e| err(e.to_string().trim().replace('\n', " ")))?;
        let problems = p.validate();
        if problems.is_empty() {
            Ok(p)
        } else {
            Err(err(problems.join("; ")))
        }
    }

    /// Parses and checks a profile's text (errors say "scoring profile").
    pub fn from_toml(text: &str) -> Result<ScoringProfile, ScoreError> {
        ScoringProfile::parse("scoring profile", text)
    }

    /// The profile of the data in use (`weights/scoring.toml` of the embedded data or of
    /// `--data-dir`), checked.
    pub fn of_registry(reg: &Registry) -> Result<ScoringProfile, ScoreError> {
        let text = reg.scoring.as_deref().ok_or_else(|| ScoreError::Profile {
            file: "data/weights/scoring.toml".into(),
            message: "missing from the data; pass --weights FILE".into(),
        })?;
        // The embedded profile's JSON form (build.rs) reads several times faster than TOML.
        if let Some(json) = crate::data::compiled_for("weights/scoring.toml", text) {
            if let Ok(p) = serde_json::from_str::<ScoringProfile>(json) {
                if p.validate().is_empty() {
                    return Ok(p);
                }
            }
        }
        ScoringProfile::parse("data/weights/scoring.toml", text)
    }

    /// Every problem: a weight out of range, a missing kind, weights that do not sum to 1,
    /// severity thresholds out of order. Each score's section checks itself.
    pub fn validate(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.criticality.validate(&mut out);
        self.diversity.validate(&mut out);
        self.reliance.validate(&mut out);
        self.exposure.validate(&mut out);
        self.continuity.validate(&mut out);
        self.transparency.validate(&mut out);
        self.rating.validate(&mut out);
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
    fn the_compiled_profile_is_the_toml_profile() {
        // of_registry reads the JSON build.rs compiled when the text is the embedded file's.
        let reg = crate::data::Registry::embedded().unwrap();
        assert_eq!(reg.scoring.as_deref(), Some(SHIPPED));
        assert!(crate::data::compiled_for("weights/scoring.toml", SHIPPED).is_some());
        let toml = ScoringProfile::parse("data/weights/scoring.toml", SHIPPED).unwrap();
        assert_eq!(ScoringProfile::of_registry(&reg).unwrap(), toml);
        // Other text (a user's --weights, an edited copy) is read as TOML.
        assert!(crate::data::compiled_for("weights/scoring.toml", "x = 1").is_none());
    }

    #[test]
    fn shipped_profile_is_valid() {
        let p = ScoringProfile::parse("data/weights/scoring.toml", SHIPPED).unwrap();
        assert_eq!(p.profile, "default");
        assert_eq!(p.digest(), p.clone().digest());
        let reg = Registry::embedded().unwrap();
        assert_eq!(ScoringProfile::of_registry(&reg).unwrap(), p);
    }

    #[test]
    fn bad_profiles_name_the_key() {
        let e = ScoringProfile::parse("w.toml", &SHIPPED.replace("hhi = 0.4", "hhi = 0.5"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("reliance.hhi + top_share + spof sum to"), "{e}");
        let e = ScoringProfile::parse("w.toml", &SHIPPED.replace("firmware = 3.0\n", ""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("criticality.kind has no 'firmware'"), "{e}");
        let e = ScoringProfile::parse(
            "w.toml",
            &SHIPPED.replace("[diversity]", "[diversity]\nx = 1"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("w.toml: ") && e.contains('x'), "{e}");
        let e = ScoringProfile::parse(
            "w.toml",
            &SHIPPED.replace("unknown_country = 0.3", "unknown_country = 1.3"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("exposure.unknown_country = 1.3"), "{e}");
    }

    #[test]
    fn severity_thresholds_are_checked() {
        let e = ScoringProfile::parse(
            "w.toml",
            &SHIPPED.replace(
                "origin_exposure = { high = 0.5, medium = 0.2, low = 0.0 }",
                "origin_exposure = { high = 0.1, medium = 0.2, low = 0.0 }",
            ),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains(
                "exposure.findings.origin_exposure: high = 0.1 and medium = 0.2 are out of order"
            ),
            "{e}"
        );
        let e = ScoringProfile::parse(
            "w.toml",
            &SHIPPED.replace(
                "low_diversity = { medium = 10.0, low = 20.0 }",
                "low_diversity = { medium = 10.0, lo = 20.0 }",
            ),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("lo"), "{e}");
    }
}
