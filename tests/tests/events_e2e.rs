//! Responses read as the streams of values the spec documents, against a real server on
//! loopback: a completion sent as server-sent events (`text/event-stream`), the way AI
//! providers stream them, a log sent as JSON lines (`application/jsonl`), and a watch of
//! it in the way of Kubernetes (`application/json;stream=watch`). The
//! completion's second event is sent only once the client has read the first, so a
//! client that waited for the whole body would never see it.

// Shared with the other end-to-end tests; not every helper is used here.
#[allow(dead_code)]
mod support;

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures::{Stream, StreamExt};
use serde_json::json;
use tether::{ClientConfig, Error, EventStreamFuture, RetryPolicy};
use tether_tests::chat::{
    Client, Completion, CompletionChunkFinishReason, CompletionRequest, CreateCompletionError,
    LogEntryLevel,
};
use tokio::sync::Notify;

use support::{reply, reply_json, TestServer};

/// No test here may wait forever on a client that reads the whole body first.
const PATIENCE: Duration = Duration::from_secs(10);

fn client(server: &TestServer) -> Client {
    let config = ClientConfig::new(server.base_url()).retry(RetryPolicy::none());
    Client::from_config(config).expect("a valid config")
}

fn request(stream: bool) -> CompletionRequest {
    CompletionRequest {
        prompt: "Say hello".to_owned(),
        stream: Some(stream),
    }
}

/// Two chunk events, the second once `go_on` is notified, then `[DONE]` and an event after
/// it that must not count. Lines are cut across chunks, and a comment keeps the line open.
fn completion_events(go_on: Arc<Notify>) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    let parts = [
        ": keep-alive\n\nevent: chunk\ndata: {\"id\":\"c1\",",
        "\"delta\":\"Hel\"}\n\n",
        "data: {\"id\":\"c1\",\"delta\":\"lo\",\r\ndata: \"finish_reason\":\"stop\"}\r\n\r\n",
        "data: [DONE]\n\ndata: {\"id\":\"after\",\"delta\":\"x\"}\n\n",
    ];
    futures::stream::unfold(0, move |sent| {
        let go_on = go_on.clone();
        async move {
            let part = *parts.get(sent)?;
            if sent == 2 {
                go_on.notified().await;
            }
            Some((Ok(Bytes::from_static(part.as_bytes())), sent + 1))
        }
    })
}

fn event_stream(body: Body) -> Response {
    ([(header::CONTENT_TYPE, "text/event-stream")], body).into_response()
}

#[tokio::test]
async fn a_completion_streams_as_typed_server_sent_events_as_they_arrive() {
    let go_on = Arc::new(Notify::new());
    let serving = go_on.clone();
    let app = Router::new().route(
        "/v1/completions",
        post(move || {
            let go_on = serving.clone();
            async move { event_stream(Body::from_stream(completion_events(go_on))) }
        }),
    );
    let server = TestServer::start(app).await;

    let mut chunks = tokio::time::timeout(
        PATIENCE,
        client(&server)
            .create_completion(request(true))
            .event_stream(),
    )
    .await
    .expect("the response arrives before its whole body")
    .expect("a success");
    assert_eq!(chunks.status(), StatusCode::OK);
    let first = tokio::time::timeout(PATIENCE, chunks.next())
        .await
        .expect("the first event arrives alone")
        .expect("an event")
        .expect("a chunk");
    assert_eq!((first.id.as_str(), first.delta.as_str()), ("c1", "Hel"));
    assert_eq!(first.finish_reason, None);

    go_on.notify_one();
    let rest: Vec<_> = tokio::time::timeout(PATIENCE, chunks.collect::<Vec<_>>())
        .await
        .expect("the rest arrives");
    let [Ok(last)] = rest.as_slice() else {
        panic!("one more chunk, then the end at [DONE]: {rest:?}");
    };
    assert_eq!(last.delta, "lo");
    assert_eq!(last.finish_reason, Some(CompletionChunkFinishReason::Stop));

    let sent = server.only_request();
    assert_eq!(sent.header("accept"), Some("text/event-stream"));
    assert_eq!(
        sent.json_body(),
        json!({"prompt": "Say hello", "stream": true})
    );
}

#[tokio::test]
async fn the_same_operation_awaited_reads_its_json_whole() {
    let server = TestServer::start(reply_json(200, json!({"id": "c2", "text": "Hello"}))).await;

    let completion = client(&server)
        .create_completion(request(false))
        .await
        .expect("a completion");
    let Completion { id, text } = completion;
    assert_eq!((id.as_str(), text.as_str()), ("c2", "Hello"));
    // reqwest's own `*/*`: the stream is asked for only by `event_stream()`.
    assert_eq!(server.only_request().header("accept"), Some("*/*"));
}

