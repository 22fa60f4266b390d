//! Online enrichment: public metadata APIs that tell who stands behind a package.
//!
//! Three real sources, each implemented against its published response shape:
//!
//! | id | API | answers | data licence |
//! |---|---|---|---|
//! | `ecosystems` | ecosyste.ms Packages `POST /api/v1/packages/bulk_lookup` (≤ 100 purls a call) | repository URL, `repo_metadata.owner_record` (login, kind, location, company, website, email), maintainers | CC-BY-SA-4.0 |
//! | `depsdev` | deps.dev `GET /v3/systems/{S}/packages/{N}/versions/{V}` | `relatedProjects` SOURCE_REPO (with its provenance), `links` | CC-BY-4.0 |
//! | `ecosystems-repos` | ecosyste.ms Repos `GET /api/v1/hosts/{host}/owners/{login}` | the owner record of a GitHub/GitLab login another source named | CC-BY-SA-4.0 |
//! | `gleif` | GLEIF `GET /api/v1/lei-records?filter[entity.legalName]=…`, `/lei-records/{lei}/ultimate-parent` | LEI, legal and HQ country, jurisdiction, ultimate parent | CC0-1.0 |
//!
//! This layer returns *facts* (who owns the repository, where the owner says it is); the attribution
//! rules turn them into vendors and countries. Every answer carries its source, request URL, fetch
//! time and data licence, and lives only in the user's cache (see [`crate::attribution::cache`]).
//!
//! Behaviour: answers come from the cache first; misses go to the network with bounded concurrency,
//! per-source rate limits, timeouts and retries. When nothing answers on the first request
//! (connection refused, DNS failure) the run switches to offline and records one warning, so a
//! report is still complete.
//!
//! Use:
//!
//! ```text
//! let online = Online::new(OnlineConfig { offline: args.offline, ..OnlineConfig::from_env() })?;
//! let facts = online.lookup_packages(&purls);      // purl -> [PackageFacts], one per source
//! let entity = online.lookup_entity("Siemens AG"); // GLEIF, with the ultimate parent
//! for w in online.warnings() { /* into the report's diagnostics */ }
//! ```

mod depsdev;
mod ecosystems;
mod gleif;
pub(crate) mod http;
mod purl;
mod repos;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::attribution::cache::{self, Cache, CacheError};

pub use depsdev::DepsDev;
pub use ecosystems::Ecosystems;
pub use gleif::Gleif;
pub use http::UNREACHABLE_WARNING;
pub use purl::base_purl;
pub use repos::Repos;

/// Ids of the package sources `OnlineConfig::sources` accepts, in the default order.
pub const SOURCE_IDS: &[&str] = &[ecosystems::ID, depsdev::ID];

/// The `&'static` id of a package source named on the command line.
pub fn source_id(name: &str) -> Option<&'static str> {
    SOURCE_IDS
        .iter()
        .copied()
        .find(|id| id.eq_ignore_ascii_case(name.trim()))
}

/// Base URLs of the sources (tests point them at 127.0.0.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrls {
    /// ecosyste.ms Packages API root, `https://packages.ecosyste.ms/api/v1`.
    pub ecosystems: String,
    /// deps.dev API root, `https://api.deps.dev/v3`.
    pub depsdev: String,
    /// GLEIF API root, `https://api.gleif.org/api/v1`.
    pub gleif: String,
    /// ecosyste.ms Repos API root, `https://repos.ecosyste.ms/api/v1`.
    pub repos: String,
}

impl Default for BaseUrls {
    fn default() -> Self {
        BaseUrls {
            ecosystems: "https://packages.ecosyste.ms/api/v1".into(),
            depsdev: "https://api.deps.dev/v3".into(),
            gleif: "https://api.gleif.org/api/v1".into(),
            repos: "https://repos.ecosyste.ms/api/v1".into(),
        }
    }
}

