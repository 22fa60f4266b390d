//! ecosyste.ms Packages: `POST {base}/packages/bulk_lookup` with `{"purls": [...]}` (at most 100
//! a call) answers an array of Package objects (openapi.yaml of ecosyste-ms/packages): each has its
//! package-level `purl`, `repository_url`, `homepage`, `maintainers[]` and `repo_metadata`, whose
//! `owner_record` is the repository owner (login, name, kind, location, company, website, email).
//!
//! Answers are cached per package (`ecosystems:package:<base purl>`), trimmed to the fields used;
//! a purl missing from the answer is cached negatively. Data licence: CC BY-SA 4.0.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::http::{par_map, Fetcher};
use super::purl::base_purl;
use super::{rfc3339, MaintainerFacts, OnlineError, OwnerFacts, PackageFacts, Source};
use crate::attribution::cache::{now_secs, CacheEntry};

/// Source id.
pub const ID: &str = "ecosystems";
/// Data licence.
pub const LICENCE: &str = "CC-BY-SA-4.0";
/// Purls per bulk_lookup call.
pub const BATCH: usize = 100;

/// The fields of a Package we keep (all optional: the API sends `null` freely).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Package {
    #[serde(default)]
    purl: Option<String>,
    #[serde(default)]
    repository_url: Option<String>,
    #[serde(default)]
    homepage: Option<String>,
    #[serde(default)]
    repo_metadata: Option<RepoMetadata>,
    #[serde(default, deserialize_with = "lenient_vec")]
    maintainers: Vec<Maintainer>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct RepoMetadata {
    #[serde(default)]
    html_url: Option<String>,
    #[serde(default)]
    owner_record: Option<OwnerRecord>,
}

/// An owner as ecosyste.ms writes it: the `owner_record` of Packages and the answer of Repos'
/// `/hosts/{host}/owners/{login}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct OwnerRecord {
    #[serde(default)]
    login: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    company: Option<String>,
    #[serde(default)]
    website: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Maintainer {
    #[serde(default)]
    login: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// `null` or a list whose odd elements are skipped.
fn lenient_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = Option::<Vec<serde_json::Value>>::deserialize(d)?;
    Ok(v.unwrap_or_default()
        .into_iter()
        .filter_map(|x| serde_json::from_value(x).ok())
        .collect())
}

/// Trimmed text, `None` when absent or blank.
pub(super) fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl OwnerRecord {
    /// The facts of this owner; `login` stands in when the record names none. `None` without
    /// any login.
    pub(super) fn facts(&self, login: Option<&str>) -> Option<OwnerFacts> {
        Some(OwnerFacts {
            login: non_empty(&self.login).or_else(|| login.map(str::to_string))?,
            name: non_empty(&self.name),
            kind: non_empty(&self.kind),
            location: non_empty(&self.location),
            company: non_empty(&self.company),
            website: non_empty(&self.website),
            email: non_empty(&self.email),
        })
    }
}

impl Package {
    fn facts(&self, purl: &str, url: &str, fetched_at: u64) -> PackageFacts {
        let owner = self
            .repo_metadata
            .as_ref()
            .and_then(|m| m.owner_record.as_ref())
            .and_then(|o| o.facts(None));
        let repository_url = non_empty(&self.repository_url).or_else(|| {
            self.repo_metadata
                .as_ref()
                .and_then(|m| non_empty(&m.html_url))
        });
        // Without an owner record, the repository URL still names the owner's login.
        let owner = owner.or_else(|| {
            repository_url
                .as_deref()
                .and_then(super::repo_owner)
                .map(|login| OwnerFacts {
                    login,
                    ..OwnerFacts::default()
                })
        });
        PackageFacts {
            purl: purl.to_string(),
            repository_url,
            repository_provenance: None,
            homepage: non_empty(&self.homepage),
            owner,
            maintainers: self
                .maintainers
                .iter()
                .map(|m| MaintainerFacts {
                    login: non_empty(&m.login),
                    name: non_empty(&m.name),
                    email: non_empty(&m.email),
                    url: non_empty(&m.url),
                })
                .collect(),
            source: ID,
            url: url.to_string(),
            fetched_at: rfc3339(fetched_at),
            licence: LICENCE,
        }
    }
}

