//! Filters take exactly what the kept operations reach: pointed at a whole-API document of
//! Polar's shape (synthesized, with the files operations and schemas of `specs/` in it), the
//! filtered generation equals the generation of the curated files document.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use integration_tests::{root, spec_path};
use openapi_rust_gen::{filter, generate, parse_document, Config, Filter, Output};

/// The Polar-shaped document synthesizer of `cargo xtask bench codegen`.
#[path = "../xtask/src/synth.rs"]
#[allow(dead_code, unreachable_pub)]
mod synth;

fn committed_settings() -> openapi_rust_gen::Settings {
    let text = std::fs::read_to_string(root().join("openapi-rust-gen.toml")).unwrap();
    let config = Config::from_toml(&text).unwrap();
    config.settings("polar-files", config.spec.as_deref().unwrap())
}

/// Every generated file, by path.
fn files(output: &Output) -> Vec<(String, String)> {
    output.files.iter().map(|f| (f.path.clone(), f.contents.clone())).collect()
}

#[test]
fn filtered_whole_api_equals_the_curated_document() {
    let curated_text = std::fs::read_to_string(spec_path()).unwrap();
    let curated = parse_document(&curated_text).unwrap();
    let whole = synth::polar_like_with(&curated, 1000, 200);
    let whole_text = serde_json::to_string_pretty(&whole).unwrap();
    let settings = committed_settings();
    assert!(!settings.filter.is_empty(), "the committed configuration has a filter");

    let from_curated = generate(&curated_text, &settings).unwrap();
    // The whole document really is the whole API: without the filter it has every resource.
    let mut unfiltered = settings.clone();
    unfiltered.filter = Filter::default();
    let everything = generate(&whole_text, &unfiltered).unwrap();
    assert!(everything.api.operations.len() > 200, "{}", everything.api.operations.len());
    assert!(everything.api.types.len() > 1000, "{}", everything.api.types.len());

    // Each kind of filter alone keeps the same operations: a tag, a path prefix, operationIds.
    let ids = ["files:list", "files:create", "files:uploaded", "files:update", "files:delete"];
    let filters = [
        settings.filter.clone(),
        Filter { tags: vec!["files".into()], ..Filter::default() },
        Filter { paths: vec!["/v1/files".into()], ..Filter::default() },
        Filter { operations: ids.iter().map(|s| (*s).to_owned()).collect(), ..Filter::default() },
    ];
    for filter in filters {
        let mut filtered_settings = settings.clone();
        filtered_settings.filter = filter.clone();
        let from_whole = generate(&whole_text, &filtered_settings).unwrap();
        let types: Vec<&String> = from_whole.api.types.keys().collect();
        assert_eq!(types, from_curated.api.types.keys().collect::<Vec<_>>(), "{filter:?}");
        assert_eq!(from_whole.api.operations.len(), 5, "{filter:?}");
        for ((path, ours), (_, theirs)) in files(&from_whole).iter().zip(files(&from_curated).iter()) {
            assert!(ours == theirs, "{filter:?}: {path} differs");
        }
        assert_eq!(files(&from_whole).len(), files(&from_curated).len());
        let messages = |o: &Output| o.warnings.iter().map(|w| (w.pointer.clone(), w.message.clone())).collect::<Vec<_>>();
        assert_eq!(messages(&from_whole), messages(&from_curated), "{filter:?}");
    }

    // The slice of the whole document has exactly the curated document's components.
    let (sliced, warnings) = filter::slice(&whole, &settings.filter);
    assert_eq!(warnings, []);
    for section in ["schemas", "securitySchemes"] {
        let keys = |doc: &serde_json::Value| {
            let mut keys: Vec<String> = doc["components"][section].as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        };
        assert_eq!(keys(&sliced), keys(&curated), "{section}");
    }
    assert_eq!(sliced["paths"], curated["paths"]);
    assert_eq!(sliced["tags"], curated["tags"]);
}
