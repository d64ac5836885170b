// Only operations the spec defines have methods.
#[tether::integration(spec = "../../../../specs/petstore.yaml")]
pub mod petstore {}

fn main() -> Result<(), tether::ConfigError> {
    let client = petstore::Client::new("http://localhost:8080")?;
    let _ = client.fly_pet(1);
    Ok(())
}
