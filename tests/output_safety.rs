//! What `-o` does to files under hostile conditions: a run killed while it reads leaves the old
//! output whole, and a FIFO given as the output is written in place, never replaced.
#![cfg(unix)]

use std::io::{Read, Write};
use std::os::unix::fs::FileTypeExt;
use std::process::{Command, Stdio};

fn mkfifo(path: &std::path::Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

fn sbomrisk() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sbomrisk"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SBOMRISK_CACHE_DIR", "/nonexistent/sbomrisk-test-cache")
        .args([
            "--no-config",
            "analyze",
            "--offline",
            "--as-of",
            "2026-11-25",
        ]);
    c
}

#[test]
fn a_run_killed_midway_leaves_the_old_output_whole() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in.cdx.json");
    mkfifo(&input);
    let out = d.path().join("report.json");
    std::fs::write(&out, "the old report").unwrap();
    let mut child = sbomrisk()
        .arg("-o")
        .arg(&out)
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Half a document, then the run is killed while it waits for the rest.
    let mut w = std::fs::OpenOptions::new()
        .write(true)
        .open(&input)
        .unwrap();
    w.write_all(br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"name":"a"#)
        .unwrap();
    w.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    child.kill().unwrap();
    child.wait().unwrap();
    drop(w);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "the old report");
}

#[test]
fn a_fifo_output_is_written_in_place() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("out.fifo");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            std::fs::File::open(&fifo)
                .unwrap()
                .read_to_string(&mut s)
                .unwrap();
            s
        })
    };
    let status = sbomrisk()
        .args(["--format", "json", "-o"])
        .arg(&fifo)
        .arg("sboms/iot-gateway.cdx.json")
        .status()
        .unwrap();
    assert!(status.success());
    let report: serde_json::Value = serde_json::from_str(&reader.join().unwrap()).unwrap();
    assert_eq!(report["schema"], "sbomrisk/report/v2");
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "the FIFO was replaced");
    // Nothing else was left beside it.
    let names: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

/// The temporary files beside `dir`'s targets.
fn temps_in(dir: &std::path::Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with(".sbomrisk-"))
        .collect()
}

#[test]
fn a_run_ended_by_a_signal_leaves_no_temporary_file() {
    for signal in ["TERM", "INT", "HUP"] {
        let d = tempfile::tempdir().unwrap();
        let input = d.path().join("in.cdx.json");
        mkfifo(&input);
        let out = d.path().join("report.json");
        std::fs::write(&out, "the old report").unwrap();
        let mut child = sbomrisk()
            .arg("-o")
            .arg(&out)
            .arg(&input)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut w = std::fs::OpenOptions::new()
            .write(true)
            .open(&input)
            .unwrap();
        w.write_all(br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"name":"a"#)
            .unwrap();
        w.flush().unwrap();
        // The temporary file exists once the run has opened its output.
        let start = std::time::Instant::now();
        while temps_in(d.path()).is_empty() && start.elapsed().as_secs() < 20 {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(
            temps_in(d.path()).len(),
            1,
            "SIG{signal}: no temporary file seen"
        );
        let ok = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let status = child.wait().unwrap();
        drop(w);
        assert!(!status.success(), "SIG{signal}: {status:?}");
        assert!(
            temps_in(d.path()).is_empty(),
            "SIG{signal}: a temporary file was left"
        );
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "the old report");
    }
}

#[test]
fn no_file_the_run_reads_is_replaced() {
    let d = tempfile::tempdir().unwrap();
    let sbom = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sboms/iot-gateway.cdx.json");
    let policy = d.path().join("policy.toml");
    std::fs::write(&policy, "[policy]\nmax_political_exposure = 100\n").unwrap();
    let config = d.path().join("sbomrisk.toml");
    std::fs::write(&config, "offline = true\n").unwrap();
    let weights = d.path().join("weights.toml");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/weights/scoring.toml"),
        &weights,
    )
    .unwrap();
    for (flag, path) in [("--policy", &policy), ("--weights", &weights)] {
        let before = std::fs::read(path).unwrap();
        let o = sbomrisk()
            .args([flag])
            .arg(path)
            .arg("-o")
            .arg(path)
            .arg(&sbom)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{flag}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("would overwrite the input"), "{flag}: {err}");
        assert_eq!(std::fs::read(path).unwrap(), before, "{flag}");
    }
    // The configuration file, found or given.
    let o = Command::new(env!("CARGO_BIN_EXE_sbomrisk"))
        .current_dir(d.path())
        .args(["analyze", "-o", "sbomrisk.toml"])
        .arg(&sbom)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        "offline = true\n"
    );
    // An SBOM named by a portfolio manifest.
    let listed = d.path().join("x.cdx.json");
    std::fs::copy(&sbom, &listed).unwrap();
    let manifest = d.path().join("list.tsv");
    std::fs::write(&manifest, "x.cdx.json\tX\n").unwrap();
    let before = std::fs::read(&listed).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_sbomrisk"))
        .args(["--no-config", "portfolio", "--offline", "-o"])
        .arg(&listed)
        .arg(&manifest)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(std::fs::read(&listed).unwrap(), before);
}

