//! Worked examples (the same as docs/scoring.md, hand-computed) and properties of the scores.

use super::*;
use crate::attribution::Attributor;
use crate::data::jurisdictions::fixture;
use crate::model::{
    Component, ComponentId, ComponentKind, Format, Party, RelationKind, SbomBuilder, Serialization,
};
use pair::supply;
use proptest::prelude::*;

const AT: &str = "2026-01-01";

fn profile() -> ScoringProfile {
    ScoringProfile::from_toml(include_str!("../../data/weights/scoring.toml")).unwrap()
}

/// One component of a test product: name, vendor, country, licence.
#[derive(Debug, Clone)]
struct Spec {
    name: String,
    vendor: String,
    country: String,
    licence: Option<&'static str>,
    kind: ComponentKind,
}

fn spec(name: &str, vendor: &str, country: &str) -> Spec {
    Spec {
        name: name.into(),
        vendor: vendor.into(),
        country: country.into(),
        licence: None,
        kind: ComponentKind::Library,
    }
}

/// A product: a root and the components, flat unless `edges` (indexes into `specs`) are given.
fn product(specs: &[Spec], edges: &[(usize, usize)]) -> Sbom {
    let mut b = SbomBuilder::new("product.json", Format::CycloneDx, Serialization::Json);
    let root = b.add_component(Component::new("root", "product"));
    b.mark_root(root);
    let ids: Vec<ComponentId> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut c = Component::new(format!("c{i}"), s.name.clone());
            c.version = Some("1.0".into());
            c.kind = s.kind;
            let mut party = Party::organization(s.vendor.clone());
            party.country = Some(s.country.clone());
            c.supplier = Some(Box::new(party));
            c.licenses = s.licence.map(str::to_string);
            b.add_component(c)
        })
        .collect();
    let mut has_parent = vec![false; specs.len()];
    for &(from, to) in edges {
        b.relate(
            ids[from],
            ids[to],
            RelationKind::DependsOn,
            "dependsOn".into(),
        );
        has_parent[to] = true;
    }
    if !edges.is_empty() {
        for (i, id) in ids.iter().enumerate() {
            if !has_parent[i] {
                b.relate(root, *id, RelationKind::DependsOn, "dependsOn".into());
            }
        }
    }
    b.finish()
}

/// Scores a product for a buyer with the fixture registry (hand-made measures) and the shipped
/// profile. Returns the report as JSON (reports borrow the product).
fn score(
    reg: &Registry,
    sbom: &Sbom,
    buyer: &str,
    scenarios: Vec<ScenarioSpec>,
) -> serde_json::Value {
    let p = profile();
    let g = crate::graph::build(sbom);
    let at = Attributor::new(reg);
    let attributions = at.attribute(sbom);
    let opts = Options {
        buyer: buyer.into(),
        buyer_class: BuyerClass::Ciio,
        profile: &p,
        scenarios,
        as_of: Some(AT.into()),
    };
    serde_json::to_value(analyze(reg, sbom, &g, &attributions, &opts)).unwrap()
}

