//! Memory bounds, measured: a counting global allocator (`peak_alloc`) sees every heap byte of
//! this test binary, servers included, so its tests run one at a time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::io::Write;
use std::time::Duration;

use integration_tests::raw::{raw_server, Raw};
use integration_tests::storage::{Faults, Harness, TOKEN};
use peak_alloc::PeakAlloc;
use polar_files::models::FileServiceTypes;
use polar_files::upload::{UploadError, UploadSource};
use polar_files::{Client, Error, RetryPolicy};

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const MIB: usize = 1024 * 1024;

/// Runs `f`; returns its output and the heap's peak above what was live when it started.
async fn peak_of<F: Future>(f: F) -> (F::Output, usize) {
    let before = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let output = f.await;
    (output, HEAP.peak_usage().saturating_sub(before))
}

fn raw_client(url: &str) -> Client {
    Client::builder().base_url(url).token("polar_oat_memory_test").retry(RetryPolicy::none()).build().unwrap()
}

#[tokio::test]
async fn an_error_body_of_64_mib_costs_64_kib() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let server = raw_server(Raw::Sized("HTTP/1.1 500 Internal Server Error", 64 * MIB as u64)).await.unwrap();
    let client = raw_client(&server.url);
    let (err, peak) = peak_of(client.files().list().send()).await;
    let err = err.unwrap_err();
    let Error::UnexpectedStatus { body, .. } = &err else { panic!("{err:?}") };
    assert_eq!(body.len(), 64 * 1024);
    // Reading stopped at the cap ...
    assert!(peak < 4 * MIB, "reading a 64 MiB error body peaked at {peak} bytes");
    // ... and the error keeps its 64 KiB, not the buffer they were read into.
    let kept = held_by(err);
    assert!(kept < 128 * 1024, "the error keeps {kept} bytes alive");
    eprintln!("64 MiB error body: peak {peak} bytes, the error holds {kept} bytes");
}

/// The heap bytes that dropping `value` frees.
fn held_by<T>(value: T) -> usize {
    let with = HEAP.current_usage();
    drop(value);
    with.saturating_sub(HEAP.current_usage())
}

#[tokio::test]
async fn a_success_body_that_does_not_decode_keeps_64_kib() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let server = raw_server(Raw::Sized("HTTP/1.1 200 OK", 8 * MIB as u64)).await.unwrap();
    let client = raw_client(&server.url);
    let err = client.files().list().send().await.unwrap_err();
    let Error::Decode { body, .. } = &err else { panic!("{err:?}") };
    assert_eq!(body.len(), 64 * 1024);
    let kept = held_by(err);
    assert!(kept < 128 * 1024, "the error keeps {kept} bytes alive (a slice of the whole body?)");
}

#[tokio::test]
async fn a_success_body_is_read_no_further_than_the_limit() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let server = raw_server(Raw::Sized("HTTP/1.1 200 OK", 256 * MIB as u64)).await.unwrap();
    let client = raw_client(&server.url);
    let (result, peak) = peak_of(client.files().list().max_response_size(MIB as u64).send()).await;
    assert!(matches!(result, Err(Error::ResponseTooLarge { declared: None, .. })), "{result:?}");
    assert!(peak < 8 * MIB, "a 1 MiB limit on a 256 MiB body peaked at {peak} bytes");
    eprintln!("256 MiB body, 1 MiB limit: peak {peak} bytes");
}

/// A file of `len` bytes on disk, written in pieces (the test must not hold it in memory).
fn big_file(dir: &std::path::Path, len: usize) -> std::path::PathBuf {
    let path = dir.join(format!("big-{len}.bin"));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let piece: Vec<u8> = (0..MIB).map(|i| (i * 31 % 251) as u8).collect();
    for i in 0..len / MIB {
        let mut piece = piece.clone();
        piece[0] = i as u8;
        file.write_all(&piece).unwrap();
    }
    file.write_all(&piece[..len % MIB]).unwrap();
    file.flush().unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_error_bodies_of_256_mib_are_cut() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let harness = Harness::start(None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = big_file(dir.path(), 12 * MIB);
    let client = Client::builder().base_url(&harness.polar_url).token(TOKEN).build().unwrap();
    harness.set_faults(Faults { huge_error: Some(256 * MIB as u64), ..Faults::default() });
    let upload = client
        .files()
        .upload(UploadSource::path(&path), FileServiceTypes::Downloadable)
        .part_size(5 * MIB as u64)
        .part_retry(RetryPolicy::default().max_attempts(2).initial_backoff(Duration::from_millis(10)).idempotent_statuses([500]))
        .send();
    let (result, peak) = peak_of(upload).await;
    match &result {
        Err(UploadError::Part { status: Some(status), message, .. }) => {
            assert_eq!(status.as_u16(), 500);
            assert!(message.len() <= 300 && message.starts_with("xxx"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // Three 5 MiB parts in flight and the hashing pipeline; not 256 MiB per answer.
    assert!(peak < 64 * MIB, "a 12 MiB upload answered with 256 MiB error bodies peaked at {peak} bytes");
    eprintln!("12 MiB upload, 256 MiB storage error bodies: peak {} MiB", peak / MIB);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_high_concurrency_is_bounded_by_the_memory_limit() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let harness = Harness::start(None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let len = 100 * MIB;
    let path = big_file(dir.path(), len);
    let client = Client::builder().base_url(&harness.polar_url).token(TOKEN).build().unwrap();
    let upload = client
        .files()
        .upload(UploadSource::path(&path), FileServiceTypes::Downloadable)
        .part_size(5 * MIB as u64)
        .concurrency(1000)
        .memory_limit(16 * MIB as u64)
        .send();
    let (result, peak) = peak_of(upload).await;
    result.unwrap();
    // 16 MiB hold three 5 MiB parts: never more in flight, whatever the concurrency.
    let in_flight = harness.max_parts_in_flight();
    assert!((1..=3).contains(&in_flight), "{in_flight} parts were in flight at once");
    assert!(peak < 64 * MIB, "20 parts of 5 MiB with concurrency 1000 and a 16 MiB limit peaked at {peak} bytes");
    eprintln!("100 MiB upload, concurrency 1000, 16 MiB limit: {in_flight} parts in flight, peak {} MiB", peak / MIB);
}
