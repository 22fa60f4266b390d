//! SPDX 2 XML (the `<Document>` serialisation): the element tree is turned into a JSON value
//! (repeated elements become arrays, a single one stays a value and the model reads it as a list
//! of one) and deserialised into the same model as JSON. Also the safety rules every XML reader
//! of this module shares: no DTD (so no external entities, no billion laughs), bounded depth.

use super::build;
use super::model::Document;
use crate::ingest::{line_col, IngestError};
use crate::model::{Location, Sbom, Serialization};
use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Deeper element nesting than this is refused (SPDX XML needs about 6, RDF/XML about 40).
pub const MAX_DEPTH: usize = 256;

/// Counts lines incrementally for increasing byte offsets.
pub struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of `offset` (offsets must not decrease between calls).
    pub fn line_at(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        if offset > self.offset {
            let chunk = &self.text.as_bytes()[self.offset..offset];
            self.line += chunk.iter().filter(|&&b| b == b'\n').count() as u32;
            self.offset = offset;
        }
        self.line
    }
}

/// Reads the next event, refusing DTDs and turning reader errors into located syntax errors.
pub fn next_event<'a>(
    reader: &mut Reader<&'a [u8]>,
    path: &str,
    text: &str,
) -> Result<Event<'a>, IngestError> {
    let before = reader.buffer_position() as usize;
    match reader.read_event() {
        Ok(Event::DocType(_)) => {
            let (l, c) = line_col(text, before);
            Err(IngestError::unsupported(
                path,
                "the document has a DTD (<!DOCTYPE>); DTDs and entities are refused for safety",
            )
            .at(format!("line {l}, column {c}")))
        }
        Ok(e) => Ok(e),
        Err(e) => {
            let (l, c) = line_col(text, reader.error_position() as usize);
            Err(IngestError::syntax(
                path,
                Some(format!("line {l}, column {c}")),
                format!("XML: {e}"),
            ))
        }
    }
}

/// A reader over `text` with the settings this module relies on.
pub fn reader(text: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(text.as_bytes());
    r.config_mut().check_end_names = true;
    r
}

/// The text of an entity or character reference: only XML's five predefined entities and
/// numeric references exist without a DTD.
pub fn resolve_ref(r: &BytesRef<'_>, path: &str, out: &mut String) -> Result<(), IngestError> {
    if r.is_char_ref() {
        match r.resolve_char_ref() {
            Ok(Some(c)) => out.push(c),
            _ => {
                return Err(IngestError::syntax(
                    path,
                    None,
                    format!("XML: invalid character reference '&{};'", r.xml10_content()),
                ))
            }
        }
        return Ok(());
    }
    match r.xml10_content().as_ref() {
        "amp" => out.push('&'),
        "lt" => out.push('<'),
        "gt" => out.push('>'),
        "quot" => out.push('"'),
        "apos" => out.push('\''),
        other => {
            return Err(IngestError::unsupported(
                path,
                format!("XML: entity '&{other};' is not defined (DTDs and entities are refused)"),
            ))
        }
    }
    Ok(())
}

/// Local part of a qualified name (`spdx:Package` -> `Package`).
pub fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

struct Frame {
    name: String,
    map: Map<String, Value>,
    text: String,
}

fn insert(map: &mut Map<String, Value>, key: String, value: Value) {
    match map.get_mut(&key) {
        Some(Value::Array(a)) => a.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
        None => {
            map.insert(key, value);
        }
    }
}

