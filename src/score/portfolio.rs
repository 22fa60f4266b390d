//! A portfolio: many products, each summarised as soon as it is analysed (its full report is
//! dropped), and the summaries folded into cross-product answers: which vendors and origin
//! countries the portfolio depends on and in how many products, portfolio diversity and
//! exposure, the riskiest products first.
//!
//! The aggregate is a function of the summaries in `seq` order only, so a run split into
//! shards and merged gives exactly the report of one run (docs/portfolio.md).

use super::{Report, Scores};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The portfolio report schema id.
pub const SCHEMA: &str = "sbomrisk/portfolio/v2";

/// One score of a product, as in `analyze`'s `scores`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreValue {
    pub value: f64,
}

/// One finding of a product, without its evidence (the product's own report has it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingSummary {
    pub id: String,
    pub severity: String,
    pub title: String,
}

/// A vendor or a country of a product, with its weighted share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareOf {
    /// Vendor id (data/vendors) or name; country code; `null` for the unknown-origin bucket.
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub share: f64,
}

/// What the portfolio keeps of one product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductSummary {
    /// Position in the whole input list (before sharding).
    pub seq: usize,
    pub path: String,
    pub product: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub format: Option<String>,
    pub spec_version: Option<String>,
    pub components: usize,
    pub scores: BTreeMap<String, ScoreValue>,
    pub risk_index: f64,
    pub rating: String,
    pub findings: Vec<FindingSummary>,
    /// Every vendor of the product with its weighted share, largest first.
    pub vendors: Vec<ShareOf>,
    /// Every origin country with its weighted share (`key: null` = unknown), largest first.
    pub countries: Vec<ShareOf>,
    /// The scenario that loses the most, and the share it loses.
    pub worst_scenario: Option<(String, f64)>,
    /// The verdict of `--policy`, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyVerdict>,
}

/// A product's policy verdict, as the portfolio keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyVerdict {
    pub passed: bool,
    pub violations: Vec<PolicyBreach>,
}

/// One broken rule of a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyBreach {
    pub rule: String,
    pub message: String,
}

/// An SBOM that could not be analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductError {
    pub seq: usize,
    pub path: String,
    pub error: String,
}

fn scores_of(s: &Scores) -> BTreeMap<String, ScoreValue> {
    [
        ("origin_diversity", s.origin_diversity.value),
        ("single_vendor_reliance", s.single_vendor_reliance.value),
        ("political_exposure", s.political_exposure.value),
        ("continuity", s.continuity.value),
        ("transparency", s.transparency.value),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), ScoreValue { value: v }))
    .collect()
}

impl ProductSummary {
    /// The summary of one analysed product. `product` defaults to the document name, then the
    /// file name.
    pub fn of(
        r: &Report<'_>,
        seq: usize,
        path: &str,
        product: Option<&str>,
        tags: &[String],
    ) -> ProductSummary {
        let product = product
            .map(str::to_string)
            .or_else(|| r.document.name.clone().filter(|n| !n.trim().is_empty()))
            .unwrap_or_else(|| {
                std::path::Path::new(path)
                    .file_name()
                    .map_or_else(|| path.to_string(), |f| f.to_string_lossy().into_owned())
            });
        ProductSummary {
            seq,
            path: path.to_string(),
            product,
            tags: tags.to_vec(),
            format: r.document.format.clone(),
            spec_version: Some(r.document.spec_version.clone()).filter(|v| !v.is_empty()),
            components: r.document.components,
            scores: scores_of(&r.scores),
            risk_index: r.risk_index,
            rating: r.rating.as_str().to_string(),
            findings: r
                .findings
                .iter()
                .map(|f| FindingSummary {
                    id: f.id.to_string(),
                    severity: f.severity.as_str().to_string(),
                    title: f.title.clone(),
                })
                .collect(),
            vendors: r
                .vendors
                .iter()
                .map(|v| ShareOf {
                    key: Some(v.id.clone().unwrap_or_else(|| v.name.clone())),
                    name: Some(v.name.clone()),
                    country: v.country.clone(),
                    share: v.share,
                })
                .collect(),
            countries: r
                .countries
                .iter()
                .map(|c| ShareOf {
                    key: c.country.clone(),
                    name: c.name.clone(),
                    country: None,
                    share: c.share,
                })
                .collect(),
            worst_scenario: r.scenarios.first().map(|s| (s.name.clone(), s.impact)),
            policy: None,
        }
    }

    fn score(&self, name: &str) -> f64 {
        self.scores.get(name).map_or(0.0, |s| s.value)
    }
}

/// A vendor across the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorAcross {
    pub key: String,
    pub name: String,
    pub country: Option<String>,
    /// How many products use it: "if it stops, these N products are affected".
    pub products: usize,
    /// Its mean weighted share over all products of the portfolio (0 where unused).
    pub mean_share: f64,
    /// The products that lean on it most (at most [`LISTED`]), largest share first.
    pub most_dependent: Vec<ProductShare>,
}

/// A product and a share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductShare {
    pub path: String,
    pub product: String,
    pub share: f64,
}

