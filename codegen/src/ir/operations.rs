//! Operations: parameters, request body, responses and security of each path + method.

use std::borrow::Cow;

use crate::load::ReferenceOr;

use super::lower::{is_full_url, server_url};
use super::naming::{self, Scope};
use super::reference::component_name;
use super::responses::{self, is_json, ErrorTypes};
use super::schema::TypeSpace;
use super::security::{self, AuthorizationParameter};
use super::{
    media_essence, AlternativeBody, BodyEncoding, Docs, FixedLocation, FixedParam, MultipartPart,
    Operation, Param, ParamLocation, PathSegment, Primitive, QueryStyle, RequestBody,
    SecurityScheme, SignedScheme, SmolStr, TypeKind, TypeRef,
};
use crate::diagnostics::At;
use crate::load::{
    MediaType, Operation as SpecOperation, Parameter, ParameterSchemaOrContent,
    RequestBody as SpecRequestBody, Response as SpecResponse, Responses, SchemaKind, Type,
};
use crate::text::split_once_byte;

/// The kinds of media type a request body is sent in, in the order the body argument of an
/// operation's method is chosen from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

impl MediaKind {
    fn of(media: &str) -> MediaKind {
        let essence = media_essence(media);
        if is_json(&essence) {
            MediaKind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if essence == "multipart/form-data" {
            MediaKind::Multipart
        } else if essence.starts_with("text/") {
            MediaKind::Text
        } else {
            MediaKind::Bytes
        }
    }

    /// How the method that sends a body of this kind ends.
    fn suffix(self) -> &'static str {
        match self {
            MediaKind::Json => "json",
            MediaKind::Form => "form",
            MediaKind::Multipart => "multipart",
            MediaKind::Text => "text",
            MediaKind::Bytes => "bytes",
        }
    }
}

/// Header parameters OpenAPI says to ignore: the client sets these itself. It says so of
/// `Authorization` too, which is read apart: where no security scheme covers an
/// operation, the parameter becomes the client's credential.
const IGNORED_HEADERS: [&str; 2] = ["accept", "content-type"];

/// Names a parameter may not take: the builder's own methods, and the local the client's
/// method builds its call in.
pub(crate) const RESERVED_PARAMETER_NAMES: [&str; 10] = [
    "call",
    "send",
    "options",
    "into_future",
    "body",
    "items",
    "pages",
    "resume_from",
    "bytes_stream",
    "event_stream",
];

/// What every operation of a document shares while it is lowered.
pub(crate) struct OperationContext<'s> {
    pub(crate) schemes: &'s [SecurityScheme],
    pub(crate) signed_schemes: &'s [SignedScheme],
    pub(crate) errors: ErrorTypes,
    pub(crate) methods: Scope,
    /// The names every builder's parameters leave to its own methods, hashed once and
    /// copied for each operation.
    pub(crate) reserved_parameters: Scope,
    /// The name of the scheme the client sends `Authorization` header parameters with,
    /// where no security scheme covers their operation.
    pub(crate) authorization_scheme: String,
    /// Those parameters: the scheme is made from them once every operation is lowered.
    pub(crate) authorization_parameters: Vec<AuthorizationParameter>,
}

/// One path + method, as found in the document.
pub(crate) struct Site<'d> {
    pub(crate) path: &'d str,
    /// The method as it is sent (`GET`, or `QUERY` and others of OpenAPI 3.2).
    pub(crate) http_method: SmolStr,
    /// Where the operation is written in its path item: a method's key, or a key and the
    /// method under it (`additionalOperations`); see [`Site::at`].
    pub(crate) keys: (&'d str, Option<&'d str>),
    pub(crate) operation: &'d SpecOperation,
    pub(crate) path_parameters: &'d [ReferenceOr<Parameter>],
    /// The path item's own `servers`.
    pub(crate) path_servers: &'d [openapiv3::Server],
}

impl Site<'_> {
    /// `then` of where the operation is written: a place whose pointer is written out only
    /// for a note, rather than a pointer for every operation.
    pub(crate) fn at<R>(&self, then: impl FnOnce(At<'_>) -> R) -> R {
        let paths = At::Pointer("/paths");
        let item = paths.key(self.path);
        let first = item.key(self.keys.0);
        match self.keys.1 {
            Some(method) => then(first.key(method)),
            None => then(first),
        }
    }
}

