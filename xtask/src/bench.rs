//! `cargo xtask bench`: how fast and how lean ingest is, against baselines measured in the same
//! run on the same bytes.
//!
//! 1. Generates the synthetic SBOM (see `gen_sbom`) into `target/bench/` in every format.
//! 2. In this process, the median of R runs of: the baseline (`serde_json::Value` for JSON, a
//!    plain quick-xml event scan for XML) and sbomrisk's `ingest_bytes` + `graph::build`.
//!    Target (issue 18): ingest <= 0.4x the `serde_json::Value` baseline on CycloneDX JSON.
//! 3. Reference crates on the same content, as ratios to the same baseline: cyclonedx-bom 0.8.1
//!    (spec 1.3-1.5, so on the 1.5 variant) and spdx-rs 0.5.5 (SPDX 2.2, so on the 2.2 variant).
//! 4. Peak memory of one ingest, in a child process (`xtask bench-child`), as a multiple of the
//!    file size. Target: <= 4x.
//! 5. Peer tools as whole processes (wall clock), as ratios to our own binary run the same way:
//!    `sbom-tools` and python `lib4sbom` when installed.
//! 6. The portfolio: SBOMs per second and peak memory at two sizes.
//! 7. What a user waits for (`bench_cli`): every command whole, output included, with peak RSS
//!    (`--million` adds a 1,000,000-component file); start-up on a 4-component SBOM; the
//!    per-file loop over the corpus (`--corpus DIR`, default ../shared/corpus when present;
//!    `--no-corpus`); a million blank components. `--no-commands` skips it.
//!
//! An ingest that fails as `Unsupported` (a format this build cannot read yet) is reported and
//! skipped; any other error, a panic or a wrong component count fails the task, so
//! `--components 2000 --runs 1` is a useful CI smoke test.

use crate::flags::Flags;
use crate::gen_sbom::{self, OutFormat};
use crate::project_root;
use anyhow::{bail, Context};
use sbomrisk::ingest::{self, IngestErrorKind};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

