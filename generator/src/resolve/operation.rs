//! Operations → IR operations; webhooks → their payload types.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response as OaResponse, Schema, StatusCode,
};
use super::schema::Naming;
use super::{polar, Resolver, SchemaRef};
use crate::diagnostics::Pointer;
use crate::ir::{
    Body, BodyEncoding, Docs, Group, Method, Operation, ParameterLocation, PathSegment, PathTemplate, Primitive, QueryStyle, Response, ResponseBody,
    Status, TypeKind, TypeRef,
};
use crate::naming::{self, Scope};

/// An operation as the first pass sees it: where it is and the names it takes in its group.
struct Found<'a> {
    path: &'a str,
    template: Vec<RawSegment>,
    item: &'a PathItem,
    operation: &'a openapiv3::Operation,
    method: Method,
    pointer: Pointer,
    id: String,
    group: String,
    name: String,
    type_stem: String,
    /// The warning of a method name that had to change, reported when the operation resolves.
    renamed: Option<String>,
}

/// The client module's names of one operation's types.
#[derive(Default)]
struct ClientNames {
    builder: String,
    error: String,
    /// Only for an operation whose successes have different bodies.
    response: Option<String>,
}

/// What the client module's names of an operation's types are claimed by: its group, its method
/// name in the group, the stem of its type names, and where it is (for warnings).
struct ClientKey {
    group: String,
    name: String,
    type_stem: String,
    pointer: Pointer,
}

/// An operation resolved but for its client module's names, which are claimed once every
/// operation is known (whether it needs a success enum is known only once its responses are).
struct Unnamed<'a> {
    /// Whether its successes have different bodies, so the call returns an enum of them.
    success_enum: bool,
    /// The operation, given its names.
    build: Box<dyn FnOnce(ClientNames) -> Resolved + 'a>,
}

/// An operation resolved, with the name of its page parameter when it declares pagination
/// (checked by [`polar::attach_pagination`] once every type is final).
pub(crate) type Resolved = (Operation, Option<String>);

pub(crate) fn resolve_operations<'a>(
    resolver: &mut Resolver<'a>,
    webhooks: &'a IndexMap<String, ReferenceOr<PathItem>>,
) -> (Vec<Resolved>, Vec<Group>) {
    let doc = resolver.doc;
    // First pass, in document order: every operation and its names in its group, so the client
    // module's names are claimed (in sorted order) before any operation is built.
    let mut found = Vec::new();
    let mut ids: BTreeMap<String, Pointer> = BTreeMap::new();
    let mut method_scopes: BTreeMap<String, Scope> = BTreeMap::new();
    for (path, item) in &doc.paths.paths {
        let item_pointer = Pointer::parse("#/paths").push(path);
        let template = match parse_path_template(path) {
            Ok(template) => template,
            Err(problem) => {
                resolver.diagnostics.error(&item_pointer, format!("the path template `{}` is refused: {problem}", path.escape_debug()));
                continue;
            }
        };
        let ReferenceOr::Item(item) = item else {
            resolver.diagnostics.error(&item_pointer, "a path item $ref is not supported: inline the path item");
            continue;
        };
        for (method_name, operation) in item.iter() {
            let pointer = item_pointer.push(method_name);
            let Some(method) = parse_method(method_name) else { continue };
            if let Some(id) = &operation.operation_id {
                if let Some(first) = ids.insert(id.clone(), pointer.clone()) {
                    resolver.diagnostics.error(
                        pointer.push("operationId"),
                        format!("duplicate operationId `{id}`: also used at {first}"),
                    );
                    continue;
                }
            }
            let id = operation.operation_id.clone().unwrap_or_else(|| derived_id(method, path));
            let (group, name_raw) = polar::group_and_name(operation, &id);
            let scope = method_scopes.entry(group.clone()).or_insert_with(|| Scope::with_reserved(RESERVED_METHODS.iter().copied()));
            let (name, renamed) = scope.claim(&naming::value_name(&name_raw));
            let renamed =
                renamed.then(|| format!("the operation is named `{group}().{name}()`: the name `{name_raw}` is taken in its group"));
            let type_stem = naming::type_name(&format!("{group}_{name}"));
            found.push(Found { path, template: template.clone(), item, operation, method, pointer, id, group, name, type_stem, renamed });
        }
    }
    let keys: Vec<ClientKey> = found
        .iter()
        .map(|op| ClientKey { group: op.group.clone(), name: op.name.clone(), type_stem: op.type_stem.clone(), pointer: op.pointer.clone() })
        .collect();
    let unnamed: Vec<Unnamed<'a>> = found.into_iter().map(|op| resolve_operation(resolver, op)).collect();
    let success_enums: Vec<bool> = unnamed.iter().map(|op| op.success_enum).collect();
    let (groups, names, name_warnings) = name_client_types(resolver, &keys, &success_enums);
    let mut operations: Vec<Resolved> = unnamed.into_iter().zip(names).map(|(op, names)| (op.build)(names)).collect();
    for (name, item) in webhooks {
        let pointer = Pointer::parse("#/webhooks").push(name);
        let ReferenceOr::Item(item) = item else { continue };
        for (method_name, operation) in item.iter() {
            let body_pointer = pointer.push(method_name).push("requestBody");
            if let Some(body) = &operation.request_body {
                let hint = format!("Webhook{}Payload", naming::type_name(name));
                request_body(resolver, body, &body_pointer, &hint);
            }
        }
    }
    for (pointer, warning) in name_warnings {
        resolver.diagnostics.warning(&pointer, warning);
    }
    operations.sort_by(|a, b| (&a.0.group, &a.0.name).cmp(&(&b.0.group, &b.0.name)));
    (operations, groups)
}

