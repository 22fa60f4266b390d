//! `cargo xtask corpus`: ingest every file of the real corpus and hold the component counts
//! against the independent counts of `MANIFEST.tsv`.
//!
//! Rules:
//! - valid files must parse (`Ok`), and their count must equal the expected count, or the
//!   disagreement must be listed in `xtask/corpus-known-differences.tsv` with our exact count;
//! - `invalid/*` files must end in `Ok` (with warnings) or a clean `Err`;
//! - a panic or a run longer than [`TIMEOUT`] fails any file.
//!
//! Expected count: CycloneDX = the manifest's count. For SPDX (2.x in every serialisation, and
//! 3), the manifest counted every package including the described ones, which sbomrisk models
//! as roots, so expected = manifest - real roots (roots other than the synthetic
//! `sbomrisk:root`).
//!
//! Exit code: 0 when nothing failed, 1 otherwise.

use crate::bench::Table;
use crate::flags::Flags;
use crate::project_root;
use anyhow::{bail, Context};
use sbomrisk::graph;
use sbomrisk::ingest;
use sbomrisk::model::Severity;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// Longest a single file may take.
const TIMEOUT: Duration = Duration::from_secs(20);
/// The bom-ref of the root sbomrisk adds when a document names no product.
const SYNTHETIC_ROOT: &str = "sbomrisk:root";
/// Documented disagreements, beside this crate.
const KNOWN_DIFFERENCES: &str = "corpus-known-differences.tsv";

