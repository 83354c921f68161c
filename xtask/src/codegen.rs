//! `cargo xtask codegen [--check]`: the generator's command line with this repository's
//! configuration (`openapi-rust-gen.toml`), and `cargo xtask generate`: the command line itself.

use crate::{cli, project_root};

/// The configuration `generated/` comes from, relative to the project root.
pub(crate) const CONFIG: &str = "openapi-rust-gen.toml";

/// `openapi-rust-gen generate|check --config openapi-rust-gen.toml`.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let command = match args {
        [] => "generate",
        [flag] if flag == "--check" => "check",
        _ => return Err("usage: cargo xtask codegen [--check]".to_owned()),
    };
    let config = project_root().join(CONFIG);
    exit(cli::run(["openapi-rust-gen".into(), command.into(), "--config".into(), config.into_os_string()]))
}

/// `openapi-rust-gen generate <args>`.
pub(crate) fn generate_command(args: &[String]) -> Result<(), String> {
    let program = ["openapi-rust-gen".to_owned(), "generate".to_owned()];
    exit(cli::run(program.into_iter().chain(args.iter().cloned())))
}

fn exit(code: u8) -> Result<(), String> {
    match code {
        cli::SUCCESS => Ok(()),
        // The command line has said what went wrong.
        code => Err(format!("openapi-rust-gen exited with {code}")),
    }
}

#[cfg(test)]
mod tests {
    /// Plain `cargo test` catches a `generated/` that does not match `specs/` and the generator.
    #[test]
    fn generated_crate_is_fresh() {
        let config = crate::project_root().join(super::CONFIG);
        let code = crate::cli::run(["openapi-rust-gen".into(), "check".into(), "--quiet".into(), "--config".into(), config.into_os_string()]);
        assert_eq!(code, crate::cli::SUCCESS);
    }
}
