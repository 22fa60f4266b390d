//! Getting text out of a file: stdin, gzip, size limits, encodings.

use super::{encoding_note, IngestError, IngestErrorKind};
use crate::model::Diagnostic;
use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

/// Bounds on what one input may cost. A gzip file may not expand beyond
/// `max(max_ratio * compressed, 64 MiB)` nor beyond `max_bytes`.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_gzip_ratio: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: 4 << 30,
            max_gzip_ratio: 200,
        }
    }
}

/// Reads `path` (or stdin for `-`) and gunzips it when it starts with the gzip magic bytes.
pub fn read_input(path: &Path, limits: &Limits) -> Result<Vec<u8>, IngestError> {
    let shown = path.display().to_string();
    let io_err = |e: std::io::Error| {
        IngestError::new(IngestErrorKind::Io, &shown, format!("cannot read: {e}"))
    };
    let raw = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(limits.max_bytes + 1)
            .read_to_end(&mut buf)
            .map_err(io_err)?;
        buf
    } else {
        let meta = std::fs::metadata(path).map_err(io_err)?;
        if meta.is_dir() {
            return Err(IngestError::new(
                IngestErrorKind::Io,
                &shown,
                "is a directory",
            ));
        }
        if meta.len() > limits.max_bytes {
            return Err(too_large(&shown, limits.max_bytes));
        }
        std::fs::read(path).map_err(io_err)?
    };
    if raw.len() as u64 > limits.max_bytes {
        return Err(too_large(&shown, limits.max_bytes));
    }
    if raw.starts_with(&[0x1f, 0x8b]) {
        let cap = (raw.len() as u64)
            .saturating_mul(limits.max_gzip_ratio)
            .max(64 << 20)
            .min(limits.max_bytes);
        let mut out = Vec::with_capacity(raw.len().saturating_mul(8).min(cap as usize));
        flate2::read::MultiGzDecoder::new(&raw[..])
            .take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|e| IngestError::syntax(&shown, None, format!("corrupt gzip data: {e}")))?;
        if out.len() as u64 > cap {
            return Err(IngestError::new(
                IngestErrorKind::TooLarge,
                &shown,
                format!(
                    "gzip data expands beyond {cap} bytes ({}x the compressed size); refused as a decompression bomb",
                    limits.max_gzip_ratio
                ),
            ));
        }
        return Ok(out);
    }
    Ok(raw)
}

fn too_large(path: &str, max: u64) -> IngestError {
    IngestError::new(
        IngestErrorKind::TooLarge,
        path,
        format!("larger than the {max}-byte input limit"),
    )
}

/// Turns bytes into UTF-8 text: strips a UTF-8 byte-order mark, decodes UTF-16 (with a BOM, or
/// detected from zero bytes), and replaces invalid UTF-8 sequences. Every repair is noted.
pub fn decode_text<'a>(
    path: &str,
    bytes: &'a [u8],
) -> Result<(Cow<'a, str>, Vec<Diagnostic>), IngestError> {
    let mut notes = Vec::new();
    let text: Cow<'a, str> = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        notes.push(encoding_note("UTF-8 byte-order mark skipped"));
        utf8_lossy(rest, &mut notes)
    } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        notes.push(encoding_note(format!(
            "decoded from UTF-16{} with byte-order mark",
            if le { "LE" } else { "BE" }
        )));
        decode_utf16(&bytes[2..], le)
    } else if bytes.len() >= 4 && bytes[0] != 0 && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0 {
        notes.push(encoding_note(
            "decoded from UTF-16LE without byte-order mark",
        ));
        decode_utf16(bytes, true)
    } else if bytes.len() >= 4 && bytes[0] == 0 && bytes[1] != 0 && bytes[2] == 0 && bytes[3] != 0 {
        notes.push(encoding_note(
            "decoded from UTF-16BE without byte-order mark",
        ));
        decode_utf16(bytes, false)
    } else {
        utf8_lossy(bytes, &mut notes)
    };
    if text.trim().is_empty() {
        return Err(IngestError::new(
            IngestErrorKind::Empty,
            path,
            if bytes.is_empty() {
                "empty file".to_string()
            } else {
                "file holds only whitespace".to_string()
            },
        ));
    }
    Ok((text, notes))
}

fn utf8_lossy<'a>(bytes: &'a [u8], notes: &mut Vec<Diagnostic>) -> Cow<'a, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(e) => {
            notes.push(encoding_note(format!(
                "invalid UTF-8 from byte {} replaced with U+FFFD",
                e.valid_up_to()
            )));
            Cow::Owned(String::from_utf8_lossy(bytes).into_owned())
        }
    }
}

fn decode_utf16(bytes: &[u8], little_endian: bool) -> Cow<'static, str> {
    let encoding = if little_endian {
        encoding_rs::UTF_16LE
    } else {
        encoding_rs::UTF_16BE
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Cow::Owned(text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn utf16_with_bom_is_decoded_and_noted() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "{\"bomFormat\":\"CycloneDX\"}".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (text, notes) = decode_text("f", &bytes).unwrap();
        assert_eq!(text, "{\"bomFormat\":\"CycloneDX\"}");
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.contains("UTF-16LE"));
    }

    #[test]
    fn empty_and_blank_files_are_errors() {
        assert_eq!(
            decode_text("f", b"").unwrap_err().kind,
            IngestErrorKind::Empty
        );
        assert_eq!(
            decode_text("f", b" \n\t").unwrap_err().kind,
            IngestErrorKind::Empty
        );
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        let (text, notes) = decode_text("f", b"{\"a\":\"\xff\"}").unwrap();
        assert!(text.contains('\u{FFFD}'));
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn gzip_is_read_transparently_and_bombs_refused() {
        let dir = std::env::temp_dir().join(format!("sbomrisk-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.json.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&vec![b' '; 2 << 20]).unwrap();
        std::fs::write(&path, enc.finish().unwrap()).unwrap();
        let ok = read_input(&path, &Limits::default()).unwrap();
        assert_eq!(ok.len(), 2 << 20);
        let tight = Limits {
            max_bytes: 1 << 20,
            max_gzip_ratio: 10,
        };
        let err = read_input(&path, &tight).unwrap_err();
        assert_eq!(err.kind, IngestErrorKind::TooLarge);
        std::fs::remove_dir_all(&dir).ok();
    }
}
