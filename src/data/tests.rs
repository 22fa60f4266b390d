use super::*;

const COUNTRIES: &str = "US\tUnited States\nCN\tChina\nDE\tGermany\n";

fn file(path: &str, text: &str) -> DataFile {
    DataFile::new(path, text.to_string())
}

fn registry(vendors: &str) -> Result<Registry, DataError> {
    Registry::from_files(&[
        file("countries.tsv", COUNTRIES),
        file("attribution.toml", ATTRIBUTION),
        file("vendors/test.toml", vendors),
    ])
}

const ATTRIBUTION: &str = include_str!("../../data/attribution.toml");

const GOOD: &str = r#"
[[vendor]]
id = "broadcom"
name = "Broadcom Inc."
aliases = ["Broadcom"]
domains = ["broadcom.com"]
cpe_vendors = ["broadcom"]
country = "US"
kind = "public-company"
sources = [{ fact = "country", url = "https://en.wikipedia.org/wiki/Broadcom", date = "2026-11-25" }]

[[vendor]]
id = "vmware"
name = "VMware LLC"
aliases = ["VMware, Inc."]
domains = ["vmware.com"]
purl = ["maven:org.springframework", "golang:github.com/vmware"]
country = "US"
parent = "broadcom"
kind = "private-company"
sources = [
  { fact = "country", url = "https://en.wikipedia.org/wiki/VMware", date = "2026-11-25" },
  { fact = "parent", url = "https://en.wikipedia.org/wiki/VMware", date = "2026-11-25" },
]
"#;

#[test]
fn lookups_by_name_domain_cpe_purl_and_parent() {
    let reg = registry(GOOD).unwrap();
    let vmware = reg.by_id("vmware").unwrap();
    let broadcom = reg.by_id("broadcom").unwrap();
    assert_eq!(reg.by_name("VMware, Inc."), Some(vmware));
    assert_eq!(reg.by_name("vmware"), Some(vmware));
    assert_eq!(reg.by_name("BROADCOM INC"), Some(broadcom));
    assert_eq!(reg.by_name("Broadcom (formerly Avago)"), Some(broadcom));
    assert_eq!(
        reg.by_domain("docs.broadcom.com").map(|x| x.0),
        Some(broadcom)
    );
    assert_eq!(reg.by_domain("com"), None);
    assert_eq!(reg.by_cpe_vendor("Broadcom"), Some(broadcom));
    assert_eq!(
        reg.by_purl("maven", "org.springframework.boot")
            .map(|x| x.0),
        Some(vmware)
    );
    assert_eq!(reg.by_purl("maven", "org.springframeworkx"), None);
    assert_eq!(
        reg.by_purl("golang", "github.com/vmware/govmomi")
            .map(|x| x.0),
        Some(vmware)
    );
    assert_eq!(reg.ultimate_parent(vmware), broadcom);
    assert_eq!(reg.ultimate_parent(broadcom), broadcom);
}

#[test]
fn validation_catches_each_rule() {
    let bad = r#"
[[vendor]]
id = "a"
name = "Alpha"
country = "XX"
kind = "community"
sources = []

[[vendor]]
id = "b"
name = "Beta"
aliases = ["alpha"]
country = "US"
parent = "nobody"
kind = "community"
sources = [{ fact = "country", url = "ftp://x", date = "yesterday" }]
"#;
    let Err(DataError::Invalid(problems)) = registry(bad) else {
        panic!("invalid data accepted")
    };
    let all = problems.join("\n");
    assert!(
        all.contains("'alpha' of 'b' is also a name or alias of 'a'"),
        "{all}"
    );
    // The alias clash is found while indexing; the rest once it is fixed.
    let bad = bad.replace("aliases = [\"alpha\"]", "");
    let Err(DataError::Invalid(problems)) = registry(&bad) else {
        panic!("invalid data accepted")
    };
    let all = problems.join("\n");
    for needle in [
        "unknown country code 'XX'",
        "vendor 'a': no source",
        "parent 'nobody' is not a vendor id",
        "is not a web address",
        "is not YYYY-MM-DD",
        "no source for the parent",
    ] {
        assert!(all.contains(needle), "missing '{needle}' in:\n{all}");
    }
}

#[test]
fn data_version_changes_with_content() {
    let a = registry(GOOD).unwrap().version;
    let b = registry(&GOOD.replace("2026-11-25", "2026-11-24"))
        .unwrap()
        .version;
    assert_ne!(a, b);
    assert_eq!(a, registry(GOOD).unwrap().version);
}

