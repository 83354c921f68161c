//! Paths as a Rust developer writes them: the emitters write every path fully qualified
//! (`::std::option::Option`, `::std::clone::Clone`), which no document can shadow; this pass
//! shortens them in a file where that cannot change what they mean.
//!
//! - A prelude item (`Option`, `Some`, `String`, `Vec`, `Box`, `From`, `Clone`, ...) loses its
//!   path when the file defines or imports nothing of that name (a schema named `Option` keeps
//!   `::std::option::Option` in the file where it is a type).
//! - Other paths into `std` and the crates the generated code uses (`::serde_json::Value`) lose
//!   their leading `::` when the file defines or imports nothing of the crate's name.
//! - In a file without inner modules (`models.rs`, `client.rs`), a path into the file's own module
//!   is the name alone (`crate::models::FileRead` in `models.rs`), and so is a path to one of the
//!   runtime's macros and types ([`RUNTIME_IMPORTS`]) the file does not declare, imported once
//!   after its docs (`use crate::runtime::{serde_struct, setter, Nullable};`); in `client.rs`,
//!   a model is `models::FileRead`, after `use crate::models;`.
//! - A file with a glob import is left alone (the glob may bring any name).
//!
//! Names are compared across namespaces and scopes (any item anywhere in the file counts), which is
//! stricter than Rust needs. Paths inside macro invocations and strings are left as written, but
//! for the runtime's macros, whose arguments this module renders (see [`render_setters`]).

use std::collections::{BTreeSet, HashSet};

use syn::visit_mut::VisitMut;

/// `(path after the leading `::`, how many leading segments go)`: the shortened path starts at the
/// first segment kept, which must be a prelude name.
const PRELUDE: &[(&[&str], usize)] = &[
    (&["std", "option", "Option", "Some"], 3),
    (&["std", "option", "Option", "None"], 3),
    (&["std", "option", "Option"], 2),
    (&["std", "result", "Result", "Ok"], 3),
    (&["std", "result", "Result", "Err"], 3),
    (&["std", "result", "Result"], 2),
    (&["std", "string", "String"], 2),
    (&["std", "string", "ToString"], 2),
    (&["std", "vec", "Vec"], 2),
    (&["std", "boxed", "Box"], 2),
    (&["std", "convert", "From"], 2),
    (&["std", "convert", "Into"], 2),
    (&["std", "convert", "TryFrom"], 2),
    (&["std", "convert", "TryInto"], 2),
    (&["std", "convert", "AsRef"], 2),
    (&["std", "clone", "Clone"], 2),
    (&["std", "default", "Default"], 2),
    (&["std", "cmp", "PartialEq"], 2),
    (&["std", "cmp", "Eq"], 2),
    (&["std", "cmp", "PartialOrd"], 2),
    (&["std", "cmp", "Ord"], 2),
    (&["std", "marker", "Copy"], 2),
    (&["std", "marker", "Send"], 2),
    (&["std", "marker", "Sync"], 2),
    (&["std", "iter", "Iterator"], 2),
    (&["std", "iter", "IntoIterator"], 2),
    (&["std", "borrow", "ToOwned"], 2),
];

/// Derive macros of the prelude (the macro namespace: `#[derive(Debug)]` works although the
/// `Debug` trait is not in the prelude).
const PRELUDE_DERIVES: &[(&[&str], usize)] = &[
    (&["std", "clone", "Clone"], 2),
    (&["std", "marker", "Copy"], 2),
    (&["std", "fmt", "Debug"], 2),
    (&["std", "default", "Default"], 2),
    (&["std", "cmp", "PartialEq"], 2),
    (&["std", "cmp", "Eq"], 2),
    (&["std", "cmp", "PartialOrd"], 2),
    (&["std", "cmp", "Ord"], 2),
    (&["std", "hash", "Hash"], 2),
];

/// The runtime's macros whose arguments are names and a type (`#[attr]* name, Type`,
/// `#[attr]* method = field, Type`, `Builder, Error, Type`): rendered by this module, not by
/// prettyplease (see [`render_setters`]).
const RUNTIME_MACROS: &[&str] = &["setter", "optional_setter", "request_builder", "from_variant"];

/// The runtime's macros that take a type's name and a list in braces (a struct's properties,
/// `serde_struct!(Name { "tag": "value", field, other: "property" default, ..map })`; a union's
/// variants, `untagged!(Name { Variant, Other: [check] })` and `tagged!(Name { tag = "kind",
/// Variant: "value", ..Unknown })`; a string enum's values, `string_enum!(Name { Variant: "value",
/// ..Unknown })`), rendered by [`fields`].
const FIELDS_MACROS: &[&str] = &["serde_struct", "tagged", "untagged", "string_enum"];

