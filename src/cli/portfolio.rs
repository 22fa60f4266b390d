//! `sbomrisk portfolio PATH...`: many products at once, in parallel, summarised as they stream,
//! sharded across machines, and `sbomrisk portfolio merge PARTIAL...` to join the shards.

use super::options::{DataArgs, OnlineArgs, ScoreArgs};
use super::{GlobalArgs, EXIT_BAD_INPUT, EXIT_OK, EXIT_POLICY};
use crate::ingest::discover::{self, Input};
use crate::pipeline::Session;
use crate::score;
use crate::score::portfolio::{
    Aggregate, Folder, PolicyBreach, PolicyVerdict, ProductError, ProductSummary, SCHEMA,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:
  sbomrisk portfolio sboms/
  sbomrisk portfolio --buyer DE --format json -o portfolio.json docs/products.example.tsv
  sbomrisk portfolio --shard 2/8 --as-of 2026-11-25 --format json -o part-2.json sboms/
  sbomrisk portfolio --shard auto/8 --as-of 2026-11-25 --format json -o part-k.json sboms/   # K from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID
  sbomrisk portfolio merge part-*.json --format text

A PATH is a directory (searched recursively; SBOMs are recognised by content), an SBOM file, or
a manifest: one `path<TAB>product name<TAB>tag,tag` per line, paths relative to the manifest.
Exit codes: 0 every product analysed, 2 at least one SBOM could not be read (all others are
still reported)."
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Directories, SBOM files or manifests.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// The scoring options; with `--policy`, each product is checked, and any violation makes
    /// the exit code 1 (2 if an SBOM could not be read).
    #[command(flatten)]
    pub score: ScoreArgs,
    /// Also write each product's HTML report into DIR (created if needed), and link the HTML
    /// portfolio page's products to them.
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
    /// List every file of the directories that was skipped (not an SBOM by content).
    #[arg(short, long)]
    pub verbose: bool,
    /// Worker threads (default: every core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Analyse only the K-th of N partitions of the inputs (1-based; by a stable hash of the
    /// path). `auto/N` reads K from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs, 0-based) or
    /// SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN). Writes a partial report for `merge`; give
    /// every shard the same `--as-of`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: PortfolioFormat,
    /// Write the report to PATH instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub online: OnlineArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Combine the partial JSON reports of `--shard` runs into the report of one run.
    Merge(MergeArgs),
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Partial reports (`--format json` of `portfolio --shard K/N`).
    #[arg(value_name = "PARTIAL", required = true)]
    pub partials: Vec<PathBuf>,
    /// Write the report even when shards are missing (it is marked partial and the missing
    /// shards are named); without it, a missing shard is an error (exit 2).
    #[arg(long)]
    pub allow_missing: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: PortfolioFormat,
    /// Write the report to PATH instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// Output formats of `portfolio`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PortfolioFormat {
    Text,
    Json,
    /// One product per line (and one line per unreadable SBOM, with `error`), for data engines.
    Jsonl,
    /// One row per product.
    Csv,
    /// The portfolio summary as Markdown (wikis, tickets).
    Markdown,
    /// The portfolio summary as one self-contained HTML page with charts.
    Html,
}

/// What identifies a run: two partials merge only when these agree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub schema: String,
    pub tool: ToolRef,
    pub data_version: String,
    pub profile: score::ProfileRef,
    pub buyer: String,
    /// Absent from shards of an older schema, which the schema check then refuses by name.
    #[serde(default)]
    pub buyer_class: String,
    pub as_of: String,
    /// The policy file every product was checked against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Present in the report of one shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<Partial>,
}

