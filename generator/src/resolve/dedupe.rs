//! Inline enums that are the same enum are one type.
//!
//! Documents repeat an enum inline wherever a property takes it: Stripe lists its 300 merchant
//! categories in 18 places, `"object": {"enum": ["list"]}` in 82. Each used to be an enum of
//! its own, with the same variants, the same impls and the same decoding compiled once per copy.
//! Here an inline string or integer enum whose variants (names and values) are those of another
//! becomes an alias of it (`pub type ..CategoriesItem = ..AllowedCategoriesItem;`): every name
//! stays, each with its own docs, and the code is written once.
//!
//! The enum they all name is a component schema's when one is the same (the document named it),
//! else the first inline one by name, and never a deprecated one for a type that is not (whose
//! users would be warned of a deprecation that is not theirs). Component schemas are never made
//! aliases: two schemas the document names apart stay two types.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::ir::{IntegerValue, StringEnum, TypeDef, TypeKind, TypeRef};

/// What makes two enums the same Rust enum.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Shape<'a> {
    /// The variant that keeps unknown values, and each variant's name and value.
    String(&'a str, Vec<(&'a str, &'a str)>),
    /// Each constant's name and value.
    Integer(Vec<(&'a str, i64)>),
}

fn shape(kind: &TypeKind) -> Option<Shape<'_>> {
    match kind {
        TypeKind::StringEnum(StringEnum { variants, unknown_variant }) => {
            Some(Shape::String(unknown_variant, variants.iter().map(|v| (v.rust_name.as_str(), v.value.as_str())).collect()))
        }
        TypeKind::IntegerEnum(values) => {
            Some(Shape::Integer(values.iter().map(|IntegerValue { rust_name, value }| (rust_name.as_str(), *value)).collect()))
        }
        _ => None,
    }
}

/// Makes each inline enum (a type not in `components`) that is the same as an earlier one, or as
/// a component schema's, an alias of that one. A type that is not deprecated is never made an
/// alias of one that is (its users would be warned of a deprecation that is not theirs). Gives
/// the aliases made.
pub(super) fn alias_identical_enums(types: &mut BTreeMap<String, TypeDef>, components: &BTreeSet<&str>) -> BTreeSet<String> {
    // The first type of each shape, and the first that is not deprecated.
    let mut first: HashMap<Shape<'_>, &str> = HashMap::new();
    let mut first_live: HashMap<Shape<'_>, &str> = HashMap::new();
    let mut aliases: Vec<(String, String)> = Vec::new();
    let (named, inline): (Vec<&TypeDef>, Vec<&TypeDef>) = types.values().partition(|def| components.contains(def.name.as_str()));
    for (def, is_named) in named.into_iter().map(|def| (def, true)).chain(inline.into_iter().map(|def| (def, false))) {
        let Some(shape) = shape(&def.kind) else { continue };
        let target = if def.deprecated { first_live.get(&shape).or_else(|| first.get(&shape)) } else { first_live.get(&shape) };
        match target {
            Some(target) if !is_named => aliases.push((def.name.clone(), (*target).to_owned())),
            _ => {
                if !def.deprecated {
                    first_live.entry(shape.clone()).or_insert(&def.name);
                }
                first.entry(shape).or_insert(&def.name);
            }
        }
    }
    let mut made = BTreeSet::new();
    for (name, target) in aliases {
        if let Some(def) = types.get_mut(&name) {
            def.kind = TypeKind::Alias(TypeRef::Named(target));
            made.insert(name);
        }
    }
    made
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Docs, EnumVariant};

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
        alias_identical_enums(&mut types, &components);
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
    fn without_a_component_the_first_copy_by_name_is_the_enum() {
        let mut types: BTreeMap<String, TypeDef> =
            [def("Zed", strings(&["a"])), def("Alpha", strings(&["a"])), def("Mid", strings(&["a"]))].into_iter().collect();
        alias_identical_enums(&mut types, &BTreeSet::new());
        assert_eq!(kinds(&types), [("Alpha", "enum"), ("Mid", "= Alpha"), ("Zed", "= Alpha")].map(|(n, k)| (n, k.to_owned())));
    }
}
