//! The online layer against a real HTTP server on 127.0.0.1 serving fixtures shaped like each API
//! (tests/fixtures/online). No test reaches the internet.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sbomrisk::attribution::cache::Cache;
use sbomrisk::attribution::online::{BaseUrls, Online, OnlineConfig, Rates, UNREACHABLE_WARNING};

/// One request the mock server saw.
#[derive(Debug, Clone)]
struct Hit {
    method: String,
    url: String,
    body: String,
    if_none_match: Option<String>,
    user_agent: Option<String>,
}

/// What the mock server answers.
struct Reply {
    status: u16,
    body: String,
    headers: Vec<(&'static str, String)>,
    delay: Duration,
}

fn reply(status: u16, body: impl Into<String>) -> Reply {
    Reply {
        status,
        body: body.into(),
        headers: Vec::new(),
        delay: Duration::ZERO,
    }
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/online")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

type Handler = dyn Fn(&Hit, usize) -> Reply + Send + Sync;

/// A real HTTP server on 127.0.0.1; `handler(hit, n)` gets the request and how many requests for
/// the same URL came before it.
struct Mock {
    base: String,
    hits: Arc<Mutex<Vec<Hit>>>,
    /// The most requests the server was answering at once.
    max_in_flight: Arc<AtomicUsize>,
}

impl Mock {
    fn start(handler: impl Fn(&Hit, usize) -> Reply + Send + Sync + 'static) -> Mock {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let hits: Arc<Mutex<Vec<Hit>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let h2 = hits.clone();
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let max2 = max_in_flight.clone();
        std::thread::spawn(move || {
            for mut req in server.incoming_requests() {
                let mut body = String::new();
                let _ = req.as_reader().read_to_string(&mut body);
                let header = |name: &'static str| {
                    req.headers()
                        .iter()
                        .find(|h| h.field.equiv(name))
                        .map(|h| h.value.to_string())
                };
                let hit = Hit {
                    method: req.method().to_string(),
                    url: req.url().to_string(),
                    body,
                    if_none_match: header("If-None-Match"),
                    user_agent: header("User-Agent"),
                };
                let n = {
                    let mut hits = h2.lock().unwrap();
                    let n = hits.iter().filter(|h| h.url == hit.url).count();
                    hits.push(hit.clone());
                    n
                };
                let r = handler(&hit, n);
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                max2.fetch_max(now, Ordering::SeqCst);
                let in_flight = in_flight.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(r.delay);
                    let mut resp = tiny_http::Response::from_string(r.body)
                        .with_status_code(r.status)
                        .with_header(
                            tiny_http::Header::from_bytes("Content-Type", "application/json")
                                .unwrap(),
                        );
                    for (k, v) in r.headers {
                        resp.add_header(tiny_http::Header::from_bytes(k, v.as_bytes()).unwrap());
                    }
                    // Count the request as done before answering: once the client has the
                    // answer it may send its next request before this thread runs again, and
                    // counting after `respond` saw one request too many in flight.
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    let _ = req.respond(resp);
                });
            }
        });
        Mock {
            base: format!("http://127.0.0.1:{port}"),
            hits,
            max_in_flight,
        }
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    fn count(&self, path_part: &str) -> usize {
        self.hits()
            .iter()
            .filter(|h| h.url.contains(path_part))
            .count()
    }
}

