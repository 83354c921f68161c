//! The client and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};

use super::retry::RetryPolicy;

/// How long one attempt of a request may take by default, response body included: 20 s, a third
/// of the default retry budget (60 s), so that an idempotent request whose attempts time out is
/// tried the default 3 times, the last retry starting within the budget.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// The largest success body read by default: 64 MiB. A JSON page of any API is far below it; a
/// hostile or broken server cannot make one call hold more. Raise it with
/// [`ClientBuilder::max_response_size`] or per call for APIs that return large documents.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 * 1024 * 1024;

/// Redirects followed at most, per attempt; past them the last redirect is the answer.
pub(crate) const MAX_REDIRECTS: usize = 10;

/// Secrets shorter than this are not scrubbed from responses (they would match ordinary text).
pub const MIN_SCRUBBED_SECRET: usize = 6;

/// A bearer token. It never shows in `Debug` output, logs or errors, and is only sent to the
/// client's base URL.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl SecretToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        SecretToken(token.into())
    }

    /// The token itself, for the rare code that must see it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(***)")
    }
}

impl From<String> for SecretToken {
    fn from(token: String) -> Self {
        SecretToken(token)
    }
}

impl From<&str> for SecretToken {
    fn from(token: &str) -> Self {
        SecretToken(token.to_owned())
    }
}

/// Why a [`ClientBuilder`] could not build a client.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http`/`https` URL.
    InvalidBaseUrl(String),
    /// A default header's name or value is invalid.
    InvalidHeader(String),
    /// The token cannot be sent in a header.
    InvalidToken,
    /// The HTTP client could not be built.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidBaseUrl(url) => write!(f, "invalid base URL `{url}`: it must be an absolute http(s) URL"),
            BuildError::InvalidHeader(name) => write!(f, "invalid default header `{name}`"),
            BuildError::InvalidToken => f.write_str("the access token has characters a header cannot carry"),
            BuildError::Http(err) => write!(f, "cannot build the HTTP client: {err}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(err) => Some(err),
            _ => None,
        }
    }
}

/// Builds a [`Client`]. Start with `Client::builder()`, which the generated crate gives the document's defaults.
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    token: Option<SecretToken>,
    token_env: Option<&'static str>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    user_agent: String,
    /// `(name, value, public)`: a header not public is a credential.
    headers: Vec<(String, String, bool)>,
    version_header: Option<(&'static str, String)>,
    http: Option<reqwest::Client>,
    #[cfg(feature = "middleware")]
    middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    retry: RetryPolicy,
    max_response_size: u64,
    hooks: Hooks,
}

/// A hook run on every HTTP request just before it is sent (see
/// [`ClientBuilder::before_request`]).
pub type BeforeRequest = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;

/// A hook run on every HTTP response as it arrives, before its body is read (see
/// [`ClientBuilder::after_response`]).
pub type AfterResponse = Arc<dyn Fn(&reqwest::Response) + Send + Sync>;

