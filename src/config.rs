//! `sbomrisk.toml`, the configuration file, as cargo-deny has `deny.toml`: found from the
//! working directory upward, or given with `--config`. It holds what a team sets once (buyer,
//! buyer class, policy, overrides, data and cache directories, weights, online roots for an
//! internal mirror or proxy). Paths in it are relative to the file. Unknown keys are refused,
//! naming the file, the key and the line. Flags beat `SBOMRISK_*` environment variables, which
//! beat the file (the CLI layers them; this module only reads the file).

use crate::pipeline::{Settings, BASE_URL_KEYS};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name looked for.
pub const FILE_NAME: &str = "sbomrisk.toml";

/// The commented file `sbomrisk init` writes (every key, commented out at its default).
pub const TEMPLATE: &str = r#"# sbomrisk.toml: the settings of `sbomrisk` for this directory and those below it.
# Flags beat SBOMRISK_* environment variables, which beat this file. Paths are relative to it.
# Unknown keys are refused. Reference: README.md, "Configuration".

# The buyer's jurisdiction (ISO 3166-1 alpha-2). SBOMRISK_BUYER, --buyer.
# buyer = "CN"

# Who the buyer is: ciio (operator of critical information infrastructure), government,
# defense or private. SBOMRISK_BUYER_CLASS, --buyer-class.
# buyer_class = "ciio"

# A policy file ([policy] table): a violation exits 1. SBOMRISK_POLICY, --policy.
# policy = "policy.toml"

# Vendor/country overrides that beat every other piece of evidence. SBOMRISK_OVERRIDES, --overrides.
# overrides = "overrides.toml"

# A scoring profile replacing data/weights/scoring.toml. SBOMRISK_WEIGHTS, --weights.
# weights = "weights.toml"

# Data laid out like the repository's data/, instead of the built-in data. SBOMRISK_DATA_DIR, --data-dir.
# data_dir = "data"

# No network request: the cache and the curated data only. SBOMRISK_OFFLINE=1, --offline.
# offline = false

# Cache of online answers (default: the platform cache dir). SBOMRISK_CACHE_DIR, --cache-dir.
# cache_dir = ".sbomrisk-cache"

# How long cached answers stay fresh, in days. --cache-ttl-days.
# cache_ttl_days = 7

# How long the online lookups of a run may take, in seconds; then the run goes on offline.
# --online-timeout.
# online_timeout = 60

# Online source roots, for an internal mirror or proxy.
# [online]
# ecosystems = "https://packages.ecosyste.ms/api/v1"
# depsdev = "https://api.deps.dev/v3"
# gleif = "https://api.gleif.org/api/v1"
# repos = "https://repos.ecosyste.ms/api/v1"
"#;

/// A configuration file that cannot be used: the file, and what is wrong (key, line).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub message: String,
}

/// The file's content.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub buyer: Option<String>,
    pub buyer_class: Option<String>,
    pub policy: Option<PathBuf>,
    pub overrides: Option<PathBuf>,
    pub weights: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub offline: Option<bool>,
    pub cache_dir: Option<PathBuf>,
    pub cache_ttl_days: Option<u64>,
    pub online_timeout: Option<u64>,
    #[serde(default)]
    pub online: BTreeMap<String, String>,
    /// The file it came from.
    #[serde(skip)]
    pub file: PathBuf,
}

impl Config {
    /// `sbomrisk.toml` in `start` or the nearest directory above it.
    pub fn find(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// Reads and checks a file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let err = |message: String| ConfigError {
            file: file.clone(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
        let mut c: Config = toml::from_str(&text).map_err(|e| {
            let msg = e.message().trim().replace('\n', " ");
            match e.span() {
                Some(span) => {
                    let before = text.get(..span.start).unwrap_or(&text);
                    let line = before.matches('\n').count() + 1;
                    err(format!("line {line}: {msg}"))
                }
                None => err(msg),
            }
        })?;
        for (k, v) in &c.online {
            if !BASE_URL_KEYS.contains(&k.as_str()) {
                return Err(err(format!(
                    "online.{k}: unknown source, expected one of {}",
                    BASE_URL_KEYS.join(", ")
                )));
            }
            if !(v.starts_with("https://") || v.starts_with("http://")) {
                return Err(err(format!("online.{k} = '{v}' is not an http(s) URL")));
            }
        }
        c.file = path.to_path_buf();
        Ok(c)
    }

    /// Sets what the file holds on `s` (paths resolved against the file's directory).
    pub fn apply(&self, s: &mut Settings) {
        let base = self.file.parent().unwrap_or(Path::new("."));
        let path = |p: &PathBuf| {
            if p.is_absolute() {
                p.clone()
            } else {
                base.join(p)
            }
        };
        if let Some(v) = &self.buyer {
            s.buyer = v.clone();
        }
        if let Some(v) = &self.buyer_class {
            s.buyer_class = v.clone();
        }
        if let Some(v) = &self.policy {
            s.policy = Some(path(v));
        }
        if let Some(v) = &self.overrides {
            s.overrides = Some(path(v));
        }
        if let Some(v) = &self.weights {
            s.weights = Some(path(v));
        }
        if let Some(v) = &self.data_dir {
            s.data_dir = Some(path(v));
        }
        if let Some(v) = self.offline {
            s.offline = v;
        }
        if let Some(v) = &self.cache_dir {
            s.cache_dir = Some(path(v));
        }
        if let Some(v) = self.cache_ttl_days {
            s.cache_ttl_days = v;
        }
        if let Some(v) = self.online_timeout {
            s.online_timeout_secs = v;
        }
        for (k, v) in &self.online {
            s.base_urls.insert(k.clone(), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_parses_and_every_key_in_it_is_known() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE_NAME);
        std::fs::write(&p, TEMPLATE).unwrap();
        assert_eq!(Config::load(&p).unwrap().buyer, None);
        // Uncommented, every key of the template is accepted.
        let open: String = TEMPLATE
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|r| r.contains(" = ") || r.starts_with('['))
                    .unwrap_or("")
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&p, &open).unwrap();
        let c = Config::load(&p).unwrap();
        assert_eq!(c.buyer.as_deref(), Some("CN"));
        assert_eq!(c.online.len(), 4);
        let mut s = Settings::default();
        c.apply(&mut s);
        assert_eq!(s.policy, Some(dir.path().join("policy.toml")));
    }

    #[test]
    fn unknown_keys_name_the_file_the_key_and_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE_NAME);
        std::fs::write(&p, "buyer = \"DE\"\nbuyr_class = \"ciio\"\n").unwrap();
        let e = Config::load(&p).unwrap_err().to_string();
        assert!(e.starts_with(&p.display().to_string()), "{e}");
        assert!(e.contains("line 2") && e.contains("buyr_class"), "{e}");
        std::fs::write(&p, "[online]\necosystem = \"https://x\"\n").unwrap();
        let e = Config::load(&p).unwrap_err().to_string();
        assert!(e.contains("online.ecosystem: unknown source"), "{e}");
    }

    #[test]
    fn the_nearest_file_upward_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(
            Config::find(&deep).filter(|p| p.starts_with(dir.path())),
            None
        );
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        assert_eq!(Config::find(&deep), Some(dir.path().join(FILE_NAME)));
    }
}