impl<'a> TypeSpace<'a> {
    fn resolve_parameter<'p>(&self, parameter: &'p ReferenceOr<Parameter>) -> Option<&'p Parameter>
    where
        'a: 'p,
    {
        match parameter {
            ReferenceOr::Item(parameter) => Some(parameter),
            ReferenceOr::Reference { reference } => {
                let name = component_name(reference, "parameters")?;
                match self
                    .document
                    .components
                    .as_ref()?
                    .parameters
                    .get(name.as_ref())?
                {
                    ReferenceOr::Item(parameter) => Some(parameter),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    pub(crate) fn component_response(&self, reference: &str) -> Option<&'a SpecResponse> {
        let name = component_name(reference, "responses")?;
        match self
            .document
            .components
            .as_ref()?
            .responses
            .get(name.as_ref())?
        {
            ReferenceOr::Item(response) => Some(response),
            ReferenceOr::Reference { .. } => None,
        }
    }

    fn resolve_body<'b>(
        &self,
        body: &'b ReferenceOr<SpecRequestBody>,
    ) -> Option<&'b SpecRequestBody>
    where
        'a: 'b,
    {
        match body {
            ReferenceOr::Item(body) => Some(body),
            ReferenceOr::Reference { reference } => {
                let name = component_name(reference, "requestBodies")?;
                match self
                    .document
                    .components
                    .as_ref()?
                    .request_bodies
                    .get(name.as_ref())?
                {
                    ReferenceOr::Item(body) => Some(body),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    /// Lowers one operation.
    pub(crate) fn operation(
        &mut self,
        site: &Site<'_>,
        shorten: bool,
        context: &mut OperationContext<'_>,
    ) -> Operation {
        site.at(|pointer| self.operation_at(site, pointer, shorten, context))
    }

    /// [`TypeSpace::operation`] of the operation at `pointer`.
    fn operation_at(
        &mut self,
        site: &Site<'_>,
        pointer: At<'_>,
        shorten: bool,
        context: &mut OperationContext<'_>,
    ) -> Operation {
        let operation = site.operation;
        let id = operation
            .operation_id
            .clone()
            .filter(|id| !id.trim().is_empty())
            .unwrap_or_else(|| smol_str::format_smolstr!("{} {}", site.http_method, site.path));
        let operation_name = self
            .spellings
            .value_name(naming::operation_words(&id, shorten));
        let type_name = self.spellings.type_name(&operation_name, "Op");
        let method_name = context.methods.claim(operation_name.clone());
        // `self` and the like get a `_`: that is no other operation's doing.
        let kept = method_name == operation_name
            || method_name.strip_suffix('_') == Some(operation_name.as_str());
        if !kept {
            self.note(
                pointer,
                format!("the method `{operation_name}` that `{id}` names is an earlier operation's already; this one is `{method_name}`"),
            );
        }

        let mut scope = context.reserved_parameters.clone();
        let bodies = operation.request_body.as_ref().and_then(|body| {
            let body_pointer = pointer.key("requestBody");
            match self.resolve_body(body) {
                Some(body) => self.request_bodies(body, &type_name, body_pointer),
                None => {
                    self.note(
                        body_pointer,
                        "the request body reference names nothing; the operation takes no body",
                    );
                    None
                }
            }
        });
        let (body, alternatives) = match bodies {
            Some((body, alternatives)) => (Some(body), alternatives),
            None => (None, Vec::new()),
        };
        let (mut security, signed_by) = security::requirements(
            operation.security.as_ref(),
            self.document.security.as_ref(),
            context.schemes,
            context.signed_schemes,
            pointer,
            &mut self.notes,
        );
        let (params, fixed_params, authorization) =
            self.parameters(site, &type_name, pointer, &mut scope);
        if let Some(authorization) = authorization {
            // With a scheme to send, the header is the scheme's; without one, the spec's
            // parameter is the only way it says how to authenticate.
            if security.iter().all(Vec::is_empty) && signed_by.is_empty() {
                let with_it = vec![context.authorization_scheme.clone()];
                security = if authorization.required {
                    vec![with_it]
                } else {
                    vec![with_it, Vec::new()]
                };
                context.authorization_parameters.push(authorization);
            } else {
                self.note(
                    At::Pointer(&authorization.pointer),
                    format!(
                        "header parameter `{}` is set by the client itself; ignored",
                        authorization.wire_name
                    ),
                );
            }
        }
        // Named after the parameters, which keep their natural names.
        let alternative_bodies = alternatives
            .into_iter()
            .map(|(kind, body)| AlternativeBody {
                method_name: if body.required {
                    context.methods.claim(format!("{method_name}_{kind}"))
                } else {
                    scope.claim(format!("body_{kind}"))
                },
                body,
            })
            .collect();
        let path_segments = self.path_segments(site.path, &params, pointer);
        let own_server = self.own_server(site, pointer);
        let error_when = self.error_when(operation, pointer);
        let (success, error, events) = self.responses(
            &operation.responses,
            &type_name,
            error_when.as_ref(),
            &mut context.errors,
            pointer,
        );
        let response_headers = self.response_headers(&operation.responses);
        Operation {
            id,
            method_name,
            builder_name: type_name,
            http_method: site.http_method.clone(),
            path: site.path.to_owned(),
            path_segments,
            docs: Docs {
                summary: operation.summary.clone(),
                description: operation.description.clone(),
                notes: Vec::new(),
            },
            deprecated: operation.deprecated,
            tags: operation.tags.iter().map(SmolStr::new).collect(),
            params,
            fixed_params,
            body,
            alternative_bodies,
            success,
            success_status: responses::success_status(&operation.responses),
            error,
            error_when,
            security,
            signed_by,
            response_headers,
            pagination: None,
            own_server,
            events,
        }
    }

    /// The names of every response header documented for the operation, once each.
    fn response_headers(&self, responses: &Responses) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let all = responses
            .responses
            .values()
            .chain(responses.default.as_ref());
        for response in all {
            let response = match response {
                ReferenceOr::Item(response) => Some(response),
                ReferenceOr::Reference { reference } => self.component_response(reference),
            };
            for name in response
                .into_iter()
                .flat_map(|response| response.headers.keys())
            {
                if !names.iter().any(|known| known.eq_ignore_ascii_case(name)) {
                    names.push(name.clone());
                }
            }
        }
        names
    }

    /// Path-item and operation parameters: the path's in the order the path writes their
    /// placeholders (the method's arguments read as its URL does), then the operation's
    /// own, then the path item's, which the operation's override on the same name and
    /// location; apart from them, an `Authorization` header parameter, which only the
    /// client may set.
    fn parameters(
        &mut self,
        site: &Site<'_>,
        operation: &str,
        pointer: At<'_>,
        scope: &mut Scope,
    ) -> (Vec<Param>, Vec<FixedParam>, Option<AuthorizationParameter>) {
        let own_pointer = pointer.key("parameters");
        let own = self.distinct_parameters(site.operation.parameters.iter(), &own_pointer);
        let paths = At::Pointer("/paths");
        let path_item = paths.key(site.path);
        let path_level_pointer = path_item.key("parameters");
        let inherited = self.distinct_parameters(site.path_parameters.iter(), &path_level_pointer);
        let inherited: Vec<_> = inherited
            .into_iter()
            .filter(|(parameter, _)| !own.iter().any(|(mine, _)| same_parameter(mine, parameter)))
            .collect();
        let mut merged = own;
        merged.extend(inherited);
        // Stable: the other parameters keep the order above. A few parameters each: their
        // keys are found again at each comparison rather than kept in a vector made for it.
        merged.sort_by_key(|(parameter, _)| match parameter {
            Parameter::Path { parameter_data, .. } => {
                (0, placeholder_position(site.path, &parameter_data.name))
            }
            _ => (1, 0),
        });
        let mut params = Vec::with_capacity(merged.len());
        let mut fixed = Vec::new();
        let mut authorization = None;
        let (sent_path, _) = split_fragment(site.path);
        // Read once for all the parameters (an empty list takes no allocation).
        let fixed_query: Vec<&str> = fixed_query_names(sent_path).collect();
        for (parameter, parameter_pointer) in merged {
            let data = parameter.parameter_data_ref();
            let (location, style) = match parameter {
                Parameter::Path { .. } => {
                    (ParamLocation::Path, QueryStyle::Form { explode: false })
                }
                Parameter::Header { .. } => {
                    (ParamLocation::Header, QueryStyle::Form { explode: false })
                }
                Parameter::Cookie { .. } => {
                    (ParamLocation::Cookie, QueryStyle::Form { explode: false })
                }
                Parameter::Query { style, .. } => {
                    let style = match style {
                        openapiv3::QueryStyle::Form => QueryStyle::Form {
                            explode: data.explode.unwrap_or(true),
                        },
                        openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
                        openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
                        openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
                    };
                    (ParamLocation::Query, style)
                }
            };
            if location == ParamLocation::Header && data.name.eq_ignore_ascii_case("authorization")
            {
                authorization = Some(AuthorizationParameter {
                    wire_name: data.name.to_string(),
                    required: data.required,
                    description: data.description.clone(),
                    pointer: parameter_pointer.pointer(),
                });
                continue;
            }
            if location == ParamLocation::Header
                && IGNORED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
            {
                self.note(
                    parameter_pointer,
                    format!(
                        "header parameter `{}` is set by the client itself; ignored",
                        data.name
                    ),
                );
                continue;
            }
            if location == ParamLocation::Path
                && braced_position(sent_path, &data.name).is_none()
                && has_colon_segment(sent_path, &data.name)
            {
                self.note(
                    parameter_pointer,
                    format!(
                        "the path `{}` writes this parameter's placeholder as `:{}`; read as `{{{}}}`",
                        site.path, data.name, data.name
                    ),
                );
            } else if location == ParamLocation::Path
                && braced_position(sent_path, &data.name).is_none()
            {
                self.note(
                    parameter_pointer,
                    format!(
                        "path parameter `{}` has no `{{{}}}` in the path `{}`, so a request has nowhere to carry it; ignored",
                        data.name, data.name, site.path
                    ),
                );
                continue;
            }
            if location == ParamLocation::Query && fixed_query.contains(&data.name.as_str()) {
                self.note(
                    parameter_pointer,
                    format!(
                        "query parameter `{}` is written into the path `{}`, which sends it with every call; not an argument",
                        data.name, site.path
                    ),
                );
                continue;
            }
            let fixed_location = match location {
                ParamLocation::Query => Some(FixedLocation::Query),
                ParamLocation::Header => Some(FixedLocation::Header),
                ParamLocation::Cookie => Some(FixedLocation::Cookie),
                ParamLocation::Path => None,
            };
            if let (Some(location), Some(value), true) =
                (fixed_location, self.only_value(&data.format), data.required)
            {
                fixed.push(FixedParam {
                    wire_name: data.name.clone(),
                    location,
                    value,
                    description: data.description.clone(),
                });
                continue;
            }
            let hint = |space: &mut Self| {
                [operation, &space.spellings.type_name(&data.name, "Param")].concat()
            };
            let schema_pointer = parameter_pointer.key("schema");
            let (ty, as_json) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    (self.type_of_hinted(schema, hint, schema_pointer), false)
                }
                ParameterSchemaOrContent::Content(content) => match content.first() {
                    Some((media, described)) => {
                        let content_pointer = parameter_pointer.key("content");
                        let as_json = is_json(media);
                        let ty = match &described.schema {
                            Some(schema) => self.type_of_hinted(
                                schema,
                                hint,
                                content_pointer.key(media).key("schema"),
                            ),
                            None if as_json => TypeRef::Any,
                            None => TypeRef::Primitive(Primitive::String),
                        };
                        (ty, as_json)
                    }
                    None => (TypeRef::Primitive(Primitive::String), false),
                },
            };
            params.push(Param {
                wire_name: data.name.clone(),
                name: scope.claim(self.spellings.value_name(&data.name)),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                style,
                as_json,
                docs: Docs {
                    description: data.description.clone(),
                    ..Docs::default()
                },
                deprecated: data.deprecated.unwrap_or(false),
            });
        }
        self.undeclared_path_parameters(sent_path, &mut params, pointer, scope);
        (params, fixed, authorization)
    }

    /// `parameters` resolved, the first of each name and location, with their pointers
    /// (under `list_pointer`); a reference that names nothing is noted and left out.
    fn distinct_parameters<'p, 'l>(
        &mut self,
        parameters: impl Iterator<Item = &'p ReferenceOr<Parameter>>,
        list_pointer: &'l At<'l>,
    ) -> Vec<(&'p Parameter, At<'l>)>
    where
        'a: 'p,
    {
        let mut distinct: Vec<(&Parameter, At<'l>)> = Vec::new();
        for (index, parameter) in parameters.enumerate() {
            let parameter_pointer = list_pointer.index(index);
            let Some(parameter) = self.resolve_parameter(parameter) else {
                self.note(
                    parameter_pointer,
                    "the parameter reference names nothing; ignored",
                );
                continue;
            };
            if !distinct
                .iter()
                .any(|(seen, _)| same_parameter(seen, parameter))
            {
                distinct.push((parameter, parameter_pointer));
            }
        }
        distinct
    }

    /// The one value a parameter's schema allows, as sent: a string, a number or a
    /// boolean `enum` of one.
    fn only_value(&self, format: &ParameterSchemaOrContent) -> Option<String> {
        let ParameterSchemaOrContent::Schema(schema) = format else {
            return None;
        };
        let Some(SchemaKind::Type(ty)) = self.resolve(schema).map(|schema| &schema.schema_kind)
        else {
            return None;
        };
        match ty {
            Type::String(string) => only(&string.enumeration),
            Type::Integer(integer) => only(&integer.enumeration),
            Type::Number(number) => only(&number.enumeration),
            Type::Boolean(boolean) => only(&boolean.enumeration),
            Type::Object(_) | Type::Array(_) => None,
        }
    }

    /// A required string argument for each placeholder of the path that no parameter
    /// declares, after the declared path parameters. Specs forget them (a parameter declared
    /// on one method of a path item and not the others); without one, every call would go to
    /// the placeholder's literal text.
    fn undeclared_path_parameters(
        &mut self,
        path: &str,
        params: &mut Vec<Param>,
        pointer: At<'_>,
        scope: &mut Scope,
    ) {
        let mut at = params
            .iter()
            .take_while(|param| param.location == ParamLocation::Path)
            .count();
        for part in template_parts(path) {
            let TemplatePart::Placeholder(name) = part else {
                continue;
            };
            let declared = params
                .iter()
                .any(|param| param.location == ParamLocation::Path && param.wire_name == name);
            if declared {
                continue;
            }
            self.note(
                pointer,
                format!("path placeholder `{{{name}}}` has no parameter; it is a required string argument"),
            );
            params.insert(
                at,
                Param {
                    wire_name: SmolStr::new(name),
                    name: scope.claim(self.spellings.value_name(name)),
                    location: ParamLocation::Path,
                    ty: TypeRef::Primitive(Primitive::String),
                    required: true,
                    style: QueryStyle::Form { explode: false },
                    as_json: false,
                    docs: Docs {
                        description: Some(smol_str::format_smolstr!(
                            "The `{{{name}}}` of the path, which the spec does not declare as a parameter."
                        )),
                        ..Docs::default()
                    },
                    deprecated: false,
                },
            );
            at += 1;
        }
    }

    /// A server the operation (or its path) names apart from the document's (Pinecone's
    /// vector operations go to a host of their own, Nexmo's balance to `rest.nexmo.com`),
    /// noted. A full URL is returned, for calls to go there while the client's base URL is
    /// the document's; a relative one, or one with a variable left, is only noted.
    fn own_server(&mut self, site: &Site<'_>, pointer: At<'_>) -> Option<String> {
        let paths = At::Pointer("/paths");
        let path_item = paths.key(site.path);
        let (servers, at) = if site.operation.servers.is_empty() {
            (site.path_servers, path_item.key("servers"))
        } else {
            (&site.operation.servers[..], pointer.key("servers"))
        };
        let own = servers.first().map(server_url)?;
        let document = self.document.servers.first().map(server_url);
        if document.as_ref() == Some(&own) {
            return None;
        }
        if is_full_url(&own) && document.as_deref().is_some_and(is_full_url) {
            self.note(
                at,
                format!("the operation is served from `{own}`, not the document's server; a client whose base URL is the document's sends it there, one given another base URL (a sandbox) sends it to that one"),
            );
            return Some(own);
        }
        // An empty URL is relative: the location the document itself is served from
        // (InfluxDB's `/health`, outside the document's `/api/v2`).
        let served_from = if own.is_empty() {
            "the location of the document itself (an empty server URL)".to_owned()
        } else {
            format!("`{own}`")
        };
        self.note(
            at,
            format!("the operation is served from {served_from}, not the document's server; a client sends it to its base URL, so call it on `client.with_base_url(...)` with that one"),
        );
        None
    }

    /// Splits the template into literal text and parameters (every placeholder has one:
    /// see [`Self::undeclared_path_parameters`]).
    fn path_segments(
        &mut self,
        template: &str,
        params: &[Param],
        pointer: At<'_>,
    ) -> Vec<PathSegment> {
        let (sent, fragment) = split_fragment(template);
        if let Some(fragment) = fragment {
            self.note(
                pointer,
                format!("`#{fragment}` in the path is a URL fragment, which is never sent; the request goes to `{sent}`"),
            );
        }
        // A path is appended to the server URL, which it must start a segment of.
        let slashed;
        let sent = if sent.is_empty() || sent.starts_with('/') {
            sent
        } else {
            slashed = format!("/{sent}");
            self.note(
                pointer,
                format!(
                    "the path `{sent}` does not start with `/`; the request goes to `{slashed}`"
                ),
            );
            &slashed
        };
        let sent = braced_colon_segments(sent, params);
        template_parts(&sent)
            .map(|part| match part {
                TemplatePart::Literal(text) => PathSegment::Literal(text.into()),
                TemplatePart::Placeholder(name) => params
                    .iter()
                    .position(|param| {
                        param.location == ParamLocation::Path && param.wire_name == name
                    })
                    .map_or_else(
                        || PathSegment::Literal(smol_str::format_smolstr!("{{{name}}}")),
                        PathSegment::Param,
                    ),
            })
            .collect()
    }

    /// The body of an operation, in the first kind of media type it accepts (JSON, form,
    /// multipart, text, raw bytes, in that order), and in each other kind it accepts, with
    /// the name of that kind. Of several media types of one kind, the first is used and the
    /// others noted.
    fn request_bodies(
        &mut self,
        body: &SpecRequestBody,
        operation: &str,
        pointer: At<'_>,
    ) -> Option<(RequestBody, Vec<(&'static str, RequestBody)>)> {
        let mut firsts: Vec<(MediaKind, &SmolStr, &MediaType)> = Vec::new();
        let mut unused = Vec::new();
        // A media range (`application/*+json`, `*/*`) names what the server accepts, not a
        // type a request can carry: of one kind, a concrete type is sent before a range.
        let mut entries: Vec<_> = body.content.iter().collect();
        entries.sort_by_key(|(media, _)| media.as_bytes().contains(&b'*'));
        for (media, content) in entries {
            let kind = MediaKind::of(media);
            if firsts.iter().any(|(first, _, _)| *first == kind) {
                unused.push(media.as_str());
            } else {
                firsts.push((kind, media, content));
            }
        }
        firsts.sort_by_key(|(kind, _, _)| *kind);
        if !unused.is_empty() {
            let sent: Vec<String> = firsts
                .iter()
                .map(|(_, media, _)| format!("`{media}`"))
                .collect();
            self.note(
                pointer,
                format!(
                    "the body is sent as {}; also accepted: {}",
                    sent.join(" or "),
                    unused.join(", ")
                ),
            );
        }
        let (&(kind, media, content), others) = firsts.split_first()?;
        let primary = self.request_body(
            body,
            kind,
            media,
            content,
            &[operation, "Body"].concat(),
            pointer,
        );
        let alternatives = others
            .iter()
            .map(|&(kind, media, content)| {
                let hint = self
                    .spellings
                    .type_name(&format!("{operation}_{}_body", kind.suffix()), "T");
                let body = self.request_body(body, kind, media, content, &hint, pointer);
                (kind.suffix(), body)
            })
            .collect();
        Some((primary, alternatives))
    }

    /// The body as `media` (of `kind`) carries it.
    fn request_body(
        &mut self,
        body: &SpecRequestBody,
        kind: MediaKind,
        media: &str,
        content: &MediaType,
        hint: &str,
        pointer: At<'_>,
    ) -> RequestBody {
        let content_pointer = pointer.key("content");
        let media_pointer = content_pointer.key(media);
        let schema_pointer = media_pointer.key("schema");
        let schema_type = |space: &mut Self| match &content.schema {
            Some(schema) => space.type_of(schema, hint, schema_pointer),
            None => TypeRef::Any,
        };
        let docs = Docs {
            description: body.description.clone(),
            ..Docs::default()
        };
        let media = &sendable(kind, media);
        let (encoding, ty) = match kind {
            MediaKind::Json => (BodyEncoding::Json(media.to_owned()), schema_type(self)),
            MediaKind::Form => {
                let indexed_arrays = content.encoding.values().any(|encoding| {
                    matches!(encoding.style, Some(openapiv3::QueryStyle::DeepObject))
                });
                (BodyEncoding::Form { indexed_arrays }, schema_type(self))
            }
            MediaKind::Multipart => {
                let ty = self.with_binary_as_bytes(schema_type);
                match self.multipart_parts(&ty) {
                    Some(parts) => (BodyEncoding::Multipart(parts), ty),
                    None => {
                        self.note(pointer, "the multipart body is not an object with properties; the caller builds its parts as a `MultipartForm`");
                        (
                            BodyEncoding::MultipartForm,
                            TypeRef::Primitive(Primitive::Bytes),
                        )
                    }
                }
            }
            MediaKind::Text => (
                BodyEncoding::Text(media.to_owned()),
                TypeRef::Primitive(Primitive::String),
            ),
            MediaKind::Bytes => (
                BodyEncoding::Bytes(media.to_owned()),
                TypeRef::Primitive(Primitive::Bytes),
            ),
        };
        RequestBody {
            encoding,
            ty,
            required: body.required,
            docs,
        }
    }

    /// The parts of a multipart body whose type is `ty`, when it is a struct.
    fn multipart_parts(&self, ty: &TypeRef) -> Option<Vec<MultipartPart>> {
        let TypeRef::Named(id) = ty else { return None };
        let TypeKind::Struct(structure) = &self.types[id.0].kind else {
            return None;
        };
        let parts = structure
            .fields
            .iter()
            .map(|field| MultipartPart {
                wire_name: field.wire_name.clone(),
                field: field.name.clone(),
                file: field.ty == TypeRef::Primitive(Primitive::Bytes),
                required: field.required && !field.nullable,
                deprecated: field.deprecated,
            })
            .collect();
        Some(parts)
    }
}

/// The value of an `enum` of one, as text.
fn only<T: ToString>(enumeration: &[Option<T>]) -> Option<String> {
    match enumeration {
        [Some(value)] => Some(value.to_string()),
        _ => None,
    }
}

/// The names of the query a path template carries (Azure's `/{blob}?comp=metadata`).
fn fixed_query_names(path: &str) -> impl Iterator<Item = &str> {
    let query = split_once_byte(path, b'?').map_or("", |(_, query)| query);
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name))
}

/// A piece of a path template: text sent as written, or a `{placeholder}`'s name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TemplatePart<'a> {
    Literal(&'a str),
    Placeholder(&'a str),
}

/// The pieces of `template` in order. An unclosed `{` is literal text.
fn template_parts(template: &str) -> impl Iterator<Item = TemplatePart<'_>> {
    let mut rest = template;
    let mut placeholder_next = None;
    std::iter::from_fn(move || {
        if let Some(name) = placeholder_next.take() {
            return Some(TemplatePart::Placeholder(name));
        }
        if rest.is_empty() {
            return None;
        }
        let found = split_once_byte(rest, b'{').and_then(|(literal, opened)| {
            let (name, after) = split_once_byte(opened, b'}')?;
            Some((literal, name, after))
        });
        let Some((literal, name, after)) = found else {
            return Some(TemplatePart::Literal(std::mem::take(&mut rest)));
        };
        rest = after;
        if literal.is_empty() {
            Some(TemplatePart::Placeholder(name))
        } else {
            placeholder_next = Some(name);
            Some(TemplatePart::Literal(literal))
        }
    })
}

/// Whether `path` writes the placeholder of parameter `name` Express-style, as a whole
/// segment `:name` (Meilisearch's `/tasks/:taskUid`).
fn has_colon_segment(path: &str, name: &str) -> bool {
    colon_segment_position(path, name).is_some()
}

/// Where `path` has the segment `:name`.
fn colon_segment_position(path: &str, name: &str) -> Option<usize> {
    if !path.as_bytes().contains(&b':') {
        return None;
    }
    let mut offset = 0;
    for segment in path.split('/') {
        if segment.strip_prefix(':') == Some(name) {
            return Some(offset);
        }
        offset += segment.len() + 1;
    }
    None
}

/// `path` with each `:name` segment of a path parameter in `params` written `{name}`, where
/// the path has no `{name}` of its own.
fn braced_colon_segments<'p>(path: &'p str, params: &[Param]) -> Cow<'p, str> {
    let placeholder = |segment: &'p str| {
        segment.strip_prefix(':').filter(|name| {
            params
                .iter()
                .any(|param| param.location == ParamLocation::Path && param.wire_name == *name)
                && braced_position(path, name).is_none()
        })
    };
    // Most paths have no `:` at all, which one byte search finds out.
    if !path.as_bytes().contains(&b':')
        || !path
            .split('/')
            .any(|segment| placeholder(segment).is_some())
    {
        return Cow::Borrowed(path);
    }
    let segments: Vec<Cow<str>> = path
        .split('/')
        .map(|segment| match placeholder(segment) {
            Some(name) => Cow::Owned(braced(name)),
            None => Cow::Borrowed(segment),
        })
        .collect();
    Cow::Owned(segments.join("/"))
}