#[test]
fn parse_errors_name_the_file() {
    let err = registry("[[vendor]]\nid = ").unwrap_err().to_string();
    assert!(err.starts_with("data/vendors/test.toml: "), "{err}");
}

#[test]
fn embedded_data_is_valid() {
    let reg = Registry::embedded().unwrap_or_else(|e| panic!("{e}"));
    // What a release binary does not re-check on each start.
    let problems = reg.validate();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(reg.countries.len() >= 249, "{}", reg.countries.len());
    assert!(
        reg.vendors.len() >= 300,
        "the issue asks for 300+ vendors, {}",
        reg.vendors.len()
    );
    assert_eq!(reg.country_code("United States of America"), Some("US"));
    assert_eq!(reg.country_code("germany"), Some("DE"));
    assert_eq!(reg.country_code("DEU"), Some("DE"));
    assert_eq!(reg.country_code("tw"), Some("TW"));
    assert_eq!(reg.country_code("Atlantis"), None);
    assert_eq!(
        reg.country_code("Georgia"),
        None,
        "also a US state: never guessed"
    );
}

#[test]
fn purl_index_agrees_with_the_longest_matching_pattern() {
    let reg = Registry::embedded().unwrap();
    let mut checked = 0;
    for v in &reg.vendors {
        for pat in &v.purl {
            let Some((ty, prefix)) = pat.split_once(':') else {
                continue;
            };
            let base = prefix.trim_end_matches('*').to_ascii_lowercase();
            for key in [
                base.clone(),
                format!("{base}.sub"),
                format!("{base}/sub"),
                format!("{base}x"),
            ] {
                let ty = ty.to_ascii_lowercase();
                let linear = reg
                    .purl_patterns(&ty)
                    .into_iter()
                    .filter(|(p, _)| purl_pattern_matches(&ty, &key, p))
                    .max_by_key(|(p, _)| p.trim_end_matches('*').len())
                    .map(|(p, _)| p.trim_end_matches('*').len());
                let fast = reg
                    .by_purl(&ty, &key)
                    .map(|(_, p)| p.trim_end_matches('*').len());
                assert_eq!(fast, linear, "{ty}:{key}");
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "{checked}");
}

#[test]
fn embedded_jurisdiction_data_is_valid_and_loaded() {
    let reg = Registry::embedded().unwrap_or_else(|e| panic!("{e}"));
    let j = reg.jurisdictions();
    assert!(j.groups.len() >= 10, "{} groups", j.groups.len());
    assert!(j.measures.len() >= 40, "{} measures", j.measures.len());
    assert!(j.laws.len() >= 10, "{} laws", j.laws.len());
    assert!(j.vendor_measures.len() >= 20);
    assert_eq!(j.expand("wassenaar").len(), 42);
    assert_eq!(j.expand("eu").len(), 27);
    assert_eq!(j.expand("nsg").len(), 48);
    assert_eq!(j.expand("mtcr").len(), 35);
    assert_eq!(j.expand("australia_group").len(), 42);
    // AU CA CH GB JP LI NO NZ US (Iceland is not an EU001 destination).
    assert_eq!(j.expand("eu_dual_use_eu001").len(), 9);
    assert!(reg.pair_weights.is_some());
}

const HOSTING: &str = r#"
[[host_rule]]
id = "host-github"
host = "github.com"
kind = "hosting"
source = "t"
source_url = "https://github.com/"
"#;

fn with_packages(path: &str, tsv: &str) -> Result<Registry, DataError> {
    Registry::from_files(&[
        file("countries.tsv", COUNTRIES),
        file("attribution.toml", ATTRIBUTION),
        file("vendors/test.toml", GOOD),
        file("purl_rules.toml", HOSTING),
        file(
            "sources.toml",
            "[[source]]\nid = \"t\"\n\n[[source]]\nid = \"package-registry-metadata\"\n",
        ),
        file(path, tsv),
    ])
}

#[test]
fn package_owners_load_and_look_up_by_registry_name() {
    let reg = with_packages(
        "packages/pypi.tsv",
        "# comment\nZope.Interface\tgithub.com/zopefoundation\thttps://github.com/zopefoundation/zope.interface\t2026-11-25\n",
    )
    .unwrap();
    let row = reg.package_owner("pypi", "zope_interface").unwrap();
    assert_eq!(
        (row.host.as_str(), row.owner.as_str(), row.line),
        ("github.com", "zopefoundation", 2)
    );
    assert_eq!(row.file, "data/packages/pypi.tsv");
    assert!(reg.package_owner("npm", "zope.interface").is_none());
    assert_eq!(reg.packages.counts(), vec![("pypi", 1)]);
    assert_eq!(normalize_package_name("pypi", "A__b.-C"), "a-b-c");
    assert_eq!(normalize_package_name("cargo", "Serde_Json"), "serde-json");
    assert_eq!(normalize_package_name("gem", "Rails"), "Rails");
}

#[test]
fn package_owner_rows_are_checked_with_file_and_line() {
    let err = with_packages("packages/npm.tsv", "left-pad\tgithub.com/stevemao\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("data/packages/npm.tsv: line 1: expected NAME<TAB>HOST/OWNER"),
        "{err}"
    );
    let bad = "\
left-pad\tgithub.com/stevemao\thttps://github.com/stevemao/left-pad\t2026-11-25
Left-Pad\tgithub.com/other\thttps://github.com/other/left-pad\t2026-11-25
a\texample.com/x\thttps://example.com/x/a\t2026-11-25
b\tgithub.com/no owner\thttps://github.com/no owner/b\t2026-11-25
c\tgithub.com/c\thttps://github.com/d/c\t2026-11-25
d\tgithub.com/d\thttps://github.com/d/d\tlast week
";
    let Err(DataError::Invalid(problems)) = with_packages("packages/npm.tsv", bad) else {
        panic!("invalid rows accepted")
    };
    let all = problems.join("\n");
    for needle in [
        "data/packages/npm.tsv: line 2: package 'Left-Pad' is already listed on line 1",
        "data/packages/npm.tsv: line 3: package 'a': host 'example.com' is not a code forge",
        "data/packages/npm.tsv: line 4: package 'b': owner 'no owner' is not a forge account name",
        "data/packages/npm.tsv: line 5: package 'c': repository 'https://github.com/d/c' is not a repository of github.com/c",
        "data/packages/npm.tsv: line 6: package 'd': retrieved date 'last week' is not YYYY-MM-DD",
    ] {
        assert!(all.contains(needle), "missing '{needle}' in:\n{all}");
    }
    assert_eq!(problems.len(), 5, "{all}");
}

#[test]
fn embedded_package_tables_have_rows() {
    let reg = Registry::embedded().unwrap();
    let npm = reg.package_owner("npm", "accepts").expect("npm table");
    assert_eq!(npm.host, "github.com");
    assert!(reg
        .packages
        .counts()
        .iter()
        .any(|(t, n)| *t == "npm" && *n > 1000));
}

/// The `package-repo-owner` rule of src/attribution/rules.rs over a `data/packages` table.
mod package_repo_owner {
    use super::*;
    use crate::attribution::{Attribution, Attributor};
    use crate::model::{Component, Format, Party, SbomBuilder, Serialization};

    const NPM: &str = "\
left-pad\tgithub.com/stevemao\thttps://github.com/stevemao/left-pad\t2026-11-25
govc-js\tgithub.com/VMware\thttps://github.com/vmware/govc-js\t2026-11-24
";

    /// Attributes one component (the registry and SBOM are leaked: attributions borrow them).
    fn attribute(purl: &str, supplier: Option<&str>) -> Attribution<'static> {
        let reg: &'static Registry =
            Box::leak(Box::new(with_packages("packages/npm.tsv", NPM).unwrap()));
        let mut c = Component::new("c", "c");
        c.purl = Some(purl.to_string());
        c.supplier = supplier.map(|s| Box::new(Party::organization(s)));
        let mut b = SbomBuilder::new("t", Format::CycloneDx, Serialization::Json);
        let id = b.add_component(c);
        let sbom: &'static crate::model::Sbom = Box::leak(Box::new(b.finish()));
        Attributor::new(reg).attribute_one(sbom, id)
    }

    #[test]
    fn an_unregistered_owner_is_the_vendor_with_the_data_row_in_the_detail() {
        let a = attribute("pkg:npm/left-pad@1.3.0", None);
        let v = a.vendor.unwrap();
        assert_eq!((v.id, v.name.as_ref()), (None, "github.com/stevemao"));
        assert_eq!(a.country, None);
        assert_eq!(a.confidence, 0.4);
        let won = a.evidence.iter().find(|e| e.won).unwrap();
        assert_eq!(won.rule, "package-repo-owner-unregistered");
        assert!(
            won.detail.to_string().starts_with(
                "data/packages/npm.tsv: 'left-pad' -> github.com/stevemao (registry metadata retrieved 2026-11-25)"
            ),
            "{}",
            won.detail
        );
    }

    #[test]
    fn a_registered_owner_gives_the_vendor_record() {
        let a = attribute("pkg:npm/govc-js@2.0.0", None);
        assert_eq!(a.vendor.and_then(|v| v.id), Some("vmware"));
        assert_eq!(a.country, Some("US"));
        assert_eq!(a.confidence, 0.6);
        let won = a.evidence.iter().find(|e| e.won).unwrap();
        assert_eq!(won.rule, "package-repo-owner");
        assert!(
            won.detail
                .to_string()
                .contains("matches 'golang:github.com/vmware'"),
            "{}",
            won.detail
        );
    }

    #[test]
    fn a_declared_supplier_still_wins() {
        let a = attribute("pkg:npm/govc-js@2.0.0", Some("Broadcom Inc."));
        assert_eq!(a.vendor.and_then(|v| v.id), Some("broadcom"));
        let table = a
            .evidence
            .iter()
            .find(|e| e.rule == "package-repo-owner")
            .expect("the table row is still evidence");
        assert!(!table.won);
    }

    #[test]
    fn namespaced_and_unlisted_packages_are_not_looked_up() {
        // A scope is its own identity; the table is for names without a namespace.
        let a = attribute("pkg:npm/%40someone/left-pad@1.0.0", None);
        assert!(a
            .evidence
            .iter()
            .all(|e| !e.rule.starts_with("package-repo")));
        let a = attribute("pkg:npm/right-pad@1.0.0", None);
        assert!(a.vendor.is_none() && a.evidence.is_empty());
        // Other types read their own file only.
        let a = attribute("pkg:pypi/left-pad@1.0.0", None);
        assert!(a.vendor.is_none());
    }
}

mod corroboration {
    use crate::data::jurisdictions::fixture::registry;
    use crate::data::jurisdictions::Confidence;
    use crate::data::DataError;

    const MEASURE: &str = r#"
[[measure]]
id = "us-ru-c"
imposing = "US"
target = "RU"
measure_type = "sanction"
value = "sectoral"
scope = ["all"]
instrument = "EO 14024"
citation = "31 CFR 587"
effective_from = "2021-04-15"
status = "active"
source = "t"
source_url = "https://example.org/x"
as_of = "2026-11-25"
"#;

    fn problems(extra: &str) -> Vec<String> {
        match registry(&format!("{MEASURE}{extra}")) {
            Ok(_) => Vec::new(),
            Err(DataError::Invalid(p)) => p,
            Err(e) => vec![format!("parse: {e}")],
        }
    }

    #[test]
    fn a_corroborated_record_loads_with_its_pages_and_date() {
        let extra = "confidence = \"corroborated\"\ncorroborated_by = [\"https://example.org/news\"]\nchecked_on = \"2026-11-25\"\n";
        let reg = registry(&format!("{MEASURE}{extra}")).unwrap_or_else(|e| panic!("{e}"));
        let m = reg
            .jurisdictions()
            .measures
            .iter()
            .find(|m| m.id == "us-ru-c")
            .unwrap_or_else(|| panic!("record missing"));
        assert_eq!(m.confidence, Confidence::Corroborated);
        assert_eq!(m.corroborated_by, ["https://example.org/news"]);
        assert_eq!(m.checked_on.as_deref(), Some("2026-11-25"));
    }

    #[test]
    fn a_corroborated_record_needs_at_least_one_address_and_a_date() {
        let p = problems("confidence = \"corroborated\"\n");
        assert!(
            p.iter()
                .any(|m| m.contains("us-ru-c") && m.contains("at least one corroborated_by")),
            "{p:?}"
        );
        assert!(p.iter().any(|m| m.contains("needs checked_on")), "{p:?}");
        let p = problems(
            "confidence = \"corroborated\"\ncorroborated_by = []\nchecked_on = \"2026-11-25\"\n",
        );
        assert_eq!(p.len(), 1, "{p:?}");
    }

    #[test]
    fn corroborating_pages_are_web_addresses_and_the_check_is_dated() {
        let p = problems("corroborated_by = [\"news.example.org\"]\nchecked_on = \"25 Nov\"\n");
        assert!(
            p.iter()
                .any(|m| m.contains("'news.example.org' is not a web address")),
            "{p:?}"
        );
        assert!(p.iter().any(|m| m.contains("checked_on '25 Nov'")), "{p:?}");
    }

    #[test]
    fn embedded_corroborated_records_name_their_pages() {
        let reg = crate::data::Registry::embedded().unwrap_or_else(|e| panic!("{e}"));
        let j = reg.jurisdictions();
        let n = j
            .vendor_measures
            .iter()
            .filter(|v| v.confidence == Confidence::Corroborated)
            .inspect(|v| assert!(!v.corroborated_by.is_empty(), "{}", v.id))
            .count();
        assert!(n >= 1, "no corroborated vendor measure");
    }
}

/// The JSON that build.rs compiles from the TOML data is read into exactly the registry the
/// TOML gives, with the same data version; a compiled form that does not fit the types falls
/// back to the TOML.
#[test]
fn compiled_embedded_data_is_the_toml_data() {
    let compiled = Registry::embedded().unwrap();
    let files: Vec<DataFile> = crate::data::embedded_files()
        .into_iter()
        .map(|f| DataFile::new(f.path, f.text))
        .collect();
    assert!(crate::data::embedded_files()
        .iter()
        .filter(|f| f.path.ends_with(".toml"))
        .all(|f| f.compiled.is_some()));
    let toml = Registry::from_files(&files).unwrap();
    // The embedded package tables are read on first use, and give what reading them at once
    // gives (the Debug comparison below reads them too).
    let first = crate::data::embedded_files()
        .into_iter()
        .find(|f| f.path == "packages/npm.tsv")
        .and_then(|f| {
            f.text
                .lines()
                .find(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        })
        .unwrap();
    assert_eq!(
        compiled.package_owner("npm", &first).map(|r| &r.repository),
        toml.package_owner("npm", &first).map(|r| &r.repository)
    );
    assert!(compiled.package_owner("npm", &first).is_some());
    // Every row, looked up through the lazy name index (one row parsed per lookup), is the row
    // read at once; so is a name in other case.
    let mut n = 0;
    for row in toml.packages.rows() {
        let ty = row
            .file
            .trim_start_matches("data/packages/")
            .trim_end_matches(".tsv");
        assert_eq!(
            compiled.package_owner(ty, &row.name),
            Some(row),
            "{ty} {}",
            row.name
        );
        assert_eq!(
            compiled
                .package_owner(&ty.to_uppercase(), &row.name.to_uppercase())
                .map(|r| &r.line),
            toml.package_owner(ty, &row.name.to_uppercase())
                .map(|r| &r.line),
        );
        n += 1;
    }
    assert!(n > 1000, "{n} rows");
    assert_eq!(
        compiled.package_owner("npm", "no-such-package-anywhere"),
        None
    );
    assert_eq!(compiled.version, toml.version);
    assert_eq!(format!("{compiled:?}"), format!("{toml:?}"));
    // A compiled form of the wrong shape: the TOML is read instead.
    let mut f = DataFile::new("channels.toml", "[[channel]]\nid = 1\n");
    f.compiled = Some("[");
    let e = super::load::parse_toml::<super::schema::ChannelsFile>(&f).unwrap_err();
    assert!(e.to_string().contains("data/channels.toml"), "{e}");
}

/// A purl pattern two vendors claim is reported, and the index still answers for the others
/// (exact and `*` patterns alike).
#[test]
fn a_purl_pattern_claimed_twice_is_a_problem() {
    let twice = GOOD.replace(
        r#"aliases = ["Broadcom"]"#,
        r#"aliases = ["Broadcom"]
purl = ["maven:org.springframework", "npm:@broadcom/*"]"#,
    );
    let err = registry(&twice).unwrap_err().to_string();
    assert!(
        err.contains("purl pattern 'org.springframework' is claimed by both"),
        "{err}"
    );
    let once = GOOD.replace(
        r#"aliases = ["Broadcom"]"#,
        r#"aliases = ["Broadcom"]
purl = ["npm:@broadcom/*"]"#,
    );
    let reg = registry(&once).unwrap();
    let broadcom = reg.by_id("broadcom").unwrap();
    let vmware = reg.by_id("vmware").unwrap();
    assert_eq!(
        reg.by_purl("npm", "@broadcom/x"),
        Some((broadcom, "@broadcom/*"))
    );
    assert_eq!(
        reg.by_purl("maven", "org.springframework.boot"),
        Some((vmware, "org.springframework"))
    );
    assert_eq!(reg.by_purl("pypi", "x"), None);
}
