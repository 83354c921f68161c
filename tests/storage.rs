//! Real storage for upload tests and benchmarks, all on loopback:
//!
//! - **s3s-fs**, a real S3 implementation that checks SigV4 signatures (presigned URLs, their
//!   expiry, their signed headers), serving a temporary directory with an access key;
//! - in front of it a proxy of ours that records what storage receives and can inject faults;
//! - **a fake Polar** playing Polar's part of the upload protocol: on create it opens a real
//!   multipart upload with the SHA-256 checksum algorithm and presigns one `UploadPart` URL per
//!   part with the checksum headers signed in (rusty-s3); on uploaded it completes the upload with
//!   the parts' `ETag`s and checksums, and answers a `FileRead`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use base64::Engine as _;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The bearer token the fake Polar accepts.
pub const TOKEN: &str = "polar_oat_upload_test_secret";
/// The organization every file belongs to.
pub const ORGANIZATION: &str = "1dbfc517-0bbf-4301-9ba8-555ca42b9737";
const ACCESS_KEY: &str = "AKIAPOLARTEST";
const SECRET_KEY: &str = "polar-test-secret-key";
const BUCKET: &str = "polar-files";
const REGION: &str = "us-east-1";

/// One request as storage received it.
#[derive(Clone, Debug)]
pub struct Received {
    /// The method.
    pub method: String,
    /// Path and query.
    pub uri: String,
    /// Every header, names lowercase.
    pub headers: Vec<(String, String)>,
}

/// Faults to inject; all off by default.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Part number → how many of its `PUT`s storage answers 500 before letting one through.
    pub fail_part: BTreeMap<i64, u32>,
    /// Remove this header from this part's `PUT`s before storage sees them.
    pub strip_header: Option<(i64, String)>,
    /// Presign URLs that expire this soon (default one hour).
    pub url_lifetime: Option<Duration>,
    /// Tell the client the URLs live this long, whatever they really do (a clock skew).
    pub reported_lifetime: Option<Duration>,
    /// Tell the client the URLs expired an hour ago.
    pub expired_urls: bool,
    /// Answer the complete call with a 500 instead of completing.
    pub fail_complete: bool,
    /// Remove the `ETag` from storage's answer to this part's `PUT`.
    pub drop_etag: Option<i64>,
    /// Part number → how many of its `PUT`s stall (no answer for 30 s) before one goes through.
    pub stall_part: BTreeMap<i64, u32>,
    /// Wait this long before completing (storage completing a large upload).
    pub slow_complete: Option<Duration>,
    /// Answer every part's `PUT` with a 500 whose body has this many bytes (made as it is sent,
    /// never held; no `Content-Length`).
    pub huge_error: Option<u64>,
}

/// A file the fake Polar created.
#[derive(Clone, Debug)]
pub struct Created {
    /// The object's key in the bucket.
    pub key: String,
    /// The storage upload id.
    pub upload_id: String,
    /// The create call's body.
    pub request: Value,
    /// Whether the upload was completed.
    pub completed: bool,
}

#[derive(Default)]
struct Shared {
    faults: Faults,
    received: Vec<Received>,
    created: BTreeMap<String, Created>,
    polar_calls: Vec<String>,
    /// Part `PUT`s being handled now, and the most at once.
    parts_in_flight: usize,
    max_parts_in_flight: usize,
}

/// Counts a part's `PUT` as in flight until dropped.
struct InFlight(Arc<Mutex<Shared>>);

