//! What attribution reads from a purl: type, the namespace key rules match on, and the
//! qualifiers that name a host (`repository_url`, `download_url`, `vcs_url`, `distro`).
//!
//! A borrowing reader of the purl grammar (`pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH`,
//! purl-spec "How to parse a purl string"): it allocates only where a part is percent-encoded
//! or must be lower-cased. The `packageurl` crate parses into owned strings and canonicalises
//! every part, which made it a fifth of offline attribution time (`cargo xtask bench`); it stays
//! the reference: a property test checks this reader against it, and `online::purl` builds API
//! keys with it.

use std::borrow::Cow;

/// A parsed purl, reduced to what the rules need; borrows from the purl string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurlInfo<'a> {
    /// Lower-cased purl type (`maven`, `npm`, `golang`...).
    pub ty: Cow<'a, str>,
    pub namespace: Option<Cow<'a, str>>,
    pub name: Cow<'a, str>,
    /// The string vendor patterns are matched against: the Maven groupId, the npm scope, the
    /// full Go module path, the GitHub owner, the distro; the name for types without namespace.
    pub key: Cow<'a, str>,
    /// Hosts named by qualifiers, e.g. `gcr.io` from `repository_url=gcr.io/distroless`.
    pub hosts: Vec<String>,
    /// URLs named by qualifiers (`download_url`, `vcs_url`).
    pub urls: Vec<Cow<'a, str>>,
    /// The `repository_url` qualifier (`index.docker.io/hashicorp`), decoded.
    pub repository: Option<Cow<'a, str>>,
    pub distro: Option<Cow<'a, str>>,
}

/// Percent-decodes `s`; `None` when the result is not UTF-8.
fn decode(s: &str) -> Option<Cow<'_, str>> {
    if !s.bytes().any(|c| c == b'%') {
        return Some(Cow::Borrowed(s));
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

#[inline]
fn lowercase(s: Cow<'_, str>) -> Cow<'_, str> {
    if s.bytes().any(|c| c.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        s
    }
}

// Byte-wise: every allowed character is ASCII, and no byte of a non-ASCII one is.
fn valid_type(t: &str) -> bool {
    t.bytes().next().is_some_and(|c| !c.is_ascii_digit())
        && t.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+'))
}

fn valid_qualifier_key(k: &str) -> bool {
    k.bytes().next().is_some_and(|c| !c.is_ascii_digit())
        && k.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'))
}

/// Where the parts of a purl end: the last `@`, the first and the last `/`.
#[derive(Debug, Clone, Copy, Default)]
struct Marks {
    at: Option<usize>,
    first_slash: Option<usize>,
    last_slash: Option<usize>,
}

/// A `?` or `#` and the marks before it.
type Cut = (usize, Marks);

/// Parses a purl; `None` when it is not one.
///
/// One forward pass over bytes finds every cut the purl-spec makes from the right (subpath after
/// the last `#`, qualifiers after the last `?` before it, version after the last `@` that no `/`
/// follows) and the type's and name's `/`: the marks are kept as they stood at each `?` and
/// `#`, as the cuts are only known at the end.
pub fn parse(s: &str) -> Option<PurlInfo<'_>> {
    let s = s.trim();
    let scheme = s.get(..4)?;
    if !scheme.eq_ignore_ascii_case("pkg:") {
        return None;
    }
    let body = &s[4..];
    let body = &body[leading_slashes(body)..];
    let mut marks = Marks::default();
    // The last '?' and the marks before it; the last '#', the last '?' before it, the marks.
    let mut question: Option<Cut> = None;
    let mut hash: Option<(Cut, Option<Cut>)> = None;
    for (i, &c) in body.as_bytes().iter().enumerate() {
        match c {
            b'@' => marks.at = Some(i),
            b'/' => {
                marks.first_slash.get_or_insert(i);
                marks.last_slash = Some(i);
            }
            b'?' => question = Some((i, marks)),
            b'#' => hash = Some(((i, marks), question)),
            _ => {}
        }
    }
    let (end, question, marks) = match hash {
        Some(((h, m), q)) => (h, q, m),
        None => (body.len(), question, marks),
    };
    let (rest, qualifiers, marks) = match question {
        Some((q, m)) => (&body[..q], Some(&body[q + 1..end]), m),
        None => (&body[..end], None, marks),
    };
    // The version: after the last '@', unless a '/' follows it (an npm scope `@babel/core`).
    let Marks {
        at,
        first_slash,
        last_slash,
    } = marks;
    let rest = match at {
        Some(i) if last_slash.is_none_or(|l| l < i) => &rest[..i],
        _ => rest,
    };
    let first_slash = first_slash?;
    let (ty, rest) = (&rest[..first_slash], &rest[first_slash + 1..]);
    if !valid_type(ty) {
        return None;
    }
    let ty = match lowercase(Cow::Borrowed(ty)) {
        // Older syft releases write Alpine packages as `pkg:alpine/...`; the purl type is `apk`.
        t if t == "alpine" => Cow::Borrowed("apk"),
        t => t,
    };
    if rest.ends_with('/') {
        return None;
    }
    let lead = leading_slashes(rest);
    let rest = &rest[lead..];
    // The last '/' of `rest`, if it is not one of the leading slashes just trimmed.
    let (ns, name) = match last_slash.and_then(|l| l.checked_sub(first_slash + 1 + lead)) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => ("", rest),
    };
    if name.is_empty() {
        return None;
    }
    let mut name = decode(name)?;
    if ty == "pypi" {
        name = lowercase(name);
        if name.contains('_') {
            name = Cow::Owned(name.replace('_', "-"));
        }
    }
    let namespace: Option<Cow<'_, str>> = if ns.is_empty() {
        None
    } else if !clean_namespace(ns.as_bytes()) {
        let mut out = String::with_capacity(ns.len());
        let segments = ns
            .split('/')
            .filter(|c| !(c.is_empty() || *c == "." || *c == ".."));
        for seg in segments {
            let d = decode(seg)?;
            if d.contains('/') {
                return None;
            }
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(&d);
        }
        (!out.is_empty()).then_some(Cow::Owned(out))
    } else {
        Some(Cow::Borrowed(ns))
    };
    let key = match (ty.as_ref(), &namespace) {
        // Go: the module path is namespace + name (pkg:golang/github.com/aws/aws-sdk-go).
        // Forge purls: OWNER/REPO, so that repository-level patterns (`github:mirror/busybox`)
        // and owner-level ones (`github:cisco`) both apply. Unencoded, that is a slice of `s`.
        ("golang" | "github" | "gitlab" | "bitbucket", Some(ns)) => match (ns, &name) {
            (Cow::Borrowed(_), Cow::Borrowed(_)) => Cow::Borrowed(rest),
            _ => Cow::Owned(format!("{ns}/{name}")),
        },
        (_, Some(ns)) => ns.clone(),
        (_, None) => name.clone(),
    };
    let mut hosts = Vec::new();
    let mut urls = Vec::new();
    let mut distro = None;
    let mut repository = None;
    for pair in qualifiers.into_iter().flat_map(|q| split_ascii(q, b'&')) {
        let (k, v) = match pair.bytes().position(|c| c == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, ""),
        };
        if v.is_empty() {
            continue;
        }
        if !valid_qualifier_key(k) {
            return None;
        }
        let v = decode(v)?;
        if k.eq_ignore_ascii_case("repository_url") {
            if let Some(h) = host_of(&v) {
                hosts.push(h.into_owned());
            }
            repository = Some(v);
        } else if k.eq_ignore_ascii_case("download_url") || k.eq_ignore_ascii_case("vcs_url") {
            urls.push(v);
        } else if k.eq_ignore_ascii_case("distro") {
            distro = Some(v);
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
        repository,
    })
}

