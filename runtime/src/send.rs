//! Sending a prepared call: credentials, attempts with retries, then decoding into the
//! operation's types. This is the only sending code; generated operations all call it.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use http::{HeaderName, HeaderValue, Method, StatusCode};

use crate::auth::{self, Placement};
use crate::call::{Body, Call, MultipartContent};
use crate::error::{excerpt, Error, RequestSummary};
use crate::response::{FromResponse, RawResponse, Response};
use crate::retry;

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

async fn complete<T, E: FromResponse>(call: Call<T, E>) -> Result<Response<T>, Error<E>> {
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

/// Methods whose repetition has the same effect as one call (RFC 9110, section 9.2.2).
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
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

    let mut query = call.query.clone();
    let mut shown_query = call.query.clone();
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
        let base = format!("{}{}", call.client.base_url(), call.path);
        if query.is_empty() {
            base
        } else {
            format!("{base}?{query}")
        }
    };
    let url = with_query(&query);
    let request = RequestSummary {
        operation: call.operation,
        method: call.method.clone(),
        url: with_query(&shown_query),
    };

    let policy = call
        .options
        .retry
        .clone()
        .unwrap_or_else(|| call.client.retry_policy().clone());
    let timeout = call.options.timeout.or(call.client.attempt_timeout());
    let replayable = is_idempotent(&call.method);
    let mut retries = 0;
    loop {
        let mut builder = call
            .client
            .http()
            .request(call.method.clone(), &url)
            .headers(headers.clone());
        if retries > 0 {
            builder = builder.header("retry-count", retries.to_string());
        }
        builder = attach_body(builder, call.body.as_ref());
        let attempt = attempt(builder, timeout);
        let may_retry = retries < policy.max_retries;
        let wait = match attempt.await {
            Ok(raw) => {
                let retryable = retry::is_retryable_status(raw.status, &raw.headers);
                if !(may_retry && replayable && retryable) {
                    return Ok((request, raw));
                }
                let wait = retry::server_hint(&raw.headers)
                    .unwrap_or_else(|| policy.backoff_for(retries + 1));
                if wait > policy.max_retry_after {
                    return Ok((request, raw));
                }
                tracing::debug!(
                    operation = call.operation,
                    status = raw.status.as_u16(),
                    retry = retries + 1,
                    wait_ms = wait.as_millis() as u64,
                    "retrying after a retryable status"
                );
                wait
            }
            Err(AttemptFailure::TimedOut(limit)) => {
                if !(may_retry && replayable) {
                    return Err(Error::Timeout { request, limit });
                }
                policy.backoff_for(retries + 1)
            }
            Err(AttemptFailure::Transport(error)) => {
                // A connection that never opened sent nothing, so even a POST may be retried.
                if !(may_retry && (replayable || error.is_connect())) {
                    return Err(Error::Transport {
                        request,
                        source: Box::new(error.without_url()),
                    });
                }
                policy.backoff_for(retries + 1)
            }
        };
        retries += 1;
        tokio::time::sleep(wait).await;
    }
}

enum AttemptFailure {
    TimedOut(Duration),
    Transport(reqwest::Error),
}

/// One attempt: send and read the whole body within the time limit.
async fn attempt(
    builder: reqwest::RequestBuilder,
    timeout: Option<Duration>,
) -> Result<RawResponse, AttemptFailure> {
    let exchange = async {
        let response = builder.send().await?;
        let status = StatusCode::from_u16(response.status().as_u16())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        Ok::<_, reqwest::Error>(RawResponse {
            status,
            headers,
            body,
        })
    };
    let outcome = match timeout {
        Some(limit) => tokio::time::timeout(limit, exchange)
            .await
            .map_err(|_| AttemptFailure::TimedOut(limit))?,
        None => exchange.await,
    };
    outcome.map_err(AttemptFailure::Transport)
}

fn attach_body(builder: reqwest::RequestBuilder, body: Option<&Body>) -> reqwest::RequestBuilder {
    match body {
        None => builder,
        Some(Body::Bytes {
            content_type,
            bytes,
        }) => builder
            .header(http::header::CONTENT_TYPE, *content_type)
            .body(bytes.clone()),
        Some(Body::Multipart(parts)) => {
            let form = parts
                .iter()
                .fold(reqwest::multipart::Form::new(), |form, part| {
                    match &part.content {
                        MultipartContent::Text(text) => form.text(part.name, text.clone()),
                        MultipartContent::File(bytes) => form.part(
                            part.name,
                            reqwest::multipart::Part::stream(reqwest::Body::from(bytes.clone()))
                                .file_name(part.name),
                        ),
                    }
                });
            builder.multipart(form)
        }
    }
}
