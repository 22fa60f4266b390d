//! CycloneDX XML (1.0 to 1.7) with a streaming quick-xml reader: no DOM, no DTD.
//!
//! The reader keeps a stack of open element names and, for the component or tool being read,
//! where it starts in that stack; a text is assigned by its path relative to that owner
//! (`supplier/address/country`). Components are read without recursion, so depth costs heap,
//! not stack, and is capped at [`MAX_DEPTH`]. A `<!DOCTYPE` (and so any `<!ENTITY`) is refused:
//! no internal entity expansion (billion laughs), no external entities (XXE).

use super::common::{self, DepLocation, Dependency, Read};
use crate::ingest::{line_col, IngestError, IngestErrorKind};
use crate::model::{
    Component, DiagnosticCode, ExternalRef, ExternalRefKind, Format, Location, Party, PartyKind,
    Sbom, SbomBuilder, Serialization,
};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};
use std::borrow::Cow;

/// Deeper documents are refused; real CycloneDX needs a few dozen levels.
pub(super) const MAX_DEPTH: usize = 1000;

const NAMESPACE_PREFIX: &str = "http://cyclonedx.org/schema/bom/";

/// The element names the reader looks at; everything else is [`N::Other`] and skipped whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum N {
    Bom,
    Metadata,
    Timestamp,
    Tools,
    Tool,
    Vendor,
    Name,
    Version,
    Group,
    Components,
    Component,
    Services,
    Service,
    Authors,
    Author,
    Email,
    Supplier,
    Manufacturer,
    Manufacture,
    Provider,
    Url,
    Contact,
    Address,
    Country,
    Publisher,
    Hashes,
    Hash,
    Licenses,
    License,
    Id,
    Expression,
    Cpe,
    Purl,
    ExternalReferences,
    Reference,
    Properties,
    Property,
    Dependencies,
    Dependency,
    Provides,
    Other,
}

impl N {
    fn of(local: &str) -> N {
        match local {
            "bom" => N::Bom,
            "metadata" => N::Metadata,
            "timestamp" => N::Timestamp,
            "tools" => N::Tools,
            "tool" => N::Tool,
            "vendor" => N::Vendor,
            "name" => N::Name,
            "version" => N::Version,
            "group" => N::Group,
            "components" => N::Components,
            "component" => N::Component,
            "services" => N::Services,
            "service" => N::Service,
            "authors" => N::Authors,
            "author" => N::Author,
            "email" => N::Email,
            "supplier" => N::Supplier,
            "manufacturer" => N::Manufacturer,
            "manufacture" => N::Manufacture,
            "provider" => N::Provider,
            "url" => N::Url,
            "contact" => N::Contact,
            "address" => N::Address,
            "country" => N::Country,
            "publisher" => N::Publisher,
            "hashes" => N::Hashes,
            "hash" => N::Hash,
            "licenses" => N::Licenses,
            "license" => N::License,
            "id" => N::Id,
            "expression" => N::Expression,
            "cpe" => N::Cpe,
            "purl" => N::Purl,
            "externalReferences" => N::ExternalReferences,
            "reference" => N::Reference,
            "properties" => N::Properties,
            "property" => N::Property,
            "dependencies" => N::Dependencies,
            "dependency" => N::Dependency,
            "provides" => N::Provides,
            _ => N::Other,
        }
    }
}

/// What an owner element collects.
enum Owner {
    /// A component: its index in `read`, licence parts, and a country property.
    Comp {
        idx: usize,
        licenses: Vec<String>,
        country: Option<String>,
    },
    /// A tool (legacy `tool`, 1.5+ tool `component` or `service`).
    Tool(ToolDraft),
}

#[derive(Default)]
struct ToolDraft {
    vendor: Option<String>,
    group: Option<String>,
    name: Option<String>,
    version: Option<String>,
    org: Option<String>,
    author: Option<String>,
}

