//! One streaming pass over `@graph`: each element is read, turned into a compact record by its
//! class, and dropped, so memory stays proportional to what the model keeps.

use super::de::{Element, Kind, Ref, Val};
use crate::ingest::IngestError;
use crate::model::{
    Component, ComponentKind, ExternalRef, ExternalRefKind, Hash, Location, Party, PartyKind,
};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// How many wrong-typed values are reported one by one; the builder caps the rest too.
const MAX_SKIPPED: usize = 200;

/// A package waiting for its agents to be resolved.
pub(super) struct PackageRec<'a> {
    pub component: Component,
    pub supplied_by: Option<Cow<'a, str>>,
    pub originated_by: Option<Cow<'a, str>>,
    pub primary_purpose: Option<Cow<'a, str>>,
}

/// An `SpdxDocument` or SBOM/BOM element.
pub(super) struct DocRec<'a> {
    pub is_document: bool,
    pub id: Cow<'a, str>,
    pub name: Option<Cow<'a, str>>,
    pub creation_info: Option<Cow<'a, str>>,
    pub root_element: Vec<Cow<'a, str>>,
}

pub(super) struct CreationRec<'a> {
    pub spec_version: Option<Cow<'a, str>>,
    pub created: Option<Cow<'a, str>>,
    pub created_by: Vec<Cow<'a, str>>,
    pub created_using: Vec<Cow<'a, str>>,
}

pub(super) struct RelRec<'a> {
    pub id: Option<Cow<'a, str>>,
    /// Index of the element in `@graph`, for locations when it has no id.
    pub at: usize,
    pub from: Cow<'a, str>,
    pub to: Vec<Cow<'a, str>>,
    pub rtype: Cow<'a, str>,
}

impl RelRec<'_> {
    pub fn location(&self) -> String {
        match &self.id {
            Some(id) => format!("node {id}"),
            None => format!("/@graph/{}", self.at),
        }
    }
}

/// Everything the builder needs from the graph.
#[derive(Default)]
pub(super) struct Collector<'a> {
    pub packages: Vec<PackageRec<'a>>,
    pub non_components: Vec<Cow<'a, str>>,
    pub imports: Vec<Cow<'a, str>>,
    pub docs: Vec<DocRec<'a>>,
    pub rels: Vec<RelRec<'a>>,
    pub agents: HashMap<Cow<'a, str>, Party>,
    pub creation_infos: HashMap<Cow<'a, str>, CreationRec<'a>>,
    pub first_creation_info: Option<CreationRec<'a>>,
    pub licences: HashMap<Cow<'a, str>, String>,
    pub namespace_map: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub files: usize,
    /// `(location, message)` of values skipped for their type or for a missing property.
    pub skipped: Vec<(String, String)>,
    pub skipped_total: usize,
    contexts: Vec<String>,
    inline_ids: usize,
}

/// Reads the document into a [`Collector`].
pub(super) fn read<'a>(path: &str, text: &'a str) -> Result<Collector<'a>, IngestError> {
    let mut c = Collector::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let seen_graph = TopSeed { c: &mut c }
        .deserialize(&mut de)
        .map_err(|e| IngestError::from_json(path, &e))?;
    if !seen_graph {
        return Err(IngestError::not_an_sbom(
            path,
            "SPDX 3 JSON-LD without an `@graph` array: no elements to read",
        ));
    }
    if de.end().is_err() {
        c.skipped.push((
            "end of document".to_string(),
            "content after the JSON-LD object was ignored".to_string(),
        ));
    }
    Ok(c)
}

impl<'a> Collector<'a> {
    /// The party an agent id names, if the graph defines it.
    pub fn party(&self, id: &str) -> Option<Party> {
        self.agents.get(id).cloned()
    }

    /// The spec version in a versioned `@context` URL (`https://spdx.org/rdf/3.0.1/...`).
    pub fn context_version(&self) -> Option<String> {
        self.contexts.iter().find_map(|c| {
            let rest = &c[c.find("/rdf/")? + 5..];
            let v = &rest[..rest.find('/')?];
            v.starts_with('3').then(|| v.to_string())
        })
    }

    /// The licence expression a licence id stands for. `Ok(None)` for NOASSERTION; `Err` when
    /// the id names nothing known.
    pub fn licence(&self, id: &str) -> Result<Option<String>, UnknownLicence> {
        if let Some(e) = self.licences.get(id) {
            return Ok(Some(e.clone()));
        }
        let local = &id[id.rfind(['/', '#', ':']).map_or(0, |i| i + 1)..];
        match local {
            "NoAssertionLicense" => return Ok(None),
            "NoneLicense" => return Ok(Some("NONE".to_string())),
            _ => {}
        }
        // A listed licence written as its IRI: https://spdx.org/licenses/MIT.
        if id.contains("spdx.org/licenses/") && !local.is_empty() {
            return Ok(Some(local.to_string()));
        }
        Err(UnknownLicence)
    }

