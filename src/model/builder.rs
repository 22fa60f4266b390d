//! [`SbomBuilder`]: the one way parsers fill the model. It owns the id index, so every format
//! gets the same treatment of duplicate ids, dangling references and references to elements
//! that are not components (SPDX files, snippets, the document itself).

use super::{
    Asserted, Component, ComponentId, Diagnostic, DiagnosticCode, DocumentInfo, Format, Relation,
    RelationKind, Role, Sbom, Serialization,
};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::collections::HashMap as StdHashMap;

/// How many diagnostics of one code are kept with full detail; the rest are counted in a
/// summary diagnostic so that a broken 100k-component SBOM does not produce 100k messages.
pub const MAX_DIAGNOSTICS_PER_CODE: usize = 200;

/// Builds an [`Sbom`]. Add every element first, then relations, then call [`finish`].
///
/// [`finish`]: SbomBuilder::finish
pub struct SbomBuilder {
    sbom: Sbom,
    index: RefIndex,
    non_components: HashSet<String>,
    seen_edges: HashSet<(u32, u32, RelationKind)>,
    overflow: StdHashMap<DiagnosticCode, usize>,
    per_code: StdHashMap<DiagnosticCode, usize>,
    /// Components handed out by [`SbomBuilder::component_mut`]: their masks are taken again.
    edited: Vec<ComponentId>,
    /// Index of each relation source type in `sbom.relation_types`, and the last one used.
    type_ids: HashMap<Cow<'static, str>, u32>,
    last_type: u32,
}

impl SbomBuilder {
    pub fn new(path: &str, format: Format, serialization: Serialization) -> SbomBuilder {
        SbomBuilder::with_capacity(path, format, serialization, 0)
    }

    /// A builder that expects about `components` components.
    pub fn with_capacity(
        path: &str,
        format: Format,
        serialization: Serialization,
        components: usize,
    ) -> SbomBuilder {
        SbomBuilder {
            sbom: Sbom {
                document: DocumentInfo {
                    path: path.to_string(),
                    format: Some(format),
                    serialization: Some(serialization),
                    ..DocumentInfo::default()
                },
                components: Vec::with_capacity(components),
                asserted: Vec::with_capacity(components),
                ..Sbom::default()
            },
            index: RefIndex::with_capacity(components),
            non_components: HashSet::default(),
            seen_edges: HashSet::with_capacity_and_hasher(components * 3, Default::default()),
            overflow: StdHashMap::new(),
            per_code: StdHashMap::new(),
            edited: Vec::new(),
            type_ids: HashMap::default(),
            last_type: 0,
        }
    }

    pub fn document_mut(&mut self) -> &mut DocumentInfo {
        &mut self.sbom.document
    }