/// The codes of a report's findings.
fn finding_ids(r: &serde_json::Value) -> Vec<&str> {
    r["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["id"].as_str()).collect())
        .unwrap_or_default()
}

fn value(r: &serde_json::Value, score: &str) -> f64 {
    r["scores"][score]["value"].as_f64().unwrap()
}

fn reg() -> Registry {
    fixture::registry("").unwrap()
}

#[test]
fn worked_example_diversity() {
    // Shares US 1/2, DE 1/4, CN 1/4: H = 1.0397, N_eff = 2.828, 100 x (1 - 1/2.828) = 64.6.
    let sbom = product(
        &[
            spec("a", "A", "US"),
            spec("b", "B", "US"),
            spec("c", "C", "DE"),
            spec("d", "D", "CN"),
        ],
        &[],
    );
    let r = score(&reg(), &sbom, "GB", vec![]);
    assert_eq!(value(&r, "origin_diversity"), 64.6);
    assert_eq!(
        r["scores"]["origin_diversity"]["inputs"]["effective_countries"],
        2.8284
    );
}

#[test]
fn worked_example_reliance() {
    // Vendor A 3/4, B 1/4: HHI 0.625, top 0.75, vendor:a loses 0.75.
    // 100 x (0.4 x 0.625 + 0.3 x 0.75 + 0.3 x 0.75) = 70.0.
    let sbom = product(
        &[
            spec("a1", "A", "US"),
            spec("a2", "A", "US"),
            spec("a3", "A", "US"),
            spec("b", "B", "DE"),
        ],
        &[],
    );
    let r = score(&reg(), &sbom, "GB", vec![]);
    assert_eq!(value(&r, "single_vendor_reliance"), 70.0);
}

#[test]
fn worked_example_measure_scope() {
    // docs/scoring.md, "Measure scope". CN buyer, three US components: a library, a device and a
    // firmware blob. The US advanced-computing restriction (scope `advanced_computing`) bears on
    // hardware only: the device and the firmware see it, the library does not.
    let reg = reg();
    let sw = PairCard::build_for(&reg, "CN", "US", Some(AT), supply::SOFTWARE).exposure();
    let hw = PairCard::build_for(&reg, "CN", "US", Some(AT), supply::HARDWARE).exposure();
    assert!(hw > sw, "hardware {hw} > software {sw}");
    let mut device = spec("d", "D", "US");
    device.kind = ComponentKind::Device;
    let mut blob = spec("f", "F", "US");
    blob.kind = ComponentKind::Firmware;
    let sbom = product(&[spec("l", "L", "US"), device, blob], &[]);
    let r = score(&reg, &sbom, "CN", vec![]);
    let c = &r["components"];
    assert_eq!(c[0]["supply"], "software");
    assert_eq!(c[1]["supply"], "hardware");
    assert_eq!(c[2]["supply"], "software+hardware");
    assert_eq!(c[0]["exposure"], round4(sw));
    assert_eq!(c[1]["exposure"], round4(hw));
    // Firmware is software and hardware-bound: it sees both cards' measures.
    let both = PairCard::build_for(
        &reg,
        "CN",
        "US",
        Some(AT),
        supply::SOFTWARE | supply::HARDWARE,
    );
    assert_eq!(c[2]["exposure"], round4(both.exposure()));
    let us = &r["countries"][0];
    assert_eq!(us["exposure_by_supply"]["software"], round4(sw));
    assert_eq!(us["exposure_by_supply"]["hardware"], round4(hw));
    // NL's controls on chip-making equipment are on the US buyer's card of NL, and weigh on no
    // component of a network product, whatever it supplies.
    let card = PairCard::build(&reg, "US", "NL", Some(AT));
    let tech = card
        .row("technology_restriction.supplier_on_buyer")
        .unwrap();
    assert_eq!(tech.records, ["nl-sme"]);
    let mut chip = spec("chip", "N", "NL");
    chip.kind = ComponentKind::Device;
    let r = score(
        &reg,
        &product(&[chip, spec("lib", "N", "NL")], &[]),
        "US",
        vec![],
    );
    assert_eq!(value(&r, "political_exposure"), 0.0);
    // Findings agree with their components: NL's equipment control weighs on neither, so no
    // finding cites it.
    assert!(
        !finding_ids(&r).contains(&"SR-ORIGIN-EXPOSURE"),
        "{}",
        r["findings"]
    );
}

#[test]
fn worked_example_exposure_and_open_source() {
    // CN buyer; one US and one CN library: x(US) = card(CN, US) for software, x(CN) = 0.
    let reg = reg();
    let card = PairCard::build_for(&reg, "CN", "US", Some(AT), supply::SOFTWARE).exposure();
    assert!(card > 0.5, "{card}");
    let sbom = product(&[spec("u", "U", "US"), spec("c", "C", "CN")], &[]);
    let r = score(&reg, &sbom, "CN", vec![]);
    assert_eq!(value(&r, "political_exposure"), round1(100.0 * card / 2.0));
    // An open-source licence halves the origin route.
    let mut open = spec("u", "U", "US");
    open.licence = Some("MIT OR Apache-2.0");
    let sbom = product(&[open, spec("c", "C", "CN")], &[]);
    let r = score(&reg, &sbom, "CN", vec![]);
    assert_eq!(
        value(&r, "political_exposure"),
        round1(100.0 * card * 0.5 / 2.0)
    );
    assert_eq!(r["components"][0]["open_source"], true);
}

#[test]
fn worked_example_continuity_and_weights() {
    // root -> A -> B, root -> C. A dominates B: dominated share 1/2, weight 1.5; total 3.5.
    // embargo:US removes A and loses B with it: 2.5 / 3.5 = 0.7143; continuity 28.6.
    let sbom = product(
        &[
            spec("a", "VA", "US"),
            spec("b", "VB", "DE"),
            spec("c", "VC", "GB"),
        ],
        &[(0, 1)],
    );
    let r = score(
        &reg(),
        &sbom,
        "CN",
        vec![ScenarioSpec::Embargo("US".into())],
    );
    assert_eq!(r["components"][0]["weight"], 1.5);
    assert_eq!(r["components"][0]["dominated"], 1);
    let s = &r["scenarios"][0];
    assert_eq!(s["name"], "embargo:US");
    assert_eq!(s["product_share_lost"], 0.7143);
    assert_eq!(s["removed_components"], serde_json::json!(["c0"]));
    assert_eq!(s["affected_components"], serde_json::json!(["c0", "c1"]));
    assert_eq!(value(&r, "continuity"), 28.6);
}

#[test]
fn firmware_and_cryptography_weigh_more() {
    let mut fw = spec("wifi-fw", "Q", "US");
    fw.kind = ComponentKind::Firmware;
    let sbom = product(
        &[fw, spec("openssl", "O", "US"), spec("zlib", "Z", "US")],
        &[],
    );
    let r = score(&reg(), &sbom, "CN", vec![]);
    let w: Vec<f64> = (0..3)
        .map(|i| r["components"][i]["weight"].as_f64().unwrap())
        .collect();
    assert_eq!(w, [3.0, 2.0, 1.0]);
}

#[test]
fn report_records_versions_and_buyer() {
    let sbom = product(&[spec("a", "A", "US")], &[]);
    let r = score(&reg(), &sbom, "DE", vec![]);
    assert_eq!(r["schema"], "sbomrisk/report/v2");
    assert_eq!(r["buyer"], "DE");
    assert_eq!(r["as_of"], AT);
    assert_eq!(r["tool"]["version"], crate::VERSION);
    assert!(r["data_version"].as_str().is_some_and(|v| !v.is_empty()));
    assert_eq!(r["profile"]["name"], "default");
    for k in [
        "origin_diversity",
        "single_vendor_reliance",
        "political_exposure",
        "continuity",
        "transparency",
    ] {
        assert!(
            r["scores"][k]["direction"]
                .as_str()
                .unwrap()
                .contains("100"),
            "{k}"
        );
    }
}

#[test]
fn unknown_origin_is_an_opaque_bucket() {
    let mut s = spec("x", "X", "US");
    s.country = "Atlantis".into();
    let sbom = product(&[s, spec("a", "A", "US")], &[]);
    let r = score(&reg(), &sbom, "CN", vec![]);
    // One known country: no diversity; the unknown half never adds any.
    assert_eq!(value(&r, "origin_diversity"), 0.0);
    let buckets: Vec<&serde_json::Value> = r["countries"].as_array().unwrap().iter().collect();
    assert!(buckets
        .iter()
        .any(|c| c["country"].is_null() && c["share"] == 0.5));
    assert!(finding_ids(&r).contains(&"SR-UNKNOWN-ORIGIN"));
}

#[test]
fn a_buyer_authority_measure_is_a_critical_finding() {
    // The fixture's vendor measures include the FCC Covered List entry for Huawei (US buyer).
    // The router firmware is equipment the list covers (hardware, services).
    let mut h = spec("router-os", "Huawei Technologies Co., Ltd.", "CN");
    h.vendor = "Huawei Technologies Co., Ltd.".into();
    h.kind = ComponentKind::Firmware;
    let sbom = product(&[h, spec("a", "A", "US")], &[]);
    let r = score(&reg(), &sbom, "US", vec![]);
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "SR-VENDOR-MEASURE")
        .expect("a vendor-measure finding");
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["components"], serde_json::json!(["c0"]));
    assert_eq!(r["rating"], "critical");
    // A CN buyer is not bound by US measures.
    let r = score(&reg(), &sbom, "CN", vec![]);
    assert!(!finding_ids(&r).contains(&"SR-VENDOR-MEASURE"));
}

