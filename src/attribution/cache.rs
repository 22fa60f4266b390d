//! The on-disk cache of online answers (sled).
//!
//! Every answer an online source gives is kept here with the source, the time it was fetched, its
//! HTTP status and ETag, so a later run can reuse it (`--offline`) or revalidate it cheaply
//! (`If-None-Match`). Keys read `source:endpoint:normalized-key`, e.g.
//! `ecosystems:package:pkg:npm/lodash` or `gleif:name:siemens ag`.
//!
//! Architecture invariant: this module knows nothing of HTTP or of any source's JSON shape; it
//! stores opaque bodies. Data under CC BY-SA / CC BY licences lives only here (the user's cache
//! directory), never in `data/`.
//!
//! sled is crash-safe: a process killed mid-run leaves a cache the next run opens. sled also takes
//! an exclusive lock on the directory, so a second process gets a clear [`CacheError::InUse`]
//! (after waiting a bounded time for the first to finish) instead of a corrupted cache.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Name of the file, inside the cache directory, that records which process holds the cache.
const PID_FILE: &str = "sbomrisk.pid";

/// Beside the database: every entry, written when a cache is opened and no snapshot as new as
/// the database is there, removed before anything is stored or removed. An offline run reads it
/// instead of opening the database (5-8 ms of sled's threads, log reading and fsync): a run
/// only reads, so a copy of the entries serves it. One line per entry after the header: the key
/// as a JSON string, a tab, the entry as stored (compact JSON, so neither has a raw tab or
/// newline).
const SNAPSHOT: &str = "sbomrisk.snapshot";

/// The snapshot's first line (its format version). Version 2 ends with a trailer line,
/// `end COUNT DIGEST`: the number of entries and an FNV-1a digest of everything before it, so a
/// snapshot cut at a line or with a byte changed is never read as the cache.
const SNAPSHOT_HEADER: &[u8] = b"sbomrisk cache snapshot 2\n";

/// FNV-1a, 64 bits: the snapshot's digest.
fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The trailer line of a snapshot whose text before it is `body`, holding `count` entries.
fn snapshot_trailer(body: &[u8], count: usize) -> String {
    format!("end {count} {:016x}\n", fnv64(body))
}

/// The whole snapshot of a cache with no entry.
fn empty_snapshot() -> Vec<u8> {
    let mut text = SNAPSHOT_HEADER.to_vec();
    text.extend_from_slice(snapshot_trailer(SNAPSHOT_HEADER, 0).as_bytes());
    text
}

/// What the snapshot file holds for a cache that gets none (too large, or an entry that is not
/// one line of UTF-8): read as no snapshot, and current until the next change like one.
const NO_SNAPSHOT: &[u8] =
    b"sbomrisk cache snapshot 2: none (too large, or an entry not one line)\n";

/// The largest snapshot written. Reading one costs about what opening sled does at some tens of
/// megabytes; a larger cache is opened by every run that reads it, as before snapshots.
const SNAPSHOT_MAX: usize = 8 << 20;

/// The longest line `cache import` reads.
const MAX_IMPORT_LINE: usize = 64 << 20;

/// Errors of the cache.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// Another process holds sled's exclusive lock on the directory.
    #[error("cache {} is in use by another sbomrisk process{}", dir.display(), pid.map(|p| format!(" (pid {p})")).unwrap_or_default())]
    InUse { dir: PathBuf, pid: Option<u32> },
    /// No platform cache directory is known and none was given.
    #[error("no cache directory: the platform has no cache dir; pass one with --cache-dir")]
    NoDir,
    /// sled or the file system failed.
    #[error("cache {}: {message}", dir.display())]
    Io { dir: PathBuf, message: String },
    /// A line of an import file is not a cache record.
    #[error("cache import, line {line}: {message}")]
    Import { line: usize, message: String },
}

/// One cached answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheEntry {
    /// Source id (`ecosystems`, `depsdev`, `gleif`).
    pub source: String,
    /// When the answer was fetched (or last revalidated), seconds since the Unix epoch.
    pub fetched_at: u64,
    /// HTTP status of the answer (200, or 404 for a negative entry).
    pub status: u16,
    /// The ETag the server sent, for `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The request URL, kept as evidence.
    pub url: String,
    /// The body (JSON text); empty for a negative entry.
    #[serde(default)]
    pub body: String,
}

impl CacheEntry {
    /// A negative entry: the source said it does not know the key.
    pub fn is_negative(&self) -> bool {
        self.status == 404
    }

    /// Whether the entry is younger than `ttl` at `now` (seconds since the epoch).
    pub fn is_fresh(&self, now: u64, ttl: Duration) -> bool {
        now.saturating_sub(self.fetched_at) < ttl.as_secs()
    }
}

/// Counts for `sbomrisk cache stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CacheStats {
    /// Number of entries.
    pub entries: u64,
    /// Entries per source id.
    pub per_source: BTreeMap<String, u64>,
    /// Negative (404) entries.
    pub negative: u64,
    /// Sum of key and value sizes, in bytes.
    pub bytes: u64,
    /// Oldest `fetched_at` (seconds since the epoch).
    pub oldest: Option<u64>,
    /// Newest `fetched_at` (seconds since the epoch).
    pub newest: Option<u64>,
}

