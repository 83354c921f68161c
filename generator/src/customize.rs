//! Settings that change the generated types: renames (on the IR, before emission), and extra
//! derives and type replacements (on the emitted syntax trees, before pretty-printing).
//!
//! Every key names a type as the generator names it without renames (what `cargo doc` of a crate
//! generated without settings shows); a key that names no type is an error, so a typo never
//! passes silently.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;

use crate::diagnostics::{Diagnostic, Error, Stage};
use crate::emit::Emitted;
use crate::ir::{Api, Struct, TypeKind};
use crate::Settings;

/// The formats `[types.format]` can replace, and the type the generator uses for each.
pub const REPLACEABLE_FORMATS: [(&str, &str); 3] =
    [("uuid", "::uuid::Uuid"), ("date-time", "::chrono::DateTime<::chrono::Utc>"), ("date", "::chrono::NaiveDate")];

pub(crate) fn settings_error(key: &str, message: String) -> Diagnostic {
    Diagnostic::error(key, message)
}

/// Applies `settings.renames` to the IR.
pub(crate) fn rename(api: &mut Api, settings: &Settings) -> Result<(), Error> {
    let mut problems = Vec::new();
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let mut targets: BTreeSet<&str> = BTreeSet::new();
    for (from, to) in &settings.renames {
        let key = format!("types.rename.{from}");
        if !api.types.contains_key(from) {
            problems.push(settings_error(&key, format!("there is no generated type `{from}`{}", suggestion(api, from))));
        } else if syn::parse_str::<syn::Ident>(to).is_err() {
            problems.push(settings_error(&key, format!("`{to}` is not a Rust identifier")));
        } else if (api.types.contains_key(to) && !settings.renames.contains_key(to)) || !targets.insert(to) {
            problems.push(settings_error(&key, format!("`{to}` is the name of another type")));
        } else {
            renames.insert(from.clone(), to.clone());
        }
    }
    // The other settings are checked now too, so every problem is reported at once.
    problems.extend(Checked::new(api, settings).1);
    if !problems.is_empty() {
        return Err(Error { stage: Stage::Settings, diagnostics: problems });
    }
    if renames.is_empty() {
        return Ok(());
    }
    let mut new_name = |name: &mut String| {
        if let Some(to) = renames.get(name.as_str()) {
            *name = to.clone();
        }
    };
    let types = std::mem::take(&mut api.types);
    for (_, mut def) in types {
        new_name(&mut def.name);
        for (ty, _) in def.kind.positions_mut() {
            ty.visit_named_mut(&mut new_name);
        }
        if let TypeKind::Struct(Struct { tag: Some(tag), .. }) = &mut def.kind {
            new_name(&mut tag.union);
        }
        api.types.insert(def.name.clone(), def);
    }
    for op in &mut api.operations {
        for ty in op.type_refs_mut() {
            ty.visit_named_mut(&mut new_name);
        }
    }
    api.unions = std::mem::take(&mut api.unions)
        .into_iter()
        .map(|(mut name, mut plan)| {
            new_name(&mut name);
            for accessor in &mut plan.accessors {
                accessor.ty.visit_named_mut(&mut new_name);
            }
            (name, plan)
        })
        .collect();
    Ok(())
}

fn suggestion(api: &Api, name: &str) -> String {
    let lower = name.to_lowercase();
    let close = |k: &&String| {
        let k = k.to_lowercase();
        k == lower || (k.len() > 2 && lower.len() > 2 && (k.starts_with(&lower) || lower.starts_with(&k)))
    };
    match api.types.keys().find(close) {
        Some(close) => format!(" (did you mean `{close}`?)"),
        None => String::new(),
    }
}

/// Whether any setting here changes the emitted syntax.
pub(crate) fn changes_syntax(settings: &Settings) -> bool {
    !settings.derives.is_empty() || !settings.type_derives.is_empty() || !settings.replace_types.is_empty() || !settings.replace_formats.is_empty()
}

/// Derives, replacements and formats, parsed and checked against the types (named as generated,
/// before renames).
struct Checked {
    global: Vec<syn::Path>,
    per_type: BTreeMap<String, Vec<syn::Path>>,
    replaced: BTreeMap<String, syn::Type>,
    formats: Vec<(String, syn::Type, String)>,
}