#[test]
fn scenario_specs_parse_and_reject() {
    let reg = reg();
    assert_eq!(
        ScenarioSpec::parse("embargo:us", &reg),
        Ok(ScenarioSpec::Embargo("US".into()))
    );
    assert_eq!(
        ScenarioSpec::parse("vendor:broadcom", &reg),
        Ok(ScenarioSpec::Vendor("broadcom".into()))
    );
    assert!(ScenarioSpec::parse("embargo:ZZ", &reg).is_err());
    assert!(ScenarioSpec::parse("cut:US", &reg).is_err());
}

#[test]
fn open_source_licences() {
    use super::licence::LicenceState::{self, *};
    let l: Vec<String> = profile().exposure.open_source_licences;
    let of = |e: &str| LicenceState::of(Some(e), &l);
    assert_eq!(of("GPL-2.0-only"), Open);
    assert_eq!(of("(MIT AND BSD-3-Clause)"), Open);
    assert_eq!(of("LicenseRef-proprietary OR Apache-2.0"), Open);
    assert_eq!(of("MIT AND LicenseRef-proprietary"), Mixed);
    assert_eq!(of("LicenseRef-qualcomm-firmware"), NotOpen);
    assert_eq!(of("NOASSERTION"), Undeclared);
}

const COUNTRIES: &[&str] = &["US", "CN", "DE", "NL", "GB", "RU"];

