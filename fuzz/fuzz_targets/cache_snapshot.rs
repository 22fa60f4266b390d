//! The cache snapshot reader on any bytes: it refuses or reads, and what it reads answers every
//! question (get, stats, export) without a panic; each exported line names a key it holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sbomrisk::attribution::cache::Cache;

fuzz_target!(|data: &[u8]| {
    let Some(cache) = Cache::from_snapshot(data.to_vec()) else {
        return;
    };
    let stats = cache.stats().expect("a snapshot is read in memory");
    let mut out = Vec::new();
    let n = cache.export(&mut out).expect("export to memory");
    assert!(n <= stats.entries);
    for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let v: serde_json::Value = serde_json::from_slice(line).expect("export writes JSON");
        let key = v["key"].as_str().expect("each line has its key");
        assert!(cache.get(key).is_some());
    }
});
