//! Stage two: the intermediate representation. `lower` turns the loaded document into
//! this model of types and operations with every name already resolved; `emit` and the
//! CLI read only this. It is the contract between the stages.

mod cycles;
mod error_when;
mod lower;
pub mod naming;
mod operations;
mod pagination;
mod reference;
mod responses;
mod schema;
mod security;

use crate::diagnostics::Note;
use crate::text::split_once_byte;
pub use error_when::FAILED_VARIANT;
pub(crate) use lower::is_full_url;
pub use lower::{lower, LowerError, Selection, SelectionError};
pub use pagination::{PaginationHint, STYLES as PAGINATION_STYLES};
// Names (of types, fields, variants, parameters, methods) are `SmolStr`s: inline up to 23
// bytes, so that making one, and copying it into a scope or a second place, allocates nothing.
pub use smol_str::SmolStr;

/// Everything generated for one spec.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// The document's servers, variables set to their defaults; the first is the client's
    /// default base URL.
    pub servers: Vec<Server>,
    /// Named types, in the order they were first reached.
    pub types: Vec<TypeDef>,
    /// The selected operations, in spec order.
    pub operations: Vec<Operation>,
    /// The security schemes the selected operations use.
    pub security_schemes: Vec<SecurityScheme>,
    /// The schemes whose credential is computed from each request (HTTP `oauth`, AWS
    /// Signature Version 4), which the client cannot send from a token: a request signer
    /// the caller configures adds them.
    pub signed_schemes: Vec<SignedScheme>,
    /// What was accepted in a weaker form than written, from loading and lowering.
    pub notes: Vec<Note>,
}

/// Index of a named type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// Documentation carried over from the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Docs {
    /// A one-line summary (`summary` or `title`).
    pub summary: Option<SmolStr>,
    /// The longer description.
    pub description: Option<SmolStr>,
    /// Facts tether adds: where the item comes from, what degraded and why.
    pub notes: Vec<String>,
}

/// A server the document names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// Its URL, variables set to their defaults.
    pub url: String,
    /// What the spec says it is (`Production`, `Sandbox`).
    pub description: Option<String>,
}

impl Api {
    /// The URL of the document's first server: the client's default base URL.
    pub fn default_base_url(&self) -> Option<&str> {
        self.servers.first().map(|server| server.url.as_str())
    }
}

/// A named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name, unique in the generated module.
    pub name: SmolStr,
    /// Its documentation.
    pub docs: Docs,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructDef),
    /// A string or integer enum, with a catch-all variant for values added later.
    Enum(EnumDef),
    /// `oneOf` / `anyOf`: one of several types.
    Union(UnionDef),
    /// A named schema that is another type (a string, an array, ...).
    Alias(TypeRef),
    /// Like an alias, but a type of its own because the type refers to itself.
    Newtype {
        /// The wrapped type.
        ty: TypeRef,
        /// Whether the value is boxed.
        boxed: bool,
    },
    /// The responses of an operation, one variant per documented status.
    Responses(ResponsesDef),
}

/// An object type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StructDef {
    /// The properties.
    pub fields: Vec<Field>,
    /// Properties beyond the named ones (`additionalProperties`), kept in a map.
    pub additional: Option<TypeRef>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The Rust field name.
    pub name: SmolStr,
    /// The JSON property name.
    pub wire_name: SmolStr,
    /// The value type (without the `Option` of an optional field).
    pub ty: TypeRef,
    /// Whether the property must be present.
    pub required: bool,
    /// Whether `null` is allowed.
    pub nullable: bool,
    /// Whether the value is boxed because the type contains itself.
    pub boxed: bool,
    /// Its documentation.
    pub docs: Docs,
    /// `deprecated: true` in the spec.
    pub deprecated: bool,
    /// The one string the spec allows (a one-value `enum`, or `const`): the field stays a
    /// `String`, but a union tells its object variants apart by it (`type: image`).
    pub fixed: Option<String>,
}

impl Field {
    /// Whether the field is an `Option`: the property may be absent or `null`.
    pub fn is_option(&self) -> bool {
        !self.required || self.nullable
    }
}

/// An enum: the values a string or an integer may take.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumDef {
    /// The known values.
    pub variants: Vec<EnumVariant>,
    /// The catch-all variant's name (holds any other value).
    pub other: SmolStr,
    /// Whether the values are strings or integers.
    pub wire: EnumWire,
}

