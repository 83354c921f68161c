//! Building requests, sending them with retries, and reading responses.


use std::convert::Infallible;
use std::time::{Duration, Instant};

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, LOCATION};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::client::{Secrets, MAX_REDIRECTS};
use super::error::MAX_ERROR_BODY;
use super::retry::{Attempt, Exhausted, Failure, RetryPolicy};
use super::{Client, Error};

/// Per-call settings: override the client's timeout, retry policy and maximum response size for
/// one call (set through the request builders).
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) max_response_size: Option<u64>,
}

impl RequestOptions {
    /// How long each attempt may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy of this call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The largest success body this call reads, in bytes.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }
}

/// A request body, encoded.
#[derive(Clone, Debug)]
pub struct Body {
    bytes: Bytes,
    content_type: String,
}

impl Body {
    /// A JSON body of `content_type`.
    pub fn json<T: Serialize, E>(value: &T, content_type: &str) -> Result<Self, Error<E>> {
        match serde_json::to_vec(value) {
            Ok(bytes) => Ok(Body { bytes: bytes.into(), content_type: content_type.to_owned() }),
            Err(err) => Err(Error::InvalidRequest(format!("the body cannot be encoded: {err}"))),
        }
    }

    /// A form (`application/x-www-form-urlencoded`) body of `content_type`.
    pub fn form<T: Serialize, E>(value: &T, content_type: &str) -> Result<Self, Error<E>> {
        match serde_urlencoded::to_string(value) {
            Ok(text) => Ok(Body { bytes: text.into(), content_type: content_type.to_owned() }),
            Err(err) => Err(Error::InvalidRequest(format!("the form cannot be encoded: {err}"))),
        }
    }

    /// A text body of `content_type`.
    pub fn text<E>(value: &str, content_type: &str) -> Result<Self, Error<E>> {
        Ok(Body { bytes: Bytes::copy_from_slice(value.as_bytes()), content_type: content_type.to_owned() })
    }

    /// A body of raw bytes of `content_type`.
    pub fn bytes<E>(value: &[u8], content_type: &str) -> Result<Self, Error<E>> {
        Ok(Body { bytes: Bytes::copy_from_slice(value), content_type: content_type.to_owned() })
    }
}

/// How a query parameter is serialized (OpenAPI's `style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// `ids=1&ids=2` (exploded) or `ids=1,2`; objects `a=1&b=2` (exploded) or `name=a,1,b,2`.
    Form,
    /// Arrays joined by spaces.
    SpaceDelimited,
    /// Arrays joined by `|`.
    PipeDelimited,
    /// Objects as `name[a]=1&name[b]=2`.
    DeepObject,
}

/// Query parameters, in order.
#[doc(hidden)]
#[derive(Clone, Debug, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Adds a `form` parameter: `null` and absent values are left out; arrays become repeated keys
    /// (`explode`, OpenAPI's default for query) or one comma-separated value.
    pub fn push<T: Serialize, E>(&mut self, name: &'static str, value: &T, explode: bool) -> Result<(), Error<E>> {
        self.push_styled(name, value, QueryStyle::Form, explode)
    }

    /// Adds a parameter in the given style.
    pub fn push_styled<T: Serialize, E>(
        &mut self,
        name: &'static str,
        value: &T,
        style: QueryStyle,
        explode: bool,
    ) -> Result<(), Error<E>> {
        self.push_value(name, to_json(value, name)?, style, explode);
        Ok(())
    }

    /// [`push_styled`](Self::push_styled) of the value encoded (apart, so that only the encoding
    /// is compiled per parameter type).
    fn push_value(&mut self, name: &'static str, value: serde_json::Value, style: QueryStyle, explode: bool) {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                let items: Vec<String> = items.iter().filter(|v| !v.is_null()).map(scalar).collect();
                let separator = match style {
                    QueryStyle::SpaceDelimited => " ",
                    QueryStyle::PipeDelimited => "|",
                    QueryStyle::Form | QueryStyle::DeepObject => ",",
                };
                if explode && style == QueryStyle::Form {
                    self.0.extend(items.into_iter().map(|item| (name.to_owned(), item)));
                } else if !items.is_empty() {
                    self.0.push((name.to_owned(), items.join(separator)));
                }
            }
            serde_json::Value::Object(fields) => {
                let fields = fields.iter().filter(|(_, v)| !v.is_null());
                match style {
                    QueryStyle::DeepObject => self.0.extend(fields.map(|(key, v)| (format!("{name}[{key}]"), scalar(v)))),
                    _ if explode => self.0.extend(fields.map(|(key, v)| (key.clone(), scalar(v)))),
                    _ => {
                        let flat: Vec<String> = fields.flat_map(|(key, v)| [key.clone(), scalar(v)]).collect();
                        if !flat.is_empty() {
                            self.0.push((name.to_owned(), flat.join(",")));
                        }
                    }
                }
            }
            other => self.0.push((name.to_owned(), scalar(&other))),
        }
    }
}

