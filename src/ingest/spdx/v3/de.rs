//! Lenient, borrowing deserialisation of SPDX 3 JSON-LD elements.
//!
//! Property names are matched on their local name, so `software_packageVersion`,
//! `software:packageVersion`, `packageVersion` and the full IRI
//! `https://spdx.org/rdf/3.0.1/terms/Software/packageVersion` all land in the same field. Values
//! are read leniently: a reference may be a string id, an `{"@id": ...}` object or an inline
//! element; a literal may be a string, a number or an `{"@value": ...}` object; a one-element
//! value may stand where a list is expected and the reverse. A value of the wrong type is
//! skipped and its property name recorded in [`Element::skipped`] so that the caller can warn.
//! Strings are borrowed from the input where they hold no escapes. Nesting depth is bounded by
//! serde_json's recursion limit, so deep input gives an error, not a stack overflow.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// The class of an element, from its `type` (local name, any profile prefix stripped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Kind {
    /// No `type`, or a class this reader has no use for (annotations, vulnerabilities...).
    #[default]
    Unknown,
    Package,
    AiPackage,
    DatasetPackage,
    File,
    Snippet,
    /// `SpdxDocument`.
    Document,
    /// `software_Sbom`, `Bom`, `Bundle`: collections with their own `rootElement`.
    Sbom,
    /// `Relationship`, `LifecycleScopedRelationship` and the security `*Relationship` classes.
    Relationship,
    Person,
    Organization,
    Tool,
    Agent,
    CreationInfo,
    LicenseExpression,
    /// A named licence element (`CustomLicense`, `ListedLicense`...).
    License,
    Hash,
}

impl Kind {
    pub(super) fn from_type(t: &str) -> Kind {
        let local = local_name(t);
        match local {
            "Package" => Kind::Package,
            "AIPackage" => Kind::AiPackage,
            "DatasetPackage" => Kind::DatasetPackage,
            "File" => Kind::File,
            "Snippet" => Kind::Snippet,
            "SpdxDocument" => Kind::Document,
            "Sbom" | "Bom" | "Bundle" => Kind::Sbom,
            "Person" => Kind::Person,
            "Organization" => Kind::Organization,
            "Tool" | "SoftwareAgent" => Kind::Tool,
            "Agent" => Kind::Agent,
            "CreationInfo" => Kind::CreationInfo,
            "LicenseExpression" => Kind::LicenseExpression,
            "CustomLicense" | "ListedLicense" | "License" => Kind::License,
            "Hash" => Kind::Hash,
            l if l.ends_with("Relationship") => Kind::Relationship,
            _ => Kind::Unknown,
        }
    }
}

/// The local part of a property or class name: `software_packageVersion` -> `packageVersion`,
/// `https://spdx.org/rdf/3.0.1/terms/Software/Package` -> `Package`. JSON-LD keywords (`@id`)
/// are kept whole.
pub(super) fn local_name(key: &str) -> &str {
    if key.starts_with('@') {
        return key;
    }
    match key.rfind(['_', ':', '/', '#']) {
        Some(i) => &key[i + 1..],
        None => key,
    }
}

