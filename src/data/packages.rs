//! `data/packages/TYPE.tsv`: the source repository that a package's registry metadata names,
//! for package types without a namespace (npm unscoped, PyPI, crates.io, NuGet, RubyGems).
//!
//! Each row is `NAME<TAB>HOST/OWNER<TAB>REPOSITORY URL<TAB>RETRIEVED DATE`: a snapshot, taken by
//! `cargo xtask package-owners`, of what the package's authors published in the registry (npm
//! `repository`, PyPI `project_urls`). The attribution rule `package-repo-owner` reads the owner
//! like any forge owner (`github:OWNER` patterns of data/vendors, else the unregistered
//! `host/owner`). The file stem is the purl type.

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

/// The `data/sources.toml` record every row cites: the registries' package metadata.
pub(crate) const SOURCE_ID: &str = "package-registry-metadata";

/// One row of a `data/packages/*.tsv` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageOwner {
    /// The package name as the file writes it.
    pub name: String,
    /// The forge host (`github.com`, `gitlab.com`, `bitbucket.org`...).
    pub host: String,
    /// The repository owner on that forge, as the file writes it.
    pub owner: String,
    /// The repository URL the registry metadata names, normalised to `https://HOST/OWNER/REPO`.
    pub repository: String,
    /// The date (YYYY-MM-DD) the registry metadata was retrieved.
    pub retrieved: String,
    /// `data/packages/npm.tsv`.
    pub file: String,
    /// 1-based line number in `file`.
    pub line: usize,
}

