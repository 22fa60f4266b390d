//! `cargo xtask truth-sample` and `cargo xtask truth-eval`: the real-corpus truth set of
//! attribution (shared/TRUTH.md).
//!
//! `truth-sample` draws components at random from the corpus (never `invalid/`; with
//! `--real-only`, only real tool output: files named `wild-`, `lab-`, `guac-`, `plugfest-`,
//! `hypbld-`, and the FreeRTOS and Zephyr documents; a component found in both is always taken
//! from real tool output, never from a specification's example), stratified by ecosystem (purl
//! type, or `cpe-only`, `firmware-device-os`, `no-purl`), deduplicated by purl without version
//! (else by name and first CPE), with a fixed seed. It writes a TSV whose label columns are
//! empty: the labeller fills them before the tool's answer is looked at. The tool's answer is
//! never in that file.
//!
//! `truth-eval` reads a labelled TSV, finds each component again in its corpus file by its
//! reference, attributes it offline in its own document (so every field of the SBOM counts as
//! it does for a user), and prints precision (right among answered) and coverage (right
//! among all) per stratum, per winning rule and per confidence bucket: the calibration table.
//! With `--check`, it fails when the bars of the attribution issue are missed.

use crate::flags::Flags;
use crate::project_root;
use anyhow::{bail, Context};
use sbomrisk::attribution::Attributor;
use sbomrisk::model::{ComponentKind, Role, Sbom};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// File-name prefixes of real tool output (the corpus README).
const REAL_PREFIXES: [&str; 7] = [
    "wild-",
    "lab-",
    "guac-",
    "plugfest-",
    "hypbld-",
    "freertos-",
    "zephyr-",
];

/// The columns of a truth file; the first ten are written by the sampler, the last five by the
/// labeller.
pub const COLUMNS: [&str; 15] = [
    "id",
    "stratum",
    "file",
    "ref",
    "name",
    "version",
    "purl",
    "cpes",
    "declared",
    "urls",
    "label_vendor",
    "label_country",
    "label_basis",
    "source",
    "note",
];

fn corpus_dir(f: &mut Flags) -> anyhow::Result<PathBuf> {
    let dir = f
        .value("corpus")?
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("..").join("shared").join("corpus"));
    Ok(dir.canonicalize().unwrap_or(dir))
}

fn is_real(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    REAL_PREFIXES.iter().any(|pre| file.starts_with(pre))
}

/// The corpus files (all but `invalid/`, or only real tool output), in manifest order.
fn corpus_files(dir: &Path, all: bool) -> anyhow::Result<Vec<String>> {
    let manifest = dir.join("MANIFEST.tsv");
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("reading {}", manifest.display()))?;
    Ok(text
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|p| !p.starts_with("invalid/"))
        .filter(|p| all || is_real(p))
        .map(str::to_string)
        .collect())
}

/// The stratum of a component: its purl type, else `cpe-only`, `firmware-device-os`, `no-purl`.
pub fn stratum(c: &sbomrisk::model::Component) -> String {
    if let Some(ty) = c
        .purl
        .as_deref()
        .and_then(|p| p.strip_prefix("pkg:"))
        .and_then(|p| p.split('/').next())
        .filter(|t| !t.is_empty())
    {
        return ty.to_ascii_lowercase();
    }
    if matches!(
        c.kind,
        ComponentKind::Firmware
            | ComponentKind::Device
            | ComponentKind::DeviceDriver
            | ComponentKind::OperatingSystem
    ) {
        return "firmware-device-os".into();
    }
    if !c.cpes.is_empty() {
        return "cpe-only".into();
    }
    "no-purl".into()
}

/// The dedupe key: the purl without version, qualifiers and subpath; else name and first CPE.
fn dedupe_key(c: &sbomrisk::model::Component) -> String {
    key_of(
        c.purl.as_deref(),
        &c.name,
        c.cpes.first().map(String::as_str),
    )
}

