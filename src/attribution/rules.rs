//! The evidence rules, in the order of the attribution issue: overrides, SBOM declarations, CPE,
//! purl, domains. (Online metadata is added by the caller from cached answers.) Each rule only
//! adds evidence; `resolve` in mod.rs decides. Evidence borrows what it saw (see `detail.rs`).

use super::detail::{Detail, Forge, Row, Seen, Via};
use super::purl::{self, PurlInfo};
use super::{cpe, Attributor, ChannelRef, Evidence, EvidenceSource, VendorRef};
use crate::data::{Channel, DistroRule, HostKind, HostRule, Registry, TldRule, VendorIdx};
use crate::model::{Component, Party, Role, Sbom};
use rustc_hash::FxHashMap;
use std::borrow::Cow;

struct Ctx<'x, 'a> {
    a: &'x Attributor<'a>,
    memo: &'x mut Memo<'a>,
    out: &'x mut Vec<Evidence<'a>>,
}

/// Registry lookups that repeat across the components of one SBOM, remembered by one worker
/// during one `attribute` call: party names, hosts, domains, purl namespaces and country texts
/// repeat even where URLs and component names do not (normalising a name is the costly part of
/// its lookup). Every entry is a pure function of its key and the registry.
#[derive(Default)]
pub(super) struct Memo<'a> {
    names: FxHashMap<&'a str, NameHit>,
    /// `by_purl` of a purl type and a key borrowed from the SBOM that repeats: a namespace, a
    /// forge owner.
    purl_patterns: FxHashMap<(&'a str, &'a str), Option<(VendorIdx, &'a str)>>,
    /// The channel of a purl type and namespace.
    channels: FxHashMap<(&'a str, Option<&'a str>), Option<&'a Channel>>,
    tlds: FxHashMap<&'a str, Option<&'a TldRule>>,
    host_rules: FxHashMap<Box<str>, Option<&'a HostRule>>,
    /// The vendor a domain (or a parent of it) names; `None` also when it is ignored.
    domains: FxHashMap<Box<str>, Option<(VendorIdx, &'a str)>>,
    countries: FxHashMap<&'a str, Option<&'a str>>,
    /// The confidence of a rule, by the address and length of its `&'static str` id (equal
    /// keys are the same text).
    weights: FxHashMap<(usize, usize), f64>,
}

/// What a declared party name resolves to.
#[derive(Debug, Clone, Copy)]
pub(super) enum NameHit {
    Vendor(VendorIdx),
    /// Index into `purl_rules.ambiguous`.
    Ambiguous(usize),
    Unknown,
}

/// Resolves a party name (ambiguous names first: they are never resolved silently).
pub(super) fn resolve_name(reg: &Registry, name: &str) -> NameHit {
    if let Some(i) = reg.ambiguous_name(name) {
        return NameHit::Ambiguous(i);
    }
    match reg.by_name(name) {
        Some(idx) => NameHit::Vendor(idx),
        None => NameHit::Unknown,
    }
}

impl<'a> Ctx<'_, 'a> {
    fn reg(&self) -> &'a Registry {
        self.a.registry
    }

    /// [`super::Weights::of`], remembered.
    fn weight(&mut self, rule: &'static str) -> f64 {
        let a = self.a;
        *self
            .memo
            .weights
            .entry((rule.as_ptr() as usize, rule.len()))
            .or_insert_with(|| a.weights.of(rule))
    }

    /// [`resolve_name`], remembered.
    fn name(&mut self, name: &'a str) -> NameHit {
        let reg = self.reg();
        *self
            .memo
            .names
            .entry(name)
            .or_insert_with(|| resolve_name(reg, name))
    }

    /// [`Registry::by_purl`], remembered when the key is borrowed from the SBOM.
    fn by_purl(&mut self, ty: &'a str, key: &Cow<'a, str>) -> Option<(VendorIdx, &'a str)> {
        let reg = self.reg();
        match key {
            Cow::Borrowed(key) => *self
                .memo
                .purl_patterns
                .entry((ty, key))
                .or_insert_with(|| reg.by_purl(ty, key)),
            Cow::Owned(key) => reg.by_purl(ty, key),
        }
    }

    /// [`Registry::tld_country`], remembered.
    fn tld_country(&mut self, tld: &'a str) -> Option<&'a TldRule> {
        let reg = self.reg();
        *self
            .memo
            .tlds
            .entry(tld)
            .or_insert_with(|| reg.tld_country(tld))
    }

    /// [`Registry::host_rule`], remembered.
    fn host_rule(&mut self, host: &str) -> Option<&'a HostRule> {
        if let Some(r) = self.memo.host_rules.get(host) {
            return *r;
        }
        let r = self.reg().host_rule(host);
        self.memo.host_rules.insert(host.into(), r);
        r
    }

    /// [`Registry::country_code`] of a country as the SBOM writes it, remembered.
    fn country_code(&mut self, text: &'a str) -> Option<&'a str> {
        let reg = self.reg();
        *self
            .memo
            .countries
            .entry(text)
            .or_insert_with(|| reg.country_code(text))
    }

    /// The vendor a domain names, unless it is on the ignore list; remembered.
    fn domain_vendor(&mut self, domain: &str) -> Option<(VendorIdx, &'a str)> {
        if let Some(hit) = self.memo.domains.get(domain) {
            return *hit;
        }
        let hit = domain_vendor(self.a, domain);
        self.memo.domains.insert(domain.into(), hit);
        hit
    }

    /// Evidence for a registry vendor.
    fn vendor(
        &mut self,
        source: EvidenceSource,
        rule: &'static str,
        idx: VendorIdx,
        seen: Seen<'a>,
    ) {
        let reg = self.reg();
        let v = reg.vendor(idx);
        let file = &reg.vendor_files[idx.0 as usize];
        let confidence = self.weight(rule);
        self.out.push(Evidence {
            source,
            rule,
            detail: Detail {
                seen,
                row: Some(Row { file, id: &v.id }),
            },
            vendor: Some(&v.id),
            vendor_name: None,
            country: v.country.as_deref(),
            confidence,
            won: false,
            vendor_idx: Some(idx),
        });
    }

    /// Evidence without a registry vendor: a declared name and/or a country.
    fn other(
        &mut self,
        source: EvidenceSource,
        rule: &'static str,
        vendor_name: Option<Cow<'a, str>>,
        country: Option<&'a str>,
        seen: Seen<'a>,
    ) {
        let confidence = self.weight(rule);
        self.out.push(Evidence {
            source,
            rule,
            detail: Detail { seen, row: None },
            vendor: None,
            vendor_name: vendor_name.map(Box::new),
            country,
            confidence,
            won: false,
            vendor_idx: None,
        });
    }
}

