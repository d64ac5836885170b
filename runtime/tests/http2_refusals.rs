//! HTTP/2 refusals, against a real HTTP/2 server on loopback (the `h2` crate, in cleartext
//! with prior knowledge). A stream the provider refuses was not processed (RFC 9113 §8.7):
//! tether sends it again even when it is a `POST` without an idempotency key. A stream
//! reset for another reason may have been processed, and a write is not replayed.
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
use tokio::net::TcpListener;

/// What the server does with one request.
#[derive(Debug, Clone, Copy)]
enum Reply {
    /// `201` with a JSON body.
    Created,
    /// The request's stream is reset with this reason.
    Reset(h2::Reason),
}

/// An HTTP/2 server that follows `script`, one reply per request in order (then `Created`),
/// and counts the requests it was sent.
struct Server {
    url: String,
    requests: Arc<AtomicUsize>,
}

impl Server {
    async fn start(script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (script, count) = (script.clone(), Arc::clone(&count));
                tokio::spawn(serve_connection(socket, script, count));
            }
        });
        Server { url, requests }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

async fn serve_connection(
    socket: tokio::net::TcpStream,
    script: Vec<Reply>,
    count: Arc<AtomicUsize>,
) {
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

/// The reasons of the `retrying` events traced in this test.
fn retry_reasons(trace: &Trace) -> Vec<String> {
    trace
        .events()
        .into_iter()
        .filter(|event| event.message == "retrying")
        .map(|event| event.text("reason").to_owned())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_refused_stream_is_sent_again_even_for_a_post() {
    let trace = Trace::install();
    let server = Server::start(vec![Reply::Reset(h2::Reason::REFUSED_STREAM)]).await;
    let created = send_body(post(&client_for(&server))).await.unwrap();
    assert_eq!(created, json!({"id": 1}));
    assert_eq!(server.requests(), 2);
    assert_eq!(retry_reasons(&trace), ["refused unprocessed"]);
}

#[tokio::test(start_paused = true)]
async fn a_stream_reset_for_another_reason_is_not_replayed() {
    let trace = Trace::install();
    let server = Server::start(vec![Reply::Reset(h2::Reason::INTERNAL_ERROR)]).await;
    let error = send_body(post(&client_for(&server))).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.requests(), 1);
    assert!(retry_reasons(&trace).is_empty());
}
