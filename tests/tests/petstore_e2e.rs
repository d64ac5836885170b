//! The generated pet store client against a real HTTP server on loopback: what each
//! operation puts on the wire (path, query, headers, body), how every kind of response
//! comes back typed, and how failures surface as `tether::Error`.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Multipart, Path};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tether::{CallOptions, ClientConfig, Error, RetryPolicy};
use tether_tests::petstore::{
    AddPetError, Animal, ApiError, ApiResponse, Cat, Category, Client, Dog, FieldError,
    GetPetByIdError, Identifier, InventoryWindow, NewPet, NextPage, Order, OrderShipWithin,
    OrderStatus, Owner, Paging, Pet, PetFilter, PetPage, PetStatus, Tag, UpdatePetWithFormBody,
    UploadPetDocumentBody, User, ValidationError,
};

use support::{reply, reply_json, TestServer};

/// The bearer token the clients in these tests authenticate with.
const TOKEN: &str = "tok-3f9a-secret";

/// The store key for the `api_key` scheme.
const STORE_KEY: &str = "store-key-77c1";

/// A client for `server` without credentials that never retries, so that error
/// statuses come back at once and every request the server sees is the only one.
fn anonymous_client(server: &TestServer) -> Client {
    let config = ClientConfig::new(server.base_url()).retry(RetryPolicy::none());
    Client::from_config(config).expect("a loopback base URL is valid")
}

/// Like [`anonymous_client`], authenticated with the bearer token [`TOKEN`].
fn client(server: &TestServer) -> Client {
    anonymous_client(server).with_petstore_auth(TOKEN)
}

/// A pet with every field set, as the server sends it.
fn full_pet_json() -> serde_json::Value {
    json!({
        "id": 42,
        "name": "Rex",
        "category": {"id": 2, "name": "Dogs", "parent": {"id": 1, "name": "Mammals"}},
        "photoUrls": ["https://img.example/rex.png"],
        "tags": [{"id": 5, "name": "friendly"}],
        "status": "available",
        "birthday": "2019-02-28",
        "weight": 12.5,
        "chipId": "6f1c2b1e-8a4d-4c5e-9f2a-3b7d1e0c9a11",
        "lastSeen": "2024-03-10T08:15:30Z",
        "owner": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "externalId": "ext-42"
    })
}

/// The pet [`full_pet_json`] describes.
fn full_pet() -> Pet {
    Pet {
        id: 42,
        name: "Rex".into(),
        category: Some(Category {
            id: Some(2),
            name: Some("Dogs".into()),
            parent: Some(Box::new(Category {
                id: Some(1),
                name: Some("Mammals".into()),
                parent: None,
            })),
        }),
        photo_urls: Some(vec!["https://img.example/rex.png".into()]),
        tags: Some(vec![Tag {
            id: Some(5),
            name: Some("friendly".into()),
        }]),
        status: Some(PetStatus::Available),
        birthday: Some("2019-02-28".parse().expect("a date")),
        weight: Some(12.5),
        chip_id: Some(
            "6f1c2b1e-8a4d-4c5e-9f2a-3b7d1e0c9a11"
                .parse()
                .expect("a uuid"),
        ),
        last_seen: Some("2024-03-10T08:15:30Z".parse().expect("a timestamp")),
        owner: Some(Owner {
            name: "Ada Lovelace".into(),
            email: Some("ada@example.com".into()),
        }),
        external_id: Some(Identifier::String("ext-42".into())),
    }
}

/// A pet with only the required fields.
fn minimal_pet(id: i64, name: &str) -> Pet {
    Pet {
        id,
        name: name.into(),
        category: None,
        photo_urls: None,
        tags: None,
        status: None,
        birthday: None,
        weight: None,
        chip_id: None,
        last_seen: None,
        owner: None,
        external_id: None,
    }
}

#[test]
fn the_servers_of_the_spec_are_constants_with_variables_at_their_defaults() {
    assert_eq!(Client::DEFAULT_BASE_URL, "http://localhost:8080/v1");
    assert_eq!(
        Client::SERVERS,
        [
            "http://localhost:8080/v1",
            "https://eu.petstore.example.com/v1"
        ]
    );
    let hosted = Client::new(Client::SERVERS[1]).expect("a server of the spec is a base URL");
    assert_eq!(hosted.base_url(), "https://eu.petstore.example.com/v1");
}