/// Every `data/packages/*.tsv` row, by purl type and normalised name.
///
/// The embedded tables are read on first use ([`PackageOwners::defer`]): most runs never ask
/// (only a package without a namespace that nothing else placed does), and reading npm's table
/// is a tenth of a small run's start-up. Files of `--data-dir` are read at once, so a
/// malformed row stops the load with its line.
#[derive(Clone, Default)]
pub struct PackageOwners {
    read: Tables,
    /// Embedded files not read yet: (path relative to `data/`, text).
    deferred: Vec<(String, &'static str)>,
    /// `read` plus the deferred files, made on first use.
    all: OnceLock<Tables>,
    /// The deferred files' names, made on the first lookup: a lookup parses only its own row.
    keys: OnceLock<Keys>,
}

/// The rows of the deferred files by purl type and normalised name, each parsed when first
/// asked for. Building it touches each line once and allocates only names that normalising
/// changes.
#[derive(Debug, Default)]
struct Keys {
    by_type: FxHashMap<String, FxHashMap<Cow<'static, str>, usize>>,
    /// The deferred files' names as rows cite them (`data/packages/npm.tsv`).
    files: Vec<String>,
    /// (index in `files`, 1-based line, the line's text, the row once parsed).
    rows: Vec<(usize, usize, &'static str, OnceLock<Option<PackageOwner>>)>,
}

impl Clone for Keys {
    fn clone(&self) -> Keys {
        // Rows parse again on demand; only the index is copied.
        Keys {
            by_type: self.by_type.clone(),
            files: self.files.clone(),
            rows: self
                .rows
                .iter()
                .map(|(f, l, t, _)| (*f, *l, *t, OnceLock::new()))
                .collect(),
        }
    }
}

impl Keys {
    fn of(deferred: &[(String, &'static str)]) -> Keys {
        let mut keys = Keys::default();
        for (path, text) in deferred {
            let Some(ty) = purl_type_of(path) else {
                continue;
            };
            let file = keys.files.len();
            keys.files.push(format!("data/{path}"));
            let table = keys.by_type.entry(ty.clone()).or_default();
            table.reserve(text.len() / 64);
            for (i, raw) in text.lines().enumerate() {
                if raw.trim().is_empty() || raw.starts_with('#') {
                    continue;
                }
                let name = raw.split('\t').next().unwrap_or_default().trim();
                let key = normalize_package_name(&ty, name);
                // The first row of a name wins, as in the full tables (a later one is a
                // problem validation reports).
                let n = keys.rows.len();
                if let std::collections::hash_map::Entry::Vacant(e) = table.entry(key) {
                    e.insert(n);
                    keys.rows.push((file, i + 1, raw, OnceLock::new()));
                }
            }
        }
        keys
    }

    fn get(&self, ty: &str, key: &str) -> Option<&PackageOwner> {
        let &n = self.by_type.get(ty)?.get(key)?;
        let (file, line, raw, row) = self.rows.get(n)?;
        let file = self.files.get(*file)?;
        row.get_or_init(|| parse_row(raw, file, *line).ok())
            .as_ref()
    }
}

/// `TYPE` of a `packages/TYPE.tsv` path, as written.
fn stem(path: &str) -> Option<&str> {
    path.rsplit('/').next().and_then(|f| f.strip_suffix(".tsv"))
}

/// Whether `path` is `packages/TYPE.tsv` for the purl type `ty`, without allocating.
fn stem_is(path: &str, ty: &str) -> bool {
    stem(path).is_some_and(|stem| stem.eq_ignore_ascii_case(ty))
}

/// The purl type a `packages/TYPE.tsv` path is for, if its name is one.
fn purl_type_of(path: &str) -> Option<String> {
    let ty = stem(path).unwrap_or_default().to_ascii_lowercase();
    (!ty.is_empty() && ty.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(ty)
}

/// One row; `Err` says what is wrong with it.
fn parse_row(raw: &str, file: &str, line: usize) -> Result<PackageOwner, String> {
    let cols: Vec<&str> = raw.split('\t').map(str::trim).collect();
    let [name, host_owner, repository, retrieved] = cols.as_slice() else {
        return Err(format!(
            "line {line}: expected NAME<TAB>HOST/OWNER<TAB>REPOSITORY URL<TAB>DATE, found {} columns",
            cols.len()
        ));
    };
    let (host, owner) = host_owner.split_once('/').unwrap_or((host_owner, ""));
    Ok(PackageOwner {
        name: name.to_string(),
        host: host.to_ascii_lowercase(),
        owner: owner.to_string(),
        repository: repository.to_string(),
        retrieved: retrieved.to_string(),
        file: file.to_string(),
        line,
    })
}

#[derive(Debug, Clone, Default)]
struct Tables {
    by_type: FxHashMap<String, FxHashMap<String, PackageOwner>>,
    /// Problems found while reading (a name listed twice), reported by validation.
    problems: Vec<String>,
}

impl std::fmt::Debug for PackageOwners {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // What the tables hold, however they were read.
        self.tables().fmt(f)
    }
}

impl PackageOwners {
    /// Reads one file; `path` is relative to `data/` (`packages/npm.tsv`). A row without four
    /// columns is an error naming the line (the caller adds the file).
    pub(crate) fn parse_file(&mut self, path: &str, text: &str) -> Result<(), String> {
        self.all = OnceLock::new();
        self.keys = OnceLock::new();
        self.read.parse_file(path, text)
    }

    /// Keeps an embedded file to read on first use. A malformed row then becomes a problem
    /// that validation reports (the tests validate the embedded data).
    pub(crate) fn defer(&mut self, path: &str, text: &'static str) {
        self.all = OnceLock::new();
        self.keys = OnceLock::new();
        self.deferred.push((path.to_string(), text));
    }

    /// Every table, the deferred files read now if they were not yet.
    fn tables(&self) -> &Tables {
        if self.deferred.is_empty() {
            return &self.read;
        }
        self.all.get_or_init(|| {
            let mut t = self.read.clone();
            for (path, text) in &self.deferred {
                if let Err(e) = t.parse_file(path, text) {
                    t.problems.push(format!("data/{path}: {e}"));
                }
            }
            t
        })
    }

    /// The row of a package, by purl type and name (normalised as the registry compares names).
    pub fn get(&self, purl_type: &str, name: &str) -> Option<&PackageOwner> {
        let ty = purl_type.to_ascii_lowercase();
        let key = normalize_package_name(&ty, name);
        if let Some(row) = self.read.by_type.get(&ty).and_then(|t| t.get(key.as_ref())) {
            return Some(row);
        }
        // No deferred table of this type (a `generic` or `github` purl): nothing to index.
        if !self.deferred.iter().any(|(path, _)| stem_is(path, &ty)) {
            return None;
        }
        // The deferred files: through the name index, never by reading every row.
        self.keys
            .get_or_init(|| Keys::of(&self.deferred))
            .get(&ty, &key)
    }

    /// Number of rows per purl type, sorted by type.
    pub fn counts(&self) -> Vec<(&str, usize)> {
        let mut out: Vec<(&str, usize)> = self
            .tables()
            .by_type
            .iter()
            .map(|(t, m)| (t.as_str(), m.len()))
            .collect();
        out.sort();
        out
    }

    /// Every row, in no particular order.
    pub fn rows(&self) -> impl Iterator<Item = &PackageOwner> {
        self.tables().by_type.values().flat_map(|m| m.values())
    }
}

impl Tables {
    fn parse_file(&mut self, path: &str, text: &str) -> Result<(), String> {
        let file = format!("data/{path}");
        let Some(ty) = purl_type_of(path) else {
            return Err("the file name must be a purl type (npm.tsv, pypi.tsv, ...)".to_string());
        };
        let table = self.by_type.entry(ty.clone()).or_default();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            let row = parse_row(raw, &file, line)?;
            let name = row.name.as_str();
            let key = normalize_package_name(&ty, name);
            if let Some(prev) = table.get(key.as_ref()) {
                self.problems.push(format!(
                    "{file}: line {line}: package '{name}' is already listed on line {}",
                    prev.line
                ));
                continue;
            }
            table.insert(key.into_owned(), row);
        }
        Ok(())
    }
}

impl PackageOwners {
    /// Problems of the rows: a malformed host or owner, a repository URL that is not on that
    /// host and owner, a missing date, a name listed twice. `is_forge` says whether a host is a
    /// code forge (a `hosting` host_rule of data/purl_rules.toml).
    pub(crate) fn validate(&self, is_forge: impl Fn(&str) -> bool) -> Vec<String> {
        let mut problems = self.tables().problems.clone();
        let mut rows: Vec<&PackageOwner> = self.rows().collect();
        rows.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        for r in rows {
            let what = format!("{}: line {}: package '{}'", r.file, r.line, r.name);
            if r.name.is_empty() {
                problems.push(format!("{what}: empty name"));
            }
            if !is_forge(&r.host) {
                problems.push(format!(
                    "{what}: host '{}' is not a code forge (a hosting host_rule of data/purl_rules.toml)",
                    r.host
                ));
            }
            if r.owner.is_empty()
                || !r
                    .owner
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            {
                problems.push(format!(
                    "{what}: owner '{}' is not a forge account name (HOST/OWNER)",
                    r.owner
                ));
            }
            let prefix = format!("https://{}/{}/", r.host, r.owner).to_ascii_lowercase();
            if !r.repository.to_ascii_lowercase().starts_with(&prefix)
                || r.repository.len() <= prefix.len()
            {
                problems.push(format!(
                    "{what}: repository '{}' is not a repository of {}/{}",
                    r.repository, r.host, r.owner
                ));
            }
            if !super::load::is_date(&r.retrieved) {
                problems.push(format!(
                    "{what}: retrieved date '{}' is not YYYY-MM-DD",
                    r.retrieved
                ));
            }
        }
        problems
    }
}

/// A package name as its registry compares names: PyPI after PEP 503 (case-insensitive, runs
/// of `-`, `_`, `.` are one `-`), crates.io case-insensitive with `-` = `_`, npm and NuGet
/// case-insensitive; RubyGems names are case-sensitive and kept.
///
/// Borrowed when normalising would not change the name (most names are already lower-case
/// ASCII): the index of the embedded tables and each lookup then allocate nothing for them.
pub fn normalize_package_name<'n>(purl_type: &str, name: &'n str) -> Cow<'n, str> {
    let plain = |b: u8| b.is_ascii() && !b.is_ascii_uppercase();
    let unchanged = match purl_type {
        "gem" => true,
        "pypi" => {
            name.bytes().all(|b| plain(b) && b != b'_' && b != b'.')
                && !name.starts_with('-')
                && !name.ends_with('-')
                && !name.contains("--")
        }
        "cargo" => name.bytes().all(|b| plain(b) && b != b'_'),
        _ => name.bytes().all(plain),
    };
    if unchanged {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(normalized(purl_type, name))
    }
}

/// [`normalize_package_name`]'s rules, always into a new string.
fn normalized(purl_type: &str, name: &str) -> String {
    match purl_type {
        "pypi" => {
            let mut out = String::with_capacity(name.len());
            let mut sep = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    sep = true;
                    continue;
                }
                if sep && !out.is_empty() {
                    out.push('-');
                }
                sep = false;
                out.extend(c.to_lowercase());
            }
            out
        }
        "cargo" => name.to_ascii_lowercase().replace('_', "-"),
        "gem" => name.to_string(),
        _ => name.to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::{normalize_package_name, normalized, PackageOwners};