/// The runtime's items a file imports (`use crate::runtime::{Nullable, setter};`) to name them
/// alone: macros and types, never functions (a local variable or parameter of the same name
/// would hide one); a name the file declares stays spelled out.
const RUNTIME_IMPORTS: &[&str] = &[
    // models.rs
    "Nullable", "setter", "optional_setter", "from_variant", "untagged", "serde_struct", "string_enum", "tagged", "literal",
    // client.rs
    "Client", "ClientBuilder", "Defaults", "Request", "RequestOptions", "ResponseFuture", "Body", "QueryStyle", "Error",
    "OperationError", "Pages", "Items", "request_builder",
];

/// Crates whose paths lose their leading `::` (lower case: no type or variant the emitters
/// write has such a name; a file that has one keeps the `::`).
const CRATES: &[&str] = &["std", "serde", "serde_json", "uuid", "chrono", "bytes", "http", "reqwest"];

/// Whether [`shorten`] ever asks if a file declares `name`: the prelude names paths shorten to,
/// the crates' names, the runtime's names a file imports and `models`.
fn asked(name: &str) -> bool {
    PRELUDE.iter().chain(PRELUDE_DERIVES).any(|(prefix, drop)| prefix[*drop] == name)
        || CRATES.contains(&name)
        || RUNTIME_IMPORTS.contains(&name)
        || name == "models"
}

/// What [`shorten`] needs to know of a file's names: which of the names it asks about
/// ([`asked`]) the file declares or imports anywhere, and whether it has a glob import.
///
/// A file printed in parts gets this from the IR before any part is printed (each emitter
/// lists the names it declares); the parts' own ([`Declared::of`]) together must be the same.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Declared {
    taken: HashSet<String>,
    /// Those of `taken` that may be macros (`macro_rules!` names, imports): only they can hide a
    /// derive, which lives in the macro namespace (a struct named `Clone` does not).
    macros: HashSet<String>,
    glob: bool,
}

impl Declared {
    /// From the names a file declares (a leading `r#` is no part of a name).
    pub(crate) fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let taken = names.into_iter().map(|name| name.strip_prefix("r#").unwrap_or(name)).filter(|name| asked(name)).map(str::to_owned).collect();
        Declared { taken, macros: HashSet::new(), glob: false }
    }

    /// What `file` declares or imports (any item, in any namespace or scope, or any import).
    pub(crate) fn of(file: &mut syn::File) -> Self {
        let mut names = Names::default();
        names.visit_file_mut(file);
        names.declared
    }

    /// Adds what `part` declares.
    pub(crate) fn extend(&mut self, part: Declared) {
        self.glob |= part.glob;
        self.taken.extend(part.taken);
        self.macros.extend(part.macros);
    }
}

/// What [`shorten`] took out of a file or part.
#[derive(Debug, Default)]
pub(crate) struct Shortened {
    /// The runtime macros' arguments, rendered, for [`render_setters`] to put back after
    /// pretty-printing.
    pub(crate) setters: Vec<String>,
    /// The runtime's items now named alone, and `models` where its items are `models::Name`:
    /// what the file imports ([`with_imports`]).
    pub(crate) imports: BTreeSet<&'static str>,
}

/// Shortens the paths of `file` where no name `declared` (the whole file's, see [`Declared`])
/// can shadow them (none when `None`), and takes the arguments of the runtime's setter
/// invocations out, rendered, for [`render_setters`] to put back after pretty-printing.
///
/// `module` is the file's own module (`models` for `src/models.rs`) when it has no module inside:
/// a path into it (`crate::models::FileRead`) is then the name alone, and so is a path to one of
/// the runtime's [`RUNTIME_IMPORTS`] the file does not declare, which [`Shortened::imports`] lists.
pub(crate) fn shorten(file: &mut syn::File, declared: Option<&Declared>, module: Option<&str>) -> Shortened {
    let none = Declared::default();
    let (declared, shorten) = match declared {
        Some(declared) => (declared, !declared.glob),
        None => (&none, false),
    };
    let mut pass = Shorten { taken: &declared.taken, macros: &declared.macros, shorten, module, shortened: Shortened::default() };
    pass.visit_file_mut(file);
    pass.shortened
}

