//! Stage one: from a spec file on disk to one OpenAPI 3.0 document in tether's model of
//! it (`openapiv3`'s, with path items, operations, what hangs from them and schemas of
//! tether's own: see the `model` module). Swagger 2.0 is upgraded and OpenAPI 3.1 normalised here, external `$ref`s
//! are bundled in, and nodes the model rejects are repaired with a note, so that nothing
//! after this stage sees raw JSON or another version.
//!
//! Bundling and the 3.x repairs work on `serde_json::Value`. An OpenAPI 3.0 or Swagger
//! 2.0 document that needs none of them is read from a lighter tree that borrows from its
//! text (the `lean` module), where the Swagger 2.0 upgrade works; both readings give the
//! same model.

mod bundle;
mod direct;
mod keys;
mod lean;
mod lenient;
mod model;
mod openapi30;
mod openapi31;
mod position;
mod property_required;
mod source;
mod survey;
mod swagger2;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{pointer_push, Note, Problem, Problems};
use lean::{Arena, Tree};
pub(crate) use lenient::DEGRADED;
pub use model::{
    AdditionalProperties, AnySchema, ArrayType, Components, Document, Header, Map, MediaType,
    ObjectType, Operation, Parameter, ParameterData, ParameterSchemaOrContent, PathItem,
    ReferenceOr, RequestBody, Response, Responses, Schema, SchemaData, SchemaKind, Type, METHODS,
    PAGINATION_EXTENSION,
};

/// The path item extension that holds the operations of OpenAPI 3.2's `query` method and
/// `additionalOperations` (methods such as `COPY`), by the method name they are sent with:
/// the 3.0 model has fields for its eight methods only.
pub(crate) const ADDITIONAL_OPERATIONS: &str = "x-tether-additional-operations";

/// Where the operation of `method` (as kept in [`ADDITIONAL_OPERATIONS`]) is written in
/// the path item at `path_item`.
pub(crate) fn additional_operation_pointer(path_item: &str, method: &str) -> String {
    let (key, method_key) = additional_operation_keys(method);
    let pointer = crate::diagnostics::pointer_push(path_item, key);
    match method_key {
        Some(method) => crate::diagnostics::pointer_push(&pointer, method),
        None => pointer,
    }
}

/// The keys under its path item where the operation of `method` (as kept in
/// [`ADDITIONAL_OPERATIONS`]) is written: `query`, or `additionalOperations` and the method.
pub(crate) fn additional_operation_keys(method: &str) -> (&str, Option<&str>) {
    if method == "QUERY" {
        ("query", None)
    } else {
        ("additionalOperations", Some(method))
    }
}
use position::Dialect;

/// The version a spec was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    /// Swagger 2.0.
    Swagger2,
    /// OpenAPI 3.0.x.
    OpenApi30,
    /// OpenAPI 3.1.x.
    OpenApi31,
    /// OpenAPI 3.2.x: read as 3.1, which it extends.
    OpenApi32,
}

/// A spec read from disk, as one OpenAPI 3.0 document.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The document.
    pub document: Document,
    /// The version the spec was written in.
    pub version: SpecVersion,
    /// Every file read (the spec and the files its `$ref`s reach), for rebuild tracking.
    pub files: Vec<PathBuf>,
    /// What was accepted in a weaker form than written.
    pub notes: Vec<Note>,
    /// Nodes the loader moved (a node copied to a component of its own, an `x-ms-paths`
    /// item): where each is in `document`, and where the spec writes it. Notes made later,
    /// while lowering, are pointed back by [`crate::lower`].
    pub relocated: Vec<(String, String)>,
}

