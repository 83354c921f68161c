//! The error of every call: `E` is the operation's own enum of documented error responses, or
//! [`DocumentedError`] (any operation's) in the crate-wide [`Error`] every call's error converts into.

use std::any::Any;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
// `http`'s types (reqwest's are the same), so signatures do not tie users to reqwest.
use http::header::HeaderMap;
use http::StatusCode;

/// Error bodies are read up to this many bytes (64 KiB) and no further: the rest of a larger body is
/// never read, and a body kept in an error is a copy of at most this many bytes.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// Why a call failed.
///
/// `E` is the operation's own enum of documented errors; plain `Error` (that is,
/// `Error<DocumentedError>`) is the crate-wide error every call's error converts into with `?`, so
/// a function that lists and then updates returns one type.
///
/// `Display` says what happened in one line (a documented error as
/// `422 Unprocessable Entity: body.name: Field required`); the cause (the transport's or decoder's
/// error) is never repeated in it but returned by `source()`, so `anyhow`'s `{:#}` prints each
/// cause once.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = DocumentedError> {
    /// The API answered with an error it documents for this operation; `error` holds the decoded
    /// body.
    Api {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The documented error, decoded.
        error: Box<E>,
        /// How many attempts were made (retries included): more than 1 when the status was retried.
        attempts: u32,
        /// The time from the first attempt's start to the end of the last.
        elapsed: Duration,
    },
    /// The API answered with a status this operation does not document.
    UnexpectedStatus {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The body: at most 64 KiB (reading stopped there), the client's secrets scrubbed.
        body: Bytes,
        /// How many attempts were made (retries included): more than 1 when the status was retried.
        attempts: u32,
        /// The time from the first attempt's start to the end of the last.
        elapsed: Duration,
    },
    /// The response's body does not decode as documented.
    Decode {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The body: at most 64 KiB (reading stopped there), the client's secrets scrubbed.
        body: Bytes,
        /// What did not decode.
        source: serde_json::Error,
        /// How many attempts were made (retries included): more than 1 when the status was retried.
        attempts: u32,
        /// The time from the first attempt's start to the end of the last.
        elapsed: Duration,
    },
    /// A success response's body is larger than the maximum response size (the client's
    /// [`max_response_size`](super::ClientBuilder::max_response_size), or the call's).
    /// Reading stopped at the limit; the body is not kept.
    ResponseTooLarge {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The limit, in bytes.
        limit: u64,
        /// The length the response declared (`Content-Length`), if it declared one.
        declared: Option<u64>,
        /// How many attempts were made (retries included): more than 1 when the status was retried.
        attempts: u32,
        /// The time from the first attempt's start to the end of the last.
        elapsed: Duration,
    },
    /// The request (its last attempt) took longer than its timeout.
    Timeout {
        /// The transport's error.
        source: reqwest::Error,
        /// How many attempts were made (retries included).
        attempts: u32,
        /// The time from the first attempt's start to the end of the last.
        elapsed: Duration,
    },
    /// The connection failed, or the response could not be read (on the last attempt).
    Transport {
        /// The transport's error.
        source: reqwest::Error,
        /// How many attempts were made (retries included).
        attempts: u32,
        /// The time from the first attempt's start to the end of the last.
        elapsed: Duration,
    },
    /// A middleware of the client's `reqwest-middleware` client (feature `middleware`, see
    /// `ClientBuilder::middleware`) failed the request with an error of its own, not the
    /// transport's (those are [`Transport`](Error::Transport) and [`Timeout`](Error::Timeout)).
    /// Not retried.
    Middleware {
        /// The middleware's error.
        source: Box<dyn std::error::Error + Send + Sync>,
        /// How many attempts were made (retries included).
        attempts: u32,
        /// The time from the first attempt's start to the end of the last.
        elapsed: Duration,
    },
    /// The request could not be built from the given arguments (for example a path parameter that
    /// is empty or a dot segment).
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The response status, if there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Timeout { source, .. } | Error::Transport { source, .. } => source.status(),
            Error::Middleware { .. } | Error::InvalidRequest(_) => None,
        }
    }

    /// Whether the answer was `404 Not Found`, whether or not the operation documents it (a
    /// proxy's 404 counts too).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the answer was `401 Unauthorized` (a missing, wrong or expired token).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// Whether the answer was `403 Forbidden`.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(StatusCode::FORBIDDEN)
    }

    /// Whether the answer was `429 Too Many Requests` (after the retries the policy allows).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether the answer was a 5xx status.
    pub fn is_server_error(&self) -> bool {
        self.status().is_some_and(|status| status.is_server_error())
    }

    /// Whether the last attempt timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// The response headers, if there was a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. }
            | Error::UnexpectedStatus { headers, .. }
            | Error::Decode { headers, .. }
            | Error::ResponseTooLarge { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// How many attempts the call made (retries included; 0 when nothing was sent, an
    /// [`InvalidRequest`](Error::InvalidRequest)). `Display` says it when it is more than 1.
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api { attempts, .. }
            | Error::UnexpectedStatus { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::ResponseTooLarge { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::Middleware { attempts, .. } => *attempts,
            Error::InvalidRequest(_) => 0,
        }
    }

    /// The time from the first attempt's start to the end of the last (zero when nothing was
    /// sent).
    pub fn elapsed(&self) -> Duration {
        match self {
            Error::Api { elapsed, .. }
            | Error::UnexpectedStatus { elapsed, .. }
            | Error::Decode { elapsed, .. }
            | Error::ResponseTooLarge { elapsed, .. }
            | Error::Timeout { elapsed, .. }
            | Error::Transport { elapsed, .. }
            | Error::Middleware { elapsed, .. } => *elapsed,
            Error::InvalidRequest(_) => Duration::ZERO,
        }
    }

    /// The documented error, if it is one.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api { error, .. } => Some(&**error),
            _ => None,
        }
    }

    /// The same error with another documented-error type (for code that handles several calls).
    pub fn map_api<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Api { status, headers, error, attempts, elapsed } => Error::Api { status, headers, error: Box::new(f(*error)), attempts, elapsed },
            Error::UnexpectedStatus { status, headers, body, attempts, elapsed } => Error::UnexpectedStatus { status, headers, body, attempts, elapsed },
            Error::Decode { status, headers, body, source, attempts, elapsed } => Error::Decode { status, headers, body, source, attempts, elapsed },
            Error::ResponseTooLarge { status, headers, limit, declared, attempts, elapsed } => {
                Error::ResponseTooLarge { status, headers, limit, declared, attempts, elapsed }
            }
            Error::Timeout { source, attempts, elapsed } => Error::Timeout { source, attempts, elapsed },
            Error::Transport { source, attempts, elapsed } => Error::Transport { source, attempts, elapsed },
            Error::Middleware { source, attempts, elapsed } => Error::Middleware { source, attempts, elapsed },
            Error::InvalidRequest(message) => Error::InvalidRequest(message),
        }
    }

    pub(crate) fn from_reqwest(source: reqwest::Error, attempts: u32, elapsed: Duration) -> Self {
        // The URL in a reqwest error never holds the token (it travels in a header only).
        if source.is_timeout() {
            Error::Timeout { source, attempts, elapsed }
        } else {
            Error::Transport { source, attempts, elapsed }
        }
    }
}


