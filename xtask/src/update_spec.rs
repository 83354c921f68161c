//! `cargo xtask update-spec <published document>`: slices the operations the configuration's
//! `[filter]` keeps (and exactly what they reach) out of the whole document Polar publishes into
//! `specs/`, then reports what changed against the committed document, in the generated API's
//! terms (operations, types, fields, enum values, statuses), with a semver verdict.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use openapi_rust_gen::ir::{Api, Operation, Presence, Response, Status, TypeKind, TypeRef};
use openapi_rust_gen::{filter, generate, parse_document, Config, Output, Settings};

use crate::project_root;

const USAGE: &str = "usage: cargo xtask update-spec <published document> [--config <file>] [--dry-run]

Slices the operations openapi-rust-gen.toml's [filter] keeps out of the whole published document
(YAML or JSON) into the configuration's `spec`, and reports what changed in the generated API with
a semver verdict. --dry-run writes nothing.";

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut published = None;
    let mut config = project_root().join(crate::codegen::CONFIG);
    let mut dry_run = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--config" => config = iter.next().map(PathBuf::from).ok_or(USAGE)?,
            "--dry-run" => dry_run = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other if other.starts_with('-') => return Err(format!("unknown flag `{other}`\n\n{USAGE}")),
            other if published.is_none() => published = Some(PathBuf::from(other)),
            other => return Err(format!("unexpected argument `{other}`\n\n{USAGE}")),
        }
    }
    let published = published.ok_or(USAGE)?;
    print!("{}", update(&published, &config, !dry_run)?);
    Ok(())
}

/// Does the update; returns the report.
pub(crate) fn update(published: &Path, config_path: &Path, write: bool) -> Result<String, String> {
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()));
    let config = Config::from_toml(&read(config_path)?).map_err(|err| format!("{}: {err}", config_path.display()))?;
    let spec_name = config.spec.clone().ok_or_else(|| format!("{}: no `spec`", config_path.display()))?;
    let spec_path = config_path.parent().unwrap_or(Path::new("")).join(&spec_name);
    let settings = config.settings("api", &spec_name);
    if settings.filter.is_empty() {
        return Err(format!("{}: no [filter]: nothing says which operations to keep", config_path.display()));
    }
    let whole_text = read(published)?;
    let whole = parse_document(&whole_text).map_err(|err| format!("{}: {err}", published.display()))?;
    let (sliced, warnings) = filter::slice(&whole, &settings.filter);
    if !warnings.is_empty() {
        let lines: Vec<String> = warnings.iter().map(|w| format!("  {w}")).collect();
        return Err(format!("{}: the filter does not fit the document:\n{}", published.display(), lines.join("\n")));
    }
    let source_name = published.file_name().map_or_else(|| published.display().to_string(), |n| n.to_string_lossy().into_owned());
    let body = serde_yaml::to_string(&sliced).map_err(|err| err.to_string())?;
    let text = format!(
        "# Sliced by `cargo xtask update-spec` from {source_name}: the operations the [filter] of\n\
         # {} keeps and exactly what they reach. Run it again rather than editing by hand.\n{body}",
        config_path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
    );

    let new = generate(&text, &settings).map_err(|err| format!("the sliced document does not generate: {err}"))?;
    let old = match std::fs::read_to_string(&spec_path) {
        Ok(old_text) => Some(generate(&old_text, &settings).map_err(|err| format!("{}: {err}", spec_path.display()))?),
        Err(_) => None,
    };
    let count = |doc: &serde_json::Value, key: &str| doc.get(key).and_then(|p| p.as_object()).map_or(0, |o| o.len());
    let operations_in = |doc: &serde_json::Value| {
        doc.get("paths").and_then(|p| p.as_object()).map_or(0, |paths| {
            paths.values().filter_map(|i| i.as_object()).map(|i| i.keys().filter(|k| METHODS.contains(&k.as_str())).count()).sum::<usize>()
        })
    };
    let mut report = String::new();
    let _ = writeln!(
        report,
        "update-spec: {source_name} → {spec_name}: kept {} of {} operations and {} of {} schemas",
        operations_in(&sliced),
        operations_in(&whole),
        count(&sliced["components"], "schemas"),
        count(&whole["components"], "schemas"),
    );
    match &old {
        None => {
            let _ = writeln!(report, "there was no {spec_name}: everything is new");
        }
        Some(old) => report.push_str(&diff(old, &new, &settings).render(&old.api.version, &new.api.version)),
    }
    let unchanged = std::fs::read_to_string(&spec_path).is_ok_and(|t| t == text);
    if write && !unchanged {
        std::fs::write(&spec_path, &text).map_err(|err| format!("cannot write {}: {err}", spec_path.display()))?;
        let _ = writeln!(report, "wrote {spec_name}: now run `cargo xtask codegen`, review the diff, and set the version in the crate's Cargo.toml");
    } else if unchanged {
        let _ = writeln!(report, "{spec_name} is unchanged");
    } else {
        let _ = writeln!(report, "dry run: {spec_name} not written");
    }
    Ok(report)
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Minor,
    Major,
}

