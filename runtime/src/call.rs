//! One call being prepared: generated request builders wrap a `Call` and describe their
//! request through it (path, parameters, body), then hand it to [`crate::send`].

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

use bytes::Bytes;
use http::Method;
use serde::Serialize;

use crate::client::HttpClient;
use crate::error::DecodeFailure;
use crate::error_when::ErrorWhen;
use crate::multipart::{MultipartForm, PartContent};
use crate::params::{self, QueryStyle};
use crate::response::RawResponse;
use crate::{RetryPolicy, Secret};

/// Settings that override the client's for one call.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) call_timeout: Option<Duration>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) headers: Vec<(String, Secret)>,
}

/// No overrides: what a call has unless it is given options. A static: a constant that
/// holds a `Vec` is not promoted to one, so a reference to it could not be returned.
static NO_OPTIONS: CallOptions = CallOptions {
    timeout: None,
    retry: None,
    call_timeout: None,
    idempotency_key: None,
    headers: Vec::new(),
};

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// The longest one attempt of this call may take.
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = Some(limit);
        self
    }

    /// The retry policy for this call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The longest the whole call may take: every attempt and every wait between them.
    pub fn call_timeout(mut self, limit: Duration) -> Self {
        self.call_timeout = Some(limit);
        self
    }

    /// Sends `key` as the call's idempotency key (in the header the operation declares,
    /// else `Idempotency-Key`), the same on every attempt. With a key, a `POST` or `PATCH`
    /// is retried like a `GET`: the provider applies a key's write only once.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Sends the header `name: value` with this call, over one of the same name that the
    /// client ([`ClientConfig::header`](crate::ClientConfig::header)) or the operation's
    /// own parameters set; credentials still go over it. A name or value that is not valid
    /// header text makes the call fail with `Error::InvalidRequest`. The value is hidden
    /// from `Debug`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), Secret::new(value)));
        self
    }

    /// The longest one attempt may take: this call's limit, else the client's.
    pub(crate) fn attempt_limit(&self, client: &HttpClient) -> Option<Duration> {
        self.timeout.or(client.attempt_timeout())
    }
}

/// Room made for a JSON body before it is written: most request bodies fit, where
/// `serde_json::to_vec` starts at 128 bytes and grows by copying.
const JSON_BODY_ROOM: usize = 512;

/// A request body, kept as data so that every attempt can rebuild it.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Bytes {
        content_type: &'static str,
        bytes: Bytes,
    },
    Multipart(MultipartForm),
}

/// Decodes a successful response into the operation's output type.
pub type SuccessDecoder<T> = fn(&RawResponse) -> Result<T, DecodeFailure>;

/// The request one operation call will send: everything generated code said about it.
///
/// The request itself is a `Request`, which `Call` dereferences to: its methods and the
/// sending code are compiled once, in this crate, not once per operation's output and error
/// types. Only decoding the response is particular to the operation. It is boxed: a
/// request builder is moved by every setter, and the call's future holds it, so one
/// allocation saves copying it at each of those steps.
pub struct Call<T, E> {
    request: Box<Request>,
    pub(crate) decode_success: SuccessDecoder<T>,
    error_body: PhantomData<fn() -> E>,
}