impl Checked {
    fn new(api: &Api, settings: &Settings) -> (Checked, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        // Before renames, the names are the generated ones; after, a renamed type is found by
        // its generated name too.
        let known = |key: &str, name: &str, problems: &mut Vec<Diagnostic>| -> Option<String> {
            let target = settings.renames.get(name).cloned().unwrap_or_else(|| name.to_owned());
            if api.types.contains_key(name) || api.types.contains_key(&target) {
                Some(target)
            } else {
                problems.push(settings_error(key, format!("there is no generated type `{name}`{}", suggestion(api, name))));
                None
            }
        };
        let parse_path = |key: &str, text: &str, problems: &mut Vec<Diagnostic>| -> Option<syn::Path> {
            match syn::parse_str::<syn::Path>(text) {
                Ok(path) => Some(path),
                Err(_) => {
                    problems.push(settings_error(key, format!("`{text}` is not a Rust path")));
                    None
                }
            }
        };
        let global: Vec<syn::Path> = settings.derives.iter().filter_map(|d| parse_path("types.derives", d, &mut problems)).collect();
        let mut per_type: BTreeMap<String, Vec<syn::Path>> = BTreeMap::new();
        for (name, derives) in &settings.type_derives {
            let key = format!("types.derive.{name}");
            if let Some(target) = known(&key, name, &mut problems) {
                let paths = derives.iter().filter_map(|d| parse_path(&key, d, &mut problems));
                per_type.entry(target).or_default().extend(paths);
            }
        }
        let mut replaced: BTreeMap<String, syn::Type> = BTreeMap::new();
        for (name, path) in &settings.replace_types {
            let key = format!("types.replace.{name}");
            if let Some(target) = known(&key, name, &mut problems) {
                match syn::parse_str::<syn::Type>(path) {
                    Ok(ty) => {
                        replaced.insert(target, ty);
                    }
                    Err(_) => problems.push(settings_error(&key, format!("`{path}` is not a Rust type"))),
                }
            }
        }
        let mut formats: Vec<(String, syn::Type, String)> = Vec::new();
        for (format, path) in &settings.replace_formats {
            let key = format!("types.format.{format}");
            let Some((_, original)) = REPLACEABLE_FORMATS.iter().find(|(f, _)| f == format) else {
                let known: Vec<&str> = REPLACEABLE_FORMATS.iter().map(|(f, _)| *f).collect();
                problems.push(settings_error(&key, format!("the format `{format}` cannot be replaced (these can: {})", known.join(", "))));
                continue;
            };
            match (syn::parse_str::<syn::Type>(original), syn::parse_str::<syn::Type>(path)) {
                (Ok(from), Ok(to)) => formats.push((from.to_token_stream().to_string(), to, (*original).to_owned())),
                _ => problems.push(settings_error(&key, format!("`{path}` is not a Rust type"))),
            }
        }
        (Checked { global, per_type, replaced, formats }, problems)
    }
}

/// Applies extra derives and type replacements to the emitted models and client.
pub(crate) fn apply(emitted: &mut Emitted, api: &Api, settings: &Settings) -> Result<(), Error> {
    let (Checked { global, per_type, replaced, formats }, problems) = Checked::new(api, settings);
    if !problems.is_empty() {
        return Err(Error { stage: Stage::Settings, diagnostics: problems });
    }
    // A type that is another's alias (an inline enum the same as another) takes its derives
    // through the type it names; a replaced type has nothing left to derive on.
    let mut derived: BTreeMap<String, Vec<syn::Path>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, paths) in per_type {
        let target = aliased(api, name.clone());
        if replaced.contains_key(&target) {
            let message = format!("`{name}` is replaced (`types.replace.{target}`): no generated type is left to derive on");
            problems.push(settings_error(&format!("types.derive.{name}"), message));
        }
        derived.entry(target).or_default().extend(paths);
    }
    if !problems.is_empty() {
        return Err(Error { stage: Stage::Settings, diagnostics: problems });
    }
    let per_type = derived;
    for (path, tokens) in &mut emitted.rust {
        let is_models = path == "src/models.rs";
        if !is_models && (path != "src/client.rs" || formats.is_empty()) {
            continue;
        }
        let mut file: syn::File = syn::parse2(tokens.clone())
            .map_err(|err| Error::single(Stage::Emit, Diagnostic::error("#", format!("{path}: the generator produced invalid Rust: {err}"))))?;
        if !formats.is_empty() {
            let crate_path = format!("{}::", settings.crate_name.replace('-', "_"));
            ReplaceFormats { formats: &formats, crate_path: &crate_path }.visit_file_mut(&mut file);
        }
        if is_models {
            add_derives(&mut file, &global, &per_type);
            replace_types(&mut file, &replaced, &default_functions(api, &replaced));
        }
        *tokens = file.into_token_stream();
    }
    Ok(())
}

