//! The connection to one provider, shared by every generated `Client`: base URL, HTTP
//! client, timeouts, retry policy and credentials. Cheap to clone.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{ApiKeyLocation, Credential, SchemeKind, SecurityScheme};
use crate::header_text;
use crate::rate_limit::RateLimit;
use crate::retry_budget::RetryBudget;
use crate::sign::Signer;
use crate::throttle::Throttle;
use crate::token::FetchContext;
use crate::{ConfigError, RetryPolicy, Secret, SignRequest};

/// How to build a client: base URL, timeouts, retries, rate limits, user agent.
///
/// Three time limits apply: opening a connection ([`ClientConfig::connect_timeout`], 10 s
/// by default), one attempt ([`ClientConfig::timeout`], 60 s) and the whole call with its
/// retries and waits ([`ClientConfig::call_timeout`], 3 minutes).
#[derive(Debug, Clone)]
pub struct ClientConfig {
    base_url: String,
    attempt_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    rate_limit: Option<(u32, Duration)>,
    follow_rate_limit_headers: bool,
    adaptive_rate_limit: bool,
    retry: RetryPolicy,
    /// Borrowed for tether's own: a static header value, which the HTTP client copies into
    /// every request (and its connector, cloned per request) without touching a reference
    /// count.
    user_agent: Cow<'static, str>,
    http: Option<reqwest::Client>,
    signer: Option<Signer>,
    headers: Vec<(String, Secret)>,
}

impl ClientConfig {
    /// A configuration for the API at `base_url` (for example `https://api.hubapi.com`).
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            attempt_timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
            call_timeout: Some(Duration::from_secs(180)),
            rate_limit: None,
            follow_rate_limit_headers: true,
            adaptive_rate_limit: false,
            retry: RetryPolicy::default(),
            user_agent: Cow::Borrowed(concat!("tether/", env!("CARGO_PKG_VERSION"))),
            http: None,
            signer: None,
            headers: Vec::new(),
        }
    }

    /// The longest one attempt may take, from sending to the last byte of the body.
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.attempt_timeout = Some(limit);
        self
    }

    /// The longest opening a connection may take.
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.connect_timeout = Some(limit);
        self
    }

    /// The longest a whole call may take: every attempt and every wait between them. A
    /// retry whose wait would end later is not made.
    pub fn call_timeout(mut self, limit: Duration) -> Self {
        self.call_timeout = Some(limit);
        self
    }

    /// Sends at most `requests` requests per `per` (every attempt counts), as a burst of
    /// `requests` and then evenly spaced; calls over the limit wait their turn. The limit
    /// is shared by every clone of the client, so one client shared by many tasks keeps
    /// to a provider's quota: `rate_limit(100, Duration::from_secs(10))`.
    pub fn rate_limit(mut self, requests: u32, per: Duration) -> Self {
        self.rate_limit = Some((requests, per));
        self
    }

    /// Whether calls wait for the budget the provider announces in its response headers
    /// (on by default). Providers say on every response how many requests they still take
    /// and when their window resets (`X-RateLimit-*` as GitHub, `RateLimit-*` as the IETF
    /// draft, `X-HubSpot-RateLimit-*`, and others named `...RateLimit-Remaining`). When
    /// the budget, less the client's own requests sent since, reaches zero, further calls
    /// are held until the window resets instead of being answered 429. Until an answer has
    /// announced the budget, the client sends one request, then one more per answer (as
    /// TCP's slow start: a provider that announces nothing costs a burst of calls a few
    /// round trips). Shared by every clone of the client. Beyond that start, this only
    /// delays requests the provider said it would refuse: turn it off only for a provider
    /// whose headers are wrong.
    pub fn follow_rate_limit_headers(mut self, follow: bool) -> Self {
        self.follow_rate_limit_headers = follow;
        self
    }

    /// Learns the provider's limit from its 429s, for providers that announce no budget
    /// (off by default): the send rate is cut to 70% of what the provider admitted at each
    /// 429 and grows back as calls succeed (as the AWS SDKs' adaptive retry mode), so that
    /// a burst of calls settles at the provider's real limit. Shared by every clone.
    pub fn adaptive_rate_limit(mut self) -> Self {
        self.adaptive_rate_limit = true;
        self
    }

    /// How failed attempts are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends the header `name: value` with every request to the API (an API version such
    /// as `Stripe-Version`, a beta flag), except where the operation sets a header of that
    /// name itself, and not on a redirect to another origin. A name or value that is not
    /// valid header text is a `ConfigError` when the client is built. The value is hidden
    /// from `Debug`, as it may be a credential.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), Secret::new(value)));
        self
    }

    /// The `User-Agent` header sent with every request.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Cow::Owned(user_agent.into());
        self
    }

    /// Uses this `reqwest::Client` (proxies, TLS roots, ...) instead of building one; the
    /// connect timeout, user agent, redirect policy and reqwest's own retry layer are then
    /// the given client's.
    ///
    /// tether's own client turns reqwest's retries off, with
    /// `reqwest::retry::never().max_retries_per_request(0)`: tether retries HTTP/2 refusals
    /// itself, and reqwest's layer copies every request in case it retries. (tether's own
    /// client also follows redirects within the request's origin itself and hands
    /// a redirect to another origin back to tether, which follows it without credentials;
    /// reqwest's default policy follows it with API-key headers still attached: give your
    /// client `reqwest::redirect::Policy::none()` or a same-origin policy. With
    /// [`sign_requests`](Self::sign_requests), give it `Policy::none()`: tether then follows
    /// redirects within the origin itself and signs each again.)
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Signs every request with `signer` just before it is sent, for authentication tether
    /// cannot send itself (a spec's OAuth 1.0a or AWS Signature Version 4 scheme, which
    /// the generated client's docs name): see [`SignRequest`].
    pub fn sign_requests(mut self, signer: impl SignRequest) -> Self {
        self.signer = Some(Signer::new(signer));
        self
    }
}

