//! `--format json`: the versioned report (`sbomrisk/report/v2`, JSON Schema in
//! docs/report.schema.json). One file gives one object, several an array in input order; a file
//! that could not be read is `{schema, file, error}`. With a policy, each report has a `policy`
//! object (`file`, `passed`, `violations`).

use super::{Product, ReportError, Writer};
use crate::score::SCHEMA;
use serde_json::Value;

/// Collects the reports; `single` when exactly one file was given (an object, not an array).
#[derive(Debug)]
pub struct JsonWriter {
    single: bool,
    items: Vec<Value>,
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
        self.items.push(value(p)?);
        Ok(())
    }
    fn failure(&mut self, file: &str, error: &str) {
        self.items.push(serde_json::json!({
            "schema": SCHEMA,
            "file": file,
            "error": error,
        }));
    }
    fn finish(mut self: Box<Self>) -> Result<String, ReportError> {
        let doc = if self.single && self.items.len() == 1 {
            self.items.pop().unwrap_or_default()
        } else {
            Value::Array(self.items)
        };
        Ok(serde_json::to_string_pretty(&doc)? + "\n")
    }
}
