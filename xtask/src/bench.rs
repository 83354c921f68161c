//! `cargo xtask bench <name>`: benchmarks that print figures (never timed tests).
//!
//! - `upload [MiB...]`: the upload helper against local storage (see `tests/bench_upload.rs`);
//! - `codegen [--baseline <rev>|none] [--runs N] [--builds N]`: the generator of this checkout
//!   beside the generator of a baseline commit, on the same documents, in one run (see [`codegen`]).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use nix::sys::resource::{getrusage, UsageWho};
use nix::time::{clock_gettime, ClockId};
use openapi_rust_gen::{emit, load, resolve, Settings};

use crate::{cargo_project, project_root, synth};

/// The synthesized document's size: Polar's whole API is about this.
const SYNTH_SCHEMAS: usize = 1000;
const SYNTH_OPERATIONS: usize = 200;
/// The commit before the work of issue 13 (lean code, speed): what `--baseline` defaults to.
const DEFAULT_BASELINE: &str = "ec1b003";
/// Generations per generator and document (medians are reported).
const DEFAULT_RUNS: usize = 5;
/// Timed rebuilds of the crate generated from `specs/` per generator (the median is reported).
const DEFAULT_BUILDS: usize = 3;
/// Bare parses per document (the median is reported).
const PARSES: usize = 15;
/// The whole-API-sized documents the targets are about.
const TARGET_CPU_RATIO: f64 = 10.0;
const TARGET_PEAK_RATIO: f64 = 30.0;

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let cargo = cargo();
    match args.first().map(String::as_str) {
        Some("upload") => crate::tools::run(
            Command::new(&cargo)
                .current_dir(project_root())
                .args(["run", "--release", "--quiet", "--package", "integration-tests", "--example", "bench_upload", "--"])
                .args(&args[1..]),
        ),
        // Timings mean something in a release build only (the bare parse is timed in this
        // process): the benchmark itself runs as the release build of this tool.
        Some("codegen") => {
            options(&args[1..])?;
            crate::tools::run(
                Command::new(&cargo)
                    .current_dir(project_root())
                    .args(["run", "--release", "--quiet", "--package", "xtask", "--", "bench-codegen"])
                    .args(&args[1..]),
            )
        }
        _ => Err("usage: cargo xtask bench upload [size-in-MiB ...] | cargo xtask bench codegen [--baseline <rev>|none] [--runs N] [--builds N]".to_owned()),
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

#[derive(Debug)]
struct Options {
    /// The commit to compare with; `None` for none.
    baseline: Option<String>,
    runs: usize,
    builds: usize,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options { baseline: Some(DEFAULT_BASELINE.to_owned()), runs: DEFAULT_RUNS, builds: DEFAULT_BUILDS };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| args.next().cloned()).ok_or_else(|| format!("`{flag}` needs a value"));
        let count = |text: String| text.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| format!("`{flag}` takes a positive number, not `{text}`"));
        match flag {
            "--baseline" => options.baseline = Some(value()?).filter(|rev| rev != "none"),
            "--runs" => options.runs = count(value()?)?,
            "--builds" => options.builds = count(value()?)?,
            other => return Err(format!("unknown option `{other}` of `bench codegen` (--baseline <rev>|none, --runs N, --builds N)")),
        }
    }
    Ok(options)
}

/// A document the generators are run on, as JSON text (so a bare `serde_json` parse of the very
/// same text is the yardstick).
#[derive(Debug)]
struct Document {
    label: String,
    path: PathBuf,
    bytes: usize,
    /// CPU time of a bare `serde_json::Value` parse (median).
    parse_cpu: Duration,
    /// Whether the targets (CPU ratio, peak memory) are about it.
    whole_api: bool,
}

/// A generator's command line: the baseline's or this checkout's.
#[derive(Debug)]
struct Generator {
    label: String,
    binary: PathBuf,
    /// Its checkout, whose `Cargo.lock` the crates it generates build with.
    checkout: PathBuf,
}

/// One document through one generator: medians over the runs, the highest peak.
#[derive(Debug)]
struct Generation {
    cpu: Duration,
    wall: Duration,
    peak_kib: u64,
    lines: usize,
}

