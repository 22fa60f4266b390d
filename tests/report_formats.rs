//! `analyze --format text|json|markdown|html|sarif|csv [-o PATH] [--policy FILE]` on the
//! examples: exit codes 0/1/2, files written, the policy verdict in every format, hostile SBOM
//! strings escaped.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const ROUTER: &str = "sboms/home-router-openwrt.cdx.json";
const HOSTILE: &str = "tests/fixtures/hostile-names.cdx.json";
const FORMATS: [&str; 6] = ["text", "json", "markdown", "html", "sarif", "csv"];

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Out {
    let cache = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("sbomrisk")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CACHE_HOME", cache.path())
        .env_remove("NO_COLOR")
        .arg("analyze")
        .args(["--offline", "--as-of", "2026-11-25"])
        .args(args)
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn policy_file(dir: &Path, text: &str) -> String {
    let p = dir.join("policy.toml");
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn every_format_on_an_example() {
    for f in FORMATS {
        let o = run(&["--format", f, ROUTER]);
        assert_eq!(o.code, 0, "{f}: {}", o.stderr);
        let s = &o.stdout;
        match f {
            "text" => {
                assert!(s.contains("rating: MEDIUM"));
                // Not a terminal: no colour.
                assert!(!s.contains('\x1b'));
            }
            "json" => {
                let v: Value = serde_json::from_str(s).unwrap();
                assert_eq!(v["schema"], "sbomrisk/report/v2");
            }
            "markdown" => {
                assert!(s.starts_with("# Supply-disruption risk dossier: OpenWrt"));
                for h in [
                    "## Rating: MEDIUM",
                    "## Scores",
                    "## Origin countries",
                    "## Vendors",
                    "## Supply-cut scenarios",
                    "## Findings (8)",
                    "## Components (heaviest 50 of 52)",
                    "2 more component(s) not shown",
                ] {
                    assert!(s.contains(h), "markdown lacks {h}");
                }
            }
            "html" => {
                assert!(s.starts_with("<!DOCTYPE html>"));
                assert!(s.trim_end().ends_with("</html>"));
                assert_eq!(s.matches("<svg class=\"chart").count(), 3);
            }
            "sarif" => {
                let v: Value = serde_json::from_str(s).unwrap();
                assert_eq!(v["version"], "2.1.0");
                let results = v["runs"][0]["results"].as_array().unwrap();
                assert_eq!(results.len(), 8);
                assert!(results.iter().all(|r| r["locations"][0]["physicalLocation"]
                    ["artifactLocation"]["uri"]
                    == ROUTER));
            }
            "csv" => {
                let lines: Vec<&str> = s.lines().collect();
                assert_eq!(
                    lines[0],
                    "file,ref,name,version,purl,vendor,country,channel,weight,exposure,contribution"
                );
                assert_eq!(lines.len(), 53);
            }
            _ => unreachable!(),
        }
    }
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    for f in FORMATS {
        let path = dir.path().join(format!("report.{f}"));
        let o = run(&["--format", f, "-o", path.to_str().unwrap(), ROUTER]);
        assert_eq!(o.code, 0, "{f}: {}", o.stderr);
        assert!(o.stdout.is_empty(), "{f}");
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(written.len() > 500, "{f}: {} bytes", written.len());
    }
}

#[test]
fn a_violated_policy_exits_1_and_shows_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let policy = policy_file(
        dir.path(),
        "[policy]\nmax_political_exposure = 40\nmin_origin_diversity = 20\ndeny_countries = [\"TW\"]\n",
    );
    for f in FORMATS {
        let o = run(&["--format", f, "--policy", &policy, ROUTER]);
        assert_eq!(o.code, 1, "{f}: {}", o.stderr);
        // stderr names the product, the rule and the policy file.
        assert!(
            o.stderr.contains(&format!(
                "sbomrisk: policy: {ROUTER}: max_political_exposure ({policy})"
            )),
            "{f}: {}",
            o.stderr
        );
        assert!(o.stderr.contains("deny_countries"), "{}", o.stderr);
        // The passed diversity rule is no violation.
        assert!(!o.stderr.contains("min_origin_diversity"), "{}", o.stderr);
        let s = &o.stdout;
        match f {
            "text" => assert!(s.contains("policy ") && s.contains("FAILED (2 violation(s))")),
            "json" => {
                let v: Value = serde_json::from_str(s).unwrap();
                assert_eq!(v["policy"]["passed"], false);
                assert_eq!(v["policy"]["file"], policy.as_str());
                let rules: Vec<&str> = v["policy"]["violations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["rule"].as_str().unwrap())
                    .collect();
                assert_eq!(rules, ["max_political_exposure", "deny_countries"]);
                let deny = &v["policy"]["violations"][1];
                assert_eq!(deny["components_total"], 5);
                assert_eq!(deny["components"].as_array().unwrap().len(), 5);
            }
            "markdown" => assert!(s.contains("## Policy ") && s.contains(": FAILED")),
            "html" => assert!(s.contains("<span class=\"badge failed\">FAILED</span>")),
            "sarif" => {
                let v: Value = serde_json::from_str(s).unwrap();
                let policy_results: Vec<&Value> = v["runs"][0]["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|r| r["ruleId"].as_str().unwrap().starts_with("policy/"))
                    .collect();
                assert_eq!(policy_results.len(), 2);
                assert!(policy_results.iter().all(|r| r["level"] == "error"));
                assert_eq!(policy_results[1]["ruleId"], "policy/deny_countries");
            }
            // CSV is one table: the verdict is on stderr only.
            "csv" => assert!(!s.contains("policy")),
            _ => unreachable!(),
        }
    }
}

#[test]
fn a_met_policy_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let policy = policy_file(
        dir.path(),
        "[policy]\nmax_political_exposure = 90\ndeny_vendors = [\"huawei\"]\nrequire_supplier = false\n",
    );
    let o = run(&["--policy", &policy, ROUTER]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("PASSED (0 violation(s))"));
    assert!(!o.stderr.contains("policy"));
}

#[test]
fn bad_input_wins_over_a_violated_policy() {
    let dir = tempfile::tempdir().unwrap();
    let policy = policy_file(dir.path(), "[policy]\nmax_political_exposure = 1\n");
    let bad = dir.path().join("bad.cdx.json");
    std::fs::write(&bad, "{\"bomFormat\": \"CycloneDX\", \"components\": [").unwrap();
    let o = run(&["--policy", &policy, ROUTER, bad.to_str().unwrap()]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("max_political_exposure"));
    assert!(o.stderr.contains("bad.cdx.json"));
}

#[test]
fn a_bad_policy_file_exits_2_naming_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let policy = policy_file(
        dir.path(),
        "[policy]\nmax_political_exposure = 40\nmax_vendor = 3\n",
    );
    let o = run(&["--policy", &policy, ROUTER]);
    assert_eq!(o.code, 2);
    assert!(o.stdout.is_empty());
    assert!(
        o.stderr.contains(&policy) && o.stderr.contains("max_vendor"),
        "{}",
        o.stderr
    );
    let policy = policy_file(dir.path(), "[policy]\nmax_political_exposure = 140\n");
    let o = run(&["--policy", &policy, ROUTER]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("140 is not in [0, 100]"), "{}", o.stderr);
    let o = run(&["--policy", "no/such/policy.toml", ROUTER]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no/such/policy.toml: cannot read"));
}

#[test]
fn hostile_names_are_escaped_in_html_and_markdown() {
    let o = run(&["--format", "html", HOSTILE]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stdout.contains("<script"));
    assert!(!o.stdout.contains("<img"));
    assert!(!o.stdout.contains("<b>Pro"));
    assert!(o.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(o
        .stdout
        .contains("Router &lt;b&gt;Pro&lt;/b&gt; | &quot;X&quot;"));
    let o = run(&["--format", "markdown", HOSTILE]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o
        .stdout
        .starts_with("# Supply-disruption risk dossier: Router \\<b\\>Pro\\</b\\> \\| \"X\"\n"));
    assert!(o.stdout.contains("\\<script\\>alert(1)\\</script\\>"));
}

#[test]
fn markdown_dossier() {
    let o = run(&[
        "--format",
        "markdown",
        "tests/fixtures/router-mini.cdx.json",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // Versions and digests change with every data edit; the rest is the snapshot.
    let out: Vec<String> = o
        .stdout
        .lines()
        .map(|l| {
            if l.starts_with("| Tool |")
                || l.starts_with("| Data version |")
                || l.starts_with("| Scoring profile |")
            {
                "| [version] |".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn several_products_make_one_document() {
    const SWITCH: &str = "sboms/enterprise-switch-sonic.cdx.xml";
    let o = run(&["--format", "html", ROUTER, SWITCH]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.matches("<!DOCTYPE html>").count(), 1);
    assert_eq!(o.stdout.matches("<section class=\"product\">").count(), 2);
    assert!(o
        .stdout
        .contains("<title>sbomrisk dossier: 2 products</title>"));
    let o = run(&["--format", "markdown", ROUTER, SWITCH]);
    assert_eq!(
        o.stdout
            .matches("# Supply-disruption risk dossier:")
            .count(),
        2
    );
    let o = run(&["--format", "csv", ROUTER, SWITCH]);
    assert_eq!(o.stdout.matches("file,ref,name").count(), 1);
    assert!(o.stdout.lines().any(|l| l.starts_with(SWITCH)));
    let o = run(&["--format", "sarif", ROUTER, SWITCH]);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["runs"].as_array().unwrap().len(), 1);
    assert_eq!(v["runs"][0]["artifacts"].as_array().unwrap().len(), 2);
}

/// Colour only on a terminal and never with NO_COLOR: run under `script`, which gives the
/// command a pseudo-terminal (skips where util-linux's `script` is missing).
#[test]
fn colour_on_a_terminal_unless_no_color() {
    let Ok(status) = std::process::Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .output()
    else {
        eprintln!("SKIPPED colour_on_a_terminal_unless_no_color: no `script` command");
        return;
    };
    if !status.status.success() {
        eprintln!("SKIPPED colour_on_a_terminal_unless_no_color: `script` does not work here");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("sbomrisk");
    let cache = tempfile::tempdir().unwrap();
    let cmd = format!(
        "{} analyze --offline --as-of 2026-11-25 tests/fixtures/router-mini.cdx.json",
        bin.display()
    );
    let tty = |no_color: Option<&str>| -> String {
        let mut c = std::process::Command::new("script");
        c.args(["-qec", &cmd, "/dev/null"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("XDG_CACHE_HOME", cache.path())
            .env("TERM", "xterm")
            .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
    };
    let coloured = tty(None);
    assert!(coloured.contains("\x1b[1;31mCRITICAL\x1b[0m"), "{coloured}");
    let plain = tty(Some("1"));
    assert!(plain.contains("rating: CRITICAL"), "{plain}");
    assert!(!plain.contains('\x1b'), "{plain}");
}
