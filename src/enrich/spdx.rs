//! SPDX (any serialisation) in, CycloneDX 1.6 JSON out, converted from the model.
//!
//! What carries over, per package: SPDXID as `bom-ref`, name, version, primary purpose as
//! `type` (SOURCE, ARCHIVE, INSTALL and OTHER have no CycloneDX type: `library`, with the
//! purpose kept in `sbomrisk:kind`), purl, the first CPE as `cpe` (others as
//! `sbomrisk:cpe` properties), supplier, manufacturer, authors, originator (an organisation
//! as manufacturer when there is none, a person as an author), licence expression, hashes
//! (algorithms CycloneDX knows), external references (download location, homepage, ...).
//! Per document: name, namespace (a `sbomrisk:spdx_namespace` property), creation time,
//! creators (tools and authors), the described package as `metadata.component`, and the
//! DEPENDS_ON and CONTAINS relations (and their inverses) as `dependencies`.
//! Not carried over: SPDX files and snippets (not components), annotations, checksums of the
//! document, relations of other kinds, licence texts.

use super::json::{property, supplier_json, tool_component, Val};
use super::{EnrichError, Enriched, Note, Options, Stats};
use crate::model::{
    Component, ComponentKind, ExternalRefKind, Party, PartyKind, RelationKind, Role, Sbom,
};
use std::collections::BTreeMap;

pub(super) fn convert(
    sbom: &Sbom,
    notes: &[Note],
    opts: &Options,
) -> Result<Enriched<'static>, EnrichError> {
    let mut stats = Stats {
        output: "cyclonedx-json",
        spec_version: "1.6".to_string(),
        ..Stats::default()
    };
    let mut warnings = Vec::new();
    let by_comp: BTreeMap<usize, &Note> = notes.iter().map(|n| (n.component.index(), n)).collect();
    // The document's own root; a synthetic root (no place in the document) is left out, and
    // the reader adds it again.
    let roots: Vec<usize> = sbom
        .roots
        .iter()
        .map(|r| r.index())
        .filter(|&i| sbom.components.get(i).is_some_and(|c| !is_synthetic(c)))
        .collect();
    if roots.len() > 1 {
        warnings.push(format!(
            "the document describes {} products; CycloneDX names one: the others are written as components",
            roots.len()
        ));
    }
    let main_root = roots.first().copied();
    let mut components = Vec::new();
    let mut root_val = None;
    for (i, c) in sbom.components.iter().enumerate() {
        let is_main = Some(i) == main_root;
        if c.role == Role::Root && !is_main && !roots.contains(&i) {
            stats.not_in_document += 1;
            continue;
        }
        let (mut v, extra) = component(c);
        if let Some(n) = by_comp.get(&i) {
            if c.supplier.is_some() {
                if n.supplier.is_some() {
                    stats.suppliers_kept += 1;
                }
            } else if let Some(s) = n.supplier_for(opts) {
                insert_front_after_type(&mut v, supplier_json(s, true));
                stats.suppliers_added += 1;
            } else if n.supplier.is_some() {
                stats.suppliers_skipped += 1;
            }
            super::json::set_properties(&mut v, &n.properties);
            stats.annotated += 1;
        }
        // What the conversion itself keeps, after the attribution's properties (which replace
        // every earlier `sbomrisk:*` one).
        if !extra.is_empty() {
            match v.get_mut("properties") {
                Some(Val::Arr(list)) => list.extend(extra),
                _ => v.set("properties", Val::Arr(extra)),
            }
        }
        if is_main {
            root_val = Some(v);
        } else {
            components.push(v);
        }
    }
    let mut doc = vec![
        ("bomFormat", Val::str("CycloneDX")),
        ("specVersion", Val::str("1.6")),
        ("version", Val::Num(1.into())),
        ("metadata", metadata(sbom, root_val, &opts.tool_version)),
        ("components", Val::Arr(components)),
    ];
    let deps = dependencies(sbom);
    if !deps.is_empty() {
        doc.push(("dependencies", Val::Arr(deps)));
    }
    Ok(Enriched {
        body: super::Body::Tree(Val::obj(doc)),
        stats,
        warnings,
    })
}

/// Puts the supplier right after `type`, `bom-ref` (where the schema lists it first).
fn insert_front_after_type(v: &mut Val, supplier: Val) {
    if let Val::Obj(m) = v {
        let at = m
            .iter()
            .position(|(k, _)| k != "type" && k != "bom-ref")
            .unwrap_or(m.len());
        m.insert(at, ("supplier".to_string(), supplier));
    }
}

