//! Which of a component's fields say something: a value that is not empty and not SPDX
//! `NOASSERTION` or `NONE`.
//!
//! [`SbomBuilder`](super::SbomBuilder) records the mask of every component as the component is
//! added, while its text is fresh in the cache; readers of a large SBOM (the completeness
//! profiles) then read one `u16` per component instead of chasing a dozen strings over the heap.

use super::{Component, ExternalRefKind, Party};

/// A set of component fields that carry a value. See [`Asserted::of`] for what each bit means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Asserted(u16);

impl Asserted {
    /// The name.
    pub const NAME: Asserted = Asserted(1);
    /// The version.
    pub const VERSION: Asserted = Asserted(1 << 1);
    /// A supplier, manufacturer, originator or publisher with a real name.
    pub const PRODUCER: Asserted = Asserted(1 << 2);
    /// A purl or a CPE.
    pub const IDENTIFIER: Asserted = Asserted(1 << 3);
    /// A hash with both an algorithm and a value.
    pub const HASH: Asserted = Asserted(1 << 5);
    /// Such a hash whose algorithm is SHA-512.
    pub const SHA512: Asserted = Asserted(1 << 6);
    /// A licence expression.
    pub const LICENCE: Asserted = Asserted(1 << 7);
    /// A supplier, manufacturer, originator, publisher or author with an e-mail or a URL.
    pub const CREATOR_CONTACT: Asserted = Asserted(1 << 8);
    /// A VCS external reference with a URL.
    pub const SOURCE_URI: Asserted = Asserted(1 << 9);
    /// A distribution external reference with a URL.
    pub const DEPLOYABLE_URI: Asserted = Asserted(1 << 10);
    /// Every bit this type uses (bits 4 and 11-15 are free for readers' own facts).
    pub const ALL: Asserted = Asserted(
        Asserted::NAME.0
            | Asserted::VERSION.0
            | Asserted::PRODUCER.0
            | Asserted::IDENTIFIER.0
            | Asserted::HASH.0
            | Asserted::SHA512.0
            | Asserted::LICENCE.0
            | Asserted::CREATOR_CONTACT.0
            | Asserted::SOURCE_URI.0
            | Asserted::DEPLOYABLE_URI.0,
    );

    /// The empty set.
    pub const fn empty() -> Asserted {
        Asserted(0)
    }

    /// The raw bits.
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// Every field of `other` is in `self`.
    pub const fn contains(self, other: Asserted) -> bool {
        self.0 & other.0 == other.0
    }

    /// The fields of `c` that carry a value.
    pub fn of(c: &Component) -> Asserted {
        let mut f = 0;
        let mut set = |bit: Asserted, has: bool| {
            if has {
                f |= bit.0;
            }
        };
        set(Asserted::NAME, is_asserted(&c.name));
        set(
            Asserted::VERSION,
            c.version.as_deref().is_some_and(is_asserted),
        );
        let parties = [&c.supplier, &c.manufacturer, &c.originator, &c.publisher];
        set(
            Asserted::PRODUCER,
            parties
                .iter()
                .any(|p| p.as_deref().is_some_and(Party::is_named)),
        );
        set(
            Asserted::CREATOR_CONTACT,
            parties
                .iter()
                .filter_map(|p| p.as_deref())
                .chain(c.authors.iter())
                .any(Party::has_contact),
        );
        set(
            Asserted::IDENTIFIER,
            c.purl.as_deref().is_some_and(is_asserted) || c.cpes.iter().any(|s| is_asserted(s)),
        );
        for h in &c.hashes {
            if is_asserted(&h.alg) && is_asserted(&h.value) {
                set(Asserted::HASH, true);
                set(Asserted::SHA512, is_sha512(&h.alg));
            }
        }
        set(
            Asserted::LICENCE,
            c.licenses.as_deref().is_some_and(is_asserted),
        );
        for r in &c.external_refs {
            if is_asserted(&r.url) {
                set(Asserted::SOURCE_URI, r.kind == ExternalRefKind::Vcs);
                set(
                    Asserted::DEPLOYABLE_URI,
                    r.kind == ExternalRefKind::Distribution,
                );
            }
        }
        Asserted(f)
    }
}