/// Test settings: short timeouts and backoff, no rate limits, the mock as every source.
fn config(base: &str, dir: &Path, sources: &[&'static str]) -> OnlineConfig {
    OnlineConfig {
        cache_dir: Some(dir.to_path_buf()),
        connect_timeout: Duration::from_millis(500),
        timeout: Duration::from_millis(400),
        backoff: Duration::from_millis(10),
        max_retry_after: Duration::from_secs(2),
        cache_wait: Duration::from_millis(200),
        rates: Rates {
            ecosystems: 0.0,
            depsdev: 0.0,
            gleif: 0.0,
            repos: 0.0,
        },
        base_urls: BaseUrls {
            ecosystems: format!("{base}/eco/api/v1"),
            depsdev: format!("{base}/dd/v3"),
            gleif: format!("{base}/gleif/api/v1"),
            repos: format!("{base}/repos/api/v1"),
        },
        sources: sources.to_vec(),
        enrich_owners: false,
        ..OnlineConfig::default()
    }
}

fn purls(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn eco_mock() -> Mock {
    Mock::start(|hit, _| {
        if hit.url.ends_with("/packages/bulk_lookup") {
            reply(200, fixture("ecosystems_bulk_lookup.json"))
        } else {
            reply(404, "{}")
        }
    })
}

#[test]
fn ecosystems_bulk_lookup_gives_owner_facts_and_caches_them() {
    let mock = eco_mock();
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &["ecosystems"])).unwrap();
    let asked = purls(&[
        "pkg:npm/lodash@4.17.21",
        "pkg:npm/lodash@4.17.20",
        "pkg:cargo/serde@1.0.228",
        "pkg:npm/not-there@1.0.0",
    ]);
    let facts = online.lookup_packages(&asked);

    let hits = mock.hits();
    assert_eq!(hits.len(), 1, "one bulk call: {hits:?}");
    assert_eq!(hits[0].method, "POST");
    let body: serde_json::Value = serde_json::from_str(&hits[0].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"purls": ["pkg:cargo/serde", "pkg:npm/lodash", "pkg:npm/not-there"]}),
        "versions are dropped and packages asked once"
    );
    assert!(hits[0].user_agent.as_deref().is_some_and(
        |ua| ua.starts_with("sbomrisk/") && ua.contains("(+https://github.com/sbomrisk)")
    ));

    let lodash = &facts["pkg:npm/lodash@4.17.21"][0];
    assert_eq!(lodash.source, "ecosystems");
    assert_eq!(lodash.licence, "CC-BY-SA-4.0");
    assert_eq!(
        lodash.repository_url.as_deref(),
        Some("https://github.com/lodash/lodash")
    );
    let owner = lodash.owner.as_ref().unwrap();
    assert_eq!(owner.login, "lodash");
    assert_eq!(owner.kind.as_deref(), Some("organization"));
    assert_eq!(owner.website.as_deref(), Some("https://lodash.com"));
    assert_eq!(lodash.maintainers[0].login.as_deref(), Some("jdalton"));
    assert!(lodash.url.ends_with("/eco/api/v1/packages/bulk_lookup"));
    assert!(lodash.fetched_at.ends_with('Z') && lodash.fetched_at.len() == 20);
    assert!(facts.contains_key("pkg:npm/lodash@4.17.20"));
    let serde = &facts["pkg:cargo/serde@1.0.228"][0];
    assert_eq!(
        serde.owner.as_ref().unwrap().location.as_deref(),
        Some("Example City, Exampleland")
    );
    assert!(!facts.contains_key("pkg:npm/not-there@1.0.0"));
    assert!(online.warnings().is_empty(), "{:?}", online.warnings());

    // Second run: everything (the miss too) comes from the cache.
    let again = online.lookup_packages(&asked);
    assert_eq!(again, facts);
    assert_eq!(
        mock.hits().len(),
        1,
        "no request for cached and negative answers"
    );
    let stats = online.cache().stats().unwrap();
    assert_eq!(stats.entries, 3);
    assert_eq!(stats.negative, 1);
    assert_eq!(stats.per_source.get("ecosystems"), Some(&3));
}

#[test]
fn ecosystems_batches_of_one_hundred() {
    let mock = Mock::start(|hit, _| {
        // Echo a package for every purl asked.
        let body: serde_json::Value = serde_json::from_str(&hit.body).unwrap();
        let list: Vec<serde_json::Value> = body["purls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let name = p.as_str().unwrap().trim_start_matches("pkg:npm/");
                serde_json::json!({"purl": p, "repository_url": format!("https://github.com/o{name}/{name}")})
            })
            .collect();
        reply(200, serde_json::to_string(&list).unwrap())
    });
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &["ecosystems"])).unwrap();
    let asked: Vec<String> = (0..250).map(|i| format!("pkg:npm/p{i}@1.0.0")).collect();
    let facts = online.lookup_packages(&asked);
    let hits = mock.hits();
    assert_eq!(hits.len(), 3);
    let mut sizes: Vec<usize> = hits
        .iter()
        .map(|h| {
            let v: serde_json::Value = serde_json::from_str(&h.body).unwrap();
            v["purls"].as_array().unwrap().len()
        })
        .collect();
    sizes.sort();
    assert_eq!(sizes, vec![50, 100, 100]);
    assert_eq!(facts.len(), 250);
    assert_eq!(
        facts["pkg:npm/p7@1.0.0"][0].owner.as_ref().unwrap().login,
        "op7"
    );
}

