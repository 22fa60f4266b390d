//! ecosyste.ms Repos: `GET {base}/hosts/{host}/owners/{login}` answers the Owner of a GitHub or
//! GitLab account (openapi.yaml of ecosyste-ms/repos: login, name, kind, location, company,
//! website, email, …). Used to complete owners that another source names only by login (deps.dev
//! gives `github.com/owner/repo`, nothing more). Cached per owner
//! (`ecosystems-repos:owner:github.com/login`). Data licence: CC BY-SA 4.0.

use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;

use super::http::Fetcher;
use super::{OnlineError, OwnerFacts};
use crate::attribution::cache::CacheEntry;

/// Source id.
pub const ID: &str = "ecosystems-repos";
/// Data licence.
pub const LICENCE: &str = "CC-BY-SA-4.0";

const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Debug, Default, Deserialize)]
struct Owner {
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

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The repos.ecosyste.ms host name of a forge domain (`None`: not served).
pub(crate) fn host_name(domain: &str) -> Option<&'static str> {
    match domain.to_ascii_lowercase().as_str() {
        "github.com" => Some("GitHub"),
        "gitlab.com" => Some("GitLab.com"),
        _ => None,
    }
}

/// The ecosyste.ms Repos owner lookup.
pub struct Repos {
    fetcher: Arc<Fetcher>,
}

impl Repos {
    pub(crate) fn new(fetcher: Arc<Fetcher>) -> Self {
        Repos { fetcher }
    }

    /// The owner `login` on forge `domain` (`github.com`, `gitlab.com`).
    pub(crate) fn lookup_owner(
        &self,
        domain: &str,
        login: &str,
    ) -> Result<Option<(OwnerFacts, CacheEntry)>, OnlineError> {
        let Some(host) = host_name(domain) else {
            return Ok(None);
        };
        let cfg = &self.fetcher.cfg;
        let url = format!(
            "{}/hosts/{host}/owners/{}",
            cfg.base_urls.repos.trim_end_matches('/'),
            utf8_percent_encode(login, PATH)
        );
        let key = format!(
            "{ID}:owner:{}/{}",
            domain.to_ascii_lowercase(),
            login.to_lowercase()
        );
        let got = self
            .fetcher
            .get_json::<Owner>(ID, cfg.rates.repos, cfg.ttl, &key, &url)?;
        Ok(got.map(|(o, entry)| {
            let facts = OwnerFacts {
                login: non_empty(o.login).unwrap_or_else(|| login.to_string()),
                name: non_empty(o.name),
                kind: non_empty(o.kind),
                location: non_empty(o.location),
                company: non_empty(o.company),
                website: non_empty(o.website),
                email: non_empty(o.email),
            };
            (facts, entry)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(host_name("GitHub.com"), Some("GitHub"));
        assert_eq!(host_name("gitlab.com"), Some("GitLab.com"));
        assert_eq!(host_name("example.org"), None);
    }
}
