//! The model read from `openapiv3`'s: where serde reads a node (a node of an unusual shape,
//! or one repaired), it reads `openapiv3`'s type, which is then moved into ours.

use std::hash::Hash;

use indexmap::IndexMap;
use serde_json::Value;
use smol_str::SmolStr;

use super::operation::{
    Header, MediaType, Operation, Parameter, ParameterData, ParameterSchemaOrContent, RequestBody,
    Response, Responses,
};
use super::schema::{
    AdditionalProperties, AnySchema, ArrayType, ObjectType, Schema, SchemaData, SchemaKind, Type,
};
use super::{keeps_extension, Components, Document, Map, PathItem, ReferenceOr, METHODS};

/// A reference kept, an item turned into `U`.
fn map_item<T, U>(node: openapiv3::ReferenceOr<T>, into: impl FnOnce(T) -> U) -> ReferenceOr<U> {
    match node {
        openapiv3::ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.into(),
        },
        openapiv3::ReferenceOr::Item(item) => ReferenceOr::Item(into(item)),
    }
}

/// Each entry of `map` turned into `U`, references left as they are.
fn entries<K, T, U: From<T>, C: FromIterator<(K, ReferenceOr<U>)>>(
    map: IndexMap<K, openapiv3::ReferenceOr<T>>,
) -> C {
    map.into_iter()
        .map(|(key, node)| (key, map_item(node, U::from)))
        .collect()
}

fn boxed(schema: openapiv3::ReferenceOr<openapiv3::Schema>) -> ReferenceOr<Box<Schema>> {
    map_item(schema, |schema| Box::new(schema.into()))
}

/// A schema `openapiv3` holds in a box (a property's, an array's items), in ours.
fn reboxed(schema: openapiv3::ReferenceOr<Box<openapiv3::Schema>>) -> ReferenceOr<Box<Schema>> {
    map_item(schema, |schema| Box::new((*schema).into()))
}

/// Each item of `list` turned into `U`, references left as they are.
fn list<T, U: From<T>>(list: Vec<openapiv3::ReferenceOr<T>>) -> Vec<ReferenceOr<U>> {
    list.into_iter()
        .map(|node| map_item(node, U::from))
        .collect()
}

fn properties(
    map: IndexMap<String, openapiv3::ReferenceOr<Box<openapiv3::Schema>>>,
) -> Map<SmolStr, ReferenceOr<Box<Schema>>> {
    map.into_iter()
        .map(|(name, schema)| (SmolStr::from(name), reboxed(schema)))
        .collect()
}

/// A text the model shares with the lowered API (see [`SmolStr`]).
fn shared(text: Option<String>) -> Option<SmolStr> {
    text.map(SmolStr::from)
}

fn names(names: Vec<String>) -> Vec<SmolStr> {
    names.into_iter().map(SmolStr::from).collect()
}

/// A schema `openapiv3` holds boxed with its reference (`not`, `additionalProperties`).
fn boxed_node(schema: Box<openapiv3::ReferenceOr<openapiv3::Schema>>) -> Box<ReferenceOr<Schema>> {
    Box::new(map_item(*schema, Schema::from))
}

/// `map` as the model's [`Map`], each value turned into `U` (moved as it is where `U` is
/// `T`, as encodings and security schemes are).
fn values<K: Hash + Eq, T, U: From<T>>(map: IndexMap<K, T>) -> Map<K, U> {
    map.into_iter()
        .map(|(key, value)| (key, value.into()))
        .collect()
}

/// The extensions of `map` the model keeps (see [`keeps_extension`]).
fn kept_extensions(map: IndexMap<String, Value>) -> Map<String, Value> {
    map.into_iter()
        .filter(|(name, _)| keeps_extension(name))
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
            extensions: kept_extensions(document.extensions),
        }
    }
}

impl From<openapiv3::Components> for Components {
    fn from(components: openapiv3::Components) -> Self {
        Components {
            schemas: entries(components.schemas),
            responses: entries(components.responses),
            parameters: entries(components.parameters),
            request_bodies: entries(components.request_bodies),
            headers: entries(components.headers),
            security_schemes: values(components.security_schemes),
            extensions: kept_extensions(components.extensions),
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
            summary: shared(summary),
            description: shared(description),
            servers,
            parameters: list(parameters),
            extensions: kept_extensions(extensions),
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
            summary: shared(operation.summary),
            description: shared(operation.description),
            operation_id: operation.operation_id.map(SmolStr::from),
            parameters: list(operation.parameters),
            request_body: operation
                .request_body
                .map(|body| map_item(body, RequestBody::from)),
            responses: operation.responses.into(),
            deprecated: operation.deprecated,
            security: operation.security,
            servers: operation.servers,
            extensions: kept_extensions(operation.extensions),
        }
    }
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
            name: SmolStr::from(data.name),
            description: shared(data.description),
            required: data.required,
            deprecated: data.deprecated,
            format: data.format.into(),
            explode: data.explode,
            extensions: kept_extensions(data.extensions),
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
                ParameterSchemaOrContent::Content(media_types.into_iter().collect())
            }
        }
    }
}

