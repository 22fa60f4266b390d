//! The normalised SBOM: one product, its components, the relations between them, and where each
//! fact came from in the source document.
//!
//! Architecture invariant: this module knows no parser, no file format and no report. It does no
//! I/O. Parsers fill it through [`SbomBuilder`], which resolves references and records the
//! structural diagnostics every format shares (duplicate ids, dangling references).

mod asserted;
mod builder;
mod diag;

pub use asserted::{is_asserted, Asserted};
pub use builder::{SbomBuilder, MAX_DIAGNOSTICS_PER_CODE};
pub use diag::{Diagnostic, DiagnosticCode, Severity};

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

/// The SBOM standard a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    CycloneDx,
    Spdx,
}

impl Format {
    /// The standard's own spelling, for people: `CycloneDX`, `SPDX`.
    pub fn name(self) -> &'static str {
        match self {
            Format::CycloneDx => "CycloneDX",
            Format::Spdx => "SPDX",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::CycloneDx => "cyclonedx",
            Format::Spdx => "spdx",
        })
    }
}

/// How a document is written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Serialization {
    #[serde(rename = "json")]
    Json,
    #[serde(rename = "xml")]
    Xml,
    #[serde(rename = "tag-value")]
    TagValue,
    #[serde(rename = "yaml")]
    Yaml,
    #[serde(rename = "rdf")]
    Rdf,
    #[serde(rename = "json-ld")]
    JsonLd,
}

impl Serialization {
    /// The name used in reports and in `inspect --format json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Serialization::Json => "json",
            Serialization::Xml => "xml",
            Serialization::TagValue => "tag-value",
            Serialization::Yaml => "yaml",
            Serialization::Rdf => "rdf",
            Serialization::JsonLd => "json-ld",
        }
    }
}

impl fmt::Display for Serialization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Index of a component in [`Sbom::components`]. Also the node index in the dependency graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ComponentId(pub u32);

impl ComponentId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a component is. CycloneDX's `type` vocabulary, with SPDX's `PrimaryPackagePurpose` and
/// SPDX 3 `software_primaryPurpose` mapped onto it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    Application,
    Framework,
    #[default]
    Library,
    Container,
    Platform,
    OperatingSystem,
    Device,
    DeviceDriver,
    Firmware,
    File,
    MachineLearningModel,
    Data,
    CryptographicAsset,
    Source,
    Archive,
    Install,
    Other,
}

impl ComponentKind {
    /// Every kind, in declaration order (`kind as usize` indexes it).
    pub const ALL: [ComponentKind; 17] = [
        ComponentKind::Application,
        ComponentKind::Framework,
        ComponentKind::Library,
        ComponentKind::Container,
        ComponentKind::Platform,
        ComponentKind::OperatingSystem,
        ComponentKind::Device,
        ComponentKind::DeviceDriver,
        ComponentKind::Firmware,
        ComponentKind::File,
        ComponentKind::MachineLearningModel,
        ComponentKind::Data,
        ComponentKind::CryptographicAsset,
        ComponentKind::Source,
        ComponentKind::Archive,
        ComponentKind::Install,
        ComponentKind::Other,
    ];

    /// Maps a type name from any of the formats (case-insensitive; `-`, `_` and spaces ignored).
    /// Unknown names give `None` so the caller can warn.
    pub fn parse(s: &str) -> Option<ComponentKind> {
        let mut key = String::with_capacity(s.len());
        for c in s.chars() {
            if c != '-' && c != '_' && c != ' ' {
                key.push(c.to_ascii_lowercase());
            }
        }
        Some(match key.as_str() {
            "application" | "executable" => ComponentKind::Application,
            "framework" => ComponentKind::Framework,
            "library" | "module" | "package" => ComponentKind::Library,
            "container" => ComponentKind::Container,
            "platform" => ComponentKind::Platform,
            "operatingsystem" => ComponentKind::OperatingSystem,
            "device" => ComponentKind::Device,
            "devicedriver" => ComponentKind::DeviceDriver,
            "firmware" | "bom" => ComponentKind::Firmware,
            "file" => ComponentKind::File,
            "machinelearningmodel" | "model" => ComponentKind::MachineLearningModel,
            "data" | "dataset" | "configuration" => ComponentKind::Data,
            "cryptographicasset" => ComponentKind::CryptographicAsset,
            "source" => ComponentKind::Source,
            "archive" => ComponentKind::Archive,
            "install" => ComponentKind::Install,
            "other" => ComponentKind::Other,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Application => "application",
            ComponentKind::Framework => "framework",
            ComponentKind::Library => "library",
            ComponentKind::Container => "container",
            ComponentKind::Platform => "platform",
            ComponentKind::OperatingSystem => "operating-system",
            ComponentKind::Device => "device",
            ComponentKind::DeviceDriver => "device-driver",
            ComponentKind::Firmware => "firmware",
            ComponentKind::File => "file",
            ComponentKind::MachineLearningModel => "machine-learning-model",
            ComponentKind::Data => "data",
            ComponentKind::CryptographicAsset => "cryptographic-asset",
            ComponentKind::Source => "source",
            ComponentKind::Archive => "archive",
            ComponentKind::Install => "install",
            ComponentKind::Other => "other",
        }
    }
}

/// Whether a party is an organisation or a person, where the document says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PartyKind {
    Organization,
    Person,
    Tool,
    #[default]
    Unknown,
}

