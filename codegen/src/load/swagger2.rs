//! Upgrades a Swagger 2.0 document to the OpenAPI 3.0 shape, as a JSON tree, so that the rest
//! of the loader (and `openapiv3`) only ever sees one kind of document.
//!
//! The upgrade works in place, on a lean tree (strings borrowed from the spec's text), and moves
//! values rather than copying them: the 2.0 documents it meets run to several megabytes
//! (Kubernetes' is 4 MB), and on a `serde_json::Value` parsing, upgrading and freeing took a
//! third of Kubernetes' generation time. Only what 3.0 writes more than once is copied: path-level
//! and top-level parameters and responses that operations inline, and a schema that serves
//! several media types.
//!
//! Every note it leaves points into the original 2.0 document, which is what the user wrote.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;

use serde_json::Value;

use super::keys::Present;
use super::lean::{Arena, Lean, LeanMap, LeanVec, Tree};
use super::model::METHODS;
use super::{describe, property_required};
use crate::diagnostics::{At, Note};

/// The media type 2.0 implies when neither the operation nor the document names one.
const DEFAULT_MEDIA_TYPE: &str = "application/json";

/// The keys of a 2.0 non-body parameter, header or items object that describe its value and so
/// move into the 3.0 `schema`.
const SIMPLE_SCHEMA_KEYWORDS: [&str; 17] = [
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
];

/// The sections of a 2.0 document (and of the 3.0 one it becomes) that notes point into:
/// places are written out as JSON pointers only for the notes made.
static ROOT: At<'static> = At::Pointer("");
static PATHS: At<'static> = At::Pointer("/paths");
static DEFINITIONS: At<'static> = At::Pointer("/definitions");
static PARAMETERS: At<'static> = At::Pointer("/parameters");
static RESPONSES: At<'static> = At::Pointer("/responses");
static SECURITY_DEFINITIONS: At<'static> = At::Pointer("/securityDefinitions");
static COMPONENTS: At<'static> = At::Pointer("/components");

/// Upgrades a Swagger 2.0 document in place to the OpenAPI 3.0 shape.
/// Nodes it makes are made in `arena`, the tree's.
pub(crate) fn upgrade<'a>(doc: &mut Lean<'a>, arena: &'a Arena, notes: &mut Vec<Note>) {
    let Lean::Object(root) = doc else {
        notes.push(Note::new(
            "",
            "the document is not an object, so it was left as it is",
        ));
        return;
    };
    let first_note = notes.len();
    let mut old = std::mem::replace(root, LeanMap::new_in(arena));

    match old.remove("swagger") {
        Some(Lean::String("2.0")) => {}
        other => notes.push(Note::new(
            "/swagger",
            format!(
                "expected `swagger: \"2.0\"` but found {}; read as Swagger 2.0",
                describe(other.as_ref())
            ),
        )),
    }

    let mut definitions = take_object(&mut old, "definitions", notes);
    let mut shared_parameters = take_object(&mut old, "parameters", notes);
    let mut shared_responses = take_object(&mut old, "responses", notes);
    let security_definitions = take_object(&mut old, "securityDefinitions", notes);
    let mut paths = match old.remove("paths") {
        Some(Lean::Object(paths)) => paths,
        other => {
            notes.push(Note::new(
                "/paths",
                format!(
                    "expected an object of paths but found {}; read as no paths",
                    describe(other.as_ref())
                ),
            ));
            LeanMap::new_in(arena)
        }
    };

    // References are rewritten first, while every value still sits where the user wrote it;
    // the operations below then recognise the rewritten form.
    let kinds: HashMap<String, ParameterKind> = shared_parameters
        .iter()
        .map(|(name, parameter)| (name.to_string(), ParameterKind::of(parameter)))
        .collect();
    let mut references = RewrittenReferences::new(&kinds, arena);
    for section in [
        &mut definitions,
        &mut shared_parameters,
        &mut shared_responses,
        &mut paths,
        &mut old,
    ] {
        for child in section.values_mut() {
            rewrite_refs(child, &mut references);
        }
    }

    let host = take_string(&mut old, "host", notes);
    let base_path = take_string(&mut old, "basePath", notes);
    let schemes =
        media_types(old.remove("schemes"), At::Pointer("/schemes"), notes).unwrap_or_default();
    if host.is_none() && !schemes.is_empty() {
        let server = match &base_path {
            Some(_) => "the server is the relative basePath",
            None => "the client needs the base URL given",
        };
        notes.push(Note::new(
            "/schemes",
            format!("schemes without a host name no server; {server}"),
        ));
    }
    let parameterized = old.remove(PARAMETERIZED_HOST).and_then(|extension| {
        parameterized_servers(
            &extension,
            base_path.as_deref(),
            &schemes,
            &shared_parameters,
            notes,
        )
    });
    let servers = parameterized
        .unwrap_or_else(|| servers(host.as_deref(), base_path.as_deref(), &schemes, arena));
    let shared = Shared {
        arena,
        consumes: media_types(old.remove("consumes"), At::Pointer("/consumes"), notes)
            .unwrap_or_else(|| vec![DEFAULT_MEDIA_TYPE]),
        produces: media_types(old.remove("produces"), At::Pointer("/produces"), notes)
            .unwrap_or_else(|| vec![DEFAULT_MEDIA_TYPE]),
        parameters: shared_parameters.clone(),
        responses: shared_responses.clone(),
        host,
        base_path,
        servers: servers.clone(),
        noted_schemes_without_host: Cell::new(false),
    };

    let kept_components = matches!(old.get("components"), Some(Lean::Object(_)));
    let mut components = take_object(&mut old, "components", notes);
    if kept_components {
        notes.push(Note::new(
            "/components",
            "Swagger 2.0 has no components; kept, with the upgraded definitions added",
        ));
    }
    let schemas = upgrade_definitions(definitions, notes);
    let (parameters, request_bodies) = upgrade_shared_parameters(shared_parameters, &shared, notes);
    let responses = upgrade_shared_responses(shared_responses, &shared, notes);
    let security_schemes = upgrade_security_definitions(security_definitions, notes);
    for (section, entries) in [
        ("schemas", schemas),
        ("parameters", parameters),
        ("requestBodies", request_bodies),
        ("responses", responses),
        ("securitySchemes", security_schemes),
    ] {
        merge_section(&mut components, section, entries, notes);
    }

    for (path, item) in paths.iter_mut() {
        if !path.starts_with("x-") {
            upgrade_path_item(item, PATHS.key(path), &shared, notes);
        }
    }

    // Rebuilt in the order a reader of a 3.0 document expects; anything else (extensions and
    // unknown keys) follows as it was.
    root.insert("openapi", Lean::from("3.0.3"));
    move_key(&mut old, root, "info");
    if !servers.is_empty() {
        root.insert("servers", Lean::Array(servers));
    }
    move_key(&mut old, root, "tags");
    move_key(&mut old, root, "externalDocs");
    move_key(&mut old, root, "security");
    root.insert("paths", Lean::Object(paths));
    if !components.is_empty() {
        root.insert("components", Lean::Object(components));
    }
    root.extend(old);

    // Shared parameters and responses are upgraded once per operation that uses them, so the
    // same note can come up many times.
    let mut seen = HashSet::new();
    let mut index = 0;
    notes.retain(|note| {
        index += 1;
        index <= first_note || seen.insert((note.pointer.clone(), note.message.clone()))
    });
}

/// What the whole document says that operations fall back on or refer to.
struct Shared<'a> {
    /// The arena of the tree, where new nodes are made.
    arena: &'a Arena,
    /// The document's `consumes`, or the 2.0 default.
    consumes: Vec<&'a str>,
    /// The document's `produces`, or the 2.0 default.
    produces: Vec<&'a str>,
    /// Top-level parameters in their 2.0 form (references already rewritten), for inlining.
    parameters: LeanMap<'a>,
    /// Top-level responses in their 2.0 form (references already rewritten), for inlining.
    responses: LeanMap<'a>,
    /// The 2.0 `host` and `basePath`, for operations that name their own schemes.
    host: Option<String>,
    base_path: Option<String>,
    /// The document's servers, which such operations are compared with.
    servers: LeanVec<'a, Lean<'a>>,
    /// Whether an operation that names schemes without a host was noted: one note says it
    /// for the whole document.
    noted_schemes_without_host: Cell<bool>,
}

impl<'a> Shared<'a> {
    /// The top-level parameter a reference names, with its name, whichever of the rewritten
    /// forms the reference now has.
    fn parameter(&self, reference: &str) -> Option<(&str, &LeanMap<'a>)> {
        let escaped = [
            "#/components/parameters/",
            "#/components/requestBodies/",
            "#/parameters/",
        ]
        .iter()
        .find_map(|prefix| reference.strip_prefix(prefix))?;
        if escaped.contains('/') {
            return None;
        }
        let (name, parameter) = self.parameters.get_key_value(unescape(escaped).as_ref())?;
        Some((name, parameter.as_object()?))
    }

    /// Whether `parameter` stays a parameter in 3.0 (a query, header or path parameter,
    /// written out or referred to); a reference into another file or to nothing is left
    /// for the loader to resolve or report.
    fn is_located(&self, parameter: &Lean<'a>) -> bool {
        let Some(map) = parameter.as_object() else {
            return false;
        };
        let original = match map.get("$ref").and_then(Lean::as_str) {
            Some(reference) => match self.parameter(reference) {
                Some((_, original)) => original,
                None => return true,
            },
            _ => map,
        };
        ParameterKind::of_map(original) == ParameterKind::Located
    }

    /// The location and name that let an operation's parameter override a path-level one.
    fn parameter_key<'s>(&'s self, parameter: &'s Lean<'a>) -> Option<(&'s str, &'s str)> {
        let map = parameter.as_object()?;
        if let Some(reference) = map.get("$ref").and_then(Lean::as_str) {
            let resolved = self
                .parameter(reference)
                .and_then(|(_, original)| inline_parameter_key(original));
            return Some(resolved.unwrap_or(("$ref", reference)));
        }
        inline_parameter_key(map)
    }
}

fn inline_parameter_key<'m>(parameter: &'m LeanMap<'_>) -> Option<(&'m str, &'m str)> {
    let location = parameter.get("in")?.as_str()?;
    let name = parameter.get("name")?.as_str()?;
    Some((location, name))
}

/// Where a 2.0 parameter ends up in 3.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParameterKind {
    /// `in: body`: becomes a request body.
    Body,
    /// `in: formData`: becomes a property of a form request body.
    Form,
    /// `in: query`, `header`, `path` (or `cookie`): stays a parameter.
    Located,
    /// Anything else; such a parameter is dropped with a note.
    Unknown,
}

impl ParameterKind {
    fn of<'a>(parameter: &Lean<'a>) -> Self {
        parameter
            .as_object()
            .map_or(ParameterKind::Unknown, ParameterKind::of_map)
    }

    fn of_map<'a>(parameter: &LeanMap<'a>) -> Self {
        match parameter.get("in").and_then(Lean::as_str) {
            Some("body") => ParameterKind::Body,
            Some("formData") => ParameterKind::Form,
            Some("query" | "header" | "path" | "cookie") => ParameterKind::Located,
            // A top-level parameter that is itself a reference stays a parameter reference.
            _ if parameter.get("$ref").is_some() => ParameterKind::Located,
            _ => ParameterKind::Unknown,
        }
    }
}

/// The rewritten text of each reference met, shared by every place that writes it: a
/// document names a few hundred components from thousands of places (Kubernetes writes
/// some 10,000 references), and a new string for each place was a tenth of the
/// allocations that reading the document took.
struct RewrittenReferences<'k, 'a> {
    kinds: &'k HashMap<String, ParameterKind>,
    arena: &'a Arena,
    /// By the reference as written: its shared rewritten text, or `None` when it stays.
    known: FxHashMap<&'a str, Option<Lean<'a>>>,
}

impl<'k, 'a> RewrittenReferences<'k, 'a> {
    fn new(kinds: &'k HashMap<String, ParameterKind>, arena: &'a Arena) -> Self {
        RewrittenReferences {
            kinds,
            arena,
            known: FxHashMap::default(),
        }
    }

    /// The node that replaces the reference `written`, or `None` when it stays.
    fn rewritten(&mut self, written: &'a str) -> Option<Lean<'a>> {
        if let Some(known) = self.known.get(written) {
            return known.clone();
        }
        let rewritten = upgraded_ref(written, self.kinds)
            .map(|text| Lean::Shared(self.arena.alloc(Lean::copied(&text, self.arena))));
        self.known.insert(written, rewritten.clone());
        rewritten
    }
}

/// Rewrites every local reference into a 2.0 section to the 3.0 component that replaces it.
/// References to form parameters are left as they are: operations inline those.
fn rewrite_refs<'a>(value: &mut Lean<'a>, references: &mut RewrittenReferences<'_, 'a>) {
    match value {
        Lean::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    Lean::String(reference) if key == "$ref" => {
                        if let Some(rewritten) = references.rewritten(reference) {
                            *child = rewritten;
                        }
                    }
                    Lean::Object(_) | Lean::Array(_) => rewrite_refs(child, references),
                    _ => {}
                }
            }
        }
        Lean::Array(items) => {
            for item in items {
                rewrite_refs(item, references);
            }
        }
        _ => {}
    }
}

fn upgraded_ref(reference: &str, kinds: &HashMap<String, ParameterKind>) -> Option<String> {
    // Joined rather than formatted: `format!` was half the instructions that the walk
    // over Kubernetes' 9,852 references took.
    if let Some(rest) = reference.strip_prefix("#/definitions/") {
        return Some(["#/components/schemas/", rest].concat());
    }
    if let Some(rest) = reference.strip_prefix("#/responses/") {
        return Some(["#/components/responses/", rest].concat());
    }
    let rest = reference.strip_prefix("#/parameters/")?;
    let name = unescape(rest.split('/').next().unwrap_or(rest));
    match kinds.get(name.as_ref()) {
        Some(ParameterKind::Body) => Some(["#/components/requestBodies/", rest].concat()),
        Some(ParameterKind::Form) => None,
        _ => Some(["#/components/parameters/", rest].concat()),
    }
}

