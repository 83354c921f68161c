//! Types that are one literal value (a `const` schema, or an `enum` of one value): their serde
//! impls, written by `literal!`.

use serde::de::{Deserialize, Deserializer, Error, Unexpected};
use serde_json::{Number, Value};

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
pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// Reads a value that must be the one of the JSON text `expected`, compared as JSON Schema
/// compares a `const` (`same`: `3.0` is the literal `3`); a key given twice is an error, as in
/// every value the runtime buffers.
pub fn value<'de, D: Deserializer<'de>>(deserializer: D, expected: &'static str) -> Result<(), D::Error> {
    let value = super::buffer::read(deserializer)?;
    if same(&value, &json(expected)) {
        Ok(())
    } else {
        Err(D::Error::custom(format!("expected the literal {expected}")))
    }
}

/// Whether two values are equal as JSON Schema has it (`const`, `enum`): numbers by their
/// mathematical value (`3` and `3.0` are one), arrays item by item, objects property by property
/// in any order; anything else as `==`.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => same_number(a, b),
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b)),
        (Value::Object(a), Value::Object(b)) => a.len() == b.len() && a.iter().all(|(key, a)| b.get(key).is_some_and(|b| same(a, b))),
        _ => a == b,
    }
}

/// Integers exactly (any `i64` or `u64`); an integer and a float when the float is that integer;
/// two floats as `f64`.
fn same_number(a: &Number, b: &Number) -> bool {
    let integer = |n: &Number| n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from));
    // Compared as decimal text: exact, where a cast of either would round (`-0.0` is `0`).
    let is = |integer: i128, float: f64| {
        float.fract() == 0.0 && (float == 0.0 && integer == 0 || format!("{float:.0}") == integer.to_string())
    };
    match (integer(a), integer(b)) {
        (Some(a), Some(b)) => a == b,
        (Some(integer), None) => b.as_f64().is_some_and(|float| is(integer, float)),
        (None, Some(integer)) => a.as_f64().is_some_and(|float| is(integer, float)),
        (None, None) => a.as_f64() == b.as_f64(),
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

    #[test]
    fn numbers_are_compared_by_value() {
        use super::same;
        let same_text = |a: &str, b: &str| same(&serde_json::from_str(a).unwrap(), &serde_json::from_str(b).unwrap());
        assert!(same_text("3", "3.0") && same_text("-3.0", "-3") && same_text("0", "-0.0") && same_text("18446744073709551615", "18446744073709551615"));
        assert!(!same_text("3", "3.5") && !same_text("9007199254740993", "9007199254740992.0") && !same_text("-1", "18446744073709551615"));
        assert!(same_text(r#"{"a": 1, "b": [2.0]}"#, r#"{"b": [2], "a": 1.0}"#) && !same_text(r#"{"a": 1}"#, r#"{"a": 1, "b": 2}"#));
        assert!(!same_text("1", "true") && !same_text("\"1\"", "1"));
    }
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
        // As JSON Schema compares a `const`: numbers by value, properties in any order.
        assert_eq!(serde_json::from_str::<Pair>("[1.0, {\"a\": null}]").unwrap(), Pair);
        let err = serde_json::from_str::<Pair>("[1.5, {\"a\": null}]").unwrap_err().to_string();
        assert_eq!(err, "expected the literal [1,{\"a\":null}]");
        // Not the last of two equal keys kept, as a `serde_json::Value` would.
        let err = serde_json::from_str::<Pair>("[1, {\"a\": 2, \"a\": null}]").unwrap_err().to_string();
        assert!(err.starts_with("duplicate field `a`"), "{err}");
    }
}
