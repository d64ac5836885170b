// A spec path that leads nowhere is reported with the file it looked for.
#[tether::integration(spec = "../../../../specs/no-such-spec.yaml")]
pub mod petstore {}

fn main() {}
