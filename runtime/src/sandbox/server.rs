//! The loopback server: binds `127.0.0.1:0`, reads each request, routes it, applies the
//! fault plan, and hands it to the operation; the [`Sandbox`] handle stops it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body as AxumBody;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::response::Response;
use axum::Router;
use http::{header, HeaderValue, StatusCode};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::faults::{FaultState, Faults};
use super::incoming::{pairs, Body, Incoming};
use super::reply::Encoded;
use super::routes::{Found, Routes, Table};
use super::text::Text;

/// The largest request body a sandbox reads.
const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// A sandbox about to be served: its operations, and the faults it injects.
pub struct Builder {
    table: Table,
    faults: Faults,
}

impl<A: Send + Sync + 'static> From<Routes<A>> for Builder {
    fn from(routes: Routes<A>) -> Builder {
        Builder {
            table: routes.into_table(),
            faults: Faults::default(),
        }
    }
}

impl Builder {
    /// Answers the requests `faults` picks with a `429` or `503` before they reach the
    /// implementation.
    pub fn faults(mut self, faults: Faults) -> Builder {
        self.faults = faults;
        self
    }

    /// Serves the sandbox on a fresh port of `127.0.0.1`, on the current tokio runtime,
    /// until the returned handle is shut down or dropped.
    pub async fn serve(self) -> std::io::Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let base_url = format!("http://{address}{}", self.table.base_path);
        let state = Arc::new(ServerState {
            table: self.table,
            faults: FaultState::new(self.faults),
            received: Mutex::default(),
        });
        let app = Router::new().fallback(answer).with_state(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async {
                // Either a shutdown request or the handle's drop ends the wait.
                let _ = stopped.await;
            };
            if let Err(error) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::warn!(%error, "the sandbox server stopped");
            }
        });
        tracing::debug!(%base_url, "sandbox serving");
        Ok(Sandbox {
            address,
            base_url,
            state,
            stop: Some(stop),
            task,
        })
    }
}

/// A sandbox being served on a loopback port. Dropping it stops the server at once;
/// [`Sandbox::shutdown`] lets requests in flight finish first.
pub struct Sandbox {
    address: SocketAddr,
    base_url: String,
    state: Arc<ServerState>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// The URL to give the generated client: `http://127.0.0.1:PORT` followed by the
    /// path of the spec's server URL (`/v1`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// How many requests of `operation` (its `operationId`) arrived so far, the ones
    /// answered with an injected fault included.
    pub fn requests(&self, operation: &str) -> u64 {
        self.state
            .received
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(operation)
            .copied()
            .unwrap_or(0)
    }

    /// How many requests were answered with an injected fault so far.
    pub fn faults_injected(&self) -> u64 {
        self.state.faults.injected()
    }

    /// Stops accepting connections and waits for requests in flight to be answered.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What every request of a sandbox shares.
struct ServerState {
    table: Table,
    faults: FaultState,
    /// Requests per operation id.
    received: Mutex<HashMap<&'static str, u64>>,
}

/// Answers one request.
async fn answer(State(state): State<Arc<ServerState>>, request: Request) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let Some(below) = path
        .strip_prefix(&state.table.base_path)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
    else {
        return no_operation(&state, &method, &path);
    };
    let query = request.uri().query().unwrap_or("");
    let (info, params, handler) = match state.table.find(&method, below, query, request.headers()) {
        Found::Operation {
            info,
            params,
            handler,
        } => (info, params, handler),
        Found::OtherMethods(methods) => {
            let allowed: Vec<&str> = methods.iter().map(http::Method::as_str).collect();
            let message = format!(
                "`{path}` does not take `{method}`; it takes {}",
                allowed.join(", ")
            );
            let mut encoded = Encoded::plain_problem(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                &message,
            );
            if let Ok(allow) = HeaderValue::try_from(allowed.join(", ")) {
                encoded.headers.insert(header::ALLOW, allow);
            }
            return response(encoded);
        }
        Found::Nothing => return no_operation(&state, &method, &path),
    };
    *state
        .received
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .entry(info.operation)
        .or_default() += 1;
    if let Some(fault) = state.faults.fault_for(info.operation) {
        return response(fault.encode(info.operation));
    }
    let incoming = match read(request, params).await {
        Ok(incoming) => incoming,
        Err(problem) => return response(problem),
    };
    response(handler(incoming).await)
}

fn no_operation(state: &ServerState, method: &http::Method, path: &str) -> Response {
    let message = format!(
        "no operation of this sandbox matches `{method} {path}` (operation paths start with `{}/`)",
        state.table.base_path
    );
    response(Encoded::plain_problem(
        StatusCode::NOT_FOUND,
        "no_operation",
        &message,
    ))
}

/// Reads the request's query, headers and body.
async fn read(request: Request, path_params: Vec<(String, String)>) -> Result<Incoming, Encoded> {
    let query = pairs(request.uri().query().unwrap_or(""));
    let headers = request.headers().clone();
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/form-data"));
    let body = if multipart {
        let (fields, files) = parts(request).await?;
        Body::Parts { fields, files }
    } else {
        let bytes = axum::body::to_bytes(request.into_body(), BODY_LIMIT)
            .await
            .map_err(|error| unreadable(&error.to_string()))?;
        if bytes.is_empty() {
            Body::Empty
        } else {
            Body::Bytes(bytes)
        }
    };
    Ok(Incoming {
        path_params,
        query,
        headers,
        body,
    })
}

/// The parts of a multipart body, each a field of the body's type, and for each whether
/// it was sent as a file.
async fn parts(request: Request) -> Result<(Text, Vec<bool>), Encoded> {
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|rejection| unreadable(&rejection.body_text()))?;
    let mut fields = Vec::new();
    let mut files = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| unreadable(&error.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        files.push(field.file_name().is_some());
        let content = field
            .bytes()
            .await
            .map_err(|error| unreadable(&error.body_text()))?;
        fields.push((name, content));
    }
    // Each part is read as its field's type wants: bytes for a file, else its text.
    let fields = fields
        .into_iter()
        .map(|(name, content)| (name, Text::Bytes(content)))
        .collect();
    Ok((Text::Fields(fields), files))
}

fn unreadable(reason: &str) -> Encoded {
    Encoded::plain_problem(
        StatusCode::BAD_REQUEST,
        "unreadable_body",
        &format!("the request body could not be read: {reason}"),
    )
}

fn response(encoded: Encoded) -> Response {
    let mut response = Response::new(AxumBody::from(encoded.body));
    *response.status_mut() = encoded.status.unwrap_or(StatusCode::OK);
    *response.headers_mut() = encoded.headers;
    if let Some(content_type) = encoded.content_type {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    response
}
