//! The intermediate representation: what the emit stage turns into Rust.
//!
//! Every `$ref` is resolved and every Rust name decided. Nothing here refers to `openapiv3`.

use std::collections::BTreeMap;

/// A whole API, ready to emit.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description` (or `summary`).
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// The document's servers.
    pub servers: Vec<Server>,
    /// Named types by Rust name (sorted, so emission order is stable).
    pub types: BTreeMap<String, TypeDef>,
    /// Operations, sorted by group then method name.
    pub operations: Vec<Operation>,
    /// The groups operations are in, sorted by name.
    pub groups: Vec<Group>,
    /// What each union's code needs from the rest of the type graph, by the union's name.
    pub unions: BTreeMap<String, UnionPlan>,
}

/// What a union's code needs from the rest of the type graph (aliases followed, its variant
/// structs' fields and tags), decided in resolve once the graph is final, so emit only renders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnionPlan {
    /// One per variant, in order: whether the union converts `From` the variant's type (no other
    /// variant has the same Rust type: two aliases of `String` are one type).
    pub from: Vec<bool>,
    /// A tagged union's, one per variant, in order: whether the variant's struct writes the
    /// union's tag itself (it is this union's variant alone); if not, the union sets its tag on
    /// the variant's JSON object. Empty for an untagged union.
    pub own_tag: Vec<bool>,
    /// A tagged union's accessors (`file.name()`), one per field every variant struct has with
    /// the same Rust type and presence, in the first variant's field order. Empty when a variant
    /// holds no struct, and for an untagged union.
    pub accessors: Vec<Accessor>,
}

/// A tagged union's method reading a field every variant struct has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accessor {
    /// The field's Rust name, which the method takes.
    pub rust_name: String,
    /// The field's JSON property name.
    pub json_name: String,
    /// The field's type (as the first variant's struct names it).
    pub ty: TypeRef,
    /// The field's presence, the same in every variant.
    pub presence: Presence,
}

/// A group of operations (`client.files()`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The accessor and module-style name, such as `files`.
    pub name: String,
    /// The struct's type name, such as `Files`.
    pub type_name: String,
    /// The tag's description, if the group is a tag.
    pub description: Option<String>,
}

/// A server from the document's `servers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    /// Rust name of its constant or variant, such as `Production`.
    pub name: String,
    /// The base URL (variables substituted with their defaults).
    pub url: String,
    /// What it is.
    pub description: Option<String>,
}

/// Documentation gathered from a schema or operation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Docs {
    /// `title`, when it says more than the name.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Limits and facts worth a bullet each: `Maximum: 100`, `Pattern: ...`, `Read-only`.
    pub facts: Vec<String>,
    /// Examples as JSON text.
    pub examples: Vec<String>,
    /// The document's limits as values (a struct gets a constant for each of its fields').
    pub limits: Limits,
    /// Where the item came from, such as `#/components/schemas/FileRead`.
    pub pointer: crate::diagnostics::Pointer,
}

/// What the document limits a value to (`minimum`, `maxLength`, `pattern`, `maxItems`, ...), as
/// values: emitted as constants of the struct a field is in (`ProductMediaFileCreate::SIZE_MAXIMUM`),
/// so code that checks a value before sending it uses the document's figures, not copies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Limits {
    /// `minimum` (or 3.1's numeric `exclusiveMinimum`), and whether it is exclusive.
    pub minimum: Option<(serde_json::Number, bool)>,
    /// `maximum` (or 3.1's numeric `exclusiveMaximum`), and whether it is exclusive.
    pub maximum: Option<(serde_json::Number, bool)>,
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `pattern`, as the document writes it.
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
}

impl Limits {
    /// Whether the document says nothing.
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }

    /// Takes `other`'s limits where this has none (a nullable field's limits are its member's).
    pub fn or(self, other: Limits) -> Limits {
        Limits {
            minimum: self.minimum.or(other.minimum),
            maximum: self.maximum.or(other.maximum),
            min_length: self.min_length.or(other.min_length),
            max_length: self.max_length.or(other.max_length),
            pattern: self.pattern.or(other.pattern),
            min_items: self.min_items.or(other.min_items),
            max_items: self.max_items.or(other.max_items),
        }
    }
}

