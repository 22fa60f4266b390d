//! Profiling aid: ingests an SBOM, then (unless the mode is `ingest`) attributes it offline.
//! `cargo build --release --example attr_profile`, then e.g.
//! `RAYON_NUM_THREADS=1 valgrind --tool=callgrind target/release/examples/attr_profile FILE [ingest|attr|both]`;
//! the instruction count of `attr` minus `ingest` is attribution's.

use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: attr_profile FILE [ingest|attr|both]");
    let mode = args.next().unwrap_or_else(|| "attr".into());
    let reg = sbomrisk::data::Registry::embedded().expect("embedded data");
    let bytes = std::fs::read(&path).expect("read");
    let sbom = sbomrisk::ingest::ingest_bytes(&path, &bytes).expect("ingest");
    let g = sbomrisk::graph::build(&sbom);
    black_box(&g);
    if mode == "ingest" {
        return;
    }
    let at = sbomrisk::attribution::Attributor::new(&reg);
    let out = at.attribute(&sbom);
    black_box(&out);
    println!("{} attributions", out.len());
}
