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
    let f = |p: &str, t: &str| DataFile {
        path: p.into(),
        text: t.to_string().into(),
    };
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
    assert_eq!(a.confidence, 0.9);
}

#[test]
fn purl_namespace_and_parent() {
    let a = one(with_purl(
        "pkg:maven/org.springframework.boot/spring-boot@3.2.0",
    ));
    let v = a.vendor.unwrap();
    assert_eq!(v.id, Some("vmware"));
    assert_eq!(v.parent.map(|p| p.id), Some("broadcom"));
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
fn tld_is_a_country_hint_and_the_group_domain_an_identity() {
    let a = one(with_purl("pkg:maven/de.siemens.foo/bar@1"));
    let v = a.vendor.unwrap();
    assert_eq!((v.id, v.name.as_ref()), (None, "siemens.de"));
    assert_eq!(a.country, Some("DE"));
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
    assert!(a.vendor.is_none());
    assert!(a.evidence.is_empty(), "{:?}", a.evidence);
}

#[test]
fn distro_packages_name_the_distributor_and_its_archive() {
    let a = one(with_purl(
        "pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12",
    ));
    assert_eq!(a.vendor.and_then(|v| v.id), Some("debian"));
    assert_eq!(a.confidence, 0.5);
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
