//! A path template with a URL fragment (`/credentials#role_name&account_id`, as specs
//! converted from AWS write them to tell operations apart): the fragment is never sent.

use std::path::Path;

use serde_json::json;
use tether_codegen::ir::{lower, PathSegment, Selection};
use tether_codegen::load::load_value;

#[test]
fn the_fragment_of_a_path_is_not_sent_and_is_noted() {
    let document = json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/federation/credentials#role_name&account_id": {"get": {
            "operationId": "GetRoleCredentials",
            "parameters": [{"name": "role_name", "in": "query", "required": true,
                "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}
        }}}
    });
    let loaded = load_value(document, Path::new("sso.json")).expect("loads");
    let api = lower(&loaded.document, loaded.notes, &Selection::default()).expect("lowers");
    let operation = &api.operations[0];
    assert_eq!(
        operation.path_segments,
        [PathSegment::Literal("/federation/credentials".into())]
    );
    assert!(
        api.notes.iter().any(|note| note
            .message
            .contains("is a URL fragment, which is never sent")),
        "{:?}",
        api.notes
    );
}