#[test]
fn a_run_that_reads_no_input_leaves_the_old_output_whole() {
    let d = tempfile::tempdir().unwrap();
    let broken = d.path().join("broken.cdx.json");
    std::fs::write(&broken, "{\"bomFormat\": \"CycloneDX\", ").unwrap();
    let out = d.path().join("report.txt");
    std::fs::write(&out, "OLD").unwrap();
    for format in ["text", "json"] {
        let o = sbomrisk()
            .args(["--format", format, "-o"])
            .arg(&out)
            .arg(&broken)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "OLD", "{format}");
    }
    assert!(temps_in(d.path()).is_empty());
}

#[test]
fn a_link_planted_at_the_output_is_replaced_even_to_a_fifo() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("victim.fifo");
    mkfifo(&fifo);
    let link = d.path().join("out.json");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    // Nobody reads the FIFO: following the link would block.
    let o = sbomrisk()
        .args(["--format", "json", "-o"])
        .arg(&link)
        .arg("sboms/iot-gateway.cdx.json")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_file());
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
}

#[test]
fn a_portfolio_reads_a_fifo_once() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("in.fifo");
    mkfifo(&fifo);
    let sbom = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sboms/iot-gateway.cdx.json");
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let bytes = std::fs::read(sbom).unwrap();
            let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
            let _ = w.write_all(&bytes);
        })
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_sbomrisk"))
        .args(["--no-config", "portfolio", "--offline", "--format", "json"])
        .arg(&fifo)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Bounded: it used to open the FIFO twice and wait for ever.
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed().as_secs() > 30 {
            child.kill().unwrap();
            panic!("portfolio of a FIFO did not end");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    writer.join().unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["products"].as_array().map(Vec::len), Some(1), "{v}");
}

#[test]
fn a_corrupt_cache_is_reported_once_per_run() {
    for cmd in ["analyze", "portfolio"] {
        let d = tempfile::tempdir().unwrap();
        // A package the data cannot place: the run asks the cache.
        let sbom = d.path().join("unknown.cdx.json");
        std::fs::write(
            &sbom,
            r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
                {"type":"library","name":"zz-unknown-1","version":"1.0.0",
                 "purl":"pkg:npm/zz-unknown-1@1.0.0"}]}"#,
        )
        .unwrap();
        let cache = d.path().join("cache");
        let seed = d.path().join("seed.jsonl");
        std::fs::write(
            &seed,
            "{\"key\":\"k\",\"source\":\"ecosystems\",\"fetched_at\":1700000000,\"status\":200,\"url\":\"u\",\"body\":\"{}\"}\n",
        )
        .unwrap();
        let ok = Command::new(env!("CARGO_BIN_EXE_sbomrisk"))
            .args(["--no-config", "cache", "import"])
            .arg(&seed)
            .arg("--cache-dir")
            .arg(&cache)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        // sled's configuration damaged: opening fails, and the cache is moved aside.
        let conf = cache.join("conf");
        let mut b = std::fs::read(&conf).unwrap();
        for (i, x) in b.iter_mut().enumerate() {
            if i % 7 == 3 {
                *x ^= 0x5a;
            }
        }
        std::fs::write(&conf, b).unwrap();
        let mut c = Command::new(env!("CARGO_BIN_EXE_sbomrisk"));
        c.args(["--no-config", cmd, "--offline", "--cache-dir"])
            .arg(&cache);
        if cmd == "analyze" {
            c.arg(&sbom).arg(&sbom).arg(&sbom);
        } else {
            c.arg(&sbom);
        }
        let o = c.output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.matches("moved to").count(), 1, "{cmd}: {err}");
    }
}
