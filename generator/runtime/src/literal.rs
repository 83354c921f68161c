//! Types that are one literal value (a `const` schema, or an `enum` of one value): their serde
//! impls, written by `literal!`.

use serde::de::{Deserialize, Deserializer, Error, Unexpected};

/// `Serialize` and `Deserialize` for a generated unit struct that is one literal value, and the
/// value as a constant: `literal!(Name, "text")` for a string (`Name::VALUE`), `literal!(Name,
/// json = "[1,2]")` for any other JSON value (`Name::JSON`, its text). It writes the value and
/// reads only it.
#[allow(unused_macros)] // a crate whose document has no such type does not use it
macro_rules! literal {
    ($name:ident, $value:literal) => {
        impl $name {
            /// The literal value.
            pub const VALUE: &'static str = $value;
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(Self::VALUE)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::runtime::literal::string(deserializer, Self::VALUE).map(|()| Self)
            }
        }
    };
    ($name:ident, json = $json:literal) => {
        impl $name {
            /// The literal value, as JSON text.
            pub const JSON: &'static str = $json;
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&$crate::runtime::literal::json(Self::JSON), serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::runtime::literal::value(deserializer, Self::JSON).map(|()| Self)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use literal;

/// Reads a string that must be `expected`.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D, expected: &'static str) -> Result<(), D::Error> {
    let value = String::deserialize(deserializer)?;
    if value == expected {
        Ok(())
    } else {
        Err(D::Error::invalid_value(Unexpected::Str(&value), &expected))
    }
}

/// The value of a literal's JSON text (`null` if the text is not JSON, which the generator never
/// writes).
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

/// Reads a value that must be the one of the JSON text `expected`.
pub fn value<'de, D: Deserializer<'de>>(deserializer: D, expected: &'static str) -> Result<(), D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    if value == json(expected) {
        Ok(())
    } else {
        Err(D::Error::custom(format!("expected the literal {expected}")))
    }
}

#[cfg(test)]
#[allow(unreachable_pub, reason = "the macro writes the `pub` constant a generated type has")]
mod tests {
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Kind;
    crate::runtime::literal!(Kind, "kind");

    #[derive(Debug, PartialEq)]
    struct Pair;
    crate::runtime::literal!(Pair, json = "[1,{\"a\":null}]");

    #[test]
    fn a_string_literal_writes_its_value_and_reads_only_it() {
        assert_eq!(Kind::VALUE, "kind");
        assert_eq!(serde_json::to_value(Kind).unwrap(), json!("kind"));
        assert_eq!(serde_json::from_value::<Kind>(json!("kind")).unwrap(), Kind);
        let err = serde_json::from_value::<Kind>(json!("other")).unwrap_err().to_string();
        assert_eq!(err, "invalid value: string \"other\", expected kind");
    }

    #[test]
    fn a_json_literal_writes_its_value_and_reads_only_it() {
        assert_eq!(serde_json::to_value(Pair).unwrap(), json!([1, {"a": null}]));
        assert_eq!(serde_json::from_value::<Pair>(json!([1, {"a": null}])).unwrap(), Pair);
        let err = serde_json::from_value::<Pair>(json!([1])).unwrap_err().to_string();
        assert_eq!(err, "expected the literal [1,{\"a\":null}]");
    }
}
