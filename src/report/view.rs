//! The report as people read it: the figures text, Markdown and HTML show, taken from the
//! score's [`Report`] once per product and formatted once (percentages, ratings, bounds, the
//! basis of a vendor's country, evidence lines with their repeats marked), so the three human
//! formats lay out the same words instead of each deriving them again.
//!
//! Nothing here is escaped: the view holds the report's text as it came (SBOM strings are
//! hostile), and each format escapes what it writes. Nothing is recomputed either: every
//! figure is read from the report; the view only picks, orders and formats.

use super::{by_weight_top, pct, MAX_COMPONENT_ROWS};
use crate::score::{Bounds, Rating, Report, Severity};
use std::collections::HashMap;

/// How many findings the summary names as the top risks.
pub const TOP_RISKS: usize = 3;

/// At most this many components are named per finding (the JSON report lists them all).
pub const COMPONENTS_SHOWN: usize = 10;

/// What the pair card of the unknown-origin bucket says instead of rows.
pub const UNKNOWN_ORIGIN_CARD: &str = "unknown origin (taken as the most exposed known foreign \
     origin, at least exposure.unknown_country)";

/// One product, ready to be laid out.
#[derive(Debug, Clone)]
pub struct View<'r> {
    /// The document's name, or the file when it has none.
    pub title: &'r str,
    pub file: &'r str,
    /// `CycloneDX 1.6`, `SPDX 2.3`: the format as people write it.
    pub format: String,
    pub components: usize,
    pub edges: usize,
    pub buyer: &'r str,
    pub as_of: &'r str,
    /// `sbomrisk 0.1.0`.
    pub tool: String,
    pub data_version: &'r str,
    /// `default (digest)`.
    pub profile: String,
    pub rating: Rating,
    /// `MEDIUM`.
    pub rating_label: String,
    /// `37.6`.
    pub risk_index: String,
    /// Why the rating is what it is (the score's `rating_reason`).
    pub rating_reason: &'r str,
    /// The five scores, in the report's order.
    pub scores: Vec<ScoreRow>,
    /// Findings in the report's order, numbered from 1.
    pub findings: Vec<FindingRow<'r>>,
    /// Indices into `findings` of the top risks: most severe first, report order among equals,
    /// at most [`TOP_RISKS`].
    pub top_risks: Vec<usize>,
    pub countries: Vec<CountryRow<'r>>,
    pub vendors: Vec<VendorRow<'r>>,
    /// Weighted share of the product whose vendor is unknown.
    pub unknown_vendor_share: f64,
    /// What a degraded component weighs against a lost one in a scenario's impact.
    pub degraded_weight: f64,
    pub scenarios: Vec<ScenarioRow<'r>>,
    pub completeness: Vec<CompletenessRow<'r>>,
    /// The heaviest components, at most [`MAX_COMPONENT_ROWS`], heaviest first.
    pub heaviest: Vec<ComponentRow<'r>>,
    /// Every component of the report.
    pub components_total: usize,
}

/// One of the five scores.
#[derive(Debug, Clone)]
pub struct ScoreRow {
    /// The JSON key: `origin_diversity`.
    pub key: &'static str,
    pub value: f64,
    /// `43.0`.
    pub value_text: String,
    /// What 100 means.
    pub direction: &'static str,
    /// True when a higher value is worse (exposure, reliance).
    pub higher_is_worse: bool,
    pub bounds: Option<Bounds>,
    /// `best 65.4, worst 43.0` over what unknown origin could be; `None` without bounds.
    pub bounds_text: Option<String>,
}

impl ScoreRow {
    /// How bad the value is, in [0, 1] (1 is the worst end of the scale).
    pub fn badness(&self) -> f64 {
        let v = (self.value / 100.0).clamp(0.0, 1.0);
        if self.higher_is_worse {
            v
        } else {
            1.0 - v
        }
    }
}

/// One evidence line of a finding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EvidenceLine<'r> {
    pub text: &'r str,
    /// The number of the earlier finding that has the same line, when one has.
    pub first: Option<usize>,
}

/// One finding.
#[derive(Debug, Clone)]
pub struct FindingRow<'r> {
    /// 1-based, in report order.
    pub number: usize,
    pub id: &'static str,
    pub severity: Severity,
    /// `HIGH`.
    pub severity_label: String,
    /// `10(3)`.
    pub article: &'static str,
    pub clause: &'static str,
    pub title: &'r str,
    /// The first [`COMPONENTS_SHOWN`] bom-refs.
    pub components: Vec<&'r str>,
    pub components_total: usize,
    /// `and 3 more` when the list is cut, else empty.
    pub components_more: String,
    /// Weighted share of the product, as a percentage.
    pub share: String,
    pub evidence: Vec<EvidenceLine<'r>>,
    pub mitigation: &'r str,
    /// The number of the earlier finding with the same mitigation, when one has.
    pub mitigation_first: Option<usize>,
}

