//! A crate whose Polar Files client is generated at build time: `build.rs` writes it into
//! `OUT_DIR` from `openapi-rust-gen.toml`, and this file includes it. It lists and updates files
//! (the configuration's filter), with its own file id type and not-found error type.

#![warn(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/polar_files.rs"));

/// A file's id: the type the configuration uses for `format: uuid`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct FileId(pub uuid::Uuid);

impl From<uuid::Uuid> for FileId {
    fn from(id: uuid::Uuid) -> Self {
        FileId(id)
    }
}

/// The 404 body, used instead of the generated `ResourceNotFound`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NotFound {
    /// Always `ResourceNotFound`.
    pub error: String,
    /// What was not found.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::models::{FileChanges, FileRead, Pagination, ResourceNotFound};
    use super::{FileId, NotFound, Nullable};

    #[test]
    fn the_generated_client_is_here_with_the_configured_types() {
        let id: FileId = "9e4d1a7c-3b52-4f0e-8a61-2c7f5b9d0e13".parse::<uuid::Uuid>().unwrap().into();
        let json = serde_json::json!({
            "id": "9e4d1a7c-3b52-4f0e-8a61-2c7f5b9d0e13", "organization_id": "9e4d1a7c-3b52-4f0e-8a61-2c7f5b9d0e14",
            "name": "a.zip", "path": "p", "mime_type": "application/zip", "size": 3, "storage_version": null,
            "checksum_etag": null, "checksum_sha256_base64": null, "checksum_sha256_hex": null,
            "last_modified_at": null, "version": null, "service": "downloadable", "is_uploaded": true,
            "created_at": "2026-01-01T00:00:00Z", "size_readable": "3 B", "flagged_malicious_at": null
        });
        let file: FileRead = serde_json::from_value(json).unwrap();
        assert_eq!(file.id(), Some(id));
        // Renamed, replaced, and with the extra derives.
        let changes = FileChanges { name: Nullable::Value("b.zip".into()), version: Nullable::Null };
        assert_eq!(serde_json::to_value(&changes).unwrap(), serde_json::json!({"name": "b.zip", "version": null}));
        let not_found: ResourceNotFound = NotFound { error: "ResourceNotFound".into(), detail: "gone".into() };
        assert_eq!(not_found.detail, "gone");
        let set: std::collections::HashSet<Pagination> = [Pagination { total_count: 1, max_page: 1 }].into();
        assert_eq!(set.len(), 1);
        // The filter kept two operations of the five.
        let client = super::Client::builder().base_url("http://127.0.0.1:9").token("t").build().unwrap();
        let _list = client.files().list();
        let _update = client.files().update(id, changes);
    }
}

#[cfg(test)]
mod recipe {
    /// The README's build.rs recipe is this crate's build.rs (without its module docs).
    #[test]
    fn the_readme_shows_this_build_script() {
        let build = include_str!("../build.rs");
        let body: String = build.lines().filter(|l| !l.starts_with("//!")).map(|l| format!("{l}\n")).collect();
        let readme = include_str!("../../../README.md");
        assert!(readme.contains(&format!("```rs\n{}```", body.trim_start())), "README.md's build.rs recipe differs from tests/build-script/build.rs");
        assert!(readme.contains("include!(concat!(env!(\"OUT_DIR\"), \"/polar_files.rs\"));"));
    }
}
