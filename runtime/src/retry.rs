//! When a failed attempt is tried again, and how long to wait first.

use std::time::Duration;

use http::{HeaderMap, StatusCode};

/// How a client retries failed attempts: which failures, how often, how long it waits.
///
/// The default retries connection failures, timeouts and the statuses providers use for
/// "try again later" (408, 409, 429 and 5xx except 501) twice, waiting 0.5 s and then 1 s
/// (with jitter), or what the provider asks for in `Retry-After`, up to 60 s.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
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

    /// The longest `Retry-After` the client waits for; a longer one fails the call.
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
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
        half + half.mul_f64(jitter_fraction())
    }
}

/// A fraction in [0, 1) that differs between calls, without a random-number dependency:
/// the sub-second clock is random enough to spread retries.
fn jitter_fraction() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.subsec_nanos())
        .unwrap_or(0);
    f64::from(nanos % 1_000_000) / 1_000_000.0
}

/// Whether a response status is worth another attempt.
pub(crate) fn is_retryable_status(status: StatusCode, headers: &HeaderMap) -> bool {
    match headers
        .get("x-should-retry")
        .and_then(|value| value.to_str().ok())
    {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || (status.is_server_error() && status != 501)
}

/// The wait the provider asked for: `retry-after-ms`, or `Retry-After` in seconds or as
/// an HTTP date.
pub(crate) fn server_hint(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    if let Some(millis) = text("retry-after-ms").and_then(|v| v.trim().parse::<f64>().ok()) {
        return Some(Duration::from_secs_f64(millis.max(0.0) / 1000.0));
    }
    let retry_after = text("retry-after")?.trim();
    if let Ok(seconds) = retry_after.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(retry_after).ok()?;
    let wait = date.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_cap() {
        let policy = RetryPolicy::default();
        for (retry, full) in [(1, 500), (2, 1000), (3, 2000), (6, 8000), (30, 8000)] {
            let wait = policy.backoff_for(retry);
            let full = Duration::from_millis(full);
            assert!(wait >= full / 2 && wait <= full, "retry {retry}: {wait:?}");
        }
    }

    #[test]
    fn statuses_worth_retrying() {
        let none = HeaderMap::new();
        for code in [408, 409, 429, 500, 502, 503] {
            assert!(is_retryable_status(
                StatusCode::from_u16(code).unwrap(),
                &none
            ));
        }
        for code in [400, 401, 404, 422, 501] {
            assert!(!is_retryable_status(
                StatusCode::from_u16(code).unwrap(),
                &none
            ));
        }
        let mut veto = HeaderMap::new();
        veto.insert("x-should-retry", "false".parse().unwrap());
        assert!(!is_retryable_status(StatusCode::SERVICE_UNAVAILABLE, &veto));
    }

    #[test]
    fn retry_after_in_all_forms() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "7".parse().unwrap());
        assert_eq!(server_hint(&headers), Some(Duration::from_secs(7)));
        headers.insert("retry-after-ms", "250".parse().unwrap());
        assert_eq!(server_hint(&headers), Some(Duration::from_millis(250)));
        let mut dated = HeaderMap::new();
        dated.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(server_hint(&dated), Some(Duration::ZERO));
    }
}
