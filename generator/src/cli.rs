//! The command line, on clap: `openapi-rust-gen generate|check [OPTIONS]`. Also compiled into
//! `cargo xtask` (by path), whose `codegen` is this command line run with the repository's
//! `openapi-rust-gen.toml`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, Parser, Subcommand};
use openapi_rust_gen::config::{self, Config};
use openapi_rust_gen::{generate, Diagnostic, Severity, Stage};
use serde_json::{json, Value};

use crate::fs_sync;

/// Exit code: done, nothing to report.
pub(crate) const SUCCESS: u8 = 0;
/// Exit code: generation failed, the output is stale (`check`), or warnings were denied.
pub(crate) const FAILURE: u8 = 1;

/// Generates a typed async Rust client crate from an OpenAPI 3.0 or 3.1 document (YAML or JSON).
///
/// Settings come from a configuration file (--config, or `openapi-rust-gen.toml` in the current
/// directory when no --spec is given) and flags, flags winning.
#[derive(Debug, Parser)]
#[command(name = "openapi-rust-gen", version, propagate_version = true, disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the crate: create and update its generated files, delete stale generated ones (never a hand-written file)
    Generate(Options),
    /// Write nothing; exit with 1 when `generate` would change the output
    Check(Options),
}

#[derive(Debug, Args)]
struct Options {
    /// The configuration file [default: openapi-rust-gen.toml in the current directory, if any, unless --spec is given]
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The OpenAPI document [default: the configuration's `spec`]
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// The crate's directory, created if missing [default: the configuration's `out`]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The package name [default: the configuration's, else the output directory's name]
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
    /// The package version [default: the configuration's, else 0.1.0]
    #[arg(long, value_name = "VERSION")]
    crate_version: Option<String>,
    /// Leave the empty [workspace] table out of Cargo.toml (for a crate that is a workspace member)
    #[arg(long)]
    in_workspace: bool,
    /// Print only errors (no warnings, no summary)
    #[arg(long, short)]
    quiet: bool,
    /// Print one JSON object on stdout (status, diagnostics with pointer, line and column, changes) and nothing else
    #[arg(long)]
    json: bool,
    /// Fail (exit 1, write nothing) when there is a warning
    #[arg(long)]
    deny_warnings: bool,
}

/// Runs the command line on `args` (the first is the program name); returns the exit code.
pub(crate) fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // Help and --version go to stdout with 0; usage errors to stderr with 2.
            let _ = err.print();
            return u8::try_from(err.exit_code()).unwrap_or(2);
        }
    };
    let (check, options) = match cli.command {
        Command::Generate(options) => (false, options),
        Command::Check(options) => (true, options),
    };
    let mut report = Report::new(if check { "check" } else { "generate" }, &options);
    let code = match execute(check, &options, &mut report) {
        Ok(code) => code,
        Err(Failure::Usage(err)) => {
            let _ = err.print();
            return u8::try_from(err.exit_code()).unwrap_or(2);
        }
        Err(Failure::Error(message)) => {
            report.error = Some(message);
            FAILURE
        }
    };
    report.finish(code);
    code
}

enum Failure {
    Usage(clap::Error),
    Error(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Error(message)
    }
}

/// A usage error of the subcommand `command`, printed as clap prints its own.
fn usage(command: &str, message: String) -> Failure {
    let mut cli = Cli::command();
    cli.build();
    let error = match cli.find_subcommand_mut(command) {
        Some(sub) => sub.error(clap::error::ErrorKind::MissingRequiredArgument, message),
        None => cli.error(clap::error::ErrorKind::MissingRequiredArgument, message),
    };
    Failure::Usage(error)
}

/// What the run says, printed as text as it goes, or as one JSON object at the end.
struct Report {
    json: bool,
    quiet: bool,
    command: &'static str,
    spec: Option<String>,
    out: Option<String>,
    diagnostics: Vec<Value>,
    changes: Vec<String>,
    summary: Option<Value>,
    error: Option<String>,
}

impl Report {
    fn new(command: &'static str, options: &Options) -> Self {
        Report {
            json: options.json,
            quiet: options.quiet,
            command,
            spec: None,
            out: None,
            diagnostics: Vec::new(),
            changes: Vec::new(),
            summary: None,
            error: None,
        }
    }

    fn diagnostic(&mut self, file: &str, diagnostic: &Diagnostic, stage: Option<String>) {
        let severity = match diagnostic.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        if self.json {
            self.diagnostics.push(json!({
                "severity": severity,
                "stage": stage,
                "file": file,
                "pointer": diagnostic.pointer,
                "line": diagnostic.location.map(|l| l.0),
                "column": diagnostic.location.map(|l| l.1),
                "message": diagnostic.message,
            }));
        } else if diagnostic.severity == Severity::Error || !self.quiet {
            eprintln!("{file}: {diagnostic}");
        }
    }