/// A parameter's value as JSON; what does not encode is an `Error::InvalidRequest` naming it.
fn to_json<T: Serialize, E>(value: &T, name: &str) -> Result<serde_json::Value, Error<E>> {
    serde_json::to_value(value).map_err(|err| Error::InvalidRequest(cannot_encode(name, &err)))
}

/// [`to_json`]'s message, apart so that it is not compiled per parameter type.
fn cannot_encode(name: &str, err: &serde_json::Error) -> String {
    format!("`{name}` cannot be encoded: {err}")
}

/// A JSON scalar as it goes in a URL or header (objects as JSON text).
fn scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Everything but unreserved characters (`A-Z a-z 0-9 - _ ~`) is percent-encoded; `.` too, so a
/// value can never be a dot segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

/// A path parameter, percent-encoded so it stays one path segment.
pub fn path_segment<T: Serialize, E>(name: &str, value: &T) -> Result<String, Error<E>> {
    encode_segment(name, &to_json(value, name)?).map_err(Error::InvalidRequest)
}

fn encode_segment(name: &str, value: &serde_json::Value) -> Result<String, String> {
    let text = scalar(value);
    if text.is_empty() || text == "." || text == ".." {
        return Err(format!("the path parameter `{name}` cannot be `{text}`"));
    }
    Ok(utf8_percent_encode(&text, PATH_SEGMENT).to_string())
}

/// One call, ready to send.
#[derive(Clone, Debug)]
pub struct Request {
    pub(crate) method: Method,
    /// The path template, for traces.
    pub(crate) template: &'static str,
    /// The path, parameters encoded.
    pub(crate) path: String,
    /// The query parameters.
    pub query: Query,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// Cookie parameters, sent together in one `Cookie` header.
    pub(crate) cookies: Vec<(&'static str, String)>,
    /// The body, if any.
    pub body: Option<Body>,
    /// Whether the bearer token goes with it.
    pub authenticated: bool,
}

impl Request {
    /// A request of `method` to `path` (parameters encoded), made from the path `template`;
    /// authenticated, without query, headers, cookies or body.
    pub fn new(method: Method, template: &'static str, path: String) -> Self {
        Request {
            method,
            template,
            path,
            query: Query::default(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            authenticated: true,
        }
    }

    /// Adds a header parameter (absent and `null` values are left out).
    pub fn header<T: Serialize, E>(&mut self, name: &'static str, value: &T) -> Result<(), Error<E>> {
        self.push_header(name, to_json(value, name)?);
        Ok(())
    }

    fn push_header(&mut self, name: &'static str, value: serde_json::Value) {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => self.headers.push((name, items.iter().map(scalar).collect::<Vec<_>>().join(","))),
            other => self.headers.push((name, scalar(&other))),
        }
    }
}

impl Request {
    /// Adds a cookie parameter (absent and `null` values are left out).
    pub fn cookie<T: Serialize, E>(&mut self, name: &'static str, value: &T) -> Result<(), Error<E>> {
        let value = to_json(value, name)?;
        if !value.is_null() {
            self.cookies.push((name, scalar(&value)));
        }
        Ok(())
    }
}

/// A decoded response with its status and headers (from `send_with_metadata`).
#[derive(Clone, Debug)]
pub struct Response<T> {
    /// The status.
    pub status: StatusCode,
    /// The headers, such as rate-limit information.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

/// A whole response, handed to each generated operation's status match.
#[doc(hidden)]
#[derive(Debug)]
pub struct RawResponse {
    pub(crate) status: StatusCode,
    /// Secrets scrubbed.
    pub(crate) headers: HeaderMap,
    /// A success body whole; an error body (any other status) cut to [`MAX_ERROR_BODY`] and
    /// scrubbed of the client's secrets.
    pub(crate) body: Bytes,
    /// Whether the body was cut (error bodies only).
    pub(crate) truncated: bool,
    secrets: Secrets,
    /// How many attempts the call made (retries included), and the time they took: set by
    /// `execute`, and said in the errors made of this response.
    pub(crate) attempts: u32,
    pub(crate) elapsed: Duration,
}

impl RawResponse {
    /// The body as it may be kept in an error: at most [`MAX_ERROR_BODY`] bytes in an allocation
    /// of its own (never a slice of a larger body), secrets scrubbed; and whether it was cut.
    fn error_body(&self) -> (Bytes, bool) {
        if !self.status.is_success() {
            return (self.body.clone(), self.truncated);
        }
        // A secret across the cut is scrubbed whole: look a secret's length past it.
        let window = &self.body[..self.body.len().min(MAX_ERROR_BODY + self.secrets.longest())];
        let clean = self.secrets.scrub(window);
        let clean = clean.as_deref().unwrap_or(window);
        (Bytes::copy_from_slice(&clean[..clean.len().min(MAX_ERROR_BODY)]), self.body.len() > MAX_ERROR_BODY)
    }

