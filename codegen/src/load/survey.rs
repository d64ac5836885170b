//! One walk over a document as parsed, before bundling, for what decides whether two later
//! walks over the whole document have anything to do: bundling's (is there a `$ref` that
//! reads a document?) and the OpenAPI 3.0 repair's (does a schema write a keyword in its
//! 3.1 form?). Most documents need neither, and the repair's own walk writes the pointer
//! of every node it passes; a search for its keywords anywhere (examples included) found
//! them in seven of GitHub's examples, data the repair leaves alone, and so walked its whole
//! document for nothing. Both are looked for where their walks look, in one pass.

use serde_json::Value;

use super::bundle::reads_root;
use super::keys::field;
use super::openapi30::is_31_form;
use super::position::{nested, Dialect, Position};
use super::EXTENSION_PATHS;

/// What a document needs from the walks after parsing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Survey {
    /// Some `$ref` reads a document: one into another file, or one that does not name a
    /// component of its kind directly. Bundling walks the document only then.
    pub(crate) reads_a_document: bool,
    /// Some schema has a keyword in its 3.1 form, which the 3.0 repair rewrites.
    pub(crate) has_31_form: bool,
}

/// The survey of `root`, read as `dialect`; 3.1 forms are looked for only when
/// `repairs_31_forms` (in an OpenAPI 3.0 document), and are otherwise reported found.
pub(crate) fn survey(root: &Value, dialect: Dialect, repairs_31_forms: bool) -> Survey {
    let mut found = Survey {
        reads_a_document: false,
        // AutoRest's path items join `paths` after bundling, where the repair walks them;
        // this walk does not look inside an extension.
        has_31_form: !repairs_31_forms || root.get(EXTENSION_PATHS).is_some(),
    };
    visit(root, Position::Document, dialect, &mut found);
    found
}

/// Looks at `node` and what is inside it, until both are found.
fn visit(node: &Value, position: Position, dialect: Dialect, found: &mut Survey) {
    if let Value::Object(map) = node {
        // Compared rather than hashed: a SipHash per object was most of this walk on nexus.
        let reference = field(map, "$ref").and_then(Value::as_str);
        if reference.is_some_and(|reference| reads_root(reference, position, dialect)) {
            found.reads_a_document = true;
        }
        if !found.has_31_form && position == Position::Schema && is_31_form(map) {
            found.has_31_form = true;
        }
    }
    for (child_position, child) in nested(node, position, dialect) {
        if found.reads_a_document && found.has_31_form {
            return;
        }
        visit(child, child_position, dialect, found);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn survey_3(document: &Value) -> Survey {
        survey(document, Dialect::OpenApi3, true)
    }

    #[test]
    fn a_ref_key_inside_an_example_reads_no_document() {
        let document = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A"},
                "example": {"$ref": "https://example.com/users/1"}
            }}}}}}},
            "components": {"schemas": {"A": {"type": "object"}}}
        });
        assert!(!survey_3(&document).reads_a_document);
        let deep = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {"200": {
            "$ref": "#/paths/~1b/get/responses/200"
        }}}}}});
        assert!(survey_3(&deep).reads_a_document);
        let other_file = json!({"components": {"schemas": {"A": {"allOf": [{"$ref": "b.yaml"}]}}}});
        assert!(survey_3(&other_file).reads_a_document);
        let other_kind =
            json!({"components": {"schemas": {"A": {"$ref": "#/components/responses/B"}}}});
        assert!(survey_3(&other_kind).reads_a_document);
    }

    #[test]
    fn a_3_1_form_counts_in_a_schema_and_not_in_an_example() {
        let in_schema = json!({"components": {"schemas": {"A": {"properties": {
            "b": {"type": ["string", "null"]}
        }}}}});
        assert!(survey_3(&in_schema).has_31_form);
        let in_example = json!({"components": {"schemas": {"A": {"type": "object",
            "example": {"items": [1, 2], "type": ["a"]}}},
            "examples": {"E": {"value": {"items": [{"a": 1}]}}}}});
        let found = survey_3(&in_example);
        assert_eq!(found, Survey::default(), "examples are data");
        let in_parameter = json!({"paths": {"/a": {"get": {"parameters": [
            {"name": "n", "in": "query", "schema": {"type": "integer", "exclusiveMinimum": 0}}
        ]}}}});
        assert!(survey_3(&in_parameter).has_31_form);
        let in_extension_paths = json!({"x-ms-paths": {"/a?b": {}}});
        assert!(survey_3(&in_extension_paths).has_31_form);
        let not_looked_for = survey(&json!({}), Dialect::Swagger2, false);
        assert!(not_looked_for.has_31_form && !not_looked_for.reads_a_document);
    }
}
