//! Pretty JSON written piece by piece: the reports and `enrich` write a document's frame by
//! hand and each large part (a report, a SARIF result, a component) with `serde_json`, nested
//! at its depth, so no whole-document tree or string is built.
//!
//! Architecture invariant: the text is exactly what `serde_json::to_writer_pretty` gives for
//! the whole document (tested by the writers that use it).

use std::io::Write;

/// Indents pretty JSON `depth` levels deeper (two spaces each): a value nested in a document
/// written piece by piece reads exactly as `serde_json` pretty-prints it in place (JSON strings
/// hold no raw line break, so every line break in the text is the formatter's).
pub struct Indented<'w> {
    out: &'w mut dyn Write,
    pad: &'static [u8],
}

impl<'w> Indented<'w> {
    pub fn new(out: &'w mut dyn Write, depth: usize) -> Indented<'w> {
        const PAD: &[u8] = b"                ";
        Indented {
            out,
            pad: &PAD[..(2 * depth).min(PAD.len())],
        }
    }
}

impl Write for Indented<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = rest.iter().position(|b| *b == b'\n') {
            self.out.write_all(&rest[..=i])?;
            self.out.write_all(self.pad)?;
            rest = &rest[i + 1..];
        }
        self.out.write_all(rest)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
