//! The scoring options shared by `analyze`, `portfolio` and `diff`: buyer, scenarios, date and
//! weights, checked once before any file is read (a bad option is a usage error, exit 2).

use crate::data::Registry;
use crate::score::ScenarioSpec;
use crate::score::ScoringProfile;
use std::path::PathBuf;

/// The scoring options as given on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct ScoreArgs {
    /// The buyer's jurisdiction (ISO 3166-1 alpha-2). The Cybersecurity Review Measures are the
    /// reference, hence CN by default; every jurisdiction works.
    #[arg(long, value_name = "CC", default_value = "CN")]
    pub buyer: String,
    /// Who the buyer is, for who must comply with a measure: `ciio` (an operator of critical
    /// information infrastructure, the Measures' subject), `government`, `defense` or `private`
    /// (bound only by measures that bind everyone).
    #[arg(long, value_name = "CLASS", default_value = "ciio", value_parser = clap::builder::PossibleValuesParser::new(crate::score::BuyerClass::ALL))]
    pub buyer_class: String,
    /// A supply-cut scenario to report (repeatable): `embargo:CC` (what vendors controlled from
    /// CC supply), `disruption:CC` (hardware made in CC) or `vendor:ID`. Without it, the worst
    /// country, production-site and vendor scenarios are listed.
    #[arg(long = "scenario", value_name = "S")]
    pub scenarios: Vec<String>,
    /// Evaluate measures as of this date (YYYY-MM-DD) instead of today. Give it to every shard
    /// of a sharded run.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// A scoring profile replacing data/weights/scoring.toml (same schema, every key).
    #[arg(long, value_name = "FILE")]
    pub weights: Option<PathBuf>,
}

/// The checked options: the profile, the buyer code and the scenarios.
pub fn check(
    reg: &Registry,
    buyer: &str,
    scenarios: &[String],
    as_of: Option<&str>,
    weights: Option<&PathBuf>,
) -> anyhow::Result<(ScoringProfile, String, Vec<ScenarioSpec>)> {
    let profile = match weights {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
            ScoringProfile::parse(&path.display().to_string(), &text).map_err(anyhow::Error::msg)?
        }
        None => ScoringProfile::of_registry(reg).map_err(anyhow::Error::msg)?,
    };
    let code = buyer.trim();
    let code = match reg.country_code(code) {
        Some(c) if code.len() == 2 => c.to_string(),
        _ => anyhow::bail!(
            "--buyer '{buyer}' is not an ISO 3166-1 alpha-2 country code (e.g. CN, US, DE)"
        ),
    };
    if let Some(d) = as_of {
        if !crate::data::is_date(d) {
            anyhow::bail!("--as-of '{d}' is not a date YYYY-MM-DD");
        }
    }
    let scenarios = scenarios
        .iter()
        .map(|s| ScenarioSpec::parse(s, reg))
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::msg)?;
    Ok((profile, code, scenarios))
}

impl ScoreArgs {
    pub fn check(
        &self,
        reg: &Registry,
    ) -> anyhow::Result<(ScoringProfile, String, Vec<ScenarioSpec>)> {
        check(
            reg,
            &self.buyer,
            &self.scenarios,
            self.as_of.as_deref(),
            self.weights.as_ref(),
        )
    }
}
