//! Offline attribution accuracy on the labelled truth set `tests/attribution-truth.tsv`
//! (components with purls, CPEs and supplier names, each with the expected vendor and country
//! and a source). The bar of the attribution issue: at least 95% of the rows get the right
//! country, and at most 1% a wrong one (a wrong country is worse than an unknown one).

use sbomrisk::attribution::Attributor;
use sbomrisk::data::Registry;
use sbomrisk::model::{Component, Format, Party, SbomBuilder, Serialization};

struct Row {
    line: usize,
    component: Component,
    vendor: Option<String>,
    country: Option<String>,
}

fn rows() -> Vec<Row> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/attribution-truth.tsv");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if i == 0 || line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert!(
            f.len() >= 7,
            "line {}: expected 8 tab-separated fields, got {}",
            i + 1,
            f.len()
        );
        let get = |k: usize| f.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
        let mut c = Component::new(format!("row-{}", i + 1), get(3).unwrap_or("component"));
        c.purl = get(0).map(str::to_string);
        c.cpes = get(1).map(|s| vec![s.to_string()]).unwrap_or_default();
        c.supplier = get(2).and_then(|s| {
            Party::from_spdx_actor(s).map(|mut p| {
                if p.kind == sbomrisk::model::PartyKind::Unknown {
                    p.kind = sbomrisk::model::PartyKind::Organization;
                }
                Box::new(p)
            })
        });
        assert!(
            get(6).is_some(),
            "line {}: a truth row needs a source",
            i + 1
        );
        out.push(Row {
            line: i + 1,
            component: c,
            vendor: get(4).map(str::to_string),
            country: get(5).map(str::to_string),
        });
    }
    out
}

#[test]
fn offline_accuracy_meets_the_bar() {
    let reg = Registry::embedded().unwrap();
    let rows = rows();
    assert!(
        rows.len() >= 150,
        "the truth set needs at least 150 rows, has {}",
        rows.len()
    );
    let mut b = SbomBuilder::new("truth", Format::CycloneDx, Serialization::Json);
    let ids: Vec<_> = rows
        .iter()
        .map(|r| b.add_component(r.component.clone()))
        .collect();
    let sbom = b.finish();
    let at = Attributor::new(&reg);
    let (mut right, mut wrong, mut unknown) = (0, 0, 0);
    let mut vendor_right = 0;
    let mut report = String::new();
    for (r, id) in rows.iter().zip(ids) {
        let a = at.attribute_one(&sbom, id);
        let got_vendor = a.vendor.as_ref().and_then(|v| v.id);
        if got_vendor == r.vendor.as_deref() {
            vendor_right += 1;
        }
        match (a.country, r.country.as_deref()) {
            (got, want) if got == want => right += 1,
            (None, Some(_)) => {
                unknown += 1;
                report.push_str(&format!(
                    "  line {}: unknown, want {:?} ({:?})\n",
                    r.line,
                    r.country,
                    r.component
                        .purl
                        .as_deref()
                        .or(r.component.cpes.first().map(|s| s.as_str()))
                ));
            }
            _ => {
                wrong += 1;
                report.push_str(&format!(
                    "  line {}: WRONG country {:?} (vendor {:?}), want {:?} / {:?}\n",
                    r.line, a.country, got_vendor, r.country, r.vendor
                ));
            }
        }
    }
    let n = rows.len() as f64;
    let summary = format!(
        "{} rows: country right {right} ({:.1}%), unknown {unknown}, wrong {wrong} ({:.1}%); vendor right {vendor_right} ({:.1}%)\n{report}",
        rows.len(),
        100.0 * right as f64 / n,
        100.0 * wrong as f64 / n,
        100.0 * vendor_right as f64 / n,
    );
    println!("{summary}");
    assert!(right as f64 >= 0.95 * n, "{summary}");
    assert!(wrong as f64 <= 0.01 * n, "{summary}");
}
