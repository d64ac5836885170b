//! The attempts of one call: the client's rate limits, the time limits, the idempotency
//! key, the retries, the retry budget and the waits between them, and the tracing that
//! shows each. Nothing here is generic over an operation's types, so it is compiled once
//! however many operations a client has.

use std::future::Future;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use futures::future::{BoxFuture, Either};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use tokio::time::Instant;
use tracing::Instrument;

use crate::call::{Body, CallOptions};
use crate::client::HttpClient;
use crate::header_text;
use crate::rate_limit::RateLimit;
use crate::response::RawResponse;
use crate::retry;
use crate::retry_budget::RetryBudget;
use crate::sign::Signer;
use crate::target::Target;
use crate::unprocessed;

/// The header that tells the provider how many times a retried request was sent before.
/// A first attempt goes without it: every header costs each request a copy or two inside
/// the HTTP client, and an absent count says "first" as well as a `0` would.
const RETRY_COUNT: HeaderName = HeaderName::from_static("retry-count");

/// A request ready to send, as many times as the retry policy allows.
pub(crate) struct Outgoing<'a> {
    pub(crate) client: &'a HttpClient,
    /// Operation, method and URL.
    pub(crate) target: &'a Target,
    pub(crate) headers: AttemptHeaders<'a>,
    pub(crate) body: Option<&'a Body>,
    pub(crate) options: &'a CallOptions,
    /// The header the operation declares for an idempotency key, if it declares one.
    pub(crate) idempotency_header: Option<&'static str>,
    /// Sending the request again changes nothing, whatever its method.
    pub(crate) reads_only: bool,
    /// Whether the client's signer, if it has one, signs the request: not for a redirect
    /// to another origin, which is followed without credentials.
    pub(crate) signed: bool,
    /// A success's body is left unread, for the caller to stream.
    pub(crate) streams_success: bool,
}

/// The headers of a request's attempts. The first attempt takes them, and a retry has them
/// made again: copying them for every attempt would cost each call a copy that only the few
/// retried calls use.
pub(crate) struct AttemptHeaders<'a> {
    pub(crate) first: HeaderMap,
    pub(crate) again: &'a (dyn Fn() -> Result<HeaderMap, String> + Sync),
}

/// The final response of a call's attempts.
pub(crate) struct Answer {
    /// Status, headers and, unless `unread` holds it, the whole body.
    pub(crate) raw: RawResponse,
    /// A success's body still to come, when the call streams it.
    /// Boxed: few calls stream, and every call's answer is moved through several layers.
    pub(crate) unread: Option<Box<reqwest::Response>>,
}

impl Answer {
    /// A response whose body was read whole.
    pub(crate) fn whole(raw: RawResponse) -> Self {
        Answer { raw, unread: None }
    }
}

/// Why no usable response arrived; the caller turns it into its typed `Error`.
pub(crate) enum Failure {
    /// An attempt, or the whole call, ran out of time.
    Timeout(Duration),
    /// The connection failed or broke (its error carries no URL, which may hold secrets).
    Transport(reqwest::Error),
    /// The provider asked for a wait longer than the client waits.
    RateLimited(Box<Refusal>),
    /// The last attempt failed and the client's retry budget had nothing left for a retry.
    RetryBudgetExhausted {
        status: Option<StatusCode>,
        last_failure: String,
    },
    /// The request could not be built.
    Invalid(String),
}

/// A response that asked for a longer wait than the client allows.
pub(crate) struct Refusal {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) retry_after: Duration,
    pub(crate) retry_at: SystemTime,
}

