//! `cargo xtask test`: every check and test, with the tools they need.

use std::process::Command;

use crate::{project_root, tools};

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if !args.is_empty() {
        return Err("usage: cargo xtask test".to_owned());
    }
    let root = project_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());

    // The document itself, checked by an independent validator.
    let validator = tools::openapi_spec_validator(&root)?;
    let mut specs: Vec<_> = std::fs::read_dir(root.join("specs"))
        .map_err(|err| format!("cannot list specs/: {err}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json"))
        .collect();
    specs.sort();
    for spec in &specs {
        tools::run(Command::new(&validator).arg(spec))?;
    }

    // Lints and docs of everything, the generated crate included, as errors.
    tools::run(Command::new(&cargo).current_dir(&root).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    tools::run(
        Command::new(&cargo)
            .current_dir(&root)
            .env("RUSTDOCFLAGS", "-D warnings")
            .args(["doc", "--no-deps", "--package", "polar-files", "--package", "openapi-rust-gen"]),
    )?;
    tools::run(Command::new(&cargo).current_dir(&root).args(["test", "--workspace"]))
}
