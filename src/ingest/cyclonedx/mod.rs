//! CycloneDX 1.2 to 1.7, JSON and XML.

use super::IngestError;
use crate::model::Sbom;

pub fn parse_json(path: &str, _text: &str) -> Result<Sbom, IngestError> {
    Err(IngestError::unsupported(
        path,
        "CycloneDX JSON: not yet implemented",
    ))
}
pub fn parse_xml(path: &str, _text: &str) -> Result<Sbom, IngestError> {
    Err(IngestError::unsupported(
        path,
        "CycloneDX XML: not yet implemented",
    ))
}
