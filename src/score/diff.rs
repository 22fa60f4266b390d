//! What changed between two versions of a product: components added, removed and changed
//! (version, vendor, country), vendors and countries gained or lost, every score before and
//! after, findings new and resolved. For ongoing supervision over the product's lifecycle.
//!
//! Components are matched by identity, not by ref (refs are often regenerated): the purl
//! without version, qualifiers and subpath, else the name. Among components of one identity,
//! equal versions pair first, then the rest in version order.

use super::{ComponentScore, Report};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The diff schema id.
pub const SCHEMA: &str = "sbomrisk/diff/v2";

/// One side of the diff.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub file: String,
    pub name: Option<String>,
    pub components: usize,
    pub rating: &'static str,
    pub risk_index: f64,
}

/// A component added or removed.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    #[serde(rename = "ref")]
    pub bom_ref: String,
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub vendor: Option<String>,
    pub country: Option<String>,
}

/// A value before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change<T> {
    pub before: T,
    pub after: T,
}

/// A component in both versions whose version, vendor or country changed.
#[derive(Debug, Clone, Serialize)]
pub struct Changed {
    /// The ref in the new version.
    #[serde(rename = "ref")]
    pub bom_ref: String,
    pub old_ref: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<Change<Option<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<Change<Option<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<Change<Option<String>>>,
    /// What a cut takes away from it (published source, proprietary, hardware, undeclared).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supply_kind: Option<Change<Option<String>>>,
}

/// A score before, after, and the difference.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoreDelta {
    pub before: f64,
    pub after: f64,
    pub delta: f64,
    /// The range over unknown origin in each version, when the score has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounds_before: Option<super::Bounds>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounds_after: Option<super::Bounds>,
}

/// A finding, as `diff` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingRef {
    pub id: String,
    pub subject: Option<String>,
    pub severity: String,
    pub title: String,
    /// The severity in the old version, for a finding whose severity changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity_before: Option<String>,
}

/// Gained and lost.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GainedLost {
    pub gained: Vec<String>,
    pub lost: Vec<String>,
}

/// The whole diff.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub schema: &'static str,
    pub tool: super::Tool,
    pub data_version: String,
    pub profile: super::ProfileRef,
    pub buyer: String,
    pub buyer_class: super::BuyerClass,
    pub as_of: String,
    pub old: Side,
    pub new: Side,
    pub added: Vec<Entry>,
    pub removed: Vec<Entry>,
    pub changed: Vec<Changed>,
    pub vendors: GainedLost,
    pub countries: GainedLost,
    /// Every score, and `risk_index`.
    pub scores: BTreeMap<&'static str, ScoreDelta>,
    pub rating: Change<&'static str>,
    pub findings_new: Vec<FindingRef>,
    pub findings_resolved: Vec<FindingRef>,
    /// Findings in both versions whose severity changed.
    pub findings_changed: Vec<FindingRef>,
}

/// The identity of a component across versions.
fn identity(c: &ComponentScore<'_>) -> String {
    if let Some(p) = c.purl() {
        let end = p.find(['@', '?', '#']).unwrap_or(p.len());
        return p[..end].to_ascii_lowercase();
    }
    format!("name:{}", c.name().to_ascii_lowercase())
}

fn entry(c: &ComponentScore<'_>) -> Entry {
    Entry {
        bom_ref: c.bom_ref().to_string(),
        name: c.name().to_string(),
        version: c.version().map(str::to_string),
        purl: c.purl().map(str::to_string),
        vendor: c.vendor().map(str::to_string),
        country: c.country.map(str::to_string),
    }
}

