//! Sending the parts: each part's `PUT` to its presigned URL, several at a time within a byte
//! budget, its bytes read as they are sent, retried.

use std::io;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};

use crate::models::{S3FileUploadCompletedPart, S3FileUploadPart};
use crate::runtime::{Attempt, Failure};
use crate::RetryPolicy;

use super::hash::Hashes;
use super::progress::Tracker;
use super::source::{Prepared, Unsent};
use super::UploadError;

/// Sends every part (as many at a time as `concurrency` and the byte budget allow) and checks the
/// source kept its length; the completed parts in order.
#[allow(clippy::too_many_arguments)]
pub(super) async fn send_parts(
    returned: Vec<S3FileUploadPart>,
    hashes: Hashes,
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
        let sent = stream::iter(returned.into_iter().zip(hashes.parts).zip(hashes.fingerprints))
            .map(|((part, checksum), fingerprint)| {
                let (storage, source, tracker, retry, budget) =
                    (storage.clone(), source.clone(), tracker.clone(), part_retry.clone(), budget.clone());
                async move {
                    let etag = put_part(&storage, &source, &part, fingerprint, &retry, part_timeout, &tracker, &budget).await?;
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
        // Every part matched what was hashed; a tail appended since would be left out: refuse.
        if !source.same_len().await? {
            return Err(UploadError::SourceChanged { number: last_part });
        }
        Ok(completed)
    }
}

/// Bytes handed to the connection at a time (progress is reported per chunk).
const SEND_CHUNK: usize = 256 * 1024;

/// A part's bytes, read as they are sent, as a request body that reports progress as the
/// connection takes each chunk. Why the part's bytes could not be sent (changed, unreadable) is
/// left in `unsent`, and the body fails before its last bytes.
fn part_body(chunks: impl Stream<Item = Result<Bytes, Unsent>> + Send + 'static, tracker: Tracker, counted: Arc<AtomicU64>, unsent: Arc<Mutex<Option<Unsent>>>) -> reqwest::Body {
    let slices = chunks
        .map_ok(|chunk| stream::iter((0..chunk.len()).step_by(SEND_CHUNK).map(move |start| Ok(chunk.slice(start..(start + SEND_CHUNK).min(chunk.len()))))))
        .try_flatten();
    let mut so_far = 0_u64;
    let stream = slices.map(move |slice| match slice {
        Ok(slice) => {
            // Counted as the connection asks for the slice: the previous one has been written.
            tracker.leaving(so_far, &counted);
            so_far += slice.len() as u64;
            Ok(slice)
        }
        Err(why) => {
            let message = match &why {
                Unsent::Changed => "the part's bytes changed since they were hashed",
                Unsent::Io(_) => "reading the part failed",
            };
            *unsent.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(why);
            Err(io::Error::other(message))
        }
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
    source: &Arc<Prepared>,
    part: &S3FileUploadPart,
    fingerprint: u128,
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
            match put_once(storage, source, part, fingerprint, timeout, tracker, budget, counted, attempt).await {
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

/// One attempt of a part's `PUT`: sends the part as it is read afresh, checked against what was
/// hashed.
#[allow(clippy::too_many_arguments)]
async fn put_once(
    storage: &reqwest::Client,
    source: &Arc<Prepared>,
    part: &S3FileUploadPart,
    fingerprint: u128,
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
    // The part is in flight from here to the end of the attempt (not while waiting to retry):
    // only as many parts as the budget allows.
    let _reserved = budget.reserve(end - start).await;
    // Re-read for every attempt, and checked against what was hashed; a source whose length
    // changed has changed too (a tail appended after hashing would be left out).
    if !source.same_len().await? {
        return Err(Stop::Final(UploadError::SourceChanged { number }));
    }
    let len = end - start;
    let unsent = Arc::new(Mutex::new(None));
    let body = part_body(source.part_stream(start, end, fingerprint), tracker.clone(), counted.clone(), unsent.clone());
    // Storage needs the length up front (presigned PUTs are not chunked).
    let mut request = storage.put(&part.url).timeout(timeout).header(reqwest::header::CONTENT_LENGTH, len).body(body);
    for (name, value) in &part.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let sent = request.send().await;
    // The body stopped itself: storage never got the part whole, and retrying cannot help.
    if let Some(why) = unsent.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
        return Err(Stop::Final(match why {
            Unsent::Changed => UploadError::SourceChanged { number },
            Unsent::Io(err) => UploadError::Io(err),
        }));
    }
    match sent {
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