impl Header {
    /// The run in one line: tool, data, profile, buyer, date, and shard and policy if any.
    fn run_line(&self) -> String {
        format!(
            "sbomrisk {}, data {}, profile {} ({}), buyer {} ({}), as of {}{}{}",
            self.tool.version,
            self.data_version,
            self.profile.name,
            self.profile.digest,
            self.buyer,
            self.buyer_class,
            self.as_of,
            self.partial
                .as_ref()
                .map_or(String::new(), |p| format!(", shard {}/{}", p.shard, p.of)),
            self.policy
                .as_ref()
                .map_or(String::new(), |p| format!(", policy {p}"))
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolRef {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// 1-based; 0 for the output of `merge --allow-missing` with shards missing.
    pub shard: usize,
    pub of: usize,
    /// Inputs of the whole run (all shards).
    pub inputs: usize,
}

/// A whole (or partial) report, as read back by `merge`.
#[derive(Debug, Deserialize)]
struct Document {
    #[serde(flatten)]
    header: Header,
    products: Vec<ProductSummary>,
    errors: Vec<ProductError>,
}

/// Parses `K/N` or `auto/N`.
/// The most worker threads per core `--jobs` may ask for.
const MAX_JOBS_PER_CORE: usize = 4;

fn parse_shard(spec: &str) -> anyhow::Result<(usize, usize)> {
    let bad =
        || anyhow::anyhow!("--shard '{spec}' is not K/N with 1 <= K <= N (or auto/N), e.g. 2/8");
    let (k, n) = spec.split_once('/').ok_or_else(bad)?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    let k: usize = if k.trim() == "auto" {
        shard_from_env(n)?
    } else {
        k.trim().parse().map_err(|_| bad())?
    };
    if n == 0 || k == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// K (1-based) from the scheduler's array index.
fn shard_from_env(n: usize) -> anyhow::Result<usize> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let parse = |name: &str, v: String| -> anyhow::Result<usize> {
        v.trim()
            .parse::<usize>()
            .map_err(|_| anyhow::anyhow!("{name}='{v}' is not a number"))
    };
    let index = if let Some(v) = var("JOB_COMPLETION_INDEX") {
        parse("JOB_COMPLETION_INDEX", v)?
    } else if let Some(v) = var("SLURM_ARRAY_TASK_ID") {
        let id = parse("SLURM_ARRAY_TASK_ID", v)?;
        let min = match var("SLURM_ARRAY_TASK_MIN") {
            Some(m) => parse("SLURM_ARRAY_TASK_MIN", m)?,
            None => 0,
        };
        id.checked_sub(min)
            .ok_or_else(|| anyhow::anyhow!("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN"))?
    } else {
        anyhow::bail!(
            "--shard auto/{n}: neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID is set"
        );
    };
    if index >= n {
        anyhow::bail!("--shard auto/{n}: the array index {index} is not below {n}");
    }
    Ok(index + 1)
}

pub fn run(global: &GlobalArgs, args: &Args) -> anyhow::Result<i32> {
    if let Some(Command::Merge(m)) = &args.command {
        return merge(m);
    }
    let mut score_args = args.score.clone();
    // Every product (and every shard, given the same --as-of) is scored as of one date.
    score_args.as_of = Some(
        score_args
            .as_of
            .unwrap_or_else(crate::data::jurisdictions::today),
    );
    // No progress observer: products are analysed in parallel under one bar.
    let session = Session::new(&super::options::settings(
        global,
        &args.data,
        &args.online,
        Some(&score_args),
    )?)?;
    super::options::warn_setup(&session);
    let as_of = score_args.as_of.clone().unwrap_or_default();
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    if args.jobs == Some(0) {
        anyhow::bail!("--jobs must be at least 1");
    }
    // More threads than a few per core only add memory (one product each) and contention.
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let cap = cores * MAX_JOBS_PER_CORE;
    let jobs = match args.jobs {
        Some(j) if j > cap => {
            eprintln!("sbomrisk: warning: --jobs {j} capped at {cap} ({MAX_JOBS_PER_CORE} per core, {cores} core(s))");
            cap
        }
        Some(j) => j,
        None => 0,
    };

    let found = discover::discover(&args.paths);
    if found.skipped > 0 && !super::progress::is_quiet() {
        eprintln!(
            "sbomrisk: {} file(s) under the directories skipped: not SBOMs by content{}",
            found.skipped,
            if args.verbose {
                ":"
            } else {
                " (--verbose lists them)"
            }
        );
        if args.verbose {
            for f in &found.skipped_files {
                eprintln!("  {}", super::terminal_safe(f));
            }
        }
    }
    let n_inputs = found.inputs.len() + found.errors.len();
    // Inputs that could not be taken get a place after the SBOMs, so that they too belong to
    // one shard.
    let base = found.inputs.len();
    let mut input_errors: Vec<ProductError> = found
        .errors
        .iter()
        .enumerate()
        .map(|(i, e)| ProductError {
            seq: base + i,
            path: e.path.clone(),
            error: e.error.clone(),
        })
        .collect();
    // What the run reads, every shard's SBOMs included: never an -o target.
    let read = super::options::read_paths(
        args.paths
            .iter()
            .cloned()
            .chain(found.inputs.iter().map(|i| i.path.clone())),
        global,
        &args.data,
        &args.online,
        Some(&score_args),
    )?;
    let mut inputs = found.inputs;
    if let Some((k, n)) = shard {
        inputs.retain(|i| discover::shard_of(&i.shown, n) == k);
        input_errors.retain(|e| discover::shard_of(&e.path, n) == k);
    }
    if inputs.is_empty() && input_errors.is_empty() && shard.is_none() {
        anyhow::bail!(
            "no SBOM found in {} ({} file(s) skipped: not an SBOM by content)",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            found.skipped
        );
    }
    let header = Header {
        schema: SCHEMA.to_string(),
        tool: ToolRef {
            name: "sbomrisk".into(),
            version: crate::VERSION.into(),
        },
        data_version: session.registry.version.clone(),
        profile: score::ProfileRef {
            name: session.profile.profile.clone(),
            digest: session.profile.digest(),
        },
        buyer: session.buyer.clone(),
        buyer_class: session.buyer_class.as_str().to_string(),
        as_of,
        policy: session.policy.as_ref().map(|p| p.file.clone()),
        partial: shard.map(|(k, n)| Partial {
            shard: k,
            of: n,
            inputs: n_inputs,
        }),
    };

    // One client (and one cache) for the whole portfolio: a package is fetched once, then read
    // from the cache.
    for w in session.client_warnings() {
        eprintln!("sbomrisk: warning: {}", super::terminal_safe(&w));
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start {jobs} worker threads: {e}"))?;
    if let Some(d) = &args.report_dir {
        std::fs::create_dir_all(d)
            .map_err(|e| anyhow::anyhow!("{}: cannot create: {e}", d.display()))?;
    }
    let mut out = Output::open(args.output.as_ref(), &read, args.format, &header)?;
    // The page links the reports relative to where it is written, not to the working
    // directory (the links of `-o out/p.html --report-dir out/reports` were broken).
    out.report_dir = args.report_dir.as_ref().map(|d| {
        args.output
            .as_ref()
            .filter(|o| o.as_os_str() != "-")
            .and_then(|o| relative(o.parent().unwrap_or(std::path::Path::new("")), d))
            .unwrap_or_else(|| d.clone())
    });
    let mut folder = Folder::default();
    // Products stream through in chunks: a chunk is analysed in parallel, then written and
    // folded in input order. A product's SBOM and report live only while it is analysed (one
    // per thread at a time); what a chunk keeps is its summaries, so the chunk can be long
    // enough that threads rarely wait for the slowest product of a chunk.
    let chunk = pool.current_num_threads().max(1) * 64;
    let bar = super::progress::bar(inputs.len() as u64, "analyzing");
    let mut errors: Vec<ProductError> = Vec::new();
    for part in inputs.chunks(chunk) {
        let done: Vec<Result<ProductSummary, ProductError>> = pool.install(|| {
            part.par_iter()
                .map(|input| analyze_guarded(input, &session, args.report_dir.as_deref()))
                .collect()
        });
        bar.inc(part.len() as u64);
        for r in done {
            match r {
                Ok(p) => {
                    out.product(&p)?;
                    folder.add(&p);
                }
                Err(e) => {
                    bar.suspend(|| {
                        eprintln!("sbomrisk: error: {}", super::terminal_safe(&e.error));
                    });
                    out.error(&e)?;
                    errors.push(e);
                }
            }
        }
    }
    bar.finish_and_clear();
    // Inputs that could not be taken come after every SBOM (their seq does).
    for e in input_errors {
        eprintln!(
            "sbomrisk: error: {}: {}",
            super::terminal_safe(&e.path),
            super::terminal_safe(&e.error)
        );
        out.error(&e)?;
        errors.push(e);
    }
    for _ in &errors {
        folder.add_error();
    }
    let agg = folder.finish();
    let code = exit_code(&errors, &agg);
    out.finish(&errors, agg)?;
    Ok(code)
}

/// 2 when an SBOM could not be read, else 1 when a product violates the policy, else 0.
fn exit_code(errors: &[ProductError], agg: &Aggregate) -> i32 {
    if !errors.is_empty() {
        EXIT_BAD_INPUT
    } else if agg.policy_violated.as_ref().is_some_and(|v| !v.is_empty()) {
        EXIT_POLICY
    } else {
        EXIT_OK
    }
}

/// [`analyze_one`], with a panic turned into an error entry: one product never stops the rest.
fn analyze_guarded(
    input: &Input,
    session: &Session,
    report_dir: Option<&std::path::Path>,
) -> Result<ProductSummary, ProductError> {
    let error = |error: String| ProductError {
        seq: input.seq,
        path: input.shown.clone(),
        error,
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        analyze_one(input, session, report_dir)
    })) {
        Ok(Ok(p)) => Ok(p),
        Ok(Err(e)) => Err(error(e)),
        Err(_) => Err(error(format!(
            "{}: internal error while analysing this SBOM (please report it)",
            input.shown
        ))),
    }
}

/// The file name of a product's report under `--report-dir`: the path made safe, and a hash of
/// it so two paths never share a file.
pub fn report_file(path: &str) -> String {
    let safe: String = path
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let tail: String = safe
        .chars()
        .rev()
        .take(80)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{}-{:08x}.html", tail.trim_start_matches('.'), h as u32)
}

fn analyze_one(
    input: &Input,
    session: &Session,
    report_dir: Option<&std::path::Path>,
) -> Result<ProductSummary, String> {
    session
        .analyze_path(&input.path, |a| -> Result<ProductSummary, String> {
            if let Some(dir) = report_dir {
                let w = Box::new(crate::report::html::HtmlWriter::default());
                let paths = crate::report::CriticalPaths::compute(
                    a.sbom,
                    a.graph,
                    a.report,
                    crate::report::paths::DEFAULT_TARGETS,
                );
                let page = crate::report::render_to_string(
                    w,
                    &[crate::report::Product {
                        report: a.report,
                        paths: Some(&paths),
                        policy: a.policy,
                    }],
                )
                .map_err(|e| e.to_string())?;
                let file = dir.join(report_file(&input.shown));
                super::output::write(
                    Some(&file),
                    std::slice::from_ref(&input.path),
                    page.as_bytes(),
                )
                .map_err(|e| format!("{e:#}"))?;
            }
            let mut summary = ProductSummary::of(
                a.report,
                input.seq,
                &input.shown,
                input.product.as_deref(),
                &input.tags,
            );
            summary.policy = a.policy.map(|ev| PolicyVerdict {
                passed: ev.passed,
                violations: ev
                    .violations
                    .iter()
                    .map(|v| PolicyBreach {
                        rule: v.rule.to_string(),
                        message: v.message.clone(),
                    })
                    .collect(),
            });
            Ok(summary)
        })
        .map_err(|e| e.to_string())?
}

// ---------------------------------------------------------------------------------------------
// Output: written as products arrive, the same writer for one run and for a merge.

struct Output {
    w: std::io::BufWriter<super::output::Output>,
    /// `--report-dir`: the products' reports, linked from the HTML page.
    report_dir: Option<PathBuf>,
    format: PortfolioFormat,
    first: bool,
    header: Header,
}

const CSV_HEADER: &[&str] = &[
    "seq",
    "path",
    "product",
    "tags",
    "components",
    "rating",
    "risk_index",
    "origin_diversity",
    "single_vendor_reliance",
    "political_exposure",
    "continuity",
    "transparency",
    "top_vendor",
    "top_vendor_share",
    "top_country",
    "top_country_share",
    "worst_scenario",
    "worst_scenario_share_lost",
    "findings",
    "critical_findings",
    "high_findings",
    "error",
];

impl Output {
    fn open(
        path: Option<&PathBuf>,
        inputs: &[PathBuf],
        format: PortfolioFormat,
        header: &Header,
    ) -> anyhow::Result<Output> {
        // Never an input; a regular file is written beside and renamed at the end.
        let target = path.map_or(std::path::Path::new("-"), |p| p.as_path());
        let w = std::io::BufWriter::new(super::output::Output::create(target, inputs)?);
        let mut o = Output {
            w,
            report_dir: None,
            format,
            first: true,
            header: header.clone(),
        };
        match format {
            PortfolioFormat::Json => {
                let h = serde_json::to_string(header)?;
                // The header's fields, then the products array, streamed.
                let body = h.strip_suffix('}').unwrap_or(&h);
                write!(o.w, "{body},\n\"products\": [")?;
            }
            PortfolioFormat::Csv => {
                let mut c = csv_writer(&mut o.w);
                c.write_record(CSV_HEADER)?;
                c.flush()?;
            }
            PortfolioFormat::Jsonl
            | PortfolioFormat::Text
            | PortfolioFormat::Markdown
            | PortfolioFormat::Html => {}
        }
        Ok(o)
    }

    fn product(&mut self, p: &ProductSummary) -> anyhow::Result<()> {
        match self.format {
            PortfolioFormat::Json => {
                let sep = if self.first { "\n" } else { ",\n" };
                self.first = false;
                write!(self.w, "{sep}{}", serde_json::to_string(p)?)?;
            }
            PortfolioFormat::Jsonl => writeln!(self.w, "{}", serde_json::to_string(p)?)?,
            PortfolioFormat::Csv => {
                let s = |n: &str| {
                    p.scores
                        .get(n)
                        .map_or(String::new(), |v| v.value.to_string())
                };
                let sev = |x: &str| p.findings.iter().filter(|f| f.severity == x).count();
                let top_v = p.vendors.first();
                let top_c = p.countries.first();
                let mut c = csv_writer(&mut self.w);
                c.write_record(guard([
                    p.seq.to_string(),
                    p.path.clone(),
                    p.product.clone(),
                    p.tags.join(","),
                    p.components.to_string(),
                    p.rating.clone(),
                    p.risk_index.to_string(),
                    s("origin_diversity"),
                    s("single_vendor_reliance"),
                    s("political_exposure"),
                    s("continuity"),
                    s("transparency"),
                    top_v.and_then(|v| v.name.clone()).unwrap_or_default(),
                    top_v.map_or(String::new(), |v| v.share.to_string()),
                    top_c.map_or(String::new(), |c| {
                        c.key.clone().unwrap_or_else(|| "unknown".into())
                    }),
                    top_c.map_or(String::new(), |c| c.share.to_string()),
                    p.worst_scenario
                        .as_ref()
                        .map_or(String::new(), |w| w.0.clone()),
                    p.worst_scenario
                        .as_ref()
                        .map_or(String::new(), |w| w.1.to_string()),
                    p.findings.len().to_string(),
                    sev("critical").to_string(),
                    sev("high").to_string(),
                    String::new(),
                ]))?;
                c.flush()?;
            }
            PortfolioFormat::Text | PortfolioFormat::Markdown | PortfolioFormat::Html => {}
        }
        Ok(())
    }

    fn error(&mut self, e: &ProductError) -> anyhow::Result<()> {
        match self.format {
            PortfolioFormat::Jsonl => writeln!(self.w, "{}", serde_json::to_string(e)?)?,
            PortfolioFormat::Csv => {
                let mut c = csv_writer(&mut self.w);
                let mut row = vec![String::new(); CSV_HEADER.len()];
                row[0] = e.seq.to_string();
                row[1] = e.path.clone();
                if let Some(last) = row.last_mut() {
                    *last = e.error.clone();
                }
                c.write_record(guard(row))?;
                c.flush()?;
            }
            // JSON, text and Markdown list errors at the end, in input order.
            PortfolioFormat::Json
            | PortfolioFormat::Text
            | PortfolioFormat::Markdown
            | PortfolioFormat::Html => {}
        }
        Ok(())
    }

    fn finish(mut self, errors: &[ProductError], agg: Aggregate) -> anyhow::Result<()> {
        match self.format {
            PortfolioFormat::Json => {
                write!(
                    self.w,
                    "\n],\n\"errors\": {},\n\"portfolio\": {}\n}}\n",
                    serde_json::to_string(errors)?,
                    serde_json::to_string_pretty(&agg)?
                )?;
            }
            PortfolioFormat::Text => {
                let line = self.header.run_line();
                let run = crate::report::portfolio::Run {
                    line: &line,
                    policy: self.header.policy.as_deref(),
                };
                let text = crate::report::portfolio::render_text(&run, errors, &agg);
                self.w.write_all(text.as_bytes())?;
            }
            PortfolioFormat::Markdown => {
                let line = self.header.run_line();
                let run = crate::report::portfolio::Run {
                    line: &line,
                    policy: self.header.policy.as_deref(),
                };
                let text = crate::report::portfolio::render_markdown(&run, errors, &agg);
                self.w.write_all(text.as_bytes())?;
            }
            PortfolioFormat::Html => {
                let meta = self.header.run_line();
                let dir = self.report_dir.clone();
                let link = move |path: &str| {
                    dir.as_ref()
                        .map(|d| d.join(report_file(path)).display().to_string())
                };
                let page = crate::report::html::portfolio_page(
                    &meta,
                    &agg,
                    errors,
                    self.report_dir.as_ref().map(|_| &link as _),
                );
                self.w.write_all(page.as_bytes())?;
            }
            PortfolioFormat::Jsonl | PortfolioFormat::Csv => {}
        }
        match self.w.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            r => r?,
        }
        self.w
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot write: {}", e.error()))?
            .commit()
    }
}

/// The path of `to` seen from the directory `from` (both existing), e.g. `reports` for
/// `out/reports` from `out`; `None` when either cannot be resolved.
fn relative(from: &std::path::Path, to: &std::path::Path) -> Option<PathBuf> {
    let from = if from.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        from
    };
    let (from, to) = (from.canonicalize().ok()?, to.canonicalize().ok()?);
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut rel = PathBuf::new();
    for _ in from.components().skip(common) {
        rel.push("..");
    }
    for c in to.components().skip(common) {
        rel.push(c);
    }
    if rel.as_os_str().is_empty() {
        rel.push(".");
    }
    Some(rel)
}

