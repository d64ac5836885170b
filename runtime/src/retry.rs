//! When a failed attempt is tried again, and how long to wait first.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, StatusCode};

/// How a client retries failed attempts: which failures, how often, how long it waits.
///
/// The default retries connection failures, timeouts and the statuses providers use for
/// "try again later" (408, 409, 429 and 5xx except 501) twice, waiting 0.5 s and then 1 s
/// (doubling up to 8 s, with jitter), or what the provider asks for in `Retry-After`,
/// `retry-after-ms` or, on a 429, `RateLimit-Reset` / `X-RateLimit-Reset`, up to 60 s. A
/// provider that asks for a longer wait fails the call with [`crate::Error::RateLimited`],
/// which says when to try again. A response header `x-should-retry: true` or `false`
/// overrides the choice by status.
///
/// `POST` and `PATCH` are retried only when the request carries an idempotency key (one is
/// generated for operations that declare an `Idempotency-Key` header, or set
/// [`crate::CallOptions::idempotency_key`]); without one, only failures the provider cannot
/// have acted on are retried (the connection could not be opened, or HTTP/2 refused the
/// request unprocessed: `REFUSED_STREAM`, or a graceful `GOAWAY` before it was taken), so a
/// write is never applied twice. A call's first HTTP/2 refusal is sent again at once: it
/// is routine (a full stream limit, a connection being rotated), not a sign of trouble.
/// The pages of a listing are reads whatever their method (HubSpot's search is a `POST`)
/// and are retried like a `GET`. A retry carries a `retry-count` header (1 for the first
/// retry); the first attempt has none.
///
/// The whole call, attempts and waits together, is bounded by the call timeout
/// ([`crate::ClientConfig::call_timeout`]): a wait that would end after it is not taken.
///
/// Retries draw on a retry budget shared by every clone of the client, as in the AWS SDKs'
/// standard retry mode: 500 tokens, 5 per retry, 10 per retry after a timeout; a call that
/// succeeds at once puts 1 back, one that succeeds after retries its last retry's cost.
/// While a provider answers, the budget stays full; when it is down, about a hundred
/// retries empty it and further failures are final at once, with
/// [`crate::Error::RetryBudgetExhausted`], instead of every call retrying to its maximum.
/// Size it with [`RetryPolicy::retry_budget`], or turn it off with
/// [`RetryPolicy::no_retry_budget`].
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) budget: Option<u32>,
}

