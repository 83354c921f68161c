//! Project automation: `cargo xtask <command>`.
//!
//! - `codegen [--check]`: regenerate `generated/` from `specs/` (or fail if it is stale): the
//!   generator's command line with `openapi-rust-gen.toml`;
//! - `generate <args>`: the generator's command line (`openapi-rust-gen generate <args>`);
//! - `update-spec <published document>`: slice the configuration's operations out of the whole
//!   published document into `specs/` and report what changed, with a semver verdict;
//! - `test`: install the test tools (under `target/tools`), then run every check and test.

mod bench;
#[path = "../../generator/src/cli.rs"]
mod cli;
mod codegen;
#[allow(unreachable_pub)] // shared with the tests, where it is public
mod cargo_project;
mod synth;
#[path = "../../generator/src/fs_sync.rs"]
mod fs_sync;
mod test;
mod tools;
mod update_spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  codegen [--check]     regenerate generated/ from specs/ with openapi-rust-gen.toml
                        (--check: write nothing, fail if stale)
  generate [ARGS]       openapi-rust-gen generate [ARGS]: a crate from any OpenAPI 3.0/3.1 document
                        (--spec <file> --out <dir> [--crate-name <name>]; --help for all)
  update-spec <published document> [--config <file>] [--dry-run]
                        slice the operations openapi-rust-gen.toml's [filter] keeps out of the whole
                        published document into specs/, and report the API changes with a semver verdict
  test                  install the test tools, then run all checks and tests
  bench upload [MiB...] upload benchmark against local storage (default 1024 and 4096 MiB)
  bench codegen [--baseline <rev>|none] [--runs N] [--builds N]
                        generator speed, memory, generated lines and the generated crate's build
                        time, this checkout beside a baseline commit (default ec1b003)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("generate") => codegen::generate_command(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("update-spec") => update_spec::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("bench-codegen") => bench::codegen(&args[1..]),
        Some("bench-codegen-measure") => bench::measure(&args[1..]),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub(crate) fn project_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