fn metadata(sbom: &Sbom, root: Option<Val>, version: &str) -> Val {
    let d = &sbom.document;
    let mut m: Vec<(&str, Val)> = Vec::new();
    if let Some(t) = &d.created {
        m.push(("timestamp", Val::str(t)));
    }
    let mut tools = vec![tool_component(version)];
    for t in &d.tools {
        tools.push(Val::obj(vec![
            ("type", Val::str("application")),
            ("name", Val::str(t)),
        ]));
    }
    m.push(("tools", Val::obj(vec![("components", Val::Arr(tools))])));
    let authors: Vec<Val> = d.authors.iter().filter_map(contact).collect();
    if !authors.is_empty() {
        m.push(("authors", Val::Arr(authors)));
    }
    if let Some(r) = root {
        m.push(("component", r));
    }
    if let Some(s) = d.supplier.as_ref().and_then(org) {
        m.push(("supplier", s));
    }
    let mut props = vec![property("sbomrisk:source_format", "spdx")];
    if !d.spec_version.is_empty() {
        props.push(property("sbomrisk:spdx_version", &d.spec_version));
    }
    if let Some(id) = &d.id {
        props.push(property("sbomrisk:spdx_namespace", id));
    }
    if let Some(n) = &d.name {
        props.push(property("sbomrisk:spdx_name", n));
    }
    m.push(("properties", Val::Arr(props)));
    Val::obj(m)
}

/// An organizationalEntity (name, address.country, url, contact).
fn org(p: &Party) -> Option<Val> {
    let mut m: Vec<(&str, Val)> = Vec::new();
    if let Some(n) = &p.name {
        m.push(("name", Val::str(n)));
    }
    if let Some(c) = &p.country {
        m.push(("address", Val::obj(vec![("country", Val::str(c))])));
    }
    if !p.urls.is_empty() {
        m.push((
            "url",
            Val::Arr(p.urls.iter().map(|u| Val::str(iri(u))).collect()),
        ));
    }
    if let Some(e) = p.email.as_deref().filter(|e| is_email(e)) {
        m.push((
            "contact",
            Val::Arr(vec![Val::obj(vec![("email", Val::str(e))])]),
        ));
    }
    (!m.is_empty()).then(|| Val::obj(m))
}

/// SPDX actors put anything in the parentheses (`Organization: X (https://x.com)`); CycloneDX
/// wants an e-mail address there.
fn is_email(s: &str) -> bool {
    let s = s.trim();
    matches!(s.split_once('@'), Some((a, b)) if !a.is_empty() && b.contains('.'))
        && !s.contains("://")
        && !s.chars().any(char::is_whitespace)
}

