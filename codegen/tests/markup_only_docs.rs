//! Spec text that is only markup (AWS writes `<p/>` for thousands of descriptions) says
//! nothing once made safe for rustdoc: the item gets the docs of an undescribed one, so
//! that every generated item is documented.

mod support;

use serde_json::json;
use support::lowered;
use tether_codegen::{emit, pretty, EmitOptions};

#[test]
fn a_description_of_markup_alone_gets_the_fallback_docs() {
    let api = lowered(
        json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/operation": {"get": {
                "operationId": "getOperation",
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Output"}
                }}}}
            }}},
            "components": {"schemas": {
                "Output": {
                    "type": "object",
                    "description": "<p/>",
                    "required": ["operation"],
                    "properties": {"operation": {"allOf": [
                        {"$ref": "#/components/schemas/Operation"},
                        {"description": "<p></p>"}
                    ]}}
                },
                "Operation": {"type": "object", "properties": {"id": {"type": "string"}}}
            }}
        }),
        "markup.json",
    );
    let source = pretty(&emit::emit(&api, &EmitOptions::default()));
    let output = source
        .find("pub struct Output")
        .expect("the struct is generated");
    let before_struct = &source[..output];
    let struct_docs = before_struct
        .lines()
        .rev()
        .find(|line| !line.trim_start().starts_with("#["))
        .expect("a line before the struct");
    assert!(
        struct_docs.trim_start().starts_with("///"),
        "the struct has no docs:\n{before_struct}"
    );
    assert!(
        source.contains(
            "/// The JSON property `operation` (always present).\n    pub operation: Operation,"
        ),
        "the field has no docs:\n{source}"
    );
}
