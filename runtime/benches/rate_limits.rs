//! Rate limits under load, against loopback servers:
//!
//! 1. A provider enforcing 200 requests per second (a token bucket of 200, refilled at
//!    200/s; 429 with `Retry-After` beyond it), with and without `RateLimit-*` headers.
//!    4,000 calls are issued at once through one client: following the headers (the
//!    default), with the headers switched off and adaptive mode on, and with the retry
//!    policy only (with and without its retry budget). Reports calls succeeded, the share
//!    of requests answered 429 and the wall time beside the ideal 20 s.
//! 2. A provider that answers 503 to everything; 1,000 calls at once, with the retry
//!    budget (the default) and without it. Reports the attempts the provider saw.
//!
//! Run with `cargo bench -p tether --bench rate_limits` (optimised; not part of `cargo
//! test`). It takes about two minutes: the first part is paced by the provider's limit.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tether::__private::serde_json::{json, Value};
use tether::__private::{json as decode_json, send_body, Call};
use tether::{ClientConfig, HttpClient, Method, RetryPolicy};

const RATE: f64 = 200.0;
const LIMITED_CALLS: usize = 4_000;
const DOWN_CALLS: usize = 1_000;

/// The provider: a token bucket, or down.
struct Provider {
    announces: bool,
    down: bool,
    bucket: Mutex<(f64, Instant)>,
    requests: AtomicU64,
    throttled: AtomicU64,
}

async fn answer(State(provider): State<Arc<Provider>>) -> Response {
    provider.requests.fetch_add(1, Ordering::Relaxed);
    if provider.down {
        return (StatusCode::SERVICE_UNAVAILABLE, "down").into_response();
    }
    let (admitted, tokens) = {
        let mut bucket = provider.bucket.lock().expect("bucket");
        let now = Instant::now();
        let refilled = bucket.0 + now.duration_since(bucket.1).as_secs_f64() * RATE;
        let mut tokens = refilled.min(RATE);
        let admitted = tokens >= 1.0;
        if admitted {
            tokens -= 1.0;
        }
        *bucket = (tokens, now);
        (admitted, tokens)
    };
    let mut headers = HeaderMap::new();
    let mut add = |name: &'static str, value: String| {
        let value = HeaderValue::from_str(&value).expect("header text");
        headers.insert(HeaderName::from_static(name), value);
    };
    if provider.announces {
        add("ratelimit-limit", (RATE as u64).to_string());
        add("ratelimit-remaining", (tokens.floor() as u64).to_string());
        // Seconds until the bucket is full again.
        add(
            "ratelimit-reset",
            (((RATE - tokens) / RATE).ceil() as u64).to_string(),
        );
    }
    if !admitted {
        provider.throttled.fetch_add(1, Ordering::Relaxed);
        // Whole seconds, as `Retry-After` is written.
        add(
            "retry-after",
            (((1.0 - tokens) / RATE).ceil() as u64).to_string(),
        );
        return (StatusCode::TOO_MANY_REQUESTS, headers, "slow down").into_response();
    }
    (headers, Json(json!({"ok": true}))).into_response()
}

async fn start(announces: bool, down: bool) -> (SocketAddr, Arc<Provider>) {
    let provider = Arc::new(Provider {
        announces,
        down,
        bucket: Mutex::new((RATE, Instant::now())),
        requests: AtomicU64::new(0),
        throttled: AtomicU64::new(0),
    });
    let app = Router::new()
        .route("/things", get(answer))
        .with_state(provider.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("bound");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (address, provider)
}

/// What one load came to.
struct Outcome {
    succeeded: usize,
    failures: Vec<String>,
    requests: u64,
    throttled: u64,
    wall: Duration,
}

/// `calls` calls at once through one client configured by `config`.
async fn load(
    calls: usize,
    announces: bool,
    down: bool,
    config: impl FnOnce(ClientConfig) -> ClientConfig,
) -> Outcome {
    let (address, provider) = start(announces, down).await;
    let client = HttpClient::new(config(ClientConfig::new(format!("http://{address}"))), &[])
        .expect("client");
    let started = Instant::now();
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let mut call: Call<Value, std::convert::Infallible> =
                Call::new(&client, Method::GET, "listThings", decode_json::<Value>);
            call.path("/things");
            tokio::spawn(send_body(call))
        })
        .collect();
    let mut succeeded = 0;
    let mut failures = Vec::new();
    for task in tasks {
        match task.await.expect("call task") {
            Ok(_) => succeeded += 1,
            Err(error) => failures.push(error.to_string()),
        }
    }
    Outcome {
        succeeded,
        failures,
        requests: provider.requests.load(Ordering::Relaxed),
        throttled: provider.throttled.load(Ordering::Relaxed),
        wall: started.elapsed(),
    }
}

