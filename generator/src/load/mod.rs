//! Load: text (YAML or JSON) → a checked OpenAPI 3.0 structure, with 3.1 constructs lowered.
//!
//! `openapiv3` models OpenAPI 3.0 only. Before it reads the document, `lower` rewrites the 3.1
//! constructs on the JSON value into 3.0 ones plus `x-oag-*` extensions that keep their meaning
//! (a `const` stays a literal, `type: 'null'` stays nullable), without moving any node, so the
//! JSON pointers computed later still point into the original document.

mod json;
mod lower;

use indexmap::IndexMap;
use serde_json::Value;

use crate::diagnostics::{pointer_push, Diagnostic, Diagnostics, Error, Stage};

pub(crate) use lower::ext;

/// Which OpenAPI version the document declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// OpenAPI 3.0.x.
    V30,
    /// OpenAPI 3.1.x.
    V31,
}

/// A document after the load stage.
#[derive(Debug)]
pub struct Loaded {
    /// The declared version.
    pub dialect: Dialect,
    /// The document as OpenAPI 3.0 structures.
    pub document: openapiv3::OpenAPI,
    /// The document's `webhooks` (3.1), by name.
    pub webhooks: IndexMap<String, openapiv3::ReferenceOr<openapiv3::PathItem>>,
    /// Problems that did not stop loading.
    pub warnings: Vec<Diagnostic>,
}

/// Parses, checks and lowers a document.
pub fn load(source: &str) -> Result<Loaded, Error> {
    let (value, dialect, diagnostics, webhooks) = prepare(source)?;
    // Read from the value itself, which frees it as it goes, so the document is never held twice
    // (as JSON values and as `openapiv3`'s structures); a document that does not read is
    // prepared again and read by reference, to find where.
    let document = match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(value) {
        Ok(document) => document,
        Err(_) => {
            let (value, _, diagnostics, _) = prepare(source)?;
            return Err(unreadable(&value, diagnostics));
        }
    };
    let warnings = diagnostics.finish(Stage::Load)?;
    Ok(Loaded { dialect, document, webhooks, warnings })
}

type Webhooks = IndexMap<String, openapiv3::ReferenceOr<openapiv3::PathItem>>;

/// The document as a JSON value ready for `openapiv3`: parsed, its version checked, lowered, its
/// responses checked, its webhooks read.
fn prepare(source: &str) -> Result<(Value, Dialect, Diagnostics, Webhooks), Error> {
    let mut value = parse(source)?;
    let dialect = check_version(&value)?;
    let mut diagnostics = Diagnostics::default();
    lower::lower_document(&mut value, &mut diagnostics);
    check_responses(&mut value, &mut diagnostics);
    let webhooks_value = value.as_object_mut().and_then(|root| root.remove("webhooks"));
    let webhooks = match webhooks_value {
        None => IndexMap::new(),
        Some(webhooks) => match deserialize::<IndexMap<String, openapiv3::ReferenceOr<openapiv3::PathItem>>>(&webhooks, "#/webhooks") {
            Ok(webhooks) => webhooks,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                IndexMap::new()
            }
        },
    };
    if let Some(root) = value.as_object_mut() {
        root.entry("paths").or_insert_with(|| Value::Object(Default::default()));
    }
    Ok((value, dialect, diagnostics, webhooks))
}

/// The errors of a prepared document `openapiv3` cannot read, each where it is.
fn unreadable(value: &Value, mut diagnostics: Diagnostics) -> Error {
    match deserialize::<openapiv3::OpenAPI>(value, "#") {
        Ok(_) => {}
        Err(diagnostic) => {
            // `openapiv3` reads maps and extensions through serde's `flatten`, which loses the
            // path: the error lands on an ancestor (`#/paths`), and only the first. Reading each
            // part on its own finds every malformed node where it is.
            let mut located = Diagnostics::default();
            locate_errors(value, &mut located);
            if located.has_errors() {
                for found in located.into_items() {
                    if !diagnostics.has_error_at(&found.pointer) {
                        diagnostics.push(found);
                    }
                }
            } else if !diagnostics.has_error_at(&diagnostic.pointer) {
                // The lowering may have said it already, more precisely.
                diagnostics.push(diagnostic);
            }
        }
    }
    if !diagnostics.has_errors() {
        diagnostics.error("#", "the document could not be read");
    }
    diagnostics.finish(Stage::Load).err().unwrap_or_else(|| Error::single(Stage::Load, Diagnostic::error("#", "the document could not be read")))
}

