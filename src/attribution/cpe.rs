//! CPE names: the 2.3 formatted string (`cpe:2.3:o:cisco:ios_xe:17.3:*:...`) and the 2.2 URI
//! (`cpe:/o:cisco:ios_xe:17.3`). Only the fields attribution reads are kept.

use super::purl::split_ascii;
use std::borrow::Cow;

/// The parts of a CPE name that matter for attribution; borrows when nothing is escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpe<'a> {
    /// `a` application, `o` operating system, `h` hardware.
    pub part: char,
    /// Lower-cased.
    pub vendor: Cow<'a, str>,
    pub product: Cow<'a, str>,
    pub version: Option<Cow<'a, str>>,
}

/// Parses a CPE 2.3 formatted string or 2.2 URI. Escaped characters (`\:`, `\.`) are unescaped;
/// `*`, `-` and empty vendors give `None`.
pub fn parse(s: &str) -> Option<Cpe<'_>> {
    let s = s.trim();
    // Only the first four fields matter: part, vendor, product, version.
    let mut fields: [Option<Cow<'_, str>>; 4] = Default::default();
    if let Some(rest) = s.strip_prefix("cpe:2.3:") {
        if rest.contains('\\') {
            for (slot, f) in fields.iter_mut().zip(split_escaped(rest)) {
                *slot = Some(f);
            }
        } else {
            for (slot, f) in fields.iter_mut().zip(split_ascii(rest, b':')) {
                *slot = Some(Cow::Borrowed(f));
            }
        }
    } else if let Some(rest) = s.strip_prefix("cpe:/") {
        for (slot, f) in fields.iter_mut().zip(split_ascii(rest, b':')) {
            *slot = Some(percent_decode(f));
        }
    } else {
        return None;
    }
    let [part, vendor, product, version] = fields;
    let part = part?.chars().next()?.to_ascii_lowercase();
    if !matches!(part, 'a' | 'o' | 'h') {
        return None;
    }
    let vendor = vendor?;
    let vendor = if vendor.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(vendor.to_ascii_lowercase())
    } else {
        vendor
    };
    if vendor.is_empty() || vendor == "*" || vendor == "-" {
        return None;
    }
    let product = product.unwrap_or_default();
    let version = version.filter(|v| !v.is_empty() && v != "*" && v != "-");
    Some(Cpe {
        part,
        vendor,
        product,
        version,
    })
}

/// Splits a CPE 2.3 string on unescaped colons, unescaping `\x` to `x`.
fn split_escaped(s: &str) -> Vec<Cow<'_, str>> {
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
            ':' => out.push(Cow::Owned(std::mem::take(&mut cur))),
            _ => cur.push(c),
        }
    }
    out.push(Cow::Owned(cur));
    out
}

fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
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
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatted_string_and_uri() {
        let c = parse("cpe:2.3:o:cisco:ios_xe:17.3.1:*:*:*:*:*:*:*").unwrap();
        assert_eq!(
            (c.part, c.vendor.as_ref(), c.product.as_ref()),
            ('o', "cisco", "ios_xe")
        );
        assert_eq!(c.version.as_deref(), Some("17.3.1"));
        let c = parse("cpe:/a:thekelleys:dnsmasq:2.90").unwrap();
        assert_eq!((c.part, c.vendor.as_ref()), ('a', "thekelleys"));
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
                product: Cow::Borrowed(""),
                version: None
            })
        );
    }
}
