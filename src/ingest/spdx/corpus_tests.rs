//! The real corpus (`../shared/corpus`, read-only): component counts against MANIFEST.tsv and
//! the negative cases. Skips cleanly when the corpus is absent.

use crate::ingest::ingest_bytes;
use crate::model::{DiagnosticCode, Role};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.join("MANIFEST.tsv").exists().then_some(dir)
}

fn rows(dir: &Path) -> Vec<(String, String, usize)> {
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap_or_default();
    manifest
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((
                f.first()?.to_string(),
                f.get(4)?.to_string(),
                f.get(6)?.parse().unwrap_or(0),
            ))
        })
        .collect()
}

#[test]
fn spdx2_counts_match_manifest() {
    let Some(dir) = corpus() else {
        eprintln!("corpus absent: skipped");
        return;
    };
    let mut agree = 0;
    let mut disagree = Vec::new();
    for (path, format, count) in rows(&dir) {
        if !matches!(
            format.as_str(),
            "spdx-json" | "spdx-tv" | "spdx-yaml" | "spdx-rdf" | "spdx-xml"
        ) {
            continue;
        }
        let bytes = std::fs::read(dir.join(&path)).unwrap_or_default();
        let t = Instant::now();
        match ingest_bytes(&path, &bytes) {
            Ok(sbom) => {
                let described = sbom
                    .roots
                    .iter()
                    .filter(|r| sbom.component(**r).bom_ref != "sbomrisk:root")
                    .count();
                let got = sbom.component_count();
                let expected = count.saturating_sub(described);
                if got == expected {
                    agree += 1;
                } else {
                    let codes: Vec<_> = sbom.diagnostics.iter().map(|d| d.code.as_str()).collect();
                    disagree.push(format!(
                        "{path}: got {got}, expected {expected} (manifest {count}, described {described}) {:?} {codes:?}",
                        t.elapsed()
                    ));
                }
                assert!(
                    sbom.components
                        .iter()
                        .filter(|c| c.role == Role::Root)
                        .count()
                        >= 1
                );
            }
            Err(e) => disagree.push(format!("{path}: error {e}")),
        }
    }
    eprintln!("SPDX 2 corpus: {agree} agree, {} disagree", disagree.len());
    for d in &disagree {
        eprintln!("  {d}");
    }
    assert!(agree > 0);
    assert!(disagree.is_empty(), "{disagree:#?}");
}

#[test]
fn invalid_spdx_files_end_cleanly() {
    let Some(dir) = corpus() else {
        eprintln!("corpus absent: skipped");
        return;
    };
    let (mut ok, mut ok_warn, mut err) = (0, 0, 0);
    for (path, format, _) in rows(&dir) {
        let relevant = format.starts_with("invalid(spdx")
            || format.starts_with("invalid(json")
            || format == "invalid(empty)"
            || format == "invalid(unparseable)";
        if !relevant {
            continue;
        }
        let bytes = std::fs::read(dir.join(&path)).unwrap_or_default();
        let t = Instant::now();
        let r = ingest_bytes(&path, &bytes);
        assert!(t.elapsed().as_secs() < 10, "{path} took too long");
        match r {
            Ok(s)
                if s.diagnostics
                    .iter()
                    .any(|d| d.code != DiagnosticCode::EncodingRepaired) =>
            {
                ok_warn += 1;
                eprintln!("  {path}: ok with {} warnings", s.diagnostics.len());
            }
            Ok(_) => {
                ok += 1;
                eprintln!("  {path}: ok, no warning");
            }
            Err(e) => {
                err += 1;
                eprintln!("  {path}: {e}");
            }
        }
    }
    eprintln!("invalid: {ok} ok, {ok_warn} ok with warnings, {err} clean errors");
}

/// The SPDX tools' example document in its five SPDX 2.3 serialisations reads the same.
#[test]
fn five_serialisations_of_one_example_agree() {
    let Some(dir) = corpus() else {
        eprintln!("corpus absent: skipped");
        return;
    };
    let files = [
        "spdx-json/toolspy-SPDXJSONExample-v2.3.spdx.json",
        "spdx-yaml/toolspy-SPDXYAMLExample-v2.3.spdx.yaml",
        "spdx-xml/toolspy-SPDXXMLExample-v2.3.spdx.xml",
        "spdx-tv/toolspy-SPDXTagExample-v2.3.spdx",
        "spdx-rdf/toolspy-SPDXRdfExample-v2.3.spdx.rdf.xml",
    ];
    let mut seen: Vec<(String, serde_json::Value)> = Vec::new();
    for f in files {
        let Ok(bytes) = std::fs::read(dir.join(f)) else {
            return;
        };
        let sbom = ingest_bytes(f, &bytes).unwrap();
        let mut comps: Vec<serde_json::Value> = sbom
            .components
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.location = None;
                c.external_refs.sort_by(|a, b| a.url.cmp(&b.url));
                // RDF names algorithms `checksumAlgorithm_blake2b384` (no dash) and writes
                // licence sets without order or parentheses.
                for h in &mut c.hashes {
                    h.alg = h.alg.replace('-', "").into();
                }
                c.hashes.sort_by(|a, b| a.alg.cmp(&b.alg));
                if let Some(l) = &mut c.licenses {
                    let flat = l.replace(['(', ')'], "");
                    let mut parts: Vec<&str> = flat.split(" OR ").collect();
                    parts.sort();
                    *l = parts.join(" OR ");
                }
                serde_json::to_value(&c).unwrap()
            })
            .collect();
        comps.sort_by_key(|c| c["bom_ref"].to_string());
        let doc = &sbom.document;
        let mut authors: Vec<_> = doc.authors.iter().map(|a| a.name.clone()).collect();
        authors.sort();
        let v = serde_json::json!({
            "components": comps,
            "relations": sbom.relations.len(),
            "name": doc.name, "id": doc.id, "created": doc.created,
            "tools": doc.tools, "authors": authors, "files": doc.files,
            "spec": doc.spec_version,
        });
        seen.push((f.to_string(), v));
    }
    for (f, v) in &seen[1..] {
        assert_eq!(
            serde_json::to_string_pretty(v).unwrap(),
            serde_json::to_string_pretty(&seen[0].1).unwrap(),
            "{f} differs from {}",
            seen[0].0
        );
    }
}

