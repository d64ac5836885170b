// With `operations = [..]`, only the selected operations have methods.
#[tether::integration(spec = "../../../../specs/petstore.yaml", operations = ["getPetById"])]
pub mod petstore {}

fn main() -> Result<(), tether::ConfigError> {
    let client = petstore::Client::new("http://localhost:8080")?;
    let _ = client.get_pet_by_id(42);
    let _ = client.add_pet();
    Ok(())
}
