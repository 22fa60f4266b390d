//! The terminal summary: scores with their direction, rating, top countries, vendors, scenarios
//! and the findings, laid out from the product's [`View`] for a terminal of [`WIDTH`] (100)
//! columns: long lines wrap under their column, a very long paragraph is cut with a pointer to
//! `--format json`, and evidence an earlier finding showed is referred back to. Colour is the
//! caller's choice (`--format text` on a terminal without `NO_COLOR`); the words are the same
//! either way. SBOM text goes through [`clean`].

use super::view::{Card, FindingRow, View, UNKNOWN_ORIGIN_CARD};
use super::{Product, ReportError, Writer};
use crate::report::policy::Evaluation;
use crate::score::{Rating, Report, Severity};
use std::fmt::Write;

/// ANSI styles, or nothing.
#[derive(Debug, Clone, Copy)]
struct Style {
    color: bool,
}

impl Style {
    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(self, s: &str) -> String {
        self.paint("1", s)
    }
    fn rating(self, r: Rating) -> String {
        let code = match r {
            Rating::Low => "1;32",
            Rating::Medium => "1;33",
            Rating::High | Rating::Critical => "1;31",
        };
        self.paint(code, &r.as_str().to_uppercase())
    }
    fn severity(self, s: Severity) -> String {
        let code = match s {
            Severity::Critical | Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low | Severity::Info => "36",
        };
        self.paint(code, &format!("[{}]", s.as_str().to_uppercase()))
    }
}

/// Characters an SBOM must not send to a terminal: control characters (an escape sequence in a
/// component name could rewrite the screen) and the bidirectional overrides and isolates (they
/// reorder what follows on the line, as in "Trojan Source").
fn unsafe_on_terminal(c: char) -> bool {
    super::unsafe_on_terminal(c)
}

