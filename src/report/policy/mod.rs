//! The policy gate (`--policy FILE`, TOML), in the spirit of cargo-deny's config: limits on the
//! scores and lists of origin countries and vendors a buyer does not accept. `analyze` exits 1
//! when a product violates it; `portfolio` and `diff` load and evaluate the same way.
//!
//! ```toml
//! [policy]
//! max_political_exposure = 40       # political_exposure above this violates
//! max_single_vendor_reliance = 60
//! min_origin_diversity = 20         # origin_diversity below this violates
//! max_risk_index = 50
//! fail_on_rating = "high"           # this rating or worse violates
//! deny_countries = ["XX"]           # origin countries not accepted
//! deny_vendors = ["vendor-id"]      # registry ids or vendor names, case-insensitive
//! require_supplier = false          # every component must have a known vendor
//!
//! [policy.findings]                 # a finding of this code at this severity or worse violates
//! SR-VENDOR-MEASURE = "high"        # keys: the finding codes of docs/scoring.md (score::Code)
//! SR-EMBARGO = "medium"
//! ```

use crate::data::Registry;
use crate::score::{Code, Rating, Report, Severity};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::path::Path;

/// A policy file that cannot be used: the file, and what is wrong (with the key and, for
/// syntax errors, the line and column).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct PolicyError {
    pub file: String,
    pub message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    policy: Option<Rules>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rules {
    max_political_exposure: Option<f64>,
    max_single_vendor_reliance: Option<f64>,
    min_origin_diversity: Option<f64>,
    max_risk_index: Option<f64>,
    fail_on_rating: Option<String>,
    #[serde(default)]
    deny_countries: Vec<String>,
    #[serde(default)]
    deny_vendors: Vec<String>,
    #[serde(default)]
    require_supplier: bool,
    /// Finding code -> the severity from which a finding of that code violates.
    #[serde(default)]
    findings: std::collections::BTreeMap<String, String>,
}

/// A checked policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The file it was read from, as given.
    pub file: String,
    pub max_political_exposure: Option<f64>,
    pub max_single_vendor_reliance: Option<f64>,
    pub min_origin_diversity: Option<f64>,
    pub max_risk_index: Option<f64>,
    pub fail_on_rating: Option<Rating>,
    /// ISO 3166-1 alpha-2, upper case.
    pub deny_countries: Vec<String>,
    pub deny_vendors: Vec<String>,
    pub require_supplier: bool,
    /// `[policy.findings]`: a finding of the code at the severity or worse violates.
    pub findings: Vec<(Code, Severity)>,
    /// What the file says that is allowed but likely a mistake (a `deny_vendors` entry no
    /// vendor of the data matches), as cargo-deny warns of an entry that matches nothing.
    pub warnings: Vec<String>,
}

/// Every rule a [`Violation`] can name, with what it checks: the SARIF report lists them all
/// up front (a test checks this list against the rules `evaluate` writes).
pub const RULES: &[(&str, &str)] = &[
    (
        "max_political_exposure",
        "political_exposure above the policy's maximum",
    ),
    (
        "max_single_vendor_reliance",
        "single_vendor_reliance above the policy's maximum",
    ),
    (
        "min_origin_diversity",
        "origin_diversity below the policy's minimum",
    ),
    ("max_risk_index", "risk index above the policy's maximum"),
    (
        "fail_on_rating",
        "rating at or above the policy's failing rating",
    ),
    (
        "deny_countries",
        "components from an origin country the policy denies",
    ),
    ("deny_vendors", "components from a vendor the policy denies"),
    ("require_supplier", "components without a known vendor"),
    (
        "findings",
        "a finding at or above the severity the policy fails on",
    ),
];

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The policy key, e.g. `max_political_exposure`, `deny_countries`.
    pub rule: &'static str,
    /// The limit the policy sets (a number, a rating, a country code, a vendor, `true`).
    pub limit: Value,
    /// What the product has.
    pub actual: Value,
    /// One human line.
    pub message: String,
    /// bom-refs of the components behind it (deny_* and require_supplier), at most
    /// `MAX_REFS`; `components_total` counts all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    pub components_total: usize,
}

/// The verdict on one product.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The policy file.
    pub file: String,
    pub passed: bool,
    pub violations: Vec<Violation>,
}

/// A limit or actual value for people: numbers and strings bare, objects as `k=v, ...`.
pub fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k}={}", show(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// At most this many refs per violation.
pub const MAX_REFS: usize = 1000;

fn rating(s: &str) -> Option<Rating> {
    match s.trim().to_ascii_lowercase().as_str() {
        "low" => Some(Rating::Low),
        "medium" => Some(Rating::Medium),
        "high" => Some(Rating::High),
        "critical" => Some(Rating::Critical),
        _ => None,
    }
}

/// `line L, column C` of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