#[derive(Default)]
struct Changes {
    /// (section, line, level, why)
    items: Vec<(&'static str, String, Level, String)>,
}

impl Changes {
    fn push(&mut self, section: &'static str, line: String, level: Level, why: impl Into<String>) {
        self.items.push((section, line, level, why.into()));
    }

    fn render(&self, old_version: &str, new_version: &str) -> String {
        let mut out = String::new();
        if old_version != new_version {
            let _ = writeln!(out, "document version: {old_version} → {new_version}");
        }
        if self.items.is_empty() {
            let _ = writeln!(out, "no change in the generated API\nverdict: none (the crate's version stays)");
            return out;
        }
        for section in ["operations", "statuses", "types", "fields", "enum values"] {
            let items: Vec<_> = self.items.iter().filter(|i| i.0 == section).collect();
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{section}:");
            for (_, line, level, why) in items {
                let level = match level {
                    Level::Major => "MAJOR",
                    Level::Minor => "minor",
                };
                let _ = writeln!(out, "  {line}\n      {level}: {why}");
            }
        }
        let major = self.items.iter().filter(|i| i.2 == Level::Major).count();
        let minor = self.items.len() - major;
        let _ = writeln!(
            out,
            "\nverdict: {} ({major} breaking, {minor} compatible change{})",
            if major > 0 { "MAJOR: a breaking release (0.x: bump the minor number)" } else { "minor: a compatible release (0.x: bump the patch number)" },
            if minor == 1 { "" } else { "s" },
        );
        out
    }
}

/// The names of the generated items marked `#[non_exhaustive]` (an addition to them is not
/// breaking).
fn non_exhaustive(output: &Output) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for file in output.files.iter().filter(|f| f.path.ends_with(".rs")) {
        let Ok(parsed) = syn::parse_file(&file.contents) else { continue };
        for item in parsed.items {
            let (ident, attrs) = match item {
                syn::Item::Struct(s) => (s.ident, s.attrs),
                syn::Item::Enum(e) => (e.ident, e.attrs),
                _ => continue,
            };
            if attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
                out.insert(ident.to_string());
            }
        }
    }
    out
}

fn diff(old: &Output, new: &Output, _settings: &Settings) -> Changes {
    let mut changes = Changes::default();
    let open = non_exhaustive(old);
    let addition = |name: &str, what: &str| -> (Level, String) {
        if open.contains(name) {
            (Level::Minor, format!("{what}; `{name}` is #[non_exhaustive]"))
        } else {
            (Level::Major, format!("{what}; `{name}` is not #[non_exhaustive], so code that builds or matches it exhaustively breaks"))
        }
    };
    // Operations.
    let ops = |api: &Api| api.operations.iter().map(|o| (o.id.clone(), o.clone())).collect::<BTreeMap<String, Operation>>();
    let (old_ops, new_ops) = (ops(&old.api), ops(&new.api));
    for (id, op) in &new_ops {
        match old_ops.get(id) {
            None => changes.push("operations", format!("+ {id}: {} {} (client.{}().{}())", op.method.as_str(), op.path, op.group, op.name), Level::Minor, "a new method"),
            Some(was) => diff_operation(&mut changes, was, op, &addition),
        }
    }
    for (id, op) in &old_ops {
        if !new_ops.contains_key(id) {
            changes.push("operations", format!("- {id}: {} {}", op.method.as_str(), op.path), Level::Major, "a method goes");
        }
    }
    // Types.
    for (name, def) in &new.api.types {
        match old.api.types.get(name) {
            None => changes.push("types", format!("+ {name} ({})", kind_name(&def.kind)), Level::Minor, "a new type"),
            Some(was) => diff_type(&mut changes, name, &was.kind, &def.kind, &addition),
        }
    }
    for (name, def) in &old.api.types {
        if !new.api.types.contains_key(name) {
            changes.push("types", format!("- {name} ({})", kind_name(&def.kind)), Level::Major, "a type goes");
        }
    }
    changes
}

