//! Finding the SBOMs of a portfolio: directories searched recursively and recognised by
//! content (not by name), manifest files listing SBOM paths with product names and tags, and
//! plain SBOM files.
//!
//! Every input gets its position (`seq`) in the whole list, which is sorted and stable: the
//! same paths give the same list on every machine, so shards of it can be merged back into
//! exactly the report of one run.

use super::detect;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One SBOM to analyse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Position in the whole input list (before sharding).
    pub seq: usize,
    pub path: PathBuf,
    /// The path as shown in reports (`/`-separated, as found).
    pub shown: String,
    /// The product name from a manifest.
    pub product: Option<String>,
    /// Tags from a manifest.
    pub tags: Vec<String>,
}

/// A path that could not be taken as an input (a manifest line naming a missing file, an
/// unreadable directory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub error: String,
}

/// What [`discover`] found.
#[derive(Debug, Default)]
pub struct Found {
    pub inputs: Vec<Input>,
    pub errors: Vec<InputError>,
    /// Files under the directories that are not SBOMs (by content).
    pub skipped: usize,
    /// Their paths, in the order found.
    pub skipped_files: Vec<String>,
}

/// How many bytes of a file are read to recognise an SBOM.
const SNIFF: usize = 64 * 1024;

/// Whether the file at `path` looks like an SBOM from its first bytes (gzip is taken on trust:
/// ingest reads it and says if it is not one).
pub fn looks_like_sbom(path: &Path) -> std::io::Result<bool> {
    let mut head = Vec::with_capacity(SNIFF);
    std::fs::File::open(path)?
        .take(SNIFF as u64)
        .read_to_end(&mut head)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        return Ok(true);
    }
    // Decoded as ingest decodes (UTF-16 with or without byte-order mark, UTF-8 with one), so
    // the walk takes every file `analyze` reads.
    let shown = path.display().to_string();
    let Ok((text, _)) = super::decode_text(&shown, &head) else {
        return Ok(false);
    };
    let text = text.trim_start_matches('\u{feff}');
    let trimmed = text.trim_start();
    if trimmed.starts_with("SPDXVersion:") || trimmed.starts_with('#') {
        return Ok(trimmed.contains("SPDXVersion:"));
    }
    if trimmed.starts_with("spdxVersion:") || trimmed.contains("\nspdxVersion:") {
        return Ok(true);
    }
    Ok(detect(&shown, text).is_ok())
}

/// Finds the inputs of `paths`: directories (recursively, by content, sorted), manifests (any
/// file that is not an SBOM: one `path [TAB product [TAB tag,tag]]` per line, `#` comments,
/// paths relative to the manifest) and SBOM files. Duplicates (the same path twice) are kept
/// once.
pub fn discover(paths: &[PathBuf]) -> Found {
    let mut found = Found::default();
    let mut raw: Vec<(PathBuf, Option<String>, Vec<String>)> = Vec::new();
    for p in paths {
        let shown = p.display().to_string();
        match std::fs::metadata(p) {
            Err(e) => found.errors.push(InputError {
                path: shown,
                error: format!("cannot read: {e}"),
            }),
            Ok(m) if m.is_dir() => walk(p, &mut raw, &mut found),
            // A FIFO, a device or a shell's `<(cmd)` can be read once only: it is taken as one
            // SBOM, not sniffed first (which would consume it, or wait on an empty FIFO).
            Ok(m) if !m.is_file() => raw.push((p.clone(), None, Vec::new())),
            Ok(_) => match looks_like_sbom(p) {
                Ok(true) => raw.push((p.clone(), None, Vec::new())),
                Ok(false) => manifest(p, &mut raw, &mut found),
                Err(e) => found.errors.push(InputError {
                    path: shown,
                    error: format!("cannot read: {e}"),
                }),
            },
        }
    }
    raw.sort_by(|a, b| a.0.cmp(&b.0));
    raw.dedup_by(|a, b| a.0 == b.0);
    found.inputs = raw
        .into_iter()
        .enumerate()
        .map(|(seq, (path, product, tags))| Input {
            seq,
            shown: shown(&path),
            path,
            product,
            tags,
        })
        .collect();
    found
}

fn shown(path: &Path) -> String {
    let s = path.display().to_string();
    if std::path::MAIN_SEPARATOR == '/' {
        s
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Every SBOM under `dir`, iteratively (no recursion on deep trees); hidden entries (`.git`)
/// are skipped, symbolic links are not followed.
fn walk(dir: &Path, raw: &mut Vec<(PathBuf, Option<String>, Vec<String>)>, found: &mut Found) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                found.errors.push(InputError {
                    path: shown(&d),
                    error: format!("cannot read directory: {e}"),
                });
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(t) if t.is_file() => match looks_like_sbom(&path) {
                    Ok(true) => raw.push((path, None, Vec::new())),
                    Ok(false) => {
                        found.skipped += 1;
                        found.skipped_files.push(shown(&path));
                    }
                    Err(e) => found.errors.push(InputError {
                        path: shown(&path),
                        error: format!("cannot read: {e}"),
                    }),
                },
                _ => {}
            }
        }
    }
}

/// The lines of a manifest.
fn manifest(file: &Path, raw: &mut Vec<(PathBuf, Option<String>, Vec<String>)>, found: &mut Found) {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            found.errors.push(InputError {
                path: shown(file),
                error: format!("neither an SBOM nor a readable manifest: {e}"),
            });
            return;
        }
    };
    let base = file.parent().unwrap_or(Path::new("."));
    for m in parse_manifest(&text) {
        let path = if Path::new(&m.path).is_absolute() {
            PathBuf::from(&m.path)
        } else {
            base.join(&m.path)
        };
        if path.is_file() {
            raw.push((path, m.product, m.tags));
        } else {
            found.errors.push(InputError {
                path: shown(&path),
                error: format!(
                    "{}: line {}: no such SBOM file (is {} a manifest?)",
                    shown(file),
                    m.line,
                    shown(file)
                ),
            });
        }
    }
}

