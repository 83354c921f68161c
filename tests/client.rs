//! The generated client against wiremock: exact requests for every operation, every documented
//! error, undocumented statuses, garbage, timeouts, retries and pagination.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use integration_tests::raw::{raw_server, Raw};
use polar_files::client::{FilesListError, FilesUpdateError, FilesUploadedError};
use polar_files::models::*;
use polar_files::{Client, Error, Nullable, RetryPolicy};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{body_json, body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "polar_oat_test_secret_123";
const FILE_ID: &str = "9e4d1a7c-3b52-4f0e-8a61-2c7f5b9d0e13";
const ORG_ID: &str = "1dbfc517-0bbf-4301-9ba8-555ca42b9737";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)).jitter(false))
        .build()
        .unwrap()
}

fn file_read(service: &str, name: &str) -> Value {
    json!({
        "id": FILE_ID, "organization_id": ORG_ID, "name": name, "path": "p", "mime_type": "application/zip",
        "size": 5_368_709_120_i64, "storage_version": null, "checksum_etag": null,
        "checksum_sha256_base64": null, "checksum_sha256_hex": null, "last_modified_at": null,
        "version": null, "service": service, "is_uploaded": true,
        "created_at": "2026-11-07T05:29:12Z", "size_readable": "5 GB", "flagged_malicious_at": null
    })
}

fn list_page(names: &[&str], max_page: i64) -> Value {
    json!({
        "items": names.iter().map(|n| file_read("downloadable", n)).collect::<Vec<_>>(),
        "pagination": {"total_count": 7, "max_page": max_page}
    })
}

fn only_request(requests: &[Request]) -> &Request {
    assert_eq!(requests.len(), 1, "expected exactly one request");
    &requests[0]
}

#[tokio::test]
async fn list_sends_exact_query_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/files/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page(&["a.zip"], 1)))
        .mount(&server)
        .await;
    let org: Uuid = ORG_ID.parse().unwrap();
    let ids = vec![FILE_ID.parse::<Uuid>().unwrap(), Uuid::nil()];
    let page = client(&server).files().list().organization_id(org).ids(ids).page(2).limit(5).send().await.unwrap();
    assert_eq!(page.items.len(), 1);
    let requests = server.received_requests().await.unwrap();
    let request = only_request(&requests);
    assert_eq!(
        request.url.query(),
        Some(format!("organization_id={ORG_ID}&ids={FILE_ID}&ids=00000000-0000-0000-0000-000000000000&page=2&limit=5").as_str())
    );
    assert_eq!(request.headers.get("authorization").unwrap(), &format!("Bearer {TOKEN}"));
    assert_eq!(request.headers.get("polar-version").unwrap(), "2026-10");
    assert_eq!(request.headers.get("user-agent").unwrap(), "polar-files/0.1.0");
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn list_leaves_absent_parameters_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/files/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page(&[], 1)))
        .mount(&server)
        .await;
    client(&server).files().list().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(only_request(&requests).url.query(), None);
}

#[tokio::test]
async fn create_sends_the_body_with_its_tag_once() {
    let server = MockServer::start().await;
    let spec: Value = serde_yaml::from_str(&std::fs::read_to_string(integration_tests::spec_path()).unwrap()).unwrap();
    let upload_example = spec["components"]["schemas"]["FileUpload"]["examples"][0].clone();
    let expected = json!({
        "name": "app.zip", "mime_type": "application/zip", "size": 12,
        "upload": {"parts": [{"number": 1, "chunk_start": 0, "chunk_end": 12, "checksum_sha256_base64": "abc="}]},
        "service": "downloadable"
    });
    Mock::given(method("POST"))
        .and(path("/v1/files/"))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(201).set_body_json(&upload_example))
        .expect(1)
        .mount(&server)
        .await;
    let part = S3FileCreatePart::new(1, 0, 12).checksum_sha256_base64("abc=");
    let body = DownloadableFileCreate::new("app.zip", "application/zip", 12, S3FileCreateMultipart::new(vec![part]));
    let upload = client(&server).files().create(body).await.unwrap();
    assert_eq!(upload.size, 5_368_709_120);
    assert_eq!(upload.upload.parts[0].headers["x-amz-sdk-checksum-algorithm"], "SHA256");
    let requests = server.received_requests().await.unwrap();
    let text = String::from_utf8(only_request(&requests).body.clone()).unwrap();
    assert_eq!(text.matches("\"service\"").count(), 1, "{text}");
}

