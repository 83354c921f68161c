//! Emit: the IR → Rust source files (`quote!` → `syn` → `prettyplease`).
//!
//! Nothing here reads OpenAPI types: the IR is the only input.
//!
//! Re-reading the tokens with `syn` and printing them costs most of a generation, so [`emit`]
//! does it part by part on every core: `lib.rs`, the head of `mock.rs` and batches of its
//! operations' mocks (printed inside a module `operations` of their own, whose first and last
//! lines go), the head of `client.rs`, each group, batches of operations, the head of `models.rs`,
//! batches of named types. Each thread emits,
//! parses, shortens the paths of (`paths`) and prints the parts it takes, keeping only their
//! text; the texts are put together in the parts' order. `prettyplease` prints a file's items one
//! after the other, each from the start of a line, so a file printed by parts is the file printed
//! whole, byte for byte (a test compares the two). Tokens never cross threads (`proc_macro2`'s
//! are not `Send`): a part's tokens and syntax tree live and die on the thread that prints it, so
//! no file is ever held whole as tokens or a syntax tree.
//!
//! `paths` shortens a path only where nothing in the whole file can shadow it, so each file's
//! names are decided before any part is printed: each emitter lists the names its file declares
//! from the IR (`declared_names`). The names the printed parts declare are gathered as they go;
//! should they differ from the list (a generator bug), the file is printed again whole, so the
//! output is right either way, and a test checks that it never happens.

pub(crate) mod client;
mod crate_files;
mod docs;
mod html;
mod mock;
mod models;
pub(crate) mod paths;
mod types;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;

use crate::diagnostics::{Diagnostic, Error, Stage};
use crate::ir::{Api, Group, Operation, TypeDef};
use crate::{GeneratedFile, Settings};
use paths::Declared;

/// Named types per part of `models.rs`, operations per part of `client.rs`: enough to make a
/// part's overhead nothing, few enough to hold little at once and keep every core busy to the end.
const TYPES_PER_PART: usize = 16;
const OPERATIONS_PER_PART: usize = 4;

/// The files of the generated crate, sorted by path, pretty-printed on all cores.
pub fn emit(api: &Api, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    emit_parts(api, settings).0
}

/// [`emit`], and how many files were printed whole again because their parts declared other
/// names than their emitter lists (a generator bug, which a test keeps at none: the output is
/// right either way).
fn emit_parts(api: &Api, settings: &Settings) -> (Result<Vec<GeneratedFile>, Error>, usize) {
    let declared: Vec<Declared> = RustFile::ALL.iter().map(|file| file.declared(api)).collect();
    let types: Vec<&TypeDef> = api.types.values().collect();
    let by_group = client::by_group(api);
    let mut parts = vec![Part::Lib];
    // The operations' mocks go inside a module, after the groups' (an operation is in a group).
    if api.groups.is_empty() || api.operations.is_empty() {
        parts.push(Part::Mock);
    } else {
        parts.push(Part::MockHead);
        let batches = api.operations.chunks(OPERATIONS_PER_PART);
        let last = batches.len() - 1;
        parts.extend(batches.enumerate().map(|(index, operations)| Part::MockOperations(operations, index == last)));
    }
    parts.push(Part::ClientHead);
    parts.extend(api.groups.iter().map(|group| Part::Group(group, by_group.get(group.name.as_str()).map_or(&[][..], Vec::as_slice))));
    parts.extend(api.operations.chunks(OPERATIONS_PER_PART).map(Part::Operations));
    parts.push(Part::ModelsHead);
    parts.extend(types.chunks(TYPES_PER_PART).map(Part::Types));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = parts.get(index) else { return done };
            let file = part.file();
            let paths = if file.lean() { Paths::Declared(&declared[file as usize]) } else { Paths::Kept };
            done.push((index, pretty(part.tokens(api, settings), paths, file.module()).and_then(|(text, names, imports)| Ok((part.joined(text)?, names, imports)))));
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(parts.len());
    let mut printed: Vec<(usize, Printed)> = if threads <= 1 {
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
    // Each file: its parts' texts in order behind the header, or its first problem.
    let mut texts: Vec<Result<String, String>> = RustFile::ALL.iter().map(|_| Ok(header_prefix(settings, "//"))).collect();
    let mut started = [false; RustFile::ALL.len()];
    let mut own: Vec<Declared> = RustFile::ALL.iter().map(|_| Declared::default()).collect();
    let mut imports: Vec<BTreeSet<&str>> = RustFile::ALL.iter().map(|_| BTreeSet::new()).collect();
    for ((_, result), part) in printed.into_iter().zip(&parts) {
        let file = part.file() as usize;
        match (result, &mut texts[file]) {
            (Ok((text, names, used)), Ok(contents)) => {
                // The header and a blank line, then the body from its first character.
                let text = if started[file] { &text[..] } else { text.trim_start() };
                started[file] |= !text.is_empty();
                contents.push_str(text);
                own[file].extend(names);
                imports[file].extend(used);
            }
            (Err(message), contents @ Ok(_)) => *contents = Err(message),
            (_, Err(_)) => {}
        }
    }
    let mut reprinted = 0;
    for (index, file) in RustFile::ALL.iter().enumerate() {
        let text = &mut texts[index];
        if file.lean() && text.is_ok() && own[index] != declared[index] {
            // The parts were shortened against a wrong list: the file printed whole is right.
            reprinted += 1;
            *text = pretty(file.tokens(api, settings), Paths::Whole, file.module())
                .map(|(body, _, imports)| paths::with_imports(with_header(settings, &body, "//"), &imports));
        } else if let Ok(contents) = text {
            *contents = paths::with_imports(std::mem::take(contents), &imports[index]);
        }
    }
    let printed = RustFile::ALL.iter().zip(texts).map(|(file, text)| (file.path().to_owned(), text));
    (files(printed, verbatim(api, settings), settings), reprinted)
}

/// A generated Rust file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RustFile {
    Mock,
    Lib,
    Client,
    Models,
}

