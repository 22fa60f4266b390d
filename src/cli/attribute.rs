//! `sbomrisk attribute FILE`: vendor, country and channel of every component, with evidence.

use super::{write_stdout, EXIT_BAD_INPUT, EXIT_OK};
use crate::attribution::online::{Online, OnlineConfig};
use crate::attribution::{Attribution, Attributor, Overrides};
use crate::data::Registry;
use crate::ingest;
use crate::model::Role;
use clap::ValueEnum;
use serde_json::json;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AttributeFormat {
    Text,
    Json,
    Csv,
}

/// Options shared by commands that attribute.
#[derive(Debug, Clone, clap::Args)]
pub struct DataArgs {
    /// Use the data in DIR (laid out like the repository's data/) instead of the built-in data.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A TOML file of vendor/country overrides that beat every other piece of evidence.
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
}

impl DataArgs {
    /// Loads the registry and the overrides.
    pub fn load(&self) -> anyhow::Result<(Registry, Option<Overrides>)> {
        let reg = match &self.data_dir {
            Some(d) => Registry::from_dir(d)?,
            None => Registry::embedded()?,
        };
        let ov = match &self.overrides {
            Some(p) => Some(Overrides::load(p, &reg)?),
            None => None,
        };
        Ok((reg, ov))
    }
}

/// Options of the online sources and their cache.
#[derive(Debug, Clone, clap::Args)]
pub struct OnlineArgs {
    /// Use only the cache and the curated data: no network request.
    #[arg(long)]
    pub offline: bool,
    /// Cache directory (default: the platform cache dir, e.g. ~/.cache/sbomrisk).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// How long cached answers stay fresh, in days.
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    pub cache_ttl_days: u64,
}

impl OnlineArgs {
    pub fn config(&self) -> OnlineConfig {
        let mut cfg = OnlineConfig::from_env();
        cfg.offline = self.offline;
        cfg.cache_dir = self.cache_dir.clone();
        cfg.ttl = std::time::Duration::from_secs(self.cache_ttl_days * 86_400);
        cfg
    }
}

/// Attributes every component: the offline rules first, then online metadata (cache first)
/// for the components the data could not place. Returns the attributions and the warnings.
pub fn attribute_all<'a>(
    at: &mut Attributor<'a>,
    sbom: &'a crate::model::Sbom,
    online: &OnlineArgs,
) -> (Vec<Attribution<'a>>, Vec<String>) {
    // The offline rules take seconds only on very large documents: a spinner then.
    let spin = (sbom.components.len() >= SPINNER_FROM).then(|| {
        super::progress::spinner(&format!("attributing {} components", sbom.components.len()))
    });
    let offline = at.attribute(sbom);
    if let Some(s) = spin {
        s.finish_and_clear();
    }
    let purls = at.online_candidates(sbom, &offline);
    if purls.is_empty() {
        return (offline, Vec::new());
    }
    let client = match open_client(online) {
        Ok(Some(c)) => c,
        Ok(None) => return (offline, Vec::new()),
        Err(w) => return (offline, vec![w]),
    };
    at.online = lookup_with_progress(&client, &purls);
    let mut warnings = merge_failure_counts(client.warnings());
    if online.offline {
        warnings.retain(|w| !w.contains("unreachable"));
    }
    if at.online.is_empty() {
        return (offline, warnings);
    }
    (at.attribute(sbom), warnings)
}

/// The online client and its cache, or `None` offline with no cache on disk (nothing to learn,
/// nothing to open). An error is the warning to print; the results are then offline ones.
pub fn open_client(online: &OnlineArgs) -> Result<Option<Online>, String> {
    let cache_dir = online
        .cache_dir
        .clone()
        .or_else(crate::attribution::cache::default_dir);
    if online.offline && cache_dir.is_none_or(|d| !d.exists()) {
        return Ok(None);
    }
    Online::new(online.config())
        .map(Some)
        .map_err(|e| format!("online sources and cache not used: {e}; offline results"))
}

