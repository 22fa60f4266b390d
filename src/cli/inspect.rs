//! `sbomrisk inspect FILE...`: what each document is, how big, and what is wrong with it.

use super::{write_stdout, TextOrJson, EXIT_BAD_INPUT, EXIT_OK};
use crate::graph::{self, DependencyGraph};
use crate::ingest;
use crate::model::{Diagnostic, Sbom, Severity};
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  sbomrisk inspect sboms/home-router-openwrt.cdx.json
  sbomrisk inspect sboms/*
  sbomrisk inspect --format json sboms/firewall-appliance.spdx
  curl -s https://example.com/bom.json | sbomrisk inspect -

The format is detected from the content, never the file name. A file that cannot be read is
reported with its path and the others are still inspected (exit 2 at the end).")]
pub struct Args {
    /// SBOM files (CycloneDX JSON/XML, SPDX JSON/YAML/tag-value/RDF/XML/JSON-LD; `.gz` is read
    /// transparently; `-` reads stdin).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// Output format. JSON prints one object for one file, an array for several.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}

/// The facts `inspect` reports about one document.
pub fn summary(sbom: &Sbom, g: &DependencyGraph) -> serde_json::Value {
    let diags: Vec<&Diagnostic> = sbom.diagnostics.iter().chain(&g.diagnostics).collect();
    json!({
        "file": sbom.document.path,
        "format": sbom.document.format,
        "spec_version": sbom.document.spec_version,
        "serialization": sbom.document.serialization,
        "name": sbom.document.name,
        "components": sbom.component_count(),
        "roots": sbom.roots.len(),
        "files": sbom.document.files,
        "edges": g.document_edges,
        "inferred_edges": g.inferred_edges,
        "relations": sbom.relations.len(),
        "unreachable": g.unreachable.len(),
        "cycles": g.cycles.len(),
        "warnings": diags,
    })
}

pub fn run(args: &Args) -> anyhow::Result<i32> {
    let mut code = EXIT_OK;
    let mut objects = Vec::new();
    let mut text = String::new();
    for path in &args.files {
        match ingest::ingest_path(path) {
            Ok(sbom) => {
                let g = graph::build(&sbom);
                match args.format {
                    TextOrJson::Json => objects.push(summary(&sbom, &g)),
                    TextOrJson::Text => write_text(&mut text, &sbom, &g),
                }
                if std::ptr::eq(path, args.files.last().unwrap_or(path)) {
                    super::release(g);
                    super::release(sbom);
                }
            }
            Err(e) => {
                // ripgrep's habit: report the file, go on with the rest.
                eprintln!("sbomrisk: error: {}", super::terminal_safe(&e.to_string()));
                code = EXIT_BAD_INPUT;
                if args.format == TextOrJson::Json && args.files.len() > 1 {
                    objects.push(json!({"file": e.path, "error": e.to_string()}));
                }
            }
        }
        if args.format == TextOrJson::Text && !text.is_empty() {
            write_stdout(&super::terminal_text(&text))?;
            text.clear();
        }
    }
    if args.format == TextOrJson::Json {
        let value = if args.files.len() == 1 {
            match objects.pop() {
                Some(v) => v,
                None => return Ok(code),
            }
        } else {
            serde_json::Value::Array(objects)
        };
        write_stdout(&(serde_json::to_string_pretty(&value)? + "\n"))?;
    }
    Ok(code)
}

fn write_text(out: &mut String, sbom: &Sbom, g: &DependencyGraph) {
    let d = &sbom.document;
    let fmt = d.format.map(|f| f.to_string()).unwrap_or_default();
    let ser = d.serialization.map(|s| s.to_string()).unwrap_or_default();
    // Each value from the document is cleaned on its own, so a line break in it cannot forge
    // a line of the listing.
    let safe = super::terminal_safe;
    let _ = writeln!(out, "{}", safe(&d.path));
    let _ = writeln!(
        out,
        "  format:        {fmt} {} ({ser})",
        safe(&d.spec_version.to_string())
    );
    if let Some(name) = &d.name {
        let _ = writeln!(out, "  product:       {}", safe(name));
    }
    let _ = writeln!(out, "  components:    {}", sbom.component_count());
    let _ = writeln!(
        out,
        "  edges:         {} from the document, {} inferred",
        g.document_edges, g.inferred_edges
    );
    if d.files > 0 {
        let _ = writeln!(out, "  files:         {}", d.files);
    }
    let diags: Vec<&Diagnostic> = sbom.diagnostics.iter().chain(&g.diagnostics).collect();
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let _ = writeln!(out, "  warnings:      {warnings}");
    let mut by_code: BTreeMap<_, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &diags {
        by_code.entry(d.code).or_default().push(d);
    }
    for (code, list) in by_code {
        for d in list.iter().take(5) {
            let _ = writeln!(out, "    {}", safe(&d.to_string()));
        }
        if list.len() > 5 {
            let _ = writeln!(out, "    {code} ... {} more of this kind", list.len() - 5);
        }
    }
}
