//! The command line: clap definitions and one file per command.
//!
//! Exit codes are a contract kept by every command: 0 ok, 1 policy violated, 2 bad input or usage.
//! An error on one file is printed with its path and the run goes on with the next file.

pub mod analyze;
pub mod attribute;
pub mod cache;
pub mod diff;
pub mod enrich;
pub mod graph;
pub mod inspect;
pub mod options;
pub mod portfolio;
pub mod progress;
pub mod vendors;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;

/// Exit code: everything went well.
pub const EXIT_OK: i32 = 0;
/// Exit code: a policy was violated (used by later commands).
pub const EXIT_POLICY: i32 = 1;
/// Exit code: bad input or usage.
pub const EXIT_BAD_INPUT: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "sbomrisk",
    version,
    about = "Supply-disruption risk of network products, read from their SBOMs",
    long_about = "sbomrisk reads CycloneDX and SPDX SBOMs of network products, builds their \
dependency graph and attributes every component to a vendor, a country and a distribution \
channel, with evidence, and scores origin diversity, single-vendor reliance, political \
supply-disruption exposure, continuity and transparency for a buyer jurisdiction.\n\n\
Exit codes: 0 ok, 1 policy violated, 2 bad input or usage."
)]
pub struct Cli {
    /// No progress bars and no summary lines on stderr (warnings and errors still print).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show format, spec version, serialisation, counts and warnings of SBOM files.
    Inspect(inspect::Args),
    /// Export the dependency graph of one SBOM as Graphviz DOT or JSON.
    Graph(graph::Args),
    /// Attribute every component to a vendor, a country and a channel, with evidence.
    Attribute(attribute::Args),
    /// Score Article 10 factors 2 and 3 for a buyer jurisdiction: origin diversity, single-vendor
    /// reliance, political exposure, continuity scenarios, transparency; findings.
    Analyze(analyze::Args),
    /// Analyse a whole portfolio of products (directories, manifests), in parallel and in
    /// shards: which vendors and countries it depends on, the riskiest products first.
    Portfolio(portfolio::Args),
    /// What changed between two versions of a product: components, vendors, countries, scores
    /// and findings.
    Diff(diff::Args),
    /// Write the SBOM back as CycloneDX with the suppliers, countries and channels found.
    Enrich(enrich::Args),
    /// Look up the curated vendor records of data/vendors.
    #[command(
        subcommand,
        after_help = "Examples:
  sbomrisk vendors show cisco
  sbomrisk vendors search huawei"
    )]
    Vendors(vendors::Command),
    /// Inspect or manage the cache of online answers.
    #[command(
        subcommand,
        after_help = "Examples:
  sbomrisk cache stats
  sbomrisk cache export answers.jsonl   # then, on an offline machine:
  sbomrisk cache import answers.jsonl && sbomrisk attribute --offline bom.json"
    )]
    Cache(cache::Command),
}

/// Output format of `inspect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

/// Runs the command line and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_BAD_INPUT
            } else {
                EXIT_OK
            };
            let _ = e.print();
            return code;
        }
    };
    run(cli)
}

/// Parses `args` (the program name first) and runs them, as the binary does; for harnesses.
pub fn main_from<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => run(cli),
        Err(e) => {
            let _ = e.print();
            if e.use_stderr() {
                EXIT_BAD_INPUT
            } else {
                EXIT_OK
            }
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> i32 {
    progress::set_quiet(cli.quiet);
    let result = match cli.command {
        Command::Inspect(args) => inspect::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Attribute(args) => attribute::run(&args),
        Command::Analyze(args) => analyze::run(&args),
        Command::Portfolio(args) => portfolio::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Enrich(args) => enrich::run(&args),
        Command::Vendors(cmd) => vendors::run(&cmd),
        Command::Cache(cmd) => cache::run(&cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return EXIT_OK;
            }
            eprintln!("sbomrisk: error: {e:#}");
            EXIT_BAD_INPUT
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes to stdout, turning a closed pipe into a quiet end.
pub(crate) fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
