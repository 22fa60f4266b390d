//! The one routine behind every `-o PATH`: it never replaces an input, writes a regular file
//! atomically through a fresh temporary file beside it (created exclusively by `tempfile`, so
//! no symlink planted there is followed, and removed if the run fails), and writes straight to
//! special files (`/dev/null`, a FIFO, `/dev/stdout`) instead of renaming over them.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the output goes.
pub enum Output {
    Stdout(std::io::Stdout),
    /// A special file, written in place.
    Direct(std::fs::File),
    /// A regular file, written to a temporary file and renamed over it on [`Output::commit`].
    Temp(tempfile::NamedTempFile, PathBuf),
}

/// Whether two paths name the same file (same device and inode on Unix).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Refuses an output that is one of the inputs, or an existing file inside an input directory
/// (which the run reads).
pub fn check_not_input(out: &Path, inputs: &[PathBuf]) -> anyhow::Result<()> {
    if out.as_os_str() == "-" || !out.exists() {
        return Ok(());
    }
    let canon_out = out.canonicalize().ok();
    for input in inputs {
        if same_file(out, input) {
            anyhow::bail!(
                "{}: the output would overwrite the input {}; choose another -o",
                out.display(),
                input.display()
            );
        }
        if input.is_dir() {
            if let (Some(o), Ok(d)) = (&canon_out, input.canonicalize()) {
                if o.starts_with(&d) && o.is_file() {
                    anyhow::bail!(
                        "{}: the output would overwrite a file under the input directory {}; choose another -o",
                        out.display(),
                        input.display()
                    );
                }
            }
        }
    }
    Ok(())
}

impl Output {
    /// Opens `path` (`-`: stdout) for a run whose inputs are `inputs`.
    pub fn create(path: &Path, inputs: &[PathBuf]) -> anyhow::Result<Output> {
        if path.as_os_str() == "-" {
            return Ok(Output::Stdout(std::io::stdout()));
        }
        check_not_input(path, inputs)?;
        let cannot = |e: std::io::Error| anyhow::anyhow!("{}: cannot write: {e}", path.display());
        // A special file (device, FIFO) is written in place, never replaced.
        if let Ok(m) = std::fs::metadata(path) {
            if !m.is_file() {
                if m.is_dir() {
                    anyhow::bail!("{}: is a directory", path.display());
                }
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(cannot)?;
                return Ok(Output::Direct(f));
            }
        }
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut builder = tempfile::Builder::new();
        builder.prefix(".sbomrisk-").suffix(".tmp");
        // The file gets the mode a plain write would give it: the replaced file's, or 0666
        // less the umask for a new one (tempfile's own default, 0600, would hide a report
        // from the rest of a team).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).map_or(0o666, |m| m.permissions().mode() & 0o7777);
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        let tmp = builder.tempfile_in(dir).map_err(cannot)?;
        Ok(Output::Temp(tmp, path.to_path_buf()))
    }

    /// Finishes the output: flushes, and renames a temporary file over the target.
    pub fn commit(self) -> anyhow::Result<()> {
        match self {
            Output::Stdout(mut s) => match s.flush() {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(Into::into),
            },
            Output::Direct(mut f) => f.flush().map_err(Into::into),
            Output::Temp(mut tmp, path) => {
                let cannot =
                    |e: std::io::Error| anyhow::anyhow!("{}: cannot write: {e}", path.display());
                tmp.flush().map_err(cannot)?;
                tmp.as_file().sync_all().map_err(cannot)?;
                tmp.persist(&path).map_err(|e| cannot(e.error))?;
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(s) => s.write(buf),
            Output::Direct(f) => f.write(buf),
            Output::Temp(t, _) => t.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(s) => s.flush(),
            Output::Direct(f) => f.flush(),
            Output::Temp(t, _) => t.flush(),
        }
    }
}

/// [`Output::create`], buffered: what a command streams its document into.
pub fn buffered(path: &Path, inputs: &[PathBuf]) -> anyhow::Result<std::io::BufWriter<Output>> {
    Ok(std::io::BufWriter::with_capacity(
        1 << 16,
        Output::create(path, inputs)?,
    ))
}

/// Writes out the rest of the buffer and commits the output. `Ok(false)` when the reader went
/// away (`| head`): not an error of the run, and nothing more to write.
pub fn finish(sink: std::io::BufWriter<Output>, path: &Path) -> anyhow::Result<bool> {
    match sink.into_inner() {
        Ok(o) => o.commit().map(|()| true),
        Err(e) if e.error().kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => anyhow::bail!("{}: cannot write: {}", path.display(), e.error()),
    }
}

/// Writes `bytes` to `path` (`None` or `-`: stdout) through [`Output`].
pub fn write(path: Option<&Path>, inputs: &[PathBuf], bytes: &[u8]) -> anyhow::Result<()> {
    let path = path.unwrap_or(Path::new("-"));
    let mut out = Output::create(path, inputs)?;
    match out.write_all(bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        other => other.map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?,
    }
    out.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_is_never_overwritten() {
        let d = tempfile::tempdir().unwrap();
        let input = d.path().join("in.json");
        std::fs::write(&input, "{}").unwrap();
        let e = write(Some(&input), std::slice::from_ref(&input), b"report").unwrap_err();
        assert!(e.to_string().contains("would overwrite the input"), "{e}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "{}");
        // Under an input directory, an existing file is refused; a new one is fine.
        let e = write(Some(&input), &[d.path().to_path_buf()], b"r").unwrap_err();
        assert!(e.to_string().contains("under the input directory"), "{e}");
        let fresh = d.path().join("new.json");
        write(Some(&fresh), &[d.path().to_path_buf()], b"r").unwrap();
        assert_eq!(std::fs::read_to_string(&fresh).unwrap(), "r");
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".sbomrisk-"))
            .collect();
        assert!(left.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_written_file_has_the_mode_a_plain_write_gives() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let fresh = d.path().join("new.json");
        write(Some(&fresh), &[], b"r").unwrap();
        let mode = std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
        // 0666 less the umask, as `std::fs::write` gives.
        let plain = d.path().join("plain");
        std::fs::write(&plain, "").unwrap();
        let expected = std::fs::metadata(&plain).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected, "{mode:o} against {expected:o}");
        // A replaced file keeps its mode.
        let kept = d.path().join("kept.json");
        std::fs::write(&kept, "old").unwrap();
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
        write(Some(&kept), &[], b"new").unwrap();
        let mode = std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_written_in_place_and_links_replaced_not_followed() {
        write(Some(Path::new("/dev/null")), &[], b"x").unwrap();
        assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
        let d = tempfile::tempdir().unwrap();
        let victim = d.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let link = d.path().join("out.json");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        write(Some(&link), &[], b"report").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "report");
    }
}
