//! Schemas → types.

use indexmap::{IndexMap, IndexSet};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::docs::schema_docs;
use super::{Resolver, SchemaRef};
use crate::diagnostics::Pointer;
use crate::ir::{
    AdditionalField, Check, Docs, EnumVariant, IntegerValue, Field, Presence, Primitive, StringEnum, Struct, StructTag, Tagged, TaggedVariant, TypeDef, TypeKind, TypeRef,
    Untagged, UntaggedVariant,
};
use crate::load::ext;
use crate::naming::{self, Scope};

/// What a schema position resolves to.
#[derive(Clone, Debug)]
pub(crate) struct Shape {
    pub(crate) ty: TypeRef,
    pub(crate) nullable: bool,
}

/// How to name a type the schema needs.
#[derive(Clone, Debug)]
pub(crate) enum Naming {
    /// A component: this exact (already claimed) name.
    Exact(String),
    /// An inline schema: claim this name, or a free variant of it.
    Hint(String),
}

impl Naming {
    fn stem(&self) -> &str {
        match self {
            Naming::Exact(name) | Naming::Hint(name) => name,
        }
    }
}

/// The properties of an object schema, gathered through `allOf` and `$ref`s.
#[derive(Default)]
struct ObjectParts<'a> {
    properties: IndexMap<String, (SchemaRef<'a>, Pointer)>,
    /// In document order, each once (a set, so a long `required` list costs linear time).
    required: IndexSet<String>,
    additional: Option<(&'a AdditionalProperties, Pointer)>,
}

/// The cycles of components that are only `$ref`s (`A: $ref B`, `B: $ref A`).
#[derive(Debug, Default)]
pub(crate) struct RefCycles<'a> {
    /// Each cycle's components, in the order the `$ref`s go.
    cycles: Vec<Vec<&'a str>>,
    /// Each component on a cycle: which cycle, and its place on it.
    members: std::collections::HashMap<&'a str, (usize, usize)>,
}

impl<'a> Resolver<'a> {
    pub(crate) fn define_component(&mut self, key: &str, schema: &'a ReferenceOr<Schema>) {
        let pointer = Pointer::parse("#/components/schemas").push(key);
        let Some(name) = self.component_names.get(key).cloned() else { return };
        match schema {
            ReferenceOr::Reference { reference } => {
                if let Some(cycle) = self.reference_cycle(key) {
                    self.diagnostics.error(&pointer, format!("cyclic $ref: {}", cycle.join(" → ")));
                    return;
                }
                let shape = self.schema_type(SchemaRef::Ref(reference), &pointer, Naming::Hint(name.clone()));
                let docs = Docs { pointer: pointer.clone(), ..Docs::default() };
                self.types.insert(name.clone(), TypeDef { name, docs, deprecated: false, kind: TypeKind::Alias(shape.ty) });
            }
            ReferenceOr::Item(schema) => {
                if self.inheritance_union(key, schema, &pointer, &name) {
                    return;
                }
                let shape = self.inline_type(schema, &pointer, Naming::Exact(name.clone()));
                if !self.types.contains_key(&name) {
                    let docs = schema_docs(schema, &pointer, &name);
                    let deprecated = schema.schema_data.deprecated;
                    self.types.insert(name.clone(), TypeDef { name, docs, deprecated, kind: TypeKind::Alias(shape.ty) });
                }
            }
        }
    }

