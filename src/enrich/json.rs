//! CycloneDX JSON in, CycloneDX JSON out: the original document edited in place.
//!
//! The document is read into [`Val`], a JSON tree that keeps object keys in their order and
//! repeated keys as they are (serde_json's `Value` sorts keys unless the crate-wide
//! `preserve_order` feature is on, which would reorder every other JSON this tool prints).
//! Unknown and extension fields survive; numbers keep their value (serde_json's reading:
//! `1.50` is written `1.5`). Nesting is bounded by serde_json's recursion limit (128).

use super::{
    has_address, has_properties, has_supplier, spec_of, tools_as_object, EnrichError, Enriched,
    Note, Options, Stats, Supplier, PROPERTY_PREFIX,
};
use crate::attribution::Attribution;
use crate::data::Registry;
use crate::model::{Location, Sbom};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::value::RawValue;
use std::fmt;

/// A JSON value whose objects keep their key order.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Val {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    Arr(Vec<Val>),
    Obj(Vec<(String, Val)>),
    /// A top-level array written from the document's text (index into `JsonDoc::arrays`);
    /// never serialised as a value.
    Raw(usize),
}

impl Val {
    pub(super) fn str(s: impl Into<String>) -> Val {
        Val::Str(s.into())
    }

    pub(super) fn obj(pairs: Vec<(&str, Val)>) -> Val {
        Val::Obj(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// The first value of key `k` of an object.
    pub(super) fn get(&self, k: &str) -> Option<&Val> {
        match self {
            Val::Obj(m) => m.iter().find(|(key, _)| key == k).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(super) fn get_mut(&mut self, k: &str) -> Option<&mut Val> {
        match self {
            Val::Obj(m) => m.iter_mut().find(|(key, _)| key == k).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Sets key `k` of an object: replaces the first occurrence, or appends.
    pub(super) fn set(&mut self, k: &str, v: Val) {
        if let Val::Obj(m) = self {
            match m.iter_mut().find(|(key, _)| key == k) {
                Some((_, old)) => *old = v,
                None => m.push((k.to_string(), v)),
            }
        }
    }

    /// The value at an RFC 6901 JSON pointer.
    fn pointer_mut(&mut self, pointer: &str) -> Option<&mut Val> {
        let mut cur = self;
        for token in tokens(pointer)? {
            cur = match cur {
                Val::Obj(_) => cur.get_mut(&token)?,
                Val::Arr(list) => {
                    let i: usize = token.parse().ok()?;
                    list.get_mut(i)?
                }
                _ => return None,
            };
        }
        Some(cur)
    }
}

impl<'de> Deserialize<'de> for Val {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Val, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Val;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Val, E> {
                Ok(Val::Null)
            }
            fn visit_none<E>(self) -> Result<Val, E> {
                Ok(Val::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Val, E> {
                Ok(Val::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Val, E> {
                Ok(Val::Num(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Val, E> {
                Ok(Val::Num(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Val, E> {
                serde_json::Number::from_f64(v)
                    .map(Val::Num)
                    .ok_or_else(|| E::custom("a number JSON cannot hold"))
            }
            fn visit_str<E>(self, v: &str) -> Result<Val, E> {
                Ok(Val::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Val, E> {
                Ok(Val::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Val, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(Val::Arr(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Val, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Val>()? {
                    out.push((k, v));
                }
                Ok(Val::Obj(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Val {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Null => s.serialize_unit(),
            Val::Bool(b) => s.serialize_bool(*b),
            Val::Num(n) => n.serialize(s),
            Val::Str(v) => s.serialize_str(v),
            Val::Arr(list) => {
                let mut seq = s.serialize_seq(Some(list.len()))?;
                for v in list {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Val::Obj(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Val::Raw(_) => Err(serde::ser::Error::custom(
                "a streamed array is written by JsonDoc::write_to",
            )),
        }
    }
}

/// A top-level array of the document, re-read and written one element at a time.
#[derive(Debug, Clone)]
struct Streamed<'a> {
    elements: Vec<&'a RawValue>,
}

/// A note for an element of a streamed array.
#[derive(Debug, Clone)]
struct Pending {
    /// The streamed array and the element.
    array: u32,
    element: u32,
    /// The attribution whose note goes there (found valid in the first pass).
    note: u32,
    /// The JSON pointer inside the element (`""`: the element itself, which allocates
    /// nothing).
    inner: Box<str>,
}

/// The document to write: its top level as a small tree (`Val::Raw(j)` where a top-level array
/// is copied element by element from the text), the arrays, and the notes of their elements.
/// Writing parses, annotates and writes one element at a time, so memory holds one element's
/// tree, not the document's (10.5 GB at a million components before).
#[derive(Debug, Clone)]
pub(super) struct JsonDoc<'a> {
    top: Val,
    arrays: Vec<Streamed<'a>>,
    pending: Vec<Pending>,
    attributions: &'a [Attribution<'a>],
    reg: &'a Registry,
    spec: (u32, u32),
    opts: Options,
}

/// The top level of a JSON object: keys in order (repeats kept) and raw values.
struct TopLevel<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for TopLevel<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TopLevel<'de>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TopLevel<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(TopLevel(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A document read for streaming.
struct Read<'a> {
    /// The top level, `Val::Raw(j)` for each top-level array.
    top: Val,
    arrays: Vec<Streamed<'a>>,
    /// The first array of each key (the one a JSON pointer reaches).
    first_array: Vec<(String, usize)>,
    /// Content follows the document.
    trailing: bool,
}

/// How deep a document's values may nest: serde_json's limit for each element the writer
/// parses is 128 levels below the element, which sits two levels down. Reading skips what it
/// does not need without a depth limit, so a document read whole may still hold a value the
/// writer cannot parse; [`crate::ingest::nesting_over`] finds it before anything is written.
const MAX_DEPTH: usize = 128;

/// Reads an object's top level: arrays stay in the text, the rest becomes a (small) tree.
fn read(text: &str) -> Result<Read<'_>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let TopLevel(entries) = TopLevel::deserialize(&mut de)?;
    let trailing = de.end().is_err();
    let mut arrays = Vec::new();
    let mut top = Vec::with_capacity(entries.len());
    let mut first_array: Vec<(String, usize)> = Vec::new();
    for (k, raw) in entries {
        if raw.get().trim_start().starts_with('[') {
            let elements: Vec<&RawValue> = serde_json::from_str(raw.get())?;
            if !first_array.iter().any(|(key, _)| *key == k) {
                first_array.push((k.clone(), arrays.len()));
            }
            top.push((k, Val::Raw(arrays.len())));
            arrays.push(Streamed { elements });
        } else {
            top.push((k, serde_json::from_str(raw.get())?));
        }
    }
    Ok(Read {
        top: Val::Obj(top),
        arrays,
        first_array,
        trailing,
    })
}

/// The tokens of an RFC 6901 JSON pointer.
fn tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    Some(
        pointer
            .strip_prefix('/')?
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// A JSON pointer from tokens.
fn pointer_of(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// Whether the object found for a note is the note's component: a reference the document
/// wrote must be the one found there.
fn is_the_component(obj: &Val, bom_ref: &str) -> bool {
    bom_ref.starts_with(PROPERTY_PREFIX)
        || obj.get("bom-ref").and_then(Val::as_str).map(str::trim) == Some(bom_ref)
}

pub(super) fn enrich<'a>(
    sbom: &Sbom,
    text: &'a str,
    attributions: &'a [Attribution<'a>],
    reg: &'a Registry,
    opts: &Options,
) -> Result<Enriched<'a>, EnrichError> {
    let path = sbom.document.path.as_str();
    let located = |e: serde_json::Error| {
        EnrichError::input(
            path,
            format!(
                "line {}, column {}: not JSON the editor can read: {e}",
                e.line(),
                e.column()
            ),
        )
    };
    if !text.trim_start().starts_with('{') {
        return Err(EnrichError::input(
            path,
            "the document is not a JSON object",
        ));
    }
    if let Some(at) = crate::ingest::nesting_over(text, MAX_DEPTH, true) {
        let (line, col) = crate::ingest::line_col(text, at);
        return Err(EnrichError::input(
            path,
            format!(
                "line {line}, column {col}: values nest deeper than {MAX_DEPTH} levels; enrich rewrites every value and cannot write this one back"
            ),
        ));
    }
    let Read {
        mut top,
        arrays,
        first_array,
        trailing,
    } = read(text).map_err(located)?;
    let spec_text = top
        .get("specVersion")
        .and_then(Val::as_str)
        .unwrap_or("")
        .to_string();
    let spec = spec_of(&spec_text);
    let mut stats = Stats {
        output: "cyclonedx-json",
        spec_version: spec_text.clone(),
        ..Stats::default()
    };
    let mut warnings = Vec::new();
    if trailing {
        warnings.push("content after the end of the JSON document was not copied".to_string());
    }
    warnings.extend(super::old_spec_warning(spec, &spec_text));
    let mut lost = 0usize;
    // Notes on the top-level tree are applied now; notes inside an array wait for its writing.
    let mut waiting: Vec<Pending> = Vec::new();
    for (n, a) in attributions.iter().enumerate() {
        let c = sbom.component(a.component);
        let Some(Location::JsonPointer(p)) = &c.location else {
            stats.not_in_document += 1;
            continue;
        };
        let toks = tokens(p).unwrap_or_default();
        let in_array = toks.first().and_then(|k| {
            let (_, j) = first_array.iter().find(|(key, _)| key == k)?;
            let i: u32 = toks.get(1)?.parse().ok()?;
            Some((u32::try_from(*j).ok()?, i, u32::try_from(n).ok()?))
        });
        match in_array {
            Some((array, element, note)) => waiting.push(Pending {
                array,
                element,
                note,
                inner: pointer_of(&toks[2..]).into_boxed_str(),
            }),
            None => match top.pointer_mut(p) {
                Some(obj @ Val::Obj(_)) if is_the_component(obj, &c.bom_ref) => {
                    annotate(obj, &Note::of(a, reg), spec, opts, &mut stats);
                }
                _ => lost += 1,
            },
        }
    }
    // First pass over the elements that have notes: each is checked and counted as it will be
    // written, then dropped; the notes that fit stay, in array order, for the writing.
    waiting.sort_by_key(|p| (p.array, p.element));
    let mut element: Option<((u32, u32), Option<Val>)> = None;
    waiting.retain(|p| {
        let key = (p.array, p.element);
        if element.as_ref().is_none_or(|(k, _)| *k != key) {
            let v = arrays
                .get(p.array as usize)
                .and_then(|a: &Streamed<'_>| a.elements.get(p.element as usize))
                .and_then(|raw| serde_json::from_str(raw.get()).ok());
            element = Some((key, v));
        }
        let a = &attributions[p.note as usize];
        match element
            .as_mut()
            .and_then(|(_, v)| v.as_mut())
            .and_then(|v| v.pointer_mut(&p.inner))
        {
            Some(obj @ Val::Obj(_)) if is_the_component(obj, a.bom_ref()) => {
                annotate(obj, &Note::of(a, reg), spec, opts, &mut stats);
                true
            }
            _ => {
                lost += 1;
                false
            }
        }
    });
    let pending = waiting;
    if lost > 0 {
        warnings.push(format!(
            "{lost} component(s) not found at their JSON pointer; left as they were"
        ));
    }
    stamp_metadata(&mut top, spec, &opts.tool_version);
    Ok(Enriched {
        body: super::Body::Json(JsonDoc {
            top,
            arrays,
            pending,
            attributions,
            reg,
            spec,
            opts: opts.clone(),
        }),
        stats,
        warnings,
    })
}

impl JsonDoc<'_> {
    /// Writes the document as pretty JSON with a final newline: the same text as serialising
    /// the whole tree, one array element in memory at a time.
    ///
    /// Through a buffer of its own type: serde_json writes in pieces of a few bytes (a quote, a
    /// colon, an indentation), and each would otherwise be a call through `dyn Write`.
    pub(super) fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        self.write_buffered(&mut out)?;
        std::io::Write::flush(&mut out)
    }

    fn write_buffered<W: std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        let Val::Obj(entries) = &self.top else {
            crate::jsonfmt::write_pretty(&mut *out, 0, &self.top)?;
            return out.write_all(b"\n");
        };
        if entries.is_empty() {
            return out.write_all(b"{}\n");
        }
        out.write_all(b"{")?;
        let mut cursor = 0;
        for (n, (k, v)) in entries.iter().enumerate() {
            out.write_all(if n == 0 { b"\n  " } else { b",\n  " })?;
            serde_json::to_writer(&mut *out, k)?;
            out.write_all(b": ")?;
            match v {
                Val::Raw(j) => self.write_array(out, *j, &mut cursor)?,
                v => crate::jsonfmt::write_pretty(&mut *out, 1, v)?,
            }
        }
        out.write_all(b"\n}\n")
    }

    /// One top-level array at depth 1; `cursor` walks the pending notes (in array order).
    fn write_array<W: std::io::Write>(
        &self,
        out: &mut W,
        j: usize,
        cursor: &mut usize,
    ) -> std::io::Result<()> {
        let Some(a) = self.arrays.get(j) else {
            return out.write_all(b"[]");
        };
        if a.elements.is_empty() {
            return out.write_all(b"[]");
        }
        // Notes of an earlier array with the same key never apply here.
        while self
            .pending
            .get(*cursor)
            .is_some_and(|p| (p.array as usize) < j)
        {
            *cursor += 1;
        }
        out.write_all(b"[")?;
        let mut scratch = Stats::default();
        for (i, raw) in a.elements.iter().enumerate() {
            out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            let mut v: Val = serde_json::from_str(raw.get())?;
            while let Some(p) = self
                .pending
                .get(*cursor)
                .filter(|p| p.array as usize == j && p.element as usize == i)
            {
                if let Some(obj @ Val::Obj(_)) = v.pointer_mut(&p.inner) {
                    annotate(
                        obj,
                        &Note::of(&self.attributions[p.note as usize], self.reg),
                        self.spec,
                        &self.opts,
                        &mut scratch,
                    );
                }
                *cursor += 1;
            }
            crate::jsonfmt::write_pretty(&mut *out, 2, &v)?;
        }
        out.write_all(b"\n  ]")
    }
}

/// Adds the supplier (where none) and the properties to one component object.
fn annotate(obj: &mut Val, note: &Note, spec: (u32, u32), opts: &Options, stats: &mut Stats) {
    if obj.get("supplier").is_some() {
        if note.supplier.is_some() {
            stats.suppliers_kept += 1;
        }
    } else if let (Some(s), true) = (note.supplier_for(opts), has_supplier(spec)) {
        insert_before(
            obj,
            "supplier",
            supplier_json(s, has_address(spec)),
            &[
                "manufacturer",
                "authors",
                "author",
                "publisher",
                "group",
                "name",
            ],
        );
        stats.suppliers_added += 1;
    } else if note.supplier.is_some() {
        stats.suppliers_skipped += 1;
    }
    if has_properties(spec) {
        set_properties(obj, &note.properties);
    }
    stats.annotated += 1;
}

/// The CycloneDX organizationalEntity for a supplier.
pub(super) fn supplier_json(s: &Supplier, address: bool) -> Val {
    let mut pairs = vec![("name", Val::str(&s.name))];
    if let (true, Some(c)) = (address, &s.country) {
        pairs.push(("address", Val::obj(vec![("country", Val::str(c))])));
    }
    if let Some(u) = &s.url {
        pairs.push(("url", Val::Arr(vec![Val::str(u)])));
    }
    Val::obj(pairs)
}

/// Inserts `key` before the first of `before` present (JSON has no order, but readers of the
/// file do: the supplier reads best at the top, where the schema lists it).
fn insert_before(obj: &mut Val, key: &str, v: Val, before: &[&str]) {
    if let Val::Obj(m) = obj {
        let at = m
            .iter()
            .position(|(k, _)| before.contains(&k.as_str()))
            .unwrap_or(m.len());
        m.insert(at, (key.to_string(), v));
    }
}

/// Appends the properties, first dropping sbomrisk's own from an earlier run.
pub(super) fn set_properties(obj: &mut Val, props: &[(&'static str, String)]) {
    let new = props.iter().map(|(k, v)| property(k, v));
    match obj.get_mut("properties") {
        Some(Val::Arr(list)) => {
            list.retain(|p| {
                !p.get("name")
                    .and_then(Val::as_str)
                    .is_some_and(|n| n.starts_with(PROPERTY_PREFIX))
            });
            list.extend(new);
        }
        // A `properties` that is not an array is the document's own oddity: kept untouched.
        Some(_) => {}
        None => obj.set("properties", Val::Arr(new.collect())),
    }
}

pub(super) fn property(name: &str, value: &str) -> Val {
    Val::obj(vec![("name", Val::str(name)), ("value", Val::str(value))])
}

/// The sbomrisk tool entry, `version` bumped by one (absent means 1), `serialNumber` kept.
fn stamp_metadata(doc: &mut Val, spec: (u32, u32), tool_version: &str) {
    let next = match doc.get("version") {
        Some(Val::Num(n)) => n.as_u64().map(|v| v.saturating_add(1)),
        None => Some(2),
        _ => None, // a version of the wrong type is the document's: kept
    };
    if let Some(v) = next {
        doc.set("version", Val::Num(v.into()));
    }
    if doc.get("metadata").is_none() {
        insert_after(
            doc,
            "metadata",
            Val::Obj(Vec::new()),
            &["version", "serialNumber"],
        );
    }
    let Some(meta @ Val::Obj(_)) = doc.get_mut("metadata") else {
        return;
    };
    if meta.get("tools").is_none() {
        let tools = if tools_as_object(spec) {
            Val::obj(vec![("components", Val::Arr(Vec::new()))])
        } else {
            Val::Arr(Vec::new())
        };
        insert_after(meta, "tools", tools, &["timestamp", "lifecycles"]);
    }
    match meta.get_mut("tools") {
        Some(Val::Arr(list)) => upsert_tool(list, legacy_tool(tool_version)),
        Some(t @ Val::Obj(_)) => {
            if t.get("components").is_none() {
                t.set("components", Val::Arr(Vec::new()));
            }
            if let Some(Val::Arr(list)) = t.get_mut("components") {
                upsert_tool(list, tool_component(tool_version));
            }
        }
        _ => {}
    }
}

/// Inserts `key` right after the last of `after` present, else first.
fn insert_after(obj: &mut Val, key: &str, v: Val, after: &[&str]) {
    if let Val::Obj(m) = obj {
        let at = m
            .iter()
            .rposition(|(k, _)| after.contains(&k.as_str()))
            .map_or(0, |i| i + 1);
        m.insert(at, (key.to_string(), v));
    }
}

/// Replaces an earlier sbomrisk entry, or appends.
fn upsert_tool(list: &mut Vec<Val>, entry: Val) {
    match list
        .iter_mut()
        .find(|t| t.get("name").and_then(Val::as_str) == Some("sbomrisk"))
    {
        Some(old) => *old = entry,
        None => list.push(entry),
    }
}

/// CycloneDX 1.2 to 1.4 `metadata.tools[]`.
fn legacy_tool(version: &str) -> Val {
    Val::obj(vec![
        ("vendor", Val::str("sbomrisk")),
        ("name", Val::str("sbomrisk")),
        ("version", Val::str(version)),
    ])
}

/// CycloneDX 1.5+ `metadata.tools.components[]`.
pub(super) fn tool_component(version: &str) -> Val {
    Val::obj(vec![
        ("type", Val::str("application")),
        ("name", Val::str("sbomrisk")),
        ("version", Val::str(version)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Any JSON value, with the strings that test escaping (quotes, backslashes, line breaks,
    /// control characters, non-ASCII) and nesting.
    fn value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            (-1e9f64..1e9).prop_map(serde_json::Value::from),
            "[a-z\"\\\n\t\u{1}é中]{0,8}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::from),
                prop::collection::vec(("[a-z\"\n]{0,4}", inner), 0..5)
                    .prop_map(|kv| { serde_json::Value::Object(kv.into_iter().collect()) }),
            ]
        })
    }

    proptest! {
        /// Writing a document from its text, one top-level array element at a time, gives
        /// exactly the text of the whole tree pretty-printed, whatever the input's layout.
        #[test]
        fn streamed_writing_is_the_whole_tree_pretty(
            entries in prop::collection::vec(("[a-z\"]{0,5}", value()), 0..6),
            compact in any::<bool>(),
        ) {
            let doc = serde_json::Value::Object(entries.into_iter().collect());
            let text = if compact {
                serde_json::to_string(&doc).unwrap()
            } else {
                serde_json::to_string_pretty(&doc).unwrap()
            };
            let whole: Val = serde_json::from_str(&text).unwrap();
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            let r = read(&text).unwrap();
            let reg = Registry::default();
            let d = JsonDoc {
                top: r.top,
                arrays: r.arrays,
                pending: Vec::new(),
                attributions: &[],
                reg: &reg,
                spec: (1, 6),
                opts: Options::default(),
            };
            let mut out = Vec::new();
            d.write_to(&mut out).unwrap();
            prop_assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }
}
