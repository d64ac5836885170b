//! Credentials on the wire, against real HTTP servers on loopback: OAuth2 tokens fetched,
//! cached, refreshed before expiry and after a `401`; your own token source; redirects to
//! another origin followed without credentials; next-page URLs that echo a key; and no
//! secret in `Debug` output, errors or tracing.
//!
//! Every server records the requests it received exactly as they arrived, so the tests
//! assert on what went over the wire. The API and the token endpoint are separate servers
//! (separate origins), as Salesforce's API and `login.salesforce.com` are.

// Shared with resilience.rs; not every helper is used here.
#[allow(dead_code)]
mod support;

use std::collections::HashSet;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use futures::TryStreamExt;
use support::Trace;
use tether::__private::serde_json::{json, Value};
use tether::__private::{json as decode_json, pages, send_body, Call, NextPage, Paging};
use tether::{
    AccessToken, ApiKeyLocation, ClientConfig, ClientCredentialsGrant, Credential, Error,
    HttpClient, Method, OAuth2Client, RefreshTokenGrant, RetryPolicy, SchemeKind, Secret,
    SecurityScheme, TokenSource,
};

// ---------------------------------------------------------------------------------------
// Servers that record what they receive

/// One request as a server received it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|value| value.to_str().expect("header text"))
    }

    /// Everything the request carried, as one text, to search for secrets.
    fn all_text(&self) -> String {
        format!(
            "{} {:?} {:?} {}",
            self.path, self.query, self.headers, self.body
        )
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;

struct Server {
    url: String,
    log: Log,
}

impl Server {
    async fn start(app: Router) -> Server {
        let log = Log::default();
        let app = app.layer(middleware::from_fn_with_state(log.clone(), record));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Server { url, log }
    }

    fn seen(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }

    /// The `Authorization` header of every request, in order.
    fn authorizations(&self) -> Vec<Option<String>> {
        self.seen()
            .iter()
            .map(|seen| seen.header("authorization").map(str::to_owned))
            .collect()
    }
}

async fn record(State(log): State<Log>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    log.lock().unwrap().push(Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// A token endpoint at `/token` that issues `at-1-SECRET`, `at-2-SECRET`, ... each valid for
/// `expires_in` seconds, with a new refresh token each time, after `delay`.
#[derive(Clone)]
struct Issuer {
    issued: Arc<AtomicUsize>,
    expires_in: u64,
    delay: Duration,
}

impl Issuer {
    fn new(expires_in: u64) -> Issuer {
        Issuer {
            issued: Arc::default(),
            expires_in,
            delay: Duration::ZERO,
        }
    }

    async fn start(self) -> Server {
        Server::start(Router::new().route("/token", post(issue)).with_state(self)).await
    }
}

async fn issue(State(issuer): State<Issuer>) -> Json<Value> {
    tokio::time::sleep(issuer.delay).await;
    let number = issuer.issued.fetch_add(1, Ordering::SeqCst) + 1;
    Json(json!({
        "access_token": format!("at-{number}-SECRET"),
        "token_type": "Bearer",
        "expires_in": issuer.expires_in,
        "refresh_token": format!("rt-{}-SECRET", number + 1),
    }))
}

/// An API whose `/things` answers 200 to a bearer token it has not revoked, 401 otherwise.
#[derive(Clone, Default)]
struct Api {
    revoked: Arc<Mutex<HashSet<String>>>,
}

impl Api {
    fn revoke(&self, token: &str) {
        self.revoked
            .lock()
            .unwrap()
            .insert(format!("Bearer {token}"));
    }

    async fn start(self) -> Server {
        Server::start(Router::new().route("/things", get(things)).with_state(self)).await
    }
}

async fn things(State(api): State<Api>, headers: HeaderMap) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if authorization.is_empty() || api.revoked.lock().unwrap().contains(&authorization) {
        let body = Json(json!({"message": "session expired or invalid"}));
        return (StatusCode::UNAUTHORIZED, body).into_response();
    }
    Json(json!({"ok": true})).into_response()
}

// ---------------------------------------------------------------------------------------
// Calls, as generated code makes them

static SCHEMES: &[SecurityScheme] = &[
    SecurityScheme {
        name: "oauth",
        kind: SchemeKind::Bearer,
    },
    SecurityScheme {
        name: "key",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Header,
            name: "x-api-key",
        },
    },
    SecurityScheme {
        name: "query_key",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Query,
            name: "api_key",
        },
    },
    SecurityScheme {
        name: "session",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Cookie,
            name: "session",
        },
    },
];

