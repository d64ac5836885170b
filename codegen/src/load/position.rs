//! Where a node sits in an OpenAPI document, so that a `$ref` can be resolved to the right
//! kind of component and a node that does not parse can be repaired as what it is; and
//! the children a walk over the document visits, each with the key its position follows.

use std::borrow::Cow;

use serde_json::Value;

/// The OpenAPI major shape a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// Swagger 2.0 (`definitions`, body parameters, `schema` directly on responses).
    Swagger2,
    /// OpenAPI 3.0.x and 3.1.x (3.1 adds `$defs` and `prefixItems` inside schemas).
    OpenApi3,
}

/// The kind of node at some place in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    Document,
    Components,
    Paths,
    PathItem,
    Operation,
    Parameters,
    Parameter,
    ParameterMap,
    RequestBody,
    RequestBodyMap,
    Responses,
    Response,
    ResponseMap,
    Content,
    MediaType,
    Headers,
    Header,
    Schema,
    SchemaMap,
    SchemaList,
    Tags,
    Tag,
    /// OpenAPI 3.2's `additionalOperations`: operations by method name.
    Operations,
    /// A map of callbacks by name; each callback is a map of path items, as `paths` is.
    Callbacks,
    /// A media type's `encoding`: property names to encodings.
    Encodings,
    Encoding,
    /// Anything the generator does not look into: examples, extensions, links.
    Opaque,
}

impl Position {
    /// The position of the child under `key` (an object key or an array index).
    pub(crate) fn child(self, key: &str, dialect: Dialect) -> Position {
        use Position::*;
        if key == super::ADDITIONAL_OPERATIONS && self == PathItem {
            return Operations;
        }
        if key.starts_with("x-") && !matches!(self, SchemaMap) {
            return Opaque;
        }
        match (self, key) {
            (Document, "paths") => Paths,
            (Document, "components") => Components,
            (Document, "tags") => Tags,
            (Document, "definitions") if dialect == Dialect::Swagger2 => SchemaMap,
            (Document, "parameters") if dialect == Dialect::Swagger2 => ParameterMap,
            (Document, "responses") if dialect == Dialect::Swagger2 => ResponseMap,
            (Components, "schemas") => SchemaMap,
            (Components, "parameters") => ParameterMap,
            (Components, "requestBodies") => RequestBodyMap,
            (Components, "responses") => ResponseMap,
            (Components, "headers") => Headers,
            (Components, "pathItems") => Paths,
            // Callbacks and encodings are not generated from, but the model reads them, and
            // the schemas inside them must be repaired like any other.
            (Components, "callbacks") | (Operation, "callbacks") => Callbacks,
            (Callbacks, _) => Paths,
            (MediaType, "encoding") => Encodings,
            (Encodings, _) => Encoding,
            (Encoding, "headers") => Headers,
            (Paths, _) => PathItem,
            (PathItem, "parameters") | (Operation, "parameters") => Parameters,
            (PathItem, method) if super::model::METHODS.contains(&method) => Operation,
            (PathItem, "query") => Operation,
            (PathItem, "additionalOperations") => Operations,
            (Operations, _) => Operation,
            (Operation, "requestBody") => RequestBody,
            (Operation, "responses") => Responses,
            (Parameters, _) | (ParameterMap, _) => Parameter,
            (Parameter, "schema") | (Header, "schema") | (MediaType, "schema") => Schema,
            (Parameter, "items") if dialect == Dialect::Swagger2 => Schema,
            (Parameter, "content") | (Header, "content") | (RequestBody, "content") => Content,
            (RequestBodyMap, _) => RequestBody,
            (Responses, _) | (ResponseMap, _) => Response,
            (Response, "content") => Content,
            (Response, "headers") => Headers,
            (Response, "schema") if dialect == Dialect::Swagger2 => Schema,
            (Content, _) => MediaType,
            (Headers, _) => Header,
            (Schema, "properties" | "patternProperties" | "$defs" | "definitions") => SchemaMap,
            (Schema, "items" | "additionalProperties" | "not") => Schema,
            (Schema, "allOf" | "oneOf" | "anyOf" | "prefixItems") => SchemaList,
            (SchemaMap, _) | (SchemaList, _) => Schema,
            (Tags, _) => Tag,
            _ => Opaque,
        }
    }

