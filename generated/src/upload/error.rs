//! Why an upload failed.

use std::fmt;
use std::io;

use crate::client::{FilesCreateError, FilesDeleteError, FilesUploadedError};
use crate::Error;

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
    /// purpose ([`Upload::keep_failed_file`](super::Upload::keep_failed_file)) or because deleting it failed. (By default a file
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
            UploadError::Part { number, status: Some(status), message, .. } if message.is_empty() => {
                write!(f, "part {number}: storage answered {status}")
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
            // `source()` is the upload's failure, so the delete's error is said here whole, its
            // causes included.
            UploadError::Abandoned { file_id, delete_error: Some(err), .. } => {
                write!(f, "the upload failed; the created file {file_id} was left behind (deleting it failed: {err}")?;
                let mut cause = std::error::Error::source(&**err);
                while let Some(error) = cause {
                    write!(f, ": {error}")?;
                    cause = error.source();
                }
                f.write_str(")")
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
