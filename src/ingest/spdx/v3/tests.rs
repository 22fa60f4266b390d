use super::*;
use crate::ingest::IngestErrorKind;
use crate::model::{ExternalRefKind, PartyKind, Role};

fn codes(s: &Sbom, code: DiagnosticCode) -> Vec<String> {
    s.diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.to_string())
        .collect()
}

fn by_ref<'s>(s: &'s Sbom, id: &str) -> &'s crate::model::Component {
    s.components
        .iter()
        .find(|c| c.bom_ref == id)
        .unwrap_or_else(|| panic!("no component {id}"))
}

/// A product `app` (root through SpdxDocument -> software_Sbom), depending on `lib`, which
/// contains a file; `lib` is supplied by an organisation and licensed by expression.
const FULL: &str = r#"{
  "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
  "@graph": [
    {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1",
     "created": "2025-01-02T03:04:05Z", "createdBy": ["urn:person"], "createdUsing": ["urn:tool"]},
    {"type": "Person", "spdxId": "urn:person", "creationInfo": "_:ci", "name": "Jane Doe",
     "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "email",
                             "identifier": "jane@example.com"}]},
    {"type": "Tool", "spdxId": "urn:tool", "creationInfo": "_:ci", "name": "builder-1.0"},
    {"type": "Organization", "spdxId": "urn:acme", "creationInfo": "_:ci", "name": "Acme Networks"},
    {"type": "SpdxDocument", "spdxId": "urn:doc", "creationInfo": "_:ci", "name": "router-fw",
     "rootElement": ["urn:sbom"]},
    {"type": "software_Sbom", "spdxId": "urn:sbom", "creationInfo": "_:ci",
     "rootElement": ["urn:app"]},
    {"type": "software_Package", "spdxId": "urn:app", "creationInfo": "_:ci", "name": "router",
     "software_packageVersion": "2.1", "software_primaryPurpose": "firmware"},
    {"type": "software_Package", "spdxId": "urn:lib", "creationInfo": "_:ci", "name": "openssl",
     "software_packageVersion": "3.0.13",
     "software_packageUrl": "pkg:generic/openssl@3.0.13",
     "software_downloadLocation": "https://www.openssl.org/source/openssl-3.0.13.tar.gz",
     "software_homePage": "https://www.openssl.org",
     "suppliedBy": "urn:acme", "originatedBy": ["urn:person"],
     "externalIdentifier": [
       {"type": "ExternalIdentifier", "externalIdentifierType": "cpe23",
        "identifier": "cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*"},
       {"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl",
        "identifier": "pkg:ignored/because-software-packageUrl-wins"}],
     "verifiedUsing": [{"type": "Hash", "algorithm": "sha256", "hashValue": "abc123"},
                       {"type": "PackageVerificationCode", "algorithm": "sha1", "hashValue": "ff"}]},
    {"type": "software_File", "spdxId": "urn:file", "creationInfo": "_:ci", "name": "libssl.so"},
    {"type": "simplelicensing_LicenseExpression", "spdxId": "urn:lic-decl", "creationInfo": "_:ci",
     "simplelicensing_licenseExpression": "Apache-2.0 OR MIT"},
    {"type": "simplelicensing_LicenseExpression", "spdxId": "urn:lic-conc", "creationInfo": "_:ci",
     "simplelicensing_licenseExpression": "Apache-2.0"},
    {"type": "Relationship", "spdxId": "urn:r1", "creationInfo": "_:ci", "from": "urn:app",
     "to": ["urn:lib"], "relationshipType": "dependsOn"},
    {"type": "Relationship", "spdxId": "urn:r2", "creationInfo": "_:ci", "from": "urn:lib",
     "to": ["urn:file"], "relationshipType": "contains"},
    {"type": "Relationship", "spdxId": "urn:r3", "creationInfo": "_:ci", "from": "urn:lib",
     "to": ["urn:lic-decl"], "relationshipType": "hasDeclaredLicense"},
    {"type": "Relationship", "spdxId": "urn:r4", "creationInfo": "_:ci", "from": "urn:lib",
     "to": ["urn:lic-conc"], "relationshipType": "hasConcludedLicense"},
    {"type": "Relationship", "spdxId": "urn:r5", "creationInfo": "_:ci", "from": "urn:app",
     "to": ["urn:lic-decl"], "relationshipType": "hasDeclaredLicense"}
  ]
}"#;

