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
    Content(MediaTypes),
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
    pub content: MediaTypes,
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
    pub content: MediaTypes,
    pub links: Map<String, ReferenceOr<Link>>,
    pub extensions: Map<String, Value>,
}

/// A `content` object: each media type with what it carries, in the order written. A body
/// or response names a few (most one), looked up by going through them: a map's index
/// took two allocations more for each, and a key of its own one more.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MediaTypes(Vec<(SmolStr, MediaType)>);

impl MediaTypes {
    /// No media types, with room for `capacity`.
    pub fn with_capacity(capacity: usize) -> Self {
        MediaTypes(Vec::with_capacity(capacity))
    }

    /// Each media type with what it carries, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&SmolStr, &MediaType)> {
        self.0.iter().map(|(name, media_type)| (name, media_type))
    }

    /// The media types, in order.
    pub fn keys(&self) -> impl Iterator<Item = &SmolStr> {
        self.0.iter().map(|(name, _)| name)
    }

    /// The first media type written.
    pub fn first(&self) -> Option<(&SmolStr, &MediaType)> {
        self.iter().next()
    }

    /// Whether `name` is one of the media types.
    pub fn contains_key(&self, name: &str) -> bool {
        self.keys().any(|known| known == name)
    }

    /// What the media type at `index` (in the order written) carries.
    pub fn nth(&self, index: usize) -> Option<&MediaType> {
        self.0.get(index).map(|(_, media_type)| media_type)
    }

    /// Sets what `name` carries, in its place if it is there already (as a map's insert
    /// does); returns that place's index.
    pub fn insert(&mut self, name: SmolStr, media_type: MediaType) -> usize {
        match self.0.iter().position(|(known, _)| *known == name) {
            Some(index) => {
                self.0[index].1 = media_type;
                index
            }
            None => {
                self.0.push((name, media_type));
                self.0.len() - 1
            }
        }
    }
}

impl<N: Into<SmolStr>, T: Into<MediaType>> FromIterator<(N, T)> for MediaTypes {
    fn from_iter<I: IntoIterator<Item = (N, T)>>(entries: I) -> Self {
        let mut media_types = MediaTypes::default();
        for (name, media_type) in entries {
            media_types.insert(name.into(), media_type.into());
        }
        media_types
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_keep_their_order_and_a_repeat_replaces_in_place() {
        let with_format = |format: &str| MediaType {
            extensions: [(format.to_owned(), Value::Null)].into_iter().collect(),
            ..MediaType::default()
        };
        let mut media_types = MediaTypes::with_capacity(2);
        assert_eq!(
            media_types.insert("application/json".into(), with_format("a")),
            0
        );
        assert_eq!(media_types.insert("text/plain".into(), with_format("b")), 1);
        assert_eq!(
            media_types.insert("application/json".into(), with_format("c")),
            0
        );
        let names: Vec<&str> = media_types.keys().map(SmolStr::as_str).collect();
        assert_eq!(names, ["application/json", "text/plain"]);
        assert_eq!(media_types.nth(0), Some(&with_format("c")));
        assert_eq!(media_types.nth(2), None);
        assert!(media_types.contains_key("text/plain") && !media_types.contains_key("text"));
        let collected: MediaTypes = [("text/plain", with_format("b"))].into_iter().collect();
        assert_eq!(
            collected.first().map(|(name, _)| name.as_str()),
            Some("text/plain")
        );
    }
}
