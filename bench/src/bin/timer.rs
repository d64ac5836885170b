//! What the time limit of one attempt costs by itself: a future that is pending a few times
//! and then ready (as a response is: the request goes out, its headers and then its body
//! come in, each after a wake-up) awaited bare, and inside
//! `tokio::time::timeout_at` as tether's client awaits each attempt, on the current-thread
//! runtime the run-time benchmark's clients use; one at a time, and from 32 tasks at once
//! (a timer registered per task in flight). Reported per await and as the difference, the
//! median of several rounds, both ways measured within each round.
//!
//! Run: `cargo run --release --manifest-path bench/Cargo.toml --bin timer`
//! (`RUNS=n` for another number of rounds than 7).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tether_bench::{median, runs};

const AWAITS: u32 = 200_000;
const RUNS: usize = 7;
const IN_FLIGHT: u32 = 32;
/// tether's default limit for one attempt.
const LIMIT: Duration = Duration::from_secs(60);

/// How many times an attempt's future is pending before it is ready.
const PENDING_POLLS: u8 = 3;

/// Pending (waking itself) until it has been polled `PENDING_POLLS` times, then ready.
struct Attempt(u8);

impl Future for Attempt {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.0 == PENDING_POLLS {
            return Poll::Ready(());
        }
        self.0 += 1;
        context.waker().wake_by_ref();
        Poll::Pending
    }
}

/// `AWAITS` awaits of an `Attempt`, each in a time limit when `limited`, spread over
/// `tasks` tasks.
async fn awaits(tasks: u32, limited: bool) -> Duration {
    let start = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..tasks {
        set.spawn(async move {
            for _ in 0..AWAITS / tasks {
                if limited {
                    let limit = tokio::time::Instant::now() + LIMIT;
                    let _ = tokio::time::timeout_at(limit, Attempt(0)).await;
                } else {
                    Attempt(0).await;
                }
            }
        });
    }
    while set.join_next().await.is_some() {}
    start.elapsed()
}

fn per_await(duration: Duration) -> f64 {
    duration.as_nanos() as f64 / f64::from(AWAITS)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let runs = runs(RUNS);
    println!("## One attempt's time limit: a tokio timer per await (median of {runs})\n");
    println!("| tasks | bare, ns per await | in `timeout_at`, ns per await | the timer's cost, ns |");
    println!("|---|---|---|---|");
    for tasks in [1, IN_FLIGHT] {
        let mut bare = Vec::new();
        let mut limited = Vec::new();
        for _ in 0..runs {
            bare.push(awaits(tasks, false).await);
            limited.push(awaits(tasks, true).await);
        }
        let (bare, limited) = (per_await(median(bare)), per_await(median(limited)));
        println!(
            "| {tasks} | {bare:.0} | {limited:.0} | {:.0} |",
            limited - bare
        );
    }
}
