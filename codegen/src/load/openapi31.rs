//! OpenAPI 3.1 to OpenAPI 3.0: rewrites a 3.1 document, still as JSON, into the 3.0.3 shape
//! that the `openapiv3` model reads.
//!
//! 3.1 schemas are JSON Schema 2020-12; 3.0 schemas are an older, smaller dialect. Most
//! differences have an exact 3.0 spelling (`type: [T, "null"]` is `nullable: true`, `const` is
//! a one-value `enum`); the rest are dropped or weakened, and each such place gets a [`Note`]
//! so nothing disappears silently.
//!
//! The walk follows the document's structure (paths, operations, parameters, media types,
//! schemas), never keyword names found at random depth, so a property that happens to be
//! called `examples` or `const` is left alone. It visits every node once; the only copies are
//! of path items and callbacks that a reference points at, which 3.0 cannot share.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Number, Value};

use super::model::METHODS;
use super::{property_required, ADDITIONAL_OPERATIONS};
use crate::diagnostics::{pointer_push, Note};

/// Schemas nested deeper than this are cut off: real specs stay far below it, and a bound keeps
/// a hostile document from exhausting the stack.
const MAX_SCHEMA_DEPTH: usize = 256;

/// How many references in a row a path item or callback may follow before the chain is taken
/// to be a cycle.
const MAX_REF_HOPS: usize = 16;

/// How deep callbacks defined inside callbacks are inlined; a callback that refers back to
/// itself would otherwise be copied without end.
const MAX_CALLBACK_DEPTH: usize = 2;

/// Keywords of JSON Schema 2020-12 that only identify or annotate a schema resource; 3.0 has no
/// use for them and they change nothing a client does.
const IDENTITY_KEYWORDS: [&str; 7] = [
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$dynamicAnchor",
    "$vocabulary",
    "$recursiveAnchor",
];

/// Validation-only keywords with no 3.0 counterpart: dropped, with a note.
const UNSUPPORTED_KEYWORDS: [&str; 10] = [
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
];

/// Siblings of `$ref` that only document the reference (as do `x-` extensions). 3.0 ignores
/// every sibling of `$ref`; for these that loses nothing a client needs, so the reference stays
/// a plain reference.
const DOCUMENTING_REF_SIBLINGS: [&str; 5] =
    ["description", "summary", "title", "example", "examples"];

/// Keywords that constrain only one or two instance types, with the types they apply to: when
/// `type` lists several types these move into the branch of their type.
const TYPED_KEYWORDS: [(&str, &[&str]); 17] = [
    ("minLength", &["string"]),
    ("maxLength", &["string"]),
    ("pattern", &["string"]),
    ("minimum", &["number", "integer"]),
    ("maximum", &["number", "integer"]),
    ("exclusiveMinimum", &["number", "integer"]),
    ("exclusiveMaximum", &["number", "integer"]),
    ("multipleOf", &["number", "integer"]),
    ("properties", &["object"]),
    ("required", &["object"]),
    ("additionalProperties", &["object"]),
    ("minProperties", &["object"]),
    ("maxProperties", &["object"]),
    ("items", &["array"]),
    ("minItems", &["array"]),
    ("maxItems", &["array"]),
    ("uniqueItems", &["array"]),
];

/// Rewrites an OpenAPI 3.1 document in place into the OpenAPI 3.0.3 shape, so that it
/// deserialises into `openapiv3::OpenAPI` with its meaning kept where 3.0 can express it.
///
/// Every construct that had to be dropped or weakened is reported in `notes` with its JSON
/// pointer in the original document. A document that is not a JSON object is left unchanged:
/// reading it will fail with a better message than this function could give.
pub(crate) fn normalize(doc: &mut Value, notes: &mut Vec<Note>) {
    let mut normalizer = Normalizer::new(notes);
    if let Value::Object(root) = doc {
        normalizer.document(root);
    }
    if normalizer.saw_definition_ref {
        normalizer.rewrite_definition_refs(doc);
    }
}

/// The state of one walk over a document.
struct Normalizer<'n> {
    notes: &'n mut Vec<Note>,
    /// JSON pointer of the node being visited; segments are pushed and popped as the walk goes.
    pointer: String,
    /// `components.pathItems`, taken out of the document: 3.0 has no such section, so every
    /// reference to one of them is replaced by a copy.
    path_items: Map<String, Value>,
    /// `components.callbacks` as written, for inlining the references that operations make
    /// (the 3.0 model reads an operation's callbacks only inline).
    callbacks: Map<String, Value>,
    /// Security schemes that 3.0 cannot express and that were removed.
    dropped_schemes: HashSet<String>,
    callback_depth: usize,
    /// The component schema being walked, which dynamic references recurse into.
    recursion_root: Option<RecursionRoot>,
    /// Names used in `components.schemas`, including those given to hoisted definitions.
    schema_names: HashSet<String>,
    /// `$defs` entries moved to `components.schemas`, with their new names.
    hoisted: Vec<(String, Value)>,
    /// Reference to a `$defs` entry as written (`#/components/schemas/A/$defs/B`) to the
    /// reference of its hoisted copy.
    hoisted_by_pointer: HashMap<String, String>,
    /// A `$defs` entry's own name to its hoisted reference, or `None` when several entries
    /// share the name.
    hoisted_by_name: HashMap<String, Option<String>>,
    /// Whether some reference points into a `$defs` (or `definitions`) section, which makes
    /// the final rewriting pass necessary.
    saw_definition_ref: bool,
}

/// The component schema that a `$dynamicRef` inside it can recurse into.
struct RecursionRoot {
    /// `#/components/schemas/Name`.
    reference: String,
    /// The `$dynamicAnchor` the component declares at its top, if any.
    dynamic_anchor: Option<String>,
}

impl<'n> Normalizer<'n> {
    fn new(notes: &'n mut Vec<Note>) -> Self {
        Normalizer {
            notes,
            pointer: String::new(),
            path_items: Map::new(),
            callbacks: Map::new(),
            dropped_schemes: HashSet::new(),
            callback_depth: 0,
            recursion_root: None,
            schema_names: HashSet::new(),
            hoisted: Vec::new(),
            hoisted_by_pointer: HashMap::new(),
            hoisted_by_name: HashMap::new(),
            saw_definition_ref: false,
        }
    }

    // ----- pointer and notes -----

    /// Appends `segment` to the current pointer and returns the length to restore with
    /// [`Self::leave`].
    fn enter(&mut self, segment: &str) -> usize {
        let mark = self.pointer.len();
        self.pointer.push('/');
        for c in segment.chars() {
            match c {
                '~' => self.pointer.push_str("~0"),
                '/' => self.pointer.push_str("~1"),
                c => self.pointer.push(c),
            }
        }
        mark
    }

    fn leave(&mut self, mark: usize) {
        self.pointer.truncate(mark);
    }

    fn note(&mut self, message: impl Into<String>) {
        self.notes.push(Note::new(self.pointer.clone(), message));
    }

    fn note_at(&mut self, segment: &str, message: impl Into<String>) {
        let mark = self.enter(segment);
        self.note(message);
        self.leave(mark);
    }

    // ----- document level -----