impl RustFile {
    const ALL: [RustFile; 4] = [RustFile::Mock, RustFile::Lib, RustFile::Client, RustFile::Models];

    fn path(self) -> &'static str {
        match self {
            RustFile::Lib => "src/lib.rs",
            RustFile::Client => "src/client.rs",
            RustFile::Mock => "src/mock.rs",
            RustFile::Models => "src/models.rs",
        }
    }

    /// Whether its paths are shortened: not in `lib.rs`, which a build script includes among its
    /// own crate root's items.
    fn lean(self) -> bool {
        self != RustFile::Lib
    }

    /// The file's own module, for paths into it and the runtime's items it imports (see
    /// `paths::shorten`): `None` for `lib.rs` (its paths are kept) and `mock.rs` (whose
    /// operations' mocks are in a module inside it, where the file's imports are not in scope).
    fn module(self) -> Option<&'static str> {
        match self {
            RustFile::Models => Some("models"),
            RustFile::Client => Some("client"),
            RustFile::Lib | RustFile::Mock => None,
        }
    }

    /// The names the file declares, from the IR (what its parts' paths are shortened with).
    fn declared(self, api: &Api) -> Declared {
        match self {
            RustFile::Lib => Declared::default(),
            RustFile::Client => Declared::from_names(client::declared_names(api)),
            RustFile::Mock => Declared::from_names(mock::declared_names(api)),
            RustFile::Models => Declared::from_names(models::declared_names(api)),
        }
    }

    /// The whole file's tokens.
    fn tokens(self, api: &Api, settings: &Settings) -> TokenStream {
        match self {
            RustFile::Lib => crate_files::lib_rs(api, settings),
            RustFile::Client => client::client(api, settings),
            RustFile::Mock => mock::mock(api, settings),
            RustFile::Models => models::models(api),
        }
    }
}

/// A part of a Rust file that is emitted and printed on its own: `prettyplease` prints a file's
/// items one after the other, each from the start of a line, so the parts' texts in order are
/// the file's text.
#[derive(Debug)]
enum Part<'a> {
    Lib,
    /// `mock.rs` whole.
    Mock,
    /// `mock.rs` without the operations' mocks (the end of the module they go in).
    MockHead,
    /// Operations' mocks, and whether they are the last.
    MockOperations(&'a [Operation], bool),
    ClientHead,
    /// A group, and its operations.
    Group(&'a Group, &'a [&'a Operation]),
    Operations(&'a [Operation]),
    ModelsHead,
    Types(&'a [&'a TypeDef]),
}

impl Part<'_> {
    fn file(&self) -> RustFile {
        match self {
            Part::Lib => RustFile::Lib,
            Part::Mock | Part::MockHead | Part::MockOperations(..) => RustFile::Mock,
            Part::ClientHead | Part::Group(..) | Part::Operations(_) => RustFile::Client,
            Part::ModelsHead | Part::Types(_) => RustFile::Models,
        }
    }

    fn tokens(&self, api: &Api, settings: &Settings) -> TokenStream {
        match self {
            Part::Lib => crate_files::lib_rs(api, settings),
            Part::Mock => mock::mock(api, settings),
            Part::MockHead => mock::head(api, settings, TokenStream::new()),
            Part::MockOperations(operations, _) => mock::operations(operations),
            Part::ClientHead => client::head(api, settings),
            Part::Group(group, operations) => client::group_items(group, operations, settings),
            Part::Operations(operations) => operations.iter().map(client::operation).collect(),
            Part::ModelsHead => models::header(),
            Part::Types(types) => types.iter().map(|def| models::type_def(api, def)).collect(),
        }
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
        let file = RustFile::ALL.iter().find(|file| file.path() == path);
        let paths = if file.is_some_and(|file| file.lean()) { Paths::Whole } else { Paths::Kept };
        let text = pretty(tokens, paths, file.and_then(|file| file.module()))
            .map(|(body, _, imports)| paths::with_imports(with_header(settings, &body, "//"), &imports));
        (path, text)
    });
    files(printed, emitted.verbatim, settings)
}

