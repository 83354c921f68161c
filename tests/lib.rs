//! Helpers shared by the integration tests: paths, settings, snapshot rendering, and compiling
//! generated crates.

use std::path::{Path, PathBuf};
use std::process::Command;

use openapi_rust_gen::{GeneratedFile, Output, Settings};

pub mod raw;
pub mod storage;

/// `cargo metadata` for the host platform and the project's lock file (shared with `cargo xtask bench`).
#[path = "../xtask/src/cargo_project.rs"]
pub mod cargo_project;

/// The workspace root.
pub fn root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The project's OpenAPI document.
pub fn spec_path() -> PathBuf {
    root().join("specs").join("polar-files.openapi.yaml")
}

/// Settings for a fixture crate (a member of the compile-test workspace).
pub fn fixture_settings(crate_name: &str, source_name: &str) -> Settings {
    let mut settings = Settings::standalone(crate_name, source_name);
    settings.command = "integration tests".to_owned();
    settings.standalone_workspace = false;
    settings
}

/// The snapshot text of a generation: warnings, then the Rust files a fixture is about: models and
/// client, not the verbatim runtime nor the crate root (the same for every document but its docs;
/// compiled by every compile test and by the README test), nor the client of a document with
/// neither operations nor servers (the same for every such document).
pub fn render(output: &Output) -> String {
    render_files(output, false)
}

/// [`render`] with the `mock` module too (the same for every document but its operations: shown
/// by the fixtures about it, `mock_*.yaml`, and committed in `generated/src/mock.rs`).
pub fn render_with_mock(output: &Output) -> String {
    render_files(output, true)
}

fn render_files(output: &Output, mock: bool) -> String {
    let mut out = String::new();
    if !output.warnings.is_empty() {
        out.push_str("// warnings:\n");
        for warning in &output.warnings {
            out.push_str(&format!("//   {warning}\n"));
        }
        out.push('\n');
    }
    let bare_client = output.api.operations.is_empty() && output.api.servers.is_empty();
    let shown = |path: &str| {
        path.ends_with(".rs")
            && !path.starts_with("src/runtime/")
            && path != "src/lib.rs"
            && (mock || path != "src/mock.rs")
            && !(bare_client && path == "src/client.rs")
    };
    for file in output.files.iter().filter(|f| shown(&f.path)) {
        out.push_str(&format!("// ===== {} =====\n", file.path));
        // The header names the fixture's path, which is the same for every run.
        out.push_str(&file.contents);
        out.push('\n');
    }
    out
}

/// One value a fixture's crate must decode: the Rust type (in `models`) and the JSON.
#[derive(Clone, Debug)]
pub struct PayloadCase {
    /// The type's name in the crate's `models` module.
    pub ty: String,
    /// The JSON text.
    pub input: String,
}

/// What the crate made of a [`PayloadCase`]: the decoded value's `Debug` text and its
/// re-encoding, or the decoding error.
pub type PayloadResult = Result<(String, serde_json::Value), String>;

