//! The README's code compiles as printed: every Rust snippet of `README.md` and of the crate-root
//! docs of `polar-files` is built in a crate outside this workspace whose only dependencies are
//! the ones the README's `[dependencies]` block lists (with the repository pointed at this
//! checkout), as a new user would paste them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

use integration_tests::root;

/// A fenced code block: its info string and its lines.
#[derive(Debug)]
struct Block {
    info: String,
    code: String,
    origin: String,
}

/// The fenced code blocks of Markdown text, in order.
fn blocks(markdown: &str, origin: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String, usize)> = None;
    for (number, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match (&mut open, trimmed.strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.trim().to_owned(), String::new(), number + 1)),
            (Some(_), Some(rest)) if rest.trim().is_empty() => {
                let (info, code, start) = open.take().unwrap();
                blocks.push(Block { info, code, origin: format!("{origin}:{start}") });
            }
            (Some((_, code, _)), _) => {
                code.push_str(line);
                code.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "{origin}: an unclosed code block");
    blocks
}

/// Whether rustdoc (and so a reader) takes the block for Rust: an empty info string or one whose
/// first attribute is `rust` or a rustdoc attribute.
fn is_rust(info: &str, default_rust: bool) -> bool {
    let first = info.split(',').next().unwrap_or("").trim();
    match first {
        "" => default_rust,
        "rust" | "no_run" | "should_panic" | "edition2021" => true,
        _ => false,
    }
}

/// The program rustdoc would compile for a snippet: hidden lines (`# `) shown, and the code
/// wrapped in `fn main` unless it has one.
fn program(code: &str) -> String {
    let mut shown = String::new();
    for line in code.lines() {
        let trimmed = line.trim_start();
        let line = if trimmed == "#" {
            ""
        } else if let Some(rest) = trimmed.strip_prefix("# ") {
            rest
        } else if trimmed.starts_with("##") {
            // `##` is an escaped `#` in rustdoc: the line is shown with one `#`.
            &trimmed[1..]
        } else {
            line
        };
        shown.push_str(line);
        shown.push('\n');
    }
    let body = if shown.contains("fn main(") { shown } else { format!("fn main() {{\n{shown}}}\n") };
    // What rustdoc adds to every doctest.
    format!("#![allow(unused)]\n{body}")
}

/// The crate-root docs of `polar-files` (`//!` lines of `generated/src/lib.rs`) as Markdown.
fn crate_docs() -> String {
    let source = std::fs::read_to_string(root().join("generated").join("src").join("lib.rs")).unwrap();
    source
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn readme_snippets_compile_with_only_the_readme_dependencies() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let readme_blocks = blocks(&readme, "README.md");
    let dependencies: Vec<&Block> =
        readme_blocks.iter().filter(|b| b.info == "toml" && b.code.contains("[dependencies]") && b.code.contains("polar-files")).collect();
    let [dependencies] = dependencies[..] else { panic!("the README has one `[dependencies]` block for polar-files: {dependencies:#?}") };
    let placeholder = r#"git = "<this repository>""#;
    assert!(dependencies.code.contains(placeholder), "the README's dependency on polar-files is not `{placeholder}`");
    let generated = root().join("generated");
    let dependencies = dependencies.code.replace(placeholder, &format!("path = {:?}", generated.to_string_lossy()));

    let mut snippets: Vec<&Block> = readme_blocks.iter().filter(|b| is_rust(&b.info, false)).collect();
    let docs = crate_docs();
    let doc_blocks = blocks(&docs, "generated/src/lib.rs (crate docs)");
    snippets.extend(doc_blocks.iter().filter(|b| is_rust(&b.info, true)));
    let from_readme = snippets.iter().filter(|b| b.origin.starts_with("README")).count();
    assert!(from_readme >= 2 && snippets.len() > from_readme, "expected the README's snippets and the crate's quick start: {snippets:#?}");

    let dir = root().join("target").join("readme-check");
    let _ = std::fs::remove_dir_all(dir.join("examples"));
    std::fs::create_dir_all(dir.join("examples")).unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src").join("lib.rs"), "//! A new user's crate.\n").unwrap();
    let manifest = format!(
        "[package]\nname = \"readme-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n{dependencies}\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    integration_tests::cargo_project::use_project_lock(&root(), &dir).unwrap();
    let mut origins = Vec::new();
    for (i, block) in snippets.iter().enumerate() {
        std::fs::write(dir.join("examples").join(format!("snippet_{i}.rs")), program(&block.code)).unwrap();
        origins.push(format!("examples/snippet_{i}.rs: {} ({})", block.origin, block.info));
    }
    check(&dir, &origins.join("\n"));
}

fn check(dir: &Path, origins: &str) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .args(["check", "--examples", "--quiet"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "a README snippet does not compile with the README's dependencies\n{origins}\n\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn snippet_programs_are_what_rustdoc_compiles() {
    let code = "# async fn f() {\nlet x = 1;\n#\n# }\n";
    assert_eq!(program(code), "#![allow(unused)]\nfn main() {\nasync fn f() {\nlet x = 1;\n\n}\n}\n");
    let main = "fn main() {}\n";
    assert_eq!(program(main), "#![allow(unused)]\nfn main() {}\n");
    let found = blocks("text\n```rust,no_run\na\n```\n```sh\nb\n```\n", "t");
    assert_eq!(found.len(), 2);
    assert!(is_rust(&found[0].info, false) && !is_rust(&found[1].info, false));
    assert_eq!(found[0].code, "a\n");
}