/// The type `name` is an alias of (through aliases of aliases), or `name`.
fn aliased(api: &Api, mut name: String) -> String {
    for _ in 0..api.types.len() {
        match api.types.get(&name).map(|def| &def.kind) {
            Some(TypeKind::Alias(crate::ir::TypeRef::Named(target))) => name = target.clone(),
            _ => break,
        }
    }
    name
}

fn add_derives(file: &mut syn::File, global: &[syn::Path], per_type: &BTreeMap<String, Vec<syn::Path>>) {
    for item in &mut file.items {
        let (ident, attrs) = match item {
            syn::Item::Struct(s) => (s.ident.to_string(), &mut s.attrs),
            syn::Item::Enum(e) => (e.ident.to_string(), &mut e.attrs),
            _ => continue,
        };
        let wanted: Vec<&syn::Path> = global.iter().chain(per_type.get(&ident).into_iter().flatten()).collect();
        if wanted.is_empty() {
            continue;
        }
        let position = attrs.iter().position(|a| a.path().is_ident("derive"));
        let mut paths: Vec<syn::Path> = match position {
            Some(index) => attrs[index]
                .parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                .map(|list| list.into_iter().collect())
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let last = |p: &syn::Path| p.segments.last().map(|s| s.ident.to_string());
        for path in wanted {
            // Every model implements serde's traits already (a struct through `serde_struct!`).
            let serde = last(path).is_some_and(|name| name == "Serialize" || name == "Deserialize");
            if !serde && !paths.iter().any(|p| last(p) == last(path)) {
                paths.push(path.clone());
            }
        }
        let attr: syn::Attribute = syn::parse_quote!(#[derive(#(#paths),*)]);
        match position {
            Some(index) => attrs[index] = attr,
            None => attrs.insert(attrs.iter().take_while(|a| a.path().is_ident("doc")).count(), attr),
        }
    }
}

/// The default functions of the replaced structs' fields, which go with them.
fn default_functions(api: &Api, replaced: &BTreeMap<String, syn::Type>) -> Vec<String> {
    replaced
        .keys()
        .filter_map(|name| match &api.types.get(name)?.kind {
            crate::ir::TypeKind::Struct(s) => Some(s.fields.iter().filter_map(|field| field.default_function.clone())),
            _ => None,
        })
        .flatten()
        .collect()
}

fn replace_types(file: &mut syn::File, replaced: &BTreeMap<String, syn::Type>, default_functions: &[String]) {
    if replaced.is_empty() {
        return;
    }
    let names_self = |ty: &syn::Type| match ty {
        syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| replaced.contains_key(&s.ident.to_string()))
            && (p.path.segments.len() == 1 || p.path.segments.iter().any(|s| s.ident == "models")),
        _ => false,
    };
    let alias = |name: &str| -> syn::Item {
        let ty = &replaced[name];
        let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
        let doc = format!(" `{name}`: replaced by `{}` (the `types.replace` setting).", ty.to_token_stream().to_string().replace(' ', ""));
        syn::parse_quote! {
            #[doc = #doc]
            pub type #ident = #ty;
        }
    };
    // The type's own items become one alias, where the type was; its impls go.
    let items = std::mem::take(&mut file.items);
    for item in items {
        let name = match &item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            syn::Item::Impl(i) if names_self(&i.self_ty) => continue,
            // The runtime's macros that write impls for the type named first
            // (`serde_struct!(Name { .. })`, `string_enum!(Name { .. })`).
            syn::Item::Macro(m) if implements_replaced(&m.mac, replaced) => continue,
            syn::Item::Fn(f) if default_functions.iter().any(|name| f.sig.ident == name) => continue,
            _ => None,
        };
        match name {
            Some(name) if replaced.contains_key(&name) => file.items.push(alias(&name)),
            _ => file.items.push(item),
        }
    }
}

/// Whether `mac` is one of the runtime's macros (`crate::runtime::..!`) whose first argument, the
/// type it writes impls for, is replaced.
fn implements_replaced(mac: &syn::Macro, replaced: &BTreeMap<String, syn::Type>) -> bool {
    let runtime = mac.path.segments.len() == 3 && mac.path.segments[0].ident == "crate" && mac.path.segments[1].ident == "runtime";
    let first = mac.tokens.clone().into_iter().next();
    runtime && matches!(first, Some(proc_macro2::TokenTree::Ident(name)) if replaced.contains_key(&name.to_string()))
}

