//! SPDX relationship types (2.x `relationshipType` and 3.0 `relationshipType`), folded onto the
//! model's [`RelationKind`] with a direction, so that `from` is always the consumer or container.

use crate::model::RelationKind;

/// How one SPDX relationship type maps onto the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mapping {
    pub kind: RelationKind,
    /// True when the SPDX element is the supplier/contained part and the related element the
    /// consumer/container (DEPENDENCY_OF, CONTAINED_BY...): the edge is reversed.
    pub reversed: bool,
    /// The canonical SPDX 2 spelling, kept as the relation's `source_type`.
    pub canonical: &'static str,
    /// False for names outside SPDX 2.3 and 3.0 that real tools write (trivy's `DESCRIBE`).
    pub standard: bool,
}

/// [`map`] with the last type remembered: a document lists runs of relationships of one type,
/// and each relationship is mapped twice (roots, then relations).
#[derive(Debug, Default)]
pub struct Memo<'t> {
    last: Option<(&'t str, Option<Mapping>)>,
}

impl<'t> Memo<'t> {
    pub fn map(&mut self, relationship_type: &'t str) -> Option<Mapping> {
        match self.last {
            Some((t, m)) if t == relationship_type => m,
            _ => {
                let m = map(relationship_type);
                self.last = Some((relationship_type, m));
                m
            }
        }
    }
}

