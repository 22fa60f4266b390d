//! Findings: what a procurement team acts on, each tied to the Article 10 factor and clause it
//! serves, with the components and evidence behind it and a mitigation. Codes are stable (see
//! docs/scoring.md, "Findings").
//!
//! This module holds what every score's findings share: [`Severity`], [`Factor`], [`Finding`],
//! the severity [`Ladder`] a profile gives each finding, and [`Code`], the one list of codes
//! (the union of each score's own code enum) that the SARIF rules, the policy's `[policy.findings]`
//! keys and docs/scoring.md's finding table come from. Each score's module emits its own
//! findings (`exposure::findings`, `continuity::findings`...).

use super::pair::{PairCard, VendorMeasureHit};
use super::profile::ScoringProfile;
use super::{continuity, diversity, exposure, reliance, transparency};
use super::{ratio, round4, CountryShare, Fixed, Item, ScenarioResult, Scores};
use crate::data::Registry;
use crate::model::Sbom;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        let s = s.trim().to_ascii_lowercase();
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The severity thresholds of one finding, from the scoring profile (`[<score>.findings]`).
///
/// Each level present is a threshold on the figure the finding is about (an exposure, a share,
/// a score). For a figure where more is worse ([`Ladder::at_least`]) the severity is the
/// highest level whose threshold the figure reaches; where less is worse ([`Ladder::below`]),
/// the highest level whose threshold it is below. A figure that meets no level raises no
/// finding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ladder {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
}

impl Ladder {
    /// The levels present, most severe first.
    fn levels(&self) -> impl Iterator<Item = (Severity, f64)> {
        [
            (Severity::Critical, self.critical),
            (Severity::High, self.high),
            (Severity::Medium, self.medium),
            (Severity::Low, self.low),
        ]
        .into_iter()
        .filter_map(|(s, v)| Some((s, v?)))
    }

    /// Where more is worse: the highest level whose threshold `v` reaches.
    pub fn at_least(&self, v: f64) -> Option<Severity> {
        self.levels().find(|(_, t)| v >= *t).map(|(s, _)| s)
    }

    /// Where less is worse: the highest level whose threshold `v` is below.
    pub fn below(&self, v: f64) -> Option<Severity> {
        self.levels().find(|(_, t)| v < *t).map(|(s, _)| s)
    }

    /// The lowest threshold that raises a finding where more is worse.
    pub fn floor(&self) -> f64 {
        self.levels().map(|(_, t)| t).fold(f64::INFINITY, f64::min)
    }

    /// Problems: no level, a threshold outside `range`, or levels out of order (`more_is_worse`:
    /// critical >= high >= medium >= low; otherwise the reverse).
    pub fn validate(
        &self,
        key: &str,
        range: (f64, f64),
        more_is_worse: bool,
        out: &mut Vec<String>,
    ) {
        let levels: Vec<(Severity, f64)> = self.levels().collect();
        if levels.is_empty() {
            out.push(format!(
                "{key}: no severity level (critical, high, medium, low)"
            ));
        }
        for (s, t) in &levels {
            if !(range.0..=range.1).contains(t) || t.is_nan() {
                out.push(format!(
                    "{key}.{} = {t} is not in [{}, {}]",
                    s.as_str(),
                    range.0,
                    range.1
                ));
            }
        }
        for pair in levels.windows(2) {
            let (hi, lo) = (pair[0], pair[1]);
            let ordered = if more_is_worse {
                hi.1 >= lo.1
            } else {
                hi.1 <= lo.1
            };
            if !ordered {
                out.push(format!(
                    "{key}: {} = {} and {} = {} are out of order ({} is the more severe)",
                    hi.0.as_str(),
                    hi.1,
                    lo.0.as_str(),
                    lo.1,
                    hi.0.as_str()
                ));
            }
        }
    }
}

