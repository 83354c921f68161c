//! The declared `rust-version`s are true: each workspace member declares at least the highest
//! `rust-version` of the packages it builds with (its normal and build dependencies, transitively,
//! in the committed lock file, on this platform), and the generator writes the same declaration
//! into the crates it generates, whose dependencies are those of `polar-files`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use cargo_metadata::semver::Version;
use cargo_metadata::{DependencyKind, Metadata, PackageId};
use integration_tests::{cargo_project::workspace_metadata, root};

/// `(highest rust-version, the package that declares it)` among what `member` builds with.
fn highest_dependency_msrv(metadata: &Metadata, member: &PackageId) -> Option<(Version, String)> {
    let resolve = metadata.resolve.as_ref().expect("metadata has a resolve graph");
    let nodes: BTreeMap<&PackageId, _> = resolve.nodes.iter().map(|n| (&n.id, n)).collect();
    let packages: BTreeMap<&PackageId, _> = metadata.packages.iter().map(|p| (&p.id, p)).collect();
    let mut seen = BTreeSet::new();
    let mut stack = vec![member];
    let mut highest: Option<(Version, String)> = None;
    while let Some(id) = stack.pop() {
        for dep in &nodes[id].deps {
            // A member's dev-dependencies build its tests, not the member; theirs never count.
            let builds_with = dep.dep_kinds.iter().any(|k| k.kind != DependencyKind::Development);
            if builds_with && seen.insert(&dep.pkg) {
                stack.push(&dep.pkg);
                let package = packages[&dep.pkg];
                if let Some(version) = &package.rust_version {
                    if highest.as_ref().is_none_or(|(h, _)| version > h) {
                        highest = Some((version.clone(), format!("{} {}", package.name, package.version)));
                    }
                }
            }
        }
    }
    highest
}

