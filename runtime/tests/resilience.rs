//! Retries, waits, time limits and idempotency keys, against a fault-injecting HTTP server
//! on loopback: real sockets, no mocks. The server is raw `tokio::net` so that it can break
//! a connection mid-body, cut a body short or never answer.
//!
//! Every test runs on tokio's paused clock: waits and timeouts take no real time, and the
//! server's timestamps show exactly how long the client waited between attempts. Each
//! test checks what the server saw (attempts, `retry-count`, idempotency keys), the waits
//! the client chose (from its tracing events, and from the server's clock), and the error
//! the call ends with.

// Shared with auth.rs; not every helper is used here.
#[allow(dead_code)]
mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use support::Trace;
use tether::__private::serde_json::{self, json, Value};
use tether::__private::{chrono, json as decode_json, send_body, Call, FromResponse};
use tether::{
    ApiKeyLocation, CallOptions, ClientConfig, Credential, DecodeFailure, Error, HttpClient,
    Method, RawResponse, RetryPolicy, SchemeKind, Secret, SecurityScheme,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

// ---------------------------------------------------------------------------------------
// The fault-injecting server

/// What the server does with one request.
#[derive(Debug, Clone)]
enum Reply {
    /// A complete response.
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Headers that promise `declared` body bytes, `sent` of them, then a TCP reset.
    ResetMidBody { declared: usize, sent: &'static str },
    /// Headers that promise `declared` body bytes, `sent` of them, then a clean close.
    Truncate { declared: usize, sent: &'static str },
    /// Reads the request and never answers.
    Hang,
    /// A `200` whose body goes out in `pieces`, each written on its own after a pause: with
    /// chunked transfer encoding, or with the whole length announced first.
    Pieces {
        pieces: Vec<&'static str>,
        chunked: bool,
    },
}

fn ok(body: Value) -> Reply {
    Reply::Respond {
        status: 200,
        headers: Vec::new(),
        body: body.to_string(),
    }
}

fn reply(status: u16, headers: &[(&'static str, &str)]) -> Reply {
    Reply::Respond {
        status,
        headers: headers
            .iter()
            .map(|(name, value)| (*name, (*value).to_owned()))
            .collect(),
        body: json!({"message": "try later"}).to_string(),
    }
}

/// One request as the server read it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// When the whole request had arrived, on the (paused) tokio clock.
    at: Instant,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

struct Server {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serves `script` in order, one reply per request; the last reply repeats.
    async fn start(script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(script);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(answer(stream, log.clone(), script.clone()));
            }
        });
        Server { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn attempts(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// The time between consecutive requests, in milliseconds of the paused clock.
    fn gaps_ms(&self) -> Vec<u64> {
        let seen = self.seen();
        seen.windows(2)
            .map(|pair| (pair[1].at - pair[0].at).as_millis() as u64)
            .collect()
    }

    fn header_values(&self, name: &str) -> Vec<Option<String>> {
        self.seen()
            .iter()
            .map(|seen| seen.header(name).map(str::to_owned))
            .collect()
    }
}

async fn answer(mut stream: TcpStream, log: Arc<Mutex<Vec<Seen>>>, script: Arc<Vec<Reply>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let index = {
        let mut log = log.lock().unwrap();
        log.push(request);
        log.len() - 1
    };
    let reply = script
        .get(index)
        .or(script.last())
        .cloned()
        .unwrap_or_else(|| ok(json!({})));
    let head = |status: u16, length: usize, extra: &[(&'static str, String)]| {
        let mut head = format!(
            "HTTP/1.1 {status} Scripted\r\ncontent-type: application/json\r\ncontent-length: {length}\r\nconnection: close\r\n"
        );
        for (name, value) in extra {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        head
    };
    match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let response = head(status, body.len(), &headers) + &body;
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Reply::ResetMidBody { declared, sent } => {
            let response = head(200, declared, &[]) + sent;
            let _ = stream.write_all(response.as_bytes()).await;
            // Let the client read the headers and the first bytes before the reset (on the
            // paused clock this passes only once the client waits for more).
            tokio::time::sleep(Duration::from_millis(10)).await;
            let _ = stream.set_zero_linger();
            drop(stream);
        }
        Reply::Truncate { declared, sent } => {
            let response = head(200, declared, &[]) + sent;
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Reply::Hang => {
            std::future::pending::<()>().await;
            drop(stream);
        }
        Reply::Pieces { pieces, chunked } => {
            let head = if chunked {
                "HTTP/1.1 200 Scripted\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n".to_owned()
            } else {
                head(200, pieces.iter().map(|piece| piece.len()).sum(), &[])
            };
            let _ = stream.write_all(head.as_bytes()).await;
            for piece in pieces {
                tokio::time::sleep(Duration::from_millis(5)).await;
                let framed = if chunked {
                    format!("{:x}\r\n{piece}\r\n", piece.len())
                } else {
                    piece.to_owned()
                };
                let _ = stream.write_all(framed.as_bytes()).await;
                let _ = stream.flush().await;
            }
            if chunked {
                let _ = stream.write_all(b"0\r\n\r\n").await;
            }
            let _ = stream.shutdown().await;
        }
    }
}

/// Reads one HTTP/1.1 request with a `content-length` body (all this client sends).
async fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break at + 4;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let method = lines.next()?.split(' ').next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some(Seen {
        method,
        headers,
        body,
        at: Instant::now(),
    })
}

// ---------------------------------------------------------------------------------------
// Calls, as generated code makes them

/// The documented error body of the test operations: their 503 response.
#[derive(Debug)]
enum Problem {
    Unavailable(Value),
}

impl FromResponse for Problem {
    fn from_response(response: &RawResponse) -> Option<Result<Self, DecodeFailure>> {
        (response.status == 503).then(|| decode_json(response).map(Problem::Unavailable))
    }
}

fn client_for(server: &Server, policy: RetryPolicy) -> HttpClient {
    HttpClient::new(ClientConfig::new(&server.url).retry(policy), &[]).unwrap()
}

fn get(client: &HttpClient) -> Call<Value, Problem> {
    let mut call = Call::new(client, Method::GET, "getThing", decode_json::<Value>);
    call.path("/things/1");
    call
}

fn post(client: &HttpClient) -> Call<Value, Problem> {
    let mut call = Call::new(client, Method::POST, "createThing", decode_json::<Value>);
    call.path("/things");
    call.json_body("application/json", &json!({"name": "Rex"}));
    call
}

/// A POST whose operation declares an `Idempotency-Key` header, as generated code marks it.
fn keyed_post(client: &HttpClient) -> Call<Value, Problem> {
    let mut call = post(client);
    call.idempotency_header("Idempotency-Key");
    call
}

/// Asserts the server saw the client wait `waits` (ms) between requests. tokio's timers tick
/// in whole milliseconds, so a sleep ends on the millisecond after the wait.
fn assert_gaps(server: &Server, waits: &[u64]) {
    let gaps = server.gaps_ms();
    let close = gaps.len() == waits.len()
        && gaps
            .iter()
            .zip(waits)
            .all(|(gap, wait)| gap.abs_diff(*wait) <= 1);
    assert!(
        close,
        "the server saw gaps {gaps:?}, the client chose waits {waits:?}"
    );
}

fn elapsed_ms(start: Instant) -> u64 {
    start.elapsed().as_millis() as u64
}

fn assert_backoff(waits: &[u64]) {
    // Default policy: 0.5 s doubling, half fixed and half random.
    for (index, wait) in waits.iter().enumerate() {
        let full = 500u64 << index;
        assert!(
            (full / 2..=full).contains(wait),
            "wait {index} of {waits:?} is outside the backoff for retry {}",
            index + 1
        );
    }
}

// ---------------------------------------------------------------------------------------
// Server hints: Retry-After and friends

#[tokio::test(start_paused = true)]
async fn a_body_that_arrives_in_pieces_is_read_whole() {
    for chunked in [true, false] {
        let server = Server::start(vec![Reply::Pieces {
            pieces: vec!["{\"name\":", " \"Rex\", ", "\"legs\": 4}"],
            chunked,
        }])
        .await;
        let body = send_body(get(&client_for(&server, RetryPolicy::default())))
            .await
            .expect("the whole body");
        assert_eq!(
            body,
            json!({"name": "Rex", "legs": 4}),
            "chunked: {chunked}"
        );
        assert_eq!(server.attempts(), 1, "chunked: {chunked}");
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_in_seconds_is_waited_exactly() {
    let events = Trace::install();
    let server = Server::start(vec![
        reply(429, &[("retry-after", "3")]),
        ok(json!({"id": 1})),
    ])
    .await;
    let start = Instant::now();
    let body = send_body(get(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap();
    assert_eq!(body, json!({"id": 1}));
    assert_eq!(server.attempts(), 2);
    assert_eq!(server.gaps_ms(), [3000]);
    assert_eq!(events.retries(), [(1, 3000, "retry-after".to_owned())]);
    assert_eq!(elapsed_ms(start), 3000);
    assert_eq!(
        server.header_values("retry-count"),
        [None, Some("1".to_owned())]
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_an_http_date_is_waited_until() {
    let events = Trace::install();
    let at = chrono::Utc::now() + chrono::Duration::seconds(5);
    let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let server = Server::start(vec![
        reply(429, &[("retry-after", &date)]),
        ok(json!({"id": 1})),
    ])
    .await;
    send_body(get(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap();
    let waits = events.waits_ms();
    // HTTP dates have whole seconds: the wait is the rest of the fifth second.
    assert!((3900..=5000).contains(&waits[0]), "{waits:?}");
    assert_gaps(&server, &waits);
    assert_eq!(events.retries()[0].2, "retry-after");
}

#[tokio::test(start_paused = true)]
async fn retry_after_ms_and_rate_limit_reset_are_honoured() {
    let events = Trace::install();
    let reset = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 4;
    let server = Server::start(vec![
        reply(503, &[("retry-after-ms", "1500")]),
        reply(429, &[("ratelimit-reset", "2")]),
        reply(429, &[("x-ratelimit-reset", &reset.to_string())]),
        ok(json!({"id": 1})),
    ])
    .await;
    let policy = RetryPolicy::default().max_retries(3);
    send_body(get(&client_for(&server, policy))).await.unwrap();
    let retries = events.retries();
    let sources: Vec<&str> = retries
        .iter()
        .map(|(_, _, source)| source.as_str())
        .collect();
    assert_eq!(
        sources,
        ["retry-after-ms", "ratelimit-reset", "x-ratelimit-reset"]
    );
    let waits = events.waits_ms();
    assert_eq!(waits[..2], [1500, 2000]);
    assert!((2900..=4000).contains(&waits[2]), "{waits:?}");
    assert_gaps(&server, &waits);
}

#[tokio::test(start_paused = true)]
async fn a_wait_over_the_cap_fails_and_says_when_to_retry() {
    let events = Trace::install();
    let server = Server::start(vec![reply(429, &[("retry-after", "120")])]).await;
    let start = Instant::now();
    let error = send_body(get(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap_err();
    let Error::RateLimited {
        status,
        retry_after,
        retry_at,
        ..
    } = &error
    else {
        panic!("expected RateLimited, got {error:?}");
    };
    assert_eq!(status.as_u16(), 429);
    assert_eq!(*retry_after, Duration::from_secs(120));
    let from_now = retry_at.duration_since(SystemTime::now()).unwrap();
    assert!(from_now > Duration::from_secs(115), "{from_now:?}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert!(
        error
            .to_string()
            .contains("asks to be called again in 120s"),
        "{error}"
    );
    assert_eq!(server.attempts(), 1);
    assert_eq!(elapsed_ms(start), 0, "nothing was waited for");
    assert!(events.retries().is_empty());

    // The cap is the policy's.
    let server = Server::start(vec![reply(503, &[("retry-after", "10")]), ok(json!({}))]).await;
    let strict = RetryPolicy::default().max_retry_after(Duration::from_secs(5));
    let error = send_body(get(&client_for(&server, strict)))
        .await
        .unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(10)));
    let lenient = RetryPolicy::default().max_retry_after(Duration::from_secs(10));
    send_body(get(&client_for(&server, lenient))).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn x_should_retry_overrides_the_status() {
    let _trace = Trace::install();
    let server = Server::start(vec![reply(503, &[("x-should-retry", "false")])]).await;
    let error = send_body(get(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    assert_eq!(server.attempts(), 1);

    let server = Server::start(vec![
        reply(400, &[("x-should-retry", "true")]),
        ok(json!({"id": 1})),
    ])
    .await;
    send_body(get(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap();
    assert_eq!(server.attempts(), 2);
}

// ---------------------------------------------------------------------------------------
// Bursts of 5xx: backoff

#[tokio::test(start_paused = true)]
async fn a_503_burst_is_ridden_out_with_backoff() {
    let events = Trace::install();
    let server = Server::start(vec![reply(503, &[]), reply(503, &[]), ok(json!({"id": 1}))]).await;
    send_body(get(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap();
    assert_eq!(server.attempts(), 3);
    let waits = events.waits_ms();
    assert_backoff(&waits);
    assert_gaps(&server, &waits);
    let retries = events.retries();
    assert_eq!(retries[0].0, 1);
    assert_eq!(retries[1].0, 2);
    assert!(retries.iter().all(|(_, _, source)| source == "backoff"));
    assert_eq!(
        server.header_values("retry-count"),
        [None, Some("1".into()), Some("2".into())]
    );
    // Every event of the call is inside a span that names it, with the URL.
    let traced = events.events();
    assert!(!traced.is_empty());
    for event in &traced {
        assert_eq!(event.span.as_deref(), Some("call"), "{event:?}");
    }
    let spans = events.spans();
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].text("operation"), "getThing");
    assert_eq!(spans[0].text("method"), "GET");
    assert_eq!(spans[0].text("url"), format!("{}/things/1", server.url));
}

#[tokio::test(start_paused = true)]
async fn a_longer_burst_ends_in_the_documented_error() {
    let events = Trace::install();
    let server = Server::start(vec![reply(503, &[])]).await;
    let error = send_body(get(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap_err();
    match &error {
        Error::Api { status, body, .. } => {
            assert_eq!(status.as_u16(), 503);
            let Problem::Unavailable(body) = body;
            assert_eq!(body["message"], "try later");
        }
        other => panic!("expected the documented 503, got {other:?}"),
    }
    assert_eq!(server.attempts(), 3, "the first attempt and 2 retries");
    assert_backoff(&events.waits_ms());
    assert!(events
        .events()
        .iter()
        .any(|event| event.message == "not retried: no retries left"));
}

#[tokio::test(start_paused = true)]
async fn the_policy_is_the_clients_unless_the_call_overrides_it() {
    let _trace = Trace::install();
    let server = Server::start(vec![reply(503, &[]), reply(503, &[]), ok(json!({"id": 1}))]).await;
    let client = client_for(&server, RetryPolicy::none());
    let error = send_body(get(&client)).await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(server.attempts(), 1);

    let mut call = get(&client);
    call.options(CallOptions::new().retry(RetryPolicy::default()));
    send_body(call).await.unwrap();
    assert_eq!(server.attempts(), 3);
}

// ---------------------------------------------------------------------------------------
// Broken connections

#[tokio::test(start_paused = true)]
async fn a_reset_mid_body_is_retried_for_a_get() {
    let events = Trace::install();
    let server = Server::start(vec![
        Reply::ResetMidBody {
            declared: 64,
            sent: r#"{"id": 1, "na"#,
        },
        ok(json!({"id": 1})),
    ])
    .await;
    let body = send_body(get(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap();
    assert_eq!(body, json!({"id": 1}));
    assert_eq!(server.attempts(), 2);
    let retries = events.retries();
    assert_eq!(retries.len(), 1);
    assert_backoff(&events.waits_ms());
    assert_eq!(events.retry_reasons(), ["connection broke"]);
}

#[tokio::test(start_paused = true)]
async fn a_post_without_a_key_is_not_replayed() {
    let events = Trace::install();
    // Broken mid-body: the write may have been applied.
    let server = Server::start(vec![
        Reply::ResetMidBody {
            declared: 64,
            sent: r#"{"id": 1"#,
        },
        ok(json!({"id": 1})),
    ])
    .await;
    let error = send_body(post(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.attempts(), 1);
    assert_eq!(server.header_values("idempotency-key"), [None]);
    assert!(events.retries().is_empty());
    assert!(events.events().iter().any(|event| event.message
        == "not retried: a POST without an idempotency key may already have been applied"));

    // A 503 is not replayed either, nor a timeout.
    let server = Server::start(vec![reply(503, &[]), ok(json!({"id": 1}))]).await;
    let error = send_body(post(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(server.attempts(), 1);

    let server = Server::start(vec![Reply::Hang]).await;
    let config = ClientConfig::new(&server.url).timeout(Duration::from_secs(2));
    let client = HttpClient::new(config, &[]).unwrap();
    let error = send_body(post(&client)).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { limit, .. } if limit == Duration::from_secs(2)),
        "{error:?}"
    );
    assert_eq!(server.attempts(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_post_is_retried_when_nothing_was_sent() {
    let events = Trace::install();
    // A port with nothing listening: the connection is refused before a byte is sent.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let client = HttpClient::new(ClientConfig::new(url), &[]).unwrap();
    let error = send_body(post(&client)).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let retries = events.retries();
    assert_eq!(retries.len(), 2, "{retries:?}");
    assert_backoff(&events.waits_ms());
    assert_eq!(
        events.retry_reasons(),
        ["connection failed", "connection failed"]
    );
}

#[tokio::test(start_paused = true)]
async fn a_post_with_a_declared_key_is_replayed_with_the_same_key() {
    let _trace = Trace::install();
    let server = Server::start(vec![
        reply(503, &[]),
        Reply::ResetMidBody {
            declared: 64,
            sent: r#"{"id": 1"#,
        },
        ok(json!({"id": 1})),
    ])
    .await;
    send_body(keyed_post(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    let keys = server.header_values("idempotency-key");
    let key = keys[0].clone().expect("the first attempt carries a key");
    assert_eq!(key.len(), 36, "a UUID: {key}");
    assert!(keys
        .iter()
        .all(|each| each.as_deref() == Some(key.as_str())));
    assert!(seen.iter().all(|seen| seen.method == "POST"));
    assert!(seen.iter().all(|seen| seen.body == br#"{"name":"Rex"}"#));
    assert_eq!(
        server.header_values("retry-count"),
        [None, Some("1".into()), Some("2".into())]
    );

    // The next call has a key of its own.
    let server = Server::start(vec![ok(json!({"id": 2}))]).await;
    let client = client_for(&server, RetryPolicy::default());
    send_body(keyed_post(&client)).await.unwrap();
    send_body(keyed_post(&client)).await.unwrap();
    let keys = server.header_values("idempotency-key");
    assert_ne!(keys[0], keys[1]);
    assert_ne!(keys[0].as_deref(), Some(key.as_str()));
}

#[tokio::test(start_paused = true)]
async fn a_post_with_the_callers_key_is_replayed_with_it() {
    let _trace = Trace::install();
    // Through `CallOptions`, on an operation that declares no key header.
    let server = Server::start(vec![Reply::Hang]).await;
    let config = ClientConfig::new(&server.url).timeout(Duration::from_secs(1));
    let client = HttpClient::new(config, &[]).unwrap();
    let mut call = post(&client);
    call.options(CallOptions::new().idempotency_key("order-42"));
    let error = send_body(call).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(
        server.header_values("idempotency-key"),
        [
            Some("order-42".into()),
            Some("order-42".into()),
            Some("order-42".into())
        ]
    );

    // Through the operation's own header parameter.
    let server = Server::start(vec![reply(502, &[]), ok(json!({"id": 1}))]).await;
    let mut call = keyed_post(&client_for(&server, RetryPolicy::default()));
    call.header("Idempotency-Key", "mine-7");
    send_body(call).await.unwrap();
    assert_eq!(
        server.header_values("idempotency-key"),
        [Some("mine-7".into()), Some("mine-7".into())]
    );
}

// ---------------------------------------------------------------------------------------
// Time limits

#[tokio::test(start_paused = true)]
async fn a_server_that_hangs_times_out_each_attempt() {
    let events = Trace::install();
    let server = Server::start(vec![Reply::Hang]).await;
    let config = ClientConfig::new(&server.url).timeout(Duration::from_secs(2));
    let client = HttpClient::new(config, &[]).unwrap();
    let start = Instant::now();
    let error = send_body(get(&client)).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { limit, .. } if limit == Duration::from_secs(2)),
        "{error:?}"
    );
    assert_eq!(server.attempts(), 3);
    let waits = events.waits_ms();
    assert_backoff(&waits);
    let with_timeouts: Vec<u64> = waits.iter().map(|wait| wait + 2000).collect();
    assert_gaps(&server, &with_timeouts);
    let elapsed = elapsed_ms(start);
    let expected = 3 * 2000 + waits.iter().sum::<u64>();
    assert!(
        elapsed.abs_diff(expected) <= 2,
        "{elapsed} ms, expected {expected}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_call_timeout_bounds_attempts_and_waits() {
    let _trace = Trace::install();
    let server = Server::start(vec![Reply::Hang]).await;
    let config = ClientConfig::new(&server.url)
        .timeout(Duration::from_secs(3))
        .call_timeout(Duration::from_secs(5));
    let client = HttpClient::new(config, &[]).unwrap();
    let start = Instant::now();
    let error = send_body(get(&client)).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { limit, .. } if limit == Duration::from_secs(5)),
        "{error:?}"
    );
    assert_eq!(
        server.attempts(),
        2,
        "the second attempt is cut at the deadline"
    );
    assert_eq!(elapsed_ms(start), 5000);

    // A wait the provider asks for that ends after the deadline is not waited for.
    let server = Server::start(vec![reply(503, &[("retry-after", "8")]), ok(json!({}))]).await;
    let mut call = get(&client_for(&server, RetryPolicy::default()));
    call.options(CallOptions::new().call_timeout(Duration::from_secs(5)));
    let start = Instant::now();
    let error = send_body(call).await.unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(8)));
    assert_eq!(elapsed_ms(start), 0);
    assert_eq!(server.attempts(), 1);
}

// ---------------------------------------------------------------------------------------
// Bodies

#[tokio::test(start_paused = true)]
async fn a_truncated_body_is_retried() {
    let _trace = Trace::install();
    let server = Server::start(vec![
        Reply::Truncate {
            declared: 100,
            sent: r#"{"id": 1, "#,
        },
        ok(json!({"id": 1})),
    ])
    .await;
    let body = send_body(get(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap();
    assert_eq!(body, json!({"id": 1}));
    assert_eq!(server.attempts(), 2);

    let server = Server::start(vec![Reply::Truncate {
        declared: 100,
        sent: r#"{"id": 1, "#,
    }])
    .await;
    let error = send_body(get(&client_for(&server, RetryPolicy::none())))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.attempts(), 1);
}

#[tokio::test(start_paused = true)]
async fn invalid_json_is_a_decode_error_not_a_retry() {
    let _trace = Trace::install();
    let server = Server::start(vec![Reply::Respond {
        status: 200,
        headers: Vec::new(),
        body: r#"{"id": 1, "name": }"#.to_owned(),
    }])
    .await;
    let error = send_body(get(&client_for(&server, RetryPolicy::default())))
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            status,
            body_excerpt,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert!(body_excerpt.contains(r#""name": }"#), "{body_excerpt}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(server.attempts(), 1);
}

// ---------------------------------------------------------------------------------------
// The client-side rate limit

#[tokio::test(start_paused = true)]
async fn the_rate_limit_is_shared_by_clones() {
    let _trace = Trace::install();
    let server = Server::start(vec![ok(json!({}))]).await;
    let config = ClientConfig::new(&server.url).rate_limit(2, Duration::from_secs(1));
    let client = HttpClient::new(config, &[]).unwrap();
    let start = Instant::now();
    let calls: Vec<_> = (0..6)
        .map(|index| {
            // Half the calls through a clone, one through a client with a credential added.
            let client = match index % 3 {
                0 => client.clone(),
                1 => client.with_credential("unused", Credential::Token(Secret::new("t"))),
                _ => client.clone(),
            };
            tokio::spawn(send_body(get(&client)))
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let mut arrivals: Vec<u64> = server
        .seen()
        .iter()
        .map(|seen| (seen.at - start).as_millis() as u64)
        .collect();
    arrivals.sort_unstable();
    assert_eq!(arrivals, [0, 0, 500, 1000, 1500, 2000]);

    let zero = ClientConfig::new(&server.url).rate_limit(0, Duration::from_secs(1));
    assert!(HttpClient::new(zero, &[]).is_err());
}

// ---------------------------------------------------------------------------------------
// Secrets

static SCHEMES: &[SecurityScheme] = &[
    SecurityScheme {
        name: "key",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Query,
            name: "api_key",
        },
    },
    SecurityScheme {
        name: "token",
        kind: SchemeKind::Bearer,
    },
];

#[tokio::test(start_paused = true)]
async fn no_credential_reaches_logs_errors_or_debug() {
    let events = Trace::install();
    let server = Server::start(vec![
        reply(503, &[]),
        Reply::ResetMidBody {
            declared: 64,
            sent: "{",
        },
    ])
    .await;
    let client = HttpClient::new(ClientConfig::new(&server.url), SCHEMES)
        .unwrap()
        .with_credential("key", Credential::Token(Secret::new("sk_query_SECRET")))
        .with_credential("token", Credential::Token(Secret::new("sk_bearer_SECRET")));
    let mut call = get(&client);
    call.security(&[&["key", "token"]]);
    let error = send_body(call).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");

    // The credentials were sent...
    let seen = server.seen();
    assert_eq!(
        seen[0].header("authorization"),
        Some("Bearer sk_bearer_SECRET")
    );
    // ...and appear nowhere else.
    let shown = [
        events.all_text(),
        format!("{error:?}"),
        error.to_string(),
        format!("{client:?}"),
    ];
    for text in shown {
        assert!(!text.contains("SECRET"), "a credential leaked: {text}");
    }
    // The URL in the call's span shows where the key went, masked.
    assert!(events.all_text().contains("api_key=%2A%2A%2A"));
}

// ---------------------------------------------------------------------------------------
// A generated client: the operation's declared header reaches the runtime

#[tether::integration(spec = "tests/specs/payments.yaml")]
mod payments {}

#[tokio::test(start_paused = true)]
async fn a_generated_write_with_a_declared_key_header_is_retried_safely() {
    let _trace = Trace::install();
    let server = Server::start(vec![
        reply(503, &[]),
        ok(json!({"id": "pay_1", "amount": 250})),
    ])
    .await;
    let client = payments::Client::new(&server.url).unwrap();
    let payment = client
        .create_payment(payments::NewPayment { amount: 250 })
        .await
        .unwrap();
    assert_eq!(payment.id, "pay_1");
    let keys = server.header_values("idempotency-key");
    assert_eq!(keys.len(), 2);
    assert!(keys[0].is_some() && keys[0] == keys[1], "{keys:?}");
    let body: Value = serde_json::from_slice(&server.seen()[1].body).unwrap();
    assert_eq!(body, json!({"amount": 250}));

    // An operation without the header: no key, so a 503 is final.
    let server = Server::start(vec![
        reply(503, &[]),
        ok(json!({"id": "re_1", "amount": 1})),
    ])
    .await;
    let client = payments::Client::new(&server.url).unwrap();
    let error = client
        .create_refund(payments::NewPayment { amount: 1 })
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(server.header_values("idempotency-key"), [None]);
}

// ---------------------------------------------------------------------------------------
// User agent

#[tokio::test]
async fn requests_carry_tethers_user_agent_unless_the_client_names_its_own() {
    let _events = Trace::install();
    let server = Server::start(vec![ok(json!({"id": 1}))]).await;
    send_body(get(&client_for(&server, RetryPolicy::none())))
        .await
        .unwrap();
    let named = ClientConfig::new(&server.url).user_agent("lead-sync/2.1");
    send_body(get(&HttpClient::new(named, &[]).unwrap()))
        .await
        .unwrap();
    assert_eq!(
        server.header_values("user-agent"),
        [
            Some(format!("tether/{}", env!("CARGO_PKG_VERSION"))),
            Some("lead-sync/2.1".to_owned())
        ]
    );
    let refused = HttpClient::new(ClientConfig::new(&server.url).user_agent("two\nlines"), &[]);
    let error = refused.expect_err("a user agent that is not header text");
    assert!(error.to_string().contains("user agent"), "{error}");
}