fn specs() -> impl Strategy<Value = Vec<Spec>> {
    prop::collection::vec(
        (
            0usize..6,
            0usize..4,
            any::<bool>(),
            prop::sample::select(vec![
                ComponentKind::Library,
                ComponentKind::Firmware,
                ComponentKind::Application,
            ]),
        ),
        1..12,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (c, vendor, open, kind))| Spec {
                name: format!("p{i}"),
                vendor: format!("V{vendor}"),
                country: COUNTRIES[c].into(),
                licence: open.then_some("MIT"),
                kind,
            })
            .collect()
    })
}

fn scores_of(r: &serde_json::Value) -> Vec<f64> {
    [
        "origin_diversity",
        "single_vendor_reliance",
        "political_exposure",
        "continuity",
        "transparency",
    ]
    .iter()
    .map(|k| value(r, k))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn scores_do_not_depend_on_order_or_duplicates(s in specs(), buyer in 0usize..6, seed in any::<u64>()) {
        let reg = reg();
        let buyer = COUNTRIES[buyer];
        let base = scores_of(&score(&reg, &product(&s, &[]), buyer, vec![]));
        let mut shuffled = s.clone();
        let n = shuffled.len();
        for i in 0..n {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % n as u64) as usize;
            shuffled.swap(i, j);
        }
        prop_assert_eq!(&scores_of(&score(&reg, &product(&shuffled, &[]), buyer, vec![])), &base);
        let mut doubled = s.clone();
        doubled.extend(s.iter().cloned().map(|mut x| { x.name.push_str("-copy"); x }));
        prop_assert_eq!(&scores_of(&score(&reg, &product(&doubled, &[]), buyer, vec![])), &base);
    }

    #[test]
    fn a_new_country_never_lowers_diversity(s in specs(), buyer in 0usize..6) {
        let reg = reg();
        let present: Vec<&str> = s.iter().map(|x| x.country.as_str()).collect();
        let Some(new) = COUNTRIES.iter().find(|c| !present.contains(c)) else { return Ok(()) };
        let before = value(&score(&reg, &product(&s, &[]), COUNTRIES[buyer], vec![]), "origin_diversity");
        let mut more = s.clone();
        // The lightest kind: it weighs no more than any country already present.
        more.push(spec("newcomer", "NEW", new));
        let after = value(&score(&reg, &product(&more, &[]), COUNTRIES[buyer], vec![]), "origin_diversity");
        prop_assert!(after >= before, "{} < {}", after, before);
    }

    #[test]
    fn a_single_vendor_product_is_reliant_and_not_diverse(n in 1usize..10, c in 0usize..6, buyer in 0usize..6) {
        let s: Vec<Spec> = (0..n).map(|i| spec(&format!("p{i}"), "ONE", COUNTRIES[c])).collect();
        let r = score(&reg(), &product(&s, &[]), COUNTRIES[buyer], vec![]);
        prop_assert!(value(&r, "single_vendor_reliance") >= 90.0);
        prop_assert!(value(&r, "origin_diversity") <= 10.0);
    }

    #[test]
    fn an_all_domestic_product_has_no_exposure(s in specs(), buyer in 0usize..6) {
        let buyer = COUNTRIES[buyer];
        let s: Vec<Spec> = s.into_iter().map(|mut x| { x.country = buyer.into(); x }).collect();
        let r = score(&reg(), &product(&s, &[]), buyer, vec![]);
        prop_assert_eq!(value(&r, "political_exposure"), 0.0);
    }

    #[test]
    fn swapping_the_buyer_swaps_the_exposed_side(a in 0usize..6, b in 0usize..6, n in 1usize..5) {
        let reg = reg();
        let (a, b) = (COUNTRIES[a], COUNTRIES[b]);
        let all = |cc: &str| -> Vec<Spec> { (0..n).map(|i| spec(&format!("p{i}"), "V", cc)).collect() };
        let from_b_for_a = value(&score(&reg, &product(&all(b), &[]), a, vec![]), "political_exposure");
        let from_a_for_b = value(&score(&reg, &product(&all(a), &[]), b, vec![]), "political_exposure");
        let card = |x, y| PairCard::build_for(&reg, x, y, Some(AT), supply::SOFTWARE).exposure();
        let card_ab = if a == b { 0.0 } else { card(a, b) };
        let card_ba = if a == b { 0.0 } else { card(b, a) };
        prop_assert_eq!(from_b_for_a, round1(100.0 * card_ab));
        prop_assert_eq!(from_a_for_b, round1(100.0 * card_ba));
    }
}

