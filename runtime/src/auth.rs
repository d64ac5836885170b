//! Credentials and where they go: the security schemes a spec declares, and the
//! credentials a user configured for them.

use base64::Engine;
use http::header::{HeaderValue, AUTHORIZATION};

use crate::{ClientCredentialsGrant, RefreshTokenGrant, Secret, TokenSource};

/// Where an API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// In a request header.
    Header,
    /// In a query parameter.
    Query,
    /// In a cookie.
    Cookie,
}

/// How a security scheme from the spec's `securitySchemes` authenticates a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `type: apiKey`: a key under `name` in a header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, parameter or cookie name.
        name: &'static str,
    },
    /// `type: http, scheme: bearer`, and OAuth2 / OpenID Connect access tokens.
    Bearer,
    /// `type: http, scheme: basic`.
    Basic,
}

/// One security scheme of a spec, as generated code describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's key in `securitySchemes`.
    pub name: &'static str,
    /// How it authenticates.
    pub kind: SchemeKind,
}

/// A credential configured for one security scheme. A token converts from `&str`,
/// `String` and [`Secret`]; a [`TokenSource`] and the OAuth2 grants convert to
/// [`Credential::Source`].
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// An API key or a bearer token.
    Token(Secret),
    /// Tokens fetched when needed (a bearer or OAuth2 scheme, or an API key).
    Source(TokenSource),
    /// A user name and password for HTTP basic authentication.
    Basic {
        /// The user name (not secret, shown in `Debug`).
        username: String,
        /// The password.
        password: Secret,
    },
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::Token(_) => f.write_str("Token(***)"),
            Credential::Source(source) => write!(f, "Source({source:?})"),
            Credential::Basic { username, .. } => {
                write!(f, "Basic {{ username: {username:?}, password: *** }}")
            }
        }
    }
}

impl From<Secret> for Credential {
    fn from(token: Secret) -> Self {
        Credential::Token(token)
    }
}

impl From<&str> for Credential {
    fn from(token: &str) -> Self {
        Credential::Token(token.into())
    }
}

impl From<String> for Credential {
    fn from(token: String) -> Self {
        Credential::Token(token.into())
    }
}

impl From<TokenSource> for Credential {
    fn from(source: TokenSource) -> Self {
        Credential::Source(source)
    }
}

impl From<ClientCredentialsGrant> for Credential {
    fn from(grant: ClientCredentialsGrant) -> Self {
        Credential::Source(grant.into())
    }
}

impl From<RefreshTokenGrant> for Credential {
    fn from(grant: RefreshTokenGrant) -> Self {
        Credential::Source(grant.into())
    }
}

/// What a credential adds to a request.
pub(crate) enum Placement {
    Header(http::HeaderName, HeaderValue),
    Query(&'static str, String),
    /// A `name=value` pair for the `Cookie` header, beside the operation's own cookies.
    Cookie(HeaderValue),
}

/// The header or query parameter that carries `credential` for `scheme`, or why it cannot.
/// A [`Credential::Source`] is given here as the token it yielded.
pub(crate) fn placement(
    scheme: &SecurityScheme,
    credential: &Credential,
) -> Result<Placement, String> {
    let sensitive = |text: String| {
        HeaderValue::from_str(&text)
            .map(|mut value| {
                value.set_sensitive(true);
                value
            })
            .map_err(|_| {
                format!(
                    "the credential for `{}` is not valid header text",
                    scheme.name
                )
            })
    };
    match (scheme.kind, credential) {
        (SchemeKind::Bearer, Credential::Token(token)) => Ok(Placement::Header(
            AUTHORIZATION,
            sensitive(format!("Bearer {}", token.expose()))?,
        )),
        (SchemeKind::Basic, Credential::Basic { username, password }) => {
            let pair = format!("{username}:{}", password.expose());
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            Ok(Placement::Header(
                AUTHORIZATION,
                sensitive(format!("Basic {encoded}"))?,
            ))
        }
        (SchemeKind::ApiKey { location, name }, Credential::Token(key)) => match location {
            ApiKeyLocation::Header => {
                let header = http::HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| format!("`{name}` is not a valid header name"))?;
                Ok(Placement::Header(
                    header,
                    sensitive(key.expose().to_owned())?,
                ))
            }
            ApiKeyLocation::Query => Ok(Placement::Query(name, key.expose().to_owned())),
            ApiKeyLocation::Cookie => Ok(Placement::Cookie(sensitive(format!(
                "{name}={}",
                key.expose()
            ))?)),
        },
        _ => Err(format!(
            "the credential configured for `{}` is of the wrong kind for that scheme",
            scheme.name
        )),
    }
}
