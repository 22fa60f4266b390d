//! deps.dev (Open Source Insights) API v3:
//! `GET {base}/systems/{SYSTEM}/packages/{NAME}/versions/{VERSION}` answers a Version with
//! `links[{label, url}]` and `relatedProjects[{projectKey.id, relationType, relationProvenance}]`;
//! a `SOURCE_REPO` project (`github.com/owner/repo`) names the repository and so its owner.
//! A purl without a version first asks `GET {base}/systems/{SYSTEM}/packages/{NAME}` for the
//! version marked `isDefault`. Path parameters are percent-encoded whole (`@colors/colors` ->
//! `%40colors%2Fcolors`), as the API documentation asks. Data licence: CC BY 4.0.

use std::collections::BTreeMap;
use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;

use super::http::{par_map, Fetcher};
use super::purl::{depsdev_key, DepsDevKey};
use super::{rfc3339, OnlineError, OwnerFacts, PackageFacts, Source};

/// Source id.
pub const ID: &str = "depsdev";
/// Data licence.
pub const LICENCE: &str = "CC-BY-4.0";

/// Everything but the URI "unreserved" characters is encoded (like Go's `url.PathEscape` plus `/`).
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Version {
    #[serde(default)]
    links: Vec<Link>,
    #[serde(default)]
    related_projects: Vec<RelatedProject>,
}

