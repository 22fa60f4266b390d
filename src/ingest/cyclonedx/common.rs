//! What the JSON and XML readers share: spec versions, component types, licences, tools,
//! parties and the order in which a read document is handed to the builder.

use crate::model::{
    Component, ComponentId, ComponentKind, DiagnosticCode, Hash, Party, PartyKind, RelationKind,
    SbomBuilder,
};
use std::borrow::Cow;

/// Spec versions this reader knows. JSON exists from 1.2; XML from 1.0.
const KNOWN_VERSIONS: &[&str] = &["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"];

/// Records the spec version; a missing or unknown one gives I012 and the document is read
/// leniently with the newest rules.
pub(super) fn set_spec_version(b: &mut SbomBuilder, raw: Option<&str>, location: &str) {
    match raw.map(crate::model::trim) {
        Some(v) if KNOWN_VERSIONS.contains(&v) => b.document_mut().spec_version = v.to_string(),
        Some(v) if !v.is_empty() => {
            b.document_mut().spec_version = v.to_string();
            b.warn(
                DiagnosticCode::UnknownSpecVersion,
                format!("CycloneDX spec version '{v}' is not one this tool knows (1.0 to 1.7); read as 1.7"),
                Some(location.to_string()),
            );
        }
        _ => b.warn(
            DiagnosticCode::UnknownSpecVersion,
            "the document does not say which CycloneDX spec version it follows; read as 1.7",
            Some(location.to_string()),
        ),
    }
}

/// Maps a CycloneDX `type`. Absent means library (the field is required; tools that omit it
/// write libraries); an unknown name gives I007 and kind `other`.
pub(super) fn component_kind(
    b: &mut SbomBuilder,
    raw: Option<&str>,
    location: impl FnOnce() -> String,
) -> ComponentKind {
    let Some(raw) = raw.map(crate::model::trim).filter(|s| !s.is_empty()) else {
        return ComponentKind::Library;
    };
    // The spelling every tool writes, without the allocation of the general folding.
    let exact = match raw {
        "library" => Some(ComponentKind::Library),
        "application" => Some(ComponentKind::Application),
        "framework" => Some(ComponentKind::Framework),
        "file" => Some(ComponentKind::File),
        "operating-system" => Some(ComponentKind::OperatingSystem),
        "container" => Some(ComponentKind::Container),
        "firmware" => Some(ComponentKind::Firmware),
        "device" => Some(ComponentKind::Device),
        _ => None,
    };
    match exact.or_else(|| ComponentKind::parse(raw)) {
        Some(k) => k,
        None => {
            b.warn(
                DiagnosticCode::UnknownComponentType,
                format!(
                    "component type '{raw}' is not in the CycloneDX specification; kept as 'other'"
                ),
                Some(location()),
            );
            ComponentKind::Other
        }
    }
}

