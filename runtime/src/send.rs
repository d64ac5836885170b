//! Sending a prepared call: credentials and URL, the attempts (in [`crate::attempts`]), a
//! new token after a `401`, redirects to other origins, then decoding into the
//! operation's types. This is the only sending code; generated operations all call it.

use std::future::Future;
use std::pin::Pin;

use http::header::{COOKIE, LOCATION};
use http::{HeaderValue, Method, StatusCode};
use reqwest::Url;
use serde::de::DeserializeOwned;

use crate::attempts::{self, Answer, AttemptHeaders, Failure, Outgoing};
use crate::auth::{self, ApiKeyLocation, Credential, Placement, SecurityScheme};
use crate::body_stream::{ByteStream, ByteStreamFuture};
use crate::call::{Body, Call, Request};
use crate::client::MAX_REDIRECTS;
use crate::error::{excerpt, Error, RequestSummary};
use crate::event_stream::{EventStream, EventStreamFuture, Framing};
use crate::header_text;
use crate::origin;
use crate::response::{FromResponse, RawResponse, Response};
use crate::target::Target;
use crate::token::{Lease, TokenSource};

/// The future of a call: awaited, it yields the decoded success or the typed error.
pub type ResponseFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, Error<E>>> + Send>>;

/// Sends `call` and keeps the status and headers with the decoded body.
pub fn send<T: Send + 'static, E: FromResponse>(
    call: Call<T, E>,
) -> ResponseFuture<Response<T>, E> {
    Box::pin(complete(call, std::convert::identity))
}

/// Sends `call` and yields only the decoded body.
pub fn send_body<T: Send + 'static, E: FromResponse>(call: Call<T, E>) -> ResponseFuture<T, E> {
    // `finish` rather than an `async` block around the call's future: one state machine
    // less to go through each time the call is polled.
    Box::pin(complete(call, Response::into_body))
}

/// Sends `call` and hands back a success's body unread, to be read as it arrives.
pub fn send_stream<T, E: FromResponse>(call: Call<T, E>) -> ByteStreamFuture<E> {
    let (mut request, _) = call.into_parts();
    request.streams_success = true;
    Box::pin(stream(request))
}

/// Sends `call` and reads a success's body as a stream of values of `T`, framed as
/// `framing` says (and asked for in `Accept`).
pub fn send_events<T, O, E>(
    call: Call<O, E>,
    framing: Framing,
    media_type: &'static str,
) -> EventStreamFuture<T, E>
where
    T: DeserializeOwned + Send + 'static,
    E: FromResponse,
{
    let (mut request, _) = call.into_parts();
    request.streams_success = true;
    request.headers.push(("accept", media_type.to_owned()));
    Box::pin(async move {
        let body = stream(request).await?;
        Ok(EventStream::new(body, framing, media_type))
    })
}

async fn stream<E: FromResponse>(request: Box<Request>) -> Result<ByteStream, Error<E>> {
    let idle_limit = request.call_options().attempt_limit(&request.client);
    let (target, answer) = exchange(request).await.map_err(Error::widen)?;
    match answer.unread {
        Some(body) => Ok(ByteStream::new(
            target.summary(),
            answer.raw,
            *body,
            idle_limit,
        )),
        None => Err(failure(target.summary(), answer.raw)),
    }
}

/// Sends `call`; a success is decoded and handed to `finish`.
pub(crate) async fn complete<T, E: FromResponse, O>(
    call: Call<T, E>,
    finish: fn(Response<T>) -> O,
) -> Result<O, Error<E>> {
    let (mut outgoing, decode_success) = call.into_parts();
    let error_when = outgoing.error_when.take();
    let (target, answer) = exchange(outgoing).await.map_err(Error::widen)?;
    let raw = answer.raw;
    let reports_failure = error_when.is_some_and(|rule| rule.matches(&raw.body));
    if raw.status.is_success() && !reports_failure {
        return match decode_success(&raw) {
            Ok(body) => Ok(finish(Response::new(raw.status, raw.headers, body))),
            Err(failure) => Err(decode_error(target.summary(), &raw, failure)),
        };
    }
    Err(failure(target.summary(), raw))
}