#[test]
fn depsdev_version_and_default_version() {
    let mock = Mock::start(|hit, _| match hit.url.as_str() {
        "/dd/v3/systems/npm/packages/%40colors%2Fcolors/versions/1.5.0" => {
            reply(200, fixture("depsdev_version_npm_colors.json"))
        }
        "/dd/v3/systems/cargo/packages/serde" => {
            reply(200, fixture("depsdev_package_cargo_serde.json"))
        }
        "/dd/v3/systems/cargo/packages/serde/versions/1.0.228" => {
            reply(200, fixture("depsdev_version_cargo_serde.json"))
        }
        _ => reply(404, fixture("depsdev_not_found.json")),
    });
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &["depsdev"])).unwrap();
    let asked = purls(&[
        "pkg:npm/%40colors/colors@1.5.0",
        "pkg:cargo/serde",
        "pkg:deb/debian/curl@7.88.1",
    ]);
    let facts = online.lookup_packages(&asked);
    let colors = &facts["pkg:npm/%40colors/colors@1.5.0"][0];
    assert_eq!(
        colors.repository_url.as_deref(),
        Some("https://github.com/dabh/colors.js")
    );
    assert_eq!(colors.owner.as_ref().unwrap().login, "dabh");
    assert_eq!(
        colors.repository_provenance.as_deref(),
        Some("UNVERIFIED_METADATA")
    );
    assert_eq!(colors.licence, "CC-BY-4.0");
    assert_eq!(colors.source, "depsdev");
    let serde = &facts["pkg:cargo/serde"][0];
    assert_eq!(serde.owner.as_ref().unwrap().login, "serde-rs");
    assert!(serde.url.ends_with("/serde/versions/1.0.228"));
    assert!(!facts.contains_key("pkg:deb/debian/curl@7.88.1"));
    assert_eq!(mock.hits().len(), 3, "deb is not asked: {:?}", mock.hits());
    assert!(online.warnings().is_empty(), "{:?}", online.warnings());
}

#[test]
fn not_found_is_cached_negatively() {
    let mock = Mock::start(|_, _| reply(404, fixture("depsdev_not_found.json")));
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &["depsdev"])).unwrap();
    let asked = purls(&["pkg:npm/nope@1.0.0"]);
    assert!(online.lookup_packages(&asked).is_empty());
    assert_eq!(mock.hits().len(), 1);
    assert!(online.lookup_packages(&asked).is_empty());
    assert_eq!(mock.hits().len(), 1, "second lookup makes no request");
    assert_eq!(online.cache().stats().unwrap().negative, 1);
    assert!(online.warnings().is_empty());
}

fn version_url() -> &'static str {
    "/dd/v3/systems/cargo/packages/serde/versions/1.0.228"
}

#[test]
fn too_many_requests_honours_retry_after() {
    let mock = Mock::start(|_, n| {
        if n == 0 {
            let mut r = reply(429, r#"{"error":"rate limited"}"#);
            r.headers.push(("Retry-After", "1".into()));
            r
        } else {
            reply(200, fixture("depsdev_version_cargo_serde.json"))
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &["depsdev"])).unwrap();
    let start = Instant::now();
    let facts = online.lookup_packages(&purls(&["pkg:cargo/serde@1.0.228"]));
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(mock.count(version_url()), 2);
    assert_eq!(facts.len(), 1);
    assert!(online.warnings().is_empty());
}

#[test]
fn server_error_then_success_is_retried() {
    let mock = Mock::start(|_, n| {
        if n == 0 {
            reply(500, "oops")
        } else {
            reply(200, fixture("depsdev_version_cargo_serde.json"))
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &["depsdev"])).unwrap();
    let facts = online.lookup_packages(&purls(&["pkg:cargo/serde@1.0.228"]));
    assert_eq!(mock.count(version_url()), 2);
    assert_eq!(facts.len(), 1);
    assert!(online.warnings().is_empty());
}

#[test]
fn persistent_server_error_is_reported_and_not_cached() {
    let mock = Mock::start(|_, _| reply(503, "down"));
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &["depsdev", "ecosystems"])).unwrap();
    let asked = purls(&["pkg:cargo/serde@1.0.228"]);
    assert!(online.lookup_packages(&asked).is_empty());
    assert_eq!(mock.count(version_url()), 3, "three tries");
    assert_eq!(mock.count("bulk_lookup"), 3, "three tries");
    let w = online.warnings();
    assert_eq!(w.len(), 2, "one warning per source: {w:?}");
    assert!(w.iter().all(|w| w.contains("HTTP 503")), "{w:?}");
    assert!(!online.is_offline(), "a server that answers is reachable");
    assert_eq!(
        online.cache().stats().unwrap().entries,
        0,
        "errors are not cached"
    );
    online.lookup_packages(&asked);
    assert_eq!(mock.count(version_url()), 6, "asked again next time");
}

#[test]
fn slow_answer_times_out_after_retries_and_is_not_cached() {
    let mock = Mock::start(|_, _| {
        let mut r = reply(200, fixture("depsdev_version_cargo_serde.json"));
        r.delay = Duration::from_millis(1500);
        r
    });
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &["depsdev"])).unwrap();
    let start = Instant::now();
    assert!(online
        .lookup_packages(&purls(&["pkg:cargo/serde@1.0.228"]))
        .is_empty());
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(mock.count(version_url()), 3);
    let w = online.warnings();
    assert!(w.len() == 1 && w[0].contains("timed out"), "{w:?}");
    assert_eq!(online.cache().stats().unwrap().entries, 0);
}