#[test]
fn full_document_maps_packages_roots_and_relations() {
    let s = parse("t.jsonld", FULL).unwrap();
    assert_eq!(s.components.len(), 2, "two packages, no synthetic root");
    assert_eq!(s.component_count(), 1, "the root is not counted");
    let app = by_ref(&s, "urn:app");
    assert_eq!(app.role, Role::Root);
    assert_eq!(app.kind, ComponentKind::Firmware);
    assert_eq!(app.licenses.as_deref(), Some("Apache-2.0 OR MIT"));
    assert_eq!(
        app.location,
        Some(crate::model::Location::Node("urn:app".into()))
    );

    let lib = by_ref(&s, "urn:lib");
    assert_eq!(lib.role, Role::Component);
    assert_eq!(lib.kind, ComponentKind::Library);
    assert_eq!(lib.version.as_deref(), Some("3.0.13"));
    assert_eq!(lib.purl.as_deref(), Some("pkg:generic/openssl@3.0.13"));
    assert_eq!(
        lib.cpes,
        vec!["cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*"]
    );
    let supplier = lib.supplier.as_ref().unwrap();
    assert_eq!(supplier.kind, PartyKind::Organization);
    assert_eq!(supplier.name.as_deref(), Some("Acme Networks"));
    let originator = lib.originator.as_ref().unwrap();
    assert_eq!(originator.kind, PartyKind::Person);
    assert_eq!(originator.email.as_deref(), Some("jane@example.com"));
    assert_eq!(
        lib.licenses.as_deref(),
        Some("Apache-2.0"),
        "concluded wins"
    );
    assert_eq!(lib.hashes.len(), 1, "the verification code is not a hash");
    assert_eq!(
        (lib.hashes[0].alg.as_ref(), lib.hashes[0].value.as_str()),
        ("SHA256", "abc123")
    );
    let kinds: Vec<_> = lib.external_refs.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        vec![ExternalRefKind::Distribution, ExternalRefKind::Website]
    );

    assert_eq!(
        s.relations.len(),
        1,
        "contains-a-file and licences are not edges"
    );
    let r = &s.relations[0];
    assert_eq!(
        (
            s.component(r.from).bom_ref.as_str(),
            s.component(r.to).bom_ref.as_str()
        ),
        ("urn:app", "urn:lib")
    );
    assert_eq!(r.kind, RelationKind::DependsOn);
    assert_eq!(s.source_type(r), "dependsOn");

    let d = &s.document;
    assert_eq!(d.spec_version, "3.0.1");
    assert_eq!(d.name.as_deref(), Some("router-fw"));
    assert_eq!(d.id.as_deref(), Some("urn:doc"));
    assert_eq!(d.created.as_deref(), Some("2025-01-02T03:04:05Z"));
    assert_eq!(d.tools, vec!["builder-1.0"]);
    assert_eq!(d.authors.len(), 1);
    assert_eq!(d.authors[0].name.as_deref(), Some("Jane Doe"));
    assert_eq!(d.files, 1);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
}

fn doc(elements: &str) -> String {
    format!(
        r#"{{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
        {{"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1", "created": "2025-01-01T00:00:00Z"}},
        {{"type": "SpdxDocument", "spdxId": "d", "creationInfo": "_:ci", "name": "n", "rootElement": ["a"]}},
        {{"type": "software_Package", "spdxId": "a", "name": "a"}},
        {{"type": "software_Package", "spdxId": "b", "name": "b"}},
        {elements}]}}"#
    )
}