/// The benchmark, run as the release build of this tool.
///
/// For the synthesized whole-API document, Stripe's document and Polar's files document (each as
/// JSON text), for the baseline's generator and this checkout's (their command lines, release
/// builds, each run a child process of a measuring child, so its CPU time, all threads, and
/// peak memory are its own): generation CPU time as a ratio to a bare `serde_json::Value` parse
/// of the same text timed here, wall time, peak memory as a multiple of the text's size, and the
/// lines of Rust generated; then the `cargo build` time of the crate each generates from
/// `specs/` (dependencies built once; medians of `--builds` rebuilds after every generated file
/// is touched, and of `--builds` builds after `cargo clean -p` of the crate); then this checkout's time per stage, and `prettyplease` alone on
/// what emit wrote (the floor of printing with it).
pub(crate) fn codegen(args: &[String]) -> Result<(), String> {
    let options = options(args)?;
    let root = project_root();
    let dir = root.join("target").join("bench-codegen");
    let docs = dir.join("documents");
    std::fs::create_dir_all(&docs).map_err(|e| e.to_string())?;
    let documents = documents(&root, &docs)?;
    let mut generators = Vec::new();
    if let Some(rev) = &options.baseline {
        generators.push(baseline(&root, &dir, rev)?);
    }
    generators.push(current(&root)?);

    let mut results: Vec<Vec<Generation>> = Vec::new();
    for document in &documents {
        let mut row = Vec::new();
        for (index, generator) in generators.iter().enumerate() {
            eprintln!("bench: {} with {} ({} runs)", document.label, generator.label, options.runs);
            let out = dir.join("out").join(format!("{index}-{}", slug(&document.label)));
            row.push(generation(generator, &document.path, &out, options.runs)?);
        }
        results.push(row);
    }
    let mut builds = Vec::new();
    for (index, generator) in generators.iter().enumerate() {
        eprintln!("bench: building the crate {} generates from specs/ ({} timed builds)", generator.label, options.builds);
        builds.push(build_time(generator, &dir.join("build").join(index.to_string()), &dir.join("build").join("target"), options.builds)?);
    }
    let stages: Vec<[Duration; 4]> = documents.iter().map(|d| stage_times(&d.path)).collect::<Result<_, _>>()?;

    println!();
    println!("Generation ({} runs each, medians; CPU is user + system time of all threads):", options.runs);
    println!();
    println!("| document | size | bare parse (CPU) | generator | CPU | CPU / parse | wall | peak memory | peak / size | generated lines |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (document, row) in documents.iter().zip(&results) {
        for (generator, g) in generators.iter().zip(row) {
            println!(
                "| {} | {:.2} MB | {} | {} | {} | {:.1}× | {} | {:.0} MiB | {:.1}× | {} |",
                document.label,
                document.bytes as f64 / 1e6,
                ms(document.parse_cpu),
                generator.label,
                ms(g.cpu),
                ratio(g.cpu, document.parse_cpu),
                ms(g.wall),
                g.peak_kib as f64 / 1024.0,
                g.peak_kib as f64 * 1024.0 / document.bytes as f64,
                g.lines,
            );
        }
    }
    println!();
    println!("`cargo build` of the crate generated from specs/polar-files.openapi.yaml, dependencies built (medians of {}): after every generated file is touched, and after `cargo clean -p` of the crate:", options.builds);
    println!();
    println!("| generator | rebuild, files touched | build after clean | generated lines |");
    println!("|---|---|---|---|");
    for (generator, build) in generators.iter().zip(&builds) {
        println!("| {} | {:.2} s | {:.2} s | {} |", generator.label, build.touched.as_secs_f64(), build.clean.as_secs_f64(), build.lines);
    }
    println!();
    println!("This checkout's stages, in process (CPU time of all threads, median of 3 runs):");
    println!();
    println!("| document | load | resolve | emit (tokens, syn, prettyplease; all cores) | prettyplease alone | prettyplease alone / parse |");
    println!("|---|---|---|---|---|---|");
    for (document, stages) in documents.iter().zip(&stages) {
        println!(
            "| {} | {} | {} | {} | {} | {:.1}× |",
            document.label,
            ms(stages[0]),
            ms(stages[1]),
            ms(stages[2]),
            ms(stages[3]),
            ratio(stages[3], document.parse_cpu)
        );
    }
    println!();
    let current = results.iter().map(|row| row.last()).collect::<Option<Vec<_>>>().ok_or("no results")?;
    for (document, g) in documents.iter().zip(&current) {
        if document.whole_api {
            let cpu = g.cpu.as_secs_f64() / document.parse_cpu.as_secs_f64();
            let peak = g.peak_kib as f64 * 1024.0 / document.bytes as f64;
            println!(
                "Target, {}: CPU {cpu:.1}× a bare parse (≤ {TARGET_CPU_RATIO}×: {}), peak memory {peak:.1}× its size (≤ {TARGET_PEAK_RATIO}×: {})",
                document.label,
                verdict(cpu <= TARGET_CPU_RATIO),
                verdict(peak <= TARGET_PEAK_RATIO)
            );
        }
    }
    if let ([baseline, current], [base_build, current_build]) = (&generators[..], &builds[..]) {
        let synthetic = &results[0];
        let fewer = 1.0 - synthetic[1].lines as f64 / synthetic[0].lines as f64;
        println!(
            "Target, synthetic: {:.0} % fewer generated lines with {} than with {} (≥ 40 %: {})",
            fewer * 100.0,
            current.label,
            baseline.label,
            verdict(fewer >= 0.4)
        );
        for (what, base, current) in [
            ("rebuilds (files touched)", base_build.touched, current_build.touched),
            ("builds after `cargo clean -p`", base_build.clean, current_build.clean),
        ] {
            let speedup = ratio(base, current);
            println!("Target, specs/: its crate {what} {speedup:.2}× as fast as the baseline's (≥ 2×: {})", verdict(speedup >= 2.0));
        }
    }
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}