fn diff_operation(changes: &mut Changes, was: &Operation, op: &Operation, addition: &impl Fn(&str, &str) -> (Level, String)) {
    let id = &op.id;
    if (was.method, &was.path) != (op.method, &op.path) {
        changes.push(
            "operations",
            format!("~ {id}: {} {} → {} {}", was.method.as_str(), was.path, op.method.as_str(), op.path),
            Level::Minor,
            "the same method sends another request",
        );
    }
    if (&was.group, &was.name) != (&op.group, &op.name) {
        changes.push("operations", format!("~ {id}: client.{}().{}() → client.{}().{}()", was.group, was.name, op.group, op.name), Level::Major, "the method is renamed");
    }
    for p in &op.parameters {
        match was.parameters.iter().find(|q| q.name == p.name && q.location == p.location) {
            None if p.required => changes.push("operations", format!("~ {id}: + required parameter `{}`: {}", p.name, ty(&p.ty)), Level::Major, "the method takes a new argument"),
            None => changes.push("operations", format!("~ {id}: + optional parameter `{}`: {}", p.name, ty(&p.ty)), Level::Minor, "a new setter on the request builder"),
            Some(q) => {
                if q.ty != p.ty {
                    changes.push("operations", format!("~ {id}: parameter `{}`: {} → {}", p.name, ty(&q.ty), ty(&p.ty)), Level::Major, "a parameter's type changes");
                }
                if q.required != p.required {
                    changes.push("operations", format!("~ {id}: parameter `{}` is {}", p.name, if p.required { "now required" } else { "now optional" }), Level::Major, "an argument becomes a setter or back");
                }
            }
        }
    }
    for q in &was.parameters {
        if !op.parameters.iter().any(|p| p.name == q.name && p.location == q.location) {
            changes.push("operations", format!("~ {id}: - parameter `{}`", q.name), Level::Major, "an argument or setter goes");
        }
    }
    let body = |o: &Operation| o.body.as_ref().map(|b| (ty(&b.ty), b.content_type.clone(), b.required));
    if body(was) != body(op) {
        changes.push("operations", format!("~ {id}: request body {:?} → {:?}", body(was), body(op)), Level::Major, "the body's type changes");
    }
    let statuses = |responses: &[Response]| -> BTreeMap<String, Option<String>> {
        // `default` is compared as it was: not as a status of its own.
        responses.iter().filter(|r| r.status != Status::Default).map(|r| (r.status.to_string(), r.body.as_ref().map(|b| ty(&b.ty)))).collect()
    };
    let (old_ok, new_ok) = (statuses(&was.success), statuses(&op.success));
    let (old_err, new_err) = (statuses(&was.errors), statuses(&op.errors));
    for (code, body) in &new_ok {
        match old_ok.get(code) {
            None => changes.push("statuses", format!("~ {id}: + {code} {}", body.as_deref().unwrap_or("(no body)")), Level::Major, "a new success status changes what the call returns"),
            Some(was_body) if was_body != body => changes.push("statuses", format!("~ {id}: {code}: {} → {}", was_body.as_deref().unwrap_or("(no body)"), body.as_deref().unwrap_or("(no body)")), Level::Major, "the response's type changes"),
            Some(_) => {}
        }
    }
    for code in old_ok.keys().filter(|c| !new_ok.contains_key(*c)) {
        changes.push("statuses", format!("~ {id}: - {code}"), Level::Major, "a success status goes");
    }
    for (code, body) in &new_err {
        match old_err.get(code) {
            None => {
                let (level, why) = addition(&was.error_type, "a new variant of the documented-errors enum");
                changes.push("statuses", format!("~ {id}: + error {code} {}", body.as_deref().unwrap_or("(no body)")), level, why);
            }
            Some(was_body) if was_body != body => changes.push("statuses", format!("~ {id}: error {code}: {} → {}", was_body.as_deref().unwrap_or("(no body)"), body.as_deref().unwrap_or("(no body)")), Level::Major, "the error body's type changes"),
            Some(_) => {}
        }
    }
    for code in old_err.keys().filter(|c| !new_err.contains_key(*c)) {
        changes.push("statuses", format!("~ {id}: - error {code}"), Level::Major, format!("a variant of `{}` goes (the status now decodes as UnexpectedStatus)", was.error_type));
    }
}

