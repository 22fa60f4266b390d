//! SPDX 2 RDF/XML: a streaming pass over the striped RDF (node elements such as `spdx:Package`
//! hold property elements such as `spdx:name`, which hold a text, an `rdf:resource` or a nested
//! node), collecting nodes by `rdf:about` / `rdf:nodeID`; then packages, files, the document and
//! `spdx:Relationship` nodes (whose subject is the node holding the `spdx:relationship`
//! property) are turned into the shared model.

use super::build;
use super::model::{
    Checksum, CreationInfo, Document, Element, ExternalDocumentRef, ExternalRef, Package,
    Relationship, Str,
};
use super::xml::{local, next_event, reader, resolve_ref, MAX_DEPTH};
use crate::ingest::{line_col, IngestError};
use crate::model::{Location, Sbom, Serialization};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;

#[derive(Debug, Clone)]
enum Val {
    Text(String),
    /// A node id (an `rdf:about` URI or `_:` blank node id).
    Ref(String),
}

#[derive(Debug, Default)]
struct Node {
    ty: String,
    id: String,
    props: Vec<(String, Val)>,
    /// The node holding the property this node is the value of.
    parent: Option<usize>,
}

enum Frame {
    Root,
    Node(usize),
    Prop {
        name: String,
        node: usize,
        text: String,
        resource: Option<String>,
        child: Option<usize>,
    },
}

struct Graph {
    nodes: Vec<Node>,
    by_id: HashMap<String, usize>,
    blank: usize,
}

impl Graph {
    fn node(&mut self, e: &BytesStart<'_>, parent: Option<usize>) -> usize {
        let ty = local(e.name().into_inner()).to_string();
        let id = attr(e, "about")
            .or_else(|| attr(e, "nodeID").map(|n| format!("_:{n}")))
            .unwrap_or_else(|| {
                self.blank += 1;
                format!("_:sbomrisk{}", self.blank)
            });
        if let Some(&i) = self.by_id.get(&id) {
            if let Some(n) = self.nodes.get_mut(i) {
                if n.parent.is_none() {
                    n.parent = parent;
                }
            }
            return i;
        }
        let i = self.nodes.len();
        self.by_id.insert(id.clone(), i);
        self.nodes.push(Node {
            ty,
            id,
            props: Vec::new(),
            parent,
        });
        i
    }

    fn get(&self, id: &str) -> Option<&Node> {
        self.by_id.get(id).and_then(|&i| self.nodes.get(i))
    }
}

/// An attribute by local name (`rdf:about` -> `about`), unescaped.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (local(a.key.into_inner()) == name)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

