//! Pagination: one page after another as a `Stream`, whatever style the provider uses.
//! Generated code describes where the items and the next-page cursor are in a page
//! ([`Paging`]); everything else happens here, once for every operation.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::task::{Context, Poll};

use futures::Stream;
use serde_json::Value;

use crate::call::{Body, Call, Request};
use crate::error::Error;
use crate::origin::same_origin;
use crate::params::{self, QueryStyle};
use crate::response::{FromResponse, Response};

/// Where to continue a listing: saved from a page, given back to `resume_from` to carry on
/// after a restart. Its text form (`Display` / `FromStr`) is stable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cursor {
    /// An opaque token the provider returned (`after`, `next_cursor`, `starting_after`, ...).
    Token(String),
    /// An item offset.
    Offset(u64),
    /// A page number.
    Page(u64),
    /// The URL of the next page.
    Url(String),
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cursor::Token(token) => write!(f, "token:{token}"),
            Cursor::Offset(offset) => write!(f, "offset:{offset}"),
            Cursor::Page(page) => write!(f, "page:{page}"),
            Cursor::Url(url) => write!(f, "url:{url}"),
        }
    }
}

impl FromStr for Cursor {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid =
            || format!("`{text}` is not a saved cursor (expected token:, offset:, page: or url:)");
        let (kind, value) = text.split_once(':').ok_or_else(invalid)?;
        match kind {
            "token" => Ok(Cursor::Token(value.to_owned())),
            "offset" => value.parse().map(Cursor::Offset).map_err(|_| invalid()),
            "page" => value.parse().map(Cursor::Page).map_err(|_| invalid()),
            "url" => Ok(Cursor::Url(value.to_owned())),
            _ => Err(invalid()),
        }
    }
}

/// How an operation pages, as generated code describes it. `P` is the page (the response
/// body), `I` the item.
pub struct Paging<P, I> {
    /// How the next page is asked for.
    pub next: NextPage<P, I>,
    /// The items of a page, borrowed.
    pub items: fn(&P) -> &[I],
    /// The items of a page, taken.
    pub into_items: fn(P) -> Vec<I>,
}

// Function pointers and names only: copyable whatever `P` and `I` are.
impl<P, I> Clone for Paging<P, I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P, I> Copy for Paging<P, I> {}

impl<P, I> Clone for NextPage<P, I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P, I> Copy for NextPage<P, I> {}

/// Where a cursor goes back in the request for the next page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CursorPlace {
    /// A query parameter.
    Query,
    /// A field of the JSON body, as a string (HubSpot's search `after`).
    BodyText,
    /// A field of the JSON body, as a number (Qdrant's scroll `offset`).
    BodyNumber,
}

/// How the next page is asked for.
pub enum NextPage<P, I> {
    /// The page names a cursor that goes back in a query parameter (or a JSON body field).
    Cursor {
        /// The request parameter (or body field) that carries the cursor.
        param: &'static str,
        /// Where the cursor goes back.
        place: CursorPlace,
        /// The cursor in a page; `None` or empty when this is the last page.
        cursor: fn(&P) -> Option<String>,
    },
    /// The page says whether more follow; the next starts after the last item's id (Stripe).
    HasMore {
        /// The request parameter that carries the id (`starting_after`).
        param: &'static str,
        /// Whether more pages follow.
        has_more: fn(&P) -> bool,
        /// An item's id.
        id: fn(&I) -> Option<String>,
    },
    /// An item offset in a query parameter, advanced by the number of items received.
    Offset {
        /// The offset parameter.
        param: &'static str,
        /// The page-size parameter, if the operation has one: a shorter page is the last.
        limit: Option<&'static str>,
    },
    /// A page number in a query parameter, starting at 1.
    PageNumber {
        /// The page parameter.
        param: &'static str,
        /// The page-size parameter, if the operation has one: a shorter page is the last.
        limit: Option<&'static str>,
    },
    /// The next page's URL is in the `Link` header (RFC 8288, `rel="next"`), as GitHub does.
    LinkHeader,
    /// The next page's URL is in the page (Salesforce's `nextRecordsUrl`, OData's `@odata.nextLink`).
    NextUrl {
        /// The URL in a page; `None` when this is the last page.
        url: fn(&P) -> Option<String>,
    },
}

