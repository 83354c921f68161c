//! Turns an OpenAPI 3.0 or 3.1 document into a typed, async Rust client crate.
//!
//! One pipeline, in stages, each its own module:
//!
//! 1. [`load`]: YAML/JSON text → OpenAPI 3.0 structures, with 3.1 constructs lowered;
//! 2. [`resolve`]: → the [`ir`], every `$ref` followed and every Rust name decided ([`naming`]);
//! 3. [`emit`]: → Rust source files, pretty-printed.
//!
//! The library does no file I/O: [`generate`] returns the files, the caller writes them.
//! Problems are [`Diagnostic`]s located by JSON pointer; a stage reports all of its errors at once.

#![deny(missing_docs)]

pub mod bundle;
pub mod config;
mod customize;
pub mod diagnostics;
pub mod emit;
pub mod filter;
pub mod ir;
pub mod load;
mod locate;
pub mod naming;
pub mod resolve;
mod settings_check;

pub use config::Config;
pub use customize::REPLACEABLE_FORMATS;
pub use diagnostics::{Diagnostic, Error, Severity, Stage};
pub use filter::Filter;

use std::collections::{BTreeMap, BTreeSet};

/// The `rust-version` written into generated crates: the generator's own, which is the workspace's
/// (one declaration, checked against the locked dependency graph by the MSRV test).
pub const RUST_VERSION: &str = env!("CARGO_PKG_RUST_VERSION");

/// How to generate: everything that is not the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The generated crate's package name, such as `polar-files`.
    pub crate_name: String,
    /// The generated crate's version.
    pub crate_version: String,
    /// The command named in every file's do-not-edit header.
    pub command: String,
    /// The document's name as the header and crate docs cite it, such as `specs/polar-files.openapi.yaml`.
    pub source_name: String,
    /// Whether to emit a `Cargo.toml` (a crate that stands alone, outside this workspace).
    pub standalone: bool,
    /// Whether that `Cargo.toml` declares its own (empty) `[workspace]`, so it builds even when it
    /// sits inside another workspace's directory.
    pub standalone_workspace: bool,
    /// Hand-written modules of the crate to declare in `lib.rs` (their files are never written).
    pub extra_modules: Vec<String>,
    /// A header that carries the document's `info.version` on every request, such as Polar's
    /// `Polar-Version`.
    pub version_header: Option<String>,
    /// The environment variable the client reads the access token from when none is given.
    pub token_env: Option<String>,
    /// Which operations to generate; the types are exactly those they reach.
    pub filter: Filter,
    /// Derives added to every model (struct or enum), such as `Eq` or `Hash`.
    pub derives: Vec<String>,
    /// Derives added to one model: generated type name → derives.
    pub type_derives: BTreeMap<String, Vec<String>>,
    /// Generated type name → an existing Rust type used instead (the model becomes an alias).
    pub replace_types: BTreeMap<String, String>,
    /// Format (`uuid`, `date-time`, `date`) → the Rust type used for it everywhere.
    pub replace_formats: BTreeMap<String, String>,
    /// Generated type name → the name to give it.
    pub renames: BTreeMap<String, String>,
}

impl Settings {
    /// Settings for a standalone crate named `crate_name`.
    pub fn standalone(crate_name: &str, source_name: &str) -> Self {
        Settings {
            crate_name: crate_name.to_owned(),
            crate_version: "0.1.0".to_owned(),
            command: "openapi-rust-gen".to_owned(),
            source_name: source_name.to_owned(),
            standalone: true,
            standalone_workspace: true,
            extra_modules: Vec::new(),
            version_header: None,
            token_env: None,
            filter: Filter::default(),
            derives: Vec::new(),
            type_derives: BTreeMap::new(),
            replace_types: BTreeMap::new(),
            replace_formats: BTreeMap::new(),
            renames: BTreeMap::new(),
        }
    }
}

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Its path inside the crate, with `/` separators, such as `src/models.rs`.
    pub path: String,
    /// Its contents.
    pub contents: String,
}

/// What [`generate`] produced.
#[derive(Clone, Debug)]
pub struct Output {
    /// The files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Problems that did not stop generation, in document order.
    pub warnings: Vec<Diagnostic>,
    /// The IR the files were emitted from.
    pub api: ir::Api,
}

