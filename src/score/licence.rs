//! Licences and supply kinds (docs/scoring.md, "Supply kinds"): what a supply cut can take away
//! from one component.
//!
//! A licence expression is read with the `spdx` crate (cargo-deny's reader), in its lax mode
//! (`/` as `OR`, common imprecise names such as "Apache License 2.0"). `AND`, `OR` and `WITH`
//! follow SPDX semantics: `MIT AND LicenseRef-proprietary` is not open source, `MIT OR
//! LicenseRef-proprietary` is. A licence counts as open source when the SPDX list marks it
//! OSI-approved or FSF free/libre, or when the scoring profile lists it
//! (`exposure.open_source_licences`); a `LicenseRef-` never does. No licence declared is its own
//! state, never "closed".

use serde::Serialize;

/// What a component's declared licence says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenceState {
    /// Every branch the expression requires is an open-source licence (on one side of an OR).
    Open,
    /// A licence is declared, the expression cannot be met with open-source licences only, but
    /// it names at least one (`MIT AND LicenseRef-proprietary`; a scanner's list of every
    /// licence in a package's copyright file, joined with AND).
    Mixed,
    /// A licence is declared and names no open-source licence.
    NotOpen,
    /// No licence declared (empty, NOASSERTION, NONE), or text no SPDX reader recognises.
    Undeclared,
}

impl LicenceState {
    /// Reads one licence expression. `listed`: the profile's extra open-source ids (exact, or a
    /// prefix ending in `-`).
    pub fn of(expr: Option<&str>, listed: &[String]) -> LicenceState {
        let Some(text) = expr.map(str::trim).filter(|t| !t.is_empty()) else {
            return LicenceState::Undeclared;
        };
        if text.eq_ignore_ascii_case("NOASSERTION") || text.eq_ignore_ascii_case("NONE") {
            return LicenceState::Undeclared;
        }
        let parsed = spdx::Expression::parse_mode(text, spdx::ParseMode::LAX)
            .ok()
            .or_else(|| {
                // A bare licence name ("The MIT License") that is no expression.
                spdx::imprecise_license_id(text)
                    .and_then(|(id, _)| spdx::Expression::parse(id.name).ok())
            });
        let Some(parsed) = parsed else {
            return LicenceState::Undeclared;
        };
        let is_open = |req: &spdx::LicenseReq| match &req.license {
            spdx::LicenseItem::Spdx { id, .. } => {
                id.is_osi_approved() || id.is_fsf_free_libre() || is_listed(id.name, listed)
            }
            spdx::LicenseItem::Other { .. } => false,
        };
        if parsed.evaluate(is_open) {
            LicenceState::Open
        } else if parsed.requirements().any(|r| is_open(&r.req)) {
            LicenceState::Mixed
        } else {
            LicenceState::NotOpen
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LicenceState::Open => "open-source",
            LicenceState::Mixed => "mixed",
            LicenceState::NotOpen => "not-open-source",
            LicenceState::Undeclared => "undeclared",
        }
    }
}

fn is_listed(id: &str, listed: &[String]) -> bool {
    listed.iter().any(|l| {
        if l.ends_with('-') {
            id.starts_with(l.as_str())
        } else {
            id == l
        }
    })
}

/// What a supply cut takes away from a component (docs/scoring.md, "Supply kinds").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SupplyKind {
    /// Published open source: the code stays with the buyer (and its mirrors); a cut takes
    /// upstream maintenance, fixes and infrastructure. Degraded, not lost.
    OpenSource,
    /// Proprietary software or firmware: a cut takes the supply itself. Lost.
    Proprietary,
    /// A physical part: a cut takes the supply itself. Lost.
    Hardware,
    /// No licence declared and nothing else shows the source is published: counted as lost,
    /// reported apart from proprietary supply.
    Undeclared,
}

impl SupplyKind {
    /// The kind of a component from its model kind, its licence and whether a distribution that
    /// publishes every package's source shipped it. A distribution package whose licence names
    /// an open-source licence among others is published open source (its licence field lists
    /// every licence of its copyright file); anything else with a mixed licence is not.
    pub fn of(is_device: bool, licence: LicenceState, distribution_source: bool) -> SupplyKind {
        if is_device {
            return SupplyKind::Hardware;
        }
        match licence {
            LicenceState::Open => SupplyKind::OpenSource,
            LicenceState::NotOpen => SupplyKind::Proprietary,
            LicenceState::Mixed | LicenceState::Undeclared if distribution_source => {
                SupplyKind::OpenSource
            }
            LicenceState::Mixed => SupplyKind::Proprietary,
            LicenceState::Undeclared => SupplyKind::Undeclared,
        }
    }

