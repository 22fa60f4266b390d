//! From the parsed SPDX 2 [`Document`] to the model, the same for every serialisation.

use super::model::{asserted, text, Document, Package};
use super::relationships;
use crate::model::{
    Component, ComponentKind, Diagnostic, DiagnosticCode, ExternalRef, ExternalRefKind, Format,
    Hash, Location, Party, RelationKind, Sbom, SbomBuilder, Serialization,
};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

/// The SPDX 2 versions this reader knows.
const KNOWN_VERSIONS: &[&str] = &["2.0", "2.1", "2.2", "2.3"];

/// Builds the model from a document. `package_location(i)` says where package `i` is written;
/// `relationship_location(i)` where relationship `i` is. `notes` are the reader's own diagnostics.
pub fn build(
    path: &str,
    serialization: Serialization,
    doc: &Document<'_>,
    package_location: &dyn Fn(usize) -> Location,
    relationship_location: &dyn Fn(usize) -> String,
    notes: Vec<Diagnostic>,
) -> Sbom {
    let mut b = SbomBuilder::with_capacity(path, Format::Spdx, serialization, doc.packages.len());
    for n in notes {
        b.push(n);
    }
    fill_document(&mut b, doc);
    let doc_id = text(&doc.spdxid).unwrap_or("SPDXRef-DOCUMENT");

    let mut unknown_purposes: BTreeMap<String, usize> = BTreeMap::new();
    for (i, p) in doc.packages.iter().enumerate() {
        let c = component(p, package_location(i), &mut unknown_purposes);
        b.add_component(c);
    }
    for (purpose, n) in unknown_purposes {
        b.warn(
            DiagnosticCode::UnknownComponentType,
            format!("primaryPackagePurpose '{purpose}' is not an SPDX purpose ({n} packages); read as library"),
            None,
        );
    }
    for f in &doc.files {
        if let Some(id) = text(&f.spdxid) {
            b.add_non_component(id);
        }
    }
    for s in &doc.snippets {
        if let Some(id) = text(&s.spdxid) {
            b.add_non_component(id);
        }
    }
    b.document_mut().files = doc.files.len();
    b.add_non_component(doc_id);
    b.add_non_component("SPDXRef-DOCUMENT");
    for r in &doc.external_document_refs {
        if let Some(id) = text(&r.external_document_id) {
            b.add_non_component(id);
        }
    }
    // Elements of other documents (`DocumentRef-x:SPDXRef-y`) are not in this one.
    for r in &doc.relationships {
        for end in [&r.spdx_element_id, &r.related_spdx_element] {
            if let Some(id) = text(end) {
                if id.starts_with("DocumentRef-") {
                    b.add_non_component(id);
                }
            }
        }
    }

    // Roots: documentDescribes, DESCRIBES (and trivy's DESCRIBE) from the document, and
    // DESCRIBED_BY the document.
    let mut types = relationships::Memo::default();
    let mut described: Vec<&str> = doc
        .document_describes
        .iter()
        .map(|s| s.as_str().trim())
        .collect();
    for r in &doc.relationships {
        let (Some(a), Some(t), Some(z)) = (
            text(&r.spdx_element_id),
            text(&r.relationship_type),
            text(&r.related_spdx_element),
        ) else {
            continue;
        };
        if let Some(m) = types.map(t) {
            if m.kind == RelationKind::Describes {
                let (from, to) = if m.reversed { (z, a) } else { (a, z) };
                if from == doc_id {
                    described.push(to);
                }
            }
        }
    }
    let mut seen = HashSet::new();
    for d in described {
        if seen.insert(d) {
            if let Some(id) = b.lookup(d) {
                b.mark_root(id);
            }
        }
    }

    // Relations. Documents list an element's relationships together (97% of consecutive
    // relationships in the corpus's SPDX JSON share their source), so the last source found
    // is kept: its id is not looked up again.
    let mut nonstandard: BTreeMap<String, usize> = BTreeMap::new();
    let mut last_from: Option<(&str, crate::model::ComponentId)> = None;
    for (i, r) in doc.relationships.iter().enumerate() {
        let (Some(a), Some(t), Some(z)) = (
            text(&r.spdx_element_id),
            text(&r.relationship_type),
            asserted(&r.related_spdx_element),
        ) else {
            if text(&r.relationship_type).is_none() || text(&r.spdx_element_id).is_none() {
                b.warn(
                    DiagnosticCode::SkippedValue,
                    "relationship without an element or a type",
                    Some(relationship_location(i)),
                );
            }
            continue;
        };
        let (kind, reversed, source): (RelationKind, bool, Cow<'static, str>) = match types.map(t) {
            Some(m) => {
                if !m.standard {
                    *nonstandard.entry(t.to_string()).or_default() += 1;
                }
                (m.kind, m.reversed, Cow::Borrowed(m.canonical))
            }
            None => {
                *nonstandard.entry(t.to_string()).or_default() += 1;
                (RelationKind::Other, false, Cow::Owned(t.to_string()))
            }
        };
        let (from, to) = if reversed { (z, a) } else { (a, z) };
        if kind == RelationKind::Describes && from == doc_id {
            continue;
        }
        let found = match last_from {
            Some((seen, id)) if seen == from => Some(id),
            _ => b.lookup(from),
        };
        match found {
            Some(f) => {
                last_from = Some((from, f));
                b.relate_from(f, [to], kind, source, || relationship_location(i));
            }
            // Not a component: the builder says why (dangling) or drops it quietly.
            None => {
                b.relate_refs(from, to, kind, source, || relationship_location(i));
            }
        }
    }
    for (t, n) in nonstandard {
        b.warn(
            DiagnosticCode::NonStandardRelation,
            format!("relationship type '{t}' is not in SPDX 2.3 ({n} relationships)"),
            None,
        );
    }
    b.finish()
}

