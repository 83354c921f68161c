//! `client.files().upload(...)` against real storage (s3s-fs, checking SigV4 presigned URLs and
//! their signed headers) and a fake Polar that drives real multipart uploads.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use integration_tests::storage::{sha256_base64_of, Faults, Harness, TOKEN};
use polar_files::models::{FileRead, FileServiceTypes};
use polar_files::upload::{Progress, UploadError, UploadSource};
use polar_files::{Client, RetryPolicy};
use sha2::{Digest, Sha256};

const MIB: usize = 1024 * 1024;

fn client(harness: &Harness) -> Client {
    Client::builder().base_url(&harness.polar_url).token(TOKEN).build().unwrap()
}

/// Incompressible, reproducible bytes.
fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn sha256_base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes))
}

fn file_of(read: &FileRead) -> (String, i64, Option<String>) {
    match read {
        FileRead::Downloadable(f) => (f.path.clone(), f.size, f.checksum_sha256_base64.clone()),
        FileRead::ProductMedia(f) => (f.path.clone(), f.size, f.checksum_sha256_base64.clone()),
        FileRead::OrganizationAvatar(f) => (f.path.clone(), f.size, f.checksum_sha256_base64.clone()),
        FileRead::SupportCaseAttachment(f) => (f.path.clone(), f.size, f.checksum_sha256_base64.clone()),
        FileRead::Unknown(json) => panic!("unknown file {json}"),
        other => panic!("a kind this test does not know: {other:?}"),
    }
}

/// The stored object is the source, byte for byte, and its SHA-256 is the one we sent.
fn assert_stored(harness: &Harness, read: &FileRead, expected: &[u8]) {
    let (path, size, checksum) = file_of(read);
    assert_eq!(size, expected.len() as i64);
    let stored = std::fs::read(harness.object_path(&path)).unwrap();
    assert!(stored == expected, "stored object differs from the source ({} vs {} bytes)", stored.len(), expected.len());
    assert_eq!(checksum.as_deref(), Some(sha256_base64(expected).as_str()));
    assert_eq!(sha256_base64_of(&harness.object_path(&path)).unwrap(), sha256_base64(expected));
}

/// Storage saw presigned requests only: no bearer token, no Polar header, no API user agent.
fn assert_storage_never_saw_polar(harness: &Harness) {
    let received = harness.received();
    assert!(!received.is_empty());
    for request in received.iter().filter(|r| r.method == "PUT") {
        for (name, value) in &request.headers {
            assert!(!value.contains(TOKEN), "storage received the token in {name}");
            assert_ne!(name, "authorization", "storage received an Authorization header");
            assert_ne!(name, "polar-version");
            assert!(!(name == "user-agent" && value.starts_with("polar-files")), "storage received the API's user agent");
        }
    }
}

