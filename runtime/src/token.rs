//! Access tokens that are fetched rather than given: a [`TokenSource`] fetches one, keeps it
//! while it is fresh, and fetches again before it expires or once the provider rejects it.
//! Every clone of a source (and so every clone of a client) shares one cache, and however
//! many calls need a token at once, one fetch runs.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::oauth2::{self, Grant};
use crate::Secret;

/// How long before its expiry a token is replaced, so that it does not expire in flight.
/// A token that lives less than twice as long is replaced halfway through its life.
const REFRESH_EARLY: Duration = Duration::from_secs(30);

/// An access token, as a [`TokenSource`] fetches it.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub(crate) secret: Secret,
    pub(crate) expires_in: Option<Duration>,
}

impl AccessToken {
    /// A token used until the provider rejects it (a `401`), then fetched again.
    pub fn new(secret: impl Into<Secret>) -> Self {
        AccessToken {
            secret: secret.into(),
            expires_in: None,
        }
    }

    /// The token expires `lifetime` from now: it is replaced shortly before.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type FetchFuture = Pin<Box<dyn Future<Output = Result<AccessToken, BoxError>> + Send>>;
type FetchFn = dyn Fn() -> FetchFuture + Send + Sync;

/// Where the access tokens of a bearer or OAuth2 scheme come from: your own async function
/// ([`TokenSource::from_fn`]) or an OAuth2 grant ([`crate::ClientCredentialsGrant`],
/// [`crate::RefreshTokenGrant`]). Give it to a client's `with_<scheme>` method.
///
/// The token is cached and shared by every clone of the source and of the client: it is
/// fetched once however many calls need it at the same time, replaced 30 seconds before it
/// expires, and fetched again once when the provider answers `401` (the call is then sent
/// again with the new token; a second `401` is the call's error).
#[derive(Clone)]
pub struct TokenSource {
    shared: Arc<Shared>,
}

struct Shared {
    fetch: Fetch,
    /// Held while a token is fetched: calls that need one meanwhile wait for that fetch.
    state: tokio::sync::Mutex<State>,
}

enum Fetch {
    Custom(Box<FetchFn>),
    OAuth2(Grant),
}

struct State {
    current: Option<Cached>,
    /// Counts the tokens fetched, so that a `401` replaces only the token it was sent with.
    generation: u64,
    /// The refresh token of a refresh-token grant, replaced when the server rotates it.
    refresh_token: Option<Secret>,
}

struct Cached {
    secret: Secret,
    obtained: Instant,
    expires: Option<Instant>,
}

impl Cached {
    fn new(token: AccessToken) -> Self {
        let obtained = Instant::now();
        Cached {
            secret: token.secret,
            obtained,
            expires: token.expires_in.map(|lifetime| obtained + lifetime),
        }
    }

    fn is_fresh(&self, now: Instant) -> bool {
        let Some(expires) = self.expires else {
            return true;
        };
        let lifetime = expires.saturating_duration_since(self.obtained);
        let early = REFRESH_EARLY.min(lifetime / 2);
        now + early < expires
    }
}

/// What a fetch may use: the client's HTTP connections, its base URL (a relative token
/// URL is resolved against it) and its time limit for one request.
pub(crate) struct FetchContext<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) base_url: &'a str,
    pub(crate) timeout: Option<Duration>,
}

/// A token handed to a call, and which fetch it came from.
pub(crate) struct Lease {
    pub(crate) secret: Secret,
    generation: u64,
}

impl TokenSource {
    /// Tokens from your own async function, called whenever a new token is needed:
    ///
    /// ```ignore
    /// let source = tether::TokenSource::from_fn(|| async {
    ///     let token = vault.read("crm-token").await?;
    ///     Ok::<_, MyError>(tether::AccessToken::new(token).expires_in(Duration::from_secs(3600)))
    /// });
    /// let client = crm::Client::new(url)?.with_bearer(source);
    /// ```
    pub fn from_fn<F, Fut, E>(fetch: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<AccessToken, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let fetch: Box<FetchFn> = Box::new(move || {
            let future = fetch();
            Box::pin(async move { future.await.map_err(Into::into) })
        });
        TokenSource::new(Fetch::Custom(fetch), None, None)
    }

