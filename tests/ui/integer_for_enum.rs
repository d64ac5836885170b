// An integer enum parameter takes the generated enum, not any integer.
#[tether::integration(spec = "../../../../specs/petstore.yaml")]
pub mod petstore {}

fn main() -> Result<(), tether::ConfigError> {
    let client = petstore::Client::new("http://localhost:8080")?;
    let _ = client.get_inventory().window_days(45);
    Ok(())
}