fn part_puts(harness: &Harness, number: i64) -> usize {
    harness.received().iter().filter(|r| r.method == "PUT" && r.uri.contains(&format!("partNumber={number}&"))).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sizes_from_zero_to_several_parts_are_stored_exactly() {
    let harness = Harness::start(None).await.unwrap();
    let client = client(&harness);
    let dir = tempfile::tempdir().unwrap();
    for (index, len) in [0, 1, 5 * MIB, 5 * MIB + 1, 12 * MIB + 3].into_iter().enumerate() {
        let bytes = data(len, index as u64);
        let path = dir.path().join(format!("source-{len}.bin"));
        std::fs::write(&path, &bytes).unwrap();
        let progress = Arc::new(Mutex::new(Progress::default()));
        let seen = progress.clone();
        let read = client
            .files()
            .upload(UploadSource::path(&path), FileServiceTypes::Downloadable)
            .part_size(5 * MIB as u64)
            .on_progress(move |p| *seen.lock().unwrap() = p)
            .await
            .unwrap_or_else(|err| panic!("{len} bytes: {err}"));
        assert_stored(&harness, &read, &bytes);
        let FileRead::Downloadable(file) = &read else { panic!() };
        assert_eq!(file.name, format!("source-{len}.bin"));
        assert_eq!(file.mime_type, "application/octet-stream");
        let last = *progress.lock().unwrap();
        let parts = if len == 0 { 1 } else { len.div_ceil(5 * MIB) } as u64;
        assert_eq!(last, Progress { bytes_hashed: len as u64, bytes_sent: len as u64, parts_done: parts, parts_total: parts, total_bytes: len as u64 });
    }
    let created = harness.created();
    assert_eq!(created.len(), 5);
    assert!(created.values().all(|c| c.completed));
    // 12 MiB + 3 in 5 MiB parts: three parts, the last one short, no empty tail.
    let multi = created.values().find(|c| c.request["size"] == 12 * MIB + 3).unwrap();
    let ends: Vec<_> = multi.request["upload"]["parts"].as_array().unwrap().iter().map(|p| p["chunk_end"].as_u64().unwrap()).collect();
    assert_eq!(ends, [5 * MIB as u64, 10 * MIB as u64, 12 * MIB as u64 + 3]);
    assert_storage_never_saw_polar(&harness);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_can_be_watched() {
    let harness = Harness::start(None).await.unwrap();
    let bytes = data(11 * MIB, 21);
    let (upload, mut progress) = client(&harness)
        .files()
        .upload(UploadSource::bytes(bytes.clone()), FileServiceTypes::Downloadable)
        .name("watched.bin")
        .part_size(5 * MIB as u64)
        .progress_watch();
    let watcher = tokio::spawn(async move {
        let mut seen = Vec::new();
        while progress.changed().await.is_ok() {
            seen.push(*progress.borrow_and_update());
        }
        seen
    });
    let read = upload.await.unwrap();
    assert_stored(&harness, &read, &bytes);
    let seen = watcher.await.unwrap();
    let last = *seen.last().unwrap();
    assert_eq!((last.bytes_sent, last.parts_done, last.parts_total), (bytes.len() as u64, 3, 3));
    assert!(seen.windows(2).all(|w| w[0].bytes_hashed <= w[1].bytes_hashed && w[0].bytes_sent <= w[1].bytes_sent));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_source_uploads() {
    let harness = Harness::start(None).await.unwrap();
    let client = client(&harness);
    let bytes = data(11 * MIB + 17, 42);

    let read = client
        .files()
        .upload(UploadSource::bytes(bytes.clone()), FileServiceTypes::Downloadable)
        .name("memory.bin")
        .part_size(5 * MIB as u64)
        .concurrency(3)
        .await
        .unwrap();
    assert_stored(&harness, &read, &bytes);

    let cursor = std::io::Cursor::new(bytes.clone());
    let read = client
        .files()
        .upload(UploadSource::reader(cursor), FileServiceTypes::Downloadable)
        .name("reader.bin")
        .part_size(5 * MIB as u64)
        .await
        .unwrap();
    assert_stored(&harness, &read, &bytes);

    // A plain stream (no seeking) is spooled first.
    let stream = tokio::io::AsyncReadExt::take(tokio::io::repeat(7), 6 * MIB as u64);
    let read = client
        .files()
        .upload(UploadSource::stream(stream), FileServiceTypes::Downloadable)
        .name("stream.bin")
        .part_size(5 * MIB as u64)
        .await
        .unwrap();
    assert_stored(&harness, &read, &vec![7u8; 6 * MIB]);

    // Kinds with limits, MIME type guessed from the name.
    let png = data(2000, 7);
    let read = client.files().upload(UploadSource::bytes(png.clone()), FileServiceTypes::ProductMedia).name("cover.png").await.unwrap();
    let FileRead::ProductMedia(file) = &read else { panic!("{read:?}") };
    assert_eq!(file.mime_type, "image/png");
    assert_stored(&harness, &read, &png);
    assert_storage_never_saw_polar(&harness);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_part_that_fails_twice_is_retried() {
    let harness = Harness::start(None).await.unwrap();
    harness.set_faults(Faults { fail_part: [(2, 2)].into(), ..Faults::default() });
    let bytes = data(11 * MIB, 3);
    let read = client(&harness)
        .files()
        .upload(UploadSource::bytes(bytes.clone()), FileServiceTypes::Downloadable)
        .name("flaky.bin")
        .part_size(5 * MIB as u64)
        .part_retry(RetryPolicy::default().max_attempts(4).initial_backoff(Duration::from_millis(10)).idempotent_statuses([500, 503]))
        .await
        .unwrap();
    assert_stored(&harness, &read, &bytes);
    assert_eq!(part_puts(&harness, 2), 3);
    assert_eq!(part_puts(&harness, 1), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_part_times_out_and_is_retried() {
    let harness = Harness::start(None).await.unwrap();
    harness.set_faults(Faults { stall_part: [(1, 1)].into(), ..Faults::default() });
    let bytes = data(3 * MIB, 13);
    let started = std::time::Instant::now();
    let read = client(&harness)
        .files()
        .upload(UploadSource::bytes(bytes.clone()), FileServiceTypes::Downloadable)
        .name("stalled.bin")
        .part_timeout(Duration::from_millis(500))
        .part_retry(RetryPolicy::default().max_attempts(3).initial_backoff(Duration::from_millis(10)))
        .await
        .unwrap();
    assert_stored(&harness, &read, &bytes);
    assert_eq!(part_puts(&harness, 1), 2);
    assert!(started.elapsed() < Duration::from_secs(20), "the stalled attempt was not cut off");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_signed_header_is_refused_by_storage_and_nothing_is_completed() {
    let harness = Harness::start(None).await.unwrap();
    harness.set_faults(Faults { strip_header: Some((1, "x-amz-checksum-sha256".to_owned())), ..Faults::default() });
    let err = client(&harness)
        .files()
        .upload(UploadSource::bytes(data(3 * MIB, 5)), FileServiceTypes::Downloadable)
        .name("unsigned.bin")
        .await
        .unwrap_err();
    match &err {
        UploadError::Part { number: 1, status: Some(status), message, source: None } => {
            assert_eq!(status.as_u16(), 403, "{message}");
        }
        other => panic!("expected part 1 to be refused, got {other}"),
    }
    assert!(err.to_string().starts_with("part 1: storage answered 403"), "{err}");
    // The created file is of no use: deleted.
    assert_eq!(harness.polar_calls(), ["create", "delete"]);
    assert!(harness.created().values().all(|c| !c.completed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_etag_is_an_error_naming_the_part() {
    let harness = Harness::start(None).await.unwrap();
    harness.set_faults(Faults { drop_etag: Some(2), ..Faults::default() });
    let err = client(&harness)
        .files()
        .upload(UploadSource::bytes(data(6 * MIB, 12)), FileServiceTypes::Downloadable)
        .name("no-etag.bin")
        .part_size(5 * MIB as u64)
        .await
        .unwrap_err();
    assert!(matches!(&err, UploadError::Part { number: 2, .. }), "{err}");
    assert!(err.to_string().contains("without an ETag"), "{err}");
    // The created file is of no use: deleted.
    assert_eq!(harness.polar_calls(), ["create", "delete"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_url_is_a_clear_error() {
    let harness = Harness::start(None).await.unwrap();
    harness.set_faults(Faults { expired_urls: true, ..Faults::default() });
    let err = client(&harness)
        .files()
        .upload(UploadSource::bytes(data(1000, 9)), FileServiceTypes::Downloadable)
        .name("late.bin")
        .await
        .unwrap_err();
    assert!(matches!(err, UploadError::PartExpired { number: 1, .. }), "{err}");
    assert!(err.to_string().contains("part 1: its upload URL expired"), "{err}");
    assert!(harness.received().iter().all(|r| r.method != "PUT"), "an expired part was sent");
    // The created file is of no use: deleted.
    assert_eq!(harness.polar_calls(), ["create", "delete"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_checks_the_signature_expiry_itself() {
    // URLs that really expire after one second, sent after two: storage refuses them.
    // The client is told they last an hour (a skewed clock), so it does send them.
    let harness = Harness::start(None).await.unwrap();
    let client = client(&harness);
    let source = UploadSource::bytes(data(1000, 10));
    // The first attempt gets an injected 500; the retry comes after the URL has expired.
    harness.set_faults(Faults {
        url_lifetime: Some(Duration::from_secs(1)),
        reported_lifetime: Some(Duration::from_secs(3600)),
        fail_part: [(1, 1)].into(),
        ..Faults::default()
    });
    let err = client
        .files()
        .upload(source, FileServiceTypes::Downloadable)
        .name("expiring.bin")
        .part_retry(RetryPolicy::default().max_attempts(2).initial_backoff(Duration::from_millis(2500)).jitter(false).idempotent_statuses([500]))
        .await
        .unwrap_err();
    match &err {
        UploadError::Part { number: 1, status: Some(status), .. } => assert_eq!(status.as_u16(), 403, "{err}"),
        other => panic!("expected storage to refuse the expired URL, got {other}"),
    }
    assert_eq!(part_puts(&harness, 1), 2);
    // The created file is of no use: deleted.
    assert_eq!(harness.polar_calls(), ["create", "delete"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_complete_is_reported() {
    let harness = Harness::start(None).await.unwrap();
    harness.set_faults(Faults { fail_complete: true, ..Faults::default() });
    let err = client(&harness)
        .files()
        .upload(UploadSource::bytes(data(1000, 11)), FileServiceTypes::Downloadable)
        .name("almost.bin")
        .await
        .unwrap_err();
    let UploadError::Complete(inner) = &err else { panic!("{err}") };
    assert_eq!(inner.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(part_puts(&harness, 1), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_are_checked_before_anything_is_sent() {
    let harness = Harness::start(None).await.unwrap();
    let client = client(&harness);
    let err = client.files().upload(UploadSource::bytes(vec![0; 10]), FileServiceTypes::ProductMedia).name("app.zip").await.unwrap_err();
    assert!(matches!(err, UploadError::Limits(_)), "{err}");
    let err = client
        .files()
        .upload(UploadSource::bytes(vec![0; 1_048_577]), FileServiceTypes::OrganizationAvatar)
        .name("avatar.png")
        .await
        .unwrap_err();
    assert!(matches!(err, UploadError::Limits(_)), "{err}");
    let err = client.files().upload(UploadSource::bytes(vec![0; 10]), FileServiceTypes::Downloadable).await.unwrap_err();
    assert!(matches!(err, UploadError::InvalidOptions(_)), "a nameless source needs a name: {err}");
    assert!(harness.polar_calls().is_empty());
    assert!(harness.received().is_empty());
}

/// Appends `tail` to the file at `path`.
fn append(path: &std::path::Path, tail: &[u8]) {
    use std::io::Write;
    std::fs::OpenOptions::new().append(true).open(path).unwrap().write_all(tail).unwrap();
}

/// A progress callback that appends a tail to the file at `path` the first time `when` holds, and
/// the flag that says it did.
fn grow_once(path: &std::path::Path, when: fn(&Progress) -> bool) -> (Arc<Mutex<bool>>, impl Fn(Progress) + Send + Sync + 'static) {
    let grown = Arc::new(Mutex::new(false));
    let (at, once) = (path.to_path_buf(), grown.clone());
    let callback = move |p: Progress| {
        let mut grown = once.lock().unwrap();
        if when(&p) && !*grown {
            *grown = true;
            append(&at, b"tail");
        }
    };
    (grown, callback)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_that_grows_is_a_changed_source_not_a_truncated_upload() {
    let harness = Harness::start(None).await.unwrap();
    let client = client(&harness);
    let dir = tempfile::tempdir().unwrap();

    // Grown as hashing ends: refused before anything is created.
    let path = dir.path().join("grows-while-hashing.bin");
    std::fs::write(&path, data(6 * MIB, 30)).unwrap();
    let (grown, grow) = grow_once(&path, |p| p.bytes_hashed == p.total_bytes);
    let err = client
        .files()
        .upload(UploadSource::path(&path), FileServiceTypes::Downloadable)
        .part_size(5 * MIB as u64)
        .on_progress(grow)
        .await
        .unwrap_err();
    assert!(*grown.lock().unwrap());
    assert!(matches!(err, UploadError::SourceChanged { number: 2 }), "{err}");
    assert!(harness.polar_calls().is_empty(), "{:?}", harness.polar_calls());

    // Grown after the first of three parts was stored: the next part's read sees it.
    let path = dir.path().join("grows-while-sending.bin");
    std::fs::write(&path, data(11 * MIB, 31)).unwrap();
    let (_, grow) = grow_once(&path, |p| p.parts_done == 1);
    let err = client
        .files()
        .upload(UploadSource::path(&path), FileServiceTypes::Downloadable)
        .part_size(5 * MIB as u64)
        .concurrency(1)
        .on_progress(grow)
        .await
        .unwrap_err();
    assert!(matches!(err, UploadError::SourceChanged { number: 2 }), "{err}");
    // The created file is of no use: deleted.
    assert_eq!(harness.polar_calls(), ["create", "delete"]);
    assert!(harness.created().values().all(|c| !c.completed));

    // Grown after its only part was stored: caught before completing.
    let path = dir.path().join("grows-after-sending.bin");
    std::fs::write(&path, data(1000, 32)).unwrap();
    let (_, grow) = grow_once(&path, |p| p.parts_done == 1);
    let err = client
        .files()
        .upload(UploadSource::path(&path), FileServiceTypes::Downloadable)
        .on_progress(grow)
        .await
        .unwrap_err();
    assert!(matches!(err, UploadError::SourceChanged { number: 1 }), "{err}");
    assert!(err.to_string().contains("the source changed"), "{err}");
    assert_eq!(part_puts(&harness, 1), 2, "each created upload stored its first part");
    // Neither was completed; each created file, of no use, was deleted.
    assert_eq!(harness.polar_calls(), ["create", "delete", "create", "delete"], "an upload without its tail was completed");
    assert!(harness.created().values().all(|c| !c.completed));
}

/// Overwrites `len` bytes at `offset` of the file at `path` with other bytes (its length stays).
fn overwrite(path: &std::path::Path, offset: u64, len: usize) {
    use std::io::{Read, Seek, SeekFrom, Write};
    let mut file = std::fs::OpenOptions::new().read(true).write(true).open(path).unwrap();
    let mut bytes = vec![0; len];
    file.seek(SeekFrom::Start(offset)).unwrap();
    file.read_exact(&mut bytes).unwrap();
    for byte in &mut bytes {
        *byte = !*byte;
    }
    file.seek(SeekFrom::Start(offset)).unwrap();
    file.write_all(&bytes).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_whose_bytes_change_is_never_stored() {
    let harness = Harness::start(None).await.unwrap();
    let client = client(&harness);
    let dir = tempfile::tempdir().unwrap();

    // Three parts; one byte of the second changes (the length stays) once the first is stored:
    // the second part's bytes no longer match what was hashed, so its body stops before its last
    // bytes and storage never stores it; nothing is retried, completed, or left behind.
    let path = dir.path().join("changes-while-sending.bin");
    std::fs::write(&path, data(11 * MIB, 33)).unwrap();
    let changed = Arc::new(Mutex::new(false));
    let (at, once) = (path.clone(), changed.clone());
    let err = client
        .files()
        .upload(UploadSource::path(&path), FileServiceTypes::Downloadable)
        .part_size(5 * MIB as u64)
        .concurrency(1)
        .on_progress(move |p| {
            let mut changed = once.lock().unwrap();
            if p.parts_done == 1 && !*changed {
                *changed = true;
                overwrite(&at, 7 * MIB as u64, 1);
            }
        })
        .await
        .unwrap_err();
    assert!(*changed.lock().unwrap());
    assert!(matches!(err, UploadError::SourceChanged { number: 2 }), "{err}");
    assert_eq!(part_puts(&harness, 2), 1, "a changed part is not retried");
    assert_eq!(part_puts(&harness, 3), 0);
    assert_eq!(harness.polar_calls(), ["create", "delete"]);
    assert!(harness.created().values().all(|c| !c.completed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_grows_is_a_changed_source() {
    // A seekable reader whose end moves: the same check as for files.
    let harness = Harness::start(None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reader.bin");
    std::fs::write(&path, data(1000, 33)).unwrap();
    let file = tokio::fs::File::open(&path).await.unwrap();
    let at = path.clone();
    let once = Arc::new(Mutex::new(false));
    let err = client(&harness)
        .files()
        .upload(UploadSource::reader(file), FileServiceTypes::Downloadable)
        .name("reader.bin")
        .on_progress(move |p| {
            let mut grown = once.lock().unwrap();
            if p.bytes_hashed == p.total_bytes && !*grown {
                *grown = true;
                append(&at, b"tail");
            }
        })
        .await
        .unwrap_err();
    assert!(matches!(err, UploadError::SourceChanged { number: 1 }), "{err}");
    assert!(harness.polar_calls().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completing_may_take_longer_than_the_client_timeout() {
    // Completing is a POST (not retried after a timeout) that waits for storage: it gets at
    // least 5 minutes, whatever the client's per-call timeout.
    let harness = Harness::start(None).await.unwrap();
    harness.set_faults(Faults { slow_complete: Some(Duration::from_millis(1500)), ..Faults::default() });
    let client = Client::builder().base_url(&harness.polar_url).token(TOKEN).timeout(Duration::from_millis(500)).build().unwrap();
    let bytes = data(1000, 40);
    let read = client.files().upload(UploadSource::bytes(bytes.clone()), FileServiceTypes::Downloadable).name("slow.bin").await.unwrap();
    assert_stored(&harness, &read, &bytes);
    assert_eq!(harness.polar_calls(), ["create", "uploaded"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_upload_can_keep_its_file_and_says_which() {
    let harness = Harness::start(None).await.unwrap();
    harness.set_faults(Faults { strip_header: Some((1, "x-amz-checksum-sha256".to_owned())), ..Faults::default() });
    let err = client(&harness)
        .files()
        .upload(UploadSource::bytes(data(1000, 3)), FileServiceTypes::Downloadable)
        .name("kept.bin")
        .keep_failed_file()
        .await
        .unwrap_err();
    let UploadError::Abandoned { file_id, delete_error: None, cause } = &err else { panic!("{err:?}") };
    assert!(matches!(**cause, UploadError::Part { number: 1, .. }), "{cause}");
    assert_eq!(harness.polar_calls(), ["create"]);
    assert!(harness.created().contains_key(&file_id.to_string()), "the kept file is not the created one");
    assert_eq!(err.to_string(), format!("the upload failed; the created file {file_id} was kept"));
    // The chain: abandoned, then the part's failure; each said once.
    let source = std::error::Error::source(&err).unwrap();
    assert!(source.to_string().starts_with("part 1: storage answered 403"), "{source}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_puts_go_through_the_clients_http_client() {
    let harness = Harness::start(None).await.unwrap();
    // A tuned HTTP client (proxies, TLS, ...): here one marking its requests.
    let mut marker = reqwest::header::HeaderMap::new();
    marker.insert("x-tuned-client", "yes".parse().unwrap());
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).default_headers(marker).build().unwrap();
    let client = Client::builder().base_url(&harness.polar_url).token(TOKEN).http_client(http).build().unwrap();
    client.files().upload(UploadSource::bytes(data(1000, 4)), FileServiceTypes::Downloadable).name("tuned.bin").await.unwrap();
    let puts: Vec<_> = harness.received().into_iter().filter(|r| r.method == "PUT").collect();
    assert!(!puts.is_empty());
    for put in &puts {
        assert!(put.headers.iter().any(|(name, value)| name == "x-tuned-client" && value == "yes"), "{:?}", put.headers);
    }
    assert_storage_never_saw_polar(&harness);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_moves_as_bytes_leave_not_a_part_at_a_time() {
    let harness = Harness::start(None).await.unwrap();
    // One 6 MiB part, one attempt that fails (storage answers 500) and is retried.
    harness.set_faults(Faults { fail_part: [(1, 1)].into(), ..Faults::default() });
    let sent = Arc::new(Mutex::new(Vec::new()));
    let seen = sent.clone();
    client(&harness)
        .files()
        .upload(UploadSource::bytes(data(6 * MIB, 21)), FileServiceTypes::Downloadable)
        .name("progress.bin")
        .part_retry(RetryPolicy::default().max_attempts(2).initial_backoff(Duration::from_millis(10)).idempotent_statuses([500]))
        .on_progress(move |p| seen.lock().unwrap().push((p.bytes_sent, p.parts_done)))
        .await
        .unwrap();
    let sent = sent.lock().unwrap().clone();
    let within: Vec<u64> = sent.iter().filter(|(bytes, parts)| *parts == 0 && *bytes > 0).map(|(bytes, _)| *bytes).collect();
    // 256 KiB chunks: many reports inside the part, before it is stored.
    assert!(within.len() >= 10, "progress inside the part: {within:?}");
    assert!(within.iter().all(|b| *b < 6 * MIB as u64));
    // The retried attempt does not count its bytes again, and nothing goes down.
    assert!(sent.windows(2).all(|w| w[0].0 <= w[1].0), "bytes_sent went down: {sent:?}");
    assert_eq!(sent.last(), Some(&(6 * MIB as u64, 1)));
}
