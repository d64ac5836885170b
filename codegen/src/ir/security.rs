//! Security schemes and per-operation requirements.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement};

use super::naming::{self, Scope};
use super::{Docs, SecurityKind, SecurityScheme};
use crate::diagnostics::{pointer_push, Note};

/// The schemes of the document that tether can authenticate with, each with the name of
/// the client method that sets its credential (claimed in `methods`).
pub(crate) fn schemes(
    document: &openapiv3::OpenAPI,
    methods: &mut Scope,
    notes: &mut Vec<Note>,
) -> Vec<SecurityScheme> {
    let Some(components) = &document.components else {
        return Vec::new();
    };
    let mut schemes = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let pointer = pointer_push("/components/securitySchemes", name);
        let ReferenceOr::Item(scheme) = scheme else {
            notes.push(Note::new(
                pointer,
                "a referenced security scheme is not supported; ignored",
            ));
            continue;
        };
        let (kind, description) = match scheme {
            openapiv3::SecurityScheme::APIKey {
                location,
                name,
                description,
                ..
            } => {
                let kind = match location {
                    APIKeyLocation::Header => SecurityKind::ApiKeyHeader(name.clone()),
                    APIKeyLocation::Query => SecurityKind::ApiKeyQuery(name.clone()),
                    APIKeyLocation::Cookie => SecurityKind::ApiKeyCookie(name.clone()),
                };
                (kind, description)
            }
            openapiv3::SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } => match scheme.to_ascii_lowercase().as_str() {
                "bearer" => (SecurityKind::Bearer, description),
                "basic" => (SecurityKind::Basic, description),
                other => {
                    notes.push(Note::new(pointer, format!("HTTP `{other}` authentication is not supported; operations that need only it are sent without credentials")));
                    continue;
                }
            },
            openapiv3::SecurityScheme::OAuth2 { description, .. }
            | openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                (SecurityKind::Bearer, description)
            }
        };
        schemes.push(SecurityScheme {
            name: name.clone(),
            setter: methods.claim(&format!("with_{}", naming::value_name(name))),
            kind,
            docs: Docs {
                description: description.clone(),
                ..Docs::default()
            },
        });
    }
    schemes
}

/// The effective requirements of an operation: its own, else the document's. Each
/// alternative lists scheme names; an empty alternative means "no credentials needed".
pub(crate) fn requirements(
    own: Option<&Vec<SecurityRequirement>>,
    document: Option<&Vec<SecurityRequirement>>,
    schemes: &[SecurityScheme],
    pointer: &str,
    notes: &mut Vec<Note>,
) -> Vec<Vec<String>> {
    let Some(requirements) = own.or(document) else {
        return Vec::new();
    };
    let known = |name: &String| schemes.iter().any(|scheme| &scheme.name == name);
    let usable: Vec<Vec<String>> = requirements
        .iter()
        .filter(|requirement| requirement.keys().all(known))
        .map(|requirement| requirement.keys().cloned().collect())
        .collect();
    if usable.is_empty() && !requirements.is_empty() {
        notes.push(Note::new(
            pointer,
            "none of the operation's security schemes is supported; it is sent without credentials",
        ));
    }
    usable
}
