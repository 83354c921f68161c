//! The error of every call: `E` is the operation's own enum of documented error responses.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Error bodies are read up to this many bytes (64 KiB) and no further: the rest of a larger body is
/// never read, and a body kept in an error is a copy of at most this many bytes.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The API answered with an error it documents for this operation; `error` holds the decoded
    /// body.
    Api {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The documented error, decoded.
        error: Box<E>,
    },
    /// The API answered with a status this operation does not document.
    UnexpectedStatus {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The body: at most 64 KiB (reading stopped there), the client's secrets scrubbed.
        body: Bytes,
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
    },
    /// A success response's body is larger than the maximum response size (the client's
    /// [`max_response_size`](crate::runtime::ClientBuilder::max_response_size), or the call's).
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
    },
    /// The request (an attempt of it) took longer than its timeout.
    Timeout(reqwest::Error),
    /// The connection failed, or the response could not be read.
    Transport(reqwest::Error),
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
            Error::Timeout(err) | Error::Transport(err) => err.status(),
            Error::InvalidRequest(_) => None,
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
            Error::Api { status, headers, error } => Error::Api { status, headers, error: Box::new(f(*error)) },
            Error::UnexpectedStatus { status, headers, body } => Error::UnexpectedStatus { status, headers, body },
            Error::Decode { status, headers, body, source } => Error::Decode { status, headers, body, source },
            Error::ResponseTooLarge { status, headers, limit, declared } => Error::ResponseTooLarge { status, headers, limit, declared },
            Error::Timeout(err) => Error::Timeout(err),
            Error::Transport(err) => Error::Transport(err),
            Error::InvalidRequest(message) => Error::InvalidRequest(message),
        }
    }

    pub(crate) fn from_reqwest(err: reqwest::Error) -> Self {
        // The URL in a reqwest error never holds the token (it travels in a header only).
        if err.is_timeout() {
            Error::Timeout(err)
        } else {
            Error::Transport(err)
        }
    }
}


impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, error, .. } => write!(f, "the API answered {status}: {error:?}"),
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "the API answered with an undocumented status {status}: {}", String::from_utf8_lossy(&body[..body.len().min(512)]))
            }
            Error::Decode { status, source, .. } => write!(f, "the {status} response does not decode as documented: {source}"),
            Error::ResponseTooLarge { status, limit, declared: Some(declared), .. } => write!(
                f,
                "the {status} response declares {declared} bytes, more than the limit of {limit} (see `max_response_size`)"
            ),
            Error::ResponseTooLarge { status, limit, declared: None, .. } => {
                write!(f, "the {status} response is larger than the limit of {limit} bytes (see `max_response_size`)")
            }
            Error::Timeout(err) => write!(f, "the request timed out: {err}"),
            Error::Transport(err) => write!(f, "the request failed: {err}"),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Timeout(err) | Error::Transport(err) => Some(err),
            _ => None,
        }
    }
}