/// Runs the whole pipeline on a document's text.
///
/// Every diagnostic carries the line and column of the node its pointer names, where the text
/// has one.
pub fn generate(source: &str, settings: &Settings) -> Result<Output, Error> {
    settings_check::check(settings)?;
    // Positions are counted in the text without its byte order mark, as editors show it.
    let source = load::strip_bom(source);
    let located = |mut err: Error| {
        locate::locate(source, &mut err.diagnostics);
        // Document order; diagnostics without a position keep their place at the end.
        err.diagnostics.sort_by_key(|d| d.location.unwrap_or((usize::MAX, usize::MAX)));
        err
    };
    // A filter cuts the document itself; it only removes entries, so every pointer into what is
    // left still locates in `source`.
    let (filtered, filter_warnings) = if settings.filter.is_empty() {
        (None, Vec::new())
    } else {
        let value = load::parse(source).map_err(located)?;
        let (value, warnings) = filter::retain(&value, &settings.filter);
        (Some(value.to_string()), warnings)
    };
    let loaded = load::load(filtered.as_deref().unwrap_or(source)).map_err(located)?;
    let mut warnings = filter_warnings;
    warnings.extend(loaded.warnings.iter().cloned());
    let replaced: BTreeSet<String> = settings.replace_types.keys().cloned().collect();
    let (mut api, resolve_warnings) = resolve::resolve(&loaded, &replaced).map_err(located)?;
    // The document's structures are not needed past resolve: not held while the crate is printed.
    drop(loaded);
    drop(filtered);
    warnings.extend(resolve_warnings);
    // Every warning is known: placed now, while neither the document's structures nor the printed
    // crate are held (reading the text again for positions holds much of it at once).
    locate::locate(source, &mut warnings);
    warnings.sort_by_key(|d| d.location.unwrap_or((usize::MAX, usize::MAX)));
    // A shared component (a request body used twice) is reported once.
    warnings.dedup();
    customize::rename(&mut api, settings)?;
    let files = if customize::changes_syntax(settings) {
        // Derives and replacements rewrite the emitted files' syntax: whole files, one by one.
        let mut emitted = emit::tokens(&api, settings);
        customize::apply(&mut emitted, &api, settings)?;
        emit::format(emitted, settings)?
    } else {
        emit::emit(&api, settings)?
    };
    Ok(Output { files, warnings, api })
}

/// Parses a document's text (YAML or JSON) into its JSON value, as the load stage does (YAML keys
/// that are not strings become strings), for tools that work on the document itself, such as
/// [`filter::slice`].
pub fn parse_document(source: &str) -> Result<serde_json::Value, Error> {
    load::parse(source).map_err(|mut err| {
        locate::locate(source, &mut err.diagnostics);
        err
    })
}

/// What a fixture of `tests/fixtures/` generates (`name` without `.yaml`): unit tests of a stage
/// read its IR. The fixtures are read at compile time, so the crate's tests need no file I/O.
#[cfg(test)]
pub(crate) fn fixture(name: &str) -> Output {
    let text = match name {
        "default_function_names" => include_str!("../../tests/fixtures/default_function_names.yaml"),
        "operations" => include_str!("../../tests/fixtures/operations.yaml"),
        "recursion_through_map" => include_str!("../../tests/fixtures/recursion_through_map.yaml"),
        "security_scopes" => include_str!("../../tests/fixtures/security_scopes.yaml"),
        other => panic!("no fixture {other} among the unit tests' fixtures"),
    };
    match generate(text, &Settings::standalone("t", &format!("{name}.yaml"))) {
        Ok(output) => output,
        Err(err) => panic!("fixture {name}: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A byte order mark before JSON (or YAML) is no content; positions count without it.
    #[test]
    fn byte_order_marks_are_accepted() {
        let json = "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}";
        assert!(generate(json, &Settings::standalone("t", "t.json")).is_ok());
        let yaml = "\u{feff}openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/../b: {}\n";
        let err = generate(yaml, &Settings::standalone("t", "t.yaml")).unwrap_err();
        assert_eq!(err.diagnostics[0].pointer, "#/paths/~1a~1..~1b");
        assert_eq!(err.diagnostics[0].location, Some((4, 3)));
    }

    /// Enum values, properties and `required` entries by the ten thousand, all colliding in
    /// Rust: every step is linear (these were quadratic). Not timed: a regression shows as a
    /// test that takes minutes.
    #[test]
    fn large_colliding_documents_generate() {
        let values: Vec<String> = (0..10_000).map(|i| format!("a{}", ".".repeat(i % 7) + &"-".repeat(i / 7))).collect();
        let properties: serde_json::Map<String, serde_json::Value> =
            values.iter().map(|v| (v.clone(), serde_json::json!({"type": "string"}))).collect();
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "big", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "E": {"type": "string", "enum": values},
                "O": {"type": "object", "required": values, "properties": properties}
            }}
        });
        // Load and resolve (emit is linear token writing; in a debug build it is the slow part).
        let loaded = load::load(&document.to_string()).unwrap();
        let (api, _warnings) = resolve::resolve(&loaded, &Default::default()).unwrap();
        let ir::TypeKind::StringEnum(e) = &api.types["E"].kind else { panic!("not an enum") };
        assert_eq!(e.variants.len(), 10_000);
        assert_eq!(e.variants[9_999].rust_name, "A10000");
        let ir::TypeKind::Struct(o) = &api.types["O"].kind else { panic!("not a struct") };
        assert_eq!(o.fields.len(), 10_000);
        assert!(o.fields.iter().all(|f| f.presence == ir::Presence::Required));
    }
}