pub fn run(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let mut f = Flags::new("corpus", args);
    let dir = f
        .value("corpus")?
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("..").join("shared").join("corpus"));
    let dir = dir.canonicalize().unwrap_or(dir);
    let verbose = f.switch("verbose");
    let filters = f.finish()?;
    let manifest_path = dir.join("MANIFEST.tsv");
    let manifest = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let mut entries = parse_manifest(&manifest)?;
    if !filters.is_empty() {
        entries.retain(|e| filters.iter().any(|f| e.path.contains(f.as_str())));
    }
    let known_path = project_root().join("xtask").join(KNOWN_DIFFERENCES);
    let known = match std::fs::read_to_string(&known_path) {
        Ok(text) => parse_known(&text)?,
        Err(_) => HashMap::new(),
    };

    let started = Instant::now();
    let outcomes = run_all(&dir, &entries);
    let elapsed = started.elapsed();

    let mut table = Table::new(&[
        "file",
        "format",
        "spec",
        "serialisation",
        "ours",
        "manifest",
        "expected",
        "edges",
        "warnings",
        "ms",
        "status",
    ]);
    let mut totals: BTreeMap<String, Totals> = BTreeMap::new();
    let mut all = Totals::default();
    let mut details = Vec::new();
    let mut used_known = 0;
    for (entry, outcome) in entries.iter().zip(&outcomes) {
        let judged = judge(entry, outcome, known.get(entry.path.as_str()));
        if judged.known_used {
            used_known += 1;
        }
        let t = totals.entry(entry.format.clone()).or_default();
        for t in [t, &mut all] {
            t.files += 1;
            t.ok += usize::from(matches!(outcome, Outcome::Parsed(_)));
            t.agree += usize::from(judged.status == Status::Agrees);
            t.documented += usize::from(judged.status == Status::Documented);
            t.failures += usize::from(judged.status.is_failure());
            if let Outcome::Parsed(p) = outcome {
                t.components += p.components;
            }
        }
        let mut row = vec![
            entry.path.clone(),
            entry.format.clone(),
            String::new(),
            String::new(),
            String::new(),
            entry.count.map(|c| c.to_string()).unwrap_or_default(),
            judged.expected.map(|c| c.to_string()).unwrap_or_default(),
            String::new(),
            String::new(),
            String::new(),
            judged.text.clone(),
        ];
        match outcome {
            Outcome::Parsed(p) => {
                row[2] = p.spec.clone();
                row[3] = p.serialization.clone();
                row[4] = p.components.to_string();
                row[7] = p.edges.to_string();
                row[8] = p.warnings.to_string();
                row[9] = format!("{:.0}", p.ms);
                if verbose {
                    for w in p.messages.iter().take(10) {
                        details.push(format!("{}: {w}", entry.path));
                    }
                    if p.messages.len() > 10 {
                        let more = p.messages.len() - 10;
                        details.push(format!("{}: ... {more} more", entry.path));
                    }
                }
            }
            Outcome::Failed(e) if verbose && !judged.status.is_failure() => {
                details.push(format!("{}: {e}", entry.path));
            }
            Outcome::Panicked(msg) => details.push(format!("{}: panic: {msg}", entry.path)),
            _ => {}
        }
        if judged.status.is_failure() || verbose {
            if let Some(note) = &judged.note {
                details.push(format!("{}: {note}", entry.path));
            }
        }
        table.row(row);
    }
    table.print();
    if !details.is_empty() {
        println!("\nDetails:");
        for d in &details {
            println!("  {d}");
        }
    }
    let stale: Vec<&String> = known
        .keys()
        .filter(|k| !entries.iter().any(|e| &e.path == *k))
        .collect();
    if filters.is_empty() && !stale.is_empty() {
        println!("\n{KNOWN_DIFFERENCES}: entries for files not in the manifest:");
        for s in stale {
            println!("  {s}");
        }
    }

    println!("\nTotals per format:");
    let mut t = Table::new(&[
        "format",
        "files",
        "parsed ok",
        "count agrees",
        "documented",
        "failures",
        "components",
    ]);
    for (format, x) in totals
        .iter()
        .chain(std::iter::once((&"all".to_string(), &all)))
    {
        t.row(vec![
            format.clone(),
            x.files.to_string(),
            x.ok.to_string(),
            x.agree.to_string(),
            x.documented.to_string(),
            x.failures.to_string(),
            x.components.to_string(),
        ]);
    }
    t.print();
    // Offline attribution coverage per ecosystem, over the valid documents.
    let mut cov: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for (entry, outcome) in entries.iter().zip(&outcomes) {
        if let (false, Outcome::Parsed(p)) = (entry.is_invalid(), outcome) {
            for (eco, r) in &p.coverage {
                let t = cov.entry(eco.clone()).or_default();
                for i in 0..4 {
                    t[i] += r[i];
                }
            }
        }
    }
    // analyze (CN buyer, offline) ran on every parsed document; a panic is a failure above.
    let mut ratings: BTreeMap<&str, usize> = BTreeMap::new();
    for outcome in &outcomes {
        if let Outcome::Parsed(p) = outcome {
            *ratings.entry(p.rating.as_str()).or_default() += 1;
        }
    }
    println!(
        "\nanalyze --buyer CN --offline on every parsed document: {}",
        ratings
            .iter()
            .map(|(r, n)| format!("{n} {r}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("\nOffline attribution per ecosystem (valid documents; vendor = any vendor, registered = in data/vendors):");
    let mut t = Table::new(&[
        "ecosystem",
        "components",
        "vendor",
        "vendor %",
        "registered %",
        "country %",
    ]);
    let mut sum = [0usize; 4];
    let pct = |a: usize, b: usize| {
        format!(
            "{:.1}",
            if b == 0 {
                0.0
            } else {
                100.0 * a as f64 / b as f64
            }
        )
    };
    let mut rows: Vec<_> = cov.iter().collect();
    rows.sort_by(|a, b| b.1[0].cmp(&a.1[0]));
    for (eco, r) in rows {
        for i in 0..4 {
            sum[i] += r[i];
        }
        t.row(vec![
            eco.clone(),
            r[0].to_string(),
            r[1].to_string(),
            pct(r[1], r[0]),
            pct(r[2], r[0]),
            pct(r[3], r[0]),
        ]);
    }
    t.row(vec![
        "all".into(),
        sum[0].to_string(),
        sum[1].to_string(),
        pct(sum[1], sum[0]),
        pct(sum[2], sum[0]),
        pct(sum[3], sum[0]),
    ]);
    t.print();

    println!(
        "\ncorpus: {} files, {} parsed ok, {} counts agree, {} documented differences ({} entries \
         in {KNOWN_DIFFERENCES}), {} failures, {} components, {:.1} s",
        all.files,
        all.ok,
        all.agree,
        all.documented,
        used_known,
        all.failures,
        all.components,
        elapsed.as_secs_f64()
    );
    Ok(if all.failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// One line of MANIFEST.tsv.
#[derive(Debug, Clone)]
struct Entry {
    path: String,
    /// `cyclonedx-json`, `spdx-tv`, `invalid(cyclonedx-xml)`...
    format: String,
    count: Option<usize>,
}

impl Entry {
    fn is_invalid(&self) -> bool {
        self.format.starts_with("invalid") || self.path.starts_with("invalid/")
    }
    fn is_spdx(&self) -> bool {
        self.format.starts_with("spdx")
    }
}

fn parse_manifest(text: &str) -> anyhow::Result<Vec<Entry>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .with_context(|| format!("MANIFEST.tsv has no '{name}' column"))
    };
    let (path_col, format_col, count_col) = (col("path")?, col("format")?, col("component_count")?);
    let mut entries = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        let cell = |i: usize| cells.get(i).copied().unwrap_or("").trim();
        entries.push(Entry {
            path: cell(path_col).to_string(),
            format: cell(format_col).to_string(),
            count: cell(count_col).parse().ok(),
        });
    }
    Ok(entries)
}

/// A documented disagreement: our count (or `err` for a documented error) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Known {
    ours: KnownCount,
    reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KnownCount {
    Count(usize),
    Error,
}

/// Parses `path<TAB>our count<TAB>reason` lines; `#` starts a comment line.
fn parse_known(text: &str) -> anyhow::Result<HashMap<String, Known>> {
    let mut map = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cells = line.splitn(3, '\t');
        let path = cells.next().unwrap_or("").trim();
        let count = cells.next().unwrap_or("").trim();
        let reason = cells.next().unwrap_or("").trim();
        if path == "path" && count == "our_count" {
            continue; // header
        }
        let ours =
            match count {
                "err" | "error" => KnownCount::Error,
                c => KnownCount::Count(c.parse().with_context(|| {
                    format!("{KNOWN_DIFFERENCES} line {}: bad count '{c}'", i + 1)
                })?),
            };
        if reason.is_empty() {
            bail!("{KNOWN_DIFFERENCES} line {}: a reason is required", i + 1);
        }
        map.insert(
            path.to_string(),
            Known {
                ours,
                reason: reason.to_string(),
            },
        );
    }
    Ok(map)
}

