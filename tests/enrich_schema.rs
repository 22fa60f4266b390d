//! What `enrich` writes validates against the official CycloneDX 1.6 and 1.7 JSON schemas
//! (tests/schemas/cyclonedx/), not only against cyclonedx-bom's 1.4/1.5 model: an enriched
//! CycloneDX JSON of each version, and an SPDX document converted to CycloneDX 1.6.

use serde_json::Value;
use std::path::Path;

fn schema_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/cyclonedx")
}

fn load(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(schema_dir().join(name)).unwrap()).unwrap()
}

/// The schemas the bom schemas reference, read from the folder (no network).
struct Local;

impl jsonschema::Retrieve for Local {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.as_str().rsplit('/').next().unwrap_or_default();
        let file = name.replace(".SNAPSHOT", "");
        let path = schema_dir().join(&file);
        Ok(serde_json::from_slice(
            &std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?,
        )?)
    }
}

fn validator(version: &str) -> jsonschema::Validator {
    jsonschema::options()
        .with_retriever(Local)
        .build(&load(&format!("bom-{version}.schema.json")))
        .expect("the official schema compiles")
}

fn enrich(input: &Path) -> Value {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.cdx.json");
    let status = assert_cmd::Command::cargo_bin("sbomrisk")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CACHE_HOME", tmp.path())
        .args(["--no-config", "enrich", "--offline"])
        .arg(input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap()
}

fn assert_valid(version: &str, doc: &Value, what: &str) {
    assert_eq!(doc["specVersion"], version, "{what}");
    let v = validator(version);
    let errors: Vec<String> = v
        .iter_errors(doc)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not valid CycloneDX {version}: {errors:#?}"
    );
}

#[test]
fn enriched_cyclonedx_1_6_and_1_7_validate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for input in [
        "tests/fixtures/router-mini.cdx.json",
        "sboms/home-router-openwrt.cdx.json",
    ] {
        let doc = enrich(&root.join(input));
        assert_valid("1.6", &doc, input);
    }
    // The schema is not vacuous: a component type outside the enum is refused.
    let mut bad = enrich(&root.join("tests/fixtures/router-mini.cdx.json"));
    bad["components"][0]["type"] = "nonsense".into();
    assert!(!validator("1.6").is_valid(&bad));
    // The same document declared 1.7.
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root.join("sboms/home-router-openwrt.cdx.json"))
        .unwrap()
        .replacen("\"specVersion\": \"1.6\"", "\"specVersion\": \"1.7\"", 1)
        .replace(
            "http://cyclonedx.org/schema/bom-1.6.schema.json",
            "http://cyclonedx.org/schema/bom-1.7.schema.json",
        );
    let f = tmp.path().join("router-1.7.cdx.json");
    std::fs::write(&f, text).unwrap();
    assert_valid("1.7", &enrich(&f), "router declared 1.7");
}

#[test]
fn spdx_converted_to_cyclonedx_validates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for input in [
        "sboms/home-router-openwrt.spdx.json",
        "sboms/firewall-appliance.spdx",
    ] {
        let doc = enrich(&root.join(input));
        assert_valid("1.6", &doc, input);
    }
}
