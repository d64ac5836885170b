//! Operations: parameters, request body, responses and security of each path + method.

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody as SpecRequestBody};

use super::naming::{self, Scope};
use super::reference::component_name;
use super::responses::{self, is_json, ErrorTypes};
use super::schema::TypeSpace;
use super::security;
use super::{
    BodyEncoding, Docs, MultipartPart, Operation, Param, ParamLocation, PathSegment, Primitive,
    QueryStyle, RequestBody, SecurityScheme, TypeKind, TypeRef,
};
use crate::diagnostics::pointer_push;

/// Header parameters OpenAPI says to ignore: the client sets these itself.
const IGNORED_HEADERS: [&str; 3] = ["accept", "content-type", "authorization"];

/// Builder methods that parameters may not shadow.
const BUILDER_METHODS: [&str; 7] = [
    "send",
    "options",
    "into_future",
    "body",
    "items",
    "pages",
    "resume_from",
];

/// What every operation of a document shares while it is lowered.
pub(crate) struct OperationContext<'s> {
    pub(crate) schemes: &'s [SecurityScheme],
    pub(crate) errors: ErrorTypes,
    pub(crate) methods: Scope,
}

/// One path + method, as found in the document.
pub(crate) struct Site<'d> {
    pub(crate) path: &'d str,
    /// The method as it is sent (`GET`, or `QUERY` and others of OpenAPI 3.2).
    pub(crate) http_method: String,
    /// Where the operation is written.
    pub(crate) pointer: String,
    pub(crate) operation: &'d openapiv3::Operation,
    pub(crate) path_parameters: &'d [ReferenceOr<Parameter>],
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

    pub(crate) fn component_response(&self, reference: &str) -> Option<&'a openapiv3::Response> {
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
        let operation = site.operation;
        let pointer = site.pointer.clone();
        let id = operation
            .operation_id
            .clone()
            .filter(|id| !id.trim().is_empty())
            .unwrap_or_else(|| format!("{} {}", site.http_method, site.path));
        let operation_name = naming::operation_name(&id, shorten);
        let type_name = naming::type_name(&operation_name, "Op");
        let method_name = context.methods.claim(&operation_name);

        let mut scope = Scope::with_reserved(&BUILDER_METHODS);
        let body = operation.request_body.as_ref().and_then(|body| {
            let body_pointer = pointer_push(&pointer, "requestBody");
            match self.resolve_body(body) {
                Some(body) => self.request_body(body, &type_name, &body_pointer),
                None => {
                    self.note(
                        &body_pointer,
                        "the request body reference names nothing; the operation takes no body",
                    );
                    None
                }
            }
        });
        let params = self.parameters(site, &type_name, &pointer, &mut scope);
        let path_segments = self.path_segments(site.path, &params, &pointer);
        let error_when = self.error_when(operation, &pointer);
        let (success, error) = self.responses(
            &operation.responses,
            &type_name,
            error_when.as_ref(),
            &mut context.errors,
            &pointer,
        );
        let response_headers = self.response_headers(&operation.responses);
        let security = security::requirements(
            operation.security.as_ref(),
            self.document.security.as_ref(),
            context.schemes,
            &pointer,
            &mut self.notes,
        );
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
            tags: operation.tags.clone(),
            params,
            body,
            success,
            success_status: responses::success_status(&operation.responses),
            error,
            error_when,
            security,
            response_headers,
            pagination: None,
        }
    }

    /// The names of every response header documented for the operation, once each.
    fn response_headers(&self, responses: &openapiv3::Responses) -> Vec<String> {
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

    /// Path-item and operation parameters (the operation's win on the same name and
    /// location), path parameters first.
    fn parameters(
        &mut self,
        site: &Site<'_>,
        operation: &str,
        pointer: &str,
        scope: &mut Scope,
    ) -> Vec<Param> {
        let mut merged: Vec<(&Parameter, String)> = Vec::new();
        let own = site
            .operation
            .parameters
            .iter()
            .enumerate()
            .map(|(index, p)| {
                (
                    p,
                    pointer_push(&pointer_push(pointer, "parameters"), &index.to_string()),
                )
            });
        let path_level_pointer = pointer_push(&pointer_push("/paths", site.path), "parameters");
        let inherited = site
            .path_parameters
            .iter()
            .enumerate()
            .map(|(index, p)| (p, pointer_push(&path_level_pointer, &index.to_string())));
        for (parameter, parameter_pointer) in own.chain(inherited) {
            let Some(parameter) = self.resolve_parameter(parameter) else {
                self.note(
                    &parameter_pointer,
                    "the parameter reference names nothing; ignored",
                );
                continue;
            };
            let data = parameter.parameter_data_ref();
            let duplicate = merged.iter().any(|(existing, _)| {
                existing.parameter_data_ref().name == data.name
                    && std::mem::discriminant(*existing) == std::mem::discriminant(parameter)
            });
            if !duplicate {
                merged.push((parameter, parameter_pointer));
            }
        }
        merged.sort_by_key(|(parameter, _)| !matches!(parameter, Parameter::Path { .. }));
        let mut params = Vec::with_capacity(merged.len());
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
            if location == ParamLocation::Header
                && IGNORED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
            {
                self.note(
                    &parameter_pointer,
                    format!(
                        "header parameter `{}` is set by the client itself; ignored",
                        data.name
                    ),
                );
                continue;
            }
            let hint = format!("{operation}{}", naming::type_name(&data.name, "Param"));
            let schema_pointer = pointer_push(&parameter_pointer, "schema");
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    self.type_of(schema, &hint, &schema_pointer)
                }
                ParameterSchemaOrContent::Content(content) => match content
                    .first()
                    .and_then(|(_, media)| media.schema.as_ref())
                {
                    Some(schema) => {
                        self.type_of(schema, &hint, &pointer_push(&parameter_pointer, "content"))
                    }
                    None => TypeRef::Primitive(Primitive::String),
                },
            };
            params.push(Param {
                wire_name: data.name.clone(),
                name: scope.claim(&naming::value_name(&data.name)),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                style,
                docs: Docs {
                    description: data.description.clone(),
                    ..Docs::default()
                },
                deprecated: data.deprecated.unwrap_or(false),
            });
        }
        params
    }

    /// Splits the template into literal text and parameters. A placeholder with no
    /// declared parameter gets a string parameter of its own.
    fn path_segments(
        &mut self,
        template: &str,
        params: &[Param],
        pointer: &str,
    ) -> Vec<PathSegment> {
        let mut segments = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|offset| open + offset) else {
                break;
            };
            if open > 0 {
                segments.push(PathSegment::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            match params
                .iter()
                .position(|param| param.location == ParamLocation::Path && param.wire_name == name)
            {
                Some(index) => segments.push(PathSegment::Param(index)),
                None => {
                    self.note(pointer, format!("path placeholder `{{{name}}}` has no parameter; it is left in the path as written"));
                    segments.push(PathSegment::Literal(rest[open..=close].to_owned()));
                }
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        segments
    }

    fn request_body(
        &mut self,
        body: &SpecRequestBody,
        operation: &str,
        pointer: &str,
    ) -> Option<RequestBody> {
        let content_pointer = pointer_push(pointer, "content");
        let rank = |media: &str| {
            let essence = media
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if is_json(&essence) {
                0
            } else if essence == "application/x-www-form-urlencoded" {
                1
            } else if essence == "multipart/form-data" {
                2
            } else if essence.starts_with("text/") {
                3
            } else {
                4
            }
        };
        let (media, content) = body.content.iter().min_by_key(|(media, _)| rank(media))?;
        if body.content.len() > 1 {
            let others: Vec<&str> = body
                .content
                .keys()
                .filter(|other| *other != media)
                .map(String::as_str)
                .collect();
            self.note(
                pointer,
                format!(
                    "the body is sent as `{media}`; also accepted: {}",
                    others.join(", ")
                ),
            );
        }
        let hint = format!("{operation}Body");
        let schema_pointer = pointer_push(&pointer_push(&content_pointer, media), "schema");
        let schema_type = |space: &mut Self| match &content.schema {
            Some(schema) => space.type_of(schema, &hint, &schema_pointer),
            None => TypeRef::Any,
        };
        let docs = Docs {
            description: body.description.clone(),
            ..Docs::default()
        };
        let (encoding, ty) = match rank(media) {
            0 => (BodyEncoding::Json(media.clone()), schema_type(self)),
            1 => {
                let indexed_arrays = content.encoding.values().any(|encoding| {
                    matches!(encoding.style, Some(openapiv3::QueryStyle::DeepObject))
                });
                (BodyEncoding::Form { indexed_arrays }, schema_type(self))
            }
            2 => {
                let ty = self.with_binary_as_bytes(schema_type);
                match self.multipart_parts(&ty) {
                    Some(parts) => (BodyEncoding::Multipart(parts), ty),
                    None => {
                        self.note(pointer, "the multipart body is not an object with properties; it is sent as raw bytes");
                        (
                            BodyEncoding::Bytes(media.clone()),
                            TypeRef::Primitive(Primitive::Bytes),
                        )
                    }
                }
            }
            3 => (
                BodyEncoding::Text(media.clone()),
                TypeRef::Primitive(Primitive::String),
            ),
            _ => (
                BodyEncoding::Bytes(media.clone()),
                TypeRef::Primitive(Primitive::Bytes),
            ),
        };
        Some(RequestBody {
            encoding,
            ty,
            required: body.required,
            docs,
        })
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
            })
            .collect();
        Some(parts)
    }
}
