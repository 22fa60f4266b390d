//! SPDX: 2.2/2.3 in JSON, YAML, XML, tag-value and RDF/XML; 3.0 in JSON-LD.
//!
//! Every SPDX 2 serialisation is read into one lenient model ([`model::Document`]): JSON and YAML
//! by serde, SPDX XML by converting the element tree, tag-value and RDF/XML by hand. One
//! function ([`build::build`]) turns that model into an [`Sbom`].

mod build;
mod model;
mod rdf;
pub mod relationships;
mod tagvalue;
pub mod v3;
mod xml;

use super::IngestError;
use crate::model::{Diagnostic, DiagnosticCode, Location, Sbom, Serialization};

/// Reads an SPDX 2 JSON document. Content after the closing brace (web-page text appended to a
/// download) is ignored with an I010 warning.
pub fn parse_json(path: &str, text: &str) -> Result<Sbom, IngestError> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<model::Document>();
    let doc = match stream.next() {
        Some(Ok(doc)) => doc,
        Some(Err(e)) => return Err(IngestError::from_json(path, &e)),
        None => {
            return Err(IngestError::new(
                super::IngestErrorKind::Empty,
                path,
                "the document is empty",
            ))
        }
    };
    let end = stream.byte_offset();
    let mut sbom = build::build(
        path,
        Serialization::Json,
        &doc,
        &|i| Location::JsonPointer(format!("/packages/{i}")),
        &|i| format!("/relationships/{i}"),
        Vec::new(),
    );
    let rest = text.get(end..).unwrap_or_default();
    if !rest.trim().is_empty() {
        let (line, col) = super::line_col(text, end + (rest.len() - rest.trim_start().len()));
        sbom.diagnostics.push(
            Diagnostic::new(
                DiagnosticCode::TrailingContent,
                format!(
                    "{} bytes after the end of the JSON document were ignored",
                    rest.trim().len()
                ),
            )
            .at(format!("line {line}, column {col}")),
        );
    }
    Ok(sbom)
}

/// Reads an SPDX 2 YAML document (the same fields as JSON).
pub fn parse_yaml(path: &str, text: &str) -> Result<Sbom, IngestError> {
    check_yaml_flow_depth(path, text)?;
    let doc: model::Document = model::with_scalars_as_text(|| serde_norway::from_str(text))
        .map_err(|e| {
            let loc = e
                .location()
                .map(|l| format!("line {}, column {}", l.line(), l.column()));
            let msg = e.to_string();
            let msg = match msg.find(" at line ") {
                Some(i) => msg[..i].to_string(),
                None => msg,
            };
            IngestError::syntax(path, loc, msg)
        })?;
    Ok(build::build(
        path,
        Serialization::Yaml,
        &doc,
        &|i| Location::JsonPointer(format!("/packages/{i}")),
        &|i| format!("/relationships/{i}"),
        Vec::new(),
    ))
}

/// Flow collections (`[[[[...`) nested deeper than this are refused before parsing: the YAML
/// parser's time grows with the square of the nesting depth (100,000 levels took 15 s).
const MAX_YAML_FLOW_DEPTH: usize = 10_000;

/// A cheap over-estimate of the flow nesting (brackets in quoted text count too, which only
/// matters for documents far beyond any real SBOM).
fn check_yaml_flow_depth(path: &str, text: &str) -> Result<(), IngestError> {
    match super::nesting_over(text, MAX_YAML_FLOW_DEPTH, false) {
        Some(i) => {
            let (l, c) = super::line_col(text, i);
            Err(IngestError::syntax(
                path,
                Some(format!("line {l}, column {c}")),
                format!("YAML nested deeper than {MAX_YAML_FLOW_DEPTH} levels"),
            ))
        }
        None => Ok(()),
    }
}

/// Reads an SPDX 2 XML document (the `<Document>` serialisation of the SPDX tools).
pub fn parse_xml(path: &str, text: &str) -> Result<Sbom, IngestError> {
    xml::parse(path, text)
}

/// Reads an SPDX 2 tag-value document.
pub fn parse_tag_value(path: &str, text: &str) -> Result<Sbom, IngestError> {
    tagvalue::parse(path, text)
}

/// Reads an SPDX 2 RDF/XML document.
pub fn parse_rdf(path: &str, text: &str) -> Result<Sbom, IngestError> {
    rdf::parse(path, text)
}

