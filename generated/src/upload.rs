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
//!    two threads, without holding the file in memory;
//! 2. `POST /v1/files/` declares the parts with their checksums and gets one presigned URL each;
//! 3. each part is re-read from the source and `PUT` to its URL with exactly the headers Polar
//!    returned (they are signed) and nothing else: the access token never goes to storage. Failed
//!    `PUT`s are retried with backoff. The `ETag` of each is kept verbatim;
//! 4. `POST /v1/files/{id}/uploaded` completes the upload with every part's `ETag` and checksum.
//!
//! If any part finally fails, the upload is not completed and the error names the part.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use base64::Engine as _;
use bytes::{Bytes, BytesMut};
use futures_util::stream::{self, StreamExt, TryStreamExt};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeek, AsyncSeekExt};

use crate::client::{Files, FilesCreateError, FilesDeleteError, FilesUploadedError};
use crate::models::{
    DownloadableFileCreate, FileCreate, FileRead, FileServiceTypes, FileUpload, FileUploadCompleted,
    OrganizationAvatarFileCreate, ProductMediaFileCreate, S3FileCreateMultipart, S3FileCreatePart,
    S3FileUploadCompletedPart, S3FileUploadPart, SupportCaseAttachmentFileCreate,
};
use crate::runtime::Failure;
use crate::{Error, Nullable, RetryPolicy};

/// The part size Polar's dashboard uses.
pub const DEFAULT_PART_SIZE: u64 = 10_000_000;
/// Storage's smallest part (every part but the last).
pub const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;
/// Storage's largest number of parts.
pub const MAX_PARTS: u64 = 10_000;
/// Storage's largest part.
pub const MAX_PART_SIZE: u64 = 5 * 1024 * 1024 * 1024;
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

/// Bytes read at a time while hashing.
const HASH_CHUNK: usize = 1024 * 1024;
/// Chunks queued for each hashing thread.
const HASH_QUEUE: usize = 8;

/// What to upload.
pub struct UploadSource(SourceKind);

enum SourceKind {
    Path(PathBuf),
    Bytes(Bytes),
    Reader(Box<dyn SeekRead>),
    Stream(Box<dyn AsyncRead + Send + Unpin>),
}

trait SeekRead: AsyncRead + AsyncSeek + Send + Unpin {}
impl<T: AsyncRead + AsyncSeek + Send + Unpin> SeekRead for T {}

impl UploadSource {
    /// A file on disk; its name is the default name of the upload.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        UploadSource(SourceKind::Path(path.into()))
    }

    /// Bytes in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        UploadSource(SourceKind::Bytes(bytes.into()))
    }

    /// Any reader that can seek (each part is re-read from it).
    pub fn reader<R: AsyncRead + AsyncSeek + Send + Unpin + 'static>(reader: R) -> Self {
        UploadSource(SourceKind::Reader(Box::new(reader)))
    }

    /// A plain stream: it is spooled to a temporary file first, since every part's checksum must
    /// be known before the upload is created.
    pub fn stream<R: AsyncRead + Send + Unpin + 'static>(stream: R) -> Self {
        UploadSource(SourceKind::Stream(Box::new(stream)))
    }
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            SourceKind::Path(path) => f.debug_tuple("Path").field(path).finish(),
            SourceKind::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            SourceKind::Reader(_) => f.write_str("Reader"),
            SourceKind::Stream(_) => f.write_str("Stream"),
        }
    }
}

impl From<PathBuf> for UploadSource {
    fn from(path: PathBuf) -> Self {
        UploadSource::path(path)
    }
}

impl From<&Path> for UploadSource {
    fn from(path: &Path) -> Self {
        UploadSource::path(path)
    }
}

impl From<Bytes> for UploadSource {
    fn from(bytes: Bytes) -> Self {
        UploadSource::bytes(bytes)
    }
}

impl From<Vec<u8>> for UploadSource {
    fn from(bytes: Vec<u8>) -> Self {
        UploadSource::bytes(bytes)
    }
}

/// How far an upload is. Every field only grows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes hashed so far (the first pass).
    pub bytes_hashed: u64,
    /// Bytes of parts stored so far (counted when a part's `PUT` succeeds).
    pub bytes_sent: u64,
    /// Parts stored so far.
    pub parts_done: u64,
    /// Parts in all.
    pub parts_total: u64,
    /// The source's size.
    pub total_bytes: u64,
}

