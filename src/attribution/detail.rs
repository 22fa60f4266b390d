//! What a piece of evidence saw, kept as borrowed parts and formatted only when shown.
//!
//! Attribution runs on every component of SBOMs with 100k components; most of its evidence is
//! never printed (a JSON report prints it, a score only reads the winner). Formatting each
//! detail eagerly was a quarter of attribution time, so a detail is a small value that borrows
//! from the SBOM and the registry and implements `Display`.

use crate::data::Ambiguous;
use std::borrow::Cow;
use std::fmt;

/// Where a URL, e-mail or module path was seen.
#[derive(Debug, Clone, PartialEq)]
pub enum Via<'a> {
    /// `{field} URL '{url}'`, e.g. `external reference URL 'https://...'`.
    Url {
        field: &'static str,
        url: Cow<'a, str>,
    },
    /// `{field} e-mail '{email}'`.
    Email { field: &'static str, email: &'a str },
    /// `Go module '{path}'`.
    GoModule(Cow<'a, str>),
    /// A row of `data/packages/TYPE.tsv`.
    PackageRow(&'a crate::data::PackageOwner),
    /// Anything rarer (online answers), already formatted.
    Text(String),
}

impl fmt::Display for Via<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Via::Url { field, url } => write!(f, "{field} URL '{url}'"),
            Via::Email { field, email } => write!(f, "{field} e-mail '{email}'"),
            Via::GoModule(path) => write!(f, "Go module '{path}'"),
            Via::PackageRow(r) => write!(
                f,
                "{}: '{}' -> {}/{} (registry metadata retrieved {})",
                r.file, r.name, r.host, r.owner, r.retrieved
            ),
            Via::Text(t) => f.write_str(t),
        }
    }
}

/// What a rule saw.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen<'a> {
    /// Rare evidence (overrides, online answers), already formatted.
    Text(String),
    CpeVendor(Cow<'a, str>),
    /// An NVD vendor string that is a vendor's name (`the_tcpdump_group`).
    CpeVendorAsName(Cow<'a, str>),
    CpeAmbiguous {
        vendor: Cow<'a, str>,
        rule: &'a Ambiguous,
    },
    /// A CPE vendor that a scanner guessed: one of several vendors written for one package.
    /// Not supplier evidence.
    CpeGuessed {
        vendor: Cow<'a, str>,
        /// How many different CPE vendors the component carries.
        vendors: usize,
    },
    /// A CPE of a distribution package: it names the upstream project, not the supplier.
    CpeUpstream(Cow<'a, str>),
    /// A person or team inside a distribution (a Debian `Maintainer:`): detail, not a vendor.
    PartyMaintainer {
        field: &'static str,
        name: &'a str,
    },
    /// A Maven groupId whose reversed domain is a vendor's domain (`ru.yandex` -> `yandex.ru`).
    NamespaceDomain {
        key: Cow<'a, str>,
        domain: String,
    },
    /// An image layer (named by its digest) inside an image: supplied by the image's publisher.
    ContainerLayer {
        container: &'a str,
    },
    /// A package without identity in a container whose identified packages are one
    /// distribution's.
    SiblingDistro {
        container: &'a str,
        siblings: u32,
    },
    /// A distribution's mark in a package version (`3.118ubuntu2`).
    VersionMarker {
        version: &'a str,
        marker: &'a str,
        rule: &'a str,
    },
    /// A declared party that names a registry vendor.
    Party {
        field: &'static str,
        name: &'a str,
    },
    PartyUnregistered {
        field: &'static str,
        name: &'a str,
    },
    PartyAmbiguous {
        field: &'static str,
        name: &'a str,
        rule: &'a Ambiguous,
    },
    PartyCountry {
        field: &'static str,
        text: &'a str,
    },
    ComponentCountry(&'a str),
    /// A domain of a vendor, seen in a URL or e-mail.
    Domain {
        via: Via<'a>,
        matched: &'a str,
    },
    /// The owner of a repository on a forge (boxed: the largest variant, and every piece of
    /// evidence is as large as the largest variant).
    ForgeOwner(Box<Forge<'a>>),
    VanityHost {
        via: Via<'a>,
        host: Cow<'a, str>,
        rule: &'a str,
    },
    PurlPattern {
        ty: Cow<'a, str>,
        key: Cow<'a, str>,
        pattern: &'a str,
    },
    /// A purl namespace that names an organisation no data record knows.
    PurlUnregistered {
        ty: Cow<'a, str>,
        key: Cow<'a, str>,
        namespace: Cow<'a, str>,
    },
    DistroRule {
        ty: Cow<'a, str>,
        key: Cow<'a, str>,
        rule: &'a str,
    },
    RegistryHost {
        first_party: bool,
        host: String,
        rule: &'a str,
    },
    TldCountry {
        key: Cow<'a, str>,
        tld: &'a str,
        rule: &'a str,
    },
}

const RULES: &str = "data/purl_rules.toml";

impl fmt::Display for Seen<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seen::Text(t) => f.write_str(t),
            Seen::CpeVendor(v) => write!(f, "CPE vendor '{v}'"),
            Seen::CpeVendorAsName(v) => write!(f, "CPE vendor '{v}' as a name"),
            Seen::CpeAmbiguous { vendor, rule } => write!(
                f,
                "CPE vendor '{vendor}' names several vendors ({}): rule '{}' of {RULES}",
                rule.candidates.join(", "),
                rule.id
            ),
            Seen::CpeGuessed { vendor, vendors } => write!(
                f,
                "CPE vendor '{vendor}' is a scanner's guess ({vendors} different CPE vendors for one package): not supplier evidence"
            ),
            Seen::CpeUpstream(v) => write!(
                f,
                "CPE vendor '{v}' names the upstream of a distribution package, not its supplier"
            ),
            Seen::PartyMaintainer { field, name } => write!(
                f,
                "{field} '{name}' is a maintainer inside the distribution, not a vendor"
            ),
            Seen::NamespaceDomain { key, domain } => {
                write!(f, "Maven groupId '{key}' is the reversed domain '{domain}'")
            }
            Seen::VersionMarker {
                version,
                marker,
                rule,
            } => write!(
                f,
                "version '{version}' carries '{marker}': version_marker '{rule}' of {RULES}"
            ),
            Seen::ContainerLayer { container } => {
                write!(f, "image layer of '{container}', supplied by its publisher")
            }
            Seen::SiblingDistro {
                container,
                siblings,
            } => write!(
                f,
                "package without purl in '{container}', whose {siblings} identified packages are this distribution's"
            ),
            Seen::Party { field, name } => write!(f, "{field} '{name}'"),
            Seen::PartyUnregistered { field, name } => {
                write!(f, "{field} '{name}' (not in data/vendors)")
            }
            Seen::PartyAmbiguous { field, name, rule } => write!(
                f,
                "{field} '{name}' names several vendors ({}): rule '{}' of {RULES}",
                rule.candidates.join(", "),
                rule.id
            ),
            Seen::PartyCountry { field, text } => write!(f, "{field} address country '{text}'"),
            Seen::ComponentCountry(text) => write!(f, "declared country '{text}'"),
            Seen::Domain { via, matched } => write!(f, "{via}: domain '{matched}'"),
            Seen::ForgeOwner(forge) => {
                let Forge {
                    via,
                    host,
                    owner,
                    pattern,
                } = &**forge;
                match pattern {
                    Some((ty, p)) => write!(f, "{via}: owner '{host}/{owner}' matches '{ty}:{p}'"),
                    None => write!(
                        f,
                        "{via}: repository owner '{host}/{owner}' (not in data/vendors)"
                    ),
                }
            }
            Seen::VanityHost { via, host, rule } => write!(
                f,
                "{via}: vanity host '{host}', host_rule '{rule}' of {RULES}"
            ),
            Seen::PurlPattern { ty, key, pattern } => {
                write!(f, "purl {ty} '{key}' matches '{ty}:{pattern}'")
            }
            Seen::PurlUnregistered { ty, key, namespace } => write!(
                f,
                "purl {ty} namespace '{key}' names '{}' (not in data/vendors)",
                super::purl::namespace_identity(ty, namespace).unwrap_or_default()
            ),
            Seen::DistroRule { ty, key, rule } => write!(
                f,
                "purl {ty} namespace '{key}': distro_rule '{rule}' of {RULES}"
            ),
            Seen::RegistryHost {
                first_party,
                host,
                rule,
            } => write!(
                f,
                "{} '{host}': registry_rule '{rule}' of {RULES}",
                if *first_party {
                    "first-party registry"
                } else {
                    "official image on"
                }
            ),
            Seen::TldCountry { key, tld, rule } => write!(
                f,
                "Maven groupId '{key}' is under '.{tld}': tld_rule '{rule}' of {RULES}"
            ),
        }
    }
}

/// The owner of a repository on a forge: `HOST/OWNER`, matched by `pattern` when registered.
#[derive(Debug, Clone, PartialEq)]
pub struct Forge<'a> {
    pub via: Via<'a>,
    pub host: Cow<'a, str>,
    pub owner: Cow<'a, str>,
    /// `(purl type, pattern)` of the registry row that matched.
    pub pattern: Option<(&'a str, &'a str)>,
}