    /// A lookup of a type no table is for reads no table; one of a table's type indexes the
    /// deferred files and finds its row.
    #[test]
    fn a_type_without_a_table_indexes_nothing() {
        let mut owners = PackageOwners::default();
        owners.defer(
            "packages/npm.tsv",
            "left-pad\tgithub.com/stevemao\thttps://github.com/stevemao/left-pad\t2026-11-30\n",
        );
        assert_eq!(owners.get("generic", "left-pad"), None);
        assert_eq!(owners.get("pypi", "left-pad"), None);
        assert!(owners.keys.get().is_none(), "no index built");
        let row = owners.get("npm", "Left-Pad").expect("npm row");
        assert_eq!((row.owner.as_str(), row.line), ("stevemao", 1));
        assert!(owners.keys.get().is_some());
    }

    #[test]
    fn the_borrowed_fast_path_gives_the_normalised_name() {
        for ty in ["npm", "pypi", "cargo", "gem", "nuget"] {
            for name in [
                "lodash",
                "Lodash",
                "zope.interface",
                "Foo__Bar",
                "serde_json",
                "a-b",
                "ÉCOLE",
                "x.Y",
                "-a",
                "a-",
                "a--b",
                "a.b",
                "",
            ] {
                assert_eq!(
                    normalize_package_name(ty, name),
                    normalized(ty, name),
                    "{ty} {name}"
                );
            }
        }
    }
}
