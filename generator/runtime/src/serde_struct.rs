//! How generated structs are written and read: `serde_struct!(Name { .. })` writes a struct's
//! `Serialize` and `Deserialize` from one line of properties, sharing this module's functions.
//!
//! serde's derives write, for a struct of 16 fields, about 350 lines (a field enum and its visitor,
//! a sequence visitor, a block per field for each), the largest part of a generated crate's build;
//! these are about a sixth of it, and write and read the same objects the same way: a property
//! read straight into its field's type (no buffering, so a form's `"5"` is still an integer),
//! unknown properties skipped or kept in the struct's map of unlisted properties (without a tag
//! the struct writes itself), a property given twice refused (`duplicate field`), a missing one the
//! field's default, `None` for an `Option` without one, else refused (`missing field`); an optional
//! field left out of what is written when it is absent. Unlike serde's derive, a struct is not
//! read from a JSON array (no schema object is one).

#![doc(hidden)]

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{self, Serialize, SerializeMap, SerializeStruct, Serializer};

use super::Nullable;

/// A property name, borrowed from the input when the format allows (serde_json's unescaped names).
#[derive(Debug)]
pub enum Key<'de> {
    /// Borrowed from the input.
    Borrowed(&'de str),
    /// Decoded into a new string.
    Owned(String),
}

impl Key<'_> {
    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(name) => name,
            Key::Owned(name) => name,
        }
    }

    /// The name, owned (a key of the map of unlisted properties).
    #[must_use]
    pub fn into_string(self) -> String {
        match self {
            Key::Borrowed(name) => name.to_owned(),
            Key::Owned(name) => name,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a property name")
            }
            fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(name))
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(name.to_owned()))
            }
            fn visit_string<E: de::Error>(self, name: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(name))
            }
            // Formats that name fields in bytes (csv's headers).
            fn visit_borrowed_bytes<E: de::Error>(self, name: &'de [u8]) -> Result<Key<'de>, E> {
                std::str::from_utf8(name).map(Key::Borrowed).map_err(|_| E::invalid_value(de::Unexpected::Bytes(name), &self))
            }
            fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Key<'de>, E> {
                std::str::from_utf8(name).map(|name| Key::Owned(name.to_owned())).map_err(|_| E::invalid_value(de::Unexpected::Bytes(name), &self))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of property `name` into `slot`; a second value of it is an error.
pub fn next_field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A, slot: &mut Option<T>, name: &'static str) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(<A::Error as de::Error>::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a required property the object lacks: `None` for an `Option` (as serde's derive),
/// else the error `missing field`.
pub fn missing<'de, T: Deserialize<'de>, E: de::Error>(name: &'static str) -> Result<T, E> {
    T::deserialize(Missing { name, error: PhantomData })
}

/// A deserializer of nothing: `None` to an `Option`, `missing field` to anything else.
struct Missing<E> {
    name: &'static str,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.name))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A generated struct's reading of an object's properties, which `serde_struct!` writes.
pub trait Fields<'de>: Sized {
    /// The struct's name (errors say `expected struct Name`).
    const NAME: &'static str;
    /// The properties it reads (a tag included), for formats and serde's `flatten`, which hand a
    /// struct only these.
    const PROPERTIES: &'static [&'static str];
    /// Whether it keeps the properties it does not list (then it reads every property).
    const KEEPS_UNLISTED: bool;

    /// Reads the properties into the struct.
    fn visit_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads a `T` from an object (the body of each `serde_struct!`'s `Deserialize`).
/// As serde's derive reads: a struct that keeps unlisted properties as a map, any other as a
/// struct of its properties.
pub fn deserialize<'de, D: Deserializer<'de>, T: Fields<'de>>(deserializer: D) -> Result<T, D::Error> {
    if T::KEEPS_UNLISTED {
        deserializer.deserialize_map(StructVisitor(PhantomData))
    } else {
        deserializer.deserialize_struct(T::NAME, T::PROPERTIES, StructVisitor(PhantomData))
    }
}

/// serde's visitor of an object, for every generated struct.
struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: Fields<'de>> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit_map(map)
    }
}

