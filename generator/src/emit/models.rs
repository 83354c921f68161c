//! Named types → `models.rs`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::docs;
use super::types::type_tokens;
use crate::ir::{Api, Field, Presence, Primitive, StringEnum, Struct, Tagged, TypeDef, TypeKind, TypeRef, UnionPlan, Untagged};
use crate::naming;

pub(crate) fn models(api: &Api) -> TokenStream {
    let header = header();
    let items = api.types.values().map(|def| type_def(api, def));
    quote! {
        #header
        #(#items)*
    }
}

/// Every name `models.rs` declares as an item: each type's, and its default functions' (the
/// file's other items are impls and macro invocations; its generic parameters, `D` and `S`, are no
/// name a path is shortened to). Paths are shortened with these before any part is printed.
pub(crate) fn declared_names(api: &Api) -> impl Iterator<Item = &str> {
    api.types.values().flat_map(|def| {
        let defaults: &[Field] = match &def.kind {
            TypeKind::Struct(s) => &s.fields,
            _ => &[],
        };
        let defaults = defaults.iter().filter(|field| field.presence == Presence::Defaulted).map(default_function);
        std::iter::once(def.name.as_str()).chain(defaults)
    })
}

/// What `models.rs` says before its types (the file is this, then each type's [`type_def`]).
pub(crate) fn header() -> TokenStream {
    quote! {
        //! The document's schemas as Rust types.
    }
}

fn type_docs(def: &TypeDef) -> TokenStream {
    let mut lines = docs::lines(&def.docs, &format!("The `{}` schema.", def.name));
    if let TypeKind::Struct(Struct { tag: Some(tag), .. }) = &def.kind {
        lines.push(String::new());
        let tag_json = format!("{}: {}", Value::String(tag.property.clone()), Value::String(tag.value.clone()));
        lines.push(format!("A variant of [`{}`]. Its tag, {}, is not a field: the type writes it itself.", tag.union, docs::code(&tag_json)));
    }
    let deprecated = deprecated_attr(def.deprecated);
    let attrs = docs::attrs(&lines);
    quote! { #attrs #deprecated }
}

fn deprecated_attr(deprecated: bool) -> TokenStream {
    if deprecated {
        quote! { #[deprecated] }
    } else {
        quote! {}
    }
}

/// The items of one named type (its definition, impls and default functions).
pub(crate) fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let docs = type_docs(def);
    let name = naming::ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => struct_def(def, s, docs),
        TypeKind::StringEnum(e) => string_enum(&name, e, docs),
        TypeKind::IntegerEnum(values) => integer_enum(&name, values, docs),
        TypeKind::Tagged(t) => {
            let plan = union_plan(api, def);
            let accessors = accessors(t, plan);
            let union = tagged(&name, t, plan, docs);
            // No empty `impl` block when the variants share no field.
            let accessors = if accessors.is_empty() { quote! {} } else { quote! { impl #name { #accessors } } };
            quote! {
                #union
                #accessors
            }
        }
        TypeKind::Untagged(u) => untagged(&name, u, union_plan(api, def), docs),
        TypeKind::Const(value) => const_def(&name, value, docs),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty);
            quote! { #docs pub type #name = #ty; }
        }
    }
}

/// A union's plan; resolve makes one for every union (a union without one gets no `From`
/// conversions and no accessors, and sets its tag on every variant's object: still correct code).
fn union_plan<'a>(api: &'a Api, def: &TypeDef) -> &'a UnionPlan {
    static NONE: UnionPlan = UnionPlan { from: Vec::new(), own_tag: Vec::new(), accessors: Vec::new() };
    debug_assert!(api.unions.contains_key(&def.name), "no plan for the union {}", def.name);
    api.unions.get(&def.name).unwrap_or(&NONE)
}

