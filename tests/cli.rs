//! CLI behaviour of `inspect` and `graph` on the small fixtures in tests/fixtures, as snapshots.

use assert_cmd::Command;

fn sbomrisk() -> Command {
    let mut cmd = Command::cargo_bin("sbomrisk").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    let out = sbomrisk().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "sbomrisk {args:?} failed with {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn inspect_json(file: &str) -> serde_json::Value {
    serde_json::from_str(&stdout_of(&["inspect", "--format", "json", file])).expect("json output")
}

#[test]
fn inspect_json_cyclonedx_json() {
    let v = inspect_json("tests/fixtures/router-mini.cdx.json");
    assert_eq!(v["format"], "cyclonedx");
    assert_eq!(v["spec_version"], "1.6");
    assert_eq!(v["serialization"], "json");
    // linux, the nested ath10k firmware, dnsmasq, openssl; not metadata.component.
    assert_eq!(v["components"], 4);
    // fw->linux, fw->dnsmasq, dnsmasq->openssl, linux contains ath10k.
    assert_eq!(v["edges"], 4);
    let codes: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"I001"), "dangling libnettle: {codes:?}");
    insta::assert_json_snapshot!(v);
}

#[test]
fn inspect_json_cyclonedx_xml() {
    let v = inspect_json("tests/fixtures/router-mini.cdx.xml");
    assert_eq!(v["format"], "cyclonedx");
    assert_eq!(v["spec_version"], "1.5");
    assert_eq!(v["serialization"], "xml");
    assert_eq!(v["components"], 2);
    assert_eq!(v["edges"], 2);
    insta::assert_json_snapshot!(v);
}

#[test]
fn inspect_json_spdx_json() {
    let v = inspect_json("tests/fixtures/switch-mini.spdx.json");
    assert_eq!(v["format"], "spdx");
    assert_eq!(v["spec_version"], "2.3");
    assert_eq!(v["serialization"], "json");
    // Four packages, one of them described.
    assert_eq!(v["components"], 3);
    // nos contains frr, frr depends on libyang (DEPENDENCY_OF reversed), nos contains sai.
    assert_eq!(v["edges"], 3);
    assert_eq!(v["files"], 1);
    insta::assert_json_snapshot!(v);
}

#[test]
fn inspect_json_spdx_tag_value() {
    let v = inspect_json("tests/fixtures/firewall-mini.spdx");
    assert_eq!(v["format"], "spdx");
    assert_eq!(v["spec_version"], "2.3");
    assert_eq!(v["serialization"], "tag-value");
    assert_eq!(v["components"], 2);
    assert_eq!(v["edges"], 2);
    insta::assert_json_snapshot!(v);
}

#[test]
fn inspect_json_spdx3_json_ld() {
    let v = inspect_json("tests/fixtures/gateway-mini.spdx3.jsonld");
    assert_eq!(v["format"], "spdx");
    assert_eq!(v["spec_version"], "3.0.1");
    assert_eq!(v["serialization"], "json-ld");
    assert_eq!(v["components"], 2);
    assert_eq!(v["edges"], 3);
    insta::assert_json_snapshot!(v);
}

#[test]
fn flat_sbom_gets_inferred_edges() {
    let v = inspect_json("tests/fixtures/flat.cdx.json");
    assert_eq!(v["components"], 2);
    assert_eq!(v["edges"], 0);
    assert_eq!(v["inferred_edges"], 2);
    assert_eq!(v["unreachable"], 0);
}

#[test]
fn inspect_text_lists_counts_and_warnings() {
    let out = stdout_of(&["inspect", "tests/fixtures/router-mini.cdx.json"]);
    insta::assert_snapshot!(out);
}

#[test]
fn inspect_several_files_prints_an_array() {
    let out = stdout_of(&[
        "inspect",
        "--format",
        "json",
        "tests/fixtures/router-mini.cdx.json",
        "tests/fixtures/switch-mini.spdx.json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(2));
}

#[test]
fn graph_dot_and_json() {
    let dot = stdout_of(&[
        "graph",
        "tests/fixtures/router-mini.cdx.json",
        "--format",
        "dot",
    ]);
    insta::assert_snapshot!(dot);
    let json = stdout_of(&[
        "graph",
        "tests/fixtures/switch-mini.spdx.json",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["root"], "SPDXRef-nos");
    insta::assert_json_snapshot!(v);
}

#[test]
fn stdin_is_read_with_dash() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/flat.cdx.json"
    ))
    .unwrap();
    let out = sbomrisk()
        .args(["inspect", "--format", "json", "-"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["components"], 2);
    assert_eq!(v["file"], "-");
}

#[test]
fn usage_errors_exit_2() {
    let out = sbomrisk().args(["inspect"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = sbomrisk().args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = sbomrisk().args(["--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}
