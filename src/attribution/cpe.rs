//! CPE names: the 2.3 formatted string (`cpe:2.3:o:cisco:ios_xe:17.3:*:...`) and the 2.2 URI
//! (`cpe:/o:cisco:ios_xe:17.3`). Only the fields attribution reads are kept.

/// The parts of a CPE name that matter for attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpe {
    /// `a` application, `o` operating system, `h` hardware.
    pub part: char,
    pub vendor: String,
    pub product: String,
    pub version: Option<String>,
}

/// Parses a CPE 2.3 formatted string or 2.2 URI. Escaped characters (`\:`, `\.`) are unescaped;
/// `*`, `-` and empty vendors give `None`.
pub fn parse(s: &str) -> Option<Cpe> {
    let s = s.trim();
    let fields: Vec<String> = if let Some(rest) = s.strip_prefix("cpe:2.3:") {
        split_escaped(rest)
    } else if let Some(rest) = s.strip_prefix("cpe:/") {
        rest.split(':').map(percent_decode).collect()
    } else {
        return None;
    };
    let part = fields.first()?.chars().next()?.to_ascii_lowercase();
    if !matches!(part, 'a' | 'o' | 'h') {
        return None;
    }
    let vendor = fields.get(1)?.to_ascii_lowercase();
    if vendor.is_empty() || vendor == "*" || vendor == "-" {
        return None;
    }
    let product = fields.get(2).cloned().unwrap_or_default();
    let version = fields
        .get(3)
        .filter(|v| !v.is_empty() && *v != "*" && *v != "-")
        .cloned();
    Some(Cpe {
        part,
        vendor,
        product,
        version,
    })
}

fn split_escaped(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ':' => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(Ok(v)) = s.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16)) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatted_string_and_uri() {
        let c = parse("cpe:2.3:o:cisco:ios_xe:17.3.1:*:*:*:*:*:*:*").unwrap();
        assert_eq!(
            (c.part, c.vendor.as_str(), c.product.as_str()),
            ('o', "cisco", "ios_xe")
        );
        assert_eq!(c.version.as_deref(), Some("17.3.1"));
        let c = parse("cpe:/a:thekelleys:dnsmasq:2.90").unwrap();
        assert_eq!((c.part, c.vendor.as_str()), ('a', "thekelleys"));
        let c = parse(r"cpe:2.3:a:w1.fi:hostapd:2.10:*:*:*:*:*:*:*").unwrap();
        assert_eq!(c.vendor, "w1.fi");
        let c = parse(r"cpe:2.3:a:foo\:bar:baz:*:*:*:*:*:*:*:*").unwrap();
        assert_eq!(c.vendor, "foo:bar");
        assert_eq!(c.version, None);
    }

    #[test]
    fn junk_is_none() {
        assert_eq!(parse("cpe:2.3:x:cisco:ios"), None);
        assert_eq!(parse("cpe:2.3:a:*:foo:*"), None);
        assert_eq!(parse("pkg:npm/x"), None);
        assert_eq!(
            parse("cpe:/a:%"),
            Some(Cpe {
                part: 'a',
                vendor: "%".into(),
                product: String::new(),
                version: None
            })
        );
    }
}