    /// The component a component that is only a `$ref` (or one `$ref` beside `null`s) names.
    fn next_in_ref_chain(&self, key: &str) -> Option<&'a str> {
        let reference = match self.component(key)? {
            ReferenceOr::Reference { reference } => reference.as_str(),
            ReferenceOr::Item(schema) => single_ref(schema)?,
        };
        reference.strip_prefix("#/components/schemas/")
    }

    /// The cycle of components that are only `$ref`s a component is on, from it back to it (its
    /// pointers); `None` when its chain of `$ref`s ends. Every chain is followed once, for all
    /// components on first use: a chain of n components costs n steps, not n for each of them.
    fn reference_cycle(&mut self, start: &str) -> Option<Vec<String>> {
        if self.ref_cycles.is_none() {
            self.ref_cycles = Some(self.find_ref_cycles());
        }
        let cycles = self.ref_cycles.as_ref()?;
        let &(index, position) = cycles.members.get(start)?;
        let cycle = cycles.cycles.get(index)?;
        // A long cycle is named by its first components and its length, so that each of its
        // components' errors stays short.
        const SHOWN: usize = 16;
        let pointer = |key: &str| format!("#/components/schemas/{key}");
        let mut chain: Vec<String> = cycle[position..].iter().chain(&cycle[..position]).take(SHOWN).map(|key| pointer(key)).collect();
        if cycle.len() > SHOWN {
            chain.push(format!("… ({} components in all)", cycle.len()));
        }
        chain.push(pointer(start));
        Some(chain)
    }

    /// The cycles of the graph in which each component names at most one other
    /// ([`Self::next_in_ref_chain`]): each component is walked once.
    fn find_ref_cycles(&self) -> RefCycles<'a> {
        let keys: Vec<&'a str> = self.doc.components.iter().flat_map(|c| c.schemas.keys()).map(String::as_str).collect();
        let mut cycles = RefCycles::default();
        // A component's place on the walk now, or `None` once a walk is done with it.
        let mut seen: std::collections::HashMap<&'a str, Option<usize>> = std::collections::HashMap::new();
        for key in keys {
            let mut path: Vec<&'a str> = Vec::new();
            let mut next = Some(key);
            while let Some(current) = next {
                match seen.get(current) {
                    Some(None) => break,
                    Some(Some(start)) => {
                        let cycle: Vec<&'a str> = path[*start..].to_vec();
                        for (position, member) in cycle.iter().enumerate() {
                            cycles.members.insert(member, (cycles.cycles.len(), position));
                        }
                        cycles.cycles.push(cycle);
                        break;
                    }
                    None => {}
                }
                seen.insert(current, Some(path.len()));
                path.push(current);
                next = self.next_in_ref_chain(current);
            }
            for member in path {
                seen.insert(member, None);
            }
        }
        cycles
    }

    /// The type of a schema position.
    pub(crate) fn schema_type(&mut self, schema: SchemaRef<'a>, pointer: &Pointer, naming: Naming) -> Shape {
        match schema {
            SchemaRef::Ref(reference) if is_deep_ref(reference) => self.deep_ref(reference, pointer),
            SchemaRef::Ref(reference) => match self.component_key(reference, pointer) {
                Some(key) => {
                    let name = self.component_names.get(&key).cloned().unwrap_or_default();
                    Shape { ty: TypeRef::Named(name), nullable: self.nullable_components.contains(&key) }
                }
                None => Shape { ty: TypeRef::Json, nullable: false },
            },
            SchemaRef::Item(schema) => self.inline_type(schema, pointer, naming),
        }
    }

    pub(crate) fn inline_type(&mut self, schema: &'a Schema, pointer: &Pointer, naming: Naming) -> Shape {
        if let Some(name) = self.expanding.get(&address(schema)) {
            return Shape { ty: TypeRef::Named(name.clone()), nullable: schema.schema_data.nullable };
        }
        if self.depth >= MAX_DEPTH {
            self.diagnostics.error(pointer, format!("schemas nest more than {MAX_DEPTH} levels deep here"));
            return Shape { ty: TypeRef::Json, nullable: false };
        }
        self.depth += 1;
        let shape = self.inline_type_inner(schema, pointer, naming);
        self.depth -= 1;
        if let Some(default) = &schema.schema_data.default {
            if let Some(problem) = self.default_problem(&shape.ty, default) {
                self.diagnostics.warning(
                    pointer.push("default"),
                    format!("the default {} does not fit the type: {problem}; it is only documented, no default is generated", short_json(default)),
                );
            }
        }
        shape
    }

    fn inline_type_inner(&mut self, schema: &'a Schema, pointer: &Pointer, naming: Naming) -> Shape {
        let data = &schema.schema_data;
        // A `$ref` with siblings (lowered to a one-member `allOf`): the siblings annotate the
        // reference (title, description, nullable, even a repeated `type`); it is the referenced type.
        if data.extensions.contains_key(ext::REF_SIBLINGS) {
            let target = match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => all_of.first(),
                SchemaKind::Any(any) => any.all_of.first(),
                _ => None,
            };
            if let Some(target) = target {
                let shape = self.schema_type(SchemaRef::from(target), pointer, naming);
                return Shape { ty: shape.ty, nullable: data.nullable || shape.nullable };
            }
        }
        let nullable = data.nullable;
        if data.extensions.get(ext::NULL) == Some(&Value::Bool(true)) {
            return Shape { ty: TypeRef::Json, nullable: true };
        }
        if let Some(value) = data.extensions.get(ext::CONST) {
            let name = self.claim(naming);
            let docs = schema_docs(schema, pointer, &name);
            self.insert(name.clone(), docs, data.deprecated, TypeKind::Const(value.clone()));
            return Shape { ty: TypeRef::Named(name), nullable };
        }
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<&String> = s.enumeration.iter().flatten().collect();
                if values.is_empty() {
                    TypeRef::Primitive(string_primitive(&s.format))
                } else {
                    self.string_enum(schema, &values, pointer, naming)
                }
            }
            SchemaKind::Type(Type::Integer(i)) if i.enumeration.iter().flatten().next().is_some() => {
                let values: Vec<i64> = i.enumeration.iter().flatten().copied().collect();
                self.integer_enum(schema, &values, pointer, naming)
            }
            SchemaKind::Type(Type::Integer(i)) => {
                let format = match &i.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32"),
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64"),
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.as_str()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                let minimum = data.extensions.get(ext::INTEGER_MINIMUM).and_then(Value::as_f64).or(i.minimum.map(|m| m as f64));
                let maximum = data.extensions.get(ext::INTEGER_MAXIMUM).and_then(Value::as_f64).or(i.maximum.map(|m| m as f64));
                TypeRef::Primitive(integer_primitive(format, minimum, maximum))
            }
            SchemaKind::Type(Type::Number(n)) => TypeRef::Primitive(match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Primitive::F32,
                _ => Primitive::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Primitive(Primitive::Bool),
            SchemaKind::Type(Type::Array(a)) => self.array_type(schema, a.items.as_ref(), pointer, &naming),
            SchemaKind::Type(Type::Object(o)) => {
                let mut parts = ObjectParts::default();
                for (key, value) in &o.properties {
                    let property_pointer = pointer.push("properties").push(key);
                    parts.properties.insert(key.clone(), (SchemaRef::from(value), property_pointer));
                }
                parts.required = o.required.iter().cloned().collect();
                parts.additional = o.additional_properties.as_ref().map(|a| (a, pointer.push("additionalProperties")));
                self.object_type(schema, parts, pointer, naming)
            }
            SchemaKind::OneOf { one_of } => self.union_type(schema, one_of, "oneOf", pointer, naming),
            SchemaKind::AnyOf { any_of } => self.union_type(schema, any_of, "anyOf", pointer, naming),
            SchemaKind::AllOf { all_of } => return self.all_of_type(schema, all_of, pointer, naming),
            SchemaKind::Not { .. } => {
                self.diagnostics.warning(pointer, "`not` is not modelled: the value is generated as serde_json::Value");
                TypeRef::Json
            }
            SchemaKind::Any(any) => {
                if !any.one_of.is_empty() && any.properties.is_empty() {
                    self.union_type(schema, &any.one_of, "oneOf", pointer, naming)
                } else if !any.any_of.is_empty() && any.properties.is_empty() {
                    self.union_type(schema, &any.any_of, "anyOf", pointer, naming)
                } else if !any.all_of.is_empty() || !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    let mut parts = ObjectParts::default();
                    for (index, member) in any.all_of.iter().enumerate() {
                        let member_pointer = pointer.push("allOf").push(&index.to_string());
                        if !self.gather_object(SchemaRef::from(member), &member_pointer, &mut parts, 0) {
                            return Shape { ty: TypeRef::Json, nullable };
                        }
                    }
                    for (key, value) in &any.properties {
                        let property_pointer = pointer.push("properties").push(key);
                        parts.properties.insert(key.clone(), (SchemaRef::from(value), property_pointer));
                    }
                    parts.required.extend(any.required.iter().cloned());
                    if let Some(additional) = &any.additional_properties {
                        parts.additional = Some((additional, pointer.push("additionalProperties")));
                    }
                    if !any.one_of.is_empty() || !any.any_of.is_empty() {
                        self.diagnostics.warning(
                            pointer,
                            "properties beside oneOf/anyOf: only the properties are modelled, the union is not checked",
                        );
                    }
                    self.object_type(schema, parts, pointer, naming)
                } else if any.typ.as_deref() == Some("array") || any.items.is_some() {
                    self.array_type(schema, any.items.as_ref(), pointer, &naming)
                } else if !any.enumeration.is_empty() {
                    // Typed enums `openapiv3` could not read as such (a stray keyword beside them).
                    let live: Vec<&Value> = any.enumeration.iter().filter(|v| !v.is_null()).collect();
                    let strings: Vec<&String> =
                        live.iter().filter_map(|v| if let Value::String(s) = v { Some(s) } else { None }).collect();
                    let integers: Vec<i64> = live.iter().filter_map(|v| v.as_i64()).collect();
                    let all = |n: usize| n == live.len() && n > 0;
                    match any.typ.as_deref() {
                        Some("string") | None if all(strings.len()) => self.string_enum(schema, &strings, pointer, naming),
                        Some("integer") | None if all(integers.len()) => self.integer_enum(schema, &integers, pointer, naming),
                        _ => {
                            self.diagnostics.warning(
                                pointer,
                                "an enum of mixed or non-string values is generated as serde_json::Value; its values are listed in the docs",
                            );
                            TypeRef::Json
                        }
                    }
                } else {
                    match any.typ.as_deref() {
                        Some("string") => TypeRef::Primitive(any.format.as_deref().map_or(Primitive::String, format_primitive)),
                        Some("integer") => {
                            let minimum = data.extensions.get(ext::INTEGER_MINIMUM).and_then(Value::as_f64).or(any.minimum);
                            let maximum = data.extensions.get(ext::INTEGER_MAXIMUM).and_then(Value::as_f64).or(any.maximum);
                            TypeRef::Primitive(integer_primitive(any.format.as_deref(), minimum, maximum))
                        }
                        Some("number") => TypeRef::Primitive(Primitive::F64),
                        Some("boolean") => TypeRef::Primitive(Primitive::Bool),
                        _ => TypeRef::Json,
                    }
                }
            }
        };
        Shape { ty, nullable }
    }

    /// A `$ref` into a component schema (`#/components/schemas/X/properties/y`): the schema found
    /// there, typed once per reference.
    fn deep_ref(&mut self, reference: &'a str, pointer: &Pointer) -> Shape {
        if let Some(shape) = self.deep_refs.get(reference) {
            return shape.clone();
        }
        if !self.deep_in_progress.insert(reference.to_owned()) {
            self.diagnostics.error(pointer, format!("cyclic $ref `{reference}`"));
            return Shape { ty: TypeRef::Json, nullable: false };
        }
        let tokens: Vec<String> = reference
            .trim_start_matches("#/components/schemas/")
            .split('/')
            .map(super::decode_token)
            .collect();
        let shape = match self.walk(&tokens) {
            Some(target) => {
                let hint: String = tokens
                    .iter()
                    .filter(|t| !matches!(t.as_str(), "properties" | "items" | "allOf" | "anyOf" | "oneOf" | "additionalProperties"))
                    .map(|t| naming::type_name(t))
                    .collect();
                self.schema_type(target, &Pointer::parse(reference), Naming::Hint(hint))
            }
            None => {
                self.diagnostics.error(pointer, format!("unresolvable $ref `{reference}`: no schema at that pointer"));
                Shape { ty: TypeRef::Json, nullable: false }
            }
        };
        self.deep_in_progress.remove(reference);
        self.deep_refs.insert(reference.to_owned(), shape.clone());
        shape
    }

    /// The schema at `tokens` (a component name, then keywords and names/indices) inside the
    /// component schemas, following plain `$ref`s on the way.
    fn walk(&self, tokens: &[String]) -> Option<SchemaRef<'a>> {
        let (key, path) = tokens.split_first()?;
        let mut current = SchemaRef::from(self.component(key)?);
        let mut rest = path;
        let mut hops = 0;
        while let Some((keyword, tail)) = rest.split_first() {
            let schema = match current {
                SchemaRef::Item(schema) => schema,
                SchemaRef::Ref(reference) => {
                    hops += 1;
                    let name = reference.strip_prefix("#/components/schemas/").filter(|n| !n.contains('/') && hops < 32)?;
                    match self.component(&super::decode_token(name))? {
                        ReferenceOr::Item(schema) => schema,
                        ReferenceOr::Reference { reference } => {
                            current = SchemaRef::Ref(reference);
                            continue;
                        }
                    }
                }
            };
            let (properties, items, additional, all_of, any_of, one_of) = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => (Some(&o.properties), None, o.additional_properties.as_ref(), None, None, None),
                SchemaKind::Type(Type::Array(a)) => (None, a.items.as_ref(), None, None, None, None),
                SchemaKind::AllOf { all_of } => (None, None, None, Some(all_of), None, None),
                SchemaKind::AnyOf { any_of } => (None, None, None, None, Some(any_of), None),
                SchemaKind::OneOf { one_of } => (None, None, None, None, None, Some(one_of)),
                SchemaKind::Any(any) => (
                    Some(&any.properties),
                    any.items.as_ref(),
                    any.additional_properties.as_ref(),
                    Some(&any.all_of),
                    Some(&any.any_of),
                    Some(&any.one_of),
                ),
                _ => (None, None, None, None, None, None),
            };
            let index = |list: Option<&'a Vec<ReferenceOr<Schema>>>| -> Option<SchemaRef<'a>> {
                let i: usize = tail.first()?.parse().ok()?;
                list?.get(i).map(SchemaRef::from)
            };
            let (next, used) = match keyword.as_str() {
                "properties" => (properties?.get(tail.first()?).map(SchemaRef::from)?, 2),
                "items" => (SchemaRef::from(items?), 1),
                "additionalProperties" => match additional? {
                    AdditionalProperties::Schema(schema) => (SchemaRef::from(schema.as_ref()), 1),
                    AdditionalProperties::Any(_) => return None,
                },
                "allOf" => (index(all_of)?, 2),
                "anyOf" => (index(any_of)?, 2),
                "oneOf" => (index(one_of)?, 2),
                _ => return None,
            };
            current = next;
            rest = &rest[used..];
        }
        Some(current)
    }

    fn claim(&mut self, naming: Naming) -> String {
        match naming {
            Naming::Exact(name) => name,
            Naming::Hint(hint) => self.type_scope.claim(&naming::type_name(&hint)).0,
        }
    }

    fn insert(&mut self, name: String, docs: Docs, deprecated: bool, kind: TypeKind) {
        self.types.insert(name.clone(), TypeDef { name, docs, deprecated, kind });
    }

    fn string_enum(&mut self, schema: &Schema, values: &[&String], pointer: &Pointer, naming: Naming) -> TypeRef {
        // Each value's index in the document's list (which may hold `null`s as well), for
        // pointing at it; the first occurrence wins. One pass, so the cost stays linear.
        let mut positions: std::collections::HashMap<&str, usize> = std::collections::HashMap::with_capacity(values.len());
        let listed: Vec<Option<&str>> = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => s.enumeration.iter().map(|v| v.as_deref()).collect(),
            SchemaKind::Any(any) => any.enumeration.iter().map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        };
        for (index, value) in listed.iter().enumerate() {
            if let Some(value) = value {
                positions.entry(value).or_insert(index);
            }
        }
        let mut unique: Vec<(usize, &String)> = Vec::with_capacity(values.len());
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::with_capacity(values.len());
        for (index, value) in values.iter().enumerate() {
            if !seen.insert(value.as_str()) {
                self.diagnostics.warning(pointer.push("enum"), format!("the value `{value}` is listed twice"));
            } else {
                unique.push((positions.get(value.as_str()).copied().unwrap_or(index), value));
            }
        }
        let values = unique;
        let name = self.claim(naming);
        let mut scope = Scope::default();
        let mut variants: Vec<EnumVariant> = Vec::with_capacity(values.len());
        // Which value took each Rust name, to name it in a collision's warning.
        let mut taken_by: std::collections::HashMap<String, usize> = std::collections::HashMap::with_capacity(values.len());
        for (index, value) in &values {
            let candidate = naming::type_name(value);
            let (rust_name, renamed) = scope.claim(&candidate);
            if renamed {
                let other = taken_by.get(&candidate).map(|&i| variants[i].value.as_str()).unwrap_or_default();
                self.diagnostics.warning(
                    pointer.push("enum").push(&index.to_string()),
                    format!("the value `{value}` is the variant `{rust_name}` in Rust: `{candidate}` is taken by the value `{other}`"),
                );
            }
            taken_by.insert(rust_name.clone(), variants.len());
            variants.push(EnumVariant { rust_name, value: (*value).clone() });
        }
        let unknown_variant = unknown_name(&mut scope);
        let docs = schema_docs(schema, pointer, &name);
        self.insert(name.clone(), docs, schema.schema_data.deprecated, TypeKind::StringEnum(StringEnum { variants, unknown_variant }));
        TypeRef::Named(name)
    }

    fn integer_enum(&mut self, schema: &Schema, listed: &[i64], pointer: &Pointer, naming: Naming) -> TypeRef {
        let name = self.claim(naming);
        let mut scope = Scope::default();
        let mut values: Vec<IntegerValue> = Vec::new();
        let mut seen = std::collections::HashSet::with_capacity(listed.len());
        for value in listed {
            if !seen.insert(*value) {
                continue;
            }
            let label = if *value < 0 { format!("minus_{}", value.unsigned_abs()) } else { format!("v{value}") };
            values.push(IntegerValue { rust_name: scope.claim(&naming::const_name(&label)).0, value: *value });
        }
        let docs = schema_docs(schema, pointer, &name);
        self.insert(name.clone(), docs, schema.schema_data.deprecated, TypeKind::IntegerEnum(values));
        TypeRef::Named(name)
    }

    fn array_type(
        &mut self,
        schema: &'a Schema,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        pointer: &Pointer,
        naming: &Naming,
    ) -> TypeRef {
        if let Some(Value::Array(prefix)) = schema.schema_data.extensions.get(ext::PREFIX_ITEMS) {
            // 2020-12: without `items: false` (or a `maxItems` that stops at the prefix), more
            // items of any kind may follow, which a tuple cannot hold.
            let max_items = match &schema.schema_kind {
                SchemaKind::Type(Type::Array(a)) => a.max_items,
                SchemaKind::Any(any) => any.max_items,
                _ => None,
            };
            let closed = schema.schema_data.extensions.get(ext::ITEMS_FALSE) == Some(&Value::Bool(true))
                || (items.is_none() && max_items == Some(prefix.len()));
            if !closed {
                self.diagnostics.warning(
                    pointer,
                    "prefixItems that admit further items: generated as a Vec of serde_json::Value",
                );
                return TypeRef::Vec(Box::new(TypeRef::Json));
            }
            let mut members = Vec::new();
            for (index, item) in prefix.iter().enumerate() {
                let item_pointer = pointer.push("prefixItems").push(&index.to_string());
                let member = match serde_json::from_value::<ReferenceOr<Schema>>(item.clone()) {
                    Ok(member) => member,
                    Err(err) => {
                        self.diagnostics.error(item_pointer, format!("not a valid schema: {err}"));
                        return TypeRef::Json;
                    }
                };
                let shape = self.owned_schema_type(member, &item_pointer, Naming::Hint(format!("{}Item{index}", naming.stem())));
                members.push(optional_if(shape));
            }
            return TypeRef::Tuple(members);
        }
        match items {
            Some(items) => {
                let item_pointer = pointer.push("items");
                let shape = self.schema_type(SchemaRef::from(items), &item_pointer, Naming::Hint(format!("{}Item", naming.stem())));
                TypeRef::Vec(Box::new(optional_if(shape)))
            }
            None => TypeRef::Vec(Box::new(TypeRef::Json)),
        }
    }

    /// Resolves a schema that does not live in the document (a lowered extension's content).
    fn owned_schema_type(&mut self, schema: ReferenceOr<Schema>, pointer: &Pointer, naming: Naming) -> Shape {
        match schema {
            ReferenceOr::Reference { reference } => {
                let reference: &'a str = self.intern(reference);
                self.schema_type(SchemaRef::Ref(reference), pointer, naming)
            }
            ReferenceOr::Item(schema) => {
                let schema: &'a Schema = self.intern_schema(schema);
                self.inline_type(schema, pointer, naming)
            }
        }
    }

    fn object_type(&mut self, schema: &'a Schema, parts: ObjectParts<'a>, pointer: &Pointer, naming: Naming) -> TypeRef {
        let pattern = schema.schema_data.extensions.get(ext::PATTERN_PROPERTIES);
        if parts.properties.is_empty() {
            if let Some(Value::Object(patterns)) = pattern {
                return self.pattern_map(patterns, pointer, &naming);
            }
            return match parts.additional {
                Some((AdditionalProperties::Schema(value), additional_pointer)) => {
                    let shape = self.schema_type(
                        SchemaRef::from(value.as_ref()),
                        &additional_pointer,
                        Naming::Hint(format!("{}Value", naming.stem())),
                    );
                    TypeRef::Map(Box::new(optional_if(shape)))
                }
                _ => TypeRef::JsonObject,
            };
        }
        let name = self.claim(naming);
        self.expanding.insert(address(schema), name.clone());
        let mut scope = Scope::default();
        let rust_names: Vec<(String, bool)> = parts.properties.keys().map(|json_name| scope.claim(&naming::value_name(json_name))).collect();
        let mut setters = setter_names(rust_names.iter().map(|(rust_name, _)| rust_name.as_str())).into_iter();
        let mut fields = Vec::new();
        for ((json_name, (property, property_pointer)), (rust_name, renamed)) in parts.properties.iter().zip(rust_names) {
            if renamed {
                self.diagnostics.warning(property_pointer, format!("the property is named `{rust_name}` in Rust: another property has the same Rust name"));
            }
            // Warned about once the struct's fields are final (`warn_renamed_setters`).
            let setter = setters.next().unwrap_or_default();
            let hint = format!("{name}{}", naming::type_name(json_name));
            let shape = self.schema_type(*property, property_pointer, Naming::Hint(hint));
            // A write-only property is required of requests only: responses leave it out, so
            // the field must be optional to decode them.
            let (read_only, write_only) = self.access_flags(*property);
            let required = parts.required.contains(json_name) && !write_only;
            let (docs, deprecated, default) = match property {
                SchemaRef::Item(s) => (schema_docs(s, property_pointer, json_name), s.schema_data.deprecated, s.schema_data.default.clone()),
                SchemaRef::Ref(_) => (Docs { pointer: property_pointer.clone(), ..Docs::default() }, false, None),
            };
            let mut docs = docs;
            if write_only && parts.required.contains(json_name) {
                docs.facts.push("Required in requests".to_owned());
            }
            let default = default.filter(|d| self.default_fits(&shape.ty, d));
            let presence = match (required, shape.nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, true) => Presence::OptionalNullable,
                (false, false) if default.is_some() => Presence::Defaulted,
                (false, false) => Presence::Optional,
            };
            let default = if presence == Presence::Defaulted { default } else { None };
            let read_only_required = read_only && required;
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name,
                ty: shape.ty,
                presence,
                default,
                docs,
                deprecated,
                read_only_required,
                // Named once every field's presence is final (`name_default_functions`).
                default_function: None,
                setter,
            });
        }
        for required in &parts.required {
            if !parts.properties.contains_key(required) {
                self.diagnostics.warning(
                    pointer.push("required"),
                    format!("`{required}` is required but not among the properties; it is not modelled"),
                );
            }
        }
        let additional_name = scope.claim("additional_properties").0;
        let additional = if let Some(Value::Object(patterns)) = pattern {
            Some(self.pattern_map_value(patterns, pointer, &name))
        } else {
            match parts.additional {
                Some((AdditionalProperties::Schema(value), additional_pointer)) => {
                    let shape = self.schema_type(SchemaRef::from(value.as_ref()), &additional_pointer, Naming::Hint(format!("{name}Value")));
                    Some(optional_if(shape))
                }
                // Any other property is allowed: it is kept (as JSON), so a value decoded and
                // re-encoded loses none of them.
                Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
                _ => None,
            }
        };
        let additional = additional.map(|ty| AdditionalField { rust_name: additional_name, ty });
        self.expanding.remove(&address(schema));
        let docs = schema_docs(schema, pointer, &name);
        self.insert(
            name.clone(),
            docs,
            schema.schema_data.deprecated,
            TypeKind::Struct(Struct { fields, additional, tag: None }),
        );
        TypeRef::Named(name)
    }

    /// `readOnly` and `writeOnly` of a property, written on it or on the component it refers to.
    fn access_flags(&self, property: SchemaRef<'a>) -> (bool, bool) {
        let schema = match property {
            SchemaRef::Item(schema) => Some(schema),
            SchemaRef::Ref(reference) => {
                let key = reference.strip_prefix("#/components/schemas/").map(super::decode_token);
                match key.and_then(|key| self.component(&key)) {
                    Some(ReferenceOr::Item(schema)) => Some(schema),
                    _ => None,
                }
            }
        };
        schema.map_or((false, false), |s| (s.schema_data.read_only, s.schema_data.write_only))
    }

    fn pattern_map(&mut self, patterns: &serde_json::Map<String, Value>, pointer: &Pointer, naming: &Naming) -> TypeRef {
        TypeRef::Map(Box::new(self.pattern_map_value(patterns, pointer, naming.stem())))
    }

    fn pattern_map_value(&mut self, patterns: &serde_json::Map<String, Value>, pointer: &Pointer, stem: &str) -> TypeRef {
        if patterns.len() != 1 {
            self.diagnostics.warning(
                pointer.push("patternProperties"),
                "several patternProperties: their values are generated as serde_json::Value",
            );
            return TypeRef::Json;
        }
        let Some((pattern, value)) = patterns.iter().next() else { return TypeRef::Json };
        let value_pointer = pointer.push("patternProperties").push(pattern);
        match serde_json::from_value::<ReferenceOr<Schema>>(value.clone()) {
            Ok(schema) => optional_if(self.owned_schema_type(schema, &value_pointer, Naming::Hint(format!("{stem}Value")))),
            Err(err) => {
                self.diagnostics.error(value_pointer, format!("not a valid schema: {err}"));
                TypeRef::Json
            }
        }
    }

    fn all_of_type(&mut self, schema: &'a Schema, all_of: &'a [ReferenceOr<Schema>], pointer: &Pointer, naming: Naming) -> Shape {
        let nullable = schema.schema_data.nullable;
        if all_of.len() == 1 {
            // `$ref` with siblings (lowered), or a lone `allOf` used to attach docs to a `$ref`.
            let member_pointer = if schema.schema_data.extensions.contains_key(ext::REF_SIBLINGS) {
                pointer.to_owned()
            } else {
                pointer.push("allOf").push("0")
            };
            let shape = self.schema_type(SchemaRef::from(&all_of[0]), &member_pointer, naming);
            return Shape { ty: shape.ty, nullable: nullable || shape.nullable };
        }
        let mut parts = ObjectParts::default();
        for (index, member) in all_of.iter().enumerate() {
            let member_pointer = pointer.push("allOf").push(&index.to_string());
            if !self.gather_object(SchemaRef::from(member), &member_pointer, &mut parts, 0) {
                return Shape { ty: TypeRef::Json, nullable };
            }
        }
        Shape { ty: self.object_type(schema, parts, pointer, naming), nullable }
    }

    /// Adds an `allOf` member's properties to `parts`; false (with a warning) if it is no object.
    fn gather_object(&mut self, member: SchemaRef<'a>, pointer: &Pointer, parts: &mut ObjectParts<'a>, depth: usize) -> bool {
        if depth > 64 {
            self.diagnostics.error(pointer, "allOf nests too deep (a cycle of allOf references?)");
            return false;
        }
        let (schema, base) = match member {
            SchemaRef::Ref(reference) => {
                let Some(key) = self.component_key(reference, pointer) else { return false };
                match self.component(&key) {
                    Some(ReferenceOr::Item(schema)) => (schema, Pointer::parse("#/components/schemas").push(&key)),
                    Some(ReferenceOr::Reference { reference }) => {
                        return self.gather_object(SchemaRef::Ref(reference), pointer, parts, depth + 1)
                    }
                    None => return false,
                }
            }
            SchemaRef::Item(schema) => (schema, pointer.to_owned()),
        };
        let (properties, required, additional, all_of) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required, &o.additional_properties, None),
            SchemaKind::AllOf { all_of } => {
                for (index, inner) in all_of.iter().enumerate() {
                    let inner_pointer = base.push("allOf").push(&index.to_string());
                    if !self.gather_object(SchemaRef::from(inner), &inner_pointer, parts, depth + 1) {
                        return false;
                    }
                }
                return true;
            }
            SchemaKind::Any(any) if any.one_of.is_empty() && any.any_of.is_empty() => {
                (&any.properties, &any.required, &any.additional_properties, Some(&any.all_of))
            }
            _ => {
                self.diagnostics.warning(pointer, "an allOf member that is not an object: the whole allOf is generated as serde_json::Value");
                return false;
            }
        };
        for (index, inner) in all_of.into_iter().flatten().enumerate() {
            let inner_pointer = base.push("allOf").push(&index.to_string());
            if !self.gather_object(SchemaRef::from(inner), &inner_pointer, parts, depth + 1) {
                return false;
            }
        }
        for (key, value) in properties {
            let property_pointer = base.push("properties").push(key);
            parts.properties.insert(key.clone(), (SchemaRef::from(value), property_pointer));
        }
        for r in required {
            parts.required.insert(r.clone());
        }
        if let Some(additional) = additional {
            parts.additional = Some((additional, base.push("additionalProperties")));
        }
        true
    }

    fn union_type(
        &mut self,
        schema: &'a Schema,
        members: &'a [ReferenceOr<Schema>],
        keyword: &str,
        pointer: &Pointer,
        naming: Naming,
    ) -> TypeRef {
        let base = pointer.push(keyword);
        let live: Vec<(usize, &'a ReferenceOr<Schema>)> =
            members.iter().enumerate().filter(|(_, m)| !is_null_member(m)).collect();
        // One member with a discriminator stays a tagged union: it keeps a tag the API adds later.
        let discriminated = schema.schema_data.discriminator.is_some()
            && live.iter().all(|(_, m)| matches!(m, ReferenceOr::Reference { .. }));
        match live.len() {
            0 => return TypeRef::Json,
            1 if !discriminated => {
                let (index, member) = live[0];
                let shape = self.schema_type(SchemaRef::from(member), &base.push(&index.to_string()), naming);
                return shape.ty;
            }
            _ => {}
        }
        if let Some(discriminator) = &schema.schema_data.discriminator {
            if live.iter().all(|(_, m)| matches!(m, ReferenceOr::Reference { .. })) {
                return self.tagged_union(schema, discriminator, &live, pointer, naming);
            }
            self.diagnostics.warning(
                pointer.push("discriminator"),
                "a discriminator over inline schemas is not modelled: generated as an untagged union",
            );
        }
        let stem = naming.stem().to_owned();
        let name = self.claim(naming);
        self.expanding.insert(address(schema), name.clone());
        let mut shapes = Vec::new();
        let mut written_here = Vec::new();
        for (index, member) in &live {
            let member_pointer = base.push(&index.to_string());
            let shape = self.schema_type(SchemaRef::from(*member), &member_pointer, Naming::Hint(format!("{stem}Variant{index}")));
            // A member written inline is named after its place, whatever name its type got (the
            // union's name in it, cut short or made unique, would otherwise leak into the
            // variant's): the type it names (or lists, or maps) is one defined in the member.
            let defined_here = matches!(member, ReferenceOr::Item(_)) && self.defined_within(&shape.ty, &member_pointer);
            written_here.push(defined_here.then_some(*index));
            shapes.push(optional_if(shape));
        }
        self.expanding.remove(&address(schema));
        let names = variant_names(&shapes, &written_here);
        let checks: Vec<Vec<Check>> = live.iter().map(|(_, member)| self.member_checks(SchemaRef::from(*member), 0)).collect();
        let variants = names
            .into_iter()
            .zip(shapes)
            .zip(checks)
            .map(|((rust_name, ty), checks)| UntaggedVariant { rust_name, ty, checks })
            .collect();
        let docs = schema_docs(schema, pointer, &name);
        self.insert(name.clone(), docs, schema.schema_data.deprecated, TypeKind::Untagged(Untagged { variants }));
        TypeRef::Named(name)
    }

    /// Whether the type `ty` names, through lists, maps and `Option`s, is one defined at
    /// `pointer` or inside it (an inline schema's, not one it refers to).
    fn defined_within(&self, ty: &TypeRef, pointer: &Pointer) -> bool {
        match ty {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => self.defined_within(inner, pointer),
            TypeRef::Named(name) => self.types.get(name).is_some_and(|def| {
                def.docs.pointer == *pointer || {
                    let (within, at) = (def.docs.pointer.to_string(), pointer.to_string());
                    within.strip_prefix(&at).is_some_and(|rest| rest.starts_with('/'))
                }
            }),
            _ => false,
        }
    }

    fn tagged_union(
        &mut self,
        schema: &'a Schema,
        discriminator: &openapiv3::Discriminator,
        live: &[(usize, &'a ReferenceOr<Schema>)],
        pointer: &Pointer,
        naming: Naming,
    ) -> TypeRef {
        let discriminator_pointer = pointer.push("discriminator");
        let mut entries: Vec<(String, String)> = Vec::new(); // (tag value, component key)
        for (value, reference) in &discriminator.mapping {
            let mapping_pointer = discriminator_pointer.push("mapping").push(value);
            let target = if reference.starts_with('#') { reference.clone() } else { format!("#/components/schemas/{reference}") };
            if let Some(key) = self.component_key(&target, &mapping_pointer) {
                entries.push((value.clone(), key));
            }
        }
        // Component keys and tag values already present (sets, so many variants cost linear time).
        let mut keys: std::collections::HashSet<String> = entries.iter().map(|(_, key)| key.clone()).collect();
        // Each tag value's component key (the first entry's, as the variants are made in order).
        let mut values: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        for (value, key) in &entries {
            values.entry(value.clone()).or_insert_with(|| key.clone());
        }
        for (index, member) in live {
            let ReferenceOr::Reference { reference } = member else { continue };
            let member_pointer = pointer.push("oneOf").push(&index.to_string());
            let Some(key) = self.component_key(reference, &member_pointer) else { continue };
            if !keys.insert(key.clone()) {
                continue;
            }
            match values.entry(key.clone()) {
                std::collections::hash_map::Entry::Vacant(vacant) => {
                    vacant.insert(key.clone());
                    // No mapping entry: the tag value is the schema's name (OpenAPI's implicit mapping).
                    entries.push((key.clone(), key));
                }
                std::collections::hash_map::Entry::Occupied(target) => self.diagnostics.warning(
                    member_pointer,
                    format!(
                        "the member `{key}` gets no variant: the mapping gives its implicit tag `{key}` to `{0}`, so a value tagged `{key}` decodes as `{0}`",
                        target.get()
                    ),
                ),
            }
        }
        let name = self.claim(naming);
        self.tagged_from_entries(schema, &discriminator.property_name, entries, pointer, name)
    }

    /// A tagged union over `entries` (tag value, component key) named `name`.
    fn tagged_from_entries(
        &mut self,
        schema: &'a Schema,
        property: &str,
        entries: Vec<(String, String)>,
        pointer: &Pointer,
        name: String,
    ) -> TypeRef {
        let discriminator_pointer = pointer.push("discriminator");
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for (value, key) in entries {
            let rust_type = self.component_names.get(&key).cloned().unwrap_or_default();
            let candidate = naming::type_name(&value);
            let (rust_name, renamed) = scope.claim(&candidate);
            if renamed {
                self.diagnostics.warning(
                    discriminator_pointer.push("mapping").push(&value),
                    format!("the tag `{value}` is the variant `{rust_name}` in Rust: another tag is `{candidate}` too"),
                );
            }
            if !self.is_object_component(&key) {
                self.diagnostics.error(
                    discriminator_pointer.push("mapping").push(&value),
                    format!("the discriminated variant `{key}` is not an object schema"),
                );
                continue;
            }
            let tag = StructTag { property: property.to_owned(), value: value.clone(), union: name.clone() };
            self.tag_owners.push((rust_type.clone(), tag));
            variants.push(TaggedVariant { rust_name, tag_value: value, ty: TypeRef::Named(rust_type) });
        }
        let unknown_variant = unknown_name(&mut scope);
        let docs = schema_docs(schema, pointer, &name);
        let tagged = Tagged { tag: property.to_owned(), variants, unknown_variant };
        self.insert(name.clone(), docs, schema.schema_data.deprecated, TypeKind::Tagged(tagged));
        TypeRef::Named(name)
    }

    /// 3.0-style inheritance: a component object with a `discriminator`, whose children extend it
    /// with `allOf: [{$ref: base}, ...]`. A value typed as the base is one of the children, so the
    /// base becomes a tagged union over them (the mapping's entries, then each child not mapped,
    /// tagged by its schema name); an unknown tag keeps the whole JSON. Returns false (nothing
    /// done) when the schema is no such base.
    fn inheritance_union(&mut self, key: &str, schema: &'a Schema, pointer: &Pointer, name: &str) -> bool {
        let Some(discriminator) = &schema.schema_data.discriminator else { return false };
        let is_object = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) => true,
            SchemaKind::Any(any) => any.one_of.is_empty() && any.any_of.is_empty() && (!any.properties.is_empty() || !any.all_of.is_empty()),
            SchemaKind::AllOf { .. } => true,
            _ => false,
        };
        if !is_object {
            return false;
        }
        let discriminator_pointer = pointer.push("discriminator");
        let mut entries: Vec<(String, String)> = Vec::new();
        for (value, reference) in &discriminator.mapping {
            let mapping_pointer = discriminator_pointer.push("mapping").push(value);
            let target = if reference.starts_with('#') { reference.clone() } else { format!("#/components/schemas/{reference}") };
            if let Some(target_key) = self.component_key(&target, &mapping_pointer) {
                // The base itself: such values keep their JSON in the unknown variant.
                if target_key != key {
                    entries.push((value.clone(), target_key));
                }
            }
        }
        for child_key in self.children_of(key) {
            if child_key != key && !entries.iter().any(|(_, k)| *k == child_key) {
                entries.push((child_key.clone(), child_key));
            }
        }
        if entries.is_empty() {
            return false;
        }
        self.tagged_from_entries(schema, &discriminator.property_name, entries, pointer, name.to_owned());
        true
    }

    /// The constraints of a union member that its Rust type does not check itself (open enums,
    /// patterns, bounds, lengths), at its top and, for an object, in each property.
    fn member_checks(&self, member: SchemaRef<'a>, depth: usize) -> Vec<Check> {
        let mut current = member;
        let mut hops = 0;
        let schema = loop {
            match current {
                SchemaRef::Item(schema) => match &schema.schema_kind {
                    // A `$ref` with siblings: the referenced schema's checks.
                    SchemaKind::AllOf { all_of } if all_of.len() == 1 && hops < 16 => {
                        hops += 1;
                        current = SchemaRef::from(&all_of[0]);
                    }
                    _ => break schema,
                },
                SchemaRef::Ref(reference) => {
                    hops += 1;
                    let key = reference.strip_prefix("#/components/schemas/").filter(|k| !k.contains('/') && hops < 16);
                    match key.and_then(|key| self.component(&super::decode_token(key))) {
                        Some(target) => current = SchemaRef::from(target),
                        None => return Vec::new(),
                    }
                }
            }
        };
        let mut checks = Vec::new();
        let data = &schema.schema_data;
        let wide = |key: &str| data.extensions.get(key).and_then(Value::as_f64);
        let bounds = |checks: &mut Vec<Check>, min: Option<f64>, exclusive_min: bool, max: Option<f64>, exclusive_max: bool| {
            if let Some(min) = min.filter(|m| m.is_finite()) {
                checks.push(Check::Minimum(min, exclusive_min));
            }
            if let Some(max) = max.filter(|m| m.is_finite()) {
                checks.push(Check::Maximum(max, exclusive_max));
            }
        };
        let lengths = |checks: &mut Vec<Check>, pattern: Option<&String>, min: Option<usize>, max: Option<usize>| {
            if let Some(pattern) = pattern {
                checks.push(Check::Pattern(pattern.clone()));
            }
            if let Some(min) = min {
                checks.push(Check::MinLength(min));
            }
            if let Some(max) = max {
                checks.push(Check::MaxLength(max));
            }
        };
        let mut properties: Vec<(&String, SchemaRef<'a>)> = Vec::new();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                if !values.is_empty() {
                    checks.push(Check::Strings(values));
                }
                lengths(&mut checks, s.pattern.as_ref(), s.min_length, s.max_length);
            }
            SchemaKind::Type(Type::Integer(i)) => {
                let values: Vec<i64> = i.enumeration.iter().flatten().copied().collect();
                if !values.is_empty() {
                    checks.push(Check::Integers(values));
                }
                let min = i.minimum.map(|m| m as f64).or(wide(ext::INTEGER_MINIMUM));
                let max = i.maximum.map(|m| m as f64).or(wide(ext::INTEGER_MAXIMUM));
                bounds(&mut checks, min, i.exclusive_minimum, max, i.exclusive_maximum);
            }
            SchemaKind::Type(Type::Number(n)) => bounds(&mut checks, n.minimum, n.exclusive_minimum, n.maximum, n.exclusive_maximum),
            SchemaKind::Type(Type::Object(o)) => properties.extend(o.properties.iter().map(|(k, v)| (k, SchemaRef::from(v)))),
            SchemaKind::Any(any) => {
                let strings: Vec<String> = any.enumeration.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
                let integers: Vec<i64> = any.enumeration.iter().filter_map(Value::as_i64).collect();
                let live = any.enumeration.iter().filter(|v| !v.is_null()).count();
                if live > 0 && strings.len() == live {
                    checks.push(Check::Strings(strings));
                } else if live > 0 && integers.len() == live {
                    checks.push(Check::Integers(integers));
                }
                lengths(&mut checks, any.pattern.as_ref(), any.min_length, any.max_length);
                let min = wide(ext::INTEGER_MINIMUM).or(any.minimum);
                let max = wide(ext::INTEGER_MAXIMUM).or(any.maximum);
                bounds(&mut checks, min, any.exclusive_minimum.unwrap_or(false), max, any.exclusive_maximum.unwrap_or(false));
                properties.extend(any.properties.iter().map(|(k, v)| (k, SchemaRef::from(v))));
            }
            _ => {}
        }
        if depth == 0 {
            for (name, property) in properties {
                let inner = self.member_checks(property, depth + 1);
                if !inner.is_empty() {
                    checks.push(Check::Property(name.clone(), inner));
                }
            }
        }
        checks
    }

    /// The components whose `allOf` refers to the component `base` directly, in key order. The
    /// index of all of them is built once, on the first call (linear in the components).
    fn children_of(&mut self, base: &str) -> Vec<String> {
        if self.allof_children.is_none() {
            let mut index: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
            for (child_key, child) in self.component_schemas() {
                let ReferenceOr::Item(child) = child else { continue };
                let all_of = match &child.schema_kind {
                    SchemaKind::AllOf { all_of } => all_of,
                    SchemaKind::Any(any) => &any.all_of,
                    _ => continue,
                };
                for member in all_of {
                    let ReferenceOr::Reference { reference } = member else { continue };
                    if let Some(base) = reference.strip_prefix("#/components/schemas/").filter(|k| !k.contains('/')) {
                        let children = index.entry(super::decode_token(base)).or_default();
                        if !children.contains(child_key) {
                            children.push(child_key.clone());
                        }
                    }
                }
            }
            self.allof_children = Some(index);
        }
        self.allof_children.as_ref().and_then(|index| index.get(base)).cloned().unwrap_or_default()
    }

    /// Whether a component can be a variant of a tagged union: an object, or a union of objects
    /// (a nested discriminated union: the variant has a tag of its own).
    fn is_object_component(&self, key: &str) -> bool {
        match self.component(key) {
            Some(ReferenceOr::Item(schema)) => match &schema.schema_kind {
                SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
                SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
                SchemaKind::Any(any) => {
                    !any.properties.is_empty() || !any.all_of.is_empty() || !any.one_of.is_empty() || !any.any_of.is_empty()
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// Why a `default` is not a value of the type, if it is not (`null` is left alone: 3.0
    /// documents write it for "no default"). Kinds of types that cannot be checked here pass.
    fn default_problem(&self, ty: &TypeRef, default: &Value) -> Option<String> {
        let expected = |what: &str| Some(format!("expected {what}"));
        match (ty, default) {
            (_, Value::Null) | (TypeRef::Json, _) => None,
            (TypeRef::Nullable(inner) | TypeRef::Boxed(inner), _) => self.default_problem(inner, default),
            (TypeRef::Primitive(p), _) => primitive_problem(*p, default),
            (TypeRef::Vec(_) | TypeRef::Tuple(_), Value::Array(_)) => None,
            (TypeRef::Vec(_) | TypeRef::Tuple(_), _) => expected("an array"),
            (TypeRef::Map(_) | TypeRef::JsonObject, Value::Object(_)) => None,
            (TypeRef::Map(_) | TypeRef::JsonObject, _) => expected("an object"),
            (TypeRef::Named(name), _) => match (self.types.get(name).map(|t| &t.kind), default) {
                (Some(TypeKind::StringEnum(e)), Value::String(value)) => {
                    if e.variants.iter().any(|v| &v.value == value) {
                        None
                    } else {
                        Some(format!("`{}` is not one of the enum's values", value.escape_debug()))
                    }
                }
                (Some(TypeKind::StringEnum(_)), _) => expected("a string of the enum"),
                (Some(TypeKind::IntegerEnum(values)), Value::Number(n)) => match n.as_i64() {
                    Some(n) if values.iter().any(|v| v.value == n) => None,
                    _ => Some(format!("{n} is not one of the enum's values")),
                },
                (Some(TypeKind::IntegerEnum(_)), _) => expected("an integer of the enum"),
                (Some(TypeKind::Const(value)), _) if value != default => Some(format!("the only value is {}", short_json(value))),
                (Some(TypeKind::Struct(_)), value) if !value.is_object() => expected("an object"),
                (Some(TypeKind::Alias(inner)), _) => self.default_problem(inner, default),
                _ => None,
            },
        }
    }

    /// Whether a `default` can be honoured by the field's type (else it is only documented).
    fn default_fits(&self, ty: &TypeRef, default: &Value) -> bool {
        if self.default_problem(ty, default).is_some() {
            return false;
        }
        match (ty, default) {
            (TypeRef::Primitive(Primitive::Bool), Value::Bool(_)) => true,
            (TypeRef::Primitive(Primitive::String), Value::String(_)) => true,
            (TypeRef::Primitive(Primitive::I32), Value::Number(n)) => n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            (TypeRef::Primitive(Primitive::I64 | Primitive::I128), Value::Number(n)) => n.is_i64(),
            (TypeRef::Primitive(Primitive::U32), Value::Number(n)) => n.as_u64().is_some_and(|n| u32::try_from(n).is_ok()),
            (TypeRef::Primitive(Primitive::U64), Value::Number(n)) => n.is_u64(),
            // A literal must be finite: 1e300 does not fit an f32.
            (TypeRef::Primitive(Primitive::F32), Value::Number(n)) => n.as_f64().is_some_and(|f| (f as f32).is_finite()),
            (TypeRef::Primitive(Primitive::F64), Value::Number(n)) => n.as_f64().is_some_and(f64::is_finite),
            (TypeRef::Vec(_), Value::Array(items)) => items.is_empty(),
            (TypeRef::Map(_) | TypeRef::JsonObject, Value::Object(map)) => map.is_empty(),
            (TypeRef::Named(name), Value::String(value)) => match self.types.get(name) {
                Some(TypeDef { kind: TypeKind::StringEnum(e), .. }) => e.variants.iter().any(|v| &v.value == value),
                _ => false,
            },
            _ => false,
        }
    }

    fn intern(&mut self, text: String) -> &'a str {
        self.arena.strings.alloc(text)
    }

    fn intern_schema(&mut self, schema: Schema) -> &'a Schema {
        self.arena.schemas.alloc(schema)
    }
}

/// A JSON value for a message: compact, and cut when long.
fn short_json(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 80 {
        return text;
    }
    let cut: String = text.chars().take(77).collect();
    format!("{cut}...")
}

/// Why `value` is not a value of the primitive, if it is not.
fn primitive_problem(primitive: Primitive, value: &Value) -> Option<String> {
    let expected = |what: &str| Some(format!("expected {what}"));
    let integer = |low: i128, high: i128, what: &str| match value {
        Value::Number(n) => {
            let fits = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from)).is_some_and(|n| (low..=high).contains(&n));
            if fits {
                None
            } else if n.is_f64() {
                Some(format!("{n} is not an integer"))
            } else {
                Some(format!("{n} is out of the range of {what}"))
            }
        }
        _ => expected("an integer"),
    };
    match primitive {
        Primitive::Bool if value.is_boolean() => None,
        Primitive::Bool => expected("a boolean"),
        Primitive::String | Primitive::Bytes if value.is_string() => None,
        Primitive::String | Primitive::Bytes => expected("a string"),
        Primitive::I32 => integer(i32::MIN.into(), i32::MAX.into(), "i32 (format int32)"),
        Primitive::I64 => integer(i64::MIN.into(), i64::MAX.into(), "i64"),
        Primitive::I128 => integer(i128::MIN, i128::MAX, "i128"),
        Primitive::U32 => integer(0, u32::MAX.into(), "u32"),
        Primitive::U64 => integer(0, u64::MAX.into(), "u64"),
        Primitive::F32 => match value.as_f64() {
            Some(f) if (f as f32).is_finite() => None,
            Some(_) => Some(format!("{value} is out of the range of f32 (format float)")),
            None => expected("a number"),
        },
        Primitive::F64 if value.is_number() => None,
        Primitive::F64 => expected("a number"),
        Primitive::Uuid | Primitive::Date | Primitive::DateTime => {
            let Value::String(text) = value else { return expected("a string") };
            let (fits, what) = match primitive {
                Primitive::Uuid => (formats::is_uuid(text), "a UUID"),
                Primitive::Date => (formats::is_date(text), "a date (YYYY-MM-DD)"),
                _ => (formats::is_date_time(text), "an RFC 3339 date-time"),
            };
            if fits {
                None
            } else {
                Some(format!("`{}` is not {what}", text.escape_debug()))
            }
        }
    }
}