/// Sends `outgoing` until an attempt is final, inside a tracing span for the call when a
/// subscriber records it. Boxed, as the largest part of a call's future: each part stays
/// within the sizes the allocator serves from a per-thread cache, without a lock.
///
/// Without a subscriber for the span the attempts run bare: entering and leaving a span
/// nobody records at every poll cost a call with 32 in flight over 1 % of its cycles
/// (`bench/cachesim`). Both kinds are the same boxed type, so that only the one a program
/// runs is in its instruction cache.
pub(crate) fn run(outgoing: Outgoing<'_>) -> BoxFuture<'_, Result<Answer, Failure>> {
    if !call_span_may_be_recorded() {
        return Box::pin(attempts(outgoing));
    }
    let target = outgoing.target;
    let span = tracing::info_span!(
        "call",
        operation = target.operation,
        method = %target.method,
        url = target.shown_url(),
    );
    if span.is_disabled() {
        Box::pin(attempts(outgoing))
    } else {
        Box::pin(attempts(outgoing).instrument(span))
    }
}

/// Whether anything may record the call's span: a tracing subscriber, or, while none was
/// ever set, a `log` logger that takes `INFO` lines (tracing then hands its spans to `log`
/// when a dependency enables that, as axum's defaults do). When neither can, the span is
/// not made: its fields and the checks on the way to `log` cost a call with 32 in flight
/// 0.3 % of its cycles.
fn call_span_may_be_recorded() -> bool {
    tracing::dispatcher::has_been_set() || log::max_level() >= log::LevelFilter::Info
}

/// What the last attempt ended with, when it may be retried.
enum Last {
    Response(RawResponse),
    TimedOut(Duration),
    Transport(reqwest::Error),
    /// HTTP/2 turned the request away unprocessed (see [`unprocessed`]).
    Refused(reqwest::Error),
}

impl Last {
    fn into_result(self) -> Result<Answer, Failure> {
        match self {
            Last::Response(raw) => Ok(Answer::whole(raw)),
            Last::TimedOut(limit) => Err(Failure::Timeout(limit)),
            Last::Transport(error) | Last::Refused(error) => Err(Failure::Transport(error)),
        }
    }

    /// The status, when a response arrived.
    fn status(&self) -> Option<StatusCode> {
        match self {
            Last::Response(raw) => Some(raw.status),
            _ => None,
        }
    }

    /// Why the attempt failed, for traces and errors.
    fn describe(&self) -> String {
        match self {
            Last::Response(raw) => format!("status {}", raw.status.as_u16()),
            Last::TimedOut(limit) => format!("timed out after {limit:?}"),
            Last::Transport(error) if error.is_connect() => "connection failed".to_owned(),
            Last::Refused(_) => "refused unprocessed".to_owned(),
            Last::Transport(_) => "connection broke".to_owned(),
        }
    }
}

/// The attempts of one call. What they share is worked out before the future is made: an
/// `async fn` would keep its argument whole beside the parts taken out of it, and every
/// call's future would carry both.
fn attempts(outgoing: Outgoing<'_>) -> impl Future<Output = Result<Answer, Failure>> + Send + '_ {
    let Outgoing {
        client,
        target,
        headers,
        body,
        options,
        idempotency_header,
        reads_only,
        signed,
        streams_success,
    } = outgoing;
    let signer = client.signer().filter(|_| signed);
    let policy = options
        .retry
        .as_ref()
        .unwrap_or_else(|| client.retry_policy());
    let call_limit = options.call_timeout.or(client.call_timeout());
    let attempt_limit = options.attempt_limit(client);
    // One reading of the clock makes the call's deadline and the first attempt's: each
    // reading costs every call. A wait before an attempt makes it stale.
    let mut fresh_now = None;
    let deadline = call_limit.map(|limit| *fresh_now.insert(Instant::now()) + limit);
    let AttemptHeaders { first, again } = headers;
    let idempotency_key = idempotency_key(&first, options, idempotency_header, &target.method);
    let mut first = Some(first);
    let budget = client.retry_budget().filter(|_| policy.budget.is_some());
    async move {
        let idempotency_key = idempotency_key.map_err(Failure::Invalid)?;
        let keyed = !matches!(idempotency_key, IdempotencyKey::None);
        let replayable = reads_only || is_idempotent(&target.method) || keyed;
        let mut retries: u32 = 0;
        let mut last_retry_cost = None;
        loop {
            let attempt = retries + 1;
            // The provider's limit first: its holds can be long, and the client's own limit
            // then spaces the requests it lets go.
            let ticket = match client.throttle() {
                Some(throttle) => Some(match throttle.try_admit() {
                    Some(ticket) => ticket,
                    // Boxed: most calls never wait here, and need not carry the waiting future.
                    None => {
                        fresh_now = None;
                        Box::pin(throttle.admit(deadline))
                            .await
                            // Only a call with a deadline is turned away.
                            .map_err(|_| Failure::Timeout(call_limit.unwrap_or_default()))?
                    }
                }),
                None => None,
            };
            if let Some(limit) = client.rate_limit() {
                // Boxed, and only when the limit holds the request: most calls never wait.
                if limit.try_acquire().is_err() {
                    fresh_now = None;
                    Box::pin(wait_for_permit(limit, deadline, call_limit)).await?;
                }
            }
            let time_limit = AttemptLimit::new(attempt_limit, deadline, || {
                fresh_now.take().unwrap_or_else(Instant::now)
            });
            let cut_by_deadline = time_limit.is_some_and(|limit| limit.cut_by_deadline);
            if let (Some(limit), Some(call_limit)) = (time_limit, call_limit) {
                if limit.cut_by_deadline && limit.length.is_zero() {
                    return Err(Failure::Timeout(call_limit));
                }
            }
            let mut headers = match first.take() {
                Some(headers) => headers,
                None => again().map_err(Failure::Invalid)?,
            };
            if let IdempotencyKey::Added(name, value) = &idempotency_key {
                headers.insert(name.clone(), value.clone());
            }
            if retries > 0 {
                headers.insert(RETRY_COUNT, retry_count_value(retries));
            }
            // The attempt and what follows it in a scope of their own: its response is
            // gone before the wait for a retry, rather than carried across it in every
            // call's future.
            let wait = {
                let sending =
                    start_attempt(client, &target.method, &target.url, headers, body, signer)
                        .map_err(Failure::Invalid)?;
                // Boxed: the attempt is the largest part of a call's future (kept within the
                // sizes the allocator serves from a per-thread cache, without a lock), and
                // every future that awaits it would otherwise hold it inline, and move it.
                let outcome = Box::pin(send_attempt(sending, time_limit, streams_success)).await;
                match (ticket, &outcome) {
                    (Some(ticket), Ok(answer)) => ticket.answered(&answer.raw),
                    (ticket, _) => drop(ticket),
                }
                let outcome = match outcome {
                    Ok(answer)
                        if !retry::is_retryable_status(answer.raw.status, &answer.raw.headers) =>
                    {
                        let status = answer.raw.status;
                        tracing::debug!(attempt, status = status.as_u16(), "response");
                        if let (Some(budget), true) = (budget, status.is_success()) {
                            budget.succeeded(last_retry_cost);
                        }
                        return Ok(answer);
                    }
                    other => other,
                };
                let retry = Retry {
                    attempt,
                    retries,
                    policy,
                    replayable,
                    method: &target.method,
                    call_limit,
                    cut_by_deadline,
                    deadline,
                    budget,
                };
                match retry.after(outcome, &mut last_retry_cost) {
                    Next::Retry(wait) => wait,
                    Next::End(result) => return result,
                }
            };
            // Boxed: retries are rare, and whatever a call's future can hold it carries, and
            // copies, on every call.
            Box::pin(tokio::time::sleep(wait)).await;
            retries += 1;
        }
    }
}

/// What a call does after an attempt that did not end it.
enum Next {
    /// Sends the request again after this wait.
    Retry(Duration),
    /// Ends the call with this.
    End(Result<Answer, Failure>),
}

/// What decides whether a call sends its request again.
struct Retry<'a> {
    attempt: u32,
    retries: u32,
    policy: &'a retry::RetryPolicy,
    /// Sending the request again is safe.
    replayable: bool,
    method: &'a Method,
    call_limit: Option<Duration>,
    /// The attempt's time limit was cut short by the call's deadline.
    cut_by_deadline: bool,
    deadline: Option<Instant>,
    budget: Option<&'a RetryBudget>,
}

impl Retry<'_> {
    /// Whether and when to send again after `outcome`: a response with a retryable status,
    /// a timeout or a broken connection. Out of line, and marked cold: most calls never
    /// come here, and the code they run stays together, on fewer cache lines.
    #[cold]
    #[inline(never)]
    fn after(
        &self,
        outcome: Result<Answer, AttemptFailure>,
        last_retry_cost: &mut Option<u32>,
    ) -> Next {
        let attempt = self.attempt;
        let last = match outcome {
            Ok(answer) => {
                tracing::debug!(attempt, status = answer.raw.status.as_u16(), "response");
                Last::Response(answer.raw)
            }
            Err(AttemptFailure::TimedOut(limit)) => {
                tracing::debug!(
                    attempt,
                    limit_ms = limit.as_millis() as u64,
                    "attempt timed out"
                );
                match self.call_limit {
                    Some(call_limit) if self.cut_by_deadline => {
                        return Next::End(Err(Failure::Timeout(call_limit)))
                    }
                    _ => Last::TimedOut(limit),
                }
            }
            Err(AttemptFailure::Transport(error)) => {
                tracing::debug!(attempt, error = %error, "attempt failed");
                if unprocessed::refused_by_http2(&error) {
                    Last::Refused(error)
                } else {
                    Last::Transport(error)
                }
            }
        };

        // A request the provider cannot have acted on (a connection that never opened, a
        // refusal) may be sent again, even a write.
        let sent_nothing = match &last {
            Last::Transport(error) => error.is_connect(),
            Last::Refused(_) => true,
            Last::Response(_) | Last::TimedOut(_) => false,
        };
        if !(self.replayable || sent_nothing) {
            tracing::debug!(
                attempt,
                reason = %last.describe(),
                "not retried: a {} without an idempotency key may already have been applied",
                self.method
            );
            return Next::End(last.into_result());
        }
        let policy = self.policy;
        if self.retries >= policy.max_retries {
            tracing::debug!(attempt, reason = %last.describe(), "not retried: no retries left");
            return Next::End(last.into_result());
        }
        let hint = match &last {
            Last::Response(raw) => retry::server_hint(raw.status, &raw.headers),
            _ => None,
        };
        // An HTTP/2 refusal is the provider turning one stream away (its concurrent
        // streams are full, or the connection is being rotated), not a sign of trouble: the
        // first is sent again at once, on another connection if need be, as reqwest would.
        let refused_first = self.retries == 0 && matches!(last, Last::Refused(_));
        let (wait, wait_source) = match hint {
            Some(hint) => (hint.wait, hint.header),
            None if refused_first => (Duration::ZERO, "refused unprocessed"),
            None => (policy.backoff_for(self.retries + 1), "backoff"),
        };
        let past_deadline = self
            .deadline
            .is_some_and(|deadline| Instant::now() + wait >= deadline);
        if hint.is_some() && (wait > policy.max_retry_after || past_deadline) {
            if let Last::Response(raw) = last {
                tracing::debug!(
                    attempt,
                    status = raw.status.as_u16(),
                    wait_ms = wait.as_millis() as u64,
                    wait_source,
                    "not retried: the provider asks for a longer wait than the client allows"
                );
                return Next::End(Err(Failure::RateLimited(Box::new(Refusal {
                    status: raw.status,
                    headers: raw.headers,
                    retry_after: wait,
                    retry_at: SystemTime::now() + wait,
                }))));
            }
        }
        if past_deadline {
            tracing::debug!(
                attempt,
                reason = %last.describe(),
                wait_ms = wait.as_millis() as u64,
                "not retried: the wait would end after the call's deadline"
            );
            return Next::End(last.into_result());
        }
        if let Some(budget) = self.budget {
            let timed_out = matches!(last, Last::TimedOut(_));
            match budget.withdraw(timed_out) {
                Some(cost) => *last_retry_cost = Some(cost),
                None => {
                    tracing::info!(
                        attempt,
                        reason = %last.describe(),
                        "not retried: the client's retry budget is spent"
                    );
                    return Next::End(Err(Failure::RetryBudgetExhausted {
                        status: last.status(),
                        last_failure: last.describe(),
                    }));
                }
            }
        }
        tracing::info!(
            attempt,
            reason = %last.describe(),
            wait_ms = wait.as_millis() as u64,
            wait_source,
            "retrying"
        );
        Next::Retry(wait)
    }
}