/// Turns one JSON pointer segment back into the key it stands for (RFC 6901).
fn unescape(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// Azure's extension for a host made of client parameters (`{Endpoint}/luis/v2.0`).
const PARAMETERIZED_HOST: &str = "x-ms-parameterized-host";

/// The server of Azure's `x-ms-parameterized-host`: its `hostTemplate` (after the scheme,
/// unless `useSchemePrefix` is false) and the `basePath`, with its parameters as server
/// variables. A parameter without a default keeps its placeholder, and a note says the
/// base URL is the caller's to give. `None` when the extension has no template.
fn parameterized_servers<'a>(
    extension: &Lean<'a>,
    base_path: Option<&str>,
    schemes: &[&str],
    shared_parameters: &LeanMap<'a>,
    notes: &mut Vec<Note>,
) -> Option<LeanVec<'a, Lean<'a>>> {
    let arena = shared_parameters.arena();
    let template = extension.get("hostTemplate")?.as_str()?;
    let base = normalized_base_path(base_path).unwrap_or_default();
    let url = match extension.get("useSchemePrefix").and_then(Lean::as_bool) {
        Some(false) => format!("{template}{base}"),
        _ => format!("{}://{template}{base}", scheme_order(schemes)[0]),
    };
    let mut variables = LeanMap::new_in(arena);
    let mut placeholders = Vec::new();
    for parameter in extension
        .get("parameters")
        .and_then(Lean::items)
        .into_iter()
        .flatten()
    {
        let shared = parameter
            .get("$ref")
            .and_then(Lean::as_str)
            .and_then(|reference| shared_parameters.get(reference.rsplit('/').next()?));
        let parameter = shared.unwrap_or(parameter);
        let Some(name) = parameter.get("name").and_then(Lean::as_text) else {
            continue;
        };
        let default = match parameter.get("default").and_then(Lean::as_text) {
            Some(default) => Lean::String(default),
            None => {
                placeholders.push(format!("`{{{name}}}`"));
                Lean::copied(&format!("{{{name}}}"), arena)
            }
        };
        let mut variable = LeanMap::new_in(arena);
        variable.insert("default", default);
        if let Some(description) = parameter.get("description").filter(|d| d.is_string()) {
            variable.insert("description", description.clone());
        }
        variables.insert(name, Lean::Object(variable));
    }
    if !placeholders.is_empty() {
        notes.push(Note::new(
            format!("/{PARAMETERIZED_HOST}"),
            format!(
                "the server is `{url}`: give the client the whole base URL, with {} filled in",
                placeholders.join(" and ")
            ),
        ));
    }
    let server = object_of(
        arena,
        [
            ("url", Lean::copied(&url, arena)),
            ("variables", Lean::Object(variables)),
        ],
    );
    Some(LeanVec::from_iter_in([server], arena))
}

/// `basePath` as a 3.0 server URL's path: with a leading `/` and without a trailing one
/// (3.0 joins the server URL and the path as text, so a trailing `/` would double up).
fn normalized_base_path(base_path: Option<&str>) -> Option<String> {
    base_path.map(|path| {
        let trimmed = path.trim_end_matches('/');
        if trimmed.is_empty() || trimmed.starts_with('/') {
            trimmed.to_owned()
        } else {
            format!("/{trimmed}")
        }
    })
}

/// The schemes a server is offered over, `https` first (and alone when none is listed).
fn scheme_order<'s>(schemes: &[&'s str]) -> Vec<&'s str> {
    let mut ordered: Vec<&str> = Vec::new();
    if schemes.is_empty() || schemes.contains(&"https") {
        ordered.push("https");
    }
    for scheme in schemes {
        if !ordered.contains(scheme) {
            ordered.push(scheme);
        }
    }
    ordered
}

/// One server per scheme, `https` first, from the 2.0 `host`, `basePath` and `schemes`.
fn servers<'a>(
    host: Option<&str>,
    base_path: Option<&str>,
    schemes: &[&str],
    arena: &'a Arena,
) -> LeanVec<'a, Lean<'a>> {
    let server = |url: &str| object_of(arena, [("url", Lean::copied(url, arena))]);
    let base = normalized_base_path(base_path);
    let Some(host) = host else {
        return match base {
            Some(base) if base.is_empty() => LeanVec::from_iter_in([server("/")], arena),
            Some(base) => LeanVec::from_iter_in([server(&base)], arena),
            None => LeanVec::new_in(arena),
        };
    };
    let base = base.unwrap_or_default();
    let schemes = scheme_order(schemes);
    LeanVec::from_iter_in(
        schemes
            .iter()
            .map(|scheme| server(&format!("{scheme}://{host}{base}"))),
        arena,
    )
}

fn upgrade_definitions<'a>(definitions: LeanMap<'a>, notes: &mut Vec<Note>) -> LeanMap<'a> {
    definitions.filter_map_values(|name, mut schema| {
        upgrade_schema(&mut schema, DEFINITIONS.key(name), notes);
        Some(schema)
    })
}

/// Top-level parameters as 3.0 components: (parameters, request bodies).
fn upgrade_shared_parameters<'a>(
    shared_parameters: LeanMap<'a>,
    shared: &Shared<'a>,
    notes: &mut Vec<Note>,
) -> (LeanMap<'a>, LeanMap<'a>) {
    // Keys of one object, so unique: pushed, not inserted (which compares each with those
    // before it).
    let mut parameters = LeanVec::new_in(shared.arena);
    let mut request_bodies = LeanVec::new_in(shared.arena);
    for (name, parameter) in shared_parameters {
        let pointer = PARAMETERS.key(name);
        let kind = ParameterKind::of(&parameter);
        match (kind, parameter) {
            (ParameterKind::Body, Lean::Object(parameter)) => {
                let body = request_body(parameter, pointer, &shared.consumes, notes);
                request_bodies.push((name, body));
            }
            // 3.0 has no component for a form field; every operation that refers to one gets
            // it inlined into its form body instead.
            (ParameterKind::Form, _) => {}
            (ParameterKind::Located, Lean::Object(parameter)) => {
                let upgraded = upgrade_parameter(parameter, pointer, notes);
                parameters.push((name, upgraded));
            }
            (_, other) => notes.push(Note::new(
                pointer,
                format!(
                    "`in` is not query, header, path, formData or body but {}; dropped",
                    describe_parameter(&other)
                ),
            )),
        }
    }
    (
        LeanMap::from_unique(parameters),
        LeanMap::from_unique(request_bodies),
    )
}

fn upgrade_shared_responses<'a>(
    responses: LeanMap<'a>,
    shared: &Shared<'a>,
    notes: &mut Vec<Note>,
) -> LeanMap<'a> {
    responses.filter_map_values(|name, response| {
        let pointer = RESPONSES.key(name);
        Some(upgrade_response(
            response,
            pointer,
            &shared.produces,
            shared.arena,
            notes,
        ))
    })
}

fn upgrade_security_definitions<'a>(
    definitions: LeanMap<'a>,
    notes: &mut Vec<Note>,
) -> LeanMap<'a> {
    definitions.filter_map_values(|name, scheme| {
        let pointer = SECURITY_DEFINITIONS.key(name);
        upgrade_security_scheme(scheme, pointer, notes)
    })
}

fn upgrade_security_scheme<'a>(
    scheme: Lean<'a>,
    pointer: At<'_>,
    notes: &mut Vec<Note>,
) -> Option<Lean<'a>> {
    let Lean::Object(mut scheme) = scheme else {
        notes.push(Note::new(
            pointer,
            format!(
                "expected a security definition object but found {}; dropped",
                describe(Some(&scheme))
            ),
        ));
        return None;
    };
    let kind = scheme.get("type").and_then(Lean::as_str).map(str::to_owned);
    match kind.as_deref() {
        Some("apiKey") => Some(Lean::Object(scheme)),
        Some("basic") => {
            let mut upgraded = LeanMap::new_in(scheme.arena());
            upgraded.insert("type", Lean::from("http"));
            upgraded.insert("scheme", Lean::from("basic"));
            copy_description_and_extensions(&mut scheme, &mut upgraded);
            Some(Lean::Object(upgraded))
        }
        Some("oauth2") => Some(upgrade_oauth2(scheme, pointer, notes)),
        other => {
            notes.push(Note::new(
                pointer,
                format!(
                    "security definition type {} is not one of basic, apiKey or oauth2; dropped",
                    other.map_or_else(|| "(missing)".to_owned(), |kind| format!("`{kind}`"))
                ),
            ));
            None
        }
    }
}

fn upgrade_oauth2<'a>(mut scheme: LeanMap<'a>, pointer: At<'_>, notes: &mut Vec<Note>) -> Lean<'a> {
    let arena = scheme.arena();
    let mut upgraded = LeanMap::new_in(arena);
    upgraded.insert("type", Lean::from("oauth2"));
    copy_description_and_extensions(&mut scheme, &mut upgraded);

    // 2.0 names each flow after the grant it uses; 3.0 names them after RFC 6749's grants.
    let flow_name = match scheme.get("flow").and_then(Lean::as_str) {
        Some("implicit") => Some("implicit"),
        Some("password") => Some("password"),
        Some("application") => Some("clientCredentials"),
        Some("accessCode") => Some("authorizationCode"),
        other => {
            notes.push(Note::new(
                pointer.key("flow"),
                format!(
                    "OAuth2 flow {} is not implicit, password, application or accessCode; no flows",
                    other.map_or_else(|| "(missing)".to_owned(), |flow| format!("`{flow}`"))
                ),
            ));
            None
        }
    };
    let mut flows = LeanMap::new_in(arena);
    if let Some(flow_name) = flow_name {
        let mut flow = LeanMap::new_in(arena);
        let urls: &[&str] = match flow_name {
            "implicit" => &["authorizationUrl"],
            "authorizationCode" => &["authorizationUrl", "tokenUrl"],
            _ => &["tokenUrl"],
        };
        for url in urls {
            let value = match scheme.remove(url) {
                Some(Lean::String(value)) => value,
                other => {
                    notes.push(Note::new(
                        pointer.key(url),
                        format!(
                            "the {flow_name} flow needs a string `{url}` but found {}; left empty",
                            describe(other.as_ref())
                        ),
                    ));
                    ""
                }
            };
            flow.insert(url, Lean::String(value));
        }
        let expected = ("an object of scopes", "read as no scopes");
        let scopes = take(&mut scheme, "scopes", pointer, expected, object, notes)
            .unwrap_or_else(|| LeanMap::new_in(arena));
        flow.insert("scopes", Lean::Object(scopes));
        flows.insert(flow_name, Lean::Object(flow));
    }
    upgraded.insert("flows", Lean::Object(flows));
    Lean::Object(upgraded)
}

fn copy_description_and_extensions<'a>(from: &mut LeanMap<'a>, to: &mut LeanMap<'a>) {
    if let Some(description) = from.remove("description") {
        to.insert("description", description);
    }
    for (key, value) in from.iter_mut() {
        if key.starts_with("x-") {
            to.insert(key, std::mem::take(value));
        }
    }
}

fn upgrade_path_item<'a>(
    item: &mut Lean<'a>,
    pointer: At<'_>,
    shared: &Shared<'a>,
    notes: &mut Vec<Note>,
) {
    let Lean::Object(item) = item else {
        notes.push(Note::new(
            pointer,
            format!(
                "expected a path item object but found {}; read as a path with no operations",
                describe(Some(item))
            ),
        ));
        *item = Lean::Object(LeanMap::new_in(shared.arena));
        return;
    };
    let parameters_pointer = pointer.key("parameters");
    let path_parameters = take_parameters(item, pointer, notes);
    // Query, header and path parameters keep their place: 3.0 has path-level parameters
    // too, with the same overriding, so each is upgraded once rather than once for every
    // operation. A body or form parameter is merged into each operation (as 2.0 defines
    // it), since each one's request body is its own; so are all the path item's parameters
    // then, which keeps their indices where the spec writes them.
    let merged = if path_parameters
        .iter()
        .all(|parameter| shared.is_located(parameter))
    {
        if !path_parameters.is_empty() {
            let upgraded = upgrade_located_parameters(path_parameters, parameters_pointer, notes);
            item.insert("parameters", Lean::Array(upgraded));
        }
        LeanVec::new_in(shared.arena)
    } else {
        path_parameters
    };
    let path_parameters = PathParameters {
        parameters: &merged,
        pointer: parameters_pointer,
    };
    // `trace` is not 2.0, but costs nothing.
    for method in METHODS {
        if let Some(operation) = item.get_mut(method) {
            upgrade_operation(
                operation,
                pointer.key(method),
                &path_parameters,
                shared,
                notes,
            );
        }
    }
}

/// Query, header and path parameters (written at `pointer`) upgraded where they are; a
/// reference is left as it is, for the shared parameter it names is upgraded on its own.
fn upgrade_located_parameters<'a>(
    parameters: LeanVec<'a, Lean<'a>>,
    pointer: At<'_>,
    notes: &mut Vec<Note>,
) -> LeanVec<'a, Lean<'a>> {
    let arena = parameters.arena();
    let upgraded = parameters
        .into_iter()
        .enumerate()
        .map(|(index, parameter)| match parameter {
            Lean::Object(map) if !map.get("$ref").is_some_and(Lean::is_string) => {
                upgrade_parameter(map, pointer.index(index), notes)
            }
            other => other,
        });
    LeanVec::from_iter_in(upgraded, arena)
}