/// Checks of string formats, as the generated crate's types (`uuid`, `chrono`) read them.
mod formats {
    pub(super) fn is_uuid(text: &str) -> bool {
        let text = text.strip_prefix("urn:uuid:").unwrap_or(text);
        let text = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(text);
        let bytes = text.as_bytes();
        match bytes.len() {
            32 => bytes.iter().all(u8::is_ascii_hexdigit),
            36 => bytes.iter().enumerate().all(|(i, b)| if matches!(i, 8 | 13 | 18 | 23) { *b == b'-' } else { b.is_ascii_hexdigit() }),
            _ => false,
        }
    }

    fn number(text: &str) -> Option<u32> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    }

    pub(super) fn is_date(text: &str) -> bool {
        let mut parts = text.splitn(3, '-');
        let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else { return false };
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return false;
        }
        let (Some(year), Some(month), Some(day)) = (number(year), number(month), number(day)) else { return false };
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        (1..=days).contains(&day)
    }

    pub(super) fn is_date_time(text: &str) -> bool {
        let Some(split) = text.find(['T', 't', ' ']) else { return false };
        let (date, time) = (&text[..split], &text[split + 1..]);
        if !is_date(date) {
            return false;
        }
        let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
            (clock, None)
        } else {
            match time.rfind(['+', '-']) {
                Some(at) => (&time[..at], Some(&time[at + 1..])),
                None => return false,
            }
        };
        let (clock, fraction) = match clock.split_once('.') {
            Some((clock, fraction)) => (clock, Some(fraction)),
            None => (clock, None),
        };
        if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
            return false;
        }
        let hms: Vec<&str> = clock.split(':').collect();
        let [h, m, s] = hms.as_slice() else { return false };
        let in_range = |text: &str, max: u32| text.len() == 2 && number(text).is_some_and(|n| n <= max);
        if !(in_range(h, 23) && in_range(m, 59) && in_range(s, 60)) {
            return false;
        }
        match offset {
            None => true,
            Some(offset) => match offset.split_once(':') {
                Some((h, m)) => in_range(h, 23) && in_range(m, 59),
                None => false,
            },
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn formats() {
            assert!(is_uuid("9e4d1a7c-3b52-4f0e-8a61-2c7f5b9d0e13"));
            assert!(is_uuid("9e4d1a7c3b524f0e8a612c7f5b9d0e13"));
            assert!(!is_uuid("9e4d1a7c-3b52-4f0e-8a61-2c7f5b9d0e1"));
            assert!(!is_uuid("not-a-uuid"));
            assert!(is_date("2024-02-29"));
            assert!(!is_date("2023-02-29"));
            assert!(!is_date("2024-13-01"));
            assert!(!is_date("24-01-01"));
            assert!(is_date_time("2024-01-31T23:59:60Z"));
            assert!(is_date_time("2024-01-31T10:00:00.123+02:00"));
            assert!(!is_date_time("2024-01-31T24:00:00Z"));
            assert!(!is_date_time("2024-01-31"));
            assert!(!is_date_time("yesterday"));
        }
    }
}