/// Percent-encodes what an IRI reference may not hold (spaces, `{}<>"|\\^`, control
/// characters, a `%` not followed by two hex digits), so that a URL such as
/// `.../%{cpan_name}` is kept and the document stays valid.
fn iri(s: &str) -> String {
    let s = s.trim();
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, ch) in s.char_indices() {
        let hex2 = b
            .get(i + 1..i + 3)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        match ch {
            '%' if !hex2 => out.push_str("%25"),
            ' ' | '{' | '}' | '<' | '>' | '"' | '|' | '\\' | '^' | '`' => {
                out.push_str(&format!("%{:02X}", ch as u32))
            }
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// An organizationalContact (name, email).
fn contact(p: &Party) -> Option<Val> {
    let mut m: Vec<(&str, Val)> = Vec::new();
    if let Some(n) = &p.name {
        m.push(("name", Val::str(n)));
    }
    if let Some(e) = p.email.as_deref().filter(|e| is_email(e)) {
        m.push(("email", Val::str(e)));
    }
    (!m.is_empty()).then(|| Val::obj(m))
}

/// A CycloneDX 1.6 type for a model kind; the four SPDX purposes with no CycloneDX type are
/// written as `library`.
fn cdx_type(k: ComponentKind) -> (&'static str, bool) {
    match k {
        ComponentKind::Source
        | ComponentKind::Archive
        | ComponentKind::Install
        | ComponentKind::Other => ("library", false),
        k => (k.as_str(), true),
    }
}

/// The component, and the properties that keep what CycloneDX has no field for.
fn component(c: &Component) -> (Val, Vec<Val>) {
    let (ty, exact) = cdx_type(c.kind);
    let mut m: Vec<(&str, Val)> = vec![("type", Val::str(ty)), ("bom-ref", Val::str(&c.bom_ref))];
    if let Some(s) = c.supplier.as_deref().and_then(org) {
        m.push(("supplier", s));
    }
    let originator = c.originator.as_deref();
    let manufacturer = c
        .manufacturer
        .as_deref()
        .or(originator.filter(|o| o.kind == PartyKind::Organization));
    if let Some(s) = manufacturer.and_then(org) {
        m.push(("manufacturer", s));
    }
    let mut authors: Vec<Val> = c.authors.iter().filter_map(contact).collect();
    if let Some(o) = originator.filter(|o| o.kind != PartyKind::Organization) {
        authors.extend(contact(o));
    }
    if !authors.is_empty() {
        m.push(("authors", Val::Arr(authors)));
    }
    if let Some(n) = c.publisher.as_deref().and_then(|p| p.name.as_ref()) {
        m.push(("publisher", Val::str(n)));
    }
    m.push(("name", Val::str(&c.name)));
    if let Some(v) = &c.version {
        m.push(("version", Val::str(v)));
    }
    let hashes: Vec<Val> = c
        .hashes
        .iter()
        .filter_map(|h| {
            let alg = hash_alg(&h.alg)?;
            valid_digest(&h.value).then(|| {
                Val::obj(vec![
                    ("alg", Val::str(alg)),
                    ("content", Val::str(&h.value)),
                ])
            })
        })
        .collect();
    if !hashes.is_empty() {
        m.push(("hashes", Val::Arr(hashes)));
    }
    if let Some(l) = c.licenses.as_deref().filter(|l| !is_no_assertion(l)) {
        m.push((
            "licenses",
            Val::Arr(vec![Val::obj(vec![("expression", Val::str(l))])]),
        ));
    }
    if let Some(cpe) = c.cpes.first() {
        m.push(("cpe", Val::str(cpe)));
    }
    if let Some(p) = &c.purl {
        m.push(("purl", Val::str(p)));
    }
    let refs: Vec<Val> = c
        .external_refs
        .iter()
        .filter(|r| !is_no_assertion(&r.url) && !r.url.trim().is_empty())
        .map(|r| {
            Val::obj(vec![
                ("type", Val::str(ref_type(r.kind))),
                ("url", Val::str(iri(&r.url))),
            ])
        })
        .collect();
    if !refs.is_empty() {
        m.push(("externalReferences", Val::Arr(refs)));
    }
    let mut props = Vec::new();
    if !exact {
        props.push(property("sbomrisk:kind", c.kind.as_str()));
    }
    for cpe in c.cpes.iter().skip(1) {
        props.push(property("sbomrisk:cpe", cpe));
    }
    if let Some(country) = &c.country {
        props.push(property("sbomrisk:declared_country", country));
    }
    (Val::obj(m), props)
}

/// The root the reader adds when the document names no product (no place in the document).
fn is_synthetic(c: &Component) -> bool {
    c.role == Role::Root && c.location.is_none() && c.bom_ref == "sbomrisk:root"
}

fn is_no_assertion(s: &str) -> bool {
    let s = s.trim();
    s.eq_ignore_ascii_case("NOASSERTION") || s.eq_ignore_ascii_case("NONE")
}

/// CycloneDX's name for a hash algorithm, `None` for those it does not list.
fn hash_alg(alg: &str) -> Option<&'static str> {
    let key: String = alg
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect::<String>()
        .to_ascii_uppercase();
    Some(match key.as_str() {
        "MD5" => "MD5",
        "SHA1" => "SHA-1",
        "SHA256" => "SHA-256",
        "SHA384" => "SHA-384",
        "SHA512" => "SHA-512",
        "SHA3256" => "SHA3-256",
        "SHA3384" => "SHA3-384",
        "SHA3512" => "SHA3-512",
        "BLAKE2B256" => "BLAKE2b-256",
        "BLAKE2B384" => "BLAKE2b-384",
        "BLAKE2B512" => "BLAKE2b-512",
        "BLAKE3" => "BLAKE3",
        _ => return None,
    })
}

/// The hex lengths CycloneDX's hash pattern accepts.
fn valid_digest(v: &str) -> bool {
    matches!(v.len(), 32 | 40 | 64 | 96 | 128) && v.bytes().all(|b| b.is_ascii_hexdigit())
}

fn ref_type(k: ExternalRefKind) -> &'static str {
    match k {
        ExternalRefKind::Vcs => "vcs",
        ExternalRefKind::Website => "website",
        ExternalRefKind::Distribution => "distribution",
        ExternalRefKind::IssueTracker => "issue-tracker",
        ExternalRefKind::Documentation => "documentation",
        ExternalRefKind::Advisories => "advisories",
        ExternalRefKind::Other => "other",
    }
}

/// `dependencies`: the document's DEPENDS_ON and CONTAINS relations, by consumer.
fn dependencies(sbom: &Sbom) -> Vec<Val> {
    let mut by_from: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for r in &sbom.relations {
        if r.inferred || !matches!(r.kind, RelationKind::DependsOn | RelationKind::Contains) {
            continue;
        }
        let skipped = |i: usize| sbom.components.get(i).is_none_or(is_synthetic);
        if skipped(r.from.index()) || skipped(r.to.index()) {
            continue;
        }
        let to = by_from.entry(r.from.index()).or_default();
        if !to.contains(&r.to.index()) {
            to.push(r.to.index());
        }
    }
    by_from
        .into_iter()
        .filter_map(|(from, to)| {
            let name = |i: usize| sbom.components.get(i).map(|c| Val::str(&c.bom_ref));
            Some(Val::obj(vec![
                ("ref", name(from)?),
                (
                    "dependsOn",
                    Val::Arr(to.into_iter().filter_map(name).collect()),
                ),
            ]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{iri, is_email};

    #[test]
    fn urls_are_made_valid_iri_references_and_emails_checked() {
        assert_eq!(
            iri("https://metacpan.org/release/%{cpan_name}"),
            "https://metacpan.org/release/%25%7Bcpan_name%7D"
        );
        assert_eq!(iri(" https://x.org/a%20b?q=é "), "https://x.org/a%20b?q=é");
        assert!(is_email("psirt@acme.example"));
        assert!(!is_email("https://testcorp.com"));
        assert!(!is_email("someone"));
    }
}
