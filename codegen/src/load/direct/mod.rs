//! Reads the path items, operations, parameters, bodies and responses of the `openapiv3`
//! model straight from the JSON tree, in one pass over each node.
//!
//! The model's serde derive buffers a node's whole subtree at every untagged or flattened
//! level it passes (`ReferenceOr`, the `in` tag of a parameter, the extensions of every
//! object), so a path item is copied once per level it nests: most of the time the loader
//! spent on Kubernetes and GitHub. This reader takes the usual shape of each node and gives
//! up (`None`) at anything else: a key holding a value of another type, a `null`, both
//! `schema` and `content`, an unknown `in` or `style`. The caller then reads that node
//! with serde as before, repairs and notes included. Where it reads a node it reads what
//! serde reads; a test compares the two on every spec of the corpus.
//!
//! Schemas are read by [`schema`]; the small objects that seldom appear (servers,
//! security) are still read by serde, from the node itself rather than from a buffered
//! copy (a lean node is converted to a `Value` for it). Examples, links, callbacks and
//! external docs are passed over: the model does not keep them (see [`MediaType`]).
//!
//! The reader reads either tree, a `serde_json::Value` or a lean one, through
//! [`Tree`](super::lean::Tree).

mod references;
mod schema;

use openapiv3::{CookieStyle, HeaderStyle, PathStyle, QueryStyle, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use smol_str::SmolStr;

use super::lean::Tree;
use super::lenient::shallow;
use super::model::{
    keeps_extension, Header, Map, MediaType, MediaTypes, Operation, Parameter, ParameterData,
    ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response, Responses, METHODS,
};
use super::position::Position;
use references::reference_text;
pub(crate) use references::SharedReferences;

/// A model type read straight from the JSON tree.
pub(crate) trait Direct: Sized {
    /// `value` read as `Self`, or `None` where this reader leaves the node to serde.
    fn direct<N: Tree>(value: &N) -> Option<Self>;
}

impl<T: Direct> Direct for ReferenceOr<T> {
    fn direct<N: Tree>(value: &N) -> Option<Self> {
        // serde reads any object with a string `$ref` as a reference, whatever else it has;
        // a node that is no object has no `$ref`, and no reader of `T` takes it.
        match value.field("$ref") {
            Some(reference) => Some(ReferenceOr::Reference {
                reference: reference_text(reference.as_str()?),
            }),
            None => T::direct(value).map(ReferenceOr::Item),
        }
    }
}

impl Direct for PathItem {
    fn direct<N: Tree>(value: &N) -> Option<Self> {
        let mut item = PathItem::default();
        for (key, value) in value.entries()? {
            match key {
                "summary" => item.summary = Some(smol_text(value)?),
                "description" => item.description = Some(smol_text(value)?),
                "servers" => item.servers = by_serde(value)?,
                "parameters" => item.parameters = list(value)?,
                method if METHODS.contains(&method) => {
                    item.set_operation(method, Operation::direct(value)?)?
                }
                key => extension(&mut item.extensions, key, value),
            }
        }
        Some(item)
    }
}

impl Direct for Operation {
    fn direct<N: Tree>(value: &N) -> Option<Self> {
        let mut operation = Operation::default();
        let mut responses = None;
        for (key, value) in value.entries()? {
            match key {
                "tags" => operation.tags = texts(value)?,
                "summary" => operation.summary = Some(smol_text(value)?),
                "description" => operation.description = Some(smol_text(value)?),
                "operationId" => operation.operation_id = Some(smol_text(value)?),
                "parameters" => operation.parameters = list(value)?,
                "requestBody" => operation.request_body = Some(ReferenceOr::direct(value)?),
                "responses" => responses = Some(Responses::direct(value)?),
                "externalDocs" | "callbacks" => {}
                "deprecated" => operation.deprecated = value.as_bool()?,
                "security" => operation.security = Some(by_serde(value)?),
                "servers" => operation.servers = by_serde(value)?,
                key => extension(&mut operation.extensions, key, value),
            }
        }
        operation.responses = responses?;
        Some(operation)
    }
}

impl Direct for Parameter {
    fn direct<N: Tree>(object: &N) -> Option<Self> {
        let location = object.field("in")?.as_str()?;
        let style = object.field("style").map(Tree::as_str);
        let data = parameter_data(object, location)?;
        // A style of another location, or of no known name, is serde's error to report.
        Some(match (location, style) {
            ("query", style) => Parameter::Query {
                parameter_data: data,
                allow_reserved: optional_flag(object, "allowReserved")?.unwrap_or(false),
                style: match style {
                    None => QueryStyle::Form,
                    Some(Some("form")) => QueryStyle::Form,
                    Some(Some("spaceDelimited")) => QueryStyle::SpaceDelimited,
                    Some(Some("pipeDelimited")) => QueryStyle::PipeDelimited,
                    Some(Some("deepObject")) => QueryStyle::DeepObject,
                    Some(_) => return None,
                },
                allow_empty_value: optional_flag(object, "allowEmptyValue")?,
            },
            ("header", None | Some(Some("simple"))) => Parameter::Header {
                parameter_data: data,
                style: HeaderStyle::Simple,
            },
            ("path", style) => Parameter::Path {
                parameter_data: data,
                style: match style {
                    None => PathStyle::Simple,
                    Some(Some("simple")) => PathStyle::Simple,
                    Some(Some("label")) => PathStyle::Label,
                    Some(Some("matrix")) => PathStyle::Matrix,
                    Some(_) => return None,
                },
            },
            ("cookie", None | Some(Some("form"))) => Parameter::Cookie {
                parameter_data: data,
                style: CookieStyle::Form,
            },
            _ => return None,
        })
    }
}

/// The part of a parameter that does not depend on where it is sent. Keys of the other
/// locations (`allowReserved` on a path parameter) are ignored, as serde ignores them.
fn parameter_data<N: Tree>(object: &N, location: &str) -> Option<ParameterData> {
    let mut name = None;
    let mut description = None;
    let mut required = false;
    let mut deprecated = None;
    let mut format = Format::default();
    let mut explode = None;
    let mut extensions = Map::default();
    for (key, value) in object.entries()? {
        match key {
            "name" => name = Some(smol_text(value)?),
            "description" => description = Some(smol_text(value)?),
            "required" => required = value.as_bool()?,
            "deprecated" => deprecated = Some(value.as_bool()?),
            "explode" => explode = Some(value.as_bool()?),
            "in" | "style" | "example" | "examples" => {}
            "allowReserved" | "allowEmptyValue" if location == "query" => {}
            key => {
                if !format.read(key, value)? {
                    extension(&mut extensions, key, value);
                }
            }
        }
    }
    Some(ParameterData {
        name: name?,
        description,
        required,
        deprecated,
        format: format.0?,
        explode,
        extensions,
    })
}

impl Direct for Header {
    fn direct<N: Tree>(value: &N) -> Option<Self> {
        let mut description = None;
        let mut required = false;
        let mut deprecated = None;
        let mut format = Format::default();
        let mut extensions = Map::default();
        for (key, value) in value.entries()? {
            match key {
                "description" => description = Some(smol_text(value)?),
                "style" if value.as_str()? == "simple" => {}
                "style" => return None,
                "required" => required = value.as_bool()?,
                "deprecated" => deprecated = Some(value.as_bool()?),
                "example" | "examples" => {}
                key => {
                    if !format.read(key, value)? {
                        extension(&mut extensions, key, value);
                    }
                }
            }
        }
        Some(Header {
            description,
            style: HeaderStyle::Simple,
            required,
            deprecated,
            format: format.0?,
            extensions,
        })
    }
}

/// A parameter's or header's `schema` or `content`, exactly one of which it must have.
#[derive(Default)]
struct Format(Option<ParameterSchemaOrContent>);

impl Format {
    /// Takes `key` if it is `schema` or `content`: `Some(true)` when taken, `None` when
    /// the value does not read or the other one came first.
    fn read<N: Tree>(&mut self, key: &str, value: &N) -> Option<bool> {
        let read = match key {
            "schema" => ParameterSchemaOrContent::Schema(ReferenceOr::direct(value)?),
            "content" => ParameterSchemaOrContent::Content(content(value)?),
            _ => return Some(false),
        };
        if self.0.is_some() {
            // serde takes whichever comes first and ignores the other; rare enough to
            // leave to it.
            return None;
        }
        self.0 = Some(read);
        Some(true)
    }
}

impl Direct for RequestBody {
    fn direct<N: Tree>(value: &N) -> Option<Self> {
        let mut body = RequestBody::default();
        for (key, value) in value.entries()? {
            match key {
                "description" => body.description = Some(smol_text(value)?),
                "content" => body.content = content(value)?,
                "required" => body.required = value.as_bool()?,
                key => extension(&mut body.extensions, key, value),
            }
        }
        Some(body)
    }
}

impl Direct for Responses {
    fn direct<N: Tree>(value: &N) -> Option<Self> {
        let mut responses = Responses::default();
        for (key, value) in value.entries()? {
            if key == "default" {
                responses.default = Some(ReferenceOr::direct(value)?);
            } else if let Some(status) = status_code(key) {
                responses
                    .responses
                    .insert(status, ReferenceOr::direct(value)?);
            } else {
                // serde skips a key that is not a status code, and keeps extensions.
                extension(&mut responses.extensions, key, value);
            }
        }
        Some(responses)
    }
}

/// A response key as the model's `StatusCode` reads it: three characters, either a number
/// from 100 to 999 or a digit and `XX` (in either case).
fn status_code(key: &str) -> Option<StatusCode> {
    if key.len() != 3 {
        return None;
    }
    if let Ok(number) = key.parse::<i64>() {
        return (100..1000)
            .contains(&number)
            .then_some(StatusCode::Code(number as u16));
    }
    match key.as_bytes() {
        [digit, b'X' | b'x', b'X' | b'x'] if digit.is_ascii_digit() => {
            Some(StatusCode::Range(u16::from(digit - b'0')))
        }
        _ => None,
    }
}

impl Direct for Response {
    fn direct<N: Tree>(value: &N) -> Option<Self> {
        let mut response = Response::default();
        let mut description = None;
        for (key, value) in value.entries()? {
            match key {
                "description" => description = Some(smol_text(value)?),
                "headers" => response.headers = map(value, ReferenceOr::direct)?,
                "content" => response.content = content(value)?,
                "links" => {}
                key => extension(&mut response.extensions, key, value),
            }
        }
        response.description = description?;
        Some(response)
    }
}

impl Direct for MediaType {
    fn direct<N: Tree>(value: &N) -> Option<Self> {
        let mut media_type = MediaType::default();
        for (key, value) in value.entries()? {
            match key {
                "schema" => media_type.schema = Some(ReferenceOr::direct(value)?),
                "example" | "examples" => {}
                "encoding" => media_type.encoding = guarded(value, Position::Encodings)?,
                key => extension(&mut media_type.extensions, key, value),
            }
        }
        Some(media_type)
    }
}

/// The media types of a `content` object. Media types that are places of one shared node
/// (the Swagger 2.0 upgrade's, see [`Tree::is_same_node`]) are read once and copied.
fn content<N: Tree>(value: &N) -> Option<MediaTypes> {
    let object = value.entries()?;
    let mut content = MediaTypes::with_capacity(object.len());
    let mut last: Option<(&N, usize)> = None;
    for (media_type, node) in object {
        let read = match last {
            Some((last_node, index)) if node.is_same_node(last_node) => content.nth(index)?.clone(),
            _ => MediaType::direct(node)?,
        };
        let index = content.insert(SmolStr::new(media_type), read);
        last = Some((node, index));
    }
    Some(content)
}

/// An object of entries each read by `read`, in the order written.
fn map<N: Tree, T>(value: &N, read: impl Fn(&N) -> Option<T>) -> Option<Map<String, T>> {
    let object = value.entries()?;
    let mut entries = Map::with_capacity_and_hasher(object.len(), Default::default());
    for (key, value) in object {
        entries.insert(key.to_owned(), read(value)?);
    }
    Some(entries)
}

fn list<N: Tree, T: Direct>(value: &N) -> Option<Vec<T>> {
    read_all(value.items()?, T::direct)
}

/// Each of `items` read by `read`, or `None` when one does not read. Sized up front (as
/// collecting options into a vector is not): a model node takes a kilobyte or more (a
/// parameter holds a whole schema inline), and growing the vector would copy each one
/// again.
pub(super) fn read_all<T, U>(items: &[T], read: impl Fn(&T) -> Option<U>) -> Option<Vec<U>> {
    let mut all = Vec::with_capacity(items.len());
    for item in items {
        all.push(read(item)?);
    }
    Some(all)
}

fn text<N: Tree>(value: &N) -> Option<String> {
    value.as_str().map(str::to_owned)
}

/// A string as a [`SmolStr`]: names, descriptions and summaries, which the model shares
/// with the lowered API rather than copying.
pub(super) fn smol_text<N: Tree>(value: &N) -> Option<SmolStr> {
    value.as_str().map(SmolStr::new)
}

/// A list of strings (an operation's tags: nearly every operation has them, and serde
/// would read them from a `Value` made for the purpose).
fn texts<N: Tree>(value: &N) -> Option<Vec<String>> {
    read_all(value.items()?, text)
}

fn optional_flag<N: Tree>(object: &N, key: &str) -> Option<Option<bool>> {
    match object.field(key) {
        None => Some(None),
        Some(value) => value.as_bool().map(Some),
    }
}

/// Keeps `key` among the extensions if it is one the model keeps ([`keeps_extension`];
/// serde ignores other unknown keys).
fn extension<N: Tree>(extensions: &mut Map<String, Value>, key: &str, value: &N) {
    if keeps_extension(key) {
        extensions.insert(key.to_owned(), value.to_value());
    }
}

/// A small object read by serde: no schemas inside, nothing costly to buffer. A `null` is
/// left to serde as a whole (an optional field reads it as absent).
fn by_serde<N: Tree, T: DeserializeOwned>(value: &N) -> Option<T> {
    if value.is_null() {
        return None;
    }
    value.with_value(|value| T::deserialize(value).ok())
}

/// A node with schemas inside, read by serde when its schemas nest shallowly: a failed
/// read costs time exponential in their depth (see [`shallow`]).
fn guarded<N: Tree, T: DeserializeOwned>(value: &N, position: Position) -> Option<T> {
    value.with_value(|value| {
        if shallow(value, position) {
            by_serde(value)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use serde_json::json;

    use crate::load::Schema;

    use super::*;

    /// Whether the direct reading of `node` is serde's, or `None` where it gives up.
    fn agrees<T: Direct + DeserializeOwned + Debug + PartialEq>(node: &Value) -> Option<bool> {
        let direct = T::direct(node)?;
        let Ok(by_serde) = T::deserialize(node) else {
            panic!("read directly, but serde rejects it: {node}");
        };
        // Written out as well: the model's maps compare equal in any order.
        let text = |model: &T| format!("{model:?}");
        Some(direct == by_serde && text(&direct) == text(&by_serde))
    }

    #[test]
    fn the_places_of_one_reference_share_its_text_while_a_document_is_read() {
        let text = "#/components/schemas/io.k8s.api.core.v1.Pod";
        let node = json!({ "$ref": text });
        let read = || match ReferenceOr::<Box<Schema>>::direct(&node) {
            Some(ReferenceOr::Reference { reference }) => reference,
            other => panic!("read as a reference: {other:?}"),
        };
        let shared = SharedReferences::start();
        let (first, second) = (read(), read());
        assert_eq!(first, text);
        assert_eq!(first.as_str().as_ptr(), second.as_str().as_ptr());
        drop(shared);
        let (first, second) = (read(), read());
        assert_eq!(first, text);
        assert_ne!(first.as_str().as_ptr(), second.as_str().as_ptr());
    }

    #[test]
    fn media_types_sharing_one_node_read_as_the_same_media_types_written_out() {
        use crate::load::lean::{Arena, Lean, LeanMap};
        let arena = Arena::new();
        let media = json!({"schema": {"$ref": "#/components/schemas/Pod"}});
        let shared = Lean::Shared(arena.alloc(Lean::from_value(&media, &arena)));
        let mut content = LeanMap::new_in(&arena);
        for media_type in [
            "application/json",
            "application/yaml",
            "application/x-protobuf",
        ] {
            content.insert(media_type, shared.clone());
        }
        content.insert(
            "text/plain",
            Lean::from_value(&json!({"schema": {"type": "string"}}), &arena),
        );
        let lean = Lean::Object(content);
        let read = super::content(&lean).expect("read directly");
        assert_eq!(Some(read), super::content(&lean.to_value()));
        assert!(
            agrees::<Response>(&json!({"description": "ok", "content": lean.to_value()}))
                .expect("read directly")
        );
    }

    #[test]
    fn a_path_item_of_every_kind_of_node_reads_as_serde_reads_it() {
        let item = json!({
            "summary": "pets",
            "x-path": {"a": [1, null]},
            "parameters": [{"$ref": "#/components/parameters/Id", "description": "ignored"}],
            "servers": [{"url": "https://{region}.example.com", "variables": {"region": {"default": "eu"}}}],
            "get": {
                "tags": ["pets"], "operationId": "listPets", "deprecated": true,
                "externalDocs": {"url": "https://example.com"},
                "security": [{"key": []}, {}],
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100},
                     "style": "deepObject", "allowReserved": true, "allowEmptyValue": false,
                     "explode": false, "example": 5, "x-query": true},
                    {"name": "filter", "in": "query", "required": true,
                     "content": {"application/json": {"schema": {"type": "object"}}}},
                    {"name": "id", "in": "path", "required": true, "style": "label",
                     "allowReserved": true, "schema": {"type": "string"}},
                    {"name": "X-Trace", "in": "header", "deprecated": false,
                     "examples": {"one": {"value": "a"}}, "schema": {"$ref": "#/components/schemas/Trace"}},
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}}
                ],
                "requestBody": {"description": "a pet", "required": true, "x-body": 1, "content": {
                    "multipart/form-data": {
                        "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
                        "encoding": {"file": {"contentType": "image/png", "headers": {"X-Rate": {"schema": {"type": "integer"}}}}}
                    }
                }},
                "responses": {
                    "200": {"description": "ok", "headers": {
                        "Link": {"description": "next page", "schema": {"type": "string"}, "required": true},
                        "X-Shared": {"$ref": "#/components/headers/Shared"}
                    }, "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                        "example": [{"id": 1}], "x-media": "m"}},
                      "links": {"next": {"operationId": "listPets"}}},
                    "2XX": {"description": "also ok"},
                    "4xx": {"$ref": "#/components/responses/Problem"},
                    "x-responses": true,
                    "default": {"description": "error"}
                },
                "callbacks": {"onEvent": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}}}
            },
            "post": {"responses": {}}
        });
        assert_eq!(agrees::<ReferenceOr<PathItem>>(&item), Some(true));
        let reference = json!({"$ref": "#/components/pathItems/Pets", "summary": "ignored"});
        assert_eq!(agrees::<ReferenceOr<PathItem>>(&reference), Some(true));
    }

    #[test]
    fn response_keys_that_are_not_status_codes_are_skipped_as_serde_skips_them() {
        let responses = json!({
            "099": {"description": "too low"}, "1000": {"description": "too long"},
            "+99": {"description": "signed"}, "9xx": {"description": "range"},
            "2Xx": {"description": "mixed case"}, "2XX": {"description": "same range again"},
            "abc": {"description": "words"}
        });
        assert_eq!(agrees::<Responses>(&responses), Some(true));
        let read = Responses::direct(&responses).expect("reads");
        let keys: Vec<String> = read.responses.keys().map(ToString::to_string).collect();
        assert_eq!(keys, ["9XX", "2XX"]);
    }

    #[test]
    fn unusual_shapes_are_left_to_serde() {
        let left = [
            // serde reads `null` as absent, and takes whichever of schema or content is first
            json!({"name": "a", "in": "query", "description": null, "schema": {}}),
            json!({"name": "a", "in": "query", "schema": {}, "content": {}}),
            // which serde rejects, with the message the repair notes
            json!({"name": "a", "in": "body", "schema": {}}),
            json!({"name": "a", "in": "header", "style": "form", "schema": {}}),
            json!({"name": "a", "in": "query", "required": "yes", "schema": {}}),
            json!({"name": "a", "in": "query"}),
            json!({"in": "query", "schema": {}}),
            json!({"$ref": 7}),
        ];
        for parameter in left {
            assert!(
                ReferenceOr::<Parameter>::direct(&parameter).is_none(),
                "{parameter}"
            );
        }
        assert!(Response::direct(&json!({"content": {}})).is_none());
        assert!(Operation::direct(&json!({"summary": "no responses"})).is_none());
        for tags in [json!(null), json!(["a", 1]), json!("a")] {
            let operation = json!({"tags": tags, "responses": {}});
            assert!(Operation::direct(&operation).is_none(), "{operation}");
        }
    }

    #[test]
    fn deeply_nested_schemas_are_read_in_one_pass() {
        let mut schema = json!({"type": "string"});
        for _ in 0..12 {
            schema = json!({"type": "array", "items": schema});
        }
        assert_eq!(agrees::<Schema>(&schema), Some(true));
        let media_type = json!({"schema": schema});
        assert_eq!(agrees::<MediaType>(&media_type), Some(true));
    }

    /// Every path item and component of every corpus spec: where the direct reading takes
    /// a node, it reads what serde reads, and it takes nearly all of them.
    #[test]
    fn the_corpus_reads_as_serde_reads_it() {
        let Some(specs) = super::super::corpus_specs() else {
            return;
        };
        let (mut taken, mut left) = (0, 0);
        let mut count = |agreed: Option<bool>, at: &str| match agreed {
            Some(agreed) => {
                assert!(agreed, "the direct reading differs from serde's at {at}");
                taken += 1;
            }
            None => left += 1,
        };
        for file in specs {
            let Ok(parsed) = super::super::source::read(
                &file,
                super::super::source::Keep::Everything,
                &mut Vec::new(),
            ) else {
                continue;
            };
            let arena = super::super::Arena::new();
            let Ok(upgraded) = super::super::upgrade(parsed, &arena, &file) else {
                continue;
            };
            let document = match upgraded.document {
                super::super::Shaped::Value(document) => document,
                super::super::Shaped::Lean(document) => document.to_value(),
            };
            let at = |section: &str, name: &str| format!("{} {section}/{name}", file.display());
            for (path, item) in document["paths"].as_object().into_iter().flatten() {
                count(agrees::<ReferenceOr<PathItem>>(item), &at("paths", path));
            }
            let components = &document["components"];
            let entries = |section: &str| components[section].as_object().into_iter().flatten();
            for (name, node) in entries("schemas") {
                count(agrees::<ReferenceOr<Schema>>(node), &at("schemas", name));
            }
            for (name, node) in entries("parameters") {
                count(
                    agrees::<ReferenceOr<Parameter>>(node),
                    &at("parameters", name),
                );
            }
            for (name, node) in entries("requestBodies") {
                count(
                    agrees::<ReferenceOr<RequestBody>>(node),
                    &at("bodies", name),
                );
            }
            for (name, node) in entries("responses") {
                count(
                    agrees::<ReferenceOr<Response>>(node),
                    &at("responses", name),
                );
            }
            for (name, node) in entries("headers") {
                count(agrees::<ReferenceOr<Header>>(node), &at("headers", name));
            }
        }
        println!("read directly: {taken}, left to serde: {left}");
        assert!(
            left * 50 < taken,
            "{left} nodes left to serde, {taken} read directly"
        );
    }
}