/// A string borrowed from the input when it holds no escapes.
struct CowStr<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for CowStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CowStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A reference to another element: its id, or the element written inline.
#[derive(Debug)]
pub(super) enum Ref<'a> {
    Id(Cow<'a, str>),
    Inline(Box<Element<'a>>),
}

/// Any JSON value, with objects read as [`Element`]s (unknown keys dropped on the way).
#[derive(Debug)]
pub(super) enum Val<'a> {
    Str(Cow<'a, str>),
    Scalar(String),
    Null,
    Obj(Box<Element<'a>>),
    Arr(Vec<Val<'a>>),
}

/// The value had a type this reader cannot use for the property.
pub(super) struct WrongType;

impl<'a> Val<'a> {
    /// A literal: a string, a number or boolean as text, `{"@value": ...}`, or the first of a list.
    pub(super) fn into_str(self) -> Result<Option<Cow<'a, str>>, WrongType> {
        match self {
            Val::Str(s) => Ok(Some(s)),
            Val::Scalar(s) => Ok(Some(Cow::Owned(s))),
            Val::Null => Ok(None),
            Val::Obj(e) => e.value.map(Some).ok_or(WrongType),
            Val::Arr(items) => match items.into_iter().next() {
                Some(v) => v.into_str(),
                None => Ok(None),
            },
        }
    }

    /// A list of literals; a single literal counts as a list of one.
    pub(super) fn into_strs(self) -> Result<Vec<Cow<'a, str>>, WrongType> {
        self.into_list(Val::into_str)
    }

    /// A list, or one value taken as a list of one, each item read by `item` (`None`s dropped).
    fn into_list<T>(
        self,
        item: impl Fn(Val<'a>) -> Result<Option<T>, WrongType>,
    ) -> Result<Vec<T>, WrongType> {
        match self {
            Val::Arr(items) => {
                let mut out = Vec::with_capacity(items.len());
                for v in items {
                    if let Some(x) = item(v)? {
                        out.push(x);
                    }
                }
                Ok(out)
            }
            v => Ok(item(v)?.into_iter().collect()),
        }
    }

    /// A reference: a string id, `{"@id": ...}`, an inline element, or the first of a list.
    pub(super) fn into_ref(self) -> Result<Option<Ref<'a>>, WrongType> {
        match self {
            Val::Str(s) => Ok(Some(Ref::Id(s))),
            Val::Null => Ok(None),
            Val::Scalar(_) => Err(WrongType),
            Val::Obj(e) => Ok(Some(obj_ref(e))),
            Val::Arr(items) => match items.into_iter().next() {
                Some(v) => v.into_ref(),
                None => Ok(None),
            },
        }
    }

    /// A list of references; a single reference counts as a list of one.
    pub(super) fn into_refs(self) -> Result<Vec<Ref<'a>>, WrongType> {
        self.into_list(Val::into_ref)
    }

    /// A list of nested objects (hashes, external identifiers); a single object counts as one.
    pub(super) fn into_objs(self) -> Result<Vec<Element<'a>>, WrongType> {
        match self {
            Val::Arr(items) => {
                let mut out = Vec::with_capacity(items.len());
                for v in items {
                    match v {
                        Val::Obj(e) => out.push(*e),
                        Val::Null => {}
                        _ => return Err(WrongType),
                    }
                }
                Ok(out)
            }
            Val::Obj(e) => Ok(vec![*e]),
            Val::Null => Ok(Vec::new()),
            _ => Err(WrongType),
        }
    }
}

/// An object in reference position: a bare `{"@id": ...}` is a reference, anything else an
/// inline element.
fn obj_ref(e: Box<Element<'_>>) -> Ref<'_> {
    if e.kind == Kind::Unknown && e.type_seen.is_none() && e.name.is_none() {
        if let Some(id) = e.id {
            return Ref::Id(id);
        }
    }
    Ref::Inline(e)
}

impl<'de> Deserialize<'de> for Val<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValVisitor)
    }
}

struct ValVisitor;

impl<'de> Visitor<'de> for ValVisitor {
    type Value = Val<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Val::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Val::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Val::Str(Cow::Owned(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Val::Scalar(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Val::Scalar(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Val::Scalar(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Val::Scalar(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Val::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Val::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element::<Val<'de>>()? {
            items.push(v);
        }
        Ok(Val::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        read_element(map).map(|e| Val::Obj(Box::new(e)))
    }
}

/// One JSON-LD node object, with the properties this reader uses. Top-level elements, inline
/// elements and nested objects (hashes, identifiers, external maps) share this shape.
#[derive(Debug, Default)]
pub(super) struct Element<'a> {
    pub kind: Kind,
    /// The `type` as written, when it named no class this reader knows.
    pub type_seen: Option<Cow<'a, str>>,
    pub id: Option<Cow<'a, str>>,
    pub name: Option<Cow<'a, str>>,
    pub value: Option<Cow<'a, str>>,
    pub creation_info: Option<Ref<'a>>,
    pub spec_version: Option<Cow<'a, str>>,
    pub created: Option<Cow<'a, str>>,
    pub created_by: Vec<Ref<'a>>,
    pub created_using: Vec<Ref<'a>>,
    pub root_element: Vec<Ref<'a>>,
    pub from: Option<Ref<'a>>,
    pub to: Vec<Ref<'a>>,
    pub relationship_type: Option<Cow<'a, str>>,
    pub package_version: Option<Cow<'a, str>>,
    pub package_url: Option<Cow<'a, str>>,
    pub download_location: Option<Cow<'a, str>>,
    pub home_page: Option<Cow<'a, str>>,
    pub primary_purpose: Option<Cow<'a, str>>,
    pub license_expression: Option<Cow<'a, str>>,
    pub supplied_by: Option<Ref<'a>>,
    pub originated_by: Vec<Ref<'a>>,
    pub external_identifier: Vec<Element<'a>>,
    pub external_ref: Vec<Element<'a>>,
    pub verified_using: Vec<Element<'a>>,
    pub imports: Vec<Element<'a>>,
    pub namespace_map: Vec<Element<'a>>,
    pub external_identifier_type: Option<Cow<'a, str>>,
    pub identifier: Option<Cow<'a, str>>,
    pub external_ref_type: Option<Cow<'a, str>>,
    pub locator: Vec<Cow<'a, str>>,
    pub algorithm: Option<Cow<'a, str>>,
    pub hash_value: Option<Cow<'a, str>>,
    pub external_spdx_id: Option<Cow<'a, str>>,
    pub prefix: Option<Cow<'a, str>>,
    pub namespace: Option<Cow<'a, str>>,
    /// Properties whose value had the wrong type and was skipped.
    pub skipped: Vec<&'static str>,
}

impl<'de> Deserialize<'de> for Element<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Element<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON-LD node object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                read_element(map)
            }
        }
        d.deserialize_map(V)
    }
}

