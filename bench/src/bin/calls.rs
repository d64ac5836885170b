//! Run-time cost of the generated client: 10,000 calls through tether's client of
//! `bench/specs/calls.yaml` against an in-process loopback server (on a thread and a
//! runtime of its own; the clients run on the main thread's runtime), and the same calls
//! written by hand with reqwest and serde. Two calls: a GET with four query parameters that
//! decodes a JSON list of ten orders, and a POST that sends a JSON body and decodes the
//! order it gets back; each one at a time, then 32 in flight. The two clients take turns,
//! round after round, and each reports its median wall time and the median CPU time of the
//! process (server included, the same for both) during its rounds. The ratio of record is
//! paired: tether's time over the hand-written loop's in the same round, whose median
//! and quartiles over the rounds are reported. Two medians of separate rounds compare
//! moments minutes apart, and this machine's speed drifts by more than the 5 % the target
//! allows over such spans; the two halves of one round are seconds apart.
//!
//! The rounds are spread over several processes (`PROCESSES`, 6 by default, of `RUNS`
//! rounds each, 3 by default): how one process happened to lay out its memory set the
//! paired ratio for all of its rounds, by up to a tenth either way (the same binary read
//! GET one at a time 0.986 in one process and 1.104 in the next, each with quartiles within
//! 0.06), so the rounds of one process sample one layout, and those of several sample what
//! a user's process may get.
//!
//! The client that goes second in a round is the faster by one or two percent, whichever it
//! is (medians of 12 rounds each way: POST with 32 in flight read 1.071 with tether first
//! and 1.050 with it second). The rounds are numbered across processes and take turns at
//! going first by that number, so that each client goes first in half of them (the
//! default 18 rounds: 9 and 9).
//!
//! Run: `cargo run --release --manifest-path bench/Cargo.toml --bin calls`
//!
//! For a profiler (`valgrind --tool=callgrind`, `perf`): `CALLS_ONLY=tether,get,32` (or
//! `hand`, `post`, any number in flight) makes the warm-up and one round of one client's
//! calls and nothing else; `CALLS_ONLY=tether,decode` (or `hand`) only decodes the GET's
//! body as that client does, as many times as there are calls, without a server.

use std::future::Future;
use std::hint::black_box;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use cpu_time::ProcessTime;
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tether_bench::{median, quartiles, runs, serve_on_own_thread, show};

#[tether::integration(spec = "specs/calls.yaml")]
mod orders {}

const CALLS: usize = 10_000;
/// Untimed calls through each round's new clients, which open their connections.
const WARM_CALLS: usize = 500;
/// Rounds in each process, and processes.
const RUNS: usize = 3;
const PROCESSES: usize = 6;
const IN_FLIGHT: usize = 32;

/// Set in the processes the benchmark starts, which make the rounds and print their costs,
/// to the number of the first of their rounds.
const ROUNDS_ONLY: &str = "CALLS_ROUNDS_ONLY";

/// The target: at most 5% slower than hand-written reqwest.
const TARGET: f64 = 1.05;

fn order(index: usize) -> serde_json::Value {
    json!({
        "id": format!("ord_{index:06}"),
        "customer": "cus_42",
        "status": "paid",
        "currency": "eur",
        "total": 4_250 + index as i64,
        "note": if index.is_multiple_of(2) { Some("leave at the door") } else { None },
        "lines": [
            {"sku": "tea-green-100g", "quantity": 2, "unit_price": 1_200},
            {"sku": "mug-white", "quantity": 1, "unit_price": 1_850},
        ],
    })
}

/// The server answers from bodies made once, so that its own cost stays small and equal
/// for both clients; it checks only what a wrong client would get wrong.
fn router() -> Router {
    let list =
        Bytes::from(serde_json::to_vec(&(0..10).map(order).collect::<Vec<_>>()).expect("json"));
    let created = Bytes::from(serde_json::to_vec(&order(0)).expect("json"));
    Router::new().route(
        "/orders",
        get(move |RawQuery(query): RawQuery| {
            let list = list.clone();
            async move {
                let query = query.unwrap_or_default();
                if query.contains("customer=cus_42") && query.contains("min_total=100") {
                    (
                        StatusCode::OK,
                        [(header::CONTENT_TYPE, "application/json")],
                        list,
                    )
                        .into_response()
                } else {
                    (StatusCode::BAD_REQUEST, format!("unexpected query {query}")).into_response()
                }
            }
        })
        .post(move |body: Bytes| {
            let created = created.clone();
            async move {
                if body.starts_with(b"{") && body.len() > 40 {
                    (
                        StatusCode::CREATED,
                        [(header::CONTENT_TYPE, "application/json")],
                        created,
                    )
                        .into_response()
                } else {
                    (StatusCode::BAD_REQUEST, "unexpected body").into_response()
                }
            }
        }),
    )
}

