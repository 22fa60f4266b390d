//! The curated, sourced data of `data/`: organisations (vendors), purl rules, distribution
//! channels, countries. Embedded in the binary at build time (see `build.rs`) and replaceable with
//! `--data-dir`.
//!
//! Every record carries its sources; [`Registry::validate`] refuses a record without one, an
//! unknown country code, a dangling parent and a duplicate alias.
//!
//! Architecture invariant: data is loaded and validated here and only read elsewhere; no other
//! module holds a country list, a vendor list or a weight.

mod digest;
pub mod jurisdictions;
mod load;
mod normalize;
mod packages;
mod schema;

pub use load::nearest;
pub(crate) use load::{compiled_for, is_date};

pub use load::{embedded_files, DataError, DataFile};
pub use normalize::normalize_name;
pub use packages::{normalize_package_name, PackageOwner, PackageOwners};
pub use schema::{
    Ambiguous, AttributionWeights, Channel, ChannelsFile, CountryBasis, DistroRule, HostKind,
    HostRule, Mirror, PurlRules, RegistryRule, RuleSource, Source, SourceRecord, SourcesFile,
    TldGeneric, TldRule, Vendor, VendorKind, VendorsFile, VersionMarker,
};

use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Index of a vendor in [`Registry::vendors`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VendorIdx(pub u32);

/// The loaded data set with its lookup indexes.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub vendors: Vec<Vendor>,
    /// Which file each vendor came from (for "which data row" in explanations).
    pub vendor_files: Vec<String>,
    pub purl_rules: PurlRules,
    pub channels: Vec<Channel>,
    pub sources: BTreeMap<String, SourceRecord>,
    /// Confidence weights of the attribution rules (`data/attribution.toml`).
    pub attribution: Option<AttributionWeights>,
    /// ISO 3166-1 alpha-2 code -> English name.
    pub countries: BTreeMap<String, String>,
    /// Lower-cased alias ("usa", "russian federation", "deu") -> alpha-2 code.
    pub country_aliases: BTreeMap<String, String>,
    /// Lower-cased English names and aliases -> alpha-2 code, or `None` for an alias that is
    /// never a country (`-` in country_aliases.tsv). Built by `index`.
    country_by_name: FxHashMap<String, Option<String>>,
    /// Lower-cased purl type -> indexes into `channels`.
    channels_by_type: FxHashMap<String, Vec<usize>>,
    /// Host -> index into `purl_rules.host_rule` (the first rule of that host). Built by `index`.
    host_rules_by_host: FxHashMap<String, usize>,
    /// Country groups, country-level measures, legal facts and vendor-level measures
    /// (`data/jurisdictions/*.toml`).
    pub jurisdictions: jurisdictions::Jurisdictions,
    /// The pair-card weights (`data/weights/pair.toml`): a scoring profile, not facts.
    pub pair_weights: Option<jurisdictions::PairWeights>,
    /// The scoring profile (`data/weights/scoring.toml`): policy weights, not facts.
    pub scoring: Option<String>,
    /// `data/packages/*.tsv`: the source-repository owner of packages without a namespace.
    pub packages: PackageOwners,
    /// A short digest of every data file's content: the data version recorded in reports.
    pub version: String,
    by_id: FxHashMap<String, VendorIdx>,
    by_name: FxHashMap<String, VendorIdx>,
    by_domain: FxHashMap<String, VendorIdx>,
    by_cpe: FxHashMap<String, VendorIdx>,
    /// purl type -> exact (non-`*`) prefix -> vendor: the fast path of [`Registry::by_purl`].
    purl_exact: FxHashMap<String, FxHashMap<String, VendorIdx>>,
    /// purl type -> `*` and empty patterns, scanned after the exact lookup.
    purl_other: FxHashMap<String, Vec<(String, VendorIdx)>>,
    /// CPE vendor strings and normalised names that name several vendors.
    ambiguous_cpe: FxHashMap<String, usize>,
    ambiguous_name: FxHashMap<String, usize>,
}