/// Parses an SPDX RDF/XML document.
pub fn parse(path: &str, text: &str) -> Result<Sbom, IngestError> {
    let mut r = reader(text);
    let mut g = Graph {
        nodes: Vec::new(),
        by_id: HashMap::new(),
        blank: 0,
    };
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let before = r.buffer_position() as usize;
        let ev = next_event(&mut r, path, text)?;
        let (e, empty) = match ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::Text(t) => {
                if let Some(Frame::Prop { text: buf, .. }) = stack.last_mut() {
                    buf.push_str(&t.xml10_content());
                }
                continue;
            }
            Event::CData(t) => {
                if let Some(Frame::Prop { text: buf, .. }) = stack.last_mut() {
                    buf.push_str(&t.xml10_content());
                }
                continue;
            }
            Event::GeneralRef(rf) => {
                if let Some(Frame::Prop { text: buf, .. }) = stack.last_mut() {
                    resolve_ref(&rf, path, buf)?;
                }
                continue;
            }
            Event::End(_) => {
                if let Some(Frame::Prop {
                    name,
                    node,
                    text: t,
                    resource,
                    child,
                }) = stack.pop()
                {
                    let v = match (child, resource) {
                        (Some(c), _) => {
                            Val::Ref(g.nodes.get(c).map(|n| n.id.clone()).unwrap_or_default())
                        }
                        (None, Some(res)) => Val::Ref(res),
                        (None, None) => Val::Text(t.trim().to_string()),
                    };
                    if let Some(n) = g.nodes.get_mut(node) {
                        n.props.push((name, v));
                    }
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if stack.len() >= MAX_DEPTH {
            let (l, c) = line_col(text, before);
            return Err(IngestError::syntax(
                path,
                Some(format!("line {l}, column {c}")),
                format!("XML nested deeper than {MAX_DEPTH} elements"),
            ));
        }
        let qname = e.name().into_inner();
        let frame = match stack.last_mut() {
            None if qname == "rdf:RDF" || local(qname) == "RDF" => Frame::Root,
            None | Some(Frame::Root) => Frame::Node(g.node(&e, None)),
            Some(Frame::Prop { node, child, .. }) => {
                let i = g.node(&e, Some(*node));
                *child = Some(i);
                Frame::Node(i)
            }
            Some(Frame::Node(n)) => {
                let node = *n;
                let resource =
                    attr(&e, "resource").or_else(|| attr(&e, "nodeID").map(|id| format!("_:{id}")));
                Frame::Prop {
                    name: local(qname).to_string(),
                    node,
                    text: String::new(),
                    resource,
                    child: None,
                }
            }
        };
        if empty {
            // An empty property is complete now; an empty node has no properties.
            if let Frame::Prop {
                name,
                node,
                resource,
                ..
            } = frame
            {
                let v = resource.map_or(Val::Text(String::new()), Val::Ref);
                if let Some(n) = g.nodes.get_mut(node) {
                    n.props.push((name, v));
                }
            }
        } else {
            stack.push(frame);
        }
    }
    let doc = to_document(&g);
    let ids: Vec<String> = doc
        .packages
        .iter()
        .map(|p| {
            p.spdxid
                .as_ref()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default()
        })
        .collect();
    Ok(build::build(
        path,
        Serialization::Rdf,
        &doc,
        &|i| Location::Node(ids.get(i).cloned().unwrap_or_default()),
        &|i| format!("relationship {i}"),
        Vec::new(),
    ))
}

impl Node {
    fn props<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Val> + 's {
        self.props
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v)
    }
    fn text<'s>(&'s self, name: &'s str) -> Option<&'s str> {
        self.props(name).find_map(|v| match v {
            Val::Text(t) => Some(t.as_str()),
            Val::Ref(_) => None,
        })
    }
    fn reference<'s>(&'s self, name: &'s str) -> Option<&'s str> {
        self.props(name).find_map(|v| match v {
            Val::Ref(r) => Some(r.as_str()),
            Val::Text(_) => None,
        })
    }
}

/// Maps node URIs to the ids SPDX 2 uses elsewhere: `SPDXRef-x` for this document's elements,
/// `DocumentRef-y:SPDXRef-x` for elements of a referenced document.
struct Ids {
    namespace: String,
    external: HashMap<String, String>,
}

impl Ids {
    fn local(&self, uri: &str) -> String {
        if let Some((ns, frag)) = uri.rsplit_once('#') {
            if ns == self.namespace {
                return frag.to_string();
            }
            if ns == "http://spdx.org/rdf/terms" {
                return frag.to_ascii_uppercase();
            }
            if let Some(doc_ref) = self.external.get(ns) {
                return format!("{doc_ref}:{frag}");
            }
        }
        uri.to_string()
    }
}

/// The last segment of a vocabulary URI (`...terms#checksumAlgorithm_sha1` -> `sha1` with
/// `prefix` `checksumAlgorithm_`; `http://spdx.org/licenses/MIT` -> `MIT`).
fn term<'s>(uri: &'s str, prefix: &str) -> &'s str {
    let last = uri.rsplit(['#', '/']).next().unwrap_or(uri);
    last.strip_prefix(prefix).unwrap_or(last)
}