/// A `$ref` that points inside a component schema rather than at one.
fn is_deep_ref(reference: &str) -> bool {
    reference.strip_prefix("#/components/schemas/").is_some_and(|rest| rest.contains('/'))
}

/// Inline schemas nested deeper than this are refused (no stack overflow on any input).
const MAX_DEPTH: usize = 48;

fn address(schema: &Schema) -> usize {
    std::ptr::from_ref(schema) as usize
}

/// `Option<T>` where the position admits `null` (array items, map values, tuple members, union
/// variants); `serde_json::Value` already holds `null`.
fn optional_if(shape: Shape) -> TypeRef {
    if shape.nullable && shape.ty != TypeRef::Json {
        TypeRef::Nullable(Box::new(shape.ty))
    } else {
        shape.ty
    }
}

fn is_null_member(member: &ReferenceOr<Schema>) -> bool {
    matches!(member, ReferenceOr::Item(schema) if schema.schema_data.extensions.get(ext::NULL) == Some(&Value::Bool(true)))
}

fn single_ref(schema: &Schema) -> Option<&str> {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } | SchemaKind::AnyOf { any_of: all_of } | SchemaKind::OneOf { one_of: all_of } => {
            let live: Vec<_> = all_of.iter().filter(|m| !is_null_member(m)).collect();
            match live.as_slice() {
                [ReferenceOr::Reference { reference }] => Some(reference),
                _ => None,
            }
        }
        _ => None,
    }
}