/// The use of a type at some position (a field, a parameter, a body).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A scalar.
    Primitive(Primitive),
    /// A named type of [`Api::types`].
    Named(String),
    /// A JSON array.
    Vec(Box<TypeRef>),
    /// A JSON object with values of one type, keys kept in order.
    Map(Box<TypeRef>),
    /// A fixed-length JSON array (`prefixItems`).
    Tuple(Vec<TypeRef>),
    /// Any JSON value.
    Json,
    /// A JSON object of any values.
    JsonObject,
    /// Behind a `Box` (set by the recursion analysis).
    Boxed(Box<TypeRef>),
    /// May be `null`, where a position admits it without being a field (array items, map values,
    /// tuple members, union variants).
    Nullable(Box<TypeRef>),
}

/// Scalar types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    /// `string`.
    String,
    /// `boolean`.
    Bool,
    /// `integer` with `format: int32`.
    I32,
    /// `integer` (no format, or `int64`).
    I64,
    /// `integer` with `format: uint32`.
    U32,
    /// `integer` with `format: uint64`, or bounds within `0..=u64::MAX` beyond `i64`.
    U64,
    /// `integer` whose bounds fit neither `i64` nor `u64` (a documented fallback: values beyond
    /// 64 bits decode from JSON text, not through a `serde_json::Value`).
    I128,
    /// `number` with `format: float`.
    F32,
    /// `number`.
    F64,
    /// `format: uuid` or `uuid4`.
    Uuid,
    /// `format: date-time`.
    DateTime,
    /// `format: date`.
    Date,
    /// A request body of raw bytes (`application/octet-stream`, `format: binary`).
    Bytes,
}

impl Primitive {
    /// The Rust type, as a fully qualified path (what the generated code writes).
    pub fn rust_path(self) -> &'static str {
        match self {
            Primitive::String => "::std::string::String",
            Primitive::Bool => "bool",
            Primitive::I32 => "i32",
            Primitive::I64 => "i64",
            Primitive::U32 => "u32",
            Primitive::U64 => "u64",
            Primitive::I128 => "i128",
            Primitive::F32 => "f32",
            Primitive::F64 => "f64",
            Primitive::Uuid => "::uuid::Uuid",
            Primitive::DateTime => "::chrono::DateTime<::chrono::Utc>",
            Primitive::Date => "::chrono::NaiveDate",
            Primitive::Bytes => "::std::vec::Vec<u8>",
        }
    }

    /// The Rust type as a reader names it: [`Self::rust_path`] without its module paths
    /// (`DateTime<Utc>`, `Vec<u8>`).
    pub fn rust_name(self) -> String {
        let path = self.rust_path();
        let mut out = String::with_capacity(path.len());
        for (i, piece) in path.split("::").enumerate() {
            // A piece followed by `::` is a module: keep only what closes it (`<`, `>`).
            let last = path.split("::").count() - 1 == i;
            let keep = if last { piece } else { piece.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_') };
            out.push_str(keep);
        }
        out
    }
}

/// A named type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Its documentation.
    pub docs: Docs,
    /// Whether the schema is deprecated.
    pub deprecated: bool,
    /// Its shape.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// A JSON object with known properties.
    Struct(Struct),
    /// A string enum that keeps values it does not know.
    StringEnum(StringEnum),
    /// An integer enum: a newtype over `i64` with a constant per listed value (any integer decodes).
    IntegerEnum(Vec<IntegerValue>),
    /// A `oneOf` with a discriminator.
    Tagged(Tagged),
    /// A `oneOf`/`anyOf` without one.
    Untagged(Untagged),
    /// A single literal value (`const`), serialized from the type itself.
    Const(serde_json::Value),
    /// Another name for a type.
    Alias(TypeRef),
}

