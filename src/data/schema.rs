//! The shapes of the files in `data/`, as serde reads them. See data/README.md for the meaning
//! of every field.

use serde::Deserialize;

/// Where a fact comes from: a URL, the date it was checked, the upstream source id.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Source {
    /// What the source supports: `country`, `parent`, `steward`...
    #[serde(default)]
    pub fact: String,
    pub url: String,
    pub date: String,
    /// Id of the upstream in `data/sources.toml`.
    #[serde(default)]
    pub source: Option<String>,
}

/// The source of a rule or channel: an upstream id of `data/sources.toml` and a deep link.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RuleSource {
    pub source: String,
    pub source_url: String,
}

/// What kind of organisation a vendor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VendorKind {
    PublicCompany,
    PrivateCompany,
    StateOwnedCompany,
    Foundation,
    Community,
    Government,
    Academic,
    Individual,
}

impl VendorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VendorKind::PublicCompany => "public-company",
            VendorKind::PrivateCompany => "private-company",
            VendorKind::StateOwnedCompany => "state-owned-company",
            VendorKind::Foundation => "foundation",
            VendorKind::Community => "community",
            VendorKind::Government => "government",
            VendorKind::Academic => "academic",
            VendorKind::Individual => "individual",
        }
    }
}

/// What a vendor's `country` means (data/README.md, "Country rule").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CountryBasis {
    #[default]
    Headquarters,
    LegalSeat,
    FiscalHost,
    Sponsor,
    MaintainerResidence,
    /// No legal entity, no fiscal host, no single maintainer country: the country is unknown.
    None,
}

impl CountryBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            CountryBasis::Headquarters => "headquarters",
            CountryBasis::LegalSeat => "legal-seat",
            CountryBasis::FiscalHost => "fiscal-host",
            CountryBasis::Sponsor => "sponsor",
            CountryBasis::MaintainerResidence => "maintainer-residence",
            CountryBasis::None => "none",
        }
    }
}

/// One organisation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    /// `TYPE:PREFIX` patterns, e.g. `maven:com.cisco`, `golang:github.com/aws`, `pypi:azure-*`.
    #[serde(default)]
    pub purl: Vec<String>,
    /// NVD CPE vendor strings.
    #[serde(default)]
    pub cpe_vendors: Vec<String>,
    /// ISO 3166-1 alpha-2 of the organisation's headquarters; absent when `country_basis` is
    /// `none`.
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub country_basis: CountryBasis,
    /// Incorporation jurisdiction when it differs from the headquarters.
    #[serde(default)]
    pub legal_seat: Option<String>,
    /// Id of the ultimate controlling parent, when owned by another organisation.
    #[serde(default)]
    pub parent: Option<String>,
    /// Where its hardware is physically made: the countries of the wafer fabs that make its
    /// chips (its own, or its foundries'), for `disruption:CC` scenarios. Empty: not recorded.
    #[serde(default)]
    pub fab_countries: Vec<String>,
    /// The countries where its chips or devices are assembled and tested.
    #[serde(default)]
    pub assembly_countries: Vec<String>,
    pub kind: VendorKind,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `data/vendors/*.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct VendorsFile {
    #[serde(default)]
    pub vendor: Vec<Vendor>,
}

/// A country-code TLD: weak country evidence from a Maven groupId's first label or a domain's
/// last label.
#[derive(Debug, Clone, Deserialize)]
pub struct TldRule {
    pub id: String,
    pub tld: String,
    pub country: String,
    #[serde(default)]
    pub strength: Option<String>,
    #[serde(flatten)]
    pub source: RuleSource,
    #[serde(default)]
    pub note: Option<String>,
}

/// ccTLDs used generically (`io`, `co`, `ai`): never country evidence.
#[derive(Debug, Clone, Deserialize)]
pub struct TldGeneric {
    pub id: String,
    pub tlds: Vec<String>,
    #[serde(flatten)]
    pub source: RuleSource,
    #[serde(default)]
    pub note: Option<String>,
}

/// How a Go/VCS host relates to the code it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HostKind {
    /// A code forge: the owner is the next path segment; the host is only the channel.
    Hosting,
    /// The host itself names the owner (golang.org, k8s.io).
    Vanity,
    /// Redirects elsewhere (gopkg.in): says nothing by itself.
    Redirector,
    /// An artifact repository, mirror, staging host or download archive (oss.sonatype.org,
    /// repository.jboss.org): it hosts other people's code, so it names neither the owner nor
    /// the supplier, and its operator's domain is never vendor evidence.
    Repository,
}

#[derive(Debug, Clone, Deserialize)]
pub struct HostRule {
    pub id: String,
    pub host: String,
    pub kind: HostKind,
    #[serde(default)]
    pub vendor: Option<String>,
    /// For a forge's API or archive host (`api.github.com`): the forge the owner belongs to
    /// (`github.com`), so `api.github.com/repos/OWNER` names `github.com/OWNER`.
    #[serde(default)]
    pub forge: Option<String>,
    /// Path segment that comes before the owner on this host (`repos` on `api.github.com`).
    #[serde(default)]
    pub owner_after: Option<String>,
    #[serde(flatten)]
    pub source: RuleSource,
    #[serde(default)]
    pub note: Option<String>,
}

/// A deb/rpm/apk/alpm namespace -> the distribution that builds and ships the package.
#[derive(Debug, Clone, Deserialize)]
pub struct DistroRule {
    pub id: String,
    #[serde(rename = "type")]
    pub purl_type: String,
    pub namespace: String,
    pub vendor: String,
    #[serde(default)]
    pub strength: Option<String>,
    /// The public archive where the distribution publishes the source of every package it
    /// ships (absent when its sources go to customers only).
    #[serde(default)]
    pub source_archive: Option<String>,
    #[serde(flatten)]
    pub source: RuleSource,
    #[serde(default)]
    pub note: Option<String>,
}

/// A distribution's mark in a package version (`3.118ubuntu2`, `1.2-3+deb11u1`, `2.0-1.el8`):
/// names the distribution that built a package whose SBOM entry has no purl.
#[derive(Debug, Clone, Deserialize)]
pub struct VersionMarker {
    pub id: String,
    /// The text to find in the version (ASCII, matched case-insensitively).
    pub marker: String,
    /// The marker counts only when a digit follows it (`+deb11`, not `+debug`).
    #[serde(default)]
    pub digit_follows: bool,
    /// The distribution's vendor id.
    pub vendor: String,
    #[serde(flatten)]
    pub source: RuleSource,
    #[serde(default)]
    pub note: Option<String>,
}

/// A container registry host (`*` matches within one DNS label) -> its operator.
#[derive(Debug, Clone, Deserialize)]
pub struct RegistryRule {
    pub id: String,
    pub host: String,
    /// Only the operator publishes on this registry: the operator is the images' vendor too.
    #[serde(default)]
    pub first_party: bool,
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default)]
    pub strength: Option<String>,
    #[serde(flatten)]
    pub source: RuleSource,
    #[serde(default)]
    pub note: Option<String>,
}

/// An identifier that names several vendors: never resolved silently.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Ambiguous {
    pub id: String,
    /// `cpe_vendor` or `supplier_name`.
    pub kind: String,
    pub value: String,
    pub candidates: Vec<String>,
    #[serde(flatten)]
    pub source: RuleSource,
    #[serde(default)]
    pub note: Option<String>,
}

/// `data/purl_rules.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurlRules {
    #[serde(default)]
    pub tld_rule: Vec<TldRule>,
    #[serde(default)]
    pub tld_generic: Vec<TldGeneric>,
    #[serde(default)]
    pub host_rule: Vec<HostRule>,
    #[serde(default)]
    pub distro_rule: Vec<DistroRule>,
    /// In file order: the first marker found in a version wins.
    #[serde(default)]
    pub version_marker: Vec<VersionMarker>,
    #[serde(default)]
    pub registry_rule: Vec<RegistryRule>,
    #[serde(default)]
    pub ambiguous: Vec<Ambiguous>,
}