fn unknown_name(scope: &mut Scope) -> String {
    for candidate in ["Unknown", "UnknownValue", "Other"] {
        if !scope.contains(candidate) {
            return scope.claim(candidate).0;
        }
    }
    scope.claim("Unknown").0
}

/// The Rust integer for a schema: its format when it names one, else the smallest of `i64`,
/// `u64`, `i128` that holds its bounds. Bounds compare as floats, so a bound within a float's
/// rounding of `i64`'s limits (`9223372036854776000`, how JavaScript writes 2^63) keeps `i64`.
fn integer_primitive(format: Option<&str>, minimum: Option<f64>, maximum: Option<f64>) -> Primitive {
    match format {
        Some("int32") => return Primitive::I32,
        Some("int64") => return Primitive::I64,
        Some("uint32") => return Primitive::U32,
        Some("uint64") => return Primitive::U64,
        _ => {}
    }
    const I64_BOUND: f64 = 9_223_372_036_854_775_808.0; // 2^63
    const U64_BOUND: f64 = 18_446_744_073_709_551_616.0; // 2^64
    let above_i64 = maximum.is_some_and(|max| max > I64_BOUND);
    let below_i64 = minimum.is_some_and(|min| min < -I64_BOUND);
    if !above_i64 && !below_i64 {
        Primitive::I64
    } else if minimum.is_some_and(|min| min >= 0.0) && maximum.is_some_and(|max| max <= U64_BOUND) {
        Primitive::U64
    } else {
        Primitive::I128
    }
}