/// Every piece of evidence about one component, appended to `out` (a scratch buffer the
/// caller reuses across components).
pub(super) fn collect<'a>(
    a: &Attributor<'a>,
    sbom: &'a Sbom,
    doc: DocHit,
    c: &'a Component,
    purl: Option<&PurlInfo<'a>>,
    memo: &mut Memo<'a>,
    out: &mut Vec<Evidence<'a>>,
) {
    let mut cx = Ctx { a, memo, out };
    let cpes: Vec<cpe::Cpe<'a>> = c.cpes.iter().filter_map(|s| cpe::parse(s)).collect();

    // A distribution package: by its purl type, or, without a purl, by a distribution's mark
    // in its version. Its supplier is the distribution; the people and upstream projects its
    // SBOM entry names are detail (shared/TRUTH.md).
    let marker = match purl {
        Some(p) if p.ty != "generic" => None,
        _ => c
            .version
            .as_deref()
            .and_then(|v| a.registry.version_marker(v).map(|m| (v, m))),
    };
    let sibling = if marker.is_none() && purl.is_none() {
        doc.sibling_distro
    } else {
        None
    };
    let distro =
        marker.is_some() || sibling.is_some() || purl.is_some_and(|p| is_distro_type(&p.ty));

    overrides(&mut cx, c, &cpes);
    declared(&mut cx, sbom, c, distro);
    cpe_rules(&mut cx, &cpes, distro);
    if let Some((version, m)) = marker {
        if let Some(idx) = cx.reg().by_id(&m.vendor) {
            let seen = Seen::VersionMarker {
                version,
                marker: &m.marker,
                rule: &m.id,
            };
            cx.vendor(EvidenceSource::Purl, "version-distro", idx, seen);
        }
    }
    if let Some((idx, siblings, parent)) = sibling {
        let container = sbom
            .components
            .get(parent as usize)
            .map(|p| p.name.as_str())
            .unwrap_or_default();
        let seen = Seen::SiblingDistro {
            container,
            siblings,
        };
        cx.vendor(EvidenceSource::Purl, "sibling-distro", idx, seen);
    }
    if let Some(p) = purl {
        purl_rules(&mut cx, p);
        for u in &p.urls {
            url(&mut cx, u.clone(), "purl qualifier");
        }
    }
    package_repo_owner(&mut cx, purl);
    for r in &c.external_refs {
        url(&mut cx, Cow::Borrowed(&r.url), "external reference");
    }
    if let Some(facts) = c.purl.as_deref().and_then(|p| a.online.get(p)) {
        for f in facts {
            online(&mut cx, f);
        }
    }
}

/// What one SBOM says about its components as a whole, computed once before the parallel pass:
/// the distribution of packages that carry no identity of their own but sit in a container
/// (an image, a layer) whose other packages are all one distribution's.
#[derive(Default)]
pub(super) struct DocContext {
    /// Component index -> (distribution vendor, its identified siblings, the container's name).
    sibling_distro: FxHashMap<u32, (VendorIdx, u32, u32)>,
    /// (layer, its container): image layers named by their digest, each inside exactly one
    /// container, in component order.
    pub(super) layers: Vec<(u32, u32)>,
}