/// One line of `export`/`import` (JSON lines).
#[derive(Serialize, Deserialize)]
struct ExportLine {
    key: String,
    #[serde(flatten)]
    entry: CacheEntry,
}

/// Where the entries are read from.
enum Store {
    /// The sled database: read and written.
    Db(sled::Db),
    /// A snapshot (read-only): its text and, per key, where its entry is in that text.
    Snapshot {
        text: Vec<u8>,
        at: HashMap<Box<str>, (usize, usize)>,
    },
}

/// The sled-backed cache.
pub struct Cache {
    store: Store,
    dir: Option<PathBuf>,
    /// Set once the snapshot has been removed (before the first change this process makes).
    unmarked: std::sync::atomic::AtomicBool,
    /// The database's snapshot held every entry when this process opened it (found current, or
    /// written then).
    snapshot_fresh: bool,
    /// Where a cache that could not be opened (corrupt) was moved before a fresh one was made.
    pub moved_aside: Option<PathBuf>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache").field("dir", &self.dir).finish()
    }
}

/// Seconds since the Unix epoch, now.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// RFC 3339 (UTC, whole seconds) for seconds since the Unix epoch, e.g. `2026-11-25T09:00:00Z`.
pub fn rfc3339(secs: u64) -> String {
    // Clamped to 9999-12-31T23:59:59Z: a far-future time read from a file never overflows.
    humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(secs.min(MAX_TIME)))
        .to_string()
}

/// The latest time a cache entry may carry (9999-12-31T23:59:59Z), in seconds since the epoch.
pub const MAX_TIME: u64 = 253_402_300_799;

/// The platform cache directory for sbomrisk (`~/.cache/sbomrisk` on Linux).
pub fn default_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("sbomrisk"))
}

