//! A binary response read as it arrives: the catalog's `GET /books/{bookId}/cover` through
//! the generated client's `bytes_stream()`, against a real server on loopback that sends
//! the image in parts and, for the first test, sends its second part only once the client
//! has read the first (a client that waited for the whole body would never see it).

// Shared with the other end-to-end tests; not every helper is used here.
#[allow(dead_code)]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::{Stream, StreamExt};
use tether::{CallOptions, ClientConfig, Error, RetryPolicy};
use tether_tests::catalog::{Client, GetCoverError};
use tokio::sync::Notify;

use support::TestServer;

const FIRST_PART: &[u8] = b"\x89PNG\r\n\x1a\n first part";
const SECOND_PART: &[u8] = b" second part";

/// No test here may wait forever on a client that reads the whole body first.
const PATIENCE: Duration = Duration::from_secs(10);

/// A body of `FIRST_PART`, then `SECOND_PART` once `go_on` is notified.
fn two_parts(go_on: Arc<Notify>) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    futures::stream::unfold(0, move |sent| {
        let go_on = go_on.clone();
        async move {
            match sent {
                0 => Some((Ok(Bytes::from_static(FIRST_PART)), 1)),
                1 => {
                    go_on.notified().await;
                    Some((Ok(Bytes::from_static(SECOND_PART)), 2))
                }
                _ => None,
            }
        }
    })
}

fn image(body: Body) -> Response {
    ([(header::CONTENT_TYPE, "image/png")], body).into_response()
}

/// A server whose covers are [`two_parts`], the second once `go_on` is notified.
async fn serve_cover_in_two_parts(go_on: Arc<Notify>) -> TestServer {
    let app = Router::new().route(
        "/v1/books/{book_id}/cover",
        get(move || {
            let go_on = go_on.clone();
            async move { image(Body::from_stream(two_parts(go_on))) }
        }),
    );
    TestServer::start(app).await
}

fn client(config: ClientConfig) -> Client {
    Client::from_config(config).expect("a valid config")
}

#[tokio::test]
async fn a_download_arrives_a_part_at_a_time() {
    let go_on = Arc::new(Notify::new());
    let server = serve_cover_in_two_parts(go_on.clone()).await;
    let client = client(ClientConfig::new(server.base_url()));

    let mut cover = tokio::time::timeout(PATIENCE, client.get_cover("b1").bytes_stream())
        .await
        .expect("the response arrives before its whole body")
        .expect("a success");
    assert_eq!(cover.status(), StatusCode::OK);
    assert_eq!(
        cover
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|value| value.as_bytes()),
        Some(&b"image/png"[..])
    );
    let first = tokio::time::timeout(PATIENCE, cover.next())
        .await
        .expect("the first part arrives alone")
        .expect("a part")
        .expect("read");
    assert_eq!(first.as_ref(), FIRST_PART);

    go_on.notify_one();
    let mut rest = Vec::new();
    while let Some(part) = tokio::time::timeout(PATIENCE, cover.next())
        .await
        .expect("the rest arrives")
    {
        rest.extend_from_slice(&part.expect("read"));
    }
    assert_eq!(rest, SECOND_PART);
    assert_eq!(server.only_request().path, "/v1/books/b1/cover");
}

#[tokio::test]
async fn a_missing_download_is_the_typed_error_of_its_status() {
    let app = Router::new().route(
        "/v1/books/{book_id}/cover",
        get(|| async {
            (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"message": "no book b9"}"#,
            )
        }),
    );
    let server = TestServer::start(app).await;
    let client = client(ClientConfig::new(server.base_url()));

    match client.get_cover("b9").bytes_stream().await {
        Err(Error::Api {
            status,
            body: GetCoverError::NotFound(not_found),
            ..
        }) => {
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert_eq!(not_found.message, "no book b9");
        }
        other => panic!("expected the 404's typed error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_download_is_retried_until_its_body_begins() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let counted = attempts.clone();
    let app = Router::new().route(
        "/v1/books/{book_id}/cover",
        get(move || {
            let attempt = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                if attempt == 0 {
                    StatusCode::SERVICE_UNAVAILABLE.into_response()
                } else {
                    image(Body::from(FIRST_PART))
                }
            }
        }),
    );
    let server = TestServer::start(app).await;
    let retrying =
        RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20));
    let config = ClientConfig::new(server.base_url()).retry(retrying);
    let client = client(config);

    let cover = client
        .get_cover("b1")
        .bytes_stream()
        .await
        .expect("a success after the 503");
    assert_eq!(cover.content_length(), Some(FIRST_PART.len() as u64));
    let parts: Vec<Bytes> = cover
        .map(|part| part.expect("read"))
        .collect::<Vec<_>>()
        .await;
    assert_eq!(parts.concat(), FIRST_PART);
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        2,
        "one 503, then the image"
    );
}

#[tokio::test]
async fn a_download_that_stalls_ends_with_a_timeout_after_what_arrived() {
    // Never notified: the second part never comes.
    let server = serve_cover_in_two_parts(Arc::new(Notify::new())).await;
    let client = client(ClientConfig::new(server.base_url()));
    let limit = Duration::from_millis(300);

    let mut cover = client
        .get_cover("b1")
        .options(CallOptions::new().timeout(limit))
        .bytes_stream()
        .await
        .expect("a success");
    let first = cover.next().await.expect("a part").expect("read");
    assert_eq!(first.as_ref(), FIRST_PART);
    match tokio::time::timeout(PATIENCE, cover.next()).await {
        Ok(Some(Err(Error::Timeout { limit: reached, .. }))) => assert_eq!(reached, limit),
        other => panic!("expected a timeout after the first part, got {other:?}"),
    }
    assert!(
        cover.next().await.is_none(),
        "the stream ends after its error"
    );
}
