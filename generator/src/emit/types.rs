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
    // The IR's path is Rust syntax the generator wrote itself: it always lexes.
    p.rust_path().parse().unwrap_or_default()
}
