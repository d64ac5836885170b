//! The generated auth surface of `specs/auth.yaml` against a real HTTP server on loopback:
//! each scheme as it arrives on the wire, per-operation `security` (alternatives and
//! `security: []`), missing credentials, a `401`, the OAuth2 flows the spec declares (its
//! token URLs are relative, so they resolve against the test server), a redirect to
//! another origin, and no secret in `Debug` output or errors.

// Shared with the other end-to-end tests; not every helper is used here.
#[allow(dead_code)]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tether::{ClientConfig, Error, OAuth2Client, RetryPolicy};
use tether_tests::auth::{Client, Problem, PutNoteBody, WhoamiHeaderError};

use support::{reply_json, RecordedRequest, TestServer, BASE_PATH};

/// A client for `server` without credentials that never retries.
fn anonymous_client(server: &TestServer) -> Client {
    let config = ClientConfig::new(server.base_url()).retry(RetryPolicy::none());
    Client::from_config(config).expect("a loopback base URL is valid")
}

/// A server that answers every request with `{"subject": "ada"}`.
async fn whoami_server() -> TestServer {
    TestServer::start(reply_json(200, json!({"subject": "ada"}))).await
}

/// Whether `request` carries any credential at all.
fn carries_credentials(request: &RecordedRequest) -> bool {
    ["authorization", "x-api-key", "cookie"]
        .iter()
        .any(|name| request.headers.contains_key(*name))
        || request
            .query
            .as_deref()
            .is_some_and(|query| query.contains("api_key"))
}

#[tokio::test]
async fn each_scheme_arrives_as_the_spec_says() {
    let server = whoami_server().await;
    let client = anonymous_client(&server)
        .with_header_key("HEADER-SECRET")
        .with_query_key("QUERY SECRET/1")
        .with_cookie_key("COOKIE-SECRET")
        .with_bearer("BEARER-SECRET")
        .with_basic("ada", "PASS:WORD-SECRET")
        .with_oidc("OIDC-SECRET");

    client.whoami_header().await.unwrap();
    client.whoami_query().verbose(true).await.unwrap();
    client.whoami_cookie().theme("dark").await.unwrap();
    client.whoami_basic().await.unwrap();
    client.whoami_bearer().await.unwrap();
    client.whoami_oidc().await.unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].header("x-api-key"), Some("HEADER-SECRET"));
    assert_eq!(
        requests[1].query.as_deref(),
        Some("verbose=true&api_key=QUERY%20SECRET%2F1")
    );
    assert_eq!(
        requests[2].header("cookie"),
        Some("theme=dark; session=COOKIE-SECRET")
    );
    assert_eq!(
        // base64 of `ada:PASS:WORD-SECRET`
        requests[3].header("authorization"),
        Some("Basic YWRhOlBBU1M6V09SRC1TRUNSRVQ=")
    );
    assert_eq!(
        requests[4].header("authorization"),
        Some("Bearer BEARER-SECRET")
    );
    assert_eq!(
        requests[5].header("authorization"),
        Some("Bearer OIDC-SECRET")
    );
    // Each operation sends its own scheme's credential and no other.
    assert_eq!(requests[0].header("authorization"), None);
    assert_eq!(requests[1].header("x-api-key"), None);
    assert_eq!(requests[3].query, None);
}

#[tokio::test]
async fn the_first_configured_alternative_is_sent() {
    let server = whoami_server().await;
    // Both keys together are the first alternative...
    let keys = anonymous_client(&server)
        .with_header_key("HEADER-SECRET")
        .with_query_key("QUERY-SECRET")
        .with_bearer("BEARER-SECRET");
    keys.whoami_either().await.unwrap();
    // ...one key alone does not satisfy it: the bearer alternative is used.
    let one_key = anonymous_client(&server)
        .with_header_key("HEADER-SECRET")
        .with_bearer("BEARER-SECRET");
    one_key.whoami_either().await.unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].header("x-api-key"), Some("HEADER-SECRET"));
    assert_eq!(requests[0].query.as_deref(), Some("api_key=QUERY-SECRET"));
    assert_eq!(requests[0].header("authorization"), None);
    assert_eq!(
        requests[1].header("authorization"),
        Some("Bearer BEARER-SECRET")
    );
    assert_eq!(requests[1].header("x-api-key"), None);
}

