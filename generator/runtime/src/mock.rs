//! What every generated `mock` module shares (feature `mock`): the setup of one operation's mock
//! on a wiremock server (method, path template, pinned parameters, the answer's settings), and the
//! macro that gives each operation's mock type its common methods.

use std::time::Duration;

use serde::Serialize;
use wiremock::{Match, MockBuilder, MockServer, ResponseTemplate};

/// One operation's mock before it is mounted: the server, the request matchers, the answer's
/// settings.
#[derive(Debug)]
pub struct Setup<'a> {
    server: &'a MockServer,
    builder: MockBuilder,
    /// The path template: literal pieces (escaped) and, for parameters, `None` or the pinned
    /// value (escaped).
    pieces: Vec<Option<String>>,
    /// The parameter slots, in template order (their index in `pieces`).
    slots: Vec<usize>,
    /// A pinned value that no request can carry (empty, `.` or `..`): the mock matches nothing.
    unmatchable: bool,
    headers: Vec<(String, String)>,
    delay: Option<Duration>,
    times: Option<u64>,
    expect: Option<u64>,
}

impl<'a> Setup<'a> {
    /// A mock of `method` on the path template given as pieces: `Some(literal)`, and `None` where
    /// a parameter goes.
    pub fn new(server: &'a MockServer, method: &str, pieces: &[Option<&str>]) -> Self {
        let pieces: Vec<Option<String>> = pieces.iter().map(|piece| piece.map(regex::escape)).collect();
        let slots = pieces.iter().enumerate().filter(|(_, piece)| piece.is_none()).map(|(index, _)| index).collect();
        Setup {
            server,
            builder: wiremock::Mock::given(wiremock::matchers::method(method)),
            pieces,
            slots,
            unmatchable: false,
            headers: Vec::new(),
            delay: None,
            times: None,
            expect: None,
        }
    }

    /// Pins the `slot`th path parameter to `value`, encoded as the client encodes it.
    pub fn pin<T: Serialize>(&mut self, slot: usize, name: &str, value: &T) {
        match super::path_segment::<T, ()>(name, value) {
            Ok(encoded) => {
                if let Some(index) = self.slots.get(slot) {
                    self.pieces[*index] = Some(regex::escape(&encoded));
                }
            }
            Err(_) => self.unmatchable = true,
        }
    }

    /// Matches only requests that `matcher` accepts too.
    pub fn and(&mut self, matcher: impl Match + 'static) {
        let builder = std::mem::replace(&mut self.builder, wiremock::Mock::given(wiremock::matchers::any()));
        self.builder = builder.and(matcher);
    }

    /// Adds a header to the answer.
    pub fn header(&mut self, name: String, value: String) {
        self.headers.push((name, value));
    }

    /// Answers after `delay`.
    pub fn delay(&mut self, delay: Duration) {
        self.delay = Some(delay);
    }

    /// Answers at most `n` requests.
    pub fn times(&mut self, n: u64) {
        self.times = Some(n);
    }

    /// Expects exactly `n` matching requests.
    pub fn expect(&mut self, n: u64) {
        self.expect = Some(n);
    }

    /// The path matcher: the template with each parameter one segment (or its pinned value).
    fn path_regex(&self) -> String {
        if self.unmatchable {
            return "^$".to_owned();
        }
        let path: String = self.pieces.iter().map(|piece| piece.as_deref().unwrap_or("[^/]+")).collect();
        format!("^{path}$")
    }

    /// Answers `status` with a JSON body of `content_type`; a generated type always serializes.
    #[allow(clippy::expect_used, reason = "a generated type always serializes to JSON")]
    pub async fn json<T: Serialize>(self, status: u16, body: &T, content_type: &str) {
        let bytes = serde_json::to_vec(body).expect("a generated type serializes to JSON");
        self.mount(ResponseTemplate::new(status).set_body_raw(bytes, content_type)).await
    }