// ---------------------------------------------------------------------------------------
// Parameters on the wire
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn path_parameters_are_percent_encoded_as_one_segment() {
    // The handler sees the segment decoded by axum: the round trip must be lossless.
    let app = Router::new().route(
        "/v1/users/{username}",
        get(|Path(username): Path<String>| async move {
            Json(json!({"id": 3, "username": username, "createdOn": "2021-06-01", "phone": null}))
        }),
    );
    let server = TestServer::start(app).await;
    let client = client(&server);

    let user = client.get_user_by_name("a b/c").await.expect("user");
    let zoe = client.get_user_by_name("zoë?#").await.expect("user");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/v1/users/a%20b%2Fc");
    assert_eq!(requests[0].query, None);
    assert_eq!(requests[1].path, "/v1/users/zo%C3%AB%3F%23");
    assert_eq!(
        user,
        User {
            id: Some(3),
            username: Some("a b/c".into()),
            first_name: None,
            last_name: None,
            email: None,
            phone: None,
            user_status: None,
            created_on: Some("2021-06-01".parse().expect("a date")),
            tags: None,
        }
    );
    assert_eq!(zoe.username.as_deref(), Some("zoë?#"));
}

#[tokio::test]
async fn uuid_path_parameter_and_date_time_fields() {
    let order = json!({
        "id": 11,
        "petId": 42,
        "quantity": 2,
        "shipWithin": 3,
        "shipDate": "2024-05-01T10:00:00Z",
        "status": "approved",
        "complete": true
    });
    let server = TestServer::start(reply_json(200, order)).await;
    let client = client(&server);

    let order_id = "0b6e0b8c-3f0f-4d1e-a4a7-5c1d2a9e8f30";
    let order = client
        .get_order_by_id(order_id.parse().expect("a uuid"))
        .await
        .expect("order");

    let request = server.only_request();
    assert_eq!(request.path, format!("/v1/store/orders/{order_id}"));
    assert_eq!(
        order,
        Order {
            id: Some(11),
            pet_id: Some(42),
            quantity: Some(2),
            ship_within: Some(OrderShipWithin::V3),
            ship_date: Some("2024-05-01T10:00:00Z".parse().expect("a timestamp")),
            status: Some(OrderStatus::Approved),
            complete: Some(true),
        }
    );
}

#[tokio::test]
async fn integer_enum_value_the_spec_does_not_list_is_kept() {
    let server = TestServer::start(reply_json(200, json!({"id": 11, "shipWithin": 14}))).await;

    let order = client(&server)
        .get_order_by_id(
            "7c1c3e2a-54a4-4b0e-9d4e-1f1a6f0f3a11"
                .parse()
                .expect("a uuid"),
        )
        .await
        .expect("order");

    assert_eq!(order.ship_within, Some(OrderShipWithin::Unknown(14)));
    assert_eq!(order.ship_within.map(OrderShipWithin::as_i64), Some(14));
}

#[tokio::test]
async fn negative_integer_path_parameter() {
    let server = TestServer::start(reply_json(200, json!({"id": -7, "name": "Ghost"}))).await;

    let pet = client(&server).get_pet_by_id(-7).await.expect("pet");

    assert_eq!(server.only_request().path, "/v1/pets/-7");
    assert_eq!(pet, minimal_pet(-7, "Ghost"));
}

#[tokio::test]
async fn dot_and_empty_path_parameters_are_refused_before_sending() {
    // URLs drop `.` and `..` segments, and an empty one names another resource: sent,
    // these would reach `/v1/` or `/v1/users/` instead of one user.
    let server = TestServer::start(reply_json(200, json!({"id": 1}))).await;
    let client = client(&server);

    for username in ["..", ".", ""] {
        let error = client
            .get_user_by_name(username)
            .await
            .expect_err("not a usable segment");
        match error {
            Error::InvalidRequest { operation, message } => {
                assert_eq!(operation, "getUserByName");
                assert!(message.contains("`username`"), "{message}");
            }
            other => panic!("expected Error::InvalidRequest for {username:?}, got {other:?}"),
        }
    }
    assert!(server.requests().is_empty(), "{:#?}", server.requests());

    // Dots inside a longer value are ordinary characters.
    client.get_user_by_name("..a").await.expect("user");
    assert_eq!(server.only_request().path, "/v1/users/..a");
}

#[tokio::test]
async fn exploded_form_arrays_repeat_the_key() {
    let server = TestServer::start(reply_json(200, json!([]))).await;

    let pets = client(&server)
        .find_pets_by_status()
        .status(vec![PetStatus::Available, PetStatus::Sold])
        .limit(10)
        .await
        .expect("pets");

    assert!(pets.is_empty());
    let request = server.only_request();
    assert_eq!(request.path, "/v1/pets/findByStatus");
    assert_eq!(
        request.query.as_deref(),
        Some("status=available&status=sold&limit=10")
    );
}

#[tokio::test]
async fn optional_query_parameters_left_unset_are_not_sent() {
    let server = TestServer::start(reply_json(200, json!([]))).await;

    client(&server).find_pets_by_status().await.expect("pets");

    let request = server.only_request();
    assert_eq!(request.query, None);
    assert_eq!(request.header("x-request-id"), None);
}