/// An origin country across the portfolio (`country: null` = unknown origin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryAcross {
    pub country: Option<String>,
    pub name: Option<String>,
    pub products: usize,
    pub mean_share: f64,
}

/// A product in the riskiest-first list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskRow {
    pub path: String,
    pub product: String,
    pub rating: String,
    pub risk_index: f64,
    pub political_exposure: f64,
    pub single_vendor_reliance: f64,
}

/// The cross-product answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    pub products: usize,
    pub errors: usize,
    /// Products that violate the `--policy` (absent without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_violated: Option<Vec<String>>,
    pub ratings: BTreeMap<String, usize>,
    /// exp(Shannon) of the mean origin-country shares, mapped to 0-100 as for one product
    /// (100 x known_share x (1 - 1/N_eff)); 100 = most diverse.
    pub origin_diversity: f64,
    /// Mean and largest `political_exposure` over the products.
    pub political_exposure_mean: f64,
    pub political_exposure_max: f64,
    /// Mean `single_vendor_reliance`.
    pub single_vendor_reliance_mean: f64,
    /// Vendors by the number of products using them, then by mean share.
    pub vendors: Vec<VendorAcross>,
    pub countries: Vec<CountryAcross>,
    /// Products by risk index, highest first.
    pub riskiest: Vec<RiskRow>,
}

impl Aggregate {
    /// The products per rating, most severe first: `1 critical, 3 high`, or `none`.
    pub fn ratings_line(&self) -> String {
        let v: Vec<String> = ["critical", "high", "medium", "low"]
            .iter()
            .filter_map(|r| self.ratings.get(*r).map(|n| format!("{n} {r}")))
            .collect();
        if v.is_empty() {
            "none".into()
        } else {
            v.join(", ")
        }
    }
}

/// Products listed per vendor in `most_dependent`, and vendors kept in the aggregate.
pub const LISTED: usize = 10;
pub const VENDORS_KEPT: usize = 200;

struct VendorAcc {
    name: String,
    country: Option<String>,
    products: usize,
    share_sum: f64,
    top: Vec<(f64, usize, String, String)>,
}

/// Folds product summaries, in `seq` order, into the [`Aggregate`]. Memory is proportional to
/// the vendors and countries seen and to one short row per product, not to the reports.
#[derive(Default)]
pub struct Folder {
    products: usize,
    errors: usize,
    policy_violated: Option<Vec<String>>,
    ratings: BTreeMap<String, usize>,
    vendors: BTreeMap<String, VendorAcc>,
    countries: BTreeMap<Option<String>, (Option<String>, usize, f64)>,
    exposure_sum: f64,
    exposure_max: f64,
    reliance_sum: f64,
    risk: Vec<(f64, usize, RiskRow)>,
}

impl Folder {
    pub fn add(&mut self, p: &ProductSummary) {
        self.products += 1;
        if let Some(v) = &p.policy {
            let list = self.policy_violated.get_or_insert_with(Vec::new);
            if !v.passed {
                list.push(p.path.clone());
            }
        }
        *self.ratings.entry(p.rating.clone()).or_default() += 1;
        let x = p.score("political_exposure");
        self.exposure_sum += x;
        self.exposure_max = self.exposure_max.max(x);
        self.reliance_sum += p.score("single_vendor_reliance");
        for v in &p.vendors {
            let Some(key) = &v.key else { continue };
            let acc = self
                .vendors
                .entry(key.clone())
                .or_insert_with(|| VendorAcc {
                    name: v.name.clone().unwrap_or_else(|| key.clone()),
                    country: v.country.clone(),
                    products: 0,
                    share_sum: 0.0,
                    top: Vec::new(),
                });
            acc.products += 1;
            acc.share_sum += v.share;
            acc.top
                .push((v.share, p.seq, p.path.clone(), p.product.clone()));
            if acc.top.len() > 2 * LISTED {
                trim(&mut acc.top);
            }
        }
        for c in &p.countries {
            let e = self
                .countries
                .entry(c.key.clone())
                .or_insert_with(|| (c.name.clone(), 0, 0.0));
            e.1 += 1;
            e.2 += c.share;
        }
        self.risk.push((
            p.risk_index,
            p.seq,
            RiskRow {
                path: p.path.clone(),
                product: p.product.clone(),
                rating: p.rating.clone(),
                risk_index: p.risk_index,
                political_exposure: x,
                single_vendor_reliance: p.score("single_vendor_reliance"),
            },
        ));
    }

    pub fn add_error(&mut self) {
        self.errors += 1;
    }

