// An operation without a request body takes none, as an argument or through `.body(..)`.
#[tether::integration(spec = "../../../../specs/petstore.yaml")]
pub mod petstore {}

fn main() -> Result<(), tether::ConfigError> {
    let client = petstore::Client::new("http://localhost:8080")?;
    let pet = petstore::NewPet {
        name: "Rex".to_owned(),
        tag: None,
        status: None,
    };
    let _ = client.get_inventory(pet.clone());
    let _ = client.get_pet_by_id(42).body(pet);
    Ok(())
}
