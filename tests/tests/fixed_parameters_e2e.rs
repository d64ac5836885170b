//! Parameters a spec allows one value for are no arguments: the client sends the value,
//! and the sandbox tells apart, by that value, operations that share a method and path
//! (AWS's JSON services are all `POST /`, each operation named by its `X-Amz-Target`).

use tether::sandbox::Reply;
use tether::{ClientConfig, RetryPolicy};
use tether_tests::sandboxed::fixed_parameters::{sandbox, Client, Text};

/// Seals a text by reversing it; opens it by reversing it back.
struct Vault;

fn text(text: &str) -> Text {
    Text {
        text: text.to_owned(),
    }
}

impl sandbox::Api for Vault {
    async fn encrypt(&self, body: Text) -> Reply<Text, std::convert::Infallible> {
        Reply::ok(text(&format!(
            "sealed:{}",
            body.text.chars().rev().collect::<String>()
        )))
    }

    async fn decrypt(&self, body: Text) -> Reply<Text, std::convert::Infallible> {
        let sealed = body.text.strip_prefix("sealed:").unwrap_or(&body.text);
        Reply::ok(text(&sealed.chars().rev().collect::<String>()))
    }

    async fn list_keys(
        &self,
        prefix: Option<String>,
    ) -> Reply<Vec<String>, std::convert::Infallible> {
        let keys = ["alpha", "beta", "alto"];
        let prefix = prefix.unwrap_or_default();
        Reply::ok(
            keys.iter()
                .filter(|key| key.starts_with(&prefix))
                .map(|key| (*key).to_owned())
                .collect(),
        )
    }
}

#[tokio::test]
async fn each_operation_of_one_path_is_reached_by_its_fixed_header_and_query() {
    let server = sandbox::serve(Vault).await.expect("the sandbox starts");
    let client =
        Client::from_config(ClientConfig::new(server.base_url()).retry(RetryPolicy::none()))
            .expect("a loopback base URL is valid");

    let sealed = client.encrypt(text("key")).await.expect("encrypts");
    assert_eq!(sealed, text("sealed:yek"));
    let opened = client.decrypt(sealed).await.expect("decrypts");
    assert_eq!(opened, text("key"));
    assert_eq!(
        client.list_keys().prefix("al").await.expect("lists"),
        ["alpha", "alto"]
    );

    // Without its fixed value a request is no operation's.
    let http = reqwest::Client::new();
    let unnamed = http
        .post(format!("{}/", server.base_url()))
        .header("X-Amz-Target", "Vault.Rotate")
        .header("content-type", "application/x-amz-json-1.1")
        .body(r#"{"text": "key"}"#)
        .send()
        .await
        .expect("the sandbox answers");
    assert_eq!(unnamed.status(), 404);
    let unversioned = http
        .get(format!("{}/keys", server.base_url()))
        .send()
        .await
        .expect("the sandbox answers");
    assert_eq!(unversioned.status(), 404);
}
