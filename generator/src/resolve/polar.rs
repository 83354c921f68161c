//! The conventions of Polar's documents, in one place: the Speakeasy extensions
//! (`x-speakeasy-group`, `x-speakeasy-name-override`, `x-speakeasy-pagination`,
//! `x-speakeasy-server-id`), Polar's own `x-polar-pagination` and list shape (`items`,
//! `pagination.max_page`), and what an operation's security requirements say (whether it sends
//! the token, and its scopes).
//!
//! Scopes are read from `security` as the OpenAPI specification defines them (the operation's
//! requirements, else the document's), never from description text: a document that writes its
//! scopes only in prose (Polar's "**Scopes**: ..." line) keeps that line in the docs as it is.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, SecurityRequirement, Server};
use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::ir::{Operation, Pagination, ParameterLocation, Presence, Primitive, Status, TypeDef, TypeKind, TypeRef};
use crate::naming;

fn extension_str<'o>(extensions: &'o indexmap::IndexMap<String, Value>, key: &str) -> Option<&'o str> {
    extensions.get(key).and_then(Value::as_str)
}

/// The operation's group (Rust module-style name: `x-speakeasy-group`, else its first tag, else
/// `api`) and the name it asks for in that group, before collisions (`x-speakeasy-name-override`,
/// else the `operationId` in snake case without the group's prefix).
pub(crate) fn group_and_name(operation: &openapiv3::Operation, id: &str) -> (String, String) {
    let group_raw = extension_str(&operation.extensions, "x-speakeasy-group")
        .map(str::to_owned)
        .or_else(|| operation.tags.first().cloned())
        .unwrap_or_else(|| "api".to_owned());
    let group = naming::value_name(&group_raw);
    let name = extension_str(&operation.extensions, "x-speakeasy-name-override").map(str::to_owned).unwrap_or_else(|| {
        let snake = naming::value_name(id);
        snake.strip_prefix(&format!("{group}_")).filter(|rest| !rest.is_empty()).map(str::to_owned).unwrap_or(snake)
    });
    (group, name)
}

