//! Resolve: the loaded document → the [`ir::Api`](crate::ir::Api), every `$ref` followed and every
//! Rust name decided.
//!
//! Order matters for stable names: component schemas claim their names first (sorted by key),
//! then component types are defined (sorted), then operations (document order), then webhooks.
//! Analyses that need the whole type graph (tag ownership, recursion boxing, identical inline
//! types made aliases, pagination, what unions need of other types) run last.

mod dedupe;
mod docs;
mod operation;
mod polar;
mod recursion;
mod schema;
mod unions;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::diagnostics::{Diagnostic, Diagnostics, Error, Pointer, Stage};
use crate::ir::{Api, Server, TypeDef};
use crate::load::Loaded;
use crate::naming::{self, Scope};

/// Resolves a loaded document into the IR. Warnings come back with the API.
///
/// `apart` names types (by their generated names) never made one with another the same
/// (`dedupe`): those the settings replace, so that a setting replaces what the document says it
/// names and nothing else.
pub fn resolve(loaded: &Loaded, apart: &BTreeSet<String>) -> Result<(Api, Vec<Diagnostic>), Error> {
    let arena = Arena::default();
    let mut resolver = Resolver::new(&loaded.document, &arena);
    resolver.define_components();
    let (operations, groups) = operation::resolve_operations(&mut resolver, &loaded.webhooks);
    resolver.assign_tags(&operations);
    schema::warn_renamed_setters(&resolver.types, &mut resolver.diagnostics);
    for cycle in recursion::alias_cycles(&resolver.types) {
        let pointers: Vec<String> =
            cycle.iter().map(|name| resolver.types.get(name).map_or_else(|| name.clone(), |def| def.docs.pointer.to_string())).collect();
        resolver.diagnostics.error(
            &pointers[0],
            format!(
                "cyclic schema with no data in it: {} (each is only the next, through allOf/anyOf/oneOf/items, so no Rust type can hold it)",
                pointers.join(" → ")
            ),
        );
    }
    relax_read_only(&mut resolver.types, &operations);
    recursion::box_recursive_fields(&mut resolver.types);
    name_default_functions(&mut resolver.types);
    let operations = polar::attach_pagination(&resolver.types, &mut resolver.diagnostics, operations);
    let components: BTreeSet<&str> = resolver.component_names.values().map(String::as_str).collect();
    dedupe::alias_identical_types(&mut resolver.types, &components, apart);
    let info = &loaded.document.info;
    let description = info.description.clone().or_else(|| info.extensions.get("summary").and_then(|v| v.as_str()).map(str::to_owned));
    let servers = servers(&loaded.document, &mut resolver.diagnostics);
    let warnings = resolver.diagnostics.finish(Stage::Resolve)?;
    // Planned only for a graph without errors: no cycle of aliases (reported above) is left for
    // the plan to follow.
    let unions = unions::plan(&resolver.types);
    let api = Api { title: info.title.clone(), description, version: info.version.clone(), servers, unions, types: resolver.types, operations, groups };
    Ok((api, warnings))
}

/// A schema position: a `$ref` or an inline schema.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

/// Owns schemas that live in extensions (lowered `prefixItems`, `patternProperties`), so they can
/// be borrowed for as long as the document.
#[derive(Default)]
pub(crate) struct Arena {
    schemas: typed_arena::Arena<Schema>,
    strings: typed_arena::Arena<String>,
}