#[tokio::test]
async fn unexploded_form_arrays_join_with_commas() {
    let server = TestServer::start(reply_json(200, json!([]))).await;

    #[allow(deprecated)] // findPetsByTags is deprecated in the spec; it is still served.
    let call = client(&server).find_pets_by_tags(vec!["a".into(), "b".into(), "x,y z".into()]);
    call.await.expect("pets");

    // The separators are literal commas; a comma inside a value is escaped.
    let request = server.only_request();
    assert_eq!(request.path, "/v1/pets/findByTags");
    assert_eq!(request.query.as_deref(), Some("tags=a,b,x%2Cy%20z"));
}

#[tokio::test]
async fn a_parameter_described_as_json_is_sent_as_its_json_text() {
    let server = TestServer::start(reply_json(200, json!([]))).await;

    #[allow(deprecated)] // findPetsByTags is deprecated in the spec; it is still served.
    let call = client(&server)
        .find_pets_by_tags(vec!["a".into()])
        .r#where(PetFilter {
            name: Some("Rex & co".into()),
            min_age: Some(2),
        });
    call.await.expect("pets");

    let request = server.only_request();
    let query = request.query.expect("a query");
    let (tags, filter) = query.split_once('&').expect("two parameters");
    assert_eq!(tags, "tags=a");
    let filter = filter.strip_prefix("where=").expect("the where parameter");
    let decoded = percent_encoding::percent_decode_str(filter)
        .decode_utf8()
        .expect("UTF-8");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&decoded).expect("JSON"),
        json!({"name": "Rex & co", "minAge": 2})
    );
}

#[tokio::test]
async fn deep_object_query_uses_brackets() {
    let page = json!({
        "results": [{"id": 1, "name": "Rex"}],
        "paging": {"next": {"after": "cursor-2", "link": "/v1/pets?after=cursor-2"}}
    });
    let server = TestServer::start(reply_json(200, page)).await;

    let page = client(&server)
        .list_pets()
        .after("cursor 1")
        .limit(20)
        .filter(PetFilter {
            name: Some("Rex & co".into()),
            min_age: Some(2),
        })
        .await
        .expect("page");

    let request = server.only_request();
    assert_eq!(request.path, "/v1/pets");
    // The filter's fields in declaration order, whatever serde_json features the build has.
    assert_eq!(
        request.query.as_deref(),
        Some("after=cursor%201&limit=20&filter%5Bname%5D=Rex%20%26%20co&filter%5BminAge%5D=2")
    );
    assert_eq!(
        page,
        PetPage {
            results: vec![minimal_pet(1, "Rex")],
            paging: Some(Paging {
                next: Some(NextPage {
                    after: "cursor-2".into(),
                    link: Some("/v1/pets?after=cursor-2".into()),
                }),
            }),
        }
    );
}

#[tokio::test]
async fn optional_header_parameter_is_sent_when_set() {
    let server = TestServer::start(reply_json(200, json!([]))).await;

    client(&server)
        .find_pets_by_status()
        .x_request_id("req-8d2c")
        .await
        .expect("pets");

    assert_eq!(
        server.only_request().header("x-request-id"),
        Some("req-8d2c")
    );
}

#[tokio::test]
async fn header_parameter_and_no_content_response() {
    let app = Router::new().route(
        "/v1/pets/{id}",
        axum::routing::delete(|| async { StatusCode::NO_CONTENT }),
    );
    let server = TestServer::start(app).await;

    let response = client(&server)
        .delete_pet(9)
        .api_key("legacy-key")
        .send()
        .await
        .expect("deleted");

    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let () = response.into_body();
    let request = server.only_request();
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.path, "/v1/pets/9");
    assert_eq!(request.header("api_key"), Some("legacy-key"));
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(request.body.is_empty());
}

// ---------------------------------------------------------------------------------------
// Request bodies on the wire
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn json_body() {
    let created = json!({"id": 101, "name": "Rex", "status": "available"});
    let server = TestServer::start(reply_json(201, created)).await;

    let response = client(&server)
        .add_pet(NewPet {
            name: "Rex".into(),
            tag: Some("good boy".into()),
            status: Some(PetStatus::Available),
        })
        .send()
        .await
        .expect("created");

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/pets");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json_body(),
        json!({"name": "Rex", "tag": "good boy", "status": "available"})
    );
    assert_eq!(response.status(), StatusCode::CREATED);
    let pet = response.into_body();
    assert_eq!(pet.id, 101);
    assert_eq!(pet.status, Some(PetStatus::Available));
}

#[tokio::test]
async fn json_body_leaves_out_absent_optional_fields() {
    let server = TestServer::start(reply_json(201, json!({"id": 1, "name": "Tom"}))).await;

    client(&server)
        .add_pet(NewPet {
            name: "Tom".into(),
            tag: None,
            status: None,
        })
        .await
        .expect("created");

    assert_eq!(server.only_request().json_body(), json!({"name": "Tom"}));
}

