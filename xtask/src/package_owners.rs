//! `cargo xtask package-owners`: the offline snapshot behind the `package-repo-owner` rule.
//!
//! Finds the packages of the corpus that have no namespace and get no vendor from the other
//! offline rules (unscoped npm, PyPI...), asks each package's registry for its metadata, keeps
//! the source repository it names when that is on a code forge (github.com/OWNER, ...), and
//! writes `data/packages/TYPE.tsv`: `NAME<TAB>HOST/OWNER<TAB>REPOSITORY URL<TAB>DATE`.
//!
//! Rows already in the output folder are kept without a request (`--refresh` asks again).
//! This is the only task that uses the network; the data tests never do.

use crate::flags::Flags;
use crate::project_root;
use anyhow::Context;
use sbomrisk::data::{embedded_files, normalize_package_name, Registry};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const USER_AGENT: &str = "sbomrisk-data (https://github.com/sbomrisk)";

/// The registries asked, by purl type: (URL of one package's metadata, what the rows cite).
/// NuGet and RubyGems have JSON APIs too, and so does crates.io (`/api/v1/crates/NAME`), but
/// they were unreachable from the curation host on the first run; crates are read from the
/// sparse index and the published crate file instead.
const REGISTRIES: &[(&str, &str, &str)] = &[
    (
        "cargo",
        "https://static.crates.io/crates/{name}/{name}-{version}.crate",
        "`package.repository` (else `homepage`) of the published Cargo.toml of the last published non-yanked version in https://index.crates.io",
    ),
    (
        "npm",
        "https://registry.npmjs.org/{name}/latest",
        "the `repository` (else `homepage`, `bugs`) field of the latest version's package.json",
    ),
    (
        "pypi",
        "https://pypi.org/pypi/{name}/json",
        "`info.project_urls` (Source, Repository, Code, Homepage...) and `info.home_page`",
    ),
];

pub fn run(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let mut f = Flags::new("package-owners", args);
    let corpus = f
        .value("corpus")?
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("..").join("shared").join("corpus"));
    let out = f
        .value("out")?
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("data").join("packages"));
    let jobs: usize = f.parsed("concurrency", 8)?;
    let limit: usize = f.parsed("limit", usize::MAX)?;
    let refresh = f.switch("refresh");
    let verbose = f.switch("verbose");
    f.finish_empty()?;

    // The registry without the tables this task writes: what the other rules leave unknown.
    let files: Vec<_> = embedded_files()
        .into_iter()
        .filter(|f| !f.path.starts_with("packages/"))
        .collect();
    let registry = Registry::from_files(&files).context("loading the embedded data")?;
    let started = Instant::now();
    let wanted = unattributed(&corpus, &registry)?;
    eprintln!(
        "package-owners: {} unattributed names without namespace in {:.1}s",
        wanted.values().map(BTreeMap::len).sum::<usize>(),
        started.elapsed().as_secs_f64()
    );

    let client = reqwest::blocking::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()?;
    let today = today();
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    for &(ty, url_pattern, field) in REGISTRIES {
        let Some(names) = wanted.get(ty) else {
            continue;
        };
        let path = out.join(format!("{ty}.tsv"));
        let existing = read_existing(&path, ty);
        let mut rows: BTreeMap<String, Row> = BTreeMap::new();
        let mut todo = Vec::new();
        for (key, name) in names {
            match existing.get(key) {
                Some(r) if !refresh => {
                    rows.insert(key.clone(), r.clone());
                }
                _ => todo.push(name.clone()),
            }
        }
        let kept = rows.len();
        todo.truncate(limit);
        let fetched = fetch_all(&client, ty, url_pattern, &todo, jobs);
        let mut stats = Stats::default();
        for (name, answer) in todo.iter().zip(fetched) {
            match answer {
                Answer::Repo(host, owner, url) => {
                    stats.forge += 1;
                    rows.insert(
                        normalize_package_name(ty, name).into_owned(),
                        Row {
                            name: name.clone(),
                            host_owner: format!("{host}/{owner}"),
                            url,
                            date: today.clone(),
                        },
                    );
                }
                Answer::NoForge => {
                    stats.no_forge += 1;
                    if verbose {
                        eprintln!("package-owners: {ty} '{name}': no repository on a code forge");
                    }
                }
                Answer::NotFound => {
                    stats.not_found += 1;
                    if verbose {
                        eprintln!("package-owners: {ty} '{name}': not in the registry");
                    }
                }
                Answer::Failed(e) => {
                    stats.failed += 1;
                    if verbose || stats.failed <= 5 {
                        eprintln!("package-owners: {ty} '{name}': {e}");
                    }
                }
            }
        }
        eprintln!(
            "package-owners: {ty}: {} names, {} kept from {}, {} asked: {} on a forge, {} without a forge repository, {} not found, {} failed",
            names.len(),
            kept,
            path.display(),
            todo.len(),
            stats.forge,
            stats.no_forge,
            stats.not_found,
            stats.failed
        );
        write_table(&path, ty, url_pattern, field, &today, &rows)?;
        eprintln!(
            "package-owners: wrote {} rows to {}",
            rows.len(),
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Default)]
struct Stats {
    forge: usize,
    no_forge: usize,
    not_found: usize,
    failed: usize,
}

