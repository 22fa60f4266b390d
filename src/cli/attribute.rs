//! `sbomrisk attribute FILE`: vendor, country and channel of every component, with evidence.

use super::options::{DataArgs, OnlineArgs};
use super::{GlobalArgs, EXIT_BAD_INPUT, EXIT_OK};
use crate::attribution::Attribution;
use crate::data::Registry;
use crate::ingest;
use crate::model::Role;
use clap::ValueEnum;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;
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
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = match args.format {
        AttributeFormat::Json => {
            let doc = Document {
                tool_version: crate::VERSION,
                data_version: &reg.version,
                file: &sbom.document.path,
                offline: session.offline(),
                warnings: &warnings,
                summary: Summary::of(&attributions),
                components: Components {
                    list: &attributions,
                    sbom: &sbom,
                },
            };
            crate::jsonfmt::write_pretty(&mut out, 0, &doc)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n"))
        }
        AttributeFormat::Csv => csv(&mut out, &attributions),
        AttributeFormat::Text => text(&mut out, &sbom.document.path, reg, &attributions),
    };
    let result = match written.and_then(|()| out.flush()) {
        // The reader went away (`| head`): not an error of the run.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(e) => Err(anyhow::anyhow!("cannot write the output: {e}")),
        Ok(()) => Ok(EXIT_OK),
    };
    super::release(attributions);
    super::release(sbom);
    super::release(session);
    result
}

/// `--format json`: written as a stream, one component at a time (no document tree).
#[derive(Serialize)]
struct Document<'s, 'a> {
    tool_version: &'static str,
    data_version: &'s str,
    file: &'s str,
    offline: bool,
    warnings: &'s [String],
    summary: Summary,
    components: Components<'s, 'a>,
}

/// The attributions with each component's role.
struct Components<'s, 'a> {
    list: &'s [Attribution<'a>],
    sbom: &'s crate::model::Sbom,
}

/// An attribution with its component's role: the attribution's fields, then `role` (written
/// field by field: `#[serde(flatten)]` would go through serde's map path, slower per row).
struct Row<'s, 'a> {
    attribution: &'s Attribution<'a>,
    role: Role,
}

impl Serialize for Row<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Row", Attribution::FIELDS + 1)?;
        self.attribution.serialize_fields(&mut st)?;
        st.serialize_field("role", &self.role)?;
        st.end()
    }
}

impl Serialize for Components<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.list.iter().map(|a| {
            Row {
                attribution: a,
                role: self
                    .sbom
                    .components
                    .get(a.component.index())
                    .map_or(Role::Component, |c| c.role),
            }
        }))
    }
}

/// Shares of components with a vendor and with a country.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub components: usize,
    pub with_vendor: usize,
    pub with_registered_vendor: usize,
    pub with_country: usize,
}

impl Summary {
    pub fn of(list: &[Attribution<'_>]) -> Summary {
        Summary {
            components: list.len(),
            with_vendor: list.iter().filter(|a| a.vendor.is_some()).count(),
            with_registered_vendor: list
                .iter()
                .filter(|a| a.vendor.as_ref().is_some_and(|v| v.id.is_some()))
                .count(),
            with_country: list.iter().filter(|a| a.country.is_some()).count(),
        }
    }
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

fn csv(out: &mut impl Write, list: &[Attribution<'_>]) -> std::io::Result<()> {
    out.write_all(
        b"ref,name,version,purl,vendor_id,vendor_name,parent_id,country,channel,channel_country,confidence,winning_rule,winning_detail\n",
    )?;
    for a in list {
        let won = a.evidence.iter().find(|e| e.won);
        let v = a.vendor.as_ref();
        let confidence = a.confidence.to_string();
        let detail = won.map(|e| e.detail.to_string()).unwrap_or_default();
        let fields = [
            a.bom_ref(),
            a.name(),
            a.version().unwrap_or_default(),
            a.purl().unwrap_or_default(),
            v.and_then(|v| v.id).unwrap_or_default(),
            v.map(|v| v.name.as_ref()).unwrap_or_default(),
            v.and_then(|v| v.parent.as_ref().map(|p| p.id()))
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
        out.write_all(row.join(",").as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The text listing, each component's lines made safe for a terminal as they are written.
fn text(
    out: &mut impl Write,
    path: &str,
    reg: &Registry,
    list: &[Attribution<'_>],
) -> std::io::Result<()> {
    writeln!(
        out,
        "{}  (sbomrisk {}, data {})",
        super::terminal_safe(path),
        crate::VERSION,
        reg.version
    )?;
    let mut lines = String::new();
    for a in list {
        lines.clear();
        // Each value is cleaned on its own, so a line break in a name cannot forge a line.
        let safe = super::terminal_safe;
        let name = match a.version() {
            Some(v) => format!("{}@{}", safe(a.name()), safe(v)),
            None => safe(a.name()),
        };
        let vendor = match &a.vendor {
            Some(v) => match &v.parent {
                Some(p) => format!("{} (parent {})", safe(&v.name), safe(p.name())),
                None => safe(&v.name),
            },
            None => "unknown vendor".to_string(),
        };
        let _ = writeln!(
            lines,
            "  {name:<40} {vendor:<40} {:<3} {:.2}",
            a.country.unwrap_or("??"),
            a.confidence
        );
        for e in &a.evidence {
            let mark = if e.won { "*" } else { " " };
            let _ = writeln!(
                lines,
                "      {mark} [{}] {}",
                e.rule,
                safe(&e.detail.to_string())
            );
        }
        out.write_all(super::terminal_text(&lines).as_bytes())?;
    }
    let s = Summary::of(list);
    writeln!(
        out,
        "{} components: {} with a vendor ({} in data/vendors), {} with a country",
        s.components, s.with_vendor, s.with_registered_vendor, s.with_country
    )
}