/// `text`, a file printed with paths shortened, with the `use`s of `imports` (`models`, the
/// runtime's items) after its inner docs (none when there are none).
pub(crate) fn with_imports(text: String, imports: &BTreeSet<&'static str>) -> String {
    if imports.is_empty() {
        return text;
    }
    let mut items: Vec<syn::Item> = Vec::new();
    if imports.contains("models") {
        items.push(syn::parse_quote! { use crate::models; });
    }
    // Macros (lower case) first, then types, each in order: as `rustfmt` sorts them.
    let (macros, types): (Vec<&str>, Vec<&str>) =
        imports.iter().filter(|name| **name != "models").partition(|name| name.starts_with(|c: char| c.is_ascii_lowercase()));
    if !macros.is_empty() || !types.is_empty() {
        let names = macros.iter().chain(&types).map(|name| quote::format_ident!("{}", name));
        items.push(syn::parse_quote! { use crate::runtime::{#(#names),*}; });
    }
    let line = prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items });
    // After the header comment, its blank line and the `//!` lines.
    let mut at = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if index > 1 && !line.starts_with("//!") {
            break;
        }
        at += line.len();
    }
    let mut out = String::with_capacity(text.len() + line.len());
    out.push_str(&text[..at]);
    out.push_str(&line);
    out.push_str(&text[at..]);
    out
}

/// Every name the file defines or imports, anywhere (those [`asked`] about).
#[derive(Default)]
struct Names {
    declared: Declared,
}

impl Names {
    fn add(&mut self, ident: &syn::Ident) {
        self.insert(ident, false);
    }

    /// A name that may be a macro as well.
    fn add_macro(&mut self, ident: &syn::Ident) {
        self.insert(ident, true);
    }

    fn insert(&mut self, ident: &syn::Ident, may_be_macro: bool) {
        let name = ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name);
        if asked(name) {
            if may_be_macro {
                self.declared.macros.insert(name.to_owned());
            }
            self.declared.taken.insert(name.to_owned());
        }
    }
}

// A `VisitMut` that changes nothing (syn's `visit` feature is not enabled).
impl VisitMut for Names {
    fn visit_item_mut(&mut self, item: &mut syn::Item) {
        let ident = match item {
            syn::Item::Const(i) => Some(&i.ident),
            syn::Item::Enum(i) => Some(&i.ident),
            syn::Item::ExternCrate(i) => Some(i.rename.as_ref().map_or(&i.ident, |(_, rename)| rename)),
            syn::Item::Fn(i) => Some(&i.sig.ident),
            // `macro_rules! name`; the runtime's `mock_operation!(Name, ..)` declares the struct `Name`.
            syn::Item::Macro(i) if i.ident.is_none() && i.mac.path.segments.last().is_some_and(|s| s.ident == "mock_operation") => {
                if let Some(proc_macro2::TokenTree::Ident(name)) = i.mac.tokens.clone().into_iter().next() {
                    self.add(&name);
                }
                None
            }
            syn::Item::Macro(i) => {
                if let Some(ident) = &i.ident {
                    self.add_macro(ident);
                }
                None
            }
            syn::Item::Mod(i) => Some(&i.ident),
            syn::Item::Static(i) => Some(&i.ident),
            syn::Item::Struct(i) => Some(&i.ident),
            syn::Item::Trait(i) => Some(&i.ident),
            syn::Item::TraitAlias(i) => Some(&i.ident),
            syn::Item::Type(i) => Some(&i.ident),
            syn::Item::Union(i) => Some(&i.ident),
            // Unparsed items could define anything.
            syn::Item::Verbatim(_) => {
                self.declared.glob = true;
                None
            }
            _ => None,
        };
        if let Some(ident) = ident {
            self.add(ident);
        }
        syn::visit_mut::visit_item_mut(self, item);
    }

    fn visit_use_tree_mut(&mut self, tree: &mut syn::UseTree) {
        match tree {
            syn::UseTree::Name(name) => self.add_macro(&name.ident),
            syn::UseTree::Rename(rename) => self.add_macro(&rename.rename),
            syn::UseTree::Glob(_) => self.declared.glob = true,
            syn::UseTree::Path(_) | syn::UseTree::Group(_) => {}
        }
        syn::visit_mut::visit_use_tree_mut(self, tree);
    }

    fn visit_generic_param_mut(&mut self, param: &mut syn::GenericParam) {
        if let syn::GenericParam::Type(ty) = param {
            self.add(&ty.ident);
        }
        syn::visit_mut::visit_generic_param_mut(self, param);
    }
}