/// One page: the typed response body and the cursor of the page after it.
pub struct Page<P, I> {
    body: P,
    next: Option<Cursor>,
    into_items: fn(P) -> Vec<I>,
}

impl<P, I> Page<P, I> {
    /// The response body.
    pub fn body(&self) -> &P {
        &self.body
    }

    /// Where the next page starts; `None` on the last page. Save it to resume later.
    pub fn next_cursor(&self) -> Option<&Cursor> {
        self.next.as_ref()
    }

    /// The items of this page.
    pub fn into_items(self) -> Vec<I> {
        (self.into_items)(self.body)
    }
}

impl<P: fmt::Debug, I> fmt::Debug for Page<P, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("body", &self.body)
            .field("next", &self.next)
            .finish()
    }
}

type PageFuture<P, E> = Pin<Box<dyn Future<Output = Result<Response<P>, Error<E>>> + Send>>;

/// Where the listing stands.
enum Position {
    /// At the page the call itself describes (or its resume cursor).
    Start,
    /// At this cursor.
    At(Cursor),
    /// Past the last page, or stopped by an error.
    Done,
}

/// A stream of pages. Memory is one page at a time.
pub struct Pages<P, I, E> {
    template: Call<P, E>,
    paging: Paging<P, I>,
    position: Position,
    /// The cursor the page in flight was asked for.
    current: Option<Cursor>,
    /// Where a listing that stops now would resume: the page not yet yielded.
    resume: Option<Cursor>,
    in_flight: Option<PageFuture<P, E>>,
    seen: HashSet<Cursor>,
}

impl<P, I, E> Pages<P, I, E> {
    /// Where the listing would continue: the cursor of the first page not yet yielded
    /// (also after an error). `None` before the first page and after the last one.
    pub fn resume_cursor(&self) -> Option<&Cursor> {
        self.resume.as_ref()
    }
}

/// Streams the pages of `call`.
pub fn pages<P, I, E>(mut call: Call<P, E>, paging: Paging<P, I>) -> Pages<P, I, E> {
    // A listing only reads, even when sent as a POST (HubSpot's search): a page that
    // failed may be asked for again like a GET.
    call.reads_only = true;
    let resume = call.start.take();
    let position = match &resume {
        Some(cursor) => Position::At(cursor.clone()),
        None => Position::Start,
    };
    Pages {
        template: call,
        paging,
        position,
        current: None,
        resume,
        in_flight: None,
        seen: HashSet::new(),
    }
}

/// Streams the items of every page of `call`.
pub fn items<P, I, E>(call: Call<P, E>, paging: Paging<P, I>) -> Items<P, I, E> {
    Items {
        pages: pages(call, paging),
        buffer: VecDeque::new(),
    }
}

fn pagination_error<E>(operation: &'static str, message: String) -> Error<E> {
    Error::Pagination { operation, message }
}

/// The value of the query parameter `name` in an encoded query string.
fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| {
            percent_encoding::percent_decode_str(value)
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// Replaces every occurrence of query parameter `name` with `value`.
fn set_query(query: &mut String, name: &str, value: &str) {
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(name))
        .collect();
    let mut rebuilt = kept.join("&");
    params::append_query(
        &mut rebuilt,
        name,
        &Value::String(value.to_owned()),
        QueryStyle::Form { explode: true },
    );
    *query = rebuilt;
}

