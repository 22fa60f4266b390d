//! Purl helpers for the online sources: the package-level purl used as a cache key, and the
//! deps.dev system and name of a purl. Both read the purl with the one reader of the crate,
//! [`crate::attribution::purl::parse`]; `packageurl` only writes the canonical form.

use crate::attribution::purl::{parse, PurlInfo};
use packageurl::PackageUrl;

/// The package-level purl (`pkg:type/namespace/name`, no version, qualifiers or subpath), in the
/// canonical form of the purl spec (type-specific lowercasing, PyPI `_` -> `-`).
/// `None` when `purl` does not parse.
pub fn base_purl(purl: &str) -> Option<String> {
    let p = parse(purl.trim())?;
    let mut base = PackageUrl::new(p.ty.to_string(), p.name.to_string()).ok()?;
    if let Some(ns) = p.namespace.as_deref().filter(|n| !n.is_empty()) {
        base.with_namespace(ns.to_string()).ok()?;
    }
    Some(base.to_string())
}

/// The version of a purl, when it names one.
fn version_of(purl: &str) -> Option<String> {
    let before = purl.split(['?', '#']).next().unwrap_or(purl);
    let (_, v) = before.rsplit_once('@')?;
    // An `@` inside the path (an npm scope written raw) is not a version.
    (!v.contains('/') && !v.is_empty()).then(|| {
        percent_encoding::percent_decode_str(v)
            .decode_utf8_lossy()
            .into_owned()
    })
}

/// A package as deps.dev names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DepsDevKey {
    /// `NPM`, `PYPI`, `CARGO`, `MAVEN`, `GO`, `NUGET`, `RUBYGEMS`.
    pub system: &'static str,
    /// The registry's name: `@scope/name`, `group:artifact`, `example.com/mod`.
    pub name: String,
    pub version: Option<String>,
}

/// The deps.dev key of a purl; `Err` names why the purl cannot be asked.
pub(crate) fn depsdev_key(purl: &str) -> Result<DepsDevKey, String> {
    let p: PurlInfo<'_> = parse(purl.trim()).ok_or("not a purl")?;
    let ns = p.namespace.as_deref().filter(|n| !n.is_empty());
    let (system, name) = match p.ty.as_ref() {
        "npm" => (
            "NPM",
            match ns {
                Some(ns) => format!("{ns}/{}", p.name),
                None => p.name.to_string(),
            },
        ),
        "pypi" => ("PYPI", p.name.to_string()),
        "cargo" => ("CARGO", p.name.to_string()),
        "gem" => ("RUBYGEMS", p.name.to_string()),
        "nuget" => ("NUGET", p.name.to_string()),
        "maven" => match ns {
            Some(ns) => ("MAVEN", format!("{ns}:{}", p.name)),
            None => return Err("maven purl without a groupId".into()),
        },
        "golang" => (
            "GO",
            match ns {
                Some(ns) => format!("{ns}/{}", p.name),
                None => p.name.to_string(),
            },
        ),
        other => return Err(format!("deps.dev does not serve purl type {other:?}")),
    };
    Ok(DepsDevKey {
        system,
        name,
        version: version_of(purl.trim()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_purl_drops_version_and_qualifiers() {
        assert_eq!(
            base_purl("pkg:npm/lodash@4.17.21").as_deref(),
            Some("pkg:npm/lodash")
        );
        assert_eq!(
            base_purl("pkg:npm/%40angular/core@17.0.0?foo=bar#sub").as_deref(),
            Some("pkg:npm/%40angular/core")
        );
        assert_eq!(
            base_purl("pkg:PyPI/Django_Rest@1.0").as_deref(),
            Some("pkg:pypi/django-rest")
        );
        assert_eq!(base_purl("not a purl"), None);
    }

    #[test]
    fn depsdev_names() {
        let k = depsdev_key("pkg:npm/%40colors/colors@1.5.0").unwrap();
        assert_eq!((k.system, k.name.as_str()), ("NPM", "@colors/colors"));
        assert_eq!(k.version.as_deref(), Some("1.5.0"));
        let k = depsdev_key("pkg:maven/org.apache.logging.log4j/log4j-core@2.20.0").unwrap();
        assert_eq!(
            (k.system, k.name.as_str()),
            ("MAVEN", "org.apache.logging.log4j:log4j-core")
        );
        let k = depsdev_key("pkg:golang/golang.org/x/net@v0.1.0").unwrap();
        assert_eq!((k.system, k.name.as_str()), ("GO", "golang.org/x/net"));
        let k = depsdev_key("pkg:cargo/serde").unwrap();
        assert_eq!((k.system, k.version), ("CARGO", None));
        assert!(depsdev_key("pkg:deb/debian/curl@7").is_err());
        assert!(depsdev_key("pkg:maven/log4j@1").is_err());
    }
}