/// Requests a second per source (token buckets, burst of one). 0 means unlimited.
#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    /// ecosyste.ms: 5,000 requests an hour per IP, so about 1.3 a second.
    pub ecosystems: f64,
    /// deps.dev: no published limit; 5 a second is polite.
    pub depsdev: f64,
    /// GLEIF: about 60 a minute.
    pub gleif: f64,
    /// ecosyste.ms Repos: same limit as Packages, a separate host.
    pub repos: f64,
}

impl Default for Rates {
    fn default() -> Self {
        Rates {
            ecosystems: 1.3,
            depsdev: 5.0,
            gleif: 1.0,
            repos: 1.3,
        }
    }
}

/// Settings of the online layer.
#[derive(Debug, Clone)]
pub struct OnlineConfig {
    /// Cache and curated data only: no request is sent.
    pub offline: bool,
    /// Cache directory; `None` = the platform cache dir (`~/.cache/sbomrisk`).
    pub cache_dir: Option<PathBuf>,
    /// How long a package answer stays fresh (7 days).
    pub ttl: Duration,
    /// How long a GLEIF answer stays fresh (30 days).
    pub entity_ttl: Duration,
    /// How long a "not found" stays fresh (1 day).
    pub negative_ttl: Duration,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
    /// Total time for one request, body included.
    pub timeout: Duration,
    /// Tries per request (first try included) on 429, 5xx and timeouts.
    pub max_tries: u32,
    /// First backoff step; doubled each retry, plus up to one step of jitter.
    pub backoff: Duration,
    /// Longest `Retry-After` honoured; longer ones are cut to this.
    pub max_retry_after: Duration,
    /// Requests in flight at once.
    pub max_concurrency: usize,
    /// Largest answer accepted, in bytes (32 MiB); larger ones are refused, not cached.
    pub max_body: u64,
    /// How long to wait for another process to release the cache.
    pub cache_wait: Duration,
    /// Sent with every request.
    pub user_agent: String,
    /// Source roots.
    pub base_urls: BaseUrls,
    /// Per-source rate limits.
    pub rates: Rates,
    /// Package sources to ask, in order (`ecosystems`, `depsdev`).
    pub sources: Vec<&'static str>,
    /// Complete owners known only by login (e.g. from deps.dev) with ecosyste.ms Repos.
    pub enrich_owners: bool,
    /// GitHub token (from `GITHUB_TOKEN`), kept for a GitHub source; no source uses it yet.
    pub github_token: Option<String>,
    /// The whole online pass of a run may take this long; then the run finishes offline.
    pub deadline: Duration,
    /// A source answering this many times in a row with a timeout or 429 is skipped for the
    /// rest of the run (circuit breaker).
    pub max_consecutive_failures: u32,
}

impl Default for OnlineConfig {
    fn default() -> Self {
        OnlineConfig {
            offline: false,
            cache_dir: None,
            ttl: Duration::from_secs(7 * 24 * 3600),
            entity_ttl: Duration::from_secs(30 * 24 * 3600),
            negative_ttl: Duration::from_secs(24 * 3600),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_tries: 3,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(60),
            max_concurrency: 4,
            max_body: 32 * 1024 * 1024,
            cache_wait: Duration::from_secs(10),
            user_agent: format!("sbomrisk/{} (+https://github.com/sbomrisk)", crate::VERSION),
            base_urls: BaseUrls::default(),
            rates: Rates::default(),
            sources: vec![ecosystems::ID, depsdev::ID],
            enrich_owners: true,
            github_token: None,
            deadline: Duration::from_secs(60),
            max_consecutive_failures: 6,
        }
    }
}

impl OnlineConfig {
    /// The defaults plus tokens from the environment (`GITHUB_TOKEN`).
    pub fn from_env() -> Self {
        OnlineConfig {
            github_token: std::env::var("GITHUB_TOKEN")
                .ok()
                .filter(|t| !t.trim().is_empty()),
            ..OnlineConfig::default()
        }
    }
}