/// The wire name of the page parameter of an operation that declares page/limit pagination
/// (`x-polar-pagination: {type: page_limit}`: `page`; `x-speakeasy-pagination` of type
/// `offsetLimit`: its input of type `page`).
pub(crate) fn page_parameter(operation: &openapiv3::Operation) -> Option<String> {
    let polar = operation.extensions.get("x-polar-pagination").and_then(|v| v.get("type")).and_then(Value::as_str);
    if polar == Some("page_limit") {
        return Some("page".to_owned());
    }
    let speakeasy = operation.extensions.get("x-speakeasy-pagination")?;
    if speakeasy.get("type").and_then(Value::as_str) != Some("offsetLimit") {
        return None;
    }
    speakeasy
        .get("inputs")
        .and_then(Value::as_array)
        .and_then(|inputs| inputs.iter().find(|i| i.get("type").and_then(Value::as_str) == Some("page")))
        .and_then(|i| i.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The name a server asks for (`x-speakeasy-server-id`), before case conversion.
pub(crate) fn server_id(server: &Server) -> Option<&str> {
    extension_str(&server.extensions, "x-speakeasy-server-id")
}

/// What an operation's security requirements say.
pub(crate) struct Security {
    /// Whether requests send the bearer token: false for no requirement (an empty `security`,
    /// or none anywhere) and for an empty requirement (`{}`: anonymous access is one option).
    pub(crate) authenticated: bool,
    /// The scopes its requirements name, each once, in document order.
    pub(crate) scopes: Vec<String>,
}

/// The operation's `security`, else the document's (OpenAPI: an operation's list replaces the
/// top-level one; an empty list removes it).
pub(crate) fn security(operation: &openapiv3::Operation, doc: &OpenAPI) -> Security {
    let requirements: &[SecurityRequirement] = match (&operation.security, &doc.security) {
        (Some(own), _) => own,
        (None, Some(document)) => document,
        (None, None) => &[],
    };
    let authenticated = !requirements.is_empty() && !requirements.iter().any(|r| r.is_empty());
    let mut seen = std::collections::BTreeSet::new();
    let scopes = requirements
        .iter()
        .flat_map(|requirement| requirement.values().flatten())
        .filter(|scope| !scope.is_empty() && seen.insert(scope.as_str()))
        .cloned()
        .collect();
    Security { authenticated, scopes }
}

/// Checks the pagination an operation declares once every type is final: the page parameter
/// must be an optional integer query parameter and the (2xx) response Polar's list shape
/// (`ListResource`: `items` and `pagination.max_page`), else the operation is not paginated
/// (with a warning).
pub(crate) fn attach_pagination(
    types: &BTreeMap<String, TypeDef>,
    diagnostics: &mut Diagnostics,
    operations: Vec<super::operation::Resolved>,
) -> Vec<Operation> {
    operations
        .into_iter()
        .map(|(mut op, page_parameter)| {
            let Some(page_parameter) = page_parameter else { return op };
            let found = (|| {
                let page = op.parameters.iter().find(|p| p.name == page_parameter && p.location == ParameterLocation::Query)?;
                if page.ty != TypeRef::Primitive(Primitive::I64) || page.required {
                    return None;
                }
                let TypeRef::Named(response) = &op.success.first().filter(|r| r.status != Status::Default)?.body.as_ref()?.ty else { return None };
                let TypeDef { kind: TypeKind::Struct(list), .. } = types.get(response)? else { return None };
                let items = list.fields.iter().find(|f| f.json_name == "items" && f.presence == Presence::Required)?;
                let TypeRef::Vec(item) = &items.ty else { return None };
                let pagination = list.fields.iter().find(|f| f.json_name == "pagination" && f.presence == Presence::Required)?;
                let TypeRef::Named(pagination_type) = &pagination.ty else { return None };
                let TypeDef { kind: TypeKind::Struct(meta), .. } = types.get(pagination_type)? else { return None };
                let max_page = meta
                    .fields
                    .iter()
                    .find(|f| f.json_name == "max_page" && f.presence == Presence::Required && f.ty == TypeRef::Primitive(Primitive::I64))?;
                Some(Pagination {
                    page_parameter: page.rust_name.clone(),
                    item: (**item).clone(),
                    items_field: items.rust_name.clone(),
                    pagination_field: pagination.rust_name.clone(),
                    max_page_field: max_page.rust_name.clone(),
                })
            })();
            if found.is_none() {
                diagnostics.warning(
                    &op.pointer,
                    "the operation is marked paginated, but has no `page` query parameter or its response no `items` and `pagination.max_page`: it is not paginated",
                );
            }
            op.pagination = found;
            op
        })
        .collect()
}

#[cfg(test)]
mod tests {
    /// Scopes and whether the token is sent come from `security`: the document's for an
    /// operation without its own, the operation's otherwise (an empty list: no token, no scopes);
    /// a "**Scopes**" line in a description is text, not scopes.
    #[test]
    fn scopes_come_from_security_requirements() {
        let output = crate::fixture("security_scopes");
        let of = |id: &str| {
            let op = output.api.operations.iter().find(|op| op.id == id).unwrap();
            (op.scopes.clone(), op.authenticated)
        };
        assert_eq!(of("listNotes"), (vec!["notes:read".to_owned()], true));
        assert_eq!(of("createNote"), (vec!["notes:write".to_owned(), "notes:read".to_owned()], true));
        assert_eq!(of("health"), (vec![], false));
        let client = &output.files.iter().find(|f| f.path == "src/client.rs").unwrap().contents;
        assert!(client.contains("/// - Scopes: `notes:write`, `notes:read`"), "{client}");
        assert!(client.contains("/// **Scopes**: `not:a:scope`"), "{client}");
    }
}
