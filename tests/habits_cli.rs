//! What sbomrisk used to accept without a word, and the habits users bring (a configuration
//! file, shell integration). Each test here failed on the release before them.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, offline, with a scratch cache, no configuration file and no SBOMRISK_* variable.
fn cmd(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("sbomrisk").expect("binary built");
    c.current_dir(dir).env("XDG_CACHE_HOME", dir.join(".cache"));
    for (k, _) in std::env::vars() {
        if k.starts_with("SBOMRISK_") {
            c.env_remove(k);
        }
    }
    c
}

fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const ROUTER: &str = "tests/fixtures/router-mini.cdx.json";

fn analyze(extra: &[&str]) -> (i32, String, String) {
    let r = root();
    let mut c = cmd(&r);
    c.args([
        "--no-config",
        "analyze",
        "--offline",
        "--as-of",
        "2026-11-25",
    ])
    .args(extra);
    run(&mut c)
}

#[test]
fn a_missing_shard_fails_the_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let mut parts = Vec::new();
    for k in 1..=2 {
        let part = tmp.path().join(format!("part-{k}.json"));
        let mut c = cmd(&root());
        c.args([
            "--no-config",
            "portfolio",
            "--offline",
            "--as-of",
            "2026-11-25",
        ])
        .args(["--format", "json", "--shard", &format!("{k}/2"), "-o"])
        .arg(&part)
        .arg("sboms");
        let (code, _, err) = run(&mut c);
        assert_eq!(code, 0, "{err}");
        parts.push(part);
    }
    let mut c = cmd(&root());
    c.args(["portfolio", "merge"]).arg(&parts[0]);
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("shard(s) 2/2 of 2 missing"), "{err}");
    assert!(out.is_empty());
    // Asked for, the incomplete merge is written, and says it is partial.
    let mut c = cmd(&root());
    c.args(["portfolio", "merge", "--allow-missing"])
        .arg(&parts[0]);
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["partial"]["shard"], 0);
    // Both shards merge; a whole run is not a partial.
    let mut c = cmd(&root());
    c.args(["portfolio", "merge"]).args(&parts);
    assert_eq!(run(&mut c).0, 0);
}

#[test]
fn the_readme_policy_works_as_printed() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let block = readme
        .split("```toml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.starts_with("[policy]"))
        .expect("a [policy] block in the README");
    let tmp = tempfile::tempdir().unwrap();
    let policy = tmp.path().join("policy.toml");
    std::fs::write(&policy, block).unwrap();
    let (code, _, err) = analyze(&["--policy", policy.to_str().unwrap(), ROUTER]);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
}

#[test]
fn scenarios_and_dates_are_checked() {
    let (code, _, err) = analyze(&["--scenario", "vendor:brodcom", ROUTER]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean vendor:broadcom"), "{err}");
    let (code, _, err) = analyze(&["--scenario", "vendor:nosuch", ROUTER]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("scenario vendor:nosuch matches no component of this product"),
        "{err}"
    );
    let mut c = cmd(&root());
    c.args([
        "--no-config",
        "analyze",
        "--offline",
        "--as-of",
        "2026-13-01",
        ROUTER,
    ]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2);
    assert!(err.contains("--as-of '2026-13-01'"), "{err}");
}

#[test]
fn a_denied_vendor_that_matches_nothing_is_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let policy = tmp.path().join("policy.toml");
    std::fs::write(&policy, "[policy]\ndeny_vendors = [\"huawey\"]\n").unwrap();
    let (code, _, err) = analyze(&["--policy", policy.to_str().unwrap(), ROUTER]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("'huawey' matches no vendor of the data; did you mean 'huawei'?"),
        "{err}"
    );
}

#[test]
fn the_documented_overrides_file_is_accepted() {
    let r = root();
    let mut c = cmd(&r);
    c.args(["--no-config", "attribute", "--offline", "--overrides"])
        .arg("docs/overrides.example.toml")
        .arg(ROUTER);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn analyze_says_what_reading_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("trailing.cdx.json");
    let mut text = std::fs::read_to_string(root().join(ROUTER)).unwrap();
    text.push_str("\n{\"not\": \"part of it\"}\n");
    std::fs::write(&f, text).unwrap();
    let (code, _, err) = analyze(&[f.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("I010"), "{err}");
    assert!(err.contains("`sbomrisk inspect` lists them"), "{err}");
}

#[test]
fn the_portfolio_walk_takes_utf16_sboms_and_counts_what_it_skips() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(ROUTER)).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(tmp.path().join("router-utf16.cdx.json"), utf16).unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "not an SBOM").unwrap();
    let mut c = cmd(tmp.path());
    c.args([
        "--no-config",
        "portfolio",
        "--offline",
        "--as-of",
        "2026-11-25",
    ])
    .args(["--format", "json", "--verbose", "."]);
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["products"].as_array().unwrap().len(), 1, "{err}");
    assert!(
        err.contains("1 file(s) under the directories skipped"),
        "{err}"
    );
    assert!(err.contains("notes.txt"), "{err}");
}

#[test]
fn vendors_show_lists_the_measures_naming_the_vendor() {
    let mut c = cmd(&root());
    c.args(["--no-config", "vendors", "show", "micron"]);
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 0);
    assert!(out.contains("measure:     cn-cac-micron-2023"), "{out}");
    assert!(!out.contains("DATA.md"), "{out}");
}

