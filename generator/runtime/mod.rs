//! Support code the generated models and client use. Shipped verbatim with every generated crate.

mod client;
mod error;
mod nullable;
mod pagination;
mod request;
mod retry;
pub mod untagged;

pub use client::{
    AfterResponse, BeforeRequest, BuildError, Client, ClientBuilder, SecretToken, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT, MIN_SCRUBBED_SECRET,
};
pub use error::{DocumentedError, Error, OperationError, MAX_ERROR_BODY};
pub use futures_util::stream::{Stream, StreamExt, TryStreamExt};
pub use nullable::Nullable;
pub use pagination::{Items, Pages};
pub use request::Response;
/// Per-call settings, set through each request builder's `.timeout(..)`, `.retry(..)` and
/// `.max_response_size(..)` (a crate without operations has none).
#[allow(unused_imports)]
pub(crate) use request::RequestOptions;
pub use http::header::HeaderMap;
pub use http::StatusCode;
pub use retry::RetryPolicy;

// Which of these a crate uses depends on its document (a crate without paginated operations
// never pages), so unused ones are not a warning.
#[allow(unused_imports)]
pub(crate) use pagination::{items, pages};
#[allow(unused_imports)]
pub(crate) use request::{path_segment, Body, QueryStyle, Request};
/// The retry loop, for hand-written modules that send requests of their own (such as an upload
/// helper's storage `PUT`s) with a [`RetryPolicy`].
#[allow(unused_imports)]
pub(crate) use retry::{Attempt, Exhausted, Failure};
/// For hand-written modules that read bodies of other servers (such as an upload helper's storage
/// errors) within a bound.
#[allow(unused_imports)]
pub(crate) use request::read_limited;
/// For the generated `Display` of documented errors, and hand-written modules' messages.
#[allow(unused_imports)]
pub(crate) use error::{describe, describe_bytes};

/// What the document says about reaching the API: generated into `client.rs`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Defaults {
    /// The first server of the document.
    pub(crate) base_url: &'static str,
    /// A header that carries the API version, and the version (`info.version`).
    pub(crate) version_header: Option<(&'static str, &'static str)>,
    /// The environment variable the token is read from when none is given.
    pub(crate) token_env: Option<&'static str>,
    /// `crate-name/version`.
    pub(crate) user_agent: &'static str,
}

/// Reads the properties a variant struct of a tagged union does not list (its flattened
/// `additionalProperties` map) without the union's tag, which serde hands to a flattened map too:
/// kept, it would be written twice. Used through a `deserialize_with` the generator writes.
#[allow(dead_code)] // only crates with such a struct use it
pub(crate) fn properties_without_tag<'de, D, T>(
    deserializer: D,
    tag: &str,
) -> Result<std::collections::BTreeMap<String, T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::de::Error as _;
    use serde::Deserialize as _;
    let mut properties = std::collections::BTreeMap::<String, serde_json::Value>::deserialize(deserializer)?;
    properties.remove(tag);
    properties.into_iter().map(|(name, value)| serde_json::from_value(value).map(|value| (name, value)).map_err(D::Error::custom)).collect()
}
