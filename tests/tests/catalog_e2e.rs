//! OpenAPI 3.2's methods beyond the eight of 3.0: the catalog's `QUERY /books` (a search
//! whose filter is the body) and `COPY /books/{bookId}` (from `additionalOperations`),
//! sent by the generated client to the generated sandbox over loopback; and a body the
//! spec accepts as JSON, multipart or raw bytes, each sent by a method of its own and
//! received by the sandbox as the kind it came in.

// Shared with the other end-to-end tests; not every helper is used here.
#[allow(dead_code)]
mod support;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::json;
use tether::sandbox::{Fault, FaultRule, Faults, Reply};
use tether::{ClientConfig, Error, MultipartForm, PartContent, RetryPolicy, StatusCode};
use tether_tests::sandboxed::catalog::{
    sandbox, Book, BookFilter, Client, CopyBookError, GetSessionResponse, ListEditionsResponseItem,
    NotFound, SetCoverBody, SetCoverMultipartBody, SetCoverMultipartBodyCrop,
};

/// Books by id.
struct Catalog(Mutex<BTreeMap<String, Book>>);

fn book(id: &str, title: &str, author: &str) -> Book {
    Book {
        id: id.to_owned(),
        title: title.to_owned(),
        author: Some(author.to_owned()),
    }
}

impl Catalog {
    fn new() -> Catalog {
        let books = [
            book("b1", "The Dispossessed", "Ursula K. Le Guin"),
            book("b2", "Kindred", "Octavia E. Butler"),
            book("b3", "The Lathe of Heaven", "Ursula K. Le Guin"),
        ];
        Catalog(Mutex::new(
            books
                .into_iter()
                .map(|book| (book.id.clone(), book))
                .collect(),
        ))
    }
}

impl sandbox::Api for Catalog {
    async fn search_books(&self, body: BookFilter) -> Reply<Vec<Book>, std::convert::Infallible> {
        let books = self.0.lock().expect("catalog lock");
        Reply::ok(
            books
                .values()
                .filter(|book| body.author.is_none() || book.author == body.author)
                .cloned()
                .collect(),
        )
    }

    async fn copy_book(&self, book_id: String, destination: String) -> Reply<Book, CopyBookError> {
        let mut books = self.0.lock().expect("catalog lock");
        let Some(original) = books.get(&book_id).cloned() else {
            return Reply::error(CopyBookError::NotFound(NotFound {
                message: format!("no book {book_id}"),
            }));
        };
        let copy = Book {
            id: destination.clone(),
            ..original
        };
        books.insert(destination, copy.clone());
        Reply::ok(copy)
    }
}

#[tokio::test]
async fn query_sends_its_filter_as_the_body() {
    let sandbox = sandbox::serve(Catalog::new())
        .await
        .expect("the sandbox serves");
    let client = Client::new(sandbox.base_url()).expect("a valid base URL");
    let found = client
        .search_books(BookFilter {
            author: Some("Ursula K. Le Guin".to_owned()),
        })
        .await
        .expect("the search answers");
    let ids: Vec<&str> = found.iter().map(|book| book.id.as_str()).collect();
    assert_eq!(ids, ["b1", "b3"]);
    assert_eq!(sandbox.requests("searchBooks"), 1);
}

#[tokio::test]
async fn an_additional_operation_is_sent_with_its_own_method() {
    let sandbox = sandbox::serve(Catalog::new())
        .await
        .expect("the sandbox serves");
    let client = Client::new(sandbox.base_url()).expect("a valid base URL");
    let copied = client
        .copy_book("b2", "b9")
        .send()
        .await
        .expect("the copy is made");
    assert_eq!(copied.status(), StatusCode::CREATED);
    assert_eq!(copied.body(), &book("b9", "Kindred", "Octavia E. Butler"));
    match client.copy_book("b404", "b10").await {
        Err(Error::Api {
            status,
            body: CopyBookError::NotFound(not_found),
            request,
            ..
        }) => {
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert_eq!(not_found.message, "no book b404");
            assert_eq!(request.method.as_str(), "COPY");
        }
        other => panic!("expected the typed 404, got {other:?}"),
    }
    assert_eq!(sandbox.requests("copyBook"), 2);
}