#[tokio::test]
async fn form_urlencoded_body() {
    let server = TestServer::start(reply_json(200, json!({"id": 7, "name": "Rex Jr."}))).await;

    let pet = client(&server)
        .update_pet_with_form(
            7,
            UpdatePetWithFormBody {
                name: "Rex Jr. & co".into(),
                status: Some(PetStatus::Sold),
            },
        )
        .await
        .expect("updated");

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/pets/7/form");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(&request.body[..], b"name=Rex%20Jr.%20%26%20co&status=sold");
    assert_eq!(pet, minimal_pet(7, "Rex Jr."));
}

#[tokio::test]
async fn octet_stream_body() {
    let stored = json!({"code": 200, "type": "image", "message": "stored 6 bytes"});
    let server = TestServer::start(reply_json(200, stored)).await;
    let image: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0x00, 0xff];

    let result = client(&server)
        .upload_pet_image(3, image.clone())
        .additional_metadata("front view")
        .await
        .expect("stored");

    let request = server.only_request();
    assert_eq!(request.path, "/v1/pets/3/image");
    assert_eq!(
        request.query.as_deref(),
        Some("additionalMetadata=front%20view")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body.to_vec(), image);
    assert_eq!(
        result,
        ApiResponse {
            code: Some(200),
            r#type: Some("image".into()),
            message: Some("stored 6 bytes".into()),
        }
    );
}

/// One part of a multipart body as the server parsed it.
#[derive(Debug, Clone, PartialEq)]
struct ReceivedPart {
    name: String,
    file_name: Option<String>,
    content: Vec<u8>,
}

/// A server whose documents endpoint parses the multipart body and keeps its parts.
async fn document_server() -> (TestServer, Arc<Mutex<Vec<ReceivedPart>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let parts = received.clone();
    let app = Router::new().route(
        "/v1/pets/{id}/documents",
        post(move |mut multipart: Multipart| {
            let parts = parts.clone();
            async move {
                let mut count = 0;
                while let Some(field) = multipart.next_field().await.expect("a multipart part") {
                    let part = ReceivedPart {
                        name: field.name().unwrap_or_default().to_owned(),
                        file_name: field.file_name().map(str::to_owned),
                        content: field.bytes().await.expect("the part's content").to_vec(),
                    };
                    parts.lock().expect("parts lock").push(part);
                    count += 1;
                }
                Json(json!({"code": 200, "type": "document", "message": format!("{count} parts")}))
            }
        }),
    );
    (TestServer::start(app).await, received)
}

#[tokio::test]
async fn multipart_body_carries_file_and_text_parts() {
    let (server, received) = document_server().await;
    let document = b"%PDF-1.4 rabies \x00\xff".to_vec();

    let result = client(&server)
        .upload_pet_document(
            5,
            UploadPetDocumentBody {
                file: document.clone().into(),
                description: Some("rabies vaccination 2024".into()),
            },
        )
        .await
        .expect("stored");

    let request = server.only_request();
    assert_eq!(request.path, "/v1/pets/5/documents");
    let content_type = request.header("content-type").expect("a content type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let parts = received.lock().expect("parts lock").clone();
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert_eq!(parts[0].name, "file");
    assert!(parts[0].file_name.is_some(), "a file part has a file name");
    assert_eq!(parts[0].content, document);
    assert_eq!(
        parts[1],
        ReceivedPart {
            name: "description".into(),
            file_name: None,
            content: b"rabies vaccination 2024".to_vec(),
        }
    );
    assert_eq!(result.message.as_deref(), Some("2 parts"));
}

#[tokio::test]
async fn multipart_body_leaves_out_absent_optional_parts() {
    let (server, received) = document_server().await;

    client(&server)
        .upload_pet_document(
            5,
            UploadPetDocumentBody {
                file: tether::Bytes::from_static(b"just the file"),
                description: None,
            },
        )
        .await
        .expect("stored");

    let parts = received.lock().expect("parts lock").clone();
    assert_eq!(parts.len(), 1, "{parts:?}");
    assert_eq!(parts[0].name, "file");
    assert_eq!(parts[0].content, b"just the file");
}

#[tokio::test]
async fn optional_json_body_sent_when_given() {
    let placed =
        json!({"id": 12, "petId": 42, "quantity": 2, "status": "placed", "complete": false});
    let server = TestServer::start(reply_json(200, placed)).await;

    let order = client(&server)
        .place_order()
        .body(Order {
            id: None,
            pet_id: Some(42),
            quantity: Some(2),
            ship_within: Some(OrderShipWithin::V7),
            ship_date: Some("2024-05-01T10:00:00Z".parse().expect("a timestamp")),
            status: Some(OrderStatus::Placed),
            complete: Some(false),
        })
        .await
        .expect("placed");

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/store/orders");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json_body(),
        json!({
            "petId": 42,
            "quantity": 2,
            "shipWithin": 7,
            "shipDate": "2024-05-01T10:00:00Z",
            "status": "placed",
            "complete": false
        })
    );
    assert_eq!(order.id, Some(12));
    assert_eq!(order.status, Some(OrderStatus::Placed));
}