/// Parses an SPDX XML document.
pub fn parse(path: &str, text: &str) -> Result<Sbom, IngestError> {
    let mut r = reader(text);
    let mut lines = LineCounter::new(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    let mut package_lines: Vec<u32> = Vec::new();
    let mut relationship_lines: Vec<u32> = Vec::new();
    loop {
        let before = r.buffer_position() as usize;
        let ev = next_event(&mut r, path, text)?;
        match ev {
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                let (l, c) = line_col(text, before);
                return Err(IngestError::syntax(
                    path,
                    Some(format!("line {l}, column {c}")),
                    "XML: more than one root element",
                ));
            }
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    let (l, c) = line_col(text, before);
                    return Err(IngestError::syntax(
                        path,
                        Some(format!("line {l}, column {c}")),
                        format!("XML nested deeper than {MAX_DEPTH} elements"),
                    ));
                }
                let name = local(e.name().into_inner()).to_string();
                if stack.len() == 1 {
                    match name.as_str() {
                        "packages" => package_lines.push(lines.line_at(before)),
                        "relationships" => relationship_lines.push(lines.line_at(before)),
                        _ => {}
                    }
                }
                stack.push(Frame {
                    name,
                    map: Map::new(),
                    text: String::new(),
                });
            }
            Event::Empty(e) => {
                let name = local(e.name().into_inner()).to_string();
                if stack.len() == 1 {
                    match name.as_str() {
                        "packages" => package_lines.push(lines.line_at(before)),
                        "relationships" => relationship_lines.push(lines.line_at(before)),
                        _ => {}
                    }
                }
                match stack.last_mut() {
                    Some(top) => insert(&mut top.map, name, Value::String(String::new())),
                    None => root = Some(Value::Object(Map::new())),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(rf) => {
                if let Some(top) = stack.last_mut() {
                    resolve_ref(&rf, path, &mut top.text)?;
                }
            }
            Event::End(_) => {
                let Some(f) = stack.pop() else { continue };
                let value = if f.map.is_empty() {
                    Value::String(f.text.trim().to_string())
                } else {
                    Value::Object(f.map)
                };
                match stack.last_mut() {
                    Some(parent) => insert(&mut parent.map, f.name, value),
                    None => root = Some(value),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(IngestError::syntax(
            path,
            None,
            "XML: the document ends inside an element",
        ));
    }
    let root = root.ok_or_else(|| IngestError::syntax(path, None, "XML: no root element"))?;
    if !root.is_object() {
        return Err(IngestError::not_an_sbom(
            path,
            "the XML root element has no SPDX fields",
        ));
    }
    let doc = Document::deserialize(&root)
        .map_err(|e| IngestError::syntax(path, None, format!("SPDX XML: {e}")))?;
    Ok(build::build(
        path,
        Serialization::Xml,
        &doc,
        &|i| Location::Line(package_lines.get(i).copied().unwrap_or(0)),
        &|i| format!("line {}", relationship_lines.get(i).copied().unwrap_or(0)),
        Vec::new(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::IngestErrorKind;
    use crate::model::{RelationKind, Role};

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document>
  <SPDXID>SPDXRef-DOCUMENT</SPDXID>
  <spdxVersion>SPDX-2.3</spdxVersion>
  <name>AT&amp;T box</name>
  <creationInfo>
    <created>2024-01-01T00:00:00Z</created>
    <creators>Tool: x-1</creators>
  </creationInfo>
  <documentDescribes>SPDXRef-box</documentDescribes>
  <packages>
    <SPDXID>SPDXRef-box</SPDXID>
    <name>box</name>
    <checksums>
      <algorithm>SHA1</algorithm>
      <checksumValue>ab</checksumValue>
    </checksums>
  </packages>
  <packages>
    <SPDXID>SPDXRef-lib</SPDXID>
    <name>lib&#x41;</name>
    <externalRefs>
      <referenceCategory>PACKAGE-MANAGER</referenceCategory>
      <referenceType>purl</referenceType>
      <referenceLocator>pkg:generic/lib@1</referenceLocator>
    </externalRefs>
  </packages>
  <relationships>
    <spdxElementId>SPDXRef-box</spdxElementId>
    <relationshipType>DEPENDS_ON</relationshipType>
    <relatedSpdxElement>SPDXRef-lib</relatedSpdxElement>
  </relationships>
</Document>"#;

    #[test]
    fn xml_single_elements_read_as_lists() {
        let s = parse("t.xml", DOC).unwrap();
        assert_eq!(s.document.name.as_deref(), Some("AT&T box"));
        assert_eq!(s.document.tools, vec!["x-1"]);
        assert_eq!(s.components.len(), 2);
        assert_eq!(s.components[0].role, Role::Root);
        assert_eq!(s.components[0].hashes.len(), 1);
        assert_eq!(s.components[0].location, Some(Location::Line(11)));
        assert_eq!(s.components[1].name, "libA");
        assert_eq!(s.components[1].purl.as_deref(), Some("pkg:generic/lib@1"));
        assert_eq!(s.components[1].location, Some(Location::Line(19)));
        assert_eq!(s.relations.len(), 1);
        assert_eq!(s.relations[0].kind, RelationKind::DependsOn);
    }

    #[test]
    fn xml_doctype_and_entities_are_refused() {
        let xxe = r#"<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document><spdxVersion>SPDX-2.3</spdxVersion><name>&x;</name></Document>"#;
        let e = parse("t.xml", xxe).unwrap_err();
        assert_eq!(e.kind, IngestErrorKind::Unsupported);
        assert_eq!(e.location.as_deref(), Some("line 2, column 1"));
        let e = parse("t.xml", "<Document><name>&x;</name></Document>").unwrap_err();
        assert_eq!(e.kind, IngestErrorKind::Unsupported);
        let e = crate::ingest::ingest_bytes("t.xml", xxe.as_bytes()).unwrap_err();
        assert_eq!(e.kind, IngestErrorKind::Unsupported);
    }

    #[test]
    fn xml_depth_and_syntax_errors_are_clean() {
        let deep = format!("<Document>{}</Document>", "<a>".repeat(100_000));
        let e = parse("t.xml", &deep).unwrap_err();
        assert!(e.message.contains("deeper"), "{e}");
        let e = parse("t.xml", "<Document><name>x</nome></Document>").unwrap_err();
        assert_eq!(e.kind, IngestErrorKind::Syntax);
        assert!(e.location.is_some());
        let e = parse("t.xml", "<Document><name>x</name>").unwrap_err();
        assert_eq!(e.kind, IngestErrorKind::Syntax);
    }
}
