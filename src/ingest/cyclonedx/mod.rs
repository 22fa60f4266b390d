//! CycloneDX 1.0 to 1.7: JSON (1.2+) through a borrowed serde model, XML through a streaming
//! quick-xml reader. Both fill the model the same way (see `common`).

mod common;
mod json;
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
