//! The field masks the builder records while parsing (`Sbom::asserted`) match the components
//! as parsed, on every example and fixture: no parser edits a component behind the builder.

use std::path::Path;

#[test]
fn recorded_masks_match_every_parsed_example() {
    let mut checked = 0;
    for dir in ["sboms", "tests/fixtures"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("directory exists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        for path in paths {
            let Ok(sbom) = sbomrisk::ingest::ingest_path(&path) else {
                continue;
            };
            let recorded = sbom
                .recorded_asserted()
                .unwrap_or_else(|| panic!("{}: no mask per component", path.display()));
            for (c, a) in sbom.components.iter().zip(recorded) {
                assert_eq!(
                    *a,
                    sbomrisk::model::Asserted::of(c),
                    "{}: component {}",
                    path.display(),
                    c.bom_ref
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} documents parsed");
}