/// A supplier, manufacturer, author, publisher or originator as the document declares it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Party {
    pub kind: PartyKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    /// Country from a postal address (CycloneDX 1.6 `address.country`), as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Party {
    /// An organisation known only by name.
    pub fn organization(name: impl Into<String>) -> Party {
        Party {
            kind: PartyKind::Organization,
            name: Some(name.into()),
            ..Party::default()
        }
    }

    /// True when the party carries nothing at all.
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.email.is_none()
            && self.urls.is_empty()
            && self.country.is_none()
    }

    /// Parses the SPDX 2 actor syntax: `Organization: Name (email)`, `Person: Name (email)`,
    /// `Tool: name`, or `NOASSERTION`. Returns `None` for NOASSERTION and empty values.
    pub fn from_spdx_actor(s: &str) -> Option<Party> {
        let s = s.trim();
        if s.is_empty() || s.eq_ignore_ascii_case("NOASSERTION") || s.eq_ignore_ascii_case("NONE") {
            return None;
        }
        let (kind, rest) = match s.split_once(':') {
            Some((k, rest)) if k.trim().eq_ignore_ascii_case("organization") => {
                (PartyKind::Organization, rest)
            }
            Some((k, rest)) if k.trim().eq_ignore_ascii_case("person") => (PartyKind::Person, rest),
            Some((k, rest)) if k.trim().eq_ignore_ascii_case("tool") => (PartyKind::Tool, rest),
            _ => (PartyKind::Unknown, s),
        };
        let rest = rest.trim();
        let (name, email) = match (rest.rfind('('), rest.ends_with(')')) {
            (Some(open), true) => {
                let email = rest[open + 1..rest.len() - 1].trim();
                let email = (!email.is_empty()).then(|| email.to_string());
                (rest[..open].trim(), email)
            }
            _ => (rest, None),
        };
        let name = (!name.is_empty()).then(|| name.to_string());
        if name.is_none() && email.is_none() {
            return None;
        }
        Some(Party {
            kind,
            name,
            email,
            ..Party::default()
        })
    }
}

/// One digest of a component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hash {
    /// Algorithm as the document names it, upper-cased (`SHA-256`, `SHA256`, `MD5`...).
    pub alg: Cow<'static, str>,
    pub value: String,
}

impl Hash {
    /// An algorithm's name upper-cased; the common ones are borrowed, not allocated per hash.
    pub fn algorithm(name: &str) -> Cow<'static, str> {
        const KNOWN: &[&str] = &[
            "SHA-256",
            "SHA-1",
            "SHA-512",
            "SHA-384",
            "MD5",
            "SHA1",
            "SHA256",
            "SHA512",
            "SHA384",
            "SHA224",
            "SHA3-256",
            "SHA3-384",
            "SHA3-512",
            "SHA3_256",
            "SHA3_384",
            "SHA3_512",
            "BLAKE2B-256",
            "BLAKE2B-384",
            "BLAKE2B-512",
            "BLAKE3",
            "MD2",
            "MD4",
            "MD6",
            "ADLER32",
        ];
        match KNOWN.iter().find(|k| k.eq_ignore_ascii_case(name)) {
            Some(k) => Cow::Borrowed(k),
            None => Cow::Owned(name.to_ascii_uppercase()),
        }
    }
}

