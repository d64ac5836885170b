//! The loaded document: `openapiv3`'s model, but for the path items and what hangs from
//! them (operations, parameters, bodies, responses), which are tether's own and smaller.
//!
//! `openapiv3::PathItem` has a field for each of the eight methods of OpenAPI 3.0, each an
//! operation held inline, so that a path item takes 8.7 kB whatever it holds: Kubernetes'
//! 600 path items made a map of 5 MB, written in full (and paged in) to be read and dropped
//! again. The path item here holds the operations its spec writes, and nothing for the
//! others; below it, schemas are boxed (see [`operation`]), and schemas are ours too, with
//! what they seldom hold boxed (see [`schema`]); so are references, whose text places of
//! one reference share (see [`reference`]), and the model keeps only the extensions
//! tether reads ([`keeps_extension`]) and none of what it generates nothing from:
//! examples, callbacks, links. Security schemes, servers and the document's other parts
//! are `openapiv3`'s.
//!
//! Every type reads through serde as its `openapiv3` counterpart does (by way of it, see
//! [`convert`]), so a document written as JSON reads the same in either model.

mod convert;
mod operation;
mod reference;
mod schema;

use openapiv3::{ExternalDocumentation, Info, SecurityRequirement, SecurityScheme, Server, Tag};
use serde::Deserialize;
use serde_json::Value;
use smol_str::SmolStr;

pub use operation::{
    Header, MediaType, MediaTypes, Operation, Parameter, ParameterData, ParameterSchemaOrContent,
    RequestBody, Response, Responses,
};
pub use reference::ReferenceOr;
pub use schema::{
    AdditionalProperties, AnySchema, ArrayType, ObjectType, Schema, SchemaData, SchemaKind, Type,
};

/// The maps of the model: in the order the document writes them, hashed with the Fx hash
/// rather than SipHash (a spec is not input crafted against a hash table, and building the
/// maps hashed every key of every component, property and media type).
pub type Map<K, V> = indexmap::IndexMap<K, V, rustc_hash::FxBuildHasher>;

/// Speakeasy's extension describing how an operation pages, which lowering reads.
pub const PAGINATION_EXTENSION: &str = "x-speakeasy-pagination";

/// Whether the model keeps the extension `name` where the spec writes it: tether's own
/// (`x-tether-...`, which the loader writes and a spec may too) and the ones lowering
/// reads. The others are left out as they are read (by either reader): nothing reads them,
/// and each was a `Value` of a few allocations made and dropped for nothing (Kubernetes
/// writes three on each of its 1,100 operations). Extensions that change the document
/// (`x-ms-paths`, `x-nullable`, ...) are applied before the model is read.
pub fn keeps_extension(name: &str) -> bool {
    name.starts_with("x-tether-") || name == PAGINATION_EXTENSION
}

/// The methods an OpenAPI 3.0 path item has a field for, in the order `openapiv3` lists
/// them (which is the order operations are generated in).
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An OpenAPI 3.0 document, as [`super::load`] reads it: the fields of
/// `openapiv3::OpenAPI`, with path items and components of our own.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "openapiv3::OpenAPI")]
pub struct Document {
    /// The version of OpenAPI the document is written in (3.0.x once loaded).
    pub openapi: String,
    pub info: Info,
    pub servers: Vec<Server>,
    /// The path items by path, in the document's order.
    pub paths: Map<String, ReferenceOr<PathItem>>,
    pub components: Option<Components>,
    pub security: Option<Vec<SecurityRequirement>>,
    pub tags: Vec<Tag>,
    pub external_docs: Option<ExternalDocumentation>,
    pub extensions: Map<String, Value>,
}

/// The components a document's references name.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "openapiv3::Components")]
pub struct Components {
    pub schemas: Map<String, ReferenceOr<Schema>>,
    pub responses: Map<String, ReferenceOr<Response>>,
    pub parameters: Map<String, ReferenceOr<Parameter>>,
    pub request_bodies: Map<String, ReferenceOr<RequestBody>>,
    pub headers: Map<String, ReferenceOr<Header>>,
    pub security_schemes: Map<String, ReferenceOr<SecurityScheme>>,
    pub extensions: Map<String, Value>,
}

/// The operations available on one path, and what they share.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "openapiv3::PathItem")]
pub struct PathItem {
    pub summary: Option<SmolStr>,
    pub description: Option<SmolStr>,
    /// The operation of each method the spec writes, in the order of [`METHODS`].
    operations: Vec<(&'static str, Operation)>,
    pub servers: Vec<Server>,
    pub parameters: Vec<ReferenceOr<Parameter>>,
    pub extensions: Map<String, Value>,
}

impl PathItem {
    /// Each operation with its method, in the order of [`METHODS`].
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        self.operations
            .iter()
            .map(|(method, operation)| (*method, operation))
    }

