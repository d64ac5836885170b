//! OAuth2 grants tether runs itself (RFC 6749): client credentials (section 4.4) and
//! refreshing the tokens of an authorization-code flow (section 6). Each becomes a
//! [`TokenSource`]. The token request goes to the grant's token URL only, carries the
//! client's credentials and nothing of the API's, and follows no redirect elsewhere.

use std::fmt;

use base64::Engine;
use http::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde_json::Value;

use crate::token::{AccessToken, FetchContext, TokenSource};
use crate::Secret;

/// An application registered with the provider's authorization server: its client id and,
/// for a confidential client, its secret.
#[derive(Clone)]
pub struct OAuth2Client {
    id: String,
    secret: Option<Secret>,
    in_body: bool,
}

impl OAuth2Client {
    /// A confidential client. Its id and secret authenticate token requests with HTTP basic
    /// authentication, which every authorization server accepts (RFC 6749, section 2.3.1);
    /// see [`OAuth2Client::credentials_in_body`] for servers that want them in the form.
    pub fn new(id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        OAuth2Client {
            id: id.into(),
            secret: Some(secret.into()),
            in_body: false,
        }
    }

    /// A public client: no secret, its id is sent in the token request's form.
    pub fn public(id: impl Into<String>) -> Self {
        OAuth2Client {
            id: id.into(),
            secret: None,
            in_body: true,
        }
    }

    /// Sends the client id and secret as `client_id` and `client_secret` form fields rather
    /// than in an `Authorization` header (HubSpot, and other servers that require it).
    pub fn credentials_in_body(mut self) -> Self {
        self.in_body = true;
        self
    }
}

impl fmt::Debug for OAuth2Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2Client")
            .field("id", &self.id)
            .field("secret", &self.secret)
            .field("in_body", &self.in_body)
            .finish()
    }
}

/// An OAuth2 grant, with the token URL and client it uses.
pub(crate) struct Grant {
    kind: GrantKind,
    token_url: String,
    client: OAuth2Client,
    scopes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GrantKind {
    ClientCredentials,
    RefreshToken,
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            GrantKind::ClientCredentials => "client credentials",
            GrantKind::RefreshToken => "refresh token",
        };
        write!(
            f,
            "OAuth2 {kind} at {} for client {:?}",
            self.token_url, self.client.id
        )
    }
}

/// The OAuth2 client-credentials grant (RFC 6749, section 4.4): the application gets
/// tokens for itself with its id and secret. Turn it into a [`TokenSource`] with `into()`,
/// or give it to a client's `with_<scheme>` method as it is.
#[derive(Debug)]
pub struct ClientCredentialsGrant {
    grant: Grant,
}

impl ClientCredentialsGrant {
    /// Tokens from `token_url`, which may be relative to the client's base URL.
    pub fn new(token_url: impl Into<String>, client: OAuth2Client) -> Self {
        ClientCredentialsGrant {
            grant: Grant {
                kind: GrantKind::ClientCredentials,
                token_url: token_url.into(),
                client,
                scopes: Vec::new(),
            },
        }
    }

    /// Asks for these scopes; without, the server grants the client's default ones.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.grant.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }
}

impl From<ClientCredentialsGrant> for TokenSource {
    fn from(grant: ClientCredentialsGrant) -> Self {
        TokenSource::oauth2(grant.grant, None, None)
    }
}

/// Tokens a user granted through the authorization-code flow, kept fresh with the refresh
/// token (RFC 6749, section 6). A refresh token the server replaces is used from then on.
#[derive(Debug)]
pub struct RefreshTokenGrant {
    grant: Grant,
    refresh_token: Secret,
    access_token: Option<AccessToken>,
}

impl RefreshTokenGrant {
    /// Refreshes at `token_url` (the flow's `refreshUrl`, else its `tokenUrl`; it may be
    /// relative to the client's base URL). Without [`RefreshTokenGrant::access_token`], the
    /// first call refreshes at once.
    pub fn new(
        token_url: impl Into<String>,
        client: OAuth2Client,
        refresh_token: impl Into<Secret>,
    ) -> Self {
        RefreshTokenGrant {
            grant: Grant {
                kind: GrantKind::RefreshToken,
                token_url: token_url.into(),
                client,
                scopes: Vec::new(),
            },
            refresh_token: refresh_token.into(),
            access_token: None,
        }
    }

    /// The access token the user has now, used until it expires or is rejected.
    pub fn access_token(mut self, token: AccessToken) -> Self {
        self.access_token = Some(token);
        self
    }

    /// Asks for these scopes (a subset of those granted); without, the same ones.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.grant.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }
}

impl From<RefreshTokenGrant> for TokenSource {
    fn from(grant: RefreshTokenGrant) -> Self {
        TokenSource::oauth2(grant.grant, grant.access_token, Some(grant.refresh_token))
    }
}

/// What a token endpoint issued.
pub(crate) struct Issued {
    pub(crate) access_token: AccessToken,
    /// A new refresh token, when the server rotates them.
    pub(crate) refresh_token: Option<Secret>,
}

