//! Reading SBOM documents: bytes in, one [`Sbom`] out.
//!
//! Steps: read the file (or stdin, `-`), gunzip transparently, repair the text encoding (UTF-16
//! and byte-order marks), detect the format from the content (never the file name), then hand
//! the text to one parser. Parsers live in `cyclonedx/` and `spdx/` and fill the model through
//! [`SbomBuilder`](crate::model::SbomBuilder).
//!
//! Architecture invariant: ingest knows the model and nothing after it (no graph, no scores).

pub mod cyclonedx;
mod detect;
pub mod discover;
mod error;
mod read;
pub mod spdx;

pub use detect::{detect, Detected};
pub use error::{line_col, IngestError, IngestErrorKind};
pub use read::{decode_text, read_input, Limits, MAX_COMPONENTS};

use crate::model::{Diagnostic, DiagnosticCode, Format, Sbom, Serialization};
use std::path::Path;

/// Reads and parses the SBOM at `path` (`-` for stdin) with default limits.
pub fn ingest_path(path: &Path) -> Result<Sbom, IngestError> {
    ingest_path_with(path, &Limits::default())
}

/// Reads and parses the SBOM at `path` with explicit limits.
pub fn ingest_path_with(path: &Path, limits: &Limits) -> Result<Sbom, IngestError> {
    let shown = path.display().to_string();
    let bytes = read_input(path, limits)?;
    let sbom = ingest_bytes(&shown, &bytes)?;
    // A small file can list a great many components (a 3 MB file of a million `{}`); what is
    // built from each one (attributions, report rows) is bounded by capping their number.
    if sbom.components.len() as u64 > limits.max_components {
        return Err(IngestError::new(
            IngestErrorKind::TooLarge,
            &shown,
            format!(
                "{} components, more than the limit of {} (--max-components)",
                sbom.components.len(),
                limits.max_components
            ),
        ));
    }
    refuse_blank(&shown, &sbom)?;
    Ok(sbom)
}

/// The byte offset where `text`'s brackets (`[`, `{`) first nest deeper than `limit`, if they
/// do. With `json_strings`, brackets inside JSON strings do not count; without, every bracket
/// counts (an over-estimate, for formats whose quoting differs, such as YAML).
pub fn nesting_over(text: &str, limit: usize, json_strings: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if json_strings => {
                // Skip the string: to the next quote not escaped.
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Blank components (no name, purl or CPE) beyond which a document is refused, when they are
/// also most of it.
pub const MAX_BLANK_COMPONENTS: usize = 10_000;

/// Refuses a document made mostly of blank components (no name, no purl, no CPE): nothing in
/// them can be attributed or scored, and each would still cost a report row, so a 3 MB file of
/// a million `{}` would make a report of half a gigabyte. No real SBOM of the corpus has one.
fn refuse_blank(shown: &str, sbom: &Sbom) -> Result<(), IngestError> {
    let is_blank = |c: &&crate::model::Component| {
        c.name.trim().is_empty() && c.purl.is_none() && c.cpes.is_empty()
    };
    let blank = sbom.components.iter().filter(is_blank).count();
    if blank > MAX_BLANK_COMPONENTS && blank * 2 > sbom.components.len() {
        let first = sbom
            .components
            .iter()
            .find(is_blank)
            .and_then(|c| c.location.as_ref())
            .map(|l| format!(" (the first at {l})"))
            .unwrap_or_default();
        return Err(IngestError::new(
            IngestErrorKind::TooLarge,
            shown,
            format!(
                "{blank} of its {} components have no name, purl or CPE{first}: nothing in them can be attributed, and more than {MAX_BLANK_COMPONENTS} such are refused",
                sbom.components.len()
            ),
        ));
    }
    Ok(())
}

/// Parses an SBOM held in memory. `path` is only used in messages.
pub fn ingest_bytes(path: &str, bytes: &[u8]) -> Result<Sbom, IngestError> {
    let (text, mut notes) = decode_text(path, bytes)?;
    let detected = detect(path, &text)?;
    let mut sbom = parse_detected(path, &text, detected)?;
    if !notes.is_empty() {
        notes.append(&mut sbom.diagnostics);
        sbom.diagnostics = notes;
    }
    Ok(sbom)
}

/// Parses text already decoded, with a known format.
pub fn parse_detected(path: &str, text: &str, detected: Detected) -> Result<Sbom, IngestError> {
    if matches!(
        detected.serialization,
        Serialization::Xml | Serialization::Rdf
    ) {
        check_xml_chars(path, text)?;
    }
    match (detected.format, detected.serialization) {
        (Format::CycloneDx, Serialization::Json) => cyclonedx::parse_json(path, text),
        (Format::CycloneDx, Serialization::Xml) => cyclonedx::parse_xml(path, text),
        (Format::Spdx, Serialization::Json) => spdx::parse_json(path, text),
        (Format::Spdx, Serialization::Yaml) => spdx::parse_yaml(path, text),
        (Format::Spdx, Serialization::TagValue) => spdx::parse_tag_value(path, text),
        (Format::Spdx, Serialization::Rdf) => spdx::parse_rdf(path, text),
        (Format::Spdx, Serialization::Xml) => spdx::parse_xml(path, text),
        (Format::Spdx, Serialization::JsonLd) => spdx::parse_v3_json_ld(path, text),
        (format, ser) => Err(IngestError::unsupported(
            path,
            format!("{format} in {ser} is not a serialisation this tool reads"),
        )),
    }
}

/// Refuses a character XML 1.0 does not allow anywhere in a document (C0 controls other than
/// tab, line feed and carriage return; U+FFFE, U+FFFF): such a document is not well-formed,
/// and reading it leniently would let `enrich` write back XML that is not either.
fn check_xml_chars(path: &str, text: &str) -> Result<(), IngestError> {
    let bad = text
        .bytes()
        .position(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'));
    let bad = bad.or_else(|| text.find(['\u{fffe}', '\u{ffff}']));
    match bad {
        None => Ok(()),
        Some(at) => {
            let (l, c) = error::line_col(text, at);
            let ch = text[at..].chars().next().map_or(0, u32::from);
            Err(IngestError::syntax(
                path,
                Some(format!("line {l}, column {c}")),
                format!("U+{ch:04X} is not allowed in XML; not a well-formed document"),
            ))
        }
    }
}

/// A diagnostic for content that was repaired while decoding; used by `read`.
pub(crate) fn encoding_note(message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(DiagnosticCode::EncodingRepaired, message)
}
