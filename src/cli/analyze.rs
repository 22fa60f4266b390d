//! `sbomrisk analyze FILE...`: the Article 10 factor 2 and 3 analysis of each product, for a
//! buyer jurisdiction.

use super::attribute::{attribute_all, DataArgs, OnlineArgs};
use super::{write_stdout, TextOrJson, EXIT_BAD_INPUT, EXIT_OK};
use crate::attribution::Attributor;
use crate::data::scoring::ScoringProfile;
use crate::data::Registry;
use crate::score::{self, Options, Report, ScenarioSpec};
use crate::{graph, ingest};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  sbomrisk analyze sboms/home-router-openwrt.cdx.json
  sbomrisk analyze --buyer DE --format json -o report.json sboms/*.json
  sbomrisk analyze --scenario embargo:US --scenario vendor:broadcom sboms/enterprise-switch-sonic.cdx.xml

Scores are 0-100; origin_diversity, continuity and transparency: higher is better;
single_vendor_reliance and political_exposure: higher is worse. Formulas: docs/scoring.md.")]
pub struct Args {
    /// SBOM files (`-` reads stdin); each is one product.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The buyer's jurisdiction (ISO 3166-1 alpha-2). The Cybersecurity Review Measures are the
    /// reference, hence CN by default; every jurisdiction works.
    #[arg(long, value_name = "CC", default_value = "CN")]
    pub buyer: String,
    /// A supply-cut scenario to report: `embargo:CC` or `vendor:ID` (repeatable). Without it,
    /// the worst country and vendor scenarios are listed.
    #[arg(long = "scenario", value_name = "S")]
    pub scenarios: Vec<String>,
    /// Evaluate measures as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// A scoring profile replacing data/weights/scoring.toml (same schema, every key).
    #[arg(long, value_name = "FILE")]
    pub weights: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
    /// Write the report to PATH instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub online: OnlineArgs,
}

/// Checks the options that apply to every file; an error here is a usage error (exit 2).
fn setup(
    args: &Args,
    reg: &Registry,
) -> anyhow::Result<(ScoringProfile, String, Vec<ScenarioSpec>)> {
    let profile = match &args.weights {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
            ScoringProfile::parse(&path.display().to_string(), &text).map_err(anyhow::Error::msg)?
        }
        None => reg.scoring.clone().ok_or_else(|| {
            anyhow::anyhow!("the data has no weights/scoring.toml; pass --weights FILE")
        })?,
    };
    let buyer = args.buyer.trim();
    let buyer = match reg.country_code(buyer) {
        Some(code) if buyer.len() == 2 => code.to_string(),
        _ => anyhow::bail!(
            "--buyer '{}' is not an ISO 3166-1 alpha-2 country code (e.g. CN, US, DE)",
            args.buyer
        ),
    };
    if let Some(d) = &args.as_of {
        if !crate::data::is_date(d) {
            anyhow::bail!("--as-of '{d}' is not a date YYYY-MM-DD");
        }
    }
    let scenarios = args
        .scenarios
        .iter()
        .map(|s| ScenarioSpec::parse(s, reg))
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::msg)?;
    Ok((profile, buyer, scenarios))
}

pub fn run(args: &Args) -> anyhow::Result<i32> {
    let (reg, overrides) = args.data.load()?;
    let (profile, buyer, scenarios) = setup(args, &reg)?;
    let opts = Options {
        buyer,
        profile: &profile,
        scenarios,
        as_of: args.as_of.clone(),
    };
    let mut code = EXIT_OK;
    let mut json_items: Vec<serde_json::Value> = Vec::new();
    let mut text = String::new();
    for file in &args.files {
        let sbom = match ingest::ingest_path(file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("sbomrisk: error: {e}");
                code = EXIT_BAD_INPUT;
                json_items.push(serde_json::json!({
                    "schema": score::SCHEMA,
                    "file": file.display().to_string(),
                    "error": e.to_string(),
                }));
                continue;
            }
        };
        let g = graph::build(&sbom);
        let mut at = Attributor::new(&reg);
        if let Some(o) = &overrides {
            at.overrides = o.clone();
        }
        let (attributions, warnings) = attribute_all(&mut at, &sbom, &args.online);
        for w in &warnings {
            eprintln!("sbomrisk: warning: {}: {w}", sbom.document.path);
        }
        let report = score::analyze(&reg, &sbom, &g, &attributions, &opts);
        match args.format {
            TextOrJson::Json => json_items.push(serde_json::to_value(&report)?),
            TextOrJson::Text => text.push_str(&render_text(&report)),
        }
    }
    let out = match args.format {
        TextOrJson::Json => {
            let doc = if args.files.len() == 1 {
                json_items.pop().unwrap_or_default()
            } else {
                serde_json::Value::Array(json_items)
            };
            serde_json::to_string_pretty(&doc)? + "\n"
        }
        TextOrJson::Text => text,
    };
    match &args.output {
        Some(path) => std::fs::write(path, out)
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?,
        None => write_stdout(&out)?,
    }
    Ok(code)
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// The terminal summary of one report.
pub fn render_text(r: &Report<'_>) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}  ({} components)\n  sbomrisk {}, data {}, profile {} ({}), buyer {}, as of {}",
        r.file,
        r.document.components,
        r.tool.version,
        r.data_version,
        r.profile.name,
        r.profile.digest,
        r.buyer,
        r.as_of
    );
    let _ = writeln!(
        o,
        "\n  rating: {} (risk index {:.1}/100)\n",
        r.rating.as_str().to_uppercase(),
        r.risk_index
    );
    let s = &r.scores;
    for (name, score) in [
        ("origin_diversity", &s.origin_diversity),
        ("single_vendor_reliance", &s.single_vendor_reliance),
        ("political_exposure", &s.political_exposure),
        ("continuity", &s.continuity),
        ("transparency", &s.transparency),
    ] {
        let _ = writeln!(o, "  {name:<24}{:>6.1}  {}", score.value, score.direction);
    }
    let _ = writeln!(
        o,
        "\n  origin countries (weighted share, exposure for a {} buyer):",
        r.buyer
    );
    for c in r.countries.iter().take(10) {
        let rows: Vec<String> = c
            .card
            .iter()
            .flat_map(|card| &card.rows)
            .filter(|row| row.value != "none")
            .map(|row| format!("{}={}", row.indicator, row.value))
            .collect();
        let _ = writeln!(
            o,
            "    {:<4}{:>7} {:>5} comp.  exposure {:.2}  {}",
            c.country.as_deref().unwrap_or("??"),
            pct(c.share),
            c.components,
            c.exposure,
            if c.country.is_none() {
                "unknown origin (opaque bucket)".to_string()
            } else if rows.is_empty() {
                "no measure found".to_string()
            } else {
                rows.join(", ")
            }
        );
    }
    let _ = writeln!(o, "\n  top vendors (weighted share):");
    for v in r.vendors.iter().take(8) {
        let _ = writeln!(
            o,
            "    {:>7} {:<44} {}{}",
            pct(v.share),
            v.name,
            v.country.as_deref().unwrap_or("??"),
            if v.measures.is_empty() {
                String::new()
            } else {
                format!(
                    "  [{} measure(s) of the buyer's authorities]",
                    v.measures.len()
                )
            }
        );
    }
    let _ = writeln!(o, "\n  scenarios (weighted share of the product lost):");
    for sc in r.scenarios.iter().take(8) {
        let _ = writeln!(
            o,
            "    {:<28}{:>7}  ({} removed, {} affected)",
            sc.name,
            pct(sc.product_share_lost),
            sc.removed_components.len(),
            sc.affected_components.len()
        );
    }
    let _ = writeln!(o, "\n  findings ({}):", r.findings.len());
    for f in &r.findings {
        let _ = writeln!(
            o,
            "    [{}] {} Art. {} {}: {}",
            f.severity.as_str().to_uppercase(),
            f.id,
            f.factor.article,
            f.factor.clause,
            f.title
        );
        if let Some(e) = f.evidence.first() {
            let _ = writeln!(o, "        evidence: {e}");
        }
        let _ = writeln!(o, "        mitigation: {}", f.mitigation);
    }
    o.push('\n');
    o
}