/// An optional field's value that is left out of the object written: `None`, `Nullable::Absent`.
pub trait Omitted {
    /// Whether the value is left out.
    fn omitted(&self) -> bool;
}

impl<T> Omitted for Option<T> {
    fn omitted(&self) -> bool {
        self.is_none()
    }
}

impl<T> Omitted for Nullable<T> {
    fn omitted(&self) -> bool {
        self.is_absent()
    }
}

/// What a generated struct writes to, as serde's derive writes it: a struct of its properties,
/// or a map when it keeps unlisted properties (their names are not `'static`).
pub enum Writer<S: Serializer> {
    /// A struct's properties.
    Struct(S::SerializeStruct),
    /// A map's entries.
    Map(S::SerializeMap),
}

impl<S: Serializer> fmt::Debug for Writer<S> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Writer::Struct(_) => "Writer::Struct",
            Writer::Map(_) => "Writer::Map",
        })
    }
}

impl<S: Serializer> Writer<S> {
    /// Starts writing a `T` of `len` properties (its tag included), as a map if it keeps
    /// unlisted properties.
    pub fn new<'de, T: Fields<'de>>(serializer: S, len: usize) -> Result<Self, S::Error> {
        Ok(if T::KEEPS_UNLISTED {
            Writer::Map(serializer.serialize_map(None)?)
        } else {
            Writer::Struct(serializer.serialize_struct(T::NAME, len)?)
        })
    }

    /// Writes property `name`.
    pub fn property<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), S::Error> {
        match self {
            Writer::Struct(properties) => properties.serialize_field(name, value),
            Writer::Map(entries) => entries.serialize_entry(name, value),
        }
    }

    /// Writes an optional property unless its value is [`Omitted`].
    pub fn optional<T: Serialize + Omitted>(&mut self, name: &'static str, value: &T) -> Result<(), S::Error> {
        match self {
            _ if !value.omitted() => self.property(name, value),
            Writer::Struct(properties) => properties.skip_field(name),
            Writer::Map(_) => Ok(()),
        }
    }

    /// Writes the unlisted properties (a struct that keeps them is written as a map).
    pub fn unlisted<V: Serialize>(&mut self, properties: &std::collections::BTreeMap<String, V>) -> Result<(), S::Error> {
        match self {
            Writer::Map(entries) => properties.iter().try_for_each(|(name, value)| entries.serialize_entry(name, value)),
            Writer::Struct(_) => Err(ser::Error::custom("unlisted properties are written as a map")),
        }
    }

    /// Ends the object.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        match self {
            Writer::Struct(properties) => properties.end(),
            Writer::Map(entries) => entries.end(),
        }
    }
}

/// How many properties a struct writes: 1 for a property always written, 0 or 1 for an
/// optional one.
pub fn count<T: Omitted>(value: &T) -> usize {
    usize::from(!value.omitted())
}

