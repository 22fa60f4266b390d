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
