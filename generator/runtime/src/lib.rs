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

/// A builder method of a generated struct, one line per field: `setter!(name, Type)` is
/// `pub fn name(mut self, value: impl Into<Type>) -> Self`, setting the field `name`;
/// `setter!(with_clone = clone, Type)` names the method apart from its field (a name a trait's
/// method has); attributes (`#[deprecated]`) go first. `optional_setter!` sets `Some(value)`.
#[allow(unused_macros)] // a crate whose document has no such item does not use it
macro_rules! setter {
    ($(#[$attr:meta])* $method:ident = $field:ident, $ty:ty) => {
        #[doc = concat!("Sets the `", stringify!($field), "` field.")]
        $(#[$attr])*
        pub fn $method(mut self, value: impl ::core::convert::Into<$ty>) -> Self {
            self.$field = value.into();
            self
        }
    };
    ($(#[$attr:meta])* $field:ident, $ty:ty) => {
        #[doc = concat!("Sets the `", stringify!($field), "` field.")]
        $(#[$attr])*
        pub fn $field(mut self, value: impl ::core::convert::Into<$ty>) -> Self {
            self.$field = value.into();
            self
        }
    };
}

/// `setter!` of an optional field: the method takes the value and sets `Some(value)`.
#[allow(unused_macros)] // a crate whose document has no such item does not use it
macro_rules! optional_setter {
    ($(#[$attr:meta])* $method:ident = $field:ident, $ty:ty) => {
        #[doc = concat!("Sets the `", stringify!($field), "` field.")]
        $(#[$attr])*
        pub fn $method(mut self, value: impl ::core::convert::Into<$ty>) -> Self {
            self.$field = ::core::option::Option::Some(value.into());
            self
        }
    };
    ($(#[$attr:meta])* $field:ident, $ty:ty) => {
        #[doc = concat!("Sets the `", stringify!($field), "` field.")]
        $(#[$attr])*
        pub fn $field(mut self, value: impl ::core::convert::Into<$ty>) -> Self {
            self.$field = ::core::option::Option::Some(value.into());
            self
        }
    };
}
// Crates without structs have no setters.
#[allow(unused_imports)]
pub(crate) use {optional_setter, setter};

/// What every request builder has besides its parameters and its `send_with_metadata`: the
/// per-call settings (`timeout`, `retry`, `max_response_size`, on its `options` field), `send`,
/// and `IntoFuture` (so `.await` sends). `request_builder!(Builder, BuilderError, Success)`.
#[allow(unused_macros)] // a crate whose document has no such item does not use it
macro_rules! request_builder {
    ($builder:ident, $error:ident, $success:ty) => {
        impl $builder {
            /// How long each attempt of this call may take (overrides the client's timeout).
            pub fn timeout(mut self, timeout: ::core::time::Duration) -> Self {
                self.options = self.options.timeout(timeout);
                self
            }

            /// The retry policy of this call (overrides the client's).
            pub fn retry(mut self, policy: $crate::runtime::RetryPolicy) -> Self {
                self.options = self.options.retry(policy);
                self
            }

            /// The largest success body this call reads, in bytes (overrides the client's
            /// `max_response_size`, 64 MiB by default); past it the call fails with
            /// `Error::ResponseTooLarge`.
            pub fn max_response_size(mut self, bytes: u64) -> Self {
                self.options = self.options.max_response_size(bytes);
                self
            }

            /// Sends the request and decodes the response.
            pub async fn send(self) -> ::core::result::Result<$success, $crate::runtime::Error<$error>> {
                self.send_with_metadata().await.map(|response| response.body)
            }
        }

        impl ::core::future::IntoFuture for $builder {
            type Output = ::core::result::Result<$success, $crate::runtime::Error<$error>>;
            type IntoFuture = ::core::pin::Pin<
                ::std::boxed::Box<dyn ::core::future::Future<Output = Self::Output> + ::core::marker::Send>,
            >;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}
// Crates without operations have no request builders.
#[allow(unused_imports)]
pub(crate) use request_builder;

/// `From<Type>` for a union whose variant `Variant` holds a `Type`:
/// `from_variant!(Union, Variant, Type)`.
#[allow(unused_macros)] // a crate whose document has no such item does not use it
macro_rules! from_variant {
    ($union:ident, $variant:ident, $ty:ty) => {
        impl ::core::convert::From<$ty> for $union {
            fn from(value: $ty) -> Self {
                Self::$variant(value)
            }
        }
    };
}
// Crates without unions have none.
#[allow(unused_imports)]
pub(crate) use from_variant;