/// A name that is an image layer's digest: `sha256:HEX`, `blobs/sha256/HEX`, or bare hex.
fn layer_like(name: &str) -> bool {
    let n = name.trim();
    let hex = n
        .strip_prefix("sha256:")
        .or_else(|| n.strip_prefix("blobs/sha256/"))
        .unwrap_or(n);
    hex.len() >= 40 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What the [`DocContext`] says about one component.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct DocHit {
    /// (distribution vendor, its identified siblings, the container's index).
    pub sibling_distro: Option<(VendorIdx, u32, u32)>,
}

impl DocContext {
    pub(super) fn hit(&self, id: crate::model::ComponentId) -> DocHit {
        DocHit {
            sibling_distro: self.sibling_distro.get(&id.0).copied(),
        }
    }
}

/// Fewest identified siblings for the sibling rule, and the share of them one distribution must
/// hold (the others may be an image's own software).
const SIBLING_MIN: usize = 3;
const SIBLING_SHARE: f64 = 0.9;

/// The distribution a component's own identity names: its purl's distribution, or, without a
/// purl, a distribution's mark in its version.
fn own_distro(reg: &Registry, c: &Component) -> Option<VendorIdx> {
    match c.purl.as_deref().and_then(purl::parse) {
        Some(p) if is_distro_type(&p.ty) => reg.by_id(&distro_rule_of(reg, &p)?.vendor),
        Some(p) if p.ty != "generic" => None,
        _ => reg.by_id(&reg.version_marker(c.version.as_deref()?)?.vendor),
    }
}

/// The distribution rule of a distribution package's purl: `pkg:alpine/NAME` is Alpine's apk,
/// and a purl without a namespace may name its distribution in the `distro` qualifier
/// (`distro=debian-11`).
fn distro_rule_of<'r>(reg: &'r Registry, p: &PurlInfo<'_>) -> Option<&'r DistroRule> {
    if p.ty == "alpine" {
        return reg.distro_rule("apk", "alpine");
    }
    let ns = p.namespace.as_deref().or_else(|| {
        p.distro
            .as_deref()
            .and_then(|d| d.split(['-', ' ', '/']).next())
            .filter(|d| !d.is_empty())
    })?;
    reg.distro_rule(&p.ty, ns)
}

/// A name that can be a distribution package's: no path, no image or module reference, no digest.
fn package_like(name: &str) -> bool {
    let n = name.trim();
    let digest = n.len() >= 40 && n.bytes().all(|b| b.is_ascii_hexdigit());
    !(n.is_empty() || n.contains(['/', ':', '@', ' ']) || n.starts_with("sha256") || digest)
}

/// Builds the [`DocContext`] of an SBOM.
pub(super) fn doc_context(reg: &Registry, sbom: &Sbom) -> DocContext {
    use crate::model::RelationKind;
    let mut ctx = DocContext::default();
    if !sbom
        .relations
        .iter()
        .any(|r| r.kind == RelationKind::Contains)
    {
        return ctx;
    }
    let mut containers: FxHashMap<u32, Option<u32>> = FxHashMap::default();
    for r in &sbom.relations {
        if r.kind != RelationKind::Contains || r.from == r.to {
            continue;
        }
        let Some(c) = sbom.components.get(r.to.index()) else {
            continue;
        };
        if c.purl.is_none() && layer_like(&c.name) {
            let e = containers.entry(r.to.0).or_insert(Some(r.from.0));
            if *e != Some(r.from.0) {
                *e = None;
            }
        }
    }
    ctx.layers = containers
        .into_iter()
        .filter_map(|(l, c)| c.map(|c| (l, c)))
        .collect();
    ctx.layers.sort_unstable();
    // container -> children
    let mut children: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for r in &sbom.relations {
        if r.kind == RelationKind::Contains {
            children.entry(r.from.0).or_default().push(r.to.0);
        }
    }
    // The distribution of each contained component (read once; the others are never asked).
    let mut own: Vec<Option<VendorIdx>> = vec![None; sbom.components.len()];
    for kid in children.values().flatten() {
        if let Some(c) = sbom.components.get(*kid as usize) {
            own[*kid as usize] = own_distro(reg, c);
        }
    }
    // candidate child -> the answers of its containers (conflicts are dropped)
    let mut answers: FxHashMap<u32, Option<(VendorIdx, u32, u32)>> = FxHashMap::default();
    for (parent, kids) in &children {
        let mut counts: Vec<(VendorIdx, usize)> = Vec::new();
        let mut identified = 0usize;
        for k in kids {
            if let Some(v) = own.get(*k as usize).copied().flatten() {
                identified += 1;
                match counts.iter_mut().find(|(x, _)| *x == v) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((v, 1)),
                }
            }
        }
        let Some(&(top, n)) = counts.iter().max_by_key(|(_, n)| *n) else {
            continue;
        };
        if n < SIBLING_MIN || (n as f64) < SIBLING_SHARE * identified as f64 {
            continue;
        }
        for k in kids {
            let Some(c) = sbom.components.get(*k as usize) else {
                continue;
            };
            if own[*k as usize].is_some() || c.purl.is_some() || !package_like(&c.name) {
                continue;
            }
            let entry = answers.entry(*k).or_insert(Some((top, n as u32, *parent)));
            if entry.is_some_and(|(v, _, _)| v != top) {
                *entry = None;
            }
        }
    }
    ctx.sibling_distro = answers
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    ctx
}

/// Purl types of distribution packages (`alpine` is what some scanners write for `apk`).
pub(super) fn is_distro_type(ty: &str) -> bool {
    matches!(ty, "deb" | "rpm" | "apk" | "alpm" | "alpine")
}

/// CPE vendors. A CPE the SBOM's author or NVD states names the vendor (`cpe-vendor`). A
/// scanner's guess does not: scanners write a fan-out of CPEs with different vendors for one
/// package (the name, `python`, `github`, `ca`, ...); those are kept as `cpe-guessed`, without
/// a vendor. (A vendor that is a leading piece of the product is no sign of a guess: NVD writes
/// `linux:linux_kernel` and `realtek:realtek_jungle_sdk`.) For a distribution package a CPE names the
/// upstream project, kept as `cpe-upstream`.
fn cpe_rules<'a>(cx: &mut Ctx<'_, 'a>, cpes: &[cpe::Cpe<'a>], distro: bool) {
    if cpes.is_empty() {
        return;
    }
    let mut vendors: Vec<&str> = cpes.iter().map(|p| p.vendor.as_ref()).collect();
    vendors.sort_unstable();
    vendors.dedup();
    let fanout = vendors.len();
    let mut done: Vec<VendorIdx> = Vec::new();
    for p in cpes {
        if let Some(rule) = cx.reg().ambiguous_cpe(&p.vendor) {
            cx.other(
                EvidenceSource::Cpe,
                "cpe-ambiguous",
                None,
                None,
                Seen::CpeAmbiguous {
                    vendor: p.vendor.clone(),
                    rule,
                },
            );
            continue;
        }
        // NVD writes some vendors as their name ("the_tcpdump_group"): try it as one.
        let (idx, as_name) = match cx.reg().by_cpe_vendor(&p.vendor) {
            Some(idx) => (idx, false),
            None => match cx.reg().by_name(&p.vendor.replace('_', " ")) {
                Some(idx) => (idx, true),
                None => continue,
            },
        };
        if done.contains(&idx) {
            continue;
        }
        done.push(idx);
        let guessed = fanout > 1;
        if distro || guessed {
            let reg = cx.reg();
            let v = reg.vendor(idx);
            let seen = if distro {
                Seen::CpeUpstream(p.vendor.clone())
            } else {
                Seen::CpeGuessed {
                    vendor: p.vendor.clone(),
                    vendors: fanout,
                }
            };
            let rule = if distro {
                "cpe-upstream"
            } else {
                "cpe-guessed"
            };
            let confidence = cx.weight(rule);
            cx.out.push(Evidence {
                source: EvidenceSource::Cpe,
                rule,
                detail: Detail {
                    seen,
                    row: Some(Row {
                        file: &reg.vendor_files[idx.0 as usize],
                        id: &v.id,
                    }),
                },
                vendor: None,
                vendor_name: None,
                country: None,
                confidence,
                won: false,
                vendor_idx: None,
            });
        } else if as_name {
            cx.vendor(
                EvidenceSource::Cpe,
                "cpe-vendor",
                idx,
                Seen::CpeVendorAsName(p.vendor.clone()),
            );
        } else {
            cx.vendor(
                EvidenceSource::Cpe,
                "cpe-vendor",
                idx,
                Seen::CpeVendor(p.vendor.clone()),
            );
        }
    }
}

