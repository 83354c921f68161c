//! The futures of an operation's call: what each request builder's `send_with_metadata`, `send`
//! and `.await` return.
//!
//! They are named types, not `async fn`s, so that what a call does is compiled once, here: an
//! operation adds only its decoding function (a `fn` pointer) and the small `poll` of these
//! futures for its types, where an `async fn` per operation made three state machines of it.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use sync_wrapper::SyncWrapper;

use super::request::{RawResponse, RequestOptions};
use super::{Client, Error, Request, Response};

/// The sending of one request, retries included (`Client::execute`).
type Sending = Pin<Box<dyn Future<Output = Result<RawResponse, Error<Infallible>>> + Send>>;

/// Where a call is.
enum State<E> {
    /// The request could not be built: the error, until it is returned.
    Failed(Error<E>),
    /// Sent, retried as the policy says, until a response is complete. In a `SyncWrapper` (only
    /// ever polled through `&mut`), so that a call is `Sync` whatever the sending is: `execute`'s
    /// future is not with the `middleware` feature, and a feature must not take `Sync` away.
    Sending(SyncWrapper<Sending>),
    /// The output was returned.
    Done,
}

/// The future of a request builder's `send_with_metadata()`: sends the request (retrying as the
/// policy says) when first polled, and resolves to the decoded body with the response's status
/// and headers ([`Response`]), or the [`Error`].
#[must_use = "a request does nothing until it is awaited"]
pub struct ResponseFuture<T, E> {
    state: State<E>,
    decode: fn(RawResponse) -> Result<T, Error<E>>,
}

// Nothing in it is pinned: the sending future is boxed.
impl<T, E> Unpin for ResponseFuture<T, E> {}

impl<T, E> ResponseFuture<T, E> {
    /// The call of a generated operation: `request` (or why it could not be built) sent by
    /// `client` with `options`, the response decoded by `decode` (the operation's documented
    /// statuses).
    #[doc(hidden)]
    pub fn new(
        client: &Client,
        request: Result<Request, Error<E>>,
        options: &RequestOptions,
        decode: fn(RawResponse) -> Result<T, Error<E>>,
    ) -> Self {
        let state = match request {
            Ok(request) => State::Sending(SyncWrapper::new(client.sending(request, options.clone()))),
            Err(error) => State::Failed(error),
        };
        ResponseFuture { state, decode }
    }
}

impl<T, E> Future for ResponseFuture<T, E> {
    type Output = Result<Response<T>, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        Poll::Ready(match std::mem::replace(&mut this.state, State::Done) {
            State::Sending(mut sending) => match sending.get_mut().as_mut().poll(cx) {
                Poll::Pending => {
                    this.state = State::Sending(sending);
                    return Poll::Pending;
                }
                Poll::Ready(Ok(response)) => {
                    let (status, headers) = (response.status, response.headers.clone());
                    (this.decode)(response).map(|body| Response { status, headers, body })
                }
                Poll::Ready(Err(error)) => Err(error.widen()),
            },
            State::Failed(error) => Err(error),
            State::Done => Err(polled_after_completion()),
        })
    }
}

/// A future polled again after it returned its output: an error rather than a panic (`Future`
/// leaves what happens open).
fn polled_after_completion<E>() -> Error<E> {
    Error::InvalidRequest("the call's future was polled after it completed".to_owned())
}

impl<T, E> fmt::Debug for ResponseFuture<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Failed(_) => "failed",
            State::Sending(_) => "sending",
            State::Done => "done",
        };
        f.debug_struct("ResponseFuture").field("state", &state).finish_non_exhaustive()
    }
}

/// The future of a request builder's `send()` (and of `.await` on the builder): the decoded body
/// of [`ResponseFuture`]'s response, or the [`Error`].
#[must_use = "a request does nothing until it is awaited"]
#[derive(Debug)]
pub struct BodyFuture<T, E>(ResponseFuture<T, E>);

impl<T, E> BodyFuture<T, E> {
    /// The body of `call`'s response.
    #[doc(hidden)]
    pub fn new(call: ResponseFuture<T, E>) -> Self {
        BodyFuture(call)
    }
}

impl<T, E> Future for BodyFuture<T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx).map(|result| result.map(|response| response.body))
    }
}

impl Client {
    /// `request` sent with `options` as [`execute`](Client::execute) sends it, boxed: one future
    /// type for every operation.
    fn sending(&self, request: Request, options: RequestOptions) -> Sending {
        let client = self.clone();
        Box::pin(async move { client.execute(request, &options).await })
    }
}

#[cfg(test)]
mod tests {
    // The tests that send requests are in `tests/call.rs`: this file is vendored into every
    // generated crate, whose tokio has no `#[tokio::test]` (no `macros` feature).
    use super::*;
    use super::super::{ClientBuilder, Defaults};

    fn client(base_url: &str) -> Client {
        let defaults = Defaults { base_url: "http://127.0.0.1:9", version_header: None, token_env: None, user_agent: "test/0" };
        ClientBuilder::new(defaults).base_url(base_url).build().unwrap()
    }

    fn decode(response: RawResponse) -> Result<u32, Error<String>> {
        match response.status.as_u16() {
            200 => response.json(),
            _ => Err(response.unexpected()),
        }
    }

    #[test]
    fn polled_again_after_completion_it_is_an_error_not_a_panic() {
        let client = client("http://127.0.0.1:9");
        let request = Err(Error::InvalidRequest("first".to_owned()));
        let mut call = ResponseFuture::new(&client, request, &RequestOptions::default(), decode);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let first = Pin::new(&mut call).poll(&mut cx);
        assert!(matches!(first, Poll::Ready(Err(Error::InvalidRequest(ref m))) if m == "first"));
        let second = Pin::new(&mut call).poll(&mut cx);
        assert!(matches!(second, Poll::Ready(Err(Error::InvalidRequest(ref m))) if m.contains("after it completed")));
        assert_eq!(format!("{call:?}"), "ResponseFuture { state: \"done\", .. }");
    }

    #[test]
    fn the_futures_are_send_sync_and_unpin_whatever_their_types() {
        fn send_sync_unpin<F: Future + Send + Sync + Unpin>() {}
        send_sync_unpin::<ResponseFuture<std::marker::PhantomPinned, String>>();
        send_sync_unpin::<BodyFuture<std::marker::PhantomPinned, String>>();
        // Nor is a body type that is neither `Send` nor `Sync` in the way: the future holds no body.
        send_sync_unpin::<ResponseFuture<std::rc::Rc<u8>, String>>();
    }
}