impl InFlight {
    fn new(shared: &Arc<Mutex<Shared>>) -> Self {
        let mut guard = lock(shared);
        guard.parts_in_flight += 1;
        guard.max_parts_in_flight = guard.max_parts_in_flight.max(guard.parts_in_flight);
        InFlight(shared.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        lock(&self.0).parts_in_flight -= 1;
    }
}

/// Storage, the proxy and the fake Polar, running until dropped.
pub struct Harness {
    /// The fake Polar's base URL.
    pub polar_url: String,
    /// Storage's URL (through the proxy).
    pub storage_url: String,
    root: tempfile::TempDir,
    shared: Arc<Mutex<Shared>>,
    bucket: Arc<Bucket>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for Harness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Harness").field("polar_url", &self.polar_url).field("storage_url", &self.storage_url).finish()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Harness {
    /// Starts everything on loopback, storing under a new temporary directory (under `dir` if
    /// given: benchmarks store gigabytes).
    pub async fn start(dir: Option<&std::path::Path>) -> Result<Self, String> {
        let root = match dir {
            Some(dir) => tempfile::tempdir_in(dir),
            None => tempfile::tempdir(),
        }
        .map_err(|e| e.to_string())?;
        std::fs::create_dir_all(root.path().join(BUCKET)).map_err(|e| e.to_string())?;
        let shared = Arc::new(Mutex::new(Shared::default()));
        let mut tasks = Vec::new();

        // Storage: s3s-fs with SigV4 authentication, behind the recording proxy.
        let fs = s3s_fs::FileSystem::new(root.path()).map_err(|e| format!("{e:?}"))?;
        let mut builder = s3s::service::S3ServiceBuilder::new(fs);
        builder.set_auth(s3s::auth::SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
        let s3 = builder.build();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
        let storage_url = format!("http://{}", listener.local_addr().map_err(|e| e.to_string())?);
        let proxy_shared = shared.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { continue };
                let (s3, shared) = (s3.clone(), proxy_shared.clone());
                let service = service_fn(move |request| proxy(s3.clone(), shared.clone(), request));
                tokio::spawn(async move {
                    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(socket), service)
                        .await;
                });
            }
        }));

        // The fake Polar.
        let bucket = Bucket::new(storage_url.parse().map_err(|e| format!("{e}"))?, UrlStyle::Path, BUCKET, REGION).map_err(|e| e.to_string())?;
        let bucket = Arc::new(bucket);
        let state = Polar { bucket: bucket.clone(), shared: shared.clone(), http: reqwest::Client::new() };
        let app = Router::new()
            .route("/v1/files/{id}/uploaded", post(uploaded))
            .route("/v1/files/", get(list).post(create))
            .route("/v1/files/{id}", delete(remove).patch(patch))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
        let polar_url = format!("http://{}", listener.local_addr().map_err(|e| e.to_string())?);
        tasks.push(tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        }));
        Ok(Harness { polar_url, storage_url, root, shared, bucket, tasks })
    }

    /// Sets the faults to inject from now on.
    pub fn set_faults(&self, faults: Faults) {
        lock(&self.shared).faults = faults;
    }

    /// Every request storage received so far.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.shared).received.clone()
    }

    /// The most part `PUT`s storage handled at once so far.
    pub fn max_parts_in_flight(&self) -> usize {
        lock(&self.shared).max_parts_in_flight
    }

    /// The fake Polar's calls so far (`create`, `uploaded`, `delete`, `list`, `update`).
    pub fn polar_calls(&self) -> Vec<String> {
        lock(&self.shared).polar_calls.clone()
    }

    /// The files created so far, by id.
    pub fn created(&self) -> BTreeMap<String, Created> {
        lock(&self.shared).created.clone()
    }

    /// A presigned `PutObject` URL (one plain `PUT` of a whole object: raw storage ingest).
    pub fn presign_put(&self, key: &str) -> String {
        let credentials = credentials();
        self.bucket.put_object(Some(&credentials), key).sign(Duration::from_secs(3600)).to_string()
    }

    /// Deletes every stored object and upload (benchmarks reuse one harness).
    pub fn clear(&self) -> std::io::Result<()> {
        for entry in std::fs::read_dir(self.root.path())? {
            let path = entry?.path();
            if path.file_name().is_some_and(|n| n == BUCKET) {
                std::fs::remove_dir_all(&path)?;
                std::fs::create_dir_all(&path)?;
            } else if path.is_dir() {
                std::fs::remove_dir_all(&path)?;
            } else {
                std::fs::remove_file(&path)?;
            }
        }
        lock(&self.shared).received.clear();
        Ok(())
    }

    /// Where a stored object's bytes are.
    pub fn object_path(&self, key: &str) -> PathBuf {
        self.root.path().join(BUCKET).join(key)
    }
}

