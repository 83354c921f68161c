//! The generator end to end: one snapshot per fixture document (globbed: a new fixture is a new
//! test), snapshots of the errors for bad documents, determinism, and compiling every snapshot.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use integration_tests::{compile_crates, fixture_settings, render, root, spec_path};

/// The Polar-shaped document synthesizer of `cargo xtask bench codegen`.
#[path = "../xtask/src/synth.rs"]
#[allow(unreachable_pub, dead_code)]
mod synth;
use openapi_rust_gen::generate;

fn fixture_name(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn generate_fixture(path: &Path) -> Result<openapi_rust_gen::Output, openapi_rust_gen::Error> {
    let source = std::fs::read_to_string(path).expect("fixture is readable");
    let name = fixture_name(path).replace('_', "-");
    let relative = path.strip_prefix(root()).unwrap_or(path).to_string_lossy().into_owned();
    generate(&source, &fixture_settings(&format!("fixture-{name}"), &relative))
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*.yaml", |path| {
        let output = generate_fixture(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        if fixture_name(path).starts_with("mock") {
            insta::assert_snapshot!(integration_tests::render_with_mock(&output));
        } else {
            insta::assert_snapshot!(render(&output));
        }
    });
}

#[test]
fn bad_documents_are_reported_with_pointers() {
    insta::glob!("fixtures/errors/*.*", |path| {
        let err = generate_fixture(path).err().unwrap_or_else(|| panic!("{} should fail", path.display()));
        assert!(err.errors().count() > 0, "{err}");
        insta::assert_snapshot!(err.to_string());
    });
}

#[test]
fn polar_spec() {
    let source = std::fs::read_to_string(spec_path()).unwrap();
    let output = generate(&source, &fixture_settings("polar-files-standalone", "specs/polar-files.openapi.yaml")).unwrap();
    assert!(output.warnings.is_empty(), "{:#?}", output.warnings);
    insta::assert_snapshot!(render(&output));
}

#[test]
fn generation_is_deterministic() {
    let source = std::fs::read_to_string(spec_path()).unwrap();
    let settings = fixture_settings("polar-files", "specs/polar-files.openapi.yaml");
    let first = generate(&source, &settings).unwrap().files;
    let second = generate(&source, &settings).unwrap().files;
    assert_eq!(first, second);
    // The same document with its schemas and properties in another order gives the same types.
    let mut value: serde_json::Value = serde_yaml::from_str(&source).unwrap();
    let schemas = value["components"]["schemas"].as_object_mut().unwrap();
    let mut reversed: Vec<_> = std::mem::take(schemas).into_iter().collect();
    reversed.reverse();
    schemas.extend(reversed);
    let reordered = generate(&serde_json::to_string(&value).unwrap(), &settings).unwrap().files;
    let models = |files: &[openapi_rust_gen::GeneratedFile]| files.iter().find(|f| f.path == "src/models.rs").unwrap().contents.clone();
    assert_eq!(models(&first), models(&reordered));
}

