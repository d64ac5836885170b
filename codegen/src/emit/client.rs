//! The `Client` type: construction, configuration and credentials.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, Emitter};
use crate::ir::{Docs, SecurityKind};

impl Emitter<'_> {
    pub(crate) fn client(&self) -> TokenStream {
        let runtime = self.runtime;
        let api = self.api;
        let title = format!(
            "A client for {} (version {}).",
            api.title.trim(),
            api.version.trim()
        );
        let summary = docs::lines(&docs::sanitize(&title));
        let description = docs::attributes(
            &Docs {
                description: api.description.clone(),
                ..Docs::default()
            },
            &[],
        );
        let default_base_url = api.default_base_url.as_ref().map(|url| {
            let doc = format!(" The base URL the spec names first: `{url}`.");
            quote! {
                #[doc = #doc]
                pub const DEFAULT_BASE_URL: &'static str = #url;
            }
        });
        let schemes = api.security_schemes.iter().map(|scheme| {
            let name = &scheme.name;
            let kind = match &scheme.kind {
                SecurityKind::ApiKeyHeader(key) => quote!(#runtime::SchemeKind::ApiKey { location: #runtime::ApiKeyLocation::Header, name: #key }),
                SecurityKind::ApiKeyQuery(key) => quote!(#runtime::SchemeKind::ApiKey { location: #runtime::ApiKeyLocation::Query, name: #key }),
                SecurityKind::ApiKeyCookie(key) => quote!(#runtime::SchemeKind::ApiKey { location: #runtime::ApiKeyLocation::Cookie, name: #key }),
                SecurityKind::Bearer => quote!(#runtime::SchemeKind::Bearer),
                SecurityKind::Basic => quote!(#runtime::SchemeKind::Basic),
            };
            quote!(#runtime::SecurityScheme { name: #name, kind: #kind })
        });
        let setters = api.security_schemes.iter().map(|scheme| {
            let setter = ident(&scheme.setter);
            let name = &scheme.name;
            let how = match &scheme.kind {
                SecurityKind::ApiKeyHeader(key) => format!("an API key sent in the `{key}` header"),
                SecurityKind::ApiKeyQuery(key) => format!("an API key sent as the `{key}` query parameter"),
                SecurityKind::ApiKeyCookie(key) => format!("an API key sent as the `{key}` cookie"),
                SecurityKind::Bearer => "a bearer token".to_owned(),
                SecurityKind::Basic => "a user name and password (HTTP basic)".to_owned(),
            };
            let extra = [format!("A client like this one that authenticates with `{name}`: {how}.")];
            let doc = docs::attributes(&scheme.docs, &extra);
            match scheme.kind {
                SecurityKind::Basic => quote! {
                    #doc
                    pub fn #setter(&self, username: impl Into<String>, password: impl Into<#runtime::Secret>) -> Self {
                        let credential = #runtime::Credential::Basic { username: username.into(), password: password.into() };
                        Client { http: self.http.with_credential(#name, credential) }
                    }
                },
                _ => quote! {
                    #doc
                    pub fn #setter(&self, secret: impl Into<#runtime::Secret>) -> Self {
                        Client { http: self.http.with_credential(#name, #runtime::Credential::Token(secret.into())) }
                    }
                },
            }
        });
        quote! {
            #summary
            #[doc = ""]
            #description
            #[derive(Clone, Debug)]
            pub struct Client {
                http: #runtime::HttpClient,
            }

            impl Client {
                #default_base_url

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

                #(#setters)*
            }
        }
    }
}
