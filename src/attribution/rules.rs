//! The evidence rules, in the order of the attribution issue: overrides, SBOM declarations, CPE,
//! purl, domains. (Online metadata is added by the caller from cached answers.) Each rule only
//! adds evidence; `resolve` in mod.rs decides.

use super::purl::{self, PurlInfo};
use super::{cpe, Attributor, ChannelRef, Evidence, EvidenceSource, VendorRef};
use crate::data::{Registry, VendorIdx};
use crate::model::{Component, Party, Role, Sbom};

struct Ctx<'a, 'r> {
    a: &'a Attributor<'r>,
    out: Vec<Evidence>,
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
            country: Some(v.country.clone()),
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
pub(super) fn collect(a: &Attributor<'_>, sbom: &Sbom, c: &Component) -> Vec<Evidence> {
    let mut cx = Ctx { a, out: Vec::new() };
    let cpes: Vec<cpe::Cpe> = c.cpes.iter().filter_map(|s| cpe::parse(s)).collect();
    let purl = c.purl.as_deref().and_then(purl::parse);

    overrides(&mut cx, c, &cpes);
    declared(&mut cx, sbom, c);
    for p in &cpes {
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
    if let Some(p) = &purl {
        purl_rules(&mut cx, p);
        for u in &p.urls {
            url(&mut cx, u, "purl qualifier");
        }
    }
    for r in &c.external_refs {
        url(&mut cx, &r.url, "external reference");
    }
    cx.out
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
        ("declared-supplier", "supplier", c.supplier.as_ref()),
        (
            "declared-manufacturer",
            "manufacturer",
            c.manufacturer.as_ref(),
        ),
        ("declared-originator", "originator", c.originator.as_ref()),
        ("declared-publisher", "publisher", c.publisher.as_ref()),
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
        let matched = p.name.as_deref().and_then(|n| cx.reg().by_name(n));
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
    if reg.by_purl(&p.ty, &p.key).is_none() {
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
    if let Some((idx, pattern)) = reg.by_purl(&p.ty, &p.key) {
        let rule = if matches!(p.ty.as_str(), "deb" | "rpm" | "apk" | "alpm") {
            "purl-distro"
        } else {
            "purl-namespace"
        };
        cx.vendor(
            EvidenceSource::Purl,
            rule,
            idx,
            format!(
                "purl {} namespace '{}' matches '{}:{pattern}'",
                p.ty, p.key, p.ty
            ),
        );
    }
    // Go modules and generic purls on a code forge: the owner of the repository.
    if p.ty == "golang" {
        let host = p.key.split('/').next().unwrap_or_default();
        if let Some(forge_ty) = cx.a.weights.forges.get(host) {
            if let Some(owner) = p.key.split('/').nth(1) {
                forge_owner(cx, forge_ty, owner, &format!("Go module '{}'", p.key), host);
            }
        }
    }
    for r in &reg.purl_rules {
        if r.purl_type != "*" && !r.purl_type.eq_ignore_ascii_case(&p.ty) {
            continue;
        }
        let pattern = r.pattern.to_ascii_lowercase();
        let key = p.key.to_ascii_lowercase();
        let (hit, rule): (bool, &'static str) = match r.kind.as_str() {
            "tld" => (
                key.split('.').next() == Some(pattern.as_str()),
                "purl-tld-country",
            ),
            "host" => (
                p.hosts
                    .iter()
                    .any(|h| h == &pattern || h.ends_with(&format!(".{pattern}")))
                    || key.split('/').next() == Some(pattern.as_str()),
                "purl-host",
            ),
            "distro" => (key == pattern, "purl-distro"),
            _ => (
                key == pattern
                    || key.starts_with(&format!("{pattern}."))
                    || key.starts_with(&format!("{pattern}/")),
                "purl-namespace",
            ),
        };
        if !hit {
            continue;
        }
        let seen = format!(
            "purl {} '{}' matches rule '{}' of data/purl_rules.toml",
            p.ty, p.key, r.id
        );
        match r.vendor.as_deref().and_then(|v| reg.by_id(v)) {
            Some(idx) => {
                cx.vendor(EvidenceSource::Purl, rule, idx, seen);
                if let (Some(e), Some(c)) = (cx.out.last_mut(), &r.country) {
                    e.country = Some(c.clone());
                }
            }
            None => cx.other(EvidenceSource::Purl, rule, None, r.country.clone(), seen),
        }
    }
}

fn forge_owner(cx: &mut Ctx<'_, '_>, forge_ty: &str, owner: &str, seen: &str, host: &str) {
    match cx.reg().by_purl(forge_ty, owner) {
        Some((idx, pattern)) => cx.vendor(
            EvidenceSource::Domain,
            "vcs-owner",
            idx,
            format!("{seen}: {forge_ty} owner '{owner}' matches '{forge_ty}:{pattern}'"),
        ),
        None => {
            let identity = format!("{host}/{owner}");
            cx.other(
                EvidenceSource::Domain,
                "vcs-owner-unregistered",
                Some(identity.clone()),
                None,
                format!("{seen}: repository owner '{identity}' (not in data/vendors)"),
            );
        }
    }
}

fn url(cx: &mut Ctx<'_, '_>, u: &str, field: &str) {
    let Some(host) = purl::host_of(u) else { return };
    if let Some(forge_ty) = cx.a.weights.forges.get(&host).cloned() {
        if let Some(owner) = purl::path_owner(u) {
            forge_owner(cx, &forge_ty, &owner, &format!("{field} URL '{u}'"), &host);
        }
        return;
    }
    domain_rule(cx, &host, "domain-url", &format!("{field} URL '{u}'"));
}

fn domain_rule(cx: &mut Ctx<'_, '_>, domain: &str, rule: &'static str, seen: &str) {
    let d = domain.trim().to_ascii_lowercase();
    if cx.a.weights.ignored_domains.contains(&d)
        || cx
            .a
            .weights
            .ignored_domains
            .iter()
            .any(|i| d.ends_with(&format!(".{i}")))
    {
        return;
    }
    if let Some((idx, matched)) = cx.reg().by_domain(&d) {
        cx.vendor(
            EvidenceSource::Domain,
            rule,
            idx,
            format!("{seen}: domain '{matched}'"),
        );
    }
}

/// The distribution channel of a component: its purl type's channel; for distro packages the
/// distributor's archive; without a purl (or `generic`), the vendor direct.
pub(super) fn channel(
    a: &Attributor<'_>,
    c: &Component,
    vendor: Option<&VendorRef>,
    country: Option<&str>,
) -> Option<ChannelRef> {
    let reg = a.registry;
    let p = c.purl.as_deref().and_then(purl::parse);
    if let Some(p) = &p {
        if matches!(p.ty.as_str(), "deb" | "rpm" | "apk" | "alpm") {
            if let Some((idx, _)) = reg.by_purl(&p.ty, &p.key) {
                let v = reg.vendor(idx);
                return Some(ChannelRef {
                    name: format!("{} package archive", v.name),
                    country: Some(v.country.clone()),
                    operator: Some(v.id.clone()),
                    mirrors_in: reg.channel(&p.ty).map(mirrors).unwrap_or_default(),
                });
            }
        }
        if p.ty != "generic" {
            if let Some(ch) = reg.channel(&p.ty) {
                return Some(ChannelRef {
                    name: ch.name.clone(),
                    country: ch.country.clone(),
                    operator: ch.operator.clone(),
                    mirrors_in: mirrors(ch),
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

fn mirrors(ch: &crate::data::Channel) -> Vec<String> {
    let mut m: Vec<String> = ch.mirrors.iter().map(|m| m.jurisdiction.clone()).collect();
    m.sort();
    m.dedup();
    m
}
