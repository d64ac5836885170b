//! The routing table: which operation a request's method and path belong to, and the
//! path parameters the path carries. OpenAPI templates are matched here rather than by a
//! router crate, because specs use shapes routers reject (`/a/{id}` beside `/a/{name}/b`,
//! `/files/{name}.json`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use http::{HeaderMap, Method};

use super::incoming::{pairs, Incoming, Rejection};
use super::reply::{Encoded, Reply, Respond, SuccessEncoder};
use super::text::Encoding;

/// The answer of one operation, type-erased so that one table holds every operation.
pub(crate) type Handler =
    dyn Fn(Incoming) -> Pin<Box<dyn Future<Output = Encoded> + Send>> + Send + Sync;

/// What a request was routed to, for error bodies and the fault plan.
#[derive(Debug, Clone)]
pub(crate) struct RouteInfo {
    /// The spec's operation id.
    pub(crate) operation: &'static str,
    /// The method.
    pub(crate) method: Method,
    /// The path template.
    pub(crate) template: &'static str,
}

/// One part of a path segment template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Param(String),
}

/// A path template, split at `/`, and the query a spec may write into it
/// (OpenAI's `/responses?beta=true` beside `/responses`), as `name=value` pairs a request
/// must carry; with the parameters an operation always sends one value of, which a request
/// must carry too (AWS's operations share `POST /` and differ in `X-Amz-Target`).
#[derive(Debug, Clone)]
struct Template {
    segments: Vec<Vec<Part>>,
    fixed_query: Vec<&'static str>,
    fixed: &'static [Fixed],
}

/// A parameter an operation always sends with one value: a request of that operation
/// carries it. Generated sandboxes list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixed {
    /// A query parameter's name and value (not percent-encoded).
    Query(&'static str, &'static str),
    /// A header's name and value.
    Header(&'static str, &'static str),
}

impl Fixed {
    fn carried(&self, query: &str, headers: &HeaderMap) -> bool {
        match *self {
            Fixed::Query(name, value) => pairs(query)
                .iter()
                .any(|(key, raw)| key == name && Encoding::Form.decode(raw) == value),
            Fixed::Header(name, value) => headers
                .get_all(name)
                .iter()
                .any(|sent| sent.as_bytes() == value.as_bytes()),
        }
    }
}

/// What [`Routes::add`] is given to find an operation: its method, path template and id,
/// and for some the parameters it always sends one value of.
pub struct RouteKey {
    method: Method,
    template: &'static str,
    operation: &'static str,
    fixed: &'static [Fixed],
}

impl From<(Method, &'static str, &'static str)> for RouteKey {
    fn from((method, template, operation): (Method, &'static str, &'static str)) -> Self {
        RouteKey {
            method,
            template,
            operation,
            fixed: &[],
        }
    }
}

impl<const N: usize> From<(Method, &'static str, &'static str, &'static [Fixed; N])> for RouteKey {
    fn from(
        (method, template, operation, fixed): (
            Method,
            &'static str,
            &'static str,
            &'static [Fixed; N],
        ),
    ) -> Self {
        RouteKey {
            method,
            template,
            operation,
            fixed,
        }
    }
}

impl Template {
    fn parse(template: &'static str, fixed: &'static [Fixed]) -> Template {
        let (path, query) = template.split_once('?').unwrap_or((template, ""));
        let segments = split(path)
            .map(|segment| {
                let mut parts = Vec::new();
                let mut rest = segment;
                while let Some(open) = rest.find('{') {
                    let Some(close) = rest[open..].find('}').map(|close| open + close) else {
                        break;
                    };
                    if open > 0 {
                        parts.push(Part::Literal(rest[..open].to_owned()));
                    }
                    parts.push(Part::Param(rest[open + 1..close].to_owned()));
                    rest = &rest[close + 1..];
                }
                if !rest.is_empty() || parts.is_empty() {
                    parts.push(Part::Literal(rest.to_owned()));
                }
                parts
            })
            .collect();
        Template {
            segments,
            fixed_query: query.split('&').filter(|pair| !pair.is_empty()).collect(),
            fixed,
        }
    }

