//! The generated pet store client against the generated pet store sandbox, over loopback:
//! typed arguments and replies both ways, `501` for what the implementation leaves out,
//! `400` with the reason for requests that do not fit the spec, injected faults seen by
//! the client's retries, and a paginated listing read across pages.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::TryStreamExt;
use tether::sandbox::{Fault, FaultRule, Faults, Reply, Sandbox};
use tether::{ClientConfig, Error, RetryPolicy, StatusCode};
use tether_tests::sandboxed::petstore::{
    sandbox, AddPetError, ApiError, Client, FieldError, FindPetsByStatusError, GetPetByIdError,
    InventoryWindow, NewPet, NextPage, Paging, Pet, PetFilter, PetPage, PetStatus, ValidationError,
};

/// A pet store kept in memory: the sandbox implementation under test.
#[derive(Default)]
struct Store {
    pets: Mutex<BTreeMap<i64, Pet>>,
    /// The `X-Request-Id` headers `findPetsByStatus` received, shared with the test.
    request_ids: Arc<Mutex<Vec<String>>>,
}

fn pet(id: i64, name: &str, status: PetStatus) -> Pet {
    Pet {
        id,
        name: name.to_owned(),
        category: None,
        photo_urls: None,
        tags: None,
        status: Some(status),
        birthday: None,
        weight: None,
        chip_id: None,
        last_seen: None,
        owner: None,
        external_id: None,
    }
}

impl Store {
    fn with_pets(names: &[&str]) -> Store {
        let store = Store::default();
        for (index, name) in names.iter().enumerate() {
            let id = i64::try_from(index).expect("a few pets") + 1;
            store.insert(pet(id, name, PetStatus::Available));
        }
        store
    }

    fn insert(&self, pet: Pet) {
        self.pets.lock().expect("store lock").insert(pet.id, pet);
    }
}

impl sandbox::Api for Store {
    /// Pages of `limit` pets (default 2); the cursor is the last id of the page.
    async fn list_pets(
        &self,
        after: Option<String>,
        limit: Option<i32>,
        filter: Option<PetFilter>,
    ) -> Reply<PetPage, std::convert::Infallible> {
        let after: i64 = after.and_then(|after| after.parse().ok()).unwrap_or(0);
        let limit = usize::try_from(limit.unwrap_or(2)).unwrap_or(2);
        let name = filter.and_then(|filter| filter.name);
        let pets = self.pets.lock().expect("store lock");
        let matching: Vec<Pet> = pets
            .range(after + 1..)
            .map(|(_, pet)| pet.clone())
            .filter(|pet| name.as_ref().is_none_or(|name| &pet.name == name))
            .collect();
        let page: Vec<Pet> = matching.iter().take(limit).cloned().collect();
        let paging = (matching.len() > limit).then(|| Paging {
            next: page.last().map(|last| NextPage {
                after: last.id.to_string(),
                link: None,
            }),
        });
        Reply::ok(PetPage {
            results: page,
            paging,
        })
    }

    async fn add_pet(&self, body: NewPet) -> Reply<Pet, AddPetError> {
        if body.name.trim().is_empty() {
            return Reply::error(AddPetError::UnprocessableEntity(ValidationError {
                message: "the pet needs a name".into(),
                errors: vec![FieldError {
                    field: "name".into(),
                    code: "required".into(),
                }],
            }));
        }
        let id = self
            .pets
            .lock()
            .expect("store lock")
            .keys()
            .last()
            .map_or(1, |last| last + 1);
        let created = pet(id, &body.name, body.status.unwrap_or(PetStatus::Available));
        self.insert(created.clone());
        Reply::ok(created)
    }

    async fn get_pet_by_id(&self, pet_id: i64) -> Reply<Pet, GetPetByIdError> {
        match self.pets.lock().expect("store lock").get(&pet_id) {
            Some(pet) => Reply::ok(pet.clone()).with_header("etag", format!("\"pet-{pet_id}\"")),
            None => Reply::error(GetPetByIdError::NotFound(ApiError {
                code: 404,
                message: format!("no pet has id {pet_id}"),
            })),
        }
    }