/// The parameters a path item gives every operation under it, and where they were written.
struct PathParameters<'p, 'a> {
    parameters: &'p [Lean<'a>],
    pointer: At<'p>,
}

/// A parameter of one operation, after path-level ones were merged in, and where it is
/// written.
struct ParameterEntry<'p, 'a> {
    parameter: Lean<'a>,
    pointer: At<'p>,
}

fn upgrade_operation<'a>(
    operation: &mut Lean<'a>,
    pointer: At<'_>,
    path_parameters: &PathParameters<'_, 'a>,
    shared: &Shared<'a>,
    notes: &mut Vec<Note>,
) {
    let Lean::Object(operation) = operation else {
        notes.push(Note::new(
            pointer,
            format!(
                "expected an operation object but found {}; read as one with no parameters or responses",
                describe(Some(operation))
            ),
        ));
        let responses = Lean::Object(LeanMap::new_in(shared.arena));
        *operation = object_of(shared.arena, [("responses", responses)]);
        return;
    };
    let own_consumes = media_types(operation.remove("consumes"), pointer.key("consumes"), notes);
    let consumes = own_consumes.as_deref().unwrap_or(&shared.consumes);
    let own_produces = media_types(operation.remove("produces"), pointer.key("produces"), notes);
    let produces = own_produces.as_deref().unwrap_or(&shared.produces);

    if let Some(schemes) = media_types(operation.remove("schemes"), pointer.key("schemes"), notes) {
        if shared.host.is_some() {
            let own = servers(
                shared.host.as_deref(),
                shared.base_path.as_deref(),
                &schemes,
                shared.arena,
            );
            if own[..] != shared.servers[..] {
                operation.insert("servers", Lean::Array(own));
            }
        } else if !shared.noted_schemes_without_host.replace(true) {
            // One note for the whole document: Kubernetes names schemes on all its
            // operations and has no host.
            notes.push(Note::new(
                "/paths",
                "operations name schemes without a host, which OpenAPI 3.0 cannot say; the document's servers apply",
            ));
        }
    }

    let parameters_pointer = pointer.key("parameters");
    let entries = merged_parameters(
        operation,
        pointer,
        &parameters_pointer,
        path_parameters,
        shared,
        notes,
    );
    upgrade_operation_parameters(operation, pointer, entries, consumes, shared, notes);
    upgrade_operation_responses(operation, pointer, produces, shared, notes);
}

/// The operation's parameters with the path-level ones it does not override (same name and
/// location) in front, as 2.0 defines them.
fn merged_parameters<'p, 'a>(
    operation: &mut LeanMap<'a>,
    pointer: At<'_>,
    parameters_pointer: &'p At<'p>,
    path_parameters: &'p PathParameters<'p, 'a>,
    shared: &Shared<'a>,
    notes: &mut Vec<Note>,
) -> Vec<ParameterEntry<'p, 'a>> {
    let own = take_parameters(operation, pointer, notes);
    // An operation has a handful of parameters: a list compares faster than a set hashes.
    let overridden: Vec<(&str, &str)> = own
        .iter()
        .filter_map(|parameter| shared.parameter_key(parameter))
        .collect();
    let mut entries: Vec<ParameterEntry<'p, 'a>> = path_parameters
        .parameters
        .iter()
        .enumerate()
        .filter(|(_, parameter)| {
            shared
                .parameter_key(parameter)
                .is_none_or(|key| !overridden.contains(&key))
        })
        .map(|(index, parameter)| ParameterEntry {
            parameter: parameter.clone(),
            pointer: path_parameters.pointer.index(index),
        })
        .collect();
    entries.extend(
        own.into_iter()
            .enumerate()
            .map(|(index, parameter)| ParameterEntry {
                parameter,
                pointer: parameters_pointer.index(index),
            }),
    );
    entries
}

/// Sets an operation's request body, unless an earlier body parameter already did.
fn set_body<'a>(
    slot: &mut Option<Lean<'a>>,
    body: Lean<'a>,
    pointer: At<'_>,
    notes: &mut Vec<Note>,
) {
    if slot.is_some() {
        notes.push(Note::new(
            pointer,
            "an operation has at most one body parameter; this second one was dropped",
        ));
    } else {
        *slot = Some(body);
    }
}

/// Splits an operation's 2.0 parameters into 3.0 parameters and at most one request body.
fn upgrade_operation_parameters<'a>(
    operation: &mut LeanMap<'a>,
    pointer: At<'_>,
    entries: Vec<ParameterEntry<'_, 'a>>,
    consumes: &[&'a str],
    shared: &Shared<'a>,
    notes: &mut Vec<Note>,
) {
    let arena = shared.arena;
    let mut parameters = LeanVec::new_in(arena);
    let mut body: Option<Lean<'a>> = None;
    let mut form: Vec<(LeanMap<'a>, At<'_>)> = Vec::new();

    for entry in entries {
        let ParameterEntry {
            parameter,
            pointer: at,
        } = entry;
        let Lean::Object(parameter) = parameter else {
            notes.push(Note::new(
                at,
                format!(
                    "expected a parameter object but found {}; dropped",
                    describe(Some(&parameter))
                ),
            ));
            continue;
        };
        if let Some(reference) = parameter.get("$ref").and_then(Lean::as_text) {
            let Some((name, original)) = shared.parameter(reference) else {
                // External or dangling: the loader resolves (or reports) it later.
                parameters.push(Lean::Object(parameter));
                continue;
            };
            let original_pointer = PARAMETERS.key(name);
            match ParameterKind::of_map(original) {
                ParameterKind::Body if consumes == shared.consumes.as_slice() => {
                    let reference = object_of(arena, [("$ref", Lean::String(reference))]);
                    set_body(&mut body, reference, at, notes);
                }
                // The component carries the document's media types; this operation names its
                // own, so it gets its own copy.
                ParameterKind::Body => {
                    let inlined = request_body(original.clone(), original_pointer, consumes, notes);
                    set_body(&mut body, inlined, at, notes);
                }
                ParameterKind::Form => form.push((original.clone(), original_pointer)),
                ParameterKind::Located | ParameterKind::Unknown => {
                    parameters.push(Lean::Object(parameter));
                }
            }
            continue;
        }
        match ParameterKind::of_map(&parameter) {
            ParameterKind::Body => {
                let upgraded = request_body(parameter, at, consumes, notes);
                set_body(&mut body, upgraded, at, notes);
            }
            ParameterKind::Form => form.push((parameter, at)),
            ParameterKind::Located => parameters.push(upgrade_parameter(parameter, at, notes)),
            ParameterKind::Unknown => notes.push(Note::new(
                at,
                format!(
                    "`in` is not query, header, path, formData or body but {}; dropped",
                    describe(parameter.get("in"))
                ),
            )),
        }
    }

    if !form.is_empty() {
        if body.is_some() {
            notes.push(Note::new(
                pointer,
                "a body and formData parameters cannot go together; the formData parameters were dropped",
            ));
        } else {
            body = Some(form_request_body(form, consumes, arena, notes));
        }
    }
    if !parameters.is_empty() {
        operation.insert("parameters", Lean::Array(parameters));
    }
    if let Some(body) = body {
        operation.insert("requestBody", body);
    }
}

fn upgrade_operation_responses<'a>(
    operation: &mut LeanMap<'a>,
    pointer: At<'_>,
    produces: &[&'a str],
    shared: &Shared<'a>,
    notes: &mut Vec<Note>,
) {
    let responses_pointer = pointer.key("responses");
    let Some(Lean::Object(responses)) = operation.get_mut("responses") else {
        notes.push(Note::new(
            responses_pointer,
            format!(
                "expected an object of responses but found {}; read as no responses",
                describe(operation.get("responses"))
            ),
        ));
        operation.insert("responses", Lean::Object(LeanMap::new_in(shared.arena)));
        return;
    };
    for (status, response) in responses.iter_mut() {
        if status.starts_with("x-") {
            continue;
        }
        let at = responses_pointer.key(status);
        let reference = response
            .as_object()
            .and_then(|object| object.get("$ref"))
            .and_then(Lean::as_str);
        let inlined = reference
            .and_then(|reference| reference.strip_prefix("#/components/responses/"))
            .filter(|_| produces != shared.produces.as_slice())
            .filter(|escaped| !escaped.contains('/'))
            .and_then(|escaped| {
                let name = unescape(escaped);
                let original = shared.responses.get(name.as_ref())?.clone();
                Some((name, original))
            });
        *response = match inlined {
            // The component carries the document's media types; this operation names its own,
            // so it gets its own copy.
            Some((name, original)) => upgrade_response(
                original,
                RESPONSES.key(&name),
                produces,
                shared.arena,
                notes,
            ),
            None => upgrade_response(std::mem::take(response), at, produces, shared.arena, notes),
        };
    }
}

fn upgrade_response<'a>(
    response: Lean<'a>,
    pointer: At<'_>,
    produces: &[&'a str],
    arena: &'a Arena,
    notes: &mut Vec<Note>,
) -> Lean<'a> {
    let Lean::Object(mut response) = response else {
        notes.push(Note::new(
            pointer,
            format!(
                "expected a response object but found {}; read as a response with no body",
                describe(Some(&response))
            ),
        ));
        return object_of(arena, [("description", Lean::from(""))]);
    };
    if response.get("$ref").is_some() {
        return Lean::Object(response);
    }
    let mut upgraded = LeanMap::new_in(arena);
    let description = match response.remove("description") {
        Some(Lean::String(description)) => description,
        other => {
            notes.push(Note::new(
                pointer.key("description"),
                format!(
                    "a response needs a string description but found {}; left empty",
                    describe(other.as_ref())
                ),
            ));
            ""
        }
    };
    upgraded.insert("description", Lean::String(description));
    match response.remove("headers") {
        Some(Lean::Object(headers)) => {
            let headers_pointer = pointer.key("headers");
            let headers = headers.filter_map_values(|name, header| {
                let at = headers_pointer.key(name);
                Some(upgrade_header(header, at, arena, notes))
            });
            upgraded.insert("headers", Lean::Object(headers));
        }
        None => {}
        Some(other) => notes.push(Note::new(
            pointer.key("headers"),
            format!(
                "expected an object of headers but found {}; ignored",
                describe(Some(&other))
            ),
        )),
    }
    if let Some(mut schema) = response.remove("schema") {
        upgrade_schema(&mut schema, pointer.key("schema"), notes);
        upgraded.insert("content", content(schema, produces, arena));
    }
    // `examples` (example bodies by media type) is documentation only and has no place to go
    // once the media types are split out; it is dropped.
    for (key, value) in response {
        if key.starts_with("x-") {
            upgraded.insert(key, value);
        }
    }
    Lean::Object(upgraded)
}

fn upgrade_header<'a>(
    header: Lean<'a>,
    pointer: At<'_>,
    arena: &'a Arena,
    notes: &mut Vec<Note>,
) -> Lean<'a> {
    let Lean::Object(mut header) = header else {
        notes.push(Note::new(
            pointer,
            format!(
                "expected a header object but found {}; read as a header of any value",
                describe(Some(&header))
            ),
        ));
        return object_of(arena, [("schema", Lean::Object(LeanMap::new_in(arena)))]);
    };
    if header.get("$ref").is_some() {
        return Lean::Object(header);
    }
    let schema = parameter_schema(&mut header, pointer, notes);
    let is_array = schema_type(&schema) == Some("array");
    let format = collection_format(&mut header, is_array, pointer, notes);
    if format != CollectionFormat::Csv {
        notes.push(Note::new(
            pointer.key("collectionFormat"),
            "a header in OpenAPI 3.0 is always comma-separated; read as csv",
        ));
    }
    let mut upgraded = LeanMap::new_in(arena);
    if let Some(description) = header.remove("description") {
        upgraded.insert("description", description);
    }
    upgraded.insert("schema", schema);
    for (key, value) in header {
        if key.starts_with("x-") {
            upgraded.insert(key, value);
        }
    }
    Lean::Object(upgraded)
}

/// The 3.0 request body for a 2.0 `in: body` parameter.
fn request_body<'a>(
    mut parameter: LeanMap<'a>,
    pointer: At<'_>,
    consumes: &[&'a str],
    notes: &mut Vec<Note>,
) -> Lean<'a> {
    let arena = parameter.arena();
    let mut schema = match parameter.remove("schema") {
        Some(schema) => schema,
        None => {
            notes.push(Note::new(
                pointer,
                "a body parameter has no schema; read as any value",
            ));
            Lean::Object(LeanMap::new_in(arena))
        }
    };
    upgrade_schema(&mut schema, pointer.key("schema"), notes);
    let mut body = LeanMap::new_in(arena);
    if let Some(description) = parameter.remove("description") {
        body.insert("description", description);
    }
    body.insert("content", content(schema, consumes, arena));
    if let Some(required) = take_required(&mut parameter, pointer, notes) {
        body.insert("required", Lean::Bool(required));
    }
    for (key, value) in parameter {
        if key.starts_with("x-") {
            body.insert(key, value);
        }
    }
    Lean::Object(body)
}

