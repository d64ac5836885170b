//! The order of an operation's parameters, wherever the spec writes them: path parameters
//! in the order of their placeholders in the path (the method's arguments read as its URL
//! does), then the operation's own, then those its path item gives all its operations,
//! which the operation's own override on the same name and location. Swagger 2.0's
//! upgrade keeps path-level parameters on the path item as 3.0 does: both versions of one
//! API get the same arguments.

mod support;

use serde_json::json;
use support::lowered;
use tether_codegen::ir::{Api, ParamLocation, Primitive, TypeRef};

/// The operation `id`'s parameters: wire name, location and type.
fn parameters(api: &Api, id: &str) -> Vec<(String, ParamLocation, TypeRef)> {
    let operation = api
        .operations
        .iter()
        .find(|operation| operation.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"));
    operation
        .params
        .iter()
        .map(|param| {
            (
                param.wire_name.to_string(),
                param.location,
                param.ty.clone(),
            )
        })
        .collect()
}

fn expected(list: &[(&str, ParamLocation, Primitive)]) -> Vec<(String, ParamLocation, TypeRef)> {
    list.iter()
        .map(|(name, location, primitive)| {
            (
                (*name).to_owned(),
                *location,
                TypeRef::Primitive(*primitive),
            )
        })
        .collect()
}

#[test]
fn path_parameters_follow_the_url_and_the_operations_own_come_before_the_path_items() {
    let swagger = json!({
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "parameters": {"Limit": {"name": "limit", "in": "query", "type": "integer"}},
        "paths": {"/a/{id}/items/{item}": {
            "parameters": [
                {"name": "item", "in": "path", "required": true, "type": "string"},
                {"name": "q", "in": "query", "type": "string"},
                {"$ref": "#/parameters/Limit"}
            ],
            "get": {
                "operationId": "read",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "type": "string"},
                    {"name": "q", "in": "query", "type": "boolean"},
                    {"name": "q", "in": "header", "type": "string"},
                    {"name": "v", "in": "query", "type": "number"}
                ],
                "responses": {"200": {"description": "ok"}}
            },
            "delete": {
                "operationId": "remove",
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                "responses": {"204": {"description": "gone"}}
            }
        }}
    });
    let openapi = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "components": {"parameters": {"Limit": {"name": "limit", "in": "query",
            "schema": {"type": "integer"}}}},
        "paths": {"/a/{id}/items/{item}": {
            "parameters": [
                {"name": "item", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "q", "in": "query", "schema": {"type": "string"}},
                {"$ref": "#/components/parameters/Limit"}
            ],
            "get": {
                "operationId": "read",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "q", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "q", "in": "header", "schema": {"type": "string"}},
                    {"name": "v", "in": "query", "schema": {"type": "number"}}
                ],
                "responses": {"200": {"description": "ok"}}
            },
            "delete": {
                "operationId": "remove",
                "parameters": [{"name": "id", "in": "path", "required": true,
                    "schema": {"type": "string"}}],
                "responses": {"204": {"description": "gone"}}
            }
        }}
    });
    for (document, name) in [(swagger, "swagger.json"), (openapi, "openapi.json")] {
        let api = lowered(document, name);
        let read = [
            ("id", ParamLocation::Path, Primitive::String),
            ("item", ParamLocation::Path, Primitive::String),
            ("q", ParamLocation::Query, Primitive::Bool),
            ("q", ParamLocation::Header, Primitive::String),
            ("v", ParamLocation::Query, Primitive::F64),
            ("limit", ParamLocation::Query, Primitive::I64),
        ];
        let remove = [
            ("id", ParamLocation::Path, Primitive::String),
            ("item", ParamLocation::Path, Primitive::String),
            ("q", ParamLocation::Query, Primitive::String),
            ("limit", ParamLocation::Query, Primitive::I64),
        ];
        for (id, list) in [("read", &read[..]), ("remove", &remove[..])] {
            assert_eq!(parameters(&api, id), expected(list), "{name}: {id}");
        }
    }
}
