//! Responses: the raw bytes that arrived, the typed `Response<T>` a caller can ask for,
//! and the decoders generated code picks from.

use std::borrow::Cow;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::DecodeFailure;

/// A response as it arrived: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

/// A successful response: the typed body with the status and headers it came with.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Response {
            status,
            headers,
            body,
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The typed body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The typed body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }
}

/// Responses documented by status: generated response enums implement this to pick the
/// variant for a status.
pub trait FromResponse: Sized + Send + 'static {
    /// The variant for `response`, or `None` when the spec documents nothing for its status.
    fn from_response(response: &RawResponse) -> Option<Result<Self, DecodeFailure>>;
}

/// For operations that document no error responses.
impl FromResponse for std::convert::Infallible {
    fn from_response(_: &RawResponse) -> Option<Result<Self, DecodeFailure>> {
        None
    }
}

/// Decodes a success whose body type depends on the status.
pub fn by_status<T: FromResponse>(response: &RawResponse) -> Result<T, DecodeFailure> {
    T::from_response(response).unwrap_or_else(|| {
        Err(DecodeFailure {
            path: ".".to_owned(),
            message: format!(
                "status {} is not documented for this operation",
                response.status
            ),
        })
    })
}

/// Decodes a JSON body, reporting the path of the first mismatch.
pub fn json<T: DeserializeOwned>(response: &RawResponse) -> Result<T, DecodeFailure> {
    decode_json(&response.body)
}

/// `body` decoded as JSON of type `T`.
pub(crate) fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    // Read as text, checked as UTF-8 once: read as bytes, serde_json checks every string on
    // its own as it reads it, 17.5 % of the instructions decoding the run-time benchmark's
    // list of orders took (`bench/src/bin/calls.rs`, `CALLS_ONLY=tether,decode`). JSON is
    // UTF-8 (RFC 8259); a body that is not has its invalid bytes replaced, as a text body
    // has, rather than failing the call. `from_utf8` checks a word at a time, where
    // `from_utf8_lossy` goes byte by byte: it is only the fallback.
    let text = match std::str::from_utf8(body) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(body),
    };
    // The path is read off the failed body rather than tracked while decoding, which would
    // compile every response type's decoding twice (see `json_path`).
    serde_json::from_str(&text).map_err(|error| DecodeFailure {
        path: crate::json_path::at(text.as_bytes(), error.line(), error.column()),
        message: error.to_string(),
    })
}

/// A text body (lossy for invalid UTF-8, which the provider's `text/*` promises not to send).
pub fn text(response: &RawResponse) -> Result<String, DecodeFailure> {
    Ok(String::from_utf8_lossy(&response.body).into_owned())
}

/// A binary body, as it arrived.
pub fn bytes(response: &RawResponse) -> Result<Bytes, DecodeFailure> {
    Ok(response.body.clone())
}

/// A response documented without a body; whatever arrived is ignored.
pub fn empty(_: &RawResponse) -> Result<(), DecodeFailure> {
    Ok(())
}

/// Splits a tagged union's JSON into the discriminator value and the whole object, which
/// the variant is then decoded from (tag included, as the variant's schema expects).
pub fn tagged<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    property: &str,
) -> Result<(String, serde_json::Value), D::Error> {
    use serde::Deserialize;
    let value = serde_json::Value::deserialize(deserializer)?;
    let tag = match value.get(property) {
        Some(serde_json::Value::String(tag)) => tag.clone(),
        Some(other) => other.to_string(),
        None => {
            return Err(serde::de::Error::custom(format_args!(
                "missing discriminator property `{property}`"
            )))
        }
    };
    Ok((tag, value))
}

/// Decodes one variant of a tagged union from the object [`tagged`] returned. The error
/// names the field inside the variant: the caller's path stops at the union, because the
/// union was buffered to read its tag.
pub fn variant<T: DeserializeOwned, E: serde::de::Error>(value: serde_json::Value) -> Result<T, E> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let inner = error.path().to_string();
        E::custom(format_args!(
            "at `{inner}` in the variant: {}",
            error.into_inner()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::decode_json;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Note {
        id: u32,
        text: String,
    }

    #[test]
    fn a_body_is_decoded_as_text_and_invalid_bytes_are_replaced() {
        let note: Note = decode_json(b"{\"id\": 1, \"text\": \"caf\xc3\xa9\"}").unwrap();
        assert_eq!(note.text, "caf\u{e9}");
        let note: Note = decode_json(b"{\"id\": 2, \"text\": \"caf\xe9\"}").unwrap();
        assert_eq!(note.text, "caf\u{fffd}");
    }

    #[test]
    fn a_mismatch_is_reported_at_its_path_with_or_without_invalid_bytes() {
        for body in [
            &b"{\"text\": \"caf\xe9\", \"id\": \"one\"}"[..],
            br#"{"text": "x", "id": "one"}"#,
        ] {
            let failure = decode_json::<Note>(body).unwrap_err();
            assert_eq!(failure.path, "id", "{}", failure.message);
        }
    }
}
