//! Security schemes and per-operation requirements.

use openapiv3::{APIKeyLocation, SecurityRequirement};

use crate::diagnostics::At;
use crate::load::ReferenceOr;

use super::naming::{self, Scope};
use super::{Docs, OAuth2Flow, OAuth2Flows, SecurityKind, SecurityScheme, SignedScheme, SmolStr};
use crate::diagnostics::{pointer_push, Note};
use crate::load::Document;

/// How a note tells the user to send a scheme tether cannot.
const SIGN_REQUESTS: &str = "sign requests with `tether::ClientConfig::sign_requests`";

/// The schemes of the document that tether can authenticate with, each with the name of
/// the client method that sets its credential (claimed in `methods`), and those whose
/// credential a request signer must compute.
pub(crate) fn schemes(
    document: &Document,
    methods: &mut Scope,
    notes: &mut Vec<Note>,
) -> (Vec<SecurityScheme>, Vec<SignedScheme>) {
    let Some(components) = &document.components else {
        return (Vec::new(), Vec::new());
    };
    let mut schemes = Vec::new();
    let mut signed = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let pointer = pointer_push("/components/securitySchemes", name);
        let ReferenceOr::Item(scheme) = scheme else {
            notes.push(Note::new(
                pointer,
                "a referenced security scheme is not supported; ignored",
            ));
            continue;
        };
        let (mut kind, description) = match scheme {
            openapiv3::SecurityScheme::APIKey { extensions, .. }
                if extensions
                    .get("x-amazon-apigateway-authtype")
                    .and_then(serde_json::Value::as_str)
                    .is_some_and(|kind| kind.eq_ignore_ascii_case("awsSigv4")) =>
            {
                let kind = "AWS Signature Version 4".to_owned();
                signed.push(needs_signing(name, kind, pointer, notes));
                continue;
            }
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
                    let kind = format!("HTTP `{other}` authentication");
                    signed.push(needs_signing(name, kind, pointer, notes));
                    continue;
                }
            },
            openapiv3::SecurityScheme::OAuth2 { description, .. } => {
                (SecurityKind::OAuth2(OAuth2Flows::default()), description)
            }
            openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                (SecurityKind::Bearer, description)
            }
        };
        let setter = methods.claim(format!("with_{}", naming::value_name(name)));
        // The flows' methods are named after the scheme's, so they are claimed after it.
        if let (SecurityKind::OAuth2(found), openapiv3::SecurityScheme::OAuth2 { flows, .. }) =
            (&mut kind, scheme)
        {
            *found = oauth2_flows(flows, &setter, methods);
        }
        schemes.push(SecurityScheme {
            name: SmolStr::new(name),
            setter,
            kind,
            docs: Docs {
                description: description.as_deref().map(SmolStr::new),
                ..Docs::default()
            },
        });
    }
    (schemes, signed)
}

/// Scheme `name` of `kind`, whose credential is computed from each request, noted.
fn needs_signing(name: &str, kind: String, pointer: String, notes: &mut Vec<Note>) -> SignedScheme {
    notes.push(Note::new(
        pointer,
        format!("{kind} is computed from each request, which tether cannot do from a credential: {SIGN_REQUESTS}"),
    ));
    SignedScheme {
        name: name.to_owned(),
        kind,
    }
}

/// The flows of an OAuth2 scheme that the client runs itself, each with its client method
/// named after the scheme's `setter`.
fn oauth2_flows(flows: &openapiv3::OAuth2Flows, setter: &str, methods: &mut Scope) -> OAuth2Flows {
    let scopes = |scopes: &indexmap::IndexMap<String, String>| scopes.keys().cloned().collect();
    let client_credentials = flows.client_credentials.as_ref().map(|flow| OAuth2Flow {
        setter: methods.claim(format!("{setter}_client_credentials")),
        token_url: flow.token_url.clone(),
        refresh_url: flow.refresh_url.clone(),
        scopes: scopes(&flow.scopes),
    });
    let authorization_code = flows.authorization_code.as_ref().map(|flow| OAuth2Flow {
        setter: methods.claim(format!("{setter}_tokens")),
        token_url: flow.token_url.clone(),
        refresh_url: flow.refresh_url.clone(),
        scopes: scopes(&flow.scopes),
    });
    OAuth2Flows {
        client_credentials,
        authorization_code,
    }
}

/// An `Authorization` header an operation declares as a parameter.
pub(crate) struct AuthorizationParameter {
    /// The name as the spec spells it.
    pub(crate) wire_name: String,
    pub(crate) required: bool,
    pub(crate) description: Option<SmolStr>,
    pub(crate) pointer: String,
}

/// The name, apart from the document's schemes, of a scheme for `Authorization` header
/// parameters: `Authorization` unless the document has a scheme of that name.
pub(crate) fn authorization_scheme_name(
    taken: &[SecurityScheme],
    signed: &[SignedScheme],
) -> String {
    let is_taken = |name: &str| {
        taken.iter().any(|scheme| scheme.name == name)
            || signed.iter().any(|scheme| scheme.name == name)
    };
    std::iter::once("Authorization".to_owned())
        .chain((1..).map(|number| format!("Authorization header {number}")))
        .find(|name| !is_taken(name))
        .unwrap_or_default()
}