/// `" (3 attempts in 2.03 s)"` when there were retries, after any error's message.
struct Attempts(u32, Duration);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 > 1 {
            write!(f, " ({} attempts in {:.2} s)", self.0, self.1.as_secs_f64())
        } else {
            Ok(())
        }
    }
}

impl Error<std::convert::Infallible> {
    /// An error that holds no documented error, as an operation's.
    pub(crate) fn widen<F>(self) -> Error<F> {
        self.map_api(|never| match never {})
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, error, .. } => write!(f, "{status}: {error}")?,
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "{status} (a status this operation does not document)")?;
                let text = describe_bytes(body);
                if !text.is_empty() {
                    write!(f, ": {text}")?;
                }
            }
            // The decoder's error is the source.
            // The body, on one line, when it is not what the document says (a proxy's HTML page).
            Error::Decode { status, body, .. } => {
                write!(f, "{status}: the response body does not decode as documented")?;
                let text = describe_bytes(body);
                if !text.is_empty() {
                    write!(f, " (it reads: {text})")?;
                }
            }
            Error::ResponseTooLarge { status, limit, declared: Some(declared), .. } => write!(
                f,
                "{status}: the response declares {declared} bytes, more than the limit of {limit} (see `max_response_size`)"
            )?,
            Error::ResponseTooLarge { status, limit, declared: None, .. } => {
                write!(f, "{status}: the response is larger than the limit of {limit} bytes (see `max_response_size`)")?
            }
            // The transport's error is the source.
            Error::Timeout { .. } => f.write_str("the request timed out")?,
            Error::Transport { source, .. } if lacks_tls(source) => f.write_str(
                "the request failed: this build has no TLS for `https` URLs (enable the crate's `rustls` or `native-tls` feature, or give the client an `http_client` with TLS)",
            )?,
            Error::Transport { .. } => f.write_str("the request failed")?,
            // The middleware's error is the source.
            Error::Middleware { .. } => f.write_str("a middleware failed the request")?,
            Error::InvalidRequest(message) => return write!(f, "invalid request: {message}"),
        }
        // After retries: ` (3 attempts in 2.03 s)`.
        write!(f, "{}", Attempts(self.attempts(), self.elapsed()))
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Timeout { source, .. } | Error::Transport { source, .. } => Some(source),
            Error::Middleware { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

/// Whether `err` is reqwest refusing an `https` URL because no TLS backend was compiled in (a
/// crate built with `default-features = false` and no TLS feature): hyper-util's connector says
/// `invalid URL, scheme is not http`. No retry can mend it.
pub(crate) fn lacks_tls(err: &reqwest::Error) -> bool {
    if err.url().is_none_or(|url| url.scheme() != "https") {
        return false;
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(error) = cause {
        if error.to_string().contains("scheme is not http") {
            return true;
        }
        cause = error.source();
    }
    false
}

/// The enum of documented errors of an operation (generated for each one): what converts into the
/// crate-wide [`Error`].
pub trait OperationError: fmt::Debug + fmt::Display + Send + Sync + 'static {}

/// A documented error of any operation: the `E` of the crate-wide [`Error`]. It displays and
/// debugs as the operation's error does, and gives the operation's enum back with
/// [`downcast_ref`](Self::downcast_ref) (the enums are `Clone`).
pub struct DocumentedError {
    inner: Box<dyn Erased>,
}

trait Erased: fmt::Debug + fmt::Display + Send + Sync + 'static {
    fn as_any(&self) -> &dyn Any;
}

impl<T: OperationError> Erased for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl DocumentedError {
    /// Wraps an operation's documented error.
    pub fn new<T: OperationError>(error: T) -> Self {
        DocumentedError { inner: Box::new(error) }
    }

    /// The operation's own error, if it is of type `T`.
    pub fn downcast_ref<T: OperationError>(&self) -> Option<&T> {
        self.inner.as_any().downcast_ref()
    }
}

impl fmt::Debug for DocumentedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

impl fmt::Display for DocumentedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

impl<E: OperationError> From<Error<E>> for Error<DocumentedError> {
    fn from(error: Error<E>) -> Self {
        error.map_api(DocumentedError::new)
    }
}

/// At most this many characters of a body's text go into an error's message.
const MAX_MESSAGE: usize = 300;
/// At most this many entries of a list of validation errors go into a message.
const MAX_ENTRIES: usize = 10;

/// Writes a documented error's body as one readable line: what the body offers (see
/// `describe_json`). Used by the generated `Display` of each operation's errors (not by a crate
/// without JSON error bodies).
pub fn describe<T: serde::Serialize>(body: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match serde_json::to_value(body) {
        Ok(value) => f.write_str(&describe_json(&value)),
        Err(_) => f.write_str("(a body that cannot be shown)"),
    }
}

/// A body of unknown shape (an undocumented status's): JSON is described as
/// `describe_json` does, anything else is its text on one line, cut.
pub fn describe_bytes(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => describe_json(&value),
        Err(_) => one_line(&String::from_utf8_lossy(body)),
    }
}