fn string_primitive(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Primitive {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Primitive::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Primitive::Date,
        VariantOrUnknownOrEmpty::Unknown(format) => format_primitive(format),
        _ => Primitive::String,
    }
}

fn format_primitive(format: &str) -> Primitive {
    match format {
        "uuid" | "uuid4" => Primitive::Uuid,
        "date-time" => Primitive::DateTime,
        "date" => Primitive::Date,
        _ => Primitive::String,
    }
}

/// Meaningful names for untagged variants: `One`/`Many` for `T | [T]`, else by type; a member
/// written inline (`written_here`: its place in the document, for a member that defines its own
/// type) is `Variant0` after its place, whatever its type is named, so the name says nothing
/// twice and copies of a union name their variants alike.
fn variant_names(types: &[TypeRef], written_here: &[Option<usize>]) -> Vec<String> {
    if let [single, TypeRef::Vec(many)] = types {
        if **many == *single {
            return vec!["One".to_owned(), "Many".to_owned()];
        }
    }
    let mut scope = Scope::default();
    types
        .iter()
        .zip(written_here)
        .map(|(ty, place)| {
            let label = match place {
                Some(index) => inline_label(ty, &format!("Variant{index}")),
                None => type_label(ty),
            };
            scope.claim(&label).0
        })
        .collect()
}