pub fn run(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let mut f = Flags::new("bench", args);
    let n: usize = f.parsed("components", 100_000)?;
    let runs: usize = f.parsed("runs", 3)?;
    let seed: u64 = f.parsed("seed", 1)?;
    let portfolio_n: usize = f.parsed("portfolio", 2000)?;
    let portfolio_components: usize = f.parsed("portfolio-components", 500)?;
    let no_peers = f.switch("no-peers");
    let no_commands = f.switch("no-commands");
    let million = f.switch("million");
    let no_corpus = f.switch("no-corpus");
    let corpus = f.value("corpus")?.map(PathBuf::from).or_else(|| {
        let d = project_root().join("..").join("shared").join("corpus");
        d.join("MANIFEST.tsv").exists().then_some(d)
    });
    f.finish_empty()?;
    if runs == 0 {
        bail!("bench: --runs must be at least 1");
    }
    let dir = project_root().join("target").join("bench");
    let mut failures = Vec::new();

    // 1. Files.
    let started = Instant::now();
    let files = BenchFiles::generate(&dir, n, seed)?;
    println!(
        "generated {n} components (seed {seed}) into {} in {:.1} s; median of {runs} run(s)\n",
        dir.display(),
        started.elapsed().as_secs_f64()
    );

    // 2. Baselines and ingest in process.
    println!("In process, system allocator as in the sbomrisk binary (ingest = ingest_bytes + graph::build; ratio = ingest / baseline; attribute = offline attribution of every component; score = analyze for a CN buyer, attribution excluded):");
    let mut table = Table::new(&[
        "file",
        "MB",
        "baseline",
        "baseline ms",
        "ingest ms",
        "ratio",
        "target",
        "MB/s",
        "components/s",
        "edges",
        "warnings",
        "attribute ms",
        "attr/ingest",
        "score ms",
        "score/ingest",
    ]);
    let mut value_baseline_ms = Vec::new();
    for (path, kind) in files.main() {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let mb = bytes.len() as f64 / 1e6;
        let (base_name, base) = match kind {
            Kind::Xml => ("quick-xml scan", time(runs, || xml_scan(&bytes)).0),
            _ => ("serde_json::Value", time(runs, || json_value(&bytes)).0),
        };
        if kind != Kind::Xml {
            value_baseline_ms.push((file_name(path), ms(base)));
        }
        let ingest = measure_ingest(path, &bytes, runs, n, &mut failures);
        let target = if kind == Kind::CdxJson { "<= 0.40" } else { "" };
        let mut row = vec![
            file_name(path),
            format!("{mb:.1}"),
            base_name.to_string(),
            format!("{:.1}", ms(base)),
        ];
        match ingest {
            Ok(ing) => row.extend([
                format!("{:.1}", ms(ing.time)),
                format!("{:.2}", ms(ing.time) / ms(base)),
                target.to_string(),
                format!("{:.0}", mb / ing.time.as_secs_f64()),
                format!("{:.0}", ing.components as f64 / ing.time.as_secs_f64()),
                ing.edges.to_string(),
                ing.warnings.to_string(),
                format!("{:.1}", ms(ing.attribute)),
                format!("{:.2} (target <= 0.25)", ms(ing.attribute) / ms(ing.time)),
                format!("{:.1}", ms(ing.score)),
                format!("{:.2} (target <= 0.25)", ms(ing.score) / ms(ing.time)),
            ]),
            Err(msg) => row.push(msg),
        }
        table.row(row);
        if kind == Kind::Xml {
            // The JSON baseline of the same content, to compare XML with JSON.
            let json = std::fs::read(&files.cdx_json)?;
            let t = time(runs, || json_value(&json)).0;
            table.row(vec![
                String::new(),
                String::new(),
                "serde_json::Value of the .cdx.json".into(),
                format!("{:.1}", ms(t)),
            ]);
        }
    }
    table.print();

    // 3. Reference crates.
    println!(
        "\nReference crates (ratio = time / serde_json::Value on the same bytes; lower is faster):"
    );
    let mut table = Table::new(&["file", "MB", "reader", "ms", "ratio", "components"]);
    reference_crates(&files, runs, n, &mut table, &mut failures)?;
    table.print();

    // 4. Peak memory.
    println!(
        "\nPeak memory of one run in a child process (VmHWM; net = minus an idle child's; \
         target for ingest: <= 4x file size):"
    );
    let idle_kb = child(&files.cdx_json, "idle").map_or(0, |r| r.peak_kb);
    println!("  idle child: {:.1} MB", idle_kb as f64 / 1024.0);
    let mut table = Table::new(&[
        "file",
        "MB",
        "mode",
        "peak RSS MB",
        "x file size",
        "net x file size",
        "ms",
    ]);
    for (path, kind) in files.main() {
        let size = std::fs::metadata(path)?.len() as f64 / 1e6;
        let baseline = if kind == Kind::Xml {
            "xml-scan"
        } else {
            "json-value"
        };
        for mode in [baseline, "ingest"] {
            let row = match child(path, mode) {
                Ok(r) => vec![
                    file_name(path),
                    format!("{size:.1}"),
                    mode.to_string(),
                    format!("{:.1}", r.peak_kb as f64 / 1024.0),
                    format!("{:.2}", (r.peak_kb as f64 * 1024.0 / 1e6) / size),
                    format!(
                        "{:.2}",
                        (r.peak_kb.saturating_sub(idle_kb) as f64 * 1024.0 / 1e6) / size
                    ),
                    format!("{:.1}", r.ms),
                ],
                Err(e) => vec![file_name(path), format!("{size:.1}"), mode.into(), e],
            };
            table.row(row);
        }
    }
    table.print();

    // 5. Peers, as whole processes.
    if !no_peers {
        println!("\nWhole processes, wall clock (ratio = peer / our binary; lower is faster):");
        peers(&files, runs)?;
    }

    // 6. Portfolio.
    if portfolio_n > 0 {
        portfolio(&dir, portfolio_n, portfolio_components, &mut failures)?;
    }

    // 7. Commands whole, start-up, the per-file corpus loop, a million blank components.
    if !no_commands {
        let mut files_7 = vec![files.cdx_json.clone()];
        if million {
            let big = dir.join("synthetic-1000000.cdx.json");
            if !big.exists() {
                gen_sbom::write_file(&big, OutFormat::CdxJson, 1_000_000, seed)?;
            }
            files_7.push(big);
        }
        let bin = our_binary()?;
        let corpus = corpus.filter(|_| !no_corpus);
        crate::bench_cli::run(&bin, &dir, &files_7, runs, corpus.as_deref(), &mut failures)?;
    }

    if failures.is_empty() {
        println!("\nbench: ok");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("\nbench: {} failure(s):", failures.len());
        for f in &failures {
            println!("  {f}");
        }
        Ok(ExitCode::FAILURE)
    }
}

