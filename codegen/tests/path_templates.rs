//! What a path template holds and what it lacks: a leading `/` (added, with a note); a URL
//! fragment (`/credentials#role_name&account_id`, as specs converted from AWS write them to
//! tell operations apart) is never sent; a path parameter without a placeholder (Mistral's
//! `DELETE /models` declares `model_id`) cannot be sent, so it is not an argument, unless
//! the path writes its placeholder Express-style (Meilisearch's `/tasks/:taskUid`); a
//! placeholder no parameter declares is a required string argument all the same; a path
//! or operation served from a host of its own (Pinecone's vector operations) is noted, and
//! sent there when the host is absolute.

mod support;

use serde_json::json;
use support::lowered;
use tether_codegen::ir::{ParamLocation, PathSegment, Primitive, TypeRef};
use tether_codegen::{emit, pretty, EmitOptions};

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
    let api = lowered(document, "spec.json");
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

#[test]
fn a_path_without_its_leading_slash_is_sent_with_one_and_noted() {
    let document = json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"pets/{id}": {"get": {
            "operationId": "getPet",
            "parameters": [{"name": "id", "in": "path", "required": true,
                "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}
        }}}
    });
    let api = lowered(document, "spec.json");
    assert_eq!(api.operations[0].sent_template(), "/pets/{id}");
    assert!(
        api.notes
            .iter()
            .any(|note| note.message.contains("`pets/{id}` does not start with `/`")),
        "{:?}",
        api.notes
    );
}

#[test]
fn a_path_parameter_without_a_placeholder_is_not_an_argument() {
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/models": {"delete": {
            "operationId": "deleteModel",
            "parameters": [
                {"name": "model_id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "force", "in": "query", "schema": {"type": "boolean"}}
            ],
            "responses": {"200": {"description": "ok"}}
        }}}
    });
    let api = lowered(document, "spec.json");
    let names: Vec<&str> = api.operations[0]
        .params
        .iter()
        .map(|param| param.wire_name.as_str())
        .collect();
    assert_eq!(names, ["force"]);
    assert!(
        api.notes
            .iter()
            .any(|note| note.pointer == "/paths/~1models/delete/parameters/0"
                && note
                    .message
                    .contains("has no `{model_id}` in the path `/models`")),
        "{:?}",
        api.notes
    );
}

#[test]
fn a_placeholder_written_with_a_colon_is_the_declared_parameter_s() {
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/tasks/:taskUid/runs/:run": {"get": {
            "operationId": "getTask",
            "parameters": [
                {"name": "taskUid", "in": "path", "required": true, "schema": {"type": "integer"}}
            ],
            "responses": {"200": {"description": "ok"}}
        }}}
    });
    let api = lowered(document, "spec.json");
    let operation = &api.operations[0];
    assert_eq!(operation.params.len(), 1);
    assert_eq!(operation.params[0].location, ParamLocation::Path);
    assert_eq!(operation.params[0].ty, TypeRef::Primitive(Primitive::I64));
    // `:run` declares nothing and stays text, as any other literal.
    assert_eq!(
        operation.path_segments,
        [
            PathSegment::Literal("/tasks/".into()),
            PathSegment::Param(0),
            PathSegment::Literal("/runs/:run".into()),
        ]
    );
    assert_eq!(operation.sent_template(), "/tasks/{taskUid}/runs/:run");
    assert!(
        api.notes.iter().any(|note| note.pointer
            == "/paths/~1tasks~1:taskUid~1runs~1:run/get/parameters/0"
            && note.message.contains("read as `{taskUid}`")),
        "{:?}",
        api.notes
    );
}

#[test]
fn a_placeholder_without_a_parameter_is_a_required_string_argument() {
    let document = json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/orgs/{org}/teams/{team-slug}.json": {"get": {
            "operationId": "getTeam",
            "parameters": [
                {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                {"name": "org", "in": "path", "required": true, "schema": {"type": "integer"}}
            ],
            "responses": {"200": {"description": "ok"}}
        }}}
    });
    let api = lowered(document, "spec.json");
    let operation = &api.operations[0];
    let params: Vec<(&str, &str, ParamLocation, bool)> = operation
        .params
        .iter()
        .map(|param| {
            (
                param.wire_name.as_str(),
                param.name.as_str(),
                param.location,
                param.required,
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("org", "org", ParamLocation::Path, true),
            ("team-slug", "team_slug", ParamLocation::Path, true),
            ("verbose", "verbose", ParamLocation::Query, false),
        ]
    );
    assert!(matches!(
        operation.params[1].ty,
        TypeRef::Primitive(Primitive::String)
    ));
    assert_eq!(
        operation.path_segments,
        [
            PathSegment::Literal("/orgs/".into()),
            PathSegment::Param(0),
            PathSegment::Literal("/teams/".into()),
            PathSegment::Param(1),
            PathSegment::Literal(".json".into()),
        ]
    );
    assert!(
        api.notes.iter().any(|note| note.pointer
            == "/paths/~1orgs~1{org}~1teams~1{team-slug}.json/get"
            && note.message
                == "path placeholder `{team-slug}` has no parameter; it is a required string argument"),
        "{:?}",
        api.notes
    );
}