/// Methods whose repetition has the same effect as one call (RFC 9110, section 9.2.2),
/// and `QUERY`, a safe search with a body (OpenAPI 3.2; its IETF draft makes it safe and
/// idempotent).
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    ) || method.as_str() == "QUERY"
}

/// The idempotency key of a call's attempts.
enum IdempotencyKey {
    /// The call has none.
    None,
    /// The operation's own header parameter carries one.
    Given,
    /// One tether adds to every attempt's headers.
    Added(HeaderName, HeaderValue),
}

/// The key that makes sending a call again safe: the caller's
/// ([`CallOptions::idempotency_key`], or the operation's own header parameter in `headers`),
/// else a new one when the operation declares the header and its method is not idempotent.
/// It is made once per call, so every attempt carries the same key.
fn idempotency_key(
    headers: &HeaderMap,
    options: &CallOptions,
    declared: Option<&'static str>,
    method: &Method,
) -> Result<IdempotencyKey, String> {
    if options.idempotency_key.is_none() && declared.is_none() {
        return Ok(IdempotencyKey::None);
    }
    let wire = declared.unwrap_or("idempotency-key");
    let name = HeaderName::from_bytes(wire.as_bytes())
        .map_err(|_| format!("`{wire}` is not a valid header name"))?;
    let key = match &options.idempotency_key {
        Some(key) => key.clone(),
        None if headers.contains_key(&name) => return Ok(IdempotencyKey::Given),
        None if !is_idempotent(method) => uuid::Uuid::new_v4().to_string(),
        None => return Ok(IdempotencyKey::None),
    };
    let value = HeaderValue::from_str(&key)
        .map_err(|_| "the idempotency key is not valid header text".to_owned())?;
    Ok(IdempotencyKey::Added(name, value))
}