/// Every fixture's generated crate, and the project's document as a standalone crate, pass
/// `cargo clippy -D warnings` (so they compile without warnings), document cleanly, and their doc
/// examples compile.
#[test]
fn generated_crates_compile_without_warnings() {
    let mut crates = Vec::new();
    let fixtures = root().join("tests").join("fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&fixtures).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "yaml")).collect();
    paths.sort();
    for path in paths {
        let output = generate_fixture(&path).unwrap();
        crates.push((fixture_name(&path), output.files));
    }
    let source = std::fs::read_to_string(spec_path()).unwrap();
    let output = generate(&source, &fixture_settings("polar-files-standalone", "specs/polar-files.openapi.yaml")).unwrap();
    crates.push(("polar-files-standalone".to_owned(), output.files));
    // A Polar-shaped document at scale (the benchmark's, smaller): names, unions and pagination
    // by the hundred.
    let synthetic = serde_json::to_string(&synth::polar_like(400, 80)).unwrap();
    let output = generate(&synthetic, &fixture_settings("synthetic", "synthetic.json")).unwrap();
    // The only warnings: the enum with two values of one Rust name of each resource that carries
    // the kinds of real documents (every fourth), reported.
    assert_eq!(output.warnings.len(), 4, "{:#?}", output.warnings);
    for warning in &output.warnings {
        assert!(warning.to_string().contains("is the variant `AB2` in Rust: `AB` is taken by the value `a-b`"), "{warning}");
    }
    crates.push(("synthetic".to_owned(), output.files));
    let dir = root().join("target").join("compile-tests");
    if let Err(errors) = compile_crates(&dir, &crates) {
        panic!("generated code does not pass clippy:\n{errors}");
    }
    // And documents cleanly: no broken intra-doc link, bare URL or stray HTML.
    if let Err(errors) = integration_tests::document_crates(&dir) {
        panic!("rustdoc warns about generated code:\n{errors}");
    }
    // And its examples compile (clippy and `cargo doc` do not build doctests): each operation's
    // `# Example` and the crate root's quick start.
    if let Err(errors) = integration_tests::doctest_crates(&dir) {
        panic!("a doc example of generated code does not compile:\n{errors}");
    }
}

/// Fixtures with a `<name>.payload.json` beside them: every case decodes from its JSON text into
/// the named type of the fixture's crate, into the variant the case expects (`expect`: the start
/// of the decoded value's `Debug` text), and re-encodes to the same JSON. The decoded values are
/// snapshotted.
#[test]
fn fixture_payloads_decode_and_reencode() {
    let fixtures = root().join("tests").join("fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".payload.json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 6, "{paths:?}");
    let mut crates = Vec::new();
    let mut expectations = Vec::new();
    for path in &paths {
        let stem = path.file_name().unwrap().to_string_lossy().trim_end_matches(".payload.json").to_owned();
        let document = fixtures.join(format!("{stem}.yaml"));
        let output = generate_fixture(&document).unwrap_or_else(|err| panic!("{}: {err}", document.display()));
        let payload: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut cases = Vec::new();
        let mut expected = Vec::new();
        for case in payload["cases"].as_array().unwrap_or_else(|| panic!("{}: no cases", path.display())) {
            let input = case["input"].clone();
            cases.push(integration_tests::PayloadCase { ty: case["type"].as_str().unwrap().to_owned(), input: input.to_string() });
            expected.push((input, case["expect"].as_str().unwrap_or_else(|| panic!("{}: a case without `expect`", path.display())).to_owned()));
        }
        crates.push((format!("fixture-{}", stem.replace('_', "-")), output.files, cases));
        expectations.push((stem, expected));
    }
    let dir = root().join("target").join("compile-payloads");
    let results = integration_tests::decode_payloads(&dir, &crates).unwrap_or_else(|err| panic!("{err}"));
    let mut summary = String::new();
    for ((stem, expected), results) in expectations.iter().zip(results) {
        summary.push_str(&format!("{stem}:\n"));
        for ((input, expect), result) in expected.iter().zip(results) {
            let (debug, output) = result.unwrap_or_else(|err| panic!("{stem}: {input} does not decode: {err}"));
            assert_eq!(&output, input, "{stem}: {input} re-encodes differently (decoded as {debug})");
            assert!(debug.starts_with(expect.as_str()), "{stem}: {input} decodes as {debug}, expected {expect}..");
            summary.push_str(&format!("  {input}\n    => {debug}\n"));
        }
    }
    insta::assert_snapshot!(summary);
}

/// What `cargo xtask generate` writes for the project's document is a crate of its own (with its
/// own `[workspace]`) that passes `cargo clippy -D warnings` outside this workspace, its test
/// targets too (the vendored runtime's unit tests build with the crate's own dependencies).
#[test]
fn standalone_crate_builds_on_its_own() {
    let source = std::fs::read_to_string(spec_path()).unwrap();
    let mut settings = openapi_rust_gen::Settings::standalone("polar-files", "specs/polar-files.openapi.yaml");
    settings.command = "cargo xtask generate".to_owned();
    let output = generate(&source, &settings).unwrap();
    let manifest = &output.files.iter().find(|f| f.path == "Cargo.toml").unwrap().contents;
    assert!(manifest.contains("\n[workspace]\nresolver = \"3\"\n"), "{manifest}");
    let dir = root().join("target").join("compile-standalone").join("polar-files");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    for file in &output.files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.contents).unwrap();
    }
    integration_tests::cargo_project::use_project_lock(&root(), &dir).unwrap();
    // In the target directory the other compile tests share, so dependencies build once.
    if let Err(errors) = integration_tests::run_cargo_in(&dir, &["clippy", "--all-targets", "--features", integration_tests::GENERATED_FEATURES, "--quiet", "--", "-D", "warnings"], &[]) {
        panic!("the standalone crate does not pass clippy:\n{errors}");
    }
}