/// Replaces the types of formats (`::uuid::Uuid`) everywhere, and in doc examples.
struct ReplaceFormats<'a> {
    formats: &'a [(String, syn::Type, String)],
    /// The generated crate's path as its doc examples (separate crates) spell it, such as
    /// `polar_files::`: `crate::` in a replacement means this crate.
    crate_path: &'a str,
}

impl VisitMut for ReplaceFormats<'_> {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        let text = ty.to_token_stream().to_string();
        if let Some((_, to, _)) = self.formats.iter().find(|(from, _, _)| *from == text) {
            *ty = to.clone();
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // The type a runtime `setter!` takes.
        crate::emit::paths::visit_runtime_macro_type(mac, |ty| self.visit_type_mut(ty));
    }

    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if let syn::Meta::NameValue(nv) = &mut attr.meta {
            if nv.path.is_ident("doc") {
                if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value {
                    let mut text = s.value();
                    for (_, to, original) in self.formats {
                        let to = to.to_token_stream().to_string().replace(' ', "");
                        let to = match to.strip_prefix("crate::") {
                            Some(rest) => format!("{}{rest}", self.crate_path),
                            None => to,
                        };
                        // Doc examples name a re-exported crate's type through the crate
                        // (`polar_files::uuid::Uuid`), other docs as the generator does (`::uuid::Uuid`).
                        let through_crate = format!("{}{}", self.crate_path, original.trim_start_matches("::"));
                        text = text.replace(&through_crate, &to).replace(original.as_str(), &to);
                    }
                    nv.value = syn::parse_quote!(#text);
                }
            }
        }
    }
}


#[cfg(test)]
mod tests {
    use crate::{generate, Settings};

