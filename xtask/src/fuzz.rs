//! `cargo xtask fuzz-seed` and `cargo xtask fuzz`: seed and run the cargo-fuzz targets in
//! `fuzz/`.
//!
//! Seeds are copied from the shared corpus into `fuzz/corpus/<target>/`, which is gitignored:
//! corpus files are never committed. cargo-fuzz needs nightly compiler flags; with a nightly
//! toolchain installed it is used (`cargo +nightly fuzz`), otherwise the stable compiler is
//! told to accept them with `RUSTC_BOOTSTRAP=1`.

use crate::flags::Flags;
use crate::project_root;
use anyhow::{bail, Context};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

/// Every fuzz target, and the manifest formats whose files seed it.
pub const TARGETS: &[(&str, &[&str])] = &[
    ("ingest_any", &[]), // every file
    ("cdx_json", &["cyclonedx-json", "invalid(cyclonedx-json)"]),
    ("cdx_xml", &["cyclonedx-xml", "invalid(cyclonedx-xml)"]),
    ("spdx_json", &["spdx-json", "invalid(spdx-json)"]),
    ("spdx_tag_value", &["spdx-tv"]),
    ("spdx_rdf", &["spdx-rdf", "invalid(spdx-rdf)"]),
    ("spdx_xml", &["spdx-xml"]),
    ("spdx_yaml", &["spdx-yaml"]),
    ("spdx3", &["spdx3"]),
    // purl and CPE strings: seeded with the identifiers of the corpus components, not files.
    ("identifiers", &[IDENTIFIERS]),
    // portfolio manifests (`path<TAB>product<TAB>tags` lines): no corpus file is one, so no
    // seeds (a format no file has); libFuzzer starts from nothing.
    ("manifest", &["(portfolio manifest)"]),
    // the cache's snapshot (`sbomrisk.snapshot`): no corpus file is one either.
    ("cache_snapshot", &["(cache snapshot)"]),
];

/// The pseudo-format of the `identifiers` target's seeds.
const IDENTIFIERS: &str = "purls and CPEs";

/// At most this many identifier seeds.
const MAX_IDENTIFIERS: usize = 5000;

/// Writes the distinct purls and CPEs of the corpus components, one per seed file.
fn seed_identifiers(
    dir: &std::path::Path,
    manifest: &str,
    path_col: usize,
    out: &std::path::Path,
) -> anyhow::Result<usize> {
    std::fs::create_dir_all(out)?;
    let mut seen = std::collections::BTreeSet::new();
    for line in manifest.lines().skip(1) {
        let Some(path) = line.split('\t').nth(path_col) else {
            continue;
        };
        let Ok(sbom) = sbomrisk::ingest::ingest_path(&dir.join(path)) else {
            continue;
        };
        for c in &sbom.components {
            for id in c.purl.iter().chain(&c.cpes) {
                if seen.len() < MAX_IDENTIFIERS {
                    seen.insert(id.clone());
                }
            }
        }
    }
    for (i, id) in seen.iter().enumerate() {
        std::fs::write(out.join(format!("id-{i:05}")), id)?;
    }
    Ok(seen.len())
}

