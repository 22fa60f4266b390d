//! CLI behaviour of `portfolio` and `portfolio merge`, offline, with a scratch cache and a
//! fixed evaluation date.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn cmd(cache: &Path) -> Command {
    let mut c = Command::cargo_bin("sbomrisk").expect("binary built");
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CACHE_HOME", cache)
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("SLURM_ARRAY_TASK_ID");
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

/// A portfolio directory: the example SBOMs (some twice, under other names), a broken SBOM, a
/// file that is no SBOM, and a nested directory.
fn portfolio() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sboms");
    std::fs::create_dir_all(d.path().join("line-a/2026")).unwrap();
    for (i, e) in std::fs::read_dir(&root).unwrap().flatten().enumerate() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            continue;
        }
        std::fs::copy(e.path(), d.path().join(&name)).unwrap();
        std::fs::copy(e.path(), d.path().join(format!("line-a/2026/v{i}-{name}"))).unwrap();
    }
    std::fs::write(
        d.path().join("line-a/broken.cdx.json"),
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": "x"}"#,
    )
    .unwrap();
    std::fs::write(d.path().join("notes.json"), r#"{"not": "an sbom"}"#).unwrap();
    d
}

const AS_OF: [&str; 4] = ["--offline", "--as-of", "2026-11-25", "--buyer"];

fn portfolio_args(c: &mut Command, dir: &Path, extra: &[&str]) {
    c.arg("portfolio")
        .args(AS_OF)
        .arg("CN")
        .args(extra)
        .arg(dir);
}

#[test]
fn one_bad_sbom_never_stops_the_rest() {
    let cache = tempfile::tempdir().unwrap();
    let dir = portfolio();
    let mut c = cmd(cache.path());
    portfolio_args(&mut c, dir.path(), &["--format", "json"]);
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 2, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["schema"], "sbomrisk/portfolio/v2");
    assert_eq!(r["buyer"], "CN");
    assert_eq!(r["as_of"], "2026-11-25");
    let products = r["products"].as_array().unwrap();
    assert_eq!(products.len(), 10, "5 examples, each twice");
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("broken.cdx.json"));
    assert!(err.contains("broken.cdx.json"), "{err}");
    // Products are in path order, each with the contract fields.
    let paths: Vec<&str> = products
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    for p in products {
        for k in [
            "path",
            "product",
            "scores",
            "rating",
            "risk_index",
            "vendors",
            "countries",
        ] {
            assert!(!p[k].is_null(), "{k} in {p}");
        }
        assert!(p["scores"]["political_exposure"]["value"].is_number());
    }
    // The aggregate: the Linux Foundation is in every router/switch/gateway product, twice.
    let agg = &r["portfolio"];
    assert_eq!(agg["products"], 10);
    assert_eq!(agg["errors"], 1);
    let lf = agg["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["key"] == "linux-foundation")
        .expect("linux-foundation in the aggregate");
    assert_eq!(lf["products"], 8);
    let risk: Vec<f64> = agg["riskiest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["risk_index"].as_f64().unwrap())
        .collect();
    assert!(risk.windows(2).all(|w| w[0] >= w[1]), "{risk:?}");
}

#[test]
fn shards_merge_into_exactly_the_report_of_one_run() {
    let cache = tempfile::tempdir().unwrap();
    let dir = portfolio();
    let out = tempfile::tempdir().unwrap();
    let whole = out.path().join("whole.json");
    let mut c = cmd(cache.path());
    portfolio_args(
        &mut c,
        dir.path(),
        &["--format", "json", "-o", whole.to_str().unwrap()],
    );
    assert_eq!(run(&mut c).0, 2);
    let mut parts: Vec<PathBuf> = Vec::new();
    for k in 1..=3 {
        let part = out.path().join(format!("part-{k}.json"));
        let mut c = cmd(cache.path());
        let shard = format!("{k}/3");
        portfolio_args(
            &mut c,
            dir.path(),
            &[
                "--format",
                "json",
                "--shard",
                &shard,
                "-o",
                part.to_str().unwrap(),
            ],
        );
        let (code, _, err) = run(&mut c);
        assert!(code == 0 || code == 2, "{err}");
        let v: Value = serde_json::from_slice(&std::fs::read(&part).unwrap()).unwrap();
        assert_eq!(v["partial"]["shard"], k);
        parts.push(part);
    }
    // Every shard holds a part; together they hold every product once.
    let merged = out.path().join("merged.json");
    let mut c = cmd(cache.path());
    c.args(["portfolio", "merge", "-o", merged.to_str().unwrap()])
        .args(parts.iter().rev());
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2, "the broken SBOM is still an error: {err}");
    assert_eq!(
        String::from_utf8(std::fs::read(&merged).unwrap()).unwrap(),
        String::from_utf8(std::fs::read(&whole).unwrap()).unwrap()
    );
    // A shard given twice is refused.
    let mut c = cmd(cache.path());
    c.args(["portfolio", "merge"]).arg(&parts[0]).arg(&parts[0]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2);
    assert!(err.contains("given twice"), "{err}");
}

