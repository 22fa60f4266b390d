//! What attribution reads from a purl: type, the namespace key rules match on, and the
//! qualifiers that name a host (`repository_url`, `download_url`, `vcs_url`, `distro`).

use packageurl::PackageUrl;
use std::str::FromStr;

/// A parsed purl, reduced to what the rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurlInfo {
    /// Lower-cased purl type (`maven`, `npm`, `golang`...).
    pub ty: String,
    pub namespace: Option<String>,
    pub name: String,
    /// The string vendor patterns are matched against: the Maven groupId, the npm scope, the
    /// full Go module path, the GitHub owner, the distro; the name for types without namespace.
    pub key: String,
    /// Hosts named by qualifiers, e.g. `gcr.io` from `repository_url=gcr.io/distroless`.
    pub hosts: Vec<String>,
    /// URLs named by qualifiers (`download_url`, `vcs_url`).
    pub urls: Vec<String>,
    pub distro: Option<String>,
}

/// Parses a purl; `None` when it is not one.
pub fn parse(s: &str) -> Option<PurlInfo> {
    let p = PackageUrl::from_str(s.trim()).ok()?;
    let mut ty = p.ty().to_ascii_lowercase();
    // Older syft releases write Alpine packages as `pkg:alpine/...`; the purl type is `apk`.
    if ty == "alpine" {
        ty = "apk".to_string();
    }
    let namespace = p.namespace().map(str::to_string).filter(|n| !n.is_empty());
    let name = p.name().to_string();
    let key = match (ty.as_str(), &namespace) {
        // Go: the module path is namespace + name (pkg:golang/github.com/aws/aws-sdk-go).
        ("golang", Some(ns)) => format!("{ns}/{name}"),
        // Forge purls: OWNER/REPO, so that repository-level patterns (`github:mirror/busybox`)
        // and owner-level ones (`github:cisco`) both apply.
        ("github" | "gitlab" | "bitbucket", Some(ns)) => format!("{ns}/{name}"),
        (_, Some(ns)) => ns.clone(),
        (_, None) => name.clone(),
    };
    let mut hosts = Vec::new();
    let mut urls = Vec::new();
    let mut distro = None;
    for (k, v) in p.qualifiers() {
        match k.as_ref() {
            "repository_url" => {
                if let Some(h) = host_of(v) {
                    hosts.push(h);
                }
            }
            "download_url" | "vcs_url" => urls.push(v.to_string()),
            "distro" => distro = Some(v.to_string()),
            _ => {}
        }
    }
    hosts.sort();
    urls.sort();
    Some(PurlInfo {
        ty,
        namespace,
        name,
        key,
        hosts,
        urls,
        distro,
    })
}

/// The host of a URL or of a bare `host/path` string, lower-cased, without port or user.
pub fn host_of(url: &str) -> Option<String> {
    let s = url.trim();
    let s = s.strip_prefix("git+").unwrap_or(s);
    let rest = match s.find("://") {
        Some(i) => &s[i + 3..],
        None if s.starts_with("git@") => &s[4..],
        None => s,
    };
    let end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    let host = &rest[..end];
    let host = host.rsplit('@').next().unwrap_or(host).to_ascii_lowercase();
    (host.contains('.') && !host.starts_with('.')).then_some(host)
}

/// The first path segment after the host: the owner on a code forge.
pub fn path_owner(url: &str) -> Option<String> {
    let s = url.trim();
    let rest = match s.find("://") {
        Some(i) => &s[i + 3..],
        None if s.starts_with("git@") => &s[4..],
        None => s,
    };
    let start = rest.find(['/', ':'])? + 1;
    let owner = rest[start..].split(['/', '?', '#']).next()?;
    (!owner.is_empty() && owner != "~").then(|| owner.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_per_type() {
        assert_eq!(
            parse("pkg:maven/com.alibaba/fastjson@1.2.83").unwrap().key,
            "com.alibaba"
        );
        assert_eq!(
            parse("pkg:npm/%40angular/core@17.0.0").unwrap().key,
            "@angular"
        );
        assert_eq!(
            parse("pkg:golang/github.com/aws/aws-sdk-go@v1.50.0")
                .unwrap()
                .key,
            "github.com/aws/aws-sdk-go"
        );
        assert_eq!(parse("pkg:pypi/requests@2.31.0").unwrap().key, "requests");
        let d = parse("pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12").unwrap();
        assert_eq!(
            (d.key.as_str(), d.distro.as_deref()),
            ("debian", Some("debian-12"))
        );
        let o =
            parse("pkg:oci/static@sha256%3A1234?repository_url=gcr.io/distroless/static").unwrap();
        assert_eq!(o.hosts, vec!["gcr.io".to_string()]);
        assert_eq!(parse("not a purl"), None);
    }

    #[test]
    fn hosts_and_owners_of_urls() {
        assert_eq!(
            host_of("https://github.com/openssl/openssl.git").as_deref(),
            Some("github.com")
        );
        assert_eq!(
            host_of("git+ssh://git@gitlab.com/x/y").as_deref(),
            Some("gitlab.com")
        );
        assert_eq!(
            host_of("git@github.com:aws/aws-sdk.git").as_deref(),
            Some("github.com")
        );
        assert_eq!(host_of("NOASSERTION"), None);
        assert_eq!(
            path_owner("https://github.com/FRRouting/frr").as_deref(),
            Some("frrouting")
        );
        assert_eq!(
            path_owner("git@github.com:aws/aws-sdk.git").as_deref(),
            Some("aws")
        );
        assert_eq!(path_owner("https://github.com/"), None);
    }
}