/// Text on one line (runs of whitespace become one space), cut to [`MAX_MESSAGE`] characters.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::new();
    for (count, word) in text.split_whitespace().enumerate() {
        if count > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > MAX_MESSAGE {
            let cut: String = out.chars().take(MAX_MESSAGE).collect();
            return format!("{cut}…");
        }
    }
    out
}

/// An error body as one readable line, from what it offers, in this order:
/// - a string: itself;
/// - RFC 9457 problem details (`title` and `detail`): `title: detail`;
/// - FastAPI's validation errors (`detail: [{loc, msg}]`): `body.parts[0].size: Field required; ...`;
/// - a `detail`, `message`, `error_description`, `title` or `error` string, or an `error` object
///   or an `errors` list holding one;
/// - otherwise the JSON itself, cut.
pub(crate) fn describe_json(value: &serde_json::Value) -> String {
    message_of(value, 0).unwrap_or_else(|| one_line(&value.to_string()))
}

fn string_of<'a>(object: &'a serde_json::Map<String, serde_json::Value>, key: &str) -> Option<&'a str> {
    object.get(key).and_then(serde_json::Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn message_of(value: &serde_json::Value, depth: usize) -> Option<String> {
    use serde_json::Value;
    if depth > 4 {
        return None;
    }
    match value {
        Value::String(text) => Some(one_line(text)).filter(|s| !s.is_empty()),
        Value::Array(items) => {
            let messages: Vec<String> = items.iter().filter_map(|item| entry_of(item, depth + 1)).collect();
            if messages.is_empty() {
                return None;
            }
            let mut text = messages.iter().take(MAX_ENTRIES).cloned().collect::<Vec<_>>().join("; ");
            if messages.len() > MAX_ENTRIES {
                text.push_str(&format!("; and {} more", messages.len() - MAX_ENTRIES));
            }
            Some(text)
        }
        Value::Object(object) => {
            if let (Some(title), Some(detail)) = (string_of(object, "title"), string_of(object, "detail")) {
                return Some(one_line(&format!("{title}: {detail}")));
            }
            for key in ["detail", "message", "error_description", "title", "error", "errors", "msg", "description"] {
                if let Some(message) = object.get(key).and_then(|v| message_of(v, depth + 1)) {
                    return Some(message);
                }
            }
            None
        }
        _ => None,
    }
}

/// One entry of a list of errors: `loc: msg` (FastAPI), or what the entry offers.
fn entry_of(value: &serde_json::Value, depth: usize) -> Option<String> {
    let object = value.as_object();
    let msg = object.and_then(|o| string_of(o, "msg").or_else(|| string_of(o, "message")));
    let loc = object.and_then(|o| o.get("loc").or_else(|| o.get("path"))).and_then(serde_json::Value::as_array);
    match (loc, msg) {
        (Some(loc), Some(msg)) if !loc.is_empty() => Some(one_line(&format!("{}: {msg}", location(loc)))),
        _ => message_of(value, depth),
    }
}

/// FastAPI's `loc` (`["body", "parts", 0, "size"]`) as a path: `body.parts[0].size`.
fn location(loc: &[serde_json::Value]) -> String {
    let mut out = String::new();
    for piece in loc {
        match piece {
            serde_json::Value::Number(index) => out.push_str(&format!("[{index}]")),
            serde_json::Value::String(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            other => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&other.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_are_described_from_what_they_offer() {
        let fastapi = json!({"detail": [
            {"loc": ["body", "upload", "parts", 0, "chunk_end"], "msg": "Field required", "type": "missing"},
            {"loc": ["query", "limit"], "msg": "Input should be greater than 0", "type": "greater_than"}
        ]});
        assert_eq!(describe_json(&fastapi), "body.upload.parts[0].chunk_end: Field required; query.limit: Input should be greater than 0");
        assert_eq!(describe_json(&json!({"error": "ResourceNotFound", "detail": "Not found"})), "Not found");
        let problem = json!({"type": "https://example.com/out-of-credit", "title": "You do not have enough credit.",
            "detail": "Your current balance is 30, but that costs 50.", "status": 403});
        assert_eq!(describe_json(&problem), "You do not have enough credit.: Your current balance is 30, but that costs 50.");
        assert_eq!(describe_json(&json!({"title": "Gone", "status": 410})), "Gone");
        assert_eq!(describe_json(&json!({"message": "Bad credentials"})), "Bad credentials");
        assert_eq!(describe_json(&json!({"error": {"code": 7, "message": "quota"}})), "quota");
        assert_eq!(describe_json(&json!({"errors": [{"message": "a"}, {"message": "b"}]})), "a; b");
        assert_eq!(describe_json(&json!("plain")), "plain");
        assert_eq!(describe_json(&json!({"code": 7})), r#"{"code":7}"#);
        let many: Vec<_> = (0..12).map(|i| json!({"loc": ["body", i], "msg": "bad"})).collect();
        assert!(describe_json(&json!({ "detail": many })).ends_with("body[9]: bad; and 2 more"));
        assert_eq!(describe_bytes(b"<html>\n  <h1>404</h1>\n</html>"), "<html> <h1>404</h1> </html>");
        assert_eq!(describe_bytes(&[b'x'; 400]).chars().count(), MAX_MESSAGE + 1);
    }

    #[test]
    fn retries_are_said() {
        assert_eq!(Attempts(3, Duration::from_millis(2034)).to_string(), " (3 attempts in 2.03 s)");
        assert_eq!(Attempts(1, Duration::from_millis(2034)).to_string(), "");
        // Nothing was sent: no attempt, no time.
        let invalid = Error::<DocumentedError>::InvalidRequest("bad".to_owned());
        assert_eq!((invalid.attempts(), invalid.elapsed(), invalid.to_string().as_str()), (0, Duration::ZERO, "invalid request: bad"));
    }
}