#[test]
fn reversed_relationship_flips_direction() {
    let s = parse(
        "t",
        &doc(r#"{"type": "Relationship", "from": "b", "to": ["a"], "relationshipType": "packagedBy"}"#),
    )
    .unwrap();
    assert_eq!(s.relations.len(), 1);
    let r = &s.relations[0];
    assert_eq!(s.component(r.from).bom_ref, "a", "a packages b");
    assert_eq!(s.component(r.to).bom_ref, "b");
    assert_eq!(r.kind, RelationKind::Contains);
}

#[test]
fn unknown_relationship_type_warns_once_per_type_with_count() {
    let s = parse(
        "t",
        &doc(
            r#"{"type": "Relationship", "from": "a", "to": ["b"], "relationshipType": "friendOf"},
               {"type": "Relationship", "from": "b", "to": ["a"], "relationshipType": "friendOf"}"#,
        ),
    )
    .unwrap();
    let w = codes(&s, DiagnosticCode::NonStandardRelation);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("'friendOf'") && w[0].contains("2 relation(s)"),
        "{w:?}"
    );
    assert_eq!(s.relations.len(), 2);
    assert!(s.relations.iter().all(|r| r.kind == RelationKind::Other));
    assert_eq!(s.source_type(&s.relations[0]), "friendOf");
}

#[test]
fn dangling_to_is_reported_by_the_builder() {
    let s = parse(
        "t",
        &doc(r#"{"type": "Relationship", "spdxId": "r9", "from": "a", "to": ["b", "ghost"], "relationshipType": "dependsOn"}"#),
    )
    .unwrap();
    assert_eq!(s.relations.len(), 1, "a -> b kept");
    let w = codes(&s, DiagnosticCode::DanglingReference);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("'ghost'") && w[0].contains("node r9"),
        "{w:?}"
    );
}

#[test]
fn duplicate_spdx_id_is_reported() {
    let s = parse(
        "t",
        &doc(r#"{"type": "software_Package", "spdxId": "b", "name": "b-again"}"#),
    )
    .unwrap();
    assert_eq!(codes(&s, DiagnosticCode::DuplicateId).len(), 1);
    assert_eq!(s.components.len(), 3, "both kept as nodes");
}

#[test]
fn undefined_supplier_is_reported() {
    let s = parse(
        "t",
        &doc(r#"{"type": "software_Package", "spdxId": "c", "name": "c", "suppliedBy": "urn:nobody"}"#),
    )
    .unwrap();
    assert_eq!(by_ref(&s, "c").supplier, None);
    let w = codes(&s, DiagnosticCode::DanglingReference);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("'urn:nobody'") && w[0].contains("node c"),
        "{w:?}"
    );
}

#[test]
fn describes_from_the_document_marks_the_root() {
    let text = r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
        {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.0", "created": "2025-01-01T00:00:00Z"},
        {"type": "SpdxDocument", "spdxId": "d", "creationInfo": "_:ci", "name": "n"},
        {"type": "software_Package", "spdxId": "a", "name": "a"},
        {"type": "software_Package", "spdxId": "b", "name": "b"},
        {"type": "Relationship", "from": "d", "to": ["a"], "relationshipType": "describes"},
        {"type": "Relationship", "from": "a", "to": ["b"], "relationshipType": "dependsOn"}]}"#;
    let s = parse("t", text).unwrap();
    assert_eq!(s.roots.len(), 1);
    assert_eq!(s.component(s.roots[0]).bom_ref, "a");
    assert_eq!(s.relations.len(), 1, "describes is not an edge");
    assert_eq!(s.document.spec_version, "3.0.0");
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
}