/// The request of a [`Call`]: path, parameters, body, security and options.
#[derive(Clone)]
pub struct Request {
    pub(crate) client: HttpClient,
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// The path template's text itself while the path has no parameter (most calls'
    /// paths), written out only when a parameter joins it.
    pub(crate) path: Cow<'static, str>,
    pub(crate) query: String,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Body>,
    pub(crate) security: &'static [&'static [&'static str]],
    /// Boxed, as the error rule: few calls have them, and every call's request carries
    /// whatever room it leaves for them.
    options: Option<Box<CallOptions>>,
    /// The first thing that made the request impossible to build, reported when sent.
    pub(crate) invalid: Option<String>,
    /// A full URL that replaces base URL, path and query (a next-page link).
    pub(crate) url_override: Option<String>,
    /// Where a paginated call starts, when resumed from a saved cursor.
    pub(crate) start: Option<crate::paging::Cursor>,
    /// The header the operation declares for an idempotency key.
    pub(crate) idempotency_header: Option<&'static str>,
    /// The request only reads, whatever its method (a search sent as `POST`): it may be
    /// sent again like a `GET`.
    pub(crate) reads_only: bool,
    /// A success's body is left unread, to be streamed ([`crate::ByteStream`]).
    pub(crate) streams_success: bool,
    /// When a success status still reports a failure (`x-tether-error-when`).
    pub(crate) error_when: Option<Box<ErrorWhen>>,
}

impl<T, E> Clone for Call<T, E> {
    fn clone(&self) -> Self {
        Call {
            request: self.request.clone(),
            decode_success: self.decode_success,
            error_body: PhantomData,
        }
    }
}

impl<T, E> Deref for Call<T, E> {
    type Target = Request;

    fn deref(&self) -> &Request {
        &self.request
    }
}

impl<T, E> DerefMut for Call<T, E> {
    fn deref_mut(&mut self) -> &mut Request {
        &mut self.request
    }
}

impl<T, E> Call<T, E> {
    /// Starts a call of `operation` (the spec's operation id).
    pub fn new(
        client: &HttpClient,
        method: Method,
        operation: &'static str,
        decode_success: SuccessDecoder<T>,
    ) -> Self {
        let request = Request {
            client: client.clone(),
            operation,
            method,
            path: Cow::Borrowed(""),
            query: String::new(),
            headers: Vec::new(),
            body: None,
            security: &[],
            options: None,
            invalid: None,
            url_override: None,
            start: None,
            idempotency_header: None,
            reads_only: false,
            streams_success: false,
            error_when: None,
        };
        Call {
            request: Box::new(request),
            decode_success,
            error_body: PhantomData,
        }
    }

    /// Starts a call whose method `http::Method` has no constant for (OpenAPI 3.2's
    /// `QUERY`, or an `additionalOperations` method such as `COPY`). A name that is not
    /// an HTTP method makes the call fail when sent, as `InvalidRequest`.
    pub fn with_method_name(
        client: &HttpClient,
        method: &'static str,
        operation: &'static str,
        decode_success: SuccessDecoder<T>,
    ) -> Self {
        match Method::from_bytes(method.as_bytes()) {
            Ok(parsed) => Call::new(client, parsed, operation, decode_success),
            Err(_) => {
                let mut call = Call::new(client, Method::GET, operation, decode_success);
                call.invalid = Some(format!("`{method}` is not an HTTP method name"));
                call
            }
        }
    }

    /// The request, and how its successful response is decoded.
    pub(crate) fn into_parts(self) -> (Box<Request>, SuccessDecoder<T>) {
        (self.request, self.decode_success)
    }
}

impl Request {
    fn serialize_param<V: Serialize + ?Sized>(
        &mut self,
        what: &str,
        value: &V,
    ) -> Option<serde_json::Value> {
        match serde_json::to_value(value) {
            Ok(value) => Some(value),
            Err(error) => {
                self.refuse_param(what, &error);
                None
            }
        }
    }

    /// Refuses the call: parameter `what` could not be serialised.
    fn refuse_param(&mut self, what: &str, error: &serde_json::Error) {
        self.invalid
            .get_or_insert_with(|| format!("{what} could not be serialised: {error}"));
    }

    /// Sends the call to `server`, the operation's own in the spec, while the client's base
    /// URL is still the spec's `default` one; a client given another base URL (a sandbox, a
    /// proxy) keeps it for this operation too.
    pub fn own_server(&mut self, default: &str, server: &str) {
        if self.client.base_url() != default.trim_end_matches('/') {
            return;
        }
        match self.client.with_base_url(server) {
            Ok(client) => self.client = client,
            Err(error) => {
                self.invalid
                    .get_or_insert_with(|| format!("the operation's own server: {error}"));
            }
        }
    }

