//! `cargo xtask mutate`: a mutation campaign over the real corpus.
//!
//! Each mutant is drawn from one corpus file (valid or not) by a seeded chain of one to three
//! mutations: byte flips, cuts and splices; hostile strings (terminal escapes, bidi overrides,
//! spreadsheet formulas, markup, huge numbers, lone surrogates); JSON made structurally wrong
//! (a node replaced by another type, by 5,000-deep nesting or by a 200,000-character string,
//! arrays multiplied, keys dropped); XML entity bombs, external entities and deep elements;
//! lines dropped, repeated or swapped; UTF-16, byte-order marks and CRLF; gzip, whole or cut.
//!
//! Each mutant is given to one command of the release binary (`analyze` in every format,
//! `inspect`, `attribute`, `enrich`, `graph`), run in a fresh process with a time limit and its
//! peak RSS read from `wait4` (through `xtask mutate-run`, a small process, because Linux keeps
//! a parent's peak across `exec`). A run fails the campaign when it
//! - panics (exit 101 or "panicked at" on stderr) or dies of a signal;
//! - outlives the time limit (a hang) or its peak RSS passes the bound;
//! - refuses the file (exit 2) without naming it on stderr, or says nothing;
//! - succeeds with output that is not what it claims: JSON that does not parse, enriched XML
//!   that is not well-formed;
//! - lets a terminal escape or a bidi control from the file into a text, Markdown, HTML or DOT
//!   output or onto stderr, or writes a CSV cell a spreadsheet would read as a formula.
//!
//! Mutant `I` of seed `S` depends only on `S`, `I` and the corpus, so `--seed S --only I`
//! rebuilds and reruns exactly one; failing mutants are kept under `target/mutate/failures/`
//! with a note of the command and its stderr.

use crate::flags::Flags;
use crate::gen_sbom::Rng;
use crate::project_root;
use anyhow::{bail, Context};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// A mutant never grows past this many bytes (the amplifying mutations stop short of it).
const MAX_MUTANT: usize = 16 << 20;

/// What one run of a mutant came to.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Outcome {
    /// Exit 0 or 1 with output that checks out.
    Ok,
    /// Exit 2 with an error that names the file.
    Refused,
    Panic,
    Crash,
    Hang,
    Memory,
    /// Exit 2 with an error that does not name the file, or no error at all.
    Unnamed,
    /// Exit 0 or 1 with output that is not what it claims to be.
    BadOutput,
    /// A terminal escape or bidi control reached a text output or stderr.
    Injection,
}

impl Outcome {
    fn failed(self) -> bool {
        !matches!(self, Outcome::Ok | Outcome::Refused)
    }
    fn name(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Refused => "refused",
            Outcome::Panic => "panic",
            Outcome::Crash => "crash",
            Outcome::Hang => "hang",
            Outcome::Memory => "memory",
            Outcome::Unnamed => "unnamed error",
            Outcome::BadOutput => "bad output",
            Outcome::Injection => "injection",
        }
    }
}

/// One command line a mutant is given to; `{in}` and `{out}` are replaced by paths.
struct Cmd {
    name: &'static str,
    args: &'static [&'static str],
    /// What stdout (or, for `enrich`, the output file) must be when the run succeeds.
    check: Check,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    Json,
    /// Text meant for a terminal, a browser or a viewer: no escapes, no bidi controls.
    Text,
    /// CSV: parsed by spreadsheets, not terminals; only checked for being UTF-8.
    Csv,
    /// The enriched SBOM written to `{out}`: well-formed JSON or XML.
    Enriched,
}

const CMDS: &[Cmd] = &[
    Cmd {
        name: "analyze json",
        args: &["analyze", "--format", "json", "{in}"],
        check: Check::Json,
    },
    Cmd {
        name: "analyze text",
        args: &["analyze", "{in}"],
        check: Check::Text,
    },
    Cmd {
        name: "analyze sarif",
        args: &["analyze", "--format", "sarif", "{in}"],
        check: Check::Json,
    },
    Cmd {
        name: "analyze html",
        args: &["analyze", "--format", "html", "{in}"],
        check: Check::Text,
    },
    Cmd {
        name: "analyze markdown",
        args: &["analyze", "--format", "markdown", "{in}"],
        check: Check::Text,
    },
    Cmd {
        name: "analyze csv",
        args: &["analyze", "--format", "csv", "{in}"],
        check: Check::Csv,
    },
    Cmd {
        name: "inspect text",
        args: &["inspect", "{in}"],
        check: Check::Text,
    },
    Cmd {
        name: "inspect json",
        args: &["inspect", "--format", "json", "{in}"],
        check: Check::Json,
    },
    Cmd {
        name: "attribute text",
        args: &["attribute", "{in}"],
        check: Check::Text,
    },
    Cmd {
        name: "attribute json",
        args: &["attribute", "--format", "json", "{in}"],
        check: Check::Json,
    },
    Cmd {
        name: "attribute csv",
        args: &["attribute", "--format", "csv", "{in}"],
        check: Check::Csv,
    },
    Cmd {
        name: "enrich",
        args: &["enrich", "{in}", "-o", "{out}"],
        check: Check::Enriched,
    },
    Cmd {
        name: "graph dot",
        args: &["graph", "{in}"],
        check: Check::Text,
    },
    Cmd {
        name: "graph json",
        args: &["graph", "--format", "json", "{in}"],
        check: Check::Json,
    },
];