/// The non-empty rows of a country's pair card, or why there are none.
#[derive(Debug, Clone)]
pub enum Card<'r> {
    /// The unknown-origin bucket: [`UNKNOWN_ORIGIN_CARD`].
    UnknownOrigin,
    /// A known country whose card has no measure.
    NoMeasure,
    Rows(Vec<CardRow<'r>>),
}

/// One non-empty row of a pair card.
#[derive(Debug, Clone, Copy)]
pub struct CardRow<'r> {
    pub indicator: &'r str,
    pub value: &'r str,
    pub weight: f64,
    pub detail: &'r str,
}

/// One origin country (or the unknown bucket).
#[derive(Debug, Clone)]
pub struct CountryRow<'r> {
    /// Alpha-2, `None` for unknown origin.
    pub code: Option<&'r str>,
    pub name: Option<&'r str>,
    /// `US (United States)`, `US`, or `unknown origin`.
    pub label: String,
    pub share: f64,
    pub share_text: String,
    pub components: usize,
    pub exposure: f64,
    /// `0.92`.
    pub exposure_text: String,
    pub card: Card<'r>,
}

/// One vendor.
#[derive(Debug, Clone)]
pub struct VendorRow<'r> {
    pub name: &'r str,
    pub country: Option<&'r str>,
    /// What the country is, in words: `headquarters`, `legal seat`, `fiscal host`...; `None`
    /// when the data does not know the vendor or gives it no country.
    pub basis: Option<&'static str>,
    pub share: f64,
    pub share_text: String,
    pub components: usize,
    /// One line per measure of the buyer's authorities naming the vendor.
    pub measures: Vec<&'r str>,
}

impl VendorRow<'_> {
    /// `US (fiscal host)`, `US`, or `unknown`.
    pub fn country_label(&self) -> String {
        match (self.country, self.basis) {
            (Some(c), Some(b)) => format!("{c} ({b})"),
            (Some(c), None) => c.to_string(),
            (None, _) => "unknown".to_string(),
        }
    }
}

/// One supply-cut scenario.
#[derive(Debug, Clone)]
pub struct ScenarioRow<'r> {
    pub name: &'r str,
    pub impact: f64,
    pub lost_text: String,
    pub degraded_text: String,
    pub impact_text: String,
    /// The impact if the unknown-origin components came from here, when the report has it.
    pub if_unknown_text: Option<String>,
    /// What is unknown about those components: `origin`, or `production site` for a disruption.
    pub unknown_kind: &'static str,
    pub removed: usize,
    pub degraded: usize,
    pub affected: usize,
    pub unknown: usize,
}

/// One completeness profile.
#[derive(Debug, Clone, Copy)]
pub struct CompletenessRow<'r> {
    pub title: &'r str,
    pub score: f64,
}

/// One row of the components table.
#[derive(Debug, Clone, Copy)]
pub struct ComponentRow<'r> {
    pub bom_ref: &'r str,
    pub name: &'r str,
    pub version: Option<&'r str>,
    pub vendor: Option<&'r str>,
    pub country: Option<&'r str>,
    pub channel: Option<&'r str>,
    pub weight: f64,
    pub exposure: f64,
    pub contribution: f64,
}

/// The format as people write it: `CycloneDX`, `SPDX`. The report's `document.format` is the
/// model's name for it (`CycloneDx`, `Spdx` today), matched without regard to case.
pub fn format_name(format: Option<&str>) -> &str {
    match format {
        Some(f) if f.eq_ignore_ascii_case("cyclonedx") => "CycloneDX",
        Some(f) if f.eq_ignore_ascii_case("spdx") => "SPDX",
        Some(f) => f,
        None => "unknown format",
    }
}

/// What a vendor's `country_basis` (data/README.md, "Country rule") is, in words; `None` for
/// `none` (no country).
pub fn basis_label(basis: &str) -> Option<&'static str> {
    Some(match basis {
        "headquarters" => "headquarters",
        "legal-seat" => "legal seat",
        "fiscal-host" => "fiscal host",
        "sponsor" => "sponsor",
        "maintainer-residence" => "maintainer's residence",
        "none" => return None,
        _ => "other basis",
    })
}