/// Writes the crates as in [`compile_crates`], each with an example program that decodes its
/// cases from JSON text (so integers beyond 64 bits are read natively) and re-encodes them, runs
/// each, and returns the results per crate, in order.
pub fn decode_payloads(dir: &Path, crates: &[(String, Vec<GeneratedFile>, Vec<PayloadCase>)]) -> Result<Vec<Vec<PayloadResult>>, String> {
    let mut with_examples = Vec::new();
    for (name, files, cases) in crates {
        let library = name.replace('-', "_");
        let mut program = String::from("//! Decodes and re-encodes the fixture's payloads.\n\nfn main() {\n    let mut out = Vec::new();\n");
        for case in cases {
            program.push_str(&format!(
                "    out.push(match serde_json::from_str::<{library}::models::{ty}>({input:?}) {{\n        \
                 Ok(value) => serde_json::json!({{\"debug\": format!(\"{{value:?}}\"), \"output\": serde_json::to_value(&value).unwrap()}}),\n        \
                 Err(err) => serde_json::json!({{\"error\": err.to_string()}}),\n    }});\n",
                ty = case.ty,
                input = case.input,
            ));
        }
        program.push_str("    println!(\"{}\", serde_json::Value::Array(out));\n}\n");
        let mut files = files.clone();
        files.push(GeneratedFile { path: "examples/payloads.rs".to_owned(), contents: program });
        with_examples.push((name.clone(), files));
    }
    write_workspace(dir, &with_examples)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut results = Vec::new();
    for (name, _, cases) in crates {
        let output = Command::new(&cargo)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", compile_target_dir())
            .env_remove("RUSTFLAGS")
            .args(["run", "--quiet", "-p", name, "--example", "payloads"])
            .output()
            .map_err(|e| e.to_string())?;
        if !output.status.success() {
            return Err(format!("{name}: {}", String::from_utf8_lossy(&output.stderr)));
        }
        let lines: serde_json::Value = serde_json::from_slice(&output.stdout).map_err(|e| format!("{name}: {e}"))?;
        let lines = lines.as_array().cloned().unwrap_or_default();
        if lines.len() != cases.len() {
            return Err(format!("{name}: {} results for {} cases", lines.len(), cases.len()));
        }
        results.push(
            lines
                .into_iter()
                .map(|line| match line.get("error") {
                    Some(error) => Err(error.as_str().unwrap_or_default().to_owned()),
                    None => Ok((line["debug"].as_str().unwrap_or_default().to_owned(), line["output"].clone())),
                })
                .collect(),
        );
    }
    Ok(results)
}

/// Writes each crate under `dir` as a member of one workspace (the build cache and lock file kept,
/// the sources replaced) with the project's lock file.
fn write_workspace(dir: &Path, crates: &[(String, Vec<GeneratedFile>)]) -> Result<(), String> {
    if dir.exists() {
        for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            // Keep the build cache; replace the sources.
            if path.file_name().is_some_and(|n| n != "target" && n != "Cargo.lock") {
                if path.is_dir() {
                    std::fs::remove_dir_all(&path).map_err(|e| e.to_string())?;
                } else {
                    std::fs::remove_file(&path).map_err(|e| e.to_string())?;
                }
            }
        }
    }
    let mut members = Vec::new();
    for (name, files) in crates {
        for file in files {
            let path = dir.join(name).join(&file.path);
            std::fs::create_dir_all(path.parent().ok_or("no parent")?).map_err(|e| e.to_string())?;
            std::fs::write(&path, &file.contents).map_err(|e| e.to_string())?;
        }
        members.push(format!("{name:?}"));
    }
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    cargo_project::use_project_lock(&root(), dir)
}

/// The target directory all compile tests share, so dependencies build once.
fn compile_target_dir() -> PathBuf {
    root().join("target").join("compile-tests").join("target")
}

/// `cargo doc` of the workspace [`compile_crates`] wrote at `dir`, with rustdoc's warnings denied
/// (broken intra-doc links, bare URLs, HTML in docs). Returns rustdoc's output on failure.
pub fn document_crates(dir: &Path) -> Result<(), String> {
    run_cargo_in(dir, &["doc", "--workspace", "--no-deps", "--quiet"], &[("RUSTDOCFLAGS", "-D warnings")])
}

/// `cargo test --doc` of the workspace [`compile_crates`] wrote at `dir`: every doc example of
/// every crate (each operation's `# Example`, the crate root's quick start) is compiled, and run
/// unless it is `no_run` (those are type-checked and not linked: rustdoc compiles them with
/// `--emit=metadata`). Every crate's examples are tried (`--no-fail-fast`), so a failure lists
/// all the failing examples with the compiler's messages.
pub fn doctest_crates(dir: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", compile_target_dir())
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTDOCFLAGS")
        .args(["test", "--doc", "--workspace", "--no-fail-fast", "--quiet"])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        // rustdoc prints each failing example (its name is the file, item and line) and the
        // compiler's messages on stdout; cargo's own errors are on stderr.
        Err(format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)))
    }
}