impl Cache {
    /// Opens (or creates) the cache in `dir`. If another process holds the cache, retries for up
    /// to `wait`, then fails with [`CacheError::InUse`].
    pub fn open(dir: &Path, wait: Duration) -> Result<Cache, CacheError> {
        std::fs::create_dir_all(dir).map_err(|e| CacheError::Io {
            dir: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        let start = Instant::now();
        let mut moved_aside = None;
        loop {
            // Asked before opening: opening writes to the database (its recovery), which
            // changes no entry but makes any snapshot look older.
            let was_current = snapshot_current(dir);
            match open_sled(dir) {
                Ok(db) => {
                    // Best effort: tell a second process who holds the lock.
                    let _ = std::fs::write(dir.join(PID_FILE), std::process::id().to_string());
                    // A snapshot that was current still holds every entry: it is made newer
                    // than what opening wrote (after a flush), instead of written again.
                    let snapshot_fresh = if was_current {
                        db.flush().is_ok() && touch_snapshot(dir)
                    } else {
                        write_snapshot(&db, dir)
                    };
                    return Ok(Cache {
                        store: Store::Db(db),
                        dir: Some(dir.to_path_buf()),
                        unmarked: Default::default(),
                        snapshot_fresh,
                        moved_aside,
                    });
                }
                Err(e) if is_lock_error(&e) => {
                    if start.elapsed() >= wait {
                        let pid = std::fs::read_to_string(dir.join(PID_FILE))
                            .ok()
                            .and_then(|s| s.trim().parse().ok());
                        return Err(CacheError::InUse {
                            dir: dir.to_path_buf(),
                            pid,
                        });
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                // A cache that cannot be read (a flipped bit, a truncated file) is moved aside
                // once and a fresh one made: the tool can always repair its own cache.
                Err(e) if moved_aside.is_none() => {
                    // A name no earlier move took (two in one second used to collide, and
                    // then `cache clear` could not repair the cache).
                    let secs = SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs());
                    let aside = (0..1000)
                        .map(|k| {
                            dir.with_extension(match k {
                                0 => format!("broken-{secs}"),
                                k => format!("broken-{secs}-{k}"),
                            })
                        })
                        .find(|p| std::fs::symlink_metadata(p).is_err())
                        .unwrap_or_else(|| dir.with_extension(format!("broken-{secs}-last")));
                    std::fs::rename(dir, &aside).map_err(|io| CacheError::Io {
                        dir: dir.to_path_buf(),
                        message: format!("{e}; and it cannot be moved aside: {io}"),
                    })?;
                    std::fs::create_dir_all(dir).map_err(|e| CacheError::Io {
                        dir: dir.to_path_buf(),
                        message: e.to_string(),
                    })?;
                    moved_aside = Some(aside);
                }
                Err(e) => {
                    return Err(CacheError::Io {
                        dir: dir.to_path_buf(),
                        message: e.to_string(),
                    })
                }
            }
        }
    }

    /// The cache in `dir` for a run that only reads it: its snapshot when that is as new as the
    /// database and reads whole, else the database itself ([`Cache::open`], which writes the
    /// snapshot for the next run). Such a cache refuses to store.
    pub fn open_to_read(dir: &Path, wait: Duration) -> Result<Cache, CacheError> {
        let path = dir.join(SNAPSHOT);
        let text = snapshot_current(dir)
            .then(|| read_snapshot(&path))
            .flatten();
        // The mark of a cache that gets none stays, so that opening does not try again.
        if let Some(text) = text.filter(|t| t != NO_SNAPSHOT) {
            match parse_snapshot(text) {
                Some(store) => {
                    return Ok(Cache {
                        store,
                        dir: Some(dir.to_path_buf()),
                        unmarked: Default::default(),
                        snapshot_fresh: false,
                        moved_aside: None,
                    })
                }
                // A damaged one is removed, so that opening writes it anew.
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        Cache::open(dir, wait)
    }

    /// A throw-away cache in a temporary directory (used when no cache directory can be had).
    pub fn temporary() -> Result<Cache, CacheError> {
        let db = sled::Config::new()
            .temporary(true)
            .open()
            .map_err(|e| CacheError::Io {
                dir: PathBuf::from("<temporary>"),
                message: e.to_string(),
            })?;
        Ok(Cache {
            store: Store::Db(db),
            dir: None,
            unmarked: Default::default(),
            snapshot_fresh: false,
            moved_aside: None,
        })
    }

    /// The directory, unless the cache is temporary.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Whether this cache was read from its snapshot (and so refuses to store).
    pub fn is_snapshot(&self) -> bool {
        matches!(self.store, Store::Snapshot { .. })
    }

    fn io_err(&self, e: impl std::fmt::Display) -> CacheError {
        CacheError::Io {
            dir: self
                .dir
                .clone()
                .unwrap_or_else(|| PathBuf::from("<temporary>")),
            message: e.to_string(),
        }
    }

    /// The database, for a change; a cache read from its snapshot has none.
    fn db(&self) -> Result<&sled::Db, CacheError> {
        match &self.store {
            Store::Db(db) => Ok(db),
            Store::Snapshot { .. } => Err(self.io_err("opened to read only (its snapshot)")),
        }
    }

    /// Every entry as stored (key, value), in key order (bytewise, the database's order) from
    /// either store.
    fn each(
        &self,
        mut f: impl FnMut(&[u8], &[u8]) -> Result<(), CacheError>,
    ) -> Result<(), CacheError> {
        match &self.store {
            Store::Db(db) => {
                for item in db.iter() {
                    let (k, v) = item.map_err(|e| self.io_err(e))?;
                    f(&k, &v)?;
                }
            }
            Store::Snapshot { text, at } => {
                let mut all: Vec<(&str, (usize, usize))> =
                    at.iter().map(|(k, r)| (&**k, *r)).collect();
                all.sort_unstable();
                for (k, (from, to)) in all {
                    f(k.as_bytes(), &text[from..to])?;
                }
            }
        }
        Ok(())
    }

    /// The entry under `key`. An unreadable entry (written by another version) counts as absent.
    pub fn get(&self, key: &str) -> Option<CacheEntry> {
        match &self.store {
            Store::Db(db) => serde_json::from_slice(&db.get(key.as_bytes()).ok()??).ok(),
            Store::Snapshot { text, at } => {
                let &(from, to) = at.get(key)?;
                serde_json::from_slice(&text[from..to]).ok()
            }
        }
    }

    /// Stores `entry` under `key`.
    pub fn put(&self, key: &str, entry: &CacheEntry) -> Result<(), CacheError> {
        let bytes = serde_json::to_vec(entry).map_err(|e| self.io_err(e))?;
        let db = self.db()?;
        self.unmark()?;
        db.insert(key.as_bytes(), bytes)
            .map_err(|e| self.io_err(e))?;
        Ok(())
    }

    /// Removes the entry under `key`.
    pub fn remove(&self, key: &str) -> Result<(), CacheError> {
        let db = self.db()?;
        self.unmark()?;
        db.remove(key.as_bytes()).map_err(|e| self.io_err(e))?;
        Ok(())
    }

    /// Writes everything to disk (called after each batch). Nothing to write for a snapshot.
    pub fn flush(&self) -> Result<(), CacheError> {
        if let Store::Db(db) = &self.store {
            db.flush().map_err(|e| self.io_err(e))?;
        }
        Ok(())
    }

    /// Counts entries, per source, negatives, bytes and the age range.
    pub fn stats(&self) -> Result<CacheStats, CacheError> {
        let mut stats = CacheStats::default();
        self.each(|k, v| {
            stats.entries += 1;
            stats.bytes += (k.len() + v.len()) as u64;
            let Ok(entry) = serde_json::from_slice::<CacheEntry>(v) else {
                *stats.per_source.entry("(unreadable)".into()).or_default() += 1;
                return Ok(());
            };
            *stats.per_source.entry(entry.source.clone()).or_default() += 1;
            if entry.is_negative() {
                stats.negative += 1;
            }
            stats.oldest = Some(
                stats
                    .oldest
                    .map_or(entry.fetched_at, |o| o.min(entry.fetched_at)),
            );
            stats.newest = Some(
                stats
                    .newest
                    .map_or(entry.fetched_at, |o| o.max(entry.fetched_at)),
            );
            Ok(())
        })?;
        Ok(stats)
    }

    /// Removes every entry.
    pub fn clear(&self) -> Result<(), CacheError> {
        let db = self.db()?;
        self.unmark()?;
        db.clear().map_err(|e| self.io_err(e))?;
        self.flush()
    }

    /// Writes every entry as one JSON object a line (`{"key":…,"source":…,…}`); returns the count.
    pub fn export(&self, mut out: impl Write) -> Result<u64, CacheError> {
        let mut n = 0;
        self.each(|k, v| {
            let Ok(entry) = serde_json::from_slice::<CacheEntry>(v) else {
                return Ok(());
            };
            let line = ExportLine {
                key: String::from_utf8_lossy(k).into_owned(),
                entry,
            };
            serde_json::to_writer(&mut out, &line).map_err(|e| self.io_err(e))?;
            out.write_all(b"\n").map_err(|e| self.io_err(e))?;
            n += 1;
            Ok(())
        })?;
        out.flush().map_err(|e| self.io_err(e))?;
        Ok(n)
    }

    /// Reads lines written by [`Cache::export`]; an entry replaces an existing one only when it is
    /// newer. Returns the number of entries stored.
    pub fn import(&self, mut input: impl BufRead) -> Result<u64, CacheError> {
        use std::io::Read;
        let mut n = 0;
        let mut buf = Vec::new();
        for i in 0.. {
            // An error names its line, and says what was stored before it.
            let fail = |message: String, n: u64| CacheError::Import {
                line: i + 1,
                message: if n > 0 {
                    format!("{message} (the {n} entries before it were imported)")
                } else {
                    message
                },
            };
            buf.clear();
            // One line at a time, each bounded: `/dev/zero` or a huge line is refused, not read
            // whole.
            let read = (&mut input)
                .take(MAX_IMPORT_LINE as u64 + 1)
                .read_until(b'\n', &mut buf)
                .map_err(|e| fail(e.to_string(), n))?;
            if read == 0 {
                break;
            }
            if buf.len() > MAX_IMPORT_LINE {
                return Err(fail(
                    format!("longer than {} MiB", MAX_IMPORT_LINE >> 20),
                    n,
                ));
            }
            let line = std::str::from_utf8(&buf).map_err(|e| fail(format!("not UTF-8: {e}"), n))?;
            if line.trim().is_empty() {
                continue;
            }
            let rec: ExportLine = serde_json::from_str(line).map_err(|e| fail(e.to_string(), n))?;
            if rec.entry.fetched_at > now_secs().saturating_add(86_400) {
                return Err(fail(
                    format!(
                        "fetched_at {} is in the future",
                        rfc3339(rec.entry.fetched_at)
                    ),
                    n,
                ));
            }
            // Only what a run itself stores: an answer (2xx) or a negative one (404, 410);
            // a source id is a short plain name.
            if !(matches!(rec.entry.status, 200..=299 | 404 | 410)) {
                return Err(fail(
                    format!("status {} is never cached", rec.entry.status),
                    n,
                ));
            }
            let plain = |s: &str| {
                !s.is_empty()
                    && s.len() <= 32
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            };
            if !plain(&rec.entry.source) {
                return Err(fail(
                    format!("source {:?} is not a source id", rec.entry.source),
                    n,
                ));
            }
            let newer = self
                .get(&rec.key)
                .is_none_or(|old| old.fetched_at <= rec.entry.fetched_at);
            if newer {
                self.put(&rec.key, &rec.entry)?;
                n += 1;
            }
        }
        self.flush()?;
        Ok(n)
    }
}

impl Cache {
    /// Removes the snapshot before the first change this process makes: a run that read it
    /// would miss the change. A snapshot that cannot be removed stops the change.
    fn unmark(&self) -> Result<(), CacheError> {
        use std::sync::atomic::Ordering;
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        if self.unmarked.load(Ordering::Acquire) {
            return Ok(());
        }
        match std::fs::remove_file(dir.join(SNAPSHOT)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(self.io_err(e)),
            _ => {
                self.unmarked.store(true, Ordering::Release);
                Ok(())
            }
        }
    }
}

/// Whether the snapshot in `dir` is there and the database was not written after it (whatever
/// wrote the database since, another process, program or version included, makes it stale).
fn snapshot_current(dir: &Path) -> bool {
    let modified = |name: &str| std::fs::metadata(dir.join(name)).and_then(|m| m.modified());
    match (modified(SNAPSHOT), modified("db")) {
        (Ok(snapshot), Ok(db)) => db <= snapshot,
        (Ok(_), Err(e)) => e.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

/// Whether the cache in `dir` is known to hold no entry, without opening it: its snapshot is
/// current and holds no entry.
pub fn known_empty(dir: &Path) -> bool {
    let path = dir.join(SNAPSHOT);
    let empty = empty_snapshot();
    snapshot_current(dir)
        && std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == empty.len() as u64)
        && std::fs::read(&path).is_ok_and(|t| t == empty)
}

/// Writes the snapshot of `db` beside it (best effort: a cache without one is opened by every
/// run, as before snapshots). Flushed first, so that the snapshot is newer than what opening
/// wrote to the database; written to a temporary file and renamed, so that a reader sees a
/// whole one or none. A cache larger than [`SNAPSHOT_MAX`], or holding an entry that is not one
/// line of UTF-8, gets [`NO_SNAPSHOT`] instead: every run opens it, and no opening reads it
/// whole again before it changes.
fn write_snapshot(db: &sled::Db, dir: &Path) -> bool {
    let path = dir.join(SNAPSHOT);
    let text = db.flush().ok().and_then(|_| snapshot_text(db));
    // A cache that gets none is marked, so that the next opening does not read it all again.
    let text = text.unwrap_or_else(|| NO_SNAPSHOT.to_vec());
    let written = tempfile::NamedTempFile::new_in(dir).and_then(|mut f| {
        f.write_all(&text)?;
        f.persist(&path).map_err(|e| e.error)?;
        Ok(())
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&path);
    }
    written.is_ok()
}

/// The snapshot of every entry of `db`; `None` past [`SNAPSHOT_MAX`] or for an entry that is
/// not one line of UTF-8.
fn snapshot_text(db: &sled::Db) -> Option<Vec<u8>> {
    let mut text = SNAPSHOT_HEADER.to_vec();
    let mut count = 0;
    for item in db.iter() {
        let (k, v) = item.ok()?;
        let key = std::str::from_utf8(&k).ok()?;
        if v.contains(&b'\n') || v.contains(&b'\t') {
            return None;
        }
        serde_json::to_writer(&mut text, key).ok()?;
        text.push(b'\t');
        text.extend_from_slice(&v);
        text.push(b'\n');
        count += 1;
        if text.len() > SNAPSHOT_MAX {
            return None;
        }
    }
    let trailer = snapshot_trailer(&text, count);
    text.extend_from_slice(trailer.as_bytes());
    Some(text)
}

/// The text of the snapshot at `path` (at most one byte past [`SNAPSHOT_MAX`], which
/// [`parse_snapshot`] refuses), or `None` when it cannot be read.
fn read_snapshot(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut text = Vec::new();
    // A regular file only: a FIFO put there would block the run.
    if !std::fs::symlink_metadata(path).ok()?.is_file() {
        return None;
    }
    std::fs::File::open(path)
        .ok()?
        .take(SNAPSHOT_MAX as u64 + 65)
        .read_to_end(&mut text)
        .ok()?;
    Some(text)
}

impl Cache {
    /// A read-only cache of the snapshot text `text` (what `sbomrisk.snapshot` holds), or `None`
    /// when it is not one: for the fuzz target and tests.
    pub fn from_snapshot(text: Vec<u8>) -> Option<Cache> {
        Some(Cache {
            store: parse_snapshot(text)?,
            dir: None,
            unmarked: Default::default(),
            snapshot_fresh: false,
            moved_aside: None,
        })
    }
}

/// The entries of a snapshot's text: the header, then each line a key (a JSON string), a tab
/// and an entry. `None` when any of that is not so.
fn parse_snapshot(text: Vec<u8>) -> Option<Store> {
    if text.len() > SNAPSHOT_MAX + 64
        || !text.starts_with(SNAPSHOT_HEADER)
        || text.last() != Some(&b'\n')
    {
        return None;
    }
    // The trailer: the count of entries and the digest of all before it.
    let body_end = text[..text.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|i| i + 1)?;
    if body_end < SNAPSHOT_HEADER.len() {
        return None;
    }
    let trailer = std::str::from_utf8(&text[body_end..]).ok()?;
    let mut fields = trailer.trim_end().split(' ');
    let (Some("end"), Some(count), Some(digest), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return None;
    };
    let count: usize = count.parse().ok()?;
    if digest != format!("{:016x}", fnv64(&text[..body_end])) {
        return None;
    }
    let mut at = HashMap::new();
    let mut from = SNAPSHOT_HEADER.len();
    while from < body_end {
        let end = from + text[from..body_end].iter().position(|&b| b == b'\n')?;
        let tab = from + text[from..end].iter().position(|&b| b == b'\t')?;
        let key: String = serde_json::from_slice(&text[from..tab]).ok()?;
        at.insert(key.into_boxed_str(), (tab + 1, end));
        from = end + 1;
    }
    if at.len() != count {
        return None;
    }
    Some(Store::Snapshot { text, at })
}

impl Drop for Cache {
    fn drop(&mut self) {
        let _ = self.flush();
        // Unchanged since its snapshot was made (this process holds the lock, so nothing else
        // changed it either): the snapshot still holds every entry, and is made newer than
        // what closing wrote to the database.
        use std::sync::atomic::Ordering;
        if self.snapshot_fresh && !self.unmarked.load(Ordering::Acquire) {
            if let Some(dir) = &self.dir {
                touch_snapshot(dir);
            }
        }
    }
}

/// Makes the snapshot in `dir` newer than the database; false when there is none.
fn touch_snapshot(dir: &Path) -> bool {
    std::fs::File::options()
        .write(true)
        .open(dir.join(SNAPSHOT))
        .and_then(|f| f.set_modified(SystemTime::now()))
        .is_ok()
}

/// sled reports a held lock as an I/O error whose text says so (sled 0.34 `config.rs`).
/// Opens sled in `dir`; a panic inside sled (it panics on some corrupt files) is an error.
fn open_sled(dir: &Path) -> Result<sled::Db, sled::Error> {
    let dir = dir.to_path_buf();
    // sled runs its recovery on this thread; its panic message is not the user's business.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = std::panic::catch_unwind(move || sled::Config::new().path(dir).open());
    std::panic::set_hook(hook);
    r.unwrap_or_else(|_| Err(sled::Error::Corruption { at: None, bt: () }))
}

fn is_lock_error(e: &sled::Error) -> bool {
    match e {
        sled::Error::Io(io) => {
            io.kind() == std::io::ErrorKind::WouldBlock
                || io.to_string().contains("could not acquire lock")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How long a test waits to open a cache it has just let go of: sled's flusher thread
    /// may hold the directory's lock for a moment after the last handle is dropped, so a
    /// reopen in the same process with no wait failed now and then with `InUse`.
    const REOPEN: Duration = Duration::from_secs(10);

    #[test]
    fn a_corrupt_cache_is_moved_aside_never_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c");
        {
            let cache = Cache::open(&path, REOPEN).unwrap();
            for i in 0..50 {
                cache
                    .put(
                        &format!("k{i}"),
                        &CacheEntry {
                            source: "ecosystems".into(),
                            fetched_at: 100,
                            status: 200,
                            etag: None,
                            url: "https://x".into(),
                            body: "{}".into(),
                        },
                    )
                    .unwrap();
            }
        }
        // Flip bytes all over every file of the database.
        for e in std::fs::read_dir(&path).unwrap().flatten() {
            if e.path().is_file() {
                let mut b = std::fs::read(e.path()).unwrap();
                for (i, x) in b.iter_mut().enumerate() {
                    if i % 7 == 3 {
                        *x ^= 0x5a;
                    }
                }
                std::fs::write(e.path(), b).unwrap();
            }
        }
        let opened = std::panic::catch_unwind(|| Cache::open(&path, REOPEN));
        let cache = opened.expect("no panic").expect("a fresh cache");
        // Either sled read it anyway, or it was moved aside and a fresh one made.
        if let Some(a) = &cache.moved_aside {
            assert!(a.exists());
        }
        assert!(rfc3339(u64::MAX).starts_with("9999-12-31"));
    }

    /// A cache opened with no current snapshot gets one; the first change removes it; a run
    /// that only reads gets the entries from it, as the database would give them; a database
    /// written after its snapshot is opened.
    #[test]
    fn the_snapshot_follows_the_entries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c");
        assert!(!known_empty(&path), "no cache at all is not known empty");
        let hostile = "k\t\"\n\u{202e}ä";
        {
            let cache = Cache::open(&path, REOPEN).unwrap();
            assert!(known_empty(&path));
            cache.put("k", &entry("ecosystems", 100, 200)).unwrap();
            assert!(!path.join(SNAPSHOT).exists());
            assert!(!known_empty(&path));
            cache.put(hostile, &entry("gleif", 50, 404)).unwrap();
        }
        let (stats, export) = {
            let cache = Cache::open(&path, REOPEN).unwrap();
            assert!(!cache.is_snapshot());
            assert!(
                path.join(SNAPSHOT).exists(),
                "opened with entries: a snapshot"
            );
            assert!(!known_empty(&path), "a cache with an entry is not empty");
            let mut export = Vec::new();
            cache.export(&mut export).unwrap();
            (cache.stats().unwrap(), export)
        };
        {
            let read = Cache::open_to_read(&path, REOPEN).unwrap();
            assert!(read.is_snapshot());
            assert_eq!(read.get("k"), Some(entry("ecosystems", 100, 200)));
            assert_eq!(read.get(hostile), Some(entry("gleif", 50, 404)));
            assert_eq!(read.get("absent"), None);
            assert_eq!(read.stats().unwrap(), stats);
            let mut again = Vec::new();
            read.export(&mut again).unwrap();
            assert_eq!(again, export);
            let refused = read.put("x", &entry("a", 1, 200)).unwrap_err();
            assert!(refused.to_string().contains("read only"), "{refused}");
            assert!(read.clear().is_err() && read.remove("k").is_err());
            assert!(read.flush().is_ok());
            // Read-only: a second reader and a writer may come at the same time.
            let writer = Cache::open(&path, REOPEN).unwrap();
            writer.remove("k").unwrap();
            assert!(
                !path.join(SNAPSHOT).exists(),
                "a change removes the snapshot"
            );
        }
        {
            let cache = Cache::open_to_read(&path, REOPEN).unwrap();
            assert!(!cache.is_snapshot(), "no snapshot: the database");
            assert_eq!(cache.get("k"), None);
            cache.clear().unwrap();
        }
        let _ = Cache::open(&path, REOPEN).unwrap();
        assert!(
            known_empty(&path),
            "emptied, then opened: an empty snapshot"
        );
        // The database written after the snapshot (another version, another program): stale.
        age(&path.join(SNAPSHOT));
        assert!(!known_empty(&path));
        assert!(!Cache::open_to_read(&path, REOPEN).unwrap().is_snapshot());
        assert!(known_empty(&path), "opened: written again");
        // A snapshot without a database: nothing was ever stored.
        let bare = dir.path().join("bare");
        std::fs::create_dir_all(&bare).unwrap();
        std::fs::write(bare.join(SNAPSHOT), empty_snapshot()).unwrap();
        assert!(known_empty(&bare));
    }

    /// A snapshot that is not whole or not ours is never trusted, and never a panic: the run
    /// opens the database.
    #[test]
    fn a_damaged_snapshot_opens_the_database() {
        let dir = tempfile::tempdir().unwrap();
        {
            let cache = Cache::open(dir.path(), REOPEN).unwrap();
            cache.put("k", &entry("ecosystems", 100, 200)).unwrap();
        }
        drop(Cache::open(dir.path(), REOPEN).unwrap());
        let good = std::fs::read(dir.path().join(SNAPSHOT)).unwrap();
        let cut = good.len() - 1;
        let text = String::from_utf8(good.clone()).unwrap();
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        // The entry's line dropped (cut at a line), and one byte of the entry changed.
        let dropped = format!("{}{}", lines[0], lines[2]);
        let flipped = text.replacen("200", "404", 1);
        let header_only = String::from_utf8(SNAPSHOT_HEADER.to_vec()).unwrap();
        let no_tab = format!("{header_only}no tab here\n");
        let no_tab = no_tab.clone() + &snapshot_trailer(no_tab.as_bytes(), 1);
        let not_json = format!("{header_only}not-json\t{{}}\n");
        let not_json = not_json.clone() + &snapshot_trailer(not_json.as_bytes(), 1);
        assert_ne!(flipped, text);
        for bad in [
            &good[..cut],           // no final newline
            &good[1..],             // no header
            no_tab.as_bytes(),      // no key and entry
            not_json.as_bytes(),    // a key that is no JSON string
            dropped.as_bytes(),     // an entry missing
            flipped.as_bytes(),     // an entry changed
            header_only.as_bytes(), // no trailer
        ] {
            std::fs::write(dir.path().join(SNAPSHOT), bad).unwrap();
            assert!(read_snapshot(&dir.path().join(SNAPSHOT))
                .and_then(parse_snapshot)
                .is_none());
            let cache = Cache::open_to_read(dir.path(), REOPEN).unwrap();
            assert!(!cache.is_snapshot());
            assert_eq!(cache.get("k").unwrap().fetched_at, 100);
            drop(cache);
            let again = std::fs::read(dir.path().join(SNAPSHOT)).unwrap();
            assert_eq!(again, good, "the damaged one was replaced by a whole one");
        }
    }

    /// A cache larger than the snapshot's bound gets none (and loses the one it had).
    #[test]
    #[cfg(unix)]
    fn a_large_cache_gets_no_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let big = CacheEntry {
            body: format!("{{\"x\":\"{}\"}}", "y".repeat(64 << 10)),
            ..entry("ecosystems", 100, 200)
        };
        {
            let cache = Cache::open(dir.path(), REOPEN).unwrap();
            for i in 0..(SNAPSHOT_MAX >> 16) + 1 {
                cache.put(&format!("k{i}"), &big).unwrap();
            }
        }
        std::fs::write(dir.path().join(SNAPSHOT), empty_snapshot()).unwrap();
        age(&dir.path().join(SNAPSHOT));
        let snapshot = dir.path().join(SNAPSHOT);
        {
            let cache = Cache::open_to_read(dir.path(), REOPEN).unwrap();
            assert!(!cache.is_snapshot());
            assert_eq!(cache.get("k0").as_ref(), Some(&big));
        }
        // The stale one is replaced by the mark of a cache that gets none, which is not empty
        // and which the next opening keeps instead of reading every entry again.
        assert_eq!(std::fs::read(&snapshot).unwrap(), NO_SNAPSHOT);
        assert!(!known_empty(dir.path()));
        assert!(snapshot_current(dir.path()));
        use std::os::unix::fs::MetadataExt;
        let marked = std::fs::metadata(&snapshot).unwrap().ino();
        let cache = Cache::open_to_read(dir.path(), REOPEN).unwrap();
        assert!(!cache.is_snapshot());
        drop(cache);
        let now = std::fs::metadata(&snapshot).unwrap().ino();
        assert_eq!(
            now, marked,
            "not written again (a write renames a new file in)"
        );
    }

    proptest::proptest! {
        /// Any keys and entries read back from the snapshot as the database gives them.
        #[test]
        fn the_snapshot_round_trips(
            entries in proptest::collection::btree_map(
                ".{0,40}",
                (".{0,12}", 0u64..=MAX_TIME, 100u16..600, proptest::option::of(".{0,8}"), ".{0,30}", ".{0,60}"),
                0..20,
            )
        ) {
            let db = Cache::temporary().unwrap();
            for (k, (source, fetched_at, status, etag, url, body)) in &entries {
                let e = CacheEntry {
                    source: source.clone(),
                    fetched_at: *fetched_at,
                    status: *status,
                    etag: etag.clone(),
                    url: url.clone(),
                    body: body.clone(),
                };
                db.put(k, &e).unwrap();
            }
            let Store::Db(sled) = &db.store else { unreachable!() };
            let read = Cache::from_snapshot(snapshot_text(sled).unwrap()).unwrap();
            for k in entries.keys() {
                proptest::prop_assert_eq!(read.get(k), db.get(k));
            }
            proptest::prop_assert_eq!(read.stats().unwrap(), db.stats().unwrap());
        }
    }

    /// Sets the modification time of `p` an hour back: a file older than the database.
    fn age(p: &Path) {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(SystemTime::now() - Duration::from_secs(3600))
            .unwrap()
    }

    fn entry(source: &str, at: u64, status: u16) -> CacheEntry {
        CacheEntry {
            source: source.into(),
            fetched_at: at,
            status,
            etag: Some("\"e1\"".into()),
            url: "http://x/y".into(),
            body: if status == 404 {
                String::new()
            } else {
                "{}".into()
            },
        }
    }

    #[test]
    fn put_get_stats_clear() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), REOPEN).unwrap();
        cache.put("a:p:1", &entry("a", 100, 200)).unwrap();
        cache.put("a:p:2", &entry("a", 50, 404)).unwrap();
        cache.put("b:p:1", &entry("b", 300, 200)).unwrap();
        assert_eq!(cache.get("a:p:1"), Some(entry("a", 100, 200)));
        assert_eq!(cache.get("nope"), None);
        let s = cache.stats().unwrap();
        assert_eq!(s.entries, 3);
        assert_eq!(s.negative, 1);
        assert_eq!(s.per_source.get("a"), Some(&2));
        assert_eq!(s.per_source.get("b"), Some(&1));
        assert_eq!((s.oldest, s.newest), (Some(50), Some(300)));
        assert!(s.bytes > 0);
        cache.clear().unwrap();
        assert_eq!(cache.stats().unwrap().entries, 0);
    }

    #[test]
    fn freshness() {
        let e = entry("a", 1_000, 200);
        assert!(e.is_fresh(1_000 + 59, Duration::from_secs(60)));
        assert!(!e.is_fresh(1_000 + 60, Duration::from_secs(60)));
        assert!(!e.is_negative());
        assert!(entry("a", 0, 404).is_negative());
    }

    #[test]
    fn second_open_is_refused_with_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let _first = Cache::open(dir.path(), REOPEN).unwrap();
        let err = Cache::open(dir.path(), Duration::from_millis(100)).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("is in use by another sbomrisk process"),
            "{msg}"
        );
        assert!(
            msg.contains(&format!("(pid {})", std::process::id())),
            "{msg}"
        );
    }

