//! Filters: which operations to generate, and the closed set of components they reach.
//!
//! A filter works on the document itself (the JSON value, before the 3.1 lowering), so the same
//! code generates a filtered crate and slices a document (`cargo xtask update-spec`). It only
//! removes map entries (paths, methods, components), so every JSON pointer into what is left
//! still points into the original text.

use std::collections::{BTreeSet, VecDeque};

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;

/// Which operations to keep. Every non-empty list is a condition (an operation is kept when it
/// meets all of them); inside one list, any entry matches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Keep operations with one of these tags.
    pub tags: Vec<String>,
    /// Keep operations whose path is one of these or lies under one (`/v1/files` keeps
    /// `/v1/files/{id}`, not `/v1/filesystem`).
    pub paths: Vec<String>,
    /// Keep operations with one of these `operationId`s.
    pub operations: Vec<String>,
}

impl Filter {
    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.paths.is_empty() && self.operations.is_empty()
    }

    fn keeps(&self, path: Option<&str>, operation: &Value) -> bool {
        let tags_ok = self.tags.is_empty()
            || operation.get("tags").and_then(Value::as_array).is_some_and(|tags| {
                tags.iter().filter_map(Value::as_str).any(|tag| self.tags.iter().any(|t| t == tag))
            });
        let paths_ok = self.paths.is_empty() || path.is_some_and(|path| self.paths.iter().any(|prefix| under(path, prefix)));
        let operations_ok = self.operations.is_empty()
            || operation.get("operationId").and_then(Value::as_str).is_some_and(|id| self.operations.iter().any(|o| o == id));
        tags_ok && paths_ok && operations_ok
    }
}

fn under(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/')) || prefix.is_empty()
}

/// The HTTP methods of a path item.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The document cut down to the operations `filter` keeps and exactly the components they reach,
/// transitively (`$ref`s and discriminator mappings); security schemes are all kept. Tags that
/// no kept operation uses are dropped. Warnings name filter entries that match no operation.
///
/// This is the document `cargo xtask update-spec` writes into `specs/`.
pub fn slice(document: &Value, filter: &Filter) -> (Value, Vec<Diagnostic>) {
    cut(document, filter, true)
}

/// The same cut, keeping the `tags` array as it is (its indexes stay valid for diagnostics).
pub(crate) fn retain(document: &Value, filter: &Filter) -> (Value, Vec<Diagnostic>) {
    cut(document, filter, false)
}

