//! Reading data files (embedded or from `--data-dir`), parsing and validating them.

use super::schema::{
    ChannelsFile, CountryBasis, PurlRules, RuleSource, Source, SourcesFile, VendorsFile,
};
use super::Registry;
use std::borrow::Cow;
use std::path::Path;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/data_files.rs"));
}

/// One data file: its path relative to the data directory and its text.
#[derive(Debug, Clone)]
pub struct DataFile {
    pub path: String,
    pub text: Cow<'static, str>,
    /// For an embedded TOML file, the same tree compiled to JSON by build.rs (read several
    /// times faster at start-up); `None` for every other file.
    pub compiled: Option<&'static str>,
}

impl DataFile {
    /// A file read from `path` with `text`.
    pub fn new(path: impl Into<String>, text: impl Into<Cow<'static, str>>) -> DataFile {
        DataFile {
            path: path.into(),
            text: text.into(),
            compiled: None,
        }
    }
}

/// Why data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("the data has {} problems:\n  {}", .0.len(), .0.join("\n  "))]
    Invalid(Vec<String>),
}

/// The files built into the binary.
pub fn embedded_files() -> Vec<DataFile> {
    generated::FILES
        .iter()
        .map(|(path, text, compiled)| DataFile {
            path: (*path).to_string(),
            text: Cow::Borrowed(*text),
            compiled: *compiled,
        })
        .collect()
}

/// The compiled JSON of the embedded file at `path` (relative to `data/`), when its text is
/// `text`: a caller holding a file's text reads the faster form only if it is the same file.
pub(crate) fn compiled_for(path: &str, text: &str) -> Option<&'static str> {
    generated::FILES
        .iter()
        .find(|(p, t, _)| *p == path && *t == text)
        .and_then(|(_, _, compiled)| *compiled)
}

/// The data version of [`embedded_files`], computed by build.rs (the same [`digest`]).
pub fn embedded_version() -> &'static str {
    generated::DIGEST
}

