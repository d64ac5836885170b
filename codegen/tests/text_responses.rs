//! A `text/*` response whose schema is a number or a boolean (Mixpanel's `1` or `0`) is
//! read as that type, its text being its JSON; other text stays a string.

mod support;

use serde_json::json;
use support::lowered;
use tether_codegen::ir::{Primitive, ResponseBody, Success, TypeRef};

#[test]
fn a_number_sent_as_text_is_read_as_a_number() {
    let text = |schema: serde_json::Value| json!({"200": {"description": "ok", "content": {"text/plain": {"schema": schema}}}});
    let document = json!({
        "openapi": "3.0.2",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/track": {"post": {"operationId": "track",
                "responses": text(json!({"type": "integer", "enum": [1, 0]}))}},
            "/echo": {"get": {"operationId": "echo",
                "responses": text(json!({"type": "string"}))}}
        }
    });
    let api = lowered(document, "t.yaml");
    let success = |id: &str| {
        &api.operations
            .iter()
            .find(|operation| operation.id == id)
            .expect("the operation")
            .success
    };
    assert!(
        matches!(
            success("track"),
            Success::One(ResponseBody::Json(TypeRef::Primitive(Primitive::I64)))
        ),
        "{:?}",
        success("track")
    );
    assert!(matches!(success("echo"), Success::One(ResponseBody::Text)));
}