impl Policy {
    /// Reads and checks a policy file.
    pub fn load(path: &Path, reg: &Registry) -> Result<Policy, PolicyError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| PolicyError {
            file: file.clone(),
            message: format!("cannot read: {e}"),
        })?;
        Policy::parse(&file, &text, reg)
    }

    /// Parses and checks a policy; `file` names it in errors.
    pub fn parse(file: &str, text: &str, reg: &Registry) -> Result<Policy, PolicyError> {
        let err = |message: String| PolicyError {
            file: file.to_string(),
            message,
        };
        let parsed: PolicyFile = toml::from_str(text).map_err(|e| {
            let msg = e.message().trim().replace('\n', " ");
            match e.span() {
                Some(span) => {
                    let (l, c) = line_col(text, span.start);
                    err(format!("line {l}, column {c}: {msg}"))
                }
                None => err(msg),
            }
        })?;
        let rules = parsed
            .policy
            .ok_or_else(|| err("no [policy] table".to_string()))?;
        let mut problems = Vec::new();
        for (key, v) in [
            ("max_political_exposure", rules.max_political_exposure),
            (
                "max_single_vendor_reliance",
                rules.max_single_vendor_reliance,
            ),
            ("min_origin_diversity", rules.min_origin_diversity),
            ("max_risk_index", rules.max_risk_index),
        ] {
            if let Some(v) = v {
                if !(0.0..=100.0).contains(&v) {
                    problems.push(format!("policy.{key} = {v} is not in [0, 100]"));
                }
            }
        }
        let fail_on_rating = match rules.fail_on_rating.as_deref() {
            None => None,
            Some(s) => match rating(s) {
                Some(r) => Some(r),
                None => {
                    problems.push(format!(
                        "policy.fail_on_rating = '{s}' is not one of low, medium, high, critical"
                    ));
                    None
                }
            },
        };
        let mut deny_countries = Vec::new();
        for cc in &rules.deny_countries {
            match reg.country_code(cc) {
                Some(code) if cc.trim().len() == 2 => deny_countries.push(code.to_string()),
                _ => problems.push(format!(
                    "policy.deny_countries: '{cc}' is not an ISO 3166-1 alpha-2 country code"
                )),
            }
        }
        let mut deny_vendors = Vec::new();
        let mut warnings = Vec::new();
        for v in &rules.deny_vendors {
            let v = v.trim();
            if v.is_empty() {
                problems.push("policy.deny_vendors: an empty vendor".to_string());
                continue;
            }
            let known = reg.by_id(v).is_some()
                || reg.by_name(v).is_some()
                || reg.vendors.iter().any(|x| {
                    x.id.eq_ignore_ascii_case(v)
                        || x.aliases.iter().any(|a| a.eq_ignore_ascii_case(v))
                });
            if !known {
                let hint = crate::data::nearest(v, reg.vendors.iter().map(|x| x.id.as_str()))
                    .map_or(String::new(), |n| format!("; did you mean '{n}'?"));
                warnings.push(format!(
                    "{file}: policy.deny_vendors: '{v}' matches no vendor of the data{hint} (it still matches a vendor name an SBOM declares)"
                ));
            }
            deny_vendors.push(v.to_string());
        }
        let mut findings = Vec::new();
        for (code, level) in &rules.findings {
            let Some(c) = Code::parse(code) else {
                let known: Vec<&str> = Code::all().map(Code::as_str).collect();
                let near = crate::data::nearest(code, known.iter().copied());
                problems.push(format!(
                    "policy.findings.{code}: not a finding code{}",
                    near.map_or_else(
                        || format!(" (one of {})", known.join(", ")),
                        |n| format!("; did you mean {n}?")
                    )
                ));
                continue;
            };
            match Severity::parse(level) {
                Some(sev) => findings.push((c, sev)),
                None => problems.push(format!(
                    "policy.findings.{code} = '{level}' is not one of info, low, medium, high, critical"
                )),
            }
        }
        if !problems.is_empty() {
            return Err(err(problems.join("; ")));
        }
        Ok(Policy {
            file: file.to_string(),
            max_political_exposure: rules.max_political_exposure,
            max_single_vendor_reliance: rules.max_single_vendor_reliance,
            min_origin_diversity: rules.min_origin_diversity,
            max_risk_index: rules.max_risk_index,
            fail_on_rating,
            deny_countries,
            deny_vendors,
            require_supplier: rules.require_supplier,
            findings,
            warnings,
        })
    }

    /// Every rule the product breaks, in the order of the keys above.
    pub fn evaluate(&self, r: &Report<'_>) -> Evaluation {
        let mut out = Vec::new();
        let s = &r.scores;
        let mut limit = |rule: &'static str, lim: Option<f64>, actual: f64, max: bool| {
            let Some(lim) = lim else { return };
            let broken = if max { actual > lim } else { actual < lim };
            if broken {
                out.push(Violation {
                    rule,
                    limit: json!(lim),
                    actual: json!(actual),
                    message: format!(
                        "{} is {actual:.1}, the policy {} {lim}",
                        rule.trim_start_matches("max_").trim_start_matches("min_"),
                        if max {
                            "allows at most"
                        } else {
                            "requires at least"
                        }
                    ),
                    components: Vec::new(),
                    components_total: 0,
                });
            }
        };
        limit(
            "max_political_exposure",
            self.max_political_exposure,
            s.political_exposure.value,
            true,
        );
        limit(
            "max_single_vendor_reliance",
            self.max_single_vendor_reliance,
            s.single_vendor_reliance.value,
            true,
        );
        limit(
            "min_origin_diversity",
            self.min_origin_diversity,
            s.origin_diversity.value,
            false,
        );
        limit("max_risk_index", self.max_risk_index, r.risk_index, true);
        if let Some(lim) = self.fail_on_rating {
            if r.rating >= lim {
                out.push(Violation {
                    rule: "fail_on_rating",
                    limit: json!(lim.as_str()),
                    actual: json!(r.rating.as_str()),
                    message: format!(
                        "rating is {}, the policy fails on {} or worse",
                        r.rating.as_str(),
                        lim.as_str()
                    ),
                    components: Vec::new(),
                    components_total: 0,
                });
            }
        }
        let refs = |pred: &dyn Fn(&crate::score::ComponentScore<'_>) -> bool| {
            let mut refs = Vec::new();
            let mut n = 0;
            for c in r.components.iter().filter(|c| pred(c)) {
                n += 1;
                if refs.len() < MAX_REFS {
                    refs.push(c.bom_ref().to_string());
                }
            }
            (refs, n)
        };
        for cc in &self.deny_countries {
            let (components, n) = refs(&|c| c.country() == Some(cc.as_str()));
            if n > 0 {
                let share = r
                    .countries
                    .iter()
                    .find(|s| s.country.as_deref() == Some(cc.as_str()))
                    .map_or(0.0, |s| s.share);
                out.push(Violation {
                    rule: "deny_countries",
                    limit: json!(cc),
                    actual: json!({ "country": cc, "components": n, "share": share }),
                    message: format!(
                        "{n} component(s) ({}) originate in {cc}, a denied country",
                        super::pct(share)
                    ),
                    components,
                    components_total: n,
                });
            }
        }
        for denied in &self.deny_vendors {
            let hit = |c: &crate::score::ComponentScore<'_>| {
                c.vendor_id()
                    .is_some_and(|v| v.eq_ignore_ascii_case(denied))
                    || c.vendor().is_some_and(|v| v.eq_ignore_ascii_case(denied))
            };
            let (components, n) = refs(&hit);
            if n > 0 {
                let share = r
                    .vendors
                    .iter()
                    .find(|v| {
                        v.id.as_deref()
                            .is_some_and(|id| id.eq_ignore_ascii_case(denied))
                            || v.name.eq_ignore_ascii_case(denied)
                    })
                    .map_or(0.0, |v| v.share);
                out.push(Violation {
                    rule: "deny_vendors",
                    limit: json!(denied),
                    actual: json!({ "vendor": denied, "components": n, "share": share }),
                    message: format!(
                        "{n} component(s) ({}) come from {denied}, a denied vendor",
                        super::pct(share)
                    ),
                    components,
                    components_total: n,
                });
            }
        }
        if self.require_supplier {
            let (components, n) = refs(&|c| c.vendor().is_none());
            if n > 0 {
                out.push(Violation {
                    rule: "require_supplier",
                    limit: json!(true),
                    actual: json!({ "components_without_vendor": n }),
                    message: format!("{n} component(s) have no known vendor"),
                    components,
                    components_total: n,
                });
            }
        }
        for (code, level) in &self.findings {
            for f in r
                .findings
                .iter()
                .filter(|f| f.id == code.as_str() && f.severity >= *level)
            {
                out.push(Violation {
                    rule: "findings",
                    limit: json!({ "code": f.id, "severity": level.as_str() }),
                    actual: json!({ "severity": f.severity.as_str(), "subject": f.subject }),
                    message: format!(
                        "finding {}{} is {}, the policy fails on {} or worse: {}",
                        f.id,
                        f.subject
                            .as_deref()
                            .map_or(String::new(), |s| format!(" ({s})")),
                        f.severity.as_str(),
                        level.as_str(),
                        f.title
                    ),
                    components: f.components.clone(),
                    components_total: f.components_total,
                });
            }
        }
        Evaluation {
            file: self.file.clone(),
            passed: out.is_empty(),
            violations: out,
        }
    }
}

#[cfg(test)]
mod tests;
