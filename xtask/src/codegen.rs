//! `cargo xtask codegen [--check]` and `cargo xtask generate`.

use std::path::PathBuf;

use openapi_rust_gen::Settings;

use crate::{fs_sync, project_root};

/// The document the `generated` crate comes from, relative to the project root.
pub(crate) const SPEC: &str = "specs/polar-files.openapi.yaml";

const STALE: &str = "run `cargo xtask codegen` and commit";

/// The settings of the `generated` crate.
pub(crate) fn settings() -> Settings {
    Settings {
        crate_name: "polar-files".to_owned(),
        crate_version: "0.1.0".to_owned(),
        command: "cargo xtask codegen".to_owned(),
        source_name: SPEC.to_owned(),
        // generated/Cargo.toml is hand-written (it carries hand-written modules' dependencies).
        standalone: false,
        standalone_workspace: false,
        // generated/src/upload.rs: the whole-file upload helper, hand-written.
        extra_modules: vec!["upload".to_owned()],
        version_header: Some("Polar-Version".to_owned()),
        token_env: Some("POLAR_ACCESS_TOKEN".to_owned()),
    }
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask codegen [--check]".to_owned()),
    };
    let root = project_root();
    fs_sync::generate_into(&root.join(SPEC), &root.join("generated"), &settings(), check, STALE)
}

pub(crate) fn generate_command(args: &[String]) -> Result<(), String> {
    let usage = "usage: cargo xtask generate --spec <file> --out <dir> --crate-name <name> [--crate-version <version>] [--check]";
    let (mut spec, mut out, mut name, mut version, mut check) = (None, None, None, None, false);
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--spec" => spec = iter.next().map(PathBuf::from),
            "--out" => out = iter.next().map(PathBuf::from),
            "--crate-name" => name = iter.next().cloned(),
            "--crate-version" => version = iter.next().cloned(),
            "--check" => check = true,
            _ => return Err(usage.to_owned()),
        }
    }
    let (Some(spec), Some(out), Some(name)) = (spec, out, name) else { return Err(usage.to_owned()) };
    let mut settings = Settings::standalone(&name, &spec.to_string_lossy());
    settings.command = "cargo xtask generate".to_owned();
    if let Some(version) = version {
        settings.crate_version = version;
    }
    fs_sync::generate_into(&spec, &out, &settings, check, "run `cargo xtask generate` without --check")
}

#[cfg(test)]
mod tests {
    /// Plain `cargo test` catches a `generated/` that does not match `specs/` and the generator.
    #[test]
    fn generated_crate_is_fresh() {
        let root = crate::project_root();
        let result = crate::fs_sync::generate_into(&root.join(super::SPEC), &root.join("generated"), &super::settings(), true, super::STALE);
        assert_eq!(result, Ok(()));
    }
}