/// One 3.0 request body for all of an operation's `in: formData` parameters: an object schema
/// with a property per parameter.
fn form_request_body<'a>(
    parameters: Vec<(LeanMap<'a>, At<'_>)>,
    consumes: &[&'a str],
    arena: &'a Arena,
    notes: &mut Vec<Note>,
) -> Lean<'a> {
    const MULTIPART: &str = "multipart/form-data";
    const URLENCODED: &str = "application/x-www-form-urlencoded";
    let has_file = parameters
        .iter()
        .any(|(parameter, _)| parameter.get("type").and_then(Lean::as_str) == Some("file"));
    let multipart = has_file || consumes.contains(&MULTIPART);
    let media_type = if multipart { MULTIPART } else { URLENCODED };

    let mut properties = LeanMap::new_in(arena);
    let mut required = LeanVec::new_in(arena);
    let mut encoding = LeanMap::new_in(arena);
    for (mut parameter, pointer) in parameters {
        let Some(name) = parameter.get("name").and_then(Lean::as_text) else {
            notes.push(Note::new(
                pointer,
                "a formData parameter has no name; dropped",
            ));
            continue;
        };
        if take_required(&mut parameter, pointer, notes) == Some(true) {
            required.push(Lean::String(name));
        }
        let mut schema = parameter_schema(&mut parameter, pointer, notes);
        let is_array = schema_type(&schema) == Some("array");
        let format = collection_format(&mut parameter, is_array, pointer, notes);
        if let Lean::Object(schema) = &mut schema {
            if let Some(description) = parameter.remove("description") {
                schema.insert("description", description);
            }
            for (key, value) in parameter.iter_mut() {
                if key.starts_with("x-") {
                    schema.insert(key, std::mem::take(value));
                }
            }
        }
        if is_array {
            match (multipart, format) {
                (true, CollectionFormat::Multi) => {}
                (true, _) => notes.push(Note::new(
                    pointer.key("collectionFormat"),
                    "multipart sends an array as one part per item; the delimited form was dropped",
                )),
                (false, format) => {
                    let (style, explode) = format.query_style();
                    encoding.insert(
                        name,
                        object_of(
                            arena,
                            [
                                ("style", Lean::from(style)),
                                ("explode", Lean::Bool(explode)),
                            ],
                        ),
                    );
                }
            }
        }
        properties.insert(name, schema);
    }

    let any_required = !required.is_empty();
    let mut schema = LeanMap::new_in(arena);
    schema.insert("type", Lean::from("object"));
    schema.insert("properties", Lean::Object(properties));
    if any_required {
        schema.insert("required", Lean::Array(required));
    }
    let mut media = LeanMap::new_in(arena);
    media.insert("schema", Lean::Object(schema));
    if !encoding.is_empty() {
        media.insert("encoding", Lean::Object(encoding));
    }
    let mut content = LeanMap::new_in(arena);
    content.insert(media_type, Lean::Object(media));
    let mut body = LeanMap::new_in(arena);
    body.insert("content", Lean::Object(content));
    if any_required {
        body.insert("required", Lean::Bool(true));
    }
    Lean::Object(body)
}

/// A `content` object with one entry per media type, each with the same schema.
fn content<'a>(schema: Lean<'a>, media_types: &[&'a str], arena: &'a Arena) -> Lean<'a> {
    let mut media = LeanMap::with_capacity_in(1, arena);
    media.insert("schema", schema);
    let media = Lean::Object(media);
    let mut content = LeanMap::with_capacity_in(media_types.len(), arena);
    match media_types {
        [] => {}
        [only] => {
            content.insert(only, media);
        }
        // One node in every place, read once: Kubernetes names up to seven media types per
        // response, and each copy was made, read into the model and dropped again.
        several => {
            let media = Lean::Shared(arena.alloc(media));
            for media_type in several {
                content.insert(media_type, media.clone());
            }
        }
    }
    Lean::Object(content)
}

/// A 3.0 parameter from a 2.0 query, header or path parameter.
fn upgrade_parameter<'a>(
    mut parameter: LeanMap<'a>,
    pointer: At<'_>,
    notes: &mut Vec<Note>,
) -> Lean<'a> {
    // Borrowed from the text, as the tree holds it: no copy per parameter.
    let location = match parameter.get("in") {
        Some(Lean::String(location)) => *location,
        _ => "",
    };
    let schema = parameter_schema(&mut parameter, pointer, notes);
    let is_array = schema_type(&schema) == Some("array");
    let format = collection_format(&mut parameter, is_array, pointer, notes);
    if is_array {
        let format_pointer = pointer.key("collectionFormat");
        match location {
            "query" | "cookie" => {
                let (style, explode) = format.query_style();
                parameter.insert("style", Lean::from(style));
                parameter.insert("explode", Lean::Bool(explode));
            }
            _ => {
                if format != CollectionFormat::Csv {
                    notes.push(Note::new(
                        format_pointer,
                        format!(
                            "a {location} parameter in OpenAPI 3.0 is always comma-separated; read as csv"
                        ),
                    ));
                }
                parameter.insert("style", Lean::from("simple"));
            }
        }
    }
    if location == "path" {
        parameter.insert("required", Lean::Bool(true));
    } else if let Some(required) = take_required(&mut parameter, pointer, notes) {
        parameter.insert("required", Lean::Bool(required));
    }
    parameter.insert("schema", schema);
    Lean::Object(parameter)
}

/// Takes `required` off a parameter, accepting only a boolean.
fn take_required<'a>(
    parameter: &mut LeanMap<'a>,
    pointer: At<'_>,
    notes: &mut Vec<Note>,
) -> Option<bool> {
    let expected = ("`required` to be true or false", "read as false");
    take(parameter, "required", pointer, expected, boolean, notes)
}

/// The schema of a 2.0 non-body parameter or header: its own `schema` if it (wrongly) has one,
/// otherwise built from its value keywords.
fn parameter_schema<'a>(
    object: &mut LeanMap<'a>,
    pointer: At<'_>,
    notes: &mut Vec<Note>,
) -> Lean<'a> {
    if let Some(mut schema) = object.remove("schema") {
        upgrade_schema(&mut schema, pointer.key("schema"), notes);
        return schema;
    }
    if !object.contains_key("type") {
        notes.push(Note::new(pointer, "no `type` is given; read as any value"));
    }
    simple_schema(object, pointer, notes)
}

/// Moves the value keywords of a 2.0 parameter, header or items object into a schema.
fn simple_schema<'a>(object: &mut LeanMap<'a>, pointer: At<'_>, notes: &mut Vec<Note>) -> Lean<'a> {
    let arena = object.arena();
    let mut schema = LeanMap::new_in(arena);
    let present = Present::of(object, &SIMPLE_SCHEMA_KEYWORDS);
    for keyword in SIMPLE_SCHEMA_KEYWORDS {
        if !present.has(keyword) {
            continue;
        }
        if let Some(value) = object.remove(keyword) {
            schema.insert(keyword, value);
        }
    }
    if let Some(Lean::Object(items)) = schema.get_mut("items") {
        if !items.contains_key("$ref") {
            let items_pointer = pointer.key("items");
            let mut inner = std::mem::replace(items, LeanMap::new_in(arena));
            let mut inner_schema = simple_schema(&mut inner, items_pointer, notes);
            if let Some(format) = inner.remove("collectionFormat") {
                if schema_type(&inner_schema) == Some("array") {
                    notes.push(Note::new(
                        items_pointer.key("collectionFormat"),
                        format!(
                            "OpenAPI 3.0 cannot delimit nested arrays; collectionFormat {} was dropped",
                            describe(Some(&format))
                        ),
                    ));
                }
            }
            if let Lean::Object(inner_schema) = &mut inner_schema {
                inner_schema.extend(inner);
            }
            *items = match inner_schema {
                Lean::Object(inner_schema) => inner_schema,
                _ => LeanMap::new_in(arena),
            };
        }
    }
    // 2.0 tools often write keywords that do not apply to the type (Kubernetes marks every
    // query parameter `uniqueItems`). JSON Schema ignores them, but left in they would make the
    // schema read as untyped, so they go.
    if let Some(kind) = schema.get("type").and_then(Lean::as_str).map(str::to_owned) {
        schema.retain(|keyword, _| keyword_applies(&kind, keyword));
    }
    let mut schema = Lean::Object(schema);
    upgrade_schema(&mut schema, pointer, notes);
    schema
}

/// Whether a value keyword means anything for a 2.0 simple type.
fn keyword_applies(kind: &str, keyword: &str) -> bool {
    let numeric = matches!(kind, "number" | "integer");
    match kind {
        "string" | "number" | "integer" | "boolean" | "array" | "file" => match keyword {
            "format" => !matches!(kind, "boolean" | "array"),
            "maximum" | "exclusiveMaximum" | "minimum" | "exclusiveMinimum" | "multipleOf" => {
                numeric
            }
            "maxLength" | "minLength" | "pattern" => kind == "string",
            "items" | "maxItems" | "minItems" | "uniqueItems" => kind == "array",
            _ => true,
        },
        _ => true,
    }
}

/// How a 2.0 array parameter is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CollectionFormat {
    Csv,
    Multi,
    Ssv,
    Pipes,
}

impl CollectionFormat {
    /// The 3.0 `style` and `explode` of a query parameter (or form field) with this format.
    fn query_style(self) -> (&'static str, bool) {
        match self {
            CollectionFormat::Csv => ("form", false),
            CollectionFormat::Multi => ("form", true),
            CollectionFormat::Ssv => ("spaceDelimited", false),
            CollectionFormat::Pipes => ("pipeDelimited", false),
        }
    }
}

/// Takes `collectionFormat` off a parameter; 2.0's default is csv. It means nothing (and is
/// not noted) unless the parameter is an array.
fn collection_format<'a>(
    object: &mut LeanMap<'a>,
    is_array: bool,
    pointer: At<'_>,
    notes: &mut Vec<Note>,
) -> CollectionFormat {
    let Some(format) = object.remove("collectionFormat").filter(|_| is_array) else {
        return CollectionFormat::Csv;
    };
    match format.as_str() {
        Some("csv") => CollectionFormat::Csv,
        Some("multi") => CollectionFormat::Multi,
        Some("ssv") => CollectionFormat::Ssv,
        Some("pipes") => CollectionFormat::Pipes,
        Some("tsv") => {
            notes.push(Note::new(
                pointer.key("collectionFormat"),
                "OpenAPI 3.0 has no tab-separated style; read as csv",
            ));
            CollectionFormat::Csv
        }
        _ => {
            notes.push(Note::new(
                pointer.key("collectionFormat"),
                format!(
                    "collectionFormat {} is not one of csv, ssv, tsv, pipes or multi; read as csv",
                    describe(Some(&format))
                ),
            ));
            CollectionFormat::Csv
        }
    }
}

fn schema_type<'s>(schema: &'s Lean<'_>) -> Option<&'s str> {
    schema.get("type").and_then(Lean::as_str)
}

/// Upgrades a 2.0 schema and every schema nested in it to 3.0. Only schema positions are
/// visited, so `properties` named like keywords and example values are left alone.
fn upgrade_schema<'a>(schema: &mut Lean<'a>, pointer: At<'_>, notes: &mut Vec<Note>) {
    let Lean::Object(map) = schema else {
        return;
    };
    // No step below adds a keyword that a later step looks for, so what the schema has is
    // found once, before any step.
    let present = Present::of(map, &UPGRADED_SCHEMA_KEYWORDS);
    if present.has("$ref") {
        // 3.0 ignores everything beside a `$ref`, so a nullable reference is written the 3.0
        // way: a one-schema `allOf` that is nullable.
        if present.get(map, "x-nullable") == Some(&Lean::Bool(true)) {
            let arena = map.arena();
            let reference = object_of(arena, [("$ref", map.remove("$ref").unwrap_or_default())]);
            let reference = Lean::Array(LeanVec::from_iter_in([reference], arena));
            map.remove("x-nullable");
            map.insert("allOf", reference);
            map.insert("nullable", Lean::Bool(true));
        }
        return;
    }
    if present.has("x-nullable") {
        upgrade_nullable(map, pointer, notes);
    }
    if present.has("type") {
        upgrade_schema_type(map, pointer, notes);
    }
    let arena = map.arena();
    if let Some(discriminator) = present.get_mut(map, "discriminator") {
        if let Lean::String(property) = discriminator {
            let property = Lean::String(property);
            *discriminator = object_of(arena, [("propertyName", property)]);
        }
    }
    if matches!(present.get(map, "required"), Some(Lean::Bool(_))) {
        map.remove("required");
        notes.push(Note::new(
            pointer.key("required"),
            "`required: true|false` outside a property list has no meaning in a schema; ignored",
        ));
    }
    if present.has("properties") {
        lift_property_required(map, pointer, notes);
        if let Some(Lean::Object(properties)) = map.get_mut("properties") {
            let properties_pointer = pointer.key("properties");
            for (name, property) in properties.iter_mut() {
                upgrade_schema(property, properties_pointer.key(name), notes);
            }
        }
    }
    for keyword in ["additionalProperties", "not"] {
        if let Some(child) = present.get_mut(map, keyword) {
            upgrade_schema(child, pointer.key(keyword), notes);
        }
    }
    if let Some(items) = present.get_mut(map, "items") {
        upgrade_items(items, pointer.key("items"), notes);
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        if let Some(Lean::Array(list)) = present.get_mut(map, keyword) {
            let list_pointer = pointer.key(keyword);
            for (index, child) in list.iter_mut().enumerate() {
                upgrade_schema(child, list_pointer.index(index), notes);
            }
        }
    }
}

/// [`property_required::lift_noted`] for a lean schema. The repair is written for a
/// `Value` and rarely needed (a few specs write `required: true` on properties), so a
/// schema that needs it is converted there and back.
fn lift_property_required(map: &mut LeanMap<'_>, pointer: At<'_>, notes: &mut Vec<Note>) {
    let flagged = |property: &Lean<'_>| matches!(property.get("required"), Some(Lean::Bool(_)));
    let needed = map
        .get("properties")
        .and_then(Lean::as_object)
        .is_some_and(|properties| properties.iter().any(|(_, property)| flagged(property)));
    if !needed {
        return;
    }
    let arena = map.arena();
    let taken = std::mem::replace(map, LeanMap::new_in(arena));
    let Value::Object(mut schema) = Lean::Object(taken).to_value() else {
        return;
    };
    property_required::lift_noted(&mut schema, &pointer.pointer(), notes);
    if let Lean::Object(lifted) = Lean::from_value(&Value::Object(schema), arena) {
        *map = lifted;
    }
}