    /// Adds a component and returns its id. An empty `bom_ref` gets a generated one
    /// (`sbomrisk:N`); a duplicate keeps its node but the id stays with the first holder.
    pub fn add_component(&mut self, mut component: Component) -> ComponentId {
        let id = ComponentId(self.sbom.components.len() as u32);
        // Text a report repeats (names, versions, licences, party names) is bounded: a 10 MB
        // name would otherwise be copied into every summary, finding and page that shows it.
        let mut cut = false;
        cut |= clip(&mut component.name);
        for v in [&mut component.version, &mut component.licenses]
            .into_iter()
            .flatten()
        {
            cut |= clip(v);
        }
        for p in [
            &mut component.supplier,
            &mut component.manufacturer,
            &mut component.publisher,
            &mut component.originator,
        ]
        .into_iter()
        .flatten()
        {
            if let Some(n) = &mut p.name {
                cut |= clip(n);
            }
        }
        for p in &mut component.authors {
            if let Some(n) = &mut p.name {
                cut |= clip(n);
            }
        }
        // Where a diagnostic about the component points.
        let location = |c: &Component| c.location.as_ref().map(|l| l.to_string());
        if cut {
            self.warn(
                DiagnosticCode::SkippedValue,
                format!(
                    "component '{}': text longer than {MAX_FIELD} bytes cut to that length",
                    clip_str(&component.bom_ref)
                ),
                location(&component),
            );
        }
        if component.bom_ref.is_empty() {
            component.bom_ref = format!("sbomrisk:{}", id.0);
        }
        // A list built by pushing or collecting from a filter starts at four slots: for the
        // one hash or reference most components have, three slots (up to 144 bytes) are
        // wasted per component, a tenth of the model. Trimmed here, for every reader.
        component.hashes.shrink_to_fit();
        component.external_refs.shrink_to_fit();
        component.cpes.shrink_to_fit();
        component.authors.shrink_to_fit();
        if super::trim(&component.name).is_empty() {
            self.warn(
                DiagnosticCode::MissingField,
                format!("component '{}' has no name", component.bom_ref),
                location(&component),
            );
        }
        let duplicate = self.index.get(&component.bom_ref).is_some();
        if duplicate {
            self.warn(
                DiagnosticCode::DuplicateId,
                format!(
                    "id '{}' is used by more than one element",
                    component.bom_ref
                ),
                location(&component),
            );
        }
        // Taken now, while the component's text is in the cache.
        self.sbom.asserted.push(Asserted::of(&component));
        self.sbom.components.push(component);
        if !duplicate {
            self.index
                .insert(&self.sbom.components[id.index()].bom_ref, id);
        }
        id
    }

    /// Records the id of an element that is not a component (an SPDX file or snippet, the
    /// document); relations to it are dropped silently instead of being reported as dangling.
    pub fn add_non_component(&mut self, id: &str) {
        if self.index.get(id).is_none() {
            self.non_components.insert(id.to_string());
        }
    }

    /// The component holding `bom_ref`, if any.
    pub fn lookup(&self, bom_ref: &str) -> Option<ComponentId> {
        self.index.get(bom_ref)
    }

    /// True when `id` names a known non-component element.
    pub fn is_non_component(&self, id: &str) -> bool {
        self.non_components.contains(id)
    }

    /// The component to edit. Its `bom_ref` must not change: the id index keeps it as it was
    /// added.
    pub fn component_mut(&mut self, id: ComponentId) -> &mut Component {
        self.edited.push(id);
        &mut self.sbom.components[id.index()]
    }

    pub fn components(&self) -> &[Component] {
        &self.sbom.components
    }

    /// Marks a component as (one of) the product root(s).
    pub fn mark_root(&mut self, id: ComponentId) {
        let c = &mut self.sbom.components[id.index()];
        if c.role != Role::Root {
            c.role = Role::Root;
            self.sbom.roots.push(id);
        }
    }

    /// Adds a relation between two known components. Self-loops and exact repeats are dropped.
    pub fn relate(
        &mut self,
        from: ComponentId,
        to: ComponentId,
        kind: RelationKind,
        source_type: Cow<'static, str>,
    ) {
        if from == to || !self.seen_edges.insert((from.0, to.0, kind)) {
            return;
        }
        let type_index = self.type_index(source_type);
        self.sbom.relations.push(Relation {
            from,
            to,
            kind,
            inferred: false,
            type_index,
        });
    }

    /// The index of a relation's source type in `relation_types`, added on first use. The
    /// last one used is tried first: documents write runs of one type.
    fn type_index(&mut self, source_type: Cow<'static, str>) -> u32 {
        let types = &mut self.sbom.relation_types;
        if types
            .get(self.last_type as usize)
            .is_some_and(|t| *t == source_type)
        {
            return self.last_type;
        }
        let i = match self.type_ids.get(source_type.as_ref()) {
            Some(&i) => i,
            None => {
                let i = types.len() as u32;
                types.push(source_type.clone());
                self.type_ids.insert(source_type, i);
                i
            }
        };
        self.last_type = i;
        i
    }

