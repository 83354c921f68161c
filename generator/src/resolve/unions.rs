//! What each union's code needs from the rest of the type graph, decided once the graph is final
//! (after `dedupe` has made repeated types aliases), so that emit only renders: which variants a
//! union converts `From`, which variant structs write the union's tag themselves, and which
//! fields every variant struct shares (the union's accessors).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::ir::{Accessor, Primitive, Struct, TypeDef, TypeKind, TypeRef, UnionPlan};

/// Names a union's field accessor (`fn name(&self)`) does not take: the union's own `tag`, a method
/// of a derived or blanket trait it would hide (`u.clone()`, `u.to_owned()`, `u.into()`), an
/// associated function a path call would find instead of the trait's (`Union::from(variant)`), and
/// `new`, which clippy expects to return `Self` (`new_ret_no_self`).
const RESERVED_METHODS: &[&str] = &[
    "tag", "new", "clone", "clone_from", "clone_into", "fmt", "eq", "ne", "serialize", "deserialize", "from", "try_from",
    "into", "try_into", "to_owned", "borrow", "borrow_mut", "type_id",
];

/// Every union's plan, by the union's name. Made for a type graph resolve accepted (no cycle of
/// aliases).
pub(crate) fn plan(types: &BTreeMap<String, TypeDef>) -> BTreeMap<String, UnionPlan> {
    let mut rust_types = RustTypes::new(types);
    let mut plans = BTreeMap::new();
    for (name, def) in types {
        let plan = match &def.kind {
            TypeKind::Tagged(t) => {
                let variants: Vec<&TypeRef> = t.variants.iter().map(|v| &v.ty).collect();
                let own_tag = t.variants.iter().map(|v| writes_own_tag(types, &v.ty, &t.tag, &v.tag_value)).collect();
                let accessors = accessors(&mut rust_types, &variants);
                UnionPlan { from: from_variants(&mut rust_types, &variants), own_tag, accessors }
            }
            TypeKind::Untagged(u) => {
                let variants: Vec<&TypeRef> = u.variants.iter().map(|v| &v.ty).collect();
                UnionPlan { from: from_variants(&mut rust_types, &variants), own_tag: Vec::new(), accessors: Vec::new() }
            }
            _ => continue,
        };
        plans.insert(name.clone(), plan);
    }
    plans
}

/// A Rust type's shape, the types in it by their numbers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Shape<'a> {
    /// A named type that is no alias (or an alias met again while it is worked out: a cycle).
    Named(&'a str),
    Primitive(Primitive),
    Json,
    JsonObject,
    Vec(usize),
    Map(usize),
    Boxed(usize),
    Nullable(usize),
    Tuple(Vec<usize>),
}

/// Rust types as numbers, aliases followed (also inside containers): two positions have one
/// number when they are one Rust type (two aliases of `String` are `String`). What an alias
/// stands for is worked out once, so aliases that name other aliases many times over (a tuple
/// of six of the next, nine deep) cost time linear in the document, not in the type written out;
/// and with a stack of its own, so aliases nested or chained however deep cost no recursion. An
/// alias's number does not depend on where it was first met: every alias is followed to its end.
struct RustTypes<'a> {
    types: &'a BTreeMap<String, TypeDef>,
    /// Each shape's number.
    numbers: HashMap<Shape<'a>, usize>,
    /// What each alias worked out so far stands for.
    aliases: HashMap<&'a str, usize>,
    /// The aliases being worked out: one met again (a cycle of aliases, which resolve refuses)
    /// stands for itself, by its name.
    open: HashSet<&'a str>,
    /// How many positions were numbered (each alias's target once): a test bounds it.
    visited: usize,
}

impl<'a> RustTypes<'a> {
    fn new(types: &'a BTreeMap<String, TypeDef>) -> Self {
        RustTypes { types, numbers: HashMap::new(), aliases: HashMap::new(), open: HashSet::new(), visited: 0 }
    }

