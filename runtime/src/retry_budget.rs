//! The client's retry budget, shared by its clones: a token bucket each retry draws from
//! and each success refills, as in the AWS SDKs' standard retry mode. While a provider
//! answers, retries are rare and the bucket stays full; when it is down, the bucket
//! empties after a hundred retries and every further failure is final at once, instead
//! of each call retrying to its maximum.
//!
//! The count is one atomic: every call that succeeds at once would refill it, and a bucket
//! that is already full (nearly always) is only read, so that calls on other threads do
//! not take its cache line from each other.

use std::sync::atomic::{AtomicU32, Ordering};

/// What a retry costs.
const RETRY_COST: u32 = 5;
/// What a retry after a timeout costs: a provider that does not answer is likelier down.
const TIMEOUT_RETRY_COST: u32 = 10;
/// What a call that succeeds at its first attempt puts back.
const SUCCESS_REFILL: u32 = 1;

/// The tokens of one client.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    capacity: u32,
    tokens: AtomicU32,
}

impl RetryBudget {
    /// A full bucket of `capacity` tokens.
    pub(crate) fn new(capacity: u32) -> Self {
        RetryBudget {
            capacity,
            tokens: AtomicU32::new(capacity),
        }
    }

    /// Takes the cost of a retry (after a timeout if `timed_out`) and returns it, or
    /// `None` if too few tokens are left.
    pub(crate) fn withdraw(&self, timed_out: bool) -> Option<u32> {
        let cost = if timed_out {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        self.tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |tokens| {
                tokens.checked_sub(cost)
            })
            .ok()
            .map(|_| cost)
    }

    /// A call succeeded: its last retry's cost comes back, or, if it was not retried, a
    /// token.
    pub(crate) fn succeeded(&self, last_retry_cost: Option<u32>) {
        if self.tokens.load(Ordering::Relaxed) >= self.capacity {
            return;
        }
        let refill = last_retry_cost.unwrap_or(SUCCESS_REFILL);
        // `Err` only when another call filled the bucket meanwhile: nothing to add then.
        let _ = self
            .tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |tokens| {
                (tokens < self.capacity).then(|| tokens.saturating_add(refill).min(self.capacity))
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hundred_retries_empty_the_default_bucket() {
        let budget = RetryBudget::new(500);
        assert_eq!(
            (0..1000).filter_map(|_| budget.withdraw(false)).count(),
            100
        );
        assert_eq!(budget.withdraw(false), None);
    }

    #[test]
    fn timeouts_cost_double_and_successes_refill_up_to_capacity() {
        let budget = RetryBudget::new(20);
        assert_eq!(budget.withdraw(true), Some(10));
        assert_eq!(budget.withdraw(true), Some(10));
        assert_eq!(budget.withdraw(false), None);
        budget.succeeded(Some(10));
        assert_eq!(budget.withdraw(false), Some(5));
        for _ in 0..5 {
            budget.succeeded(None);
        }
        assert_eq!(budget.withdraw(true), Some(10));
        for _ in 0..100 {
            budget.succeeded(Some(5));
        }
        assert_eq!((0..10).filter_map(|_| budget.withdraw(false)).count(), 4);
    }
}
