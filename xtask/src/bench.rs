//! `cargo xtask bench <name>`: benchmarks that print figures (never timed tests).

use std::process::Command;

use crate::{project_root, tools};

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    match args.first().map(String::as_str) {
        Some("upload") => tools::run(
            Command::new(&cargo)
                .current_dir(project_root())
                .args(["run", "--release", "--quiet", "--package", "integration-tests", "--example", "bench_upload", "--"])
                .args(&args[1..]),
        ),
        _ => Err("usage: cargo xtask bench upload [size-in-MiB ...]".to_owned()),
    }
}