/// A struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Struct {
    /// Fields in document order.
    pub fields: Vec<Field>,
    /// A map of the properties not listed (`additionalProperties` or `patternProperties`).
    pub additional: Option<AdditionalField>,
    /// Set when the struct is a variant of a tagged union: the tag is not a field, the struct
    /// serializes it from its type.
    pub tag: Option<StructTag>,
}

/// The tag a variant struct of a tagged union writes itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructTag {
    /// The tag property, such as `service`.
    pub property: String,
    /// Its value for this struct, such as `downloadable`.
    pub value: String,
    /// The Rust name of the union.
    pub union: String,
}

/// The flattened map of properties a struct does not list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdditionalField {
    /// The Rust field name.
    pub rust_name: String,
    /// The value type.
    pub ty: TypeRef,
}

/// A struct field.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub json_name: String,
    /// The Rust field name (without `r#`).
    pub rust_name: String,
    /// The value type, not counting optionality.
    pub ty: TypeRef,
    /// Whether it may be absent and whether it may be `null`.
    pub presence: Presence,
    /// `default`, when it is honoured by the type (see [`Presence`]).
    pub default: Option<serde_json::Value>,
    /// Its documentation.
    pub docs: Docs,
    /// Whether the property is deprecated.
    pub deprecated: bool,
    /// A `readOnly` property the schema requires: required of responses only. Where the type is
    /// sent in a request, the resolve stage makes the field optional (never sent when unset).
    pub read_only_required: bool,
    /// The name of the models module's function that gives the default, for a
    /// [`Presence::Defaulted`] field (claimed in one scope for the whole module).
    pub default_function: Option<String>,
    /// The struct's builder method setting it: its Rust name, or `with_<name>` for a name a trait
    /// method has (`clone`, `new`, ...).
    pub setter: String,
}

/// Requiredness and nullability of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Presence {
    /// Always present, never `null`: `T`.
    Required,
    /// Always present, may be `null`: `Option<T>` that serializes `null`.
    RequiredNullable,
    /// May be absent, never `null`: `Option<T>` left out when `None`.
    Optional,
    /// May be absent with a default: `T`, the default filled in when absent.
    Defaulted,
    /// May be absent or `null`: three states.
    OptionalNullable,
}

/// A string enum.
#[derive(Clone, Debug, PartialEq)]
pub struct StringEnum {
    /// Known values.
    pub variants: Vec<EnumVariant>,
    /// Rust name of the variant that keeps unknown values.
    pub unknown_variant: String,
}

/// One value of an integer enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntegerValue {
    /// The Rust constant's name.
    pub rust_name: String,
    /// The value.
    pub value: i64,
}

/// One value of a string enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The JSON string.
    pub value: String,
}

/// A discriminated union.
#[derive(Clone, Debug, PartialEq)]
pub struct Tagged {
    /// The tag property.
    pub tag: String,
    /// Variants in mapping order.
    pub variants: Vec<TaggedVariant>,
    /// Rust name of the variant that keeps an unknown tag's whole JSON.
    pub unknown_variant: String,
}

/// One variant of a tagged union.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaggedVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The tag's value.
    pub tag_value: String,
    /// The struct it wraps.
    pub ty: TypeRef,
}

/// An untagged union.
#[derive(Clone, Debug, PartialEq)]
pub struct Untagged {
    /// Variants in the order they are tried.
    pub variants: Vec<UntaggedVariant>,
}

/// One variant of an untagged union.
#[derive(Clone, Debug, PartialEq)]
pub struct UntaggedVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The wrapped type.
    pub ty: TypeRef,
    /// What the member's schema says that its Rust type does not check when it decodes: the
    /// union's decoder ranks the variants by them.
    pub checks: Vec<Check>,
}

