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
    /// Most components one document may list (`--max-components`).
    pub max_components: u64,
}

/// The default of `--max-components`.
pub const MAX_COMPONENTS: u64 = 5_000_000;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            // 1 GiB: a 1,000,000-component CycloneDX JSON is about 410 MB.
            max_bytes: 1 << 30,
            max_gzip_ratio: 200,
            max_components: MAX_COMPONENTS,
        }
    }
}

/// How many bytes are read first to recognise data that is no SBOM before reading the rest.
const SNIFF: usize = 64 * 1024;

/// Whether the first bytes are binary data that no SBOM encoding produces: a NUL byte outside
/// the pattern of UTF-16 text, in data that is not gzip.
fn binary_head(head: &[u8]) -> bool {
    if head.starts_with(&[0x1f, 0x8b])
        || head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
    {
        return false;
    }
    // UTF-16 without a byte-order mark: zeros on one parity only.
    let zeros_even = head.iter().step_by(2).filter(|b| **b == 0).count();
    let zeros_odd = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let utf16ish = (zeros_even == 0) != (zeros_odd == 0);
    !utf16ish && (zeros_even + zeros_odd) > 0
}

/// Reads at most `max + 1` bytes of `r`, refusing binary data after the first [`SNIFF`] bytes
/// (so a device, a FIFO or a 2 GB file of zeros costs 64 KiB, not its size).
fn read_bounded(mut r: impl Read, shown: &str, max: u64) -> Result<Vec<u8>, IngestError> {
    let io_err = |e: std::io::Error| {
        IngestError::new(IngestErrorKind::Io, shown, format!("cannot read: {e}"))
    };
    let mut buf = Vec::new();
    (&mut r)
        .take((SNIFF as u64).min(max + 1))
        .read_to_end(&mut buf)
        .map_err(io_err)?;
    if binary_head(&buf) {
        return Err(IngestError::not_an_sbom(
            shown,
            "binary data, not an SBOM document",
        ));
    }
    if buf.len() == SNIFF {
        r.take(max + 1 - SNIFF as u64)
            .read_to_end(&mut buf)
            .map_err(io_err)?;
    }
    Ok(buf)
}

/// Reads `path` (or stdin for `-`) and gunzips it when it starts with the gzip magic bytes.
pub fn read_input(path: &Path, limits: &Limits) -> Result<Vec<u8>, IngestError> {
    let shown = path.display().to_string();
    let io_err = |e: std::io::Error| {
        IngestError::new(IngestErrorKind::Io, &shown, format!("cannot read: {e}"))
    };
    let raw = if path.as_os_str() == "-" {
        read_bounded(std::io::stdin().lock(), &shown, limits.max_bytes)?
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
        // The size a file reports is not a bound: devices and FIFOs report 0.
        let f = std::fs::File::open(path).map_err(io_err)?;
        read_bounded(f, &shown, limits.max_bytes)?
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
                    "gzip data expands beyond {cap} bytes (the larger of {}x the compressed size and 64 MiB); refused as a decompression bomb",
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
    fn reads_are_bounded_whatever_the_source_reports() {
        // An endless source of zeros (as /dev/zero, whose size reads 0) costs the sniff only.
        let e = read_bounded(std::io::repeat(0), "zeros", 1 << 30).unwrap_err();
        assert!(e.to_string().contains("binary data"), "{e}");
        // An endless source of text stops one byte past the limit.
        let buf = read_bounded(std::io::repeat(b'x'), "text", 100_000).unwrap();
        assert_eq!(buf.len(), 100_001);
        // UTF-16 text without a byte-order mark is not binary.
        let utf16: Vec<u8> = "{\"bomFormat\": 1}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(!binary_head(&utf16));
        assert!(binary_head(b"PK\x03\x04\x00\x00"));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_without_reading_it_whole() {
        let e = read_input(Path::new("/dev/zero"), &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("binary data"), "{e}");
        let e = read_input(Path::new("/dev/urandom"), &Limits::default()).unwrap_err();
        assert!(!e.to_string().is_empty());
    }

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
            ..Limits::default()
        };
        let err = read_input(&path, &tight).unwrap_err();
        assert_eq!(err.kind, IngestErrorKind::TooLarge);
        std::fs::remove_dir_all(&dir).ok();
    }
}