/// `QUERY` is safe and idempotent, so a failed search is sent again, as a `GET` would be.
#[tokio::test]
async fn a_failed_query_is_retried() {
    let faults =
        Faults::new().rule(FaultRule::first(1, Fault::unavailable()).operation("searchBooks"));
    let sandbox = sandbox::builder(Catalog::new())
        .faults(faults)
        .serve()
        .await
        .expect("the sandbox serves");
    let retrying =
        RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20));
    let config = ClientConfig::new(sandbox.base_url()).retry(retrying);
    let client = Client::from_config(config).expect("a valid config");
    let found = client
        .search_books(BookFilter { author: None })
        .await
        .expect("the retry answers");
    assert_eq!(found.len(), 3);
    assert_eq!(sandbox.requests("searchBooks"), 2);
}

/// Sets book `b1`'s cover three times, as a link, an upload and raw bytes; the image's bytes.
async fn send_every_kind_of_cover(client: &Client) -> Vec<u8> {
    let png = b"\x89PNG\r\n\x1a\n cover".to_vec();
    let link = SetCoverBody {
        url: "https://img.example.com/b1.png".to_owned(),
    };
    client.set_cover("b1", link).await.expect("set by link");
    // The caller sets a deprecated part, and is the one warned about it.
    #[allow(deprecated)]
    let upload = SetCoverMultipartBody {
        image: png.clone().into(),
        caption: Some("first edition".to_owned()),
        alt: Some("a red cover".to_owned()),
        crop: Some(SetCoverMultipartBodyCrop {
            width: 600,
            height: 900,
        }),
    };
    client
        .set_cover_multipart("b1", upload)
        .await
        .expect("set by upload");
    client
        .set_cover_bytes("b1", png.clone())
        .await
        .expect("set by bytes");
    png
}

/// Each kind of body goes with its own media type and encoding, to the same operation.
#[tokio::test]
async fn each_kind_of_body_is_sent_by_its_own_method() {
    let server = support::TestServer::start(support::reply(204, "text/plain", "")).await;
    let client = Client::new(server.base_url()).expect("a valid base URL");
    let png = send_every_kind_of_cover(&client).await;

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests
        .iter()
        .all(|request| request.method == "PUT" && request.path == "/v1/books/b1/cover"));
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    assert_eq!(
        requests[0].json_body(),
        serde_json::json!({"url": "https://img.example.com/b1.png"})
    );
    let multipart = requests[1].header("content-type").expect("a content type");
    assert!(
        multipart.starts_with("multipart/form-data; boundary="),
        "{multipart}"
    );
    let body = &requests[1].body;
    let contains = |needle: &[u8]| body.windows(needle.len()).any(|window| window == needle);
    assert!(contains(b"name=\"image\""), "the image part");
    assert!(contains(&png), "the image's bytes");
    assert!(contains(b"first edition"), "the caption part");
    assert!(contains(b"name=\"alt\""), "the deprecated part is sent");
    assert!(
        contains(br#"{"width":600,"height":900}"#),
        "the crop part, as JSON"
    );
    assert_eq!(requests[2].header("content-type"), Some("image/png"));
    assert_eq!(requests[2].body.as_ref(), png.as_slice());
}

/// A sandbox that keeps each cover it is sent, in the kind it came in.
struct Covers(std::sync::Arc<Mutex<Vec<sandbox::SetCoverBodies>>>);

impl sandbox::Api for Covers {
    async fn set_cover(
        &self,
        book_id: String,
        body: sandbox::SetCoverBodies,
    ) -> Reply<(), std::convert::Infallible> {
        assert_eq!(book_id, "b1");
        self.0.lock().expect("covers lock").push(body);
        Reply::ok(())
    }
}