fn struct_def(def: &TypeDef, s: &Struct, docs: TokenStream) -> TokenStream {
    let name = naming::ident(&def.name);
    let mut defaults = Vec::new();
    let fields: Vec<TokenStream> = s.fields.iter().map(|field| field_def(field, &mut defaults)).collect();
    let additional = s.additional.as_ref().map(|additional| {
        let ident = naming::ident(&additional.rust_name);
        let ty = type_tokens(&additional.ty);
        quote! {
            /// Properties the schema does not list, by name.
            pub #ident: ::std::collections::BTreeMap<::std::string::String, #ty>,
        }
    });
    let all_optional = s.fields.iter().all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable));
    let default = if all_optional { quote! { ::std::default::Default, } } else { quote! {} };
    let serde = serde_struct(def, s);
    let builder = struct_builder(def, s, all_optional);
    // A field the document says nothing about has no doc (see `field_def`).
    let undescribed = if s.fields.iter().any(|f| docs::lines(&f.docs, "").is_empty()) {
        quote! { #[allow(missing_docs, reason = "the document describes only some of the fields")] }
    } else {
        quote! {}
    };
    quote! {
        #docs
        #undescribed
        #[derive(::std::clone::Clone, ::std::fmt::Debug, #default ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #serde
        #(#defaults)*
        #builder
    }
}

