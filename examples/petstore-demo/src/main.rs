//! The pet store client generated from `specs/petstore.yaml`, talking to a small pet
//! store served in this process on a loopback port.

use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

#[tether::integration(spec = "../../specs/petstore.yaml")]
pub mod petstore {}

type Pets = Arc<Mutex<Vec<Value>>>;

/// A pet store that keeps its pets in memory.
fn store() -> Router {
    let pets: Pets = Arc::new(Mutex::new(Vec::new()));
    Router::new()
        .route("/v1/pets", get(list_pets).post(add_pet))
        .route("/v1/pets/{id}", get(get_pet))
        .with_state(pets)
}

async fn list_pets(State(pets): State<Pets>) -> Json<Value> {
    let pets = pets.lock().map(|pets| pets.clone()).unwrap_or_default();
    Json(json!({ "results": pets }))
}

async fn add_pet(
    State(pets): State<Pets>,
    Json(new_pet): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let Ok(mut pets) = pets.lock() else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"code": 500, "message": "store unavailable"})),
        );
    };
    let pet = json!({
        "id": pets.len() as i64 + 1,
        "name": new_pet["name"],
        "status": new_pet.get("status").cloned().unwrap_or(json!("available")),
    });
    pets.push(pet.clone());
    (StatusCode::CREATED, Json(pet))
}

async fn get_pet(State(pets): State<Pets>, Path(id): Path<i64>) -> (StatusCode, Json<Value>) {
    let found = pets
        .lock()
        .ok()
        .and_then(|pets| pets.iter().find(|pet| pet["id"] == id).cloned());
    match found {
        Some(pet) => (StatusCode::OK, Json(pet)),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"code": 404, "message": format!("no pet {id}")})),
        ),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, store()).await });

    let client =
        petstore::Client::new(&format!("http://{address}/v1"))?.with_petstore_auth("demo-token");
    for name in ["Rex", "Tom"] {
        let pet = client
            .add_pet(petstore::NewPet {
                name: name.to_owned(),
                status: Some(petstore::PetStatus::Available),
                tag: None,
            })
            .await?;
        println!("added pet {} ({})", pet.id, pet.name);
    }
    let page = client.list_pets().limit(10).await?;
    println!("the store has {} pets", page.results.len());
    let rex = client.get_pet_by_id(1).await?;
    println!("pet 1 is {} with status {:?}", rex.name, rex.status);
    match client.get_pet_by_id(99).await {
        Err(tether::Error::Api {
            status,
            body: petstore::GetPetByIdError::NotFound(error),
            ..
        }) => {
            println!("pet 99: {status}: {}", error.message)
        }
        other => println!("pet 99: unexpected {other:?}"),
    }
    Ok(())
}
