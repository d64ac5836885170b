//! What a sandbox operation answers: the typed [`Reply`] an implementation returns, and
//! the status, headers and bytes it becomes.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;

use super::routes::RouteInfo;
use crate::event_stream::Framing;

/// The answer of one sandbox operation: the success body, one of the operation's
/// documented error bodies (`E`, with its status), or "not implemented" (`501`).
///
/// ```ignore
/// async fn get_pet_by_id(&self, pet_id: i64) -> Reply<Pet, GetPetByIdError> {
///     match self.pets.get(&pet_id) {
///         Some(pet) => Reply::ok(pet.clone()),
///         None => Reply::error(GetPetByIdError::NotFound(ApiError { code: 404, message: "no such pet".into() })),
///     }
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Reply<T, E> {
    outcome: Outcome<T, E>,
    status: Option<StatusCode>,
    headers: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
enum Outcome<T, E> {
    Success(T),
    Error(E),
    NotImplemented,
}

impl<T, E> Reply<T, E> {
    fn new(outcome: Outcome<T, E>) -> Self {
        Reply {
            outcome,
            status: None,
            headers: Vec::new(),
        }
    }

    /// Success with `body`, sent with the status the spec documents first for success
    /// (or the variant's status, when the operation's successes differ by status).
    pub fn ok(body: T) -> Self {
        Reply::new(Outcome::Success(body))
    }

    /// A documented error: sent with the status of `error`'s variant (`500` for
    /// `default`, `400`/`500` for `4XX`/`5XX`; see [`Reply::with_status`]).
    pub fn error(error: E) -> Self {
        Reply::new(Outcome::Error(error))
    }

    /// `501 Not Implemented`, with a JSON body naming the operation: what every method of
    /// a sandbox trait answers until it is implemented.
    pub fn not_implemented() -> Self {
        Reply::new(Outcome::NotImplemented)
    }

    /// Sends the reply with `status` instead (a `default` error as `409`, say).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds a response header (a `Link` to the next page, a `Retry-After`). A name or
    /// value that is not valid in HTTP turns the reply into a `500` that says so.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

impl<T, E> From<Result<T, E>> for Reply<T, E> {
    fn from(result: Result<T, E>) -> Self {
        match result {
            Ok(body) => Reply::ok(body),
            Err(error) => Reply::error(error),
        }
    }
}

/// A response ready to send.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub(crate) status: Option<StatusCode>,
    pub(crate) headers: HeaderMap,
    pub(crate) content_type: Option<&'static str>,
    pub(crate) body: Bytes,
}

/// How an operation's success body is written.
pub type SuccessEncoder<T> = fn(T) -> Encoded;

impl Encoded {
    fn body(content_type: Option<&'static str>, body: Bytes) -> Encoded {
        Encoded {
            status: None,
            headers: HeaderMap::new(),
            content_type,
            body,
        }
    }

    /// Sends it with `status`, unless it already has one (a body that could not be
    /// written is a `500`).
    pub fn status(mut self, status: u16) -> Encoded {
        if self.status.is_none() {
            self.status = StatusCode::from_u16(status).ok();
        }
        self
    }

    /// A JSON problem body the sandbox answers itself: `{"error", "operation", "message"}`.
    pub(crate) fn problem(
        status: StatusCode,
        error: &str,
        info: &RouteInfo,
        message: &str,
        path: Option<&str>,
    ) -> Encoded {
        let mut body = serde_json::json!({
            "error": error,
            "operation": info.operation,
            "method": info.method.as_str(),
            "path": info.template,
            "message": message,
        });
        if let Some(field) = path {
            body["field"] = serde_json::Value::from(field);
        }
        Encoded::body(Some("application/json"), body.to_string().into()).status(status.as_u16())
    }

    /// A problem of the sandbox itself (no route, a fault), not of an operation.
    pub(crate) fn plain_problem(status: StatusCode, error: &str, message: &str) -> Encoded {
        let body = serde_json::json!({ "error": error, "message": message });
        Encoded::body(Some("application/json"), body.to_string().into()).status(status.as_u16())
    }
}

/// A body written as JSON.
pub fn json<T: Serialize>(body: T) -> Encoded {
    match serde_json::to_vec(&body) {
        Ok(bytes) => Encoded::body(Some("application/json"), bytes.into()),
        Err(error) => unserialisable(&error),
    }
}

/// The `500` of a reply that cannot be written as JSON (a map with keys that are not
/// strings, say).
fn unserialisable(error: &serde_json::Error) -> Encoded {
    Encoded::plain_problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        "unserialisable_reply",
        &format!("the sandbox implementation's reply could not be written as JSON: {error}"),
    )
}