#[tokio::test]
async fn uploaded_decodes_every_documented_error() {
    let server = MockServer::start().await;
    let completed = FileUploadCompleted::new("up", "p", vec![]);
    let cases = [
        (403, json!({"error": "NotPermitted", "detail": "nope"})),
        (404, json!({"error": "ResourceNotFound", "detail": "gone"})),
        (422, json!({"detail": [{"loc": ["body", "parts"], "msg": "Field required", "type": "missing"}]})),
    ];
    for (status, body) in cases {
        server.reset().await;
        Mock::given(method("POST"))
            .and(path(format!("/v1/files/{FILE_ID}/uploaded")))
            .and(body_json(json!({"id": "up", "path": "p", "parts": []})))
            .respond_with(ResponseTemplate::new(status).set_body_json(&body))
            .mount(&server)
            .await;
        let err = client(&server).files().uploaded(FILE_ID.parse::<Uuid>().unwrap(), completed.clone()).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        match (status, err.api_error()) {
            (403, Some(FilesUploadedError::Forbidden(e))) => assert_eq!(e.detail, "nope"),
            (404, Some(FilesUploadedError::NotFound(e))) => assert_eq!(e.detail, "gone"),
            (422, Some(FilesUploadedError::UnprocessableEntity(e))) => assert_eq!(e.detail.as_ref().unwrap()[0].msg, "Field required"),
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn uploaded_returns_the_file() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/files/{FILE_ID}/uploaded")))
        .respond_with(ResponseTemplate::new(200).set_body_json(file_read("product_media", "x.png").as_object().cloned().map(|mut o| {
            o.insert("public_url".to_owned(), json!("https://cdn/x.png"));
            o.remove("flagged_malicious_at");
            Value::Object(o)
        })))
        .mount(&server)
        .await;
    let completed = FileUploadCompleted::new("up", "p", vec![]);
    let file = client(&server).files().uploaded(FILE_ID.parse::<Uuid>().unwrap(), completed).await.unwrap();
    let FileRead::ProductMedia(file) = file else { panic!("{file:?}") };
    assert_eq!(file.public_url, "https://cdn/x.png");
}

#[tokio::test]
async fn update_tells_absent_null_and_value_apart() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("/v1/files/{FILE_ID}")))
        .and(body_string(r#"{"name":"new.zip","version":null}"#))
        .respond_with(ResponseTemplate::new(200).set_body_json(file_read("downloadable", "new.zip")))
        .expect(1)
        .mount(&server)
        .await;
    let patch = FilePatch::new().name("new.zip").version(Nullable::Null);
    let file = client(&server).files().update(FILE_ID.parse::<Uuid>().unwrap(), patch).await.unwrap();
    assert!(matches!(file, FileRead::Downloadable(f) if f.name == "new.zip"));

    server.reset().await;
    Mock::given(method("PATCH"))
        .and(body_string("{}"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "ResourceNotFound", "detail": "Not found"})))
        .mount(&server)
        .await;
    let err = client(&server).files().update(Uuid::nil(), FilePatch::default()).await.unwrap_err();
    assert!(matches!(err.api_error(), Some(FilesUpdateError::NotFound(_))), "{err}");
}

#[tokio::test]
async fn delete_returns_unit_on_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v1/files/{FILE_ID}")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).files().delete(FILE_ID.parse::<Uuid>().unwrap()).send().await.unwrap();
}

#[tokio::test]
async fn undocumented_status_keeps_status_headers_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(418).insert_header("x-trace", "abc").set_body_string("short and stout"))
        .mount(&server)
        .await;
    let err = client(&server).files().delete(Uuid::nil()).await.unwrap_err();
    match &err {
        Error::UnexpectedStatus { status, headers, body, attempts, .. } => {
            assert_eq!(*attempts, 1);
            assert_eq!(status.as_u16(), 418);
            assert_eq!(headers["x-trace"], "abc");
            assert_eq!(&body[..], b"short and stout");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn garbage_body_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("<html>oops</html>")).mount(&server).await;
    let err = client(&server).files().list().await.unwrap_err();
    assert!(matches!(&err, Error::Decode { status, body, .. } if status.as_u16() == 200 && &body[..] == b"<html>oops</html>"), "{err}");
    // A documented error whose body does not decode is a decode error too, not a panic.
    server.reset().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(422).set_body_string("{")).mount(&server).await;
    let err = client(&server).files().list().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }));
}