/// Real APIs' documents (the fixtures `openapiv3` ships: Stripe, Slack, Twilio, Docker, Adobe,
/// Quay, ...) generate, and their crates pass `cargo clippy -D warnings`. Two of them are broken
/// documents (references to schemas they do not define, empty `$ref`s) and must be refused with
/// pointed errors. A summary of each is snapshotted.
#[test]
fn real_world_documents_generate_and_compile() {
    let documents = integration_tests::real_world_documents().unwrap();
    assert!(documents.len() >= 15, "{documents:?}");
    let mut summary = String::new();
    let mut crates = Vec::new();
    for path in &documents {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(path).unwrap();
        let crate_name = format!("real-{}", file.replace(['.', '_'], "-"));
        match generate(&source, &fixture_settings(&crate_name, &file)) {
            Ok(output) => {
                summary.push_str(&format!(
                    "{file}: {} types, {} operations, {} warnings\n",
                    output.api.types.len(),
                    output.api.operations.len(),
                    output.warnings.len()
                ));
                for warning in &output.warnings {
                    summary.push_str(&format!("  {warning}\n"));
                }
                crates.push((crate_name, output.files));
            }
            Err(err) => {
                let errors = err.errors().count();
                let first = err.errors().next().map(ToString::to_string).unwrap_or_default();
                summary.push_str(&format!("{file}: refused, {} stage, {errors} errors, first: {first}\n", err.stage));
            }
        }
    }
    insta::assert_snapshot!(summary);
    let dir = root().join("target").join("compile-real");
    if let Err(errors) = compile_crates(&dir, &crates) {
        panic!("a real-world document's crate does not pass clippy:\n{errors}");
    }
}

/// Hostile text in every channel (docs, string literals, names, `Cargo.toml`, serde renames,
/// enum values, operationIds, titles, server URLs, header names, ...): the document generates,
/// in JSON and in YAML, and the crate passes `cargo clippy -D warnings` and `cargo doc` with
/// rustdoc's warnings denied, and its doc examples (operation names, types and servers taken from
/// that text) compile.
#[test]
fn hostile_text_in_every_channel_compiles() {
    let document = integration_tests::hostile_document();
    let json = serde_json::to_string_pretty(&document).unwrap();
    let yaml = serde_yaml::to_string(&document).unwrap();
    let from_json = generate(&json, &fixture_settings("hostile-text", "hostile \"text\".json")).unwrap_or_else(|err| panic!("{err}"));
    let from_yaml = generate(&yaml, &fixture_settings("hostile-text", "hostile \"text\".json")).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(from_json.files, from_yaml.files, "the same document as JSON and as YAML");
    // Every text reached the crate: each enum value is a string literal of the models
    // (`string_enum!(Name { Variant: "value", .. })`).
    let models = &from_json.files.iter().find(|f| f.path == "src/models.rs").unwrap().contents;
    for text in integration_tests::hostile_texts() {
        assert!(models.contains(&format!(": {text:?},")), "{text:?} is not in the models");
    }
    // No doc comment holds a character rustc refuses there or one that hides text.
    for file in &from_json.files {
        for line in file.contents.lines().filter(|l| l.trim_start().starts_with("///") || l.trim_start().starts_with("//!")) {
            assert!(
                !line.chars().any(|c| c == '\r' || c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)),
                "{}: {line:?}",
                file.path
            );
        }
    }
    let manifest = &from_json.files.iter().find(|f| f.path == "Cargo.toml").unwrap().contents;
    assert!(manifest.contains("Typed async client for one two | crlf lf end | nul\\u{0}bell"), "{manifest}");

    let dir = root().join("target").join("compile-hostile");
    if let Err(errors) = compile_crates(&dir, &[("hostile-text".to_owned(), from_json.files)]) {
        panic!("the hostile document's crate does not pass clippy:\n{errors}");
    }
    if let Err(errors) = integration_tests::document_crates(&dir) {
        panic!("rustdoc warns about the hostile document's crate:\n{errors}");
    }
    if let Err(errors) = integration_tests::doctest_crates(&dir) {
        panic!("a doc example of the hostile document's crate does not compile:\n{errors}");
    }
}