    /// Appends literal text of the path template.
    pub fn path(&mut self, literal: &'static str) {
        if self.path.is_empty() {
            self.path = Cow::Borrowed(literal);
        } else {
            self.path.to_mut().push_str(literal);
        }
    }

    /// Appends a path parameter, percent-encoded.
    pub fn path_param<V: Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        if let Some(value) = self.serialize_param(name, value) {
            let start = self.path.len();
            self.path.to_mut().push_str(&params::path_segment(&value));
            self.check_segment(name, start);
        }
    }

    /// Appends a path parameter written as its `Display` (a string, an integer, a boolean
    /// or an enum's `as_str()` or `as_i64()`), percent-encoded: what most parameters are, written
    /// without a `serde_json::Value` on the way.
    pub fn path_text(&mut self, name: &str, value: &dyn fmt::Display) {
        let start = self.path.len();
        params::write_escaped(self.path.to_mut(), value, params::PATH_SEGMENT);
        self.check_segment(name, start);
    }

    /// Reports a path parameter written from `start` that would lead elsewhere: URL
    /// parsing drops `.` and `..` segments (even percent-encoded ones), and an empty
    /// segment names another resource.
    fn check_segment(&mut self, name: &str, start: usize) {
        let segment = &self.path[start..];
        if matches!(segment, "" | "." | "..") {
            self.invalid.get_or_insert_with(|| {
                format!(
                    "path parameter `{name}` is `{segment}`, which is not a usable path segment"
                )
            });
        }
    }

    /// Adds a query parameter written in `style`.
    pub fn query<V: Serialize + ?Sized>(&mut self, name: &str, value: &V, style: QueryStyle) {
        if let Some(value) = self.serialize_param(name, value) {
            params::append_query(&mut self.query, name, &value, style);
        }
    }

    /// Adds a query parameter written as its `Display`; see [`Request::path_text`]. Every
    /// style writes a scalar the same way: `name=value`.
    pub fn query_text(&mut self, name: &str, value: &dyn fmt::Display) {
        params::append_query_text(&mut self.query, name, value);
    }

    /// The JSON text of a parameter the spec describes by a JSON media type (`content:
    /// {application/json: ...}`), to be sent as that parameter's text. `None`, with the
    /// call refused, for a value serde cannot write as JSON.
    pub fn json_text<V: Serialize + ?Sized>(&mut self, name: &str, value: &V) -> Option<String> {
        match serde_json::to_string(value) {
            Ok(text) => Some(text),
            Err(error) => {
                self.refuse_param(name, &error);
                None
            }
        }
    }

