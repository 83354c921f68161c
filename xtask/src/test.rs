//! `cargo xtask test`: every check and test. The tests install the tools they need themselves
//! (Prism, openapi-spec-validator) under `target/tools`.

use std::process::Command;

use crate::{project_root, tools};

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if !args.is_empty() {
        return Err("usage: cargo xtask test".to_owned());
    }
    let root = project_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // Lints and docs of everything, the generated crate included, as errors.
    tools::run(Command::new(&cargo).current_dir(&root).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    // With every optional part on (a generated crate may enable any of them): the runtime, and
    // the crate generated as one file (`bundle::single_file`, the README's build.rs recipe).
    tools::run(Command::new(&cargo).current_dir(&root).args([
        "clippy",
        "--package",
        "openapi-rust-gen-runtime",
        "--package",
        "build-script-example",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]))?;
    tools::run(
        Command::new(&cargo)
            .current_dir(&root)
            .env("RUSTDOCFLAGS", "-D warnings")
            .args(["doc", "--no-deps", "--package", "polar-files", "--package", "openapi-rust-gen", "--package", "openapi-rust-gen-runtime"]),
    )?;
    // The runtime without a TLS backend (tests/no_tls.rs: an `https` URL is refused at once).
    tools::run(Command::new(&cargo).current_dir(&root).args(["test", "--package", "openapi-rust-gen-runtime", "--no-default-features"]))?;
    tools::run(Command::new(&cargo).current_dir(&root).args(["test", "--workspace"]))
}
