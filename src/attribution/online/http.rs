//! HTTP machinery shared by the online sources: one blocking client, per-source token buckets,
//! retries with exponential backoff and jitter (honouring `Retry-After`), the switch to offline when
//! the network is unreachable, and cached GETs with ETag revalidation.
//!
//! Architecture invariant: no source-specific JSON here; sources hand in a URL and a cache key and
//! get back a parsed body or an [`OnlineError`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, CONTENT_TYPE, ETAG, IF_NONE_MATCH, RETRY_AFTER};
use serde::de::DeserializeOwned;

use super::{OnlineConfig, OnlineError};
use crate::attribution::cache::{now_secs, Cache, CacheEntry};

/// The one warning recorded when the network is unreachable.
pub const UNREACHABLE_WARNING: &str = "online sources unreachable; offline results";

/// A token bucket: `rate` tokens a second, burst of one. Callers reserve a slot and sleep until it.
#[derive(Debug)]
struct Bucket {
    /// The earliest instant the next request may start.
    next: Instant,
}

/// An HTTP answer the caller has to look at (2xx, 304 or 404).
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
    pub etag: Option<String>,
}

/// Shared HTTP state of one [`super::Online`].
pub(crate) struct Fetcher {
    client: Option<reqwest::blocking::Client>,
    pub(crate) cache: Cache,
    pub(crate) cfg: OnlineConfig,
    buckets: Mutex<HashMap<&'static str, Bucket>>,
    offline: AtomicBool,
    reached: AtomicBool,
    /// Sources whose host stopped accepting connections after others answered.
    down: Mutex<Vec<&'static str>>,
    warnings: Mutex<Vec<String>>,
    /// Failed lookups per source over the run: how many, and the first error's text.
    failures: Mutex<Vec<(&'static str, usize, String)>>,
    /// Requests sent (each try counts), for tests and `--verbose`.
    pub(crate) requests: AtomicUsize,
    /// When the fetcher was made: the online pass ends at `started + cfg.deadline`.
    started: Instant,
    /// Timeouts and 429 answers in a row, per source.
    consecutive: Mutex<HashMap<&'static str, u32>>,
}

impl Fetcher {
    pub(crate) fn new(cfg: OnlineConfig, cache: Cache) -> Result<Fetcher, OnlineError> {
        let client = if cfg.offline {
            None
        } else {
            let mut headers = HeaderMap::new();
            headers.insert(
                reqwest::header::ACCEPT,
                reqwest::header::HeaderValue::from_static("application/json"),
            );
            Some(
                reqwest::blocking::Client::builder()
                    .redirect(redirect_policy())
                    .user_agent(cfg.user_agent.clone())
                    .default_headers(headers)
                    .connect_timeout(cfg.connect_timeout)
                    .timeout(cfg.timeout)
                    .build()
                    .map_err(|e| OnlineError::Client(e.to_string()))?,
            )
        };
        Ok(Fetcher {
            offline: AtomicBool::new(cfg.offline),
            client,
            cache,
            cfg,
            buckets: Mutex::new(HashMap::new()),
            reached: AtomicBool::new(false),
            down: Mutex::new(Vec::new()),
            warnings: Mutex::new(Vec::new()),
            failures: Mutex::new(Vec::new()),
            requests: AtomicUsize::new(0),
            started: Instant::now(),
            consecutive: Mutex::new(HashMap::new()),
        })
    }

    pub(crate) fn is_offline(&self) -> bool {
        self.offline.load(Ordering::SeqCst)
    }

    /// Writes the cache to disk after a batch of answers; offline nothing was written, so
    /// nothing is flushed (a portfolio asks once per product and source).
    pub(crate) fn flush_cache(&self) {
        if !self.is_offline() {
            let _ = self.cache.flush();
        }
    }

    /// Threads for a batch of lookups: `max_concurrency` online; one offline, where every
    /// answer comes from the cache and a thread per lookup batch would cost more than the
    /// lookups (a portfolio asks thousands of times).
    pub(crate) fn threads(&self) -> usize {
        if self.is_offline() {
            1
        } else {
            self.cfg.max_concurrency
        }
    }