    fn document(&mut self, root: &mut Map<String, Value>) {
        self.top_level_fields(root);
        self.take_components(root);
        self.components(root);
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            let mark = self.enter("paths");
            for (path, item) in paths.iter_mut() {
                if path.starts_with("x-") {
                    continue;
                }
                let mark = self.enter(path);
                self.path_item(item);
                self.leave(mark);
            }
            self.leave(mark);
        }
        if let Some(security) = root.get_mut("security") {
            self.security(security);
        }
        self.insert_hoisted(root);
    }

    fn top_level_fields(&mut self, root: &mut Map<String, Value>) {
        if let Some(Value::String(version)) = root.get_mut("openapi") {
            if version.starts_with("3.1") {
                *version = "3.0.3".to_owned();
            }
        }
        // The dialect only names the JSON Schema vocabulary; the walk below assumes 2020-12.
        root.remove("jsonSchemaDialect");
        if let Some(webhooks) = root.remove("webhooks") {
            let message = "webhook not generated: a client only receives webhooks, it never \
                           calls them";
            match webhooks {
                Value::Object(webhooks) => {
                    let mark = self.enter("webhooks");
                    for name in webhooks.keys().filter(|name| !name.starts_with("x-")) {
                        self.note_at(name, message);
                    }
                    self.leave(mark);
                }
                _ => self.note_at("webhooks", message),
            }
        }
        if let Some(Value::Object(info)) = root.get_mut("info") {
            let mark = self.enter("info");
            if info.remove("summary").is_some() {
                self.note_at(
                    "summary",
                    "info.summary dropped: OpenAPI 3.0 has no such field",
                );
            }
            if let Some(Value::Object(license)) = info.get_mut("license") {
                if let Some(identifier) = license.remove("identifier") {
                    let mark = self.enter("license");
                    // An SPDX identifier has a canonical page, which 3.0 can carry as the url.
                    match identifier {
                        Value::String(id) if !license.contains_key("url") => {
                            let url = format!("https://spdx.org/licenses/{id}.html");
                            license.insert("url".to_owned(), Value::String(url));
                            self.note_at(
                                "identifier",
                                "SPDX license identifier replaced by the license's SPDX url: \
                                 OpenAPI 3.0 licenses have only a name and a url",
                            );
                        }
                        _ => self.note_at(
                            "identifier",
                            "license identifier dropped: OpenAPI 3.0 licenses have only a name \
                             and a url",
                        ),
                    }
                    self.leave(mark);
                }
            }
            self.leave(mark);
        }
        // 3.1 lets a document describe only webhooks or components; 3.0 requires `paths`.
        if !root.contains_key("paths") {
            root.insert("paths".to_owned(), Value::Object(Map::new()));
        }
    }

    /// Takes out what 3.0 has no place for (`pathItems`, mutual TLS schemes) and records what
    /// the walk needs to know up front (callbacks to inline, schema names in use).
    fn take_components(&mut self, root: &mut Map<String, Value>) {
        let Some(Value::Object(components)) = root.get_mut("components") else {
            return;
        };
        let mark = self.enter("components");
        match components.remove("pathItems") {
            Some(Value::Object(items)) => self.path_items = items,
            Some(_) => self.note_at("pathItems", "pathItems is not an object; dropped"),
            None => {}
        }
        if let Some(Value::Object(callbacks)) = components.get("callbacks") {
            if !callbacks.is_empty() {
                self.callbacks.clone_from(callbacks);
            }
        }
        if let Some(Value::Object(schemas)) = components.get("schemas") {
            self.schema_names = schemas.keys().cloned().collect();
        }
        if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
            let mutual_tls: Vec<String> = schemes
                .iter()
                .filter(|(_, scheme)| {
                    scheme.get("type").and_then(Value::as_str) == Some("mutualTLS")
                })
                .map(|(name, _)| name.clone())
                .collect();
            // `retain` keeps the order of the other schemes whether or not the map preserves
            // insertion order.
            schemes.retain(|name, _| !mutual_tls.contains(name));
            let mark = self.enter("securitySchemes");
            for name in mutual_tls {
                self.note_at(
                    &name,
                    "mutualTLS security scheme dropped (OpenAPI 3.0 has no such type) and \
                     removed from every security requirement: configure the client \
                     certificate on the HTTP client instead",
                );
                self.dropped_schemes.insert(name);
            }
            self.leave(mark);
        }
        self.leave(mark);
    }

    fn components(&mut self, root: &mut Map<String, Value>) {
        let Some(Value::Object(components)) = root.get_mut("components") else {
            return;
        };
        let mark = self.enter("components");
        for (section, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else {
                continue;
            };
            let mark = self.enter(section);
            for (name, entry) in entries.iter_mut() {
                let mark = self.enter(name);
                match section.as_str() {
                    "schemas" => {
                        self.recursion_root = Some(RecursionRoot {
                            reference: format!("#{}", self.pointer),
                            dynamic_anchor: entry
                                .get("$dynamicAnchor")
                                .and_then(Value::as_str)
                                .map(str::to_owned),
                        });
                        self.schema(entry, 0);
                        self.recursion_root = None;
                    }
                    "parameters" | "headers" => self.parameter(entry),
                    "responses" => self.response(entry),
                    "requestBodies" => self.request_body(entry),
                    "callbacks" => self.callback(entry),
                    _ => {}
                }
                self.leave(mark);
            }
            self.leave(mark);
        }
        self.leave(mark);
    }

    /// Adds the hoisted `$defs` entries to `components.schemas`.
    fn insert_hoisted(&mut self, root: &mut Map<String, Value>) {
        if self.hoisted.is_empty() {
            return;
        }
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(components) = components else {
            self.note_at(
                "components",
                "components is not an object; schemas from $defs could not be added",
            );
            return;
        };
        let schemas = components
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(schemas) = schemas else {
            return;
        };
        for (name, schema) in self.hoisted.drain(..) {
            schemas.insert(name, schema);
        }
    }

    // ----- paths, operations and what they hold -----

    fn path_item(&mut self, item: &mut Value) {
        self.inline_path_item_ref(item);
        let Value::Object(map) = item else {
            return;
        };
        if map.contains_key("$ref") {
            // An external reference, or one the inlining above already noted.
            return;
        }
        self.additional_operations(map);
        if let Some(parameters) = map.get_mut("parameters") {
            let mark = self.enter("parameters");
            self.parameter_list(parameters);
            self.leave(mark);
        }
        for method in METHODS {
            if let Some(operation) = map.get_mut(method) {
                let mark = self.enter(method);
                self.operation(operation);
                self.leave(mark);
            }
        }
    }

    /// Moves OpenAPI 3.2's `query` operation and `additionalOperations` into
    /// [`ADDITIONAL_OPERATIONS`], by the method name each is sent with, normalized as the
    /// others are.
    fn additional_operations(&mut self, item: &mut Map<String, Value>) {
        let mut moved = Map::new();
        if let Some(mut operation) = item.remove("query") {
            let mark = self.enter("query");
            self.operation(&mut operation);
            self.leave(mark);
            moved.insert("QUERY".to_owned(), operation);
        }
        match item.remove("additionalOperations") {
            Some(Value::Object(operations)) => {
                let outer = self.enter("additionalOperations");
                for (method, mut operation) in operations {
                    let mark = self.enter(&method);
                    self.operation(&mut operation);
                    self.leave(mark);
                    moved.insert(method, operation);
                }
                self.leave(outer);
            }
            Some(_) => self.note_at(
                "additionalOperations",
                "ignored: `additionalOperations` is not a map of operations",
            ),
            None => {}
        }
        if !moved.is_empty() {
            item.insert(ADDITIONAL_OPERATIONS.to_owned(), Value::Object(moved));
        }
    }

    /// Replaces a reference to `components.pathItems` with a copy of the path item, overlaid
    /// with the reference's own `summary` and `description` as 3.1 specifies.
    fn inline_path_item_ref(&mut self, item: &mut Value) {
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
                return;
            };
            let Some(name) = component_name(reference, "pathItems") else {
                return;
            };
            let Some(target) = self.path_items.get(&name) else {
                let message = format!(
                    "path item reference {reference} does not resolve; its operations are \
                     skipped"
                );
                self.note(message);
                return;
            };
            let mut resolved = target.clone();
            if let (Value::Object(resolved), Value::Object(reference)) = (&mut resolved, &*item) {
                for (key, value) in reference {
                    if key != "$ref" {
                        resolved.insert(key.clone(), value.clone());
                    }
                }
            }
            *item = resolved;
        }
        if item.get("$ref").is_some() {
            self.note("path item references form a cycle; its operations are skipped");
        }
    }

    fn operation(&mut self, operation: &mut Value) {
        let Value::Object(map) = operation else {
            return;
        };
        if let Some(parameters) = map.get_mut("parameters") {
            let mark = self.enter("parameters");
            self.parameter_list(parameters);
            self.leave(mark);
        }
        if let Some(body) = map.get_mut("requestBody") {
            let mark = self.enter("requestBody");
            self.request_body(body);
            self.leave(mark);
        }
        match map.get_mut("responses") {
            Some(Value::Object(responses)) => {
                let mark = self.enter("responses");
                for (status, response) in responses.iter_mut() {
                    if status.starts_with("x-") {
                        continue;
                    }
                    let mark = self.enter(status);
                    self.response(response);
                    self.leave(mark);
                }
                self.leave(mark);
            }
            Some(_) => {}
            None => {
                // 3.1 made `responses` optional; 3.0 requires it.
                map.insert("responses".to_owned(), Value::Object(Map::new()));
                self.note(
                    "operation declares no responses (allowed in 3.1); read as declaring none",
                );
            }
        }
        if let Some(Value::Object(callbacks)) = map.get_mut("callbacks") {
            let mark = self.enter("callbacks");
            callbacks.retain(|name, callback| self.operation_callback(name, callback));
            self.leave(mark);
        }
        if let Some(security) = map.get_mut("security") {
            self.security(security);
        }
    }

    /// Walks one callback of an operation, inlining it when it is a reference. Returns
    /// whether to keep it: a reference that cannot be inlined would make the 3.0 model reject
    /// the whole document, so it is removed with a note.
    fn operation_callback(&mut self, name: &str, callback: &mut Value) -> bool {
        if name.starts_with("x-") {
            return true;
        }
        let mark = self.enter(name);
        let mut keep = true;
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = callback.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let target = component_name(reference, "callbacks")
                .and_then(|target| self.callbacks.get(&target));
            match target {
                Some(target) if self.callback_depth < MAX_CALLBACK_DEPTH => {
                    *callback = target.clone();
                }
                _ => {
                    let message = format!(
                        "callback reference {reference} could not be inlined (unresolved, \
                         cyclic or nested too deep); callback dropped"
                    );
                    self.note(message);
                    keep = false;
                    break;
                }
            }
        }
        if keep && callback.get("$ref").is_some() {
            self.note("callback references form a cycle; callback dropped");
            keep = false;
        }
        if keep {
            self.callback_depth += 1;
            self.callback(callback);
            self.callback_depth -= 1;
        }
        self.leave(mark);
        keep
    }

    fn callback(&mut self, callback: &mut Value) {
        let Value::Object(map) = callback else {
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        for (expression, item) in map.iter_mut() {
            if expression.starts_with("x-") {
                continue;
            }
            let mark = self.enter(expression);
            self.path_item(item);
            self.leave(mark);
        }
    }

    fn security(&mut self, requirements: &mut Value) {
        if self.dropped_schemes.is_empty() {
            return;
        }
        let Value::Array(requirements) = requirements else {
            return;
        };
        for requirement in requirements {
            if let Value::Object(requirement) = requirement {
                // An alternative that needed only dropped schemes becomes `{}`: the client
                // applies nothing itself, and the transport supplies the certificate.
                requirement.retain(|scheme, _| !self.dropped_schemes.contains(scheme));
            }
        }
    }

    fn parameter_list(&mut self, parameters: &mut Value) {
        let Value::Array(parameters) = parameters else {
            return;
        };
        for (index, parameter) in parameters.iter_mut().enumerate() {
            let mark = self.enter(&index.to_string());
            self.parameter(parameter);
            self.leave(mark);
        }
    }

    /// A parameter or a header: they differ only in fields this walk does not touch.
    fn parameter(&mut self, parameter: &mut Value) {
        let Value::Object(map) = parameter else {
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        if map.get("in").and_then(Value::as_str) == Some("querystring") {
            self.querystring_parameter(map);
        }
        if let Some(schema) = map.get_mut("schema") {
            let mark = self.enter("schema");
            self.schema(schema, 0);
            self.leave(mark);
        }
        if let Some(content) = map.get_mut("content") {
            self.content(content);
        }
    }

    /// OpenAPI 3.2's `in: querystring`: one value that is the whole query string, written
    /// as its media type says. Form-encoded, that is an object parameter in the query,
    /// exploded (`a=1&b=2`); any other media type stays as written, and the 3.0 reader
    /// drops the parameter with a note.
    fn querystring_parameter(&mut self, parameter: &mut Map<String, Value>) {
        let form = parameter
            .get("content")
            .and_then(Value::as_object)
            .filter(|content| content.len() == 1)
            .and_then(|content| content.get("application/x-www-form-urlencoded"))
            .map(|media| media.get("schema").cloned().unwrap_or(Value::Bool(true)));
        let Some(schema) = form else {
            self.note(
                "a `querystring` parameter is read only when it is form-encoded \
                 (`application/x-www-form-urlencoded`)",
            );
            return;
        };
        parameter.remove("content");
        parameter.insert("in".to_owned(), Value::String("query".to_owned()));
        parameter.insert("style".to_owned(), Value::String("form".to_owned()));
        parameter.insert("explode".to_owned(), Value::Bool(true));
        parameter.insert("schema".to_owned(), schema);
    }

    fn request_body(&mut self, body: &mut Value) {
        let Value::Object(map) = body else {
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        if let Some(content) = map.get_mut("content") {
            self.content(content);
        }
    }

    fn response(&mut self, response: &mut Value) {
        let Value::Object(map) = response else {
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        if let Some(Value::Object(headers)) = map.get_mut("headers") {
            let mark = self.enter("headers");
            for (name, header) in headers.iter_mut() {
                let mark = self.enter(name);
                self.parameter(header);
                self.leave(mark);
            }
            self.leave(mark);
        }
        if let Some(content) = map.get_mut("content") {
            self.content(content);
        }
    }

    /// A `content` map: media type name to media type object.
    fn content(&mut self, content: &mut Value) {
        let Value::Object(content) = content else {
            return;
        };
        let mark = self.enter("content");
        for (media_type_name, media_type) in content.iter_mut() {
            let Value::Object(media_type) = media_type else {
                continue;
            };
            let mark = self.enter(media_type_name);
            if let Some(schema) = media_type.get_mut("schema") {
                let mark = self.enter("schema");
                self.schema(schema, 0);
                self.leave(mark);
            }
            if let Some(Value::Object(encodings)) = media_type.get_mut("encoding") {
                let mark = self.enter("encoding");
                for (property, encoding) in encodings.iter_mut() {
                    let Some(Value::Object(headers)) = encoding.get_mut("headers") else {
                        continue;
                    };
                    let mark = self.enter(property);
                    let headers_mark = self.enter("headers");
                    for (name, header) in headers.iter_mut() {
                        let mark = self.enter(name);
                        self.parameter(header);
                        self.leave(mark);
                    }
                    self.leave(headers_mark);
                    self.leave(mark);
                }
                self.leave(mark);
            }
            self.leave(mark);
        }
        self.leave(mark);
    }

    // ----- schemas -----

    /// Normalises the schema at the current pointer and everything nested in it.
    ///
    /// Children are normalised first, at their original pointers, so that notes and hoisted
    /// `$defs` name the place the author wrote; the keywords of this schema are converted
    /// after, and may then move already-normalised children around.
    fn schema(&mut self, schema: &mut Value, depth: usize) {
        let map = match schema {
            Value::Object(map) => map,
            Value::Bool(true) => {
                *schema = Value::Object(Map::new());
                return;
            }
            Value::Bool(false) => {
                *schema = never_schema();
                return;
            }
            _ => {
                self.note("not a schema (expected an object or a boolean); read as any value");
                *schema = Value::Object(Map::new());
                return;
            }
        };
        if depth > MAX_SCHEMA_DEPTH {
            self.note(format!(
                "schema nested more than {MAX_SCHEMA_DEPTH} levels deep; read as any value"
            ));
            map.clear();
            return;
        }
        for keyword in IDENTITY_KEYWORDS {
            map.remove(keyword);
        }
        if map.contains_key("$dynamicRef") || map.contains_key("$recursiveRef") {
            self.dynamic_ref(map);
            return;
        }
        if let Some(Value::String(reference)) = map.get("$ref") {
            self.saw_definition_ref |= is_definition_ref(reference);
        }
        if let Some(Value::Object(discriminator)) = map.get("discriminator") {
            if let Some(Value::Object(mapping)) = discriminator.get("mapping") {
                self.saw_definition_ref |= mapping
                    .values()
                    .filter_map(Value::as_str)
                    .any(is_definition_ref);
            }
        }

        property_required::lift_noted(map, &self.pointer, self.notes);
        self.hoist_definitions(map, depth);
        self.schema_children(map, depth);

        if let Some(value) = map.remove("const") {
            if value.is_null() {
                map.insert("nullable".to_owned(), Value::Bool(true));
            }
            map.insert("enum".to_owned(), Value::Array(vec![value]));
        }
        if matches!(map.get("examples"), Some(Value::Array(_))) {
            if let Some(Value::Array(examples)) = map.remove("examples") {
                if let (false, Some(first)) =
                    (map.contains_key("example"), examples.into_iter().next())
                {
                    map.insert("example".to_owned(), first);
                }
            }
        }
        exclusive_bounds(map);
        content_encoding(map);
        self.tuple_items(map);
        self.pattern_properties(map);
        self.unevaluated_properties(map);
        let dropped: Vec<&str> = UNSUPPORTED_KEYWORDS
            .into_iter()
            .filter(|keyword| map.remove(*keyword).is_some())
            .collect();
        if !dropped.is_empty() {
            self.note(format!(
                "{} dropped: OpenAPI 3.0 cannot express {}",
                dropped.join(", "),
                if dropped.len() == 1 { "it" } else { "them" }
            ));
        }
        self.null_branches(map, "anyOf");
        self.null_branches(map, "oneOf");
        self.type_list(map);
        wrap_ref_with_siblings(map);
        self.drop_malformed(map);
    }

    /// Replaces a `$dynamicRef` (or the 2019-09 `$recursiveRef`) with a plain reference to
    /// the component schema it recurses into, when that is clear: 3.0 has no dynamic scope.
    fn dynamic_ref(&mut self, map: &mut Map<String, Value>) {
        let (keyword, target) = match (map.get("$dynamicRef"), map.get("$recursiveRef")) {
            (Some(target), _) => ("$dynamicRef", target),
            (None, Some(target)) => ("$recursiveRef", target),
            (None, None) => return,
        };
        // Without an `$id`, "#" (or an anchor the component declares) names the schema
        // resource this one is nested in, which in practice is the enclosing component.
        let root = self
            .recursion_root
            .as_ref()
            .filter(|root| match target.as_str() {
                Some("#") => true,
                Some(anchor) => anchor
                    .strip_prefix('#')
                    .is_some_and(|anchor| root.dynamic_anchor.as_deref() == Some(anchor)),
                None => false,
            });
        let message = match root {
            Some(root) => {
                let reference = root.reference.clone();
                let message = format!(
                    "{keyword} read as a plain $ref to the enclosing component {reference}: \
                     OpenAPI 3.0 has no dynamic references"
                );
                map.clear();
                map.insert("$ref".to_owned(), Value::String(reference));
                message
            }
            None => {
                map.clear();
                format!(
                    "{keyword} cannot be expressed in OpenAPI 3.0 and its target is not the \
                     enclosing component; read as any value"
                )
            }
        };
        self.note(message);
    }

    /// Moves `$defs` (and the older `definitions`) entries to `components.schemas`, since 3.0
    /// has nowhere else to keep a named schema; references to them are rewritten at the end.
    fn hoist_definitions(&mut self, map: &mut Map<String, Value>, depth: usize) {
        for keyword in ["$defs", "definitions"] {
            let Some(definitions) = map.remove(keyword) else {
                continue;
            };
            let Value::Object(definitions) = definitions else {
                self.note_at(keyword, "not an object of schemas; dropped");
                continue;
            };
            let mark = self.enter(keyword);
            for (name, mut definition) in definitions {
                let mark = self.enter(&name);
                self.schema(&mut definition, depth + 1);
                let new_name = self.unique_schema_name(&name);
                let target = format!("#{}", pointer_push("/components/schemas", &new_name));
                self.hoisted_by_pointer
                    .insert(format!("#{}", self.pointer), target.clone());
                self.hoisted_by_name
                    .entry(name)
                    .and_modify(|known| *known = None)
                    .or_insert(Some(target));
                self.hoisted.push((new_name, definition));
                self.leave(mark);
            }
            self.leave(mark);
        }
    }

    fn unique_schema_name(&mut self, name: &str) -> String {
        let mut candidate = name.to_owned();
        let mut suffix = 2;
        while self.schema_names.contains(&candidate) {
            candidate = format!("{name}{suffix}");
            suffix += 1;
        }
        self.schema_names.insert(candidate.clone());
        candidate
    }

    fn schema_children(&mut self, map: &mut Map<String, Value>, depth: usize) {
        for keyword in ["properties", "patternProperties"] {
            if let Some(Value::Object(properties)) = map.get_mut(keyword) {
                let mark = self.enter(keyword);
                for (name, property) in properties.iter_mut() {
                    let mark = self.enter(name);
                    self.schema(property, depth + 1);
                    self.leave(mark);
                }
                self.leave(mark);
            }
        }
        for keyword in ["items", "not"] {
            if let Some(child) = map.get_mut(keyword) {
                let mark = self.enter(keyword);
                match child {
                    // The pre-2020 tuple form of `items`, handled with `prefixItems`.
                    Value::Array(items) => {
                        for (index, item) in items.iter_mut().enumerate() {
                            let mark = self.enter(&index.to_string());
                            self.schema(item, depth + 1);
                            self.leave(mark);
                        }
                    }
                    child => self.schema(child, depth + 1),
                }
                self.leave(mark);
            }
        }
        for keyword in ["additionalProperties", "unevaluatedProperties"] {
            // A boolean is a valid 3.0 value here, so only objects are schemas to walk.
            if let Some(child @ Value::Object(_)) = map.get_mut(keyword) {
                let mark = self.enter(keyword);
                self.schema(child, depth + 1);
                self.leave(mark);
            }
        }
        for keyword in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            if let Some(Value::Array(branches)) = map.get_mut(keyword) {
                let mark = self.enter(keyword);
                for (index, branch) in branches.iter_mut().enumerate() {
                    // Null branches are removed afterwards; walking them would only add notes.
                    if keyword != "allOf" && is_null_schema(branch) {
                        continue;
                    }
                    let mark = self.enter(&index.to_string());
                    self.schema(branch, depth + 1);
                    self.leave(mark);
                }
                self.leave(mark);
            }
        }
    }

    /// `prefixItems` (and the older array form of `items`) describe a tuple; 3.0 arrays have
    /// one item schema, so the tuple becomes an array of its common item schema.
    fn tuple_items(&mut self, map: &mut Map<String, Value>) {
        if matches!(map.get("items"), Some(Value::Array(_))) {
            if let Some(tuple) = map.remove("items") {
                if map.contains_key("prefixItems") {
                    self.note_at("items", "array form of items dropped: prefixItems is used");
                } else {
                    map.insert("prefixItems".to_owned(), tuple);
                }
            }
        }
        let Some(prefix) = map.remove("prefixItems") else {
            return;
        };
        let mut candidates = match prefix {
            Value::Array(items) => items,
            _ => Vec::new(),
        };
        match map.get("items") {
            // `items: false` closes the tuple: it adds no item type of its own.
            Some(items) if !is_never_schema(items) => candidates.push(items.clone()),
            _ => {}
        }
        let items = match candidates.split_first() {
            Some((first, rest)) if rest.iter().all(|other| other == first) => first.clone(),
            _ => Value::Object(Map::new()),
        };
        let message = if items.as_object().is_some_and(Map::is_empty) {
            "tuple (prefixItems) read as an array of any values: OpenAPI 3.0 arrays have a \
             single item schema and the tuple's items differ"
        } else {
            "tuple (prefixItems) read as an array of its item schema: OpenAPI 3.0 has no tuples, \
             so the length is not checked"
        };
        map.insert("items".to_owned(), items);
        self.note(message);
    }

    fn pattern_properties(&mut self, map: &mut Map<String, Value>) {
        if let Some(message) = pattern_properties(map) {
            self.note(message);
        }
    }

    /// Without composition keywords, `unevaluatedProperties` means what
    /// `additionalProperties` means; with them it depends on the branches, which 3.0 cannot say.
    fn unevaluated_properties(&mut self, map: &mut Map<String, Value>) {
        let Some(value) = map.remove("unevaluatedProperties") else {
            return;
        };
        let composed = ["allOf", "anyOf", "oneOf"]
            .into_iter()
            .any(|keyword| map.contains_key(keyword));
        if !composed && !map.contains_key("additionalProperties") {
            map.insert("additionalProperties".to_owned(), value);
        } else {
            self.note(
                "unevaluatedProperties dropped: OpenAPI 3.0 cannot express it next to \
                 allOf/anyOf/oneOf or additionalProperties",
            );
        }
    }

    /// Removes `{type: "null"}` branches from `anyOf`/`oneOf`, the 3.1 way of writing a
    /// nullable union, and marks the schema `nullable` instead.
    fn null_branches(&mut self, map: &mut Map<String, Value>, keyword: &str) {
        let Some(Value::Array(branches)) = map.get_mut(keyword) else {
            return;
        };
        let before = branches.len();
        branches.retain(|branch| !is_null_schema(branch));
        if branches.len() == before {
            return;
        }
        match branches.len() {
            0 => {
                map.remove(keyword);
                self.note(
                    "schema allows only null; read as a nullable schema of any type, since \
                     OpenAPI 3.0 has no null type",
                );
            }
            1 => {
                let remaining = branches.pop();
                map.remove(keyword);
                if let Some(remaining) = remaining {
                    absorb_branch(map, remaining);
                }
            }
            _ => {}
        }
        map.insert("nullable".to_owned(), Value::Bool(true));
    }

    /// Turns the 3.1 `type` (a string or a list that may contain `"null"`) into the 3.0 form:
    /// one type, `nullable`, and an `anyOf` when several types remain.
    fn type_list(&mut self, map: &mut Map<String, Value>) {
        let types = match map.get("type") {
            Some(Value::String(single)) if single == "null" => {
                map.remove("type");
                map.insert("nullable".to_owned(), Value::Bool(true));
                // Beside `oneOf`, `properties` and the like the schema keeps its shape and
                // only becomes nullable, which loses nothing.
                let shaped = SHAPING_KEYWORDS
                    .iter()
                    .any(|keyword| map.contains_key(*keyword));
                if !shaped {
                    self.note_at(
                        "type",
                        "type null read as a nullable schema of any type: OpenAPI 3.0 has no \
                         null type",
                    );
                }
                return;
            }
            Some(Value::Array(_)) => match map.remove("type") {
                Some(Value::Array(types)) => types,
                _ => return,
            },
            _ => return,
        };
        let mut names: Vec<String> = Vec::new();
        let mut nullable = false;
        let mut malformed = false;
        for entry in types {
            match entry {
                Value::String(name) if name == "null" => nullable = true,
                Value::String(name) => {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                _ => malformed = true,
            }
        }
        if malformed {
            self.note_at("type", "non-string entries in the type list ignored");
        }
        if nullable {
            map.insert("nullable".to_owned(), Value::Bool(true));
        }
        match names.len() {
            0 => {
                if nullable {
                    self.note_at(
                        "type",
                        "type [null] read as a nullable schema of any type: OpenAPI 3.0 has no \
                         null type",
                    );
                }
            }
            1 => {
                if let Some(name) = names.pop() {
                    map.insert("type".to_owned(), Value::String(name));
                }
            }
            _ => {
                let mut branches = type_branches(map, &names);
                match branches.len() {
                    0 => self.note_at(
                        "enum",
                        "no enum value matches the listed types; read as a schema of any type",
                    ),
                    1 => {
                        if let Some(branch) = branches.pop() {
                            map.extend(branch);
                        }
                    }
                    _ => {
                        // Keep an existing anyOf: both must hold, so they meet in an allOf.
                        if let Some(existing) = map.remove("anyOf") {
                            let mut wrapper = Map::new();
                            wrapper.insert("anyOf".to_owned(), existing);
                            push_all_of(map, Value::Object(wrapper));
                        }
                        let branches = branches.into_iter().map(Value::Object).collect();
                        map.insert("anyOf".to_owned(), Value::Array(branches));
                    }
                }
            }
        }
    }

    /// Drops keywords whose value has a type the 3.0 model cannot read (for example
    /// `required: true` on a property), which would otherwise reject the whole document.
    fn drop_malformed(&mut self, map: &mut Map<String, Value>) {
        let malformed: Vec<String> = map
            .iter()
            .filter(|(keyword, value)| !keyword_value_readable(keyword, value))
            .map(|(keyword, _)| keyword.clone())
            .collect();
        if malformed.is_empty() {
            return;
        }
        for keyword in &malformed {
            map.remove(keyword);
        }
        self.note(format!(
            "{} dropped: the value does not have the type OpenAPI 3.0 requires",
            malformed.join(", ")
        ));
    }

    // ----- references into $defs -----

    /// Points references to hoisted `$defs` entries at their new place in
    /// `components.schemas`. One pass over the whole document, run only when some reference
    /// points into a `$defs` section.
    fn rewrite_definition_refs(&mut self, doc: &mut Value) {
        // References the pointer map does not cover, with where they are written.
        let mut unmatched: Vec<(String, String)> = Vec::new();
        let mut pending: Vec<(String, &mut Value)> = vec![(String::new(), &mut *doc)];
        while let Some((pointer, value)) = pending.pop() {
            match value {
                Value::Object(map) => {
                    for (key, child) in map.iter_mut() {
                        let child_pointer = pointer_push(&pointer, key);
                        match (key.as_str(), child) {
                            ("$ref", Value::String(reference)) => {
                                self.rewrite_hoisted_ref(child_pointer, reference, &mut unmatched);
                            }
                            ("mapping", Value::Object(mapping)) => {
                                for (name, target) in mapping.iter_mut() {
                                    if let Value::String(reference) = target {
                                        let target_pointer = pointer_push(&child_pointer, name);
                                        self.rewrite_hoisted_ref(
                                            target_pointer,
                                            reference,
                                            &mut unmatched,
                                        );
                                    }
                                }
                            }
                            (_, child @ (Value::Object(_) | Value::Array(_))) => {
                                pending.push((child_pointer, child));
                            }
                            _ => {}
                        }
                    }
                }
                Value::Array(items) => {
                    for (index, item) in items.iter_mut().enumerate() {
                        if item.is_object() || item.is_array() {
                            pending.push((pointer_push(&pointer, &index.to_string()), item));
                        }
                    }
                }
                _ => {}
            }
        }
        for (location, reference) in unmatched {
            if doc.pointer(&decode_fragment(&reference)).is_some() {
                continue;
            }
            // `#/$defs/X` is relative to the document root in OpenAPI, but authors often mean
            // the enclosing schema's `$defs`: resolve it by name when one entry has that name.
            let by_name = ["#/$defs/", "#/definitions/"]
                .into_iter()
                .find_map(|prefix| reference.strip_prefix(prefix))
                .filter(|name| !name.contains('/'))
                .map(unescape_segment)
                .and_then(|name| self.hoisted_by_name.get(&name).cloned().flatten());
            let message = match (by_name, doc.pointer_mut(&location)) {
                (Some(target), Some(written)) => {
                    let message = format!(
                        "reference {reference} does not resolve from the document root; \
                         resolved by name to {target}"
                    );
                    *written = Value::String(target);
                    message
                }
                _ => format!("reference {reference} into $defs could not be resolved"),
            };
            self.notes.push(Note::new(location, message));
        }
    }

    fn rewrite_hoisted_ref(
        &self,
        location: String,
        reference: &mut String,
        unmatched: &mut Vec<(String, String)>,
    ) {
        if let Some(target) = self.hoisted_by_pointer.get(reference.as_str()) {
            *reference = target.clone();
        } else if is_definition_ref(reference) {
            unmatched.push((location, reference.clone()));
        }
    }
}

// ----- helpers on single schemas, free of walk state -----

/// The schema no value satisfies, the 3.0 spelling of the boolean schema `false`.
/// The 3.1 forms of `type` (a list, or `"null"`), of `items` (an array) and of the
/// exclusive bounds (numbers) in a schema of a 3.0 document (Discourse writes
/// `type: [string, "null"]`, Hugging Face's TGI `exclusiveMinimum: 0`), read as in a 3.1
/// one, with the same notes; `pointer` is where the schema is.
pub(crate) fn schema_keywords_of_31(
    map: &mut Map<String, Value>,
    pointer: &str,
    notes: &mut Vec<Note>,
) {
    let mut normalizer = Normalizer::new(notes);
    normalizer.pointer.push_str(pointer);
    normalizer.type_list(map);
    normalizer.tuple_items(map);
    exclusive_bounds(map);
}

fn never_schema() -> Value {
    let mut map = Map::new();
    map.insert("not".to_owned(), Value::Object(Map::new()));
    Value::Object(map)
}

fn is_never_schema(schema: &Value) -> bool {
    match schema {
        Value::Bool(false) => true,
        Value::Object(map) => {
            map.len() == 1
                && map
                    .get("not")
                    .and_then(Value::as_object)
                    .is_some_and(Map::is_empty)
        }
        _ => false,
    }
}

/// Whether `schema` admits only null (`{type: "null"}`, `{const: null}`, `{enum: [null]}`),
/// with nothing but documentation beside it.
/// Keywords that give a schema a shape of its own, whatever its `type` says.
const SHAPING_KEYWORDS: &[&str] = &[
    "$ref",
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "properties",
    "additionalProperties",
    "items",
    "enum",
    "const",
];

fn is_null_schema(schema: &Value) -> bool {
    let Value::Object(map) = schema else {
        return false;
    };
    let mut null_only = false;
    for (keyword, value) in map {
        match keyword.as_str() {
            "type" if is_null_type(value) => null_only = true,
            "const" if value.is_null() => null_only = true,
            "enum" if matches!(value.as_array().map(Vec::as_slice), Some([Value::Null])) => {
                null_only = true;
            }
            "description" | "title" | "$comment" | "default" | "example" | "examples"
            | "deprecated" | "readOnly" | "writeOnly" | "nullable" => {}
            other if other.starts_with("x-") => {}
            _ => return false,
        }
    }
    null_only
}

/// Whether a `type` value is `"null"` or `["null"]`.
fn is_null_type(value: &Value) -> bool {
    match value {
        Value::String(name) => name == "null",
        Value::Array(names) => matches!(names.as_slice(), [Value::String(name)] if name == "null"),
        _ => false,
    }
}

/// Puts the one branch left of a nullable union back into the schema: merged in when it is
/// inline and shares no keyword with the schema, else as `allOf: [branch]`.
fn absorb_branch(map: &mut Map<String, Value>, branch: Value) {
    match branch {
        Value::Object(inner)
            if !inner.contains_key("$ref")
                && !inner.contains_key("nullable")
                && inner.keys().all(|keyword| !map.contains_key(keyword)) =>
        {
            map.extend(inner);
        }
        branch => push_all_of(map, branch),
    }
}

fn push_all_of(map: &mut Map<String, Value>, schema: Value) {
    match map.get_mut("allOf") {
        Some(Value::Array(all_of)) => all_of.push(schema),
        _ => {
            map.insert("allOf".to_owned(), Value::Array(vec![schema]));
        }
    }
}

/// Both exclusive bounds in their 3.0 form; see [`exclusive_bound`].
fn exclusive_bounds(map: &mut Map<String, Value>) {
    exclusive_bound(
        map,
        "exclusiveMinimum",
        "minimum",
        |inclusive, exclusive| inclusive > exclusive,
    );
    exclusive_bound(
        map,
        "exclusiveMaximum",
        "maximum",
        |inclusive, exclusive| inclusive < exclusive,
    );
}

/// Converts the 2020-12 numeric `exclusiveMinimum: n` into the 3.0 pair
/// `minimum: n, exclusiveMinimum: true`, keeping whichever bound is stricter when both exist.
fn exclusive_bound(
    map: &mut Map<String, Value>,
    exclusive_keyword: &str,
    inclusive_keyword: &str,
    inclusive_is_stricter: fn(f64, f64) -> bool,
) {
    let Some(Value::Number(exclusive)) = map.get(exclusive_keyword) else {
        return;
    };
    let exclusive: Number = exclusive.clone();
    let inclusive = map.get(inclusive_keyword).and_then(Value::as_f64);
    match (inclusive, exclusive.as_f64()) {
        (Some(inclusive), Some(limit)) if inclusive_is_stricter(inclusive, limit) => {
            map.remove(exclusive_keyword);
        }
        _ => {
            map.insert(inclusive_keyword.to_owned(), Value::Number(exclusive));
            map.insert(exclusive_keyword.to_owned(), Value::Bool(true));
        }
    }
}

/// `contentEncoding`/`contentMediaType` describe what a string carries; 3.0 says the same
/// with `format: byte` (base64) or `format: binary` (raw bytes).
fn content_encoding(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media_type = map.remove("contentMediaType");
    if encoding.is_none() && media_type.is_none() {
        return;
    }
    let string_typed = match map.get("type") {
        None => true,
        Some(Value::String(name)) => name == "string",
        Some(Value::Array(names)) => names.iter().any(|name| name == "string"),
        Some(_) => false,
    };
    if !string_typed || map.contains_key("format") {
        return;
    }
    let base64 = encoding
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|encoding| {
            encoding.eq_ignore_ascii_case("base64") || encoding.eq_ignore_ascii_case("base64url")
        });
    let format = if base64 {
        "byte"
    } else if encoding.is_some()
        || media_type
            .as_ref()
            .and_then(Value::as_str)
            .is_some_and(is_binary_media_type)
    {
        "binary"
    } else {
        // A string holding text (JSON, XML, plain text) is still just a string.
        return;
    };
    map.insert("format".to_owned(), Value::String(format.to_owned()));
    map.entry("type")
        .or_insert_with(|| Value::String("string".to_owned()));
}

fn is_binary_media_type(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let textual = essence.starts_with("text/")
        || essence.ends_with("/json")
        || essence.ends_with("+json")
        || essence.ends_with("/xml")
        || essence.ends_with("+xml")
        || essence == "application/x-www-form-urlencoded";
    !textual
}

/// Splits a schema whose `type` lists several types into one `{type: T, ...}` branch per type,
/// each with the keywords that constrain that type and the `enum` values of that type. The
/// keywords that apply to any type stay on the schema.
fn type_branches(map: &mut Map<String, Value>, types: &[String]) -> Vec<Map<String, Value>> {
    let enumeration = map.remove("enum");
    let format = map.remove("format");
    let typed: Vec<(&str, &[&str], Value)> = TYPED_KEYWORDS
        .into_iter()
        .filter_map(|(keyword, applies_to)| {
            map.remove(keyword)
                .map(|value| (keyword, applies_to, value))
        })
        .collect();
    let mut branches = Vec::new();
    for name in types {
        let mut branch = Map::new();
        branch.insert("type".to_owned(), Value::String(name.clone()));
        for (keyword, applies_to, value) in &typed {
            if applies_to.contains(&name.as_str()) {
                branch.insert((*keyword).to_owned(), value.clone());
            }
        }
        if let Some(Value::String(format)) = &format {
            if format_applies(format, name) {
                branch.insert("format".to_owned(), Value::String(format.clone()));
            }
        }
        if let Some(Value::Array(values)) = &enumeration {
            let matching: Vec<Value> = values
                .iter()
                .filter(|value| value_has_type(value, name))
                .cloned()
                .collect();
            if matching.is_empty() {
                continue;
            }
            branch.insert("enum".to_owned(), Value::Array(matching));
        }
        branches.push(branch);
    }
    branches
}

fn format_applies(format: &str, type_name: &str) -> bool {
    match format {
        "int32" | "int64" => type_name == "integer" || type_name == "number",
        "float" | "double" => type_name == "number",
        _ => type_name == "string",
    }
}

fn value_has_type(value: &Value, type_name: &str) -> bool {
    match type_name {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|n| n.fract() == 0.0)
        }
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => false,
    }
}

