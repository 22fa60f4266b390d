//! Reading data files (embedded or from `--data-dir`), parsing and validating them.

use super::schema::{ChannelsFile, PurlRulesFile, Source, SourcesFile, VendorsFile};
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
        .map(|(path, text)| DataFile {
            path: (*path).to_string(),
            text: Cow::Borrowed(*text),
        })
        .collect()
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
                out.push(DataFile {
                    path: rel,
                    text: Cow::Owned(text),
                });
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn parse_toml<T: serde::de::DeserializeOwned>(f: &DataFile) -> Result<T, DataError> {
    toml::from_str(&f.text).map_err(|e| DataError::Parse {
        path: format!("data/{}", f.path),
        message: e.to_string().replace('\n', " ").trim().to_string(),
    })
}

/// FNV-1a over paths and contents: a stable, short data version.
fn digest(files: &[DataFile]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut sorted: Vec<&DataFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for f in sorted {
        for b in f.path.bytes().chain([0]).chain(f.text.bytes()).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Parses the files into a registry (not yet validated).
pub fn parse_files(files: &[DataFile]) -> Result<Registry, DataError> {
    let mut reg = Registry {
        version: digest(files),
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
            let pf: PurlRulesFile = parse_toml(f)?;
            reg.purl_rules = pf.rule;
        } else if name == "channels.toml" {
            let cf: ChannelsFile = parse_toml(f)?;
            for (key, mut ch) in cf.channel {
                if ch.purl_type.is_empty() {
                    ch.purl_type = key.clone();
                }
                reg.channels.insert(key.to_ascii_lowercase(), ch);
            }
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
    let problems = reg.index();
    if !problems.is_empty() {
        return Err(DataError::Invalid(problems));
    }
    Ok(reg)
}

fn check_sources(
    sources: &[Source],
    single: Option<&Source>,
    what: &str,
    problems: &mut Vec<String>,
) {
    let all: Vec<&Source> = sources.iter().chain(single).collect();
    if all.is_empty() {
        problems.push(format!("{what}: no source"));
    }
    for s in all {
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
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
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
        if !reg.is_country(code) {
            problems.push(format!(
                "data/country_aliases.tsv: '{alias}' maps to unknown code '{code}'"
            ));
        }
    }
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
        if !reg.is_country(&v.country) {
            problems.push(format!("{what}: unknown country code '{}'", v.country));
        }
        check_sources(&v.sources, None, &what, &mut problems);
        if !v
            .sources
            .iter()
            .any(|s| s.fact == "country" || s.fact.is_empty())
        {
            problems.push(format!("{what}: no source for the country"));
        }
        if let Some(p) = &v.parent {
            if reg.by_id(p).is_none() {
                problems.push(format!("{what}: parent '{p}' is not a vendor id"));
            }
            if !v
                .sources
                .iter()
                .any(|s| s.fact == "parent" || s.fact.is_empty())
            {
                problems.push(format!("{what}: no source for the parent"));
            }
        }
    }
    for r in &reg.purl_rules {
        let what = format!("data/purl_rules.toml: rule '{}'", r.id);
        check_sources(&r.sources, r.source.as_ref(), &what, &mut problems);
        if let Some(c) = &r.country {
            if !reg.is_country(c) {
                problems.push(format!("{what}: unknown country code '{c}'"));
            }
        }
        if let Some(v) = &r.vendor {
            if reg.by_id(v).is_none() {
                problems.push(format!("{what}: vendor '{v}' is not a vendor id"));
            }
        }
    }
    for (key, ch) in &reg.channels {
        let what = format!("data/channels.toml: channel '{key}'");
        check_sources(&ch.sources, ch.source.as_ref(), &what, &mut problems);
        if let Some(c) = &ch.country {
            if !reg.is_country(c) {
                problems.push(format!("{what}: unknown country code '{c}'"));
            }
        }
        if let Some(op) = &ch.operator {
            if reg.by_id(op).is_none() {
                problems.push(format!("{what}: operator '{op}' is not a vendor id"));
            }
        }
        for m in &ch.mirrors {
            let what = format!("{what}: mirror '{}'", m.name);
            check_sources(&m.sources, m.source.as_ref(), &what, &mut problems);
            if !reg.is_country(&m.jurisdiction) {
                problems.push(format!("{what}: unknown jurisdiction '{}'", m.jurisdiction));
            }
        }
    }
    problems
}
