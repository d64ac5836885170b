// A required request body is an argument of the method: it cannot be left out.
#[tether::integration(spec = "../../../../specs/petstore.yaml")]
pub mod petstore {}

fn main() -> Result<(), tether::ConfigError> {
    let client = petstore::Client::new("http://localhost:8080")?;
    let _ = client.add_pet();
    Ok(())
}
