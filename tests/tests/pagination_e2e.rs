//! Every pagination style, end to end over loopback: a real server pages through the
//! same 25 things, and the generated client's `items()` must yield each exactly once, in
//! order, whatever the style, through failures, and from a saved cursor.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use tether_tests::paging::{self, Client, Thing};

const TOTAL: usize = 25;
const PAGE: usize = 10;

#[derive(Default)]
struct Server {
    /// Every request's path and query, in order.
    requests: Mutex<Vec<String>>,
    /// When set, every third page request fails with 503.
    flaky: bool,
    counter: AtomicUsize,
    /// The origin next-page URLs point at (normally the server itself).
    link_origin: Mutex<String>,
    /// When set, the cursor never advances.
    stuck: bool,
}

type Shared = Arc<Server>;
type Params = Query<HashMap<String, String>>;

fn thing(index: usize) -> Value {
    json!({"id": format!("t{index:02}"), "name": format!("thing {index}")})
}

/// Things `start..start + count`, clamped to the catalogue.
fn slice(start: usize, count: usize) -> Vec<Value> {
    (start..(start + count).min(TOTAL))
        .map(|index| thing(index + 1))
        .collect()
}

fn number(params: &HashMap<String, String>, name: &str, default: usize) -> usize {
    params
        .get(name)
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// Cursors are the index of the first thing of the page, as text.
fn next_cursor(server: &Server, start: usize, count: usize) -> Option<String> {
    if server.stuck {
        return Some("same".to_owned());
    }
    (start + count < TOTAL).then(|| format!("c{}", start + count))
}

fn cursor_start(cursor: Option<&String>) -> usize {
    cursor
        .and_then(|cursor| cursor.strip_prefix('c'))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Records the request; the failure to answer instead, every third time when flaky.
fn rejected(server: &Server, uri: &Uri) -> Option<Response> {
    server.requests.lock().unwrap().push(uri.to_string());
    let count = server.counter.fetch_add(1, Ordering::SeqCst) + 1;
    if server.flaky && count % 3 == 0 {
        return Some((StatusCode::SERVICE_UNAVAILABLE, "try again").into_response());
    }
    None
}

async fn search(State(server): State<Shared>, uri: Uri, Json(body): Json<Value>) -> Response {
    if let Some(failure) = rejected(&server, &uri) {
        return failure;
    }
    let start = cursor_start(body["after"].as_str().map(str::to_owned).as_ref());
    let count = body["limit"].as_u64().map_or(PAGE, |limit| limit as usize);
    let paging = next_cursor(&server, start, count).map(|after| json!({"next": {"after": after}}));
    Json(json!({"total": TOTAL, "results": slice(start, count), "paging": paging})).into_response()
}

/// The offset is an item index sent back as a JSON number; a string is refused.
async fn scroll(State(server): State<Shared>, uri: Uri, Json(body): Json<Value>) -> Response {
    if let Some(failure) = rejected(&server, &uri) {
        return failure;
    }
    let start = match &body["offset"] {
        Value::Null => 0,
        Value::Number(offset) => offset.as_u64().map_or(0, |offset| offset as usize),
        other => return (StatusCode::BAD_REQUEST, format!("offset {other}")).into_response(),
    };
    let count = body["limit"].as_u64().map_or(PAGE, |limit| limit as usize);
    let next = (start + count < TOTAL).then_some(start + count);
    let result = json!({"points": slice(start, count), "next_page_offset": next});
    Json(json!({ "result": result })).into_response()
}

async fn list_after(State(server): State<Shared>, uri: Uri, Query(params): Params) -> Response {
    if let Some(failure) = rejected(&server, &uri) {
        return failure;
    }
    let start = cursor_start(params.get("after"));
    let count = number(&params, "limit", PAGE);
    let paging = next_cursor(&server, start, count).map(|after| json!({"next": {"after": after}}));
    Json(json!({"results": slice(start, count), "paging": paging})).into_response()
}

async fn slack(State(server): State<Shared>, uri: Uri, Query(params): Params) -> Response {
    if let Some(failure) = rejected(&server, &uri) {
        return failure;
    }
    let start = cursor_start(params.get("cursor"));
    let next = next_cursor(&server, start, PAGE).unwrap_or_default();
    Json(json!({"ok": true, "things": slice(start, PAGE), "response_metadata": {"next_cursor": next}})).into_response()
}

async fn tokens(State(server): State<Shared>, uri: Uri, Query(params): Params) -> Response {
    if let Some(failure) = rejected(&server, &uri) {
        return failure;
    }
    let start = cursor_start(params.get("page_token"));
    Json(json!({"items": slice(start, PAGE), "next_page": next_cursor(&server, start, PAGE)}))
        .into_response()
}

async fn stripe(State(server): State<Shared>, uri: Uri, Query(params): Params) -> Response {
    if let Some(failure) = rejected(&server, &uri) {
        return failure;
    }
    let start = params
        .get("starting_after")
        .and_then(|id| id.strip_prefix('t'))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let count = number(&params, "limit", PAGE);
    let body = json!({"object": "list", "data": slice(start, count), "has_more": start + count < TOTAL, "url": "/stripe/things"});
    Json(body).into_response()
}

async fn offset(State(server): State<Shared>, uri: Uri, Query(params): Params) -> Response {
    if let Some(failure) = rejected(&server, &uri) {
        return failure;
    }
    let start = number(&params, "offset", 0);
    Json(json!({"total": TOTAL, "records": slice(start, number(&params, "limit", PAGE))}))
        .into_response()
}

async fn pages(State(server): State<Shared>, uri: Uri, Query(params): Params) -> Response {
    if let Some(failure) = rejected(&server, &uri) {
        return failure;
    }
    let per_page = number(&params, "per_page", PAGE);
    let page = number(&params, "page", 1).max(1);
    Json(Value::Array(slice((page - 1) * per_page, per_page))).into_response()
}

async fn github(State(server): State<Shared>, uri: Uri, Query(params): Params) -> Response {
    if let Some(failure) = rejected(&server, &uri) {
        return failure;
    }
    let per_page = number(&params, "per_page", PAGE);
    let page = number(&params, "page", 1).max(1);
    let mut headers = HeaderMap::new();
    if page * per_page < TOTAL {
        let origin = server.link_origin.lock().unwrap().clone();
        let link = format!("<{origin}/github/things?per_page={per_page}&page={}>; rel=\"next\", <{origin}/github/things?page=1>; rel=\"first\"", page + 1);
        headers.insert("link", HeaderValue::from_str(&link).unwrap());
    }
    (
        headers,
        Json(Value::Array(slice((page - 1) * per_page, per_page))),
    )
        .into_response()
}

async fn salesforce(State(server): State<Shared>, uri: Uri, Query(params): Params) -> Response {
    if let Some(failure) = rejected(&server, &uri) {
        return failure;
    }
    let start = number(&params, "from", 0);
    let done = start + PAGE >= TOTAL;
    let mut body = json!({"done": done, "totalSize": TOTAL, "records": slice(start, PAGE)});
    if !done {
        body["nextRecordsUrl"] = json!(format!("/salesforce/query?q=x&from={}", start + PAGE));
    }
    Json(body).into_response()
}

async fn odata(State(server): State<Shared>, uri: Uri, Query(params): Params) -> Response {
    if let Some(failure) = rejected(&server, &uri) {
        return failure;
    }
    let start = number(&params, "skip", 0);
    let mut body = json!({"value": slice(start, PAGE)});
    if start + PAGE < TOTAL {
        let origin = server.link_origin.lock().unwrap().clone();
        body["@odata.nextLink"] = json!(format!("{origin}/odata/things?skip={}", start + PAGE));
    }
    Json(body).into_response()
}

async fn widgets(State(server): State<Shared>, uri: Uri, Query(params): Params) -> Response {
    if let Some(failure) = rejected(&server, &uri) {
        return failure;
    }
    let start = cursor_start(params.get("from"));
    Json(json!({"widgets": slice(start, PAGE), "more_from": next_cursor(&server, start, PAGE)}))
        .into_response()
}

/// Starts the zoo on a loopback port; returns its state and a client for it.
async fn start(server: Server) -> (Shared, Client) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let server = Arc::new(server);
    {
        let mut link_origin = server.link_origin.lock().unwrap();
        if link_origin.is_empty() {
            *link_origin = origin.clone();
        }
    }
    let router = Router::new()
        .route("/hubspot/things/search", post(search))
        .route("/hubspot/things", get(list_after))
        .route("/qdrant/things/scroll", post(scroll))
        .route("/slack/things.list", get(slack))
        .route("/tokens/things", get(tokens))
        .route("/stripe/things", get(stripe))
        .route("/offset/things", get(offset))
        .route("/pages/things", get(pages))
        .route("/github/things", get(github))
        .route("/salesforce/query", get(salesforce))
        .route("/odata/things", get(odata))
        .route("/custom/widgets", get(widgets))
        .route("/custom/gadgets", get(widgets))
        .with_state(server.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let retry = tether::RetryPolicy::default()
        .max_retries(2)
        .backoff(Duration::from_millis(1), Duration::from_millis(2));
    let client = Client::from_config(tether::ClientConfig::new(origin).retry(retry)).unwrap();
    (server, client)
}

fn ids(things: &[Thing]) -> Vec<String> {
    things.iter().map(|thing| thing.id.clone()).collect()
}

fn all_ids() -> Vec<String> {
    (1..=TOTAL).map(|index| format!("t{index:02}")).collect()
}

/// Collects `items()` of every style's operation from `client`.
async fn every_style(client: &Client) -> Vec<(&'static str, Result<Vec<Thing>, String>)> {
    async fn collect<S: futures::Stream<Item = Result<Thing, E>>, E: std::fmt::Display>(
        stream: S,
    ) -> Result<Vec<Thing>, String> {
        stream
            .try_collect()
            .await
            .map_err(|error| error.to_string())
    }
    let search = paging::SearchThingsBody {
        query: None,
        limit: Some(PAGE as i32),
        after: None,
    };
    let scroll = paging::ScrollThingsBody {
        offset: None,
        limit: Some(PAGE as u32),
    };
    vec![
        (
            "hubspot search",
            collect(client.search_things(search).items()).await,
        ),
        (
            "qdrant scroll",
            collect(client.scroll_things(scroll).items()).await,
        ),
        (
            "hubspot list",
            collect(client.list_things_after().limit(PAGE as i32).items()).await,
        ),
        ("slack", collect(client.things_list().items()).await),
        (
            "token",
            collect(client.list_things_by_token().items()).await,
        ),
        (
            "stripe",
            collect(client.list_things_stripe().limit(PAGE as i64).items()).await,
        ),
        (
            "offset",
            collect(client.list_things_by_offset().limit(PAGE as i64).items()).await,
        ),
        (
            "page number",
            collect(client.list_things_by_page().per_page(PAGE as i64).items()).await,
        ),
        (
            "link header",
            collect(client.list_things_github().per_page(PAGE as i64).items()).await,
        ),
        ("next url", collect(client.query_things("x").items()).await),
        ("odata", collect(client.list_things_odata().items()).await),
        (
            "stated in the attribute",
            collect(client.list_widgets().items()).await,
        ),
        (
            "x-speakeasy-pagination",
            collect(client.list_gadgets().items()).await,
        ),
    ]
}

#[tokio::test]
async fn every_style_yields_every_item_once_in_order() {
    let (server, client) = start(Server::default()).await;
    for (style, outcome) in every_style(&client).await {
        let things = outcome.unwrap_or_else(|error| panic!("{style}: {error}"));
        assert_eq!(ids(&things), all_ids(), "{style}");
    }
    let requests = server.requests.lock().unwrap();
    // 25 things in pages of 10 is 3 pages for each of the 13 operations, and no more requests than pages
    // (the offset and page-number styles stop at the first short page).
    assert_eq!(requests.len(), 13 * 3, "{requests:#?}");
    assert!(
        requests.contains(&"/stripe/things?limit=10&starting_after=t10".to_owned()),
        "{requests:#?}"
    );
    assert!(
        requests.contains(&"/offset/things?limit=10&offset=20".to_owned()),
        "{requests:#?}"
    );
}

#[tokio::test]
async fn a_page_that_fails_is_retried_and_the_listing_resumes_exactly() {
    let (server, client) = start(Server {
        flaky: true,
        ..Server::default()
    })
    .await;
    for (style, outcome) in every_style(&client).await {
        let things = outcome.unwrap_or_else(|error| panic!("{style}: {error}"));
        assert_eq!(
            ids(&things),
            all_ids(),
            "{style}: nothing lost, nothing repeated"
        );
    }
    let failed = server.counter.load(Ordering::SeqCst) / 3;
    assert!(
        failed >= 10,
        "the server failed {failed} requests, so retries happened"
    );
}

#[tokio::test]
async fn pages_carry_cursors_to_resume_from() {
    let (_server, client) = start(Server::default()).await;
    let mut pages = client.list_things_after().limit(PAGE as i32).pages();
    let first = pages
        .next()
        .await
        .expect("a first page")
        .expect("it succeeds");
    assert_eq!(ids(&first.body().results), all_ids()[..PAGE]);
    let saved = first.next_cursor().expect("more pages follow").to_string();
    assert_eq!(
        pages.resume_cursor().map(ToString::to_string),
        Some(saved.clone())
    );
    drop(pages);

    // A new process would read the cursor back from its checkpoint.
    let cursor: tether::Cursor = saved.parse().expect("the text form parses");
    let rest: Vec<Thing> = client
        .list_things_after()
        .limit(PAGE as i32)
        .resume_from(cursor)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&rest), all_ids()[PAGE..]);
}