/// 3.0 ignores every sibling of `$ref`. When a sibling changes what the schema accepts or how
/// a client treats it (`nullable`, `readOnly`, `default`, constraints), the reference moves
/// into `allOf` so the siblings keep their meaning.
fn wrap_ref_with_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") {
        return;
    }
    let meaningful = map.keys().any(|keyword| {
        keyword != "$ref"
            && !keyword.starts_with("x-")
            && !DOCUMENTING_REF_SIBLINGS.contains(&keyword.as_str())
    });
    if !meaningful {
        return;
    }
    let Some(reference) = map.remove("$ref") else {
        return;
    };
    let mut wrapped = Map::new();
    wrapped.insert("$ref".to_owned(), reference);
    match map.get_mut("allOf") {
        Some(Value::Array(all_of)) => all_of.insert(0, Value::Object(wrapped)),
        _ => {
            map.insert(
                "allOf".to_owned(),
                Value::Array(vec![Value::Object(wrapped)]),
            );
        }
    }
}

/// Whether the 3.0 model can read `value` for this schema keyword.
fn keyword_value_readable(keyword: &str, value: &Value) -> bool {
    match keyword {
        "type" | "title" | "description" | "pattern" | "format" => value.is_string(),
        "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems"
        | "exclusiveMinimum" | "exclusiveMaximum" => value.is_boolean(),
        "minimum" | "maximum" | "multipleOf" => value.is_number(),
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
            value.is_u64()
        }
        "required" => value
            .as_array()
            .is_some_and(|names| names.iter().all(Value::is_string)),
        "enum" => value.is_array(),
        "properties" | "items" | "not" => value.is_object(),
        "additionalProperties" => value.is_object() || value.is_boolean(),
        "allOf" | "anyOf" | "oneOf" => value
            .as_array()
            .is_some_and(|branches| branches.iter().all(Value::is_object)),
        "discriminator" => value.as_object().is_some_and(|discriminator| {
            discriminator
                .get("propertyName")
                .is_some_and(Value::is_string)
                && discriminator.get("mapping").is_none_or(|mapping| {
                    mapping
                        .as_object()
                        .is_some_and(|mapping| mapping.values().all(Value::is_string))
                })
        }),
        "externalDocs" => value
            .as_object()
            .is_some_and(|docs| docs.get("url").is_some_and(Value::is_string)),
        _ => true,
    }
}