/// One table row.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    name: String,
    host_owner: String,
    url: String,
    date: String,
}

/// What a registry said about one package.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    /// host, owner (lower-cased), canonical repository URL.
    Repo(String, String, String),
    NoForge,
    NotFound,
    Failed(String),
}

/// purl type -> normalised name -> name as the SBOMs write it, for the components of the
/// corpus without a vendor and without a namespace.
fn unattributed(
    corpus: &Path,
    registry: &Registry,
) -> anyhow::Result<BTreeMap<String, BTreeMap<String, String>>> {
    let manifest_path = corpus.join("MANIFEST.tsv");
    let manifest = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let paths: Vec<PathBuf> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|p| !p.is_empty() && !p.starts_with("invalid/"))
        .map(|p| corpus.join(p))
        .collect();
    let at = sbomrisk::attribution::Attributor::new(registry);
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for path in paths {
        let Ok(sbom) = sbomrisk::ingest::ingest_path(&path) else {
            continue;
        };
        for a in at.attribute(&sbom) {
            if a.vendor.is_some() {
                continue;
            }
            let Some(p) = a
                .purl()
                .and_then(|p| packageurl::PackageUrl::from_str(p.trim()).ok())
            else {
                continue;
            };
            if p.namespace().is_some_and(|n| !n.is_empty()) {
                continue;
            }
            let ty = p.ty().to_ascii_lowercase();
            if !REGISTRIES.iter().any(|r| r.0 == ty) || p.name().is_empty() {
                continue;
            }
            let key = normalize_package_name(&ty, p.name()).into_owned();
            out.entry(ty)
                .or_default()
                .entry(key)
                .or_insert_with(|| p.name().to_string());
        }
    }
    Ok(out)
}

/// The rows of an existing table, by normalised name (none when the file is absent).
fn read_existing(path: &Path, ty: &str) -> BTreeMap<String, Row> {
    let mut rows = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return rows;
    };
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        if let [name, host_owner, url, date] = line.split('\t').collect::<Vec<_>>().as_slice() {
            rows.insert(
                normalize_package_name(ty, name).into_owned(),
                Row {
                    name: name.to_string(),
                    host_owner: host_owner.to_string(),
                    url: url.to_string(),
                    date: date.to_string(),
                },
            );
        }
    }
    rows
}