/// A client for `server` that never retries, so every request the server sees is the only
/// one the call made for it.
fn client_for(server: &Server) -> HttpClient {
    let config = ClientConfig::new(&server.url).retry(RetryPolicy::none());
    HttpClient::new(config, SCHEMES).unwrap()
}

fn get_at(client: &HttpClient, path: &'static str) -> Call<Value, Infallible> {
    let mut call = Call::new(client, Method::GET, "getThings", decode_json::<Value>);
    call.path(path);
    call.security(&[&["oauth"]]);
    call
}

fn get_things(client: &HttpClient) -> Call<Value, Infallible> {
    get_at(client, "/things")
}

/// The app's OAuth2 client, authenticating with HTTP basic.
fn app() -> OAuth2Client {
    OAuth2Client::new("app", "CLIENT-SECRET")
}

fn basic(user: &str, password: &str) -> String {
    let pair = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

// ---------------------------------------------------------------------------------------
// OAuth2 client credentials

#[tokio::test]
async fn a_client_credentials_token_is_fetched_once_for_many_concurrent_calls() {
    let trace = Trace::install();
    let issuer = Issuer {
        delay: Duration::from_millis(100),
        ..Issuer::new(3600)
    };
    let token_server = issuer.clone().start().await;
    let api = Api::default().start().await;
    let grant = ClientCredentialsGrant::new(format!("{}/token", token_server.url), app())
        .scopes(["api", "refresh_token"]);
    let client = client_for(&api).with_credential("oauth", grant.into());

    let calls: Vec<_> = (0..20)
        .map(|index| {
            // Clones share the token, and so does a client with another credential added.
            let client = if index % 2 == 0 {
                client.clone()
            } else {
                client.with_credential("key", Credential::Token(Secret::new("KEY-SECRET")))
            };
            tokio::spawn(send_body(get_things(&client)))
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), json!({"ok": true}));
    }

    // One token request, as RFC 6749 section 4.4 has it: the client's id and secret in
    // HTTP basic authentication, the grant and scopes in the form.
    let token_requests = token_server.seen();
    assert_eq!(token_requests.len(), 1, "{token_requests:#?}");
    let request = &token_requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        request.body,
        "grant_type=client_credentials&scope=api+refresh_token"
    );
    assert_eq!(
        request.header("authorization").map(str::to_owned),
        Some(basic("app", "CLIENT-SECRET"))
    );
    // The token endpoint gets no API credential; the API gets no client secret.
    assert!(!request.all_text().contains("KEY-SECRET"));
    assert_eq!(
        api.authorizations(),
        vec![Some("Bearer at-1-SECRET".to_owned()); 20]
    );
    for seen in api.seen() {
        let text = seen.all_text();
        assert!(
            !text.contains("CLIENT-SECRET") && !text.contains("rt-"),
            "{text}"
        );
    }
    assert!(!trace.all_text().contains("SECRET"), "{}", trace.all_text());
}