/// `patternProperties` constrain keys by pattern, which 3.0 cannot; the value schemas
/// survive as `additionalProperties`, the nearest 3.0 form of a map. Returns the note to
/// leave, if the schema has the keyword.
pub(super) fn pattern_properties(schema: &mut Map<String, Value>) -> Option<&'static str> {
    let patterns = schema.remove("patternProperties")?;
    let values: Vec<Value> = match patterns {
        Value::Object(patterns) => patterns.into_iter().map(|(_, value)| value).collect(),
        _ => Vec::new(),
    };
    if schema.contains_key("additionalProperties") || values.is_empty() {
        return Some(
            "patternProperties dropped: OpenAPI 3.0 cannot constrain property names by pattern",
        );
    }
    let value = match values.split_first() {
        Some((first, rest)) if rest.iter().all(|other| other == first) => first.clone(),
        _ => Value::Object(Map::new()),
    };
    schema.insert("additionalProperties".to_owned(), value);
    Some(
        "patternProperties read as additionalProperties: OpenAPI 3.0 cannot constrain \
         property names by pattern",
    )
}

/// Whether a local reference points into a `$defs` or `definitions` section of a schema.
fn is_definition_ref(reference: &str) -> bool {
    reference.starts_with('#')
        && reference
            .split('/')
            .any(|segment| segment == "$defs" || segment == "definitions")
}

