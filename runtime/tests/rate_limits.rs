//! Rate limits without 429s, against a provider on loopback (axum) that enforces a fixed
//! window: the budget the provider announces in each header family, slow start before the
//! first announcement, the budget shared by clones, the adaptive rate learnt from 429s,
//! and the retry budget when the provider is down.
//!
//! Every test runs on tokio's paused clock: the provider's windows, the client's holds and
//! the retry waits take no real time, and the provider records when each request arrived.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::ThreadId;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tether::__private::serde_json::{json, Value};
use tether::__private::{json as decode_json, send_body, Call};
use tether::{ClientConfig, Credential, Error, HttpClient, Method, RetryPolicy, Secret};
use tokio::time::Instant;
use tracing_subscriber::layer::SubscriberExt;

// ---------------------------------------------------------------------------------------
// The provider

/// How the provider announces its budget.
#[derive(Debug, Clone, Copy)]
enum Family {
    /// `RateLimit-*`, reset in seconds from now.
    Ietf,
    /// `X-RateLimit-*`, reset as a Unix time in seconds.
    GitHub,
    /// `X-HubSpot-RateLimit-*`: no reset, the window's length.
    HubSpot,
    /// Nothing.
    Silent,
}

/// `limit` requests per fixed window of `window` (counted from the start), 429 beyond it.
struct Provider {
    family: Family,
    window: Duration,
    limit: AtomicU64,
    /// How long each answer takes.
    latency: Duration,
    /// Answers 503 to everything.
    down: AtomicBool,
    start: Instant,
    /// The current window's number and the requests admitted in it.
    admitted: Mutex<(u128, u64)>,
    /// When each request arrived (since the start) and the status it got.
    seen: Mutex<Vec<(Duration, u16)>>,
}

impl Provider {
    async fn start(family: Family, limit: u64, window: Duration) -> (Arc<Provider>, String) {
        Provider::with_latency(family, limit, window, Duration::ZERO).await
    }