    /// How specific each segment is (literal before mixed before parameter), so that
    /// `/pets/findByStatus` is tried before `/pets/{petId}`; of one path, a template with
    /// a query of its own or fixed parameters is tried first.
    fn rank(&self) -> (Vec<u8>, bool) {
        let segments = self
            .segments
            .iter()
            .map(|parts| match parts.as_slice() {
                [Part::Literal(_)] => 0,
                [Part::Param(_)] => 2,
                _ => 1,
            })
            .collect();
        (
            segments,
            self.fixed_query.is_empty() && self.fixed.is_empty(),
        )
    }

    /// The raw (still percent-encoded) path parameters, when `path`, `query` and `headers`
    /// fit.
    fn matches(
        &self,
        path: &str,
        query: &str,
        headers: &HeaderMap,
    ) -> Option<Vec<(String, String)>> {
        let segments: Vec<&str> = split(path).collect();
        if segments.len() != self.segments.len() {
            return None;
        }
        let carried = |pair: &&str| query.split('&').any(|sent| sent == *pair);
        if !self.fixed_query.iter().all(carried) {
            return None;
        }
        let mut params = Vec::new();
        for (parts, segment) in self.segments.iter().zip(segments) {
            match_segment(parts, segment, &mut params)?;
        }
        // Read only for a path that fits: the query is decoded to compare values.
        self.fixed
            .iter()
            .all(|fixed| fixed.carried(query, headers))
            .then_some(params)
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.trim_matches('/').split('/').filter(|s| !s.is_empty())
}

/// Matches one segment: each parameter takes the text up to the next literal part.
fn match_segment(parts: &[Part], segment: &str, params: &mut Vec<(String, String)>) -> Option<()> {
    let mut rest = segment;
    for (index, part) in parts.iter().enumerate() {
        match part {
            Part::Literal(text) => rest = rest.strip_prefix(text.as_str())?,
            Part::Param(name) => {
                let end = match parts.get(index + 1) {
                    Some(Part::Literal(next)) => rest.find(next.as_str())?,
                    _ => rest.len(),
                };
                if end == 0 {
                    return None;
                }
                params.push((name.clone(), rest[..end].to_owned()));
                rest = &rest[end..];
            }
        }
    }
    rest.is_empty().then_some(())
}

/// One operation of the table.
struct Route {
    info: RouteInfo,
    template: Template,
    handler: Box<Handler>,
}

/// Where a request goes.
pub(crate) enum Found<'a> {
    /// To this operation, with these raw path parameters.
    Operation {
        info: RouteInfo,
        params: Vec<(String, String)>,
        handler: &'a Handler,
    },
    /// The path is an operation's, the method is not: these are.
    OtherMethods(Vec<Method>),
    /// No operation has this path.
    Nothing,
}

/// Every operation of a sandbox.
pub(crate) struct Table {
    /// The path of the spec's server URL (`/v1`), which every request path starts with.
    pub(crate) base_path: String,
    routes: Vec<Route>,
}

impl Table {
    /// The operation `method`, `path` (below the base path), `query` and `headers` belong
    /// to.
    pub(crate) fn find(
        &self,
        method: &Method,
        path: &str,
        query: &str,
        headers: &HeaderMap,
    ) -> Found<'_> {
        let mut others = Vec::new();
        for route in &self.routes {
            let Some(params) = route.template.matches(path, query, headers) else {
                continue;
            };
            if route.info.method == *method {
                return Found::Operation {
                    info: route.info.clone(),
                    params,
                    handler: route.handler.as_ref(),
                };
            }
            others.push(route.info.method.clone());
        }
        if others.is_empty() {
            Found::Nothing
        } else {
            Found::OtherMethods(others)
        }
    }
}

/// The operations of a generated sandbox trait `A`, as generated code lists them.
pub struct Routes<A> {
    api: Arc<A>,
    table: Table,
}

