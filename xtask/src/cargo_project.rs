//! Cargo facts and helpers for the crates the tests and benchmarks build beside the workspace:
//! `cargo metadata` for the host platform, and the project's lock file. Shared by the tests
//! (`tests/lib.rs` includes this file) and `cargo xtask bench`.

use std::path::Path;
use std::process::Command;

/// `cargo metadata` of the workspace for the host platform, with the committed lock file.
///
/// Not `--offline`: metadata needs the manifest of every package in the graph, which a build on a
/// fresh machine has not necessarily downloaded; `--filter-platform` keeps it to the packages this
/// platform builds (no Windows or Android crates). A failure carries cargo's own stderr.
pub fn workspace_metadata(workspace: &Path) -> Result<cargo_metadata::Metadata, String> {
    let host = host_triple()?;
    cargo_metadata::MetadataCommand::new()
        .manifest_path(workspace.join("Cargo.toml"))
        .other_options(vec!["--filter-platform".to_owned(), host, "--locked".to_owned()])
        .exec()
        .map_err(|err| match err {
            cargo_metadata::Error::CargoMetadata { stderr } => format!("`cargo metadata` failed:\n{stderr}"),
            other => format!("`cargo metadata` failed: {other}"),
        })
}

/// The target triple rustc builds for by default (`rustc -vV`'s `host:` line).
pub fn host_triple() -> Result<String, String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = Command::new(&rustc).arg("-vV").output().map_err(|e| format!("cannot run {rustc}: {e}"))?;
    if !output.status.success() {
        return Err(format!("`{rustc} -vV` failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(|host| host.trim().to_owned())
        .ok_or_else(|| format!("`{rustc} -vV` printed no host line:\n{text}"))
}

/// Gives the crate or workspace at `dir` the project's `Cargo.lock` (the same dependency versions
/// as the workspace; cargo drops what it does not use). Copied every time, so a lock file an
/// earlier run left there never pins versions the project has moved past.
pub fn use_project_lock(project: &Path, dir: &Path) -> Result<(), String> {
    let (from, to) = (project.join("Cargo.lock"), dir.join("Cargo.lock"));
    std::fs::copy(&from, &to).map(drop).map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}
