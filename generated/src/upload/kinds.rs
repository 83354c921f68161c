//! Each kind of file: its limits, checked before anything is sent, and its create body.

use crate::models::{
    DownloadableFileCreate, FileCreate, FileServiceTypes, OrganizationAvatarFileCreate, ProductMediaFileCreate, S3FileCreateMultipart,
    S3FileCreatePart, SupportCaseAttachmentFileCreate,
};
use crate::Nullable;

use super::UploadError;

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
pub(super) fn check_limits(service: &FileServiceTypes, mime_type: &str, size: u64) -> Result<(), UploadError> {
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
    }
}
