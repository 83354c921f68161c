//! Emit: the IR → Rust source files (`quote!` → `syn` → `prettyplease`).
//!
//! Nothing here reads OpenAPI types: the IR is the only input.
//!
//! Re-reading the tokens with `syn` and printing them costs most of a generation, so [`emit`]
//! does it file by file on every core (`lib.rs`, `client.rs`, `mock.rs`, `models.rs`): each thread emits,
//! parses, shortens the paths of (`paths`) and prints the files it takes. Tokens never cross
//! threads (`proc_macro2`'s are not `Send`): a file's tokens and syntax tree live and die on the
//! thread that prints it. A file is one unit because `paths` shortens a path only where nothing
//! in the whole file can shadow it. (Units smaller than a file, e.g. batches of types, would
//! spread the work wider and hold less at once; they need the file's names before printing, see
//! ARCHITECTURE.md.)

pub(crate) mod client;
mod crate_files;
mod docs;
mod mock;
mod models;
pub(crate) mod paths;
mod types;

use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;

use crate::diagnostics::{Diagnostic, Error, Stage};
use crate::ir::Api;
use crate::{GeneratedFile, Settings};

/// The files of the generated crate, sorted by path, pretty-printed on all cores.
pub fn emit(api: &Api, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    // The biggest first, so the small ones fill in beside it.
    let units = [Unit::Models, Unit::Client, Unit::Mock, Unit::Lib];
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(unit) = units.get(index) else { return done };
            done.push((index, unit.print(api, settings)));
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(units.len());
    let mut printed: Vec<(usize, Result<String, String>)> = if threads <= 1 {
        work()
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut all = work();
            for worker in workers {
                // A panic in a worker is a generator bug: it goes on as the panic it was.
                all.extend(worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
            }
            all
        })
    };
    printed.sort_by_key(|(index, _)| *index);
    // Each unit is one whole file.
    let printed = printed.into_iter().map(|(index, text)| (units[index].path().to_owned(), text));
    files(printed, verbatim(api, settings), settings)
}

/// A Rust file, emitted and printed on its own.
#[derive(Debug, Clone, Copy)]
enum Unit {
    Lib,
    Client,
    Mock,
    Models,
}

impl Unit {
    fn path(self) -> &'static str {
        match self {
            Unit::Lib => "src/lib.rs",
            Unit::Client => "src/client.rs",
            Unit::Mock => "src/mock.rs",
            Unit::Models => "src/models.rs",
        }
    }

    fn print(self, api: &Api, settings: &Settings) -> Result<String, String> {
        let tokens = match self {
            Unit::Lib => crate_files::lib_rs(api, settings),
            Unit::Client => client::client(api, settings),
            Unit::Mock => mock::mock(api, settings),
            Unit::Models => models::models(api),
        };
        pretty(tokens, !matches!(self, Unit::Lib))
    }
}

