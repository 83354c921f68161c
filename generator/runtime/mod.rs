//! Support code the generated models and client use. Shipped verbatim with every generated crate.

mod nullable;

pub use nullable::Nullable;