/// Names the client module's types: group structs, then each operation's builder, errors and
/// (when `success_enums` says it has one) success enum, claimed in sorted order (of group, then
/// method name) from one scope. Returns the groups, each operation's names (in the order of
/// `found`) and the warnings for names that had to change.
fn name_client_types(
    resolver: &Resolver<'_>,
    found: &[ClientKey],
    success_enums: &[bool],
) -> (Vec<Group>, Vec<ClientNames>, Vec<(Pointer, String)>) {
    let mut scope = Scope::with_reserved(["Server", "DEFAULTS", "Client", "ClientBuilder", "Error"]);
    let mut warnings = Vec::new();
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by(|&a, &b| (&found[a].group, &found[a].name).cmp(&(&found[b].group, &found[b].name)));
    let mut groups: Vec<Group> = Vec::new();
    // The first tag of each Rust group name, and the groups seen: maps, so thousands of tags
    // and operations cost linear time.
    let mut tag_descriptions: BTreeMap<String, Option<String>> = BTreeMap::new();
    for tag in &resolver.doc.tags {
        tag_descriptions.entry(naming::value_name(&tag.name)).or_insert_with(|| tag.description.clone());
    }
    let mut seen = std::collections::BTreeSet::new();
    for &index in &order {
        let op = &found[index];
        if !seen.insert(op.group.clone()) {
            continue;
        }
        let description = tag_descriptions.get(&op.group).cloned().flatten();
        let candidate = naming::type_name(&op.group);
        let (type_name, renamed) = scope.claim(&candidate);
        if renamed {
            warnings.push((op.pointer.clone(), format!("the group `{}` is the type `{type_name}` in Rust: `{candidate}` is taken", op.group)));
        }
        groups.push(Group { name: op.group.clone(), type_name, description });
    }
    let mut names: Vec<ClientNames> = (0..found.len()).map(|_| ClientNames::default()).collect();
    for &index in &order {
        let op = &found[index];
        let mut claim = |candidate: String, what: &str| {
            let (name, renamed) = scope.claim(&candidate);
            if renamed {
                warnings.push((op.pointer.clone(), format!("the operation's {what} is `{name}` in Rust: `{candidate}` is taken")));
            }
            name
        };
        names[index] = ClientNames {
            builder: claim(op.type_stem.clone(), "request builder"),
            error: claim(format!("{}Error", op.type_stem), "error enum"),
            response: success_enums.get(index).copied().unwrap_or(false).then(|| claim(format!("{}Response", op.type_stem), "response enum")),
        };
    }
    (groups, names, warnings)
}