impl<P, I, E> Pages<P, I, E>
where
    P: Send + 'static,
    E: FromResponse,
{
    /// The call for the page at `cursor`, or why it cannot be made.
    fn call_for(&self, cursor: Option<&Cursor>) -> Result<Call<P, E>, String> {
        let mut call = self.template.clone();
        let Some(cursor) = cursor else {
            return Ok(call);
        };
        match (&self.paging.next, cursor) {
            (_, Cursor::Url(url)) => {
                let absolute = reqwest::Url::parse(call.client.base_url())
                    .and_then(|base| base.join(url))
                    .map_err(|error| format!("the next-page URL `{url}` is not valid: {error}"))?;
                if !same_origin(absolute.as_str(), call.client.base_url()) {
                    return Err(format!(
                        "the next-page URL is on another origin than {} and is not followed, so that credentials stay with the provider",
                        call.client.base_url()
                    ));
                }
                call.url_override = Some(absolute.into());
            }
            (
                NextPage::Cursor {
                    param,
                    place: place @ (CursorPlace::BodyText | CursorPlace::BodyNumber),
                    ..
                },
                Cursor::Token(token),
            ) => {
                set_body_field(&mut call, param, token, *place == CursorPlace::BodyNumber)?;
            }
            (
                NextPage::Cursor { param, .. } | NextPage::HasMore { param, .. },
                Cursor::Token(token),
            ) => {
                set_query(&mut call.query, param, token);
            }
            (NextPage::Offset { param, .. }, Cursor::Offset(offset)) => {
                set_query(&mut call.query, param, &offset.to_string())
            }
            (NextPage::PageNumber { param, .. }, Cursor::Page(page)) => {
                set_query(&mut call.query, param, &page.to_string())
            }
            (_, other) => {
                return Err(format!(
                    "the cursor `{other}` does not fit how this operation pages"
                ))
            }
        }
        Ok(call)
    }

    /// The cursor of the page after `response`, which was asked for at `cursor`.
    fn next_cursor(&self, response: &Response<P>, cursor: Option<&Cursor>) -> Option<Cursor> {
        let body = response.body();
        let count = (self.paging.items)(body).len() as u64;
        let limit_reached = |limit: Option<&'static str>| {
            let limit = limit
                .and_then(|name| query_value(&self.template.query, name))
                .and_then(|text| text.parse::<u64>().ok());
            count == 0 || limit.is_some_and(|limit| count < limit)
        };
        match &self.paging.next {
            NextPage::Cursor { cursor: next, .. } => next(body)
                .filter(|token| !token.is_empty())
                .map(Cursor::Token),
            NextPage::HasMore { has_more, id, .. } => {
                if !has_more(body) {
                    return None;
                }
                (self.paging.items)(body)
                    .last()
                    .and_then(id)
                    .map(Cursor::Token)
            }
            NextPage::Offset { param, limit } => {
                if limit_reached(*limit) {
                    return None;
                }
                let current = match cursor {
                    Some(Cursor::Offset(offset)) => *offset,
                    _ => query_value(&self.template.query, param)
                        .and_then(|text| text.parse().ok())
                        .unwrap_or(0),
                };
                Some(Cursor::Offset(current + count))
            }
            NextPage::PageNumber { param, limit } => {
                if limit_reached(*limit) {
                    return None;
                }
                let current = match cursor {
                    Some(Cursor::Page(page)) => *page,
                    _ => query_value(&self.template.query, param)
                        .and_then(|text| text.parse().ok())
                        .unwrap_or(1),
                };
                Some(Cursor::Page(current + 1))
            }
            NextPage::LinkHeader => next_link(response.headers()).map(Cursor::Url),
            NextPage::NextUrl { url } => url(body).filter(|url| !url.is_empty()).map(Cursor::Url),
        }
    }
}

/// Sets `field` of the JSON body to `value` (HubSpot's search sends `after` in the body).
fn set_body_field(
    call: &mut Request,
    field: &str,
    value: &str,
    number: bool,
) -> Result<(), String> {
    let (content_type, bytes) = match &call.body {
        Some(Body::Bytes {
            content_type,
            bytes,
        }) => (*content_type, bytes),
        _ => {
            return Err(format!(
                "the cursor goes in body field `{field}`, but the request has no JSON body"
            ))
        }
    };
    let mut json: Value = serde_json::from_slice(bytes)
        .map_err(|error| format!("the request body is not JSON: {error}"))?;
    let Value::Object(fields) = &mut json else {
        return Err(format!(
            "the cursor goes in body field `{field}`, but the body is not an object"
        ));
    };
    let value = if number {
        let number = value.parse::<serde_json::Number>().map_err(|_| {
            format!("the cursor `{value}` for body field `{field}` is not a number")
        })?;
        Value::Number(number)
    } else {
        Value::String(value.to_owned())
    };
    fields.insert(field.to_owned(), value);
    let bytes = serde_json::to_vec(&json).map_err(|error| error.to_string())?;
    call.body = Some(Body::Bytes {
        content_type,
        bytes: bytes.into(),
    });
    Ok(())
}

