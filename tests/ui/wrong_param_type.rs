// A path parameter has the type its schema gives (`integer`/`int64` here), not any type.
#[tether::integration(spec = "../../../../specs/petstore.yaml")]
pub mod petstore {}

fn main() -> Result<(), tether::ConfigError> {
    let client = petstore::Client::new("http://localhost:8080")?;
    let _ = client.get_pet_by_id("42");
    Ok(())
}