/// `Serialize` and `Deserialize` for a generated struct, from its properties:
/// `serde_struct!(Name { "tag": "value", field, other: "property" default, ..map })`.
///
/// - `"tag": "value"` first: a property the struct always writes (a tagged union's variant) and
///   does not read (the union has);
/// - each field, with its property's name when it is not the field's (`r#type: "type"`), then how
///   a missing property is read: nothing (required: `None` for an `Option`, else `missing field`),
///   `default` (`Default::default()`; the field is left out when written if absent) or
///   `default = function`;
/// - last, `..map`: the map field of properties not listed (written after the others).
///
/// It declares no item (a local one could shadow a type of the crate).
#[allow(unused_macros)] // a crate whose document has no struct does not use it
macro_rules! serde_struct {
    ($name:ident { $tag:literal: $value:literal $(, $($rest:tt)*)? }) => {
        $crate::runtime::serde_struct!(@impl $name [$tag: $value] { $($($rest)*)? });
    };
    ($name:ident { $($rest:tt)* }) => {
        $crate::runtime::serde_struct!(@impl $name [] { $($rest)* });
    };
    (@impl $name:ident [$($tag:literal: $value:literal)?] { $($field:ident $(: $property:literal)? $($default:ident $(= $function:ident)?)?),* $(,)? $(..$map:ident $(,)?)? }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                let len = 0 $(+ $crate::runtime::serde_struct!(@one $tag))? $(+ $crate::runtime::serde_struct!(@count self $field $($default $(= $function)?)?))*;
                #[allow(unused_mut, reason = "a struct without properties writes none")]
                let mut writer = $crate::runtime::serde_struct::Writer::new::<Self>(serializer, len)?;
                $(writer.property($tag, $value)?;)?
                $($crate::runtime::serde_struct!(@write writer self $field [$($property)?] $($default $(= $function)?)?);)*
                $(writer.unlisted(&self.$map)?;)?
                writer.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::runtime::serde_struct::deserialize(deserializer)
            }
        }

        impl<'de> $crate::runtime::serde_struct::Fields<'de> for $name {
            const NAME: &'static str = ::core::stringify!($name);
            const PROPERTIES: &'static [&'static str] = &[$($tag,)? $($crate::runtime::serde_struct!(@name $field $($property)?)),*];
            const KEEPS_UNLISTED: bool = false $(|| $crate::runtime::serde_struct!(@true $map))?;

            fn visit_map<A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::core::result::Result<Self, A::Error> {
                $(let mut $field = ::core::option::Option::None;)*
                $(let mut $map = ::std::collections::BTreeMap::new();)?
                while let ::core::option::Option::Some(key) = map.next_key::<$crate::runtime::serde_struct::Key<'de>>()? {
                    match key.as_str() {
                        $($crate::runtime::serde_struct!(@name $field $($property)?) => {
                            $crate::runtime::serde_struct::next_field(&mut map, &mut $field, $crate::runtime::serde_struct!(@name $field $($property)?))?
                        })*
                        _ => $crate::runtime::serde_struct!(@unlisted map key [$($tag)?] $($map)?),
                    }
                }
                ::core::result::Result::Ok(Self {
                    $($field: $crate::runtime::serde_struct!(@missing $field [$($property)?] $($default $(= $function)?)?),)*
                    $($map,)?
                })
            }
        }
    };
    (@name $field:ident) => {
        ::core::stringify!($field)
    };
    (@name $field:ident $property:literal) => {
        $property
    };
    (@one $tag:literal) => {
        1
    };
    (@true $map:ident) => {
        true
    };
    (@count $this:ident $field:ident default) => {
        $crate::runtime::serde_struct::count(&$this.$field)
    };
    (@count $this:ident $field:ident $($default:ident $(= $function:ident)?)?) => {
        1
    };
    (@write $writer:ident $this:ident $field:ident [$($property:literal)?] default) => {
        $writer.optional($crate::runtime::serde_struct!(@name $field $($property)?), &$this.$field)?
    };
    (@write $writer:ident $this:ident $field:ident [$($property:literal)?] $($default:ident $(= $function:ident)?)?) => {
        $writer.property($crate::runtime::serde_struct!(@name $field $($property)?), &$this.$field)?
    };
    (@unlisted $access:ident $key:ident [$($tag:literal)?]) => {{
        let _: ::serde::de::IgnoredAny = $access.next_value()?;
    }};
    (@unlisted $access:ident $key:ident [] $map:ident) => {{
        let value = $access.next_value()?;
        let _: ::core::option::Option<_> = $map.insert($key.into_string(), value);
    }};
    (@unlisted $access:ident $key:ident [$tag:literal] $map:ident) => {{
        if $key.as_str() == $tag {
            let _: ::serde::de::IgnoredAny = $access.next_value()?;
        } else {
            let value = $access.next_value()?;
            let _: ::core::option::Option<_> = $map.insert($key.into_string(), value);
        }
    }};
    (@missing $field:ident [$($property:literal)?]) => {
        match $field {
            ::core::option::Option::Some(value) => value,
            ::core::option::Option::None => $crate::runtime::serde_struct::missing($crate::runtime::serde_struct!(@name $field $($property)?))?,
        }
    };
    (@missing $field:ident [$($property:literal)?] default) => {
        $field.unwrap_or_default()
    };
    (@missing $field:ident [$($property:literal)?] default = $function:ident) => {
        // `self::`: a field's local of the same name must not shadow the function.
        $field.unwrap_or_else(self::$function)
    };
}
#[allow(unused_imports)]
pub(crate) use serde_struct;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::Nullable;

    #[derive(Debug, PartialEq)]
    struct Plain {
        id: u32,
        r#type: String,
        note: Option<String>,
        maybe: Option<String>,
        cleared: Nullable<String>,
        size: u64,
    }

    fn default_size() -> u64 {
        7
    }

    crate::runtime::serde_struct!(Plain { id, r#type: "type", note, maybe default, cleared: "clear" default, size default = default_size });

    #[derive(Debug, PartialEq)]
    struct Open {
        name: String,
        properties: BTreeMap<String, serde_json::Value>,
    }

    crate::runtime::serde_struct!(Open { name, ..properties });

    #[derive(Debug, PartialEq)]
    struct Variant {
        name: String,
        properties: BTreeMap<String, i64>,
    }

    crate::runtime::serde_struct!(Variant { "kind": "variant", name, ..properties });

    #[derive(Debug, PartialEq)]
    struct Tagged {
        name: Option<String>,
    }

    crate::runtime::serde_struct!(Tagged { "kind": "tagged", name default });

    #[derive(Debug, PartialEq)]
    struct Empty {}

    crate::runtime::serde_struct!(Empty {});

    /// Only a tag.
    #[derive(Debug, PartialEq)]
    struct Marker {}

    crate::runtime::serde_struct!(Marker { "kind": "marker" });

    /// Only unlisted properties, with and without a tag.
    #[derive(Debug, PartialEq)]
    struct Bag {
        properties: BTreeMap<String, u8>,
    }

    crate::runtime::serde_struct!(Bag { ..properties });

    #[derive(Debug, PartialEq)]
    struct TaggedBag {
        properties: BTreeMap<String, u8>,
    }

    crate::runtime::serde_struct!(TaggedBag { "kind": "bag", ..properties, });

    /// A defaulted field beside a field named like its default function.
    #[derive(Debug, PartialEq)]
    struct Page {
        size: u32,
        default_page_size: Option<u32>,
    }

    fn default_page_size() -> u32 {
        20
    }

    crate::runtime::serde_struct!(Page { size default = default_page_size, default_page_size: "defaultPageSize" default });

    #[test]
    fn a_field_named_like_a_default_function_does_not_hide_it() {
        let page: Page = serde_json::from_str(r#"{"defaultPageSize": 5}"#).unwrap();
        assert_eq!(page, Page { size: 20, default_page_size: Some(5) });
    }

    /// A user's type that flattens a generated struct beside a map of the rest.
    #[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
    struct Mine {
        #[serde(flatten)]
        plain: Variant2,
        #[serde(flatten)]
        rest: BTreeMap<String, serde_json::Value>,
    }

    #[derive(Debug, PartialEq)]
    struct Variant2 {
        w: u8,
        z: Option<String>,
    }

    crate::runtime::serde_struct!(Variant2 { "kind": "v", w, z default });

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "only its decoding is checked")]
    struct Strict {
        #[serde(flatten)]
        plain: Variant2,
    }

    #[test]
    fn flattened_into_a_users_type_it_takes_only_its_properties() {
        let text = r#"{"kind":"v","w":2,"z":"q","other":1}"#;
        let mine: Mine = serde_json::from_str(text).unwrap();
        assert_eq!(mine.plain, Variant2 { w: 2, z: Some("q".into()) });
        assert_eq!(mine.rest, BTreeMap::from([("other".to_owned(), json!(1))]));
        assert_eq!(serde_json::to_string(&mine).unwrap(), text);
        let error = serde_json::from_str::<Strict>(text).unwrap_err().to_string();
        assert!(error.starts_with("unknown field `other`"), "{error}");
    }

    #[test]
    fn names_given_as_bytes_are_read() {
        use serde::de::value::{Error, MapDeserializer};
        use serde::de::IntoDeserializer;
        let entries = [(b"w".as_slice(), 3u8.into_deserializer()), (b"other".as_slice(), 4u8.into_deserializer())];
        let read: Variant2 = serde::Deserialize::deserialize(MapDeserializer::<_, Error>::new(entries.into_iter())).unwrap();
        assert_eq!(read, Variant2 { w: 3, z: None });
        let entries = [(b"\xff".as_slice(), 3u8.into_deserializer())];
        let error = <Variant2 as serde::Deserialize>::deserialize(MapDeserializer::<_, Error>::new(entries.into_iter())).unwrap_err();
        assert!(error.to_string().starts_with("invalid value: byte array, expected a property name"), "{error}");
    }

    #[test]
    fn structs_of_only_a_tag_or_only_a_map() {
        assert_eq!(serde_json::to_string(&Marker {}).unwrap(), r#"{"kind":"marker"}"#);
        assert_eq!(serde_json::from_str::<Marker>(r#"{"kind": "marker", "x": 1}"#).unwrap(), Marker {});
        let bag: Bag = serde_json::from_str(r#"{"kind": 1, "x": 2}"#).unwrap();
        assert_eq!(bag.properties, BTreeMap::from([("kind".to_owned(), 1), ("x".to_owned(), 2)]));
        let bag: TaggedBag = serde_json::from_str(r#"{"kind": "bag", "x": 2}"#).unwrap();
        assert_eq!(bag.properties, BTreeMap::from([("x".to_owned(), 2)]));
        assert_eq!(serde_json::to_string(&bag).unwrap(), r#"{"kind":"bag","x":2}"#);
    }

    /// A struct with the names the macro's expansion uses.
    #[derive(Debug, PartialEq)]
    struct StructVisitor {
        map: u8,
        key: u8,
        value: Option<u8>,
        this: u8,
        serializer: u8,
        deserializer: u8,
        name: u8,
        properties: BTreeMap<String, u8>,
    }

    crate::runtime::serde_struct!(StructVisitor { map, key, value, this, serializer, deserializer: "d", name, ..properties });

    fn plain() -> Plain {
        Plain { id: 1, r#type: "t".into(), note: None, maybe: None, cleared: Nullable::Absent, size: 7 }
    }

    #[test]
    fn properties_read_into_their_fields_and_missing_ones_get_their_defaults() {
        let read: Plain = serde_json::from_str(r#"{"type": "t", "id": 1, "note": null, "other": [1, {"a": 2}]}"#).unwrap();
        assert_eq!(read, plain());
        let read: Plain = serde_json::from_str(r#"{"type": "t", "id": 1, "note": "n", "maybe": "m", "clear": null, "size": 9}"#).unwrap();
        assert_eq!(
            read,
            Plain { note: Some("n".into()), maybe: Some("m".into()), cleared: Nullable::Null, size: 9, ..plain() }
        );
        let read: Plain = serde_json::from_str(r#"{"type": "t", "id": 1, "clear": "c"}"#).unwrap();
        assert_eq!(read.cleared, Nullable::Value("c".into()));
    }

    #[test]
    fn fields_are_written_in_order_and_absent_optional_ones_left_out() {
        // Required `Option`s are written as `null`; `default` fields only when present; defaulted
        // ones always.
        assert_eq!(serde_json::to_string(&plain()).unwrap(), r#"{"id":1,"type":"t","note":null,"size":7}"#);
        let full = Plain { maybe: Some("m".into()), cleared: Nullable::Null, ..plain() };
        assert_eq!(serde_json::to_string(&full).unwrap(), r#"{"id":1,"type":"t","note":null,"maybe":"m","clear":null,"size":7}"#);
        let back: Plain = serde_json::from_str(&serde_json::to_string(&full).unwrap()).unwrap();
        assert_eq!(back, full);
    }

    #[test]
    fn a_required_property_missing_or_given_twice_is_refused_by_name() {
        let error = serde_json::from_str::<Plain>(r#"{"type": "t"}"#).unwrap_err().to_string();
        assert!(error.starts_with("missing field `id`"), "{error}");
        let error = serde_json::from_str::<Plain>(r#"{"id": 1}"#).unwrap_err().to_string();
        assert!(error.starts_with("missing field `type`"), "{error}");
        let error = serde_json::from_str::<Plain>(r#"{"id": 1, "type": "t", "id": 2}"#).unwrap_err().to_string();
        assert!(error.starts_with("duplicate field `id`"), "{error}");
        let error = serde_json::from_str::<Plain>(r#"{"id": "1", "type": "t"}"#).unwrap_err().to_string();
        assert!(error.starts_with("invalid type: string \"1\", expected u32"), "{error}");
        let error = serde_json::from_str::<Plain>("[1]").unwrap_err().to_string();
        assert!(error.starts_with("invalid type: sequence, expected struct Plain"), "{error}");
    }

    #[test]
    fn a_required_option_missing_is_none() {
        // As serde's derive: `note` is required but an `Option`.
        let read: Plain = serde_json::from_str(r#"{"id": 1, "type": "t"}"#).unwrap();
        assert_eq!(read.note, None);
    }

    #[test]
    fn unlisted_properties_are_kept_and_written_back() {
        let text = r#"{"name":"n","kind":"k","extra":{"a":[1]}}"#;
        let open: Open = serde_json::from_str(text).unwrap();
        assert_eq!(open.name, "n");
        assert_eq!(open.properties, BTreeMap::from([("kind".to_owned(), "k".into()), ("extra".to_owned(), json!({"a": [1]}))]));
        assert_eq!(serde_json::to_value(&open).unwrap(), serde_json::from_str::<serde_json::Value>(text).unwrap());
    }

    #[test]
    fn a_tag_is_written_first_once_and_not_kept() {
        let variant: Variant = serde_json::from_str(r#"{"kind": "variant", "name": "n", "count": 3}"#).unwrap();
        assert_eq!(variant, Variant { name: "n".into(), properties: BTreeMap::from([("count".to_owned(), 3)]) });
        assert_eq!(serde_json::to_string(&variant).unwrap(), r#"{"kind":"variant","name":"n","count":3}"#);
        let error = serde_json::from_str::<Variant>(r#"{"name": "n", "count": "3"}"#).unwrap_err().to_string();
        assert!(error.starts_with("invalid type: string \"3\", expected i64"), "{error}");
        assert_eq!(serde_json::to_string(&Tagged { name: None }).unwrap(), r#"{"kind":"tagged"}"#);
        let tagged: Tagged = serde_json::from_str(r#"{"kind": "tagged", "name": "n"}"#).unwrap();
        assert_eq!(tagged, Tagged { name: Some("n".into()) });
    }

    #[test]
    fn escaped_and_owned_names_match_too() {
        let open: Open = serde_json::from_str(r#"{"na\u006de": "n", "e\u0078": 1}"#).unwrap();
        assert_eq!(open, Open { name: "n".into(), properties: BTreeMap::from([("ex".to_owned(), 1.into())]) });
        let read: Plain = serde::Deserialize::deserialize(json!({"id": 2, "type": "t"})).unwrap();
        assert_eq!(read.id, 2);
        let empty: Empty = serde_json::from_str(r#"{"anything": 1}"#).unwrap();
        assert_eq!(empty, Empty {});
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
    }

    #[test]
    fn the_expansion_s_names_do_not_meet_the_struct_s() {
        let text = r#"{"map":1,"key":2,"this":4,"serializer":5,"d":3,"name":6,"x":4}"#;
        let read: StructVisitor = serde_json::from_str(text).unwrap();
        let expected = StructVisitor {
            map: 1,
            key: 2,
            value: None,
            this: 4,
            serializer: 5,
            deserializer: 3,
            name: 6,
            properties: BTreeMap::from([("x".to_owned(), 4)]),
        };
        assert_eq!(read, expected);
        let written = serde_json::to_value(&read).unwrap();
        assert_eq!(written, json!({"map": 1, "key": 2, "value": null, "this": 4, "serializer": 5, "d": 3, "name": 6, "x": 4}));
    }

    #[test]
    fn forms_read_numbers_from_their_text_and_are_written_as_pairs() {
        let read: Plain = serde_urlencoded::from_str("id=3&type=t&size=4").unwrap();
        assert_eq!((read.id, read.size), (3, 4));
        let form = Plain { note: Some("n".into()), ..plain() };
        assert_eq!(serde_urlencoded::to_string(&form).unwrap(), "id=1&type=t&note=n&size=7");
        // A form has no `null`: a required `None` is left out, as serde's derive had it.
        assert_eq!(serde_urlencoded::to_string(plain()).unwrap(), "id=1&type=t&size=7");
    }
}