/// The `rel="next"` target of a `Link` header (RFC 8288).
fn next_link(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|link| {
            let (target, parameters) = link.split_once(';')?;
            let is_next = parameters.split(';').any(|parameter| {
                let parameter = parameter.trim().replace(' ', "");
                parameter.eq_ignore_ascii_case("rel=\"next\"")
                    || parameter.eq_ignore_ascii_case("rel=next")
            });
            let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            is_next.then(|| target.to_owned())
        })
}

impl<P, I, E> Stream for Pages<P, I, E>
where
    P: Send + 'static,
    E: FromResponse,
{
    type Item = Result<Page<P, I>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Nothing here is pinned structurally: the future in flight is boxed.
        let this = self.get_mut();
        loop {
            if let Some(in_flight) = &mut this.in_flight {
                let outcome = match in_flight.as_mut().poll(context) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(outcome) => outcome,
                };
                this.in_flight = None;
                let cursor = this.current.take();
                return Poll::Ready(Some(match outcome {
                    Err(error) => {
                        // The stream ends; `resume` still names the page that failed.
                        this.position = Position::Done;
                        Err(error)
                    }
                    Ok(response) => {
                        let next = this.next_cursor(&response, cursor.as_ref());
                        this.position = match &next {
                            None => Position::Done,
                            Some(next) if !this.seen.insert(next.clone()) => {
                                this.position = Position::Done;
                                let message = format!("the provider returned the cursor `{next}` twice; stopping instead of looping");
                                return Poll::Ready(Some(Err(pagination_error(
                                    this.template.operation,
                                    message,
                                ))));
                            }
                            Some(next) => Position::At(next.clone()),
                        };
                        this.resume = next.clone();
                        Ok(Page {
                            body: response.into_body(),
                            next,
                            into_items: this.paging.into_items,
                        })
                    }
                }));
            }
            let cursor = match std::mem::replace(&mut this.position, Position::Done) {
                Position::Done => return Poll::Ready(None),
                Position::Start => None,
                Position::At(cursor) => Some(cursor),
            };
            match this.call_for(cursor.as_ref()) {
                Ok(call) => {
                    this.current = cursor;
                    this.in_flight = Some(Box::pin(crate::send::complete(
                        call,
                        std::convert::identity,
                    )));
                }
                Err(message) => {
                    this.position = Position::Done;
                    return Poll::Ready(Some(Err(pagination_error(
                        this.template.operation,
                        message,
                    ))));
                }
            }
        }
    }
}

/// A stream of the items of every page. Memory is one page at a time.
pub struct Items<P, I, E> {
    pages: Pages<P, I, E>,
    buffer: VecDeque<I>,
}

impl<P, I, E> Items<P, I, E> {
    /// Where the listing would continue after the items already yielded and buffered.
    pub fn resume_cursor(&self) -> Option<&Cursor> {
        self.pages.resume_cursor()
    }
}

impl<P, I, E> Stream for Items<P, I, E>
where
    P: Send + 'static,
    I: Unpin,
    E: FromResponse,
{
    type Item = Result<I, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(context) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend(page.into_items()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_through_text() {
        for cursor in [
            Cursor::Token("a:b".into()),
            Cursor::Offset(200),
            Cursor::Page(3),
            Cursor::Url("https://x/y?page=2".into()),
        ] {
            assert_eq!(cursor.to_string().parse::<Cursor>(), Ok(cursor));
        }
        assert!("nonsense".parse::<Cursor>().is_err());
    }

    #[test]
    fn link_headers_give_the_next_page() {
        let mut headers = http::HeaderMap::new();
        let link = "<https://api.github.com/repos?page=1>; rel=\"prev\", <https://api.github.com/repos?page=3>; rel=\"next\"";
        headers.insert(http::header::LINK, link.parse().unwrap());
        assert_eq!(
            next_link(&headers).as_deref(),
            Some("https://api.github.com/repos?page=3")
        );
        headers.insert(
            http::header::LINK,
            "<https://x/a>; rel=\"last\"".parse().unwrap(),
        );
        assert_eq!(next_link(&headers), None);
    }

    #[test]
    fn query_parameters_are_replaced() {
        let mut query = "limit=10&after=abc&x=1".to_owned();
        set_query(&mut query, "after", "d e");
        assert_eq!(query, "limit=10&x=1&after=d%20e");
        assert_eq!(query_value(&query, "after").as_deref(), Some("d e"));
        assert_eq!(query_value(&query, "limit").as_deref(), Some("10"));
    }
}
