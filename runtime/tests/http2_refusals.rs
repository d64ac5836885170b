//! HTTP/2 refusals, against a real HTTP/2 server on loopback (the `h2` crate, in cleartext
//! with prior knowledge). A stream the provider refuses, or one a graceful shutdown left
//! untaken, was not processed (RFC 9113 §8.7): tether sends it again even when it is a
//! `POST` without an idempotency key. A stream reset for another reason may have been
//! processed, and a write is not replayed.
//!
//! tether's own client leaves these refusals to tether's attempts (reqwest's retry layer is
//! off); the client here is configured the same way, with prior knowledge of HTTP/2 added,
//! as cleartext HTTP/2 cannot be negotiated.

// Shared with the other tests; not every helper is used here.
#[allow(dead_code)]
mod support;

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use support::Trace;
use tether::__private::serde_json::{json, Value};
use tether::__private::{json as decode_json, send_body, Call};
use tether::{ClientConfig, Error, HttpClient, Method};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Debug, Clone, Copy)]
enum Reply {
    /// `201` with a JSON body.
    Created,
    /// The request's stream is reset with this reason.
    Reset(h2::Reason),
}

/// An HTTP/2 server that follows `script`, one reply per request in order (then `Created`),
/// and counts the requests it takes.
struct Server {
    url: String,
    requests: Arc<AtomicUsize>,
}

impl Server {
    /// The first `going_away` connections are shut down gracefully (`GOAWAY` with
    /// `NO_ERROR`) when their first request arrives, before the server takes it.
    async fn start(going_away: usize, script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&requests);
        tokio::spawn(async move {
            let mut connections = 0;
            while let Ok((socket, _)) = listener.accept().await {
                let (script, count) = (script.clone(), Arc::clone(&count));
                let goes_away = connections < going_away;
                connections += 1;
                tokio::spawn(serve_connection(socket, goes_away, script, count));
            }
        });
        Server { url, requests }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

async fn serve_connection(
    socket: TcpStream,
    goes_away: bool,
    script: Vec<Reply>,
    count: Arc<AtomicUsize>,
) {
    if goes_away {
        return go_away_before_taking(socket).await;
    }
    let Ok(mut connection) = h2::server::handshake(socket).await else {
        return;
    };
    while let Some(Ok((_request, mut respond))) = connection.accept().await {
        let number = count.fetch_add(1, Ordering::SeqCst);
        match script.get(number).copied().unwrap_or(Reply::Created) {
            Reply::Created => {
                let response = http::Response::builder().status(201).body(()).unwrap();
                let mut body = respond.send_response(response, false).unwrap();
                body.send_data(json!({"id": number}).to_string().into(), true)
                    .unwrap();
            }
            Reply::Reset(reason) => respond.send_reset(reason),
        }
    }
}

/// Takes no request: sends its settings, waits for the first request's headers, then shuts
/// down gracefully (`GOAWAY`, last stream 0, `NO_ERROR`) and leaves the connection open for
/// the client to close. Written frame by frame: `h2`'s server may take a stream it has read
/// before it goes away, and then closes the connection under it.
async fn go_away_before_taking(mut socket: TcpStream) {
    const SETTINGS: u8 = 0x4;
    const HEADERS: u8 = 0x1;
    const GOAWAY: u8 = 0x7;
    const ACK: u8 = 0x1;
    let mut preface = [0; 24];
    if socket.read_exact(&mut preface).await.is_err()
        || socket.write_all(&frame(SETTINGS, 0, &[])).await.is_err()
    {
        return;
    }
    loop {
        let mut header = [0; 9];
        if socket.read_exact(&mut header).await.is_err() {
            return;
        }
        let length = u32::from_be_bytes([0, header[0], header[1], header[2]]) as usize;
        let mut payload = vec![0; length];
        if socket.read_exact(&mut payload).await.is_err() {
            return;
        }
        let ack = match (header[3], header[4] & ACK) {
            (HEADERS, _) => break,
            (SETTINGS, 0) => frame(SETTINGS, ACK, &[]),
            _ => continue,
        };
        if socket.write_all(&ack).await.is_err() {
            return;
        }
    }
    // The payload: last stream 0, error code 0 (`NO_ERROR`).
    if socket.write_all(&frame(GOAWAY, 0, &[0; 8])).await.is_ok() {
        let mut rest = Vec::new();
        let _ = socket.read_to_end(&mut rest).await;
    }
}

/// An HTTP/2 frame on stream 0.
fn frame(kind: u8, flags: u8, payload: &[u8]) -> Vec<u8> {
    let length = (payload.len() as u32).to_be_bytes();
    let mut frame = vec![length[1], length[2], length[3], kind, flags, 0, 0, 0, 0];
    frame.extend_from_slice(payload);
    frame
}

/// A client configured as tether's own (no retry layer in reqwest), over cleartext HTTP/2.
fn client_for(server: &Server) -> HttpClient {
    let http = reqwest::Client::builder()
        .http2_prior_knowledge()
        .retry(reqwest::retry::never().max_retries_per_request(0))
        .build()
        .unwrap();
    HttpClient::new(ClientConfig::new(&server.url).http_client(http), &[]).unwrap()
}

/// A `POST` without an idempotency key, as generated code makes it.
fn post(client: &HttpClient) -> Call<Value, Infallible> {
    let mut call = Call::new(client, Method::POST, "createThing", decode_json::<Value>);
    call.path("/things");
    call.json_body("application/json", &json!({"name": "Rex"}));
    call
}

#[tokio::test(start_paused = true)]
async fn a_refused_stream_is_sent_again_even_for_a_post() {
    let trace = Trace::install();
    let server = Server::start(0, vec![Reply::Reset(h2::Reason::REFUSED_STREAM)]).await;
    let created = send_body(post(&client_for(&server))).await.unwrap();
    assert_eq!(created, json!({"id": 1}));
    assert_eq!(server.requests(), 2);
    assert_eq!(trace.retry_reasons(), ["refused unprocessed"]);
    // The first refusal is sent again at once.
    assert_eq!(trace.waits_ms(), [0]);
}

#[tokio::test(start_paused = true)]
async fn refusals_after_the_first_wait_the_backoff() {
    let trace = Trace::install();
    let refused = Reply::Reset(h2::Reason::REFUSED_STREAM);
    let server = Server::start(0, vec![refused, refused]).await;
    let created = send_body(post(&client_for(&server))).await.unwrap();
    assert_eq!(created, json!({"id": 2}));
    assert_eq!(server.requests(), 3);
    let waits = trace.waits_ms();
    // The default backoff's second retry: 1 s, half of it random.
    assert!(
        waits.len() == 2 && waits[0] == 0 && (500..=1000).contains(&waits[1]),
        "{waits:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stream_reset_for_another_reason_is_not_replayed() {
    let trace = Trace::install();
    let server = Server::start(0, vec![Reply::Reset(h2::Reason::INTERNAL_ERROR)]).await;
    let error = send_body(post(&client_for(&server))).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.requests(), 1);
    assert!(trace.retry_reasons().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_request_a_graceful_shutdown_left_untaken_is_sent_again() {
    let trace = Trace::install();
    let server = Server::start(1, Vec::new()).await;
    let created = send_body(post(&client_for(&server))).await.unwrap();
    assert_eq!(created, json!({"id": 0}));
    assert_eq!(server.requests(), 1);
    assert_eq!(trace.retry_reasons(), ["refused unprocessed"]);
    assert_eq!(trace.waits_ms(), [0]);
}