#[tokio::test]
async fn an_operation_with_empty_security_sends_no_credentials() {
    let server = whoami_server().await;
    let client = anonymous_client(&server)
        .with_header_key("HEADER-SECRET")
        .with_query_key("QUERY-SECRET")
        .with_cookie_key("COOKIE-SECRET")
        .with_bearer("BEARER-SECRET")
        .with_basic("ada", "PASSWORD-SECRET");
    client.health().await.unwrap();
    let request = server.only_request();
    assert!(!carries_credentials(&request), "{request:#?}");
}

#[tokio::test]
async fn a_missing_credential_is_an_error_before_anything_is_sent() {
    let server = whoami_server().await;
    let client = anonymous_client(&server).with_header_key("HEADER-SECRET");
    let error = client.whoami_either().await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::InvalidRequest {
                operation: "whoamiEither",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "whoamiEither was not sent: it needs credentials for headerKey + queryKey or bearer and none are configured; set them on the client (`with_*` methods)"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_authorization_header_parameter_is_a_credential_of_the_client() {
    let server = whoami_server().await;
    let error = anonymous_client(&server).legacy_report().await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::InvalidRequest {
                operation: "legacyReport",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(server.requests().is_empty());

    let client = anonymous_client(&server).with_authorization("Token LEGACY-SECRET");
    client.legacy_report().await.unwrap();
    assert_eq!(
        server.only_request().header("authorization"),
        Some("Token LEGACY-SECRET")
    );
    let debug = format!("{client:?}");
    assert!(!debug.contains("LEGACY-SECRET"), "{debug}");
}

#[tokio::test]
async fn a_401_is_the_documented_error() {
    let server = TestServer::start(reply_json(401, json!({"message": "unknown key"}))).await;
    let client = anonymous_client(&server)
        .with_header_key("HEADER-SECRET")
        .with_query_key("QUERY-SECRET");
    let error = client.whoami_header().await.unwrap_err();
    match &error {
        Error::Api { status, body, .. } => {
            assert_eq!(*status, StatusCode::UNAUTHORIZED);
            let WhoamiHeaderError::Unauthorized(Problem { message }) = body;
            assert_eq!(message, "unknown key");
        }
        other => panic!("expected the documented 401, got {other:?}"),
    }
    // A key given as it is is not asked for again: one request.
    assert_eq!(server.requests().len(), 1);

    // Neither the error nor the client shows a secret; a key in the query is masked.
    let error = client.whoami_query().await.unwrap_err();
    let Error::Api { request, .. } = &error else {
        panic!("expected the documented 401, got {error:?}");
    };
    assert!(request.url.ends_with("/v1/whoami/query?api_key=%2A%2A%2A"));
    for shown in [
        format!("{error:?}"),
        error.to_string(),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains("SECRET"), "a secret leaked: {shown}");
    }
}

/// The pieces of an OAuth2 provider: a token endpoint at `/oauth/token` and `/oauth/refresh`
/// (what the spec's relative URLs resolve to) and `whoami` accepting only `fresh-...` tokens.
#[derive(Clone, Default)]
struct Provider {
    issued: Arc<AtomicUsize>,
}

async fn issue(State(provider): State<Provider>) -> Json<serde_json::Value> {
    tokio::time::sleep(Duration::from_millis(50)).await;
    let number = provider.issued.fetch_add(1, Ordering::SeqCst) + 1;
    Json(json!({
        "access_token": format!("fresh-{number}-SECRET"),
        "token_type": "bearer",
        "expires_in": 3600
    }))
}

async fn whoami(request: Request) -> Response {
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if authorization.starts_with("Bearer fresh-") {
        Json(json!({"subject": "app"})).into_response()
    } else {
        let body = Json(json!({"message": "expired"}));
        (StatusCode::UNAUTHORIZED, body).into_response()
    }
}

async fn provider_server(provider: &Provider) -> TestServer {
    let app = Router::new()
        .route("/oauth/token", post(issue))
        .route("/oauth/refresh", post(issue))
        .with_state(provider.clone())
        .route(&format!("{BASE_PATH}/whoami/oauth"), get(whoami));
    TestServer::start(app).await
}

#[tokio::test]
async fn client_credentials_are_exchanged_at_the_specs_token_url_once() {
    let provider = Provider::default();
    let server = provider_server(&provider).await;
    let client = anonymous_client(&server)
        .with_oauth_client_credentials(OAuth2Client::new("app", "CLIENT-SECRET"));

    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.whoami_oauth().await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().subject, "app");
    }

    let requests = server.requests();
    let token_requests: Vec<_> = requests
        .iter()
        .filter(|request| request.path == "/oauth/token")
        .collect();
    assert_eq!(token_requests.len(), 1, "{requests:#?}");
    assert_eq!(token_requests[0].method, "POST");
    assert_eq!(
        token_requests[0].body.as_ref(),
        b"grant_type=client_credentials"
    );
    assert_eq!(
        // base64 of `app:CLIENT-SECRET`
        token_requests[0].header("authorization"),
        Some("Basic YXBwOkNMSUVOVC1TRUNSRVQ=")
    );
    let api_calls: Vec<_> = requests
        .iter()
        .filter(|request| request.path == "/v1/whoami/oauth")
        .collect();
    assert_eq!(api_calls.len(), 10);
    for call in api_calls {
        assert_eq!(call.header("authorization"), Some("Bearer fresh-1-SECRET"));
    }
}

