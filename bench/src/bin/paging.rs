//! Streams 1,000,000 items in pages of 100 from a loopback server through the generated
//! client's `.items()`, and the same with a hand-written reqwest loop. Reports throughput
//! (median of 3 runs) and resident memory after 100k, 500k and 1M items: flat memory means
//! the stream holds one page at a time.
//!
//! Run: `cargo run --release --manifest-path bench/Cargo.toml --bin paging`

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::Query;
use axum::routing::get;
use axum::{Json, Router};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{json, Value};
use tether_bench::{median, peak_resident_kib, resident_kib, serve};

#[tether::integration(spec = "../specs/pagination.yaml")]
mod paging {}

const TOTAL: usize = 1_000_000;
const PAGE: usize = 100;
const CHECKPOINTS: [usize; 3] = [100_000, 500_000, 1_000_000];

/// HubSpot-style pages: `after` cursor in, `paging.next.after` out.
async fn page(Query(params): Query<HashMap<String, String>>) -> Json<Value> {
    let start: usize = params
        .get("after")
        .and_then(|after| after.parse().ok())
        .unwrap_or(0);
    let end = (start + PAGE).min(TOTAL);
    let results: Vec<Value> = (start..end)
        .map(|index| json!({"id": index.to_string(), "name": format!("thing {index}")}))
        .collect();
    let paging = (end < TOTAL).then(|| json!({"next": {"after": end.to_string()}}));
    Json(json!({"results": results, "paging": paging}))
}

#[derive(Deserialize)]
struct HandPage {
    results: Vec<HandThing>,
    paging: Option<HandPaging>,
}

#[derive(Deserialize)]
struct HandThing {
    id: String,
}

#[derive(Deserialize)]
struct HandPaging {
    next: HandNext,
}

#[derive(Deserialize)]
struct HandNext {
    after: String,
}

/// Streams everything through the generated client; returns the time and the resident
/// memory at each checkpoint.
async fn with_tether(origin: &str) -> (Duration, Vec<u64>) {
    let client = paging::Client::new(origin).expect("a valid base URL");
    let started = Instant::now();
    let mut items = client.list_things_after().limit(PAGE as i32).items();
    let mut count = 0;
    let mut memory = Vec::new();
    while let Some(item) = items.next().await {
        let thing = item.expect("every page arrives");
        count += 1;
        if CHECKPOINTS.contains(&count) {
            memory.push(resident_kib());
        }
        std::hint::black_box(thing.id);
    }
    assert_eq!(count, TOTAL);
    (started.elapsed(), memory)
}

/// The same listing written by hand with reqwest.
async fn by_hand(origin: &str) -> Duration {
    let http = reqwest::Client::new();
    let started = Instant::now();
    let mut after: Option<String> = None;
    let mut count = 0;
    loop {
        let mut request = http
            .get(format!("{origin}/hubspot/things"))
            .query(&[("limit", PAGE.to_string())]);
        if let Some(after) = &after {
            request = request.query(&[("after", after)]);
        }
        let page: HandPage = request
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("decoded");
        for thing in page.results {
            count += 1;
            std::hint::black_box(thing.id);
        }
        match page.paging {
            Some(paging) => after = Some(paging.next.after),
            None => break,
        }
    }
    assert_eq!(count, TOTAL);
    started.elapsed()
}

#[tokio::main]
async fn main() {
    let origin = serve(Router::new().route("/hubspot/things", get(page))).await;
    let baseline = resident_kib();
    let mut tether_runs = Vec::new();
    let mut hand_runs = Vec::new();
    let mut memory = Vec::new();
    for _ in 0..3 {
        let (elapsed, readings) = with_tether(&origin).await;
        tether_runs.push(elapsed);
        memory = readings;
        hand_runs.push(by_hand(&origin).await);
    }
    let (tether, hand) = (median(tether_runs), median(hand_runs));
    let rate = |elapsed: Duration| TOTAL as f64 / elapsed.as_secs_f64();
    println!("streaming {TOTAL} items in pages of {PAGE} over loopback (median of 3 runs)");
    println!(
        "  tether .items():     {:>8.0} items/s ({tether:.2?})",
        rate(tether)
    );
    println!(
        "  hand-written reqwest: {:>8.0} items/s ({hand:.2?})",
        rate(hand)
    );
    println!(
        "  time ratio tether / hand-written: {:.3}",
        tether.as_secs_f64() / hand.as_secs_f64()
    );
    println!("resident memory (baseline before streaming: {baseline} KiB; includes the server)");
    for (count, kib) in CHECKPOINTS.iter().zip(&memory) {
        println!("  after {count:>9} items: {kib} KiB");
    }
    println!(
        "  peak of the whole run (VmHWM): {} KiB",
        peak_resident_kib()
    );
}
