//! JSON text → a JSON value, refusing duplicate keys (as the YAML reader does), located.
//!
//! `serde_json::Value` keeps the last of two equal keys without a word; a document that says two
//! things in one place is refused instead. The path of the node being read is kept as a stack of
//! keys, and a pointer is built only for the duplicate.

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
            Some((pointer, key)) => Diagnostic::error(pointer, format!("duplicate key `{key}`: the keys of a JSON object must be unique")),
            None => Diagnostic::error("#", format!("invalid JSON: {err}")),
        };
        Error::single(Stage::Load, diagnostic.at(err.line(), err.column()))
    })
}

#[derive(Default)]
struct State {
    /// The keys and indices from the root to the node being read.
    path: Vec<String>,
    /// The pointer of the first duplicate key's object, and the key.
    duplicate: Option<(String, String)>,
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
            self.state.borrow_mut().path.push(items.len().to_string());
            let item = seq.next_element_seed(self)?;
            self.state.borrow_mut().path.pop();
            match item {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                let mut state = self.state.borrow_mut();
                let pointer = state.path.iter().fold("#".to_owned(), |pointer, token| pointer_push(&pointer, token));
                let message = format!("duplicate key `{key}`");
                state.duplicate = Some((pointer_push(&pointer, &key), key));
                return Err(A::Error::custom(message));
            }
            self.state.borrow_mut().path.push(key.clone());
            let value = map.next_value_seed(self)?;
            self.state.borrow_mut().path.pop();
            object.insert(key, value);
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