/// Runs cargo with `args` in the crate or compile-test workspace at `dir` (in the target directory
/// all compile tests share, without the caller's `RUSTFLAGS`); its stderr on failure.
pub fn run_cargo_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", compile_target_dir())
        .env_remove("RUSTFLAGS")
        .envs(env.iter().copied())
        .args(args)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Writes each crate under `dir` as a member of one workspace (dependencies built once, in the
/// target directory all compile tests share), then runs `cargo clippy` on all of them with
/// warnings denied. Returns the compiler's output on failure.
pub fn compile_crates(dir: &Path, crates: &[(String, Vec<GeneratedFile>)]) -> Result<(), String> {
    write_workspace(dir, crates)?;
    // Not `--offline`: what the project's build did not download, cargo fetches.
    // With the optional parts every generated crate offers: the `mock` module (generated per
    // document) and `ClientBuilder::middleware`.
    run_cargo_in(dir, &["clippy", "--workspace", "--features", GENERATED_FEATURES, "--quiet", "--", "-D", "warnings"], &[])
}

/// The optional features of every generated crate, enabled where generated crates are compiled.
pub const GENERATED_FEATURES: &str = "mock,middleware";

/// What [`clippy_build`] found.
#[derive(Debug, Default)]
pub struct ClippyBuild {
    /// Per crate: each compiler or clippy diagnostic of warning or error level, as (code, text)
    /// (the code is `E0119`, `clippy::doc_lazy_continuation`, ...; empty when it has none).
    pub problems: std::collections::BTreeMap<String, Vec<(String, String)>>,
    /// Per crate: its example programs by name, built.
    pub examples: std::collections::BTreeMap<String, std::collections::BTreeMap<String, PathBuf>>,
    /// cargo's own stderr (a failure that is not a diagnostic of a crate shows here).
    pub stderr: String,
}

/// Writes the crates as one workspace (like [`compile_crates`]) and builds their libraries and
/// example programs in one `cargo build` that is also `cargo clippy`: clippy's driver
/// is the rustc of the workspace's own crates (what `cargo clippy` does, for `cargo check`), so
/// each crate is compiled once, linted, and its examples can run. `--keep-going`: a crate that
/// fails does not stop the others; its diagnostics are reported under its name.
pub fn clippy_build(dir: &Path, crates: &[(String, Vec<GeneratedFile>)]) -> Result<ClippyBuild, String> {
    write_workspace(dir, crates)?;
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let sysroot = Command::new(&rustc).args(["--print", "sysroot"]).output().map_err(|e| format!("cannot run {rustc}: {e}"))?;
    let driver = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim()).join("bin").join("clippy-driver");
    if !driver.exists() {
        return Err(format!("{} not found: install clippy (`rustup component add clippy`)", driver.display()));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", compile_target_dir())
        .env_remove("RUSTFLAGS")
        .env("RUSTC_WORKSPACE_WRAPPER", &driver)
        // Warnings are not denied here, so a crate with a lint still builds its examples; every
        // warning is reported in `problems`, and a crate passes `clippy -D warnings` when it has
        // none.
        .env_remove("CLIPPY_ARGS")
        .args(["build", "--workspace", "--lib", "--examples", "--keep-going", "--message-format=json"])
        .output()
        .map_err(|e| e.to_string())?;
    let mut build = ClippyBuild { stderr: String::from_utf8_lossy(&output.stderr).into_owned(), ..ClippyBuild::default() };
    let members: std::collections::BTreeSet<&str> = crates.iter().map(|(name, _)| name.as_str()).collect();
    for message in cargo_metadata::Message::parse_stream(output.stdout.as_slice()) {
        match message.map_err(|e| e.to_string())? {
            cargo_metadata::Message::CompilerMessage(message) => {
                // A member's directory is named after it: `path+file:///.../<name>#0.1.0`.
                let package = members.iter().find(|m| message.package_id.repr.contains(&format!("/{m}#")));
                let Some(package) = package else { continue };
                use cargo_metadata::diagnostic::DiagnosticLevel;
                let summary_line = message.message.code.is_none()
                    && (message.message.message.starts_with("aborting due to") || message.message.message.ends_with("emitted"));
                if summary_line || !matches!(message.message.level, DiagnosticLevel::Error | DiagnosticLevel::Warning) {
                    continue;
                }
                let code = message.message.code.as_ref().map(|c| c.code.clone()).unwrap_or_default();
                let text = message.message.rendered.clone().unwrap_or_else(|| message.message.message.clone());
                build.problems.entry((*package).to_owned()).or_default().push((code, text));
            }
            cargo_metadata::Message::CompilerArtifact(artifact) if artifact.target.kind.iter().any(|k| k.to_string() == "example") => {
                let package = members.iter().find(|m| artifact.package_id.repr.contains(&format!("/{m}#")));
                if let (Some(package), Some(executable)) = (package, artifact.executable) {
                    build.examples.entry((*package).to_owned()).or_default().insert(artifact.target.name.clone(), executable.into());
                }
            }
            _ => {}
        }
    }
    Ok(build)
}

/// The fixture documents the `openapiv3` crate ships: real APIs (Stripe, Slack, Twilio, Docker,
/// ...), in that package's source as cargo downloaded it (located through `cargo metadata`).
pub fn real_world_documents() -> Result<Vec<PathBuf>, String> {
    let metadata = cargo_project::workspace_metadata(&root())?;
    let package = metadata
        .packages
        .iter()
        .find(|p| p.name.as_str() == "openapiv3")
        .ok_or("openapiv3 is not in the dependency graph")?;
    let fixtures = package.manifest_path.parent().ok_or("no parent")?.join("fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map_err(|e| format!("{fixtures}: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// Test tools installed on first use under `target/tools` (reruns reuse them), with only the
/// machine's Python and Node/npm. Concurrent installs are serialized with a file lock.
pub mod tools {
    use std::fs::File;
    use std::path::PathBuf;
    use std::process::Command;

    /// The pinned Prism (npm): a mock server that validates requests against the document.
    pub const PRISM: &str = "@stoplight/prism-cli@5.16.0";
    /// The pinned `openapi-spec-validator` (PyPI): an independent OpenAPI 3.0/3.1 validator.
    pub const OPENAPI_SPEC_VALIDATOR: &str = "openapi-spec-validator==0.9.0";
    /// The libraries under it, pinned too: the real-world test snapshots their messages about
    /// examples (`tests/support/validate_examples.py`).
    pub const VALIDATOR_LIBRARIES: &[&str] = &[
        "openapi-schema-validator==0.9.0",
        "jsonschema==4.26.0",
        "jsonschema-specifications==2025.9.1",
        "referencing==0.37.0",
        "rfc3339-validator==0.1.4",
    ];

    fn dir(name: &str) -> Result<PathBuf, String> {
        let dir = super::root().join("target").join("tools").join(name);
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(dir)
    }

    fn run(command: &mut Command) -> Result<(), String> {
        let output = command.output().map_err(|e| format!("cannot run {command:?}: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!("{command:?} failed: {}\n{}", output.status, String::from_utf8_lossy(&output.stderr)))
        }
    }

    /// Runs `install` once per `version` under a lock; returns `binary`.
    fn ensure(name: &str, version: &str, binary: PathBuf, install: impl FnOnce(&PathBuf) -> Result<(), String>) -> Result<PathBuf, String> {
        let dir = dir(name)?;
        let lock = File::create(dir.join(".lock")).map_err(|e| e.to_string())?;
        lock.lock().map_err(|e| e.to_string())?;
        let marker = dir.join(format!(".installed-{}", version.replace(['/', '@', '='], "_")));
        if !(marker.exists() && binary.exists()) {
            install(&dir)?;
            std::fs::write(&marker, "").map_err(|e| e.to_string())?;
        }
        Ok(binary)
    }

    /// Prism's binary, installed with npm if needed.
    pub fn prism() -> Result<PathBuf, String> {
        let dir = dir("prism")?;
        let binary = dir.join("node_modules").join(".bin").join("prism");
        ensure("prism", PRISM, binary, |dir| {
            run(Command::new("npm").current_dir(dir).args(["install", "--no-audit", "--no-fund", "--loglevel=error", PRISM]))
        })
    }

    /// The npm packages that ship the real-world set's documents (`tests/real_world.rs`), pinned.
    pub const REAL_WORLD_NPM: &[&str] =
        &["@readme/oas-examples@8.2.2", "@directus/specs@15.2.0", "@blockfrost/openapi@0.1.93", "@digdir/dialogporten-schema@1.118.6"];
    /// The PyPI packages that ship the real-world set's documents (FastAPI-generated), pinned.
    pub const REAL_WORLD_PYPI: &[&str] = &["apache-airflow-core==3.3.2"];

    /// The packages of the real-world set, installed if needed: npm packages under
    /// `target/tools/real-world-npm/node_modules` (install scripts not run), PyPI wheels (without
    /// their dependencies: only their files are read) under `target/tools/real-world-pypi`.
    /// Returns those two directories.
    pub fn real_world_packages() -> Result<(PathBuf, PathBuf), String> {
        let npm = dir("real-world-npm")?.join("node_modules");
        ensure("real-world-npm", &REAL_WORLD_NPM.join(","), npm.clone(), |dir| {
            run(Command::new("npm")
                .current_dir(dir)
                .args(["install", "--no-audit", "--no-fund", "--no-save", "--ignore-scripts", "--loglevel=error"])
                .args(REAL_WORLD_NPM))
        })?;
        let pypi = dir("real-world-pypi")?.join("site");
        // The validator's Python (its virtualenv has pip even where the machine's Python is
        // externally managed).
        let mut python = validator_python()?;
        ensure("real-world-pypi", &REAL_WORLD_PYPI.join(","), pypi.clone(), |dir| {
            run(python
                .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--only-binary=:all:", "--target"])
                .arg(dir.join("site"))
                .args(REAL_WORLD_PYPI))
        })?;
        Ok((npm, pypi))
    }

    /// A `python3` command that can import `openapi_schema_validator` (and `jsonschema`), the
    /// libraries `openapi-spec-validator` is built on: the virtualenv's interpreter, or the
    /// machine's with the fallback install's directory on its path.
    pub fn validator_python() -> Result<Command, String> {
        let validator = openapi_spec_validator()?;
        let dir = validator.parent().and_then(|bin| bin.parent()).ok_or("no venv directory")?.to_path_buf();
        let venv_python = dir.join("bin").join("python");
        if venv_python.exists() {
            return Ok(Command::new(venv_python));
        }
        let mut command = Command::new("python3");
        command.env("PYTHONPATH", dir.join("site"));
        Ok(command)
    }

    /// `openapi-spec-validator`, in a virtualenv of its own.
    pub fn openapi_spec_validator() -> Result<PathBuf, String> {
        let dir = dir("venv")?;
        let binary = dir.join("bin").join("openapi-spec-validator");
        let version = format!("{OPENAPI_SPEC_VALIDATOR},{}", VALIDATOR_LIBRARIES.join(","));
        ensure("venv", &version, binary, |dir| {
            let venv = run(Command::new("python3").args(["-m", "venv"]).arg(dir)).and_then(|()| {
                run(Command::new(dir.join("bin").join("pip"))
                    .args(["install", "--quiet", "--disable-pip-version-check", OPENAPI_SPEC_VALIDATOR])
                    .args(VALIDATOR_LIBRARIES))
            });
            if venv.is_ok() {
                return Ok(());
            }
            // A Python without `venv` (Debian's without python3-venv): install into a directory and
            // run the module through a small wrapper with the same path.
            let site = dir.join("site");
            run(Command::new("python3")
                .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target"])
                .arg(&site)
                .arg(OPENAPI_SPEC_VALIDATOR)
                .args(VALIDATOR_LIBRARIES))?;
            let bin = dir.join("bin");
            std::fs::create_dir_all(&bin).map_err(|e| e.to_string())?;
            let wrapper = bin.join("openapi-spec-validator");
            let script = format!("#!/bin/sh\nPYTHONPATH='{}' exec python3 -m openapi_spec_validator \"$@\"\n", site.display());
            std::fs::write(&wrapper, script).map_err(|e| e.to_string())?;
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())
        })
    }
}

/// A Prism mock server serving a document on a free loopback port; stopped on drop.
#[derive(Debug)]
pub struct Prism {
    child: std::process::Child,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
}

impl Prism {
    /// Starts Prism (installing it if needed) and waits until it accepts connections.
    pub fn start(spec: &Path) -> Result<Self, String> {
        let binary = tools::prism()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
        let log = std::fs::File::create(root().join("target").join("tools").join("prism").join(format!("prism-{port}.log")))
            .map_err(|e| e.to_string())?;
        let child = Command::new(binary)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(spec)
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start Prism: {e}"))?;
        let mut prism = Prism { child, base_url: format!("http://127.0.0.1:{port}") };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!("Prism exited with {status}; see target/tools/prism/prism-{port}.log"));
            }
            if std::time::Instant::now() > deadline {
                return Err("Prism did not start within 60 s".to_owned());
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Text that has broken generated crates, or could: every kind of line break and control
/// character, bidirectional overrides, invisible characters, comment and string delimiters,
/// Markdown and HTML, URLs, non-ASCII, keywords, empty and blank text. Each entry is fed through
/// every channel by [`hostile_document`] (and by the robustness test's mutations).
pub const HOSTILE_TEXT: &[&str] = &[
    "one\rtwo",
    "crlf\r\nlf\nend",
    "nul\u{0}bell\u{7}esc\u{1b}[31mdel\u{7f}nel\u{85}c1\u{9f}",
    "line\u{2028}sep\u{2029}para",
    "bidi \u{202e}evil\u{202c} \u{2066}isolate\u{2069} \u{200f}rlm \u{61c}alm",
    "zero\u{200b}width\u{ad}soft\u{2060}joiner\u{feff}bom",
    "*/ /* /** */ //! /// #![deny(warnings)]",
    "\"quoted\" 'single' back\\slash \\\\ \\n \\u{0} \\",
    "`tick` ``double ` inside`` ` lone ```fence",
    "<b>bold</b> <script>alert(1)</script> &amp; &#0; <!-- comment --> </p> <T>",
    "[link] [x](y) [^1] ![img](z) [a]: http://x.example",
    "<p><a href=\"https://x.example/a\">open <code>c</code> <ul><li>item <ol><li>n</ul> <a href='javascript:x'>js</a> <em>*n*</em> <br/> </code>",
    "[label](https://x.example/a) [https://u.example](https://v.example) [t](https://w.example \"title\") [](https://e.example) ![i](https://t.example/p.gif) [rel](/r) [anchor](#a)",
    "# heading\n```rust\nfn main() { panic!() }\n```\n    indented code\n\ttabbed",
    "http://bare.example/a_b?c=d>e https://x.example/(p) <https://ok.example> HTTP://UPPER.EXAMPLE",
    "🦀 e\u{301} \u{301}leading combining ﷽ 𝕏",
    "${x} {{y}} #{z} %s %n {} {0}",
    "\t",
    "",
    "   ",
    "r#type self Self super crate _ 1st",
    "--> <-- |pipe| ~tilde~ ^caret",
    "#[doc = \"x\"] macro_rules! m {} \"#",
    "-     let x = 1;\n1.\t\tlet y = 2;\n<ul><li>    fn f() {}</li><li><p>a</p><ul><li>        b</li></ul></li></ul>",
    "[x](https://u.example/(b) <a href=\"https://u.example/(a\">open</a> <a href=\"https://u.example/a>b\" title=\"x>y\">gt</a> [`c`](https://u.example)",
    "```a`b``` kept\n<code>a`b``c</code> kept",
];

/// [`HOSTILE_TEXT`], and one very long line.
pub fn hostile_texts() -> Vec<String> {
    let mut texts: Vec<String> = HOSTILE_TEXT.iter().map(|t| (*t).to_owned()).collect();
    texts.push(format!("long {}end", "word ".repeat(2_000)));
    texts
}

/// A document with [`hostile_texts`] in every place document text reaches generated code: info
/// (title, description, version), servers (URL, description, name), tags, path literals,
/// operationIds, summaries, descriptions, parameter names (query, header, cookie) and docs,
/// content types, response descriptions, schema names, property names, titles, descriptions,
/// enum values, `const`s, defaults, examples, patterns, formats, discriminator properties and
/// tag values, webhook names.
pub fn hostile_document() -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let texts = hostile_texts();
    let joined = texts.join(" | ");
    let mut schemas = Map::new();
    let mut properties = Map::new();
    for (index, text) in texts.iter().enumerate() {
        properties.insert(
            text.clone(),
            json!({
                "type": "string", "title": text, "description": text, "default": text,
                "examples": [text], "pattern": text, "format": text, "maxLength": 10
            }),
        );
        properties.insert(format!("const {index} {text}"), json!({"const": text, "description": text}));
        // Each text as a schema name, with the text as its property, and as a union variant.
        schemas.insert(
            text.clone(),
            json!({
                "type": "object", "title": text, "description": text, "required": [text],
                "properties": {text.clone(): {"type": "string", "description": text}}
            }),
        );
        schemas.insert(
            format!("Variant{index}"),
            json!({"type": "object", "required": [joined.clone()], "properties": {joined.clone(): {"type": "string"}}}),
        );
    }
    properties.insert("enum".to_owned(), json!({"type": "string", "enum": texts, "default": texts[0], "description": joined}));
    properties.insert("json const".to_owned(), json!({"const": {"k": texts, "n": [1, 2.5, null, true]}}));
    schemas.insert("Everything".to_owned(), json!({"type": "object", "description": joined, "properties": properties}));
    let mapping: Map<String, Value> =
        texts.iter().enumerate().map(|(index, text)| (text.clone(), json!(format!("#/components/schemas/Variant{index}")))).collect();
    let variants: Vec<Value> = (0..texts.len()).map(|index| json!({"$ref": format!("#/components/schemas/Variant{index}")})).collect();
    schemas.insert(
        "Union".to_owned(),
        json!({"oneOf": variants, "discriminator": {"propertyName": joined, "mapping": mapping}, "description": joined}),
    );

    let mut paths = Map::new();
    let mut webhooks = Map::new();
    for (index, text) in texts.iter().enumerate() {
        // A literal path segment: what a path template may hold (no control characters,
        // `?`, `#`, `\`, braces or dot segments: those are refused).
        let segment: String = text
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, '?' | '#' | '\\' | '{' | '}' | '/' | '%' | '.' | '\u{2028}' | '\u{2029}'))
            .collect();
        let path = format!("/op{index}/{segment}/{{id}}");
        let content_type = format!("application/x-{index}; note=\"{}\"", text.replace(['"', '\\'], "'"));
        paths.insert(
            path,
            json!({"post": {
                "operationId": format!("{text}{index}"),
                "summary": text,
                "description": text,
                "tags": [text],
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "description": text, "schema": {"type": "string", "description": text}},
                    {"name": text, "in": "query", "description": text, "schema": {"type": "integer", "default": 3, "description": text}},
                    {"name": format!("{text} header"), "in": "header", "description": text, "schema": {"type": "string"}},
                    {"name": format!("{text} cookie"), "in": "cookie", "schema": {"type": "string", "enum": [text, "other"]}}
                ],
                "requestBody": {"description": text, "content": {content_type: {"schema": {"type": "string"}}}},
                "responses": {
                    "200": {"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Everything"}}}},
                    "404": {"description": text, "content": {"text/plain": {"schema": {"type": "string"}}}},
                    "4XX": {"description": text},
                    "default": {"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Union"}}}}
                }
            }}),
        );
        webhooks.insert(
            text.clone(),
            json!({"post": {"requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "description": text, "properties": {text.clone(): {"type": "string", "description": text}}
            }}}}, "responses": {"200": {"description": text}}}}),
        );
    }
    let servers: Vec<Value> = texts
        .iter()
        .map(|text| json!({"url": format!("https://api.example/{text}"), "description": text, "x-speakeasy-server-id": text}))
        .chain(std::iter::once(json!({"url": joined, "description": joined})))
        .collect();
    let tags: Vec<Value> = texts.iter().map(|text| json!({"name": text, "description": text})).collect();
    json!({
        "openapi": "3.1.0",
        "info": {"title": joined, "description": joined, "version": joined, "summary": joined},
        "servers": servers,
        "tags": tags,
        "security": [{"bearer": []}],
        "paths": paths,
        "webhooks": webhooks,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
        }
    })
}