fn key_of(purl: Option<&str>, name: &str, cpe: Option<&str>) -> String {
    if let Some(p) = purl.filter(|p| !p.is_empty()) {
        let p = p.split(['?', '#']).next().unwrap_or(p);
        let p = match p.rfind('@') {
            // An npm scope's '@' follows a '/'; a version's '@' comes after the name.
            Some(i) if i > 0 && !p[..i].ends_with('/') => &p[..i],
            _ => p,
        };
        return p.to_ascii_lowercase();
    }
    format!("{}|{}", name.to_ascii_lowercase(), cpe.unwrap_or(""))
}

/// The dedupe keys of the rows of earlier truth files (`--exclude`), so a fresh sample never
/// repeats a component already labelled.
fn excluded_keys(paths: &[String]) -> anyhow::Result<std::collections::HashSet<String>> {
    let mut keys = std::collections::HashSet::new();
    for p in paths {
        let text = std::fs::read_to_string(p).with_context(|| format!("reading {p}"))?;
        for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 8 {
                continue;
            }
            let cpe = c[7].split(" | ").next().filter(|s| !s.is_empty());
            keys.insert(key_of(Some(c[6]), &cell(c[4]), cpe));
        }
    }
    Ok(keys)
}

/// A cell: tabs and line breaks would break the TSV.
fn cell(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|ch| if ch.is_control() { ' ' } else { ch })
        .collect();
    let s = s.trim();
    if s.chars().count() > 300 {
        let cut: String = s.chars().take(300).collect();
        format!("{cut}…")
    } else {
        s.to_string()
    }
}

fn party_text(field: &str, p: &sbomrisk::model::Party) -> Option<String> {
    let mut t = String::new();
    if let Some(n) = &p.name {
        t.push_str(n);
    }
    if let Some(e) = &p.email {
        let _ = write!(t, " <{e}>");
    }
    if let Some(c) = &p.country {
        let _ = write!(t, " [{c}]");
    }
    (!t.trim().is_empty()).then(|| format!("{field}: {}", t.trim()))
}

/// What the SBOM declares about a component's parties.
fn declared(c: &sbomrisk::model::Component) -> String {
    let mut parts = Vec::new();
    for (field, p) in [
        ("supplier", c.supplier.as_deref()),
        ("manufacturer", c.manufacturer.as_deref()),
        ("originator", c.originator.as_deref()),
        ("publisher", c.publisher.as_deref()),
    ] {
        if let Some(t) = p.and_then(|p| party_text(field, p)) {
            parts.push(t);
        }
    }
    for a in c.authors.iter().take(3) {
        if let Some(t) = party_text("author", a) {
            parts.push(t);
        }
    }
    parts.join(" ; ")
}

struct Candidate {
    file: String,
    row: [String; 10],
}

