//! Developer tasks as plain Rust, run with `cargo xtask <task>` (an alias in
//! `.cargo/config.toml`), after rust-analyzer's xtask: no shell scripts to drift.
//!
//! One file per task; this file only dispatches. Every task works against sbomrisk's public
//! library API (`ingest`, `graph`, `model`), never its internals.

mod bench;
mod bench_cli;
mod corpus;
mod dist;
mod flags;
mod fuzz;
mod gen_sbom;
mod mutate;
mod package_owners;
mod truth;

use std::path::PathBuf;
use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <task> [options]

tasks:
  gen-sbom   --components N [--format cdx-json|cdx-json-1.5|cdx-xml|spdx-json] [--seed S]
             [--out FILE]
             Writes a deterministic synthetic SBOM (default CycloneDX 1.6 JSON to stdout).
  bench      [--components N (100000)] [--runs R (3)] [--seed S] [--no-peers]
             [--portfolio N (2000, 0 = skip)] [--portfolio-components M (500)]
             Generates target/bench/*, times ingest, attribution and scoring against baselines,
             peak memory, peers (unless --no-peers), and a portfolio of N SBOMs with 1 and 2
             threads.
  corpus     [--corpus DIR (../shared/corpus)] [--verbose] [FILTER...]
             Ingests every file of MANIFEST.tsv and checks counts against the manifest.
  package-owners [--corpus DIR] [--out DIR (data/packages)] [--concurrency N (8)] [--refresh]
             [--limit N] [--verbose]
             Asks the npm, PyPI and crates.io registries for the source repository of the corpus's
             unattributed packages without namespace; writes data/packages/TYPE.tsv (network).
  fuzz-seed  [--corpus DIR] [--max-bytes B (131072)]
             Copies corpus files into fuzz/corpus/<target>/ (gitignored).
  fuzz       [--seconds N (60)] [TARGET...]
             Runs each cargo-fuzz target (all when none is named) for N seconds.
  mutate     [--corpus DIR] [--seed S (1)] [--count N (1000)] [--only I] [--jobs J (cores)]
             [--timeout SECS (30)] [--max-rss-mb M (1024)] [--bin PATH] [--verbose]
             Mutation campaign over the corpus: each mutant (seeded, reproducible with --only)
             is run through one command of the release binary; fails on a panic, a crash, a
             hang, a peak RSS over the bound, an error that does not name the file, output
             that is not what it claims, or an escape reaching a text output or stderr.
  truth-sample [--corpus DIR] [--real-only] [--exclude FILE,...] [--seed S (2026)] [--size N (440)] [--min-per-stratum M (10)]
             [--out FILE]
             Draws the real-corpus truth sample (stratified by ecosystem, deduplicated, seeded)
             with empty label columns; refuses to overwrite an existing file.
  truth-eval [--corpus DIR] [--check [--max-wrong F (0.01)] [--min-correct F (0.88)]]
             [--verbose] [FILE... (tests/truth-corpus.tsv)]
             Attributes each labelled component in its own corpus document (offline) and prints
             precision and coverage per stratum, winning rule and confidence bucket; --check
             fails below the bars (by default the issue's: at most 1% of the countries given
             wrong, at least 88% of components right).
  dist       [--no-build] [--out DIR (target/dist)]
             Builds the release binary and writes shell completions (bash, zsh, fish,
             powershell, elvish) and man pages (sbomrisk.1, sbomrisk-<sub>.1) from the CLI.
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    let result = match task.as_str() {
        "gen-sbom" => gen_sbom::run(rest),
        "bench" => bench::run(rest),
        "bench-child" => bench::run_child(rest),
        "bench-rss" => bench_cli::run_rss(rest),
        "corpus" => corpus::run(rest),
        "package-owners" => package_owners::run(rest),
        "fuzz-seed" => fuzz::run_seed(rest),
        "fuzz" => fuzz::run(rest),
        "mutate" => mutate::run(rest),
        "mutate-run" => mutate::run_limited(rest),
        "dist" => dist::run(rest),
        "truth-sample" => truth::run_sample(rest),
        "truth-eval" => truth::run_eval(rest),
        "" | "help" | "-h" | "--help" => {
            print!("{HELP}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(anyhow::anyhow!("unknown task '{other}'\n\n{HELP}")),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The repository root: the parent of this crate's folder.
pub fn project_root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent().map(PathBuf::from).unwrap_or(dir)
}
