//! OpenAPI 3.0 documents that write a JSON Schema keyword 3.0 does not have: real specs
//! use `patternProperties` in 3.0 too (Supabase's), and the 3.0 reader would drop it
//! without a word. It is read as for 3.1, with the same note.

use serde_json::Value;

use super::openapi31::pattern_properties;
use super::position::{children_mut, Dialect, Position};
use crate::diagnostics::{push_segment, Note};

/// Reads the 3.1 keywords of the schemas in `document` as their 3.0 forms.
pub(crate) fn repair(document: &mut Value, notes: &mut Vec<Note>) {
    // Most documents have none: a plain search first spares them the walk below, which
    // writes the pointer of every node it passes.
    if has_key(document, PATTERN_PROPERTIES) {
        walk(document, Position::Document, &mut String::new(), notes);
    }
}

const PATTERN_PROPERTIES: &str = "patternProperties";

/// Whether an object anywhere in `node` has `key`.
fn has_key(node: &Value, key: &str) -> bool {
    match node {
        Value::Object(map) => {
            map.contains_key(key) || map.values().any(|child| has_key(child, key))
        }
        Value::Array(items) => items.iter().any(|child| has_key(child, key)),
        _ => false,
    }
}

/// `pointer` is where `node` is, extended for its children and cut back after each.
fn walk(node: &mut Value, position: Position, pointer: &mut String, notes: &mut Vec<Note>) {
    if let (Value::Object(map), Position::Schema) = (&mut *node, position) {
        if let Some(message) = pattern_properties(map) {
            notes.push(Note::new(pointer.clone(), message));
        }
    }
    let length = pointer.len();
    for (key, child) in children_mut(node) {
        let child_position = position.child(&key, Dialect::OpenApi3);
        if child_position != Position::Opaque {
            push_segment(pointer, &key);
            walk(child, child_position, pointer, notes);
            pointer.truncate(length);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn pattern_properties_become_the_maps_values() {
        let mut document = json!({
            "openapi": "3.0.3",
            "components": {"schemas": {"Settings": {"type": "object", "properties": {
                "external": {"type": "object", "patternProperties": {".+": {"type": "boolean"}}}
            }}}},
            "paths": {"/x": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"example": {"patternProperties": 1}}}}}}}}
        });
        let mut notes = Vec::new();
        repair(&mut document, &mut notes);
        assert!(has_key(
            &json!({"a": [{"b": {"patternProperties": {}}}]}),
            PATTERN_PROPERTIES
        ));
        assert!(!has_key(
            &json!({"a": [{"b": "patternProperties"}]}),
            PATTERN_PROPERTIES
        ));
        assert_eq!(
            document["components"]["schemas"]["Settings"]["properties"]["external"],
            json!({"type": "object", "additionalProperties": {"type": "boolean"}})
        );
        let example = &document["paths"]["/x"]["get"]["responses"]["200"]["content"];
        assert_eq!(
            example["application/json"]["example"],
            json!({"patternProperties": 1}),
            "examples are data"
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(
            notes[0].pointer,
            "/components/schemas/Settings/properties/external"
        );
    }
}