impl<'r> View<'r> {
    /// The view of one report.
    pub fn of(r: &'r Report<'_>) -> View<'r> {
        let s = &r.scores;
        let scores = [
            ("origin_diversity", &s.origin_diversity, false),
            ("single_vendor_reliance", &s.single_vendor_reliance, true),
            ("political_exposure", &s.political_exposure, true),
            ("continuity", &s.continuity, false),
            ("transparency", &s.transparency, false),
        ]
        .into_iter()
        .map(|(key, score, higher_is_worse)| ScoreRow {
            key,
            value: score.value,
            value_text: format!("{:.1}", score.value),
            direction: score.direction,
            higher_is_worse,
            bounds: score.bounds,
            bounds_text: score
                .bounds
                .map(|b| format!("best {:.1}, worst {:.1}", b.best, b.worst)),
        })
        .collect();

        let findings = findings(r);
        let mut top_risks: Vec<usize> = (0..findings.len()).collect();
        // Stable: among equal severities the report's order (by weight) stands.
        top_risks.sort_by(|a, b| findings[*b].severity.cmp(&findings[*a].severity));
        top_risks.truncate(TOP_RISKS);

        let countries = r
            .countries
            .iter()
            .map(|c| {
                let rows: Vec<CardRow<'r>> = c
                    .card
                    .iter()
                    .flat_map(|card| &card.rows)
                    .filter(|row| row.value != "none")
                    .map(|row| CardRow {
                        indicator: &row.indicator,
                        value: &row.value,
                        weight: row.weight,
                        detail: &row.detail,
                    })
                    .collect();
                CountryRow {
                    code: c.country.as_deref(),
                    name: c.name.as_deref(),
                    label: match (&c.country, &c.name) {
                        (Some(cc), Some(n)) => format!("{cc} ({n})"),
                        (Some(cc), None) => cc.clone(),
                        _ => "unknown origin".to_string(),
                    },
                    share: c.share,
                    share_text: pct(c.share),
                    components: c.components,
                    exposure: c.exposure,
                    exposure_text: format!("{:.2}", c.exposure),
                    card: if c.country.is_none() {
                        Card::UnknownOrigin
                    } else if rows.is_empty() {
                        Card::NoMeasure
                    } else {
                        Card::Rows(rows)
                    },
                }
            })
            .collect();

        let vendors = r
            .vendors
            .iter()
            .map(|v| VendorRow {
                name: &v.name,
                country: v.country.as_deref(),
                basis: v
                    .country_basis
                    .filter(|_| v.country.is_some())
                    .and_then(basis_label),
                share: v.share,
                share_text: pct(v.share),
                components: v.components,
                measures: v.measures.iter().map(|m| m.detail.as_str()).collect(),
            })
            .collect();

        let scenarios = r
            .scenarios
            .iter()
            .map(|sc| ScenarioRow {
                name: &sc.name,
                impact: sc.impact,
                lost_text: pct(sc.product_share_lost),
                degraded_text: pct(sc.product_share_degraded),
                impact_text: pct(sc.impact),
                if_unknown_text: sc.impact_if_unknown_here.map(pct),
                unknown_kind: if sc.name.starts_with("disruption:") {
                    "production site"
                } else {
                    "origin"
                },
                removed: sc.removed_components.len(),
                degraded: sc.degraded_components.len(),
                affected: sc.affected_components.len(),
                unknown: sc.unknown_components.len(),
            })
            .collect();

        let heaviest = by_weight_top(r, MAX_COMPONENT_ROWS)
            .into_iter()
            .map(|c| ComponentRow {
                bom_ref: c.bom_ref(),
                name: c.name(),
                version: c.version(),
                vendor: c.vendor(),
                country: c.country(),
                channel: c.channel(),
                weight: c.weight,
                exposure: c.exposure,
                contribution: c.contribution,
            })
            .collect();

        View {
            title: r.document.name.as_deref().unwrap_or(&r.file),
            file: &r.file,
            format: format!(
                "{} {}",
                format_name(r.document.format.as_deref()),
                r.document.spec_version
            ),
            components: r.document.components,
            edges: r.document.edges,
            buyer: &r.buyer,
            as_of: &r.as_of,
            tool: format!("{} {}", r.tool.name, r.tool.version),
            data_version: &r.data_version,
            profile: format!("{} ({})", r.profile.name, r.profile.digest),
            rating: r.rating,
            rating_label: r.rating.as_str().to_uppercase(),
            risk_index: format!("{:.1}", r.risk_index),
            rating_reason: &r.rating_reason,
            scores,
            findings,
            top_risks,
            countries,
            vendors,
            unknown_vendor_share: input(r, "unknown_vendor_share"),
            degraded_weight: r
                .scores
                .continuity
                .inputs
                .get("degraded_weight")
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(0.0),
            scenarios,
            completeness: r
                .completeness
                .iter()
                .map(|c| CompletenessRow {
                    title: c.title,
                    score: c.score,
                })
                .collect(),
            heaviest,
            components_total: r.components.len(),
        }
    }

    /// The top risks, most severe first.
    pub fn top_risks(&self) -> impl Iterator<Item = &FindingRow<'r>> {
        self.top_risks.iter().filter_map(|i| self.findings.get(*i))
    }
}

