//! `sbomrisk diff OLD NEW`: what changed between two versions of a product, scores before and
//! after, findings new and resolved.

use super::options::{DataArgs, OnlineArgs, ScoreArgs};
use super::{GlobalArgs, EXIT_BAD_INPUT, EXIT_OK, EXIT_POLICY};
use crate::report::{Policy, Violation};
use crate::score::diff::{diff, Diff};
use crate::{graph, ingest};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  sbomrisk diff sboms/home-router-openwrt.spdx.json sboms/home-router-openwrt.cdx.json
  sbomrisk diff --buyer DE --format json -o diff.json sboms/home-router-openwrt.spdx.json sboms/home-router-openwrt.cdx.json
  sbomrisk diff --format markdown sboms/home-router-openwrt.spdx.json sboms/home-router-openwrt.cdx.json >> release-notes.md

Components are matched by purl without version (else by name), not by ref. Score deltas are
after - before; for origin_diversity, continuity and transparency a negative delta is worse,
for single_vendor_reliance, political_exposure and risk_index a positive one is.")]
pub struct Args {
    /// The earlier SBOM.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later SBOM.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// The scoring options; with `--policy`, a rule the new version breaks and the old one did
    /// not is a regression, and exits 1 (rules both break are listed, not failed).
    #[command(flatten)]
    pub score: ScoreArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// Write the diff to PATH instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub online: OnlineArgs,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

pub fn run(global: &GlobalArgs, args: &Args) -> anyhow::Result<i32> {
    let mut score_args = args.score.clone();
    // Both versions are scored as of one date, so the diff shows the product's change only.
    score_args.as_of = Some(
        score_args
            .as_of
            .unwrap_or_else(crate::data::jurisdictions::today),
    );
    let session = super::options::session(global, &args.data, &args.online, Some(&score_args))?;
    let policy = session.policy.as_ref();
    let read = |p: &PathBuf| match ingest::ingest_path_with(p, &session.limits) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("sbomrisk: error: {}", super::terminal_safe(&e.to_string()));
            None
        }
    };
    let (Some(old), Some(new)) = (read(&args.old), read(&args.new)) else {
        return Ok(EXIT_BAD_INPUT);
    };
    let (g_old, g_new) = (graph::build(&old), graph::build(&new));
    let a_old = attribute(&session, &old);
    let a_new = attribute(&session, &new);
    let r_old = session.score(&old, &g_old, &a_old);
    let r_new = session.score(&new, &g_new, &a_new);
    let d = diff(&r_old, &r_new);
    let gate = policy.map(|p| Gate::new(p, &r_old, &r_new));
    let out = match args.format {
        DiffFormat::Json => {
            let mut v = serde_json::to_value(&d)?;
            if let (Some(g), Some(obj)) = (&gate, v.as_object_mut()) {
                obj.insert("policy".into(), serde_json::to_value(g)?);
            }
            serde_json::to_string_pretty(&v)? + "\n"
        }
        DiffFormat::Text => super::terminal_text(
            &(render_text(&d) + &gate.as_ref().map_or(String::new(), Gate::text)),
        ),
        DiffFormat::Markdown => {
            render_markdown(&d) + &gate.as_ref().map_or(String::new(), Gate::markdown)
        }
    };
    let read = super::options::read_paths(
        [args.old.clone(), args.new.clone()],
        global,
        &args.data,
        &args.online,
        Some(&args.score),
    )?;
    super::output::write(args.output.as_deref(), &read, out.as_bytes())?;
    if let Some(g) = &gate {
        for v in &g.regressions {
            eprintln!(
                "sbomrisk: policy regression: {}: {}",
                super::terminal_safe(&g.file),
                super::terminal_safe(&v.message)
            );
        }
        if !g.regressions.is_empty() {
            return Ok(EXIT_POLICY);
        }
    }
    Ok(EXIT_OK)
}

/// The policy verdict of a diff: what the new version breaks that the old one did not.
#[derive(Debug, serde::Serialize)]
struct Gate {
    file: String,
    /// Rules the new version breaks and the old one did not (exit 1).
    regressions: Vec<Violation>,
    /// Rules both versions break.
    persisting: Vec<Violation>,
    /// Rules the old version broke and the new one does not.
    fixed: Vec<Violation>,
    passed: bool,
}