struct Shorten<'a> {
    taken: &'a HashSet<String>,
    /// The names of `taken` that may be macros.
    macros: &'a HashSet<String>,
    /// Whether paths are shortened at all.
    shorten: bool,
    /// The file's own module, when paths into it and the runtime's imports are shortened.
    module: Option<&'a str>,
    /// The setters' arguments, rendered (the macros' tokens are `__oag_setter_<index>`), and
    /// the runtime's names shortened.
    shortened: Shortened,
}

impl Shorten<'_> {
    /// Replaces a runtime macro's arguments by a placeholder that [`render_setters`] puts
    /// `rendered` back in for, after pretty-printing.
    fn put_back_later(&mut self, mac: &mut syn::Macro, rendered: String) {
        let placeholder = quote::format_ident!("__oag_setter_{}", self.shortened.setters.len());
        self.shortened.setters.push(rendered);
        mac.tokens = quote::quote! { #placeholder };
    }

    /// Shortens `path`; returns how many leading segments went.
    fn shorten_with(&self, path: &mut syn::Path, table: &[(&[&str], usize)]) -> usize {
        self.shorten_in(path, table, self.taken)
    }

    /// [`Self::shorten_with`], a name of `table` kept when it is in `taken`.
    fn shorten_in(&self, path: &mut syn::Path, table: &[(&[&str], usize)], taken: &HashSet<String>) -> usize {
        if path.leading_colon.is_none() || !self.shorten {
            return 0;
        }
        // Compared in place: most paths are none of these, and a string per segment adds up.
        for (prefix, drop) in table {
            let matches = path.segments.len() >= prefix.len()
                && path.segments.iter().zip(prefix.iter()).all(|(segment, name)| segment.ident == name)
                // Generic arguments on a dropped segment (`Option::<T>::None`) stay spelled out.
                && path.segments.iter().take(*drop).all(|s| s.arguments.is_none());
            if matches && !taken.contains(prefix[*drop]) {
                let kept: syn::punctuated::Punctuated<syn::PathSegment, syn::Token![::]> =
                    std::mem::take(&mut path.segments).into_iter().skip(*drop).collect();
                path.segments = kept;
                path.leading_colon = None;
                return *drop;
            }
        }
        if let Some(first) = path.segments.first() {
            if CRATES.iter().any(|krate| first.ident == krate && !self.taken.contains(*krate)) {
                path.leading_colon = None;
            }
        }
        0
    }

    /// `crate::models::FileRead` in `models.rs` is `FileRead`; `crate::runtime::Nullable` is
    /// `Nullable`, imported, where the file declares no `Nullable` (see [`shorten`]).
    fn shorten_crate_path(&mut self, path: &mut syn::Path) {
        let Some(module) = self.module else { return };
        if path.leading_colon.is_some() || !self.shorten || path.segments.len() < 3 {
            return;
        }
        let mut segments = path.segments.iter();
        let (Some(krate), Some(parent), Some(name)) = (segments.next(), segments.next(), segments.next()) else { return };
        if krate.ident != "crate" || !krate.arguments.is_none() || !parent.arguments.is_none() {
            return;
        }
        // How many leading segments go, and what the file then imports.
        let (drop, import) = if parent.ident == module {
            // The file's own items: nothing in it can hide them (no generics, no inner scopes
            // that declare types, which its emitter does not write).
            (2, None)
        } else if parent.ident == "models" {
            // `models::FileRead` elsewhere, after `use crate::models;`.
            (1, Some("models"))
        } else if let Some(import) = RUNTIME_IMPORTS.iter().find(|import| parent.ident == "runtime" && name.ident == import) {
            (2, Some(*import))
        } else {
            return;
        };
        if let Some(import) = import {
            if self.taken.contains(import) {
                return;
            }
            self.shortened.imports.insert(import);
        }
        path.segments = std::mem::take(&mut path.segments).into_iter().skip(drop).collect();
    }

    /// A path after a qualified self (`<T as ::std::convert::From<U>>::from`): the trait's
    /// segments are the first `qself.position`, so the position follows what goes.
    fn shorten_qualified(&mut self, qself: &mut Option<syn::QSelf>, path: &mut syn::Path) {
        if let Some(qself) = qself {
            self.visit_type_mut(&mut qself.ty);
            let mut shortened = path.clone();
            let dropped = self.shorten_with(&mut shortened, PRELUDE);
            if dropped < qself.position {
                *path = shortened;
                qself.position -= dropped;
            }
            for segment in &mut path.segments {
                self.visit_path_arguments_mut(&mut segment.arguments);
            }
        } else {
            self.visit_path_mut(path);
        }
    }
}