    /// The operation of `method` (one of [`METHODS`]), if the path has one.
    pub fn operation(&self, method: &str) -> Option<&Operation> {
        self.iter()
            .find(|(listed, _)| *listed == method)
            .map(|(_, operation)| operation)
    }

    /// Sets the operation of `method`, replacing the one it had; `None` (and nothing set)
    /// when `method` is not one of [`METHODS`].
    pub fn set_operation(&mut self, method: &str, operation: Operation) -> Option<()> {
        let rank = |listed: &str| METHODS.iter().position(|known| *known == listed);
        let new = rank(method)?;
        let at = self
            .operations
            .partition_point(|(listed, _)| rank(listed) < Some(new));
        match self.operations.get_mut(at) {
            Some((listed, slot)) if *listed == method => *slot = operation,
            _ => {
                // An operation takes most of a kilobyte and most paths have one or two:
                // room for one more rather than the four a growing vector would make.
                self.operations.reserve_exact(1);
                self.operations.insert(at, (METHODS[new], operation))
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn operation(id: &str) -> Operation {
        Operation {
            operation_id: Some(id.into()),
            ..Operation::default()
        }
    }

    /// What the model is for: a node that most specs have by the thousand holds no schema
    /// inline (`openapiv3`'s takes about a kilobyte), and a schema holds inline only what
    /// most schemas have.
    #[test]
    fn nodes_hold_no_schema_inline_and_schemas_are_small() {
        let openapiv3_schema = std::mem::size_of::<openapiv3::Schema>();
        for (node, size) in [
            ("path item", std::mem::size_of::<PathItem>()),
            ("parameter", std::mem::size_of::<Parameter>()),
            ("header", std::mem::size_of::<Header>()),
            ("media type", std::mem::size_of::<MediaType>()),
            ("schema", std::mem::size_of::<Schema>()),
        ] {
            assert!(size < openapiv3_schema / 2, "a {node} takes {size} bytes");
        }
        assert!(std::mem::size_of::<SchemaKind>() < std::mem::size_of::<openapiv3::Type>() + 16);
    }

    #[test]
    fn operations_are_kept_in_the_order_of_the_methods_whatever_order_they_are_set_in() {
        let mut item = PathItem::default();
        for method in ["trace", "post", "get", "patch", "post"] {
            item.set_operation(method, operation(method))
                .expect("a method");
        }
        let methods: Vec<&str> = item.iter().map(|(method, _)| method).collect();
        assert_eq!(methods, ["get", "post", "patch", "trace"]);
        assert!(item.set_operation("query", operation("q")).is_none());
        assert_eq!(
            item.operation("patch")
                .and_then(|op| op.operation_id.as_deref()),
            Some("patch")
        );
        assert!(item.operation("put").is_none());
    }

    #[test]
    fn a_path_item_read_by_serde_has_what_openapiv3_reads_in_its_order() {
        let node = json!({
            "summary": "pets",
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "delete": {"operationId": "remove", "responses": {}},
            "get": {"operationId": "list", "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer"}}
            ], "responses": {}},
            "x-kind": "collection",
            "x-tether-additional-operations": {}
        });
        let own: PathItem = serde_json::from_value(node.clone()).expect("reads");
        let model: openapiv3::PathItem = serde_json::from_value(node).expect("reads");
        let ids = |operations: Vec<(&str, Option<&str>)>| -> Vec<String> {
            operations
                .into_iter()
                .map(|(method, id)| format!("{method} {}", id.unwrap_or("")))
                .collect()
        };
        assert_eq!(
            ids(own
                .iter()
                .map(|(method, op)| (method, op.operation_id.as_deref()))
                .collect()),
            ids(model
                .iter()
                .map(|(method, op)| (method, op.operation_id.as_deref()))
                .collect()),
        );
        assert_eq!(own.summary.as_deref(), model.summary.as_deref());
        // The extensions the model keeps, and only those.
        let kept: Vec<&String> = model
            .extensions
            .keys()
            .filter(|name| keeps_extension(name))
            .collect();
        assert_eq!(own.extensions.keys().collect::<Vec<_>>(), kept);
        assert_eq!(kept, ["x-tether-additional-operations"]);
        let Some(ReferenceOr::Item(Parameter::Query { parameter_data, .. })) = own
            .operation("get")
            .and_then(|operation| operation.parameters.first())
        else {
            panic!("the query parameter is read");
        };
        assert!(matches!(
            &parameter_data.format,
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema))
                if matches!(schema.schema_kind, SchemaKind::Type(Type::Integer(_)))
        ));
    }
}
