// A misspelt option is reported where it is written, with the valid ones.
#[tether::integration(spec = "../../../../specs/petstore.yaml", operation = ["getPetById"])]
pub mod petstore {}

fn main() {}