/// The scheme `name` for the `Authorization` header parameters of operations that no
/// security scheme covers (specs that declare the header on each operation instead of a
/// scheme), with its client method claimed in `methods`; none without such parameters.
/// The client takes the header's value once, as a credential kept secret, and the
/// operations name the scheme: required where their parameter is, else sent when given.
pub(crate) fn scheme_for_authorization_parameters(
    name: String,
    parameters: &[AuthorizationParameter],
    methods: &mut Scope,
    notes: &mut Vec<Note>,
) -> Option<SecurityScheme> {
    let first = parameters.first()?;
    let setter = methods.claim(format!("with_{}", naming::value_name(&name)));
    let operations = match parameters.len() {
        1 => "1 operation".to_owned(),
        count => format!("{count} operations"),
    };
    notes.push(Note::new(
        &first.pointer,
        format!(
            "the `{}` header parameter of {operations}, which no security scheme covers, is sent from the client's credential (`{setter}`)",
            first.wire_name,
        ),
    ));
    let description = parameters
        .iter()
        .find_map(|parameter| parameter.description.clone());
    Some(SecurityScheme {
        name: SmolStr::from(name),
        setter,
        kind: SecurityKind::ApiKeyHeader(first.wire_name.clone()),
        docs: Docs {
            description,
            notes: vec![format!(
                "The spec declares this header as a parameter of {operations} rather than as a security scheme; its whole value is the credential."
            )],
            ..Docs::default()
        },
    })
}

/// The effective requirements of an operation: its own, else the document's. Each
/// alternative lists scheme names; an empty alternative means "no credentials needed".
/// When no alternative can be sent, also the schemes of `signed` it names: a request
/// signer adds those.
pub(crate) fn requirements(
    own: Option<&Vec<SecurityRequirement>>,
    document: Option<&Vec<SecurityRequirement>>,
    schemes: &[SecurityScheme],
    signed: &[SignedScheme],
    pointer: At<'_>,
    notes: &mut Vec<Note>,
) -> (Vec<Vec<String>>, Vec<String>) {
    let Some(requirements) = own.or(document) else {
        return (Vec::new(), Vec::new());
    };
    let known = |name: &String| schemes.iter().any(|scheme| scheme.name == name);
    let usable: Vec<Vec<String>> = requirements
        .iter()
        .filter(|requirement| requirement.keys().all(known))
        .map(|requirement| requirement.keys().cloned().collect())
        .collect();
    if !usable.is_empty() || requirements.is_empty() {
        return (usable, Vec::new());
    }
    let is_signed = |name: &String| signed.iter().any(|scheme| &scheme.name == name);
    // One scheme may be named by several alternatives, not necessarily in a row.
    let named = |wanted: &dyn Fn(&String) -> bool| {
        let mut names: Vec<String> = requirements
            .iter()
            .flat_map(|requirement| requirement.keys())
            .filter(|name| wanted(name))
            .cloned()
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    };
    let missing = named(&|name| !known(name) && !is_signed(name));
    // A scheme a signer adds is noted where it is declared, once for the whole spec.
    if !missing.is_empty() {
        let missing: Vec<String> = missing.iter().map(|name| format!("`{name}`")).collect();
        notes.push(Note::new(
            pointer,
            format!(
                "the operation's security schemes ({}) are not in `securitySchemes` or of a \
                 kind tether cannot send; it is sent without credentials unless the client \
                 signs its requests (`tether::ClientConfig::sign_requests`)",
                missing.join(", ")
            ),
        ));
    }
    (usable, named(&is_signed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_requirement_on_an_undeclared_scheme_is_named_in_the_note() {
        let own: Vec<SecurityRequirement> = serde_json::from_value(serde_json::json!([
            {"accessCode": ["read"]},
            {"apiKey": []},
            {"accessCode": ["write"]}
        ]))
        .expect("security requirements");
        let mut notes = Vec::new();
        let (sent, signed) = requirements(
            Some(&own),
            None,
            &[],
            &[],
            At::Pointer("/paths/~1x/get"),
            &mut notes,
        );
        assert!(signed.is_empty());
        assert!(sent.is_empty());
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0]
                .message
                .starts_with("the operation's security schemes (`accessCode`, `apiKey`)"),
            "{}",
            notes[0].message
        );
    }

    #[test]
    fn schemes_computed_from_each_request_are_left_to_a_signer() {
        let document: Document = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"securitySchemes": {
                "hmac": {"type": "apiKey", "in": "header", "name": "Authorization",
                         "x-amazon-apigateway-authtype": "awsSigv4"},
                "UserToken": {"type": "http", "scheme": "OAuth"},
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
            }}
        }))
        .expect("a document");
        let mut notes = Vec::new();
        let (schemes, signed) = schemes(&document, &mut Scope::default(), &mut notes);
        let sent: Vec<&str> = schemes.iter().map(|scheme| scheme.name.as_str()).collect();
        assert_eq!(sent, ["key"]);
        let signed: Vec<(&str, &str)> = signed
            .iter()
            .map(|scheme| (scheme.name.as_str(), scheme.kind.as_str()))
            .collect();
        assert_eq!(
            signed,
            [
                ("hmac", "AWS Signature Version 4"),
                ("UserToken", "HTTP `oauth` authentication")
            ]
        );
        assert_eq!(notes.len(), 2);
        assert!(notes
            .iter()
            .all(|note| note.message.contains(SIGN_REQUESTS)));
    }

    #[test]
    fn an_operation_a_signer_authenticates_names_the_scheme_without_a_note() {
        let own: Vec<SecurityRequirement> = serde_json::from_value(
            serde_json::json!([{"UserToken": []}, {"UserToken": ["tweet.read"]}]),
        )
        .expect("security requirements");
        let signed = [SignedScheme {
            name: "UserToken".to_owned(),
            kind: "HTTP `oauth` authentication".to_owned(),
        }];
        let mut notes = Vec::new();
        let (sent, signed_by) = requirements(
            Some(&own),
            None,
            &[],
            &signed,
            At::Pointer("/paths/~1x/get"),
            &mut notes,
        );
        assert!(sent.is_empty());
        assert_eq!(signed_by, ["UserToken"]);
        assert!(notes.is_empty(), "{notes:?}");
    }
}