/// The crate's files, sorted by path: the printed Rust files, each already behind its header (a
/// problem in any is the stage's error, every problem together), and the verbatim ones.
fn files(
    printed: impl Iterator<Item = (String, Result<String, String>)>,
    verbatim: Vec<(String, String, &'static str)>,
    settings: &Settings,
) -> Result<Vec<GeneratedFile>, Error> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (path, text) in printed {
        match text {
            Ok(contents) => files.push(GeneratedFile { contents, path }),
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

/// A printed unit: its text, the names it declares and the runtime's items it names alone (to
/// import), or what went wrong.
type Printed = Result<(String, Declared, BTreeSet<&'static str>), String>;

impl Part<'_> {
    /// The part's text as it goes into its file: the operations' mocks are printed inside a module
    /// of their own (`mod operations {`, indented, `}`), and the head of `mock.rs` ends with that
    /// module's `}`: those lines go but for the last part's `}`.
    fn joined(&self, mut text: String) -> Result<String, String> {
        let broken = || Err("the generator's parts of mock.rs do not join".to_owned());
        match self {
            Part::MockHead | Part::MockOperations(_, false) => {
                if !text.ends_with("\n}\n") {
                    return broken();
                }
                text.truncate(text.len() - 2);
            }
            _ => {}
        }
        if let Part::MockOperations(..) = self {
            let opening = "mod operations {\n";
            if !text.starts_with(opening) {
                return broken();
            }
            text.drain(..opening.len());
        }
        Ok(text)
    }
}

/// How a printed unit's paths are shortened (see `paths`).
#[derive(Debug, Clone, Copy)]
enum Paths<'a> {
    /// Left as written (`lib.rs`, which a build script includes among its own crate root's items).
    Kept,
    /// Where nothing in the unit, a whole file, can shadow them.
    Whole,
    /// Where nothing the whole file declares (this, from the IR) can shadow them.
    Declared(&'a Declared),
}

/// Pretty-prints tokens with their paths shortened as `paths` says (`module`: the file's own, see
/// [`RustFile::module`]); also gives the names the tokens declare (as `paths` asks about them;
/// none when they are kept) and the runtime's items named alone. An error here is a generator
/// bug, reported rather than panicking.
fn pretty(tokens: TokenStream, lean: Paths<'_>, module: Option<&str>) -> Printed {
    let mut file: syn::File = syn::parse2(tokens).map_err(|err| format!("the generator produced invalid Rust: {err}"))?;
    docs::sanitize_docs(&mut file);
    let own = match lean {
        Paths::Kept => Declared::default(),
        Paths::Whole | Paths::Declared(_) => Declared::of(&mut file),
    };
    let shortened = match lean {
        Paths::Kept => paths::shorten(&mut file, None, None),
        Paths::Whole => paths::shorten(&mut file, Some(&own), module),
        Paths::Declared(declared) => paths::shorten(&mut file, Some(declared), module),
    };
    let text = prettyplease::unparse(&file);
    drop(file);
    Ok((paths::render_setters(text, &shortened.setters), own, shortened.imports))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate printed part by part on all cores, paths shortened with the names each emitter
    /// lists, is the crate printed whole, file by file, byte for byte (no file printed whole
    /// again): for every fixture, `specs/` and a document with more types and operations than a
    /// part holds.
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
        let schemas: serde_json::Map<String, serde_json::Value> = (0..TYPES_PER_PART * 3 + 1)
            .map(|i| (format!("T{i}"), serde_json::json!({"type": "object", "description": format!("Type {i}.\n\nSee <https://example.com>."), "properties": {"a": {"type": "string"}, "next": {"$ref": format!("#/components/schemas/T{}", (i + 1) % 7)}}})))
            .collect();
        // More operations and groups than a part holds, named after what the paths shorten to.
        let paths: serde_json::Map<String, serde_json::Value> = (0..OPERATIONS_PER_PART * 3 + 1)
            .map(|i| {
                let id = ["option", "result", "string", "vec", "default", "std"][i % 6];
                let operation = serde_json::json!({"operationId": format!("{id}{i}"), "tags": [format!("Vec{}", i % 3)], "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/T{i}")}}}}, "201": {"description": "created"}}});
                (format!("/p{i}/{{id}}"), serde_json::json!({"get": operation, "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]}))
            })
            .collect();
        let many = serde_json::json!({"openapi": "3.0.3", "info": {"title": "many", "version": "1"}, "paths": paths, "components": {"schemas": schemas}});
        documents.push(("many types and operations".to_owned(), many.to_string()));
        let mut compared = 0;
        for (name, source) in &documents {
            let Ok(loaded) = crate::load::load(source) else { continue };
            let Ok((api, _)) = crate::resolve::resolve(&loaded, &Default::default()) else { continue };
            let settings = Settings::standalone("compare", name);
            let whole = format(tokens(&api, &settings), &settings).unwrap();
            let (parts, reprinted) = emit_parts(&api, &settings);
            let parts = parts.unwrap();
            assert_eq!(reprinted, 0, "{name}: the names a file's parts declare are not the names its emitter lists");
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