fn change(a: Option<&str>, b: Option<&str>) -> Option<Change<Option<String>>> {
    (a != b).then(|| Change {
        before: a.map(str::to_string),
        after: b.map(str::to_string),
    })
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn finding_key(f: &super::Finding) -> (String, Option<String>) {
    (f.id.to_string(), f.subject.clone())
}

fn finding_ref(f: &super::Finding, before: Option<&super::Finding>) -> FindingRef {
    FindingRef {
        id: f.id.to_string(),
        subject: f.subject.clone(),
        severity: f.severity.as_str().to_string(),
        title: f.title.clone(),
        severity_before: before.map(|b| b.severity.as_str().to_string()),
    }
}

/// The diff of two reports of the same buyer, profile and date.
pub fn diff(old: &Report<'_>, new: &Report<'_>) -> Diff {
    // Components by identity, each side sorted by version then ref.
    let mut ids: BTreeMap<String, (Vec<&ComponentScore<'_>>, Vec<&ComponentScore<'_>>)> =
        BTreeMap::new();
    for c in &old.components {
        ids.entry(identity(c)).or_default().0.push(c);
    }
    for c in &new.components {
        ids.entry(identity(c)).or_default().1.push(c);
    }
    let (mut added, mut removed, mut changed) = (Vec::new(), Vec::new(), Vec::new());
    for (_, (mut a, mut b)) in ids {
        let key =
            |c: &&ComponentScore<'_>| (c.version().map(str::to_string), c.bom_ref().to_string());
        a.sort_by_key(key);
        b.sort_by_key(key);
        // Equal versions pair first.
        let mut rest_a = Vec::new();
        for x in a {
            match b.iter().position(|y| y.version() == x.version()) {
                Some(i) => {
                    let y = b.remove(i);
                    push_changed(&mut changed, x, y);
                }
                None => rest_a.push(x),
            }
        }
        let mut b = b.into_iter();
        for x in rest_a {
            match b.next() {
                Some(y) => push_changed(&mut changed, x, y),
                None => removed.push(entry(x)),
            }
        }
        added.extend(b.map(entry));
    }
    let order = |e: &Entry| (e.name.clone(), e.version.clone(), e.bom_ref.clone());
    added.sort_by_key(order);
    removed.sort_by_key(order);
    changed.sort_by(|a: &Changed, b: &Changed| (&a.name, &a.bom_ref).cmp(&(&b.name, &b.bom_ref)));

    let set = |r: &Report<'_>, f: &dyn Fn(&Report<'_>) -> Vec<String>| -> BTreeSet<String> {
        f(r).into_iter().collect()
    };
    let vendors_of = |r: &Report<'_>| r.vendors.iter().map(|v| v.name.clone()).collect();
    let countries_of = |r: &Report<'_>| {
        r.countries
            .iter()
            .filter_map(|c| c.country.clone())
            .collect()
    };
    let gl = |a: BTreeSet<String>, b: BTreeSet<String>| GainedLost {
        gained: b.difference(&a).cloned().collect(),
        lost: a.difference(&b).cloned().collect(),
    };

    let s = |r: &Report<'_>| {
        let s = &r.scores;
        [
            (
                "origin_diversity",
                s.origin_diversity.value,
                s.origin_diversity.bounds,
            ),
            (
                "single_vendor_reliance",
                s.single_vendor_reliance.value,
                s.single_vendor_reliance.bounds,
            ),
            (
                "political_exposure",
                s.political_exposure.value,
                s.political_exposure.bounds,
            ),
            ("continuity", s.continuity.value, s.continuity.bounds),
            ("transparency", s.transparency.value, s.transparency.bounds),
            ("risk_index", r.risk_index, None),
        ]
    };
    let scores = s(old)
        .into_iter()
        .zip(s(new))
        .map(|((k, a, ba), (_, b, bb))| {
            (
                k,
                ScoreDelta {
                    before: a,
                    after: b,
                    delta: round(b - a),
                    bounds_before: ba,
                    bounds_after: bb,
                },
            )
        })
        .collect();

    let before: BTreeMap<_, _> = old.findings.iter().map(|f| (finding_key(f), f)).collect();
    let after: BTreeMap<_, _> = new.findings.iter().map(|f| (finding_key(f), f)).collect();
    let severe_first = |mut v: Vec<FindingRef>| {
        let rank = |s: &str| {
            ["critical", "high", "medium", "low", "info"]
                .iter()
                .position(|x| *x == s)
        };
        v.sort_by(|a, b| {
            rank(&a.severity)
                .cmp(&rank(&b.severity))
                .then_with(|| (&a.id, &a.subject).cmp(&(&b.id, &b.subject)))
        });
        v
    };
    let findings_new = after
        .iter()
        .filter(|(k, _)| !before.contains_key(*k))
        .map(|(_, f)| finding_ref(f, None))
        .collect();
    let findings_resolved = before
        .iter()
        .filter(|(k, _)| !after.contains_key(*k))
        .map(|(_, f)| finding_ref(f, None))
        .collect();
    let findings_changed = after
        .iter()
        .filter_map(|(k, f)| {
            let b = before.get(k)?;
            (b.severity != f.severity).then(|| finding_ref(f, Some(b)))
        })
        .collect();

    let side = |r: &Report<'_>| Side {
        file: r.file.clone(),
        name: r.document.name.clone(),
        components: r.document.components,
        rating: r.rating.as_str(),
        risk_index: r.risk_index,
    };
    Diff {
        schema: SCHEMA,
        tool: new.tool.clone(),
        data_version: new.data_version.clone(),
        profile: new.profile.clone(),
        buyer: new.buyer.clone(),
        buyer_class: new.buyer_class,
        as_of: new.as_of.clone(),
        old: side(old),
        new: side(new),
        added,
        removed,
        changed,
        vendors: gl(set(old, &vendors_of), set(new, &vendors_of)),
        countries: gl(set(old, &countries_of), set(new, &countries_of)),
        scores,
        rating: Change {
            before: old.rating.as_str(),
            after: new.rating.as_str(),
        },
        findings_new: severe_first(findings_new),
        findings_resolved: severe_first(findings_resolved),
        findings_changed: severe_first(findings_changed),
    }
}

fn push_changed(out: &mut Vec<Changed>, a: &ComponentScore<'_>, b: &ComponentScore<'_>) {
    let version = change(a.version(), b.version());
    let vendor = change(a.vendor(), b.vendor());
    let country = change(a.country, b.country);
    let supply_kind = change(Some(a.supply_kind()), Some(b.supply_kind()));
    if version.is_some() || vendor.is_some() || country.is_some() || supply_kind.is_some() {
        out.push(Changed {
            bom_ref: b.bom_ref().to_string(),
            old_ref: a.bom_ref().to_string(),
            name: b.name().to_string(),
            version,
            vendor,
            country,
            supply_kind,
        });
    }
}
