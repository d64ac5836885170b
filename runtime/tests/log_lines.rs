//! A program that logs through `log` and sets no tracing subscriber still gets the call's
//! span as a line, as tracing hands spans to `log` (its `log` feature, which axum's
//! defaults enable). Its own test binary: a tracing subscriber set anywhere in the process
//! would take the span instead.

mod loopback;

use std::sync::{Mutex, OnceLock};

use axum::routing::get;
use axum::Router;
use tether::__private::{send_body, text, Call};
use tether::{ClientConfig, HttpClient, Method, RetryPolicy};

/// The lines logged at `INFO` and above, as `target: message`.
struct Lines(Mutex<Vec<String>>);

impl log::Log for Lines {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Info
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) {
            let line = format!("{}: {}", record.target(), record.args());
            self.0.lock().unwrap_or_else(|p| p.into_inner()).push(line);
        }
    }

    fn flush(&self) {}
}

fn lines() -> &'static Lines {
    static LINES: OnceLock<Lines> = OnceLock::new();
    LINES.get_or_init(|| Lines(Mutex::new(Vec::new())))
}

#[tokio::test]
async fn the_call_span_is_a_log_line_without_a_tracing_subscriber() {
    log::set_logger(lines()).expect("the only logger of this test binary");
    log::set_max_level(log::LevelFilter::Info);

    let url = loopback::serve(Router::new().route("/balance", get(|| async { "42" }))).await;

    let client = HttpClient::new(ClientConfig::new(&url).retry(RetryPolicy::none()), &[])
        .expect("a loopback base URL is valid");
    let mut call: Call<String, std::convert::Infallible> =
        Call::new(&client, Method::GET, "getBalance", text);
    call.path("/balance");
    assert_eq!(send_body(call).await.expect("the server answers"), "42");

    let logged = lines().0.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let span = logged
        .iter()
        .find(|line| line.starts_with("tether::attempts: call;"))
        .unwrap_or_else(|| panic!("no line for the call's span in {logged:#?}"));
    assert!(span.contains("operation=\"getBalance\""), "{span}");
    assert!(span.contains(&format!("{url}/balance")), "{span}");
}
