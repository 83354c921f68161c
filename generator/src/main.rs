//! `openapi-rust-gen`: generate a Rust client crate from an OpenAPI 3.0/3.1 document.

mod cli;
mod fs_sync;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::run(std::env::args_os()))
}
