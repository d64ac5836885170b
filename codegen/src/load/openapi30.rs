//! OpenAPI 3.0 documents that write JSON Schema as 3.1 does: real specs use
//! `patternProperties` in 3.0 too (Supabase's), a list of types (Discourse's
//! `type: [string, "null"]`), the array form of `items` or numeric exclusive bounds, and
//! the 3.0 reader would drop them, the type with the schema's shape. They are read as for
//! 3.1, with the same notes.

use serde_json::Value;

use super::lean::Tree;
use super::openapi31::{pattern_properties, schema_keywords_of_31};
use super::position::{children_mut, Dialect, Position};
use crate::diagnostics::{push_segment, Note};

/// Reads the 3.1 keywords of the schemas in `document` as their 3.0 forms. The walk writes
/// the pointer of every node it passes, so it is run only where the survey found something
/// to repair (see [`super::survey`]).
pub(crate) fn repair(document: &mut Value, notes: &mut Vec<Note>) {
    walk(document, Position::Document, &mut String::new(), notes);
}

const PATTERN_PROPERTIES: &str = "patternProperties";

/// Whether `map`, read as a schema, has a keyword in its 3.1 form.
pub(crate) fn is_31_form<N: Tree>(schema: &N) -> bool {
    schema
        .entries()
        .is_some_and(|mut entries| entries.any(|(key, value)| is_31_keyword(key, value)))
}

/// Whether `key: value` is a schema keyword in its 3.1 form.
fn is_31_keyword<N: Tree>(key: &str, value: &N) -> bool {
    match key {
        PATTERN_PROPERTIES => true,
        "type" => value.items().is_some() || value.as_str() == Some("null"),
        "items" => value.items().is_some(),
        "exclusiveMinimum" | "exclusiveMaximum" => value.as_number().is_some(),
        _ => false,
    }
}

/// `pointer` is where `node` is, extended for its children and cut back after each.
fn walk(node: &mut Value, position: Position, pointer: &mut String, notes: &mut Vec<Note>) {
    let is_31_schema = position == Position::Schema && is_31_form(&*node);
    if let (Value::Object(map), true) = (&mut *node, is_31_schema) {
        schema_keywords_of_31(map, pointer, notes);
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

    #[test]
    fn types_items_and_bounds_in_their_3_1_forms_are_read_as_in_3_1() {
        let mut document = json!({
            "openapi": "3.0.3",
            "components": {"schemas": {"Topic": {"type": "object", "properties": {
                "title": {"type": ["string", "null"]},
                "tags": {"type": "array", "items": [{"type": "string"}]},
                "count": {"type": "integer", "exclusiveMinimum": 0}
            }}}},
            "paths": {"/x": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"example": {"type": ["a", "b"]}}}}}}}}
        });
        let mut notes = Vec::new();
        repair(&mut document, &mut notes);
        let properties = &document["components"]["schemas"]["Topic"]["properties"];
        assert_eq!(
            properties["title"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            properties["tags"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            properties["count"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        let example = &document["paths"]["/x"]["get"]["responses"]["200"]["content"];
        assert_eq!(
            example["application/json"]["example"],
            json!({"type": ["a", "b"]})
        );
        let pointers: Vec<&str> = notes.iter().map(|note| note.pointer.as_str()).collect();
        assert_eq!(pointers, ["/components/schemas/Topic/properties/tags"]);
    }
}