/// The hand-written peer's types: what a careful person writes for the same API.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Order {
    id: String,
    customer: String,
    status: Status,
    currency: String,
    total: i64,
    note: Option<String>,
    lines: Vec<Line>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Line {
    sku: String,
    quantity: i32,
    unit_price: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Open,
    Paid,
    Shipped,
    Cancelled,
}

#[derive(Serialize)]
struct NewOrder<'a> {
    customer: &'a str,
    currency: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    lines: Vec<Line>,
}

fn hand_lines() -> Vec<Line> {
    vec![
        Line {
            sku: "tea-green-100g".into(),
            quantity: 2,
            unit_price: 1_200,
        },
        Line {
            sku: "mug-white".into(),
            quantity: 1,
            unit_price: 1_850,
        },
    ]
}

fn tether_lines() -> Vec<orders::Line> {
    vec![
        orders::Line {
            sku: "tea-green-100g".into(),
            quantity: 2,
            unit_price: 1_200,
        },
        orders::Line {
            sku: "mug-white".into(),
            quantity: 1,
            unit_price: 1_850,
        },
    ]
}

async fn tether_list(client: &orders::Client) {
    let orders = client
        .list_orders("cus_42")
        .status(orders::OrderStatus::Paid)
        .min_total(100)
        .currency("eur")
        .await
        .expect("orders listed");
    assert_eq!(orders.len(), 10);
    black_box(orders);
}

async fn tether_create(client: &orders::Client) {
    let body = orders::NewOrder {
        customer: "cus_42".into(),
        currency: "eur".into(),
        note: None,
        lines: tether_lines(),
    };
    let order = client.create_order(body).await.expect("order created");
    black_box(order);
}

async fn hand_list(http: &reqwest::Client, origin: &str) {
    let orders: Vec<Order> = http
        .get(format!("{origin}/orders"))
        .query(&[
            ("customer", "cus_42"),
            ("status", "paid"),
            ("min_total", "100"),
            ("currency", "eur"),
        ])
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("orders listed")
        .json()
        .await
        .expect("orders decoded");
    assert_eq!(orders.len(), 10);
    black_box(orders);
}

async fn hand_create(http: &reqwest::Client, origin: &str) {
    let body = NewOrder {
        customer: "cus_42",
        currency: "eur",
        note: None,
        lines: hand_lines(),
    };
    let order: Order = http
        .post(format!("{origin}/orders"))
        .json(&body)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("order created")
        .json()
        .await
        .expect("order decoded");
    black_box(order);
}

/// The cost of one round of calls.
#[derive(Clone, Copy)]
struct Cost {
    wall: Duration,
    /// CPU time of the whole process (client, server and runtime), which moves much less
    /// than wall time on a shared machine: the server's share is the same for both clients.
    cpu: Duration,
}

impl Cost {
    /// The median wall time and the median CPU time of some rounds.
    fn medians(costs: impl Iterator<Item = Cost> + Clone) -> Cost {
        Cost {
            wall: median(costs.clone().map(|cost| cost.wall).collect()),
            cpu: median(costs.map(|cost| cost.cpu).collect()),
        }
    }
}

/// Makes `count` calls, `in_flight` at a time, and returns what they cost.
async fn calls<F, Call>(count: usize, in_flight: usize, call: F) -> Cost
where
    F: Fn() -> Call,
    Call: Future<Output = ()>,
{
    let started = Instant::now();
    let cpu_before = ProcessTime::now();
    futures::stream::iter(0..count)
        .map(|_| call())
        .buffer_unordered(in_flight)
        .for_each(|()| async {})
        .await;
    Cost {
        wall: started.elapsed(),
        cpu: cpu_before.elapsed(),
    }
}

/// The two clients of one round.
struct Clients {
    tether: orders::Client,
    http: reqwest::Client,
    origin: String,
}