/// Applies `f` (a function that borrows from its input) to a string that may be owned.
fn reborrow<'a>(
    s: &Cow<'a, str>,
    f: impl for<'s> Fn(&'s str) -> Option<Cow<'s, str>>,
) -> Option<Cow<'a, str>> {
    match s {
        Cow::Borrowed(b) => f(b),
        Cow::Owned(o) => f(o).map(|c| Cow::Owned(c.into_owned())),
    }
}

/// Online metadata: the source repository's owner (a forge account), the owner's company and
/// web site, and a country only when the owner's free-text location names one unambiguously.
fn online(cx: &mut Ctx<'_, '_>, f: &super::online::PackageFacts) {
    let reg = cx.reg();
    let seen = format!(
        "{} ({}, fetched {}, {})",
        f.source, f.url, f.fetched_at, f.licence
    );
    let before = cx.out.len();
    if let Some(repo) = &f.repository_url {
        if let (Some(host), Some(owner)) = (purl::host_of(repo), purl::path_owner(repo)) {
            if cx
                .host_rule(&host)
                .is_some_and(|r| r.kind == HostKind::Hosting)
            {
                let path = Cow::Owned(format!("{host}/{owner}"));
                forge_owner(
                    cx,
                    Cow::Owned(host.into_owned()),
                    Cow::Owned(owner.into_owned()),
                    path,
                    Via::Text(format!("repository '{repo}' from {seen}")),
                );
            }
        }
    }
    if let Some(o) = &f.owner {
        if let Some(idx) = o
            .company
            .as_deref()
            .and_then(|c| reg.by_name(c.trim_start_matches('@')))
        {
            let company = o.company.as_deref().unwrap_or_default();
            cx.vendor(
                EvidenceSource::Online,
                "online-owner",
                idx,
                Seen::Text(format!(
                    "owner '{}' company '{company}' from {seen}",
                    o.login
                )),
            );
        }
        if let Some(w) = &o.website {
            if let Some(host) = purl::host_of(w) {
                domain_rule(
                    cx,
                    &host,
                    "online-owner",
                    Via::Text(format!("owner '{}' web site '{w}' from {seen}", o.login)),
                );
            }
        }
        let country = o.location.as_deref().and_then(|l| location_country(reg, l));
        if let Some(code) = country {
            cx.other(
                EvidenceSource::Online,
                "online-owner",
                None,
                Some(code),
                Seen::Text(format!(
                    "owner '{}' location '{}' from {seen}",
                    o.login,
                    o.location.as_deref().unwrap_or_default()
                )),
            );
        }
    }
    // Evidence from online answers counts as online, whatever rule matched.
    let cap = cx.a.weights.of("online-owner");
    for e in &mut cx.out[before..] {
        e.source = EvidenceSource::Online;
        if e.rule != "online-owner" {
            e.confidence = e.confidence.min(cap);
        }
    }
}

/// The country a free-text location names: its last comma-separated part must be a country
/// name or alias ("Berlin, Germany", "Shenzhen, China"). Two-letter parts are not trusted: in
/// "San Francisco, CA" the CA is a US state, not Canada.
fn location_country<'r>(reg: &'r Registry, location: &str) -> Option<&'r str> {
    let last = location.rsplit([',', '/', '|']).next()?.trim();
    if last.chars().count() <= 2 {
        return None;
    }
    reg.country_code(last)
}

fn overrides<'a>(cx: &mut Ctx<'_, 'a>, c: &'a Component, cpes: &[cpe::Cpe<'a>]) {
    if cx.a.overrides.entries.is_empty() {
        return;
    }
    let vendors: Vec<String> = cpes.iter().map(|p| p.vendor.to_string()).collect();
    let Some((n, o)) = cx.a.overrides.find(c.purl.as_deref(), &vendors, &c.name) else {
        return;
    };
    let seen = Seen::Text(format!(
        "override {n} of {}{}",
        cx.a.overrides.path,
        match (o.reason.as_deref(), o.source.as_deref()) {
            (Some(r), Some(s)) => format!(" ({r}; source: {s})"),
            (Some(r), None) => format!(" ({r})"),
            (None, Some(s)) => format!(" (source: {s})"),
            (None, None) => String::new(),
        }
    ));
    // Overrides are validated against the registry: the code is one of its countries.
    let country = o.country.as_deref().and_then(|cc| cx.reg().country_key(cc));
    match o.vendor.as_deref().and_then(|v| cx.reg().by_id(v)) {
        Some(idx) => {
            cx.vendor(EvidenceSource::Override, "override", idx, seen);
            if let (Some(e), Some(country)) = (cx.out.last_mut(), country) {
                e.country = Some(country);
            }
        }
        None => cx.other(
            EvidenceSource::Override,
            "override",
            o.vendor_name.clone().map(Cow::Owned),
            country,
            seen,
        ),
    }
}

