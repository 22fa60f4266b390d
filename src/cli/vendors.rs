//! `sbomrisk vendors show ID|NAME` and `sbomrisk vendors search TEXT`.

use super::options::{DataArgs, OnlineArgs};
use super::{write_stdout, GlobalArgs, EXIT_BAD_INPUT, EXIT_OK};
use crate::data::{normalize_name, Registry, VendorIdx};
use std::fmt::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Show one vendor record (by id, name or alias) with its sources.
    #[command(after_help = "Examples:
  sbomrisk vendors show cisco
  sbomrisk vendors show \"Cisco Systems, Inc.\"
  sbomrisk vendors show --data-dir ./data cisco")]
    Show {
        /// Vendor id, name or alias.
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// List vendors whose id, name, alias or domain contains TEXT.
    #[command(after_help = "Examples:
  sbomrisk vendors search huawei
  sbomrisk vendors search .cn")]
    Search {
        text: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

/// The data of the session (the configuration file's data_dir and overrides count).
fn registry(global: &GlobalArgs, data: &DataArgs) -> anyhow::Result<Registry> {
    let online = OnlineArgs {
        offline: true,
        ..OnlineArgs::default()
    };
    Ok(super::options::session(global, data, &online, None)?.registry)
}

pub fn run(global: &GlobalArgs, cmd: &Command) -> anyhow::Result<i32> {
    match cmd {
        Command::Show { name, data } => {
            let reg = registry(global, data)?;
            let idx = reg.by_id(name).or_else(|| reg.by_name(name));
            match idx {
                Some(idx) => {
                    write_stdout(&show(&reg, idx))?;
                    Ok(EXIT_OK)
                }
                None => {
                    eprintln!(
                        "sbomrisk: error: no vendor '{}' in the data (try `sbomrisk vendors search`)",
                        super::terminal_safe(name)
                    );
                    Ok(EXIT_BAD_INPUT)
                }
            }
        }
        Command::Search { text, data } => {
            let reg = registry(global, data)?;
            let needle = normalize_name(text);
            let lower = text.to_lowercase();
            let mut out = String::new();
            for (i, v) in reg.vendors.iter().enumerate() {
                let hit = v.id.contains(&lower)
                    || std::iter::once(&v.name)
                        .chain(&v.aliases)
                        .any(|n| !needle.is_empty() && normalize_name(n).contains(&needle))
                    || v.domains.iter().any(|d| d.contains(&lower));
                if hit {
                    let _ = writeln!(
                        out,
                        "{:<28} {:<45} {}  {}",
                        v.id,
                        v.name,
                        v.country.as_deref().unwrap_or("--"),
                        reg.vendor_files[i]
                    );
                }
            }
            if out.is_empty() {
                eprintln!(
                    "sbomrisk: no vendor matches '{}'",
                    super::terminal_safe(text)
                );
                return Ok(EXIT_POLICY_NONE);
            }
            write_stdout(&out)?;
            Ok(EXIT_OK)
        }
    }
}

/// Nothing found is not an error of input: exit 1, like grep.
const EXIT_POLICY_NONE: i32 = 1;

fn show(reg: &Registry, idx: VendorIdx) -> String {
    let v = reg.vendor(idx);
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", v.name, v.id);
    let _ = writeln!(out, "  record:      {}", reg.vendor_files[idx.0 as usize]);
    match &v.country {
        Some(c) => {
            let name = reg.countries.get(c).map(String::as_str).unwrap_or("?");
            let _ = writeln!(
                out,
                "  country:     {c} ({name}), basis {:?}",
                v.country_basis
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  country:     unknown (no legal entity, fiscal host or single maintainer country)"
            );
        }
    }
    if let Some(seat) = &v.legal_seat {
        let _ = writeln!(out, "  legal seat:  {seat}");
    }
    let _ = writeln!(out, "  kind:        {}", v.kind.as_str());
    if let Some(p) = &v.parent {
        let top = reg.vendor(reg.ultimate_parent(idx));
        let _ = writeln!(
            out,
            "  parent:      {p} (ultimate: {}, {})",
            top.name,
            top.country.as_deref().unwrap_or("country unknown")
        );
    }
    let list = |l: &[String]| {
        if l.is_empty() {
            "-".to_string()
        } else {
            l.join(", ")
        }
    };
    let _ = writeln!(out, "  aliases:     {}", list(&v.aliases));
    let _ = writeln!(out, "  domains:     {}", list(&v.domains));
    let _ = writeln!(out, "  purl:        {}", list(&v.purl));
    let _ = writeln!(out, "  cpe vendors: {}", list(&v.cpe_vendors));
    for s in &v.sources {
        let _ = writeln!(out, "  source:      {} {} ({})", s.fact, s.url, s.date);
    }
    if let Some(n) = &v.note {
        let _ = writeln!(out, "  note:        {n}");
    }
    // The measures that name the vendor (of every authority and date), and those naming its
    // parent when they cover subsidiaries.
    let mut measures: Vec<_> = reg.jurisdictions.vendor_measures(&v.id).collect();
    if let Some(p) = &v.parent {
        measures.extend(
            reg.jurisdictions
                .vendor_measures(p)
                .filter(|m| m.covers_subsidiaries),
        );
    }
    if measures.is_empty() {
        let _ = writeln!(
            out,
            "  measures:    none in data/jurisdictions/vendor_measures.toml"
        );
    }
    for m in measures {
        let _ = writeln!(
            out,
            "  measure:     {} ({}, {}): {} by {} of {}, from {}{}; binds {}, covers {}; {}",
            m.id,
            m.list,
            m.effect,
            m.scope,
            m.authority,
            m.authority_country,
            m.effective_from,
            m.effective_to
                .as_deref()
                .map_or(String::new(), |t| format!(" to {t}")),
            m.binds,
            m.items.join(", "),
            m.source_url
        );
    }
    out
}
