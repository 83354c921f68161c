//! Documentation and limits gathered from schemas.

use openapiv3::{Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};
use serde_json::Value;

use crate::diagnostics::Pointer;
use crate::ir::{Docs, Limits};
use crate::load::ext;

/// Examples longer than this (as compact JSON) are left out of the docs.
const MAX_EXAMPLE_LEN: usize = 160;

/// Docs for a schema found at `pointer`. `name` is the Rust name it gets; a title that only
/// restates it is dropped.
pub(crate) fn schema_docs(schema: &Schema, pointer: &Pointer, name: &str) -> Docs {
    let data = &schema.schema_data;
    let title = data.title.clone().filter(|title| !restates(title, name));
    let mut docs = Docs { title, description: data.description.clone(), pointer: pointer.to_owned(), ..Docs::default() };
    docs.facts = facts(schema);
    docs.examples = examples(schema);
    docs.limits = limits(schema);
    // FastAPI's nullable fields are `anyOf: [{...}, {type: null}]`: the member says the rest.
    if let Some(member) = single_inline_member(schema) {
        if docs.description.is_none() {
            docs.description = member.schema_data.description.clone();
        }
        for fact in facts(member) {
            if !docs.facts.contains(&fact) {
                docs.facts.push(fact);
            }
        }
        if docs.examples.is_empty() {
            docs.examples = examples(member);
        }
        docs.limits = std::mem::take(&mut docs.limits).or(limits(member));
    }
    docs
}

/// The limits a schema states, as values (the same the docs' facts list).
pub(crate) fn limits(schema: &Schema) -> Limits {
    let data = &schema.schema_data;
    let number = |value: Option<f64>| value.and_then(serde_json::Number::from_f64);
    let wide = |key: &str| match data.extensions.get(key) {
        Some(Value::Number(n)) => Some(n.clone()),
        _ => None,
    };
    // 3.1's numeric `exclusiveMinimum: 0` was lowered to `minimum: 0, exclusiveMinimum: true`.
    let bound = |value: Option<serde_json::Number>, exclusive: bool| value.map(|value| (value, exclusive));
    let mut limits = Limits::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            limits.pattern = s.pattern.clone();
            limits.min_length = s.min_length;
            limits.max_length = s.max_length;
        }
        SchemaKind::Type(Type::Integer(i)) => {
            limits.minimum = bound(i.minimum.map(serde_json::Number::from).or_else(|| wide(ext::INTEGER_MINIMUM)), i.exclusive_minimum);
            limits.maximum = bound(i.maximum.map(serde_json::Number::from).or_else(|| wide(ext::INTEGER_MAXIMUM)), i.exclusive_maximum);
        }
        SchemaKind::Type(Type::Number(n)) => {
            limits.minimum = bound(number(n.minimum), n.exclusive_minimum);
            limits.maximum = bound(number(n.maximum), n.exclusive_maximum);
        }
        SchemaKind::Type(Type::Array(a)) => {
            limits.min_items = a.min_items;
            limits.max_items = a.max_items;
        }
        SchemaKind::Any(any) => {
            limits.pattern = any.pattern.clone();
            limits.min_length = any.min_length;
            limits.max_length = any.max_length;
            limits.min_items = any.min_items;
            limits.max_items = any.max_items;
            limits.minimum = bound(wide(ext::INTEGER_MINIMUM).or_else(|| number(any.minimum)), any.exclusive_minimum.unwrap_or(false));
            limits.maximum = bound(wide(ext::INTEGER_MAXIMUM).or_else(|| number(any.maximum)), any.exclusive_maximum.unwrap_or(false));
        }
        _ => {}
    }
    limits
}

/// The one inline member of an `anyOf`/`oneOf` besides `null`, if that is its shape.
fn single_inline_member(schema: &Schema) -> Option<&Schema> {
    let members = match &schema.schema_kind {
        SchemaKind::AnyOf { any_of: members } | SchemaKind::OneOf { one_of: members } => members,
        _ => return None,
    };
    let mut live = members.iter().filter(|m| {
        !matches!(m, openapiv3::ReferenceOr::Item(s) if s.schema_data.extensions.get(ext::NULL) == Some(&Value::Bool(true)))
    });
    match (live.next(), live.next()) {
        (Some(openapiv3::ReferenceOr::Item(member)), None) => Some(member),
        _ => None,
    }
}

fn restates(title: &str, name: &str) -> bool {
    let normalize = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    normalize(title) == normalize(name)
}

fn examples(schema: &Schema) -> Vec<String> {
    let data = &schema.schema_data;
    let values: Vec<Value> = match data.extensions.get(ext::EXAMPLES) {
        Some(Value::Array(values)) => values.clone(),
        _ => data.example.iter().cloned().collect(),
    };
    values
        .iter()
        .map(|v| v.to_string())
        .filter(|text| text.len() <= MAX_EXAMPLE_LEN)
        .take(3)
        .collect()
}

