//! No text from an SBOM, a flag or a file name reaches a terminal with a control character or a
//! bidirectional control: every command, every terminal-bound format, every error path. A line
//! break in a name cannot forge a line of a listing either.

use std::path::{Path, PathBuf};
use std::process::Command;

const EVIL: &str =
    "lib\u{1b}[2J\u{1b}]0;PWNED\u{7}\u{202e}x\u{200e}\u{61c}\u{9b}31m\u{2028}y\n  components:    0";

fn hostile_sbom(dir: &Path) -> PathBuf {
    let doc = serde_json::json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {"component": {"type": "device", "name": EVIL, "bom-ref": "root"}},
        "components": [
            {"type": "library", "name": EVIL, "version": EVIL, "bom-ref": EVIL,
             "supplier": {"name": EVIL}, "purl": "pkg:npm/evil@1.0.0"},
            {"type": "library", "name": "=HYPERLINK(\"http://x\")", "bom-ref": "f",
             "supplier": {"name": "\u{ff1d}1+1"}}
        ],
        "dependencies": [{"ref": "root", "dependsOn": [EVIL, "f", "dangling\u{1b}]0;x\u{7}"]}]
    });
    let p = dir.join("evil.cdx.json");
    std::fs::write(&p, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    p
}

fn run(args: &[&std::ffi::OsStr]) -> (String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_sbomrisk"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SBOMRISK_CACHE_DIR", "/nonexistent/sbomrisk-test-cache")
        .env_remove("SBOMRISK_CONFIG")
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn assert_clean(what: &str, text: &str) {
    for bad in [
        '\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{200e}', '\u{61c}', '\u{2028}', '\r',
    ] {
        assert!(
            !text.contains(bad),
            "{what}: U+{:04X} reached the terminal:\n{text}",
            bad as u32
        );
    }
    assert!(
        !text.lines().any(|l| l == "  components:    0"),
        "{what}: a name forged a line:\n{text}"
    );
}

#[test]
fn no_command_sends_sbom_controls_to_a_terminal() {
    let d = tempfile::tempdir().unwrap();
    let evil = hostile_sbom(d.path());
    let e = evil.as_os_str();
    let s = |x: &'static str| std::ffi::OsStr::new(x);
    let runs: Vec<(&str, Vec<&std::ffi::OsStr>)> = vec![
        ("inspect", vec![s("--no-config"), s("inspect"), e]),
        (
            "attribute text",
            vec![s("--no-config"), s("attribute"), s("--offline"), e],
        ),
        (
            "attribute csv",
            vec![
                s("--no-config"),
                s("attribute"),
                s("--offline"),
                s("--format"),
                s("csv"),
                e,
            ],
        ),
        (
            "analyze text",
            vec![s("--no-config"), s("analyze"), s("--offline"), e],
        ),
        (
            "analyze csv",
            vec![
                s("--no-config"),
                s("analyze"),
                s("--offline"),
                s("--format"),
                s("csv"),
                e,
            ],
        ),
        (
            "diff text",
            vec![
                s("--no-config"),
                s("diff"),
                s("--offline"),
                s("sboms/iot-gateway.cdx.json"),
                e,
            ],
        ),
        (
            "portfolio",
            vec![s("--no-config"), s("portfolio"), s("--offline"), e],
        ),
        (
            "portfolio csv",
            vec![
                s("--no-config"),
                s("portfolio"),
                s("--offline"),
                s("--format"),
                s("csv"),
                e,
            ],
        ),
        ("graph dot", vec![s("--no-config"), s("graph"), e]),
    ];
    for (what, args) in runs {
        let (out, err) = run(&args);
        assert_clean(&format!("{what} (stdout)"), &out);
        assert_clean(&format!("{what} (stderr)"), &err);
    }
    // CSV: no cell a spreadsheet would read as a formula.
    let (out, _) = run(&[
        s("--no-config"),
        s("attribute"),
        s("--offline"),
        s("--format"),
        s("csv"),
        e,
    ]);
    assert!(out.contains("'=HYPERLINK"), "{out}");
    assert!(!out.contains(",=HYPERLINK"), "{out}");
    assert!(!out.contains(",\u{ff1d}1+1"), "{out}");
}

#[test]
fn error_paths_quote_hostile_text_safely() {
    let d = tempfile::tempdir().unwrap();
    let s = |x: &'static str| std::ffi::OsStr::new(x);
    // A root element that quotes itself in the error, read by portfolio and analyze.
    let xml = d.path().join("root.cdx.xml");
    std::fs::write(
        &xml,
        "<?xml version=\"1.0\"?>\n<x\u{1b}]0;PWNED\u{7}\u{202e}bom/>\n",
    )
    .unwrap();
    for cmd in ["portfolio", "analyze"] {
        let (out, err) = run(&[s("--no-config"), s(cmd), s("--offline"), xml.as_os_str()]);
        assert_clean(&format!("{cmd} error"), &(out + &err));
    }
    // Flags: a scenario, a vendor, a usage error.
    let scenario = format!("--scenario=vendor:x{EVIL}");
    let (out, err) = run(&[
        s("--no-config"),
        s("analyze"),
        s("--offline"),
        std::ffi::OsStr::new(&scenario),
        s("sboms/iot-gateway.cdx.json"),
    ]);
    assert_clean("scenario", &(out + &err));
    let name = format!("x{EVIL}");
    let (out, err) = run(&[
        s("--no-config"),
        s("vendors"),
        s("show"),
        std::ffi::OsStr::new(&name),
    ]);
    assert_clean("vendors show", &(out + &err));
    let format = format!("--format=x{EVIL}");
    let (out, err) = run(&[s("analyze"), std::ffi::OsStr::new(&format), s("x")]);
    assert_clean("usage error", &(out + &err));
}
