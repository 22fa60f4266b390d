use super::json::Val;
use super::*;
use crate::attribution::Attributor;
use crate::ingest::ingest_bytes;

/// An enriched document, written out.
struct Done {
    text: String,
    stats: Stats,
}

impl Done {
    fn text(&self) -> String {
        self.text.clone()
    }
}

fn run(path: &str, text: &str) -> (Done, Sbom) {
    let reg = Registry::embedded().unwrap();
    let sbom = ingest_bytes(path, text.as_bytes()).unwrap();
    let at = Attributor::new(&reg);
    let list = at.attribute(&sbom);
    let out = enrich(&sbom, text, &list, &reg, &Options::default()).unwrap();
    let done = Done {
        text: out.text(),
        stats: out.stats.clone(),
    };
    drop(out);
    drop(list);
    (done, sbom)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

fn props(c: &serde_json::Value) -> Vec<(String, String)> {
    c["properties"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap().to_string(),
                        p["value"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Non-root refs, sorted: what enrich must not change.
fn refs(s: &Sbom) -> Vec<String> {
    let mut v: Vec<String> = s
        .components
        .iter()
        .filter(|c| c.role != crate::model::Role::Root)
        .map(|c| c.bom_ref.clone())
        .collect();
    v.sort();
    v
}

const CDX16: &str = r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
  "version": 4,
  "x-vendor-extension": {"z": 1, "a": [1.5, true, null]},
  "metadata": {
    "timestamp": "2024-01-01T00:00:00Z",
    "component": {"type": "firmware", "bom-ref": "fw", "name": "router-fw", "version": "1"}
  },
  "components": [
    {"type": "library", "bom-ref": "linux", "name": "linux", "version": "5.15",
     "cpe": "cpe:2.3:o:linux:linux_kernel:5.15:*:*:*:*:*:*:*",
     "zzz-unknown": "kept", "properties": [{"name": "internal:id", "value": "7"}],
     "components": [
       {"type": "library", "name": "lodash", "version": "4.17.21", "purl": "pkg:npm/lodash@4.17.21"}
     ]},
    {"type": "library", "bom-ref": "bb", "name": "busybox", "version": "1.36",
     "supplier": {"name": "Somebody Else Ltd"},
     "purl": "pkg:generic/busybox@1.36"}
  ],
  "dependencies": [{"ref": "fw", "dependsOn": ["linux", "bb"]}]
}"#;

#[test]
fn json_adds_supplier_where_none_and_keeps_everything_else() {
    let (out, before) = run("a.json", CDX16);
    let v = json(&out.text());
    // Unknown and extension fields survive, in their order.
    assert_eq!(
        v["x-vendor-extension"],
        json(r#"{"z": 1, "a": [1.5, true, null]}"#)
    );
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert!(keys.len() >= 7);
    let linux = &v["components"][0];
    assert_eq!(linux["zzz-unknown"], "kept");
    // Supplier added with name, url and (1.6) address.country.
    assert_eq!(linux["supplier"]["name"], "The Linux Foundation");
    assert_eq!(linux["supplier"]["address"]["country"], "US");
    assert!(linux["supplier"]["url"][0]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    // The document's own property first, then ours.
    let p = props(linux);
    assert_eq!(p[0], ("internal:id".to_string(), "7".to_string()));
    assert!(p.contains(&("sbomrisk:vendor_id".into(), "linux-foundation".into())));
    assert!(p.contains(&("sbomrisk:country".into(), "US".into())));
    assert!(p.iter().any(|(k, _)| k == "sbomrisk:confidence"));
    assert!(p
        .iter()
        .any(|(k, v)| k == "sbomrisk:evidence" && v.starts_with("cpe-vendor")));
    // A nested component without bom-ref is found by its pointer.
    let lodash = &linux["components"][0];
    assert_eq!(lodash["supplier"]["name"], "OpenJS Foundation");
    assert!(lodash.get("bom-ref").is_none());
    // An existing supplier is never changed.
    assert_eq!(
        v["components"][1]["supplier"],
        json(r#"{"name": "Somebody Else Ltd"}"#)
    );
    // Version bumped, serial kept, tool entry in the 1.5+ object form.
    assert_eq!(v["version"], 5);
    assert_eq!(
        v["serialNumber"],
        "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    );
    let tools = v["metadata"]["tools"]["components"].as_array().unwrap();
    assert_eq!(tools[0]["name"], "sbomrisk");
    assert_eq!(tools[0]["version"], crate::VERSION);
    assert_eq!(out.stats.suppliers_added, 2);
    assert_eq!(out.stats.suppliers_kept, 1);
    assert_eq!(out.stats.annotated, 4);
    // Same components, same refs.
    let after = ingest_bytes("b.json", out.text().as_bytes()).unwrap();
    assert_eq!(after.component_count(), before.component_count());
    assert_eq!(refs(&after), refs(&before));
}

#[test]
fn json_keeps_key_order_and_is_idempotent() {
    let (once, _) = run("a.json", CDX16);
    let order: Vec<&str> = vec!["bomFormat", "specVersion", "serialNumber", "version"];
    let text = &once.text();
    let pos: Vec<usize> = order
        .iter()
        .map(|k| text.find(&format!("\"{k}\"")).unwrap())
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
    let once_text = once.text();
    let (twice, _) = run("b.json", &once_text);
    // A second run replaces its own properties and tool entry instead of repeating them (the
    // values may differ: the supplier written by the first run is now declared).
    let a = json(&once.text());
    let b = json(&twice.text());
    assert_eq!(b["version"], 6);
    let names = |v: &serde_json::Value| -> Vec<String> {
        props(&v["components"][0])
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    };
    assert_eq!(names(&a), names(&b));
    assert_eq!(
        b["metadata"]["tools"]["components"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        a["components"][0]["supplier"],
        b["components"][0]["supplier"]
    );
}

#[test]
fn json_14_uses_the_tools_array_and_no_address() {
    let doc = r#"{"bomFormat": "CycloneDX", "specVersion": "1.4",
      "metadata": {"tools": [{"vendor": "acme", "name": "gen", "version": "1"}]},
      "components": [{"type": "library", "bom-ref": "l", "name": "lodash", "purl": "pkg:npm/lodash@4.17.21"}]}"#;
    let (out, _) = run("a.json", doc);
    let v = json(&out.text());
    let tools = v["metadata"]["tools"].as_array().unwrap();
    assert_eq!(tools.len(), 2);
    assert_eq!(tools[0]["name"], "gen");
    assert_eq!(tools[1]["vendor"], "sbomrisk");
    assert!(v["components"][0]["supplier"].get("address").is_none());
    // No version in the input means 1: the output is 2.
    assert_eq!(v["version"], 2);
}

#[test]
fn supplier_threshold_holds_back_the_supplier_not_the_properties() {
    let reg = Registry::embedded().unwrap();
    let sbom = ingest_bytes("a.json", CDX16.as_bytes()).unwrap();
    let list = Attributor::new(&reg).attribute(&sbom);
    let opts = Options {
        min_supplier_confidence: 1.01,
        ..Options::default()
    };
    let out = enrich(&sbom, CDX16, &list, &reg, &opts).unwrap();
    let v = json(&out.text());
    assert!(v["components"][0].get("supplier").is_none());
    assert!(props(&v["components"][0])
        .iter()
        .any(|(k, _)| k == "sbomrisk:vendor"));
    assert_eq!(out.stats.suppliers_added, 0);
    assert_eq!(out.stats.suppliers_skipped, 2);
}

#[test]
fn ordered_value_keeps_repeated_keys_and_order() {
    let v: Val = serde_json::from_str(r#"{"b": 1, "a": 2, "b": 3}"#).unwrap();
    assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"b":1,"a":2,"b":3}"#);
    // Nesting beyond serde_json's limit is an error, not a stack overflow.
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    assert!(serde_json::from_str::<Val>(&deep).is_err());
}

const XML15: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment that must survive -->
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" xmlns:x="urn:example" version="3">
  <metadata>
    <timestamp>2024-01-01T00:00:00Z</timestamp>
    <component type="firmware" bom-ref="fw"><name>fw</name></component>
  </metadata>
  <components>
    <component type="operating-system" bom-ref="linux">
      <name>linux</name>
      <cpe>cpe:2.3:o:linux:linux_kernel:5.15:*:*:*:*:*:*:*</cpe>
      <x:extra>kept &amp; untouched</x:extra>
      <components>
        <component type="library" bom-ref="lodash"><name>lodash</name><purl>pkg:npm/lodash@4.17.21</purl></component>
      </components>
    </component>
    <component type="library" bom-ref="bb">
      <supplier><name>Somebody Else Ltd</name></supplier>
      <name>busybox</name>
      <properties>
        <property name="internal:id">7</property>
      </properties>
    </component>
    <component type="library" bom-ref="empty" />
  </components>
</bom>
"#;

#[test]
fn xml_splices_elements_in_schema_order_and_keeps_the_rest() {
    let (out, before) = run("a.xml", XML15);
    let t = &out.text();
    assert!(t.contains("<!-- a comment that must survive -->"));
    assert!(t.contains("<x:extra>kept &amp; untouched</x:extra>"));
    assert!(t.contains("version=\"4\""));
    // Supplier first in linux, properties before its nested components.
    let linux = t.find("bom-ref=\"linux\"").unwrap();
    let sup = t[linux..]
        .find("<supplier><name>The Linux Foundation</name>")
        .unwrap();
    let name = t[linux..].find("<name>linux</name>").unwrap();
    let props = t[linux..].find("<properties>").unwrap();
    let nested = t[linux..].find("<components>").unwrap();
    assert!(sup < name && props < nested, "{t}");
    // 1.5: no address.
    assert!(!t.contains("<address>"));
    // Existing supplier kept, our properties appended to the existing list.
    assert_eq!(t.matches("<supplier><name>Somebody Else Ltd").count(), 1);
    let bb = t.find("bom-ref=\"bb\"").unwrap();
    let internal = t[bb..].find("internal:id").unwrap();
    let ours = t[bb..].find("sbomrisk:confidence").unwrap();
    assert!(internal < ours);
    // The self-closing component is opened.
    assert!(t.contains("<component type=\"library\" bom-ref=\"empty\">"));
    // Tools after timestamp, in the 1.5 form.
    let ts = t.find("</timestamp>").unwrap();
    let tools = t
        .find("<tools><components><component type=\"application\"><name>sbomrisk</name>")
        .unwrap();
    assert!(ts < tools);
    let after = ingest_bytes("b.xml", t.as_bytes()).unwrap();
    assert_eq!(after.component_count(), before.component_count());
    assert_eq!(refs(&after), refs(&before));
    assert_eq!(out.stats.suppliers_added, 2);
}

#[test]
fn xml_twice_replaces_its_own_entries() {
    let (once, _) = run("a.xml", XML15);
    let once_text = once.text();
    let (twice, _) = run("b.xml", &once_text);
    let t = &twice.text();
    assert!(t.contains("version=\"5\""));
    for needle in [
        "<name>sbomrisk</name>",
        "<supplier><name>The Linux Foundation",
    ] {
        assert_eq!(
            t.matches(needle).count(),
            once.text().matches(needle).count(),
            "{needle}"
        );
    }
    assert_eq!(
        t.matches("sbomrisk:confidence").count(),
        once.text().matches("sbomrisk:confidence").count()
    );
    // Deleted lines leave no blank lines behind.
    assert!(!t.contains("\n\n"), "{t}");
}

#[test]
fn xml_with_prefix_and_no_metadata() {
    let doc = r#"<c:bom xmlns:c="http://cyclonedx.org/schema/bom/1.6"><c:components><c:component type="library" bom-ref="l"><c:name>lodash</c:name><c:purl>pkg:npm/lodash@4.17.21</c:purl></c:component></c:components></c:bom>"#;
    let (out, before) = run("a.xml", doc);
    let t = &out.text();
    assert!(t.starts_with("<c:bom xmlns:c=\"http://cyclonedx.org/schema/bom/1.6\" version=\"2\"><c:metadata><c:tools>"), "{t}");
    assert!(t.contains("<c:component type=\"library\" bom-ref=\"l\"><c:supplier><c:name>OpenJS Foundation</c:name><c:address><c:country>US</c:country></c:address>"), "{t}");
    assert!(t.contains("<c:properties><c:property name=\"sbomrisk:vendor\">"));
    let after = ingest_bytes("b.xml", t.as_bytes()).unwrap();
    assert_eq!(refs(&after), refs(&before));
}

#[test]
fn find_attr_reads_quotes_and_skips_lookalikes() {
    let tag = r#"<bom xmlns:version="x" sversion='1' version = "12">"#;
    let (s, e) = xml_find_attr(tag, "version").unwrap();
    assert_eq!(&tag[s..e], "12");
    assert_eq!(xml_find_attr("<bom a=\"1\">", "version"), None);
}

fn xml_find_attr(tag: &str, name: &str) -> Option<(usize, usize)> {
    super::xml::find_attr_for_tests(tag, name)
}

const SPDX: &str = r#"{
  "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "fw-sbom",
  "documentNamespace": "https://example.com/fw-1",
  "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: gen-1", "Organization: Acme"]},
  "documentDescribes": ["SPDXRef-fw"],
  "packages": [
    {"SPDXID": "SPDXRef-fw", "name": "fw", "versionInfo": "1", "primaryPackagePurpose": "FIRMWARE",
     "supplier": "Organization: Acme (psirt@acme.example)", "downloadLocation": "NOASSERTION"},
    {"SPDXID": "SPDXRef-lodash", "name": "lodash", "versionInfo": "4.17.21",
     "downloadLocation": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
     "licenseConcluded": "MIT", "primaryPackagePurpose": "SOURCE",
     "checksums": [{"algorithm": "SHA1", "checksumValue": "679591c564c3bffaae8454cf0b3df370c3d6911c"}],
     "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/lodash@4.17.21"}]}
  ],
  "relationships": [{"spdxElementId": "SPDXRef-fw", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-lodash"}]
}"#;

#[test]
fn spdx_becomes_cyclonedx_16_json_with_the_same_components() {
    let (out, before) = run("a.spdx.json", SPDX);
    let v = json(&out.text());
    assert_eq!(v["specVersion"], "1.6");
    assert_eq!(v["metadata"]["component"]["bom-ref"], "SPDXRef-fw");
    assert_eq!(v["metadata"]["component"]["supplier"]["name"], "Acme");
    let l = &v["components"][0];
    assert_eq!(l["bom-ref"], "SPDXRef-lodash");
    assert_eq!(l["type"], "library");
    assert_eq!(l["purl"], "pkg:npm/lodash@4.17.21");
    assert_eq!(l["licenses"][0]["expression"], "MIT");
    assert_eq!(l["hashes"][0]["alg"], "SHA-1");
    assert_eq!(l["supplier"]["name"], "OpenJS Foundation");
    assert!(props(l).contains(&("sbomrisk:kind".into(), "source".into())));
    assert_eq!(
        v["dependencies"],
        json(r#"[{"ref": "SPDXRef-fw", "dependsOn": ["SPDXRef-lodash"]}]"#)
    );
    let after = ingest_bytes("b.json", out.text().as_bytes()).unwrap();
    assert_eq!(after.component_count(), before.component_count());
    assert_eq!(refs(&after), refs(&before));
    assert_eq!(after.relations.iter().filter(|r| !r.inferred).count(), 1);
}

#[test]
fn xml_tools_with_services_only_gets_components_before_them() {
    let doc = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <metadata>
    <tools>
      <services><service><name>scanner</name></service></services>
    </tools>
  </metadata>
  <components>
    <component type="library" bom-ref="l"><name>lodash</name><purl>pkg:npm/lodash@4.17.21</purl></component>
  </components>
</bom>"#;
    let (out, _) = run("a.xml", doc);
    let t = &out.text();
    let comps = t
        .find("<components><component type=\"application\"><name>sbomrisk</name>")
        .unwrap();
    assert!(comps < t.find("<services>").unwrap(), "{t}");
}

#[test]
fn xml_minified_many_components_on_one_line_match_in_order() {
    let mut doc = String::from(r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>"#);
    for i in 0..300 {
        doc.push_str(&format!(
            r#"<component type="library" bom-ref="c{i}"><name>lodash</name><purl>pkg:npm/lodash@4.17.{i}</purl></component>"#
        ));
    }
    doc.push_str("</components></bom>");
    let (out, before) = run("a.xml", &doc);
    assert_eq!(out.stats.annotated, 300);
    assert_eq!(out.stats.suppliers_added, 300);
    assert!(!out.text().contains('\n'));
    let after = ingest_bytes("b.xml", out.text().as_bytes()).unwrap();
    assert_eq!(refs(&after), refs(&before));
    // Each supplier sits inside its own component.
    assert!(out.text().contains(
        r#"<component type="library" bom-ref="c299"><supplier><name>OpenJS Foundation</name>"#
    ));
}

#[test]
fn trailing_content_is_refused_not_dropped() {
    // Enrich writes the document back; content after its end (read leniently, I010) cannot be
    // written back faithfully, in JSON or XML (where copying it made the output ill-formed).
    let reg = Registry::embedded().unwrap();
    for (path, doc) in [
        (
            "a.json",
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": "lodash", "purl": "pkg:npm/lodash@4.17.21"}]}
<html>oops</html>"#,
        ),
        (
            "a.xml",
            r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>lodash</name></component></components></bom>
<bom/>"#,
        ),
    ] {
        let sbom = ingest_bytes(path, doc.as_bytes()).unwrap();
        let list = Attributor::new(&reg).attribute(&sbom);
        let e = enrich(&sbom, doc, &list, &reg, &Options::default())
            .err()
            .unwrap_or_else(|| panic!("{path}: enriched"));
        assert!(e.to_string().contains("I010"), "{path}: {e}");
    }
}

#[test]
fn xml_additions_go_before_foreign_elements_and_old_specs_get_no_metadata() {
    let doc = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6" xmlns:foo="urn:foo">
  <metadata>
    <timestamp>2024-01-01T00:00:00Z</timestamp>
    <foo:note>x</foo:note>
  </metadata>
  <components>
    <component type="library" bom-ref="l">
      <name>lodash</name>
      <purl>pkg:npm/lodash@4.17.21</purl>
      <foo:fruit>banana</foo:fruit>
    </component>
  </components>
</bom>"#;
    let (out, _) = run("a.xml", doc);
    let t = &out.text();
    assert!(
        t.find("<properties>").unwrap() < t.find("<foo:fruit>").unwrap(),
        "{t}"
    );
    assert!(
        t.find("<tools>").unwrap() < t.find("<foo:note>").unwrap(),
        "{t}"
    );
    let old = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.1" version="1"><components><component type="library"><name>lodash</name><version>1</version><purl>pkg:npm/lodash@4.17.21</purl></component></components></bom>"#;
    let (out, _) = run("b.xml", old);
    assert!(!out.text().contains("<metadata>"), "{}", out.text());
    assert!(!out.text().contains("<properties>"));
    assert!(!out.text().contains("<supplier>"));
    assert!(out.text().contains("version=\"2\""));
}

#[test]
fn json_nested_too_deep_for_the_writer_is_refused_naming_the_input() {
    // Reading skips an unneeded value however deep it nests; the writer parses every element
    // and cannot. Found by `cargo xtask mutate` (seed 2026): the error named the output file.
    let reg = Registry::embedded().unwrap();
    let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    let doc = format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{{"type": "library", "name": "a \"[[[[\" b", "purl": "pkg:npm/lodash@4.17.21"}}],
"dependencies": [{{"ref": "x", "dependsOn": [{deep}]}}]}}"#
    );
    let sbom = ingest_bytes("deep.json", doc.as_bytes()).unwrap();
    let list = Attributor::new(&reg).attribute(&sbom);
    let Err(e) = enrich(&sbom, &doc, &list, &reg, &Options::default()) else {
        panic!("enriched a document nested too deep to write back");
    };
    let msg = e.to_string();
    assert!(
        msg.contains("deep.json") && msg.contains("line 2, column"),
        "{msg}"
    );
    assert!(msg.contains("deeper than 128"), "{msg}");
    // Brackets inside strings do not count.
    let scan = |t: &str, json| crate::ingest::nesting_over(t, 2, json);
    assert_eq!(scan(r#"{"a": "[[[[[[\"[[["}"#, true), None);
    assert_eq!(scan("[[[1]]]", true), Some(2));
    // Without JSON strings (YAML), every bracket counts.
    assert_eq!(scan(r#"{"a": "[["}"#, false), Some(8));
}
