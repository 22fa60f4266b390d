//! CycloneDX JSON (1.2 to 1.7) through a lenient, borrowed serde model.
//!
//! Only the fields the model reads are typed; everything else is skipped by serde without being
//! built. Every field is optional, and a field of the wrong type is skipped with an I013 warning
//! naming its JSON path instead of failing the document. Strings borrow from the input unless
//! they contain escapes. Nesting is bounded by serde_json's recursion limit (128), which gives a
//! clean error; skipped values are ignored iteratively, so deep junk cannot overflow the stack.

use super::common::{self, DepLocation, Dependency};
use super::lenient::{LStr, List, Obj};
use crate::ingest::IngestError;
use crate::model::{
    Component, ComponentId, DiagnosticCode, ExternalRef, ExternalRefKind, Format, Location, Party,
    PartyKind, RelationKind, Sbom, SbomBuilder, Serialization,
};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Metadata<'a> {
    #[serde(borrow)]
    timestamp: LStr<'a>,
    #[serde(borrow)]
    tools: Tools<'a>,
    #[serde(borrow)]
    authors: List<Obj<Contact<'a>>>,
    #[serde(borrow)]
    component: Obj<Comp<'a>>,
    #[serde(borrow)]
    manufacture: Obj<Org<'a>>,
    #[serde(borrow)]
    manufacturer: Obj<Org<'a>>,
    #[serde(borrow)]
    supplier: Obj<Org<'a>>,
}

