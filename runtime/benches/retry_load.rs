//! Load with faults: 1,000 concurrent writes through one generated client against a
//! loopback server that answers 10% of requests with 503, beside the same load sent with a
//! hand-written reqwest loop that has no retries. Half of those 503s come before the write
//! is applied, half after it (a gateway that gives up while the backend commits): only the
//! idempotency key keeps the retry of such a write from applying it twice.
//!
//! Run with `cargo bench -p tether --bench retry_load` (optimised; not part of `cargo test`).
//! It checks that every call succeeds and that the server applied no write twice, and
//! prints throughput and p50 / p99 latency. `ROUNDS=n` repeats each load (default 3) and
//! reports the median round.
//!
//! The client retries up to 5 times rather than the default 2: with 10% of requests failing
//! independently, 2 retries leave 1 call in 1,000 failing three times in a row (about one
//! per round), 5 retries one in a million.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use tether::__private::serde_json::{json, Value};
use tether::{ClientConfig, RetryPolicy};

#[tether::integration(spec = "tests/specs/payments.yaml")]
mod payments {}

const CALLS: u64 = 1_000;
const FAILURE_PERCENT: u64 = 10;

/// The server's books: what it applied, and the answers it keeps per idempotency key.
#[derive(Default)]
struct Ledger {
    requests: AtomicU64,
    failed: AtomicU64,
    /// How often each write (by its amount, unique per call) was applied.
    applied: Mutex<HashMap<i64, u32>>,
    /// The answer given for each idempotency key, replayed if the key comes again.
    answers: Mutex<HashMap<String, Value>>,
    replayed: AtomicU64,
}

/// A well-mixed function of the request number, so that failures fall anywhere.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