    fn finish(&self, code: u8) {
        if self.json {
            let value = json!({
                "command": self.command,
                "ok": code == SUCCESS,
                "spec": self.spec,
                "out": self.out,
                "error": self.error,
                "diagnostics": self.diagnostics,
                "changes": self.changes,
                "summary": self.summary,
            });
            println!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
        } else if let Some(error) = &self.error {
            eprintln!("error: {error}");
        }
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

fn execute(check: bool, options: &Options, report: &mut Report) -> Result<u8, Failure> {
    let started = std::time::Instant::now();
    let default_config = Path::new(config::FILE_NAME);
    let config_path = match &options.config {
        Some(path) => Some(path.clone()),
        // A document named on the command line is not mixed with a configuration found by chance.
        None if options.spec.is_none() && default_config.is_file() => Some(default_config.to_path_buf()),
        None => None,
    };
    let (config, base) = match &config_path {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", display(path)))?;
            let config = Config::from_toml(&text).map_err(|err| format!("{}: {err}", display(path)))?;
            (config, path.parent().map(Path::to_path_buf).unwrap_or_default())
        }
        None => (Config::default(), PathBuf::new()),
    };
    let (spec, source_name) = match (&options.spec, &config.spec) {
        (Some(spec), _) => (spec.clone(), display(spec).replace('\\', "/")),
        (None, Some(spec)) => (base.join(spec), spec.clone()),
        (None, None) => return Err(usage(report.command, "no document: pass `--spec <FILE>` or set `spec` in the configuration file".to_owned())),
    };
    let out = match (&options.out, &config.out) {
        (Some(out), _) => out.clone(),
        (None, Some(out)) => base.join(out),
        (None, None) => return Err(usage(report.command, "no output directory: pass `--out <DIR>` or set `out` in the configuration file".to_owned())),
    };
    report.spec = Some(display(&spec));
    report.out = Some(display(&out));
    let default_name = match (&options.crate_name, &config.krate.name) {
        (Some(name), _) => name.clone(),
        (None, Some(name)) => name.clone(),
        (None, None) => out
            .canonicalize()
            .unwrap_or_else(|_| out.clone())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| usage(report.command, "no crate name: pass `--crate-name <NAME>` (the output directory has no name)".to_owned()))?,
    };
    let mut settings = config.settings(&default_name, &source_name);
    if let Some(name) = &options.crate_name {
        settings.crate_name = name.clone();
    }
    if let Some(version) = &options.crate_version {
        settings.crate_version = version.clone();
    }
    if options.in_workspace {
        settings.standalone_workspace = false;
    }
    let hint = match &config.krate.header_command {
        Some(command) => format!("run `{command}`"),
        None => "run `openapi-rust-gen generate` with the same options".to_owned(),
    };
    let spec_name = display(&spec);
    let source = std::fs::read_to_string(&spec).map_err(|err| format!("cannot read {spec_name}: {err}"))?;
    let output = match generate(&source, &settings) {
        Ok(output) => output,
        Err(err) => {
            // A settings problem is in the configuration (or the flags), not the document.
            let file = match (err.stage, &config_path) {
                (Stage::Settings, Some(path)) => display(path),
                (Stage::Settings, None) => "settings".to_owned(),
                _ => spec_name.clone(),
            };
            for diagnostic in &err.diagnostics {
                report.diagnostic(&file, diagnostic, Some(err.stage.to_string()));
            }
            let count = err.errors().count();
            return Err(format!("{file}: the {} stage failed with {count} error{}", err.stage, if count == 1 { "" } else { "s" }).into());
        }
    };
    for warning in &output.warnings {
        report.diagnostic(&spec_name, warning, None);
    }
    if options.deny_warnings && !output.warnings.is_empty() {
        let count = output.warnings.len();
        return Err(format!("{count} warning{} denied by --deny-warnings: nothing written", if count == 1 { "" } else { "s" }).into());
    }
    let synced = fs_sync::sync(&out, &output.files, check).map_err(|err| match err.kind() {
        // The refusal to overwrite a hand-written file names the file itself.
        std::io::ErrorKind::Other => err.to_string(),
        _ => format!("cannot write {}: {err}", display(&out)),
    })?;
    report.changes = synced.changes();
    report.summary = Some(json!({
        "types": output.api.types.len(),
        "operations": output.api.operations.len(),
        "files": output.files.len(),
        "written": synced.created.len() + synced.updated.len(),
        "deleted": synced.deleted.len(),
        "unchanged": synced.unchanged,
    }));
    if check && !synced.is_clean() {
        return Err(format!("{} is stale: {hint}\n  {}", display(&out), synced.changes().join("\n  ")).into());
    }
    if !options.quiet && !options.json {
        println!(
            "{} {}: {} types, {} operations, {} files ({} written, {} deleted, {} unchanged) in {} ms",
            if check { "checked" } else { "generated" },
            display(&out),
            output.api.types.len(),
            output.api.operations.len(),
            output.files.len(),
            synced.created.len() + synced.updated.len(),
            synced.deleted.len(),
            synced.unchanged,
            started.elapsed().as_millis(),
        );
    }
    Ok(SUCCESS)
}