fn diff_type(changes: &mut Changes, name: &str, was: &TypeKind, now: &TypeKind, addition: &impl Fn(&str, &str) -> (Level, String)) {
    match (was, now) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            for field in &b.fields {
                match a.fields.iter().find(|f| f.json_name == field.json_name) {
                    None => {
                        let (level, why) = addition(name, "a new field");
                        changes.push("fields", format!("+ {name}.{}: {}", field.rust_name, field_ty(&field.ty, field.presence)), level, why);
                    }
                    Some(old) => {
                        let (before, after) = (field_ty(&old.ty, old.presence), field_ty(&field.ty, field.presence));
                        if before != after {
                            changes.push("fields", format!("~ {name}.{}: {before} → {after}", field.rust_name), Level::Major, "a field's type changes");
                        }
                    }
                }
            }
            for field in &a.fields {
                if !b.fields.iter().any(|f| f.json_name == field.json_name) {
                    changes.push("fields", format!("- {name}.{}", field.rust_name), Level::Major, "a field goes");
                }
            }
        }
        (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => {
            for v in &b.variants {
                if !a.variants.iter().any(|w| w.value == v.value) {
                    let (level, why) = addition(name, "a new variant (it decoded as Unknown before)");
                    changes.push("enum values", format!("+ {name}::{} ({:?})", v.rust_name, v.value), level, why);
                }
            }
            for v in &a.variants {
                if !b.variants.iter().any(|w| w.value == v.value) {
                    changes.push("enum values", format!("- {name}::{} ({:?})", v.rust_name, v.value), Level::Major, "a variant goes (the value now decodes as Unknown)");
                }
            }
        }
        (TypeKind::IntegerEnum(a), TypeKind::IntegerEnum(b)) => {
            for v in b.iter().filter(|v| !a.iter().any(|w| w.value == v.value)) {
                changes.push("enum values", format!("+ {name}::{} ({})", v.rust_name, v.value), Level::Minor, "a new constant");
            }
            for v in a.iter().filter(|v| !b.iter().any(|w| w.value == v.value)) {
                changes.push("enum values", format!("- {name}::{} ({})", v.rust_name, v.value), Level::Major, "a constant goes");
            }
        }
        (TypeKind::Tagged(a), TypeKind::Tagged(b)) => {
            for v in b.variants.iter().filter(|v| !a.variants.iter().any(|w| w.tag_value == v.tag_value)) {
                let (level, why) = addition(name, "a new kind (it decoded as Unknown before)");
                changes.push("enum values", format!("+ {name}::{} ({:?})", v.rust_name, v.tag_value), level, why);
            }
            for v in a.variants.iter().filter(|v| !b.variants.iter().any(|w| w.tag_value == v.tag_value)) {
                changes.push("enum values", format!("- {name}::{} ({:?})", v.rust_name, v.tag_value), Level::Major, "a kind goes");
            }
        }
        (TypeKind::Untagged(a), TypeKind::Untagged(b)) => {
            let list = |u: &openapi_rust_gen::ir::Untagged| u.variants.iter().map(|v| ty(&v.ty)).collect::<Vec<_>>();
            if list(a) != list(b) {
                changes.push("types", format!("~ {name}: {} → {}", list(a).join(" | "), list(b).join(" | ")), Level::Major, "the union's variants change");
            }
        }
        (a, b) if kind_name(a) != kind_name(b) => {
            changes.push("types", format!("~ {name}: {} → {}", kind_name(a), kind_name(b)), Level::Major, "the type changes shape");
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) if a != b => {
            changes.push("types", format!("~ {name}: {} → {}", ty(a), ty(b)), Level::Major, "the type changes");
        }
        (TypeKind::Const(a), TypeKind::Const(b)) if a != b => {
            changes.push("types", format!("~ {name}: {a} → {b}"), Level::Major, "the literal changes");
        }
        _ => {}
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::StringEnum(_) => "string enum",
        TypeKind::IntegerEnum(_) => "integer enum",
        TypeKind::Tagged(_) => "tagged union",
        TypeKind::Untagged(_) => "untagged union",
        TypeKind::Const(_) => "literal",
        TypeKind::Alias(_) => "alias",
    }
}

fn field_ty(ty_: &TypeRef, presence: Presence) -> String {
    let inner = ty(ty_);
    match presence {
        Presence::Required | Presence::Defaulted => inner,
        Presence::RequiredNullable | Presence::Optional => format!("Option<{inner}>"),
        Presence::OptionalNullable => format!("Nullable<{inner}>"),
    }
}

