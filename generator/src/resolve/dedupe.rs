//! Inline types that are the same type are one type.
//!
//! Documents repeat a schema inline wherever a property takes it: Stripe lists its 300 merchant
//! categories in 18 places, `"object": {"enum": ["list"]}` in 82, and a `{gt, gte, lt, lte}`
//! range object in 49. Each used to be a type of its own, with the same items, impls and
//! decoding compiled once per copy. Here an inline type that is the same Rust type as another
//! becomes an alias of it (`pub type ..CategoriesItem = ..AllowedCategoriesItem;`): every name
//! stays, each with its own docs, and the code is written once.
//!
//! - Enums (string or integer) are the same when their variants are: names and values, in order;
//!   literals (`const`) when their values are.
//! - Structs (not the variants of a tagged union, which write their own tag) are the same when
//!   their fields are: JSON and Rust names, types, presence, defaults, deprecation and docs
//!   (examples and limits with them; only where in the document each was written differs), and
//!   so is the map of unlisted properties. The default functions a struct's fields get are named
//!   after it: the shared struct's are the ones written.
//! - Untagged unions are the same when their variants are: names, types and the checks the
//!   decoder ranks them by.
//!
//! A struct's or union's types are compared through what they name: an inline struct or union
//! by what it is (so two copies of a struct holding two copies of another are one type), any
//! other type by its name, aliases followed (so two component schemas the document names apart
//! keep apart the types that hold them).
//!
//! The type they all name is a component schema's when one is the same (the document named it),
//! else the first inline one by name, and never a deprecated one for a type that is not (whose
//! users would be warned of a deprecation that is not theirs; a deprecated struct is never the
//! same as a live one). Component schemas are never made aliases: two schemas the document names
//! apart stay two types. Nor are the types the settings replace, or made the aliases' target: a
//! copy of a replaced type stays the document's type.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hash;

use crate::ir::{
    AdditionalField, Check, Docs, Field, IntegerValue, Limits, Presence, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Untagged, UntaggedVariant,
};

/// Makes every inline type that is the same as another an alias of it (see the module docs),
/// enums first, then structs and unions (which may hold the enums). Types named in `apart` (those
/// the settings replace) are neither made aliases nor named by one.
pub(super) fn alias_identical_types(types: &mut BTreeMap<String, TypeDef>, components: &BTreeSet<&str>, apart: &BTreeSet<String>) {
    let aliases = identical(types, components, apart, |def| enum_shape(&def.kind));
    make_aliases(types, aliases);
    let mut ids = TypeIds { types, components, apart, ids: HashMap::new(), visiting: HashSet::new(), shapes: HashMap::new() };
    for name in types.keys() {
        ids.id(name, 0);
    }
    let TypeIds { ids, .. } = ids;
    let aliases = identical(types, components, apart, |def| ids.get(def.name.as_str()).copied().flatten());
    make_aliases(types, aliases);
}

