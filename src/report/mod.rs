//! Reports: everything the tool writes for its users, read from the results of the earlier
//! stages (ingest, attribution, score). A report never changes a result; it only renders it.
//!
//! Every output format is a [`Writer`]: it takes one analysed [`Product`] at a time (a batch of
//! SBOMs is several products; a file that could not be read is a [`Writer::failure`]) and
//! returns the whole document at the end. `policy.rs` is the policy gate whose violations every
//! writer shows. The human formats (text, Markdown, HTML) lay out one [`view::View`] per
//! product: the figures they show, formatted once.
//!
//! Architecture invariant: reads the score's `Report` (and, for the HTML graph, the dependency
//! graph); never recomputes a score; knows no command line.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod paths;
pub mod policy;
pub mod portfolio;
pub mod sarif;
pub mod text;
pub mod view;

use crate::score::Report;
use std::io::Write;

pub use paths::CriticalPaths;
pub use policy::{Evaluation, Policy, PolicyError, Violation};

/// One analysed product as the writers see it.
#[derive(Debug, Clone, Copy)]
pub struct Product<'r, 'a> {
    pub report: &'r Report<'a>,
    /// The critical paths of its dependency graph (drawn by the HTML report); `None` when the
    /// caller did not compute them.
    pub paths: Option<&'r CriticalPaths>,
    /// The policy gate's verdict, when a policy was given.
    pub policy: Option<&'r Evaluation>,
}

/// A report failed to serialise (never expected; the types are plain data).
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot serialise the report: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("cannot write the report: {0}")]
    Io(#[from] std::io::Error),
}

impl ReportError {
    /// The reader of the output went away (`| head`): not an error of the run.
    pub fn is_broken_pipe(&self) -> bool {
        let kind = match self {
            ReportError::Io(e) => Some(e.kind()),
            ReportError::Json(e) => e.io_error_kind(),
            ReportError::Csv(e) => match e.kind() {
                ::csv::ErrorKind::Io(e) => Some(e.kind()),
                _ => None,
            },
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    }
}

/// An output format, fed one product at a time, writing to `out` as it goes.
///
/// JSON, CSV, text and Markdown write each product as it arrives and hold nothing between
/// products. HTML and SARIF are one document whose head depends on every product (the title;
/// the rules table), so they keep their own small parts (HTML component tables stop at
/// [`MAX_COMPONENT_ROWS`]; SARIF lists at most a few component names per result) until
/// [`Writer::finish`].
pub trait Writer {
    /// Adds one analysed product.
    fn product(&mut self, out: &mut dyn Write, p: &Product<'_, '_>) -> Result<(), ReportError>;
    /// Records a file that could not be analysed (the error is also printed on stderr; by
    /// default that is all).
    fn failure(
        &mut self,
        _out: &mut dyn Write,
        _file: &str,
        _error: &str,
    ) -> Result<(), ReportError> {
        Ok(())
    }
    /// Ends the document (by default nothing is left to write).
    fn finish(self: Box<Self>, _out: &mut dyn Write) -> Result<(), ReportError> {
        Ok(())
    }
}

/// Runs a writer over `products` into a string (tests and one-page callers).
pub fn render_to_string(
    mut w: Box<dyn Writer>,
    products: &[Product<'_, '_>],
) -> Result<String, ReportError> {
    let mut out = Vec::new();
    for p in products {
        w.product(&mut out, p)?;
    }
    w.finish(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A bidirectional embedding, override or isolate (U+202A-U+202E, U+2066-U+2069) or mark
/// (U+200E, U+200F, U+061C): in a name from an SBOM it would reorder what a reader sees around
/// it ("Trojan Source"), so every format shows it as U+FFFD.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
    )
}

/// What SBOM text must not send to a terminal: a control character (an escape sequence could
/// rewrite the screen, a line break forge a line), a bidirectional control, or a line or
/// paragraph separator (U+2028, U+2029).
pub fn unsafe_on_terminal(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Percent with one decimal of a share in [0, 1].
pub(crate) fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// The components of a report, heaviest first (ties by ref): the per-component tables.
pub(crate) fn by_weight<'r, 'a>(r: &'r Report<'a>) -> Vec<&'r crate::score::ComponentScore<'a>> {
    let mut v: Vec<_> = r.components.iter().collect();
    v.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.bom_ref().cmp(b.bom_ref()))
    });
    v
}

/// The `n` heaviest components of a report, heaviest first (ties by ref), without sorting the
/// rest: the components tables of the human formats.
pub(crate) fn by_weight_top<'r, 'a>(
    r: &'r Report<'a>,
    n: usize,
) -> Vec<&'r crate::score::ComponentScore<'a>> {
    type Row<'r, 'a> = (usize, &'r crate::score::ComponentScore<'a>);
    // The document order breaks the last ties, as the stable sort of `by_weight` does.
    let order = |(i, a): &Row<'_, '_>, (j, b): &Row<'_, '_>| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.bom_ref().cmp(b.bom_ref()))
            .then_with(|| i.cmp(j))
    };
    let mut v: Vec<Row<'r, 'a>> = r.components.iter().enumerate().collect();
    if n == 0 {
        return Vec::new();
    }
    if v.len() > n {
        v.select_nth_unstable_by(n - 1, order);
        v.truncate(n);
    }
    v.sort_unstable_by(order);
    v.into_iter().map(|(_, c)| c).collect()
}

/// At most this many components in the Markdown and HTML component tables.
pub const MAX_COMPONENT_ROWS: usize = 50;

#[cfg(test)]
pub(crate) mod testutil {
    //! Reports of small documents for the writers' tests (embedded data, offline, fixed date).

    use crate::attribution::Attributor;
    use crate::data::Registry;
    use crate::score::ScoringProfile;
    use crate::score::{self, Options, Report};

    /// The fixture with hostile names (markup, quotes, commas, newlines, pipes).
    pub const HOSTILE: &str = include_str!("../../tests/fixtures/hostile-names.cdx.json");
    /// A small router.
    pub const ROUTER: &str = include_str!("../../tests/fixtures/router-mini.cdx.json");

    pub fn registry() -> Registry {
        Registry::embedded().expect("embedded data")
    }

    /// Runs `f` on the report of `doc` for a CN buyer as of 2026-11-25.
    pub fn with_report<T>(doc: &str, f: impl FnOnce(&Report<'_>) -> T) -> T {
        let reg = registry();
        let sbom = crate::ingest::ingest_bytes("fixture.cdx.json", doc.as_bytes()).expect("ingest");
        let g = crate::graph::build(&sbom);
        let at = Attributor::new(&reg);
        let attributions = at.attribute(&sbom);
        let profile = ScoringProfile::of_registry(&reg).unwrap_or_else(|_| {
            ScoringProfile::from_toml(include_str!("../../data/weights/scoring.toml"))
                .expect("profile")
        });
        let opts = Options {
            buyer: "CN".to_string(),
            buyer_class: Default::default(),
            profile: &profile,
            scenarios: Vec::new(),
            as_of: Some("2026-11-25".to_string()),
        };
        let report = score::analyze(&reg, &sbom, &g, &attributions, &opts);
        f(&report)
    }
}
