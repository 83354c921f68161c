//! Lowering OpenAPI 3.1 (JSON Schema 2020-12) constructs into OpenAPI 3.0 ones on the JSON value.
//!
//! Every rewrite keeps the node where it was, so a JSON pointer into the lowered value is a
//! pointer into the original document. What 3.0 cannot say is kept in `x-oag-*` extensions, which
//! `openapiv3` preserves and the resolve stage reads (see [`ext`]).

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostics, Pointer};

/// The extensions the lowering writes and the resolve stage reads.
pub(crate) mod ext {
    /// The schema's `const` value.
    pub(crate) const CONST: &str = "x-oag-const";
    /// The schema is `type: 'null'` (or a type array of only `null`): it only admits `null`.
    pub(crate) const NULL: &str = "x-oag-null";
    /// The `allOf` of one `$ref` was written by the lowering, from a `$ref` with sibling keywords.
    pub(crate) const REF_SIBLINGS: &str = "x-oag-ref-siblings";
    /// The `anyOf` was written by the lowering, from a type array such as `[string, integer]`.
    pub(crate) const TYPE_UNION: &str = "x-oag-type-union";
    /// The schema's `examples` array.
    pub(crate) const EXAMPLES: &str = "x-oag-examples";
    /// The schema's `prefixItems` (a tuple), lowered in turn.
    pub(crate) const PREFIX_ITEMS: &str = "x-oag-prefix-items";
    /// `items: false`: no items beyond `prefixItems`.
    pub(crate) const ITEMS_FALSE: &str = "x-oag-items-false";
    /// The schema's `patternProperties`, lowered in turn.
    pub(crate) const PATTERN_PROPERTIES: &str = "x-oag-pattern-properties";
    /// The schema's `propertyNames`, lowered in turn.
    pub(crate) const PROPERTY_NAMES: &str = "x-oag-property-names";
    /// The numeric `exclusiveMinimum` or `exclusiveMaximum` of 3.1, kept for the docs.
    pub(crate) const EXCLUSIVE_MINIMUM: &str = "x-oag-exclusive-minimum";
    /// See [`EXCLUSIVE_MINIMUM`].
    pub(crate) const EXCLUSIVE_MAXIMUM: &str = "x-oag-exclusive-maximum";
    /// An integer schema's `minimum` that is no `i64` (`18446744073709551615`, `1e19`): the
    /// resolve stage picks a Rust type that holds it and documents it.
    pub(crate) const INTEGER_MINIMUM: &str = "x-oag-integer-minimum";
    /// See [`INTEGER_MINIMUM`].
    pub(crate) const INTEGER_MAXIMUM: &str = "x-oag-integer-maximum";
}

/// Keys of a non-schema object whose values are data, never OpenAPI structure.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const"];

pub(crate) fn lower_document(document: &mut Value, diagnostics: &mut Diagnostics) {
    walk(document, &Pointer::root(), Where::Root, diagnostics);
}

/// Where a node of the document is, as far as lowering cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Where {
    Root,
    Components,
    Elsewhere,
}

fn walk(value: &mut Value, pointer: &Pointer, place: Where, diagnostics: &mut Diagnostics) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key.starts_with("x-") || DATA_KEYS.contains(&key.as_str()) {
                    continue;
                }
                let child_pointer = pointer.push(key);
                if key == "schema" {
                    lower_schema(child, &child_pointer, diagnostics);
                } else if key == "schemas" && place == Where::Components {
                    if let Value::Object(schemas) = child {
                        for (name, schema) in schemas.iter_mut() {
                            lower_schema(schema, &child_pointer.push(name), diagnostics);
                        }
                    }
                } else {
                    let child_place = if place == Where::Root && key == "components" { Where::Components } else { Where::Elsewhere };
                    walk(child, &child_pointer, child_place, diagnostics);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                walk(item, &pointer.push(&index.to_string()), Where::Elsewhere, diagnostics);
            }
        }
        _ => {}
    }
}

