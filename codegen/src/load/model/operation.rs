//! An operation and what hangs from it: parameters, bodies, responses, headers and media
//! types, as `openapiv3` has them but for where a schema is: behind a box. `openapiv3`
//! holds a schema inline (about a kilobyte) in each media type, parameter and header, most
//! of which only refer to a component, so that Kubernetes' parameter lists and response
//! contents took some 20 MB (by the sizes allocated), written and dropped with every
//! generation.

use openapiv3::{
    CookieStyle, Encoding, HeaderStyle, PathStyle, QueryStyle, SecurityRequirement, Server,
    StatusCode,
};
use serde::Deserialize;
use serde_json::Value;
use smol_str::SmolStr;

use super::{Map, ReferenceOr, Schema};

/// One operation: a method on a path.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "openapiv3::Operation")]
pub struct Operation {
    pub tags: Vec<String>,
    pub summary: Option<SmolStr>,
    pub description: Option<SmolStr>,
    pub operation_id: Option<SmolStr>,
    pub parameters: Vec<ReferenceOr<Parameter>>,
    pub request_body: Option<ReferenceOr<RequestBody>>,
    pub responses: Responses,
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

/// The part of a parameter that does not depend on where it is sent (its examples left
/// out, as a media type's are).
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterData {
    pub name: SmolStr,
    pub description: Option<SmolStr>,
    pub required: bool,
    pub deprecated: Option<bool>,
    pub format: ParameterSchemaOrContent,
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
    pub responses: ListMap<StatusCode, ReferenceOr<Response>>,
    pub extensions: Map<String, Value>,
}

/// One response.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "openapiv3::Response")]
pub struct Response {
    pub description: SmolStr,
    pub headers: Map<String, ReferenceOr<Header>>,
    pub content: MediaTypes,
    pub extensions: Map<String, Value>,
}

/// A `content` object: each media type with what it carries, in the order written.
pub type MediaTypes = ListMap<SmolStr, MediaType>;

/// A small map in the order its entries were written, looked up by going through them: a
/// body or response names a few media types (most one), an operation a few statuses, and
/// an `IndexMap`'s index took two allocations more for each (its keys one more as strings).
#[derive(Debug, Clone, PartialEq)]
pub struct ListMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for ListMap<K, V> {
    fn default() -> Self {
        ListMap(Vec::new())
    }
}

impl<K: PartialEq, V> ListMap<K, V> {
    /// No entries, with room for `capacity`.
    pub fn with_capacity(capacity: usize) -> Self {
        ListMap(Vec::with_capacity(capacity))
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each key with its value, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(key, value)| (key, value))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|(key, _)| key)
    }

    /// The values, in order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, value)| value)
    }

    /// The first entry written.
    pub fn first(&self) -> Option<(&K, &V)> {
        self.iter().next()
    }

    /// Whether `key` has an entry.
    pub fn contains_key<Q: ?Sized + PartialEq>(&self, key: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
    {
        self.keys().any(|known| known.borrow() == key)
    }

    /// The value at `index` (in the order written).
    pub fn nth(&self, index: usize) -> Option<&V> {
        self.0.get(index).map(|(_, value)| value)
    }

    /// Sets the value of `key`, in its place if it has one already (as a map's insert
    /// does); returns that place's index.
    pub fn insert(&mut self, key: K, value: V) -> usize {
        match self.0.iter().position(|(known, _)| *known == key) {
            Some(index) => {
                self.0[index].1 = value;
                index
            }
            None => {
                self.0.push((key, value));
                self.0.len() - 1
            }
        }
    }
}

impl<K: PartialEq, V, N: Into<K>, T: Into<V>> FromIterator<(N, T)> for ListMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (N, T)>>(entries: I) -> Self {
        let mut map = ListMap::default();
        for (key, value) in entries {
            map.insert(key.into(), value.into());
        }
        map
    }
}

/// The schema of one media type of a body or parameter, and how a multipart body encodes
/// its parts. Examples, here and on parameters and headers, are not kept: nothing tether
/// generates reads them, and Kubernetes names up to seven media types per response, each
/// a copy of this node.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "openapiv3::MediaType")]
pub struct MediaType {
    pub schema: Option<ReferenceOr<Box<Schema>>>,
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
