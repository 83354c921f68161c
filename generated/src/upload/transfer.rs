//! Sending the parts: each part's `PUT` to its presigned URL, several at a time within a byte
//! budget, retried.

use std::io;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use sha2::{Digest, Sha256};

use crate::models::{S3FileUploadCompletedPart, S3FileUploadPart};
use crate::runtime::{Attempt, Failure};
use crate::RetryPolicy;

use super::hash::base64;
use super::progress::Tracker;
use super::source::Prepared;
use super::UploadError;

/// Sends every part (as many at a time as `concurrency` and the byte budget allow) and checks the
/// source kept its length; the completed parts in order.
#[allow(clippy::too_many_arguments)]
pub(super) async fn send_parts(
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

/// Sends one part, retrying as `retry` says (the runtime's retry loop); returns its `ETag`,
/// verbatim.
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
    // The most bytes of this part any attempt has handed to the connection (counted as sent).
    let counted = Arc::new(AtomicU64::new(0));
    let attempts = retry.run(&reqwest::Method::PUT, |attempt| {
        let span = tracing::info_span!("upload_part", part = number, attempt, bytes = end - start);
        let counted = counted.clone();
        let work = async move {
            match put_once(storage, source, part, checksum, timeout, tracker, budget, counted, attempt).await {
                Ok(etag) => Attempt::Done(Ok(etag)),
                Err(Stop::Final(err)) => Attempt::Done(Err(err)),
                Err(Stop::Retryable { failure, headers, error }) => Attempt::Failed { failure, headers, error },
            }
        };
        (span, work)
    });
    attempts.await.map_err(|exhausted| exhausted.error)
}

/// Why an attempt of a part's `PUT` failed.
enum Stop {
    /// Retrying cannot help (the source changed, the URL expired, ...).
    Final(UploadError),
    /// Storage answered an error status or did not answer: the retry policy decides.
    Retryable { failure: Failure, headers: Option<reqwest::header::HeaderMap>, error: UploadError },
}

impl From<io::Error> for Stop {
    fn from(err: io::Error) -> Self {
        Stop::Final(UploadError::Io(err))
    }
}

/// One attempt of a part's `PUT`: reads the part afresh, checks it against its checksum, sends it.
#[allow(clippy::too_many_arguments)]
async fn put_once(
    storage: &reqwest::Client,
    source: &Prepared,
    part: &S3FileUploadPart,
    checksum: &str,
    timeout: std::time::Duration,
    tracker: &Tracker,
    budget: &Budget,
    counted: Arc<AtomicU64>,
    attempt: u32,
) -> Result<String, Stop> {
    let number = part.number;
    let (start, end) = (part.chunk_start as u64, part.chunk_end as u64);
    if chrono::Utc::now() >= part.expires_at {
        return Err(Stop::Final(UploadError::PartExpired { number, expires_at: part.expires_at }));
    }
    // The part's bytes are in memory from here to the end of the attempt (not while waiting to
    // retry): only as many parts as the budget allows.
    let _reserved = budget.reserve(end - start).await;
    // Re-read for every attempt, and checked against the hash Polar was told; a source whose
    // length changed has changed too (a tail appended after hashing would be left out).
    if !source.same_len().await? {
        return Err(Stop::Final(UploadError::SourceChanged { number }));
    }
    let bytes = source.read_range(start, end).await?;
    let len = bytes.len() as u64;
    let (digest, bytes) = tokio::task::spawn_blocking(move || (Sha256::digest(&bytes), bytes)).await.map_err(io::Error::other)?;
    if base64(&digest) != checksum {
        return Err(Stop::Final(UploadError::SourceChanged { number }));
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
    match request.send().await {
        Ok(response) if response.status() == reqwest::StatusCode::OK => {
            let etag = response.headers().get(reqwest::header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let Some(etag) = etag else {
                return Err(Stop::Final(UploadError::Part {
                    number,
                    status: Some(response.status()),
                    message: "storage answered without an ETag".to_owned(),
                    source: None,
                }));
            };
            tracker.part_sent(len, &counted);
            Ok(etag)
        }
        Ok(mut response) => {
            let status = response.status();
            let headers = response.headers().clone();
            // Storage's error text, read up to 64 KiB and no further.
            let body = crate::runtime::read_limited(&mut response, crate::runtime::MAX_ERROR_BODY).await.map(|(body, _)| body).unwrap_or_default();
            let message = storage_message(&String::from_utf8_lossy(&body));
            let error = UploadError::Part { number, status: Some(status), message, source: None };
            Err(Stop::Retryable { failure: Failure::Status(status), headers: Some(headers), error })
        }
        // The transport's error is the source; the message does not repeat it.
        Err(err) => {
            let failure = if err.is_connect() { Failure::Connect } else { Failure::Transport };
            let message = format!("the request to storage failed (attempt {attempt})");
            Err(Stop::Retryable { failure, headers: None, error: UploadError::Part { number, status: None, message, source: Some(err) } })
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

    #[test]
    fn storage_errors_are_summarized() {
        let xml = "<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature does not match</Message></Error>";
        assert_eq!(storage_message(xml), "SignatureDoesNotMatch: The request signature does not match");
    }
}