fn parse_method(method: &str) -> Option<Method> {
    Some(match method {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        "trace" => Method::Trace,
        _ => return None,
    })
}

fn resolve_operation<'a>(resolver: &mut Resolver<'a>, found: Found<'a>) -> Unnamed<'a> {
    let Found { path, template, item, operation, method, pointer, id, group, name, type_stem, renamed } = found;
    let pointer = &pointer;
    if let Some(warning) = renamed {
        resolver.diagnostics.warning(pointer, warning);
    }
    // Parameters: path-level ones, overridden by operation-level ones with the same name and place.
    let mut raw_parameters: Vec<(&'a Parameter, Pointer)> = Vec::new();
    let item_pointer = pointer.parent();
    for (index, parameter) in item.parameters.iter().enumerate() {
        let parameter_pointer = item_pointer.push("parameters").push(&index.to_string());
        if let Some(p) = lookup_parameter(resolver, parameter, &parameter_pointer) {
            raw_parameters.push(p);
        }
    }
    // (name, place) → index in `raw_parameters`: an operation-level parameter replaces the
    // path-level one (and a later one an earlier one) without a scan per parameter.
    let mut slot: BTreeMap<(String, ParameterLocation), usize> = BTreeMap::new();
    let mut kept: Vec<Option<(&'a Parameter, Pointer)>> = Vec::new();
    for entry in raw_parameters {
        let key = (entry.0.parameter_data_ref().name.clone(), location_of(entry.0));
        if let Some(old) = slot.insert(key, kept.len()) {
            kept[old] = None;
        }
        kept.push(Some(entry));
    }
    for (index, parameter) in operation.parameters.iter().enumerate() {
        let parameter_pointer = pointer.push("parameters").push(&index.to_string());
        if let Some((p, p_pointer)) = lookup_parameter(resolver, parameter, &parameter_pointer) {
            let key = (p.parameter_data_ref().name.clone(), location_of(p));
            if let Some(old) = slot.insert(key, kept.len()) {
                kept[old] = None;
            }
            kept.push(Some((p, p_pointer)));
        }
    }
    let mut raw_parameters: Vec<(&'a Parameter, Pointer)> = kept.into_iter().flatten().collect();
    let template_names: Vec<&str> = template
        .iter()
        .filter_map(|segment| match segment {
            RawSegment::Variable(name) => Some(name.as_str()),
            RawSegment::Literal(_) => None,
        })
        .collect();
    let mut parameters = Vec::new();
    let mut argument_scope = Scope::with_reserved(RESERVED_ARGUMENTS.iter().copied());
    // Path parameters first, in template order.
    let template_position: BTreeMap<&str, usize> =
        template_names.iter().enumerate().rev().map(|(index, name)| (*name, index)).collect();
    raw_parameters.sort_by_key(|(p, _)| match location_of(p) {
        ParameterLocation::Path => (0, template_position.get(p.parameter_data_ref().name.as_str()).copied().unwrap_or(usize::MAX)),
        _ => (1, 0),
    });
    for (parameter, parameter_pointer) in raw_parameters {
        let data = parameter.parameter_data_ref();
        let location = location_of(parameter);
        let (schema, schema_pointer) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => (Some(SchemaRef::from(schema)), parameter_pointer.push("schema")),
            ParameterSchemaOrContent::Content(content) => {
                let media = content.iter().next();
                let pointer = parameter_pointer.push("content");
                (media.and_then(|(_, m)| m.schema.as_ref()).map(SchemaRef::from), pointer)
            }
        };
        let hint = format!("{type_stem}{}", naming::type_name(&data.name));
        let ty = match schema {
            Some(schema) => resolver.schema_type(schema, &schema_pointer, Naming::Hint(hint)).ty,
            None => TypeRef::Primitive(Primitive::String),
        };
        if location == ParameterLocation::Path && !template_position.contains_key(data.name.as_str()) {
            resolver.diagnostics.error(&parameter_pointer, format!("the path parameter `{}` is not in the path `{path}`", data.name));
        }
        let required = data.required || location == ParameterLocation::Path;
        let explode = match parameter {
            Parameter::Query { .. } | Parameter::Cookie { .. } => data.explode.unwrap_or(true),
            _ => data.explode.unwrap_or(false),
        };
        let style = match parameter {
            Parameter::Query { style, .. } => match style {
                openapiv3::QueryStyle::Form => QueryStyle::Form,
                openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
            },
            _ => QueryStyle::Form,
        };
        let object_valued = match &ty {
            TypeRef::Map(_) | TypeRef::JsonObject => true,
            TypeRef::Named(name) => matches!(resolver.types.get(name).map(|t| &t.kind), Some(TypeKind::Struct(_) | TypeKind::Tagged(_))),
            _ => false,
        };
        if object_valued && location != ParameterLocation::Query {
            resolver.diagnostics.warning(&parameter_pointer, "an object-valued header, path or cookie parameter is sent as JSON text");
        }
        let (rust_name, renamed) = argument_scope.claim(&naming::value_name(&data.name));
        if renamed {
            resolver.diagnostics.warning(
                &parameter_pointer,
                format!("the parameter `{}` is named `{rust_name}` in Rust: another parameter (or a builder method) has its name", data.name),
            );
        }
        let docs = Docs {
            description: data.description.clone().or_else(|| match schema {
                Some(SchemaRef::Item(s)) => s.schema_data.description.clone(),
                _ => None,
            }),
            facts: match schema {
                Some(SchemaRef::Item(s)) => super::docs::facts(s),
                _ => Vec::new(),
            },
            pointer: parameter_pointer.clone(),
            ..Docs::default()
        };
        parameters.push(crate::ir::Parameter {
            name: data.name.clone(),
            rust_name,
            location,
            ty,
            required,
            explode,
            style,
            docs,
            deprecated: data.deprecated.unwrap_or(false),
        });
    }
    // The template's variables, each the path parameter of its name (an error when it has none).
    let path_parameters: BTreeMap<&str, &str> = parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Path)
        .map(|p| (p.name.as_str(), p.rust_name.as_str()))
        .collect();
    let mut segments = Vec::with_capacity(template.len());
    for segment in &template {
        match segment {
            RawSegment::Literal(text) => segments.push(PathSegment::Literal(text.clone())),
            RawSegment::Variable(name) => match path_parameters.get(name.as_str()) {
                Some(rust_name) => segments.push(PathSegment::Parameter { name: name.clone(), rust_name: (*rust_name).to_owned() }),
                None => resolver.diagnostics.error(pointer, format!("the path variable `{{{name}}}` has no path parameter")),
            },
        }
    }
    let path = PathTemplate { text: path.to_owned(), segments };

    let body = operation
        .request_body
        .as_ref()
        .and_then(|body| request_body(resolver, body, &pointer.push("requestBody"), &format!("{type_stem}Body")));

    let mut success = Vec::new();
    let mut success_bodies = SuccessBodies::new();
    let mut errors = Vec::new();
    let mut response_scope = Scope::default();
    let responses_pointer = pointer.push("responses");
    for (status, response_ref) in &operation.responses.responses {
        let response_pointer = responses_pointer.push(&status.to_string());
        let status = match status {
            StatusCode::Code(code) => Status::Code(*code),
            // openapiv3 reads one digit before `XX`.
            StatusCode::Range(digit) => Status::Range(u8::try_from(*digit).unwrap_or(u8::MAX)),
        };
        let (rust_name, _) = response_scope.claim(&status_name(status));
        let hint = if status.is_success() { format!("{type_stem}Response") } else { format!("{type_stem}{rust_name}") };
        let bodies = status.is_success().then_some(&mut success_bodies);
        let resolved = response(resolver, response_ref, &response_pointer, &hint, status, rust_name, bodies);
        if status.is_success() {
            success.push(resolved);
        } else {
            errors.push(resolved);
        }
    }
    if let Some(response_ref) = &operation.responses.default {
        let rust_name = response_scope.claim("Default").0;
        let bodies = success.is_empty().then_some(&mut success_bodies);
        let default_pointer = responses_pointer.push("default");
        let resolved = response(resolver, response_ref, &default_pointer, &format!("{type_stem}Default"), Status::Default, rust_name, bodies);
        // `default` is the success when no 2xx is documented, else an error like the others.
        if success.is_empty() {
            success.push(resolved);
        } else {
            errors.push(resolved);
        }
    }
    if success.is_empty() {
        resolver.diagnostics.warning(&responses_pointer, "no success (2xx) response is documented: the call returns ()");
    }
    let security = polar::security(operation, resolver.doc);
    let page_parameter = polar::page_parameter(operation);
    // The distinct bodies of the successes (`None` for one without): more than one kind, and
    // the call returns an enum of them.
    let mut bodies: Vec<Option<&TypeRef>> = success.iter().map(|r| r.body.as_ref().map(|b| &b.ty)).collect();
    bodies.sort();
    bodies.dedup();
    let success_enum = bodies.len() > 1;
    let pointer = pointer.to_string();
    let build = move |names: ClientNames| {
        let operation = Operation {
            id,
            group,
            name,
            type_stem,
            builder_type: names.builder,
            error_type: names.error,
            response_type: names.response,
            method,
            path,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            scopes: security.scopes,
            authenticated: security.authenticated,
            parameters,
            body,
            success,
            errors,
            pagination: None,
            pointer,
        };
        (operation, page_parameter)
    };
    Unnamed { success_enum, build: Box::new(build) }
}

/// Method names the generated request builders already use.
const RESERVED_METHODS: &[&str] = &["new", "clone", "client"];

/// Names a request builder's own fields and methods use (parameters become setters).
const RESERVED_ARGUMENTS: &[&str] = &[
    "body", "client", "options", "send", "send_with_metadata", "timeout", "retry", "pages", "items", "request", "new", "into_future", "clone", "self_",
];

fn derived_id(method: Method, path: &str) -> String {
    let mut id = method.as_str().to_lowercase();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        id.push('_');
        let segment = segment.trim_start_matches('{').trim_end_matches('}');
        id.push_str(segment);
    }
    id
}

