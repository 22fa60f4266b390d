use super::*;
use crate::data::{DataFile, Registry};
use crate::model::{
    Component, ExternalRef, ExternalRefKind, Format, Party, SbomBuilder, Serialization,
};

const VENDORS: &str = r#"
[[vendor]]
id = "cisco"
name = "Cisco Systems, Inc."
aliases = ["Cisco"]
domains = ["cisco.com"]
cpe_vendors = ["cisco"]
purl = ["github:cisco", "maven:com.cisco"]
country = "US"
kind = "public-company"
sources = [{ fact = "country", url = "https://en.wikipedia.org/wiki/Cisco", date = "2026-11-25" }]

[[vendor]]
id = "alibaba"
name = "Alibaba Group Holding Limited"
aliases = ["Alibaba"]
domains = ["alibaba.com"]
purl = ["maven:com.alibaba", "github:alibaba", "golang:github.com/alibaba"]
country = "CN"
kind = "public-company"
sources = [{ fact = "country", url = "https://en.wikipedia.org/wiki/Alibaba_Group", date = "2026-11-25" }]

[[vendor]]
id = "broadcom"
name = "Broadcom Inc."
cpe_vendors = ["broadcom"]
country = "US"
kind = "public-company"
sources = [{ fact = "country", url = "https://en.wikipedia.org/wiki/Broadcom", date = "2026-11-25" }]

[[vendor]]
id = "vmware"
name = "VMware LLC"
purl = ["maven:org.springframework"]
country = "US"
parent = "broadcom"
kind = "private-company"
sources = [
  { fact = "country", url = "https://en.wikipedia.org/wiki/VMware", date = "2026-11-25" },
  { fact = "parent", url = "https://en.wikipedia.org/wiki/VMware", date = "2026-11-25" },
]

[[vendor]]
id = "debian"
name = "Debian Project"
purl = ["deb:debian"]
country = "US"
kind = "community"
sources = [{ fact = "country", url = "https://en.wikipedia.org/wiki/Debian", date = "2026-11-25" }]
"#;

const RULES: &str = r#"
[[tld_rule]]
id = "tld-de"
tld = "de"
country = "DE"
source = "t"
source_url = "https://www.iana.org/domains/root/db/de.html"

[[tld_generic]]
id = "generic"
tlds = ["io"]
source = "t"
source_url = "https://www.iana.org/domains/root/db"

[[host_rule]]
id = "host-github"
host = "github.com"
kind = "hosting"
source = "t"
source_url = "https://github.com/"

[[distro_rule]]
id = "distro-deb-debian"
type = "deb"
namespace = "debian"
vendor = "debian"
source = "t"
source_url = "https://www.debian.org/"

[[ambiguous]]
id = "amb-hp"
kind = "cpe_vendor"
value = "hp"
candidates = ["cisco", "broadcom"]
source = "t"
source_url = "https://example.org/"
"#;

const CHANNELS: &str = r#"
[[channel]]
id = "maven"
type = "maven"
channel = "Maven Central"
operator_country = "US"
source = "t"
source_url = "https://central.sonatype.org/"

[[channel]]
id = "deb-debian"
type = "deb"
namespace = "debian"
channel = "Debian archive"
operator = "debian"
operator_country = "US"
source = "t"
source_url = "https://www.debian.org/mirror/"

[[channel.mirrors]]
jurisdiction = "CN"
name = "TUNA"
source = "t"
source_url = "https://mirrors.tuna.tsinghua.edu.cn/"
"#;

fn registry() -> Registry {
    let f = |p: &str, t: &str| DataFile::new(p, t.to_string());
    Registry::from_files(&[
        f(
            "countries.tsv",
            "US\tUnited States\nCN\tChina\nDE\tGermany\nTW\tTaiwan\n",
        ),
        f("country_aliases.tsv", "USA\tUS\n"),
        f(
            "attribution.toml",
            include_str!("../../data/attribution.toml"),
        ),
        f("vendors/t.toml", VENDORS),
        f("purl_rules.toml", RULES),
        f("channels.toml", CHANNELS),
        f("sources.toml", "[[source]]\nid = \"t\"\n"),
    ])
    .unwrap()
}

