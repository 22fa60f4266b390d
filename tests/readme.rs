//! The README's examples are run: every `cargo run --release -- ARGS` line of its `sh` blocks
//! is run with the built binary (pipes are cut off, `dir/*` globs expanded) and must exit 0.

use assert_cmd::Command;
use std::path::Path;

fn expand(arg: &str, root: &Path) -> Vec<String> {
    match arg.strip_suffix("/*") {
        Some(dir) => {
            let mut files: Vec<String> = std::fs::read_dir(root.join(dir))
                .unwrap_or_else(|e| panic!("README names {dir}/: {e}"))
                .flatten()
                .map(|e| e.path())
                // Every file, as a shell glob takes them: a README beside the SBOMs would
                // break the example as printed.
                .filter(|p| p.is_file())
                .map(|p| p.strip_prefix(root).unwrap().display().to_string())
                .collect();
            files.sort();
            files
        }
        None => vec![arg.to_string()],
    }
}

#[test]
fn readme_examples_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut in_sh = false;
    let mut ran = 0;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = line.trim() == "```sh";
            continue;
        }
        let Some(rest) = in_sh
            .then(|| line.trim().strip_prefix("cargo run --release -- "))
            .flatten()
        else {
            continue;
        };
        let rest = rest.split(['|', '#', '>']).next().unwrap_or_default();
        let args: Vec<String> = rest
            .split_whitespace()
            .flat_map(|a| expand(a, root))
            .collect();
        let out = Command::cargo_bin("sbomrisk")
            .unwrap()
            .current_dir(root)
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "README example `sbomrisk {}` exited {:?}: {}",
            args.join(" "),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.stdout.is_empty(),
            "README example `{rest}` printed nothing"
        );
        ran += 1;
    }
    assert!(
        ran >= 2,
        "the README should show at least two runnable examples, found {ran}"
    );
}