#[test]
fn malformed_json_is_not_cached() {
    let mock = Mock::start(|hit, _| {
        if hit.url.contains("bulk_lookup") {
            reply(200, "[{\"purl\": \"pkg:npm/lodash\", ")
        } else {
            reply(200, "<html>maintenance</html>")
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &["ecosystems", "depsdev"])).unwrap();
    let asked = purls(&["pkg:npm/lodash@4.17.21"]);
    assert!(online.lookup_packages(&asked).is_empty());
    let w = online.warnings();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w.iter().all(|w| w.contains("unexpected answer")), "{w:?}");
    assert_eq!(online.cache().stats().unwrap().entries, 0);
    let before = mock.hits().len();
    online.lookup_packages(&asked);
    assert_eq!(mock.hits().len(), before + 2, "asked again");
}

#[test]
fn etag_revalidation_reuses_the_cached_body() {
    let mock = Mock::start(|hit, _| {
        if hit.if_none_match.as_deref() == Some("\"v1\"") {
            reply(304, "")
        } else {
            let mut r = reply(200, fixture("depsdev_version_cargo_serde.json"));
            r.headers.push(("ETag", "\"v1\"".into()));
            r
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&mock.base, dir.path(), &["depsdev"]);
    cfg.ttl = Duration::ZERO; // every answer is stale at once
    let online = Online::new(cfg).unwrap();
    let asked = purls(&["pkg:cargo/serde@1.0.228"]);
    let first = online.lookup_packages(&asked);
    let second = online.lookup_packages(&asked);
    let hits = mock.hits();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].if_none_match, None);
    assert_eq!(hits[1].if_none_match.as_deref(), Some("\"v1\""));
    assert_eq!(first.len(), 1);
    assert_eq!(
        second["pkg:cargo/serde@1.0.228"][0].repository_url,
        first["pkg:cargo/serde@1.0.228"][0].repository_url
    );
    assert!(online.warnings().is_empty(), "{:?}", online.warnings());
}

/// A base URL on a port nobody listens on.
fn dead_base() -> String {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    format!("http://127.0.0.1:{port}")
}

#[test]
fn connection_refused_switches_to_offline_with_one_warning() {
    let base = dead_base();
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&base, dir.path(), &["ecosystems", "depsdev"])).unwrap();
    let asked: Vec<String> = (0..20).map(|i| format!("pkg:npm/p{i}@1.0.0")).collect();
    let start = Instant::now();
    assert!(online.lookup_packages(&asked).is_empty());
    assert!(online.lookup_entity("Example Networks GmbH").is_none());
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert!(online.is_offline());
    assert_eq!(online.warnings(), vec![UNREACHABLE_WARNING.to_string()]);
    assert!(
        online.requests_sent() <= 4,
        "stops at the first refusals, not one per purl: {}",
        online.requests_sent()
    );
}

#[test]
fn offline_mode_uses_only_the_cache() {
    let mock = eco_mock();
    let dir = tempfile::tempdir().unwrap();
    let asked = purls(&["pkg:npm/lodash@4.17.21", "pkg:npm/other@1.0.0"]);
    {
        let online = Online::new(config(&mock.base, dir.path(), &["ecosystems"])).unwrap();
        assert_eq!(online.lookup_packages(&asked[..1]).len(), 1);
    }
    let mut cfg = config(&mock.base, dir.path(), &["ecosystems"]);
    cfg.offline = true;
    cfg.cache_wait = Duration::from_secs(5);
    let online = Online::new(cfg).unwrap();
    let facts = online.lookup_packages(&asked);
    assert_eq!(facts.len(), 1, "lodash from the cache, other unknown");
    assert_eq!(mock.hits().len(), 1, "offline sends nothing");
    assert_eq!(online.requests_sent(), 0);
    assert!(online.warnings().is_empty());
}