fn declared<'a>(cx: &mut Ctx<'_, 'a>, sbom: &'a Sbom, c: &'a Component, distro: bool) {
    let doc_party = (c.role == Role::Root)
        .then_some(sbom.document.supplier.as_ref())
        .flatten();
    let singles: [(&'static str, &'static str, Option<&'a Party>); 5] = [
        ("declared-supplier", "supplier", c.supplier.as_deref()),
        (
            "declared-manufacturer",
            "manufacturer",
            c.manufacturer.as_deref(),
        ),
        ("declared-originator", "originator", c.originator.as_deref()),
        ("declared-publisher", "publisher", c.publisher.as_deref()),
        ("declared-document-supplier", "document supplier", doc_party),
    ];
    let parties = singles
        .into_iter()
        .filter_map(|(rule, field, p)| p.map(|p| (rule, field, p)))
        .chain(c.authors.iter().map(|p| ("declared-author", "author", p)));
    for (rule, field, p) in parties {
        party(cx, rule, field, p, distro);
    }
    if let Some(country) = c.country.as_deref() {
        if let Some(code) = cx.country_code(country) {
            cx.other(
                EvidenceSource::Declared,
                "declared-country",
                None,
                Some(code),
                Seen::ComponentCountry(country),
            );
        }
    }
}

/// Evidence from one declared party: its name, address country, e-mail and URLs.
fn party<'a>(
    cx: &mut Ctx<'_, 'a>,
    rule: &'static str,
    field: &'static str,
    p: &'a Party,
    distro: bool,
) {
    // A person has no country (shared/TRUTH.md): an individual's address is where they live,
    // not a jurisdiction that controls the supply.
    let person = p.kind == crate::model::PartyKind::Person;
    let country = (!person)
        .then(|| p.country.as_deref().and_then(|t| cx.country_code(t)))
        .flatten();
    let hit = match p.name.as_deref() {
        None => NameHit::Unknown,
        Some(n) => cx.name(n),
    };
    let name = p.name.as_deref().unwrap_or_default();
    match hit {
        NameHit::Ambiguous(i) => {
            let rule = &cx.reg().purl_rules.ambiguous[i];
            cx.other(
                EvidenceSource::Declared,
                "declared-ambiguous",
                None,
                country,
                Seen::PartyAmbiguous { field, name, rule },
            );
            return;
        }
        NameHit::Vendor(idx) => {
            cx.vendor(
                EvidenceSource::Declared,
                rule,
                idx,
                Seen::Party { field, name },
            );
            if let (Some(e), Some(country)) = (cx.out.last_mut(), country) {
                // The SBOM's own address beats the registry's headquarters country.
                e.country = Some(country);
            }
        }
        // In a distribution package, a name no record knows is a maintainer (a person, a
        // packaging team): the distribution is the supplier.
        NameHit::Unknown if p.name.is_some() && distro => {
            cx.other(
                EvidenceSource::Declared,
                "declared-maintainer",
                None,
                None,
                Seen::PartyMaintainer { field, name },
            );
        }
        // A declared name no record knows: the vendor by that name (a person is a vendor too,
        // without a country).
        NameHit::Unknown if p.name.is_some() => {
            cx.other(
                EvidenceSource::Declared,
                "declared-unregistered",
                Some(Cow::Borrowed(name)),
                country,
                Seen::PartyUnregistered { field, name },
            );
        }
        NameHit::Unknown => {}
    }
    if let (Some(code), Some(text)) = (country, p.country.as_deref()) {
        cx.other(
            EvidenceSource::Declared,
            "declared-country",
            None,
            Some(code),
            Seen::PartyCountry { field, text },
        );
    }
    if let Some(email) = &p.email {
        if let Some((_, domain)) = email.rsplit_once('@') {
            domain_rule(cx, domain, "domain-email", Via::Email { field, email });
        }
    }
    for u in &p.urls {
        url(cx, Cow::Borrowed(u), field);
    }
}