/// Reads one node object. Unknown properties are skipped without being built.
pub(super) fn read_element<'de, A: MapAccess<'de>>(mut map: A) -> Result<Element<'de>, A::Error> {
    let mut e = Element::default();
    while let Some(CowStr(key)) = map.next_key::<CowStr<'de>>()? {
        // Each arm names the property (for warnings) and where its value goes.
        macro_rules! take {
            ($prop:literal, $conv:ident, $field:expr) => {{
                match map.next_value::<Val<'de>>()?.$conv() {
                    Ok(v) => $field = v,
                    Err(WrongType) => e.skipped.push($prop),
                }
            }};
        }
        match local_name(&key) {
            "type" | "@type" => match map.next_value::<Val<'de>>()?.into_strs() {
                Ok(types) => {
                    for t in types {
                        let k = Kind::from_type(&t);
                        if k != Kind::Unknown {
                            e.kind = k;
                            e.type_seen = None;
                            break;
                        }
                        if e.type_seen.is_none() {
                            e.type_seen = Some(t);
                        }
                    }
                }
                Err(WrongType) => e.skipped.push("type"),
            },
            "spdxId" | "@id" => take!("spdxId", into_str, e.id),
            "@value" => take!("@value", into_str, e.value),
            "name" => take!("name", into_str, e.name),
            "creationInfo" => take!("creationInfo", into_ref, e.creation_info),
            "specVersion" => take!("specVersion", into_str, e.spec_version),
            "created" => take!("created", into_str, e.created),
            "createdBy" => take!("createdBy", into_refs, e.created_by),
            "createdUsing" => take!("createdUsing", into_refs, e.created_using),
            "rootElement" => take!("rootElement", into_refs, e.root_element),
            "from" => take!("from", into_ref, e.from),
            "to" => take!("to", into_refs, e.to),
            "relationshipType" => take!("relationshipType", into_str, e.relationship_type),
            "packageVersion" => take!("packageVersion", into_str, e.package_version),
            "packageUrl" => take!("packageUrl", into_str, e.package_url),
            "downloadLocation" => take!("downloadLocation", into_str, e.download_location),
            "homePage" => take!("homePage", into_str, e.home_page),
            "primaryPurpose" => take!("primaryPurpose", into_str, e.primary_purpose),
            "licenseExpression" => take!("licenseExpression", into_str, e.license_expression),
            "suppliedBy" => take!("suppliedBy", into_ref, e.supplied_by),
            "originatedBy" => take!("originatedBy", into_refs, e.originated_by),
            // `externalIdentifiers` (plural) is sbomqs' spelling, seen in
            // corpus/spdx3/sbomqs-fixture-spdx3-complete-ntia.spdx3.jsonld.
            "externalIdentifier" | "externalIdentifiers" => {
                let mut v = Vec::new();
                take!("externalIdentifier", into_objs, v);
                e.external_identifier.append(&mut v);
            }
            "externalRef" | "externalRefs" => {
                let mut v = Vec::new();
                take!("externalRef", into_objs, v);
                e.external_ref.append(&mut v);
            }
            "verifiedUsing" => take!("verifiedUsing", into_objs, e.verified_using),
            "import" => take!("import", into_objs, e.imports),
            "namespaceMap" => take!("namespaceMap", into_objs, e.namespace_map),
            "externalIdentifierType" => take!(
                "externalIdentifierType",
                into_str,
                e.external_identifier_type
            ),
            "identifier" => take!("identifier", into_str, e.identifier),
            "externalRefType" => take!("externalRefType", into_str, e.external_ref_type),
            "locator" => take!("locator", into_strs, e.locator),
            "algorithm" => take!("algorithm", into_str, e.algorithm),
            "hashValue" => take!("hashValue", into_str, e.hash_value),
            "externalSpdxId" => take!("externalSpdxId", into_str, e.external_spdx_id),
            "prefix" => take!("prefix", into_str, e.prefix),
            "namespace" => take!("namespace", into_str, e.namespace),
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok(e)
}
