//! Built without a TLS backend (`cargo test -p openapi-rust-gen-runtime --no-default-features`,
//! which `cargo xtask test` runs), a client refuses an `https` URL at once, says why, and does not
//! retry. With a TLS feature on, this file holds no test.

#![cfg(not(any(feature = "rustls", feature = "native-tls")))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use openapi_rust_gen_runtime::{ClientBuilder, Defaults, DocumentedError, Error, Request, RequestOptions, ResponseFuture, RetryPolicy};

#[tokio::test]
async fn an_https_url_without_tls_is_one_attempt_that_says_why() {
    let defaults = Defaults { base_url: "https://127.0.0.1:9", version_header: None, token_env: None, user_agent: "no-tls-test" };
    let client = ClientBuilder::new(defaults).retry(RetryPolicy::default().max_attempts(5)).build().unwrap();
    let request = Request::new(reqwest::Method::GET, "/things", "/things".to_owned());
    let result = ResponseFuture::<(), DocumentedError>::new(&client, Ok(request), &RequestOptions::default(), |_| Ok(())).await;
    let err = result.expect_err("no TLS backend: the request cannot be sent");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.attempts(), 1, "{err}");
    let message = err.to_string();
    assert!(message.contains("this build has no TLS for `https` URLs"), "{message}");
    assert!(message.contains("`rustls` or `native-tls` feature"), "{message}");
}