#[tokio::test]
async fn timeout_is_its_own_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page(&[], 1)).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = client(&server).files().list().timeout(Duration::from_millis(200)).retry(RetryPolicy::none()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err}");
    assert!(err.is_timeout());
    // One attempt: nothing to say about retries; the transport's error is the source, not repeated.
    assert_eq!(err.to_string(), "the request timed out");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn retries_429_honouring_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(list_page(&["a"], 1))).with_priority(2).mount(&server).await;
    let started = Instant::now();
    let page = client(&server).files().list().await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After was not honoured: {:?}", started.elapsed());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn retries_503_twice_then_succeeds_even_for_post() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(2).with_priority(1).mount(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(file_read("downloadable", "a")))
        .with_priority(2)
        .mount(&server)
        .await;
    let completed = FileUploadCompleted::new("up", "p", vec![]);
    client(&server).files().uploaded(Uuid::nil(), completed).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn post_500_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let completed = FileUploadCompleted::new("up", "p", vec![]);
    let err = client(&server).files().uploaded(Uuid::nil(), completed).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn retry_budget_ends_with_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503).set_body_string("busy")).mount(&server).await;
    // Without jitter, so the waits are exactly 5 and 10 ms.
    let policy = RetryPolicy::default().max_attempts(3).initial_backoff(Duration::from_millis(5)).jitter(false);
    let err = client(&server).files().list().retry(policy).await.unwrap_err();
    assert!(matches!(&err, Error::UnexpectedStatus { status, body, .. } if status.as_u16() == 503 && &body[..] == b"busy"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    // The error says it was retried: 3 attempts, and how long they took (two waits of 5 and
    // 10 ms at least), in its fields, its accessors and its message.
    let Error::UnexpectedStatus { attempts, elapsed, .. } = &err else { panic!("{err:?}") };
    assert_eq!((*attempts, *elapsed), (err.attempts(), err.elapsed()));
    assert_eq!(err.attempts(), 3);
    assert!(err.elapsed() >= Duration::from_millis(15) && err.elapsed() < Duration::from_secs(10), "{:?}", err.elapsed());
    let message = err.to_string();
    let expected = format!("503 Service Unavailable (a status this operation does not document): busy (3 attempts in {:.2} s)", err.elapsed().as_secs_f64());
    assert_eq!(message, expected);
}

#[tokio::test]
async fn a_documented_error_after_retries_says_how_many_attempts() {
    // A 503 (retried for every method), then the 404 `update` documents: `Error::Api` after 2
    // attempts, and the crate-wide error keeps the count.
    let server = MockServer::start().await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "ResourceNotFound", "detail": "Not found"})))
        .with_priority(2)
        .mount(&server)
        .await;
    let err = client(&server).files().update(Uuid::nil(), FilePatch::new().name("x")).await.unwrap_err();
    let Error::Api { attempts: 2, elapsed, error, .. } = &err else { panic!("{err:?}") };
    assert!(matches!(**error, FilesUpdateError::NotFound(_)), "{error:?}");
    assert_eq!(err.to_string(), format!("404 Not Found: Not found (2 attempts in {:.2} s)", elapsed.as_secs_f64()));
    let wide: Error = err.into();
    assert_eq!(wide.attempts(), 2);
    assert_eq!(wide.to_string(), format!("404 Not Found: Not found (2 attempts in {:.2} s)", wide.elapsed().as_secs_f64()));
    // One attempt is not said.
    let err = client(&server).files().update(Uuid::nil(), FilePatch::new().name("x")).await.unwrap_err();
    assert_eq!((err.attempts(), err.to_string().as_str()), (1, "404 Not Found: Not found"));
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .token(TOKEN)
        .retry(RetryPolicy::default().max_attempts(2).initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap();
    let err = client.files().list().await.unwrap_err();
    assert!(matches!(err, Error::Transport { attempts: 2, .. }), "{err}");
    assert!(err.to_string().starts_with("the request failed (2 attempts in 0."), "{err}");
    assert_each_cause_once(&err);
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

#[tokio::test]
async fn items_stream_across_three_pages() {
    let server = MockServer::start().await;
    for (page, names) in [("1", vec!["a", "b"]), ("2", vec!["c", "d"]), ("3", vec!["e"])] {
        Mock::given(method("GET"))
            .and(query_param("page", page))
            .respond_with(ResponseTemplate::new(200).set_body_json(list_page(&names, 3)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let items: Vec<FileRead> = client(&server).files().list().limit(2).items().try_collect().await.unwrap();
    let names: Vec<String> = items
        .into_iter()
        .map(|f| match f {
            FileRead::Downloadable(f) => f.name,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn pages_stop_on_an_empty_page() {
    let server = MockServer::start().await;
    Mock::given(query_param("page", "1")).respond_with(ResponseTemplate::new(200).set_body_json(list_page(&["a"], 9))).mount(&server).await;
    Mock::given(query_param("page", "2")).respond_with(ResponseTemplate::new(200).set_body_json(list_page(&[], 9))).mount(&server).await;
    let pages: Vec<ListResourceFileRead> = client(&server).files().list().pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error() {
    let server = MockServer::start().await;
    Mock::given(query_param("page", "1")).respond_with(ResponseTemplate::new(200).set_body_json(list_page(&["a"], 3))).mount(&server).await;
    Mock::given(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({"detail": []})))
        .mount(&server)
        .await;
    let results: Vec<Result<FileRead, Error<FilesListError>>> =
        futures_util::StreamExt::collect(client(&server).files().list().items()).await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(results[1].as_ref().unwrap_err().api_error(), Some(FilesListError::UnprocessableEntity(_))));
}

#[tokio::test]
async fn the_token_never_shows() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401).set_body_string("bad token")).mount(&server).await;
    let client = client(&server);
    assert!(!format!("{client:?}").contains(TOKEN), "{client:?}");
    let err = client.files().list().await.unwrap_err();
    assert!(!format!("{err} {err:?}").contains(TOKEN));
    assert!(!format!("{:?}", polar_files::SecretToken::new(TOKEN)).contains(TOKEN));
}

#[tokio::test]
async fn no_token_means_no_authorization_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(list_page(&[], 1))).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).no_token_from_env().api_version("2025-01").build().unwrap();
    client.files().list().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let request = only_request(&requests);
    assert!(request.headers.get("authorization").is_none());
    assert_eq!(request.headers.get("polar-version").unwrap(), "2025-01");
}

#[test]
fn bad_base_urls_are_refused() {
    assert!(Client::builder().base_url("not a url").build().is_err());
    assert!(Client::builder().base_url("ftp://example.com").build().is_err());
    let client = Client::builder().server(polar_files::Server::Sandbox).no_token_from_env().build().unwrap();
    assert_eq!(client.base_url(), "https://sandbox-api.polar.sh");
    assert_eq!(Client::builder().no_token_from_env().build().unwrap().base_url(), "https://api.polar.sh");
}

#[tokio::test]
async fn the_token_does_not_follow_a_redirect_to_another_host() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", format!("{}/v1/files/", elsewhere.uri())))
        .mount(&api)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(list_page(&[], 1))).mount(&elsewhere).await;
    client(&api).files().list().await.unwrap();
    let requests = elsewhere.received_requests().await.unwrap();
    let request = only_request(&requests);
    assert!(request.headers.get("authorization").is_none(), "the token followed the redirect");
}

fn raw_client(url: &str) -> Client {
    Client::builder().base_url(url).token(TOKEN).timeout(Duration::from_secs(10)).retry(RetryPolicy::none()).build().unwrap()
}

