//! Request signing: the hook for authentication whose credential is computed from the
//! request itself (OAuth 1.0a, AWS Signature Version 4, a provider's own HMAC scheme),
//! which tether cannot send from a token alone.

use std::fmt;
use std::sync::Arc;

/// Why a request could not be signed.
pub type SignError = Box<dyn std::error::Error + Send + Sync>;

/// Signs each request just before it is sent, given to
/// [`ClientConfig::sign_requests`](crate::ClientConfig::sign_requests).
///
/// It sees every attempt as it goes out: the final URL (query included), the headers with
/// the credentials tether set for the spec's schemes, and the body (`request.body()` holds
/// the bytes of a JSON, form, text or binary body; a multipart body is a stream). A retry
/// is signed again, so a signature may carry the time, and so is each redirect within the
/// request's origin, for its new URL. A redirect to another origin is followed without
/// credentials and is not signed. A closure
/// `Fn(&mut reqwest::Request) -> Result<(), SignError>` is a signer.
pub trait SignRequest: Send + Sync + 'static {
    /// Adds the signature to `request` (a header or query parameters), or says why it
    /// cannot: the call then fails with [`Error::InvalidRequest`](crate::Error::InvalidRequest)
    /// and nothing is sent.
    fn sign(&self, request: &mut reqwest::Request) -> Result<(), SignError>;
}

impl<F> SignRequest for F
where
    F: Fn(&mut reqwest::Request) -> Result<(), SignError> + Send + Sync + 'static,
{
    fn sign(&self, request: &mut reqwest::Request) -> Result<(), SignError> {
        self(request)
    }
}

/// A configured signer, shared by the clients made from one configuration.
#[derive(Clone)]
pub(crate) struct Signer(Arc<dyn SignRequest>);

impl Signer {
    pub(crate) fn new(signer: impl SignRequest) -> Signer {
        Signer(Arc::new(signer))
    }

    /// Signs `request`, or says why it could not, for the call's error.
    pub(crate) fn sign(&self, request: &mut reqwest::Request) -> Result<(), String> {
        self.0
            .sign(request)
            .map_err(|error| format!("the request could not be signed: {error}"))
    }
}

/// Signers are code, and may hold keys: only their presence is shown.
impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signer(..)")
    }
}
