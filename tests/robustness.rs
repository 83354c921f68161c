//! No panic on any input: documents mutated at random (structurally, and as text) from every
//! fixture and from `specs/`, a fixed, seeded number of them (the same cases on every machine). Any
//! panic fails the test with the seed and the
//! document that caused it. `FUZZ_TRACE=1` prints every case before it runs (to find a crash);
//! `FUZZ_SEED=<n>` explores other cases, `FUZZ_COMPILE_CASES=<n>` compiles more of them. Mutations
//! put hostile text (`integration_tests::HOSTILE_TEXT`: line breaks, control and bidirectional
//! characters, comment and Markdown syntax, ...) into values and keys anywhere.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::time::Instant;

use integration_tests::{compile_crates, fixture_settings, root, spec_path, HOSTILE_TEXT};
use openapi_rust_gen::generate;
use serde_json::{json, Map, Value};

/// How many mutated documents the no-panic test tries (`FUZZ_CASES=<n>` for more): the same
/// number on every machine, so what the test covers does not depend on its speed.
const CASES: usize = 1_500;
/// At least this share of them must generate (the rest are refused with errors): a mutator that
/// only broke documents, or a generator that refused everything, would test nothing.
const MIN_GENERATED_PERCENT: usize = 15;

/// xorshift64*: reproducible from a seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const KEYS: &[&str] = &[
    "$ref", "type", "allOf", "anyOf", "oneOf", "not", "const", "enum", "nullable", "items", "prefixItems", "properties",
    "required", "additionalProperties", "patternProperties", "propertyNames", "discriminator", "mapping", "propertyName",
    "format", "default", "examples", "example", "exclusiveMinimum", "maximum", "title", "description", "readOnly",
    "deprecated", "operationId", "parameters", "requestBody", "responses", "content", "schema", "in", "name", "webhooks",
    "x-speakeasy-group", "x-polar-pagination", "openapi", "paths", "components", "schemas", "{id}", "",
];

/// Names that are hard to turn into Rust identifiers.
const WEIRD_NAMES: &[&str] = &[
    "type", "self", "Self", "super", "crate", "1abc", "a-b", "a b", "é", "_", "__", "r#x", "Option", "Result", "String", "Box",
    "Vec", "Some", "None", "Ok", "Err", "Default", "std", "core", "serde", "DEFAULTS", "Client", "Error", "runtime", "models",
    "additional_properties", "Unknown", "value", "ALL_CAPS", "camelCase",
    "a_very_long_property_name_that_goes_on_and_on_and_on_beyond_sixty_four_characters_in_all",
];

fn random_value(rng: &mut Rng, schema_names: &[String]) -> Value {
    match rng.below(16) {
        // Hostile text in any place: docs, names, values, paths, servers, ...
        14 => json!(*rng.pick(HOSTILE_TEXT)),
        15 => json!({"type": "string", "description": *rng.pick(HOSTILE_TEXT), "enum": [*rng.pick(HOSTILE_TEXT), *rng.pick(HOSTILE_TEXT)], "default": *rng.pick(HOSTILE_TEXT)}),
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => json!(rng.next() as i64),
        3 => json!(-1.5e300),
        4 => json!(""),
        5 => json!(*rng.pick(&["string", "integer", "number", "boolean", "array", "object", "null", "uuid4", "date-time"])),
        6 => json!([*rng.pick(&["string", "null", "integer"]), "null"]),
        7 => json!({"$ref": format!("#/components/schemas/{}", rng.pick(schema_names))}),
        8 => json!({"$ref": *rng.pick(&["#/components/schemas/", "#/nowhere", "other.yaml#/x", "#/components/schemas/%zz", "#/components/schemas/é%"])}),
        9 => json!({"type": "object", "properties": {"a": {"$ref": format!("#/components/schemas/{}", rng.pick(schema_names))}}}),
        10 => json!({"anyOf": [{"type": "null"}, {"type": "null"}]}),
        11 => json!({"oneOf": [], "discriminator": {"propertyName": "kind", "mapping": {"x": "#/components/schemas/Nope"}}}),
        12 => json!(*rng.pick(&["{", "..", "self", "🦀", "a/b", "~1", "9lives", "type", "Option"])),
        _ => json!({}),
    }
}