/// Cells a spreadsheet will not read as formulas (`=HYPERLINK(...)` in a path or a vendor).
fn guard(row: impl IntoIterator<Item = String>) -> Vec<String> {
    row.into_iter()
        .map(|f| crate::report::csv::cell(&f).into_owned())
        .collect()
}

fn csv_writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().has_headers(false).from_writer(w)
}

// ---------------------------------------------------------------------------------------------
// merge

fn merge(args: &MergeArgs) -> anyhow::Result<i32> {
    let mut header: Option<Header> = None;
    let mut products: Vec<ProductSummary> = Vec::new();
    let mut errors: Vec<ProductError> = Vec::new();
    let mut shards: Vec<(usize, usize, usize)> = Vec::new();
    let mut whole_runs: Vec<String> = Vec::new();
    for path in &args.partials {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{shown}: cannot read: {e}"))?;
        let doc: Document = serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "{shown}: not a portfolio JSON report (line {}, column {}): {e}",
                e.line(),
                e.column()
            )
        })?;
        if doc.header.schema != SCHEMA {
            anyhow::bail!(
                "{shown}: schema '{}', expected '{SCHEMA}'",
                doc.header.schema
            );
        }
        let mut h = doc.header.clone();
        if let Some(p) = h.partial.take() {
            if p.shard == 0 {
                anyhow::bail!(
                    "{shown}: an incomplete merge (--allow-missing): merge the original partial reports instead"
                );
            }
            if shards.iter().any(|s| s.0 == p.shard && s.1 == p.of) {
                anyhow::bail!("{shown}: shard {}/{} is given twice", p.shard, p.of);
            }
            shards.push((p.shard, p.of, p.inputs));
        } else {
            whole_runs.push(shown.clone());
        }
        match &header {
            None => header = Some(h),
            Some(first) => {
                for (what, a, b) in [
                    ("buyer", &first.buyer, &h.buyer),
                    ("buyer class", &first.buyer_class, &h.buyer_class),
                    ("as_of", &first.as_of, &h.as_of),
                    ("data_version", &first.data_version, &h.data_version),
                    ("profile", &first.profile.digest, &h.profile.digest),
                    ("tool version", &first.tool.version, &h.tool.version),
                    (
                        "policy",
                        &first.policy.clone().unwrap_or_default(),
                        &h.policy.clone().unwrap_or_default(),
                    ),
                ] {
                    if a != b {
                        anyhow::bail!(
                            "{shown}: the partials disagree on {what} ('{a}' and '{b}'): run every shard with the same options (give --as-of)"
                        );
                    }
                }
            }
        }
        products.extend(doc.products);
        errors.extend(doc.errors);
    }
    let Some(header) = header else {
        anyhow::bail!("no partial report given");
    };
    if !whole_runs.is_empty() && (!shards.is_empty() || whole_runs.len() > 1) {
        anyhow::bail!(
            "{}: not a partial report (no --shard): merge takes the partial reports of one sharded run",
            whole_runs.join(", ")
        );
    }
    let mut header = header;
    if let Some(&(_, of, _)) = shards.first() {
        if shards.iter().any(|s| s.1 != of) {
            anyhow::bail!("the partials come from different shard counts");
        }
        let missing: Vec<String> = (1..=of)
            .filter(|k| !shards.iter().any(|s| s.0 == *k))
            .map(|k| format!("{k}/{of}"))
            .collect();
        if !missing.is_empty() {
            if !args.allow_missing {
                anyhow::bail!(
                    "shard(s) {} of {of} missing: the merged report would be incomplete (give every partial, or --allow-missing to write it marked partial)",
                    missing.join(", ")
                );
            }
            eprintln!(
                "sbomrisk: warning: shard(s) {} missing: the merged report is incomplete",
                missing.join(", ")
            );
            // Still partial: the report says so, and a later merge can complete it.
            header.partial = Some(Partial {
                shard: 0,
                of,
                inputs: shards.iter().map(|s| s.2).max().unwrap_or(0),
            });
        }
    }
    products.sort_by_key(|p| p.seq);
    errors.sort_by_key(|e| e.seq);
    if let Some(w) = products.windows(2).find(|w| w[0].seq == w[1].seq) {
        anyhow::bail!(
            "product {} ({}) is in two partials: were the shards run on different inputs?",
            w[0].seq,
            w[0].path
        );
    }
    let mut out = Output::open(args.output.as_ref(), &args.partials, args.format, &header)?;
    let mut folder = Folder::default();
    let (mut pi, mut ei) = (0, 0);
    // Products and errors in input order, as one run writes them.
    while pi < products.len() || ei < errors.len() {
        let take_product = match (products.get(pi), errors.get(ei)) {
            (Some(p), Some(e)) => p.seq < e.seq,
            (Some(_), None) => true,
            _ => false,
        };
        if take_product {
            out.product(&products[pi])?;
            folder.add(&products[pi]);
            pi += 1;
        } else {
            out.error(&errors[ei])?;
            ei += 1;
        }
    }
    for _ in &errors {
        folder.add_error();
    }
    let agg = folder.finish();
    let code = exit_code(&errors, &agg);
    out.finish(&errors, agg)?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_links_are_relative_to_the_page() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let reports = out.join("reports");
        std::fs::create_dir_all(&reports).unwrap();
        let other = d.path().join("other");
        std::fs::create_dir_all(&other).unwrap();
        assert_eq!(relative(&out, &reports), Some(PathBuf::from("reports")));
        assert_eq!(
            relative(&other, &reports),
            Some(PathBuf::from("../out/reports"))
        );
        assert_eq!(relative(&reports, &reports), Some(PathBuf::from(".")));
        assert_eq!(relative(&out, &d.path().join("missing")), None);
    }

    #[test]
    fn shard_specs() {
        assert_eq!(parse_shard("2/8").unwrap(), (2, 8));
        assert_eq!(parse_shard(" 1 / 1 ").unwrap(), (1, 1));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            let e = parse_shard(bad).unwrap_err().to_string();
            assert!(e.contains("is not K/N"), "{bad}: {e}");
        }
    }
}