/// The kinds of failure, counted: the start of each message after the request.
fn failure_kinds(failures: &[String]) -> String {
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for failure in failures {
        let kind = failure
            .split_once(") ")
            .map_or(failure.as_str(), |(_, rest)| rest)
            .chars()
            .take(60)
            .collect::<String>();
        match kinds.iter_mut().find(|(known, _)| *known == kind) {
            Some((_, count)) => *count += 1,
            None => kinds.push((kind, 1)),
        }
    }
    kinds
        .iter()
        .map(|(kind, count)| format!("{count} × {kind}…"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn limited_row(name: &str, outcome: &Outcome) {
    let ideal = LIMITED_CALLS as f64 / RATE;
    println!(
        "| {name} | {}/{LIMITED_CALLS} | {} | {} ({:.2}%) | {:.2} s | {:.3} × |",
        outcome.succeeded,
        outcome.requests,
        outcome.throttled,
        100.0 * outcome.throttled as f64 / outcome.requests as f64,
        outcome.wall.as_secs_f64(),
        outcome.wall.as_secs_f64() / ideal,
    );
    if !outcome.failures.is_empty() {
        eprintln!("  {name}: {}", failure_kinds(&outcome.failures));
    }
}

fn down_row(name: &str, outcome: &Outcome) {
    println!(
        "| {name} | {} | {:.2} s | {} |",
        outcome.requests,
        outcome.wall.as_secs_f64(),
        failure_kinds(&outcome.failures),
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let headers = load(LIMITED_CALLS, true, false, |config| config).await;
        assert_eq!(headers.succeeded, LIMITED_CALLS, "every call succeeds");
        let adaptive = load(LIMITED_CALLS, false, false, |config| {
            config.adaptive_rate_limit()
        })
        .await;
        let plain = |config: ClientConfig| config.follow_rate_limit_headers(false);
        let retry_only = load(LIMITED_CALLS, true, false, plain).await;
        let unbudgeted = load(LIMITED_CALLS, true, false, |config| {
            plain(config).retry(RetryPolicy::default().no_retry_budget())
        })
        .await;

        println!("\n{LIMITED_CALLS} calls at once; the provider takes {RATE} requests/s (token bucket), 429 + Retry-After beyond\n");
        println!("| client | calls succeeded | requests | answered 429 | wall | vs ideal 20 s |");
        println!("|---|---|---|---|---|---|");
        limited_row("RateLimit-* headers followed (default)", &headers);
        limited_row("no headers, adaptive mode", &adaptive);
        limited_row("retry policy only (headers ignored)", &retry_only);
        limited_row(
            "retry policy only, no retry budget (headers ignored)",
            &unbudgeted,
        );

        let budgeted = load(DOWN_CALLS, false, true, |config| config).await;
        let unbudgeted = load(DOWN_CALLS, false, true, |config| {
            config.retry(RetryPolicy::default().no_retry_budget())
        })
        .await;
        println!("\n{DOWN_CALLS} calls at once; the provider answers 503 to everything; default retry policy (2 retries)\n");
        println!("| client | attempts the provider saw | wall | errors |");
        println!("|---|---|---|---|");
        down_row("retry budget (default: 500 tokens, 5 per retry)", &budgeted);
        down_row("no retry budget", &unbudgeted);
    });
}
