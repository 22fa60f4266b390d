//! CycloneDX XML in, CycloneDX XML out: the original text kept byte for byte, new elements
//! spliced in where the schema orders them.
//!
//! One pass with quick-xml records byte offsets (component start and end tags, their
//! `supplier` and `properties` children, `metadata/tools`, the `<bom>` start tag); then the
//! edits are applied to the text. Nothing is re-serialised, so comments, processing
//! instructions, foreign namespaces and the document's own formatting survive.
//!
//! Schema order (CycloneDX 1.3 to 1.7 XSD): in a component, `supplier` is the first child and
//! `properties` comes before `components`, `evidence`, `releaseNotes`, `modelCard`, `data`,
//! `cryptoProperties` and `signature`; in an organisation `name`, `address`, `url`; in
//! `metadata`, `tools` comes after `timestamp` and `lifecycles`.
//!
//! Components are matched to the model by line ([`Location::Line`] is the line of the start
//! tag), then by order on that line, and checked against `bom-ref` where the document has one.

use super::{
    has_address, has_properties, has_supplier, spec_of, tools_as_object, EnrichError, Enriched,
    Note, Options, Stats, Supplier, PROPERTY_PREFIX,
};
use crate::model::{Location, Sbom};
use quick_xml::escape::{escape, partial_escape};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};
use std::collections::HashMap;

const NAMESPACE_PREFIX: &str = "http://cyclonedx.org/schema/bom/";

/// Children of a component that come after `properties`.
const AFTER_PROPERTIES: &[&str] = &[
    "components",
    "evidence",
    "releaseNotes",
    "modelCard",
    "data",
    "cryptoProperties",
    "signature",
];

/// Children of `metadata` that come after `tools`.
const AFTER_TOOLS: &[&str] = &[
    "authors",
    "component",
    "manufacture",
    "manufacturer",
    "supplier",
    "licenses",
    "properties",
];

/// What an open element is to the editor.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Bom,
    Metadata,
    Tools,
    ToolsComponents,
    /// A `tool` (legacy) or `component` under `metadata/tools`.
    ToolEntry {
        legacy: bool,
    },
    ToolName,
    BomComponents,
    /// A component of the document, index into `Scan::sites`.
    Comp(usize),
    CompComponents,
    CompProps(usize),
    /// A `property` named `sbomrisk:*` from an earlier run.
    OurProp(usize),
    Other,
}

struct Frame {
    role: Role,
    start: usize,
}

/// Where one component sits in the text.
#[derive(Debug, Default)]
struct Site {
    line: usize,
    bom_ref: Option<String>,
    /// `cdx:` when the element is written with a prefix.
    prefix: String,
    start: usize,
    after_start: usize,
    /// `<component .../>`: the end of the empty element.
    empty_end: Option<usize>,
    end_start: usize,
    has_supplier: bool,
    props_end: Option<usize>,
    props_empty: Option<(usize, usize)>,
    tail_first: Option<usize>,
    /// Spans of our own properties from an earlier run.
    ours: Vec<(usize, usize)>,
}

#[derive(Debug, Default)]
struct Container {
    start: usize,
    after_start: usize,
    empty_end: Option<usize>,
    end_start: usize,
}

#[derive(Debug, Default)]
struct ToolsSite {
    el: Container,
    components: Option<Container>,
    legacy: bool,
    /// Where `services` starts: a new `components` goes before it (schema order).
    services_start: Option<usize>,
    /// An sbomrisk entry from an earlier run: its span and whether it is a legacy `tool`.
    ours: Option<(usize, usize, bool)>,
}

#[derive(Debug, Default)]
struct Scan {
    bom: Option<Container>,
    bom_prefix: String,
    bom_first_child: Option<usize>,
    metadata: Option<Container>,
    meta_after_tools: Option<usize>,
    tools: Option<ToolsSite>,
    sites: Vec<Site>,
    tool_name: String,
    /// Line counting resumes here: offsets arrive in increasing order.
    line_at: (usize, usize),
}