fn write_table(
    path: &Path,
    ty: &str,
    url_pattern: &str,
    field: &str,
    today: &str,
    rows: &BTreeMap<String, Row>,
) -> anyhow::Result<()> {
    let mut text = format!(
        "# SPDX-License-Identifier: CC0-1.0\n\
         # data/packages/{ty}.tsv: the source repository that the {ty} registry metadata of a package names.\n\
         # Columns: name<TAB>repository owner (host/owner)<TAB>repository URL<TAB>date the metadata was retrieved.\n\
         # Source: {url_pattern}, {field}.\n\
         # Registry metadata is facts published by the package authors (unverified claims); this table\n\
         # restates those facts and copies no other text. Only packages of the sbomrisk test corpus that\n\
         # get no vendor from the other offline rules are listed, and only repositories on a code forge.\n\
         # Generated {today} by: cargo xtask package-owners --corpus ../shared/corpus --out data/packages/\n\
         # (rows already present are kept; add --refresh to ask the registry again for every row)\n"
    );
    let mut sorted: Vec<&Row> = rows.values().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    for r in sorted {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            r.name, r.host_owner, r.url, r.date
        ));
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Fetches every name on `jobs` threads; answers in the order of `names`.
fn fetch_all(
    client: &reqwest::blocking::Client,
    ty: &str,
    url_pattern: &str,
    names: &[String],
    jobs: usize,
) -> Vec<Answer> {
    let next = Mutex::new(0usize);
    let answers: Mutex<Vec<Option<Answer>>> = Mutex::new(vec![None; names.len()]);
    let done = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| loop {
                let i = {
                    let Ok(mut n) = next.lock() else { return };
                    let i = *n;
                    *n += 1;
                    i
                };
                let Some(name) = names.get(i) else { return };
                let answer = lookup(client, ty, url_pattern, name);
                if let Ok(mut a) = answers.lock() {
                    a[i] = Some(answer);
                }
                let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if d.is_multiple_of(500) {
                    eprintln!("package-owners: {ty}: {d}/{}", names.len());
                }
            });
        }
    });
    answers
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.unwrap_or_else(|| Answer::Failed("not asked".into())))
        .collect()
}

/// Asks the registry of `ty` about one package.
fn lookup(client: &reqwest::blocking::Client, ty: &str, url_pattern: &str, name: &str) -> Answer {
    let doc = if ty == "cargo" {
        crate_manifest(client, url_pattern, name)
    } else {
        let url = url_pattern.replace("{name}", &encode_name(ty, name));
        get_json(client, &url)
    };
    match doc {
        Ok(Some(doc)) => match repository_of(ty, &doc) {
            Some((h, o, u)) => Answer::Repo(h, o, u),
            None => Answer::NoForge,
        },
        Ok(None) => Answer::NotFound,
        Err(e) => Answer::Failed(e),
    }
}

/// The sparse-index path of a crate (`an/yh/anyhow`, `3/s/syn`, `2/cc`, `1/a`).
fn index_path(name: &str) -> String {
    let n = name.to_ascii_lowercase();
    match n.len() {
        0..=2 => format!("{}/{n}", n.len()),
        3 => format!("3/{}/{n}", &n[..1]),
        _ => format!("{}/{}/{n}", &n[..2], &n[2..4]),
    }
}

/// The published Cargo.toml of a crate's last published non-yanked version, as JSON.
fn crate_manifest(
    client: &reqwest::blocking::Client,
    url_pattern: &str,
    name: &str,
) -> Result<Option<serde_json::Value>, String> {
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(None);
    }
    let index_url = format!("https://index.crates.io/{}", index_path(name));
    let Some(index) = get_bytes(client, &index_url)? else {
        return Ok(None);
    };
    let latest = String::from_utf8_lossy(&index)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v.get("yanked").and_then(|y| y.as_bool()) != Some(true))
        .filter_map(|v| {
            Some((
                v.get("name")?.as_str()?.to_string(),
                v.get("vers")?.as_str()?.to_string(),
            ))
        })
        .next_back();
    let Some((canonical, version)) = latest else {
        return Ok(None);
    };
    let url = url_pattern
        .replace("{name}", &canonical)
        .replace("{version}", &version);
    let Some(gz) = get_bytes(client, &url)? else {
        return Ok(None);
    };
    let mut tar = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut tar)
        .map_err(|e| format!("{url}: {e}"))?;
    let want = format!("{canonical}-{version}/Cargo.toml");
    let text = tar_entry(&tar, &want).ok_or_else(|| format!("{url}: no {want}"))?;
    let manifest: toml::Value = toml::from_str(&String::from_utf8_lossy(text))
        .map_err(|e| format!("{url}: {want}: {e}"))?;
    serde_json::to_value(manifest)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// The contents of the entry `path` of a tar archive (ustar headers, 512-byte blocks).