/// A constraint of a union member's schema, checked by the union's decoder (mirrors the
/// runtime's `untagged::Check`).
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// One of these strings (`enum`).
    Strings(Vec<String>),
    /// One of these integers (`enum`).
    Integers(Vec<i64>),
    /// `pattern`.
    Pattern(String),
    /// `minimum` (exclusive when `true`).
    Minimum(f64, bool),
    /// `maximum` (exclusive when `true`).
    Maximum(f64, bool),
    /// `minLength`.
    MinLength(usize),
    /// `maxLength`.
    MaxLength(usize),
    /// A property's checks, when the object has it.
    Property(String, Vec<Check>),
}

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// GET.
    Get,
    /// PUT.
    Put,
    /// POST.
    Post,
    /// DELETE.
    Delete,
    /// OPTIONS.
    Options,
    /// HEAD.
    Head,
    /// PATCH.
    Patch,
    /// TRACE.
    Trace,
}

impl Method {
    /// The method as HTTP writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One operation (`OperationMethod` in progenitor's terms).
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// `operationId`, or one derived from method and path.
    pub id: String,
    /// The group (Rust module/accessor name), such as `files`.
    pub group: String,
    /// The method name in its group, such as `list`.
    pub name: String,
    /// Rust type-name stem for the operation's own types, such as `FilesList`.
    pub type_stem: String,
    /// The request builder's type name in the client module, such as `FilesList`.
    pub builder_type: String,
    /// The documented-errors enum's type name, such as `FilesListError`.
    pub error_type: String,
    /// The success enum's type name, when the successes have different bodies (the call returns
    /// an enum of them); otherwise the call returns their one body type, or `()`.
    pub response_type: Option<String>,
    /// The HTTP method.
    pub method: Method,
    /// The path template, such as `/v1/files/{id}`, parsed.
    pub path: PathTemplate,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// OAuth-style scopes named in the description or security requirements.
    pub scopes: Vec<String>,
    /// Whether it needs the bearer token (false for an explicitly empty `security`).
    pub authenticated: bool,
    /// Parameters: path ones in template order, then the rest in document order.
    pub parameters: Vec<Parameter>,
    /// The request body.
    pub body: Option<Body>,
    /// The responses that count as success: the 2xx ones (codes and `2XX`), or `default` when
    /// there is none. Empty when the document names no success: then any 2xx is one.
    pub success: Vec<Response>,
    /// The responses that come back as `Error::Api`: the other statuses, then `default` when
    /// there are 2xx responses.
    pub errors: Vec<Response>,
    /// Page/limit pagination, when the operation declares it.
    pub pagination: Option<Pagination>,
    /// Where the operation is in the document.
    pub pointer: String,
}

impl Operation {
    /// Every type position of the operation: parameters, body, response bodies, paginated items.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        let parameters = self.parameters.iter().map(|p| &p.ty);
        let body = self.body.iter().map(|b| &b.ty);
        let responses = self.success.iter().chain(&self.errors).filter_map(|r| r.body.as_ref().map(|b| &b.ty));
        let items = self.pagination.iter().map(|p| &p.item);
        parameters.chain(body).chain(responses).chain(items).collect()
    }

    /// [`Self::type_refs`], to edit them.
    pub fn type_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        let parameters = self.parameters.iter_mut().map(|p| &mut p.ty);
        let body = self.body.iter_mut().map(|b| &mut b.ty);
        let responses = self.success.iter_mut().chain(self.errors.iter_mut());
        let responses = responses.filter_map(|r| r.body.as_mut().map(|b| &mut b.ty));
        let items = self.pagination.iter_mut().map(|p| &mut p.item);
        parameters.chain(body).chain(responses).chain(items).collect()
    }
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParameterLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// One parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// The wire name.
    pub name: String,
    /// The Rust argument/setter name.
    pub rust_name: String,
    /// Where it goes.
    pub location: ParameterLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Whether it is required.
    pub required: bool,
    /// Whether arrays (and objects) are exploded (`explode`, the default for query).
    pub explode: bool,
    /// How a query value is serialized.
    pub style: QueryStyle,
    /// Its documentation.
    pub docs: Docs,
    /// Whether it is deprecated.
    pub deprecated: bool,
}

