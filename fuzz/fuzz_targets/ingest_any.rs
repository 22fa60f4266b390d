//! The whole front door: decoding, detection, whichever parser the bytes select, then the graph.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(sbom) = sbomrisk::ingest::ingest_bytes("fuzz", data) {
        let _ = sbomrisk::graph::build(&sbom);
    }
});