/// `s.split(sep)` for an ASCII separator, scanning bytes.
pub(super) fn split_ascii(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|c| c == sep) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// The number of '/' a string starts with.
fn leading_slashes(s: &str) -> usize {
    s.bytes().take_while(|&c| c == b'/').count()
}

/// A namespace with no percent-encoding and no empty, `.` or `..` segment: used as it is.
fn clean_namespace(ns: &[u8]) -> bool {
    let mut start = 0;
    for i in 0..=ns.len() {
        match ns.get(i) {
            Some(b'%') => return false,
            Some(b'/') | None => {
                if matches!(&ns[start..i], b"" | b"." | b"..") {
                    return false;
                }
                start = i + 1;
            }
            Some(_) => {}
        }
    }
    true
}

/// What follows a URL's scheme (`https://`), or a scp-like `git@`; the string itself without.
fn after_scheme(s: &str) -> &str {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(p) = b[from..].iter().position(|&c| c == b':') {
        let i = from + p;
        if b[i + 1..].starts_with(b"//") {
            return &s[i + 3..];
        }
        from = i + 1;
    }
    s.strip_prefix("git@").unwrap_or(s)
}

/// The host of a URL or of a bare `host/path` string, lower-cased, without port or user.
pub fn host_of(url: &str) -> Option<Cow<'_, str>> {
    let s = url.trim();
    let s = s.strip_prefix("git+").unwrap_or(s);
    let rest = after_scheme(s);
    let end = rest
        .bytes()
        .position(|c| matches!(c, b'/' | b'?' | b'#' | b':'))
        .unwrap_or(rest.len());
    let host = &rest[..end];
    let host = match host.bytes().rposition(|c| c == b'@') {
        Some(i) => &host[i + 1..],
        None => host,
    };
    (host.bytes().any(|c| c == b'.') && !host.starts_with('.'))
        .then(|| lowercase(Cow::Borrowed(host)))
}