    /// Adds a header parameter.
    pub fn header<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) {
        if let Some(value) = self.serialize_param(name, value) {
            if !value.is_null() {
                self.set_header(name, params::header_text(&value));
            }
        }
    }

    /// Adds a header parameter written as its `Display`; see [`Request::path_text`].
    pub fn header_text(&mut self, name: &'static str, value: &dyn fmt::Display) {
        self.set_header(name, value.to_string());
    }

    fn set_header(&mut self, name: &'static str, value: String) {
        self.headers.retain(|(existing, _)| *existing != name);
        self.headers.push((name, value));
    }

    /// Adds a cookie parameter to the `Cookie` header.
    pub fn cookie<V: Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        if let Some(value) = self.serialize_param(name, value) {
            if value.is_null() {
                return;
            }
            let pair = format!("{name}={}", params::header_text(&value));
            match self
                .headers
                .iter_mut()
                .find(|(existing, _)| *existing == "cookie")
            {
                Some((_, cookies)) => {
                    cookies.push_str("; ");
                    cookies.push_str(&pair);
                }
                None => self.headers.push(("cookie", pair)),
            }
        }
    }

    /// Sends `body` as JSON with the given media type (`application/json` or a `+json` type).
    pub fn json_body<B: Serialize + ?Sized>(&mut self, content_type: &'static str, body: &B) {
        let mut bytes = Vec::with_capacity(JSON_BODY_ROOM);
        match serde_json::to_writer(&mut bytes, body) {
            Ok(()) => {
                self.body = Some(Body::Bytes {
                    content_type,
                    bytes: bytes.into(),
                })
            }
            Err(error) => {
                self.invalid
                    .get_or_insert_with(|| format!("the body could not be serialised: {error}"));
            }
        }
    }

    /// Sends `body` as `application/x-www-form-urlencoded`; see [`params::form_body`].
    pub fn form_body<B: Serialize + ?Sized>(&mut self, body: &B, indexed_arrays: bool) {
        if let Some(value) = self.serialize_param("the body", body) {
            let encoded = params::form_body(&value, indexed_arrays);
            self.body = Some(Body::Bytes {
                content_type: "application/x-www-form-urlencoded",
                bytes: encoded.into(),
            });
        }
    }

    /// Sends raw bytes with the given media type.
    pub fn bytes_body(&mut self, content_type: &'static str, body: impl Into<Bytes>) {
        self.body = Some(Body::Bytes {
            content_type,
            bytes: body.into(),
        });
    }

    fn multipart_parts(&mut self) -> &mut MultipartForm {
        if !matches!(self.body, Some(Body::Multipart(_))) {
            self.body = Some(Body::Multipart(MultipartForm::new()));
        }
        match &mut self.body {
            Some(Body::Multipart(form)) => form,
            _ => unreachable!("the body was made multipart just above"),
        }
    }

    /// Adds a text field to a `multipart/form-data` body; JSON values other than strings
    /// are written as JSON text, `null` is left out.
    pub fn multipart_field<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) {
        let Some(value) = self.serialize_param(name, value) else {
            return;
        };
        let text = match value {
            serde_json::Value::Null => return,
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        };
        self.multipart_parts()
            .push(Cow::Borrowed(name), PartContent::Text(text));
    }

    /// Adds a file field to a `multipart/form-data` body.
    pub fn multipart_file(&mut self, name: &'static str, content: impl Into<Bytes>) {
        let content = PartContent::File(content.into());
        self.multipart_parts().push(Cow::Borrowed(name), content);
    }

    /// Sends `form` as the `multipart/form-data` body, for an operation whose spec does
    /// not list the parts.
    pub fn multipart_form(&mut self, form: MultipartForm) {
        self.body = Some(Body::Multipart(form));
    }

    /// The security requirements of the operation: alternatives, each a set of scheme
    /// names that must all be satisfied. Empty means no credentials are sent.
    pub fn security(&mut self, requirements: &'static [&'static [&'static str]]) {
        self.security = requirements;
    }

    /// Makes a paginated call start at `cursor`, saved from an earlier page.
    pub fn resume_from(&mut self, cursor: crate::paging::Cursor) {
        self.start = Some(cursor);
    }

    /// Marks `name` as the operation's idempotency-key header: a `POST` or `PATCH` call
    /// without a key of the caller's gets a new one, sent on every attempt, so that it can
    /// be retried without being applied twice.
    pub fn idempotency_header(&mut self, name: &'static str) {
        self.idempotency_header = Some(name);
    }

    /// Makes a success response whose top-level JSON `property` equals `equals` (JSON
    /// text, such as `false`) a failure: it is decoded as the error type, by its status.
    pub fn error_when(&mut self, property: &'static str, equals: &str) {
        match ErrorWhen::new(property, equals) {
            Ok(rule) => self.error_when = Some(Box::new(rule)),
            Err(message) => {
                self.invalid.get_or_insert(message);
            }
        }
    }

    /// Overrides the client's settings for this call.
    pub fn options(&mut self, options: CallOptions) {
        self.options = Some(Box::new(options));
    }

    /// The call's own settings ([`CallOptions::new`] when it has none).
    pub(crate) fn call_options(&self) -> &CallOptions {
        self.options.as_deref().unwrap_or(&NO_OPTIONS)
    }
}