/// A licence value: a listed licence URI, NOASSERTION/NONE, or a set of members.
fn license(g: &Graph, v: &Val, depth: usize) -> Option<String> {
    match v {
        Val::Text(t) => Some(t.clone()),
        Val::Ref(r) => {
            let Some(n) = g
                .get(r)
                .filter(|n| !n.props.is_empty() || n.ty.ends_with("Set"))
            else {
                let t = term(r, "");
                return Some(match t {
                    "noassertion" => "NOASSERTION".to_string(),
                    "none" => "NONE".to_string(),
                    t => t.to_string(),
                });
            };
            let op = match n.ty.as_str() {
                "ConjunctiveLicenseSet" => " AND ",
                "DisjunctiveLicenseSet" => " OR ",
                _ => {
                    if r.starts_with("_:") {
                        return n.text("licenseId").map(str::to_string);
                    }
                    return Some(term(r, "").to_string());
                }
            };
            if depth > 8 {
                return None;
            }
            let parts: Vec<String> = n
                .props("member")
                .filter_map(|m| license(g, m, depth + 1))
                .map(|m| if m.contains(' ') { format!("({m})") } else { m })
                .collect();
            (!parts.is_empty()).then(|| parts.join(op))
        }
    }
}

fn to_document(g: &Graph) -> Document<'static> {
    let mut doc = Document::default();
    let doc_node = g.nodes.iter().find(|n| n.ty == "SpdxDocument");
    let namespace = doc_node
        .and_then(|n| n.id.rsplit_once('#').map(|(ns, _)| ns.to_string()))
        .unwrap_or_default();
    let mut external = HashMap::new();
    for n in g.nodes.iter().filter(|n| n.ty == "ExternalDocumentRef") {
        // SPDX 2.2 RDF names the reference only in `rdf:about` (`...#DocumentRef-x`).
        let about = n.id.rsplit_once('#').map(|(_, f)| f);
        if let (Some(id), Some(uri)) = (
            n.text("externalDocumentId").or(about),
            n.reference("spdxDocument")
                .or_else(|| n.text("spdxDocument")),
        ) {
            external.insert(uri.to_string(), id.to_string());
            doc.external_document_refs.push(ExternalDocumentRef {
                external_document_id: Some(Str::from(id.to_string())),
            });
        }
    }
    let ids = Ids {
        namespace: namespace.clone(),
        external,
    };
    let s = |v: &str| Some(Str::from(v.to_string()));
    if let Some(d) = doc_node {
        doc.spdxid = s(&ids.local(&d.id));
        doc.document_namespace = (!namespace.is_empty()).then(|| Str::from(namespace.clone()));
        doc.spdx_version = d.text("specVersion").and_then(s);
        doc.name = d.text("name").and_then(s);
        if let Some(ci) = d.reference("creationInfo").and_then(|r| g.get(r)) {
            doc.creation_info = Some(CreationInfo {
                created: ci.text("created").and_then(s),
                creators: ci
                    .props("creator")
                    .filter_map(|v| match v {
                        Val::Text(t) => Some(Str::from(t.clone())),
                        Val::Ref(_) => None,
                    })
                    .collect(),
            });
        }
        for v in d.props("describesPackage") {
            if let Val::Ref(r) = v {
                doc.document_describes.push(Str::from(ids.local(r)));
            }
        }
    }
    for n in &g.nodes {
        match n.ty.as_str() {
            "Package" if !n.props.is_empty() => doc.packages.push(package(g, n, &ids)),
            "File" => doc.files.push(Element {
                spdxid: s(&ids.local(&n.id)),
            }),
            "Snippet" => doc.snippets.push(Element {
                spdxid: s(&ids.local(&n.id)),
            }),
            "Relationship" => {
                let Some(subject) = n.parent.and_then(|p| g.nodes.get(p)) else {
                    continue;
                };
                doc.relationships.push(Relationship {
                    spdx_element_id: s(&ids.local(&subject.id)),
                    related_spdx_element: n
                        .reference("relatedSpdxElement")
                        .map(|r| Str::from(ids.local(r))),
                    relationship_type: n
                        .reference("relationshipType")
                        .map(|r| Str::from(term(r, "relationshipType_").to_string())),
                });
            }
            _ => {}
        }
    }
    doc
}

