//! SPDX 2 tag-value: `Tag: value` lines, `<text>...</text>` values that may span lines.
//!
//! A hand-written reader: it tracks line numbers, ignores tags it does not need, and turns a
//! malformed line into an I013 warning instead of failing. Relationships may come before the
//! packages they name (the FreeRTOS files put them at the end, tern at the start), so the whole
//! document is collected before anything is related.

use super::build;
use super::model::{
    Checksum, CreationInfo, Document, Element, ExternalDocumentRef, ExternalRef, Package,
    Relationship, Str,
};
use crate::ingest::IngestError;
use crate::model::{Diagnostic, DiagnosticCode, Location, Sbom, Serialization};

/// Which element the following tags describe.
enum Section {
    Document,
    Package(usize),
    File(usize),
    Other,
}

/// One logical `Tag: value` entry with the line it starts on.
struct Entry<'a> {
    line: u32,
    tag: &'a str,
    value: &'a str,
}

/// Splits the text into entries, reporting malformed lines in `notes`.
fn entries<'a>(text: &'a str, notes: &mut Vec<Diagnostic>) -> Vec<Entry<'a>> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut line_no: u32 = 0;
    while pos < text.len() {
        line_no += 1;
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end_matches('\r');
        let line_start = pos;
        pos = end + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = line.split_once(':') else {
            notes.push(malformed(line_no, trimmed));
            continue;
        };
        let tag = tag.trim();
        if tag.is_empty() || tag.contains(char::is_whitespace) {
            notes.push(malformed(line_no, trimmed));
            continue;
        }
        let value = value.trim_start();
        if let Some(after) = value.strip_prefix("<text>") {
            let vstart = line_start + (line.len() - after.len());
            match text[vstart..].find("</text>") {
                Some(close) => {
                    let vend = vstart + close;
                    out.push(Entry {
                        line: line_no,
                        tag,
                        value: &text[vstart..vend],
                    });
                    // Continue after the line holding `</text>`.
                    line_no += text[line_start..vend].matches('\n').count() as u32;
                    pos = text[vend..].find('\n').map_or(text.len(), |i| vend + i + 1);
                }
                None => {
                    notes.push(
                        Diagnostic::new(
                            DiagnosticCode::SkippedValue,
                            format!("'{tag}' opens <text> that is never closed; the rest of the file is its value"),
                        )
                        .at(format!("line {line_no}")),
                    );
                    out.push(Entry {
                        line: line_no,
                        tag,
                        value: &text[vstart..],
                    });
                    break;
                }
            }
            continue;
        }
        out.push(Entry {
            line: line_no,
            tag,
            value: value.trim_end(),
        });
    }
    out
}

fn malformed(line: u32, content: &str) -> Diagnostic {
    let shown: String = content.chars().take(80).collect();
    Diagnostic::new(
        DiagnosticCode::SkippedValue,
        format!("not a `Tag: value` line, skipped: '{shown}'"),
    )
    .at(format!("line {line}"))
}

fn s(v: &str) -> Option<Str<'_>> {
    Some(Str::from(v.trim()))
}

