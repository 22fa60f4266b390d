//! `sbomrisk attribute FILE`: vendor, country and channel of every component, with evidence.

use super::options::{DataArgs, OnlineArgs};
use super::{write_stdout, GlobalArgs, EXIT_BAD_INPUT, EXIT_OK};
use crate::attribution::Attribution;
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

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  sbomrisk attribute sboms/home-router-openwrt.cdx.json
  sbomrisk attribute --offline --format csv sboms/enterprise-switch-sonic.cdx.xml > switch.csv
  sbomrisk attribute --format json --overrides docs/overrides.example.toml sboms/iot-gateway.cdx.json

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

pub fn run(global: &GlobalArgs, args: &Args) -> anyhow::Result<i32> {
    let session = super::options::session(global, &args.data, &args.online, None)?;
    let reg = &session.registry;
    let sbom = match ingest::ingest_path_with(&args.file, &session.limits) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sbomrisk: error: {}", super::terminal_safe(&e.to_string()));
            return Ok(EXIT_BAD_INPUT);
        }
    };
    super::print_read_warnings(&sbom);
    let (attributions, warnings) = session.attribute(&sbom);
    for w in &warnings {
        eprintln!("sbomrisk: warning: {}", super::terminal_safe(w));
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
                "offline": session.offline(),
                "warnings": warnings,
                "summary": summary(&attributions),
                "components": comps,
            });
            serde_json::to_string_pretty(&doc)? + "\n"
        }
        AttributeFormat::Csv => csv(&attributions),
        AttributeFormat::Text => {
            super::terminal_text(&text(&sbom.document.path, reg, &attributions))
        }
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
    // Never a formula in a spreadsheet (`=HYPERLINK(...)` in a name or a vendor).
    let s = &*crate::report::csv::cell(s);
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
