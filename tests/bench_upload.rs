//! `cargo xtask bench upload`: the upload helper against local storage (s3s-fs behind the fake
//! Polar), compared with raw storage ingest in the same run, on the same storage: one plain
//! presigned `PUT` of the same bytes with a plain HTTP client (no hashing, no parts).
//!
//! The storage runs in this process; each upload runs in a child process of its own, so the peak
//! RSS measured (the child's `VmHWM`) is the uploader's alone. The machine may be shared (other
//! builds take cores at random): each size runs `--rounds` rounds of raw ingest then the helper,
//! alternating, and the table keeps each one's best round.
//!
//! Usage: `bench_upload [--rounds N] [size-in-MiB ...]` (default: 3 rounds of 1024 and 4096).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use integration_tests::storage::{Harness, TOKEN};
use polar_files::models::FileServiceTypes;
use polar_files::upload::{UploadSource, DEFAULT_CONCURRENCY, DEFAULT_MEMORY_LIMIT, DEFAULT_PART_SIZE};
use polar_files::Client;

const MIB: u64 = 1024 * 1024;
/// The helper's throughput the benchmark asks for, as a share of raw ingest's.
const TARGET_RATIO: f64 = 0.90;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    if args.first().map(String::as_str) == Some("--child") {
        runtime.block_on(child(&args[1..]));
        return;
    }
    let mut rounds = 3;
    if let Some(at) = args.iter().position(|a| a == "--rounds") {
        rounds = args.get(at + 1).and_then(|n| n.parse().ok()).expect("--rounds N");
        args.drain(at..at + 2);
    }
    let sizes: Vec<u64> = if args.is_empty() { vec![1024, 4096] } else { args.iter().map(|a| a.parse().expect("a size in MiB")).collect() };
    runtime.block_on(parent(&sizes, rounds));
}

/// One timed run in a child process.
#[derive(Clone, Copy)]
struct Run {
    /// From start to the stored file (for the helper: completed).
    seconds: f64,
    /// From start until every byte is stored (for the helper: every part stored, before the
    /// complete call, where s3s-fs assembles the parts by copying every byte again, which real S3
    /// does not).
    stored_seconds: f64,
    peak_rss: u64,
}

/// The best rounds of one size.
struct Row {
    size_mib: u64,
    raw: Run,
    helper: Run,
    /// The helper's highest peak RSS over its rounds.
    helper_peak: u64,
}

fn mb_per_s(size_mib: u64, seconds: f64) -> f64 {
    (size_mib * MIB) as f64 / 1e6 / seconds
}

async fn parent(sizes: &[u64], rounds: usize) {
    let dir = integration_tests::root().join("target").join("bench");
    std::fs::create_dir_all(&dir).unwrap();
    let harness = Harness::start(Some(&dir)).await.unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut rows = Vec::new();
    for &size_mib in sizes {
        let source = dir.join(format!("source-{size_mib}MiB.bin"));
        write_source(&source, size_mib * MIB);
        let (mut raw, mut helper): (Vec<Run>, Vec<Run>) = (Vec::new(), Vec::new());
        for round in 1..=rounds {
            for mode in ["raw", "helper"] {
                harness.clear().unwrap();
                let mut command = Command::new(&exe);
                command.arg("--child").arg(&harness.polar_url).arg(&source);
                match mode {
                    "raw" => command.args(["raw", &harness.presign_put(&format!("raw-{size_mib}.bin"))]),
                    _ => command.args(["upload", &DEFAULT_PART_SIZE.to_string(), &DEFAULT_CONCURRENCY.to_string()]),
                };
                let output = command.output().unwrap();
                let stdout = String::from_utf8_lossy(&output.stdout);
                eprint!("{}", String::from_utf8_lossy(&output.stderr));
                assert!(output.status.success(), "{mode} failed: {stdout}{}", String::from_utf8_lossy(&output.stderr));
                let mut fields = stdout.split_whitespace().map(|f| f.parse::<f64>().unwrap());
                let run = Run { seconds: fields.next().unwrap(), stored_seconds: fields.next().unwrap(), peak_rss: fields.next().unwrap() as u64 };
                eprintln!(
                    "{} round {round} {mode}: {:.1} MB/s until stored, {:.1} MB/s end to end, peak RSS {:.1} MiB",
                    label(size_mib),
                    mb_per_s(size_mib, run.stored_seconds),
                    mb_per_s(size_mib, run.seconds),
                    run.peak_rss as f64 / MIB as f64
                );
                if mode == "raw" { raw.push(run) } else { helper.push(run) }
            }
        }
        harness.clear().unwrap();
        std::fs::remove_file(&source).unwrap();
        let best = |runs: &[Run]| *runs.iter().min_by(|a, b| a.stored_seconds.total_cmp(&b.stored_seconds)).unwrap();
        let helper_peak = helper.iter().map(|r| r.peak_rss).max().unwrap();
        rows.push(Row { size_mib, raw: best(&raw), helper: best(&helper), helper_peak });
    }
    print_table(&rows, rounds);
}

