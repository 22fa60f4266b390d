//! Profiling aid: ingests an SBOM, then (unless the mode is `ingest`) attributes it offline.
//! `cargo build --release --example attr_profile`, then e.g.
//! `RAYON_NUM_THREADS=1 valgrind --tool=callgrind target/release/examples/attr_profile FILE [ingest|attr|both]`;
//! the instruction count of `attr` minus `ingest` is attribution's. Mode `time N`: the medians
//! of N timed runs of ingest (with the graph) and of attribution, and their ratio.

use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: attr_profile FILE [ingest|attr|both]");
    let mode = args.next().unwrap_or_else(|| "attr".into());
    let reg = sbomrisk::data::Registry::embedded().expect("embedded data");
    let bytes = std::fs::read(&path).expect("read");
    if mode == "time" {
        let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let mut ingest = Vec::new();
        let mut attribute = Vec::new();
        for _ in 0..runs {
            let t = std::time::Instant::now();
            let sbom = sbomrisk::ingest::ingest_bytes(&path, &bytes).expect("ingest");
            black_box(sbomrisk::graph::build(&sbom));
            ingest.push(t.elapsed().as_secs_f64() * 1e3);
            let at = sbomrisk::attribution::Attributor::new(&reg);
            let t = std::time::Instant::now();
            let out = black_box(at.attribute(&sbom));
            attribute.push(t.elapsed().as_secs_f64() * 1e3);
            drop(out);
        }
        let (i, a) = (median(ingest), median(attribute));
        println!(
            "ingest {i:.1} ms, attribute {a:.1} ms, attr/ingest {:.3}",
            a / i
        );
        return;
    }
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