/// Reads the spec at `path` and everything it refers to.
pub fn load(path: &Path) -> Result<LoadedSpec, Problems> {
    let text = source::read_text(path).map_err(|problem| Problems(vec![problem]))?;
    // The lean tree's arena, in one chunk for most specs: a big spec's tree takes 0.8 to
    // 1.8 times its text (nexus 1.37, Stripe 1.44, Kubernetes 1.46). Chunks grown one
    // after another were fresh pages every run (Kubernetes' third run in a process: 2,200
    // page faults against 150 in one chunk); a chunk twice the text made glibc give
    // Stripe's heap back after each run (7,300 faults against 18). Freed before another
    // reading starts.
    let arena = Arena::with_capacity(text.len() / 2 * 3);
    let loaded = load_lean(&text, &arena, path);
    drop(arena);
    match loaded {
        Some(loaded) => Ok(loaded),
        None => load_text(text, path),
    }
}

/// [`load`] for the spec `text` of the file at `path`, by way of a `Value`: for every
/// document, whatever it needs.
fn load_text(text: String, path: &Path) -> Result<LoadedSpec, Problems> {
    let mut parse_notes = Vec::new();
    let read = |keep, notes: &mut Vec<Note>| {
        source::parse_text(path, &text, keep, notes).map_err(|problem| Problems(vec![problem]))
    };
    let mut parsed = read(source::Keep::AllButExamples, &mut parse_notes)?;
    // A `$ref` into an example (a schema kept as an example's value) needs what the
    // reading left out: the spec is read again, whole.
    if parsed
        .sightings
        .is_some_and(|sightings| sightings.reads_an_example())
    {
        parse_notes.clear();
        parsed = read(source::Keep::Everything, &mut parse_notes)?;
    }
    // Megabytes for a big spec, which the document no longer needs.
    drop(text);
    let mut loaded = load_parsed(parsed, path)?;
    loaded.notes.splice(0..0, parse_notes);
    Ok(loaded)
}

/// [`load`] for the common case, from a lean tree (see [`lean`]): an OpenAPI 3.0 or
/// Swagger 2.0 document that the parser read without giving up, with no `$ref` into
/// another document or into an example, no AutoRest path item to merge, and (3.0) no 3.1
/// keyword for the loader to repair. Such a document is only read into the model, a 2.0
/// one after its upgrade; `None` leaves any other to `Value`'s path.
fn load_lean(text: &str, arena: &Arena, path: &Path) -> Option<LoadedSpec> {
    let parsed = source::parse_lean(text, arena)?;
    let version = detect_version(&parsed.tree).ok()?;
    let dialect = match version {
        SpecVersion::OpenApi30 => Dialect::OpenApi3,
        SpecVersion::Swagger2 => Dialect::Swagger2,
        SpecVersion::OpenApi31 | SpecVersion::OpenApi32 => return None,
    };
    let repairs_31_forms = version == SpecVersion::OpenApi30;
    let survey = parsed
        .sightings
        .survey(&parsed.tree, dialect, repairs_31_forms);
    if parsed.sightings.reads_an_example()
        || survey.reads_a_document
        || survey.has_31_form
        || parsed.tree.field(EXTENSION_PATHS).is_some()
    {
        return None;
    }
    let mut notes = Vec::new();
    let mut tree = parsed.tree;
    if version == SpecVersion::Swagger2 {
        swagger2::upgrade(&mut tree, arena, &mut notes);
    }
    let document = lenient::read_document(tree, &mut notes);
    Some(LoadedSpec {
        document,
        version,
        files: vec![path.to_path_buf()],
        notes,
        relocated: Vec::new(),
    })
}

/// Reads one spec file (JSON or YAML) into JSON as [`load`] does, without resolving
/// anything and keeping the examples that [`load`] leaves out: for tools that want the raw
/// document.
pub fn read_document(path: &Path) -> Result<Value, Problem> {
    source::read(path, source::Keep::Everything, &mut Vec::new()).map(|parsed| parsed.value)
}

/// Like [`load`], for a document already parsed; `path` locates the files its `$ref`s name.
pub fn load_value(document: Value, path: &Path) -> Result<LoadedSpec, Problems> {
    let parsed = source::Parsed {
        value: document,
        sightings: None,
    };
    load_parsed(parsed, path)
}