/// How an enum's values are written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnumWire {
    /// JSON strings (`"placed"`).
    String,
    /// JSON integers (`3600`), each fitting an `i64`.
    Integer,
}

/// One value of an enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: SmolStr,
    /// The value on the wire: the string, or the integer in decimal.
    pub value: String,
}

/// One of several types.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnionDef {
    /// The alternatives.
    pub variants: Vec<UnionVariant>,
    /// The property that tells the alternatives apart, when the spec names one.
    pub discriminator: Option<String>,
    /// The variant that holds a value with an unknown discriminator (tagged unions only).
    pub other: SmolStr,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: SmolStr,
    /// The type it holds.
    pub ty: TypeRef,
    /// The discriminator values that select it.
    pub tags: Vec<String>,
    /// Whether the value is boxed because the type contains itself.
    pub boxed: bool,
}

/// A response enum: which body arrives with which status.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResponsesDef {
    /// The variants, specific statuses before ranges before `default`.
    pub variants: Vec<ResponseVariant>,
}

/// One documented response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResponseVariant {
    /// The Rust variant name.
    pub name: SmolStr,
    /// The statuses it covers.
    pub status: StatusMatch,
    /// Its body.
    pub body: ResponseBody,
    /// Its description.
    pub docs: Docs,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status, e.g. `404`.
    Code(u16),
    /// A range, e.g. `4XX` is `Range(4)`.
    Range(u16),
    /// `default`: every status not listed.
    Default,
}

/// How a response body is read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResponseBody {
    /// No body documented; whatever arrives is ignored.
    Empty,
    /// JSON of this type.
    Json(TypeRef),
    /// Text.
    Text,
    /// Raw bytes.
    Bytes,
}

/// A reference to a type: a primitive, a named type, or a container of one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A primitive.
    Primitive(Primitive),
    /// A named type of this module.
    Named(TypeId),
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// A map from strings to `T`.
    Map(Box<TypeRef>),
    /// `Option<T>`, for nullable values inside containers.
    Nullable(Box<TypeRef>),
    /// Any JSON value (`serde_json::Value`).
    Any,
}

/// Scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primitive {
    /// `bool`.
    Bool,
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// A calendar date (`format: date`).
    Date,
    /// A timestamp (`format: date-time`).
    DateTime,
    /// A UUID (`format: uuid`).
    Uuid,
    /// Raw bytes (`format: binary` outside JSON).
    Bytes,
}

impl Primitive {
    /// Whether values are whole numbers.
    pub fn is_integer(self) -> bool {
        use Primitive::*;
        matches!(self, I8 | I16 | I32 | I64 | U8 | U16 | U32 | U64)
    }
}

/// One operation: a method on the client.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's `operationId`, or one derived from method and path.
    pub id: SmolStr,
    /// The client method's name.
    pub method_name: SmolStr,
    /// The request builder's type name.
    pub builder_name: SmolStr,
    /// The HTTP method, upper case.
    pub http_method: SmolStr,
    /// The path template as written in the spec.
    pub path: String,
    /// The path template split into literal text and parameters.
    pub path_segments: Vec<PathSegment>,
    /// Summary and description.
    pub docs: Docs,
    /// `deprecated: true` in the spec.
    pub deprecated: bool,
    /// The operation's tags.
    pub tags: Vec<SmolStr>,
    /// The parameters, path parameters first in template order.
    pub params: Vec<Param>,
    /// Required parameters the spec allows one value for: sent with it on every call.
    pub fixed_params: Vec<FixedParam>,
    /// The request body, if the operation takes one: in the first of JSON, form,
    /// multipart, text and raw bytes that the operation accepts.
    pub body: Option<RequestBody>,
    /// The body in the other of those kinds the operation accepts, each sent by a method
    /// of its own.
    pub alternative_bodies: Vec<AlternativeBody>,
    /// What a successful call yields.
    pub success: Success,
    /// The status a success is documented with first (`201` for a create), `200` when
    /// the spec names none.
    pub success_status: u16,
    /// The error body type (`Responses` or a named schema), if errors are documented.
    pub error: Option<TypeId>,
    /// When a success status still reports a failure (`x-tether-error-when`): such a
    /// response is the error type's `Failed` variant.
    pub error_when: Option<ErrorWhen>,
    /// The effective security requirements: alternatives of scheme names. Empty: none.
    pub security: Vec<Vec<String>>,
    /// When no alternative of the requirements can be sent from a credential, the schemes
    /// they name that a request signer adds (see [`Api::signed_schemes`]).
    pub signed_by: Vec<String>,
    /// Names of the response headers the spec documents for this operation.
    pub response_headers: Vec<String>,
    /// How the operation pages, when it is a list operation.
    pub pagination: Option<Pagination>,
    /// The absolute URL of the server the spec names for this operation (or its path) when
    /// it is not the document's: calls go there while the client keeps the document's.
    pub own_server: Option<String>,
    /// A success the provider can also send as a stream of values, as the spec documents
    /// with a streaming media type.
    pub events: Option<EventStream>,
}

