//! The whole pipeline as a library: ingest → graph → attribution (the offline rules, then online
//! facts for what they could not place) → score → policy. A [`Session`] is set up once from
//! [`Settings`] (data, overrides, weights, buyer, policy, online client and cache) and analyses
//! any number of inputs; every command and the portfolio run through it, and a caller that is
//! not the CLI gets the same answers.
//!
//! ```no_run
//! use sbomrisk::pipeline::{Session, Settings};
//! let settings = Settings { offline: true, ..Settings::default() };
//! let session = Session::new(&settings)?;
//! let rating = session.analyze_path("bom.cdx.json".as_ref(), |a| a.report.rating)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Architecture invariant: the library's one entry for a whole analysis; it prints nothing
//! (progress goes to an optional [`Observer`]) and parses no argument.

use crate::attribution::online::{Online, OnlineConfig};
use crate::attribution::{Attribution, Attributor, Overrides, OverridesError};
use crate::data::{DataError, Registry};
use crate::graph::DependencyGraph;
use crate::ingest::IngestError;
use crate::model::Sbom;
use crate::report::policy::{Evaluation, Policy, PolicyError};
use crate::score::{self, BuyerClass, Options, Report, ScenarioSpec, ScoringProfile};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Everything a session is built from. Defaults: the embedded data, a CN buyer of class `ciio`,
/// the shipped weights, no policy, online with the platform cache.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Data laid out like the repository's data/, instead of the built-in data.
    pub data_dir: Option<PathBuf>,
    /// Vendor/country overrides that beat every other piece of evidence.
    pub overrides: Option<PathBuf>,
    /// A scoring profile replacing data/weights/scoring.toml.
    pub weights: Option<PathBuf>,
    /// The buyer's jurisdiction (ISO 3166-1 alpha-2).
    pub buyer: String,
    /// `ciio`, `government`, `defense` or `private`.
    pub buyer_class: String,
    /// `embargo:CC`, `disruption:CC`, `vendor:ID`.
    pub scenarios: Vec<String>,
    /// Evaluate measures as of this date (YYYY-MM-DD) instead of today.
    pub as_of: Option<String>,
    /// A policy file (`[policy]`).
    pub policy: Option<PathBuf>,
    /// Cache and curated data only: no request is sent.
    pub offline: bool,
    /// Cache directory (default: the platform cache dir).
    pub cache_dir: Option<PathBuf>,
    /// How long cached answers stay fresh, in days.
    pub cache_ttl_days: u64,
    /// Online source roots, by source id (`ecosystems`, `depsdev`, `gleif`, `repos`), for an
    /// internal mirror or proxy.
    pub base_urls: BTreeMap<String, String>,
    /// Most components one SBOM may list.
    pub max_components: u64,
    /// How long the online pass of a run may take, in seconds; then the run goes on offline.
    pub online_timeout_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            data_dir: None,
            overrides: None,
            weights: None,
            buyer: "CN".into(),
            buyer_class: "ciio".into(),
            scenarios: Vec::new(),
            as_of: None,
            policy: None,
            offline: false,
            cache_dir: None,
            cache_ttl_days: 7,
            base_urls: BTreeMap::new(),
            max_components: crate::ingest::MAX_COMPONENTS,
            online_timeout_secs: 60,
        }
    }
}

/// The online source ids a `base_urls` key may name.
pub const BASE_URL_KEYS: [&str; 4] = ["ecosystems", "depsdev", "gleif", "repos"];

/// A session that cannot be set up: each names the file or the option at fault.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Overrides(#[from] OverridesError),
    #[error("{0}")]
    Weights(String),
    #[error(transparent)]
    Score(#[from] crate::score::ScoreError),
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// An option's value: the option and what is wrong.
    #[error("{option} '{value}': {message}")]
    Option {
        option: &'static str,
        value: String,
        message: String,
    },
}

fn bad(option: &'static str, value: &str, message: impl Into<String>) -> SetupError {
    SetupError::Option {
        option,
        value: value.to_string(),
        message: message.into(),
    }
}

