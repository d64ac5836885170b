//! Where one request of a call goes, and what errors and traces show of it.

use http::Method;
use reqwest::Url;

use crate::error::RequestSummary;

/// The operation, method and URL of a request. The text errors show is written only when
/// there is an error: most calls succeed, and need no copy of their URL.
pub(crate) struct Target {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// The URL that is sent, credentials included.
    pub(crate) url: Url,
    /// The URL as shown, when it differs from `url`: with the values of credential query
    /// parameters masked.
    pub(crate) masked: Option<String>,
}

impl Target {
    /// The URL as errors and traces show it.
    pub(crate) fn shown_url(&self) -> &str {
        self.masked.as_deref().unwrap_or(self.url.as_str())
    }

    /// The request as an error reports it.
    pub(crate) fn summary(&self) -> RequestSummary {
        RequestSummary {
            operation: self.operation,
            method: self.method.clone(),
            url: self.shown_url().to_owned(),
        }
    }
}