/// A media type without its parameters, lowercase (`Application/JSON; charset=utf-8` is
/// `application/json`).
/// Borrowed when it is lowercase already, as nearly every spec writes it: lowering asks
/// for it several times per response.
pub(crate) fn media_essence(media_type: &str) -> std::borrow::Cow<'_, str> {
    let essence = split_once_byte(media_type, b';')
        .map_or(media_type, |(essence, _)| essence)
        .trim();
    if essence.bytes().any(|byte| byte.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(essence.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(essence)
    }
}

/// A success body sent as a stream of JSON values, each of one type.
#[derive(Debug, Clone)]
pub struct EventStream {
    /// The type of each value.
    pub item: TypeRef,
    /// How the values are framed.
    pub framing: Framing,
    /// The media type the spec documents for the stream, which a request for it accepts.
    pub media_type: String,
}

/// How the values of a stream are told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Server-sent events (`text/event-stream`): each event's `data` is one value.
    ServerSentEvents,
    /// One value per line (`application/x-ndjson`, `application/jsonl`; and
    /// `application/json-seq`, whose values also start with a record separator; and
    /// Kubernetes' watch, `application/json;stream=watch`).
    JsonLines,
}

impl Framing {
    /// The framing of `media_type` (parameters included), when it is a streaming one.
    pub(crate) fn of(media_type: &str) -> Option<Framing> {
        Framing::of_essence(&media_essence(media_type), media_type)
    }

    /// [`Framing::of`] for a caller that has the type's [`media_essence`] already.
    pub(crate) fn of_essence(essence: &str, media_type: &str) -> Option<Framing> {
        match essence {
            "text/event-stream" => Some(Framing::ServerSentEvents),
            "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines"
            | "application/json-seq" => Some(Framing::JsonLines),
            essence if essence.ends_with("json") && is_watch_stream(media_type) => {
                Some(Framing::JsonLines)
            }
            _ => None,
        }
    }
}

/// Whether `media_type` carries Kubernetes' `stream=watch`: the API sends a watch as JSON
/// values one after another, each on a line of its own, under a JSON media type that only
/// this parameter tells from a single value.
pub(crate) fn is_watch_stream(media_type: &str) -> bool {
    // Most media types have no parameters, which one byte search finds out.
    let Some((_, parameters)) = split_once_byte(media_type, b';') else {
        return false;
    };
    parameters.split(';').any(|parameter| {
        parameter.split_once('=').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("stream")
                && value.trim().trim_matches('"').eq_ignore_ascii_case("watch")
        })
    })
}

/// `ty` with its aliases followed to what they name; aliases of each other end after a
/// few steps.
pub(crate) fn dealias<'t>(ty: &'t TypeRef, types: &'t [TypeDef]) -> &'t TypeRef {
    let mut current = ty;
    for _ in 0..16 {
        match current {
            TypeRef::Named(id) => match &types[id.0].kind {
                TypeKind::Alias(inner) => current = inner,
                _ => return current,
            },
            _ => return current,
        }
    }
    current
}

impl Operation {
    /// The body in every kind of media type it is accepted in, the primary kind first.
    pub fn bodies(&self) -> impl Iterator<Item = &RequestBody> {
        let alternatives = self.alternative_bodies.iter().map(|other| &other.body);
        self.body.iter().chain(alternatives)
    }

