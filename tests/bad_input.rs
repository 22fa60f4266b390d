//! Every class of bad input ends in one clear line naming the file and exit code 2: never a
//! panic, a hang or runaway memory. Inputs are generated here, not copied from any corpus.

use assert_cmd::Command;
use std::io::Write;
use std::path::PathBuf;

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("sbomrisk-bad-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

/// Runs `inspect` on a file and returns (exit code, stdout, stderr).
fn inspect(path: &std::path::Path) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("sbomrisk")
        .unwrap()
        .args(["inspect", "--format", "json"])
        .arg(path)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Asserts a clean refusal: exit 2, one error line that names the file and contains `needle`.
fn assert_refused(path: &std::path::Path, needle: &str) {
    let (code, _, err) = inspect(path);
    assert_eq!(
        code,
        Some(2),
        "exit code for {}: stderr {err}",
        path.display()
    );
    assert!(
        !err.contains("panicked"),
        "panic on {}: {err}",
        path.display()
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one error line expected, got: {err}");
    let prefix = format!("sbomrisk: error: {}", path.display());
    let rest = lines[0]
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("error must name the file: {err}"));
    assert!(
        rest.to_lowercase().contains(&needle.to_lowercase()),
        "expected '{needle}' after the path in: {err}"
    );
}

#[test]
fn empty_and_blank_files() {
    let s = Scratch::new("empty");
    assert_refused(&s.file("empty.json", b""), "empty file");
    assert_refused(&s.file("blank.json", b"\n  \n"), "whitespace");
}

#[test]
fn truncated_documents_give_line_and_column() {
    let s = Scratch::new("trunc");
    let doc = fixture("router-mini.cdx.json");
    assert_refused(&s.file("cut.cdx.json", &doc[..doc.len() / 2]), "line ");
    let xml = fixture("router-mini.cdx.xml");
    assert_refused(&s.file("cut.cdx.xml", &xml[..xml.len() / 2]), "line ");
    let spdx = fixture("switch-mini.spdx.json");
    assert_refused(&s.file("cut.spdx.json", &spdx[..spdx.len() / 2]), "line ");
}

#[test]
fn random_bytes() {
    let s = Scratch::new("random");
    // A fixed pseudo-random sequence (xorshift), so the test is repeatable.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    assert_refused(&s.file("noise.bin", &bytes), "not");
}

/// Asserts a clean outcome for an input that may still be an SBOM: either a clean refusal, or
/// exit 0 with at least one warning saying what was skipped.
fn assert_refused_or_warned(path: &std::path::Path) {
    let (code, out, err) = inspect(path);
    assert!(
        !err.contains("panicked"),
        "panic on {}: {err}",
        path.display()
    );
    match code {
        Some(2) => assert_eq!(err.lines().count(), 1, "one error line: {err}"),
        Some(0) => {
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert!(
                v["warnings"].as_array().is_some_and(|w| !w.is_empty()),
                "read without a warning: {out}"
            );
        }
        other => panic!("exit {other:?} for {}: {err}", path.display()),
    }
}

#[test]
fn deeply_nested_json_is_handled_without_stack_overflow() {
    let s = Scratch::new("deep");
    let depth = 300_000;
    let junk = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    // Junk nesting where components belong: skipped with a warning, or refused.
    let doc = format!(r#"{{"bomFormat":"CycloneDX","specVersion":"1.6","components":{junk}}}"#);
    assert_refused_or_warned(&s.file("deep.cdx.json", doc.as_bytes()));
    let doc = format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{{"name":"a","x":{junk}}}]}}"#
    );
    assert_refused_or_warned(&s.file("deep-field.cdx.json", doc.as_bytes()));
    let spdx = format!(r#"{{"spdxVersion":"SPDX-2.3","packages":{junk}}}"#);
    assert_refused_or_warned(&s.file("deep.spdx.json", spdx.as_bytes()));
    let v3 = format!(
        r#"{{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":{junk}}}"#
    );
    assert_refused_or_warned(&s.file("deep.spdx3.jsonld", v3.as_bytes()));
    // Real nesting of components, thousands deep: refused with the place where it happened.
    let n = 5000;
    let nested = format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{}[]{}]}}"#,
        r#"{"name":"c","components":["#.repeat(n),
        "]}".repeat(n)
    );
    assert_refused(&s.file("nested.cdx.json", nested.as_bytes()), "deeper");
}

#[test]
fn deeply_nested_xml_is_refused() {
    let s = Scratch::new("deepxml");
    let depth = 100_000;
    let mut doc = String::from(r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>"#);
    doc.push_str(&"<component><components>".repeat(depth));
    doc.push_str(&"</components></component>".repeat(depth));
    doc.push_str("</components></bom>");
    assert_refused(&s.file("deep.cdx.xml", doc.as_bytes()), "deep");
}

#[test]
fn utf16_with_bom_is_read_with_a_note() {
    let s = Scratch::new("utf16");
    let text = String::from_utf8(fixture("flat.cdx.json")).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let (code, out, err) = inspect(&s.file("utf16.cdx.json", &bytes));
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["components"], 2);
    assert!(out.contains("I009"), "encoding note expected: {out}");
}

