//! The evidence rules, in the order of the attribution issue: overrides, SBOM declarations, CPE,
//! purl, domains. (Online metadata is added by the caller from cached answers.) Each rule only
//! adds evidence; `resolve` in mod.rs decides.

use super::purl::{self, PurlInfo};
use super::{cpe, Attributor, ChannelRef, Evidence, EvidenceSource, VendorRef};
use crate::data::{HostKind, Registry, VendorIdx};
use crate::model::{Component, Party, Role, Sbom};

struct Ctx<'a, 'r> {
    a: &'a Attributor<'r>,
    names: Option<&'a NameCache<'a>>,
    out: Vec<Evidence>,
}

/// What a declared party name resolves to.
#[derive(Debug, Clone, Copy)]
pub(super) enum NameHit {
    Vendor(VendorIdx),
    /// Index into `purl_rules.ambiguous`.
    Ambiguous(usize),
    Unknown,
}

/// Party names resolved once per SBOM: suppliers repeat across components, and normalising a
/// name is the costly part of the lookup.
pub(super) type NameCache<'a> = rustc_hash::FxHashMap<&'a str, NameHit>;

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

/// Every distinct party name of an SBOM, resolved.
pub(super) fn name_cache<'a>(reg: &Registry, sbom: &'a Sbom) -> NameCache<'a> {
    let mut cache = NameCache::default();
    for c in &sbom.components {
        let parties = [&c.supplier, &c.manufacturer, &c.originator, &c.publisher]
            .into_iter()
            .flatten()
            .map(|b| &**b)
            .chain(&c.authors)
            .chain(sbom.document.supplier.as_ref());
        for p in parties {
            if let Some(n) = p.name.as_deref() {
                cache.entry(n).or_insert_with(|| resolve_name(reg, n));
            }
        }
    }
    cache
}

impl Ctx<'_, '_> {
    fn reg(&self) -> &Registry {
        self.a.registry
    }

    /// Evidence for a registry vendor.
    fn vendor(&mut self, source: EvidenceSource, rule: &'static str, idx: VendorIdx, seen: String) {
        let reg = self.a.registry;
        let v = reg.vendor(idx);
        let file = &reg.vendor_files[idx.0 as usize];
        self.out.push(Evidence {
            source,
            rule,
            detail: format!("{seen} -> {file}#{}", v.id),
            vendor: Some(v.id.clone()),
            vendor_name: None,
            country: v.country.clone(),
            confidence: self.a.weights.of(rule),
            won: false,
            vendor_idx: Some(idx),
        });
    }

    /// Evidence without a registry vendor: a declared name and/or a country.
    fn other(
        &mut self,
        source: EvidenceSource,
        rule: &'static str,
        vendor_name: Option<String>,
        country: Option<String>,
        detail: String,
    ) {
        self.out.push(Evidence {
            source,
            rule,
            detail,
            vendor: None,
            vendor_name,
            country,
            confidence: self.a.weights.of(rule),
            won: false,
            vendor_idx: None,
        });
    }
}

/// Every piece of evidence about one component.
pub(super) fn collect(
    a: &Attributor<'_>,
    sbom: &Sbom,
    c: &Component,
    purl: Option<&PurlInfo>,
    names: Option<&NameCache<'_>>,
) -> Vec<Evidence> {
    let mut cx = Ctx {
        a,
        names,
        out: Vec::new(),
    };
    let cpes: Vec<cpe::Cpe> = c.cpes.iter().filter_map(|s| cpe::parse(s)).collect();

    overrides(&mut cx, c, &cpes);
    declared(&mut cx, sbom, c);
    for p in &cpes {
        if let Some(amb) = cx.reg().ambiguous_cpe(&p.vendor) {
            let detail = format!(
                "CPE vendor '{}' names several vendors ({}): rule '{}' of data/purl_rules.toml",
                p.vendor,
                amb.candidates.join(", "),
                amb.id
            );
            cx.other(EvidenceSource::Cpe, "cpe-ambiguous", None, None, detail);
            continue;
        }
        match cx.reg().by_cpe_vendor(&p.vendor) {
            Some(idx) => cx.vendor(
                EvidenceSource::Cpe,
                "cpe-vendor",
                idx,
                format!("CPE vendor '{}'", p.vendor),
            ),
            None => {
                // NVD writes some vendors as their name ("the_tcpdump_group"): try it as one.
                if let Some(idx) = cx.reg().by_name(&p.vendor.replace('_', " ")) {
                    cx.vendor(
                        EvidenceSource::Cpe,
                        "cpe-vendor",
                        idx,
                        format!("CPE vendor '{}' as a name", p.vendor),
                    );
                }
            }
        }
    }
    if let Some(p) = purl {
        purl_rules(&mut cx, p);
        for u in &p.urls {
            url(&mut cx, u, "purl qualifier");
        }
    }
    package_repo_owner(&mut cx, purl);
    for r in &c.external_refs {
        url(&mut cx, &r.url, "external reference");
    }
    if let Some(facts) = c.purl.as_deref().and_then(|p| a.online.get(p)) {
        for f in facts {
            online(&mut cx, f);
        }
    }
    cx.out
}