/// One line of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestLine {
    /// 1-based line number.
    pub line: usize,
    pub path: String,
    pub product: Option<String>,
    pub tags: Vec<String>,
}

/// Reads a manifest: one `path [TAB product [TAB tag,tag]]` per line; blank lines and `#`
/// comments are skipped; cells are trimmed; empty product and tags are absent.
pub fn parse_manifest(text: &str) -> Vec<ManifestLine> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let path = cols.next().unwrap_or("").trim().to_string();
        let product = cols
            .next()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let tags: Vec<String> = cols
            .next()
            .map(|t| {
                t.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        out.push(ManifestLine {
            line: i + 1,
            path,
            product,
            tags,
        });
    }
    out
}

/// The shard (1-based `k` of `n`) an input belongs to: a stable hash (FNV-1a, 64-bit) of its
/// shown path, so shards do not depend on the machine, the order of arguments or the number of
/// threads.
pub fn shard_of(shown: &str, n: usize) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in shown.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h % n.max(1) as u64) as usize + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("sbomrisk-discover-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    const CDX: &str = r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[]}"#;

    #[test]
    fn directories_are_searched_by_content_and_sorted() {
        let d = tmp("dir");
        std::fs::create_dir_all(d.join("b/deep")).unwrap();
        std::fs::write(d.join("b/deep/x.json"), CDX).unwrap();
        std::fs::write(d.join("a.txt"), CDX).unwrap(); // an SBOM with a misleading name
        std::fs::write(d.join("notes.json"), r#"{"hello": 1}"#).unwrap();
        std::fs::write(
            d.join("c.spdx"),
            "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n",
        )
        .unwrap();
        std::fs::create_dir_all(d.join(".git")).unwrap();
        std::fs::write(d.join(".git/x.json"), CDX).unwrap();
        let f = discover(std::slice::from_ref(&d));
        let names: Vec<String> = f
            .inputs
            .iter()
            .map(|i| i.path.strip_prefix(&d).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.txt", "b/deep/x.json", "c.spdx"]);
        assert_eq!(
            f.inputs.iter().map(|i| i.seq).collect::<Vec<_>>(),
            [0, 1, 2]
        );
        assert_eq!(f.skipped, 1);
        assert!(f.errors.is_empty());
    }

    #[test]
    fn manifests_name_products_and_tags() {
        let d = tmp("manifest");
        std::fs::write(d.join("r.json"), CDX).unwrap();
        std::fs::write(
            d.join("list.tsv"),
            "# products\nr.json\tHome router\tedge, wifi\nmissing.json\tGone\n",
        )
        .unwrap();
        let f = discover(&[d.join("list.tsv")]);
        assert_eq!(f.inputs.len(), 1);
        assert_eq!(f.inputs[0].product.as_deref(), Some("Home router"));
        assert_eq!(f.inputs[0].tags, ["edge", "wifi"]);
        assert_eq!(f.errors.len(), 1);
        assert!(f.errors[0].error.contains("line 3"), "{:?}", f.errors);
    }

    proptest::proptest! {
        /// Writing manifest lines and reading them back gives the same lines.
        #[test]
        fn manifests_round_trip(
            rows in proptest::collection::vec((
                "[a-zA-Z0-9_./-]{1,20}",
                proptest::option::of("[a-zA-Z0-9 ()|<>]{0,12}[a-zA-Z0-9]"),
                proptest::collection::vec("[a-z0-9-]{1,8}", 0..4),
            ), 0..20)
        ) {
            let mut text = String::from("# manifest\n\n");
            for (path, product, tags) in &rows {
                text.push_str(path);
                if product.is_some() || !tags.is_empty() {
                    text.push('\t');
                    text.push_str(product.as_deref().unwrap_or(""));
                }
                if !tags.is_empty() {
                    text.push('\t');
                    text.push_str(&tags.join(","));
                }
                text.push_str("\r\n");
            }
            let back = parse_manifest(&text);
            proptest::prop_assert_eq!(back.len(), rows.len());
            for (i, (m, (path, product, tags))) in back.iter().zip(&rows).enumerate() {
                proptest::prop_assert_eq!(m.line, i + 3);
                proptest::prop_assert_eq!(&m.path, path);
                proptest::prop_assert_eq!(m.product.as_deref(), product.as_deref().map(str::trim).filter(|p| !p.is_empty()));
                proptest::prop_assert_eq!(&m.tags, tags);
            }
        }
    }

    #[test]
    fn shards_partition_the_inputs() {
        let n = 4;
        let mut seen = [0usize; 4];
        for i in 0..1000 {
            let k = shard_of(&format!("sboms/p{i}.cdx.json"), n);
            assert!((1..=n).contains(&k));
            seen[k - 1] += 1;
        }
        // Every shard gets a fair part.
        assert!(seen.iter().all(|c| *c > 180), "{seen:?}");
        // Stable: FNV-1a 64 of the path ("a" is 0xaf63dc4c8601ec8c), the same on every machine.
        assert_eq!(shard_of("a", 3), 2);
        assert_eq!(shard_of("a", 7), 6);
        assert_eq!(shard_of("sboms/home-router-openwrt.cdx.json", 3), 3);
    }
}
