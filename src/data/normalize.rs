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

#[cfg(test)]
mod tests {
    use super::normalize_name;

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
