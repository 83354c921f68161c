//! What each union's code needs from the rest of the type graph, decided once the graph is final
//! (after `dedupe` has made repeated types aliases), so that emit only renders: which variants a
//! union converts `From`, which variant structs write the union's tag themselves, and which
//! fields every variant struct shares (the union's accessors).

use std::collections::{BTreeMap, HashMap};

use crate::ir::{Accessor, Struct, TypeDef, TypeKind, TypeRef, UnionPlan};

/// How many aliases deep a type is followed: aliases of aliases are short chains; a cycle of
/// aliases (reported by the resolve stage) ends here.
const MAX_DEPTH: usize = 64;

/// Names a union's field accessor (`fn name(&self)`) does not take: the union's own `tag`, a method
/// of a derived or blanket trait it would hide (`u.clone()`, `u.to_owned()`, `u.into()`), an
/// associated function a path call would find instead of the trait's (`Union::from(variant)`), and
/// `new`, which clippy expects to return `Self` (`new_ret_no_self`).
const RESERVED_METHODS: &[&str] = &[
    "tag", "new", "clone", "clone_from", "clone_into", "fmt", "eq", "ne", "serialize", "deserialize", "from", "try_from",
    "into", "try_into", "to_owned", "borrow", "borrow_mut", "type_id",
];

/// Every union's plan, by the union's name.
pub(crate) fn plan(types: &BTreeMap<String, TypeDef>) -> BTreeMap<String, UnionPlan> {
    let mut plans = BTreeMap::new();
    for (name, def) in types {
        let plan = match &def.kind {
            TypeKind::Tagged(t) => {
                let variants: Vec<&TypeRef> = t.variants.iter().map(|v| &v.ty).collect();
                let own_tag = t.variants.iter().map(|v| writes_own_tag(types, &v.ty, &t.tag, &v.tag_value)).collect();
                UnionPlan { from: from_variants(types, &variants), own_tag, accessors: accessors(types, &variants) }
            }
            TypeKind::Untagged(u) => {
                let variants: Vec<&TypeRef> = u.variants.iter().map(|v| &v.ty).collect();
                UnionPlan { from: from_variants(types, &variants), own_tag: Vec::new(), accessors: Vec::new() }
            }
            _ => continue,
        };
        plans.insert(name.clone(), plan);
    }
    plans
}

/// The type a position really has in Rust: aliases followed, also inside containers.
fn rust_type(types: &BTreeMap<String, TypeDef>, ty: &TypeRef, depth: usize) -> TypeRef {
    if depth > MAX_DEPTH {
        return ty.clone();
    }
    let inner = |t: &TypeRef| Box::new(rust_type(types, t, depth + 1));
    match ty {
        TypeRef::Named(name) => {
            // A chain of aliases (`A = B`, `B = C`, ...) is followed at no depth, however long: the
            // depth bounds nesting, and a cycle of aliases ends after as many steps as there are types.
            let (mut name, mut steps) = (name, 0);
            while let Some(TypeDef { kind: TypeKind::Alias(target), .. }) = types.get(name) {
                match target {
                    TypeRef::Named(next) if steps < types.len() => (name, steps) = (next, steps + 1),
                    target => return rust_type(types, target, depth + 1),
                }
            }
            TypeRef::Named(name.clone())
        }
        TypeRef::Vec(t) => TypeRef::Vec(inner(t)),
        TypeRef::Map(t) => TypeRef::Map(inner(t)),
        TypeRef::Boxed(t) => TypeRef::Boxed(inner(t)),
        TypeRef::Nullable(t) => TypeRef::Nullable(inner(t)),
        TypeRef::Tuple(items) => TypeRef::Tuple(items.iter().map(|t| rust_type(types, t, depth + 1)).collect()),
        TypeRef::Primitive(_) | TypeRef::Json | TypeRef::JsonObject => ty.clone(),
    }
}

/// For each variant, whether no other variant has its Rust type (two aliases of `String`, or of
/// `serde_json::Map`, are the same type: neither converts `From`).
fn from_variants(types: &BTreeMap<String, TypeDef>, variants: &[&TypeRef]) -> Vec<bool> {
    let rust_types: Vec<TypeRef> = variants.iter().map(|ty| rust_type(types, ty, 0)).collect();
    let mut counts: HashMap<&TypeRef, usize> = HashMap::new();
    for ty in &rust_types {
        *counts.entry(ty).or_default() += 1;
    }
    rust_types.iter().map(|ty| counts.get(ty) == Some(&1)).collect()
}

/// The struct a variant holds (through a `Box` and aliases), if it holds one.
fn struct_of<'a>(types: &'a BTreeMap<String, TypeDef>, ty: &TypeRef) -> Option<&'a Struct> {
    let ty = match rust_type(types, ty, 0) {
        TypeRef::Boxed(inner) => *inner,
        other => other,
    };
    let TypeRef::Named(name) = ty else { return None };
    match types.get(&name) {
        Some(TypeDef { kind: TypeKind::Struct(s), .. }) => Some(s),
        _ => None,
    }
}

