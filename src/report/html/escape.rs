//! Text and links made safe for HTML: every string from an SBOM, the data or the caller goes
//! through [`escape`] (attributes) or [`text`] (element content, with CJK runs marked with their
//! language), and a link target through [`href`].

use std::fmt::Write;

/// HTML-safe text, for element content and for quoted attribute values alike.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => o.push('\u{fffd}'),
            c if crate::report::is_bidi_control(c) => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// The script of a CJK character: `Some("ja")` for kana, `Some("ko")` for Hangul, `Some("zh")`
/// for Han ideographs and CJK punctuation and fullwidth forms, `None` otherwise.
fn cjk(c: char) -> Option<&'static str> {
    match u32::from(c) {
        0x3040..=0x30FF | 0x31F0..=0x31FF => Some("ja"),
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Some("ko"),
        0x2E80..=0x2FDF
        | 0x3000..=0x303F
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF => Some("zh"),
        _ => None,
    }
}

/// [`escape`]d element content, with each run of CJK characters in a `<span lang>` (`zh`, or
/// `ja`/`ko` when the run has kana or Hangul), so a browser picks a CJK font and the right
/// glyph forms for a Chinese legal title or a vendor's Chinese name. For element content only;
/// attributes take [`escape`].
pub fn text(s: &str) -> String {
    if !s.chars().any(|c| cjk(c).is_some()) {
        return escape(s);
    }
    let mut o = String::with_capacity(s.len() + 32);
    let mut rest = s;
    while !rest.is_empty() {
        let is_cjk = rest.chars().next().and_then(cjk).is_some();
        let end = rest
            .char_indices()
            .find(|(_, c)| cjk(*c).is_some() != is_cjk)
            .map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(end);
        if is_cjk {
            let lang = if run.chars().any(|c| cjk(c) == Some("ja")) {
                "ja"
            } else if run.chars().any(|c| cjk(c) == Some("ko")) {
                "ko"
            } else {
                "zh"
            };
            let _ = write!(o, "<span lang=\"{lang}\">{}</span>", escape(run));
        } else {
            o.push_str(&escape(run));
        }
        rest = tail;
    }
    o
}

/// A link target made safe for an `href`, escaped for the attribute; `None` when it cannot be
/// a link. What a browser ignores (leading and trailing spaces and control characters, tabs
/// and newlines anywhere) is dropped first, as the browser would; a target with a scheme other
/// than `http`, `https` or `file` (`javascript:`, `data:`, `vbscript:`, a drive letter) is
/// refused; everything outside the URL characters is percent-encoded (UTF-8), as is a `%` that
/// starts no escape.
pub fn href(target: &str) -> Option<String> {
    let t: String = target
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if t.is_empty() {
        return None;
    }
    let head_end = t.find([':', '/', '?', '#']).unwrap_or(t.len());
    if t[head_end..].starts_with(':') {
        let scheme = t[..head_end].to_ascii_lowercase();
        if !matches!(scheme.as_str(), "http" | "https" | "file") {
            return None;
        }
    }
    let bytes = t.as_bytes();
    let mut o = String::with_capacity(t.len() + 8);
    for (i, b) in bytes.iter().enumerate() {
        let c = char::from(*b);
        let url_char = b.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=".contains(c);
        let escape_start = *b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if url_char || escape_start {
            o.push(c);
        } else {
            let _ = write!(o, "%{b:02X}");
        }
    }
    Some(escape(&o))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_cannot_reorder_a_name() {
        assert_eq!(escape("lib\u{202e}gpj.exe"), "lib\u{fffd}gpj.exe");
        assert_eq!(
            text("x\u{2067}中\u{2069}"),
            "x\u{fffd}<span lang=\"zh\">中</span>\u{fffd}"
        );
    }

    #[test]
    fn escape_covers_text_and_attributes() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escape(r##"x" onmouseover="a" y='b'"##),
            "x&quot; onmouseover=&quot;a&quot; y=&#39;b&#39;"
        );
        assert_eq!(escape("a & b"), "a &amp; b");
        assert_eq!(escape("bell\u{7}"), "bell\u{fffd}");
    }

    #[test]
    fn cjk_runs_carry_their_language() {
        assert_eq!(text("plain <b>"), "plain &lt;b&gt;");
        assert_eq!(
            text("中华人民共和国数据安全法, art. 36"),
            "<span lang=\"zh\">中华人民共和国数据安全法</span>, art. 36"
        );
        assert_eq!(
            text("MOFCOM (阻断<x>办法)"),
            "MOFCOM (<span lang=\"zh\">阻断</span>&lt;x&gt;<span lang=\"zh\">办法</span>)"
        );
        // Kana make a run Japanese; Han alone cannot tell, and is taken as Chinese.
        assert_eq!(
            text("実施する《規定》"),
            "<span lang=\"ja\">実施する《規定》</span>"
        );
        assert_eq!(text("삼성전자"), "<span lang=\"ko\">삼성전자</span>");
    }

    #[test]
    fn link_targets_are_encoded_and_never_scripts() {
        assert_eq!(
            href("reports/router.html").as_deref(),
            Some("reports/router.html")
        );
        assert_eq!(
            href("https://example.org/r?a=1&b=2").as_deref(),
            Some("https://example.org/r?a=1&amp;b=2")
        );
        assert_eq!(
            href("reports/my router \"v2\" <x>.html").as_deref(),
            Some("reports/my%20router%20%22v2%22%20%3Cx%3E.html")
        );
        assert_eq!(
            href("路由器.html").as_deref(),
            Some("%E8%B7%AF%E7%94%B1%E5%99%A8.html")
        );
        assert_eq!(href("50%.html").as_deref(), Some("50%25.html"));
        assert_eq!(href("a%20b.html").as_deref(), Some("a%20b.html"));
        assert_eq!(href("it's.html").as_deref(), Some("it&#39;s.html"));
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "C:\\reports\\x.html",
            "",
            "  ",
        ] {
            assert_eq!(href(bad), None, "{bad:?}");
        }
        // A colon after the first slash is a path, not a scheme.
        assert_eq!(href("./javascript:x").as_deref(), Some("./javascript:x"));
    }
}
