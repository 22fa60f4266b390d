//! `sbomrisk enrich`: the SBOM written back as CycloneDX with what attribution found. Its own
//! stage, the inverse of ingest: it reads the document text ingest read (and ingest's location
//! helpers) and writes it back; reports know nothing of it.
//!
//! Three inputs, three ways, each keeping every original field:
//! - CycloneDX JSON: the original document is edited in place (an order-keeping JSON tree, see
//!   [`json`]); components are found by their JSON pointer ([`Location::JsonPointer`]).
//! - CycloneDX XML: the original text is kept byte for byte and new elements are spliced in at
//!   the places the schema orders them (see [`xml`]); the output stays XML.
//! - SPDX (any serialisation): converted from the model to CycloneDX 1.6 JSON (see [`spdx`]);
//!   what carries over is listed there.
//!
//! What is added: `supplier` (name, url and, from spec 1.6, `address.country`) where a component
//! has none, and `sbomrisk:*` properties on every component attribution reached. An existing
//! supplier is never touched. `metadata.tools` gains an entry for sbomrisk, `version` is bumped
//! by one and `serialNumber` is kept (the same BOM, a later revision).
//!
//! Architecture invariant: reads the model, the document text and the attributions; recomputes
//! nothing; refuses a document it cannot write back faithfully (read leniently, I010).

mod json;
mod spdx;
mod xml;

use crate::attribution::Attribution;
use crate::data::Registry;
use crate::model::{Format, Sbom, Serialization};
use serde::Serialize;

/// The prefix of every property sbomrisk writes. Properties with it found in the input are
/// sbomrisk's own from an earlier run: they are replaced, so enriching twice gives one set.
pub const PROPERTY_PREFIX: &str = "sbomrisk:";

/// Choices of one enrich run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Version written in the sbomrisk tool entry.
    pub tool_version: String,
    /// A supplier is written only for attributions at least this confident (the properties are
    /// written whatever the confidence).
    pub min_supplier_confidence: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tool_version: crate::VERSION.to_string(),
            min_supplier_confidence: 0.0,
        }
    }
}

/// What one run changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// `cyclonedx-json` or `cyclonedx-xml`.
    pub output: &'static str,
    /// CycloneDX spec version of the output.
    pub spec_version: String,
    /// Components of the model found in the document and annotated with properties.
    pub annotated: usize,
    /// Suppliers written where the component had none.
    pub suppliers_added: usize,
    /// Components that already had a supplier (kept as they were).
    pub suppliers_kept: usize,
    /// Components with a vendor but no supplier written (below the confidence threshold, or the
    /// spec version has no supplier).
    pub suppliers_skipped: usize,
    /// Components of the model with no place in the document (the synthetic root).
    pub not_in_document: usize,
}

/// The enriched document.
#[derive(Debug, Clone)]
pub struct Enriched<'a> {
    body: Body<'a>,
    pub stats: Stats,
    /// Things the user should know (a component that could not be found, an old spec version).
    pub warnings: Vec<String>,
}

/// The enriched document's content: text (XML, edited in place), or the JSON tree, written
/// straight to the output by [`Enriched::write_to`] (a second, whole-document string of a
/// large SBOM would cost as much as the tree).
#[derive(Debug, Clone)]
enum Body<'a> {
    Text(String),
    /// A CycloneDX JSON document, written element by element from its text.
    Json(json::JsonDoc<'a>),
    /// A tree built whole (an SPDX document converted).
    Tree(json::Val),
}

impl Enriched<'_> {
    /// Writes the document to `out`.
    pub fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match &self.body {
            Body::Text(t) => out.write_all(t.as_bytes()),
            Body::Json(doc) => doc.write_to(out),
            Body::Tree(v) => {
                crate::jsonfmt::write_pretty(&mut *out, 0, v)?;
                out.write_all(b"\n")
            }
        }
    }

    /// The document as text.
    pub fn text(&self) -> String {
        let mut out = Vec::new();
        // Writing to memory cannot fail; serialising a tree of strings, numbers and maps with
        // string keys cannot either.
        let _ = self.write_to(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// Why a document could not be enriched.
#[derive(Debug, thiserror::Error)]
pub enum EnrichError {
    /// The document text does not parse the way its model said it would.
    #[error("{path}: {message}")]
    Input { path: String, message: String },
}

impl EnrichError {
    fn input(path: &str, message: impl Into<String>) -> EnrichError {
        EnrichError::Input {
            path: path.to_string(),
            message: message.into(),
        }
    }
}

/// Enriches `text`, the decoded document `sbom` was parsed from, with `attributions` (one per
/// component, as [`crate::attribution::Attributor::attribute`] returns them).
pub fn enrich<'t>(
    sbom: &Sbom,
    text: &'t str,
    attributions: &'t [Attribution<'t>],
    reg: &'t Registry,
    opts: &Options,
) -> Result<Enriched<'t>, EnrichError> {
    // The CycloneDX writers edit the document's own text: one read leniently (content after
    // its end, I010) cannot be written back faithfully, so it is refused, not half-copied.
    let in_place = sbom.document.format == Some(Format::CycloneDx);
    if in_place
        && sbom
            .diagnostics
            .iter()
            .any(|d| d.code == crate::model::DiagnosticCode::TrailingContent)
    {
        return Err(EnrichError::input(
            &sbom.document.path,
            "content after the end of the document (I010): enrich writes the document back and cannot do so faithfully; remove what follows the document first",
        ));
    }
    if let (Some(Format::CycloneDx), Some(Serialization::Json)) =
        (sbom.document.format, sbom.document.serialization)
    {
        // Each note is made when its component is written, not held for the whole document.
        return json::enrich(sbom, text, attributions, reg, opts);
    }
    let notes: Vec<Note> = attributions.iter().map(|a| Note::of(a, reg)).collect();
    match (sbom.document.format, sbom.document.serialization) {
        (Some(Format::CycloneDx), Some(Serialization::Xml)) => {
            xml::enrich(sbom, text, &notes, opts)
        }
        _ => spdx::convert(sbom, &notes, opts),
    }
}

