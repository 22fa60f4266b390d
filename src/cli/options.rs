//! The flag groups shared by several commands, declared once and flattened into each
//! (`#[command(flatten)]`), so help, completions and the man page come from one source; and the
//! layering of flags over `SBOMRISK_*` environment variables over `sbomrisk.toml` into the
//! library's [`Settings`].

use crate::config::Config;
use crate::pipeline::{Event, Observer, Session, Settings};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Where the data comes from.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DataArgs {
    /// Use the data in DIR (laid out like the repository's data/) instead of the built-in data.
    /// [env: SBOMRISK_DATA_DIR; config: data_dir]
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A TOML file of vendor/country overrides that beat every other piece of evidence
    /// (format: data/README.md, "Overrides"). [env: SBOMRISK_OVERRIDES; config: overrides]
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
}

/// The online sources and their cache.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OnlineArgs {
    /// Use only the cache and the curated data: no network request.
    /// [env: SBOMRISK_OFFLINE=1; config: offline]
    #[arg(long)]
    pub offline: bool,
    /// Cache directory (default: the platform cache dir, e.g. ~/.cache/sbomrisk).
    /// [env: SBOMRISK_CACHE_DIR; config: cache_dir]
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// How long cached answers stay fresh, in days (default 7). [config: cache_ttl_days]
    #[arg(long, value_name = "DAYS")]
    pub cache_ttl_days: Option<u64>,
    /// How long the online lookups of a run may take, in seconds (default 60); then the run
    /// goes on with the cache and the curated data, with one warning. [config: online_timeout]
    #[arg(long, value_name = "SECS")]
    pub online_timeout: Option<u64>,
}

/// The scoring options of `analyze`, `portfolio` and `diff`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ScoreArgs {
    /// The buyer's jurisdiction (ISO 3166-1 alpha-2; default CN: the Cybersecurity Review
    /// Measures are the reference; every jurisdiction works). [env: SBOMRISK_BUYER; config: buyer]
    #[arg(long, value_name = "CC")]
    pub buyer: Option<String>,
    /// Who the buyer is, for who must comply with a measure: `ciio` (default: an operator of
    /// critical information infrastructure, the Measures' subject), `government`, `defense` or
    /// `private` (bound only by measures that bind everyone).
    /// [env: SBOMRISK_BUYER_CLASS; config: buyer_class]
    #[arg(long, value_name = "CLASS", value_parser = clap::builder::PossibleValuesParser::new(crate::score::BuyerClass::ALL))]
    pub buyer_class: Option<String>,
    /// A supply-cut scenario to report (repeatable): `embargo:CC` (what vendors controlled from
    /// CC supply), `disruption:CC` (hardware made in CC) or `vendor:ID`. Without it, the worst
    /// country, production-site and vendor scenarios are listed.
    #[arg(long = "scenario", value_name = "S")]
    pub scenarios: Vec<String>,
    /// Evaluate measures as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// A scoring profile replacing data/weights/scoring.toml (same schema, every key).
    /// [env: SBOMRISK_WEIGHTS; config: weights]
    #[arg(long, value_name = "FILE")]
    pub weights: Option<PathBuf>,
    /// A policy file (TOML, `[policy]` table; README, "Policy").
    /// [env: SBOMRISK_POLICY; config: policy]
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

/// The configuration file given with `--config` (or `SBOMRISK_CONFIG`), else the nearest
/// `sbomrisk.toml` from the working directory upward; `None` with `--no-config`.
fn config_file(explicit: Option<&PathBuf>, no_config: bool) -> anyhow::Result<Option<Config>> {
    Ok(match config_path(explicit, no_config) {
        Some(p) => Some(Config::load(&p)?),
        None => None,
    })
}

/// Where [`config_file`] reads the configuration from.
fn config_path(explicit: Option<&PathBuf>, no_config: bool) -> Option<PathBuf> {
    if no_config {
        return None;
    }
    match explicit {
        Some(p) => Some(p.clone()),
        None => match std::env::var_os("SBOMRISK_CONFIG").filter(|v| !v.is_empty()) {
            Some(p) => Some(PathBuf::from(p)),
            None => std::env::current_dir().ok().and_then(|d| Config::find(&d)),
        },
    }
}

