// Selecting a tag the spec lacks is reported at that name, with the spec's tags.
#[tether::integration(spec = "../../../../specs/petstore.yaml", tags = ["pet", "pets"])]
pub mod petstore {}

fn main() {}