/// What is written for one component, from its attribution.
#[derive(Debug, Clone, PartialEq)]
struct Note {
    component: crate::model::ComponentId,
    confidence: f64,
    supplier: Option<Supplier>,
    /// `(name, value)`, names with [`PROPERTY_PREFIX`].
    properties: Vec<(&'static str, String)>,
}

/// A supplier to write: the attributed vendor.
#[derive(Debug, Clone, PartialEq)]
struct Supplier {
    name: String,
    /// `https://` + the vendor record's first domain.
    url: Option<String>,
    /// ISO 3166-1 alpha-2 of the vendor (written from spec 1.6 on).
    country: Option<String>,
}

impl Note {
    fn of(a: &Attribution<'_>, reg: &Registry) -> Note {
        let mut props: Vec<(&'static str, String)> = Vec::new();
        let supplier = a.vendor.as_ref().map(|v| {
            props.push(("sbomrisk:vendor", v.name.to_string()));
            if let Some(id) = v.id {
                props.push(("sbomrisk:vendor_id", id.to_string()));
            }
            let url =
                v.id.and_then(|id| reg.by_id(id))
                    .and_then(|idx| reg.vendor(idx).domains.first())
                    .map(|d| format!("https://{d}"));
            Supplier {
                name: v.name.to_string(),
                url,
                country: a.country.map(str::to_string),
            }
        });
        if let Some(c) = a.country {
            props.push(("sbomrisk:country", c.to_string()));
        }
        if let Some(ch) = &a.channel {
            props.push(("sbomrisk:channel", ch.name.to_string()));
            if let Some(c) = ch.country {
                props.push(("sbomrisk:channel_country", c.to_string()));
            }
        }
        props.push(("sbomrisk:confidence", format!("{:.2}", a.confidence)));
        props.push(("sbomrisk:evidence", evidence_summary(a)));
        Note {
            component: a.component,
            confidence: a.confidence,
            supplier,
            properties: props,
        }
    }

    /// The supplier to write, if the confidence allows it.
    fn supplier_for(&self, opts: &Options) -> Option<&Supplier> {
        self.supplier
            .as_ref()
            .filter(|_| self.confidence >= opts.min_supplier_confidence)
    }
}

/// One line: the winning rule and its detail, then the other rules that fired.
/// `cpe-vendor: CPE vendor 'cisco' -> ...; also: purl-namespace, domain`.
fn evidence_summary(a: &Attribution<'_>) -> String {
    let mut out = match a.winner() {
        Some(w) => format!("{}: {}", w.rule, w.detail),
        None if a.evidence.is_empty() => "no evidence".to_string(),
        None => "no vendor".to_string(),
    };
    let mut others: Vec<&str> = a
        .evidence
        .iter()
        .filter(|e| !e.won)
        .map(|e| e.rule)
        .collect();
    others.dedup();
    if !others.is_empty() {
        out.push_str("; also: ");
        out.push_str(&others.join(", "));
    }
    out
}

/// `(major, minor)` of a CycloneDX spec version; unknown or absent reads as 1.7, like ingest.
fn spec_of(s: &str) -> (u32, u32) {
    let mut it = s.trim().split('.');
    match (
        it.next().and_then(|m| m.parse().ok()),
        it.next().and_then(|m| m.parse().ok()),
    ) {
        (Some(a), Some(b)) => (a, b),
        _ => (1, 7),
    }
}

/// CycloneDX 1.2 introduced `supplier`, 1.3 `properties`, 1.5 the object form of `tools`, 1.6
/// `address` on an organisation.
fn has_supplier(spec: (u32, u32)) -> bool {
    spec >= (1, 2)
}
fn has_properties(spec: (u32, u32)) -> bool {
    spec >= (1, 3)
}
fn tools_as_object(spec: (u32, u32)) -> bool {
    spec >= (1, 5)
}
fn has_address(spec: (u32, u32)) -> bool {
    spec >= (1, 6)
}

/// What an old spec version leaves out, for a warning.
fn old_spec_warning(spec: (u32, u32), written: &str) -> Option<String> {
    if !has_supplier(spec) {
        Some(format!(
            "CycloneDX {written} has neither supplier nor properties: only the version is bumped"
        ))
    } else if !has_properties(spec) {
        Some(format!(
            "CycloneDX {written} has no properties: only suppliers are written"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
