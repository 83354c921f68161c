//! JSON text → a JSON value, refusing duplicate keys (as the YAML reader does), located.
//!
//! `serde_json::Value` keeps the last of two equal keys without a word; a document that says two
//! things in one place is refused instead. Nothing is kept per node for it: the duplicate's
//! pointer is gathered as the error unwinds, each enclosing object and array adding its key or
//! index.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::diagnostics::{pointer_push, Diagnostic, Error, Stage};

/// Parses JSON text; a duplicate key is an error at its pointer, with its line and column.
pub(super) fn parse(source: &str) -> Result<Value, Error> {
    let state = RefCell::new(State::default());
    let mut deserializer = serde_json::Deserializer::from_str(source);
    let result = Node { state: &state }.deserialize(&mut deserializer).and_then(|value| deserializer.end().map(|()| value));
    result.map_err(|err| {
        let diagnostic = match state.into_inner().duplicate {
            Some(Duplicate { key, ancestors }) => {
                let pointer = ancestors.iter().rev().fold("#".to_owned(), |pointer, token| pointer_push(&pointer, token));
                Diagnostic::error(pointer_push(&pointer, &key), format!("duplicate key `{key}`: the keys of a JSON object must be unique"))
            }
            None => Diagnostic::error("#", format!("invalid JSON: {err}")),
        };
        Error::single(Stage::Load, diagnostic.at(err.line(), err.column()))
    })
}

#[derive(Default)]
struct State {
    /// The first duplicate key, once found.
    duplicate: Option<Duplicate>,
}

struct Duplicate {
    key: String,
    /// The keys and indices from its object up to the root, added as the error unwinds.
    ancestors: Vec<String>,
}

impl State {
    /// Adds the key or index of an enclosing node to the duplicate's path, if the error
    /// unwinding is the duplicate's.
    fn unwinding(&mut self, token: impl FnOnce() -> String) {
        if let Some(duplicate) = &mut self.duplicate {
            duplicate.ancestors.push(token());
        }
    }
}

#[derive(Clone, Copy)]
struct Node<'s> {
    state: &'s RefCell<State>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            match seq.next_element_seed(self) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Ok(Value::Array(items)),
                Err(err) => {
                    self.state.borrow_mut().unwinding(|| items.len().to_string());
                    return Err(err);
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                let message = format!("duplicate key `{key}`");
                self.state.borrow_mut().duplicate = Some(Duplicate { key, ancestors: Vec::new() });
                return Err(A::Error::custom(message));
            }
            match map.next_value_seed(self) {
                Ok(value) => {
                    object.insert(key, value);
                }
                Err(err) => {
                    self.state.borrow_mut().unwinding(|| key);
                    return Err(err);
                }
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_refused_where_they_are() {
        let err = parse("{\n  \"a\": {\"b\": [1, {\"c\": 1,\n \"c\": 2}]}\n}").unwrap_err();
        let diagnostic = &err.diagnostics[0];
        assert_eq!(diagnostic.pointer, "#/a/b/1/c");
        assert!(diagnostic.message.starts_with("duplicate key `c`"), "{diagnostic}");
        assert_eq!(diagnostic.location.map(|(line, _)| line), Some(3));
    }

    #[test]
    fn values_read_as_serde_json_reads_them() {
        let text = r#"{"a": [1, -2, 1.5, 18446744073709551615, true, null, "s\u00e9"], "b": {}}"#;
        let ours = parse(text).unwrap();
        let theirs: Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert!(parse("{\"a\": 1} x").is_err());
        assert!(parse("{\"a\": }").unwrap_err().diagnostics[0].message.starts_with("invalid JSON"));
    }
}
