//! The crate around the models: `lib.rs`, `Cargo.toml` and the runtime files.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::ir::Api;
use crate::naming;
use crate::Settings;

/// The runtime files, shipped verbatim: (path in the crate, source).
pub(crate) const RUNTIME: &[(&str, &str)] = &[
    ("src/runtime/mod.rs", include_str!("../../runtime/src/lib.rs")),
    ("src/runtime/client.rs", include_str!("../../runtime/src/client.rs")),
    ("src/runtime/error.rs", include_str!("../../runtime/src/error.rs")),
    ("src/runtime/nullable.rs", include_str!("../../runtime/src/nullable.rs")),
    ("src/runtime/pagination.rs", include_str!("../../runtime/src/pagination.rs")),
    ("src/runtime/request.rs", include_str!("../../runtime/src/request.rs")),
    ("src/runtime/retry.rs", include_str!("../../runtime/src/retry.rs")),
    ("src/runtime/untagged.rs", include_str!("../../runtime/src/untagged.rs")),
];

pub(crate) fn lib_rs(api: &Api, settings: &Settings) -> TokenStream {
    let mut paragraphs = vec![vec![format!("# {}", docs::inline(&api.title))]];
    if let Some(description) = &api.description {
        paragraphs.push(docs::text(description));
    }
    paragraphs.push(super::client::quick_start(api, settings));
    paragraphs.push(vec![format!(
        "Generated from version {} of the OpenAPI document {} by {}.",
        docs::code(&api.version),
        docs::inline(&settings.source_name),
        docs::code(&settings.command),
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
        /// Typed fake responses for tests, on a local wiremock server (feature `mock`).
        #[cfg(feature = "mock")]
        pub mod mock;
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

/// The generated crate's manifest, written with a TOML library: document text (the title) and
/// settings land in it as TOML strings, escaped whatever they hold.
pub(crate) fn cargo_toml(api: &Api, settings: &Settings) -> String {
    use toml_edit::{value, Array, DocumentMut, InlineTable, Item, Table};

    fn features(names: &[&str]) -> Array {
        names.iter().copied().collect()
    }
    fn dependency(version: &str, default_features: bool, with: &[&str]) -> Item {
        let mut table = InlineTable::new();
        table.insert("version", version.into());
        if !default_features {
            table.insert("default-features", false.into());
        }
        if !with.is_empty() {
            table.insert("features", features(with).into());
        }
        value(table)
    }

    let title = docs::plain(&api.title);
    let mut package = Table::new();
    package.insert("name", value(settings.crate_name.as_str()));
    package.insert("version", value(settings.crate_version.as_str()));
    package.insert("edition", value("2021"));
    package.insert("rust-version", value(crate::RUST_VERSION));
    package.insert("description", value(format!("Typed async client for {title}")));
    package.insert("publish", value(false));

    let mut dependencies = Table::new();
    dependencies.insert("bytes", value("1.5"));
    dependencies.insert("chrono", dependency("0.4.38", false, &["serde", "std", "clock"]));
    dependencies.insert("fastrand", value("2"));
    dependencies.insert("futures-util", dependency("0.3.30", false, &["std"]));
    dependencies.insert("http", value("1"));
    dependencies.insert("httpdate", value("1"));
    dependencies.insert("percent-encoding", value("2.3"));
    // Untagged unions check `pattern`s when ranking their members (runtime/untagged.rs).
    dependencies.insert("regex", dependency("1.10", false, &["std", "unicode"]));
    dependencies.insert("reqwest", dependency("0.13.5", false, &[]));
    dependencies.insert("serde", dependency("1.0.190", true, &["derive"]));
    dependencies.insert("serde_json", value("1.0.100"));
    dependencies.insert("serde_urlencoded", value("0.7"));
    dependencies.insert("tokio", dependency("1.38", true, &["time"]));
    dependencies.insert("tracing", value("0.1.40"));
    dependencies.insert("uuid", dependency("1.8", true, &["serde"]));
    // Behind the `middleware` feature: `ClientBuilder::middleware` takes a `ClientWithMiddleware`.
    let mut middleware = InlineTable::new();
    middleware.insert("version", "0.5.2".into());
    middleware.insert("optional", true.into());
    dependencies.insert("reqwest-middleware", value(middleware));
    // Behind the `mock` feature: the `mock` module (typed fake responses for tests).
    let mut wiremock = InlineTable::new();
    wiremock.insert("version", "0.6.5".into());
    wiremock.insert("optional", true.into());
    dependencies.insert("wiremock", value(wiremock));

    let mut manifest = DocumentMut::new();
    manifest.insert("package", Item::Table(package));
    manifest.insert("dependencies", Item::Table(dependencies));
    // TLS backends (reqwest's), one chosen with `default-features = false, features = [..]`:
    // rustls (with aws-lc-rs, the platform's verifier and roots) by default, or the platform's TLS.
    let mut tls = Table::new();
    tls.insert("default", value(features(&["rustls"])));
    tls.insert("rustls", value(features(&["reqwest/rustls"])));
    tls.insert("native-tls", value(features(&["reqwest/native-tls"])));
    // Requests through a `reqwest_middleware::ClientWithMiddleware` (`ClientBuilder::middleware`).
    tls.insert("middleware", value(features(&["dep:reqwest-middleware"])));
    // The `mock` module: typed fake responses for a downstream crate's tests (wiremock).
    tls.insert("mock", value(features(&["dep:wiremock"])));
    manifest.insert("features", Item::Table(tls));
    if settings.standalone_workspace {
        // Its own workspace resolves dependencies with the MSRV-aware resolver, so a fresh lock
        // file picks versions that build with `rust-version`.
        let mut workspace = Table::new();
        workspace.insert("resolver", value("3"));
        manifest.insert("workspace", Item::Table(workspace));
    }
    manifest.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_hold_any_title() {
        let api = Api {
            title: "t\\\" q\"\nline\u{1}nul\u{0}".to_owned(),
            description: None,
            version: "1".to_owned(),
            servers: Vec::new(),
            types: Default::default(),
            operations: Vec::new(),
            groups: Vec::new(),
        };
        let manifest = cargo_toml(&api, &Settings::standalone("a-b", "doc.yaml"));
        // TOML escapes: a backslash, a quote; the line break is a space, control characters
        // are shown (a NUL could not reach rustc through cargo's environment).
        assert!(
            manifest.contains(r#"description = 'Typed async client for t\" q" line\u{1}nul\u{0}'"#)
                || manifest.contains(r#"description = "Typed async client for t\\\" q\" line\\u{1}nul\\u{0}""#),
            "{manifest}"
        );
        assert!(manifest.contains("\n[workspace]\nresolver = \"3\"\n"), "{manifest}");
        assert!(manifest.starts_with("[package]\nname = \"a-b\"\n"), "{manifest}");
    }
}
