//! Name normalisation for vendor lookups: "Cisco Systems, Inc." and "cisco systems" meet.

/// Legal-form suffixes dropped from the end of a name, already lower-cased and unpunctuated.
const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "llc",
    "llp",
    "lp",
    "plc",
    "gmbh",
    "ag",
    "se",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "oy",
    "oyj",
    "ab",
    "as",
    "asa",
    "aps",
    "kk",
    "kg",
    "ev",
    "pte",
    "pty",
    "co ltd",
    "sdn bhd",
    "bhd",
];

/// Lower-cases, folds punctuation to spaces, collapses whitespace and strips trailing legal
/// forms ("inc", "ltd", "gmbh"...) and a leading "the". Returns an empty string for names that
/// carry nothing (`NOASSERTION`).
pub fn normalize_name(name: &str) -> String {
    // Words separated by one space (and perhaps one at the end): the separators below never
    // push a space after a space.
    let mut s = String::with_capacity(name.len());
    let mut space = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
            space = false;
        } else if !c.is_ascii() && c.is_alphanumeric() {
            s.extend(c.to_lowercase());
            space = false;
        } else if c == '&' || c == '+' {
            if !space {
                s.push(' ');
            }
            s.push(c);
            s.push(' ');
            space = true;
        } else if !space && c != '\'' {
            // Any other separator ends a word; so does a dot ("Inc." and "co.ltd").
            s.push(' ');
            space = true;
        }
    }
    if s.ends_with(' ') {
        s.pop();
    }
    // A leading "the" before another word, and trailing legal forms while another word stays.
    if s.starts_with("the ") {
        s.drain(..4);
    }
    while let Some(i) = s.rfind(' ') {
        if !LEGAL_SUFFIXES.contains(&&s[i + 1..]) {
            break;
        }
        s.truncate(i);
    }
    if s == "noassertion" || s == "none" || s == "unknown" {
        s.clear();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{normalize_name, LEGAL_SUFFIXES};
    use proptest::prelude::*;

    /// The first (word-list) implementation: the fast one must give the same keys.
    fn reference(name: &str) -> String {
        let mut s = String::with_capacity(name.len());
        let mut space = true;
        for c in name.chars() {
            if c.is_alphanumeric() {
                for l in c.to_lowercase() {
                    s.push(l);
                }
                space = false;
            } else if c == '&' || c == '+' {
                if !space {
                    s.push(' ');
                }
                s.push(c);
                s.push(' ');
                space = true;
            } else if !space && c != '\'' && c != '.' {
                s.push(' ');
                space = true;
            } else if c == '.' && !space {
                // "Inc." and "co.ltd": a dot ends a word.
                s.push(' ');
                space = true;
            }
        }
        let mut words: Vec<&str> = s.split_whitespace().collect();
        if words.first() == Some(&"the") && words.len() > 1 {
            words.remove(0);
        }
        while words.len() > 1 && words.last().is_some_and(|w| LEGAL_SUFFIXES.contains(w)) {
            words.pop();
        }
        let out = words.join(" ");
        if out == "noassertion" || out == "none" || out == "unknown" {
            return String::new();
        }
        out
    }

    proptest! {
        #[test]
        fn same_keys_as_the_word_list_implementation(
            name in "(?s)(the |The |[a-zA-Z0-9 .,&+'_\\-]|Inc|Ltd| Co|GmbH|é|Ü|İ|ß|中|\\PC){0,24}"
        ) {
            prop_assert_eq!(normalize_name(&name), reference(&name));
        }
    }

    #[test]
    fn same_keys_on_the_tricky_ones() {
        for n in [
            "the",
            "The The",
            "the inc",
            "Inc",
            "a  &  b",
            "x.",
            ".x",
            "'a'",
            "İstanbul Ltd.",
            "  ",
        ] {
            assert_eq!(normalize_name(n), reference(n), "{n:?}");
        }
    }

    #[test]
    fn legal_forms_and_punctuation_fold() {
        assert_eq!(normalize_name("Cisco Systems, Inc."), "cisco systems");
        assert_eq!(normalize_name("cisco systems"), "cisco systems");
        assert_eq!(
            normalize_name("Huawei Technologies Co., Ltd."),
            "huawei technologies"
        );
        assert_eq!(
            normalize_name("Infineon Technologies AG"),
            "infineon technologies"
        );
        assert_eq!(
            normalize_name("The Apache Software Foundation"),
            "apache software foundation"
        );
        assert_eq!(normalize_name("AT&T"), "at & t");
    }

    #[test]
    fn a_lone_legal_word_is_kept_and_noassertion_is_empty() {
        assert_eq!(normalize_name("SE"), "se");
        assert_eq!(normalize_name("NOASSERTION"), "");
        assert_eq!(normalize_name("  "), "");
    }
}
