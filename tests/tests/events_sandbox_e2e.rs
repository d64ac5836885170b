//! The generated sandbox answers an operation whose response streams values with those
//! values framed as the spec documents (server-sent events, JSON lines), or with its whole
//! body; the generated client reads them over loopback.

use futures::StreamExt;
use tether::sandbox::{Reply, Streamed};
use tether::EventStreamFuture;
use tether_tests::sandboxed::chat::{
    sandbox, Client, Completion, CompletionChunk, CompletionChunkFinishReason, CompletionRequest,
    CreateCompletionError, EntryList, LogEntry, LogEntryLevel, LogEntryWatchEvent,
};

/// A completion as two chunks when the request asks for a stream, whole otherwise; a log
/// of two entries.
struct Chat;

fn chunk(delta: &str, finish_reason: Option<CompletionChunkFinishReason>) -> CompletionChunk {
    CompletionChunk {
        id: "c1".to_owned(),
        delta: delta.to_owned(),
        finish_reason,
    }
}

/// Every value a stream yields, each one decoded, once its response has arrived.
async fn every_value<T, E: std::fmt::Debug>(stream: EventStreamFuture<T, E>) -> Vec<T> {
    let stream = stream.await.expect("a stream");
    stream.map(|value| value.expect("a value")).collect().await
}

fn entry(level: LogEntryLevel, message: &str) -> LogEntry {
    LogEntry {
        level,
        message: message.to_owned(),
    }
}

impl sandbox::Api for Chat {
    async fn create_completion(
        &self,
        body: CompletionRequest,
    ) -> Reply<Streamed<Completion, CompletionChunk>, CreateCompletionError> {
        if body.stream == Some(true) {
            Reply::ok(Streamed::Values(vec![
                chunk("Hel", None),
                chunk("lo", Some(CompletionChunkFinishReason::Stop)),
            ]))
        } else {
            Reply::ok(Streamed::Whole(Completion {
                id: "c1".to_owned(),
                text: format!("{} world", body.prompt),
            }))
        }
    }

    async fn read_log(
        &self,
        _follow: Option<bool>,
    ) -> Reply<Streamed<tether::Bytes, LogEntry>, std::convert::Infallible> {
        Reply::ok(Streamed::Values(vec![
            entry(LogEntryLevel::Info, "started"),
            entry(LogEntryLevel::Error, "stopped"),
        ]))
    }

    async fn list_entries(
        &self,
        watch: Option<bool>,
    ) -> Reply<Streamed<EntryList, LogEntryWatchEvent>, std::convert::Infallible> {
        let started = entry(LogEntryLevel::Info, "started");
        if watch == Some(true) {
            Reply::ok(Streamed::Values(vec![LogEntryWatchEvent {
                r#type: "ADDED".to_owned(),
                object: started,
            }]))
        } else {
            Reply::ok(Streamed::Whole(EntryList {
                items: vec![started],
            }))
        }
    }
}

async fn served() -> (tether::sandbox::Sandbox, Client) {
    let sandbox = sandbox::serve(Chat).await.expect("the sandbox serves");
    let client = Client::new(sandbox.base_url()).expect("a valid base URL");
    (sandbox, client)
}

fn request(stream: bool) -> CompletionRequest {
    CompletionRequest {
        prompt: "Hello".to_owned(),
        stream: Some(stream),
    }
}

#[tokio::test]
async fn the_sandbox_streams_values_as_server_sent_events() {
    let (_sandbox, client) = served().await;

    let chunks = every_value(client.create_completion(request(true)).event_stream()).await;
    assert_eq!(
        chunks,
        [
            chunk("Hel", None),
            chunk("lo", Some(CompletionChunkFinishReason::Stop))
        ]
    );
}

#[tokio::test]
async fn the_sandbox_answers_the_whole_body_when_asked_for_it() {
    let (_sandbox, client) = served().await;

    let completion = client
        .create_completion(request(false))
        .await
        .expect("a completion");
    assert_eq!(completion.text, "Hello world");
}

#[tokio::test]
async fn the_sandbox_writes_json_lines_that_read_back_as_values_and_as_bytes() {
    let (_sandbox, client) = served().await;

    let entries = every_value(client.read_log().event_stream()).await;
    assert_eq!(
        entries,
        [
            entry(LogEntryLevel::Info, "started"),
            entry(LogEntryLevel::Error, "stopped")
        ]
    );

    let labelled = client.read_log().bytes_stream().await.expect("the log");
    let content_type = labelled.headers().get("content-type");
    assert_eq!(
        content_type.and_then(|value| value.to_str().ok()),
        Some("application/jsonl")
    );

    let whole = client.read_log().await.expect("the log");
    let lines: Vec<serde_json::Value> = std::str::from_utf8(&whole)
        .expect("text")
        .lines()
        .map(|line| serde_json::from_str(line).expect("a line of JSON"))
        .collect();
    assert_eq!(
        lines,
        [
            serde_json::json!({"level": "info", "message": "started"}),
            serde_json::json!({"level": "error", "message": "stopped"})
        ]
    );
}

/// A Kubernetes-style watch (`application/json;stream=watch`, documented with the list's
/// schema): the same operation answers its list whole, or changes to its items one JSON
/// line each.
#[tokio::test]
async fn the_sandbox_answers_a_watch_with_one_line_per_change() {
    let (_sandbox, client) = served().await;

    let changes = every_value(client.list_entries().watch(true).event_stream()).await;
    let started = entry(LogEntryLevel::Info, "started");
    assert_eq!(
        changes,
        [LogEntryWatchEvent {
            r#type: "ADDED".to_owned(),
            object: started.clone(),
        }]
    );
    let listed = client.list_entries().await.expect("the list");
    assert_eq!(listed.items, [started]);
}