#[test]
fn prefixed_and_iri_names_inline_objects_and_json_ld_keywords() {
    let text = r#"{"@context": ["https://spdx.org/rdf/3.0.1/spdx-context.jsonld"], "@graph": [
        {"@type": "SpdxDocument", "@id": "d", "rootElement": {"@id": "a"},
         "creationInfo": {"type": "CreationInfo", "specVersion": "3.0.1",
                          "created": {"@value": "2025-01-01T00:00:00Z"},
                          "createdUsing": [{"type": "Tool", "name": "gen"}]}},
        {"type": "software:Package", "spdxId": "a", "software:packageVersion": 1.5,
         "name": "a", "suppliedBy": {"type": "Organization", "name": "Inline Org"}},
        {"type": ["https://spdx.org/rdf/3.0.1/terms/Software/Package"], "spdxId": "b",
         "https://spdx.org/rdf/3.0.1/terms/Core/name": [{"@value": "b"}]},
        {"type": "https://spdx.org/rdf/3.0.1/terms/Core/Relationship", "from": "a", "to": "b",
         "relationshipType": "https://spdx.org/rdf/3.0.1/terms/Core/RelationshipType/hasStaticLink"}]}"#;
    let s = parse("t", text).unwrap();
    assert_eq!(s.components.len(), 2);
    let a = by_ref(&s, "a");
    assert_eq!(a.role, Role::Root);
    assert_eq!(a.version.as_deref(), Some("1.5"), "a number read as text");
    assert_eq!(
        a.supplier.as_ref().unwrap().name.as_deref(),
        Some("Inline Org")
    );
    assert_eq!(by_ref(&s, "b").name, "b");
    assert_eq!(s.relations.len(), 1);
    assert_eq!(s.relations[0].kind, RelationKind::DependsOn);
    assert_eq!(s.document.tools, vec!["gen"]);
    assert_eq!(s.document.created.as_deref(), Some("2025-01-01T00:00:00Z"));
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
}

#[test]
fn unknown_purpose_warns_once_and_spdx3_only_purposes_do_not() {
    let s = parse(
        "t",
        &doc(r#"{"type": "software_Package", "spdxId": "c", "name": "c", "software_primaryPurpose": "spaceship"},
               {"type": "software_Package", "spdxId": "e", "name": "e", "software_primaryPurpose": "spaceship"},
               {"type": "software_Package", "spdxId": "f", "name": "f", "software_primaryPurpose": "documentation"}"#),
    )
    .unwrap();
    let w = codes(&s, DiagnosticCode::UnknownComponentType);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("2 package(s)"), "{w:?}");
    assert_eq!(by_ref(&s, "c").kind, ComponentKind::Other);
    assert_eq!(by_ref(&s, "f").kind, ComponentKind::Other);
}

#[test]
fn a_file_dependency_is_lifted_to_its_package() {
    let s = parse(
        "t",
        &doc(r#"{"type": "software_File", "spdxId": "bin", "name": "./main"},
               {"type": "Relationship", "from": "a", "to": ["bin"], "relationshipType": "contains"},
               {"type": "Relationship", "from": "bin", "to": ["b"], "relationshipType": "dependsOn"}"#),
    )
    .unwrap();
    assert_eq!(s.relations.len(), 1);
    assert_eq!(s.component(s.relations[0].from).bom_ref, "a");
    assert_eq!(s.component(s.relations[0].to).bom_ref, "b");
}

#[test]
fn namespace_map_prefixes_are_expanded() {
    let text = r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
        {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1"},
        {"type": "SpdxDocument", "spdxId": "https://x.org/d", "creationInfo": "_:ci",
         "namespaceMap": [{"prefix": "x", "namespace": "https://x.org/"}], "rootElement": ["x:a"]},
        {"type": "software_Package", "spdxId": "https://x.org/a", "name": "a"},
        {"type": "software_Package", "spdxId": "x:b", "name": "b"},
        {"type": "Relationship", "from": "https://x.org/a", "to": ["x:b"], "relationshipType": "dependsOn"}]}"#;
    let s = parse("t", text).unwrap();
    assert_eq!(s.component(s.roots[0]).bom_ref, "https://x.org/a");
    assert_eq!(s.relations.len(), 1);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
}