impl Registry {
    /// The data built into the binary.
    ///
    /// The embedded data is validated by the test suite (`data::tests`, the same
    /// [`Registry::validate`] that `--data-dir` runs on every start) and in debug builds; a
    /// release binary does not repeat that check on each start-up.
    pub fn embedded() -> Result<Registry, DataError> {
        let reg = load::parse_files_as(&embedded_files(), load::embedded_version().to_string())?;
        if cfg!(debug_assertions) {
            return Registry::validated(reg);
        }
        Ok(reg)
    }

    /// Loads `dir` laid out like `data/` (countries.tsv, sources.toml, purl_rules.toml,
    /// channels.toml, vendors/*.toml).
    pub fn from_dir(dir: &std::path::Path) -> Result<Registry, DataError> {
        Registry::from_files(&load::read_dir(dir)?)
    }

    /// Builds the registry from file contents; validates before returning.
    pub fn from_files(files: &[DataFile]) -> Result<Registry, DataError> {
        Registry::validated(load::parse_files(files)?)
    }

    fn validated(reg: Registry) -> Result<Registry, DataError> {
        let problems = reg.validate();
        if !problems.is_empty() {
            return Err(DataError::Invalid(problems));
        }
        Ok(reg)
    }

    /// The jurisdiction data: groups, measures, laws, vendor measures and their queries.
    pub fn jurisdictions(&self) -> &jurisdictions::Jurisdictions {
        &self.jurisdictions
    }

    pub fn vendor(&self, idx: VendorIdx) -> &Vendor {
        &self.vendors[idx.0 as usize]
    }

    pub fn by_id(&self, id: &str) -> Option<VendorIdx> {
        self.by_id.get(id).copied()
    }

    /// Looks a vendor up by name or alias, after [`normalize_name`] (case, punctuation and legal
    /// suffixes such as "Inc." and "GmbH" do not matter).
    pub fn by_name(&self, name: &str) -> Option<VendorIdx> {
        let key = normalize_name(name);
        if key.is_empty() {
            return None;
        }
        if let Some(v) = self.by_name.get(&key) {
            return Some(*v);
        }
        // "Yocto Project (The Linux Foundation)": the name before a parenthetical remark.
        let (head, _) = name.split_once('(')?;
        let key = normalize_name(head);
        (!key.is_empty())
            .then(|| self.by_name.get(&key).copied())
            .flatten()
    }

    /// Looks a vendor up by a domain or any parent domain of it (`mail.cisco.com` -> cisco).
    pub fn by_domain(&self, domain: &str) -> Option<(VendorIdx, &str)> {
        let lowered = lower(domain.trim().trim_end_matches('.'));
        let mut d: &str = lowered.as_ref();
        loop {
            if let Some((k, v)) = self.by_domain.get_key_value(d) {
                return Some((*v, k.as_str()));
            }
            match d.find('.') {
                Some(i) if d[i + 1..].contains('.') => d = &d[i + 1..],
                _ => return None,
            }
        }
    }

    /// Looks a vendor up by an NVD CPE vendor string.
    pub fn by_cpe_vendor(&self, cpe_vendor: &str) -> Option<VendorIdx> {
        self.by_cpe.get(&cpe_vendor.to_ascii_lowercase()).copied()
    }

