//! `--format json`: the versioned report (`sbomrisk/report/v2`, JSON Schema in
//! docs/report.schema.json). One file gives one object, several an array in input order; a file
//! that could not be read is `{schema, file, error}`. With a policy, each report has a `policy`
//! object (`file`, `passed`, `violations`).
//!
//! Streamed: each report is serialised straight from the score's `Report` into the output as it
//! arrives (no `Value` tree, no whole-document string), so writing costs no memory beyond the
//! report itself. Keys come in the schema's order (the order of the types' fields).

use super::{Product, ReportError, Writer};
use crate::report::Evaluation;
use crate::score::{Report, SCHEMA};
use serde::Serialize;
use std::io::Write;

/// Streams the reports; `single` when exactly one file was given (an object, not an array).
#[derive(Debug)]
pub struct JsonWriter {
    single: bool,
    count: usize,
}

impl JsonWriter {
    pub fn new(single: bool) -> JsonWriter {
        JsonWriter { single, count: 0 }
    }

    /// Writes one item: bare when single, else as the next element of the array.
    ///
    /// Through a buffer of its own type: serde_json writes a report in pieces of a few bytes
    /// (a quote, a colon, an indentation), and each would otherwise be a call through `dyn
    /// Write`.
    fn item(&mut self, out: &mut dyn Write, v: &impl Serialize) -> Result<(), ReportError> {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        if self.single && self.count == 0 {
            crate::jsonfmt::write_pretty(&mut out, 0, v)?;
        } else {
            out.write_all(if self.count == 0 { b"[\n  " } else { b",\n  " })?;
            crate::jsonfmt::write_pretty(&mut out, 1, v)?;
        }
        out.flush()?;
        self.count += 1;
        Ok(())
    }
}

/// One product's report as JSON, with its policy verdict (the keys of the report, then
/// `policy`).
#[derive(Serialize)]
pub struct Item<'r, 'a> {
    #[serde(flatten)]
    report: &'r Report<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'r Evaluation>,
}

impl<'r, 'a> Item<'r, 'a> {
    pub fn of(p: &Product<'r, 'a>) -> Item<'r, 'a> {
        Item {
            report: p.report,
            policy: p.policy,
        }
    }
}

/// A file that could not be read.
#[derive(Serialize)]
struct Failure<'s> {
    schema: &'static str,
    file: &'s str,
    error: &'s str,
}

impl Writer for JsonWriter {
    fn product(&mut self, out: &mut dyn Write, p: &Product<'_, '_>) -> Result<(), ReportError> {
        self.item(out, &Item::of(p))
    }
    fn failure(&mut self, out: &mut dyn Write, file: &str, error: &str) -> Result<(), ReportError> {
        let f = Failure {
            schema: SCHEMA,
            file,
            error,
        };
        self.item(out, &f)
    }
    fn finish(self: Box<Self>, out: &mut dyn Write) -> Result<(), ReportError> {
        out.write_all(match (self.single, self.count) {
            (true, 1) => b"\n",
            (_, 0) => b"[]\n",
            _ => b"\n]\n",
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Writes `values` as the items of a writer.
    fn streamed(single: bool, values: &[Value]) -> String {
        let mut out = Vec::new();
        let mut w = Box::new(JsonWriter::new(single));
        for v in values {
            w.item(&mut out, v).unwrap();
        }
        w.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_array_is_exactly_what_serde_json_writes() {
        let values = vec![
            serde_json::json!({"a": [1, 2, {"b": "x\ny"}], "c": {}, "d": []}),
            serde_json::json!({"e": null}),
            serde_json::json!("s"),
        ];
        assert_eq!(
            streamed(false, &values),
            serde_json::to_string_pretty(&Value::Array(values.clone())).unwrap() + "\n"
        );
        assert_eq!(
            streamed(false, &[]),
            serde_json::to_string_pretty(&Value::Array(vec![])).unwrap() + "\n"
        );
        assert_eq!(
            streamed(true, &values[..1]),
            serde_json::to_string_pretty(&values[0]).unwrap() + "\n"
        );
    }

    /// A sink that takes `room` bytes and then fails.
    struct Full {
        room: usize,
        got: Vec<u8>,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.room == 0 {
                return Err(std::io::Error::other("disk full"));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            self.got.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn an_item_reaches_the_output_whole_or_its_write_error_is_returned() {
        // Larger than the item's buffer, so it is written while serialising and at the end.
        let big = serde_json::json!({ "a": "x".repeat(200_000), "b": [1, 2, 3] });
        let mut w = JsonWriter::new(true);
        let mut all = Full {
            room: usize::MAX,
            got: Vec::new(),
        };
        w.item(&mut all, &big).unwrap();
        assert_eq!(all.got, serde_json::to_vec_pretty(&big).unwrap());
        for room in [0, 10, 70_000] {
            let mut w = JsonWriter::new(true);
            let mut full = Full {
                room,
                got: Vec::new(),
            };
            let err = w.item(&mut full, &big).unwrap_err();
            assert!(err.to_string().contains("disk full"), "{room}: {err}");
        }
    }

    #[test]
    fn a_report_streams_as_its_value_and_policy_comes_last() {
        crate::report::testutil::with_report(crate::report::testutil::ROUTER, |r| {
            let p = Product {
                report: r,
                paths: None,
                policy: None,
            };
            let mut out = Vec::new();
            let mut w = Box::new(JsonWriter::new(true));
            w.product(&mut out, &p).unwrap();
            w.finish(&mut out).unwrap();
            let streamed: Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(streamed, serde_json::to_value(r).unwrap());
            // Keys in the schema's order: `schema` first.
            assert!(String::from_utf8_lossy(&out).starts_with("{\n  \"schema\""));
        });
    }
}