    /// The path template as a request carries it: [`Operation::path_segments`], with
    /// each parameter as its `{placeholder}` (a `#fragment` of [`Operation::path`] is
    /// never sent).
    pub fn sent_template(&self) -> String {
        self.path_segments
            .iter()
            .map(|segment| match segment {
                PathSegment::Literal(text) => text.to_string(),
                PathSegment::Param(index) => format!("{{{}}}", self.params[*index].wire_name),
            })
            .collect()
    }
}

/// A success whose body says it failed, as Slack's `{"ok": false, "error": "..."}`:
/// the top-level `property` of a JSON body equal to `equals` (`x-tether-error-when`).
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorWhen {
    /// The top-level JSON property to look at.
    pub property: String,
    /// The value that marks a failure.
    pub equals: serde_json::Value,
}

/// How a list operation pages: where its items are and how the next page is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// How the next page is asked for.
    pub next: NextPage,
    /// The fields from the page to its items; empty when the page is the array itself.
    pub items: Vec<FieldStep>,
    /// The item type.
    pub item: TypeRef,
}

impl Pagination {
    /// Whether paging reads a deprecated field of a page or an item.
    pub fn reads_deprecated(&self) -> bool {
        let deprecated = |path: &[FieldStep]| path.iter().any(|step| step.deprecated);
        deprecated(&self.items)
            || match &self.next {
                NextPage::Cursor { cursor, .. } => deprecated(cursor),
                NextPage::HasMore { has_more, id, .. } => deprecated(has_more) || deprecated(id),
                NextPage::NextUrl { url } => deprecated(url),
                NextPage::Offset { .. } | NextPage::PageNumber { .. } | NextPage::LinkHeader => {
                    false
                }
            }
    }
}

/// One step along a path of fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    /// The Rust field name.
    pub name: SmolStr,
    /// The JSON property name.
    pub wire_name: SmolStr,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether the field is deprecated.
    pub deprecated: bool,
}

/// Where a cursor goes back in the request for the next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorPlace {
    /// A query parameter.
    Query,
    /// A field of the JSON body, as a string.
    BodyText,
    /// A field of the JSON body, as a number: the field is an integer.
    BodyNumber,
}

/// How the next page is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPage {
    /// A cursor from the page goes back in a request parameter or body field.
    Cursor {
        /// The request parameter (or body field) that carries it.
        param: SmolStr,
        /// Where it goes back.
        place: CursorPlace,
        /// Where the cursor is in the page.
        cursor: Vec<FieldStep>,
    },
    /// The page says whether more follow; the next starts after the last item's id.
    HasMore {
        /// The request parameter that carries the id.
        param: SmolStr,
        /// Where the flag is in the page.
        has_more: Vec<FieldStep>,
        /// Where the id is in an item.
        id: Vec<FieldStep>,
    },
    /// An item offset.
    Offset {
        /// The offset parameter.
        param: SmolStr,
        /// The page-size parameter.
        limit: Option<SmolStr>,
    },
    /// A page number.
    PageNumber {
        /// The page parameter.
        param: SmolStr,
        /// The page-size parameter.
        limit: Option<SmolStr>,
    },
    /// The `Link` header's `rel="next"`.
    LinkHeader,
    /// A next-page URL in the page.
    NextUrl {
        /// Where the URL is in the page.
        url: Vec<FieldStep>,
    },
}

impl NextPage {
    /// The style's name: `cursor`, `has-more`, `offset`, `page number`, `Link header`, `next URL`.
    pub fn style(&self) -> &'static str {
        match self {
            NextPage::Cursor { .. } => "cursor",
            NextPage::HasMore { .. } => "has-more",
            NextPage::Offset { .. } => "offset",
            NextPage::PageNumber { .. } => "page number",
            NextPage::LinkHeader => "Link header",
            NextPage::NextUrl { .. } => "next URL",
        }
    }
}

impl Pagination {
    /// A one-line description, for listings: ``cursor: query `after` from
    /// `paging.next`; items in data``.
    pub fn describe(&self) -> String {
        self.describe_quoted('`')
    }

