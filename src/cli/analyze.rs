//! `sbomrisk analyze FILE...`: the Article 10 factor 2 and 3 analysis of each product, for a
//! buyer jurisdiction.

use super::options::{DataArgs, OnlineArgs, ScoreArgs};
use super::{GlobalArgs, EXIT_BAD_INPUT, EXIT_OK, EXIT_POLICY};
use crate::ingest;
use crate::report::{self, CriticalPaths, Product, Writer};
use crate::score::ScenarioSpec;
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
  sbomrisk analyze --policy docs/policy.example.toml --format sarif -o sbomrisk.sarif sboms/*.json

Scores are 0-100; origin_diversity, continuity and transparency: higher is better;
single_vendor_reliance and political_exposure: higher is worse. Formulas: docs/scoring.md.

Exit codes: 0 ok, 1 a --policy rule is violated, 2 bad input or usage (also when a policy is
violated in the same run).")]
pub struct Args {
    /// SBOM files (`-` reads stdin); each is one product.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub score: ScoreArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Write the report to PATH instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub online: OnlineArgs,
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

pub fn run(global: &GlobalArgs, args: &Args) -> anyhow::Result<i32> {
    let session = super::options::session(global, &args.data, &args.online, Some(&args.score))?;
    let mut bad_input = false;
    let mut violated = false;
    let mut reported = false;
    let mut out = writer(args.format, args.files.len(), use_color(args))?;
    // Opened before any work, so a refused -o (an input, a directory) costs nothing; each
    // product is written as it is analysed (a temporary file renamed at the end for -o FILE).
    let target = args.output.as_deref().unwrap_or(std::path::Path::new("-"));
    let read = super::options::read_paths(
        args.files.iter().cloned(),
        global,
        &args.data,
        &args.online,
        Some(&args.score),
    )?;
    let mut sink = super::output::buffered(target, &read)?;
    let cannot = |e: report::ReportError| anyhow::anyhow!("{}: {e}", target.display());
    // Several files: a bar with count, rate and time left (stderr, terminals only).
    let bar = if args.files.len() > 1 {
        super::progress::bar(args.files.len() as u64, "analyzing")
    } else {
        indicatif::ProgressBar::hidden()
    };
    for file in &args.files {
        bar.inc(1);
        let sbom = match ingest::ingest_path_with(file, &session.limits) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("sbomrisk: error: {}", super::terminal_safe(&e.to_string()));
                bad_input = true;
                match out.failure(&mut sink, &file.display().to_string(), &e.to_string()) {
                    Err(e) if e.is_broken_pipe() => return Ok(code(bad_input, violated)),
                    other => other.map_err(cannot)?,
                }
                continue;
            }
        };
        super::print_read_warnings(&sbom);
        let written = session.analyze(&sbom, |a| -> anyhow::Result<Result<(), report::ReportError>> {
            for w in a.warnings {
                eprintln!("sbomrisk: warning: {}: {}", super::terminal_safe(&a.sbom.document.path), super::terminal_safe(w));
            }
            for spec in ScenarioSpec::unmatched(&session.scenarios, a.report) {
                eprintln!(
                    "sbomrisk: warning: {}: scenario {} matches no component of this product (vendor ids: `sbomrisk vendors search NAME`)",
                    super::terminal_safe(&a.report.file),
                    super::terminal_safe(&spec.name())
                );
            }
            if let Some(ev) = a.policy {
                for v in &ev.violations {
                    eprintln!(
                        "sbomrisk: policy: {}: {} ({}): {}",
                        super::terminal_safe(&a.report.file),
                        super::terminal_safe(v.rule),
                        super::terminal_safe(&ev.file),
                        super::terminal_safe(&v.message)
                    );
                }
                violated |= !ev.passed;
            }
            let paths = (args.format == ReportFormat::Html).then(|| {
                CriticalPaths::compute(a.sbom, a.graph, a.report, report::paths::DEFAULT_TARGETS)
            });
            Ok(out.product(
                &mut sink,
                &Product {
                    report: a.report,
                    paths: paths.as_ref(),
                    policy: a.policy,
                },
            ))
        });
        reported = true;
        match written? {
            // The reader went away (`| head`): stop quietly.
            Err(e) if e.is_broken_pipe() => return Ok(code(bad_input, violated)),
            other => other.map_err(cannot)?,
        }
        if std::ptr::eq(file, args.files.last().unwrap_or(file)) {
            super::release(sbom);
        }
    }
    bar.finish_and_clear();
    if !reported && target.as_os_str() != "-" {
        // No input could be read: a file given with -o is left as it was (the errors went to
        // stderr), and a new one is not made.
        return Ok(code(bad_input, violated));
    }
    match out.finish(&mut sink) {
        Err(e) if e.is_broken_pipe() => return Ok(code(bad_input, violated)),
        other => other.map_err(cannot)?,
    }
    // The last of the buffer goes out here: a reader gone by now is as quiet as before.
    if super::output::finish(sink, target)? {
        super::release(session);
    }
    Ok(code(bad_input, violated))
}

/// The exit code of a run.
fn code(bad_input: bool, violated: bool) -> i32 {
    if bad_input {
        EXIT_BAD_INPUT
    } else if violated {
        EXIT_POLICY
    } else {
        EXIT_OK
    }
}