/// The typed error for a response that reports a failure.
fn failure<E: FromResponse>(request: RequestSummary, raw: RawResponse) -> Error<E> {
    match E::from_response(&raw) {
        Some(Ok(body)) => Error::Api {
            request,
            status: raw.status,
            headers: raw.headers,
            body,
        },
        Some(Err(failure)) => decode_error(request, &raw, failure),
        None => Error::UnexpectedStatus {
            request,
            status: raw.status,
            body_excerpt: excerpt(&raw.body),
            headers: raw.headers,
        },
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

/// The credentials one request of a call carries, and the fetched tokens among them: a
/// `401` replaces those once.
#[derive(Default)]
struct Credentials {
    placements: Vec<Placement>,
    leases: Vec<(TokenSource, Lease)>,
}

/// The credentials for `call`, placed. `None` when one of them is a token to fetch:
/// [`fetched_credentials`] then makes them all. Most calls fetch nothing, and their future
/// need not hold a fetch's.
fn given_credentials(call: &Request) -> Result<Option<Credentials>, String> {
    let mut credentials = Credentials::default();
    for (scheme, credential) in chosen_credentials(call)? {
        if matches!(credential, Credential::Source(_)) {
            return Ok(None);
        }
        credentials
            .placements
            .push(auth::placement(scheme, credential)?);
    }
    Ok(Some(credentials))
}

/// The credentials for `call`, placed, with tokens fetched where they are.
async fn fetched_credentials(call: &Request) -> Result<Credentials, Error> {
    let mut credentials = Credentials::default();
    let invalid = |message| Error::InvalidRequest {
        operation: call.operation,
        message,
    };
    for (scheme, credential) in chosen_credentials(call).map_err(invalid)? {
        let placement = match credential {
            Credential::Source(source) => {
                let lease =
                    source
                        .token(&call.client.token_context())
                        .await
                        .map_err(|message| Error::Auth {
                            operation: call.operation,
                            scheme: scheme.name,
                            message,
                        })?;
                let placement = auth::placement(scheme, &Credential::Token(lease.secret.clone()))
                    .map_err(invalid)?;
                credentials.leases.push((source.clone(), lease));
                placement
            }
            given => auth::placement(scheme, given).map_err(invalid)?,
        };
        credentials.placements.push(placement);
    }
    Ok(credentials)
}

/// The schemes of the first alternative of `call`'s security requirements that the client
/// has credentials for all of, with those credentials; none for a call that needs none.
fn chosen_credentials(
    call: &Request,
) -> Result<impl Iterator<Item = (&'static SecurityScheme, &Credential)>, String> {
    let client = &call.client;
    let configured = |name: &str| Some((client.scheme(name)?, client.credential(name)?));
    let alternative = match call.security {
        [] => &[][..],
        alternatives => alternatives
            .iter()
            .copied()
            .find(|alternative| alternative.iter().all(|name| configured(name).is_some()))
            .ok_or_else(|| missing_credentials(call))?,
    };
    Ok(alternative.iter().filter_map(move |name| configured(name)))
}

/// The error for a call none of whose security requirements the client has credentials
/// for. Out of line, and cold: the code of every call's future stays smaller without it.
#[cold]
#[inline(never)]
fn missing_credentials(call: &Request) -> String {
    let wanted: Vec<String> = call
        .security
        .iter()
        .map(|alternative| alternative.join(" + "))
        .collect();
    format!(
        "it needs credentials for {} and none are configured; set them on the client (`with_*` methods)",
        wanted.join(" or ")
    )
}

/// The call's own headers (its header and cookie parameters); for another origin, without
/// cookies and without any header that may carry a credential, even when the operation
/// declares it as a parameter (`Authorization`, or an API key's header).
fn own_headers(call: &Request, other_origin: bool) -> Result<http::HeaderMap, String> {
    let mut headers = http::HeaderMap::with_capacity(call.headers.len());
    if call.headers.is_empty() {
        return Ok(headers);
    }
    let key_headers = call.client.key_names(ApiKeyLocation::Header);
    let credential_header = |name: &str| {
        ["authorization", "proxy-authorization", "cookie"]
            .iter()
            .chain(&key_headers)
            .any(|credential| name.eq_ignore_ascii_case(credential))
    };
    for (name, value) in &call.headers {
        if other_origin && credential_header(name) {
            continue;
        }
        let (name, value) = header_text::header(name, value)?;
        headers.insert(name, value);
    }
    Ok(headers)
}

/// The headers of `call` with the credentials among `placements`. Made again for each
/// retry rather than copied for every attempt: most calls have one.
fn request_headers(call: &Request, placements: &[Placement]) -> Result<http::HeaderMap, String> {
    let mut headers = own_headers(call, false)?;
    // The client's headers where the operation sets none of its own, then the call's over
    // both; credentials go over all of them.
    for (name, value) in call.client.headers() {
        if !headers.contains_key(name) {
            headers.insert(name.clone(), value.clone());
        }
    }
    for (name, value) in &call.call_options().headers {
        let (name, value) = header_text::given_header(name, value.expose())?;
        headers.insert(name, value);
    }
    for placement in placements {
        match placement {
            Placement::Header(name, value) => {
                headers.insert(name.clone(), value.clone());
            }
            Placement::Cookie(pair) => {
                let value = match headers.get(COOKIE) {
                    Some(cookies) => {
                        let joined = [cookies.as_bytes(), b"; ", pair.as_bytes()].concat();
                        let mut value = HeaderValue::from_bytes(&joined)
                            .map_err(|_| "the cookies are not valid header text".to_owned())?;
                        value.set_sensitive(true);
                        value
                    }
                    None => pair.clone(),
                };
                headers.insert(COOKIE, value);
            }
            Placement::Query(..) => {}
        }
    }
    Ok(headers)
}

/// Where the request of `call` goes: its URL with the credentials among `placements` in its
/// query (masked where it is shown).
fn request_target(call: &Request, placements: &[Placement]) -> Result<Target, String> {
    let mut key_query = String::new();
    let mut shown_key_query = String::new();
    for placement in placements {
        if let Placement::Query(name, value) = placement {
            let style = crate::QueryStyle::Form { explode: true };
            crate::params::append_query(&mut key_query, name, &value.as_str().into(), style);
            crate::params::append_query(&mut shown_key_query, name, &"***".into(), style);
        }
    }
    // A next-page URL carries its own query; a key the provider echoed in it is replaced
    // by ours.
    let mut url = match &call.url_override {
        Some(link) => {
            let link = origin::without_params(link, &call.client.key_names(ApiKeyLocation::Query));
            Url::parse(&link).map_err(|error| {
                format!(
                    "the next-page link `{}` is not a valid URL ({error})",
                    origin::masked_query(&link)
                )
            })?
        }
        None => call.client.url_for(&call.path, &call.query),
    };
    let masked = (!key_query.is_empty()).then(|| {
        let mut shown = url.clone();
        extend_query(&mut shown, &shown_key_query);
        extend_query(&mut url, &key_query);
        shown.into()
    });
    Ok(Target {
        operation: call.operation,
        method: call.method.clone(),
        url,
        masked,
    })
}

/// Appends encoded `k=v` pairs to the query of `url`.
fn extend_query(url: &mut Url, pairs: &str) {
    let joined = match url.query() {
        Some(query) if !query.is_empty() => format!("{query}&{pairs}"),
        _ => pairs.to_owned(),
    };
    url.set_query(Some(&joined));
}

/// Sends the attempts of one call until one is final, and returns its response: with a
/// fetched token that the provider rejects, once more with a new token; then across
/// redirects to other origins, without credentials, and for a signed request those within
/// its origin, signed again.
async fn exchange(call: Box<Request>) -> Result<(Target, Answer), Error> {
    let invalid = |message: String| Error::InvalidRequest {
        operation: call.operation,
        message,
    };
    if let Some(message) = &call.invalid {
        return Err(invalid(message.clone()));
    }
    let mut renewed = false;
    loop {
        let credentials = match given_credentials(&call).map_err(invalid)? {
            Some(given) => given,
            // Boxed: a token fetch is a large future, and most calls make none.
            None => Box::pin(fetched_credentials(&call)).await?,
        };
        let Credentials { placements, leases } = credentials;
        let target = request_target(&call, &placements).map_err(invalid)?;
        let headers = request_headers(&call, &placements).map_err(invalid)?;
        // A signed request's redirects within its origin are followed here, signed again
        // for their new URL (see `client.rs`): they are sent with the same headers. Boxed,
        // as it is kept across the wait: a call's future stays as small as it was.
        let origin_headers = call
            .client
            .signer()
            .is_some()
            .then(|| Box::new(headers.clone()));
        let answer = send_request(
            &call,
            &target,
            AttemptHeaders {
                first: headers,
                again: &|| request_headers(&call, &placements),
            },
            call.body.as_ref(),
            true,
        )
        .await?;
        let renews = !leases.is_empty() && !renewed;
        // Decided without a wait, and the waits below hold only a box: a call's future
        // keeps no room for the response beside them. Decided on references: the request
        // and its response (some 300 bytes) are moved once, where they go.
        let follow = match after_answer(&target, &answer, renews, &origin_headers) {
            AfterAnswer::Done => return Ok((target, answer)),
            AfterAnswer::Renew => None,
            // Boxed, so that the call's future holds no room for it across the waits below.
            AfterAnswer::Follow => Some(Box::new(Sent { target, answer })),
        };
        match follow {
            // Boxed: such redirects are rare, and their future is as large as a call's.
            Some(sent) => return Box::pin(follow_redirects(&call, *sent, origin_headers)).await,
            None => {
                // Boxed: a rejected token is rare.
                Box::pin(reject_tokens(call.operation, &leases)).await;
                renewed = true;
            }
        }
    }
}

/// What a call does after an answer.
enum AfterAnswer {
    /// It is the call's response.
    Done,
    /// The provider rejected the access token: send again with a new one.
    Renew,
    /// A redirect tether follows itself (see [`follow_redirects`]).
    Follow,
}

/// What to do with `answer` to the request of `sent`: `renews` when a rejected token may
/// still be replaced, `origin_headers` when redirects within the origin are followed here.
fn after_answer(
    sent: &Target,
    answer: &Answer,
    renews: bool,
    origin_headers: &Option<Box<http::HeaderMap>>,
) -> AfterAnswer {
    if answer.raw.status == StatusCode::UNAUTHORIZED && renews {
        return AfterAnswer::Renew;
    }
    let Some(redirect) = redirect_target(&sent.url, &answer.raw) else {
        return AfterAnswer::Done;
    };
    if redirect.origin() == sent.url.origin() && origin_headers.is_none() {
        // The HTTP client follows these itself; one that reached here is the end of
        // its chain, or the policy of an HTTP client the configuration gave.
        return AfterAnswer::Done;
    }
    AfterAnswer::Follow
}

/// Tells each token source that the provider rejected its token, before `operation` is
/// sent again with new ones.
async fn reject_tokens(operation: &'static str, leases: &[(TokenSource, Lease)]) {
    tracing::info!(
        operation,
        "the provider rejected the access token (401); sending again with a new one"
    );
    for (source, lease) in leases {
        source.reject(lease).await;
    }
}

/// A request as sent, and its response.
struct Sent {
    target: Target,
    answer: Answer,
}

/// Sends one request of `call` (with its retries). The attempts are set up before the
/// future is made: an `async fn` would keep its arguments (the headers among them) in every
/// call's future beside the attempts that took them.
fn send_request<'a>(
    call: &'a Request,
    target: &'a Target,
    headers: AttemptHeaders<'a>,
    body: Option<&'a Body>,
    signed: bool,
) -> impl Future<Output = Result<Answer, Error>> + Send + 'a {
    let outgoing = Outgoing {
        client: &call.client,
        target,
        headers,
        body,
        options: call.call_options(),
        idempotency_header: call.idempotency_header,
        reads_only: call.reads_only,
        signed,
        streams_success: call.streams_success,
    };
    let attempts = attempts::run(outgoing);
    async move {
        attempts
            .await
            .map_err(|failure| failure_error(target.summary(), failure))
    }
}

