//! CLI behaviour of `analyze`, offline, with a scratch cache and a fixed evaluation date.

use assert_cmd::Command;
use serde_json::Value;

const ROUTER: &str = "sboms/home-router-openwrt.cdx.json";
const SWITCH: &str = "sboms/enterprise-switch-sonic.cdx.xml";

fn run(args: &[&str]) -> (i32, String, String) {
    let cache = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("sbomrisk")
        .expect("binary built")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CACHE_HOME", cache.path())
        .arg("analyze")
        .args(["--offline", "--as-of", "2026-11-25"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn json_report_has_the_contract_fields() {
    let r = json(&[ROUTER]);
    assert_eq!(r["schema"], "sbomrisk/report/v2");
    assert_eq!(r["buyer"], "CN");
    assert_eq!(r["as_of"], "2026-11-25");
    assert_eq!(r["tool"]["name"], "sbomrisk");
    assert!(r["data_version"].as_str().is_some_and(|v| v.len() == 16));
    assert_eq!(r["document"]["components"], 52);
    for k in [
        "origin_diversity",
        "single_vendor_reliance",
        "political_exposure",
        "continuity",
        "transparency",
    ] {
        let v = r["scores"][k]["value"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&v), "{k} = {v}");
        assert!(r["scores"][k]["direction"]
            .as_str()
            .unwrap()
            .contains("100"));
    }
    assert!(["low", "medium", "high", "critical"].contains(&r["rating"].as_str().unwrap()));
    let findings = r["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert!(f["id"].as_str().unwrap().starts_with("SR-"));
        assert!(["10(2)", "10(3)"].contains(&f["factor"]["article"].as_str().unwrap()));
        assert!(["info", "low", "medium", "high", "critical"]
            .contains(&f["severity"].as_str().unwrap()));
        assert!(f["title"].is_string() && f["mitigation"].is_string());
        assert!(f["components"].is_array() && f["evidence"].is_array());
    }
    // Every origin country has its pair card, with all rows.
    for c in r["countries"].as_array().unwrap() {
        if !c["country"].is_null() {
            assert_eq!(c["card"]["rows"].as_array().unwrap().len(), 8, "{c}");
        }
    }
    // Per-component weights and contributions add up to the exposure score.
    let comps = r["components"].as_array().unwrap();
    assert_eq!(comps.len(), 52);
    let sum: f64 = comps
        .iter()
        .map(|c| c["contribution"].as_f64().unwrap())
        .sum();
    let exposure = r["scores"]["political_exposure"]["value"].as_f64().unwrap();
    assert!((100.0 * sum - exposure).abs() < 0.5, "{sum} vs {exposure}");
    assert!(r["scenarios"][0]["affected_components"].is_array());
}

#[test]
fn scenarios_on_request() {
    let r = json(&[
        "--scenario",
        "embargo:US",
        "--scenario",
        "vendor:broadcom",
        SWITCH,
    ]);
    let s = r["scenarios"].as_array().unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s[0]["name"], "embargo:US");
    assert_eq!(s[1]["name"], "vendor:broadcom");
    // Most of the US supply of an open-source switch OS is published source: degraded, not lost.
    let lost = s[0]["product_share_lost"].as_f64().unwrap();
    let degraded = s[0]["product_share_degraded"].as_f64().unwrap();
    let impact = s[0]["impact"].as_f64().unwrap();
    assert!(lost + degraded > 0.5, "{lost} {degraded}");
    assert!(impact >= lost && impact <= lost + degraded, "{impact}");
    let removed = s[1]["removed_components"].as_array().unwrap().len();
    let affected = s[1]["affected_components"].as_array().unwrap().len();
    assert!(removed >= 1 && affected >= removed);
}

#[test]
fn the_buyer_decides_which_measures_count() {
    let cn = json(&["--buyer", "CN", ROUTER]);
    let us = json(&["--buyer", "us", ROUTER]);
    assert_eq!(us["buyer"], "US");
    let exposure = |r: &Value| r["scores"]["political_exposure"]["value"].as_f64().unwrap();
    // Mostly US-stewarded open source: exposed for a CN buyer, far less for a US one.
    assert!(
        exposure(&cn) > exposure(&us) + 10.0,
        "{} vs {}",
        exposure(&cn),
        exposure(&us)
    );
}

#[test]
fn several_files_are_an_array_in_input_order_and_one_bad_file_does_not_stop_them() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.cdx.json");
    std::fs::write(&bad, "{\"bomFormat\": \"CycloneDX\", \"components\": [").unwrap();
    let bad = bad.display().to_string();
    let (code, out, err) = run(&["--format", "json", ROUTER, &bad, SWITCH]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.cdx.json"), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let a = v.as_array().unwrap();
    assert_eq!(a.len(), 3);
    assert_eq!(a[0]["file"], ROUTER);
    assert!(a[1]["error"].is_string());
    assert_eq!(a[2]["file"], SWITCH);
}

#[test]
fn bad_options_exit_2_with_a_clear_message() {
    let (code, _, err) = run(&["--buyer", "XX", ROUTER]);
    assert_eq!(code, 2);
    assert!(err.contains("--buyer 'XX'"), "{err}");
    let (code, _, err) = run(&["--scenario", "cut:US", ROUTER]);
    assert_eq!(code, 2);
    assert!(
        err.contains("expected embargo:CC, disruption:CC or vendor:ID"),
        "{err}"
    );
    let (code, _, err) = run(&["--as-of", "yesterday", ROUTER]);
    assert_eq!(code, 2);
    assert!(err.contains("--as-of"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w.toml");
    let shipped = include_str!("../data/weights/scoring.toml");
    std::fs::write(
        &w,
        shipped.replace("[reliance]", "[reliance]\nsurprise = 1"),
    )
    .unwrap();
    let (code, _, err) = run(&["--weights", w.to_str().unwrap(), ROUTER]);
    assert_eq!(code, 2);
    assert!(err.contains("w.toml") && err.contains("surprise"), "{err}");
}

#[test]
fn weights_file_changes_the_scores() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w.toml");
    let shipped = include_str!("../data/weights/scoring.toml");
    std::fs::write(
        &w,
        shipped
            .replace("profile = \"default\"", "profile = \"strict\"")
            .replace("unknown_country = 0.3", "unknown_country = 1.0"),
    )
    .unwrap();
    let base = json(&[ROUTER]);
    let strict = json(&["--weights", w.to_str().unwrap(), ROUTER]);
    assert_eq!(strict["profile"]["name"], "strict");
    assert_ne!(strict["profile"]["digest"], base["profile"]["digest"]);
    let x = |r: &Value| r["scores"]["political_exposure"]["value"].as_f64().unwrap();
    assert!(x(&strict) > x(&base));
}

#[test]
fn text_summary() {
    let (code, out, _) = run(&[ROUTER]);
    assert_eq!(code, 0);
    // Versions and digests change with every data edit; the rest is the snapshot.
    let out: Vec<String> = out
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("sbomrisk ") {
                "  [versions]".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    insta::assert_snapshot!(out.join("\n"));
}

/// The small product: a proprietary Broadcom Wi-Fi firmware, two Debian libraries, a
/// Micron DRAM part, an Apache-2.0 library under github.com/Micron and an MIT library of unknown
/// origin, for a CN buyer (docs/scoring.md, "Supply kinds", "Unknown origin", "Who a measure
/// binds and what it covers").
const KINDS: &str = "tests/fixtures/supply-kinds.cdx.json";

fn finding<'v>(r: &'v Value, id: &str) -> Vec<&'v Value> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .collect()
}

#[test]
fn a_cut_removes_proprietary_supply_and_degrades_published_source() {
    let r = json(&["--buyer", "CN", "--scenario", "embargo:US", KINDS]);
    assert_eq!(r["buyer_class"], "ciio");
    let s = &r["scenarios"][0];
    assert_eq!(
        s["removed_components"],
        serde_json::json!(["wifi-fw", "dram"])
    );
    assert_eq!(
        s["degraded_components"],
        serde_json::json!(["libc6", "zlib1g", "micron-lib"])
    );
    // The MIT library of unknown origin may be lost: it is listed, and in the bounds.
    assert_eq!(s["unknown_components"], serde_json::json!(["mystery"]));
    let b = &r["scores"]["political_exposure"]["bounds"];
    assert!(b["best"].as_f64().unwrap() < b["worst"].as_f64().unwrap() + 1e-9);
    assert!(r["scores"]["continuity"]["bounds"].is_object());
}

#[test]
fn a_measure_counts_for_whom_it_binds_and_what_it_covers() {
    // CIIO buyer: the CAC's Micron conclusion is critical for the DRAM part only; the
    // Apache-2.0 library under github.com/Micron is published source, which it does not reach.
    let r = json(&["--buyer", "CN", KINDS]);
    let f = finding(&r, "SR-VENDOR-MEASURE");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["severity"], "critical");
    assert_eq!(f[0]["components"], serde_json::json!(["dram"]));
    let lib = r["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ref"] == "micron-lib")
        .unwrap();
    assert!(lib["exposure"].as_f64().unwrap() < 1.0, "{lib}");
    // A private buyer is not bound by it: no critical Micron finding remains.
    let r = json(&["--buyer", "CN", "--buyer-class", "private", KINDS]);
    assert!(finding(&r, "SR-VENDOR-MEASURE")
        .iter()
        .all(|f| f["severity"] == "info"));
    assert_eq!(r["buyer_class"], "private");
    // A US buyer of class private: a published Tencent Cloud SDK library raises no critical
    // finding (the DoD 1260H list binds defence contracting, and not published source).
    let r = json(&[
        "--buyer",
        "US",
        "--buyer-class",
        "private",
        "tests/fixtures/tencent-sdk.cdx.json",
    ]);
    assert!(r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["severity"] != "critical"));
    assert_ne!(r["rating"], "critical");
    // An unknown class is refused.
    let (code, _, err) = run(&["--buyer-class", "nobody", KINDS]);
    assert_eq!(code, 2);
    assert!(err.contains("buyer-class"), "{err}");
}

/// A reader that goes away early (`| head -c 100`) ends the run quietly (exit 0, nothing on
/// stderr), in every streamed format, and an -o file is only replaced by a finished report.
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let cache = tempfile::tempdir().unwrap();
    let files: Vec<&str> = std::iter::repeat_n(SWITCH, 40).collect();
    for format in ["json", "text", "csv", "markdown"] {
        let mut child = Std::new(env!("CARGO_BIN_EXE_sbomrisk"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("XDG_CACHE_HOME", cache.path())
            .args([
                "analyze",
                "--offline",
                "--as-of",
                "2026-11-25",
                "--format",
                format,
            ])
            .args(&files)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The read end is closed here; the writer's next write fails with EPIPE.
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("error"), "{format}: {err}");
    }
}

/// Reports are written as they are produced: a batch's JSON is the array of what each file
/// gives alone, element by element.
#[test]
fn a_batch_is_the_array_of_single_reports() {
    let batch = json(&[ROUTER, SWITCH]);
    assert_eq!(batch[0], json(&[ROUTER]));
    assert_eq!(batch[1], json(&[SWITCH]));
}
