//! Policy files: parse errors name the file and the key; each rule, met and broken.

use super::*;
use crate::report::testutil::{registry, with_report, HOSTILE, ROUTER};

fn parse(text: &str) -> Result<Policy, PolicyError> {
    Policy::parse("gate.toml", text, &registry())
}

fn eval(doc: &str, text: &str) -> Evaluation {
    let p = parse(text).unwrap();
    with_report(doc, |r| p.evaluate(r))
}

#[test]
fn unknown_keys_are_errors_naming_the_file_and_the_key() {
    let e = parse("[policy]\nmax_political_exposure = 40\nmax_exposure = 3\n").unwrap_err();
    let msg = e.to_string();
    assert!(msg.starts_with("gate.toml: line 3, column 1:"), "{msg}");
    assert!(msg.contains("max_exposure"), "{msg}");
    assert!(!msg.contains('\n'), "{msg}");
    let e = parse("[polcy]\n").unwrap_err().to_string();
    assert!(e.contains("polcy"), "{e}");
}

#[test]
fn bad_values_are_errors() {
    let e = parse("[policy]\nmax_political_exposure = 140\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("policy.max_political_exposure = 140 is not in [0, 100]"),
        "{e}"
    );
    let e = parse("[policy]\ndeny_countries = [\"US\", \"XX\"]\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("'XX' is not an ISO 3166-1 alpha-2"), "{e}");
    let e = parse("[policy]\nfail_on_rating = \"severe\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("fail_on_rating = 'severe'"), "{e}");
    let e = parse("[policy]\nmin_origin_diversity = \"high\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("gate.toml: line 2"), "{e}");
    assert!(parse("").unwrap_err().to_string().contains("no [policy]"));
}

#[test]
fn values_are_shown_bare() {
    assert_eq!(show(&json!(40.0)), "40.0");
    assert_eq!(show(&json!("TW")), "TW");
    assert_eq!(
        show(&json!({ "country": "TW", "components": 5 })),
        "components=5, country=TW"
    );
}

#[test]
fn an_empty_policy_passes() {
    let ev = eval(ROUTER, "[policy]\n");
    assert!(ev.passed);
    assert!(ev.violations.is_empty());
    assert_eq!(ev.file, "gate.toml");
}

#[test]
fn score_limits() {
    with_report(ROUTER, |r| {
        let x = r.scores.political_exposure.value;
        let rel = r.scores.single_vendor_reliance.value;
        let div = r.scores.origin_diversity.value;
        let p = parse(&format!(
            "[policy]\nmax_political_exposure = {}\nmax_single_vendor_reliance = {}\nmin_origin_diversity = {}\nmax_risk_index = 0\n",
            x - 1.0,
            rel,
            div + 1.0
        ))
        .unwrap();
        let ev = p.evaluate(r);
        let rules: Vec<&str> = ev.violations.iter().map(|v| v.rule).collect();
        // Reliance equal to the limit is allowed.
        assert_eq!(
            rules,
            [
                "max_political_exposure",
                "min_origin_diversity",
                "max_risk_index"
            ]
        );
        let v = &ev.violations[0];
        assert_eq!(v.limit, json!(x - 1.0));
        assert_eq!(v.actual, json!(x));
        assert!(v.message.contains("political_exposure is"), "{}", v.message);
        assert!(!ev.passed);
    });
}

#[test]
fn fail_on_rating_counts_worse_ratings() {
    with_report(ROUTER, |r| {
        let at = parse(&format!(
            "[policy]\nfail_on_rating = \"{}\"\n",
            r.rating.as_str()
        ))
        .unwrap()
        .evaluate(r);
        assert_eq!(at.violations.len(), 1);
        assert_eq!(at.violations[0].rule, "fail_on_rating");
        let never = parse("[policy]\nfail_on_rating = \"critical\"\n")
            .unwrap()
            .evaluate(r);
        assert_eq!(never.passed, r.rating != Rating::Critical);
    });
}

#[test]
fn deny_countries_lists_the_components() {
    // The fixture's OpenSSL is attributed to the US; the other two have no country.
    let ev = eval(HOSTILE, "[policy]\ndeny_countries = [\"us\", \"DE\"]\n");
    assert_eq!(ev.violations.len(), 1);
    let v = &ev.violations[0];
    assert_eq!(v.rule, "deny_countries");
    assert_eq!(v.limit, json!("US"));
    assert_eq!(v.components, ["csv"]);
    assert_eq!(v.components_total, 1);
}

#[test]
fn deny_vendors_matches_ids_and_names() {
    let by_id = eval(
        HOSTILE,
        "[policy]\ndeny_vendors = [\"openssl-foundation\"]\n",
    );
    assert_eq!(by_id.violations.len(), 1);
    assert_eq!(by_id.violations[0].components, ["csv"]);
    let by_name = eval(
        HOSTILE,
        "[policy]\ndeny_vendors = [\"evil <img src=x onerror=alert(2)> corp\"]\n",
    );
    assert_eq!(by_name.violations.len(), 1);
    assert_eq!(by_name.violations[0].components, ["xss"]);
    let none = eval(HOSTILE, "[policy]\ndeny_vendors = [\"huawei\"]\n");
    assert!(none.passed);
}

#[test]
fn require_supplier_lists_components_without_a_vendor() {
    let ev = eval(HOSTILE, "[policy]\nrequire_supplier = true\n");
    assert_eq!(ev.violations.len(), 1);
    let v = &ev.violations[0];
    assert_eq!(v.rule, "require_supplier");
    assert_eq!(v.components, ["quote\" onmouseover=\"alert(3)"]);
    let off = eval(HOSTILE, "[policy]\nrequire_supplier = false\n");
    assert!(off.passed);
}

#[test]
fn finding_rules_take_the_codes_of_the_scores() {
    // Keys are the finding codes (score::Code), values a severity; a typo gets a suggestion.
    let e = parse("[policy.findings]\nSR-EMBARGOO = \"high\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("policy.findings.SR-EMBARGOO: not a finding code; did you mean SR-EMBARGO?"),
        "{e}"
    );
    let e = parse("[policy.findings]\nSR-EMBARGO = \"severe\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("SR-EMBARGO = 'severe' is not one of"), "{e}");
    // The router has findings; failing on every code at info catches each of them, and
    // nothing fails at a level above every finding's severity.
    let all: String = Code::all()
        .map(|c| format!("{} = \"info\"\n", c.as_str()))
        .collect();
    let ev = eval(ROUTER, &format!("[policy.findings]\n{all}"));
    let n = with_report(ROUTER, |r| r.findings.len());
    assert!(n > 0);
    assert_eq!(ev.violations.len(), n);
    assert!(ev.violations.iter().all(|v| v.rule == "findings"));
    let top = with_report(ROUTER, |r| r.findings.iter().map(|f| f.severity).max());
    if let Some(top) = top.filter(|t| *t < Severity::Critical) {
        let above = Severity::ALL.into_iter().find(|s| *s > top).unwrap();
        let rules: String = Code::all()
            .map(|c| format!("{} = \"{}\"\n", c.as_str(), above.as_str()))
            .collect();
        assert!(eval(ROUTER, &format!("[policy.findings]\n{rules}")).passed);
    }
}

#[test]
fn a_denied_vendor_the_data_does_not_know_is_a_warning() {
    let p = parse("[policy]\ndeny_vendors = [\"huawei\", \"huawey\", \"Example Corp\"]\n").unwrap();
    assert_eq!(p.deny_vendors.len(), 3);
    assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
    assert!(
        p.warnings[0].contains("'huawey' matches no vendor of the data; did you mean 'huawei'?"),
        "{:?}",
        p.warnings
    );
    assert!(p.warnings[1].contains("'Example Corp'"), "{:?}", p.warnings);
}

/// The SARIF report lists [`RULES`] up front: every rule `evaluate` can write is in it, and it
/// names no rule `evaluate` never writes.
#[test]
fn every_rule_evaluate_writes_is_listed() {
    let src = include_str!("mod.rs");
    let body = &src[src.find("pub fn evaluate").expect("evaluate is in mod.rs")..];
    let mut written = Vec::new();
    for key in ["limit(", "rule: "] {
        for (at, _) in body.match_indices(key) {
            let rest = body[at + key.len()..].trim_start();
            if let Some(lit) = rest.strip_prefix('"') {
                let name = &lit[..lit.find('"').unwrap_or(0)];
                if !name.is_empty() {
                    written.push(name);
                }
            }
        }
    }
    written.sort_unstable();
    written.dedup();
    let mut listed: Vec<&str> = RULES.iter().map(|(r, _)| *r).collect();
    listed.sort_unstable();
    assert_eq!(written, listed);
}
