//! The crate around the models: `lib.rs`, `Cargo.toml` and the runtime files.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::ir::Api;
use crate::naming;
use crate::Settings;

/// The runtime files, shipped verbatim: (path in the crate, source).
pub(crate) const RUNTIME: &[(&str, &str)] = &[
    ("src/runtime/mod.rs", include_str!("../../runtime/mod.rs")),
    ("src/runtime/client.rs", include_str!("../../runtime/client.rs")),
    ("src/runtime/error.rs", include_str!("../../runtime/error.rs")),
    ("src/runtime/nullable.rs", include_str!("../../runtime/nullable.rs")),
    ("src/runtime/pagination.rs", include_str!("../../runtime/pagination.rs")),
    ("src/runtime/request.rs", include_str!("../../runtime/request.rs")),
    ("src/runtime/retry.rs", include_str!("../../runtime/retry.rs")),
    ("src/runtime/untagged.rs", include_str!("../../runtime/untagged.rs")),
];

pub(crate) fn lib_rs(api: &Api, settings: &Settings) -> TokenStream {
    let mut paragraphs = vec![vec![format!("# {}", docs::inline(&api.title))]];
    if let Some(description) = &api.description {
        paragraphs.push(docs::text(description));
    }
    paragraphs.push(super::client::quick_start(api, settings));
    paragraphs.push(vec![format!(
        "Generated from version `{}` of the OpenAPI document {} by `{}`.",
        api.version.replace('`', "'"),
        docs::inline(&settings.source_name),
        settings.command.replace('`', "'"),
    )]);
    let lines: Vec<String> = docs::join(paragraphs).into_iter().map(|l| if l.is_empty() { l } else { format!(" {l}") }).collect();
    let version = &api.version;
    let extra = settings.extra_modules.iter().map(|module| {
        let ident = naming::ident(module);
        quote! { pub mod #ident; }
    });
    quote! {
        #( #![doc = #lines] )*
        #![warn(missing_docs)]
        // The crate's own uses of the document's deprecated schemas and operations (its fields,
        // derives and builders) are not the user's: users of the API still see the deprecation.
        #![allow(deprecated)]
        // Types are the document's: nested maps (`BTreeMap<String, BTreeMap<String, ...>>`) are
        // spelled out where they are used.
        #![allow(clippy::type_complexity)]

        pub mod client;
        pub mod models;
        pub mod runtime;
        #(#extra)*

        pub use client::Server;
        pub use runtime::{Client, ClientBuilder, Error, Nullable, RetryPolicy, SecretToken};

        /// The version of the API this crate was generated for (`info.version`).
        pub const API_VERSION: &str = #version;
    }
}

pub(crate) fn cargo_toml(api: &Api, settings: &Settings) -> String {
    let description = format!("Typed async client for {}", api.title).replace('"', "'");
    let workspace = if settings.standalone_workspace { "\n[workspace]\n" } else { "" };
    format!(
        r#"[package]
name = "{name}"
version = "{version}"
edition = "2021"
rust-version = "1.80"
description = "{description}"
publish = false

[dependencies]
bytes = "1.5"
chrono = {{ version = "0.4.38", default-features = false, features = ["serde", "std", "clock"] }}
fastrand = "2"
futures-util = {{ version = "0.3.30", default-features = false, features = ["std"] }}
httpdate = "1"
percent-encoding = "2.3"
regex = {{ version = "1.10", default-features = false, features = ["std", "unicode"] }}
reqwest = {{ version = "0.12.5", default-features = false, features = ["rustls-tls"] }}
serde = {{ version = "1.0.190", features = ["derive"] }}
serde_json = "1.0.100"
serde_urlencoded = "0.7"
tokio = {{ version = "1.38", features = ["time"] }}
tracing = "0.1.40"
uuid = {{ version = "1.8", features = ["serde"] }}
{workspace}"#,
        name = settings.crate_name,
        version = settings.crate_version,
    )
}