type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Why an upload failed. Nothing partial is ever reported as success: if a part fails, the
/// upload is not completed.
#[derive(Debug)]
#[non_exhaustive]
pub enum UploadError {
    /// The options cannot work (no name for a nameless source, a part size out of range, ...).
    InvalidOptions(String),
    /// The file breaks a limit of its kind of file (type or size); nothing was sent.
    Limits(String),
    /// The source could not be read.
    Io(io::Error),
    /// Creating the file failed.
    Create(Error<FilesCreateError>),
    /// Polar's answer to the create call does not match the planned parts.
    Protocol(String),
    /// A part's presigned URL expired before its `PUT` (Polar cannot re-sign it).
    PartExpired {
        /// The part number.
        number: i64,
        /// When its URL expired.
        expires_at: chrono::DateTime<chrono::Utc>,
    },
    /// A part's `PUT` failed for good.
    Part {
        /// The part number.
        number: i64,
        /// The last status storage answered, if it answered.
        status: Option<http::StatusCode>,
        /// What went wrong (storage's error text, or that the request failed).
        message: String,
        /// The transport's error, when storage did not answer (also `source()`).
        source: Option<reqwest::Error>,
    },
    /// The source's bytes changed between hashing and sending.
    SourceChanged {
        /// The part whose bytes differ.
        number: i64,
    },
    /// Completing the upload failed (every part was stored).
    Complete(Error<FilesUploadedError>),
    /// The upload failed after the file was created, and the file was left behind: kept on
    /// purpose ([`Upload::keep_failed_file`]) or because deleting it failed. (By default a file
    /// whose upload failed is deleted and the error is the failure itself.)
    Abandoned {
        /// The created file's id, to retry or delete it later.
        file_id: uuid::Uuid,
        /// Why deleting it failed, if it was tried.
        delete_error: Option<Box<Error<FilesDeleteError>>>,
        /// Why the upload failed (also `source()`).
        cause: Box<UploadError>,
    },
}

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadError::InvalidOptions(message) => write!(f, "invalid upload options: {message}"),
            UploadError::Limits(message) => write!(f, "the file breaks a limit: {message}"),
            // The cause is the source (never printed here too, so a chain shows it once).
            UploadError::Io(_) => write!(f, "cannot read the source"),
            UploadError::Create(_) => write!(f, "creating the file failed"),
            UploadError::Protocol(message) => write!(f, "unexpected answer from Polar: {message}"),
            UploadError::PartExpired { number, expires_at } => {
                write!(f, "part {number}: its upload URL expired at {expires_at} before it could be sent")
            }
            UploadError::Part { number, status: Some(status), message, .. } => {
                write!(f, "part {number}: storage answered {status}: {message}")
            }
            UploadError::Part { number, status: None, message, .. } => write!(f, "part {number}: {message}"),
            UploadError::SourceChanged { number } => {
                write!(f, "part {number}: the source changed while it was being uploaded")
            }
            UploadError::Complete(_) => write!(f, "completing the upload failed"),
            UploadError::Abandoned { file_id, delete_error: None, .. } => {
                write!(f, "the upload failed; the created file {file_id} was kept")
            }
            UploadError::Abandoned { file_id, delete_error: Some(err), .. } => {
                write!(f, "the upload failed; the created file {file_id} was left behind (deleting it failed: {err})")
            }
        }
    }
}

impl std::error::Error for UploadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UploadError::Io(err) => Some(err),
            UploadError::Create(err) => Some(err),
            UploadError::Complete(err) => Some(err),
            UploadError::Part { source: Some(err), .. } => Some(err),
            UploadError::Abandoned { cause, .. } => Some(&**cause),
            _ => None,
        }
    }
}

impl From<io::Error> for UploadError {
    fn from(err: io::Error) -> Self {
        UploadError::Io(err)
    }
}

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
    /// [`DEFAULT_MEMORY_LIMIT`]). A part is read from the source only when its bytes fit, so at
    /// most `min(concurrency, memory_limit / part size)` parts are in flight, and always at least
    /// one (a part larger than the limit goes alone). Hashing holds about 16 MiB more.
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
        let body = create_body(&service, name, mime_type, size, organization_id, version, hashes.whole, parts)?;
        let upload = files.create(body).send().await.map_err(UploadError::Create)?;
        let returned = check_returned_parts(&upload, &plan)?;

        // The API's HTTP client carries no default headers (the token and headers go per request).
        let storage = storage.unwrap_or_else(|| files.client.inner.http.clone());
        let file_id = upload.id;
        let sent = send_parts(returned, hashes.parts, source, storage, &tracker, part_retry, part_timeout, memory_limit, concurrency, last_part).await;
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
        if let Some(timeout) = files.client.inner.timeout {
            complete = complete.timeout(timeout.max(COMPLETE_TIMEOUT));
        }
        complete.send().await.map_err(UploadError::Complete)
    }
}

