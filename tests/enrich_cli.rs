//! `sbomrisk enrich`: the output re-reads with the same components and refs, validates, and
//! keeps what the input said.

use assert_cmd::Command;
use cyclonedx_bom::prelude::{Bom, SpecVersion, Validate};
use sbomrisk::model::{Role, Sbom};
use std::path::{Path, PathBuf};

fn sbomrisk(cache: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sbomrisk").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env("XDG_CACHE_HOME", cache);
    cmd
}

/// Runs `enrich --offline FILE -o OUT` with a scratch cache; returns (code, stderr).
fn enrich(tmp: &Path, file: &str, out: &Path, extra: &[&str]) -> (i32, String) {
    let cache = tmp.join("cache");
    let o = sbomrisk(tmp)
        .args(["enrich", "--offline", "--cache-dir"])
        .arg(&cache)
        .args(extra)
        .arg(file)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Non-root refs, sorted.
fn refs(s: &Sbom) -> Vec<String> {
    let mut v: Vec<String> = s
        .components
        .iter()
        .filter(|c| c.role != Role::Root)
        .map(|c| c.bom_ref.clone())
        .collect();
    v.sort();
    v
}

fn example_sboms() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sboms");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    files.sort();
    files
}

/// One SBOM with a known shape: CycloneDX JSON/XML stay what they were, SPDX becomes JSON.
fn validate(out: &str, xml: bool) -> Option<bool> {
    let spec = if xml {
        let v = out.split("cyclonedx.org/schema/bom/").nth(1)?.get(..3)?;
        v.to_string()
    } else {
        let j: serde_json::Value = serde_json::from_str(out).ok()?;
        j["specVersion"].as_str()?.to_string()
    };
    // cyclonedx-bom 0.8.1 knows 1.3 to 1.5 only.
    let version = match spec.as_str() {
        "1.3" => SpecVersion::V1_3,
        "1.4" => SpecVersion::V1_4,
        "1.5" => SpecVersion::V1_5,
        _ => return None,
    };
    let bom = if xml {
        match version {
            SpecVersion::V1_3 => Bom::parse_from_xml_v1_3(out.as_bytes()),
            SpecVersion::V1_4 => Bom::parse_from_xml_v1_4(out.as_bytes()),
            _ => Bom::parse_from_xml_v1_5(out.as_bytes()),
        }
        .map_err(|e| e.to_string())
    } else {
        Bom::parse_from_json(out.as_bytes()).map_err(|e| e.to_string())
    };
    let bom = bom.unwrap_or_else(|e| panic!("cyclonedx-bom cannot read the output: {e}"));
    let result = bom.validate_version(version);
    assert!(result.passed(), "{result:?}");
    Some(true)
}

#[test]
fn every_example_sbom_round_trips_with_the_same_components_and_refs() {
    let tmp = tempfile::tempdir().unwrap();
    let mut validated = 0;
    for f in example_sboms() {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let out = tmp.path().join(format!("{name}.enriched"));
        let (code, err) = enrich(tmp.path(), f.to_str().unwrap(), &out, &[]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(err.contains("components annotated"), "{name}: {err}");
        let before = sbomrisk::ingest::ingest_path(&f).unwrap();
        let after = sbomrisk::ingest::ingest_path(&out).unwrap();
        assert_eq!(after.component_count(), before.component_count(), "{name}");
        assert_eq!(refs(&after), refs(&before), "{name}");
        assert_eq!(
            after.document.format,
            Some(sbomrisk::model::Format::CycloneDx)
        );
        let text = std::fs::read_to_string(&out).unwrap();
        let xml = name.ends_with(".xml");
        assert_eq!(text.trim_start().starts_with('<'), xml, "{name}");
        // Every component found in the document carries sbomrisk's properties.
        let marks = text.matches("sbomrisk:confidence").count();
        assert!(marks >= before.component_count(), "{name}: {marks}");
        if validate(&text, xml).is_some() {
            validated += 1;
        }
    }
    assert!(validated >= 1, "at least the 1.5 example is validated");
}

#[test]
fn fixtures_in_old_spec_versions_validate() {
    let tmp = tempfile::tempdir().unwrap();
    for (file, xml) in [
        ("tests/fixtures/flat.cdx.json", false),
        ("tests/fixtures/router-mini.cdx.xml", true),
    ] {
        let out = tmp.path().join("out");
        let (code, err) = enrich(tmp.path(), file, &out, &[]);
        assert_eq!(code, 0, "{err}");
        let text = std::fs::read_to_string(&out).unwrap();
        assert_eq!(validate(&text, xml), Some(true), "{file}");
    }
}

#[test]
fn suppliers_added_only_where_none_and_originals_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o.json");
    let (code, err) = enrich(tmp.path(), "tests/fixtures/router-mini.cdx.json", &out, &[]);
    assert_eq!(code, 0, "{err}");
    let orig: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/router-mini.cdx.json").unwrap(),
    )
    .unwrap();
    let new: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(new["serialNumber"], orig["serialNumber"]);
    assert_eq!(
        new["version"].as_u64(),
        Some(orig["version"].as_u64().unwrap_or(1) + 1)
    );
    let comps = orig["components"].as_array().unwrap();
    let mut added = 0;
    for (i, c) in comps.iter().enumerate() {
        let n = &new["components"][i];
        // Every original field is there with its value.
        for (k, v) in c.as_object().unwrap() {
            if k != "properties" && k != "components" {
                assert_eq!(&n[k], v, "components/{i}/{k}");
            }
        }
        match c.get("supplier") {
            Some(_) => {}
            None if n.get("supplier").is_some() => {
                added += 1;
                assert!(n["supplier"]["name"].is_string());
                // 1.6: the country, when the attribution has one, is in the supplier's postal
                // address; an individual's project gets none.
                let country = n["properties"]
                    .as_array()
                    .and_then(|ps| ps.iter().find(|p| p["name"] == "sbomrisk:country"))
                    .map(|p| p["value"].clone());
                assert_eq!(
                    n["supplier"]["address"]["country"].as_str(),
                    country.as_ref().and_then(|c| c.as_str()),
                    "{n:#}"
                );
            }
            None => {}
        }
    }
    assert!(added >= 1);
    // Counted over the whole document (nested components and the product too).
    let total = suppliers(&new) - suppliers(&orig);
    assert!(total >= added);
    assert!(err.contains(&format!("{total} suppliers added")), "{err}");
}