#[tokio::test]
async fn a_users_rejected_token_is_refreshed_at_the_specs_refresh_url() {
    let provider = Provider::default();
    let server = provider_server(&provider).await;
    let client = anonymous_client(&server).with_oauth_tokens(
        OAuth2Client::new("app", "CLIENT-SECRET"),
        "stale-SECRET",
        "REFRESH-SECRET",
    );
    assert_eq!(client.whoami_oauth().await.unwrap().subject, "app");

    let requests = server.requests();
    let paths: Vec<&str> = requests
        .iter()
        .map(|request| request.path.as_str())
        .collect();
    assert_eq!(
        paths,
        ["/v1/whoami/oauth", "/oauth/refresh", "/v1/whoami/oauth"]
    );
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer stale-SECRET")
    );
    assert_eq!(
        requests[1].body.as_ref(),
        b"grant_type=refresh_token&refresh_token=REFRESH-SECRET"
    );
    assert_eq!(
        requests[2].header("authorization"),
        Some("Bearer fresh-1-SECRET")
    );
    let shown = format!("{client:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
}

#[tokio::test]
async fn a_redirect_to_another_origin_arrives_without_credentials() {
    let files = TestServer::start(Router::new().route(
        &format!("{BASE_PATH}/files/export.txt"),
        get(|| async { ([(header::CONTENT_TYPE, "text/plain")], "id,name\n1,Rex\n") }),
    ))
    .await;
    let target = format!("{}/files/export.txt?api_key=QUERY-SECRET", files.base_url());
    let api = TestServer::start(Router::new().route(
        &format!("{BASE_PATH}/export"),
        get(move || {
            let target = target.clone();
            async move { (StatusCode::FOUND, [(header::LOCATION, target)]) }
        }),
    ))
    .await;
    let client = anonymous_client(&api)
        .with_header_key("HEADER-SECRET")
        .with_query_key("QUERY-SECRET");

    let exported = client.export().await.unwrap();
    assert_eq!(exported, "id,name\n1,Rex\n");
    let sent = api.only_request();
    assert_eq!(sent.header("x-api-key"), Some("HEADER-SECRET"));
    let followed = files.only_request();
    assert!(!carries_credentials(&followed), "{followed:#?}");
    assert_eq!(followed.query, None);
}

/// A signer of the kind OAuth 1.0a or AWS Signature Version 4 needs: its signature covers
/// the method, the path with the query, and the body, and counts the attempts it signed.
fn counting_signer(
    signed: Arc<AtomicUsize>,
) -> impl Fn(&mut reqwest::Request) -> Result<(), tether::SignError> + Send + Sync + 'static {
    move |request: &mut reqwest::Request| {
        let attempt = signed.fetch_add(1, Ordering::SeqCst) + 1;
        let body = request
            .body()
            .and_then(|body| body.as_bytes())
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default();
        let signature = format!(
            "{} {}?{} {body} #{attempt}",
            request.method(),
            request.url().path(),
            request.url().query().unwrap_or_default()
        );
        let value = reqwest::header::HeaderValue::from_str(&signature)?;
        request.headers_mut().insert("x-signature", value);
        Ok(())
    }
}