fn tar_entry<'a>(tar: &'a [u8], path: &str) -> Option<&'a [u8]> {
    let mut at = 0usize;
    while let Some(header) = tar.get(at..at + 512) {
        if header.iter().all(|b| *b == 0) {
            return None;
        }
        let field = |r: std::ops::Range<usize>| {
            let f = &header[r];
            let end = f.iter().position(|b| *b == 0).unwrap_or(f.len());
            String::from_utf8_lossy(&f[..end]).trim().to_string()
        };
        let name = match field(345..500) {
            prefix if !prefix.is_empty() => format!("{prefix}/{}", field(0..100)),
            _ => field(0..100),
        };
        let size = usize::from_str_radix(&field(124..136), 8).ok()?;
        let body = at + 512;
        if name == path {
            return tar.get(body..body + size);
        }
        at = body + size.div_ceil(512) * 512;
    }
    None
}

/// The name as a URL path segment (npm scopes keep their `@`, the slash is encoded).
fn encode_name(ty: &str, name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b'@' if ty == "npm" => out.push('@'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A JSON document by [`get_bytes`].
fn get_json(
    client: &reqwest::blocking::Client,
    url: &str,
) -> Result<Option<serde_json::Value>, String> {
    match get_bytes(client, url)? {
        None => Ok(None),
        Some(body) => serde_json::from_slice(&body)
            .map(Some)
            .map_err(|e| format!("{url}: {e}")),
    }
}

/// GET with up to 4 tries (backoff 1, 2, 4 s; honouring a short Retry-After); `None` on 404.
fn get_bytes(client: &reqwest::blocking::Client, url: &str) -> Result<Option<Vec<u8>>, String> {
    let mut last = String::new();
    for attempt in 0..4u32 {
        if attempt > 0 {
            std::thread::sleep(Duration::from_secs(1 << (attempt - 1)));
        }
        let resp = match client.get(url).send() {
            Ok(r) => r,
            Err(e) => {
                last = e.to_string();
                continue;
            }
        };
        let status = resp.status().as_u16();
        if status == 404 || status == 410 {
            return Ok(None);
        }
        if status == 429 || status >= 500 {
            if let Some(secs) = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
            {
                std::thread::sleep(Duration::from_secs(secs.min(60)));
            }
            last = format!("HTTP {status}");
            continue;
        }
        if !(200..300).contains(&status) {
            return Err(format!("HTTP {status}"));
        }
        return resp
            .bytes()
            .map(|b| Some(b.to_vec()))
            .map_err(|e| format!("{url}: {e}"));
    }
    Err(format!("{url}: {last}"))
}

/// The forge repository a registry document names: (host, owner lower-cased, canonical URL).
fn repository_of(ty: &str, doc: &serde_json::Value) -> Option<(String, String, String)> {
    let mut candidates: Vec<String> = Vec::new();
    let push = |candidates: &mut Vec<String>, v: Option<&serde_json::Value>| {
        if let Some(s) = v.and_then(|v| v.as_str()) {
            candidates.push(s.to_string());
        }
    };
    match ty {
        "npm" => {
            let repo = doc.get("repository");
            push(&mut candidates, repo.and_then(|r| r.get("url")).or(repo));
            push(&mut candidates, doc.get("homepage"));
            let bugs = doc.get("bugs");
            push(&mut candidates, bugs.and_then(|b| b.get("url")).or(bugs));
        }
        "cargo" => {
            let package = doc.get("package")?;
            push(&mut candidates, package.get("repository"));
            push(&mut candidates, package.get("homepage"));
        }
        "pypi" => {
            let info = doc.get("info")?;
            let urls: Vec<(String, String)> = info
                .get("project_urls")
                .and_then(|u| u.as_object())
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| Some((label(k), v.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default();
            const PREFERRED: &[&str] = &[
                "source",
                "sourcecode",
                "repository",
                "code",
                "github",
                "git",
                "sources",
                "homepage",
                "home",
            ];
            for want in PREFERRED {
                for (k, v) in &urls {
                    if k == want {
                        candidates.push(v.clone());
                    }
                }
            }
            push(&mut candidates, info.get("home_page"));
            // Any other project URL on a forge (issue tracker, changelog).
            for (_, v) in &urls {
                candidates.push(v.clone());
            }
        }
        _ => {}
    }
    candidates.iter().find_map(|c| forge_repository(c))
}

/// A project-URL label reduced to letters (`Source Code` -> `sourcecode`).
fn label(k: &str) -> String {
    k.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The forges whose first path segment is the repository owner (the `hosting` host rules of
/// data/purl_rules.toml).
const FORGES: &[&str] = &[
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "gitee.com",
    "codeberg.org",
];

/// Path segments that are site pages, not accounts.
const NOT_OWNERS: &[&str] = &[
    "sponsors",
    "orgs",
    "features",
    "topics",
    "marketplace",
    "apps",
    "settings",
    "about",
    "login",
    "site",
    "collections",
    "explore",
    "search",
    "notifications",
    "pricing",
    "-",
];

/// `host`, `owner` (lower-cased) and `https://host/owner/repo` of a repository URL in any of
/// the forms registries hold: `git+https://github.com/o/r.git`, `git@github.com:o/r.git`,
/// `git://github.com/o/r`, `github:o/r`, `o/r` (npm's GitHub shorthand), `https://github.com/o/r#readme`.
fn forge_repository(raw: &str) -> Option<(String, String, String)> {
    let s = raw.trim();
    let s = s.strip_prefix("git+").unwrap_or(s);
    let (host, path): (String, &str) = if let Some(i) = s.find("://") {
        let rest = &s[i + 3..];
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        let end = rest.find(['/', ':']).unwrap_or(rest.len());
        let mut host = rest[..end].to_ascii_lowercase();
        let mut path = rest.get(end + 1..).unwrap_or_default();
        // ssh://git@github.com:o/r, and a port (github.com:443/o/r).
        if rest[end..].starts_with(':') {
            if let Some((port, p)) = path.split_once('/') {
                if port.bytes().all(|b| b.is_ascii_digit()) {
                    path = p;
                }
            }
        }
        if let Some(h) = host.strip_prefix("www.") {
            host = h.to_string();
        }
        (host, path)
    } else if let Some(rest) = s.strip_prefix("git@") {
        let (h, p) = rest.split_once(':')?;
        (h.to_ascii_lowercase(), p)
    } else if let Some((scheme, p)) = s.split_once(':') {
        let host = match scheme {
            "github" => "github.com",
            "gitlab" => "gitlab.com",
            "bitbucket" => "bitbucket.org",
            _ => return None,
        };
        (host.to_string(), p)
    } else if is_shorthand(s) {
        ("github.com".to_string(), s)
    } else {
        return None;
    };
    if !FORGES.contains(&host.as_str()) {
        return None;
    }
    let mut segs = path.split(['/', '#', '?']);
    let owner = segs.next()?.trim();
    let repo = segs.next()?.trim();
    let repo = repo.strip_suffix(".git").unwrap_or(repo);
    let ok = |x: &str| {
        !x.is_empty()
            && x.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    if !ok(owner) || !ok(repo) || NOT_OWNERS.contains(&owner.to_ascii_lowercase().as_str()) {
        return None;
    }
    Some((
        host.clone(),
        owner.to_ascii_lowercase(),
        format!("https://{host}/{owner}/{repo}"),
    ))
}

/// npm's `OWNER/REPO` shorthand for a GitHub repository (no scheme, no host).
fn is_shorthand(s: &str) -> bool {
    let mut parts = s.split('/');
    matches!((parts.next(), parts.next(), parts.next()), (Some(o), Some(r), None)
        if !o.is_empty() && !r.is_empty() && !o.contains('.') && !o.contains(':'))
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn repo(s: &str) -> Option<(String, String)> {
        forge_repository(s).map(|(h, o, u)| (format!("{h}/{o}"), u))
    }

    #[test]
    fn repository_url_forms() {
        let want = Some((
            "github.com/stevemao".to_string(),
            "https://github.com/stevemao/left-pad".to_string(),
        ));
        assert_eq!(repo("git+https://github.com/stevemao/left-pad.git"), want);
        assert_eq!(repo("git@github.com:stevemao/left-pad.git"), want);
        assert_eq!(repo("git://github.com/stevemao/left-pad"), want);
        assert_eq!(repo("git+ssh://git@github.com/stevemao/left-pad.git"), want);
        assert_eq!(repo("github:stevemao/left-pad"), want);
        assert_eq!(repo("stevemao/left-pad"), want);
        assert_eq!(
            repo("https://www.github.com/stevemao/left-pad#readme"),
            want
        );
        assert_eq!(
            repo("https://gitlab.com/Group/sub/project").map(|r| r.0),
            Some("gitlab.com/group".to_string())
        );
        assert_eq!(repo("https://example.com/a/b"), None);
        assert_eq!(repo("https://github.com/sponsors/someone"), None);
        assert_eq!(repo("https://github.com/stevemao"), None);
        assert_eq!(repo("left-pad.js.org"), None);
    }

    #[test]
    fn npm_and_pypi_documents() {
        let npm = json!({"name": "x", "repository": {"type": "git", "url": "git+https://github.com/a/x.git"}});
        assert_eq!(
            repository_of("npm", &npm).map(|r| r.1),
            Some("a".to_string())
        );
        let npm_home = json!({"name": "x", "homepage": "https://github.com/b/x#readme"});
        assert_eq!(
            repository_of("npm", &npm_home).map(|r| r.1),
            Some("b".to_string())
        );
        let pypi = json!({"info": {"home_page": "https://example.org",
            "project_urls": {"Funding": "https://github.com/sponsors/z", "Source Code": "https://github.com/c/x"}}});
        assert_eq!(
            repository_of("pypi", &pypi).map(|r| r.1),
            Some("c".to_string())
        );
        assert_eq!(repository_of("pypi", &json!({"info": {}})), None);
    }

    #[test]
    fn crates_index_paths_and_manifests() {
        assert_eq!(index_path("a"), "1/a");
        assert_eq!(index_path("cc"), "2/cc");
        assert_eq!(index_path("syn"), "3/s/syn");
        assert_eq!(index_path("Serde_json"), "se/rd/serde_json");
        let manifest = json!({"package": {"name": "x", "homepage": "https://x.rs",
            "repository": "https://github.com/dtolnay/x"}});
        assert_eq!(
            repository_of("cargo", &manifest).map(|r| r.1),
            Some("dtolnay".to_string())
        );
    }

    #[test]
    fn tar_entries_by_path() {
        fn header(name: &str, size: usize) -> Vec<u8> {
            let mut h = vec![0u8; 512];
            h[..name.len()].copy_from_slice(name.as_bytes());
            let size = format!("{size:011o}");
            h[124..135].copy_from_slice(size.as_bytes());
            h
        }
        let mut tar = header("x-1.0.0/Cargo.toml.orig", 3);
        tar.extend(b"abc");
        tar.resize(1024, 0);
        tar.extend(header("x-1.0.0/Cargo.toml", 5));
        tar.extend(b"hello");
        tar.resize(2048, 0);
        tar.extend([0u8; 1024]);
        assert_eq!(tar_entry(&tar, "x-1.0.0/Cargo.toml"), Some(&b"hello"[..]));
        assert_eq!(tar_entry(&tar, "x-1.0.0/README.md"), None);
        assert_eq!(tar_entry(&tar[..700], "x-1.0.0/Cargo.toml"), None);
    }

    #[test]
    fn names_in_urls() {
        assert_eq!(encode_name("npm", "@types/node"), "@types%2Fnode");
        assert_eq!(encode_name("pypi", "zope.interface"), "zope.interface");
    }

    #[test]
    fn date_format() {
        let d = today();
        assert_eq!(d.len(), 10);
        assert!(d.starts_with("20"));
    }
}