/// `metadata.tools`: an array of tools (1.2 to 1.4, deprecated later) or an object with
/// `components` and `services` (1.5+).
#[derive(Debug, Default)]
enum Tools<'a> {
    #[default]
    Missing,
    Legacy(Vec<Obj<Tool<'a>>>),
    Modern(Box<ToolsObj<'a>>),
    Bad(&'static str),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ToolsObj<'a> {
    #[serde(borrow)]
    components: List<Obj<Tool<'a>>>,
    #[serde(borrow)]
    services: List<Obj<Tool<'a>>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Tools<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Tools<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array or an object")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(t) = seq.next_element()? {
                    v.push(t);
                }
                Ok(Tools::Legacy(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                ToolsObj::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| Tools::Modern(Box::new(t)))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Tools::Bad("a string"))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Tools::Bad("a number"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Tools::Bad("a number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Tools::Bad("a number"))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Tools::Bad("a boolean"))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Tools::Missing)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A legacy tool, or a 1.5+ tool component or service: the fields a `vendor name version`
/// string needs.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Tool<'a> {
    #[serde(borrow)]
    vendor: LStr<'a>,
    #[serde(borrow)]
    group: LStr<'a>,
    #[serde(borrow)]
    name: LStr<'a>,
    #[serde(borrow)]
    version: LStr<'a>,
    #[serde(borrow)]
    supplier: Obj<Org<'a>>,
    #[serde(borrow)]
    manufacturer: Obj<Org<'a>>,
    #[serde(borrow)]
    provider: Obj<Org<'a>>,
    #[serde(borrow)]
    author: LStr<'a>,
}

/// organizationalEntity.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Org<'a> {
    #[serde(borrow)]
    name: LStr<'a>,
    #[serde(borrow)]
    url: List<LStr<'a>>,
    #[serde(borrow)]
    contact: List<Obj<Contact<'a>>>,
    #[serde(borrow)]
    address: Obj<Address<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Address<'a> {
    #[serde(borrow)]
    country: LStr<'a>,
}

/// organizationalContact.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Contact<'a> {
    #[serde(borrow)]
    name: LStr<'a>,
    #[serde(borrow)]
    email: LStr<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Comp<'a> {
    #[serde(rename = "type", borrow)]
    kind: LStr<'a>,
    #[serde(rename = "bom-ref", borrow)]
    bom_ref: LStr<'a>,
    #[serde(borrow)]
    supplier: Obj<Org<'a>>,
    #[serde(borrow)]
    manufacturer: Obj<Org<'a>>,
    #[serde(borrow)]
    authors: List<Obj<Contact<'a>>>,
    #[serde(borrow)]
    author: LStr<'a>,
    #[serde(borrow)]
    publisher: LStr<'a>,
    #[serde(borrow)]
    name: LStr<'a>,
    #[serde(borrow)]
    version: LStr<'a>,
    #[serde(borrow)]
    hashes: List<Obj<HashJ<'a>>>,
    #[serde(borrow)]
    licenses: List<Obj<LicenseChoice<'a>>>,
    #[serde(borrow)]
    cpe: LStr<'a>,
    #[serde(borrow)]
    purl: LStr<'a>,
    #[serde(rename = "externalReferences", borrow)]
    external_references: List<Obj<ExtRef<'a>>>,
    #[serde(borrow)]
    properties: List<Obj<Property<'a>>>,
    /// Boxed: a component is large, and most nested lists hold one or two.
    #[serde(borrow)]
    components: List<Box<Obj<Comp<'a>>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HashJ<'a> {
    #[serde(borrow)]
    alg: LStr<'a>,
    #[serde(borrow)]
    content: LStr<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LicenseChoice<'a> {
    #[serde(borrow)]
    license: Obj<License<'a>>,
    #[serde(borrow)]
    expression: LStr<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct License<'a> {
    #[serde(borrow)]
    id: LStr<'a>,
    #[serde(borrow)]
    name: LStr<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ExtRef<'a> {
    #[serde(borrow)]
    url: LStr<'a>,
    #[serde(rename = "type", borrow)]
    kind: LStr<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Property<'a> {
    #[serde(borrow)]
    name: LStr<'a>,
    #[serde(borrow)]
    value: LStr<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Dep<'a> {
    #[serde(rename = "ref", borrow)]
    from: LStr<'a>,
    #[serde(rename = "dependsOn", borrow)]
    depends_on: List<LStr<'a>>,
    #[serde(borrow)]
    provides: List<LStr<'a>>,
}

/// Parses CycloneDX JSON. Components and dependencies are turned into the model while serde
/// reads them (one top-level component at a time), so the document is never held as a tree.
pub(super) fn parse(path: &str, text: &str) -> Result<Sbom, IngestError> {
    // Growing the component vector and the id index while thousands of small per-component
    // buffers are freed makes glibc consolidate its free lists on every growth; an estimate
    // from the size (real components take 0.4 to 2 KB of JSON) avoids most growths.
    let estimate = (text.len() / 600).min(1 << 22);
    let mut b = SbomBuilder::with_capacity(path, Format::CycloneDx, Serialization::Json, estimate);
    let mut r = Reader {
        b: &mut b,
        nested: Vec::new(),
        path: String::with_capacity(64),
        deps: Vec::new(),
        seen: Seen::default(),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let top = TopSeed { r: &mut r }
        .deserialize(&mut de)
        .map_err(|e| json_error(path, &e))?;
    if let Err(e) = de.end() {
        let (line, col) = (e.line(), e.column());
        r.b.warn(
            DiagnosticCode::TrailingContent,
            "content after the end of the JSON document was ignored",
            Some(format!("line {line}, column {col}")),
        );
    }
    if let Some(found) = top.not_object {
        return Err(IngestError::not_an_sbom(
            path,
            format!("a CycloneDX document is a JSON object, found {found}"),
        )
        .at("/"));
    }
    if let LStr::Str(f) = &top.bom_format {
        if !f.trim().eq_ignore_ascii_case("CycloneDX") {
            return Err(IngestError::not_an_sbom(
                path,
                format!("bomFormat is '{f}', not 'CycloneDX'"),
            )
            .at("/bomFormat"));
        }
    }
    for (name, bad) in [
        ("/components", top.components_bad),
        ("/dependencies", top.dependencies_bad),
        ("/metadata", top.metadata_bad),
    ] {
        if let Some(found) = bad {
            return Err(IngestError::not_an_sbom(
                path,
                format!(
                    "not a CycloneDX document: expected {}, found {found}",
                    expected(name)
                ),
            )
            .at(name));
        }
    }
    r.path.clear();
    common::set_spec_version(r.b, top.spec_version.get(), "/specVersion");
    r.check(&top.spec_version, "/specVersion");
    r.b.document_mut().id = common::text(top.serial_number.get());
    r.check(&top.serial_number, "/serialNumber");
    r.relate_nested();
    let deps = std::mem::take(&mut r.deps);
    common::relate_dependencies(&mut b, deps);
    Ok(b.finish())
}

/// serde_json's error with its line and column; the recursion limit gets a plainer message.
fn json_error(path: &str, e: &serde_json::Error) -> IngestError {
    let mut err = IngestError::from_json(path, e);
    if err.message.contains("recursion limit") {
        err.message =
            "the document nests deeper than 128 levels; refused (a CycloneDX document needs far fewer)"
                .to_string();
    }
    err
}

/// The document-level scalars, and what was wrong with its shape.
#[derive(Default)]
struct Top<'a> {
    bom_format: LStr<'a>,
    spec_version: LStr<'a>,
    serial_number: LStr<'a>,
    not_object: Option<&'static str>,
    components_bad: Option<&'static str>,
    dependencies_bad: Option<&'static str>,
    metadata_bad: Option<&'static str>,
}

/// Reads the top-level object, handing `metadata`, `components` and `dependencies` to the
/// reader as they come.
struct TopSeed<'r, 'b, 'a> {
    r: &'r mut Reader<'b, 'a>,
}

impl<'de, 'r, 'b> DeserializeSeed<'de> for TopSeed<'r, 'b, 'de> {
    type Value = Top<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

/// What a non-object value is called in messages.
fn found<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<&'static str, A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok("an array")
}

/// For the visitors of top-level arrays (`components`, `dependencies`): any other value is
/// skipped and named (`null` is an absent array).
macro_rules! non_arrays_are_bad {
    () => {
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Some("a string"))
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Some("a number"))
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Some("a number"))
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Some("a number"))
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Some("a boolean"))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Some("an object"))
        }
    };
}

