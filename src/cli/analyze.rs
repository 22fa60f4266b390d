//! `sbomrisk analyze FILE...`: the Article 10 factor 2 and 3 analysis of each product, for a
//! buyer jurisdiction.

use super::attribute::{attribute_all, DataArgs, OnlineArgs};
use super::{write_stdout, EXIT_BAD_INPUT, EXIT_OK, EXIT_POLICY};
use crate::attribution::Attributor;
use crate::data::Registry;
use crate::report::{self, CriticalPaths, Policy, Product, Writer};
use crate::score::ScoringProfile;
use crate::score::{self, Options, ScenarioSpec};
use crate::{graph, ingest};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Output formats of `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// The terminal summary (colour on a terminal unless NO_COLOR is set).
    Text,
    /// The versioned report (schema: docs/report.schema.json).
    Json,
    /// The dossier as Markdown, for wikis and tickets.
    Markdown,
    /// One self-contained HTML file with inline SVG charts, print-friendly.
    Html,
    /// SARIF 2.1.0, one result per finding and policy violation.
    Sarif,
    /// One row per component, for spreadsheets.
    Csv,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  sbomrisk analyze sboms/home-router-openwrt.cdx.json
  sbomrisk analyze --buyer DE --format json -o report.json sboms/*.json
  sbomrisk analyze --scenario embargo:US --scenario vendor:broadcom sboms/enterprise-switch-sonic.cdx.xml
  sbomrisk analyze --scenario disruption:TW --buyer-class private tests/fixtures/supply-kinds.cdx.json
  sbomrisk analyze --format html -o router.html sboms/home-router-openwrt.cdx.json
  sbomrisk analyze --policy policy.toml --format sarif -o sbomrisk.sarif sboms/*.json

Scores are 0-100; origin_diversity, continuity and transparency: higher is better;
single_vendor_reliance and political_exposure: higher is worse. Formulas: docs/scoring.md.

Exit codes: 0 ok, 1 a --policy rule is violated, 2 bad input or usage (also when a policy is
violated in the same run).")]
pub struct Args {
    /// SBOM files (`-` reads stdin); each is one product.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
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
    /// Evaluate measures as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// A scoring profile replacing data/weights/scoring.toml (same schema, every key).
    #[arg(long, value_name = "FILE")]
    pub weights: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// A policy file (TOML, `[policy]` table): any violation exits 1 and is printed on stderr
    /// and in the report.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
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
    super::options::check(
        reg,
        &args.buyer,
        &args.scenarios,
        args.as_of.as_deref(),
        args.weights.as_ref(),
    )
}

/// The writer of a format.
fn writer(format: ReportFormat, files: usize, color: bool) -> anyhow::Result<Box<dyn Writer>> {
    Ok(match format {
        ReportFormat::Text => Box::new(report::text::TextWriter::new(color)),
        ReportFormat::Json => Box::new(report::json::JsonWriter::new(files == 1)),
        ReportFormat::Markdown => Box::new(report::markdown::MarkdownWriter::default()),
        ReportFormat::Html => Box::new(report::html::HtmlWriter::default()),
        ReportFormat::Sarif => Box::new(report::sarif::SarifWriter::default()),
        ReportFormat::Csv => Box::new(report::csv::CsvWriter::new()?),
    })
}

/// Colour only for the text summary on a terminal, and never with `NO_COLOR` set
/// (https://no-color.org) or a dumb terminal.
fn use_color(args: &Args) -> bool {
    args.format == ReportFormat::Text
        && args.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

pub fn run(args: &Args) -> anyhow::Result<i32> {
    let (reg, overrides) = args.data.load()?;
    let (profile, buyer, scenarios) = setup(args, &reg)?;
    let policy = match &args.policy {
        Some(path) => Some(Policy::load(path, &reg)?),
        None => None,
    };
    let opts = Options {
        buyer,
        buyer_class: crate::score::BuyerClass::parse(&args.buyer_class)
            .map_err(anyhow::Error::msg)?,
        profile: &profile,
        scenarios,
        as_of: args.as_of.clone(),
    };
    let mut bad_input = false;
    let mut violated = false;
    let mut out = writer(args.format, args.files.len(), use_color(args))?;
    // Several files: a bar with count, rate and time left (stderr, terminals only).
    let bar = if args.files.len() > 1 {
        super::progress::bar(args.files.len() as u64, "analyzing")
    } else {
        indicatif::ProgressBar::hidden()
    };
    for file in &args.files {
        bar.inc(1);
        let sbom = match ingest::ingest_path(file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("sbomrisk: error: {e}");
                bad_input = true;
                out.failure(&file.display().to_string(), &e.to_string());
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
        let evaluation = policy.as_ref().map(|p| p.evaluate(&report));
        if let Some(ev) = &evaluation {
            for v in &ev.violations {
                eprintln!(
                    "sbomrisk: policy: {}: {} ({}): {}",
                    report.file, v.rule, ev.file, v.message
                );
            }
            violated |= !ev.passed;
        }
        let paths = (args.format == ReportFormat::Html)
            .then(|| CriticalPaths::compute(&sbom, &g, &report, report::paths::DEFAULT_TARGETS));
        out.product(&Product {
            report: &report,
            paths: paths.as_ref(),
            policy: evaluation.as_ref(),
        })?;
    }
    bar.finish_and_clear();
    let text = out.finish()?;
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?,
        None => write_stdout(&text)?,
    }
    Ok(if bad_input {
        EXIT_BAD_INPUT
    } else if violated {
        EXIT_POLICY
    } else {
        EXIT_OK
    })
}