#[test]
fn an_operation_served_from_a_host_of_its_own_says_so() {
    let ok = json!({"200": {"description": "ok"}});
    let api = lowered(
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://controller.example.com"}],
            "paths": {
                "/indexes": {"get": {"operationId": "listIndexes", "responses": ok}},
                "/query": {
                    "servers": [{"url": "https://{index}.svc.example.com",
                        "variables": {"index": {"default": "main"}}}],
                    "post": {"operationId": "query", "responses": ok}
                },
                "/describe": {"get": {
                    "operationId": "describe",
                    "servers": [{"url": "https://controller.example.com"}],
                    "responses": ok
                }},
                "/health": {
                    "servers": [{"url": ""}],
                    "get": {"operationId": "health", "responses": ok}
                },
                "/chat": {
                    "servers": [{"url": "https://{agent-url}"}],
                    "post": {"operationId": "chat", "responses": ok}
                }
            }
        }),
        "pinecone.json",
    );
    let noted: Vec<&str> = api
        .notes
        .iter()
        .filter(|note| note.message.contains("not the document's server"))
        .map(|note| note.pointer.as_str())
        .collect();
    assert_eq!(
        noted,
        [
            "/paths/~1query/servers",
            "/paths/~1health/servers",
            "/paths/~1chat/servers"
        ]
    );
    assert!(api.notes.iter().any(|note| note
        .message
        .contains("served from `https://main.svc.example.com`")));
    assert!(api.notes.iter().any(|note| note
        .message
        .contains("served from the location of the document itself")));
    // Calls to a full URL of its own go there; a relative one, or one with a variable
    // that has no default, cannot be reached.
    let own: Vec<(&str, Option<&str>)> = api
        .operations
        .iter()
        .map(|operation| (operation.id.as_str(), operation.own_server.as_deref()))
        .collect();
    assert_eq!(
        own,
        [
            ("listIndexes", None),
            ("query", Some("https://main.svc.example.com")),
            ("describe", None),
            ("health", None),
            ("chat", None),
        ]
    );
}

#[test]
fn a_call_with_nothing_to_set_is_not_bound_mutably() {
    let ok = json!({"204": {"description": "ok"}});
    let api = lowered(
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "": {"get": {"operationId": "root", "responses": ok}},
                "/a": {"get": {"operationId": "getA", "responses": ok}}
            }
        }),
        "spec.json",
    );
    let code = emit::emit(&api, &EmitOptions::default());
    let source = pretty(&code);
    // `rustc` warns about a `let mut` that nothing changes: only `getA` sets its path.
    assert_eq!(source.matches("let mut call").count(), 1, "{source}");
    assert!(!source.contains("let call"), "{source}");
}

#[test]
fn an_extension_path_sends_its_own_query_and_its_notes_point_where_it_is_written() {
    let spec = json!({
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "host": "blobs.example.com",
        "paths": {},
        "x-ms-paths": {"/{container}?restype=container": {"get": {
            "operationId": "Container_GetProperties",
            "parameters": [{"name": "restype", "in": "query", "required": true,
                "type": "string", "enum": ["container"]}],
            "responses": {"200": {"description": "ok"}}
        }}}
    });
    let api = lowered(spec, "blob.json");
    assert_eq!(api.operations[0].path, "/{container}?restype=container");
    // The path sends `restype` itself: declared too, it would be sent twice.
    let params: Vec<&str> = api.operations[0]
        .params
        .iter()
        .map(|param| param.wire_name.as_str())
        .collect();
    assert_eq!(params, ["container"]);
    assert!(
        api.notes.iter().any(|note| note.pointer
            == "/x-ms-paths/~1{container}?restype=container/get/parameters/0"
            && note.message.contains("is written into the path")),
        "{:?}",
        api.notes
    );
    assert!(
        api.notes.iter().any(|note| note.pointer
            == "/x-ms-paths/~1{container}?restype=container/get"
            && note
                .message
                .contains("path placeholder `{container}` has no parameter")),
        "{:?}",
        api.notes
    );
}
