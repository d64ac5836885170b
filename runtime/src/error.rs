//! Errors of a call: what the provider answered, or why no usable answer arrived.

use std::fmt;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, Method, StatusCode};

/// The request an error belongs to: operation, method and URL with secrets removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSummary {
    /// The spec's `operationId` (or the name tether derived for it).
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The URL, with the values of credential query parameters replaced by `***`.
    pub url: String,
}

impl fmt::Display for RequestSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.operation, self.method, self.url)
    }
}

/// Why a call failed. `E` is the operation's documented error body: an enum with one
/// variant per error response the spec lists.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = std::convert::Infallible> {
    /// The provider answered with an error response that the spec documents.
    Api {
        /// The request that failed.
        request: RequestSummary,
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The decoded error body.
        body: E,
    },
    /// The provider answered with a status the spec does not document for this operation.
    UnexpectedStatus {
        /// The request that failed.
        request: RequestSummary,
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The start of the response body, for diagnosis.
        body_excerpt: String,
    },
    /// The response body did not match the type the spec documents.
    Decode {
        /// The request whose response could not be decoded.
        request: RequestSummary,
        /// The response status.
        status: StatusCode,
        /// Where in the body decoding failed, e.g. `results[3].createdAt`.
        path: String,
        /// What the decoder expected.
        message: String,
        /// The start of the response body, for diagnosis.
        body_excerpt: String,
    },
    /// The connection failed or broke before a complete response arrived.
    Transport {
        /// The request that failed.
        request: RequestSummary,
        /// The underlying failure.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// No complete response arrived in time.
    Timeout {
        /// The request that timed out.
        request: RequestSummary,
        /// The time limit that was reached.
        limit: Duration,
    },
    /// The provider asked to be called again later (`Retry-After`, `retry-after-ms`, or a
    /// 429's `RateLimit-Reset` / `X-RateLimit-Reset`) than the client waits: longer than
    /// the retry policy's [`crate::RetryPolicy::max_retry_after`] cap, or past the call's
    /// deadline. Try again at `retry_at`.
    RateLimited {
        /// The request that was refused.
        request: RequestSummary,
        /// The response status (usually 429 or 503).
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The wait the provider asked for, from when its answer arrived.
        retry_after: Duration,
        /// When the provider will take the request again.
        retry_at: SystemTime,
    },
    /// The call failed and was not retried because the client's retry budget is spent:
    /// many recent calls through this client (and its clones) failed, so the provider is
    /// probably down, and retrying every call to its maximum would only add load. Calls
    /// that succeed refill the budget (see [`crate::RetryPolicy`]).
    RetryBudgetExhausted {
        /// The request that failed.
        request: RequestSummary,
        /// The status of the last attempt, when a response arrived.
        status: Option<StatusCode>,
        /// How the last attempt failed: `status 503`, `timed out after 5s`, ...
        last_failure: String,
    },
    /// A listing stopped: a cursor repeated, or a next-page URL points at another origin.
    Pagination {
        /// The operation being paged.
        operation: &'static str,
        /// What happened.
        message: String,
    },
    /// The request was not sent because no access token could be had for a scheme it
    /// needs: the token endpoint refused (a wrong client secret, an expired refresh token)
    /// or could not be reached, or the [`crate::TokenSource`]'s function failed.
    Auth {
        /// The operation that was called.
        operation: &'static str,
        /// The security scheme whose token was missing.
        scheme: &'static str,
        /// Why, without any secret.
        message: String,
    },
    /// The request was not sent because it could not be built: a body that does not
    /// serialise, missing credentials, a next-page URL on another origin.
    InvalidRequest {
        /// The operation that was called.
        operation: &'static str,
        /// What is wrong and what to do.
        message: String,
    },
}

impl<E> Error<E> {
    /// The response status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::RateLimited { status, .. } => Some(*status),
            Error::RetryBudgetExhausted { status, .. } => *status,
            _ => None,
        }
    }

    /// The documented error body, when the provider sent one.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The response headers, when a response arrived and they were kept.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. }
            | Error::UnexpectedStatus { headers, .. }
            | Error::RateLimited { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// How long the provider asked to wait before calling again, when the call failed
    /// because that wait was longer than the client waits ([`Error::RateLimited`]).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }
}