    /// Answers `status` with a form body of `content_type`.
    #[allow(clippy::expect_used, reason = "a generated type always serializes as a form")]
    pub async fn form<T: Serialize>(self, status: u16, body: &T, content_type: &str) {
        let text = serde_urlencoded::to_string(body).expect("a generated type serializes as a form");
        self.mount(ResponseTemplate::new(status).set_body_raw(text.into_bytes(), content_type)).await
    }

    /// Answers `status` with `body` as it is, of `content_type`.
    pub async fn bytes(self, status: u16, body: &[u8], content_type: &str) {
        self.mount(ResponseTemplate::new(status).set_body_raw(body.to_vec(), content_type)).await
    }

    /// Answers `status` without a body.
    pub async fn empty(self, status: u16) {
        self.mount(ResponseTemplate::new(status)).await
    }

    /// Mounts the mock, answering with `template` and the settings.
    pub async fn mount(self, mut template: ResponseTemplate) {
        for (name, value) in &self.headers {
            template = template.insert_header(name.as_str(), value.as_str());
        }
        if let Some(delay) = self.delay {
            template = template.set_delay(delay);
        }
        let path = self.path_regex();
        let mut mock = self.builder.and(wiremock::matchers::path_regex(path)).respond_with(template);
        if let Some(times) = self.times {
            mock = mock.up_to_n_times(times);
        }
        if let Some(expect) = self.expect {
            mock = mock.expect(expect);
        }
        mock.mount(self.server).await;
    }
}

/// An operation's mock type and the methods every one has (`matching`, `header`, `delay`,
/// `times`, `expect`, `respond_with`): `mock_operation!(Name, "`GET /path`")`, the second
/// argument the operation as the type's documentation shows it. The generated module adds the
/// operation's own methods (`with_<parameter>`, `respond_<status>`) in an `impl` of its own.
#[allow(unused_macros)] // a document without operations has no mocks
macro_rules! mock_operation {
    ($name:ident, $operation:literal) => {
        #[doc = concat!(
            " A mock of ",
            $operation,
            ": pin path parameters and set the answer's headers, then mount it with a `respond_*` method."
        )]
        #[derive(Debug)]
        #[must_use = "a mock answers nothing until a `respond_*` method mounts it"]
        pub struct $name<'a> {
            setup: $crate::runtime::mock::Setup<'a>,
        }

        impl<'a> $name<'a> {
            fn new(server: &'a ::wiremock::MockServer, method: &str, pieces: &[::core::option::Option<&str>]) -> Self {
                $name { setup: $crate::runtime::mock::Setup::new(server, method, pieces) }
            }

            /// Matches only requests that `matcher` (any wiremock matcher: a query parameter, a
            /// header, a body) accepts too.
            pub fn matching(mut self, matcher: impl ::wiremock::Match + 'static) -> Self {
                self.setup.and(matcher);
                self
            }

            /// Adds a header to the answer.
            pub fn header(mut self, name: impl ::core::convert::Into<String>, value: impl ::core::convert::Into<String>) -> Self {
                self.setup.header(name.into(), value.into());
                self
            }

            /// Answers after `delay` (to try timeouts).
            pub fn delay(mut self, delay: ::core::time::Duration) -> Self {
                self.setup.delay(delay);
                self
            }

            /// Answers at most `n` requests; later ones go to the next matching mock.
            pub fn times(mut self, n: u64) -> Self {
                self.setup.times(n);
                self
            }

            /// Expects exactly `n` matching requests, checked when the server is dropped.
            pub fn expect(mut self, n: u64) -> Self {
                self.setup.expect(n);
                self
            }

            /// Answers with `template` as it is (any status and body, documented or not), and
            /// mounts the mock.
            pub async fn respond_with(self, template: ::wiremock::ResponseTemplate) {
                self.setup.mount(template).await
            }
        }
    };
}
#[allow(unused_imports)] // a document without operations has no mocks
pub(crate) use mock_operation;