/// Attributes one component. (Attributions borrow the SBOM and the registry; a test leaks both.)
fn one(c: Component) -> Attribution<'static> {
    let reg: &'static Registry = Box::leak(Box::new(registry()));
    let mut b = SbomBuilder::new("t", Format::CycloneDx, Serialization::Json);
    let id = b.add_component(c);
    let sbom: &'static crate::model::Sbom = Box::leak(Box::new(b.finish()));
    Attributor::new(reg).attribute_one(sbom, id)
}

fn with_purl(purl: &str) -> Component {
    let mut c = Component::new("c", "c");
    c.purl = Some(purl.into());
    c
}

#[test]
fn cpe_vendor_names_the_vendor() {
    let mut c = Component::new("ios", "ios_xe");
    c.cpes = vec!["cpe:2.3:o:cisco:ios_xe:17.3.1:*:*:*:*:*:*:*".into()];
    let a = one(c);
    assert_eq!(a.vendor.as_ref().and_then(|v| v.id), Some("cisco"));
    assert_eq!(a.country, Some("US"));
    let won: Vec<_> = a.evidence.iter().filter(|e| e.won).collect();
    assert_eq!(won.len(), 1);
    assert_eq!(won[0].rule, "cpe-vendor");
    assert!(
        won[0]
            .detail
            .to_string()
            .contains("data/vendors/t.toml#cisco"),
        "{}",
        won[0].detail
    );
    // Calibrated on the real-corpus truth set (data/attribution.toml).
    assert_eq!(a.confidence, 0.65);
}

#[test]
fn purl_namespace_and_parent() {
    let a = one(with_purl(
        "pkg:maven/org.springframework.boot/spring-boot@3.2.0",
    ));
    let v = a.vendor.unwrap();
    assert_eq!(v.id, Some("vmware"));
    assert_eq!(v.parent.map(|p| p.id()), Some("broadcom"));
    assert_eq!(
        a.channel.map(|c| c.name.into_owned()),
        Some("Maven Central".to_string())
    );
    let a = one(with_purl("pkg:maven/com.alibaba/fastjson@1.2.83"));
    assert_eq!(a.country, Some("CN"));
}

#[test]
fn go_module_on_a_forge_resolves_the_owner() {
    let a = one(with_purl(
        "pkg:golang/github.com/alibaba/sentinel-golang@1.0.4",
    ));
    assert_eq!(a.vendor.and_then(|v| v.id), Some("alibaba"));
}

#[test]
fn a_tld_alone_gives_no_country_and_the_group_domain_is_an_identity() {
    // shared/TRUTH.md: a TLD alone is not evidence of a country; the hint is shown, unused.
    let a = one(with_purl("pkg:maven/de.siemens.foo/bar@1"));
    let v = a.vendor.unwrap();
    assert_eq!((v.id, v.name.as_ref()), (None, "siemens.de"));
    assert_eq!(a.country, None);
    assert_eq!(a.confidence, 0.45);
    let rules: Vec<&str> = a.evidence.iter().map(|e| e.rule).collect();
    assert_eq!(rules, ["purl-namespace-unregistered", "purl-tld-country"]);
}

#[test]
fn ambiguous_cpe_vendors_are_never_resolved_silently() {
    let mut c = Component::new("x", "x");
    c.cpes = vec!["cpe:2.3:a:hp:laserjet_fw:1:*:*:*:*:*:*:*".into()];
    let a = one(c);
    assert!(a.vendor.is_none());
    assert_eq!(a.evidence[0].rule, "cpe-ambiguous");
    assert!(a.evidence[0].detail.to_string().contains("cisco, broadcom"));
}

#[test]
fn unknown_forge_owner_is_a_vendor_without_country() {
    let a = one(with_purl("pkg:golang/github.com/spf13/cobra@v1.8.0"));
    let v = a.vendor.unwrap();
    assert_eq!((v.id, v.name.as_ref()), (None, "github.com/spf13"));
    assert_eq!(a.country, None);
}

#[test]
fn declared_supplier_beats_cpe_and_address_country_is_kept() {
    let mut c = Component::new("x", "x");
    c.supplier = Some(Box::new(Party {
        country: Some("USA".into()),
        ..Party::organization("Cisco Systems Inc")
    }));
    c.cpes = vec!["cpe:2.3:h:broadcom:bcm5300:-:*:*:*:*:*:*:*".into()];
    let a = one(c);
    assert_eq!(a.vendor.and_then(|v| v.id), Some("cisco"));
    assert_eq!(a.country, Some("US"));
    assert_eq!(
        a.evidence.len(),
        3,
        "supplier, address country, cpe: {:?}",
        a.evidence
    );
}