    pub fn finish(mut self) -> Aggregate {
        let n = self.products.max(1) as f64;
        let mut vendors: Vec<VendorAcross> = self
            .vendors
            .into_iter()
            .map(|(key, mut a)| {
                trim(&mut a.top);
                VendorAcross {
                    key,
                    name: a.name,
                    country: a.country,
                    products: a.products,
                    mean_share: round4(a.share_sum / n),
                    most_dependent: a
                        .top
                        .into_iter()
                        .map(|(share, _, path, product)| ProductShare {
                            path,
                            product,
                            share,
                        })
                        .collect(),
                }
            })
            .collect();
        vendors.sort_by(|a, b| {
            b.products
                .cmp(&a.products)
                .then(b.mean_share.total_cmp(&a.mean_share))
                .then_with(|| a.key.cmp(&b.key))
        });
        vendors.truncate(VENDORS_KEPT);
        // Diversity of the mean origin shares, the unknown bucket opaque as for one product.
        let known: f64 = self
            .countries
            .iter()
            .filter(|(k, _)| k.is_some())
            .map(|(_, v)| v.2 / n)
            .sum();
        let entropy: f64 = self
            .countries
            .iter()
            .filter(|(k, _)| k.is_some())
            .map(|(_, v)| v.2 / n / known.max(f64::MIN_POSITIVE))
            .filter(|s| *s > 0.0)
            .map(|s| -s * s.ln())
            .sum();
        let diversity = if known > 0.0 {
            100.0 * known.min(1.0) * (1.0 - 1.0 / entropy.exp())
        } else {
            0.0
        };
        let mut countries: Vec<CountryAcross> = self
            .countries
            .into_iter()
            .map(|(country, (name, products, sum))| CountryAcross {
                country,
                name,
                products,
                mean_share: round4(sum / n),
            })
            .collect();
        countries.sort_by(|a, b| {
            b.mean_share
                .total_cmp(&a.mean_share)
                .then_with(|| a.country.cmp(&b.country))
        });
        self.risk
            .sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Aggregate {
            products: self.products,
            errors: self.errors,
            policy_violated: self.policy_violated,
            ratings: self.ratings,
            origin_diversity: round1(diversity),
            political_exposure_mean: round1(self.exposure_sum / n),
            political_exposure_max: self.exposure_max,
            single_vendor_reliance_mean: round1(self.reliance_sum / n),
            vendors,
            countries,
            riskiest: self.risk.into_iter().map(|r| r.2).collect(),
        }
    }
}

/// Keeps the `LISTED` largest shares (ties: input order).
fn trim(top: &mut Vec<(f64, usize, String, String)>) {
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    top.truncate(LISTED);
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(
        seq: usize,
        vendors: &[(&str, f64)],
        countries: &[(Option<&str>, f64)],
        x: f64,
    ) -> ProductSummary {
        ProductSummary {
            seq,
            path: format!("p{seq}.json"),
            product: format!("P{seq}"),
            tags: vec![],
            format: None,
            spec_version: None,
            components: 3,
            scores: [("political_exposure", x), ("single_vendor_reliance", 50.0)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), ScoreValue { value: v }))
                .collect(),
            risk_index: x,
            rating: if x > 50.0 {
                "high".into()
            } else {
                "low".into()
            },
            findings: vec![],
            vendors: vendors
                .iter()
                .map(|(k, s)| ShareOf {
                    key: Some(k.to_string()),
                    name: None,
                    country: None,
                    share: *s,
                })
                .collect(),
            countries: countries
                .iter()
                .map(|(k, s)| ShareOf {
                    key: k.map(str::to_string),
                    name: None,
                    country: None,
                    share: *s,
                })
                .collect(),
            worst_scenario: None,
            policy: None,
        }
    }

    #[test]
    fn vendors_count_the_products_that_use_them() {
        let mut f = Folder::default();
        f.add(&product(
            0,
            &[("broadcom", 0.5), ("openssl", 0.5)],
            &[(Some("US"), 1.0)],
            60.0,
        ));
        f.add(&product(
            1,
            &[("broadcom", 0.2), ("mediatek", 0.8)],
            &[(Some("US"), 0.2), (Some("TW"), 0.8)],
            30.0,
        ));
        f.add(&product(2, &[("mediatek", 1.0)], &[(None, 1.0)], 10.0));
        f.add_error();
        let a = f.finish();
        assert_eq!((a.products, a.errors), (3, 1));
        let b = &a.vendors[0];
        // broadcom and mediatek are both in 2 products; mediatek has the larger mean share.
        assert_eq!(
            (b.key.as_str(), b.products, b.mean_share),
            ("mediatek", 2, 0.6)
        );
        assert_eq!(b.most_dependent[0].path, "p2.json");
        assert_eq!(a.vendors[1].key, "broadcom");
        assert_eq!(a.vendors[1].products, 2);
        // Riskiest first.
        let order: Vec<&str> = a.riskiest.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(order, ["p0.json", "p1.json", "p2.json"]);
        assert_eq!(a.political_exposure_mean, 33.3);
        // Mean shares: US 0.4, TW 0.2667, unknown 0.3333: known 0.6667, N_eff = exp(H(0.6, 0.4)).
        let h: f64 = -(0.6f64 * 0.6f64.ln() + 0.4 * 0.4f64.ln());
        assert_eq!(
            a.origin_diversity,
            round1(100.0 * (2.0 / 3.0) * (1.0 - 1.0 / h.exp()))
        );
        assert_eq!(a.ratings["high"], 1);
    }
}