/// The proxy in front of s3s: records, injects faults, forwards.
async fn proxy(
    s3: s3s::service::S3Service,
    shared: Arc<Mutex<Shared>>,
    mut request: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<s3s::Body>, s3s::HttpError> {
    let part = request
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("partNumber=")))
        .and_then(|n| n.parse::<i64>().ok());
    let _in_flight = part.map(|_| InFlight::new(&shared));
    let drop_etag = part.is_some() && part == lock(&shared).faults.drop_etag;
    let huge_error = part.and(lock(&shared).faults.huge_error);
    let stall = {
        let mut shared = lock(&shared);
        match part.and_then(|n| shared.faults.stall_part.get_mut(&n)) {
            Some(remaining) if *remaining > 0 => {
                *remaining -= 1;
                true
            }
            _ => false,
        }
    };
    let fail = {
        let mut shared = lock(&shared);
        shared.received.push(Received {
            method: request.method().to_string(),
            uri: request.uri().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap_or_default().to_owned()))
                .collect(),
        });
        if let (Some(number), Some((strip_part, header))) = (part, shared.faults.strip_header.clone()) {
            if number == strip_part {
                request.headers_mut().remove(header.as_str());
            }
        }
        match part.and_then(|n| shared.faults.fail_part.get_mut(&n)) {
            Some(remaining) if *remaining > 0 => {
                *remaining -= 1;
                true
            }
            _ => false,
        }
    };
    if stall {
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
    if let Some(size) = huge_error {
        static CHUNK: [u8; 65536] = [b'x'; 65536];
        let chunks = size.div_ceil(CHUNK.len() as u64);
        let stream = futures_util::stream::iter(
            (0..chunks).map(move |i| Ok::<_, std::io::Error>(hyper::body::Bytes::from_static(&CHUNK[..(size - i * 65536).min(65536) as usize]))),
        );
        let body = s3s::Body::from(s3s::stream::DynByteStream::from(s3s::dto::StreamingBlob::wrap(stream)));
        let mut response = hyper::Response::new(body);
        *response.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        return Ok(response);
    }
    if fail {
        let body = "<?xml version=\"1.0\"?><Error><Code>InternalError</Code><Message>injected fault</Message></Error>";
        let mut response = hyper::Response::new(s3s::Body::from(body.to_owned()));
        *response.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        return Ok(response);
    }
    let mut response = hyper::service::Service::call(&s3, request).await?;
    if drop_etag {
        response.headers_mut().remove("etag");
    }
    Ok(response)
}

#[derive(Clone)]
struct Polar {
    bucket: Arc<Bucket>,
    shared: Arc<Mutex<Shared>>,
    http: reqwest::Client,
}

fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET_KEY)
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"detail": message.into()}))).into_response()
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {TOKEN}"))
}