/// Maps an SPDX 2 (`DEPENDS_ON`) or SPDX 3 (`dependsOn`) relationship type. Case, `_` and `-`
/// are ignored. Unknown types give `None`; the caller keeps them as [`RelationKind::Other`].
pub fn map(relationship_type: &str) -> Option<Mapping> {
    // The key (separators dropped, lower case) in a buffer on the stack: this runs twice per
    // relationship. Every known key is ASCII and shorter than the buffer, so a longer or
    // non-ASCII one is no match.
    let mut buf = [0u8; 32];
    let mut n = 0;
    for b in relationship_type.bytes() {
        if matches!(b, b'_' | b'-' | b' ') {
            continue;
        }
        if !b.is_ascii() || n == buf.len() {
            return None;
        }
        buf[n] = b.to_ascii_lowercase();
        n += 1;
    }
    let key = std::str::from_utf8(&buf[..n]).unwrap_or_default();
    use RelationKind::*;
    let m = |kind, reversed, canonical| {
        Some(Mapping {
            kind,
            reversed,
            canonical,
            standard: true,
        })
    };
    let nonstd = |kind, reversed, canonical| {
        Some(Mapping {
            kind,
            reversed,
            canonical,
            standard: false,
        })
    };
    match key {
        "dependson" => m(DependsOn, false, "DEPENDS_ON"),
        "dependencyof" => m(DependsOn, true, "DEPENDENCY_OF"),
        "builddependencyof" => m(DependsOn, true, "BUILD_DEPENDENCY_OF"),
        "devdependencyof" => m(DependsOn, true, "DEV_DEPENDENCY_OF"),
        "optionaldependencyof" => m(DependsOn, true, "OPTIONAL_DEPENDENCY_OF"),
        "providedependencyof" => m(DependsOn, true, "PROVIDED_DEPENDENCY_OF"),
        "testdependencyof" => m(DependsOn, true, "TEST_DEPENDENCY_OF"),
        "runtimedependencyof" => m(DependsOn, true, "RUNTIME_DEPENDENCY_OF"),
        "dynamiclink" => m(DependsOn, false, "DYNAMIC_LINK"),
        "staticlink" => m(DependsOn, false, "STATIC_LINK"),
        "hasprerequisite" => m(DependsOn, false, "HAS_PREREQUISITE"),
        "prerequisitefor" => m(DependsOn, true, "PREREQUISITE_FOR"),
        "contains" => m(Contains, false, "CONTAINS"),
        "containedby" => m(Contains, true, "CONTAINED_BY"),
        "packageof" => m(Contains, true, "PACKAGE_OF"),
        "distributionartifact" => m(Contains, false, "DISTRIBUTION_ARTIFACT"),
        "describes" => m(Describes, false, "DESCRIBES"),
        "describedby" => m(Describes, true, "DESCRIBED_BY"),
        // trivy writes `DESCRIBE` (seen in corpus/spdx-json/wild-trivy-*.spdx.json).
        "describe" => nonstd(Describes, false, "DESCRIBE"),
        // SPDX 3 names for dependency and containment.
        "hasdynamiclink" => m(DependsOn, false, "hasDynamicLink"),
        "hasstaticlink" => m(DependsOn, false, "hasStaticLink"),
        "hasoptionaldependency" => m(DependsOn, false, "hasOptionalDependency"),
        "hasprovideddependency" => m(DependsOn, false, "hasProvidedDependency"),
        "hasdependencymanifest" => m(Other, false, "hasDependencyManifest"),
        "hasdistributionartifact" => m(Contains, false, "hasDistributionArtifact"),
        "packagedby" => m(Contains, true, "packagedBy"),
        "expandsto" => m(Contains, false, "expandsTo"),
        "hasoptionalcomponent" => m(Contains, false, "hasOptionalComponent"),
        "amendedby" | "copiedto" | "patchedby" => m(Other, false, "OTHER"),
        "generates" => m(Other, false, "GENERATES"),
        // Seen in corpus/spdx-tv/wild-mqtt-client.spdx; all three are SPDX 2.3 names.
        "dependencymanifestof" => m(Other, false, "DEPENDENCY_MANIFEST_OF"),
        "datafileof" => m(Other, false, "DATA_FILE_OF"),
        "testtoolof" => m(Other, false, "TEST_TOOL_OF"),
        "generatedfrom" => m(Other, false, "GENERATED_FROM"),
        "ancestorof"
        | "descendantof"
        | "variantof"
        | "copyof"
        | "fileadded"
        | "filedeleted"
        | "filemodified"
        | "expandedfromarchive"
        | "metafileof"
        | "patchfor"
        | "patchapplied"
        | "testof"
        | "testcaseof"
        | "documentationof"
        | "optionalcomponentof"
        | "exampleof"
        | "buildtoolof"
        | "devtoolof"
        | "amends"
        | "other"
        | "specificationfor"
        | "requirementdescriptionfor"
        | "hasassessmentfor"
        | "affects"
        | "fixedin"
        | "foundby"
        | "reportedby"
        | "hasdocumentation"
        | "hasexample"
        | "hastest"
        | "hastestcase"
        | "hasvariant"
        | "hasspecification"
        | "hasrequirement"
        | "hasmetadata"
        | "hasinput"
        | "hasoutput"
        | "hasdeclaredlicense"
        | "hasconcludedlicense"
        | "hasevidence"
        | "hasassociatedvulnerability"
        | "hasaddedfile"
        | "hasdeletedfile"
        | "modifiedby"
        | "invokedby"
        | "usestool"
        | "trainedon"
        | "testedon"
        | "hasdatafile"
        | "publishedby"
        | "delegatedto"
        | "coordinatedby"
        | "republishedby"
        | "serializedinartifact"
        | "fixedby"
        | "hashost"
        | "underinvestigationfor"
        | "doesnotaffect"
        | "exploitcreatedby"
        | "availablefrom"
        | "configures" => m(Other, false, "OTHER"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_memo_maps_as_map_does() {
        let types = [
            "DEPENDS_ON",
            "DEPENDS_ON",
            "contains",
            "CONTAINS",
            "NOT_A_TYPE",
            "NOT_A_TYPE",
            "DESCRIBES",
            "DEPENDS_ON",
        ];
        let mut memo = Memo::default();
        for t in types {
            assert_eq!(memo.map(t), map(t), "{t}");
        }
    }

    use super::*;

    #[test]
    fn reverse_types_flip_direction() {
        let m = map("DEPENDENCY_OF").unwrap();
        assert_eq!((m.kind, m.reversed), (RelationKind::DependsOn, true));
        let m = map("CONTAINED_BY").unwrap();
        assert_eq!((m.kind, m.reversed), (RelationKind::Contains, true));
        let m = map("contains").unwrap();
        assert_eq!((m.kind, m.reversed), (RelationKind::Contains, false));
    }

    #[test]
    fn spdx3_and_nonstandard_spellings() {
        assert_eq!(map("dependsOn").unwrap().kind, RelationKind::DependsOn);
        assert_eq!(map("hasStaticLink").unwrap().kind, RelationKind::DependsOn);
        let m = map("DESCRIBE").unwrap();
        assert!(!m.standard);
        assert_eq!(m.kind, RelationKind::Describes);
        assert_eq!(map("FRIEND_OF"), None);
        // Longer than any known key, or not ASCII: no match (and no panic).
        assert_eq!(map(&"HAS_".repeat(40)), None);
        assert_eq!(map("DEPENDS_ÖN"), None);
        assert_eq!(
            map("has-Associated-Vulnerability").unwrap().kind,
            RelationKind::Other
        );
    }
}
