//! Which parameters the spec allows one value for become fixed (sent by the client, no
//! argument): required query, header and cookie parameters with an `enum` of one or a 3.1
//! `const`. An optional one stays a setter (not sending it is a choice), and a path
//! parameter stays an argument.

mod support;

use serde_json::json;
use support::lowered;
use tether_codegen::ir::{FixedLocation, FixedParam};

#[test]
fn required_parameters_with_one_value_are_fixed_and_the_others_are_not() {
    let api = lowered(
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/v/{version}": {"get": {
                "operationId": "get",
                "parameters": [
                    {"name": "version", "in": "path", "required": true,
                        "schema": {"type": "string", "enum": ["v2"]}},
                    {"name": "api-version", "in": "query", "required": true,
                        "schema": {"type": "string", "const": "2024-01-01"}},
                    {"name": "X-Level", "in": "header", "required": true,
                        "schema": {"type": "integer", "enum": [3]}},
                    {"name": "mode", "in": "query",
                        "schema": {"type": "string", "enum": ["fast"]}},
                    {"name": "kind", "in": "query", "required": true,
                        "schema": {"type": "string", "enum": ["a", "b"]}}
                ],
                "responses": {"200": {"description": "ok"}}
            }}}
        }),
        "spec.json",
    );
    let operation = &api.operations[0];
    assert_eq!(
        operation.fixed_params,
        [
            FixedParam {
                wire_name: "api-version".into(),
                location: FixedLocation::Query,
                value: "2024-01-01".to_owned(),
                description: None,
            },
            FixedParam {
                wire_name: "X-Level".into(),
                location: FixedLocation::Header,
                value: "3".to_owned(),
                description: None,
            },
        ]
    );
    let arguments: Vec<(&str, bool)> = operation
        .params
        .iter()
        .map(|param| (param.wire_name.as_str(), param.required))
        .collect();
    assert_eq!(
        arguments,
        [("version", true), ("mode", false), ("kind", true)]
    );
}