#[test]
fn cache_survives_reopen_and_stale_entries_serve_offline() {
    let mock = eco_mock();
    let dir = tempfile::tempdir().unwrap();
    let asked = purls(&["pkg:cargo/serde@1.0.228"]);
    let first = {
        let online = Online::new(config(&mock.base, dir.path(), &["ecosystems"])).unwrap();
        online.lookup_packages(&asked)
    };
    let mut cfg = config(&mock.base, dir.path(), &["ecosystems"]);
    cfg.cache_wait = Duration::from_secs(5);
    cfg.offline = true;
    cfg.ttl = Duration::ZERO; // stale, but offline takes what the cache has
    {
        let online = Online::new(cfg.clone()).unwrap();
        assert!(!online.cache().is_snapshot(), "changed since: the database");
        assert_eq!(online.lookup_packages(&asked), first);
    }
    // The run before wrote a snapshot; this one reads it, and finds the same.
    let online = Online::new(cfg).unwrap();
    assert!(online.cache().is_snapshot());
    assert_eq!(online.lookup_packages(&asked), first);
    assert!(online.warnings().is_empty(), "{:?}", online.warnings());
    assert_eq!(mock.hits().len(), 1);
}

#[test]
fn a_second_instance_on_the_same_cache_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config("http://127.0.0.1:9", dir.path(), &["ecosystems"]);
    let first = Online::new(cfg.clone()).unwrap();
    let err = Online::new(cfg.clone()).unwrap_err().to_string();
    assert!(
        err.contains(&format!(
            "cache {} is in use by another sbomrisk process",
            dir.path().display()
        )),
        "{err}"
    );
    // A run that only reads is served by the snapshot meanwhile.
    let mut read = cfg.clone();
    read.offline = true;
    assert!(Online::new(read).unwrap().cache().is_snapshot());
    // With a longer wait, the second gets the cache once the first lets go.
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        drop(first);
    });
    cfg.cache_wait = Duration::from_secs(10);
    let second = Online::new(cfg);
    t.join().unwrap();
    assert!(second.is_ok(), "{:?}", second.err());
}

#[test]
fn export_import_round_trip() {
    let mock = eco_mock();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let asked = purls(&["pkg:npm/lodash@4.17.21", "pkg:npm/not-there@1"]);
    let (facts, dump) = {
        let online = Online::new(config(&mock.base, a.path(), &["ecosystems"])).unwrap();
        let facts = online.lookup_packages(&asked);
        let mut dump = Vec::new();
        assert_eq!(online.cache().export(&mut dump).unwrap(), 2);
        (facts, dump)
    };
    {
        let cache = Cache::open(b.path(), Duration::from_secs(5)).unwrap();
        assert_eq!(cache.import(dump.as_slice()).unwrap(), 2);
        let mut again = Vec::new();
        cache.export(&mut again).unwrap();
        assert_eq!(again, dump, "export of the import is the same");
    }
    let mut cfg = config(&mock.base, b.path(), &["ecosystems"]);
    cfg.offline = true;
    cfg.cache_wait = Duration::from_secs(5);
    let online = Online::new(cfg).unwrap();
    assert_eq!(online.lookup_packages(&asked), facts);
    assert_eq!(mock.hits().len(), 1);
}