pub(crate) struct Resolver<'a> {
    pub(crate) doc: &'a OpenAPI,
    pub(crate) arena: &'a Arena,
    pub(crate) diagnostics: Diagnostics,
    pub(crate) type_scope: Scope,
    /// Component schema key → Rust name.
    pub(crate) component_names: BTreeMap<String, String>,
    /// Component schema keys whose schema admits `null`.
    pub(crate) nullable_components: BTreeSet<String>,
    pub(crate) types: BTreeMap<String, TypeDef>,
    /// (variant struct's Rust name, its tag) for every variant of every tagged union.
    pub(crate) tag_owners: Vec<(String, crate::ir::StructTag)>,
    /// Inline schemas being expanded (by address) → the name their type got, so an inline schema
    /// that reaches itself (through an `allOf` that copies a recursive schema) refers to itself.
    pub(crate) expanding: BTreeMap<usize, String>,
    /// How deep inline schemas nest right now.
    pub(crate) depth: usize,
    /// `$ref`s into component schemas, typed once each.
    pub(crate) deep_refs: BTreeMap<String, schema::Shape>,
    /// Those being typed right now (a reference that reaches itself is cyclic).
    pub(crate) deep_in_progress: BTreeSet<String>,
    /// Component key → the components whose `allOf` refers to it (built on first use).
    pub(crate) allof_children: Option<BTreeMap<String, Vec<String>>>,
    /// The cycles of components that are only `$ref`s (found on first use).
    pub(crate) ref_cycles: Option<schema::RefCycles<'a>>,
}

impl<'a> Resolver<'a> {
    fn new(doc: &'a OpenAPI, arena: &'a Arena) -> Self {
        Resolver {
            doc,
            arena,
            diagnostics: Diagnostics::default(),
            type_scope: Scope::default(),
            component_names: BTreeMap::new(),
            nullable_components: BTreeSet::new(),
            types: BTreeMap::new(),
            tag_owners: Vec::new(),
            expanding: BTreeMap::new(),
            depth: 0,
            deep_refs: BTreeMap::new(),
            deep_in_progress: BTreeSet::new(),
            allof_children: None,
            ref_cycles: None,
        }
    }

    fn component_schemas(&self) -> Vec<(&'a String, &'a ReferenceOr<Schema>)> {
        let mut schemas: Vec<_> = match &self.doc.components {
            Some(components) => components.schemas.iter().collect(),
            None => Vec::new(),
        };
        schemas.sort_by(|a, b| a.0.cmp(b.0));
        schemas
    }

    fn define_components(&mut self) {
        let schemas = self.component_schemas();
        let mut claimed_by: BTreeMap<String, String> = BTreeMap::new();
        for (key, schema) in &schemas {
            let candidate = naming::type_name(key);
            let (name, renamed) = self.type_scope.claim(&candidate);
            if renamed {
                let other = claimed_by.get(&candidate).cloned().unwrap_or_default();
                self.diagnostics.warning(
                    Pointer::parse("#/components/schemas").push(key),
                    format!("the schema is named `{name}` in Rust: `{candidate}` is taken by the schema `{other}`"),
                );
            }
            claimed_by.insert(candidate, (*key).clone());
            self.component_names.insert((*key).clone(), name);
            if let ReferenceOr::Item(schema) = schema {
                if schema.schema_data.nullable {
                    self.nullable_components.insert((*key).clone());
                }
            }
        }
        for (key, schema) in schemas {
            self.define_component(key, schema);
        }
    }

    /// The component key a local `$ref` names, or an error at `pointer`.
    pub(crate) fn component_key(&mut self, reference: &str, pointer: &Pointer) -> Option<String> {
        let Some(encoded) = reference.strip_prefix("#/components/schemas/") else {
            let message = if reference.is_empty() {
                "an empty $ref (the whole document) is not a schema".to_owned()
            } else if reference.starts_with('#') {
                format!("unresolvable $ref `{reference}`: only references to #/components/schemas/... are supported")
            } else {
                format!("unresolvable $ref `{reference}`: references to other documents are not supported")
            };
            self.diagnostics.error(pointer, message);
            return None;
        };
        let key = decode_token(encoded);
        if self.component_names.contains_key(&key) {
            Some(key)
        } else {
            self.diagnostics.error(pointer, format!("unresolvable $ref `{reference}`: there is no schema `{key}`"));
            None
        }
    }