/// A member written inline: its place (`Variant1`) where [`type_label`] has its type's name
/// (`Variant1List` for a list of the objects it defines).
fn inline_label(ty: &TypeRef, place: &str) -> String {
    match ty {
        TypeRef::Vec(inner) => format!("{}List", inline_label(inner, place)),
        TypeRef::Map(inner) => format!("{}Map", inline_label(inner, place)),
        TypeRef::Nullable(inner) => format!("Optional{}", inline_label(inner, place)),
        TypeRef::Boxed(inner) => inline_label(inner, place),
        _ => place.to_owned(),
    }
}

fn type_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::Primitive(p) => match p {
            Primitive::String => "String",
            Primitive::Bool => "Boolean",
            Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64 | Primitive::I128 => "Integer",
            Primitive::F32 | Primitive::F64 => "Number",
            Primitive::Uuid => "Uuid",
            Primitive::DateTime => "DateTime",
            Primitive::Date => "Date",
            Primitive::Bytes => "Bytes",
        }
        .to_owned(),
        TypeRef::Vec(inner) => format!("{}List", type_label(inner)),
        TypeRef::Map(inner) => format!("{}Map", type_label(inner)),
        TypeRef::Tuple(_) => "Tuple".to_owned(),
        TypeRef::Json => "Value".to_owned(),
        TypeRef::JsonObject => "Object".to_owned(),
        TypeRef::Boxed(inner) => type_label(inner),
        TypeRef::Nullable(inner) => format!("Optional{}", type_label(inner)),
    }
}