/// A piece of a path template as written: text, or a `{variable}`.
#[derive(Clone)]
enum RawSegment {
    Literal(String),
    Variable(String),
}

/// Parses a path template the client can send safely: every request stays under the base URL
/// and means one path. Refused: dot segments (`.`, `..`, also percent-encoded), `?` and `#` (a
/// query or fragment in the path), `\` (URLs read it as `/`), control characters and line
/// breaks, and braces that are unbalanced, nested or name no parameter.
fn parse_path_template(path: &str) -> Result<Vec<RawSegment>, String> {
    if let Some(c) = path.chars().find(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')) {
        return Err(format!("it contains the control character or line break {}", c.escape_unicode()));
    }
    for (c, why) in [('?', "a query"), ('#', "a fragment"), ('\\', "a backslash, which URLs read as `/`")] {
        if path.contains(c) {
            let what = if c == '\\' { why.to_owned() } else { format!("`{c}` (it would start {why})") };
            return Err(format!("it contains {what}"));
        }
    }
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut open = false;
    for c in path.chars() {
        match c {
            '{' if open => return Err("a `{` inside a `{...}` variable (nested braces)".to_owned()),
            '{' => {
                open = true;
                if !current.is_empty() {
                    segments.push(RawSegment::Literal(std::mem::take(&mut current)));
                }
            }
            '}' if !open => return Err("a `}` without its `{`".to_owned()),
            '}' if current.is_empty() => return Err("an empty `{}` variable: a path parameter needs a name".to_owned()),
            '}' => {
                open = false;
                segments.push(RawSegment::Variable(std::mem::take(&mut current)));
            }
            _ => current.push(c),
        }
    }
    if open {
        return Err("a `{` without its `}`".to_owned());
    }
    if !current.is_empty() {
        segments.push(RawSegment::Literal(current));
    }
    for segment in path.split('/') {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        if decoded == "." || decoded == ".." {
            return Err(format!("the dot segment `{segment}` (URLs resolve dot segments: the request would go to another path)"));
        }
    }
    Ok(segments)
}