#[test]
fn wrong_types_are_skipped_with_a_warning() {
    let s = parse(
        "t",
        &doc(r#"{"type": "software_Package", "spdxId": "c", "name": {"first": "x"}, "software_packageVersion": "1"},
               {"type": "Relationship", "from": "a", "to": [true, "c"], "relationshipType": "dependsOn"},
               {"type": "Relationship", "to": ["c"], "relationshipType": "dependsOn"},
               42"#),
    )
    .unwrap();
    let c = by_ref(&s, "c");
    assert_eq!(
        c.version.as_deref(),
        Some("1"),
        "the rest of the element is read"
    );
    assert!(c.name.is_empty());
    assert_eq!(codes(&s, DiagnosticCode::MissingField).len(), 1, "no name");
    let w = codes(&s, DiagnosticCode::SkippedValue);
    assert_eq!(w.len(), 4, "{w:?}");
    assert!(w.iter().any(|m| m.contains("property name")), "{w:?}");
    assert!(w.iter().any(|m| m.contains("has no `from`")), "{w:?}");
    assert!(w.iter().any(|m| m.contains("not an object")), "{w:?}");
}

#[test]
fn missing_graph_is_a_clean_error() {
    let e = parse(
        "x.jsonld",
        r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "spdxId": "d"}"#,
    )
    .unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::NotAnSbom);
    assert!(e.to_string().contains("`@graph`"), "{e}");
    let e = parse("x.jsonld", r#"{"@graph": "nope"}"#).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::Syntax);
    assert!(e.location.is_some(), "{e}");
    let e = parse("x.jsonld", "[1]").unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::Syntax);
}

#[test]
fn deep_nesting_is_a_clean_error() {
    // serde_json skips an unknown property's value without recursing: deep but ignored is fine.
    let deep = format!(
        r#"{{"@graph": [{{"type": "software_Package", "name": "a", "comment": {}1{}}}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(parse("deep.jsonld", &deep).unwrap().components.len(), 2);
    for field in ["name", "creationInfo", "to"] {
        let deep = format!(
            r#"{{"@graph": [{{"type": "software_Package", "{field}": {}1{}}}]}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let e = parse("deep.jsonld", &deep).unwrap_err();
        assert_eq!(e.kind, IngestErrorKind::Syntax);
        assert!(e.message.contains("recursion limit"), "{e}");
    }
    let deep = format!(
        r#"{{"@graph": [{}]}}"#,
        r#"{"type": "Relationship", "from": "#.repeat(50_000)
    );
    let e = parse("deep.jsonld", &deep).unwrap_err();
    assert!(e.message.contains("recursion limit"), "{e}");
}

#[test]
fn spec_version_falls_back_to_the_context() {
    let s = parse(
        "t",
        r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
            {"type": "software_Package", "spdxId": "a", "name": "a"}]}"#,
    )
    .unwrap();
    assert_eq!(s.document.spec_version, "3.0.1");
    assert_eq!(codes(&s, DiagnosticCode::UnknownSpecVersion).len(), 1);
    assert_eq!(codes(&s, DiagnosticCode::NoRoot).len(), 1);
}

/// The SPDX 3 files of the corpus (skipped when `../shared/corpus` is absent). Every file must
/// parse. The independent count in MANIFEST.tsv counts elements typed exactly
/// `software_Package`, roots included; this reader also counts `ai_AIPackage` and
/// `dataset_DatasetPackage`, so those are added to the expectation.
#[test]
fn corpus_counts_match_manifest() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        return;
    };
    let mut checked = 0;
    for line in manifest.lines().filter(|l| l.starts_with("spdx3/")) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(path), Some(count)) = (cols.first(), cols.get(6)) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(dir.join(path)) else {
            continue;
        };
        let s = parse(path, &text).unwrap_or_else(|e| panic!("{e}"));
        let extra = text.matches("\"ai_AIPackage\"").count()
            + text.matches("\"dataset_DatasetPackage\"").count();
        let packages = s
            .components
            .iter()
            .filter(|c| c.bom_ref != "sbomrisk:root")
            .count();
        let expected: usize = count.parse().unwrap();
        assert_eq!(packages, expected + extra, "{path}");
        checked += 1;
    }
    assert!(checked == 0 || checked >= 30, "{checked} files checked");
}

