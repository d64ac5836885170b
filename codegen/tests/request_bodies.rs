//! A body accepted in several kinds of media type: the first of JSON, form, multipart,
//! text and raw bytes is the method's argument, each other kind gets a method of its own
//! (a setter when the body is optional), and further media types of one kind are noted.

mod support;

use serde_json::json;
use support::lowered;
use tether_codegen::ir::BodyEncoding;

#[test]
fn every_kind_of_body_has_a_method_and_repeats_of_a_kind_are_noted() {
    let object = json!({"type": "object", "properties": {"name": {"type": "string"}}});
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {
            "post": {"operationId": "createThing",
                "requestBody": {"required": true, "content": {
                    "application/xml": {"schema": object},
                    "multipart/form-data": {"schema": object},
                    "application/vnd.things+json": {"schema": object},
                    "application/json": {"schema": object}
                }},
                "responses": {"201": {"description": "created"}}},
            "put": {"operationId": "replaceThing",
                "requestBody": {"content": {
                    "application/x-www-form-urlencoded": {"schema": object},
                    "text/plain": {"schema": {"type": "string"}}
                }},
                "responses": {"204": {"description": "replaced"}}}
        }}
    });
    let api = lowered(document, "things.yaml");

    let operation = |id: &str| {
        api.operations
            .iter()
            .find(|operation| operation.id == id)
            .expect("the operation")
    };
    let create = operation("createThing");
    let body = create.body.as_ref().expect("a body");
    assert_eq!(
        body.encoding,
        BodyEncoding::Json("application/vnd.things+json".into())
    );
    let alternatives: Vec<(&str, &BodyEncoding)> = create
        .alternative_bodies
        .iter()
        .map(|alternative| (alternative.method_name.as_str(), &alternative.body.encoding))
        .collect();
    assert_eq!(alternatives.len(), 2, "{alternatives:?}");
    assert_eq!(alternatives[0].0, "create_thing_multipart");
    assert!(matches!(alternatives[0].1, BodyEncoding::Multipart(_)));
    assert_eq!(
        alternatives[1],
        (
            "create_thing_bytes",
            &BodyEncoding::Bytes("application/xml".into())
        )
    );
    assert!(
        api.notes
            .iter()
            .any(|note| note.pointer == "/paths/~1things/post/requestBody"
                && note.message.ends_with("also accepted: application/json")),
        "{:?}",
        api.notes
    );

    let replace = operation("replaceThing");
    assert!(matches!(
        replace.body.as_ref().map(|body| &body.encoding),
        Some(BodyEncoding::Form { .. })
    ));
    let setters: Vec<&str> = replace
        .alternative_bodies
        .iter()
        .map(|alternative| alternative.method_name.as_str())
        .collect();
    assert_eq!(
        setters,
        ["body_text"],
        "an optional body's other kinds are setters"
    );
}

#[test]
fn a_media_range_is_never_sent_as_the_content_type() {
    let object = json!({"type": "object", "properties": {"name": {"type": "string"}}});
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {
            "post": {"operationId": "createThing",
                "requestBody": {"required": true, "content": {
                    "application/*+json": {"schema": object},
                    "application/json": {"schema": object}
                }},
                "responses": {"201": {"description": "created"}}},
            "put": {"operationId": "replaceThing",
                "requestBody": {"required": true, "content": {"*/*": {"schema": object}}},
                "responses": {"204": {"description": "replaced"}}},
            "patch": {"operationId": "uploadThing",
                "requestBody": {"required": true, "content": {
                    "image/*": {"schema": {"type": "string", "format": "binary"}}
                }},
                "responses": {"204": {"description": "uploaded"}}}
        }}
    });
    let api = lowered(document, "things.yaml");
    let sent = |id: &str| {
        let operation = api
            .operations
            .iter()
            .find(|operation| operation.id == id)
            .expect("the operation");
        operation.body.as_ref().expect("a body").encoding.clone()
    };
    assert_eq!(
        sent("createThing"),
        BodyEncoding::Json("application/json".into())
    );
    assert_eq!(
        sent("replaceThing"),
        BodyEncoding::Json("application/json".into())
    );
    assert_eq!(
        sent("uploadThing"),
        BodyEncoding::Bytes("application/octet-stream".into())
    );
}
