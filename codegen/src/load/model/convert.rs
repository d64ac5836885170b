//! The model read from `openapiv3`'s: where serde reads a node (a node of an unusual shape,
//! or one repaired), it reads `openapiv3`'s type, which is then moved into ours.

use std::hash::Hash;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};

use super::operation::{
    Header, MediaType, Operation, Parameter, ParameterData, ParameterSchemaOrContent, RequestBody,
    Response, Responses,
};
use super::{Components, Document, PathItem, METHODS};

/// A reference left as it is, an item turned into `U`.
fn map_item<T, U>(node: ReferenceOr<T>, into: impl FnOnce(T) -> U) -> ReferenceOr<U> {
    match node {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(item) => ReferenceOr::Item(into(item)),
    }
}

/// Each entry of `map` turned into `U`, references left as they are.
fn entries<K: Hash + Eq, T, U: From<T>>(
    map: IndexMap<K, ReferenceOr<T>>,
) -> IndexMap<K, ReferenceOr<U>> {
    map.into_iter()
        .map(|(key, node)| (key, map_item(node, U::from)))
        .collect()
}

fn boxed(schema: ReferenceOr<Schema>) -> ReferenceOr<Box<Schema>> {
    map_item(schema, Box::new)
}

/// Each value of `map` turned into `U` (a content's media types, a callback's path items).
fn values<T, U: From<T>>(map: IndexMap<String, T>) -> IndexMap<String, U> {
    map.into_iter()
        .map(|(key, value)| (key, value.into()))
        .collect()
}

impl From<openapiv3::OpenAPI> for Document {
    fn from(document: openapiv3::OpenAPI) -> Self {
        Document {
            openapi: document.openapi,
            info: document.info,
            servers: document.servers,
            paths: entries(document.paths.paths),
            components: document.components.map(Components::from),
            security: document.security,
            tags: document.tags,
            external_docs: document.external_docs,
            extensions: document.extensions,
        }
    }
}

impl From<openapiv3::Components> for Components {
    fn from(components: openapiv3::Components) -> Self {
        Components {
            schemas: components.schemas,
            responses: entries(components.responses),
            parameters: entries(components.parameters),
            examples: components.examples,
            request_bodies: entries(components.request_bodies),
            headers: entries(components.headers),
            security_schemes: components.security_schemes,
            links: components.links,
            callbacks: components
                .callbacks
                .into_iter()
                .map(|(name, node)| (name, map_item(node, values)))
                .collect(),
            extensions: components.extensions,
        }
    }
}

impl From<openapiv3::PathItem> for PathItem {
    fn from(item: openapiv3::PathItem) -> Self {
        let openapiv3::PathItem {
            summary,
            description,
            get,
            put,
            post,
            delete,
            options,
            head,
            patch,
            trace,
            servers,
            parameters,
            extensions,
        } = item;
        let by_method = [get, put, post, delete, options, head, patch, trace];
        let mut own = PathItem {
            summary,
            description,
            servers,
            parameters: self::parameters(parameters),
            extensions,
            ..PathItem::default()
        };
        for (method, operation) in METHODS.into_iter().zip(by_method) {
            if let Some(operation) = operation {
                own.set_operation(method, operation.into());
            }
        }
        own
    }
}

impl From<openapiv3::Operation> for Operation {
    fn from(operation: openapiv3::Operation) -> Self {
        Operation {
            tags: operation.tags,
            summary: operation.summary,
            description: operation.description,
            external_docs: operation.external_docs,
            operation_id: operation.operation_id,
            parameters: parameters(operation.parameters),
            request_body: operation
                .request_body
                .map(|body| map_item(body, RequestBody::from)),
            responses: operation.responses.into(),
            callbacks: operation
                .callbacks
                .into_iter()
                .map(|(name, paths)| (name, values(paths)))
                .collect(),
            deprecated: operation.deprecated,
            security: operation.security,
            servers: operation.servers,
            extensions: operation.extensions,
        }
    }
}

fn parameters(list: Vec<ReferenceOr<openapiv3::Parameter>>) -> Vec<ReferenceOr<Parameter>> {
    list.into_iter()
        .map(|node| map_item(node, Parameter::from))
        .collect()
}

impl From<openapiv3::Parameter> for Parameter {
    fn from(parameter: openapiv3::Parameter) -> Self {
        match parameter {
            openapiv3::Parameter::Query {
                parameter_data,
                allow_reserved,
                style,
                allow_empty_value,
            } => Parameter::Query {
                parameter_data: parameter_data.into(),
                allow_reserved,
                style,
                allow_empty_value,
            },
            openapiv3::Parameter::Header {
                parameter_data,
                style,
            } => Parameter::Header {
                parameter_data: parameter_data.into(),
                style,
            },
            openapiv3::Parameter::Path {
                parameter_data,
                style,
            } => Parameter::Path {
                parameter_data: parameter_data.into(),
                style,
            },
            openapiv3::Parameter::Cookie {
                parameter_data,
                style,
            } => Parameter::Cookie {
                parameter_data: parameter_data.into(),
                style,
            },
        }
    }
}

impl From<openapiv3::ParameterData> for ParameterData {
    fn from(data: openapiv3::ParameterData) -> Self {
        ParameterData {
            name: data.name,
            description: data.description,
            required: data.required,
            deprecated: data.deprecated,
            format: data.format.into(),
            example: data.example,
            examples: data.examples,
            explode: data.explode,
            extensions: data.extensions,
        }
    }
}

impl From<openapiv3::ParameterSchemaOrContent> for ParameterSchemaOrContent {
    fn from(format: openapiv3::ParameterSchemaOrContent) -> Self {
        match format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => {
                ParameterSchemaOrContent::Schema(boxed(schema))
            }
            openapiv3::ParameterSchemaOrContent::Content(media_types) => {
                ParameterSchemaOrContent::Content(values(media_types))
            }
        }
    }
}

impl From<openapiv3::Header> for Header {
    fn from(header: openapiv3::Header) -> Self {
        Header {
            description: header.description,
            style: header.style,
            required: header.required,
            deprecated: header.deprecated,
            format: header.format.into(),
            example: header.example,
            examples: header.examples,
            extensions: header.extensions,
        }
    }
}

impl From<openapiv3::RequestBody> for RequestBody {
    fn from(body: openapiv3::RequestBody) -> Self {
        RequestBody {
            description: body.description,
            content: values(body.content),
            required: body.required,
            extensions: body.extensions,
        }
    }
}

impl From<openapiv3::Responses> for Responses {
    fn from(responses: openapiv3::Responses) -> Self {
        Responses {
            default: responses
                .default
                .map(|response| map_item(response, Response::from)),
            responses: entries(responses.responses),
            extensions: responses.extensions,
        }
    }
}

impl From<openapiv3::Response> for Response {
    fn from(response: openapiv3::Response) -> Self {
        Response {
            description: response.description,
            headers: entries(response.headers),
            content: values(response.content),
            links: response.links,
            extensions: response.extensions,
        }
    }
}

impl From<openapiv3::MediaType> for MediaType {
    fn from(media_type: openapiv3::MediaType) -> Self {
        MediaType {
            schema: media_type.schema.map(boxed),
            example: media_type.example,
            examples: media_type.examples,
            encoding: media_type.encoding,
            extensions: media_type.extensions,
        }
    }
}