    fn decode_error<E>(self, source: serde_json::Error) -> Error<E> {
        let (body, truncated) = self.error_body();
        let source = if truncated {
            <serde_json::Error as serde::de::Error>::custom(format_args!(
                "the body is larger than the {MAX_ERROR_BODY} bytes kept of an error and was cut, so it cannot be decoded ({source})"
            ))
        } else {
            source
        };
        Error::Decode { status: self.status, body, headers: Box::new(self.headers), source, attempts: self.attempts, elapsed: self.elapsed }
    }

    /// The body as JSON of type `T`.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        let decoded = serde_json::from_slice(&self.body);
        decoded.map_err(|source| self.decode_error(source))
    }

    /// The body as a form (`application/x-www-form-urlencoded`) of type `T`; what does not decode
    /// is an `Error::Decode` (the form decoder's message in its source).
    pub fn form<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        let decoded = from_form(&self.body);
        decoded.map_err(|source| self.decode_error(source))
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text<E>(self) -> Result<String, Error<E>> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// The body as bytes.
    pub fn bytes<E>(self) -> Result<Vec<u8>, Error<E>> {
        Ok(self.body.to_vec())
    }

    /// A documented error whose body decodes into `T`, wrapped by `wrap`.
    pub fn api_error<T: DeserializeOwned, E>(self, wrap: impl FnOnce(T) -> E) -> Error<E> {
        let (body, _) = self.error_body();
        self.api_error_decoded(serde_json::from_slice(&body), wrap)
    }

    /// A documented error whose body is a form that decodes into `T`, wrapped by `wrap`.
    pub fn api_error_form<T: DeserializeOwned, E>(self, wrap: impl FnOnce(T) -> E) -> Error<E> {
        let (body, _) = self.error_body();
        self.api_error_decoded(from_form(&body), wrap)
    }

    /// A documented error from its decoded body, or the decoding's error.
    fn api_error_decoded<T, E>(self, decoded: Result<T, serde_json::Error>, wrap: impl FnOnce(T) -> E) -> Error<E> {
        match decoded {
            Ok(value) => self.api_error_empty(wrap(value)),
            Err(source) => self.decode_error(source),
        }
    }

    /// A documented error whose body is text.
    pub fn api_error_text<E>(self, wrap: impl FnOnce(String) -> E) -> Error<E> {
        let (body, _) = self.error_body();
        self.api_error_empty(wrap(String::from_utf8_lossy(&body).into_owned()))
    }

    /// A documented error whose body is bytes.
    pub fn api_error_bytes<E>(self, wrap: impl FnOnce(Vec<u8>) -> E) -> Error<E> {
        let (body, _) = self.error_body();
        self.api_error_empty(wrap(body.to_vec()))
    }

    /// A documented error without a body (and what the others make of theirs).
    pub fn api_error_empty<E>(self, error: E) -> Error<E> {
        Error::Api { status: self.status, headers: Box::new(self.headers), error: Box::new(error), attempts: self.attempts, elapsed: self.elapsed }
    }

