//! Reading the JSON document into the model (see [`super::model`]) without losing the
//! whole document to one odd node. Each path item and component is read on its own; a node
//! that does not fit the model is repaired where it is (its broken children first, then
//! the one key that breaks it), and a schema that still does not fit becomes "any JSON
//! value".
//! Every repair leaves a [`Note`]. The document is a `Value` or a lean tree
//! ([`OwnedTree`]); repairs are made on a `Value`, into which a lean node converts.

use openapiv3::{
    Header, MediaType, OpenAPI, Operation, Parameter, RequestBody, Response, Schema,
    SecurityScheme, Tag,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::direct::Direct;
use super::lean::OwnedTree;
use super::model::{Components, Document, Map as ModelMap, PathItem, ReferenceOr};
use super::position::{nested, Dialect, Position};
use super::{additional_operation_pointer, describe, property_required, ADDITIONAL_OPERATIONS};
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
        Position::PathItem => fits::<ReferenceOr<openapiv3::PathItem>>(value),
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

/// How deep schemas may nest in a node that is checked whole before anything inside it is
/// repaired. A failed check costs time exponential in the depth of the broken schema (the
/// model's untagged enums make serde try every variant, each reading the whole subtree,
/// at every level): two to this power is the worst case, and real specs nest less.
const CHECK_WHOLE_MAX_DEPTH: usize = 8;

/// Repairs `node` until it reads as the model type of `position`. Returns `false` when it
/// cannot be repaired and its parent should drop it.
///
/// A node with shallow schemas is first checked whole: most read as they are. Otherwise
/// what is inside is repaired first, and `node` is then checked with the schemas inside it
/// stood in for (see [`hollow`]), which costs only the size of its own part.
fn repair(node: &mut Value, position: Position, pointer: &str, notes: &mut Vec<Note>) -> bool {
    if position == Position::Opaque {
        return true;
    }
    if position == Position::Parameters && node.get("in").is_some() {
        // Meilisearch writes one parameter object where the list of them belongs: read as
        // a list of one, not as a list whose every entry (`name`, `in`, ...) is broken.
        *node = Value::Array(vec![std::mem::take(node)]);
        let message = "one parameter object where a list of them belongs; read as a list of one";
        notes.push(Note::new(pointer, message));
    }
    if checked_whole(node, position) && check(position, node).is_ok() {
        return true;
    }
    repair_parts(node, position, pointer, notes)
}

/// Whether `node` is first checked whole (see [`repair`]).
fn checked_whole(node: &Value, position: Position) -> bool {
    has_model(position) && shallow(node, position)
}

/// Whether the schemas in `node` nest no deeper than serde may be asked to read at once
/// (see [`CHECK_WHOLE_MAX_DEPTH`]).
pub(crate) fn shallow(node: &Value, position: Position) -> bool {
    schema_depth(node, position, CHECK_WHOLE_MAX_DEPTH) <= CHECK_WHOLE_MAX_DEPTH
}

/// [`repair`] past the check of the whole node: its children first, then the node itself.
fn repair_parts(
    node: &mut Value,
    position: Position,
    pointer: &str,
    notes: &mut Vec<Note>,
) -> bool {
    if let (Position::Schema, Value::Object(schema)) = (position, &mut *node) {
        property_required::lift_noted(schema, pointer, notes);
    }
    repair_children(node, position, pointer, notes);
    if !has_model(position) {
        return true;
    }
    let mut hollowed = hollow(node, position);
    let Err(complaint) = check(position, &hollowed) else {
        return true;
    };
    if let (Value::Object(map), Value::Object(hollowed)) = (&mut *node, &mut hollowed) {
        let keys: Vec<String> = hollowed.keys().cloned().collect();
        for key in keys {
            let Some(removed) = hollowed.shift_remove(&key) else {
                continue;
            };
            if check(position, &Value::Object(hollowed.clone())).is_ok() {
                map.shift_remove(&key);
                let message =
                    format!("ignored `{key}`, which does not fit OpenAPI 3.0 here ({complaint})");
                notes.push(Note::new(pointer_push(pointer, &key), message));
                return true;
            }
            hollowed.insert(key, removed);
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

/// How deeply schemas nest in `node` (itself included), counted up to `limit + 1`.
fn schema_depth(node: &Value, position: Position, limit: usize) -> usize {
    let own = usize::from(position == Position::Schema);
    if own > limit {
        return own;
    }
    let deepest = nested(node, position, Dialect::OpenApi3)
        .map(|(child_position, child)| schema_depth(child, child_position, limit - own))
        .max()
        .unwrap_or(0);
    own + deepest
}

/// `node` with every schema object inside it replaced by `{}`. Once repaired, those schemas
/// read as the model, as `{}` does, so the check of `node` need not read them again.
fn hollow(node: &Value, position: Position) -> Value {
    let inner = |key: &str, child: &Value| match position.child(key, Dialect::OpenApi3) {
        Position::Schema if child.is_object() => Value::Object(Map::new()),
        Position::Opaque => child.clone(),
        child_position => hollow(child, child_position),
    };
    match node {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, child)| (key.clone(), inner(key, child)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, child)| inner(&index.to_string(), child))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn repair_children(node: &mut Value, position: Position, pointer: &str, notes: &mut Vec<Note>) {
    match node {
        Value::Object(map) => {
            let mut dropped = Vec::new();
            for (key, child) in map.iter_mut() {
                let child_position = position.child(key, Dialect::OpenApi3);
                // `additionalProperties: true` is not a schema, but the model reads it.
                if position == Position::Schema
                    && key == "additionalProperties"
                    && child.is_boolean()
                {
                    continue;
                }
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

/// Reads one node into its model type (`T`, the model of `position`), repaired if need be.
fn read<T: DeserializeOwned + Direct, N: OwnedTree>(
    node: N,
    position: Position,
    pointer: impl FnOnce() -> String,
    notes: &mut Vec<Note>,
) -> Option<T> {
    // Most nodes have the usual shape, which is read directly; serde reads the others (and
    // only they need the node's pointer written out, for their notes).
    T::direct(&node).or_else(|| read_by_serde(node.into_value(), position, &pointer(), notes))
}

/// [`read`] with the model's serde derive, for nodes of any shape.
fn read_by_serde<T: DeserializeOwned>(
    mut node: Value,
    position: Position,
    pointer: &str,
    notes: &mut Vec<Note>,
) -> Option<T> {
    // Most nodes read as they are: the check of the whole node is then the read itself,
    // and the node is read once rather than checked and read again.
    if checked_whole(&node, position) {
        if let Ok(model) = T::deserialize(&node) {
            return Some(model);
        }
    }
    if !repair_parts(&mut node, position, pointer, notes) {
        notes.push(Note::new(pointer, "ignored: does not fit OpenAPI 3.0"));
        return None;
    }
    serde_json::from_value(node).ok()
}

/// The entries of the object under `key` among `entries` (of an object written at
/// `pointer`), taken out as `serde_json::Map::remove` takes a key out (the last entry
/// takes its place); anything else there is noted and read as an empty object.
fn take_object<N: OwnedTree>(
    entries: &mut Vec<(String, N)>,
    key: &str,
    pointer: &str,
    notes: &mut Vec<Note>,
) -> Vec<(String, N)> {
    let Some(index) = entries.iter().position(|(listed, _)| listed == key) else {
        return Vec::new();
    };
    let (_, node) = entries.swap_remove(index);
    node.into_entries().unwrap_or_else(|other| {
        let found = describe(Some(&other.into_value()));
        let message = format!("expected an object but found {found}; read as an empty one");
        notes.push(Note::new(pointer_push(pointer, key), message));
        Vec::new()
    })
}

/// Reads a document already in the OpenAPI 3.0 shape into the model.
pub(crate) fn read_document<N: OwnedTree>(document: N, notes: &mut Vec<Note>) -> Document {
    // The references read below share their texts until the document is read.
    let _shared_references = super::direct::SharedReferences::start();
    let (paths, mut components, document) = match document.into_entries() {
        Ok(mut entries) => {
            let paths = take_object(&mut entries, "paths", "", notes);
            let components = take_object(&mut entries, "components", "", notes);
            let mut rest = Map::with_capacity(entries.len() + 1);
            for (key, value) in entries {
                rest.insert(key, value.into_value());
            }
            rest.insert("paths".to_owned(), Value::Object(Map::new()));
            (paths, components, Value::Object(rest))
        }
        Err(other) => (Vec::new(), Vec::new(), other.into_value()),
    };
    let mut api: Document = read_by_serde::<OpenAPI>(document, Position::Document, "", notes)
        .map_or_else(
            || Document {
                openapi: "3.0.3".to_owned(),
                ..Document::default()
            },
            Document::from,
        );
    api.paths.reserve(paths.len());
    for (path, mut item) in paths {
        if path.starts_with("x-") {
            continue;
        }
        let pointer = || pointer_push("/paths", &path);
        let additional = match item.take_field(ADDITIONAL_OPERATIONS).map(N::into_value) {
            Some(Value::Object(operations)) => operations,
            _ => Map::new(),
        };
        let Some(mut read) =
            read::<ReferenceOr<PathItem>, _>(item, Position::PathItem, pointer, notes)
        else {
            continue;
        };
        if let (ReferenceOr::Item(item), false) = (&mut read, additional.is_empty()) {
            let operations = read_additional_operations(additional, &pointer(), notes);
            item.extensions
                .insert(ADDITIONAL_OPERATIONS.to_owned(), Value::Object(operations));
        }
        api.paths.insert(path, read);
    }
    let mut section = |name: &str, notes: &mut Vec<Note>| {
        let pointer = pointer_push("/components", name);
        (
            take_object(&mut components, name, "/components", notes),
            pointer,
        )
    };
    let mut model = Components::default();
    let (schemas, at) = section("schemas", notes);
    model.schemas = read_map(schemas, Position::Schema, &at, notes);
    let (parameters, at) = section("parameters", notes);
    model.parameters = read_map(parameters, Position::Parameter, &at, notes);
    let (bodies, at) = section("requestBodies", notes);
    model.request_bodies = read_map(bodies, Position::RequestBody, &at, notes);
    let (responses, at) = section("responses", notes);
    model.responses = read_map(responses, Position::Response, &at, notes);
    let (headers, at) = section("headers", notes);
    model.headers = read_map(headers, Position::Header, &at, notes);
    let (schemes, at) = section("securitySchemes", notes);
    model.security_schemes = read_schemes(schemes, &at, notes);
    api.components = Some(model);
    api
}

/// The operations of [`ADDITIONAL_OPERATIONS`], each read (and repaired) as the other
/// operations are, and kept as the JSON of what was read, which lowering reads again.
fn read_additional_operations(
    operations: Map<String, Value>,
    path_item: &str,
    notes: &mut Vec<Note>,
) -> Map<String, Value> {
    let mut read_operations = Map::new();
    for (method, node) in operations {
        let pointer = additional_operation_pointer(path_item, &method);
        // Rare (OpenAPI 3.2), and kept as JSON: read by serde alone.
        let operation = read_by_serde::<Operation>(node, Position::Operation, &pointer, notes);
        if let Some(value) = operation.and_then(|operation| serde_json::to_value(operation).ok()) {
            read_operations.insert(method, value);
        }
    }
    read_operations
}

fn read_map<T: DeserializeOwned + Direct, N: OwnedTree>(
    entries: Vec<(String, N)>,
    position: Position,
    pointer: &str,
    notes: &mut Vec<Note>,
) -> ModelMap<String, T> {
    let mut model = ModelMap::with_capacity_and_hasher(entries.len(), Default::default());
    for (name, entry) in entries {
        if let Some(value) = read(entry, position, || pointer_push(pointer, &name), notes) {
            model.insert(name, value);
        }
    }
    model
}

/// The security schemes, each kept if it reads and otherwise noted: they have nothing
/// inside to repair.
fn read_schemes<N: OwnedTree>(
    entries: Vec<(String, N)>,
    pointer: &str,
    notes: &mut Vec<Note>,
) -> ModelMap<String, ReferenceOr<SecurityScheme>> {
    let mut model = ModelMap::with_capacity_and_hasher(entries.len(), Default::default());
    for (name, entry) in entries {
        match serde_json::from_value(entry.into_value()) {
            Ok(scheme) => {
                model.insert(name, scheme);
            }
            Err(complaint) => notes.push(Note::new(
                pointer_push(pointer, &name),
                format!("ignored: {complaint}"),
            )),
        }
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{SchemaKind, Type};
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
                    "broken": {"type": "string", "minLength": "one"}
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
            "/components/schemas/Odd/properties/broken/minLength"
        );
    }

    #[test]
    fn required_written_on_a_property_moves_to_the_object() {
        let document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "Odd": {"type": "object", "required": ["fine"], "properties": {
                    "fine": {"type": "integer"},
                    "named": {"type": "string", "required": true},
                    "optional": {"type": "string", "required": false}
                }}
            }}
        });
        let mut notes = Vec::new();
        let api = read_document(document, &mut notes);
        let Some(ReferenceOr::Item(odd)) = api.components.unwrap().schemas.shift_remove("Odd")
        else {
            panic!("Odd was not read as a schema");
        };
        let SchemaKind::Type(Type::Object(object)) = odd.schema_kind else {
            panic!("Odd was not read as an object: {odd:?}");
        };
        assert_eq!(object.required, ["fine", "named"]);
        assert_eq!(object.properties.len(), 3);
        let pointers: Vec<&str> = notes.iter().map(|note| note.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/Odd/properties/named/required",
                "/components/schemas/Odd/properties/optional/required"
            ]
        );
    }

    #[test]
    fn a_section_that_is_no_object_is_noted_and_read_as_empty() {
        let document = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": 5,
            "components": {
                "schemas": ["Pet"],
                "parameters": {"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}}
            }
        });
        let mut notes = Vec::new();
        let api = read_document(document, &mut notes);
        assert!(api.paths.is_empty());
        assert_eq!(api.components.unwrap().parameters.len(), 1);
        let noted: Vec<(&str, &str)> = notes
            .iter()
            .map(|note| (note.pointer.as_str(), note.message.as_str()))
            .collect();
        assert_eq!(
            noted,
            [
                (
                    "/paths",
                    "expected an object but found the number 5; read as an empty one"
                ),
                (
                    "/components/schemas",
                    "expected an object but found a list; read as an empty one"
                ),
            ]
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
        assert_eq!(api.paths.len(), 1);
        assert_eq!(notes[0].pointer, "/tags/0/description");
    }

    #[test]
    fn a_broken_schema_deep_inside_is_repaired_where_it_is() {
        // Checked from the top, each level would read the broken schema twice: 2^40 reads.
        let mut schema = json!({"type": {}});
        for _ in 0..40 {
            schema = json!({"type": "array", "items": schema});
        }
        let document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"Deep": schema, "Free": {
                "type": "object", "additionalProperties": true, "properties": {"a": {"type": {}}}
            }}}
        });
        let mut notes = Vec::new();
        let api = read_document(document, &mut notes);
        let schemas = &api.components.unwrap().schemas;
        let pointers: Vec<&str> = notes.iter().map(|note| note.pointer.as_str()).collect();
        let deepest = format!("/components/schemas/Deep{}/type", "/items".repeat(40));
        assert_eq!(
            pointers,
            [
                deepest.as_str(),
                "/components/schemas/Free/properties/a/type"
            ]
        );
        let Some(ReferenceOr::Item(free)) = schemas.get("Free") else {
            panic!("Free is kept")
        };
        let crate::load::SchemaKind::Type(crate::load::Type::Object(free)) = &free.schema_kind
        else {
            panic!("Free is an object")
        };
        assert_eq!(
            free.additional_properties,
            Some(crate::load::AdditionalProperties::Any(true))
        );
    }

    #[test]
    fn a_broken_schema_deep_inside_a_callback_is_passed_over() {
        // Found by the fuzzer: a callback was not looked into, so its operation was read
        // whole, at a cost exponential in the depth of the broken schema. Nothing is
        // generated from callbacks, so the model does not keep them: the operation reads
        // as if it had none.
        let mut schema = json!({"type": "object", "not": 1.5});
        for _ in 0..15 {
            schema = json!({"allOf": [{"type": "array", "items": schema}]});
        }
        let document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/streams": {"post": {
                "operationId": "subscribe",
                "responses": {"201": {"description": "ok"}},
                "callbacks": {"onData": {"{$request.query.url}": {"post": {
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                    "responses": {"200": {"description": "ok"}}
                }}}}
            }}}
        });
        let mut notes = Vec::new();
        let api = read_document(document, &mut notes);
        assert!(notes.is_empty(), "{notes:?}");
        let ReferenceOr::Item(item) = &api.paths["/streams"] else {
            panic!("the path item is read");
        };
        let operation = item.operation("post").expect("the operation is kept");
        assert_eq!(operation.operation_id.as_deref(), Some("subscribe"));
        assert_eq!(operation.responses.responses.len(), 1);
    }

    #[test]
    fn one_parameter_object_where_a_list_belongs_is_a_list_of_one() {
        let document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/documents": {"patch": {
                "operationId": "edit",
                "parameters": {"name": "dryRun", "in": "query", "schema": {"type": "boolean"}},
                "responses": {"200": {"description": "ok"}}
            }}}
        });
        let mut notes = Vec::new();
        let api = read_document(document, &mut notes);
        let operation = api.paths["/documents"]
            .as_item()
            .and_then(|item| item.operation("patch"))
            .expect("the operation");
        let names: Vec<&str> = operation
            .parameters
            .iter()
            .filter_map(|parameter| parameter.as_item())
            .map(|parameter| parameter.parameter_data_ref().name.as_str())
            .collect();
        assert_eq!(names, ["dryRun"]);
        let notes: Vec<(&str, &str)> = notes
            .iter()
            .map(|note| (note.pointer.as_str(), note.message.as_str()))
            .collect();
        assert_eq!(
            notes,
            [(
                "/paths/~1documents/patch/parameters",
                "one parameter object where a list of them belongs; read as a list of one"
            )]
        );
    }

    #[test]
    fn a_path_item_that_does_not_read_is_dropped_and_the_others_keep_their_order() {
        let document = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}},
                "/b": 5,
                "/c": {"$ref": "#/paths/~1a"}
            }
        });
        let mut notes = Vec::new();
        let api = read_document(document, &mut notes);
        let paths: Vec<&str> = api.paths.keys().map(String::as_str).collect();
        assert_eq!(paths, ["/a", "/c"]);
        assert!(matches!(
            &api.paths["/c"],
            ReferenceOr::Reference { reference } if reference == "#/paths/~1a"
        ));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].pointer, "/paths/~1b");
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
        let ReferenceOr::Item(item) = &api.paths["/a"] else {
            panic!("inlined")
        };
        assert_eq!(
            item.operation("get")
                .and_then(|op| op.operation_id.as_deref()),
            Some("a")
        );
    }
}