    /// The schema a component key names.
    pub(crate) fn component(&self, key: &str) -> Option<&'a ReferenceOr<Schema>> {
        self.doc.components.as_ref().and_then(|c| c.schemas.get(key))
    }

    /// After all types exist: a struct that is a tagged union's variant leaves the tag to the union.
    fn assign_tags(&mut self, operations: &[operation::Resolved]) {
        use crate::ir::{TypeKind, TypeRef};
        let owners = std::mem::take(&mut self.tag_owners);
        // A struct that is the variant of several tags (two mapping entries, or two unions) cannot
        // write one fixed tag: it keeps its tag property as a field, which it then serializes.
        let mut tags_of: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
        for (variant, tag) in &owners {
            tags_of.entry(variant).or_default().insert((&tag.property, &tag.value));
        }
        let shared: BTreeSet<String> = tags_of.into_iter().filter(|(_, tags)| tags.len() > 1).map(|(v, _)| v.to_owned()).collect();
        // Nor can a struct also used outside its union (a property, an untagged union's member, an
        // operation's body, parameter or response): there its tag property is any value its schema
        // allows, so it keeps it as a field, unless the field is the tag's very value (a `const`).
        let mut elsewhere: BTreeSet<String> = BTreeSet::new();
        for def in self.types.values().filter(|def| !matches!(def.kind, TypeKind::Tagged(_))) {
            mentioned(def, &mut elsewhere);
        }
        for ty in operations.iter().flat_map(|(op, _)| op.type_refs()) {
            ty.visit_named(&mut |name, _| {
                elsewhere.insert(name.to_owned());
            });
        }
        let is_tag_value = |types: &BTreeMap<String, TypeDef>, ty: &TypeRef, value: &str| {
            matches!(ty, TypeRef::Named(name) if matches!(types.get(name), Some(TypeDef { kind: TypeKind::Const(c), .. }) if c.as_str() == Some(value)))
        };
        let mut removed_consts = BTreeSet::new();
        for (variant, tag) in owners {
            if shared.contains(&variant) {
                continue;
            }
            if elsewhere.contains(&variant) {
                let field = match self.types.get(&variant) {
                    Some(TypeDef { kind: TypeKind::Struct(s), .. }) => s.fields.iter().find(|f| f.json_name == tag.property),
                    _ => None,
                };
                if !field.is_some_and(|f| is_tag_value(&self.types, &f.ty, &tag.value)) {
                    continue;
                }
            }
            if let Some(TypeDef { kind: crate::ir::TypeKind::Struct(s), .. }) = self.types.get_mut(&variant) {
                if let Some(index) = s.fields.iter().position(|f| f.json_name == tag.property) {
                    let field = s.fields.remove(index);
                    if let crate::ir::TypeRef::Named(name) = field.ty {
                        removed_consts.insert(name);
                    }
                    // The builder methods of the fields left, without the tag's in their way.
                    schema::name_setters(&mut s.fields);
                }
                s.tag = Some(tag);
            }
        }
        // The literal type made for a tag field is unused once the field is gone (one pass over
        // every type, not one per variant).
        if removed_consts.is_empty() {
            return;
        }
        let mut used = BTreeSet::new();
        for def in self.types.values() {
            mentioned(def, &mut used);
        }
        for name in removed_consts {
            if matches!(self.types.get(&name), Some(TypeDef { kind: crate::ir::TypeKind::Const(_), .. })) && !used.contains(&name) {
                self.types.remove(&name);
            }
        }
    }
}

/// A `readOnly` required property is required of responses only: in every type a request can
/// carry (bodies and parameters, and what they contain), it becomes optional, so a request is
/// built without it and does not send it (the mirror of `writeOnly`).
fn relax_read_only(types: &mut BTreeMap<String, TypeDef>, operations: &[operation::Resolved]) {
    use crate::ir::{Presence, TypeKind};
    let roots = operations.iter().flat_map(|(op, _)| op.body.iter().map(|b| &b.ty).chain(op.parameters.iter().map(|p| &p.ty)));
    let sent: Vec<String> = crate::ir::reachable(types, roots).into_iter().map(str::to_owned).collect();
    for name in sent {
        let Some(TypeDef { kind: TypeKind::Struct(s), .. }) = types.get_mut(&name) else { continue };
        for field in s.fields.iter_mut().filter(|f| f.read_only_required) {
            field.presence = match field.presence {
                Presence::RequiredNullable => Presence::OptionalNullable,
                _ => Presence::Optional,
            };
            field.default = None;
            field.docs.facts.push("Required in responses; left unset (and so not sent) in requests".to_owned());
        }
    }
}