#[test]
fn an_empty_sbom_is_no_evidence_of_low_risk() {
    let r = score(&reg(), &product(&[], &[]), "CN", vec![]);
    assert_eq!(r["document"]["components"], 0);
    assert!(
        r["rating"] == "high" || r["rating"] == "critical",
        "{}",
        r["rating"]
    );
    // Never the best case: nothing known is scored as one unknown-origin supply.
    assert_eq!(value(&r, "continuity"), 0.0);
    assert!(value(&r, "political_exposure") > 0.0);
    assert_eq!(r["scores"]["continuity"]["bounds"]["best"], 100.0);
    let f = &r["findings"][0];
    assert_eq!(f["id"], "SR-SBOM-EMPTY");
    assert_eq!(f["severity"], "high");
    // One real component: no SR-SBOM-EMPTY.
    let r = score(&reg(), &product(&[spec("a", "A", "CN")], &[]), "CN", vec![]);
    let ids = finding_ids(&r);
    assert!(!ids.contains(&"SR-SBOM-EMPTY"), "{ids:?}");
}

#[test]
fn closed_exposed_evidence_names_the_heaviest_components() {
    // A CN buyer; a closed US device is exposed at the hardware card.
    let mut device = spec("asic", "A", "US");
    device.kind = ComponentKind::Device;
    let r = score(&reg(), &product(&[device], &[]), "CN", vec![]);
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "SR-CLOSED-EXPOSED")
        .expect("SR-CLOSED-EXPOSED");
    let first = f["evidence"][0].as_str().unwrap();
    assert!(first.starts_with("asic ("), "{first}");
    assert!(
        first.contains("licence none declared, origin US, exposure"),
        "{first}"
    );
}