/// Reads every `.toml` and `.tsv` file under `dir`.
pub fn read_dir(dir: &Path) -> Result<Vec<DataFile>, DataError> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<DataFile>) -> Result<(), DataError> {
        let entries = std::fs::read_dir(dir).map_err(|e| DataError::Read {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, root, out)?;
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("toml" | "tsv")) {
                let text = std::fs::read_to_string(&p).map_err(|e| DataError::Read {
                    path: p.display().to_string(),
                    message: e.to_string(),
                })?;
                let rel = p
                    .strip_prefix(root)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(DataFile::new(rel, text));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

pub(super) fn parse_toml<T: serde::de::DeserializeOwned>(f: &DataFile) -> Result<T, DataError> {
    // The compiled form of an embedded file; if it ever disagreed with the types, the TOML is
    // parsed instead, so an error still names its line.
    if let Some(json) = f.compiled {
        if let Ok(v) = serde_json::from_str(json) {
            return Ok(v);
        }
    }
    toml::from_str(&f.text).map_err(|e| DataError::Parse {
        path: format!("data/{}", f.path),
        message: e.to_string().replace('\n', " ").trim().to_string(),
    })
}

/// FNV-1a over paths and contents: a stable, short data version.
pub(super) fn digest(files: &[DataFile]) -> String {
    let mut sorted: Vec<&DataFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    super::digest::fnv_files(sorted.into_iter().map(|f| (f.path.as_str(), &*f.text)))
}

/// Parses the files into a registry (not yet validated).
pub fn parse_files(files: &[DataFile]) -> Result<Registry, DataError> {
    parse_files_as(files, digest(files))
}

/// [`parse_files`] with the data version already known (the embedded files' is computed at
/// build time).
pub fn parse_files_as(files: &[DataFile], version: String) -> Result<Registry, DataError> {
    let mut reg = Registry {
        version,
        ..Registry::default()
    };
    for f in files {
        let name = f.path.as_str();
        if name.starts_with("vendors/") && name.ends_with(".toml") {
            let vf: VendorsFile = parse_toml(f)?;
            for v in vf.vendor {
                reg.vendors.push(v);
                reg.vendor_files.push(format!("data/{name}"));
            }
        } else if name == "purl_rules.toml" {
            reg.purl_rules = parse_toml::<PurlRules>(f)?;
        } else if name == "channels.toml" {
            reg.channels = parse_toml::<ChannelsFile>(f)?.channel;
        } else if name.starts_with("jurisdictions/") && name.ends_with(".toml") {
            super::jurisdictions::load_file(&mut reg, f)?;
        } else if name == "weights/scoring.toml" {
            // Parsed and checked by the score stage (`score::ScoringProfile::of_registry`),
            // whose modules own its sections.
            reg.scoring = Some(f.text.to_string());
        } else if name == "weights/pair.toml" {
            reg.pair_weights = Some(parse_toml(f)?);
        } else if name == "attribution.toml" {
            reg.attribution = Some(parse_toml(f)?);
        } else if name == "sources.toml" {
            let sf: SourcesFile = parse_toml(f)?;
            for s in sf.source {
                reg.sources.insert(s.id.clone(), s);
            }
        } else if name == "country_aliases.tsv" {
            for (i, line) in f.text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                match line.split_once('\t') {
                    Some((alias, code)) => {
                        reg.country_aliases
                            .insert(alias.trim().to_lowercase(), code.trim().to_string());
                    }
                    None => {
                        return Err(DataError::Parse {
                            path: format!("data/{name}"),
                            message: format!("line {}: expected ALIAS<TAB>CODE", i + 1),
                        })
                    }
                }
            }
        } else if name.starts_with("packages/") && name.ends_with(".tsv") {
            match &f.text {
                // Embedded: read on first use.
                Cow::Borrowed(text) => reg.packages.defer(name, text),
                Cow::Owned(text) => {
                    reg.packages
                        .parse_file(name, text)
                        .map_err(|message| DataError::Parse {
                            path: format!("data/{name}"),
                            message,
                        })?
                }
            }
        } else if name == "countries.tsv" {
            for (i, line) in f.text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                match line.split_once('\t') {
                    Some((code, country)) if code.len() == 2 => {
                        reg.countries
                            .insert(code.to_string(), country.trim().to_string());
                    }
                    _ => {
                        return Err(DataError::Parse {
                            path: format!("data/{name}"),
                            message: format!("line {}: expected CODE<TAB>NAME", i + 1),
                        })
                    }
                }
            }
        }
    }
    reg.jurisdictions.index();
    let problems = reg.index();
    if !problems.is_empty() {
        return Err(DataError::Invalid(problems));
    }
    Ok(reg)
}

fn check_sources(reg: &Registry, sources: &[Source], what: &str, problems: &mut Vec<String>) {
    if sources.is_empty() {
        problems.push(format!("{what}: no source"));
    }
    for s in sources {
        if !(s.url.starts_with("https://") || s.url.starts_with("http://")) {
            problems.push(format!(
                "{what}: source url '{}' is not a web address",
                s.url
            ));
        }
        if !is_date(&s.date) {
            problems.push(format!(
                "{what}: source date '{}' is not YYYY-MM-DD",
                s.date
            ));
        }
        if let Some(id) = &s.source {
            if !reg.sources.contains_key(id) {
                problems.push(format!("{what}: source '{id}' is not in data/sources.toml"));
            }
        }
    }
}

fn check_rule_source(reg: &Registry, s: &RuleSource, what: &str, problems: &mut Vec<String>) {
    if !reg.sources.contains_key(&s.source) {
        problems.push(format!(
            "{what}: source '{}' is not in data/sources.toml",
            s.source
        ));
    }
    if !(s.source_url.starts_with("https://") || s.source_url.starts_with("http://")) {
        problems.push(format!(
            "{what}: source_url '{}' is not a web address",
            s.source_url
        ));
    }
}