impl Gate {
    fn new(p: &Policy, old: &crate::score::Report<'_>, new: &crate::score::Report<'_>) -> Gate {
        let (before, after) = (p.evaluate(old), p.evaluate(new));
        // A rule and its limit (a threshold, or the denied country or vendor) identify a breach.
        let key = |v: &Violation| (v.rule, v.limit.to_string());
        let had = |list: &[Violation], v: &Violation| list.iter().any(|w| key(w) == key(v));
        let regressions: Vec<Violation> = after
            .violations
            .iter()
            .filter(|v| !had(&before.violations, v))
            .cloned()
            .collect();
        Gate {
            file: p.file.clone(),
            passed: regressions.is_empty(),
            persisting: after
                .violations
                .iter()
                .filter(|v| had(&before.violations, v))
                .cloned()
                .collect(),
            fixed: before
                .violations
                .iter()
                .filter(|v| !had(&after.violations, v))
                .cloned()
                .collect(),
            regressions,
        }
    }

    fn lines(&self) -> Vec<(&'static str, &Violation)> {
        let mut v: Vec<(&'static str, &Violation)> = Vec::new();
        v.extend(self.regressions.iter().map(|x| ("regression", x)));
        v.extend(self.persisting.iter().map(|x| ("persisting", x)));
        v.extend(self.fixed.iter().map(|x| ("fixed", x)));
        v
    }

    fn text(&self) -> String {
        let mut o = format!(
            "  policy {}: {} regression(s), {} persisting, {} fixed\n",
            self.file,
            self.regressions.len(),
            self.persisting.len(),
            self.fixed.len()
        );
        for (t, v) in self.lines() {
            let _ = writeln!(o, "    {t:<11} {}: {}", v.rule, v.message);
        }
        o.push('\n');
        o
    }

    fn markdown(&self) -> String {
        let mut o = format!(
            "## Policy `{}`\n\n{} regression(s), {} persisting, {} fixed.\n\n",
            md(&self.file),
            self.regressions.len(),
            self.persisting.len(),
            self.fixed.len()
        );
        for (t, v) in self.lines() {
            let _ = writeln!(o, "- {t}: `{}` {}", v.rule, md(&v.message));
        }
        o
    }
}

fn attribute<'a>(
    session: &'a crate::pipeline::Session,
    sbom: &'a crate::model::Sbom,
) -> Vec<crate::attribution::Attribution<'a>> {
    super::print_read_warnings(sbom);
    let (a, warnings) = session.attribute(sbom);
    for w in &warnings {
        eprintln!(
            "sbomrisk: warning: {}: {}",
            super::terminal_safe(&sbom.document.path),
            super::terminal_safe(w)
        );
    }
    a
}

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}

/// SBOM text in the terminal summary, through [`super::terminal_safe`]: no control character
/// (a line break in a name cannot forge a line) or bidirectional control.
struct T<'a>(&'a str);

impl std::fmt::Display for T<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&super::terminal_safe(self.0))
    }
}

