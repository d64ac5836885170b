#[tether::integration(spec = "../../../../specs/no-such-spec.yaml")]
pub mod petstore {}

fn main() {}
