//! Profiling aid: ingest, attribute and score one SBOM `N` times (default 1), for callgrind or
//! perf. `cargo run --release --example score_profile -- FILE [N]`. Not a benchmark: timings
//! come from `cargo xtask bench`.

use sbomrisk::{attribution::Attributor, data::Registry, graph, ingest, score};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: score_profile FILE [N]");
        std::process::exit(2);
    };
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let started = std::time::Instant::now();
    let sbom = match ingest::ingest_path(std::path::Path::new(&path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    // SCORE_PROFILE_REINGEST=K: ingest K more times, keeping the last, as the bench's timing
    // loop does (with SCORE_PROFILE_CHURN=1 and K=5 this reproduces the bench's heap).
    let reingest: usize = std::env::var("SCORE_PROFILE_REINGEST")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut sbom = sbom;
    for _ in 0..reingest {
        match ingest::ingest_path(std::path::Path::new(&path)) {
            Ok(next) => sbom = next,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        }
    }
    let g = graph::build(&sbom);
    let ingest_ms = started.elapsed().as_secs_f64() * 1e3;
    let reg = match Registry::embedded() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let at = Attributor::new(&reg);
    // SCORE_PROFILE_CHURN=1: churn the heap first as `cargo xtask bench` does (a generic parse of
    // the file and five attribution runs).
    if std::env::var_os("SCORE_PROFILE_CHURN").is_some() {
        if let Ok(bytes) = std::fs::read(&path) {
            let v: Result<serde_json::Value, _> = serde_json::from_slice(&bytes);
            drop(v);
        }
        for _ in 0..5 {
            drop(at.attribute(&sbom));
        }
    }
    let attributions = at.attribute(&sbom);
    let Ok(profile) = sbomrisk::score::ScoringProfile::of_registry(&reg) else {
        eprintln!("no scoring profile");
        std::process::exit(2);
    };
    let opts = score::Options {
        buyer: "CN".into(),
        buyer_class: score::BuyerClass::Ciio,
        profile: &profile,
        scenarios: Vec::new(),
        as_of: Some("2026-11-25".into()),
    };
    let mut total = 0.0;
    let started = std::time::Instant::now();
    for _ in 0..n {
        let r = score::analyze(&reg, &sbom, &g, &attributions, &opts);
        total += r.scores.political_exposure.value;
    }
    let score_ms = started.elapsed().as_secs_f64() * 1e3 / n as f64;
    println!(
        "ingest {ingest_ms:.1} ms, score {score_ms:.1} ms (mean of {n}), ratio {:.2}; {total}",
        score_ms / ingest_ms
    );
}
