//! Rust names for everything the document names: one place for case conversion, keywords,
//! invalid identifiers and collisions.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that are keywords in some edition (strict, reserved and weak ones that matter).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Identifiers longer than this are cut (and made unique with a hash of the rest).
const MAX_LEN: usize = 64;

/// Whether `name` must be written `r#name`.
pub fn needs_raw(name: &str) -> bool {
    KEYWORDS.contains(&name) && !NOT_RAW.contains(&name)
}

/// A `proc_macro2::Ident` for a name made by this module, raw where needed.
pub fn ident(name: &str) -> proc_macro2::Ident {
    let span = proc_macro2::Span::call_site();
    if needs_raw(name) {
        proc_macro2::Ident::new_raw(name, span)
    } else {
        proc_macro2::Ident::new(name, span)
    }
}

/// A type or variant name: `ListResource_FileRead_` → `ListResourceFileRead`.
pub fn type_name(raw: &str) -> String {
    let name = ascii_words(raw).to_upper_camel_case();
    let name = match name.chars().next() {
        None => "Unnamed".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("T{name}"),
        Some(_) => name,
    };
    let name = if name == "Self" { "SelfType".to_owned() } else { name };
    shorten(name)
}

/// A field, parameter, method or module name: `mimeType` → `mime_type`; keywords stay keywords
/// (written raw by [`ident`]) except those that cannot be raw, which get a trailing `_`.
pub fn value_name(raw: &str) -> String {
    let name = ascii_words(raw).to_snake_case();
    let name = match name.chars().next() {
        None => "value".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("n{name}"),
        Some(_) => name,
    };
    let name = if NOT_RAW.contains(&name.as_str()) { format!("{name}_") } else { name };
    shorten(name)
}

/// A `SCREAMING_SNAKE_CASE` constant name.
pub fn const_name(raw: &str) -> String {
    value_name(raw).trim_end_matches('_').to_uppercase()
}

/// Replaces everything that cannot be in an ASCII identifier by word breaks; non-ASCII letters
/// become `u` + their code point, so distinct names stay distinct.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

fn shorten(name: String) -> String {
    if name.len() <= MAX_LEN {
        return name;
    }
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let mut hash: u32 = 0x811c_9dc5;
    for byte in name.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    let mut cut = MAX_LEN - 9;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let separator = if name.contains('_') || name.chars().next().is_some_and(char::is_lowercase) { "_" } else { "X" };
    // A cut right after a `_` would make `__` (not snake case, rustc warns).
    let head = name[..cut].trim_end_matches('_');
    format!("{head}{separator}{hash:08x}")
}

/// A namespace: claims names and resolves collisions deterministically (`Name`, `Name2`, ...).
#[derive(Debug, Default, Clone)]
pub struct Scope {
    used: BTreeSet<String>,
    /// For a candidate that collided: the suffix to try next (every smaller one is taken), so
    /// claiming the same candidate n times costs n steps, not n².
    next_suffix: BTreeMap<String, usize>,
}

impl Scope {
    /// A scope in which `reserved` are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Scope { used: reserved.into_iter().map(str::to_owned).collect(), next_suffix: BTreeMap::new() }
    }

    /// Claims `candidate` or the first free `candidate2`, `candidate3`, ...; the flag says whether
    /// the name had to change.
    pub fn claim(&mut self, candidate: &str) -> (String, bool) {
        if self.used.insert(candidate.to_owned()) {
            return (candidate.to_owned(), false);
        }
        let separator = if candidate.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let mut n = self.next_suffix.get(candidate).copied().unwrap_or(2);
        loop {
            let name = format!("{candidate}{separator}{n}");
            n += 1;
            if self.used.insert(name.clone()) {
                self.next_suffix.insert(candidate.to_owned(), n);
                return (name, true);
            }
        }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("ListResource_FileRead_"), "ListResourceFileRead");
        assert_eq!(type_name("FileRead"), "FileRead");
        assert_eq!(type_name("S3FileCreatePart"), "S3FileCreatePart");
        assert_eq!(type_name("3DModel"), "T3dModel");
        assert_eq!(type_name("Self"), "SelfType");
        assert_eq!(type_name("Café"), "CafUe9");
        assert_eq!(type_name("---"), "Unnamed");
        assert_eq!(type_name("a.b-c d"), "ABCD");
    }

    #[test]
    fn value_names() {
        assert_eq!(value_name("mime_type"), "mime_type");
        assert_eq!(value_name("mimeType"), "mime_type");
        assert_eq!(value_name("type"), "type");
        assert!(needs_raw("type"));
        assert_eq!(value_name("self"), "self_");
        assert!(!needs_raw("self_"));
        assert_eq!(value_name("1st"), "n1st");
        assert_eq!(value_name("@odata.id"), "odata_id");
        assert_eq!(ident("match").to_string(), "r#match");
    }

    #[test]
    fn long_names_are_cut_stably() {
        let long = "a".repeat(200);
        let name = value_name(&long);
        assert!(name.len() <= MAX_LEN, "{name}");
        assert_eq!(name, value_name(&long));
        assert_ne!(name, value_name(&format!("{long}b")));
        // A cut that falls after a word break leaves no double underscore.
        let words = value_name(&"word ".repeat(40));
        assert!(!words.contains("__") && words.len() <= MAX_LEN, "{words}");
        // Cut right after an underscore: no `__` before the hash.
        let name = value_name("Body_alpha_bravo_charlie_delta_echo_foxtrot_golf_hotel_ind_juliet_post");
        assert!(!name.contains("__"), "{name}");
        assert!(name.len() <= MAX_LEN, "{name}");
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("FooBar"), ("FooBar".to_owned(), false));
        assert_eq!(scope.claim("FooBar"), ("FooBar2".to_owned(), true));
        assert_eq!(scope.claim("FooBar"), ("FooBar3".to_owned(), true));
        assert_eq!(scope.claim("S3"), ("S3".to_owned(), false));
        assert_eq!(scope.claim("S3"), ("S3_2".to_owned(), true));
        // A name taken literally is skipped by the suffixes.
        assert_eq!(scope.claim("FooBar4"), ("FooBar4".to_owned(), false));
        assert_eq!(scope.claim("FooBar"), ("FooBar5".to_owned(), true));
    }

    /// Claiming one candidate n times is linear (it was quadratic: 10,000 colliding enum values
    /// took 15 s, 50,000 more than 400 s). Not timed: a regression shows as a test that hangs.
    #[test]
    fn many_collisions_stay_cheap() {
        let mut scope = Scope::default();
        for _ in 0..100_000 {
            scope.claim("Value");
        }
        assert_eq!(scope.claim("Value"), ("Value100001".to_owned(), true));
    }
}
