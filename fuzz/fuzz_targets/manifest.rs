//! The portfolio manifest reader on any text: every line it returns has a 1-based line number in
//! increasing order, a path without tabs or line breaks, and trimmed, non-empty cells.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sbomrisk::ingest::discover::parse_manifest;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines = parse_manifest(&text);
    let mut last = 0;
    for m in &lines {
        assert!(m.line > last, "line numbers increase");
        last = m.line;
        assert!(!m.path.contains(['\t', '\n']), "{:?}", m.path);
        assert_eq!(m.path, m.path.trim());
        if let Some(p) = &m.product {
            assert!(!p.is_empty() && p == p.trim());
        }
        assert!(m.tags.iter().all(|t| !t.is_empty() && !t.contains(',')));
    }
    assert!(lines.len() <= text.lines().count());
});