impl Clients {
    /// `count` calls of the benchmark's GET (`listing`) or POST through tether's client or
    /// the hand-written one.
    async fn run(&self, tether: bool, listing: bool, count: usize, in_flight: usize) -> Cost {
        let (client, http, origin) = (&self.tether, &self.http, self.origin.as_str());
        match (tether, listing) {
            (true, true) => calls(count, in_flight, || tether_list(client)).await,
            (true, false) => calls(count, in_flight, || tether_create(client)).await,
            (false, true) => calls(count, in_flight, || hand_list(http, origin)).await,
            (false, false) => calls(count, in_flight, || hand_create(http, origin)).await,
        }
    }
}

/// The four calls measured: what each is, and how many are in flight.
const CASES: [(&str, usize); 4] = [
    ("GET, 4 query parameters, list of 10 decoded", 1),
    ("GET, 4 query parameters, list of 10 decoded", IN_FLIGHT),
    ("POST, JSON body, order decoded", 1),
    ("POST, JSON body, order decoded", IN_FLIGHT),
];

/// One round of one case: what each client's calls cost.
#[derive(Clone, Copy)]
struct Round {
    tether: Cost,
    hand: Cost,
}

fn main() {
    if let Ok(only) = std::env::var("CALLS_ONLY") {
        return on_runtime(profile_one(&only));
    }
    if let Ok(first_round) = std::env::var(ROUNDS_ONLY) {
        let first_round = first_round.parse().unwrap_or_else(|_| {
            panic!("{ROUNDS_ONLY} is the number of a process' first round: {first_round}")
        });
        return on_runtime(print_rounds(first_round..first_round + runs(RUNS)));
    }
    let processes = std::env::var("PROCESSES")
        .ok()
        .and_then(|processes| processes.parse().ok())
        .unwrap_or(PROCESSES);
    let mut rounds = vec![Vec::new(); CASES.len()];
    for process in 0..processes {
        for (case, round) in rounds_of_a_process(process * runs(RUNS)) {
            rounds[case].push(round);
        }
    }
    report(processes, &rounds);
}

/// The clients run on the main thread's runtime (the server has its own thread).
fn on_runtime(work: impl Future<Output = ()>) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the clients")
        .block_on(work);
}

/// The rounds of one process of this benchmark, numbered from `first_round`, each with
/// the index of its case.
fn rounds_of_a_process(first_round: usize) -> Vec<(usize, Round)> {
    let output = std::env::current_exe().and_then(|program| {
        std::process::Command::new(program)
            .env(ROUNDS_ONLY, first_round.to_string())
            .output()
    });
    let rounds = match &output {
        Ok(output) if output.status.success() => String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(parse_round)
            .collect::<Option<Vec<_>>>(),
        _ => None,
    };
    rounds.unwrap_or_else(|| {
        eprintln!("a process of the benchmark failed: {output:?}");
        std::process::exit(1);
    })
}

/// A line of [`print_rounds`]: the case, then tether's and the hand-written loop's wall
/// and CPU times in nanoseconds.
fn parse_round(line: &str) -> Option<(usize, Round)> {
    let fields: Vec<u64> = line
        .split_whitespace()
        .map(|field| field.parse().ok())
        .collect::<Option<_>>()?;
    let [case, tether_wall, tether_cpu, hand_wall, hand_cpu] = fields[..] else {
        return None;
    };
    let cost = |wall, cpu| Cost {
        wall: Duration::from_nanos(wall),
        cpu: Duration::from_nanos(cpu),
    };
    let case = usize::try_from(case)
        .ok()
        .filter(|case| *case < CASES.len())?;
    Some((
        case,
        Round {
            tether: cost(tether_wall, tether_cpu),
            hand: cost(hand_wall, hand_cpu),
        },
    ))
}

/// The rounds of one process, numbered `rounds`, printed for the process that started it.
async fn print_rounds(rounds: std::ops::Range<usize>) {
    let origin = serve_on_own_thread(router());
    for (case, (call, in_flight)) in CASES.iter().enumerate() {
        let listing = call.starts_with("GET");
        for round in rounds.clone() {
            // New clients every round, their connections opened before timing: a client's
            // cost moved by up to a quarter from one pool to the next.
            let clients = Clients {
                tether: orders::Client::new(&origin).expect("a valid base URL"),
                http: reqwest::Client::new(),
                origin: origin.clone(),
            };
            for tether in [true, false] {
                clients.run(tether, listing, WARM_CALLS, *in_flight).await;
            }
            // Who goes first takes turns by the round's number: the second is faster.
            let mut costs = [None, None];
            for turn in 0..2 {
                let tether = (round + turn).is_multiple_of(2);
                costs[usize::from(tether)] =
                    Some(clients.run(tether, listing, CALLS, *in_flight).await);
            }
            if let [Some(hand), Some(tether)] = costs {
                let nanos = |duration: Duration| duration.as_nanos();
                println!(
                    "{case} {} {} {} {}",
                    nanos(tether.wall),
                    nanos(tether.cpu),
                    nanos(hand.wall),
                    nanos(hand.cpu)
                );
            }
        }
    }
}

