//! Headers the caller adds, as a real server on loopback receives them: the client's
//! (`ClientConfig::header`) on every request, a call's (`CallOptions::header`) over them,
//! the operation's own header parameters over the client's, credentials over all of
//! them, and none of them on a redirect to another origin.

// Shared with the other end-to-end tests; not every helper is used here.
#[allow(dead_code)]
mod support;

use axum::http::{header, StatusCode};
use axum::routing::get;
use axum::Router;
use serde_json::json;
use tether::{CallOptions, ClientConfig, Error, RetryPolicy};
use tether_tests::petstore::Client;

use support::{reply_json, TestServer, BASE_PATH};

const TOKEN: &str = "tok-headers";

fn config(server: &TestServer) -> ClientConfig {
    ClientConfig::new(server.base_url()).retry(RetryPolicy::none())
}

fn client(config: ClientConfig) -> Client {
    Client::from_config(config)
        .expect("a valid config")
        .with_petstore_auth(TOKEN)
}

#[tokio::test]
async fn a_calls_headers_go_over_the_clients_and_both_reach_the_server() {
    let server = TestServer::start(reply_json(200, json!([]))).await;
    let client = client(
        config(&server)
            .header("Stripe-Version", "2024-06-20")
            .header("X-Beta", "on"),
    );

    client
        .find_pets_by_status()
        .options(
            CallOptions::new()
                .header("X-Beta", "off")
                .header("X-Trace", "t-1"),
        )
        .await
        .expect("pets");
    let sent = server.only_request();
    assert_eq!(sent.header("stripe-version"), Some("2024-06-20"));
    assert_eq!(sent.header("x-beta"), Some("off"));
    assert_eq!(sent.header("x-trace"), Some("t-1"));
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn an_operations_own_header_parameter_goes_over_the_clients_header() {
    let server = TestServer::start(reply_json(200, json!([]))).await;
    let client = client(config(&server).header("X-Request-Id", "from-the-client"));

    client
        .find_pets_by_status()
        .x_request_id("from-the-call")
        .await
        .expect("pets");
    client.find_pets_by_status().await.expect("pets");
    let sent = server.requests();
    assert_eq!(sent[0].header("x-request-id"), Some("from-the-call"));
    assert_eq!(sent[1].header("x-request-id"), Some("from-the-client"));
}

#[tokio::test]
async fn credentials_go_over_a_header_of_the_same_name() {
    let server = TestServer::start(reply_json(200, json!([]))).await;
    let client = client(config(&server).header("Authorization", "Bearer stale"));

    client
        .find_pets_by_status()
        .options(CallOptions::new().header("Authorization", "Bearer also-stale"))
        .await
        .expect("pets");
    assert_eq!(
        server.only_request().header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn headers_that_are_not_header_text_are_reported_and_nothing_is_sent() {
    let server = TestServer::start(reply_json(200, json!([]))).await;

    let refused = Client::from_config(config(&server).header("X Beta", "on"))
        .expect_err("a name with a space is refused");
    assert!(
        refused
            .to_string()
            .contains("`X Beta` is not a valid header name"),
        "{refused}"
    );

    let client = client(config(&server));
    match client
        .find_pets_by_status()
        .options(CallOptions::new().header("X-Note", "two\nlines"))
        .await
    {
        Err(Error::InvalidRequest { message, .. }) => {
            assert!(
                message.contains("`x-note` is not valid header text"),
                "{message}"
            )
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn header_values_are_hidden_from_debug() {
    let config = ClientConfig::new("https://api.example.com").header("X-Api-Key", "SECRET-1");
    let options = CallOptions::new().header("X-Api-Key", "SECRET-2");
    let shown = format!("{config:?} {options:?}");
    assert!(shown.contains("X-Api-Key"), "{shown}");
    assert!(!shown.contains("SECRET"), "{shown}");
}

#[tokio::test]
async fn a_redirect_to_another_origin_carries_none_of_them() {
    let elsewhere = TestServer::start(reply_json(200, json!([]))).await;
    let target = format!("{}/pets/findByStatus", elsewhere.base_url());
    let api = TestServer::start(Router::new().route(
        &format!("{BASE_PATH}/pets/findByStatus"),
        get(move || {
            let target = target.clone();
            async move { (StatusCode::FOUND, [(header::LOCATION, target)]) }
        }),
    ))
    .await;
    let client = client(config(&api).header("X-Beta", "on"));

    client
        .find_pets_by_status()
        .options(CallOptions::new().header("X-Trace", "t-2"))
        .await
        .expect("pets from the other origin");
    let first = api.only_request();
    assert_eq!(first.header("x-beta"), Some("on"));
    assert_eq!(first.header("x-trace"), Some("t-2"));
    let followed = elsewhere.only_request();
    assert_eq!(followed.header("x-beta"), None);
    assert_eq!(followed.header("x-trace"), None);
    assert_eq!(followed.header("authorization"), None);
}