    /// The number of the Rust type at a position.
    fn number(&mut self, ty: &'a TypeRef) -> usize {
        self.visited += 1;
        let shape = match ty {
            TypeRef::Named(name) => return self.named(name),
            TypeRef::Primitive(primitive) => Shape::Primitive(*primitive),
            TypeRef::Json => Shape::Json,
            TypeRef::JsonObject => Shape::JsonObject,
            TypeRef::Vec(inner) => Shape::Vec(self.number(inner)),
            TypeRef::Map(inner) => Shape::Map(self.number(inner)),
            TypeRef::Boxed(inner) => Shape::Boxed(self.number(inner)),
            TypeRef::Nullable(inner) => Shape::Nullable(self.number(inner)),
            TypeRef::Tuple(items) => Shape::Tuple(items.iter().map(|item| self.number(item)).collect()),
        };
        self.intern(shape)
    }

    fn intern(&mut self, shape: Shape<'a>) -> usize {
        let next = self.numbers.len();
        *self.numbers.entry(shape).or_insert(next)
    }

    fn target(&self, name: &str) -> Option<&'a TypeRef> {
        match self.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Alias(target)) => Some(target),
            _ => None,
        }
    }

    /// A named type's number: a type that is no alias is itself; an alias is what it stands
    /// for. The aliases it names are worked out first (depth first, on a stack of their own), so
    /// numbering its target meets only aliases already worked out.
    fn named(&mut self, name: &'a str) -> usize {
        if let Some(&number) = self.aliases.get(name) {
            return number;
        }
        if self.open.contains(name) || self.target(name).is_none() {
            return self.intern(Shape::Named(name));
        }
        let mut stack: Vec<(&'a str, bool)> = vec![(name, false)];
        while let Some((alias, named_done)) = stack.pop() {
            if self.aliases.contains_key(alias) {
                continue;
            }
            let Some(target) = self.target(alias) else { continue };
            if named_done {
                let number = self.number(target);
                self.open.remove(alias);
                self.aliases.insert(alias, number);
            } else if self.open.insert(alias) {
                stack.push((alias, true));
                target.visit_named(&mut |next, _| {
                    if !self.aliases.contains_key(next) && !self.open.contains(next) && self.target(next).is_some() {
                        stack.push((next, false));
                    }
                });
            }
        }
        self.aliases.get(name).copied().unwrap_or_else(|| self.intern(Shape::Named(name)))
    }
}

/// For each variant, whether no other variant has its Rust type (two aliases of `String`, or of
/// `serde_json::Map`, are the same type: neither converts `From`).
fn from_variants<'a>(rust_types: &mut RustTypes<'a>, variants: &[&'a TypeRef]) -> Vec<bool> {
    let numbers: Vec<usize> = variants.iter().map(|ty| rust_types.number(ty)).collect();
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for number in &numbers {
        *counts.entry(*number).or_default() += 1;
    }
    numbers.iter().map(|number| counts.get(number) == Some(&1)).collect()
}

