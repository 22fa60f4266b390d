//! `--format csv`: one row per component, for spreadsheets: the file, ref, name, version, purl,
//! vendor, country, channel, weight, exposure and contribution (its part of political_exposure
//! / 100). Several files share one header. Policy violations and unreadable files go to stderr
//! only: a spreadsheet wants one table.
//!
//! A text field from the SBOM that starts like a spreadsheet formula (`=`, `+`, `-`, `@`, tab,
//! carriage return) gets a leading `'`, so opening the file never runs what an SBOM author wrote
//! (OWASP "CSV injection").

use super::{Product, ReportError, Writer};
use std::borrow::Cow;

/// A text cell that a spreadsheet will not read as a formula, and that shows nothing a
/// terminal would act on: control characters but the line break and bidirectional controls
/// become U+FFFD (CSV
/// goes to standard output by default), and a cell whose first visible character is `=`, `+`,
/// `-` or `@` (or their full-width forms), past blanks and invisible characters, gets a
/// leading `'`.
pub fn cell(s: &str) -> Cow<'_, str> {
    // A line break stays: CSV quotes it, and a spreadsheet shows it inside the cell.
    let unsafe_char = |c: char| c != '\n' && super::unsafe_on_terminal(c);
    let cleaned: Cow<'_, str> = if s.chars().any(unsafe_char) {
        Cow::Owned(
            s.chars()
                .map(|c| if unsafe_char(c) { '\u{fffd}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    };
    let first = cleaned
        .chars()
        .find(|&c| !(c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}' | '\u{fffd}')));
    if matches!(
        first,
        Some('=' | '+' | '-' | '@' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}')
    ) {
        Cow::Owned(format!("'{cleaned}"))
    } else {
        cleaned
    }
}

/// The header row.
pub const HEADER: [&str; 11] = [
    "file",
    "ref",
    "name",
    "version",
    "purl",
    "vendor",
    "country",
    "channel",
    "weight",
    "exposure",
    "contribution",
];

/// Rows in report order (the SBOM's component order).
pub struct CsvWriter {
    /// Whether the header row was written.
    started: bool,
}

impl std::fmt::Debug for CsvWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsvWriter")
    }
}

impl CsvWriter {
    pub fn new() -> Result<CsvWriter, ReportError> {
        Ok(CsvWriter { started: false })
    }

    /// A CSV writer on `out` that has written the header row once per document.
    fn rows<'w>(
        &mut self,
        out: &'w mut dyn std::io::Write,
    ) -> Result<::csv::Writer<&'w mut dyn std::io::Write>, ReportError> {
        let mut w = ::csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        if !std::mem::replace(&mut self.started, true) {
            w.write_record(HEADER)?;
        }
        Ok(w)
    }
}

impl Writer for CsvWriter {
    fn product(
        &mut self,
        out: &mut dyn std::io::Write,
        p: &Product<'_, '_>,
    ) -> Result<(), ReportError> {
        let r = p.report;
        let mut w = self.rows(out)?;
        for c in &r.components {
            w.write_record([
                &*cell(&r.file),
                &cell(c.bom_ref()),
                &cell(c.name()),
                &cell(c.version().unwrap_or("")),
                &cell(c.purl().unwrap_or("")),
                &cell(c.vendor().unwrap_or("")),
                c.country().unwrap_or(""),
                &cell(c.channel().unwrap_or("")),
                &format!("{}", c.weight),
                &format!("{}", c.exposure),
                &format!("{}", c.contribution),
            ])?;
        }
        w.flush()?;
        Ok(())
    }
    fn finish(mut self: Box<Self>, out: &mut dyn std::io::Write) -> Result<(), ReportError> {
        // A run with no product still has its header row.
        self.rows(out)?.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::with_report;

    #[test]
    fn formulas_stay_text() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-1+2"), "'-1+2");
        assert_eq!(cell("openssl"), "openssl");
        // Past blanks and invisible characters, and in full width.
        assert_eq!(cell(" =1"), "' =1");
        assert_eq!(cell("\u{feff}=1"), "'\u{feff}=1");
        assert_eq!(cell("\u{200b}@x"), "'\u{200b}@x");
        assert_eq!(cell("\u{ff1d}1+1"), "'\u{ff1d}1+1");
        assert_eq!(cell("\u{0}=7"), "'\u{fffd}=7");
        assert_eq!(cell("\t=1"), "'\u{fffd}=1");
        // No escape or bidirectional control reaches a terminal.
        assert_eq!(
            cell("lib\u{1b}]0;x\u{7}\u{202e}y\u{9b}"),
            "lib\u{fffd}]0;x\u{fffd}\u{fffd}y\u{fffd}"
        );
        assert!(matches!(cell("1.0"), Cow::Borrowed(_)));
    }

    #[test]
    fn quoting_survives_commas_quotes_and_newlines() {
        with_report(crate::report::testutil::HOSTILE, |r| {
            let mut buf = Vec::new();
            let mut w: Box<dyn Writer> = Box::new(CsvWriter::new().unwrap());
            w.product(
                &mut buf,
                &Product {
                    report: r,
                    paths: None,
                    policy: None,
                },
            )
            .unwrap();
            w.finish(&mut buf).unwrap();
            let out = String::from_utf8(buf).unwrap();
            let mut rd = ::csv::Reader::from_reader(out.as_bytes());
            assert_eq!(rd.headers().unwrap(), &HEADER[..]);
            let rows: Vec<::csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
            assert_eq!(rows.len(), r.components.len());
            let hostile = rows.iter().find(|row| &row[1] == "csv").unwrap();
            assert_eq!(
                &hostile[2],
                "comma, \"quote\"\nnewline | pipe `tick` *star* [link](http://x)"
            );
            assert_eq!(hostile.len(), HEADER.len());
            // The raw text quotes the field and doubles the quotes.
            assert!(out.contains("\"comma, \"\"quote\"\"\nnewline"), "{out}");
        });
    }
}