/// The terminal summary.
pub fn render_text(d: &Diff) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} -> {}\n  sbomrisk {}, data {}, profile {} ({}), buyer {}, as of {}\n",
        T(&d.old.file),
        T(&d.new.file),
        d.tool.version,
        d.data_version,
        d.profile.name,
        d.profile.digest,
        T(&d.buyer),
        d.as_of
    );
    let _ = writeln!(
        o,
        "  rating: {} -> {}   components: {} -> {}",
        d.rating.before.to_uppercase(),
        d.rating.after.to_uppercase(),
        d.old.components,
        d.new.components
    );
    for (k, s) in &d.scores {
        let _ = writeln!(
            o,
            "  {k:<24}{:>6.1} -> {:>6.1}  ({:+.1})",
            s.before, s.after, s.delta
        );
    }
    let _ = writeln!(
        o,
        "\n  components: {} added, {} removed, {} changed",
        d.added.len(),
        d.removed.len(),
        d.changed.len()
    );
    for e in d.added.iter().take(20) {
        let _ = writeln!(
            o,
            "    + {} {} ({}, {})",
            T(&e.name),
            T(opt(&e.version)),
            T(opt(&e.vendor)),
            T(opt(&e.country))
        );
    }
    for e in d.removed.iter().take(20) {
        let _ = writeln!(
            o,
            "    - {} {} ({}, {})",
            T(&e.name),
            T(opt(&e.version)),
            T(opt(&e.vendor)),
            T(opt(&e.country))
        );
    }
    for c in d.changed.iter().take(20) {
        let mut parts = Vec::new();
        for (what, ch) in [
            ("version", &c.version),
            ("vendor", &c.vendor),
            ("country", &c.country),
        ] {
            if let Some(ch) = ch {
                parts.push(format!(
                    "{what} {} -> {}",
                    T(opt(&ch.before)),
                    T(opt(&ch.after))
                ));
            }
        }
        let _ = writeln!(o, "    ~ {}: {}", T(&c.name), parts.join(", "));
    }
    let more = d.added.len().saturating_sub(20)
        + d.removed.len().saturating_sub(20)
        + d.changed.len().saturating_sub(20);
    if more > 0 {
        let _ = writeln!(o, "    ... {more} more (--format json lists all)");
    }
    for (what, gl) in [("vendors", &d.vendors), ("countries", &d.countries)] {
        if !gl.gained.is_empty() || !gl.lost.is_empty() {
            let _ = writeln!(
                o,
                "\n  {what}: gained [{}], lost [{}]",
                T(&gl.gained.join(", ")),
                T(&gl.lost.join(", "))
            );
        }
    }
    let _ = writeln!(
        o,
        "\n  findings: {} new, {} resolved, {} changed severity",
        d.findings_new.len(),
        d.findings_resolved.len(),
        d.findings_changed.len()
    );
    for f in &d.findings_new {
        let _ = writeln!(
            o,
            "    new      [{}] {}: {}",
            f.severity.to_uppercase(),
            T(&f.id),
            T(&f.title)
        );
    }
    for f in &d.findings_resolved {
        let _ = writeln!(
            o,
            "    resolved [{}] {}: {}",
            f.severity.to_uppercase(),
            T(&f.id),
            T(&f.title)
        );
    }
    for f in &d.findings_changed {
        let _ = writeln!(
            o,
            "    changed  [{} -> {}] {}: {}",
            f.severity_before.as_deref().unwrap_or("?").to_uppercase(),
            f.severity.to_uppercase(),
            T(&f.id),
            T(&f.title)
        );
    }
    o.push('\n');
    o
}

use crate::report::markdown::escape as md;

/// The diff as Markdown (release notes, tickets).
pub fn render_markdown(d: &Diff) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# Supply-risk diff: {} → {}\n\nsbomrisk {}, data {}, profile {} (`{}`), buyer **{}**, as of {}.\n",
        md(&d.old.file),
        md(&d.new.file),
        d.tool.version,
        d.data_version,
        md(&d.profile.name),
        d.profile.digest,
        d.buyer,
        d.as_of
    );
    let _ = writeln!(
        o,
        "Rating: **{}** → **{}**; components: {} → {}.\n\n| score | before | after | delta |\n|---|---:|---:|---:|",
        d.rating.before, d.rating.after, d.old.components, d.new.components
    );
    for (k, s) in &d.scores {
        let _ = writeln!(
            o,
            "| {k} | {:.1} | {:.1} | {:+.1} |",
            s.before, s.after, s.delta
        );
    }
    let _ = writeln!(
        o,
        "\n## Components\n\n{} added, {} removed, {} changed.\n\n| change | component | version | vendor | country |\n|---|---|---|---|---|",
        d.added.len(),
        d.removed.len(),
        d.changed.len()
    );
    for (sign, list) in [("added", &d.added), ("removed", &d.removed)] {
        for e in list {
            let _ = writeln!(
                o,
                "| {sign} | {} | {} | {} | {} |",
                md(&e.name),
                md(opt(&e.version)),
                md(opt(&e.vendor)),
                opt(&e.country)
            );
        }
    }
    for c in &d.changed {
        let cell = |ch: &Option<crate::score::diff::Change<Option<String>>>| match ch {
            Some(ch) => format!("{} → {}", md(opt(&ch.before)), md(opt(&ch.after))),
            None => String::new(),
        };
        let _ = writeln!(
            o,
            "| changed | {} | {} | {} | {} |",
            md(&c.name),
            cell(&c.version),
            cell(&c.vendor),
            cell(&c.country)
        );
    }
    let _ = writeln!(o, "\n## Findings\n");
    for (what, list) in [
        ("New", &d.findings_new),
        ("Resolved", &d.findings_resolved),
        ("Severity changed", &d.findings_changed),
    ] {
        let _ = writeln!(o, "**{what}** ({}):\n", list.len());
        for f in list {
            let _ = writeln!(o, "- `{}` {}: {}", f.id, f.severity, md(&f.title));
        }
        o.push('\n');
    }
    o
}