    pub(crate) fn oauth2(
        grant: Grant,
        access_token: Option<AccessToken>,
        refresh_token: Option<Secret>,
    ) -> Self {
        TokenSource::new(Fetch::OAuth2(grant), access_token, refresh_token)
    }

    fn new(fetch: Fetch, first: Option<AccessToken>, refresh_token: Option<Secret>) -> Self {
        TokenSource {
            shared: Arc::new(Shared {
                fetch,
                state: tokio::sync::Mutex::new(State {
                    generation: u64::from(first.is_some()),
                    current: first.map(Cached::new),
                    refresh_token,
                }),
            }),
        }
    }

    /// A fresh token: the cached one, or a new one fetched by this call or by the call
    /// already fetching it.
    pub(crate) async fn token(&self, context: &FetchContext<'_>) -> Result<Lease, String> {
        let mut state = self.shared.state.lock().await;
        if let Some(cached) = &state.current {
            if cached.is_fresh(Instant::now()) {
                return Ok(Lease {
                    secret: cached.secret.clone(),
                    generation: state.generation,
                });
            }
        }
        let fetched = match context.timeout {
            Some(limit) => tokio::time::timeout(limit, self.fetch(&mut state, context))
                .await
                .unwrap_or_else(|_| Err(format!("no token within {limit:?}"))),
            None => self.fetch(&mut state, context).await,
        }?;
        state.generation += 1;
        let lease = Lease {
            secret: fetched.secret.clone(),
            generation: state.generation,
        };
        state.current = Some(Cached::new(fetched));
        Ok(lease)
    }

    async fn fetch(
        &self,
        state: &mut State,
        context: &FetchContext<'_>,
    ) -> Result<AccessToken, String> {
        match &self.shared.fetch {
            Fetch::Custom(fetch) => fetch().await.map_err(|error| error.to_string()),
            Fetch::OAuth2(grant) => {
                let issued = oauth2::request_token(grant, &state.refresh_token, context).await?;
                if let Some(rotated) = issued.refresh_token {
                    state.refresh_token = Some(rotated);
                }
                Ok(issued.access_token)
            }
        }
    }

    /// Forgets the token of `lease`, which the provider rejected, unless a newer one has
    /// replaced it already (another call saw the same rejection first).
    pub(crate) async fn reject(&self, lease: &Lease) {
        let mut state = self.shared.state.lock().await;
        if state.generation == lease.generation {
            state.current = None;
        }
    }
}

impl PartialEq for TokenSource {
    /// Two sources are equal when they are clones of one another (they share one cache).
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl Eq for TokenSource {}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.shared.fetch {
            Fetch::Custom(_) => f.write_str("TokenSource(custom)"),
            Fetch::OAuth2(grant) => write!(f, "TokenSource({grant:?})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_replaced_before_it_expires() {
        let now = Instant::now();
        let long = Cached {
            secret: Secret::new("t"),
            obtained: now,
            expires: Some(now + Duration::from_secs(3600)),
        };
        assert!(long.is_fresh(now + Duration::from_secs(3569)));
        assert!(!long.is_fresh(now + Duration::from_secs(3570)));
        // Ten seconds of life: replaced after five, not at once.
        let short = Cached {
            expires: Some(now + Duration::from_secs(10)),
            ..long
        };
        assert!(short.is_fresh(now + Duration::from_secs(4)));
        assert!(!short.is_fresh(now + Duration::from_secs(5)));
        let unknown = Cached {
            expires: None,
            ..short
        };
        assert!(unknown.is_fresh(now + Duration::from_secs(1_000_000)));
    }
}