/// The first path segment after the host: the owner on a code forge, lower-cased.
pub fn path_owner(url: &str) -> Option<Cow<'_, str>> {
    let rest = after_scheme(url.trim());
    let start = rest.bytes().position(|c| c == b'/' || c == b':')? + 1;
    let owner = &rest[start..];
    let owner = match owner.bytes().position(|c| matches!(c, b'/' | b'?' | b'#')) {
        Some(i) => &owner[..i],
        None => owner,
    };
    (!owner.is_empty() && owner != "~").then(|| lowercase(Cow::Borrowed(owner)))
}

/// The organisation a purl namespace names even when no data record knows it: a Maven groupId's
/// domain, an npm scope, a Docker Hub namespace, a GitHub/GitLab owner.
pub fn namespace_identity(ty: &str, ns: &str) -> Option<String> {
    match ty {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    /// The reference: what `packageurl` reads, lower-cased where matching is case-blind.
    fn reference(s: &str) -> Option<(String, Option<String>, String, Option<String>)> {
        let p = packageurl::PackageUrl::from_str(s).ok()?;
        let distro = p
            .qualifiers()
            .iter()
            .find(|(k, _)| k.as_ref() == "distro")
            .map(|(_, v)| v.to_string());
        let ty = match p.ty() {
            "alpine" => "apk".to_string(),
            t => t.to_string(),
        };
        Some((
            ty,
            // packageurl keeps an empty namespace when every segment was `.` or `..`.
            p.namespace()
                .filter(|n| !n.is_empty())
                .map(str::to_ascii_lowercase),
            p.name().to_ascii_lowercase(),
            distro,
        ))
    }

    fn ours(s: &str) -> Option<(String, Option<String>, String, Option<String>)> {
        let p = parse(s)?;
        Some((
            p.ty.into_owned(),
            p.namespace.map(|n| n.to_ascii_lowercase()),
            p.name.to_ascii_lowercase(),
            p.distro.map(Cow::into_owned),
        ))
    }

    fn part() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "openssl",
            "@babel",
            "%40scope",
            "Com.Alibaba",
            "github.com",
            "aws",
            "a%2Fb",
            "x_y",
            "Flask_Login",
            "caf%C3%A9",
            "..",
            ".",
            "",
            "v1",
            "a b",
            "ä",
            "%ZZ",
            "%FF",
        ])
        .prop_map(str::to_string)
    }

    proptest! {
        /// Whatever `packageurl` accepts, this reader reads the same type, namespace, name and
        /// distro (case-blind where the rules are).
        #[test]
        fn agrees_with_packageurl(
            ty in prop::sample::select(vec!["npm", "Maven", "golang", "pypi", "deb", "github", "alpine", "generic", "1x", "a+b"]),
            segs in prop::collection::vec(part(), 1..4),
            version in prop::option::of(prop::sample::select(vec!["1.0", "v1.2.3%2Bx", "1@2", ""])),
            quals in prop::sample::select(vec!["", "?distro=debian-12", "?arch=amd64&distro=Deb%2012", "?repository_url=gcr.io/x", "?=x", "?1a=b", "?a"]),
            sub in prop::sample::select(vec!["", "#sub/path", "#"]),
            lead in prop::sample::select(vec!["pkg:", "PKG:", "pkg:/", "pkg://", "pk:"]),
            trailing in prop::sample::select(vec!["", "/"]),
        ) {
            let mut s = format!("{lead}{ty}/{}{trailing}", segs.join("/"));
            if let Some(v) = version {
                s.push('@');
                s.push_str(v);
            }
            s.push_str(quals);
            s.push_str(sub);
            if let Some(r) = reference(&s) {
                prop_assert_eq!(ours(&s), Some(r), "{}", s);
            }
        }
    }

    #[test]
    fn borrows_when_nothing_is_encoded() {
        let p = parse("pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1?type=jar").unwrap();
        assert!(matches!(p.namespace, Some(Cow::Borrowed(_))));
        assert!(matches!(p.name, Cow::Borrowed(_)));
        assert!(matches!(p.key, Cow::Borrowed(_)));
        let p = parse("pkg:npm/%40angular/core@17.0.0").unwrap();
        assert_eq!(p.namespace.as_deref(), Some("@angular"));
        assert_eq!(parse("pkg:npm/"), None);
        assert_eq!(parse("pkg:/name"), None);
        assert_eq!(parse("pkg:1x/name"), None);
        assert_eq!(parse("pkg:pypi/Flask_Login@1").unwrap().name, "flask-login");
        // The subpath is split off from the right (found by the fuzzer).
        assert_eq!(parse("pkg:npm/a/b##c/d").unwrap().name, "b#");
    }

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
            (d.key.as_ref(), d.distro.as_deref()),
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