    /// Adds a relation between two ids as written in the document. An id that names no element
    /// gives an I001 warning; one that names a non-component element drops the relation quietly.
    /// Returns whether the relation was added.
    pub fn relate_refs(
        &mut self,
        from: &str,
        to: &str,
        kind: RelationKind,
        source_type: Cow<'static, str>,
        location: impl Fn() -> String,
    ) -> bool {
        let f = self.resolve(from, &location);
        let t = self.resolve(to, &location);
        match (f, t) {
            (Some(f), Some(t)) => {
                self.relate(f, t, kind, source_type);
                true
            }
            _ => false,
        }
    }

    /// Adds relations from one resolved component to ids as written in the document (a
    /// dependency entry's `dependsOn`): the source is looked up once, not once per target.
    /// Targets that name no element give I001 as in [`relate_refs`](SbomBuilder::relate_refs).
    pub fn relate_from<'t>(
        &mut self,
        from: ComponentId,
        to: impl IntoIterator<Item = &'t str>,
        kind: RelationKind,
        source_type: Cow<'static, str>,
        location: impl Fn() -> String,
    ) {
        for t in to {
            if let Some(t) = self.resolve(t, &location) {
                self.relate(from, t, kind, source_type.clone());
            }
        }
    }

    fn resolve(&mut self, r: &str, location: &impl Fn() -> String) -> Option<ComponentId> {
        if let Some(id) = self.index.get(r) {
            return Some(id);
        }
        if !self.non_components.contains(r) {
            self.push_with(DiagnosticCode::DanglingReference, || {
                Diagnostic::new(
                    DiagnosticCode::DanglingReference,
                    format!("reference to undefined element '{r}'"),
                )
                .at(location())
            });
        }
        None
    }

    /// Like [`push`](SbomBuilder::push), but builds the diagnostic only when it will be kept:
    /// a badly broken document with 100k dangling references costs a counter, not 100k strings.
    pub fn push_with(&mut self, code: DiagnosticCode, make: impl FnOnce() -> Diagnostic) {
        if self.per_code.get(&code).copied().unwrap_or(0) >= MAX_DIAGNOSTICS_PER_CODE {
            *self.per_code.entry(code).or_default() += 1;
            *self.overflow.entry(code).or_default() += 1;
        } else {
            self.push(make());
        }
    }

    /// Records a diagnostic. Beyond [`MAX_DIAGNOSTICS_PER_CODE`] of one code, only counts.
    pub fn push(&mut self, d: Diagnostic) {
        let n = self.per_code.entry(d.code).or_default();
        *n += 1;
        if *n > MAX_DIAGNOSTICS_PER_CODE {
            *self.overflow.entry(d.code).or_default() += 1;
        } else {
            self.sbom.diagnostics.push(d);
        }
    }

    /// Shorthand for a diagnostic with an optional location.
    pub fn warn(
        &mut self,
        code: DiagnosticCode,
        message: impl Into<String>,
        location: Option<String>,
    ) {
        let mut d = Diagnostic::new(code, message);
        d.location = location;
        self.push(d);
    }

    /// Number of components added so far.
    pub fn len(&self) -> usize {
        self.sbom.components.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sbom.components.is_empty()
    }

    /// Returns the model. Adds a synthetic root when the document names none.
    pub fn finish(mut self) -> Sbom {
        if self.sbom.roots.is_empty() {
            let name = self
                .sbom
                .document
                .name
                .clone()
                .unwrap_or_else(|| "(unnamed product)".to_string());
            self.push(Diagnostic::new(
                DiagnosticCode::NoRoot,
                format!("the document names no product; a synthetic root '{name}' was added"),
            ));
            let mut root = Component::new("sbomrisk:root", name);
            root.kind = super::ComponentKind::Application;
            root.role = Role::Root;
            let id = ComponentId(self.sbom.components.len() as u32);
            self.sbom.asserted.push(Asserted::of(&root));
            self.sbom.components.push(root);
            self.sbom.roots.push(id);
        }
        for id in std::mem::take(&mut self.edited) {
            if let (Some(c), Some(a)) = (
                self.sbom.components.get(id.index()),
                self.sbom.asserted.get_mut(id.index()),
            ) {
                *a = Asserted::of(c);
            }
        }
        let mut overflow: Vec<_> = self.overflow.into_iter().collect();
        overflow.sort();
        for (code, n) in overflow {
            self.sbom.diagnostics.push(Diagnostic::new(
                code,
                format!("... and {n} more '{}' diagnostics not listed", code.title()),
            ));
        }
        self.sbom
    }
}

