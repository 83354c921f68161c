//! The command line, run as a user would: the built binary in a scratch directory. Every error
//! path is snapshotted (exit code, stdout, stderr); the repository's configuration reproduces
//! `generated/` byte for byte.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_openapi-rust-gen");

const PETS: &str = r#"openapi: 3.1.0
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /owners:
    get:
      operationId: listOwners
      tags: [owners]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Owner'}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: string, format: uuid}
    Owner:
      type: object
      properties:
        name: {type: string}
        size: {type: integer, default: 20}
"#;

/// A `not` schema is generated as `serde_json::Value` with a warning.
const WARNS: &str = r#"openapi: 3.1.0
info: {title: Odd, version: "1"}
paths: {}
components:
  schemas:
    Odd:
      type: object
      properties:
        odd: {not: {type: string}}
"#;

const BROKEN: &str = r#"openapi: 3.1.0
info: {title: Broken, version: "1"}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        other: {$ref: '#/components/schemas/Nowhere'}
        more: {$ref: '#/components/schemas/Elsewhere'}
"#;

struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new(files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        for (path, contents) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        Scratch { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs the binary here; the transcript: exit code, stdout, stderr (timings masked).
    fn run(&self, args: &[&str]) -> String {
        let output = Command::new(BIN).args(args).current_dir(self.path()).output().unwrap();
        let mask = |bytes: &[u8]| {
            let text = String::from_utf8_lossy(bytes).into_owned();
            text.lines()
                .map(|line| match line.rfind(" in ").filter(|_| line.ends_with(" ms")) {
                    Some(at) => format!("{} in <elapsed> ms", &line[..at]),
                    None => line.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        format!(
            "$ openapi-rust-gen {}\nexit: {}\n--- stdout\n{}\n--- stderr\n{}\n",
            args.join(" "),
            output.status.code().map_or("signal".to_owned(), |c| c.to_string()),
            mask(&output.stdout),
            mask(&output.stderr)
        )
    }
}

fn transcript(name: &str, files: &[(&str, &str)], args: &[&str]) -> String {
    let scratch = Scratch::new(files);
    let text = scratch.run(args);
    insta::assert_snapshot!(name, text);
    text
}

#[test]
fn version_and_help() {
    let text = transcript("version", &[], &["--version"]);
    assert!(text.contains(&format!("openapi-rust-gen {}", env!("CARGO_PKG_VERSION"))), "{text}");
    transcript("help", &[], &["--help"]);
    transcript("help_generate", &[], &["generate", "--help"]);
}

#[test]
fn usage_errors_name_the_bad_flag() {
    assert!(transcript("unknown_flag", &[], &["generate", "--spce", "a.yaml"]).contains("exit: 2"));
    transcript("missing_value", &[], &["generate", "--spec"]);
    transcript("unknown_subcommand", &[], &["gen"]);
    transcript("no_subcommand", &[], &[]);
    transcript("no_document", &[], &["generate", "--out", "out"]);
    transcript("no_output", &[("pets.yaml", PETS)], &["check", "--spec=pets.yaml"]);
    transcript("flag_given_twice", &[], &["generate", "--spec=a.yaml", "--spec=b.yaml"]);
}

#[test]
fn configuration_errors_are_located() {
    let text = transcript("config_unknown_key", &[("openapi-rust-gen.toml", "spec = \"pets.yaml\"\n\n[client]\ntoken-var = \"PETS_TOKEN\"\n")], &["generate"]);
    assert!(text.contains("line 4, column 1"), "{text}");
    transcript("config_bad_toml", &[("cfg.toml", "spec = pets.yaml\n")], &["generate", "--config", "cfg.toml"]);
    transcript("config_wrong_type", &[("cfg.toml", "[filter]\ntags = \"pets\"\n")], &["generate", "--config=cfg.toml"]);
    transcript("config_missing", &[], &["generate", "--config", "nowhere.toml"]);
}

#[test]
fn document_errors() {
    transcript("spec_missing", &[], &["generate", "--spec", "nowhere.yaml", "--out", "out"]);
    let text = transcript("spec_broken", &[("broken.yaml", BROKEN)], &["generate", "--spec", "broken.yaml", "--out", "out"]);
    assert!(text.contains("exit: 1"), "{text}");
    transcript("out_is_a_file", &[("pets.yaml", PETS)], &["generate", "--spec", "pets.yaml", "--out", "pets.yaml", "--crate-name", "pets"]);
    transcript("out_has_no_name", &[("pets.yaml", PETS)], &["generate", "--spec", "pets.yaml", "--out", "/"]);
    transcript("spec_broken_json", &[("broken.yaml", BROKEN)], &["check", "--json", "--spec", "broken.yaml", "--out", "out"]);
}

#[test]
fn settings_errors_name_the_setting() {
    let config = "spec = \"pets.yaml\"\nout = \"out\"\n[types]\nrename = { Pets = \"Animal\" }\nformat = { email = \"String\" }\nderive = { Owner = [\"Has h\"] }\n";
    transcript("settings_unknown_names", &[("openapi-rust-gen.toml", config), ("pets.yaml", PETS)], &["generate"]);
}

#[test]
fn warnings_quiet_json_and_denied() {
    let files = [("odd.yaml", WARNS)];
    transcript("warning", &files, &["generate", "--spec", "odd.yaml", "--out", "odd"]);
    transcript("warning_quiet", &files, &["generate", "--quiet", "--spec", "odd.yaml", "--out", "odd"]);
    transcript("warning_json", &files, &["generate", "--json", "--spec", "odd.yaml", "--out", "odd"]);
    let scratch = Scratch::new(&files);
    let text = scratch.run(&["generate", "--deny-warnings", "--spec", "odd.yaml", "--out", "odd"]);
    insta::assert_snapshot!("warning_denied", text);
    assert!(!scratch.path().join("odd").exists(), "--deny-warnings wrote");
    // A filter that matches nothing is a warning too.
    let config = "spec = \"pets.yaml\"\nout = \"out\"\n[filter]\ntags = [\"cats\"]\n";
    transcript("filter_matches_nothing", &[("openapi-rust-gen.toml", config), ("pets.yaml", PETS)], &["check", "--deny-warnings"]);
}

#[test]
fn check_fails_on_stale_output_and_hand_written_files_are_kept() {
    let scratch = Scratch::new(&[("pets.yaml", PETS)]);
    let first = scratch.run(&["check", "--spec", "pets.yaml", "--out", "pets"]);
    insta::assert_snapshot!("check_missing", first);
    let generated = scratch.run(&["generate", "--spec", "pets.yaml", "--out", "pets"]);
    insta::assert_snapshot!("generate", generated);
    assert_eq!(scratch.run(&["check", "--quiet", "--spec", "pets.yaml", "--out", "pets"]), "$ openapi-rust-gen check --quiet --spec pets.yaml --out pets\nexit: 0\n--- stdout\n\n--- stderr\n\n");
    let models = scratch.path().join("pets/src/models.rs");
    let text = std::fs::read_to_string(&models).unwrap();
    std::fs::write(&models, text.replace("pub struct Pet", "pub struct Pat")).unwrap();
    std::fs::remove_file(scratch.path().join("pets/src/client.rs")).unwrap();
    std::fs::write(scratch.path().join("pets/src/old.rs"), "// @generated by openapi-rust-gen\n").unwrap();
    insta::assert_snapshot!("check_stale", scratch.run(&["check", "--spec", "pets.yaml", "--out", "pets"]));
    insta::assert_snapshot!("check_stale_json", scratch.run(&["check", "--json", "--spec", "pets.yaml", "--out", "pets"]));
    std::fs::write(&models, "// mine\n").unwrap();
    insta::assert_snapshot!("hand_written", scratch.run(&["generate", "--spec", "pets.yaml", "--out", "pets"]));
    assert_eq!(std::fs::read_to_string(&models).unwrap(), "// mine\n");
}

#[test]
fn a_configuration_with_every_kind_of_setting() {
    let config = r#"spec = "pets.yaml"
out = "pets"
[crate]
name = "pet-store"
version = "2.0.0"
[client]
token-env = "PETS_TOKEN"
version-header = "Pets-Version"
[filter]
tags = ["pets"]
[types]
derives = ["Eq", "serde::Serialize"]
derive = { Pet = ["Hash", "PartialOrd", "serde::Deserialize"] }
format = { uuid = "::std::string::String" }
rename = { Pet = "Animal" }
"#;
    let scratch = Scratch::new(&[("openapi-rust-gen.toml", config), ("pets.yaml", PETS)]);
    let text = scratch.run(&["generate"]);
    assert!(text.starts_with("$ openapi-rust-gen generate\nexit: 0\n"), "{text}");
    let read = |path: &str| std::fs::read_to_string(scratch.path().join("pets").join(path)).unwrap();
    let models = read("src/models.rs");
    let client = read("src/client.rs");
    // The filter keeps `listPets` and exactly the type it reaches.
    assert!(client.contains("pub fn list_pets(") && !client.contains("list_owners"), "{client}");
    assert!(!models.contains("Owner"), "{models}");
    // Renamed, with the extra derives, and the uuid format replaced.
    assert!(models.contains("pub struct Animal {") && !models.contains("pub struct Pet "), "{models}");
    let derive = models.lines().skip_while(|l| !l.starts_with("#[derive(")).take_while(|l| !l.starts_with("pub struct")).collect::<String>();
    for wanted in ["Eq", "Hash", "PartialOrd"] {
        assert!(derive.contains(wanted), "{derive}");
    }
    // serde's traits are implemented already (`serde_struct!`): a derive would conflict.
    assert!(!derive.contains("serde"), "{derive}");
    assert!(models.contains("serde_struct!(Animal"), "{models}");
    assert!(models.contains("pub id: String"), "{models}");
    assert!(!models.contains("::uuid::") && !client.contains("::uuid::"), "{models}");
    assert!(client.contains("Animal"), "{client}");
    let cargo = read("Cargo.toml");
    assert!(cargo.contains("name = \"pet-store\"") && cargo.contains("version = \"2.0.0\""), "{cargo}");
    let client_rs = read("src/client.rs");
    assert!(client_rs.contains("PETS_TOKEN") || read("src/lib.rs").contains("PETS_TOKEN"));
    assert!(client_rs.contains("Pets-Version"), "{client_rs}");
}

#[test]
fn a_document_on_the_command_line_is_not_mixed_with_a_configuration_found_by_chance() {
    let config = "spec = \"pets.yaml\"\nout = \"pets\"\n[crate]\nname = \"from-config\"\n[filter]\ntags = [\"pets\"]\n";
    let scratch = Scratch::new(&[("openapi-rust-gen.toml", config), ("pets.yaml", PETS)]);
    let text = scratch.run(&["generate", "--spec", "pets.yaml", "--out", "other"]);
    assert!(text.contains("exit: 0") && text.contains("2 types, 2 operations"), "{text}");
    let models = std::fs::read_to_string(scratch.path().join("other/src/models.rs")).unwrap();
    assert!(models.contains("fn default_owner_size()"), "{models}");
    let cargo = std::fs::read_to_string(scratch.path().join("other/Cargo.toml")).unwrap();
    assert!(cargo.contains("name = \"other\""), "{cargo}");
    // Named with --config, it is used with the document given.
    let text = scratch.run(&["generate", "--config", "openapi-rust-gen.toml", "--spec", "pets.yaml", "--out", "third"]);
    assert!(text.contains("1 types, 1 operations"), "{text}");
}

#[test]
fn a_type_replaced_by_an_existing_type_becomes_an_alias() {
    let config = "spec = \"pets.yaml\"\nout = \"pets\"\n[types]\nreplace = { Owner = \"::serde_json::Value\" }\n";
    let scratch = Scratch::new(&[("openapi-rust-gen.toml", config), ("pets.yaml", PETS)]);
    let text = scratch.run(&["generate", "-q"]);
    assert!(text.contains("exit: 0"), "{text}");
    let models = std::fs::read_to_string(scratch.path().join("pets/src/models.rs")).unwrap();
    // The path as the file can spell it (nothing in it is named `serde_json`).
    assert!(models.contains("pub type Owner = serde_json::Value;"), "{models}");
    assert!(!models.contains("pub struct Owner") && !models.contains("for Owner"), "{models}");
    // Nor its serde impls and field defaults.
    assert!(!models.contains("serde_struct!(Owner") && !models.contains("fn default_owner_size"), "{models}");
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// `cargo xtask codegen` is this binary with the repository's configuration: given it, the binary
/// writes `generated/` byte for byte (every generated file, and no other).
#[test]
fn the_committed_configuration_reproduces_generated() {
    let out = tempfile::tempdir().unwrap();
    let config = root().join("openapi-rust-gen.toml");
    let status = Command::new(BIN)
        .args(["generate", "--quiet", "--config"])
        .arg(&config)
        .arg("--out")
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    let mut written = Vec::new();
    let mut pending = vec![out.path().to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                written.push(path.strip_prefix(out.path()).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    written.sort();
    let mut committed = Vec::new();
    let mut pending = vec![root().join("generated")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if std::fs::read_to_string(&path).is_ok_and(|t| t.lines().next().is_some_and(|l| l.contains("@generated by"))) {
                committed.push(path.strip_prefix(root().join("generated")).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    committed.sort();
    assert_eq!(written, committed);
    for path in &written {
        let ours = std::fs::read_to_string(out.path().join(path)).unwrap();
        let theirs = std::fs::read_to_string(root().join("generated").join(path)).unwrap();
        assert!(ours == theirs, "{path} differs from generated/{path}");
    }
}

/// Settings no crate could have (a bad package name, a version cargo refuses, a hand-written
/// module that is no module name or is one the generator writes) are errors, all at once, before
/// anything is written.
#[test]
fn bad_settings_are_refused_before_writing() {
    let config = "spec = \"pets.yaml\"\nout = \"out\"\n[crate]\nname = \"my crate\"\nversion = \"not-semver\"\nextra-modules = [\"my-mod\", \"models\"]\n";
    let scratch = Scratch::new(&[("pets.yaml", PETS), ("openapi-rust-gen.toml", config)]);
    let text = scratch.run(&["generate"]);
    insta::assert_snapshot!("bad_settings", text);
    assert!(text.contains("exit: 1"), "{text}");
    assert!(!scratch.path().join("out").exists(), "nothing is written");
}
