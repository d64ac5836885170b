//! The `Client` type: construction, configuration and credentials.

use super::code::{Code, Name};
use super::{docs, Emitter};
use crate::ir::{is_full_url, Docs, OAuth2Flows, SecurityKind, SmolStr};

impl Emitter<'_> {
    pub(crate) fn client(&self) -> Code {
        let runtime = self.runtime;
        let api = self.api;
        let title = format!(
            "A client for {} (version {}).",
            api.title.trim(),
            api.version.trim()
        );
        let summary = self.doc_lines(&docs::sanitize(&title));
        let description = self.doc_attributes(
            &Docs {
                description: api.description.as_deref().map(SmolStr::new),
                ..Docs::default()
            },
            &signing_doc(api),
        );
        let default_base_url = api.default_base_url().map(|url| {
            let doc = self.doc_lines(&docs::sanitize(&default_base_url_doc(url)));
            code! {
                #doc
                pub const DEFAULT_BASE_URL: &'static str = #url;
            }
        });
        // Providers name their environments as servers (production, sandbox, a region).
        let servers = (api.servers.len() > 1).then(|| {
            let lines: Vec<String> = api
                .servers
                .iter()
                .map(|server| match &server.description {
                    Some(description) => format!("- `{}`: {description}", server.url),
                    None => format!("- `{}`", server.url),
                })
                .collect();
            let doc = self.doc_lines(&docs::sanitize(&format!(
                "Every server the spec names, first the default (a base URL for `new`):\n{}",
                lines.join("\n")
            )));
            let urls = api.servers.iter().map(|server| &server.url);
            code! {
                #doc
                pub const SERVERS: &'static [&'static str] = &[#(#urls),*];
            }
        });
        let schemes = api.security_schemes.iter().map(|scheme| {
            let name = &scheme.name;
            let kind = match &scheme.kind {
                SecurityKind::ApiKeyHeader(key) => code!(#runtime::SchemeKind::ApiKey { location: #runtime::ApiKeyLocation::Header, name: #key }),
                SecurityKind::ApiKeyQuery(key) => code!(#runtime::SchemeKind::ApiKey { location: #runtime::ApiKeyLocation::Query, name: #key }),
                SecurityKind::ApiKeyCookie(key) => code!(#runtime::SchemeKind::ApiKey { location: #runtime::ApiKeyLocation::Cookie, name: #key }),
                SecurityKind::Bearer | SecurityKind::OAuth2(_) => code!(#runtime::SchemeKind::Bearer),
                SecurityKind::Basic => code!(#runtime::SchemeKind::Basic),
            };
            code!(#runtime::SecurityScheme { name: #name, kind: #kind })
        });
        let setters = api.security_schemes.iter().map(|scheme| {
            let setter = Name::new(&scheme.setter);
            let name = &scheme.name;
            let how = match &scheme.kind {
                SecurityKind::ApiKeyHeader(key) => format!("an API key sent in the `{key}` header"),
                SecurityKind::ApiKeyQuery(key) => format!("an API key sent as the `{key}` query parameter"),
                SecurityKind::ApiKeyCookie(key) => format!("an API key sent as the `{key}` cookie"),
                SecurityKind::Bearer | SecurityKind::OAuth2(_) => "a bearer token".to_owned(),
                SecurityKind::Basic => "a user name and password (HTTP basic)".to_owned(),
            };
            let pass = match scheme.kind {
                SecurityKind::Basic => "",
                SecurityKind::Bearer | SecurityKind::OAuth2(_) => " Pass the token (a `&str`, `String` or `tether::Secret`), or a `tether::TokenSource` that fetches it.",
                _ => " Pass the key (a `&str`, `String` or `tether::Secret`), or a `tether::TokenSource` that fetches it.",
            };
            let extra = [format!("A client like this one that authenticates with `{name}`: {how}.{pass}")];
            let doc = self.doc_attributes(&scheme.docs, &extra);
            match scheme.kind {
                SecurityKind::Basic => code! {
                    #doc
                    pub fn #setter(&self, username: impl Into<String>, password: impl Into<#runtime::Secret>) -> Self {
                        let credential = #runtime::Credential::Basic { username: username.into(), password: password.into() };
                        Client { http: self.http.with_credential(#name, credential) }
                    }
                },
                _ => {
                    let flows = match &scheme.kind {
                        SecurityKind::OAuth2(flows) => self.oauth2_setters(&scheme.setter, flows),
                        _ => Code::new(),
                    };
                    code! {
                        #doc
                        pub fn #setter(&self, credential: impl Into<#runtime::Credential>) -> Self {
                            Client { http: self.http.with_credential(#name, credential.into()) }
                        }
                        #flows
                    }
                }
            }
        });
        code! {
            #summary
            #[doc = ""]
            #description
            #[derive(Clone, Debug)]
            pub struct Client {
                http: #runtime::HttpClient,
            }

            impl Client {
                #default_base_url
                #servers

                const SECURITY_SCHEMES: &'static [#runtime::SecurityScheme] = &[#(#schemes),*];

                /// A client for the API at `base_url`, with default timeouts and retries.
                pub fn new(base_url: &str) -> Result<Self, #runtime::ConfigError> {
                    Self::from_config(#runtime::ClientConfig::new(base_url))
                }

                /// A client built from a full configuration (timeouts, retries, user agent).
                pub fn from_config(config: #runtime::ClientConfig) -> Result<Self, #runtime::ConfigError> {
                    let http = #runtime::HttpClient::new(config, Self::SECURITY_SCHEMES)?;
                    Ok(Client { http })
                }

                /// The base URL requests go to.
                pub fn base_url(&self) -> &str {
                    self.http.base_url()
                }

                /// A client like this one whose calls go to `base_url` (another
                /// environment, a sandbox, a proxy). The two share their connections,
                /// credentials, rate limits and retry budget.
                pub fn with_base_url(&self, base_url: &str) -> Result<Self, #runtime::ConfigError> {
                    Ok(Client { http: self.http.with_base_url(base_url)? })
                }

                #(#setters)*
            }
        }
    }
}

/// What the client's docs say about the schemes a request signer must send, if any.
fn signing_doc(api: &crate::ir::Api) -> Vec<String> {
    if api.signed_schemes.is_empty() {
        return Vec::new();
    }
    let schemes: Vec<String> = api
        .signed_schemes
        .iter()
        .map(|scheme| format!("`{}` ({})", scheme.name, scheme.kind))
        .collect();
    vec![format!(
        "The spec also authenticates with {}, computed from each request, which tether \
         cannot send from a credential: build the client with `from_config` and \
         `tether::ClientConfig::sign_requests`, whose signer adds it to each request.",
        schemes.join(", ")
    )]
}

impl Emitter<'_> {
    /// The methods that run a scheme's OAuth2 flows, each through the scheme's own setter.
    fn oauth2_setters(&self, setter: &str, flows: &OAuth2Flows) -> Code {
        let runtime = self.runtime;
        let scheme_setter = Name::new(setter);
        let client_credentials = flows.client_credentials.as_ref().map(|flow| {
            let method = Name::new(&flow.setter);
            let url = &flow.token_url;
            let doc = format!(
                " A client like this one that gets its tokens with the OAuth2 client-credentials flow from `{url}` (resolved against the base URL when relative), fetching a new one before it expires. For scopes or another token URL, give a `ClientCredentialsGrant` to [`Client::{setter}`]."
            );
            code! {
                #[doc = #doc]
                pub fn #method(&self, client: #runtime::OAuth2Client) -> Self {
                    self.#scheme_setter(#runtime::ClientCredentialsGrant::new(#url, client))
                }
            }
        });
        let authorization_code = flows.authorization_code.as_ref().map(|flow| {
            let method = Name::new(&flow.setter);
            let url = flow.refresh_url.as_ref().unwrap_or(&flow.token_url);
            let doc = format!(
                " A client like this one that sends a user's access token from the OAuth2 authorization-code flow, and refreshes it at `{url}` with the refresh token when the provider rejects it."
            );
            code! {
                #[doc = #doc]
                pub fn #method(&self, client: #runtime::OAuth2Client, access_token: impl Into<#runtime::Secret>, refresh_token: impl Into<#runtime::Secret>) -> Self {
                    let grant = #runtime::RefreshTokenGrant::new(#url, client, refresh_token)
                        .access_token(#runtime::AccessToken::new(access_token));
                    self.#scheme_setter(grant)
                }
            }
        });
        code!(#client_credentials #authorization_code)
    }
}

/// What `DEFAULT_BASE_URL` is, and what to give `Client::new` when it cannot be called as
/// the spec writes it.
fn default_base_url_doc(url: &str) -> String {
    if is_full_url(url) {
        format!("The base URL the spec names first: `{url}`.")
    } else if url.is_empty() {
        "The base URL the spec names first is empty, which means where the document itself is served from: give `new` the full URL.".to_owned()
    } else if url.contains('{') {
        format!("The base URL the spec names first, `{url}`, has a placeholder the spec gives no value: give `new` the URL with it filled in.")
    } else {
        format!("The base URL the spec names first, `{url}`, is relative to where the API is served: give `new` the full URL.")
    }
}
