//! A reference that names nothing in its own document (Meilisearch's
//! `#/components/schema/summarizedTask`, a typo for `schemas`, and a parameter it never
//! defines) degrades where it stands, with a note, instead of failing the whole spec.

mod support;

use std::path::Path;

use serde_json::json;
use support::lowered;
use tether_codegen::ir::{ResponseBody, Success, TypeRef};
use tether_codegen::load::load_value;

#[test]
fn a_reference_that_names_nothing_degrades_where_it_stands() {
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {"get": {"operationId": "getThing", "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
            }}}},
            "/tasks": {"delete": {
                "operationId": "deleteTasks",
                "parameters": [{"$ref": "#/components/parameters/total"}],
                "responses": {"202": {
                    "description": "accepted",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schema/Thing"}}}
                }}
            }}
        },
        "components": {"schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}}}
    });
    let api = lowered(document, "meilisearch.yaml");
    let names: Vec<&str> = api
        .operations
        .iter()
        .map(|op| op.method_name.as_str())
        .collect();
    assert_eq!(names, ["get_thing", "delete_tasks"]);
    let delete = &api.operations[1];
    assert!(delete.params.is_empty());
    assert!(
        matches!(
            &delete.success,
            Success::One(ResponseBody::Json(TypeRef::Any))
        ),
        "{:?}",
        delete.success
    );
    let said = |words: &str| api.notes.iter().any(|note| note.message.contains(words));
    assert!(
        said("`$ref: #/components/schema/Thing` names no schema"),
        "{:?}",
        api.notes
    );
    assert!(
        said("the parameter reference names nothing"),
        "{:?}",
        api.notes
    );
}

/// Fitbit's spec writes `$ref: ""` where its generator lost the target, once alone and
/// once as the only part of an `allOf` beside `required`: both are any JSON value, noted.
#[test]
fn an_empty_reference_degrades_to_any_value() {
    let document = json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/events": {"post": {
            "operationId": "createEvent",
            "requestBody": {"content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/EventRequest"
            }}}},
            "responses": {"201": {"description": "created"}}
        }}},
        "components": {"schemas": {"EventRequest": {
            "type": "object",
            "properties": {
                "attributes": {"allOf": [{"$ref": ""}], "required": ["title"]},
                "owner": {"$ref": ""}
            }
        }}}
    });
    let api = lowered(document, "fitbit.json");
    assert_eq!(api.operations.len(), 1);
    let request = api
        .types
        .iter()
        .find(|ty| ty.name == "EventRequest")
        .expect("the request body's type");
    let tether_codegen::ir::TypeKind::Struct(object) = &request.kind else {
        panic!("an object: {:?}", request.kind);
    };
    let owner = object
        .fields
        .iter()
        .find(|field| field.wire_name == "owner");
    assert!(
        matches!(owner.map(|field| &field.ty), Some(TypeRef::Any)),
        "{owner:?}"
    );
    let notes: Vec<&str> = api.notes.iter().map(|note| note.message.as_str()).collect();
    assert!(
        notes.contains(&"`$ref: \"\"` names no schema; typed as any JSON value"),
        "{notes:?}"
    );
}

#[test]
fn a_reference_into_a_missing_file_still_fails_with_its_pointer() {
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "getA", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "missing.yaml#/Thing"}}}
        }}}}}
    });
    let Err(problems) = load_value(document, Path::new("/nowhere/spec.yaml")) else {
        panic!("a missing file is the user's to fix");
    };
    let text = problems.to_string();
    assert!(text.contains("/paths/~1a/get/responses/200"), "{text}");
}