#[tokio::test]
async fn a_repeating_cursor_stops_the_listing() {
    let (server, client) = start(Server {
        stuck: true,
        ..Server::default()
    })
    .await;
    let outcome: Result<Vec<Thing>, _> = client.list_things_after().items().try_collect().await;
    match outcome {
        Err(tether::Error::Pagination { message, .. }) => {
            assert!(message.contains("twice"), "{message}")
        }
        other => panic!("expected a pagination error, got {other:?}"),
    }
    assert_eq!(
        server.requests.lock().unwrap().len(),
        2,
        "the second page repeats the cursor; no third request"
    );
}

#[tokio::test]
async fn next_page_links_to_another_origin_are_not_followed() {
    // A second server that counts what reaches it.
    let elsewhere = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let elsewhere_origin = format!("http://{}", elsewhere.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let trap = Router::new().fallback(move || {
        counted.fetch_add(1, Ordering::SeqCst);
        async { Json(json!([])) }
    });
    tokio::spawn(async move { axum::serve(elsewhere, trap).await });

    let server = Server {
        link_origin: Mutex::new(elsewhere_origin),
        ..Server::default()
    };
    let (_server, client) = start(server).await;
    let client = client.with_api_token("secret-token");
    let mut items = client.list_things_github().per_page(PAGE as i64).items();
    let mut yielded = 0;
    let error = loop {
        match items.next().await {
            Some(Ok(_)) => yielded += 1,
            Some(Err(error)) => break error,
            None => panic!("the listing ended without refusing the foreign link"),
        }
    };
    assert_eq!(yielded, PAGE, "the first page's items arrive");
    assert!(
        matches!(error, tether::Error::Pagination { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("another origin"), "{error}");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "nothing was sent to the other origin"
    );
}
