// A spec that is not valid YAML is reported with its file and line.
#[tether::integration(spec = "../../../../tests/ui/specs/broken.yaml")]
pub mod broken {}

fn main() {}