/// The text without the UTF-8 byte order mark some editors write first (it is no content).
pub fn strip_bom(source: &str) -> &str {
    source.strip_prefix('\u{feff}').unwrap_or(source)
}

/// The document as a JSON value, read as [`load`] reads it (YAML or JSON; YAML keys that are not
/// strings become strings, integers beyond 64 bits floats), before any check.
pub fn parse(source: &str) -> Result<Value, Error> {
    let source = strip_bom(source);
    let trimmed = source.trim_start();
    if trimmed.is_empty() {
        return Err(Error::single(Stage::Load, Diagnostic::error("#", "the document is empty")));
    }
    if trimmed.starts_with('{') {
        return json::parse(source);
    }
    let value: Value = serde::Deserializer::deserialize_any(serde_yaml::Deserializer::from_str(source), JsonFromYaml)
        .map_err(|err: serde_yaml::Error| {
            let diagnostic = Diagnostic::error("#", format!("invalid YAML: {err}"));
            let diagnostic = match err.location() {
                Some(location) => diagnostic.at(location.line(), location.column()),
                None => diagnostic,
            };
            Error::single(Stage::Load, diagnostic)
        })?;
    Ok(value)
}

/// Reads YAML straight into JSON values. YAML allows keys that are not strings (`200:` is an
/// integer); OpenAPI keys are strings. Integers beyond 64 bits (`minimum: -9223372036854776000`)
/// become floats, as a JSON parser reads them; a tag (`!foo value`) is dropped, its value kept.
struct JsonFromYaml;