    /// The vendor whose `TYPE:PREFIX` pattern is the longest match of `key` (the namespace, or
    /// the name for name-only types) for purl type `ty` (data/README.md, "purl entries").
    /// Returns the matching pattern too.
    pub fn by_purl(&self, ty: &str, key: &str) -> Option<(VendorIdx, &str)> {
        let ty = lower(ty);
        // Every type with a pattern has an entry here, if only an empty one.
        if !self.purl_exact.contains_key(ty.as_ref()) {
            return None;
        }
        let key = lower(key);
        let key = key.as_ref();
        // Exact patterns: the key itself, then each shorter prefix ending at a boundary, looked
        // up in a hash map; `*` and empty patterns: the (few) others, scanned.
        let mut best: Option<(VendorIdx, &str)> = None;
        if let Some(exact) = self.purl_exact.get(ty.as_ref()) {
            if let Some((p, v)) = exact.get_key_value(key) {
                best = Some((*v, p.as_str()));
            } else if let Some(b) = purl_boundary(ty.as_ref()) {
                for (i, _) in key
                    .char_indices()
                    .rev()
                    .filter(|(_, c)| *c as u32 == b as u32)
                {
                    if let Some((p, v)) = exact.get_key_value(&key[..i]) {
                        best = Some((*v, p.as_str()));
                        break;
                    }
                }
            }
        }
        let others = self
            .purl_other
            .get(ty.as_ref())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for (p, v) in others {
            let len = p.trim_end_matches('*').len();
            if best.is_none_or(|(_, b)| len > b.len()) && purl_pattern_matches(&ty, key, p) {
                best = Some((*v, p.as_str()));
            }
        }
        best
    }

    /// Every pattern of purl type `ty` (lower-cased), exact ones first: for tests that check
    /// [`Registry::by_purl`] against a scan of them all.
    #[cfg(test)]
    pub(crate) fn purl_patterns(&self, ty: &str) -> Vec<(&str, VendorIdx)> {
        let exact = self.purl_exact.get(ty).into_iter().flatten();
        let other = self.purl_other.get(ty).into_iter().flatten();
        exact
            .map(|(p, v)| (p.as_str(), *v))
            .chain(other.map(|(p, v)| (p.as_str(), *v)))
            .collect()
    }

    /// The `data/packages/TYPE.tsv` row of a package without a namespace (`npm`, `left-pad`):
    /// the source repository's host and owner that its registry metadata names.
    pub fn package_owner(&self, purl_type: &str, name: &str) -> Option<&PackageOwner> {
        self.packages.get(purl_type, name)
    }

    /// The `[[ambiguous]]` rule naming a CPE vendor string, if any.
    pub fn ambiguous_cpe(&self, cpe_vendor: &str) -> Option<&Ambiguous> {
        self.ambiguous_cpe
            .get(&cpe_vendor.to_ascii_lowercase())
            .map(|&i| &self.purl_rules.ambiguous[i])
    }

    /// The index in `purl_rules.ambiguous` of the rule naming a supplier name, if any.
    pub fn ambiguous_name(&self, name: &str) -> Option<usize> {
        self.ambiguous_name.get(&normalize_name(name)).copied()
    }

    /// The host rule of a Go/VCS host.
    pub fn host_rule(&self, host: &str) -> Option<&HostRule> {
        if self.purl_rules.host_rule.is_empty() {
            return None;
        }
        let host = lower(host);
        let rule = |h: &str| {
            self.host_rules_by_host
                .get(h)
                .and_then(|&i| self.purl_rules.host_rule.get(i))
        };
        if let Some(r) = rule(host.as_ref()) {
            return Some(r);
        }
        // A repository host covers its subdomains (svn.sonatype.org is sonatype.org's).
        let mut d: &str = host.as_ref();
        while let Some(i) = d.find('.') {
            d = &d[i + 1..];
            if !d.contains('.') {
                break;
            }
            if let Some(r) = rule(d).filter(|r| r.kind == HostKind::Repository) {
                return Some(r);
            }
        }
        None
    }

    /// The country of a ccTLD, unless the TLD is used generically (`io`, `co`).
    pub fn tld_country(&self, tld: &str) -> Option<&TldRule> {
        let tld = tld.to_ascii_lowercase();
        if self
            .purl_rules
            .tld_generic
            .iter()
            .any(|g| g.tlds.contains(&tld))
        {
            return None;
        }
        self.purl_rules.tld_rule.iter().find(|r| r.tld == tld)
    }

