//! Pagination found from the parameters and the page, for shapes our own specs do not
//! have: Meilisearch types its `offset` and `limit` as `number`, not `integer`.

mod support;

use serde_json::json;
use support::lowered;
use tether_codegen::ir::{CursorPlace, NextPage};

#[test]
fn an_offset_typed_as_a_number_pages_by_offset() {
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/indexes": {"get": {
            "operationId": "listIndexes",
            "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "number", "default": 20}},
                {"name": "offset", "in": "query", "schema": {"type": "number", "default": 0}}
            ],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object",
                "required": ["results", "limit", "offset", "total"],
                "properties": {
                    "results": {"type": "array", "items": {"type": "object",
                        "properties": {"uid": {"type": "string"}}}},
                    "limit": {"type": "integer"},
                    "offset": {"type": "integer"},
                    "total": {"type": "integer"}
                }
            }}}}}
        }}}
    });
    let api = lowered(document, "meilisearch.yaml");
    let pagination = api.operations[0]
        .pagination
        .as_ref()
        .expect("the listing pages");
    assert_eq!(
        pagination.next,
        NextPage::Offset {
            param: "offset".into(),
            limit: Some("limit".into())
        }
    );
}

#[test]
fn a_body_field_the_page_names_again_is_a_cursor_of_its_type() {
    // Qdrant's scroll: the page, inside a `result` envelope, gives the next `offset` (a
    // point id, an integer) as `next_page_offset`.
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/points/scroll": {"post": {
            "operationId": "scrollPoints",
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "offset": {"type": "integer", "format": "uint64", "nullable": true},
                    "limit": {"type": "integer"}
                }
            }}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "status": {"type": "string"},
                    "time": {"type": "number"},
                    "result": {"type": "object", "required": ["points"], "properties": {
                        "points": {"type": "array", "items": {"type": "object",
                            "properties": {"id": {"type": "integer"}}}},
                        "next_page_offset": {"type": "integer", "format": "uint64", "nullable": true}
                    }}
                }
            }}}}}
        }}}
    });
    let api = lowered(document, "qdrant.json");
    let pagination = api.operations[0]
        .pagination
        .as_ref()
        .expect("the scroll pages");
    assert!(
        matches!(
            pagination.next,
            NextPage::Cursor {
                place: CursorPlace::BodyNumber,
                ..
            }
        ),
        "{pagination:?}"
    );
    assert_eq!(
        pagination.describe(),
        "cursor: body field `offset` from `result.next_page_offset`; items in result.points"
    );
    assert_eq!(
        pagination.describe_quoted('\''),
        "cursor: body field 'offset' from 'result.next_page_offset'; items in result.points"
    );
}

#[test]
fn a_deprecated_array_is_not_taken_for_the_items() {
    // Getty Images' page of images types only its deprecated `related_searches`.
    let page = |deprecated: bool| {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/images": {"get": {
                "operationId": "searchImages",
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer"}},
                    {"name": "page_size", "in": "query", "schema": {"type": "integer"}}
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {
                        "images": {},
                        "related_searches": {"type": "array", "deprecated": deprecated,
                            "items": {"type": "string"}}
                    }
                }}}}}
            }}}
        })
    };
    let paged = |deprecated| {
        lowered(page(deprecated), "getty.yaml").operations[0]
            .pagination
            .is_some()
    };
    assert!(paged(false), "the one array is the items");
    assert!(!paged(true), "a deprecated array is not");
}
