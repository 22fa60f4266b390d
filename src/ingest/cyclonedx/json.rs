//! CycloneDX JSON (1.2 to 1.7) through a lenient, borrowed serde model.
//!
//! Only the fields the model reads are typed; everything else is skipped by serde without being
//! built. Every field is optional, and a field of the wrong type is skipped with an I013 warning
//! naming its JSON path instead of failing the document. Strings borrow from the input unless
//! they contain escapes. Nesting is bounded by serde_json's recursion limit (128), which gives a
//! clean error; skipped values are ignored iteratively, so deep junk cannot overflow the stack.

use super::common::{self, DepLocation, Dependency, Read};
use crate::ingest::{line_col, IngestError, IngestErrorKind};
use crate::model::{
    Component, DiagnosticCode, ExternalRef, ExternalRefKind, Format, Location, Party, PartyKind,
    Sbom, SbomBuilder, Serialization,
};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// A scalar read as text: a string, or a number or boolean written where a string belongs
/// (`"version": 3`). Objects and arrays are skipped and remembered as `Bad`.
#[derive(Debug, Default)]
pub(super) enum LStr<'a> {
    #[default]
    Missing,
    Str(Cow<'a, str>),
    Bad(&'static str),
}

impl<'a> LStr<'a> {
    fn get(&self) -> Option<&str> {
        match self {
            LStr::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for LStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = LStr<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Owned(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(LStr::Missing)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(LStr::Missing)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LStr::Bad("an array"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(LStr::Bad("an object"))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// An object read as `T`; anything else is skipped and remembered as `Bad`.
#[derive(Debug, Default)]
pub(super) enum Obj<T> {
    #[default]
    Missing,
    Ok(T),
    Bad(&'static str),
}

impl<T> Obj<T> {
    fn get(&self) -> Option<&T> {
        match self {
            Obj::Ok(t) => Some(t),
            _ => None,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Obj::Ok)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Obj::Bad("an array"))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Obj::Bad("a string"))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Obj::Bad("a number"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Obj::Bad("a number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Obj::Bad("a number"))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Obj::Bad("a boolean"))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Obj::Missing)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// An array of `T`; anything else is skipped and remembered as `Bad`. A single string where an
/// array of strings belongs (`"url": "https://..."`) is read as a one-element list by [`LStr`]
/// callers through [`List::strings`].
#[derive(Debug, Default)]
pub(super) enum List<T> {
    #[default]
    Missing,
    Ok(Vec<T>),
    Bad(&'static str),
    /// A lone scalar where an array was expected.
    One(String),
}

impl<T> List<T> {
    fn items(&self) -> &[T] {
        match self {
            List::Ok(v) => v,
            _ => &[],
        }
    }
}

impl<'a> List<LStr<'a>> {
    /// The strings of the list (a lone string counts as a list of one).
    fn strings(&self) -> Vec<&str> {
        match self {
            List::Ok(v) => v.iter().filter_map(LStr::get).collect(),
            List::One(s) => vec![s.as_str()],
            _ => Vec::new(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(t) = seq.next_element::<T>()? {
                    v.push(t);
                }
                Ok(List::Ok(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(List::Bad("an object"))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(List::One(v.to_string()))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(List::Bad("a number"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(List::Bad("a number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(List::Bad("a number"))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(List::Bad("a boolean"))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(List::Missing)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Bom<'a> {
    #[serde(rename = "bomFormat", borrow)]
    bom_format: LStr<'a>,
    #[serde(rename = "specVersion", borrow)]
    spec_version: LStr<'a>,
    #[serde(rename = "serialNumber", borrow)]
    serial_number: LStr<'a>,
    #[serde(borrow)]
    metadata: Obj<Metadata<'a>>,
    #[serde(borrow)]
    components: List<Obj<Comp<'a>>>,
    #[serde(borrow)]
    dependencies: List<Obj<Dep<'a>>>,
}

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
    Modern(ToolsObj<'a>),
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
                ToolsObj::deserialize(de::value::MapAccessDeserializer::new(map)).map(Tools::Modern)
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
    #[serde(borrow)]
    components: List<Obj<Comp<'a>>>,
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

/// Parses CycloneDX JSON.
pub(super) fn parse(path: &str, text: &str) -> Result<Sbom, IngestError> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Obj<Bom>>();
    let bom = match stream.next() {
        Some(Ok(Obj::Ok(bom))) => bom,
        Some(Ok(Obj::Bad(found))) => {
            return Err(IngestError::not_an_sbom(
                path,
                format!("a CycloneDX document is a JSON object, found {found}"),
            )
            .at("/"))
        }
        Some(Ok(Obj::Missing)) => {
            return Err(IngestError::not_an_sbom(
                path,
                "a CycloneDX document is a JSON object, found null",
            )
            .at("/"))
        }
        Some(Err(e)) => return Err(json_error(path, &e)),
        None => {
            return Err(IngestError::new(
                IngestErrorKind::Empty,
                path,
                "empty document",
            ))
        }
    };
    let end = stream.byte_offset();
    let mut b = SbomBuilder::new(path, Format::CycloneDx, Serialization::Json);
    let rest = text.get(end..).unwrap_or("");
    if let Some(skip) = rest.find(|c: char| !c.is_whitespace()) {
        let (line, col) = line_col(text, end + skip);
        b.warn(
            DiagnosticCode::TrailingContent,
            format!(
                "{} bytes after the end of the JSON document were ignored",
                rest.len() - skip
            ),
            Some(format!("line {line}, column {col}")),
        );
    }
    read_bom(path, bom, b)
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

fn read_bom(path: &str, bom: Bom<'_>, mut b: SbomBuilder) -> Result<Sbom, IngestError> {
    match &bom.bom_format {
        LStr::Str(f) if !f.trim().eq_ignore_ascii_case("CycloneDX") => {
            return Err(IngestError::not_an_sbom(
                path,
                format!("bomFormat is '{f}', not 'CycloneDX'"),
            )
            .at("/bomFormat"))
        }
        _ => {}
    }
    for (name, bad) in [
        ("/components", list_bad(&bom.components)),
        ("/dependencies", list_bad(&bom.dependencies)),
        ("/metadata", obj_bad(&bom.metadata)),
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
    let mut r = Reader {
        b: &mut b,
        read: Vec::new(),
        path: String::with_capacity(64),
    };
    common::set_spec_version(r.b, bom.spec_version.get(), "/specVersion");
    r.check(&bom.spec_version, "/specVersion");
    {
        let doc = r.b.document_mut();
        doc.id = common::text(bom.serial_number.get());
    }
    r.check(&bom.serial_number, "/serialNumber");
    if let Some(m) = bom.metadata.get() {
        r.metadata(m);
    }
    r.path.clear();
    r.path.push_str("/components");
    r.components(&bom.components, None);
    let read = std::mem::take(&mut r.read);
    let deps = dependencies(&mut r, &bom.dependencies);
    common::build(&mut b, read, deps);
    Ok(b.finish())
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

struct Reader<'b> {
    b: &'b mut SbomBuilder,
    read: Vec<Read>,
    /// JSON pointer of the value being read; extended and truncated as the walk goes.
    path: String,
}

impl Reader<'_> {
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
            let idx = self.component(c, None);
            let manufacturer = m
                .manufacturer
                .get()
                .or(m.manufacture.get())
                .and_then(|o| common::non_empty(org(o)));
            if let Some(r) = self.read.get_mut(idx) {
                r.root = true;
                if r.component.manufacturer.is_none() {
                    r.component.manufacturer = manufacturer;
                }
                if r.component.supplier.is_none() {
                    r.component.supplier = self_supplier(m);
                }
                if r.component.country.is_none() {
                    common::fill_country(&mut r.component, None);
                }
                let name = r.component.name.trim();
                if !name.is_empty() {
                    let name = name.to_string();
                    self.b.document_mut().name = Some(name);
                }
            }
        }
    }

    /// Reads a `components` array found at `self.path`.
    fn components(&mut self, list: &List<Obj<Comp<'_>>>, parent: Option<usize>) {
        if let Some(found) = list_bad(list) {
            self.skipped("", "an array", found);
            return;
        }
        let base = self.path.len();
        for (i, c) in list.items().iter().enumerate() {
            push_index(&mut self.path, i);
            match c {
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
    fn component(&mut self, c: &Comp<'_>, parent: Option<usize>) -> usize {
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
                .map(|s| s.trim().to_string())
                .unwrap_or_default(),
            name: c
                .name
                .get()
                .map(|s| s.trim().to_string())
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
            comp.supplier = c.supplier.get().and_then(|o| common::non_empty(org(o)));
        }
        if !matches!(c.manufacturer, Obj::Missing) {
            self.check_obj(&c.manufacturer, "/manufacturer");
            comp.manufacturer = c.manufacturer.get().and_then(|o| common::non_empty(org(o)));
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
        comp.publisher = common::named_party(PartyKind::Unknown, c.publisher.get());
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
            let parts = c
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
                        .map(str::to_string)
                })
                .collect();
            comp.licenses = common::join_licenses(parts);
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
        let idx = self.read.len();
        self.read.push(Read {
            component: comp,
            parent,
            root: false,
        });
        if !matches!(c.components, List::Missing) {
            let base = self.path.len();
            self.path.push_str("/components");
            self.components(&c.components, Some(idx));
            self.path.truncate(base);
        }
        idx
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

fn dependencies<'a>(r: &mut Reader<'_>, deps: &'a List<Obj<Dep<'a>>>) -> Vec<Dependency<'a>> {
    let mut out = Vec::with_capacity(deps.items().len());
    for (i, d) in deps.items().iter().enumerate() {
        let Obj::Ok(d) = d else {
            r.path.clear();
            let _ = std::fmt::Write::write_fmt(&mut r.path, format_args!("/dependencies/{i}"));
            r.skipped("", "an object", "another value");
            continue;
        };
        let list = |l: &'a List<LStr<'a>>| -> Vec<Cow<'a, str>> {
            match l {
                List::Ok(v) => v
                    .iter()
                    .filter_map(|s| match s {
                        LStr::Str(s) => Some(Cow::Borrowed(s.as_ref())),
                        _ => None,
                    })
                    .collect(),
                List::One(s) => vec![Cow::Borrowed(s.as_str())],
                _ => Vec::new(),
            }
        };
        out.push(Dependency {
            from: match &d.from {
                LStr::Str(s) => Cow::Borrowed(s.as_ref()),
                _ => Cow::Borrowed(""),
            },
            depends_on: list(&d.depends_on),
            provides: list(&d.provides),
            location: DepLocation::Index(i),
        });
    }
    out
}

/// Deserialises without building the model (timing split in the speed test).
#[cfg(test)]
pub(super) fn deserialize_only(text: &str) -> usize {
    let bom: Bom = serde_json::from_str(text).unwrap_or_default();
    bom.components.items().len()
}