impl<A: Send + Sync + 'static> Routes<A> {
    /// Routes to `api`, below `base_path` (the path of the spec's server URL).
    pub fn new(api: A, base_path: &str) -> Self {
        Routes {
            api: Arc::new(api),
            table: Table {
                base_path: base_path.trim_end_matches('/').to_owned(),
                routes: Vec::new(),
            },
        }
    }

    /// Adds the operation `key` names. `decode` reads the operation's arguments from the
    /// request (or rejects it) and returns the call of the trait method; its reply is
    /// answered with `status` and `encode` on success.
    pub fn add<T, E, D, F>(
        &mut self,
        key: impl Into<RouteKey>,
        status: u16,
        encode: SuccessEncoder<T>,
        decode: D,
    ) where
        T: 'static,
        E: Respond,
        D: Fn(Arc<A>, &Incoming) -> Result<F, Rejection> + Send + Sync + 'static,
        F: Future<Output = Reply<T, E>> + Send + 'static,
    {
        let RouteKey {
            method,
            template,
            operation,
            fixed,
        } = key.into();
        let info = RouteInfo {
            operation,
            method,
            template,
        };
        let handler_info = info.clone();
        let api = self.api.clone();
        let handler: Box<Handler> = Box::new(move |request| match decode(api.clone(), &request) {
            Ok(call) => {
                let info = info.clone();
                Box::pin(async move { call.await.encode(&info, status, encode) })
            }
            Err(rejection) => Box::pin(std::future::ready(rejection.encode(&info))),
        });
        self.table.routes.push(Route {
            info: handler_info,
            template: Template::parse(template, fixed),
            handler,
        });
    }

    /// The table, most specific templates first.
    pub(crate) fn into_table(mut self) -> Table {
        self.table
            .routes
            .sort_by_cached_key(|route| route.template.rank());
        self.table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(template: &'static str, path: &str) -> Option<Vec<(String, String)>> {
        Template::parse(template, &[]).matches(path, "", &HeaderMap::new())
    }

    #[test]
    fn templates_match_whole_and_partial_segments() {
        assert_eq!(
            params("/pets/{petId}", "/pets/42"),
            Some(vec![("petId".into(), "42".into())])
        );
        assert_eq!(params("/pets/{petId}", "/pets/42/photo"), None);
        assert_eq!(
            params("/files/{name}.json", "/files/a%20b.json"),
            Some(vec![("name".into(), "a%20b".into())])
        );
        assert_eq!(params("/files/{name}.json", "/files/.json"), None);
        assert_eq!(params("/health", "/health/"), Some(vec![]));
    }

    #[test]
    fn a_query_written_into_a_template_must_be_sent() {
        let beta = Template::parse("/responses/{id}?beta=true", &[]);
        let headers = HeaderMap::new();
        assert_eq!(
            beta.matches("/responses/r1", "stream=false&beta=true", &headers),
            Some(vec![("id".into(), "r1".into())])
        );
        assert_eq!(beta.matches("/responses/r1", "beta=truest", &headers), None);
        assert_eq!(beta.matches("/responses/r1", "", &headers), None);
        assert!(beta.rank() < Template::parse("/responses/{id}", &[]).rank());
    }

    #[test]
    fn fixed_parameters_must_be_sent_with_their_value() {
        const TARGET: &[Fixed] = &[Fixed::Header("x-amz-target", "KMS.Encrypt")];
        const VERSION: &[Fixed] = &[Fixed::Query("api-version", "2018-02-14 preview")];
        let encrypt = Template::parse("/", TARGET);
        let mut headers = HeaderMap::new();
        assert_eq!(encrypt.matches("/", "", &headers), None);
        headers.insert("X-Amz-Target", "KMS.Decrypt".parse().unwrap());
        assert_eq!(encrypt.matches("/", "", &headers), None);
        headers.insert("X-Amz-Target", "KMS.Encrypt".parse().unwrap());
        assert_eq!(encrypt.matches("/", "", &headers), Some(vec![]));
        assert!(encrypt.rank() < Template::parse("/", &[]).rank());

        let versioned = Template::parse("/keys", VERSION);
        let empty = HeaderMap::new();
        assert_eq!(
            versioned.matches("/keys", "a=1&api-version=2018-02-14%20preview", &empty),
            Some(vec![])
        );
        assert_eq!(
            versioned.matches("/keys", "api-version=2018-02-14+preview", &empty),
            Some(vec![])
        );
        assert_eq!(versioned.matches("/keys", "api-version=2019", &empty), None);
    }

    #[test]
    fn literal_segments_rank_before_parameters() {
        let literal = Template::parse("/pets/findByStatus", &[]).rank();
        let param = Template::parse("/pets/{petId}", &[]).rank();
        assert!(literal < param);
    }
}