#[test]
fn unregistered_declared_vendor_is_named_without_a_country() {
    let mut c = Component::new("x", "x");
    c.supplier = Some(Box::new(Party::organization("Tiny Widgets GmbH")));
    let a = one(c);
    let v = a.vendor.unwrap();
    assert_eq!((v.id, v.name.as_ref()), (None, "Tiny Widgets GmbH"));
    assert_eq!(a.country, None);
}

#[test]
fn vcs_url_names_the_owner_not_the_forge() {
    let mut c = Component::new("x", "x");
    c.external_refs = vec![ExternalRef {
        kind: ExternalRefKind::Vcs,
        url: "https://github.com/cisco/openh264".into(),
    }];
    let a = one(c);
    assert_eq!(a.vendor.and_then(|v| v.id), Some("cisco"));
    let e = &a.evidence[0];
    assert_eq!(e.rule, "vcs-owner");
}

#[test]
fn free_mail_domains_say_nothing() {
    let mut c = Component::new("x", "x");
    c.authors = vec![Party {
        kind: crate::model::PartyKind::Person,
        name: Some("Jane".into()),
        email: Some("jane@gmail.com".into()),
        ..Party::default()
    }];
    let a = one(c);
    // The person is the vendor, without a country (shared/TRUTH.md); the free-mail domain
    // adds no evidence.
    assert_eq!(
        a.vendor.as_ref().map(|v| (v.id, v.name.as_ref())),
        Some((None, "Jane"))
    );
    assert_eq!(a.country, None);
    assert_eq!(a.evidence.len(), 1, "{:?}", a.evidence);
    assert_eq!(a.evidence[0].rule, "declared-unregistered");
}

#[test]
fn distro_packages_name_the_distributor_and_its_archive() {
    let a = one(with_purl(
        "pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12",
    ));
    assert_eq!(a.vendor.and_then(|v| v.id), Some("debian"));
    assert_eq!(a.confidence, 0.95);
    let ch = a.channel.unwrap();
    assert_eq!(ch.name, "Debian archive");
    assert_eq!(ch.mirrors_in, vec!["CN".to_string()]);
}

#[test]
fn overrides_win_and_nothing_is_unknown() {
    let reg = registry();
    let mut b = SbomBuilder::new("t", Format::CycloneDx, Serialization::Json);
    let mut c = Component::new("fw", "acme-fw");
    c.cpes = vec!["cpe:2.3:o:cisco:ios:15:*:*:*:*:*:*:*".into()];
    let id = b.add_component(c);
    let bare = b.add_component(Component::new("bare", "bare"));
    let sbom = b.finish();
    let mut at = Attributor::new(&reg);
    at.overrides = Overrides::parse(
        "ov.toml",
        "[[override]]\nname = \"acme-*\"\nvendor_name = \"Acme Networks\"\ncountry = \"TW\"\nreason = \"contract\"\n",
        &reg,
    )
    .unwrap();
    let a = at.attribute_one(&sbom, id);
    assert_eq!(
        a.vendor.map(|v| v.name.into_owned()),
        Some("Acme Networks".to_string())
    );
    assert_eq!(a.country, Some("TW"));
    assert_eq!(a.confidence, 1.0);
    assert!(a.evidence.iter().any(|e| e.rule == "cpe-vendor" && !e.won));
    let u = at.attribute_one(&sbom, bare);
    assert!(u.vendor.is_none() && u.country.is_none() && u.evidence.is_empty());
    assert_eq!(u.confidence, 0.0);
    assert!(Overrides::parse(
        "ov.toml",
        "[[override]]\nname = \"x\"\nvendor = \"nobody\"\n",
        &reg
    )
    .is_err());
    assert!(Overrides::parse("ov.toml", "[[override]]\nvendor = \"cisco\"\n", &reg).is_err());
}

// --- Evidence by its provenance (the real-SBOM attribution issue), on the embedded data ---

/// The embedded registry, once.
fn embedded() -> &'static Registry {
    static REG: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    REG.get_or_init(|| Registry::embedded().unwrap())
}

