//! Slack answers failures with `200 {"ok": false, "error": "..."}`. The spec says so with
//! `x-tether-error-when`, and the generated client must turn such an answer into
//! `Error::Api` with the typed `SlackError`, while a real success decodes as the success
//! object and lists still page. End to end over loopback.

// Shared with the other end-to-end tests; not every helper is used here.
#[allow(dead_code)]
mod support;

use axum::extract::Query;
use axum::routing::{get, post};
use axum::{Json, Router};
use futures::TryStreamExt;
use serde_json::{json, Value};
use std::collections::HashMap;
use support::TestServer;
use tether_tests::slack::{self, ChatPostMessageError, ChatPostMessageRequest, Client};

async fn post_message(Json(body): Json<Value>) -> Json<Value> {
    if body["channel"] == "C-GONE" {
        return Json(json!({"ok": false, "error": "channel_not_found"}));
    }
    Json(json!({"ok": true, "channel": body["channel"], "ts": "1700000000.000100"}))
}

async fn list(Query(params): Query<HashMap<String, String>>) -> Json<Value> {
    match params.get("cursor").map(String::as_str) {
        None => Json(json!({"ok": true, "channels": [{"id": "C1"}, {"id": "C2"}],
            "response_metadata": {"next_cursor": "page2"}})),
        Some("page2") => Json(json!({"ok": true, "channels": [{"id": "C3"}],
            "response_metadata": {"next_cursor": ""}})),
        Some(_) => Json(json!({"ok": false, "error": "invalid_cursor"})),
    }
}

async fn server() -> (TestServer, Client) {
    let app = Router::new()
        .route("/v1/chat.postMessage", post(post_message))
        .route("/v1/conversations.list", get(list));
    let server = TestServer::start(app).await;
    let client = Client::new(server.base_url())
        .expect("a valid base URL")
        .with_bot_token("xoxb-test");
    (server, client)
}

fn message(channel: &str) -> ChatPostMessageRequest {
    ChatPostMessageRequest {
        channel: channel.to_owned(),
        text: Some("hello".to_owned()),
        blocks: None,
        thread_ts: None,
        unfurl_links: None,
        mrkdwn: None,
        metadata: None,
    }
}

#[tokio::test]
async fn ok_false_is_a_typed_api_error() {
    let (_server, client) = server().await;
    match client.chat_post_message(message("C-GONE")).await {
        Err(tether::Error::Api {
            status,
            body: ChatPostMessageError::Failed(failure),
            request,
            ..
        }) => {
            assert_eq!(status, 200);
            assert_eq!(failure.error, "channel_not_found");
            assert_eq!(request.operation, "chat.postMessage");
        }
        other => panic!("expected the Slack error, got {other:?}"),
    }
}

#[tokio::test]
async fn ok_true_is_the_success_object() {
    let (server, client) = server().await;
    let posted: slack::ChatPostMessageSuccess = client
        .chat_post_message(message("C1"))
        .await
        .expect("the post succeeds");
    assert_eq!(posted.channel, "C1");
    assert_eq!(posted.ts, "1700000000.000100");
    let request = server.only_request();
    assert_eq!(request.header("authorization"), Some("Bearer xoxb-test"));
}

#[tokio::test]
async fn lists_page_through_the_success_branch() {
    let (_server, client) = server().await;
    let ids: Vec<String> = client
        .conversations_list()
        .items()
        .map_ok(|conversation| conversation.id)
        .try_collect()
        .await
        .expect("every page decodes");
    assert_eq!(ids, ["C1", "C2", "C3"]);
}