#[tokio::test]
async fn an_error_status_is_the_operations_typed_error_not_a_stream() {
    let server = TestServer::start(reply_json(400, json!({"message": "no prompt"}))).await;

    match client(&server)
        .create_completion(request(true))
        .event_stream()
        .await
    {
        Err(Error::Api {
            body: CreateCompletionError::BadRequest(problem),
            ..
        }) => assert_eq!(problem.message, "no prompt"),
        other => panic!("expected the 400's typed error, got {other:?}"),
    }
}

#[tokio::test]
async fn json_lines_are_decoded_one_by_one_and_a_bad_line_does_not_end_the_stream() {
    let log = "{\"level\":\"info\",\"message\":\"started\"}\n\
               {\"level\":\"loud\",\"message\":3}\n\
               {\"level\":\"error\",\"message\":\"stopped\"}";
    let app = Router::new().route(
        "/v1/logs",
        get(move || async move { reply_body("application/x-ndjson", log) }),
    );
    let server = TestServer::start(app).await;

    let entries = received(client(&server).read_log().follow(true).event_stream()).await;
    let [Ok(started), Err(Error::Decode {
        path, body_excerpt, ..
    }), Ok(stopped)] = entries.as_slice()
    else {
        panic!("two entries around a line that does not decode: {entries:?}");
    };
    assert_eq!(started.level, LogEntryLevel::Info);
    assert_eq!(stopped.message, "stopped");
    assert_eq!(path, "message");
    assert!(body_excerpt.contains("loud"), "{body_excerpt}");
    let sent = server.only_request();
    // The media type the spec documents, though the server labels its lines another way.
    assert_eq!(sent.header("accept"), Some("application/jsonl"));
    assert_eq!(sent.query.as_deref(), Some("follow=true"));
}

/// Kubernetes' watch: the same operation lists, or with `watch` streams changes to the
/// list's items as JSON lines under a plain `application/json`, though the spec documents
/// the stream with the list's schema; the client asks for the media type the spec gives
/// the stream, `stream=watch` included.
#[tokio::test]
async fn a_kubernetes_style_watch_is_read_as_one_event_per_line() {
    let changes = "{\"type\":\"ADDED\",\"object\":{\"level\":\"info\",\"message\":\"a\"}}\n\
                   {\"type\":\"DELETED\",\"object\":{\"level\":\"warn\",\"message\":\"b\"}}\n";
    let server = TestServer::start(reply(200, "application/json", changes)).await;

    let events = received(client(&server).list_entries().watch(true).event_stream()).await;
    let [Ok(added), Ok(deleted)] = events.as_slice() else {
        panic!("two watch events: {events:?}");
    };
    assert_eq!(added.r#type, "ADDED");
    assert_eq!(added.object.message, "a");
    assert_eq!(deleted.r#type, "DELETED");
    assert_eq!(deleted.object.level, LogEntryLevel::Warn);
    let sent = server.only_request();
    assert_eq!(sent.header("accept"), Some("application/json;stream=watch"));
    assert_eq!(sent.query.as_deref(), Some("watch=true"));
}

/// Everything a stream yields, once its response has arrived as a success.
async fn received<T, E: std::fmt::Debug>(stream: EventStreamFuture<T, E>) -> Vec<Result<T, Error>> {
    stream.await.expect("a success").collect().await
}

fn reply_body(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

#[tokio::test]
async fn awaited_whole_a_json_lines_body_is_its_bytes() {
    let log = "{\"level\":\"info\",\"message\":\"a\"}\n{\"level\":\"info\",\"message\":\"b\"}\n";
    let server = TestServer::start(reply(200, "application/x-ndjson", log)).await;

    let body = client(&server).read_log().await.expect("the log");
    assert_eq!(body.as_ref(), log.as_bytes());
}

#[tokio::test]
async fn a_server_that_answers_with_whole_json_is_told_apart_from_an_empty_stream() {
    let server = TestServer::start(reply_json(200, json!({"id": "c3", "text": "Hi"}))).await;

    let chunks = received(
        client(&server)
            .create_completion(request(true))
            .event_stream(),
    )
    .await;
    let [Err(Error::Decode {
        message,
        body_excerpt,
        ..
    })] = chunks.as_slice()
    else {
        panic!("one error saying the response is no stream: {chunks:?}");
    };
    assert!(
        message.contains("`application/json`, not `text/event-stream`"),
        "{message}"
    );
    assert!(body_excerpt.contains("\"c3\""), "{body_excerpt}");
}
