//! The configuration file, `openapi-rust-gen.toml`: every [`Settings`] field, plus where the
//! document is and where the crate goes. Parsed from text here (the library reads no files);
//! paths in it are relative to the file's directory, which the caller resolves.
//!
//! ```toml
//! spec = "specs/polar-files.openapi.yaml"  # the document
//! out = "generated"                         # the crate's directory
//!
//! [crate]
//! name = "polar-files"
//! version = "0.1.0"
//! cargo-toml = false          # write Cargo.toml (default true)
//! own-workspace = false       # that Cargo.toml has an empty [workspace] (default true)
//! extra-modules = ["upload"]  # hand-written modules declared in lib.rs
//! header-command = "cargo xtask codegen"  # named in every file's do-not-edit header
//!
//! [client]
//! version-header = "Polar-Version"
//! token-env = "POLAR_ACCESS_TOKEN"
//!
//! [filter]                    # every non-empty list must match; inside a list, any entry
//! tags = ["files"]
//! paths = ["/v1/files"]
//! operations = []             # operationIds
//!
//! [types]
//! derives = ["Eq"]            # on every model
//! derive = { FileUpload = ["Hash"] }
//! replace = { FileRead = "my_crate::File" }
//! format = { uuid = "my_crate::Id" }
//! rename = { FileRead = "File" }
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::filter::Filter;
use crate::Settings;

/// The file name the command line looks for in the current directory.
pub const FILE_NAME: &str = "openapi-rust-gen.toml";

/// A parsed configuration file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// The document, relative to the configuration file.
    pub spec: Option<String>,
    /// The crate's directory, relative to the configuration file.
    pub out: Option<String>,
    /// `[crate]`.
    #[serde(default, rename = "crate")]
    pub krate: CrateSection,
    /// `[client]`.
    #[serde(default)]
    pub client: ClientSection,
    /// `[filter]`.
    #[serde(default)]
    pub filter: FilterSection,
    /// `[types]`.
    #[serde(default)]
    pub types: TypesSection,
}

/// `[crate]`: the generated crate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CrateSection {
    /// The package name (default: the output directory's name).
    pub name: Option<String>,
    /// The package version (default `0.1.0`).
    pub version: Option<String>,
    /// Whether to write `Cargo.toml` (default true).
    pub cargo_toml: Option<bool>,
    /// Whether that `Cargo.toml` has an empty `[workspace]` (default true).
    pub own_workspace: Option<bool>,
    /// Hand-written modules to declare in `lib.rs`.
    #[serde(default)]
    pub extra_modules: Vec<String>,
    /// The command named in every file's header (default `openapi-rust-gen`).
    pub header_command: Option<String>,
}

/// `[client]`: what the client sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClientSection {
    /// A header carrying `info.version` on every request.
    pub version_header: Option<String>,
    /// The environment variable the token is read from.
    pub token_env: Option<String>,
}

/// `[filter]`: which operations to generate (see [`Filter`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FilterSection {
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Path prefixes.
    #[serde(default)]
    pub paths: Vec<String>,
    /// `operationId`s.
    #[serde(default)]
    pub operations: Vec<String>,
}

/// `[types]`: derives, replacements and renames, keyed by the generated type names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TypesSection {
    /// Derives added to every model.
    #[serde(default)]
    pub derives: Vec<String>,
    /// Derives added to one model.
    #[serde(default)]
    pub derive: BTreeMap<String, Vec<String>>,
    /// A generated type → an existing Rust type used instead.
    #[serde(default)]
    pub replace: BTreeMap<String, String>,
    /// A format (`uuid`, `date-time`, `date`) → the Rust type used for it.
    #[serde(default)]
    pub format: BTreeMap<String, String>,
    /// A generated type → its new name.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
}

/// A configuration file that could not be read: the parser's message, which names the line,
/// the column and the key (an unknown key is refused).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// What is wrong, with the offending line shown.
    pub message: String,
    /// Line and column (from 1), where known.
    pub location: Option<(usize, usize)>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message.trim_end())
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Parses a configuration file's text.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|err: toml::de::Error| {
            let location = err.span().map(|span| {
                let before = text.get(..span.start).unwrap_or(text);
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                (line, column)
            });
            ConfigError { message: err.to_string(), location }
        })
    }

    /// The settings it describes. `crate_name` is the name to use when the file gives none;
    /// `source_name` is how headers cite the document.
    pub fn settings(&self, crate_name: &str, source_name: &str) -> Settings {
        let mut settings = Settings::standalone(self.krate.name.as_deref().unwrap_or(crate_name), source_name);
        if let Some(version) = &self.krate.version {
            settings.crate_version = version.clone();
        }
        if let Some(command) = &self.krate.header_command {
            settings.command = command.clone();
        }
        settings.standalone = self.krate.cargo_toml.unwrap_or(true);
        settings.standalone_workspace = self.krate.own_workspace.unwrap_or(true);
        settings.extra_modules = self.krate.extra_modules.clone();
        settings.version_header = self.client.version_header.clone();
        settings.token_env = self.client.token_env.clone();
        settings.filter = Filter {
            tags: self.filter.tags.clone(),
            paths: self.filter.paths.clone(),
            operations: self.filter.operations.clone(),
        };
        settings.derives = self.types.derives.clone();
        settings.type_derives = self.types.derive.clone();
        settings.replace_types = self.types.replace.clone();
        settings.replace_formats = self.types.format.clone();
        settings.renames = self.types.rename.clone();
        settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_is_read() {
        let config = Config::from_toml(
            r#"
spec = "a.yaml"
out = "out"
[crate]
name = "x"
version = "1.2.3"
cargo-toml = false
own-workspace = false
extra-modules = ["upload"]
header-command = "make"
[client]
version-header = "V"
token-env = "T"
[filter]
tags = ["files"]
paths = ["/v1/files"]
operations = ["files:list"]
[types]
derives = ["Eq"]
derive = { A = ["Hash"] }
replace = { B = "my::B" }
format = { uuid = "my::Id" }
rename = { C = "D" }
"#,
        )
        .unwrap();
        let settings = config.settings("ignored", "a.yaml");
        assert_eq!(
            settings,
            Settings {
                crate_name: "x".into(),
                crate_version: "1.2.3".into(),
                command: "make".into(),
                source_name: "a.yaml".into(),
                standalone: false,
                standalone_workspace: false,
                extra_modules: vec!["upload".into()],
                version_header: Some("V".into()),
                token_env: Some("T".into()),
                filter: Filter { tags: vec!["files".into()], paths: vec!["/v1/files".into()], operations: vec!["files:list".into()] },
                derives: vec!["Eq".into()],
                type_derives: [("A".to_owned(), vec!["Hash".to_owned()])].into(),
                replace_types: [("B".to_owned(), "my::B".to_owned())].into(),
                replace_formats: [("uuid".to_owned(), "my::Id".to_owned())].into(),
                renames: [("C".to_owned(), "D".to_owned())].into(),
            }
        );
        assert_eq!((config.spec.as_deref(), config.out.as_deref()), (Some("a.yaml"), Some("out")));
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_place() {
        let err = Config::from_toml("spec = \"a.yaml\"\n[client]\ntoken-var = \"T\"\n").unwrap_err();
        assert_eq!(err.location, Some((3, 1)));
        assert!(err.message.contains("unknown field `token-var`, expected `version-header` or `token-env`"), "{}", err.message);
    }

    #[test]
    fn defaults_are_a_standalone_crate() {
        let settings = Config::from_toml("").unwrap().settings("my-api", "api.yaml");
        assert_eq!(settings, Settings::standalone("my-api", "api.yaml"));
    }
}
