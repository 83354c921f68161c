//! `cargo xtask bench <name>`: benchmarks that print figures (never timed tests).
//!
//! - `upload [MiB...]`: the upload helper against local storage (see `tests/bench_upload.rs`);
//! - `codegen`: the generator on `specs/` and on a synthesized Polar-sized document: time per
//!   stage, peak memory, generated lines, and `cargo check` time of the generated crate.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use openapi_rust_gen::{emit, load, resolve, Settings};

use crate::{cargo_project, project_root, synth, tools};

/// The synthesized document's size: Polar's whole API is about this.
const SYNTH_SCHEMAS: usize = 1000;
const SYNTH_OPERATIONS: usize = 200;
/// Runs of the pipeline per document; the median of each stage is reported.
const RUNS: usize = 5;

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    match args.first().map(String::as_str) {
        Some("upload") => tools::run(
            Command::new(&cargo)
                .current_dir(project_root())
                .args(["run", "--release", "--quiet", "--package", "integration-tests", "--example", "bench_upload", "--"])
                .args(&args[1..]),
        ),
        Some("codegen") => codegen(&cargo),
        _ => Err("usage: cargo xtask bench upload [size-in-MiB ...] | cargo xtask bench codegen".to_owned()),
    }
}

struct Figures {
    name: String,
    stages: [Duration; 5],
    peak_rss_kib: u64,
    lines: usize,
    types: usize,
    operations: usize,
    check: Duration,
    crate_name: String,
}

fn codegen(cargo: &str) -> Result<(), String> {
    let root = project_root();
    let dir = root.join("target").join("bench-codegen");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let synthesized = dir.join("synthetic.json");
    let document = synth::polar_like(SYNTH_SCHEMAS, SYNTH_OPERATIONS);
    std::fs::write(&synthesized, serde_json::to_string_pretty(&document).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let mut inputs = vec![
        ("specs/polar-files.openapi.yaml".to_owned(), root.join("specs").join("polar-files.openapi.yaml"), "bench-polar-files"),
        (format!("synthetic ({SYNTH_SCHEMAS} schemas, {SYNTH_OPERATIONS} operations)"), synthesized, "bench-synthetic"),
    ];
    // A real API of that size: Stripe's document, which the `openapiv3` crate ships among its
    // fixtures.
    let stripe = openapiv3_fixture("stripe.yaml")?;
    inputs.push(("stripe.yaml (openapiv3's fixture)".to_owned(), stripe, "bench-stripe"));
    // The generated crates are members of one workspace so their dependencies build once.
    let members: Vec<String> = inputs.iter().map(|(_, _, name)| format!("{name:?}")).collect();
    std::fs::write(dir.join("Cargo.toml"), format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", ")))
        .map_err(|e| e.to_string())?;
    cargo_project::use_project_lock(&root, &dir)?;
    let mut all = Vec::new();
    for (name, spec, crate_name) in inputs {
        // Generation in a child process, so its peak memory is the generator's alone.
        // Release build of the generator, whatever profile runs this.
        let output = Command::new(cargo)
            .current_dir(&root)
            .args(["run", "--release", "--quiet", "--package", "xtask", "--", "bench-codegen-child"])
            .arg(&spec)
            .arg(dir.join(crate_name))
            .arg(crate_name)
            .output()
            .map_err(|e| e.to_string())?;
        if !output.status.success() {
            return Err(format!("generating {name} failed: {}", String::from_utf8_lossy(&output.stderr)));
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let numbers: Vec<u64> = text.split_whitespace().map(|n| n.parse().unwrap_or_default()).collect();
        let [load, resolve, emit, format, write, peak, lines, types, operations] = numbers[..] else {
            return Err(format!("unexpected child output: {text}"));
        };
        let micros = Duration::from_micros;
        all.push(Figures {
            name,
            stages: [micros(load), micros(resolve), micros(emit), micros(format), micros(write)],
            peak_rss_kib: peak,
            lines: lines as usize,
            types: types as usize,
            operations: operations as usize,
            check: Duration::ZERO,
            crate_name: crate_name.to_owned(),
        });
    }
    // `cargo check` of each generated crate, dependencies already built.
    for figures in &mut all {
        let (name, crate_name) = (figures.name.clone(), figures.crate_name.clone());
        let crate_name = crate_name.as_str();
        let check = |dir: &Path| Command::new(cargo).current_dir(dir).args(["check", "--quiet", "--package", crate_name]).status();
        let status = check(&dir).map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("the crate generated from {name} does not check"));
        }
        touch(&dir.join(crate_name).join("src").join("lib.rs"))?;
        let started = Instant::now();
        let status = check(&dir).map_err(|e| e.to_string())?;
        let check_time = started.elapsed();
        if !status.success() {
            return Err(format!("the crate generated from {name} does not check"));
        }
        figures.check = check_time;
    }
    println!();
    println!("| document | types | ops | load | resolve | emit | format | write | total | peak RSS | generated lines | cargo check |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for f in &all {
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        let total: Duration = f.stages.iter().sum();
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} MiB | {} | {:.2} s |",
            f.name,
            f.types,
            f.operations,
            ms(f.stages[0]),
            ms(f.stages[1]),
            ms(f.stages[2]),
            ms(f.stages[3]),
            ms(f.stages[4]),
            ms(total),
            f.peak_rss_kib as f64 / 1024.0,
            f.lines,
            f.check.as_secs_f64()
        );
    }
    println!();
    println!("Stage times are medians of {RUNS} runs (release build); `cargo check` is of the touched crate with its dependencies built.");
    if let Some(large) = all.iter().find(|f| f.crate_name == "bench-synthetic") {
        let total: Duration = large.stages.iter().sum();
        let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
        println!(
            "Targets: large document generated in {:.0} ms (target < 1 s: {}); its crate checks in {:.1} s (target < 30 s: {})",
            total.as_secs_f64() * 1000.0,
            verdict(total < Duration::from_secs(1)),
            large.check.as_secs_f64(),
            verdict(large.check < Duration::from_secs(30)),
        );
    }
    Ok(())
}