    /// The distribution shipping a deb/rpm/apk/alpm namespace.
    pub fn distro_rule(&self, ty: &str, namespace: &str) -> Option<&DistroRule> {
        self.purl_rules.distro_rule.iter().find(|r| {
            r.purl_type.eq_ignore_ascii_case(ty) && r.namespace.eq_ignore_ascii_case(namespace)
        })
    }

    /// The public source archive of the distribution `vendor_id`, when it publishes the source of
    /// every package it ships (`source_archive` of its distribution rules).
    pub fn source_archive(&self, vendor_id: &str) -> Option<&str> {
        self.purl_rules
            .distro_rule
            .iter()
            .find(|r| r.vendor == vendor_id && r.source_archive.is_some())
            .and_then(|r| r.source_archive.as_deref())
    }

    /// The distribution whose mark a package version carries (`3.118ubuntu2` -> Ubuntu), with
    /// the rule that matched; the first rule in file order wins.
    pub fn version_marker(&self, version: &str) -> Option<&VersionMarker> {
        if !version.is_ascii() {
            return None;
        }
        // Markers are lower-case ASCII (checked at load).
        let v = lower(version);
        self.purl_rules.version_marker.iter().find(|r| {
            v.match_indices(r.marker.as_str()).any(|(i, _)| {
                !r.digit_follows
                    || v.as_bytes()
                        .get(i + r.marker.len())
                        .is_some_and(|b| b.is_ascii_digit())
            })
        })
    }

    /// The operator rule of a container registry host (`*` matches within one DNS label).
    pub fn registry_rule(&self, host: &str) -> Option<&RegistryRule> {
        let host = host.to_ascii_lowercase();
        self.purl_rules
            .registry_rule
            .iter()
            .find(|r| label_glob(&r.host.to_ascii_lowercase(), &host))
    }

    /// The ultimate parent of a vendor (following `parent` links, cycle-safe), or itself.
    pub fn ultimate_parent(&self, idx: VendorIdx) -> VendorIdx {
        let mut cur = idx;
        for _ in 0..16 {
            match self
                .vendor(cur)
                .parent
                .as_deref()
                .and_then(|p| self.by_id(p))
            {
                Some(p) if p != cur => cur = p,
                _ => break,
            }
        }
        cur
    }

