// Selecting an operation the spec lacks is reported at that name, with the spec's operations.
#[tether::integration(spec = "../../../../specs/petstore.yaml", operations = ["getPetById", "noSuchOp"])]
pub mod petstore {}

fn main() {}
