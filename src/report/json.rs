//! `--format json`: the versioned report (`sbomrisk/report/v2`, JSON Schema in
//! docs/report.schema.json). One file gives one object, several an array in input order; a file
//! that could not be read is `{schema, file, error}`. With a policy, each report has a `policy`
//! object (`file`, `passed`, `violations`).

use super::{Product, ReportError, Writer};
use crate::score::SCHEMA;
use serde_json::Value;

/// Collects the reports; `single` when exactly one file was given (an object, not an array).
/// Each report is rendered as soon as it arrives and kept as text only: its `Value` tree (several
/// times the size of the text) lives for one product, not for the whole batch.
#[derive(Debug)]
pub struct JsonWriter {
    single: bool,
    items: Vec<String>,
}

impl JsonWriter {
    pub fn new(single: bool) -> JsonWriter {
        JsonWriter {
            single,
            items: Vec::new(),
        }
    }
}

/// One product's report as JSON, with its policy verdict.
pub fn value(p: &Product<'_, '_>) -> Result<Value, ReportError> {
    let mut v = serde_json::to_value(p.report)?;
    if let (Some(ev), Value::Object(map)) = (p.policy, &mut v) {
        map.insert("policy".to_string(), serde_json::to_value(ev)?);
    }
    Ok(v)
}

impl Writer for JsonWriter {
    fn product(&mut self, p: &Product<'_, '_>) -> Result<(), ReportError> {
        self.items.push(serde_json::to_string_pretty(&value(p)?)?);
        Ok(())
    }
    fn failure(&mut self, file: &str, error: &str) {
        let v = serde_json::json!({
            "schema": SCHEMA,
            "file": file,
            "error": error,
        });
        self.items
            .push(serde_json::to_string_pretty(&v).unwrap_or_default());
    }
    fn finish(mut self: Box<Self>) -> Result<String, ReportError> {
        if self.single && self.items.len() == 1 {
            return Ok(self.items.pop().unwrap_or_default() + "\n");
        }
        Ok(pretty_array(std::mem::take(&mut self.items)) + "\n")
    }
}

/// The pretty array of items already rendered pretty: the same text `serde_json` gives for the
/// array of their values (each element indented two more spaces; JSON strings hold no raw line
/// break, so indenting by line is exact).
/// Each item is freed once copied, so the batch is held about once, not twice.
fn pretty_array(items: Vec<String>) -> String {
    if items.is_empty() {
        return "[]".to_string();
    }
    let lines: usize = items
        .iter()
        .map(|i| i.bytes().filter(|b| *b == b'\n').count() + 1)
        .sum();
    let mut out =
        String::with_capacity(items.iter().map(String::len).sum::<usize>() + 2 * lines + 8);
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        for (j, line) in item.split('\n').enumerate() {
            if j > 0 {
                out.push('\n');
            }
            out.push_str("  ");
            out.push_str(line);
        }
    }
    out.push_str("\n]");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_array_is_the_text_serde_json_writes() {
        let values = vec![
            serde_json::json!({"a": [1, 2, {"b": "x\ny"}], "c": {}, "d": []}),
            serde_json::json!({"e": null}),
            serde_json::json!("s"),
        ];
        let items: Vec<String> = values
            .iter()
            .map(|v| serde_json::to_string_pretty(v).unwrap())
            .collect();
        assert_eq!(
            pretty_array(items),
            serde_json::to_string_pretty(&Value::Array(values)).unwrap()
        );
        assert_eq!(
            pretty_array(Vec::new()),
            serde_json::to_string_pretty(&Value::Array(vec![])).unwrap()
        );
    }
}
