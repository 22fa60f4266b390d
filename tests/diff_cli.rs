//! CLI behaviour of `diff`, offline, with a scratch cache and a fixed evaluation date. The new
//! version (tests/fixtures/router-v2.cdx.json) is the example router with openssl upgraded,
//! ppp removed, dnsmasq's ref regenerated and a Huawei Wi-Fi firmware blob added.

use assert_cmd::Command;
use serde_json::Value;

const OLD: &str = "sboms/home-router-openwrt.cdx.json";
const NEW: &str = "tests/fixtures/router-v2.cdx.json";

fn run(args: &[&str]) -> (i32, String, String) {
    let cache = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("sbomrisk")
        .expect("binary built")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CACHE_HOME", cache.path())
        .arg("diff")
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
fn components_are_matched_by_identity_not_ref() {
    let d = json(&["--buyer", "US", OLD, NEW]);
    assert_eq!(d["schema"], "sbomrisk/diff/v2");
    let refs = |k: &str| -> Vec<String> {
        d[k].as_array()
            .unwrap()
            .iter()
            .map(|e| e["ref"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(refs("added"), ["hi-wifi-fw"]);
    assert_eq!(refs("removed"), ["ppp"]);
    // dnsmasq's ref changed but nothing else: it is neither added, removed nor changed.
    let changed = d["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["name"], "openssl");
    assert_eq!(changed[0]["version"]["before"], "3.0.13");
    assert_eq!(changed[0]["version"]["after"], "3.0.15");
    assert!(changed[0].get("vendor").is_none());
    assert_eq!(d["vendors"]["gained"][0], "Huawei Technologies Co., Ltd.");
    assert_eq!(d["vendors"]["lost"][0], "ppp project");
    assert_eq!(d["countries"]["gained"], serde_json::json!(["CN"]));
}

#[test]
fn scores_and_findings_before_and_after() {
    let d = json(&["--buyer", "US", OLD, NEW]);
    for k in [
        "origin_diversity",
        "single_vendor_reliance",
        "political_exposure",
        "continuity",
        "transparency",
        "risk_index",
    ] {
        let s = &d["scores"][k];
        let (b, a, delta) = (
            s["before"].as_f64().unwrap(),
            s["after"].as_f64().unwrap(),
            s["delta"].as_f64().unwrap(),
        );
        assert!((a - b - delta).abs() < 0.051, "{k}: {s}");
    }
    assert!(d["scores"]["political_exposure"]["delta"].as_f64().unwrap() > 0.0);
    // For a US buyer, a Huawei component is a measure of the buyer's own authorities.
    let new = d["findings_new"].as_array().unwrap();
    assert_eq!(new[0]["id"], "SR-VENDOR-MEASURE");
    assert_eq!(new[0]["subject"], "huawei");
    assert_eq!(new[0]["severity"], "critical");
    assert_eq!(d["rating"]["after"], "critical");
    // Swapped, the same finding is resolved.
    let back = json(&["--buyer", "US", NEW, OLD]);
    let resolved = back["findings_resolved"].as_array().unwrap();
    assert!(resolved
        .iter()
        .any(|f| f["id"] == "SR-VENDOR-MEASURE" && f["subject"] == "huawei"));
    // For a CN buyer, Huawei is domestic: no vendor measure.
    let cn = json(&["--buyer", "CN", OLD, NEW]);
    assert!(!cn["findings_new"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == "SR-VENDOR-MEASURE"));
}

#[test]
fn text_and_markdown() {
    let (code, out, err) = run(&["--buyer", "US", OLD, NEW]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("+ hi1105-wifi-firmware 1.2.3"), "{out}");
    assert!(out.contains("- ppp 2.4.9"), "{out}");
    assert!(out.contains("~ openssl: version 3.0.13 -> 3.0.15"), "{out}");
    let (code, md, _) = run(&["--buyer", "US", "--format", "markdown", OLD, NEW]);
    assert_eq!(code, 0);
    assert!(md.starts_with("# Supply-risk diff:"), "{md}");
    assert!(
        md.contains("| added | hi1105-wifi-firmware | 1.2.3 |"),
        "{md}"
    );
}

#[test]
fn a_bad_file_is_exit_2_naming_it() {
    let (code, _, err) = run(&[OLD, "tests/fixtures/does-not-exist.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("does-not-exist.json"), "{err}");
}

#[test]
fn a_policy_regression_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        "[policy]\nmax_political_exposure = 5\nmin_origin_diversity = 90\ndeny_vendors = [\"huawei\"]\n",
    )
    .unwrap();
    let p = policy.to_str().unwrap();
    // The new version adds a Huawei blob and raises exposure past 5: two regressions; the
    // diversity rule is broken by both versions: persisting, not failed.
    let (code, out, err) = run(&["--buyer", "US", "--policy", p, "--format", "json", OLD, NEW]);
    assert_eq!(code, 1, "{err}");
    let d: Value = serde_json::from_str(&out).unwrap();
    let rules = |k: &str| -> Vec<String> {
        d["policy"][k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        rules("regressions"),
        ["max_political_exposure", "deny_vendors"]
    );
    assert_eq!(rules("persisting"), ["min_origin_diversity"]);
    assert!(err.contains("policy regression"), "{err}");
    // Backwards, the same two are fixed and nothing regresses.
    let (code, out, _) = run(&["--buyer", "US", "--policy", p, "--format", "json", NEW, OLD]);
    assert_eq!(code, 0);
    let d: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(d["policy"]["fixed"].as_array().unwrap().len(), 2);
    // An unknown key is a usage error naming it.
    std::fs::write(&policy, "[policy]\nmax_exposure = 5\n").unwrap();
    let (code, _, err) = run(&["--policy", p, OLD, NEW]);
    assert_eq!(code, 2);
    assert!(err.contains("max_exposure"), "{err}");
}