/// `cargo test --release --lib spdx::v3::tests::bench -- --ignored --nocapture`: a Yocto-sized
/// synthetic document (50k packages, 50k files, 150k relationships).
#[test]
#[ignore]
fn bench_50k_packages() {
    use std::fmt::Write;
    let n = 50_000;
    let mut t = String::from(
        r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
{"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1", "created": "2025-01-01T00:00:00Z", "createdBy": ["http://x/org"]},
{"type": "Organization", "spdxId": "http://x/org", "creationInfo": "_:ci", "name": "OpenEmbedded"},
{"type": "SpdxDocument", "spdxId": "http://x/doc", "creationInfo": "_:ci", "name": "core-image", "rootElement": ["http://x/sbom"]},
{"type": "software_Sbom", "spdxId": "http://x/sbom", "creationInfo": "_:ci", "rootElement": ["http://x/pkg/0"]}"#,
    );
    for i in 0..n {
        let _ = write!(
            t,
            r#",
{{"type": "software_Package", "spdxId": "http://x/pkg/{i}", "creationInfo": "_:ci", "name": "pkg-{i}", "software_packageVersion": "1.{i}", "software_primaryPurpose": "library", "suppliedBy": "http://x/org", "software_downloadLocation": "https://example.org/src/pkg-{i}.tar.gz", "externalIdentifier": [{{"type": "ExternalIdentifier", "externalIdentifierType": "cpe23", "identifier": "cpe:2.3:a:x:pkg-{i}:1.{i}:*:*:*:*:*:*:*"}}, {{"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl", "identifier": "pkg:generic/pkg-{i}@1.{i}"}}], "verifiedUsing": [{{"type": "Hash", "algorithm": "sha256", "hashValue": "{i:064x}"}}]}},
{{"type": "software_File", "spdxId": "http://x/file/{i}", "creationInfo": "_:ci", "name": "/usr/lib/lib{i}.so", "verifiedUsing": [{{"type": "Hash", "algorithm": "sha256", "hashValue": "{i:064x}"}}]}},
{{"type": "Relationship", "spdxId": "http://x/rel/c{i}", "creationInfo": "_:ci", "from": "http://x/pkg/{i}", "to": ["http://x/file/{i}"], "relationshipType": "contains", "completeness": "complete"}},
{{"type": "Relationship", "spdxId": "http://x/rel/d{i}", "creationInfo": "_:ci", "from": "http://x/pkg/{}", "to": ["http://x/pkg/{i}"], "relationshipType": "dependsOn"}},
{{"type": "Relationship", "spdxId": "http://x/rel/l{i}", "creationInfo": "_:ci", "from": "http://x/pkg/{i}", "to": ["http://x/lic"], "relationshipType": "hasDeclaredLicense"}}"#,
            i / 2
        );
    }
    t.push_str(
        r#",
{"type": "simplelicensing_LicenseExpression", "spdxId": "http://x/lic", "creationInfo": "_:ci", "simplelicensing_licenseExpression": "MIT"}]}"#,
    );
    // Peak resident memory (Linux): the text alone, then our parse, then a Value parse.
    let hwm = || {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM"))
                    .map(|l| l.to_string())
            })
            .unwrap_or_default()
    };
    println!("text only: {}", hwm());
    drop(std::hint::black_box(parse("bench", &t).unwrap()));
    println!("after parse: {}", hwm());
    drop(std::hint::black_box(
        serde_json::from_str::<serde_json::Value>(&t).unwrap(),
    ));
    println!("after serde_json::Value: {}", hwm());
    let best = |f: &dyn Fn()| {
        (0..5)
            .map(|_| {
                let t0 = std::time::Instant::now();
                f();
                t0.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let value = best(&|| {
        std::hint::black_box(serde_json::from_str::<serde_json::Value>(&t).unwrap());
    });
    let ours = best(&|| {
        let s = parse("bench", &t).unwrap();
        assert_eq!(s.components.len(), n);
        std::hint::black_box(s);
    });
    let read = best(&|| {
        std::hint::black_box(super::collect::read("bench", &t).unwrap());
    });
    println!("collect::read alone {read:?}");
    let s = parse("bench", &t).unwrap();
    println!(
        "{} MB, {} components, {} relations: parse {:?}, serde_json::Value {:?}",
        t.len() / 1_000_000,
        s.components.len(),
        s.relations.len(),
        ours,
        value
    );
}
