use super::*;

#[test]
fn corpus_dump() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        return;
    };
    for line in manifest.lines().filter(|l| l.starts_with("spdx3/")) {
        let cols: Vec<&str> = line.split('\t').collect();
        let text = std::fs::read_to_string(dir.join(cols[0])).unwrap();
        match parse(cols[0], &text) {
            Ok(s) => {
                let real = s
                    .components
                    .iter()
                    .filter(|c| c.bom_ref != "sbomrisk:root")
                    .count();
                println!(
                    "{}\tman={}\tall={}\tinspect={}\troots={}\trels={}\tdiags={:?}",
                    cols[0].trim_start_matches("spdx3/"),
                    cols[6],
                    real,
                    s.component_count(),
                    s.roots.len(),
                    s.relations.len(),
                    s.diagnostics
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                );
            }
            Err(e) => println!("{}\tERR {e}", cols[0]),
        }
    }
}
