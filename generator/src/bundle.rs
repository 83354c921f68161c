//! One file from a generated crate's files, for a build script: `include!`d at the root of a
//! crate, it is the whole generated crate (modules inline, the crate-level attributes left out).

use crate::diagnostics::{Diagnostic, Error, Stage};
use crate::GeneratedFile;

/// The crate's `src/` files as one Rust file: `mod x;` declarations replaced by the modules'
/// contents, the crate root's inner attributes and docs left out (`include!` does not accept
/// them; the including crate has its own), but for its `#![allow(..)]`s, which the generated code
/// needs (its own uses of deprecated items, spelled-out nested map types) and which go on each
/// of the root's items instead; and `#[cfg(test)]` items are left out (the runtime's own tests).
/// A module that was not generated (a hand-written one of `Settings::extra_modules`) is an error.
pub fn single_file(files: &[GeneratedFile]) -> Result<String, Error> {
    let header = files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .and_then(|f| f.contents.lines().next())
        .ok_or_else(|| fail("there is no src/lib.rs to start from".to_owned()))?
        .to_owned();
    let mut root = parse(files, "src/lib.rs")?;
    let allows: Vec<syn::Attribute> = root
        .attrs
        .iter()
        .filter(|attr| matches!(attr.style, syn::AttrStyle::Inner(_)) && attr.path().is_ident("allow"))
        .map(|attr| syn::Attribute { style: syn::AttrStyle::Outer, ..attr.clone() })
        .collect();
    root.attrs.retain(|attr| matches!(attr.style, syn::AttrStyle::Outer));
    root.shebang = None;
    inline(files, "src", &mut root.items, 0)?;
    for item in &mut root.items {
        if let Some(attrs) = attrs_mut(item) {
            insert_after_docs(attrs, allows.iter().cloned());
        }
    }
    Ok(format!("{header}\n\n{}", prettyplease::unparse(&root)))
}

fn fail(message: String) -> Error {
    Error::single(Stage::Emit, Diagnostic::error("#", message))
}

fn parse(files: &[GeneratedFile], path: &str) -> Result<syn::File, Error> {
    let file = files.iter().find(|f| f.path == path).ok_or_else(|| fail(format!("{path} is not a generated file")))?;
    syn::parse_file(&file.contents).map_err(|err| fail(format!("{path}: {err}")))
}

/// Replaces each `mod x;` of the module whose directory is `dir` by its contents, and leaves out
/// its `#[cfg(test)]` items (the runtime's own tests are not the including crate's).
fn inline(files: &[GeneratedFile], dir: &str, items: &mut Vec<syn::Item>, depth: usize) -> Result<(), Error> {
    if depth > 8 {
        return Err(fail(format!("{dir}: modules nest too deep")));
    }
    items.retain(|item| !test_only(item));
    for item in items {
        let syn::Item::Mod(module) = item else { continue };
        if module.content.is_some() {
            continue;
        }
        let name = module.ident.to_string();
        let name = name.trim_start_matches("r#");
        let (path, child_dir) = [format!("{dir}/{name}.rs"), format!("{dir}/{name}/mod.rs")]
            .into_iter()
            .find(|p| files.iter().any(|f| &f.path == p))
            .map(|p| (p, format!("{dir}/{name}")))
            .ok_or_else(|| fail(format!("module `{name}` is not generated (a hand-written module cannot be put in one file)")))?;
        let mut file = parse(files, &path)?;
        inline(files, &child_dir, &mut file.items, depth + 1)?;
        // The file's inner attributes (its `//!` docs) go after the declaration's docs, outer
        // ones where the declaration has attributes of its own (an item with both kinds is
        // clippy's `mixed_attributes_style`).
        let mut attrs = file.attrs;
        if !module.attrs.is_empty() {
            attrs.iter_mut().for_each(|attr| attr.style = syn::AttrStyle::Outer);
        }
        insert_after_docs(&mut module.attrs, attrs);
        module.content = Some((syn::token::Brace::default(), file.items));
        module.semi = None;
    }
    Ok(())
}

/// Puts `new` after the docs of `attrs` (an item's doc comments first, as written by hand).
fn insert_after_docs(attrs: &mut Vec<syn::Attribute>, new: impl IntoIterator<Item = syn::Attribute>) {
    let after_docs = attrs.iter().rposition(|attr| attr.path().is_ident("doc")).map_or(0, |i| i + 1);
    attrs.splice(after_docs..after_docs, new);
}

