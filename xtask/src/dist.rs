//! `cargo xtask dist`: the release binary, shell completions and man pages in target/dist/.
//!
//! Completions and man pages come from the real `sbomrisk::cli::Cli` definition (one source
//! for `--help`, completions and man pages, as ripgrep does), so they cannot drift from the
//! parser.
//!
//! Layout:
//! ```text
//! target/dist/sbomrisk                      the release binary (unless --no-build)
//! target/dist/completions/sbomrisk.bash     bash
//! target/dist/completions/_sbomrisk         zsh
//! target/dist/completions/sbomrisk.fish     fish
//! target/dist/completions/_sbomrisk.ps1     PowerShell
//! target/dist/completions/sbomrisk.elv      elvish
//! target/dist/man/sbomrisk.1                the command
//! target/dist/man/sbomrisk-<sub>.1          one per subcommand (sbomrisk-vendors-show.1 ...)
//! ```

use anyhow::{bail, Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

pub fn run(args: Vec<String>) -> Result<ExitCode> {
    let mut build = true;
    let mut out = crate::project_root().join("target").join("dist");
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-build" => build = false,
            "--out" => out = PathBuf::from(it.next().context("--out needs a directory")?),
            other => bail!("dist: unknown option '{other}'"),
        }
    }
    std::fs::create_dir_all(&out).with_context(|| format!("{}", out.display()))?;
    if build {
        let bin = build_release()?;
        let dest = out.join(bin.file_name().unwrap_or_default());
        std::fs::copy(&bin, &dest)
            .with_context(|| format!("copying {} to {}", bin.display(), dest.display()))?;
        println!("{}", dest.display());
    }
    for f in generate(&out)? {
        println!("{}", f.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo build --release --bin sbomrisk`; returns the binary's path.
fn build_release() -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let root = crate::project_root();
    let status = Command::new(cargo)
        .current_dir(&root)
        .args(["build", "--release", "--bin", "sbomrisk"])
        .status()
        .context("running cargo build --release")?;
    if !status.success() {
        bail!("cargo build --release failed ({status})");
    }
    let name = format!("sbomrisk{}", std::env::consts::EXE_SUFFIX);
    Ok(root.join("target").join("release").join(name))
}

/// Writes the completions and man pages under `out`; returns the files written.
pub fn generate(out: &Path) -> Result<Vec<PathBuf>> {
    let mut cmd = sbomrisk::cli::Cli::command();
    // Propagates global options (-q) and version into every subcommand.
    cmd.build();
    let mut written = Vec::new();
    let comp_dir = out.join("completions");
    std::fs::create_dir_all(&comp_dir)?;
    for shell in SHELLS {
        let path = clap_complete::generate_to(shell, &mut cmd, "sbomrisk", &comp_dir)
            .with_context(|| format!("{shell} completions"))?;
        written.push(path);
    }
    let man_dir = out.join("man");
    std::fs::create_dir_all(&man_dir)?;
    man_pages(&cmd, "sbomrisk", &man_dir, &mut written)?;
    Ok(written)
}

/// One page for `cmd`, named `name`, then one per subcommand (recursively).
fn man_pages(
    cmd: &clap::Command,
    name: &str,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> Result<()> {
    // clap names are `&'static str` without its `string` feature (which would rebuild clap
    // for the whole workspace); a few leaked names in a one-shot task are fine.
    let page = cmd
        .clone()
        .name(&*Box::leak(name.to_string().into_boxed_str()));
    let mut buf: Vec<u8> = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut buf)
        .with_context(|| format!("man page of {name}"))?;
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, buf).with_context(|| format!("{}", path.display()))?;
    written.push(path);
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        man_pages(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The subcommands a user must be able to complete and read a page about.
    const EXPECTED: [&str; 7] = [
        "inspect",
        "graph",
        "attribute",
        "analyze",
        "enrich",
        "vendors",
        "cache",
    ];

    #[test]
    fn completions_and_man_pages_cover_every_subcommand() {
        let dir = std::env::temp_dir().join(format!("sbomrisk-dist-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = generate(&dir).unwrap();
        let subs: Vec<String> = sbomrisk::cli::Cli::command()
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for e in EXPECTED {
            assert!(subs.iter().any(|s| s == e), "{e} is not a subcommand");
        }
        let comps: Vec<&PathBuf> = files
            .iter()
            .filter(|f| f.parent().is_some_and(|p| p.ends_with("completions")))
            .collect();
        assert_eq!(comps.len(), 5);
        for f in comps {
            let text = std::fs::read_to_string(f).unwrap();
            for s in &subs {
                assert!(text.contains(s.as_str()), "{} lacks {s}", f.display());
            }
            // Options of a subcommand and the global -q are completed too.
            assert!(text.contains("min-supplier-confidence"), "{}", f.display());
            assert!(text.contains("quiet"), "{}", f.display());
        }
        let main = std::fs::read_to_string(dir.join("man/sbomrisk.1")).unwrap();
        assert!(main.contains(".TH sbomrisk 1"), "{main}");
        for s in &subs {
            let page = std::fs::read_to_string(dir.join(format!("man/sbomrisk-{s}.1"))).unwrap();
            assert!(page.contains(".TH sbomrisk-"), "{s}");
            assert!(page.contains(".SH NAME"), "{s}");
        }
        let enrich = std::fs::read_to_string(dir.join("man/sbomrisk-enrich.1")).unwrap();
        assert!(
            enrich.contains("Examples:"),
            "after_help examples reach the man page"
        );
        assert!(dir.join("man/sbomrisk-vendors-show.1").exists());
        assert!(dir.join("man/sbomrisk-cache-export.1").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