pub fn run_sample(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let mut f = Flags::new("truth-sample", args);
    let dir = corpus_dir(&mut f)?;
    let seed: u64 = f.parsed("seed", 2026)?;
    let size: usize = f.parsed("size", 440)?;
    let min_per: usize = f.parsed("min-per-stratum", 10)?;
    let out = f.value("out")?;
    let real_only = f.switch("real-only");
    let exclude_files: Vec<String> = f
        .value("exclude")?
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let excluded = excluded_keys(&exclude_files)?;
    f.finish_empty()?;

    // stratum -> dedupe key -> occurrences
    let mut strata: BTreeMap<String, BTreeMap<String, Vec<Candidate>>> = BTreeMap::new();
    for path in corpus_files(&dir, !real_only)? {
        let Ok(sbom) = sbomrisk::ingest::ingest_path(&dir.join(&path)) else {
            continue;
        };
        for (_, c) in sbom.iter() {
            if c.role == Role::Root || c.name.trim().is_empty() {
                continue;
            }
            let s = stratum(c);
            if excluded.contains(&dedupe_key(c)) {
                continue;
            }
            let urls: Vec<&str> = c
                .external_refs
                .iter()
                .map(|r| r.url.as_str())
                .take(3)
                .collect();
            let mut cpes: Vec<&str> = c.cpes.iter().map(String::as_str).collect();
            cpes.truncate(12);
            let row = [
                String::new(),
                s.clone(),
                path.clone(),
                cell(&c.bom_ref),
                cell(&c.name),
                cell(c.version.as_deref().unwrap_or("")),
                cell(c.purl.as_deref().unwrap_or("")),
                cell(&cpes.join(" | ")),
                cell(&declared(c)),
                cell(&urls.join(" | ")),
            ];
            strata
                .entry(s)
                .or_default()
                .entry(dedupe_key(c))
                .or_default()
                .push(Candidate {
                    file: path.clone(),
                    row,
                });
        }
    }

    // Allocation: every stratum gets `min_per` (or all it has), the rest in proportion to the
    // number of distinct components of each stratum.
    let avail: BTreeMap<&str, usize> = strata.iter().map(|(s, m)| (s.as_str(), m.len())).collect();
    let mut alloc: BTreeMap<&str, usize> =
        avail.iter().map(|(s, n)| (*s, min_per.min(*n))).collect();
    let base: usize = alloc.values().sum();
    let total: usize = avail.values().sum();
    let rest = size.saturating_sub(base);
    for (s, n) in &avail {
        let extra = (rest as f64 * *n as f64 / total.max(1) as f64).floor() as usize;
        let a = alloc.entry(s).or_default();
        *a = (*a + extra).min(*n);
    }
    // Whatever rounding left over goes to the largest strata, one each.
    let mut by_size: Vec<(&str, usize)> = avail.iter().map(|(s, n)| (*s, *n)).collect();
    by_size.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut i = 0;
    while alloc.values().sum::<usize>() < size.min(total) {
        let (s, n) = by_size[i % by_size.len()];
        let a = alloc.entry(s).or_default();
        if *a < n {
            *a += 1;
        }
        i += 1;
    }

    let mut rng = crate::gen_sbom::Rng::new(seed, 0x7275_7468);
    let mut rows: Vec<[String; 10]> = Vec::new();
    for (s, keys) in &strata {
        let want = alloc.get(s.as_str()).copied().unwrap_or(0);
        let mut keys: Vec<(&String, &Vec<Candidate>)> = keys.iter().collect();
        // Fisher-Yates on the sorted keys: the draw depends on the seed only.
        for j in (1..keys.len()).rev() {
            keys.swap(j, rng.below(j + 1));
        }
        for (_, occ) in keys.into_iter().take(want) {
            // Prefer an occurrence in real tool output over a specification's example.
            let real: Vec<&Candidate> = occ.iter().filter(|c| is_real(&c.file)).collect();
            let c = if real.is_empty() {
                &occ[rng.below(occ.len())]
            } else {
                real[rng.below(real.len())]
            };
            rows.push(c.row.clone());
        }
    }
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# drawn by `cargo xtask truth-sample --seed {seed} --size {size} --min-per-stratum {min_per}`"
    );
    let _ = writeln!(
        text,
        "# label columns (label_vendor .. note) are filled by hand, before the tool's answer is read (shared/TRUTH.md)"
    );
    text.push_str(&COLUMNS.join("\t"));
    text.push('\n');
    for (n, mut r) in rows.into_iter().enumerate() {
        r[0] = format!("T{:04}", n + 1);
        text.push_str(&r.join("\t"));
        text.push_str("\t\t\t\t\t\n");
    }
    match out {
        Some(p) => {
            if Path::new(&p).exists() {
                bail!("{p} exists: refusing to overwrite a truth file (labels would be lost)");
            }
            std::fs::write(&p, &text).with_context(|| format!("writing {p}"))?;
            eprintln!("truth-sample: {} rows to {p}", text.lines().count() - 3);
        }
        None => print!("{text}"),
    }
    eprintln!("truth-sample: strata (distinct components -> drawn):");
    for (s, n) in &avail {
        eprintln!("  {s:<20} {n:>6} -> {}", alloc.get(s).copied().unwrap_or(0));
    }
    Ok(ExitCode::SUCCESS)
}

/// One labelled row.
struct Labelled {
    id: String,
    stratum: String,
    file: String,
    bom_ref: String,
    name: String,
    vendor: String,
    /// `Some(None)`: labelled "no country"; `None`: not labelled (skipped).
    country: Option<Option<String>>,
}

