//! A real HTTP server on loopback for the end-to-end tests. It answers with an axum
//! `Router` and records every request exactly as it arrived (raw path and query, headers,
//! body bytes), so that tests assert on what went over the wire rather than on what the
//! client meant to send.

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::task::JoinHandle;

/// The path prefix of the pet store's server URL (`servers[0]` ends in `/v1`).
pub const BASE_PATH: &str = "/v1";

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The method.
    pub method: Method,
    /// The path as sent, still percent-encoded.
    pub path: String,
    /// The query string as sent (without `?`), if there was one.
    pub query: Option<String>,
    /// The headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl RecordedRequest {
    /// The value of header `name`, if it was sent once as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.get_all(name).iter();
        let first = values.next()?;
        assert!(values.next().is_none(), "header `{name}` was sent twice");
        Some(first.to_str().expect("header value is text"))
    }

    /// The body parsed as JSON.
    pub fn json_body(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// The requests a server has received, shared between the server and the test.
#[derive(Debug, Clone, Default)]
struct RequestLog(Arc<Mutex<Vec<RecordedRequest>>>);

impl RequestLog {
    fn push(&self, request: RecordedRequest) {
        self.0.lock().expect("request log lock").push(request);
    }

    fn all(&self) -> Vec<RecordedRequest> {
        self.0.lock().expect("request log lock").clone()
    }
}

/// An HTTP server on `127.0.0.1` with an ephemeral port; stopped when dropped.
pub struct TestServer {
    base_url: String,
    log: RequestLog,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Serves `app` (whose routes include [`BASE_PATH`]) on a fresh loopback port.
    pub async fn start(app: Router) -> TestServer {
        let log = RequestLog::default();
        let app = app.layer(middleware::from_fn_with_state(log.clone(), record));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let address = listener.local_addr().expect("the bound address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("the test server runs");
        });
        TestServer {
            base_url: format!("http://{address}{BASE_PATH}"),
            log,
            task,
        }
    }

    /// The base URL a client should be given, e.g. `http://127.0.0.1:40123/v1`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.log.all()
    }

    /// The one request received so far; fails the test if there were more or none.
    pub fn only_request(&self) -> RecordedRequest {
        let mut requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, the server saw {requests:#?}"
        );
        requests.remove(0)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Middleware that records the request, then hands it on with its body intact.
async fn record(State(log): State<RequestLog>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => return (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    };
    log.push(RecordedRequest {
        method: parts.method.clone(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body: body.clone(),
    });
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// A router that answers every request with this status, media type and body.
pub fn reply(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Router {
    let status = StatusCode::from_u16(status).expect("a valid status code");
    let body = body.into();
    Router::new().fallback(move || {
        let body = body.clone();
        async move { (status, [(header::CONTENT_TYPE, content_type)], body) }
    })
}

/// A router that answers every request with this status and JSON body.
pub fn reply_json(status: u16, body: serde_json::Value) -> Router {
    reply(status, "application/json", body.to_string())
}