/// Limits and facts, one bullet each.
pub(crate) fn facts(schema: &Schema) -> Vec<String> {
    let data = &schema.schema_data;
    let mut out = Vec::new();
    let exclusive_min = data.extensions.get(ext::EXCLUSIVE_MINIMUM);
    let exclusive_max = data.extensions.get(ext::EXCLUSIVE_MAXIMUM);
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            if let VariantOrUnknownOrEmpty::Unknown(format) = &s.format {
                out.push(format!("Format: `{format}`"));
            } else if let VariantOrUnknownOrEmpty::Item(format) = &s.format {
                let format = serde_json::to_value(format).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                out.push(format!("Format: `{format}`"));
            }
            if let Some(pattern) = &s.pattern {
                out.push(format!("Pattern: `{pattern}`"));
            }
            if let Some(min) = s.min_length {
                out.push(format!("Minimum length: {min}"));
            }
            if let Some(max) = s.max_length {
                out.push(format!("Maximum length: {max}"));
            }
        }
        SchemaKind::Type(Type::Integer(i)) => {
            let wide_min = data.extensions.get(ext::INTEGER_MINIMUM).cloned();
            let wide_max = data.extensions.get(ext::INTEGER_MAXIMUM).cloned();
            bounds(&mut out, i.minimum.map(Value::from).or(wide_min), i.exclusive_minimum, exclusive_min, "Minimum");
            bounds(&mut out, i.maximum.map(Value::from).or(wide_max), i.exclusive_maximum, exclusive_max, "Maximum");
            if let Some(m) = i.multiple_of {
                out.push(format!("Multiple of: {m}"));
            }
            let values: Vec<String> = i.enumeration.iter().flatten().map(i64::to_string).collect();
            if !values.is_empty() {
                out.push(format!("One of: {}", values.join(", ")));
            }
        }
        SchemaKind::Type(Type::Number(n)) => {
            bounds(&mut out, n.minimum.and_then(|v| serde_json::Number::from_f64(v).map(Value::Number)), n.exclusive_minimum, exclusive_min, "Minimum");
            bounds(&mut out, n.maximum.and_then(|v| serde_json::Number::from_f64(v).map(Value::Number)), n.exclusive_maximum, exclusive_max, "Maximum");
            let values: Vec<String> = n.enumeration.iter().flatten().map(f64::to_string).collect();
            if !values.is_empty() {
                out.push(format!("One of: {}", values.join(", ")));
            }
        }
        SchemaKind::Type(Type::Array(a)) => {
            if let Some(min) = a.min_items {
                out.push(format!("Minimum items: {min}"));
            }
            if let Some(max) = a.max_items {
                out.push(format!("Maximum items: {max}"));
            }
            if a.unique_items {
                out.push("Items are unique".to_owned());
            }
        }
        SchemaKind::Any(any) => {
            if matches!(any.typ.as_deref(), Some("integer" | "number")) {
                let number = |v: Option<f64>| v.and_then(|v| serde_json::Number::from_f64(v).map(Value::Number));
                let wide_min = data.extensions.get(ext::INTEGER_MINIMUM).cloned().or(number(any.minimum));
                let wide_max = data.extensions.get(ext::INTEGER_MAXIMUM).cloned().or(number(any.maximum));
                bounds(&mut out, wide_min, any.exclusive_minimum.unwrap_or(false), exclusive_min, "Minimum");
                bounds(&mut out, wide_max, any.exclusive_maximum.unwrap_or(false), exclusive_max, "Maximum");
            }
            if !any.enumeration.is_empty() {
                let values: Vec<String> = any.enumeration.iter().map(Value::to_string).collect();
                out.push(format!("One of: {}", values.join(", ")));
            }
        }
        _ => {}
    }
    if let Some(pattern) = data.extensions.get(ext::PROPERTY_NAMES).and_then(|names| names.get("pattern")).and_then(Value::as_str) {
        out.push(format!("Keys match `{pattern}`"));
    }
    if let Some(Value::Object(patterns)) = data.extensions.get(ext::PATTERN_PROPERTIES) {
        let patterns: Vec<String> = patterns.keys().map(|p| format!("`{p}`")).collect();
        out.push(format!("Extra keys match {}", patterns.join(" or ")));
    }
    if let Some(default) = &data.default {
        out.push(format!("Default: `{default}`"));
    }
    if data.read_only {
        out.push("Read-only: set by the server".to_owned());
    }
    if data.write_only {
        out.push("Write-only: never returned by the server".to_owned());
    }
    out
}

fn bounds(out: &mut Vec<String>, bound: Option<Value>, exclusive: bool, lowered: Option<&Value>, label: &str) {
    if let Some(value) = lowered.cloned().or(bound) {
        let qualifier = if exclusive { " (exclusive)" } else { "" };
        out.push(format!("{label}: {value}{qualifier}"));
    }
}