macro_rules! scalars_are_bad {
    ($value:ty, $wrap:expr) => {
        fn visit_str<E>(self, _: &str) -> Result<$value, E> {
            Ok($wrap("a string"))
        }
        fn visit_u64<E>(self, _: u64) -> Result<$value, E> {
            Ok($wrap("a number"))
        }
        fn visit_i64<E>(self, _: i64) -> Result<$value, E> {
            Ok($wrap("a number"))
        }
        fn visit_f64<E>(self, _: f64) -> Result<$value, E> {
            Ok($wrap("a number"))
        }
        fn visit_bool<E>(self, _: bool) -> Result<$value, E> {
            Ok($wrap("a boolean"))
        }
        fn visit_unit<E>(self) -> Result<$value, E> {
            Ok($wrap("null"))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<$value, A::Error> {
            found(seq).map($wrap)
        }
    };
}

impl<'de, 'r, 'b> Visitor<'de> for TopSeed<'r, 'b, 'de> {
    type Value = Top<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a CycloneDX document (a JSON object)")
    }
    scalars_are_bad!(Top<'de>, |f| Top {
        not_object: Some(f),
        ..Top::default()
    });
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top<'de>, A::Error> {
        let mut top = Top::default();
        while let Some(key) = map.next_key::<LStr<'de>>()? {
            match key.get().unwrap_or("") {
                "bomFormat" => top.bom_format = map.next_value()?,
                "specVersion" => top.spec_version = map.next_value()?,
                "serialNumber" => top.serial_number = map.next_value()?,
                "metadata" => {
                    let m: Obj<Metadata<'de>> = map.next_value()?;
                    top.metadata_bad = obj_bad(&m);
                    if let Obj::Ok(m) = &m {
                        self.r.metadata(m);
                    }
                    self.r.seen_components_key("metadata");
                }
                "components" => {
                    self.r.path.clear();
                    self.r.path.push_str("/components");
                    top.components_bad = map.next_value_seed(ComponentsSeed { r: self.r })?;
                    self.r.seen_components_key("components");
                }
                "dependencies" => {
                    if self.r.seen.metadata && self.r.seen.components {
                        // Every component is known: containment first (as at the end), then
                        // each dependency entry as it is read.
                        self.r.relate_nested();
                        self.r.seen.streamed = true;
                    }
                    top.dependencies_bad = map.next_value_seed(DepsSeed { r: self.r })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(top)
    }
}