    /// The position of an array's items: an index never names a keyword, so every item of
    /// an array is at the same position.
    pub(crate) fn item(self, dialect: Dialect) -> Position {
        self.child("0", dialect)
    }

    /// Whether the value under `key` of a node at this position is an example (or a map of
    /// them): data about the API that the generator never reads.
    pub(crate) fn holds_example(self, key: &str) -> bool {
        use Position::*;
        match key {
            "example" => matches!(self, Schema | MediaType | Parameter | Header),
            // A Swagger 2.0 response's `examples` are by media type.
            "examples" => matches!(
                self,
                Schema | MediaType | Parameter | Header | Response | Components
            ),
            _ => false,
        }
    }

    /// Where components of this kind are kept, for positions that a `$ref` can name.
    /// `None` for path items (they are inlined) and for everything not resolved.
    pub(crate) fn component_home(self, dialect: Dialect) -> Option<&'static [&'static str]> {
        use Position::*;
        match (self, dialect) {
            (Schema, Dialect::Swagger2) => Some(&["definitions"]),
            (Parameter, Dialect::Swagger2) => Some(&["parameters"]),
            (Response, Dialect::Swagger2) => Some(&["responses"]),
            (Schema, Dialect::OpenApi3) => Some(&["components", "schemas"]),
            (Parameter, Dialect::OpenApi3) => Some(&["components", "parameters"]),
            (Response, Dialect::OpenApi3) => Some(&["components", "responses"]),
            (RequestBody, Dialect::OpenApi3) => Some(&["components", "requestBodies"]),
            (Header, Dialect::OpenApi3) => Some(&["components", "headers"]),
            _ => None,
        }
    }
}

/// The children of `node` a walk looks into, with their positions: objects and arrays at a
/// position the generator reads. Leaves and opaque nodes (examples, extensions) are
/// skipped without their position being worked out, which is most of a big document.
pub(crate) fn nested(
    node: &Value,
    position: Position,
    dialect: Dialect,
) -> impl Iterator<Item = (Position, &Value)> {
    let (entries, items) = match node {
        Value::Object(map) => (Some(map.iter()), None),
        Value::Array(items) => (None, Some((position.item(dialect), items.iter()))),
        _ => (None, None),
    };
    let entries = entries
        .into_iter()
        .flatten()
        .filter(|(_, child)| is_container(child))
        .map(move |(key, child)| (position.child(key, dialect), child));
    let items = items.into_iter().flat_map(|(item, items)| {
        items
            .filter(|child| is_container(child))
            .map(move |child| (item, child))
    });
    entries
        .chain(items)
        .filter(|(position, _)| *position != Position::Opaque)
}

/// Whether `node` can hold other nodes.
pub(crate) fn is_container(node: &Value) -> bool {
    matches!(node, Value::Object(_) | Value::Array(_))
}

/// The children of `node` with their keys, to change them in place: an object's entries,
/// or an array's items under their index.
pub(crate) fn children_mut(node: &mut Value) -> impl Iterator<Item = (Cow<'_, str>, &mut Value)> {
    match node {
        Value::Object(map) => keyed(Some(map.iter_mut()), None),
        Value::Array(items) => keyed(None, Some(items.iter_mut())),
        _ => keyed(None, None),
    }
}