    /// Records a warning once (identical texts are kept once).
    pub(crate) fn warn(&self, text: String) {
        if let Ok(mut w) = self.warnings.lock() {
            if !w.contains(&text) {
                w.push(text);
            }
        }
    }

    /// Counts `n` failed lookups of `source` (the first error of the run is kept as example).
    pub(crate) fn failed(&self, source: &'static str, n: usize, first: String) {
        if let Ok(mut f) = self.failures.lock() {
            match f.iter_mut().find(|(s, _, _)| *s == source) {
                Some(entry) => entry.1 += n,
                None => f.push((source, n, first)),
            }
        }
    }

    /// The warnings, then one line per source with failed lookups, summed over the run.
    pub(crate) fn warnings(&self) -> Vec<String> {
        let mut out = self.warnings.lock().map(|w| w.clone()).unwrap_or_default();
        if let Ok(f) = self.failures.lock() {
            out.extend(
                f.iter()
                    .map(|(src, n, first)| format!("{src}: {n} lookup(s) failed, e.g. {first}")),
            );
        }
        out
    }

    /// Switches to offline for the rest of the run; the first caller records the warning.
    fn go_offline(&self) {
        if self
            .offline
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            self.warn(UNREACHABLE_WARNING.to_string());
        }
    }

    /// Past the run's online deadline: the rest of the run is offline, said once.
    fn past_deadline(&self) -> bool {
        if self.started.elapsed() < self.cfg.deadline {
            return false;
        }
        if self
            .offline
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            self.warn(format!(
                "online lookups stopped after {} s (--online-timeout); the rest of the run uses the cache and the curated data",
                self.cfg.deadline.as_secs()
            ));
        }
        true
    }

    /// Counts a timeout or 429 of `source` (or resets on an answer); past the limit the source
    /// is skipped for the rest of the run, said once.
    fn note_failure(&self, source: &'static str, failed: bool) {
        let Ok(mut c) = self.consecutive.lock() else {
            return;
        };
        let n = c.entry(source).or_insert(0);
        *n = if failed { *n + 1 } else { 0 };
        if failed && *n == self.cfg.max_consecutive_failures.max(1) {
            drop(c);
            if let Ok(mut d) = self.down.lock() {
                if !d.contains(&source) {
                    d.push(source);
                }
            }
            self.warn(format!(
                "{source}: {} timeouts or rate limits in a row; skipped for the rest of the run",
                self.cfg.max_consecutive_failures.max(1)
            ));
        }
    }

    fn is_down(&self, source: &'static str) -> bool {
        self.down
            .lock()
            .map(|d| d.contains(&source))
            .unwrap_or(false)
    }

    /// Gives up on one source for the rest of the run (its host refuses connections while
    /// others answer); the first caller records the warning.
    fn mark_down(&self, source: &'static str, url: &str, err: &reqwest::Error) {
        let first = match self.down.lock() {
            Ok(mut d) if !d.contains(&source) => {
                d.push(source);
                true
            }
            _ => false,
        };
        if first {
            self.warn(format!(
                "{source}: unreachable ({url}: {err}); skipped for the rest of the run"
            ));
        }
    }

    /// Waits for a slot of `source`'s token bucket (`rate` requests a second; 0 = unlimited).
    fn throttle(&self, source: &'static str, rate: f64) {
        if rate <= 0.0 || !rate.is_finite() {
            return;
        }
        // At least one request an hour, whatever the setting (and no overflow).
        let interval = Duration::try_from_secs_f64(1.0 / rate)
            .unwrap_or(Duration::from_secs(3600))
            .min(Duration::from_secs(3600));
        let wait = {
            let Ok(mut buckets) = self.buckets.lock() else {
                return;
            };
            let now = Instant::now();
            let bucket = buckets.entry(source).or_insert(Bucket { next: now });
            let start = bucket.next.max(now);
            bucket.next = start + interval;
            start - now
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }

    /// The pause before try `attempt + 1` (attempt counts from 1): `backoff * 2^(attempt-1)` plus
    /// up to `backoff` of jitter, or the server's `Retry-After` (capped by `max_retry_after`).
    fn pause(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(ra) = retry_after {
            return ra.min(self.cfg.max_retry_after);
        }
        let base = self.cfg.backoff;
        let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(10));
        let jitter = base.mul_f64(fastrand::f64());
        exp + jitter
    }

    /// Sends one request with retries. `body` is sent as JSON with POST; otherwise GET.
    /// Returns 2xx, 304 and 404 answers; everything else becomes an error after the tries.
    pub(crate) fn send(
        &self,
        source: &'static str,
        rate: f64,
        url: &str,
        body: Option<&serde_json::Value>,
        etag: Option<&str>,
    ) -> Result<Answer, OnlineError> {
        let tries = self.cfg.max_tries.max(1);
        let mut last = OnlineError::Offline;
        for attempt in 1..=tries {
            if self.is_offline() || self.is_down(source) || self.past_deadline() {
                return Err(OnlineError::Offline);
            }
            let Some(client) = &self.client else {
                return Err(OnlineError::Offline);
            };
            self.throttle(source, rate);
            let mut req = match body {
                Some(b) => client
                    .post(url)
                    .header(CONTENT_TYPE, "application/json")
                    .body(b.to_string()),
                None => client.get(url),
            };
            if let Some(tag) = etag {
                req = req.header(IF_NONE_MATCH, tag);
            }
            // No request outlives the run's online deadline: its whole time, connection and
            // body included, is cut to what is left of it.
            let left = self.cfg.deadline.saturating_sub(self.started.elapsed());
            let limit = self
                .cfg
                .timeout
                .min(left)
                .max(std::time::Duration::from_millis(1));
            let until = std::time::Instant::now() + limit;
            req = req.timeout(limit);
            self.requests.fetch_add(1, Ordering::SeqCst);
            let mut retry_after = None;
            match req.send() {
                Err(e) => {
                    if e.is_connect() && !self.reached.load(Ordering::SeqCst) {
                        // Nothing has answered yet: no network. Stop trying for this run.
                        self.go_offline();
                        return Err(OnlineError::Offline);
                    }
                    if e.is_connect() && attempt == tries {
                        // Others answered, this host never did: stop asking it.
                        self.mark_down(source, url, &e);
                        return Err(OnlineError::Offline);
                    }
                    self.note_failure(source, e.is_timeout());
                    last = if e.is_timeout() {
                        OnlineError::Timeout {
                            url: url.to_string(),
                        }
                    } else {
                        OnlineError::Network {
                            url: url.to_string(),
                            message: e.to_string(),
                        }
                    };
                }
                Ok(resp) => {
                    self.reached.store(true, Ordering::SeqCst);
                    let status = resp.status().as_u16();
                    self.note_failure(source, status == 429);
                    retry_after = parse_retry_after(resp.headers());
                    let etag = resp
                        .headers()
                        .get(ETAG)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string);
                    if (200..300).contains(&status) || status == 304 || status == 404 {
                        match read_body(resp, self.cfg.max_body, url, until) {
                            Ok(body) => return Ok(Answer { status, body, etag }),
                            Err(e @ OnlineError::Garbage { .. }) => return Err(e),
                            Err(e) => {
                                // A body that stalls counts toward the source's breaker as a
                                // timeout does.
                                self.note_failure(source, matches!(e, OnlineError::Timeout { .. }));
                                last = e;
                            }
                        }
                    } else if status == 429 || status == 408 || status >= 500 {
                        last = OnlineError::Status {
                            url: url.to_string(),
                            status,
                        };
                    } else {
                        return Err(OnlineError::Status {
                            url: url.to_string(),
                            status,
                        });
                    }
                }
            }
            if attempt < tries {
                // Never sleep past the run's deadline.
                let left = self.cfg.deadline.saturating_sub(self.started.elapsed());
                std::thread::sleep(self.pause(attempt, retry_after).min(left));
            }
        }
        Err(last)
    }

    /// A GET answered from the cache when fresh (or when offline), else from the network with
    /// `If-None-Match` when a stale entry has an ETag. 200 answers that parse as `T` are cached,
    /// 404 is cached negatively; errors and unparseable bodies are not cached. A stale entry is
    /// used when the network fails. Returns `None` for a (possibly cached) 404.
    pub(crate) fn get_json<T: DeserializeOwned>(
        &self,
        source: &'static str,
        rate: f64,
        ttl: Duration,
        key: &str,
        url: &str,
    ) -> Result<Option<(T, CacheEntry)>, OnlineError> {
        let now = now_secs();
        let cached = self.cache.get(key);
        let parsed = |e: &CacheEntry| -> Option<Option<T>> {
            if e.is_negative() {
                Some(None)
            } else if !e.body.trim_start().starts_with('{') {
                None
            } else {
                serde_json::from_str::<T>(&e.body).ok().map(Some)
            }
        };
        if let Some(entry) = &cached {
            let ttl = if entry.is_negative() {
                self.cfg.negative_ttl
            } else {
                ttl
            };
            if self.is_offline() || entry.is_fresh(now, ttl) {
                if let Some(v) = parsed(entry) {
                    return Ok(v.map(|v| (v, entry.clone())));
                }
            }
        }
        let etag = cached
            .as_ref()
            .filter(|e| !e.is_negative())
            .and_then(|e| e.etag.clone());
        let stale = |err: OnlineError| -> Result<Option<(T, CacheEntry)>, OnlineError> {
            match cached.as_ref().and_then(|e| parsed(e).map(|v| (v, e))) {
                Some((v, e)) => Ok(v.map(|v| (v, e.clone()))),
                None => Err(err),
            }
        };
        let answer = match self.send(source, rate, url, None, etag.as_deref()) {
            Ok(a) => a,
            Err(e) => return stale(e),
        };
        match answer.status {
            304 => {
                let Some(mut entry) = cached.clone() else {
                    return Err(OnlineError::Garbage {
                        url: url.to_string(),
                        message: "304 Not Modified without a cached answer".into(),
                    });
                };
                let Some(Some(v)) = parsed(&entry) else {
                    return Err(OnlineError::Garbage {
                        url: url.to_string(),
                        message: "cached body no longer parses".into(),
                    });
                };
                entry.fetched_at = now;
                self.cache.put(key, &entry)?;
                Ok(Some((v, entry)))
            }
            404 => {
                let entry = CacheEntry {
                    source: source.to_string(),
                    fetched_at: now,
                    status: 404,
                    etag: None,
                    url: url.to_string(),
                    body: String::new(),
                };
                self.cache.put(key, &entry)?;
                Ok(None)
            }
            status => {
                // Every answer read here is a JSON object; serde would also read a struct from
                // an array (`[]`), which is no answer and must not be cached.
                if !answer.body.trim_start().starts_with('{') {
                    return Err(OnlineError::Garbage {
                        url: url.to_string(),
                        message: "expected a JSON object".into(),
                    });
                }
                let v: T =
                    serde_json::from_str(&answer.body).map_err(|e| OnlineError::Garbage {
                        url: url.to_string(),
                        message: e.to_string(),
                    })?;
                let entry = CacheEntry {
                    source: source.to_string(),
                    fetched_at: now,
                    status,
                    etag: answer.etag,
                    url: url.to_string(),
                    body: answer.body,
                };
                self.cache.put(key, &entry)?;
                Ok(Some((v, entry)))
            }
        }
    }
}

