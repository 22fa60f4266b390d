//! `sbomrisk enrich FILE -o OUT`: the SBOM written back as CycloneDX with what attribution
//! found (the writer is [`crate::enrich`]).

use super::options::{DataArgs, OnlineArgs};
use super::{progress, GlobalArgs, EXIT_BAD_INPUT, EXIT_OK};
use crate::enrich::{self as writer, Options};
use crate::ingest;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  sbomrisk enrich sboms/home-router-openwrt.cdx.json -o router.enriched.cdx.json
  sbomrisk enrich --offline sboms/enterprise-switch-sonic.cdx.xml -o switch.enriched.cdx.xml
  sbomrisk enrich sboms/firewall-appliance.spdx -o firewall.cdx.json
  sbomrisk enrich --min-supplier-confidence 0.7 --overrides docs/overrides.example.toml sboms/iot-gateway.cdx.json -o -

CycloneDX JSON stays JSON and CycloneDX XML stays XML, every original field kept; SPDX is
converted to CycloneDX 1.6 JSON. Added: `supplier` where a component has none, and
sbomrisk:vendor, vendor_id, country, channel, channel_country, confidence and evidence
properties. An existing supplier is never changed. `version` is bumped by one, `serialNumber`
kept, and sbomrisk is added to metadata.tools.")]
pub struct Args {
    /// One SBOM file (`-` reads stdin).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the enriched SBOM (`-` writes to stdout). Never the input file itself.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// Write a supplier only for attributions at least this confident (0 to 1); the
    /// sbomrisk:* properties are written whatever the confidence.
    #[arg(long, value_name = "C", default_value_t = 0.0)]
    pub min_supplier_confidence: f64,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub online: OnlineArgs,
}

pub fn run(global: &GlobalArgs, args: &Args) -> anyhow::Result<i32> {
    if !(0.0..=1.0).contains(&args.min_supplier_confidence) {
        eprintln!("sbomrisk: error: --min-supplier-confidence must be between 0 and 1");
        return Ok(EXIT_BAD_INPUT);
    }
    if args.output != Path::new("-") && super::output::same_file(&args.file, &args.output) {
        eprintln!(
            "sbomrisk: error: {}: the output would overwrite the input; choose another -o",
            args.output.display()
        );
        return Ok(EXIT_BAD_INPUT);
    }
    let session = super::options::session(global, &args.data, &args.online, None)?;
    let reg = &session.registry;
    let shown = args.file.display().to_string();
    let bytes = match ingest::read_input(&args.file, &session.limits) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("sbomrisk: error: {}", super::terminal_safe(&e.to_string()));
            return Ok(EXIT_BAD_INPUT);
        }
    };
    let parsed = ingest::decode_text(&shown, &bytes).and_then(|(text, _)| {
        let detected = ingest::detect(&shown, &text)?;
        let sbom = ingest::parse_detected(&shown, &text, detected)?;
        Ok((text, sbom))
    });
    let (text, sbom) = match parsed {
        Ok(x) => x,
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
    let opts = Options {
        min_supplier_confidence: args.min_supplier_confidence,
        ..Options::default()
    };
    // Large documents take seconds to rewrite.
    let spin = (text.len() >= 8 << 20).then(|| progress::spinner("writing the enriched SBOM"));
    let result = writer::enrich(&sbom, &text, &attributions, reg, &opts);
    if let Some(s) = spin {
        s.finish_and_clear();
    }
    let enriched = match result {
        Ok(e) => e,
        Err(e) => {
            eprintln!("sbomrisk: error: {}", super::terminal_safe(&e.to_string()));
            return Ok(EXIT_BAD_INPUT);
        }
    };
    for w in &enriched.warnings {
        eprintln!(
            "sbomrisk: warning: {}: {}",
            super::terminal_safe(&shown.to_string()),
            super::terminal_safe(w)
        );
    }
    let read =
        super::options::read_paths([args.file.clone()], global, &args.data, &args.online, None)?;
    let mut sink = super::output::buffered(&args.output, &read)?;
    match enriched.write_to(&mut sink) {
        // `-o -` into a pipe whose reader went away: nothing more to say.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(EXIT_OK),
        Err(e) => anyhow::bail!("{}: cannot write: {e}", args.output.display()),
        Ok(()) => {}
    }
    if !super::output::finish(sink, &args.output)? {
        return Ok(EXIT_OK);
    }
    if !progress::is_quiet() {
        let s = &enriched.stats;
        let kind = if s.output == "cyclonedx-xml" {
            "XML"
        } else {
            "JSON"
        };
        eprintln!(
            "sbomrisk: {} -> {} (CycloneDX {} {kind}): {} components annotated, {} suppliers added, {} kept",
            super::terminal_safe(&shown.to_string()),
            super::terminal_safe(&args.output.display().to_string()),
            super::terminal_safe(&s.spec_version.to_string()),
            s.annotated,
            s.suppliers_added,
            s.suppliers_kept,
        );
    }
    Ok(EXIT_OK)
}