#[tokio::test]
async fn optional_json_body_absent_when_not_given() {
    let server = TestServer::start(reply_json(200, json!({"id": 13}))).await;

    let order = client(&server).place_order().await.expect("placed");

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert!(request.body.is_empty(), "{:?}", request.body);
    assert_eq!(request.header("content-type"), None);
    assert_eq!(order.id, Some(13));
}

// ---------------------------------------------------------------------------------------
// Typed successes
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn json_struct_with_dates_uuids_and_nesting() {
    let server = TestServer::start(reply_json(200, full_pet_json())).await;

    let pet = client(&server).get_pet_by_id(42).await.expect("pet");

    assert_eq!(pet, full_pet());
    // The typed values, not just their equality with other parsed values.
    let last_seen = pet.last_seen.expect("lastSeen");
    assert_eq!(last_seen.timestamp(), 1_710_058_530);
    assert_eq!(pet.birthday.expect("birthday").to_string(), "2019-02-28");
    assert_eq!(
        pet.chip_id.expect("chipId").as_u128(),
        0x6f1c2b1e_8a4d_4c5e_9f2a_3b7d1e0c9a11
    );
    assert_eq!(server.only_request().path, "/v1/pets/42");
}

#[tokio::test]
async fn null_for_a_nullable_field_and_untagged_identifiers() {
    let pets = json!([
        {"id": 1, "name": "Rex", "chipId": null, "externalId": "ext-1"},
        {"id": 2, "name": "Tom", "externalId": 77}
    ]);
    let server = TestServer::start(reply_json(200, pets)).await;

    let pets = client(&server).find_pets_by_status().await.expect("pets");

    assert_eq!(pets.len(), 2);
    assert_eq!(pets[0].chip_id, None);
    assert_eq!(
        pets[0].external_id,
        Some(Identifier::String("ext-1".into()))
    );
    assert_eq!(pets[1].external_id, Some(Identifier::Integer(77)));
}

#[tokio::test]
async fn unknown_enum_value_lands_in_the_catch_all_variant() {
    let server = TestServer::start(reply_json(
        200,
        json!({"id": 4, "name": "Old Tom", "status": "adopted"}),
    ))
    .await;

    let pet = client(&server).get_pet_by_id(4).await.expect("pet");

    assert_eq!(pet.status, Some(PetStatus::Unknown("adopted".into())));
}

#[tokio::test]
async fn send_keeps_status_and_headers() {
    let app = Router::new().route(
        "/v1/pets/{id}",
        get(|| async {
            (
                [("x-rate-limit-remaining", "99"), ("etag", "\"v3\"")],
                Json(json!({"id": 8, "name": "Bella"})),
            )
        }),
    );
    let server = TestServer::start(app).await;

    let response = client(&server).get_pet_by_id(8).send().await.expect("pet");

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-rate-limit-remaining"], "99");
    assert_eq!(response.headers()["etag"], "\"v3\"");
    assert_eq!(response.body(), &minimal_pet(8, "Bella"));
}

#[tokio::test]
async fn text_plain_responses() {
    let app = Router::new()
        .route("/v1/users/logout", get(|| async { "Goodbye, Ada! 👋" }))
        .route("/v1/health", get(|| async { "ok" }));
    let server = TestServer::start(app).await;
    let client = client(&server);

    let farewell = client.logout_user().await.expect("logged out");
    let health = client.get_health().await.expect("healthy");

    assert_eq!(farewell, "Goodbye, Ada! 👋");
    assert_eq!(health, "ok");
    let requests = server.requests();
    assert_eq!(requests[0].path, "/v1/users/logout");
    assert_eq!(requests[1].path, "/v1/health");
}

#[tokio::test]
async fn binary_response() {
    let png: &[u8] = &[
        0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 0x0d,
    ];
    let server = TestServer::start(reply(200, "image/png", png)).await;

    let photo = client(&server).get_pet_photo(42).await.expect("photo");

    assert_eq!(&photo[..], png);
    assert_eq!(server.only_request().path, "/v1/pets/42/photo");
}

