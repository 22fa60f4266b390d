//! The one error type of ingest: always names the file and, where known, where in it.

use std::fmt;

/// What went wrong, for callers that branch on it (the corpus check, tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestErrorKind {
    /// The file could not be opened or read.
    Io,
    /// Zero bytes, or only whitespace.
    Empty,
    /// Larger than the limit (or a compressed file that expands beyond it).
    TooLarge,
    /// Not valid JSON / XML / YAML / tag-value where it mattered.
    Syntax,
    /// Well-formed, but not a CycloneDX or SPDX document.
    NotAnSbom,
    /// A construct refused for safety (DTDs, external entities) or a format this build cannot read.
    Unsupported,
}

/// An ingest failure: `path:location: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    pub kind: IngestErrorKind,
    pub path: String,
    /// `line L, column C`, a JSON path, or an element name.
    pub location: Option<String>,
    pub message: String,
}

impl IngestError {
    pub fn new(kind: IngestErrorKind, path: &str, message: impl Into<String>) -> IngestError {
        IngestError {
            kind,
            path: path.to_string(),
            location: None,
            message: message.into(),
        }
    }

    pub fn syntax(path: &str, location: Option<String>, message: impl Into<String>) -> IngestError {
        IngestError {
            kind: IngestErrorKind::Syntax,
            path: path.to_string(),
            location,
            message: message.into(),
        }
    }

    pub fn not_an_sbom(path: &str, message: impl Into<String>) -> IngestError {
        IngestError::new(IngestErrorKind::NotAnSbom, path, message)
    }

    pub fn unsupported(path: &str, message: impl Into<String>) -> IngestError {
        IngestError::new(IngestErrorKind::Unsupported, path, message)
    }

    pub fn at(mut self, location: impl Into<String>) -> IngestError {
        self.location = Some(location.into());
        self
    }

    /// Converts a serde_json error, keeping its line and column and stripping serde's own
    /// "at line L column C" suffix so the location is printed once.
    pub fn from_json(path: &str, err: &serde_json::Error) -> IngestError {
        let msg = err.to_string();
        let msg = match msg.rfind(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        let location =
            (err.line() > 0).then(|| format!("line {}, column {}", err.line(), err.column()));
        let kind = if err.is_eof() && err.line() <= 1 && err.column() == 0 {
            IngestErrorKind::Empty
        } else {
            IngestErrorKind::Syntax
        };
        IngestError {
            kind,
            path: path.to_string(),
            location,
            message: msg,
        }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{}: {}: {}", self.path, loc, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for IngestError {}

/// Line and column (1-based) of a byte offset in `text`, for parsers that track offsets.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = match before.iter().rposition(|&b| b == b'\n') {
        Some(nl) => offset - nl,
        None => offset + 1,
    };
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_keeps_position_once() {
        let err = serde_json::from_str::<serde_json::Value>("{\n  \"a\": ,\n}").unwrap_err();
        let e = IngestError::from_json("x.json", &err);
        assert_eq!(e.location.as_deref(), Some("line 2, column 8"));
        assert!(!e.message.contains("at line"), "{}", e.message);
        assert!(e.to_string().starts_with("x.json: line 2, column 8: "));
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