    /// The channel of a purl type, namespace-specific first (`deb` + `ubuntu`).
    pub fn channel(&self, purl_type: &str, namespace: Option<&str>) -> Option<&Channel> {
        let list = self.channels_by_type.get(lower(purl_type).as_ref())?;
        let exact = namespace.and_then(|ns| {
            list.iter().map(|&i| &self.channels[i]).find(|c| {
                c.namespace
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(ns))
            })
        });
        exact.or_else(|| {
            list.iter()
                .map(|&i| &self.channels[i])
                .find(|c| c.namespace.is_none())
        })
    }

    pub fn is_country(&self, code: &str) -> bool {
        self.countries.contains_key(code)
    }

    /// The registry's own copy of an alpha-2 code (so that results can borrow it).
    pub fn country_key(&self, code: &str) -> Option<&str> {
        self.countries.get_key_value(code).map(|(k, _)| k.as_str())
    }

    /// Maps a country as SBOMs and registries write it (`US`, `us`, `USA`, `United States`,
    /// `Germany`, `DEU`) to its ISO 3166-1 alpha-2 code.
    pub fn country_code(&self, text: &str) -> Option<&str> {
        let t = text.trim().trim_end_matches('.');
        if let [a, b] = t.as_bytes() {
            let code = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
            if let Some(k) = std::str::from_utf8(&code)
                .ok()
                .and_then(|c| self.country_key(c))
            {
                return Some(k);
            }
        }
        if t.is_empty() || t.len() > 64 {
            return None;
        }
        let upper = t.to_ascii_uppercase();
        if let Some(k) = self.country_key(&upper) {
            return Some(k);
        }
        match self.country_by_name.get(t.to_lowercase().as_str())? {
            Some(code) => self.country_key(code),
            None => None,
        }
    }

    /// Every problem with the data: missing sources, unknown countries, duplicate ids and
    /// aliases, dangling parents, unknown source ids. Empty when the data is sound.
    pub fn validate(&self) -> Vec<String> {
        load::validate(self)
    }

    pub(crate) fn index(&mut self) -> Vec<String> {
        self.country_by_name = self
            .countries
            .iter()
            .map(|(code, name)| (name.to_lowercase(), Some(code.clone())))
            .collect();
        for (alias, code) in &self.country_aliases {
            let code = (code != "-").then(|| code.clone());
            self.country_by_name.insert(alias.clone(), code);
        }
        self.host_rules_by_host.clear();
        for (i, r) in self.purl_rules.host_rule.iter().enumerate() {
            self.host_rules_by_host.entry(r.host.clone()).or_insert(i);
        }
        self.channels_by_type.clear();
        for (i, ch) in self.channels.iter().enumerate() {
            self.channels_by_type
                .entry(ch.purl_type.to_ascii_lowercase())
                .or_default()
                .push(i);
        }
        for ch in &mut self.channels {
            let mut j: Vec<String> = ch.mirrors.iter().map(|m| m.jurisdiction.clone()).collect();
            j.sort();
            j.dedup();
            ch.mirror_jurisdictions = j;
        }
        let mut problems = Vec::new();
        self.by_id.clear();
        self.by_name.clear();
        self.by_domain.clear();
        self.by_cpe.clear();
        // Sized once: growing these tables while filling them was a fifth of the index's time.
        let count = |f: fn(&Vendor) -> usize| self.vendors.iter().map(f).sum::<usize>();
        self.by_id.reserve(self.vendors.len());
        self.by_name.reserve(count(|v| 1 + v.aliases.len()));
        self.by_domain.reserve(count(|v| v.domains.len()));
        self.by_cpe.reserve(count(|v| v.cpe_vendors.len()));
        // purl type -> (pattern, vendor), in data order; split below into `purl_exact` and
        // `purl_other`.
        let mut by_purl: FxHashMap<String, Vec<(String, VendorIdx)>> = FxHashMap::default();
        for (i, v) in self.vendors.iter().enumerate() {
            let idx = VendorIdx(i as u32);
            let file = &self.vendor_files[i];
            if self.by_id.insert(v.id.clone(), idx).is_some() {
                problems.push(format!("{file}: vendor id '{}' is defined twice", v.id));
            }
            for name in std::iter::once(&v.name).chain(&v.aliases) {
                let key = normalize_name(name);
                if key.is_empty() {
                    continue;
                }
                if let Some(prev) = self.by_name.insert(key, idx) {
                    if prev != idx {
                        problems.push(format!(
                            "{file}: name or alias '{name}' of '{}' is also a name or alias of '{}'",
                            v.id, self.vendors[prev.0 as usize].id
                        ));
                    }
                }
            }
            for d in &v.domains {
                if let Some(prev) = self.by_domain.insert(d.to_ascii_lowercase(), idx) {
                    if prev != idx {
                        problems.push(format!(
                            "{file}: domain '{d}' of '{}' is also claimed by '{}'",
                            v.id, self.vendors[prev.0 as usize].id
                        ));
                    }
                }
            }
            for c in &v.cpe_vendors {
                if let Some(prev) = self.by_cpe.insert(c.to_ascii_lowercase(), idx) {
                    if prev != idx {
                        problems.push(format!(
                            "{file}: CPE vendor '{c}' of '{}' is also claimed by '{}'",
                            v.id, self.vendors[prev.0 as usize].id
                        ));
                    }
                }
            }
            for p in &v.purl {
                match p.split_once(':') {
                    Some((ty, ns)) if !ty.is_empty() => {
                        // A few types hold a thousand patterns: the type is allocated once.
                        let entry = (ns.to_ascii_lowercase(), idx);
                        let ty = lower(ty);
                        match by_purl.get_mut(ty.as_ref()) {
                            Some(list) => list.push(entry),
                            None => {
                                by_purl.insert(ty.into_owned(), vec![entry]);
                            }
                        }
                    }
                    _ => problems.push(format!(
                        "{file}: purl pattern '{p}' of '{}' is not TYPE:NAMESPACE",
                        v.id
                    )),
                }
            }
        }
        self.ambiguous_cpe.clear();
        self.ambiguous_name.clear();
        for (i, a) in self.purl_rules.ambiguous.iter().enumerate() {
            match a.kind.as_str() {
                "cpe_vendor" => {
                    self.ambiguous_cpe.insert(a.value.to_ascii_lowercase(), i);
                }
                "supplier_name" => {
                    self.ambiguous_name.insert(normalize_name(&a.value), i);
                }
                other => problems.push(format!(
                    "data/purl_rules.toml: ambiguous '{}' has unknown kind '{other}'",
                    a.id
                )),
            }
        }
        // A pattern claimed by two vendors is a problem (each list sorted, by reference).
        for list in by_purl.values() {
            let mut sorted: Vec<&(String, VendorIdx)> = list.iter().collect();
            sorted.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
            for w in sorted.windows(2) {
                if w[0].0 == w[1].0 && w[0].1 != w[1].1 {
                    problems.push(format!(
                        "purl pattern '{}' is claimed by both '{}' and '{}'",
                        w[0].0,
                        self.vendors[w[0].1 .0 as usize].id,
                        self.vendors[w[1].1 .0 as usize].id
                    ));
                }
            }
        }
        // The patterns move (in data order) into the exact map or the scanned list.
        self.purl_exact.clear();
        self.purl_other.clear();
        for (ty, list) in by_purl {
            let mut exact = FxHashMap::default();
            let mut other = Vec::new();
            for (p, v) in list {
                if !p.is_empty() && !p.ends_with('*') {
                    exact.insert(p, v);
                } else {
                    other.push((p, v));
                }
            }
            if !other.is_empty() {
                self.purl_other.insert(ty.clone(), other);
            }
            self.purl_exact.insert(ty, exact);
        }
        problems
    }
}

