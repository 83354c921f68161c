//! Tools the tests need, installed on first use under `target/tools` (so reruns are fast) with
//! only the machine's Python and Node/npm.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The pinned `openapi-spec-validator` (PyPI): an independent OpenAPI 3.0/3.1 validator.
const OPENAPI_SPEC_VALIDATOR: &str = "openapi-spec-validator==0.9.0";

pub(crate) fn tools_dir(root: &Path) -> PathBuf {
    root.join("target").join("tools")
}

/// Runs a command, echoing it; fails with its exit status.
pub(crate) fn run(command: &mut Command) -> Result<(), String> {
    eprintln!("$ {}", describe(command));
    let status = command.status().map_err(|err| format!("cannot run {}: {err}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed with {status}", describe(command)))
    }
}

fn describe(command: &Command) -> String {
    let mut out = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        out.push(' ');
        out.push_str(&arg.to_string_lossy());
    }
    out
}

/// `openapi-spec-validator`, in a virtualenv of its own.
pub(crate) fn openapi_spec_validator(root: &Path) -> Result<PathBuf, String> {
    let venv = tools_dir(root).join("venv");
    let marker = venv.join(format!("installed-{OPENAPI_SPEC_VALIDATOR}"));
    let binary = venv.join("bin").join("openapi-spec-validator");
    if marker.exists() && binary.exists() {
        return Ok(binary);
    }
    let python = if Command::new("python3").arg("--version").output().is_ok() { "python3" } else { "python" };
    run(Command::new(python).args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(venv.join("bin").join("pip")).args(["install", "--quiet", "--disable-pip-version-check", OPENAPI_SPEC_VALIDATOR]))?;
    std::fs::write(&marker, "").map_err(|err| err.to_string())?;
    Ok(binary)
}
