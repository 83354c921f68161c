//! Type positions → Rust type tokens, every path fully qualified.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Primitive, TypeRef};
use crate::naming;

pub(crate) fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Named(name) => {
            let ident = naming::ident(name);
            quote! { crate::models::#ident }
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner);
            quote! { ::std::vec::Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner);
            quote! { ::std::collections::BTreeMap<::std::string::String, #inner> }
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(type_tokens);
            quote! { ( #(#items,)* ) }
        }
        TypeRef::Json => quote! { ::serde_json::Value },
        TypeRef::JsonObject => quote! { ::serde_json::Map<::std::string::String, ::serde_json::Value> },
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner);
            quote! { ::std::boxed::Box<#inner> }
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner);
            quote! { ::std::option::Option<#inner> }
        }
    }
}

fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote! { ::std::string::String },
        Primitive::Bool => quote! { bool },
        Primitive::I32 => quote! { i32 },
        Primitive::I64 => quote! { i64 },
        Primitive::U32 => quote! { u32 },
        Primitive::U64 => quote! { u64 },
        Primitive::I128 => quote! { i128 },
        Primitive::F32 => quote! { f32 },
        Primitive::F64 => quote! { f64 },
        Primitive::Uuid => quote! { ::uuid::Uuid },
        Primitive::DateTime => quote! { ::chrono::DateTime<::chrono::Utc> },
        Primitive::Date => quote! { ::chrono::NaiveDate },
        Primitive::Bytes => quote! { ::std::vec::Vec<u8> },
    }
}