/// How a query parameter is serialized (OpenAPI's `style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QueryStyle {
    /// `form` (the default): `ids=1&ids=2`, or `ids=1,2`; objects `a=1&b=2`, or `filter=a,1,b,2`.
    Form,
    /// Arrays joined by spaces.
    SpaceDelimited,
    /// Arrays joined by `|`.
    PipeDelimited,
    /// Objects as `filter[a]=1&filter[b]=2`.
    DeepObject,
}

/// How a body is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BodyEncoding {
    /// `application/json` (or `+json`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `text/*`.
    Text,
    /// Anything else: raw bytes.
    Bytes,
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// The media type.
    pub content_type: String,
    /// Its encoding.
    pub encoding: BodyEncoding,
    /// Its type.
    pub ty: TypeRef,
    /// Whether it is required.
    pub required: bool,
    /// Its documentation.
    pub docs: Docs,
}

/// A parsed path template: literal pieces and parameters, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathTemplate {
    /// The template as the document writes it, such as `/v1/files/{id}`.
    pub text: String,
    /// Its pieces: `/v1/files/`, then the parameter `id`.
    pub segments: Vec<PathSegment>,
}

impl PathTemplate {
    /// Whether a parameter is in the path.
    pub fn has_parameters(&self) -> bool {
        self.segments.iter().any(|s| matches!(s, PathSegment::Parameter { .. }))
    }
}

impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// Text sent as it is.
    Literal(String),
    /// A path parameter's value, encoded.
    Parameter {
        /// The template variable's (and the parameter's) name, such as `id`.
        name: String,
        /// The Rust name of the parameter ([`Parameter::rust_name`]).
        rust_name: String,
    },
}

/// A response's status as the document keys it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// One status code, such as `404`.
    Code(u16),
    /// A range, such as `4XX`: the digit (1 to 5).
    Range(u8),
    /// `default`: any status not listed.
    Default,
}

impl Status {
    /// Whether the status is a 2xx one (a code or `2XX`).
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(digit) => digit == 2,
            Status::Default => false,
        }
    }

    /// The codes it covers, when it is a code or a range: `404..=404`, `400..=499`.
    pub fn codes(self) -> Option<std::ops::RangeInclusive<u16>> {
        match self {
            Status::Code(code) => Some(code..=code),
            Status::Range(digit) => Some(u16::from(digit) * 100..=u16::from(digit) * 100 + 99),
            Status::Default => None,
        }
    }
}

impl std::fmt::Display for Status {
    /// As the document keys it: `404`, `4XX`, `default`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(digit) => write!(f, "{digit}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

/// One documented response.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// Its status.
    pub status: Status,
    /// Rust variant name in the operation's error or response enum.
    pub rust_name: String,
    /// The decoded body, if the response has one.
    pub body: Option<ResponseBody>,
    /// The response's description.
    pub description: Option<String>,
}

/// The body of a response.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseBody {
    /// Its media type.
    pub content_type: String,
    /// Its encoding.
    pub encoding: BodyEncoding,
    /// Its type.
    pub ty: TypeRef,
}

/// Page/limit pagination of a list operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The Rust name of the page parameter.
    pub page_parameter: String,
    /// The item type.
    pub item: TypeRef,
    /// The Rust name of the response's items field.
    pub items_field: String,
    /// The Rust name of the response's pagination field.
    pub pagination_field: String,
    /// The Rust name of the max-page field inside it.
    pub max_page_field: String,
}

/// One position in a named type's definition that holds a type: a field, the values of the map
/// of unlisted properties, a union variant, an alias's target.
#[derive(Clone, Copy, Debug)]
pub struct Position<'a> {
    /// The type at the position.
    pub ty: &'a TypeRef,
    /// Whether the definition holds the position's value in itself (a field, a variant, an
    /// alias's target), as opposed to the values of the unlisted-properties map, which live in
    /// the map's heap storage.
    pub inline: bool,
}