/// A calendar date `YYYY-MM-DD`: digits in place, a month 1-12 and a day that month has
/// (29 February only in a leap year).
pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The candidate closest to `input` (case-blind edit similarity), when one is close enough to
/// be a likely typo: for "did you mean" hints on ids, codes and keys.
pub fn nearest<'c>(input: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let input = input.trim().to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&input, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Every rule of the data: see [`Registry::validate`].
pub fn validate(reg: &Registry) -> Vec<String> {
    let mut problems = Vec::new();
    if reg.countries.is_empty() {
        problems.push("data/countries.tsv: missing or empty".to_string());
    }
    match &reg.attribution {
        None => problems.push("data/attribution.toml: missing".to_string()),
        Some(w) => {
            for (rule, c) in &w.confidence {
                if !(0.0..=1.0).contains(c) {
                    problems.push(format!(
                        "data/attribution.toml: confidence of '{rule}' is {c}, not in [0, 1]"
                    ));
                }
            }
        }
    }
    for (alias, code) in &reg.country_aliases {
        if code != "-" && !reg.is_country(code) {
            problems.push(format!(
                "data/country_aliases.tsv: '{alias}' maps to unknown code '{code}'"
            ));
        }
    }
    let country_ok = |c: &Option<String>| c.as_deref().is_none_or(|c| reg.is_country(c));
    for (i, v) in reg.vendors.iter().enumerate() {
        let what = format!("{}: vendor '{}'", reg.vendor_files[i], v.id);
        if v.id.is_empty()
            || !v
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            problems.push(format!("{what}: id must be lowercase [a-z0-9-]"));
        }
        match (&v.country, v.country_basis) {
            (None, CountryBasis::None) => {}
            (None, _) => problems.push(format!(
                "{what}: no country; a record without one needs country_basis = \"none\""
            )),
            (Some(c), CountryBasis::None) => problems.push(format!(
                "{what}: country '{c}' with country_basis = \"none\""
            )),
            (Some(c), _) if !reg.is_country(c) => {
                problems.push(format!("{what}: unknown country code '{c}'"))
            }
            _ => {}
        }
        if !country_ok(&v.legal_seat) {
            problems.push(format!("{what}: unknown legal_seat code"));
        }
        for c in v.fab_countries.iter().chain(&v.assembly_countries) {
            if !reg.is_country(c) {
                problems.push(format!("{what}: unknown production country code '{c}'"));
            }
        }
        let has_production = !(v.fab_countries.is_empty() && v.assembly_countries.is_empty());
        if has_production && !v.sources.iter().any(|s| s.fact == "production") {
            problems.push(format!(
                "{what}: fab_countries/assembly_countries without a source with fact = \"production\""
            ));
        }
        check_sources(reg, &v.sources, &what, &mut problems);
        if !v.sources.iter().any(|s| s.fact == "country") {
            problems.push(format!("{what}: no source for the country"));
        }
        if let Some(p) = &v.parent {
            match reg.by_id(p) {
                None => problems.push(format!("{what}: parent '{p}' is not a vendor id")),
                Some(_) => {
                    // Follow the chain: a cycle would make "ultimate parent" meaningless.
                    let mut seen = vec![v.id.as_str()];
                    let mut cur = p.as_str();
                    while let Some(next) =
                        reg.by_id(cur).and_then(|i| reg.vendor(i).parent.as_deref())
                    {
                        if seen.contains(&cur) {
                            problems
                                .push(format!("{what}: parent chain has a cycle through '{cur}'"));
                            break;
                        }
                        seen.push(cur);
                        cur = next;
                    }
                }
            }
            if !v.sources.iter().any(|s| s.fact == "parent") {
                problems.push(format!("{what}: no source for the parent"));
            }
        }
    }
    let rules = &reg.purl_rules;
    let vendor_ok = |v: &Option<String>| v.as_deref().is_none_or(|v| reg.by_id(v).is_some());
    for r in &rules.tld_rule {
        let what = format!("data/purl_rules.toml: tld_rule '{}'", r.id);
        check_rule_source(reg, &r.source, &what, &mut problems);
        if !reg.is_country(&r.country) {
            problems.push(format!("{what}: unknown country code '{}'", r.country));
        }
    }
    for r in &rules.tld_generic {
        check_rule_source(
            reg,
            &r.source,
            &format!("data/purl_rules.toml: tld_generic '{}'", r.id),
            &mut problems,
        );
    }
    for r in &rules.host_rule {
        let what = format!("data/purl_rules.toml: host_rule '{}'", r.id);
        check_rule_source(reg, &r.source, &what, &mut problems);
        if !vendor_ok(&r.vendor) {
            problems.push(format!("{what}: vendor is not a vendor id"));
        }
    }
    for r in &rules.distro_rule {
        let what = format!("data/purl_rules.toml: distro_rule '{}'", r.id);
        check_rule_source(reg, &r.source, &what, &mut problems);
        if reg.by_id(&r.vendor).is_none() {
            problems.push(format!("{what}: vendor '{}' is not a vendor id", r.vendor));
        }
    }
    for r in &rules.version_marker {
        let what = format!("data/purl_rules.toml: version_marker '{}'", r.id);
        check_rule_source(reg, &r.source, &what, &mut problems);
        if reg.by_id(&r.vendor).is_none() {
            problems.push(format!("{what}: vendor '{}' is not a vendor id", r.vendor));
        }
        if r.marker.is_empty()
            || !r.marker.is_ascii()
            || r.marker.bytes().any(|b| b.is_ascii_uppercase())
        {
            problems.push(format!("{what}: marker must be non-empty lower-case ASCII"));
        }
    }
    for r in &rules.registry_rule {
        let what = format!("data/purl_rules.toml: registry_rule '{}'", r.id);
        check_rule_source(reg, &r.source, &what, &mut problems);
        if !vendor_ok(&r.vendor) {
            problems.push(format!("{what}: vendor is not a vendor id"));
        }
    }
    for r in &rules.ambiguous {
        let what = format!("data/purl_rules.toml: ambiguous '{}'", r.id);
        check_rule_source(reg, &r.source, &what, &mut problems);
        for c in &r.candidates {
            if reg.by_id(c).is_none() {
                problems.push(format!("{what}: candidate '{c}' is not a vendor id"));
            }
        }
        if r.kind == "cpe_vendor" && reg.by_cpe_vendor(&r.value).is_some() {
            problems.push(format!(
                "{what}: CPE vendor '{}' is also on a record",
                r.value
            ));
        }
    }
    for ch in &reg.channels {
        let what = format!("data/channels.toml: channel '{}'", ch.id);
        check_rule_source(reg, &ch.source, &what, &mut problems);
        check_operator(
            reg,
            &ch.operator,
            &ch.operator_country,
            &what,
            &mut problems,
        );
        for m in &ch.mirrors {
            let what = format!("{what}: mirror '{}'", m.name);
            check_rule_source(reg, &m.source, &what, &mut problems);
            if !reg.is_country(&m.jurisdiction) {
                problems.push(format!("{what}: unknown jurisdiction '{}'", m.jurisdiction));
            }
            check_operator(reg, &m.operator, &m.operator_country, &what, &mut problems);
        }
    }
    problems.extend(super::jurisdictions::validate(reg));
    if reg.packages.rows().next().is_some() && !reg.sources.contains_key(super::packages::SOURCE_ID)
    {
        problems.push(format!(
            "data/packages: the tables cite source '{}', which is not in data/sources.toml",
            super::packages::SOURCE_ID
        ));
    }
    problems.extend(reg.packages.validate(|host| {
        reg.host_rule(host)
            .is_some_and(|r| r.kind == super::HostKind::Hosting)
    }));
    problems
}