#[test]
fn declared_rust_versions_cover_the_locked_dependencies() {
    let metadata = workspace_metadata(&root()).unwrap();
    let mut problems = Vec::new();
    let mut checked = 0;
    for id in &metadata.workspace_members {
        let package = metadata.packages.iter().find(|p| &p.id == id).unwrap();
        let declared = package.rust_version.clone().unwrap_or_else(|| panic!("{} declares no rust-version", package.name));
        if let Some((needed, by)) = highest_dependency_msrv(&metadata, id) {
            checked += 1;
            if declared < needed {
                problems.push(format!("{} declares rust-version {declared}, but {by} needs {needed}", package.name));
            }
        }
    }
    assert_eq!(checked, metadata.workspace_members.len(), "every member has dependencies");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Generated crates declare the generator's `rust-version`, which covers `polar-files`'s
/// dependencies (a superset of a generated crate's: the upload helper's are extra), and it is the
/// one `generated/Cargo.toml` inherits from the workspace.
#[test]
fn generated_crates_declare_a_true_rust_version() {
    let metadata = workspace_metadata(&root()).unwrap();
    let polar_files = metadata.packages.iter().find(|p| p.name.as_str() == "polar-files").unwrap();
    let declared = Version::parse(&format!("{}.0", openapi_rust_gen::RUST_VERSION))
        .or_else(|_| Version::parse(openapi_rust_gen::RUST_VERSION))
        .unwrap();
    assert_eq!(polar_files.rust_version.as_ref(), Some(&declared), "generated/ and the generator disagree");
    let (needed, by) = highest_dependency_msrv(&metadata, &polar_files.id).unwrap();
    assert!(declared >= needed, "the generator writes rust-version {declared}, but {by} needs {needed}");
    // And it is what a standalone crate's manifest says.
    let source = std::fs::read_to_string(integration_tests::spec_path()).unwrap();
    let output = openapi_rust_gen::generate(&source, &openapi_rust_gen::Settings::standalone("x", "x.yaml")).unwrap();
    let manifest = &output.files.iter().find(|f| f.path == "Cargo.toml").unwrap().contents;
    assert!(manifest.contains(&format!("\nrust-version = \"{}\"\n", openapi_rust_gen::RUST_VERSION)), "{manifest}");
}

/// The hand-written manifests of crates that hold generated code (`generated/`, the build-script
/// example) depend on everything a standalone generated crate's `Cargo.toml` lists (the runtime's
/// manifest's list, `generator/runtime/Cargo.toml`, copied by the generator), with the same
/// version requirement, default features and features, optional where it is optional (behind a
/// feature of the same name and effect: `middleware`, `mock`): one dependency list, checked.
#[test]
fn hand_written_manifests_carry_the_generated_dependencies() {
    let source = std::fs::read_to_string(integration_tests::spec_path()).unwrap();
    let output = openapi_rust_gen::generate(&source, &openapi_rust_gen::Settings::standalone("x", "x.yaml")).unwrap();
    let manifest: toml::Table = output.files.iter().find(|f| f.path == "Cargo.toml").unwrap().contents.parse().unwrap();
    let wanted = manifest["dependencies"].as_table().unwrap();
    assert!(wanted.len() >= 10, "{wanted:?}");
    let metadata = workspace_metadata(&root()).unwrap();
    let mut problems = Vec::new();
    for crate_name in ["polar-files", "build-script-example"] {
        let package = metadata.packages.iter().find(|p| p.name.as_str() == crate_name).unwrap();
        for (name, spec) in wanted {
            let (req, default_features, features) = match spec {
                toml::Value::String(req) => (req.clone(), true, Vec::new()),
                toml::Value::Table(t) => (
                    t["version"].as_str().unwrap().to_owned(),
                    t.get("default-features").and_then(toml::Value::as_bool).unwrap_or(true),
                    t.get("features").and_then(toml::Value::as_array).map(|a| a.iter().map(|f| f.as_str().unwrap().to_owned()).collect()).unwrap_or_default(),
                ),
                other => panic!("{name}: {other:?}"),
            };
            let req = cargo_metadata::semver::VersionReq::parse(&req).unwrap();
            let found = package.dependencies.iter().find(|d| d.name == *name && d.kind == DependencyKind::Normal);
            match found {
                None => problems.push(format!("{crate_name} does not depend on {name}")),
                Some(dep) if dep.req != req || dep.uses_default_features != default_features || !features.iter().all(|f| dep.features.contains(f)) => {
                    problems.push(format!(
                        "{crate_name}: {name} is {} (default features {}, {:?}); generated crates use {req} (default features {default_features}, {features:?})",
                        dep.req, dep.uses_default_features, dep.features
                    ));
                }
                Some(dep) => {
                    // An optional part of the generated code (`middleware`, `mock`) is optional
                    // here too, behind a feature of the same name and effect.
                    let optional = spec.as_table().and_then(|t| t.get("optional")).and_then(toml::Value::as_bool).unwrap_or(false);
                    if dep.optional != optional {
                        problems.push(format!("{crate_name}: {name} is optional: {}; generated crates: {optional}", dep.optional));
                    }
                }
            }
        }
        let generated_features = manifest["features"].as_table().unwrap();
        for (feature, enables) in generated_features {
            let enables: Vec<String> = enables.as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_owned()).collect();
            if !enables.iter().any(|f| f.starts_with("dep:")) {
                continue; // TLS backends: a crate may pick one itself
            }
            if package.features.get(feature) != Some(&enables) {
                problems.push(format!("{crate_name}: feature {feature} is {:?}; generated crates: {enables:?}", package.features.get(feature)));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The TLS backend is a feature of `polar-files` (and of every generated crate): rustls (with the
/// platform's verifier and roots) by default, native-tls instead; each brings only its own. And
/// the graph has one version of the crates it shares with reqwest.
#[test]
fn tls_backends_are_features() {
    let tree = |features: &[&str]| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut command = std::process::Command::new(cargo);
        command.current_dir(root()).args(["tree", "-p", "polar-files", "-e", "normal", "--prefix", "none"]);
        if !features.is_empty() {
            command.args(["--no-default-features", "--features", &features.join(",")]);
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let names: BTreeSet<String> =
            String::from_utf8_lossy(&output.stdout).lines().filter_map(|l| l.split_whitespace().next()).map(str::to_owned).collect();
        names
    };
    let default = tree(&[]);
    assert!(default.contains("rustls") && default.contains("rustls-platform-verifier"), "{default:?}");
    assert!(!default.contains("native-tls"), "{default:?}");
    let native = tree(&["native-tls"]);
    assert!(native.contains("native-tls") && !native.contains("rustls"), "{native:?}");
    // One version of each crate the runtime and the upload helper share with reqwest.
    let versions = |name: &str| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = std::process::Command::new(cargo)
            .current_dir(root())
            .args(["tree", "-p", "polar-files", "-e", "normal", "--prefix", "none", "-i", name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stderr).contains("multiple")
    };
    for name in ["base64", "sha2", "http", "bytes"] {
        assert!(!versions(name), "several versions of {name} in polar-files' graph");
    }
    // And the generator offers the same features.
    let manifest = openapi_rust_gen::generate(
        &std::fs::read_to_string(integration_tests::spec_path()).unwrap(),
        &openapi_rust_gen::Settings::standalone("polar-files", "specs/polar-files.openapi.yaml"),
    )
    .unwrap()
    .files
    .into_iter()
    .find(|f| f.path == "Cargo.toml")
    .unwrap()
    .contents;
    for line in ["default = [\"rustls\"]", "rustls = [\"reqwest/rustls\"]", "native-tls = [\"reqwest/native-tls\"]", "reqwest = { version = \"0.13"] {
        assert!(manifest.contains(line), "{line} missing from {manifest}");
    }
    let generated = std::fs::read_to_string(root().join("generated/Cargo.toml")).unwrap();
    for line in ["default = [\"rustls\"]", "rustls = [\"reqwest/rustls\"]", "native-tls = [\"reqwest/native-tls\"]", "reqwest = { version = \"0.13"] {
        assert!(generated.contains(line), "{line} missing from generated/Cargo.toml");
    }
}
