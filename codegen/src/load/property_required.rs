//! `required: true` written on a property instead of in its object's `required` list, a
//! common mistake in specs of every version (Spotify's, Meilisearch's, many Swagger 2.0
//! ones). Its intent is clear, so the name moves to the list rather than being dropped.

use serde_json::{Map, Value};

use crate::diagnostics::{pointer_push, Note};

/// The note left at each property's `required` that was moved.
const MOVED: &str = "`required` belongs in the object's `required` list; moved there";

/// [`lift`] for the schema at `pointer`, with a note at each property's `required` it
/// took off.
pub(crate) fn lift_noted(schema: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    for name in lift(schema) {
        let property = pointer_push(&pointer_push(pointer, "properties"), &name);
        notes.push(Note::new(pointer_push(&property, "required"), MOVED));
    }
}

/// Takes a boolean `required` off every property of the object schema `schema` and adds
/// the names of those that said `true` to the schema's `required` list (made if missing,
/// names already there kept once). Returns the names of the properties it took one off,
/// in order, for the caller's notes.
fn lift(schema: &mut Map<String, Value>) -> Vec<String> {
    let Some(Value::Object(properties)) = schema.get_mut("properties") else {
        return Vec::new();
    };
    let mut moved = Vec::new();
    let mut newly_required = Vec::new();
    for (name, property) in properties.iter_mut() {
        let Value::Object(property) = property else {
            continue;
        };
        if let Some(Value::Bool(required)) = super::keys::field(property, "required") {
            if *required {
                newly_required.push(Value::from(name.as_str()));
            }
            property.shift_remove("required");
            moved.push(name.clone());
        }
    }
    if newly_required.is_empty() {
        return moved;
    }
    match schema.get_mut("required") {
        Some(Value::Array(required)) => {
            for name in newly_required {
                if !required.contains(&name) {
                    required.push(name);
                }
            }
        }
        _ => {
            schema.insert("required".to_owned(), Value::Array(newly_required));
        }
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lifted(mut schema: Value) -> (Value, Vec<String>) {
        let moved = lift(schema.as_object_mut().expect("an object"));
        (schema, moved)
    }

    #[test]
    fn true_joins_the_list_and_false_is_only_taken_off() {
        let (schema, moved) = lifted(json!({
            "type": "object",
            "properties": {
                "id": {"type": "string", "required": true},
                "note": {"type": "string", "required": false},
                "size": {"type": "integer"}
            }
        }));
        assert_eq!(moved, ["id", "note"]);
        assert_eq!(schema["required"], json!(["id"]));
        assert_eq!(schema["properties"]["id"], json!({"type": "string"}));
        assert_eq!(schema["properties"]["note"], json!({"type": "string"}));
    }

    #[test]
    fn an_existing_list_gains_only_names_it_lacks() {
        let (schema, moved) = lifted(json!({
            "required": ["id"],
            "properties": {
                "id": {"required": true},
                "name": {"required": true},
                "tags": {"type": "array", "required": ["x"]}
            }
        }));
        assert_eq!(moved, ["id", "name"]);
        assert_eq!(schema["required"], json!(["id", "name"]));
        // A list under a property is that property's own object's list: not touched.
        assert_eq!(schema["properties"]["tags"]["required"], json!(["x"]));
    }

    #[test]
    fn a_schema_without_properties_is_left_alone() {
        let (schema, moved) = lifted(json!({"type": "string", "required": true}));
        assert!(moved.is_empty());
        assert_eq!(schema, json!({"type": "string", "required": true}));
    }
}
