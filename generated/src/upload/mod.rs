//! Upload a whole file in one call: plan the parts, hash them, create the file, `PUT` every part
//! to its presigned URL (several at a time), and complete the upload.
//!
//! This module is hand-written: `cargo xtask codegen` never touches it.
//!
//! ```no_run
//! # async fn example(client: polar_files::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use polar_files::models::FileServiceTypes;
//! use polar_files::upload::UploadSource;
//!
//! let file = client
//!     .files()
//!     .upload(UploadSource::path("dist/app-1.4.2.zip"), FileServiceTypes::Downloadable)
//!     .on_progress(|p| eprintln!("{} of {} bytes sent", p.bytes_sent, p.total_bytes))
//!     .await?;
//! println!("uploaded {:?}", file.tag());
//! # Ok(())
//! # }
//! ```
//!
//! How it works (the protocol is Polar's; see the crate's README):
//! 1. one streaming pass over the source computes every part's SHA-256 and the whole file's, on
//!    two threads, without holding the file in memory (and each part's XXH3 fingerprint);
//! 2. `POST /v1/files/` declares the parts with their checksums and gets one presigned URL each;
//! 3. each part is re-read from the source as it is `PUT` to its URL (checked against its
//!    fingerprint before its last bytes leave), with exactly the headers Polar returned (they are
//!    signed) and nothing else: the access token never goes to storage. Failed `PUT`s are retried
//!    with backoff. The `ETag` of each is kept verbatim;
//! 4. `POST /v1/files/{id}/uploaded` completes the upload with every part's `ETag` and checksum.
//!
//! If any part finally fails, the upload is not completed and the error names the part.
//!
//! The module is laid out by job: `source` (what is read, and how), `plan` (the parts),
//! `kinds` (each kind of file's limits, from the document, and its create body), `hash` (the
//! checksums' pass), `transfer` (the parts' `PUT`s, within a byte budget, retried by the
//! runtime's retry loop), `progress` (what the callback sees) and `error`; this file drives them.

mod error;
mod hash;
mod kinds;
mod plan;
mod progress;
mod source;
mod transfer;

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;

use crate::client::Files;
use crate::models::{FileRead, FileServiceTypes, FileUploadCompleted, S3FileCreatePart};
use crate::{Nullable, RetryPolicy};

pub use error::UploadError;
pub use plan::{plan_parts, PlannedPart, DEFAULT_PART_SIZE, MAX_PARTS, MAX_PART_SIZE, MIN_PART_SIZE};
pub use progress::Progress;
pub use source::UploadSource;

use progress::{ProgressFn, Tracker};
use source::{Prepared, SourceKind};
use hash::hash;
use kinds::{check_limits, create_body};
use plan::check_returned_parts;
use transfer::send_parts;

/// Parts in flight at once, by default.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// How long one attempt of a part's `PUT` may take, by default (a stalled transfer is retried).
pub const DEFAULT_PART_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);
/// The bytes of parts held in memory at once, by default (256 MiB): with the default part size
/// and concurrency (4 × 10 MB) it never binds; with a high concurrency or the large parts of a
/// very large file, it lowers the number of parts in flight instead of the memory growing with it.
pub const DEFAULT_MEMORY_LIMIT: u64 = 256 * 1024 * 1024;

/// The least time the call that completes an upload may take: Polar completes the multipart
/// upload with storage before it answers, which takes longer the more parts there are, and the
/// call (a `POST`) is not retried after a timeout. The client's timeout applies if longer.
const COMPLETE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

impl Files {
    /// Uploads a whole file: plans the parts, hashes them, creates the file, sends every part to
    /// storage (several at a time) and completes the upload. Returns the stored file.
    ///
    /// Set the name (default: the file's name), MIME type (default: guessed from the name, else
    /// `application/octet-stream`), organization and version on the returned builder, then
    /// `.await` it.
    pub fn upload(&self, source: impl Into<UploadSource>, service: FileServiceTypes) -> Upload {
        Upload {
            files: self.clone(),
            source: source.into(),
            service,
            name: None,
            mime_type: None,
            organization_id: None,
            version: None,
            part_size: DEFAULT_PART_SIZE,
            concurrency: DEFAULT_CONCURRENCY,
            part_retry: RetryPolicy::default().max_attempts(4).idempotent_statuses([429, 500, 502, 503, 504]),
            part_timeout: DEFAULT_PART_TIMEOUT,
            memory_limit: DEFAULT_MEMORY_LIMIT,
            progress: None,
            storage: None,
            keep_failed_file: false,
        }
    }
}