impl<'de> serde::de::Visitor<'de> for JsonFromYaml {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        match (i64::try_from(v), u64::try_from(v)) {
            (Ok(i), _) => Ok(Value::from(i)),
            (_, Ok(u)) => Ok(Value::from(u)),
            _ => self.visit_f64(v as f64),
        }
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(u) => Ok(Value::from(u)),
            Err(_) => self.visit_f64(v as f64),
        }
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v).map(Value::Number).ok_or_else(|| E::custom(format!("the number {v} has no JSON form")))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(JsonFromYaml)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(JsonFromYaml)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        use serde::de::Error as _;
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key_seed(JsonFromYaml)? {
            let key = match key {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => "null".to_owned(),
                other => return Err(A::Error::custom(format!("a mapping key must be a scalar, found {other}"))),
            };
            let value = map.next_value_seed(JsonFromYaml)?;
            if object.contains_key(&key) {
                return Err(A::Error::custom(format!("duplicate key `{key}`")));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess as _;
        let (_tag, variant): (serde::de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(JsonFromYaml)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for JsonFromYaml {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(JsonFromYaml)
    }
}

/// Reads the parts of a document `openapiv3` could not read one by one (operations, their
/// parameters, bodies and responses; path items; components), reporting each that fails at the
/// deepest part that fails on its own.
fn locate_errors(document: &Value, diagnostics: &mut Diagnostics) {
    use openapiv3::{Header, Parameter, PathItem, ReferenceOr, RequestBody, Response, SecurityScheme};
    let Some(root) = document.as_object() else { return };
    for key in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = root.get(key) else { continue };
        for (name, item) in items {
            let item_pointer = pointer_push(&pointer_push("#", key), name);
            let before = diagnostics.error_count();
            if let Some(item_map) = item.as_object() {
                locate_list::<ReferenceOr<Parameter>>(item_map.get("parameters"), &pointer_push(&item_pointer, "parameters"), diagnostics);
                for method in METHODS {
                    let Some(Value::Object(operation)) = item_map.get(*method) else { continue };
                    let operation_pointer = pointer_push(&item_pointer, method);
                    let inner = diagnostics.error_count();
                    locate_list::<ReferenceOr<Parameter>>(operation.get("parameters"), &pointer_push(&operation_pointer, "parameters"), diagnostics);
                    if let Some(body) = operation.get("requestBody") {
                        locate_one::<ReferenceOr<RequestBody>>(body, &pointer_push(&operation_pointer, "requestBody"), diagnostics);
                    }
                    locate_map::<ReferenceOr<Response>>(operation.get("responses"), &pointer_push(&operation_pointer, "responses"), diagnostics);
                    if diagnostics.error_count() == inner {
                        locate_one::<openapiv3::Operation>(&Value::Object(operation.clone()), &operation_pointer, diagnostics);
                    }
                }
            }
            if diagnostics.error_count() == before {
                locate_one::<ReferenceOr<PathItem>>(item, &item_pointer, diagnostics);
            }
        }
    }
    let Some(Value::Object(components)) = root.get("components") else { return };
    let base = "#/components";
    if let Some(Value::Object(schemas)) = components.get("schemas") {
        for (name, schema) in schemas {
            locate_schema(schema, &pointer_push(&pointer_push(base, "schemas"), name), diagnostics, 0);
        }
    }
    locate_map::<ReferenceOr<Response>>(components.get("responses"), &pointer_push(base, "responses"), diagnostics);
    locate_map::<ReferenceOr<Parameter>>(components.get("parameters"), &pointer_push(base, "parameters"), diagnostics);
    locate_map::<ReferenceOr<RequestBody>>(components.get("requestBodies"), &pointer_push(base, "requestBodies"), diagnostics);
    locate_map::<ReferenceOr<Header>>(components.get("headers"), &pointer_push(base, "headers"), diagnostics);
    locate_map::<ReferenceOr<SecurityScheme>>(components.get("securitySchemes"), &pointer_push(base, "securitySchemes"), diagnostics);
}

/// Reads `value` as a `T`; on failure, reports the deepest schema inside it that fails on its
/// own (media types' and parameters' schemas, then their subschemas), or else the node itself.
fn locate_one<T: serde::de::DeserializeOwned>(value: &Value, pointer: &str, diagnostics: &mut Diagnostics) {
    if let Err(diagnostic) = deserialize::<T>(value, pointer) {
        let before = diagnostics.error_count();
        if let Some(object) = value.as_object() {
            if let Some(schema) = object.get("schema") {
                locate_schema(schema, &pointer_push(pointer, "schema"), diagnostics, 0);
            }
            if let Some(Value::Object(content)) = object.get("content") {
                for (media, item) in content {
                    if let Some(schema) = item.get("schema") {
                        let schema_pointer = pointer_push(&pointer_push(&pointer_push(pointer, "content"), media), "schema");
                        locate_schema(schema, &schema_pointer, diagnostics, 0);
                    }
                }
            }
        }
        if diagnostics.error_count() == before {
            diagnostics.push(diagnostic);
        }
    }
}

/// Reports the deepest subschemas of `schema` that fail to read on their own, or `schema`
/// itself; true if it reported anything. Bounded in depth.
fn locate_schema(schema: &Value, pointer: &str, diagnostics: &mut Diagnostics, depth: usize) -> bool {
    let Err(diagnostic) = deserialize::<openapiv3::ReferenceOr<openapiv3::Schema>>(schema, pointer) else { return false };
    let mut found = false;
    if let (Some(object), true) = (schema.as_object(), depth < 48) {
        for key in ["properties", "x-oag-pattern-properties"] {
            if let Some(Value::Object(children)) = object.get(key) {
                for (name, child) in children {
                    found |= locate_schema(child, &pointer_push(&pointer_push(pointer, key), name), diagnostics, depth + 1);
                }
            }
        }
        for key in ["allOf", "anyOf", "oneOf", "x-oag-prefix-items"] {
            if let Some(Value::Array(children)) = object.get(key) {
                for (index, child) in children.iter().enumerate() {
                    found |= locate_schema(child, &pointer_push(&pointer_push(pointer, key), &index.to_string()), diagnostics, depth + 1);
                }
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(child @ Value::Object(_)) = object.get(key) {
                found |= locate_schema(child, &pointer_push(pointer, key), diagnostics, depth + 1);
            }
        }
    }
    if !found {
        diagnostics.push(diagnostic);
    }
    true
}

fn locate_list<T: serde::de::DeserializeOwned>(value: Option<&Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    if let Some(Value::Array(items)) = value {
        for (index, item) in items.iter().enumerate() {
            locate_one::<T>(item, &pointer_push(pointer, &index.to_string()), diagnostics);
        }
    }
}

fn locate_map<T: serde::de::DeserializeOwned>(value: Option<&Value>, pointer: &str, diagnostics: &mut Diagnostics) {
    if let Some(Value::Object(items)) = value {
        for (name, item) in items {
            locate_one::<T>(item, &pointer_push(pointer, name), diagnostics);
        }
    }
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Every Response Object needs a `description`. `openapiv3` would fail on the first one without,
/// at the enclosing `paths`; this reports each at the response itself, then fills in an empty one
/// so that reading goes on and finds the document's other problems.
fn check_responses(document: &mut Value, diagnostics: &mut Diagnostics) {
    let Some(root) = document.as_object_mut() else { return };
    for key in ["paths", "webhooks"] {
        if let Some(Value::Object(items)) = root.get_mut(key) {
            for (name, item) in items.iter_mut() {
                check_path_item(item, &pointer_push(&pointer_push("#", key), name), diagnostics, 0);
            }
        }
    }
    if let Some(Value::Object(responses)) = root.get_mut("components").and_then(|c| c.get_mut("responses")) {
        for (name, response) in responses.iter_mut() {
            check_response(response, &pointer_push("#/components/responses", name), diagnostics);
        }
    }
    if let Some(Value::Object(callbacks)) = root.get_mut("components").and_then(|c| c.get_mut("callbacks")) {
        for (name, callback) in callbacks.iter_mut() {
            check_callback(callback, &pointer_push("#/components/callbacks", name), diagnostics, 0);
        }
    }
}

fn check_path_item(item: &mut Value, pointer: &str, diagnostics: &mut Diagnostics, depth: usize) {
    let Some(item) = item.as_object_mut() else { return };
    for method in METHODS {
        let Some(operation) = item.get_mut(*method).and_then(Value::as_object_mut) else { continue };
        let operation_pointer = pointer_push(pointer, method);
        if let Some(Value::Object(responses)) = operation.get_mut("responses") {
            let responses_pointer = pointer_push(&operation_pointer, "responses");
            for (status, response) in responses.iter_mut() {
                check_response(response, &pointer_push(&responses_pointer, status), diagnostics);
            }
        }
        if let Some(Value::Object(callbacks)) = operation.get_mut("callbacks") {
            let callbacks_pointer = pointer_push(&operation_pointer, "callbacks");
            for (name, callback) in callbacks.iter_mut() {
                check_callback(callback, &pointer_push(&callbacks_pointer, name), diagnostics, depth);
            }
        }
    }
}

fn check_callback(callback: &mut Value, pointer: &str, diagnostics: &mut Diagnostics, depth: usize) {
    // Callbacks nest (an operation of a callback may have callbacks): bounded, no stack overflow.
    if depth > 16 {
        return;
    }
    if let Some(expressions) = callback.as_object_mut() {
        for (expression, item) in expressions.iter_mut() {
            check_path_item(item, &pointer_push(pointer, expression), diagnostics, depth + 1);
        }
    }
}

fn check_response(response: &mut Value, pointer: &str, diagnostics: &mut Diagnostics) {
    let Some(response) = response.as_object_mut() else { return };
    if response.contains_key("$ref") {
        return;
    }
    match response.get("description") {
        Some(Value::String(_)) => {}
        Some(_) => {
            diagnostics.error(pointer_push(pointer, "description"), "a response's `description` must be a string");
            response.insert("description".to_owned(), Value::String(String::new()));
        }
        None => {
            diagnostics.error(pointer, "the response has no `description` (OpenAPI requires one)");
            response.insert("description".to_owned(), Value::String(String::new()));
        }
    }
}

fn check_version(value: &Value) -> Result<Dialect, Error> {
    let fail = |pointer: &str, message: String| Err(Error::single(Stage::Load, Diagnostic::error(pointer, message)));
    let Some(root) = value.as_object() else {
        return fail("#", "the document must be an object".to_owned());
    };
    if let Some(swagger) = root.get("swagger") {
        return fail(
            "#/swagger",
            format!("Swagger {} documents are not supported: convert it to OpenAPI 3 first", display_scalar(swagger)),
        );
    }
    match root.get("openapi") {
        None => fail("#", "not an OpenAPI document: there is no `openapi` version field".to_owned()),
        Some(Value::String(version)) if version.starts_with("3.0.") || version == "3.0" => Ok(Dialect::V30),
        Some(Value::String(version)) if version.starts_with("3.1.") || version == "3.1" => Ok(Dialect::V31),
        Some(other) => fail(
            "#/openapi",
            format!("unsupported OpenAPI version {}: this generator reads 3.0.x and 3.1.x", display_scalar(other)),
        ),
    }
}

fn display_scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn deserialize<T: serde::de::DeserializeOwned>(value: &Value, base: &str) -> Result<T, Diagnostic> {
    // Tracking the path costs on every node; it is needed only to say where a read failed, so a
    // failed read is done again with it.
    if let Ok(read) = <T as serde::Deserialize>::deserialize(value) {
        return Ok(read);
    }
    serde_path_to_error::deserialize::<_, T>(value).map_err(|err| {
        let mut pointer = base.to_owned();
        for segment in err.path().iter() {
            pointer = match segment {
                serde_path_to_error::Segment::Seq { index } => pointer_push(&pointer, &index.to_string()),
                serde_path_to_error::Segment::Map { key } => pointer_push(&pointer, key),
                serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => pointer,
            };
        }
        Diagnostic::error(pointer, format!("not a valid OpenAPI object: {}", err.inner()))
    })
}