fn load_parsed(parsed: source::Parsed, path: &Path) -> Result<LoadedSpec, Problems> {
    let arena = Arena::new();
    let Upgraded {
        document,
        version,
        bundled,
        mut notes,
    } = upgrade(parsed, &arena, path)?;
    let document = match document {
        Shaped::Value(document) => lenient::read_document(document, &mut notes),
        Shaped::Lean(document) => lenient::read_document(document, &mut notes),
    };
    relocate(&mut notes, &bundled.relocated);
    Ok(LoadedSpec {
        document,
        version,
        files: bundled.files,
        notes,
        relocated: bundled.relocated,
    })
}

/// A document bundled and brought to the OpenAPI 3.0 shape, still as JSON.
struct Upgraded<'a> {
    document: Shaped<'a>,
    version: SpecVersion,
    bundled: bundle::Bundled,
    notes: Vec<Note>,
}

/// A document in the OpenAPI 3.0 shape, in the tree its last step worked on.
enum Shaped<'a> {
    Value(Value),
    /// Upgraded from Swagger 2.0, which works on a lean tree.
    Lean(lean::Lean<'a>),
}

/// The document of `parsed`, bundled and brought to the OpenAPI 3.0 shape (a Swagger 2.0
/// one as a lean tree in `arena`).
fn upgrade<'a>(
    parsed: source::Parsed,
    arena: &'a Arena,
    path: &Path,
) -> Result<Upgraded<'a>, Problems> {
    let mut document = parsed.value;
    let version = detect_version(&document).map_err(|message| {
        Problems(vec![Problem {
            file: path.to_path_buf(),
            pointer: String::new(),
            line: None,
            message,
        }])
    })?;
    let dialect = match version {
        SpecVersion::Swagger2 => Dialect::Swagger2,
        _ => Dialect::OpenApi3,
    };
    let repairs_31_forms = version == SpecVersion::OpenApi30;
    // The parser's sightings spare a walk over the whole document.
    let survey = match parsed.sightings {
        Some(sightings) => sightings.survey(&document, dialect, repairs_31_forms),
        None => survey::survey(&document, dialect, repairs_31_forms),
    };
    let mut bundled = bundle::bundle(&mut document, path, dialect, survey.reads_a_document);
    if !bundled.problems.is_empty() {
        return Err(Problems(bundled.problems));
    }
    let mut notes = std::mem::take(&mut bundled.notes);
    merge_extension_paths(&mut document, &mut bundled.relocated, &mut notes);
    match version {
        SpecVersion::Swagger2 => {
            // The upgrade works on a lean tree, which most 2.0 documents are parsed into
            // (see `load_lean`); this one was not, and is converted.
            let mut document = lean::Lean::from_value(&document, arena);
            swagger2::upgrade(&mut document, arena, &mut notes);
            return Ok(Upgraded {
                document: Shaped::Lean(document),
                version,
                bundled,
                notes,
            });
        }
        SpecVersion::OpenApi31 | SpecVersion::OpenApi32 => {
            openapi31::normalize(&mut document, &mut notes)
        }
        // What bundling brought in from other files, the survey did not see.
        SpecVersion::OpenApi30 if survey.has_31_form || survey.reads_a_document => {
            openapi30::repair(&mut document, &mut notes)
        }
        SpecVersion::OpenApi30 => {}
    }
    Ok(Upgraded {
        document: Shaped::Value(document),
        version,
        bundled,
        notes,
    })
}

/// The extension AutoRest (Azure's generator) keeps path items in whose keys repeat a path
/// of `paths` with a query (`/{blob}?comp=metadata`), which one JSON object cannot hold twice.
pub(crate) const EXTENSION_PATHS: &str = "x-ms-paths";