/// Attributes every component of `components`, related by `contains` (container, child) pairs.
fn doc(components: Vec<Component>, contains: &[(usize, usize)]) -> Vec<Attribution<'static>> {
    let mut b = SbomBuilder::new("t", Format::Spdx, Serialization::Json);
    let ids: Vec<_> = components.into_iter().map(|c| b.add_component(c)).collect();
    for (p, c) in contains {
        b.relate(
            ids[*p],
            ids[*c],
            crate::model::RelationKind::Contains,
            "CONTAINS".into(),
        );
    }
    let sbom: &'static crate::model::Sbom = Box::leak(Box::new(b.finish()));
    Attributor::new(embedded()).attribute(sbom)
}

fn real(c: Component) -> Attribution<'static> {
    doc(vec![c], &[]).remove(0)
}

fn named(name: &str, version: Option<&str>) -> Component {
    let mut c = Component::new(name, name);
    c.version = version.map(str::to_string);
    c
}

#[test]
fn a_scanner_fanout_of_cpes_names_no_vendor() {
    // syft writes one CPE per guessed vendor; `python` matches the PSF's record.
    let mut c = with_purl("pkg:pypi/six@1.16.0");
    c.name = "six".into();
    c.cpes = vec![
        "cpe:2.3:a:python-six:six:1.16.0:*:*:*:*:*:*:*".into(),
        "cpe:2.3:a:python:six:1.16.0:*:*:*:*:*:*:*".into(),
    ];
    let a = real(c);
    assert_eq!(a.country, None, "{:?}", a.evidence);
    let guessed = a.evidence.iter().find(|e| e.rule == "cpe-guessed").unwrap();
    assert!(guessed.vendor.is_none() && !guessed.won);
    assert!(guessed.detail.to_string().contains("psf"));
}

#[test]
fn a_single_stated_cpe_names_the_vendor_even_when_it_leads_the_product() {
    // NVD's own CPEs often start the product with the vendor: no sign of a guess.
    for (cpe, vendor) in [
        (
            "cpe:2.3:o:linux:linux_kernel:6.1.55:*:*:*:*:*:*:*",
            "linux-foundation",
        ),
        ("cpe:2.3:o:cisco:ios_xe:17.9:*:*:*:*:*:*:*", "cisco"),
    ] {
        let mut c = named("linux_kernel", Some("6.1.55"));
        c.cpes = vec![cpe.into()];
        let a = real(c);
        assert_eq!(a.vendor.as_ref().and_then(|v| v.id), Some(vendor), "{cpe}");
        assert_eq!(a.country, Some("US"));
    }
}

#[test]
fn a_distribution_supplies_its_packages_and_maintainers_are_detail() {
    let mut c = with_purl("pkg:deb/debian/util-linux@2.36.1-8?distro=debian-11");
    c.name = "util-linux".into();
    c.supplier = Some(Box::new(Party::organization("util-linux packagers")));
    c.cpes = vec!["cpe:2.3:a:kernel:util-linux:2.36.1:*:*:*:*:*:*:*".into()];
    let a = real(c);
    assert_eq!(a.vendor.as_ref().and_then(|v| v.id), Some("debian"));
    assert_eq!(a.winner().unwrap().rule, "purl-distro");
    let m = a
        .evidence
        .iter()
        .find(|e| e.rule == "declared-maintainer")
        .unwrap();
    assert!(m.vendor_name.is_none() && m.vendor.is_none());
    // `pkg:alpine/...` is Alpine's apk: Alpine, which has no country.
    let a = real(with_purl(
        "pkg:alpine/zlib@1.2.12-r0?arch=x86_64&distro=alpine-3.15.4",
    ));
    assert_eq!(a.vendor.as_ref().and_then(|v| v.id), Some("alpine"));
    assert_eq!(a.country, None);
}

#[test]
fn a_distribution_mark_in_the_version_names_the_distribution() {
    for (version, vendor) in [
        ("3.118ubuntu2", "canonical"),
        ("7.7.0+dfsg-1ubuntu1", "canonical"),
        ("6.0+20161126-1+deb9u2", "debian"),
        ("2.1.18-8~deb9u4", "debian"),
        ("1.2.11-20.el8", "red-hat"),
    ] {
        let a = real(named("pkg", Some(version)));
        assert_eq!(
            a.vendor.as_ref().and_then(|v| v.id),
            Some(vendor),
            "{version}"
        );
        assert_eq!(a.winner().unwrap().rule, "version-distro");
    }
    // `+debug` is no Debian mark, and neither is a version without one.
    assert!(real(named("pkg", Some("1.0+debug"))).vendor.is_none());
    assert!(real(named("pkg", Some("1.0-3"))).vendor.is_none());
}

