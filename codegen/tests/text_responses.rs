//! A `text/*` response whose schema is a number, a boolean or an integer enum (Mixpanel's
//! `1` or `0`) is read as that type, its text being its JSON; other text stays a string.

mod support;

use serde_json::json;
use support::lowered;
use tether_codegen::ir::{EnumWire, ResponseBody, Success, TypeKind, TypeRef};

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
    // An integer enum, read from the text as from JSON.
    let Success::One(ResponseBody::Json(TypeRef::Named(track))) = success("track") else {
        panic!("{:?}", success("track"));
    };
    assert!(
        matches!(
            &api.types[track.0].kind,
            TypeKind::Enum(enumeration) if enumeration.wire == EnumWire::Integer
        ),
        "{:?}",
        api.types[track.0]
    );
    assert!(matches!(success("echo"), Success::One(ResponseBody::Text)));
}