impl From<openapiv3::Header> for Header {
    fn from(header: openapiv3::Header) -> Self {
        Header {
            description: shared(header.description),
            style: header.style,
            required: header.required,
            deprecated: header.deprecated,
            format: header.format.into(),
            extensions: kept_extensions(header.extensions),
        }
    }
}

impl From<openapiv3::RequestBody> for RequestBody {
    fn from(body: openapiv3::RequestBody) -> Self {
        RequestBody {
            description: shared(body.description),
            content: body.content.into_iter().collect(),
            required: body.required,
            extensions: kept_extensions(body.extensions),
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
            extensions: kept_extensions(responses.extensions),
        }
    }
}

impl From<openapiv3::Response> for Response {
    fn from(response: openapiv3::Response) -> Self {
        Response {
            description: SmolStr::from(response.description),
            headers: entries(response.headers),
            content: response.content.into_iter().collect(),
            extensions: kept_extensions(response.extensions),
        }
    }
}

impl From<openapiv3::MediaType> for MediaType {
    fn from(media_type: openapiv3::MediaType) -> Self {
        MediaType {
            schema: media_type.schema.map(boxed),
            encoding: values(media_type.encoding),
            extensions: kept_extensions(media_type.extensions),
        }
    }
}

impl From<openapiv3::Schema> for Schema {
    fn from(schema: openapiv3::Schema) -> Self {
        Schema {
            schema_data: schema.schema_data.into(),
            schema_kind: schema.schema_kind.into(),
        }
    }
}

impl From<openapiv3::SchemaData> for SchemaData {
    fn from(data: openapiv3::SchemaData) -> Self {
        SchemaData {
            nullable: data.nullable,
            read_only: data.read_only,
            write_only: data.write_only,
            deprecated: data.deprecated,
            title: shared(data.title),
            description: shared(data.description),
            discriminator: data.discriminator.map(Box::new),
            default: data.default.map(Box::new),
            extensions: kept_extensions(data.extensions),
        }
    }
}

impl From<openapiv3::SchemaKind> for SchemaKind {
    fn from(kind: openapiv3::SchemaKind) -> Self {
        match kind {
            openapiv3::SchemaKind::Type(typ) => SchemaKind::Type(typ.into()),
            openapiv3::SchemaKind::OneOf { one_of } => SchemaKind::OneOf {
                one_of: list(one_of),
            },
            openapiv3::SchemaKind::AllOf { all_of } => SchemaKind::AllOf {
                all_of: list(all_of),
            },
            openapiv3::SchemaKind::AnyOf { any_of } => SchemaKind::AnyOf {
                any_of: list(any_of),
            },
            openapiv3::SchemaKind::Not { not } => SchemaKind::Not {
                not: boxed_node(not),
            },
            openapiv3::SchemaKind::Any(any) => SchemaKind::Any(Box::new(any.into())),
        }
    }
}

impl From<openapiv3::Type> for Type {
    fn from(typ: openapiv3::Type) -> Self {
        match typ {
            openapiv3::Type::String(string) => Type::String(string),
            openapiv3::Type::Number(number) => Type::Number(number),
            openapiv3::Type::Integer(integer) => Type::Integer(integer),
            openapiv3::Type::Boolean(boolean) => Type::Boolean(boolean),
            openapiv3::Type::Object(object) => Type::Object(ObjectType {
                properties: properties(object.properties),
                required: names(object.required),
                additional_properties: object.additional_properties.map(Into::into),
                min_properties: object.min_properties,
                max_properties: object.max_properties,
            }),
            openapiv3::Type::Array(array) => Type::Array(ArrayType {
                items: array.items.map(reboxed),
                min_items: array.min_items,
                max_items: array.max_items,
                unique_items: array.unique_items,
            }),
        }
    }
}

impl From<openapiv3::AdditionalProperties> for AdditionalProperties {
    fn from(additional: openapiv3::AdditionalProperties) -> Self {
        match additional {
            openapiv3::AdditionalProperties::Any(any) => AdditionalProperties::Any(any),
            openapiv3::AdditionalProperties::Schema(schema) => {
                AdditionalProperties::Schema(boxed_node(schema))
            }
        }
    }
}

impl From<openapiv3::AnySchema> for AnySchema {
    fn from(any: openapiv3::AnySchema) -> Self {
        AnySchema {
            typ: any.typ,
            pattern: any.pattern,
            multiple_of: any.multiple_of,
            exclusive_minimum: any.exclusive_minimum,
            exclusive_maximum: any.exclusive_maximum,
            minimum: any.minimum,
            maximum: any.maximum,
            properties: properties(any.properties),
            required: names(any.required),
            additional_properties: any.additional_properties.map(Into::into),
            min_properties: any.min_properties,
            max_properties: any.max_properties,
            items: any.items.map(reboxed),
            min_items: any.min_items,
            max_items: any.max_items,
            unique_items: any.unique_items,
            enumeration: any.enumeration,
            format: any.format,
            min_length: any.min_length,
            max_length: any.max_length,
            one_of: list(any.one_of),
            all_of: list(any.all_of),
            any_of: list(any.any_of),
            not: any.not.map(boxed_node),
        }
    }
}