/// The top-level `components` array: each component is read, turned into the model with its
/// nested components, and dropped before the next one is read.
struct ComponentsSeed<'r, 'b, 'a> {
    r: &'r mut Reader<'b, 'a>,
}

impl<'de, 'r, 'b, 'a> DeserializeSeed<'de> for ComponentsSeed<'r, 'b, 'a> {
    type Value = Option<&'static str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'r, 'b, 'a> Visitor<'de> for ComponentsSeed<'r, 'b, 'a> {
    type Value = Option<&'static str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of components")
    }
    non_arrays_are_bad!();
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let base = self.r.path.len();
        let mut i = 0;
        while let Some(c) = seq.next_element::<Obj<Comp<'de>>>()? {
            push_index(&mut self.r.path, i);
            match &c {
                Obj::Ok(c) => {
                    self.r.component(c, None);
                }
                Obj::Bad(found) => self.r.skipped("", "an object", found),
                Obj::Missing => self.r.skipped("", "an object", "null"),
            }
            self.r.path.truncate(base);
            i += 1;
        }
        Ok(None)
    }
}

/// The `dependencies` array, kept (borrowing the text) until every component is known.
struct DepsSeed<'r, 'b, 'a> {
    r: &'r mut Reader<'b, 'a>,
}

impl<'de, 'r, 'b> DeserializeSeed<'de> for DepsSeed<'r, 'b, 'de> {
    type Value = Option<&'static str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'r, 'b> Visitor<'de> for DepsSeed<'r, 'b, 'de> {
    type Value = Option<&'static str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of dependencies")
    }
    non_arrays_are_bad!();
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut i = 0;
        while let Some(d) = seq.next_element::<Obj<Dep<'de>>>()? {
            match d {
                Obj::Ok(d) if self.r.seen.streamed => {
                    common::relate_dependency(self.r.b, &dependency(d, i));
                }
                Obj::Ok(d) => self.r.deps.push(dependency(d, i)),
                _ => {
                    self.r.path.clear();
                    push_index(&mut self.r.path, i);
                    self.r.path.insert_str(0, "/dependencies");
                    self.r.skipped("", "an object", "another value");
                }
            }
            i += 1;
        }
        Ok(None)
    }
}

fn dependency(d: Dep<'_>, i: usize) -> Dependency<'_> {
    fn list(l: List<LStr<'_>>) -> Vec<Cow<'_, str>> {
        match l {
            List::One(s) => vec![Cow::Owned(s)],
            l => l
                .into_items()
                .into_iter()
                .filter_map(|s| match s {
                    LStr::Str(s) => Some(s),
                    _ => None,
                })
                .collect(),
        }
    }
    Dependency {
        from: match d.from {
            LStr::Str(s) => s,
            _ => Cow::Borrowed(""),
        },
        depends_on: list(d.depends_on),
        provides: list(d.provides),
        location: DepLocation::Index(i),
    }
}

fn expected(pointer: &str) -> &'static str {
    if pointer == "/metadata" {
        "an object"
    } else {
        "an array"
    }
}

fn list_bad<T>(l: &List<T>) -> Option<&'static str> {
    match l {
        List::Bad(f) => Some(f),
        List::One(_) => Some("a string"),
        _ => None,
    }
}