fn location_of(parameter: &Parameter) -> ParameterLocation {
    match parameter {
        Parameter::Query { .. } => ParameterLocation::Query,
        Parameter::Header { .. } => ParameterLocation::Header,
        Parameter::Path { .. } => ParameterLocation::Path,
        Parameter::Cookie { .. } => ParameterLocation::Cookie,
    }
}

fn lookup_parameter<'a>(
    resolver: &mut Resolver<'a>,
    parameter: &'a ReferenceOr<Parameter>,
    pointer: &Pointer,
) -> Option<(&'a Parameter, Pointer)> {
    local_item(resolver, parameter, "parameters", |c| &c.parameters, pointer)
}

/// The item a parameter, request body or response position holds, following a `$ref` into
/// `#/components/<section>/`, with the pointer of where it is; an unresolvable `$ref` is reported.
fn local_item<'a, T>(
    resolver: &mut Resolver<'a>,
    item: &'a ReferenceOr<T>,
    section: &str,
    items: impl FnOnce(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    pointer: &Pointer,
) -> Option<(&'a T, Pointer)> {
    let reference = match item {
        ReferenceOr::Item(item) => return Some((item, pointer.to_owned())),
        ReferenceOr::Reference { reference } => reference,
    };
    let base = Pointer::parse("#/components").push(section);
    let found = reference
        .strip_prefix(&format!("#/components/{section}/"))
        .and_then(|key| Some((key, items(resolver.doc.components.as_ref()?).get(key)?)));
    match found {
        Some((key, ReferenceOr::Item(item))) => Some((item, base.push(key))),
        _ => {
            resolver.diagnostics.error(pointer, format!("unresolvable $ref `{reference}`"));
            None
        }
    }
}

