//! Synthesizes a large OpenAPI 3.1 document of Polar's shape (FastAPI dialect): resources with
//! read/create/update schemas, nullable fields as `anyOf` with `null`, string enums, tagged
//! unions with `const` tags and mappings, untagged filters (`uuid | [uuid] | null`), paginated
//! list endpoints with `x-polar-pagination`, and 403/404/422 errors. Deterministic.

use serde_json::{json, Map, Value};

/// A document with about `schemas` component schemas and `operations` operations.
pub(crate) fn polar_like(schemas: usize, operations: usize) -> Value {
    let mut components = Map::new();
    let mut paths = Map::new();
    components.insert("HTTPValidationError".to_owned(), validation_error());
    components.insert(
        "ValidationError".to_owned(),
        json!({"type": "object", "required": ["loc", "msg", "type"], "title": "ValidationError", "properties": {
            "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "title": "Location"},
            "msg": {"type": "string", "title": "Message"}, "type": {"type": "string", "title": "Error Type"}}}),
    );
    components.insert("NotPermitted".to_owned(), error_schema("NotPermitted"));
    components.insert("ResourceNotFound".to_owned(), error_schema("ResourceNotFound"));
    components.insert("Pagination".to_owned(), json!({"type": "object", "required": ["total_count", "max_page"], "title": "Pagination",
        "properties": {"total_count": {"type": "integer", "title": "Total Count"}, "max_page": {"type": "integer", "title": "Max Page"}}}));

    // Each resource: 5 operations; Read, Create, Update, List, Status enum, a tagged union of 3
    // variants (+3), and a couple of nested objects: about 12 schemas.
    let resources = operations.div_ceil(5).max(1);
    let per_resource_schemas = schemas.saturating_sub(5) / resources;
    for r in 0..resources {
        let name = format!("Resource{r:03}");
        // Every fourth resource also carries the kinds of real documents (`KIND_SCHEMAS` more
        // schemas, taken from its budget), so the document keeps its size.
        let kinds = r % 4 == 0;
        let extra_objects = per_resource_schemas.saturating_sub(11 + if kinds { KIND_SCHEMAS } else { 0 }).max(1);
        add_resource(&mut components, &name, r, extra_objects, kinds);
        add_operations(&mut paths, &name, r);
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Synthetic Polar-like API", "version": "2026-10", "description": "Synthesized for the codegen benchmark."},
        "servers": [{"url": "https://api.example.com", "description": "Production environment"}],
        "security": [{"access_token": []}],
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {"access_token": {"type": "http", "scheme": "bearer"}}}
    })
}

/// A whole-API document as Polar publishes it: the synthesized resources (`polar_like`) with the
/// operations, schemas, tags, info, servers and security of `part` (a document of a few of
/// Polar's endpoints, such as `specs/polar-files.openapi.yaml`) in it. A filter that keeps
/// `part`'s operations gets `part` back.
#[allow(dead_code)] // used by the tests and update-spec's
pub(crate) fn polar_like_with(part: &Value, schemas: usize, operations: usize) -> Value {
    let mut doc = polar_like(schemas, operations);
    for key in ["info", "servers", "security"] {
        if let Some(value) = part.get(key) {
            doc[key] = value.clone();
        }
    }
    // Tags: one per synthesized group, and the part's, in name order.
    let mut tags: Vec<Value> = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        let mut groups: Vec<String> = paths
            .values()
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
            .filter_map(|op| op.get("tags")?.get(0)?.as_str().map(str::to_owned))
            .collect();
        groups.dedup();
        tags.extend(groups.into_iter().map(|name| json!({"name": name, "description": format!("The {name} resource.")})));
    }
    tags.extend(part.get("tags").and_then(Value::as_array).cloned().unwrap_or_default());
    tags.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    doc["tags"] = Value::Array(tags);
    // The part's paths go in the middle, as /v1/files sits among Polar's resources.
    if let (Some(Value::Object(paths)), Some(Value::Object(extra))) = (doc.get("paths").cloned(), part.get("paths")) {
        let half = paths.len() / 2;
        let mut merged = Map::new();
        for (index, (key, value)) in paths.into_iter().enumerate() {
            if index == half {
                merged.extend(extra.clone());
            }
            merged.insert(key, value);
        }
        doc["paths"] = Value::Object(merged);
    }
    // The part's components win over synthesized ones of the same name (the shared error and
    // pagination schemas).
    if let Some(Value::Object(sections)) = part.get("components") {
        for (section, entries) in sections {
            if let (Some(Value::Object(target)), Value::Object(entries)) = (doc["components"].get_mut(section), entries) {
                target.extend(entries.clone());
            } else {
                doc["components"][section] = entries.clone();
            }
        }
    }
    doc
}

