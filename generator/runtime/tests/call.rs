//! A call's futures (`ResponseFuture`, `BodyFuture`) against a server on loopback. Here rather
//! than in `src/call.rs`, which every generated crate vendors: their tokio has no `macros`
//! feature for `#[tokio::test]`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpListener;

use openapi_rust_gen_runtime::{BodyFuture, Client, ClientBuilder, Defaults, Error, Request, RequestOptions, ResponseFuture};

fn client(base_url: &str) -> Client {
    let defaults = Defaults { base_url: "http://127.0.0.1:9", version_header: None, token_env: None, user_agent: "test/0" };
    ClientBuilder::new(defaults).base_url(base_url).build().unwrap()
}

/// A server on loopback that answers one request with `response` (an HTTP/1.1 message).
fn answer_once(response: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut buffer = [0; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buffer).unwrap();
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buffer[..n]);
        }
        stream.write_all(response.as_bytes()).unwrap();
    });
    format!("http://{address}")
}

fn get() -> Result<Request, Error<String>> {
    Ok(Request::new(reqwest::Method::GET, "/n", "/n".to_owned()))
}

#[tokio::test]
async fn decodes_the_response_with_its_status_and_headers() {
    let client = client(&answer_once("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-id: 7\r\ncontent-length: 2\r\nconnection: close\r\n\r\n42"));
    let response = ResponseFuture::<u32, String>::new(&client, get(), &RequestOptions::default(), |response| response.json()).await.unwrap();
    assert_eq!((response.status.as_u16(), response.body), (200, 42));
    assert_eq!(response.headers["x-id"], "7");
}

#[tokio::test]
async fn the_body_future_gives_the_body_or_the_documented_error() {
    let client = client(&answer_once("HTTP/1.1 200 OK\r\ncontent-length: 1\r\nconnection: close\r\n\r\n5"));
    let call = ResponseFuture::<u32, String>::new(&client, get(), &RequestOptions::default(), |response| response.json());
    assert_eq!(BodyFuture::new(call).await.unwrap(), 5);

    let client = self::client(&answer_once("HTTP/1.1 404 Not Found\r\ncontent-length: 4\r\nconnection: close\r\n\r\ngone"));
    let call = ResponseFuture::<u32, String>::new(&client, get(), &RequestOptions::default(), |response| Err(response.api_error_text(|text| text)));
    let error = BodyFuture::new(call).await.unwrap_err();
    assert_eq!(error.api_error().map(String::as_str), Some("gone"));
}

#[tokio::test]
async fn a_request_that_could_not_be_built_is_its_error_and_nothing_is_sent() {
    // Nothing listens at the client's address: an attempt would be a transport error.
    let client = client("http://127.0.0.1:9");
    let request = Err(Error::InvalidRequest("`id` cannot be encoded".to_owned()));
    let error = ResponseFuture::<u32, String>::new(&client, request, &RequestOptions::default(), |response| response.json()).await.unwrap_err();
    assert!(matches!(&error, Error::InvalidRequest(message) if message == "`id` cannot be encoded"), "{error:?}");
}

#[tokio::test]
async fn nothing_is_sent_before_the_first_poll_and_a_dropped_call_sends_nothing() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let client = client(&format!("http://{}", listener.local_addr().unwrap()));
    let call = ResponseFuture::<u32, String>::new(&client, get(), &RequestOptions::default(), |response| response.json());
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(listener.accept().map(|_| ()).unwrap_err().kind(), std::io::ErrorKind::WouldBlock);
    drop(call);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(listener.accept().map(|_| ()).unwrap_err().kind(), std::io::ErrorKind::WouldBlock);
}

#[tokio::test]
async fn a_call_dropped_in_flight_closes_its_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = client(&format!("http://{}", listener.local_addr().unwrap()));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
        let mut buffer = [0; 4096];
        let mut request = Vec::new();
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buffer).unwrap();
            request.extend_from_slice(&buffer[..n]);
        }
        // No answer: the next read ends when the client closes the connection.
        tx.send(stream.read(&mut buffer).map_err(|err| err.kind())).unwrap();
    });
    let call = ResponseFuture::<u32, String>::new(&client, get(), &RequestOptions::default(), |response| response.json());
    let outcome = tokio::time::timeout(std::time::Duration::from_millis(200), call).await;
    assert!(outcome.is_err(), "the server never answers");
    let read = tokio::task::spawn_blocking(move || rx.recv().unwrap()).await.unwrap();
    assert_eq!(read, Ok(0), "the connection is closed once the call is dropped");
}