fn encoding_of(content_type: &str) -> BodyEncoding {
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        BodyEncoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if essence.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Bytes
    }
}

/// Picks the media type the client speaks best: JSON, then form, then text, then bytes.
fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    content.iter().min_by_key(|(content_type, _)| encoding_of(content_type))
}

fn request_body<'a>(
    resolver: &mut Resolver<'a>,
    body: &'a ReferenceOr<RequestBody>,
    pointer: &Pointer,
    hint: &str,
) -> Option<Body> {
    let (body, pointer) = local_item(resolver, body, "requestBodies", |c| &c.request_bodies, pointer)?;
    let (content_type, media) = pick_media(&body.content)?;
    let encoding = encoding_of(content_type);
    let schema_pointer = pointer.push("content").push(content_type).push("schema");
    if content_type.starts_with("multipart/") {
        resolver.diagnostics.warning(
            pointer.push("content").push(content_type),
            "multipart bodies are not modelled: the body is raw bytes, multipart-encoded by the caller",
        );
    }
    let ty = media_type(resolver, media, encoding, &schema_pointer, hint);
    if encoding == BodyEncoding::Form && !matches!(&ty, TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::JsonObject) {
        resolver.diagnostics.error(&schema_pointer, "a form-encoded body must be an object schema");
    }
    Some(Body {
        content_type: content_type.clone(),
        encoding,
        ty,
        required: body.required,
        docs: Docs { description: body.description.clone(), pointer, ..Docs::default() },
    })
}