/// SBOM text for a terminal: what [`unsafe_on_terminal`] names becomes U+FFFD.
pub(crate) fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(unsafe_on_terminal) {
        s.chars()
            .map(|c| if unsafe_on_terminal(c) { '\u{fffd}' } else { c })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// The width the summary is laid out for: a line never passes this column.
pub const WIDTH: usize = 100;

/// A wrapped paragraph is cut after this many lines, with a pointer to the whole text.
const MAX_LINES: usize = 8;

/// Columns a character takes on a terminal: 2 for East Asian wide and fullwidth characters
/// (CJK, Hangul, fullwidth forms, most emoji), 0 for combining marks and zero-width
/// characters, 1 otherwise.
fn char_width(c: char) -> usize {
    match u32::from(c) {
        0x0300..=0x036F | 0x200B..=0x200F | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F => {
            0
        }
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x2FFFD
        | 0x30000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// Columns a string takes, not counting our own colour sequences (SBOM text has none left:
/// [`clean`] took every control character out).
fn width(s: &str) -> usize {
    let mut w = 0;
    let mut in_escape = false;
    for c in s.chars() {
        if in_escape {
            in_escape = c != 'm';
        } else if c == '\x1b' {
            in_escape = true;
        } else {
            w += char_width(c);
        }
    }
    w
}

/// Writes `prefix` and `text` as one paragraph of lines of at most [`WIDTH`] columns: lines
/// after the first start with `indent` spaces; a word wider than a line is broken; past
/// [`MAX_LINES`] lines the rest is cut, with a pointer to `--format json`. `text` must be
/// cleaned SBOM text (or ours).
fn para(o: &mut String, prefix: &str, text: &str, indent: usize) {
    let indent = indent.min(WIDTH / 2);
    let mut lines: Vec<String> = vec![prefix.to_string()];
    let mut col = width(prefix);
    // Nothing but the prefix or the indent on the current line yet.
    let mut fresh = true;
    let newline = |lines: &mut Vec<String>, col: &mut usize| {
        lines.push(" ".repeat(indent));
        *col = indent;
    };
    // Spaces before the next word: runs of spaces are kept within a line (alignment), dropped
    // where the line breaks.
    let mut spaces = 0;
    for word in text.split(' ') {
        if word.is_empty() {
            spaces += 1;
            continue;
        }
        let ww = width(word);
        let mut gap = if fresh { 0 } else { spaces + 1 };
        spaces = 0;
        if col + gap + ww > WIDTH && (ww <= WIDTH - indent || WIDTH.saturating_sub(col + gap) < 8) {
            // To the next line, unless a word wider than a line has room to begin here.
            newline(&mut lines, &mut col);
            gap = 0;
        }
        let Some(line) = lines.last_mut() else { break };
        line.extend(std::iter::repeat_n(' ', gap));
        col += gap;
        let mut in_escape = false;
        for c in word.chars() {
            // Our colour sequences take no column and are never split.
            let cw = if in_escape || c == '\x1b' {
                in_escape = c != 'm';
                0
            } else {
                char_width(c)
            };
            if col + cw > WIDTH {
                newline(&mut lines, &mut col);
            }
            if let Some(line) = lines.last_mut() {
                line.push(c);
            }
            col += cw;
        }
        fresh = false;
    }
    if lines.len() > MAX_LINES {
        let total = lines.len();
        lines.truncate(MAX_LINES - 1);
        lines.push(format!(
            "{}[{} more line(s) cut: --format json has the whole text]",
            " ".repeat(indent),
            total - (MAX_LINES - 1)
        ));
    }
    for line in lines {
        o.push_str(line.trim_end());
        o.push('\n');
    }
}

/// The terminal summary of one report, without colour.
pub fn render(r: &Report<'_>) -> String {
    render_styled(r, None, false)
}

/// The terminal summary of one report, with the policy verdict when given: every line fits
/// [`WIDTH`] columns, and an evidence line or mitigation that an earlier finding already
/// showed is referred back to instead of printed again.
pub fn render_styled(r: &Report<'_>, policy: Option<&Evaluation>, color: bool) -> String {
    render_view(&View::of(r), policy, color)
}

fn render_view(v: &View<'_>, policy: Option<&Evaluation>, color: bool) -> String {
    let st = Style { color };
    let mut o = String::new();
    para(
        &mut o,
        "",
        &format!(
            "{}  ({}, {} components)",
            st.bold(&clean(v.file)),
            clean(&v.format),
            v.components
        ),
        4,
    );
    // The versions on a line of their own (they change with every release and data edit).
    para(
        &mut o,
        "  ",
        &format!(
            "{}, data {}, profile {}",
            v.tool,
            clean(v.data_version),
            clean(&v.profile),
        ),
        4,
    );
    para(
        &mut o,
        "  ",
        &format!("buyer {}, as of {}", clean(v.buyer), clean(v.as_of)),
        4,
    );
    o.push('\n');
    para(
        &mut o,
        &format!(
            "  rating: {} (risk index {}/100): ",
            st.rating(v.rating),
            v.risk_index
        ),
        &clean(v.rating_reason),
        4,
    );
    o.push('\n');
    for s in &v.scores {
        let range = s
            .bounds_text
            .as_ref()
            .map_or(String::new(), |b| format!("  [unknown origin: {b}]"));
        para(
            &mut o,
            &format!("  {:<24}{:>6}  ", s.key, s.value_text),
            &format!("{}{range}", s.direction),
            34,
        );
    }
    let _ = writeln!(
        o,
        "\n  origin countries (weighted share, exposure for a {} buyer):",
        clean(v.buyer)
    );
    for c in v.countries.iter().take(10) {
        let card = match &c.card {
            Card::UnknownOrigin => UNKNOWN_ORIGIN_CARD.to_string(),
            Card::NoMeasure => "no measure found".to_string(),
            Card::Rows(rows) => rows
                .iter()
                .map(|row| format!("{}={}", clean(row.indicator), clean(row.value)))
                .collect::<Vec<_>>()
                .join(", "),
        };
        para(
            &mut o,
            &format!(
                "    {:<4}{:>7} {:>5} comp.  exposure {}  ",
                clean(c.code.unwrap_or("??")),
                c.share_text,
                c.components,
                c.exposure_text
            ),
            &card,
            10,
        );
    }
    let _ = writeln!(o, "\n  top vendors (weighted share; basis of the country):");
    for vendor in v.vendors.iter().take(8) {
        let measures = match vendor.measures.len() {
            0 => String::new(),
            n => format!("  [{n} measure(s) of the buyer's authorities]"),
        };
        let name = clean(vendor.name);
        let country = clean(&vendor.country_label()).into_owned();
        // A name that fits its column keeps the column; a longer one wraps with the rest.
        let (prefix, rest) = match 44usize.checked_sub(width(&name)) {
            Some(pad) => (
                format!("    {:>7} {name}{} ", vendor.share_text, " ".repeat(pad)),
                format!("{country}{measures}"),
            ),
            None => (
                format!("    {:>7} ", vendor.share_text),
                format!("{name} {country}{measures}"),
            ),
        };
        para(&mut o, &prefix, &rest, 12);
    }
    let _ = writeln!(
        o,
        "\n  scenarios (weighted share lost / degraded; impact = lost + {} x degraded):",
        v.degraded_weight
    );
    for sc in v.scenarios.iter().take(8) {
        let unknown = match &sc.if_unknown_text {
            Some(u) if sc.unknown > 0 => format!(
                ", impact {u} if the {} of unknown {} came from here",
                sc.unknown, sc.unknown_kind
            ),
            _ => String::new(),
        };
        // A name wider than its column (a vendor id the SBOM made up) gets a line of its own.
        let name = clean(sc.name);
        let name = match 28usize.checked_sub(width(&name)) {
            Some(pad) => format!("{name}{}", " ".repeat(pad)),
            None => {
                para(&mut o, "    ", &name, 8);
                " ".repeat(28)
            }
        };
        para(
            &mut o,
            &format!(
                "    {name}lost {:>6}  degraded {:>6}  impact {:>6}  ",
                sc.lost_text, sc.degraded_text, sc.impact_text
            ),
            &format!(
                "({} removed, {} degraded, {} affected{unknown})",
                sc.removed, sc.degraded, sc.affected
            ),
            8,
        );
    }
    let _ = writeln!(o, "\n  findings ({}):", v.findings.len());
    for f in &v.findings {
        para(
            &mut o,
            &format!("    {}. {} ", f.number, st.severity(f.severity)),
            &format!(
                "{} Art. {} {}: {}",
                f.id,
                f.article,
                f.clause,
                clean(f.title)
            ),
            8,
        );
        finding_evidence(&mut o, f);
        match f.mitigation_first {
            Some(n) if n != f.number => {
                let _ = writeln!(o, "        mitigation: as for finding {n}");
            }
            _ => para(&mut o, "        mitigation: ", &clean(f.mitigation), 12),
        }
    }
    if let Some(ev) = policy {
        let verdict = if ev.passed {
            st.paint("1;32", "PASSED")
        } else {
            st.paint("1;31", "FAILED")
        };
        o.push('\n');
        para(
            &mut o,
            "  ",
            &format!(
                "policy {}: {} ({} violation(s))",
                clean(&ev.file),
                verdict,
                ev.violations.len()
            ),
            4,
        );
        for viol in &ev.violations {
            para(
                &mut o,
                &format!("    {}: ", st.paint("31", viol.rule)),
                &clean(&viol.message),
                8,
            );
        }
    }
    o.push('\n');
    o
}

/// A finding's evidence: its first line that no earlier finding showed, with the count of its
/// other new lines (Markdown, HTML and JSON list them all), then where its repeated lines were
/// first shown.
fn finding_evidence(o: &mut String, f: &FindingRow<'_>) {
    let new: Vec<&str> = f
        .evidence
        .iter()
        .filter(|e| e.first.is_none())
        .map(|e| e.text)
        .collect();
    if let Some(first) = new.first() {
        let more = match new.len() - 1 {
            0 => String::new(),
            n => format!(" [+{n} more in --format json]"),
        };
        para(
            o,
            "        evidence: ",
            &format!("{}{more}", clean(first)),
            12,
        );
    }
    // Earlier findings whose lines this one repeats, with how many.
    let mut earlier: Vec<(usize, usize)> = Vec::new();
    for n in f.evidence.iter().filter_map(|e| e.first) {
        if n == f.number {
            continue;
        }
        match earlier.iter_mut().find(|(m, _)| *m == n) {
            Some((_, count)) => *count += 1,
            None => earlier.push((n, 1)),
        }
    }
    for (n, count) in earlier {
        let _ = writeln!(
            o,
            "        evidence: {}as for finding {n}",
            if count == 1 {
                String::new()
            } else {
                format!("{count} lines ")
            }
        );
    }
}

/// `--format text`: the summaries one after the other; unreadable files only on stderr.
#[derive(Debug, Default)]
pub struct TextWriter {
    color: bool,
}

impl TextWriter {
    pub fn new(color: bool) -> TextWriter {
        TextWriter { color }
    }
}

impl Writer for TextWriter {
    fn product(
        &mut self,
        out: &mut dyn std::io::Write,
        p: &Product<'_, '_>,
    ) -> Result<(), ReportError> {
        out.write_all(render_styled(p.report, p.policy, self.color).as_bytes())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_when_asked() {
        let plain = Style { color: false };
        assert_eq!(plain.rating(Rating::High), "HIGH");
        assert_eq!(plain.severity(Severity::Medium), "[MEDIUM]");
        let c = Style { color: true };
        assert_eq!(c.rating(Rating::High), "\x1b[1;31mHIGH\x1b[0m");
        assert!(c.severity(Severity::Low).contains("[LOW]"));
    }

    #[test]
    fn control_characters_from_an_sbom_do_not_reach_the_terminal() {
        assert_eq!(clean("evil\x1b[2Jname\r"), "evil\u{fffd}[2Jname\u{fffd}");
        assert_eq!(
            clean("a\u{202e}b\u{2066}c\u{9b}d"),
            "a\u{fffd}b\u{fffd}c\u{fffd}d"
        );
        assert!(matches!(
            clean("plain"),
            std::borrow::Cow::Borrowed("plain")
        ));
    }

    fn wrapped(prefix: &str, text: &str, indent: usize) -> Vec<String> {
        let mut o = String::new();
        para(&mut o, prefix, text, indent);
        o.lines().map(str::to_string).collect()
    }

    #[test]
    fn paragraphs_wrap_under_their_column() {
        let words = "lorem ipsum dolor sit amet ".repeat(12);
        let lines = wrapped("    key:  ", &words, 10);
        assert!(lines.len() > 1);
        assert!(lines[0].starts_with("    key:  lorem"));
        for l in &lines {
            assert!(width(l) <= WIDTH, "{l}");
        }
        for l in &lines[1..] {
            assert!(
                l.starts_with("          ") && !l.starts_with("           "),
                "{l}"
            );
        }
        // Every word is kept, in order.
        let back: Vec<&str> = lines
            .iter()
            .flat_map(|l| l.split_whitespace())
            .skip(1)
            .collect();
        assert_eq!(back.join(" "), words.trim_end());
        // Short text stays on one line.
        assert_eq!(wrapped("  a: ", "b c", 4), ["  a: b c"]);
    }

    #[test]
    fn a_word_wider_than_a_line_is_broken_and_a_long_paragraph_cut() {
        let word = "x".repeat(250);
        let lines = wrapped("  name: ", &word, 4);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| width(l) <= WIDTH));
        assert_eq!(lines.concat().matches('x').count(), 250);
        let lines = wrapped("  name: ", &"y".repeat(5000), 4);
        assert_eq!(lines.len(), MAX_LINES);
        assert!(lines[MAX_LINES - 1].contains("--format json has the whole text"));
        assert!(lines.iter().all(|l| width(l) <= WIDTH));
    }

    #[test]
    fn wide_characters_take_two_columns_and_colour_none() {
        assert_eq!(width("中华ab"), 6);
        assert_eq!(width("\x1b[1;31mHIGH\x1b[0m"), 4);
        let lines = wrapped("", &"中".repeat(80), 0);
        assert_eq!(lines.len(), 2);
        assert_eq!(width(&lines[0]), WIDTH);
        // A coloured prefix counts by what shows.
        let st = Style { color: true };
        let lines = wrapped(
            &format!("    {} ", st.severity(Severity::High)),
            &"a ".repeat(60),
            8,
        );
        assert_eq!(width(&lines[0]), width("    [HIGH] ") + 89);
    }

    #[test]
    fn every_sbom_string_is_cleaned() {
        use crate::report::testutil::{with_report, ROUTER};
        let t = with_report(ROUTER, |r| {
            let mut r = r.clone();
            let evil = "x\x1b]0;pwned\x07\u{202e}y";
            r.file = evil.into();
            r.document.spec_version = evil.into();
            r.rating_reason = evil.into();
            if let Some(f) = r.findings.first_mut() {
                f.title = evil.into();
                f.evidence = vec![evil.into()];
                f.mitigation = evil.into();
            }
            if let Some(v) = r.vendors.first_mut() {
                v.name = evil.into();
            }
            if let Some(sc) = r.scenarios.first_mut() {
                sc.name = evil.into();
            }
            render(&r)
        });
        assert!(!t.chars().any(|c| c.is_control() && c != '\n'), "{t:?}");
        assert!(!t.contains('\u{202e}'));
        assert!(
            t.matches("x\u{fffd}]0;pwned\u{fffd}\u{fffd}y").count() >= 8,
            "{t}"
        );
    }

    #[test]
    fn the_router_fits_100_columns_and_repeats_refer_back() {
        use crate::report::testutil::{with_report, HOSTILE, ROUTER};
        for doc in [ROUTER, HOSTILE] {
            let t = with_report(doc, |r| render_styled(r, None, true));
            for l in t.lines() {
                assert!(width(l) <= WIDTH, "{} columns: {l}", width(l));
            }
        }
        let t = with_report(ROUTER, |r| {
            let mut r = r.clone();
            let Some(first) = r.findings.first().cloned() else {
                panic!("the router has findings");
            };
            r.findings.push(first);
            render(&r)
        });
        let n = t.matches("        evidence: as for finding 1\n").count()
            + t.matches(" lines as for finding 1\n").count();
        assert_eq!(n, 1, "{t}");
        assert!(t.contains("        mitigation: as for finding 1\n"), "{t}");
    }
}
