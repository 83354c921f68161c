//! Conformance against Prism serving `specs/`: every operation, called through the generated
//! client, draws no request violation and its response decodes; requests built wrong are
//! rejected, so the check can fail. Also: the document passes an independent validator.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use integration_tests::{spec_path, tools, Prism};
use polar_files::client::FilesListError;
use polar_files::models::*;
use polar_files::runtime::{HeaderMap, Response};
use polar_files::{Client, Error, Nullable, RetryPolicy};
use uuid::Uuid;

const VIOLATIONS: &str = "sl-violations";

fn assert_conforms<T: std::fmt::Debug>(what: &str, response: &Response<T>) {
    let violations = response.headers.get(VIOLATIONS).map(|v| v.to_str().unwrap_or_default().to_owned());
    assert_eq!(violations, None, "{what}: Prism reports request violations");
}

fn violations(headers: &HeaderMap) -> String {
    headers.get(VIOLATIONS).map(|v| v.to_str().unwrap_or_default().to_owned()).unwrap_or_default()
}

#[test]
fn spec_is_valid_openapi() {
    let validator = tools::openapi_spec_validator().unwrap();
    let output = Command::new(validator).arg(spec_path()).output().unwrap();
    assert!(output.status.success(), "{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_conforms_and_wrong_requests_are_rejected() {
    let prism = Prism::start(&spec_path()).unwrap();
    let client = Client::builder().base_url(&prism.base_url).token("polar_oat_conformance").retry(RetryPolicy::none()).build().unwrap();
    let files = client.files();
    let id: Uuid = "9e4d1a7c-3b52-4f0e-8a61-2c7f5b9d0e13".parse().unwrap();
    let org: Uuid = "1dbfc517-0bbf-4301-9ba8-555ca42b9737".parse().unwrap();

    // files:list, with every parameter, and the array form of the filters.
    let list = files.list().organization_id(org).ids(vec![id, Uuid::nil()]).page(1).limit(10).send_with_metadata().await.unwrap();
    assert_conforms("files:list", &list);
    assert!(!list.body.items.is_empty());
    assert!(list.body.items.iter().all(|f| !matches!(f, FileRead::Unknown(_))), "{:?}", list.body.items);
    let bare = files.list().send_with_metadata().await.unwrap();
    assert_conforms("files:list without parameters", &bare);

    // files:create, one of each kind.
    let part = S3FileCreatePart::new(1, 0, 1024).checksum_sha256_base64("n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=");
    let parts = S3FileCreateMultipart::new(vec![part]);
    let bodies: Vec<FileCreate> = vec![
        DownloadableFileCreate::new("app.zip", "application/zip", 1024, parts.clone())
            .organization_id(org)
            .checksum_sha256_base64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
            .version(Nullable::Null)
            .into(),
        ProductMediaFileCreate::new("cover.png", "image/png", 1024, parts.clone()).into(),
        OrganizationAvatarFileCreate::new("avatar.webp", "image/webp", 1024, parts.clone()).into(),
        SupportCaseAttachmentFileCreate::new("log.txt", "text/plain", 1024, parts.clone()).into(),
    ];
    for body in bodies {
        let created = files.create(body.clone()).send_with_metadata().await.unwrap_or_else(|e| panic!("{body:?}: {e}"));
        assert_conforms("files:create", &created);
        assert_eq!(created.status.as_u16(), 201);
    }

    // files:uploaded
    let part = S3FileUploadCompletedPart::new(1, "\"a54357aff0632cce46d942af68356b38\"", "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=".to_owned());
    let completed = FileUploadCompleted::new("VXBsb2FkSWQ", "p/app.zip", vec![part]);
    let uploaded = files.uploaded(id, completed).send_with_metadata().await.unwrap();
    assert_conforms("files:uploaded", &uploaded);
    assert!(!matches!(uploaded.body, FileRead::Unknown(_)));

    // files:update, with a value and with an explicit null.
    let patch = FilePatch::new().name("renamed.zip").version(Nullable::Null);
    let updated = files.update(id, patch).send_with_metadata().await.unwrap();
    assert_conforms("files:update", &updated);

    // files:delete
    let deleted = files.delete(id).send_with_metadata().await.unwrap();
    assert_conforms("files:delete", &deleted);
    assert_eq!(deleted.status.as_u16(), 204);

    // Wrong on purpose: a limit past its maximum is reported and rejected.
    let err = files.list().limit(1000).send().await.unwrap_err();
    match &err {
        Error::Api { status, headers, error, .. } => {
            assert_eq!(status.as_u16(), 422);
            assert!(violations(headers).contains("limit"), "{}", violations(headers));
            assert!(matches!(**error, FilesListError::UnprocessableEntity(_)));
        }
        other => panic!("expected a rejected request, got {other:?}"),
    }
    // A product image that is not an image is rejected too.
    let not_an_image = ProductMediaFileCreate::new("x.zip", "application/zip", 1024, parts);
    let err = files.create(not_an_image).send().await.unwrap_err();
    let Error::Api { headers, .. } = &err else { panic!("{err:?}") };
    assert!(violations(headers).contains("mime_type"), "{}", violations(headers));
    // And without the token, the request is refused.
    let anonymous = Client::builder().base_url(&prism.base_url).no_token_from_env().retry(RetryPolicy::none()).build().unwrap();
    let err = anonymous.files().list().send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err}");
}