/// Reads an SPDX 3.0 JSON-LD document: see [`v3`].
pub fn parse_v3_json_ld(path: &str, text: &str) -> Result<Sbom, IngestError> {
    v3::parse(path, text)
}
#[cfg(test)]
mod corpus_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ExternalRefKind, PartyKind, RelationKind, Role};

    const DOC: &str = r#"{
      "spdxVersion": "SPDX-2.3",
      "SPDXID": "SPDXRef-DOCUMENT",
      "name": "router-fw",
      "documentNamespace": "https://example.com/router-fw-1",
      "creationInfo": {"created": "2024-01-01T00:00:00Z",
        "creators": ["Tool: syft-1.0", "Organization: Acme (sbom@acme.example)", "Person: Jo"]},
      "externalDocumentRefs": [{"externalDocumentId": "DocumentRef-base", "spdxDocument": "https://x"}],
      "packages": [
        {"SPDXID": "SPDXRef-fw", "name": "fw", "versionInfo": "1.0",
         "primaryPackagePurpose": "FIRMWARE",
         "supplier": "Organization: Acme", "licenseConcluded": "NOASSERTION",
         "licenseDeclared": "MIT", "downloadLocation": "NOASSERTION",
         "homepage": "https://acme.example"},
        {"SPDXID": "SPDXRef-ssl", "name": "openssl", "versionInfo": "3.0.1",
         "licenseConcluded": "Apache-2.0", "downloadLocation": "https://openssl.org/x.tgz",
         "checksums": [{"algorithm": "SHA256", "checksumValue": "abc"}],
         "externalRefs": [
           {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:generic/openssl@3.0.1"},
           {"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": "cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*"},
           {"referenceCategory": "OTHER", "referenceType": "vcs", "referenceLocator": "git+https://x"}]},
        {"SPDXID": "SPDXRef-zlib", "name": "zlib", "primaryPackagePurpose": "GADGET"}
      ],
      "files": [{"SPDXID": "SPDXRef-f1", "fileName": "a.c"}],
      "relationships": [
        {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-fw"},
        {"spdxElementId": "SPDXRef-ssl", "relationshipType": "DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-fw"},
        {"spdxElementId": "SPDXRef-zlib", "relationshipType": "CONTAINED_BY", "relatedSpdxElement": "SPDXRef-ssl"},
        {"spdxElementId": "SPDXRef-fw", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-f1"},
        {"spdxElementId": "SPDXRef-fw", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "DocumentRef-base:SPDXRef-libc"},
        {"spdxElementId": "SPDXRef-fw", "relationshipType": "FRIEND_OF", "relatedSpdxElement": "SPDXRef-zlib"},
        {"spdxElementId": "SPDXRef-ssl", "relationshipType": "FRIEND_OF", "relatedSpdxElement": "SPDXRef-zlib"},
        {"spdxElementId": "SPDXRef-fw", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "NOASSERTION"}
      ]
    }"#;

    fn codes(s: &Sbom) -> Vec<&'static str> {
        s.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    /// A source repeated across consecutive relationships is looked up once; a source that
    /// is not a component between two of them still warns, and the next ones still relate.
    #[test]
    fn repeated_relationship_sources() {
        let doc = r#"{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT",
            "packages": [{"SPDXID": "SPDXRef-a", "name": "a"}, {"SPDXID": "SPDXRef-b", "name": "b"},
                         {"SPDXID": "SPDXRef-c", "name": "c"}],
            "relationships": [
              {"spdxElementId": "SPDXRef-a", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-b"},
              {"spdxElementId": "SPDXRef-a", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-ghost"},
              {"spdxElementId": "SPDXRef-a", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-c"},
              {"spdxElementId": "SPDXRef-nobody", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-c"},
              {"spdxElementId": "SPDXRef-a", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-c"},
              {"spdxElementId": "SPDXRef-b", "relationshipType": "DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-a"}]}"#;
        let s = parse_json("t.json", doc).unwrap();
        let rel: Vec<_> = s
            .relations
            .iter()
            .map(|r| {
                (
                    s.component(r.from).name.as_str(),
                    s.component(r.to).name.as_str(),
                    r.kind,
                )
            })
            .collect();
        assert_eq!(
            rel,
            vec![
                ("a", "b", RelationKind::DependsOn),
                ("a", "c", RelationKind::Contains),
                ("a", "c", RelationKind::DependsOn),
            ]
        );
        let dangling: Vec<_> = s
            .diagnostics
            .iter()
            .filter(|d| d.code == crate::model::DiagnosticCode::DanglingReference)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            dangling,
            vec![
                "reference to undefined element 'SPDXRef-ghost'",
                "reference to undefined element 'SPDXRef-nobody'",
            ]
        );
    }

    #[test]
    fn json_maps_packages_roots_and_relations() {
        let s = parse_json("t.json", DOC).unwrap();
        let d = &s.document;
        assert_eq!(d.spec_version, "2.3");
        assert_eq!(d.name.as_deref(), Some("router-fw"));
        assert_eq!(d.id.as_deref(), Some("https://example.com/router-fw-1"));
        assert_eq!(d.tools, vec!["syft-1.0"]);
        assert_eq!(d.authors.len(), 2);
        assert_eq!(d.authors[0].kind, PartyKind::Organization);
        assert_eq!(d.files, 1);
        assert_eq!(s.components.len(), 3);
        assert_eq!(s.component_count(), 2, "the described package is the root");
        let fw = &s.components[0];
        assert_eq!(fw.role, Role::Root);
        assert_eq!(fw.kind, crate::model::ComponentKind::Firmware);
        assert_eq!(
            fw.licenses.as_deref(),
            Some("MIT"),
            "NOASSERTION concluded -> declared"
        );
        assert_eq!(fw.supplier.as_ref().unwrap().name.as_deref(), Some("Acme"));
        assert_eq!(fw.external_refs.len(), 1, "NOASSERTION download is dropped");
        assert_eq!(fw.external_refs[0].kind, ExternalRefKind::Website);
        let ssl = &s.components[1];
        assert_eq!(ssl.purl.as_deref(), Some("pkg:generic/openssl@3.0.1"));
        assert_eq!(ssl.cpes.len(), 1);
        assert_eq!(ssl.hashes[0].alg, "SHA256");
        assert_eq!(ssl.licenses.as_deref(), Some("Apache-2.0"));
        assert!(ssl
            .external_refs
            .iter()
            .any(|r| r.kind == ExternalRefKind::Distribution));
        assert!(ssl
            .external_refs
            .iter()
            .any(|r| r.kind == ExternalRefKind::Vcs));
        assert_eq!(
            ssl.location,
            Some(Location::JsonPointer("/packages/1".into()))
        );
        // DEPENDENCY_OF and CONTAINED_BY are reversed; DESCRIBES from the document is no edge;
        // the file, the external document element and NOASSERTION drop quietly.
        let rel: Vec<_> = s
            .relations
            .iter()
            .map(|r| (r.from.0, r.to.0, r.kind, s.source_type(r)))
            .collect();
        assert_eq!(
            rel,
            vec![
                (0, 1, RelationKind::DependsOn, "DEPENDENCY_OF"),
                (1, 2, RelationKind::Contains, "CONTAINED_BY"),
                (0, 2, RelationKind::Other, "FRIEND_OF"),
                (1, 2, RelationKind::Other, "FRIEND_OF"),
            ]
        );
        let c = codes(&s);
        assert!(!c.contains(&"I001"), "{:?}", s.diagnostics);
        assert_eq!(
            c.iter().filter(|c| **c == "I006").count(),
            1,
            "once per type"
        );
        assert!(s
            .diagnostics
            .iter()
            .any(|d| d.message.contains("FRIEND_OF") && d.message.contains("2 relationships")));
        assert!(c.contains(&"I007"), "GADGET is not a purpose");
    }

    #[test]
    fn document_describes_and_described_by_mark_roots() {
        let doc = r#"{"spdxVersion": "SPDX-2.2", "SPDXID": "SPDXRef-DOCUMENT",
          "documentDescribes": ["SPDXRef-a"],
          "packages": [{"SPDXID": "SPDXRef-a", "name": "a"}, {"SPDXID": "SPDXRef-b", "name": "b"},
                       {"SPDXID": "SPDXRef-c", "name": "c"}],
          "relationships": [
            {"spdxElementId": "SPDXRef-b", "relationshipType": "DESCRIBED_BY", "relatedSpdxElement": "SPDXRef-DOCUMENT"},
            {"spdxElementId": "SPDXRef-a", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-c"}]}"#;
        let s = parse_json("t.json", doc).unwrap();
        let roots: Vec<_> = s
            .roots
            .iter()
            .map(|r| s.component(*r).name.as_str())
            .collect();
        assert_eq!(roots, vec!["a", "b"]);
        assert_eq!(s.component_count(), 1);
        assert_eq!(
            s.relations.len(),
            1,
            "DESCRIBES between packages stays an edge"
        );
        assert_eq!(s.relations[0].kind, RelationKind::Describes);
    }

    #[test]
    fn trivy_describe_marks_root_with_warning() {
        let doc = r#"{"spdxVersion": "SPDX-2.2", "SPDXID": "SPDXRef-DOCUMENT",
          "packages": [{"SPDXID": "SPDXRef-a", "name": "a"}],
          "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBE", "relatedSpdxElement": "SPDXRef-a"}]}"#;
        let s = parse_json("t.json", doc).unwrap();
        assert_eq!(s.roots.len(), 1);
        assert_eq!(s.component(s.roots[0]).name, "a");
        assert_eq!(codes(&s), vec!["I006"]);
    }

    #[test]
    fn json_trailing_text_is_a_warning_and_versions_are_checked() {
        let doc = "{\"spdxVersion\": \"SPDX-9.9\", \"packages\": [{\"SPDXID\": \"SPDXRef-a\", \"name\": \"a\", \"versionInfo\": 12}]}\n<html>oops</html>";
        let s = parse_json("t.json", doc).unwrap();
        let c = codes(&s);
        assert!(c.contains(&"I010") && c.contains(&"I012"), "{c:?}");
        assert_eq!(s.components[0].version.as_deref(), Some("12"));
        let loc = s
            .diagnostics
            .iter()
            .find(|d| d.code == DiagnosticCode::TrailingContent)
            .and_then(|d| d.location.clone());
        assert_eq!(loc.as_deref(), Some("line 2, column 1"));
    }

    #[test]
    fn json_errors_are_located() {
        let e = parse_json("t.json", "{\"packages\": [1,}").unwrap_err();
        assert!(e.location.is_some(), "{e}");
        let deep = "[".repeat(10_000);
        let e = parse_json("t.json", &format!("{{\"x\": {deep}}}")).unwrap_err();
        assert_eq!(e.kind, crate::ingest::IngestErrorKind::Syntax);
    }

    #[test]
    fn json_borrows_plain_strings() {
        let text = r#"{"packages": [{"name": "plain", "versionInfo": "esc\"aped"}]}"#;
        let doc: model::Document = serde_json::from_str(text).unwrap();
        let p = &doc.packages[0];
        assert!(matches!(
            p.name.as_ref().unwrap().0,
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(matches!(
            p.version_info.as_ref().unwrap().0,
            std::borrow::Cow::Owned(_)
        ));
    }

    #[test]
    fn yaml_reads_the_same_model() {
        let doc = "spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nname: y\ndocumentDescribes:\n  - SPDXRef-a\npackages:\n  - SPDXID: SPDXRef-a\n    name: a\n  - SPDXID: SPDXRef-b\n    name: b\n    versionInfo: 1.10\n    licenseConcluded: NONE\nrelationships:\n  - spdxElementId: SPDXRef-a\n    relationshipType: DEPENDS_ON\n    relatedSpdxElement: SPDXRef-b\n";
        let s = parse_yaml("t.yaml", doc).unwrap();
        assert_eq!(s.document.spec_version, "2.3");
        assert_eq!(s.component_count(), 1);
        assert_eq!(
            s.components[1].version.as_deref(),
            Some("1.10"),
            "the scalar's text, not the float 1.1"
        );
        assert_eq!(s.components[1].licenses, None);
        assert_eq!(s.relations.len(), 1);
        let e = parse_yaml("t.yaml", "packages: [a, b\n").unwrap_err();
        assert!(e.location.is_some(), "{e}");
    }
}

#[cfg(test)]
mod yaml_safety {
    #[test]
    fn yaml_alias_bomb_and_deep_nesting_end_cleanly() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for c in 'b'..='j' {
            bomb.push_str(&format!(
                "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
            prev = c;
        }
        bomb.push_str("spdxVersion: SPDX-2.3\n");
        // An alias into an ignored field is skipped, one into a string field is refused: neither
        // expands the billion lists.
        for tail in ["", "packages: [{name: *j, versionInfo: *j}]\n"] {
            let t = std::time::Instant::now();
            let r = super::parse_yaml("bomb.yaml", &format!("{bomb}{tail}"));
            assert!(t.elapsed().as_secs() < 5, "took {:?}", t.elapsed());
            assert_eq!(r.is_ok(), tail.is_empty(), "{:?}", r.err());
        }
        let deep = format!("spdxVersion: SPDX-2.3\nx: {}", "[".repeat(100_000));
        let e = super::parse_yaml("deep.yaml", &deep).unwrap_err();
        assert!(e.message.contains("deeper"), "{e}");
    }
}