fn fill_document(b: &mut SbomBuilder, doc: &Document<'_>) {
    let version = text(&doc.spdx_version).map(str::to_string);
    let short = version
        .as_deref()
        .map(|v| v.strip_prefix("SPDX-").unwrap_or(v).to_string());
    match short.as_deref() {
        Some(v) if KNOWN_VERSIONS.contains(&v) => {}
        Some(v) => b.warn(
            DiagnosticCode::UnknownSpecVersion,
            format!("spdxVersion '{v}' is not one this tool knows; read as SPDX 2.3"),
            None,
        ),
        None => b.warn(
            DiagnosticCode::UnknownSpecVersion,
            "the document has no spdxVersion; read as SPDX 2.3",
            None,
        ),
    }
    let d = b.document_mut();
    d.spec_version = short.unwrap_or_default();
    d.name = text(&doc.name).map(str::to_string);
    d.id = text(&doc.document_namespace).map(str::to_string);
    if let Some(ci) = &doc.creation_info {
        d.created = text(&ci.created).map(str::to_string);
        for c in &ci.creators {
            let c = c.as_str().trim();
            match c.split_once(':') {
                Some((k, v)) if k.trim().eq_ignore_ascii_case("tool") => {
                    let v = v.trim();
                    if !v.is_empty() {
                        d.tools.push(v.to_string());
                    }
                }
                _ => {
                    if let Some(p) = Party::from_spdx_actor(c) {
                        d.authors.push(p);
                    }
                }
            }
        }
    }
}

fn component(
    p: &Package<'_>,
    location: Location,
    unknown_purposes: &mut BTreeMap<String, usize>,
) -> Component {
    let mut c = Component::new(
        text(&p.spdxid).unwrap_or_default(),
        text(&p.name).unwrap_or_default(),
    );
    c.version = asserted(&p.version_info).map(str::to_string);
    if let Some(purpose) = text(&p.primary_package_purpose) {
        match ComponentKind::parse(purpose) {
            Some(k) => c.kind = k,
            None => *unknown_purposes.entry(purpose.to_string()).or_default() += 1,
        }
    }
    c.supplier = text(&p.supplier)
        .and_then(Party::from_spdx_actor)
        .map(Box::new);
    c.originator = text(&p.originator)
        .and_then(Party::from_spdx_actor)
        .map(Box::new);
    c.licenses = asserted(&p.license_concluded)
        .or_else(|| asserted(&p.license_declared))
        .map(str::to_string);
    for ck in &p.checksums {
        if let (Some(alg), Some(value)) = (text(&ck.algorithm), text(&ck.checksum_value)) {
            c.hashes.push(Hash {
                alg: Hash::algorithm(alg),
                value: value.to_string(),
            });
        }
    }
    for r in &p.external_refs {
        let (Some(ty), Some(loc)) = (text(&r.reference_type), text(&r.reference_locator)) else {
            continue;
        };
        let ty_l = ty.to_ascii_lowercase();
        // RDF writes the type as a URI (`http://spdx.org/rdf/references/purl`).
        let ty_l = ty_l.rsplit('/').next().unwrap_or(&ty_l);
        match ty_l {
            "purl" => {
                if c.purl.is_none() {
                    c.purl = Some(loc.to_string());
                }
            }
            "cpe22type" | "cpe23type" => c.cpes.push(loc.to_string()),
            _ => c.external_refs.push(ExternalRef {
                kind: ExternalRefKind::parse(ty_l),
                url: loc.to_string(),
            }),
        }
    }
    if let Some(url) = asserted(&p.download_location) {
        c.external_refs.push(ExternalRef {
            kind: ExternalRefKind::Distribution,
            url: url.to_string(),
        });
    }
    if let Some(url) = asserted(&p.homepage) {
        c.external_refs.push(ExternalRef {
            kind: ExternalRefKind::Website,
            url: url.to_string(),
        });
    }
    c.location = Some(location);
    c
}