/// The sandbox takes every kind of body the spec accepts, and hands its implementation
/// the kind the request's `Content-Type` names.
#[tokio::test]
async fn the_sandbox_receives_each_kind_of_body_as_what_it_is() {
    let received = std::sync::Arc::new(Mutex::new(Vec::new()));
    let sandbox = sandbox::serve(Covers(received.clone()))
        .await
        .expect("the sandbox serves");
    let client = Client::new(sandbox.base_url()).expect("a valid base URL");
    let png = send_every_kind_of_cover(&client).await;

    let received = received.lock().expect("covers lock");
    assert_eq!(received.len(), 3, "{received:?}");
    match &received[0] {
        sandbox::SetCoverBodies::Json(body) => {
            assert_eq!(body.url, "https://img.example.com/b1.png")
        }
        other => panic!("a link came as {other:?}"),
    }
    match &received[1] {
        sandbox::SetCoverBodies::Multipart(body) => {
            assert_eq!(body.image.as_ref(), png.as_slice());
            assert_eq!(body.caption.as_deref(), Some("first edition"));
            let crop = body.crop.as_ref().expect("the crop part");
            assert_eq!((crop.width, crop.height), (600, 900));
        }
        other => panic!("an upload came as {other:?}"),
    }
    match &received[2] {
        sandbox::SetCoverBodies::Bytes(bytes) => assert_eq!(bytes.as_ref(), png.as_slice()),
        other => panic!("raw bytes came as {other:?}"),
    }
}

/// The form of an operation whose spec leaves the parts open: a note, a file of bytes and
/// a file of text (which stays a file).
fn attachments() -> MultipartForm {
    MultipartForm::new()
        .text("note", "signed by the author")
        .file("scan", vec![0xff, 0xd8, 0xff, 0x00])
        .file("transcript", "Chapter 1")
}

