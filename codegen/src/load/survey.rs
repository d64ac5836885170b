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
/// `repairs_31_forms` (in an OpenAPI 3.0 document).
pub(crate) fn survey(root: &Value, dialect: Dialect, repairs_31_forms: bool) -> Survey {
    let mut search = Search {
        dialect,
        for_31_forms: repairs_31_forms,
        found: Survey::default(),
    };
    // AutoRest's path items join `paths` after bundling, where the repair walks them; this
    // walk does not look inside an extension.
    search.found.has_31_form = repairs_31_forms && root.get(EXTENSION_PATHS).is_some();
    search.visit(root, Position::Document);
    search.found
}

/// A survey under way.
struct Search {
    dialect: Dialect,
    for_31_forms: bool,
    found: Survey,
}

impl Search {
    /// Whether nothing more can be found.
    fn done(&self) -> bool {
        self.found.reads_a_document && (self.found.has_31_form || !self.for_31_forms)
    }

    /// Looks at `node` and what is inside it, until done.
    fn visit(&mut self, node: &Value, position: Position) {
        if let Value::Object(map) = node {
            if !self.found.reads_a_document {
                // Compared rather than hashed: a SipHash per object was most of this walk
                // on nexus.
                let reference = field(map, "$ref").and_then(Value::as_str);
                self.found.reads_a_document = reference
                    .is_some_and(|reference| reads_root(reference, position, self.dialect));
            }
            if self.for_31_forms
                && !self.found.has_31_form
                && position == Position::Schema
                && is_31_form(map)
            {
                self.found.has_31_form = true;
            }
        }
        for (child_position, child) in nested(node, position, self.dialect) {
            if self.done() {
                return;
            }
            self.visit(child, child_position);
        }
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
        let not_looked_for = survey(&in_schema, Dialect::OpenApi3, false);
        assert_eq!(not_looked_for, Survey::default());
    }

    /// The survey finds a 3.1 form exactly where the repair would change something: the
    /// same form placed in each kind of node, schema or not.
    #[test]
    fn the_survey_agrees_with_the_repair_wherever_the_form_is() {
        let form = json!({"type": ["string", "null"]});
        let schema = |form: &Value| json!({"type": "object", "properties": {"a": form}});
        let places = [
            json!({"components": {"schemas": {"A": form}}}),
            json!({"components": {"schemas": {"A": schema(&form)}}}),
            json!({"components": {"schemas": {"A": {"allOf": [form]}}}}),
            json!({"components": {"schemas": {"A": {"type": "array", "items": form}}}}),
            json!({"components": {"parameters": {"P": {"name": "p", "in": "query", "schema": form}}}}),
            json!({"components": {"headers": {"H": {"schema": form}}}}),
            json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": schema(&form)}}}}}}}}),
            json!({"paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"type": "object"}, "encoding": {"a": {"headers": {"X": {"schema": form}}}}}}},
                "responses": {}}}}}),
            json!({"paths": {"/a": {"get": {"callbacks": {"c": {"/b": {"post": {"parameters": [
                {"name": "p", "in": "query", "schema": form}], "responses": {}}}}}, "responses": {}}}}}),
            json!({"components": {"schemas": {"A": {"type": "object", "example": form}}}}),
            json!({"components": {"examples": {"E": {"value": schema(&form)}}}}),
            json!({"x-anything": {"schema": form}}),
            json!({"paths": {"/a": {"x-extra": schema(&form)}}}),
        ];
        for (index, mut document) in places.into_iter().enumerate() {
            document["openapi"] = json!("3.0.3");
            let found = survey_3(&document).has_31_form;
            let before = document.clone();
            let mut notes = Vec::new();
            super::super::openapi30::repair(&mut document, &mut notes);
            let repaired = document != before || !notes.is_empty();
            assert_eq!(found, repaired, "place {index}: {before}");
        }
    }
}