fn purl_rules<'a>(cx: &mut Ctx<'_, 'a>, p: &PurlInfo<'a>) {
    let reg = cx.reg();
    let ty = p.ty.as_ref();
    let is_distro = is_distro_type(ty);
    // Namespaces repeat across components; names (the key of types without a namespace) and
    // Go module paths rarely do, and are not remembered.
    let by_pattern = match (&p.ty, &p.namespace) {
        (Cow::Borrowed(t), Some(ns)) if *ns == p.key => cx.by_purl(t, &p.key),
        _ => reg.by_purl(ty, &p.key),
    };
    match by_pattern {
        Some((idx, pattern)) => cx.vendor(
            EvidenceSource::Purl,
            if is_distro {
                "purl-distro"
            } else {
                "purl-namespace"
            },
            idx,
            Seen::PurlPattern {
                ty: p.ty.clone(),
                key: p.key.clone(),
                pattern,
            },
        ),
        None => {
            // A Maven groupId is a reversed domain that Maven Central verified the publisher
            // controls: a vendor's domain names the vendor (`ru.yandex` -> `yandex.ru`).
            let by_domain = (ty == "maven")
                .then(|| {
                    p.namespace
                        .as_deref()
                        .and_then(|ns| namespace_domain(cx, ns))
                })
                .flatten();
            if let Some((idx, domain)) = by_domain {
                let seen = Seen::NamespaceDomain {
                    key: p.key.clone(),
                    domain,
                };
                cx.vendor(EvidenceSource::Purl, "purl-namespace-domain", idx, seen);
            } else if let Some(ns) = &p.namespace {
                if let Some(identity) = purl::namespace_identity(ty, ns) {
                    cx.other(
                        EvidenceSource::Purl,
                        "purl-namespace-unregistered",
                        Some(Cow::Owned(identity)),
                        None,
                        Seen::PurlUnregistered {
                            ty: p.ty.clone(),
                            key: p.key.clone(),
                            namespace: ns.clone(),
                        },
                    );
                }
            }
        }
    }
    if is_distro {
        if let Some(r) = distro_rule_of(reg, p) {
            // The same distribution named by a vendor's own `deb:debian` pattern: once is enough.
            if let Some(idx) = reg
                .by_id(&r.vendor)
                .filter(|idx| by_pattern.map(|(v, _)| v) != Some(*idx))
            {
                // What named the distribution: the namespace, else the `distro` qualifier.
                let key = p
                    .namespace
                    .clone()
                    .or_else(|| p.distro.clone())
                    .unwrap_or(Cow::Borrowed(r.namespace.as_str()));
                let seen = Seen::DistroRule {
                    ty: p.ty.clone(),
                    key,
                    rule: &r.id,
                };
                cx.vendor(EvidenceSource::Purl, "purl-distro", idx, seen);
            }
        }
    }
    // Go modules: a vanity host names the owner; on a forge, the owner is the next segment.
    if ty == "golang" || ty == "swift" {
        let (host, owner) = split_module(&p.key);
        host_evidence(cx, host, owner, Via::GoModule(p.key.clone()));
    }
    // Container images: the registry host's operator, from repository_url or Docker Hub.
    if ty == "docker" || ty == "oci" {
        let docker_hub = ["docker.io".to_string()];
        let hosts: &[String] = if p.hosts.is_empty() && ty == "docker" {
            &docker_hub
        } else {
            &p.hosts
        };
        // Only an official Docker Hub image (docker.io/library) is authored by the registry's
        // operator; any other namespace, and any OCI repository, only travels through it.
        let official = ty == "docker" && p.namespace.as_deref().is_none_or(|n| n == "library");
        for h in hosts {
            if let Some(r) = reg.registry_rule(h) {
                if let (true, Some(idx)) = (
                    official || r.first_party,
                    r.vendor.as_deref().and_then(|v| reg.by_id(v)),
                ) {
                    let seen = Seen::RegistryHost {
                        first_party: r.first_party,
                        host: h.clone(),
                        rule: &r.id,
                    };
                    cx.vendor(EvidenceSource::Purl, "purl-host", idx, seen);
                }
            }
        }
    }
    // An OCI image's repository names its publisher: the namespace on Docker Hub, the owner on
    // a forge's registry (ghcr.io/OWNER), else the repository path itself.
    if ty == "oci" {
        if let Some(repo) = &p.repository {
            oci_repository(cx, repo);
        }
    }
    // The top-level domain of a Maven groupId: a weak hint for the country only.
    if ty == "maven" {
        let tld_rule = match &p.key {
            Cow::Borrowed(k) => k.split('.').next().and_then(|t| cx.tld_country(t)),
            Cow::Owned(k) => k.split('.').next().and_then(|t| reg.tld_country(t)),
        };
        if let Some(r) = tld_rule {
            let country = reg.country_key(&r.country);
            let seen = Seen::TldCountry {
                key: p.key.clone(),
                tld: &r.tld,
                rule: &r.id,
            };
            cx.other(
                EvidenceSource::Purl,
                "purl-tld-country",
                None,
                country,
                seen,
            );
        }
    }
}

/// The publisher an OCI purl's `repository_url` names, read through the registry's rule: a
/// Docker Hub namespace like a docker purl's, an owner on a forge's registry (`ghcr.io/OWNER`)
/// like a repository owner, another multi-tenant registry's path as an unregistered identity.
fn oci_repository(cx: &mut Ctx<'_, '_>, repo: &str) {
    let rest = repo
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let mut segs = rest.split('/').filter(|s| !s.is_empty());
    let (Some(host), Some(ns)) = (segs.next(), segs.next()) else {
        return;
    };
    let Some(rule) = cx.reg().registry_rule(host).filter(|r| !r.first_party) else {
        return;
    };
    let via = || Via::Text(format!("OCI repository_url '{repo}'"));
    match rule.vendor.as_deref() {
        Some("docker") if ns == "library" => {}
        Some("docker") => {
            let key = Cow::Owned(ns.to_string());
            match cx.by_purl("docker", &key) {
                Some((idx, pattern)) => cx.vendor(
                    EvidenceSource::Purl,
                    "purl-namespace",
                    idx,
                    Seen::PurlPattern {
                        ty: Cow::Borrowed("docker"),
                        key,
                        pattern,
                    },
                ),
                None => {
                    let identity = purl::namespace_identity("docker", &ns.to_ascii_lowercase());
                    cx.other(
                        EvidenceSource::Purl,
                        "purl-namespace-unregistered",
                        identity.map(Cow::Owned),
                        None,
                        Seen::Text(format!(
                            "OCI repository_url '{repo}': publisher '{host}/{ns}' (not in data/vendors)"
                        )),
                    );
                }
            }
        }
        Some("github") => {
            let path = Cow::Owned(format!("github.com/{}", ns.to_ascii_lowercase()));
            forge_owner(
                cx,
                Cow::Borrowed("github.com"),
                Cow::Owned(ns.to_string()),
                path,
                via(),
            );
        }
        _ => cx.other(
            EvidenceSource::Purl,
            "purl-namespace-unregistered",
            Some(Cow::Owned(format!(
                "{}/{}",
                host.to_ascii_lowercase(),
                ns.to_ascii_lowercase()
            ))),
            None,
            Seen::Text(format!(
                "OCI repository_url '{repo}': publisher '{host}/{ns}' (not in data/vendors)"
            )),
        ),
    }
}