fn cut(document: &Value, filter: &Filter, prune_tags: bool) -> (Value, Vec<Diagnostic>) {
    let Some(root) = document.as_object() else { return (document.clone(), Vec::new()) };
    if filter.is_empty() {
        return (document.clone(), Vec::new());
    }
    let mut kept_ops: Vec<&Value> = Vec::new();
    let mut out = Map::new();
    for (key, value) in root {
        match key.as_str() {
            "paths" => out.insert(key.clone(), Value::Object(cut_items(value, filter, true, &mut kept_ops))),
            "webhooks" => out.insert(key.clone(), Value::Object(cut_items(value, filter, false, &mut kept_ops))),
            "components" => continue,
            _ => out.insert(key.clone(), value.clone()),
        };
    }
    // Everything kept, but components, is where references start from.
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    for (key, value) in &out {
        if key != "tags" {
            collect_refs(value, &mut queue);
        }
    }
    let components = root.get("components").and_then(Value::as_object);
    let mut reached: BTreeSet<(String, String)> = BTreeSet::new();
    while let Some(target) = queue.pop_front() {
        if reached.contains(&target) {
            continue;
        }
        if let Some(node) = components.and_then(|c| c.get(&target.0)).and_then(|s| s.get(&target.1)) {
            collect_refs(node, &mut queue);
        }
        reached.insert(target);
    }
    if let Some(components) = components {
        let mut kept = Map::new();
        for (section, entries) in components {
            let Some(entries) = entries.as_object() else {
                kept.insert(section.clone(), entries.clone());
                continue;
            };
            if section == "securitySchemes" || section.starts_with("x-") {
                kept.insert(section.clone(), Value::Object(entries.clone()));
                continue;
            }
            let section_kept: Map<String, Value> = entries
                .iter()
                .filter(|(name, _)| reached.contains(&(section.clone(), (*name).clone())))
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect();
            if !section_kept.is_empty() {
                kept.insert(section.clone(), Value::Object(section_kept));
            }
        }
        // Components go where the document had them.
        let mut ordered = Map::new();
        for key in root.keys() {
            if key == "components" {
                ordered.insert(key.clone(), Value::Object(kept.clone()));
            } else if let Some(value) = out.remove(key) {
                ordered.insert(key.clone(), value);
            }
        }
        out = ordered;
    }
    let used_tags: BTreeSet<&str> =
        kept_ops.iter().filter_map(|op| op.get("tags").and_then(Value::as_array)).flatten().filter_map(Value::as_str).collect();
    if prune_tags {
        if let Some(Value::Array(tags)) = out.get_mut("tags") {
            tags.retain(|tag| tag.get("name").and_then(Value::as_str).is_some_and(|name| used_tags.contains(name)));
        }
    }
    let mut warnings = Vec::new();
    let all_ops = all_operations(root);
    for tag in &filter.tags {
        if !all_ops.iter().any(|(_, op)| filter.keeps_tag(op, tag)) {
            warnings.push(Diagnostic::warning("#/paths", format!("the filter's tag `{tag}` matches no operation")));
        }
    }
    for prefix in &filter.paths {
        if !all_ops.iter().any(|(path, _)| path.is_some_and(|p| under(p, prefix))) {
            warnings.push(Diagnostic::warning("#/paths", format!("the filter's path `{prefix}` matches no operation")));
        }
    }
    for id in &filter.operations {
        if !all_ops.iter().any(|(_, op)| op.get("operationId").and_then(Value::as_str) == Some(id)) {
            warnings.push(Diagnostic::warning("#/paths", format!("the filter's operationId `{id}` matches no operation")));
        }
    }
    if kept_ops.is_empty() {
        warnings.push(Diagnostic::warning("#/paths", "the filter keeps no operation"));
    }
    (Value::Object(out), warnings)
}

impl Filter {
    fn keeps_tag(&self, operation: &Value, tag: &str) -> bool {
        operation.get("tags").and_then(Value::as_array).is_some_and(|tags| tags.iter().any(|t| t.as_str() == Some(tag)))
    }
}

/// Every operation of `paths` and `webhooks`, with its path (none for a webhook).
fn all_operations(root: &Map<String, Value>) -> Vec<(Option<&str>, &Value)> {
    let mut out = Vec::new();
    for (section, is_path) in [("paths", true), ("webhooks", false)] {
        let Some(items) = root.get(section).and_then(Value::as_object) else { continue };
        for (name, item) in items {
            let Some(item) = item.as_object() else { continue };
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    out.push((is_path.then_some(name.as_str()), op));
                }
            }
        }
    }
    out
}

/// The path items (or webhooks) with only the kept operations; items left with none are dropped.
/// A path filter keeps no webhook (a webhook has no path).
fn cut_items<'a>(items: &'a Value, filter: &Filter, is_path: bool, kept: &mut Vec<&'a Value>) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(items) = items.as_object() else { return out };
    for (name, item) in items {
        let Some(item) = item.as_object() else { continue };
        let path = is_path.then_some(name.as_str());
        let mut new_item = Map::new();
        let mut any = false;
        for (key, value) in item {
            if METHODS.contains(&key.as_str()) {
                if filter.keeps(path, value) {
                    kept.push(value);
                    any = true;
                    new_item.insert(key.clone(), value.clone());
                }
            } else {
                new_item.insert(key.clone(), value.clone());
            }
        }
        if any {
            out.insert(name.clone(), Value::Object(new_item));
        }
    }
    out
}