/// An input of single_vendor_reliance's formula, 0 when absent.
fn input(r: &Report<'_>, key: &str) -> f64 {
    r.scores
        .single_vendor_reliance
        .inputs
        .get(key)
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(0.0)
}

/// The findings, numbered, with each evidence line and mitigation that an earlier finding
/// already has pointed at that finding.
fn findings<'r>(r: &'r Report<'_>) -> Vec<FindingRow<'r>> {
    let mut seen_evidence: HashMap<&str, usize> = HashMap::new();
    let mut seen_mitigation: HashMap<&str, usize> = HashMap::new();
    r.findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let number = i + 1;
            let evidence = f
                .evidence
                .iter()
                .map(|e| {
                    let first = seen_evidence.get(e.as_str()).copied();
                    if first.is_none() {
                        seen_evidence.insert(e, number);
                    }
                    EvidenceLine { text: e, first }
                })
                .collect();
            let mitigation_first = seen_mitigation.get(f.mitigation.as_str()).copied();
            if mitigation_first.is_none() {
                seen_mitigation.insert(&f.mitigation, number);
            }
            let components: Vec<&str> = f
                .components
                .iter()
                .take(COMPONENTS_SHOWN)
                .map(String::as_str)
                .collect();
            FindingRow {
                number,
                id: f.id,
                severity: f.severity,
                severity_label: f.severity.as_str().to_uppercase(),
                article: f.factor.article,
                clause: f.factor.clause,
                title: &f.title,
                components_more: if f.components_total > components.len() {
                    format!("and {} more", f.components_total - components.len())
                } else {
                    String::new()
                },
                components,
                components_total: f.components_total,
                share: pct(f.share),
                evidence,
                mitigation: &f.mitigation,
                mitigation_first,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::{with_report, ROUTER};

    #[test]
    fn formats_are_named_as_people_write_them() {
        assert_eq!(format_name(Some("CycloneDx")), "CycloneDX");
        assert_eq!(format_name(Some("cyclonedx")), "CycloneDX");
        assert_eq!(format_name(Some("Spdx")), "SPDX");
        assert_eq!(format_name(Some("other")), "other");
        assert_eq!(format_name(None), "unknown format");
        with_report(ROUTER, |r| {
            assert!(View::of(r).format.starts_with("CycloneDX "))
        });
    }

    #[test]
    fn country_bases_in_words() {
        assert_eq!(basis_label("legal-seat"), Some("legal seat"));
        assert_eq!(basis_label("fiscal-host"), Some("fiscal host"));
        assert_eq!(basis_label("headquarters"), Some("headquarters"));
        assert_eq!(basis_label("none"), None);
    }

    #[test]
    fn the_view_reads_the_report() {
        with_report(ROUTER, |r| {
            let v = View::of(r);
            assert_eq!(v.scores.len(), 5);
            assert_eq!(v.scores[2].key, "political_exposure");
            assert_eq!(v.scores[2].value, r.scores.political_exposure.value);
            assert_eq!(v.findings.len(), r.findings.len());
            assert_eq!(v.rating_reason, r.rating_reason);
            assert_eq!(v.risk_index, format!("{:.1}", r.risk_index));
            // The top risks are the most severe findings, in report order among equals.
            let top: Vec<Severity> = v.top_risks().map(|f| f.severity).collect();
            assert!(top.len() <= TOP_RISKS && !top.is_empty());
            assert!(top.windows(2).all(|w| w[0] >= w[1]));
            let most = r.findings.iter().map(|f| f.severity).max();
            assert_eq!(top.first().copied(), most);
            for (row, vendor) in v.vendors.iter().zip(&r.vendors) {
                assert_eq!(row.share_text, pct(vendor.share));
            }
        });
    }

    #[test]
    fn repeated_evidence_and_mitigations_point_back() {
        with_report(ROUTER, |r| {
            let mut r = r.clone();
            let Some(first) = r.findings.first().cloned() else {
                panic!("the router has findings");
            };
            let mut second = first.clone();
            second.evidence.push("a new line".to_string());
            r.findings.push(second);
            let v = View::of(&r);
            let last = v.findings.last().expect("a finding");
            assert_eq!(last.number, r.findings.len());
            assert!(last.evidence[..first.evidence.len()]
                .iter()
                .all(|e| e.first == Some(1)));
            assert_eq!(last.evidence.last().map(|e| e.first), Some(None));
            assert_eq!(last.mitigation_first, Some(1));
            assert!(v.findings[0].evidence.iter().all(|e| e.first.is_none()));
            assert_eq!(v.findings[0].mitigation_first, None);
        });
    }
}
