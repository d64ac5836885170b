//! A successful response read as the stream of JSON values the spec documents for it:
//! server-sent events (`text/event-stream`, as AI providers stream their completions) or
//! JSON lines (`application/x-ndjson`). What an operation's `event_stream()` yields.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::{Stream, StreamExt};
use http::header::CONTENT_TYPE;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::body_stream::ByteStream;
use crate::error::{excerpt, Error};
use crate::response::decode_json;

/// The future of a streamed call: the response, once its status and headers arrive, with
/// its values still to come.
pub type EventStreamFuture<T, E> =
    Pin<Box<dyn Future<Output = Result<EventStream<T>, Error<E>>> + Send>>;

/// How the values of a stream are told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Server-sent events: each event's `data` is one value; an event whose data is
    /// `[DONE]` (OpenAI's convention) ends the stream.
    ServerSentEvents,
    /// One value per line (a record separator before it is skipped: JSON text sequences).
    JsonLines,
}

impl Framing {
    /// Whether a response labelled `content_type` can be framed so: server-sent events are
    /// only ever `text/event-stream`; JSON lines go by several names, some of them
    /// `application/json`.
    fn reads(self, content_type: &str) -> bool {
        let essence = content_type.split(';').next().unwrap_or("").trim();
        match self {
            Framing::ServerSentEvents => essence.eq_ignore_ascii_case("text/event-stream"),
            Framing::JsonLines => essence.to_ascii_lowercase().contains("json"),
        }
    }
}

/// A successful response read as a [`Stream`] of values of `T`, each decoded as it arrives.
///
/// It is a [`crate::ByteStream`] underneath, with its time limits and errors: the stream
/// ends after a timeout or a broken connection. A value that does not decode is an
/// [`Error::Decode`] (with the path and the start of its text), and the stream goes on with
/// the next one. A response of another media type (the operation's whole JSON, from a
/// server that does not stream) is one [`Error::Decode`] that says so, and the end.
pub struct EventStream<T> {
    status: StatusCode,
    headers: HeaderMap,
    values: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T: DeserializeOwned + Send + 'static> EventStream<T> {
    /// The values of `body`, framed by `framing`, as the response to a request that asked
    /// for `media_type`.
    pub(crate) fn new(body: ByteStream, framing: Framing, media_type: &str) -> Self {
        // A server that answers with something else (its whole JSON, when it ignores the
        // request for a stream) is told apart, rather than read as a stream without values.
        let unexpected = body
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .filter(|content_type| !framing.reads(content_type))
            .map(|content_type| {
                format!(
                    "the response is `{content_type}`, not `{media_type}`: the server did not send a stream"
                )
            });
        let reading = Reading {
            status: body.status(),
            frames: Frames::new(framing),
            body,
            unexpected,
            ended: false,
            item: PhantomData,
        };
        EventStream {
            status: reading.status,
            headers: reading.body.headers().clone(),
            values: Box::pin(futures::stream::unfold(reading, next_value)),
        }
    }
}

impl<T> EventStream<T> {
    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.values.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

/// A body being read into values.
struct Reading<T> {
    status: StatusCode,
    body: ByteStream,
    frames: Frames,
    /// Why the body is not a stream of this framing: the one error the stream yields.
    unexpected: Option<String>,
    /// The body ended or failed: only the values already framed are left.
    ended: bool,
    item: PhantomData<fn() -> T>,
}

async fn next_value<T: DeserializeOwned>(
    mut reading: Reading<T>,
) -> Option<(Result<T, Error>, Reading<T>)> {
    if let Some(message) = reading.unexpected.take() {
        let start = match reading.body.next().await {
            Some(Ok(chunk)) => chunk,
            _ => Bytes::new(),
        };
        reading.ended = true;
        let failure = Error::Decode {
            request: reading.body.request.clone(),
            status: reading.status,
            path: String::new(),
            message,
            body_excerpt: excerpt(&start),
        };
        return Some((Err(failure), reading));
    }
    loop {
        if let Some(text) = reading.frames.ready.pop_front() {
            let value = decode_json(text.as_bytes()).map_err(|failure| Error::Decode {
                request: reading.body.request.clone(),
                status: reading.status,
                path: failure.path,
                message: failure.message,
                body_excerpt: excerpt(text.as_bytes()),
            });
            return Some((value, reading));
        }
        if reading.ended || reading.frames.done {
            return None;
        }
        match reading.body.next().await {
            Some(Ok(chunk)) => reading.frames.push(&chunk),
            Some(Err(error)) => {
                reading.ended = true;
                return Some((Err(error), reading));
            }
            None => {
                reading.frames.finish();
                reading.ended = true;
            }
        }
    }
}

/// Splits a body, as its chunks arrive, into the text of its values.
struct Frames {
    framing: Framing,
    /// The start of a line whose end has not arrived yet.
    partial: Vec<u8>,
    /// The data of the server-sent event being read, a line per `data:` field.
    data: String,
    /// Values framed and not yet decoded.
    ready: VecDeque<String>,
    /// A `[DONE]` event arrived: nothing after it counts.
    done: bool,
}

impl Frames {
    fn new(framing: Framing) -> Self {
        Frames {
            framing,
            partial: Vec::new(),
            data: String::new(),
            ready: VecDeque::new(),
            done: false,
        }
    }