/// Whether a tagged union's variant struct writes the union's tag itself: a struct that is this
/// union's alone. Any other variant has the union's tag set on its JSON object: a union in the
/// union (a nested discriminated union), and a struct that is the variant of several tags (mapped
/// twice, or in two unions) or also used outside its union, which keeps the tag property as a
/// field if its schema lists one. The union's variant decides: `tag()` and what is written agree.
fn writes_own_tag(types: &BTreeMap<String, TypeDef>, ty: &TypeRef, tag: &str, value: &str) -> bool {
    struct_of(types, ty).and_then(|s| s.tag.as_ref()).is_some_and(|own| own.property == tag && own.value == value)
}

/// The accessors of the fields every variant struct has with the same Rust type (whichever alias each names it by: an inline type the variants repeat is one
/// type, `dedupe`) and presence, whose names no method of the union takes. None when a variant
/// holds no struct.
fn accessors(types: &BTreeMap<String, TypeDef>, variants: &[&TypeRef]) -> Vec<Accessor> {
    let structs: Vec<&Struct> = variants.iter().filter_map(|ty| struct_of(types, ty)).collect();
    let (Some(first), true) = (structs.first(), structs.len() == variants.len()) else { return Vec::new() };
    // Each variant's fields by Rust name (so many fields and variants cost linear time).
    let by_name: Vec<HashMap<&str, &crate::ir::Field>> =
        structs.iter().map(|s| s.fields.iter().map(|f| (f.rust_name.as_str(), f)).collect()).collect();
    let mut accessors = Vec::new();
    for field in &first.fields {
        if RESERVED_METHODS.contains(&field.rust_name.as_str()) {
            continue;
        }
        let ty = rust_type(types, &field.ty, 0);
        let shared = by_name.iter().all(|fields| {
            fields
                .get(field.rust_name.as_str())
                .is_some_and(|f| f.presence == field.presence && (f.ty == field.ty || rust_type(types, &f.ty, 0) == ty))
        });
        if shared {
            let (rust_name, json_name) = (field.rust_name.clone(), field.json_name.clone());
            accessors.push(Accessor { rust_name, json_name, ty: field.ty.clone(), presence: field.presence });
        }
    }
    accessors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Docs, Field, Presence, Primitive, StructTag, Tagged, TaggedVariant, Untagged, UntaggedVariant};

    fn def(name: &str, kind: TypeKind) -> (String, TypeDef) {
        (name.to_owned(), TypeDef { name: name.to_owned(), docs: Docs::default(), deprecated: false, kind })
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.to_owned())
    }

    fn field(name: &str, ty: TypeRef, presence: Presence) -> Field {
        Field {
            json_name: name.to_owned(),
            rust_name: name.to_owned(),
            ty,
            presence,
            default: None,
            docs: Docs::default(),
            deprecated: false,
            read_only_required: false,
            default_function: None,
        }
    }

    fn variant_struct(fields: Vec<Field>, tag: Option<(&str, &str)>) -> TypeKind {
        let tag = tag.map(|(value, union)| StructTag { property: "kind".to_owned(), value: value.to_owned(), union: union.to_owned() });
        TypeKind::Struct(Struct { fields, additional: None, tag })
    }

    fn tagged(variants: &[(&str, &str, TypeRef)]) -> TypeKind {
        let variants = variants
            .iter()
            .map(|(rust_name, value, ty)| TaggedVariant { rust_name: (*rust_name).to_owned(), tag_value: (*value).to_owned(), ty: ty.clone() })
            .collect();
        TypeKind::Tagged(Tagged { tag: "kind".to_owned(), variants, unknown_variant: "Unknown".to_owned() })
    }

    #[test]
    fn variants_of_one_rust_type_convert_from_neither() {
        let string = TypeRef::Primitive(Primitive::String);
        let variant = |name: &str, ty: TypeRef| UntaggedVariant { rust_name: name.to_owned(), ty, checks: Vec::new() };
        let types: BTreeMap<String, TypeDef> = [
            def("Code", TypeKind::Alias(string.clone())),
            def("Name", TypeKind::Alias(named("Code"))),
            def("Codes", TypeKind::Alias(TypeRef::Vec(Box::new(named("Code"))))),
            def(
                "U",
                TypeKind::Untagged(Untagged {
                    variants: vec![
                        variant("Variant0", named("Name")),
                        variant("Variant1", string.clone()),
                        variant("Variant2", TypeRef::Vec(Box::new(string))),
                        variant("Variant3", named("Codes")),
                        variant("Variant4", TypeRef::Primitive(Primitive::I64)),
                    ],
                }),
            ),
        ]
        .into_iter()
        .collect();
        let plans = plan(&types);
        // Aliases of aliases are followed, inside lists too: only the integer has a type its own.
        assert_eq!(plans["U"], UnionPlan { from: vec![false, false, false, false, true], own_tag: Vec::new(), accessors: Vec::new() });
        assert_eq!(plans.keys().collect::<Vec<_>>(), ["U"]);
    }

    /// A chain of aliases longer than the depth limit is followed to its end: `C0` is `String`,
    /// so neither it nor the `String` variant converts `From` (two impls for one type conflict).
    #[test]
    fn a_long_chain_of_aliases_is_followed_to_its_end() {
        let string = TypeRef::Primitive(Primitive::String);
        let variant = |name: &str, ty: TypeRef| UntaggedVariant { rust_name: name.to_owned(), ty, checks: Vec::new() };
        let mut types: BTreeMap<String, TypeDef> =
            (0..100).map(|i| def(&format!("C{i}"), TypeKind::Alias(named(&format!("C{}", i + 1))))).collect();
        types.extend([
            def("C100", TypeKind::Alias(string.clone())),
            def(
                "U",
                TypeKind::Untagged(Untagged {
                    variants: vec![
                        variant("C0", named("C0")),
                        variant("String", string),
                        variant("Integer", TypeRef::Primitive(Primitive::I64)),
                    ],
                }),
            ),
        ]);
        assert_eq!(plan(&types)["U"].from, [false, false, true]);
    }

    #[test]
    fn accessors_are_the_fields_every_variant_shares() {
        let id = TypeRef::Primitive(Primitive::Uuid);
        let types: BTreeMap<String, TypeDef> = [
            def("Address", variant_struct(vec![field("line", TypeRef::Primitive(Primitive::String), Presence::Required)], None)),
            def("CatAddress", TypeKind::Alias(named("Address"))),
            def(
                "Cat",
                variant_struct(
                    vec![
                        field("id", id.clone(), Presence::Required),
                        field("address", named("CatAddress"), Presence::Optional),
                        field("name", TypeRef::Primitive(Primitive::String), Presence::Required),
                        field("clone", TypeRef::Primitive(Primitive::String), Presence::Required),
                        field("lives", TypeRef::Primitive(Primitive::I64), Presence::Required),
                    ],
                    Some(("cat", "Pet")),
                ),
            ),
            def(
                "Dog",
                variant_struct(
                    vec![
                        field("name", TypeRef::Primitive(Primitive::String), Presence::Optional),
                        field("clone", TypeRef::Primitive(Primitive::String), Presence::Required),
                        field("address", named("Address"), Presence::Optional),
                        field("id", id.clone(), Presence::Required),
                    ],
                    // A struct whose own tag is another value has this union's set on its object.
                    Some(("hound", "Pet")),
                ),
            ),
            def("Pet", tagged(&[("Cat", "cat", named("Cat")), ("Dog", "dog", TypeRef::Boxed(Box::new(named("Dog"))))])),
        ]
        .into_iter()
        .collect();
        let plans = plan(&types);
        let accessor = |name: &str, ty: TypeRef, presence| Accessor { rust_name: name.to_owned(), json_name: name.to_owned(), ty, presence };
        // `name`'s presence differs, `lives` is the cat's alone, `clone` is a method of the union;
        // the addresses are one type under two names; the first variant's order.
        let expected = UnionPlan {
            from: vec![true, true],
            own_tag: vec![true, false],
            accessors: vec![accessor("id", id, Presence::Required), accessor("address", named("CatAddress"), Presence::Optional)],
        };
        assert_eq!(plans["Pet"], expected);
    }

    /// A document resolve refuses is refused before any plan is made: a cycle of tuple aliases
    /// (an error) followed to the depth limit along each of its items would take exponential time
    /// and memory. Refused at once, within seconds (the thread is left behind if not).
    #[test]
    fn a_refused_document_is_refused_before_unions_are_planned() {
        let document = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "A": {"type": "array", "prefixItems": [{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/B"}], "items": false},
                "B": {"type": "array", "prefixItems": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/A"}], "items": false},
                "U": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "integer"}]}}}}"##;
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = crate::generate(document, &crate::Settings::standalone("t", "t.json"));
            let _ = sender.send(result.err().map(|err| err.to_string()));
        });
        let error = receiver.recv_timeout(std::time::Duration::from_secs(5)).expect("the document is refused within seconds");
        assert!(error.is_some_and(|error| error.contains("cyclic schema with no data")));
    }

    #[test]
    fn a_variant_that_holds_no_struct_leaves_the_union_without_accessors() {
        let types: BTreeMap<String, TypeDef> = [
            def("Cat", variant_struct(vec![field("id", TypeRef::Primitive(Primitive::I64), Presence::Required)], Some(("cat", "Pet")))),
            def("Pet", tagged(&[("Cat", "cat", named("Cat")), ("Other", "other", TypeRef::Json)])),
        ]
        .into_iter()
        .collect();
        assert_eq!(plan(&types)["Pet"], UnionPlan { from: vec![true, true], own_tag: vec![true, false], accessors: Vec::new() });
    }
}