/// Component ids by `bom_ref`. The ids are copied end to end into one string (`text`), and a
/// slot holds a component's index and where its id lies in that string: a lookup reads the
/// table and then that one place, instead of the component and then its id's own allocation
/// (two cache misses; the lookups of an SBOM's dependencies were a fifth of reading it). The
/// copy costs the ids' bytes and no allocation each. The first holder of an id keeps it.
struct RefIndex {
    text: String,
    table: hashbrown::HashTable<Slot>,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    /// Start of the id in `RefIndex::text`.
    at: usize,
    len: u32,
    component: u32,
}

impl RefIndex {
    fn with_capacity(n: usize) -> RefIndex {
        RefIndex {
            text: String::new(),
            table: hashbrown::HashTable::with_capacity(n),
        }
    }

    fn hash(r: &[u8]) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(r)
    }

    fn key(text: &str, s: Slot) -> &[u8] {
        text.as_bytes()
            .get(s.at..s.at + s.len as usize)
            .unwrap_or_default()
    }

    fn get(&self, r: &str) -> Option<ComponentId> {
        let r = r.as_bytes();
        self.table
            .find(Self::hash(r), |&s| Self::key(&self.text, s) == r)
            .map(|s| ComponentId(s.component))
    }

    /// Indexes `id` under `bom_ref` (not indexed yet). An id longer than `u32::MAX` bytes (no
    /// input reaches that) is not indexed.
    fn insert(&mut self, bom_ref: &str, id: ComponentId) {
        let Ok(len) = u32::try_from(bom_ref.len()) else {
            return;
        };
        let slot = Slot {
            at: self.text.len(),
            len,
            component: id.0,
        };
        self.text.push_str(bom_ref);
        let RefIndex { text, table } = self;
        table.insert_unique(Self::hash(bom_ref.as_bytes()), slot, |&s| {
            Self::hash(Self::key(text, s))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    fn builder() -> SbomBuilder {
        SbomBuilder::new("t.json", Format::CycloneDx, Serialization::Json)
    }

    #[test]
    fn asserted_masks_follow_edits_and_the_synthetic_root() {
        let mut b = builder();
        let a = b.add_component(Component::new("a", "NOASSERTION"));
        let c = b.add_component(Component::new("c", "libc"));
        b.component_mut(a).name = "busybox".into();
        b.component_mut(c).version = Some("1.2.3".into());
        let sbom = b.finish();
        let recorded = sbom.recorded_asserted().expect("one mask per component");
        for (c, a) in sbom.components.iter().zip(recorded) {
            assert_eq!(*a, Asserted::of(c), "{}", c.bom_ref);
        }
        assert_eq!(sbom.asserted(a.index()), Asserted::NAME);
        assert_eq!(sbom.asserted(c.index()), Asserted::NAME | Asserted::VERSION);
        // The synthetic root added by `finish` has its mask too.
        assert_eq!(sbom.components.len(), 3);
        assert_eq!(sbom.asserted(2), Asserted::NAME);

        // A component pushed afterwards: the masks no longer line up and are computed afresh.
        let mut grown = sbom.clone();
        grown.components.push(Component::new("z", "NONE"));
        assert!(grown.recorded_asserted().is_none());
        assert_eq!(grown.asserted(3), Asserted::empty());
        grown.components[0].name = "NONE".into();
        assert_eq!(grown.asserted(0), Asserted::empty());
    }

    /// The id index holds no copy of the ids: lookups stay right while it grows and rehashes,
    /// ids that differ only in case or whitespace are distinct, and the first holder wins.
    #[test]
    fn id_index_survives_growth() {
        let mut b = builder();
        let ids: Vec<_> = (0..5_000)
            .map(|i| b.add_component(Component::new(format!("pkg:npm/p{i}@1"), "p")))
            .collect();
        let again = b.add_component(Component::new("pkg:npm/p17@1", "dup"));
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(b.lookup(&format!("pkg:npm/p{i}@1")), Some(*id));
        }
        assert_ne!(again, ids[17]);
        assert_eq!(b.lookup("pkg:npm/p17@1"), Some(ids[17]));
        assert_eq!(b.lookup("PKG:npm/p17@1"), None);
        assert_eq!(b.lookup("pkg:npm/p17@1 "), None);
        assert_eq!(b.lookup(""), None);
        // A component without an id gets `sbomrisk:N`, found under that name.
        let blank = b.add_component(Component::new("", "blank"));
        assert_eq!(b.lookup(&format!("sbomrisk:{}", blank.0)), Some(blank));
    }

    /// Lists built by pushing keep no spare slots once the component is added.
    #[test]
    fn component_lists_are_trimmed() {
        let mut b = builder();
        let mut c = Component::new("a", "a");
        c.hashes.push(crate::model::Hash {
            alg: "SHA-256".into(),
            value: "00".into(),
        });
        c.cpes.push("cpe:2.3:a:x:y:1:*:*:*:*:*:*:*".into());
        assert!(c.hashes.capacity() > 1, "a first push reserves spare slots");
        let id = b.add_component(c);
        let s = b.finish();
        let c = s.component(id);
        assert_eq!((c.hashes.len(), c.hashes.capacity()), (1, 1));
        assert_eq!((c.cpes.len(), c.cpes.capacity()), (1, 1));
    }

    /// Relations keep their source type as an index into the SBOM's list of types.
    #[test]
    fn relation_source_types_are_kept_once() {
        let mut b = builder();
        let ids: Vec<_> = (0..4)
            .map(|i| b.add_component(Component::new(format!("c{i}"), "c")))
            .collect();
        b.relate(ids[0], ids[1], RelationKind::DependsOn, "dependsOn".into());
        b.relate(
            ids[0],
            ids[2],
            RelationKind::Other,
            Cow::Owned("friendOf".into()),
        );
        b.relate(ids[1], ids[2], RelationKind::DependsOn, "dependsOn".into());
        b.relate(
            ids[2],
            ids[3],
            RelationKind::Other,
            Cow::Owned("friendOf".into()),
        );
        b.relate(ids[2], ids[3], RelationKind::Other, "repeat-dropped".into());
        let s = b.finish();
        let types: Vec<_> = s.relations.iter().map(|r| s.source_type(r)).collect();
        assert_eq!(types, ["dependsOn", "friendOf", "dependsOn", "friendOf"]);
        assert_eq!(s.relation_types, ["dependsOn", "friendOf"]);
        assert_eq!(std::mem::size_of::<Relation>(), 16);
    }

    #[test]
    fn duplicate_id_is_kept_and_reported() {
        let mut b = builder();
        let a = b.add_component(Component::new("x", "first"));
        let second = b.add_component(Component::new("x", "second"));
        assert_ne!(a, second);
        assert_eq!(b.lookup("x"), Some(a));
        let sbom = b.finish();
        assert_eq!(
            sbom.components.len(),
            3,
            "two components and a synthetic root"
        );
        assert!(sbom
            .diagnostics
            .iter()
            .any(|d| d.code == DiagnosticCode::DuplicateId));
    }

    #[test]
    fn dangling_and_non_component_refs() {
        let mut b = builder();
        let root = b.add_component(Component::new("root", "r"));
        b.mark_root(root);
        b.add_component(Component::new("lib", "l"));
        b.add_non_component("SPDXRef-File-1");
        assert!(b.relate_refs(
            "root",
            "lib",
            RelationKind::DependsOn,
            "dependsOn".into(),
            || "/dependencies/0".into()
        ));
        assert!(!b.relate_refs(
            "root",
            "ghost",
            RelationKind::DependsOn,
            "dependsOn".into(),
            || "/dependencies/1".into()
        ));
        assert!(!b.relate_refs(
            "root",
            "SPDXRef-File-1",
            RelationKind::Contains,
            "CONTAINS".into(),
            String::new
        ));
        let sbom = b.finish();
        assert_eq!(sbom.relations.len(), 1);
        let dangling: Vec<_> = sbom
            .diagnostics
            .iter()
            .filter(|d| d.code == DiagnosticCode::DanglingReference)
            .collect();
        assert_eq!(dangling.len(), 1);
        assert_eq!(dangling[0].location.as_deref(), Some("/dependencies/1"));
        assert_eq!(sbom.component_count(), 1);
    }

    #[test]
    fn repeated_edges_and_self_loops_are_dropped() {
        let mut b = builder();
        let a = b.add_component(Component::new("a", "a"));
        let c = b.add_component(Component::new("c", "c"));
        b.relate(a, c, RelationKind::DependsOn, "dependsOn".into());
        b.relate(a, c, RelationKind::DependsOn, "dependsOn".into());
        b.relate(a, a, RelationKind::DependsOn, "dependsOn".into());
        b.relate(a, c, RelationKind::Contains, "nested".into());
        assert_eq!(b.finish().relations.len(), 2);
    }

    #[test]
    fn diagnostics_are_capped_per_code() {
        let mut b = builder();
        for i in 0..(MAX_DIAGNOSTICS_PER_CODE + 50) {
            let mut c = Component::new("same", format!("c{i}"));
            c.location = Some(Location::Line(i as u32));
            b.add_component(c);
        }
        let sbom = b.finish();
        let dups = sbom
            .diagnostics
            .iter()
            .filter(|d| d.code == DiagnosticCode::DuplicateId)
            .count();
        assert_eq!(
            dups,
            MAX_DIAGNOSTICS_PER_CODE + 1,
            "capped plus one summary"
        );
        assert!(sbom
            .diagnostics
            .iter()
            .any(|d| d.message.contains("and 49 more")));
    }
}

/// The longest name, version, licence expression or party name kept, in bytes.
pub const MAX_FIELD: usize = 4096;

/// Cuts `s` to at most [`MAX_FIELD`] bytes at a character boundary; true when it was cut.
fn clip(s: &mut String) -> bool {
    if s.len() <= MAX_FIELD {
        return false;
    }
    let mut end = MAX_FIELD;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    true
}

/// At most 200 bytes of `s`, for a message.
fn clip_str(s: &str) -> &str {
    let mut end = s.len().min(200);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod clip_tests {
    use super::*;
    use crate::model::{Format, Serialization};

    #[test]
    fn long_text_is_cut_at_a_character_boundary_and_said() {
        let mut b = SbomBuilder::new("t.json", Format::CycloneDx, Serialization::Json);
        let mut c = Component::new("r", "é".repeat(10_000));
        c.version = Some("1".repeat(5000));
        b.add_component(c);
        let sbom = b.finish();
        let c = &sbom.components[0];
        assert!(c.name.len() <= MAX_FIELD && c.name.chars().all(|ch| ch == 'é'));
        assert_eq!(c.version.as_deref().map(str::len), Some(MAX_FIELD));
        assert!(sbom
            .diagnostics
            .iter()
            .any(|d| d.code == DiagnosticCode::SkippedValue && d.message.contains("cut")));
    }
}
