//! Operations → `client.rs`: servers, defaults, one struct per group, one request builder and one
//! error enum per operation.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use super::types::type_tokens;
use crate::ir::{Api, BodyEncoding, Method, Operation, Parameter, ParameterLocation, PathSegment, QueryStyle, Response, Status, TypeRef};
use crate::naming;
use crate::Settings;

pub(crate) fn client(api: &Api, settings: &Settings) -> TokenStream {
    let head = head(api, settings);
    let by_group = by_group(api);
    let groups = api.groups.iter().map(|group| group_items(group, by_group.get(group.name.as_str()).map_or(&[][..], Vec::as_slice), settings));
    let operations = api.operations.iter().map(operation);
    quote! {
        #head
        #(#groups)*
        #(#operations)*
    }
}

/// What `client.rs` says before its groups and operations (the file is this, each group's
/// [`group_items`], then each operation's [`operation`]).
pub(crate) fn head(api: &Api, settings: &Settings) -> TokenStream {
    let servers = servers(api);
    let defaults = defaults(api, settings);
    let builder_docs = docs::attrs(&builder_doc_lines(api, settings));
    quote! {
        //! The API's operations, grouped as the document groups them, and the servers it lists.
        #servers
        #defaults
        impl crate::runtime::Client {
            #builder_docs
            pub fn builder() -> crate::runtime::ClientBuilder {
                crate::runtime::ClientBuilder::new(DEFAULTS)
            }
        }
    }
}

/// Every name `client.rs` declares as an item: `Server`, `DEFAULTS`, each group's struct and each
/// operation's builder, error enum and success enum (when it has one). Paths are shortened with
/// these before any part is printed.
pub(crate) fn declared_names(api: &Api) -> impl Iterator<Item = &str> {
    let groups = api.groups.iter().map(|group| group.type_name.as_str());
    let operations = api.operations.iter().flat_map(|op| {
        let response = op.response_type.as_deref();
        [op.builder_type.as_str(), op.error_type.as_str()].into_iter().chain(response)
    });
    ["Server", "DEFAULTS"].into_iter().chain(groups).chain(operations)
}

/// Each group's operations, in order (one pass, not one scan of every operation per group).
pub(crate) fn by_group(api: &Api) -> std::collections::BTreeMap<&str, Vec<&Operation>> {
    let mut by_group: std::collections::BTreeMap<&str, Vec<&Operation>> = std::collections::BTreeMap::new();
    for op in &api.operations {
        by_group.entry(op.group.as_str()).or_default().push(op);
    }
    by_group
}

/// A group's accessor on the client, its struct, and its methods (`operations` are the group's).
pub(crate) fn group_items(group: &crate::ir::Group, operations: &[&Operation], settings: &Settings) -> TokenStream {
    let accessor = naming::ident(&group.name);
    let type_name = naming::ident(&group.type_name);
    let mut lines = vec![format!("The `{}` operations.", group.name)];
    if let Some(description) = &group.description {
        lines.push(String::new());
        lines.extend(docs::text(description));
    }
    let type_docs = docs::attrs(&lines);
    let accessor_doc = format!(" The `{}` operations.", group.name);
    let methods = operations.iter().map(|op| group_method(op, settings));
    quote! {
        impl crate::runtime::Client {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #type_name {
                #type_name { client: self.clone() }
            }
        }

        #type_docs
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #type_name {
            pub(crate) client: crate::runtime::Client,
        }

        impl #type_name {
            #(#methods)*
        }
    }
}

fn servers(api: &Api) -> TokenStream {
    if api.servers.is_empty() {
        return quote! {
            /// The document lists no servers: set one with [the builder's `base_url`](crate::runtime::ClientBuilder::base_url).
            #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq)]
            pub enum Server {}

            impl Server {
                /// The server's base URL.
                pub fn url(self) -> &'static str {
                    match self {}
                }
            }
        };
    }
    let variants: Vec<Ident> = api.servers.iter().map(|s| naming::ident(&s.name)).collect();
    let urls: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    let variant_docs: Vec<String> = api
        .servers
        .iter()
        .map(|s| match &s.description {
            Some(description) => format!(" {}: {}", docs::one_line(description), docs::url(&s.url)),
            None => format!(" {}", docs::url(&s.url)),
        })
        .collect();
    let defaults: Vec<TokenStream> =
        (0..variants.len()).map(|i| if i == 0 { quote! { #[default] } } else { quote! {} }).collect();
    quote! {
        /// The servers the document lists. The first one is the default.
        #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug, ::std::default::Default, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        pub enum Server {
            #( #[doc = #variant_docs] #defaults #variants, )*
        }

        impl Server {
            /// The server's base URL.
            pub fn url(self) -> &'static str {
                match self {
                    #( Self::#variants => #urls, )*
                }
            }
        }

        impl crate::runtime::ClientBuilder {
            /// Sends requests to one of the document's servers.
            pub fn server(self, server: Server) -> Self {
                self.base_url(server.url())
            }
        }
    }
}

