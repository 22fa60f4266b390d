//! Format detection from content. File names lie in real corpora (SPDX saved as `.cdx.json`,
//! tag-value saved as `.json`), so only the bytes decide.

use super::IngestError;
use crate::model::{Format, Serialization};

/// A detected format and serialisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub format: Format,
    pub serialization: Serialization,
}

/// How far into the document markers are looked for before the whole text is searched. Real
/// documents put `bomFormat` / `spdxVersion` near the top; the fallback covers the rest.
const WINDOW: usize = 64 * 1024;

/// Detects the format of decoded text.
pub fn detect(path: &str, text: &str) -> Result<Detected, IngestError> {
    let trimmed = text.trim_start();
    let first = trimmed.as_bytes().first().copied().unwrap_or(b' ');
    let det = |format, serialization| {
        Ok(Detected {
            format,
            serialization,
        })
    };
    match first {
        b'{' => {
            // Markers are looked for in the first 64 KiB; the whole text is searched only when
            // none is there (a 60 MB CycloneDX file is never scanned for SPDX markers).
            let head = &text[..floor_char_boundary(text, WINDOW)];
            let found = |hay: &str| {
                let cdx = hay.find("\"bomFormat\"");
                let spdx = hay
                    .find("\"spdxVersion\"")
                    .or_else(|| hay.find("\"SPDXID\""));
                let ld = hay.find("\"@context\"").is_some()
                    && (hay.contains("spdx.org/rdf/3") || hay.contains("\"spdxId\""));
                (cdx, spdx, ld)
            };
            let mut markers = found(head);
            if markers == (None, None, false) && head.len() < text.len() {
                markers = found(text);
            }
            match markers {
                (_, _, true) => det(Format::Spdx, Serialization::JsonLd),
                // Whichever marker comes first wins: an SPDX document may quote CycloneDX in a
                // comment and vice versa.
                (Some(c), Some(s), _) if s < c => det(Format::Spdx, Serialization::Json),
                (Some(_), _, _) => det(Format::CycloneDx, Serialization::Json),
                (None, Some(_), _) => det(Format::Spdx, Serialization::Json),
                (None, None, _) if head.contains("cyclonedx.org/schema") || head.contains("\"components\"") => {
                    det(Format::CycloneDx, Serialization::Json)
                }
                (None, None, _) => Err(IngestError::not_an_sbom(
                    path,
                    "a JSON object without `bomFormat` (CycloneDX) or `spdxVersion` (SPDX): not an SBOM",
                )),
            }
        }
        b'[' => Err(IngestError::not_an_sbom(
            path,
            "a JSON array, not an SBOM document (CycloneDX and SPDX documents are JSON objects)",
        )),
        b'<' => {
            if find(text, "cyclonedx.org/schema/bom") {
                det(Format::CycloneDx, Serialization::Xml)
            } else if find(text, "rdf:RDF") || find(text, "spdx.org/rdf/terms") {
                det(Format::Spdx, Serialization::Rdf)
            } else if find(text, "<spdxVersion>") || find(text, "<SPDXID>") {
                det(Format::Spdx, Serialization::Xml)
            } else if find(text, "<bom") {
                // A CycloneDX root element without its namespace: read it, the parser warns.
                det(Format::CycloneDx, Serialization::Xml)
            } else {
                Err(IngestError::not_an_sbom(
                    path,
                    "an XML document that is neither CycloneDX (bom namespace) nor SPDX (RDF or SPDX XML)",
                ))
            }
        }
        _ => {
            if has_line_starting(text, "SPDXVersion:") {
                det(Format::Spdx, Serialization::TagValue)
            } else if has_line_starting(text, "spdxVersion:")
                || has_line_starting(text, "SPDXID:")
                || has_line_starting(text, "\"spdxVersion\":")
            {
                det(Format::Spdx, Serialization::Yaml)
            } else if looks_binary(trimmed) {
                Err(IngestError::not_an_sbom(
                    path,
                    "binary data, not an SBOM document",
                ))
            } else {
                Err(IngestError::not_an_sbom(
                    path,
                    "not a recognised SBOM: expected CycloneDX (JSON/XML) or SPDX (JSON, YAML, tag-value, RDF/XML, JSON-LD)",
                ))
            }
        }
    }
}

fn position(text: &str, needle: &str) -> Option<usize> {
    let window = floor_char_boundary(text, WINDOW);
    text[..window]
        .find(needle)
        .or_else(|| text[window..].find(needle).map(|p| p + window))
}

fn find(text: &str, needle: &str) -> bool {
    position(text, needle).is_some()
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn has_line_starting(text: &str, prefix: &str) -> bool {
    text.lines()
        .take(10_000)
        .any(|l| l.trim_start().starts_with(prefix))
}

fn looks_binary(text: &str) -> bool {
    let head: String = text.chars().take(512).collect();
    let odd = head
        .chars()
        .filter(|c| *c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()))
        .count();
    odd * 10 > head.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::IngestErrorKind;

    fn d(text: &str) -> Result<(Format, Serialization), IngestErrorKind> {
        detect("t", text)
            .map(|d| (d.format, d.serialization))
            .map_err(|e| e.kind)
    }

    #[test]
    fn detects_every_serialisation() {
        assert_eq!(
            d(r#"{"bomFormat":"CycloneDX"}"#),
            Ok((Format::CycloneDx, Serialization::Json))
        );
        assert_eq!(
            d(r#"{"spdxVersion":"SPDX-2.3"}"#),
            Ok((Format::Spdx, Serialization::Json))
        );
        assert_eq!(
            d(r#"{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[]}"#),
            Ok((Format::Spdx, Serialization::JsonLd))
        );
        assert_eq!(
            d(r#"<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>"#),
            Ok((Format::CycloneDx, Serialization::Xml))
        );
        assert_eq!(
            d("<rdf:RDF xmlns:spdx=\"http://spdx.org/rdf/terms#\"/>"),
            Ok((Format::Spdx, Serialization::Rdf))
        );
        assert_eq!(
            d("<Document><spdxVersion>SPDX-2.2</spdxVersion></Document>"),
            Ok((Format::Spdx, Serialization::Xml))
        );
        assert_eq!(
            d("SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n"),
            Ok((Format::Spdx, Serialization::TagValue))
        );
        assert_eq!(
            d("---\nSPDXID: \"SPDXRef-DOCUMENT\"\nspdxVersion: \"SPDX-2.2\"\n"),
            Ok((Format::Spdx, Serialization::Yaml))
        );
    }

    #[test]
    fn content_wins_over_labels() {
        // SPDX that mentions CycloneDX later in a comment is still SPDX.
        let text =
            r#"{"spdxVersion":"SPDX-2.3","comment":"converted from \"bomFormat\" CycloneDX"}"#;
        assert_eq!(d(text), Ok((Format::Spdx, Serialization::Json)));
    }

    #[test]
    fn non_sboms_are_refused() {
        assert_eq!(d("[1,2,3]"), Err(IngestErrorKind::NotAnSbom));
        assert_eq!(d(r#"{"name":"left-pad"}"#), Err(IngestErrorKind::NotAnSbom));
        assert_eq!(d("<html><body/></html>"), Err(IngestErrorKind::NotAnSbom));
        assert_eq!(d("hello world"), Err(IngestErrorKind::NotAnSbom));
        assert_eq!(
            d("\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}"),
            Err(IngestErrorKind::NotAnSbom)
        );
    }
}