#[test]
fn gleif_entity_with_ultimate_parent() {
    let mock = Mock::start(|hit, _| {
        if hit.url.starts_with("/gleif/api/v1/lei-records?") {
            reply(200, fixture("gleif_lei_records_by_name.json"))
        } else if hit.url == "/gleif/api/v1/lei-records/529900EXAMPLE0000001/ultimate-parent" {
            reply(200, fixture("gleif_ultimate_parent.json"))
        } else {
            reply(404, fixture("gleif_not_found.json"))
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &[])).unwrap();
    let e = online.lookup_entity("Example  Networks GmbH").unwrap();
    assert_eq!(
        e.lei, "529900EXAMPLE0000001",
        "the active record of two exact ones"
    );
    assert_eq!(e.legal_name, "Example Networks GmbH");
    assert_eq!(e.hq_country.as_deref(), Some("DE"));
    assert_eq!(e.legal_country.as_deref(), Some("DE"));
    assert_eq!(e.jurisdiction.as_deref(), Some("DE"));
    assert!(e.exact_match);
    assert_eq!(e.candidates, 2);
    assert_eq!(e.licence, "CC0-1.0");
    let p = e.ultimate_parent.as_ref().unwrap();
    assert_eq!(p.lei, "549300EXAMPLEHOLD001");
    assert_eq!(p.hq_country.as_deref(), Some("SG"));
    assert_eq!(p.legal_country.as_deref(), Some("KY"));
    let q = &mock.hits()[0].url;
    assert!(
        q.contains("filter[entity.legalName]=Example%20Networks%20GmbH"),
        "{q}"
    );
    // Cached: the same name (any case or spacing) asks nothing.
    let n = mock.hits().len();
    assert_eq!(online.lookup_entity("example networks gmbh"), Some(e));
    assert_eq!(mock.hits().len(), n);
    // An LEI without a reported parent: the 404 means "none".
    let old = online.lookup_lei("529900exampleold0001");
    assert!(old.is_none(), "lei-records/{{lei}} is 404 in this mock");
    assert!(online.warnings().is_empty(), "{:?}", online.warnings());
}

#[test]
fn one_dead_host_is_skipped_while_others_answer() {
    let mock = Mock::start(|_, _| reply(200, fixture("depsdev_version_cargo_serde.json")));
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&mock.base, dir.path(), &["depsdev", "ecosystems"]);
    cfg.base_urls.ecosystems = format!("{}/api/v1", dead_base());
    let online = Online::new(cfg).unwrap();
    let facts = online.lookup_packages(&purls(&["pkg:cargo/serde@1.0.228"]));
    assert_eq!(
        facts["pkg:cargo/serde@1.0.228"].len(),
        1,
        "deps.dev answered"
    );
    assert!(!online.is_offline());
    let w = online.warnings();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].starts_with("ecosystems: unreachable"), "{w:?}");
    let sent = online.requests_sent();
    online.lookup_packages(&purls(&["pkg:npm/lodash@1"]));
    assert_eq!(
        online.requests_sent(),
        sent + 1,
        "only deps.dev is asked now"
    );
}

#[test]
fn a_stale_answer_is_used_when_the_source_fails() {
    let mock = Mock::start(|_, n| {
        if n == 0 {
            reply(200, fixture("depsdev_version_cargo_serde.json"))
        } else {
            reply(500, "down")
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&mock.base, dir.path(), &["depsdev"]);
    cfg.ttl = Duration::ZERO;
    let online = Online::new(cfg).unwrap();
    let asked = purls(&["pkg:cargo/serde@1.0.228"]);
    let first = online.lookup_packages(&asked);
    let second = online.lookup_packages(&asked);
    assert_eq!(mock.hits().len(), 4, "1 + 3 tries");
    assert_eq!(
        second, first,
        "the expired answer, with its original fetch time"
    );
}

#[test]
fn rate_limit_spaces_requests_to_one_host() {
    let mock = Mock::start(|_, _| reply(200, "[]"));
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&mock.base, dir.path(), &["ecosystems"]);
    cfg.rates.ecosystems = 10.0; // 100 ms apart
    let online = Online::new(cfg).unwrap();
    let asked: Vec<String> = (0..300).map(|i| format!("pkg:npm/q{i}")).collect();
    let start = Instant::now();
    online.lookup_packages(&asked);
    assert_eq!(mock.hits().len(), 3);
    assert!(
        start.elapsed() >= Duration::from_millis(200),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn concurrency_is_bounded() {
    let mock = Mock::start(|_, _| {
        let mut r = reply(404, fixture("depsdev_not_found.json"));
        r.delay = Duration::from_millis(60);
        r
    });
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&mock.base, dir.path(), &["depsdev"]);
    cfg.max_concurrency = 3;
    let online = Online::new(cfg).unwrap();
    let asked: Vec<String> = (0..15).map(|i| format!("pkg:npm/c{i}@1.0.0")).collect();
    online.lookup_packages(&asked);
    assert_eq!(mock.hits().len(), 15);
    let most = mock.max_in_flight.load(Ordering::SeqCst);
    assert!((2..=3).contains(&most), "parallel, never above 3: {most}");
}

/// Runs this test binary again as a child process running `child_process`.
fn spawn_child(mode: &str, dir: &Path) -> std::process::Child {
    std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "child_process", "--nocapture"])
        .env("SBOMRISK_TEST_CHILD_DIR", dir)
        .env("SBOMRISK_TEST_CHILD_MODE", mode)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Not a test on its own: the child of the two-process tests (does nothing without its
/// environment).
#[test]
#[ignore]
fn child_process() {
    let (Ok(dir), Ok(mode)) = (
        std::env::var("SBOMRISK_TEST_CHILD_DIR"),
        std::env::var("SBOMRISK_TEST_CHILD_MODE"),
    ) else {
        return;
    };
    let dir = Path::new(&dir);
    let cache = Cache::open(dir, Duration::from_secs(5)).unwrap();
    let entry = |i: u64| sbomrisk::attribution::cache::CacheEntry {
        source: "ecosystems".into(),
        fetched_at: 1_700_000_000 + i,
        status: 200,
        etag: None,
        url: "http://127.0.0.1/x".into(),
        body: format!("{{\"purl\":\"pkg:npm/k{i}\"}}"),
    };
    match mode.as_str() {
        "hold" => {
            std::fs::write(dir.join("ready"), "").unwrap();
            std::thread::sleep(Duration::from_millis(1500));
        }
        "crash" => {
            // Two batches, flushed as the sources do, then killed mid-run.
            for i in 0..40 {
                cache
                    .put(&format!("ecosystems:package:pkg:npm/k{i}"), &entry(i))
                    .unwrap();
                if i % 20 == 19 {
                    cache.flush().unwrap();
                }
            }
            // A third batch is under way, not flushed, when the process dies.
            for i in 40..45 {
                cache
                    .put(&format!("ecosystems:package:pkg:npm/k{i}"), &entry(i))
                    .unwrap();
            }
            std::process::abort();
        }
        _ => {}
    }
}

#[test]
fn a_second_process_gets_a_clear_error_naming_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn_child("hold", dir.path());
    let start = Instant::now();
    while !dir.path().join("ready").exists() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "child never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let err = Cache::open(dir.path(), Duration::from_millis(200))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "cache {} is in use by another sbomrisk process (pid {})",
            dir.path().display(),
            child.id()
        )
    );
    // Waiting long enough gets the cache once the child is done.
    let cache = Cache::open(dir.path(), Duration::from_secs(10));
    assert!(cache.is_ok(), "{:?}", cache.err());
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_process_killed_mid_run_leaves_a_usable_cache() {
    let dir = tempfile::tempdir().unwrap();
    let status = spawn_child("crash", dir.path()).wait().unwrap();
    assert!(!status.success(), "the child aborted");
    let cache = Cache::open(dir.path(), Duration::from_secs(5)).unwrap();
    let stats = cache.stats().unwrap();
    assert!(
        (40..=45).contains(&stats.entries),
        "both flushed batches survive: {stats:?}"
    );
    assert!(
        !stats.per_source.contains_key("(unreadable)"),
        "nothing half-written: {stats:?}"
    );
    assert_eq!(
        cache
            .get("ecosystems:package:pkg:npm/k39")
            .unwrap()
            .fetched_at,
        1_700_000_039
    );
}

