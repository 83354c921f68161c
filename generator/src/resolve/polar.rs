//! The conventions of Polar's documents, in one place: the Speakeasy extensions
//! (`x-speakeasy-group`, `x-speakeasy-name-override`, `x-speakeasy-pagination`,
//! `x-speakeasy-server-id`), Polar's own `x-polar-pagination`, and what an operation's security
//! requirements say (whether it sends the token, and its scopes).
//!
//! Scopes are read from `security` as the OpenAPI specification defines them (the operation's
//! requirements, else the document's), never from description text: a document that writes its
//! scopes only in prose (Polar's "**Scopes**: ..." line) keeps that line in the docs as it is.

use openapiv3::{OpenAPI, Operation, SecurityRequirement, Server};
use serde_json::Value;

use crate::naming;

fn extension_str<'o>(extensions: &'o indexmap::IndexMap<String, Value>, key: &str) -> Option<&'o str> {
    extensions.get(key).and_then(Value::as_str)
}

/// The operation's group (Rust module-style name: `x-speakeasy-group`, else its first tag, else
/// `api`) and the name it asks for in that group, before collisions (`x-speakeasy-name-override`,
/// else the `operationId` in snake case without the group's prefix).
pub(crate) fn group_and_name(operation: &Operation, id: &str) -> (String, String) {
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
pub(crate) fn page_parameter(operation: &Operation) -> Option<String> {
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
pub(crate) fn security(operation: &Operation, doc: &OpenAPI) -> Security {
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

#[cfg(test)]
mod tests {
    /// Scopes and whether the token is sent come from `security`: the document's for an
    /// operation without its own, the operation's otherwise (an empty list: no token, no scopes);
    /// a "**Scopes**" line in a description is text, not scopes.
    #[test]
    fn scopes_come_from_security_requirements() {
        let text = include_str!("../../../tests/fixtures/security_scopes.yaml");
        let output = crate::generate(text, &crate::Settings::standalone("t", "t.yaml")).unwrap();
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