/// The data row a registry vendor's evidence matched: `data/vendors/FILE.toml#ID`. Both parts
/// are the registry's own strings, referenced (8 bytes each) rather than sliced (16).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row<'a> {
    pub file: &'a String,
    pub id: &'a String,
}

/// A piece of evidence's detail: what was seen and, for a registry vendor, the data row that
/// matched (`-> data/vendors/FILE.toml#ID`).
#[derive(Debug, Clone, PartialEq)]
pub struct Detail<'a> {
    pub seen: Seen<'a>,
    /// The matching data row.
    pub row: Option<Row<'a>>,
}

impl fmt::Display for Detail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.seen.fmt(f)?;
        if let Some(Row { file, id }) = self.row {
            write!(f, " -> {file}#{id}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_the_data_row() {
        let (file, id) = (
            "data/vendors/network-equipment.toml".to_string(),
            "cisco".to_string(),
        );
        let d = Detail {
            seen: Seen::Domain {
                via: Via::Url {
                    field: "external reference",
                    url: Cow::Borrowed("https://www.cisco.com/x"),
                },
                matched: "cisco.com",
            },
            row: Some(Row {
                file: &file,
                id: &id,
            }),
        };
        assert_eq!(
            d.to_string(),
            "external reference URL 'https://www.cisco.com/x': domain 'cisco.com' -> data/vendors/network-equipment.toml#cisco"
        );
        let d = Detail {
            seen: Seen::ForgeOwner(Box::new(Forge {
                via: Via::GoModule(Cow::Borrowed("github.com/foo/bar")),
                host: Cow::Borrowed("github.com"),
                owner: Cow::Borrowed("foo"),
                pattern: None,
            })),
            row: None,
        };
        assert_eq!(
            d.to_string(),
            "Go module 'github.com/foo/bar': repository owner 'github.com/foo' (not in data/vendors)"
        );
    }
}
