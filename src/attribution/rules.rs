//! The evidence rules, in the order of the attribution issue: overrides, SBOM declarations, CPE,
//! purl, domains. (Online metadata is added by the caller from cached answers.) Each rule only
//! adds evidence; `resolve` in mod.rs decides. Evidence borrows what it saw (see `detail.rs`).

use super::detail::{Detail, Seen, Via};
use super::purl::{self, PurlInfo};
use super::{cpe, Attributor, ChannelRef, Evidence, EvidenceSource, VendorRef};
use crate::data::{Channel, HostKind, HostRule, Registry, TldRule, VendorIdx};
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
        let file = reg.vendor_files[idx.0 as usize].as_str();
        let confidence = self.weight(rule);
        self.out.push(Evidence {
            source,
            rule,
            detail: Detail {
                seen,
                row: Some((file, v.id.as_str())),
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
            vendor_name,
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
    c: &'a Component,
    purl: Option<&PurlInfo<'a>>,
    memo: &mut Memo<'a>,
    out: &mut Vec<Evidence<'a>>,
) {
    let mut cx = Ctx { a, memo, out };
    let cpes: Vec<cpe::Cpe<'a>> = c.cpes.iter().filter_map(|s| cpe::parse(s)).collect();

    overrides(&mut cx, c, &cpes);
    declared(&mut cx, sbom, c);
    for p in &cpes {
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
        match cx.reg().by_cpe_vendor(&p.vendor) {
            Some(idx) => cx.vendor(
                EvidenceSource::Cpe,
                "cpe-vendor",
                idx,
                Seen::CpeVendor(p.vendor.clone()),
            ),
            None => {
                // NVD writes some vendors as their name ("the_tcpdump_group"): try it as one.
                if let Some(idx) = cx.reg().by_name(&p.vendor.replace('_', " ")) {
                    cx.vendor(
                        EvidenceSource::Cpe,
                        "cpe-vendor",
                        idx,
                        Seen::CpeVendorAsName(p.vendor.clone()),
                    );
                }
            }
        }
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
        o.reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default()
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

fn declared<'a>(cx: &mut Ctx<'_, 'a>, sbom: &'a Sbom, c: &'a Component) {
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
        party(cx, rule, field, p);
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
fn party<'a>(cx: &mut Ctx<'_, 'a>, rule: &'static str, field: &'static str, p: &'a Party) {
    let country = p.country.as_deref().and_then(|t| cx.country_code(t));
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
        NameHit::Unknown if p.name.is_some() && p.kind != crate::model::PartyKind::Person => {
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
    let is_distro = matches!(ty, "deb" | "rpm" | "apk" | "alpm");
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
            if let Some(ns) = &p.namespace {
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
        if let Some(r) = p
            .namespace
            .as_deref()
            .and_then(|ns| reg.distro_rule(ty, ns))
        {
            // The same distribution named by a vendor's own `deb:debian` pattern: once is enough.
            if let Some(idx) = reg
                .by_id(&r.vendor)
                .filter(|idx| by_pattern.map(|(v, _)| v) != Some(*idx))
            {
                let seen = Seen::DistroRule {
                    ty: p.ty.clone(),
                    key: p.key.clone(),
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
        HostKind::Redirector => {}
    }
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
            Seen::ForgeOwner {
                via,
                host,
                owner,
                pattern: Some(pattern),
            },
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
                Seen::ForgeOwner {
                    via,
                    host,
                    owner,
                    pattern: None,
                },
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
    if let Some(kind) = cx.host_rule(&host).map(|r| r.kind) {
        let owner = reborrow(&u, purl::path_owner).map(|o| {
            let path = Cow::Owned(format!("{host}/{o}"));
            (o, path)
        });
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