fn obj_bad<T>(o: &Obj<T>) -> Option<&'static str> {
    match o {
        Obj::Bad(f) => Some(f),
        _ => None,
    }
}

struct Reader<'b, 'a> {
    b: &'b mut SbomBuilder,
    /// (container, nested component) pairs, related once every component is added.
    nested: Vec<(ComponentId, ComponentId)>,
    /// JSON pointer of the value being read; extended and truncated as the walk goes.
    path: String,
    /// Dependency entries read before every component was (see [`Seen`]).
    deps: Vec<Dependency<'a>>,
    seen: Seen,
}

/// Which top-level keys have been read. Dependencies read after both `metadata` and
/// `components` are related as they come (each entry dropped at once) instead of being kept
/// until the end; a document that puts them first keeps them until every component is known.
#[derive(Default)]
struct Seen {
    metadata: bool,
    components: bool,
    /// Some dependencies were related as they came.
    streamed: bool,
}

impl Reader<'_, '_> {
    /// Relates the (container, nested component) pairs read so far.
    fn relate_nested(&mut self) {
        for (parent, child) in std::mem::take(&mut self.nested) {
            self.b.relate(
                parent,
                child,
                RelationKind::Contains,
                Cow::Borrowed("nested"),
            );
        }
    }

    /// Notes that `key` (`metadata` or `components`) was read; after dependencies were
    /// related, a repeated key's components come too late for them, which is said.
    fn seen_components_key(&mut self, key: &str) {
        if self.seen.streamed {
            self.b.warn(
                DiagnosticCode::SkippedValue,
                format!(
                    "'{key}' is repeated after 'dependencies': dependencies naming the \
                     components it adds were reported as dangling"
                ),
                Some(format!("/{key}")),
            );
        }
        match key {
            "metadata" => self.seen.metadata = true,
            _ => self.seen.components = true,
        }
    }

    /// Warns (I013) when a scalar field held an object or an array.
    fn check(&mut self, v: &LStr<'_>, field: &str) {
        if let LStr::Bad(found) = v {
            self.skipped(field, "a string", found);
        }
    }

    fn check_list<T>(&mut self, v: &List<T>, field: &str) {
        if let Some(found) = list_bad(v) {
            if !matches!(v, List::One(_)) {
                self.skipped(field, "an array", found);
            }
        }
    }

    fn check_obj<T>(&mut self, v: &Obj<T>, field: &str) {
        if let Obj::Bad(found) = v {
            self.skipped(field, "an object", found);
        }
    }

    fn skipped(&mut self, field: &str, expected: &str, found: &str) {
        let at = format!("{}{}", self.path, field);
        self.b.warn(
            DiagnosticCode::SkippedValue,
            format!("expected {expected}, found {found}; skipped"),
            Some(at),
        );
    }