/// Parse time of the borrowed model against `serde_json::Value`, on the biggest corpus SPDX
/// JSON file and a generated 50,000-package document. Run with
/// `cargo test --release --lib spdx_json_speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn spdx_json_speed() {
    use super::model::Document;
    let mut inputs: Vec<(String, String)> = Vec::new();
    if let Some(dir) = corpus() {
        let f = "spdx-json/guac-topdh-flink.spdx.json";
        if let Ok(t) = std::fs::read_to_string(dir.join(f)) {
            inputs.push((f.to_string(), t));
        }
    }
    inputs.push(("synthetic 50k packages".to_string(), synthetic(50_000)));
    for (name, text) in &inputs {
        let best = |f: &dyn Fn()| {
            (0..5)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed()
                })
                .min()
                .unwrap()
        };
        let value = best(&|| {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            std::hint::black_box(v);
        });
        let model = best(&|| {
            let d: Document = serde_json::from_str(text).unwrap();
            std::hint::black_box(d);
        });
        let full = best(&|| {
            let s = super::parse_json(name, text).unwrap();
            std::hint::black_box(s);
        });
        eprintln!(
            "{name} ({} bytes): serde_json::Value {value:?}, borrowed model {model:?}, parse_json (model + builder) {full:?}",
            text.len()
        );
    }
}

/// Tag-value and whole-corpus timings. Run with
/// `cargo test --release --lib spdx_other_speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn spdx_other_speed() {
    let n = 50_000;
    let mut tv =
        String::from("SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: big\n");
    tv.push_str("Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-p0\n");
    for i in 0..n {
        tv.push_str(&format!(
            "\nPackageName: pkg-{i}\nSPDXID: SPDXRef-p{i}\nPackageVersion: 1.{i}.0\nPackageSupplier: Organization: Vendor {v}\nPackageDownloadLocation: https://example.com/pkg-{i}.tgz\nPackageLicenseConcluded: MIT\nPackageChecksum: SHA256: {i:064x}\nPackageDescription: <text>Package {i}\nof a generated document.</text>\nExternalRef: PACKAGE-MANAGER purl pkg:npm/pkg-{i}@1.{i}.0\n",
            v = i % 97
        ));
        if i > 0 {
            tv.push_str(&format!(
                "Relationship: SPDXRef-p{} DEPENDS_ON SPDXRef-p{i}\n",
                i / 2
            ));
        }
    }
    let t = Instant::now();
    let s = super::parse_tag_value("big.spdx", &tv).unwrap();
    eprintln!(
        "synthetic tag-value {n} packages ({} bytes): {:?}, {} relations",
        tv.len(),
        t.elapsed(),
        s.relations.len()
    );
    let Some(dir) = corpus() else { return };
    for (fmt, _) in [
        ("spdx-json", 0),
        ("spdx-tv", 0),
        ("spdx-yaml", 0),
        ("spdx-rdf", 0),
        ("spdx-xml", 0),
    ] {
        let mut total = std::time::Duration::ZERO;
        let mut bytes_total = 0;
        let mut files = 0;
        for (path, format, _) in rows(&dir) {
            if format != fmt {
                continue;
            }
            let bytes = std::fs::read(dir.join(&path)).unwrap_or_default();
            bytes_total += bytes.len();
            files += 1;
            let t = Instant::now();
            let _ = ingest_bytes(&path, &bytes);
            total += t.elapsed();
        }
        eprintln!("{fmt}: {files} files, {bytes_total} bytes, {total:?}");
    }
}

fn synthetic(n: usize) -> String {
    let mut s = String::from(
        r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"big","documentNamespace":"https://x/big","creationInfo":{"created":"2024-01-01T00:00:00Z","creators":["Tool: gen"]},"documentDescribes":["SPDXRef-p0"],"packages":["#,
    );
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            r#"{{"SPDXID":"SPDXRef-p{i}","name":"pkg-{i}","versionInfo":"1.{i}.0","supplier":"Organization: Vendor {v}","downloadLocation":"https://example.com/pkg-{i}.tgz","licenseConcluded":"MIT","licenseDeclared":"MIT","copyrightText":"NOASSERTION","description":"Package number {i} of a generated document, with some text to read.","checksums":[{{"algorithm":"SHA256","checksumValue":"{i:064x}"}}],"externalRefs":[{{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:npm/pkg-{i}@1.{i}.0"}},{{"referenceCategory":"SECURITY","referenceType":"cpe23Type","referenceLocator":"cpe:2.3:a:vendor{v}:pkg-{i}:1.{i}.0:*:*:*:*:*:*:*"}}]}}"#,
            v = i % 97
        ));
    }
    s.push_str(r#"],"relationships":["#);
    for i in 1..n {
        if i > 1 {
            s.push(',');
        }
        s.push_str(&format!(
            r#"{{"spdxElementId":"SPDXRef-p{}","relationshipType":"DEPENDS_ON","relatedSpdxElement":"SPDXRef-p{i}"}}"#,
            i / 2
        ));
    }
    s.push_str("]}");
    s
}
