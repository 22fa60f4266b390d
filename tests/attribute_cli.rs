//! CLI behaviour of `attribute`, `vendors` and `cache`, offline, with a scratch cache.

use assert_cmd::Command;

fn sbomrisk(cache: &tempfile::TempDir) -> Command {
    let mut cmd = Command::cargo_bin("sbomrisk").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env("XDG_CACHE_HOME", cache.path());
    cmd
}

fn run(cache: &tempfile::TempDir, args: &[&str]) -> (i32, String, String) {
    let out = sbomrisk(cache).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn attribute_json_names_vendor_country_channel_and_evidence() {
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().to_str().unwrap();
    let (code, out, err) = run(
        &cache,
        &[
            "attribute",
            "--offline",
            "--cache-dir",
            dir,
            "--format",
            "json",
            "tests/fixtures/router-mini.cdx.json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["tool_version"], env!("CARGO_PKG_VERSION"));
    assert!(v["data_version"].as_str().is_some_and(|s| s.len() == 16));
    let comps = v["components"].as_array().unwrap();
    let by_ref = |r: &str| comps.iter().find(|c| c["ref"] == r).unwrap().clone();
    let linux = by_ref("linux");
    assert_eq!(linux["vendor"]["id"], "linux-foundation", "{linux:#}");
    let ath = by_ref("ath10k-fw");
    assert_eq!(ath["vendor"]["id"], "qualcomm", "{ath:#}");
    assert_eq!(ath["country"], "US");
    let won: Vec<&serde_json::Value> = ath["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["won"] == true)
        .collect();
    assert_eq!(won.len(), 1);
    assert_eq!(won[0]["source"], "declared");
    // dnsmasq is one person's project: a vendor without a country (shared/TRUTH.md).
    let dnsmasq = by_ref("dnsmasq");
    assert_eq!(dnsmasq["vendor"]["id"], "dnsmasq", "{dnsmasq:#}");
    assert!(dnsmasq["country"].is_null(), "{dnsmasq:#}");
    for c in comps {
        let conf = c["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&conf));
        if c["vendor"].is_null() {
            assert_eq!(conf, 0.0);
        }
    }
}

#[test]
fn attribute_csv_and_text() {
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().to_str().unwrap();
    let (code, csv, err) = run(
        &cache,
        &[
            "attribute",
            "--offline",
            "--cache-dir",
            dir,
            "--format",
            "csv",
            "tests/fixtures/switch-mini.spdx.json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(csv);
    let (code, text, _) = run(
        &cache,
        &[
            "attribute",
            "--offline",
            "--cache-dir",
            dir,
            "tests/fixtures/switch-mini.spdx.json",
        ],
    );
    assert_eq!(code, 0);
    assert!(text.contains("with a vendor"), "{text}");
}

#[test]
fn overrides_file_is_applied_and_checked() {
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().to_str().unwrap();
    let ov = cache.path().join("ov.toml");
    std::fs::write(&ov, "[[override]]\nname = \"libyang\"\nvendor_name = \"CESNET\"\ncountry = \"CZ\"\nreason = \"test\"\n").unwrap();
    let (code, out, err) = run(
        &cache,
        &[
            "attribute",
            "--offline",
            "--cache-dir",
            dir,
            "--format",
            "json",
            "--overrides",
            ov.to_str().unwrap(),
            "tests/fixtures/switch-mini.spdx.json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let c = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "libyang")
        .unwrap()
        .clone();
    assert_eq!(c["country"], "CZ");
    assert_eq!(c["vendor"]["name"], "CESNET");
    assert_eq!(c["confidence"], 1.0);
    std::fs::write(
        &ov,
        "[[override]]\nname = \"x\"\nvendor = \"no-such-vendor\"\n",
    )
    .unwrap();
    let (code, _, err) = run(
        &cache,
        &[
            "attribute",
            "--offline",
            "--cache-dir",
            dir,
            "--overrides",
            ov.to_str().unwrap(),
            "tests/fixtures/switch-mini.spdx.json",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("ov.toml") && err.contains("no-such-vendor"),
        "{err}"
    );
}

#[test]
fn vendors_show_and_search() {
    let cache = tempfile::tempdir().unwrap();
    let (code, out, _) = run(&cache, &["vendors", "show", "Cisco Systems, Inc."]);
    assert_eq!(code, 0);
    assert!(
        out.contains("(cisco)") && out.contains("country:     US"),
        "{out}"
    );
    assert!(out.contains("source:"), "{out}");
    let (code, out, _) = run(&cache, &["vendors", "search", "huawei"]);
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.starts_with("huawei")), "{out}");
    let (code, _, err) = run(&cache, &["vendors", "show", "no such vendor at all"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn cache_commands_on_a_fresh_cache() {
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().join("c");
    let dir = dir.to_str().unwrap();
    let (code, out, err) = run(&cache, &["cache", "stats", "--cache-dir", dir]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("entries:  0"), "{out}");
    let export = cache.path().join("export.jsonl");
    let (code, _, err) = run(
        &cache,
        &[
            "cache",
            "export",
            export.to_str().unwrap(),
            "--cache-dir",
            dir,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(
        &cache,
        &[
            "cache",
            "import",
            export.to_str().unwrap(),
            "--cache-dir",
            dir,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, _) = run(&cache, &["cache", "clear", "--cache-dir", dir]);
    assert_eq!(code, 0);
}

/// `cache` acts on the cache the other commands use: `--cache-dir`, else `SBOMRISK_CACHE_DIR`,
/// else the configuration file's `cache_dir` (it used to read the flag alone, so `cache clear`
/// with the variable set cleared the platform's cache instead).
#[test]
fn cache_commands_find_the_cache_as_analyze_does() {
    let cache = tempfile::tempdir().unwrap();
    let by_env = cache.path().join("from-env");
    let out = sbomrisk(&cache)
        .env("SBOMRISK_CACHE_DIR", &by_env)
        .args(["--no-config", "cache", "stats"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text.contains(&format!("cache:    {}", by_env.display())),
        "{text}"
    );
    assert!(by_env.exists());
    // The flag wins over the variable.
    let by_flag = cache.path().join("from-flag");
    let out = sbomrisk(&cache)
        .env("SBOMRISK_CACHE_DIR", &by_env)
        .args(["--no-config", "cache", "clear", "--cache-dir"])
        .arg(&by_flag)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(by_flag.exists());
    // A configuration file's cache_dir, relative to the file.
    let conf = cache.path().join("sbomrisk.toml");
    std::fs::write(&conf, "cache_dir = \"from-config\"\n").unwrap();
    let out = sbomrisk(&cache)
        .env_remove("SBOMRISK_CACHE_DIR")
        .arg("--config")
        .arg(&conf)
        .args(["cache", "stats"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("from-config"), "{text}");
    assert!(cache.path().join("from-config").exists());
}

/// Offline, a cache is read from its snapshot, not opened (sled's threads, log reading and fsync
/// cost more than the run): a cache known to hold no entry is not read at all, one with entries
/// is read from the snapshot the run before wrote. Once the snapshot is older than the database
/// the cache is opened again. The answer is the same every way.
#[test]
fn an_offline_run_reads_the_cache_snapshot_not_the_database() {
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().join("c");
    let d = dir.to_str().unwrap();
    let (code, _, err) = run(&cache, &["--no-config", "cache", "stats", "--cache-dir", d]);
    assert_eq!(code, 0, "{err}");
    let snapshot = dir.join("sbomrisk.snapshot");
    assert!(snapshot.exists(), "opened: a snapshot (empty)");
    let modified = |p: &std::path::Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let db_before = modified(&dir.join("db"));
    let args = [
        "--no-config",
        "attribute",
        "--offline",
        "--cache-dir",
        d,
        "--format",
        "json",
        "tests/fixtures/router-mini.cdx.json",
    ];
    let (code, skipped, err) = run(&cache, &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(modified(&dir.join("db")), db_before, "not opened");
    // A snapshot older than the database says nothing: the cache is opened (and a snapshot
    // written anew).
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let age = |p: &std::path::Path| {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(old)
            .unwrap()
    };
    age(&snapshot);
    let (code, opened, err) = run(&cache, &args);
    assert_eq!(code, 0, "{err}");
    assert!(
        modified(&snapshot) > old,
        "opened: the snapshot was written again"
    );
    assert_eq!(skipped, opened);
    // With an entry: the import removes the snapshot, the next run opens the database and
    // writes one, the run after reads it and leaves the database alone.
    let line = dir.with_extension("jsonl");
    std::fs::write(
        &line,
        "{\"key\":\"test:an-entry\",\"source\":\"ecosystems\",\"fetched_at\":100,\"status\":404,\"url\":\"https://example.invalid/\",\"body\":\"\"}\n",
    )
    .unwrap();
    let l = line.to_str().unwrap();
    let (code, _, err) = run(
        &cache,
        &["--no-config", "cache", "import", l, "--cache-dir", d],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!snapshot.exists(), "a change removes the snapshot");
    let (code, from_db, err) = run(&cache, &args);
    assert_eq!(code, 0, "{err}");
    assert!(snapshot.exists(), "opened: a snapshot with the entry");
    let db_before = modified(&dir.join("db"));
    let (code, from_snapshot, err) = run(&cache, &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(modified(&dir.join("db")), db_before, "not opened");
    assert_eq!(from_db, from_snapshot);
    assert_eq!(from_db, skipped);
    let (code, stats, err) = run(&cache, &["--no-config", "cache", "stats", "--cache-dir", d]);
    assert_eq!(code, 0, "{err}");
    assert!(stats.contains("entries:  1 (1 negative)"), "{stats}");
}
