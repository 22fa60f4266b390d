//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and similar dashboards. One run, tool
//! `sbomrisk`, listing every rule of the tool up front (each finding code with its Article 10
//! factor, each policy rule), so results stream out as each product is reported; one
//! result per finding and per policy violation, located at the SBOM file (physical, line 1: a
//! finding is about the document) and at its components (logical, by bom-ref). `partialFingerprints` hash the rule, the file and the
//! components (not the figures), so a finding keeps its identity across runs and data updates.

use super::{Product, ReportError, Writer};
use crate::score::{Finding, Severity};
use serde_json::{json, Map, Value};

/// The schema URI SARIF 2.1.0 files name.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// At most this many components are listed as logical locations of one result.
pub const MAX_LOGICAL_LOCATIONS: usize = 50;

/// The repository URL, when Cargo.toml names one (`informationUri`, `helpUri`).
fn repository() -> Option<&'static str> {
    option_env!("CARGO_PKG_REPOSITORY").filter(|s| !s.is_empty())
}

/// Every rule of the tool, sorted by id (finding codes, then `policy/*`): each finding code
/// with its Article 10 factor, and each policy rule. Listed in full before the first result,
/// so each result is written with its `ruleIndex` as it comes.
fn rules() -> Vec<(String, Value)> {
    let help = repository().map(|r| format!("{r}/blob/main/docs/scoring.md#findings"));
    let mut out: Vec<(String, Value)> = crate::score::Code::all()
        .map(|code| {
            let (id, factor) = (code.as_str(), code.factor());
            let mut rule = json!({
                "id": id,
                "name": id.trim_start_matches("SR-").replace('-', "_").to_ascii_lowercase(),
                "shortDescription": { "text": code.summary() },
                "fullDescription": { "text": format!("{} (Article {} {} of the Cybersecurity Review Measures)", code.summary(), factor.article, factor.clause) },
                "properties": {
                    "article": factor.article,
                    "clause": factor.clause,
                    "tags": ["supply-chain", format!("article-{}", factor.article)],
                },
            });
            if let Some(h) = &help {
                rule["helpUri"] = json!(h);
            }
            (id.to_string(), rule)
        })
        .collect();
    out.extend(crate::report::policy::RULES.iter().map(|(rule, what)| {
        let id = format!("policy/{rule}");
        let v = json!({
            "id": id,
            "name": format!("policy_{rule}"),
            "shortDescription": { "text": format!("Policy: {what}") },
            "properties": { "tags": ["policy"] },
        });
        (id, v)
    }));
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// SARIF level of a severity: critical/high error, medium warning, low/info note.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` (0-10) of a severity.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// FNV-1a, 64 bits: a stable hash (std's hasher may change between Rust releases).
fn fnv(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Writes one SARIF run over the products: the tool and its rules first, then each result as
/// its product is reported (nothing of a product is kept once it is written), then the
/// artifacts, the invocation and the run's properties.
#[derive(Debug, Default)]
pub struct SarifWriter {
    /// The rule ids in `ruleIndex` order; empty until the head is written.
    rule_ids: Vec<String>,
    /// Whether the head (up to the opening of `results`) has been written.
    started: bool,
    /// Results written so far.
    written: usize,
    artifacts: Vec<String>,
    notifications: Vec<Value>,
    /// The buyer, date, data and profile of the first product.
    properties: Option<Value>,
}

impl SarifWriter {
    fn artifact(&mut self, file: &str) -> usize {
        match self.artifacts.iter().position(|a| a == file) {
            Some(i) => i,
            None => {
                self.artifacts.push(file.to_string());
                self.artifacts.len() - 1
            }
        }
    }

    /// The document up to the opening of the run's `results`, written once.
    fn start(&mut self, out: &mut dyn std::io::Write) -> Result<(), ReportError> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let rules = rules();
        self.rule_ids = rules.iter().map(|(id, _)| id.clone()).collect();
        let mut driver = Map::new();
        driver.insert("name".into(), json!("sbomrisk"));
        driver.insert("version".into(), json!(crate::VERSION));
        driver.insert("semanticVersion".into(), json!(crate::VERSION));
        if let Some(r) = repository() {
            driver.insert("informationUri".into(), json!(r));
        }
        driver.insert(
            "rules".into(),
            Value::Array(rules.into_iter().map(|(_, v)| v).collect()),
        );
        write!(
            out,
            "{{\n  \"$schema\": {},\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": ",
            json!(SCHEMA_URI)
        )?;
        crate::jsonfmt::write_pretty(&mut *out, 3, &json!({ "driver": driver }))?;
        out.write_all(b",\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [")?;
        Ok(())
    }

    /// Writes one result, with the index of its rule.
    fn result(&mut self, out: &mut dyn std::io::Write, mut res: Value) -> Result<(), ReportError> {
        if let Some(i) = res["ruleId"]
            .as_str()
            .and_then(|id| self.rule_ids.binary_search_by(|r| r.as_str().cmp(id)).ok())
        {
            res["ruleIndex"] = json!(i);
        }
        out.write_all(if self.written == 0 {
            b"\n        "
        } else {
            b",\n        "
        })?;
        crate::jsonfmt::write_pretty(&mut *out, 4, &res)?;
        self.written += 1;
        Ok(())
    }

    fn location(file: &str, index: usize, components: &[String], total: usize) -> Value {
        let logical: Vec<Value> = components
            .iter()
            .take(MAX_LOGICAL_LOCATIONS)
            .map(|r| json!({ "name": r, "fullyQualifiedName": r, "kind": "module" }))
            .collect();
        // GitHub code scanning wants a region; a finding is about the document as a whole.
        let mut loc = json!({
            "physicalLocation": {
                "artifactLocation": { "uri": file, "index": index },
                "region": { "startLine": 1 },
            },
        });
        if !logical.is_empty() {
            loc["logicalLocations"] = Value::Array(logical);
        }
        if total > MAX_LOGICAL_LOCATIONS {
            loc["properties"] = json!({ "componentsNotListed": total - MAX_LOGICAL_LOCATIONS });
        }
        loc
    }

    fn finding(
        &mut self,
        out: &mut dyn std::io::Write,
        file: &str,
        index: usize,
        f: &Finding,
    ) -> Result<(), ReportError> {
        let mut text = f.title.clone();
        if let Some(e) = f.evidence.first() {
            text.push_str(". Evidence: ");
            text.push_str(e);
        }
        text.push_str(". Mitigation: ");
        text.push_str(&f.mitigation);
        let comps: Vec<&str> = f.components.iter().map(String::as_str).collect();
        let mut parts = vec![f.id, file];
        parts.extend(&comps);
        let result = json!({
            "ruleId": f.id,
            "level": level(f.severity),
            "message": { "text": text },
            "locations": [Self::location(file, index, &f.components, f.components_total)],
            "partialFingerprints": { "sbomrisk/v1": fnv(&parts) },
            "properties": {
                "severity": f.severity.as_str(),
                "security-severity": security_severity(f.severity),
                "share": f.share,
                "componentsTotal": f.components_total,
                "evidence": f.evidence,
            },
        });
        self.result(out, result)
    }
}

impl Writer for SarifWriter {
    fn product(
        &mut self,
        out: &mut dyn std::io::Write,
        p: &Product<'_, '_>,
    ) -> Result<(), ReportError> {
        self.start(out)?;
        let r = p.report;
        let index = self.artifact(&r.file);
        if self.properties.is_none() {
            self.properties = Some(json!({
                "buyer": r.buyer,
                "asOf": r.as_of,
                "dataVersion": r.data_version,
                "profile": r.profile.name,
                "profileDigest": r.profile.digest,
            }));
        }
        for f in &r.findings {
            self.finding(out, &r.file, index, f)?;
        }
        if let Some(ev) = p.policy {
            for v in &ev.violations {
                let id = format!("policy/{}", v.rule);
                let limit = v.limit.to_string();
                let mut parts = vec![id.as_str(), r.file.as_str(), limit.as_str()];
                parts.extend(v.components.iter().map(String::as_str));
                let result = json!({
                    "ruleId": id,
                    "level": "error",
                    "message": { "text": format!("{} (policy {})", v.message, ev.file) },
                    "locations": [Self::location(&r.file, index, &v.components, v.components_total)],
                    "partialFingerprints": { "sbomrisk/v1": fnv(&parts) },
                    "properties": {
                        "policy": ev.file,
                        "limit": v.limit,
                        "actual": v.actual,
                        "security-severity": "8.0",
                    },
                });
                self.result(out, result)?;
            }
        }
        Ok(())
    }

    fn failure(
        &mut self,
        out: &mut dyn std::io::Write,
        file: &str,
        error: &str,
    ) -> Result<(), ReportError> {
        self.start(out)?;
        let index = self.artifact(file);
        self.notifications.push(json!({
            "level": "error",
            "message": { "text": error },
            "locations": [{ "physicalLocation": { "artifactLocation": { "uri": file, "index": index } } }],
        }));
        Ok(())
    }

    fn finish(mut self: Box<Self>, out: &mut dyn std::io::Write) -> Result<(), ReportError> {
        self.start(out)?;
        out.write_all(if self.written == 0 {
            b"]"
        } else {
            b"\n      ]"
        })?;
        let artifacts: Vec<Value> = self
            .artifacts
            .iter()
            .map(|a| json!({ "location": { "uri": a } }))
            .collect();
        let invocations = json!([{
            "executionSuccessful": self.notifications.is_empty(),
            "toolExecutionNotifications": std::mem::take(&mut self.notifications),
        }]);
        let mut tail: Vec<(&str, Value)> = vec![
            ("artifacts", Value::Array(artifacts)),
            ("invocations", invocations),
        ];
        if let Some(p) = self.properties.take() {
            tail.push(("properties", p));
        }
        for (key, value) in &tail {
            write!(out, ",\n      \"{key}\": ")?;
            crate::jsonfmt::write_pretty(&mut *out, 3, value)?;
        }
        out.write_all(b"\n    }\n  ]\n}\n")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::{registry, with_report, ROUTER};
    use crate::report::Policy;

    #[test]
    fn levels_follow_severity() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(level(Severity::Info), "note");
    }

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        assert_eq!(fnv(&["a", "b"]), fnv(&["a", "b"]));
        assert_ne!(fnv(&["ab", ""]), fnv(&["a", "b"]));
        assert_eq!(fnv(&[]), "cbf29ce484222325");
    }

    /// The results, written into the document one at a time, each point at their rule.
    #[test]
    fn every_result_points_at_its_rule() {
        let doc = sarif(Some(
            "[policy]\nmax_political_exposure = 0\nrequire_supplier = true\n",
        ));
        let run = &doc["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let results = run["results"].as_array().unwrap();
        assert!(results.len() > 1, "{}", results.len());
        for r in results {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
        }
        // The rest of the run is still there around them.
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    }

    fn sarif(policy: Option<&str>) -> Value {
        let reg = registry();
        let pol = policy.map(|p| Policy::parse("p.toml", p, &reg).unwrap());
        with_report(ROUTER, |r| {
            let ev = pol.as_ref().map(|p| p.evaluate(r));
            let mut buf = Vec::new();
            let mut w: Box<dyn Writer> = Box::<SarifWriter>::default();
            w.product(
                &mut buf,
                &Product {
                    report: r,
                    paths: None,
                    policy: ev.as_ref(),
                },
            )
            .unwrap();
            w.failure(
                &mut buf,
                "broken.json",
                "broken.json: line 1, column 2: oops",
            )
            .unwrap();
            w.finish(&mut buf).unwrap();
            serde_json::from_slice(&buf).unwrap()
        })
    }

    #[test]
    fn the_required_structure_of_sarif_2_1_0() {
        let s = sarif(Some("[policy]\nmax_political_exposure = 0\n"));
        assert_eq!(s["version"], "2.1.0");
        assert_eq!(s["$schema"], SCHEMA_URI);
        let run = &s["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "sbomrisk");
        assert_eq!(run["tool"]["driver"]["version"], crate::VERSION);
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let results = run["results"].as_array().unwrap();
        assert!(!results.is_empty());
        for res in results {
            let id = res["ruleId"].as_str().unwrap();
            let i = res["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], id);
            assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
            assert!(res["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty()));
            assert_eq!(
                res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                "fixture.cdx.json"
            );
            assert!(res["partialFingerprints"]["sbomrisk/v1"].is_string());
        }
        for rule in rules {
            assert!(rule["shortDescription"]["text"].is_string());
            if rule["id"].as_str().unwrap().starts_with("SR-") {
                assert!(rule["properties"]["article"].is_string());
            }
        }
        let policy: Vec<&Value> = results
            .iter()
            .filter(|r| r["ruleId"] == "policy/max_political_exposure")
            .collect();
        assert_eq!(policy.len(), 1);
        assert_eq!(policy[0]["level"], "error");
        // The unreadable file is a notification, and the run is marked unsuccessful.
        let inv = &run["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        assert_eq!(inv["toolExecutionNotifications"][0]["level"], "error");
        assert_eq!(run["artifacts"].as_array().unwrap().len(), 2);
    }

    /// Every finding code and policy rule is a rule, once, in id order; a run with no
    /// product is still a whole document.
    #[test]
    fn every_rule_is_listed_up_front() {
        let mut buf = Vec::new();
        let w: Box<dyn Writer> = Box::<SarifWriter>::default();
        w.finish(&mut buf).unwrap();
        let doc: Value = serde_json::from_slice(&buf).unwrap();
        let run = &doc["runs"][0];
        let ids: Vec<&str> = run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
        assert_eq!(
            ids.len(),
            crate::score::Code::all().count() + crate::report::policy::RULES.len()
        );
        assert!(ids.contains(&"SR-EMBARGO") && ids.contains(&"policy/findings"));
        assert_eq!(run["results"], json!([]));
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
        let embargo = run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "SR-EMBARGO")
            .unwrap();
        assert_eq!(embargo["properties"]["article"], "10(2)");
    }

    /// A product's results are written when it is reported: the writer keeps none of them.
    #[test]
    fn results_are_written_as_products_come() {
        with_report(ROUTER, |r| {
            let mut buf = Vec::new();
            let mut w = SarifWriter::default();
            let p = Product {
                report: r,
                paths: None,
                policy: None,
            };
            w.product(&mut buf, &p).unwrap();
            let after_one = buf.len();
            assert!(w.written > 0);
            let text = String::from_utf8_lossy(&buf).into_owned();
            assert!(text.contains(r.findings[0].id), "{text}");
            w.product(&mut buf, &p).unwrap();
            assert!(buf.len() > after_one);
            Box::new(w).finish(&mut buf).unwrap();
            let doc: Value = serde_json::from_slice(&buf).unwrap();
            let results = doc["runs"][0]["results"].as_array().unwrap();
            assert_eq!(results.len(), 2 * r.findings.len());
            assert_eq!(doc["runs"][0]["artifacts"].as_array().unwrap().len(), 1);
        });
    }

    #[test]
    fn fingerprints_do_not_change_between_runs() {
        let fp = |s: &Value| -> Vec<Value> {
            s["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["partialFingerprints"].clone())
                .collect()
        };
        let a = sarif(None);
        let b = sarif(None);
        assert_eq!(fp(&a), fp(&b));
        let mut all = fp(&a);
        let n = all.len();
        all.sort_by_key(|v| v.to_string());
        all.dedup();
        assert_eq!(all.len(), n, "two results share a fingerprint");
    }
}
