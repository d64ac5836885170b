//! Reading the component a local `$ref` names.

use std::borrow::Cow;

/// The name of the component that `reference` names in `section` of `#/components/`
/// (`schemas`, `parameters`, ...), decoded as a URI fragment is (percent escapes, as in
/// `Foo%20Bar`) and then as a JSON pointer segment (`~1` is `/`, `~0` is `~`). `None` when
/// `reference` points anywhere else.
pub(crate) fn component_name<'r>(reference: &'r str, section: &str) -> Option<Cow<'r, str>> {
    let written = reference
        .strip_prefix("#/components/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    // One byte search: a `char` pattern decodes each character of the name.
    if memchr::memchr2(b'%', b'~', written.as_bytes()).is_none() {
        return Some(Cow::Borrowed(written));
    }
    let decoded = percent_encoding::percent_decode_str(written).decode_utf8_lossy();
    Some(Cow::Owned(decoded.replace("~1", "/").replace("~0", "~")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_decoded_as_fragments_then_as_pointer_segments() {
        let name = |reference| component_name(reference, "schemas").map(Cow::into_owned);
        assert_eq!(name("#/components/schemas/Pet").as_deref(), Some("Pet"));
        assert_eq!(
            name("#/components/schemas/Foo%20Bar").as_deref(),
            Some("Foo Bar")
        );
        assert_eq!(
            name("#/components/schemas/a~1b~0c").as_deref(),
            Some("a/b~c")
        );
        assert_eq!(name("#/components/schemas/%7E1").as_deref(), Some("/"));
        assert_eq!(
            name("#/components/schemas/%E5%BA%93%E5%AD%98").as_deref(),
            Some("库存")
        );
        assert_eq!(name("#/components/parameters/Pet"), None);
        assert_eq!(name("#/components/schemasPet"), None);
    }

    /// Parameters, responses and schemas reached through escaped references are the
    /// components they name, not lost.
    #[test]
    fn escaped_references_reach_their_components() {
        use crate::ir::{lower, ResponseBody, Selection, Success, TypeRef};

        let document: crate::load::Document = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {
                "operationId": "x",
                "parameters": [{"$ref": "#/components/parameters/page%20size"}],
                "responses": {"200": {"$ref": "#/components/responses/Ok%20Response"}}
            }}},
            "components": {
                "parameters": {"page size": {"name": "page_size", "in": "query",
                    "schema": {"type": "integer"}}},
                "responses": {"Ok Response": {"description": "ok", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/a~1b"}}}}},
                "schemas": {"a/b": {"type": "object", "properties": {"b": {"type": "string"}}}}
            }
        }))
        .expect("an OpenAPI document");
        let api = lower(&document, Vec::new(), &Selection::default()).expect("lowers");
        let operation = &api.operations[0];
        assert_eq!(operation.params.len(), 1);
        assert_eq!(operation.params[0].wire_name, "page_size");
        let Success::One(ResponseBody::Json(TypeRef::Named(id))) = &operation.success else {
            panic!("the response is typed: {:?}", operation.success);
        };
        assert_eq!(api.types[id.0].name, "AB");
        assert!(api.notes.is_empty(), "{:?}", api.notes);
    }
}