// ---------------------------------------------------------------------------------------------
// Running

/// What ingesting one file gave.
#[derive(Debug, Clone)]
enum Outcome {
    Parsed(Parsed),
    /// A clean `IngestError`, rendered.
    Failed(String),
    Panicked(String),
    TimedOut,
}

#[derive(Debug, Clone)]
struct Parsed {
    spec: String,
    serialization: String,
    components: usize,
    /// Roots that are real described packages (not the synthetic root).
    real_roots: usize,
    edges: usize,
    warnings: usize,
    messages: Vec<String>,
    ms: f64,
    /// Offline attribution per ecosystem (purl type, or `(no purl)`):
    /// [components, with a vendor, with a vendor in data/vendors, with a country].
    coverage: BTreeMap<String, [usize; 4]>,
    /// The `analyze` rating for a CN buyer (offline), or what went wrong.
    rating: String,
}

/// The embedded data, loaded once for every file.
fn registry() -> &'static sbomrisk::data::Registry {
    static REG: std::sync::OnceLock<sbomrisk::data::Registry> = std::sync::OnceLock::new();
    REG.get_or_init(|| {
        sbomrisk::data::Registry::embedded().expect("the embedded data is valid (tested)")
    })
}

/// Attributes every non-root component offline and counts the outcome per ecosystem.
/// Scores the document for a CN buyer, offline; returns the rating.
fn rating(sbom: &sbomrisk::model::Sbom, g: &sbomrisk::graph::DependencyGraph) -> String {
    let reg = registry();
    let Ok(profile) = sbomrisk::score::ScoringProfile::of_registry(reg) else {
        return "no profile".into();
    };
    let profile = &profile;
    let at = sbomrisk::attribution::Attributor::new(reg);
    let attributions = at.attribute(sbom);
    let opts = sbomrisk::score::Options {
        buyer: "CN".into(),
        buyer_class: Default::default(),
        profile,
        scenarios: Vec::new(),
        as_of: None,
    };
    sbomrisk::score::analyze(reg, sbom, g, &attributions, &opts)
        .rating
        .as_str()
        .to_string()
}