/// The struct's `Serialize` and `Deserialize`: `serde_struct!(Name { "tag": "value", field,
/// r#type: "type", optional default, defaulted default = function, ..map })` (see the runtime's
/// `serde_struct.rs`: serde's derives write about six times the code, the largest part of a
/// generated crate's build). A variant struct writes its union's tag itself, so it serializes the
/// same alone as through its union; reading ignores the tag, the union has checked it (and the
/// map of unlisted properties leaves it out: kept, it would be written twice).
fn serde_struct(def: &TypeDef, s: &Struct) -> TokenStream {
    let name = naming::ident(&def.name);
    let tag = s.tag.as_ref().map(|tag| {
        let (property, value) = (&tag.property, &tag.value);
        quote! { #property: #value }
    });
    let fields = s.fields.iter().map(|field| {
        let ident = naming::ident(&field.rust_name);
        let property = &field.json_name;
        // The property's name when it is not the field's (`stringify!(r#type)` is `r#type`).
        let named = if ident == field.json_name.as_str() { quote! { #ident } } else { quote! { #ident: #property } };
        match field.presence {
            Presence::Required | Presence::RequiredNullable => named,
            Presence::Optional | Presence::OptionalNullable => quote! { #named default },
            Presence::Defaulted => {
                let function = naming::ident(default_function(field));
                quote! { #named default = #function }
            }
        }
    });
    let map = s.additional.as_ref().map(|additional| {
        let ident = naming::ident(&additional.rust_name);
        quote! { ..#ident }
    });
    let entries = tag.into_iter().chain(fields).chain(map);
    quote! {
        crate::runtime::serde_struct!(#name { #(#entries),* });
    }
}

fn struct_builder(def: &TypeDef, s: &Struct, derives_default: bool) -> TokenStream {
    let name = naming::ident(&def.name);
    let mut parameters = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for field in &s.fields {
        let ident = naming::ident(&field.rust_name);
        let inner = type_tokens(&field.ty);
        match field.presence {
            Presence::Required => {
                parameters.push(quote! { #ident: impl ::std::convert::Into<#inner> });
                inits.push(quote! { #ident: #ident.into(), });
            }
            Presence::RequiredNullable => {
                parameters.push(quote! { #ident: impl ::std::convert::Into<::std::option::Option<#inner>> });
                inits.push(quote! { #ident: #ident.into(), });
            }
            Presence::Optional => inits.push(quote! { #ident: ::std::option::Option::None, }),
            Presence::OptionalNullable => inits.push(quote! { #ident: crate::runtime::Nullable::Absent, }),
            Presence::Defaulted => {
                let function = naming::ident(default_function(field));
                inits.push(quote! { #ident: #function(), });
            }
        }
        let setter = naming::ident(&field.setter);
        // One line per field, through the runtime's `setter!` / `optional_setter!`.
        let value_type = match field.presence {
            Presence::Required | Presence::Defaulted | Presence::Optional => quote! { #inner },
            Presence::RequiredNullable => quote! { ::std::option::Option<#inner> },
            Presence::OptionalNullable => quote! { crate::runtime::Nullable<#inner> },
        };
        let target = if field.setter == field.rust_name { quote! { #ident } } else { quote! { #setter = #ident } };
        let deprecated = if field.deprecated { quote! { #[deprecated] #[allow(deprecated)] } } else { quote! {} };
        let mac = if field.presence == Presence::Optional { quote! { optional_setter } } else { quote! { setter } };
        setters.push(quote! {
            crate::runtime::#mac!(#deprecated #target, #value_type);
        });
    }
    if let Some(additional) = &s.additional {
        let ident = naming::ident(&additional.rust_name);
        inits.push(quote! { #ident: ::std::default::Default::default(), });
    }
    let many = if parameters.len() > 7 { quote! { #[allow(clippy::too_many_arguments)] } } else { quote! {} };
    // A type named `New` has its constructor named like itself, as every struct has.
    let named_like_type = if def.name == "New" { quote! { #[allow(clippy::self_named_constructors)] } } else { quote! {} };
    let doc = if parameters.is_empty() {
        format!(" A `{}` with every field absent or at its default; set fields with the methods named after them.", def.name)
    } else {
        format!(" A `{}` from its required fields; set the others with the methods named after them.", def.name)
    };
    // The crate's own uses of deprecated types and fields (a field's type may be deprecated) are
    // not a warning; users of the API see the deprecation.
    let allow = quote! { #[allow(deprecated)] };
    let default_impl = if parameters.is_empty() && !derives_default {
        quote! {
            #allow
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        quote! {}
    };
    let limits = limit_consts(s);
    quote! {
        #allow
        impl #name {
            #(#limits)*

            #[doc = #doc]
            #many
            #named_like_type
            pub fn new(#(#parameters),*) -> Self {
                Self { #(#inits)* }
            }

            #(#setters)*
        }
        #default_impl
    }
}

/// The document's limits of each field as constants of its struct: `SIZE_MAXIMUM`,
/// `MIME_TYPE_PATTERN`, `PARTS_MAX_ITEMS`, ... A bound is typed as its field (and left out when it
/// is no value of that type); lengths and item counts are `usize`, patterns `&str`.
fn limit_consts(s: &Struct) -> Vec<TokenStream> {
    let mut consts = Vec::new();
    let mut taken = std::collections::BTreeSet::new();
    for field in &s.fields {
        let limits = &field.docs.limits;
        if limits.is_empty() {
            continue;
        }
        let mut ty = &field.ty;
        while let TypeRef::Boxed(inner) = ty {
            ty = inner;
        }
        let property = field.json_name.replace('`', "'");
        let stem = field.rust_name.trim_start_matches("r#").trim_end_matches('_').to_ascii_uppercase();
        // Field names are identifiers already; anything else (never expected) gets no constants.
        if !stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || stem.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let mut push = |suffix: &str, doc: String, ty: TokenStream, value: TokenStream| {
            let name = format!("{stem}_{suffix}");
            if taken.insert(name.clone()) {
                let ident = format_ident!("{}", name);
                let doc = format!(" {doc}");
                // A document's figure may look like π to clippy (`3.14`): it is the document's.
                let allow = if matches!(ty.to_string().as_str(), "f64" | "f32") { quote! { #[allow(clippy::approx_constant)] } } else { quote! {} };
                consts.push(quote! { #[doc = #doc] #allow pub const #ident: #ty = #value; });
            }
        };
        let bounds = [("MINIMUM", &limits.minimum, "at least", "above"), ("MAXIMUM", &limits.maximum, "at most", "below")];
        for (suffix, bound, inclusive, exclusive_word) in bounds {
            let Some((value, exclusive)) = bound else { continue };
            let TypeRef::Primitive(primitive) = ty else { continue };
            let Some((rust_type, literal)) = bound_literal(*primitive, value) else { continue };
            let keyword = suffix.to_ascii_lowercase();
            let (suffix, doc) = if *exclusive {
                (format!("EXCLUSIVE_{suffix}"), format!("`{property}` is {exclusive_word} this (the document's exclusive `{keyword}`)."))
            } else {
                (suffix.to_owned(), format!("`{property}` is {inclusive} this (the document's `{keyword}`)."))
            };
            push(&suffix, doc, rust_type, literal);
        }
        let string = matches!(ty, TypeRef::Primitive(Primitive::String));
        let array = matches!(ty, TypeRef::Vec(_));
        let counts = [
            ("MIN_LENGTH", limits.min_length.filter(|_| string), "characters at least", "minLength"),
            ("MAX_LENGTH", limits.max_length.filter(|_| string), "characters at most", "maxLength"),
            ("MIN_ITEMS", limits.min_items.filter(|_| array), "items at least", "minItems"),
            ("MAX_ITEMS", limits.max_items.filter(|_| array), "items at most", "maxItems"),
        ];
        for (suffix, count, what, keyword) in counts {
            let Some(count) = count else { continue };
            let literal = Literal::usize_unsuffixed(count);
            push(suffix, format!("`{property}` has this many {what} (the document's `{keyword}`)."), quote! { usize }, quote! { #literal });
        }
        if let Some(pattern) = limits.pattern.as_ref().filter(|_| string) {
            let doc = format!("`{property}` matches this regular expression (the document's `pattern`, as written there).");
            push("PATTERN", doc, quote! { &'static str }, quote! { #pattern });
        }
    }
    consts
}

/// A bound as a literal of the field's type, when it is a value of that type.
fn bound_literal(primitive: Primitive, value: &serde_json::Number) -> Option<(TokenStream, TokenStream)> {
    let literal = match primitive {
        Primitive::I32 => Literal::i32_unsuffixed(i32::try_from(value.as_i64()?).ok()?),
        Primitive::I64 => Literal::i64_unsuffixed(value.as_i64()?),
        Primitive::U32 => Literal::u32_unsuffixed(u32::try_from(value.as_u64()?).ok()?),
        Primitive::U64 => Literal::u64_unsuffixed(value.as_u64()?),
        Primitive::I128 => Literal::i128_unsuffixed(value.as_i64().map(i128::from).or_else(|| value.as_u64().map(i128::from))?),
        Primitive::F64 => return Some((quote! { f64 }, float_tokens(value.as_f64().filter(|v| v.is_finite())?))),
        Primitive::F32 => {
            let value = value.as_f64().filter(|v| v.is_finite() && v.abs() <= f64::from(f32::MAX))? as f32;
            return Some((quote! { f32 }, format!("{value:?}").parse().ok()?));
        }
        _ => return None,
    };
    let rust_type: TokenStream = primitive.rust_path().parse().ok()?;
    Some((rust_type, quote! { #literal }))
}

/// The name the resolve stage gave a defaulted field's default function.
fn default_function(field: &Field) -> &str {
    field.default_function.as_deref().unwrap_or("default")
}

fn field_def(field: &Field, defaults: &mut Vec<TokenStream>) -> TokenStream {
    let ident = naming::ident(&field.rust_name);
    // What the document says of the field, and nothing when it says nothing: a sentence that only
    // repeats the name and type would be filler (the struct then allows `missing_docs`).
    let doc_attrs = docs::attrs(&docs::lines(&field.docs, ""));
    let deprecated = deprecated_attr(field.deprecated);
    let inner = type_tokens(&field.ty);
    let ty = match field.presence {
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => quote! { ::std::option::Option<#inner> },
        Presence::OptionalNullable => quote! { crate::runtime::Nullable<#inner> },
        Presence::Defaulted => {
            let function_ident = naming::ident(default_function(field));
            let value = default_value(&field.ty, field.default.as_ref());
            defaults.push(quote! {
                fn #function_ident() -> #inner { #value }
            });
            inner
        }
    };
    quote! {
        #doc_attrs
        #deprecated
        pub #ident: #ty,
    }
}

/// The expression for a default the resolve stage judged to fit the type.
fn default_value(ty: &TypeRef, value: Option<&Value>) -> TokenStream {
    match (ty, value) {
        (TypeRef::Primitive(Primitive::Bool), Some(Value::Bool(b))) => quote! { #b },
        (TypeRef::Primitive(Primitive::String), Some(Value::String(s))) => quote! { ::std::string::String::from(#s) },
        (TypeRef::Primitive(Primitive::I32), Some(Value::Number(n))) => {
            let n = Literal::i32_suffixed(n.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or_default());
            quote! { #n }
        }
        (TypeRef::Primitive(Primitive::I64), Some(Value::Number(n))) => {
            let n = Literal::i64_suffixed(n.as_i64().unwrap_or_default());
            quote! { #n }
        }
        (TypeRef::Primitive(Primitive::I128), Some(Value::Number(n))) => {
            let n = Literal::i128_suffixed(i128::from(n.as_i64().unwrap_or_default()));
            quote! { #n }
        }
        (TypeRef::Primitive(Primitive::U32), Some(Value::Number(n))) => {
            let n = Literal::u32_suffixed(n.as_u64().and_then(|n| u32::try_from(n).ok()).unwrap_or_default());
            quote! { #n }
        }
        (TypeRef::Primitive(Primitive::U64), Some(Value::Number(n))) => {
            let n = Literal::u64_suffixed(n.as_u64().unwrap_or_default());
            quote! { #n }
        }
        (TypeRef::Primitive(Primitive::F32), Some(Value::Number(n))) => {
            let n = Literal::f32_suffixed(n.as_f64().unwrap_or_default() as f32);
            quote! { #n }
        }
        (TypeRef::Primitive(Primitive::F64), Some(Value::Number(n))) => {
            let n = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
            quote! { #n }
        }
        (TypeRef::Named(name), Some(Value::String(s))) => {
            let ident = naming::ident(name);
            quote! { <crate::models::#ident as ::std::convert::From<&str>>::from(#s) }
        }
        _ => quote! { ::std::default::Default::default() },
    }
}

fn string_enum(name: &proc_macro2::Ident, e: &StringEnum, docs: TokenStream) -> TokenStream {
    let unknown = naming::ident(&e.unknown_variant);
    let variants: Vec<_> = e.variants.iter().map(|v| naming::ident(&v.rust_name)).collect();
    let values: Vec<_> = e.variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = values.iter().map(|v| format!(" {}", docs::code(v))).collect::<Vec<_>>();
    let unknown_doc = format!(
        " Values this version of the crate does not know decode into the [`{0}`](Self::{0}) variant instead of failing.",
        e.unknown_variant
    );
    quote! {
        #docs
        ///
        #[doc = #unknown_doc]
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        // The API adds values: a later crate knows more variants.
        #[non_exhaustive]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #variants,
            )*
            /// A value this version of the crate does not know, kept verbatim.
            #unknown(::std::string::String),
        }

        // `as_str`, `From<&str>`, `Display`, `From<String>`, `FromStr`, `Serialize`, `Deserialize`.
        crate::runtime::string_enum!(#name { #(#variants: #values,)* ..#unknown });
    }
}

fn integer_enum(name: &proc_macro2::Ident, values: &[crate::ir::IntegerValue], docs: TokenStream) -> TokenStream {
    let consts: Vec<_> = values.iter().map(|v| naming::ident(&v.rust_name)).collect();
    let numbers: Vec<_> = values.iter().map(|v| Literal::i64_unsuffixed(v.value)).collect();
    let const_docs: Vec<_> = values.iter().map(|v| format!(" `{}`", v.value)).collect();
    quote! {
        #docs
        ///
        /// Any integer decodes (the API may add values); the listed ones are constants.
        #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub i64);

        impl #name {
            #(
                #[doc = #const_docs]
                pub const #consts: Self = Self(#numbers);
            )*

            /// Every value the document lists.
            pub const KNOWN: &'static [Self] = &[#(Self::#consts),*];

            /// Whether the value is one the document lists.
            pub fn is_known(self) -> bool {
                Self::KNOWN.contains(&self)
            }
        }
    }
}

/// The union's accessors (`file.name()` instead of a match over every kind), as its plan lists
/// them (`resolve::unions`). `None` for an unknown variant.
fn accessors(t: &Tagged, plan: &UnionPlan) -> TokenStream {
    let unknown = naming::ident(&t.unknown_variant);
    let variants: Vec<_> = t.variants.iter().map(|v| naming::ident(&v.rust_name)).collect();
    let accessors = plan.accessors.iter().map(|accessor| {
        let ident = naming::ident(&accessor.rust_name);
        let inner = type_tokens(&accessor.ty);
        // `Copy` scalars (ids, numbers, times) by value, so `update(file.id()?, ..)` takes them.
        let copy = is_copy(&accessor.ty);
        let (returns, access) = match (accessor.presence, copy) {
            (Presence::Required | Presence::Defaulted, true) => (quote! { #inner }, quote! { ::std::option::Option::Some(value.#ident) }),
            (Presence::Required | Presence::Defaulted, false) => (quote! { &#inner }, quote! { ::std::option::Option::Some(&value.#ident) }),
            (_, true) => (quote! { #inner }, quote! { value.#ident.as_ref().copied() }),
            (_, false) => (quote! { &#inner }, quote! { value.#ident.as_ref() }),
        };
        let doc = format!(" The {} of whichever variant this is (`None` for an unknown one, or when it is not set).", docs::code(&accessor.json_name));
        quote! {
            #[doc = #doc]
            pub fn #ident(&self) -> ::std::option::Option<#returns> {
                match self {
                    #( Self::#variants(value) => #access, )*
                    Self::#unknown(_) => ::std::option::Option::None,
                }
            }
        }
    });
    quote! { #(#accessors)* }
}

/// Whether a type is a `Copy` scalar (returned by value from accessors).
fn is_copy(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Primitive(
            Primitive::Bool
                | Primitive::I32
                | Primitive::I64
                | Primitive::I128
                | Primitive::U32
                | Primitive::U64
                | Primitive::F32
                | Primitive::F64
                | Primitive::Uuid
                | Primitive::DateTime
                | Primitive::Date
        )
    )
}

fn tagged(name: &proc_macro2::Ident, t: &Tagged, plan: &UnionPlan, docs: TokenStream) -> TokenStream {
    let tag = &t.tag;
    let unknown = naming::ident(&t.unknown_variant);
    let variants: Vec<_> = t.variants.iter().map(|v| naming::ident(&v.rust_name)).collect();
    let values: Vec<_> = t.variants.iter().map(|v| v.tag_value.as_str()).collect();
    let types: Vec<_> = t.variants.iter().map(|v| type_tokens(&v.ty)).collect();
    let variant_docs: Vec<_> = values.iter().map(|v| format!(" {}", docs::code(&format!("{tag}: {v}")))).collect();
    let unknown_doc = format!(" A {} this version of the crate does not know: the whole JSON object, kept verbatim.", docs::code(tag));
    let from_impls = from_impls(name, &variants, &t.variants.iter().map(|v| &v.ty).collect::<Vec<_>>(), plan);
    let union_doc = format!(
        " Tagged by the {1} property. An unknown tag decodes into the [`{0}`](Self::{0}) variant.",
        t.unknown_variant,
        docs::code(tag)
    );
    // A variant struct that writes this union's tag itself (the plan says which) is written as
    // it is; any other has the union's tag set on its JSON object (`with_tag`).
    let entries = t.variants.iter().enumerate().map(|(index, v)| {
        let variant = naming::ident(&v.rust_name);
        let value = &v.tag_value;
        if plan.own_tag.get(index).copied().unwrap_or(false) {
            quote! { #variant: #value, }
        } else {
            quote! { #variant: #value with_tag, }
        }
    });
    quote! {
        #docs
        ///
        #[doc = #union_doc]
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
        // Variants hold their structs by value, so they match without unboxing; sizes may differ.
        #[allow(clippy::large_enum_variant)]
        // The API adds kinds: a later crate knows more variants.
        #[non_exhaustive]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #variants(#types),
            )*
            #[doc = #unknown_doc]
            #unknown(::serde_json::Value),
        }
        // `tag()`, `Serialize` (the variant's value) and `Deserialize` (the variant the tag names).
        crate::runtime::tagged!(#name { tag = #tag, #(#entries)* ..#unknown });
        #from_impls
    }
}

fn untagged(name: &proc_macro2::Ident, u: &Untagged, plan: &UnionPlan, docs: TokenStream) -> TokenStream {
    let variants: Vec<_> = u.variants.iter().map(|v| naming::ident(&v.rust_name)).collect();
    let types: Vec<_> = u.variants.iter().map(|v| type_tokens(&v.ty)).collect();
    let variant_docs: Vec<_> = u.variants.iter().map(|v| format!(" A value of the `{}` kind.", v.rust_name)).collect();
    let from_impls = from_impls(name, &variants, &u.variants.iter().map(|v| &v.ty).collect::<Vec<_>>(), plan);
    // The variants in document order, each with the checks its type does not make.
    let entries = u.variants.iter().map(|v| {
        let variant = naming::ident(&v.rust_name);
        if v.checks.is_empty() {
            return quote! { #variant };
        }
        let checks = v.checks.iter().map(check_tokens);
        quote! { #variant: [#(#checks),*] }
    });
    quote! {
        #docs
        ///
        /// Untagged: a value decodes into the variant that accounts for it best (the document's
        /// constraints met, every property kept), not merely the first that decodes (see [how
        /// untagged unions are read](crate::runtime::untagged)).
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #variants(#types),
            )*
        }
        // `Serialize` (the variant's value) and `Deserialize` (the variant that fits best).
        crate::runtime::untagged!(#name { #(#entries),* });
        #from_impls
    }
}

/// A finite float as its shortest literal (`1e300`, `-273.15`, `5.0`), not written out in full.
fn float_tokens(value: f64) -> TokenStream {
    format!("{value:?}").parse().unwrap_or_else(|_| quote! { 0.0 })
}

fn check_tokens(check: &crate::ir::Check) -> TokenStream {
    use crate::ir::Check;
    match check {
        Check::Strings(values) => quote! { Strings(&[#(#values),*]) },
        Check::Integers(values) => {
            let values = values.iter().map(|v| Literal::i64_unsuffixed(*v));
            quote! { Integers(&[#(#values),*]) }
        }
        Check::Pattern(pattern) => quote! { Pattern(#pattern) },
        Check::Minimum(value, exclusive) => {
            let value = float_tokens(*value);
            quote! { Minimum(#value, #exclusive) }
        }
        Check::Maximum(value, exclusive) => {
            let value = float_tokens(*value);
            quote! { Maximum(#value, #exclusive) }
        }
        Check::MinLength(n) => {
            let n = Literal::usize_unsuffixed(*n);
            quote! { MinLength(#n) }
        }
        Check::MaxLength(n) => {
            let n = Literal::usize_unsuffixed(*n);
            quote! { MaxLength(#n) }
        }
        Check::Property(name, checks) => {
            let checks = checks.iter().map(check_tokens);
            quote! { Property(#name, &[#(#checks),*]) }
        }
    }
}

/// `From<Variant>` for a union, for each variant its plan says (those whose Rust type no other
/// variant has).
fn from_impls(name: &proc_macro2::Ident, variants: &[proc_macro2::Ident], types: &[&TypeRef], plan: &UnionPlan) -> TokenStream {
    let impls = variants.iter().zip(types).zip(&plan.from).filter(|(_, from)| **from).map(|((variant, ty), _)| {
        let ty = type_tokens(ty);
        quote! { crate::runtime::from_variant!(#name, #variant, #ty); }
    });
    quote! { #(#impls)* }
}

fn const_def(name: &proc_macro2::Ident, value: &Value, docs: TokenStream) -> TokenStream {
    let literal_doc = format!(" Always {}: the type serializes itself as that value and accepts nothing else.", docs::code(&value.to_string()));
    let common = quote! {
        #docs
        ///
        #[doc = #literal_doc]
        #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug, ::std::default::Default, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        pub struct #name;
    };
    match value {
        Value::String(text) => quote! {
            #common
            crate::runtime::literal!(#name, #text);
        },
        other => {
            let json = other.to_string();
            quote! {
                #common
                crate::runtime::literal!(#name, json = #json);
            }
        }
    }
}