/// A fixture document of the `openapiv3` crate, located through `cargo metadata` (which
/// downloads the package if this machine has not yet).
fn openapiv3_fixture(name: &str) -> Result<PathBuf, String> {
    let metadata = cargo_project::workspace_metadata(&project_root())?;
    let package = metadata.packages.iter().find(|p| p.name.as_str() == "openapiv3").ok_or("openapiv3 is not in the dependency graph")?;
    let path = package.manifest_path.parent().ok_or("no parent")?.join("fixtures").join(name);
    if path.exists() {
        Ok(path.into())
    } else {
        Err(format!("{path} does not exist"))
    }
}

fn touch(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| e.to_string())
}

/// The child: runs the pipeline [`RUNS`] times, writes the crate, prints
/// `load resolve emit format write (µs, medians) peak-rss-KiB lines types operations`.
pub(crate) fn child(args: &[String]) -> Result<(), String> {
    let [spec, out, crate_name] = args else { return Err("usage: bench-codegen-child <spec> <out> <crate-name>".to_owned()) };
    let source = std::fs::read_to_string(spec).map_err(|e| e.to_string())?;
    let mut settings = Settings::standalone(crate_name, spec);
    settings.standalone_workspace = false;
    let mut samples: Vec<[Duration; 5]> = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let t0 = Instant::now();
        let loaded = load::load(&source).map_err(|e| e.to_string())?;
        let t1 = Instant::now();
        let (api, _) = resolve::resolve(&loaded).map_err(|e| e.to_string())?;
        let t2 = Instant::now();
        let tokens = emit::tokens(&api, &settings);
        let t3 = Instant::now();
        let files = emit::format(tokens, &settings).map_err(|e| e.to_string())?;
        let t4 = Instant::now();
        let out = PathBuf::from(out);
        let _ = std::fs::remove_dir_all(out.join("src"));
        for file in &files {
            let path = out.join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap_or(&out)).map_err(|e| e.to_string())?;
            std::fs::write(&path, &file.contents).map_err(|e| e.to_string())?;
        }
        let t5 = Instant::now();
        samples.push([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4]);
        last = Some((files, api));
    }
    let Some((files, api)) = last else { return Err("no run".to_owned()) };
    let median = |stage: usize| {
        let mut values: Vec<Duration> = samples.iter().map(|s| s[stage]).collect();
        values.sort();
        values[values.len() / 2].as_micros()
    };
    let lines: usize = files.iter().filter(|f| f.path.ends_with(".rs")).map(|f| f.contents.lines().count()).sum();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok()).unwrap_or(0);
    println!(
        "{} {} {} {} {} {peak} {lines} {} {}",
        median(0),
        median(1),
        median(2),
        median(3),
        median(4),
        api.types.len(),
        api.operations.len()
    );
    Ok(())
}