/// The attributes of an item that can have lint attributes (every kind a crate root holds).
fn attrs_mut(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Const(item) => Some(&mut item.attrs),
        syn::Item::Enum(item) => Some(&mut item.attrs),
        syn::Item::Fn(item) => Some(&mut item.attrs),
        syn::Item::Impl(item) => Some(&mut item.attrs),
        syn::Item::Macro(item) => Some(&mut item.attrs),
        syn::Item::Mod(item) => Some(&mut item.attrs),
        syn::Item::Static(item) => Some(&mut item.attrs),
        syn::Item::Struct(item) => Some(&mut item.attrs),
        syn::Item::Trait(item) => Some(&mut item.attrs),
        syn::Item::Type(item) => Some(&mut item.attrs),
        syn::Item::Use(item) => Some(&mut item.attrs),
        _ => None,
    }
}

/// Whether `item` is compiled for tests only (`#[cfg(test)]`).
fn test_only(item: &syn::Item) -> bool {
    let attrs = match item {
        syn::Item::Mod(item) => &item.attrs,
        syn::Item::Fn(item) => &item.attrs,
        syn::Item::Use(item) => &item.attrs,
        syn::Item::Impl(item) => &item.attrs,
        _ => return false,
    };
    attrs.iter().any(|attr| matches!(&attr.meta, syn::Meta::List(list) if list.path.is_ident("cfg") && list.tokens.to_string() == "test"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile { path: path.to_owned(), contents: contents.to_owned() }
    }

    #[test]
    fn modules_are_inlined_and_the_root_attributes_and_tests_dropped() {
        let files = [
            file("src/lib.rs", "// @generated by x\n//! Crate docs.\n#![warn(missing_docs)]\npub mod models;\npub mod runtime;\n"),
            file("src/models.rs", "// @generated by x\n//! Models.\npub struct A;\n"),
            file("src/runtime/mod.rs", "mod client;\npub use client::C;\n#[cfg(test)]\nmod tests {}\n"),
            file("src/runtime/client.rs", "pub struct C;\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n#[cfg(not(test))]\nfn kept() {}\n"),
        ];
        let text = single_file(&files).unwrap();
        assert_eq!(
            text,
            "// @generated by x\n\npub mod models {\n    //! Models.\n    pub struct A;\n}\npub mod runtime {\n    mod client {\n        pub struct C;\n        #[cfg(not(test))]\n        fn kept() {}\n    }\n    pub use client::C;\n}\n"
        );
        assert!(syn::parse_file(&text).is_ok());
    }

    #[test]
    fn a_declaration_with_attributes_takes_the_file_docs_as_outer_ones() {
        let files = [
            file("src/lib.rs", "// @generated by x\n/// Mocks.\n#[cfg(feature = \"mock\")]\npub mod mock;\n#[cfg(unix)]\nmod extra;\n"),
            file("src/mock.rs", "//! Fake responses.\npub struct M;\n"),
            file("src/extra.rs", "//! Extra.\n#![allow(unused)]\n"),
        ];
        let text = single_file(&files).unwrap();
        assert_eq!(
            text,
            "// @generated by x\n\n/// Mocks.\n/// Fake responses.\n#[cfg(feature = \"mock\")]\npub mod mock {\n    pub struct M;\n}\n/// Extra.\n#[allow(unused)]\n#[cfg(unix)]\nmod extra {}\n"
        );
    }

    /// The root's `#![allow(..)]`s (the crate's own uses of deprecated items) hold for each of
    /// its items; its other inner attributes are the including crate's to choose.
    #[test]
    fn the_root_s_allowances_go_on_each_of_its_items() {
        let files = [
            file(
                "src/lib.rs",
                "// @generated by x\n//! Crate.\n#![warn(missing_docs)]\n#![allow(deprecated)]\n#![allow(clippy::type_complexity)]\n/// Models.\npub mod models;\npub use models::A;\n",
            ),
            file("src/models.rs", "#[deprecated]\npub struct A;\npub struct B(pub A);\n"),
        ];
        let text = single_file(&files).unwrap();
        assert_eq!(
            text,
            "// @generated by x\n\n/// Models.\n#[allow(deprecated)]\n#[allow(clippy::type_complexity)]\npub mod models {\n    #[deprecated]\n    pub struct A;\n    pub struct B(pub A);\n}\n#[allow(deprecated)]\n#[allow(clippy::type_complexity)]\npub use models::A;\n"
        );
    }

    #[test]
    fn a_hand_written_module_is_an_error() {
        let files = [file("src/lib.rs", "pub mod upload;\n")];
        let err = single_file(&files).unwrap_err();
        assert_eq!(err.diagnostics[0].message, "module `upload` is not generated (a hand-written module cannot be put in one file)");
    }
}