/// The vendor whose domain a Maven groupId reverses to (`ru.yandex.clickhouse` -> `yandex.ru`),
/// unless that domain is a forge, a repository or hosting (`com.github.USER`).
fn namespace_domain<'a>(cx: &mut Ctx<'_, 'a>, ns: &str) -> Option<(VendorIdx, String)> {
    let mut parts = ns.split('.');
    let (tld, org) = (parts.next()?, parts.next()?);
    if tld.is_empty() || org.is_empty() {
        return None;
    }
    let domain = format!("{org}.{tld}").to_ascii_lowercase();
    if cx.host_rule(&domain).is_some() {
        return None;
    }
    let (idx, _) = cx.reg().by_domain(&domain)?;
    Some((idx, domain))
}

/// A repository owner on a forge and its `HOST/OWNER` path.
type Owner<'a> = (Cow<'a, str>, Cow<'a, str>);

/// The host, owner and `HOST/OWNER` prefix of a Go module path, borrowed from the key when it is.
fn split_module<'a>(key: &Cow<'a, str>) -> (Cow<'a, str>, Option<Owner<'a>>) {
    let split = |k: &'a str| {
        let host = k.split('/').next().unwrap_or_default();
        let owner = k[host.len()..].strip_prefix('/').map(|r| {
            let owner = r.split('/').next().unwrap_or_default();
            (owner, &k[..host.len() + 1 + owner.len()])
        });
        (host, owner)
    };
    match key {
        Cow::Borrowed(k) => {
            let (host, owner) = split(k);
            (
                Cow::Borrowed(host),
                owner.map(|(o, p)| (Cow::Borrowed(o), Cow::Borrowed(p))),
            )
        }
        Cow::Owned(k) => {
            let host = k.split('/').next().unwrap_or_default();
            let owner = k[host.len()..].strip_prefix('/').map(|r| {
                let owner = r.split('/').next().unwrap_or_default();
                (
                    Cow::Owned(owner.to_string()),
                    Cow::Owned(k[..host.len() + 1 + owner.len()].to_string()),
                )
            });
            (Cow::Owned(host.to_string()), owner)
        }
    }
}

/// Evidence from a Go/VCS host: a vanity host names its owner; a forge names the owner in the
/// next path segment (never the forge's operator). `owner` is `(OWNER, HOST/OWNER)`.
fn host_evidence<'a>(
    cx: &mut Ctx<'_, 'a>,
    host: Cow<'a, str>,
    owner: Option<Owner<'a>>,
    via: Via<'a>,
) {
    let reg = cx.reg();
    let Some(rule) = cx.host_rule(&host) else {
        return;
    };
    match rule.kind {
        HostKind::Vanity => {
            if let Some(idx) = rule.vendor.as_deref().and_then(|v| reg.by_id(v)) {
                let seen = Seen::VanityHost {
                    via,
                    host,
                    rule: &rule.id,
                };
                cx.vendor(EvidenceSource::Purl, "purl-host", idx, seen);
            }
        }
        HostKind::Hosting => {
            if let Some((owner, path)) = owner.filter(|(o, _)| !o.is_empty()) {
                forge_owner(cx, host, owner, path, via);
            }
        }
        HostKind::Redirector if host == "gopkg.in" => {
            // gopkg.in/OWNER/PKG.vN is github.com/OWNER/PKG; gopkg.in/PKG.vN is
            // github.com/go-PKG/PKG (https://labix.org/gopkg.in).
            if let Some((owner, _)) = owner.filter(|(o, _)| !o.is_empty()) {
                let owner = match gopkg_versioned(&owner) {
                    Some(pkg) => Cow::Owned(format!("go-{pkg}")),
                    None => owner,
                };
                let path = Cow::Owned(format!("github.com/{}", owner.to_ascii_lowercase()));
                forge_owner(cx, Cow::Borrowed("github.com"), owner, path, via);
            }
        }
        HostKind::Redirector | HostKind::Repository => {}
    }
}

/// `PKG` of a gopkg.in path segment `PKG.vN`.
pub(super) fn gopkg_versioned(segment: &str) -> Option<&str> {
    let (pkg, v) = segment.rsplit_once(".v")?;
    (!pkg.is_empty() && !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())).then_some(pkg)
}

/// The owner of a repository on a forge: `github:OWNER` / `golang:HOST/OWNER` patterns, else
/// the owner's identity on the forge (`path`, i.e. `HOST/OWNER`), unregistered.
fn forge_owner<'a>(
    cx: &mut Ctx<'_, 'a>,
    host: Cow<'a, str>,
    owner: Cow<'a, str>,
    path: Cow<'a, str>,
    via: Via<'a>,
) {
    let forge_ty = forge_type(&host);
    let hit = match cx.by_purl(forge_ty, &owner) {
        Some((i, p)) => Some((i, (forge_ty, p))),
        None => cx.by_purl("golang", &path).map(|(i, p)| (i, ("golang", p))),
    };
    match hit {
        Some((idx, pattern)) => cx.vendor(
            EvidenceSource::Domain,
            "vcs-owner",
            idx,
            Seen::ForgeOwner(Box::new(Forge {
                via,
                host,
                owner,
                pattern: Some(pattern),
            })),
        ),
        None => {
            let name = if path.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(path.to_ascii_lowercase())
            } else {
                path
            };
            cx.other(
                EvidenceSource::Domain,
                "vcs-owner-unregistered",
                Some(name),
                None,
                Seen::ForgeOwner(Box::new(Forge {
                    via,
                    host,
                    owner,
                    pattern: None,
                })),
            );
        }
    }
}

/// The purl type of a forge host's patterns (`github.com` -> `github`).
fn forge_type(host: &str) -> &'static str {
    match host.split('.').next().unwrap_or(host) {
        "github" => "github",
        "gitlab" => "gitlab",
        "bitbucket" => "bitbucket",
        "codeberg" => "codeberg",
        "gitee" => "gitee",
        "sourceforge" => "sourceforge",
        _ => "forge",
    }
}