/// What makes two enums the same Rust enum.
#[derive(Clone, PartialEq, Eq, Hash)]
enum EnumShape<'a> {
    /// The variant that keeps unknown values, and each variant's name and value.
    String(&'a str, Vec<(&'a str, &'a str)>),
    /// Each constant's name and value.
    Integer(Vec<(&'a str, i64)>),
    /// A literal (`const`), as JSON text.
    Const(String),
}

fn enum_shape(kind: &TypeKind) -> Option<EnumShape<'_>> {
    match kind {
        TypeKind::StringEnum(StringEnum { variants, unknown_variant }) => {
            Some(EnumShape::String(unknown_variant, variants.iter().map(|v| (v.rust_name.as_str(), v.value.as_str())).collect()))
        }
        TypeKind::IntegerEnum(values) => {
            Some(EnumShape::Integer(values.iter().map(|IntegerValue { rust_name, value }| (rust_name.as_str(), *value)).collect()))
        }
        TypeKind::Const(value) => Some(EnumShape::Const(value.to_string())),
        _ => None,
    }
}

/// Each inline type (not in `components`) with the same `key` as an earlier one, or as a
/// component schema's, and the type it is to be an alias of. A type that is not deprecated never
/// names one that is (its users would be warned of a deprecation that is not theirs).
fn identical<'a, K: Eq + Hash + Clone>(
    types: &'a BTreeMap<String, TypeDef>,
    components: &BTreeSet<&str>,
    apart: &BTreeSet<String>,
    key: impl Fn(&'a TypeDef) -> Option<K>,
) -> Vec<(String, String)> {
    // The first type of each key, and the first that is not deprecated.
    let mut first: HashMap<K, &str> = HashMap::new();
    let mut first_live: HashMap<K, &str> = HashMap::new();
    let mut aliases = Vec::new();
    let (named, inline): (Vec<&TypeDef>, Vec<&TypeDef>) =
        types.values().filter(|def| !apart.contains(&def.name)).partition(|def| components.contains(def.name.as_str()));
    for (def, is_named) in named.into_iter().map(|def| (def, true)).chain(inline.into_iter().map(|def| (def, false))) {
        let Some(key) = key(def) else { continue };
        let target = if def.deprecated { first_live.get(&key).or_else(|| first.get(&key)) } else { first_live.get(&key) };
        match target {
            Some(target) if !is_named => aliases.push((def.name.clone(), (*target).to_owned())),
            _ => {
                if !def.deprecated {
                    first_live.entry(key.clone()).or_insert(&def.name);
                }
                first.entry(key).or_insert(&def.name);
            }
        }
    }
    aliases
}

fn make_aliases(types: &mut BTreeMap<String, TypeDef>, aliases: Vec<(String, String)>) {
    for (name, target) in aliases {
        if let Some(def) = types.get_mut(&name) {
            def.kind = TypeKind::Alias(TypeRef::Named(target));
        }
    }
}

/// How deep a type's shape follows the inline types it holds; deeper ones are compared by name
/// (which only keeps copies apart). Inline schemas nest at most 48 levels.
const MAX_DEPTH: usize = 64;

/// Numbers structs and untagged unions by shape: two with the same number are the same Rust type.
struct TypeIds<'a> {
    types: &'a BTreeMap<String, TypeDef>,
    components: &'a BTreeSet<&'a str>,
    apart: &'a BTreeSet<String>,
    /// Each type's number (`None`: not a type that can be shared).
    ids: HashMap<&'a str, Option<usize>>,
    /// The types whose shape is being worked out: a position naming one (a cycle) names it.
    visiting: HashSet<&'a str>,
    shapes: HashMap<Shape<'a>, usize>,
}

/// What makes two structs, or two untagged unions, the same Rust type.
#[derive(PartialEq, Eq, Hash)]
enum Shape<'a> {
    Struct { deprecated: bool, fields: Vec<FieldShape<'a>>, additional: Option<(&'a str, TypeRef)> },
    /// Each variant's name, type and the checks it is ranked by.
    Untagged { deprecated: bool, variants: Vec<(&'a str, TypeRef, Vec<CheckShape<'a>>)> },
}

