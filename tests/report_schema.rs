//! Every JSON report of every SBOM in sboms/ and tests/fixtures/ that analyses validates against
//! the published schema, docs/report.schema.json (with and without a policy verdict, one file
//! and several).

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("docs/report.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

fn sbom_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["sboms", "tests/fixtures"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap().flatten() {
            let p = e.path();
            if p.is_file() && p.file_name().is_some_and(|n| n != "README.md") {
                files.push(p.strip_prefix(root()).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

fn analyze(args: &[&str]) -> (i32, Value) {
    let cache = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("sbomrisk")
        .unwrap()
        .current_dir(root())
        .env("XDG_CACHE_HOME", cache.path())
        .args([
            "analyze",
            "--offline",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
        ])
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, v)
}

fn check(v: &Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {}", errors.join("\n"));
}

use jsonschema::Validator;

#[test]
fn every_report_validates() {
    let v = validator();
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        "[policy]\nmax_political_exposure = 10\ndeny_countries = [\"US\"]\nrequire_supplier = true\n",
    )
    .unwrap();
    let policy = policy.to_str().unwrap().to_string();
    let mut analysed = 0;
    for f in sbom_files() {
        let f = f.to_str().unwrap();
        let (code, doc) = analyze(&[f]);
        if code == 2 {
            continue;
        }
        assert_eq!(code, 0, "{f}");
        check(&v, &doc, f);
        assert!(doc.get("policy").is_none());
        let (code, doc) = analyze(&["--policy", &policy, f]);
        assert!(code == 0 || code == 1, "{f}: exit {code}");
        check(&v, &doc, &format!("{f} with a policy"));
        assert_eq!(doc["policy"]["passed"], code == 0, "{f}");
        analysed += 1;
    }
    assert!(analysed >= 8, "only {analysed} files analysed");
}

#[test]
fn several_files_and_an_unreadable_one_validate() {
    let v = validator();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.cdx.json");
    std::fs::write(&bad, "{\"bomFormat\": \"CycloneDX\", \"components\": [").unwrap();
    let (code, doc) = analyze(&[
        "sboms/home-router-openwrt.cdx.json",
        bad.to_str().unwrap(),
        "sboms/iot-gateway.cdx.json",
    ]);
    assert_eq!(code, 2);
    assert_eq!(doc.as_array().map(Vec::len), Some(3));
    check(&v, &doc, "array");
}

#[test]
fn the_schema_rejects_what_is_not_a_report() {
    let v = validator();
    let (_, mut doc) = analyze(&["sboms/home-router-openwrt.cdx.json"]);
    assert!(v.is_valid(&doc));
    doc["scores"]["political_exposure"]["value"] = 140.into();
    assert!(!v.is_valid(&doc));
    doc["scores"]["political_exposure"]["value"] = 40.into();
    doc["surprise"] = true.into();
    assert!(!v.is_valid(&doc));
}