pub(super) fn enrich(
    sbom: &Sbom,
    text: &str,
    notes: &[Note],
    opts: &Options,
) -> Result<Enriched<'static>, EnrichError> {
    let path = sbom.document.path.as_str();
    let scan = scan(path, text)?;
    let Some(bom) = &scan.bom else {
        return Err(EnrichError::input(path, "no <bom> element"));
    };
    let spec = spec_of(&sbom.document.spec_version);
    let mut stats = Stats {
        output: "cyclonedx-xml",
        spec_version: sbom.document.spec_version.clone(),
        ..Stats::default()
    };
    let mut warnings = Vec::new();
    warnings.extend(super::old_spec_warning(spec, &sbom.document.spec_version));
    let mut by_line: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, s) in scan.sites.iter().enumerate() {
        by_line.entry(s.line).or_default().push(i);
    }
    let mut used: HashMap<usize, usize> = HashMap::new();
    let mut edits: Vec<Edit> = Vec::new();
    let mut lost = 0usize;
    for note in notes {
        let c = sbom.component(note.component);
        let Some(Location::Line(line)) = c.location else {
            stats.not_in_document += 1;
            continue;
        };
        let line = line as usize;
        let k = used.entry(line).or_insert(0);
        let site = by_line
            .get(&line)
            .and_then(|v| v.get(*k))
            .and_then(|&i| scan.sites.get(i));
        *k += 1;
        let Some(site) = site else {
            lost += 1;
            continue;
        };
        if !c.bom_ref.starts_with(PROPERTY_PREFIX)
            && site.bom_ref.as_deref() != Some(c.bom_ref.as_str())
        {
            lost += 1;
            continue;
        }
        annotate(text, site, note, spec, opts, &mut stats, &mut edits);
    }
    if lost > 0 {
        warnings.push(format!(
            "{lost} component(s) not found at their line; left as they were"
        ));
    }
    stamp_metadata(text, &scan, bom, spec, &opts.tool_version, &mut edits);
    Ok(Enriched {
        body: super::Body::Text(apply(text, edits)),
        stats,
        warnings,
    })
}