/// A type as Rust spells it, short.
fn ty(ty_: &TypeRef) -> String {
    match ty_ {
        TypeRef::Primitive(p) => p.rust_name(),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Vec(inner) => format!("Vec<{}>", ty(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", ty(inner)),
        TypeRef::Tuple(items) => format!("({})", items.iter().map(ty).collect::<Vec<_>>().join(", ")),
        TypeRef::Json => "Value".to_owned(),
        TypeRef::JsonObject => "Map<String, Value>".to_owned(),
        TypeRef::Boxed(inner) => format!("Box<{}>", ty(inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", ty(inner)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    /// Polar's next version of the files endpoints, as a maintainer would meet it: a field and a
    /// kind of file added, a type changed, an error status dropped, an operation added and one
    /// removed.
    fn next_version(mut files: Value) -> Value {
        files["info"]["version"] = json!("2027-01");
        let schemas = &mut files["components"]["schemas"];
        schemas["DownloadableFileRead"]["properties"]["download_count"] = json!({"type": "integer", "title": "Download Count"});
        schemas["FileServiceTypes"]["enum"].as_array_mut().unwrap().push(json!("invoice"));
        schemas["FilePatch"]["properties"]["name"] = json!({"anyOf": [{"type": "integer"}, {"type": "null"}], "title": "Name"});
        schemas["FileDownloadStats"] = json!({"type": "object", "required": ["count"], "properties": {"count": {"type": "integer"}}});
        let paths = files["paths"].as_object_mut().unwrap();
        paths["/v1/files/{id}"]["patch"]["responses"].as_object_mut().unwrap().remove("403");
        paths["/v1/files/{id}"].as_object_mut().unwrap().remove("delete");
        paths.insert(
            "/v1/files/{id}/stats".to_owned(),
            json!({"get": {"tags": ["files"], "operationId": "files:stats", "summary": "Get Stats",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid4"}}],
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FileDownloadStats"}}}}}}}),
        );
        files
    }

    #[test]
    fn two_published_versions() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("files.openapi.yaml");
        let committed = std::fs::read_to_string(project_root().join("specs/polar-files.openapi.yaml")).unwrap();
        std::fs::write(&spec, &committed).unwrap();
        let config = dir.path().join("openapi-rust-gen.toml");
        std::fs::write(&config, "spec = \"files.openapi.yaml\"\n[filter]\ntags = [\"files\"]\npaths = [\"/v1/files\"]\n").unwrap();
        let files = parse_document(&committed).unwrap();
        let publish = |name: &str, doc: Value| {
            let path = dir.path().join(name);
            std::fs::write(&path, serde_json::to_string_pretty(&crate::synth::polar_like_with(&doc, 300, 60)).unwrap()).unwrap();
            path
        };
        let v1 = publish("polar-2026-10.json", files.clone());
        let v2 = publish("polar-2027-01.json", next_version(files));

        // The version the committed document was cut from: the same API.
        let first = update(&v1, &config, true).unwrap();
        insta::assert_snapshot!("same_api", first);
        let sliced = std::fs::read_to_string(&spec).unwrap();
        assert_ne!(sliced, committed, "rewritten in the slicer's form");
        assert_eq!(update(&v1, &config, true).unwrap().lines().last(), Some("files.openapi.yaml is unchanged"));

        // A dry run of the next version writes nothing; the real one writes; both report the same.
        let dry = update(&v2, &config, false).unwrap();
        assert_eq!(std::fs::read_to_string(&spec).unwrap(), sliced);
        let report = update(&v2, &config, true).unwrap();
        insta::assert_snapshot!("next_version", report);
        assert_eq!(dry.lines().rev().skip(1).collect::<Vec<_>>(), report.lines().rev().skip(1).collect::<Vec<_>>());
        assert!(report.contains("verdict: MAJOR"), "{report}");
        // Deterministic: slicing again gives the same bytes.
        let written = std::fs::read_to_string(&spec).unwrap();
        assert!(update(&v2, &config, true).unwrap().ends_with("files.openapi.yaml is unchanged\n"));
        assert_eq!(std::fs::read_to_string(&spec).unwrap(), written);
    }

    #[test]
    fn a_filter_that_no_longer_fits_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("openapi-rust-gen.toml");
        std::fs::write(&config, "spec = \"x.yaml\"\n[filter]\ntags = [\"filez\"]\n").unwrap();
        let published = dir.path().join("polar.json");
        std::fs::write(&published, serde_json::to_string(&crate::synth::polar_like(20, 5)).unwrap()).unwrap();
        let err = update(&published, &config, true).unwrap_err();
        assert!(err.contains("the filter's tag `filez` matches no operation"), "{err}");
        assert!(!dir.path().join("x.yaml").exists());
    }
}