/// Every path (as keys/indices) in the value.
fn paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(Step::Key(key.clone()));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                prefix.push(Step::Index(index));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn at<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut node = value;
    for step in path {
        node = match (step, node) {
            (Step::Key(key), Value::Object(map)) => map.get_mut(key)?,
            (Step::Index(index), Value::Array(items)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(node)
}

fn mutate(doc: &mut Value, rng: &mut Rng, schema_names: &[String]) {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let path = rng.pick(&all).clone();
    let replacement = random_value(rng, schema_names);
    let kind = rng.below(6);
    let Some(node) = at(doc, &path) else { return };
    match (kind, node) {
        (0, node) => *node = replacement,
        (1, Value::Object(map)) if !map.is_empty() => {
            let key = map.keys().nth(rng.below(map.len())).cloned().unwrap_or_default();
            map.remove(&key);
        }
        (2, Value::Object(map)) => {
            map.insert((*rng.pick(KEYS)).to_owned(), replacement);
        }
        (3, Value::Object(map)) if !map.is_empty() => {
            // Rename a key: the same content under another keyword, or under an odd name.
            let key = map.keys().nth(rng.below(map.len())).cloned().unwrap_or_default();
            let new_key = match rng.below(3) {
                0 => *rng.pick(KEYS),
                1 => *rng.pick(WEIRD_NAMES),
                _ => *rng.pick(HOSTILE_TEXT),
            };
            if let Some(value) = map.remove(&key) {
                map.insert(new_key.to_owned(), value);
            }
        }
        (4, Value::Array(items)) if !items.is_empty() => {
            let index = rng.below(items.len());
            let copy = items[index].clone();
            items.push(copy);
        }
        (_, node) => {
            // Wrap the node in a composition, or nest it deeper.
            let inner = std::mem::take(node);
            let mut map = Map::new();
            map.insert((*rng.pick(&["allOf", "anyOf", "oneOf", "items", "not"])).to_owned(), json!([inner]));
            *node = Value::Object(map);
        }
    }
}

fn seeds() -> Vec<(String, Value)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("tests").join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths.push(spec_path());
    // Real APIs' documents too, the smaller ones (so each case stays quick).
    let real = integration_tests::real_world_documents().unwrap_or_default();
    paths.extend(real.into_iter().filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() < 40_000)));
    let mut seeds: Vec<(String, Value)> = paths
        .into_iter()
        .map(|path| {
            // Read as the generator reads it (YAML integers beyond 64 bits included).
            let value: Value = openapi_rust_gen::load::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
            (path.file_name().unwrap().to_string_lossy().into_owned(), value)
        })
        .collect();
    // Hostile text through every channel, mutated further.
    seeds.push(("hostile document".to_owned(), integration_tests::hostile_document()));
    seeds
}

/// One mutated document (as text) and the name of the seed it came from.
fn mutated(seeds: &[(String, Value)], rng: &mut Rng, damage_text: bool) -> (String, u64, String) {
    let (name, seed) = rng.pick(seeds).clone();
    let schema_names: Vec<String> =
        seed["components"]["schemas"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_else(|| vec!["X".to_owned()]);
    let mut doc = seed.clone();
    let case_seed = rng.next();
    let mut case_rng = Rng(case_seed | 1);
    for _ in 0..=case_rng.below(4) {
        mutate(&mut doc, &mut case_rng, &schema_names);
    }
    let text = if case_rng.below(2) == 0 { serde_json::to_string(&doc).unwrap() } else { serde_yaml::to_string(&doc).unwrap() };
    // Sometimes damage the text itself.
    let text = if damage_text && case_rng.below(8) == 0 {
        let mut bytes = text.into_bytes();
        let cut = case_rng.below(bytes.len());
        bytes.truncate(cut);
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        text
    };
    (name, case_seed, text)
}

/// Documents the generator accepts after mutation give crates that compile without warnings.
#[test]
fn mutated_documents_that_generate_also_compile() {
    let count: usize = std::env::var("FUZZ_COMPILE_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(24);
    let seeds = seeds();
    let seed = std::env::var("FUZZ_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(0x00C0_FFEE_1234);
    let mut rng = Rng(seed);
    let mut crates = Vec::new();
    let mut sources = Vec::new();
    let mut tries = 0;
    while crates.len() < count && tries < count * 50 {
        tries += 1;
        let (name, case_seed, text) = mutated(&seeds, &mut rng, false);
        let crate_name = format!("fuzz-{}", crates.len());
        if let Ok(output) = generate(&text, &fixture_settings(&crate_name, "fuzzed.yaml")) {
            sources.push(format!("{crate_name}: mutation of {name} (case seed {case_seed:#x})"));
            crates.push((crate_name, output.files));
        }
    }
    assert_eq!(crates.len(), count, "only {} of {tries} mutated documents generated", crates.len());
    let dir = root().join("target").join("compile-fuzz");
    if let Err(errors) = compile_crates(&dir, &crates) {
        panic!("a generated crate does not compile; the documents are in {}:\n{}\n{errors}", dir.display(), sources.join("\n"));
    }
}

#[test]
fn mutated_documents_never_panic() {
    let seeds = seeds();
    let settings = fixture_settings("fuzzed", "fuzzed.yaml");
    let started = Instant::now();
    let cases: usize = std::env::var("FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(CASES);
    let (mut generated, mut refused) = (0usize, 0usize);
    let seed = std::env::var("FUZZ_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(0x005E_ED0F_F00D);
    let mut rng = Rng(seed);
    for _ in 0..cases {
        let (name, case_seed, text) = mutated(&seeds, &mut rng, true);
        if std::env::var_os("FUZZ_TRACE").is_some() {
            eprintln!("case {case_seed:#x} {name}\n{text}\n----");
        }
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| generate(&text, &settings)));
        match result {
            Ok(Ok(_)) => generated += 1,
            Ok(Err(err)) => {
                assert!(err.errors().count() > 0, "an Err without an error diagnostic: {err}");
                refused += 1;
            }
            Err(_) => panic!("the generator panicked on a mutation of {name} (case seed {case_seed:#x}):\n{text}"),
        }
    }
    eprintln!("{cases} mutated documents in {:?}: {generated} generated, {refused} refused with errors", started.elapsed());
    assert_eq!(generated + refused, cases);
    assert!(
        generated * 100 >= cases * MIN_GENERATED_PERCENT,
        "only {generated} of {cases} mutated documents generated (at least {MIN_GENERATED_PERCENT}% must)"
    );
}