#[tokio::test]
async fn a_request_signer_signs_every_attempt_as_it_is_sent() {
    // The first attempt is answered 503, the retry 200.
    let answered = Arc::new(AtomicUsize::new(0));
    let app = Router::new().route(
        "/v1/notes/{id}",
        axum::routing::put(move || {
            let answered = Arc::clone(&answered);
            async move {
                if answered.fetch_add(1, Ordering::SeqCst) == 0 {
                    StatusCode::SERVICE_UNAVAILABLE.into_response()
                } else {
                    Json(json!({"subject": "signed"})).into_response()
                }
            }
        }),
    );
    let server = TestServer::start(app).await;
    let signed = Arc::new(AtomicUsize::new(0));
    let config = ClientConfig::new(server.base_url())
        .retry(RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(1)))
        .sign_requests(counting_signer(Arc::clone(&signed)));
    let client = Client::from_config(config).expect("a loopback base URL is valid");

    let whoami = client
        .put_note(7, PutNoteBody { text: "hi".into() })
        .await
        .expect("signed and answered");

    assert_eq!(whoami.subject, "signed");
    let signatures: Vec<String> = server
        .requests()
        .iter()
        .map(|request| request.header("x-signature").expect("signed").to_owned())
        .collect();
    assert_eq!(
        signatures,
        [
            r#"PUT /v1/notes/7? {"text":"hi"} #1"#,
            r#"PUT /v1/notes/7? {"text":"hi"} #2"#
        ]
    );
    assert_eq!(signed.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_signed_request_is_signed_again_at_each_redirect_within_its_origin() {
    // Note 7 has moved to note 8 on the same server, and note 8 to another origin.
    let elsewhere = TestServer::start(Router::new().route(
        &format!("{BASE_PATH}/archive/8"),
        axum::routing::put(|| async { Json(json!({"subject": "archived"})) }),
    ))
    .await;
    let archive = format!("{}/archive/8", elsewhere.base_url());
    let app = Router::new().route(
        &format!("{BASE_PATH}/notes/{{id}}"),
        axum::routing::put(move |request: Request| {
            let archive = archive.clone();
            async move {
                let location = if request.uri().path().ends_with("/7") {
                    "/v1/notes/8".to_owned()
                } else {
                    archive
                };
                (
                    StatusCode::TEMPORARY_REDIRECT,
                    [(header::LOCATION, location)],
                )
            }
        }),
    );
    let server = TestServer::start(app).await;
    let signed = Arc::new(AtomicUsize::new(0));
    let config = ClientConfig::new(server.base_url())
        .retry(RetryPolicy::none())
        .sign_requests(counting_signer(Arc::clone(&signed)));
    let client = Client::from_config(config).expect("a loopback base URL is valid");

    let whoami = client
        .put_note(7, PutNoteBody { text: "hi".into() })
        .await
        .expect("followed to the archive");

    assert_eq!(whoami.subject, "archived");
    let signatures: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|request| request.header("x-signature").map(str::to_owned))
        .collect();
    assert_eq!(
        signatures,
        [
            Some(r#"PUT /v1/notes/7? {"text":"hi"} #1"#.to_owned()),
            Some(r#"PUT /v1/notes/8? {"text":"hi"} #2"#.to_owned())
        ]
    );
    let followed = elsewhere.only_request();
    assert_eq!(followed.header("x-signature"), None);
    assert_eq!(followed.method, axum::http::Method::PUT);
    assert_eq!(signed.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_request_the_signer_refuses_is_not_sent() {
    let server = whoami_server().await;
    let config = ClientConfig::new(server.base_url())
        .sign_requests(|_: &mut reqwest::Request| Err("no signing key".into()));
    let client = Client::from_config(config).expect("a loopback base URL is valid");

    let error = client
        .put_note(7, PutNoteBody { text: "hi".into() })
        .await
        .unwrap_err();

    assert!(
        matches!(
            &error,
            Error::InvalidRequest {
                operation: "putNote",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("the request could not be signed: no signing key"),
        "{error}"
    );
    assert!(server.requests().is_empty());
}
