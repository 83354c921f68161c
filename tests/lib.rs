//! Helpers shared by the integration tests: paths, settings, snapshot rendering, and compiling
//! generated crates.

use std::path::{Path, PathBuf};
use std::process::Command;

use openapi_rust_gen::{GeneratedFile, Output, Settings};

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

/// The snapshot text of a generation: warnings, then the Rust files that are not verbatim runtime.
pub fn render(output: &Output) -> String {
    let mut out = String::new();
    if !output.warnings.is_empty() {
        out.push_str("// warnings:\n");
        for warning in &output.warnings {
            out.push_str(&format!("//   {warning}\n"));
        }
        out.push('\n');
    }
    for file in output.files.iter().filter(|f| f.path.ends_with(".rs") && !f.path.starts_with("src/runtime/")) {
        out.push_str(&format!("// ===== {} =====\n", file.path));
        // The header names the fixture's path, which is the same for every run.
        out.push_str(&file.contents);
        out.push('\n');
    }
    out
}

/// Writes each crate under `dir` as a member of one workspace (dependencies built once), then runs
/// `cargo clippy` on all of them with warnings denied. Returns the compiler's output on failure.
pub fn compile_crates(dir: &Path, crates: &[(String, Vec<GeneratedFile>)]) -> Result<(), String> {
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
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    if !dir.join("Cargo.lock").exists() {
        // Start from the project's lock file: the same versions, and no registry needed.
        let _ = std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .args(["clippy", "--workspace", "--offline", "--quiet", "--", "-D", "warnings"])
        .output()
        .map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}
