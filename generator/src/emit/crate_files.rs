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

        pub mod client;
        pub mod models;
        pub mod runtime;
        #(#extra)*

        pub use client::Server;
        pub use runtime::{Client, ClientBuilder, Error, Nullable, RetryPolicy, SecretToken};

        // The crates whose types appear in this crate's public API, so a user names them
        // (`polar_files::uuid::Uuid`) without adding and version-matching them.
        #[doc(no_inline)]
        pub use ::bytes;
        #[doc(no_inline)]
        pub use ::chrono;
        #[doc(no_inline)]
        pub use ::http;
        #[doc(no_inline)]
        pub use ::reqwest;
        #[doc(no_inline)]
        pub use ::serde_json;
        #[doc(no_inline)]
        pub use ::uuid;

        /// The version of the API this crate was generated for (`info.version`).
        pub const API_VERSION: &str = #version;
    }
}

pub(crate) fn cargo_toml(api: &Api, settings: &Settings) -> String {
    let description = format!("Typed async client for {}", api.title).replace('"', "'");
    // Its own workspace resolves dependencies with the MSRV-aware resolver, so a fresh lock file
    // picks versions that build with `rust-version`.
    let workspace = if settings.standalone_workspace { "\n[workspace]\nresolver = \"3\"\n" } else { "" };
    format!(
        r#"[package]
name = "{name}"
version = "{version}"
edition = "2021"
rust-version = "{rust_version}"
description = "{description}"
publish = false

[dependencies]
bytes = "1.5"
chrono = {{ version = "0.4.38", default-features = false, features = ["serde", "std", "clock"] }}
fastrand = "2"
futures-util = {{ version = "0.3.30", default-features = false, features = ["std"] }}
http = "1"
httpdate = "1"
percent-encoding = "2.3"
reqwest = {{ version = "0.13.5", default-features = false }}
serde = {{ version = "1.0.190", features = ["derive"] }}
serde_json = "1.0.100"
serde_urlencoded = "0.7"
tokio = {{ version = "1.38", features = ["time"] }}
tracing = "0.1.40"
uuid = {{ version = "1.8", features = ["serde"] }}

# TLS backends (reqwest's), one chosen with `default-features = false, features = [..]`.
[features]
default = ["rustls"]
# rustls (with aws-lc-rs), verifying certificates with the platform's verifier and roots.
rustls = ["reqwest/rustls"]
# The platform's TLS (OpenSSL, Secure Transport, SChannel) and its roots.
native-tls = ["reqwest/native-tls"]
{workspace}"#,
        name = settings.crate_name,
        version = settings.crate_version,
        rust_version = crate::RUST_VERSION,
    )
}