/// Every file and directory a command reads: its SBOM `inputs`, then the configuration file, the
/// policy, overrides and weights files, the data directory and the cache directory. An `-o`
/// path is checked against them all, so a report never replaces a file the run read.
pub fn read_paths(
    inputs: impl IntoIterator<Item = PathBuf>,
    global: &super::GlobalArgs,
    data: &DataArgs,
    online: &OnlineArgs,
    score: Option<&ScoreArgs>,
) -> anyhow::Result<Vec<PathBuf>> {
    let s = settings(global, data, online, score)?;
    let mut paths: Vec<PathBuf> = inputs
        .into_iter()
        .chain(config_path(global.config.as_ref(), global.no_config))
        .chain(
            [s.policy, s.overrides, s.weights, s.data_dir, s.cache_dir]
                .into_iter()
                .flatten(),
        )
        .collect();
    if let Some(d) = crate::attribution::cache::default_dir() {
        paths.push(d);
    }
    Ok(paths)
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The cache directory the way every command finds it: `--cache-dir`, else
/// `SBOMRISK_CACHE_DIR`, else the configuration file's `cache_dir`; `None` leaves the platform
/// default. `cache stats|clear|export|import` use it, so they act on the cache `analyze` uses.
pub fn cache_dir(
    global: &super::GlobalArgs,
    flag: Option<&PathBuf>,
) -> anyhow::Result<Option<PathBuf>> {
    let online = OnlineArgs {
        cache_dir: flag.cloned(),
        ..OnlineArgs::default()
    };
    Ok(settings(global, &DataArgs::default(), &online, None)?.cache_dir)
}

/// The options of one command, as the library takes them: the file, then the environment,
/// then the flags.
pub fn settings(
    global: &super::GlobalArgs,
    data: &DataArgs,
    online: &OnlineArgs,
    score: Option<&ScoreArgs>,
) -> anyhow::Result<Settings> {
    let mut s = Settings::default();
    if let Some(c) = config_file(global.config.as_ref(), global.no_config)? {
        c.apply(&mut s);
    }
    // The environment.
    if let Some(v) = env("SBOMRISK_BUYER") {
        s.buyer = v;
    }
    if let Some(v) = env("SBOMRISK_BUYER_CLASS") {
        s.buyer_class = v;
    }
    for (name, slot) in [
        ("SBOMRISK_POLICY", &mut s.policy),
        ("SBOMRISK_OVERRIDES", &mut s.overrides),
        ("SBOMRISK_WEIGHTS", &mut s.weights),
        ("SBOMRISK_DATA_DIR", &mut s.data_dir),
        ("SBOMRISK_CACHE_DIR", &mut s.cache_dir),
    ] {
        if let Some(v) = env(name) {
            *slot = Some(PathBuf::from(v));
        }
    }
    if let Some(v) = env("SBOMRISK_OFFLINE") {
        s.offline = match v.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => true,
            "0" | "false" | "no" | "off" => false,
            _ => anyhow::bail!("SBOMRISK_OFFLINE='{v}': expected 1/0, true/false, yes/no"),
        };
    }
    // The flags.
    if let Some(n) = global.max_components {
        s.max_components = n;
    }
    if data.data_dir.is_some() {
        s.data_dir.clone_from(&data.data_dir);
    }
    if data.overrides.is_some() {
        s.overrides.clone_from(&data.overrides);
    }
    if online.offline {
        s.offline = true;
    }
    if online.cache_dir.is_some() {
        s.cache_dir.clone_from(&online.cache_dir);
    }
    if let Some(d) = online.cache_ttl_days {
        s.cache_ttl_days = d;
    }
    if let Some(t) = online.online_timeout {
        s.online_timeout_secs = t;
    }
    if let Some(sc) = score {
        if let Some(v) = &sc.buyer {
            s.buyer.clone_from(v);
        }
        if let Some(v) = &sc.buyer_class {
            s.buyer_class.clone_from(v);
        }
        s.scenarios.clone_from(&sc.scenarios);
        s.as_of.clone_from(&sc.as_of);
        if sc.weights.is_some() {
            s.weights.clone_from(&sc.weights);
        }
        if sc.policy.is_some() {
            s.policy.clone_from(&sc.policy);
        }
    } else {
        // A command that does not score reads no policy or weights file.
        s.policy = None;
        s.weights = None;
    }
    Ok(s)
}

/// A session of the library for one command, reporting progress on stderr.
pub fn session(
    global: &super::GlobalArgs,
    data: &DataArgs,
    online: &OnlineArgs,
    score: Option<&ScoreArgs>,
) -> anyhow::Result<Session> {
    let s = settings(global, data, online, score)?;
    let session = Session::new(&s)?.with_observer(progress_observer());
    warn_setup(&session);
    Ok(session)
}

/// Prints what the session's files say that is allowed but likely a mistake.
pub fn warn_setup(session: &Session) {
    for w in session.policy.iter().flat_map(|p| &p.warnings) {
        eprintln!("sbomrisk: warning: {}", super::terminal_safe(w));
    }
}

/// Components from which the offline pass shows a spinner (about a second of work).
const SPINNER_FROM: usize = 20_000;

/// Draws the pipeline's events: a spinner while a large document is attributed, a bar while
/// online lookups run.
pub fn progress_observer() -> Observer {
    let current: Arc<Mutex<Option<indicatif::ProgressBar>>> = Arc::new(Mutex::new(None));
    Arc::new(move |e: Event| {
        let Ok(mut slot) = current.lock() else { return };
        match e {
            Event::Attributing { components } if components >= SPINNER_FROM => {
                *slot = Some(super::progress::spinner(&format!(
                    "attributing {components} components"
                )));
            }
            Event::Online { purls } => {
                *slot = Some(super::progress::bar(purls as u64, "online"));
            }
            Event::OnlineProgress { done } => {
                if let Some(b) = slot.as_ref() {
                    b.inc(done as u64);
                }
            }
            Event::Attributed | Event::OnlineDone => {
                if let Some(b) = slot.take() {
                    b.finish_and_clear();
                }
            }
            Event::Attributing { .. } => {}
        }
    })
}