#[test]
fn packages_without_identity_take_their_containers_distribution() {
    let mut comps = vec![named("layer-root", None)];
    for i in 0..3 {
        comps.push(named(&format!("lib{i}"), Some(&format!("1.{i}+deb11u1"))));
    }
    comps.push(named("diffutils", Some("1:3.7-5")));
    comps.push(named("github.com/x/y", Some("v1.0.0")));
    let contains: Vec<(usize, usize)> = (1..comps.len()).map(|i| (0, i)).collect();
    let out = doc(comps, &contains);
    assert_eq!(out[4].vendor.as_ref().and_then(|v| v.id), Some("debian"));
    assert_eq!(out[4].winner().unwrap().rule, "sibling-distro");
    // A module path is not a distribution package.
    assert!(out[5].vendor.is_none());
    // Too few identified siblings: nothing.
    let out = doc(
        vec![
            named("root", None),
            named("a", Some("1+deb11u1")),
            named("b", None),
        ],
        &[(0, 1), (0, 2)],
    );
    assert!(out[2].vendor.is_none());
}

#[test]
fn an_image_layer_is_supplied_by_the_images_publisher() {
    let mut image =
        with_purl("pkg:oci/consul@sha256:abc?repository_url=index.docker.io%2Fhashicorp");
    image.name = "consul".into();
    let layer = named(
        "sha256:a9773af9866ab2b015bcd4c4c426061473b15f5591a685f6eccfd0d8a5ec4a8d",
        None,
    );
    let out = doc(vec![image, layer], &[(0, 1)]);
    assert_eq!(out[0].vendor.as_ref().and_then(|v| v.id), Some("hashicorp"));
    assert_eq!(out[1].vendor.as_ref().and_then(|v| v.id), Some("hashicorp"));
    assert_eq!(out[1].winner().unwrap().rule, "container-layer");
    assert!(out[1].confidence <= out[0].confidence);
}

/// A component with a purl and one distribution URL.
fn with_ref(purl: &str, url: &str) -> Component {
    let mut c = with_purl(purl);
    c.external_refs = vec![ExternalRef {
        kind: ExternalRefKind::Distribution,
        url: url.into(),
    }];
    c
}

#[test]
fn hosting_never_names_the_supplier() {
    // Composer dist URLs on the forge's API name the repository's owner, not GitHub, Inc.
    let a = real(with_ref(
        "pkg:composer/brick/math@0.9.3",
        "https://api.github.com/repos/brick/math/zipball/ca57d18f",
    ));
    assert_ne!(a.vendor.as_ref().and_then(|v| v.id), Some("github"));
    assert!(a
        .evidence
        .iter()
        .any(|e| e.vendor_name.as_deref().map(|n| &**n) == Some("github.com/brick")));
    // A Maven staging repository, and any subdomain of a repository host, names nobody.
    for url in [
        "https://oss.sonatype.org/content/repositories/joda-releases",
        "http://svn.sonatype.org/spice/tags/oss-parent-6",
    ] {
        let a = real(with_ref("pkg:maven/joda-time/joda-time@2.10.1", url));
        assert!(
            a.evidence
                .iter()
                .all(|e| e.vendor.map(String::as_str) != Some("sonatype")),
            "{url}"
        );
        assert_eq!(a.country, None, "{url}");
    }
}

#[test]
fn the_country_comes_from_the_winner_only() {
    // Jackson's steward has no country on record; a losing piece of evidence that names a US
    // company (a URL on its domain) lends it none.
    let a = real(with_ref(
        "pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.9.10",
        "https://www.redhat.com/en/jackson",
    ));
    assert_eq!(a.vendor.as_ref().and_then(|v| v.id), Some("fasterxml"));
    assert!(a.evidence.iter().any(|e| !e.won
        && e.vendor.map(String::as_str) == Some("red-hat")
        && e.country == Some("US")));
    assert_eq!(a.country, None);
}

