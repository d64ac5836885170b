// A `$ref` into another file that leads nowhere is reported with the file and JSON
// pointer of the `$ref`.
#[tether::integration(spec = "../../../../tests/ui/specs/split/openapi.yaml")]
pub mod split {}

fn main() {}
