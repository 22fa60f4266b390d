//! The confidence weights of the rules, read from `data/attribution.toml`.

use crate::data::Registry;

/// Confidence per rule and the resolution thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub confidence: rustc_hash::FxHashMap<String, f64>,
    pub contest_threshold: f64,
    pub contested_factor: f64,
    pub min_country_confidence: f64,
    pub ignored_domains: rustc_hash::FxHashSet<String>,
}

impl Weights {
    /// The weights of the registry's `attribution.toml` (validation guarantees it is there).
    pub fn from_registry(reg: &Registry) -> Weights {
        match &reg.attribution {
            Some(w) => Weights {
                confidence: w.confidence.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                contest_threshold: w.contest_threshold,
                contested_factor: w.contested_factor,
                min_country_confidence: w.min_country_confidence,
                ignored_domains: w
                    .ignored_domains
                    .iter()
                    .map(|d| d.to_ascii_lowercase())
                    .collect(),
            },
            None => Weights {
                confidence: Default::default(),
                contest_threshold: 1.0,
                contested_factor: 1.0,
                min_country_confidence: 1.0,
                ignored_domains: Default::default(),
            },
        }
    }

    /// The confidence of a rule; a rule missing from the file counts for nothing.
    pub fn of(&self, rule: &str) -> f64 {
        self.confidence.get(rule).copied().unwrap_or(0.0)
    }
}