/// The hooks of a client, in the order they were added.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) before: Vec<BeforeRequest>,
    pub(crate) after: Vec<AfterResponse>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> =
            self.headers.iter().map(|(name, value, public)| (name.as_str(), if *public { value.as_str() } else { "***" })).collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("token", &self.token)
            .field("token_env", &self.token_env)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("headers", &headers)
            .field("version_header", &self.version_header)
            .field("retry", &self.retry)
            .field("max_response_size", &self.max_response_size)
            .field("hooks", &(self.hooks.before.len(), self.hooks.after.len()))
            .field("middleware", &self.has_middleware())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Whether requests go through a `reqwest-middleware` client.
    fn has_middleware(&self) -> bool {
        #[cfg(feature = "middleware")]
        return self.middleware.is_some();
        #[cfg(not(feature = "middleware"))]
        false
    }

    /// A builder starting from `defaults`: what the document says (the generated `Client::builder`
    /// passes its `client::DEFAULTS`).
    #[doc(hidden)]
    pub fn new(defaults: super::Defaults) -> Self {
        ClientBuilder {
            base_url: defaults.base_url.to_owned(),
            token: None,
            token_env: defaults.token_env,
            connect_timeout: Some(Duration::from_secs(10)),
            timeout: Some(DEFAULT_TIMEOUT),
            user_agent: defaults.user_agent.to_owned(),
            headers: Vec::new(),
            version_header: defaults.version_header.map(|(name, version)| (name, version.to_owned())),
            http: None,
            #[cfg(feature = "middleware")]
            middleware: None,
            retry: RetryPolicy::default(),
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            hooks: Hooks::default(),
        }
    }

    /// The bearer token. Without one, the token is read from the environment variable the
    /// crate documents (if any) when the client is built.
    pub fn token(mut self, token: impl Into<SecretToken>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Do not read the token from the environment: requests go without `Authorization` unless
    /// [`token`](Self::token) is set.
    pub fn no_token_from_env(mut self) -> Self {
        self.token_env = None;
        self
    }

    /// The API's base URL, such as `https://sandbox-api.polar.sh` or a local mock server. A
    /// `user:password@` in it is sent as HTTP Basic authentication (unless a token is set), taken
    /// out of the URL, and never shown.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// How long connecting may take (default 10 s). Ignored with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long one attempt of a request may take, response body included (default 20 s,
    /// [`DEFAULT_TIMEOUT`]). Keep it well under the retry policy's
    /// [`max_elapsed`](RetryPolicy::max_elapsed) (default 60 s): a retry never starts past it, so
    /// an attempt as long as the budget leaves no time to retry a timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// A header sent with every request, treated as a credential (such as an `x-api-key`): it
    /// is not sent on after a redirect to another origin (scheme, host or port), and its value
    /// is scrubbed from errors and response headers (values of at least [`MIN_SCRUBBED_SECRET`]
    /// bytes). For a header that is no secret and should follow redirects, use
    /// [`public_header`](Self::public_header).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into(), false));
        self
    }

    /// A header sent with every request that is not a credential: it is kept on redirects to
    /// other origins and shown in `Debug` output.
    pub fn public_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into(), true));
        self
    }

    /// The largest success body read, in bytes (default 64 MiB, [`DEFAULT_MAX_RESPONSE_SIZE`]);
    /// each call can override it. A response that declares a larger `Content-Length` is refused
    /// before its body is read; one without stops being read at the limit. Either way the call
    /// fails with [`Error::ResponseTooLarge`](super::Error::ResponseTooLarge). Error bodies are
    /// always cut at 64 KiB ([`MAX_ERROR_BODY`](super::MAX_ERROR_BODY)).
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// The API version sent in the version header (default: the document's version).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        if let Some((_, current)) = &mut self.version_header {
            *current = version.into();
        }
        self
    }

    /// Use this HTTP client (its own timeouts, proxies and TLS settings apply). Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`: the client then follows redirects itself
    /// (up to 10), dropping the token and every [`header`](Self::header) across origins. A
    /// client that follows redirects on its own drops only `Authorization` and `Cookie`.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Sends every API request through this `reqwest-middleware` client (feature `middleware`):
    /// its middleware (auth refresh, request ids, caching, metrics, ...) runs on each attempt and
    /// each redirect hop, after the [`before_request`](Self::before_request) hooks and before the
    /// [`after_response`](Self::after_response) ones. Retries, timeouts, the maximum response
    /// size, redirects and secret scrubbing still apply around it: build it on a
    /// `reqwest::Client` with `.redirect(reqwest::redirect::Policy::none())`, and leave retries
    /// to this client's [`retry`](Self::retry) policy (a retrying middleware would multiply the
    /// attempts). An error of a middleware itself (not the transport's) is
    /// [`Error::Middleware`](super::Error::Middleware), not retried. Requests to other servers
    /// (such as an upload's storage `PUT`s) do not go through it.
    #[cfg(feature = "middleware")]
    pub fn middleware(mut self, client: reqwest_middleware::ClientWithMiddleware) -> Self {
        self.middleware = Some(client);
        self
    }

    /// Runs `hook` on every HTTP request just before it is sent: each attempt and each redirect
    /// hop (after credentials were dropped for another origin), with its method, URL, headers
    /// (the token included: keep it out of logs) and body. For request ids, extra headers,
    /// metrics or logging, without forking; hooks run in the order they were added. A token that
    /// must be refreshed can be read here from where a refreshing task keeps it.
    pub fn before_request(mut self, hook: impl Fn(&mut reqwest::Request) + Send + Sync + 'static) -> Self {
        self.hooks.before.push(Arc::new(hook));
        self
    }

    /// Runs `hook` on every HTTP response as it arrives (each attempt and each redirect hop),
    /// before its body is read: its status, headers (not yet scrubbed of secrets a server echoes)
    /// and URL, for metrics, logging or rate-limit tracking.
    pub fn after_response(mut self, hook: impl Fn(&reqwest::Response) + Send + Sync + 'static) -> Self {
        self.hooks.after.push(Arc::new(hook));
        self
    }

    /// The retry policy of every request (each call can override it).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let trimmed = self.base_url.trim_end_matches('/');
        let mut url = match reqwest::Url::parse(trimmed) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.query().is_none() && url.fragment().is_none() => url,
            _ => return Err(BuildError::InvalidBaseUrl(redact_url(&self.base_url))),
        };
        let mut secrets = Vec::new();
        let mut headers = HeaderMap::new();
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| BuildError::InvalidHeader("user-agent".to_owned()))?;
        headers.insert(reqwest::header::USER_AGENT, user_agent);
        if let Some((name, version)) = &self.version_header {
            let value = HeaderValue::from_str(version).map_err(|_| BuildError::InvalidHeader((*name).to_owned()))?;
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::InvalidHeader((*name).to_owned()))?;
            headers.insert(name, value);
        }
        let mut credential_headers = Vec::new();
        for (name, value, public) in &self.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::InvalidHeader(name.clone()))?;
            let mut header_value = HeaderValue::from_str(value).map_err(|_| BuildError::InvalidHeader(name.clone()))?;
            if !*public {
                header_value.set_sensitive(true);
                secrets.push(value.clone().into_bytes());
                credential_headers.push(header_name.clone());
            }
            headers.append(header_name, header_value);
        }
        let token = self.token.or_else(|| {
            let name = self.token_env?;
            std::env::var(name).ok().filter(|t| !t.is_empty()).map(SecretToken)
        });
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(BuildError::Http)?
            }
        };
        // Credentials in the URL become Basic authentication (as reqwest would send them) and
        // leave the URL, so no URL the client prints or traces holds them.
        let mut basic = None;
        if !url.username().is_empty() || url.password().is_some() {
            let password = url.password().map(decode_userinfo);
            if let Some(password) = &password {
                secrets.push(password.clone().into_bytes());
            }
            let built = http.get(url.clone()).build().map_err(BuildError::Http)?;
            basic = built.headers().get(AUTHORIZATION).cloned();
            if let Some(value) = &basic {
                // `Basic <base64>`: the encoded part is as secret as the password.
                if let Some(encoded) = value.as_bytes().strip_prefix(b"Basic ") {
                    secrets.push(encoded.to_vec());
                }
            }
            let _ = url.set_username("");
            let _ = url.set_password(None);
        }
        let authorization = match &token {
            Some(token) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", token.0)).map_err(|_| BuildError::InvalidToken)?;
                value.set_sensitive(true);
                secrets.push(token.0.clone().into_bytes());
                Some(value)
            }
            None => basic.map(|mut value| {
                value.set_sensitive(true);
                value
            }),
        };
        let base_url = url.as_str().trim_end_matches('/').to_owned();
        secrets.retain(|secret| secret.len() >= MIN_SCRUBBED_SECRET);
        secrets.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        secrets.dedup();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                authorization,
                headers,
                credential_headers,
                timeout: self.timeout,
                retry: self.retry,
                max_response_size: self.max_response_size,
                hooks: self.hooks,
                #[cfg(feature = "middleware")]
                middleware: self.middleware,
                secrets: Secrets(Arc::from(secrets)),
            }),
        })
    }
}

