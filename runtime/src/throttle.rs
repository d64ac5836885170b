//! Holding calls the provider would refuse, shared by every clone of a client: the budget
//! the provider announces in its headers (on by default), and the adaptive rate learnt
//! from its 429s (opt-in).
//!
//! The announced budget counts the client's own requests: a response says how many
//! requests the provider still takes after it, but others may have been sent since, or be
//! on their way. So the budget is the last announced `remaining` less every request that
//! announcement may not have counted (all those sent since, and those in flight when its
//! request left), less each request sent after it. At zero, calls are held until the
//! window resets (or a later answer announces more). Until an answer announces the budget,
//! and again once a window has ended, the client probes as TCP's slow start does: one
//! request in flight, one more for every answer that announces nothing.
//!
//! Calls queue in order; only the first in the queue looks at the budget and waits, so a
//! thousand held calls cost one timer, not a thousand. While none is queued (nearly
//! always), a call takes only the budget's lock: no turn in the queue, and its answer
//! wakes nobody.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use http::{HeaderName, StatusCode};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::adaptive::AdaptiveRate;
use crate::limit_headers;
use crate::response::RawResponse;

/// How long a spent budget is held when the provider names no reset, or one that has
/// passed (a clock behind the provider's): then the client probes again.
const UNANNOUNCED_RESET: Duration = Duration::from_secs(1);

/// What holds a client's calls back, shared by its clones.
#[derive(Debug)]
pub(crate) struct Throttle {
    /// Calls wait their turn here; the one holding it waits for the budget.
    queue: tokio::sync::Mutex<()>,
    /// Calls in [`Throttle::admit`]: queued, or first in the queue and waiting.
    waiting: AtomicUsize,
    /// `None` when the client ignores rate-limit headers.
    budget: Option<Mutex<Budget>>,
    /// `None` unless adaptive mode is on.
    adaptive: Option<Mutex<AdaptiveRate>>,
    /// Woken by every answer: it may announce a budget or free a probe.
    answered: Notify,
}

/// The provider's budget, as far as the client knows it.
#[derive(Debug)]
struct Budget {
    sent: u64,
    answered: u64,
    failed: u64,
    window: Window,
}

#[derive(Debug)]
enum Window {
    /// No budget known: at most `allowed` requests in flight.
    Probing { allowed: u64 },
    /// `left` more requests until `reset_at`, as announced in `header`.
    Announced {
        left: u64,
        reset_at: Instant,
        header: HeaderName,
    },
}

/// Why the first call in the queue cannot be sent yet.
enum Hold {
    /// The announced budget is spent until `until`.
    Spent { until: Instant, header: HeaderName },
    /// Probing: as many requests in flight as allowed until one is answered.
    Probing { in_flight: u64 },
}

impl Budget {
    fn new() -> Self {
        Budget {
            sent: 0,
            answered: 0,
            failed: 0,
            window: Window::Probing { allowed: 1 },
        }
    }

    /// Counts one request as sent if the budget allows it now; returns the number of
    /// answers that had arrived when it left. `clock` is read only for an announced
    /// window: most calls find none, and need no time.
    fn try_send(&mut self, clock: impl FnOnce() -> Instant) -> Result<u64, Hold> {
        if let Window::Announced { reset_at, .. } = self.window {
            if clock() >= reset_at {
                self.window = Window::Probing { allowed: 1 };
            }
        }
        let in_flight = self.sent - self.answered - self.failed;
        match &mut self.window {
            Window::Probing { allowed } if in_flight >= *allowed => {
                return Err(Hold::Probing { in_flight })
            }
            Window::Probing { .. } => {}
            Window::Announced {
                left: 0,
                reset_at,
                header,
            } => {
                return Err(Hold::Spent {
                    until: *reset_at,
                    header: header.clone(),
                })
            }
            Window::Announced { left, .. } => *left -= 1,
        }
        self.sent += 1;
        Ok(self.answered)
    }

    /// An answer to a request sent when `answered_before` answers had arrived; `clock` is
    /// read only when it announces a budget.
    fn answer(
        &mut self,
        answered_before: u64,
        response: &RawResponse,
        clock: impl FnOnce() -> Instant,
    ) {
        self.answered += 1;
        match limit_headers::announcement(&response.headers) {
            Some(announced) => {
                let uncounted = self.sent - answered_before - 1;
                let reset = announced
                    .reset
                    .filter(|reset| !reset.is_zero())
                    .unwrap_or(UNANNOUNCED_RESET);
                self.window = Window::Announced {
                    left: announced.remaining.saturating_sub(uncounted),
                    reset_at: clock() + reset,
                    header: announced.header,
                };
            }
            None => {
                if let Window::Probing { allowed } = &mut self.window {
                    *allowed += 1;
                }
            }
        }
    }
}