/// The Article 10 factor a finding serves.
#[derive(Debug, Clone, Serialize)]
pub struct Factor {
    /// `10(2)` (business continuity) or `10(3)` (security, openness, transparency, diversity of
    /// sources, channel reliability, political/diplomatic/trade disruption).
    pub article: &'static str,
    /// The clause within it: `business continuity`, `diversity of sources`, `supply channel
    /// reliability`, `political, diplomatic and trade factors`, `openness`, `transparency`.
    pub clause: &'static str,
}

/// A score's finding codes: the enum, its list, the code as printed and its summary.
macro_rules! codes {
    ($(#[$m:meta])* pub enum Code { $($(#[$vm:meta])* $v:ident => ($code:literal, $key:literal, $factor:ident, $summary:literal),)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($(#[$vm])* $v,)+ }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$v,)+];

            /// The code as reports print it (`SR-...`).
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$v => $code,)+ }
            }

            /// One line on what it means (the SARIF rule's short description).
            pub const fn summary(self) -> &'static str {
                match self { $(Code::$v => $summary,)+ }
            }

            /// Its key under the score's `findings` table of the profile.
            pub const fn key(self) -> &'static str {
                match self { $(Code::$v => $key,)+ }
            }

            /// The Article 10 factor its findings serve.
            pub const fn factor(self) -> $crate::score::Factor {
                match self { $(Code::$v => $factor,)+ }
            }
        }
    };
}
pub(super) use codes;

/// Every stable finding code: each score's codes, under the score that raises them. The
/// findings, the SARIF rules, the policy's `[policy.findings]` keys and docs/scoring.md's
/// finding table come from this one list (a test checks the table against it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    Exposure(exposure::Code),
    Reliance(reliance::Code),
    Diversity(diversity::Code),
    Continuity(continuity::Code),
    Transparency(transparency::Code),
}

impl Code {
    /// Every code, score by score.
    pub fn all() -> impl Iterator<Item = Code> {
        let e = exposure::Code::ALL.iter().map(|c| Code::Exposure(*c));
        let r = reliance::Code::ALL.iter().map(|c| Code::Reliance(*c));
        let d = diversity::Code::ALL.iter().map(|c| Code::Diversity(*c));
        let c = continuity::Code::ALL.iter().map(|c| Code::Continuity(*c));
        let t = transparency::Code::ALL
            .iter()
            .map(|c| Code::Transparency(*c));
        e.chain(r).chain(d).chain(c).chain(t)
    }

    /// The code as reports print it (`SR-VENDOR-MEASURE`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::Exposure(c) => c.as_str(),
            Code::Reliance(c) => c.as_str(),
            Code::Diversity(c) => c.as_str(),
            Code::Continuity(c) => c.as_str(),
            Code::Transparency(c) => c.as_str(),
        }
    }

    /// The Article 10 factor its findings serve (the SARIF rule's description cites it).
    pub const fn factor(self) -> Factor {
        match self {
            Code::Exposure(c) => c.factor(),
            Code::Reliance(c) => c.factor(),
            Code::Diversity(c) => c.factor(),
            Code::Continuity(c) => c.factor(),
            Code::Transparency(c) => c.factor(),
        }
    }

    /// One line on what it means (the SARIF rule's short description).
    pub const fn summary(self) -> &'static str {
        match self {
            Code::Exposure(c) => c.summary(),
            Code::Reliance(c) => c.summary(),
            Code::Diversity(c) => c.summary(),
            Code::Continuity(c) => c.summary(),
            Code::Transparency(c) => c.summary(),
        }
    }

    /// The score whose module raises it (and whose profile section holds its thresholds).
    pub const fn score(self) -> &'static str {
        match self {
            Code::Exposure(_) => "political_exposure",
            Code::Reliance(_) => "single_vendor_reliance",
            Code::Diversity(_) => "origin_diversity",
            Code::Continuity(_) => "continuity",
            Code::Transparency(_) => "transparency",
        }
    }

    /// The profile key of its severity thresholds (`exposure.findings.vendor_measure`).
    pub fn profile_key(self) -> String {
        let (section, key) = match self {
            Code::Exposure(c) => ("exposure", c.key()),
            Code::Reliance(c) => ("reliance", c.key()),
            Code::Diversity(c) => ("diversity", c.key()),
            Code::Continuity(c) => ("continuity", c.key()),
            Code::Transparency(c) => ("transparency", c.key()),
        };
        format!("{section}.findings.{key}")
    }

    pub fn parse(s: &str) -> Option<Code> {
        let s = s.trim();
        Code::all().find(|c| c.as_str().eq_ignore_ascii_case(s))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `SR-VENDOR-MEASURE`.
    pub id: &'static str,
    /// What the finding is about, when it is about one thing: the vendor, the country or the
    /// scenario (`broadcom`, `US`, `embargo:US`). `id` and `subject` identify a finding across
    /// versions of a product (`diff`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub factor: Factor,
    pub severity: Severity,
    pub title: String,
    /// bom-refs of the components behind it (at most `MAX_REFS`; `components_total` counts all).
    pub components: Vec<String>,
    pub components_total: usize,
    /// Weighted share of the product these components carry.
    pub share: f64,
    /// Data rows, measures and figures behind it.
    pub evidence: Vec<String>,
    pub mitigation: String,
}

