//! Diagnostics as data: every warning has a stable code a user can look up, filter and count.

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is. Ingest never fails on a warning; errors are returned as `Err`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
}

/// The stable codes of ingest diagnostics. Codes never change meaning; new ones are appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum DiagnosticCode {
    /// I001: a relation names an element the document does not define.
    #[serde(rename = "I001")]
    DanglingReference,
    /// I002: two elements share one id; the first keeps the id.
    #[serde(rename = "I002")]
    DuplicateId,
    /// I003: the dependency graph has a cycle.
    #[serde(rename = "I003")]
    Cycle,
    /// I004: components that cannot be reached from the product root.
    #[serde(rename = "I004")]
    Unreachable,
    /// I005: the document has no relations; root edges were inferred.
    #[serde(rename = "I005")]
    InferredRootEdges,
    /// I006: a relation type outside the specification, kept as `other` or mapped by name.
    #[serde(rename = "I006")]
    NonStandardRelation,
    /// I007: a component type outside the specification.
    #[serde(rename = "I007")]
    UnknownComponentType,
    /// I008: the document names no product; a synthetic root was added.
    #[serde(rename = "I008")]
    NoRoot,
    /// I009: the text encoding was repaired (UTF-16, byte-order mark, invalid UTF-8).
    #[serde(rename = "I009")]
    EncodingRepaired,
    /// I010: content after the end of the document was ignored.
    #[serde(rename = "I010")]
    TrailingContent,
    /// I011: a required field is missing or empty (a component without a name).
    #[serde(rename = "I011")]
    MissingField,
    /// I012: the spec version is missing or not one this tool knows; read leniently.
    #[serde(rename = "I012")]
    UnknownSpecVersion,
    /// I013: a value could not be read and was skipped (a malformed entry, line or property).
    #[serde(rename = "I013")]
    SkippedValue,
}

impl DiagnosticCode {
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::DanglingReference => "I001",
            DiagnosticCode::DuplicateId => "I002",
            DiagnosticCode::Cycle => "I003",
            DiagnosticCode::Unreachable => "I004",
            DiagnosticCode::InferredRootEdges => "I005",
            DiagnosticCode::NonStandardRelation => "I006",
            DiagnosticCode::UnknownComponentType => "I007",
            DiagnosticCode::NoRoot => "I008",
            DiagnosticCode::EncodingRepaired => "I009",
            DiagnosticCode::TrailingContent => "I010",
            DiagnosticCode::MissingField => "I011",
            DiagnosticCode::UnknownSpecVersion => "I012",
            DiagnosticCode::SkippedValue => "I013",
        }
    }

    /// A short human name for the code, as printed in summaries.
    pub fn title(self) -> &'static str {
        match self {
            DiagnosticCode::DanglingReference => "dangling reference",
            DiagnosticCode::DuplicateId => "duplicate id",
            DiagnosticCode::Cycle => "dependency cycle",
            DiagnosticCode::Unreachable => "unreachable from root",
            DiagnosticCode::InferredRootEdges => "root edges inferred",
            DiagnosticCode::NonStandardRelation => "non-standard relation type",
            DiagnosticCode::UnknownComponentType => "unknown component type",
            DiagnosticCode::NoRoot => "no product root",
            DiagnosticCode::EncodingRepaired => "encoding repaired",
            DiagnosticCode::TrailingContent => "trailing content ignored",
            DiagnosticCode::MissingField => "missing field",
            DiagnosticCode::UnknownSpecVersion => "unknown spec version",
            DiagnosticCode::SkippedValue => "value skipped",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            DiagnosticCode::InferredRootEdges | DiagnosticCode::EncodingRepaired => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

impl fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One diagnostic: a code, a message and, where known, where in the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: DiagnosticCode,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl Diagnostic {
    pub fn new(code: DiagnosticCode, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            location: None,
        }
    }

    pub fn at(mut self, location: impl Into<String>) -> Diagnostic {
        self.location = Some(location.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.message)?;
        if let Some(loc) = &self.location {
            write!(f, " (at {loc})")?;
        }
        Ok(())
    }
}
