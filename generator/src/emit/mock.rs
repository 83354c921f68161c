//! Operations → `mock.rs` (behind the generated crate's `mock` feature): typed fake responses for
//! a downstream crate's tests, on a wiremock server.
//!
//! The module's own items (`MockServer`, `Mocks`) have fixed names; the IR's names
//! (groups, operations' builder types, parameters) live apart from them, so no document can make
//! them collide: group accessors are methods of `Mocks` (which `MockServer` derefs to), the
//! per-group and per-operation types are in the inner module `operations`, and a path parameter
//! is pinned with `with_<name>`, a prefix none of the fixed methods has. Responses are mocked with
//! `respond_<status>` (`respond_200`, `respond_4xx`, `respond_default`): statuses are unique
//! within an operation, so these names need no claiming either.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::types::type_tokens;
use crate::ir::{Api, BodyEncoding, Operation, ParameterLocation, PathSegment, Response, Status};
use crate::naming;
use crate::Settings;

/// Every name `mock.rs` declares as an item or import: the fixed ones (`MockServer`, `Mocks`, the
/// module `operations`, the re-exported `wiremock`), each group's struct and each operation's
/// mock (named as its builder, declared by the runtime's `mock_operation!`).
pub(crate) fn declared_names(api: &Api) -> impl Iterator<Item = &str> {
    let groups = api.groups.iter().map(|group| group.type_name.as_str());
    let operations = api.operations.iter().map(|op| op.builder_type.as_str());
    ["MockServer", "Mocks", "operations", "wiremock"].into_iter().chain(groups).chain(operations)
}

pub(crate) fn mock(api: &Api, settings: &Settings) -> TokenStream {
    head(api, settings, api.operations.iter().map(operation).collect())
}

/// The file, with `operations` (each operation's [`operation`], or none) at the end of the module
/// `operations`, after the groups' types: printed in parts, the file is this without them, then
/// [`operations`] of each batch.
pub(crate) fn head(api: &Api, settings: &Settings, operations: TokenStream) -> TokenStream {
    let krate = settings.crate_name.replace('-', "_");
    let by_group = super::client::by_group(api);
    let group_accessors = api.groups.iter().map(|group| {
        let accessor = naming::ident(&group.name);
        let type_name = naming::ident(&group.type_name);
        let doc = format!(" Mocks of the `{}` operations.", group.name);
        quote! {
            #[doc = #doc]
            pub fn #accessor(&self) -> operations::#type_name<'_> {
                operations::#type_name { server: &self.server }
            }
        }
    });
    let group_types = api.groups.iter().map(|group| {
        let type_name = naming::ident(&group.type_name);
        let doc = format!(" Mocks of the `{}` operations: one method per operation, as on the client.", group.name);
        let methods = by_group.get(group.name.as_str()).into_iter().flatten().map(|op| {
            let name = naming::ident(&op.name);
            let builder = naming::ident(&op.builder_type);
            let doc = format!(" Mocks {} (the client's `{}().{}()`).", docs::code(&format!("{} {}", op.method.as_str(), op.path)), group.name, op.name);
            let method = op.method.as_str();
            let pieces = pieces_of(op);
            quote! {
                #[doc = #doc]
                pub fn #name(&self) -> #builder<'a> {
                    #builder::new(self.server, #method, &[#(#pieces),*])
                }
            }
        });
        quote! {
            #[doc = #doc]
            #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
            pub struct #type_name<'a> {
                pub(super) server: &'a ::wiremock::MockServer,
            }

            impl<'a> #type_name<'a> {
                #(#methods)*
            }
        }
    });
    let example = example(api, &krate);
    quote! {
        //! Typed fake responses for tests (feature `mock`): a local wiremock server that answers
        //! the API's operations with the bodies the document gives them, and a client pointed at it.
        //!
        //! Each operation is mocked through the same path as the call (`server.files().list()` for
        //! `client.files().list()`): it matches the operation's method and path template (a path
        //! parameter pinned with `with_<name>(value)`), and `respond_<status>` mounts the answer, its
        //! body typed as the document says (`respond_200`, `respond_404`; `respond_4xx(status, ..)`
        //! and `respond_default(status, ..)` for ranges and `default`). `respond_with` takes any
        //! `wiremock::ResponseTemplate` (an undocumented status, a broken body, a delay), and
        //! `matching` adds any wiremock matcher (a query parameter, a header, a body).
        //!
        //! When several mocks match a request, the one mounted first answers (until its `times`
        //! are used up). Expectations set with `expect` are checked when the server is dropped.
        #(#example)*

        #[doc(no_inline)]
        pub use ::wiremock;

        /// A local server standing in for the API, with a typed mock of every operation (through
        /// [`Mocks`], which it derefs to: `server.files().list()`).
        #[derive(::std::fmt::Debug)]
        pub struct MockServer {
            mocks: Mocks,
        }

        /// The typed mocks of a [`MockServer`], one accessor per group of operations, as on the
        /// client.
        #[derive(::std::fmt::Debug)]
        pub struct Mocks {
            server: ::wiremock::MockServer,
        }

        impl MockServer {
            /// Starts a server on a free local port.
            pub async fn start() -> Self {
                MockServer { mocks: Mocks { server: ::wiremock::MockServer::start().await } }
            }

            /// Its base URL, such as `http://127.0.0.1:41237`.
            pub fn uri(&self) -> ::std::string::String {
                self.mocks.server.uri()
            }

            /// A client builder pointed at the server, with the client's defaults otherwise (its
            /// retry policy and timeouts), no token and none read from the environment.
            pub fn client_builder(&self) -> crate::runtime::ClientBuilder {
                crate::runtime::Client::builder().base_url(self.uri()).no_token_from_env()
            }

            /// A client pointed at the server (see [`client_builder`](Self::client_builder)).
            pub fn client(&self) -> crate::runtime::Client {
                #[allow(clippy::expect_used)] // the server's own URL is a valid base URL
                self.client_builder().build().expect("a mock server's URL is a valid base URL")
            }

            /// The wiremock server itself: the requests it received, `verify`, mocks of your own.
            pub fn wiremock(&self) -> &::wiremock::MockServer {
                &self.mocks.server
            }

            /// The typed mocks (also reached through `Deref`: `server.files()`).
            pub fn mocks(&self) -> &Mocks {
                &self.mocks
            }
        }

        impl ::std::ops::Deref for MockServer {
            type Target = Mocks;

            fn deref(&self) -> &Mocks {
                &self.mocks
            }
        }

        impl Mocks {
            #(#group_accessors)*
        }

        /// The mocks of each group and operation, named as the client's (`operations::FilesList`
        /// mocks what `client::FilesList` sends).
        pub mod operations {
            #(#group_types)*
            #operations
        }
    }
}