/// Why a call was not let through.
pub(crate) struct PastDeadline;

impl Throttle {
    /// A throttle that follows the provider's headers if `announced`, and learns a rate
    /// from its 429s if `adaptive`; `None` if neither.
    pub(crate) fn new(announced: bool, adaptive: bool) -> Option<Self> {
        (announced || adaptive).then(|| Throttle {
            queue: tokio::sync::Mutex::new(()),
            waiting: AtomicUsize::new(0),
            budget: announced.then(|| Mutex::new(Budget::new())),
            adaptive: adaptive.then(|| Mutex::new(AdaptiveRate::new())),
            answered: Notify::new(),
        })
    }

    /// Lets one more request go at once, when no call is queued and the budget is open:
    /// what most calls find, without the future of [`Throttle::admit`]. `None` when the
    /// call has to wait (or the client learns a rate, whose check `admit` makes).
    pub(crate) fn try_admit(&self) -> Option<Ticket<'_>> {
        // A queued call goes first.
        if self.adaptive.is_some() || self.waiting.load(Ordering::SeqCst) != 0 {
            return None;
        }
        let answered_before = match &self.budget {
            Some(budget) => lock(budget).try_send(Instant::now).ok()?,
            None => 0,
        };
        Some(self.ticket(answered_before))
    }

    /// Wakes the first call in the queue, if there is one, to look at the budget again.
    ///
    /// Called after the budget changed. A call that joins the queue counts itself in
    /// `waiting` before it looks at the budget, and that look comes after this change or
    /// before it: after, it sees the change; before, its count was there to be seen here.
    fn wake_queue(&self) {
        if self.waiting.load(Ordering::SeqCst) != 0 {
            self.answered.notify_waiters();
        }
    }

    fn ticket(&self, answered_before: u64) -> Ticket<'_> {
        Ticket {
            throttle: self,
            answered_before,
            sent_at: self.adaptive.is_some().then(Instant::now),
            settled: false,
        }
    }

    /// Waits until one more request may be sent; fails if that would be after `deadline`.
    pub(crate) async fn admit(
        &self,
        deadline: Option<Instant>,
    ) -> Result<Ticket<'_>, PastDeadline> {
        let _waiting = Waiting::enter(&self.waiting);
        // With no call queued the turn is taken at once, without the timer of a deadline.
        let _turn = match (self.queue.try_lock(), deadline) {
            (Ok(turn), _) => turn,
            (Err(_), Some(deadline)) => tokio::time::timeout_at(deadline, self.queue.lock())
                .await
                .map_err(|_| PastDeadline)?,
            (Err(_), None) => self.queue.lock().await,
        };
        let answered_before = match &self.budget {
            Some(budget) => self.within_budget(budget, deadline).await?,
            None => 0,
        };
        if let Some(adaptive) = &self.adaptive {
            self.within_rate(adaptive, deadline).await?;
        }
        Ok(self.ticket(answered_before))
    }

    async fn within_budget(
        &self,
        budget: &Mutex<Budget>,
        deadline: Option<Instant>,
    ) -> Result<u64, PastDeadline> {
        // Answers wake the queue's head to look again: say why it waits only once per hold.
        let mut told = None;
        loop {
            // Listen before looking, so that an answer in between is not missed.
            let answered = self.answered.notified();
            tokio::pin!(answered);
            answered.as_mut().enable();
            let hold = match lock(budget).try_send(Instant::now) {
                Ok(answered_before) => return Ok(answered_before),
                Err(hold) => hold,
            };
            let until = match hold {
                Hold::Spent { until, header } => {
                    if deadline.is_some_and(|deadline| until > deadline) {
                        tracing::debug!(
                            header = %header,
                            "not sent: the provider's budget is spent until after the call's deadline"
                        );
                        return Err(PastDeadline);
                    }
                    if told != Some(until) {
                        told = Some(until);
                        tracing::info!(
                            wait_ms = until.saturating_duration_since(Instant::now()).as_millis() as u64,
                            reason = "budget spent",
                            header = %header,
                            "held for the provider's rate limit until its window resets"
                        );
                    }
                    Some(until)
                }
                Hold::Probing { in_flight } => {
                    tracing::debug!(
                        in_flight,
                        reason = "slow start",
                        "held for the provider's rate limit until an answer announces the budget"
                    );
                    deadline
                }
            };
            match until {
                Some(until) => {
                    tokio::select! {
                        _ = &mut answered => {}
                        _ = tokio::time::sleep_until(until) => {}
                    }
                }
                None => answered.await,
            }
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                return Err(PastDeadline);
            }
        }
    }

    async fn within_rate(
        &self,
        adaptive: &Mutex<AdaptiveRate>,
        deadline: Option<Instant>,
    ) -> Result<(), PastDeadline> {
        loop {
            let (wait, rate) = {
                let mut adaptive = lock(adaptive);
                match adaptive.try_take(Instant::now()) {
                    Ok(()) => return Ok(()),
                    Err(wait) => (wait, adaptive.rate().unwrap_or_default()),
                }
            };
            if deadline.is_some_and(|deadline| Instant::now() + wait > deadline) {
                tracing::debug!(
                    "not sent: the adaptive rate would hold it past the call's deadline"
                );
                return Err(PastDeadline);
            }
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                reason = "adaptive rate",
                rate_per_s = rate,
                "held for the provider's rate limit"
            );
            tokio::time::sleep(wait).await;
        }
    }
}