/// What an external reference points to, folded across the formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExternalRefKind {
    Vcs,
    Website,
    Distribution,
    IssueTracker,
    Documentation,
    Advisories,
    Other,
}

impl ExternalRefKind {
    /// Maps CycloneDX `externalReferences[].type`, SPDX 2 `downloadLocation`/`homepage` and SPDX 3
    /// `externalRefType` names.
    pub fn parse(s: &str) -> ExternalRefKind {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "vcs" | "source-distribution" | "securecommunication" | "repository" => {
                ExternalRefKind::Vcs
            }
            "website" | "homepage" | "altwebpage" | "alt-web-page" => ExternalRefKind::Website,
            "distribution"
            | "distribution-intake"
            | "download"
            | "downloadlocation"
            | "binaryartifact"
            | "binary-artifact" => ExternalRefKind::Distribution,
            "issue-tracker" | "issuetracker" => ExternalRefKind::IssueTracker,
            "documentation" => ExternalRefKind::Documentation,
            "advisories" | "security-advisory" | "securityadvisory" => ExternalRefKind::Advisories,
            _ => ExternalRefKind::Other,
        }
    }
}

/// A link from a component to somewhere else (VCS, website, download).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalRef {
    pub kind: ExternalRefKind,
    pub url: String,
}

/// Fields whose origin in the document is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    Name,
    Version,
    Kind,
    Purl,
    Cpe,
    Supplier,
    Manufacturer,
    Authors,
    Publisher,
    Originator,
    Country,
    Licenses,
    Hashes,
    ExternalRefs,
}

/// Where a component sits in its source document: a JSON pointer (`/components/3`), an XML or
/// tag-value line, or an RDF/JSON-LD node id. Field-level origins are derived from it with
/// [`Component::field_origin`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "at")]
pub enum Location {
    JsonPointer(String),
    Line(u32),
    Node(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::JsonPointer(p) => write!(f, "{p}"),
            Location::Line(l) => write!(f, "line {l}"),
            Location::Node(n) => write!(f, "node {n}"),
        }
    }
}

/// The role of a component in its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The product the document is about: CycloneDX `metadata.component`, an SPDX package the
    /// document DESCRIBES, or a synthetic root when the document names none.
    Root,
    #[default]
    Component,
}

/// One component (CycloneDX component, SPDX package or SPDX 3 software_Package).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Component {
    /// CycloneDX `bom-ref`, SPDX `SPDXID`, SPDX 3 `spdxId`; generated when the document has none.
    pub bom_ref: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub kind: ComponentKind,
    pub role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cpes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<Box<Party>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<Box<Party>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Party>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Box<Party>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub originator: Option<Box<Party>>,
    /// A country the document itself declares for the component (address of supplier or
    /// manufacturer, or a country property), as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Licences as one SPDX expression (concluded where given, else declared).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licenses: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<Hash>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external_refs: Vec<ExternalRef>,
    /// Where the component is written in the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Component {
    /// A component with a reference and a name, everything else empty.
    pub fn new(bom_ref: impl Into<String>, name: impl Into<String>) -> Component {
        Component {
            bom_ref: bom_ref.into(),
            name: name.into(),
            ..Component::default()
        }
    }

    /// Where `field` of this component came from, e.g. `/components/3/supplier` or `line 120`.
    /// `format` decides the field's name in the document.
    pub fn field_origin(&self, format: Format, field: Field) -> Option<String> {
        let loc = self.location.as_ref()?;
        let name = field_name(format, field);
        Some(match loc {
            Location::JsonPointer(p) => format!("{p}/{name}"),
            Location::Line(l) => format!("line {l} ({name})"),
            Location::Node(n) => format!("{n} {name}"),
        })
    }
}