/// The emitted crate before pretty-printing: Rust files as tokens, other files as text.
#[derive(Debug)]
pub struct Emitted {
    /// Rust files (path, tokens).
    pub rust: Vec<(String, TokenStream)>,
    /// Files that need no formatting (runtime sources, `Cargo.toml`), without their header.
    pub verbatim: Vec<(String, String, &'static str)>,
}

/// Emits every file as tokens (the cheap half of [`emit`]).
pub fn tokens(api: &Api, settings: &Settings) -> Emitted {
    let mut rust = vec![
        ("src/lib.rs".to_owned(), crate_files::lib_rs(api, settings)),
        ("src/models.rs".to_owned(), models::models(api)),
        ("src/client.rs".to_owned(), client::client(api, settings)),
        ("src/mock.rs".to_owned(), mock::mock(api, settings)),
    ];
    rust.sort_by(|a, b| a.0.cmp(&b.0));
    Emitted { rust, verbatim: verbatim(api, settings) }
}

/// The files that need no formatting (runtime sources, `Cargo.toml`), without their header.
fn verbatim(api: &Api, settings: &Settings) -> Vec<(String, String, &'static str)> {
    let mut verbatim: Vec<(String, String, &'static str)> =
        crate_files::RUNTIME.iter().map(|(path, source)| ((*path).to_owned(), (*source).to_owned(), "//")).collect();
    if settings.standalone {
        verbatim.push(("Cargo.toml".to_owned(), crate_files::cargo_toml(api, settings), "#"));
    }
    verbatim
}

/// Pretty-prints the tokens and adds the do-not-edit header to every file, one file after the
/// other (for tokens changed after emission, see `customize`; [`emit`] prints on all cores).
pub fn format(emitted: Emitted, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    let printed = emitted.rust.into_iter().map(|(path, tokens)| {
        let text = pretty(tokens, path != "src/lib.rs");
        (path, text)
    });
    files(printed, emitted.verbatim, settings)
}

/// The crate's files, sorted by path, each behind its header: the printed Rust files (a problem
/// in any is the stage's error, every problem together) and the verbatim ones.
fn files(
    printed: impl Iterator<Item = (String, Result<String, String>)>,
    verbatim: Vec<(String, String, &'static str)>,
    settings: &Settings,
) -> Result<Vec<GeneratedFile>, Error> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (path, text) in printed {
        match text {
            Ok(source) => files.push(GeneratedFile { contents: with_header(settings, &source, "//"), path }),
            Err(message) => problems.push(Diagnostic::error("#", format!("{path}: {message}"))),
        }
    }
    if !problems.is_empty() {
        return Err(Error { stage: Stage::Emit, diagnostics: problems });
    }
    files.extend(verbatim.into_iter().map(|(path, source, comment)| GeneratedFile { contents: with_header(settings, &source, comment), path }));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The first line of every generated file.
pub fn header_line(settings: &Settings, comment: &str) -> String {
    format!("{comment} @generated by `{}` from {}: do not edit by hand.", settings.command, settings.source_name)
}

fn with_header(settings: &Settings, body: &str, comment: &str) -> String {
    format!("{}{}", header_prefix(settings, comment), body.trim_start())
}

/// The header line and the blank line after it, with which every file starts.
fn header_prefix(settings: &Settings, comment: &str) -> String {
    // The header is one comment line whatever the settings hold.
    let settings = &Settings {
        command: settings.command.chars().map(|c| if c.is_control() { ' ' } else { c }).collect(),
        source_name: settings.source_name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect(),
        ..settings.clone()
    };
    format!("{}\n\n", header_line(settings, comment))
}

/// Pretty-prints tokens, with paths shortened where nothing can shadow them (`lean_paths`; not
/// in `lib.rs`, which a build script includes among its own crate root's items); an error here is
/// a generator bug, reported rather than panicking.
fn pretty(tokens: TokenStream, lean_paths: bool) -> Result<String, String> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|err| format!("the generator produced invalid Rust: {err}"))?;
    docs::sanitize_docs(&mut file);
    let setters = paths::shorten(&mut file, lean_paths);
    Ok(paths::render_setters(&prettyplease::unparse(&file), &setters))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate printed part by part on all cores is the crate printed whole, file by file,
    /// byte for byte: for every fixture, `specs/` and a document with more types than a unit
    /// holds.
    #[test]
    fn printing_by_parts_is_printing_whole() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut documents: Vec<(String, String)> = Vec::new();
        let fixtures = root.join("tests").join("fixtures");
        for entry in std::fs::read_dir(&fixtures).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml" || e == "json") && !path.to_string_lossy().ends_with(".payload.json") {
                documents.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
        let spec = root.join("specs").join("polar-files.openapi.yaml");
        documents.push((spec.display().to_string(), std::fs::read_to_string(&spec).unwrap()));
        let schemas: serde_json::Map<String, serde_json::Value> = (0..49)
            .map(|i| (format!("T{i}"), serde_json::json!({"type": "object", "description": format!("Type {i}.\n\nSee <https://example.com>."), "properties": {"a": {"type": "string"}, "next": {"$ref": format!("#/components/schemas/T{}", (i + 1) % 7)}}})))
            .collect();
        let many = serde_json::json!({"openapi": "3.0.3", "info": {"title": "many", "version": "1"}, "paths": {}, "components": {"schemas": schemas}});
        documents.push(("many types".to_owned(), many.to_string()));
        let mut compared = 0;
        for (name, source) in &documents {
            let Ok(loaded) = crate::load::load(source) else { continue };
            let Ok((api, _)) = crate::resolve::resolve(&loaded) else { continue };
            let settings = Settings::standalone("compare", name);
            let whole = format(tokens(&api, &settings), &settings).unwrap();
            let parts = emit(&api, &settings).unwrap();
            assert_eq!(parts.len(), whole.len(), "{name}");
            for (part, whole) in parts.iter().zip(&whole) {
                assert_eq!(part.path, whole.path, "{name}");
                assert!(part.contents == whole.contents, "{name}: {} differs when printed by parts", part.path);
            }
            compared += 1;
        }
        assert!(compared >= 30, "only {compared} documents generated");
    }
}
