//! Retries: which failures are worth another try, a retry loop for writes the provider
//! applies idempotently (tether itself retries a `PATCH` or `POST` only with an
//! idempotency key), and a count of every retry made, by tether or here, for the summary.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::Context;
use tracing_subscriber::Layer;

/// How many times a write is tried in all.
pub const ATTEMPTS: u32 = 4;

/// Counts retries: tether's own (its `retrying` events, through [`RetryCounter::layer`])
/// and the ones this program makes. Clones share the count.
#[derive(Debug, Clone, Default)]
pub struct RetryCounter(Arc<AtomicU64>);

impl RetryCounter {
    /// The retries counted so far.
    pub fn count(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    /// Counts one retry.
    pub fn add(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// A tracing layer that counts tether's retries.
    pub fn layer(&self) -> CountTetherRetries {
        CountTetherRetries(self.clone())
    }
}

/// The tracing layer of [`RetryCounter::layer`].
pub struct CountTetherRetries(RetryCounter);

impl<S: Subscriber> Layer<S> for CountTetherRetries {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if !event.metadata().target().starts_with("tether") {
            return;
        }
        let mut message = MessageField(false);
        event.record(&mut message);
        if message.0 {
            self.0.add();
        }
    }
}

/// Whether an event's message is tether's "retrying".
struct MessageField(bool);

impl Visit for MessageField {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}") == "retrying";
        }
    }
}

/// Whether a failed call may succeed if made again: no response, a rate limit, or a
/// server error (whether or not its body was the documented one). Documented client
/// errors (a 400, a Slack `ok: false`) are final.
pub fn is_transient<E>(error: &tether::Error<E>) -> bool {
    match error {
        tether::Error::Transport { .. } | tether::Error::Timeout { .. } => true,
        other => other
            .status()
            .is_some_and(|status| status == 429 || status.is_server_error()),
    }
}

/// The wait before try number `attempt + 1` (attempts count from 1): 50 ms, doubling.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(25 << attempt.clamp(1, 8))
}

/// Makes the call `call` builds until it succeeds, fails for good, or [`ATTEMPTS`] are
/// spent. Only for writes that are idempotent at the provider (an upsert by external id,
/// opening a direct message).
pub async fn idempotent<T, E, F, Fut>(
    retries: &RetryCounter,
    mut call: F,
) -> Result<T, tether::Error<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, tether::Error<E>>>,
{
    let mut attempt = 1;
    loop {
        match call().await {
            Err(error) if attempt < ATTEMPTS && is_transient(&error) => {
                retries.add();
                tokio::time::sleep(backoff(attempt)).await;
                attempt += 1;
            }
            result => return result,
        }
    }
}