// ---------------------------------------------------------------------------------------------
// Files

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    CdxJson,
    Xml,
    SpdxJson,
}

struct BenchFiles {
    cdx_json: PathBuf,
    cdx_xml: PathBuf,
    spdx_json: PathBuf,
    cdx_json_15: PathBuf,
    spdx_json_22: PathBuf,
}

impl BenchFiles {
    fn generate(dir: &Path, n: usize, seed: u64) -> anyhow::Result<BenchFiles> {
        let name = |ext: &str| dir.join(format!("synthetic-{n}{ext}"));
        let files = BenchFiles {
            cdx_json: name(".cdx.json"),
            cdx_xml: name(".cdx.xml"),
            spdx_json: name(".spdx.json"),
            cdx_json_15: name("-1.5.cdx.json"),
            spdx_json_22: name("-2.2.spdx.json"),
        };
        for (path, format) in [
            (&files.cdx_json, OutFormat::CdxJson),
            (&files.cdx_xml, OutFormat::CdxXml),
            (&files.spdx_json, OutFormat::SpdxJson),
            (&files.cdx_json_15, OutFormat::CdxJson15),
            (&files.spdx_json_22, OutFormat::SpdxJson22),
        ] {
            gen_sbom::write_file(path, format, n, seed)?;
        }
        Ok(files)
    }

    fn main(&self) -> [(&Path, Kind); 3] {
        [
            (&self.cdx_json, Kind::CdxJson),
            (&self.cdx_xml, Kind::Xml),
            (&self.spdx_json, Kind::SpdxJson),
        ]
    }
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Timing

/// Median wall time of `runs` calls of `f`, after one untimed warm-up call (so whichever is
/// measured first does not pay for page faults and allocator growth); the result is dropped
/// outside the timed part.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    drop(black_box(f()));
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = black_box(f());
        times.push(start.elapsed());
        last = Some(out);
    }
    times.sort();
    let out = match last {
        Some(out) => out,
        None => f(),
    };
    (times[times.len() / 2], out)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The JSON baseline: a full generic parse. Returns the number of top-level keys.
fn json_value(bytes: &[u8]) -> usize {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(v) => v.as_object().map_or(0, |o| o.len()),
        Err(_) => 0,
    }
}

/// The XML baseline: every event of the document, nothing kept. Returns the number of events.
fn xml_scan(bytes: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut events = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(e) => {
                black_box(&e);
                events += 1;
            }
        }
    }
    events
}

struct Ingested {
    time: Duration,
    components: usize,
    edges: usize,
    warnings: usize,
    /// Offline attribution of every component (embedded data, loaded once beforehand).
    attribute: Duration,
    /// `score::analyze` for a CN buyer on the attributed SBOM (attribution not included).
    score: Duration,
}