/// Methods a user would otherwise reach through a derived or blanket trait (`x.clone()`), and
/// the standard traits' method names clippy's `should_implement_trait` keeps for them (`sub`,
/// `next`, ...): a builder method setting a field with one of these names is `with_<name>`.
const RESERVED_SETTERS: &[&str] = &[
    "new", "clone", "clone_from", "clone_into", "fmt", "eq", "ne", "serialize", "deserialize", "default", "into", "try_into",
    "from", "try_from", "to_owned", "borrow", "borrow_mut", "type_id", "is_known", "add", "as_mut", "as_ref", "bitand",
    "bitor", "bitxor", "cmp", "deref", "deref_mut", "div", "drop", "from_iter", "from_str", "hash", "index", "index_mut",
    "into_iter", "mul", "neg", "next", "not", "partial_cmp", "rem", "shl", "shr", "sub",
];

/// The builder method a field named `rust_name` wants: its name, or `with_<name>` for a reserved
/// one.
fn wanted_setter(rust_name: &str) -> String {
    if RESERVED_SETTERS.contains(&rust_name) {
        format!("with_{rust_name}")
    } else {
        rust_name.to_owned()
    }
}

/// Each field's builder method, by the fields' Rust names in order: the name it wants
/// ([`wanted_setter`]); a `with_` name another field's method has (a field named `with_clone`
/// beside `clone`) takes the next number, fields keeping their own names first.
fn setter_names<'n>(rust_names: impl Iterator<Item = &'n str>) -> Vec<String> {
    let rust_names: Vec<&str> = rust_names.collect();
    let mut scope = Scope::with_reserved(["new"]);
    let mut setters: Vec<String> = vec![String::new(); rust_names.len()];
    for reserved in [false, true] {
        for (setter, name) in setters.iter_mut().zip(&rust_names).filter(|(_, name)| RESERVED_SETTERS.contains(name) == reserved) {
            *setter = scope.claim(&wanted_setter(name)).0;
        }
    }
    setters
}

/// Names the builder methods of a struct's fields again, after its fields changed (a variant
/// struct's tag field taken out: the others' methods no longer make way for its).
pub(crate) fn name_setters(fields: &mut [Field]) {
    let setters = setter_names(fields.iter().map(|field| field.rust_name.as_str()));
    for (field, setter) in fields.iter_mut().zip(setters) {
        field.setter = setter;
    }
}

/// A warning for each field whose builder method is not the name it wants (another field of its
/// struct has that name), once every struct's fields are final.
pub(crate) fn warn_renamed_setters(types: &std::collections::BTreeMap<String, TypeDef>, diagnostics: &mut crate::diagnostics::Diagnostics) {
    for def in types.values() {
        let TypeKind::Struct(s) = &def.kind else { continue };
        for field in &s.fields {
            let wanted = wanted_setter(&field.rust_name);
            if field.setter != wanted {
                let message = format!("the property's builder method is `{}`: `{wanted}` is another property's", field.setter);
                diagnostics.warning(&field.docs.pointer, message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_hold_their_bounds() {
        assert_eq!(integer_primitive(None, None, None), Primitive::I64);
        assert_eq!(integer_primitive(Some("int32"), Some(0.0), Some(1e19)), Primitive::I32);
        assert_eq!(integer_primitive(None, Some(0.0), Some(18_446_744_073_709_551_615_u64 as f64)), Primitive::U64);
        // i64's limits written as JavaScript does (rounded to 2^63) stay i64.
        assert_eq!(integer_primitive(None, Some(-9.223_372_036_854_776e18), Some(9.223_372_036_854_776e18)), Primitive::I64);
        assert_eq!(integer_primitive(None, Some(-1.0), Some(1e19)), Primitive::I128);
        assert_eq!(integer_primitive(None, None, Some(1e19)), Primitive::I128);
        assert_eq!(integer_primitive(None, Some(-1e30), None), Primitive::I128);
    }

    #[test]
    fn inline_members_are_named_without_their_union() {
        let named = |name: &str| TypeRef::Named(name.to_owned());
        // Whatever the inline member's type is named (here cut short with a hash); a member that
        // names a type is named after it, even one named like a variant.
        assert_eq!(
            variant_names(
                &[named("CreatedVaX1b2c3d4"), TypeRef::Primitive(Primitive::I64), named("CreatedSelf"), named("CreatedVariant3")],
                &[Some(0), None, None, None]
            ),
            ["Variant0", "Integer", "CreatedSelf", "CreatedVariant3"]
        );
        // A nullable inline member, a list and a map of inline objects, and a variant name
        // already taken.
        let list = TypeRef::Vec(Box::new(named("CreatedVariant2Item")));
        let map = TypeRef::Map(Box::new(named("CreatedVariant3Value")));
        assert_eq!(
            variant_names(&[TypeRef::Nullable(Box::new(named("X"))), named("Variant1"), list, map, named("Y")], &[Some(0), None, Some(2), Some(3), Some(1)]),
            ["OptionalVariant0", "Variant1", "Variant2List", "Variant3Map", "Variant1_2"]
        );
    }

    /// Every field has a builder method: its name, `with_<name>` for a reserved one, and the next
    /// number for a `with_` name another field keeps as its own.
    #[test]
    fn every_field_has_a_setter() {
        let setters = super::setter_names(["clone", "with_clone", "new", "id", "with_new2", "default"].into_iter());
        assert_eq!(setters, ["with_clone2", "with_clone", "with_new", "id", "with_new2", "with_default"]);
    }

    /// A variant struct's tag field, taken out (the struct writes its tag), is in no other field's
    /// way: `clone`'s method is `with_clone` beside a tag named `with_clone`, and nothing is warned.
    #[test]
    fn a_tag_field_taken_out_leaves_its_setter_name_free() {
        let document = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "Tagged": {"oneOf": [{"$ref": "#/components/schemas/V1"}, {"$ref": "#/components/schemas/V2"}],
                    "discriminator": {"propertyName": "with_clone"}},
                "V1": {"type": "object", "required": ["with_clone"], "properties": {"with_clone": {"type": "string"}, "clone": {"type": "string"}}},
                "V2": {"type": "object", "required": ["with_clone"], "properties": {"with_clone": {"type": "string"}}},
                "Plain": {"type": "object", "properties": {"with_clone": {"type": "string"}, "clone": {"type": "string"}}}}}}"##;
        let output = crate::generate(document, &crate::Settings::standalone("t", "t.json")).unwrap();
        let setters = |name: &str| match &output.api.types[name].kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| (f.rust_name.clone(), f.setter.clone())).collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        let pair = |field: &str, setter: &str| (field.to_owned(), setter.to_owned());
        assert_eq!(setters("V1"), [pair("clone", "with_clone")]);
        // A struct that keeps both fields numbers one, and says so.
        assert_eq!(setters("Plain"), [pair("with_clone", "with_clone"), pair("clone", "with_clone2")]);
        let warnings: Vec<(&str, &str)> = output.warnings.iter().map(|w| (w.pointer.as_str(), w.message.as_str())).collect();
        assert_eq!(
            warnings,
            [("#/components/schemas/Plain/properties/clone", "the property's builder method is `with_clone2`: `with_clone` is another property's")]
        );
    }

    /// Every component of a cycle of `$ref`s is an error naming the cycle from it (a long one by its
    /// first sixteen and its length); a component whose chain runs into the cycle is not on it.
    #[test]
    fn cycles_of_refs_are_found_once_and_named_short() {
        let mut schemas: Vec<String> = (0..20).map(|i| format!(r##""C{i}": {{"$ref": "#/components/schemas/C{}"}}"##, (i + 1) % 20)).collect();
        schemas.push(r##""Tail": {"$ref": "#/components/schemas/C5"}"##.to_owned());
        schemas.push(r##""A": {"$ref": "#/components/schemas/B"}, "B": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}"##.to_owned());
        let document = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{{}}}}}}}"#,
            schemas.join(", ")
        );
        let error = crate::generate(&document, &crate::Settings::standalone("t", "t.json")).unwrap_err();
        let messages: Vec<(&str, &str)> = error.diagnostics.iter().map(|d| (d.pointer.as_str(), d.message.as_str())).collect();
        let pointer = |key: &str| format!("#/components/schemas/{key}");
        let first: Vec<String> = (3..19).map(|i| pointer(&format!("C{i}"))).collect();
        let c3 = format!("cyclic $ref: {} → … (20 components in all) → {}", first.join(" → "), pointer("C3"));
        assert!(messages.contains(&("#/components/schemas/C3", c3.as_str())), "{messages:#?}");
        let a = format!("cyclic $ref: {} → {} → {}", pointer("A"), pointer("B"), pointer("A"));
        assert!(messages.contains(&("#/components/schemas/A", a.as_str())), "{messages:#?}");
        let cyclic: Vec<&str> = messages.iter().filter(|(_, m)| m.starts_with("cyclic $ref")).map(|(p, _)| *p).collect();
        assert_eq!(cyclic.len(), 21, "{cyclic:?}");
        assert!(!cyclic.contains(&"#/components/schemas/Tail") && !cyclic.contains(&"#/components/schemas/B"), "{cyclic:?}");
    }
}