    async fn with_latency(
        family: Family,
        limit: u64,
        window: Duration,
        latency: Duration,
    ) -> (Arc<Provider>, String) {
        let provider = Arc::new(Provider {
            family,
            window,
            limit: AtomicU64::new(limit),
            latency,
            down: AtomicBool::new(false),
            start: Instant::now(),
            admitted: Mutex::new((0, 0)),
            seen: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/things", get(answer))
            .with_state(provider.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (provider, url)
    }

    fn seen(&self) -> Vec<(Duration, u16)> {
        self.seen.lock().unwrap().clone()
    }

    fn count(&self, status: u16) -> usize {
        self.seen().iter().filter(|(_, got)| *got == status).count()
    }

    /// How many requests arrived in each window, in order.
    fn per_window(&self) -> Vec<usize> {
        let mut counts = Vec::new();
        for (at, _) in self.seen() {
            let window = (at.as_nanos() / self.window.as_nanos()) as usize;
            if counts.len() <= window {
                counts.resize(window + 1, 0);
            }
            counts[window] += 1;
        }
        counts
    }

    /// The arrival times, in milliseconds since the start.
    fn arrivals_ms(&self) -> Vec<u64> {
        let mut arrivals: Vec<u64> = self
            .seen()
            .iter()
            .map(|(at, _)| at.as_millis() as u64)
            .collect();
        arrivals.sort_unstable();
        arrivals
    }
}

async fn answer(State(provider): State<Arc<Provider>>) -> Response {
    let elapsed = provider.start.elapsed();
    if provider.down.load(Ordering::SeqCst) {
        provider.seen.lock().unwrap().push((elapsed, 503));
        return (StatusCode::SERVICE_UNAVAILABLE, "down").into_response();
    }
    let number = elapsed.as_nanos() / provider.window.as_nanos();
    let limit = provider.limit.load(Ordering::SeqCst);
    let (admitted, remaining) = {
        let mut window = provider.admitted.lock().unwrap();
        if window.0 != number {
            *window = (number, 0);
        }
        let admitted = window.1 < limit;
        if admitted {
            window.1 += 1;
        }
        (admitted, limit - window.1)
    };
    let status = if admitted { 200 } else { 429 };
    provider.seen.lock().unwrap().push((elapsed, status));
    tokio::time::sleep(provider.latency).await;

    let until_end = provider.window * (number as u32 + 1) - elapsed;
    let seconds_left = until_end.as_secs_f64().ceil() as u64;
    let mut headers = HeaderMap::new();
    let mut add = |name: &'static str, value: String| {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_str(&value).unwrap(),
        );
    };
    match provider.family {
        Family::Ietf => {
            add("ratelimit-limit", limit.to_string());
            add("ratelimit-remaining", remaining.to_string());
            add("ratelimit-reset", seconds_left.to_string());
        }
        Family::GitHub => {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            let reset = (now + until_end).as_secs_f64().ceil() as u64;
            add("x-ratelimit-limit", limit.to_string());
            add("x-ratelimit-remaining", remaining.to_string());
            add("x-ratelimit-reset", reset.to_string());
        }
        Family::HubSpot => {
            add("x-hubspot-ratelimit-max", limit.to_string());
            add("x-hubspot-ratelimit-remaining", remaining.to_string());
            let window = provider.window.as_millis().to_string();
            add("x-hubspot-ratelimit-interval-milliseconds", window);
        }
        Family::Silent => {}
    }
    if !admitted {
        add("retry-after", seconds_left.to_string());
        return (StatusCode::TOO_MANY_REQUESTS, headers, "slow down").into_response();
    }
    (headers, Json(json!({"ok": true}))).into_response()
}

// ---------------------------------------------------------------------------------------
// Calls, as generated code makes them

fn client(url: &str, config: impl FnOnce(ClientConfig) -> ClientConfig) -> HttpClient {
    HttpClient::new(config(ClientConfig::new(url)), &[]).unwrap()
}

fn list(client: &HttpClient) -> Call<Value, std::convert::Infallible> {
    let mut call = Call::new(client, Method::GET, "listThings", decode_json::<Value>);
    call.path("/things");
    call
}

/// Sends `calls` calls at once, through the clients `pick` chooses; returns how many
/// succeeded and the errors of the others.
async fn burst(
    calls: usize,
    pick: impl Fn(usize) -> HttpClient,
) -> (usize, Vec<Error<std::convert::Infallible>>) {
    let tasks: Vec<_> = (0..calls)
        .map(|index| tokio::spawn(send_body(list(&pick(index)))))
        .collect();
    let mut succeeded = 0;
    let mut errors = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => succeeded += 1,
            Err(error) => errors.push(error),
        }
    }
    (succeeded, errors)
}

// ---------------------------------------------------------------------------------------
// Tracing events, captured

/// The `held` events of each test thread: wait in ms (if known) and reason.
type Held = Arc<Mutex<Vec<(ThreadId, Option<u64>, String)>>>;

#[derive(Clone, Default)]
struct HeldEvents(Held);

#[derive(Default)]
struct Fields {
    message: String,
    wait_ms: Option<u64>,
    reason: String,
}

