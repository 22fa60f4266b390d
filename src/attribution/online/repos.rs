//! ecosyste.ms Repos: `GET {base}/hosts/{host}/owners/{login}` answers the Owner of a GitHub or
//! GitLab account (openapi.yaml of ecosyste-ms/repos: login, name, kind, location, company,
//! website, email, …). Used to complete owners that another source names only by login (deps.dev
//! gives `github.com/owner/repo`, nothing more). Cached per owner
//! (`ecosystems-repos:owner:github.com/login`). Data licence: CC BY-SA 4.0.

use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::ecosystems::OwnerRecord;
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
            .get_json::<OwnerRecord>(ID, cfg.rates.repos, cfg.ttl, &key, &url)?;
        Ok(got.and_then(|(o, entry)| o.facts(Some(login)).map(|f| (f, entry))))
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