/// Times ingest + graph on `bytes`. `Err` holds what to print instead of numbers; real failures
/// are also pushed to `failures`.
fn measure_ingest(
    path: &Path,
    bytes: &[u8],
    runs: usize,
    expected: usize,
    failures: &mut Vec<String>,
) -> Result<Ingested, String> {
    let shown = path.display().to_string();
    let result = std::panic::catch_unwind(|| {
        time(runs, || {
            ingest::ingest_bytes(&shown, bytes).map(|sbom| {
                let g = sbomrisk::graph::build(&sbom);
                (sbom, g)
            })
        })
    });
    match result {
        Err(_) => {
            failures.push(format!("{}: ingest panicked", file_name(path)));
            Err("panicked".into())
        }
        Ok((_, Err(e))) if e.kind == IngestErrorKind::Unsupported => {
            Err(format!("not readable by this build: {}", e.message))
        }
        Ok((_, Err(e))) => {
            failures.push(e.to_string());
            Err(format!("error: {}", e.message))
        }
        Ok((time, Ok((sbom, g)))) => {
            let components = sbom.component_count();
            if components != expected {
                failures.push(format!(
                    "{}: {components} components, expected {expected}",
                    file_name(path)
                ));
            }
            let (attribute, score) = match sbomrisk::data::Registry::embedded() {
                Ok(reg) => {
                    let at = sbomrisk::attribution::Attributor::new(&reg);
                    let (attribute, attributions) = self::time(runs, || at.attribute(&sbom));
                    let score = match sbomrisk::score::ScoringProfile::of_registry(&reg).ok() {
                        Some(ref profile) => {
                            let opts = sbomrisk::score::Options {
                                buyer: "CN".into(),
                                buyer_class: Default::default(),
                                profile,
                                scenarios: Vec::new(),
                                as_of: None,
                            };
                            self::time(runs, || {
                                sbomrisk::score::analyze(&reg, &sbom, &g, &attributions, &opts)
                                    .scores
                                    .political_exposure
                                    .value
                            })
                            .0
                        }
                        None => {
                            failures.push("embedded data: no scoring profile".into());
                            Duration::ZERO
                        }
                    };
                    (attribute, score)
                }
                Err(e) => {
                    failures.push(format!("embedded data: {e}"));
                    (Duration::ZERO, Duration::ZERO)
                }
            };
            Ok(Ingested {
                time,
                components,
                edges: g.document_edges,
                warnings: sbom.diagnostics.len() + g.diagnostics.len(),
                attribute,
                score,
            })
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reference crates

fn reference_crates(
    files: &BenchFiles,
    runs: usize,
    n: usize,
    table: &mut Table,
    failures: &mut Vec<String>,
) -> anyhow::Result<()> {
    // cyclonedx-bom 0.8.1 reads 1.3-1.5; show what it says about 1.6, then time it on 1.5.
    let bytes16 = std::fs::read(&files.cdx_json)?;
    let on16 = match cyclonedx_bom::prelude::Bom::parse_from_json(bytes16.as_slice()) {
        Ok(b) => format!("reads it ({} components)", cdx_bom_count(&b)),
        Err(e) => format!("cannot read it: {e}"),
    };
    println!(
        "  cyclonedx-bom 0.8.1 on {}: {on16}",
        file_name(&files.cdx_json)
    );

    let cases: [(&Path, &str); 2] = [
        (&files.cdx_json_15, "cyclonedx-bom 0.8.1"),
        (&files.spdx_json_22, "spdx-rs 0.5.5"),
    ];
    for (path, crate_name) in cases {
        let bytes = std::fs::read(path)?;
        let mb = format!("{:.1}", bytes.len() as f64 / 1e6);
        let base = ms(time(runs, || json_value(&bytes)).0);
        table.row(vec![
            file_name(path),
            mb.clone(),
            "serde_json::Value (baseline)".into(),
            format!("{base:.1}"),
            "1.00".into(),
        ]);
        let row = |reader: &str, t: Duration, count: Result<usize, String>| {
            let mut r = vec![String::new(), String::new(), reader.to_string()];
            match count {
                Ok(c) => r.extend([
                    format!("{:.1}", ms(t)),
                    format!("{:.2}", ms(t) / base),
                    c.to_string(),
                ]),
                Err(e) => r.push(e),
            }
            r
        };
        match measure_ingest(path, &bytes, runs, n, failures) {
            Ok(ing) => table.row(row("sbomrisk ingest+graph", ing.time, Ok(ing.components))),
            Err(e) => table.row(row("sbomrisk ingest+graph", Duration::ZERO, Err(e))),
        }
        let (t, count) = if crate_name.starts_with("cyclonedx") {
            time(runs, || {
                cyclonedx_bom::prelude::Bom::parse_from_json_v1_5(bytes.as_slice())
                    .map(|b| cdx_bom_count(&b))
                    .map_err(|e| e.to_string())
            })
        } else {
            time(runs, || {
                serde_json::from_slice::<spdx_rs::models::SPDX>(&bytes)
                    .map(|d| d.package_information.len().saturating_sub(1))
                    .map_err(|e| e.to_string())
            })
        };
        table.row(row(crate_name, t, count));
    }
    Ok(())
}

fn cdx_bom_count(b: &cyclonedx_bom::prelude::Bom) -> usize {
    b.components.as_ref().map_or(0, |c| c.0.len())
}

// ---------------------------------------------------------------------------------------------
// Child process for peak memory

struct ChildReport {
    peak_kb: u64,
    ms: f64,
}

/// Runs `xtask bench-child FILE MODE` and reads its one-line report.
fn child(path: &Path, mode: &str) -> Result<ChildReport, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .arg("bench-child")
        .arg(path)
        .arg(mode)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(text.trim())
        .map_err(|_| format!("child failed ({}): {}", out.status, text.trim()))?;
    if let Some(e) = v["error"].as_str() {
        return Err(e.to_string());
    }
    Ok(ChildReport {
        peak_kb: v["peak_kb"].as_u64().unwrap_or(0),
        ms: v["ms"].as_f64().unwrap_or(0.0),
    })
}

/// `xtask bench-child FILE [ingest|json-value|xml-scan]`: one run, then a JSON line with the
/// peak resident set size of this process.
pub fn run_child(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let [file, mode] = match args.as_slice() {
        [file] => [file.clone(), "ingest".to_string()],
        [file, mode] => [file.clone(), mode.clone()],
        _ => bail!("bench-child FILE [ingest|json-value|xml-scan|idle]"),
    };
    let path = Path::new(&file);
    let start = Instant::now();
    let mut report = serde_json::json!({"file": file, "mode": mode});
    match mode.as_str() {
        "ingest" => match ingest::ingest_path(path) {
            Ok(sbom) => {
                let g = sbomrisk::graph::build(&sbom);
                report["components"] = sbom.component_count().into();
                report["edges"] = g.document_edges.into();
                black_box((&sbom, &g));
            }
            Err(e) => report["error"] = e.to_string().into(),
        },
        "json-value" => {
            let bytes = std::fs::read(path)?;
            let v: serde_json::Value = serde_json::from_slice(&bytes)?;
            black_box(&v);
        }
        "xml-scan" => {
            let bytes = std::fs::read(path)?;
            report["events"] = xml_scan(&bytes).into();
        }
        "idle" => {}
        m if m.starts_with("portfolio-") => {
            // `portfolio-J`: the portfolio command on the directory FILE with J threads,
            // offline, through the same entry point as the binary.
            let jobs = m.trim_start_matches("portfolio-");
            let cache = path.join(".cache");
            let argv = [
                "sbomrisk",
                "portfolio",
                "--offline",
                "--as-of",
                "2026-11-25",
                "--jobs",
                jobs,
                "--format",
                "json",
                "-o",
                "/dev/null",
                "--cache-dir",
            ];
            let code = sbomrisk::cli::main_from(
                argv.iter()
                    .map(std::ffi::OsStr::new)
                    .chain([cache.as_os_str(), path.as_os_str()]),
            );
            if code != 0 {
                report["error"] = format!("portfolio exited {code}").into();
            }
        }
        other => bail!("bench-child: unknown mode {other}"),
    }
    report["ms"] = ms(start.elapsed()).into();
    report["peak_kb"] = peak_rss_kb().into();
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

/// Peak resident set size of this process in KiB (`VmHWM` of /proc/self/status; Linux only).
fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Portfolio

/// `n` SBOMs of `components` components each (CycloneDX JSON, one in five XML, one in five
/// SPDX JSON), each from its own seed; written once and reused.
fn portfolio_dir(root: &Path, n: usize, components: usize) -> anyhow::Result<PathBuf> {
    let dir = root.join(format!("portfolio-{n}x{components}"));
    let done = dir.join(".complete");
    if done.exists() {
        return Ok(dir);
    }
    std::fs::create_dir_all(dir.join(".cache"))?;
    for i in 0..n {
        let (format, ext) = match i % 5 {
            3 => (OutFormat::CdxXml, "cdx.xml"),
            4 => (OutFormat::SpdxJson, "spdx.json"),
            _ => (OutFormat::CdxJson, "cdx.json"),
        };
        let sub = dir.join(format!("line-{:02}", i % 20));
        std::fs::create_dir_all(&sub)?;
        // Product sizes vary around `components` (0.5x to 1.5x).
        let size = components / 2 + (i * 7919) % (components.max(1));
        gen_sbom::write_file(
            &sub.join(format!("product-{i:05}.{ext}")),
            format,
            size.max(1),
            1000 + i as u64,
        )?;
    }
    std::fs::write(&done, "")?;
    Ok(dir)
}

/// SBOMs per second with 1 and 2 threads, the speed-up, and peak memory at two portfolio
/// sizes (bounded memory: the peak must not grow with the count).
fn portfolio(
    root: &Path,
    n: usize,
    components: usize,
    failures: &mut Vec<String>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let big = portfolio_dir(root, n, components)?;
    let small_n = (n / 10).max(1);
    let small = portfolio_dir(root, small_n, components)?;
    println!(
        "\nPortfolio: {n} SBOMs of about {components} components (0.5x-1.5x; 3/5 CycloneDX JSON, 1/5 XML, 1/5 SPDX JSON), offline with an empty cache (opened by the first run, then known empty and not opened), one child process per run (files ready in {:.1} s):",
        started.elapsed().as_secs_f64()
    );
    let mut table = Table::new(&[
        "SBOMs",
        "threads",
        "s",
        "SBOMs/s",
        "speed-up",
        "peak RSS MB",
    ]);
    let mut one = None;
    let mut peaks = Vec::new();
    for (dir, count, jobs) in [(&big, n, 1), (&big, n, 2), (&small, small_n, 2)] {
        match child(dir, &format!("portfolio-{jobs}")) {
            Ok(r) => {
                let secs = r.ms / 1e3;
                let rate = count as f64 / secs.max(1e-9);
                if count == n && jobs == 1 {
                    one = Some(rate);
                }
                let speedup = match (count == n && jobs == 2, one) {
                    (true, Some(base)) => format!("{:.2}x (goal >= 1.70x)", rate / base),
                    _ => String::new(),
                };
                if jobs == 2 {
                    peaks.push((count, r.peak_kb));
                }
                table.row(vec![
                    count.to_string(),
                    jobs.to_string(),
                    format!("{secs:.1}"),
                    format!("{rate:.1}"),
                    speedup,
                    format!("{:.1}", r.peak_kb as f64 / 1024.0),
                ]);
                if r.peak_kb > 1024 * 1024 {
                    failures.push(format!(
                        "portfolio of {count}: peak memory {} MB > 1 GB",
                        r.peak_kb / 1024
                    ));
                }
            }
            Err(e) => {
                failures.push(format!("portfolio of {count} with {jobs} thread(s): {e}"));
                table.row(vec![count.to_string(), jobs.to_string(), e]);
            }
        }
    }
    table.print();
    if let [(a, pa), (b, pb)] = peaks.as_slice() {
        println!(
            "  peak memory {:.1} MB at {a} SBOMs and {:.1} MB at {b} SBOMs: ratio {:.2} for {:.0}x the SBOMs",
            *pa as f64 / 1024.0,
            *pb as f64 / 1024.0,
            *pa as f64 / (*pb).max(1) as f64,
            *a as f64 / (*b).max(1) as f64
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Peer tools

/// A tool run as a whole process on one file.
struct Peer {
    name: &'static str,
    program: String,
    args_before: Vec<String>,
    args_after: Vec<String>,
    /// Reads the component count from the tool's standard output, to show it parsed the file.
    count: fn(&str) -> Option<usize>,
}

impl Peer {
    fn command(&self, file: &Path) -> Command {
        let mut c = Command::new(&self.program);
        c.args(&self.args_before).arg(file).args(&self.args_after);
        c.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }
}

fn count_ours(out: &str) -> Option<usize> {
    let v: serde_json::Value = serde_json::from_str(out).ok()?;
    v["components"].as_u64().map(|c| c as usize)
}

/// `Components:  1001` in `sbom-tools view -o summary` (it counts the product too).
fn count_sbom_tools(out: &str) -> Option<usize> {
    out.lines()
        .find_map(|l| l.trim().strip_prefix("Components:"))
        .and_then(|n| n.trim().parse().ok())
}

/// The first number our lib4sbom script prints: packages, the product included for SPDX.
fn count_lib4sbom(out: &str) -> Option<usize> {
    out.split_whitespace().next()?.parse().ok()
}

/// Median wall time of `runs` runs and the component count the tool printed, or what went
/// wrong.
fn time_process(
    peer: &Peer,
    file: &Path,
    runs: usize,
) -> Result<(Duration, Option<usize>), String> {
    let mut times = Vec::new();
    let mut count = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = peer.command(file).output().map_err(|e| e.to_string())?;
        let t = start.elapsed();
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            return Err(format!("{}: {}", out.status, first.trim()));
        }
        times.push(t);
        count = (peer.count)(&String::from_utf8_lossy(&out.stdout));
    }
    times.sort();
    Ok((times[times.len() / 2], count))
}

fn peers(files: &BenchFiles, runs: usize) -> anyhow::Result<()> {
    let ours = our_binary()?;
    let mut list = vec![Peer {
        name: "sbomrisk inspect --format json",
        program: ours.display().to_string(),
        args_before: vec!["inspect".into()],
        args_after: vec!["--format".into(), "json".into()],
        count: count_ours,
    }];
    if installed("sbom-tools", &["--version"]) {
        // Its closest match to `inspect`: parse, then a short summary on stdout.
        list.push(Peer {
            name: "sbom-tools view -o summary",
            program: "sbom-tools".into(),
            args_before: vec!["view".into(), "-o".into(), "summary".into()],
            args_after: vec![],
            count: count_sbom_tools,
        });
    } else {
        println!("  sbom-tools: not installed (cargo install sbom-tools)");
    }
    if installed("python3", &["-c", "import lib4sbom"]) {
        list.push(Peer {
            name: "lib4sbom (python) SBOMParser",
            program: "python3".into(),
            args_before: vec!["-c".into(), LIB4SBOM.into()],
            args_after: vec![],
            count: count_lib4sbom,
        });
    } else {
        println!("  lib4sbom: not installed (pip install lib4sbom)");
    }
    let mut table = Table::new(&["file", "tool", "ms", "ratio", "components"]);
    for (path, _) in files.main() {
        let mut base = None;
        for (i, peer) in list.iter().enumerate() {
            let mut row = vec![
                if i == 0 {
                    file_name(path)
                } else {
                    String::new()
                },
                peer.name.to_string(),
            ];
            match time_process(peer, path, runs) {
                Ok((t, count)) => {
                    if i == 0 {
                        base = Some(t);
                    }
                    row.push(format!("{:.0}", ms(t)));
                    row.push(match base {
                        Some(b) => format!("{:.2}", ms(t) / ms(b)),
                        None => "-".into(),
                    });
                    row.push(count.map_or("?".into(), |c| c.to_string()));
                }
                Err(e) => row.push(e),
            }
            table.row(row);
        }
    }
    table.print();
    Ok(())
}

/// Parses a file with lib4sbom as its own documentation shows, and prints the package count.
const LIB4SBOM: &str = "import sys\n\
from lib4sbom.parser import SBOMParser\n\
p = SBOMParser()\n\
p.parse_file(sys.argv[1])\n\
print(len(p.get_packages()), len(p.get_relationships()))\n";

fn installed(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Builds `target/release/sbomrisk` (cheap: the library is already built for this xtask); the
/// bench and the mutation campaign run it.
pub(crate) fn our_binary() -> anyhow::Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(project_root())
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "sbomrisk",
            "--bin",
            "sbomrisk",
        ])
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("cargo build --release --bin sbomrisk failed");
    }
    Ok(project_root()
        .join("target")
        .join("release")
        .join(format!("sbomrisk{}", std::env::consts::EXE_SUFFIX)))
}

// ---------------------------------------------------------------------------------------------
// Output

/// A plain text table: columns padded to their widest cell.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    pub fn render(&self) -> String {
        let cols = self.header.len();
        let mut width = vec![0; cols];
        for r in std::iter::once(&self.header).chain(&self.rows) {
            // The last cell of a short row may overflow (an error message): don't widen for it.
            for (i, c) in r.iter().enumerate().take(cols) {
                if i + 1 < r.len() || r.len() == cols {
                    width[i] = width[i].max(c.chars().count());
                }
            }
        }
        let mut out = String::new();
        for r in std::iter::once(&self.header).chain(&self.rows) {
            let mut line = String::from("  ");
            for (i, c) in r.iter().enumerate() {
                let w = width.get(i).copied().unwrap_or(0);
                line.push_str(c);
                if i + 1 < r.len() {
                    line.push_str(&" ".repeat(w.saturating_sub(c.chars().count()) + 2));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    pub fn print(&self) {
        print!("{}", self.render());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_pads_columns() {
        let mut t = Table::new(&["a", "bb"]);
        t.row(vec!["xxx".into(), "y".into()]);
        assert_eq!(t.render(), "  a    bb\n  xxx  y\n");
    }

    #[test]
    fn median_of_runs() {
        let mut calls = 0;
        let (_, out) = time(3, || {
            calls += 1;
            calls
        });
        assert_eq!(out, 4, "one warm-up call, then three timed");
    }

    #[test]
    fn baselines_count_something() {
        assert_eq!(json_value(br#"{"a":1,"b":[2]}"#), 2);
        assert_eq!(xml_scan(b"<a><b/>t</a>"), 4);
    }

    #[test]
    fn peak_rss_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_rss_kb() > 0);
        }
    }
}