impl VisitMut for Shorten<'_> {
    fn visit_expr_path_mut(&mut self, expr: &mut syn::ExprPath) {
        for attr in &mut expr.attrs {
            self.visit_attribute_mut(attr);
        }
        self.shorten_qualified(&mut expr.qself, &mut expr.path);
    }

    fn visit_type_path_mut(&mut self, ty: &mut syn::TypePath) {
        self.shorten_qualified(&mut ty.qself, &mut ty.path);
    }

    // The other paths that may follow a qualified self: left alone when they do.
    fn visit_pat_tuple_struct_mut(&mut self, pat: &mut syn::PatTupleStruct) {
        if pat.qself.is_none() {
            syn::visit_mut::visit_pat_tuple_struct_mut(self, pat);
        }
    }

    fn visit_pat_struct_mut(&mut self, pat: &mut syn::PatStruct) {
        if pat.qself.is_none() {
            syn::visit_mut::visit_pat_struct_mut(self, pat);
        }
    }

    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        if expr.qself.is_none() {
            syn::visit_mut::visit_expr_struct_mut(self, expr);
        }
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        self.shorten_with(path, PRELUDE);
        self.shorten_crate_path(path);
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        self.shorten_crate_path(&mut mac.path);
        // The runtime's `setter!`/`optional_setter!` take a type after their names: shortened
        // as the type would be anywhere else.
        if mac.path.segments.last().is_some_and(|s| FIELDS_MACROS.iter().any(|name| s.ident == name)) {
            // The path, `!(` and `);` beside the list.
            let beside = mac.path.segments.iter().map(|s| s.ident.to_string().len() + "::".len()).sum::<usize>() - "::".len() + 4;
            if let Some(rendered) = fields(mac.tokens.clone(), beside) {
                self.put_back_later(mac, rendered);
                return;
            }
        }
        if is_runtime_macro(mac) {
            if let Ok(mut args) = mac.parse_body::<SetterArgs>() {
                self.visit_type_mut(&mut args.ty);
                let SetterArgs { attrs, names, ty } = args;
                let mut rendered = String::new();
                spaced(quote::quote! { #(#attrs)* #names #ty }, &mut rendered);
                self.put_back_later(mac, rendered.trim_end().to_owned());
                return;
            }
        }
        syn::visit_mut::visit_macro_mut(self, mac);
    }

    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if !attr.path().is_ident("derive") {
            return;
        }
        let syn::Meta::List(list) = &mut attr.meta else { return };
        let Ok(mut paths) = list.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated) else {
            return;
        };
        for path in &mut paths {
            self.shorten_in(path, PRELUDE_DERIVES, self.macros);
        }
        list.tokens = quote::ToTokens::into_token_stream(paths);
    }
}

