//! Progress bars on stderr for anything that can take more than a second (online lookups,
//! many files): count, rate and time left.
//!
//! A bar draws only when stderr is a terminal and `-q/--quiet` was not given, so pipes, CI
//! logs and test output never see one. The quiet switch is process-wide ([`set_quiet`], set
//! once by [`crate::cli::run`]); every command reads it through [`bar`] and [`spinner`].
//!
//! ```no_run
//! let bar = sbomrisk::cli::progress::bar(3, "analyzing");
//! for _file in ["a.json", "b.json", "c.json"] {
//!     // ... work ...
//!     bar.inc(1);
//! }
//! bar.finish_and_clear();
//! ```

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static QUIET: AtomicBool = AtomicBool::new(false);

/// Turns progress output off (`true`) or back on for the rest of the process.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `-q/--quiet` is in force.
pub fn is_quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Whether a bar would be drawn now: not quiet, and stderr is a terminal.
pub fn visible() -> bool {
    !is_quiet() && std::io::stderr().is_terminal()
}

fn target() -> ProgressDrawTarget {
    if visible() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    }
}

/// A bar of `len` steps labelled `message`, e.g. `bar(files.len() as u64, "analyzing")`.
/// Call `inc(1)` per step and `finish_and_clear()` at the end (dropping it leaves the last
/// frame on screen).
pub fn bar(len: u64, message: &str) -> ProgressBar {
    let style =
        ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} ({rate}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            // indicatif's {per_sec} prints four decimals; one is enough.
            .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.1}/s", s.per_sec());
            })
            .progress_chars("=> ");
    let pb = ProgressBar::with_draw_target(Some(len), target()).with_style(style);
    pb.set_message(message.to_string());
    pb
}

/// A spinner with elapsed time, for work whose size is not known up front.
pub fn spinner(message: &str) -> ProgressBar {
    let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let pb = ProgressBar::with_draw_target(None, target()).with_style(style);
    pb.set_message(message.to_string());
    if !pb.is_hidden() {
        pb.enable_steady_tick(Duration::from_millis(120));
    }
    pb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hides_bars_and_still_counts() {
        set_quiet(true);
        let b = bar(5, "testing");
        assert!(b.is_hidden());
        b.inc(2);
        assert_eq!(b.position(), 2);
        assert_eq!(b.length(), Some(5));
        b.finish_and_clear();
        assert!(spinner("x").is_hidden());
        set_quiet(false);
        assert!(!is_quiet());
    }

    #[test]
    fn no_terminal_no_bar() {
        // Test harnesses capture stderr: never a terminal there.
        if !std::io::stderr().is_terminal() {
            assert!(bar(1, "x").is_hidden());
        }
    }
}
