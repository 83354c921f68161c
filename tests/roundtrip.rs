//! The generated models against real payloads: every schema's examples in `specs/`, the seed
//! page's response, and what Polar may send tomorrow (a new kind of file, a new enum value, a new
//! field) all decode, and re-encode to the same JSON.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use integration_tests::spec_path;
use polar_files::models::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn spec() -> Value {
    serde_yaml::from_str(&std::fs::read_to_string(spec_path()).unwrap()).unwrap()
}

fn roundtrip<T: DeserializeOwned + Serialize>(what: &str, payload: &Value) -> T {
    let decoded: T = serde_json::from_value(payload.clone()).unwrap_or_else(|err| panic!("{what}: {err}\n{payload:#}"));
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(&encoded, payload, "{what} does not re-encode to the same JSON");
    decoded
}

/// Every schema's `examples` decode into its Rust type and re-encode unchanged; every schema with
/// examples is covered, so a new schema cannot be skipped silently.
#[test]
fn every_schema_example_roundtrips() {
    let spec = spec();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let mut covered = BTreeSet::new();
    macro_rules! check {
        ($($schema:literal => $ty:ty),* $(,)?) => {$(
            covered.insert($schema);
            let examples = schemas[$schema]["examples"].as_array().unwrap_or_else(|| panic!("{} has no examples", $schema));
            assert!(!examples.is_empty());
            for example in examples {
                roundtrip::<$ty>($schema, example);
            }
        )*};
    }
    check! {
        "DownloadableFileCreate" => DownloadableFileCreate,
        "DownloadableFileRead" => DownloadableFileRead,
        "FileRead" => FileRead,
        "FilePatch" => FilePatch,
        "FileServiceTypes" => FileServiceTypes,
        "FileUpload" => FileUpload,
        "FileUploadCompleted" => FileUploadCompleted,
        "HTTPValidationError" => HttpValidationError,
        "ListResource_FileRead_" => ListResourceFileRead,
        "NotPermitted" => NotPermitted,
        "OrganizationAvatarFileCreate" => OrganizationAvatarFileCreate,
        "OrganizationAvatarFileRead" => OrganizationAvatarFileRead,
        "Pagination" => Pagination,
        "ProductMediaFileCreate" => ProductMediaFileCreate,
        "ProductMediaFileRead" => ProductMediaFileRead,
        "ResourceNotFound" => ResourceNotFound,
        "S3FileCreateMultipart" => S3FileCreateMultipart,
        "S3FileCreatePart" => S3FileCreatePart,
        "S3FileUploadCompletedPart" => S3FileUploadCompletedPart,
        "S3FileUploadMultipart" => S3FileUploadMultipart,
        "S3FileUploadPart" => S3FileUploadPart,
        "SupportCaseAttachmentFileCreate" => SupportCaseAttachmentFileCreate,
        "SupportCaseAttachmentFileRead" => SupportCaseAttachmentFileRead,
        "ValidationError" => ValidationError,
    }
    let with_examples: BTreeSet<&str> =
        schemas.iter().filter(|(_, s)| s.get("examples").is_some()).map(|(name, _)| name.as_str()).collect();
    let missing: Vec<_> = with_examples.difference(&covered).collect();
    assert!(missing.is_empty(), "schemas with examples not round-tripped: {missing:?}");
}

/// The variant structs' examples carry the tag; through the union it is serialized exactly once.
#[test]
fn file_create_variants_roundtrip_through_the_union() {
    let spec = spec();
    for variant in ["DownloadableFileCreate", "ProductMediaFileCreate", "OrganizationAvatarFileCreate", "SupportCaseAttachmentFileCreate"] {
        let example = &spec["components"]["schemas"][variant]["examples"][0];
        let decoded = roundtrip::<FileCreate>(variant, example);
        assert!(!matches!(decoded, FileCreate::Unknown(_)), "{variant} decoded as unknown");
        let text = serde_json::to_string(&decoded).unwrap();
        assert_eq!(text.matches("\"service\"").count(), 1, "{text}");
    }
    for variant in ["DownloadableFileRead", "ProductMediaFileRead", "OrganizationAvatarFileRead", "SupportCaseAttachmentFileRead"] {
        let example = &spec["components"]["schemas"][variant]["examples"][0];
        let decoded = roundtrip::<FileRead>(variant, example);
        assert!(!matches!(decoded, FileRead::Unknown(_)), "{variant} decoded as unknown");
    }
}

/// The response shown on the seed page (`POST /v1/files`), with its `<string>` placeholders
/// filled in where the type is stricter than a string (ids are UUIDs).
#[test]
fn seed_page_response_roundtrips() {
    let seed = json!({
      "id": "9e4d1a7c-3b52-4f0e-8a61-2c7f5b9d0e13",
      "organization_id": "1dbfc517-0bbf-4301-9ba8-555ca42b9737",
      "name": "<string>",
      "path": "<string>",
      "mime_type": "<string>",
      "size": 123,
      "storage_version": "<string>",
      "checksum_etag": "<string>",
      "checksum_sha256_base64": "<string>",
      "checksum_sha256_hex": "<string>",
      "last_modified_at": "2023-11-07T05:31:56Z",
      "upload": {
        "id": "<string>",
        "path": "<string>",
        "parts": [
          {
            "number": 123,
            "chunk_start": 123,
            "chunk_end": 123,
            "url": "<string>",
            "expires_at": "2023-11-07T05:31:56Z",
            "checksum_sha256_base64": "<string>",
            "headers": {}
          }
        ]
      },
      "version": "<string>",
      "service": "downloadable",
      "size_readable": "<string>",
      "is_uploaded": false
    });
    let upload = roundtrip::<FileUpload>("seed response", &seed);
    assert_eq!(upload.service, FileServiceTypes::Downloadable);
    assert_eq!(upload.upload.parts[0].number, 123);
}