/// How many redirects one request follows: the HTTP client within the origin, and tether
/// those it hands back.
pub(crate) const MAX_REDIRECTS: usize = 10;

/// The user agent as a header value; tether's own as a static one (see the field of
/// `ClientConfig`).
fn user_agent_value(user_agent: Cow<'static, str>) -> Result<http::HeaderValue, ConfigError> {
    let value = match user_agent {
        Cow::Borrowed(text) => header_text::static_value(text),
        Cow::Owned(text) => http::HeaderValue::try_from(text).ok(),
    };
    value.ok_or_else(|| ConfigError("the user agent is not valid header text".to_owned()))
}

/// Follows redirects only within the origin of the request. Credentials travel in headers
/// reqwest does not know are secret (`api_key`, `X-API-Key`, ...), and it strips only
/// `Authorization` and cookies when a redirect leaves the host: another origin must not
/// receive them. A redirect elsewhere is returned as the response, and tether follows it
/// without any credential (see `send.rs`).
///
/// A client that signs its requests follows no redirect itself: the signature covers the
/// URL, so tether follows those within the origin too, signing each again.
fn redirect_policy(signs: bool) -> reqwest::redirect::Policy {
    if signs {
        return reqwest::redirect::Policy::none();
    }
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
        } else {
            attempt.follow()
        }
    })
}

/// The shared state behind a generated `Client`.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    http: reqwest::Client,
    base_url: String,
    /// `base_url`, parsed once: a call's URL is this with its path and query set.
    base: reqwest::Url,
    attempt_timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    rate_limit: Option<Arc<RateLimit>>,
    throttle: Option<Arc<Throttle>>,
    retry: RetryPolicy,
    retry_budget: Option<Arc<RetryBudget>>,
    schemes: &'static [SecurityScheme],
    credentials: Vec<(&'static str, Credential)>,
    signer: Option<Signer>,
    /// Sent with every request to the API ([`ClientConfig::header`]).
    headers: http::HeaderMap,
}