/// The keywords [`upgrade_schema`] looks for.
const UPGRADED_SCHEMA_KEYWORDS: [&str; 12] = [
    "$ref",
    "x-nullable",
    "type",
    "discriminator",
    "required",
    "properties",
    "additionalProperties",
    "not",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
];

/// `x-nullable: true` becomes 3.0's `nullable`.
fn upgrade_nullable<'a>(map: &mut LeanMap<'a>, pointer: At<'_>, notes: &mut Vec<Note>) {
    match map.remove("x-nullable") {
        Some(Lean::Bool(true)) => {
            map.insert("nullable", Lean::Bool(true));
        }
        None | Some(Lean::Bool(false)) => {}
        Some(other) => notes.push(Note::new(
            pointer.key("x-nullable"),
            format!(
                "expected x-nullable to be true or false but found {}; ignored",
                describe(Some(&other))
            ),
        )),
    }
}

/// A schema's `items`: a list of item schemas (a tuple, neither 2.0 nor 3.0) becomes its one
/// schema or a schema matching any of them.
fn upgrade_items<'a>(items: &mut Lean<'a>, pointer: At<'_>, notes: &mut Vec<Note>) {
    if let Lean::Array(list) = items {
        let arena = list.arena();
        let list = std::mem::replace(list, LeanVec::new_in(arena));
        *items = if list.len() == 1 {
            list.into_iter().next().unwrap_or_default()
        } else {
            notes.push(Note::new(
                pointer,
                "`items` as a list is not OpenAPI; read as items matching any of the schemas",
            ));
            object_of(arena, [("anyOf", Lean::Array(list))])
        };
    }
    upgrade_schema(items, pointer, notes);
}

/// `type: file` becomes a binary string; a list of types (not 2.0, but common) becomes one
/// type, nullable when the list has `null`.
fn upgrade_schema_type<'a>(map: &mut LeanMap<'a>, pointer: At<'_>, notes: &mut Vec<Note>) {
    let type_pointer = || pointer.key("type");
    match map.get_mut("type") {
        Some(Lean::String(kind)) if *kind == "file" => {
            *kind = "string";
            map.insert("format", Lean::from("binary"));
        }
        None | Some(Lean::String(_)) => {}
        Some(Lean::Array(kinds)) => {
            let nullable = kinds.iter().any(|kind| kind.as_str() == Some("null"));
            let mut others = kinds
                .iter()
                .filter(|kind| kind.as_str() != Some("null"))
                .cloned();
            match (others.next(), others.next()) {
                (Some(Lean::String(kind)), None) => {
                    map.insert("type", Lean::from(kind));
                    if nullable {
                        map.insert("nullable", Lean::Bool(true));
                    }
                    // Run the string case again (for `["file", "null"]`).
                    upgrade_schema_type(map, pointer, notes);
                }
                _ => {
                    map.remove("type");
                    if nullable {
                        map.insert("nullable", Lean::Bool(true));
                    }
                    notes.push(Note::new(
                        type_pointer(),
                        "several types cannot be written in OpenAPI 3.0; read as any type",
                    ));
                }
            }
        }
        Some(other) => {
            let found = describe(Some(other));
            map.remove("type");
            notes.push(Note::new(
                type_pointer(),
                format!("expected `type` to be a string but found {found}; read as any type"),
            ));
        }
    }
}

/// Media types (or schemes) from a 2.0 list of strings; `None` when absent or empty, so that
/// the caller falls back to the enclosing default.
fn media_types<'a>(
    value: Option<Lean<'a>>,
    pointer: At<'_>,
    notes: &mut Vec<Note>,
) -> Option<Vec<&'a str>> {
    let list = match value? {
        Lean::Array(items) => items,
        Lean::String(single) => return Some(vec![single]),
        other => {
            notes.push(Note::new(
                pointer,
                format!(
                    "expected a list of strings but found {}; ignored",
                    describe(Some(&other))
                ),
            ));
            return None;
        }
    };
    let mut strings = Vec::with_capacity(list.len());
    for (index, item) in list.into_iter().enumerate() {
        match item {
            Lean::String(item) => strings.push(item),
            other => notes.push(Note::new(
                pointer.index(index),
                format!(
                    "expected a string but found {}; ignored",
                    describe(Some(&other))
                ),
            )),
        }
    }
    (!strings.is_empty()).then_some(strings)
}

/// Takes `key` out of `map` (which is at `at`) when `read` accepts its value. Any other
/// value gets a note, "expected `expected` but found ...; `instead`", and `None`.
fn take<'a, T>(
    map: &mut LeanMap<'a>,
    key: &str,
    at: At<'_>,
    (expected, instead): (&str, &str),
    read: fn(Lean<'a>) -> Result<T, Lean<'a>>,
    notes: &mut Vec<Note>,
) -> Option<T> {
    match read(map.remove(key)?) {
        Ok(value) => Some(value),
        Err(other) => {
            notes.push(Note::new(
                at.key(key),
                format!(
                    "expected {expected} but found {}; {instead}",
                    describe(Some(&other))
                ),
            ));
            None
        }
    }
}

fn object(value: Lean<'_>) -> Result<LeanMap<'_>, Lean<'_>> {
    match value {
        Lean::Object(map) => Ok(map),
        other => Err(other),
    }
}

/// An object of the `entries` given (each key once), in their order, in `arena`.
fn object_of<'a, const N: usize>(
    arena: &'a Arena,
    entries: [(&'static str, Lean<'a>); N],
) -> Lean<'a> {
    Lean::Object(LeanMap::from_unique(LeanVec::from_iter_in(entries, arena)))
}

fn array<'a>(value: Lean<'a>) -> Result<LeanVec<'a, Lean<'a>>, Lean<'a>> {
    match value {
        Lean::Array(items) => Ok(items),
        other => Err(other),
    }
}

fn string<'a>(value: Lean<'a>) -> Result<String, Lean<'a>> {
    match value {
        Lean::String(text) => Ok(text.to_owned()),
        other => Err(other),
    }
}

fn boolean<'a>(value: Lean<'a>) -> Result<bool, Lean<'a>> {
    value.as_bool().ok_or(value)
}

/// Takes an object-valued key out of the root, noting (and ignoring) any other value.
fn take_object<'a>(root: &mut LeanMap<'a>, key: &str, notes: &mut Vec<Note>) -> LeanMap<'a> {
    let arena = root.arena();
    take(root, key, ROOT, ("an object", "ignored"), object, notes)
        .unwrap_or_else(|| LeanMap::new_in(arena))
}

fn take_string<'a>(root: &mut LeanMap<'a>, key: &str, notes: &mut Vec<Note>) -> Option<String> {
    take(root, key, ROOT, ("a string", "ignored"), string, notes)
}

/// Takes a list of parameters off a path item or an operation at `at`.
fn take_parameters<'a>(
    map: &mut LeanMap<'a>,
    at: At<'_>,
    notes: &mut Vec<Note>,
) -> LeanVec<'a, Lean<'a>> {
    let arena = map.arena();
    take(
        map,
        "parameters",
        at,
        ("a list of parameters", "ignored"),
        array,
        notes,
    )
    .unwrap_or_else(|| LeanVec::new_in(arena))
}

fn move_key<'a>(from: &mut LeanMap<'a>, to: &mut LeanMap<'a>, key: &'static str) {
    if let Some(value) = from.remove(key) {
        to.insert(key, value);
    }
}

/// Adds upgraded entries to a section of `components`, creating it when missing.
fn merge_section<'a>(
    components: &mut LeanMap<'a>,
    key: &'static str,
    entries: LeanMap<'a>,
    notes: &mut Vec<Note>,
) {
    if entries.is_empty() {
        return;
    }
    match components.get_mut(key) {
        Some(Lean::Object(existing)) => existing.extend(entries),
        Some(other) => {
            notes.push(Note::new(
                COMPONENTS.key(key),
                format!(
                    "expected an object but found {}; replaced by the upgraded 2.0 definitions",
                    describe(Some(other))
                ),
            ));
            *other = Lean::Object(entries);
        }
        None => {
            components.insert(key, Lean::Object(entries));
        }
    }
}

