//! OpenAPI 3.2's operations beyond the eight methods of 3.0 (`query`,
//! `additionalOperations`) are loaded and lowered like the others, with the method they are
//! sent with and notes that point where they are written.

use std::path::Path;

use serde_json::json;
use tether_codegen::ir::{lower, Selection};
use tether_codegen::load::{load_value, SpecVersion};

#[test]
fn query_and_additional_operations_become_operations() {
    let document = json!({
        "openapi": "3.2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true,
                "schema": {"type": "string"}}],
            "get": {"operationId": "getThing", "responses": {"200": {"description": "ok"}}},
            "query": {"operationId": "queryThing",
                "requestBody": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Filter"}}}},
                "responses": {"200": {"description": "ok"}}},
            "additionalOperations": {
                "COPY": {"operationId": "copyThing",
                    "responses": {"201": {"description": "copied"}}},
                "NOT A METHOD": {"operationId": "broken",
                    "responses": {"200": {"description": "ok"}}},
                "LOCK": {"operationId": "lockThing", "parameters": "not a list",
                    "responses": {"200": {"description": "ok"}}}
            }
        }},
        "components": {"schemas": {"Filter": {"type": "object",
            "properties": {"name": {"type": "string"}}}}}
    });
    let loaded = load_value(document, Path::new("things.yaml")).expect("loads");
    assert_eq!(loaded.version, SpecVersion::OpenApi32);
    let api = lower(&loaded.document, loaded.notes, &Selection::default()).expect("lowers");
    let methods: Vec<(&str, &str)> = api
        .operations
        .iter()
        .map(|operation| (operation.http_method.as_str(), operation.id.as_str()))
        .collect();
    assert_eq!(
        methods,
        [
            ("GET", "getThing"),
            ("QUERY", "queryThing"),
            ("COPY", "copyThing"),
            ("LOCK", "lockThing")
        ]
    );
    let query = &api.operations[1];
    assert!(query.body.is_some(), "the filter is the body");
    assert!(
        api.operations
            .iter()
            .all(|operation| operation.params.len() == 1),
        "every operation has the path item's `id`"
    );
    let notes: Vec<(&str, &str)> = api
        .notes
        .iter()
        .map(|note| (note.pointer.as_str(), note.message.as_str()))
        .collect();
    assert!(
        notes.contains(&(
            "/paths/~1things~1{id}/additionalOperations/NOT A METHOD",
            "operation left out: `NOT A METHOD` is not an HTTP method name"
        )),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|(pointer, _)| pointer
                .starts_with("/paths/~1things~1{id}/additionalOperations/LOCK")),
        "the unreadable LOCK is repaired where it is written: {notes:?}"
    );
}