/// The success of an operation whose response the spec documents as a stream of values
/// (server-sent events, JSON lines): the response whole, or the values.
///
/// ```ignore
/// async fn create_completion(&self, body: CompletionRequest) -> Reply<Streamed<Completion, CompletionChunk>, CreateCompletionError> {
///     if body.stream == Some(true) {
///         Reply::ok(Streamed::Values(vec![chunk("Hel"), chunk("lo")]))
///     } else {
///         Reply::ok(Streamed::Whole(Completion { id: "c1".into(), text: "Hello".into() }))
///     }
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Streamed<T, I> {
    /// The response whole, as the operation's other success media type documents it (its
    /// raw bytes when it documents none).
    Whole(T),
    /// The values, sent in one response as the spec frames them: one server-sent event
    /// (`data: …`) or one line of JSON each.
    Values(Vec<I>),
}

/// A streamed success written as `framing` frames it and labelled `media_type`, or whole
/// by `whole`.
pub fn streamed<T, I: Serialize>(
    body: Streamed<T, I>,
    whole: SuccessEncoder<T>,
    framing: Framing,
    media_type: &'static str,
) -> Encoded {
    let values = match body {
        Streamed::Whole(body) => return whole(body),
        Streamed::Values(values) => values,
    };
    let mut framed = Vec::new();
    for value in &values {
        if framing == Framing::ServerSentEvents {
            framed.extend_from_slice(b"data: ");
        }
        if let Err(error) = serde_json::to_writer(&mut framed, value) {
            return unserialisable(&error);
        }
        framed.extend_from_slice(match framing {
            Framing::ServerSentEvents => b"\n\n",
            Framing::JsonLines => b"\n",
        });
    }
    Encoded::body(Some(media_type), framed.into())
}

/// A text body.
pub fn text(body: String) -> Encoded {
    Encoded::body(Some("text/plain; charset=utf-8"), body.into())
}

/// A binary body.
pub fn bytes(body: Bytes) -> Encoded {
    Encoded::body(Some("application/octet-stream"), body)
}

/// No body.
pub fn empty(_: ()) -> Encoded {
    Encoded::body(None, Bytes::new())
}

/// Response enums (an operation's documented errors, or its successes by status) write
/// the variant's body with the variant's status.
pub trait Respond: Send + 'static {
    /// The variant as a response.
    fn respond(self) -> Encoded;
}

impl Respond for std::convert::Infallible {
    fn respond(self) -> Encoded {
        match self {}
    }
}

impl<T, E: Respond> Reply<T, E> {
    /// The response for operation `info`, whose successes are sent with `status` and
    /// written by `encode`.
    pub(crate) fn encode(
        self,
        info: &RouteInfo,
        status: u16,
        encode: SuccessEncoder<T>,
    ) -> Encoded {
        let mut encoded = match self.outcome {
            Outcome::Success(body) => encode(body).status(status),
            Outcome::Error(error) => error.respond().status(500),
            Outcome::NotImplemented => {
                let message = format!(
                    "the sandbox does not implement `{}` ({} {}): implement its method of the sandbox trait",
                    info.operation, info.method, info.template
                );
                return Encoded::problem(
                    StatusCode::NOT_IMPLEMENTED,
                    "not_implemented",
                    info,
                    &message,
                    None,
                );
            }
        };
        if let Some(status) = self.status {
            encoded.status = Some(status);
        }
        for (name, value) in self.headers {
            match (
                HeaderName::try_from(name.as_str()),
                HeaderValue::try_from(value.as_str()),
            ) {
                (Ok(name), Ok(value)) => {
                    encoded.headers.append(name, value);
                }
                _ => {
                    return Encoded::problem(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "invalid_header",
                        info,
                        &format!("the sandbox implementation set header `{name}: {value}`, which is not valid HTTP"),
                        None,
                    )
                }
            }
        }
        encoded
    }
}