/// Joins the licence choices of one component into one SPDX expression. Compound parts are
/// parenthesised so that `A OR B` and `C` become `(A OR B) AND C`.
pub(super) fn join_licenses<S: AsRef<str>>(parts: Vec<S>) -> Option<String> {
    let mut parts: Vec<&str> = parts
        .iter()
        .map(|p| crate::model::trim(p.as_ref()))
        .filter(|p| !p.is_empty())
        .collect();
    match parts.len() {
        0 => None,
        1 => parts.pop().map(str::to_string),
        _ => Some(
            parts
                .iter()
                .map(|p| {
                    if p.contains(' ') && !(p.starts_with('(') && p.ends_with(')')) {
                        format!("({p})")
                    } else {
                        p.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

/// `vendor name version` of a tool, skipping the parts it lacks.
pub(super) fn tool_string(
    vendor: Option<&str>,
    name: Option<&str>,
    version: Option<&str>,
) -> Option<String> {
    let parts: Vec<&str> = [vendor, name, version]
        .into_iter()
        .flatten()
        .map(crate::model::trim)
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A property that declares a country: `country`, or a namespaced name ending in `country`
/// (`cdx:...:country`, `acme:origin-country`).
pub(super) fn is_country_property(name: &str) -> bool {
    let n = crate::model::trim(name);
    // `get`, not indexing: the cut may fall inside a multi-byte character.
    n.len()
        .checked_sub(7)
        .and_then(|cut| n.get(cut..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case("country"))
}

/// A digest with its algorithm upper-cased.
pub(super) fn hash(alg: &str, value: &str) -> Option<Hash> {
    let value = crate::model::trim(value);
    (!value.is_empty()).then(|| Hash {
        alg: Hash::algorithm(crate::model::trim(alg)),
        value: value.to_string(),
    })
}

/// Trimmed, non-empty text as an owned string.
pub(super) fn text(s: Option<&str>) -> Option<String> {
    s.map(crate::model::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A party known only by a name written as free text (legacy `author`, `publisher`).
pub(super) fn named_party(kind: PartyKind, name: Option<&str>) -> Option<Party> {
    text(name).map(|name| Party {
        kind,
        name: Some(name),
        ..Party::default()
    })
}

/// Some(party) unless the party is empty.
pub(super) fn non_empty(p: Party) -> Option<Party> {
    (!p.is_empty()).then_some(p)
}

/// The country a component declares: its own country property first, then the address of its
/// manufacturer, then of its supplier.
pub(super) fn fill_country(c: &mut Component, property_country: Option<String>) {
    c.country = property_country
        .or_else(|| c.manufacturer.as_ref().and_then(|p| p.country.clone()))
        .or_else(|| c.supplier.as_ref().and_then(|p| p.country.clone()));
}

/// A component read from the document, waiting to be handed to the builder.
pub(super) struct Read {
    pub component: Component,
    /// Index (in read order) of the component it is nested in.
    pub parent: Option<usize>,
    pub root: bool,
}

/// A `dependencies` entry: `ref` depends on each of `depends_on`, `provides` each of `provides`.
pub(super) struct Dependency<'a> {
    pub from: Cow<'a, str>,
    pub depends_on: Vec<Cow<'a, str>>,
    pub provides: Vec<Cow<'a, str>>,
    pub location: DepLocation,
}

/// Where a dependency entry is written.
pub(super) enum DepLocation {
    Index(usize),
    Line(usize),
}

impl DepLocation {
    fn show(&self) -> String {
        match self {
            DepLocation::Index(i) => format!("/dependencies/{i}"),
            DepLocation::Line(l) => format!("line {l}"),
        }
    }
}

/// Hands everything to the builder in the order it wants: components, roots, nesting, then
/// the dependency graph.
pub(super) fn build(b: &mut SbomBuilder, read: Vec<Read>, deps: Vec<Dependency<'_>>) {
    let mut ids: Vec<ComponentId> = Vec::with_capacity(read.len());
    let mut links: Vec<(usize, bool)> = Vec::with_capacity(read.len());
    for r in read {
        links.push((r.parent.unwrap_or(usize::MAX), r.root));
        ids.push(b.add_component(r.component));
    }
    for (i, &(_, root)) in links.iter().enumerate() {
        if root {
            b.mark_root(ids[i]);
        }
    }
    for (i, &(parent, _)) in links.iter().enumerate() {
        if let Some(&p) = ids.get(parent) {
            b.relate(p, ids[i], RelationKind::Contains, Cow::Borrowed("nested"));
        }
    }
    relate_dependencies(b, deps);
}

/// Adds the `dependencies` edges; call after every component is added.
pub(super) fn relate_dependencies(b: &mut SbomBuilder, deps: Vec<Dependency<'_>>) {
    for d in deps {
        relate_dependency(b, &d);
    }
}

/// Adds the edges of one `dependencies` entry; every component it may name must be added.
pub(super) fn relate_dependency(b: &mut SbomBuilder, d: &Dependency<'_>) {
    let from = crate::model::trim(&d.from);
    if from.is_empty() {
        b.warn(
            DiagnosticCode::SkippedValue,
            "a dependency entry without 'ref' was skipped",
            Some(d.location.show()),
        );
        return;
    }
    // A source that names a component is looked up once for all its targets; one that
    // does not goes target by target, each warning as before.
    let source = b.lookup(from);
    for (targets, kind, name) in [
        (&d.depends_on, RelationKind::DependsOn, "dependsOn"),
        (&d.provides, RelationKind::Other, "provides"),
    ] {
        let targets = targets.iter().map(|t| crate::model::trim(t));
        match source {
            Some(f) => b.relate_from(f, targets, kind, Cow::Borrowed(name), || d.location.show()),
            None => {
                for to in targets {
                    b.relate_refs(from, to, kind, Cow::Borrowed(name), || d.location.show());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_properties() {
        assert!(is_country_property("country"));
        assert!(is_country_property("cdx:origin:Country"));
        assert!(!is_country_property("count"));
        assert!(!is_country_property("countryside"));
        // A cut inside a multi-byte character is not a panic.
        assert!(!is_country_property("ééééé"));
        assert!(is_country_property("éécountry"));
    }

    #[test]
    fn licenses_join_with_parentheses() {
        assert_eq!(join_licenses(vec!["MIT"]), Some("MIT".to_string()));
        assert_eq!(join_licenses(Vec::<String>::new()), None);
        assert_eq!(
            join_licenses(vec!["MIT", " ", "(A OR B)", "C WITH D"]),
            Some("MIT AND (A OR B) AND (C WITH D)".to_string())
        );
    }

    #[test]
    fn tool_strings_skip_missing_parts() {
        assert_eq!(
            tool_string(None, Some("syft"), Some("1.0")),
            Some("syft 1.0".into())
        );
        assert_eq!(tool_string(Some(" "), None, None), None);
    }
}