#[test]
fn worked_example_supply_kinds_degrade_published_source() {
    // root -> A -> B, root -> C. A (US, MIT) dominates B (DE, MIT): weight(A) = 1.5, W = 3.5.
    // C (US) is proprietary. embargo:US cuts C (lost, 1/3.5 = 0.2857) and degrades A
    // (1.5/3.5 = 0.4286); B stays reached through A, whose code stays.
    // impact = 0.2857 + 0.25 x 0.4286 = 0.3929; continuity = 100 x (1 - 0.3929) = 60.7.
    let mut a = spec("a", "VA", "US");
    a.licence = Some("MIT");
    let mut b = spec("b", "VB", "DE");
    b.licence = Some("MIT");
    let mut c = spec("c", "VC", "US");
    c.licence = Some("LicenseRef-vendor-eula");
    let sbom = product(&[a, b, c], &[(0, 1)]);
    let r = score(
        &reg(),
        &sbom,
        "CN",
        vec![ScenarioSpec::Embargo("US".into())],
    );
    let s = &r["scenarios"][0];
    assert_eq!(s["removed_components"], serde_json::json!(["c2"]));
    assert_eq!(s["degraded_components"], serde_json::json!(["c0"]));
    assert_eq!(s["affected_components"], serde_json::json!(["c2"]));
    assert_eq!(s["product_share_lost"], 0.2857);
    assert_eq!(s["product_share_degraded"], 0.4286);
    assert!((s["impact"].as_f64().unwrap() - 0.3929).abs() < 2e-4, "{s}");
    assert_eq!(value(&r, "continuity"), 60.7);
    assert_eq!(r["components"][2]["supply_kind"], "proprietary");
    assert_eq!(r["components"][0]["supply_kind"], "published-source");
    // The same product all proprietary: the embargo takes A, B with it, and C: continuity 0.
    let sbom = product(
        &[
            spec("a", "VA", "US"),
            spec("b", "VB", "DE"),
            spec("c", "VC", "US"),
        ]
        .map(|mut s| {
            s.licence = Some("LicenseRef-vendor-eula");
            s
        }),
        &[(0, 1)],
    );
    let r = score(&reg(), &sbom, "CN", vec![]);
    assert_eq!(value(&r, "continuity"), 0.0);
}

#[test]
fn undeclared_licence_is_not_closed_but_is_lost() {
    // No licence declared: not cited as closed (SR-CLOSED-EXPOSED), yet lost in a cut, as a
    // proprietary component would be.
    let sbom = product(&[spec("u", "U", "US"), spec("c", "C", "CN")], &[]);
    let r = score(
        &reg(),
        &sbom,
        "CN",
        vec![ScenarioSpec::Embargo("US".into())],
    );
    assert_eq!(r["components"][0]["licence"], "undeclared");
    assert_eq!(r["components"][0]["supply_kind"], "undeclared");
    assert_eq!(r["scenarios"][0]["product_share_lost"], 0.5);
    assert!(!finding_ids(&r).contains(&"SR-CLOSED-EXPOSED"));
    let mut closed = spec("u", "U", "US");
    closed.licence = Some("MIT AND LicenseRef-proprietary");
    let r = score(
        &reg(),
        &product(&[closed, spec("c", "C", "CN")], &[]),
        "CN",
        vec![],
    );
    assert_eq!(r["components"][0]["licence"], "mixed");
    assert!(finding_ids(&r).contains(&"SR-CLOSED-EXPOSED"));
}

