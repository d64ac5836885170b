//! The loaded document: `openapiv3`'s model, but for its path items.
//!
//! `openapiv3::PathItem` has a field for each of the eight methods of OpenAPI 3.0, each an
//! operation held inline, so that a path item takes 8.7 kB whatever it holds: Kubernetes'
//! 600 path items made a map of 5 MB, written in full (and paged in) to be read and dropped
//! again. The path item here holds the operations its spec writes, and nothing for the
//! others. Everything below a path item (operations, parameters, schemas) and every other
//! part of the document are `openapiv3`'s.
//!
//! Both types read and write through serde as their `openapiv3` counterparts do (by way
//! of them), so a document written as JSON reads the same in either model.

use indexmap::IndexMap;
use openapiv3::{
    Components, ExternalDocumentation, Info, Operation, Parameter, ReferenceOr,
    SecurityRequirement, Server, Tag,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The methods an OpenAPI 3.0 path item has a field for, in the order `openapiv3` lists
/// them (which is the order operations are generated in).
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An OpenAPI 3.0 document, as [`super::load`] reads it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "openapiv3::OpenAPI")]
pub struct Document {
    /// The version of OpenAPI the document is written in (3.0.x once loaded).
    pub openapi: String,
    pub info: Info,
    pub servers: Vec<Server>,
    /// The path items by path, in the document's order.
    pub paths: IndexMap<String, ReferenceOr<PathItem>>,
    pub components: Option<Components>,
    pub security: Option<Vec<SecurityRequirement>>,
    pub tags: Vec<Tag>,
    pub external_docs: Option<ExternalDocumentation>,
    pub extensions: IndexMap<String, Value>,
}

/// The operations available on one path, and what they share.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(from = "openapiv3::PathItem", into = "openapiv3::PathItem")]
pub struct PathItem {
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The operation of each method the spec writes, in the order of [`METHODS`].
    operations: Vec<(&'static str, Operation)>,
    pub servers: Vec<Server>,
    pub parameters: Vec<ReferenceOr<Parameter>>,
    pub extensions: IndexMap<String, Value>,
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
            _ => self.operations.insert(at, (METHODS[new], operation)),
        }
        Some(())
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
        PathItem {
            summary,
            description,
            operations: METHODS
                .into_iter()
                .zip(by_method)
                .filter_map(|(method, operation)| Some((method, operation?)))
                .collect(),
            servers,
            parameters,
            extensions,
        }
    }
}

impl From<PathItem> for openapiv3::PathItem {
    fn from(item: PathItem) -> Self {
        let mut model = openapiv3::PathItem {
            summary: item.summary,
            description: item.description,
            servers: item.servers,
            parameters: item.parameters,
            extensions: item.extensions,
            ..Default::default()
        };
        for (method, operation) in item.operations {
            let slot = match method {
                "get" => &mut model.get,
                "put" => &mut model.put,
                "post" => &mut model.post,
                "delete" => &mut model.delete,
                "options" => &mut model.options,
                "head" => &mut model.head,
                "patch" => &mut model.patch,
                // `set_operation` takes only the eight methods.
                _ => &mut model.trace,
            };
            *slot = Some(operation);
        }
        model
    }
}

impl From<openapiv3::OpenAPI> for Document {
    fn from(document: openapiv3::OpenAPI) -> Self {
        Document {
            openapi: document.openapi,
            info: document.info,
            servers: document.servers,
            paths: document
                .paths
                .paths
                .into_iter()
                .map(|(path, item)| (path, map_item(item, PathItem::from)))
                .collect(),
            components: document.components,
            security: document.security,
            tags: document.tags,
            external_docs: document.external_docs,
            extensions: document.extensions,
        }
    }
}

/// A reference left as it is, an item turned into `U`.
fn map_item<T, U>(node: ReferenceOr<T>, into: impl FnOnce(T) -> U) -> ReferenceOr<U> {
    match node {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(item) => ReferenceOr::Item(into(item)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn operation(id: &str) -> Operation {
        Operation {
            operation_id: Some(id.to_owned()),
            ..Operation::default()
        }
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
    fn a_path_item_reads_and_writes_as_openapiv3_reads_and_writes_it() {
        let node = json!({
            "summary": "pets",
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "delete": {"operationId": "remove", "responses": {}},
            "get": {"operationId": "list", "responses": {}},
            "x-kind": "collection"
        });
        let own: PathItem = serde_json::from_value(node.clone()).expect("reads");
        let model: openapiv3::PathItem = serde_json::from_value(node).expect("reads");
        assert_eq!(
            serde_json::to_value(&own).expect("writes"),
            serde_json::to_value(&model).expect("writes")
        );
        let own_order: Vec<&str> = own.iter().map(|(method, _)| method).collect();
        let model_order: Vec<&str> = model.iter().map(|(method, _)| method).collect();
        assert_eq!(own_order, model_order);
        assert_eq!(openapiv3::PathItem::from(own), model);
    }
}