/// An object's `entries` or an array's `items` (the other one `None`), each with its key.
fn keyed<'a, T>(
    entries: Option<impl Iterator<Item = (&'a String, T)>>,
    items: Option<impl Iterator<Item = T>>,
) -> impl Iterator<Item = (Cow<'a, str>, T)> {
    let entries = entries
        .into_iter()
        .flatten()
        .map(|(key, child)| (Cow::Borrowed(key.as_str()), child));
    let items = items
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(index, item)| (Cow::Owned(index.to_string()), item));
    entries.chain(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(path: &[&str], dialect: Dialect) -> Position {
        path.iter().fold(Position::Document, |position, key| {
            position.child(key, dialect)
        })
    }

    #[test]
    fn children_are_entries_or_indexed_items() {
        let keys = |mut node: serde_json::Value| -> Vec<String> {
            children_mut(&mut node)
                .map(|(key, _)| key.into_owned())
                .collect()
        };
        assert_eq!(keys(serde_json::json!({"b": 1, "a": [2]})), ["b", "a"]);
        assert_eq!(keys(serde_json::json!(["x", "y"])), ["0", "1"]);
        assert!(keys(serde_json::json!("leaf")).is_empty());
        let mut node = serde_json::json!({"a": 1, "b": [1, 2]});
        for (key, child) in children_mut(&mut node) {
            if key == "b" {
                for (_, item) in children_mut(child) {
                    *item = serde_json::json!(0);
                }
            }
        }
        assert_eq!(node, serde_json::json!({"a": 1, "b": [0, 0]}));
    }

    #[test]
    fn nested_children_skip_leaves_and_opaque_nodes() {
        let operation = serde_json::json!({
            "summary": "leaf",
            "parameters": [{"name": "a"}, "odd", {"name": "b"}],
            "responses": {"200": {"description": "ok"}},
            "x-extension": {"$ref": "data"}
        });
        let positions: Vec<Position> = nested(&operation, Position::Operation, Dialect::OpenApi3)
            .map(|(position, _)| position)
            .collect();
        assert_eq!(positions, [Position::Parameters, Position::Responses]);
        let parameters = &operation["parameters"];
        let items: Vec<(Position, &Value)> =
            nested(parameters, Position::Parameters, Dialect::OpenApi3).collect();
        assert_eq!(
            items,
            [
                (Position::Parameter, &parameters[0]),
                (Position::Parameter, &parameters[2])
            ]
        );
    }

    #[test]
    fn schema_positions_are_found_through_the_tree() {
        let media = [
            "paths",
            "/pets",
            "get",
            "responses",
            "200",
            "content",
            "application/json",
        ];
        let mut path = media.to_vec();
        path.extend(["schema", "properties", "owner", "allOf", "0"]);
        assert_eq!(walk(&path, Dialect::OpenApi3), Position::Schema);
        let swagger = [
            "paths",
            "/pets",
            "get",
            "responses",
            "200",
            "schema",
            "items",
        ];
        assert_eq!(walk(&swagger, Dialect::Swagger2), Position::Schema);
    }

    #[test]
    fn property_names_never_change_the_kind() {
        let path = [
            "components",
            "schemas",
            "Pet",
            "properties",
            "responses",
            "items",
        ];
        assert_eq!(walk(&path, Dialect::OpenApi3), Position::Schema);
        let examples = [
            "paths",
            "/a",
            "get",
            "responses",
            "200",
            "content",
            "a/b",
            "example",
        ];
        assert_eq!(walk(&examples, Dialect::OpenApi3), Position::Opaque);
    }

    #[test]
    fn schemas_inside_callbacks_and_encodings_are_schemas() {
        let callback = [
            "paths",
            "/streams",
            "post",
            "callbacks",
            "onData",
            "{$request.query.url}",
            "post",
            "requestBody",
            "content",
            "application/json",
            "schema",
        ];
        assert_eq!(walk(&callback, Dialect::OpenApi3), Position::Schema);
        let encoding = [
            "components",
            "requestBodies",
            "Upload",
            "content",
            "multipart/form-data",
            "encoding",
            "file",
            "headers",
            "X-Rate",
            "schema",
        ];
        assert_eq!(walk(&encoding, Dialect::OpenApi3), Position::Schema);
    }
}
