//! CycloneDX 1.0 to 1.7: JSON (1.2+) through a borrowed, lenient serde model that streams
//! components into the builder, XML through a streaming quick-xml reader without DTDs.
//!
//! Files: `json.rs` (the JSON reader), `lenient.rs` (serde types that turn wrong-typed values
//! into warnings), `xml.rs` (the XML reader), `common.rs` (what both share: spec versions,
//! types, licences, tools, the hand-over to the builder), `tests.rs`.

mod common;
mod json;
mod lenient;
mod xml;

#[cfg(test)]
mod tests;

use super::IngestError;
use crate::model::Sbom;

/// Parses a CycloneDX JSON document. `path` is only used in messages.
pub fn parse_json(path: &str, text: &str) -> Result<Sbom, IngestError> {
    json::parse(path, text)
}

/// Parses a CycloneDX XML document. DTDs are refused (no entity expansion, no external
/// entities). `path` is only used in messages.
pub fn parse_xml(path: &str, text: &str) -> Result<Sbom, IngestError> {
    xml::parse(path, text)
}