/// Sends every part (as many at a time as `concurrency` and the byte budget allow) and checks the
/// source kept its length; the completed parts in order.
#[allow(clippy::too_many_arguments)]
async fn send_parts(
    returned: Vec<S3FileUploadPart>,
    checksums: Vec<String>,
    source: Prepared,
    storage: reqwest::Client,
    tracker: &Tracker,
    part_retry: RetryPolicy,
    part_timeout: std::time::Duration,
    memory_limit: u64,
    concurrency: usize,
    last_part: i64,
) -> Result<Vec<S3FileUploadCompletedPart>, UploadError> {
    {
        let source = Arc::new(source);
        let budget = Arc::new(Budget::new(memory_limit));
        let sent = stream::iter(returned.into_iter().zip(checksums))
            .map(|(part, checksum)| {
                let (storage, source, tracker, retry, budget) =
                    (storage.clone(), source.clone(), tracker.clone(), part_retry.clone(), budget.clone());
                async move {
                    let etag = put_part(&storage, &source, &part, &checksum, &retry, part_timeout, &tracker, &budget).await?;
                    Ok::<_, UploadError>(S3FileUploadCompletedPart {
                        number: part.number,
                        checksum_etag: etag,
                        checksum_sha256_base64: Some(checksum),
                    })
                }
            })
            .buffer_unordered(concurrency);
        let mut completed: Vec<S3FileUploadCompletedPart> = sent.try_collect().await?;
        completed.sort_by_key(|part| part.number);
        // Every part matched its hash; a tail appended since would be left out: refuse.
        if !source.same_len().await? {
            return Err(UploadError::SourceChanged { number: last_part });
        }
        Ok(completed)
    }
}

impl IntoFuture for Upload {
    type Output = Result<FileRead, UploadError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// One planned part: `start` inclusive, `end` exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlannedPart {
    /// From 1.
    pub number: i64,
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
}

/// Splits `size` bytes into parts of `part_size` (grown so that at most 10,000 parts are needed).
/// Every part but the last is full; a size that is a multiple of the part size gets no empty
/// trailing part; an empty source is one empty part.
pub fn plan_parts(size: u64, part_size: u64) -> Result<Vec<PlannedPart>, UploadError> {
    if part_size < MIN_PART_SIZE {
        return Err(UploadError::InvalidOptions(format!("the part size {part_size} is below storage's minimum of {MIN_PART_SIZE} bytes")));
    }
    let part_size = part_size.max(size.div_ceil(MAX_PARTS));
    if part_size > MAX_PART_SIZE {
        return Err(UploadError::Limits(format!("{size} bytes need parts larger than storage's maximum of {MAX_PART_SIZE} bytes")));
    }
    if size == 0 {
        return Ok(vec![PlannedPart { number: 1, start: 0, end: 0 }]);
    }
    let count = size.div_ceil(part_size);
    Ok((0..count)
        .map(|i| PlannedPart { number: i as i64 + 1, start: i * part_size, end: ((i + 1) * part_size).min(size) })
        .collect())
}

/// Image types accepted for product media and organization avatars.
const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif", "image/webp", "image/svg+xml"];

/// Types accepted for support case attachments.
const SUPPORT_TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/svg+xml",
    "video/mp4",
    "video/quicktime",
    "video/webm",
    "application/pdf",
    "text/csv",
    "text/plain",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/// The limits of each kind of file (from `specs/`), checked before anything is sent.