#[tokio::test]
async fn a_success_body_past_the_limit_is_refused() {
    let server = MockServer::start().await;
    let page = serde_json::to_vec(&list_page(&["a.zip", "b.zip", "c.zip"], 1)).unwrap();
    let len = page.len() as u64;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_raw(page, "application/json")).mount(&server).await;
    // Per call: one byte short is refused by its declared length, the exact size passes.
    let err = client(&server).files().list().max_response_size(len - 1).await.unwrap_err();
    match &err {
        Error::ResponseTooLarge { status, limit, declared, .. } => {
            assert_eq!((status.as_u16(), *limit, *declared), (200, len - 1, Some(len)));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains(&format!("more than the limit of {}", len - 1)), "{err}");
    assert_eq!(client(&server).files().list().max_response_size(len).await.unwrap().items.len(), 3);
    // Per client, and a call can raise it again.
    let small = Client::builder().base_url(server.uri()).token(TOKEN).max_response_size(100).build().unwrap();
    assert!(matches!(small.files().list().await.unwrap_err(), Error::ResponseTooLarge { limit: 100, .. }));
    assert_eq!(small.files().list().max_response_size(len).await.unwrap().items.len(), 3);
    // A refused body is not retried: one request per call.
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_body_without_a_length_stops_being_read_at_the_limit() {
    let server = raw_server(Raw::Endless("HTTP/1.1 200 OK")).await.unwrap();
    let started = Instant::now();
    let err = raw_client(&server.url).files().list().max_response_size(1024 * 1024).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 1_048_576, declared: None, .. }), "{err}");
    assert!(err.to_string().contains("larger than the limit of 1048576 bytes"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The endless body was cut off: what the server could write is the limit plus what the
    // loopback's socket buffers hold, not more.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let written = server.written.load(Ordering::SeqCst);
    assert!(written < 32 * 1024 * 1024, "the client read on: the server wrote {written} bytes");
}

#[tokio::test]
async fn the_default_limit_refuses_a_declared_length_before_reading() {
    assert_eq!(polar_files::runtime::DEFAULT_MAX_RESPONSE_SIZE, 64 * 1024 * 1024);
    let declared = polar_files::runtime::DEFAULT_MAX_RESPONSE_SIZE + 1;
    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n");
    let server = raw_server(Raw::HeadOnly(head)).await.unwrap();
    let started = Instant::now();
    // The server sends the head and never a byte of body: refused on the head alone.
    let err = raw_client(&server.url).files().list().await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 67_108_864, declared: Some(d), .. } if d == declared), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5), "the body was waited for");
}

#[tokio::test]
async fn an_endless_error_body_is_cut_at_64_kib_and_not_read_further() {
    let server = raw_server(Raw::Endless("HTTP/1.1 500 Internal Server Error")).await.unwrap();
    let err = raw_client(&server.url).files().list().await.unwrap_err();
    match &err {
        Error::UnexpectedStatus { status, body, .. } => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(body.len(), polar_files::runtime::MAX_ERROR_BODY);
            assert_eq!(polar_files::runtime::MAX_ERROR_BODY, 64 * 1024);
            assert!(body.iter().all(|&b| b == b'x'));
        }
        other => panic!("{other:?}"),
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let written = server.written.load(Ordering::SeqCst);
    assert!(written < 32 * 1024 * 1024, "the client read on: the server wrote {written} bytes");
}

#[tokio::test]
async fn a_documented_error_too_large_to_keep_says_it_was_cut() {
    let server = MockServer::start().await;
    let long = "x".repeat(100 * 1024);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({"detail": [{"loc": ["q"], "msg": long, "type": "t"}]})))
        .mount(&server)
        .await;
    let err = client(&server).files().list().await.unwrap_err();
    match &err {
        Error::Decode { status, body, source, .. } => {
            assert_eq!(status.as_u16(), 422);
            assert_eq!(body.len(), 64 * 1024);
            assert!(source.to_string().contains("was cut"), "{source}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_default_timeout_leaves_room_for_the_default_retries() {
    // The README's promise: an idempotent call whose attempts time out is tried 3 times within
    // the 60 s budget. Each retry must start within the budget after attempts of the full
    // default timeout and the longest (unjittered) backoffs.
    let timeout = polar_files::runtime::DEFAULT_TIMEOUT;
    assert_eq!(timeout, Duration::from_secs(20));
    let policy = RetryPolicy::default();
    assert_eq!(policy.attempts(), 3);
    let backoff = |n: u32| Duration::from_millis(500) * 2u32.pow(n - 1);
    let second_starts = timeout + backoff(1);
    let third_starts = second_starts + timeout + backoff(2);
    assert!(third_starts <= Duration::from_secs(60), "{third_starts:?}");
    let debug = format!("{:?}", Client::builder().no_token_from_env().build().unwrap());
    assert!(debug.contains("timeout: Some(20s)") && debug.contains("max_elapsed: 60s"), "{debug}");
}

#[tokio::test]
async fn a_server_that_never_answers_costs_a_get_every_attempt_and_a_post_one() {
    // The defaults' proportions (attempts of a third of the budget), scaled down 100 times.
    let scaled = || {
        RetryPolicy::default().max_elapsed(Duration::from_millis(600)).initial_backoff(Duration::from_millis(5)).max_backoff(Duration::from_millis(300))
    };
    let get_server = raw_server(Raw::Silent).await.unwrap();
    let client = Client::builder().base_url(&get_server.url).token(TOKEN).timeout(Duration::from_millis(200)).retry(scaled()).build().unwrap();
    let started = Instant::now();
    let err = client.files().list().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 3, .. }), "{err}");
    let Error::Timeout { elapsed, .. } = &err else { unreachable!() };
    assert!(*elapsed >= Duration::from_millis(600) && *elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert!(err.to_string().starts_with("the request timed out (3 attempts in "), "{err}");
    assert_each_cause_once(&err);
    assert_eq!(get_server.connections.load(Ordering::SeqCst), 3, "a GET that timed out was not retried");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());

    let post_server = raw_server(Raw::Silent).await.unwrap();
    let client = Client::builder().base_url(&post_server.url).token(TOKEN).timeout(Duration::from_millis(200)).retry(scaled()).build().unwrap();
    let completed = FileUploadCompleted::new("up", "p", vec![]);
    let err = client.files().uploaded(Uuid::nil(), completed).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(post_server.connections.load(Ordering::SeqCst), 1, "a POST that timed out was retried");
}

/// Answers with `status`, putting every request header into the body (as a documented error's
/// `detail` when `documented`) and into an `x-echo` header.
struct Echo {
    status: u16,
    documented: bool,
}

impl wiremock::Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let echo: String = request.headers.iter().map(|(name, value)| format!("{name}: {}\n", value.to_str().unwrap_or_default())).collect();
        let template = ResponseTemplate::new(self.status).insert_header("x-echo", echo.replace('\n', "; ").as_str());
        if self.documented {
            template.set_body_json(json!({"error": "NotPermitted", "detail": echo}))
        } else {
            template.set_body_string(format!("you sent:\n{echo}"))
        }
    }
}

