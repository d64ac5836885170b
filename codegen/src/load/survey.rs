//! One walk over a document as parsed, before bundling, for what decides whether two later
//! walks over the whole document have anything to do: bundling's (is there a `$ref` that
//! reads a document?) and the OpenAPI 3.0 repair's (does a schema write a keyword in its
//! 3.1 form?). Most documents need neither, and the repair's own walk writes the pointer
//! of every node it passes; a search for its keywords anywhere (examples included) found
//! them in seven of GitHub's examples, data the repair leaves alone, and so walked its whole
//! document for nothing. Both are looked for where their walks look, in one pass: by the
//! parser as it reads the spec (see [`Sightings`]), or by a walk over a document read
//! otherwise.

use serde_json::Value;

use super::bundle::{reads_root, split_ref};
use super::lean::Tree;
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

/// The survey of `root`, read as `dialect`, by a walk over it; 3.1 forms are looked for
/// only when `repairs_31_forms` (in an OpenAPI 3.0 document).
pub(crate) fn survey(root: &Value, dialect: Dialect, repairs_31_forms: bool) -> Survey {
    let mut search = Search {
        dialect,
        for_31_forms: repairs_31_forms,
        found: Sightings::default(),
    };
    search.visit(root, Position::Document);
    search.found.survey(root, dialect, repairs_31_forms)
}

/// What the survey looks for, noted object by object wherever a document is read, for
/// either dialect: the parser notes it before it knows which one the document is written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Sightings {
    /// Some `$ref` reads a document, were the document Swagger 2.0 (first) or OpenAPI 3.
    reads_a_document: [bool; 2],
    /// Some schema has a keyword in its 3.1 form.
    has_31_form: bool,
    /// Some `$ref` points into an example (a pointer with an `example` or `examples`
    /// segment), which a parser that leaves examples out has not read.
    reads_an_example: bool,
}

impl Sightings {
    /// Takes note of `object`, at `position`.
    pub(crate) fn object(&mut self, object: &Value, position: Position) {
        // Compared rather than hashed: a SipHash per object was most of the walk on nexus.
        if let Some(reference) = object.field("$ref").and_then(Tree::as_str) {
            self.reference(reference, position);
        }
        self.schema(object, position);
    }

    /// Takes note of the `$ref` of an object at `position`.
    pub(crate) fn reference(&mut self, reference: &str, position: Position) {
        // Split once for both dialects: every `$ref` of the text comes here (Kubernetes
        // writes 9,851).
        let (file_part, pointer) = split_ref(reference);
        for (found, dialect) in self
            .reads_a_document
            .iter_mut()
            .zip([Dialect::Swagger2, Dialect::OpenApi3])
        {
            *found = *found || reads_root(file_part, &pointer, position, dialect);
        }
        self.reads_an_example = self.reads_an_example
            || (mentions_example(&pointer) && points_into_an_example(&pointer));
    }

    /// Takes note of `object`'s keywords when it is a schema.
    pub(crate) fn schema<N: Tree>(&mut self, object: &N, position: Position) {
        if position == Position::Schema && !self.has_31_form && is_31_form(object) {
            self.has_31_form = true;
        }
    }

    /// Whether some `$ref` points into an example.
    pub(crate) fn reads_an_example(&self) -> bool {
        self.reads_an_example
    }

    /// Whether a `$ref` seen reads a document of `dialect`.
    fn reads_a_document(&self, dialect: Dialect) -> bool {
        self.reads_a_document[usize::from(dialect == Dialect::OpenApi3)]
    }

    /// The survey of `root`, read as `dialect`, that these sightings in it make.
    pub(crate) fn survey<N: Tree>(
        &self,
        root: &N,
        dialect: Dialect,
        repairs_31_forms: bool,
    ) -> Survey {
        Survey {
            reads_a_document: self.reads_a_document(dialect),
            // AutoRest's path items join `paths` after bundling, where the repair walks
            // them; the survey does not look inside an extension.
            has_31_form: repairs_31_forms
                && (self.has_31_form || root.field(EXTENSION_PATHS).is_some()),
        }
    }
}