#[test]
fn init_then_analyze_reads_the_configuration() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = cmd(tmp.path());
    c.arg("init");
    assert_eq!(run(&mut c).0, 0);
    let cfg = tmp.path().join("sbomrisk.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    // init never replaces a file.
    let mut c = cmd(tmp.path());
    c.arg("init");
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    // The file's settings are read with no flag; a subdirectory finds it.
    std::fs::write(
        &cfg,
        text.replace("# buyer = \"CN\"", "buyer = \"DE\"")
            .replace("# offline = false", "offline = true"),
    )
    .unwrap();
    let sub = tmp.path().join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    let mut c = cmd(&sub);
    c.args(["analyze", "--as-of", "2026-11-25", "--format", "json"])
        .arg(root().join(ROUTER));
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["buyer"], "DE");
    assert_eq!(v["document"]["format"], "CycloneDX");
    // The environment beats the file, and a flag beats both.
    let mut c = cmd(&sub);
    c.env("SBOMRISK_BUYER", "FR")
        .args(["analyze", "--as-of", "2026-11-25", "--format", "json"])
        .arg(root().join(ROUTER));
    let v: Value = serde_json::from_str(&run(&mut c).1).unwrap();
    assert_eq!(v["buyer"], "FR");
    let mut c = cmd(&sub);
    c.env("SBOMRISK_BUYER", "FR")
        .args([
            "analyze",
            "--buyer",
            "JP",
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
        ])
        .arg(root().join(ROUTER));
    let v: Value = serde_json::from_str(&run(&mut c).1).unwrap();
    assert_eq!(v["buyer"], "JP");
    // An unknown key is refused, naming the file and the key.
    std::fs::write(&cfg, "buyr = \"DE\"\n").unwrap();
    let mut c = cmd(&sub);
    c.args(["analyze"]).arg(root().join(ROUTER));
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2);
    assert!(
        err.contains("sbomrisk.toml") && err.contains("buyr"),
        "{err}"
    );
}

#[test]
fn completions_and_man_page_come_from_the_parser() {
    let mut c = cmd(&root());
    c.args(["completions", "bash"]);
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 0);
    assert!(
        out.contains("sbomrisk") && out.contains("--buyer-class"),
        "{out}"
    );
    let mut c = cmd(&root());
    c.arg("man");
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(".ie") || out.contains(".TH sbomrisk"),
        "{out}"
    );
}

#[test]
fn enrich_refuses_what_it_cannot_write_back() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, tail) in [
        ("t.cdx.json", "\n{\"more\": 1}\n"),
        ("t.cdx.xml", "\n<bom/>\n"),
    ] {
        let src = if name.ends_with("xml") {
            "sboms/enterprise-switch-sonic.cdx.xml"
        } else {
            ROUTER
        };
        let mut text = std::fs::read_to_string(root().join(src)).unwrap();
        text.push_str(tail);
        let f = tmp.path().join(name);
        std::fs::write(&f, text).unwrap();
        let out = tmp.path().join(format!("out-{name}"));
        let mut c = cmd(tmp.path());
        c.args(["--no-config", "enrich", "--offline"])
            .arg(&f)
            .arg("-o")
            .arg(&out);
        let (code, _, err) = run(&mut c);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(err.contains("I010"), "{err}");
        assert!(!out.exists());
    }
}

#[test]
fn too_many_components_is_a_clear_error() {
    let (code, _, err) = analyze(&["--max-components", "2", ROUTER]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("more than the limit of 2 (--max-components)"),
        "{err}"
    );
    let (code, _, err) = analyze(&["--max-components", "100000", ROUTER]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn no_output_replaces_an_input() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.cdx.json");
    std::fs::copy(root().join(ROUTER), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    for args in [
        vec!["analyze", "--offline", "-o", "in.cdx.json", "in.cdx.json"],
        vec![
            "diff",
            "--offline",
            "-o",
            "in.cdx.json",
            "in.cdx.json",
            "in.cdx.json",
        ],
        vec!["portfolio", "--offline", "-o", "in.cdx.json", "."],
    ] {
        let mut c = cmd(tmp.path());
        c.arg("--no-config").args(&args);
        let (code, _, err) = run(&mut c);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("would overwrite"), "{args:?}: {err}");
        assert_eq!(std::fs::read(&input).unwrap(), before, "{args:?}");
    }
}

#[test]
fn the_portfolio_page_links_each_product_to_its_report() {
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("portfolio.html");
    let reports = tmp.path().join("reports");
    let mut c = cmd(&root());
    c.args([
        "--no-config",
        "portfolio",
        "--offline",
        "--as-of",
        "2026-11-25",
    ])
    .args(["--format", "html", "-o"])
    .arg(&page)
    .arg("--report-dir")
    .arg(&reports)
    .arg("sboms");
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&page).unwrap();
    let written: Vec<_> = std::fs::read_dir(&reports).unwrap().flatten().collect();
    assert_eq!(written.len(), 5, "one report per example SBOM");
    for e in written {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(html.contains(&name), "the page links {name}");
        assert!(std::fs::read_to_string(e.path()).unwrap().contains("<html"));
    }
}