/// Errors of the online layer. None of them stops a run: they become warnings.
#[derive(Debug, thiserror::Error)]
pub enum OnlineError {
    /// Offline (by choice or after the network proved unreachable) and nothing cached.
    #[error("offline and not in the cache")]
    Offline,
    /// The request timed out on every try.
    #[error("{url}: timed out")]
    Timeout { url: String },
    /// A network error other than a timeout.
    #[error("{url}: {message}")]
    Network { url: String, message: String },
    /// The server kept answering with an error status (or a status we do not retry).
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    /// The body is not the JSON the API documents.
    #[error("{url}: unexpected answer: {message}")]
    Garbage { url: String, message: String },
    /// The purl cannot be parsed, or the source does not serve its type.
    #[error("{purl}: {message}")]
    Purl { purl: String, message: String },
    /// The cache failed.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Client(String),
}

impl OnlineError {
    /// A copy (a CacheError is not Clone; it is copied as text).
    pub fn duplicate(&self) -> OnlineError {
        match self {
            OnlineError::Offline => OnlineError::Offline,
            OnlineError::Timeout { url } => OnlineError::Timeout { url: url.clone() },
            OnlineError::Network { url, message } => OnlineError::Network {
                url: url.clone(),
                message: message.clone(),
            },
            OnlineError::Status { url, status } => OnlineError::Status {
                url: url.clone(),
                status: *status,
            },
            OnlineError::Garbage { url, message } => OnlineError::Garbage {
                url: url.clone(),
                message: message.clone(),
            },
            OnlineError::Purl { purl, message } => OnlineError::Purl {
                purl: purl.clone(),
                message: message.clone(),
            },
            other => OnlineError::Client(other.to_string()),
        }
    }
}

/// The owner of a package's source repository (a GitHub/GitLab user or organisation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OwnerFacts {
    /// Account name, e.g. `lodash`.
    pub login: String,
    /// Display name.
    pub name: Option<String>,
    /// `user` or `organization`.
    pub kind: Option<String>,
    /// Free-text location as the owner wrote it (not mapped to a country here).
    pub location: Option<String>,
    /// Company as the owner wrote it.
    pub company: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Public e-mail.
    pub email: Option<String>,
}

impl OwnerFacts {
    /// Whether anything beyond the login is known.
    pub fn has_details(&self) -> bool {
        self.name.is_some()
            || self.kind.is_some()
            || self.location.is_some()
            || self.company.is_some()
            || self.website.is_some()
            || self.email.is_some()
    }
}

/// A registry maintainer of a package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MaintainerFacts {
    pub login: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
}

/// What one source says about one package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageFacts {
    /// The purl asked about (as given).
    pub purl: String,
    /// Source repository, e.g. `https://github.com/lodash/lodash`.
    pub repository_url: Option<String>,
    /// How the repository link was established (deps.dev `relationProvenance`, e.g.
    /// `UNVERIFIED_METADATA`, `SLSA_ATTESTATION`); `None` when the source does not say.
    pub repository_provenance: Option<String>,
    /// Home page.
    pub homepage: Option<String>,
    /// Owner of the repository.
    pub owner: Option<OwnerFacts>,
    /// Registry maintainers.
    pub maintainers: Vec<MaintainerFacts>,
    /// Source id (`ecosystems`, `depsdev`).
    pub source: &'static str,
    /// The request URL that gave the answer.
    pub url: String,
    /// When the answer was fetched, RFC 3339.
    pub fetched_at: String,
    /// Licence of the data (`CC-BY-SA-4.0`, `CC-BY-4.0`).
    pub licence: &'static str,
}

/// A legal entity's parent as GLEIF reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParentFacts {
    pub lei: String,
    pub legal_name: String,
    pub legal_country: Option<String>,
    pub hq_country: Option<String>,
}