    /// [`Pagination::describe`] with names between `quote` marks: the generated code
    /// writes it in a doc string, with `'`. Written piece by piece into one string: a
    /// spec pages dozens of listings.
    pub fn describe_quoted(&self, quote: char) -> String {
        let mut out = String::with_capacity(96);
        let name = |out: &mut String, name: &str| {
            out.push(quote);
            out.push_str(name);
            out.push(quote);
        };
        let dotted = |out: &mut String, steps: &[FieldStep]| {
            for (index, step) in steps.iter().enumerate() {
                if index > 0 {
                    out.push('.');
                }
                out.push_str(&step.wire_name);
            }
        };
        let path = |out: &mut String, steps: &[FieldStep]| {
            out.push(quote);
            dotted(out, steps);
            out.push(quote);
        };
        let limited = |out: &mut String, limit: &Option<SmolStr>| {
            if let Some(limit) = limit {
                out.push_str(" + ");
                name(out, limit);
            }
        };
        match &self.next {
            NextPage::Cursor {
                param,
                place,
                cursor,
            } => {
                out.push_str(match place {
                    CursorPlace::Query => "cursor: query ",
                    CursorPlace::BodyText | CursorPlace::BodyNumber => "cursor: body field ",
                });
                name(&mut out, param);
                out.push_str(" from ");
                path(&mut out, cursor);
            }
            NextPage::HasMore {
                param,
                has_more,
                id,
            } => {
                out.push_str("has-more: ");
                name(&mut out, param);
                out.push_str(" = last item's ");
                path(&mut out, id);
                out.push_str(" while ");
                path(&mut out, has_more);
            }
            NextPage::Offset { param, limit } => {
                out.push_str("offset: ");
                name(&mut out, param);
                limited(&mut out, limit);
            }
            NextPage::PageNumber { param, limit } => {
                out.push_str("page number: ");
                name(&mut out, param);
                limited(&mut out, limit);
            }
            NextPage::LinkHeader => out.push_str("Link header (rel=\"next\")"),
            NextPage::NextUrl { url } => {
                out.push_str("next URL in ");
                path(&mut out, url);
            }
        }
        out.push_str("; items in ");
        if self.items.is_empty() {
            out.push_str("the response");
        } else {
            // The items' path is written without quotes.
            dotted(&mut out, &self.items);
        }
        out
    }
}

/// Literal text or a parameter in a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text copied as is (most path pieces are short enough for a `SmolStr` to hold inline).
    Literal(SmolStr),
    /// The path parameter at this index of [`Operation::params`].
    Param(usize),
}

/// An operation parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Param {
    /// The name on the wire.
    pub wire_name: SmolStr,
    /// The Rust argument or setter name.
    pub name: SmolStr,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Required parameters are method arguments; optional ones are builder setters.
    pub required: bool,
    /// How a query parameter is written.
    pub style: QueryStyle,
    /// Whether it is sent as its JSON text: the spec describes it by `content` with a JSON
    /// media type (`filter={"name":"Rex"}`) rather than by a `schema` and a style.
    pub as_json: bool,
    /// Its documentation.
    pub docs: Docs,
    /// `deprecated: true` in the spec.
    pub deprecated: bool,
}

/// A required query, header or cookie parameter whose schema allows one value (an `enum`
/// of one, a 3.1 `const`): AWS names each operation in an `X-Amz-Target` header that way.
/// It is sent with that value on every call and is no argument, which would only let a
/// caller pass something the server refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedParam {
    /// The name on the wire.
    pub wire_name: SmolStr,
    /// Where it goes.
    pub location: FixedLocation,
    /// The value, as sent.
    pub value: String,
    /// The spec's description of the parameter.
    pub description: Option<SmolStr>,
}

/// Where a [`FixedParam`] goes: a path parameter stays an argument, its placeholder being
/// part of the path the spec writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixedLocation {
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// How a query parameter is written (OpenAPI `style` + `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryStyle {
    /// `form`.
    Form {
        /// `explode`.
        explode: bool,
    },
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// Its type.
    pub ty: TypeRef,
    /// Required bodies are method arguments; optional ones a `body` setter.
    pub required: bool,
    /// Its description.
    pub docs: Docs,
}

