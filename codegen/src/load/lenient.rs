//! Reading the JSON document into the `openapiv3` model without losing the whole document
//! to one odd node. Each path item and component is read on its own; a node that does
//! not fit the model is repaired where it is (its broken children first, then the one
//! key that breaks it), and a schema that still does not fit becomes "any JSON value".
//! Every repair leaves a [`Note`].

use openapiv3::{
    Header, MediaType, OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response,
    Schema, Tag,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::position::{Dialect, Position};
use crate::diagnostics::{pointer_push, Note};

/// The extension a repaired schema carries, so that the type's docs can say why it is
/// "any JSON value".
pub(crate) const DEGRADED: &str = "x-tether-degraded";

fn fits<'a, T: Deserialize<'a>>(value: &'a Value) -> Result<(), String> {
    T::deserialize(value)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// Whether `value` reads as the model type of `position`, and the reader's complaint if not.
fn check(position: Position, value: &Value) -> Result<(), String> {
    match position {
        Position::Document => fits::<OpenAPI>(value),
        Position::PathItem => fits::<ReferenceOr<PathItem>>(value),
        Position::Operation => fits::<Operation>(value),
        Position::Parameter => fits::<ReferenceOr<Parameter>>(value),
        Position::RequestBody => fits::<ReferenceOr<RequestBody>>(value),
        Position::Response => fits::<ReferenceOr<Response>>(value),
        Position::MediaType => fits::<MediaType>(value),
        Position::Header => fits::<ReferenceOr<Header>>(value),
        Position::Schema => fits::<ReferenceOr<Schema>>(value),
        Position::Tag => fits::<Tag>(value),
        _ => Ok(()),
    }
}

/// Whether nodes at `position` are read as a model type of their own.
fn has_model(position: Position) -> bool {
    matches!(
        position,
        Position::Document
            | Position::PathItem
            | Position::Operation
            | Position::Parameter
            | Position::RequestBody
            | Position::Response
            | Position::MediaType
            | Position::Header
            | Position::Schema
            | Position::Tag
    )
}

/// Repairs `node` until it reads as the model type of `position`. Returns `false` when it
/// cannot be repaired and its parent should drop it.
fn repair(node: &mut Value, position: Position, pointer: &str, notes: &mut Vec<Note>) -> bool {
    if position == Position::Opaque {
        return true;
    }
    if !has_model(position) {
        // A map or list of model nodes: repair what is inside.
        repair_children(node, position, pointer, notes);
        return true;
    }
    let Err(complaint) = check(position, node) else {
        return true;
    };
    repair_children(node, position, pointer, notes);
    if check(position, node).is_ok() {
        return true;
    }
    if let Value::Object(map) = node {
        let keys: Vec<String> = map.keys().cloned().collect();
        for key in keys {
            let Some(removed) = map.shift_remove(&key) else {
                continue;
            };
            if check(position, &Value::Object(map.clone())).is_ok() {
                let message =
                    format!("ignored `{key}`, which does not fit OpenAPI 3.0 here ({complaint})");
                notes.push(Note::new(pointer_push(pointer, &key), message));
                return true;
            }
            map.insert(key, removed);
        }
    }
    match position {
        Position::Schema => {
            let description = node.get("description").filter(|d| d.is_string()).cloned();
            let mut any = Map::new();
            if let Some(description) = description {
                any.insert("description".to_owned(), description);
            }
            let message =
                format!("schema could not be read ({complaint}); typed as any JSON value");
            any.insert(DEGRADED.to_owned(), Value::String(message.clone()));
            *node = Value::Object(any);
            notes.push(Note::new(pointer, message));
            true
        }
        Position::Operation => {
            *node = minimal_operation(node);
            let message = format!("operation could not be read ({complaint}); kept without parameters or typed responses");
            notes.push(Note::new(pointer, message));
            true
        }
        _ => false,
    }
}

fn repair_children(node: &mut Value, position: Position, pointer: &str, notes: &mut Vec<Note>) {
    match node {
        Value::Object(map) => {
            let mut dropped = Vec::new();
            for (key, child) in map.iter_mut() {
                let child_position = position.child(key, Dialect::OpenApi3);
                let child_pointer = pointer_push(pointer, key);
                if !repair(child, child_position, &child_pointer, notes) {
                    dropped.push((key.clone(), child_pointer));
                }
            }
            for (key, child_pointer) in dropped {
                map.shift_remove(&key);
                notes.push(Note::new(
                    child_pointer,
                    "ignored: does not fit OpenAPI 3.0",
                ));
            }
        }
        Value::Array(items) => {
            let mut dropped = Vec::new();
            for (index, child) in items.iter_mut().enumerate() {
                let key = index.to_string();
                let child_position = position.child(&key, Dialect::OpenApi3);
                let child_pointer = pointer_push(pointer, &key);
                if !repair(child, child_position, &child_pointer, notes) {
                    dropped.push((index, child_pointer));
                }
            }
            for (index, child_pointer) in dropped.into_iter().rev() {
                items.remove(index);
                notes.push(Note::new(
                    child_pointer,
                    "ignored: does not fit OpenAPI 3.0",
                ));
            }
        }
        _ => {}
    }
}

/// What is left of an operation that cannot be read: its identity and a catch-all response.
fn minimal_operation(node: &Value) -> Value {
    let mut kept = Map::new();
    for key in [
        "operationId",
        "summary",
        "description",
        "tags",
        "deprecated",
    ] {
        if let Some(value) = node.get(key) {
            let fits = match key {
                "tags" => value
                    .as_array()
                    .is_some_and(|tags| tags.iter().all(Value::is_string)),
                "deprecated" => value.is_boolean(),
                _ => value.is_string(),
            };
            if fits {
                kept.insert(key.to_owned(), value.clone());
            }
        }
    }
    let default = serde_json::json!({"default": {"description": "any response"}});
    kept.insert("responses".to_owned(), default);
    Value::Object(kept)
}

/// Reads one repaired node into its model type.
fn read<T: DeserializeOwned>(
    mut node: Value,
    position: Position,
    pointer: &str,
    notes: &mut Vec<Note>,
) -> Option<T> {
    if !repair(&mut node, position, pointer, notes) {
        notes.push(Note::new(pointer, "ignored: does not fit OpenAPI 3.0"));
        return None;
    }
    serde_json::from_value(node).ok()
}

fn take_object(document: &mut Value, key: &str) -> Map<String, Value> {
    match document.get_mut(key).map(Value::take) {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// Reads a document already in the OpenAPI 3.0 shape into the model.
pub(crate) fn read_document(mut document: Value, notes: &mut Vec<Note>) -> OpenAPI {
    let paths = take_object(&mut document, "paths");
    let mut components = take_object(&mut document, "components");
    if let Value::Object(map) = &mut document {
        map.insert("paths".to_owned(), Value::Object(Map::new()));
    }
    let mut api: OpenAPI =
        read(document, Position::Document, "", notes).unwrap_or_else(|| OpenAPI {
            openapi: "3.0.3".to_owned(),
            ..OpenAPI::default()
        });
    for (path, item) in paths {
        let pointer = pointer_push("/paths", &path);
        if path.starts_with("x-") {
            continue;
        }
        if let Some(item) = read::<ReferenceOr<PathItem>>(item, Position::PathItem, &pointer, notes)
        {
            api.paths.paths.insert(path, item);
        }
    }
    let mut section = |name: &str| {
        let pointer = pointer_push("/components", name);
        (take_object_map(&mut components, name), pointer)
    };
    let mut model = openapiv3::Components::default();
    let (schemas, at) = section("schemas");
    model.schemas = read_map(schemas, Position::Schema, &at, notes);
    let (parameters, at) = section("parameters");
    model.parameters = read_map(parameters, Position::Parameter, &at, notes);
    let (bodies, at) = section("requestBodies");
    model.request_bodies = read_map(bodies, Position::RequestBody, &at, notes);
    let (responses, at) = section("responses");
    model.responses = read_map(responses, Position::Response, &at, notes);
    let (headers, at) = section("headers");
    model.headers = read_map(headers, Position::Header, &at, notes);
    let (schemes, at) = section("securitySchemes");
    model.security_schemes = read_map(schemes, Position::Opaque, &at, notes);
    api.components = Some(model);
    api
}

fn take_object_map(components: &mut Map<String, Value>, key: &str) -> Map<String, Value> {
    match components.get_mut(key).map(Value::take) {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

fn read_map<T: DeserializeOwned>(
    entries: Map<String, Value>,
    position: Position,
    pointer: &str,
    notes: &mut Vec<Note>,
) -> indexmap::IndexMap<String, T> {
    let mut model = indexmap::IndexMap::with_capacity(entries.len());
    for (name, entry) in entries {
        let entry_pointer = pointer_push(pointer, &name);
        let value = if position == Position::Opaque {
            let complaint = fits::<T>(&entry).err();
            match complaint {
                None => serde_json::from_value(entry).ok(),
                Some(complaint) => {
                    notes.push(Note::new(&entry_pointer, format!("ignored: {complaint}")));
                    None
                }
            }
        } else {
            read(entry, position, &entry_pointer, notes)
        };
        if let Some(value) = value {
            model.insert(name, value);
        }
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_bad_schema_becomes_any_and_the_rest_survives() {
        let document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "Good": {"type": "object", "properties": {"a": {"type": "string"}}},
                "Odd": {"type": "object", "properties": {
                    "fine": {"type": "integer"},
                    "broken": {"type": "string", "required": true}
                }}
            }}
        });
        let mut notes = Vec::new();
        let api = read_document(document, &mut notes);
        let schemas = &api.components.unwrap().schemas;
        assert_eq!(schemas.len(), 2);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(
            notes[0].pointer,
            "/components/schemas/Odd/properties/broken/required"
        );
    }

    #[test]
    fn a_map_valued_tag_description_loses_only_the_description() {
        let document = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "tags": [{"name": "Apps", "description": {"$ref": "desc.md"}}],
            "paths": {"/a": {"get": {"operationId": "a", "tags": ["Apps"], "responses": {"200": {"description": "ok"}}}}}
        });
        let mut notes = Vec::new();
        let api = read_document(document, &mut notes);
        assert_eq!(api.tags.len(), 1);
        assert_eq!(api.tags[0].name, "Apps");
        assert_eq!(api.paths.paths.len(), 1);
        assert_eq!(notes[0].pointer, "/tags/0/description");
    }

    #[test]
    fn an_unreadable_operation_is_kept() {
        let document = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": "a", "responses": 7}}}
        });
        let mut notes = Vec::new();
        let api = read_document(document, &mut notes);
        let ReferenceOr::Item(item) = &api.paths.paths["/a"] else {
            panic!("inlined")
        };
        assert_eq!(
            item.get.as_ref().and_then(|op| op.operation_id.as_deref()),
            Some("a")
        );
    }
}