    async fn find_pets_by_status(
        &self,
        status: Option<Vec<PetStatus>>,
        limit: Option<i32>,
        x_request_id: Option<String>,
    ) -> Reply<Vec<Pet>, FindPetsByStatusError> {
        self.request_ids
            .lock()
            .expect("store lock")
            .extend(x_request_id);
        let wanted = status.unwrap_or_default();
        if let Some(unknown) = wanted
            .iter()
            .find(|status| matches!(status, PetStatus::Unknown(_)))
        {
            return Reply::error(FindPetsByStatusError::BadRequest(ApiError {
                code: 400,
                message: format!("unknown status `{}`", unknown.as_str()),
            }));
        }
        let limit = limit.and_then(|limit| usize::try_from(limit).ok());
        let pets = self.pets.lock().expect("store lock");
        Reply::ok(
            pets.values()
                .filter(|pet| pet.status.as_ref().is_some_and(|s| wanted.contains(s)))
                .take(limit.unwrap_or(usize::MAX))
                .cloned()
                .collect(),
        )
    }

    /// The pets named as `where` says; every pet here has every tag.
    async fn find_pets_by_tags(
        &self,
        _tags: Vec<String>,
        r#where: Option<PetFilter>,
    ) -> Reply<Vec<Pet>, FindPetsByStatusError> {
        let name = r#where.and_then(|filter| filter.name);
        let pets = self.pets.lock().expect("store lock");
        Reply::ok(
            pets.values()
                .filter(|pet| name.as_ref().is_none_or(|name| &pet.name == name))
                .cloned()
                .collect(),
        )
    }

    /// Every pet counted under its status, and the window asked for under `windowDays`.
    async fn get_inventory(
        &self,
        window_days: Option<InventoryWindow>,
    ) -> Reply<HashMap<String, i32>, Infallible> {
        let pets = self.pets.lock().expect("store lock");
        let mut counts = HashMap::new();
        for status in pets.values().filter_map(|pet| pet.status.as_ref()) {
            *counts.entry(status.as_str().to_owned()).or_default() += 1;
        }
        if let Some(window) = window_days {
            let days = i32::try_from(window.as_i64()).unwrap_or(i32::MAX);
            counts.insert("windowDays".to_owned(), days);
        }
        Reply::ok(counts)
    }

    /// Every pet counted under one category: the store has none but "all".
    async fn get_inventory_by_category(&self) -> Reply<HashMap<String, i32>, Infallible> {
        let count = self.pets.lock().expect("store lock").len();
        Reply::ok(HashMap::from([(
            "all".to_owned(),
            i32::try_from(count).unwrap_or(i32::MAX),
        )]))
    }
}

/// A client for `sandbox` that never retries, so that each call is one request.
fn client(sandbox: &Sandbox) -> Client {
    let config = ClientConfig::new(sandbox.base_url()).retry(RetryPolicy::none());
    Client::from_config(config)
        .expect("the sandbox's base URL is valid")
        .with_petstore_auth("sandbox-token")
}

#[tokio::test]
async fn a_path_with_a_query_of_its_own_is_another_operation() {
    let sandbox = sandbox::serve(Store::with_pets(&["Rex", "Tom"]))
        .await
        .expect("the sandbox serves");
    let client = client(&sandbox).with_api_key("store-key");

    let by_status = client.get_inventory().await.expect("the inventory");
    let by_category = client
        .get_inventory_by_category()
        .await
        .expect("the inventory by category");
    assert_eq!(by_status, HashMap::from([("available".to_owned(), 2)]));
    assert_eq!(by_category, HashMap::from([("all".to_owned(), 2)]));
    assert_eq!(sandbox.requests("getInventory"), 1);
    assert_eq!(sandbox.requests("getInventoryByCategory"), 1);
}

