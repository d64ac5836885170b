// An enum parameter takes the generated enum, not free strings.
#[tether::integration(spec = "../../../../specs/petstore.yaml")]
pub mod petstore {}

fn main() -> Result<(), tether::ConfigError> {
    let client = petstore::Client::new("http://localhost:8080")?;
    let _ = client.find_pets_by_status().status(vec!["available"]);
    Ok(())
}