impl Error {
    /// The same error as one of an operation whose error body is `E`. An error without a
    /// body (`E` = `Infallible`) is what the sending code raises before any body is
    /// decoded; it is compiled once, not once per operation.
    pub(crate) fn widen<E>(self) -> Error<E> {
        match self {
            Error::Api { body, .. } => match body {},
            Error::UnexpectedStatus {
                request,
                status,
                headers,
                body_excerpt,
            } => Error::UnexpectedStatus {
                request,
                status,
                headers,
                body_excerpt,
            },
            Error::Decode {
                request,
                status,
                path,
                message,
                body_excerpt,
            } => Error::Decode {
                request,
                status,
                path,
                message,
                body_excerpt,
            },
            Error::Transport { request, source } => Error::Transport { request, source },
            Error::Timeout { request, limit } => Error::Timeout { request, limit },
            Error::RateLimited {
                request,
                status,
                headers,
                retry_after,
                retry_at,
            } => Error::RateLimited {
                request,
                status,
                headers,
                retry_after,
                retry_at,
            },
            Error::RetryBudgetExhausted {
                request,
                status,
                last_failure,
            } => Error::RetryBudgetExhausted {
                request,
                status,
                last_failure,
            },
            Error::Pagination { operation, message } => Error::Pagination { operation, message },
            Error::Auth {
                operation,
                scheme,
                message,
            } => Error::Auth {
                operation,
                scheme,
                message,
            },
            Error::InvalidRequest { operation, message } => {
                Error::InvalidRequest { operation, message }
            }
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                request,
                status,
                body,
                ..
            } => write!(f, "{request} answered {status}: {body:?}"),
            Error::UnexpectedStatus {
                request,
                status,
                body_excerpt,
                ..
            } => write!(
                f,
                "{request} answered {status}, which the spec does not document: {body_excerpt}"
            ),
            Error::Decode {
                request,
                status,
                path,
                message,
                body_excerpt,
            } => write!(
                f,
                "{request} answered {status} with a body that does not match the spec at `{path}`: {message}; body starts with: {body_excerpt}"
            ),
            Error::Transport { request, source } => {
                write!(f, "{request} failed to complete: {source}")
            }
            Error::Timeout { request, limit } => {
                write!(f, "{request} timed out after {limit:?}")
            }
            Error::RateLimited {
                request,
                status,
                retry_after,
                retry_at,
                ..
            } => {
                let at = chrono::DateTime::<chrono::Utc>::from(*retry_at)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                write!(
                    f,
                    "{request} answered {status} and asks to be called again in {}s (at {at}), later than this client waits; retry then",
                    retry_after.as_secs_f64().ceil()
                )
            }
            Error::RetryBudgetExhausted {
                request,
                last_failure,
                ..
            } => write!(
                f,
                "{request} failed ({last_failure}) and was not retried: the client's retry budget is spent because many recent calls failed; the provider is probably unavailable"
            ),
            Error::Auth {
                operation,
                scheme,
                message,
            } => write!(
                f,
                "{operation} was not sent: no access token for `{scheme}`: {message}"
            ),
            Error::InvalidRequest { operation, message } => {
                write!(f, "{operation} was not sent: {message}")
            }
            Error::Pagination { operation, message } => {
                write!(f, "paging through {operation} stopped: {message}")
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// Why a client could not be configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub(crate) String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// A body that did not decode: where and why. Turned into [`Error::Decode`] by the caller,
/// which knows the request and the status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeFailure {
    /// Where in the body decoding failed (`.` when at the top).
    pub path: String,
    /// What the decoder expected.
    pub message: String,
}

/// How much of a body an error message quotes.
const EXCERPT_CHARS: usize = 512;

/// The start of a body as text, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_long_bodies_on_a_char_boundary() {
        let body = "é".repeat(600);
        let cut = excerpt(body.as_bytes());
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
    }

    #[test]
    fn display_names_the_request() {
        let error: Error = Error::Timeout {
            request: RequestSummary {
                operation: "getPetById",
                method: Method::GET,
                url: "http://127.0.0.1/pets/1".into(),
            },
            limit: Duration::from_secs(3),
        };
        assert_eq!(
            error.to_string(),
            "getPetById (GET http://127.0.0.1/pets/1) timed out after 3s"
        );
    }

    #[test]
    fn an_exhausted_retry_budget_says_why_nothing_was_retried() {
        let error: Error = Error::RetryBudgetExhausted {
            request: RequestSummary {
                operation: "getPetById",
                method: Method::GET,
                url: "http://127.0.0.1/pets/1".into(),
            },
            status: Some(StatusCode::SERVICE_UNAVAILABLE),
            last_failure: "status 503".into(),
        };
        assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(
            error.to_string(),
            "getPetById (GET http://127.0.0.1/pets/1) failed (status 503) and was not retried: the client's retry budget is spent because many recent calls failed; the provider is probably unavailable"
        );
    }

    #[test]
    fn rate_limited_says_when_to_retry() {
        let error: Error = Error::RateLimited {
            request: RequestSummary {
                operation: "addPet",
                method: Method::POST,
                url: "http://127.0.0.1/pets".into(),
            },
            status: StatusCode::TOO_MANY_REQUESTS,
            headers: HeaderMap::new(),
            retry_after: Duration::from_secs(120),
            retry_at: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        };
        assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
        assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(
            error.to_string(),
            "addPet (POST http://127.0.0.1/pets) answered 429 Too Many Requests and asks to be called again in 120s (at 2023-11-14T22:13:20Z), later than this client waits; retry then"
        );
    }
}