pub fn run_seed(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let mut f = Flags::new("fuzz-seed", args);
    let dir = f
        .value("corpus")?
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("..").join("shared").join("corpus"));
    let max_bytes: u64 = f.parsed("max-bytes", 128 * 1024)?;
    f.finish_empty()?;
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv"))
        .with_context(|| format!("reading {}/MANIFEST.tsv", dir.display()))?;
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(path_col), Some(format_col)) = (col("path"), col("format")) else {
        bail!("MANIFEST.tsv needs 'path' and 'format' columns");
    };
    let out_root = project_root().join("fuzz").join("corpus");
    let mut copied = vec![0usize; TARGETS.len()];
    let mut skipped = 0;
    for line in lines {
        let cells: Vec<&str> = line.split('\t').collect();
        let (Some(path), Some(format)) = (cells.get(path_col), cells.get(format_col)) else {
            continue;
        };
        let src = dir.join(path);
        let Ok(meta) = std::fs::metadata(&src) else {
            continue;
        };
        if meta.len() > max_bytes {
            skipped += 1;
            continue;
        }
        // Flat names: the relative path with '/' replaced, so seeds stay recognisable.
        let name = path.replace('/', "__");
        for (i, (target, formats)) in TARGETS.iter().enumerate() {
            if formats.is_empty() || formats.contains(format) {
                let dst_dir = out_root.join(target);
                std::fs::create_dir_all(&dst_dir)?;
                std::fs::copy(&src, dst_dir.join(&name))
                    .with_context(|| format!("copying {}", src.display()))?;
                copied[i] += 1;
            }
        }
    }
    let ids = seed_identifiers(&dir, &manifest, path_col, &out_root.join("identifiers"))?;
    if let Some(i) = TARGETS.iter().position(|(_, f)| f.contains(&IDENTIFIERS)) {
        copied[i] = ids;
    }
    for ((target, _), n) in TARGETS.iter().zip(&copied) {
        println!("  {target:<16} {n} seed files");
    }
    println!(
        "seeded {} ({skipped} files over {max_bytes} bytes left out)",
        out_root.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let mut f = Flags::new("fuzz", args);
    let seconds: u64 = f.parsed("seconds", 60)?;
    let jobs: u64 = f.parsed("jobs", 1)?;
    let mut targets = f.finish()?;
    if targets.is_empty() {
        targets = TARGETS.iter().map(|(t, _)| t.to_string()).collect();
    }
    for t in &targets {
        if !TARGETS.iter().any(|(name, _)| name == t) {
            bail!(
                "fuzz: unknown target '{t}'; targets: {}",
                TARGETS.iter().map(|t| t.0).collect::<Vec<_>>().join(", ")
            );
        }
    }
    if !succeeds(Command::new("cargo").args(["fuzz", "--version"])) {
        bail!("cargo-fuzz is not installed: cargo install cargo-fuzz");
    }
    let nightly = succeeds(Command::new("rustup").args(["run", "nightly", "rustc", "--version"]));
    let fuzz_dir = project_root().join("fuzz");
    let mut failed = Vec::new();
    for t in &targets {
        let corpus = fuzz_dir.join("corpus").join(t);
        std::fs::create_dir_all(&corpus)?;
        println!("== fuzz {t} for {seconds} s ({})", corpus.display());
        let mut cmd = Command::new("cargo");
        if nightly {
            cmd.arg("+nightly");
        } else {
            cmd.env("RUSTC_BOOTSTRAP", "1");
        }
        cmd.current_dir(project_root())
            .args(["fuzz", "run", "--fuzz-dir"])
            .arg(&fuzz_dir)
            .arg(t)
            .arg(&corpus)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg("-rss_limit_mb=4096")
            .arg("-timeout=20");
        if jobs > 1 {
            // libFuzzer then writes fuzz-N.log files into the current directory: keep them
            // under fuzz/ (gitignored).
            cmd.current_dir(&fuzz_dir)
                .arg(format!("-jobs={jobs}"))
                .arg(format!("-workers={jobs}"));
        }
        let status = cmd.status().context("running cargo fuzz")?;
        if !status.success() {
            failed.push(t.clone());
            println!("== {t}: FAILED ({status}); crash inputs are in fuzz/artifacts/{t}/");
        }
    }
    if failed.is_empty() {
        println!("fuzz: {} target(s) ran without a crash", targets.len());
        Ok(ExitCode::SUCCESS)
    } else {
        println!("fuzz: crashes in {}", failed.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

fn succeeds(cmd: &mut Command) -> bool {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The source file of a target in `fuzz/fuzz_targets/`.
#[cfg(test)]
fn target_source(target: &str) -> PathBuf {
    project_root()
        .join("fuzz")
        .join("fuzz_targets")
        .join(format!("{target}.rs"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_has_a_source_and_a_bin_entry() {
        let manifest =
            std::fs::read_to_string(project_root().join("fuzz").join("Cargo.toml")).unwrap();
        for (t, _) in TARGETS {
            assert!(
                target_source(t).exists(),
                "fuzz/fuzz_targets/{t}.rs missing"
            );
            assert!(
                manifest.contains(&format!("name = \"{t}\"")),
                "fuzz/Cargo.toml has no [[bin]] {t}"
            );
        }
    }
}