#[test]
fn knowable_namespaces_are_known() {
    let id = |p: &str| real(with_purl(p)).vendor.and_then(|v| v.id);
    assert_eq!(id("pkg:nuget/NuGet.Versioning@6.0.0"), Some("microsoft"));
    assert_eq!(
        id("pkg:nuget/MSTest.TestFramework@3.0.0"),
        Some("microsoft")
    );
    assert_eq!(
        id("pkg:maven/com.baidubce/bce-java-sdk@0.10.1"),
        Some("baidu")
    );
    // A groupId that reverses to a vendor's domain, even one ignored for e-mail.
    assert_eq!(
        id("pkg:maven/ru.yandex.clickhouse/clickhouse-jdbc@0.3.2"),
        Some("yandex")
    );
    // ... but never a forge's or a repository's.
    assert_eq!(
        id("pkg:maven/com.github.ben-manes.caffeine/caffeine@3.1.8"),
        None
    );
    assert_eq!(id("pkg:maven/net.java.dev.jna/jna@5.13.0"), None);
    let mut c = named("mbedtls", Some("2.16.2"));
    c.cpes = vec!["cpe:2.3:a:polarssl:polarssl:2.16.2:*:*:*:*:*:*:*".into()];
    assert_eq!(real(c).vendor.as_ref().and_then(|v| v.id), Some("arm"));
}

#[test]
fn gopkg_in_names_the_github_owner_behind_it() {
    // gopkg.in/OWNER/PKG.vN -> github.com/OWNER; gopkg.in/PKG.vN -> github.com/go-PKG.
    for (purl, owner) in [
        ("pkg:golang/gopkg.in/square/go-jose.v2@v2.6.0", "square"),
        ("pkg:golang/gopkg.in/redis.v5@v5.2.9", "go-redis"),
    ] {
        let a = real(with_purl(purl));
        let forge = a
            .evidence
            .iter()
            .find(|e| e.rule == "vcs-owner" || e.rule == "vcs-owner-unregistered")
            .unwrap_or_else(|| panic!("{purl}: {:?}", a.evidence));
        assert!(
            forge
                .detail
                .to_string()
                .contains(&format!("github.com/{owner}")),
            "{purl}: {}",
            forge.detail
        );
    }
    assert_eq!(rules::gopkg_versioned("yaml.v3"), Some("yaml"));
    assert_eq!(rules::gopkg_versioned("square"), None);
}

/// A 100k-component SBOM carries about 2.6 pieces of evidence a component, all held until the
/// report is written: their size is most of what attribution adds to the model's memory.
#[test]
#[cfg(target_pointer_width = "64")]
fn evidence_and_attribution_stay_small() {
    assert!(std::mem::size_of::<Evidence>() <= 168);
    assert!(std::mem::size_of::<detail::Seen>() <= 80);
    assert!(std::mem::size_of::<Attribution>() <= 192);
}

/// A forge owner (boxed) and a data row (referenced) format as they did inline, and a parent
/// serialises as its three fields.
#[test]
fn boxed_and_referenced_parts_format_the_same() {
    let reg = registry();
    let mut c = named("x", None);
    c.external_refs = vec![ExternalRef {
        kind: ExternalRefKind::Vcs,
        url: "https://github.com/SomeUnknownOrg/thing".into(),
    }];
    let a = one(c);
    let e = a
        .evidence
        .iter()
        .find(|e| e.rule == "vcs-owner-unregistered")
        .expect("an unregistered forge owner");
    assert_eq!(
        e.detail.to_string(),
        "external reference URL 'https://github.com/SomeUnknownOrg/thing': repository owner 'github.com/someunknownorg' (not in data/vendors)"
    );
    assert_eq!(
        e.vendor_name.as_deref().map(|n| &**n),
        Some("github.com/someunknownorg")
    );
    let idx = reg.by_id("broadcom").expect("broadcom is in the test data");
    let p = ParentRef::new(reg.vendor(idx));
    assert_eq!(
        serde_json::to_string(&p).expect("serialises"),
        format!(
            r#"{{"id":"broadcom","name":"{}","country":{}}}"#,
            reg.vendor(idx).name,
            serde_json::to_string(&reg.vendor(idx).country).expect("serialises")
        )
    );
}