fn coverage(sbom: &sbomrisk::model::Sbom) -> BTreeMap<String, [usize; 4]> {
    let at = sbomrisk::attribution::Attributor::new(registry());
    let mut out: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for a in at.attribute(sbom) {
        let c = sbom.component(a.component);
        if c.role == sbomrisk::model::Role::Root {
            continue;
        }
        let eco = c
            .purl
            .as_deref()
            .and_then(|p| p.strip_prefix("pkg:"))
            .and_then(|p| p.split('/').next())
            .map(|t| t.to_ascii_lowercase())
            .unwrap_or_else(|| "(no purl)".to_string());
        let row = out.entry(eco).or_default();
        row[0] += 1;
        row[1] += usize::from(a.vendor.is_some());
        row[2] += usize::from(a.vendor.as_ref().is_some_and(|v| v.id.is_some()));
        row[3] += usize::from(a.country.is_some());
    }
    out
}

thread_local! {
    /// The message of the last panic on this thread, caught by our hook.
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn ingest_one(path: &Path) -> Outcome {
    let start = Instant::now();
    let result = std::panic::catch_unwind(|| {
        ingest::ingest_path(path).map(|sbom| {
            let g = graph::build(&sbom);
            let diags: Vec<_> = sbom.diagnostics.iter().chain(&g.diagnostics).collect();
            let d = &sbom.document;
            Parsed {
                spec: d.spec_version.clone(),
                serialization: d.serialization.map(|s| s.to_string()).unwrap_or_default(),
                components: sbom.component_count(),
                real_roots: sbom
                    .roots
                    .iter()
                    .filter(|r| sbom.component(**r).bom_ref != SYNTHETIC_ROOT)
                    .count(),
                edges: g.document_edges,
                warnings: diags
                    .iter()
                    .filter(|d| d.severity == Severity::Warning)
                    .count(),
                messages: diags.iter().map(|d| d.to_string()).collect(),
                ms: 0.0,
                coverage: coverage(&sbom),
                rating: rating(&sbom, &g),
            }
        })
    });
    match result {
        Ok(Ok(mut p)) => {
            p.ms = start.elapsed().as_secs_f64() * 1e3;
            Outcome::Parsed(p)
        }
        // The path is in the table already: keep the location and the message.
        Ok(Err(e)) => Outcome::Failed(match &e.location {
            Some(loc) => format!("{loc}: {}", e.message),
            None => e.message.clone(),
        }),
        Err(payload) => {
            let msg = PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| {
                payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".into())
            });
            Outcome::Panicked(msg)
        }
    }
}

/// Ingests every entry on a few worker threads. Each file runs on a thread of its own so a
/// file that never finishes is abandoned after [`TIMEOUT`] and counted as a failure.
fn run_all(dir: &Path, entries: &[Entry]) -> Vec<Outcome> {
    // Keep panic messages for the table instead of letting them spray over stderr.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{location}")));
    }));

    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(entries.len().max(1));
    let next = Arc::new(AtomicUsize::new(0));
    let paths: Arc<Vec<PathBuf>> = Arc::new(entries.iter().map(|e| dir.join(&e.path)).collect());
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    let mut handles = Vec::new();
    for _ in 0..workers {
        let (next, paths, tx) = (next.clone(), paths.clone(), tx.clone());
        handles.push(std::thread::spawn(move || loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(path) = paths.get(i).cloned() else {
                break;
            };
            let (one_tx, one_rx) = mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name(format!("ingest-{i}"))
                .stack_size(8 << 20)
                .spawn(move || {
                    let _ = one_tx.send(ingest_one(&path));
                });
            let outcome = match spawned {
                Err(e) => Outcome::Panicked(format!("could not start a thread: {e}")),
                Ok(_) => match one_rx.recv_timeout(TIMEOUT) {
                    Ok(o) => o,
                    // The thread keeps running detached; the process exits at the end.
                    Err(mpsc::RecvTimeoutError::Timeout) => Outcome::TimedOut,
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        Outcome::Panicked("the ingest thread died".into())
                    }
                },
            };
            if tx.send((i, outcome)).is_err() {
                break;
            }
        }));
    }
    drop(tx);
    let mut outcomes: Vec<Option<Outcome>> = vec![None; entries.len()];
    for (i, o) in rx {
        outcomes[i] = Some(o);
    }
    for h in handles {
        let _ = h.join();
    }
    std::panic::set_hook(default_hook);
    outcomes
        .into_iter()
        .map(|o| o.unwrap_or(Outcome::Panicked("no result".into())))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Judging