/// Asks the grant's token endpoint for a new access token.
pub(crate) async fn request_token(
    grant: &Grant,
    refresh_token: &Option<Secret>,
    context: &FetchContext<'_>,
) -> Result<Issued, String> {
    let url = reqwest::Url::parse(context.base_url)
        .and_then(|base| base.join(&grant.token_url))
        .map_err(|error| {
            format!(
                "the token URL `{}` is not a valid URL: {error}",
                grant.token_url
            )
        })?;
    let request = token_request(grant, refresh_token, context.http, &url)?;
    tracing::debug!(token_url = %url, grant = ?grant.kind, "requesting an access token");
    let response = request.send().await.map_err(|error| {
        let error = error.without_url();
        format!("the token endpoint {url} could not be reached: {error}")
    })?;
    let status = response.status();
    let body = response.bytes().await.map_err(|error| {
        let error = error.without_url();
        format!("the token endpoint {url} broke off its answer: {error}")
    })?;
    let json: Option<Value> = serde_json::from_slice(&body).ok();
    if !status.is_success() {
        // RFC 6749, section 5.2: `error` and `error_description` say why; nothing else of
        // the body is quoted.
        let field = |name: &str| {
            json.as_ref()
                .and_then(|json| json.get(name))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let reason = match (field("error"), field("error_description")) {
            (Some(error), Some(description)) => format!(": {error} ({description})"),
            (Some(error), None) => format!(": {error}"),
            _ => String::new(),
        };
        return Err(format!(
            "the token endpoint {url} answered {status}{reason}"
        ));
    }
    issued(json.as_ref()).map_err(|problem| format!("the token endpoint {url} {problem}"))
}

/// The token request of `grant`: its form, and the client's credentials in the form or in
/// an `Authorization` header.
fn token_request(
    grant: &Grant,
    refresh_token: &Option<Secret>,
    http: &reqwest::Client,
    url: &reqwest::Url,
) -> Result<reqwest::RequestBuilder, String> {
    let mut form = form_urlencoded::Serializer::new(String::new());
    match grant.kind {
        GrantKind::ClientCredentials => {
            form.append_pair("grant_type", "client_credentials");
        }
        GrantKind::RefreshToken => {
            let token = refresh_token
                .as_ref()
                .ok_or_else(|| "no refresh token".to_owned())?;
            form.append_pair("grant_type", "refresh_token");
            form.append_pair("refresh_token", token.expose());
        }
    }
    if !grant.scopes.is_empty() {
        form.append_pair("scope", &grant.scopes.join(" "));
    }
    let client = &grant.client;
    let mut request = http
        .post(url.clone())
        .header(ACCEPT, "application/json")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded");
    match &client.secret {
        Some(secret) if !client.in_body => {
            request = request.header(AUTHORIZATION, basic_authorization(&client.id, secret)?);
        }
        secret => {
            form.append_pair("client_id", &client.id);
            if let Some(secret) = secret {
                form.append_pair("client_secret", secret.expose());
            }
        }
    }
    Ok(request.body(form.finish()))
}

/// `Authorization: Basic` for a client: id and secret form-encoded, then base64 (RFC 6749,
/// section 2.3.1).
fn basic_authorization(id: &str, secret: &Secret) -> Result<HeaderValue, String> {
    let encode = |text: &str| form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    let pair = format!("{}:{}", encode(id), encode(secret.expose()));
    let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
    let mut value = HeaderValue::from_str(&format!("Basic {encoded}"))
        .map_err(|_| "the client credentials are not valid header text".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
}

/// The token of a successful token response (RFC 6749, section 5.1). Problems are
/// described without quoting the body, which holds the token.
fn issued(json: Option<&Value>) -> Result<Issued, String> {
    let json = json.ok_or("answered with a body that is not JSON")?;
    let access_token = json
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|token| !token.is_empty())
        .ok_or("answered without an `access_token`")?;
    if let Some(kind) = json.get("token_type").and_then(Value::as_str) {
        if !kind.eq_ignore_ascii_case("bearer") {
            return Err(format!(
                "issued a `{kind}` token; only bearer tokens are supported"
            ));
        }
    }
    // A number of seconds; some servers send it as a string.
    let expires_in = match json.get("expires_in") {
        Some(Value::Number(seconds)) => seconds.as_u64(),
        Some(Value::String(seconds)) => seconds.parse().ok(),
        _ => None,
    };
    let mut token = AccessToken::new(access_token);
    if let Some(seconds) = expires_in {
        token = token.expires_in(std::time::Duration::from_secs(seconds));
    }
    Ok(Issued {
        access_token: token,
        refresh_token: json
            .get("refresh_token")
            .and_then(Value::as_str)
            .filter(|token| !token.is_empty())
            .map(Secret::new),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn basic_credentials_are_form_encoded_first() {
        let value = basic_authorization("app id", &Secret::new("s/cr+t")).unwrap();
        let encoded = value.to_str().unwrap().strip_prefix("Basic ").unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        assert_eq!(decoded, b"app+id:s%2Fcr%2Bt");
        assert!(value.is_sensitive());
    }

    #[test]
    fn a_token_response_is_read_without_quoting_it() {
        let issued_token = issued(Some(&json!({
            "access_token": "at-SECRET", "token_type": "bearer", "expires_in": "3600",
            "refresh_token": "rt-SECRET"
        })))
        .unwrap();
        assert_eq!(issued_token.access_token.secret.expose(), "at-SECRET");
        assert_eq!(
            issued_token.access_token.expires_in,
            Some(std::time::Duration::from_secs(3600))
        );
        assert_eq!(issued_token.refresh_token.unwrap().expose(), "rt-SECRET");

        let mac = issued(Some(
            &json!({"access_token": "at-SECRET", "token_type": "mac"}),
        ));
        let problem = mac.err().unwrap();
        assert!(problem.contains("`mac`") && !problem.contains("SECRET"));
        assert!(issued(Some(&json!({"token": "at-SECRET"})))
            .err()
            .is_some_and(|problem| !problem.contains("SECRET")));
    }
}