#[test]
fn ecosystems_matches_names_without_case() {
    let mock = Mock::start(|_, _| {
        reply(
            200,
            r#"[{"purl":"pkg:nuget/Newtonsoft.Json","repository_url":"https://github.com/JamesNK/Newtonsoft.Json"}]"#,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &["ecosystems"])).unwrap();
    let asked = purls(&[
        "pkg:nuget/newtonsoft.json@13.0.1",
        "pkg:nuget/Newtonsoft.Json@12.0.3",
    ]);
    let facts = online.lookup_packages(&asked);
    assert_eq!(facts.len(), 2, "{facts:?}");
    assert_eq!(
        facts["pkg:nuget/newtonsoft.json@13.0.1"][0]
            .owner
            .as_ref()
            .unwrap()
            .login,
        "JamesNK"
    );
}

#[test]
fn owners_known_only_by_login_are_completed_from_ecosystems_repos() {
    let mock = Mock::start(|hit, _| match hit.url.as_str() {
        "/dd/v3/systems/cargo/packages/serde/versions/1.0.228" => {
            reply(200, fixture("depsdev_version_cargo_serde.json"))
        }
        "/repos/api/v1/hosts/GitHub/owners/serde-rs" => {
            reply(200, fixture("repos_owner_github.json"))
        }
        _ => reply(404, "{}"),
    });
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&mock.base, dir.path(), &["depsdev"]);
    cfg.enrich_owners = true;
    let online = Online::new(cfg).unwrap();
    let asked = purls(&["pkg:cargo/serde@1.0.228", "pkg:cargo/serde_derive@1.0.228"]);
    let facts = online.lookup_packages(&asked);
    let serde = &facts["pkg:cargo/serde@1.0.228"];
    assert_eq!(serde.len(), 2, "{serde:?}");
    assert_eq!(serde[0].source, "depsdev");
    let repos = &serde[1];
    assert_eq!(repos.source, "ecosystems-repos");
    assert_eq!(repos.licence, "CC-BY-SA-4.0");
    assert!(repos
        .url
        .ends_with("/repos/api/v1/hosts/GitHub/owners/serde-rs"));
    let owner = repos.owner.as_ref().unwrap();
    assert_eq!(owner.kind.as_deref(), Some("organization"));
    assert_eq!(owner.location.as_deref(), Some("Example City, Exampleland"));
    assert_eq!(
        repos.repository_url.as_deref(),
        Some("https://github.com/serde-rs/serde")
    );
    assert_eq!(mock.count("/owners/"), 1);
    // Cached with the rest.
    online.lookup_packages(&asked);
    assert_eq!(mock.count("/owners/"), 1);
    assert!(online.warnings().is_empty(), "{:?}", online.warnings());
}

#[test]
fn an_oversized_answer_is_refused_and_not_cached() {
    let mock = Mock::start(|_, _| reply(200, fixture("depsdev_version_cargo_serde.json")));
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&mock.base, dir.path(), &["depsdev"]);
    cfg.max_body = 100;
    let online = Online::new(cfg).unwrap();
    assert!(online
        .lookup_packages(&purls(&["pkg:cargo/serde@1.0.228"]))
        .is_empty());
    assert_eq!(mock.hits().len(), 1, "garbage is not retried");
    let w = online.warnings();
    assert!(
        w.len() == 1 && w[0].contains("larger than 100 bytes"),
        "{w:?}"
    );
    assert_eq!(online.cache().stats().unwrap().entries, 0);
}

#[test]
fn a_server_that_never_answers_costs_the_deadline_not_hours() {
    let mock = Mock::start(|_, _| {
        let mut r = reply(200, "{}");
        r.delay = Duration::from_millis(3000);
        r
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = OnlineConfig {
        deadline: Duration::from_millis(1500),
        ..config(&mock.base, dir.path(), &["depsdev"])
    };
    let online = Online::new(cfg).unwrap();
    let start = Instant::now();
    let many: Vec<String> = (0..40)
        .map(|i| format!("pkg:cargo/crate{i}@1.0.0"))
        .collect();
    assert!(online.lookup_packages(&many).is_empty());
    // 40 purls x 3 tries x 0.4 s would be 48 s; the deadline and the circuit breaker stop it.
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    let w = online.warnings();
    assert!(
        w.iter()
            .any(|w| w.contains("--online-timeout") || w.contains("in a row")),
        "{w:?}"
    );
    assert_eq!(online.cache().stats().unwrap().entries, 0);
}

#[test]
fn redirects_to_another_host_are_refused() {
    let mock = Mock::start(|_, _| {
        let mut r = reply(302, "");
        r.headers
            .push(("Location", "http://198.51.100.7/elsewhere".to_string()));
        r
    });
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &["depsdev"])).unwrap();
    let start = Instant::now();
    assert!(online
        .lookup_packages(&purls(&["pkg:cargo/serde@1.0.228"]))
        .is_empty());
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    let w = online.warnings();
    assert!(w.iter().any(|w| w.contains("redirect")), "{w:?}");
    assert_eq!(online.cache().stats().unwrap().entries, 0);
}

#[test]
fn well_formed_answers_of_the_wrong_shape_are_not_cached() {
    let mock = Mock::start(|hit, _| {
        if hit.url.contains("bulk_lookup") {
            reply(200, "[{\"name\": \"lodash\"}, {\"unexpected\": true}]")
        } else {
            reply(200, "[]")
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let online = Online::new(config(&mock.base, dir.path(), &["ecosystems", "depsdev"])).unwrap();
    let asked = purls(&["pkg:npm/lodash@4.17.21", "pkg:cargo/serde@1.0.228"]);
    assert!(online.lookup_packages(&asked).is_empty());
    let w = online.warnings();
    assert!(w.iter().all(|w| w.contains("unexpected answer")), "{w:?}");
    assert_eq!(online.cache().stats().unwrap().entries, 0, "nothing cached");
}

/// A server that answers at once, then drips its body a byte at a time: each byte restarts
/// reqwest's read timeout, so only the request's own end and the run's deadline bound it.
#[test]
fn a_body_dripped_a_byte_at_a_time_costs_the_deadline_not_hours() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
                );
                for _ in 0..100_000 {
                    if s.write_all(b" ").is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            });
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = OnlineConfig {
        deadline: Duration::from_millis(2000),
        ..config(
            &format!("http://127.0.0.1:{port}"),
            dir.path(),
            &["depsdev"],
        )
    };
    let online = Online::new(cfg).unwrap();
    let start = Instant::now();
    let many: Vec<String> = (0..10)
        .map(|i| format!("pkg:cargo/crate{i}@1.0.0"))
        .collect();
    assert!(online.lookup_packages(&many).is_empty());
    assert!(
        start.elapsed() < Duration::from_secs(6),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(online.cache().stats().unwrap().entries, 0);
}