fn slug(label: &str) -> String {
    label.split_whitespace().next().unwrap_or(label).chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

/// The documents, written as JSON text under `dir`, with their bare parse times.
fn documents(root: &Path, dir: &Path) -> Result<Vec<Document>, String> {
    let synthetic = synth::polar_like(SYNTH_SCHEMAS, SYNTH_OPERATIONS);
    // Stripe's document, which the `openapiv3` crate ships among its fixtures, read as the
    // generator reads YAML.
    let stripe = openapi_rust_gen::parse_document(&read(&openapiv3_fixture("stripe.yaml")?)?).map_err(|e| e.to_string())?;
    let polar = openapi_rust_gen::parse_document(&read(&root.join("specs").join("polar-files.openapi.yaml"))?).map_err(|e| e.to_string())?;
    let mut documents = Vec::new();
    for (label, value, whole_api) in [
        (format!("synthetic ({SYNTH_SCHEMAS} schemas, {SYNTH_OPERATIONS} operations)"), synthetic, true),
        ("stripe (openapiv3's fixture, as JSON)".to_owned(), stripe, true),
        ("specs/polar-files (as JSON)".to_owned(), polar, false),
    ] {
        let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
        let path = dir.join(format!("{}.json", slug(&label)));
        std::fs::write(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let mut samples = Vec::new();
        for _ in 0..PARSES {
            let started = cpu_now()?;
            let parsed: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            samples.push(cpu_now()?.saturating_sub(started));
            drop(parsed);
        }
        // The fastest parse: the parse's own cost, least disturbed by whatever else the machine
        // runs (the median moved from 6.4 ms to 11.7 ms between two runs on a shared machine).
        let parse_cpu = samples.into_iter().min().unwrap_or_default();
        documents.push(Document { label, path, bytes: text.len(), parse_cpu, whole_api });
    }
    Ok(documents)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// This process's CPU time, all threads.
fn cpu_now() -> Result<Duration, String> {
    let t = clock_gettime(ClockId::CLOCK_PROCESS_CPUTIME_ID).map_err(|e| e.to_string())?;
    Ok(Duration::new(t.tv_sec().try_into().unwrap_or_default(), t.tv_nsec().try_into().unwrap_or_default()))
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git").current_dir(root).args(args).output().map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!("`git {}` failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// This checkout's command line, built in release.
fn current(root: &Path) -> Result<Generator, String> {
    let status = Command::new(cargo())
        .current_dir(root)
        .args(["build", "--release", "--quiet", "--package", "openapi-rust-gen", "--bin", "openapi-rust-gen"])
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("building this checkout's generator failed".to_owned());
    }
    let head = git(root, &["rev-parse", "--short", "HEAD"])?;
    let dirty = !git(root, &["status", "--porcelain", "--untracked-files=no"])?.is_empty();
    Ok(Generator {
        label: format!("this checkout ({head}{})", if dirty { " + changes" } else { "" }),
        binary: root.join("target").join("release").join("openapi-rust-gen"),
        checkout: root.to_owned(),
    })
}

/// The baseline commit's command line: its tree checked out in a git worktree under
/// `target/bench-codegen/baseline/`, built there in release (both kept for the next run).
fn baseline(root: &Path, dir: &Path, rev: &str) -> Result<Generator, String> {
    let commit = git(root, &["rev-parse", "--verify", &format!("{rev}^{{commit}}")])?;
    let short = &commit[..12];
    let base = dir.join("baseline");
    let checkout = base.join(short);
    let binary = base.join(format!("openapi-rust-gen-{short}"));
    let label = format!("baseline ({})", &commit[..7]);
    if binary.exists() {
        return Ok(Generator { label, binary, checkout });
    }
    if !checkout.join("Cargo.toml").exists() {
        let path = checkout.to_str().ok_or("the checkout's path is not UTF-8")?;
        git(root, &["worktree", "add", "--detach", "--force", path, &commit])?;
    }
    eprintln!("bench: building the baseline's generator ({short}) in release");
    let target = base.join("target");
    let status = Command::new(cargo())
        .current_dir(&checkout)
        .env("CARGO_TARGET_DIR", &target)
        .args(["build", "--release", "--quiet", "--locked", "--package", "openapi-rust-gen", "--bin", "openapi-rust-gen"])
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("building the baseline's generator ({short}) failed"));
    }
    std::fs::copy(target.join("release").join("openapi-rust-gen"), &binary).map_err(|e| e.to_string())?;
    Ok(Generator { label, binary, checkout })
}

/// Runs `generator` on `spec` `runs` times, each into a fresh `out`.
fn generation(generator: &Generator, spec: &Path, out: &Path, runs: usize) -> Result<Generation, String> {
    let mut cpu = Vec::new();
    let mut wall = Vec::new();
    let mut peak = 0;
    for _ in 0..runs {
        if out.exists() {
            std::fs::remove_dir_all(out).map_err(|e| e.to_string())?;
        }
        let me = std::env::current_exe().map_err(|e| e.to_string())?;
        let output = Command::new(me)
            .arg("bench-codegen-measure")
            .arg(&generator.binary)
            .args(["generate", "--quiet", "--crate-name", "bench-generated", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(out)
            .output()
            .map_err(|e| e.to_string())?;
        if !output.status.success() {
            return Err(format!("{} on {} failed: {}", generator.label, spec.display(), String::from_utf8_lossy(&output.stderr)));
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let numbers: Vec<u64> = text.split_whitespace().filter_map(|n| n.parse().ok()).collect();
        let [cpu_us, wall_us, peak_kib] = numbers[..] else { return Err(format!("unexpected measurement: {text}")) };
        cpu.push(Duration::from_micros(cpu_us));
        wall.push(Duration::from_micros(wall_us));
        peak = peak.max(peak_kib);
    }
    Ok(Generation { cpu: median(cpu), wall: median(wall), peak_kib: peak, lines: rust_lines(out)? })
}

/// `bench-codegen-measure <program> <args...>`: runs the program (its output discarded unless it
/// fails) and prints `cpu-µs wall-µs peak-KiB` of it, its only child.
pub(crate) fn measure(args: &[String]) -> Result<(), String> {
    let [program, args @ ..] = args else { return Err("usage: bench-codegen-measure <program> <args...>".to_owned()) };
    let started = Instant::now();
    let output = Command::new(program).args(args).stdin(Stdio::null()).output().map_err(|e| format!("cannot run {program}: {e}"))?;
    let wall = started.elapsed();
    if !output.status.success() {
        return Err(format!("{program} failed: {}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)));
    }
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).map_err(|e| e.to_string())?;
    let micros = |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
    println!("{} {} {}", micros(usage.user_time()) + micros(usage.system_time()), wall.as_micros(), usage.max_rss());
    Ok(())
}

/// The lines of the Rust files under `dir`.
fn rust_lines(dir: &Path) -> Result<usize, String> {
    let mut lines = 0;
    for path in files(dir)? {
        if path.extension().is_some_and(|e| e == "rs") {
            lines += read(&path)?.lines().count();
        }
    }
    Ok(lines)
}

/// Every file under `dir` but a `target/`, sorted.
fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                if !path.ends_with("target") {
                    pending.push(path);
                }
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The `cargo build` times of the crate `generator` makes of `specs/` (standalone, in `out`, its
/// checkout's lock file, the shared `target`), dependencies built: medians of `builds` rebuilds
/// after touching every file the generator wrote, and of `builds` builds after `cargo clean -p`
/// of the crate alone (what compiling its code costs); and the crate's lines of Rust.
fn build_time(generator: &Generator, out: &Path, target: &Path, builds: usize) -> Result<Build, String> {
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| e.to_string())?;
    }
    let spec = project_root().join("specs").join("polar-files.openapi.yaml");
    let status = Command::new(&generator.binary)
        .args(["generate", "--quiet", "--crate-name", BENCH_CRATE, "--spec"])
        .arg(&spec)
        .arg("--out")
        .arg(out)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("{} could not generate from {}", generator.label, spec.display()));
    }
    let generated = files(out)?;
    cargo_project::use_project_lock(&generator.checkout, out)?;
    let cargo = |args: &[&str]| Command::new(cargo()).current_dir(out).env("CARGO_TARGET_DIR", target).args(args).status();
    let build = || -> Result<Duration, String> {
        let started = Instant::now();
        if !cargo(&["build", "--quiet"]).map_err(|e| e.to_string())?.success() {
            return Err(format!("the crate {} generates from specs/ does not build", generator.label));
        }
        Ok(started.elapsed())
    };
    build()?;
    let mut touched = Vec::new();
    for _ in 0..builds {
        let now = SystemTime::now();
        for path in &generated {
            std::fs::File::options().append(true).open(path).and_then(|f| f.set_modified(now)).map_err(|e| e.to_string())?;
        }
        touched.push(build()?);
    }
    let mut clean = Vec::new();
    for _ in 0..builds {
        if !cargo(&["clean", "--quiet", "-p", BENCH_CRATE]).map_err(|e| e.to_string())?.success() {
            return Err(format!("cannot clean the crate {} generates from specs/", generator.label));
        }
        clean.push(build()?);
    }
    Ok(Build { touched: median(touched), clean: median(clean), lines: rust_lines(out)? })
}

/// The name of the crates the benchmark generates from `specs/`.
const BENCH_CRATE: &str = "bench-polar-files";

/// [`build_time`]'s figures.
struct Build {
    touched: Duration,
    clean: Duration,
    lines: usize,
}

/// This checkout's stages on `spec`, in process: load, resolve, emit (with its printing); CPU
/// time of all threads, medians of three runs. Then a floor for emit: `prettyplease::unparse`
/// alone (one thread) of the syntax trees of the Rust files emit wrote, which the design's
/// `quote!` → `prettyplease` pipeline pays whatever else it saves.
fn stage_times(spec: &Path) -> Result<[Duration; 4], String> {
    let source = read(spec)?;
    let settings = Settings::standalone("bench-generated", &spec.display().to_string());
    let mut samples: Vec<[Duration; 4]> = Vec::new();
    for _ in 0..3 {
        let t0 = cpu_now()?;
        let loaded = load::load(&source).map_err(|e| e.to_string())?;
        let t1 = cpu_now()?;
        let (api, _) = resolve::resolve(&loaded, &Default::default()).map_err(|e| e.to_string())?;
        let t2 = cpu_now()?;
        let files = emit::emit(&api, &settings).map_err(|e| e.to_string())?;
        let t3 = cpu_now()?;
        let trees = files
            .iter()
            .filter(|file| file.path.ends_with(".rs"))
            .map(|file| syn::parse_file(&file.contents).map_err(|e| format!("{}: {e}", file.path)))
            .collect::<Result<Vec<_>, _>>()?;
        let t4 = cpu_now()?;
        let printed: usize = trees.iter().map(|tree| prettyplease::unparse(tree).len()).sum();
        let t5 = cpu_now()?;
        drop((files, api, loaded, trees, printed));
        samples.push([t1 - t0, t2 - t1, t3 - t2, t5 - t4]);
    }
    Ok(std::array::from_fn(|stage| median(samples.iter().map(|s| s[stage]).collect())))
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