/// What GLEIF says about a legal entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityFacts {
    /// Legal Entity Identifier (ISO 17442).
    pub lei: String,
    /// Registered legal name.
    pub legal_name: String,
    /// ISO 3166-1 alpha-2 country of the legal address.
    pub legal_country: Option<String>,
    /// ISO 3166-1 alpha-2 country of the headquarters.
    pub hq_country: Option<String>,
    /// Jurisdiction (ISO 3166-1 or -2, e.g. `US-DE`).
    pub jurisdiction: Option<String>,
    /// `ACTIVE` or `INACTIVE`.
    pub entity_status: Option<String>,
    /// `ISSUED`, `LAPSED`, …
    pub registration_status: Option<String>,
    /// The ultimate accounting parent, when reported.
    pub ultimate_parent: Option<ParentFacts>,
    /// Whether the legal name equals the name asked for (case and spacing aside).
    pub exact_match: bool,
    /// How many records the name search returned.
    pub candidates: usize,
    pub source: &'static str,
    pub url: String,
    pub fetched_at: String,
    pub licence: &'static str,
}

/// A source of package facts.
pub trait Source: Send + Sync {
    /// Short id, used in cache keys and evidence (`ecosystems`).
    fn id(&self) -> &'static str;
    /// SPDX id of the data licence.
    fn licence(&self) -> &'static str;
    /// Facts for each purl, in input order: `Ok(None)` when the source does not know it.
    fn lookup_packages(
        &self,
        purls: &[String],
    ) -> Vec<(String, Result<Option<PackageFacts>, OnlineError>)>;
}

/// The online layer: cache, sources and warnings of one run.
pub struct Online {
    fetcher: Arc<http::Fetcher>,
    sources: Vec<Box<dyn Source>>,
    gleif: Gleif,
    repos: Repos,
}

impl std::fmt::Debug for Online {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Online")
            .field(
                "sources",
                &self.sources.iter().map(|s| s.id()).collect::<Vec<_>>(),
            )
            .field("offline", &self.is_offline())
            .finish()
    }
}

impl Online {
    /// Opens the cache (waiting up to `cfg.cache_wait` for another process) and sets up the
    /// sources named in `cfg.sources`.
    pub fn new(cfg: OnlineConfig) -> Result<Online, OnlineError> {
        let dir = cfg.cache_dir.clone().or_else(cache::default_dir);
        let cache = match &dir {
            Some(d) if cfg.offline => Cache::open_to_read(d, cfg.cache_wait)?,
            Some(d) => Cache::open(d, cfg.cache_wait)?,
            None => Cache::temporary()?,
        };
        let aside = cache.moved_aside.clone();
        let fetcher = Arc::new(http::Fetcher::new(cfg, cache)?);
        if let Some(a) = aside {
            fetcher.warn(format!(
                "the cache could not be read (corrupt) and was moved to {}; a fresh cache was made",
                a.display()
            ));
        }
        if dir.is_none() {
            fetcher.warn("no cache directory on this platform; answers are not kept".into());
        }
        let mut sources: Vec<Box<dyn Source>> = Vec::new();
        for id in fetcher.cfg.sources.clone() {
            match id {
                ecosystems::ID => sources.push(Box::new(Ecosystems::new(fetcher.clone()))),
                depsdev::ID => sources.push(Box::new(DepsDev::new(fetcher.clone()))),
                other => fetcher.warn(format!("unknown online source {other:?} ignored")),
            }
        }
        let gleif = Gleif::new(fetcher.clone());
        let repos = Repos::new(fetcher.clone());
        Ok(Online {
            fetcher,
            sources,
            gleif,
            repos,
        })
    }

    /// Adds a source (asked after the configured ones).
    pub fn add_source(&mut self, source: Box<dyn Source>) {
        self.sources.push(source);
    }