/// A domestic mirror of a channel, common in some buyer jurisdiction.
#[derive(Debug, Clone, Deserialize)]
pub struct Mirror {
    pub jurisdiction: String,
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub operator: Option<String>,
    #[serde(default)]
    pub operator_country: Option<String>,
    #[serde(flatten)]
    pub source: RuleSource,
    #[serde(default)]
    pub note: Option<String>,
}

/// The default distribution channel of one purl type (and namespace, for distro types).
#[derive(Debug, Clone, Deserialize)]
pub struct Channel {
    pub id: String,
    #[serde(rename = "type")]
    pub purl_type: String,
    #[serde(default)]
    pub namespace: Option<String>,
    /// The channel's name ("Maven Central").
    #[serde(rename = "channel")]
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    /// Vendor id of the operator, when it is a known organisation.
    #[serde(default)]
    pub operator: Option<String>,
    #[serde(default)]
    pub operator_country: Option<String>,
    #[serde(default)]
    pub mirrors: Vec<Mirror>,
    /// The channel distributes packages as their source (Go modules, npm tarballs, crates,
    /// gems...): a package fetched from it is published source whatever its SBOM entry says
    /// about its licence (docs/scoring.md, "Supply kinds").
    #[serde(default)]
    pub ships_source: bool,
    /// The distinct jurisdictions of `mirrors`, sorted (computed when the registry is indexed).
    #[serde(skip)]
    pub mirror_jurisdictions: Vec<String>,
    #[serde(flatten)]
    pub source: RuleSource,
    #[serde(default)]
    pub note: Option<String>,
}

/// `data/channels.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChannelsFile {
    #[serde(default)]
    pub channel: Vec<Channel>,
}

/// One upstream source of `data/sources.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct SourceRecord {
    pub id: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub licence: Option<String>,
    #[serde(default)]
    pub retrieved: Option<String>,
    #[serde(default, rename = "use")]
    pub used_for: Option<String>,
}

/// `data/sources.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SourcesFile {
    #[serde(default)]
    pub source: Vec<SourceRecord>,
}

/// `data/attribution.toml`: the confidence each evidence rule gives, and how answers are
/// resolved. Documented field by field in that file; users override it with `--data-dir`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionWeights {
    /// Confidence per rule id (`override`, `declared-supplier`, `cpe-vendor`...).
    pub confidence: std::collections::BTreeMap<String, f64>,
    /// Evidence at or above this confidence that names another country contests the answer.
    pub contest_threshold: f64,
    /// Factor applied to the confidence of a contested answer.
    pub contested_factor: f64,
    /// Country-only hints below this confidence are not used.
    pub min_country_confidence: f64,
    /// E-mail and URL domains that say nothing about a vendor (free mail, forge no-reply).
    #[serde(default)]
    pub ignored_domains: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
}
