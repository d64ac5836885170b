#[tether::integration(spec = "../../../../specs/petstore.yaml")]
pub mod petstore {}

fn main() {
    let client = petstore::Client::new("http://localhost:8080").unwrap();
    let _ = client.get_pet_by_id();
}
