//! `cargo xtask bench upload`: the upload helper against local storage (s3s-fs behind the fake
//! Polar), compared with the way Polar's dashboard uploads (one part at a time) and with raw
//! storage ingest (one presigned `PUT` of the same bytes with a plain HTTP client).
//!
//! The storage runs in this process; each upload runs in a child process of its own, so the peak
//! RSS measured (the child's `VmHWM`) is the uploader's alone.
//!
//! Usage: `bench_upload [size-in-MiB ...]` (default: 1024 4096).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use integration_tests::storage::{Harness, TOKEN};
use polar_files::models::FileServiceTypes;
use polar_files::upload::{UploadSource, DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE};
use polar_files::Client;

const MIB: u64 = 1024 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    if args.first().map(String::as_str) == Some("--child") {
        runtime.block_on(child(&args[1..]));
        return;
    }
    let sizes: Vec<u64> = if args.is_empty() { vec![1024, 4096] } else { args.iter().map(|a| a.parse().expect("a size in MiB")).collect() };
    runtime.block_on(parent(&sizes));
}

struct Row {
    size_mib: u64,
    mode: &'static str,
    /// From start to the stored file.
    seconds: f64,
    /// From start until every byte is stored (for multipart: before storage assembles the parts
    /// on complete, which real S3 does without copying but s3s-fs does by copying every byte).
    transfer_seconds: f64,
    peak_rss: u64,
}

impl Row {
    fn throughput(&self) -> f64 {
        (self.size_mib * MIB) as f64 / 1e6 / self.seconds
    }

    fn transfer_throughput(&self) -> f64 {
        (self.size_mib * MIB) as f64 / 1e6 / self.transfer_seconds
    }
}

async fn parent(sizes: &[u64]) {
    let dir = integration_tests::root().join("target").join("bench");
    std::fs::create_dir_all(&dir).unwrap();
    let harness = Harness::start(Some(&dir)).await.unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut rows = Vec::new();
    for &size_mib in sizes {
        let source = dir.join(format!("source-{size_mib}MiB.bin"));
        write_source(&source, size_mib * MIB);
        let modes: [(&str, Vec<String>); 3] = [
            ("helper", vec!["upload".into(), DEFAULT_PART_SIZE.to_string(), DEFAULT_CONCURRENCY.to_string()]),
            ("sequential", vec!["upload".into(), DEFAULT_PART_SIZE.to_string(), "1".into()]),
            ("raw-put", vec!["raw".into(), harness.presign_put(&format!("raw-{size_mib}.bin"))]),
        ];
        for (mode, extra) in modes {
            harness.clear().unwrap();
            let output = Command::new(&exe)
                .arg("--child")
                .arg(&harness.polar_url)
                .arg(&source)
                .args(&extra)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            eprint!("{}", String::from_utf8_lossy(&output.stderr));
            assert!(output.status.success(), "{mode} failed: {stdout}{}", String::from_utf8_lossy(&output.stderr));
            let mut fields = stdout.split_whitespace();
            let seconds: f64 = fields.next().unwrap().parse().unwrap();
            let transfer_seconds: f64 = fields.next().unwrap().parse().unwrap();
            let peak_rss: u64 = fields.next().unwrap().parse().unwrap();
            let row = Row { size_mib, mode, seconds, transfer_seconds, peak_rss };
            eprintln!(
                "{size_mib} MiB {mode}: {:.1} MB/s end to end, {:.1} MB/s transfer, peak RSS {:.1} MiB",
                row.throughput(),
                row.transfer_throughput(),
                peak_rss as f64 / MIB as f64
            );
            rows.push(row);
        }
        harness.clear().unwrap();
        std::fs::remove_file(&source).unwrap();
    }
    print_table(&rows);
}

fn print_table(rows: &[Row]) {
    let bound = (DEFAULT_CONCURRENCY as u64 + 1) * DEFAULT_PART_SIZE + 64 * MIB;
    println!();
    println!("| size | mode | seconds | MB/s end to end | MB/s until stored* | peak RSS (MiB) |");
    println!("|---|---|---|---|---|---|");
    for row in rows {
        let mode = match row.mode {
            "helper" => format!("upload helper ({DEFAULT_CONCURRENCY} parts in flight)"),
            "sequential" => "one part at a time (dashboard)".to_owned(),
            _ => "raw ingest (one presigned PUT)".to_owned(),
        };
        println!(
            "| {} | {mode} | {:.2} | {:.1} | {:.1} | {:.1} |",
            label(row.size_mib),
            row.seconds,
            row.throughput(),
            row.transfer_throughput(),
            row.peak_rss as f64 / MIB as f64
        );
    }
    println!();
    println!("* every byte hashed and stored, before the complete call: s3s-fs assembles the parts on");
    println!("  complete by copying every byte again (real S3 does not), which the end-to-end column includes.");
    println!();
    let sizes: Vec<u64> = rows.iter().map(|r| r.size_mib).fold(Vec::new(), |mut v, s| {
        if !v.contains(&s) {
            v.push(s);
        }
        v
    });
    for size in sizes {
        let find = |mode: &str| rows.iter().find(|r| r.size_mib == size && r.mode == mode);
        let (Some(helper), Some(sequential), Some(raw)) = (find("helper"), find("sequential"), find("raw-put")) else { continue };
        let ratio = helper.transfer_throughput() / raw.transfer_throughput();
        let end_to_end = helper.throughput() / raw.throughput();
        let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
        println!(
            "{}: helper at {:.0}% of raw ingest until stored (target 70%: {}), {:.0}% end to end; {:.2}x the sequential way (target > 1: {}); peak RSS {:.1} MiB (bound {:.1} MiB: {})",
            label(size),
            ratio * 100.0,
            verdict(ratio >= 0.70),
            end_to_end * 100.0,
            helper.throughput() / sequential.throughput(),
            verdict(helper.throughput() > sequential.throughput()),
            helper.peak_rss as f64 / MIB as f64,
            bound as f64 / MIB as f64,
            verdict(helper.peak_rss <= bound),
        );
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
