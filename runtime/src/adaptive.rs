//! The opt-in adaptive send rate, for providers that announce no budget: learnt from their
//! 429s, in the spirit of the AWS SDKs' adaptive retry mode.
//!
//! The rate is unlimited until the provider first answers 429. Then it is cut to 70% of
//! the rate the provider was admitting (successful answers in the last second), and grows
//! back along a cubic curve (TCP's CUBIC) as calls succeed: quickly at first, flat near the
//! rate that was throttled, then probing above it. Only a 429 to a request sent after the
//! last cut cuts again: the others were sent at the old rate and say nothing new. Sends are
//! spaced by a token bucket holding a tenth of a second's worth, so that a burst of queued
//! calls settles at the provider's real limit instead of hitting it all at once.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// The share of the admitted rate kept after a 429.
const BETA: f64 = 0.7;
/// How fast the rate grows back (CUBIC's `C`, as the AWS SDKs use it).
const SCALE: f64 = 0.4;
/// The lowest rate, in requests per second: the provider is never given up on.
const MIN_RATE: f64 = 0.5;
/// The burst the token bucket allows, as a share of a second at the current rate.
const BURST: f64 = 0.1;
/// The window over which admitted requests are counted.
const MEASURED_OVER: Duration = Duration::from_secs(1);

/// The learnt rate and the token bucket that spaces sends at it.
#[derive(Debug)]
pub(crate) struct AdaptiveRate {
    /// Requests per second; `None` until the first 429.
    rate: Option<f64>,
    tokens: f64,
    refilled_at: Option<Instant>,
    /// The rate that was throttled last, and when: the cubic curve's plateau and origin.
    throttled_rate: f64,
    cut_at: Option<Instant>,
    /// When the provider admitted requests, over the last [`MEASURED_OVER`].
    admitted: VecDeque<Instant>,
}

impl AdaptiveRate {
    pub(crate) fn new() -> Self {
        AdaptiveRate {
            rate: None,
            tokens: 0.0,
            refilled_at: None,
            throttled_rate: 0.0,
            cut_at: None,
            admitted: VecDeque::new(),
        }
    }

    /// The current rate in requests per second, once the provider has throttled.
    pub(crate) fn rate(&self) -> Option<f64> {
        self.rate
    }

    /// Takes a send slot now, or says how long until one is free.
    pub(crate) fn try_take(&mut self, now: Instant) -> Result<(), Duration> {
        let Some(rate) = self.rate else {
            return Ok(());
        };
        let capacity = (rate * BURST).max(1.0);
        let elapsed = self.refilled_at.map_or(0.0, |then| {
            now.saturating_duration_since(then).as_secs_f64()
        });
        self.tokens = (self.tokens + elapsed * rate).min(capacity);
        self.refilled_at = Some(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / rate))
        }
    }

    /// A request sent at `sent_at` was answered 429 at `now`.
    pub(crate) fn throttled(&mut self, sent_at: Instant, now: Instant) {
        if self.cut_at.is_some_and(|cut_at| sent_at < cut_at) {
            return;
        }
        let admitted = self.admitted_rate(now);
        let throttled = self.rate.map_or(admitted, |rate| rate.min(admitted));
        self.throttled_rate = throttled.max(MIN_RATE);
        self.cut_at = Some(now);
        self.rate = Some((throttled * BETA).max(MIN_RATE));
        self.tokens = self.tokens.min(1.0);
    }

    /// The provider admitted a request at `now`.
    pub(crate) fn admitted(&mut self, now: Instant) {
        self.admitted.push_back(now);
        let admitted = self.admitted_rate(now);
        let (Some(_), Some(cut_at)) = (self.rate, self.cut_at) else {
            return;
        };
        let since_cut = now.saturating_duration_since(cut_at).as_secs_f64();
        let plateau_after = (self.throttled_rate * (1.0 - BETA) / SCALE).cbrt();
        let cubic = SCALE * (since_cut - plateau_after).powi(3) + self.throttled_rate;
        // Beyond the throttled rate, grow only as far as the calls actually made need.
        let ceiling = (2.0 * admitted).max(self.throttled_rate);
        self.rate = Some(cubic.min(ceiling).max(MIN_RATE));
    }

    /// Requests admitted per second, over the last second.
    fn admitted_rate(&mut self, now: Instant) -> f64 {
        while self
            .admitted
            .front()
            .is_some_and(|at| now.saturating_duration_since(*at) > MEASURED_OVER)
        {
            self.admitted.pop_front();
        }
        self.admitted.len() as f64 / MEASURED_OVER.as_secs_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: Instant, millis: u64) -> Instant {
        start + Duration::from_millis(millis)
    }

    #[test]
    fn unlimited_until_the_first_429() {
        let mut adaptive = AdaptiveRate::new();
        let start = Instant::now();
        for _ in 0..1000 {
            assert_eq!(adaptive.try_take(start), Ok(()));
        }
        assert_eq!(adaptive.rate(), None);
    }

    #[test]
    fn a_429_cuts_to_70_percent_of_the_admitted_rate_once_per_round() {
        let mut adaptive = AdaptiveRate::new();
        let start = Instant::now();
        // 100 admitted within the last second.
        for index in 0..100 {
            adaptive.admitted(at(start, index * 5));
        }
        adaptive.throttled(start, at(start, 600));
        assert_eq!(adaptive.rate(), Some(70.0));
        // Answers to requests sent before the cut do not cut again...
        adaptive.throttled(at(start, 599), at(start, 601));
        assert_eq!(adaptive.rate(), Some(70.0));
        // ...one sent after it does: from the lower of the rate and what was admitted.
        adaptive.throttled(at(start, 602), at(start, 700));
        assert_eq!(adaptive.rate(), Some(49.0));
    }

    #[test]
    fn the_rate_grows_back_as_calls_succeed() {
        let mut adaptive = AdaptiveRate::new();
        let start = Instant::now();
        for index in 0..100 {
            adaptive.admitted(at(start, index * 10));
        }
        adaptive.throttled(start, at(start, 1000));
        assert_eq!(adaptive.rate(), Some(70.0));
        // One success a few seconds later: back near 100 (the plateau is ~4.2 s away).
        adaptive.admitted(at(start, 4000));
        let near = adaptive.rate().unwrap();
        assert!((90.0..100.0).contains(&near), "{near}");
        // Beyond the plateau the rate grows only as far as twice what is admitted.
        for index in 0..150 {
            adaptive.admitted(at(start, 9000 + index * 5));
        }
        let above = adaptive.rate().unwrap();
        assert!(above > 100.0 && above <= 300.0, "{above}");
    }

    #[test]
    fn sends_are_spaced_at_the_rate() {
        let mut adaptive = AdaptiveRate::new();
        let start = Instant::now();
        adaptive.throttled(start, start);
        assert_eq!(adaptive.rate(), Some(MIN_RATE));
        assert_eq!(adaptive.try_take(start), Err(Duration::from_secs(2)));
        assert_eq!(adaptive.try_take(at(start, 2000)), Ok(()));
        assert!(adaptive.try_take(at(start, 2000)).is_err());
    }
}