fn package(g: &Graph, n: &Node, ids: &Ids) -> Package<'static> {
    let s = |v: &str| Some(Str::from(v.to_string()));
    let text_or_term = |name: &str| {
        n.text(name)
            .map(str::to_string)
            .or_else(|| n.reference(name).map(|r| term(r, "").to_ascii_uppercase()))
            .map(Str::from)
    };
    let lic = |name: &str| n.props(name).find_map(|v| license(g, v, 0)).map(Str::from);
    let mut p = Package {
        spdxid: s(&ids.local(&n.id)),
        name: n.text("name").and_then(s),
        version_info: n.text("versionInfo").and_then(s),
        supplier: n.text("supplier").and_then(s),
        originator: n.text("originator").and_then(s),
        download_location: text_or_term("downloadLocation"),
        homepage: n.text("homepage").and_then(s),
        license_concluded: lic("licenseConcluded"),
        license_declared: lic("licenseDeclared"),
        primary_package_purpose: n
            .reference("primaryPackagePurpose")
            .map(|r| Str::from(term(r, "purpose_").to_string())),
        ..Package::default()
    };
    for v in n.props("checksum") {
        let Val::Ref(r) = v else { continue };
        if let Some(c) = g.get(r) {
            p.checksums.push(Checksum {
                algorithm: c
                    .reference("algorithm")
                    .map(|a| Str::from(term(a, "checksumAlgorithm_").to_ascii_uppercase())),
                checksum_value: c.text("checksumValue").and_then(s),
            });
        }
    }
    for v in n.props("externalRef") {
        let Val::Ref(r) = v else { continue };
        if let Some(x) = g.get(r) {
            p.external_refs.push(ExternalRef {
                reference_category: x
                    .reference("referenceCategory")
                    .map(|c| Str::from(term(c, "referenceCategory_").to_string())),
                reference_type: x
                    .reference("referenceType")
                    .map(|t| Str::from(term(t, "").to_string()))
                    .or_else(|| x.text("referenceType").and_then(s)),
                reference_locator: x.text("referenceLocator").and_then(s),
            });
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::IngestErrorKind;
    use crate::model::{RelationKind, Role};

    const DOC: &str = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:spdx="http://spdx.org/rdf/terms#" xmlns:doap="http://usefulinc.com/ns/doap#">
  <spdx:SpdxDocument rdf:about="http://ex.org/doc1#SPDXRef-DOCUMENT">
    <spdx:specVersion>SPDX-2.2</spdx:specVersion>
    <spdx:name>ap</spdx:name>
    <spdx:creationInfo>
      <spdx:CreationInfo>
        <spdx:created>2024-01-01T00:00:00Z</spdx:created>
        <spdx:creator>Tool: rdfgen</spdx:creator>
      </spdx:CreationInfo>
    </spdx:creationInfo>
    <spdx:externalDocumentRef>
      <spdx:ExternalDocumentRef rdf:about="http://ex.org/doc1#DocumentRef-os">
        <spdx:spdxDocument rdf:resource="http://ex.org/os"/>
      </spdx:ExternalDocumentRef>
    </spdx:externalDocumentRef>
    <spdx:describesPackage>
      <spdx:Package rdf:about="http://ex.org/doc1#SPDXRef-ap">
        <spdx:name>ap</spdx:name>
        <spdx:versionInfo>4.1</spdx:versionInfo>
        <spdx:supplier>Organization: Wifi Co</spdx:supplier>
        <spdx:downloadLocation rdf:resource="http://spdx.org/rdf/terms#noassertion"/>
        <spdx:licenseConcluded rdf:resource="http://spdx.org/rdf/terms#noassertion"/>
        <spdx:licenseDeclared>
          <spdx:DisjunctiveLicenseSet>
            <spdx:member rdf:resource="http://spdx.org/licenses/MIT"/>
            <spdx:member rdf:resource="http://spdx.org/licenses/BSD-3-Clause"/>
          </spdx:DisjunctiveLicenseSet>
        </spdx:licenseDeclared>
        <spdx:checksum>
          <spdx:Checksum>
            <spdx:algorithm rdf:resource="http://spdx.org/rdf/terms#checksumAlgorithm_sha256"/>
            <spdx:checksumValue>ff</spdx:checksumValue>
          </spdx:Checksum>
        </spdx:checksum>
        <spdx:relationship>
          <spdx:Relationship>
            <spdx:relationshipType rdf:resource="http://spdx.org/rdf/terms#relationshipType_dependsOn"/>
            <spdx:relatedSpdxElement>
              <spdx:Package rdf:about="http://ex.org/doc1#SPDXRef-hostapd">
                <spdx:name>hostapd</spdx:name>
                <spdx:externalRef>
                  <spdx:ExternalRef>
                    <spdx:referenceCategory rdf:resource="http://spdx.org/rdf/terms#referenceCategory_packageManager"/>
                    <spdx:referenceType rdf:resource="http://spdx.org/rdf/references/purl"/>
                    <spdx:referenceLocator>pkg:generic/hostapd@2.10</spdx:referenceLocator>
                  </spdx:ExternalRef>
                </spdx:externalRef>
                <spdx:relationship>
                  <spdx:Relationship>
                    <spdx:relationshipType rdf:resource="http://spdx.org/rdf/terms#relationshipType_dependencyOf"/>
                    <spdx:relatedSpdxElement rdf:resource="http://ex.org/doc1#SPDXRef-ap"/>
                  </spdx:Relationship>
                </spdx:relationship>
              </spdx:Package>
            </spdx:relatedSpdxElement>
          </spdx:Relationship>
        </spdx:relationship>
        <spdx:relationship>
          <spdx:Relationship>
            <spdx:relationshipType rdf:resource="http://spdx.org/rdf/terms#relationshipType_dependsOn"/>
            <spdx:relatedSpdxElement rdf:resource="http://ex.org/os#SPDXRef-libc"/>
          </spdx:Relationship>
        </spdx:relationship>
      </spdx:Package>
    </spdx:describesPackage>
  </spdx:SpdxDocument>
</rdf:RDF>"#;

    #[test]
    fn rdf_packages_relationships_and_roots() {
        let s = parse("t.rdf", DOC).unwrap();
        assert_eq!(s.document.spec_version, "2.2");
        assert_eq!(s.document.id.as_deref(), Some("http://ex.org/doc1"));
        assert_eq!(s.document.tools, vec!["rdfgen"]);
        assert_eq!(s.components.len(), 2);
        let ap = s.components.iter().find(|c| c.name == "ap").unwrap();
        assert_eq!(ap.role, Role::Root);
        assert_eq!(ap.bom_ref, "SPDXRef-ap");
        assert_eq!(ap.version.as_deref(), Some("4.1"));
        assert_eq!(ap.licenses.as_deref(), Some("MIT OR BSD-3-Clause"));
        assert!(ap.external_refs.is_empty(), "NOASSERTION download dropped");
        assert_eq!(ap.hashes[0].alg, "SHA256");
        assert_eq!(ap.location, Some(Location::Node("SPDXRef-ap".into())));
        let hostapd = s.components.iter().find(|c| c.name == "hostapd").unwrap();
        assert_eq!(hostapd.purl.as_deref(), Some("pkg:generic/hostapd@2.10"));
        // dependsOn and the reversed dependencyOf name the same edge once.
        assert_eq!(s.relations.len(), 1, "{:?}", s.relations);
        assert_eq!(s.relations[0].kind, RelationKind::DependsOn);
        assert_eq!(s.component(s.relations[0].from).name, "ap");
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    }

    #[test]
    fn rdf_refuses_entities_and_depth() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><rdf:RDF><spdx:SpdxDocument>&lol2;</spdx:SpdxDocument></rdf:RDF>"#;
        assert_eq!(
            parse("t.rdf", bomb).unwrap_err().kind,
            IngestErrorKind::Unsupported
        );
        let deep = format!("<rdf:RDF>{}", "<spdx:Package><spdx:x>".repeat(50_000));
        assert!(parse("t.rdf", &deep)
            .unwrap_err()
            .message
            .contains("deeper"));
    }
}