    /// Facts per purl from every source that knows it (purls no source knows are absent).
    /// Failures become warnings, one per source.
    pub fn lookup_packages(&self, purls: &[String]) -> BTreeMap<String, Vec<PackageFacts>> {
        let mut unique: Vec<String> = purls.to_vec();
        unique.sort();
        unique.dedup();
        let mut out: BTreeMap<String, Vec<PackageFacts>> = BTreeMap::new();
        for source in &self.sources {
            let mut failed = 0usize;
            let mut first: Option<String> = None;
            for (purl, res) in source.lookup_packages(&unique) {
                match res {
                    Ok(Some(facts)) => out.entry(purl).or_default().push(facts),
                    Ok(None) | Err(OnlineError::Offline) => {}
                    Err(e) => {
                        failed += 1;
                        first.get_or_insert_with(|| e.to_string());
                    }
                }
            }
            if let Some(first) = first {
                self.fetcher.failed(source.id(), failed, first);
            }
        }
        if self.fetcher.cfg.enrich_owners {
            self.enrich_owners(&mut out);
        }
        out
    }

    /// For purls whose owner is known only by login, adds the owner record from ecosyste.ms
    /// Repos as a facts entry of its own (its own source, URL and licence).
    fn enrich_owners(&self, out: &mut BTreeMap<String, Vec<PackageFacts>>) {
        let mut wanted: Vec<(String, String, String)> = Vec::new(); // purl, domain, login
        for (purl, facts) in out.iter() {
            let known = facts
                .iter()
                .any(|f| f.owner.as_ref().is_some_and(OwnerFacts::has_details));
            if known {
                continue;
            }
            let hit = facts.iter().find_map(|f| {
                let login = &f.owner.as_ref()?.login;
                let (domain, owner) = repo_host_owner(f.repository_url.as_deref()?)?;
                repos::host_name(&domain)?;
                owner.eq_ignore_ascii_case(login).then_some((domain, owner))
            });
            if let Some((domain, login)) = hit {
                wanted.push((purl.clone(), domain, login));
            }
        }
        let mut owners: Vec<(String, String)> = wanted
            .iter()
            .map(|(_, d, l)| (d.clone(), l.clone()))
            .collect();
        owners.sort();
        owners.dedup();
        let answers = http::par_map(&owners, self.fetcher.threads(), |(d, l)| {
            self.repos.lookup_owner(d, l)
        });
        self.fetcher.flush_cache();
        let mut failed = 0usize;
        let mut first = None;
        let mut found = BTreeMap::new();
        for (key, answer) in owners.into_iter().zip(answers) {
            match answer {
                Ok(Some(v)) => {
                    found.insert(key, v);
                }
                Ok(None) | Err(OnlineError::Offline) => {}
                Err(e) => {
                    failed += 1;
                    first.get_or_insert_with(|| e.to_string());
                }
            }
        }
        if let Some(first) = first {
            self.fetcher.failed(repos::ID, failed, first);
        }
        for (purl, domain, login) in wanted {
            let Some((owner, entry)) = found.get(&(domain, login)) else {
                continue;
            };
            let Some(facts) = out.get_mut(&purl) else {
                continue;
            };
            let repository_url = facts.iter().find_map(|f| f.repository_url.clone());
            facts.push(PackageFacts {
                purl: purl.clone(),
                repository_url,
                repository_provenance: None,
                homepage: None,
                owner: Some(owner.clone()),
                maintainers: Vec::new(),
                source: repos::ID,
                url: entry.url.clone(),
                fetched_at: rfc3339(entry.fetched_at),
                licence: repos::LICENCE,
            });
        }
    }

    /// GLEIF facts for a legal name, with the ultimate parent. `None` when GLEIF has no record
    /// (or is unreachable and nothing is cached; failures become warnings).
    pub fn lookup_entity(&self, name: &str) -> Option<EntityFacts> {
        match self.gleif.lookup_name(name) {
            Ok(v) => v,
            Err(OnlineError::Offline) => None,
            Err(e) => {
                self.fetcher.warn(format!("gleif: {e}"));
                None
            }
        }
    }

