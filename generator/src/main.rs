//! `openapi-rust-gen`: generate a standalone Rust client crate from an OpenAPI 3.0/3.1 document.

mod fs_sync;

use std::path::PathBuf;
use std::process::ExitCode;
use openapi_rust_gen::Settings;

const USAGE: &str = "usage: openapi-rust-gen --spec <file> --out <dir> [--crate-name <name>] [--crate-version <version>] [--check] [--in-workspace]

Generates a standalone crate (Cargo.toml, src/) from an OpenAPI 3.0 or 3.1 document (YAML or JSON).
  --spec           the document
  --out            the crate's directory (created if missing); hand-written files in it are kept
  --crate-name     the package name (default: from the output directory's name)
  --crate-version  the package version (default: 0.1.0)
  --check          write nothing; fail if the directory differs from a fresh generation
  --in-workspace   leave out the empty [workspace] table (for a crate that is a workspace member)";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut spec = None;
    let mut out = None;
    let mut crate_name = None;
    let mut crate_version = None;
    let mut check = false;
    let mut in_workspace = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"));
        match arg.as_str() {
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => crate_name = Some(value("--crate-name")?),
            "--crate-version" => crate_version = Some(value("--crate-version")?),
            "--check" => check = true,
            "--in-workspace" => in_workspace = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    let (Some(spec), Some(out)) = (spec, out) else { return Err(USAGE.to_owned()) };
    let crate_name = match crate_name {
        Some(name) => name,
        None => out
            .canonicalize()
            .unwrap_or_else(|_| out.clone())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or("--crate-name is needed: the output directory has no name")?,
    };
    let mut settings = Settings::standalone(&crate_name, &spec.to_string_lossy());
    settings.standalone_workspace = !in_workspace;
    if let Some(version) = crate_version {
        settings.crate_version = version;
    }
    fs_sync::generate_into(&spec, &out, &settings, check, "run openapi-rust-gen without --check")
}