/// At most this many refs per finding (a finding on 90k components lists the first ones).
pub const MAX_REFS: usize = 1000;

/// What the scores computed, read by every score's findings.
pub(super) struct Context<'c, 'a> {
    pub reg: &'c Registry,
    pub sbom: &'a Sbom,
    pub buyer: &'c str,
    pub profile: &'c ScoringProfile,
    pub total: Fixed,
    pub items: &'c [Item<'a>],
    pub cards: &'c FxHashMap<&'a str, PairCard>,
    pub vendor_hits: &'c FxHashMap<&'a str, Vec<VendorMeasureHit>>,
    pub vendor_w: &'c BTreeMap<&'a str, (Fixed, usize)>,
    pub worst: &'c [ScenarioResult<'a>],
    /// The origin unknown-origin components are assumed to come from in the central values.
    pub assumed: Option<&'c str>,
    pub buyer_class: super::BuyerClass,
    pub as_of: &'c str,
    pub countries: &'c [CountryShare],
    pub scores: &'c Scores,
    pub completeness: &'c [super::completeness::Completeness],
    pub x: &'c [f64],
    pub weights: &'c [f64],
    /// Interned vendor keys and country codes: `Item::vix` and `Item::cix` of each.
    pub vendor_index: &'c FxHashMap<&'a str, u32>,
    pub country_index: &'c FxHashMap<&'a str, u32>,
}

pub(super) const F2: Factor = Factor {
    article: "10(2)",
    clause: "business continuity",
};
pub(super) const F3_DIVERSITY: Factor = Factor {
    article: "10(3)",
    clause: "diversity of sources",
};
pub(super) const F3_CHANNEL: Factor = Factor {
    article: "10(3)",
    clause: "supply channel reliability",
};
pub(super) const F3_POLITICAL: Factor = Factor {
    article: "10(3)",
    clause: "political, diplomatic and trade factors",
};
pub(super) const F3_OPENNESS: Factor = Factor {
    article: "10(3)",
    clause: "openness",
};
pub(super) const F3_TRANSPARENCY: Factor = Factor {
    article: "10(3)",
    clause: "transparency",
};

pub(super) const ART6: &str = "Contract the Article 6 commitment: the supplier undertakes not to interrupt supply or necessary technical support without justified reason.";

