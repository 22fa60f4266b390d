//! Lenient serde building blocks for the JSON reader: a value of the wrong type is remembered
//! as `Bad` (so the reader can warn with its JSON path) instead of failing the document.
//! Skipped values go through `IgnoredAny`, which serde_json reads without recursion.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A scalar read as text: a string, or a number or boolean written where a string belongs
/// (`"version": 3`). Objects and arrays are skipped and remembered as `Bad`.
#[derive(Debug, Default)]
pub(super) enum LStr<'a> {
    #[default]
    Missing,
    Str(Cow<'a, str>),
    Bad(&'static str),
}

impl<'a> LStr<'a> {
    pub(super) fn get(&self) -> Option<&str> {
        match self {
            LStr::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for LStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = LStr<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Owned(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(LStr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(LStr::Missing)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(LStr::Missing)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LStr::Bad("an array"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(LStr::Bad("an object"))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// An object read as `T`; anything else is skipped and remembered as `Bad`.
#[derive(Debug, Default)]
pub(super) enum Obj<T> {
    #[default]
    Missing,
    Ok(T),
    Bad(&'static str),
}

impl<T> Obj<T> {
    pub(super) fn get(&self) -> Option<&T> {
        match self {
            Obj::Ok(t) => Some(t),
            _ => None,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Obj::Ok)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Obj::Bad("an array"))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Obj::Bad("a string"))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Obj::Bad("a number"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Obj::Bad("a number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Obj::Bad("a number"))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Obj::Bad("a boolean"))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Obj::Missing)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// An array of `T`; anything else is skipped and remembered as `Bad`. A single string where an
/// array of strings belongs (`"url": "https://..."`) is read as a one-element list by [`LStr`]
/// callers through [`List::strings`].
#[derive(Debug, Default)]
pub(super) enum List<T> {
    #[default]
    Missing,
    /// An array of exactly one element, kept without a heap allocation: most lists in real
    /// documents (hashes, licences, urls, properties) hold one entry.
    Single(T),
    Ok(Vec<T>),
    Bad(&'static str),
    /// A lone scalar where an array was expected.
    One(String),
}

impl<T> List<T> {
    pub(super) fn items(&self) -> &[T] {
        match self {
            List::Single(t) => std::slice::from_ref(t),
            List::Ok(v) => v,
            _ => &[],
        }
    }

    pub(super) fn into_items(self) -> Vec<T> {
        match self {
            List::Single(t) => vec![t],
            List::Ok(v) => v,
            _ => Vec::new(),
        }
    }
}

impl<'a> List<LStr<'a>> {
    /// The strings of the list (a lone string counts as a list of one).
    pub(super) fn strings(&self) -> Vec<&str> {
        match self {
            List::One(s) => vec![s.as_str()],
            l => l.items().iter().filter_map(LStr::get).collect(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let Some(first) = seq.next_element::<T>()? else {
                    return Ok(List::Ok(Vec::new()));
                };
                let Some(second) = seq.next_element::<T>()? else {
                    return Ok(List::Single(first));
                };
                let mut v = vec![first, second];
                while let Some(t) = seq.next_element::<T>()? {
                    v.push(t);
                }
                Ok(List::Ok(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(List::Bad("an object"))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(List::One(v.to_string()))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(List::Bad("a number"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(List::Bad("a number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(List::Bad("a number"))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(List::Bad("a boolean"))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(List::Missing)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}
