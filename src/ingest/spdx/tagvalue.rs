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
        let (end, next) = line_end(text, pos);
        let line = &text[pos..end];
        let line_start = pos;
        pos = next;
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
                    line_no += line_breaks(&text[line_start..vend]);
                    pos = line_end(text, vend).1;
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

/// The end of the line starting at `pos` and the start of the next one. Lines end with `\n`,
/// `\r\n` or a lone `\r` (wild-cbor.spdx and wild-xml2json.spdx use old Mac line ends).
fn line_end(text: &str, pos: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    match bytes
        .get(pos..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r'))
    {
        Some(i) => {
            let end = pos + i;
            let crlf = bytes.get(end) == Some(&b'\r') && bytes.get(end + 1) == Some(&b'\n');
            (end, end + if crlf { 2 } else { 1 })
        }
        None => (text.len(), text.len()),
    }
}

/// How many line ends `s` holds, counted as [`line_end`] does.
fn line_breaks(s: &str) -> u32 {
    let b = s.as_bytes();
    let mut n = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RelationKind, Role};
    use proptest::prelude::*;

    const DOC: &str = "SPDXVersion: SPDX-2.1
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: switch
DocumentNamespace: https://example.com/switch
Creator: Tool: tern-2.0
Creator: Person: Ann (ann@example.com)
Created: 2024-02-02T00:00:00Z
DocumentComment: <text>two
lines</text>
Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-sw
Relationship: SPDXRef-busybox DEPENDENCY_OF SPDXRef-sw
this line is broken

PackageName: sw
SPDXID: SPDXRef-sw
PackageVersion: 2.0
PackageSupplier: Organization: Net Co
PackageDescription: <text>A switch.
It switches.
</text>
PackageLicenseConcluded: NOASSERTION
PackageLicenseDeclared: GPL-2.0-only

FileName: ./init
SPDXID: SPDXRef-init
LicenseConcluded: MIT

PackageName: busybox
SPDXID: SPDXRef-busybox
PackageVersion: 1.36
PackageChecksum: SHA1: 0123abcd
ExternalRef: PACKAGE_MANAGER purl pkg:generic/busybox@1.36
ExternalRef: SECURITY cpe22Type cpe:/a:busybox:busybox:1.36
Relationship: SPDXRef-sw CONTAINS SPDXRef-init
";

    #[test]
    fn tag_value_document() {
        let s = parse("t.spdx", DOC).unwrap();
        assert_eq!(s.document.spec_version, "2.1");
        assert_eq!(s.document.tools, vec!["tern-2.0"]);
        assert_eq!(
            s.document.authors[0].email.as_deref(),
            Some("ann@example.com")
        );
        assert_eq!(s.document.files, 1);
        assert_eq!(s.components.len(), 2);
        let sw = &s.components[0];
        assert_eq!(sw.role, Role::Root, "DESCRIBES written before the package");
        assert_eq!(sw.licenses.as_deref(), Some("GPL-2.0-only"));
        assert_eq!(sw.location, Some(Location::Line(15)));
        let bb = &s.components[1];
        assert_eq!(
            bb.location,
            Some(Location::Line(29)),
            "multi-line text counted"
        );
        assert_eq!(bb.purl.as_deref(), Some("pkg:generic/busybox@1.36"));
        assert_eq!(bb.cpes, vec!["cpe:/a:busybox:busybox:1.36"]);
        assert_eq!(bb.hashes[0].alg, "SHA1");
        assert_eq!(bb.hashes[0].value, "0123abcd");
        assert_eq!(s.relations.len(), 1);
        assert_eq!(s.relations[0].kind, RelationKind::DependsOn);
        assert_eq!((s.relations[0].from.0, s.relations[0].to.0), (0, 1));
        let skipped: Vec<_> = s
            .diagnostics
            .iter()
            .filter(|d| d.code == DiagnosticCode::SkippedValue)
            .collect();
        assert_eq!(skipped.len(), 1, "{:?}", s.diagnostics);
        assert_eq!(skipped[0].location.as_deref(), Some("line 13"));
        assert!(skipped[0].message.contains("this line is broken"));
    }

    #[test]
    fn old_mac_line_ends_and_external_document_refs() {
        let doc = "SPDXVersion: SPDX-2.2\rSPDXID: SPDXRef-DOCUMENT\rExternalDocumentRef: DocumentRef-os https://x SHA1: 00\r\rPackageName: a\rSPDXID: SPDXRef-a\rRelationship: SPDXRef-a DEPENDS_ON DocumentRef-os:SPDXRef-libc\r";
        let s = parse("t.spdx", doc).unwrap();
        assert_eq!(s.document.spec_version, "2.2");
        assert_eq!(s.components[0].location, Some(Location::Line(5)));
        assert!(
            !s.diagnostics
                .iter()
                .any(|d| d.code == DiagnosticCode::DanglingReference),
            "{:?}",
            s.diagnostics
        );
    }

    #[test]
    fn unclosed_text_and_bad_relationship_are_warnings() {
        let doc = "SPDXVersion: SPDX-2.3\nRelationship: SPDXRef-a\nPackageName: a\nPackageComment: <text>never\nclosed";
        let s = parse("t.spdx", doc).unwrap();
        let n = s
            .diagnostics
            .iter()
            .filter(|d| d.code == DiagnosticCode::SkippedValue)
            .count();
        assert_eq!(n, 2, "{:?}", s.diagnostics);
        assert!(parse("t.spdx", "\n\n# only a comment\n").is_err());
    }

    fn single_line() -> impl Strategy<Value = String> {
        // Printable text without line ends; leading/trailing blanks are not kept by the format.
        "[^\\r\\n\\u{85}\\u{2028}\\u{2029}]{1,40}".prop_map(|s| s.trim().to_string())
    }

    proptest! {
        #[test]
        fn tag_value_round_trip(
            pkgs in proptest::collection::vec(
                (single_line(), single_line(), "pkg:[a-z]{1,8}/[a-zA-Z0-9._-]{1,20}@[0-9.]{1,8}"),
                1..8,
            )
        ) {
            let mut text = String::from("SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: p\n\n");
            for (i, (name, version, purl)) in pkgs.iter().enumerate() {
                text.push_str(&format!(
                    "PackageName: {name}\nSPDXID: SPDXRef-p{i}\nPackageVersion: {version}\nExternalRef: PACKAGE-MANAGER purl {purl}\n\n"
                ));
            }
            text.push_str("Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-p0\n");
            let s = parse("p.spdx", &text).unwrap();
            prop_assert_eq!(s.components.len(), pkgs.len());
            for (c, (name, version, purl)) in s.components.iter().zip(&pkgs) {
                let want_name = if name.is_empty() { "" } else { name.as_str() };
                prop_assert_eq!(c.name.as_str(), want_name);
                let want_version = (!version.is_empty()
                    && !version.eq_ignore_ascii_case("NOASSERTION")
                    && !version.eq_ignore_ascii_case("NONE"))
                    .then(|| version.clone());
                prop_assert_eq!(c.version.clone(), want_version);
                prop_assert_eq!(c.purl.as_deref(), Some(purl.as_str()));
            }
            prop_assert_eq!(s.roots.len(), 1);
        }
    }
}