/// Waits for the client's rate limit to let one more request go.
async fn wait_for_permit(
    limit: &RateLimit,
    deadline: Option<Instant>,
    call_limit: Option<Duration>,
) -> Result<(), Failure> {
    while let Err(wait) = limit.try_acquire() {
        if let (Some(deadline), Some(call_limit)) = (deadline, call_limit) {
            if Instant::now() + wait > deadline {
                tracing::debug!(
                    wait_ms = wait.as_millis() as u64,
                    "not sent: the client's rate limit would hold it past the call's deadline"
                );
                return Err(Failure::Timeout(call_limit));
            }
        }
        tracing::debug!(
            wait_ms = wait.as_millis() as u64,
            wait_source = "rate-limit",
            "waiting for the client's rate limit"
        );
        tokio::time::sleep(wait).await;
    }
    Ok(())
}

/// When one attempt must have ended.
#[derive(Clone, Copy)]
struct AttemptLimit {
    at: Instant,
    /// How long that is from the attempt's start, for its error.
    length: Duration,
    /// The time left before the call's deadline sets it (the attempt's own limit is longer
    /// or absent).
    cut_by_deadline: bool,
}

impl AttemptLimit {
    /// The limit of an attempt: its own, or the call's deadline if that comes first. `now`
    /// is read only when there is a limit.
    fn new(
        own: Option<Duration>,
        deadline: Option<Instant>,
        now: impl FnOnce() -> Instant,
    ) -> Option<Self> {
        if own.is_none() && deadline.is_none() {
            return None;
        }
        let now = now();
        let own = own.map(|length| AttemptLimit {
            at: now + length,
            length,
            cut_by_deadline: false,
        });
        match (own, deadline) {
            (Some(own), Some(deadline)) if own.at <= deadline => Some(own),
            (_, Some(deadline)) => Some(AttemptLimit {
                at: deadline,
                length: deadline.saturating_duration_since(now),
                cut_by_deadline: true,
            }),
            (own, None) => own,
        }
    }
}