#[derive(Debug, Default, Deserialize)]
struct Link {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RelatedProject {
    #[serde(default)]
    project_key: Option<ProjectKey>,
    #[serde(default)]
    relation_type: Option<String>,
    #[serde(default)]
    relation_provenance: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ProjectKey {
    #[serde(default)]
    id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Package {
    #[serde(default)]
    versions: Vec<PackageVersion>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PackageVersion {
    #[serde(default)]
    version_key: Option<VersionKey>,
    #[serde(default)]
    is_default: bool,
}

#[derive(Debug, Default, Deserialize)]
struct VersionKey {
    #[serde(default)]
    version: Option<String>,
}

fn enc(s: &str) -> String {
    utf8_percent_encode(s, PATH).to_string()
}

impl Version {
    fn facts(&self, purl: &str, url: &str, fetched_at: u64) -> PackageFacts {
        let project = self
            .related_projects
            .iter()
            .filter(|p| p.relation_type.as_deref() == Some("SOURCE_REPO"))
            .find_map(|p| {
                let id = p.project_key.as_ref()?.id.as_deref()?.trim();
                (!id.is_empty()).then(|| (id.to_string(), p.relation_provenance.clone()))
            });
        let link = |label: &str| {
            self.links
                .iter()
                .find(|l| l.label.as_deref() == Some(label))
                .and_then(|l| l.url.clone())
                .filter(|u| !u.trim().is_empty())
        };
        let (repository_url, provenance) = match project {
            Some((id, prov)) => (Some(format!("https://{id}")), prov),
            None => (link("SOURCE_REPO"), None),
        };
        let owner = repository_url
            .as_deref()
            .and_then(super::repo_owner)
            .map(|login| OwnerFacts {
                login,
                ..OwnerFacts::default()
            });
        PackageFacts {
            purl: purl.to_string(),
            repository_url,
            repository_provenance: provenance,
            homepage: link("HOMEPAGE"),
            owner,
            maintainers: Vec::new(),
            source: ID,
            url: url.to_string(),
            fetched_at: rfc3339(fetched_at),
            licence: LICENCE,
        }
    }
}

/// The deps.dev source.
pub struct DepsDev {
    fetcher: Arc<Fetcher>,
}

impl DepsDev {
    pub(crate) fn new(fetcher: Arc<Fetcher>) -> Self {
        DepsDev { fetcher }
    }

    fn base(&self) -> &str {
        self.fetcher.cfg.base_urls.depsdev.trim_end_matches('/')
    }

    /// The default version of a package (deps.dev marks one `isDefault`).
    fn default_version(&self, key: &DepsDevKey) -> Result<Option<String>, OnlineError> {
        let url = format!(
            "{}/systems/{}/packages/{}",
            self.base(),
            key.system.to_ascii_lowercase(),
            enc(&key.name)
        );
        let ck = format!("{ID}:package:{}/{}", key.system, key.name);
        let cfg = &self.fetcher.cfg;
        let Some((pkg, _)) =
            self.fetcher
                .get_json::<Package>(ID, cfg.rates.depsdev, cfg.ttl, &ck, &url)?
        else {
            return Ok(None);
        };
        Ok(pkg
            .versions
            .into_iter()
            .find(|v| v.is_default)
            .and_then(|v| v.version_key?.version))
    }

    fn lookup_one(&self, purl: &str) -> Result<Option<PackageFacts>, OnlineError> {
        let key = depsdev_key(purl).map_err(|message| OnlineError::Purl {
            purl: purl.to_string(),
            message,
        })?;
        let version = match &key.version {
            Some(v) => v.clone(),
            None => match self.default_version(&key)? {
                Some(v) => v,
                None => return Ok(None),
            },
        };
        let url = format!(
            "{}/systems/{}/packages/{}/versions/{}",
            self.base(),
            key.system.to_ascii_lowercase(),
            enc(&key.name),
            enc(&version)
        );
        let ck = format!("{ID}:version:{}/{}@{version}", key.system, key.name);
        let cfg = &self.fetcher.cfg;
        let got = self
            .fetcher
            .get_json::<Version>(ID, cfg.rates.depsdev, cfg.ttl, &ck, &url)?;
        Ok(got.map(|(v, entry)| v.facts(purl, &entry.url, entry.fetched_at)))
    }
}

impl Source for DepsDev {
    fn id(&self) -> &'static str {
        ID
    }

    fn licence(&self) -> &'static str {
        LICENCE
    }

    fn lookup_packages(
        &self,
        purls: &[String],
    ) -> Vec<(String, Result<Option<PackageFacts>, OnlineError>)> {
        // Types deps.dev does not serve are simply unknown to it, not failures.
        let asked: Vec<&String> = purls
            .iter()
            .filter(|p| depsdev_key(p).is_ok())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let answers = par_map(&asked, self.fetcher.threads(), |p| self.lookup_one(p));
        self.fetcher.flush_cache();
        let by_purl: BTreeMap<&str, Result<Option<PackageFacts>, OnlineError>> =
            asked.iter().map(|p| p.as_str()).zip(answers).collect();
        purls
            .iter()
            .map(|p| {
                let r = match by_purl.get(p.as_str()) {
                    Some(Ok(f)) => Ok(f.clone()),
                    Some(Err(e)) => Err(e.duplicate()),
                    None => Ok(None),
                };
                (p.clone(), r)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_encoding_matches_the_docs() {
        assert_eq!(enc("@colors/colors"), "%40colors%2Fcolors");
        assert_eq!(
            enc("org.apache.logging.log4j:log4j-core"),
            "org.apache.logging.log4j%3Alog4j-core"
        );
        assert_eq!(enc("1.0.0+build"), "1.0.0%2Bbuild");
    }

    #[test]
    fn source_repo_project_wins_over_links() {
        let v: Version = serde_json::from_str(
            r#"{"links":[{"label":"SOURCE_REPO","url":"git+https://github.com/old/x.git"},
                         {"label":"HOMEPAGE","url":"https://x.dev"}],
                "relatedProjects":[{"projectKey":{"id":"github.com/new/x"},
                  "relationProvenance":"SLSA_ATTESTATION","relationType":"SOURCE_REPO"}]}"#,
        )
        .unwrap();
        let f = v.facts("pkg:npm/x@1", "u", 0);
        assert_eq!(
            f.repository_url.as_deref(),
            Some("https://github.com/new/x")
        );
        assert_eq!(f.repository_provenance.as_deref(), Some("SLSA_ATTESTATION"));
        assert_eq!(f.owner.unwrap().login, "new");
        assert_eq!(f.homepage.as_deref(), Some("https://x.dev"));
        assert_eq!(f.licence, "CC-BY-4.0");
    }

    #[test]
    fn links_are_the_fallback() {
        let v: Version = serde_json::from_str(
            r#"{"links":[{"label":"SOURCE_REPO","url":"git+https://github.com/old/x.git"}]}"#,
        )
        .unwrap();
        let f = v.facts("pkg:npm/x@1", "u", 0);
        assert_eq!(f.owner.unwrap().login, "old");
        assert_eq!(f.repository_provenance, None);
    }
}