impl TypeKind {
    /// Every position of the definition that holds a type, in document order.
    ///
    /// The one walk over a definition's type positions: reachability, recursion (`Box`) analysis,
    /// renames and the set of mentioned types all go through it (and [`TypeRef::visit_named`]).
    pub fn positions(&self) -> Vec<Position<'_>> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| Position { ty: &f.ty, inline: true })
                .chain(s.additional.iter().map(|a| Position { ty: &a.ty, inline: false }))
                .collect(),
            TypeKind::Tagged(t) => t.variants.iter().map(|v| Position { ty: &v.ty, inline: true }).collect(),
            TypeKind::Untagged(u) => u.variants.iter().map(|v| Position { ty: &v.ty, inline: true }).collect(),
            TypeKind::Alias(ty) => vec![Position { ty, inline: true }],
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) | TypeKind::Const(_) => Vec::new(),
        }
    }

    /// [`Self::positions`], mutable: each with whether it is inline.
    pub fn positions_mut(&mut self) -> Vec<(&mut TypeRef, bool)> {
        match self {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().map(|f| (&mut f.ty, true)).chain(s.additional.iter_mut().map(|a| (&mut a.ty, false))).collect()
            }
            TypeKind::Tagged(t) => t.variants.iter_mut().map(|v| (&mut v.ty, true)).collect(),
            TypeKind::Untagged(u) => u.variants.iter_mut().map(|v| (&mut v.ty, true)).collect(),
            TypeKind::Alias(ty) => vec![(ty, true)],
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) | TypeKind::Const(_) => Vec::new(),
        }
    }
}

impl TypeRef {
    /// Calls `f` with every named type this reference mentions, depth first, and whether the
    /// value is held by value where the reference is (not behind a `Vec`, a map or a `Box`;
    /// `Option` and tuples hold their contents by value).
    pub fn visit_named<'a>(&'a self, f: &mut impl FnMut(&'a str, bool)) {
        fn walk<'a>(ty: &'a TypeRef, by_value: bool, f: &mut impl FnMut(&'a str, bool)) {
            match ty {
                TypeRef::Named(name) => f(name, by_value),
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => walk(inner, false, f),
                TypeRef::Nullable(inner) => walk(inner, by_value, f),
                TypeRef::Tuple(items) => items.iter().for_each(|t| walk(t, by_value, f)),
                TypeRef::Primitive(_) | TypeRef::Json | TypeRef::JsonObject => {}
            }
        }
        walk(self, true, f);
    }

    /// Calls `f` with every type name in this reference, to change it.
    pub fn visit_named_mut(&mut self, f: &mut impl FnMut(&mut String)) {
        match self {
            TypeRef::Named(name) => f(name),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => inner.visit_named_mut(f),
            TypeRef::Tuple(items) => items.iter_mut().for_each(|t| t.visit_named_mut(f)),
            TypeRef::Primitive(_) | TypeRef::Json | TypeRef::JsonObject => {}
        }
    }
}

/// Every named type reachable from `roots` through the definitions in `types` (the roots' own
/// names included), by [`TypeKind::positions`] and [`TypeRef::visit_named`].
pub fn reachable<'a>(types: &'a BTreeMap<String, TypeDef>, roots: impl IntoIterator<Item = &'a TypeRef>) -> std::collections::BTreeSet<&'a str> {
    let mut seen = std::collections::BTreeSet::new();
    let mut queue: Vec<&'a str> = Vec::new();
    for root in roots {
        root.visit_named(&mut |name, _| queue.push(name));
    }
    while let Some(name) = queue.pop() {
        if !seen.insert(name) {
            continue;
        }
        let Some(def) = types.get(name) else { continue };
        for position in def.kind.positions() {
            position.ty.visit_named(&mut |n, _| queue.push(n));
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::Primitive;

    #[test]
    fn primitive_names_drop_module_paths() {
        assert_eq!(Primitive::DateTime.rust_name(), "DateTime<Utc>");
        assert_eq!(Primitive::Bytes.rust_name(), "Vec<u8>");
        assert_eq!(Primitive::String.rust_name(), "String");
        assert_eq!(Primitive::Uuid.rust_name(), "Uuid");
        assert_eq!(Primitive::I64.rust_name(), "i64");
    }
}
