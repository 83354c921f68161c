//! Support code the generated models and client use. Shipped verbatim with every generated crate.
//!
//! Items marked `#[doc(hidden)]` are for generated and hand-written modules of the crate the runtime
//! is part of (request encoding, the retry loop, bounded reads); they are not the crate's API.

#![deny(missing_docs)]

#[doc(hidden)]
pub mod buffer;
mod call;
mod client;
mod error;
#[doc(hidden)]
pub mod literal;
#[cfg(feature = "mock")]
#[doc(hidden)]
pub mod mock;
mod nullable;
mod pagination;
mod request;
mod retry;
pub mod serde_struct;
#[doc(hidden)]
pub mod tagged;
pub mod untagged;

pub use call::{BodyFuture, ResponseFuture};
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
#[doc(hidden)]
pub use request::RequestOptions;
pub use http::header::HeaderMap;
pub use http::StatusCode;
pub use retry::RetryPolicy;

/// Page and item streams of paginated operations.
#[doc(hidden)]
pub use pagination::{items, pages};
/// Encoding parameters and bodies of generated operations.
#[doc(hidden)]
pub use request::{path_segment, Body, QueryStyle, Request};
/// The retry loop, for hand-written modules that send requests of their own (such as an upload
/// helper's storage `PUT`s) with a [`RetryPolicy`].
#[doc(hidden)]
pub use retry::{Attempt, Exhausted, Failure};
/// For hand-written modules that read bodies of other servers (such as an upload helper's storage
/// errors) within a bound.
#[doc(hidden)]
pub use request::read_limited;
/// For the generated `Display` of documented errors, and hand-written modules' messages.
#[doc(hidden)]
pub use error::{describe, describe_bytes};

/// What the document says about reaching the API: generated into `client.rs`, the input of
/// `ClientBuilder::new`.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Defaults {
    /// The first server of the document.
    pub base_url: &'static str,
    /// A header that carries the API version, and the version (`info.version`).
    pub version_header: Option<(&'static str, &'static str)>,
    /// The environment variable the token is read from when none is given.
    pub token_env: Option<&'static str>,
    /// `crate-name/version`.
    pub user_agent: &'static str,
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
#[allow(unused_imports)]
pub(crate) use serde_struct::serde_struct;
#[allow(unused_imports)]
pub(crate) use tagged::tagged;
#[allow(unused_imports)]
pub(crate) use untagged::untagged;
#[allow(unused_imports)]
pub(crate) use literal::literal;

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
            pub fn send(self) -> $crate::runtime::BodyFuture<$success, $error> {
                $crate::runtime::BodyFuture::new(self.send_with_metadata())
            }
        }

        impl ::core::future::IntoFuture for $builder {
            type Output = ::core::result::Result<$success, $crate::runtime::Error<$error>>;
            type IntoFuture = $crate::runtime::BodyFuture<$success, $error>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
}
// Crates without operations have no request builders.
#[allow(unused_imports)]
pub(crate) use request_builder;

/// A string enum's conversions from its values, the variant that keeps any other value named last:
/// `as_str`, `From<&str>`, `Display`, `From<String>` (an unknown value keeps the string),
/// `FromStr`, and serde's `Serialize`/`Deserialize` as the string.
/// `string_enum!(Enum { Known: "known", Other: "other", ..Unknown })`.
#[allow(unused_macros)] // a crate whose document has no such item does not use it
macro_rules! string_enum {
    ($name:ident { $($variant:ident: $value:literal,)* ..$unknown:ident $(,)? }) => {
        impl $name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$unknown(value) => value.as_str(),
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::$unknown(::std::string::String::from(other)),
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $($value => Self::$variant,)*
                    _ => Self::$unknown(value),
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize<'de>>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}
// Crates without string enums have none.
#[allow(unused_imports)]
pub(crate) use string_enum;

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

/// The path generated code reaches the runtime by (`crate::runtime::...`), for the tests of its
/// macros (in a generated crate's tests, a path to itself).
#[cfg(test)]
#[allow(clippy::module_inception, reason = "the path generated code uses")]
mod runtime {
    #[allow(unused_imports, reason = "a generated crate's tests do not use it")]
    pub(crate) use crate::*;
}

#[cfg(test)]
#[allow(unreachable_pub, reason = "the macro writes a public `as_str`, as generated types are public")]
mod tests {
    #[derive(Clone, Debug, PartialEq)]
    enum Status {
        Open,
        InReview,
        Unknown(String),
    }
    super::string_enum!(Status { Open: "open", InReview: "in_review", ..Unknown });

    #[derive(Debug, PartialEq)]
    enum Nothing {
        Unknown(String),
    }
    super::string_enum!(Nothing { ..Unknown });

    #[test]
    fn a_string_enum_reads_and_writes_its_values() {
        assert_eq!(Status::from("in_review"), Status::InReview);
        assert_eq!(Status::InReview.as_str(), "in_review");
        assert_eq!(Status::Open.to_string(), "open");
        assert_eq!("open".parse::<Status>(), Ok(Status::Open));
        assert_eq!(serde_json::from_str::<Status>(r#""open""#).unwrap(), Status::Open);
        assert_eq!(serde_json::to_string(&Status::InReview).unwrap(), r#""in_review""#);
        assert!(serde_json::from_str::<Status>("1").is_err());
    }

    #[test]
    fn a_value_not_listed_is_kept_verbatim() {
        let status = Status::from(String::from("Open"));
        assert_eq!(status, Status::Unknown(String::from("Open")));
        assert_eq!(status.as_str(), "Open");
        assert_eq!(serde_json::to_string(&status).unwrap(), r#""Open""#);
        assert_eq!(Nothing::from("x").as_str(), "x");
        assert_eq!(serde_json::from_str::<Nothing>(r#""y""#).unwrap(), Nothing::Unknown(String::from("y")));
    }
}