#[tokio::test]
async fn tagged_union_picks_the_variant_by_discriminator() {
    let app = Router::new().route(
        "/v1/animals/{id}",
        get(|Path(id): Path<i64>| async move {
            Json(match id {
                1 => json!({"petType": "dog", "bark": true}),
                2 => json!({"petType": "cat", "lives": 9}),
                _ => json!({"petType": "parrot", "words": 12}),
            })
        }),
    );
    let server = TestServer::start(app).await;
    let client = client(&server);

    let dog = client.get_animal(1).await.expect("dog");
    let cat = client.get_animal(2).await.expect("cat");
    let parrot = client.get_animal(3).await.expect("parrot");

    assert_eq!(
        dog,
        Animal::Dog(Dog {
            pet_type: "dog".into(),
            bark: Some(true),
        })
    );
    assert_eq!(
        cat,
        Animal::Cat(Cat {
            pet_type: "cat".into(),
            lives: Some(9),
        })
    );
    assert_eq!(
        parrot,
        Animal::Unknown(json!({"petType": "parrot", "words": 12}))
    );
}

#[tokio::test]
async fn tagged_union_without_its_discriminator_is_a_decode_error() {
    let server = TestServer::start(reply_json(200, json!({"bark": true}))).await;

    let error = client(&server).get_animal(1).await.expect_err("no petType");

    match error {
        Error::Decode { message, .. } => assert!(message.contains("petType"), "{message}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn decode_error_inside_a_tagged_union_names_the_field() {
    let server =
        TestServer::start(reply_json(200, json!({"petType": "dog", "bark": "loud"}))).await;

    let error = client(&server)
        .get_animal(1)
        .await
        .expect_err("bark is a string");

    match error {
        Error::Decode { message, .. } => {
            assert!(message.contains("`bark`"), "{message}");
            assert!(message.contains("expected a boolean"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn map_response() {
    let server = TestServer::start(reply_json(
        200,
        json!({"available": 3, "pending": 0, "sold": 12}),
    ))
    .await;

    let inventory = client(&server)
        .with_api_key(STORE_KEY)
        .get_inventory()
        .window_days(InventoryWindow::V30)
        .await
        .expect("inventory");

    assert_eq!(
        server.only_request().query.as_deref(),
        Some("windowDays=30")
    );
    assert_eq!(inventory.len(), 3);
    assert_eq!(inventory["available"], 3);
    assert_eq!(inventory["sold"], 12);
}

// ---------------------------------------------------------------------------------------
// Typed errors
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn documented_error_status_decodes_its_body() {
    let app = Router::new().route(
        "/v1/pets/{id}",
        get(|Path(id): Path<i64>| async move {
            (
                StatusCode::NOT_FOUND,
                [("x-trace", "t-404")],
                Json(json!({"code": 404, "message": format!("no pet {id}")})),
            )
        }),
    );
    let server = TestServer::start(app).await;

    let error = client(&server)
        .get_pet_by_id(404)
        .await
        .expect_err("not found");

    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    let text = error.to_string();
    match error {
        Error::Api {
            request,
            status,
            headers,
            body,
        } => {
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert_eq!(headers["x-trace"], "t-404");
            assert_eq!(
                body,
                GetPetByIdError::NotFound(ApiError {
                    code: 404,
                    message: "no pet 404".into(),
                })
            );
            assert_eq!(request.operation, "getPetById");
            assert_eq!(request.method, "GET");
            assert_eq!(request.url, format!("{}/pets/404", server.base_url()));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    // The message names the request so that a log line alone says what failed.
    assert!(text.contains("getPetById"), "{text}");
    assert!(text.contains("/pets/404"), "{text}");
}

#[tokio::test]
async fn default_response_catches_other_statuses() {
    let server = TestServer::start(reply_json(
        500,
        json!({"code": 500, "message": "database unavailable"}),
    ))
    .await;

    let error = client(&server)
        .get_pet_by_id(1)
        .await
        .expect_err("server error");

    match error {
        Error::Api { status, body, .. } => {
            assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(
                body,
                GetPetByIdError::Default(ApiError {
                    code: 500,
                    message: "database unavailable".into(),
                })
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    // The policy of this client never retries.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn undocumented_status_is_unexpected() {
    let server = TestServer::start(reply(404, "text/plain", "no such route, sorry")).await;

    let error = client(&server)
        .find_pets_by_status()
        .await
        .expect_err("undocumented 404");

    match error {
        Error::UnexpectedStatus {
            request,
            status,
            body_excerpt,
            ..
        } => {
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert_eq!(body_excerpt, "no such route, sorry");
            assert_eq!(request.operation, "findPetsByStatus");
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn validation_error_on_create() {
    let invalid = json!({
        "message": "the pet is invalid",
        "errors": [
            {"field": "name", "code": "too_long"},
            {"field": "tag", "code": "forbidden"}
        ]
    });
    let server = TestServer::start(reply_json(422, invalid)).await;

    let error = client(&server)
        .add_pet(NewPet {
            name: "R".repeat(300),
            tag: Some("admin".into()),
            status: None,
        })
        .await
        .expect_err("invalid");

    match error {
        Error::Api { status, body, .. } => {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(
                body,
                AddPetError::UnprocessableEntity(ValidationError {
                    message: "the pet is invalid".into(),
                    errors: vec![
                        FieldError {
                            field: "name".into(),
                            code: "too_long".into(),
                        },
                        FieldError {
                            field: "tag".into(),
                            code: "forbidden".into(),
                        },
                    ],
                })
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn wrong_type_in_a_nested_field_is_a_decode_error_naming_the_field() {
    let body = r#"{"id": 7, "name": "Rex", "category": {"id": "seven", "name": "Dogs"}}"#;
    let server = TestServer::start(reply(200, "application/json", body)).await;

    let error = client(&server)
        .get_pet_by_id(7)
        .await
        .expect_err("category.id is a string");

    let text = error.to_string();
    match error {
        Error::Decode {
            request,
            status,
            path,
            message,
            body_excerpt,
        } => {
            assert_eq!(status, StatusCode::OK);
            assert_eq!(path, "category.id");
            assert!(message.contains("i64"), "{message}");
            assert!(
                body_excerpt.starts_with(r#"{"id": 7, "name": "Rex""#),
                "{body_excerpt}"
            );
            assert_eq!(request.operation, "getPetById");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(text.contains("category.id"), "{text}");
}

#[tokio::test]
async fn documented_error_with_a_body_that_does_not_match_is_a_decode_error() {
    let server = TestServer::start(reply(404, "text/html", "<h1>Not Found</h1>")).await;

    let error = client(&server)
        .get_pet_by_id(1)
        .await
        .expect_err("not found");

    match error {
        Error::Decode {
            status,
            body_excerpt,
            ..
        } => {
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert_eq!(body_excerpt, "<h1>Not Found</h1>");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn long_bodies_are_cut_in_excerpts() {
    let long = "x".repeat(5_000);
    let server = TestServer::start(reply(418, "text/plain", long)).await;

    let error = client(&server)
        .find_pets_by_status()
        .await
        .expect_err("teapot");

    match error {
        Error::UnexpectedStatus { body_excerpt, .. } => {
            assert!(body_excerpt.len() < 1_000, "{}", body_excerpt.len());
            assert!(body_excerpt.starts_with("xxxx"));
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn bearer_token_is_sent_to_operations_that_need_it() {
    let server = TestServer::start(reply_json(200, json!({"id": 1, "name": "Rex"}))).await;
    let client = Client::new(server.base_url())
        .expect("valid base URL")
        .with_petstore_auth(TOKEN);

    client.get_pet_by_id(1).await.expect("pet");

    let request = server.only_request();
    assert_eq!(
        request.header("authorization"),
        Some("Bearer tok-3f9a-secret")
    );
    assert_eq!(request.header("api_key"), None);
}

#[tokio::test]
async fn api_key_scheme_goes_in_its_header_alone() {
    let server = TestServer::start(reply_json(200, json!({"sold": 1}))).await;
    // Both credentials are configured; getInventory asks only for `api_key`.
    let client = client(&server).with_api_key(STORE_KEY);

    client.get_inventory().await.expect("inventory");

    let request = server.only_request();
    assert_eq!(request.path, "/v1/store/inventory");
    assert_eq!(request.header("api_key"), Some(STORE_KEY));
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn operations_without_security_send_no_credentials() {
    let app = Router::new()
        .route("/v1/users/logout", get(|| async { "bye" }))
        .route("/v1/health", get(|| async { "ok" }));
    let server = TestServer::start(app).await;
    let client = client(&server).with_api_key(STORE_KEY);

    client.logout_user().await.expect("logged out");
    client.get_health().await.expect("healthy");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in requests {
        assert_eq!(request.header("authorization"), None, "{}", request.path);
        assert_eq!(request.header("api_key"), None, "{}", request.path);
    }
}

#[tokio::test]
async fn missing_credentials_fail_before_sending() {
    let server = TestServer::start(reply_json(200, json!({"id": 1, "name": "Rex"}))).await;
    let anonymous = anonymous_client(&server);

    let error = anonymous
        .get_pet_by_id(1)
        .await
        .expect_err("no credentials");

    match error {
        Error::InvalidRequest { operation, message } => {
            assert_eq!(operation, "getPetById");
            assert!(message.contains("petstore_auth"), "{message}");
        }
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
    // A bearer token does not satisfy the `api_key` scheme either.
    let error = client(&server)
        .get_inventory()
        .await
        .expect_err("no store key");
    match error {
        Error::InvalidRequest { operation, message } => {
            assert_eq!(operation, "getInventory");
            assert!(message.contains("api_key"), "{message}");
        }
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
    assert!(server.requests().is_empty(), "{:#?}", server.requests());

    // Operations that need nothing still work on the anonymous client.
    anonymous.logout_user().await.expect("logged out");
    assert_eq!(server.only_request().path, "/v1/users/logout");
}

#[tokio::test]
async fn redirects_within_the_origin_are_followed_with_credentials() {
    let app = Router::new().route(
        "/v1/pets/{id}",
        get(|Path(id): Path<i64>| async move {
            if id == 1 {
                (StatusCode::TEMPORARY_REDIRECT, [("location", "/v1/pets/2")]).into_response()
            } else {
                Json(json!({"id": id, "name": "Moved"})).into_response()
            }
        }),
    );
    let server = TestServer::start(app).await;

    let pet = client(&server).get_pet_by_id(1).await.expect("pet");

    assert_eq!(pet, minimal_pet(2, "Moved"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].path, "/v1/pets/2");
    assert_eq!(
        requests[1].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn redirects_to_another_origin_are_followed_without_credentials() {
    // Another port on the same host is another origin: it must not see the store key.
    let elsewhere = TestServer::start(reply_json(200, json!({"sold": 1}))).await;
    let location = format!("{}/store/inventory", elsewhere.base_url());
    let redirecting = Router::new().fallback(move || {
        let location = location.clone();
        async move { (StatusCode::FOUND, [("location", location)]) }
    });
    let server = TestServer::start(redirecting).await;

    let inventory = client(&server)
        .with_api_key(STORE_KEY)
        .get_inventory()
        .await
        .expect("the redirect is followed");

    assert_eq!(inventory.get("sold"), Some(&1));
    let followed = elsewhere.only_request();
    assert_eq!(followed.path, "/v1/store/inventory");
    assert_eq!(followed.header("api_key"), None);
    assert_eq!(followed.header("authorization"), None);
    assert_eq!(server.only_request().header("api_key"), Some(STORE_KEY));
}

#[tokio::test]
async fn debug_output_hides_credentials() {
    let server = TestServer::start(reply_json(200, json!({}))).await;
    let client = client(&server).with_api_key(STORE_KEY);

    let shown = format!("{client:?}");

    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(!shown.contains(STORE_KEY), "{shown}");
    assert!(shown.contains(server.base_url()), "{shown}");
    assert!(shown.contains("petstore_auth"), "{shown}");
}

// ---------------------------------------------------------------------------------------
// Timeouts and retries
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn slow_responses_time_out() {
    let app = Router::new().route(
        "/v1/pets/{id}",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Json(json!({"id": 1, "name": "Rex"}))
        }),
    );
    let server = TestServer::start(app).await;
    let limit = Duration::from_millis(100);

    let error = client(&server)
        .get_pet_by_id(1)
        .options(CallOptions::new().timeout(limit))
        .await
        .expect_err("too slow");

    match error {
        Error::Timeout {
            request,
            limit: hit,
        } => {
            assert_eq!(hit, limit);
            assert_eq!(request.operation, "getPetById");
        }
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

/// A policy that retries at once, so that retry tests stay fast.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(2)
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
}

/// A server that answers 503 to the first `failures` requests, then `success`.
async fn flaky_server(failures: usize, success: serde_json::Value) -> TestServer {
    let seen = Arc::new(AtomicUsize::new(0));
    let app = Router::new().fallback(move || {
        let seen = seen.clone();
        let success = success.clone();
        async move {
            if seen.fetch_add(1, Ordering::SeqCst) < failures {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Json(json!({"code": 503, "message": "busy"})),
                )
            } else {
                (StatusCode::OK, Json(success))
            }
        }
    });
    TestServer::start(app).await
}

#[tokio::test]
async fn idempotent_calls_are_retried_after_a_retryable_status() {
    let server = flaky_server(1, json!({"id": 1, "name": "Rex"})).await;

    let pet = client(&server)
        .get_pet_by_id(1)
        .options(CallOptions::new().retry(quick_retries()))
        .await
        .expect("pet on the second attempt");

    assert_eq!(pet, minimal_pet(1, "Rex"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // The retry count is absent or zero on the first attempt.
    assert_eq!(requests[0].header("retry-count"), None);
    assert_eq!(requests[1].header("retry-count"), Some("1"));
    // Every attempt carries the credentials.
    assert_eq!(
        requests[1].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn non_idempotent_calls_are_not_retried() {
    let server = flaky_server(1, json!({"id": 1, "name": "Rex"})).await;

    let error = client(&server)
        .add_pet(NewPet {
            name: "Rex".into(),
            tag: None,
            status: None,
        })
        .options(CallOptions::new().retry(quick_retries()))
        .await
        .expect_err("503 on a POST");

    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}