/// The component name in `#/components/{section}/{name}`, unescaped; `None` for anything
/// else, including pointers that go deeper into the component.
fn component_name(reference: &str, section: &str) -> Option<String> {
    let name = reference
        .strip_prefix("#/components/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    if name.contains('/') {
        return None;
    }
    Some(unescape_segment(name))
}

/// The JSON pointer in a local reference (`#/a/b` gives `/a/b`), percent-decoded as URI
/// fragments are.
fn decode_fragment(reference: &str) -> String {
    let fragment = reference.strip_prefix('#').unwrap_or(reference);
    let bytes = fragment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = match (bytes[index], bytes.get(index + 1..index + 3)) {
            (b'%', Some(hex)) => std::str::from_utf8(hex)
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok()),
            _ => None,
        };
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                index += 3;
            }
            None => {
                decoded.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A minimal 3.1 document around `schemas`.
    fn with_schemas(schemas: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas}
        })
    }

    fn run(mut doc: Value) -> (Value, Vec<Note>) {
        let mut notes = Vec::new();
        normalize(&mut doc, &mut notes);
        (doc, notes)
    }

    /// Normalises `schema` as `components.schemas.S` and returns it with the notes.
    fn run_schema(schema: Value) -> (Value, Vec<Note>) {
        let (doc, notes) = run(with_schemas(json!({ "S": schema })));
        (doc["components"]["schemas"]["S"].clone(), notes)
    }

    /// The pointers of `notes`, sorted: the walk follows map order, which depends on whether
    /// serde_json preserves insertion order.
    fn pointers(notes: &[Note]) -> Vec<&str> {
        let mut pointers: Vec<&str> = notes.iter().map(|note| note.pointer.as_str()).collect();
        pointers.sort_unstable();
        pointers
    }

    fn read_as_openapi_3_0(doc: &Value) -> openapiv3::OpenAPI {
        match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(doc.clone()) {
            Ok(api) => api,
            Err(error) => panic!(
                "openapiv3 rejected the document at {}: {error}",
                error.path()
            ),
        }
    }

    #[test]
    fn a_form_encoded_querystring_is_an_exploded_query_object() {
        let filter = json!({"type": "object", "properties": {"name": {"type": "string"}}});
        let (doc, notes) = run(json!({
            "openapi": "3.2.0",
            "paths": {"/planets": {"get": {
                "parameters": [
                    {"name": "filter", "in": "querystring", "content": {
                        "application/x-www-form-urlencoded": {"schema": filter}}},
                    {"name": "raw", "in": "querystring", "content": {
                        "application/json": {"schema": filter}}}
                ],
                "responses": {}
            }}}
        }));
        let parameters = &doc["paths"]["/planets"]["get"]["parameters"];
        assert_eq!(
            parameters[0],
            json!({"name": "filter", "in": "query", "style": "form", "explode": true,
                   "schema": filter})
        );
        assert_eq!(
            parameters[1]["in"], "querystring",
            "left for the reader to drop"
        );
        assert_eq!(
            pointers(&notes),
            ["/paths/~1planets/get/parameters/1"],
            "{notes:?}"
        );
    }

    #[test]
    fn document_fields_take_the_3_0_shape() {
        let (doc, notes) = run(json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": {
                "title": "t",
                "summary": "short",
                "version": "1",
                "license": {"name": "MIT", "identifier": "MIT"}
            },
            "webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}}}
        }));
        assert_eq!(doc["openapi"], "3.0.3");
        assert!(doc.get("jsonSchemaDialect").is_none());
        assert!(doc.get("webhooks").is_none());
        assert!(doc["info"].get("summary").is_none());
        assert_eq!(
            doc["info"]["license"],
            json!({"name": "MIT", "url": "https://spdx.org/licenses/MIT.html"})
        );
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(
            pointers(&notes),
            [
                "/info/license/identifier",
                "/info/summary",
                "/webhooks/newPet"
            ]
        );
        read_as_openapi_3_0(&doc);
    }

    #[test]
    fn license_identifier_is_dropped_when_a_url_exists() {
        let (doc, _) = run(json!({
            "openapi": "3.1.1",
            "info": {"title": "t", "version": "1",
                     "license": {"name": "MIT", "identifier": "MIT", "url": "https://x"}},
            "paths": {}
        }));
        assert_eq!(
            doc["info"]["license"],
            json!({"name": "MIT", "url": "https://x"})
        );
    }

    #[test]
    fn type_with_null_becomes_nullable() {
        let (schema, notes) = run_schema(json!({"type": ["string", "null"], "maxLength": 3}));
        assert_eq!(
            schema,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn type_null_alone_is_nullable_without_type_and_noted() {
        let (schema, notes) = run_schema(json!({"type": ["null"]}));
        assert_eq!(schema, json!({"nullable": true}));
        assert_eq!(pointers(&notes), ["/components/schemas/S/type"]);

        let (schema, notes) = run_schema(json!({"type": "null"}));
        assert_eq!(schema, json!({"nullable": true}));
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn type_null_beside_a_shape_makes_it_nullable_without_a_note() {
        let (schema, notes) = run_schema(json!({
            "type": "null",
            "oneOf": [{"type": "string"}, {"type": "integer"}]
        }));
        assert_eq!(
            schema,
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn several_types_split_into_any_of_with_their_keywords() {
        let (schema, notes) = run_schema(json!({
            "type": ["string", "integer", "null"],
            "description": "id or name",
            "maxLength": 10,
            "minimum": 1,
            "format": "int64",
            "enum": ["a", 1, 2.5, null]
        }));
        assert_eq!(
            schema,
            json!({
                "description": "id or name",
                "nullable": true,
                "anyOf": [
                    {"type": "string", "maxLength": 10, "enum": ["a"]},
                    {"type": "integer", "minimum": 1, "format": "int64", "enum": [1]}
                ]
            })
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn several_types_without_enum_keep_every_branch() {
        let (schema, _) = run_schema(json!({
            "type": ["object", "array"],
            "properties": {"a": {"type": "string"}},
            "items": {"type": "integer"},
            "anyOf": [{"required": ["a"]}, {"minItems": 1}]
        }));
        assert_eq!(
            schema,
            json!({
                "allOf": [{"anyOf": [{"required": ["a"]}, {"minItems": 1}]}],
                "anyOf": [
                    {"type": "object", "properties": {"a": {"type": "string"}}},
                    {"type": "array", "items": {"type": "integer"}}
                ]
            })
        );
    }

    #[test]
    fn null_branch_of_a_reference_union_becomes_nullable_all_of() {
        let (schema, notes) = run_schema(json!({
            "anyOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "null"}],
            "description": "maybe a pet"
        }));
        assert_eq!(
            schema,
            json!({
                "allOf": [{"$ref": "#/components/schemas/Pet"}],
                "nullable": true,
                "description": "maybe a pet"
            })
        );
        assert!(notes.is_empty());
    }

    #[test]
    fn null_branch_of_an_inline_union_merges_the_other_branch() {
        let (schema, _) = run_schema(json!({
            "oneOf": [{"type": "string", "maxLength": 2}, {"type": "null"}]
        }));
        assert_eq!(
            schema,
            json!({"type": "string", "maxLength": 2, "nullable": true})
        );
    }

    #[test]
    fn null_branch_of_a_wider_union_is_removed() {
        let (schema, _) = run_schema(json!({
            "oneOf": [{"type": "string"}, {"type": "integer"}, {"const": null}]
        }));
        assert_eq!(
            schema,
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn const_becomes_a_single_value_enum() {
        let (schema, _) = run_schema(json!({"type": "string", "const": "fixed"}));
        assert_eq!(schema, json!({"type": "string", "enum": ["fixed"]}));
        let (schema, _) = run_schema(json!({"const": null}));
        assert_eq!(schema, json!({"enum": [null], "nullable": true}));
    }

    #[test]
    fn schema_examples_become_example_but_other_examples_stay() {
        let (doc, _) = run(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/p": {"get": {
                "parameters": [{
                    "name": "q", "in": "query",
                    "schema": {"type": "string", "examples": ["x", "y"]},
                    "examples": {"one": {"value": "x"}}
                }],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "examples": {"type": "array", "items": {"type": "string"}},
                            "const": {"type": "integer", "examples": [3]}
                        }
                    },
                    "examples": {"a": {"value": {"examples": []}}}
                }}}}
            }}}
        }));
        let parameter = &doc["paths"]["/p"]["get"]["parameters"][0];
        assert_eq!(
            parameter["schema"],
            json!({"type": "string", "example": "x"})
        );
        assert_eq!(parameter["examples"], json!({"one": {"value": "x"}}));
        let media = &doc["paths"]["/p"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(
            media["schema"]["properties"],
            json!({
                "examples": {"type": "array", "items": {"type": "string"}},
                "const": {"type": "integer", "example": 3}
            })
        );
        assert_eq!(media["examples"], json!({"a": {"value": {"examples": []}}}));
        read_as_openapi_3_0(&doc);
    }

    #[test]
    fn numeric_exclusive_bounds_become_boolean_ones() {
        let (schema, _) = run_schema(json!({
            "type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5
        }));
        // The inclusive maximum 5 is stricter than the exclusive 10, so it wins.
        assert_eq!(
            schema,
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
        );
        let (schema, _) =
            run_schema(json!({"type": "number", "minimum": 1, "exclusiveMinimum": true}));
        assert_eq!(
            schema,
            json!({"type": "number", "minimum": 1, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn ref_siblings_that_matter_move_the_ref_into_all_of() {
        let (doc, notes) = run(with_schemas(json!({
            "Pet": {"type": "object"},
            "Documented": {"$ref": "#/components/schemas/Pet", "description": "a pet"},
            "Meaningful": {
                "$ref": "#/components/schemas/Pet",
                "description": "a pet",
                "readOnly": true,
                "default": {}
            }
        })));
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Documented"],
            json!({"$ref": "#/components/schemas/Pet", "description": "a pet"})
        );
        assert_eq!(
            schemas["Meaningful"],
            json!({
                "allOf": [{"$ref": "#/components/schemas/Pet"}],
                "description": "a pet",
                "readOnly": true,
                "default": {}
            })
        );
        assert!(notes.is_empty());
        let api = read_as_openapi_3_0(&doc);
        let components = api.components.unwrap_or_default();
        assert!(matches!(
            components.schemas.get("Meaningful"),
            Some(openapiv3::ReferenceOr::Item(_))
        ));
    }

    #[test]
    fn content_keywords_become_formats() {
        let (schema, _) = run_schema(json!({"type": "string", "contentEncoding": "base64"}));
        assert_eq!(schema, json!({"type": "string", "format": "byte"}));
        let (schema, _) = run_schema(json!({"contentMediaType": "image/png"}));
        assert_eq!(schema, json!({"type": "string", "format": "binary"}));
        let (schema, _) =
            run_schema(json!({"type": "string", "contentMediaType": "application/json"}));
        assert_eq!(schema, json!({"type": "string"}));
        let (schema, _) = run_schema(json!({
            "type": "string", "format": "uri", "contentMediaType": "image/png"
        }));
        assert_eq!(schema, json!({"type": "string", "format": "uri"}));
    }

    #[test]
    fn boolean_schemas_become_objects_except_where_3_0_takes_booleans() {
        let (schema, _) = run_schema(json!({
            "type": "object",
            "properties": {"any": true, "never": false, "list": {"type": "array", "items": true}},
            "additionalProperties": false
        }));
        assert_eq!(
            schema,
            json!({
                "type": "object",
                "properties": {
                    "any": {},
                    "never": {"not": {}},
                    "list": {"type": "array", "items": {}}
                },
                "additionalProperties": false
            })
        );
        let (schema, _) = run_schema(json!(true));
        assert_eq!(schema, json!({}));
    }

    #[test]
    fn schema_identity_keywords_are_dropped() {
        let (schema, notes) = run_schema(json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://example.com/s",
            "$anchor": "s",
            "$comment": "internal",
            "type": "string"
        }));
        assert_eq!(schema, json!({"type": "string"}));
        assert!(notes.is_empty());
    }

    #[test]
    fn dynamic_refs_resolve_to_the_enclosing_component_or_to_any_value() {
        let (doc, notes) = run(with_schemas(json!({
            "Tree": {
                "$dynamicAnchor": "node",
                "type": "object",
                "properties": {
                    "children": {"type": "array", "items": {"$dynamicRef": "#node"}},
                    "parent": {"$recursiveRef": "#"},
                    "other": {"$dynamicRef": "#elsewhere"}
                }
            }
        })));
        let properties = &doc["components"]["schemas"]["Tree"]["properties"];
        assert_eq!(
            properties["children"]["items"],
            json!({"$ref": "#/components/schemas/Tree"})
        );
        assert_eq!(
            properties["parent"],
            json!({"$ref": "#/components/schemas/Tree"})
        );
        assert_eq!(properties["other"], json!({}));
        assert_eq!(
            pointers(&notes),
            [
                "/components/schemas/Tree/properties/children/items",
                "/components/schemas/Tree/properties/other",
                "/components/schemas/Tree/properties/parent"
            ]
        );
    }

    #[test]
    fn defs_are_hoisted_and_references_follow_them() {
        let (doc, notes) = run(with_schemas(json!({
            "Id": {"type": "string"},
            "Pet": {
                "$defs": {
                    "Id": {"type": ["integer", "null"]},
                    "Kind": {"const": "cat"}
                },
                "type": "object",
                "properties": {
                    "id": {"$ref": "#/components/schemas/Pet/$defs/Id"},
                    "kind": {"$ref": "#/$defs/Kind"},
                    "lost": {"$ref": "#/components/schemas/Pet/$defs/Missing"}
                },
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"cat": "#/components/schemas/Pet/$defs/Kind"}
                }
            }
        })));
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Id2"], json!({"type": "integer", "nullable": true}));
        assert_eq!(schemas["Kind"], json!({"enum": ["cat"]}));
        assert!(schemas["Pet"].get("$defs").is_none());
        let properties = &schemas["Pet"]["properties"];
        assert_eq!(
            properties["id"],
            json!({"$ref": "#/components/schemas/Id2"})
        );
        assert_eq!(
            properties["kind"],
            json!({"$ref": "#/components/schemas/Kind"})
        );
        assert_eq!(
            schemas["Pet"]["discriminator"]["mapping"]["cat"],
            "#/components/schemas/Kind"
        );
        assert_eq!(
            pointers(&notes),
            [
                "/components/schemas/Pet/properties/kind/$ref",
                "/components/schemas/Pet/properties/lost/$ref"
            ]
        );
        read_as_openapi_3_0(&doc);
    }

    #[test]
    fn tuples_become_arrays_of_their_common_item() {
        let (schema, notes) = run_schema(json!({
            "type": "array",
            "prefixItems": [{"type": "number"}, {"type": "number"}],
            "items": false
        }));
        assert_eq!(
            schema,
            json!({"type": "array", "items": {"type": "number"}})
        );
        assert_eq!(notes.len(), 1);

        let (schema, _) = run_schema(json!({
            "type": "array",
            "prefixItems": [{"type": "number"}, {"type": "string"}]
        }));
        assert_eq!(schema, json!({"type": "array", "items": {}}));

        let (schema, _) = run_schema(json!({"type": "array", "items": [{"type": "string"}]}));
        assert_eq!(
            schema,
            json!({"type": "array", "items": {"type": "string"}})
        );
    }

    #[test]
    fn pattern_and_unevaluated_properties_become_additional_properties() {
        let (schema, notes) = run_schema(json!({
            "type": "object",
            "patternProperties": {"^x-": {"type": "string"}}
        }));
        assert_eq!(
            schema,
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
        assert_eq!(notes.len(), 1);

        let (schema, notes) = run_schema(json!({
            "type": "object", "properties": {}, "unevaluatedProperties": false
        }));
        assert_eq!(
            schema,
            json!({"type": "object", "properties": {}, "additionalProperties": false})
        );
        assert!(notes.is_empty());

        let (schema, notes) = run_schema(json!({
            "allOf": [{"$ref": "#/components/schemas/A"}], "unevaluatedProperties": false
        }));
        assert_eq!(
            schema,
            json!({"allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn conditional_and_other_validation_keywords_are_dropped_with_one_note() {
        let (schema, notes) = run_schema(json!({
            "type": "object",
            "if": {"required": ["a"]},
            "then": {"required": ["b"]},
            "else": {"$defs": {"Hidden": {}}},
            "dependentSchemas": {"a": {}},
            "propertyNames": {"maxLength": 3}
        }));
        assert_eq!(schema, json!({"type": "object"}));
        assert_eq!(notes.len(), 1);
        assert!(notes[0]
            .message
            .contains("if, then, else, dependentSchemas, propertyNames"));
    }

    #[test]
    fn malformed_keywords_are_dropped_so_the_document_still_reads() {
        let (doc, notes) = run(with_schemas(json!({
            "S": {"type": "object", "properties": {"a": {"type": "string", "minLength": "one"}}},
            "T": "not a schema"
        })));
        assert_eq!(
            doc["components"]["schemas"]["S"]["properties"]["a"],
            json!({"type": "string"})
        );
        assert_eq!(doc["components"]["schemas"]["T"], json!({}));
        assert_eq!(notes.len(), 2);
        read_as_openapi_3_0(&doc);
    }

    #[test]
    fn required_written_on_a_property_moves_to_the_object() {
        let (doc, notes) = run(with_schemas(json!({
            "S": {"type": "object", "properties": {"a": {"type": "string", "required": true}}}
        })));
        let schema = &doc["components"]["schemas"]["S"];
        assert_eq!(schema["properties"]["a"], json!({"type": "string"}));
        assert_eq!(schema["required"], json!(["a"]));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(
            notes[0].pointer,
            "/components/schemas/S/properties/a/required"
        );
        read_as_openapi_3_0(&doc);
    }

    #[test]
    fn mutual_tls_is_dropped_from_schemes_and_requirements() {
        let (doc, notes) = run(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "security": [{"mtls": []}, {"key": []}],
            "paths": {"/p": {"get": {
                "security": [{"mtls": [], "key": []}],
                "responses": {"200": {"description": "ok"}}
            }}},
            "components": {"securitySchemes": {
                "mtls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
            }}
        }));
        assert_eq!(doc["security"], json!([{}, {"key": []}]));
        assert_eq!(doc["paths"]["/p"]["get"]["security"], json!([{"key": []}]));
        assert!(doc["components"]["securitySchemes"].get("mtls").is_none());
        assert_eq!(pointers(&notes), ["/components/securitySchemes/mtls"]);
        read_as_openapi_3_0(&doc);
    }

    #[test]
    fn path_item_references_are_inlined() {
        let (doc, notes) = run(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/pets": {"$ref": "#/components/pathItems/Pets", "summary": "overridden"},
                "/alias": {"$ref": "#/components/pathItems/Alias"},
                "/lost": {"$ref": "#/components/pathItems/Lost"},
                "/loop": {"$ref": "#/components/pathItems/Loop"}
            },
            "components": {"pathItems": {
                "Pets": {
                    "summary": "pets",
                    "get": {"responses": {"200": {"description": "ok", "content": {
                        "application/json": {"schema": {"type": ["string", "null"]}}
                    }}}}
                },
                "Alias": {"$ref": "#/components/pathItems/Pets"},
                "Loop": {"$ref": "#/components/pathItems/Loop"}
            }}
        }));
        let pets = &doc["paths"]["/pets"];
        assert_eq!(pets["summary"], "overridden");
        assert_eq!(
            pets["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(doc["paths"]["/alias"]["get"], pets["get"]);
        assert!(doc["components"].get("pathItems").is_none());
        assert_eq!(pointers(&notes), ["/paths/~1loop", "/paths/~1lost"]);
        let api = read_as_openapi_3_0(&doc);
        assert_eq!(api.operations().count(), 2);
    }

    #[test]
    fn callback_references_are_inlined_and_cycles_stop() {
        let (doc, notes) = run(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/subscribe": {"post": {
                "responses": {"200": {"description": "ok"}},
                "callbacks": {
                    "event": {"$ref": "#/components/callbacks/Event"},
                    "gone": {"$ref": "#/components/callbacks/Gone"}
                }
            }}},
            "components": {"callbacks": {"Event": {
                "{$request.body#/url}": {"post": {
                    "requestBody": {"content": {"application/json": {
                        "schema": {"const": 1}
                    }}},
                    "callbacks": {"again": {"$ref": "#/components/callbacks/Event"}}
                }}
            }}}
        }));
        let callbacks = &doc["paths"]["/subscribe"]["post"]["callbacks"];
        assert!(callbacks.get("gone").is_none());
        let inlined = &callbacks["event"]["{$request.body#/url}"]["post"];
        assert_eq!(
            inlined["requestBody"]["content"]["application/json"]["schema"],
            json!({"enum": [1]})
        );
        assert!(!notes.is_empty());
        assert!(notes
            .iter()
            .any(|note| note.pointer == "/paths/~1subscribe/post/callbacks/gone"));
        read_as_openapi_3_0(&doc);
    }

    #[test]
    fn operations_without_responses_get_an_empty_responses_object() {
        let (doc, notes) = run(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/p": {"get": {}, "delete": {"responses": {}}}}
        }));
        assert_eq!(doc["paths"]["/p"]["get"]["responses"], json!({}));
        assert_eq!(pointers(&notes), ["/paths/~1p/get"]);
        assert_eq!(read_as_openapi_3_0(&doc).operations().count(), 2);
    }

    #[test]
    fn deep_schemas_are_cut_off_without_overflowing() {
        let mut schema = json!({"type": "string"});
        for _ in 0..(MAX_SCHEMA_DEPTH + 10) {
            schema = json!({"type": "array", "items": schema});
        }
        let (_, notes) = run_schema(schema);
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn odd_shapes_never_panic() {
        for doc in [
            json!(null),
            json!([1, 2]),
            json!({"openapi": "3.1.0", "paths": [], "components": "x"}),
            json!({"openapi": "3.1.0", "paths": {"/p": "x", "/q": {"get": []}},
                   "components": {"schemas": [], "pathItems": 3, "securitySchemes": {"a": 1}}}),
            json!({"openapi": 3, "info": [], "webhooks": [],
                   "paths": {"/p": {"get": {"responses": [], "parameters": {},
                                            "callbacks": {"c": 1}}}}}),
            with_schemas(json!({"S": {"type": [1, "string"], "anyOf": 3, "$defs": []}})),
        ] {
            let mut doc = doc;
            normalize(&mut doc, &mut Vec::new());
        }
    }

    #[test]
    fn normalizing_twice_changes_nothing_more() {
        let (once, _) = run(with_schemas(json!({
            "A": {"anyOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}]},
            "B": {"type": ["object", "null"], "properties": {"c": {"const": 1, "examples": [1]}}}
        })));
        let (twice, notes) = run(once.clone());
        assert_eq!(once, twice);
        assert!(notes.is_empty());
    }

    #[test]
    fn a_typical_3_1_document_reads_as_openapi_3_0() {
        let (doc, _) = run(json!({
            "openapi": "3.1.0",
            "info": {"title": "Pets", "version": "1.0.0", "summary": "pets",
                     "license": {"name": "Apache 2.0", "identifier": "Apache-2.0"}},
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "paths": {
                "/pets/{id}": {
                    "parameters": [{"name": "id", "in": "path", "required": true,
                                    "schema": {"type": "integer", "exclusiveMinimum": 0}}],
                    "get": {
                        "operationId": "getPet",
                        "responses": {
                            "200": {"description": "ok", "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/Pet"}
                            }}},
                            "default": {"description": "error", "headers": {
                                "X-Rate": {"schema": {"type": ["integer", "null"]}}
                            }}
                        }
                    },
                    "put": {
                        "requestBody": {"content": {"application/octet-stream": {
                            "schema": {"type": "string", "contentMediaType": "image/png"}
                        }}},
                        "responses": {"204": {"description": "done"}}
                    }
                }
            },
            "webhooks": {"petAdded": {"post": {"responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "integer", "format": "int64"},
                        "name": {"type": "string", "examples": ["Rex"]},
                        "tag": {"type": ["string", "null"]},
                        "kind": {"const": "pet"},
                        "owner": {"anyOf": [
                            {"$ref": "#/components/schemas/Owner"},
                            {"type": "null"}
                        ]},
                        "weight": {"type": ["number", "string"]},
                        "photo": {"type": "string", "contentEncoding": "base64"}
                    }
                },
                "Owner": {"type": "object", "properties": {"name": {"type": "string"}}}
            }}
        }));
        let api = read_as_openapi_3_0(&doc);
        assert_eq!(api.operations().count(), 2);
        let components = api.components.unwrap_or_default();
        let Some(openapiv3::ReferenceOr::Item(pet)) = components.schemas.get("Pet") else {
            panic!("Pet is not an inline schema");
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &pet.schema_kind else {
            panic!("Pet is not an object: {pet:?}");
        };
        let property = |name: &str| match object.properties.get(name) {
            Some(openapiv3::ReferenceOr::Item(schema)) => schema.as_ref().clone(),
            other => panic!("property {name} is {other:?}"),
        };
        assert!(property("tag").schema_data.nullable);
        assert!(matches!(
            property("tag").schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
        ));
        let owner = property("owner");
        assert!(owner.schema_data.nullable);
        assert!(matches!(
            owner.schema_kind,
            openapiv3::SchemaKind::AllOf { .. }
        ));
        assert!(matches!(
            property("weight").schema_kind,
            openapiv3::SchemaKind::AnyOf { .. }
        ));
        assert_eq!(property("name").schema_data.example, Some(json!("Rex")));
        let openapiv3::SchemaKind::Any(kind) = property("kind").schema_kind else {
            panic!("kind is not an unconstrained schema with an enum");
        };
        assert_eq!(kind.enumeration, vec![json!("pet")]);
        let openapiv3::SchemaKind::Type(openapiv3::Type::String(photo)) =
            property("photo").schema_kind
        else {
            panic!("photo is not a string");
        };
        assert_eq!(
            photo.format,
            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Byte)
        );
    }
}
