//! The SPDX 2 document as the parsers read it: a lenient, borrowed serde model shared by JSON,
//! YAML and SPDX XML (deserialised), and filled by hand by the tag-value and RDF readers.
//!
//! Lenient on purpose: every field is optional, unknown fields are ignored, a list written as a
//! single value (XML with one element) is read as a list of one, numbers and booleans where a
//! string is expected are kept as text, and objects where a string is expected are skipped.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

/// A string borrowed from the input where possible.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Str<'a>(pub Cow<'a, str>);

impl<'a> Str<'a> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'a> From<&'a str> for Str<'a> {
    fn from(s: &'a str) -> Str<'a> {
        Str(Cow::Borrowed(s))
    }
}

impl From<String> for Str<'_> {
    fn from(s: String) -> Self {
        Str(Cow::Owned(s))
    }
}

thread_local! {
    static SCALARS_AS_TEXT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with [`Str`] asking the deserializer for the scalar's text rather than its typed
/// value. For YAML: a plain `versionInfo: 1.10` would otherwise be read as the float 1.1.
pub fn with_scalars_as_text<R>(f: impl FnOnce() -> R) -> R {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            SCALARS_AS_TEXT.with(|c| c.set(false));
        }
    }
    SCALARS_AS_TEXT.with(|c| c.set(true));
    let _reset = Reset;
    f()
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Str<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Str<'a>, E> {
                Ok(Str::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Str<'a>, E> {
                Ok(Str::default())
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Str<'a>, D2::Error> {
                d.deserialize_any(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Str<'a>, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Str::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Str<'a>, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Str::default())
            }
        }
        if SCALARS_AS_TEXT.with(Cell::get) {
            d.deserialize_str(V(PhantomData))
        } else {
            d.deserialize_any(V(PhantomData))
        }
    }
}

/// Reads a list, a single value (a list of one) or null (an empty list).
pub fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list or a single value")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(s.size_hint().unwrap_or(0).min(4096));
            while let Some(x) = s.next_element()? {
                out.push(x);
            }
            Ok(out)
        }
        fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Vec<T>, A::Error> {
            Ok(vec![T::deserialize(
                de::value::MapAccessDeserializer::new(m),
            )?])
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Vec<T>, E> {
            Ok(vec![T::deserialize(
                de::value::BorrowedStrDeserializer::new(v),
            )?])
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            Ok(vec![T::deserialize(de::value::StringDeserializer::new(
                v.to_string(),
            ))?])
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Vec<T>, E> {
            Ok(vec![T::deserialize(de::value::StringDeserializer::new(v))?])
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Vec<T>, D2::Error> {
            d.deserialize_any(self)
        }
    }
    d.deserialize_any(V(PhantomData))
}

/// An SPDX 2 document.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Document<'a> {
    #[serde(rename = "SPDXID", borrow)]
    pub spdxid: Option<Str<'a>>,
    #[serde(borrow)]
    pub spdx_version: Option<Str<'a>>,
    #[serde(borrow)]
    pub name: Option<Str<'a>>,
    #[serde(borrow)]
    pub document_namespace: Option<Str<'a>>,
    #[serde(borrow)]
    pub creation_info: Option<CreationInfo<'a>>,
    #[serde(borrow, deserialize_with = "one_or_many")]
    pub document_describes: Vec<Str<'a>>,
    #[serde(borrow, deserialize_with = "one_or_many")]
    pub packages: Vec<Package<'a>>,
    #[serde(borrow, deserialize_with = "one_or_many")]
    pub files: Vec<Element<'a>>,
    #[serde(borrow, deserialize_with = "one_or_many")]
    pub snippets: Vec<Element<'a>>,
    #[serde(borrow, deserialize_with = "one_or_many")]
    pub relationships: Vec<Relationship<'a>>,
    #[serde(borrow, deserialize_with = "one_or_many")]
    pub external_document_refs: Vec<ExternalDocumentRef<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CreationInfo<'a> {
    #[serde(borrow)]
    pub created: Option<Str<'a>>,
    #[serde(borrow, deserialize_with = "one_or_many")]
    pub creators: Vec<Str<'a>>,
}

/// A file or snippet: only its id matters here.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Element<'a> {
    #[serde(rename = "SPDXID", borrow)]
    pub spdxid: Option<Str<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExternalDocumentRef<'a> {
    #[serde(borrow)]
    pub external_document_id: Option<Str<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Package<'a> {
    #[serde(rename = "SPDXID", borrow)]
    pub spdxid: Option<Str<'a>>,
    #[serde(borrow)]
    pub name: Option<Str<'a>>,
    #[serde(borrow)]
    pub version_info: Option<Str<'a>>,
    #[serde(borrow)]
    pub primary_package_purpose: Option<Str<'a>>,
    #[serde(borrow)]
    pub supplier: Option<Str<'a>>,
    #[serde(borrow)]
    pub originator: Option<Str<'a>>,
    #[serde(borrow)]
    pub download_location: Option<Str<'a>>,
    #[serde(borrow)]
    pub homepage: Option<Str<'a>>,
    #[serde(borrow)]
    pub license_concluded: Option<Str<'a>>,
    #[serde(borrow)]
    pub license_declared: Option<Str<'a>>,
    #[serde(borrow, deserialize_with = "one_or_many")]
    pub checksums: Vec<Checksum<'a>>,
    #[serde(borrow, deserialize_with = "one_or_many")]
    pub external_refs: Vec<ExternalRef<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Checksum<'a> {
    #[serde(borrow)]
    pub algorithm: Option<Str<'a>>,
    #[serde(borrow)]
    pub checksum_value: Option<Str<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExternalRef<'a> {
    #[serde(borrow)]
    pub reference_category: Option<Str<'a>>,
    #[serde(borrow)]
    pub reference_type: Option<Str<'a>>,
    #[serde(borrow)]
    pub reference_locator: Option<Str<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Relationship<'a> {
    #[serde(borrow)]
    pub spdx_element_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub related_spdx_element: Option<Str<'a>>,
    #[serde(borrow)]
    pub relationship_type: Option<Str<'a>>,
}

/// The text of an optional value, `None` when absent or blank.
pub fn text<'s>(v: &'s Option<Str<'_>>) -> Option<&'s str> {
    v.as_ref()
        .map(|s| crate::model::trim(s.as_str()))
        .filter(|s| !s.is_empty())
}

/// Like [`text`], but NOASSERTION and NONE also count as absent.
pub fn asserted<'s>(v: &'s Option<Str<'_>>) -> Option<&'s str> {
    text(v).filter(|s| !s.eq_ignore_ascii_case("NOASSERTION") && !s.eq_ignore_ascii_case("NONE"))
}
