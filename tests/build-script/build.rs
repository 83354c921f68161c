//! Generates the Polar files client into OUT_DIR from `openapi-rust-gen.toml` (the README's
//! build.rs recipe).

use std::path::PathBuf;

fn main() {
    // Errors as the generator words them (every problem, with its pointer and line).
    if let Err(err) = generate() {
        eprintln!("{err}");
        std::process::exit(1);
    }
}

fn generate() -> Result<(), Box<dyn std::error::Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let config_path = manifest_dir.join("openapi-rust-gen.toml");
    let config = openapi_rust_gen::Config::from_toml(&std::fs::read_to_string(&config_path)?)?;
    let spec_name = config.spec.clone().ok_or("openapi-rust-gen.toml has no `spec`")?;
    let spec_path = manifest_dir.join(&spec_name);
    println!("cargo::rerun-if-changed={}", config_path.display());
    println!("cargo::rerun-if-changed={}", spec_path.display());

    // The crate's own name, so the generated docs' examples name this crate.
    let settings = config.settings(&std::env::var("CARGO_PKG_NAME")?, &spec_name);
    let output = openapi_rust_gen::generate(&std::fs::read_to_string(&spec_path)?, &settings)?;
    for warning in &output.warnings {
        println!("cargo::warning={spec_name}: {warning}");
    }
    let code = openapi_rust_gen::bundle::single_file(&output.files)?;
    std::fs::write(PathBuf::from(std::env::var("OUT_DIR")?).join("polar_files.rs"), code)?;
    Ok(())
}