    #[test]
    fn import_rejects_garbage_with_line_number() {
        let cache = Cache::temporary().unwrap();
        let err = cache.import("\nnot json\n".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn import_keeps_the_newer_entry() {
        let cache = Cache::temporary().unwrap();
        cache.put("k", &entry("a", 500, 200)).unwrap();
        let mut buf = Vec::new();
        let other = Cache::temporary().unwrap();
        other.put("k", &entry("a", 100, 200)).unwrap();
        other.put("k2", &entry("a", 100, 404)).unwrap();
        assert_eq!(other.export(&mut buf).unwrap(), 2);
        assert_eq!(cache.import(buf.as_slice()).unwrap(), 1);
        assert_eq!(cache.get("k").unwrap().fetched_at, 500);
        assert_eq!(cache.get("k2").unwrap().status, 404);
    }
}

#[cfg(all(test, unix))]
mod hostile_tests {
    use super::*;

    fn line(source: &str, status: u16, at: u64) -> String {
        format!(
            "{{\"key\":\"k{status}\",\"source\":{},\"fetched_at\":{at},\"status\":{status},\"url\":\"u\",\"body\":\"\"}}\n",
            serde_json::to_string(source).unwrap()
        )
    }

    /// `cache import` stores only what a run would, reads each line bounded, and says what it
    /// stored before a bad line.
    #[test]
    fn import_refuses_what_a_run_never_stores() {
        let cache = Cache::temporary().unwrap();
        let now = now_secs() - 10;
        for (bad, needle) in [
            (line("ecosystems", 500, now), "status 500 is never cached"),
            (line("ecosystems", 0, now), "status 0 is never cached"),
            (line("eco\u{1b}[2J", 200, now), "is not a source id"),
        ] {
            let text = line("ecosystems", 200, now) + &bad;
            let e = cache.import(text.as_bytes()).unwrap_err().to_string();
            assert!(e.contains(needle), "{e}");
            assert!(e.contains("line 2"), "{e}");
            assert!(e.contains("the 1 entries before it were imported"), "{e}");
        }
        // An endless line is refused at its bound, not read whole.
        let zeros = std::io::BufReader::new(std::io::repeat(b'0'));
        let e = cache.import(zeros).unwrap_err().to_string();
        assert!(e.contains("longer than 64 MiB"), "{e}");
    }

    /// A FIFO in place of the snapshot is not read (it would block the run).
    #[test]
    fn a_fifo_snapshot_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SNAPSHOT);
        let ok = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        assert!(read_snapshot(&path).is_none());
        assert!(!known_empty(dir.path()));
    }
}