fn check_limits(service: &FileServiceTypes, mime_type: &str, size: u64) -> Result<(), UploadError> {
    let (types, max_size): (Option<&[&str]>, Option<u64>) = match service {
        FileServiceTypes::Downloadable => (None, None),
        FileServiceTypes::ProductMedia => (Some(IMAGE_TYPES), Some(10_485_760)),
        FileServiceTypes::OrganizationAvatar => (Some(IMAGE_TYPES), Some(1_048_576)),
        FileServiceTypes::SupportCaseAttachment => (Some(SUPPORT_TYPES), Some(262_144_000)),
        // A kind this helper does not know the limits of (unknown to this crate, or added by a
        // regeneration before this helper learnt it): refused, and the crate still compiles.
        other => return Err(UploadError::InvalidOptions(format!("this crate cannot upload files of the kind `{other}`"))),
    };
    if let Some(types) = types {
        if !types.contains(&mime_type) {
            return Err(UploadError::Limits(format!("{service} files cannot be of type `{mime_type}` (accepted: {})", types.join(", "))));
        }
    }
    if let Some(max) = max_size {
        if size > max {
            return Err(UploadError::Limits(format!("{service} files are at most {max} bytes; this one has {size}")));
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn create_body(
    service: &FileServiceTypes,
    name: String,
    mime_type: String,
    size: u64,
    organization_id: Option<uuid::Uuid>,
    version: Option<String>,
    checksum: String,
    parts: Vec<S3FileCreatePart>,
) -> Result<FileCreate, UploadError> {
    let organization_id = organization_id.map_or(Nullable::Absent, Nullable::Value);
    let version = version.map_or(Nullable::Absent, Nullable::Value);
    let size = i64::try_from(size).map_err(|_| UploadError::Limits(format!("{size} bytes is too large")))?;
    let checksum_sha256_base64 = Nullable::Value(checksum);
    let upload = S3FileCreateMultipart { parts };
    Ok(match service {
        FileServiceTypes::Downloadable => DownloadableFileCreate { organization_id, name, mime_type, size, checksum_sha256_base64, upload, version }.into(),
        FileServiceTypes::ProductMedia => ProductMediaFileCreate { organization_id, name, mime_type, size, checksum_sha256_base64, upload, version }.into(),
        FileServiceTypes::OrganizationAvatar => {
            OrganizationAvatarFileCreate { organization_id, name, mime_type, size, checksum_sha256_base64, upload, version }.into()
        }
        FileServiceTypes::SupportCaseAttachment => {
            SupportCaseAttachmentFileCreate { organization_id, name, mime_type, size, checksum_sha256_base64, upload, version }.into()
        }
        // A kind this helper does not know the limits of (unknown to this crate, or added by a
        // regeneration before this helper learnt it): refused, and the crate still compiles.
        other => return Err(UploadError::InvalidOptions(format!("this crate cannot upload files of the kind `{other}`"))),
    })
}

/// The parts Polar returned, in plan order, checked against the plan.
fn check_returned_parts(upload: &FileUpload, plan: &[PlannedPart]) -> Result<Vec<S3FileUploadPart>, UploadError> {
    let mut returned = upload.upload.parts.clone();
    returned.sort_by_key(|part| part.number);
    if returned.len() != plan.len() {
        return Err(UploadError::Protocol(format!("{} parts were planned, Polar returned {}", plan.len(), returned.len())));
    }
    for (part, planned) in returned.iter().zip(plan) {
        if part.number != planned.number || part.chunk_start != planned.start as i64 || part.chunk_end != planned.end as i64 {
            return Err(UploadError::Protocol(format!(
                "part {} was planned as bytes {}..{}, Polar returned part {} as {}..{}",
                planned.number, planned.start, planned.end, part.number, part.chunk_start, part.chunk_end
            )));
        }
    }
    Ok(returned)
}

/// Shared progress counters, reported through the callback.
#[derive(Clone)]
struct Tracker {
    callback: Option<ProgressFn>,
    hashed: Arc<AtomicU64>,
    sent: Arc<AtomicU64>,
    parts: Arc<AtomicU64>,
    parts_total: u64,
    total_bytes: u64,
    /// Reports go out one at a time, so the values a callback sees never go down.
    reporting: Arc<std::sync::Mutex<()>>,
}

impl Tracker {
    fn new(callback: Option<ProgressFn>, total_bytes: u64, parts_total: u64) -> Self {
        Tracker {
            callback,
            hashed: Arc::default(),
            sent: Arc::default(),
            parts: Arc::default(),
            parts_total,
            total_bytes,
            reporting: Arc::default(),
        }
    }

    fn report(&self) {
        if let Some(callback) = &self.callback {
            let _serial = self.reporting.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            callback(Progress {
                bytes_hashed: self.hashed.load(Ordering::Relaxed),
                bytes_sent: self.sent.load(Ordering::Relaxed),
                parts_done: self.parts.load(Ordering::Relaxed),
                parts_total: self.parts_total,
                total_bytes: self.total_bytes,
            });
        }
    }

    fn hashed(&self, bytes: u64) {
        self.hashed.fetch_add(bytes, Ordering::Relaxed);
        self.report();
    }

    /// A part is stored: the bytes of it not yet counted as sent, and one more part done.
    fn part_sent(&self, bytes: u64, counted: &AtomicU64) {
        let before = counted.swap(bytes, Ordering::Relaxed);
        self.sent.fetch_add(bytes.saturating_sub(before), Ordering::Relaxed);
        self.parts.fetch_add(1, Ordering::Relaxed);
        self.report();
    }

    /// An attempt of a part has handed `so_far` bytes to the connection: what exceeds the most
    /// any attempt of this part handed over (`counted`) counts as sent, so a retried part does
    /// not count twice and `bytes_sent` never goes down.
    fn leaving(&self, so_far: u64, counted: &AtomicU64) {
        let before = counted.fetch_max(so_far, Ordering::Relaxed);
        if so_far > before {
            self.sent.fetch_add(so_far - before, Ordering::Relaxed);
            self.report();
        }
    }
}

/// Bytes handed to the connection at a time (progress is reported per chunk).
const SEND_CHUNK: usize = 256 * 1024;

/// A part's bytes as a request body that reports progress as the connection takes each chunk.
fn counting_body(bytes: Bytes, tracker: Tracker, counted: Arc<AtomicU64>) -> reqwest::Body {
    let chunks: Vec<Bytes> = (0..bytes.len()).step_by(SEND_CHUNK).map(|start| bytes.slice(start..(start + SEND_CHUNK).min(bytes.len()))).collect();
    let mut so_far = 0_u64;
    let stream = stream::iter(chunks).map(move |chunk| {
        // Counted as the connection asks for the chunk: the previous one has been written.
        so_far += chunk.len() as u64;
        tracker.leaving(so_far - chunk.len() as u64, &counted);
        Ok::<Bytes, io::Error>(chunk)
    });
    reqwest::Body::wrap_stream(stream)
}

/// The source, ready for random access.
enum Prepared {
    File { path: PathBuf, len: u64, _spooled: Option<tempfile::TempPath> },
    Bytes(Bytes),
    Reader { reader: tokio::sync::Mutex<Box<dyn SeekRead>>, len: u64 },
}

impl Prepared {
    async fn new(source: SourceKind) -> io::Result<Self> {
        Ok(match source {
            SourceKind::Path(path) => {
                let len = tokio::fs::metadata(&path).await.map_err(|err| with_path(&path, err))?.len();
                Prepared::File { path, len, _spooled: None }
            }
            SourceKind::Bytes(bytes) => Prepared::Bytes(bytes),
            SourceKind::Reader(mut reader) => {
                let len = reader.seek(io::SeekFrom::End(0)).await?;
                Prepared::Reader { reader: tokio::sync::Mutex::new(reader), len }
            }
            SourceKind::Stream(mut stream) => {
                let spool = tempfile::NamedTempFile::new()?;
                let (file, path) = spool.into_parts();
                let mut file = tokio::fs::File::from_std(file);
                let len = tokio::io::copy(&mut stream, &mut file).await?;
                tokio::io::AsyncWriteExt::flush(&mut file).await?;
                Prepared::File { path: path.to_path_buf(), len, _spooled: Some(path) }
            }
        })
    }

    fn len(&self) -> u64 {
        match self {
            Prepared::File { len, .. } | Prepared::Reader { len, .. } => *len,
            Prepared::Bytes(bytes) => bytes.len() as u64,
        }
    }

    /// Whether the source still has the length it had when the upload was planned.
    async fn same_len(&self) -> io::Result<bool> {
        match self {
            Prepared::Bytes(_) => Ok(true),
            Prepared::File { path, len, .. } => Ok(tokio::fs::metadata(path).await.map_err(|err| with_path(path, err))?.len() == *len),
            Prepared::Reader { reader, len } => Ok(reader.lock().await.seek(io::SeekFrom::End(0)).await? == *len),
        }
    }

    /// Bytes `start..end`, read afresh.
    async fn read_range(&self, start: u64, end: u64) -> io::Result<Bytes> {
        let len = usize::try_from(end - start).map_err(|_| io::Error::other("part too large for memory"))?;
        match self {
            Prepared::Bytes(bytes) => {
                let (start, end) = (start as usize, end as usize);
                bytes.get(start..end).map(|_| bytes.slice(start..end)).ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))
            }
            Prepared::File { path, .. } => {
                let mut file = tokio::fs::File::open(path).await.map_err(|err| with_path(path, err))?;
                file.seek(io::SeekFrom::Start(start)).await?;
                read_exact(&mut file, len).await
            }
            Prepared::Reader { reader, .. } => {
                let mut reader = reader.lock().await;
                reader.seek(io::SeekFrom::Start(start)).await?;
                read_exact(&mut *reader, len).await
            }
        }
    }

    /// Calls `f` with consecutive chunks of the whole source, in order.
    async fn for_each_chunk<F, Fut>(&self, mut f: F) -> io::Result<()>
    where
        F: FnMut(Bytes) -> Fut,
        Fut: Future<Output = io::Result<()>>,
    {
        match self {
            Prepared::Bytes(bytes) => {
                let mut offset = 0;
                while offset < bytes.len() {
                    let end = (offset + HASH_CHUNK).min(bytes.len());
                    f(bytes.slice(offset..end)).await?;
                    offset = end;
                }
                Ok(())
            }
            Prepared::File { path, len, .. } => {
                let mut file = tokio::fs::File::open(path).await.map_err(|err| with_path(path, err))?;
                chunks(&mut file, *len, f).await
            }
            Prepared::Reader { reader, len } => {
                let mut reader = reader.lock().await;
                reader.seek(io::SeekFrom::Start(0)).await?;
                chunks(&mut *reader, *len, f).await
            }
        }
    }
}

/// The same error, its message naming the file (`dist/app.zip: No such file or directory (os error
/// 2)`); the kind is kept.
fn with_path(path: &Path, err: io::Error) -> io::Error {
    io::Error::new(err.kind(), format!("{}: {err}", path.display()))
}

async fn read_exact<R: AsyncRead + Unpin + ?Sized>(reader: &mut R, len: usize) -> io::Result<Bytes> {
    let mut buffer = BytesMut::zeroed(len);
    reader.read_exact(&mut buffer).await?;
    Ok(buffer.freeze())
}

async fn chunks<R, F, Fut>(reader: &mut R, len: u64, mut f: F) -> io::Result<()>
where
    R: AsyncRead + Unpin + ?Sized,
    F: FnMut(Bytes) -> Fut,
    Fut: Future<Output = io::Result<()>>,
{
    let mut remaining = len;
    while remaining > 0 {
        let size = remaining.min(HASH_CHUNK as u64) as usize;
        let chunk = read_exact(reader, size).await?;
        remaining -= size as u64;
        f(chunk).await?;
    }
    Ok(())
}

/// The checksums of one pass.
struct Hashes {
    /// Each part's SHA-256, base64.
    parts: Vec<String>,
    /// The whole source's SHA-256, base64.
    whole: String,
}

fn base64(digest: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(digest)
}

/// One pass over the source: the whole file's SHA-256 on one thread, the parts' on another.
async fn hash(source: &Prepared, plan: &[PlannedPart], tracker: &Tracker) -> Result<Hashes, UploadError> {
    let (whole_tx, mut whole_rx) = tokio::sync::mpsc::channel::<Bytes>(HASH_QUEUE);
    let (parts_tx, mut parts_rx) = tokio::sync::mpsc::channel::<Bytes>(HASH_QUEUE);
    let whole = tokio::task::spawn_blocking(move || {
        let mut hasher = Sha256::new();
        while let Some(chunk) = whole_rx.blocking_recv() {
            hasher.update(&chunk);
        }
        base64(&hasher.finalize())
    });
    let ends: Vec<u64> = plan.iter().map(|part| part.end).collect();
    let parts = tokio::task::spawn_blocking(move || {
        let mut digests = Vec::with_capacity(ends.len());
        let mut hasher = Sha256::new();
        let mut offset = 0u64;
        let mut ends = ends.into_iter().peekable();
        // Empty parts (a zero-byte source) end before any chunk.
        while ends.peek() == Some(&offset) {
            let _ = ends.next();
            digests.push(base64(&std::mem::take(&mut hasher).finalize()));
        }
        while let Some(chunk) = parts_rx.blocking_recv() {
            let mut rest = &chunk[..];
            while !rest.is_empty() {
                let Some(&end) = ends.peek() else { break };
                let take = usize::try_from(end - offset).unwrap_or(usize::MAX).min(rest.len());
                hasher.update(&rest[..take]);
                rest = &rest[take..];
                offset += take as u64;
                if offset == end {
                    let _ = ends.next();
                    digests.push(base64(&std::mem::take(&mut hasher).finalize()));
                }
            }
        }
        digests
    });
    let fed = source
        .for_each_chunk(|chunk| {
            let (whole_tx, parts_tx) = (whole_tx.clone(), parts_tx.clone());
            let len = chunk.len() as u64;
            async move {
                let closed = || io::Error::other("a hashing thread stopped");
                whole_tx.send(chunk.clone()).await.map_err(|_| closed())?;
                parts_tx.send(chunk).await.map_err(|_| closed())?;
                tracker.hashed(len);
                Ok(())
            }
        })
        .await;
    drop((whole_tx, parts_tx));
    let whole = whole.await.map_err(|err| UploadError::Io(io::Error::other(err)))?;
    let parts = parts.await.map_err(|err| UploadError::Io(io::Error::other(err)))?;
    fed?;
    if parts.len() != plan.len() {
        return Err(UploadError::Io(io::Error::new(io::ErrorKind::UnexpectedEof, "the source ended early")));
    }
    Ok(Hashes { parts, whole })
}

/// The bytes of parts in memory at once, counted in KiB (a semaphore's permits).
struct Budget {
    semaphore: tokio::sync::Semaphore,
    units: u32,
}

impl Budget {
    fn new(bytes: u64) -> Self {
        let units = u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX).clamp(1, u32::MAX >> 4);
        Budget { semaphore: tokio::sync::Semaphore::new(units as usize), units }
    }

    /// Waits until `bytes` fit (a part larger than the whole budget waits for all of it).
    async fn reserve(&self, bytes: u64) -> Option<tokio::sync::SemaphorePermit<'_>> {
        let units = u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX).clamp(1, self.units);
        self.semaphore.acquire_many(units).await.ok()
    }
}