fn nullable(schema: Value, title: &str) -> Value {
    json!({"anyOf": [schema, {"type": "null"}], "title": title})
}

fn validation_error() -> Value {
    json!({"type": "object", "title": "HTTPValidationError", "properties": {
        "detail": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}, "title": "Detail"}}})
}

fn error_schema(name: &str) -> Value {
    json!({"type": "object", "required": ["error", "detail"], "title": name, "properties": {
        "error": {"type": "string", "const": name, "title": "Error"}, "detail": {"type": "string", "title": "Detail"}}})
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn fields(r: usize, salt: usize) -> Map<String, Value> {
    let mut properties = Map::new();
    properties.insert("id".to_owned(), json!({"type": "string", "format": "uuid4", "title": "Id", "description": "The ID of the object."}));
    properties.insert("created_at".to_owned(), json!({"type": "string", "format": "date-time", "title": "Created At"}));
    properties.insert("modified_at".to_owned(), nullable(json!({"type": "string", "format": "date-time"}), "Modified At"));
    properties.insert("name".to_owned(), json!({"type": "string", "title": "Name", "maxLength": 256, "examples": ["An example"]}));
    properties.insert("description".to_owned(), nullable(json!({"type": "string"}), "Description"));
    properties.insert("amount".to_owned(), json!({"type": "integer", "title": "Amount", "exclusiveMinimum": 0}));
    properties.insert("ratio".to_owned(), nullable(json!({"type": "number"}), "Ratio"));
    properties.insert("is_archived".to_owned(), json!({"type": "boolean", "title": "Is Archived", "default": false}));
    properties.insert(
        "metadata".to_owned(),
        json!({"type": "object", "title": "Metadata", "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]}}),
    );
    for extra in 0..(salt % 4) {
        properties.insert(format!("extra_{r}_{extra}"), nullable(json!({"type": "string"}), "Extra"));
    }
    properties
}

fn add_resource(components: &mut Map<String, Value>, name: &str, r: usize, extra_objects: usize, with_kinds: bool) {
    let status = format!("{name}Status");
    components.insert(status.clone(), json!({"type": "string", "enum": ["draft", "active", "archived", "deleted"], "title": status}));

    // A tagged union of three variants with const tags, as Polar's benefits and files are.
    let kinds = ["alpha", "beta", "gamma"];
    let mut mapping = Map::new();
    let mut one_of = Vec::new();
    for kind in kinds {
        let variant = format!("{name}{}", kind[..1].to_uppercase() + &kind[1..]);
        let mut properties = Map::new();
        properties.insert("kind".to_owned(), json!({"type": "string", "const": kind, "title": "Kind"}));
        properties.insert("value".to_owned(), json!({"type": "string", "title": "Value"}));
        properties.insert(format!("{kind}_setting"), nullable(json!({"type": "integer"}), "Setting"));
        components.insert(variant.clone(), json!({"type": "object", "required": ["kind", "value"], "title": variant, "properties": properties}));
        mapping.insert(kind.to_owned(), json!(format!("#/components/schemas/{variant}")));
        one_of.push(reference(&variant));
    }
    let union = format!("{name}Properties");
    components.insert(union.clone(), json!({"oneOf": one_of, "discriminator": {"propertyName": "kind", "mapping": mapping}, "title": union}));

    let mut nested = Vec::new();
    for n in 0..extra_objects {
        let object = format!("{name}Detail{n}");
        let mut properties = fields(r, n);
        properties.remove("id");
        components.insert(object.clone(), json!({"type": "object", "title": object, "required": ["name", "amount"], "properties": properties}));
        nested.push(object);
    }

    let mut read = fields(r, r);
    if with_kinds {
        read.insert("kinds".to_owned(), reference(&add_real_world_kinds(components, name)));
    }
    read.insert("status".to_owned(), reference(&status));
    read.insert("properties".to_owned(), reference(&union));
    read.insert("details".to_owned(), json!({"type": "array", "items": reference(&nested[0]), "title": "Details"}));
    for (i, object) in nested.iter().enumerate().skip(1) {
        read.insert(format!("detail_{i}"), nullable(reference(object), "Detail"));
    }
    let required: Vec<&String> = read.keys().filter(|k| !k.starts_with("extra_")).collect();
    components.insert(format!("{name}Read"), json!({"type": "object", "title": format!("{name}Read"), "required": required, "properties": read}));

    let mut create = fields(r, r + 1);
    create.remove("id");
    create.remove("created_at");
    create.remove("modified_at");
    create.insert("properties".to_owned(), reference(&union));
    create.insert("organization_id".to_owned(), nullable(json!({"type": "string", "format": "uuid4"}), "Organization Id"));
    // Read-only and required: required of responses only, so not of this request body.
    create.insert("number".to_owned(), json!({"type": "integer", "readOnly": true, "title": "Number"}));
    components.insert(format!("{name}Create"), json!({"type": "object", "title": format!("{name}Create"), "required": ["name", "amount", "properties", "number"], "properties": create}));

    let update: Map<String, Value> = ["name", "description", "amount"]
        .iter()
        .map(|field| ((*field).to_owned(), nullable(json!({"type": if *field == "amount" { "integer" } else { "string" }}), field)))
        .collect();
    components.insert(format!("{name}Update"), json!({"type": "object", "title": format!("{name}Update"), "properties": update}));

    components.insert(
        format!("ListResource_{name}Read_"),
        json!({"type": "object", "required": ["items", "pagination"], "title": format!("ListResource[{name}Read]"), "properties": {
            "items": {"type": "array", "items": reference(&format!("{name}Read")), "title": "Items"},
            "pagination": reference("Pagination")}}),
    );
}

/// How many schemas [`add_real_world_kinds`] adds.
const KIND_SCHEMAS: usize = 19;

/// The kinds of real documents issue 9 lists (each has a fixture under `tests/fixtures/`), in one
/// object the resource's read schema holds; returns its name. (A response without a
/// description is an invalid document, so it has no place here.)
fn add_real_world_kinds(components: &mut Map<String, Value>, name: &str) -> String {
    let schema = |suffix: &str| format!("{name}{suffix}");
    let refer = |suffix: &str| reference(&format!("{name}{suffix}"));
    // A discriminator mapping to a discriminated oneOf: nested tagged unions.
    components.insert(schema("Event"), json!({"oneOf": [refer("SystemEvent"), refer("UserEvent")],
        "discriminator": {"propertyName": "source", "mapping": {
            "system": format!("#/components/schemas/{name}SystemEvent"), "user": format!("#/components/schemas/{name}UserEvent")}}}));
    components.insert(schema("SystemEvent"), json!({"oneOf": [refer("Started"), refer("Stopped")],
        "discriminator": {"propertyName": "name", "mapping": {
            "started": format!("#/components/schemas/{name}Started"), "stopped": format!("#/components/schemas/{name}Stopped")}}}));
    for (suffix, event) in [("Started", "started"), ("Stopped", "stopped")] {
        components.insert(schema(suffix), json!({"type": "object", "required": ["source", "name"], "properties": {
            "source": {"type": "string", "const": "system"}, "name": {"type": "string", "const": event}, "at": {"type": "string", "format": "date-time"}}}));
    }
    components.insert(schema("UserEvent"), json!({"type": "object", "required": ["source"], "properties": {
        "source": {"type": "string", "const": "user"}, "user_id": {"type": "string"}}}));
    // A discriminator on a base object whose children extend it with allOf.
    components.insert(schema("Failure"), json!({"type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        "discriminator": {"propertyName": "code", "mapping": {
            "AlreadyThere": format!("#/components/schemas/{name}AlreadyThere"), "TooBig": format!("#/components/schemas/{name}TooBig")}}}));
    components.insert(schema("AlreadyThere"), json!({"allOf": [refer("Failure"), {"type": "object", "required": ["ident"],
        "properties": {"ident": {"type": "string"}, "resource_kind": {"type": "string"}}}]}));
    components.insert(schema("TooBig"), json!({"allOf": [refer("Failure"), {"type": "object", "required": ["limit"],
        "properties": {"limit": {"type": "integer", "format": "int64"}}}]}));
    // Union members that are the same Rust type.
    components.insert(schema("V4Net"), json!({"type": "string", "pattern": "^[0-9.]+/[0-9]+$"}));
    components.insert(schema("V6Net"), json!({"type": "string", "pattern": "^[0-9a-f:]+/[0-9]+$"}));
    components.insert(schema("Net"), json!({"oneOf": [refer("V4Net"), refer("V6Net")]}));
    components.insert(schema("CustomProps"), json!({"type": "object", "properties": {}}));
    components.insert(schema("FlagProps"), json!({"type": "object", "properties": {}}));
    components.insert(schema("Props"), json!({"anyOf": [refer("CustomProps"), refer("FlagProps")]}));
    // Untagged objects that differ in optional properties.
    components.insert(schema("Rule"), json!({"anyOf": [
        {"type": "object", "required": ["id", "type"], "properties": {"id": {"type": "integer"}, "type": {"type": "string"}, "wait_timer": {"type": "integer"}}},
        {"type": "object", "required": ["id", "type"], "properties": {"id": {"type": "integer"}, "type": {"type": "string"}, "reviewers": {"type": "array", "items": {"type": "string"}}}}
    ]}));
    // A long name cut right after an underscore.
    let long = format!("Body_alpha_bravo_charlie_delta_echo_foxtrot_golf_hotel_ind_{name}_post");
    components.insert(long.clone(), json!({"type": "object", "properties": {"mode": {"type": "string", "enum": ["fast", "slow"], "default": "fast"}}}));
    // Deprecated schemas used by the crate itself.
    components.insert(schema("Old"), json!({"deprecated": true, "type": "object", "properties": {"id": {"type": "string"}}}));
    components.insert(schema("Stats"), json!({"type": "object", "properties": {"count": {"type": "integer"}}}));
    let holder = schema("Kinds");
    components.insert(holder.clone(), json!({"type": "object",
        "description": "Search semantics:\n- if `key` is given it is used as the search term for\n  titles and descriptions\n- otherwise nothing is searched",
        "properties": {
            "event": refer("Event"), "failure": refer("Failure"), "net": refer("Net"), "props": refer("Props"), "rule": refer("Rule"),
            "body": reference(&long), "old": refer("Old"),
            "mode": {"deprecated": true, "type": "string", "enum": ["a", "b"]},
            "either": {"deprecated": true, "anyOf": [refer("Old"), {"type": "integer"}]},
            // Bounds beyond i64 (a u64 size; i64's range written as floats).
            "size": {"type": "integer", "minimum": 0, "maximum": 18_446_744_073_709_551_615_u64},
            "seed": {"type": "integer", "minimum": -9.223_372_036_854_776e18, "maximum": 9.223_372_036_854_776e18},
            "per_collection": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": refer("Stats")}}},
            // Two values with one Rust name: reported as a renamed collision.
            "separator": {"type": "string", "enum": ["a-b", "a_b"]}
        }}));
    holder
}

fn errors(codes: &[u16]) -> Map<String, Value> {
    let mut out = Map::new();
    for code in codes {
        let schema = match code {
            403 => "NotPermitted",
            404 => "ResourceNotFound",
            _ => "HTTPValidationError",
        };
        out.insert(code.to_string(), json!({"description": "Error", "content": {"application/json": {"schema": reference(schema)}}}));
    }
    out
}

fn ok(code: u16, schema: Value) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert(code.to_string(), json!({"description": "Successful Response", "content": {"application/json": {"schema": schema}}}));
    out
}