/// Lower-cases without allocating when the text already is.
fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Where a purl type's namespaces may be cut: `.` in Maven groupIds, `/` in paths; `None` for
/// types whose patterns match exactly.
fn purl_boundary(ty: &str) -> Option<u8> {
    match ty {
        "maven" => Some(b'.'),
        "golang" | "github" | "gitlab" | "bitbucket" | "swift" | "generic" | "docker" | "oci"
        | "composer" | "conda" => Some(b'/'),
        _ => None,
    }
}

/// Matches one `TYPE:PREFIX` pattern (lower-cased) against a purl key (lower-cased):
/// - an empty prefix claims the whole type;
/// - a prefix ending in `*` matches by plain prefix (`pypi:azure-*`, `nuget:microsoft.*`);
/// - Maven groupIds match at `.` boundaries, paths (Go, GitHub, Swift) at `/` boundaries;
/// - everything else (npm scopes, name-only types) matches exactly.
fn purl_pattern_matches(ty: &str, key: &str, prefix: &str) -> bool {
    if prefix.is_empty() || key == prefix {
        return true;
    }
    if let Some(p) = prefix.strip_suffix('*') {
        return key.starts_with(p);
    }
    let Some(boundary) = purl_boundary(ty) else {
        return false;
    };
    key.starts_with(prefix) && key.as_bytes().get(prefix.len()) == Some(&boundary)
}

/// `*` in a host pattern matches any run of characters within one DNS label.
fn label_glob(pattern: &str, host: &str) -> bool {
    let p: Vec<&str> = pattern.split('.').collect();
    let h: Vec<&str> = host.split('.').collect();
    p.len() == h.len()
        && p.iter().zip(&h).all(|(p, h)| match p.split_once('*') {
            None => p == h,
            Some((a, b)) => h.len() >= a.len() + b.len() && h.starts_with(a) && h.ends_with(b),
        })
}

#[cfg(test)]
mod tests;
