//! GLEIF LEI API (JSON:API): `GET {base}/lei-records?filter[entity.legalName]=NAME` answers
//! `{"data": [record…]}` where each record has `id` (the LEI) and
//! `attributes.entity.{legalName.name, legalAddress.country, headquartersAddress.country,
//! jurisdiction, status}` and `attributes.registration.status`;
//! `GET {base}/lei-records/{lei}/ultimate-parent` answers `{"data": record}` or 404 when no parent
//! is reported. Answers are cached for `entity_ttl` (30 days). Data licence: CC0 1.0.

use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;

use super::http::Fetcher;
use super::{rfc3339, EntityFacts, OnlineError, ParentFacts};

/// Source id.
pub const ID: &str = "gleif";
/// Data licence.
pub const LICENCE: &str = "CC0-1.0";

const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Debug, Default, Deserialize)]
struct Many {
    #[serde(default, deserialize_with = "lenient_records")]
    data: Vec<Record>,
}

#[derive(Debug, Default, Deserialize)]
struct One {
    #[serde(default)]
    data: Option<Record>,
}

#[derive(Debug, Default, Deserialize)]
struct Record {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    attributes: Option<Attributes>,
}

#[derive(Debug, Default, Deserialize)]
struct Attributes {
    #[serde(default)]
    lei: Option<String>,
    #[serde(default)]
    entity: Option<Entity>,
    #[serde(default)]
    registration: Option<Registration>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entity {
    #[serde(default)]
    legal_name: Option<Name>,
    #[serde(default)]
    legal_address: Option<Address>,
    #[serde(default)]
    headquarters_address: Option<Address>,
    #[serde(default)]
    jurisdiction: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Name {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Address {
    #[serde(default)]
    country: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Registration {
    #[serde(default)]
    status: Option<String>,
}

fn lenient_records<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Record>, D::Error> {
    let v = Option::<Vec<serde_json::Value>>::deserialize(d)?;
    Ok(v.unwrap_or_default()
        .into_iter()
        .filter_map(|x| serde_json::from_value(x).ok())
        .collect())
}

/// Lowercase, single spaces: how names are compared and cached.
fn normalize(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Record {
    fn lei(&self) -> Option<String> {
        self.id
            .clone()
            .or_else(|| self.attributes.as_ref()?.lei.clone())
            .filter(|l| !l.trim().is_empty())
    }
    fn entity(&self) -> Option<&Entity> {
        self.attributes.as_ref()?.entity.as_ref()
    }
    fn legal_name(&self) -> Option<String> {
        self.entity()?.legal_name.as_ref()?.name.clone()
    }
    fn legal_country(&self) -> Option<String> {
        self.entity()?.legal_address.as_ref()?.country.clone()
    }
    fn hq_country(&self) -> Option<String> {
        self.entity()?
            .headquarters_address
            .as_ref()?
            .country
            .clone()
    }
    fn active(&self) -> bool {
        let entity_ok = self.entity().and_then(|e| e.status.as_deref()) == Some("ACTIVE");
        let reg_ok = self
            .attributes
            .as_ref()
            .and_then(|a| a.registration.as_ref())
            .and_then(|r| r.status.as_deref())
            .is_some_and(|s| s != "RETIRED" && s != "ANNULLED" && s != "DUPLICATE");
        entity_ok && reg_ok
    }
}

/// The GLEIF source.
pub struct Gleif {
    fetcher: Arc<Fetcher>,
}

impl Gleif {
    pub(crate) fn new(fetcher: Arc<Fetcher>) -> Self {
        Gleif { fetcher }
    }

    fn base(&self) -> &str {
        self.fetcher.cfg.base_urls.gleif.trim_end_matches('/')
    }

    fn get<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
        url: &str,
    ) -> Result<Option<(T, crate::attribution::cache::CacheEntry)>, OnlineError> {
        let cfg = &self.fetcher.cfg;
        let r = self
            .fetcher
            .get_json::<T>(ID, cfg.rates.gleif, cfg.entity_ttl, key, url);
        self.fetcher.flush_cache();
        r
    }

    /// The ultimate parent of `lei`, if GLEIF reports one other than the entity itself.
    fn ultimate_parent(&self, lei: &str) -> Result<Option<ParentFacts>, OnlineError> {
        let url = format!(
            "{}/lei-records/{}/ultimate-parent",
            self.base(),
            utf8_percent_encode(lei, QUERY)
        );
        let key = format!("{ID}:ultimate-parent:{}", lei.to_ascii_uppercase());
        let Some((one, _)) = self.get::<One>(&key, &url)? else {
            return Ok(None);
        };
        let Some(rec) = one.data else {
            return Ok(None);
        };
        let (Some(plei), Some(name)) = (rec.lei(), rec.legal_name()) else {
            return Ok(None);
        };
        if plei.eq_ignore_ascii_case(lei) {
            return Ok(None);
        }
        Ok(Some(ParentFacts {
            lei: plei,
            legal_name: name,
            legal_country: rec.legal_country(),
            hq_country: rec.hq_country(),
        }))
    }

    fn facts(
        &self,
        rec: &Record,
        exact_match: bool,
        candidates: usize,
        url: &str,
        fetched_at: u64,
    ) -> Result<Option<EntityFacts>, OnlineError> {
        let (Some(lei), Some(legal_name)) = (rec.lei(), rec.legal_name()) else {
            return Ok(None);
        };
        let ultimate_parent = self.ultimate_parent(&lei)?;
        Ok(Some(EntityFacts {
            legal_country: rec.legal_country(),
            hq_country: rec.hq_country(),
            jurisdiction: rec.entity().and_then(|e| e.jurisdiction.clone()),
            entity_status: rec.entity().and_then(|e| e.status.clone()),
            registration_status: rec
                .attributes
                .as_ref()
                .and_then(|a| a.registration.as_ref())
                .and_then(|r| r.status.clone()),
            lei,
            legal_name,
            ultimate_parent,
            exact_match,
            candidates,
            source: ID,
            url: url.to_string(),
            fetched_at: rfc3339(fetched_at),
            licence: LICENCE,
        }))
    }

    /// Looks a legal name up. Of the records returned, the one whose legal name equals `name`
    /// (case and spacing aside) and that is active wins; else the first exact one; else the first.
    pub(crate) fn lookup_name(&self, name: &str) -> Result<Option<EntityFacts>, OnlineError> {
        let norm = normalize(name);
        if norm.is_empty() {
            return Ok(None);
        }
        let url = format!(
            "{}/lei-records?filter[entity.legalName]={}&page[size]=10",
            self.base(),
            utf8_percent_encode(
                &name.split_whitespace().collect::<Vec<_>>().join(" "),
                QUERY
            )
        );
        let key = format!("{ID}:name:{norm}");
        let Some((many, entry)) = self.get::<Many>(&key, &url)? else {
            return Ok(None);
        };
        let exact = |r: &&Record| r.legal_name().map(|n| normalize(&n)) == Some(norm.clone());
        let pick = many
            .data
            .iter()
            .filter(exact)
            .find(|r| r.active())
            .map(|r| (r, true))
            .or_else(|| many.data.iter().find(exact).map(|r| (r, true)))
            .or_else(|| many.data.first().map(|r| (r, false)));
        match pick {
            Some((rec, is_exact)) => {
                self.facts(rec, is_exact, many.data.len(), &entry.url, entry.fetched_at)
            }
            None => Ok(None),
        }
    }

    /// Looks an LEI up (`GET {base}/lei-records/{lei}`).
    pub(crate) fn lookup_lei(&self, lei: &str) -> Result<Option<EntityFacts>, OnlineError> {
        let lei = lei.trim().to_ascii_uppercase();
        if lei.len() != 20 || !lei.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(OnlineError::Garbage {
                url: String::new(),
                message: format!("{lei:?} is not an LEI (20 letters and digits)"),
            });
        }
        let url = format!("{}/lei-records/{lei}", self.base());
        let key = format!("{ID}:lei:{lei}");
        let Some((one, entry)) = self.get::<One>(&key, &url)? else {
            return Ok(None);
        };
        match &one.data {
            Some(rec) => self.facts(rec, true, 1, &entry.url, entry.fetched_at),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_and_spacing() {
        assert_eq!(
            normalize("  Siemens   Aktiengesellschaft "),
            "siemens aktiengesellschaft"
        );
    }

    #[test]
    fn record_accessors() {
        let many: Many = serde_json::from_str(
            r#"{"data":[{"type":"lei-records","id":"W38RGI023J3WT1HWRP32",
              "attributes":{"lei":"W38RGI023J3WT1HWRP32","entity":{
                "legalName":{"name":"Siemens Aktiengesellschaft","language":"de"},
                "legalAddress":{"country":"DE"},"headquartersAddress":{"country":"DE"},
                "jurisdiction":"DE","status":"ACTIVE"},"registration":{"status":"ISSUED"}}},
              "junk"]}"#,
        )
        .unwrap();
        assert_eq!(many.data.len(), 1);
        let r = &many.data[0];
        assert_eq!(r.lei().as_deref(), Some("W38RGI023J3WT1HWRP32"));
        assert_eq!(
            r.legal_name().as_deref(),
            Some("Siemens Aktiengesellschaft")
        );
        assert_eq!(r.hq_country().as_deref(), Some("DE"));
        assert!(r.active());
    }
}
