//! The client and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::retry::RetryPolicy;

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

/// Builds a [`Client`]. Start with [`Client::builder`].
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    base_url: String,
    token: Option<SecretToken>,
    token_env: Option<&'static str>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    user_agent: String,
    headers: Vec<(String, String)>,
    version_header: Option<(&'static str, String)>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
}

impl ClientBuilder {
    pub(crate) fn new(defaults: super::Defaults) -> Self {
        ClientBuilder {
            base_url: defaults.base_url.to_owned(),
            token: None,
            token_env: defaults.token_env,
            connect_timeout: Some(Duration::from_secs(10)),
            timeout: Some(Duration::from_secs(60)),
            user_agent: defaults.user_agent.to_owned(),
            headers: Vec::new(),
            version_header: defaults.version_header.map(|(name, version)| (name, version.to_owned())),
            http: None,
            retry: RetryPolicy::default(),
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

    /// The API's base URL, such as `https://sandbox-api.polar.sh` or a local mock server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// How long connecting may take (default 10 s). Ignored with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long one attempt of a request may take, response body included (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// A header sent with every request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The API version sent in the version header (default: the document's version).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        if let Some((_, current)) = &mut self.version_header {
            *current = version.into();
        }
        self
    }

    /// Use this HTTP client (its own timeouts, proxies and TLS settings apply).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The retry policy of every request (each call can override it).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.query().is_none() => {}
            _ => return Err(BuildError::InvalidBaseUrl(self.base_url)),
        }
        let mut headers = HeaderMap::new();
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| BuildError::InvalidHeader("user-agent".to_owned()))?;
        headers.insert(reqwest::header::USER_AGENT, user_agent);
        if let Some((name, version)) = &self.version_header {
            let value = HeaderValue::from_str(version).map_err(|_| BuildError::InvalidHeader((*name).to_owned()))?;
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::InvalidHeader((*name).to_owned()))?;
            headers.insert(name, value);
        }
        for (name, value) in &self.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::InvalidHeader(name.clone()))?;
            let header_value = HeaderValue::from_str(value).map_err(|_| BuildError::InvalidHeader(name.clone()))?;
            headers.append(header_name, header_value);
        }
        let token = self.token.or_else(|| {
            let name = self.token_env?;
            std::env::var(name).ok().filter(|t| !t.is_empty()).map(SecretToken)
        });
        let authorization = match &token {
            Some(token) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", token.0)).map_err(|_| BuildError::InvalidToken)?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder();
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(BuildError::Http)?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner { http, base_url, authorization, headers, timeout: self.timeout, retry: self.retry }),
        })
    }
}

/// The API client: cheap to clone (clones share one connection pool).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Without a trailing slash.
    pub(crate) base_url: String,
    /// `Bearer <token>`, marked sensitive.
    pub(crate) authorization: Option<HeaderValue>,
    pub(crate) headers: HeaderMap,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &self.inner.authorization.as_ref().map(|_| "***"))
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with the document's defaults: its first server, its API version, and the token
    /// from the environment.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new(crate::client::DEFAULTS)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}
