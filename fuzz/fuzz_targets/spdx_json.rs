//! The SPDX 2 JSON parser, called directly on any text (detection skipped), then the graph.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(sbom) = sbomrisk::ingest::spdx::parse_json("fuzz", &text) {
        let _ = sbomrisk::graph::build(&sbom);
    }
});
