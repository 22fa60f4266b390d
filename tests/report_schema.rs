//! Every JSON report of every SBOM in sboms/ and tests/fixtures/ that analyses validates against
//! the published schema, docs/report.schema.json (with and without a policy verdict, one file
//! and several).

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("docs/report.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the schema is a valid JSON Schema")
}

/// The schema of one report alone (errors inside `oneOf` only say that no branch matched).
fn report_validator() -> jsonschema::Validator {
    let mut s = schema();
    let defs = s["$defs"].take();
    jsonschema::validator_for(&serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "#/$defs/report",
        "$defs": defs,
    }))
    .unwrap()
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
    if v.is_valid(doc) {
        return;
    }
    // Say where: each report against the report schema alone.
    let one = report_validator();
    let items = match doc {
        Value::Array(a) => a.iter().collect(),
        d => vec![d],
    };
    let errors: Vec<String> = items
        .into_iter()
        .filter(|d| d.get("error").is_none())
        .flat_map(|d| {
            one.iter_errors(d)
                .map(|e| {
                    let msg: String = e.to_string().chars().take(300).collect();
                    format!("{msg} at {}", e.instance_path())
                })
                .collect::<Vec<_>>()
        })
        .take(10)
        .collect();
    panic!("{what} does not validate: {}", errors.join("\n"));
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

/// The real corpus, when present next to the repository (`cargo test --test report_schema --
/// --ignored`; 345 files, about a minute in a debug build).
#[test]
#[ignore]
fn corpus_reports_validate() {
    let corpus = root().join("../shared/corpus");
    if !corpus.join("MANIFEST.tsv").is_file() {
        eprintln!("SKIPPED corpus_reports_validate: no {}", corpus.display());
        return;
    }
    let v = validator();
    let mut stack = vec![corpus.clone()];
    let (mut valid, mut unreadable) = (0, 0);
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "invalid") {
                    stack.push(p);
                }
                continue;
            }
            if p.extension().is_some_and(|x| x == "tsv" || x == "md") {
                continue;
            }
            let (code, doc) = analyze(&[p.to_str().unwrap()]);
            if code == 2 {
                unreadable += 1;
                continue;
            }
            check(&v, &doc, &p.display().to_string());
            valid += 1;
        }
    }
    eprintln!("corpus: {valid} reports valid, {unreadable} files not analysed");
    assert!(valid > 0);
}