const API_KEY: &str = "key-0123456789abcdef";

#[tokio::test]
async fn secrets_echoed_by_the_server_are_scrubbed_from_errors() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).token(TOKEN).header("x-api-key", API_KEY).retry(RetryPolicy::none()).build().unwrap();
    let shows = |text: &str| text.contains(TOKEN) || text.contains(API_KEY);
    // An undocumented status: body and headers.
    Mock::given(method("DELETE")).respond_with(Echo { status: 400, documented: false }).mount(&server).await;
    let err = client.files().delete(Uuid::nil()).await.unwrap_err();
    let Error::UnexpectedStatus { body, headers, .. } = &err else { panic!("{err:?}") };
    let body = String::from_utf8_lossy(body);
    assert!(body.contains("authorization: Bearer ***") && body.contains("x-api-key: ***"), "{body}");
    assert!(!shows(headers["x-echo"].to_str().unwrap()), "{headers:?}");
    assert!(!shows(&format!("{err} {err:?}")), "{err:?}");
    // A documented error: the decoded value.
    Mock::given(method("PATCH")).respond_with(Echo { status: 403, documented: true }).mount(&server).await;
    let err = client.files().update(Uuid::nil(), FilePatch::default()).await.unwrap_err();
    let Some(FilesUpdateError::Forbidden(forbidden)) = err.api_error() else { panic!("{err:?}") };
    assert!(forbidden.detail.contains("Bearer ***"), "{}", forbidden.detail);
    assert!(!shows(&format!("{err} {err:?}")), "{err:?}");
    // A success body that does not decode: the body kept in the error.
    Mock::given(method("GET")).respond_with(Echo { status: 200, documented: false }).mount(&server).await;
    let err = client.files().list().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(!shows(&format!("{err} {err:?}")), "{err:?}");
    assert!(!shows(&format!("{client:?}")), "{client:?}");
    let builder = Client::builder().base_url(server.uri()).token(TOKEN).header("x-api-key", API_KEY).public_header("x-team", "blue");
    let debug = format!("{builder:?}");
    assert!(!shows(&debug) && debug.contains("blue"), "{debug}");
}

#[tokio::test]
async fn a_secret_across_the_64_kib_cut_is_scrubbed_whole() {
    let server = MockServer::start().await;
    // The token starts 5 bytes before the cut.
    let body = format!("{}{TOKEN} and more", "x".repeat(64 * 1024 - 5));
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(400).set_body_string(body)).mount(&server).await;
    let err = client(&server).files().delete(Uuid::nil()).await.unwrap_err();
    let Error::UnexpectedStatus { body, .. } = &err else { panic!("{err:?}") };
    assert!(body.len() <= 64 * 1024);
    assert_eq!(body.len(), 64 * 1024);
    assert!(body.ends_with(b"x*** a"), "{:?}", String::from_utf8_lossy(&body[body.len() - 10..]));
    assert!(!String::from_utf8_lossy(body).contains(&TOKEN[..4]), "a piece of the token is kept");
}

#[tokio::test]
async fn a_password_in_the_base_url_never_shows() {
    const PASSWORD: &str = "pa55-w0rd-secret";
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(Echo { status: 400, documented: false }).mount(&server).await;
    let url = server.uri().replace("http://", &format!("http://alice:{PASSWORD}@"));
    let client = Client::builder().base_url(&url).no_token_from_env().retry(RetryPolicy::none()).build().unwrap();
    assert!(!format!("{client:?}").contains(PASSWORD), "{client:?}");
    assert_eq!(client.base_url(), server.uri());
    // Sent as Basic authentication, and scrubbed from what the server echoes.
    let err = client.files().delete(Uuid::nil()).await.unwrap_err();
    let requests = server.received_requests().await.unwrap();
    let authorization = only_request(&requests).headers["authorization"].to_str().unwrap().to_owned();
    assert!(authorization.starts_with("Basic "), "{authorization}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(PASSWORD) && !shown.contains(&authorization["Basic ".len()..]), "{shown}");
    // Nor in transport errors, nor in the builder's error for a bad URL.
    let refused = Client::builder().base_url(format!("http://alice:{PASSWORD}@127.0.0.1:9")).no_token_from_env().retry(RetryPolicy::none()).build().unwrap();
    let err = refused.files().list().await.unwrap_err();
    assert!(!format!("{err} {err:?}").contains(PASSWORD), "{err:?}");
    let err = Client::builder().base_url(format!("ftp://alice:{PASSWORD}@example.com")).build().unwrap_err();
    assert!(!format!("{err} {err:?}").contains(PASSWORD), "{err:?}");
    let builder = Client::builder().base_url(&url);
    assert!(!format!("{builder:?}").contains(PASSWORD));
}

#[tokio::test]
async fn credential_headers_stay_with_their_origin_on_redirects() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/files/"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/v1/files/moved"))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/files/moved"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", format!("{}/v1/files/", elsewhere.uri())))
        .mount(&api)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(list_page(&[], 1))).mount(&elsewhere).await;
    let client = Client::builder()
        .base_url(api.uri())
        .token(TOKEN)
        .header("x-api-key", API_KEY)
        .public_header("x-team", "blue")
        .build()
        .unwrap();
    client.files().list().await.unwrap();
    // Same origin: everything goes along.
    let hops = api.received_requests().await.unwrap();
    assert_eq!(hops.len(), 2);
    assert_eq!(hops[1].url.path(), "/v1/files/moved");
    assert_eq!(hops[1].headers["x-api-key"], API_KEY);
    assert_eq!(hops[1].headers["authorization"], format!("Bearer {TOKEN}").as_str());
    // Another origin: no credential, but the public header, the version and the user agent.
    let requests = elsewhere.received_requests().await.unwrap();
    let request = only_request(&requests);
    assert!(request.headers.get("authorization").is_none(), "the token followed the redirect");
    assert!(request.headers.get("x-api-key").is_none(), "a credential header followed the redirect");
    assert_eq!(request.headers["x-team"], "blue");
    assert_eq!(request.headers["polar-version"], "2026-10");
}