/// An operator must be a vendor id, and its stated country that vendor's country.
fn check_operator(
    reg: &Registry,
    operator: &Option<String>,
    country: &Option<String>,
    what: &str,
    problems: &mut Vec<String>,
) {
    if let Some(c) = country {
        if !reg.is_country(c) {
            problems.push(format!("{what}: unknown operator_country '{c}'"));
        }
    }
    if let Some(op) = operator {
        match reg.by_id(op) {
            None => problems.push(format!("{what}: operator '{op}' is not a vendor id")),
            Some(idx) => {
                if country.is_some() && reg.vendor(idx).country != *country {
                    problems.push(format!(
                        "{what}: operator_country {:?} differs from the country of '{op}' ({:?})",
                        country,
                        reg.vendor(idx).country
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn dates_are_calendar_dates() {
        for ok in ["2026-12-07", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "2026-13-01",
            "2026-00-10",
            "2026-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-1-01",
            "2026-12-00",
            "２０２６-12-01",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn nearest_suggests_likely_typos_only() {
        let ids = ["broadcom", "huawei", "micron"];
        assert_eq!(nearest("brodcom", ids), Some("broadcom"));
        assert_eq!(nearest("HUAWEI", ids), Some("huawei"));
        assert_eq!(nearest("zzzz", ids), None);
    }
}