/// An upload, ready to run: set options, then `.await` it (or call [`send`](Self::send)).
#[must_use = "an upload does nothing until it is awaited"]
pub struct Upload {
    files: Files,
    source: UploadSource,
    service: FileServiceTypes,
    name: Option<String>,
    mime_type: Option<String>,
    organization_id: Option<uuid::Uuid>,
    version: Option<String>,
    part_size: u64,
    concurrency: usize,
    part_retry: RetryPolicy,
    part_timeout: std::time::Duration,
    memory_limit: u64,
    progress: Option<ProgressFn>,
    storage: Option<reqwest::Client>,
    keep_failed_file: bool,
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("source", &self.source)
            .field("service", &self.service)
            .field("name", &self.name)
            .field("mime_type", &self.mime_type)
            .field("part_size", &self.part_size)
            .field("concurrency", &self.concurrency)
            .field("memory_limit", &self.memory_limit)
            .finish_non_exhaustive()
    }
}

impl Upload {
    /// The file's name (default: the source file's name).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The MIME type (default: guessed from the name, else `application/octet-stream`).
    pub fn mime_type(mut self, mime_type: impl Into<String>) -> Self {
        self.mime_type = Some(mime_type.into());
        self
    }

    /// The organization (needed with a personal access token).
    pub fn organization_id(mut self, organization_id: uuid::Uuid) -> Self {
        self.organization_id = Some(organization_id);
        self
    }

    /// A version label.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// The part size (default 10,000,000 bytes; at least 5 MiB). It grows by itself so that no
    /// file needs more than 10,000 parts.
    pub fn part_size(mut self, bytes: u64) -> Self {
        self.part_size = bytes;
        self
    }

    /// How many parts are in flight at once (default 4), as far as the
    /// [`memory_limit`](Self::memory_limit) allows.
    pub fn concurrency(mut self, parts: usize) -> Self {
        self.concurrency = parts;
        self
    }

    /// The most bytes of parts held in memory at once (default 256 MiB,
    /// [`DEFAULT_MEMORY_LIMIT`]). A part is sent only when its size fits in what the parts in
    /// flight leave of it, so at most `min(concurrency, memory_limit / part size)` parts are in
    /// flight, and always at least one (a part larger than the limit goes alone). Parts are read
    /// as they are sent, a MiB or two at a time each, so the memory used stays well below the
    /// limit; hashing holds about 16 MiB.
    pub fn memory_limit(mut self, bytes: u64) -> Self {
        self.memory_limit = bytes;
        self
    }

    /// The retry policy of each part's `PUT` (default: 4 attempts; 429, 5xx and transport
    /// failures retried, each attempt re-reading the part from the source).
    pub fn part_retry(mut self, policy: RetryPolicy) -> Self {
        self.part_retry = policy;
        self
    }