    /// A type that is an alias of another (an inline enum the same as another) takes a derive
    /// asked for it through the type it names, where a derive can go.
    #[test]
    fn a_derive_for_an_alias_goes_to_the_type_it_names() {
        let document = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"A": {"type": "object", "properties": {
                "first": {"type": "string", "enum": ["x", "y"]},
                "second": {"type": "string", "enum": ["x", "y"]}}}}}}"#;
        let mut settings = Settings::standalone("t", "t.json");
        settings.type_derives = [("ASecond".to_owned(), vec!["my::Derive".to_owned()])].into();
        let output = generate(document, &settings).unwrap();
        let models = &output.files.iter().find(|f| f.path == "src/models.rs").unwrap().contents;
        assert!(models.contains("pub type ASecond = AFirst;"), "{models}");
        let derive = models.split("pub enum AFirst").next().unwrap().rsplit("#[derive(").next().unwrap();
        assert!(derive.starts_with("Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, my::Derive)]"), "{derive}");
    }

    /// Renamed, a union keeps what resolve decided for it: its accessors (of a renamed type too),
    /// its variants' tags and its `From` conversions.
    #[test]
    fn a_renamed_union_keeps_its_plan() {
        let document = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {"propertyName": "kind"}},
                "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Cat": {"type": "object", "required": ["kind", "owner"], "properties": {"kind": {"const": "Cat"},
                    "owner": {"$ref": "#/components/schemas/Owner"}}},
                "Dog": {"type": "object", "required": ["kind", "owner"], "properties": {"kind": {"const": "Dog"},
                    "owner": {"$ref": "#/components/schemas/Owner"}}}}}}"##;
        let models = |renames: &[(&str, &str)]| {
            let mut settings = Settings::standalone("t", "t.json");
            settings.renames = renames.iter().map(|(from, to)| ((*from).to_owned(), (*to).to_owned())).collect();
            let output = generate(document, &settings).unwrap();
            output.files.iter().find(|f| f.path == "src/models.rs").unwrap().contents.clone()
        };
        let plain = models(&[]);
        assert!(plain.contains("pub fn owner(&self) -> Option<&Owner>") && plain.contains("from_variant!(Pet, Cat, Cat);"), "{plain}");
        assert!(plain.contains("Cat: \"Cat\", Dog: \"Dog\", ..Unknown"), "{plain}");
        let renamed = models(&[("Pet", "Animal"), ("Owner", "Keeper"), ("Cat", "Feline")]);
        assert_eq!(renamed.matches("pub fn owner(&self) -> Option<&Keeper>").count(), 1, "{renamed}");
        assert!(renamed.contains("from_variant!(Animal, Cat, Feline);") && renamed.contains("Cat: \"Cat\", Dog: \"Dog\", ..Unknown"), "{renamed}");
        assert_eq!(renamed.matches("with_tag").count(), plain.matches("with_tag").count(), "{renamed}");
    }

    /// Replacing an enum replaces it where the document uses it: the inline enums that are its
    /// aliases only for having the same values keep an enum (one, the others its aliases).
    #[test]
    fn replacing_an_enum_leaves_the_inline_enums_only_the_same_as_it() {
        let document = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"A": {"type": "object", "properties": {
                "first": {"type": "string", "enum": ["x", "y"]},
                "second": {"type": "string", "enum": ["x", "y"]},
                "third": {"type": "string", "enum": ["x", "y"], "deprecated": true},
                "fourth": {"type": "string", "enum": ["x", "y"]}}}}}}"#;
        let mut settings = Settings::standalone("t", "t.json");
        let models = |settings: &Settings| {
            let output = generate(document, settings).unwrap();
            output.files.iter().find(|f| f.path == "src/models.rs").unwrap().contents.clone()
        };
        let shared = models(&settings);
        for alias in ["AFourth", "ASecond", "AThird"] {
            assert!(shared.contains(&format!("pub type {alias} = AFirst;")), "{shared}");
        }
        settings.replace_types = [("AFirst".to_owned(), "my::Letters".to_owned())].into();
        settings.type_derives = [("AThird".to_owned(), vec!["my::Derive".to_owned()])].into();
        let models = models(&settings);
        assert!(models.contains("pub type AFirst = my::Letters;"), "{models}");
        assert!(models.contains("pub enum AFourth {"), "{models}");
        assert!(models.contains("pub type ASecond = AFourth;"), "{models}");
        assert!(models.contains("pub type AThird = AFourth;"), "{models}");
        let derive = models.split("pub enum AFourth").next().unwrap().rsplit("#[derive(").next().unwrap();
        assert!(derive.starts_with("Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, my::Derive)]"), "{derive}");
        // A derive asked for a replaced type, or for an alias of one, has nowhere to go.
        let mut replaced_derive = settings.clone();
        replaced_derive.type_derives = [("AFirst".to_owned(), vec!["my::Derive".to_owned()])].into();
        let err = generate(document, &replaced_derive).unwrap_err();
        assert_eq!(err.diagnostics[0].pointer.to_string(), "types.derive.AFirst");
        assert_eq!(err.diagnostics[0].message, "`AFirst` is replaced (`types.replace.AFirst`): no generated type is left to derive on");
        // An alias replaced itself is the replacement.
        settings.replace_types.insert("AFourth".to_owned(), "my::Other".to_owned());
        let models = generate(document, &settings).unwrap().files.into_iter().find(|f| f.path == "src/models.rs").unwrap().contents;
        assert!(models.contains("pub type AFourth = my::Other;"), "{models}");
        assert!(models.contains("pub enum ASecond {"), "{models}");
        assert!(models.contains("pub type AThird = ASecond;"), "{models}");
    }

    /// Replacing an inline struct replaces it where the document uses it: its copy keeps a
    /// struct, and so do the copies of what holds it (they hold different types now).
    #[test]
    fn replacing_a_struct_keeps_its_copies_and_their_holders_apart() {
        let document = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"A": {"type": "object", "properties": {
                "p": {"type": "object", "properties": {"x": {"type": "object", "properties": {"w": {"type": "integer"}}}}},
                "q": {"type": "object", "properties": {"x": {"type": "object", "properties": {"w": {"type": "integer"}}}}}}}}}}"#;
        let mut settings = Settings::standalone("t", "t.json");
        let models = |settings: &Settings| {
            let output = generate(document, settings).unwrap();
            output.files.iter().find(|f| f.path == "src/models.rs").unwrap().contents.clone()
        };
        let shared = models(&settings);
        assert!(shared.contains("pub type Aq = Ap;"), "{shared}");
        assert!(shared.contains("pub type AqX = ApX;"), "{shared}");
        settings.replace_types = [("ApX".to_owned(), "my::X".to_owned())].into();
        let models = models(&settings);
        assert!(models.contains("pub type ApX = my::X;"), "{models}");
        for own in ["pub struct Ap {", "pub struct Aq {", "pub struct AqX {"] {
            assert!(models.contains(own), "{models}");
        }
    }
}