enum AttemptFailure {
    TimedOut(Duration),
    Transport(reqwest::Error),
}

/// The `retry-count` header's value: a static one for the counts a call reaches in
/// practice (no allocation per attempt), a formatted one beyond.
fn retry_count_value(retries: u32) -> HeaderValue {
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    match usize::try_from(retries)
        .ok()
        .and_then(|index| DIGITS.get(index))
    {
        Some(digit) => HeaderValue::from_static(digit),
        None => HeaderValue::from(retries),
    }
}

/// Starts sending one attempt, before any await, so that no future holds the request.
/// The request is assembled here rather than through reqwest's builder, which would parse
/// the URL again and merge the headers one by one into a map of its own. With a signer,
/// the request is built whole and signed first; a signer's refusal sends nothing.
fn start_attempt(
    client: &HttpClient,
    method: &Method,
    url: &reqwest::Url,
    headers: HeaderMap,
    body: Option<&Body>,
    signer: Option<&Signer>,
) -> Result<impl Future<Output = reqwest::Result<reqwest::Response>>, String> {
    let mut request = reqwest::Request::new(method.clone(), url.clone());
    *request.headers_mut() = headers;
    let mut request = attach_body(client, request, body)?;
    let http = client.http();
    let Some(signer) = signer else {
        return Ok(Either::Left(http.execute(request)));
    };
    signer.sign(&mut request)?;
    // Boxed: signing is rare, and the common path need not carry its future.
    let signed: BoxFuture<'static, reqwest::Result<reqwest::Response>> =
        Box::pin(http.execute(request));
    Ok(Either::Right(signed))
}