/// One mutant's run and what it came to.
struct Verdict {
    index: usize,
    seed_file: String,
    mutations: Vec<String>,
    cmd: usize,
    outcome: Outcome,
    why: String,
    ms: f64,
    peak_kb: u64,
    bytes: usize,
}

pub fn run(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let mut f = Flags::new("mutate", args);
    let dir = f
        .value("corpus")?
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("..").join("shared").join("corpus"));
    let seed: u64 = f.parsed("seed", 1)?;
    let count: usize = f.parsed("count", 1000)?;
    let only: Option<usize> = f.value("only")?.map(|v| v.parse()).transpose()?;
    let timeout_s: f64 = f.parsed("timeout", 30.0)?;
    let max_rss_mb: u64 = f.parsed("max-rss-mb", 1024)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs: usize = f.parsed("jobs", cores)?.max(1);
    let bin = f.value("bin")?.map(PathBuf::from);
    let verbose = f.switch("verbose");
    f.finish_empty()?;

    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv"))
        .with_context(|| format!("reading {}/MANIFEST.tsv", dir.display()))?;
    let files: Vec<String> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    if files.is_empty() {
        bail!("mutate: {}/MANIFEST.tsv lists no file", dir.display());
    }

    let bin = match bin {
        // The runs start in a work directory: a relative path would not be found from there.
        Some(b) => std::fs::canonicalize(&b).with_context(|| format!("--bin {}", b.display()))?,
        None => crate::bench::our_binary()?,
    };
    let root = project_root().join("target").join("mutate");
    let failures = root.join("failures");
    std::fs::create_dir_all(&failures)?;
    let work = root.join(format!("work-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;

    let indices: Vec<usize> = match only {
        Some(i) => vec![i],
        None => (0..count).collect(),
    };
    println!(
        "mutate: seed {seed}, {} mutant(s) of {} corpus files, {jobs} job(s), {timeout_s} s and {max_rss_mb} MB per run, binary {}",
        indices.len(),
        files.len(),
        bin.display()
    );
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(indices.len()));
    let limits = Limits {
        timeout_ms: (timeout_s * 1000.0) as u64,
        max_rss_kb: max_rss_mb * 1024,
    };
    std::thread::scope(|s| -> anyhow::Result<()> {
        let mut handles = Vec::new();
        for job in 0..jobs.min(indices.len().max(1)) {
            let (next, results, indices, files, dir, work, bin, limits, failures) = (
                &next, &results, &indices, &files, &dir, &work, &bin, &limits, &failures,
            );
            handles.push(s.spawn(move || -> anyhow::Result<()> {
                let jobdir = work.join(format!("job-{job}"));
                std::fs::create_dir_all(&jobdir)?;
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&index) = indices.get(k) else {
                        return Ok(());
                    };
                    let r = one(seed, index, files, dir, &jobdir, bin, limits)?;
                    if verbose || r.outcome.failed() {
                        println!(
                            "  #{index} {} {} [{}] -> {}{} ({:.0} ms, {} MB)",
                            CMDS[r.cmd].name,
                            r.seed_file,
                            r.mutations.join(", "),
                            r.outcome.name(),
                            if r.why.is_empty() {
                                String::new()
                            } else {
                                format!(": {}", r.why)
                            },
                            r.ms,
                            r.peak_kb / 1024
                        );
                    }
                    if r.outcome.failed() {
                        keep(failures, seed, &r, &jobdir)?;
                    }
                    results
                        .lock()
                        .map_err(|_| anyhow::anyhow!("poisoned"))?
                        .push(r);
                }
            }));
        }
        for h in handles {
            h.join()
                .map_err(|_| anyhow::anyhow!("a mutate worker panicked"))??;
        }
        Ok(())
    })?;
    let _ = std::fs::remove_dir_all(&work);
    let mut results = results
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a worker panicked"))?;
    results.sort_by_key(|r| r.index);
    if results.len() != indices.len() {
        bail!(
            "mutate: {} of {} mutants ran (a worker stopped on an error)",
            results.len(),
            indices.len()
        );
    }
    summarise(&results, seed, start.elapsed().as_secs_f64());
    let failed = results.iter().filter(|r| r.outcome.failed()).count();
    if failed > 0 {
        println!(
            "mutate: {failed} failure(s); inputs and notes in {}",
            failures.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

struct Limits {
    timeout_ms: u64,
    max_rss_kb: u64,
}

/// Builds mutant `index`, runs it, and judges the run.
fn one(
    seed: u64,
    index: usize,
    files: &[String],
    dir: &Path,
    jobdir: &Path,
    bin: &Path,
    limits: &Limits,
) -> anyhow::Result<Verdict> {
    let mut rng = Rng::new(seed, index as u64);
    let seed_file = rng.pick(files).clone();
    let mut data = std::fs::read(dir.join(&seed_file))
        .with_context(|| format!("reading {}", dir.join(&seed_file).display()))?;
    let mut mutations = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let other = rng.pick(files).clone();
        let name = mutate(&mut rng, &mut data, &|| {
            std::fs::read(dir.join(&other)).unwrap_or_default()
        });
        mutations.push(name);
    }
    let base = Path::new(&seed_file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sbom".into());
    let mut name = format!("m{index}-{base}");
    if rng.chance(8) {
        let cut = rng.chance(25);
        data = gzip(&data, cut)?;
        mutations.push(if cut { "gzip, cut" } else { "gzip" }.into());
        name.push_str(".gz");
    }
    let input = jobdir.join(&name);
    std::fs::write(&input, &data)?;
    let cmd = rng.below(CMDS.len());
    let enriched = jobdir.join(format!("enriched-{base}"));
    let _ = std::fs::remove_file(&enriched);
    let args: Vec<String> = CMDS[cmd]
        .args
        .iter()
        .map(|a| match *a {
            "{in}" => input.to_string_lossy().into_owned(),
            "{out}" => enriched.to_string_lossy().into_owned(),
            a => a.to_string(),
        })
        .collect();
    let stdout = jobdir.join("stdout");
    let stderr = jobdir.join("stderr");
    let run = run_child(bin, &args, jobdir, &stdout, &stderr, limits.timeout_ms)?;
    let (outcome, why) = judge(&run, &CMDS[cmd], &name, &stdout, &stderr, &enriched, limits);
    Ok(Verdict {
        index,
        seed_file,
        mutations,
        cmd,
        outcome,
        why,
        ms: run.ms,
        peak_kb: run.peak_kb,
        bytes: data.len(),
    })
}

/// What `xtask mutate-run` measured.
struct Run {
    ms: f64,
    peak_kb: u64,
    code: i32,
    signal: i32,
    timed_out: bool,
}

fn run_child(
    bin: &Path,
    args: &[String],
    cwd: &Path,
    stdout: &Path,
    stderr: &Path,
    timeout_ms: u64,
) -> anyhow::Result<Run> {
    let me = std::env::current_exe().context("the xtask binary")?;
    let o = Command::new(me)
        .arg("mutate-run")
        .arg(timeout_ms.to_string())
        .arg(stdout)
        .arg(stderr)
        .arg(bin)
        .args(args)
        .current_dir(cwd)
        .env("SBOMRISK_OFFLINE", "1")
        .env("SBOMRISK_CACHE_DIR", cwd.join("cache"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .context("running xtask mutate-run")?;
    let line = String::from_utf8_lossy(&o.stdout);
    let v: serde_json::Value = serde_json::from_str(line.trim())
        .with_context(|| format!("mutate-run printed {line:?}"))?;
    Ok(Run {
        ms: v["ms"].as_f64().unwrap_or(f64::NAN),
        peak_kb: v["peak_kb"].as_u64().unwrap_or(0),
        code: v["code"].as_i64().map_or(-1, |c| c as i32),
        signal: v["signal"].as_i64().map_or(0, |c| c as i32),
        timed_out: v["timed_out"].as_bool().unwrap_or(false),
    })
}

/// Reads at most `limit` bytes of a file (outputs of hostile runs can be large).
fn head(path: &Path, limit: u64) -> Vec<u8> {
    use std::io::Read;
    let mut buf = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(limit).read_to_end(&mut buf);
    }
    buf
}

fn judge(
    run: &Run,
    cmd: &Cmd,
    name: &str,
    stdout: &Path,
    stderr: &Path,
    enriched: &Path,
    limits: &Limits,
) -> (Outcome, String) {
    let err = head(stderr, 1 << 20);
    let err_text = String::from_utf8_lossy(&err);
    if run.timed_out {
        return (Outcome::Hang, format!("killed after {:.0} ms", run.ms));
    }
    if run.code == 101 || err_text.contains("panicked at") {
        let line = err_text
            .lines()
            .find(|l| l.contains("panicked"))
            .unwrap_or("");
        return (Outcome::Panic, line.chars().take(300).collect());
    }
    if run.signal != 0 {
        return (Outcome::Crash, format!("signal {}", run.signal));
    }
    if run.peak_kb > limits.max_rss_kb {
        return (
            Outcome::Memory,
            format!("peak RSS {} MB", run.peak_kb / 1024),
        );
    }
    if let Some(what) = unsafe_text(&err) {
        return (Outcome::Injection, format!("stderr: {what}"));
    }
    match run.code {
        2 => {
            if err_text.trim().is_empty() {
                (Outcome::Unnamed, "exit 2 with nothing on stderr".into())
            } else if !err_text.contains(name) {
                let line = err_text.lines().next().unwrap_or("");
                (
                    Outcome::Unnamed,
                    format!(
                        "exit 2, error does not name the file: {}",
                        line.chars().take(200).collect::<String>()
                    ),
                )
            } else {
                let line = err_text.lines().find(|l| l.contains(name)).unwrap_or("");
                (Outcome::Refused, line.chars().take(200).collect())
            }
        }
        0 | 1 => check_output(cmd.check, stdout, enriched),
        other => (Outcome::Crash, format!("exit {other}")),
    }
}

/// Judges the output of a run that succeeded.
fn check_output(check: Check, stdout: &Path, enriched: &Path) -> (Outcome, String) {
    const BIG: u64 = 1 << 30;
    match check {
        Check::Json => {
            let out = head(stdout, BIG);
            match serde_json::from_slice::<serde::de::IgnoredAny>(&out) {
                Ok(_) => (Outcome::Ok, String::new()),
                Err(e) => (Outcome::BadOutput, format!("stdout is not JSON: {e}")),
            }
        }
        Check::Text => {
            let out = head(stdout, BIG);
            if std::str::from_utf8(&out).is_err() {
                return (Outcome::BadOutput, "stdout is not UTF-8".into());
            }
            match unsafe_text(&out) {
                Some(what) => (Outcome::Injection, format!("stdout: {what}")),
                None => (Outcome::Ok, String::new()),
            }
        }
        Check::Csv => {
            let out = head(stdout, BIG);
            let Ok(text) = std::str::from_utf8(&out) else {
                return (Outcome::BadOutput, "CSV is not UTF-8".into());
            };
            match csv_formula(text) {
                Some(cell) => (
                    Outcome::Injection,
                    format!("CSV cell read as a formula: {cell:?}"),
                ),
                None => (Outcome::Ok, String::new()),
            }
        }
        Check::Enriched => {
            let out = head(enriched, BIG);
            let first = out.iter().find(|b| !b.is_ascii_whitespace()).copied();
            match first {
                None => (
                    Outcome::BadOutput,
                    "enrich succeeded but wrote nothing".into(),
                ),
                Some(b'{') => match serde_json::from_slice::<serde::de::IgnoredAny>(&out) {
                    Ok(_) => (Outcome::Ok, String::new()),
                    Err(e) => (Outcome::BadOutput, format!("enriched JSON: {e}")),
                },
                Some(_) => match well_formed_xml(&out) {
                    Ok(()) => (Outcome::Ok, String::new()),
                    Err(e) => (Outcome::BadOutput, format!("enriched XML: {e}")),
                },
            }
        }
    }
}

/// The first CSV cell a spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return and is not a number), if any. Quoted cells are unquoted first.
fn csv_formula(text: &str) -> Option<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            '"' => quoted = !quoted,
            ',' | '\n' if !quoted => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    cells.push(cell);
    cells.into_iter().find(|c| {
        c.starts_with(['=', '+', '-', '@', '\t', '\r']) && c.trim().parse::<f64>().is_err()
    })
}

/// Errors unless `xml` is one well-formed element (end names match, nothing after the root).
fn well_formed_xml(xml: &[u8]) -> anyhow::Result<()> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut roots = 0usize;
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(_) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Empty(_) if depth == 0 => roots += 1,
            Event::Text(t) if depth == 0 && !t.as_ref().trim().is_empty() => {
                bail!("text outside the root element")
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if depth != 0 {
        bail!("{depth} element(s) left open");
    }
    if roots != 1 {
        bail!("{roots} root elements");
    }
    Ok(())
}

/// The first terminal escape, C1 or C0 control (other than tab, CR, LF) or bidi control in
/// `bytes`, if any.
fn unsafe_text(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    text.chars().find_map(|c| {
        let bad = (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        bad.then(|| format!("U+{:04X}", c as u32))
    })
}

/// Copies a failing mutant and a note of its run to `failures/`.
fn keep(failures: &Path, seed: u64, r: &Verdict, jobdir: &Path) -> anyhow::Result<()> {
    let stem = format!("s{seed}-{}", r.index);
    for entry in std::fs::read_dir(jobdir)? {
        let entry = entry?;
        let n = entry.file_name().to_string_lossy().into_owned();
        if n.starts_with(&format!("m{}-", r.index)) {
            std::fs::copy(entry.path(), failures.join(format!("{stem}-{n}")))?;
        }
    }
    let err = head(&jobdir.join("stderr"), 8192);
    let mut note = std::fs::File::create(failures.join(format!("{stem}.txt")))?;
    writeln!(
        note,
        "seed {seed} mutant {}\nfrom {}\nmutations: {}\ncommand: sbomrisk {}\noutcome: {} {}\n{:.0} ms, peak {} MB, {} bytes\nreproduce: cargo xtask mutate --seed {seed} --only {}\n\nstderr:\n{}",
        r.index,
        r.seed_file,
        r.mutations.join(", "),
        CMDS[r.cmd].args.join(" "),
        r.outcome.name(),
        r.why,
        r.ms,
        r.peak_kb / 1024,
        r.bytes,
        r.index,
        String::from_utf8_lossy(&err)
    )?;
    Ok(())
}

fn summarise(results: &[Verdict], seed: u64, secs: f64) {
    use std::collections::BTreeMap;
    let mut by_outcome: BTreeMap<Outcome, usize> = BTreeMap::new();
    let mut by_cmd: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for r in results {
        *by_outcome.entry(r.outcome).or_default() += 1;
        let e = by_cmd.entry(CMDS[r.cmd].name).or_default();
        e.0 += 1;
        match r.outcome {
            Outcome::Ok => e.1 += 1,
            Outcome::Refused => e.2 += 1,
            _ => {}
        }
    }
    println!(
        "\n{:<18} {:>6} {:>6} {:>8}",
        "command", "runs", "ok", "refused"
    );
    for (name, (n, ok, refused)) in &by_cmd {
        println!("{name:<18} {n:>6} {ok:>6} {refused:>8}");
    }
    println!();
    for (outcome, n) in &by_outcome {
        println!("{:<14} {n:>6}", outcome.name());
    }
    let max_rss = results.iter().max_by_key(|r| r.peak_kb);
    let slowest = results.iter().max_by(|a, b| a.ms.total_cmp(&b.ms));
    if let (Some(m), Some(s)) = (max_rss, slowest) {
        println!(
            "\nhighest peak RSS {} MB (#{} {}, {} bytes); slowest {:.0} ms (#{} {})",
            m.peak_kb / 1024,
            m.index,
            CMDS[m.cmd].name,
            m.bytes,
            s.ms,
            s.index,
            CMDS[s.cmd].name
        );
    }
    let mb: f64 = results.iter().map(|r| r.bytes as f64).sum::<f64>() / 1e6;
    println!(
        "seed {seed}: {} mutants ({mb:.0} MB) in {secs:.0} s; {} panic(s), {} hang(s), {} over the memory bound",
        results.len(),
        by_outcome.get(&Outcome::Panic).unwrap_or(&0),
        by_outcome.get(&Outcome::Hang).unwrap_or(&0),
        by_outcome.get(&Outcome::Memory).unwrap_or(&0),
    );
}

/// `xtask mutate-run TIMEOUT_MS STDOUT STDERR PROGRAM ARGS...`: runs the program with its
/// output into the two files, kills it after the time limit, and prints
/// `{"ms", "peak_kb", "code", "signal", "timed_out"}`.
pub fn run_limited(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let [timeout, out, err, program, rest @ ..] = args.as_slice() else {
        bail!("mutate-run: TIMEOUT_MS STDOUT STDERR PROGRAM [ARGS...]");
    };
    let timeout_ms: u64 = timeout.parse().context("mutate-run: TIMEOUT_MS")?;
    let stdout = std::fs::File::create(out).with_context(|| out.clone())?;
    let stderr = std::fs::File::create(err).with_context(|| err.clone())?;
    let start = Instant::now();
    let child = Command::new(program)
        .args(rest)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .with_context(|| format!("running {program}"))?;
    let (code, signal, peak_kb, timed_out) = wait_limited(child.id(), timeout_ms)?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{}",
        serde_json::json!({ "ms": ms, "peak_kb": peak_kb, "code": code, "signal": signal, "timed_out": timed_out })
    );
    Ok(ExitCode::SUCCESS)
}

/// Waits for `pid`, killing it after `timeout_ms`; returns exit code, signal, peak RSS (KiB)
/// and whether it was killed for time.
#[cfg(unix)]
fn wait_limited(pid: u32, timeout_ms: u64) -> anyhow::Result<(i32, i32, u64, bool)> {
    let start = Instant::now();
    let mut timed_out = false;
    let mut pause = std::time::Duration::from_micros(200);
    loop {
        let mut status = 0;
        // SAFETY: `rusage` is plain data, zeroed is a valid value; wait4 writes it for our child.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let flags = if timed_out { 0 } else { libc::WNOHANG };
        // SAFETY: waits for our own child, which `Child` does not reap (it is never waited on).
        let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, flags, &mut usage) };
        if r < 0 {
            bail!("wait4: {}", std::io::Error::last_os_error());
        }
        if r > 0 {
            let code = if libc::WIFEXITED(status) {
                libc::WEXITSTATUS(status)
            } else {
                -1
            };
            let signal = if libc::WIFSIGNALED(status) && !timed_out {
                libc::WTERMSIG(status)
            } else {
                0
            };
            return Ok((code, signal, usage.ru_maxrss.max(0) as u64, timed_out));
        }
        if start.elapsed().as_millis() as u64 >= timeout_ms {
            // SAFETY: sends SIGKILL to our own child, not yet reaped.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            timed_out = true;
            continue;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(std::time::Duration::from_millis(5));
    }
}

#[cfg(not(unix))]
fn wait_limited(_pid: u32, _timeout_ms: u64) -> anyhow::Result<(i32, i32, u64, bool)> {
    bail!("mutate needs wait4 (Unix)")
}

fn gzip(data: &[u8], cut: bool) -> anyhow::Result<Vec<u8>> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data)?;
    let mut out = e.finish()?;
    if cut {
        out.truncate(out.len() / 2 + 1);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Mutations

/// Strings an attacker would put in an SBOM.
const HOSTILE: &[&str] = &[
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}[2J\u{1b}[H",
    "\u{1b}]8;;https://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\",
    "\u{202e}gnp.exe",
    "\u{2066}x\u{2069}",
    "=HYPERLINK(\"https://evil.example\",\"x\")",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "<script>alert(1)</script>",
    "]]><x/>",
    "</textarea><img src=x onerror=alert(1)>",
    "`rm -rf`|*_[x](javascript:alert(1))_*",
    "&xxe;",
    "\u{0}",
    "\u{85}\u{9b}31m",
    "pkg:npm/%E2%80%AE@1?x=\u{1b}[31m#y",
    "cpe:2.3:a:\u{1b}[31m:*:*:*:*:*:*:*:*:*",
    "../../../../etc/passwd",
    "C:\\Windows\\System32",
    "NOASSERTION",
    "",
];

/// Numbers and literals that strain a parser.
const NUMBERS: &[&str] = &[
    "1e999999",
    "-0",
    "18446744073709551616",
    "-9223372036854775809",
    "0.0000000000000000000000000000001",
    "1.7976931348623157e309",
    "NaN",
    "Infinity",
    "00012",
    "1.",
    "true",
    "null",
];

/// Applies one mutation to `data` and returns its name. `other` reads another corpus file (for
/// splices).
fn mutate(rng: &mut Rng, data: &mut Vec<u8>, other: &dyn Fn() -> Vec<u8>) -> String {
    let json = data
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{' || *b == b'[');
    let xml = data.windows(2).take(4096).any(|w| w == b"<?" || w == b"<b");
    let choice = rng.below(100);
    match choice {
        0..=9 => flip_bits(rng, data),
        10..=15 => set_bytes(rng, data),
        16..=20 => cut_range(rng, data),
        21..=24 => repeat_range(rng, data),
        25..=28 => truncate(rng, data),
        29..=38 => insert_hostile(rng, data),
        39..=41 => splice(rng, data, &other()),
        42..=64 if json => json_structure(rng, data),
        42..=64 if xml => xml_structure(rng, data),
        42..=64 => lines(rng, data),
        65..=79 => lines(rng, data),
        80..=84 => hostile_number(rng, data),
        85..=91 if json => json_structure(rng, data),
        85..=91 if xml => xml_structure(rng, data),
        85..=91 => insert_hostile(rng, data),
        _ => encoding(rng, data),
    }
}

fn flip_bits(rng: &mut Rng, data: &mut [u8]) -> String {
    if data.is_empty() {
        return "flip (empty)".into();
    }
    let n = 1 + rng.below(8);
    for _ in 0..n {
        let i = rng.below(data.len());
        data[i] ^= 1 << rng.below(8);
    }
    format!("flip {n} bit(s)")
}

fn set_bytes(rng: &mut Rng, data: &mut [u8]) -> String {
    if data.is_empty() {
        return "set (empty)".into();
    }
    const INTERESTING: &[u8] = b"\0\xff\"{}[]<>&\\\x1b\n:,";
    let n = 1 + rng.below(6);
    for _ in 0..n {
        let i = rng.below(data.len());
        data[i] = *rng.pick(INTERESTING);
    }
    format!("set {n} byte(s)")
}

fn range(rng: &mut Rng, len: usize, max: usize) -> (usize, usize) {
    if len == 0 {
        return (0, 0);
    }
    let start = rng.below(len);
    let n = 1 + rng.below(max.clamp(1, len - start));
    (start, start + n)
}

fn cut_range(rng: &mut Rng, data: &mut Vec<u8>) -> String {
    let (a, b) = range(rng, data.len(), (data.len() / 8).max(1));
    data.drain(a..b);
    format!("cut {} bytes", b - a)
}

fn repeat_range(rng: &mut Rng, data: &mut Vec<u8>) -> String {
    let (a, b) = range(rng, data.len(), 4096);
    let times = 1 + rng.below(64);
    let chunk = data[a..b].to_vec();
    let mut added = 0;
    for _ in 0..times {
        if data.len() + chunk.len() > MAX_MUTANT {
            break;
        }
        let at = b + added;
        data.splice(at..at, chunk.iter().copied());
        added += chunk.len();
    }
    format!("repeat {} bytes x{times}", b - a)
}

fn truncate(rng: &mut Rng, data: &mut Vec<u8>) -> String {
    let at = rng.below(data.len().max(1));
    data.truncate(at);
    format!("truncate at {at}")
}

fn insert_hostile(rng: &mut Rng, data: &mut Vec<u8>) -> String {
    let s = *rng.pick(HOSTILE);
    // Inside a string where there is one: just after a quote, or after `>` in XML.
    let quotes: Vec<usize> = data
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'"' || **b == b'>')
        .map(|(i, _)| i + 1)
        .take(200_000)
        .collect();
    let at = if quotes.is_empty() {
        rng.below(data.len() + 1)
    } else {
        *rng.pick(&quotes)
    };
    let escaped = if data.get(at.wrapping_sub(1)) == Some(&b'"') {
        // A JSON string: escape what JSON must escape, keep the rest raw.
        let mut e = String::new();
        for c in s.chars() {
            match c {
                '"' => e.push_str("\\\""),
                '\\' => e.push_str("\\\\"),
                c if (c as u32) < 0x20 => e.push_str(&format!("\\u{:04x}", c as u32)),
                c => e.push(c),
            }
        }
        e
    } else {
        s.to_string()
    };
    data.splice(at..at, escaped.bytes());
    format!("insert {:?}", s.chars().take(24).collect::<String>())
}

fn splice(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) -> String {
    let a = rng.below(data.len() + 1);
    let b = rng.below(other.len() + 1);
    data.truncate(a);
    let room = MAX_MUTANT.saturating_sub(data.len());
    data.extend_from_slice(&other[b..other.len().min(b + room)]);
    format!("splice at {a} with another file from {b}")
}

fn hostile_number(rng: &mut Rng, data: &mut Vec<u8>) -> String {
    let digits: Vec<usize> = data
        .iter()
        .enumerate()
        .filter(|(i, b)| b.is_ascii_digit() && (*i == 0 || !data[i - 1].is_ascii_digit()))
        .map(|(i, _)| i)
        .take(200_000)
        .collect();
    let n = *rng.pick(NUMBERS);
    if digits.is_empty() {
        return insert_hostile(rng, data);
    }
    let at = *rng.pick(&digits);
    let end = at
        + data[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b'.')
            .count();
    data.splice(at..end, n.bytes());
    format!("number {n}")
}

/// Line-level: drop, repeat, swap, or add a hostile line.
fn lines(rng: &mut Rng, data: &mut Vec<u8>) -> String {
    let mut ls: Vec<Vec<u8>> = data.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    if ls.is_empty() {
        return "lines (empty)".into();
    }
    let i = rng.below(ls.len());
    let what = match rng.below(4) {
        0 => {
            ls.remove(i);
            "drop a line"
        }
        1 => {
            let times = 1 + rng.below(500);
            let line = ls[i].clone();
            let mut size = data.len();
            for _ in 0..times {
                size += line.len() + 1;
                if size > MAX_MUTANT {
                    break;
                }
                ls.insert(i, line.clone());
            }
            "repeat a line"
        }
        2 => {
            let j = rng.below(ls.len());
            ls.swap(i, j);
            "swap lines"
        }
        _ => {
            let s = rng.pick(HOSTILE).as_bytes().to_vec();
            ls.insert(i, s);
            "hostile line"
        }
    };
    *data = ls.join(&b'\n');
    what.into()
}

/// Re-encodes the text: UTF-16 LE or BE with a byte-order mark, a UTF-8 BOM, CRLF, or a
/// Latin-1 byte in the middle.
fn encoding(rng: &mut Rng, data: &mut Vec<u8>) -> String {
    match rng.below(4) {
        0 | 1 => {
            let Ok(text) = std::str::from_utf8(data) else {
                return "utf-16 (not UTF-8)".into();
            };
            let le = rng.chance(50);
            let mut out = if le {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for u in text.encode_utf16() {
                let b = if le { u.to_le_bytes() } else { u.to_be_bytes() };
                out.extend_from_slice(&b);
            }
            *data = out;
            if le { "utf-16 le" } else { "utf-16 be" }.into()
        }
        2 => {
            data.splice(0..0, [0xEF, 0xBB, 0xBF]);
            "utf-8 bom".into()
        }
        _ => {
            let mut out = Vec::with_capacity(data.len() + data.len() / 20);
            for &b in data.iter() {
                if b == b'\n' {
                    out.push(b'\r');
                }
                out.push(b);
            }
            if !out.is_empty() {
                let at = rng.below(out.len());
                out.insert(at, 0xE9);
            }
            *data = out;
            "crlf and a latin-1 byte".into()
        }
    }
}

/// Placeholder for text spliced in after serialisation (nesting too deep to serialise).
const DEEP: &str = "\u{1}sbomrisk-deep\u{1}";

/// JSON made structurally wrong: a random node replaced or multiplied.
fn json_structure(rng: &mut Rng, data: &mut Vec<u8>) -> String {
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return lines(rng, data);
    };
    let mut pointers = Vec::new();
    collect_pointers(&value, String::new(), &mut pointers);
    if pointers.is_empty() {
        return lines(rng, data);
    }
    let at = rng.pick(&pointers).clone();
    let mut deep = None;
    let what;
    {
        let Some(node) = value.pointer_mut(&at) else {
            return lines(rng, data);
        };
        match rng.below(9) {
            0 => {
                *node = serde_json::Value::Null;
                what = "null";
            }
            1 => {
                *node = serde_json::json!(rng.pick(HOSTILE));
                what = "hostile string";
            }
            2 => {
                let s: String = rng.pick(HOSTILE).repeat(200_000 / 20);
                *node = serde_json::Value::String(s);
                what = "200,000-character string";
            }
            3 => {
                *node = match node {
                    serde_json::Value::Object(_) => serde_json::json!([1, "a"]),
                    serde_json::Value::Array(_) => serde_json::json!({"a": 1}),
                    serde_json::Value::String(_) => serde_json::json!(12),
                    _ => serde_json::json!("x"),
                };
                what = "other type";
            }
            4 => {
                let depth = *rng.pick(&[64usize, 127, 128, 129, 512, 5000, 100_000]);
                deep = Some(depth);
                *node = serde_json::Value::String(DEEP.into());
                what = "deep nesting";
            }
            5 | 6 => {
                if let serde_json::Value::Array(items) = node {
                    if !items.is_empty() {
                        let times = 2 + rng.below(200);
                        let copy = items.clone();
                        let size = serde_json::to_vec(&copy).map_or(usize::MAX, |v| v.len());
                        let times = times.min(MAX_MUTANT / size.max(1)).max(1);
                        for _ in 1..times {
                            items.extend(copy.iter().cloned());
                        }
                        what = "array multiplied";
                    } else {
                        items.push(serde_json::json!({}));
                        what = "empty object added";
                    }
                } else if let serde_json::Value::Object(map) = node {
                    map.insert(
                        rng.pick(HOSTILE).to_string(),
                        serde_json::json!(rng.pick(HOSTILE)),
                    );
                    what = "hostile key";
                } else {
                    *node = serde_json::json!([]);
                    what = "empty array";
                }
            }
            7 => {
                *node = serde_json::json!({});
                what = "empty object";
            }
            _ => {
                let n = rng.pick(NUMBERS);
                *node = serde_json::from_str(n).unwrap_or(serde_json::Value::Null);
                what = "number";
            }
        }
    }
    let mut out = if rng.chance(50) {
        serde_json::to_vec_pretty(&value)
    } else {
        serde_json::to_vec(&value)
    }
    .unwrap_or_default();
    if let Some(depth) = deep {
        let placeholder = serde_json::to_string(DEEP).unwrap_or_default();
        let text = String::from_utf8_lossy(&out).into_owned();
        let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        out = text.replacen(&placeholder, &nested, 1).into_bytes();
    }
    *data = out;
    format!("json {what} at {}", short(&at))
}

fn short(pointer: &str) -> String {
    if pointer.is_empty() {
        return "/".into();
    }
    pointer.chars().take(60).collect()
}

/// JSON pointers of the nodes of `v` (at most 50,000).
fn collect_pointers(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    if out.len() >= 50_000 {
        return;
    }
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                collect_pointers(child, p, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                collect_pointers(child, p, out);
            }
        }
        _ => {}
    }
}

/// XML made hostile: entity bombs, external entities, deep elements, repeated elements.
fn xml_structure(rng: &mut Rng, data: &mut Vec<u8>) -> String {
    let text = String::from_utf8_lossy(data).into_owned();
    // After the XML declaration, where a DOCTYPE goes.
    let prolog_end = if text.starts_with("<?xml") {
        text.find("?>").map_or(0, |i| i + 2)
    } else {
        0
    };
    let out = match rng.below(6) {
        0 => {
            let bomb = "<!DOCTYPE bom [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>";
            let mut t = text.clone();
            t.insert_str(prolog_end, bomb);
            if let Some(i) = t.find("<name>") {
                t.insert_str(i + 6, "&g;");
            }
            (t, "billion laughs")
        }
        1 => {
            let mut t = text.clone();
            t.insert_str(
                prolog_end,
                "<!DOCTYPE bom [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
            );
            if let Some(i) = t.find("<name>") {
                t.insert_str(i + 6, "&xxe;");
            }
            (t, "external entity")
        }
        2 => {
            let depth = *rng.pick(&[64usize, 256, 5000, 100_000]);
            let at = element_start(rng, &text).unwrap_or(text.len());
            let mut t = text.clone();
            t.insert_str(
                at,
                &format!("{}{}", "<x>".repeat(depth), "</x>".repeat(depth)),
            );
            (t, "deep elements")
        }
        3 => {
            // Repeat one <component>...</component> (or any element) many times.
            let Some(start) = text
                .find("<component ")
                .or_else(|| text.find("<component>"))
            else {
                return lines(rng, data);
            };
            let Some(end) = text[start..].find("</component>").map(|e| start + e + 12) else {
                return lines(rng, data);
            };
            let span = &text[start..end];
            let times = (2 + rng.below(500)).min(MAX_MUTANT / span.len().max(1));
            let mut t = String::with_capacity(text.len() + span.len() * times);
            t.push_str(&text[..end]);
            for _ in 0..times {
                t.push_str(span);
            }
            t.push_str(&text[end..]);
            (t, "element repeated")
        }
        4 => {
            let mut t = text.clone();
            let at = element_start(rng, &text).unwrap_or(0);
            t.insert_str(at, "<![CDATA[\u{1b}]0;x\u{7}]]>");
            (t, "CDATA with escapes")
        }
        _ => {
            let mut t = text.clone();
            t.push_str("<trailing/>after the root");
            (t, "content after the root")
        }
    };
    *data = out.0.into_bytes();
    format!("xml {}", out.1)
}

/// The byte offset of a random element start tag after the root's.
fn element_start(rng: &mut Rng, text: &str) -> Option<usize> {
    let starts: Vec<usize> = text
        .match_indices('<')
        .map(|(i, _)| i)
        .filter(|&i| {
            text[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
        })
        .skip(1)
        .take(100_000)
        .collect();
    (!starts.is_empty()).then(|| *rng.pick(&starts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutants_are_reproducible_and_bounded() {
        let doc = br#"{"bomFormat":"CycloneDX","components":[{"name":"a","version":"1"}]}"#;
        for i in 0..300 {
            let make = || {
                let mut rng = Rng::new(7, i);
                let mut d = doc.to_vec();
                let name = mutate(&mut rng, &mut d, &|| b"<bom/>".to_vec());
                (name, d)
            };
            let (a, b) = (make(), make());
            assert_eq!(a, b, "mutant {i} differs between two draws");
            assert!(a.1.len() <= MAX_MUTANT + 200_000, "mutant {i} too large");
        }
    }

    #[test]
    fn deep_nesting_is_spliced_in_after_serialisation() {
        // Find a seed whose JSON mutation is the deep one, then check the text is nested.
        let doc = br#"{"components":[{"name":"a"}]}"#;
        let found = (0..2000).find_map(|i| {
            let mut rng = Rng::new(1, i);
            let mut d = doc.to_vec();
            let name = json_structure(&mut rng, &mut d);
            name.contains("deep").then_some(d)
        });
        let d = found.expect("some seed nests deeply");
        let text = String::from_utf8(d).unwrap();
        assert!(
            text.contains("[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]"),
            "{text:.200}"
        );
        assert!(!text.contains("sbomrisk-deep"));
    }

    #[test]
    fn unsafe_text_finds_escapes_and_bidi_but_not_layout() {
        assert_eq!(unsafe_text(b"a\tb\r\nc"), None);
        assert_eq!(unsafe_text(b"x\x1b[2J").as_deref(), Some("U+001B"));
        assert_eq!(
            unsafe_text("a\u{202e}b".as_bytes()).as_deref(),
            Some("U+202E")
        );
        assert_eq!(unsafe_text("\u{9b}".as_bytes()).as_deref(), Some("U+009B"));
    }

    #[test]
    fn csv_formulas_are_found_in_quoted_and_bare_cells() {
        assert_eq!(csv_formula("a,b\n1,-0.5\n'=x,\"'@y\"\n"), None);
        assert_eq!(csv_formula("a,=SUM(1)\n").as_deref(), Some("=SUM(1)"));
        assert_eq!(
            csv_formula("a,\"@x,\"\"y\"\"\"\n").as_deref(),
            Some("@x,\"y\"")
        );
        assert_eq!(csv_formula("-2+3,b\n").as_deref(), Some("-2+3"));
    }

    #[test]
    fn xml_well_formedness_is_checked() {
        assert!(well_formed_xml(b"<?xml version=\"1.0\"?><a><b/></a>\n").is_ok());
        assert!(well_formed_xml(b"<a><b></a>").is_err());
        assert!(well_formed_xml(b"<a/><trailing/>").is_err());
        assert!(well_formed_xml(b"<a/>after").is_err());
    }
}