async fn create(State(polar): State<Polar>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if !authorized(&headers) {
        return error(StatusCode::UNAUTHORIZED, "bad token");
    }
    lock(&polar.shared).polar_calls.push("create".to_owned());
    let faults = lock(&polar.shared).faults.clone();
    let id = uuid::Uuid::new_v4().to_string();
    let name = body["name"].as_str().unwrap_or("file").to_owned();
    let key = format!("{ORGANIZATION}/{id}/{name}");
    let credentials = credentials();

    // Open the multipart upload, SHA-256 checksums announced and signed.
    let mut action = polar.bucket.create_multipart_upload(Some(&credentials), &key);
    action.headers_mut().insert("x-amz-checksum-algorithm", "SHA256");
    let url = action.sign(Duration::from_secs(600));
    let response = match polar.http.post(url).header("x-amz-checksum-algorithm", "SHA256").send().await {
        Ok(response) => response,
        Err(err) => return error(StatusCode::BAD_GATEWAY, err.to_string()),
    };
    let (status, text) = (response.status(), response.text().await.unwrap_or_default());
    if !status.is_success() {
        return error(StatusCode::BAD_GATEWAY, format!("storage: {status} {text}"));
    }
    let upload_id = match rusty_s3::actions::CreateMultipartUpload::parse_response(&text) {
        Ok(parsed) => parsed.upload_id().to_owned(),
        Err(err) => return error(StatusCode::BAD_GATEWAY, err.to_string()),
    };

    let lifetime = faults.url_lifetime.unwrap_or(Duration::from_secs(3600));
    let expires_at = if faults.expired_urls {
        chrono::Utc::now() - chrono::Duration::hours(1)
    } else {
        chrono::Utc::now() + chrono::Duration::from_std(faults.reported_lifetime.unwrap_or(lifetime)).unwrap_or_default()
    };
    let mut parts = Vec::new();
    for part in body["upload"]["parts"].as_array().cloned().unwrap_or_default() {
        let number = part["number"].as_u64().unwrap_or(0);
        let checksum = part["checksum_sha256_base64"].as_str().map(str::to_owned);
        let mut action = polar.bucket.upload_part(Some(&credentials), &key, number as u16, &upload_id);
        let mut signed = BTreeMap::new();
        if let Some(checksum) = &checksum {
            signed.insert("x-amz-checksum-sha256".to_owned(), checksum.clone());
            signed.insert("x-amz-sdk-checksum-algorithm".to_owned(), "SHA256".to_owned());
        }
        for (name, value) in &signed {
            action.headers_mut().insert(name.clone(), value.clone());
        }
        let url = action.sign(lifetime);
        parts.push(json!({
            "number": number,
            "chunk_start": part["chunk_start"],
            "chunk_end": part["chunk_end"],
            "checksum_sha256_base64": checksum,
            "url": url.to_string(),
            "expires_at": expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "headers": signed,
        }));
    }
    lock(&polar.shared)
        .created
        .insert(id.clone(), Created { key: key.clone(), upload_id: upload_id.clone(), request: body.clone(), completed: false });
    let answer = json!({
        "id": id, "organization_id": ORGANIZATION, "name": name, "path": key,
        "mime_type": body["mime_type"], "size": body["size"],
        "storage_version": null, "checksum_etag": null,
        "checksum_sha256_base64": body["checksum_sha256_base64"], "checksum_sha256_hex": null,
        "last_modified_at": null,
        "upload": {"id": upload_id, "path": key, "parts": parts},
        "version": body["version"], "service": body["service"], "size_readable": "", "is_uploaded": false
    });
    (StatusCode::CREATED, Json(answer)).into_response()
}

async fn remove(State(polar): State<Polar>, UrlPath(id): UrlPath<String>, headers: HeaderMap) -> Response {
    if !authorized(&headers) {
        return error(StatusCode::UNAUTHORIZED, "bad token");
    }
    let mut shared = lock(&polar.shared);
    shared.polar_calls.push("delete".to_owned());
    if shared.created.remove(&id).is_some() {
        StatusCode::NO_CONTENT.into_response()
    } else {
        (StatusCode::NOT_FOUND, Json(json!({"error": "ResourceNotFound", "detail": "Not found"}))).into_response()
    }
}