/// The ecosyste.ms Packages source.
pub struct Ecosystems {
    fetcher: Arc<Fetcher>,
}

/// The result for one package-level purl.
type BaseResult = Result<Option<(Package, CacheEntry)>, OnlineError>;

impl Ecosystems {
    pub(crate) fn new(fetcher: Arc<Fetcher>) -> Self {
        Ecosystems { fetcher }
    }

    fn key(base: &str) -> String {
        format!("{ID}:package:{base}")
    }

    fn url(&self) -> String {
        format!(
            "{}/packages/bulk_lookup",
            self.fetcher.cfg.base_urls.ecosystems.trim_end_matches('/')
        )
    }

    fn from_entry(entry: &CacheEntry) -> Option<Option<Package>> {
        if entry.is_negative() {
            Some(None)
        } else {
            serde_json::from_str(&entry.body).ok().map(Some)
        }
    }

    /// One bulk_lookup call for up to [`BATCH`] package-level purls; caches every answer.
    fn fetch_batch(&self, bases: &[String]) -> Vec<(String, BaseResult)> {
        let url = self.url();
        let body = serde_json::json!({ "purls": bases });
        let answer = self.fetcher.send(
            ID,
            self.fetcher.cfg.rates.ecosystems,
            &url,
            Some(&body),
            None,
        );
        let parsed: Result<Vec<serde_json::Value>, OnlineError> = match answer {
            // The endpoint answers `[]` for unknown purls; a 404 means a wrong URL, not "unknown".
            Ok(a) if a.status == 404 => Err(OnlineError::Status {
                url: url.clone(),
                status: 404,
            }),
            Ok(a) => serde_json::from_str(&a.body).map_err(|e| OnlineError::Garbage {
                url: url.clone(),
                message: e.to_string(),
            }),
            Err(e) => Err(e),
        };
        let values = match parsed {
            Ok(v) => v,
            Err(e) => {
                return bases
                    .iter()
                    .map(|b| (b.clone(), Err(e.duplicate())))
                    .collect()
            }
        };
        let mut found: BTreeMap<String, Package> = BTreeMap::new();
        // An element that is not a package with a purl means the answer has not the documented
        // shape: nothing of it is believed or cached (else every purl asked would be cached as
        // unknown).
        let garbage = |message: String| {
            let e = OnlineError::Garbage {
                url: url.clone(),
                message,
            };
            bases
                .iter()
                .map(|b| (b.clone(), Err(e.duplicate())))
                .collect::<Vec<_>>()
        };
        let n = values.len();
        let mut without_purl = 0;
        for (i, v) in values.into_iter().enumerate() {
            let pkg = match serde_json::from_value::<Package>(v) {
                Ok(p) => p,
                Err(e) => return garbage(format!("element {i}: not a package: {e}")),
            };
            let Some(base) = pkg.purl.as_deref().and_then(base_purl) else {
                without_purl += 1;
                continue;
            };
            // Several packages may share a purl (mirrors); keep the first, as the API orders.
            // Registries differ on name case (NuGet, Maven); match without it.
            found.entry(base.to_lowercase()).or_insert(pkg);
        }
        if n > 0 && without_purl == n {
            return garbage(format!("none of the {n} elements is a package with a purl"));
        }
        let now = now_secs();
        let mut out = Vec::with_capacity(bases.len());
        for base in bases {
            let (status, body, pkg) = match found.get(&base.to_lowercase()).cloned() {
                Some(pkg) => (
                    200,
                    serde_json::to_string(&pkg).unwrap_or_default(),
                    Some(pkg),
                ),
                None => (404, String::new(), None),
            };
            let entry = CacheEntry {
                source: ID.to_string(),
                fetched_at: now,
                status,
                etag: None,
                url: url.clone(),
                body,
            };
            if let Err(e) = self.fetcher.cache.put(&Self::key(base), &entry) {
                out.push((base.clone(), Err(e.into())));
                continue;
            }
            out.push((base.clone(), Ok(pkg.map(|p| (p, entry)))));
        }
        self.fetcher.flush_cache();
        out
    }
}