/// Follows the redirects the HTTP client hands back: those to other origins, and for a
/// signed request those within its origin.
///
/// Within the origin a redirect is sent with the request's headers, credentials included,
/// and signed again for its URL (a signature covers the path, so the first one no longer
/// holds). To another origin it goes with none of the call's credentials: no
/// `Authorization`, no key header, no cookie, no key query parameter, even where the target
/// URL repeats one, and unsigned; a download the provider serves from a CDN arrives, and
/// the CDN learns nothing it could call the provider with. Once a chain has left the
/// origin, nothing it leads to gets credentials again.
async fn follow_redirects(
    call: &Request,
    first: Sent,
    origin_headers: Option<Box<http::HeaderMap>>,
) -> Result<(Target, Answer), Error> {
    let origin = first.target.url.origin();
    let Sent {
        target: mut sent,
        mut answer,
    } = first;
    let mut body = call.body.as_ref();
    let mut left_origin = false;
    for _ in 0..MAX_REDIRECTS {
        let Some(target) = redirect_target(&sent.url, &answer.raw) else {
            break;
        };
        left_origin |= target.origin() != origin;
        let url = match (&origin_headers, left_origin) {
            (Some(_), false) => target,
            // Within the origin without a signer: the HTTP client's own limit ended it.
            (None, false) => break,
            (_, true) => {
                let target = origin::without_params(
                    target.as_str(),
                    &call.client.key_names(ApiKeyLocation::Query),
                );
                let Ok(target) = Url::parse(&target) else {
                    break;
                };
                target
            }
        };
        let headers = || match (&origin_headers, left_origin) {
            (Some(headers), false) => Ok(http::HeaderMap::clone(headers)),
            _ => own_headers(call, true),
        };
        let first = headers().map_err(|message| Error::InvalidRequest {
            operation: call.operation,
            message,
        })?;
        // A 303, and a 301 or 302 answering a POST, is followed with a GET without body,
        // as browsers do.
        let mut method = sent.method.clone();
        let status = answer.raw.status;
        let to_get = match status.as_u16() {
            303 => method != Method::HEAD,
            301 | 302 => method == Method::POST,
            _ => false,
        };
        if to_get {
            method = Method::GET;
            body = None;
        }
        sent = Target {
            operation: call.operation,
            method,
            masked: Some(origin::masked_query(url.as_str())),
            url,
        };
        if left_origin {
            tracing::info!(
                operation = call.operation,
                status = status.as_u16(),
                to = sent.shown_url(),
                "following a redirect to another origin, without credentials"
            );
        } else {
            tracing::debug!(
                operation = call.operation,
                status = status.as_u16(),
                to = sent.shown_url(),
                "following a redirect within the origin, signed again"
            );
        }
        let headers = AttemptHeaders {
            first,
            again: &headers,
        };
        answer = send_request(call, &sent, headers, body, !left_origin).await?;
    }
    Ok((sent, answer))
}

/// Where a redirect response points: an `http` or `https` URL.
fn redirect_target(url: &Url, raw: &RawResponse) -> Option<Url> {
    if !matches!(raw.status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = raw.headers.get(LOCATION)?.to_str().ok()?;
    let target = url.join(location).ok()?;
    matches!(target.scheme(), "http" | "https").then_some(target)
}

/// The typed error for a call whose attempts ended without a usable response.
fn failure_error(request: RequestSummary, failure: Failure) -> Error {
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
        Failure::RetryBudgetExhausted {
            status,
            last_failure,
        } => Error::RetryBudgetExhausted {
            request,
            status,
            last_failure,
        },
        Failure::Invalid(message) => Error::InvalidRequest {
            operation: request.operation,
            message,
        },
    }
}
