//! `polar_files::mock` (feature `mock`) used as a downstream crate's tests use it: typed fake
//! responses per operation on a local server, and a client pointed at it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use polar_files::client::{FilesCreateError, FilesUpdateError};
use polar_files::mock::wiremock::matchers::{header, query_param};
use polar_files::mock::wiremock::ResponseTemplate;
use polar_files::mock::MockServer;
use polar_files::models::*;
use polar_files::{Error, RetryPolicy};
use uuid::Uuid;

const FILE_ID: &str = "9e4d1a7c-3b52-4f0e-8a61-2c7f5b9d0e13";

fn file(name: &str) -> FileRead {
    serde_json::from_value(serde_json::json!({
        "id": FILE_ID, "organization_id": "1dbfc517-0bbf-4301-9ba8-555ca42b9737", "name": name, "path": "p",
        "mime_type": "application/zip", "size": 10, "storage_version": null, "checksum_etag": null,
        "checksum_sha256_base64": null, "checksum_sha256_hex": null, "last_modified_at": null,
        "version": null, "service": "downloadable", "is_uploaded": true,
        "created_at": "2026-11-07T05:29:12Z", "size_readable": "10 B", "flagged_malicious_at": null
    }))
    .unwrap()
}

#[tokio::test]
async fn a_typed_page_answers_the_list_call() {
    let server = MockServer::start().await;
    let page = ListResourceFileRead::new(vec![file("a.zip"), file("b.zip")], Pagination::new(2, 1));
    server.files().list().expect(1).respond_200(&page).await;
    let client = server.client();
    let got = client.files().list().send().await.unwrap();
    assert_eq!(got, page);
    // The request went where the client sends it: method and path of `files:list`.
    let requests = server.wiremock().received_requests().await.unwrap();
    assert_eq!((requests[0].method.as_str(), requests[0].url.path()), ("GET", "/v1/files/"));
    // Another operation is not answered by this mock (wiremock's own empty 404).
    let err = client.files().delete(Uuid::nil()).await.unwrap_err();
    assert!(err.is_not_found() && matches!(&err, Error::Decode { body, .. } if body.is_empty()), "{err:?}");
}

#[tokio::test]
async fn documented_errors_are_typed_and_path_parameters_can_be_pinned() {
    let server = MockServer::start().await;
    let missing: Uuid = FILE_ID.parse().unwrap();
    // Mounted first, so it wins for the pinned id; any other id gets the file.
    server.files().update().with_id(missing).respond_404(ResourceNotFound::new(ResourceNotFoundError, "Not found")).await;
    server.files().update().respond_200(file("renamed.zip")).await;
    let client = server.client();
    let err = client.files().update(missing, FilePatch::new().name("x")).await.unwrap_err();
    let Error::Api { error, .. } = &err else { panic!("{err:?}") };
    assert!(matches!(&**error, FilesUpdateError::NotFound(body) if body.detail == "Not found"), "{error:?}");
    assert_eq!(err.to_string(), "404 Not Found: Not found");
    let file = client.files().update(Uuid::nil(), FilePatch::new().name("x")).await.unwrap();
    assert_eq!(file.name().map(String::as_str), Some("renamed.zip"));

    // A validation error, as FastAPI words it.
    let invalid = HttpValidationError::new().detail(vec![ValidationError::new(
        vec![ValidationErrorLocItem::from("body".to_owned()), ValidationErrorLocItem::from("name".to_owned())],
        "Field required",
        "missing",
    )]);
    server.files().create().respond_422(&invalid).await;
    let body = DownloadableFileCreate::new("a.zip", "application/zip", 10_i64, S3FileCreateMultipart::new(vec![]));
    let err = client.files().create(body).await.unwrap_err();
    assert_eq!(err.to_string(), "422 Unprocessable Entity: body.name: Field required");
    assert!(matches!(err.api_error(), Some(FilesCreateError::UnprocessableEntity(got)) if *got == invalid));

    // A response without a body.
    server.files().delete().with_id(missing).respond_204().await;
    client.files().delete(missing).await.unwrap();
}