/// Puts the runtime's setter invocations back into pretty-printed `text`: [`shorten`] replaced
/// their arguments by placeholders (prettyplease prints a macro's tokens spaced as tokens,
/// `Option < String >`); each becomes one line, or three when it is longer than a line.
pub(crate) fn render_setters(text: String, setters: &[String]) -> String {
    if setters.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len() + setters.iter().map(String::len).sum::<usize>());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let indent = &line[..line.len() - line.trim_start().len()];
        // `crate::runtime::setter!(__oag_setter_0);`, or `setter!(..)` where it is imported.
        let (prefix, rest) = trimmed.strip_prefix("crate::runtime::").map_or(("", trimmed), |rest| ("crate::runtime::", rest));
        let placeholder = rest
            .split_once("!(__oag_setter_")
            .and_then(|(name, rest)| Some((name, rest.strip_suffix(");")?.parse::<usize>().ok()?)))
            .filter(|(name, _)| RUNTIME_MACROS.contains(name) || FIELDS_MACROS.contains(name))
            .and_then(|(name, index)| Some((name, setters.get(index)?)));
        match placeholder {
            Some((name, args)) => {
                let one_line = format!("{indent}{prefix}{name}!({args});");
                if let Some((head, rest)) = args.split_once('\n') {
                    // Rendered on several lines already (`fields`): indented as the invocation.
                    out.push_str(&format!("{indent}{prefix}{name}!({head}"));
                    for line in rest.lines() {
                        out.push('\n');
                        out.push_str(indent);
                        out.push_str(line);
                    }
                    out.push_str(");");
                } else if one_line.len() <= 100 {
                    out.push_str(&one_line);
                } else {
                    out.push_str(&format!("{indent}{prefix}{name}!(\n{indent}    {args}\n{indent});"));
                }
                out.push('\n');
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Tokens as Rust is written (`Vec<std::string::String>`, `#[allow(deprecated)]`), for the
/// names and types the runtime's setters take.
fn spaced(tokens: proc_macro2::TokenStream, out: &mut String) {
    use proc_macro2::{Delimiter, Spacing, TokenTree};
    let mut joint = false;
    for token in tokens {
        let word_before = out.ends_with(|c: char| c.is_alphanumeric() || c == '_');
        match token {
            TokenTree::Ident(ident) => {
                if word_before {
                    out.push(' ');
                }
                out.push_str(&ident.to_string());
            }
            TokenTree::Literal(literal) => {
                if word_before {
                    out.push(' ');
                }
                out.push_str(&literal.to_string());
            }
            TokenTree::Punct(punct) => {
                match punct.as_char() {
                    ',' | ';' => out.push_str(&format!("{} ", punct.as_char())),
                    '=' if !joint => out.push_str(" = "),
                    '+' => out.push_str(" + "),
                    '-' if punct.spacing() == Spacing::Joint => out.push_str(" -"),
                    '>' if joint && out.ends_with('-') => out.push_str("> "),
                    c => out.push(c),
                }
                joint = punct.spacing() == Spacing::Joint;
                continue;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                spaced(group.stream(), out);
                let trimmed = out.trim_end().len();
                out.truncate(trimmed);
                out.push_str(close);
                if group.delimiter() == Delimiter::Bracket && out.ends_with(']') && out[..out.len() - 1].contains("#[") {
                    out.push(' ');
                }
            }
        }
        joint = false;
    }
}

/// `Name { "tag": "value", field, other: "property" default = function, ..map }` or `Name {
/// Variant, Other: [check] }` as written by hand: on one line when it fits with `beside` columns
/// of the invocation around it (`serde_struct!(`, `);`), else the entries
/// filling lines of 100 columns (an entry longer than a line wrapped after its commas, see
/// [`wrap_after_commas`]); `None` for other tokens.
fn fields(tokens: proc_macro2::TokenStream, beside: usize) -> Option<String> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut tokens = tokens.into_iter();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(group)), None) = (tokens.next(), tokens.next(), tokens.next()) else {
        return None;
    };
    if group.delimiter() != Delimiter::Brace {
        return None;
    }
    let mut entries = vec![String::new()];
    for token in group.stream() {
        let entry = entries.last_mut()?;
        match token {
            TokenTree::Punct(punct) if punct.as_char() == ',' => entries.push(String::new()),
            TokenTree::Punct(punct) if punct.as_char() == ':' => entry.push(':'),
            TokenTree::Punct(punct) if punct.as_char() == '.' => entry.push('.'),
            TokenTree::Punct(punct) => {
                entry.push(' ');
                entry.push(punct.as_char());
            }
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if !entry.is_empty() && !entry.ends_with('.') {
                    entry.push(' ');
                }
                entry.push_str(&token.to_string());
            }
            // A variant's checks: `Variant: [MinLength(1), Pattern("^a")]`.
            TokenTree::Group(_) => {
                if !entry.is_empty() {
                    entry.push(' ');
                }
                spaced(token.into(), entry);
            }
        }
    }
    entries.retain(|entry| !entry.is_empty());
    let one_line = if entries.is_empty() { format!("{name} {{}}") } else { format!("{name} {{ {} }}", entries.join(", ")) };
    if one_line.len() + beside <= 100 {
        return Some(one_line);
    }
    let mut text = format!("{name} {{");
    let mut line = String::new();
    for entry in &entries {
        if !line.is_empty() && 4 + line.len() + 1 + entry.len() + 1 > 100 {
            text.push_str(&format!("\n    {}", line.trim_end()));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        if 4 + entry.chars().count() + 1 > 100 {
            // One entry longer than a line (a union variant's long list of checks): wrapped
            // after its commas, continued 8 columns in.
            line.push_str(&wrap_after_commas(entry, 100 - 4, 8));
        } else {
            line.push_str(entry);
        }
        line.push(',');
    }
    text.push_str(&format!("\n    {}\n}}", line.trim_end()));
    Some(text)
}