/// Lowers one schema (and the schemas inside it).
pub(crate) fn lower_schema(schema: &mut Value, pointer: &Pointer, diagnostics: &mut Diagnostics) {
    let map = match schema {
        Value::Bool(true) => {
            *schema = Value::Object(Map::new());
            return;
        }
        Value::Bool(false) => {
            let mut map = Map::new();
            map.insert("not".to_owned(), Value::Object(Map::new()));
            *schema = Value::Object(map);
            return;
        }
        Value::Object(map) => map,
        other => {
            diagnostics.error(pointer, format!("a schema must be an object or a boolean, found {}", kind_of(other)));
            return;
        }
    };

    // `$ref` with siblings (allowed in 3.1, common as `nullable`/`description` beside `$ref` in
    // 3.0): `openapiv3` would drop the siblings, so the reference moves into an `allOf` of one.
    if map.contains_key("$ref") {
        let siblings: Vec<String> =
            map.keys().filter(|key| !matches!(key.as_str(), "$ref" | "$schema" | "$id" | "$comment")).cloned().collect();
        if siblings.is_empty() {
            return;
        }
        let reference = map.remove("$ref").unwrap_or(Value::Null);
        let mut inner = Map::new();
        inner.insert("$ref".to_owned(), reference);
        map.insert("allOf".to_owned(), Value::Array(vec![Value::Object(inner)]));
        map.insert(ext::REF_SIBLINGS.to_owned(), Value::Bool(true));
    }

    lower_children(map, pointer, diagnostics);

    // Types: `type: 'null'` and type arrays.
    match map.get("type").cloned() {
        Some(Value::String(t)) if t == "null" => {
            map.remove("type");
            mark_null(map);
        }
        Some(Value::Array(types)) => {
            let mut names = Vec::new();
            let mut nullable = false;
            for t in &types {
                match t.as_str() {
                    Some("null") => nullable = true,
                    Some(name) => names.push(name.to_owned()),
                    None => diagnostics.error(pointer.push("type"), format!("a type must be a string, found {}", kind_of(t))),
                }
            }
            map.remove("type");
            if nullable {
                map.insert("nullable".to_owned(), Value::Bool(true));
            }
            match names.len() {
                0 => mark_null(map),
                1 => {
                    map.insert("type".to_owned(), Value::String(names.remove(0)));
                }
                _ => split_type_union(map, &names),
            }
        }
        _ => {}
    }

    // Compositions with a `null` member: the parent is nullable. The member stays in place (marked
    // by `lower_schema`) so the indices, and so the pointers, of the other members do not move.
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = map.get(key) {
            if members.iter().any(is_null_marker) {
                map.insert("nullable".to_owned(), Value::Bool(true));
            }
        }
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        if values.iter().any(Value::is_null) {
            map.insert("nullable".to_owned(), Value::Bool(true));
        }
    }

    if let Some(value) = map.remove("const") {
        if !map.contains_key("type") {
            let inferred = match &value {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                Value::Number(_) => Some("number"),
                _ => None,
            };
            if let Some(inferred) = inferred {
                map.insert("type".to_owned(), Value::String(inferred.to_owned()));
            }
        }
        if value.is_null() {
            mark_null(map);
        } else {
            map.insert(ext::CONST.to_owned(), value);
        }
    }

    // An `enum` without a `type` whose values are all of one kind is of that type (common in
    // hand-written documents; `openapiv3` would otherwise see an untyped schema).
    let composed = ["allOf", "anyOf", "oneOf", "not"].iter().any(|k| map.contains_key(*k));
    if let (false, false, Some(Value::Array(values))) = (map.contains_key("type"), composed, map.get("enum")) {
        let kinds: std::collections::BTreeSet<&str> = values
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| match v {
                Value::String(_) => "string",
                Value::Bool(_) => "boolean",
                Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
                Value::Number(_) => "number",
                _ => "other",
            })
            .collect();
        if let [kind] = kinds.into_iter().collect::<Vec<_>>()[..] {
            if kind != "other" {
                map.insert("type".to_owned(), Value::String(kind.to_owned()));
            }
        }
    }

    for (key, bound, extension) in
        [("exclusiveMinimum", "minimum", ext::EXCLUSIVE_MINIMUM), ("exclusiveMaximum", "maximum", ext::EXCLUSIVE_MAXIMUM)]
    {
        if let Some(Value::Number(n)) = map.get(key).cloned() {
            map.insert(bound.to_owned(), Value::Number(n.clone()));
            map.insert(key.to_owned(), Value::Bool(true));
            map.insert(extension.to_owned(), Value::Number(n));
        }
    }

    // `openapiv3` reads an integer's bounds as `i64`: a bound beyond it (or written as a float)
    // would make it read the schema as untyped.
    if map.get("type").and_then(Value::as_str) == Some("integer") {
        for (bound, extension) in [("minimum", ext::INTEGER_MINIMUM), ("maximum", ext::INTEGER_MAXIMUM)] {
            if let Some(Value::Number(n)) = map.get(bound) {
                if !n.is_i64() {
                    let n = n.clone();
                    map.remove(bound);
                    map.insert(extension.to_owned(), Value::Number(n));
                }
            }
        }
    }

    if let Some(examples) = map.remove("examples") {
        if let Value::Array(values) = &examples {
            if let (false, Some(first)) = (map.contains_key("example"), values.first()) {
                map.insert("example".to_owned(), first.clone());
            }
        }
        map.insert(ext::EXAMPLES.to_owned(), examples);
    }

    for (key, extension) in [
        ("prefixItems", ext::PREFIX_ITEMS),
        ("patternProperties", ext::PATTERN_PROPERTIES),
        ("propertyNames", ext::PROPERTY_NAMES),
    ] {
        if let Some(value) = map.remove(key) {
            map.insert(extension.to_owned(), value);
        }
    }
    // Keywords with no bearing on the Rust types. `$defs` is dropped: a `$ref` into it is
    // reported by the resolve stage as unresolvable.
    for key in ["$defs", "definitions", "$schema", "$id", "$comment", "$anchor", "$dynamicAnchor"] {
        map.remove(key);
    }
}

