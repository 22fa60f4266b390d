//! The shapes of the files in `data/`, as serde reads them. See data/README.md for the meaning
//! of every field.

use serde::Deserialize;

/// Where a fact comes from: a URL and the date it was checked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Source {
    /// What the source supports: `country`, `parent`, `name`, `domains`...
    #[serde(default)]
    pub fact: String,
    pub url: String,
    pub date: String,
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

/// One organisation.
#[derive(Debug, Clone, Deserialize)]
pub struct Vendor {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    /// `TYPE:NAMESPACE-PREFIX` patterns, e.g. `maven:com.cisco`, `golang:github.com/aws`.
    #[serde(default)]
    pub purl: Vec<String>,
    /// NVD CPE vendor strings.
    #[serde(default)]
    pub cpe_vendors: Vec<String>,
    /// ISO 3166-1 alpha-2 of the organisation's headquarters (legal seat for foundations).
    pub country: String,
    /// Id of the controlling parent organisation, when owned by another.
    #[serde(default)]
    pub parent: Option<String>,
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

/// A purl rule beyond the per-vendor patterns: TLD country hints, distro namespaces, registry
/// hosts.
#[derive(Debug, Clone, Deserialize)]
pub struct PurlRule {
    pub id: String,
    /// purl type the rule applies to (`maven`, `golang`, `deb`, `docker`...), or `*`.
    #[serde(alias = "type")]
    pub purl_type: String,
    /// The namespace prefix (or TLD for `tld` rules) that must match.
    #[serde(rename = "match", alias = "namespace", alias = "prefix")]
    pub pattern: String,
    /// `tld`, `vendor`, `distro`, `host`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    /// `weak`, `medium`, `strong`.
    #[serde(default)]
    pub strength: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `data/purl_rules.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PurlRulesFile {
    #[serde(default, alias = "rules")]
    pub rule: Vec<PurlRule>,
}

/// A domestic mirror of a channel, common in some buyer jurisdiction.
#[derive(Debug, Clone, Deserialize)]
pub struct Mirror {
    pub jurisdiction: String,
    pub name: String,
    #[serde(default)]
    pub operator: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub source: Option<Source>,
}

/// The default distribution channel of one purl type.
#[derive(Debug, Clone, Deserialize)]
pub struct Channel {
    /// Filled from the table key when absent.
    #[serde(default)]
    pub purl_type: String,
    pub name: String,
    /// Vendor id of the operator, when it is a known organisation.
    #[serde(default)]
    pub operator: Option<String>,
    /// Country of the operator; absent for "vendor direct" channels.
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub mirrors: Vec<Mirror>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `data/channels.toml`: `[channel.npm]` tables.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChannelsFile {
    #[serde(default, alias = "channels")]
    pub channel: std::collections::BTreeMap<String, Channel>,
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
    /// Code-hosting hosts -> the purl type whose owner patterns apply to the first path segment
    /// (`github.com` -> `github`): a VCS URL names the project's owner, not the host's.
    #[serde(default)]
    pub forges: std::collections::BTreeMap<String, String>,
    /// E-mail and URL domains that say nothing about a vendor (free mail, forge no-reply).
    #[serde(default)]
    pub ignored_domains: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
}