    /// An undocumented status.
    pub fn unexpected<E>(self) -> Error<E> {
        let (body, _) = self.error_body();
        Error::UnexpectedStatus { status: self.status, body, headers: Box::new(self.headers), attempts: self.attempts, elapsed: self.elapsed }
    }
}

/// A form body decoded; its error as a `serde_json::Error`, the type `Error::Decode` holds.
fn from_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    serde_urlencoded::from_bytes(body).map_err(<serde_json::Error as serde::de::Error>::custom)
}

/// Why one attempt got no response.
enum SendError {
    /// The transport's error (retried as the policy says).
    Http(reqwest::Error),
    /// A middleware's own error (feature `middleware`; not retried).
    #[cfg_attr(not(feature = "middleware"), allow(dead_code))]
    Middleware(Box<dyn std::error::Error + Send + Sync>),
}

impl From<reqwest::Error> for SendError {
    fn from(err: reqwest::Error) -> Self {
        SendError::Http(err)
    }
}

/// How the attempts of a request ended without a success.
enum Ended {
    /// An error status (the caller decodes it).
    Answered(RawResponse),
    /// A success body over the limit (not read past it).
    TooLarge { status: StatusCode, headers: HeaderMap, declared: Option<u64> },
    /// No complete answer.
    Failed(reqwest::Error),
    /// A middleware's own error (feature `middleware`; not retried).
    #[cfg_attr(not(feature = "middleware"), allow(dead_code))]
    Middleware(Box<dyn std::error::Error + Send + Sync>),
}

/// What one attempt came to.
enum Outcome {
    Response(RawResponse),
    /// A success body over the limit (not read past it).
    TooLarge { status: StatusCode, headers: HeaderMap, declared: Option<u64> },
}

/// Reads a body up to `limit` bytes and no further; `true` if there was more. A declared length
/// sizes the buffer (up to the limit).
pub async fn read_limited(response: &mut reqwest::Response, limit: usize) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let declared = response.content_length().and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
    let mut body = Vec::with_capacity(declared.min(limit));
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

/// Where a redirect answer sends the request: for 301, 302, 303, 307 and 308 with a `Location`
/// that is an http(s) URL (relative to `from`).
fn redirect_target(status: StatusCode, headers: &HeaderMap, from: &reqwest::Url) -> Option<reqwest::Url> {
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = headers.get(LOCATION)?.to_str().ok()?;
    let next = from.join(location).ok()?;
    matches!(next.scheme(), "http" | "https").then_some(next)
}