fn read_labelled(path: &Path) -> anyhow::Result<Vec<Labelled>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    let mut header: Option<Vec<String>> = None;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let Some(h) = &header else {
            header = Some(cells.iter().map(|s| s.to_string()).collect());
            continue;
        };
        let col = |name: &str| -> &str {
            h.iter()
                .position(|c| c == name)
                .and_then(|k| cells.get(k))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let country = match col("label_country") {
            // Empty, or '?' (the labeller could not find out): not counted.
            "" | "?" => None,
            "-" | "none" | "NONE" => Some(None),
            cc if cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_uppercase()) => {
                Some(Some(cc.to_string()))
            }
            other => bail!(
                "{}:{}: label_country '{other}' is not an ISO code, 'none' or empty",
                path.display(),
                i + 1
            ),
        };
        if country.is_some() && col("source").is_empty() {
            bail!("{}:{}: a label needs a source", path.display(), i + 1);
        }
        out.push(Labelled {
            id: col("id").to_string(),
            stratum: col("stratum").to_string(),
            file: col("file").to_string(),
            bom_ref: col("ref").to_string(),
            name: col("name").to_string(),
            vendor: col("label_vendor").to_string(),
            country,
        });
    }
    Ok(out)
}

/// Counts for one line of a table.
#[derive(Default, Clone, Copy)]
struct Tally {
    rows: usize,
    /// A country was given.
    answered: usize,
    /// The country given equals the label.
    right: usize,
    /// A country was given and the label is another one, or "none".
    wrong: usize,
    /// Right overall: the right country, or no country where the label says none.
    correct: usize,
}

impl Tally {
    fn add(&mut self, answered: bool, right: bool, wrong: bool, correct: bool) {
        self.rows += 1;
        self.answered += usize::from(answered);
        self.right += usize::from(right);
        self.wrong += usize::from(wrong);
        self.correct += usize::from(correct);
    }
    fn pct(n: usize, d: usize) -> String {
        if d == 0 {
            "-".into()
        } else {
            format!("{:.1}%", 100.0 * n as f64 / d as f64)
        }
    }
    fn line(&self, name: &str) -> String {
        format!(
            "{name:<34} {:>5} {:>8} {:>6} {:>6} {:>9} {:>9} {:>9}",
            self.rows,
            self.answered,
            self.right,
            self.wrong,
            Tally::pct(self.right, self.answered),
            Tally::pct(self.wrong, self.answered),
            Tally::pct(self.correct, self.rows),
        )
    }
}

const HEAD: &str = "rows answered  right  wrong precision  wrong/ans   correct";