/// Moves the path items of [`EXTENSION_PATHS`] into `paths`: their operations are the API's
/// like any other (the query in the key is sent with every call, and a sandbox routes by
/// it). Notes about them point where the spec writes them; a key `paths` has already is
/// left there, with a note.
fn merge_extension_paths(
    document: &mut Value,
    relocated: &mut Vec<(String, String)>,
    notes: &mut Vec<Note>,
) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    let Some(Value::Object(extra)) = root.remove(EXTENSION_PATHS) else {
        return;
    };
    let paths = root
        .entry("paths")
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    let Value::Object(paths) = paths else {
        return;
    };
    for (key, item) in extra {
        let written = pointer_push(&format!("/{EXTENSION_PATHS}"), &key);
        if paths.contains_key(&key) {
            let message = format!("`paths` has `{key}` already; this path item is ignored");
            notes.push(Note::new(written, message));
            continue;
        }
        relocated.push((pointer_push("/paths", &key), written));
        paths.insert(key, item);
    }
}

/// Points the notes about a node the loader moved back at the node as the spec writes it;
/// a copy and the node may then have the same note, which is kept once.
pub(crate) fn relocate(notes: &mut Vec<Note>, relocated: &[(String, String)]) {
    if relocated.is_empty() {
        return;
    }
    for note in notes.iter_mut() {
        let moved = relocated.iter().find_map(|(copy, original)| {
            let rest = note.pointer.strip_prefix(copy.as_str())?;
            (rest.is_empty() || rest.starts_with('/')).then(|| format!("{original}{rest}"))
        });
        if let Some(pointer) = moved {
            note.pointer = pointer;
        }
    }
    let mut seen = std::collections::HashSet::new();
    notes.retain(|note| seen.insert((note.pointer.clone(), note.message.clone())));
}

/// A few words on what a value is, for notes.
pub(crate) fn describe<N: Tree>(value: Option<&N>) -> String {
    let Some(value) = value else {
        return "nothing".to_owned();
    };
    if let Some(text) = value.as_str() {
        return if text.chars().count() > 40 {
            let start: String = text.chars().take(40).collect();
            format!("\"{start}...\"")
        } else {
            format!("\"{text}\"")
        };
    }
    if let Some(flag) = value.as_bool() {
        format!("`{flag}`")
    } else if let Some(number) = value.as_number() {
        format!("the number {number}")
    } else if value.items().is_some() {
        "a list".to_owned()
    } else if value.is_object() {
        "an object".to_owned()
    } else {
        "null".to_owned()
    }
}

/// The text of a `swagger` or `openapi` version field: a string, or a number as YAML
/// writes one unquoted (`openapi: 3.0`).
pub(crate) fn version_text<N: Tree>(field: &N) -> Option<String> {
    field
        .as_str()
        .map(str::to_owned)
        .or_else(|| field.as_number().map(ToString::to_string))
}

fn detect_version<N: Tree>(document: &N) -> Result<SpecVersion, String> {
    let text = |key: &str| document.field(key).and_then(version_text);
    if !document.is_object() {
        return Err("the file is not an OpenAPI document: its top level is not an object".into());
    }
    if let Some(swagger) = text("swagger") {
        return match swagger.as_str() {
            "2.0" | "2" => Ok(SpecVersion::Swagger2),
            other => Err(format!(
                "unsupported `swagger: {other}`: tether reads Swagger 2.0 and OpenAPI 3.0 to 3.2"
            )),
        };
    }
    match text("openapi") {
        Some(version) if version.starts_with("3.0") => Ok(SpecVersion::OpenApi30),
        Some(version) if version.starts_with("3.1") => Ok(SpecVersion::OpenApi31),
        Some(version) if version.starts_with("3.2") => Ok(SpecVersion::OpenApi32),
        Some(other) => Err(format!("unsupported `openapi: {other}`: tether reads Swagger 2.0 and OpenAPI 3.0 to 3.2")),
        None => Err("the file has neither an `openapi` nor a `swagger` version field; is it an OpenAPI document?".into()),
    }
}