/// Sends one part, retrying as `retry` says; returns its `ETag`, verbatim.
#[allow(clippy::too_many_arguments)]
async fn put_part(
    storage: &reqwest::Client,
    source: &Prepared,
    part: &S3FileUploadPart,
    checksum: &str,
    retry: &RetryPolicy,
    timeout: std::time::Duration,
    tracker: &Tracker,
    budget: &Budget,
) -> Result<String, UploadError> {
    let number = part.number;
    let (start, end) = (part.chunk_start as u64, part.chunk_end as u64);
    let started = Instant::now();
    let mut attempt = 1;
    // The most bytes of this part any attempt has handed to the connection (counted as sent).
    let counted = Arc::new(AtomicU64::new(0));
    loop {
        if chrono::Utc::now() >= part.expires_at {
            return Err(UploadError::PartExpired { number, expires_at: part.expires_at });
        }
        // The part's bytes are in memory from here to the end of the attempt (not while waiting
        // to retry): only as many parts as the budget allows.
        let reserved = budget.reserve(end - start).await;
        // Re-read for every attempt, and checked against the hash Polar was told; a source whose
        // length changed has changed too (a tail appended after hashing would be left out).
        if !source.same_len().await? {
            return Err(UploadError::SourceChanged { number });
        }
        let bytes = source.read_range(start, end).await?;
        let len = bytes.len() as u64;
        let (digest, bytes) = tokio::task::spawn_blocking(move || (Sha256::digest(&bytes), bytes)).await.map_err(io::Error::other)?;
        if base64(&digest) != checksum {
            return Err(UploadError::SourceChanged { number });
        }
        // Storage needs the length up front (presigned PUTs are not chunked).
        let mut request = storage
            .put(&part.url)
            .timeout(timeout)
            .header(reqwest::header::CONTENT_LENGTH, len)
            .body(counting_body(bytes, tracker.clone(), counted.clone()));
        for (name, value) in &part.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let span = tracing::info_span!("upload_part", part = number, attempt, bytes = len);
        let (failure, headers, message, transport) = match tracing::Instrument::instrument(request.send(), span).await {
            Ok(response) if response.status() == reqwest::StatusCode::OK => {
                let etag = response.headers().get(reqwest::header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
                let Some(etag) = etag else {
                    return Err(UploadError::Part {
                        number,
                        status: Some(response.status()),
                        message: "storage answered without an ETag".to_owned(),
                        source: None,
                    });
                };
                tracker.part_sent(len, &counted);
                return Ok(etag);
            }
            Ok(mut response) => {
                let status = response.status();
                let headers = response.headers().clone();
                // Storage's error text, read up to 64 KiB and no further.
                let body = crate::runtime::read_limited(&mut response, crate::runtime::MAX_ERROR_BODY).await.map(|(body, _)| body).unwrap_or_default();
                drop(response);
                (Failure::Status(status), Some(headers), storage_message(&String::from_utf8_lossy(&body)), None)
            }
            // The transport's error is the source; the message does not repeat it.
            Err(err) => (
                if err.is_connect() { Failure::Connect } else { Failure::Transport },
                None,
                format!("the request to storage failed (attempt {attempt})"),
                Some(err),
            ),
        };
        drop(reserved);
        match retry.retry_after(&reqwest::Method::PUT, failure, headers.as_ref(), attempt, started.elapsed()) {
            Some(wait) => {
                tracing::info!(part = number, attempt, wait_ms = wait.as_millis() as u64, %message, "retrying part");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            None => {
                let status = match failure {
                    Failure::Status(status) => Some(status),
                    _ => None,
                };
                return Err(UploadError::Part { number, status, message, source: transport });
            }
        }
    }
}

/// The `<Code>` and `<Message>` of an S3 error document, or the body itself, kept short.
fn storage_message(body: &str) -> String {
    let field = |tag: &str| {
        let open = format!("<{tag}>");
        let start = body.find(&open)? + open.len();
        let end = body[start..].find("</")? + start;
        Some(body[start..end].to_owned())
    };
    match (field("Code"), field("Message")) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code,
        _ => body.chars().take(300).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1024 * 1024;

    #[test]
    fn parts_cover_the_file_without_an_empty_tail() {
        let plan = plan_parts(25_000_000, DEFAULT_PART_SIZE).unwrap();
        assert_eq!(
            plan,
            [
                PlannedPart { number: 1, start: 0, end: 10_000_000 },
                PlannedPart { number: 2, start: 10_000_000, end: 20_000_000 },
                PlannedPart { number: 3, start: 20_000_000, end: 25_000_000 },
            ]
        );
        assert_eq!(plan_parts(20_000_000, DEFAULT_PART_SIZE).unwrap().len(), 2);
        assert_eq!(plan_parts(1, DEFAULT_PART_SIZE).unwrap(), [PlannedPart { number: 1, start: 0, end: 1 }]);
        assert_eq!(plan_parts(0, DEFAULT_PART_SIZE).unwrap(), [PlannedPart { number: 1, start: 0, end: 0 }]);
    }

    #[test]
    fn part_size_grows_to_fit_ten_thousand_parts() {
        let size = 200 * 1024 * MIB; // 200 GiB
        let plan = plan_parts(size, DEFAULT_PART_SIZE).unwrap();
        assert!(plan.len() as u64 <= MAX_PARTS);
        assert_eq!(plan.last().unwrap().end, size);
        assert!(plan.windows(2).all(|w| w[0].end == w[1].start && w[0].end - w[0].start >= MIN_PART_SIZE));
        assert!(matches!(plan_parts(10, MIB), Err(UploadError::InvalidOptions(_))));
    }

    #[test]
    fn limits_are_checked_before_sending() {
        assert!(check_limits(&FileServiceTypes::Downloadable, "application/zip", 6 * 1024 * 1024 * MIB).is_ok());
        assert!(check_limits(&FileServiceTypes::ProductMedia, "image/png", 10 * MIB).is_ok());
        assert!(matches!(check_limits(&FileServiceTypes::ProductMedia, "image/png", 10 * MIB + 1), Err(UploadError::Limits(_))));
        assert!(matches!(check_limits(&FileServiceTypes::ProductMedia, "application/zip", 1), Err(UploadError::Limits(_))));
        assert!(matches!(check_limits(&FileServiceTypes::OrganizationAvatar, "image/webp", 2 * MIB), Err(UploadError::Limits(_))));
        assert!(check_limits(&FileServiceTypes::SupportCaseAttachment, "application/pdf", 250 * 1000 * 1000).is_ok());
        assert!(matches!(check_limits(&FileServiceTypes::SupportCaseAttachment, "application/zip", 1), Err(UploadError::Limits(_))));
    }

    #[test]
    fn storage_errors_are_summarized() {
        let xml = "<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature does not match</Message></Error>";
        assert_eq!(storage_message(xml), "SignatureDoesNotMatch: The request signature does not match");
    }

    #[tokio::test]
    async fn one_pass_hashes_parts_and_whole() {
        let data: Vec<u8> = (0..(12 * MIB + 3)).map(|i| (i % 251) as u8).collect();
        let plan = plan_parts(data.len() as u64, 5 * MIB).unwrap();
        let source = Prepared::Bytes(Bytes::from(data.clone()));
        let tracker = Tracker::new(None, data.len() as u64, plan.len() as u64);
        let hashes = hash(&source, &plan, &tracker).await.unwrap();
        assert_eq!(hashes.whole, base64(&Sha256::digest(&data)));
        for (part, digest) in plan.iter().zip(&hashes.parts) {
            assert_eq!(digest, &base64(&Sha256::digest(&data[part.start as usize..part.end as usize])));
        }
        let empty = hash(&Prepared::Bytes(Bytes::new()), &plan_parts(0, 5 * MIB).unwrap(), &tracker).await.unwrap();
        assert_eq!(empty.parts, [base64(&Sha256::digest(b""))]);
    }
}