/// Counts a call in [`Throttle::admit`] for as long as it is there, finished or dropped.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn enter(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Waiting(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A mutex whose holder panicked still holds consistent counters.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One request let through; settled with its answer, or dropped if none came.
pub(crate) struct Ticket<'a> {
    throttle: &'a Throttle,
    answered_before: u64,
    /// When the request left, for a client that learns a rate (the only reader).
    sent_at: Option<Instant>,
    settled: bool,
}

impl Ticket<'_> {
    /// The request was answered with `response`.
    pub(crate) fn answered(mut self, response: &RawResponse) {
        self.settled = true;
        let throttle = self.throttle;
        if let Some(budget) = &throttle.budget {
            lock(budget).answer(self.answered_before, response, Instant::now);
        }
        if let Some(adaptive) = &throttle.adaptive {
            let now = Instant::now();
            let mut adaptive = lock(adaptive);
            if response.status == StatusCode::TOO_MANY_REQUESTS {
                adaptive.throttled(self.sent_at.unwrap_or(now), now);
            } else {
                adaptive.admitted(now);
            }
        }
        throttle.wake_queue();
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        if let Some(budget) = &self.throttle.budget {
            lock(budget).failed += 1;
        }
        self.throttle.wake_queue();
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use http::HeaderMap;

    use super::*;

    fn response(pairs: &[(&'static str, &str)]) -> RawResponse {
        RawResponse {
            status: StatusCode::OK,
            headers: pairs
                .iter()
                .map(|(name, value)| (HeaderName::from_static(name), value.parse().unwrap()))
                .collect::<HeaderMap>(),
            body: Bytes::new(),
        }
    }

    #[test]
    fn requests_in_flight_count_against_a_stale_announcement() {
        let now = Instant::now();
        let mut budget = Budget::new();
        let first = budget.try_send(|| now).ok().unwrap();
        budget.answer(
            first,
            &response(&[("ratelimit-remaining", "10"), ("ratelimit-reset", "1")]),
            || now,
        );
        // Ten sent on that word; the eleventh is held.
        let sent: Vec<u64> = (0..10)
            .map(|_| budget.try_send(|| now).ok().unwrap())
            .collect();
        assert!(matches!(budget.try_send(|| now), Err(Hold::Spent { .. })));
        // The answer to the last one sent arrives first and says 9 left: it cannot have
        // counted the nine others, so there is still nothing left.
        budget.answer(
            sent[9],
            &response(&[("ratelimit-remaining", "9"), ("ratelimit-reset", "1")]),
            || now,
        );
        assert!(matches!(budget.try_send(|| now), Err(Hold::Spent { .. })));
        // An answer that left after every other was answered is exact.
        for &before in &sent[..9] {
            budget.answer(before, &response(&[]), || now);
        }
        let last = budget
            .try_send(|| now + Duration::from_secs(2))
            .ok()
            .unwrap();
        budget.answer(
            last,
            &response(&[("ratelimit-remaining", "5"), ("ratelimit-reset", "1")]),
            || now,
        );
        assert_eq!(
            (0..5).filter(|_| budget.try_send(|| now).is_ok()).count(),
            5
        );
        assert!(budget.try_send(|| now).is_err());
    }

    #[test]
    fn probing_allows_one_more_per_silent_answer() {
        let now = Instant::now();
        let mut budget = Budget::new();
        let first = budget.try_send(|| now).ok().unwrap();
        assert!(matches!(
            budget.try_send(|| now),
            Err(Hold::Probing { in_flight: 1 })
        ));
        budget.answer(first, &response(&[]), || now);
        assert!(budget.try_send(|| now).is_ok());
        assert!(budget.try_send(|| now).is_ok());
        assert!(matches!(
            budget.try_send(|| now),
            Err(Hold::Probing { in_flight: 2 })
        ));
    }
}