pub fn run_eval(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let mut f = Flags::new("truth-eval", args);
    let dir = corpus_dir(&mut f)?;
    let check = f.switch("check");
    let verbose = f.switch("verbose");
    let max_wrong: f64 = f.parsed("max-wrong", 0.01)?;
    let min_correct: f64 = f.parsed("min-correct", 0.88)?;
    let files = f.finish()?;
    let files: Vec<PathBuf> = if files.is_empty() {
        vec![project_root().join("tests").join("truth-corpus.tsv")]
    } else {
        files.into_iter().map(PathBuf::from).collect()
    };
    let reg = sbomrisk::data::Registry::embedded().context("loading the embedded data")?;
    let at = Attributor::new(&reg);

    let mut rows = Vec::new();
    for p in &files {
        rows.extend(read_labelled(p)?);
    }
    let mut sboms: HashMap<String, Option<Sbom>> = HashMap::new();
    for r in &rows {
        sboms
            .entry(r.file.clone())
            .or_insert_with(|| sbomrisk::ingest::ingest_path(&dir.join(&r.file)).ok());
    }
    // Each document is attributed once, as a user's run would: the attribution of a component
    // may read the rest of its document.
    let answers: HashMap<&str, (&Sbom, Vec<sbomrisk::attribution::Attribution<'_>>)> = sboms
        .iter()
        .filter_map(|(f, s)| s.as_ref().map(|s| (f.as_str(), (s, at.attribute(s)))))
        .collect();
    let mut by_stratum: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_rule: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_bucket: BTreeMap<String, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    let mut vendor_named = (0usize, 0usize);
    let mut missing = 0;
    let mut unlabelled = 0;
    let mut disagreements = Vec::new();
    for r in &rows {
        let Some(label) = &r.country else {
            unlabelled += 1;
            continue;
        };
        let Some((sbom, attributions)) = answers.get(r.file.as_str()) else {
            missing += 1;
            continue;
        };
        let Some((id, _)) = sbom
            .iter()
            .find(|(_, c)| cell(&c.bom_ref) == r.bom_ref && cell(&c.name) == r.name)
        else {
            missing += 1;
            continue;
        };
        let Some(a) = attributions.get(id.index()) else {
            missing += 1;
            continue;
        };
        let got = a.country;
        let answered = got.is_some();
        let right = answered && got == label.as_deref();
        let wrong = answered && !right;
        let correct = got == label.as_deref();
        let winner = a.winner();
        let rule = winner.map(|e| e.rule).unwrap_or("(none)").to_string();
        let bucket = match a.confidence {
            c if c >= 0.9 => "[0.90, 1.00]",
            c if c >= 0.8 => "[0.80, 0.90)",
            c if c >= 0.7 => "[0.70, 0.80)",
            c if c >= 0.6 => "[0.60, 0.70)",
            c if c >= 0.5 => "[0.50, 0.60)",
            c if c > 0.0 => "(0.00, 0.50)",
            _ => "0 (no answer)",
        };
        for t in [
            by_stratum.entry(r.stratum.clone()).or_default(),
            by_rule.entry(rule.clone()).or_default(),
            by_bucket.entry(bucket.to_string()).or_default(),
            &mut all,
        ] {
            t.add(answered, right, wrong, correct);
        }
        if !r.vendor.is_empty() && r.vendor != "-" {
            vendor_named.0 += 1;
            vendor_named.1 += usize::from(a.vendor.is_some());
        }
        if !correct || verbose {
            disagreements.push(format!(
                "{} {:<14} {:<40} label={:<4} got={:<4} vendor={} rule={} conf={:.2}",
                r.id,
                r.stratum,
                r.name.chars().take(40).collect::<String>(),
                label.as_deref().unwrap_or("none"),
                got.unwrap_or("-"),
                a.vendor
                    .as_ref()
                    .map(|v| v
                        .id
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("'{}'", v.name)))
                    .unwrap_or_else(|| "-".into()),
                rule,
                a.confidence
            ));
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "truth-eval: {} labelled rows ({} unlabelled skipped, {} not found in the corpus)",
        all.rows, unlabelled, missing
    );
    for (title, table) in [
        ("stratum", &by_stratum),
        ("winning rule", &by_rule),
        ("confidence", &by_bucket),
    ] {
        let _ = writeln!(out, "\n{title:<34} {HEAD}");
        for (k, t) in table {
            let _ = writeln!(out, "{}", t.line(k));
        }
    }
    let _ = writeln!(out, "\n{}", all.line("all"));
    let _ = writeln!(
        out,
        "vendor named where the label names one: {}/{}",
        vendor_named.1, vendor_named.0
    );
    print!("{out}");
    if !disagreements.is_empty() {
        println!("\nrows where the country differs from the label:");
        for d in &disagreements {
            println!("  {d}");
        }
    }
    if check {
        let wrong_rate = all.wrong as f64 / all.answered.max(1) as f64;
        let correct_rate = all.correct as f64 / all.rows.max(1) as f64;
        let mut failed = Vec::new();
        if wrong_rate > max_wrong {
            failed.push(format!(
                "{:.1}% of the countries given are wrong (bar: {:.1}%)",
                100.0 * wrong_rate,
                100.0 * max_wrong
            ));
        }
        if correct_rate < min_correct {
            failed.push(format!(
                "{:.1}% of components get the right country (bar: {:.1}%)",
                100.0 * correct_rate,
                100.0 * min_correct
            ));
        }
        if !failed.is_empty() {
            eprintln!("truth-eval: {}", failed.join("; "));
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}
