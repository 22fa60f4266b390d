//! The data version: FNV-1a over every file's path and contents, in path order. Shared by
//! `data::load` (for `--data-dir`) and build.rs (for the embedded files, at build time), which
//! includes this file, so the two can never disagree.

/// The digest of `(path, text)` pairs, in the order given (callers sort by path).
pub fn fnv_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, text) in files {
        for b in path.bytes().chain([0]).chain(text.bytes()).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}
