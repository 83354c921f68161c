//! Tagged unions (a `discriminator`): their serde impls and `tag()`, written by `tagged!`.

use serde::de::{DeserializeOwned, Deserializer, Error, Unexpected};
use serde::ser::{Serialize, Serializer};
use serde_json::Value;

/// `Serialize`, `Deserialize` and `tag()` for a generated tagged union, from its tag property
/// and its variants in mapping order: `tagged!(Pet { tag = "kind", Cat: "cat", Dog: "dog",
/// ..Unknown })`. Each variant holds a value that writes the tag itself (a struct of the union);
/// one marked `with_tag` (`Nested: "nested" with_tag`: a union itself, or a struct that keeps
/// the tag property as a field) has the tag set on its JSON object, so what is written is what
/// `tag()` says. The variant after `..` holds an object whose tag the crate does not
/// know, kept whole.
///
/// An object is read as the variant its tag names; anything but an object is an error.
#[allow(unused_macros)] // a crate whose document has no tagged union does not use it
macro_rules! tagged {
    (@serialize $value:ident, $serializer:ident, $tag:literal, $tag_value:literal) => {
        ::serde::Serialize::serialize($value, $serializer)
    };
    (@serialize $value:ident, $serializer:ident, $tag:literal, $tag_value:literal with_tag) => {
        $crate::runtime::tagged::with_tag($value, $tag, $tag_value, $serializer)
    };
    ($name:ident { tag = $tag:literal, $($variant:ident: $tag_value:literal $($with_tag:ident)?,)* ..$unknown:ident $(,)? }) => {
        impl $name {
            /// The value of the tag property the type's documentation names.
            pub fn tag(&self) -> ::core::option::Option<&str> {
                match *self {
                    $(Self::$variant(_) => ::core::option::Option::Some($tag_value),)*
                    Self::$unknown(ref value) => $crate::runtime::tagged::tag(value, $tag),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match *self {
                    $(Self::$variant(ref value) => $crate::runtime::tagged!(@serialize value, serializer, $tag, $tag_value $($with_tag)?),)*
                    Self::$unknown(ref value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = $crate::runtime::tagged::object(deserializer)?;
                match $crate::runtime::tagged::tag(&value, $tag) {
                    $(::core::option::Option::Some($tag_value) => $crate::runtime::tagged::variant(value).map(Self::$variant),)*
                    _ => ::core::result::Result::Ok(Self::$unknown(value)),
                }
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use tagged;

/// Reads the JSON object a tagged union is read from (a key twice is an error, at any depth, as
/// in a struct read directly); anything but an object is an error.
pub fn object<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
    let value = super::buffer::read(deserializer)?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(D::Error::invalid_type(Unexpected::Other("a non-object JSON value"), &"an object"))
    }
}

/// The string value of the property `tag` of `value`, if it is one.
pub fn tag<'a>(value: &'a Value, tag: &str) -> Option<&'a str> {
    value.get(tag).and_then(Value::as_str)
}

/// Reads the variant a tag named from its object.
pub fn variant<T: DeserializeOwned, E: Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Writes `value` (a union in a union, or a struct that keeps the tag property as a field) with
/// the property `tag` set to `tag_value`: the union's variant decides the tag.
pub fn with_tag<T: Serialize, S: Serializer>(value: &T, tag: &str, tag_value: &str, serializer: S) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let Some(object) = value.as_object_mut() {
        object.insert(tag.to_owned(), Value::from(tag_value));
    }
    value.serialize(serializer)
}

#[cfg(test)]
#[allow(unreachable_pub, reason = "the macro writes the `pub` method a generated type has")]
mod tests {
    use serde_json::json;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Cat {
        kind: String,
        lives: u8,
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(untagged)]
    enum Other {
        Object(serde_json::Map<String, serde_json::Value>),
    }

    #[derive(Debug, PartialEq)]
    enum Pet {
        Cat(Cat),
        Other(Other),
        Unknown(serde_json::Value),
    }
    super::super::tagged!(Pet { tag = "kind", Cat: "cat", Other: "other" with_tag, ..Unknown });

    #[test]
    fn an_object_reads_as_the_variant_its_tag_names() {
        let cat = serde_json::from_value::<Pet>(json!({"kind": "cat", "lives": 9})).unwrap();
        assert_eq!(cat, Pet::Cat(Cat { kind: "cat".to_owned(), lives: 9 }));
        assert_eq!(cat.tag(), Some("cat"));
        assert_eq!(serde_json::to_value(&cat).unwrap(), json!({"kind": "cat", "lives": 9}));
        let err = serde_json::from_value::<Pet>(json!({"kind": "cat", "lives": "nine"})).unwrap_err().to_string();
        assert!(err.starts_with("invalid type: string \"nine\", expected u8"), "{err}");
    }

    #[test]
    fn an_unknown_tag_is_kept_whole() {
        let value = json!({"kind": "axolotl", "gills": 6});
        let pet = serde_json::from_value::<Pet>(value.clone()).unwrap();
        assert_eq!(pet, Pet::Unknown(value.clone()));
        assert_eq!(pet.tag(), Some("axolotl"));
        assert_eq!(serde_json::to_value(&pet).unwrap(), value);
        let untagged = serde_json::from_value::<Pet>(json!({"gills": 6})).unwrap();
        assert_eq!(untagged.tag(), None);
    }

    #[test]
    fn a_variant_marked_with_tag_has_the_tag_set() {
        let other = Pet::Other(Other::Object(serde_json::Map::from_iter([("a".to_owned(), json!(1))])));
        assert_eq!(serde_json::to_value(&other).unwrap(), json!({"a": 1, "kind": "other"}));
        assert_eq!(serde_json::from_value::<Pet>(json!({"a": 1, "kind": "other"})).unwrap().tag(), Some("other"));
        // The union's variant decides: a value holding another tag is written with this one, so
        // it reads back as the same variant and `tag()` says what was written.
        let other = Pet::Other(Other::Object(serde_json::Map::from_iter([("kind".to_owned(), json!("cat"))])));
        assert_eq!(other.tag(), Some("other"));
        assert_eq!(serde_json::to_value(&other).unwrap(), json!({"kind": "other"}));
    }

    #[test]
    fn a_property_given_twice_is_an_error_as_in_a_struct() {
        let err = serde_json::from_str::<Pet>(r#"{"kind": "cat", "lives": 1, "lives": 2}"#).unwrap_err().to_string();
        assert!(err.starts_with("duplicate field `lives`"), "{err}");
    }

    #[test]
    fn anything_but_an_object_is_an_error() {
        let err = serde_json::from_value::<Pet>(json!(["cat"])).unwrap_err().to_string();
        assert_eq!(err, "invalid type: a non-object JSON value, expected an object");
    }
}