/// A request body in another kind of media type than the operation's [`Operation::body`].
#[derive(Debug, Clone)]
pub struct AlternativeBody {
    /// The method that sends it: on the client (`<method>_<kind>`) for a required body, on
    /// the request builder (`body_<kind>`) for an optional one; the kind is `json`, `form`,
    /// `multipart`, `text` or `bytes`.
    pub method_name: SmolStr,
    /// The body.
    pub body: RequestBody,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON with this media type.
    Json(String),
    /// `application/x-www-form-urlencoded`; `indexed_arrays` for bracketed arrays.
    Form {
        /// Whether arrays and objects use `key[0]` / `key[field]` brackets.
        indexed_arrays: bool,
    },
    /// `multipart/form-data` with these parts.
    Multipart(Vec<MultipartPart>),
    /// `multipart/form-data` whose parts the spec does not list (its schema is no object
    /// with properties): the caller builds them as a `MultipartForm`. The body's `ty` is
    /// bytes, which needs no serde code.
    MultipartForm,
    /// Raw bytes with this media type.
    Bytes(String),
    /// Text with this media type.
    Text(String),
}

/// One part of a multipart body: a field of the body struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartPart {
    /// The part name on the wire.
    pub wire_name: SmolStr,
    /// The struct field it comes from.
    pub field: SmolStr,
    /// Whether the part is a file (bytes) rather than text.
    pub file: bool,
    /// Whether the field is required (else it is an `Option`).
    pub required: bool,
    /// Whether the field is deprecated: the generated code that reads it says it means to.
    pub deprecated: bool,
}

/// What a successful call yields.
#[derive(Debug, Clone)]
pub enum Success {
    /// One body type for every success status.
    One(ResponseBody),
    /// Different bodies for different success statuses: a `Responses` type.
    Several(TypeId),
}

/// A security scheme the client can be given credentials for.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// The key in `securitySchemes`.
    pub name: SmolStr,
    /// The name of the client method that sets its credential (`with_...`).
    pub setter: SmolStr,
    /// How it authenticates.
    pub kind: SecurityKind,
    /// Its description.
    pub docs: Docs,
}

/// A security scheme whose credential is computed from each request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedScheme {
    /// The key in `securitySchemes`.
    pub name: String,
    /// What it is, for docs: "HTTP `oauth`", "AWS Signature Version 4".
    pub kind: String,
}

/// How a security scheme authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityKind {
    /// An API key in a header.
    ApiKeyHeader(String),
    /// An API key in a query parameter.
    ApiKeyQuery(String),
    /// An API key in a cookie.
    ApiKeyCookie(String),
    /// A bearer token (HTTP bearer, and OpenID Connect access tokens).
    Bearer,
    /// HTTP basic.
    Basic,
    /// OAuth2: access tokens sent as bearer tokens, fetched by the flows tether runs.
    OAuth2(OAuth2Flows),
}

/// The OAuth2 flows of a scheme that the client can run itself. Either may be absent (an
/// `implicit` or `password` flow only): the scheme then takes a token or a token source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OAuth2Flows {
    /// `clientCredentials`: tokens for the application itself.
    pub client_credentials: Option<OAuth2Flow>,
    /// `authorizationCode`: a user's tokens, refreshed with the refresh token.
    pub authorization_code: Option<OAuth2Flow>,
}

/// One OAuth2 flow, and the client method that configures it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuth2Flow {
    /// The client method (`with_<scheme>_client_credentials`, `with_<scheme>_tokens`).
    pub setter: SmolStr,
    /// Where tokens are requested (may be relative to the server URL).
    pub token_url: String,
    /// Where tokens are refreshed, when the spec names another URL than `token_url`.
    pub refresh_url: Option<String>,
    /// The scopes the flow lists.
    pub scopes: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::Framing;

    #[test]
    fn streaming_media_types_are_told_by_name_or_by_kubernetes_watch_parameter() {
        let cases = [
            ("text/event-stream", Some(Framing::ServerSentEvents)),
            ("application/x-ndjson", Some(Framing::JsonLines)),
            ("application/json;stream=watch", Some(Framing::JsonLines)),
            (
                "Application/JSON; Stream=\"watch\"",
                Some(Framing::JsonLines),
            ),
            (
                "application/vnd.example+json;stream=watch",
                Some(Framing::JsonLines),
            ),
            ("application/json", None),
            ("application/json;charset=utf-8", None),
            ("application/vnd.kubernetes.protobuf;stream=watch", None),
        ];
        for (media_type, framing) in cases {
            assert_eq!(Framing::of(media_type), framing, "{media_type}");
        }
    }
}
