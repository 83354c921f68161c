//! Each kind of file: its limits, checked before anything is sent, and its create body.

use crate::models::{
    DownloadableFileCreate, FileCreate, FileServiceTypes, OrganizationAvatarFileCreate, ProductMediaFileCreate, S3FileCreateMultipart,
    S3FileCreatePart, SupportCaseAttachmentFileCreate,
};
use crate::Nullable;

use super::UploadError;

/// What a kind of file accepts, as the document says: its create body's `mime_type` pattern and
/// `size` maximum (the generated constants of each `*FileCreate`, so a new document's limits are
/// checked without editing this file).
#[derive(Debug)]
struct Accepted {
    mime_type_pattern: Option<&'static str>,
    max_size: Option<i64>,
}

fn accepted(service: &FileServiceTypes) -> Result<Accepted, UploadError> {
    Ok(match service {
        FileServiceTypes::Downloadable => Accepted { mime_type_pattern: None, max_size: None },
        FileServiceTypes::ProductMedia => Accepted {
            mime_type_pattern: Some(ProductMediaFileCreate::MIME_TYPE_PATTERN),
            max_size: Some(ProductMediaFileCreate::SIZE_MAXIMUM),
        },
        FileServiceTypes::OrganizationAvatar => Accepted {
            mime_type_pattern: Some(OrganizationAvatarFileCreate::MIME_TYPE_PATTERN),
            max_size: Some(OrganizationAvatarFileCreate::SIZE_MAXIMUM),
        },
        FileServiceTypes::SupportCaseAttachment => Accepted {
            mime_type_pattern: Some(SupportCaseAttachmentFileCreate::MIME_TYPE_PATTERN),
            max_size: Some(SupportCaseAttachmentFileCreate::SIZE_MAXIMUM),
        },
        // A kind this helper does not know the limits of (unknown to this crate, or added by a
        // regeneration before this helper learnt it): refused, and the crate still compiles.
        other => return Err(UploadError::InvalidOptions(format!("this crate cannot upload files of the kind `{other}`"))),
    })
}

/// The limits of each kind of file (the document's), checked before anything is sent.
pub(super) fn check_limits(service: &FileServiceTypes, mime_type: &str, size: u64) -> Result<(), UploadError> {
    let accepted = accepted(service)?;
    if let Some(pattern) = accepted.mime_type_pattern {
        // The document's pattern, as its regular expression (JSON Schema's ECMA dialect, which
        // the `regex` crate reads for patterns such as these). One that does not compile is
        // not checked here: Polar checks it anyway.
        match regex::Regex::new(pattern) {
            Ok(regex) if !regex.is_match(mime_type) => {
                return Err(UploadError::Limits(format!("{service} files cannot be of type `{mime_type}` (the accepted types match `{pattern}`)")));
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(%service, pattern, %err, "the document's MIME type pattern is not checked before sending"),
        }
    }
    if let Some(max) = accepted.max_size {
        if size > u64::try_from(max).unwrap_or(0) {
            return Err(UploadError::Limits(format!("{service} files are at most {max} bytes; this one has {size}")));
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(super) fn create_body(
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

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1024 * 1024;

    #[test]
    fn limits_are_checked_before_sending() {
        assert!(check_limits(&FileServiceTypes::Downloadable, "application/zip", 6 * 1024 * 1024 * MIB).is_ok());
        assert!(check_limits(&FileServiceTypes::ProductMedia, "image/png", 10 * MIB).is_ok());
        assert!(matches!(check_limits(&FileServiceTypes::ProductMedia, "image/png", 10 * MIB + 1), Err(UploadError::Limits(_))));
        assert!(matches!(check_limits(&FileServiceTypes::ProductMedia, "application/zip", 1), Err(UploadError::Limits(_))));
        assert!(matches!(check_limits(&FileServiceTypes::OrganizationAvatar, "image/webp", 2 * MIB), Err(UploadError::Limits(_))));
        assert!(check_limits(&FileServiceTypes::SupportCaseAttachment, "application/pdf", 250 * 1000 * 1000).is_ok());
        assert!(matches!(check_limits(&FileServiceTypes::SupportCaseAttachment, "application/zip", 1), Err(UploadError::Limits(_))));
        assert!(matches!(check_limits(&FileServiceTypes::SupportCaseAttachment, "application/pdf", 262_144_001), Err(UploadError::Limits(_))));
        // The patterns compile, anchored: a type that merely contains an accepted one is refused.
        assert!(matches!(check_limits(&FileServiceTypes::ProductMedia, "image/png+zip", 1), Err(UploadError::Limits(_))));
        assert!(matches!(check_limits(&FileServiceTypes::ProductMedia, "x-image/png", 1), Err(UploadError::Limits(_))));
        for service in [FileServiceTypes::ProductMedia, FileServiceTypes::OrganizationAvatar, FileServiceTypes::SupportCaseAttachment] {
            let pattern = accepted(&service).unwrap().mime_type_pattern.unwrap();
            assert!(regex::Regex::new(pattern).is_ok(), "{pattern}");
            assert!(check_limits(&service, "image/svg+xml", 1).is_ok());
        }
        assert!(check_limits(&FileServiceTypes::SupportCaseAttachment, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 1).is_ok());
    }
}
