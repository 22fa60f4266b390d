//! Snapshots of every machine format (`analyze --format json|sarif|csv`) and of the HTML
//! dossier and portfolio page, on the fixtures, offline, as of 2026-11-25. What changes with
//! every release or data edit (the tool version, the data version, the profile digest) is
//! replaced by a placeholder, and the HTML is cut into lines at its block tags so a change
//! reads as a diff; the style sheet is left out. Everything else is compared byte for byte.

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: [(&str, &str); 3] = [
    ("router_mini", "tests/fixtures/router-mini.cdx.json"),
    ("hostile_names", "tests/fixtures/hostile-names.cdx.json"),
    ("supply_kinds", "tests/fixtures/supply-kinds.cdx.json"),
];

fn sbomrisk(args: &[&str]) -> String {
    let cache = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("sbomrisk")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CACHE_HOME", cache.path())
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "sbomrisk {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn analyze(format: &str, file: &str) -> String {
    sbomrisk(&[
        "analyze",
        "--offline",
        "--as-of",
        "2026-11-25",
        "--format",
        format,
        file,
    ])
}

/// What changes without the report changing, read from the JSON report of the same file: the
/// data version and the profile digest (hex digests), and the tool version where the tool is
/// named (`sbomrisk 0.1.0`) or stands as a JSON string (`"version": "0.1.0"`), so a component
/// of the same version is left alone.
fn volatile(file: &str) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(&analyze("json", file)).unwrap();
    let text = |p: &str| v.pointer(p).and_then(Value::as_str).unwrap().to_string();
    let tool = text("/tool/version");
    vec![
        (text("/data_version"), "[data-version]".into()),
        (text("/profile/digest"), "[profile-digest]".into()),
        (format!("sbomrisk {tool}"), "sbomrisk [tool-version]".into()),
        (
            format!("\"version\": \"{tool}\""),
            "\"version\": \"[tool-version]\"".into(),
        ),
        (
            format!("\"semanticVersion\": \"{tool}\""),
            "\"semanticVersion\": \"[tool-version]\"".into(),
        ),
    ]
}

fn normalise(mut s: String, volatile: &[(String, String)]) -> String {
    for (from, to) in volatile {
        s = s.replace(from.as_str(), to);
    }
    s
}

/// The HTML cut into lines before its block tags, the style sheet left out.
fn html_lines(s: &str) -> String {
    let (head, rest) = s.split_once("<style>").unwrap();
    let (_, tail) = rest.split_once("</style>").unwrap();
    let mut s = format!("{head}<style>[css]</style>{tail}");
    for tag in [
        "<section", "<div", "<h1", "<h2", "<p", "<table", "<tr", "<ol", "<ul", "<li", "<figure",
        "<svg", "<g>", "<text", "<footer",
    ] {
        s = s.replace(tag, &format!("\n{tag}"));
    }
    s.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn analyze_json() {
    for (name, file) in FIXTURES {
        let out = normalise(analyze("json", file), &volatile(file));
        insta::assert_snapshot!(format!("json_{name}"), out);
    }
}

#[test]
fn analyze_sarif() {
    for (name, file) in FIXTURES {
        let out = normalise(analyze("sarif", file), &volatile(file));
        insta::assert_snapshot!(format!("sarif_{name}"), out);
    }
}

#[test]
fn analyze_csv() {
    for (name, file) in FIXTURES {
        insta::assert_snapshot!(format!("csv_{name}"), analyze("csv", file));
    }
}

#[test]
fn analyze_html() {
    for (name, file) in FIXTURES {
        let out = normalise(analyze("html", file), &volatile(file));
        insta::assert_snapshot!(format!("html_{name}"), html_lines(&out));
    }
}

#[test]
fn analyze_text() {
    for (name, file) in FIXTURES {
        let out = normalise(analyze("text", file), &volatile(file));
        for line in out.lines() {
            assert!(line.chars().count() <= 100, "{name}: {line}");
        }
        insta::assert_snapshot!(format!("text_{name}"), out);
    }
}

#[test]
fn portfolio_html() {
    // The fixtures are all rated critical; the example router brings a medium badge.
    let mut files: Vec<&str> = FIXTURES.iter().map(|(_, f)| *f).collect();
    files.push("sboms/home-router-openwrt.cdx.json");
    let mut args = vec![
        "portfolio",
        "--offline",
        "--as-of",
        "2026-11-25",
        "--buyer",
        "CN",
        "--format",
        "html",
    ];
    args.extend(&files);
    let out = normalise(sbomrisk(&args), &volatile(files[0]));
    insta::assert_snapshot!("portfolio_html", html_lines(&out));
}