/// Online metadata: the source repository's owner (a forge account), the owner's company and
/// web site, and a country only when the owner's free-text location names one unambiguously.
fn online(cx: &mut Ctx<'_, '_>, f: &super::online::PackageFacts) {
    let reg = cx.a.registry;
    let seen = format!(
        "{} ({}, fetched {}, {})",
        f.source, f.url, f.fetched_at, f.licence
    );
    let before = cx.out.len();
    if let Some(repo) = &f.repository_url {
        if let (Some(host), Some(owner)) = (purl::host_of(repo), purl::path_owner(repo)) {
            if reg
                .host_rule(&host)
                .is_some_and(|r| r.kind == HostKind::Hosting)
            {
                forge_owner(
                    cx,
                    &host,
                    &owner,
                    &format!("repository '{repo}' from {seen}"),
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
                format!("owner '{}' company '{company}' from {seen}", o.login),
            );
        }
        if let Some(w) = &o.website {
            if let Some(host) = purl::host_of(w) {
                domain_rule(
                    cx,
                    &host,
                    "online-owner",
                    &format!("owner '{}' web site '{w}' from {seen}", o.login),
                );
            }
        }
        let country = o.location.as_deref().and_then(|l| location_country(reg, l));
        if let Some(code) = country {
            cx.other(
                EvidenceSource::Online,
                "online-owner",
                None,
                Some(code.to_string()),
                format!(
                    "owner '{}' location '{}' from {seen}",
                    o.login,
                    o.location.as_deref().unwrap_or_default()
                ),
            );
        }
    }
    // Evidence from online answers counts as online, whatever rule matched.
    for e in &mut cx.out[before..] {
        e.source = EvidenceSource::Online;
        if e.rule != "online-owner" {
            e.confidence = e.confidence.min(cx.a.weights.of("online-owner"));
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

fn overrides(cx: &mut Ctx<'_, '_>, c: &Component, cpes: &[cpe::Cpe]) {
    let vendors: Vec<String> = cpes.iter().map(|p| p.vendor.clone()).collect();
    let Some((n, o)) = cx.a.overrides.find(c.purl.as_deref(), &vendors, &c.name) else {
        return;
    };
    let seen = format!(
        "override {n} of {}{}",
        cx.a.overrides.path,
        o.reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default()
    );
    match o.vendor.as_deref().and_then(|v| cx.reg().by_id(v)) {
        Some(idx) => {
            cx.vendor(EvidenceSource::Override, "override", idx, seen);
            if let Some(country) = &o.country {
                if let Some(e) = cx.out.last_mut() {
                    e.country = Some(country.clone());
                }
            }
        }
        None => cx.other(
            EvidenceSource::Override,
            "override",
            o.vendor_name.clone(),
            o.country.clone(),
            seen,
        ),
    }
}

fn declared(cx: &mut Ctx<'_, '_>, sbom: &Sbom, c: &Component) {
    let doc_party = (c.role == Role::Root)
        .then_some(sbom.document.supplier.as_ref())
        .flatten();
    let parties: Vec<(&'static str, &'static str, &Party)> = [
        ("declared-supplier", "supplier", c.supplier.as_deref()),
        (
            "declared-manufacturer",
            "manufacturer",
            c.manufacturer.as_deref(),
        ),
        ("declared-originator", "originator", c.originator.as_deref()),
        ("declared-publisher", "publisher", c.publisher.as_deref()),
        ("declared-document-supplier", "document supplier", doc_party),
    ]
    .into_iter()
    .filter_map(|(rule, field, p)| p.map(|p| (rule, field, p)))
    .chain(c.authors.iter().map(|p| ("declared-author", "author", p)))
    .collect();
    for (rule, field, p) in parties {
        let country = p
            .country
            .as_deref()
            .and_then(|t| cx.reg().country_code(t))
            .map(str::to_string);
        let hit = match (p.name.as_deref(), cx.names) {
            (None, _) => NameHit::Unknown,
            (Some(n), Some(cache)) => cache
                .get(n)
                .copied()
                .unwrap_or_else(|| resolve_name(cx.reg(), n)),
            (Some(n), None) => resolve_name(cx.reg(), n),
        };
        if let NameHit::Ambiguous(i) = hit {
            let amb = &cx.reg().purl_rules.ambiguous[i];
            let detail = format!(
                "{field} '{}' names several vendors ({}): rule '{}' of data/purl_rules.toml",
                p.name.as_deref().unwrap_or_default(),
                amb.candidates.join(", "),
                amb.id
            );
            cx.other(
                EvidenceSource::Declared,
                "declared-ambiguous",
                None,
                country.clone(),
                detail,
            );
            continue;
        }
        let matched = match hit {
            NameHit::Vendor(idx) => Some(idx),
            _ => None,
        };
        match (matched, &p.name) {
            (Some(idx), Some(name)) => {
                cx.vendor(
                    EvidenceSource::Declared,
                    rule,
                    idx,
                    format!("{field} '{name}'"),
                );
                if let (Some(e), Some(country)) = (cx.out.last_mut(), &country) {
                    // The SBOM's own address beats the registry's headquarters country.
                    e.country = Some(country.clone());
                }
            }
            (None, Some(name)) if p.kind != crate::model::PartyKind::Person => {
                cx.other(
                    EvidenceSource::Declared,
                    "declared-unregistered",
                    Some(name.clone()),
                    country.clone(),
                    format!("{field} '{name}' (not in data/vendors)"),
                );
            }
            _ => {}
        }
        if let Some(code) = &country {
            cx.other(
                EvidenceSource::Declared,
                "declared-country",
                None,
                Some(code.clone()),
                format!(
                    "{field} address country '{}'",
                    p.country.as_deref().unwrap_or_default()
                ),
            );
        }
        if let Some(email) = &p.email {
            if let Some((_, domain)) = email.rsplit_once('@') {
                domain_rule(
                    cx,
                    domain,
                    "domain-email",
                    &format!("{field} e-mail '{email}'"),
                );
            }
        }
        for u in &p.urls {
            url(cx, u, field);
        }
    }
    if let Some(country) = c.country.as_deref() {
        if let Some(code) = cx.reg().country_code(country) {
            let code = code.to_string();
            cx.other(
                EvidenceSource::Declared,
                "declared-country",
                None,
                Some(code),
                format!("declared country '{country}'"),
            );
        }
    }
}

/// The organisation a purl namespace names even when no data record knows it: a Maven groupId's
/// domain, an npm scope, a Docker Hub namespace, a GitHub/GitLab owner.
fn namespace_identity(p: &PurlInfo) -> Option<String> {
    let ns = p.namespace.as_deref()?;
    match p.ty.as_str() {
        "maven" => {
            let mut parts = ns.split('.');
            let (tld, org) = (parts.next()?, parts.next()?);
            // io.github.USER and com.github.USER are hosting namespaces: the user is the owner.
            if org == "github" || org == "gitlab" {
                let user = parts.next()?;
                return Some(format!("{org}.com/{user}"));
            }
            Some(format!("{org}.{tld}"))
        }
        "npm" => Some(format!("npm {ns}")),
        "docker" if ns != "library" && ns != "_" => Some(format!("docker.io/{ns}")),
        "github" => Some(format!("github.com/{ns}")),
        "gitlab" => Some(format!("gitlab.com/{ns}")),
        "bitbucket" => Some(format!("bitbucket.org/{ns}")),
        "composer" => Some(format!("packagist {ns}")),
        _ => None,
    }
}

fn purl_rules(cx: &mut Ctx<'_, '_>, p: &PurlInfo) {
    let reg = cx.a.registry;
    let is_distro = matches!(p.ty.as_str(), "deb" | "rpm" | "apk" | "alpm");
    let by_pattern = reg.by_purl(&p.ty, &p.key);
    match by_pattern {
        Some((idx, pattern)) => cx.vendor(
            EvidenceSource::Purl,
            if is_distro {
                "purl-distro"
            } else {
                "purl-namespace"
            },
            idx,
            format!("purl {} '{}' matches '{}:{pattern}'", p.ty, p.key, p.ty),
        ),
        None => {
            if let Some(identity) = namespace_identity(p) {
                cx.other(
                    EvidenceSource::Purl,
                    "purl-namespace-unregistered",
                    Some(identity.clone()),
                    None,
                    format!(
                        "purl {} namespace '{}' names '{identity}' (not in data/vendors)",
                        p.ty, p.key
                    ),
                );
            }
        }
    }
    if is_distro {
        if let Some(r) = p
            .namespace
            .as_deref()
            .and_then(|ns| reg.distro_rule(&p.ty, ns))
        {
            // The same distribution named by a vendor's own `deb:debian` pattern: once is enough.
            if let Some(idx) = reg
                .by_id(&r.vendor)
                .filter(|idx| by_pattern.map(|(v, _)| v) != Some(*idx))
            {
                let seen = format!(
                    "purl {} namespace '{}': distro_rule '{}' of data/purl_rules.toml",
                    p.ty, p.key, r.id
                );
                cx.vendor(EvidenceSource::Purl, "purl-distro", idx, seen);
            }
        }
    }
    // Go modules: a vanity host names the owner; on a forge, the owner is the next segment.
    if p.ty == "golang" || p.ty == "swift" {
        let mut parts = p.key.split('/');
        let host = parts.next().unwrap_or_default();
        let owner = parts.next();
        host_evidence(cx, host, owner, &format!("Go module '{}'", p.key));
    }
    // Container images: the registry host's operator, from repository_url or Docker Hub.
    if p.ty == "docker" || p.ty == "oci" {
        let hosts: Vec<String> = if p.hosts.is_empty() && p.ty == "docker" {
            vec!["docker.io".to_string()]
        } else {
            p.hosts.clone()
        };
        // Only an official Docker Hub image (docker.io/library) is authored by the registry's
        // operator; any other namespace, and any OCI repository, only travels through it.
        let official = p.ty == "docker" && p.namespace.as_deref().is_none_or(|n| n == "library");
        for h in hosts {
            if let Some(r) = reg.registry_rule(&h) {
                if let (true, Some(idx)) = (
                    official || r.first_party,
                    r.vendor.as_deref().and_then(|v| reg.by_id(v)),
                ) {
                    let what = if r.first_party {
                        "first-party registry"
                    } else {
                        "official image on"
                    };
                    let seen = format!(
                        "{what} '{h}': registry_rule '{}' of data/purl_rules.toml",
                        r.id
                    );
                    cx.vendor(EvidenceSource::Purl, "purl-host", idx, seen);
                }
            }
        }
    }
    // The top-level domain of a Maven groupId: a weak hint for the country only.
    if p.ty == "maven" {
        if let Some(tld) = p.key.split('.').next() {
            if let Some(r) = reg.tld_country(tld) {
                let seen = format!(
                    "Maven groupId '{}' is under '.{tld}': tld_rule '{}' of data/purl_rules.toml",
                    p.key, r.id
                );
                cx.other(
                    EvidenceSource::Purl,
                    "purl-tld-country",
                    None,
                    Some(r.country.clone()),
                    seen,
                );
            }
        }
    }
}

/// Evidence from a Go/VCS host: a vanity host names its owner; a forge names the owner in the
/// next path segment (never the forge's operator).
fn host_evidence(cx: &mut Ctx<'_, '_>, host: &str, owner: Option<&str>, seen: &str) {
    let reg = cx.a.registry;
    let Some(rule) = reg.host_rule(host) else {
        return;
    };
    match rule.kind {
        HostKind::Vanity => {
            if let Some(idx) = rule.vendor.as_deref().and_then(|v| reg.by_id(v)) {
                let seen = format!(
                    "{seen}: vanity host '{host}', host_rule '{}' of data/purl_rules.toml",
                    rule.id
                );
                cx.vendor(EvidenceSource::Purl, "purl-host", idx, seen);
            }
        }
        HostKind::Hosting => {
            if let Some(owner) = owner.filter(|o| !o.is_empty()) {
                forge_owner(cx, host, owner, seen);
            }
        }
        HostKind::Redirector => {}
    }
}

/// The owner of a repository on a forge: `github:OWNER` / `golang:HOST/OWNER` patterns, else
/// the owner's identity on the forge, unregistered.
fn forge_owner(cx: &mut Ctx<'_, '_>, host: &str, owner: &str, seen: &str) {
    let reg = cx.a.registry;
    let forge_ty = host.split('.').next().unwrap_or(host);
    let path = format!("{host}/{owner}");
    let hit = reg
        .by_purl(forge_ty, owner)
        .map(|(i, p)| (i, format!("{forge_ty}:{p}")))
        .or_else(|| {
            reg.by_purl("golang", &path)
                .map(|(i, p)| (i, format!("golang:{p}")))
        });
    match hit {
        Some((idx, pattern)) => cx.vendor(
            EvidenceSource::Domain,
            "vcs-owner",
            idx,
            format!("{seen}: owner '{path}' matches '{pattern}'"),
        ),
        None => cx.other(
            EvidenceSource::Domain,
            "vcs-owner-unregistered",
            Some(path.to_ascii_lowercase()),
            None,
            format!("{seen}: repository owner '{path}' (not in data/vendors)"),
        ),
    }
}

/// `data/packages/TYPE.tsv`: the source repository the registry metadata of a package without a
/// namespace names (unscoped npm, PyPI, crates.io...), read like any forge owner. The evidence
/// comes from the purl's type and name through a data table, so its family is `Purl`; its rules
/// (`package-repo-owner`, `package-repo-owner-unregistered`) weigh less than the purl-namespace
/// ones because the repository is the authors' own claim, one step removed from the package.
fn package_repo_owner(cx: &mut Ctx<'_, '_>, purl: Option<&PurlInfo>) {
    let Some(p) = purl.filter(|p| p.namespace.is_none()) else {
        return;
    };
    let Some(row) = cx.a.registry.package_owner(&p.ty, &p.name) else {
        return;
    };
    let seen = format!(
        "{}: '{}' -> {}/{} (registry metadata retrieved {})",
        row.file, row.name, row.host, row.owner, row.retrieved
    );
    let before = cx.out.len();
    forge_owner(cx, &row.host, &row.owner, &seen);
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

fn url(cx: &mut Ctx<'_, '_>, u: &str, field: &str) {
    let Some(host) = purl::host_of(u) else { return };
    let seen = format!("{field} URL '{u}'");
    if let Some(kind) = cx.reg().host_rule(&host).map(|r| r.kind) {
        let owner = purl::path_owner(u);
        host_evidence(cx, &host, owner.as_deref(), &seen);
        if kind != HostKind::Vanity {
            return;
        }
    }
    domain_rule(cx, &host, "domain-url", &seen);
}

fn domain_rule(cx: &mut Ctx<'_, '_>, domain: &str, rule: &'static str, seen: &str) {
    let lowered = domain.trim().to_ascii_lowercase();
    // The domain or any parent domain of it on the ignore list says nothing.
    let mut d = lowered.as_str();
    loop {
        if cx.a.weights.ignored_domains.contains(d) {
            return;
        }
        match d.find('.') {
            Some(i) => d = &d[i + 1..],
            None => break,
        }
    }
    if let Some((idx, matched)) = cx.reg().by_domain(&lowered) {
        let detail = format!("{seen}: domain '{matched}'");
        cx.vendor(EvidenceSource::Domain, rule, idx, detail);
    }
}

/// The distribution channel of a component: the channel of its purl type (namespace-specific
/// for distro packages: `deb` + `ubuntu` is Canonical's archive); without a purl, or for
/// `generic`, the vendor direct.
pub(super) fn channel(
    a: &Attributor<'_>,
    purl: Option<&PurlInfo>,
    vendor: Option<&VendorRef>,
    country: Option<&str>,
) -> Option<ChannelRef> {
    let reg = a.registry;
    if let Some(p) = purl {
        if p.ty != "generic" {
            if let Some(ch) = reg.channel(&p.ty, p.namespace.as_deref()) {
                let mut mirrors_in: Vec<String> =
                    ch.mirrors.iter().map(|m| m.jurisdiction.clone()).collect();
                mirrors_in.sort();
                mirrors_in.dedup();
                return Some(ChannelRef {
                    name: ch.name.clone(),
                    country: ch.operator_country.clone(),
                    operator: ch.operator.clone(),
                    mirrors_in,
                });
            }
        }
    }
    vendor.map(|v| ChannelRef {
        name: format!("vendor direct ({})", v.name),
        country: country.map(str::to_string),
        operator: v.id.clone(),
        mirrors_in: Vec::new(),
    })
}