impl Client {
    /// Sends `request`, retrying as the policy says; any complete response is returned (the
    /// caller decodes it), including the last one of a retried error status. Not generic, so
    /// that it is compiled once, not per operation.
    pub(crate) async fn execute(&self, request: Request, options: &RequestOptions) -> Result<RawResponse, Error<Infallible>> {
        let inner = &self.inner;
        let mut url = reqwest::Url::parse(&format!("{}{}", inner.base_url, request.path))
            .map_err(|err| Error::InvalidRequest(format!("invalid URL for {}: {err}", request.template)))?;
        if !request.query.0.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query.0 {
                pairs.append_pair(name, value);
            }
        }
        let mut headers = inner.headers.clone();
        for (name, value) in &request.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::InvalidRequest(format!("invalid header name `{name}`")))?;
            let value = HeaderValue::from_str(value).map_err(|_| Error::InvalidRequest(format!("invalid value for header `{name}`")))?;
            headers.append(name, value);
        }
        if !request.cookies.is_empty() {
            let cookie = request.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ");
            let value = HeaderValue::from_str(&cookie).map_err(|_| Error::InvalidRequest("invalid cookie value".to_owned()))?;
            headers.insert(reqwest::header::COOKIE, value);
        }
        if let (true, Some(authorization)) = (request.authenticated, &inner.authorization) {
            headers.insert(AUTHORIZATION, authorization.clone());
        }
        if let Some(body) = &request.body {
            let value = HeaderValue::from_str(&body.content_type).map_err(|_| Error::InvalidRequest("invalid content type".to_owned()))?;
            headers.insert(CONTENT_TYPE, value);
        }
        let policy = options.retry.as_ref().unwrap_or(&inner.retry);
        let timeout = options.timeout.or(inner.timeout);
        let limit = options.max_response_size.unwrap_or(inner.max_response_size);
        let request = &request;
        let started = Instant::now();
        let attempts = policy.run(&request.method, |attempt| {
            // OpenTelemetry's HTTP client semantic conventions, so an exporter (such as
            // tracing-opentelemetry) needs no glue; the full URL is left out (a query may hold
            // what a trace should not).
            let span = tracing::info_span!(
                "http_request",
                otel.name = %format_args!("{} {}", request.method, request.template),
                otel.kind = "client",
                http.request.method = %request.method,
                url.template = request.template,
                server.address = url.host_str().unwrap_or_default(),
                server.port = url.port_or_known_default(),
                http.request.resend_count = attempt - 1,
                http.response.status_code = tracing::field::Empty,
                "error.type" = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            let (url, headers, recorded) = (url.clone(), headers.clone(), span.clone());
            let work = async move {
                let attempt_started = Instant::now();
                let result = self.attempt(request, url, headers, timeout, limit).await;
                recorded.record("elapsed_ms", u64::try_from(attempt_started.elapsed().as_millis()).unwrap_or(u64::MAX));
                match result {
                    Ok(Outcome::Response(mut response)) => {
                        recorded.record("http.response.status_code", response.status.as_u16());
                        response.attempts = attempt;
                        response.elapsed = started.elapsed();
                        if response.status.is_success() {
                            return Attempt::Done(Ok(response));
                        }
                        recorded.record("error.type", response.status.as_str());
                        Attempt::Failed { failure: Failure::Status(response.status), headers: Some(response.headers.clone()), error: Ended::Answered(response) }
                    }
                    Ok(Outcome::TooLarge { status, headers, declared }) => {
                        recorded.record("http.response.status_code", status.as_u16());
                        recorded.record("error.type", "response_too_large");
                        Attempt::Done(Err(Ended::TooLarge { status, headers, declared }))
                    }
                    Err(SendError::Middleware(source)) => {
                        // What a middleware refused is not the transport's to retry.
                        recorded.record("error.type", "middleware");
                        Attempt::Done(Err(Ended::Middleware(source)))
                    }
                    Err(SendError::Http(err)) if super::error::lacks_tls(&err) => {
                        recorded.record("error.type", "no_tls");
                        Attempt::Done(Err(Ended::Failed(err)))
                    }
                    Err(SendError::Http(err)) if err.is_connect() => {
                        recorded.record("error.type", "connect");
                        Attempt::Failed { failure: Failure::Connect, headers: None, error: Ended::Failed(err) }
                    }
                    Err(SendError::Http(err)) => {
                        recorded.record("error.type", if err.is_timeout() { "timeout" } else { "transport" });
                        Attempt::Failed { failure: Failure::Transport, headers: None, error: Ended::Failed(err) }
                    }
                }
            };
            (span, work)
        });
        match attempts.await {
            Ok(response) => Ok(response),
            // The last answer of a retried error status: the caller decodes it.
            Err(Exhausted { error: Ended::Answered(mut response), attempts, elapsed }) => {
                response.attempts = attempts;
                response.elapsed = elapsed;
                Ok(response)
            }
            Err(Exhausted { error: Ended::TooLarge { status, headers, declared }, attempts, elapsed }) => {
                Err(Error::ResponseTooLarge { status, headers: Box::new(headers), limit, declared, attempts, elapsed })
            }
            Err(Exhausted { error: Ended::Middleware(source), attempts, elapsed }) => Err(Error::Middleware { source, attempts, elapsed }),
            Err(Exhausted { error: Ended::Failed(err), attempts, elapsed }) => Err(Error::from_reqwest(err, attempts, elapsed)),
        }
    }

    /// Whether requests go through a `reqwest-middleware` client (feature `middleware`).
    fn has_middleware(&self) -> bool {
        #[cfg(feature = "middleware")]
        return self.inner.middleware.is_some();
        #[cfg(not(feature = "middleware"))]
        false
    }

    /// Sends one HTTP request: through the middleware client when there is one, else the HTTP
    /// client. A middleware's transport error is the transport's; its own error is not.
    async fn send_built(&self, request: reqwest::Request) -> Result<reqwest::Response, SendError> {
        #[cfg(feature = "middleware")]
        if let Some(middleware) = &self.inner.middleware {
            return middleware.execute(request).await.map_err(|err| match err {
                reqwest_middleware::Error::Reqwest(err) => SendError::Http(err),
                reqwest_middleware::Error::Middleware(err) => SendError::Middleware(err.into()),
            });
        }
        Ok(self.inner.http.execute(request).await?)
    }

    /// One attempt: the request, and the redirects it gets (followed here, up to
    /// [`MAX_REDIRECTS`], so that credentials never cross origins), then the body.
    async fn attempt(
        &self,
        request: &Request,
        mut url: reqwest::Url,
        mut headers: HeaderMap,
        timeout: Option<Duration>,
        limit: u64,
    ) -> Result<Outcome, SendError> {
        let inner = &self.inner;
        let mut method = request.method.clone();
        let mut body = request.body.as_ref().map(|body| body.bytes.clone());
        let mut redirects = 0;
        let mut response = loop {
            let mut builder = inner.http.request(method.clone(), url.clone()).headers(headers.clone());
            if let Some(timeout) = timeout {
                builder = builder.timeout(timeout);
            }
            if let Some(body) = &body {
                builder = builder.body(body.clone());
            }
            let response = if inner.hooks.before.is_empty() && inner.hooks.after.is_empty() && !self.has_middleware() {
                builder.send().await?
            } else {
                let mut built = builder.build()?;
                for hook in &inner.hooks.before {
                    hook(&mut built);
                }
                let response = self.send_built(built).await?;
                for hook in &inner.hooks.after {
                    hook(&response);
                }
                response
            };
            let status = response.status();
            let next = if redirects < MAX_REDIRECTS { redirect_target(status, response.headers(), &url) } else { None };
            let Some(next) = next else { break response };
            redirects += 1;
            if matches!(status.as_u16(), 301..=303) {
                // As browsers and reqwest do: the body is dropped, and any method but HEAD becomes GET.
                body = None;
                headers.remove(CONTENT_TYPE);
                headers.remove(CONTENT_LENGTH);
                if method != Method::HEAD {
                    method = Method::GET;
                }
            }
            if next.origin() != url.origin() {
                // Credentials stay with the origin they were given for.
                headers.remove(AUTHORIZATION);
                headers.remove(COOKIE);
                for name in &inner.credential_headers {
                    headers.remove(name);
                }
            }
            tracing::debug!(status = status.as_u16(), redirects, "following a redirect");
            url = next;
        };
        let status = response.status();
        let mut response_headers = std::mem::take(response.headers_mut());
        inner.secrets.scrub_headers(&mut response_headers);
        let secrets = inner.secrets.clone();
        if status.is_success() {
            let declared = response.content_length();
            if declared.is_some_and(|length| length > limit) {
                return Ok(Outcome::TooLarge { status, headers: response_headers, declared });
            }
            let (body, more) = read_limited(&mut response, usize::try_from(limit).unwrap_or(usize::MAX)).await?;
            if more {
                return Ok(Outcome::TooLarge { status, headers: response_headers, declared: None });
            }
            return Ok(Outcome::Response(RawResponse {
                status,
                headers: response_headers,
                body: body.into(),
                truncated: false,
                secrets,
                attempts: 1,
                elapsed: Duration::ZERO,
            }));
        }
        // An error body: read a secret's length past the cap, so a secret across the cut is
        // scrubbed whole, then keep at most the cap, in an allocation of its own.
        let (read, more) = read_limited(&mut response, MAX_ERROR_BODY + secrets.longest()).await?;
        drop(response);
        let clean = secrets.scrub(&read);
        let clean = clean.as_deref().unwrap_or(&read);
        let truncated = more || clean.len() > MAX_ERROR_BODY;
        let body = Bytes::copy_from_slice(&clean[..clean.len().min(MAX_ERROR_BODY)]);
        Ok(Outcome::Response(RawResponse { status, headers: response_headers, body, truncated, secrets, attempts: 1, elapsed: Duration::ZERO }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::copy_from_slice(body.as_bytes()),
            truncated: false,
            secrets: Secrets::default(),
            attempts: 1,
            elapsed: Duration::ZERO,
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Token {
        access_token: String,
        expires_in: u32,
    }

    #[test]
    fn form_bodies_decode_as_forms() {
        let token: Token = response(200, "access_token=a%20b&expires_in=3600").form::<_, ()>().unwrap();
        assert_eq!(token, Token { access_token: "a b".to_owned(), expires_in: 3600 });
        // Not the form the document gives: a decode error that says what the body reads.
        let err = response(200, "expires_in=soon").form::<Token, ()>().unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        // A documented error's form body.
        let err = response(400, "access_token=x&expires_in=0").api_error_form::<Token, Token>(|t| t);
        let Error::Api { error, .. } = err else { panic!("{err:?}") };
        assert_eq!(*error, Token { access_token: "x".to_owned(), expires_in: 0 });
    }

    #[test]
    fn path_segments_stay_one_segment() {
        assert_eq!(path_segment::<_, ()>("id", &"a/b c").unwrap(), "a%2Fb%20c");
        assert_eq!(path_segment::<_, ()>("id", &"v1.2").unwrap(), "v1%2E2");
        assert!(path_segment::<_, ()>("id", &"..").is_err());
        assert!(path_segment::<_, ()>("id", &"").is_err());
        assert_eq!(path_segment::<_, ()>("id", &42).unwrap(), "42");
    }

    #[test]
    fn bodies_are_encoded_as_their_media_type_says() {
        #[derive(serde::Serialize)]
        struct Login {
            username: &'static str,
            password: &'static str,
            remember: Option<bool>,
        }
        let form = Body::form::<_, ()>(&Login { username: "a b", password: "p&q", remember: None }, "application/x-www-form-urlencoded").unwrap();
        assert_eq!(&form.bytes[..], b"username=a+b&password=p%26q");
        assert_eq!(form.content_type, "application/x-www-form-urlencoded");
        let json = Body::json::<_, ()>(&serde_json::json!({"a": [1, null]}), "application/json").unwrap();
        assert_eq!(&json.bytes[..], br#"{"a":[1,null]}"#);
        assert_eq!(&Body::text::<()>("x,y", "text/csv").unwrap().bytes[..], b"x,y");
        assert_eq!(&Body::bytes::<()>(&[0, 255], "application/octet-stream").unwrap().bytes[..], [0, 255]);
    }

    #[test]
    fn headers_and_cookies_leave_out_absent_values() {
        let mut request = Request::new(Method::GET, "/x", "/x".to_owned());
        request.header::<_, ()>("x-request-id", &Some("abc")).unwrap();
        request.header::<_, ()>("x-absent", &Option::<String>::None).unwrap();
        request.header::<_, ()>("x-list", &vec![1, 2]).unwrap();
        request.cookie::<_, ()>("session", &Some("s1")).unwrap();
        request.cookie::<_, ()>("absent", &Option::<String>::None).unwrap();
        assert_eq!(request.headers, [("x-request-id", "abc".to_owned()), ("x-list", "1,2".to_owned())]);
        assert_eq!(request.cookies, [("session", "s1".to_owned())]);
    }

    #[test]
    fn query_arrays_repeat_and_nulls_vanish() {
        let mut query = Query::default();
        query.push::<_, ()>("ids", &vec!["a", "b"], true).unwrap();
        query.push::<_, ()>("none", &Option::<i64>::None, true).unwrap();
        query.push::<_, ()>("csv", &vec![1, 2], false).unwrap();
        query.push::<_, ()>("page", &Some(2), true).unwrap();
        let pairs: Vec<(&str, &str)> = query.0.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(pairs, [("ids", "a"), ("ids", "b"), ("csv", "1,2"), ("page", "2")]);
    }

    #[test]
    fn query_styles() {
        let filter = serde_json::json!({"q": "rust", "min": 2, "none": null});
        let mut query = Query::default();
        query.push_styled::<_, ()>("filter", &filter, QueryStyle::DeepObject, true).unwrap();
        query.push::<_, ()>("filter", &filter, true).unwrap();
        query.push::<_, ()>("filter", &filter, false).unwrap();
        query.push_styled::<_, ()>("ids", &vec![1, 2], QueryStyle::PipeDelimited, false).unwrap();
        query.push_styled::<_, ()>("ids", &vec![1, 2], QueryStyle::SpaceDelimited, false).unwrap();
        // An object's keys come in serde_json's map order (sorted, or insertion with its
        // `preserve_order` feature), so compare as sets.
        let mut pairs: Vec<(&str, &str)> = query.0.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        pairs.sort_unstable();
        let flat = pairs.iter().find(|(k, _)| *k == "filter").map(|(_, v)| *v).unwrap_or_default();
        assert!(flat == "q,rust,min,2" || flat == "min,2,q,rust", "{flat}");
        let mut expected =
            vec![("filter[q]", "rust"), ("filter[min]", "2"), ("q", "rust"), ("min", "2"), ("filter", flat), ("ids", "1|2"), ("ids", "1 2")];
        expected.sort_unstable();
        assert_eq!(pairs, expected);
    }
}
