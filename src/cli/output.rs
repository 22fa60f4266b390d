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
    /// A regular file, written to a temporary file and renamed over it on [`Output::commit`];
    /// the temporary file is removed if the run ends on a signal first.
    Temp(tempfile::NamedTempFile, PathBuf, temps::Registered),
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

/// The names of the standard output (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`): written
/// through the process's own descriptor, so a shell's `>` or `>>` keeps its meaning and
/// nothing is renamed over the link, whatever it points to.
fn is_stdout_alias(path: &Path) -> bool {
    matches!(
        path.to_str(),
        Some("/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1")
    )
}

/// Other descriptor names (`/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`, as a shell's
/// `>(cmd)` gives): the link is followed and what it names is written in place.
fn is_descriptor_alias(path: &Path) -> bool {
    path.to_str().is_some_and(|p| {
        p == "/dev/stderr"
            || p.strip_prefix("/dev/fd/")
                .or_else(|| p.strip_prefix("/proc/self/fd/"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

impl Output {
    /// Opens `path` (`-`: stdout) for a run whose inputs are `inputs`.
    pub fn create(path: &Path, inputs: &[PathBuf]) -> anyhow::Result<Output> {
        if path.as_os_str() == "-" || is_stdout_alias(path) {
            return Ok(Output::Stdout(std::io::stdout()));
        }
        check_not_input(path, inputs)?;
        let cannot = |e: std::io::Error| anyhow::anyhow!("{}: cannot write: {e}", path.display());
        // What is at the path itself: a symlink planted there is replaced, never followed
        // (to a file, a FIFO or a device alike), except a descriptor's own name.
        let here = std::fs::symlink_metadata(path).ok();
        let is_link = here.as_ref().is_some_and(|m| m.file_type().is_symlink());
        let special = if is_link {
            is_descriptor_alias(path)
        } else {
            here.as_ref().is_some_and(|m| !m.is_file())
        };
        if here.as_ref().is_some_and(std::fs::Metadata::is_dir) {
            anyhow::bail!("{}: is a directory", path.display());
        }
        // A special file (device, FIFO, a descriptor) is written in place, never replaced.
        if special {
            if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
                anyhow::bail!("{}: is a directory", path.display());
            }
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(cannot)?;
            return Ok(Output::Direct(f));
        }
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // The file gets the mode a plain write would give it: 0666 less the umask for a new
        // one (tempfile's own default, 0600, would hide a report from the rest of a team), or
        // the replaced file's exactly, with its owner where the run may set it (as root); it is
        // made 0600 until then.
        let old = here.filter(std::fs::Metadata::is_file);
        let mut builder = tempfile::Builder::new();
        builder.prefix(".sbomrisk-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let create = if old.is_some() { 0o600 } else { 0o666 };
            builder.permissions(std::fs::Permissions::from_mode(create));
        }
        let tmp = builder.tempfile_in(dir).map_err(cannot)?;
        let registered = temps::Registered::new(tmp.path());
        #[cfg(unix)]
        if let Some(m) = &old {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            // Best effort: only root may give a file away.
            let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(m.uid()), Some(m.gid()));
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(
                    m.permissions().mode() & 0o7777,
                ))
                .map_err(cannot)?;
        }
        Ok(Output::Temp(tmp, path.to_path_buf(), registered))
    }

    /// Finishes the output: flushes, and renames a temporary file over the target.
    pub fn commit(self) -> anyhow::Result<()> {
        match self {
            Output::Stdout(mut s) => match s.flush() {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(Into::into),
            },
            Output::Direct(mut f) => f.flush().map_err(Into::into),
            Output::Temp(mut tmp, path, _registered) => {
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
            Output::Temp(t, ..) => t.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(s) => s.flush(),
            Output::Direct(f) => f.flush(),
            Output::Temp(t, ..) => t.flush(),
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

/// The temporary files of the outputs being written, removed when the run is ended by
/// SIGINT, SIGTERM or SIGHUP before it could rename them (SIGKILL cannot be caught: such a run
/// leaves its `.sbomrisk-*.tmp` beside the target, and the old file whole).
mod temps {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    static PATHS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    /// A temporary file listed for removal on a signal while this lives.
    pub struct Registered(PathBuf);

    impl Registered {
        pub fn new(path: &Path) -> Registered {
            install();
            paths().push(path.to_path_buf());
            Registered(path.to_path_buf())
        }
    }

    impl Drop for Registered {
        fn drop(&mut self) {
            paths().retain(|p| p != &self.0);
        }
    }

    fn paths() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
        PATHS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts, once, the thread that waits for the signals (only a run writing a file pays
    /// for it).
    #[cfg(unix)]
    fn install() {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("sbomrisk-signals".into())
                .spawn(move || {
                    if let Some(sig) = signals.forever().next() {
                        for p in paths().drain(..) {
                            let _ = std::fs::remove_file(p);
                        }
                        // Ends the process as the signal would have.
                        let _ = signal_hook::low_level::emulate_default_handler(sig);
                        std::process::exit(128 + sig);
                    }
                });
        });
    }

    #[cfg(not(unix))]
    fn install() {}
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
        // Exactly, whatever the umask would take away.
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o666)).unwrap();
        write(Some(&kept), &[], b"new").unwrap();
        let mode = std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o666);
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_written_in_place_and_links_replaced_not_followed() {
        write(Some(Path::new("/dev/null")), &[], b"x").unwrap();
        // The standard output's names are its descriptor, never a path to rename over.
        for name in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            assert!(matches!(
                Output::create(Path::new(name), &[]).unwrap(),
                Output::Stdout(_)
            ));
        }
        assert!(is_descriptor_alias(Path::new("/dev/fd/63")));
        assert!(!is_descriptor_alias(Path::new("/dev/fd/")));
        assert!(!is_descriptor_alias(Path::new("/dev/fd/1x")));
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