async fn uploaded(State(polar): State<Polar>, UrlPath(id): UrlPath<String>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if !authorized(&headers) {
        return error(StatusCode::UNAUTHORIZED, "bad token");
    }
    lock(&polar.shared).polar_calls.push("uploaded".to_owned());
    let slow = lock(&polar.shared).faults.slow_complete;
    if let Some(wait) = slow {
        tokio::time::sleep(wait).await;
    }
    if lock(&polar.shared).faults.fail_complete {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "injected fault");
    }
    let Some(created) = lock(&polar.shared).created.get(&id).cloned() else {
        return (StatusCode::NOT_FOUND, Json(json!({"error": "ResourceNotFound", "detail": "Not found"}))).into_response();
    };
    if body["id"] != json!(created.upload_id) || body["path"] != json!(created.key) {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "upload id or path does not match");
    }
    // The parts must be every declared part, in order, with the checksums declared at create.
    let declared = created.request["upload"]["parts"].as_array().cloned().unwrap_or_default();
    let parts = body["parts"].as_array().cloned().unwrap_or_default();
    if parts.len() != declared.len() {
        return error(StatusCode::UNPROCESSABLE_ENTITY, format!("{} parts declared, {} completed", declared.len(), parts.len()));
    }
    let mut xml = String::from("<CompleteMultipartUpload>");
    for (part, declared) in parts.iter().zip(&declared) {
        if part["number"] != declared["number"] || part["checksum_sha256_base64"] != declared["checksum_sha256_base64"] {
            return error(StatusCode::UNPROCESSABLE_ENTITY, format!("part {} does not match its declaration", part["number"]));
        }
        let etag = part["checksum_etag"].as_str().unwrap_or_default();
        let checksum = part["checksum_sha256_base64"].as_str().unwrap_or_default();
        xml.push_str(&format!(
            "<Part><PartNumber>{}</PartNumber><ETag>{}</ETag><ChecksumSHA256>{}</ChecksumSHA256></Part>",
            part["number"],
            etag.replace('&', "&amp;").replace('"', "&quot;"),
            checksum
        ));
    }
    xml.push_str("</CompleteMultipartUpload>");
    let credentials = credentials();
    let action = polar.bucket.complete_multipart_upload(Some(&credentials), &created.key, &created.upload_id, std::iter::empty());
    let url = action.sign(Duration::from_secs(600));
    let response = match polar.http.post(url).body(xml).send().await {
        Ok(response) => response,
        Err(err) => return error(StatusCode::BAD_GATEWAY, err.to_string()),
    };
    let (status, text) = (response.status(), response.text().await.unwrap_or_default());
    if !status.is_success() {
        return error(StatusCode::BAD_GATEWAY, format!("storage: {status} {text}"));
    }
    if let Some(created) = lock(&polar.shared).created.get_mut(&id) {
        created.completed = true;
    }
    (StatusCode::OK, Json(file_json(&id, &created))).into_response()
}

/// A created file as Polar's `FileRead`.
fn file_json(id: &str, created: &Created) -> Value {
    let request = &created.request;
    let service = request["service"].as_str().unwrap_or_default();
    let mut file = json!({
        "id": id, "organization_id": ORGANIZATION, "name": request["name"], "path": created.key,
        "mime_type": request["mime_type"], "size": request["size"],
        "storage_version": null, "checksum_etag": null,
        "checksum_sha256_base64": request["checksum_sha256_base64"], "checksum_sha256_hex": null,
        "last_modified_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "version": request["version"], "service": service, "is_uploaded": true,
        "created_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "size_readable": ""
    });
    match service {
        "downloadable" => file["flagged_malicious_at"] = Value::Null,
        "product_media" | "organization_avatar" => file["public_url"] = json!(format!("https://public.example/{}", created.key)),
        _ => {}
    }
    file
}

/// `GET /v1/files/`: every created file, on one page.
async fn list(State(polar): State<Polar>, headers: HeaderMap) -> Response {
    if !authorized(&headers) {
        return error(StatusCode::UNAUTHORIZED, "bad token");
    }
    let mut shared = lock(&polar.shared);
    shared.polar_calls.push("list".to_owned());
    let items: Vec<Value> = shared.created.iter().map(|(id, created)| file_json(id, created)).collect();
    let total = items.len();
    (StatusCode::OK, Json(json!({"items": items, "pagination": {"total_count": total, "max_page": 1}}))).into_response()
}

/// `PATCH /v1/files/{id}`: renames (the name only).
async fn patch(State(polar): State<Polar>, UrlPath(id): UrlPath<String>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if !authorized(&headers) {
        return error(StatusCode::UNAUTHORIZED, "bad token");
    }
    let mut shared = lock(&polar.shared);
    shared.polar_calls.push("update".to_owned());
    let Some(created) = shared.created.get_mut(&id) else {
        return (StatusCode::NOT_FOUND, Json(json!({"error": "ResourceNotFound", "detail": "Not found"}))).into_response();
    };
    if let Some(name) = body.get("name").filter(|n| n.is_string()) {
        created.request["name"] = name.clone();
    }
    (StatusCode::OK, Json(file_json(&id, created))).into_response()
}


/// SHA-256 of a file, base64, streamed.
pub fn sha256_base64_of(path: &std::path::Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(hasher.finalize()))
}
