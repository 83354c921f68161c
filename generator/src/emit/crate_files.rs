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
    ("src/runtime/buffer.rs", include_str!("../../runtime/src/buffer.rs")),
    ("src/runtime/call.rs", include_str!("../../runtime/src/call.rs")),
    ("src/runtime/client.rs", include_str!("../../runtime/src/client.rs")),
    ("src/runtime/error.rs", include_str!("../../runtime/src/error.rs")),
    ("src/runtime/literal.rs", include_str!("../../runtime/src/literal.rs")),
    ("src/runtime/mock.rs", include_str!("../../runtime/src/mock.rs")),
    ("src/runtime/nullable.rs", include_str!("../../runtime/src/nullable.rs")),
    ("src/runtime/pagination.rs", include_str!("../../runtime/src/pagination.rs")),
    ("src/runtime/request.rs", include_str!("../../runtime/src/request.rs")),
    ("src/runtime/retry.rs", include_str!("../../runtime/src/retry.rs")),
    ("src/runtime/serde_struct.rs", include_str!("../../runtime/src/serde_struct.rs")),
    ("src/runtime/tagged.rs", include_str!("../../runtime/src/tagged.rs")),
    ("src/runtime/untagged.rs", include_str!("../../runtime/src/untagged.rs")),
];

/// The crates whose types appear in every generated crate's public API, re-exported by its
/// `lib.rs` (and named through the crate in doc examples: `polar_files::uuid::Uuid`).
pub(crate) const REEXPORTED_CRATES: &[&str] = &["bytes", "chrono", "http", "reqwest", "serde_json", "uuid"];

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
    let reexported = REEXPORTED_CRATES.iter().map(|name| naming::ident(name));
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
        // Its docs are its file's.
        #[cfg(feature = "mock")]
        pub mod mock;
        #(#extra)*

        pub use client::Server;
        pub use runtime::{Client, ClientBuilder, Error, Nullable, RetryPolicy, SecretToken};

        // The crates whose types appear in this crate's public API, so a user names them
        // (`polar_files::uuid::Uuid`) without adding and version-matching them.
        #(
            #[doc(no_inline)]
            pub use ::#reexported;
        )*
        #[cfg(feature = "middleware")]
        #[doc(no_inline)]
        pub use ::reqwest_middleware;

        /// The version of the API this crate was generated for (`info.version`).
        pub const API_VERSION: &str = #version;
    }
}

/// The runtime's manifest (`generator/runtime/Cargo.toml`): the home of the dependency list.
const RUNTIME_MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// [`RUNTIME_MANIFEST`], parsed (a constant of this crate: a unit test parses it).
#[allow(clippy::expect_used, reason = "a constant of this crate, parsed by a unit test")]
fn runtime_manifest() -> toml_edit::DocumentMut {
    RUNTIME_MANIFEST.parse().expect("the runtime's manifest is TOML")
}

/// The generated crate's manifest, written with a TOML library: document text (the title) and
/// settings land in it as TOML strings, escaped whatever they hold.
pub(crate) fn cargo_toml(api: &Api, settings: &Settings) -> String {
    use toml_edit::{value, DocumentMut, Item, Table};

    let title = docs::plain(&api.title);
    let mut package = Table::new();
    package.insert("name", value(settings.crate_name.as_str()));
    package.insert("version", value(settings.crate_version.as_str()));
    package.insert("edition", value("2021"));
    package.insert("rust-version", value(crate::RUST_VERSION));
    package.insert("description", value(format!("Typed async client for {title}")));
    package.insert("publish", value(false));

    // One dependency list: the runtime's manifest holds every generated crate's dependencies
    // and features (with their comments), copied as they are.
    let runtime = runtime_manifest();
    let mut manifest = DocumentMut::new();
    manifest.insert("package", Item::Table(package));
    for section in ["dependencies", "features"] {
        if let Some(table) = runtime.get(section) {
            manifest.insert(section, table.clone());
        }
    }
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
            unions: Default::default(),
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
        // The dependencies and features are the runtime's manifest's, comments included.
        assert!(manifest.contains("\n[dependencies]\nbytes = \"1.5\"\n"), "{manifest}");
        assert!(manifest.contains("\nreqwest = { version = \"0.13.5\", default-features = false }\n"), "{manifest}");
        assert!(manifest.contains("\n[features]\ndefault = [\"rustls\"]\n"), "{manifest}");
        assert!(manifest.contains("# Untagged unions check `pattern`s"), "{manifest}");
    }
}