/// Counts per format and overall.
#[derive(Debug, Default)]
struct Totals {
    files: usize,
    ok: usize,
    agree: usize,
    documented: usize,
    failures: usize,
    components: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Valid file, parsed, count equal to the expectation.
    Agrees,
    /// Valid file whose disagreement is listed with exactly this outcome.
    Documented,
    /// Valid file parsed, but no count in the manifest to compare with.
    Uncounted,
    /// Invalid file that ended in Ok or a clean Err.
    Survived,
    Failure,
}

impl Status {
    fn is_failure(self) -> bool {
        self == Status::Failure
    }
}

struct Judged {
    status: Status,
    text: String,
    expected: Option<usize>,
    note: Option<String>,
    known_used: bool,
}

fn judge(entry: &Entry, outcome: &Outcome, known: Option<&Known>) -> Judged {
    let mut j = Judged {
        status: Status::Failure,
        text: String::new(),
        expected: None,
        note: None,
        known_used: false,
    };
    match outcome {
        Outcome::Panicked(_) => {
            j.text = "FAIL panic".into();
            return j;
        }
        Outcome::TimedOut => {
            j.text = format!("FAIL timeout > {} s", TIMEOUT.as_secs());
            return j;
        }
        _ => {}
    }
    if entry.is_invalid() {
        j.status = Status::Survived;
        j.text = match outcome {
            Outcome::Parsed(p) if p.warnings > 0 => "ok (invalid: parsed with warnings)".into(),
            Outcome::Parsed(_) => "ok (invalid: parsed)".into(),
            _ => "ok (invalid: clean error)".into(),
        };
        return j;
    }
    match outcome {
        Outcome::Failed(e) => {
            if known.is_some_and(|k| k.ours == KnownCount::Error) {
                j.status = Status::Documented;
                j.known_used = true;
                j.text = "documented error".into();
                j.note = known.map(|k| k.reason.clone());
            } else {
                j.text = "FAIL error".into();
                j.note = Some(e.clone());
            }
        }
        Outcome::Parsed(p) => {
            let expected = entry.count.map(|c| {
                if entry.is_spdx() {
                    c.saturating_sub(p.real_roots)
                } else {
                    c
                }
            });
            j.expected = expected;
            match (expected, known) {
                (None, _) => {
                    j.status = Status::Uncounted;
                    j.text = "ok (no manifest count)".into();
                }
                (Some(e), None) if e == p.components => {
                    j.status = Status::Agrees;
                    j.text = "ok".into();
                }
                (Some(e), Some(k)) if e == p.components => {
                    j.status = Status::Agrees;
                    j.text = "ok (known difference is stale)".into();
                    j.note = Some(format!(
                        "counts agree now; remove it from {KNOWN_DIFFERENCES} ({})",
                        k.reason
                    ));
                }
                (Some(_), Some(k)) if k.ours == KnownCount::Count(p.components) => {
                    j.status = Status::Documented;
                    j.known_used = true;
                    j.text = "documented".into();
                    j.note = Some(k.reason.clone());
                }
                (Some(e), Some(k)) => {
                    j.text = "FAIL count".into();
                    let listed = match k.ours {
                        KnownCount::Count(c) => c.to_string(),
                        KnownCount::Error => "err".into(),
                    };
                    j.note = Some(format!(
                        "{} components, expected {e}; {KNOWN_DIFFERENCES} lists {listed}",
                        p.components
                    ));
                }
                (Some(e), None) => {
                    j.text = "FAIL count".into();
                    j.note = Some(format!(
                        "{} components, expected {e} (not in {KNOWN_DIFFERENCES})",
                        p.components
                    ));
                }
            }
        }
        Outcome::Panicked(_) | Outcome::TimedOut => {}
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, format: &str, count: usize) -> Entry {
        Entry {
            path: path.into(),
            format: format.into(),
            count: Some(count),
        }
    }

    fn parsed(components: usize, real_roots: usize) -> Outcome {
        Outcome::Parsed(Parsed {
            spec: "2.3".into(),
            serialization: "json".into(),
            components,
            real_roots,
            edges: 0,
            warnings: 0,
            messages: vec![],
            ms: 0.0,
            coverage: BTreeMap::new(),
            rating: String::new(),
        })
    }

    #[test]
    fn manifest_columns_by_name() {
        let m = "path\tx\tformat\tcomponent_count\na.json\t-\tspdx-json\t12\nb.xml\t-\tinvalid(cyclonedx-xml)\t\n";
        let e = parse_manifest(m).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].count, Some(12));
        assert!(e[0].is_spdx());
        assert!(e[1].is_invalid());
        assert_eq!(e[1].count, None);
    }

    #[test]
    fn spdx_expectation_subtracts_real_roots_only() {
        let e = entry("spdx-json/a.json", "spdx-json", 10);
        assert_eq!(judge(&e, &parsed(9, 1), None).status, Status::Agrees);
        // A synthetic root is not counted as a real root: 10 expected.
        assert_eq!(judge(&e, &parsed(10, 0), None).status, Status::Agrees);
        assert_eq!(judge(&e, &parsed(10, 1), None).status, Status::Failure);
        let c = entry("cyclonedx-json/a.json", "cyclonedx-json", 10);
        assert_eq!(judge(&c, &parsed(10, 1), None).status, Status::Agrees);
    }

    #[test]
    fn known_differences_must_match_exactly() {
        let e = entry("cyclonedx-json/a.json", "cyclonedx-json", 10);
        let known =
            parse_known("path\tour_count\treason\ncyclonedx-json/a.json\t8\ttwo are services\n")
                .unwrap();
        let k = known.get("cyclonedx-json/a.json");
        assert_eq!(judge(&e, &parsed(8, 1), k).status, Status::Documented);
        assert_eq!(judge(&e, &parsed(7, 1), k).status, Status::Failure);
        assert_eq!(judge(&e, &parsed(10, 1), k).status, Status::Agrees);
        assert!(parse_known("a\t1\t\n").is_err(), "reason required");
        assert!(parse_known("a\tmany\tx\n").is_err());
    }

    #[test]
    fn invalid_files_need_only_to_survive() {
        let e = entry("invalid/x.json", "invalid(cyclonedx-json)", 3);
        assert_eq!(
            judge(&e, &Outcome::Failed("x: bad".into()), None).status,
            Status::Survived
        );
        assert_eq!(judge(&e, &parsed(0, 0), None).status, Status::Survived);
        assert!(judge(&e, &Outcome::Panicked("boom".into()), None)
            .status
            .is_failure());
        assert!(judge(&e, &Outcome::TimedOut, None).status.is_failure());
    }

    #[test]
    fn valid_file_error_fails_unless_documented() {
        let e = entry("spdx-tv/a.spdx", "spdx-tv", 3);
        let err = Outcome::Failed("a: bad".into());
        assert!(judge(&e, &err, None).status.is_failure());
        let known = parse_known("spdx-tv/a.spdx\terr\tnot SPDX at all\n").unwrap();
        assert_eq!(
            judge(&e, &err, known.get("spdx-tv/a.spdx")).status,
            Status::Documented
        );
    }

    #[test]
    fn panics_are_caught_with_their_message() {
        let dir = std::env::temp_dir();
        // A missing file is a clean error, not a panic.
        let o = ingest_one(&dir.join("sbomrisk-xtask-no-such-file.json"));
        assert!(matches!(o, Outcome::Failed(_)), "{o:?}");
    }
}