/// `data/packages/TYPE.tsv`: the source repository the registry metadata of a package without a
/// namespace names (unscoped npm, PyPI, crates.io...), read like any forge owner. The evidence
/// comes from the purl's type and name through a data table, so its family is `Purl`; its rules
/// (`package-repo-owner`, `package-repo-owner-unregistered`) weigh less than the purl-namespace
/// ones because the repository is the authors' own claim, one step removed from the package.
fn package_repo_owner<'a>(cx: &mut Ctx<'_, 'a>, purl: Option<&PurlInfo<'a>>) {
    let Some(p) = purl.filter(|p| p.namespace.is_none()) else {
        return;
    };
    let reg = cx.reg();
    let Some(row) = reg.package_owner(&p.ty, &p.name) else {
        return;
    };
    // `HOST/OWNER` is a slice of the normalised `https://HOST/OWNER/REPO` URL.
    let len = row.host.len() + 1 + row.owner.len();
    let path = match row
        .repository
        .strip_prefix("https://")
        .and_then(|r| r.get(..len))
    {
        Some(path) => Cow::Borrowed(path),
        None => Cow::Owned(format!("{}/{}", row.host, row.owner)),
    };
    let before = cx.out.len();
    forge_owner(
        cx,
        Cow::Borrowed(&row.host),
        Cow::Borrowed(&row.owner),
        path,
        Via::PackageRow(row),
    );
    for e in &mut cx.out[before..] {
        e.source = EvidenceSource::Purl;
        e.rule = if e.vendor_idx.is_some() {
            "package-repo-owner"
        } else {
            "package-repo-owner-unregistered"
        };
        e.confidence = cx.a.weights.of(e.rule);
    }
}

fn url<'a>(cx: &mut Ctx<'_, 'a>, u: Cow<'a, str>, field: &'static str) {
    let Some(host) = reborrow(&u, purl::host_of) else {
        return;
    };
    if let Some(rule) = cx.host_rule(&host) {
        let kind = rule.kind;
        if kind == HostKind::Repository {
            // Hosting other people's artifacts names nobody.
            return;
        }
        // A forge's API or archive host names an owner on the forge itself.
        let forge: Cow<'a, str> = match &rule.forge {
            Some(f) => Cow::Borrowed(f.as_str()),
            None => host.clone(),
        };
        let owner = match &rule.owner_after {
            Some(skip) => owner_after(&u, skip).map(|o| Cow::Owned(o.to_ascii_lowercase())),
            None => reborrow(&u, purl::path_owner),
        }
        .map(|o| {
            let path = Cow::Owned(format!("{forge}/{o}"));
            (o, path)
        });
        let host = forge;
        let vanity = kind == HostKind::Vanity;
        let via = Via::Url {
            field,
            url: u.clone(),
        };
        host_evidence(cx, host.clone(), owner, via);
        if !vanity {
            return;
        }
    }
    domain_rule(cx, &host, "domain-url", Via::Url { field, url: u });
}

/// The path segment after `skip` (`api.github.com/repos/OWNER/...` -> `OWNER`).
fn owner_after<'u>(url: &'u str, skip: &str) -> Option<&'u str> {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let mut segs = rest
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .split('/')
        .skip(1)
        .filter(|s| !s.is_empty());
    match segs.next() {
        Some(first) if first.eq_ignore_ascii_case(skip) => segs.next(),
        _ => None,
    }
}

fn domain_rule<'a>(cx: &mut Ctx<'_, 'a>, domain: &str, rule: &'static str, via: Via<'a>) {
    if let Some((idx, matched)) = cx.domain_vendor(domain) {
        cx.vendor(
            EvidenceSource::Domain,
            rule,
            idx,
            Seen::Domain { via, matched },
        );
    }
}

/// The vendor a domain or a parent domain of it names, unless one of them is ignored.
fn domain_vendor<'a>(a: &Attributor<'a>, domain: &str) -> Option<(VendorIdx, &'a str)> {
    let domain = domain.trim();
    let lowered = if domain.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(domain.to_ascii_lowercase())
    } else {
        Cow::Borrowed(domain)
    };
    // The domain or any parent domain of it on the ignore list says nothing.
    let mut d = lowered.as_ref();
    loop {
        if a.weights.ignored_domains.contains(d) {
            return None;
        }
        match d.find('.') {
            Some(i) => d = &d[i + 1..],
            None => break,
        }
    }
    a.registry.by_domain(&lowered)
}

/// The distribution channel of a component: the channel of its purl type (namespace-specific
/// for distro packages: `deb` + `ubuntu` is Canonical's archive); without a purl, or for
/// `generic`, the vendor direct.
pub(super) fn channel<'a>(
    a: &Attributor<'a>,
    memo: &mut Memo<'a>,
    purl: Option<&PurlInfo<'a>>,
    vendor: Option<&VendorRef<'a>>,
    country: Option<&'a str>,
) -> Option<ChannelRef<'a>> {
    let reg = a.registry;
    if let Some(p) = purl {
        if p.ty != "generic" {
            let ns = match &p.namespace {
                None => Some(None),
                Some(Cow::Borrowed(ns)) => Some(Some(*ns)),
                Some(Cow::Owned(_)) => None,
            };
            let ch = match (&p.ty, ns) {
                (Cow::Borrowed(ty), Some(ns)) => *memo
                    .channels
                    .entry((ty, ns))
                    .or_insert_with(|| reg.channel(ty, ns)),
                _ => reg.channel(&p.ty, p.namespace.as_deref()),
            };
            if let Some(ch) = ch {
                return Some(ChannelRef {
                    name: Cow::Borrowed(&ch.name),
                    country: ch.operator_country.as_deref(),
                    operator: ch.operator.as_deref(),
                    mirrors_in: &ch.mirror_jurisdictions,
                    direct: false,
                });
            }
        }
    }
    vendor.map(|v| ChannelRef {
        name: Cow::Owned(format!("vendor direct ({})", v.name)),
        country,
        operator: v.id,
        mirrors_in: &[],
        direct: true,
    })
}