#[test]
fn shard_index_comes_from_the_scheduler_when_asked() {
    let cache = tempfile::tempdir().unwrap();
    let dir = portfolio();
    let count = |env: (&str, &str)| -> usize {
        let mut c = cmd(cache.path());
        c.env(env.0, env.1);
        portfolio_args(
            &mut c,
            dir.path(),
            &["--format", "json", "--shard", "auto/2"],
        );
        let (_, out, err) = run(&mut c);
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
        v["products"].as_array().unwrap().len() + v["errors"].as_array().unwrap().len()
    };
    let a = count(("JOB_COMPLETION_INDEX", "0"));
    let b = count(("JOB_COMPLETION_INDEX", "1"));
    assert_eq!(a + b, 11);
    assert_eq!(
        count(("SLURM_ARRAY_TASK_ID", "1")),
        b,
        "Slurm ids from 0: id 1 is shard 2"
    );
    let mut c = cmd(cache.path());
    portfolio_args(&mut c, dir.path(), &["--shard", "auto/2"]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2);
    assert!(err.contains("JOB_COMPLETION_INDEX"), "{err}");
}

#[test]
fn jsonl_and_csv_stream_one_line_per_product() {
    let cache = tempfile::tempdir().unwrap();
    let dir = portfolio();
    let mut c = cmd(cache.path());
    portfolio_args(&mut c, dir.path(), &["--format", "jsonl"]);
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 2);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 11);
    assert_eq!(lines.iter().filter(|l| l.get("error").is_some()).count(), 1);
    let mut c = cmd(cache.path());
    portfolio_args(&mut c, dir.path(), &["--format", "csv"]);
    let (_, out, _) = run(&mut c);
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let header = rows.headers().unwrap().clone();
    assert_eq!(&header[0], "seq");
    assert!(header.iter().any(|h| h == "political_exposure"));
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 11);
    let err_col = header.len() - 1;
    assert_eq!(rows.iter().filter(|r| !r[err_col].is_empty()).count(), 1);
}

#[test]
fn a_manifest_names_products_and_tags() {
    let cache = tempfile::tempdir().unwrap();
    let dir = portfolio();
    let manifest = dir.path().join("products.tsv");
    std::fs::write(
        &manifest,
        "# path\tproduct\ttags\nhome-router-openwrt.cdx.json\tRouter X1\tedge,wifi\niot-gateway.cdx.json\n",
    )
    .unwrap();
    let mut c = cmd(cache.path());
    c.arg("portfolio")
        .args(AS_OF)
        .arg("US")
        .args(["--format", "json"])
        .arg(&manifest);
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 0, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    let p = &r["products"][0];
    assert_eq!(p["product"], "Router X1");
    assert_eq!(p["tags"], serde_json::json!(["edge", "wifi"]));
    assert_eq!(r["products"].as_array().unwrap().len(), 2);
    assert_eq!(r["buyer"], "US");
}

#[test]
fn merge_refuses_partials_of_different_runs() {
    let cache = tempfile::tempdir().unwrap();
    let dir = portfolio();
    let out = tempfile::tempdir().unwrap();
    let mut parts = Vec::new();
    for (k, date) in [(1, "2026-11-24"), (2, "2026-11-25")] {
        let part = out.path().join(format!("p{k}.json"));
        let mut c = cmd(cache.path());
        c.args([
            "portfolio",
            "--offline",
            "--as-of",
            date,
            "--format",
            "json",
            "--shard",
        ])
        .arg(format!("{k}/2"))
        .arg("-o")
        .arg(&part)
        .arg(dir.path());
        run(&mut c);
        parts.push(part);
    }
    let mut c = cmd(cache.path());
    c.args(["portfolio", "merge"]).args(&parts);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2);
    assert!(err.contains("disagree on as_of"), "{err}");
}