fn describe_parameter(parameter: &Lean<'_>) -> String {
    match parameter {
        Lean::Object(map) => format!("`in` {}", describe(map.get("in"))),
        other => describe(Some(other)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// `doc` upgraded (on the lean tree it converts to) and converted back.
    fn upgraded(doc: Value) -> (Value, Vec<Note>) {
        let mut notes = Vec::new();
        let arena = Arena::new();
        let mut doc = Lean::from_value(&doc, &arena);
        upgrade(&mut doc, &arena, &mut notes);
        (doc.to_value(), notes)
    }

    fn at<'a>(doc: &'a Value, pointer: &str) -> &'a Value {
        doc.pointer(pointer).unwrap_or(&Value::Null)
    }

    fn document(paths: Value) -> Value {
        json!({
            "swagger": "2.0",
            "info": { "title": "Test", "version": "1" },
            "paths": paths,
        })
    }

    fn has_note(notes: &[Note], pointer: &str, words: &str) -> bool {
        notes
            .iter()
            .any(|note| note.pointer == pointer && note.message.contains(words))
    }

    #[test]
    fn petstore_upgrades_into_openapiv3() {
        let (doc, notes) = upgraded(json!({
            "swagger": "2.0",
            "info": { "title": "Petstore", "version": "1.0.0", "x-logo": "pet.png" },
            "host": "petstore.example.com",
            "basePath": "/api/",
            "schemes": ["http", "https"],
            "consumes": ["application/json"],
            "produces": ["application/json"],
            "tags": [{ "name": "pets" }],
            "externalDocs": { "url": "https://example.com/docs" },
            "x-vendor": true,
            "securityDefinitions": {
                "key": { "type": "apiKey", "in": "header", "name": "X-Key" }
            },
            "security": [{ "key": [] }],
            "paths": {
                "/pets": {
                    "get": {
                        "operationId": "listPets",
                        "tags": ["pets"],
                        "parameters": [
                            { "$ref": "#/parameters/limit" },
                            {
                                "name": "tags", "in": "query", "type": "array",
                                "items": { "type": "string" }, "collectionFormat": "multi"
                            }
                        ],
                        "responses": {
                            "200": {
                                "description": "pets",
                                "headers": { "X-Total": { "type": "integer", "format": "int32" } },
                                "schema": { "type": "array", "items": { "$ref": "#/definitions/Pet" } }
                            },
                            "default": { "$ref": "#/responses/Error" }
                        }
                    },
                    "post": {
                        "operationId": "addPet",
                        "parameters": [{
                            "name": "pet", "in": "body", "required": true,
                            "schema": { "$ref": "#/definitions/NewPet" }
                        }],
                        "responses": { "201": { "description": "created" } }
                    }
                },
                "/pets/{id}": {
                    "parameters": [{ "name": "id", "in": "path", "type": "integer", "format": "int64" }],
                    "delete": { "responses": { "204": { "description": "deleted" } } }
                }
            },
            "parameters": {
                "limit": { "name": "limit", "in": "query", "type": "integer", "maximum": 100 }
            },
            "responses": {
                "Error": { "description": "error", "schema": { "$ref": "#/definitions/Error" } }
            },
            "definitions": {
                "Pet": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": { "type": "string" },
                        "tag": { "type": "string", "x-nullable": true },
                        "photo": { "type": "file" }
                    }
                },
                "NewPet": { "allOf": [{ "$ref": "#/definitions/Pet" }] },
                "Error": { "type": "object", "properties": { "code": { "type": "integer" } } }
            }
        }));
        assert!(notes.is_empty(), "{notes:?}");

        let api: openapiv3::OpenAPI = match serde_json::from_value(doc.clone()) {
            Ok(api) => api,
            Err(error) => panic!("the upgraded document does not deserialise: {error}\n{doc:#}"),
        };
        assert_eq!(api.openapi, "3.0.3");
        assert_eq!(api.info.title, "Petstore");
        assert_eq!(api.info.extensions.get("x-logo"), Some(&json!("pet.png")));
        assert_eq!(api.extensions.get("x-vendor"), Some(&json!(true)));
        assert_eq!(api.tags.len(), 1);
        assert!(api.external_docs.is_some());
        assert_eq!(api.security.as_ref().map(Vec::len), Some(1));
        let urls: Vec<&str> = api
            .servers
            .iter()
            .map(|server| server.url.as_str())
            .collect();
        assert_eq!(
            urls,
            [
                "https://petstore.example.com/api",
                "http://petstore.example.com/api"
            ]
        );
        assert_eq!(api.operations().count(), 3);

        let components = api.components.as_ref().map(|c| c.schemas.len());
        assert_eq!(components, Some(3));
        let list = api
            .operations()
            .find(|(_, _, op)| op.operation_id.as_deref() == Some("listPets"))
            .map(|(_, _, op)| op.clone())
            .unwrap_or_default();
        assert_eq!(list.parameters.len(), 2);
        assert!(matches!(
            &list.parameters[0],
            openapiv3::ReferenceOr::Reference { reference } if reference == "#/components/parameters/limit"
        ));
        match &list.parameters[1] {
            openapiv3::ReferenceOr::Item(openapiv3::Parameter::Query {
                parameter_data,
                style: openapiv3::QueryStyle::Form,
                ..
            }) => assert_eq!(parameter_data.explode, Some(true)),
            other => panic!("tags is not an exploded form query parameter: {other:?}"),
        }
        let ok = list
            .responses
            .responses
            .get(&openapiv3::StatusCode::Code(200))
            .and_then(|response| response.as_item())
            .cloned()
            .unwrap_or_default();
        assert!(ok.content.contains_key("application/json"));
        assert!(ok.headers.contains_key("X-Total"));
        assert!(matches!(
            &list.responses.default,
            Some(openapiv3::ReferenceOr::Reference { reference }) if reference == "#/components/responses/Error"
        ));

        assert_eq!(
            at(&doc, "/paths/~1pets/post/requestBody"),
            &json!({
                "required": true,
                "content": {
                    "application/json": { "schema": { "$ref": "#/components/schemas/NewPet" } }
                }
            })
        );
        assert_eq!(
            at(&doc, "/paths/~1pets~1{id}/parameters/0"),
            &json!({
                "name": "id", "in": "path", "required": true,
                "schema": { "type": "integer", "format": "int64" }
            })
        );
        assert_eq!(
            at(&doc, "/paths/~1pets~1{id}/delete/parameters"),
            &Value::Null
        );
        assert_eq!(
            at(&doc, "/components/schemas/Pet/properties/tag"),
            &json!({ "type": "string", "nullable": true })
        );
        assert_eq!(
            at(&doc, "/components/schemas/Pet/properties/photo"),
            &json!({ "type": "string", "format": "binary" })
        );
        assert_eq!(
            at(&doc, "/components/schemas/NewPet/allOf/0/$ref"),
            &json!("#/components/schemas/Pet")
        );
        assert_eq!(
            at(&doc, "/components/parameters/limit"),
            &json!({
                "name": "limit", "in": "query",
                "schema": { "type": "integer", "maximum": 100 }
            })
        );
        assert_eq!(
            at(
                &doc,
                "/components/responses/Error/content/application~1json/schema/$ref"
            ),
            &json!("#/components/schemas/Error")
        );
        for gone in [
            "/swagger",
            "/host",
            "/basePath",
            "/schemes",
            "/consumes",
            "/produces",
            "/definitions",
            "/parameters",
            "/responses",
            "/securityDefinitions",
        ] {
            assert_eq!(at(&doc, gone), &Value::Null, "{gone} is still there");
        }
    }

    #[test]
    fn keys_of_the_wrong_kind_are_noted_where_they_stand_and_read_as_absent() {
        let mut doc = document(json!({"/pets": {
            "parameters": 3,
            "get": {
                "parameters": [{"name": "q", "in": "query", "type": "string", "required": "yes"}],
                "responses": {"200": {"description": "ok"}}
            },
            "post": {"parameters": {"a": 1}, "responses": {"200": {"description": "ok"}}}
        }}));
        if let Value::Object(map) = &mut doc {
            map.insert("host".into(), json!(["not", "a", "string"]));
            map.insert("components".into(), json!({}));
            map.insert(
                "securityDefinitions".into(),
                json!({"oauth": {"type": "oauth2", "flow": "implicit",
                    "authorizationUrl": "https://auth.example.com", "scopes": []}}),
            );
        }
        let (doc, notes) = upgraded(doc);
        assert!(has_note(&notes, "/host", "expected a string but found"));
        assert!(has_note(
            &notes,
            "/components",
            "Swagger 2.0 has no components"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1pets/parameters",
            "expected a list of parameters"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1pets/post/parameters",
            "; ignored"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1pets/get/parameters/0/required",
            "expected `required` to be true or false but found"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1pets/get/parameters/0/required",
            "; read as false"
        ));
        assert!(has_note(
            &notes,
            "/securityDefinitions/oauth/scopes",
            "expected an object of scopes but found"
        ));
        assert_eq!(at(&doc, "/paths/~1pets/get/parameters/0/name"), "q");
        assert_eq!(
            at(&doc, "/paths/~1pets/get/parameters/0/required"),
            &Value::Null
        );
        assert_eq!(
            at(
                &doc,
                "/components/securitySchemes/oauth/flows/implicit/scopes"
            ),
            &json!({})
        );
    }

    #[test]
    fn an_azure_parameterized_host_is_a_server_with_variables() {
        let mut doc = document(json!({}));
        if let Value::Object(map) = &mut doc {
            map.insert("host".into(), json!("azure.local"));
            map.insert("basePath".into(), json!("/luis/v2.0"));
            map.insert(
                "parameters".into(),
                json!({"Endpoint": {
                "name": "Endpoint", "in": "path", "required": true, "type": "string",
                "description": "Supported endpoints", "x-ms-skip-url-encoding": true}}),
            );
            map.insert(
                "x-ms-parameterized-host".into(),
                json!({
                    "hostTemplate": "{Endpoint}",
                    "useSchemePrefix": false,
                    "parameters": [{"$ref": "#/parameters/Endpoint"}]
                }),
            );
        }
        let (doc, notes) = upgraded(doc);
        assert_eq!(
            at(&doc, "/servers"),
            &json!([{"url": "{Endpoint}/luis/v2.0", "variables": {"Endpoint": {
                "default": "{Endpoint}", "description": "Supported endpoints"}}}])
        );
        assert!(
            notes
                .iter()
                .any(|note| note.pointer == "/x-ms-parameterized-host"),
            "{notes:?}"
        );

        let mut doc = document(json!({}));
        if let Value::Object(map) = &mut doc {
            map.insert("x-ms-parameterized-host".into(), json!({
                "hostTemplate": "{account}.{suffix}",
                "parameters": [
                    {"name": "account", "in": "path", "required": true, "type": "string"},
                    {"name": "suffix", "in": "path", "type": "string", "default": "azuredatalakestore.net"}
                ]
            }));
        }
        let (doc, _) = upgraded(doc);
        assert_eq!(at(&doc, "/servers/0/url"), "https://{account}.{suffix}");
        assert_eq!(
            at(&doc, "/servers/0/variables/suffix/default"),
            "azuredatalakestore.net"
        );
    }

    #[test]
    fn servers_follow_host_base_path_and_schemes() {
        let servers_of = |extra: Value| {
            let mut doc = document(json!({}));
            if let (Value::Object(doc), Value::Object(extra)) = (&mut doc, extra) {
                doc.extend(extra);
            }
            let (doc, _) = upgraded(doc);
            at(&doc, "/servers").clone()
        };
        assert_eq!(
            servers_of(json!({ "host": "api.example.com" })),
            json!([{ "url": "https://api.example.com" }])
        );
        assert_eq!(
            servers_of(json!({ "host": "api.example.com", "basePath": "/", "schemes": ["http"] })),
            json!([{ "url": "http://api.example.com" }])
        );
        assert_eq!(
            servers_of(json!({ "host": "h:8080", "basePath": "v2", "schemes": ["ws", "https"] })),
            json!([{ "url": "https://h:8080/v2" }, { "url": "ws://h:8080/v2" }])
        );
        assert_eq!(
            servers_of(json!({ "basePath": "/v1.41" })),
            json!([{ "url": "/v1.41" }])
        );
        assert_eq!(servers_of(json!({})), Value::Null);
    }

    #[test]
    fn schemes_without_a_host_are_noted() {
        let mut doc = document(json!({
            "/a": { "get": { "schemes": ["https"], "responses": {} } },
            "/b": { "get": { "schemes": ["https"], "responses": {} } }
        }));
        if let Value::Object(map) = &mut doc {
            map.insert("schemes".to_owned(), json!(["http"]));
        }
        let (doc, notes) = upgraded(doc);
        assert!(has_note(&notes, "/schemes", "without a host"));
        // One note for all the operations, not one each.
        assert_eq!(
            notes.iter().filter(|note| note.pointer == "/paths").count(),
            1
        );
        assert_eq!(at(&doc, "/paths/~1a/get/servers"), &Value::Null);
        assert_eq!(at(&doc, "/paths/~1a/get/schemes"), &Value::Null);
    }

    #[test]
    fn operation_schemes_become_operation_servers() {
        let mut doc = document(json!({
            "/a": { "get": { "schemes": ["http"], "responses": {} } },
            "/b": { "get": { "schemes": ["https"], "responses": {} } }
        }));
        if let Value::Object(map) = &mut doc {
            map.insert("host".to_owned(), json!("h"));
        }
        let (doc, notes) = upgraded(doc);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            at(&doc, "/paths/~1a/get/servers"),
            &json!([{ "url": "http://h" }])
        );
        // The same as the document's: nothing to add.
        assert_eq!(at(&doc, "/paths/~1b/get/servers"), &Value::Null);
    }

    #[test]
    fn body_media_types_come_from_operation_then_document_then_default() {
        let body = json!([{ "name": "b", "in": "body", "schema": { "type": "string" } }]);
        let paths = json!({
            "/own": { "post": { "consumes": ["text/plain", "application/xml"], "parameters": body, "responses": {} } },
            "/doc": { "post": { "parameters": body, "responses": {} } }
        });
        let (doc, _) = upgraded(document(paths.clone()));
        let media_types = |doc: &Value, path: &str| -> Vec<String> {
            at(doc, &format!("/paths/{path}/post/requestBody/content"))
                .as_object()
                .map(|content| content.keys().cloned().collect())
                .unwrap_or_default()
        };
        let mut own = media_types(&doc, "~1own");
        own.sort();
        assert_eq!(own, ["application/xml", "text/plain"]);
        assert_eq!(media_types(&doc, "~1doc"), ["application/json"]);

        let mut with_consumes = document(paths);
        if let Value::Object(map) = &mut with_consumes {
            map.insert("consumes".to_owned(), json!(["application/yaml"]));
        }
        let (doc, _) = upgraded(with_consumes);
        assert_eq!(media_types(&doc, "~1doc"), ["application/yaml"]);
    }

    #[test]
    fn body_parameter_keeps_description_required_and_extensions() {
        let (doc, notes) = upgraded(document(json!({
            "/a": { "put": {
                "parameters": [{
                    "name": "payload", "in": "body", "description": "the thing",
                    "required": false, "x-extra": 1, "schema": { "type": "object" }
                }],
                "responses": {}
            } }
        })));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            at(&doc, "/paths/~1a/put/requestBody"),
            &json!({
                "description": "the thing",
                "required": false,
                "x-extra": 1,
                "content": { "application/json": { "schema": { "type": "object" } } }
            })
        );
        assert_eq!(at(&doc, "/paths/~1a/put/parameters"), &Value::Null);
    }

    #[test]
    fn shared_body_parameter_becomes_a_request_body_component() {
        let mut doc = document(json!({
            "/same": { "post": { "parameters": [{ "$ref": "#/parameters/Body" }], "responses": {} } },
            "/other": { "post": {
                "consumes": ["application/merge-patch+json"],
                "parameters": [{ "$ref": "#/parameters/Body" }],
                "responses": {}
            } }
        }));
        if let Value::Object(map) = &mut doc {
            map.insert(
                "parameters".to_owned(),
                json!({ "Body": {
                    "name": "body", "in": "body", "required": true,
                    "schema": { "$ref": "#/definitions/Thing" }
                } }),
            );
            map.insert(
                "definitions".to_owned(),
                json!({ "Thing": { "type": "object" } }),
            );
        }
        let (doc, notes) = upgraded(doc);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            at(&doc, "/components/requestBodies/Body"),
            &json!({
                "required": true,
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } }
            })
        );
        assert_eq!(at(&doc, "/components/parameters"), &Value::Null);
        assert_eq!(
            at(&doc, "/paths/~1same/post/requestBody"),
            &json!({ "$ref": "#/components/requestBodies/Body" })
        );
        assert_eq!(at(&doc, "/paths/~1same/post/parameters"), &Value::Null);
        // Its own media type, so its own copy of the body.
        assert_eq!(
            at(&doc, "/paths/~1other/post/requestBody"),
            &json!({
                "required": true,
                "content": { "application/merge-patch+json": { "schema": { "$ref": "#/components/schemas/Thing" } } }
            })
        );
        let api: Result<openapiv3::OpenAPI, _> = serde_json::from_value(doc);
        assert!(api.is_ok(), "{api:?}");
    }

    #[test]
    fn form_parameters_become_one_urlencoded_body() {
        let mut doc = document(json!({
            "/login": { "post": {
                "parameters": [
                    { "name": "user", "in": "formData", "type": "string", "required": true, "description": "who", "x-secret": true },
                    { "name": "remember", "in": "formData", "type": "boolean", "default": false },
                    { "name": "scopes", "in": "formData", "type": "array", "items": { "type": "string" } },
                    { "name": "ids", "in": "formData", "type": "array", "items": { "type": "integer" }, "collectionFormat": "multi" },
                    { "$ref": "#/parameters/Token" },
                    { "name": "trace", "in": "header", "type": "string" }
                ],
                "responses": {}
            } }
        }));
        if let Value::Object(map) = &mut doc {
            map.insert(
                "parameters".to_owned(),
                json!({ "Token": { "name": "token", "in": "formData", "type": "string", "enum": ["a", "b"] } }),
            );
        }
        let (doc, notes) = upgraded(doc);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            at(&doc, "/paths/~1login/post/requestBody"),
            &json!({
                "required": true,
                "content": { "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "user": { "type": "string", "description": "who", "x-secret": true },
                            "remember": { "type": "boolean", "default": false },
                            "scopes": { "type": "array", "items": { "type": "string" } },
                            "ids": { "type": "array", "items": { "type": "integer" } },
                            "token": { "type": "string", "enum": ["a", "b"] }
                        },
                        "required": ["user"]
                    },
                    "encoding": {
                        "scopes": { "style": "form", "explode": false },
                        "ids": { "style": "form", "explode": true }
                    }
                } }
            })
        );
        assert_eq!(
            at(&doc, "/paths/~1login/post/parameters"),
            &json!([{ "name": "trace", "in": "header", "schema": { "type": "string" } }])
        );
        // A form field has no 3.0 component; it was inlined instead.
        assert_eq!(at(&doc, "/components"), &Value::Null);
        let api: Result<openapiv3::OpenAPI, _> = serde_json::from_value(doc);
        assert!(api.is_ok(), "{api:?}");
    }

    #[test]
    fn file_parameters_make_a_multipart_body() {
        let (doc, notes) = upgraded(document(json!({
            "/upload": { "post": {
                "consumes": ["application/x-www-form-urlencoded"],
                "parameters": [
                    { "name": "file", "in": "formData", "type": "file", "required": true },
                    { "name": "note", "in": "formData", "type": "string" }
                ],
                "responses": {}
            } },
            "/declared": { "post": {
                "consumes": ["multipart/form-data"],
                "parameters": [{ "name": "note", "in": "formData", "type": "string" }],
                "responses": {}
            } }
        })));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            at(
                &doc,
                "/paths/~1upload/post/requestBody/content/multipart~1form-data/schema"
            ),
            &json!({
                "type": "object",
                "properties": {
                    "file": { "type": "string", "format": "binary" },
                    "note": { "type": "string" }
                },
                "required": ["file"]
            })
        );
        assert!(at(
            &doc,
            "/paths/~1declared/post/requestBody/content/multipart~1form-data"
        )
        .is_object());
    }

    #[test]
    fn body_and_form_together_keep_the_body() {
        let (doc, notes) = upgraded(document(json!({
            "/a": { "post": {
                "parameters": [
                    { "name": "f", "in": "formData", "type": "string" },
                    { "name": "b", "in": "body", "schema": { "type": "string" } },
                    { "name": "c", "in": "body", "schema": { "type": "integer" } }
                ],
                "responses": {}
            } }
        })));
        assert!(has_note(
            &notes,
            "/paths/~1a/post",
            "formData parameters were dropped"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1a/post/parameters/2",
            "at most one body"
        ));
        assert_eq!(
            at(
                &doc,
                "/paths/~1a/post/requestBody/content/application~1json/schema"
            ),
            &json!({ "type": "string" })
        );
    }

    #[test]
    fn collection_formats_become_styles() {
        let array = |name: &str, location: &str, format: Option<&str>| {
            let mut parameter = json!({
                "name": name, "in": location, "type": "array", "items": { "type": "string" }
            });
            if let (Some(format), Value::Object(map)) = (format, &mut parameter) {
                map.insert("collectionFormat".to_owned(), json!(format));
            }
            parameter
        };
        let (doc, notes) = upgraded(document(json!({
            "/a/{p}": { "get": {
                "parameters": [
                    array("csv", "query", Some("csv")),
                    array("default", "query", None),
                    array("multi", "query", Some("multi")),
                    array("ssv", "query", Some("ssv")),
                    array("pipes", "query", Some("pipes")),
                    array("tsv", "query", Some("tsv")),
                    array("p", "path", Some("csv")),
                    array("h", "header", Some("pipes")),
                    { "name": "scalar", "in": "query", "type": "string", "collectionFormat": "multi" }
                ],
                "responses": {}
            } }
        })));
        let style = |index: usize| {
            let parameter = at(&doc, &format!("/paths/~1a~1{{p}}/get/parameters/{index}"));
            (
                parameter.get("style").cloned(),
                parameter.get("explode").cloned(),
            )
        };
        assert_eq!(style(0), (Some(json!("form")), Some(json!(false))));
        assert_eq!(style(1), (Some(json!("form")), Some(json!(false))));
        assert_eq!(style(2), (Some(json!("form")), Some(json!(true))));
        assert_eq!(
            style(3),
            (Some(json!("spaceDelimited")), Some(json!(false)))
        );
        assert_eq!(style(4), (Some(json!("pipeDelimited")), Some(json!(false))));
        assert_eq!(style(5), (Some(json!("form")), Some(json!(false))));
        assert_eq!(style(6), (Some(json!("simple")), None));
        assert_eq!(style(7), (Some(json!("simple")), None));
        assert_eq!(style(8), (None, None));
        assert!(has_note(
            &notes,
            "/paths/~1a~1{p}/get/parameters/5/collectionFormat",
            "tab-separated"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1a~1{p}/get/parameters/7/collectionFormat",
            "comma-separated"
        ));
        for index in 0..9 {
            let parameter = at(&doc, &format!("/paths/~1a~1{{p}}/get/parameters/{index}"));
            assert_eq!(parameter.get("collectionFormat"), None);
        }
        let api: Result<openapiv3::OpenAPI, _> = serde_json::from_value(doc);
        assert!(api.is_ok(), "{api:?}");
    }

    #[test]
    fn a_nullable_reference_and_a_tuple_of_items_upgrade_as_3_0_writes_them() {
        let schema = json!({"type": "object", "properties": {
            "owner": {"$ref": "#/definitions/User", "x-nullable": true},
            "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
            "one": {"type": "array", "items": [{"type": ["string", "null"]}]}
        }});
        let mut notes = Vec::new();
        let arena = Arena::new();
        let mut lean = Lean::from_value(&schema, &arena);
        upgrade_schema(&mut lean, DEFINITIONS.key("A"), &mut notes);
        let schema = lean.to_value();
        let properties = &schema["properties"];
        assert_eq!(
            properties["owner"],
            json!({"allOf": [{"$ref": "#/definitions/User"}], "nullable": true})
        );
        assert_eq!(
            properties["pair"]["items"],
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(
            properties["one"]["items"],
            json!({"type": "string", "nullable": true})
        );
        let pointers: Vec<&str> = notes.iter().map(|note| note.pointer.as_str()).collect();
        assert_eq!(pointers, ["/definitions/A/properties/pair/items"]);
    }

    #[test]
    fn parameter_keywords_move_into_the_schema() {
        let (doc, notes) = upgraded(document(json!({
            "/a/{id}": { "get": {
                "parameters": [
                    {
                        "name": "id", "in": "path", "type": "string", "pattern": "^[a-z]+$",
                        "minLength": 1, "maxLength": 9, "description": "the id", "x-example": "abc"
                    },
                    { "name": "watch", "in": "query", "type": "boolean", "uniqueItems": true, "allowEmptyValue": true },
                    {
                        "name": "page", "in": "query", "type": "integer", "format": "int32",
                        "minimum": 1, "maximum": 9, "exclusiveMaximum": true, "multipleOf": 1,
                        "default": 1, "enum": [1, 2, 3], "required": false
                    },
                    {
                        "name": "matrix", "in": "query", "type": "array", "minItems": 1, "uniqueItems": true,
                        "items": { "type": "array", "collectionFormat": "pipes", "items": { "type": "number", "x-nullable": true } }
                    }
                ],
                "responses": {}
            } }
        })));
        let parameter =
            |index: usize| at(&doc, &format!("/paths/~1a~1{{id}}/get/parameters/{index}"));
        assert_eq!(
            parameter(0),
            &json!({
                "name": "id", "in": "path", "required": true, "description": "the id", "x-example": "abc",
                "schema": { "type": "string", "pattern": "^[a-z]+$", "minLength": 1, "maxLength": 9 }
            })
        );
        assert_eq!(
            parameter(1),
            &json!({ "name": "watch", "in": "query", "allowEmptyValue": true, "schema": { "type": "boolean" } })
        );
        assert_eq!(
            parameter(2),
            &json!({
                "name": "page", "in": "query", "required": false,
                "schema": {
                    "type": "integer", "format": "int32", "minimum": 1, "maximum": 9,
                    "exclusiveMaximum": true, "multipleOf": 1, "default": 1, "enum": [1, 2, 3]
                }
            })
        );
        assert_eq!(
            at(parameter(3), "/schema"),
            &json!({
                "type": "array", "minItems": 1, "uniqueItems": true,
                "items": { "type": "array", "items": { "type": "number", "nullable": true } }
            })
        );
        assert!(has_note(
            &notes,
            "/paths/~1a~1{id}/get/parameters/3/items/collectionFormat",
            "nested"
        ));
        let api: Result<openapiv3::OpenAPI, _> = serde_json::from_value(doc);
        assert!(api.is_ok(), "{api:?}");
    }

    #[test]
    fn located_path_parameters_stay_on_the_path_item_and_a_body_is_merged_into_each_operation() {
        let mut doc = document(json!({
            "/a/{id}": {
                "parameters": [
                    { "name": "id", "in": "path", "type": "string" },
                    { "name": "tags", "in": "query", "type": "array", "items": { "type": "string" } },
                    { "$ref": "#/parameters/Limit" }
                ],
                "get": {
                    "parameters": [{ "name": "tags", "in": "query", "type": "integer" }],
                    "responses": {}
                },
                "post": { "responses": {} }
            },
            "/b": {
                "parameters": [
                    { "name": "q", "in": "query", "type": "string" },
                    { "name": "payload", "in": "body", "schema": { "type": "object" } }
                ],
                "put": { "responses": {} },
                "patch": {
                    "parameters": [{ "name": "q", "in": "query", "type": "integer" }],
                    "responses": {}
                }
            }
        }));
        if let Value::Object(map) = &mut doc {
            map.insert(
                "parameters".to_owned(),
                json!({ "Limit": { "name": "limit", "in": "query", "type": "integer" } }),
            );
        }
        let (doc, notes) = upgraded(doc);
        assert!(notes.is_empty(), "{notes:?}");
        let summary = |pointer: &str| -> Vec<String> {
            at(&doc, pointer)
                .as_array()
                .map(|parameters| {
                    parameters
                        .iter()
                        .map(
                            |parameter| match parameter.get("$ref").and_then(Value::as_str) {
                                Some(reference) => reference.to_owned(),
                                None => format!(
                                    "{} {} {}",
                                    at(parameter, "/in").as_str().unwrap_or_default(),
                                    at(parameter, "/name").as_str().unwrap_or_default(),
                                    at(parameter, "/schema/type").as_str().unwrap_or_default()
                                ),
                            },
                        )
                        .collect()
                })
                .unwrap_or_default()
        };
        // Upgraded once where written (overriding is the reader's, as in 3.0).
        assert_eq!(
            summary("/paths/~1a~1{id}/parameters"),
            [
                "path id string",
                "query tags array",
                "#/components/parameters/Limit"
            ]
        );
        assert_eq!(
            at(&doc, "/paths/~1a~1{id}/parameters/0/required"),
            &json!(true)
        );
        assert_eq!(
            at(&doc, "/paths/~1a~1{id}/parameters/1/style"),
            &json!("form")
        );
        assert_eq!(
            summary("/paths/~1a~1{id}/get/parameters"),
            ["query tags integer"]
        );
        assert_eq!(at(&doc, "/paths/~1a~1{id}/post/parameters"), &Value::Null);
        // A body at the path level: every operation gets it, and the path item's other
        // parameters, overridden by name and location as 2.0 defines.
        assert_eq!(at(&doc, "/paths/~1b/parameters"), &Value::Null);
        assert_eq!(summary("/paths/~1b/put/parameters"), ["query q string"]);
        assert_eq!(summary("/paths/~1b/patch/parameters"), ["query q integer"]);
        for method in ["put", "patch"] {
            assert_eq!(
                at(
                    &doc,
                    &format!("/paths/~1b/{method}/requestBody/content/application~1json/schema")
                ),
                &json!({ "type": "object" })
            );
        }
    }

    #[test]
    fn responses_get_content_per_produced_media_type() {
        let mut doc = document(json!({
            "/a": { "get": {
                "produces": ["application/json", "application/xml"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "schema": { "type": "file" },
                        "examples": { "application/json": { "id": 1 } },
                        "headers": {
                            "X-Rate": { "type": "array", "items": { "type": "integer" }, "description": "rates" },
                            "X-Odd": { "type": "array", "items": { "type": "integer" }, "collectionFormat": "ssv" }
                        },
                        "x-extra": true
                    },
                    "204": { "description": "empty" },
                    "404": { "$ref": "#/responses/NotFound" },
                    "x-response-extension": 1
                }
            } },
            "/b": { "get": { "responses": { "404": { "$ref": "#/responses/NotFound" } } } }
        }));
        if let Value::Object(map) = &mut doc {
            map.insert("produces".to_owned(), json!(["application/json"]));
            map.insert(
                "responses".to_owned(),
                json!({ "NotFound": { "description": "missing", "schema": { "type": "string" } } }),
            );
        }
        let (doc, notes) = upgraded(doc);
        assert_eq!(
            at(&doc, "/paths/~1a/get/responses/200"),
            &json!({
                "description": "ok",
                "x-extra": true,
                "headers": {
                    "X-Rate": { "description": "rates", "schema": { "type": "array", "items": { "type": "integer" } } },
                    "X-Odd": { "schema": { "type": "array", "items": { "type": "integer" } } }
                },
                "content": {
                    "application/json": { "schema": { "type": "string", "format": "binary" } },
                    "application/xml": { "schema": { "type": "string", "format": "binary" } }
                }
            })
        );
        assert!(has_note(
            &notes,
            "/paths/~1a/get/responses/200/headers/X-Odd/collectionFormat",
            "comma-separated"
        ));
        assert_eq!(
            at(&doc, "/paths/~1a/get/responses/204"),
            &json!({ "description": "empty" })
        );
        assert_eq!(
            at(&doc, "/paths/~1a/get/responses/x-response-extension"),
            &json!(1)
        );
        // The shared response speaks JSON only; this operation also produces XML, so it gets
        // its own copy. The other operation keeps the reference.
        assert_eq!(
            at(
                &doc,
                "/paths/~1a/get/responses/404/content/application~1xml/schema"
            ),
            &json!({ "type": "string" })
        );
        assert_eq!(
            at(&doc, "/paths/~1b/get/responses/404"),
            &json!({ "$ref": "#/components/responses/NotFound" })
        );
        let api: Result<openapiv3::OpenAPI, _> = serde_json::from_value(doc);
        assert!(api.is_ok(), "{api:?}");
    }

    #[test]
    fn schemas_are_upgraded_wherever_they_nest() {
        let mut doc = document(json!({}));
        if let Value::Object(map) = &mut doc {
            map.insert(
                "definitions".to_owned(),
                json!({
                    "Animal": {
                        "type": "object",
                        "discriminator": "kind",
                        "required": ["kind"],
                        "properties": {
                            "kind": { "type": "string", "readOnly": true },
                            "name": { "type": "string", "required": true },
                            "owner": { "$ref": "#/definitions/Owner", "x-nullable": true, "description": "who" },
                            "keeper": { "$ref": "#/definitions/Owner", "x-nullable": false },
                            "tags": { "type": "array", "items": { "type": "string", "x-nullable": true } },
                            "extra": { "type": "object", "additionalProperties": { "type": "file" } },
                            "either": { "type": ["integer", "null"] },
                            "properties": { "type": "object", "x-nullable": true },
                            "example": { "type": "string", "example": { "x-nullable": true } }
                        }
                    },
                    "Dog": {
                        "allOf": [
                            { "$ref": "#/definitions/Animal" },
                            { "type": "object", "properties": { "bark": { "type": "boolean", "x-nullable": true } } }
                        ]
                    },
                    "Anything": { "not": { "type": "file" } }
                }),
            );
        }
        let (doc, notes) = upgraded(doc);
        let animal = at(&doc, "/components/schemas/Animal");
        assert_eq!(
            at(animal, "/discriminator"),
            &json!({ "propertyName": "kind" })
        );
        assert_eq!(at(animal, "/required"), &json!(["kind", "name"]));
        assert_eq!(at(animal, "/properties/name"), &json!({ "type": "string" }));
        assert!(has_note(
            &notes,
            "/definitions/Animal/properties/name/required",
            "moved there"
        ));
        assert_eq!(at(animal, "/properties/kind/readOnly"), &json!(true));
        assert_eq!(
            at(animal, "/properties/owner"),
            &json!({
                "allOf": [{ "$ref": "#/components/schemas/Owner" }],
                "nullable": true,
                "description": "who"
            })
        );
        assert_eq!(
            at(animal, "/properties/keeper/$ref"),
            &json!("#/components/schemas/Owner")
        );
        assert_eq!(at(animal, "/properties/tags/items/nullable"), &json!(true));
        assert_eq!(
            at(animal, "/properties/extra/additionalProperties"),
            &json!({ "type": "string", "format": "binary" })
        );
        assert_eq!(
            at(animal, "/properties/either"),
            &json!({ "type": "integer", "nullable": true })
        );
        // A property named like a keyword is still a schema; an example value is not.
        assert_eq!(
            at(animal, "/properties/properties"),
            &json!({ "type": "object", "nullable": true })
        );
        assert_eq!(
            at(animal, "/properties/example/example"),
            &json!({ "x-nullable": true })
        );
        assert_eq!(
            at(
                &doc,
                "/components/schemas/Dog/allOf/1/properties/bark/nullable"
            ),
            &json!(true)
        );
        assert_eq!(
            at(&doc, "/components/schemas/Anything/not"),
            &json!({ "type": "string", "format": "binary" })
        );
        let api: Result<openapiv3::OpenAPI, _> = serde_json::from_value(doc);
        assert!(api.is_ok(), "{api:?}");
    }

    #[test]
    fn odd_schema_types_are_degraded_with_notes() {
        let mut doc = document(json!({}));
        if let Value::Object(map) = &mut doc {
            map.insert(
                "definitions".to_owned(),
                json!({
                    "Several": { "type": ["string", "integer"] },
                    "Tuple": { "type": "array", "items": [{ "type": "string" }, { "type": "integer" }] },
                    "Single": { "type": "array", "items": [{ "type": "file" }] },
                    "Numbered": { "type": 7 }
                }),
            );
        }
        let (doc, notes) = upgraded(doc);
        assert_eq!(at(&doc, "/components/schemas/Several"), &json!({}));
        assert!(has_note(
            &notes,
            "/definitions/Several/type",
            "several types"
        ));
        assert_eq!(
            at(&doc, "/components/schemas/Tuple/items"),
            &json!({ "anyOf": [{ "type": "string" }, { "type": "integer" }] })
        );
        assert!(has_note(&notes, "/definitions/Tuple/items", "as a list"));
        assert_eq!(
            at(&doc, "/components/schemas/Single/items"),
            &json!({ "type": "string", "format": "binary" })
        );
        assert!(has_note(
            &notes,
            "/definitions/Numbered/type",
            "the number 7"
        ));
        let api: Result<openapiv3::OpenAPI, _> = serde_json::from_value(doc);
        assert!(api.is_ok(), "{api:?}");
    }

    #[test]
    fn security_definitions_become_security_schemes() {
        let mut doc = document(json!({}));
        if let Value::Object(map) = &mut doc {
            map.insert(
                "securityDefinitions".to_owned(),
                json!({
                    "basic": { "type": "basic", "description": "user and password", "x-realm": "r" },
                    "key": { "type": "apiKey", "in": "query", "name": "api_key" },
                    "implicit": { "type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": { "read": "Read" } },
                    "password": { "type": "oauth2", "flow": "password", "tokenUrl": "https://t", "scopes": {} },
                    "application": { "type": "oauth2", "flow": "application", "tokenUrl": "https://t" },
                    "accessCode": { "type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {} },
                    "broken": { "type": "oauth2", "flow": "accessCode", "tokenUrl": "https://t", "scopes": {} },
                    "strange": { "type": "kerberos" }
                }),
            );
        }
        let (doc, notes) = upgraded(doc);
        let schemes = at(&doc, "/components/securitySchemes");
        assert_eq!(
            at(schemes, "/basic"),
            &json!({ "type": "http", "scheme": "basic", "description": "user and password", "x-realm": "r" })
        );
        assert_eq!(
            at(schemes, "/key"),
            &json!({ "type": "apiKey", "in": "query", "name": "api_key" })
        );
        assert_eq!(
            at(schemes, "/implicit"),
            &json!({ "type": "oauth2", "flows": { "implicit": { "authorizationUrl": "https://a", "scopes": { "read": "Read" } } } })
        );
        assert_eq!(
            at(schemes, "/password/flows/password"),
            &json!({ "tokenUrl": "https://t", "scopes": {} })
        );
        assert_eq!(
            at(schemes, "/application/flows/clientCredentials"),
            &json!({ "tokenUrl": "https://t", "scopes": {} })
        );
        assert_eq!(
            at(schemes, "/accessCode/flows/authorizationCode"),
            &json!({ "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {} })
        );
        assert_eq!(
            at(schemes, "/broken/flows/authorizationCode/authorizationUrl"),
            &json!("")
        );
        assert!(has_note(
            &notes,
            "/securityDefinitions/broken/authorizationUrl",
            "left empty"
        ));
        assert_eq!(at(schemes, "/strange"), &Value::Null);
        assert!(has_note(
            &notes,
            "/securityDefinitions/strange",
            "`kerberos`"
        ));
        let api: Result<openapiv3::OpenAPI, _> = serde_json::from_value(doc);
        assert!(api.is_ok(), "{api:?}");
    }

    #[test]
    fn other_references_and_extensions_are_left_alone() {
        let mut doc = document(json!({
            "/a": { "get": {
                "parameters": [{ "$ref": "parameters.yaml#/limit" }, { "$ref": "#/parameters/missing" }],
                "responses": {
                    "200": { "description": "ok", "schema": { "$ref": "#/x-tether-files/pet.json" } },
                    "500": { "description": "error", "schema": { "$ref": "../common/Error.json" } }
                }
            } }
        }));
        if let Value::Object(map) = &mut doc {
            map.insert(
                "x-ms-paths".to_owned(),
                json!({ "/a?op=b": { "get": { "parameters": [{ "$ref": "#/definitions/Thing" }] } } }),
            );
        }
        let (doc, notes) = upgraded(doc);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            at(&doc, "/paths/~1a/get/parameters"),
            &json!([{ "$ref": "parameters.yaml#/limit" }, { "$ref": "#/components/parameters/missing" }])
        );
        assert_eq!(
            at(
                &doc,
                "/paths/~1a/get/responses/200/content/application~1json/schema/$ref"
            ),
            &json!("#/x-tether-files/pet.json")
        );
        assert_eq!(
            at(
                &doc,
                "/paths/~1a/get/responses/500/content/application~1json/schema/$ref"
            ),
            &json!("../common/Error.json")
        );
        // Kept as an extension; only its references follow the components.
        assert_eq!(
            at(&doc, "/x-ms-paths/~1a?op=b/get/parameters/0/$ref"),
            &json!("#/components/schemas/Thing")
        );
    }

    #[test]
    fn references_keep_their_escaping() {
        let mut doc = document(json!({
            "/a": { "get": {
                "parameters": [{ "$ref": "#/parameters/a~1b" }],
                "responses": { "200": { "description": "ok", "schema": { "$ref": "#/definitions/io.k8s~1Pod" } } }
            } }
        }));
        if let Value::Object(map) = &mut doc {
            map.insert(
                "parameters".to_owned(),
                json!({ "a/b": { "name": "ab", "in": "body", "schema": {} } }),
            );
        }
        let (doc, _) = upgraded(doc);
        assert_eq!(
            at(&doc, "/paths/~1a/get/requestBody"),
            &json!({ "$ref": "#/components/requestBodies/a~1b" })
        );
        assert_eq!(
            at(
                &doc,
                "/paths/~1a/get/responses/200/content/application~1json/schema/$ref"
            ),
            &json!("#/components/schemas/io.k8s~1Pod")
        );
    }

    #[test]
    fn malformed_documents_degrade_with_notes_and_never_lose_an_operation() {
        let (not_an_object, notes) = upgraded(json!(["swagger"]));
        assert_eq!(not_an_object, json!(["swagger"]));
        assert_eq!(notes.len(), 1);

        let (doc, notes) = upgraded(json!({
            "swagger": 2,
            "info": { "title": "t", "version": "1" },
            "host": 5,
            "consumes": "application/json",
            "produces": [1, "text/plain"],
            "definitions": [],
            "securityDefinitions": { "s": "basic" },
            "parameters": { "odd": { "name": "x", "in": "somewhere" }, "bad": 3 },
            "paths": {
                "/null": { "get": null },
                "/text": "hello",
                "/bad": {
                    "parameters": { "not": "a list" },
                    "post": {
                        "parameters": [
                            7,
                            { "name": "w", "in": "elsewhere" },
                            { "name": "t", "in": "query" },
                            { "name": "r", "in": "query", "type": "string", "required": "yes" },
                            { "name": "b", "in": "body" },
                            { "in": "formData", "type": "string" }
                        ],
                        "responses": { "200": "ok", "201": {}, "202": { "description": 5, "headers": [] } }
                    },
                    "put": { "responses": [] },
                    "delete": {}
                }
            }
        }));
        assert!(has_note(&notes, "/swagger", "the number 2"));
        assert!(has_note(&notes, "/host", "expected a string"));
        assert!(has_note(&notes, "/produces/0", "expected a string"));
        assert!(has_note(&notes, "/definitions", "expected an object"));
        assert!(has_note(&notes, "/securityDefinitions/s", "dropped"));
        assert!(has_note(&notes, "/parameters/odd", "dropped"));
        assert!(has_note(&notes, "/parameters/bad", "dropped"));
        assert!(has_note(&notes, "/paths/~1null/get", "operation"));
        assert!(has_note(&notes, "/paths/~1text", "path item"));
        assert!(has_note(
            &notes,
            "/paths/~1bad/parameters",
            "list of parameters"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1bad/post/parameters/0",
            "dropped"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1bad/post/parameters/1",
            "dropped"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1bad/post/parameters/2",
            "any value"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1bad/post/parameters/3/required",
            "read as false"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1bad/post/parameters/4",
            "no schema"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1bad/post/responses/200",
            "no body"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1bad/post/responses/201/description",
            "left empty"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1bad/post/responses/202/headers",
            "ignored"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1bad/put/responses",
            "no responses"
        ));
        assert!(has_note(
            &notes,
            "/paths/~1bad/delete/responses",
            "no responses"
        ));
        // The body wins over the nameless form field, and that is said too.
        assert!(has_note(
            &notes,
            "/paths/~1bad/post",
            "formData parameters were dropped"
        ));

        let api: openapiv3::OpenAPI = match serde_json::from_value(doc.clone()) {
            Ok(api) => api,
            Err(error) => panic!("does not deserialise: {error}\n{doc:#}"),
        };
        assert_eq!(api.operations().count(), 4);
        assert_eq!(
            at(
                &doc,
                "/paths/~1bad/post/requestBody/content/application~1json/schema"
            ),
            &json!({})
        );
    }

    #[test]
    fn a_shared_parameter_used_twice_is_noted_once() {
        let mut doc = document(json!({
            "/a": { "post": { "parameters": [{ "$ref": "#/parameters/F" }], "responses": {} } },
            "/b": { "post": { "parameters": [{ "$ref": "#/parameters/F" }], "responses": {} } }
        }));
        if let Value::Object(map) = &mut doc {
            map.insert(
                "parameters".to_owned(),
                json!({ "F": { "name": "f", "in": "formData", "type": "array", "items": { "type": "string" }, "collectionFormat": "tsv" } }),
            );
        }
        let (doc, notes) = upgraded(doc);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].pointer, "/parameters/F/collectionFormat");
        for path in ["~1a", "~1b"] {
            assert_eq!(
                at(
                    &doc,
                    &format!("/paths/{path}/post/requestBody/content/application~1x-www-form-urlencoded/encoding/f")
                ),
                &json!({ "style": "form", "explode": false })
            );
        }
    }
}
