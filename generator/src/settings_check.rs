//! The settings that do not depend on the document, checked before anything is generated: a
//! crate name and version cargo accepts, hand-written modules that are Rust module names and do
//! not collide with the generated ones, a header name HTTP accepts, an environment variable name.
//! Every problem is reported at once (`Stage::Settings`, pointer = the configuration key).

use std::collections::BTreeSet;

use crate::customize::settings_error;
use crate::{Diagnostic, Error, Settings, Stage};

/// The modules every generated crate declares.
const GENERATED_MODULES: &[&str] = &["client", "models", "runtime"];

pub(crate) fn check(settings: &Settings) -> Result<(), Error> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    if let Some(why) = bad_package_name(&settings.crate_name) {
        problems.push(settings_error("crate.name", format!("`{}` is not a cargo package name: {why}", settings.crate_name)));
    }
    if !is_semver(&settings.crate_version) {
        problems.push(settings_error(
            "crate.version",
            format!("`{}` is not a version cargo accepts (MAJOR.MINOR.PATCH, as `0.1.0`)", settings.crate_version),
        ));
    }
    let mut seen = BTreeSet::new();
    for module in &settings.extra_modules {
        let key = "crate.extra-modules";
        let is_module = syn::parse_str::<syn::Ident>(module).is_ok()
            && !module.starts_with("r#")
            && module.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !is_module {
            problems.push(settings_error(key, format!("`{module}` is not a Rust module name (snake_case, not a keyword)")));
        } else if GENERATED_MODULES.contains(&module.as_str()) {
            problems.push(settings_error(key, format!("`{module}` is a module the generator writes")));
        } else if !seen.insert(module) {
            problems.push(settings_error(key, format!("`{module}` is listed twice")));
        }
    }
    if let Some(header) = &settings.version_header {
        // RFC 9110 `token`.
        let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if header.is_empty() || !header.chars().all(tchar) {
            problems.push(settings_error("client.version-header", format!("`{header}` is not an HTTP header name")));
        }
    }
    if let Some(variable) = &settings.token_env {
        if variable.is_empty() || variable.contains(['=', '\0']) {
            problems.push(settings_error("client.token-env", format!("`{variable}` is not an environment variable name")));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error { stage: Stage::Settings, diagnostics: problems })
    }
}

/// Why `name` is not a package name cargo accepts, if it is not.
fn bad_package_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("it is empty")
    } else if name.len() > 64 {
        Some("it is longer than 64 characters")
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Some("only ASCII letters, digits, `-` and `_` are allowed")
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        Some("it starts with a digit")
    } else {
        None
    }
}

/// Whether `version` is a semantic version (`1.2.3`, `1.2.3-rc.1`, `1.2.3+build`).
fn is_semver(version: &str) -> bool {
    let (version, build) = version.split_once('+').map_or((version, None), |(v, b)| (v, Some(b)));
    let (core, pre) = version.split_once('-').map_or((version, None), |(c, p)| (c, Some(p)));
    let identifiers = |text: &str| !text.is_empty() && text.split('.').all(|i| !i.is_empty() && i.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let numbers: Vec<&str> = core.split('.').collect();
    numbers.len() == 3
        && numbers.iter().all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && (n.len() == 1 || !n.starts_with('0')))
        && pre.is_none_or(identifiers)
        && build.is_none_or(identifiers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(settings: &Settings) -> Vec<String> {
        check(settings).err().map(|e| e.diagnostics.iter().map(|d| format!("{}: {}", d.pointer, d.message)).collect()).unwrap_or_default()
    }

    #[test]
    fn good_settings_pass() {
        let mut settings = Settings::standalone("polar-files", "x.yaml");
        settings.extra_modules = vec!["upload".into(), "ids2".into()];
        settings.version_header = Some("Polar-Version".into());
        settings.token_env = Some("POLAR_ACCESS_TOKEN".into());
        assert_eq!(problems(&settings), Vec::<String>::new());
        for version in ["0.1.0", "1.2.3-rc.1", "10.20.30+build.5"] {
            assert!(is_semver(version), "{version}");
        }
    }

    #[test]
    fn every_bad_setting_is_reported_at_once() {
        let mut settings = Settings::standalone("my crate", "x.yaml");
        settings.crate_version = "not-semver".into();
        settings.extra_modules = vec!["my-mod".into(), "".into(), "r#type".into(), "models".into(), "up".into(), "up".into(), "type".into()];
        settings.version_header = Some("X\"); panic!(".into());
        settings.token_env = Some("A=B".into());
        let found = problems(&settings);
        assert_eq!(found.len(), 10, "{found:#?}");
        assert!(found[0].starts_with("crate.name: `my crate` is not a cargo package name"), "{found:#?}");
        assert!(found.iter().any(|p| p.contains("`models` is a module the generator writes")), "{found:#?}");
        assert!(found.iter().any(|p| p.contains("`up` is listed twice")), "{found:#?}");
        for name in ["", "1abc", "../evil"] {
            assert!(bad_package_name(name).is_some(), "{name}");
        }
        for version in ["1.2", "01.2.3", "1.2.3-", "v1.2.3"] {
            assert!(!is_semver(version), "{version}");
        }
    }
}