fn file_read(service: &str) -> Value {
    json!({
        "id": "9e4d1a7c-3b52-4f0e-8a61-2c7f5b9d0e13",
        "organization_id": "1dbfc517-0bbf-4301-9ba8-555ca42b9737",
        "name": "x.bin", "path": "p", "mime_type": "application/octet-stream",
        "size": 6_000_000_000_i64,
        "storage_version": null, "checksum_etag": null, "checksum_sha256_base64": null,
        "checksum_sha256_hex": null, "last_modified_at": null, "version": null,
        "service": service, "is_uploaded": true,
        "created_at": "2026-11-07T05:29:12.482913Z", "size_readable": "6 GB",
        "flagged_malicious_at": null
    })
}

#[test]
fn sizes_past_four_gib_decode() {
    let FileRead::Downloadable(file) = roundtrip::<FileRead>("big file", &file_read("downloadable")) else {
        panic!("not a downloadable")
    };
    assert_eq!(file.size, 6_000_000_000);
}

/// Polar adds kinds of files: a list holding one this crate does not know still decodes, and the
/// unknown one keeps its whole JSON.
#[test]
fn unknown_file_kind_decodes() {
    let mut future = file_read("video_stream");
    future["duration_seconds"] = json!(93);
    let list = json!({
        "items": [file_read("downloadable"), future.clone()],
        "pagination": {"total_count": 2, "max_page": 1}
    });
    let decoded = roundtrip::<ListResourceFileRead>("list with a future kind", &list);
    assert!(matches!(decoded.items[0], FileRead::Downloadable(_)));
    // Fields every kind has are one call away; an unknown kind has none of them.
    assert_eq!(decoded.items[0].name().map(String::as_str), Some("x.bin"));
    assert_eq!(decoded.items[0].size(), Some(6_000_000_000));
    assert_eq!(decoded.items[0].checksum_etag(), None);
    assert_eq!(decoded.items[1].name(), None);
    assert_eq!(decoded.items[1], FileRead::Unknown(future));
    assert_eq!(decoded.items[1].tag(), Some("video_stream"));
}

/// A known tag with a broken body is an error, not silently "unknown".
#[test]
fn known_tag_with_missing_fields_is_an_error() {
    // A bad UUID in `id`: the error is about that UUID, not an unknown kind.
    let err = serde_json::from_value::<FileRead>(json!({"service": "downloadable", "id": "nope"})).unwrap_err();
    assert!(err.to_string().contains("UUID"), "{err}");
    // A missing required field: the error names it.
    let err = serde_json::from_value::<FileRead>(json!({"service": "downloadable"})).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
}

#[test]
fn unknown_enum_value_decodes_and_reencodes() {
    let value: FileServiceTypes = serde_json::from_value(json!("invoice_pdf")).unwrap();
    assert_eq!(value, FileServiceTypes::Unknown("invoice_pdf".to_owned()));
    assert_eq!(serde_json::to_value(&value).unwrap(), json!("invoice_pdf"));
    assert_eq!("product_media".parse::<FileServiceTypes>().unwrap(), FileServiceTypes::ProductMedia);
    assert_eq!(FileServiceTypes::SupportCaseAttachment.to_string(), "support_case_attachment");
}

#[test]
fn unknown_fields_are_ignored() {
    let mut payload = file_read("downloadable");
    payload["brand_new_field"] = json!({"nested": [1, 2, 3]});
    let decoded: FileRead = serde_json::from_value(payload).unwrap();
    assert!(matches!(decoded, FileRead::Downloadable(_)));
}

/// A PATCH can say "leave it", "clear it" and "set it" apart.
#[test]
fn patch_fields_have_three_states() {
    use polar_files::Nullable;
    let leave = FilePatch::default();
    assert_eq!(serde_json::to_value(&leave).unwrap(), json!({}));
    let clear = FilePatch::new().version(Nullable::Null);
    assert_eq!(serde_json::to_value(&clear).unwrap(), json!({"version": null}));
    let set = FilePatch::new().name("new.zip");
    assert_eq!(serde_json::to_value(&set).unwrap(), json!({"name": "new.zip"}));
    let decoded: FilePatch = serde_json::from_value(json!({"version": null})).unwrap();
    assert_eq!(decoded, clear);
}

/// A literal field serializes itself and refuses any other value.
#[test]
fn literal_fields_are_checked() {
    let body = NotPermitted::new(NotPermittedError, "no");
    assert_eq!(serde_json::to_value(&body).unwrap(), json!({"error": "NotPermitted", "detail": "no"}));
    assert!(serde_json::from_value::<NotPermitted>(json!({"error": "ResourceNotFound", "detail": "x"})).is_err());
}

/// `headers` defaults to an empty map and `is_uploaded` to false when Polar leaves them out.
#[test]
fn defaults_are_honoured() {
    let part: S3FileUploadPart = serde_json::from_value(json!({
        "number": 1, "chunk_start": 0, "chunk_end": 5, "url": "http://x", "expires_at": "2026-11-07T06:31:56Z"
    }))
    .unwrap();
    assert!(part.headers.is_empty());
    assert_eq!(part.checksum_sha256_base64, polar_files::Nullable::Absent);
}