    fn skip(&mut self, loc: impl FnOnce() -> String, message: impl FnOnce() -> String) {
        self.skipped_total += 1;
        if self.skipped_total <= MAX_SKIPPED {
            self.skipped.push((loc(), message()));
        }
    }

    /// The id of a referenced element; an inline element is added to the graph first.
    fn take_ref(&mut self, r: Ref<'a>, at: usize) -> Cow<'a, str> {
        match r {
            Ref::Id(id) => id,
            Ref::Inline(e) => self.add(*e, at),
        }
    }

    fn take_refs(&mut self, rs: Vec<Ref<'a>>, at: usize) -> Vec<Cow<'a, str>> {
        rs.into_iter().map(|r| self.take_ref(r, at)).collect()
    }

    /// Files one element under its class and returns its id (generated for inline elements
    /// written without one).
    fn add(&mut self, mut e: Element<'a>, at: usize) -> Cow<'a, str> {
        let had_id = e.id.is_some();
        let id = match e.id.take() {
            Some(id) => id,
            None => {
                self.inline_ids += 1;
                Cow::Owned(format!("_:sbomrisk-{}", self.inline_ids))
            }
        };
        let loc = |id: &str| format!("node {id}");
        if !e.skipped.is_empty() {
            let props = e.skipped.join(", ");
            self.skip(
                || loc(&id),
                || {
                    format!(
                        "property {props} of element '{id}' has a value of the wrong type; skipped"
                    )
                },
            );
        }
        match e.kind {
            Kind::Package | Kind::AiPackage | Kind::DatasetPackage => self.add_package(e, &id, at),
            Kind::File => {
                self.files += 1;
                self.non_components.push(id.clone());
            }
            Kind::Document | Kind::Sbom => {
                let creation_info = e.creation_info.take().map(|r| self.take_ref(r, at));
                let root_element = self.take_refs(std::mem::take(&mut e.root_element), at);
                for m in e.imports.drain(..) {
                    if let Some(x) = m.external_spdx_id {
                        self.imports.push(x);
                    }
                }
                for m in e.namespace_map.drain(..) {
                    if let (Some(p), Some(n)) = (m.prefix, m.namespace) {
                        self.namespace_map.push((p, n));
                    }
                }
                self.docs.push(DocRec {
                    is_document: e.kind == Kind::Document,
                    id: id.clone(),
                    name: e.name,
                    creation_info,
                    root_element,
                });
                self.non_components.push(id.clone());
            }
            Kind::Relationship => {
                let from = e.from.take().map(|r| self.take_ref(r, at));
                let to = self.take_refs(std::mem::take(&mut e.to), at);
                match (from, e.relationship_type) {
                    (Some(from), Some(rtype)) => self.rels.push(RelRec {
                        id: had_id.then(|| id.clone()),
                        at,
                        from,
                        to,
                        rtype,
                    }),
                    (from, _) => {
                        let missing = if from.is_none() {
                            "from"
                        } else {
                            "relationshipType"
                        };
                        self.skip(
                            || format!("/@graph/{at}"),
                            || format!("relationship '{id}' has no `{missing}`; skipped"),
                        );
                    }
                }
            }
            Kind::Person | Kind::Organization | Kind::Tool | Kind::Agent => {
                let party = agent_party(&e);
                self.agents.insert(id.clone(), party);
                self.non_components.push(id.clone());
            }
            Kind::CreationInfo => {
                let rec = CreationRec {
                    spec_version: e.spec_version,
                    created: e.created,
                    created_by: self.take_refs(std::mem::take(&mut e.created_by), at),
                    created_using: self.take_refs(std::mem::take(&mut e.created_using), at),
                };
                if self.first_creation_info.is_none() {
                    self.first_creation_info = Some(CreationRec {
                        spec_version: rec.spec_version.clone(),
                        created: rec.created.clone(),
                        created_by: rec.created_by.clone(),
                        created_using: rec.created_using.clone(),
                    });
                }
                self.creation_infos.insert(id.clone(), rec);
            }
            Kind::LicenseExpression => {
                if let Some(x) = e.license_expression {
                    self.licences.insert(id.clone(), x.into_owned());
                }
                self.non_components.push(id.clone());
            }
            Kind::License => {
                // Named by its id's last segment (LicenseRef-..., or the listed licence id).
                let local = &id[id.rfind(['/', '#', ':']).map_or(0, |i| i + 1)..];
                let name = if local.is_empty() {
                    e.name.as_deref().unwrap_or_default().to_string()
                } else {
                    local.to_string()
                };
                if !name.is_empty() {
                    self.licences.insert(id.clone(), name);
                }
                self.non_components.push(id.clone());
            }
            Kind::Snippet | Kind::Hash | Kind::Unknown => {
                self.non_components.push(id.clone());
            }
        }
        id
    }

    fn add_package(&mut self, mut e: Element<'a>, id: &str, at: usize) {
        let mut c = Component::new(id, e.name.take().unwrap_or_default());
        c.version = e.package_version.take().map(Cow::into_owned);
        c.kind = match e.kind {
            Kind::AiPackage => ComponentKind::MachineLearningModel,
            Kind::DatasetPackage => ComponentKind::Data,
            _ => ComponentKind::Library,
        };
        c.purl = e.package_url.take().map(Cow::into_owned);
        for x in &e.external_identifier {
            let (Some(t), Some(v)) = (&x.external_identifier_type, &x.identifier) else {
                continue;
            };
            match t.as_ref() {
                "cpe23" | "cpe22" => c.cpes.push(v.to_string()),
                "packageUrl" | "purl" if c.purl.is_none() => c.purl = Some(v.to_string()),
                _ => {}
            }
        }
        for h in &e.verified_using {
            if h.kind != Kind::Hash {
                continue; // PackageVerificationCode is not a digest of the package.
            }
            if let (Some(alg), Some(v)) = (&h.algorithm, &h.hash_value) {
                c.hashes.push(Hash {
                    alg: Hash::algorithm(alg),
                    value: v.to_string(),
                });
            }
        }
        if let Some(url) = e.download_location.take().filter(|u| is_url(u)) {
            c.external_refs.push(ExternalRef {
                kind: ExternalRefKind::Distribution,
                url: url.into_owned(),
            });
        }
        if let Some(url) = e.home_page.take().filter(|u| is_url(u)) {
            c.external_refs.push(ExternalRef {
                kind: ExternalRefKind::Website,
                url: url.into_owned(),
            });
        }
        for r in &e.external_ref {
            let kind = ExternalRefKind::parse(r.external_ref_type.as_deref().unwrap_or(""));
            for url in &r.locator {
                c.external_refs.push(ExternalRef {
                    kind,
                    url: url.to_string(),
                });
            }
        }
        c.location = Some(Location::Node(id.to_string()));
        let supplied_by = e.supplied_by.take().map(|r| self.take_ref(r, at));
        let mut originated_by = self.take_refs(std::mem::take(&mut e.originated_by), at);
        let originated_by = (!originated_by.is_empty()).then(|| originated_by.swap_remove(0));
        self.packages.push(PackageRec {
            component: c,
            supplied_by,
            originated_by,
            primary_purpose: e.primary_purpose.take(),
        });
    }
}

fn is_url(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && !s.eq_ignore_ascii_case("NOASSERTION") && !s.eq_ignore_ascii_case("NONE")
}

fn agent_party(e: &Element<'_>) -> Party {
    let kind = match e.kind {
        Kind::Person => PartyKind::Person,
        Kind::Organization => PartyKind::Organization,
        Kind::Tool => PartyKind::Tool,
        _ => PartyKind::Unknown,
    };
    let email = e
        .external_identifier
        .iter()
        .find(|x| x.external_identifier_type.as_deref() == Some("email"))
        .and_then(|x| x.identifier.as_ref())
        .map(|s| s.to_string());
    Party {
        kind,
        name: e.name.as_ref().map(|s| s.to_string()),
        email,
        ..Party::default()
    }
}

/// True for SPDX vocabulary individuals used as element references (`NoneElement`,
/// `NoAssertionElement`, `NoneLicense`...): they are not elements of the document.
pub(super) fn is_vocabulary(id: &str) -> bool {
    id.contains("spdx.org/rdf/")
        || matches!(
            id,
            "NoneElement" | "NoAssertionElement" | "NoneLicense" | "NoAssertionLicense"
        )
}

/// The top-level object: `@context` (kept for its version) and `@graph`. Returns whether a
/// `@graph` was seen.
struct TopSeed<'c, 'a> {
    c: &'c mut Collector<'a>,
}

impl<'de, 'c> DeserializeSeed<'de> for TopSeed<'c, 'de> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, 'c> Visitor<'de> for TopSeed<'c, 'de> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON-LD object with `@context` and `@graph`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut seen = false;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "@graph" => {
                    map.next_value_seed(GraphSeed { c: &mut *self.c })?;
                    seen = true;
                }
                "@context" => {
                    if let Ok(v) = map.next_value::<Val<'de>>()?.into_strs() {
                        self.c.contexts.extend(v.into_iter().map(Cow::into_owned));
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(seen)
    }
}

/// `@graph`: an array of elements (a single element object is accepted too).
struct GraphSeed<'c, 'a> {
    c: &'c mut Collector<'a>,
}

impl<'de, 'c> DeserializeSeed<'de> for GraphSeed<'c, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'c> Visitor<'de> for GraphSeed<'c, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an `@graph` array of elements")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut at = 0usize;
        while let Some(v) = seq.next_element::<Val<'de>>()? {
            match v {
                Val::Obj(e) => {
                    self.c.add(*e, at);
                }
                _ => self.c.skip(
                    || format!("/@graph/{at}"),
                    || "an @graph entry that is not an object; skipped".to_string(),
                ),
            }
            at += 1;
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let e = super::de::read_element(map)?;
        self.c.add(e, 0);
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A licence id that names no licence element of the document and no listed licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("licence id not defined in the document")]
pub struct UnknownLicence;
