//! Fault injection: a plan of `429`s and `503`s a sandbox answers instead of the
//! implementation, to see an integration's retries and waits at work. Draws are seeded,
//! so a plan fails the same requests on every run.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use http::{HeaderValue, StatusCode};

use super::reply::Encoded;

/// A failure the sandbox answers in place of the implementation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// `429 Too Many Requests` with `Retry-After` (and `retry-after-ms` below a second).
    RateLimited {
        /// The wait the answer asks for.
        retry_after: Duration,
    },
    /// `503 Service Unavailable`, with `Retry-After` when given.
    Unavailable {
        /// The wait the answer asks for, if any.
        retry_after: Option<Duration>,
    },
}

impl Fault {
    /// `429` asking the client to wait `retry_after`.
    pub fn rate_limited(retry_after: Duration) -> Fault {
        Fault::RateLimited { retry_after }
    }

    /// `503` without a `Retry-After`.
    pub fn unavailable() -> Fault {
        Fault::Unavailable { retry_after: None }
    }

    pub(crate) fn encode(&self, operation: &str) -> Encoded {
        let (status, error, wait) = match self {
            Fault::RateLimited { retry_after } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                Some(*retry_after),
            ),
            Fault::Unavailable { retry_after } => {
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable", *retry_after)
            }
        };
        let message = format!("injected by the sandbox's fault plan, for `{operation}`");
        let mut encoded = Encoded::plain_problem(status, error, &message);
        if let Some(wait) = wait {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            encoded
                .headers
                .insert(http::header::RETRY_AFTER, HeaderValue::from(seconds));
            if wait.subsec_nanos() > 0 {
                let millis = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                encoded
                    .headers
                    .insert("retry-after-ms", HeaderValue::from(millis));
            }
        }
        encoded
    }
}

/// When a rule fires, counting the requests it applies to.
#[derive(Debug, Clone, PartialEq)]
enum Trigger {
    First(u64),
    Every(u64),
    Chance(f64),
}

/// One rule of a [`Faults`] plan: a fault, when it fires, and for which operation.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    fault: Fault,
    trigger: Trigger,
    operation: Option<String>,
}

impl FaultRule {
    /// Answers the first `count` requests the rule applies to with `fault`.
    pub fn first(count: u64, fault: Fault) -> FaultRule {
        FaultRule {
            fault,
            trigger: Trigger::First(count),
            operation: None,
        }
    }

    /// Answers every `nth` request the rule applies to (the nth, the 2nth, ...) with
    /// `fault`; `0` never fires.
    pub fn every(nth: u64, fault: Fault) -> FaultRule {
        FaultRule {
            fault,
            trigger: Trigger::Every(nth),
            operation: None,
        }
    }

    /// Answers each request the rule applies to with `fault` with probability
    /// `probability` (0 to 1), drawn from the plan's seed.
    pub fn chance(probability: f64, fault: Fault) -> FaultRule {
        FaultRule {
            fault,
            trigger: Trigger::Chance(probability),
            operation: None,
        }
    }

    /// Applies the rule only to requests of `operation` (the spec's `operationId`).
    pub fn operation(mut self, operation: impl Into<String>) -> FaultRule {
        self.operation = Some(operation.into());
        self
    }
}

/// A fault-injection plan. Rules are tried in order for each request; the first that
/// fires answers it, and the implementation never sees it.
///
/// ```
/// use std::time::Duration;
/// use tether::sandbox::{Fault, FaultRule, Faults};
///
/// let faults = Faults::new()
///     .seed(7)
///     .rule(FaultRule::first(2, Fault::rate_limited(Duration::from_millis(50))).operation("getPage"))
///     .rule(FaultRule::chance(0.1, Fault::unavailable()));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    rules: Vec<FaultRule>,
    seed: u64,
}

impl Faults {
    /// No faults, seed 0.
    pub fn new() -> Faults {
        Faults::default()
    }

    /// Seeds the draws of [`FaultRule::chance`] rules.
    pub fn seed(mut self, seed: u64) -> Faults {
        self.seed = seed;
        self
    }

    /// Adds `rule` after the others.
    pub fn rule(mut self, rule: FaultRule) -> Faults {
        self.rules.push(rule);
        self
    }
}

/// A plan being applied: each rule's count and draws.
#[derive(Debug)]
pub(crate) struct FaultState {
    rules: Vec<(FaultRule, AtomicU64)>,
    draws: Mutex<fastrand::Rng>,
    injected: AtomicU64,
}

impl FaultState {
    pub(crate) fn new(plan: Faults) -> FaultState {
        FaultState {
            rules: plan
                .rules
                .into_iter()
                .map(|rule| (rule, AtomicU64::new(0)))
                .collect(),
            draws: Mutex::new(fastrand::Rng::with_seed(plan.seed)),
            injected: AtomicU64::new(0),
        }
    }

    /// The fault to answer a request of `operation` with, if a rule fires.
    pub(crate) fn fault_for(&self, operation: &str) -> Option<&Fault> {
        let (rule, _) = self.rules.iter().find(|(rule, seen)| {
            if rule
                .operation
                .as_deref()
                .is_some_and(|only| only != operation)
            {
                return false;
            }
            let count = seen.fetch_add(1, Ordering::Relaxed) + 1;
            match rule.trigger {
                Trigger::First(first) => count <= first,
                Trigger::Every(nth) => nth > 0 && count % nth == 0,
                Trigger::Chance(probability) => {
                    // A poisoned lock only means another request panicked mid-draw; the
                    // generator's state is still a valid one.
                    let mut draws = self
                        .draws
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    draws.f64() < probability
                }
            }
        })?;
        self.injected.fetch_add(1, Ordering::Relaxed);
        Some(&rule.fault)
    }

    /// How many requests were answered with a fault.
    pub(crate) fn injected(&self) -> u64 {
        self.injected.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fired(state: &FaultState, operation: &str, requests: usize) -> Vec<bool> {
        (0..requests)
            .map(|_| state.fault_for(operation).is_some())
            .collect()
    }

    #[test]
    fn counted_rules_fire_on_their_requests_only() {
        let plan = Faults::new()
            .rule(FaultRule::first(2, Fault::unavailable()).operation("a"))
            .rule(FaultRule::every(
                3,
                Fault::rate_limited(Duration::from_secs(1)),
            ));
        let state = FaultState::new(plan);
        assert_eq!(fired(&state, "a", 3), [true, true, false]);
        assert_eq!(fired(&state, "b", 3), [false, true, false]);
        assert_eq!(state.injected(), 3);
    }

    #[test]
    fn chance_is_seeded() {
        let plan = Faults::new()
            .seed(42)
            .rule(FaultRule::chance(0.5, Fault::unavailable()));
        let first = fired(&FaultState::new(plan.clone()), "a", 64);
        let again = fired(&FaultState::new(plan), "a", 64);
        assert_eq!(first, again);
        let count = first.iter().filter(|fired| **fired).count();
        assert!((16..48).contains(&count), "{count} of 64 fired");
    }

    #[test]
    fn answers_carry_the_wait() {
        let encoded = Fault::rate_limited(Duration::from_millis(1500)).encode("a");
        assert_eq!(encoded.status, Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(encoded.headers["retry-after"], "2");
        assert_eq!(encoded.headers["retry-after-ms"], "1500");
    }
}
