//! An `Authorization` header declared as an operation's parameter. OpenAPI says the client
//! sets that header itself; where a security scheme covers the operation it does, and the
//! parameter is ignored. Where none does (specs that declare the header on each operation
//! instead of a scheme), the parameter becomes a scheme of its own: the client takes the
//! header's value once, as a secret credential.

mod support;

use serde_json::json;
use support::lowered;
use tether_codegen::ir::SecurityKind;

fn operation(id: &str, required: bool, security: Option<serde_json::Value>) -> serde_json::Value {
    let mut operation = json!({
        "operationId": id,
        "parameters": [
            {"name": "authorization", "in": "header", "required": required,
                "description": "`Token <key>`, the key from the dashboard.",
                "schema": {"type": "string"}},
            {"name": "q", "in": "query", "schema": {"type": "string"}}
        ],
        "responses": {"200": {"description": "ok"}}
    });
    if let Some(security) = security {
        operation["security"] = security;
    }
    operation
}

#[test]
fn an_authorization_parameter_no_scheme_covers_becomes_the_clients_credential() {
    let api = lowered(
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/reports": {"get": operation("listReports", true, None)},
                "/search": {"get": operation("search", false, None)},
                "/me": {"get": operation("me", true, Some(json!([{"key": []}])))}
            },
            "components": {"securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
            }}
        }),
        "spec.json",
    );
    let scheme = api
        .security_schemes
        .iter()
        .find(|scheme| scheme.name == "Authorization")
        .expect("a scheme for the parameter");
    assert_eq!(
        scheme.kind,
        SecurityKind::ApiKeyHeader("authorization".to_owned())
    );
    assert_eq!(scheme.setter, "with_authorization");
    assert_eq!(
        scheme.docs.description.as_deref(),
        Some("`Token <key>`, the key from the dashboard.")
    );

    let security = |id: &str| {
        let operation = api.operations.iter().find(|operation| operation.id == id);
        operation.expect("the operation").security.clone()
    };
    let authorization = vec!["Authorization".to_owned()];
    assert_eq!(
        security("listReports"),
        std::slice::from_ref(&authorization)
    );
    // Optional: sent when the client has it, and the call goes without it otherwise.
    assert_eq!(security("search"), [authorization, Vec::new()]);
    // Covered by a scheme: the parameter is the scheme's header's business, not a credential.
    assert_eq!(security("me"), [vec!["key".to_owned()]]);

    for operation in &api.operations {
        let names: Vec<&str> = operation
            .params
            .iter()
            .map(|p| p.wire_name.as_str())
            .collect();
        assert_eq!(names, ["q"], "{}", operation.id);
    }
    let notes: Vec<&str> = api.notes.iter().map(|note| note.message.as_str()).collect();
    assert!(
        notes.contains(
            &"the `authorization` header parameter of 2 operations, which no security scheme covers, is sent from the client's credential (`with_authorization`)"
        ),
        "{notes:?}"
    );
    assert!(
        notes.contains(&"header parameter `authorization` is set by the client itself; ignored"),
        "{notes:?}"
    );
}

#[test]
fn the_scheme_is_named_apart_from_the_documents_own() {
    let api = lowered(
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/reports": {"get": operation("listReports", true, Some(json!([])))}},
            "components": {"securitySchemes": {
                "Authorization": {"type": "http", "scheme": "bearer"}
            }}
        }),
        "spec.json",
    );
    let names: Vec<(&str, &str)> = api
        .security_schemes
        .iter()
        .map(|scheme| (scheme.name.as_str(), scheme.setter.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Authorization", "with_authorization"),
            ("Authorization header 1", "with_authorization_header_1")
        ]
    );
    assert_eq!(
        api.operations[0].security,
        [vec!["Authorization header 1".to_owned()]]
    );
}

#[test]
fn without_such_parameters_there_is_no_such_scheme() {
    let api = lowered(
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/reports": {"get": {
                "operationId": "listReports",
                "responses": {"200": {"description": "ok"}}
            }}}
        }),
        "spec.json",
    );
    assert!(api.security_schemes.is_empty());
    assert!(api.operations[0].security.is_empty());
}
