//! SPDX: 2.2/2.3 in JSON, YAML, XML, tag-value and RDF/XML; 3.0 in JSON-LD.

pub mod relationships;
pub mod v3;

use super::IngestError;
use crate::model::Sbom;

pub fn parse_json(path: &str, _text: &str) -> Result<Sbom, IngestError> {
    Err(IngestError::unsupported(
        path,
        "SPDX JSON: not yet implemented",
    ))
}
pub fn parse_yaml(path: &str, _text: &str) -> Result<Sbom, IngestError> {
    Err(IngestError::unsupported(
        path,
        "SPDX YAML: not yet implemented",
    ))
}
pub fn parse_xml(path: &str, _text: &str) -> Result<Sbom, IngestError> {
    Err(IngestError::unsupported(
        path,
        "SPDX XML: not yet implemented",
    ))
}
pub fn parse_tag_value(path: &str, _text: &str) -> Result<Sbom, IngestError> {
    Err(IngestError::unsupported(
        path,
        "SPDX tag-value: not yet implemented",
    ))
}
pub fn parse_rdf(path: &str, _text: &str) -> Result<Sbom, IngestError> {
    Err(IngestError::unsupported(
        path,
        "SPDX RDF: not yet implemented",
    ))
}
pub fn parse_v3_json_ld(path: &str, _text: &str) -> Result<Sbom, IngestError> {
    Err(IngestError::unsupported(
        path,
        "SPDX 3 JSON-LD: not yet implemented",
    ))
}