fn lower_children(map: &mut Map<String, Value>, pointer: &Pointer, diagnostics: &mut Diagnostics) {
    for key in ["properties", "patternProperties", "$defs"] {
        if let Some(Value::Object(children)) = map.get_mut(key) {
            let base = pointer.push(key);
            for (name, child) in children.iter_mut() {
                lower_schema(child, &base.push(name), diagnostics);
            }
        }
    }
    for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(Value::Array(children)) = map.get_mut(key) {
            let base = pointer.push(key);
            for (index, child) in children.iter_mut().enumerate() {
                lower_schema(child, &base.push(&index.to_string()), diagnostics);
            }
        }
    }
    match map.get_mut("items") {
        Some(Value::Bool(false)) => {
            map.remove("items");
            map.insert(ext::ITEMS_FALSE.to_owned(), Value::Bool(true));
        }
        Some(Value::Array(tuple)) => {
            // Draft 4 tuple form, sometimes seen in 3.0 documents: treat as `prefixItems`.
            let base = pointer.push("items");
            for (index, child) in tuple.iter_mut().enumerate() {
                lower_schema(child, &base.push(&index.to_string()), diagnostics);
            }
            if let Some(tuple) = map.remove("items") {
                map.insert("prefixItems".to_owned(), tuple);
            }
        }
        Some(items) => lower_schema(items, &pointer.push("items"), diagnostics),
        None => {}
    }
    for key in ["not", "propertyNames"] {
        if let Some(child) = map.get_mut(key) {
            lower_schema(child, &pointer.push(key), diagnostics);
        }
    }
    if let Some(child) = map.get_mut("additionalProperties") {
        if child.is_object() {
            lower_schema(child, &pointer.push("additionalProperties"), diagnostics);
        }
    }
}

fn mark_null(map: &mut Map<String, Value>) {
    map.insert("nullable".to_owned(), Value::Bool(true));
    map.insert(ext::NULL.to_owned(), Value::Bool(true));
}

fn is_null_marker(value: &Value) -> bool {
    value.get(ext::NULL) == Some(&Value::Bool(true))
}

/// `type: [string, integer]` → `anyOf: [{type: string}, {type: integer}]`, moving each type's
/// own keywords into its member.
fn split_type_union(map: &mut Map<String, Value>, names: &[String]) {
    let own_keywords: &[(&str, &[&str])] = &[
        ("string", &["format", "pattern", "minLength", "maxLength", "enum"]),
        ("integer", &["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]),
        ("number", &["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]),
        ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
        ("object", &["properties", "required", "additionalProperties", "minProperties", "maxProperties"]),
    ];
    let mut members = Vec::new();
    for name in names {
        let mut member = Map::new();
        member.insert("type".to_owned(), Value::String(name.clone()));
        if let Some((_, keywords)) = own_keywords.iter().find(|(t, _)| t == name) {
            for keyword in keywords.iter() {
                if let Some(value) = map.get(*keyword) {
                    member.insert((*keyword).to_owned(), value.clone());
                }
            }
        }
        members.push(Value::Object(member));
    }
    for (_, keywords) in own_keywords {
        for keyword in keywords.iter() {
            map.remove(*keyword);
        }
    }
    map.insert("anyOf".to_owned(), Value::Array(members));
    map.insert(ext::TYPE_UNION.to_owned(), Value::Bool(true));
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