    fn metadata(&mut self, m: &Metadata<'_>) {
        self.path.clear();
        self.path.push_str("/metadata");
        self.check(&m.timestamp, "/timestamp");
        let created = common::text(m.timestamp.get());
        let mut tools = Vec::new();
        match &m.tools {
            Tools::Legacy(list) => tools.extend(list.iter().filter_map(Obj::get).filter_map(tool)),
            Tools::Modern(t) => {
                for l in [&t.components, &t.services] {
                    tools.extend(l.items().iter().filter_map(Obj::get).filter_map(tool));
                }
            }
            Tools::Bad(found) => self.skipped("/tools", "an array or an object", found),
            Tools::Missing => {}
        }
        self.check_list(&m.authors, "/authors");
        let authors: Vec<Party> = m
            .authors
            .items()
            .iter()
            .filter_map(Obj::get)
            .filter_map(|c| common::non_empty(contact(c)))
            .collect();
        self.check_obj(&m.supplier, "/supplier");
        let supplier = m.supplier.get().and_then(|o| common::non_empty(org(o)));
        let doc = self.b.document_mut();
        doc.created = created;
        doc.tools = tools;
        doc.authors = authors;
        doc.supplier = supplier;
        self.check_obj(&m.component, "/component");
        if let Some(c) = m.component.get() {
            self.path.push_str("/component");
            let id = self.component(c, None);
            self.b.mark_root(id);
            let manufacturer = m
                .manufacturer
                .get()
                .or(m.manufacture.get())
                .and_then(|o| common::non_empty(org(o)));
            let root = self.b.component_mut(id);
            if root.manufacturer.is_none() {
                root.manufacturer = manufacturer.map(Box::new);
            }
            if root.supplier.is_none() {
                root.supplier = self_supplier(m).map(Box::new);
            }
            if root.country.is_none() {
                common::fill_country(root, None);
            }
            let name = root.name.trim();
            if !name.is_empty() {
                let name = name.to_string();
                self.b.document_mut().name = Some(name);
            }
        }
    }

    /// Reads a `components` array found at `self.path`.
    fn components(&mut self, list: &List<Box<Obj<Comp<'_>>>>, parent: Option<ComponentId>) {
        if let Some(found) = list_bad(list) {
            self.skipped("", "an array", found);
            return;
        }
        let base = self.path.len();
        for (i, c) in list.items().iter().enumerate() {
            push_index(&mut self.path, i);
            match &**c {
                Obj::Ok(c) => {
                    self.component(c, parent);
                }
                Obj::Bad(found) => self.skipped("", "an object", found),
                Obj::Missing => self.skipped("", "an object", "null"),
            }
            self.path.truncate(base);
        }
    }