/// A [`Check`], its numbers by their bits.
#[derive(PartialEq, Eq, Hash)]
enum CheckShape<'a> {
    Strings(&'a [String]),
    Integers(&'a [i64]),
    Pattern(&'a str),
    Minimum(u64, bool),
    Maximum(u64, bool),
    MinLength(usize),
    MaxLength(usize),
    Property(&'a str, Vec<CheckShape<'a>>),
}

impl<'a> CheckShape<'a> {
    fn of(check: &'a Check) -> Self {
        match check {
            Check::Strings(values) => CheckShape::Strings(values),
            Check::Integers(values) => CheckShape::Integers(values),
            Check::Pattern(pattern) => CheckShape::Pattern(pattern),
            Check::Minimum(bound, exclusive) => CheckShape::Minimum(bound.to_bits(), *exclusive),
            Check::Maximum(bound, exclusive) => CheckShape::Maximum(bound.to_bits(), *exclusive),
            Check::MinLength(length) => CheckShape::MinLength(*length),
            Check::MaxLength(length) => CheckShape::MaxLength(*length),
            Check::Property(name, checks) => CheckShape::Property(name, checks.iter().map(CheckShape::of).collect()),
        }
    }
}

/// A field but where it was written and its default function's name.
#[derive(PartialEq, Eq, Hash)]
struct FieldShape<'a> {
    json_name: &'a str,
    rust_name: &'a str,
    setter: &'a str,
    ty: TypeRef,
    presence: Presence,
    default: Option<&'a serde_json::Value>,
    deprecated: bool,
    read_only_required: bool,
    title: Option<&'a str>,
    description: Option<&'a str>,
    facts: &'a [String],
    examples: &'a [String],
    limits: &'a Limits,
}

impl<'a> TypeIds<'a> {
    /// The number of the type `name`, if it is one that can be shared (a struct that is not a
    /// tagged variant, or an untagged union), worked out once.
    fn id(&mut self, name: &'a str, depth: usize) -> Option<usize> {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let (name, def) = self.types.get_key_value(name)?;
        let shareable = matches!(def.kind, TypeKind::Struct(Struct { tag: None, .. }) | TypeKind::Untagged(_));
        if !shareable || self.apart.contains(name) {
            self.ids.insert(name, None);
            return None;
        }
        // A cycle, or deeper than followed: compared by name, and numbered when reached again.
        if depth > MAX_DEPTH || !self.visiting.insert(name) {
            return None;
        }
        let deprecated = def.deprecated;
        let shape = match &def.kind {
            TypeKind::Untagged(Untagged { variants }) => Some(Shape::Untagged {
                deprecated,
                variants: variants
                    .iter()
                    .map(|UntaggedVariant { rust_name, ty, checks }| {
                        (rust_name.as_str(), self.shape_of(ty, depth), checks.iter().map(CheckShape::of).collect())
                    })
                    .collect(),
            }),
            TypeKind::Struct(Struct { fields, additional, .. }) => Some(Shape::Struct {
                deprecated,
                fields: fields.iter().map(|field| self.field(field, depth)).collect(),
                additional: additional.as_ref().map(|AdditionalField { rust_name, ty }| (rust_name.as_str(), self.shape_of(ty, depth))),
            }),
            _ => None,
        };
        self.visiting.remove(name.as_str());
        let Some(shape) = shape else {
            self.ids.insert(name, None);
            return None;
        };
        let next = self.shapes.len();
        let id = *self.shapes.entry(shape).or_insert(next);
        self.ids.insert(name, Some(id));
        Some(id)
    }

    fn field(&mut self, field: &'a Field, depth: usize) -> FieldShape<'a> {
        let Field { json_name, rust_name, ty, presence, default, docs, deprecated, read_only_required, default_function: _, setter } = field;
        let Docs { title, description, facts, examples, limits, pointer: _ } = docs;
        FieldShape {
            json_name,
            rust_name,
            setter,
            ty: self.shape_of(ty, depth),
            presence: *presence,
            default: default.as_ref(),
            deprecated: *deprecated,
            read_only_required: *read_only_required,
            title: title.as_deref(),
            description: description.as_deref(),
            facts,
            examples,
            limits,
        }
    }

    /// `ty` with each name it holds replaced by what identifies the Rust type: an inline
    /// struct's or union's number (`#12`, not a Rust name), else the name, aliases followed.
    fn shape_of(&mut self, ty: &'a TypeRef, depth: usize) -> TypeRef {
        let mut names = Vec::new();
        ty.visit_named(&mut |name, _| names.push(name));
        let tokens: HashMap<&str, String> = names.into_iter().map(|name| (name, self.token(name, depth))).collect();
        let mut shape = ty.clone();
        shape.visit_named_mut(&mut |name| {
            if let Some(token) = tokens.get(name.as_str()) {
                name.clone_from(token);
            }
        });
        shape
    }

    fn token(&mut self, name: &'a str, depth: usize) -> String {
        let name = self.unalias(name);
        if !self.components.contains(name) {
            if let Some(id) = self.id(name, depth + 1) {
                return format!("#{id}");
            }
        }
        name.to_owned()
    }

    /// The type `name` is, through aliases of named types.
    fn unalias(&self, mut name: &'a str) -> &'a str {
        for _ in 0..MAX_DEPTH {
            match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(TypeRef::Named(target))) => name = target,
                _ => break,
            }
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Pointer;
    use crate::ir::{EnumVariant, StructTag};

    fn def(name: &str, kind: TypeKind) -> (String, TypeDef) {
        (name.to_owned(), TypeDef { name: name.to_owned(), docs: Docs::default(), deprecated: false, kind })
    }

    fn deprecated((name, mut def): (String, TypeDef)) -> (String, TypeDef) {
        def.deprecated = true;
        (name, def)
    }

    fn strings(values: &[&str]) -> TypeKind {
        let variants = values.iter().map(|v| EnumVariant { rust_name: v.to_uppercase(), value: (*v).to_owned() }).collect();
        TypeKind::StringEnum(StringEnum { variants, unknown_variant: "Unknown".to_owned() })
    }

    fn kinds(types: &BTreeMap<String, TypeDef>) -> Vec<(&str, String)> {
        types
            .values()
            .map(|def| {
                let kind = match &def.kind {
                    TypeKind::Alias(TypeRef::Named(target)) => format!("= {target}"),
                    TypeKind::Struct(_) => "struct".to_owned(),
                    _ => "enum".to_owned(),
                };
                (def.name.as_str(), kind)
            })
            .collect()
    }

    #[test]
    fn inline_copies_name_the_component_or_the_first_copy() {
        let mut types: BTreeMap<String, TypeDef> = [
            def("AItem", strings(&["a", "b"])),
            def("BItem", strings(&["a", "b"])),
            def("Letters", strings(&["a", "b"])),
            def("COther", strings(&["x"])),
            def("DOther", strings(&["x"])),
            // Another order, or a value more, is another enum.
            def("EItem", strings(&["b", "a"])),
            def("FItem", strings(&["a", "b", "c"])),
            def("Ints", TypeKind::IntegerEnum(vec![IntegerValue { rust_name: "V1".to_owned(), value: 1 }])),
            def("GInts", TypeKind::IntegerEnum(vec![IntegerValue { rust_name: "V1".to_owned(), value: 1 }])),
            // Two components the same stay two types.
            def("Named", strings(&["x"])),
            def("Other", strings(&["x"])),
            // A deprecated copy may name a live one; a live copy never names a deprecated one.
            deprecated(def("HOld", strings(&["old"]))),
            def("INew", strings(&["old"])),
            def("JNew", strings(&["old"])),
            deprecated(def("KOld", strings(&["old"]))),
            deprecated(def("LGone", strings(&["gone"]))),
            deprecated(def("MGone", strings(&["gone"]))),
        ]
        .into_iter()
        .collect();
        let components: BTreeSet<&str> = ["Letters", "Ints", "Named", "Other"].into_iter().collect();
        alias_identical_types(&mut types, &components, &BTreeSet::new());
        assert_eq!(
            kinds(&types),
            [
                ("AItem", "= Letters"),
                ("BItem", "= Letters"),
                ("COther", "= Named"),
                ("DOther", "= Named"),
                ("EItem", "enum"),
                ("FItem", "enum"),
                ("GInts", "= Ints"),
                ("HOld", "enum"),
                ("INew", "enum"),
                ("Ints", "enum"),
                ("JNew", "= INew"),
                ("KOld", "= INew"),
                ("LGone", "enum"),
                ("Letters", "enum"),
                ("MGone", "= LGone"),
                ("Named", "enum"),
                ("Other", "enum"),
            ]
            .map(|(name, kind)| (name, kind.to_owned()))
        );
    }

    #[test]
    fn literals_with_the_same_value_are_one_type() {
        let literal = |value: serde_json::Value| TypeKind::Const(value);
        let mut types: BTreeMap<String, TypeDef> = [
            def("AObject", literal(serde_json::json!("list"))),
            def("BObject", literal(serde_json::json!("list"))),
            // Another value, or the same text as another JSON type, is another literal.
            def("CObject", literal(serde_json::json!("page"))),
            def("DOne", literal(serde_json::json!(1))),
            def("EOne", literal(serde_json::json!("1"))),
            // A component the same is the one they name.
            def("Page", literal(serde_json::json!("page"))),
        ]
        .into_iter()
        .collect();
        let components: BTreeSet<&str> = ["Page"].into_iter().collect();
        alias_identical_types(&mut types, &components, &BTreeSet::new());
        assert_eq!(
            kinds(&types),
            [("AObject", "enum"), ("BObject", "= AObject"), ("CObject", "= Page"), ("DOne", "enum"), ("EOne", "enum"), ("Page", "enum")]
                .map(|(name, kind)| (name, kind.to_owned()))
        );
    }

    #[test]
    fn without_a_component_the_first_copy_by_name_is_the_enum() {
        let mut types: BTreeMap<String, TypeDef> =
            [def("Zed", strings(&["a"])), def("Alpha", strings(&["a"])), def("Mid", strings(&["a"]))].into_iter().collect();
        alias_identical_types(&mut types, &BTreeSet::new(), &BTreeSet::new());
        assert_eq!(kinds(&types), [("Alpha", "enum"), ("Mid", "= Alpha"), ("Zed", "= Alpha")].map(|(n, k)| (n, k.to_owned())));
    }

    /// A field as the resolve stage makes it: its docs point where it was written, and a
    /// defaulted one has a default function named after its struct.
    fn field(owner: &str, name: &str, ty: TypeRef, description: &str) -> Field {
        let docs = Docs {
            description: Some(description.to_owned()),
            pointer: Pointer::root().push("components").push("schemas").push(owner).push("properties").push(name),
            ..Docs::default()
        };
        Field {
            json_name: name.to_owned(),
            rust_name: name.to_owned(),
            ty,
            presence: Presence::Defaulted,
            default: Some(serde_json::json!(1)),
            docs,
            deprecated: false,
            read_only_required: false,
            default_function: Some(format!("default_{}_{name}", owner.to_lowercase())),
            setter: name.to_owned(),
        }
    }

    fn object(name: &str, fields: Vec<Field>) -> (String, TypeDef) {
        def(name, TypeKind::Struct(Struct { fields, additional: None, tag: None }))
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.to_owned())
    }

    fn int() -> TypeRef {
        TypeRef::Primitive(crate::ir::Primitive::I64)
    }

    #[test]
    fn inline_structs_with_the_same_fields_are_one_struct() {
        let mut types: BTreeMap<String, TypeDef> = [
            // Written in two places (pointers and default functions differ): one struct.
            object("ARange", vec![field("ARange", "gt", int(), "Above."), field("ARange", "lt", int(), "Below.")]),
            object("BRange", vec![field("BRange", "gt", int(), "Above."), field("BRange", "lt", int(), "Below.")]),
            // A field's docs, or order, or a field more, make another struct.
            object("CRange", vec![field("CRange", "gt", int(), "Greater than."), field("CRange", "lt", int(), "Below.")]),
            object("DRange", vec![field("DRange", "lt", int(), "Below."), field("DRange", "gt", int(), "Above.")]),
            object("ERange", vec![field("ERange", "gt", int(), "Above.")]),
            // A component the same is the one they name; two components stay two.
            object("Range", vec![field("Range", "x", int(), "X.")]),
            object("Span", vec![field("Span", "x", int(), "X.")]),
            object("FSpan", vec![field("FSpan", "x", int(), "X.")]),
        ]
        .into_iter()
        .collect();
        let components: BTreeSet<&str> = ["Range", "Span"].into_iter().collect();
        alias_identical_types(&mut types, &components, &BTreeSet::new());
        assert_eq!(
            kinds(&types),
            [
                ("ARange", "struct"),
                ("BRange", "= ARange"),
                ("CRange", "struct"),
                ("DRange", "struct"),
                ("ERange", "struct"),
                ("FSpan", "= Range"),
                ("Range", "struct"),
                ("Span", "struct"),
            ]
            .map(|(name, kind)| (name, kind.to_owned()))
        );
    }

    #[test]
    fn structs_holding_copies_are_one_struct_and_components_keep_theirs_apart() {
        let mut types: BTreeMap<String, TypeDef> = [
            // Two copies holding two copies (of a struct, in a `Vec`, and of an enum).
            object("AOuter", vec![field("AOuter", "inner", TypeRef::Vec(Box::new(named("AOuterInner"))), "In."), field("AOuter", "kind", named("AOuterKind"), "K.")]),
            object("AOuterInner", vec![field("AOuterInner", "x", int(), "Inner X.")]),
            def("AOuterKind", strings(&["a"])),
            object("BOuter", vec![field("BOuter", "inner", TypeRef::Vec(Box::new(named("BOuterInner"))), "In."), field("BOuter", "kind", named("BOuterKind"), "K.")]),
            object("BOuterInner", vec![field("BOuterInner", "x", int(), "Inner X.")]),
            def("BOuterKind", strings(&["a"])),
            // The same fields naming two components that are the same: two structs.
            object("CHolder", vec![field("CHolder", "value", named("Left"), "V.")]),
            object("DHolder", vec![field("DHolder", "value", named("Right"), "V.")]),
            object("Left", vec![field("Left", "x", int(), "X.")]),
            object("Right", vec![field("Right", "x", int(), "X.")]),
            // Copies that hold themselves are compared by name: kept apart, and no endless walk.
            object("ESelf", vec![field("ESelf", "next", TypeRef::Boxed(Box::new(named("ESelf"))), "N.")]),
            object("FSelf", vec![field("FSelf", "next", TypeRef::Boxed(Box::new(named("FSelf"))), "N.")]),
        ]
        .into_iter()
        .collect();
        let components: BTreeSet<&str> = ["Left", "Right"].into_iter().collect();
        alias_identical_types(&mut types, &components, &BTreeSet::new());
        assert_eq!(
            kinds(&types),
            [
                ("AOuter", "struct"),
                ("AOuterInner", "struct"),
                ("AOuterKind", "enum"),
                ("BOuter", "= AOuter"),
                ("BOuterInner", "= AOuterInner"),
                ("BOuterKind", "= AOuterKind"),
                ("CHolder", "struct"),
                ("DHolder", "struct"),
                ("ESelf", "struct"),
                ("FSelf", "struct"),
                ("Left", "struct"),
                ("Right", "struct"),
            ]
            .map(|(name, kind)| (name, kind.to_owned()))
        );
    }

    #[test]
    fn variants_deprecation_and_replaced_types_keep_structs_apart() {
        let tag = |value: &str| StructTag { property: "kind".to_owned(), value: value.to_owned(), union: "U".to_owned() };
        let variant = |name: &str| {
            def(name, TypeKind::Struct(Struct { fields: vec![field(name, "x", int(), "X.")], additional: None, tag: Some(tag("a")) }))
        };
        let mut types: BTreeMap<String, TypeDef> = [
            // Variants of a tagged union write their tag: never shared.
            variant("AVariant"),
            variant("BVariant"),
            // A live struct is not the same as a deprecated one.
            deprecated(object("COld", vec![field("COld", "y", int(), "Y.")])),
            object("DNew", vec![field("DNew", "y", int(), "Y.")]),
            // A replaced struct (and what holds it) is neither shared nor named; its copies are.
            object("EHolder", vec![field("EHolder", "z", named("EHolderZ"), "Z.")]),
            object("EHolderZ", vec![field("EHolderZ", "w", int(), "W.")]),
            object("FHolder", vec![field("FHolder", "z", named("FHolderZ"), "Z.")]),
            object("FHolderZ", vec![field("FHolderZ", "w", int(), "W.")]),
            object("GHolder", vec![field("GHolder", "z", named("GHolderZ"), "Z.")]),
            object("GHolderZ", vec![field("GHolderZ", "w", int(), "W.")]),
        ]
        .into_iter()
        .collect();
        let apart: BTreeSet<String> = ["EHolderZ".to_owned()].into();
        alias_identical_types(&mut types, &BTreeSet::new(), &apart);
        assert_eq!(
            kinds(&types),
            [
                ("AVariant", "struct"),
                ("BVariant", "struct"),
                ("COld", "struct"),
                ("DNew", "struct"),
                ("EHolder", "struct"),
                ("EHolderZ", "struct"),
                ("FHolder", "struct"),
                ("FHolderZ", "struct"),
                ("GHolder", "= FHolder"),
                ("GHolderZ", "= FHolderZ"),
            ]
            .map(|(name, kind)| (name, kind.to_owned()))
        );
    }

    #[test]
    fn untagged_unions_with_the_same_variants_are_one_union() {
        let union = |variants: Vec<(&str, TypeRef, Vec<Check>)>| {
            TypeKind::Untagged(Untagged {
                variants: variants.into_iter().map(|(name, ty, checks)| UntaggedVariant { rust_name: name.to_owned(), ty, checks }).collect(),
            })
        };
        let range = |owner: &str| object(owner, vec![field(owner, "gt", int(), "Above.")]);
        let short = || vec![Check::MaxLength(5)];
        let mut types: BTreeMap<String, TypeDef> = [
            // Variants holding copies of a struct, and the same checks: one union.
            def("ACreated", union(vec![("Range", named("ACreatedRange"), vec![]), ("Text", TypeRef::Primitive(crate::ir::Primitive::String), short())])),
            range("ACreatedRange"),
            def("BCreated", union(vec![("Range", named("BCreatedRange"), vec![]), ("Text", TypeRef::Primitive(crate::ir::Primitive::String), short())])),
            range("BCreatedRange"),
            // Another check, or another variant name, is another union.
            def("CCreated", union(vec![("Range", named("CCreatedRange"), vec![]), ("Text", TypeRef::Primitive(crate::ir::Primitive::String), vec![Check::MaxLength(6)])])),
            range("CCreatedRange"),
            def("DCreated", union(vec![("Span", named("DCreatedRange"), vec![]), ("Text", TypeRef::Primitive(crate::ir::Primitive::String), short())])),
            range("DCreatedRange"),
        ]
        .into_iter()
        .collect();
        alias_identical_types(&mut types, &BTreeSet::new(), &BTreeSet::new());
        let union_kinds: Vec<(&str, String)> = kinds(&types)
            .into_iter()
            .map(|(name, kind)| (name, if matches!(types[name].kind, TypeKind::Untagged(_)) { "union".to_owned() } else { kind }))
            .collect();
        assert_eq!(
            union_kinds,
            [
                ("ACreated", "union"),
                ("ACreatedRange", "struct"),
                ("BCreated", "= ACreated"),
                ("BCreatedRange", "= ACreatedRange"),
                ("CCreated", "union"),
                ("CCreatedRange", "= ACreatedRange"),
                ("DCreated", "union"),
                ("DCreatedRange", "= ACreatedRange"),
            ]
            .map(|(name, kind)| (name, kind.to_owned()))
        );
    }
}