/// Whether `reference`'s pointer has an `example` or `examples` segment.
fn points_into_an_example(pointer: &str) -> bool {
    pointer
        .split('/')
        .any(|segment| segment == "example" || segment == "examples")
}

/// Whether `text` holds `example`: found by its `x`, rare in a pointer, rather than by a
/// substring search, whose setup cost more than the search for each of a spec's references.
fn mentions_example(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'x', bytes).any(|at| at > 0 && bytes[at - 1..].starts_with(b"example"))
}

/// A survey by a walk, under way.
struct Search {
    dialect: Dialect,
    for_31_forms: bool,
    found: Sightings,
}

impl Search {
    /// Whether nothing more can be found.
    fn done(&self) -> bool {
        self.found.reads_a_document(self.dialect) && (self.found.has_31_form || !self.for_31_forms)
    }

    /// Looks at `node` and what is inside it, until done.
    fn visit(&mut self, node: &Value, position: Position) {
        if node.is_object() {
            self.found.object(node, position);
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

    use super::super::source::{parse, read, Keep};
    use super::*;

    #[test]
    fn a_pointer_mentions_an_example_wherever_it_holds_the_word() {
        for pointer in [
            "/example",
            "/components/examples/a",
            "/x/counterexample",
            "example",
        ] {
            assert!(mentions_example(pointer), "{pointer}");
        }
        for pointer in [
            "",
            "/x",
            "/examp",
            "/xample",
            "/ex/ample",
            "/components/schemas/Exa",
        ] {
            assert!(!mentions_example(pointer), "{pointer}");
        }
    }

    /// The survey of an OpenAPI 3.0 document, by a walk and by the parser's sightings in its
    /// text, which must agree.
    fn survey_3(document: &Value) -> Survey {
        let walked = survey(document, Dialect::OpenApi3, true);
        let parsed =
            parse(&document.to_string(), Keep::AllButExamples, &mut Vec::new()).expect("JSON text");
        let sightings = parsed.sightings.expect("noted while parsing");
        let sighted = sightings.survey(&parsed.value, Dialect::OpenApi3, true);
        assert_eq!(walked, sighted, "walked and sighted in {document}");
        walked
    }

    #[test]
    fn a_yaml_merge_key_leaves_the_survey_to_a_walk() {
        let yaml = "openapi: 3.0.3\ncomponents:\n  schemas:\n    A: &a {properties: {b: {$ref: 'b.yaml'}}}\n    B: {<<: *a, type: object}\n";
        let parsed = parse(yaml, Keep::AllButExamples, &mut Vec::new()).expect("YAML");
        assert_eq!(parsed.sightings, None);
        let plain = parse(
            "openapi: 3.0.3\ncomponents: {schemas: {A: {properties: {b: {$ref: 'b.yaml'}}}}}\n",
            Keep::AllButExamples,
            &mut Vec::new(),
        )
        .expect("YAML");
        let sightings = plain.sightings.expect("no merge key");
        assert!(
            sightings
                .survey(&plain.value, Dialect::OpenApi3, true)
                .reads_a_document
        );
    }

    /// On every corpus spec, the parser's sightings make the survey a walk makes.
    #[test]
    fn the_corpus_is_surveyed_alike_by_the_parser_and_by_a_walk() {
        let Some(specs) = super::super::corpus_specs() else {
            return;
        };
        let mut compared = 0;
        for file in specs {
            let Ok(parsed) = read(&file, Keep::AllButExamples, &mut Vec::new()) else {
                continue;
            };
            let Some(sightings) = parsed.sightings else {
                continue;
            };
            let Ok(version) = super::super::detect_version(&parsed.value) else {
                continue;
            };
            let dialect = match version {
                super::super::SpecVersion::Swagger2 => Dialect::Swagger2,
                _ => Dialect::OpenApi3,
            };
            let repairs = version == super::super::SpecVersion::OpenApi30;
            assert_eq!(
                sightings.survey(&parsed.value, dialect, repairs),
                survey(&parsed.value, dialect, repairs),
                "{}",
                file.display()
            );
            compared += 1;
        }
        assert!(compared > 50, "only {compared} specs compared");
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