    /// GLEIF facts for an LEI, with the ultimate parent.
    pub fn lookup_lei(&self, lei: &str) -> Option<EntityFacts> {
        match self.gleif.lookup_lei(lei) {
            Ok(v) => v,
            Err(OnlineError::Offline) => None,
            Err(e) => {
                self.fetcher.warn(format!("gleif: {e}"));
                None
            }
        }
    }

    /// Warnings of the run so far (each text once).
    pub fn warnings(&self) -> Vec<String> {
        self.fetcher.warnings()
    }

    /// Whether the run is offline (asked for, or switched after the network proved unreachable).
    pub fn is_offline(&self) -> bool {
        self.fetcher.is_offline()
    }

    /// The cache (for `sbomrisk cache stats|clear|export|import`).
    pub fn cache(&self) -> &Cache {
        &self.fetcher.cache
    }

    /// HTTP requests sent so far (each try counts).
    pub fn requests_sent(&self) -> usize {
        self.fetcher.requests.load(Ordering::SeqCst)
    }
}

/// RFC 3339 (UTC, seconds) for seconds since the epoch.
pub(crate) fn rfc3339(secs: u64) -> String {
    cache::rfc3339(secs)
}

/// The owner login of a `github.com/owner/repo`-style repository (GitHub, GitLab, Bitbucket,
/// Gitee, Codeberg), from a URL or a deps.dev project id.
pub(crate) fn repo_owner(repo: &str) -> Option<String> {
    repo_host_owner(repo).map(|(_, owner)| owner)
}

/// The forge domain (lowercase) and owner login of a repository URL or deps.dev project id.
pub(crate) fn repo_host_owner(repo: &str) -> Option<(String, String)> {
    let s = repo.trim();
    let s = s.strip_prefix("git+").unwrap_or(s);
    let s = s
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(s)
        .trim_start_matches("git@");
    let s = s.strip_prefix("www.").unwrap_or(s);
    let (host, path) = s.split_once(['/', ':'])?;
    let host = host.to_ascii_lowercase();
    if !matches!(
        host.as_str(),
        "github.com" | "gitlab.com" | "bitbucket.org" | "gitee.com" | "codeberg.org"
    ) {
        return None;
    }
    let owner = path.split('/').find(|p| !p.is_empty())?;
    Some((host, owner.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_from_repository_forms() {
        for (repo, owner) in [
            ("https://github.com/lodash/lodash", Some("lodash")),
            (
                "git+https://github.com/facebook/react.git",
                Some("facebook"),
            ),
            ("github.com/google/go-cmp", Some("google")),
            ("git@github.com:serde-rs/serde.git", Some("serde-rs")),
            ("https://gitee.com/openeuler/kernel", Some("openeuler")),
            ("https://example.org/x/y", None),
            ("github.com", None),
        ] {
            assert_eq!(repo_owner(repo).as_deref(), owner, "{repo}");
        }
    }

    #[test]
    fn source_ids_from_the_command_line() {
        assert_eq!(source_id(" DepsDev "), Some("depsdev"));
        assert_eq!(source_id("ecosystems"), Some("ecosystems"));
        assert_eq!(source_id("github"), None);
    }

    #[test]
    fn rfc3339_format() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn default_config_is_polite() {
        let c = OnlineConfig::default();
        assert!(c.user_agent.starts_with("sbomrisk/"));
        assert!(c.user_agent.contains("(+https://github.com/sbomrisk)"));
        assert_eq!(c.ttl, Duration::from_secs(604_800));
        assert_eq!(c.entity_ttl, Duration::from_secs(2_592_000));
        assert_eq!(c.max_concurrency, 4);
        assert_eq!(c.max_tries, 3);
    }
}