/// `Client::builder`'s docs: the defaults this document and these settings give it.
fn builder_doc_lines(api: &Api, settings: &Settings) -> Vec<String> {
    let mut lines = vec!["A builder with the document's defaults:".to_owned(), String::new()];
    lines.push(match api.servers.first() {
        Some(server) => format!("- the base URL of its first server, {}", docs::url(&server.url)),
        None => "- the base URL `http://localhost` (the document lists no servers: set one with `base_url`)".to_owned(),
    });
    if let Some(header) = &settings.version_header {
        lines.push(format!("- the header {} (the document's version)", docs::code(&format!("{header}: {}", api.version))));
    }
    if let Some(name) = &settings.token_env {
        lines.push(format!("- the token in the environment variable {}, when it is set", docs::code(name)));
    }
    lines
}

fn defaults(api: &Api, settings: &Settings) -> TokenStream {
    let base_url = api.servers.first().map(|s| s.url.clone()).unwrap_or_else(|| "http://localhost".to_owned());
    let version_header = match &settings.version_header {
        Some(header) => {
            let version = &api.version;
            quote! { ::std::option::Option::Some((#header, #version)) }
        }
        None => quote! { ::std::option::Option::None },
    };
    let token_env = match &settings.token_env {
        Some(name) => quote! { ::std::option::Option::Some(#name) },
        None => quote! { ::std::option::Option::None },
    };
    quote! {
        /// What the document says about reaching the API.
        pub(crate) const DEFAULTS: crate::runtime::Defaults = crate::runtime::Defaults {
            base_url: #base_url,
            version_header: #version_header,
            token_env: #token_env,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
        };
    }
}

fn required_arguments(op: &Operation) -> Vec<&Parameter> {
    op.parameters.iter().filter(|p| p.required).collect()
}

fn operation_doc_lines(op: &Operation, settings: &Settings) -> Vec<String> {
    let mut paragraphs = Vec::new();
    if let Some(summary) = &op.summary {
        paragraphs.push(docs::text(summary));
    }
    if let Some(description) = &op.description {
        paragraphs.push(docs::text(description));
    }
    if paragraphs.iter().all(Vec::is_empty) {
        paragraphs.push(vec![format!("The {} operation.", docs::code(&op.id))]);
    }
    let mut facts = vec![docs::code(&format!("{} {}", op.method.as_str(), op.path))];
    if !op.scopes.is_empty() {
        facts.push(format!("Scopes: {}", op.scopes.iter().map(|s| docs::code(s)).collect::<Vec<_>>().join(", ")));
    }
    if !op.authenticated {
        facts.push("Sent without the access token".to_owned());
    }
    paragraphs.push(facts.into_iter().map(|f| format!("- {f}")).collect());
    // What the document says of each argument (required parameters and a required body).
    let described = |name: &str, description: Option<&String>| {
        let text = docs::one_line(description?);
        (!text.is_empty()).then(|| format!("- {}: {text}", docs::code(name)))
    };
    let mut arguments: Vec<String> = required_arguments(op).into_iter().filter_map(|p| described(&p.rust_name, p.docs.description.as_ref())).collect();
    arguments.extend(op.body.as_ref().filter(|b| b.required).and_then(|b| described("body", b.docs.description.as_ref())));
    if !arguments.is_empty() {
        paragraphs.push(vec!["# Arguments".to_owned()]);
        paragraphs.push(arguments);
    }
    let errors: Vec<String> = op
        .errors
        .iter()
        .map(|r| {
            let status = r.status;
            let description = r.description.as_deref().map(|d| format!(": {}", docs::one_line(d))).unwrap_or_default();
            format!("- {status} → [`{}::{}`]{description}", op.error_type, r.rust_name)
        })
        .collect();
    if !errors.is_empty() {
        paragraphs.push(vec!["# Errors".to_owned(), String::new(), "The documented errors come back as `Error::Api`:".to_owned()]);
        paragraphs.push(errors);
    }
    paragraphs.push(example(op, settings));
    docs::join(paragraphs)
}

fn example(op: &Operation, settings: &Settings) -> Vec<String> {
    let krate = settings.crate_name.replace('-', "_");
    // The example's bindings: `client`, the arguments under their Rust names (`r#type` for a
    // keyword), and `body` (resolve keeps `client` and `body` out of the parameters' names).
    let mut arguments: Vec<(String, String)> =
        required_arguments(op).into_iter().map(|p| (naming::ident(&p.rust_name).to_string(), example_type(&p.ty, &krate))).collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        arguments.push(("body".to_owned(), example_type(&body.ty, &krate)));
    }
    let mut parameters = vec![format!("client: {krate}::Client")];
    parameters.extend(arguments.iter().map(|(name, ty)| format!("{name}: {ty}")));
    let names: Vec<&str> = arguments.iter().map(|(name, _)| name.as_str()).collect();
    let call = format!("client.{}().{}({})", naming::ident(&op.group), naming::ident(&op.name), names.join(", "));
    let mut lines = vec![
        "# Example".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        format!("# async fn example({}) -> Result<(), Box<dyn std::error::Error>> {{", parameters.join(", ")),
        format!("let response = {call}.send().await?;"),
        "# let _ = response;".to_owned(),
    ];
    if op.pagination.is_some() {
        lines.push(String::new());
        lines.push("// Or every item, across all pages:".to_owned());
        lines.push(format!("use {krate}::runtime::TryStreamExt;"));
        lines.push(format!("let mut items = {call}.items();"));
        lines.push("while let Some(item) = items.try_next().await? {".to_owned());
        lines.push("    # let _ = item;".to_owned());
        lines.push("}".to_owned());
    }
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    lines.push("```".to_owned());
    lines
}

/// The crate root's quick start: build a client, make the first call that needs no argument.
pub(crate) fn quick_start(api: &Api, settings: &Settings) -> Vec<String> {
    let krate = settings.crate_name.replace('-', "_");
    let token_hint = match &settings.token_env {
        Some(name) => format!(" // without it, the token comes from `{name}`"),
        None => String::new(),
    };
    let mut lines = vec![
        "# Quick start".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        "# async fn quick_start() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
        format!("let client = {krate}::Client::builder()"),
        format!("    .token(\"<access token>\"){token_hint}"),
    ];
    if let Some(server) = api.servers.get(1) {
        lines.push(format!("    .server({krate}::Server::{})", naming::ident(&server.name)));
    }
    lines.push("    .build()?;".to_owned());
    let call = api.operations.iter().find(|op| required_arguments(op).is_empty() && !op.body.as_ref().is_some_and(|b| b.required));
    if let Some(op) = call {
        lines.push(format!("let response = client.{}().{}().send().await?;", naming::ident(&op.group), naming::ident(&op.name)));
        lines.push("# let _ = response;".to_owned());
    } else {
        lines.push("# let _ = client;".to_owned());
    }
    lines.extend(["# Ok(())".to_owned(), "# }".to_owned(), "```".to_owned()]);
    lines
}

/// A type as a user's code names it: the crate's items and the crates it re-exports
/// (`polar_files::uuid::Uuid`) through the crate.
fn example_type(ty: &TypeRef, krate: &str) -> String {
    let mut text = type_tokens(ty).to_string().replace(' ', "").replace("crate::", &format!("{krate}::"));
    for reexported in super::crate_files::REEXPORTED_CRATES {
        text = text.replace(&format!("::{reexported}::"), &format!("{krate}::{reexported}::"));
    }
    text
}

fn group_method(op: &Operation, settings: &Settings) -> TokenStream {
    let name = naming::ident(&op.name);
    let builder = naming::ident(&op.builder_type);
    let doc_attrs = docs::attrs(&operation_doc_lines(op, settings));
    let deprecated = if op.deprecated { quote! { #[deprecated] } } else { quote! {} };
    let mut arguments = Vec::new();
    let mut assignments = Vec::new();
    for p in required_arguments(op) {
        let ident = naming::ident(&p.rust_name);
        let ty = type_tokens(&p.ty);
        arguments.push(quote! { #ident: impl ::std::convert::Into<#ty> });
        assignments.push(quote! { #ident: #ident.into(), });
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let ty = type_tokens(&body.ty);
        arguments.push(quote! { body: impl ::std::convert::Into<#ty> });
        assignments.push(quote! { body: body.into(), });
    }
    let optional = op.parameters.iter().filter(|p| !p.required).map(|p| {
        let ident = naming::ident(&p.rust_name);
        quote! { #ident: ::std::option::Option::None, }
    });
    let optional_body = op.body.as_ref().filter(|b| !b.required).map(|_| quote! { body: ::std::option::Option::None, });
    // Every required input is an argument, by design; an API may require many.
    let many = if arguments.len() > 6 { quote! { #[allow(clippy::too_many_arguments)] } } else { quote! {} };
    quote! {
        #doc_attrs
        #deprecated
        #many
        pub fn #name(&self, #(#arguments),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#assignments)*
                #(#optional)*
                #optional_body
                options: ::std::default::Default::default(),
            }
        }
    }
}

/// The type a call returns on success: the successes' enum when resolve named one (their bodies
/// differ), else their one body type, or `()`.
fn success_type(op: &Operation) -> (TokenStream, Option<TokenStream>) {
    let Some(name) = &op.response_type else {
        return match op.success.iter().find_map(|r| r.body.as_ref()) {
            Some(body) => (type_tokens(&body.ty), None),
            None => (quote! { () }, None),
        };
    };
    let name = naming::ident(name);
    let variants = op.success.iter().map(|r| {
        let variant = naming::ident(&r.rust_name);
        let doc = response_doc(r);
        match &r.body {
            Some(body) => {
                let ty = type_tokens(&body.ty);
                quote! { #[doc = #doc] #variant(#ty), }
            }
            None => quote! { #[doc = #doc] #variant, },
        }
    });
    let doc = format!(" The successful responses of [`{}`].", op.builder_type);
    let def = quote! {
        #[doc = #doc]
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    };
    (quote! { #name }, Some(def))
}

fn response_doc(r: &Response) -> String {
    let status = match r.status {
        Status::Default => "Any other status".to_owned(),
        status => status.to_string(),
    };
    match &r.description {
        Some(description) => format!(" {status}: {}", docs::one_line(description)),
        None => format!(" {status}."),
    }
}

/// An operation's request builder, error enum (and success enum, pagination).
pub(crate) fn operation(op: &Operation) -> TokenStream {
    let builder = naming::ident(&op.builder_type);
    let error = naming::ident(&op.error_type);
    let (success, success_def) = success_type(op);

    // Fields: required arguments as they are, optional ones as Option.
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.parameters {
        let ident = naming::ident(&p.rust_name);
        let ty = type_tokens(&p.ty);
        if p.required {
            fields.push(quote! { #ident: #ty, });
        } else {
            fields.push(quote! { #ident: ::std::option::Option<#ty>, });
            let shown = docs::code(&p.name);
            let mut lines = docs::lines(&p.docs, &format!("The {shown} {} parameter.", location_word(p.location)));
            if !lines.iter().any(|l| l.contains(&shown)) {
                lines.insert(0, format!("{shown} ({} parameter)", location_word(p.location)));
                lines.insert(1, String::new());
            }
            let doc_attrs = docs::attrs(&lines);
            let deprecated = if p.deprecated { quote! { #[deprecated] } } else { quote! {} };
            setters.push(quote! {
                #doc_attrs
                #deprecated
                pub fn #ident(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.#ident = ::std::option::Option::Some(value.into());
                    self
                }
            });
        }
    }
    if let Some(body) = &op.body {
        let ty = type_tokens(&body.ty);
        if body.required {
            fields.push(quote! { body: #ty, });
        } else {
            fields.push(quote! { body: ::std::option::Option<#ty>, });
            let doc_attrs = docs::attrs(&docs::lines(&body.docs, "The request body."));
            setters.push(quote! {
                #doc_attrs
                pub fn body(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.body = ::std::option::Option::Some(value.into());
                    self
                }
            });
        }
    }

    let request = build_request(op);
    let decode = decode_response(op);
    // A call with only a bodiless `default` response decodes to `Ok(())` whatever comes back.
    let response = if mentions(&decode, "response") { quote! { response } } else { quote! { _ } };
    let pagination = pagination(op, &success, &error);
    let overlapping = if statuses_overlap(op) {
        quote! { #[allow(clippy::match_overlapping_arm, reason = "a status the document lists is matched before its range")] }
    } else {
        quote! {}
    };
    let error_enum = error_enum(op);
    let builder_doc = format!(
        " A {} request: set optional parameters, then `.send().await` (or just `.await`).",
        docs::code(&format!("{} {}", op.method.as_str(), op.path))
    );
    quote! {
        #[doc = #builder_doc]
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder {
            client: crate::runtime::Client,
            #(#fields)*
            options: crate::runtime::RequestOptions,
        }

        impl #builder {
            #(#setters)*

            fn request(&self) -> ::std::result::Result<crate::runtime::Request, crate::runtime::Error<#error>> {
                #request
            }

            /// Sends the request and decodes the response, keeping its status and headers.
            #overlapping
            pub fn send_with_metadata(self) -> crate::runtime::ResponseFuture<#success, #error> {
                crate::runtime::ResponseFuture::new(&self.client, self.request(), &self.options, |#response| #decode)
            }

            #pagination
        }

        // `timeout`, `retry`, `max_response_size`, `send` and `IntoFuture`.
        crate::runtime::request_builder!(#builder, #error, #success);

        #success_def
        #error_enum
    }
}

fn location_word(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

fn method_tokens(method: Method) -> TokenStream {
    let ident = format_ident!("{}", method.as_str());
    quote! { ::reqwest::Method::#ident }
}

fn build_request(op: &Operation) -> TokenStream {
    // The path, from literal pieces and encoded parameters.
    let pieces = op.path.segments.iter().map(|segment| match segment {
        PathSegment::Literal(text) => push_literal(text),
        PathSegment::Parameter { name, rust_name } => {
            let ident = naming::ident(rust_name);
            quote! { path.push_str(&crate::runtime::path_segment(#name, &self.#ident)?); }
        }
    });
    let method = method_tokens(op.method);
    let template = &op.path.text;
    let parameters = op.parameters.iter().filter(|p| p.location != ParameterLocation::Path).map(|p| {
        let ident = naming::ident(&p.rust_name);
        let name = &p.name;
        let explode = p.explode;
        let style = match p.style {
            QueryStyle::Form => quote! { Form },
            QueryStyle::SpaceDelimited => quote! { SpaceDelimited },
            QueryStyle::PipeDelimited => quote! { PipeDelimited },
            QueryStyle::DeepObject => quote! { DeepObject },
        };
        match p.location {
            ParameterLocation::Query if p.style == QueryStyle::Form => quote! { request.query.push(#name, &self.#ident, #explode)?; },
            ParameterLocation::Query => quote! {
                request.query.push_styled(#name, &self.#ident, crate::runtime::QueryStyle::#style, #explode)?;
            },
            ParameterLocation::Header => quote! { request.header(#name, &self.#ident)?; },
            ParameterLocation::Cookie => quote! { request.cookie(#name, &self.#ident)?; },
            ParameterLocation::Path => quote! {},
        }
    });
    let body = op.body.as_ref().map(|body| {
        let content_type = &body.content_type;
        let encode = match body.encoding {
            BodyEncoding::Json => quote! { crate::runtime::Body::json(value, #content_type)? },
            BodyEncoding::Form => quote! { crate::runtime::Body::form(value, #content_type)? },
            BodyEncoding::Text => quote! { crate::runtime::Body::text(value, #content_type)? },
            BodyEncoding::Bytes => quote! { crate::runtime::Body::bytes(value, #content_type)? },
        };
        if body.required {
            quote! {
                let value = &self.body;
                request.body = ::std::option::Option::Some(#encode);
            }
        } else {
            quote! {
                if let ::std::option::Option::Some(value) = &self.body {
                    request.body = ::std::option::Option::Some(#encode);
                }
            }
        }
    });
    let authenticated = op.authenticated;
    let path_init = if op.path.has_parameters() {
        quote! {
            let mut path = ::std::string::String::new();
            #(#pieces)*
        }
    } else {
        quote! { let path = ::std::string::String::from(#template); }
    };
    let needs_mut = op.parameters.iter().any(|p| p.location != ParameterLocation::Path) || op.body.is_some() || !authenticated;
    let request_mut = if needs_mut { quote! { mut } } else { quote! {} };
    let authenticated_set = if authenticated { quote! {} } else { quote! { request.authenticated = false; } };
    quote! {
        #path_init
        let #request_mut request = crate::runtime::Request::new(#method, #template, path);
        #(#parameters)*
        #body
        #authenticated_set
        ::std::result::Result::Ok(request)
    }
}

/// Appends a literal piece of a path (`push` for one character, as clippy prefers).
fn push_literal(literal: &str) -> TokenStream {
    let mut chars = literal.chars();
    match (chars.next(), chars.next()) {
        (None, _) => quote! {},
        (Some(c), None) => quote! { path.push(#c); },
        _ => quote! { path.push_str(#literal); },
    }
}

/// Whether `tokens` contain the identifier `name`.
fn mentions(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|token| match token {
        proc_macro2::TokenTree::Ident(ident) => ident == name,
        proc_macro2::TokenTree::Group(group) => mentions(&group.stream(), name),
        _ => false,
    })
}

/// A status as written by hand (`201`, not `201u16`).
fn unsuffixed(code: u16) -> proc_macro2::Literal {
    proc_macro2::Literal::u16_unsuffixed(code)
}

fn decode_response(op: &Operation) -> TokenStream {
    let error = naming::ident(&op.error_type);
    let response_type = op.response_type.as_deref().map(naming::ident);
    let mut arms = Vec::new();
    let mut range_arms = Vec::new();
    let mut fallback = quote! { ::std::result::Result::Err(response.unexpected()) };
    for r in &op.success {
        let value = match &r.body {
            Some(body) => match body.encoding {
                BodyEncoding::Json => quote! { response.json() },
                BodyEncoding::Form => quote! { response.form() },
                BodyEncoding::Text => quote! { response.text() },
                BodyEncoding::Bytes => quote! { response.bytes() },
            },
            None => quote! { ::std::result::Result::Ok(()) },
        };
        let value = match &response_type {
            Some(response_type) => {
                let variant = naming::ident(&r.rust_name);
                match &r.body {
                    Some(_) => quote! { #value.map(#response_type::#variant) },
                    None => quote! { ::std::result::Result::Ok(#response_type::#variant) },
                }
            }
            None => value,
        };
        match r.status {
            Status::Code(code) => {
                let code = unsuffixed(code);
                arms.push(quote! { #code => #value, })
            }
            Status::Range(_) => range_arms.push(range_arm(r.status, &value)),
            Status::Default => fallback = quote! { #value },
        }
    }
    if op.success.is_empty() {
        // Nothing documented: any 2xx is success.
        range_arms.push(quote! { 200..=299 => ::std::result::Result::Ok(()), });
    }
    for r in &op.errors {
        let variant = naming::ident(&r.rust_name);
        let value = match &r.body {
            Some(body) if body.encoding == BodyEncoding::Json => {
                quote! { ::std::result::Result::Err(response.api_error(#error::#variant)) }
            }
            Some(body) if body.encoding == BodyEncoding::Form => {
                quote! { ::std::result::Result::Err(response.api_error_form(#error::#variant)) }
            }
            Some(body) if body.encoding == BodyEncoding::Text => quote! {
                ::std::result::Result::Err(response.api_error_text(#error::#variant))
            },
            Some(_) => quote! {
                ::std::result::Result::Err(response.api_error_bytes(#error::#variant))
            },
            None => quote! { ::std::result::Result::Err(response.api_error_empty(#error::#variant)) },
        };
        match r.status {
            Status::Code(code) => {
                let code = unsuffixed(code);
                arms.push(quote! { #code => #value, })
            }
            Status::Range(_) => range_arms.push(range_arm(r.status, &value)),
            Status::Default => fallback = value,
        }
    }
    if arms.is_empty() && range_arms.is_empty() {
        // Only a `default` response: every status decodes the same way.
        return fallback;
    }
    quote! {
        match response.status.as_u16() {
            #(#arms)*
            #(#range_arms)*
            _ => #fallback,
        }
    }
}

/// Whether a status the operation lists is also in a range it lists (`404` and `4XX`): the
/// decoding `match` has the code's arm before the range's, which clippy calls overlapping.
fn statuses_overlap(op: &Operation) -> bool {
    let statuses = || op.success.iter().chain(&op.errors).map(|r| r.status);
    statuses().any(|status| {
        matches!(status, Status::Code(code) if statuses().any(|other| matches!(other, Status::Range(_)) && other.codes().is_some_and(|codes| codes.contains(&code))))
    })
}

/// A match arm for the codes of a status range.
fn range_arm(status: Status, value: &TokenStream) -> TokenStream {
    let codes = status.codes().unwrap_or(0..=0);
    let (low, high) = (unsuffixed(*codes.start()), unsuffixed(*codes.end()));
    quote! { #low..=#high => #value, }
}

fn error_enum(op: &Operation) -> TokenStream {
    let error = naming::ident(&op.error_type);
    let variants = op.errors.iter().map(|r| {
        let variant = naming::ident(&r.rust_name);
        let doc = response_doc(r);
        match &r.body {
            Some(body) => {
                let ty = match body.encoding {
                    BodyEncoding::Json | BodyEncoding::Form => type_tokens(&body.ty),
                    BodyEncoding::Text => quote! { ::std::string::String },
                    BodyEncoding::Bytes => quote! { ::std::vec::Vec<u8> },
                };
                quote! { #[doc = #doc] #variant(#ty), }
            }
            None => quote! { #[doc = #doc] #variant, },
        }
    });
    let display_arms: Vec<TokenStream> = op
        .errors
        .iter()
        .map(|r| {
            let variant = naming::ident(&r.rust_name);
            match &r.body {
                Some(body) => match body.encoding {
                    BodyEncoding::Json | BodyEncoding::Form => quote! { Self::#variant(body) => crate::runtime::describe(body, f), },
                    BodyEncoding::Text => {
                        quote! { Self::#variant(text) => f.write_str(&crate::runtime::describe_bytes(text.as_bytes())), }
                    }
                    BodyEncoding::Bytes => quote! { Self::#variant(bytes) => f.write_str(&crate::runtime::describe_bytes(bytes)), },
                },
                None => {
                    // The response's description, as plain text on one line.
                    let text = r.description.as_deref().map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "));
                    let text = text.filter(|t| !t.is_empty()).unwrap_or_else(|| "(no body)".to_owned());
                    quote! { Self::#variant => f.write_str(#text), }
                }
            }
        })
        .collect();
    let (formatter, display_body) = if display_arms.is_empty() {
        (quote! { _f }, quote! { match *self {} })
    } else {
        (quote! { f }, quote! { match self { #(#display_arms)* } })
    };
    let doc = format!(" The errors [`{}`] documents, decoded; they come back as `Error::Api`.", op.builder_type);
    quote! {
        #[doc = #doc]
        ///
        /// `Display` gives what the body says in one line (its `detail`, `message` or `title`, or a
        /// validation error's field and message), as `Error::Api`'s `Display` shows it after the status.
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
        #[allow(clippy::large_enum_variant)]
        // The API documents more statuses over time.
        #[non_exhaustive]
        pub enum #error {
            #(#variants)*
        }

        impl ::std::fmt::Display for #error {
            fn fmt(&self, #formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #display_body
            }
        }

        impl crate::runtime::OperationError for #error {}
    }
}

fn pagination(op: &Operation, success: &TokenStream, error: &Ident) -> TokenStream {
    let Some(p) = &op.pagination else { return quote! {} };
    let page = naming::ident(&p.page_parameter);
    let items_field = naming::ident(&p.items_field);
    let pagination_field = naming::ident(&p.pagination_field);
    let max_page = naming::ident(&p.max_page_field);
    let item = type_tokens(&p.item);
    quote! {
        /// Every page from this one (default the first) on, fetched as the stream is polled.
        /// The stream ends after the last page (`max_page`), after an empty page, or after an
        /// error, which it yields.
        ///
        /// The stream is boxed (`Unpin`): `pages.try_next().await` works without `pin!`.
        pub fn pages(self) -> crate::runtime::Pages<#success, #error> {
            let first = self.#page.unwrap_or(1);
            crate::runtime::pages(
                first,
                move |page| {
                    let mut next = self.clone();
                    next.#page = ::std::option::Option::Some(page);
                    next.send()
                },
                |body| body.#pagination_field.#max_page,
                |body| body.#items_field.is_empty(),
            )
        }

        /// Every item of every page, in order (see [`pages`](Self::pages)): `items.try_next().await`
        /// (or `.next()`) works without `pin!`.
        pub fn items(self) -> crate::runtime::Items<#item, #error> {
            crate::runtime::items(self.pages(), |body| body.#items_field)
        }
    }
}