/// The tokens of the default retry budget (the AWS SDKs' figure).
const DEFAULT_RETRY_BUDGET: u32 = 500;

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            budget: Some(DEFAULT_RETRY_BUDGET),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Retries at most `retries` times after the first attempt.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first wait; each further wait doubles, up to `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// The longest wait a provider may ask for (`Retry-After` and the like); a longer one
    /// fails the call with [`crate::Error::RateLimited`].
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Sizes the client's retry budget: `tokens` tokens, of which a retry takes 5 (10
    /// after a timeout). The budget is the client's, shared by its clones and sized by the
    /// policy given to [`crate::ClientConfig::retry`]; a call's own policy can only leave
    /// it out ([`RetryPolicy::no_retry_budget`]).
    pub fn retry_budget(mut self, tokens: u32) -> Self {
        self.budget = Some(tokens);
        self
    }

    /// Retries without a retry budget: every call retries up to its maximum, however
    /// many other calls are failing.
    pub fn no_retry_budget(mut self) -> Self {
        self.budget = None;
        self
    }

    /// The wait before retry number `retry` (1-based), without a server hint: exponential
    /// with "equal jitter" (half fixed, half random) so that clients spread out.
    pub(crate) fn backoff_for(&self, retry: u32) -> Duration {
        let doubled = self
            .initial_backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let capped = doubled.min(self.max_backoff);
        let half = capped / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// Whether a failed response is worth another attempt. A success never is, whatever its
/// headers say.
pub(crate) fn is_retryable_status(status: StatusCode, headers: &HeaderMap) -> bool {
    if status.is_success() {
        return false;
    }
    match headers
        .get("x-should-retry")
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
    {
        Some(value) if value.eq_ignore_ascii_case("true") => return true,
        Some(value) if value.eq_ignore_ascii_case("false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || (status.is_server_error() && status != 501)
}

/// A wait the provider asked for, and the header that asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ServerHint {
    pub(crate) wait: Duration,
    pub(crate) header: &'static str,
}

/// Reset times above this are Unix timestamps, not delays: 1e9 s is in 2001, and no
/// provider asks for a 30-year wait.
const EPOCH_SECONDS: f64 = 1e9;
/// Reset times above this are Unix timestamps in milliseconds.
const EPOCH_MILLIS: f64 = 1e12;

/// The wait the provider asked for: `retry-after-ms`, `Retry-After` in seconds or as an
/// HTTP date, and, on a 429 only, the time the rate-limit window resets
/// (`RateLimit-Reset`, `X-RateLimit-Reset`: seconds from now, or a Unix time). The reset
/// headers come with every response of some providers (GitHub), where on other statuses
/// they say nothing about when to retry.
pub(crate) fn server_hint(status: StatusCode, headers: &HeaderMap) -> Option<ServerHint> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    };
    let hint = |wait, header| Some(ServerHint { wait, header });
    if let Some(millis) = text("retry-after-ms").and_then(non_negative) {
        return hint(Duration::from_secs_f64(millis / 1000.0), "retry-after-ms");
    }
    if let Some(retry_after) = text("retry-after") {
        if let Some(seconds) = non_negative(retry_after) {
            return hint(Duration::from_secs_f64(seconds), "retry-after");
        }
        if let Ok(date) = chrono::DateTime::parse_from_rfc2822(retry_after) {
            return hint(until(SystemTime::from(date)), "retry-after");
        }
    }
    if status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    for header in ["ratelimit-reset", "x-ratelimit-reset"] {
        if let Some(reset) = text(header).and_then(Reset::parse) {
            return hint(reset.wait(), header);
        }
    }
    None
}

/// When a rate-limit window resets, as a `*-Reset` header says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Reset {
    /// In so long from now (the IETF draft).
    After(Duration),
    /// At a time on the provider's clock (GitHub: a Unix time in seconds).
    At(SystemTime),
}

impl Reset {
    /// Seconds from now, or a Unix time in seconds or milliseconds.
    pub(crate) fn parse(text: &str) -> Option<Reset> {
        let reset = non_negative(text)?;
        Some(if reset >= EPOCH_MILLIS {
            Reset::At(UNIX_EPOCH + Duration::from_secs_f64(reset / 1000.0))
        } else if reset >= EPOCH_SECONDS {
            Reset::At(UNIX_EPOCH + Duration::from_secs_f64(reset))
        } else {
            Reset::After(Duration::from_secs_f64(reset))
        })
    }

    /// The time until the reset; zero if it has passed.
    pub(crate) fn wait(self) -> Duration {
        match self {
            Reset::After(wait) => wait,
            Reset::At(moment) => until(moment),
        }
    }
}

/// A finite, non-negative number of reasonable size (`Duration` panics past ~1.8e19 s).
fn non_negative(text: &str) -> Option<f64> {
    text.parse::<f64>()
        .ok()
        .filter(|number| number.is_finite() && (0.0..1e15).contains(number))
}

/// The time from now until `moment`; zero if it has passed.
fn until(moment: SystemTime) -> Duration {
    moment
        .duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (http::HeaderName::from_static(name), value.parse().unwrap()))
            .collect()
    }

    fn hint(status: u16, pairs: &[(&'static str, &str)]) -> Option<ServerHint> {
        server_hint(StatusCode::from_u16(status).unwrap(), &headers(pairs))
    }

    #[test]
    fn backoff_doubles_within_jitter_and_cap() {
        let policy = RetryPolicy::default();
        for (retry, full) in [
            (1, 500),
            (2, 1000),
            (3, 2000),
            (5, 8000),
            (6, 8000),
            (30, 8000),
        ] {
            let wait = policy.backoff_for(retry);
            let full = Duration::from_millis(full);
            assert!(wait >= full / 2 && wait <= full, "retry {retry}: {wait:?}");
        }
    }

    #[test]
    fn statuses_worth_retrying() {
        let none = HeaderMap::new();
        for code in [408, 409, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(
                StatusCode::from_u16(code).unwrap(),
                &none
            ));
        }
        for code in [200, 201, 400, 401, 404, 422, 501] {
            assert!(!is_retryable_status(
                StatusCode::from_u16(code).unwrap(),
                &none
            ));
        }
        let veto = headers(&[("x-should-retry", "false")]);
        assert!(!is_retryable_status(StatusCode::SERVICE_UNAVAILABLE, &veto));
        let ask = headers(&[("x-should-retry", "True")]);
        assert!(is_retryable_status(StatusCode::BAD_REQUEST, &ask));
        assert!(!is_retryable_status(StatusCode::OK, &ask));
    }

    #[test]
    fn retry_after_in_all_forms() {
        let seconds = |wait| Some(Duration::from_secs(wait));
        assert_eq!(
            hint(503, &[("retry-after", "7")]).map(|h| h.wait),
            seconds(7)
        );
        let both = hint(503, &[("retry-after", "7"), ("retry-after-ms", "250")]).unwrap();
        assert_eq!(both.wait, Duration::from_millis(250));
        assert_eq!(both.header, "retry-after-ms");
        let past = hint(503, &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]).unwrap();
        assert_eq!(past.wait, Duration::ZERO);
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        let dated = hint(429, &[("retry-after", &soon)]).unwrap();
        assert!(dated.wait > Duration::from_secs(28) && dated.wait <= Duration::from_secs(30));
        assert_eq!(hint(503, &[("retry-after", "soon")]), None);
        assert_eq!(hint(503, &[("retry-after", "-3")]), None);
    }

    #[test]
    fn rate_limit_resets_count_only_on_429() {
        let reset = hint(429, &[("ratelimit-reset", "12")]).unwrap();
        assert_eq!(reset.wait, Duration::from_secs(12));
        assert_eq!(reset.header, "ratelimit-reset");
        assert_eq!(hint(503, &[("x-ratelimit-reset", "12")]), None);

        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let epoch = (now.as_secs() + 20).to_string();
        let github = hint(429, &[("x-ratelimit-reset", &epoch)]).unwrap();
        assert!(github.wait > Duration::from_secs(18) && github.wait <= Duration::from_secs(20));
        let epoch_ms = (now.as_millis() + 5_000).to_string();
        let millis = hint(429, &[("x-ratelimit-reset", &epoch_ms)]).unwrap();
        assert!(millis.wait > Duration::from_secs(4) && millis.wait <= Duration::from_secs(5));
        // Retry-After wins over the reset time.
        let both = hint(429, &[("retry-after", "3"), ("x-ratelimit-reset", &epoch)]).unwrap();
        assert_eq!(both.wait, Duration::from_secs(3));
    }
}