fn field_name(format: Format, field: Field) -> &'static str {
    match (format, field) {
        (_, Field::Name) => "name",
        (_, Field::Version) => "version",
        (Format::CycloneDx, Field::Kind) => "type",
        (Format::Spdx, Field::Kind) => "primaryPackagePurpose",
        (Format::CycloneDx, Field::Purl) => "purl",
        (Format::Spdx, Field::Purl) => "externalRefs[purl]",
        (Format::CycloneDx, Field::Cpe) => "cpe",
        (Format::Spdx, Field::Cpe) => "externalRefs[cpe]",
        (Format::CycloneDx, Field::Supplier) => "supplier",
        (Format::Spdx, Field::Supplier) => "supplier",
        (_, Field::Manufacturer) => "manufacturer",
        (_, Field::Authors) => "authors",
        (_, Field::Publisher) => "publisher",
        (_, Field::Originator) => "originator",
        (_, Field::Country) => "address/country",
        (Format::CycloneDx, Field::Licenses) => "licenses",
        (Format::Spdx, Field::Licenses) => "licenseConcluded",
        (_, Field::Hashes) => "hashes",
        (Format::CycloneDx, Field::ExternalRefs) => "externalReferences",
        (Format::Spdx, Field::ExternalRefs) => "externalRefs",
    }
}

/// The kind of an edge in the dependency graph, after folding every format's vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelationKind {
    /// `from` needs `to` to work (CycloneDX `dependsOn`, SPDX DEPENDS_ON and its kin).
    DependsOn,
    /// `from` physically contains `to` (nested CycloneDX components, SPDX CONTAINS, PACKAGE_OF...).
    Contains,
    /// The document describes `to` (SPDX DESCRIBES); kept for completeness.
    Describes,
    /// Any other relation (GENERATED_FROM, VARIANT_OF...) kept for reporting, not for supply.
    Other,
}

/// A directed relation between two components, normalised so that `from` is the consumer or
/// container and `to` the supplier or contained part. Sixteen bytes: the document's name for
/// the relation is kept once per SBOM and read with [`Sbom::source_type`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relation {
    pub from: ComponentId,
    pub to: ComponentId,
    pub kind: RelationKind,
    /// True for edges the tool added (root edges of a flat SBOM), not read from the document.
    pub inferred: bool,
    /// Index of the document's own name for the relation in [`Sbom::relation_types`].
    #[serde(skip)]
    pub(crate) type_index: u32,
}

/// Facts about the document itself.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DocumentInfo {
    /// The file the document was read from (`-` for stdin).
    pub path: String,
    pub format: Option<Format>,
    pub spec_version: String,
    pub serialization: Option<Serialization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// CycloneDX `serialNumber` or SPDX `documentNamespace`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Tools that wrote the document.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<String>,
    /// Authors / creators of the document.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Party>,
    /// The document-level supplier (CycloneDX `metadata.supplier`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<Party>,
    /// SPDX 2 file elements (not components), counted for reporting.
    pub files: usize,
}

/// A whole SBOM, normalised.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Sbom {
    pub document: DocumentInfo,
    /// Every component, roots included. `ComponentId(i)` is `components[i]`.
    pub components: Vec<Component>,
    /// The product(s): components with [`Role::Root`].
    pub roots: Vec<ComponentId>,
    pub relations: Vec<Relation>,
    /// The document's names for its relations (`DEPENDENCY_OF`, `dependsOn`, `nested`...),
    /// each once, in order of first use.
    pub relation_types: Vec<Cow<'static, str>>,
    pub diagnostics: Vec<Diagnostic>,
    /// `asserted[i]` is [`Asserted::of`] `components[i]`, recorded by the builder as each
    /// component is added (see [`Sbom::asserted`]).
    #[serde(skip)]
    asserted: Vec<Asserted>,
}

impl Sbom {
    pub fn component(&self, id: ComponentId) -> &Component {
        &self.components[id.index()]
    }

    /// The document's own name for a relation (`DEPENDENCY_OF`, `dependsOn`, `nested`...).
    pub fn source_type(&self, r: &Relation) -> &str {
        self.relation_types
            .get(r.type_index as usize)
            .map_or("", |t| t.as_ref())
    }

    /// The fields of component `i` that carry a value: the mask the builder recorded, or, for
    /// an SBOM whose components were added or removed since, computed afresh.
    pub fn asserted(&self, i: usize) -> Asserted {
        match self.recorded_asserted().and_then(|m| m.get(i)) {
            Some(a) => *a,
            None => self
                .components
                .get(i)
                .map_or(Asserted::empty(), Asserted::of),
        }
    }

