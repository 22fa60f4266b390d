//! `sbomrisk cache stats|clear|export|import`: the sled cache of online answers.

use super::{write_stdout, EXIT_OK};
use crate::attribution::cache::{default_dir, rfc3339, Cache};
use anyhow::Context;
use std::fmt::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, clap::Args)]
pub struct CacheDir {
    /// Cache directory (default: the platform cache dir, e.g. ~/.cache/sbomrisk).
    /// [env: SBOMRISK_CACHE_DIR; config: cache_dir]
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

impl CacheDir {
    /// Opens the cache the other commands use: this flag, else `SBOMRISK_CACHE_DIR`, else the
    /// configuration file's `cache_dir`, else the platform's cache directory.
    fn open(&self, global: &super::GlobalArgs) -> anyhow::Result<Cache> {
        let dir = match super::options::cache_dir(global, self.cache_dir.as_ref())? {
            Some(d) => d,
            None => default_dir().context("no platform cache directory; pass --cache-dir")?,
        };
        let cache = Cache::open(&dir, Duration::from_secs(10))?;
        if let Some(a) = &cache.moved_aside {
            eprintln!(
                "sbomrisk: warning: the cache could not be read (corrupt) and was moved to {}; a fresh cache was made",
                a.display()
            );
        }
        Ok(cache)
    }
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Entries per source, negative entries, size, oldest and newest answer.
    #[command(after_help = "Examples:
  sbomrisk cache stats
  sbomrisk cache stats --cache-dir /var/cache/sbomrisk")]
    Stats(CacheDir),
    /// Remove every entry.
    #[command(after_help = "Examples:
  sbomrisk cache clear
  sbomrisk cache clear --cache-dir ./ci-cache")]
    Clear(CacheDir),
    /// Write every entry as JSON lines to FILE (`-` for stdout).
    #[command(after_help = "Examples:
  sbomrisk cache export answers.jsonl
  sbomrisk cache export - | gzip > answers.jsonl.gz")]
    Export {
        file: PathBuf,
        #[command(flatten)]
        dir: CacheDir,
    },
    /// Read entries written by `export` (the newer of two entries wins).
    #[command(after_help = "Examples:
  sbomrisk cache import answers.jsonl
  sbomrisk --quiet cache import --cache-dir ./ci-cache answers.jsonl")]
    Import {
        file: PathBuf,
        #[command(flatten)]
        dir: CacheDir,
    },
}

pub fn run(global: &super::GlobalArgs, cmd: &Command) -> anyhow::Result<i32> {
    match cmd {
        Command::Stats(dir) => {
            let cache = dir.open(global)?;
            let s = cache.stats()?;
            let mut out = String::new();
            let _ = writeln!(
                out,
                "cache:    {}",
                cache
                    .dir()
                    .map(|d| d.display().to_string())
                    .unwrap_or_default()
            );
            let _ = writeln!(out, "entries:  {} ({} negative)", s.entries, s.negative);
            for (source, n) in &s.per_source {
                let _ = writeln!(out, "  {:<20} {n}", super::terminal_safe(source));
            }
            let _ = writeln!(out, "bytes:    {}", s.bytes);
            if let (Some(o), Some(n)) = (s.oldest, s.newest) {
                let _ = writeln!(out, "fetched:  {} .. {}", rfc3339(o), rfc3339(n));
            }
            write_stdout(&out)?;
        }
        Command::Clear(dir) => {
            dir.open(global)?.clear()?;
        }
        Command::Export { file, dir } => {
            let cache = dir.open(global)?;
            let n = if file.as_os_str() == "-" {
                cache.export(std::io::stdout().lock())?
            } else {
                // Written beside and renamed at the end: a failed export leaves no half file.
                // Never a file of the cache itself.
                let read: Vec<std::path::PathBuf> =
                    cache.dir().map(Into::into).into_iter().collect();
                let mut w = std::io::BufWriter::new(super::output::Output::create(file, &read)?);
                let n = cache.export(&mut w)?;
                w.into_inner()
                    .map_err(|e| {
                        anyhow::anyhow!("{}: cannot write: {}", file.display(), e.error())
                    })?
                    .commit()?;
                n
            };
            eprintln!("sbomrisk: exported {n} entries");
        }
        Command::Import { file, dir } => {
            let cache = dir.open(global)?;
            let f = std::fs::File::open(file)
                .with_context(|| format!("{}: cannot read", file.display()))?;
            let n = cache.import(std::io::BufReader::new(f))?;
            eprintln!("sbomrisk: imported {n} entries");
        }
    }
    Ok(EXIT_OK)
}