async fn create_payment(
    State(ledger): State<Arc<Ledger>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let number = ledger.requests.fetch_add(1, Ordering::Relaxed);
    let roll = splitmix(number) % 100;
    let unavailable = || {
        ledger.failed.fetch_add(1, Ordering::Relaxed);
        (StatusCode::SERVICE_UNAVAILABLE, "try again").into_response()
    };
    if roll < FAILURE_PERCENT / 2 {
        return unavailable();
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    if let Some(answer) = key
        .as_ref()
        .and_then(|key| ledger.answers.lock().unwrap().get(key).cloned())
    {
        ledger.replayed.fetch_add(1, Ordering::Relaxed);
        return Json(answer).into_response();
    }
    let amount = body["amount"].as_i64().unwrap_or(-1);
    *ledger.applied.lock().unwrap().entry(amount).or_default() += 1;
    let answer = json!({"id": format!("pay_{amount}"), "amount": amount});
    if let Some(key) = key {
        ledger.answers.lock().unwrap().insert(key, answer.clone());
    }
    if roll < FAILURE_PERCENT {
        // Applied, but the answer is lost on the way back.
        return unavailable();
    }
    Json(answer).into_response()
}

async fn start_server() -> (SocketAddr, Arc<Ledger>) {
    let ledger = Arc::new(Ledger::default());
    let app = Router::new()
        .route("/payments", post(create_payment))
        .with_state(ledger.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("bound");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (address, ledger)
}

/// One load: its latencies and how many calls succeeded.
struct Round {
    wall: Duration,
    latencies: Vec<Duration>,
    succeeded: u64,
    applied: usize,
    requests: u64,
    failed_by_server: u64,
    applied_twice: usize,
    replayed: u64,
}

impl Round {
    fn percentile(&self, fraction: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let index = ((sorted.len() as f64 * fraction).ceil() as usize).saturating_sub(1);
        sorted[index.min(sorted.len() - 1)]
    }

    fn throughput(&self) -> f64 {
        self.succeeded as f64 / self.wall.as_secs_f64()
    }
}

fn finish(ledger: &Ledger, wall: Duration, outcomes: Vec<(Duration, bool)>) -> Round {
    let applied = ledger.applied.lock().unwrap();
    Round {
        wall,
        latencies: outcomes.iter().map(|(latency, _)| *latency).collect(),
        succeeded: outcomes.iter().filter(|(_, ok)| *ok).count() as u64,
        applied: applied.len(),
        requests: ledger.requests.load(Ordering::Relaxed),
        failed_by_server: ledger.failed.load(Ordering::Relaxed),
        applied_twice: applied.values().filter(|count| **count > 1).count(),
        replayed: ledger.replayed.load(Ordering::Relaxed),
    }
}

/// 1,000 concurrent `createPayment` calls through one generated client.
async fn tether_round(policy: RetryPolicy) -> Round {
    let (address, ledger) = start_server().await;
    let config = ClientConfig::new(format!("http://{address}")).retry(policy);
    let client = payments::Client::from_config(config).expect("client");
    let started = Instant::now();
    let calls: Vec<_> = (0..CALLS)
        .map(|amount| {
            let client = client.clone();
            tokio::spawn(async move {
                let sent = Instant::now();
                let outcome = client
                    .create_payment(payments::NewPayment {
                        amount: amount as i64,
                    })
                    .await;
                if let Err(error) = &outcome {
                    eprintln!("call failed: {error}");
                }
                (sent.elapsed(), outcome.is_ok())
            })
        })
        .collect();
    let mut outcomes = Vec::with_capacity(calls.len());
    for call in calls {
        outcomes.push(call.await.expect("call task"));
    }
    let wall = started.elapsed();
    let round = finish(&ledger, wall, outcomes);
    assert_eq!(round.succeeded, CALLS, "every call succeeds");
    assert_eq!(round.applied as u64, CALLS, "every write was applied");
    assert_eq!(round.applied_twice, 0, "no write was applied twice");
    round
}

/// The same load, hand-written with reqwest: no retries, no idempotency keys.
async fn reqwest_round() -> Round {
    let (address, ledger) = start_server().await;
    let http = reqwest::Client::new();
    let url = format!("http://{address}/payments");
    let started = Instant::now();
    let calls: Vec<_> = (0..CALLS)
        .map(|amount| {
            let http = http.clone();
            let url = url.clone();
            tokio::spawn(async move {
                let sent = Instant::now();
                let outcome = async {
                    let response = http
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(json!({ "amount": amount }).to_string())
                        .send()
                        .await?
                        .error_for_status()?;
                    response.bytes().await
                }
                .await;
                (sent.elapsed(), outcome.is_ok())
            })
        })
        .collect();
    let mut outcomes = Vec::with_capacity(calls.len());
    for call in calls {
        outcomes.push(call.await.expect("call task"));
    }
    let wall = started.elapsed();
    let round = finish(&ledger, wall, outcomes);
    assert_eq!(round.applied_twice, 0);
    round
}

fn median(mut rounds: Vec<Round>) -> Round {
    rounds.sort_by_key(|round| round.wall);
    let middle = rounds.len() / 2;
    rounds.swap_remove(middle)
}

fn report(name: &str, round: &Round) {
    println!(
        "| {name} | {}/{CALLS} | {} | {} ({} 503) | {} | {:.0} | {:.1} | {:.1} | {:.1} |",
        round.succeeded,
        round.applied,
        round.requests,
        round.failed_by_server,
        round.applied_twice,
        round.throughput(),
        round.percentile(0.50).as_secs_f64() * 1000.0,
        round.percentile(0.99).as_secs_f64() * 1000.0,
        round.wall.as_secs_f64() * 1000.0,
    );
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .filter(|rounds| *rounds > 0)
        .unwrap_or(3);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let patient = RetryPolicy::default().max_retries(5);
        // Warm up: connections, allocator, lazy statics.
        tether_round(patient.clone()).await;

        let default_policy: Vec<Round> = {
            let mut all = Vec::new();
            for _ in 0..rounds {
                all.push(tether_round(patient.clone()).await);
            }
            all
        };
        let quick = patient
            .clone()
            .backoff(Duration::from_millis(10), Duration::from_millis(100));
        let quick_policy: Vec<Round> = {
            let mut all = Vec::new();
            for _ in 0..rounds {
                all.push(tether_round(quick.clone()).await);
            }
            all
        };
        let baseline: Vec<Round> = {
            let mut all = Vec::new();
            for _ in 0..rounds {
                all.push(reqwest_round().await);
            }
            all
        };

        println!(
            "\n{CALLS} concurrent POSTs, server fails {FAILURE_PERCENT}% with 503; median of {rounds} rounds\n"
        );
        println!("| client | calls succeeded | writes applied | requests seen | writes applied twice | calls/s | p50 ms | p99 ms | wall ms |");
        println!("|---|---|---|---|---|---|---|---|---|");
        let replays: u64 = default_policy.iter().chain(&quick_policy).map(|round| round.replayed).sum();
        report("tether, default backoff (0.5 s doubling)", &median(default_policy));
        report("tether, 10 ms backoff", &median(quick_policy));
        report("reqwest loop, no retries", &median(baseline));
        println!("\nretries of applied writes answered from the server's idempotency store (all tether rounds): {replays}");
    });
}