fn decode_userinfo(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// A URL as it may be shown: any `user:password@` replaced by `***@` (also in text that does not
/// parse as a URL).
pub(crate) fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else { return url.to_owned() };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &url[..scheme_end], &rest[at..]),
        None => url.to_owned(),
    }
}

/// The client's secrets (the token, credential headers' values, the URL's password and its Basic
/// encoding), longest first: scrubbed from what responses bring back in errors and headers.
#[derive(Clone, Default)]
pub(crate) struct Secrets(Arc<[Vec<u8>]>);

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} scrubbed)", self.0.len())
    }
}

impl Secrets {
    /// The longest secret's length (an error body is read this much past its cap, so a secret
    /// across the cut is still scrubbed whole).
    pub(crate) fn longest(&self) -> usize {
        self.0.first().map_or(0, Vec::len)
    }

    /// `text` with every secret replaced by `***`; `None` if it holds none.
    pub(crate) fn scrub(&self, text: &[u8]) -> Option<Vec<u8>> {
        if self.0.is_empty() || !self.0.iter().any(|secret| contains(text, secret)) {
            return None;
        }
        let mut out = Vec::with_capacity(text.len());
        let mut i = 0;
        while i < text.len() {
            match self.0.iter().find(|secret| text[i..].starts_with(secret)) {
                Some(secret) => {
                    out.extend_from_slice(b"***");
                    i += secret.len();
                }
                None => {
                    out.push(text[i]);
                    i += 1;
                }
            }
        }
        Some(out)
    }

    /// The headers with every secret in a value scrubbed.
    pub(crate) fn scrub_headers(&self, headers: &mut HeaderMap) {
        if self.0.is_empty() {
            return;
        }
        for value in headers.values_mut() {
            if let Some(clean) = self.scrub(value.as_bytes()) {
                if let Ok(clean) = HeaderValue::from_bytes(&clean) {
                    *value = clean;
                }
            }
        }
    }
}

fn contains(text: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && text.len() >= needle.len() && text.windows(needle.len()).any(|window| window == needle)
}

/// The API client: cheap to clone (clones share one connection pool).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Without a trailing slash, and without credentials.
    pub(crate) base_url: String,
    /// `Bearer <token>` (or Basic from the base URL), marked sensitive.
    pub(crate) authorization: Option<HeaderValue>,
    /// Every default header, credentials included.
    pub(crate) headers: HeaderMap,
    /// The names of the headers set with `.header(..)`: dropped on cross-origin redirects.
    pub(crate) credential_headers: Vec<HeaderName>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_size: u64,
    pub(crate) secrets: Secrets,
    pub(crate) hooks: Hooks,
    /// Sends API requests instead of `http` when set (feature `middleware`).
    #[cfg(feature = "middleware")]
    pub(crate) middleware: Option<reqwest_middleware::ClientWithMiddleware>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &self.inner.authorization.as_ref().map(|_| "***"))
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("max_response_size", &self.inner.max_response_size)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The base URL requests go to (without any credentials it was given with).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The HTTP client requests go through (for hand-written modules, such as an upload helper's
    /// storage requests).
    #[doc(hidden)]
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The time each attempt may take, if the client sets one.
    #[doc(hidden)]
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }
}