fn media_type<'a>(resolver: &mut Resolver<'a>, media: &'a MediaType, encoding: BodyEncoding, pointer: &Pointer, hint: &str) -> TypeRef {
    match (encoding, &media.schema) {
        (BodyEncoding::Json | BodyEncoding::Form, Some(schema)) => {
            resolver.schema_type(SchemaRef::from(schema), pointer, Naming::Hint(hint.to_owned())).ty
        }
        (BodyEncoding::Json, None) => TypeRef::Json,
        (BodyEncoding::Form, None) => TypeRef::JsonObject,
        (BodyEncoding::Text, _) => TypeRef::Primitive(Primitive::String),
        (BodyEncoding::Bytes, _) => TypeRef::Primitive(Primitive::Bytes),
    }
}

/// The bodies of an operation's successes resolved so far: their media type, schema and type.
type SuccessBodies<'a> = Vec<(&'a str, &'a ReferenceOr<Schema>, TypeRef)>;

/// A response. A success (`earlier` holds the bodies of the successes before it) whose body has
/// the media type and schema of an earlier success's (a `201` the same inline object as the
/// `200`) has that body's type, not a copy: the call then returns it rather than an enum.
fn response<'a>(
    resolver: &mut Resolver<'a>,
    response: &'a ReferenceOr<OaResponse>,
    pointer: &Pointer,
    hint: &str,
    status: Status,
    rust_name: String,
    earlier: Option<&mut SuccessBodies<'a>>,
) -> Response {
    let (found, pointer) = match local_item(resolver, response, "responses", |c| &c.responses, pointer) {
        Some((r, pointer)) => (Some(r), pointer),
        None => (None, pointer.to_owned()),
    };
    let body = found.and_then(|r| {
        let (content_type, media) = pick_media(&r.content)?;
        let encoding = encoding_of(content_type);
        let same = |(media_type, schema, _): &&(&str, &ReferenceOr<Schema>, TypeRef)| {
            *media_type == content_type.as_str() && media.schema.as_ref() == Some(*schema)
        };
        let seen = earlier.as_deref().and_then(|bodies| bodies.iter().find(same)).map(|(_, _, ty)| ty.clone());
        let ty = match seen {
            Some(ty) => ty,
            None => {
                let schema_pointer = pointer.push("content").push(content_type).push("schema");
                let ty = media_type(resolver, media, encoding, &schema_pointer, hint);
                if let (Some(bodies), Some(schema)) = (earlier, &media.schema) {
                    bodies.push((content_type, schema, ty.clone()));
                }
                ty
            }
        };
        Some(ResponseBody { content_type: content_type.clone(), encoding, ty })
    });
    Response { status, rust_name, body, description: found.map(|r| r.description.clone()).filter(|d| !d.is_empty()) }
}