    /// Reads one component at `self.path`, then its nested components. Returns its index.
    fn component(&mut self, c: &Comp<'_>, parent: Option<ComponentId>) -> ComponentId {
        for (v, f) in [
            (&c.kind, "/type"),
            (&c.bom_ref, "/bom-ref"),
            (&c.name, "/name"),
            (&c.version, "/version"),
            (&c.purl, "/purl"),
            (&c.cpe, "/cpe"),
            (&c.author, "/author"),
            (&c.publisher, "/publisher"),
        ] {
            if matches!(v, LStr::Bad(_)) {
                self.check(v, f);
            }
        }
        let path = &self.path;
        let kind = common::component_kind(self.b, c.kind.get(), || path.clone());
        let mut comp = Component {
            bom_ref: c
                .bom_ref
                .get()
                .map(|s| crate::model::trim(s).to_string())
                .unwrap_or_default(),
            name: c
                .name
                .get()
                .map(|s| crate::model::trim(s).to_string())
                .unwrap_or_default(),
            version: common::text(c.version.get()),
            kind,
            purl: common::text(c.purl.get()),
            cpes: common::text(c.cpe.get()).into_iter().collect(),
            location: Some(Location::JsonPointer(self.path.clone())),
            ..Component::default()
        };
        if !matches!(c.supplier, Obj::Missing) {
            self.check_obj(&c.supplier, "/supplier");
            comp.supplier = c
                .supplier
                .get()
                .and_then(|o| common::non_empty(org(o)))
                .map(Box::new);
        }
        if !matches!(c.manufacturer, Obj::Missing) {
            self.check_obj(&c.manufacturer, "/manufacturer");
            comp.manufacturer = c
                .manufacturer
                .get()
                .and_then(|o| common::non_empty(org(o)))
                .map(Box::new);
        }
        if !matches!(c.authors, List::Missing) {
            self.check_list(&c.authors, "/authors");
            comp.authors = c
                .authors
                .items()
                .iter()
                .filter_map(Obj::get)
                .filter_map(|a| common::non_empty(contact(a)))
                .collect();
        }
        if let Some(a) = common::named_party(PartyKind::Unknown, c.author.get()) {
            comp.authors.push(a);
        }
        comp.publisher = common::named_party(PartyKind::Unknown, c.publisher.get()).map(Box::new);
        if !matches!(c.hashes, List::Missing) {
            self.check_list(&c.hashes, "/hashes");
            comp.hashes = c
                .hashes
                .items()
                .iter()
                .filter_map(Obj::get)
                .filter_map(|h| common::hash(h.alg.get().unwrap_or(""), h.content.get()?))
                .collect();
        }
        if !matches!(c.licenses, List::Missing) {
            self.check_list(&c.licenses, "/licenses");
            let mut parts = c
                .licenses
                .items()
                .iter()
                .filter_map(Obj::get)
                .filter_map(|l| {
                    let lic = l.license.get();
                    l.expression
                        .get()
                        .or_else(|| lic.and_then(|x| x.id.get()))
                        .or_else(|| lic.and_then(|x| x.name.get()))
                });
            comp.licenses = match (parts.next(), parts.next()) {
                (Some(one), None) => common::text(Some(one)),
                (None, _) => None,
                (Some(a), Some(b)) => {
                    let mut all = vec![a, b];
                    all.extend(parts);
                    common::join_licenses(all)
                }
            };
        }
        if !matches!(c.external_references, List::Missing) {
            self.check_list(&c.external_references, "/externalReferences");
            comp.external_refs = c
                .external_references
                .items()
                .iter()
                .filter_map(Obj::get)
                .filter_map(|e| {
                    Some(ExternalRef {
                        kind: ExternalRefKind::parse(e.kind.get().unwrap_or("")),
                        url: common::text(e.url.get())?,
                    })
                })
                .collect();
        }
        let mut country = None;
        if !matches!(c.properties, List::Missing) {
            country = c
                .properties
                .items()
                .iter()
                .filter_map(Obj::get)
                .filter(|p| p.name.get().is_some_and(common::is_country_property))
                .find_map(|p| common::text(p.value.get()));
        }
        common::fill_country(&mut comp, country);
        let id = self.b.add_component(comp);
        if let Some(parent) = parent {
            self.nested.push((parent, id));
        }
        if !matches!(c.components, List::Missing) {
            let base = self.path.len();
            self.path.push_str("/components");
            self.components(&c.components, Some(id));
            self.path.truncate(base);
        }
        id
    }
}

/// The document supplier stands in for the root component's supplier when the latter is absent.
fn self_supplier(m: &Metadata<'_>) -> Option<Party> {
    m.supplier.get().and_then(|o| common::non_empty(org(o)))
}

fn push_index(path: &mut String, i: usize) {
    use std::fmt::Write;
    let _ = write!(path, "/{i}");
}

fn tool(t: &Tool<'_>) -> Option<String> {
    let vendor = t
        .vendor
        .get()
        .or_else(|| t.manufacturer.get().and_then(|o| o.name.get()))
        .or_else(|| t.supplier.get().and_then(|o| o.name.get()))
        .or_else(|| t.provider.get().and_then(|o| o.name.get()))
        .or_else(|| t.group.get())
        .or_else(|| t.author.get());
    common::tool_string(vendor, t.name.get(), t.version.get())
}

fn org(o: &Org<'_>) -> Party {
    let contact = o.contact.items().iter().filter_map(Obj::get);
    let email = contact.clone().find_map(|c| common::text(c.email.get()));
    Party {
        kind: PartyKind::Organization,
        name: common::text(o.name.get()),
        email,
        urls: o
            .url
            .strings()
            .into_iter()
            .filter_map(|u| common::text(Some(u)))
            .collect(),
        country: o.address.get().and_then(|a| common::text(a.country.get())),
    }
}

fn contact(c: &Contact<'_>) -> Party {
    Party {
        kind: PartyKind::Person,
        name: common::text(c.name.get()),
        email: common::text(c.email.get()),
        ..Party::default()
    }
}