/// Objects with a `supplier` key, anywhere.
fn suppliers(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Object(m) => {
            usize::from(m.contains_key("supplier")) + m.values().map(suppliers).sum::<usize>()
        }
        serde_json::Value::Array(a) => a.iter().map(suppliers).sum(),
        _ => 0,
    }
}

#[test]
fn refuses_to_overwrite_the_input_and_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("in.json");
    std::fs::copy("tests/fixtures/flat.cdx.json", &copy).unwrap();
    let (code, err) = enrich(tmp.path(), copy.to_str().unwrap(), &copy, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("overwrite the input"), "{err}");
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, "{\"bomFormat\": \"CycloneDX\", \"components\": [").unwrap();
    let out = tmp.path().join("out.json");
    let (code, err) = enrich(tmp.path(), bad.to_str().unwrap(), &out, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.json"), "{err}");
    assert!(!out.exists());
    let (code, err) = enrich(
        tmp.path(),
        "tests/fixtures/flat.cdx.json",
        &out,
        &["--min-supplier-confidence", "2"],
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn dash_writes_to_stdout_and_quiet_silences_the_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let o = sbomrisk(tmp.path())
        .args(["-q", "enrich", "--offline", "--cache-dir"])
        .arg(tmp.path().join("cache"))
        .args(["tests/fixtures/switch-mini.spdx.json", "-o", "-"])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stderr), "");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["bomFormat"], "CycloneDX");
    assert_eq!(v["specVersion"], "1.6");
    assert_eq!(v["metadata"]["tools"]["components"][0]["name"], "sbomrisk");
}

/// A sample of the shared corpus (when it is there): same component count and refs after
/// enrich. `SBOMRISK_ENRICH_CORPUS=all` runs every file; `SBOMRISK_ENRICH_OUT=DIR` keeps the
/// outputs (for schema validation outside the test).
#[test]
fn corpus_sample_round_trips() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(manifest) = std::fs::read_to_string(root.join("MANIFEST.tsv")) else {
        eprintln!("corpus absent: skipped");
        return;
    };
    let all = std::env::var("SBOMRISK_ENRICH_CORPUS").is_ok_and(|v| v == "all");
    let keep = std::env::var("SBOMRISK_ENRICH_OUT").ok().map(PathBuf::from);
    let reg = sbomrisk::data::Registry::embedded().unwrap();
    let opts = sbomrisk::enrich::Options::default();
    let (mut tried, mut same, mut unreadable) = (0usize, 0usize, 0usize);
    let mut differ = Vec::new();
    let files: Vec<&str> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|f| !f.starts_with("invalid/"))
        .collect();
    for (i, rel) in files.iter().enumerate() {
        if !all && i % 10 != 0 {
            continue;
        }
        let path = root.join(rel);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let shown = path.display().to_string();
        let Ok((text, _)) = sbomrisk::ingest::decode_text(&shown, &bytes) else {
            unreadable += 1;
            continue;
        };
        let Ok(sbom) = sbomrisk::ingest::ingest_bytes(&shown, &bytes) else {
            unreadable += 1;
            continue;
        };
        tried += 1;
        let list = sbomrisk::attribution::Attributor::new(&reg).attribute(&sbom);
        let out = match sbomrisk::enrich::enrich(&sbom, &text, &list, &reg, &opts) {
            Ok(o) => o,
            Err(e) => {
                differ.push(format!("{rel}: {e}"));
                continue;
            }
        };
        if let Some(dir) = &keep {
            let ext = if out.stats.output == "cyclonedx-xml" {
                "xml"
            } else {
                "json"
            };
            let name = rel.replace('/', "__");
            let _ = std::fs::create_dir_all(dir);
            let _ = std::fs::write(dir.join(format!("{name}.enriched.{ext}")), out.text());
        }
        match sbomrisk::ingest::ingest_bytes("out", out.text().as_bytes()) {
            Ok(after)
                if after.component_count() == sbom.component_count()
                    && refs(&after) == refs(&sbom) =>
            {
                same += 1
            }
            Ok(after) => differ.push(format!(
                "{rel}: {} -> {} components",
                sbom.component_count(),
                after.component_count()
            )),
            Err(e) => differ.push(format!("{rel}: output unreadable: {e}")),
        }
    }
    eprintln!(
        "enrich corpus: {tried} files, {same} with the same components and refs, {} differ, {unreadable} unreadable input",
        differ.len()
    );
    for d in &differ {
        eprintln!("  {d}");
    }
    // Multi-product SPDX documents lose their extra roots to components (CycloneDX names one
    // product); anything else is a bug.
    let unexpected: Vec<&String> = differ.iter().filter(|d| !d.contains("spdx")).collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}