/// The body as UTF-8 text, at most `max` bytes (a larger or non-UTF-8 answer is garbage).
fn read_body(
    resp: reqwest::blocking::Response,
    max: u64,
    url: &str,
    until: std::time::Instant,
) -> Result<String, OnlineError> {
    use std::io::Read;
    let mut buf = Vec::new();
    let mut body = resp.take(max.saturating_add(1));
    let mut chunk = vec![0u8; 64 * 1024];
    // Read piece by piece against the request's end: a server that drips a byte at a time
    // restarts reqwest's read timeout with every byte, so that alone bounds nothing.
    let read = loop {
        if std::time::Instant::now() > until {
            break Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the answer took longer than the request may",
            ));
        }
        match body.read(&mut chunk) {
            Ok(0) => break Ok(()),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    if let Err(e) = read {
        let timed_out = e.kind() == std::io::ErrorKind::TimedOut
            || e.to_string().to_lowercase().contains("timed out");
        return Err(if timed_out {
            OnlineError::Timeout {
                url: url.to_string(),
            }
        } else {
            OnlineError::Network {
                url: url.to_string(),
                message: e.to_string(),
            }
        });
    }
    if buf.len() as u64 > max {
        return Err(OnlineError::Garbage {
            url: url.to_string(),
            message: format!("answer larger than {max} bytes"),
        });
    }
    String::from_utf8(buf).map_err(|e| OnlineError::Garbage {
        url: url.to_string(),
        message: format!("not UTF-8: {e}"),
    })
}