fn add_operations(paths: &mut Map<String, Value>, name: &str, r: usize) {
    let group = format!("resource{r:03}");
    let base = format!("/v1/{group}/");
    let item = format!("/v1/{group}/{{id}}");
    let filter = |title: &str| {
        json!({"anyOf": [{"type": "string", "format": "uuid4"}, {"type": "array", "items": {"type": "string", "format": "uuid4"}}, {"type": "null"}], "title": title})
    };
    let id_parameter = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid4", "title": "Id"}});
    let operation = |op: &str, summary: &str, extra: Value| {
        let mut value = json!({
            "tags": [group.clone()], "summary": summary, "operationId": format!("{group}:{op}"),
            "description": format!("{summary}.\n\n**Scopes**: `{group}:read` `{group}:write`"),
            "x-speakeasy-group": group.clone(), "x-speakeasy-name-override": op,
        });
        if let (Value::Object(target), Value::Object(extra)) = (&mut value, extra) {
            target.extend(extra);
        }
        value
    };
    let mut list_responses = ok(200, reference(&format!("ListResource_{name}Read_")));
    list_responses.extend(errors(&[422]));
    let mut create_responses = ok(201, reference(&format!("{name}Read")));
    create_responses.extend(errors(&[422]));
    let mut get_responses = ok(200, reference(&format!("{name}Read")));
    get_responses.extend(errors(&[404, 422]));
    let mut update_responses = ok(200, reference(&format!("{name}Read")));
    update_responses.extend(errors(&[403, 404, 422]));
    let mut delete_responses = Map::new();
    delete_responses.insert("204".to_owned(), json!({"description": "Deleted"}));
    delete_responses.extend(errors(&[403, 404, 422]));
    paths.insert(
        base,
        json!({
            "get": operation("list", "List", json!({
                "parameters": [
                    {"name": "organization_id", "in": "query", "required": false, "schema": filter("OrganizationID Filter")},
                    {"name": "query", "in": "query", "required": false, "schema": nullable(json!({"type": "string"}), "Query")},
                    {"name": "page", "in": "query", "required": false, "schema": {"type": "integer", "exclusiveMinimum": 0, "default": 1, "title": "Page"}},
                    {"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "exclusiveMinimum": 0, "default": 10, "title": "Limit"}}
                ],
                "responses": list_responses,
                "x-polar-pagination": {"type": "page_limit", "item_schema": reference(&format!("{name}Read"))}
            })),
            "post": operation("create", "Create", json!({
                "requestBody": {"required": true, "content": {"application/json": {"schema": reference(&format!("{name}Create"))}}},
                "responses": create_responses
            }))
        }),
    );
    paths.insert(
        item,
        json!({
            "get": operation("get", "Get", json!({"parameters": [id_parameter.clone()], "responses": get_responses})),
            "patch": operation("update", "Update", json!({
                "parameters": [id_parameter.clone()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": reference(&format!("{name}Update"))}}},
                "responses": update_responses
            })),
            "delete": operation("delete", "Delete", json!({"parameters": [id_parameter], "responses": delete_responses}))
        }),
    );
}