impl Context<'_, '_> {
    /// The items of vendor key `vendor` (compared by interned index, not by text).
    pub fn of_vendor<'s>(&'s self, vendor: &str) -> impl Iterator<Item = &'s Item<'s>> + 's {
        let vix = self
            .vendor_index
            .get(vendor)
            .copied()
            .unwrap_or(super::NONE);
        self.items
            .iter()
            .filter(move |i| vix != super::NONE && i.vix == vix)
    }

    /// The items whose origin country is `cc`.
    pub fn of_country<'s>(&'s self, cc: &str) -> impl Iterator<Item = &'s Item<'s>> + 's {
        let cix = self.country_index.get(cc).copied().unwrap_or(super::NONE);
        self.items
            .iter()
            .filter(move |i| cix != super::NONE && i.cix == cix)
    }

    /// The refs (at most [`MAX_REFS`]), the count and the weighted share of `items`.
    pub fn refs<'i>(&self, items: impl Iterator<Item = &'i Item<'i>>) -> (Vec<String>, usize, f64)
    where
        Self: 'i,
    {
        let mut refs = Vec::new();
        let mut n = 0;
        let mut w: Fixed = 0;
        for it in items {
            n += 1;
            w += it.weight;
            if refs.len() < MAX_REFS {
                refs.push(self.sbom.components[it.id].bom_ref.clone());
            }
        }
        (refs, n, round4(ratio(w, self.total)))
    }
}

/// A score's formula inputs as `k=v, ...`.
pub(super) fn inputs(score: &super::Score) -> String {
    score
        .inputs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every finding of every score, most severe first (ties: by code, then share, then title).
pub(super) fn collect(cx: &Context<'_, '_>) -> Vec<Finding> {
    let mut out = Vec::new();
    exposure::findings(cx, &mut out);
    continuity::findings(cx, &mut out);
    reliance::findings(cx, &mut out);
    diversity::findings(cx, &mut out);
    transparency::findings(cx, &mut out);
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.id.cmp(b.id))
            .then_with(|| b.share.total_cmp(&a.share))
            .then_with(|| a.title.cmp(&b.title))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladders_pick_the_highest_level_met() {
        let up = Ladder {
            critical: Some(1.0),
            high: Some(0.5),
            medium: Some(0.2),
            low: None,
        };
        assert_eq!(up.at_least(1.0), Some(Severity::Critical));
        assert_eq!(up.at_least(0.5), Some(Severity::High));
        assert_eq!(up.at_least(0.49), Some(Severity::Medium));
        assert_eq!(up.at_least(0.1), None);
        assert_eq!(up.floor(), 0.2);
        let down = Ladder {
            medium: Some(10.0),
            low: Some(20.0),
            ..Ladder::default()
        };
        assert_eq!(down.below(5.0), Some(Severity::Medium));
        assert_eq!(down.below(10.0), Some(Severity::Low));
        assert_eq!(down.below(20.0), None);
    }

    #[test]
    fn ladders_out_of_order_are_named() {
        let mut out = Vec::new();
        let bad = Ladder {
            high: Some(0.2),
            medium: Some(0.5),
            ..Ladder::default()
        };
        bad.validate(
            "exposure.findings.origin_exposure",
            (0.0, 1.0),
            true,
            &mut out,
        );
        assert!(
            out[0].contains(
                "exposure.findings.origin_exposure: high = 0.2 and medium = 0.5 are out of order"
            ),
            "{out:?}"
        );
        out.clear();
        bad.validate("k", (0.0, 1.0), false, &mut out);
        assert!(out.is_empty(), "{out:?}");
        Ladder::default().validate("k", (0.0, 1.0), true, &mut out);
        assert!(out[0].contains("no severity level"), "{out:?}");
    }

    #[test]
    fn codes_are_unique_and_parse_back() {
        let all: Vec<Code> = Code::all().collect();
        let mut names: Vec<&str> = all.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len());
        for c in all {
            assert_eq!(Code::parse(c.as_str()), Some(c));
            assert_eq!(Code::parse(&c.as_str().to_ascii_lowercase()), Some(c));
        }
        assert_eq!(Code::parse("SR-NOSUCH"), None);
    }
}