#[test]
fn worked_example_unknown_origin_is_never_safer() {
    // CN buyer, two proprietary libraries of weight 1: A from the US, U of unknown origin.
    // Central: U is taken as the product's most exposed known foreign origin (US), so
    // political_exposure = 100 x card(CN, US); best: U domestic, 100 x card / 2; worst: U from
    // the most exposed origin in the data, 100 x (card + max) / 2.
    let reg = reg();
    let card = PairCard::build_for(&reg, "CN", "US", Some(AT), supply::SOFTWARE).exposure();
    let (_, max) = pair::most_exposed_origin(&reg, "CN", AT, supply::SOFTWARE).unwrap();
    assert!(max >= card);
    let mut u = spec("u", "U", "US");
    u.country = "Atlantis".into();
    let sbom = product(&[spec("a", "A", "US"), u], &[]);
    let r = score(&reg, &sbom, "CN", vec![]);
    let pe = &r["scores"]["political_exposure"];
    assert_eq!(pe["value"], round1(100.0 * card));
    assert_eq!(pe["bounds"]["best"], round1(100.0 * card / 2.0));
    assert_eq!(pe["bounds"]["worst"], round1(100.0 * (card + max) / 2.0));
    // Known US is never worse than unknown: the unknown row carries the US exposure.
    let unknown = r["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["country"].is_null())
        .unwrap()
        .clone();
    let us = r["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["country"] == "US")
        .unwrap()
        .clone();
    assert_eq!(unknown["exposure"], us["exposure"]);
    // Continuity: embargo:US loses A (0.5); with U taken as US it loses both (impact 1.0).
    let c = &r["scores"]["continuity"];
    assert_eq!(c["value"], 0.0);
    assert_eq!(c["bounds"]["best"], 50.0);
    assert_eq!(c["bounds"]["worst"], 0.0);
    assert_eq!(c["inputs"]["unknown_origin_assumed"], "US");
    let s = r["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "embargo:US")
        .unwrap()
        .clone();
    assert_eq!(s["unknown_components"], serde_json::json!(["c1"]));
    assert_eq!(s["impact_if_unknown_here"], 1.0);
    // Diversity: one known origin gives 0 at the centre; U domestic (CN) gives two equal
    // origins, 50 at best.
    let d = &r["scores"]["origin_diversity"];
    assert_eq!(d["value"], 0.0);
    assert_eq!(d["bounds"]["best"], 50.0);
    assert_eq!(d["bounds"]["worst"], 0.0);
    // A product whose origin is all known has no bounds.
    let r = score(&reg, &product(&[spec("a", "A", "US")], &[]), "CN", vec![]);
    assert!(r["scores"]["political_exposure"].get("bounds").is_none());
}

#[test]
fn vendors_say_what_their_country_is() {
    // A project counted in its fiscal host's country says so.
    let reg = Registry::embedded().unwrap();
    let mut c = spec("nginx", "Debian", "US");
    c.licence = Some("BSD-2-Clause");
    let sbom = product(&[c], &[]);
    let r = score(&reg, &sbom, "CN", vec![]);
    let v = &r["vendors"][0];
    assert_eq!(v["id"], "debian");
    assert_eq!(v["country_basis"], "fiscal-host");
}

#[test]
fn every_described_package_is_counted() {
    // A document that describes two packages and nothing else: the document is the product and
    // both packages are its components (an SPDX document of 54 described source packages was
    // read as empty and scored best-case).
    let mut b = SbomBuilder::new("multi.spdx", Format::Spdx, Serialization::TagValue);
    for (name, country) in [("zephyr", "US"), ("hal", "DE")] {
        let mut c = Component::new(name, name);
        let mut party = Party::organization(format!("{name} vendor"));
        party.country = Some(country.into());
        c.supplier = Some(Box::new(party));
        let id = b.add_component(c);
        b.mark_root(id);
    }
    let sbom = b.finish();
    let r = score(&reg(), &sbom, "CN", vec![]);
    assert_eq!(r["document"]["components"], 2);
    assert_eq!(r["components"].as_array().unwrap().len(), 2);
    assert!(value(&r, "origin_diversity") > 0.0);
    assert!(value(&r, "continuity") < 100.0);
}

#[test]
fn the_rating_says_why() {
    // A low index lifted by a critical finding names the finding.
    let mut h = spec("router-os", "Huawei Technologies Co., Ltd.", "CN");
    h.kind = ComponentKind::Firmware;
    let r = score(
        &reg(),
        &product(&[h, spec("a", "A", "US")], &[]),
        "US",
        vec![],
    );
    assert_eq!(r["rating"], "critical");
    let why = r["rating_reason"].as_str().unwrap();
    assert!(why.contains("critical finding SR-VENDOR-MEASURE"), "{why}");
    // Otherwise the band of the index.
    let r = score(&reg(), &product(&[spec("a", "A", "CN")], &[]), "CN", vec![]);
    let why = r["rating_reason"].as_str().unwrap();
    assert!(
        why.starts_with("risk index ") && why.contains(" band ("),
        "{why}"
    );
}

#[test]
fn worked_example_legal_and_physical_origin() {
    // A CN buyer; a Qualcomm chip (a device: US headquarters, wafers from TSMC and Samsung,
    // data/vendors) and a CN library. embargo:US cuts the chip (legal origin); so does
    // disruption:TW (where it is made); disruption:US does not: the US makes none of it.
    let reg = Registry::embedded().unwrap();
    let mut chip = spec("wifi-soc", "Qualcomm", "US");
    chip.kind = ComponentKind::Device;
    let mut lib = spec("lib", "Local", "CN");
    lib.licence = Some("LicenseRef-eula");
    let sbom = product(&[chip, lib], &[]);
    let r = score(
        &reg,
        &sbom,
        "CN",
        vec![
            ScenarioSpec::Embargo("US".into()),
            ScenarioSpec::Disruption("TW".into()),
            ScenarioSpec::Disruption("US".into()),
        ],
    );
    let lost = |i: usize| r["scenarios"][i]["product_share_lost"].as_f64().unwrap();
    // weight(chip) = 3 (device), weight(lib) = 1: the chip is 0.75 of the product.
    assert_eq!(lost(0), 0.75);
    assert_eq!(lost(1), 0.75);
    assert_eq!(lost(2), 0.0);
    assert_eq!(
        r["scenarios"][1]["removed_components"],
        serde_json::json!(["c0"])
    );
    // Without --scenario, the physical disruptions are listed beside the legal ones.
    let r = score(&reg, &sbom, "CN", vec![]);
    assert!(r["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "disruption:TW"));
    assert!(finding_ids(&r).contains(&"SR-DISRUPTION"));
}

#[test]
fn the_docs_finding_table_is_the_list_of_codes() {
    // docs/scoring.md's finding table, the SARIF rules and the policy keys come from `Code`:
    // every code is documented once, under the score that raises it and with the profile key
    // of its thresholds, and the table documents nothing else.
    let doc = include_str!("../../docs/scoring.md");
    let rows: Vec<Vec<&str>> = doc
        .lines()
        .filter(|l| l.starts_with("| `SR-"))
        .map(|l| l.split(" | ").collect())
        .collect();
    let mut documented: Vec<&str> = rows
        .iter()
        .map(|r| r[0].trim_start_matches("| ").trim_matches('`'))
        .collect();
    documented.sort_unstable();
    let mut codes: Vec<&str> = Code::all().map(|c| c.as_str()).collect();
    codes.sort_unstable();
    assert_eq!(documented, codes);
    let shipped: toml::Value =
        toml::from_str(include_str!("../../data/weights/scoring.toml")).unwrap();
    for c in Code::all() {
        assert_eq!(Code::parse(c.as_str()), Some(c));
        assert!(!c.summary().is_empty());
        let row = rows.iter().find(|r| r[0].contains(c.as_str())).unwrap();
        assert_eq!(row[1], c.score(), "{}", c.as_str());
        let key = c.profile_key();
        assert!(
            row[4].contains(&format!("`{key}`")),
            "{} row names {key}",
            c.as_str()
        );
        let mut v = &shipped;
        for part in key.split('.') {
            v = v
                .get(part)
                .unwrap_or_else(|| panic!("{key} is not in the shipped profile"));
        }
    }
}

#[test]
fn hostile_references_and_licences_never_panic() {
    // A multi-byte character where a VCS prefix would end, and licence text no reader knows.
    let reg = reg();
    let mut b = SbomBuilder::new("h.json", Format::CycloneDx, Serialization::Json);
    let root = b.add_component(Component::new("root", "product"));
    b.mark_root(root);
    for (i, url) in [
        "gi\u{e9}+https://github.com/x/y",
        "git\u{2603}",
        "hg+",
        "git+https://",
        "git+https://:@/",
    ]
    .iter()
    .enumerate()
    {
        let mut c = Component::new(format!("c{i}"), "x");
        c.external_refs.push(crate::model::ExternalRef {
            kind: crate::model::ExternalRefKind::Distribution,
            url: url.to_string(),
        });
        c.licenses = Some(["((", "MIT AND", "\u{0}", "LicenseRef-", "OR OR"][i].to_string());
        b.add_component(c);
    }
    let sbom = b.finish();
    let r = score(&reg, &sbom, "CN", vec![]);
    assert_eq!(r["components"].as_array().unwrap().len(), 5);
}