/// The spec files of the corpus (`../shared/corpus`), for tests that read them all; `None`,
/// with the reason printed, where the corpus is absent.
#[cfg(test)]
fn corpus_specs() -> Option<Vec<PathBuf>> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let Ok(manifest) = std::fs::read_to_string(corpus.join("MANIFEST.tsv")) else {
        println!("skipped: {} is absent", corpus.display());
        return None;
    };
    let files = manifest.lines().skip(1);
    Some(
        files
            .map(|line| corpus.join(line.split('\t').next().unwrap_or_default()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::ReferenceOr;
    use serde_json::json;

    use super::*;

    /// Asserts that `file` loads to the same spec by its lean reading and by a `Value`.
    fn assert_loaded_alike(by_lean: &LoadedSpec, by_value: &LoadedSpec, file: &Path) {
        let file = file.display();
        assert!(by_lean.document == by_value.document, "{file}");
        assert_eq!(by_lean.notes, by_value.notes, "{file}");
        assert_eq!(by_lean.files, by_value.files, "{file}");
        assert_eq!(by_lean.relocated, by_value.relocated, "{file}");
        assert_eq!(by_lean.version, by_value.version, "{file}");
    }

    /// The project's own specs, present on every checkout: each OpenAPI 3.0 one (they
    /// need nothing but reading) is read lean, to what the `Value` path reads; the others
    /// (3.2) are not.
    #[test]
    fn the_projects_3_0_specs_are_read_lean_and_alike() {
        let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        let mut lean = 0;
        for entry in std::fs::read_dir(&specs).expect("the specs folder") {
            let file = entry.expect("a spec").path();
            let text = source::read_text(&file).expect("readable");
            let by_value = load_text(text.clone(), &file).expect("loads");
            let by_lean = load_lean(&text, &Arena::new(), &file);
            if by_value.version != SpecVersion::OpenApi30 {
                assert!(by_lean.is_none(), "{} is read lean", file.display());
                continue;
            }
            let by_lean = by_lean.unwrap_or_else(|| panic!("{} is not read lean", file.display()));
            assert_loaded_alike(&by_lean, &by_value, &file);
            lean += 1;
        }
        assert!(lean >= 9, "{lean} specs of {} read lean", specs.display());
    }

    /// A Swagger 2.0 document is read lean and upgraded there, to the model the `Value`
    /// path reads (which converts its tree for the upgrade); one that needs bundling or
    /// AutoRest's path items merged is not read lean.
    #[test]
    fn a_swagger_2_document_is_read_lean_and_alike() {
        let file = Path::new("swagger.yaml");
        let spec = |extra: &str| {
            format!(
                "swagger: '2.0'\ninfo: {{title: t, version: '1'}}\nhost: api.example.com\nbasePath: /v1\nschemes: [https, http]\nproduces: [application/json, application/yaml]\nsecurityDefinitions:\n  key: {{type: apiKey, in: header, name: X-Key}}\n  basic: {{type: basic}}\nparameters:\n  limit: {{name: limit, in: query, type: integer, maximum: 100, uniqueItems: true}}\n  pet: {{name: pet, in: body, schema: {{$ref: '#/definitions/Pet'}}}}\nresponses:\n  Gone: {{description: gone, schema: {{type: string}}}}\npaths:\n  /pets:\n    parameters: [{{$ref: '#/parameters/limit'}}]\n    get:\n      parameters:\n        - {{name: tags, in: query, type: array, items: {{type: string}}, collectionFormat: multi}}\n      responses:\n        '200': {{description: ok, schema: {{type: array, items: {{$ref: '#/definitions/Pet'}}}}}}\n        '410': {{$ref: '#/responses/Gone'}}\n    post:\n      consumes: [multipart/form-data]\n      parameters:\n        - {{name: photo, in: formData, type: file, required: true}}\n        - {{name: note, in: formData, type: string}}\n      responses: {{'201': {{description: made}}}}\n    put:\n      parameters: [{{$ref: '#/parameters/pet'}}]\n      responses: {{default: {{description: done}}}}\ndefinitions:\n  Pet:\n    type: object\n    discriminator: kind\n    properties:\n      kind: {{type: string, required: true}}\n      owner: {{$ref: '#/definitions/Pet', x-nullable: true}}\n      tags: {{type: [string, 'null']}}\n{extra}"
            )
        };
        let text = spec("");
        let by_lean =
            load_lean(&text, &Arena::new(), file).expect("a Swagger 2.0 document is read lean");
        let by_value = load_text(text.clone(), file).expect("loads");
        assert_eq!(by_lean.version, SpecVersion::Swagger2);
        assert!(by_lean.document.paths.contains_key("/pets"));
        assert!(!by_lean.notes.is_empty(), "the upgrade's notes are kept");
        assert_loaded_alike(&by_lean, &by_value, file);
        let merged =
            spec("x-ms-paths:\n  /pets?op=count: {get: {responses: {'200': {description: ok}}}}\n");
        let bundled = spec("  Toy: {$ref: 'toys.yaml#/Toy'}\n");
        for text in [merged, bundled] {
            assert!(load_lean(&text, &Arena::new(), file).is_none(), "{text}");
        }
    }

    /// Every corpus spec the lean reading takes loads as by way of a `Value`: the same
    /// document and notes (the generated code is compared, byte for byte, outside the tests).
    #[test]
    fn the_corpus_loads_alike_by_either_reading() {
        let Some(specs) = super::corpus_specs() else {
            return;
        };
        let mut lean = 0;
        for file in specs {
            let text = source::read_text(&file).expect("the corpus is readable");
            let Some(by_lean) = load_lean(&text, &Arena::new(), &file) else {
                continue;
            };
            let by_value = load_text(text.clone(), &file).expect("a spec read lean loads");
            assert_loaded_alike(&by_lean, &by_value, &file);
            lean += 1;
        }
        println!("{lean} corpus specs read lean");
        assert!(lean >= 20, "only {lean} corpus specs were read lean");
    }

    #[test]
    fn a_path_a_yaml_file_writes_twice_keeps_both_operations_with_a_note() {
        let file = std::env::temp_dir().join(format!("tether-twice-{}.yaml", std::process::id()));
        let ok = "responses: {'200': {description: ok}}";
        std::fs::write(
            &file,
            format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get: {{operationId: first, {ok}}}\n  /a:\n    post: {{operationId: second, {ok}}}\n"),
        )
        .unwrap();
        let loaded = load(&file).unwrap();
        std::fs::remove_file(&file).unwrap();
        let Some(ReferenceOr::Item(item)) = loaded.document.paths.get("/a") else {
            panic!("the path item is read");
        };
        assert!(item.operation("get").is_some() && item.operation("post").is_some());
        assert!(
            loaded
                .notes
                .iter()
                .any(|note| note.pointer == "/paths/~1a" && note.message.contains("written twice")),
            "{:?}",
            loaded.notes
        );
    }

    /// Examples are left out of the reading, unless a `$ref` points into one: the schema it
    /// names is then read as before.
    #[test]
    fn a_ref_into_an_example_reads_the_spec_whole() {
        let file =
            std::env::temp_dir().join(format!("tether-example-ref-{}.yaml", std::process::id()));
        let spec = |schema: &str| {
            format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n              example: {{id: 1}}\ncomponents:\n  schemas:\n    A: {{type: object}}\n  examples:\n    E:\n      value: {{type: object, properties: {{id: {{type: integer}}}}}}\n")
        };
        let content = |loaded: &LoadedSpec| {
            let Some(ReferenceOr::Item(item)) = loaded.document.paths.get("/a") else {
                panic!("the path item is read");
            };
            let operation = item.operation("get").expect("a get");
            let Some(ReferenceOr::Item(response)) = operation.responses.responses.values().next()
            else {
                panic!("a response");
            };
            let (_, json) = response
                .content
                .iter()
                .find(|(media, _)| *media == "application/json")
                .expect("a JSON body");
            json.clone()
        };
        std::fs::write(&file, spec("{$ref: '#/components/examples/E/value'}")).unwrap();
        let whole = load(&file).unwrap();
        std::fs::write(&file, spec("{$ref: '#/components/schemas/A'}")).unwrap();
        let lean = load(&file).unwrap();
        std::fs::remove_file(&file).unwrap();
        let schema = content(&whole)
            .schema
            .expect("the example's value, bundled as a schema");
        assert!(
            matches!(schema, ReferenceOr::Reference { ref reference } if reference != "#/components/examples/E/value"),
            "{schema:?}"
        );
        assert!(
            matches!(content(&lean).schema, Some(ReferenceOr::Reference { ref reference }) if reference == "#/components/schemas/A"),
            "read from the lean tree as before"
        );
    }

    #[test]
    fn extension_paths_are_operations_and_their_notes_point_where_they_are_written() {
        let ok = json!({"200": {"description": "ok"}});
        let document = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/{blob}": {"get": {"operationId": "Blob_Get", "responses": ok,
                "parameters": [{"name": "blob", "in": "path", "required": true, "type": "string"}]}}},
            "x-ms-paths": {
                "/{blob}?comp=metadata": {"get": {"operationId": "Blob_GetMetadata", "responses": ok,
                    "parameters": [{"name": "blob", "in": "path", "required": true, "type": "string"},
                        {"name": "X-Tags", "in": "header", "type": "array",
                         "items": {"type": "string"}, "collectionFormat": "pipes"}]}},
                "/{blob}": {"put": {"operationId": "Shadowed", "responses": ok}}
            }
        });
        let loaded = load_value(document, Path::new("blob.json")).expect("loads");
        let mut operations: Vec<(&str, &str)> = loaded
            .document
            .paths
            .iter()
            .flat_map(|(path, item)| {
                let item = item.as_item().expect("an inline path item");
                item.iter().map(move |(_, operation)| {
                    (
                        path.as_str(),
                        operation.operation_id.as_deref().unwrap_or(""),
                    )
                })
            })
            .collect();
        operations.sort_unstable();
        assert_eq!(
            operations,
            [
                ("/{blob}", "Blob_Get"),
                ("/{blob}?comp=metadata", "Blob_GetMetadata")
            ]
        );
        let pointers: Vec<&str> = loaded
            .notes
            .iter()
            .map(|note| note.pointer.as_str())
            .collect();
        assert!(
            pointers.contains(&"/x-ms-paths/~1{blob}"),
            "the shadowed item is noted: {pointers:?}"
        );
        assert!(
            pointers.iter().any(|pointer| pointer
                .starts_with("/x-ms-paths/~1{blob}?comp=metadata/get/parameters/1")),
            "the piped header's note points into x-ms-paths: {pointers:?}"
        );
    }

    #[test]
    fn a_note_about_a_copied_node_points_where_the_spec_writes_it_once() {
        // The reference deep into `Item` is copied to a component of its own, which the
        // 3.1 reading then notes as it notes the node itself.
        let document = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"Item": {
                "type": "object",
                "definitions": {"itemType": {"type": {"type": "string"}}},
                "properties": {"kind": {"$ref": "#/components/schemas/Item/definitions/itemType"}}
            }}}
        });
        let loaded = load_value(document, Path::new("item.yaml")).expect("loads");
        let pointers: Vec<&str> = loaded
            .notes
            .iter()
            .map(|note| note.pointer.as_str())
            .collect();
        assert_eq!(
            pointers,
            ["/components/schemas/Item/definitions/itemType"],
            "{:?}",
            loaded.notes
        );
    }
}