/// `Retry-After` as delta-seconds or an HTTP date.
fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Runs `f` over `items` on at most `threads` threads; results keep the order of `items`.
pub(crate) fn par_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(item) = items.get(i) else {
                    break;
                };
                let r = f(item);
                if let Ok(mut res) = results.lock() {
                    if let Some(slot) = res.get_mut(i) {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

/// Redirects stay on the host asked and never go from https to http (a redirect to another host,
/// to 127.0.0.1 or to plain http is refused), at most five hops.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let Some(first) = attempt.previous().first().cloned() else {
            return attempt.stop();
        };
        let next = attempt.url().clone();
        let same_host = next.host_str() == first.host_str()
            && next.port_or_known_default() == first.port_or_known_default();
        let no_downgrade = !(first.scheme() == "https" && next.scheme() != "https");
        if attempt.previous().len() > 5 {
            attempt.error("too many redirects")
        } else if same_host && no_downgrade {
            attempt.follow()
        } else {
            attempt.error(format!(
                "redirect to {next} refused: another host or scheme"
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_date() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(parse_retry_after(&h), Some(Duration::from_secs(3)));
        h.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(parse_retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(parse_retry_after(&h), None);
    }

    #[test]
    fn par_map_keeps_order() {
        let items: Vec<u32> = (0..50).collect();
        let out = par_map(&items, 4, |x| x * 2);
        assert_eq!(out, (0..50).map(|x| x * 2).collect::<Vec<_>>());
        assert!(par_map(&Vec::<u32>::new(), 4, |x| *x).is_empty());
    }

    #[test]
    fn token_bucket_spaces_requests() {
        let cfg = OnlineConfig {
            offline: true,
            ..OnlineConfig::default()
        };
        let f = Fetcher::new(cfg, Cache::temporary().unwrap()).unwrap();
        let start = Instant::now();
        for _ in 0..3 {
            f.throttle("t", 20.0); // 50 ms apart: 0, 50, 100
        }
        let el = start.elapsed();
        assert!(el >= Duration::from_millis(100), "{el:?}");
        assert!(el < Duration::from_millis(1000), "{el:?}");
    }

    #[test]
    fn backoff_grows_and_retry_after_is_capped() {
        let cfg = OnlineConfig {
            offline: true,
            backoff: Duration::from_millis(100),
            max_retry_after: Duration::from_secs(2),
            ..OnlineConfig::default()
        };
        let f = Fetcher::new(cfg, Cache::temporary().unwrap()).unwrap();
        let p1 = f.pause(1, None);
        let p3 = f.pause(3, None);
        assert!(p1 >= Duration::from_millis(100) && p1 <= Duration::from_millis(200));
        assert!(p3 >= Duration::from_millis(400) && p3 <= Duration::from_millis(500));
        assert_eq!(
            f.pause(1, Some(Duration::from_secs(60))),
            Duration::from_secs(2)
        );
    }
}
