//! The optional client-side rate limit: at most so many requests per period, shared by
//! every clone of a client. The bookkeeping is `governor`'s (GCRA); this module only gives
//! it tokio's clock and turns its answer into a wait.

use std::fmt;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

/// Tokio's clock rather than the system's, so that rate-limit waits follow
/// `tokio::time::pause` like every other wait of a call (tests run them in no time).
#[derive(Debug, Clone)]
struct TokioClock {
    origin: tokio::time::Instant,
}

impl Clock for TokioClock {
    // governor measures time as an offset from any fixed point; `Duration` implements that.
    type Instant = Duration;

    fn now(&self) -> Duration {
        tokio::time::Instant::now().saturating_duration_since(self.origin)
    }
}

/// At most `requests` requests per `per`, as a burst of `requests` and then evenly spaced.
pub(crate) struct RateLimit {
    requests: NonZeroU32,
    per: Duration,
    limiter: RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Duration>>,
}

impl RateLimit {
    /// A limit of `requests` per `per`, or why it is not one.
    pub(crate) fn new(requests: u32, per: Duration) -> Result<Self, String> {
        let invalid = || {
            format!("a rate limit of {requests} requests per {per:?} lets nothing through; give at least 1 request per non-zero period")
        };
        let requests = NonZeroU32::new(requests).ok_or_else(invalid)?;
        let quota = Quota::with_period(per / requests.get())
            .ok_or_else(invalid)?
            .allow_burst(requests);
        let clock = TokioClock {
            origin: tokio::time::Instant::now(),
        };
        Ok(RateLimit {
            requests,
            per,
            limiter: RateLimiter::direct_with_clock(quota, clock),
        })
    }

    /// Takes a permit for one request if one is free now; otherwise says how long until
    /// one will be (ask again then: another task may take it first).
    pub(crate) fn try_acquire(&self) -> Result<(), Duration> {
        self.limiter
            .check()
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }
}

impl fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} requests per {:?}", self.requests, self.per)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_then_evenly_spaced() {
        let limit = RateLimit::new(2, Duration::from_secs(1)).unwrap();
        assert_eq!(limit.try_acquire(), Ok(()));
        assert_eq!(limit.try_acquire(), Ok(()));
        assert_eq!(limit.try_acquire(), Err(Duration::from_millis(500)));
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(limit.try_acquire(), Ok(()));
        assert!(limit.try_acquire().is_err());
    }

    #[test]
    fn zero_is_not_a_limit() {
        assert!(RateLimit::new(0, Duration::from_secs(1)).is_err());
        assert!(RateLimit::new(5, Duration::ZERO).is_err());
    }
}
