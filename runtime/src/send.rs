//! Sending a prepared call: credentials and URL, the attempts (in [`crate::attempts`]),
//! then decoding into the operation's types. This is the only sending code; generated
//! operations all call it.

use std::future::Future;
use std::pin::Pin;

use http::{HeaderName, HeaderValue};

use crate::attempts::{self, Failure, Outgoing};
use crate::auth::{self, Placement};
use crate::call::Call;
use crate::error::{excerpt, Error, RequestSummary};
use crate::response::{FromResponse, RawResponse, Response};

/// The future of a call: awaited, it yields the decoded success or the typed error.
pub type ResponseFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, Error<E>>> + Send>>;

/// Sends `call` and keeps the status and headers with the decoded body.
pub fn send<T: Send + 'static, E: FromResponse>(
    call: Call<T, E>,
) -> ResponseFuture<Response<T>, E> {
    Box::pin(complete(call))
}

/// Sends `call` and yields only the decoded body.
pub fn send_body<T: Send + 'static, E: FromResponse>(call: Call<T, E>) -> ResponseFuture<T, E> {
    Box::pin(async move { complete(call).await.map(Response::into_body) })
}

pub(crate) async fn complete<T, E: FromResponse>(
    call: Call<T, E>,
) -> Result<Response<T>, Error<E>> {
    let decode_success = call.decode_success;
    let (request, raw) = exchange(call).await?;
    if raw.status.is_success() {
        return match decode_success(&raw) {
            Ok(body) => Ok(Response::new(raw.status, raw.headers, body)),
            Err(failure) => Err(decode_error(request, &raw, failure)),
        };
    }
    match E::from_response(&raw) {
        Some(Ok(body)) => Err(Error::Api {
            request,
            status: raw.status,
            headers: raw.headers,
            body,
        }),
        Some(Err(failure)) => Err(decode_error(request, &raw, failure)),
        None => Err(Error::UnexpectedStatus {
            request,
            status: raw.status,
            body_excerpt: excerpt(&raw.body),
            headers: raw.headers,
        }),
    }
}

fn decode_error<E>(
    request: RequestSummary,
    raw: &RawResponse,
    failure: crate::DecodeFailure,
) -> Error<E> {
    Error::Decode {
        request,
        status: raw.status,
        path: failure.path,
        message: failure.message,
        body_excerpt: excerpt(&raw.body),
    }
}

/// The credentials for `call`: the first alternative of its security requirements whose
/// schemes all have a credential configured.
fn credentials_for<T, E>(call: &Call<T, E>) -> Result<Vec<Placement>, String> {
    if call.security.is_empty() {
        return Ok(Vec::new());
    }
    'alternatives: for alternative in call.security {
        let mut placements = Vec::with_capacity(alternative.len());
        for scheme_name in *alternative {
            let (Some(scheme), Some(credential)) = (
                call.client.scheme(scheme_name),
                call.client.credential(scheme_name),
            ) else {
                continue 'alternatives;
            };
            placements.push(auth::placement(scheme, credential)?);
        }
        return Ok(placements);
    }
    let wanted: Vec<String> = call
        .security
        .iter()
        .map(|alternative| alternative.join(" + "))
        .collect();
    Err(format!(
        "it needs credentials for {} and none are configured; set them on the client (`with_*` methods)",
        wanted.join(" or ")
    ))
}

/// Sends the attempts of one call until one is final, and returns its response.
async fn exchange<T, E>(call: Call<T, E>) -> Result<(RequestSummary, RawResponse), Error<E>> {
    let invalid = |message: String| Error::InvalidRequest {
        operation: call.operation,
        message,
    };
    if let Some(message) = &call.invalid {
        return Err(invalid(message.clone()));
    }
    let placements = credentials_for(&call).map_err(invalid)?;

    // A next-page URL carries its own query; credentials in the query are added to either.
    let own_query = if call.url_override.is_some() {
        String::new()
    } else {
        call.query.clone()
    };
    let mut query = own_query.clone();
    let mut shown_query = own_query;
    let mut headers = http::HeaderMap::new();
    for (name, value) in &call.headers {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| invalid(format!("`{name}` is not a valid header name")))?;
        let value = HeaderValue::from_str(value).map_err(|_| {
            invalid(format!(
                "the value of header `{name}` is not valid header text"
            ))
        })?;
        headers.insert(name, value);
    }
    for placement in placements {
        match placement {
            Placement::Header(name, value) => {
                headers.insert(name, value);
            }
            Placement::Query(name, value) => {
                let style = crate::QueryStyle::Form { explode: true };
                crate::params::append_query(&mut query, name, &value.into(), style);
                crate::params::append_query(&mut shown_query, name, &"***".into(), style);
            }
        }
    }
    let with_query = |query: &str| {
        let base = match &call.url_override {
            Some(url) => url.clone(),
            None => format!("{}{}", call.client.base_url(), call.path),
        };
        let separator = if base.contains('?') { '&' } else { '?' };
        if query.is_empty() {
            base
        } else {
            format!("{base}{separator}{query}")
        }
    };
    let url = with_query(&query);
    let request = RequestSummary {
        operation: call.operation,
        method: call.method.clone(),
        url: with_query(&shown_query),
    };

    let outgoing = Outgoing {
        client: &call.client,
        request: &request,
        url: &url,
        headers,
        body: call.body.as_ref(),
        options: &call.options,
        idempotency_header: call.idempotency_header,
        reads_only: call.reads_only,
    };
    match attempts::run(outgoing).await {
        Ok(raw) => Ok((request, raw)),
        Err(failure) => Err(failure_error(request, failure)),
    }
}

/// The typed error for a call whose attempts ended without a usable response.
fn failure_error<E>(request: RequestSummary, failure: Failure) -> Error<E> {
    match failure {
        Failure::Timeout(limit) => Error::Timeout { request, limit },
        Failure::Transport(source) => Error::Transport {
            request,
            source: Box::new(source),
        },
        Failure::RateLimited(refusal) => Error::RateLimited {
            request,
            status: refusal.status,
            headers: refusal.headers,
            retry_after: refusal.retry_after,
            retry_at: refusal.retry_at,
        },
        Failure::Invalid(message) => Error::InvalidRequest {
            operation: request.operation,
            message,
        },
    }
}
