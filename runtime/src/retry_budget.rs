//! The client's retry budget, shared by its clones: a token bucket each retry draws from
//! and each success refills, as in the AWS SDKs' standard retry mode. While a provider
//! answers, retries are rare and the bucket stays full; when it is down, the bucket
//! empties after a hundred retries and every further failure is final at once, instead
//! of each call retrying to its maximum.

use std::sync::Mutex;

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
    tokens: Mutex<u32>,
}

impl RetryBudget {
    /// A full bucket of `capacity` tokens.
    pub(crate) fn new(capacity: u32) -> Self {
        RetryBudget {
            capacity,
            tokens: Mutex::new(capacity),
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
        let mut tokens = self.tokens();
        *tokens = tokens.checked_sub(cost)?;
        Some(cost)
    }

    /// A call succeeded: its last retry's cost comes back, or, if it was not retried, a
    /// token.
    pub(crate) fn succeeded(&self, last_retry_cost: Option<u32>) {
        let mut tokens = self.tokens();
        let refill = last_retry_cost.unwrap_or(SUCCESS_REFILL);
        *tokens = tokens.saturating_add(refill).min(self.capacity);
    }

    fn tokens(&self) -> std::sync::MutexGuard<'_, u32> {
        // The count stays valid whatever a panicking holder was doing.
        self.tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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