#[tokio::test]
async fn redirects_are_followed_as_browsers_do_and_not_forever() {
    let server = MockServer::start().await;
    // 303 after a POST: a GET without the body.
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(303).insert_header("location", "/done")).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/done"))
        .respond_with(ResponseTemplate::new(200).set_body_json(file_read("downloadable", "a")))
        .mount(&server)
        .await;
    let completed = FileUploadCompleted::new("up", "p", vec![]);
    client(&server).files().uploaded(Uuid::nil(), completed).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.iter().map(|r| r.method.to_string()).collect::<Vec<_>>(), ["POST", "GET"]);
    assert!(requests[1].body.is_empty() && requests[1].headers.get("content-type").is_none());
    // A loop ends after 10 redirects with the last one as the answer.
    server.reset().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(308).insert_header("location", "/again")).mount(&server).await;
    let err = client(&server).files().delete(Uuid::nil()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(308), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 11);
}

/// Every cause of the chain, `anyhow`'s `{:#}` way: each says something the next does not
/// repeat.
fn chain(err: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = vec![err.to_string()];
    let mut next = err.source();
    while let Some(cause) = next {
        out.push(cause.to_string());
        next = cause.source();
    }
    out
}

fn assert_each_cause_once(err: &(dyn std::error::Error + 'static)) {
    let causes = chain(err);
    assert!(causes.len() >= 2, "no source: {causes:?}");
    for (i, outer) in causes.iter().enumerate() {
        for inner in &causes[i + 1..] {
            assert!(!outer.contains(inner.as_str()), "{outer:?} repeats its cause {inner:?}");
        }
    }
}

#[tokio::test]
async fn documented_errors_read_as_status_and_what_the_body_says() {
    let server = MockServer::start().await;
    let fastapi = json!({"detail": [
        {"loc": ["body", "upload", "parts", 0, "chunk_end"], "msg": "Field required", "type": "missing", "input": {}},
        {"loc": ["body", "name"], "msg": "String should have at most 256 characters", "type": "string_too_long"}
    ]});
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(422).set_body_json(&fastapi)).mount(&server).await;
    let patch = FilePatch::new().name("v2.zip");
    let err = client(&server).files().update(Uuid::nil(), patch.clone()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "422 Unprocessable Entity: body.upload.parts[0].chunk_end: Field required; body.name: String should have at most 256 characters"
    );
    assert!(std::error::Error::source(&err).is_none());

    server.reset().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "ResourceNotFound", "detail": "Not found"})))
        .mount(&server)
        .await;
    let err = client(&server).files().update(Uuid::nil(), patch.clone()).await.unwrap_err();
    assert_eq!(err.to_string(), "404 Not Found: Not found");

    // An undocumented status says what its body says too, JSON (RFC 9457 here) or text.
    server.reset().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({"type": "about:blank", "title": "Conflict", "detail": "name taken"})))
        .mount(&server)
        .await;
    let err = client(&server).files().update(Uuid::nil(), patch.clone()).await.unwrap_err();
    assert_eq!(err.to_string(), "409 Conflict (a status this operation does not document): Conflict: name taken");

    // A body that does not decode: the status, what happened and what the body reads (a proxy's
    // page), the decoder's error as the source.
    server.reset().await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(404).set_body_string("<html>nginx</html>")).mount(&server).await;
    let err = client(&server).files().update(Uuid::nil(), patch).await.unwrap_err();
    assert_eq!(err.to_string(), "404 Not Found: the response body does not decode as documented (it reads: <html>nginx</html>)");
    assert_each_cause_once(&err);
}

#[tokio::test]
async fn status_helpers_classify_the_same_on_every_operation() {
    let server = MockServer::start().await;
    // A proxy's 404: `list` does not document 404 (UnexpectedStatus), `update` does (and its HTML
    // does not decode): both are "not found".
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"))
        .mount(&server)
        .await;
    let patch = FilePatch::new().version(Nullable::Null);
    let list = client(&server).files().list().await.unwrap_err();
    let update = client(&server).files().update(Uuid::nil(), patch).await.unwrap_err();
    assert!(matches!(list, Error::UnexpectedStatus { .. }), "{list:?}");
    assert!(matches!(update, Error::Decode { .. }), "{update:?}");
    assert!(list.is_not_found() && update.is_not_found());
    assert!(!list.is_unauthorized() && !list.is_rate_limited() && !list.is_timeout());

    for (status, check) in [(401, Error::is_unauthorized as fn(&Error) -> bool), (429, Error::is_rate_limited), (403, Error::is_forbidden)] {
        server.reset().await;
        Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(status)).mount(&server).await;
        let err: Error = client(&server).files().delete(Uuid::nil()).retry(RetryPolicy::none()).await.unwrap_err().into();
        assert!(check(&err), "{status}: {err:?}");
        assert!(!err.is_not_found());
    }
}

/// One function, two operations, one error type: `?` converts each operation's error.
async fn rename_first(client: &Client, name: &str) -> Result<Option<FileRead>, Error> {
    let page = client.files().list().limit(1).send().await?;
    let Some(id) = page.items.first().and_then(|file| file.id()) else { return Ok(None) };
    let patch = FilePatch::new().name(name);
    Ok(Some(client.files().update(id, patch).await?))
}