/// Pushes every component a node refers to: `$ref`s and discriminator mapping values.
fn collect_refs(value: &Value, queue: &mut VecDeque<(String, String)>) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    if let Some(target) = component_of(reference) {
                        queue.push_back(target);
                    }
                }
                if let Some(mapping) = object.get("discriminator").and_then(|d| d.get("mapping")).and_then(Value::as_object) {
                    for target in mapping.values().filter_map(Value::as_str) {
                        if target.starts_with('#') {
                            if let Some(target) = component_of(target) {
                                queue.push_back(target);
                            }
                        } else {
                            // A bare name is a schema's name.
                            queue.push_back(("schemas".to_owned(), target.to_owned()));
                        }
                    }
                }
                stack.extend(object.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

/// `#/components/<section>/<name>[/...]` → (section, name).
fn component_of(reference: &str) -> Option<(String, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let mut tokens = rest.split('/');
    let section = tokens.next()?;
    let name = tokens.next()?;
    Some((crate::resolve::decode_token(section), crate::resolve::decode_token(name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "openapi": "3.1.0",
            "tags": [{"name": "files"}, {"name": "orders"}],
            "paths": {
                "/v1/files": {"get": {"tags": ["files"], "operationId": "files:list", "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}}}},
                "/v1/filesystem": {"get": {"tags": ["other"], "operationId": "fs", "responses": {}}},
                "/v1/orders": {"parameters": [{"$ref": "#/components/parameters/Limit"}], "get": {"tags": ["orders"], "operationId": "orders:list", "responses": {"200": {"$ref": "#/components/responses/Orders"}}}}
            },
            "components": {
                "schemas": {
                    "Page": {"properties": {"items": {"items": {"$ref": "#/components/schemas/File"}}}},
                    "File": {"oneOf": [{"$ref": "#/components/schemas/A"}], "discriminator": {"propertyName": "k", "mapping": {"a": "#/components/schemas/A", "b": "B"}}},
                    "A": {"properties": {"x": {"$ref": "#/components/schemas/Deep/properties/y"}}},
                    "B": {},
                    "Deep": {"properties": {"y": {}}},
                    "Order": {},
                    "Unused": {"$ref": "#/components/schemas/Order"}
                },
                "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"$ref": "#/components/schemas/Order"}}},
                "responses": {"Orders": {"description": "x"}},
                "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}
            }
        })
    }

    #[test]
    fn keeps_exactly_what_the_kept_operations_reach() {
        let filter = Filter { paths: vec!["/v1/files".into()], ..Filter::default() };
        let (sliced, warnings) = slice(&doc(), &filter);
        assert_eq!(warnings, []);
        let paths: Vec<&String> = sliced["paths"].as_object().unwrap().keys().collect();
        assert_eq!(paths, ["/v1/files"]);
        let schemas: Vec<&String> = sliced["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(schemas, ["Page", "File", "A", "B", "Deep"]);
        assert!(sliced["components"].get("parameters").is_none());
        assert!(sliced["components"].get("responses").is_none());
        assert_eq!(sliced["components"]["securitySchemes"], doc()["components"]["securitySchemes"]);
        assert_eq!(sliced["tags"], json!([{"name": "files"}]));
    }

    #[test]
    fn path_level_parameters_and_component_sections_are_followed() {
        let filter = Filter { tags: vec!["orders".into()], ..Filter::default() };
        let (sliced, _) = retain(&doc(), &filter);
        let schemas: Vec<&String> = sliced["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(schemas, ["Order"]);
        assert!(sliced["components"]["parameters"].get("Limit").is_some());
        assert!(sliced["components"]["responses"].get("Orders").is_some());
        // `retain` keeps the tags array as it is.
        assert_eq!(sliced["tags"], doc()["tags"]);
    }

    #[test]
    fn conditions_combine_and_unmatched_entries_are_reported() {
        let filter = Filter { tags: vec!["files".into(), "filez".into()], operations: vec!["orders:list".into()], paths: vec![] };
        let (sliced, warnings) = slice(&doc(), &filter);
        assert_eq!(sliced["paths"], json!({}));
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(messages, ["the filter's tag `filez` matches no operation", "the filter keeps no operation"]);
    }

    #[test]
    fn an_empty_filter_keeps_the_document() {
        assert_eq!(slice(&doc(), &Filter::default()).0, doc());
    }
}