#[tokio::test(start_paused = true)]
async fn a_token_is_replaced_shortly_before_it_expires() {
    let _trace = Trace::install();
    let token_server = Issuer::new(3600).start().await;
    let api = Api::default().start().await;
    let grant = ClientCredentialsGrant::new(format!("{}/token", token_server.url), app());
    let client = client_for(&api).with_credential("oauth", grant.into());

    send_body(get_things(&client)).await.unwrap();
    tokio::time::sleep(Duration::from_secs(3500)).await;
    send_body(get_things(&client)).await.unwrap();
    assert_eq!(token_server.seen().len(), 1);
    // Within 30 seconds of expiry: a new token before the call.
    tokio::time::sleep(Duration::from_secs(71)).await;
    send_body(get_things(&client)).await.unwrap();
    assert_eq!(token_server.seen().len(), 2);
    assert_eq!(
        api.authorizations(),
        [
            Some("Bearer at-1-SECRET".to_owned()),
            Some("Bearer at-1-SECRET".to_owned()),
            Some("Bearer at-2-SECRET".to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_rejected_token_is_fetched_again_once_for_all_the_calls_that_saw_it() {
    let trace = Trace::install();
    let token_server = Issuer::new(3600).start().await;
    let api_state = Api::default();
    let api = api_state.clone().start().await;
    let grant = ClientCredentialsGrant::new(format!("{}/token", token_server.url), app());
    let client = client_for(&api).with_credential("oauth", grant.into());
    send_body(get_things(&client)).await.unwrap();

    // The provider revokes the token long before it expires: every call in flight gets a
    // 401, one new token is fetched, and each call is sent again with it.
    api_state.revoke("at-1-SECRET");
    let calls: Vec<_> = (0..10)
        .map(|_| tokio::spawn(send_body(get_things(&client))))
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), json!({"ok": true}));
    }
    assert_eq!(token_server.seen().len(), 2);
    let authorizations = api.authorizations();
    let with = |token: &str| {
        let header = Some(format!("Bearer {token}"));
        authorizations
            .iter()
            .filter(|seen| **seen == header)
            .count()
    };
    assert_eq!(with("at-1-SECRET"), 1 + 10);
    assert_eq!(with("at-2-SECRET"), 10);
    assert!(trace
        .all_text()
        .contains("the provider rejected the access token"));
    assert!(!trace.all_text().contains("SECRET"), "{}", trace.all_text());
}

#[tokio::test]
async fn a_second_401_is_the_callers_error() {
    let _trace = Trace::install();
    let token_server = Issuer::new(3600).start().await;
    let api_state = Api::default();
    let api = api_state.clone().start().await;
    api_state.revoke("at-1-SECRET");
    api_state.revoke("at-2-SECRET");
    let grant = ClientCredentialsGrant::new(format!("{}/token", token_server.url), app());
    let client = client_for(&api).with_credential("oauth", grant.into());

    let error = send_body(get_things(&client)).await.unwrap_err();
    match &error {
        Error::UnexpectedStatus {
            status,
            body_excerpt,
            ..
        } => {
            assert_eq!(*status, StatusCode::UNAUTHORIZED);
            assert!(body_excerpt.contains("session expired"));
        }
        other => panic!("expected a 401, got {other:?}"),
    }
    assert_eq!(api.seen().len(), 2);
    assert_eq!(token_server.seen().len(), 2);
    assert!(!format!("{error:?} {error}").contains("SECRET"));

    // A token given as it is cannot be replaced: its 401 is final at once.
    let fixed = client_for(&api).with_credential("oauth", "at-1-SECRET".into());
    let error = send_body(get_things(&fixed)).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(api.seen().len(), 3);
}

#[tokio::test]
async fn a_refused_token_request_is_an_auth_error_and_nothing_reaches_the_api() {
    let trace = Trace::install();
    let token_server = Server::start(Router::new().route(
        "/token",
        post(|| async {
            let body = json!({"error": "invalid_client", "error_description": "client authentication failed"});
            (StatusCode::UNAUTHORIZED, Json(body))
        }),
    ))
    .await;
    let api = Api::default().start().await;
    let grant = ClientCredentialsGrant::new(format!("{}/token", token_server.url), app());
    let client = client_for(&api).with_credential("oauth", grant.into());

    let error = send_body(get_things(&client)).await.unwrap_err();
    let Error::Auth {
        operation,
        scheme,
        message,
    } = &error
    else {
        panic!("expected an auth error, got {error:?}");
    };
    assert_eq!((*operation, *scheme), ("getThings", "oauth"));
    assert!(
        message.contains("401 Unauthorized: invalid_client (client authentication failed)"),
        "{message}"
    );
    assert!(api.seen().is_empty());
    let shown = [
        format!("{error:?}"),
        error.to_string(),
        format!("{client:?}"),
        trace.all_text(),
    ];
    for text in shown {
        assert!(!text.contains("SECRET"), "a secret leaked: {text}");
    }

    // A token endpoint that cannot be reached.
    let grant = ClientCredentialsGrant::new("http://127.0.0.1:9/token", app());
    let client = client_for(&api).with_credential("oauth", grant.into());
    let error = send_body(get_things(&client)).await.unwrap_err();
    assert!(
        matches!(&error, Error::Auth { message, .. } if message.contains("could not be reached")),
        "{error:?}"
    );
}

// ---------------------------------------------------------------------------------------
// OAuth2 authorization code: refreshing a user's tokens

#[tokio::test]
async fn a_users_tokens_are_refreshed_with_the_latest_refresh_token() {
    let trace = Trace::install();
    let token_server = Issuer::new(3600).start().await;
    let api_state = Api::default();
    let api = api_state.clone().start().await;
    let grant = RefreshTokenGrant::new(
        format!("{}/token", token_server.url),
        OAuth2Client::new("app", "CLIENT-SECRET").credentials_in_body(),
        "rt-1-SECRET",
    )
    .access_token(AccessToken::new("at-0-SECRET"));
    let client = client_for(&api).with_credential("oauth", grant.into());

    // The access token the user had is used until it is rejected...
    send_body(get_things(&client)).await.unwrap();
    assert!(token_server.seen().is_empty());
    // ...then refreshed with the refresh token, client id and secret in the form.
    api_state.revoke("at-0-SECRET");
    send_body(get_things(&client)).await.unwrap();
    let refreshes = token_server.seen();
    assert_eq!(refreshes.len(), 1);
    assert_eq!(
        refreshes[0].body,
        "grant_type=refresh_token&refresh_token=rt-1-SECRET&client_id=app&client_secret=CLIENT-SECRET"
    );
    assert_eq!(refreshes[0].header("authorization"), None);
    // The server issued a new refresh token with `at-1`: the next refresh uses it.
    api_state.revoke("at-1-SECRET");
    send_body(get_things(&client)).await.unwrap();
    let refreshes = token_server.seen();
    assert_eq!(refreshes.len(), 2);
    assert!(refreshes[1].body.contains("refresh_token=rt-2-SECRET"));
    assert_eq!(
        api.authorizations(),
        [
            "Bearer at-0-SECRET",
            "Bearer at-0-SECRET",
            "Bearer at-1-SECRET",
            "Bearer at-1-SECRET",
            "Bearer at-2-SECRET",
        ]
        .map(|header| Some(header.to_owned()))
    );
    assert!(!trace.all_text().contains("SECRET"), "{}", trace.all_text());

    // A public client sends its id and no secret.
    let grant = RefreshTokenGrant::new(
        format!("{}/token", token_server.url),
        OAuth2Client::public("mobile-app"),
        "rt-9-SECRET",
    );
    let client = client_for(&api).with_credential("oauth", grant.into());
    send_body(get_things(&client)).await.unwrap();
    assert_eq!(
        token_server.seen()[2].body,
        "grant_type=refresh_token&refresh_token=rt-9-SECRET&client_id=mobile-app"
    );
}

// ---------------------------------------------------------------------------------------
// Your own token source

#[tokio::test]
async fn a_token_source_function_is_called_once_and_shared_by_clones() {
    let _trace = Trace::install();
    let api = Api::default().start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let source = TokenSource::from_fn(move || {
        let number = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok::<_, String>(AccessToken::new(format!("vault-{number}-SECRET")))
        }
    });
    assert_eq!(format!("{source:?}"), "TokenSource(custom)");
    let client = client_for(&api).with_credential("oauth", source.clone().into());
    let other = client_for(&api).with_credential("oauth", source.into());
    let sends: Vec<_> = (0..6)
        .map(|index| {
            let client = if index % 2 == 0 { &client } else { &other };
            tokio::spawn(send_body(get_things(client)))
        })
        .collect();
    for send in sends {
        send.await.unwrap().unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        api.authorizations(),
        vec![Some("Bearer vault-1-SECRET".to_owned()); 6]
    );

    // Its failure is the call's error, and nothing is sent.
    let failing = TokenSource::from_fn(|| async { Err::<AccessToken, _>("the vault is sealed") });
    let client = client_for(&api).with_credential("oauth", failing.into());
    let error = send_body(get_things(&client)).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "getThings was not sent: no access token for `oauth`: the vault is sealed"
    );
    assert_eq!(api.seen().len(), 6);
}