#[tokio::test]
#[allow(deprecated)] // findPetsByTags is deprecated in the spec; it is still served.
async fn a_json_parameter_reaches_the_sandbox_typed() {
    let sandbox = sandbox::serve(Store::with_pets(&["Rex", "Tom & Co"]))
        .await
        .expect("the sandbox serves");
    let client = client(&sandbox);

    let filter = PetFilter {
        name: Some("Tom & Co".into()),
        min_age: None,
    };
    let pets = client
        .find_pets_by_tags(vec!["cat".into()])
        .r#where(filter)
        .await
        .expect("the pets");
    let names: Vec<&str> = pets.iter().map(|pet| pet.name.as_str()).collect();
    assert_eq!(names, ["Tom & Co"]);

    let every = client
        .find_pets_by_tags(vec!["cat".into()])
        .await
        .expect("the pets");
    assert_eq!(every.len(), 2);
}

#[tokio::test]
async fn an_integer_enum_parameter_reaches_the_sandbox_typed() {
    let sandbox = sandbox::serve(Store::with_pets(&["Rex"]))
        .await
        .expect("the sandbox serves");
    let client = client(&sandbox).with_api_key("store-key");

    let counts = client
        .get_inventory()
        .window_days(InventoryWindow::V90)
        .await
        .expect("the inventory");
    assert_eq!(counts.get("windowDays"), Some(&90));

    // A value the spec does not list is sent as it is and arrives as the catch-all.
    let counts = client
        .get_inventory()
        .window_days(InventoryWindow::Unknown(365))
        .await
        .expect("the inventory");
    assert_eq!(counts.get("windowDays"), Some(&365));
}

#[tokio::test]
async fn the_client_reads_and_writes_through_the_sandbox() {
    let store = Store::with_pets(&["Rex"]);
    let request_ids = store.request_ids.clone();
    let sandbox = sandbox::serve(store).await.expect("the sandbox serves");
    assert!(sandbox.base_url().starts_with("http://127.0.0.1:"));
    assert!(
        sandbox.base_url().ends_with("/v1"),
        "{}",
        sandbox.base_url()
    );
    let client = client(&sandbox);

    let response = client.get_pet_by_id(1).send().await.expect("pet 1 exists");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["etag"], "\"pet-1\"");
    assert_eq!(response.body().name, "Rex");

    let created = client
        .add_pet(NewPet {
            name: "Tom".into(),
            tag: None,
            status: Some(PetStatus::Pending),
        })
        .send()
        .await
        .expect("the pet is created");
    assert_eq!(
        created.status(),
        StatusCode::CREATED,
        "the spec documents 201"
    );
    assert_eq!(created.body().id, 2);
    assert_eq!(client.get_pet_by_id(2).await.expect("pet 2").name, "Tom");

    let found = client
        .find_pets_by_status()
        .status(vec![PetStatus::Pending, PetStatus::Sold])
        .x_request_id("req-7")
        .await
        .expect("the search answers");
    assert_eq!(
        found.iter().map(|pet| pet.id).collect::<Vec<_>>(),
        [2],
        "only Tom is pending"
    );
    let none = client
        .find_pets_by_status()
        .await
        .expect("a search without statuses");
    assert!(none.is_empty());
    assert_eq!(*request_ids.lock().expect("ids lock"), ["req-7"]);
    assert_eq!(sandbox.requests("getPetById"), 2);
    assert_eq!(sandbox.requests("findPetsByStatus"), 2);
}

