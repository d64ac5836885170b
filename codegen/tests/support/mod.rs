//! What the generator's integration tests share.

use std::path::Path;

use tether_codegen::ir::{Api, Selection};
use tether_codegen::load::load_value;

/// The model of `document`, read as if from the file `name` (which relative `$ref`s
/// start from).
pub fn lowered(document: serde_json::Value, name: &str) -> Api {
    let loaded = load_value(document, Path::new(name)).expect("the document loads");
    tether_codegen::lower(&loaded, &Selection::default()).expect("the document lowers")
}