/// What the pipeline reports while it works, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The offline rules start on a document of this many components.
    Attributing { components: usize },
    /// The offline rules are done.
    Attributed,
    /// Online lookups start for this many purls.
    Online { purls: usize },
    /// This many more purls were answered.
    OnlineProgress { done: usize },
    /// Online lookups are done.
    OnlineDone,
}

/// Receives [`Event`]s.
pub type Observer = Arc<dyn Fn(Event) + Send + Sync>;

/// Purls asked per call, so progress moves: ecosyste.ms's bulk lookup takes 100 a request, so
/// chunking adds no request; versions of one package sort together and mostly share a call.
const LOOKUP_CHUNK: usize = 100;

/// The pipeline, set up once.
pub struct Session {
    pub registry: Registry,
    pub overrides: Option<Overrides>,
    pub profile: ScoringProfile,
    pub buyer: String,
    pub buyer_class: BuyerClass,
    pub scenarios: Vec<ScenarioSpec>,
    pub as_of: Option<String>,
    pub policy: Option<Policy>,
    /// What one input may cost.
    pub limits: crate::ingest::Limits,
    online: OnlineConfig,
    /// The online client and its cache, opened on first need; the error is the warning.
    client: OnceLock<Result<Option<Online>, String>>,
    /// The run-wide warnings already given (a corrupt cache moved aside, sources unreachable):
    /// each is told once per run, not once per product.
    told: std::sync::Mutex<std::collections::HashSet<String>>,
    observer: Option<Observer>,
}

/// One analysed input, as the callback of [`Session::analyze`] sees it.
pub struct Analysis<'a> {
    pub sbom: &'a Sbom,
    pub graph: &'a DependencyGraph,
    pub attributions: &'a [Attribution<'a>],
    /// Warnings of attribution (online sources unreachable, lookups failed).
    pub warnings: &'a [String],
    pub report: &'a Report<'a>,
    /// The policy's verdict, when the session has a policy.
    pub policy: Option<&'a Evaluation>,
}