    /// Whether a cut leaves the code with the buyer (degraded rather than lost).
    pub fn code_stays(self) -> bool {
        self == SupplyKind::OpenSource
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SupplyKind::OpenSource => "published-source",
            SupplyKind::Proprietary => "proprietary",
            SupplyKind::Hardware => "hardware",
            SupplyKind::Undeclared => "undeclared",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(e: &str) -> LicenceState {
        LicenceState::of(Some(e), &["Beerware".to_string(), "Unicode-".to_string()])
    }

    #[test]
    fn expressions_follow_spdx_semantics() {
        assert_eq!(st("MIT"), LicenceState::Open);
        assert_eq!(st("MIT OR Apache-2.0"), LicenceState::Open);
        assert_eq!(
            st("GPL-2.0-or-later WITH Classpath-exception-2.0"),
            LicenceState::Open
        );
        assert_eq!(
            st("(MIT AND BSD-3-Clause) OR LicenseRef-x"),
            LicenceState::Open
        );
        // A prefix match used to call this open source.
        assert_eq!(st("MIT AND LicenseRef-proprietary"), LicenceState::Mixed);
        assert_eq!(st("LicenseRef-proprietary"), LicenceState::NotOpen);
        assert_eq!(st("MIT OR LicenseRef-proprietary"), LicenceState::Open);
        assert_eq!(st("Elastic-2.0"), LicenceState::NotOpen);
        assert_eq!(st("BUSL-1.1"), LicenceState::NotOpen);
        // `/` as OR, and imprecise names, as SBOM generators write them.
        assert_eq!(st("MIT/X11"), LicenceState::Open);
        assert_eq!(st("Apache License 2.0"), LicenceState::Open);
        // The profile's list adds ids the SPDX list marks neither OSI nor FSF.
        assert_eq!(st("Beerware"), LicenceState::Open);
    }

    #[test]
    fn nothing_declared_is_its_own_state() {
        assert_eq!(LicenceState::of(None, &[]), LicenceState::Undeclared);
        assert_eq!(st(""), LicenceState::Undeclared);
        assert_eq!(st("NOASSERTION"), LicenceState::Undeclared);
        assert_eq!(st("none"), LicenceState::Undeclared);
        assert_eq!(st("see the vendor's terms &&"), LicenceState::Undeclared);
    }

    proptest::proptest! {
        /// SPDX semantics on any pair of licences: OR is open when either side is, AND only
        /// when both are; a LicenseRef on either side of AND makes it mixed or not open.
        #[test]
        fn and_or_follow_spdx(a in 0usize..8, b in 0usize..8) {
            const IDS: [&str; 8] = ["MIT", "Apache-2.0", "GPL-2.0-only", "BSD-3-Clause",
                "LicenseRef-eula", "Elastic-2.0", "BUSL-1.1", "LicenseRef-x"];
            let open = |i: usize| i < 4;
            let (x, y) = (IDS[a], IDS[b]);
            let or = st(&format!("{x} OR {y}"));
            proptest::prop_assert_eq!(or == LicenceState::Open, open(a) || open(b));
            let and = st(&format!("{x} AND {y}"));
            proptest::prop_assert_eq!(and == LicenceState::Open, open(a) && open(b));
            if open(a) != open(b) {
                proptest::prop_assert_eq!(and, LicenceState::Mixed);
            }
            if !open(a) && !open(b) {
                proptest::prop_assert_eq!(and, LicenceState::NotOpen);
            }
        }
    }

    #[test]
    fn supply_kinds() {
        use LicenceState::*;
        assert_eq!(SupplyKind::of(true, Open, true), SupplyKind::Hardware);
        assert_eq!(SupplyKind::of(false, Open, false), SupplyKind::OpenSource);
        assert_eq!(
            SupplyKind::of(false, NotOpen, true),
            SupplyKind::Proprietary
        );
        assert_eq!(
            SupplyKind::of(false, Undeclared, true),
            SupplyKind::OpenSource
        );
        assert_eq!(
            SupplyKind::of(false, Undeclared, false),
            SupplyKind::Undeclared
        );
        assert_eq!(SupplyKind::of(false, Mixed, true), SupplyKind::OpenSource);
        assert_eq!(SupplyKind::of(false, Mixed, false), SupplyKind::Proprietary);
        assert!(SupplyKind::OpenSource.code_stays());
        assert!(!SupplyKind::Undeclared.code_stays());
    }
}