/// A path template's part a request carries, and its `#fragment`: never sent, but specs
/// converted from AWS write one to tell apart operations that share a path
/// (`/credentials#role_name&account_id`).
fn split_fragment(template: &str) -> (&str, Option<&str>) {
    match split_once_byte(template, b'#') {
        Some((sent, fragment)) => (sent, Some(fragment)),
        None => (template, None),
    }
}

/// The `Content-Type` a body of `kind` is sent with when the spec names it by `media`: the
/// type itself, or for a range (`*/*`, `application/*+json`, `text/*`), which no request
/// can carry, the plain type of that kind.
fn sendable(kind: MediaKind, media: &str) -> String {
    if !media.as_bytes().contains(&b'*') {
        return media.to_owned();
    }
    match kind {
        MediaKind::Json => "application/json",
        MediaKind::Text => "text/plain",
        _ => "application/octet-stream",
    }
    .to_owned()
}

/// Where `path` writes the placeholder of `name` (`{name}`, or a `:name` segment); past
/// the end when it writes none.
fn placeholder_position(path: &str, name: &str) -> usize {
    braced_position(path, name)
        .or_else(|| colon_segment_position(path, name))
        .unwrap_or(usize::MAX)
}

/// The placeholder of the path parameter `name`: `{name}`.
fn braced(name: &str) -> String {
    ["{", name, "}"].concat()
}

/// Where `path` first writes `{name}`, found from its `{`s (a path has few) without writing
/// the placeholder out: every path parameter of every operation is looked for.
fn braced_position(path: &str, name: &str) -> Option<usize> {
    memchr::memchr_iter(b'{', path.as_bytes()).find(|&open| {
        let inside = &path[open + 1..];
        inside.starts_with(name) && inside[name.len()..].starts_with('}')
    })
}

/// Whether two parameters are the same one: the same name in the same location.
fn same_parameter(one: &Parameter, other: &Parameter) -> bool {
    one.parameter_data_ref().name == other.parameter_data_ref().name
        && std::mem::discriminant(one) == std::mem::discriminant(other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braced_position_finds_whole_placeholders_only() {
        assert_eq!(braced_position("/pets/{id}", "id"), Some(6));
        assert_eq!(braced_position("/{idx}/{id}", "id"), Some(7));
        assert_eq!(braced_position("/id/{pid}", "id"), None);
        assert_eq!(braced_position("/{id", "id"), None);
        for (path, name) in [("/a/{a}/{a}", "a"), ("/{x}{xx}", "xx"), ("/", "a")] {
            assert_eq!(braced_position(path, name), path.find(&braced(name)));
        }
    }
}