impl tracing::field::Visit for Fields {
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        if field.name() == "wait_ms" {
            self.wait_ms = Some(value);
        }
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "reason" {
            self.reason = value.to_owned();
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for HeldEvents {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        if fields
            .message
            .starts_with("held for the provider's rate limit")
        {
            let thread = std::thread::current().id();
            let mut held = self.0.lock().unwrap();
            held.push((thread, fields.wait_ms, fields.reason));
        }
    }
}

static HELD: OnceLock<HeldEvents> = OnceLock::new();

/// Starts capturing (one subscriber for the whole process: see `resilience.rs`); returns
/// a function that yields this thread's `held` events so far.
fn capture_held() -> impl Fn() -> Vec<(Option<u64>, String)> {
    let captured = HELD.get_or_init(|| {
        let captured = HeldEvents::default();
        let subscriber = tracing_subscriber::registry().with(captured.clone());
        tracing::subscriber::set_global_default(subscriber).unwrap();
        captured
    });
    let thread = std::thread::current().id();
    move || {
        captured
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|(on, _, _)| *on == thread)
            .map(|(_, wait, reason)| (*wait, reason.clone()))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// The announced budget, per header family

/// Nine calls at once against 3 per window: three windows, three calls in each, no 429.
async fn holds_until_each_reset(family: Family, window: Duration) -> Arc<Provider> {
    let (provider, url) = Provider::start(family, 3, window).await;
    let client = client(&url, |config| config);
    let (succeeded, errors) = burst(9, |_| client.clone()).await;
    assert_eq!((succeeded, errors.len()), (9, 0), "{errors:?}");
    assert_eq!(provider.count(429), 0, "{:?}", provider.seen());
    assert_eq!(provider.per_window(), [3, 3, 3], "{:?}", provider.seen());
    provider
}

#[tokio::test(start_paused = true)]
async fn the_ietf_budget_holds_calls_until_the_reset_in_seconds() {
    let held = capture_held();
    let provider = holds_until_each_reset(Family::Ietf, Duration::from_secs(5)).await;
    // Each window's calls leave the moment it resets.
    assert_eq!(
        provider.arrivals_ms(),
        [0, 0, 0, 5000, 5000, 5000, 10000, 10000, 10000]
    );
    // The first in the queue says why it waits, and how long.
    let budget_holds: Vec<_> = held()
        .into_iter()
        .filter(|(_, reason)| reason == "budget spent")
        .collect();
    assert_eq!(
        budget_holds,
        [
            (Some(5000), "budget spent".to_owned()),
            (Some(5000), "budget spent".to_owned())
        ]
    );

    // The same provider, its headers ignored: the calls run into 429s.
    let (provider, url) = Provider::start(Family::Ietf, 3, Duration::from_secs(5)).await;
    let ignoring = client(&url, |config| {
        config
            .follow_rate_limit_headers(false)
            .retry(RetryPolicy::default().max_retry_after(Duration::from_secs(1)))
    });
    let (succeeded, _) = burst(9, |_| ignoring.clone()).await;
    assert_eq!(succeeded, 3);
    assert_eq!(provider.count(429), 6);
}

#[tokio::test(start_paused = true)]
async fn the_github_budget_holds_calls_until_the_reset_time() {
    let provider = holds_until_each_reset(Family::GitHub, Duration::from_secs(5)).await;
    // The reset is a whole second of the system clock, which the client's may be ahead
    // of: it holds until a second after it.
    let arrivals = provider.arrivals_ms();
    assert!(arrivals[..3].iter().all(|at| *at == 0), "{arrivals:?}");
    assert!(
        arrivals[3..6].iter().all(|at| (6000..=7000).contains(at)),
        "{arrivals:?}"
    );
    assert!(
        arrivals[6..].iter().all(|at| (11000..=13000).contains(at)),
        "{arrivals:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_hubspot_budget_holds_calls_for_its_window() {
    let provider = holds_until_each_reset(Family::HubSpot, Duration::from_secs(10)).await;
    assert_eq!(
        provider.arrivals_ms(),
        [0, 0, 0, 10000, 10000, 10000, 20000, 20000, 20000]
    );
}

#[tokio::test(start_paused = true)]
async fn the_budget_is_shared_by_clones() {
    let (provider, url) = Provider::start(Family::Ietf, 4, Duration::from_secs(10)).await;
    let client = client(&url, |config| config);
    let with_token = client.with_credential("unused", Credential::Token(Secret::new("t")));
    let (succeeded, errors) = burst(8, |index| match index % 2 {
        0 => client.clone(),
        _ => with_token.clone(),
    })
    .await;
    assert_eq!((succeeded, errors.len()), (8, 0), "{errors:?}");
    assert_eq!(provider.count(429), 0);
    assert_eq!(provider.per_window(), [4, 4]);
}

// ---------------------------------------------------------------------------------------
// Slow start

#[tokio::test(start_paused = true)]
async fn one_request_goes_first_until_an_answer_announces_the_budget() {
    let latency = Duration::from_millis(100);
    let (provider, url) =
        Provider::with_latency(Family::Ietf, 100, Duration::from_secs(60), latency).await;
    let client = client(&url, |config| config);
    let (succeeded, _) = burst(10, |_| client.clone()).await;
    assert_eq!(succeeded, 10);
    // The first answer announced 99 left: the nine others went at once.
    assert_eq!(
        provider.arrivals_ms(),
        [0, 100, 100, 100, 100, 100, 100, 100, 100, 100]
    );
}

#[tokio::test(start_paused = true)]
async fn a_provider_that_announces_nothing_is_probed_as_tcp_slow_start() {
    let latency = Duration::from_millis(100);
    let (provider, url) =
        Provider::with_latency(Family::Silent, 100, Duration::from_secs(60), latency).await;
    let client = client(&url, |config| config);
    let (succeeded, _) = burst(15, |_| client.clone()).await;
    assert_eq!(succeeded, 15);
    // One more request in flight per answer: the window doubles every round trip.
    let per_round_trip: Vec<usize> = [0, 100, 200, 300]
        .iter()
        .map(|at| provider.arrivals_ms().iter().filter(|ms| *ms == at).count())
        .collect();
    assert_eq!(per_round_trip, [1, 2, 4, 8]);
}

// ---------------------------------------------------------------------------------------
// The adaptive rate

#[tokio::test(start_paused = true)]
async fn the_adaptive_rate_drops_on_429s_and_recovers_as_calls_succeed() {
    let (provider, url) = Provider::start(Family::Silent, 10, Duration::from_secs(1)).await;
    let patient = RetryPolicy::default().max_retries(10);
    let adaptive = client(&url, |config| {
        config.adaptive_rate_limit().retry(patient.clone())
    });

    // 200 calls at once against 10 per second: the rate drops to the provider's, and
    // the 429s stop once it has.
    let (succeeded, errors) = burst(200, |_| adaptive.clone()).await;
    assert_eq!((succeeded, errors.len()), (200, 0), "{errors:?}");
    let learning = provider.count(429);
    assert!(learning <= 40, "{learning} × 429");

    // The provider's limit goes up: the rate follows as calls succeed. At the first
    // rate, 200 calls take 20 s.
    provider.limit.store(50, Ordering::SeqCst);
    let start = Instant::now();
    let (succeeded, errors) = burst(200, |_| adaptive.clone()).await;
    assert_eq!((succeeded, errors.len()), (200, 0), "{errors:?}");
    let faster = start.elapsed();
    assert!(faster < Duration::from_secs(14), "{faster:?}");

    // Without adaptive mode, the same burst mostly fails, after many more 429s.
    let (provider, url) = Provider::start(Family::Silent, 10, Duration::from_secs(1)).await;
    let plain = client(&url, |config| config.retry(patient.clone()));
    let (succeeded, _) = burst(200, |_| plain.clone()).await;
    assert!(succeeded < 100, "{succeeded}");
    assert!(
        provider.count(429) > 5 * learning,
        "{}",
        provider.count(429)
    );
}

// ---------------------------------------------------------------------------------------
// The retry budget

#[tokio::test(start_paused = true)]
async fn an_exhausted_retry_budget_fails_fast_and_successes_refill_it() {
    let (provider, url) = Provider::start(Family::Silent, 1000, Duration::from_secs(1)).await;
    provider.down.store(true, Ordering::SeqCst);
    // 20 tokens: four retries.
    let client = client(&url, |config| {
        config.retry(RetryPolicy::default().retry_budget(20))
    });
    for _ in 0..2 {
        let error = send_body(list(&client)).await.unwrap_err();
        assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    }
    assert_eq!(provider.seen().len(), 6);
    let error = send_body(list(&client)).await.unwrap_err();
    match &error {
        Error::RetryBudgetExhausted {
            status,
            last_failure,
            ..
        } => {
            assert_eq!(status.map(|status| status.as_u16()), Some(503));
            assert_eq!(last_failure, "status 503");
        }
        other => panic!("expected an exhausted retry budget, got {other:?}"),
    }
    assert!(
        error.to_string().contains("retry budget is spent"),
        "{error}"
    );
    assert_eq!(provider.seen().len(), 7, "failed fast: one attempt");

    // Five successes put back five tokens: one more retry.
    provider.down.store(false, Ordering::SeqCst);
    for _ in 0..5 {
        send_body(list(&client)).await.unwrap();
    }
    provider.down.store(true, Ordering::SeqCst);
    let error = send_body(list(&client)).await.unwrap_err();
    assert!(
        matches!(error, Error::RetryBudgetExhausted { .. }),
        "{error:?}"
    );
    assert_eq!(provider.seen().len(), 7 + 5 + 2);

    // Without a budget, every call retries to its maximum.
    let unbudgeted = self::client(&url, |config| {
        config.retry(RetryPolicy::default().no_retry_budget())
    });
    for _ in 0..3 {
        send_body(list(&unbudgeted)).await.unwrap_err();
    }
    assert_eq!(provider.seen().len(), 14 + 9);
}