/// A variant name for a status: `NotFound` for 404, `Status499` for one without a name.
fn status_name(status: Status) -> String {
    let code = match status {
        Status::Code(code) => code,
        Status::Range(digit) => return format!("Status{digit}xx"),
        Status::Default => return "Default".to_owned(),
    };
    let name = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        206 => "PartialContent",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{code}"),
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use crate::ir::{PathSegment, Status, TypeRef};

    /// The path template is parsed once, in resolve: literal pieces and the path parameters with
    /// their Rust names; statuses are one enum.
    #[test]
    fn path_templates_and_statuses_are_parsed_in_resolve() {
        let output = crate::fixture("operations");
        let op = output.api.operations.iter().find(|op| op.path.text == "/widgets/{widget_id}/parts" && op.method == crate::ir::Method::Get).unwrap();
        assert_eq!(
            op.path.segments,
            [
                PathSegment::Literal("/widgets/".to_owned()),
                PathSegment::Parameter { name: "widget_id".to_owned(), rust_name: "widget_id".to_owned() },
                PathSegment::Literal("/parts".to_owned()),
            ]
        );
        assert_eq!(op.success.iter().map(|r| r.status).collect::<Vec<_>>(), [Status::Code(200)]);
        assert_eq!(op.errors.iter().map(|r| r.status).collect::<Vec<_>>(), [Status::Code(404), Status::Default]);
        assert_eq!(Status::Range(4).to_string(), "4XX");
        assert_eq!(Status::Range(2).codes(), Some(200..=299));
        assert!(Status::Range(2).is_success() && !Status::Default.is_success() && !Status::Code(302).is_success());
    }

    /// A success enum's name is claimed only by an operation whose successes have different
    /// bodies: `list`'s one body leaves `ApiFilesListResponse` to the operation of that name, whose
    /// successes differ (its enum's name is taken by the next operation's builder, which comes
    /// later in sorted order).
    #[test]
    fn only_an_operation_that_returns_an_enum_claims_its_name() {
        let document = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {
            "/a": {"get": {"operationId": "files:list", "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}},
                "201": {"description": "also", "content": {"application/json": {"schema": {"type": "string"}}}}}}},
            "/b": {"get": {"operationId": "files:list_response", "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}},
                "204": {"description": "none"}}}},
            "/c": {"get": {"operationId": "files:list_response_response", "responses": {"204": {"description": "none"}}}}}}"##;
        let output = crate::generate(document, &crate::Settings::standalone("t", "t.json")).unwrap();
        let names: Vec<(&str, &str, Option<&str>)> =
            output.api.operations.iter().map(|op| (op.builder_type.as_str(), op.error_type.as_str(), op.response_type.as_deref())).collect();
        assert_eq!(
            names,
            [
                ("ApiFilesList", "ApiFilesListError", None),
                ("ApiFilesListResponse", "ApiFilesListResponseError", Some("ApiFilesListResponseResponse")),
                ("ApiFilesListResponseResponse2", "ApiFilesListResponseResponseError", None),
            ]
        );
        let warnings: Vec<&str> = output.warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(warnings, ["the operation's request builder is `ApiFilesListResponseResponse2` in Rust: `ApiFilesListResponseResponse` is taken"]);
    }

    /// A success whose body is an earlier success's (the same media type and schema, written out
    /// again inline) has that body's type: one type, and the call returns it, not an enum. A body
    /// that differs in anything makes the enum.
    #[test]
    fn successes_with_one_body_written_twice_return_it() {
        let object = r#"{"type": "object", "properties": {"id": {"type": "string"}}}"#;
        let other = r#"{"type": "object", "properties": {"id": {"type": "integer"}}}"#;
        let success = |status: &str, schema: &str| {
            format!(r#""{status}": {{"description": "ok", "content": {{"application/json": {{"schema": {schema}}}}}}}"#)
        };
        let document = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": {{
                "/same": {{"post": {{"operationId": "same", "responses": {{{}, {}}}}}}},
                "/other": {{"post": {{"operationId": "other", "responses": {{{}, {}}}}}}}}}}}"#,
            success("200", object),
            success("201", object),
            success("200", object),
            success("201", other)
        );
        let output = crate::generate(&document, &crate::Settings::standalone("t", "t.json")).unwrap();
        let op = |id: &str| output.api.operations.iter().find(|op| op.id == id).unwrap();
        let bodies = |id: &str| op(id).success.iter().map(|r| r.body.as_ref().map(|b| b.ty.clone())).collect::<Vec<_>>();
        let named = |name: &str| Some(TypeRef::Named(name.to_owned()));
        assert_eq!((bodies("same"), op("same").response_type.as_deref()), (vec![named("ApiSameResponse"); 2], None));
        assert_eq!(bodies("other"), [named("ApiOtherResponse"), named("ApiOtherResponse2")]);
        assert_eq!(op("other").response_type.as_deref(), Some("ApiOtherResponse"));
        assert!(!output.api.types.contains_key("ApiSameResponse2"));
    }
}