#[tokio::test]
async fn every_operations_error_converts_into_the_crate_wide_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(list_page(&["a.zip"], 1))).mount(&server).await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"error": "NotPermitted", "detail": "not yours"})))
        .mount(&server)
        .await;
    let err = rename_first(&client(&server), "b.zip").await.unwrap_err();
    assert_eq!(err.to_string(), "403 Forbidden: not yours");
    assert!(err.is_forbidden());
    // The operation's own enum is still there.
    let Error::Api { error, .. } = &err else { panic!("{err:?}") };
    match error.downcast_ref::<FilesUpdateError>() {
        Some(FilesUpdateError::Forbidden(body)) => assert_eq!(body.detail, "not yours"),
        other => panic!("{other:?}"),
    }
    assert!(error.downcast_ref::<FilesListError>().is_none());
    assert_eq!(format!("{error:?}"), format!("{:?}", error.downcast_ref::<FilesUpdateError>().unwrap()));
}

#[tokio::test]
async fn a_missing_upload_source_names_its_path() {
    use polar_files::upload::{UploadError, UploadSource};
    let server = MockServer::start().await;
    let err = client(&server)
        .files()
        .upload(UploadSource::path("no/such/dir/app-1.4.2.zip"), FileServiceTypes::Downloadable)
        .await
        .unwrap_err();
    let UploadError::Io(io) = &err else { panic!("{err:?}") };
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    let causes = chain(&err);
    assert_eq!(causes[0], "cannot read the source");
    assert!(causes[1].starts_with("no/such/dir/app-1.4.2.zip: "), "{causes:?}");
    assert_each_cause_once(&err);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_obvious_code_does_the_obvious_thing() {
    let server = MockServer::start().await;
    // `"x".into()` is a value; `None.into()` leaves the field out (never `null`).
    Mock::given(method("PATCH"))
        .and(body_string(r#"{"name":"v2.zip"}"#))
        .respond_with(ResponseTemplate::new(200).set_body_json(file_read("downloadable", "v2.zip")))
        .expect(1)
        .mount(&server)
        .await;
    for (page, names) in [("1", vec!["a"]), ("2", vec!["b"])] {
        Mock::given(method("GET"))
            .and(query_param("page", page))
            .respond_with(ResponseTemplate::new(200).set_body_json(list_page(&names, 2)))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    // A boxed stream: `next()` without `pin!`.
    use polar_files::runtime::StreamExt;
    let mut files = client.files().list().items();
    let mut ids = Vec::new();
    while let Some(file) = files.next().await {
        // Copy values by value: the id goes straight into `update`.
        let id: Option<Uuid> = file.unwrap().id();
        ids.push(id.unwrap());
    }
    assert_eq!(ids.len(), 2);
    let patch = FilePatch::new().name("v2.zip").version(None);
    let file = client.files().update(ids[0], patch).await.unwrap();
    assert_eq!(file.name().map(String::as_str), Some("v2.zip"));
    let size: Option<i64> = file.size();
    assert_eq!(size, Some(5_368_709_120));
}

#[tokio::test]
async fn hooks_see_every_request_and_response() {
    use std::sync::{Arc, Mutex};
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(method("GET"))
        .and(header("x-request-id", "req-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page(&["a"], 1)))
        .with_priority(2)
        .mount(&server)
        .await;
    let sent = Arc::new(Mutex::new(0_u32));
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let (counter, seen) = (sent.clone(), statuses.clone());
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)).jitter(false))
        // A request id per attempt, as a middleware would add.
        .before_request(move |request| {
            let mut count = counter.lock().unwrap();
            *count += 1;
            request.headers_mut().insert("x-request-id", format!("req-{count}").parse().unwrap());
        })
        .after_response(move |response| seen.lock().unwrap().push(response.status().as_u16()))
        .build()
        .unwrap();
    let page = client.files().list().await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(*sent.lock().unwrap(), 2);
    assert_eq!(*statuses.lock().unwrap(), [503, 200]);
    let requests = server.received_requests().await.unwrap();
    let ids: Vec<_> = requests.iter().map(|r| r.headers.get("x-request-id").unwrap().to_str().unwrap().to_owned()).collect();
    assert_eq!(ids, ["req-1", "req-2"]);
}

/// Middleware of `reqwest-middleware`, as a user would write it: numbers each request
/// (`x-request-id`), refreshes the token on a 401 (once), and counts what it sees.
mod middleware {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::{Arc, Mutex};

    use reqwest_middleware::reqwest::{Request, Response};
    use reqwest_middleware::{Middleware, Next};

    #[derive(Default)]
    pub(crate) struct Seen {
        pub(crate) requests: AtomicU32,
        pub(crate) statuses: Mutex<Vec<u16>>,
    }

    pub(crate) struct RequestIds(pub(crate) Arc<Seen>);

    #[async_trait::async_trait]
    impl Middleware for RequestIds {
        async fn handle(&self, mut req: Request, ext: &mut polar_files::http::Extensions, next: Next<'_>) -> reqwest_middleware::Result<Response> {
            let n = self.0.requests.fetch_add(1, Ordering::SeqCst) + 1;
            req.headers_mut().insert("x-request-id", format!("req-{n}").parse().unwrap());
            let response = next.run(req, ext).await?;
            self.0.statuses.lock().unwrap().push(response.status().as_u16());
            Ok(response)
        }
    }

    /// Sends the current token; on a 401, gets a fresh one and sends the request again.
    pub(crate) struct RefreshToken(pub(crate) Arc<Mutex<String>>);

    #[async_trait::async_trait]
    impl Middleware for RefreshToken {
        async fn handle(&self, mut req: Request, ext: &mut polar_files::http::Extensions, next: Next<'_>) -> reqwest_middleware::Result<Response> {
            let again = req.try_clone();
            let token = self.0.lock().unwrap().clone();
            req.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
            let response = next.clone().run(req, ext).await?;
            match again {
                Some(mut again) if response.status() == 401 => {
                    *self.0.lock().unwrap() = "fresh_token_456".to_owned();
                    again.headers_mut().insert("authorization", "Bearer fresh_token_456".parse().unwrap());
                    next.run(again, ext).await
                }
                _ => Ok(response),
            }
        }
    }

    /// Refuses every request (a rate limiter that has no budget left, say).
    pub(crate) struct Refuse;

    #[async_trait::async_trait]
    impl Middleware for Refuse {
        async fn handle(&self, _req: Request, _ext: &mut polar_files::http::Extensions, _next: Next<'_>) -> reqwest_middleware::Result<Response> {
            Err(reqwest_middleware::Error::middleware(std::io::Error::other("no request budget left")))
        }
    }

    pub(crate) fn stack(middleware: Vec<Arc<dyn Middleware>>) -> reqwest_middleware::ClientWithMiddleware {
        let http = reqwest_middleware::reqwest::Client::builder().redirect(reqwest_middleware::reqwest::redirect::Policy::none()).build().unwrap();
        middleware.into_iter().fold(reqwest_middleware::ClientBuilder::new(http), |builder, m| builder.with_arc(m)).build()
    }
}

#[tokio::test]
async fn middleware_runs_on_every_attempt_and_retries_still_apply() {
    use middleware::*;
    use std::sync::Arc;
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer fresh_token_456"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page(&["a.zip"], 1)))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401).set_body_json(json!({"detail": "expired"}))).with_priority(3).mount(&server).await;
    let seen = Arc::new(Seen::default());
    let token = Arc::new(std::sync::Mutex::new("expired_token_123".to_owned()));
    let stack = stack(vec![Arc::new(RequestIds(seen.clone())), Arc::new(RefreshToken(token.clone()))]);
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)).jitter(false))
        .middleware(stack)
        .build()
        .unwrap();
    let page = client.files().list().send().await.unwrap();
    assert_eq!(page.items.len(), 1);
    // The client's retry (the 503) went through the middleware again; the refresh happened inside it.
    assert_eq!(seen.requests.load(Ordering::SeqCst), 2);
    assert_eq!(*seen.statuses.lock().unwrap(), [503, 200]);
    let requests = server.received_requests().await.unwrap();
    let sent: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.headers.get("x-request-id").unwrap().to_str().unwrap(), r.headers.get("authorization").unwrap().to_str().unwrap()))
        .collect();
    assert_eq!(sent, [("req-1", "Bearer expired_token_123"), ("req-2", "Bearer expired_token_123"), ("req-2", "Bearer fresh_token_456")]);
    // The client's own headers still go out.
    assert_eq!(requests[0].headers.get("polar-version").unwrap(), "2026-10");
    // The next call uses the refreshed token straight away.
    client.files().list().send().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn middleware_keeps_timeouts_size_caps_and_hooks() {
    use middleware::*;
    use std::sync::Arc;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/files/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page(&["a.zip"], 1)).set_delay(Duration::from_millis(800)))
        .mount(&server)
        .await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(5000))).mount(&server).await;
    let seen = Arc::new(Seen::default());
    let hooked = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counter = hooked.clone();
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy::default().max_attempts(2).initial_backoff(Duration::from_millis(10)).jitter(false))
        .max_response_size(1000)
        .before_request(|request| {
            request.headers_mut().insert("x-hook", polar_files::http::HeaderValue::from_static("1"));
        })
        .after_response(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        })
        .middleware(stack(vec![Arc::new(RequestIds(seen.clone()))]))
        .build()
        .unwrap();
    // The client's timeout applies to the middleware's client, each attempt, retried.
    let err = client.files().list().send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 2, .. }), "{err:?}");
    assert_eq!(seen.requests.load(Ordering::SeqCst), 2);
    // The maximum response size applies to what the middleware hands back.
    let err = client.files().delete(Uuid::nil()).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 1000, .. }), "{err:?}");
    // Hooks run around the middleware: before it sees the request, after it answered.
    let requests = server.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| r.headers.get("x-hook").is_some_and(|v| v == "1")));
    assert_eq!(hooked.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_middlewares_own_error_is_its_own_kind_and_not_retried() {
    use middleware::*;
    use std::sync::Arc;
    let server = MockServer::start().await;
    let seen = Arc::new(Seen::default());
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .middleware(stack(vec![Arc::new(RequestIds(seen.clone())), Arc::new(Refuse)]))
        .build()
        .unwrap();
    let err = client.files().list().send().await.unwrap_err();
    let Error::Middleware { attempts: 1, .. } = &err else { panic!("{err:?}") };
    assert_eq!(err.to_string(), "a middleware failed the request");
    assert_eq!(std::error::Error::source(&err).map(ToString::to_string).as_deref(), Some("no request budget left"));
    assert_eq!(err.status(), None);
    assert_eq!(seen.requests.load(Ordering::SeqCst), 1);
    assert!(server.received_requests().await.unwrap().is_empty());
    // The crate-wide error keeps it.
    let wide: Error = err.into();
    assert!(matches!(wide, Error::Middleware { .. }));
}

/// A call's futures are named `Send + Sync + Unpin + 'static` types: `tokio::spawn` takes them,
/// a struct that must be `Sync` holds them, and `.await` on the builder is the same call.
#[tokio::test]
async fn calls_are_futures_to_spawn_and_to_hold() {
    fn held<F: std::future::Future + Send + Sync + Unpin + 'static>(future: F) -> F {
        future
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/files/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page(&["a.zip"], 1)))
        .mount(&server)
        .await;
    let client = client(&server);
    let body: polar_files::runtime::BodyFuture<ListResourceFileRead, FilesListError> = held(client.files().list().send());
    let page = tokio::spawn(body).await.unwrap().unwrap();
    assert_eq!(page.items.len(), 1);
    let response = tokio::spawn(held(client.files().list().send_with_metadata())).await.unwrap().unwrap();
    assert_eq!((response.status.as_u16(), response.body.items.len()), (200, 1));
    let page = held(std::future::IntoFuture::into_future(client.files().list())).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}
