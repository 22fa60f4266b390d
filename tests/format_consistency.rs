//! The same product in two formats gets the same attribution: every product of `sboms/` that
//! is written in more than one format is attributed offline in each, and each component (by
//! name and version) must get the same vendor and the same country in all of them.

use sbomrisk::attribution::Attributor;
use sbomrisk::data::Registry;
use std::collections::BTreeMap;
use std::path::Path;

/// `(vendor id or name, country)` of every component, by `name@version`.
fn answers(reg: &Registry, path: &Path) -> BTreeMap<String, (Option<String>, Option<String>)> {
    let sbom = sbomrisk::ingest::ingest_path(path)
        .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message));
    let at = Attributor::new(reg);
    at.attribute(&sbom)
        .into_iter()
        .filter(|a| a.bom_ref() != "sbomrisk:root")
        .map(|a| {
            let key = format!("{}@{}", a.name(), a.version().unwrap_or(""));
            let vendor = a.vendor.as_ref().map(|v| {
                v.id.map(str::to_string)
                    .unwrap_or_else(|| v.name.to_string())
            });
            (key, (vendor, a.country.map(str::to_string)))
        })
        .collect()
}

/// The products of `sboms/` with their files: `home-router-openwrt.cdx.json` and
/// `home-router-openwrt.spdx.json` are one product.
fn products() -> BTreeMap<String, Vec<std::path::PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sboms");
    let mut out: BTreeMap<String, Vec<std::path::PathBuf>> = BTreeMap::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            continue;
        }
        let product = name.split('.').next().unwrap_or_default().to_string();
        out.entry(product).or_default().push(p);
    }
    out
}

#[test]
fn both_formats_of_a_product_get_the_same_attribution() {
    let reg = Registry::embedded().unwrap();
    let mut compared = 0;
    for (product, files) in products() {
        if files.len() < 2 {
            continue;
        }
        let first = answers(&reg, &files[0]);
        for other in &files[1..] {
            let second = answers(&reg, other);
            let mut differ = Vec::new();
            for (k, a) in &first {
                if let Some(b) = second.get(k) {
                    compared += 1;
                    if a != b {
                        differ.push(format!("{k}: {a:?} vs {b:?}"));
                    }
                }
            }
            assert!(
                differ.is_empty(),
                "{product}: {} and {} disagree:\n{}",
                files[0].display(),
                other.display(),
                differ.join("\n")
            );
        }
    }
    assert!(
        compared >= 40,
        "too few components compared across formats: {compared}"
    );
}