struct State<'t> {
    path: &'t str,
    text: &'t str,
    b: SbomBuilder,
    stack: Vec<N>,
    /// Owners with the stack depth just inside their element.
    owners: Vec<(usize, Owner)>,
    read: Vec<Read>,
    deps: Vec<Dependency<'t>>,
    /// Depth at which a skipped subtree started; events inside it are ignored.
    skip: Option<usize>,
    buf: String,
    /// Attributes kept from a start tag until its text arrives.
    hash_alg: String,
    ref_type: String,
    prop_name: String,
    tools: Vec<String>,
    meta_authors: Vec<Party>,
    meta_supplier: Option<Party>,
    meta_manufacturer: Option<Party>,
    root_idx: Option<usize>,
    /// Line counting, incremental so that 100k components cost one pass over the text.
    line_off: usize,
    line: usize,
    seen_root: bool,
    done: bool,
}

/// Parses CycloneDX XML.
pub(super) fn parse(path: &str, text: &str) -> Result<Sbom, IngestError> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let mut st = State {
        path,
        text,
        b: SbomBuilder::new(path, Format::CycloneDx, Serialization::Xml),
        stack: Vec::new(),
        owners: Vec::new(),
        read: Vec::new(),
        deps: Vec::new(),
        skip: None,
        buf: String::new(),
        hash_alg: String::new(),
        ref_type: String::new(),
        prop_name: String::new(),
        tools: Vec::new(),
        meta_authors: Vec::new(),
        meta_supplier: None,
        meta_manufacturer: None,
        root_idx: None,
        line_off: 0,
        line: 1,
        seen_root: false,
        done: false,
    };
    loop {
        let before = reader.buffer_position() as usize;
        let (ns, event) = match reader.read_resolved_event() {
            Ok(x) => x,
            Err(e) => {
                let at = reader.error_position() as usize;
                return Err(st.syntax(at, format!("malformed XML: {e}")));
            }
        };
        // The spec version of a CycloneDX namespace, "" for no namespace, None for another.
        let cdx: Option<&str> = match &ns {
            ResolveResult::Bound(ns) => ns
                .as_ref()
                .strip_prefix(NAMESPACE_PREFIX)
                .map(|v| v.trim_end_matches('/')),
            ResolveResult::Unbound => Some(""),
            ResolveResult::Unknown(_) => None,
        };
        match event {
            Event::DocType(_) => {
                return Err(st
                    .error(
                        IngestErrorKind::Unsupported,
                        before,
                        "the document has a DTD (<!DOCTYPE>); DTDs and entity declarations are refused (XXE, entity expansion)",
                    ));
            }
            Event::Start(e) => {
                if st.done {
                    st.trailing(before);
                    break;
                }
                st.start(&e, cdx, before)?;
            }
            Event::End(_) => st.end(),
            Event::Text(t) => {
                if st.done {
                    if !t.as_ref().trim().is_empty() {
                        st.trailing(before);
                        break;
                    }
                } else if !st.seen_root {
                    // Before the root only markup may stand: text there is not XML, and enrich,
                    // which writes the document's own text back, would copy it.
                    if !t.as_ref().trim().is_empty() {
                        return Err(
                            st.syntax(before, "malformed XML: text before the root element")
                        );
                    }
                } else if st.skip.is_none() {
                    st.buf.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if !st.seen_root {
                    return Err(st.syntax(before, "malformed XML: CDATA before the root element"));
                }
                if st.done {
                    st.trailing(before);
                    break;
                }
                if st.skip.is_none() {
                    st.buf.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if st.done {
                    st.trailing(before);
                    break;
                }
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => None,
                    Err(e) => {
                        return Err(st.syntax(before, format!("bad character reference: {e}")))
                    }
                };
                if let Some(c) = resolved {
                    st.buf.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    st.buf.push_str(s);
                } else {
                    return Err(st.syntax(
                        before,
                        format!("reference to undefined entity '&{};'", r.as_ref()),
                    ));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !st.seen_root {
        return Err(IngestError::not_an_sbom(
            path,
            "no <bom> element: not a CycloneDX XML document",
        ));
    }
    if let Some(open) = st.stack.last() {
        let (line, col) = line_col(text, text.len());
        return Err(IngestError::syntax(
            path,
            Some(format!("line {line}, column {col}")),
            format!("the document ends inside an element ({open:?} not closed)"),
        ));
    }
    Ok(st.finish())
}

impl<'t> State<'t> {
    fn error(&self, kind: IngestErrorKind, offset: usize, msg: impl Into<String>) -> IngestError {
        let (line, col) = line_col(self.text, offset);
        IngestError::new(kind, self.path, msg).at(format!("line {line}, column {col}"))
    }

    fn syntax(&self, offset: usize, msg: impl Into<String>) -> IngestError {
        self.error(IngestErrorKind::Syntax, offset, msg)
    }

    /// Line of `offset`; offsets must not go backwards.
    fn line_at(&mut self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        if end > self.line_off {
            let bytes = self.text.as_bytes();
            self.line += bytes[self.line_off..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line_off = end;
        }
        self.line
    }

    fn trailing(&mut self, offset: usize) {
        let (line, col) = line_col(self.text, offset);
        self.b.warn(
            DiagnosticCode::TrailingContent,
            "content after the end of the <bom> element was ignored",
            Some(format!("line {line}, column {col}")),
        );
    }

    fn start(
        &mut self,
        e: &BytesStart<'t>,
        cdx: Option<&str>,
        offset: usize,
    ) -> Result<(), IngestError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(
                IngestErrorKind::Unsupported,
                offset,
                format!("elements nest deeper than {MAX_DEPTH} levels; refused"),
            ));
        }
        self.buf.clear();
        if self.skip.is_some() {
            self.stack.push(N::Other);
            return Ok(());
        }
        let local = e.local_name();
        let n = match cdx {
            Some(_) => N::of(local.as_ref()),
            None => N::Other,
        };
        let depth = self.stack.len();
        if depth == 0 {
            if n != N::Bom {
                let why = if cdx.is_none() && N::of(local.as_ref()) == N::Bom {
                    "the root element <bom> is not in a CycloneDX namespace \
                     (http://cyclonedx.org/schema/bom/1.x)"
                        .to_string()
                } else {
                    format!(
                        "the root element is <{}>, not a CycloneDX <bom>",
                        local.as_ref()
                    )
                };
                return Err(IngestError::not_an_sbom(self.path, why));
            }
            self.seen_root = true;
            let version = cdx.unwrap_or_default();
            let loc = format!("line {}", self.line_at(offset));
            if version.is_empty() {
                self.b.warn(
                    DiagnosticCode::UnknownSpecVersion,
                    "the <bom> element has no CycloneDX namespace; read as 1.7",
                    Some(loc),
                );
            } else {
                common::set_spec_version(&mut self.b, Some(version), &loc);
            }
            if let Some(serial) = self.attr(e, "serialNumber", offset)? {
                self.b.document_mut().id = common::text(Some(&serial));
            }
            self.stack.push(N::Bom);
            return Ok(());
        }
        self.stack.push(n);
        let nested_in = match self.owners.last() {
            Some((d, Owner::Comp { idx, .. })) if *d + 1 == self.stack.len() - 1 => Some(*idx),
            _ => None,
        };
        match (n, &self.stack[..]) {
            (N::Other, _) => self.skip = Some(self.stack.len()),
            (N::Component, [N::Bom, N::Metadata, N::Component]) => {
                self.component(e, offset, None, true)?;
            }
            (N::Component, [N::Bom, N::Components, N::Component]) => {
                self.component(e, offset, None, false)?;
            }
            (N::Component, [.., N::Component, N::Components, N::Component])
                if nested_in.is_some() =>
            {
                self.component(e, offset, nested_in, false)?;
            }
            (N::Component, [N::Bom, N::Metadata, N::Tools, N::Components, N::Component])
            | (N::Service, [N::Bom, N::Metadata, N::Tools, N::Services, N::Service])
            | (N::Tool, [N::Bom, N::Metadata, N::Tools, N::Tool]) => {
                self.owners
                    .push((self.stack.len(), Owner::Tool(ToolDraft::default())));
            }
            (N::Component, _) => self.skip = Some(self.stack.len()),
            (N::Dependency, [N::Bom, N::Dependencies, N::Dependency]) => {
                let from = self.attr(e, "ref", offset)?.unwrap_or_default();
                let line = self.line_at(offset);
                self.deps.push(Dependency {
                    from,
                    depends_on: Vec::new(),
                    provides: Vec::new(),
                    location: DepLocation::Line(line),
                });
            }
            (N::Dependency, [N::Bom, N::Dependencies, N::Dependency, N::Dependency])
            | (N::Provides, [N::Bom, N::Dependencies, N::Dependency, N::Provides]) => {
                if let Some(to) = self.attr(e, "ref", offset)? {
                    if let Some(d) = self.deps.last_mut() {
                        if n == N::Provides {
                            d.provides.push(to);
                        } else {
                            d.depends_on.push(to);
                        }
                    }
                }
            }
            (N::Hash, [.., N::Hashes, N::Hash]) => {
                self.hash_alg = self
                    .attr(e, "alg", offset)?
                    .unwrap_or_default()
                    .into_owned();
            }
            (N::Reference, [.., N::ExternalReferences, N::Reference]) => {
                self.ref_type = self
                    .attr(e, "type", offset)?
                    .unwrap_or_default()
                    .into_owned();
            }
            (N::Property, [.., N::Properties, N::Property]) => {
                self.prop_name = self
                    .attr(e, "name", offset)?
                    .unwrap_or_default()
                    .into_owned();
            }
            _ => self.open_in_owner(),
        }
        Ok(())
    }

    /// The value of attribute `name` (no namespace), unescaped.
    fn attr(
        &self,
        e: &BytesStart<'t>,
        name: &str,
        offset: usize,
    ) -> Result<Option<Cow<'t, str>>, IngestError> {
        // Attribute values borrow the start tag, not the text: they are copied.
        for a in e.attributes() {
            let a = a.map_err(|err| self.syntax(offset, format!("malformed attribute: {err}")))?;
            if a.key.as_ref() == name {
                let v = a
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|err| self.syntax(offset, format!("bad attribute '{name}': {err}")))?;
                return Ok(Some(Cow::Owned(v.into_owned())));
            }
        }
        Ok(None)
    }

    /// Starts a component: reserves its slot in read order so nested ones can name it.
    fn component(
        &mut self,
        e: &BytesStart<'t>,
        offset: usize,
        parent: Option<usize>,
        root: bool,
    ) -> Result<(), IngestError> {
        let line = self.line_at(offset);
        let kind_raw = self.attr(e, "type", offset)?;
        let bom_ref = self.attr(e, "bom-ref", offset)?;
        let kind =
            common::component_kind(&mut self.b, kind_raw.as_deref(), || format!("line {line}"));
        let idx = self.read.len();
        self.read.push(Read {
            component: Component {
                bom_ref: bom_ref.map(|s| s.trim().to_string()).unwrap_or_default(),
                kind,
                location: Some(Location::Line(line as u32)),
                ..Component::default()
            },
            parent,
            root,
        });
        if root {
            self.root_idx = Some(idx);
        }
        self.owners.push((
            self.stack.len(),
            Owner::Comp {
                idx,
                licenses: Vec::new(),
                country: None,
            },
        ));
        Ok(())
    }

    /// A start tag inside an owner (or in metadata) that opens a party to fill.
    fn open_in_owner(&mut self) {
        let depth = self.owners.last().map(|(d, _)| *d);
        match depth {
            Some(d) => {
                let (Some((_, Owner::Comp { idx, .. })), Some(rel)) =
                    (self.owners.last(), self.stack.get(d..))
                else {
                    return;
                };
                let Some(r) = self.read.get_mut(*idx) else {
                    return;
                };
                let c = &mut r.component;
                match rel {
                    [N::Supplier] => c.supplier = Some(Box::new(org_party())),
                    [N::Manufacturer] => c.manufacturer = Some(Box::new(org_party())),
                    [N::Authors, N::Author] => c.authors.push(person()),
                    _ => {}
                }
            }
            None => match &self.stack[..] {
                [N::Bom, N::Metadata, N::Supplier] => self.meta_supplier = Some(org_party()),
                [N::Bom, N::Metadata, N::Manufacturer | N::Manufacture] => {
                    self.meta_manufacturer = Some(org_party())
                }
                [N::Bom, N::Metadata, N::Authors, N::Author] => self.meta_authors.push(person()),
                _ => {}
            },
        }
    }

    fn end(&mut self) {
        let depth = self.stack.len();
        if let Some(s) = self.skip {
            if depth > s {
                self.stack.pop();
                return;
            }
            self.skip = None;
            self.stack.pop();
            self.buf.clear();
            return;
        }
        let text = std::mem::take(&mut self.buf);
        let value = text.trim();
        match self.owners.last_mut() {
            Some((d, owner)) if *d <= depth => {
                let d = *d;
                if d == depth {
                    if let Some((_, owner)) = self.owners.pop() {
                        self.close_owner(owner);
                    }
                } else if let Some(rel) = self.stack.get(d..) {
                    match owner {
                        Owner::Comp {
                            idx,
                            licenses,
                            country,
                        } => {
                            if let Some(r) = self.read.get_mut(*idx) {
                                component_text(
                                    &mut r.component,
                                    licenses,
                                    country,
                                    rel,
                                    value,
                                    &self.hash_alg,
                                    &self.ref_type,
                                    &self.prop_name,
                                );
                            }
                        }
                        Owner::Tool(t) => tool_text(t, rel, value),
                    }
                }
            }
            _ => self.metadata_text(value),
        }
        self.buf = text;
        self.buf.clear();
        self.stack.pop();
        if self.stack.is_empty() {
            self.done = true;
        }
    }

    fn close_owner(&mut self, owner: Owner) {
        match owner {
            Owner::Comp {
                idx,
                licenses,
                country,
            } => {
                if let Some(r) = self.read.get_mut(idx) {
                    let c = &mut r.component;
                    c.licenses = common::join_licenses(licenses);
                    c.supplier = c
                        .supplier
                        .take()
                        .and_then(|p| common::non_empty(*p))
                        .map(Box::new);
                    c.manufacturer = c
                        .manufacturer
                        .take()
                        .and_then(|p| common::non_empty(*p))
                        .map(Box::new);
                    c.authors.retain(|a| !a.is_empty());
                    common::fill_country(c, country);
                }
            }
            Owner::Tool(t) => {
                let vendor = t.vendor.or(t.org).or(t.group).or(t.author);
                if let Some(s) =
                    common::tool_string(vendor.as_deref(), t.name.as_deref(), t.version.as_deref())
                {
                    self.tools.push(s);
                }
            }
        }
    }

    fn metadata_text(&mut self, value: &str) {
        match &self.stack[..] {
            [N::Bom, N::Metadata, N::Timestamp] => {
                self.b.document_mut().created = common::text(Some(value))
            }
            [N::Bom, N::Metadata, N::Supplier, rel @ ..] => {
                if let Some(p) = &mut self.meta_supplier {
                    org_text(p, rel, value);
                }
            }
            [N::Bom, N::Metadata, N::Manufacturer | N::Manufacture, rel @ ..] => {
                if let Some(p) = &mut self.meta_manufacturer {
                    org_text(p, rel, value);
                }
            }
            [N::Bom, N::Metadata, N::Authors, N::Author, rel @ ..] => {
                if let Some(p) = self.meta_authors.last_mut() {
                    contact_text(p, rel, value);
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Sbom {
        let authors: Vec<Party> = std::mem::take(&mut self.meta_authors)
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        let supplier = self.meta_supplier.take().and_then(common::non_empty);
        let manufacturer = self.meta_manufacturer.take().and_then(common::non_empty);
        let mut name = None;
        if let Some(r) = self.root_idx.and_then(|i| self.read.get_mut(i)) {
            let c = &mut r.component;
            if c.manufacturer.is_none() {
                c.manufacturer = manufacturer.map(Box::new);
            }
            if c.supplier.is_none() {
                c.supplier = supplier.clone().map(Box::new);
            }
            if c.country.is_none() {
                common::fill_country(c, None);
            }
            name = common::text(Some(&c.name));
        }
        let doc = self.b.document_mut();
        doc.tools = std::mem::take(&mut self.tools);
        doc.authors = authors;
        doc.supplier = supplier;
        doc.name = name;
        let mut b = self.b;
        common::build(&mut b, self.read, self.deps);
        b.finish()
    }
}

fn org_party() -> Party {
    Party {
        kind: PartyKind::Organization,
        ..Party::default()
    }
}

fn person() -> Party {
    Party {
        kind: PartyKind::Person,
        ..Party::default()
    }
}

/// Text inside an organizationalEntity, by its path below the entity.
fn org_text(p: &mut Party, rel: &[N], value: &str) {
    if value.is_empty() {
        return;
    }
    match rel {
        [N::Name] => p.name = Some(value.to_string()),
        [N::Url] => p.urls.push(value.to_string()),
        [N::Contact, N::Email] if p.email.is_none() => p.email = Some(value.to_string()),
        [N::Address, N::Country] => p.country = Some(value.to_string()),
        _ => {}
    }
}

/// Text inside an organizationalContact.
fn contact_text(p: &mut Party, rel: &[N], value: &str) {
    if value.is_empty() {
        return;
    }
    match rel {
        [N::Name] => p.name = Some(value.to_string()),
        [N::Email] => p.email = Some(value.to_string()),
        _ => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn component_text(
    c: &mut Component,
    licenses: &mut Vec<String>,
    country: &mut Option<String>,
    rel: &[N],
    value: &str,
    hash_alg: &str,
    ref_type: &str,
    prop_name: &str,
) {
    match rel {
        [N::Name] => c.name = value.to_string(),
        [N::Version] => c.version = common::text(Some(value)),
        [N::Purl] => c.purl = common::text(Some(value)),
        [N::Cpe] => c.cpes.extend(common::text(Some(value))),
        [N::Author] => c
            .authors
            .extend(common::named_party(PartyKind::Unknown, Some(value))),
        [N::Publisher] => {
            c.publisher = common::named_party(PartyKind::Unknown, Some(value)).map(Box::new)
        }
        [N::Supplier, rel @ ..] => {
            if let Some(p) = &mut c.supplier {
                org_text(p, rel, value);
            }
        }
        [N::Manufacturer, rel @ ..] => {
            if let Some(p) = &mut c.manufacturer {
                org_text(p, rel, value);
            }
        }
        [N::Authors, N::Author, rel @ ..] => {
            if let Some(p) = c.authors.last_mut() {
                contact_text(p, rel, value);
            }
        }
        [N::Hashes, N::Hash] => c.hashes.extend(common::hash(hash_alg, value)),
        [N::Licenses, N::License, N::Id | N::Name] | [N::Licenses, N::Expression]
            if !value.is_empty() =>
        {
            licenses.push(value.to_string());
        }
        [N::ExternalReferences, N::Reference, N::Url] => {
            if let Some(url) = common::text(Some(value)) {
                c.external_refs.push(ExternalRef {
                    kind: ExternalRefKind::parse(ref_type),
                    url,
                });
            }
        }
        [N::Properties, N::Property]
            if country.is_none() && common::is_country_property(prop_name) =>
        {
            *country = common::text(Some(value));
        }
        _ => {}
    }
}

fn tool_text(t: &mut ToolDraft, rel: &[N], value: &str) {
    let v = || common::text(Some(value));
    match rel {
        [N::Vendor] => t.vendor = v(),
        [N::Group] => t.group = v(),
        [N::Name] => t.name = v(),
        [N::Version] => t.version = v(),
        [N::Author] => t.author = v(),
        [N::Manufacturer | N::Supplier | N::Provider, N::Name] if t.org.is_none() => t.org = v(),
        _ => {}
    }
}
