//! SPDX: 2.2/2.3 in JSON, YAML, XML, tag-value and RDF/XML; 3.0 in JSON-LD.
//!
//! Every SPDX 2 serialisation is read into one lenient model ([`model::Document`]): JSON and YAML
//! by serde, SPDX XML by converting the element tree, tag-value and RDF/XML by hand. One
//! function ([`build::build`]) turns that model into an [`Sbom`].

mod build;
mod model;
mod rdf;
pub mod relationships;
mod tagvalue;
pub mod v3;
mod xml;

use super::IngestError;
use crate::model::{Diagnostic, DiagnosticCode, Location, Sbom, Serialization};

/// Reads an SPDX 2 JSON document. Content after the closing brace (web-page text appended to a
/// download) is ignored with an I010 warning.
pub fn parse_json(path: &str, text: &str) -> Result<Sbom, IngestError> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<model::Document>();
    let doc = match stream.next() {
        Some(Ok(doc)) => doc,
        Some(Err(e)) => return Err(IngestError::from_json(path, &e)),
        None => {
            return Err(IngestError::new(
                super::IngestErrorKind::Empty,
                path,
                "the document is empty",
            ))
        }
    };
    let end = stream.byte_offset();
    let mut sbom = build::build(
        path,
        Serialization::Json,
        &doc,
        &|i| Location::JsonPointer(format!("/packages/{i}")),
        &|i| format!("/relationships/{i}"),
        Vec::new(),
    );
    let rest = text.get(end..).unwrap_or_default();
    if !rest.trim().is_empty() {
        let (line, col) = super::line_col(text, end + (rest.len() - rest.trim_start().len()));
        sbom.diagnostics.push(
            Diagnostic::new(
                DiagnosticCode::TrailingContent,
                format!(
                    "{} bytes after the end of the JSON document were ignored",
                    rest.trim().len()
                ),
            )
            .at(format!("line {line}, column {col}")),
        );
    }
    Ok(sbom)
}

/// Reads an SPDX 2 YAML document (the same fields as JSON).
pub fn parse_yaml(path: &str, text: &str) -> Result<Sbom, IngestError> {
    let doc: model::Document = serde_norway::from_str(text).map_err(|e| {
        let loc = e
            .location()
            .map(|l| format!("line {}, column {}", l.line(), l.column()));
        let msg = e.to_string();
        let msg = match msg.find(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        IngestError::syntax(path, loc, msg)
    })?;
    Ok(build::build(
        path,
        Serialization::Yaml,
        &doc,
        &|i| Location::JsonPointer(format!("/packages/{i}")),
        &|i| format!("/relationships/{i}"),
        Vec::new(),
    ))
}

/// Reads an SPDX 2 XML document (the `<Document>` serialisation of the SPDX tools).
pub fn parse_xml(path: &str, text: &str) -> Result<Sbom, IngestError> {
    xml::parse(path, text)
}

/// Reads an SPDX 2 tag-value document.
pub fn parse_tag_value(path: &str, text: &str) -> Result<Sbom, IngestError> {
    tagvalue::parse(path, text)
}

/// Reads an SPDX 2 RDF/XML document.
pub fn parse_rdf(path: &str, text: &str) -> Result<Sbom, IngestError> {
    rdf::parse(path, text)
}

pub fn parse_v3_json_ld(path: &str, _text: &str) -> Result<Sbom, IngestError> {
    Err(IngestError::unsupported(
        path,
        "SPDX 3 JSON-LD: not yet implemented",
    ))
}
#[cfg(test)]
mod corpus_tests;