    fn push(&mut self, chunk: &[u8]) {
        let mut buffer = std::mem::take(&mut self.partial);
        buffer.extend_from_slice(chunk);
        let mut start = 0;
        while let Some(offset) = buffer[start..].iter().position(|byte| *byte == b'\n') {
            let end = start + offset;
            self.line(&buffer[start..end]);
            start = end + 1;
        }
        buffer.drain(..start);
        self.partial = buffer;
    }

    /// The body ended: a last line without its line break is a value of JSON lines; an
    /// event without the blank line that ends it is dropped, as the server-sent events
    /// standard says.
    fn finish(&mut self) {
        if self.framing == Framing::JsonLines {
            let rest = std::mem::take(&mut self.partial);
            self.line(&rest);
        }
    }

    fn line(&mut self, line: &[u8]) {
        if self.done {
            return;
        }
        let line = String::from_utf8_lossy(line);
        let line = line.strip_suffix('\r').unwrap_or(&line);
        match self.framing {
            Framing::JsonLines => {
                // A JSON text sequence (RFC 7464) starts each value with a record separator.
                let value = line.trim_start_matches('\u{1e}');
                if !value.trim().is_empty() {
                    self.ready.push_back(value.to_owned());
                }
            }
            Framing::ServerSentEvents => self.event_line(line),
        }
    }

    fn event_line(&mut self, line: &str) {
        if line.is_empty() {
            // The blank line that ends an event.
            if self.data.is_empty() {
                return;
            }
            self.data.pop();
            let data = std::mem::take(&mut self.data);
            if data == "[DONE]" {
                self.done = true;
            } else {
                self.ready.push_back(data);
            }
            return;
        }
        if line.starts_with(':') {
            // A comment, often sent to keep the connection open.
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        // `event`, `id` and `retry` name, number and pace events; the values carry what
        // a client of the spec's types reads.
        if field == "data" {
            self.data.push_str(value);
            self.data.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Frames, Framing};

    fn framed(framing: Framing, chunks: &[&str]) -> Vec<String> {
        let mut frames = Frames::new(framing);
        for chunk in chunks {
            frames.push(chunk.as_bytes());
        }
        frames.finish();
        frames.ready.into_iter().collect()
    }

    #[test]
    fn server_sent_events_join_their_data_lines_across_chunks() {
        let chunks = [
            ": keep-alive\n\nevent: delta\nda",
            "ta: {\"a\":\r\ndata:1}\r\n\r\nid: 7\ndata: {\"b\":2}\n",
            "\ndata: [DONE]\n\ndata: {\"after\":\"done\"}\n\n",
        ];
        assert_eq!(
            framed(Framing::ServerSentEvents, &chunks),
            ["{\"a\":\n1}", "{\"b\":2}"]
        );
    }

    #[test]
    fn an_event_the_body_cuts_off_is_dropped() {
        let chunks = ["data: {\"a\":1}\n\ndata: {\"b\":"];
        assert_eq!(framed(Framing::ServerSentEvents, &chunks), ["{\"a\":1}"]);
    }

    #[test]
    fn json_lines_are_values_blank_lines_are_not_and_the_last_needs_no_break() {
        let chunks = ["{\"a\":1}\n\n{\"b\"", ":2}\r\n  \n\u{1e}{\"c\":3}"];
        assert_eq!(
            framed(Framing::JsonLines, &chunks),
            ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"]
        );
    }
}
