//! An operation and what hangs from it: parameters, bodies, responses, headers and media
//! types, as `openapiv3` has them but for where a schema is: behind a box. `openapiv3`
//! holds a schema inline (about a kilobyte) in each media type, parameter and header, most
//! of which only refer to a component, so that Kubernetes' parameter lists and response
//! contents took some 20 MB (by the sizes allocated), written and dropped with every
//! generation.

use openapiv3::{
    CookieStyle, Encoding, Example, ExternalDocumentation, HeaderStyle, Link, PathStyle,
    QueryStyle, SecurityRequirement, Server, StatusCode,
};
use serde::Deserialize;
use serde_json::Value;
use smol_str::SmolStr;

use super::{Map, PathItem, ReferenceOr, Schema};

/// One operation: a method on a path.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "openapiv3::Operation")]
pub struct Operation {
    pub tags: Vec<String>,
    pub summary: Option<SmolStr>,
    pub description: Option<SmolStr>,
    pub external_docs: Option<ExternalDocumentation>,
    pub operation_id: Option<String>,
    pub parameters: Vec<ReferenceOr<Parameter>>,
    pub request_body: Option<ReferenceOr<RequestBody>>,
    pub responses: Responses,
    /// Callbacks by name, each its path items by expression.
    pub callbacks: Map<String, Map<String, PathItem>>,
    pub deprecated: bool,
    pub security: Option<Vec<SecurityRequirement>>,
    pub servers: Vec<Server>,
    pub extensions: Map<String, Value>,
}

/// A parameter, by where it is sent.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "openapiv3::Parameter")]
pub enum Parameter {
    Query {
        parameter_data: ParameterData,
        allow_reserved: bool,
        style: QueryStyle,
        allow_empty_value: Option<bool>,
    },
    Header {
        parameter_data: ParameterData,
        style: HeaderStyle,
    },
    Path {
        parameter_data: ParameterData,
        style: PathStyle,
    },
    Cookie {
        parameter_data: ParameterData,
        style: CookieStyle,
    },
}

impl Parameter {
    /// What every kind of parameter has.
    pub fn parameter_data_ref(&self) -> &ParameterData {
        match self {
            Parameter::Query { parameter_data, .. }
            | Parameter::Header { parameter_data, .. }
            | Parameter::Path { parameter_data, .. }
            | Parameter::Cookie { parameter_data, .. } => parameter_data,
        }
    }
}

/// The part of a parameter that does not depend on where it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterData {
    pub name: SmolStr,
    pub description: Option<SmolStr>,
    pub required: bool,
    pub deprecated: Option<bool>,
    pub format: ParameterSchemaOrContent,
    pub example: Option<Value>,
    pub examples: Map<String, ReferenceOr<Example>>,
    pub explode: Option<bool>,
    pub extensions: Map<String, Value>,
}

/// How a parameter's or header's value is described: by a schema, or by one media type.
#[derive(Debug, Clone, PartialEq)]
pub enum ParameterSchemaOrContent {
    Schema(ReferenceOr<Box<Schema>>),
    Content(Map<String, MediaType>),
}

/// A response header.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "openapiv3::Header")]
pub struct Header {
    pub description: Option<SmolStr>,
    pub style: HeaderStyle,
    pub required: bool,
    pub deprecated: Option<bool>,
    pub format: ParameterSchemaOrContent,
    pub example: Option<Value>,
    pub examples: Map<String, ReferenceOr<Example>>,
    pub extensions: Map<String, Value>,
}

/// A request body.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "openapiv3::RequestBody")]
pub struct RequestBody {
    pub description: Option<SmolStr>,
    pub content: Map<String, MediaType>,
    pub required: bool,
    pub extensions: Map<String, Value>,
}

/// The responses of an operation, by status.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "openapiv3::Responses")]
pub struct Responses {
    pub default: Option<ReferenceOr<Response>>,
    pub responses: Map<StatusCode, ReferenceOr<Response>>,
    pub extensions: Map<String, Value>,
}

/// One response.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "openapiv3::Response")]
pub struct Response {
    pub description: SmolStr,
    pub headers: Map<String, ReferenceOr<Header>>,
    pub content: Map<String, MediaType>,
    pub links: Map<String, ReferenceOr<Link>>,
    pub extensions: Map<String, Value>,
}

/// The schema and examples of one media type of a body or parameter.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "openapiv3::MediaType")]
pub struct MediaType {
    pub schema: Option<ReferenceOr<Box<Schema>>>,
    pub example: Option<Value>,
    pub examples: Map<String, ReferenceOr<Example>>,
    pub encoding: Map<String, Encoding>,
    pub extensions: Map<String, Value>,
}