/// Names the models module's default functions (`default_<struct>_<field>`) of every defaulted
/// field, in sorted order of the types, from one scope: `Ab.c_d` and `AbC.d` both suggest
/// `default_ab_c_d`, the second gets `default_ab_c_d2`.
fn name_default_functions(types: &mut BTreeMap<String, TypeDef>) {
    use crate::ir::{Presence, TypeKind};
    let mut scope = Scope::default();
    for (name, def) in types.iter_mut() {
        let TypeKind::Struct(s) = &mut def.kind else { continue };
        for field in &mut s.fields {
            field.default_function = (field.presence == Presence::Defaulted).then(|| {
                let candidate = format!("default_{}_{}", naming::value_name(name), field.rust_name.trim_start_matches("r#"));
                scope.claim(&candidate).0
            });
        }
    }
}

/// Adds every type name `def` mentions (at any depth) to `out`.
pub(crate) fn mentioned(def: &TypeDef, out: &mut BTreeSet<String>) {
    for position in def.kind.positions() {
        position.ty.visit_named(&mut |name, _| {
            out.insert(name.to_owned());
        });
    }
}

/// One reference token of a `$ref`, unescaped: percent-decoding, then `~1` → `/` and `~0` → `~`.
pub(crate) fn decode_token(token: &str) -> String {
    percent_decode(token).replace("~1", "/").replace("~0", "~")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn servers(doc: &OpenAPI, diagnostics: &mut Diagnostics) -> Vec<Server> {
    let mut scope = Scope::default();
    let mut out = Vec::new();
    for (index, server) in doc.servers.iter().enumerate() {
        let mut url = server.url.clone();
        if let Some(variables) = &server.variables {
            for (name, variable) in variables {
                url = url.replace(&format!("{{{name}}}"), &variable.default);
            }
        }
        if url.contains('{') {
            diagnostics.warning(format!("#/servers/{index}/url"), "the server URL has a variable with no default; it is left out");
            continue;
        }
        let raw_name = polar::server_id(server)
            .map(str::to_owned)
            .or_else(|| server.description.as_deref().and_then(|d| d.split_whitespace().next()).map(str::to_owned))
            .unwrap_or_else(|| format!("server {}", index + 1));
        let candidate = naming::type_name(&raw_name);
        let (name, renamed) = scope.claim(&candidate);
        if renamed {
            diagnostics.warning(format!("#/servers/{index}"), format!("the server is `Server::{name}` in Rust: `{candidate}` names another server"));
        }
        out.push(Server { name, url, description: server.description.clone() });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::ir::TypeKind;

    /// Every default function is claimed from one scope: `Ab.c_d` and `AbC.d` get distinct names.
    #[test]
    fn default_functions_get_distinct_names() {
        let output = crate::fixture("default_function_names");
        let function = |ty: &str| match &output.api.types[ty].kind {
            TypeKind::Struct(s) => s.fields[0].default_function.clone(),
            other => panic!("{ty} is no struct: {other:?}"),
        };
        assert_eq!(function("Ab").as_deref(), Some("default_ab_c_d"));
        assert_eq!(function("AbC").as_deref(), Some("default_ab_c_d2"));
        let models = &output.files.iter().find(|f| f.path == "src/models.rs").unwrap().contents;
        assert!(models.contains("fn default_ab_c_d() -> i64") && models.contains("fn default_ab_c_d2() -> i64"), "{models}");
    }
}