/// One change to the text: replace `start..end` (empty for an insertion) with `text`.
#[derive(Debug)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    // Stable: insertions at one offset keep the order they were made in.
    edits.sort_by_key(|e| e.start);
    let mut out = String::with_capacity(text.len() + edits.len() * 128);
    let mut at = 0usize;
    for e in edits {
        if e.start < at {
            continue; // overlapping edits cannot be made by the scan; skipped defensively
        }
        out.push_str(text.get(at..e.start).unwrap_or_default());
        out.push_str(&e.text);
        at = e.end.max(e.start);
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

fn scan(path: &str, text: &str) -> Result<Scan, EnrichError> {
    let mut reader = NsReader::from_str(text);
    let mut st = Scan {
        line_at: (0, 1),
        ..Scan::default()
    };
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        let (cdx, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => {
                let cdx = match &ns {
                    ResolveResult::Bound(n) => n.as_ref().starts_with(NAMESPACE_PREFIX),
                    ResolveResult::Unbound => true,
                    ResolveResult::Unknown(_) => false,
                };
                (cdx, event)
            }
            Err(e) => {
                let at = reader.error_position() as usize;
                let (line, col) = crate::ingest::line_col(text, at);
                return Err(EnrichError::input(
                    path,
                    format!("line {line}, column {col}: malformed XML: {e}"),
                ));
            }
        };
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                let role = st.open(text, &stack, &e, cdx, before, after);
                stack.push(Frame {
                    role,
                    start: before,
                });
            }
            Event::Empty(e) => {
                let role = st.open(text, &stack, &e, cdx, before, after);
                st.close(role, before, after, before, true);
            }
            Event::End(_) => {
                if let Some(f) = stack.pop() {
                    st.close(f.role, f.start, after, before, false);
                }
                if stack.is_empty() && st.bom.is_some() {
                    break;
                }
            }
            Event::Text(t) => {
                if matches!(stack.last(), Some(f) if f.role == Role::ToolName) {
                    st.tool_name.push_str(&t.xml10_content());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(st)
}

fn local_name(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

fn prefix_of(e: &BytesStart<'_>) -> String {
    match e.name().prefix() {
        Some(p) => format!("{}:", p.as_ref()),
        None => String::new(),
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.trim().to_string())
        })
}

impl Scan {
    /// Records an element that opens at `start` and whose start tag ends at `after`.
    fn open(
        &mut self,
        text: &str,
        stack: &[Frame],
        e: &BytesStart<'_>,
        cdx: bool,
        start: usize,
        after: usize,
    ) -> Role {
        let parent = stack.last().map(|f| f.role);
        if parent == Some(Role::Bom) && self.bom_first_child.is_none() {
            self.bom_first_child = Some(start);
        }
        if !cdx {
            // Foreign elements (`xs:any namespace="##other"`) end a component's and metadata's
            // sequence: what we add goes before them.
            match parent {
                Some(Role::Comp(i)) => {
                    if let Some(s) = self.sites.get_mut(i) {
                        s.tail_first.get_or_insert(start);
                    }
                }
                Some(Role::Metadata) => {
                    self.meta_after_tools.get_or_insert(start);
                }
                _ => {}
            }
            return Role::Other;
        }
        let local = local_name(e);
        let container = || Container {
            start,
            after_start: after,
            ..Container::default()
        };
        match (parent, local.as_str()) {
            (None, "bom") => {
                self.bom = Some(container());
                self.bom_prefix = prefix_of(e);
                Role::Bom
            }
            (Some(Role::Bom), "metadata") => {
                self.metadata = Some(container());
                Role::Metadata
            }
            (Some(Role::Bom), "components") => Role::BomComponents,
            (Some(Role::Metadata), name) => {
                if AFTER_TOOLS.contains(&name) && self.meta_after_tools.is_none() {
                    self.meta_after_tools = Some(start);
                }
                match name {
                    "tools" => {
                        self.tools = Some(ToolsSite {
                            el: container(),
                            ..ToolsSite::default()
                        });
                        Role::Tools
                    }
                    "component" => self.site(text, e, start, after),
                    _ => Role::Other,
                }
            }
            (Some(Role::Tools), "components") => {
                if let Some(t) = &mut self.tools {
                    t.components = Some(container());
                }
                Role::ToolsComponents
            }
            (Some(Role::Tools), "services") => {
                if let Some(t) = &mut self.tools {
                    t.services_start.get_or_insert(start);
                }
                Role::Other
            }
            (Some(Role::Tools), "tool") => {
                if let Some(t) = &mut self.tools {
                    t.legacy = true;
                }
                self.tool_name.clear();
                Role::ToolEntry { legacy: true }
            }
            (Some(Role::ToolsComponents), "component") => {
                self.tool_name.clear();
                Role::ToolEntry { legacy: false }
            }
            (Some(Role::ToolEntry { .. }), "name") => Role::ToolName,
            (Some(Role::BomComponents | Role::CompComponents), "component") => {
                self.site(text, e, start, after)
            }
            (Some(Role::Comp(i)), name) => {
                let Some(s) = self.sites.get_mut(i) else {
                    return Role::Other;
                };
                if AFTER_PROPERTIES.contains(&name) && s.tail_first.is_none() {
                    s.tail_first = Some(start);
                }
                match name {
                    "supplier" => {
                        s.has_supplier = true;
                        Role::Other
                    }
                    "properties" => Role::CompProps(i),
                    "components" => Role::CompComponents,
                    _ => Role::Other,
                }
            }
            (Some(Role::CompProps(i)), "property") => match attr(e, "name") {
                Some(n) if n.starts_with(PROPERTY_PREFIX) => Role::OurProp(i),
                _ => Role::Other,
            },
            _ => Role::Other,
        }
    }

    fn site(&mut self, text: &str, e: &BytesStart<'_>, start: usize, after: usize) -> Role {
        let line = self.line_of(text, start);
        self.sites.push(Site {
            line,
            bom_ref: attr(e, "bom-ref"),
            prefix: prefix_of(e),
            start,
            after_start: after,
            ..Site::default()
        });
        Role::Comp(self.sites.len() - 1)
    }

    /// The 1-based line of `offset`, counting on from the previous call (linear overall).
    fn line_of(&mut self, text: &str, offset: usize) -> usize {
        let (from, line) = self.line_at;
        let (from, line) = if offset >= from { (from, line) } else { (0, 1) };
        let seen = text
            .as_bytes()
            .get(from..offset)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
        self.line_at = (offset, line + seen);
        line + seen
    }

    /// Records the end of an element: `start` of its start tag, `end` after its end tag,
    /// `end_start` where its end tag begins (`empty`: the element was `<x/>`).
    fn close(&mut self, role: Role, start: usize, end: usize, end_start: usize, empty: bool) {
        let fill = |c: &mut Container| {
            c.end_start = end_start;
            if empty {
                c.empty_end = Some(end);
            }
        };
        match role {
            Role::Bom => {
                if let Some(c) = &mut self.bom {
                    fill(c);
                }
            }
            Role::Metadata => {
                if let Some(c) = &mut self.metadata {
                    fill(c);
                }
            }
            Role::Tools => {
                if let Some(t) = &mut self.tools {
                    fill(&mut t.el);
                }
            }
            Role::ToolsComponents => {
                if let Some(c) = self.tools.as_mut().and_then(|t| t.components.as_mut()) {
                    fill(c);
                }
            }
            Role::ToolEntry { legacy } if self.tool_name.trim() == "sbomrisk" => {
                if let Some(t) = &mut self.tools {
                    t.ours.get_or_insert((start, end, legacy));
                }
            }
            Role::Comp(i) => {
                if let Some(s) = self.sites.get_mut(i) {
                    s.end_start = end_start;
                    if empty {
                        s.empty_end = Some(end);
                    }
                }
            }
            Role::CompProps(i) => {
                if let Some(s) = self.sites.get_mut(i) {
                    if empty {
                        s.props_empty = Some((start, end));
                    } else {
                        s.props_end = Some(end_start);
                    }
                }
            }
            Role::OurProp(i) => {
                if let Some(s) = self.sites.get_mut(i) {
                    s.ours.push((start, end));
                }
            }
            _ => {}
        }
    }
}

/// The whitespace that indents the line `offset` is on, if only whitespace comes before it.
fn indent_at(text: &str, offset: usize) -> Option<&str> {
    // Only a short way back: a minified document (one long line) has no indentation to copy,
    // and a long search per element would make the whole run quadratic.
    let from = offset.saturating_sub(256);
    let head = text.as_bytes().get(from..offset)?;
    let nl = head.iter().rposition(|&b| b == b'\n')?;
    let ind = text.get(from + nl + 1..offset)?;
    ind.chars().all(|c| c == ' ' || c == '\t').then_some(ind)
}

/// Elements placed right after a start tag: each on its own line, one level deeper.
fn after_open(indent: Option<&str>, elems: &[String]) -> String {
    elems
        .iter()
        .map(|e| match indent {
            Some(i) => format!("\n{i}  {e}"),
            None => e.clone(),
        })
        .collect()
}

/// Elements placed where an end tag starts (after its indentation): one level deeper, then the
/// end tag's indentation again.
fn before_close(indent: Option<&str>, elems: &[String]) -> String {
    elems
        .iter()
        .map(|e| match indent {
            Some(i) => format!("  {e}\n{i}"),
            None => e.clone(),
        })
        .collect()
}

/// Elements placed where a sibling's start tag starts.
fn before_sibling(indent: Option<&str>, elems: &[String]) -> String {
    elems
        .iter()
        .map(|e| match indent {
            Some(i) => format!("{e}\n{i}"),
            None => e.clone(),
        })
        .collect()
}

/// Deletes `start..end` and the blank indentation line it leaves.
fn delete_line(text: &str, start: usize, end: usize) -> Edit {
    let from = match indent_at(text, start) {
        Some(ind) => start - ind.len() - 1,
        None => start,
    };
    Edit {
        start: from,
        end,
        text: String::new(),
    }
}

fn el(p: &str, name: &str, value: &str) -> String {
    format!("<{p}{name}>{}</{p}{name}>", partial_escape(value))
}

fn supplier_xml(p: &str, s: &Supplier, address: bool) -> String {
    let mut inner = el(p, "name", &s.name);
    if let (true, Some(c)) = (address, &s.country) {
        inner.push_str(&format!("<{p}address>{}</{p}address>", el(p, "country", c)));
    }
    if let Some(u) = &s.url {
        inner.push_str(&el(p, "url", u));
    }
    format!("<{p}supplier>{inner}</{p}supplier>")
}

fn property_xml(p: &str, name: &str, value: &str) -> String {
    format!(
        "<{p}property name=\"{}\">{}</{p}property>",
        escape(name),
        partial_escape(value)
    )
}

fn annotate(
    text: &str,
    site: &Site,
    note: &Note,
    spec: (u32, u32),
    opts: &Options,
    stats: &mut Stats,
    edits: &mut Vec<Edit>,
) {
    let p = site.prefix.as_str();
    let mut supplier = None;
    if site.has_supplier {
        if note.supplier.is_some() {
            stats.suppliers_kept += 1;
        }
    } else if let (Some(s), true) = (note.supplier_for(opts), has_supplier(spec)) {
        supplier = Some(supplier_xml(p, s, has_address(spec)));
        stats.suppliers_added += 1;
    } else if note.supplier.is_some() {
        stats.suppliers_skipped += 1;
    }
    stats.annotated += 1;
    let props: Vec<String> = if has_properties(spec) {
        note.properties
            .iter()
            .map(|(k, v)| property_xml(p, k, v))
            .collect()
    } else {
        Vec::new()
    };
    let indent = indent_at(text, site.start);
    if let Some(end) = site.empty_end {
        // `<component .../>` becomes `<component ...>children</component>`.
        let tag = text.get(site.start..end).unwrap_or_default();
        let open = tag.trim_end_matches('>').trim_end_matches('/').trim_end();
        let qname = format!("{p}component");
        let mut children: Vec<String> = supplier.into_iter().collect();
        if !props.is_empty() {
            children.push(format!("<{p}properties>{}</{p}properties>", props.concat()));
        }
        let close = match indent {
            Some(i) => format!("\n{i}</{qname}>"),
            None => format!("</{qname}>"),
        };
        edits.push(Edit {
            start: site.start,
            end,
            text: format!("{open}>{}{close}", after_open(indent, &children)),
        });
        return;
    }
    if let Some(s) = supplier {
        edits.push(Edit {
            start: site.after_start,
            end: site.after_start,
            text: after_open(indent, &[s]),
        });
    }
    if props.is_empty() {
        return;
    }
    for &(s, e) in &site.ours {
        edits.push(delete_line(text, s, e));
    }
    let child = indent.map(|i| format!("{i}  "));
    let child = child.as_deref();
    if let Some(end) = site.props_end {
        edits.push(Edit {
            start: end,
            end,
            text: before_close(indent_at(text, end), &props),
        });
    } else if let Some((s, e)) = site.props_empty {
        edits.push(Edit {
            start: s,
            end: e,
            text: format!(
                "<{p}properties>{}</{p}properties>",
                after_open(child, &props) + &close_indent(child)
            ),
        });
    } else {
        let block = format!(
            "<{p}properties>{}{}</{p}properties>",
            after_open(child, &props),
            close_indent(child)
        );
        let text_at = match site.tail_first {
            Some(at) => (at, before_sibling(indent_at(text, at), &[block])),
            None => (
                site.end_start,
                before_close(indent_at(text, site.end_start), &[block]),
            ),
        };
        edits.push(Edit {
            start: text_at.0,
            end: text_at.0,
            text: text_at.1,
        });
    }
}

fn close_indent(indent: Option<&str>) -> String {
    indent.map(|i| format!("\n{i}")).unwrap_or_default()
}

/// The sbomrisk tool entry, the `version` attribute bumped by one.
fn stamp_metadata(
    text: &str,
    scan: &Scan,
    bom: &Container,
    spec: (u32, u32),
    version: &str,
    edits: &mut Vec<Edit>,
) {
    if let Some(e) = bump_version(text, bom) {
        edits.push(e);
    }
    // CycloneDX 1.0 and 1.1 have no metadata.
    if spec < (1, 2) {
        return;
    }
    let p = scan.bom_prefix.as_str();
    let legacy_entry = format!(
        "<{p}tool>{}{}{}</{p}tool>",
        el(p, "vendor", "sbomrisk"),
        el(p, "name", "sbomrisk"),
        el(p, "version", version)
    );
    let modern_entry = format!(
        "<{p}component type=\"application\">{}{}</{p}component>",
        el(p, "name", "sbomrisk"),
        el(p, "version", version)
    );
    let modern = tools_as_object(spec);
    let fresh_tools = || {
        if modern {
            format!("<{p}tools><{p}components>{modern_entry}</{p}components></{p}tools>")
        } else {
            format!("<{p}tools>{legacy_entry}</{p}tools>")
        }
    };
    match (&scan.metadata, &scan.tools) {
        (_, Some(t)) => {
            if let Some((s, e, legacy)) = t.ours {
                let entry = if legacy { &legacy_entry } else { &modern_entry };
                edits.push(Edit {
                    start: s,
                    end: e,
                    text: entry.clone(),
                });
            } else if let Some(c) = &t.components {
                edits.push(into_container(
                    text,
                    c,
                    &modern_entry,
                    &format!("{p}components"),
                ));
            } else if t.legacy || !modern {
                edits.push(into_container(
                    text,
                    &t.el,
                    &legacy_entry,
                    &format!("{p}tools"),
                ));
            } else {
                let block = format!("<{p}components>{modern_entry}</{p}components>");
                match t.services_start {
                    Some(at) => edits.push(Edit {
                        start: at,
                        end: at,
                        text: before_sibling(indent_at(text, at), &[block]),
                    }),
                    None => edits.push(into_container(text, &t.el, &block, &format!("{p}tools"))),
                }
            }
        }
        (Some(m), None) => match (scan.meta_after_tools, m.empty_end) {
            (_, Some(_)) => edits.push(into_container(
                text,
                m,
                &fresh_tools(),
                &format!("{p}metadata"),
            )),
            (Some(at), None) => edits.push(Edit {
                start: at,
                end: at,
                text: before_sibling(indent_at(text, at), &[fresh_tools()]),
            }),
            (None, None) => edits.push(into_container(
                text,
                m,
                &fresh_tools(),
                &format!("{p}metadata"),
            )),
        },
        (None, None) => {
            let block = format!("<{p}metadata>{}</{p}metadata>", fresh_tools());
            match (scan.bom_first_child, bom.empty_end) {
                (Some(at), _) => edits.push(Edit {
                    start: at,
                    end: at,
                    text: before_sibling(indent_at(text, at), &[block]),
                }),
                (None, _) => edits.push(into_container(text, bom, &block, &format!("{p}bom"))),
            }
        }
    }
}

/// Puts `elem` as the last child of `c` (an empty element `<x/>` is opened and closed).
fn into_container(text: &str, c: &Container, elem: &str, qname: &str) -> Edit {
    match c.empty_end {
        Some(end) => {
            let tag = text.get(c.start..end).unwrap_or_default();
            let open = tag.trim_end_matches('>').trim_end_matches('/').trim_end();
            Edit {
                start: c.start,
                end,
                text: format!("{open}>{elem}</{qname}>"),
            }
        }
        None => Edit {
            start: c.end_start,
            end: c.end_start,
            text: before_close(indent_at(text, c.end_start), &[elem.to_string()]),
        },
    }
}

/// Rewrites the `version` attribute of the `<bom>` start tag to one more (absent means 1).
fn bump_version(text: &str, bom: &Container) -> Option<Edit> {
    let tag_end = bom.empty_end.unwrap_or(bom.after_start);
    let tag = text.get(bom.start..tag_end)?;
    match find_attr(tag, "version") {
        Some((vs, ve)) => {
            let old: u64 = tag.get(vs..ve)?.trim().parse().ok()?;
            Some(Edit {
                start: bom.start + vs,
                end: bom.start + ve,
                text: old.saturating_add(1).to_string(),
            })
        }
        None => {
            let close = if tag.ends_with("/>") { 2 } else { 1 };
            let at = bom.start + tag.len() - close;
            Some(Edit {
                start: at,
                end: at,
                text: " version=\"2\"".to_string(),
            })
        }
    }
}

/// The span of the value of attribute `name` (unprefixed) in a start tag `<x a="1" b='2'>`.
fn find_attr(tag: &str, name: &str) -> Option<(usize, usize)> {
    let b = tag.as_bytes();
    let mut i = 1;
    // the element name
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let ks = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() && b[i] != b'>' {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' || ks == i {
            return None;
        }
        let key = tag.get(ks..i)?;
        while i < b.len() && b[i] != b'=' {
            i += 1;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let q = *b.get(i)?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let vs = i + 1;
        let ve = vs + tag.get(vs..)?.find(q as char)?;
        if key == name {
            return Some((vs, ve));
        }
        i = ve + 1;
    }
}

#[cfg(test)]
pub(super) fn find_attr_for_tests(tag: &str, name: &str) -> Option<(usize, usize)> {
    find_attr(tag, name)
}