    /// How long one attempt of a part's `PUT` may take (default 10 minutes); a stalled transfer
    /// fails the attempt, which is retried.
    pub fn part_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.part_timeout = timeout;
        self
    }

    /// Called with the progress as it moves (from several tasks, one call at a time: keep it
    /// quick).
    pub fn on_progress(mut self, progress: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// The progress as a stream of its latest value (a `watch` channel): await `changed()` on the
    /// receiver to follow it. Replaces [`on_progress`](Self::on_progress).
    pub fn progress_watch(mut self) -> (Self, tokio::sync::watch::Receiver<Progress>) {
        let (sender, receiver) = tokio::sync::watch::channel(Progress::default());
        self.progress = Some(Arc::new(move |progress| {
            sender.send_replace(progress);
        }));
        (self, receiver)
    }

    /// The HTTP client for storage (default: the API client's, so the proxies and TLS settings
    /// of [`http_client`](crate::ClientBuilder::http_client) apply to storage too; the token and
    /// the API's headers are never sent to storage). Give one here when the API's client carries
    /// default headers storage must not see.
    pub fn storage_client(mut self, client: reqwest::Client) -> Self {
        self.storage = Some(client);
        self
    }

    /// Keeps the created file when the upload fails after creating it (default: it is deleted).
    /// The error is then [`UploadError::Abandoned`], with the file's id.
    pub fn keep_failed_file(mut self) -> Self {
        self.keep_failed_file = true;
        self
    }

    /// Runs the upload.
    pub async fn send(self) -> Result<FileRead, UploadError> {
        let Upload {
            files,
            source,
            service,
            name,
            mime_type,
            organization_id,
            version,
            part_size,
            concurrency,
            part_retry,
            part_timeout,
            memory_limit,
            progress,
            storage,
            keep_failed_file,
        } = self;
        if concurrency == 0 {
            return Err(UploadError::InvalidOptions("concurrency must be at least 1".to_owned()));
        }
        let default_name = match &source.0 {
            SourceKind::Path(path) => path.file_name().map(|n| n.to_string_lossy().into_owned()),
            _ => None,
        };
        let name = name.or(default_name).ok_or_else(|| {
            UploadError::InvalidOptions("a name is needed: the source has no file name".to_owned())
        })?;
        let mime_type = mime_type.unwrap_or_else(|| {
            mime_guess::from_path(&name).first_raw().unwrap_or("application/octet-stream").to_owned()
        });
        let source = Prepared::new(source.0).await?;
        let size = source.len();
        check_limits(&service, &mime_type, size)?;
        let plan = plan_parts(size, part_size)?;
        let tracker = Tracker::new(progress, size, plan.len() as u64);

        let hashes = hash(&source, &plan, &tracker).await?;
        let last_part = plan.last().map_or(1, |part| part.number);
        // A source that grew (or shrank) while it was hashed is a changed source too.
        if !source.same_len().await? {
            return Err(UploadError::SourceChanged { number: last_part });
        }
        let parts: Vec<S3FileCreatePart> = plan
            .iter()
            .zip(&hashes.parts)
            .map(|(part, checksum)| S3FileCreatePart {
                number: part.number,
                chunk_start: part.start as i64,
                chunk_end: part.end as i64,
                checksum_sha256_base64: Nullable::Value(checksum.clone()),
            })
            .collect();
        let body = create_body(&service, name, mime_type, size, organization_id, version, hashes.whole.clone(), parts)?;
        let upload = files.create(body).send().await.map_err(UploadError::Create)?;
        let returned = check_returned_parts(&upload, &plan)?;

        // The API's HTTP client carries no default headers (the token and headers go per request).
        let storage = storage.unwrap_or_else(|| files.client.http_client().clone());
        let file_id = upload.id;
        let sent = send_parts(returned, hashes, source, storage, &tracker, part_retry, part_timeout, memory_limit, concurrency, last_part).await;
        let completed = match sent {
            Ok(completed) => completed,
            Err(cause) if keep_failed_file => {
                return Err(UploadError::Abandoned { file_id, delete_error: None, cause: Box::new(cause) });
            }
            Err(cause) => {
                // Nothing of it is usable: delete it, so no half-uploaded file stays behind.
                return Err(match files.delete(file_id).send().await {
                    Ok(()) => cause,
                    Err(err) => UploadError::Abandoned { file_id, delete_error: Some(Box::new(err)), cause: Box::new(cause) },
                });
            }
        };

        let body = FileUploadCompleted { id: upload.upload.id.clone(), path: upload.upload.path.clone(), parts: completed };
        let mut complete = files.uploaded(upload.id, body);
        if let Some(timeout) = files.client.attempt_timeout() {
            complete = complete.timeout(timeout.max(COMPLETE_TIMEOUT));
        }
        complete.send().await.map_err(UploadError::Complete)
    }
}

impl IntoFuture for Upload {
    type Output = Result<FileRead, UploadError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