/// The struct a variant holds (through a `Box` and aliases), if it holds one.
fn struct_of<'a>(types: &'a BTreeMap<String, TypeDef>, mut ty: &'a TypeRef) -> Option<&'a Struct> {
    // Each step goes into a `Box` or along an alias: no more steps than types, and boxes.
    for _ in 0..=types.len().saturating_mul(2) {
        match ty {
            TypeRef::Boxed(inner) => ty = inner,
            TypeRef::Named(name) => match &types.get(name)?.kind {
                TypeKind::Alias(target) => ty = target,
                TypeKind::Struct(s) => return Some(s),
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// Whether a tagged union's variant struct writes the union's tag itself: a struct that is this
/// union's alone. Any other variant has the union's tag set on its JSON object: a union in the
/// union (a nested discriminated union), and a struct that is the variant of several tags (mapped
/// twice, or in two unions) or also used outside its union, which keeps the tag property as a
/// field if its schema lists one. The union's variant decides: `tag()` and what is written agree.
fn writes_own_tag(types: &BTreeMap<String, TypeDef>, ty: &TypeRef, tag: &str, value: &str) -> bool {
    struct_of(types, ty).and_then(|s| s.tag.as_ref()).is_some_and(|own| own.property == tag && own.value == value)
}

/// The accessors of the fields every variant struct has with the same Rust type (whichever alias
/// each names it by: an inline type the variants repeat is one type, `dedupe`) and presence,
/// whose names no method of the union takes. None when a variant holds no struct.
fn accessors<'a>(rust_types: &mut RustTypes<'a>, variants: &[&'a TypeRef]) -> Vec<Accessor> {
    let types = rust_types.types;
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
        let number = rust_types.number(&field.ty);
        let shared = by_name.iter().all(|fields| {
            fields.get(field.rust_name.as_str()).is_some_and(|f| f.presence == field.presence && rust_types.number(&f.ty) == number)
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
            setter: name.to_owned(),
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

    /// A long chain of aliases is followed to its end: `C0` is `String`,
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

    /// Aliases nested in lists however deep are one Rust type with the list written out, and
    /// an alias's number does not depend on the union that met it first: `AUnion` numbers
    /// `Deep0` (40 lists deep) first, and `BUnion`'s `Deep10` is still the 30 lists written out
    /// beside it, as is `CUnion`'s `Deep0` the 40 (two `From` impls of one type conflict).
    #[test]
    fn aliases_nested_however_deep_are_their_type_written_out() {
        let string = TypeRef::Primitive(Primitive::String);
        let variant = |name: &str, ty: TypeRef| UntaggedVariant { rust_name: name.to_owned(), ty, checks: Vec::new() };
        let lists = |n: usize| (0..n).fold(string.clone(), |inner, _| TypeRef::Vec(Box::new(inner)));
        let union = |a: (&str, TypeRef), b: TypeRef| {
            TypeKind::Untagged(Untagged { variants: vec![variant(a.0, a.1), variant("Written", b)] })
        };
        let mut types: BTreeMap<String, TypeDef> = (0..40)
            .map(|i| def(&format!("Deep{i}"), TypeKind::Alias(TypeRef::Vec(Box::new(named(&format!("Deep{}", i + 1)))))))
            .collect();
        types.extend([
            def("Deep40", TypeKind::Alias(string.clone())),
            def("AUnion", union(("Deep0", named("Deep0")), TypeRef::Primitive(Primitive::I64))),
            def("BUnion", union(("Deep10", named("Deep10")), lists(30))),
            def("CUnion", union(("Deep0", named("Deep0")), lists(40))),
        ]);
        let plans = plan(&types);
        assert_eq!(plans["AUnion"].from, [true, true]);
        assert_eq!(plans["BUnion"].from, [false, false]);
        assert_eq!(plans["CUnion"].from, [false, false]);
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

    /// A document resolve refuses (a cycle of tuple aliases, whose items name each other) is
    /// refused: no plan is made for it.
    #[test]
    fn a_refused_document_is_refused_before_unions_are_planned() {
        let document = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "A": {"type": "array", "prefixItems": [{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/B"}], "items": false},
                "B": {"type": "array", "prefixItems": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/A"}], "items": false},
                "U": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "integer"}]}}}}"##;
        let error = crate::generate(document, &crate::Settings::standalone("t", "t.json")).unwrap_err();
        assert!(error.to_string().contains("cyclic schema with no data"), "{error}");
    }

    /// Aliases naming other aliases many times over (each a tuple of six of the next, eight deep:
    /// 6^8 positions written out) are numbered once each: a few positions per alias.
    #[test]
    fn what_an_alias_stands_for_is_worked_out_once() {
        let mut types: BTreeMap<String, TypeDef> =
            (0..8).map(|i| def(&format!("T{i}"), TypeKind::Alias(TypeRef::Tuple(vec![named(&format!("T{}", i + 1)); 6])))).collect();
        types.extend([def("T8", TypeKind::Alias(TypeRef::Primitive(Primitive::String)))]);
        // A type is its number however it is written: `T5` written out, or with aliases inside.
        let (t0, t5) = (named("T0"), named("T5"));
        let written = (0..3).fold(TypeRef::Primitive(Primitive::String), |inner, _| TypeRef::Tuple(vec![inner; 6]));
        let (six, five) = (TypeRef::Tuple(vec![named("T1"); 6]), TypeRef::Tuple(vec![named("T1"); 5]));
        let mut rust_types = RustTypes::new(&types);
        let first = rust_types.number(&t0);
        assert!(rust_types.visited <= 8 * 7 + 2, "{} positions numbered", rust_types.visited);
        assert_eq!(rust_types.number(&written), rust_types.number(&t5));
        assert_eq!(rust_types.number(&six), first);
        assert_ne!(rust_types.number(&five), first);
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
