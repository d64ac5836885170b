//! Method and builder names from operation ids: an id used twice (Jaeger's
//! `QueryService_FindSpans` for both `GET` and `POST`) numbers the second with a note, and
//! ids that are Rust's `self`/`Self` still give legal, camel-case builder names; names the
//! generated code uses itself (`with_base_url`, the local `call`) are left to it.

mod support;

use serde_json::json;
use tether_codegen::ir::Api;

fn lowered(paths: serde_json::Value) -> Api {
    let document =
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths});
    support::lowered(document, "t.json")
}

#[test]
fn an_id_used_twice_numbers_the_second_method_and_says_so() {
    let ok = json!({"200": {"description": "ok"}});
    let api = lowered(json!({"/spans": {
        "get": {"operationId": "QueryService_FindSpans", "responses": ok},
        "post": {"operationId": "QueryService_FindSpans", "responses": ok}
    }}));
    let methods: Vec<&str> = api
        .operations
        .iter()
        .map(|operation| operation.method_name.as_str())
        .collect();
    assert_eq!(
        methods,
        ["query_service_find_spans", "query_service_find_spans2"]
    );
    assert!(
        api.notes
            .iter()
            .any(|note| note.pointer == "/paths/~1spans/post"
                && note
                    .message
                    .contains("this one is `query_service_find_spans2`")),
        "{:?}",
        api.notes
    );
}

#[test]
fn ids_that_are_self_give_camel_case_builders() {
    let ok = json!({"204": {"description": "ok"}});
    let api = lowered(json!({
        "/a": {"get": {"operationId": "self", "responses": ok}},
        "/b": {"get": {"operationId": "Self", "responses": ok}}
    }));
    let builders: Vec<&str> = api
        .operations
        .iter()
        .map(|operation| operation.builder_name.as_str())
        .collect();
    assert_eq!(builders, ["Self_", "Self2"]);
}

#[test]
fn the_types_of_an_operation_named_self_are_camel_case() {
    let api = lowered(json!({"/a": {"post": {
        "operationId": "self",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object",
            "properties": {"a": {"type": "string"}}}}}},
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object",
                "properties": {"b": {"type": "string"}}}}}},
            "default": {"description": "error", "content": {"application/json": {"schema": {"type": "object",
                "properties": {"c": {"type": "string"}}}}}}
        }
    }}}));
    let mut names: Vec<&str> = api.types.iter().map(|ty| ty.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["SelfBody", "SelfDefault", "SelfError", "SelfResponse"]
    );
}

#[test]
fn names_the_generated_code_uses_are_not_given_to_operations_or_parameters() {
    let ok = json!({"204": {"description": "ok"}});
    let api = lowered(json!({
        "/base": {"put": {"operationId": "with_base_url", "responses": ok}},
        "/calls/{call}": {"get": {
            "operationId": "getCall",
            "parameters": [{"name": "call", "in": "path", "required": true,
                "schema": {"type": "string"}}],
            "responses": ok
        }}
    }));
    assert_eq!(api.operations[0].method_name, "with_base_url2");
    assert_eq!(api.operations[1].params[0].name, "call2");
    assert_eq!(api.operations[1].params[0].wire_name, "call");
}