/// One attempt: the response to `sending` and its whole body, within the time limit; with
/// `streams_success`, a success's body is left unread (the limit covers its headers).
async fn send_attempt(
    sending: impl Future<Output = reqwest::Result<reqwest::Response>>,
    timeout: Option<AttemptLimit>,
    streams_success: bool,
) -> Result<Answer, AttemptFailure> {
    let exchange = async {
        let mut response = sending.await?;
        let status = StatusCode::from_u16(response.status().as_u16())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // Taken, not cloned: reading the body needs no headers.
        let headers = std::mem::take(response.headers_mut());
        let (body, unread) = if streams_success && status.is_success() {
            (Bytes::new(), Some(Box::new(response)))
        } else {
            (read_body(&mut response).await?, None)
        };
        let raw = RawResponse {
            status,
            headers,
            body,
        };
        Ok::<_, reqwest::Error>(Answer { raw, unread })
    };
    let outcome = match timeout {
        Some(limit) => tokio::time::timeout_at(limit.at, exchange)
            .await
            .map_err(|_| AttemptFailure::TimedOut(limit.length))?,
        None => exchange.await,
    };
    // reqwest's errors show the URL, whose query may hold a credential.
    outcome.map_err(|error| AttemptFailure::Transport(error.without_url()))
}

/// The most room made for a body before it arrives: a larger one grows as it comes, and a
/// length the provider announces but never sends costs each call in flight at most this.
const MAX_PRESIZED_BODY: usize = 1 << 20;

/// The whole body of `response`, read chunk by chunk rather than through `bytes()`, whose
/// collector every attempt's future would carry: a body that arrives in one piece (most
/// do) is kept as it came, and one in several is joined.
async fn read_body(response: &mut reqwest::Response) -> reqwest::Result<Bytes> {
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    // Room for what the provider announced is still to come, within reason: it is not
    // trusted.
    let to_come = response
        .content_length()
        .and_then(|length| usize::try_from(length).ok())
        .unwrap_or(0)
        .min(MAX_PRESIZED_BODY);
    let mut body = BytesMut::with_capacity(first.len() + second.len() + to_come);
    body.extend_from_slice(&first);
    body.extend_from_slice(&second);
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// `request` with `body` and its media type. Set on the request itself: reqwest's builder
/// is moved whole by each of its methods, a copy of a few hundred bytes per step.
fn attach_body(
    client: &HttpClient,
    mut request: reqwest::Request,
    body: Option<&Body>,
) -> Result<reqwest::Request, String> {
    match body {
        None => Ok(request),
        Some(Body::Bytes {
            content_type,
            bytes,
        }) => {
            // The media types of generated code are constants: no copy.
            let media_type = match header_text::static_value(content_type) {
                Some(value) => value,
                None => HeaderValue::from_str(content_type).map_err(|_| {
                    format!("the media type `{content_type}` is not valid header text")
                })?,
            };
            request
                .headers_mut()
                .insert(http::header::CONTENT_TYPE, media_type);
            *request.body_mut() = Some(bytes.clone().into());
            Ok(request)
        }
        Some(Body::Multipart(form)) => {
            reqwest::RequestBuilder::from_parts(client.http().clone(), request)
                .multipart(form.to_reqwest())
                .build()
                .map_err(|error| format!("the multipart body cannot be sent ({error})"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::retry_count_value;

    #[test]
    fn retry_counts_are_decimal_with_or_without_a_static_value() {
        for (retries, expected) in [(0, "0"), (3, "3"), (9, "9"), (10, "10"), (123, "123")] {
            assert_eq!(retry_count_value(retries), expected);
        }
    }
}