/// `base_url` without a trailing `/`, and parsed; refused unless it is an absolute
/// `http(s)` URL without a query or a fragment.
fn parse_base_url(base_url: &str) -> Result<(String, reqwest::Url), ConfigError> {
    let base_url = base_url.trim_end_matches('/').to_owned();
    let parsed = reqwest::Url::parse(&base_url).map_err(|error| {
        ConfigError(format!(
            "`{base_url}` is not a valid base URL ({error}); give an absolute URL such as `https://api.example.com`"
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(ConfigError(format!(
            "`{base_url}` must start with http:// or https://"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(ConfigError(format!(
            "`{base_url}` has a query or a fragment; a base URL ends with its path (credentials in the query are set with the client's `with_*` methods)"
        )));
    }
    Ok((base_url, parsed))
}

impl HttpClient {
    /// Builds the client for a spec whose security schemes are `schemes`.
    pub fn new(
        config: ClientConfig,
        schemes: &'static [SecurityScheme],
    ) -> Result<Self, ConfigError> {
        let (base_url, parsed) = parse_base_url(&config.base_url)?;
        let mut headers = http::HeaderMap::with_capacity(config.headers.len());
        for (name, value) in &config.headers {
            let (name, value) =
                header_text::given_header(name, value.expose()).map_err(ConfigError)?;
            headers.append(name, value);
        }
        let rate_limit = match config.rate_limit {
            Some((requests, per)) => Some(Arc::new(
                RateLimit::new(requests, per).map_err(ConfigError)?,
            )),
            None => None,
        };
        let http = match config.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder()
                    .user_agent(user_agent_value(config.user_agent)?)
                    .redirect(redirect_policy(config.signer.is_some()))
                    // Retries are the attempts' alone (policy, budget, traces): reqwest's
                    // own layer would retry HTTP/2 refusals beneath them, and copy every
                    // request's headers and body in case it does (BENCHMARKS.md).
                    .retry(reqwest::retry::never().max_retries_per_request(0));
                if let Some(limit) = config.connect_timeout {
                    builder = builder.connect_timeout(limit);
                }
                builder.build().map_err(|error| {
                    ConfigError(format!("the HTTP client could not be built: {error}"))
                })?
            }
        };
        Ok(HttpClient {
            inner: Arc::new(Inner {
                http,
                base_url,
                base: parsed,
                attempt_timeout: config.attempt_timeout,
                call_timeout: config.call_timeout,
                rate_limit,
                throttle: Throttle::new(
                    config.follow_rate_limit_headers,
                    config.adaptive_rate_limit,
                )
                .map(Arc::new),
                retry_budget: config.retry.budget.map(RetryBudget::new).map(Arc::new),
                retry: config.retry,
                schemes,
                credentials: Vec::new(),
                signer: config.signer,
                headers,
            }),
        })
    }

    /// A client like this one that also authenticates with `credential` for `scheme`. The
    /// two share their connections, their rate limits and their retry budget.
    pub fn with_credential(&self, scheme: &'static str, credential: Credential) -> Self {
        let mut inner = Inner::clone(&self.inner);
        inner.credentials.retain(|(name, _)| *name != scheme);
        inner.credentials.push((scheme, credential));
        HttpClient {
            inner: Arc::new(inner),
        }
    }

    /// A client like this one whose calls go to `base_url` (another environment, a
    /// sandbox, or the host of an operation the spec serves from one of its own). The two
    /// share their connections, credentials, rate limits and retry budget.
    pub fn with_base_url(&self, base_url: &str) -> Result<Self, ConfigError> {
        let (base_url, base) = parse_base_url(base_url)?;
        let mut inner = Inner::clone(&self.inner);
        inner.base_url = base_url;
        inner.base = base;
        Ok(HttpClient {
            inner: Arc::new(inner),
        })
    }

    /// The base URL every operation path is appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The URL of an operation's `path` (parameters filled in) with `query` (encoded
    /// `k=v` pairs). Parsing happened once, for the base URL: a call only sets its path and
    /// query, a fraction of what parsing a whole URL costs on every call.
    pub(crate) fn url_for(&self, path: &str, query: &str) -> reqwest::Url {
        let base = &self.inner.base;
        let mut url = base.clone();
        // A spec may write a fixed query into a path (`/search?type=user`): it goes first.
        let (path, fixed_query) = path.split_once('?').unwrap_or((path, ""));
        let base_path = base.path().trim_end_matches('/');
        if base_path.is_empty() {
            // A server at the root (most are): the path is the operation's, with no copy.
            url.set_path(path);
        } else {
            url.set_path(&[base_path, path].concat());
        }
        match (fixed_query.is_empty(), query.is_empty()) {
            (true, true) => {}
            (false, true) => url.set_query(Some(fixed_query)),
            (true, false) => url.set_query(Some(query)),
            (false, false) => url.set_query(Some(&format!("{fixed_query}&{query}"))),
        }
        url
    }

    /// The headers the configuration adds to every request.
    pub(crate) fn headers(&self) -> &http::HeaderMap {
        &self.inner.headers
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    pub(crate) fn attempt_timeout(&self) -> Option<Duration> {
        self.inner.attempt_timeout
    }

    pub(crate) fn call_timeout(&self) -> Option<Duration> {
        self.inner.call_timeout
    }

    pub(crate) fn rate_limit(&self) -> Option<&RateLimit> {
        self.inner.rate_limit.as_deref()
    }

    pub(crate) fn throttle(&self) -> Option<&Throttle> {
        self.inner.throttle.as_deref()
    }

    pub(crate) fn retry_budget(&self) -> Option<&RetryBudget> {
        self.inner.retry_budget.as_deref()
    }

    /// What signs each request, when the configuration gave a signer.
    pub(crate) fn signer(&self) -> Option<&Signer> {
        self.inner.signer.as_ref()
    }

    pub(crate) fn scheme(&self, name: &str) -> Option<&'static SecurityScheme> {
        self.inner.schemes.iter().find(|scheme| scheme.name == name)
    }

    /// The names of the query parameters (or headers) that carry this spec's API keys,
    /// whichever operation is called: taken out of URLs the provider sends back, so that
    /// they are neither repeated nor shown, and out of requests to other origins.
    pub(crate) fn key_names(&self, wanted: ApiKeyLocation) -> Vec<&'static str> {
        self.inner
            .schemes
            .iter()
            .filter_map(|scheme| match scheme.kind {
                SchemeKind::ApiKey { location, name } if location == wanted => Some(name),
                _ => None,
            })
            .collect()
    }

    /// What a [`crate::TokenSource`] fetches tokens with.
    pub(crate) fn token_context(&self) -> FetchContext<'_> {
        FetchContext {
            http: &self.inner.http,
            base_url: &self.inner.base_url,
            timeout: self.inner.attempt_timeout,
        }
    }

    pub(crate) fn credential(&self, scheme: &str) -> Option<&Credential> {
        self.inner
            .credentials
            .iter()
            .find(|(name, _)| *name == scheme)
            .map(|(_, credential)| credential)
    }
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let configured: Vec<&str> = self
            .inner
            .credentials
            .iter()
            .map(|(name, _)| *name)
            .collect();
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials_for", &configured)
            .field("retry", &self.inner.retry)
            .field("rate_limit", &self.inner.rate_limit)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base_url: &str) -> Result<HttpClient, ConfigError> {
        HttpClient::new(ClientConfig::new(base_url), &[])
    }

    #[test]
    fn a_call_url_is_the_base_path_then_the_operation_path_and_query() {
        let api = client("https://api.example.com/v1/").expect("a valid base URL");
        assert_eq!(
            api.url_for("/pets/a%2Fb", "limit=5").as_str(),
            "https://api.example.com/v1/pets/a%2Fb?limit=5"
        );
        assert_eq!(api.url_for("", "").as_str(), "https://api.example.com/v1");
        // A fixed query written into the spec's path comes before the call's parameters.
        assert_eq!(
            api.url_for("/search?type=user", "q=ada").as_str(),
            "https://api.example.com/v1/search?type=user&q=ada"
        );
        let host_only = client("http://127.0.0.1:8080").expect("a valid base URL");
        assert_eq!(
            host_only.url_for("/orders", "").as_str(),
            "http://127.0.0.1:8080/orders"
        );
    }

    #[test]
    fn another_base_url_keeps_the_credentials_and_is_checked_as_the_first() {
        let api = client("https://controller.example.com")
            .expect("a valid base URL")
            .with_credential("token", Credential::Token(crate::Secret::new("t0k3n")));
        let index = api
            .with_base_url("https://main-p1.svc.example.com/")
            .expect("a valid base URL");
        assert_eq!(index.base_url(), "https://main-p1.svc.example.com");
        assert_eq!(
            index.url_for("/query", "").as_str(),
            "https://main-p1.svc.example.com/query"
        );
        assert!(index.credential("token").is_some());
        assert_eq!(api.base_url(), "https://controller.example.com");
        let error = api
            .with_base_url("ftp://files.example.com")
            .expect_err("refused");
        assert!(error.0.contains("http:// or https://"), "{}", error.0);
    }

    #[test]
    fn a_base_url_with_a_query_or_a_fragment_is_refused() {
        for base_url in [
            "https://api.example.com/v1?key=1",
            "https://api.example.com/#top",
        ] {
            let error = client(base_url).expect_err("refused");
            assert!(error.0.contains("query or a fragment"), "{}", error.0);
        }
    }
}