// ---------------------------------------------------------------------------------------
// Redirects and next-page URLs: credentials stay on the provider's origin

/// A client for `server` with every credential of [`SCHEMES`] configured.
fn client_with_everything(server: &Server) -> HttpClient {
    client_for(server)
        .with_credential("oauth", "BEARER-SECRET".into())
        .with_credential("key", "KEY-SECRET".into())
        .with_credential("query_key", "QUERY-SECRET".into())
        .with_credential("session", "COOKIE-SECRET".into())
}

fn all_schemes(call: &mut Call<Value, Infallible>) {
    call.security(&[&["oauth", "key", "query_key", "session"]]);
}

#[tokio::test]
async fn a_redirect_to_another_origin_arrives_without_credentials() {
    let trace = Trace::install();
    let cdn = Server::start(Router::new().route(
        "/files/export.json",
        get(|| async { Json(json!({"exported": true})) }).post(|| async { "posted" }),
    ))
    .await;
    let target = format!(
        "{}/files/export.json?sig=SIGNED&api_key=QUERY-SECRET",
        cdn.url
    );
    let redirect = target.clone();
    let api = Server::start(
        Router::new()
            .route(
                "/export",
                get(move || {
                    let target = redirect.clone();
                    async move { (StatusCode::FOUND, [(header::LOCATION, target)]) }
                }),
            )
            .route(
                "/old",
                get(|| async { (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/new")]) }),
            )
            .route("/new", get(|| async { Json(json!({"moved": true})) })),
    )
    .await;
    let client = client_with_everything(&api);

    let mut call = get_at(&client, "/export");
    all_schemes(&mut call);
    call.cookie("theme", "dark");
    let exported = send_body(call).await.unwrap();
    assert_eq!(exported, json!({"exported": true}));

    // The provider got every credential...
    let sent = &api.seen()[0];
    assert_eq!(sent.header("authorization"), Some("Bearer BEARER-SECRET"));
    assert_eq!(sent.header("x-api-key"), Some("KEY-SECRET"));
    assert_eq!(sent.query.as_deref(), Some("api_key=QUERY-SECRET"));
    assert_eq!(
        sent.header("cookie"),
        Some("theme=dark; session=COOKIE-SECRET")
    );
    // ...the other origin none, not even the key its URL repeated, and no cookie.
    let followed = cdn.seen();
    assert_eq!(followed.len(), 1);
    assert_eq!(followed[0].query.as_deref(), Some("sig=SIGNED"));
    assert!(!followed[0].all_text().contains("SECRET"), "{followed:#?}");
    assert_eq!(followed[0].header("cookie"), None);
    // The trace says where the call went, with the signed URL's values masked.
    let traced = trace.all_text();
    assert!(traced.contains("following a redirect to another origin"));
    assert!(
        traced.contains("sig=***") && !traced.contains("SIGNED"),
        "{traced}"
    );
    assert!(!traced.contains("SECRET"), "{traced}");

    // Within the origin, a redirect keeps the credentials.
    let mut call = get_at(&client, "/old");
    all_schemes(&mut call);
    assert_eq!(send_body(call).await.unwrap(), json!({"moved": true}));
    let moved = &api.seen()[2];
    assert_eq!(moved.path, "/new");
    assert_eq!(moved.header("authorization"), Some("Bearer BEARER-SECRET"));
    assert_eq!(moved.header("x-api-key"), Some("KEY-SECRET"));
}

#[tokio::test]
async fn a_post_redirected_with_303_is_followed_with_a_get_and_no_body() {
    let _trace = Trace::install();
    let cdn = Server::start(
        Router::new().route("/receipts/1", get(|| async { Json(json!({"receipt": 1})) })),
    )
    .await;
    let target = format!("{}/receipts/1", cdn.url);
    let api = Server::start(Router::new().route(
        "/orders",
        post(move || {
            let target = target.clone();
            async move { (StatusCode::SEE_OTHER, [(header::LOCATION, target)]) }
        }),
    ))
    .await;
    let client = client_with_everything(&api);
    let mut call = Call::new(&client, Method::POST, "createOrder", decode_json::<Value>);
    call.path("/orders");
    call.json_body("application/json", &json!({"card": "4242"}));
    all_schemes(&mut call);
    // Header parameters the operation declares go along, except those that carry
    // credentials under another name.
    call.header("x-request-id", "req-1");
    call.header("proxy-authorization", "Basic PROXY-SECRET");
    let receipt: Value = send_body::<Value, Infallible>(call).await.unwrap();
    assert_eq!(receipt, json!({"receipt": 1}));
    let followed = &cdn.seen()[0];
    assert_eq!(
        (followed.method.as_str(), followed.body.as_str()),
        ("GET", "")
    );
    assert_eq!(followed.header("x-request-id"), Some("req-1"));
    assert!(!followed.all_text().contains("SECRET"), "{followed:#?}");
}

/// A page of the listing in the next-page-URL tests.
#[derive(Debug, tether::__private::serde::Deserialize)]
#[serde(crate = "tether::__private::serde")]
struct ThingPage {
    items: Vec<u32>,
    next: Option<String>,
}

#[tokio::test]
async fn a_next_page_url_that_repeats_the_key_neither_doubles_nor_shows_it() {
    let trace = Trace::install();
    let api = Server::start(Router::new().route(
        "/things",
        get(|request: Request| async move {
            let query = request.uri().query().unwrap_or_default().to_owned();
            if query.contains("page=2") {
                (StatusCode::NOT_FOUND, "gone").into_response()
            } else {
                // The provider puts the caller's key into its link, as some do.
                let next = "/things?page=2&api_key=QUERY-SECRET";
                Json(json!({"items": [1], "next": next})).into_response()
            }
        }),
    ))
    .await;
    let client = client_for(&api).with_credential("query_key", "QUERY-SECRET".into());
    let mut call = Call::new(&client, Method::GET, "listThings", decode_json::<ThingPage>);
    call.path("/things");
    call.security(&[&["query_key"]]);
    let paging = Paging {
        next: NextPage::NextUrl {
            url: |page: &ThingPage| page.next.clone(),
        },
        items: |page: &ThingPage| &page.items,
        into_items: |page: ThingPage| page.items,
    };
    let error = pages::<ThingPage, u32, Infallible>(call, paging)
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();

    let queries: Vec<Option<String>> = api.seen().iter().map(|seen| seen.query.clone()).collect();
    assert_eq!(
        queries,
        [
            Some("api_key=QUERY-SECRET".to_owned()),
            Some("page=2&api_key=QUERY-SECRET".to_owned()),
        ]
    );
    let Error::UnexpectedStatus { request, .. } = &error else {
        panic!("expected the 404, got {error:?}");
    };
    assert!(
        request.url.ends_with("/things?page=2&api_key=%2A%2A%2A"),
        "{}",
        request.url
    );
    assert!(!format!("{error:?} {error}").contains("SECRET"));
    assert!(!trace.all_text().contains("SECRET"), "{}", trace.all_text());
}

// ---------------------------------------------------------------------------------------
// Debug output

#[test]
fn debug_output_shows_no_secret() {
    let grant = RefreshTokenGrant::new("https://login.example/token", app(), "rt-SECRET")
        .access_token(AccessToken::new("at-SECRET").expires_in(Duration::from_secs(60)));
    let credentials = [
        Credential::from("TOKEN-SECRET"),
        Credential::Basic {
            username: "ada".to_owned(),
            password: Secret::new("PASSWORD-SECRET"),
        },
        Credential::from(grant),
        Credential::from(
            ClientCredentialsGrant::new("https://login.example/token", app()).scopes(["api"]),
        ),
    ];
    let shown = format!("{credentials:?} {:?}", app());
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(
        shown.contains("OAuth2 refresh token at https://login.example/token for client \"app\"")
    );
    let token = AccessToken::new("at-SECRET");
    assert!(!format!("{token:?}").contains("SECRET"));
}
