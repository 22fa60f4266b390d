//! `sbomrisk graph FILE --format dot|json`: export the dependency graph.

use super::{write_stdout, EXIT_BAD_INPUT, EXIT_OK};
use crate::graph;
use crate::ingest;
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Json,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  sbomrisk graph sboms/home-router-openwrt.cdx.json | dot -Tsvg > router.svg
  sbomrisk graph --format json sboms/enterprise-switch-sonic.cdx.xml > switch-graph.json

Edges the document does not state (a flat SBOM's components hung under its product) are marked
as inferred in both formats.")]
pub struct Args {
    /// One SBOM file (`-` reads stdin).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Export format.
    #[arg(long, value_enum, default_value = "dot")]
    pub format: GraphFormat,
}

pub fn run(args: &Args) -> anyhow::Result<i32> {
    let sbom = match ingest::ingest_path(&args.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sbomrisk: error: {}", super::terminal_safe(&e.to_string()));
            return Ok(EXIT_BAD_INPUT);
        }
    };
    let g = graph::build(&sbom);
    match args.format {
        GraphFormat::Dot => write_stdout(&graph::to_dot(&g, &sbom))?,
        GraphFormat::Json => {
            // Written as it is produced: a million components take no document tree.
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            graph::write_json(&mut out, &g, &sbom)?;
            out.flush()?;
        }
    }
    Ok(EXIT_OK)
}
