//! SPDX 3.0 (3.0.0 and 3.0.1) in JSON-LD: an `@graph` of elements tied together by ids.
//!
//! What becomes a component: `software_Package` and its subclasses `ai_AIPackage` and
//! `dataset_DatasetPackage` (a model or a data set is supplied like a package). Files, snippets,
//! `software_SoftwareArtifact`, documents, SBOM/BOM elements, agents and licences are recorded as
//! non-components, so relations to them are dropped quietly. The product roots are the packages
//! named by the `rootElement` of the `SpdxDocument` (followed through `software_Sbom` elements it
//! names), else by the `rootElement` of any SBOM element, plus the targets of `describes`
//! relationships whose `from` is a document or SBOM element.
//!
//! The graph is read in one streaming pass into compact records (see [`collect`]), then the
//! model is built through [`SbomBuilder`]: components, roots, licences, relations.

mod collect;
mod de;

#[cfg(test)]
mod tests;

use super::relationships;
use crate::ingest::IngestError;
use crate::model::{
    ComponentKind, DiagnosticCode, Format, RelationKind, Sbom, SbomBuilder, Serialization,
};
use collect::{is_vocabulary, Collector, DocRec};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Spec versions this reader was written against.
const KNOWN_VERSIONS: [&str; 2] = ["3.0.0", "3.0.1"];

/// Parses an SPDX 3 JSON-LD document.
pub fn parse(path: &str, text: &str) -> Result<Sbom, IngestError> {
    let collector = collect::read(path, text)?;
    Ok(build(path, collector))
}

fn build(path: &str, mut c: Collector<'_>) -> Sbom {
    let ns = NamespaceMap::new(&c);
    let packages = std::mem::take(&mut c.packages);
    let mut b =
        SbomBuilder::with_capacity(path, Format::Spdx, Serialization::JsonLd, packages.len());
    document_info(&mut b, &c);

    // Components.
    let mut unknown_purposes: HashMap<String, (usize, String)> = HashMap::new();
    let mut unresolved_agents = Vec::new();
    for p in packages {
        let mut comp = p.component;
        if let Cow::Owned(id) = ns.expand(&comp.bom_ref) {
            comp.bom_ref = id;
        }
        let mut agent = |r: Option<Cow<'_, str>>| {
            let r = r?;
            let party = c.party(&r);
            if party.is_none() {
                unresolved_agents.push((r.into_owned(), comp.bom_ref.clone()));
            }
            party
        };
        let supplier = agent(p.supplied_by);
        let originator = agent(p.originated_by);
        comp.supplier = supplier.map(Box::new);
        comp.originator = originator.map(Box::new);
        if let Some(purpose) = p.primary_purpose {
            match purpose_kind(&purpose) {
                Some(k) => comp.kind = k,
                None => {
                    comp.kind = ComponentKind::Other;
                    let e = unknown_purposes
                        .entry(purpose.into_owned())
                        .or_insert_with(|| (0, comp.bom_ref.clone()));
                    e.0 += 1;
                }
            }
        }
        b.add_component(comp);
    }
    let mut unknown_purposes: Vec<_> = unknown_purposes.into_iter().collect();
    unknown_purposes.sort();
    for (purpose, (n, first)) in unknown_purposes {
        b.warn(
            DiagnosticCode::UnknownComponentType,
            format!("software_primaryPurpose '{purpose}' is not an SPDX 3 purpose; {n} package(s) kept as 'other'"),
            Some(format!("node {first}")),
        );
    }
    for id in c.non_components.iter().chain(&c.imports) {
        let id = ns.expand(id);
        if b.lookup(&id).is_none() {
            b.add_non_component(&id);
        }
    }

    for (r, by) in unresolved_agents {
        if b.lookup(&ns.expand(&r)).is_none() && !b.is_non_component(&ns.expand(&r)) {
            b.warn(
                DiagnosticCode::DanglingReference,
                format!("supplier/originator '{r}' is not defined in the document"),
                Some(format!("node {by}")),
            );
        }
    }

    let types = rel_types(&c);
    mark_roots(&mut b, &c, &ns, &types);
    licences(&mut b, &c, &ns);
    relations(&mut b, &c, &ns, &types);

    for (loc, message) in &c.skipped {
        b.warn(
            DiagnosticCode::SkippedValue,
            message.clone(),
            Some(loc.clone()),
        );
    }
    if c.skipped_total > c.skipped.len() {
        b.warn(
            DiagnosticCode::SkippedValue,
            format!(
                "... and {} more values skipped",
                c.skipped_total - c.skipped.len()
            ),
            None,
        );
    }
    b.finish()
}

