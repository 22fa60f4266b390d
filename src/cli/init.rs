//! `sbomrisk init`, `sbomrisk completions SHELL` and `sbomrisk man`: a configuration file to
//! start from, and shell integration generated from the same clap definitions as the parser.

use super::{write_stdout, Cli, EXIT_BAD_INPUT, EXIT_OK};
use crate::config::{FILE_NAME, TEMPLATE};
use clap::CommandFactory;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  sbomrisk init                 # writes ./sbomrisk.toml, every key commented at its default
  sbomrisk init -o ci/sbomrisk.toml && sbomrisk --config ci/sbomrisk.toml analyze sboms/iot-gateway.cdx.json")]
pub struct Args {
    /// Where to write it (default: sbomrisk.toml in the working directory); `-` for stdout.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes the commented configuration file; an existing file is kept unless `--force`.
pub fn run(args: &Args) -> anyhow::Result<i32> {
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(FILE_NAME));
    if path.as_os_str() == "-" {
        write_stdout(TEMPLATE)?;
        return Ok(EXIT_OK);
    }
    if !args.force {
        // create_new: never replaces a file, even one that appears between check and write.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => f
                .write_all(TEMPLATE.as_bytes())
                .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                eprintln!(
                    "sbomrisk: error: {}: already exists; keep it, or replace it with --force",
                    path.display()
                );
                return Ok(EXIT_BAD_INPUT);
            }
            Err(e) => anyhow::bail!("{}: cannot write: {e}", path.display()),
        }
    } else {
        std::fs::write(&path, TEMPLATE)
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?;
    }
    if !super::progress::is_quiet() {
        eprintln!("sbomrisk: wrote {}", path.display());
    }
    Ok(EXIT_OK)
}

/// Prints the completion script of a shell.
pub fn completions(args: &CompletionsArgs) -> anyhow::Result<i32> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "sbomrisk", &mut buf);
    write_stdout(&String::from_utf8_lossy(&buf))?;
    Ok(EXIT_OK)
}

/// Prints the man page.
pub fn man() -> anyhow::Result<i32> {
    let cmd = Cli::command();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    write_stdout(&String::from_utf8_lossy(&buf))?;
    Ok(EXIT_OK)
}