#[tokio::test]
async fn documented_errors_arrive_typed_with_their_status() {
    let sandbox = sandbox::serve(Store::default())
        .await
        .expect("the sandbox serves");
    let client = client(&sandbox);

    match client.get_pet_by_id(404).await {
        Err(Error::Api { status, body, .. }) => {
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert_eq!(
                body,
                GetPetByIdError::NotFound(ApiError {
                    code: 404,
                    message: "no pet has id 404".into()
                })
            );
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }
    let invalid = NewPet {
        name: " ".into(),
        tag: None,
        status: None,
    };
    match client.add_pet(invalid).await {
        Err(Error::Api {
            status,
            body: AddPetError::UnprocessableEntity(error),
            ..
        }) => {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(error.errors[0].field, "name");
        }
        other => panic!("expected the documented 422, got {other:?}"),
    }
    let unknown = client
        .find_pets_by_status()
        .status(vec![PetStatus::Unknown("lost".into())])
        .await;
    assert!(
        matches!(
            unknown,
            Err(Error::Api { status: StatusCode::BAD_REQUEST, body: FindPetsByStatusError::BadRequest(ref error), .. })
                if error.message == "unknown status `lost`"
        ),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn unimplemented_operations_answer_501_naming_the_operation() {
    let sandbox = sandbox::serve(Store::default())
        .await
        .expect("the sandbox serves");
    let client = client(&sandbox);
    let order = "6f1c2b1e-8a4d-4c5e-9f2a-3b7d1e0c9a11"
        .parse()
        .expect("a uuid");
    match client.get_order_by_id(order).await {
        Err(Error::UnexpectedStatus {
            status,
            body_excerpt,
            ..
        }) => {
            assert_eq!(status, StatusCode::NOT_IMPLEMENTED);
            assert!(body_excerpt.contains("getOrderById"), "{body_excerpt}");
            assert!(body_excerpt.contains("not_implemented"), "{body_excerpt}");
        }
        other => panic!("expected 501, got {other:?}"),
    }
}

/// Sends a request the generated client would never send, to see the sandbox's checks.
async fn raw(
    sandbox: &Sandbox,
    method: reqwest::Method,
    path: &str,
    body: Option<&str>,
) -> (u16, serde_json::Value) {
    let mut request =
        reqwest::Client::new().request(method, format!("{}{path}", sandbox.base_url()));
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a body");
    let body = serde_json::from_slice(&bytes).expect("problems are JSON");
    (status, body)
}

#[tokio::test]
async fn requests_that_do_not_fit_the_spec_are_answered_400_with_the_reason() {
    let sandbox = sandbox::serve(Store::with_pets(&["Rex"]))
        .await
        .expect("the sandbox serves");
    use reqwest::Method;

    let (status, body) = raw(&sandbox, Method::POST, "/pets", Some(r#"{"name": 7}"#)).await;
    assert_eq!(status, 400);
    assert_eq!(body["operation"], "addPet");
    assert_eq!(body["field"], "name");
    let message = body["message"].as_str().expect("a message");
    assert!(
        message.starts_with("the body at `name` invalid type: integer `7`, expected a string"),
        "{message}"
    );

    let (status, body) = raw(&sandbox, Method::POST, "/pets", Some("{}")).await;
    assert_eq!(status, 400);
    assert!(body["message"]
        .as_str()
        .expect("a message")
        .contains("missing field `name`"));

    let (status, body) = raw(&sandbox, Method::GET, "/pets?limit=many", None).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "query parameter `limit` `many` is not a 32-bit integer: invalid digit found in string"
    );

    let (status, body) = raw(&sandbox, Method::GET, "/pets?filter%5BminAge%5D=old", None).await;
    assert_eq!(status, 400);
    assert_eq!(body["field"], "minAge");

    let (status, body) = raw(&sandbox, Method::GET, "/pets/rex", None).await;
    assert_eq!(status, 400);
    assert_eq!(body["operation"], "getPetById");
    assert!(body["message"]
        .as_str()
        .expect("a message")
        .contains("path parameter `petId`"));

    let (status, _) = raw(&sandbox, Method::GET, "/pets/findByTags", None).await;
    assert_eq!(status, 400, "a required query parameter is missing");

    let (status, body) = raw(&sandbox, Method::DELETE, "/pets", None).await;
    assert_eq!(status, 405);
    assert_eq!(body["error"], "method_not_allowed");
    let (status, body) = raw(&sandbox, Method::GET, "/nowhere", None).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "no_operation");

    // Nothing that was rejected reached the store.
    let client = client(&sandbox);
    let all: Vec<Pet> = client
        .list_pets()
        .items()
        .try_collect()
        .await
        .expect("listing");
    assert_eq!(all.len(), 1);
}

#[tokio::test]
async fn paginated_listings_read_every_page_from_the_sandbox() {
    let names = ["Ace", "Bo", "Cy", "Di", "Ed"];
    let sandbox = sandbox::serve(Store::with_pets(&names))
        .await
        .expect("the sandbox serves");
    let client = client(&sandbox);
    let all: Vec<Pet> = client
        .list_pets()
        .limit(2)
        .items()
        .try_collect()
        .await
        .expect("every page");
    let listed: Vec<&str> = all.iter().map(|pet| pet.name.as_str()).collect();
    assert_eq!(listed, names);
    assert_eq!(
        sandbox.requests("listPets"),
        3,
        "three pages of at most two"
    );

    let filtered: Vec<Pet> = client
        .list_pets()
        .filter(PetFilter {
            name: Some("Cy".into()),
            min_age: None,
        })
        .items()
        .try_collect()
        .await
        .expect("a filtered listing");
    assert_eq!(filtered.len(), 1);
}

#[tokio::test]
async fn injected_faults_are_retried_by_the_client() {
    let faults = Faults::new()
        .seed(3)
        .rule(
            FaultRule::first(1, Fault::rate_limited(Duration::from_millis(20)))
                .operation("getPetById"),
        )
        .rule(FaultRule::first(2, Fault::unavailable()).operation("listPets"));
    let sandbox = sandbox::builder(Store::with_pets(&["Rex"]))
        .faults(faults)
        .serve()
        .await
        .expect("the sandbox serves");
    let retrying = RetryPolicy::default()
        .max_retries(3)
        .backoff(Duration::from_millis(5), Duration::from_millis(20));
    let retried = Client::from_config(ClientConfig::new(sandbox.base_url()).retry(retrying))
        .expect("a valid base URL")
        .with_petstore_auth("sandbox-token");

    assert_eq!(
        retried.get_pet_by_id(1).await.expect("after a 429").name,
        "Rex"
    );
    assert_eq!(sandbox.requests("getPetById"), 2);
    let pets: Vec<Pet> = retried
        .list_pets()
        .items()
        .try_collect()
        .await
        .expect("after two 503s");
    assert_eq!(pets.len(), 1);
    assert_eq!(sandbox.requests("listPets"), 3);
    assert_eq!(sandbox.faults_injected(), 3);

    // Without retries the injected answer itself arrives, with the wait it asks for (from
    // an operation without a `default` error: its body would be read as the spec's).
    let once = Faults::new().rule(FaultRule::first(
        1,
        Fault::rate_limited(Duration::from_secs(2)),
    ));
    let strict = sandbox::builder(Store::default())
        .faults(once)
        .serve()
        .await
        .expect("the sandbox serves");
    let error = client(&strict)
        .list_pets()
        .await
        .expect_err("the injected 429");
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    let headers = error
        .headers()
        .unwrap_or_else(|| panic!("no headers in {error:?}"));
    assert_eq!(headers["retry-after"], "2");
    strict.shutdown().await;
}

#[tokio::test]
async fn a_stopped_sandbox_refuses_connections() {
    let sandbox = sandbox::serve(Store::default())
        .await
        .expect("the sandbox serves");
    let client = client(&sandbox);
    sandbox.shutdown().await;
    let error = client.get_pet_by_id(1).await.expect_err("nothing listens");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

/// Every kind of request body and reply the pet store has, through its sandbox.
mod bodies {
    use tether::sandbox::Reply;
    use tether::Bytes;
    use tether_tests::sandboxed::petstore::{
        sandbox, ApiResponse, Client, GetUserByNameError, Pet, PetStatus, UpdatePetWithFormBody,
        UploadPetDocumentBody, User,
    };

    type Never = std::convert::Infallible;

    /// Echoes what it receives, so that the test sees it arrived typed.
    struct Echo;

    fn response(code: usize, message: String) -> ApiResponse {
        ApiResponse {
            code: i32::try_from(code).ok(),
            r#type: None,
            message: Some(message),
        }
    }

    impl sandbox::Api for Echo {
        async fn update_pet_with_form(
            &self,
            pet_id: i64,
            body: UpdatePetWithFormBody,
        ) -> Reply<Pet, Never> {
            Reply::ok(super::pet(
                pet_id,
                &body.name,
                body.status.unwrap_or(PetStatus::Sold),
            ))
        }

        async fn upload_pet_image(
            &self,
            pet_id: i64,
            body: Bytes,
            additional_metadata: Option<String>,
        ) -> Reply<ApiResponse, Never> {
            let message = format!("pet {pet_id}: {}", additional_metadata.unwrap_or_default());
            Reply::ok(response(body.len(), message))
        }

        async fn upload_pet_document(
            &self,
            pet_id: i64,
            body: UploadPetDocumentBody,
        ) -> Reply<ApiResponse, Never> {
            let text = String::from_utf8_lossy(&body.file).into_owned();
            let message = format!(
                "pet {pet_id}: {} = {text}",
                body.description.unwrap_or_default()
            );
            Reply::ok(response(body.file.len(), message))
        }

        async fn get_pet_photo(&self, pet_id: i64) -> Reply<Bytes, Never> {
            Reply::ok(Bytes::from(vec![
                0x89,
                b'P',
                b'N',
                b'G',
                u8::try_from(pet_id).unwrap_or(0),
            ]))
        }

        async fn logout_user(&self) -> Reply<String, Never> {
            Reply::ok("bye".to_owned())
        }

        async fn get_user_by_name(&self, username: String) -> Reply<User, GetUserByNameError> {
            Reply::ok(User {
                id: Some(1),
                username: Some(username),
                first_name: None,
                last_name: None,
                email: None,
                phone: None,
                user_status: None,
                created_on: None,
                tags: None,
            })
        }
    }

    #[tokio::test]
    async fn form_multipart_binary_and_text_travel_typed() {
        let sandbox = sandbox::serve(Echo).await.expect("the sandbox serves");
        let client = Client::new(sandbox.base_url())
            .expect("a valid base URL")
            .with_petstore_auth("sandbox-token");

        let form = UpdatePetWithFormBody {
            name: "Rex & Co".into(),
            status: Some(PetStatus::Pending),
        };
        let pet = client
            .update_pet_with_form(7, form)
            .await
            .expect("form body");
        assert_eq!((pet.id, pet.name.as_str()), (7, "Rex & Co"));
        assert_eq!(pet.status, Some(PetStatus::Pending));

        let image = client
            .upload_pet_image(7, vec![1u8, 2, 3])
            .additional_metadata("front view")
            .await
            .expect("binary body");
        assert_eq!(image.code, Some(3));
        assert_eq!(image.message.as_deref(), Some("pet 7: front view"));

        let document = UploadPetDocumentBody {
            file: Bytes::from_static(b"vaccinated"),
            description: Some("record".into()),
        };
        let stored = client
            .upload_pet_document(7, document)
            .await
            .expect("multipart body");
        assert_eq!(
            stored.message.as_deref(),
            Some("pet 7: record = vaccinated")
        );

        let photo = client.get_pet_photo(7).await.expect("binary reply");
        assert_eq!(&photo[..], b"\x89PNG\x07");
        assert_eq!(client.logout_user().await.expect("text reply"), "bye");
        let user = client
            .get_user_by_name("ada l/ø")
            .await
            .expect("encoded path");
        assert_eq!(user.username.as_deref(), Some("ada l/ø"));
    }
}

/// Paginated operations of other styles, from the paging zoo's sandbox.
mod paging_styles {
    use futures::TryStreamExt;
    use tether::sandbox::Reply;
    use tether_tests::sandboxed::paging::{
        sandbox, Client, QueryThingsResponse, SearchThingsBody, SearchThingsResponse,
        SearchThingsResponsePaging, SearchThingsResponsePagingNext, Thing,
    };

    type Never = std::convert::Infallible;

    /// Five things, listed two at a time in every style.
    struct Zoo(Vec<Thing>);

    impl Zoo {
        fn new() -> Zoo {
            Zoo((1..=5)
                .map(|index| Thing {
                    id: format!("t{index}"),
                    name: format!("thing {index}"),
                })
                .collect())
        }

        /// The things from `start`, at most `limit`, and where the next page starts.
        fn page(&self, start: usize, limit: usize) -> (Vec<Thing>, Option<usize>) {
            let end = (start + limit).min(self.0.len());
            let page = self.0.get(start..end).unwrap_or_default().to_vec();
            (page, (end < self.0.len()).then_some(end))
        }
    }

    impl sandbox::Api for Zoo {
        async fn search_things(
            &self,
            body: SearchThingsBody,
        ) -> Reply<SearchThingsResponse, Never> {
            let start = body.after.and_then(|after| after.parse().ok()).unwrap_or(0);
            let limit = body.limit.and_then(|limit| usize::try_from(limit).ok());
            let (results, next) = self.page(start, limit.unwrap_or(2));
            Reply::ok(SearchThingsResponse {
                total: Some(5),
                results,
                paging: next.map(|next| SearchThingsResponsePaging {
                    next: Some(SearchThingsResponsePagingNext {
                        after: next.to_string(),
                        link: None,
                    }),
                }),
            })
        }

        async fn list_things_github(
            &self,
            per_page: Option<i64>,
            page: Option<i64>,
        ) -> Reply<Vec<Thing>, Never> {
            let per_page = per_page.unwrap_or(2);
            let page = page.unwrap_or(1);
            let start = usize::try_from((page - 1) * per_page).unwrap_or(0);
            let (things, next) = self.page(start, usize::try_from(per_page).unwrap_or(2));
            let reply = Reply::ok(things);
            match next {
                Some(_) => reply.with_header(
                    "link",
                    format!(
                        "</github/things?per_page={per_page}&page={}>; rel=\"next\"",
                        page + 1
                    ),
                ),
                None => reply,
            }
        }

        async fn query_things(&self, q: String) -> Reply<QueryThingsResponse, Never> {
            let start = q
                .strip_prefix("from ")
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let (records, next) = self.page(start, 2);
            Reply::ok(QueryThingsResponse {
                done: next.is_none(),
                total_size: 5,
                next_records_url: next.map(|next| format!("/salesforce/query?q=from%20{next}")),
                records,
            })
        }
    }

    #[tokio::test]
    async fn cursor_link_header_and_next_url_listings_page_through_the_sandbox() {
        let sandbox = sandbox::serve(Zoo::new())
            .await
            .expect("the sandbox serves");
        let client = Client::new(sandbox.base_url()).expect("a valid base URL");
        let everything: Vec<Thing> = Zoo::new().0;

        let body = SearchThingsBody {
            query: None,
            limit: Some(2),
            after: None,
        };
        let searched: Vec<Thing> = client
            .search_things(body)
            .items()
            .try_collect()
            .await
            .expect("search");
        assert_eq!(searched, everything);
        assert_eq!(sandbox.requests("searchThings"), 3);

        let linked: Vec<Thing> = client
            .list_things_github()
            .items()
            .try_collect()
            .await
            .expect("links");
        assert_eq!(linked, everything);
        assert_eq!(sandbox.requests("listThingsGithub"), 3);

        let queried: Vec<Thing> = client
            .query_things("all")
            .items()
            .try_collect()
            .await
            .expect("query");
        assert_eq!(queried, everything);
        assert_eq!(sandbox.requests("queryThings"), 3);
    }
}