impl Session {
    /// Loads the data, the overrides, the weights and the policy, and checks every option.
    pub fn new(s: &Settings) -> Result<Session, SetupError> {
        let registry = match &s.data_dir {
            Some(d) => Registry::from_dir(d)?,
            None => Registry::embedded()?,
        };
        let overrides = match &s.overrides {
            Some(p) => Some(Overrides::load(p, &registry)?),
            None => None,
        };
        let profile = match &s.weights {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    SetupError::Weights(format!("{}: cannot read: {e}", path.display()))
                })?;
                ScoringProfile::parse(&path.display().to_string(), &text)?
            }
            None => ScoringProfile::of_registry(&registry)?,
        };
        let code = s.buyer.trim();
        let buyer = match registry.country_code(code) {
            Some(c) if code.len() == 2 => c.to_string(),
            _ => {
                return Err(bad(
                    "--buyer",
                    &s.buyer,
                    "not an ISO 3166-1 alpha-2 country code (e.g. CN, US, DE)",
                ))
            }
        };
        let buyer_class = BuyerClass::parse(&s.buyer_class)?;
        if let Some(d) = &s.as_of {
            if !crate::data::is_date(d) {
                return Err(bad("--as-of", d, "not a calendar date YYYY-MM-DD"));
            }
        }
        let scenarios = s
            .scenarios
            .iter()
            .map(|sc| ScenarioSpec::parse_known(sc, &registry))
            .collect::<Result<Vec<_>, _>>()?;
        let policy = match &s.policy {
            Some(p) => Some(Policy::load(p, &registry)?),
            None => None,
        };
        let mut online = OnlineConfig::from_env();
        online.offline = s.offline;
        online.cache_dir = s.cache_dir.clone();
        online.ttl = std::time::Duration::from_secs(s.cache_ttl_days.saturating_mul(86_400));
        online.deadline = std::time::Duration::from_secs(s.online_timeout_secs);
        for (k, v) in &s.base_urls {
            let url = v.trim_end_matches('/').to_string();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(bad("base_urls", v, format!("{k}: not an http(s) URL")));
            }
            match k.as_str() {
                "ecosystems" => online.base_urls.ecosystems = url,
                "depsdev" => online.base_urls.depsdev = url,
                "gleif" => online.base_urls.gleif = url,
                "repos" => online.base_urls.repos = url,
                other => {
                    return Err(bad(
                        "base_urls",
                        other,
                        format!("not a source; one of {}", BASE_URL_KEYS.join(", ")),
                    ))
                }
            }
        }
        Ok(Session {
            registry,
            overrides,
            profile,
            buyer,
            buyer_class,
            scenarios,
            as_of: s.as_of.clone(),
            policy,
            limits: crate::ingest::Limits {
                max_components: s.max_components,
                ..Default::default()
            },
            online,
            client: OnceLock::new(),
            told: Default::default(),
            observer: None,
        })
    }

    /// Sends progress events to `observer`.
    pub fn with_observer(mut self, observer: Observer) -> Session {
        self.observer = Some(observer);
        self
    }

    fn emit(&self, e: Event) {
        if let Some(o) = &self.observer {
            o(e);
        }
    }

    /// The scoring options of this session.
    pub fn options(&self) -> Options<'_> {
        Options {
            buyer: self.buyer.clone(),
            buyer_class: self.buyer_class,
            profile: &self.profile,
            scenarios: self.scenarios.clone(),
            as_of: self.as_of.clone(),
        }
    }

    /// Whether the session sends no request.
    pub fn offline(&self) -> bool {
        self.online.offline
    }

    /// The online client and its cache, opened once; `None` offline with no cache on disk
    /// (nothing to learn, nothing to open). An error is the warning to print; results are then
    /// offline ones.
    pub fn client(&self) -> Result<Option<&Online>, String> {
        let opened = self.client.get_or_init(|| {
            let cache_dir = self
                .online
                .cache_dir
                .clone()
                .or_else(crate::attribution::cache::default_dir);
            // Offline, only the cache could say more: nothing to open when there is no cache
            // or it is known to hold no entry (an empty snapshot, attribution::cache).
            if self.online.offline
                && cache_dir
                    .is_none_or(|d| !d.exists() || crate::attribution::cache::known_empty(&d))
            {
                return Ok(None);
            }
            Online::new(self.online.clone())
                .map(Some)
                .map_err(|e| format!("online sources and cache not used: {e}; offline results"))
        });
        match opened {
            Ok(c) => Ok(c.as_ref()),
            Err(w) => Err(w.clone()),
        }
    }

    /// The warnings of `list` not given before in this run (each is then marked as given).
    fn untold(&self, mut list: Vec<String>) -> Vec<String> {
        let mut told = self
            .told
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        list.retain(|w| told.insert(w.clone()));
        list
    }

    /// The run-wide warnings of the online client and its cache (opening it if it is not yet)
    /// not given before: for a command that gives them up front, as `portfolio` does.
    pub fn client_warnings(&self) -> Vec<String> {
        match self.client() {
            Ok(Some(c)) => self.untold(c.warnings()),
            Ok(None) => Vec::new(),
            Err(w) => self.untold(vec![w]),
        }
    }

    /// An attributor with this session's data and overrides.
    pub fn attributor(&self) -> Attributor<'_> {
        let mut at = Attributor::new(&self.registry);
        if let Some(o) = &self.overrides {
            at.overrides = o.clone();
        }
        at
    }

    /// Attributes every component: the offline rules first, then online metadata (cache first)
    /// for the components the data could not place. Returns the attributions and the warnings.
    pub fn attribute<'a>(&'a self, sbom: &'a Sbom) -> (Vec<Attribution<'a>>, Vec<String>) {
        let mut at = self.attributor();
        self.emit(Event::Attributing {
            components: sbom.components.len(),
        });
        let offline = at.attribute(sbom);
        self.emit(Event::Attributed);
        let purls = at.online_candidates(sbom, &offline);
        if purls.is_empty() {
            return (offline, Vec::new());
        }
        let client = match self.client() {
            Ok(Some(c)) => c,
            Ok(None) => return (offline, Vec::new()),
            Err(w) => return (offline, self.untold(vec![w])),
        };
        self.emit(Event::Online { purls: purls.len() });
        let mut facts = BTreeMap::new();
        for chunk in purls.chunks(LOOKUP_CHUNK) {
            // Each purl is in one chunk only: the maps do not overlap.
            facts.append(&mut client.lookup_packages(chunk));
            self.emit(Event::OnlineProgress { done: chunk.len() });
        }
        self.emit(Event::OnlineDone);
        at.online = facts;
        let mut warnings = self.untold(client.warnings());
        if self.online.offline {
            warnings.retain(|w| !w.contains("unreachable"));
        }
        if at.online.is_empty() {
            return (offline, warnings);
        }
        (at.attribute(sbom), warnings)
    }

    /// Scores one attributed product.
    pub fn score<'a>(
        &self,
        sbom: &'a Sbom,
        graph: &DependencyGraph,
        attributions: &'a [Attribution<'a>],
    ) -> Report<'a> {
        score::analyze(&self.registry, sbom, graph, attributions, &self.options())
    }

    /// Runs the pipeline on a model and hands the result to `f` (the report borrows the model
    /// and the attributions, so it is lent, not returned).
    pub fn analyze<T>(&self, sbom: &Sbom, f: impl FnOnce(Analysis<'_>) -> T) -> T {
        let graph = crate::graph::build(sbom);
        let (attributions, warnings) = self.attribute(sbom);
        let report = self.score(sbom, &graph, &attributions);
        let evaluation = self.policy.as_ref().map(|p| p.evaluate(&report));
        f(Analysis {
            sbom,
            graph: &graph,
            attributions: &attributions,
            warnings: &warnings,
            report: &report,
            policy: evaluation.as_ref(),
        })
    }

    /// Reads a file (`-`: stdin) and runs [`Session::analyze`] on it.
    pub fn analyze_path<T>(
        &self,
        path: &Path,
        f: impl FnOnce(Analysis<'_>) -> T,
    ) -> Result<T, IngestError> {
        let sbom = crate::ingest::ingest_path_with(path, &self.limits)?;
        Ok(self.analyze(&sbom, f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offline() -> Settings {
        Settings {
            offline: true,
            cache_dir: Some(PathBuf::from("/nonexistent/sbomrisk-test-cache")),
            as_of: Some("2026-11-25".into()),
            ..Settings::default()
        }
    }

    #[test]
    fn the_library_runs_the_whole_pipeline_without_the_cli() {
        let session = Session::new(&offline()).unwrap();
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/supply-kinds.cdx.json"
        ));
        let (rating, n, firmware_vendor) = session
            .analyze_path(path, |a| {
                let fw = a
                    .attributions
                    .iter()
                    .find(|x| x.name().contains("firmware"))
                    .and_then(|x| x.vendor.as_ref())
                    .and_then(|v| v.id)
                    .map(str::to_string);
                (a.report.rating, a.report.components.len(), fw)
            })
            .unwrap();
        assert!(n >= 5, "{n}");
        assert_eq!(firmware_vendor.as_deref(), Some("broadcom"));
        // The same answer as the score stage run by hand.
        let sbom = crate::ingest::ingest_path(path).unwrap();
        let g = crate::graph::build(&sbom);
        let at = session.attributor();
        let attributions = at.attribute(&sbom);
        let by_hand = session.score(&sbom, &g, &attributions);
        assert_eq!(by_hand.rating, rating);
    }

    #[test]
    fn bad_options_name_the_option() {
        let e = |s: Settings| Session::new(&s).err().map(|e| e.to_string()).unwrap();
        let m = e(Settings {
            as_of: Some("2026-13-01".into()),
            ..offline()
        });
        assert!(m.contains("--as-of '2026-13-01'"), "{m}");
        let m = e(Settings {
            buyer: "XX".into(),
            ..offline()
        });
        assert!(m.contains("--buyer 'XX'"), "{m}");
        let m = e(Settings {
            scenarios: vec!["vendor:brodcom".into()],
            ..offline()
        });
        assert!(m.contains("did you mean vendor:broadcom"), "{m}");
        let m = e(Settings {
            base_urls: BTreeMap::from([("ecosystem".to_string(), "https://x".to_string())]),
            ..offline()
        });
        assert!(m.contains("not a source"), "{m}");
    }
}