impl Source for Ecosystems {
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
        let now = now_secs();
        let bases: Vec<Option<String>> = purls.iter().map(|p| base_purl(p)).collect();
        let unique: BTreeSet<&String> = bases.iter().flatten().collect();
        let mut results: BTreeMap<String, BaseResult> = BTreeMap::new();
        let mut misses: Vec<String> = Vec::new();
        let mut stale: BTreeMap<String, CacheEntry> = BTreeMap::new();
        for base in unique {
            let cached = self.fetcher.cache.get(&Self::key(base));
            if let Some(entry) = cached {
                if let Some(pkg) = Self::from_entry(&entry) {
                    let ttl = if entry.is_negative() {
                        self.fetcher.cfg.negative_ttl
                    } else {
                        self.fetcher.cfg.ttl
                    };
                    if self.fetcher.is_offline() || entry.is_fresh(now, ttl) {
                        results.insert(base.clone(), Ok(pkg.map(|p| (p, entry))));
                        continue;
                    }
                    stale.insert(base.clone(), entry);
                }
            }
            misses.push(base.clone());
        }
        let batches: Vec<&[String]> = misses.chunks(BATCH).collect();
        let fetched = par_map(&batches, self.fetcher.threads(), |b| self.fetch_batch(b));
        for (base, res) in fetched.into_iter().flatten() {
            // On failure, an expired answer is better than none.
            let res = match (res, stale.remove(&base)) {
                (Err(e), Some(entry)) => match Self::from_entry(&entry) {
                    Some(pkg) => Ok(pkg.map(|p| (p, entry))),
                    None => Err(e),
                },
                (res, _) => res,
            };
            results.insert(base, res);
        }
        purls
            .iter()
            .zip(bases)
            .map(|(purl, base)| {
                let res = match base {
                    None => Err(OnlineError::Purl {
                        purl: purl.clone(),
                        message: "not a purl".into(),
                    }),
                    Some(base) => match results.get(&base) {
                        Some(Ok(Some((pkg, entry)))) => {
                            Ok(Some(pkg.facts(purl, &entry.url, entry.fetched_at)))
                        }
                        Some(Ok(None)) => Ok(None),
                        Some(Err(e)) => Err(e.duplicate()),
                        None => Err(OnlineError::Offline),
                    },
                };
                (purl.clone(), res)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_from_a_package_with_owner_record() {
        let pkg: Package = serde_json::from_str(
            r#"{"purl":"pkg:npm/lodash","repository_url":"https://github.com/lodash/lodash",
                "homepage":"https://lodash.com/","maintainers":[{"login":"jdalton","name":null},"odd"],
                "repo_metadata":{"owner_record":{"login":"lodash","kind":"organization",
                "location":"  ","company":null,"website":"https://lodash.com"}}}"#,
        )
        .unwrap();
        let f = pkg.facts("pkg:npm/lodash@4.17.21", "http://x", 0);
        let o = f.owner.unwrap();
        assert_eq!(o.login, "lodash");
        assert_eq!(o.kind.as_deref(), Some("organization"));
        assert_eq!(o.location, None, "blank location is no location");
        assert_eq!(f.maintainers.len(), 1);
        assert_eq!(f.licence, "CC-BY-SA-4.0");
        assert_eq!(f.fetched_at, "1970-01-01T00:00:00Z");
    }

    #[test]
    fn owner_falls_back_to_repository_url() {
        let pkg: Package = serde_json::from_str(
            r#"{"purl":"pkg:cargo/serde","repository_url":"https://github.com/serde-rs/serde",
                "repo_metadata":null,"maintainers":null}"#,
        )
        .unwrap();
        let f = pkg.facts("pkg:cargo/serde", "u", 0);
        assert_eq!(f.owner.unwrap().login, "serde-rs");
    }
}