/// `text` (tokens as [`spaced`] writes them) broken after its `, ` outside string literals into
/// lines of at most `width` columns where it can be, the lines after the first indented by
/// `indent` more than the first.
fn wrap_after_commas(text: &str, width: usize, indent: usize) -> String {
    // The pieces: each ends after a `,` outside a string literal (whose escapes are `\`-led).
    let mut pieces = Vec::new();
    let (mut piece, mut in_string, mut escaped) = (String::new(), false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        piece.push(c);
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ',' if !in_string && chars.peek() == Some(&' ') => {
                chars.next();
                pieces.push(std::mem::take(&mut piece));
            }
            _ => {}
        }
    }
    pieces.push(piece);
    let mut out = String::new();
    let mut column = 0;
    for piece in pieces {
        let len = piece.chars().count();
        if column > 0 && column + 1 + len > width {
            out.push('\n');
            out.push_str(&" ".repeat(4 + indent));
            column = indent;
        } else if column > 0 {
            out.push(' ');
            column += 1;
        }
        out.push_str(&piece);
        column += len;
    }
    out
}

fn is_runtime_macro(mac: &syn::Macro) -> bool {
    mac.path.segments.last().is_some_and(|s| RUNTIME_MACROS.iter().any(|name| s.ident == name))
}

/// Applies `f` to the type argument of an invocation of one of the runtime's macros that take
/// one (`setter!(name, Type)`), for passes that edit types (the `types.format` setting).
pub(crate) fn visit_runtime_macro_type(mac: &mut syn::Macro, f: impl FnOnce(&mut syn::Type)) {
    if !is_runtime_macro(mac) {
        return;
    }
    if let Ok(mut args) = mac.parse_body::<SetterArgs>() {
        f(&mut args.ty);
        let SetterArgs { attrs, names, ty } = args;
        mac.tokens = quote::quote! { #(#attrs)* #names #ty };
    }
}

/// The arguments of one of [`RUNTIME_MACROS`].
struct SetterArgs {
    attrs: Vec<syn::Attribute>,
    names: proc_macro2::TokenStream,
    ty: syn::Type,
}

impl syn::parse::Parse for SetterArgs {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(syn::Attribute::parse_outer)?;
        let mut names = proc_macro2::TokenStream::new();
        // Names: identifiers each followed by `,` or `=`; the type is the rest.
        while input.peek(syn::Ident) && (input.peek2(syn::Token![,]) || input.peek2(syn::Token![=])) {
            let name: proc_macro2::TokenTree = input.parse()?;
            let punct: proc_macro2::TokenTree = input.parse()?;
            names.extend([name, punct]);
        }
        let ty = input.parse()?;
        Ok(SetterArgs { attrs, names, ty })
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    fn shortened(tokens: proc_macro2::TokenStream) -> String {
        let mut file: syn::File = syn::parse2(tokens).unwrap();
        let declared = super::Declared::of(&mut file);
        let shortened = super::shorten(&mut file, Some(&declared), None);
        super::render_setters(prettyplease::unparse(&file), &shortened.setters)
    }

    #[test]
    fn prelude_paths_and_derives_shorten_when_nothing_shadows_them() {
        let text = shortened(quote! {
            #[derive(::std::clone::Clone, ::std::fmt::Debug, ::serde::Serialize)]
            pub struct A { pub b: ::std::option::Option<::std::vec::Vec<::std::string::String>> }
            impl ::std::fmt::Display for A {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { ::std::result::Result::Ok(()) }
            }
            fn c() -> ::std::option::Option<u8> { ::std::option::Option::None }
            fn d() -> u8 { <u8 as ::std::convert::From<u8>>::from(1) }
            impl A {
                crate::runtime::setter!(#[deprecated] with_clone = clone, ::std::option::Option<::std::string::String>);
                crate::runtime::optional_setter!(b, ::std::vec::Vec<::std::collections::BTreeMap<::std::string::String, ::std::vec::Vec<crate::models::SomeLongTypeName>>>);
            }
        });
        assert_eq!(
            text,
            "#[derive(Clone, Debug, serde::Serialize)]\npub struct A {\n    pub b: Option<Vec<String>>,\n}\n\
             impl std::fmt::Display for A {\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n        Ok(())\n    }\n}\n\
             fn c() -> Option<u8> {\n    None\n}\nfn d() -> u8 {\n    <u8 as From<u8>>::from(1)\n}\nimpl A {\n    crate::runtime::setter!(#[deprecated] with_clone = clone, Option<String>);\n    crate::runtime::optional_setter!(\n        b, Vec<std::collections::BTreeMap<String, Vec<crate::models::SomeLongTypeName>>>\n    );\n}\n"
        );
    }

    #[test]
    fn a_name_the_file_defines_keeps_its_full_path() {
        let text = shortened(quote! {
            pub struct Option { pub a: ::std::option::Option<::std::string::String> }
            pub struct Some;
            fn c() -> ::std::option::Option<u8> { ::std::option::Option::Some(1) }
            fn d() -> ::std::option::Option<u8> { ::std::option::Option::None }
        });
        // `Option` is this file's: the standard one is spelled out (without the leading `::`,
        // as nothing is named `std`); `Some` too, as a unit struct is a value; `None` is free.
        assert!(text.contains("pub a: std::option::Option<String>"), "{text}");
        assert!(text.contains(" std::option::Option::Some(1)"), "{text}");
        assert!(text.contains("fn d() -> std::option::Option<u8> {\n    None\n"), "{text}");
    }

    #[test]
    fn a_glob_import_leaves_the_file_alone() {
        let text = shortened(quote! {
            use other::*;
            fn c() -> ::std::option::Option<u8> { ::std::option::Option::None }
        });
        assert!(text.contains("fn c() -> ::std::option::Option<u8>"), "{text}");
    }

    /// [`shortened`] for the file of module `module`, with its imports.
    fn shortened_in(module: &str, tokens: proc_macro2::TokenStream) -> String {
        let mut file: syn::File = syn::parse2(tokens).unwrap();
        let declared = super::Declared::of(&mut file);
        let shortened = super::shorten(&mut file, Some(&declared), Some(module));
        let text = format!("// header\n\n{}", super::render_setters(prettyplease::unparse(&file), &shortened.setters));
        super::with_imports(text, &shortened.imports)
    }

    #[test]
    fn a_file_names_its_own_items_and_the_runtime_s_alone() {
        let text = shortened_in("models", quote! {
            //! Models.
            pub struct A { pub b: crate::models::B, pub c: crate::runtime::Nullable<crate::models::C>, pub d: crate::client::D }
            impl A {
                crate::runtime::setter!(b, crate::models::B);
                fn e() -> crate::models::E { crate::models::E::Variant }
                fn f() -> String { crate::runtime::describe(1) }
            }
            crate::runtime::serde_struct!(A { b, c default, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v });
        });
        assert_eq!(
            text,
            "// header\n\n//! Models.\nuse crate::runtime::{serde_struct, setter, Nullable};\n\
             pub struct A {\n    pub b: B,\n    pub c: Nullable<C>,\n    pub d: crate::client::D,\n}\n\
             impl A {\n    setter!(b, B);\n    fn e() -> E {\n        E::Variant\n    }\n    fn f() -> String {\n        crate::runtime::describe(1)\n    }\n}\n\
             serde_struct!(A { b, c default, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v });\n"
        );
    }

    #[test]
    fn a_runtime_name_the_file_declares_stays_spelled_out_and_other_files_keep_paths() {
        let tokens = quote! {
            pub struct Nullable;
            pub struct A { pub b: crate::runtime::Nullable<crate::models::Nullable>, pub c: crate::runtime::Body }
        };
        let text = shortened_in("models", tokens.clone());
        assert!(text.contains("pub b: crate::runtime::Nullable<Nullable>,\n    pub c: Body,"), "{text}");
        assert!(text.contains("use crate::runtime::Body;\n"), "{text}");
        // In another file, a model is `models::Name`.
        let text = shortened_in("client", tokens.clone());
        assert!(text.contains("use crate::models;\nuse crate::runtime::Body;\n"), "{text}");
        assert!(text.contains("pub b: crate::runtime::Nullable<models::Nullable>,\n    pub c: Body,"), "{text}");
        // Where the module is not given (`lib.rs`, `mock.rs`), nothing under `crate::` changes.
        let text = shortened(tokens);
        assert!(text.contains("pub b: crate::runtime::Nullable<crate::models::Nullable>"), "{text}");
        assert!(!text.contains("use "), "{text}");
    }

    #[test]
    fn a_module_named_std_keeps_leading_colons() {
        let text = shortened(quote! {
            mod std {}
            impl ::std::fmt::Display for A {}
            fn c() -> ::std::string::String { todo!() }
        });
        assert!(text.contains("impl ::std::fmt::Display for A"), "{text}");
        assert!(text.contains("fn c() -> String"), "{text}");
    }
}
