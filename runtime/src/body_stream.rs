//! A successful response's body read as it arrives, for downloads too large to hold in
//! memory: what a binary operation's `bytes_stream()` yields.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures::Stream;
use http::{HeaderMap, StatusCode};

use crate::error::{Error, RequestSummary};
use crate::response::RawResponse;

/// The future of a streamed call: the response, once its status and headers arrive, with
/// its body still to come.
pub type ByteStreamFuture<E> = Pin<Box<dyn Future<Output = Result<ByteStream, Error<E>>> + Send>>;

/// A successful response whose body is read as it arrives: a [`Stream`] of its chunks.
///
/// The call before it is a call like any other: credentials, redirects, and retries of a
/// `429` or `5xx` until a success arrives, whose status and headers are here. Then each
/// chunk must arrive within the attempt's time limit (`ClientConfig::timeout`, or the
/// call's `CallOptions::timeout`): a transfer that stalls that long ends with
/// [`Error::Timeout`], one that keeps moving may take as long as it needs. A connection
/// that breaks ends it with [`Error::Transport`]. Nothing is sent again once the body has
/// begun; the stream ends after its first error.
pub struct ByteStream {
    /// The request, for the errors of what is made of the body.
    pub(crate) request: RequestSummary,
    status: StatusCode,
    headers: HeaderMap,
    content_length: Option<u64>,
    chunks: Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>,
}

impl ByteStream {
    pub(crate) fn new(
        request: RequestSummary,
        head: RawResponse,
        body: reqwest::Response,
        idle_limit: Option<Duration>,
    ) -> Self {
        let content_length = body.content_length();
        let reading = Reading {
            request: request.clone(),
            body,
            idle_limit,
        };
        ByteStream {
            request,
            status: head.status,
            headers: head.headers,
            content_length,
            chunks: Box::pin(futures::stream::unfold(Some(reading), next_chunk)),
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The size of the whole body, when the response announced it (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

/// A body being read; `None` once it ended or failed.
struct Reading {
    request: RequestSummary,
    body: reqwest::Response,
    idle_limit: Option<Duration>,
}

async fn next_chunk(state: Option<Reading>) -> Option<(Result<Bytes, Error>, Option<Reading>)> {
    let mut reading = state?;
    let next = match reading.idle_limit {
        Some(limit) => match tokio::time::timeout(limit, reading.body.chunk()).await {
            Ok(next) => next,
            Err(_) => {
                let request = reading.request;
                return Some((Err(Error::Timeout { request, limit }), None));
            }
        },
        None => reading.body.chunk().await,
    };
    match next {
        Ok(Some(chunk)) => Some((Ok(chunk), Some(reading))),
        Ok(None) => None,
        // reqwest's errors show the URL, whose query may hold a credential.
        Err(error) => {
            let failure = Error::Transport {
                request: reading.request,
                source: Box::new(error.without_url()),
            };
            Some((Err(failure), None))
        }
    }
}
