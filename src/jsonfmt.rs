//! Pretty JSON written piece by piece: the reports and `enrich` write a document's frame by
//! hand and each large part (a report, a SARIF result, a component) with `serde_json`, nested
//! at its depth, so no whole-document tree or string is built.
//!
//! Architecture invariant: the text is exactly what `serde_json::to_writer_pretty` gives for
//! the whole document (a proptest compares them here; the writers that use it test their own
//! documents).

use serde::Serialize;
use std::io::Write;

/// A line break and the indentation of the deepest levels written in one piece.
const BREAK: &[u8] = b"\n                                                                ";

/// serde_json's pretty formatter (two-space indent), starting `depth` levels deep, that writes
/// each line break with its indentation in one call: the same bytes as
/// `serde_json::ser::PrettyFormatter`, in a third of the writes.
pub struct Pretty {
    indent: usize,
    has_value: bool,
}

impl Pretty {
    pub fn at(depth: usize) -> Pretty {
        Pretty {
            indent: depth,
            has_value: false,
        }
    }

    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> std::io::Result<()> {
        let n = 1 + 2 * self.indent;
        if n <= BREAK.len() {
            return w.write_all(&BREAK[..n]);
        }
        w.write_all(BREAK)?;
        for _ in BREAK.len()..n {
            w.write_all(b" ")?;
        }
        Ok(())
    }
}

impl Pretty {
    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`: on its own line at the outer level, unless the container was empty.
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.indent -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(bracket)
    }

    /// Before an element or a key: a comma after the first, then a new line.
    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` as pretty JSON nested `depth` levels deep: its first line where the output
/// stands, every later line indented as if the value sat at that depth of a larger document.
pub fn write_pretty<W: ?Sized + Write, T: ?Sized + Serialize>(
    out: &mut W,
    depth: usize,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, Pretty::at(depth));
    value.serialize(&mut ser)
}

#[cfg(test)]
mod tests {
    use super::write_pretty;
    use proptest::prelude::*;
    use serde_json::Value;

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "(?s).{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec(("[a-z\"\\\\\n]{0,6}", inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn same_text_as_serde_json_pretty_at_every_depth(v in value(), depth in 0usize..40) {
            let mut ours = Vec::new();
            write_pretty(&mut ours, depth, &v).unwrap();
            // serde_json's own, with every line after the first indented `depth` levels.
            let theirs = serde_json::to_string_pretty(&v)
                .unwrap()
                .replace('\n', &format!("\n{}", "  ".repeat(depth)));
            prop_assert_eq!(String::from_utf8(ours).unwrap(), theirs);
        }
    }
}