/// Parses a tag-value document.
pub fn parse(path: &str, text: &str) -> Result<Sbom, IngestError> {
    let mut notes = Vec::new();
    let entries = entries(text, &mut notes);
    if entries.is_empty() {
        return Err(IngestError::syntax(
            path,
            None,
            "no `Tag: value` lines: not an SPDX tag-value document",
        ));
    }
    let mut doc = Document::default();
    let mut creation = CreationInfo::default();
    let mut package_lines: Vec<u32> = Vec::new();
    let mut relationship_lines: Vec<u32> = Vec::new();
    let mut section = Section::Document;
    for e in &entries {
        let v = e.value;
        match e.tag {
            "SPDXVersion" => doc.spdx_version = s(v),
            "DocumentName" => doc.name = s(v),
            "DocumentNamespace" => doc.document_namespace = s(v),
            "Creator" => creation.creators.push(Str::from(v.trim())),
            "Created" => creation.created = s(v),
            "ExternalDocumentRef" => {
                if let Some(id) = v.split_whitespace().next() {
                    doc.external_document_refs.push(ExternalDocumentRef {
                        external_document_id: s(id),
                    });
                }
            }
            "SPDXID" => match section {
                Section::Document if doc.spdxid.is_none() => doc.spdxid = s(v),
                Section::Package(i) => {
                    if let Some(p) = doc.packages.get_mut(i) {
                        p.spdxid = s(v);
                    }
                }
                Section::File(i) => {
                    if let Some(f) = doc.files.get_mut(i) {
                        f.spdxid = s(v);
                    }
                }
                _ => {}
            },
            "PackageName" => {
                doc.packages.push(Package {
                    name: s(v),
                    ..Package::default()
                });
                package_lines.push(e.line);
                section = Section::Package(doc.packages.len() - 1);
            }
            "FileName" => {
                doc.files.push(Element::default());
                section = Section::File(doc.files.len() - 1);
            }
            "SnippetSPDXID" => {
                doc.snippets.push(Element { spdxid: s(v) });
                section = Section::Other;
            }
            "LicenseID" => section = Section::Other,
            "Relationship" => {
                let mut parts = v.split_whitespace();
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(a), Some(t), Some(z)) => {
                        doc.relationships.push(Relationship {
                            spdx_element_id: s(a),
                            relationship_type: s(t),
                            related_spdx_element: s(z),
                        });
                        relationship_lines.push(e.line);
                    }
                    _ => notes.push(
                        Diagnostic::new(
                            DiagnosticCode::SkippedValue,
                            format!(
                                "Relationship needs `ELEMENT TYPE ELEMENT`, got '{}'",
                                v.trim()
                            ),
                        )
                        .at(format!("line {}", e.line)),
                    ),
                }
            }
            tag => {
                let Section::Package(i) = section else {
                    continue;
                };
                let Some(p) = doc.packages.get_mut(i) else {
                    continue;
                };
                package_tag(p, tag, v, e.line, &mut notes);
            }
        }
    }
    doc.creation_info = Some(creation);
    Ok(build::build(
        path,
        Serialization::TagValue,
        &doc,
        &|i| Location::Line(package_lines.get(i).copied().unwrap_or(0)),
        &|i| format!("line {}", relationship_lines.get(i).copied().unwrap_or(0)),
        notes,
    ))
}

fn package_tag<'a>(
    p: &mut Package<'a>,
    tag: &str,
    v: &'a str,
    line: u32,
    notes: &mut Vec<Diagnostic>,
) {
    match tag {
        "PackageVersion" => p.version_info = s(v),
        "PackageSupplier" => p.supplier = s(v),
        "PackageOriginator" => p.originator = s(v),
        "PackageDownloadLocation" => p.download_location = s(v),
        "PackageHomePage" => p.homepage = s(v),
        "PackageLicenseConcluded" => p.license_concluded = s(v),
        "PackageLicenseDeclared" => p.license_declared = s(v),
        "PrimaryPackagePurpose" => p.primary_package_purpose = s(v),
        "PackageChecksum" => match v.split_once(':') {
            Some((alg, value)) => p.checksums.push(Checksum {
                algorithm: s(alg),
                checksum_value: s(value),
            }),
            None => notes.push(
                Diagnostic::new(
                    DiagnosticCode::SkippedValue,
                    format!(
                        "PackageChecksum needs `ALGORITHM: value`, got '{}'",
                        v.trim()
                    ),
                )
                .at(format!("line {line}")),
            ),
        },
        "ExternalRef" => {
            let v = v.trim();
            let mut parts = v.splitn(3, char::is_whitespace);
            match (parts.next(), parts.next(), parts.next()) {
                (Some(cat), Some(ty), Some(loc)) => p.external_refs.push(ExternalRef {
                    reference_category: s(cat),
                    reference_type: s(ty),
                    reference_locator: s(loc),
                }),
                _ => notes.push(
                    Diagnostic::new(
                        DiagnosticCode::SkippedValue,
                        format!("ExternalRef needs `CATEGORY TYPE LOCATOR`, got '{v}'"),
                    )
                    .at(format!("line {line}")),
                ),
            }
        }
        _ => {}
    }
}