#[test]
fn markdown_escapes_product_names() {
    let cache = tempfile::tempdir().unwrap();
    let dir = portfolio();
    let manifest = dir.path().join("products.tsv");
    std::fs::write(
        &manifest,
        "iot-gateway.cdx.json\tGate | <script>alert(1)</script>\n",
    )
    .unwrap();
    let mut c = cmd(cache.path());
    c.arg("portfolio")
        .args(AS_OF)
        .arg("CN")
        .args(["--format", "markdown"])
        .arg(&manifest);
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# Portfolio supply-risk summary"), "{out}");
    assert!(
        out.contains("Gate \\| \\<script\\>alert(1)\\</script\\>"),
        "{out}"
    );
    assert!(!out.contains("<script>"), "{out}");
}

#[test]
fn a_policy_violation_is_exit_1_and_listed() {
    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in ["home-router-openwrt.cdx.json", "iot-gateway.cdx.json"] {
        std::fs::copy(root.join("sboms").join(f), dir.path().join(f)).unwrap();
    }
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, "[policy]\nmax_political_exposure = 40\n").unwrap();
    let mut c = cmd(cache.path());
    c.arg("portfolio")
        .args(AS_OF)
        .arg("CN")
        .args(["--format", "json", "--policy"])
        .arg(&policy)
        .arg(dir.path());
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 1, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    let violated = r["portfolio"]["policy_violated"].as_array().unwrap();
    // The router (exposure 41.7) breaks it, the gateway (36.6) does not.
    assert_eq!(violated.len(), 1);
    assert!(violated[0]
        .as_str()
        .unwrap()
        .ends_with("home-router-openwrt.cdx.json"));
    let router = r["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["path"]
                .as_str()
                .unwrap()
                .ends_with("home-router-openwrt.cdx.json")
        })
        .unwrap();
    assert_eq!(router["policy"]["passed"], false);
    assert_eq!(
        router["policy"]["violations"][0]["rule"],
        "max_political_exposure"
    );
}

#[test]
fn html_is_one_self_contained_page_with_charts() {
    let cache = tempfile::tempdir().unwrap();
    let dir = portfolio();
    let manifest = dir.path().join("products.tsv");
    std::fs::write(
        &manifest,
        "iot-gateway.cdx.json\t<img src=x onerror=alert(1)>\nhome-router-openwrt.cdx.json\n",
    )
    .unwrap();
    let mut c = cmd(cache.path());
    c.arg("portfolio")
        .args(AS_OF)
        .arg("CN")
        .args(["--format", "html"])
        .arg(&manifest);
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("<!DOCTYPE html>"), "{out}");
    assert_eq!(
        out.matches("<svg class=\"chart\"").count(),
        2,
        "countries and vendors"
    );
    assert!(out.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!out.contains("<img"));
    assert!(!out.contains("<script"));
    for remote in ["src=\"http", "href=\"http", "url(http"] {
        assert!(!out.contains(remote), "no remote resource: {remote}");
    }
}

#[test]
fn merge_refuses_a_shard_of_an_older_schema() {
    // A shard written before supply kinds and buyer classes (portfolio/v1) is refused by name,
    // never merged with different semantics.
    let cache = tempfile::tempdir().unwrap();
    let dir = portfolio();
    let out = tempfile::tempdir().unwrap();
    let part = out.path().join("p1.json");
    let mut c = cmd(cache.path());
    c.args([
        "portfolio",
        "--offline",
        "--as-of",
        "2026-11-25",
        "--format",
        "json",
    ])
    .args(["--shard", "1/1", "-o"])
    .arg(&part)
    .arg(dir.path());
    // The scratch portfolio holds a bad SBOM on purpose: exit 2, and the shard is written.
    run(&mut c);
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&part).unwrap()).unwrap();
    v["schema"] = "sbomrisk/portfolio/v1".into();
    if let Some(o) = v.as_object_mut() {
        o.remove("buyer_class");
    }
    std::fs::write(&part, serde_json::to_string(&v).unwrap()).unwrap();
    let mut c = cmd(cache.path());
    c.args(["portfolio", "merge"]).arg(&part);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2);
    assert!(
        err.contains("schema 'sbomrisk/portfolio/v1', expected 'sbomrisk/portfolio/v2'"),
        "{err}"
    );
}