/// A multipart body whose parts the spec does not list goes out as the caller's form,
/// with a boundary, not as bytes labelled `multipart/form-data`.
#[tokio::test]
async fn a_form_the_spec_leaves_open_is_sent_part_by_part() {
    let server = support::TestServer::start(support::reply(204, "text/plain", "")).await;
    let client = Client::new(server.base_url()).expect("a valid base URL");
    client
        .attach_files("b1", attachments())
        .await
        .expect("attached");

    let requests = server.requests();
    let content_type = requests[0].header("content-type").expect("a content type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = &requests[0].body;
    let contains = |needle: &[u8]| body.windows(needle.len()).any(|window| window == needle);
    assert!(contains(b"name=\"note\""), "the note part");
    assert!(contains(b"signed by the author"), "the note's text");
    assert!(contains(b"name=\"scan\""), "the file part");
    assert!(contains(&[0xff, 0xd8, 0xff, 0x00]), "the file's bytes");
}

/// A client for another base URL sends there, and the first client still sends to its own.
#[tokio::test]
async fn a_client_for_another_base_url_sends_there() {
    let controller = support::TestServer::start(support::reply(204, "text/plain", "")).await;
    let index = support::TestServer::start(support::reply(204, "text/plain", "")).await;
    let client = Client::new(controller.base_url()).expect("a valid base URL");
    let on_index = client
        .with_base_url(index.base_url())
        .expect("a valid base URL");
    on_index
        .attach_files("b1", attachments())
        .await
        .expect("attached");
    client
        .attach_files("b2", attachments())
        .await
        .expect("attached");
    assert_eq!(on_index.base_url(), index.base_url().trim_end_matches('/'));
    assert_eq!(index.requests()[0].path, "/v1/books/b1/attachments");
    assert_eq!(controller.requests()[0].path, "/v1/books/b2/attachments");
    assert_eq!(
        (index.requests().len(), controller.requests().len()),
        (1, 1)
    );
}

/// A sandbox that keeps the forms it is sent (`None` for an optional form not sent).
struct Attachments(std::sync::Arc<Mutex<Vec<Option<MultipartForm>>>>);

impl sandbox::Api for Attachments {
    async fn attach_files(
        &self,
        book_id: String,
        body: MultipartForm,
    ) -> Reply<(), std::convert::Infallible> {
        assert_eq!(book_id, "b1");
        self.0.lock().expect("forms lock").push(Some(body));
        Reply::ok(())
    }

    async fn replace_attachments(
        &self,
        book_id: String,
        body: Option<MultipartForm>,
    ) -> Reply<(), std::convert::Infallible> {
        assert_eq!(book_id, "b1");
        self.0.lock().expect("forms lock").push(body);
        Reply::ok(())
    }
}

/// The sandbox hands its implementation the parts as they came (text as text, other
/// bytes as a file), and an optional form that was not sent as `None`.
#[tokio::test]
async fn the_sandbox_receives_an_open_form_part_by_part() {
    let received = std::sync::Arc::new(Mutex::new(Vec::new()));
    let sandbox = sandbox::serve(Attachments(received.clone()))
        .await
        .expect("the sandbox serves");
    let client = Client::new(sandbox.base_url()).expect("a valid base URL");
    client
        .attach_files("b1", attachments())
        .await
        .expect("attached");

    client
        .replace_attachments("b1")
        .body(attachments())
        .await
        .expect("replaced");
    client.replace_attachments("b1").await.expect("removed");

    let received = received.lock().expect("forms lock");
    assert_eq!(
        received.as_slice(),
        [Some(attachments()), Some(attachments()), None]
    );
    let parts: Vec<(&str, &PartContent)> =
        received[0].iter().flat_map(MultipartForm::parts).collect();
    assert_eq!(
        parts[0],
        (
            "note",
            &PartContent::Text("signed by the author".to_owned())
        )
    );
}

/// A `oneOf` of objects whose properties are all optional: each decodes from any object,
/// so the variant that names every property of the answer is the one chosen.
#[tokio::test]
async fn a_union_of_optional_properties_picks_the_variant_that_names_them() {
    let answers = [
        (json!({"guest_id": "g1", "name": "visitor"}), "guest"),
        (json!({"token": "t1", "expires_in": 3600}), "reader"),
        (json!({"token": "t2", "added_later": true}), "reader"),
    ];
    for (answer, expected) in answers {
        let server = support::TestServer::start(support::reply_json(200, answer.clone())).await;
        let client = Client::new(server.base_url()).expect("a valid base URL");
        let session = client.get_session().await.expect("a session");
        let kind = match &session {
            GetSessionResponse::ReaderSession(reader) => {
                assert_eq!(reader.token.as_deref(), answer["token"].as_str());
                "reader"
            }
            GetSessionResponse::GuestSession(guest) => {
                assert_eq!(guest.guest_id.as_deref(), Some("g1"));
                assert_eq!(guest.name.as_deref(), Some("visitor"));
                "guest"
            }
        };
        assert_eq!(kind, expected, "{answer}");
    }
}

/// A `oneOf` whose variants share their other properties: the one-value `format` of each
/// (`enum: [print]`, `const: audio`) picks the variant, not the order they are listed in.
#[tokio::test]
async fn a_one_value_property_tells_union_variants_apart() {
    let answer = json!([
        {"format": "audio", "publisher": "Recorded Books"},
        {"format": "print", "publisher": "Harper & Row", "pages": 387},
        {"format": "audio", "publisher": "Blackstone", "narrator": "Kim Staunton"}
    ]);
    let server = support::TestServer::start(support::reply_json(200, answer)).await;
    let client = Client::new(server.base_url()).expect("a valid base URL");
    let editions = client.list_editions("b1").await.expect("the editions");
    let formats: Vec<(&str, &str)> = editions
        .iter()
        .map(|edition| match edition {
            ListEditionsResponseItem::PrintEdition(print) => {
                ("print", print.publisher.as_deref().unwrap_or_default())
            }
            ListEditionsResponseItem::AudioEdition(audio) => {
                ("audio", audio.publisher.as_deref().unwrap_or_default())
            }
        })
        .collect();
    assert_eq!(
        formats,
        [
            ("audio", "Recorded Books"),
            ("print", "Harper & Row"),
            ("audio", "Blackstone")
        ]
    );
}