impl std::ops::BitOr for Asserted {
    type Output = Asserted;
    fn bitor(self, rhs: Asserted) -> Asserted {
        Asserted(self.0 | rhs.0)
    }
}

/// A value that says something: not empty (after trimming), not SPDX `NOASSERTION` or `NONE`.
pub fn is_asserted(s: &str) -> bool {
    let s = super::trim(s);
    !s.is_empty() && !s.eq_ignore_ascii_case("NOASSERTION") && !s.eq_ignore_ascii_case("NONE")
}

/// `SHA-512`, `SHA512`, `sha_512`: the algorithm name with separators ignored.
fn is_sha512(alg: &str) -> bool {
    let mut letters = alg
        .bytes()
        .filter(|b| !matches!(b, b'-' | b'_' | b' '))
        .map(|b| b.to_ascii_uppercase());
    b"SHA512".iter().all(|want| letters.next() == Some(*want)) && letters.next().is_none()
}

impl Party {
    /// A party with a real name.
    pub fn is_named(&self) -> bool {
        self.name.as_deref().is_some_and(is_asserted)
    }

    /// A party that can be reached: an e-mail or a URL.
    pub fn has_contact(&self) -> bool {
        self.email.as_deref().is_some_and(is_asserted) || self.urls.iter().any(|u| is_asserted(u))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ExternalRef, Hash};

    #[test]
    fn placeholders_say_nothing() {
        for s in ["", "  ", "NOASSERTION", "noassertion", " NONE ", "None"] {
            assert!(!is_asserted(s), "{s:?}");
        }
        for s in ["x", "NONEX", "0", " a "] {
            assert!(is_asserted(s), "{s:?}");
        }
    }

    #[test]
    fn sha512_spellings() {
        for s in ["SHA-512", "SHA512", "sha_512", "Sha 512"] {
            assert!(is_sha512(s), "{s}");
        }
        for s in ["SHA-256", "SHA3-512", "SHA5120", "SHA51"] {
            assert!(!is_sha512(s), "{s}");
        }
    }

    #[test]
    fn each_field_sets_its_bit() {
        let mut c = Component::new("r", "NOASSERTION");
        assert_eq!(Asserted::of(&c), Asserted::empty());
        c.name = "openssl".into();
        c.version = Some("3.0.13".into());
        c.purl = Some("NONE".into());
        c.cpes = vec!["cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*".into()];
        c.supplier = Some(Box::new(Party {
            name: Some("OpenSSL".into()),
            urls: vec!["https://openssl.org".into()],
            ..Party::default()
        }));
        c.hashes = vec![
            Hash {
                alg: "SHA-256".into(),
                value: "".into(),
            },
            Hash {
                alg: "SHA-512".into(),
                value: "ab".into(),
            },
        ];
        c.licenses = Some("Apache-2.0".into());
        c.external_refs = vec![
            ExternalRef {
                kind: ExternalRefKind::Vcs,
                url: "https://github.com/openssl/openssl".into(),
            },
            ExternalRef {
                kind: ExternalRefKind::Distribution,
                url: "NOASSERTION".into(),
            },
        ];
        let a = Asserted::of(&c);
        assert_eq!(
            a,
            Asserted::NAME
                | Asserted::VERSION
                | Asserted::PRODUCER
                | Asserted::CREATOR_CONTACT
                | Asserted::IDENTIFIER
                | Asserted::HASH
                | Asserted::SHA512
                | Asserted::LICENCE
                | Asserted::SOURCE_URI
        );
        assert!(!a.contains(Asserted::DEPLOYABLE_URI));
        assert!(Asserted::ALL.contains(a));
    }
}
