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
pub mod init;
pub mod inspect;
pub mod options;
pub mod output;
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
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GlobalArgs {
    /// No progress bars and no summary lines on stderr (warnings and errors still print).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The configuration file (default: the nearest sbomrisk.toml from the working directory
    /// upward). [env: SBOMRISK_CONFIG]
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<std::path::PathBuf>,
    /// Read no configuration file.
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,
    /// Refuse an SBOM that lists more components than this (what is built per component is
    /// then bounded). [default: 5000000]
    #[arg(long, value_name = "N", global = true)]
    pub max_components: Option<u64>,
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
  sbomrisk cache import answers.jsonl && sbomrisk attribute --offline sboms/iot-gateway.cdx.json"
    )]
    Cache(cache::Command),
    /// Write a commented sbomrisk.toml (every key, at its default) in the working directory.
    Init(init::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "Examples:
  sbomrisk completions bash > ~/.local/share/bash-completion/completions/sbomrisk
  sbomrisk completions zsh > \"${fpath[1]}/_sbomrisk\"
  sbomrisk completions fish > ~/.config/fish/completions/sbomrisk.fish")]
    Completions(init::CompletionsArgs),
    /// Print the man page (roff) of sbomrisk and its commands.
    #[command(after_help = "Examples:
  sbomrisk man > ~/.local/share/man/man1/sbomrisk.1 && man sbomrisk")]
    Man,
}

/// Output format of `inspect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

/// Runs the command line and returns the exit code.
pub fn main() -> i32 {
    ENDS_PROCESS.store(true, std::sync::atomic::Ordering::Relaxed);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if !e.use_stderr() {
                let _ = e.print();
                return EXIT_OK;
            }
            // A usage error quotes what was typed: no escape or bidirectional control of it
            // reaches the terminal.
            eprint!("{}", terminal_text(&e.render().to_string()));
            return EXIT_BAD_INPUT;
        }
    };
    run(cli)
}

/// Set by [`main`]: the run ends the process, so what it built need not be freed.
static ENDS_PROCESS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Lets go of a large value at the end of a command: in the binary, whose exit returns all
/// memory at once, it is not freed piece by piece (for the embedded data and a large model that
/// is milliseconds to a tenth of a second); in a harness ([`main_from`]) it is dropped.
pub(crate) fn release<T>(value: T) {
    if ENDS_PROCESS.load(std::sync::atomic::Ordering::Relaxed) {
        std::mem::forget(value);
    } else {
        drop(value);
    }
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
    progress::set_quiet(cli.global.quiet);
    let g = &cli.global;
    let result = match cli.command {
        Command::Inspect(args) => inspect::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Attribute(args) => attribute::run(g, &args),
        Command::Analyze(args) => analyze::run(g, &args),
        Command::Portfolio(args) => portfolio::run(g, &args),
        Command::Diff(args) => diff::run(g, &args),
        Command::Enrich(args) => enrich::run(g, &args),
        Command::Vendors(cmd) => vendors::run(g, &cmd),
        Command::Cache(cmd) => cache::run(g, &cmd),
        Command::Init(args) => init::run(&args),
        Command::Completions(args) => init::completions(&args),
        Command::Man => init::man(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return EXIT_OK;
            }
            eprintln!("sbomrisk: error: {}", terminal_safe(&format!("{e:#}")));
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

/// SBOM text for a terminal: control characters (an ANSI or OSC escape could clear the screen
/// or retitle the terminal) and bidirectional overrides (U+202A-U+202E, U+2066-U+2069, which
/// reorder what is shown) become U+FFFD.
pub(crate) fn terminal_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if crate::report::unsafe_on_terminal(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// [`terminal_safe`] line by line: the line breaks of a text report stay.
pub(crate) fn terminal_text(s: &str) -> String {
    let mut out: String = s
        .split('\n')
        .map(|l| terminal_safe(l.strip_suffix('\r').unwrap_or(l)))
        .collect::<Vec<_>>()
        .join("\n");
    if s.is_empty() {
        out.clear();
    }
    out
}

/// Prints, once per kind, what reading the SBOM skipped or could not take (the lines and values
/// `inspect` lists in full), so no analysis hides that its input was read leniently.
pub(crate) fn print_read_warnings(sbom: &crate::model::Sbom) {
    use crate::model::DiagnosticCode as C;
    let mut seen: Vec<(C, usize, String)> = Vec::new();
    for d in &sbom.diagnostics {
        if !matches!(
            d.code,
            C::SkippedValue | C::TrailingContent | C::MissingField | C::UnknownSpecVersion
        ) {
            continue;
        }
        match seen.iter_mut().find(|(c, _, _)| *c == d.code) {
            Some(e) => e.1 += 1,
            None => seen.push((d.code, 1, d.to_string())),
        }
    }
    for (_, n, first) in seen {
        let more = if n > 1 {
            format!(" (and {} more of this kind)", n - 1)
        } else {
            String::new()
        };
        eprintln!(
            "sbomrisk: warning: {}: {}{more}; `sbomrisk inspect` lists them",
            terminal_safe(&sbom.document.path),
            terminal_safe(&first)
        );
    }
}

#[cfg(test)]
mod terminal_tests {
    #[test]
    fn escapes_and_bidi_overrides_never_reach_the_terminal() {
        let hostile = "name\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}gpj.exe";
        let safe = super::terminal_safe(hostile);
        assert!(!safe.contains('\u{1b}') && !safe.contains('\u{202e}') && !safe.contains('\u{7}'));
        assert_eq!(super::terminal_text("a\u{1b}\nb\n"), "a\u{fffd}\nb\n");
    }
}