    /// The masks the builder recorded, one per component; `None` when they no longer line up
    /// with the components. Code that edits a built component's fields makes its mask stale.
    pub fn recorded_asserted(&self) -> Option<&[Asserted]> {
        (self.asserted.len() == self.components.len()).then_some(self.asserted.as_slice())
    }

    /// Components that are not roots: what `inspect` counts.
    pub fn component_count(&self) -> usize {
        self.components
            .iter()
            .filter(|c| c.role != Role::Root)
            .count()
    }

    /// Iterates over `(id, component)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (ComponentId, &Component)> {
        self.components
            .iter()
            .enumerate()
            .map(|(i, c)| (ComponentId(i as u32), c))
    }
}

/// `str::trim`, with a fast path for the usual value that starts and ends with an ASCII
/// character that is not whitespace (nothing to trim; `str::trim` decodes from both ends, a
/// few percent of reading a large SBOM).
pub fn trim(s: &str) -> &str {
    let bare = |b: &u8| b.is_ascii() && !char::from(*b).is_whitespace();
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if bare(a) && bare(z) => s,
        _ => s.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_algorithms_are_upper_cased_and_common_ones_borrowed() {
        for (name, want, borrowed) in [
            ("sha-256", "SHA-256", true),
            ("SHA256", "SHA256", true),
            ("Blake2b-512", "BLAKE2B-512", true),
            ("md5", "MD5", true),
            ("sha-257", "SHA-257", false),
            ("whirlpool", "WHIRLPOOL", false),
            ("", "", false),
        ] {
            let a = Hash::algorithm(name);
            assert_eq!(a, want);
            assert_eq!(matches!(a, Cow::Borrowed(_)), borrowed, "{name}");
        }
    }

    #[test]
    fn spdx_actor_organization_with_email() {
        let p =
            Party::from_spdx_actor("Organization: Cisco Systems, Inc. (psirt@cisco.com)").unwrap();
        assert_eq!(p.kind, PartyKind::Organization);
        assert_eq!(p.name.as_deref(), Some("Cisco Systems, Inc."));
        assert_eq!(p.email.as_deref(), Some("psirt@cisco.com"));
    }

    #[test]
    fn spdx_actor_noassertion_and_bare() {
        assert_eq!(Party::from_spdx_actor("NOASSERTION"), None);
        assert_eq!(Party::from_spdx_actor("  "), None);
        let p = Party::from_spdx_actor("Person: Jane Doe").unwrap();
        assert_eq!(p.kind, PartyKind::Person);
        assert_eq!(p.email, None);
        let p = Party::from_spdx_actor("Some Vendor").unwrap();
        assert_eq!(p.kind, PartyKind::Unknown);
        assert_eq!(p.name.as_deref(), Some("Some Vendor"));
    }

    #[test]
    fn kind_parse_folds_spellings() {
        assert_eq!(
            ComponentKind::parse("operating-system"),
            Some(ComponentKind::OperatingSystem)
        );
        assert_eq!(
            ComponentKind::parse("OPERATING_SYSTEM"),
            Some(ComponentKind::OperatingSystem)
        );
        assert_eq!(
            ComponentKind::parse("firmware"),
            Some(ComponentKind::Firmware)
        );
        assert_eq!(ComponentKind::parse("spaceship"), None);
    }

    #[test]
    fn field_origin_joins_pointer_and_name() {
        let mut c = Component::new("a", "a");
        c.location = Some(Location::JsonPointer("/components/3".into()));
        assert_eq!(
            c.field_origin(Format::CycloneDx, Field::Supplier)
                .as_deref(),
            Some("/components/3/supplier")
        );
        c.location = Some(Location::Line(12));
        assert_eq!(
            c.field_origin(Format::Spdx, Field::Purl).as_deref(),
            Some("line 12 (externalRefs[purl])")
        );
    }
}

#[cfg(test)]
mod trim_tests {
    use super::trim;
    use proptest::prelude::*;

    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\x0Ba\x0B",
            "\u{a0}a",
            "a\u{3000}",
            "\u{85}",
            "é",
            " é ",
            "SPDXRef-Package-1",
            "\tDEPENDS_ON\n",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn trim_is_str_trim_on_any_text(s in "\\PC{0,8}[ \t\u{a0}\u{3000}\u{b}]{0,2}") {
            prop_assert_eq!(trim(&s), s.trim());
        }
    }
}