/// Components from which the offline pass shows a spinner (about a second of work).
const SPINNER_FROM: usize = 20_000;

/// Purls asked per call, so the bar moves: ecosyste.ms's bulk lookup takes 100 a request, so
/// chunking adds no request; versions of one package sort together and mostly share a call.
const LOOKUP_CHUNK: usize = 100;

/// Asks the online sources chunk by chunk, with a progress bar on stderr.
fn lookup_with_progress(
    client: &Online,
    purls: &[String],
) -> std::collections::BTreeMap<String, Vec<crate::attribution::online::PackageFacts>> {
    let bar = super::progress::bar(purls.len() as u64, "online");
    let mut out = std::collections::BTreeMap::new();
    for chunk in purls.chunks(LOOKUP_CHUNK) {
        // Each purl is in one chunk only: the maps do not overlap.
        out.append(&mut client.lookup_packages(chunk));
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    out
}

/// Sums the per-call `SOURCE: N lookup(s) failed, e.g. X` warnings into one per source.
fn merge_failure_counts(warnings: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut sums: Vec<(String, usize, String)> = Vec::new();
    for w in warnings {
        let parsed = w.split_once(": ").and_then(|(src, rest)| {
            let (n, example) = rest.split_once(" lookup(s) failed, e.g. ")?;
            Some((
                src.to_string(),
                n.parse::<usize>().ok()?,
                example.to_string(),
            ))
        });
        match parsed {
            Some((src, n, example)) => match sums.iter_mut().find(|(s, _, _)| *s == src) {
                Some(entry) => entry.1 += n,
                None => {
                    out.push(String::new()); // placeholder, filled below in first-seen order
                    sums.push((src, n, example));
                }
            },
            None => out.push(w),
        }
    }
    let mut it = sums.into_iter();
    for slot in out.iter_mut().filter(|s| s.is_empty()) {
        if let Some((src, n, example)) = it.next() {
            *slot = format!("{src}: {n} lookup(s) failed, e.g. {example}");
        }
    }
    out
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  sbomrisk attribute sboms/home-router-openwrt.cdx.json
  sbomrisk attribute --offline --format csv sboms/enterprise-switch-sonic.cdx.xml > switch.csv
  sbomrisk attribute --format json --overrides my-vendors.toml sboms/iot-gateway.cdx.json

The offline rules run first (overrides, SBOM declarations, CPE, purl, domains); components they
cannot place are looked up online (ecosyste.ms, deps.dev; cached) unless --offline. The
winning evidence is marked with *. Progress goes to stderr; -q hides it.")]
pub struct Args {
    /// One SBOM file (`-` reads stdin).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: AttributeFormat,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub online: OnlineArgs,
}

pub fn run(args: &Args) -> anyhow::Result<i32> {
    let (reg, overrides) = args.data.load()?;
    let sbom = match ingest::ingest_path(&args.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sbomrisk: error: {e}");
            return Ok(EXIT_BAD_INPUT);
        }
    };
    let mut at = Attributor::new(&reg);
    if let Some(o) = overrides {
        at.overrides = o;
    }
    let (attributions, warnings) = attribute_all(&mut at, &sbom, &args.online);
    for w in &warnings {
        eprintln!("sbomrisk: warning: {w}");
    }
    let roles: Vec<Role> = sbom.components.iter().map(|c| c.role).collect();
    let out = match args.format {
        AttributeFormat::Json => {
            let comps: Vec<serde_json::Value> = attributions
                .iter()
                .map(|a| {
                    let mut v = serde_json::to_value(a).unwrap_or_default();
                    v["role"] = json!(roles[a.component.index()]);
                    v
                })
                .collect();
            let doc = json!({
                "tool_version": crate::VERSION,
                "data_version": reg.version,
                "file": sbom.document.path,
                "offline": args.online.offline,
                "warnings": warnings,
                "summary": summary(&attributions),
                "components": comps,
            });
            serde_json::to_string_pretty(&doc)? + "\n"
        }
        AttributeFormat::Csv => csv(&attributions),
        AttributeFormat::Text => text(&sbom.document.path, &reg, &attributions),
    };
    write_stdout(&out)?;
    Ok(EXIT_OK)
}

/// Shares of components with a vendor and with a country.
pub fn summary(list: &[Attribution<'_>]) -> serde_json::Value {
    let n = list.len();
    let vendor = list.iter().filter(|a| a.vendor.is_some()).count();
    let registered = list
        .iter()
        .filter(|a| a.vendor.as_ref().is_some_and(|v| v.id.is_some()))
        .count();
    let country = list.iter().filter(|a| a.country.is_some()).count();
    json!({
        "components": n,
        "with_vendor": vendor,
        "with_registered_vendor": registered,
        "with_country": country,
    })
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv(list: &[Attribution<'_>]) -> String {
    let mut out = String::from(
        "ref,name,version,purl,vendor_id,vendor_name,parent_id,country,channel,channel_country,confidence,winning_rule,winning_detail\n",
    );
    for a in list {
        let won = a.evidence.iter().find(|e| e.won);
        let v = a.vendor.as_ref();
        let confidence = a.confidence.to_string();
        let detail = won.map(|e| e.detail.to_string()).unwrap_or_default();
        let fields = [
            a.bom_ref,
            a.name,
            a.version.unwrap_or_default(),
            a.purl.unwrap_or_default(),
            v.and_then(|v| v.id).unwrap_or_default(),
            v.map(|v| v.name.as_ref()).unwrap_or_default(),
            v.and_then(|v| v.parent.as_ref().map(|p| p.id))
                .unwrap_or_default(),
            a.country.unwrap_or_default(),
            a.channel
                .as_ref()
                .map(|c| c.name.as_ref())
                .unwrap_or_default(),
            a.channel
                .as_ref()
                .and_then(|c| c.country)
                .unwrap_or_default(),
            &confidence,
            won.map(|e| e.rule).unwrap_or_default(),
            &detail,
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

fn text(path: &str, reg: &Registry, list: &[Attribution<'_>]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{path}  (sbomrisk {}, data {})",
        crate::VERSION,
        reg.version
    );
    for a in list {
        let name = match a.version {
            Some(v) => format!("{}@{}", a.name, v),
            None => a.name.to_string(),
        };
        let vendor = match &a.vendor {
            Some(v) => match &v.parent {
                Some(p) => format!("{} (parent {})", v.name, p.name),
                None => v.name.to_string(),
            },
            None => "unknown vendor".to_string(),
        };
        let _ = writeln!(
            out,
            "  {name:<40} {vendor:<40} {:<3} {:.2}",
            a.country.unwrap_or("??"),
            a.confidence
        );
        for e in &a.evidence {
            let mark = if e.won { "*" } else { " " };
            let _ = writeln!(out, "      {mark} [{}] {}", e.rule, e.detail);
        }
    }
    let s = summary(list);
    let _ = writeln!(
        out,
        "{} components: {} with a vendor ({} in data/vendors), {} with a country",
        s["components"], s["with_vendor"], s["with_registered_vendor"], s["with_country"]
    );
    out
}

#[cfg(test)]
mod tests {
    use super::merge_failure_counts;

    #[test]
    fn failure_warnings_are_summed_per_source() {
        let w = vec![
            "ecosystems: 2 lookup(s) failed, e.g. timeout".to_string(),
            "cache is old".to_string(),
            "depsdev: 1 lookup(s) failed, e.g. 500".to_string(),
            "ecosystems: 3 lookup(s) failed, e.g. 404".to_string(),
        ];
        assert_eq!(
            merge_failure_counts(w),
            vec![
                "ecosystems: 5 lookup(s) failed, e.g. timeout".to_string(),
                "cache is old".to_string(),
                "depsdev: 1 lookup(s) failed, e.g. 500".to_string(),
            ]
        );
    }
}