/// Operations' mocks in a module named as the one they go in (`mod operations { .. }`), for
/// printing them as part of it: inside, they print as they do in the whole file.
pub(crate) fn operations(operations: &[Operation]) -> TokenStream {
    let items = operations.iter().map(operation);
    quote! {
        mod operations {
            #(#items)*
        }
    }
}

/// The path template as pieces: `Some(literal)` and `None` for each parameter.
fn pieces_of(op: &Operation) -> Vec<TokenStream> {
    op.path
        .segments
        .iter()
        .map(|segment| match segment {
            PathSegment::Literal(literal) => quote! { ::std::option::Option::Some(#literal) },
            PathSegment::Parameter { .. } => quote! { ::std::option::Option::None },
        })
        .collect()
}

/// The path parameters in template order (first use), each with the slots it fills (a template
/// may name a parameter twice: `/a/{id}/b/{id}`).
fn path_parameters(op: &Operation) -> Vec<(Vec<usize>, &crate::ir::Parameter)> {
    let by_name: std::collections::BTreeMap<&str, &crate::ir::Parameter> =
        op.parameters.iter().filter(|p| p.location == ParameterLocation::Path).rev().map(|p| (p.name.as_str(), p)).collect();
    let mut found: Vec<(Vec<usize>, &crate::ir::Parameter)> = Vec::new();
    let mut index_of: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    // A slot is a parameter's place in the template: the first, the second, ...
    let parameters = op.path.segments.iter().filter_map(|segment| match segment {
        PathSegment::Parameter { name, .. } => Some(name),
        PathSegment::Literal(_) => None,
    });
    for (slot, name) in parameters.enumerate() {
        if let Some(p) = by_name.get(name.as_str()) {
            match index_of.get(name.as_str()) {
                Some(&index) => found[index].0.push(slot),
                None => {
                    index_of.insert(name, found.len());
                    found.push((vec![slot], *p));
                }
            }
        }
    }
    found
}

/// `respond_200`, `respond_4xx`, `respond_default`.
fn respond_name(r: &Response) -> String {
    match r.status {
        Status::Range(digit) => format!("respond_{digit}xx"),
        Status::Code(code) => format!("respond_{code}"),
        Status::Default => "respond_default".to_owned(),
    }
}

fn respond_method(r: &Response, what: &str) -> TokenStream {
    let name = naming::ident(&respond_name(r));
    let status_text = match r.status {
        Status::Range(digit) => format!("a {digit}XX status"),
        Status::Code(code) => format!("{code}"),
        Status::Default => "any status the operation documents no other way (its `default` response)".to_owned(),
    };
    let description = r.description.as_deref().map(|d| format!(": {}", docs::one_line(d))).unwrap_or_default();
    let (status_argument, status) = match r.status {
        Status::Code(code) => (quote! {}, quote! { #code }),
        Status::Range(_) | Status::Default => (quote! { status: u16, }, quote! { status }),
    };
    let body_doc = if r.body.is_some() { ", with this body" } else { "" };
    let doc = format!(" Answers {status_text} ({what}{description}){body_doc}, and mounts the mock.");
    match &r.body {
        None => quote! {
            #[doc = #doc]
            pub async fn #name(self, #status_argument) {
                self.setup.empty(#status).await
            }
        },
        Some(body) => {
            let content_type = &body.content_type;
            let (argument, answer) = match body.encoding {
                BodyEncoding::Json => {
                    let ty = type_tokens(&body.ty);
                    (quote! { body: impl ::std::borrow::Borrow<#ty> }, quote! { json(#status, body.borrow(), #content_type) })
                }
                BodyEncoding::Form => {
                    let ty = type_tokens(&body.ty);
                    (quote! { body: impl ::std::borrow::Borrow<#ty> }, quote! { form(#status, body.borrow(), #content_type) })
                }
                BodyEncoding::Text => (quote! { body: &str }, quote! { bytes(#status, body.as_bytes(), #content_type) }),
                BodyEncoding::Bytes => (quote! { body: &[u8] }, quote! { bytes(#status, body, #content_type) }),
            };
            quote! {
                #[doc = #doc]
                pub async fn #name(self, #status_argument #argument) {
                    self.setup.#answer.await
                }
            }
        }
    }
}

fn operation(op: &Operation) -> TokenStream {
    let builder = naming::ident(&op.builder_type);
    let operation = docs::code(&format!("{} {}", op.method.as_str(), op.path));
    let pins: Vec<TokenStream> = path_parameters(op).into_iter().map(|(slots, p)| {
        let setter = naming::ident(&format!("with_{}", p.rust_name));
        let ty = type_tokens(&p.ty);
        let name = &p.name;
        let doc = format!(" Matches only requests whose {} path parameter is `value` (as the client encodes it).", docs::code(name));
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                let value: #ty = value.into();
                #( self.setup.pin(#slots, #name, &value); )*
                self
            }
        }
    }).collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut responds = Vec::new();
    for r in &op.success {
        if seen.insert(respond_name(r)) {
            responds.push(respond_method(r, "a success"));
        }
    }
    for r in &op.errors {
        if seen.insert(respond_name(r)) {
            responds.push(respond_method(r, &format!("`{}::{}`", op.error_type, r.rust_name)));
        }
    }
    let own = if pins.is_empty() && responds.is_empty() {
        quote! {}
    } else {
        quote! {
            impl #builder<'_> {
                #(#pins)*
                #(#responds)*
            }
        }
    };
    quote! {
        crate::runtime::mock::mock_operation!(#builder, #operation);
        #own
    }
}

/// The module's example: start, mock the first operation, call it.
fn example(api: &Api, krate: &str) -> Vec<TokenStream> {
    let mut lines = vec![
        String::new(),
        "```no_run".to_owned(),
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
        format!("use {krate}::mock::{{wiremock::ResponseTemplate, MockServer}};"),
        String::new(),
        "let server = MockServer::start().await;".to_owned(),
    ];
    if let Some(op) = api.operations.first() {
        let (group, name) = (naming::ident(&op.group), naming::ident(&op.name));
        lines.push(format!("server.{group}().{name}().times(1).respond_with(ResponseTemplate::new(503)).await;"));
    }
    lines.push("let client = server.client();".to_owned());
    lines.push("# let _ = client;".to_owned());
    lines.extend(["# Ok(())".to_owned(), "# }".to_owned(), "```".to_owned()]);
    lines.into_iter().map(|line| {
        let line = if line.is_empty() { line } else { format!(" {line}") };
        quote! { #![doc = #line] }
    }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_named_twice_in_a_template_is_one_setter_pinning_both_slots() {
        let source = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a/{id}/b/{other}/c/{id}:\n    get:\n      operationId: twice\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: other, in: path, required: true, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n";
        let output = crate::generate(source, &Settings::standalone("t", "t.yaml")).unwrap();
        let mock = &output.files.iter().find(|f| f.path == "src/mock.rs").unwrap().contents;
        assert_eq!(mock.matches("pub fn with_id(").count(), 1, "{mock}");
        assert_eq!(mock.matches("pub fn with_other(").count(), 1, "{mock}");
        let compact: String = mock.split_whitespace().collect();
        assert!(compact.contains(r#"self.setup.pin(0usize,"id",&value);self.setup.pin(2usize,"id",&value);"#), "{mock}");
        assert!(compact.contains(r#"self.setup.pin(1usize,"other",&value);"#), "{mock}");
    }
}