#[tokio::test]
async fn raw_answers_matchers_headers_and_times() {
    let server = MockServer::start().await;
    // One 503 (retried by the client), then the page; only for `?page=2` with the version header.
    server.files().list().matching(query_param("page", "2")).times(1).respond_with(ResponseTemplate::new(503)).await;
    server
        .files()
        .list()
        .matching(query_param("page", "2"))
        .matching(header("polar-version", polar_files::API_VERSION))
        .header("x-ratelimit-remaining", "41")
        .respond_200(ListResourceFileRead::new(vec![], Pagination::new(0, 2)))
        .await;
    let client = server.client_builder().retry(RetryPolicy::default().initial_backoff(Duration::from_millis(5))).build().unwrap();
    let response = client.files().list().page(2).send_with_metadata().await.unwrap();
    assert_eq!(response.headers["x-ratelimit-remaining"], "41");
    assert_eq!(response.body.pagination.max_page, 2);
    assert_eq!(server.wiremock().received_requests().await.unwrap().len(), 2);
    // Page 1 matches neither mock.
    let err = client.files().list().page(1).send().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");

    // A delayed answer: the client's timeout applies.
    server.files().uploaded().delay(Duration::from_millis(500)).respond_200(file("late.zip")).await;
    let err = client
        .files()
        .uploaded(Uuid::nil(), FileUploadCompleted::new("up", "p", vec![]))
        .timeout(Duration::from_millis(50))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn unmet_expectations_fail_the_test() {
    let server = MockServer::start().await;
    server.files().list().expect(1).respond_200(ListResourceFileRead::new(vec![], Pagination::new(0, 1))).await;
    drop(server); // never called
}

/// A created file whose one part goes to `server`'s `/storage/part1`.
fn created(server: &MockServer, size: i64) -> FileUpload {
    serde_json::from_value(serde_json::json!({
        "id": FILE_ID, "organization_id": "1dbfc517-0bbf-4301-9ba8-555ca42b9737", "name": "f.bin", "path": "p",
        "mime_type": "application/octet-stream", "size": size, "storage_version": null, "checksum_etag": null,
        "checksum_sha256_base64": null, "checksum_sha256_hex": null, "last_modified_at": null,
        "upload": {"id": "upload-1", "path": "p", "parts": [{
            "number": 1, "chunk_start": 0, "chunk_end": size, "checksum_sha256_base64": null,
            "url": format!("{}/storage/part1?sig=abc", server.uri()), "expires_at": "2099-01-01T00:00:00Z", "headers": {}
        }]},
        "version": null, "service": "downloadable", "size_readable": "5 B", "is_uploaded": false
    }))
    .unwrap()
}

/// Storage refuses the part with an empty body, then deleting the created file times out: the
/// error says the status without a dangling colon, and the delete's failure with its causes
/// (the upload's own failure is the `source()`).
#[tokio::test]
async fn a_failed_upload_whose_delete_fails_says_both_whole() {
    use polar_files::mock::wiremock::matchers::{method, path};
    use polar_files::mock::wiremock::Mock;
    use polar_files::upload::{UploadError, UploadSource};

    let server = MockServer::start().await;
    server.files().create().respond_201(created(&server, 5)).await;
    Mock::given(method("PUT")).and(path("/storage/part1")).respond_with(ResponseTemplate::new(500)).mount(server.wiremock()).await;
    server.files().delete().delay(Duration::from_secs(2)).respond_204().await;
    let client = server.client_builder().timeout(Duration::from_millis(200)).retry(RetryPolicy::none()).build().unwrap();
    let err = client
        .files()
        .upload(UploadSource::bytes(b"hello".to_vec()), FileServiceTypes::Downloadable)
        .name("f.bin")
        .part_retry(RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    let UploadError::Abandoned { delete_error: Some(_), cause, .. } = &err else { panic!("{err:?}") };
    assert_eq!(cause.to_string(), "part 1: storage answered 500 Internal Server Error");
    let text = err.to_string();
    assert!(text.starts_with(&format!("the upload failed; the created file {FILE_ID} was left behind (deleting it failed: the request timed out")), "{text}");
    // The delete's transport error and its own cause, said once each.
    assert!(text.contains(": error sending request for url ("), "{text}");
    assert!(text.ends_with("operation timed out)"), "{text}");
}