/// The table of all processes' rounds.
fn report(processes: usize, rounds: &[Vec<Round>]) {
    let total = rounds.first().map_or(0, Vec::len);
    println!("## Run time: {CALLS} calls over loopback, generated client against hand-written reqwest ({total} paired rounds in {processes} processes)\n");
    println!("| call | in flight | tether | hand-written | tether calls/s | hand-written calls/s | tether / hand-written, paired: median (quartiles) | target ≤ {TARGET} | CPU tether | CPU hand-written | CPU tether / hand-written, paired |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for ((call, in_flight), rounds) in CASES.iter().zip(rounds) {
        let tether = Cost::medians(rounds.iter().map(|round| round.tether));
        let hand = Cost::medians(rounds.iter().map(|round| round.hand));
        let ratios = |time: fn(Cost) -> Duration| -> Vec<f64> {
            rounds
                .iter()
                .map(|round| time(round.tether).as_secs_f64() / time(round.hand).as_secs_f64())
                .collect()
        };
        let (wall_low, over, wall_high) = quartiles(ratios(|cost| cost.wall));
        let (cpu_low, cpu_over, cpu_high) = quartiles(ratios(|cost| cost.cpu));
        let rate = |elapsed: Duration| format!("{:.0}", CALLS as f64 / elapsed.as_secs_f64());
        println!(
            "| {call} | {in_flight} | {} | {} | {} | {} | {over:.3} ({wall_low:.3} to {wall_high:.3}) | {} | {} | {} | {cpu_over:.3} ({cpu_low:.3} to {cpu_high:.3}) |",
            show(tether.wall),
            show(hand.wall),
            rate(tether.wall),
            rate(hand.wall),
            if over <= TARGET { "met" } else { "missed" },
            show(tether.cpu),
            show(hand.cpu),
        );
    }
}

/// One client's warm-up and one round of its calls, for a profiler (`CALLS_ONLY`).
async fn profile_one(only: &str) {
    let parts: Vec<&str> = only.split(',').collect();
    if let [client, "decode"] = parts.as_slice() {
        return decode_only(*client == "tether");
    }
    let usage = || -> ! {
        panic!("CALLS_ONLY is client,call,in_flight (tether|hand, get|post, a number) or client,decode: {only}")
    };
    let [client, call, in_flight] = parts.as_slice() else {
        usage()
    };
    let in_flight: usize = in_flight.parse().unwrap_or_else(|_| usage());
    let (tether, listing) = (*client == "tether", *call == "get");
    let origin = serve_on_own_thread(router());
    let clients = Clients {
        tether: orders::Client::new(&origin).expect("a valid base URL"),
        http: reqwest::Client::new(),
        origin,
    };
    clients.run(tether, listing, WARM_CALLS, in_flight).await;
    let cost = clients.run(tether, listing, CALLS, in_flight).await;
    println!("{only}: {} wall, {} CPU", show(cost.wall), show(cost.cpu));
}

/// Decodes the GET's body `CALLS` times as each client does: tether's generated types
/// through its runtime's JSON decoding, or serde's derive from the bytes (reqwest's
/// `json()`).
fn decode_only(tether: bool) {
    let body = serde_json::to_vec(&(0..10).map(order).collect::<Vec<_>>()).expect("json");
    let response = tether::RawResponse {
        status: axum::http::StatusCode::OK,
        headers: axum::http::HeaderMap::new(),
        body: body.clone().into(),
    };
    let started = Instant::now();
    for _ in 0..CALLS {
        let decoded = if tether {
            tether::__private::json::<Vec<orders::Order>>(black_box(&response))
                .map(|list| list.len())
                .map_err(|failure| failure.message)
        } else {
            serde_json::from_slice::<Vec<Order>>(black_box(&body))
                .map(|list| list.len())
                .map_err(|error| error.to_string())
        };
        assert_eq!(decoded.expect("orders decoded"), 10);
    }
    println!("decoded {CALLS} lists in {}", show(started.elapsed()));
}