#[test]
fn json_that_is_not_an_sbom() {
    let s = Scratch::new("notsbom");
    assert_refused(
        &s.file("package.json", br#"{"name":"left-pad","version":"1.3.0"}"#),
        "not an SBOM",
    );
    assert_refused(
        &s.file("array.json", br#"[{"bomFormat":"CycloneDX"}]"#),
        "JSON array",
    );
    assert_refused(
        &s.file("page.html", b"<html><body>SBOM</body></html>"),
        "neither CycloneDX",
    );
}

#[test]
fn xml_entities_are_refused() {
    let s = Scratch::new("xxe");
    let xxe = br#"<?xml version="1.0"?>
<!DOCTYPE bom [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>&xxe;</name></component></components></bom>"#;
    assert_refused(&s.file("xxe.cdx.xml", xxe), "DTD");
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        laughs.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    laughs.push_str("]>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><metadata><component type=\"application\"><name>&lol9;</name></component></metadata></bom>");
    assert_refused(&s.file("laughs.cdx.xml", laughs.as_bytes()), "DTD");
    let rdf = br#"<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><spdx:SpdxDocument rdf:about="x#SPDXRef-DOCUMENT"><spdx:name>&x;</spdx:name></spdx:SpdxDocument></rdf:RDF>"#;
    assert_refused(&s.file("xxe.spdx.rdf", rdf), "DTD");
}

#[test]
fn xml_with_a_raw_control_character_is_refused_with_its_line() {
    let s = Scratch::new("xmlctl");
    let cdx = b"<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n<components><component type=\"library\"><name>a\x1b]0;x\x07b</name></component></components></bom>\n";
    assert_refused(
        &s.file("ctl.cdx.xml", cdx),
        "line 3, column 46: U+001B is not allowed in XML",
    );
    let rdf = b"<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:spdx=\"http://spdx.org/rdf/terms#\" xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><spdx:SpdxDocument rdf:about=\"x#SPDXRef-DOCUMENT\"><spdx:name>\x01</spdx:name></spdx:SpdxDocument></rdf:RDF>";
    assert_refused(&s.file("ctl.spdx.rdf", rdf), "U+0001 is not allowed in XML");
}

#[test]
fn missing_files_and_directories() {
    let s = Scratch::new("missing");
    assert_refused(&s.0.join("nope.json"), "cannot read");
    assert_refused(&s.0, "directory");
}

#[test]
fn gzip_is_read_transparently() {
    let s = Scratch::new("gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&fixture("switch-mini.spdx.json")).unwrap();
    let (code, out, err) = inspect(&s.file("switch.spdx.json.gz", &enc.finish().unwrap()));
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["components"], 3);
}

#[test]
fn one_bad_file_does_not_stop_a_batch() {
    let s = Scratch::new("batch");
    let bad = s.file("bad.json", b"{ nope");
    let out = Command::cargo_bin("sbomrisk")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "inspect",
            "--format",
            "json",
            "tests/fixtures/flat.cdx.json",
        ])
        .arg(&bad)
        .arg("tests/fixtures/switch-mini.spdx.json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    assert_eq!(arr[0]["components"], 2);
    assert!(arr[1]["error"].as_str().unwrap().contains("bad.json"));
    assert_eq!(arr[2]["components"], 3);
}

#[test]
fn long_dependency_chain_and_cycle_do_not_overflow_the_stack() {
    // A 200k-long chain that loops back to its start: graph algorithms must not recurse per node.
    let s = Scratch::new("chain");
    let n = 200_000;
    let mut doc = String::from(
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","metadata":{"component":{"bom-ref":"root","name":"root"}},"components":["#,
    );
    for i in 0..n {
        if i > 0 {
            doc.push(',');
        }
        doc.push_str(&format!(r#"{{"bom-ref":"c{i}","name":"c{i}"}}"#));
    }
    doc.push_str(r#"],"dependencies":[{"ref":"root","dependsOn":["c0"]}"#);
    for i in 0..n {
        doc.push_str(&format!(
            r#",{{"ref":"c{i}","dependsOn":["c{}"]}}"#,
            (i + 1) % n
        ));
    }
    doc.push_str("]}");
    let (code, out, err) = inspect(&s.file("chain.cdx.json", doc.as_bytes()));
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["components"], n);
    assert_eq!(v["cycles"], 1);
}

/// A document made mostly of blank components (`{}`: no name, purl or CPE) is refused past
/// 10,000 of them (a 3 MB file of a million would make a report of half a gigabyte); a few
/// blank components among named ones are read with a warning.
#[test]
fn a_document_of_blank_components_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let doc = |blank: usize, named: usize| {
        let mut comps: Vec<String> = vec!["{}".to_string(); blank];
        comps.extend((0..named).map(|i| format!(r#"{{"name":"c{i}","version":"1"}}"#)));
        format!(
            r#"{{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{}]}}"#,
            comps.join(",")
        )
    };
    let refused = dir.path().join("blank.cdx.json");
    std::fs::write(&refused, doc(20_001, 10)).unwrap();
    assert_refused(&refused, "20001 of its");
    let (_, _, err) = inspect(&refused);
    assert!(
        err.contains("have no name, purl or CPE (the first at /components/0)"),
        "{err}"
    );
    // Blank components that are not most of the document are read (and warned about).
    let mixed = dir.path().join("mixed.cdx.json");
    std::fs::write(&mixed, doc(10_001, 10_001)).unwrap();
    let (code, out, err) = inspect(&mixed);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("\"components\": 20002"), "{out}");
}
