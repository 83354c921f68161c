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
    let mut value = parse(source)?;
    let dialect = check_version(&value)?;
    let mut diagnostics = Diagnostics::default();
    lower::lower_document(&mut value, &mut diagnostics);
    let webhooks_value = value.as_object_mut().and_then(|root| root.remove("webhooks"));
    let webhooks = match webhooks_value {
        None => IndexMap::new(),
        Some(webhooks) => match deserialize::<IndexMap<String, openapiv3::ReferenceOr<openapiv3::PathItem>>>(webhooks, "#/webhooks") {
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
    let document = match deserialize::<openapiv3::OpenAPI>(value, "#") {
        Ok(document) => Some(document),
        Err(diagnostic) => {
            // The lowering may have said it already, more precisely.
            if !diagnostics.has_error_at(&diagnostic.pointer) {
                diagnostics.push(diagnostic);
            }
            None
        }
    };
    if document.is_none() && !diagnostics.has_errors() {
        diagnostics.error("#", "the document could not be read");
    }
    let warnings = diagnostics.finish(Stage::Load)?;
    match document {
        Some(document) => Ok(Loaded { dialect, document, webhooks, warnings }),
        None => Err(Error::single(Stage::Load, Diagnostic::error("#", "the document could not be read"))),
    }
}

/// The text without the UTF-8 byte order mark some editors write first (it is no content).
pub fn strip_bom(source: &str) -> &str {
    source.strip_prefix('\u{feff}').unwrap_or(source)
}

pub(crate) fn parse(source: &str) -> Result<Value, Error> {
    let source = strip_bom(source);
    let trimmed = source.trim_start();
    if trimmed.is_empty() {
        return Err(Error::single(Stage::Load, Diagnostic::error("#", "the document is empty")));
    }
    if trimmed.starts_with('{') {
        return json::parse(source);
    }
    let value: Value = serde_yaml::from_str::<serde_yaml::Value>(source)
        .and_then(yaml_to_json)
        .map_err(|err| {
            let diagnostic = Diagnostic::error("#", format!("invalid YAML: {err}"));
            let diagnostic = match err.location() {
                Some(location) => diagnostic.at(location.line(), location.column()),
                None => diagnostic,
            };
            Error::single(Stage::Load, diagnostic)
        })?;
    Ok(value)
}

/// YAML allows keys that are not strings (`200:` is an integer); OpenAPI keys are strings.
fn yaml_to_json(value: serde_yaml::Value) -> Result<Value, serde_yaml::Error> {
    use serde::de::Error as _;
    Ok(match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| serde_yaml::Error::custom(format!("the number {n} has no JSON form")))?
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect::<Result<_, _>>()?),
        serde_yaml::Value::Mapping(mapping) => {
            let mut object = serde_json::Map::new();
            for (key, value) in mapping {
                let key = match key {
                    serde_yaml::Value::String(s) => s,
                    serde_yaml::Value::Number(n) => n.to_string(),
                    serde_yaml::Value::Bool(b) => b.to_string(),
                    serde_yaml::Value::Null => "null".to_owned(),
                    other => return Err(serde_yaml::Error::custom(format!("a mapping key must be a scalar, found {other:?}"))),
                };
                object.insert(key, yaml_to_json(value)?);
            }
            Value::Object(object)
        }
        serde_yaml::Value::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
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

fn deserialize<T: serde::de::DeserializeOwned>(value: Value, base: &str) -> Result<T, Diagnostic> {
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