/// Spec version, name, id, creation time, tools and authors, from the `SpdxDocument` (else the
/// first SBOM element) and its `CreationInfo`.
fn document_info(b: &mut SbomBuilder, c: &Collector<'_>) {
    let doc = c
        .docs
        .iter()
        .find(|d| d.is_document)
        .or_else(|| c.docs.first());
    let info = doc
        .and_then(|d| d.creation_info.as_deref())
        .and_then(|id| c.creation_infos.get(id))
        .or(c.first_creation_info.as_ref());
    let spec = info.and_then(|i| i.spec_version.as_deref());
    let context_version = c.context_version();
    let spec_version = match (spec, context_version) {
        (Some(v), _) => {
            if !KNOWN_VERSIONS.contains(&v) {
                b.warn(
                    DiagnosticCode::UnknownSpecVersion,
                    format!("SPDX spec version '{v}' is not one this tool knows (3.0.0, 3.0.1); read leniently"),
                    None,
                );
            }
            v.to_string()
        }
        (None, Some(v)) => {
            b.warn(
                DiagnosticCode::UnknownSpecVersion,
                format!("no CreationInfo specVersion; {v} taken from @context"),
                None,
            );
            v
        }
        (None, None) => {
            b.warn(
                DiagnosticCode::UnknownSpecVersion,
                "no CreationInfo specVersion and no versioned @context; read as SPDX 3.0",
                None,
            );
            "3.0".to_string()
        }
    };
    let name = doc
        .and_then(|d| d.name.clone())
        .or_else(|| c.docs.iter().find_map(|d| d.name.clone()));
    let tools: Vec<String> = info
        .map(|i| {
            i.created_using
                .iter()
                .filter_map(|t| c.agents.get(t.as_ref()).and_then(|p| p.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let authors = info
        .map(|i| i.created_by.iter().filter_map(|a| c.party(a)).collect())
        .unwrap_or_default();
    let d = b.document_mut();
    d.spec_version = spec_version;
    d.name = name.map(|n| n.into_owned());
    d.id = doc.map(|d| d.id.to_string());
    d.created = info.and_then(|i| i.created.as_ref().map(|s| s.to_string()));
    d.tools = tools;
    d.authors = authors;
    d.files = c.files;
}

/// Marks the packages the document is about. `rootElement` chains through SBOM elements are
/// followed with a visited set, so a cycle of SBOMs naming each other ends.
fn mark_roots(b: &mut SbomBuilder, c: &Collector<'_>, ns: &NamespaceMap, types: &RelTypes<'_>) {
    let docs: HashMap<&str, &DocRec<'_>> = c.docs.iter().map(|d| (d.id.as_ref(), d)).collect();
    let mut work: Vec<&str> = c
        .docs
        .iter()
        .filter(|d| d.is_document)
        .flat_map(|d| d.root_element.iter().map(|r| r.as_ref()))
        .collect();
    if work.is_empty() {
        work = c
            .docs
            .iter()
            .flat_map(|d| d.root_element.iter().map(|r| r.as_ref()))
            .collect();
    }
    for rel in &c.rels {
        let Some(m) = types.get(rel_type_name(&rel.rtype)).and_then(|t| t.0) else {
            continue;
        };
        if m.kind != RelationKind::Describes {
            continue;
        }
        if !m.reversed && docs.contains_key(rel.from.as_ref()) {
            work.extend(rel.to.iter().map(|t| t.as_ref()));
        } else if m.reversed {
            // `describedBy`: the package comes first, the document among the targets.
            if rel.to.iter().any(|t| docs.contains_key(t.as_ref())) {
                work.push(rel.from.as_ref());
            }
        }
    }
    let mut seen: HashSet<&str> = HashSet::new();
    while let Some(r) = work.pop() {
        if !seen.insert(r) {
            continue;
        }
        let id = ns.expand(r);
        if let Some(cid) = b.lookup(&id) {
            b.mark_root(cid);
        } else if let Some(d) = docs.get(r) {
            work.extend(d.root_element.iter().map(|x| x.as_ref()));
        } else if !b.is_non_component(&id) && !is_vocabulary(r) {
            b.warn(
                DiagnosticCode::DanglingReference,
                format!("root element '{r}' is not defined in the document"),
                None,
            );
        }
    }
}

/// Sets each component's licence from its `hasConcludedLicense` (preferred) or
/// `hasDeclaredLicense` relationships.
fn licences(b: &mut SbomBuilder, c: &Collector<'_>, ns: &NamespaceMap) {
    #[derive(Default)]
    struct Found {
        declared: Vec<String>,
        concluded: Vec<String>,
    }
    let mut found: HashMap<&str, Found> = HashMap::new();
    for rel in &c.rels {
        let concluded = match rel_type_name(&rel.rtype) {
            "hasConcludedLicense" => true,
            "hasDeclaredLicense" => false,
            _ => continue,
        };
        for to in &rel.to {
            let expr = match c.licence(to) {
                Ok(Some(e)) => e,
                Ok(None) => continue,
                Err(collect::UnknownLicence) => {
                    b.warn(
                        DiagnosticCode::DanglingReference,
                        format!("licence '{to}' is not defined in the document"),
                        Some(rel.location()),
                    );
                    continue;
                }
            };
            let f = found.entry(rel.from.as_ref()).or_default();
            if concluded {
                f.concluded.push(expr);
            } else {
                f.declared.push(expr);
            }
        }
    }
    for (from, f) in found {
        let Some(cid) = b.lookup(&ns.expand(from)) else {
            continue;
        };
        let list = if f.concluded.is_empty() {
            f.declared
        } else {
            f.concluded
        };
        b.component_mut(cid).licenses = Some(join_licences(list));
    }
}

fn join_licences(mut list: Vec<String>) -> String {
    list.dedup();
    if list.len() == 1 {
        return list.pop().unwrap_or_default();
    }
    list.iter()
        .map(|e| {
            if e.contains(' ') {
                format!("({e})")
            } else {
                e.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Adds one relation per `to` target. Unknown types are kept as [`RelationKind::Other`] with one
/// I006 per type; `describes` from a document was used for roots and is not an edge.
fn relations(b: &mut SbomBuilder, c: &Collector<'_>, ns: &NamespaceMap, types: &RelTypes<'_>) {
    let docs: HashSet<&str> = c.docs.iter().map(|d| d.id.as_ref()).collect();
    let mut unknown: HashMap<&str, (usize, String)> = HashMap::new();
    let container = file_containers(b, c, ns, types);
    for rel in &c.rels {
        let name = rel_type_name(&rel.rtype);
        if matches!(name, "hasConcludedLicense" | "hasDeclaredLicense") {
            continue;
        }
        let Some((mapping, source_type)) = types.get(name) else {
            continue;
        };
        let mapping = *mapping;
        let kind = match mapping {
            Some(m) if m.standard => m.kind,
            other => {
                let e = unknown.entry(name).or_insert_with(|| (0, rel.location()));
                e.0 += rel.to.len().max(1);
                other.map(|m| m.kind).unwrap_or(RelationKind::Other)
            }
        };
        let reversed = mapping.is_some_and(|m| m.reversed);
        for to in &rel.to {
            let (f, t) = if reversed {
                (to.as_ref(), rel.from.as_ref())
            } else {
                (rel.from.as_ref(), to.as_ref())
            };
            if kind == RelationKind::Describes && docs.contains(f) {
                continue;
            }
            // A file's dependency is its package's dependency (`./main dependsOn libc`, in
            // corpus/spdx3/spdxex-software-example4-example4-bin.spdx3.jsonld).
            let (f, t) = if kind == RelationKind::DependsOn {
                (
                    container.get(f).copied().unwrap_or(f),
                    container.get(t).copied().unwrap_or(t),
                )
            } else {
                (f, t)
            };
            if is_vocabulary(f) || is_vocabulary(t) {
                continue;
            }
            b.relate_refs(
                &ns.expand(f),
                &ns.expand(t),
                kind,
                source_type.clone(),
                || rel.location(),
            );
        }
    }
    let mut unknown: Vec<_> = unknown.into_iter().collect();
    unknown.sort();
    for (name, (n, loc)) in unknown {
        b.warn(
            DiagnosticCode::NonStandardRelation,
            format!("relationship type '{name}' is not one this tool knows; {n} relation(s) kept as 'other'"),
            Some(loc),
        );
    }
}

/// The package that `contains` each non-component element (a file), first container wins.
fn file_containers<'c>(
    b: &SbomBuilder,
    c: &'c Collector<'_>,
    ns: &NamespaceMap,
    types: &RelTypes<'_>,
) -> HashMap<&'c str, &'c str> {
    let mut out = HashMap::new();
    let is_component = |id: &str| b.lookup(&ns.expand(id)).is_some();
    for rel in &c.rels {
        let Some(m) = types.get(rel_type_name(&rel.rtype)).and_then(|t| t.0) else {
            continue;
        };
        if m.kind != RelationKind::Contains {
            continue;
        }
        for to in &rel.to {
            let (outer, inner) = if m.reversed {
                (to.as_ref(), rel.from.as_ref())
            } else {
                (rel.from.as_ref(), to.as_ref())
            };
            if is_component(outer) && !is_component(inner) {
                out.entry(inner).or_insert(outer);
            }
        }
    }
    out
}

/// Each distinct relationship type of the document with its mapping and its `source_type`,
/// worked out once.
type RelTypes<'c> = HashMap<&'c str, (Option<relationships::Mapping>, Cow<'static, str>)>;

fn rel_types<'c>(c: &'c Collector<'_>) -> RelTypes<'c> {
    let mut out = RelTypes::new();
    for rel in &c.rels {
        let name = rel_type_name(&rel.rtype);
        out.entry(name)
            .or_insert_with(|| (relationships::map(name), source_type(name)));
    }
    out
}

/// The relationship type without any vocabulary IRI in front
/// (`https://spdx.org/rdf/3.0.1/terms/Core/RelationshipType/dependsOn` -> `dependsOn`).
fn rel_type_name(t: &str) -> &str {
    match t.rfind(['/', '#', ':']) {
        Some(i) => &t[i + 1..],
        None => t,
    }
}

/// The document's own name for a relation type, without allocating for the standard ones.
fn source_type(name: &str) -> Cow<'static, str> {
    match SPDX3_RELATIONSHIP_TYPES.iter().find(|t| **t == name) {
        Some(t) => Cow::Borrowed(t),
        None => Cow::Owned(name.to_string()),
    }
}

/// SPDX 3.0.1 `RelationshipType` names.
const SPDX3_RELATIONSHIP_TYPES: &[&str] = &[
    "affects",
    "amendedBy",
    "ancestorOf",
    "availableFrom",
    "configures",
    "contains",
    "coordinatedBy",
    "copiedTo",
    "delegatedTo",
    "dependsOn",
    "descendantOf",
    "describes",
    "doesNotAffect",
    "expandsTo",
    "exploitCreatedBy",
    "fixedBy",
    "fixedIn",
    "foundBy",
    "generates",
    "hasAddedFile",
    "hasAssessmentFor",
    "hasAssociatedVulnerability",
    "hasConcludedLicense",
    "hasDataFile",
    "hasDeclaredLicense",
    "hasDeletedFile",
    "hasDependencyManifest",
    "hasDistributionArtifact",
    "hasDocumentation",
    "hasDynamicLink",
    "hasEvidence",
    "hasExample",
    "hasHost",
    "hasInput",
    "hasMetadata",
    "hasOptionalComponent",
    "hasOptionalDependency",
    "hasOutput",
    "hasPrerequisite",
    "hasProvidedDependency",
    "hasRequirement",
    "hasSpecification",
    "hasStaticLink",
    "hasTest",
    "hasTestCase",
    "hasVariant",
    "invokedBy",
    "modifiedBy",
    "other",
    "packagedBy",
    "patchedBy",
    "publishedBy",
    "reportedBy",
    "republishedBy",
    "serializedInArtifact",
    "testedOn",
    "trainedOn",
    "underInvestigationFor",
    "usesTool",
];

/// Maps `software_primaryPurpose`. SPDX 3 purposes the model has no kind for (documentation,
/// test, patch...) become [`ComponentKind::Other`] without a warning; names outside the SPDX 3
/// vocabulary give `None`.
fn purpose_kind(purpose: &str) -> Option<ComponentKind> {
    let p = rel_type_name(purpose);
    match p {
        "documentation" | "evidence" | "manifest" | "patch" | "requirement" | "specification"
        | "test" | "diskImage" | "filesystemImage" => Some(ComponentKind::Other),
        _ => ComponentKind::parse(p),
    }
}

/// `namespaceMap` prefixes, for ids written as `prefix:local`.
struct NamespaceMap {
    map: Vec<(String, String)>,
}

impl NamespaceMap {
    fn new(c: &Collector<'_>) -> NamespaceMap {
        NamespaceMap {
            map: c
                .namespace_map
                .iter()
                .filter(|(p, _)| !p.is_empty())
                .map(|(p, n)| (format!("{p}:"), n.to_string()))
                .collect(),
        }
    }

    fn expand<'s>(&self, id: &'s str) -> Cow<'s, str> {
        for (prefix, ns) in &self.map {
            if let Some(rest) = id.strip_prefix(prefix.as_str()) {
                return Cow::Owned(format!("{ns}{rest}"));
            }
        }
        Cow::Borrowed(id)
    }
}
