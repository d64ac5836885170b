//! An operation the spec serves from a host of its own (`Call::own_server`), over loopback:
//! it goes to that host while the client's base URL is the spec's, and to the client's
//! base URL once the client was pointed elsewhere (a sandbox, a proxy).

mod loopback;

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use tether::__private::{send_body, text, Call};
use tether::{ClientConfig, Error, HttpClient, Method, RetryPolicy};

/// A loopback server that answers `GET /balance` with its own name.
async fn named_server(name: &'static str) -> String {
    let app = Router::new()
        .route(
            "/balance",
            get(|State(name): State<&'static str>| async move { name }),
        )
        .with_state(name);
    loopback::serve(app).await
}

fn client(base_url: &str) -> HttpClient {
    HttpClient::new(ClientConfig::new(base_url).retry(RetryPolicy::none()), &[])
        .expect("a loopback base URL is valid")
}

/// What the generated `get_balance` does: the document's server is `document`, the
/// operation's own is `own`.
async fn balance(client: &HttpClient, document: &str, own: &str) -> Result<String, Error> {
    let mut call: Call<String, std::convert::Infallible> =
        Call::new(client, Method::GET, "getBalance", text);
    call.path("/balance");
    call.own_server(&format!("{document}/"), own);
    send_body(call).await
}

#[tokio::test]
async fn an_operation_goes_to_its_own_server_unless_the_client_was_pointed_elsewhere() {
    let document = named_server("document").await;
    let own = named_server("own").await;
    let sandbox = named_server("sandbox").await;

    let answered = balance(&client(&document), &document, &own).await;
    assert_eq!(answered.expect("the own server answers"), "own");

    let answered = balance(&client(&sandbox), &document, &own).await;
    assert_eq!(answered.expect("the sandbox answers"), "sandbox");

    let answered = balance(&client(&document), &document, "ftp://elsewhere").await;
    match answered {
        Err(Error::InvalidRequest { message, .. }) => {
            assert!(message.contains("the operation's own server"), "{message}")
        }
        other => panic!("an own server that is not http is refused, got {other:?}"),
    }
}
