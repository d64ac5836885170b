#[tether::integration(spec = "../../../../specs/petstore.yaml", operation = ["getPetById"])]
pub mod petstore {}

fn main() {}