fn print_table(rows: &[Row], rounds: usize) {
    // Parts in flight, one more being read, and the runtime's own.
    let bound = (DEFAULT_CONCURRENCY as u64 + 1) * DEFAULT_PART_SIZE.min(DEFAULT_MEMORY_LIMIT) + 64 * MIB;
    println!();
    println!("| file size | raw ingest (MB/s) | upload helper (MB/s) | ratio | helper end to end (MB/s) | helper peak RSS (MiB) |");
    println!("|---|---|---|---|---|---|");
    for row in rows {
        let (raw, helper) = (mb_per_s(row.size_mib, row.raw.stored_seconds), mb_per_s(row.size_mib, row.helper.stored_seconds));
        println!(
            "| {} | {raw:.1} | {helper:.1} | {:.0} % | {:.1} | {:.1} |",
            label(row.size_mib),
            helper / raw * 100.0,
            mb_per_s(row.size_mib, row.helper.seconds),
            row.helper_peak as f64 / MIB as f64
        );
    }
    println!();
    println!("Best of {rounds} rounds each, raw and helper alternating, on one storage. Raw ingest: one plain");
    println!("presigned PUT of the same bytes. Throughput until every byte is stored (the helper: hashing,");
    println!("creating, every part stored); end to end adds the complete call, where s3s-fs copies every");
    println!("byte again to assemble the parts (real S3 does not). Peak RSS: the uploading process's.");
    println!();
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    for row in rows {
        let ratio = row.raw.stored_seconds / row.helper.stored_seconds;
        println!(
            "{}: helper at {:.0} % of raw ingest (target {:.0} %: {}); peak RSS {:.1} MiB (bound {:.1} MiB: {})",
            label(row.size_mib),
            ratio * 100.0,
            TARGET_RATIO * 100.0,
            verdict(ratio >= TARGET_RATIO),
            row.helper_peak as f64 / MIB as f64,
            bound as f64 / MIB as f64,
            verdict(row.helper_peak <= bound),
        );
    }
    if let (Some(small), Some(large)) = (rows.iter().min_by_key(|r| r.size_mib), rows.iter().max_by_key(|r| r.size_mib)) {
        if large.size_mib > small.size_mib {
            let growth = large.helper_peak as f64 - small.helper_peak as f64;
            println!(
                "memory flat in file size: {} → {}: peak RSS {:+.1} MiB ({})",
                label(small.size_mib),
                label(large.size_mib),
                growth / MIB as f64,
                verdict(growth <= 16.0 * MIB as f64)
            );
        }
    }
}

fn label(size_mib: u64) -> String {
    if size_mib.is_multiple_of(1024) {
        format!("{} GiB", size_mib / 1024)
    } else {
        format!("{size_mib} MiB")
    }
}

/// A file of `len` bytes: a 1 MiB incompressible block, repeated.
fn write_source(path: &Path, len: u64) {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let block: Vec<u8> = (0..MIB)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut written = 0;
    while written < len {
        let n = (len - written).min(MIB) as usize;
        file.write_all(&block[..n]).unwrap();
        written += n as u64;
    }
    file.flush().unwrap();
}

/// Peak resident set size of this process, from `/proc/self/status`.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib * 1024)
}

/// One upload, timed; prints `seconds peak-rss-bytes`.
async fn child(args: &[String]) {
    let polar_url = &args[0];
    let source = PathBuf::from(&args[1]);
    let started = Instant::now();
    let mut transfer = None;
    match args[2].as_str() {
        "upload" => {
            let part_size: u64 = args[3].parse().unwrap();
            let concurrency: usize = args[4].parse().unwrap();
            let client = Client::builder().base_url(polar_url).token(TOKEN).build().unwrap();
            // Phase times (hashing done, first part stored, every part stored), to stderr.
            let marks = std::sync::Arc::new(std::sync::Mutex::new([None::<f64>; 3]));
            let seen = marks.clone();
            client
                .files()
                .upload(UploadSource::path(&source), FileServiceTypes::Downloadable)
                .part_size(part_size)
                .concurrency(concurrency)
                .on_progress(move |p| {
                    let now = started.elapsed().as_secs_f64();
                    let mut marks = seen.lock().unwrap();
                    for (index, reached) in [p.bytes_hashed == p.total_bytes, p.parts_done >= 1, p.parts_done == p.parts_total].into_iter().enumerate() {
                        if reached && marks[index].is_none() {
                            marks[index] = Some(now);
                        }
                    }
                })
                .await
                .unwrap();
            let marks = *marks.lock().unwrap();
            transfer = marks[2];
            eprintln!(
                "  phases: hashed at {:.2}s, first part at {:.2}s, all parts at {:.2}s, completed at {:.2}s",
                marks[0].unwrap_or_default(),
                marks[1].unwrap_or_default(),
                marks[2].unwrap_or_default(),
                started.elapsed().as_secs_f64()
            );
        }
        "raw" => {
            let url = &args[3];
            let file = tokio::fs::File::open(&source).await.unwrap();
            let len = file.metadata().await.unwrap().len();
            let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(file, 256 * 1024));
            let response = reqwest::Client::new().put(url).header("content-length", len).body(body).send().await.unwrap();
            assert!(response.status().is_success(), "{}", response.text().await.unwrap_or_default());
        }
        other => panic!("unknown mode {other}"),
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("{seconds} {} {}", transfer.unwrap_or(seconds), peak_rss());
}
