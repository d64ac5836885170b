//! A request as a sandbox operation reads it: each parameter and the body decoded into
//! the operation's types, or a `400` that says which value did not fit and why.

use std::borrow::Cow;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use super::reply::Encoded;
use super::routes::RouteInfo;
use super::text::{Encoding, Invalid, Text, TextDeserializer, MISSING};
use crate::QueryStyle;

/// A request routed to an operation, for generated code to decode its arguments from.
#[derive(Debug)]
pub struct Incoming {
    pub(crate) path_params: Vec<(String, String)>,
    /// The query string, split into (decoded key, raw value) pairs.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
}

/// The request body as it arrived.
#[derive(Debug)]
pub(crate) enum Body {
    /// No body, or an empty one.
    Empty,
    /// The bytes.
    Bytes(Bytes),
    /// A `multipart/form-data` body, read into its parts.
    Parts {
        /// The parts, each a field of the body's type.
        fields: Text,
        /// For each part in order, whether it was sent as a file (with a file name).
        files: Vec<bool>,
    },
}

/// Why a request was answered `400`: which value, where in it, and what was wrong.
#[derive(Debug, Clone)]
pub struct Rejection {
    /// What was read: `query parameter `limit``, `the body`.
    what: String,
    /// The field path inside the value (`category.id`), when the value is structured.
    path: Option<String>,
    message: String,
}

impl Rejection {
    fn new(what: String, path: Option<String>, error: Invalid) -> Rejection {
        Rejection {
            what,
            path,
            message: error.0,
        }
    }

    /// The `400` answer naming the operation.
    pub(crate) fn encode(&self, info: &RouteInfo) -> Encoded {
        let mut message = self.what.clone();
        if let Some(path) = &self.path {
            message.push_str(&format!(" at `{path}`"));
        }
        message.push(' ');
        message.push_str(&self.message);
        Encoded::problem(
            StatusCode::BAD_REQUEST,
            "bad_request",
            info,
            &message,
            self.path.as_deref(),
        )
    }
}

/// Splits a query string or form body into (decoded key, raw value) pairs.
pub(crate) fn pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_encoding::percent_decode_str(&key.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned(),
                value.to_owned(),
            )
        })
        .collect()
}

/// Reads `text` as `T`, with the path of the field that did not fit.
fn read<T: DeserializeOwned>(text: &Text, what: impl FnOnce() -> String) -> Result<T, Rejection> {
    serde_path_to_error::deserialize(TextDeserializer(text)).map_err(|error| {
        let path = error.path().to_string();
        let path = (path != ".").then_some(path);
        Rejection::new(what(), path, error.into_inner())
    })
}

fn single(value: &str, encoding: Encoding) -> Text {
    Text::Values {
        raw: vec![value.to_owned()],
        delimiter: Some(","),
        encoding,
    }
}

impl Incoming {
    /// Path parameter `name` (`style: simple`).
    pub fn path<T: DeserializeOwned>(&self, name: &str) -> Result<T, Rejection> {
        let text = self
            .path_params
            .iter()
            .find(|(param, _)| param == name)
            .map_or(Text::Absent, |(_, raw)| single(raw, Encoding::Percent));
        read(&text, || format!("path parameter `{name}`"))
    }

    /// Query parameter `name`, written in `style`. An `Option` type reads an absent
    /// parameter as `None`; any other type rejects it.
    pub fn query<T: DeserializeOwned>(
        &self,
        name: &str,
        style: QueryStyle,
    ) -> Result<T, Rejection> {
        let text = match style {
            QueryStyle::DeepObject => {
                let prefix = format!("{name}[");
                let nested = self.query.iter().filter_map(|(key, raw)| {
                    let inner = key.strip_prefix(&prefix)?;
                    // `inner` is `field]...`: make it `field[...` for the bracket parser.
                    Some((inner.replacen(']', "", 1), raw.as_str()))
                });
                let nested: Vec<(String, &str)> = nested.collect();
                if nested.is_empty() {
                    Text::Absent
                } else {
                    Text::fields(
                        nested.iter().map(|(key, raw)| (key.as_str(), *raw)),
                        Encoding::Form,
                    )
                }
            }
            _ => {
                let raw: Vec<String> = self
                    .query
                    .iter()
                    .filter(|(key, _)| key == name)
                    .map(|(_, raw)| raw.clone())
                    .collect();
                let delimiter = match style {
                    QueryStyle::Form { explode: false } => Some(","),
                    QueryStyle::SpaceDelimited => Some("%20"),
                    QueryStyle::PipeDelimited => Some("|"),
                    _ => None,
                };
                if raw.is_empty() {
                    Text::Absent
                } else {
                    Text::Values {
                        raw,
                        delimiter,
                        encoding: Encoding::Form,
                    }
                }
            }
        };
        read(&text, || format!("query parameter `{name}`"))
    }

    /// Header parameter `name` (`style: simple`).
    pub fn header<T: DeserializeOwned>(&self, name: &str) -> Result<T, Rejection> {
        let raw: Vec<String> = self
            .headers
            .get_all(name)
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect();
        let text = match raw.as_slice() {
            [] => Text::Absent,
            [one] => single(one, Encoding::Plain),
            _ => Text::Values {
                raw,
                delimiter: None,
                encoding: Encoding::Plain,
            },
        };
        read(&text, || format!("header `{name}`"))
    }

    /// Cookie parameter `name`.
    pub fn cookie<T: DeserializeOwned>(&self, name: &str) -> Result<T, Rejection> {
        let text = self
            .cookie_text(name)
            .map_or(Text::Absent, |value| single(value, Encoding::Plain));
        read(&text, || format!("cookie `{name}`"))
    }

    fn cookie_text(&self, name: &str) -> Option<&str> {
        self.headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    /// Parameter `name` at `place` that the spec describes by a JSON media type: its
    /// text, decoded as the place writes it, read as JSON. An `Option` type reads an
    /// absent parameter as `None`; any other type rejects it.
    pub fn json<T: DeserializeOwned>(&self, place: ParamPlace, name: &str) -> Result<T, Rejection> {
        let what = || format!("{} `{name}`", place.describe());
        let text = match place {
            ParamPlace::Path => self
                .path_params
                .iter()
                .find(|(param, _)| param == name)
                .map(|(_, raw)| Encoding::Percent.decode(raw)),
            ParamPlace::Query => self
                .query
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, raw)| Encoding::Form.decode(raw)),
            ParamPlace::Header => self
                .headers
                .get(name)
                .map(|value| String::from_utf8_lossy(value.as_bytes())),
            ParamPlace::Cookie => self.cookie_text(name).map(Cow::Borrowed),
        };
        let Some(text) = text else {
            return read(&Text::Absent, what);
        };
        let mut json = serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(&mut json).map_err(|error| {
            let path = error.path().to_string();
            let path = (path != ".").then_some(path);
            let message = format!("is not the JSON the spec describes: {}", error.inner());
            Rejection::new(what(), path, Invalid(message))
        })
    }

    /// The body as JSON. An empty body is `None` for an optional body, else rejected.
    pub fn json_body<T: DeserializeOwned>(&self) -> Result<T, Rejection> {
        let bytes = match &self.body {
            Body::Bytes(bytes) => bytes,
            Body::Empty => return read(&Text::Absent, body),
            Body::Parts { .. } => {
                return Err(Rejection::new(
                    body(),
                    None,
                    Invalid("is multipart; JSON is expected".to_owned()),
                ))
            }
        };
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            let path = (path != ".").then_some(path);
            Rejection::new(body(), path, Invalid(error.into_inner().to_string()))
        })?;
        deserializer
            .end()
            .map_err(|error| Rejection::new(body(), None, Invalid(error.to_string())))?;
        Ok(value)
    }

    /// Whether the request's `Content-Type` is `media`, its parameters aside and in any
    /// case; `type/*` and `*/*` match as wildcards. How an operation that takes its body
    /// in several media types tells which one came.
    pub fn has_content_type(&self, media: &str) -> bool {
        let Some(essence) = self
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .map(str::trim)
        else {
            return false;
        };
        match media.strip_suffix('*') {
            Some("*/") => true,
            Some(prefix) => {
                essence.len() > prefix.len()
                    && essence.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
            }
            None => essence.eq_ignore_ascii_case(media),
        }
    }

    /// The body as `application/x-www-form-urlencoded` fields (bracketed keys nest).
    pub fn form_body<T: DeserializeOwned>(&self) -> Result<T, Rejection> {
        let text = match &self.body {
            Body::Empty => Text::Absent,
            Body::Bytes(bytes) => {
                let pairs = pairs(&String::from_utf8_lossy(bytes));
                Text::fields(
                    pairs.iter().map(|(key, raw)| (key.as_str(), raw.as_str())),
                    Encoding::Form,
                )
            }
            Body::Parts { fields, .. } => fields.clone(),
        };
        read(&text, body)
    }

    /// The body as `multipart/form-data` parts, one field each.
    pub fn multipart_body<T: DeserializeOwned>(&self) -> Result<T, Rejection> {
        match &self.body {
            Body::Parts { fields, .. } => read(fields, body),
            Body::Empty => read(&Text::Absent, body),
            Body::Bytes(_) => Err(Rejection::new(
                body(),
                None,
                Invalid("is not `multipart/form-data`".to_owned()),
            )),
        }
    }

    /// The body as a multipart form, for an operation whose spec does not list the
    /// parts: `MultipartForm`, or `Option<MultipartForm>` for an optional body (`None`
    /// when none was sent). A part sent with a file name is a file, any other a text
    /// field (a file when it is not UTF-8).
    pub fn multipart_form<T: FromForm>(&self) -> Result<T, Rejection> {
        let form = match &self.body {
            Body::Parts {
                fields: Text::Fields(fields),
                files,
            } => {
                let mut form = crate::MultipartForm::new();
                for ((name, part), &file) in fields.iter().zip(files) {
                    let Text::Bytes(bytes) = part else { continue };
                    form = match std::str::from_utf8(bytes) {
                        Ok(text) if !file => form.text(name.as_str(), text),
                        _ => form.file(name.as_str(), bytes.clone()),
                    };
                }
                Some(form)
            }
            Body::Parts { .. } => Some(crate::MultipartForm::new()),
            Body::Empty => None,
            Body::Bytes(_) => {
                let error = Invalid("is not `multipart/form-data`".to_owned());
                return Err(Rejection::new(body(), None, error));
            }
        };
        T::from_form(form).ok_or_else(|| Rejection::new(body(), None, Invalid(MISSING.to_owned())))
    }

    /// The body as raw bytes or text, as it arrived.
    pub fn raw_body<T: DeserializeOwned>(&self) -> Result<T, Rejection> {
        let text = match &self.body {
            Body::Empty => Text::Absent,
            Body::Bytes(bytes) => Text::Bytes(bytes.clone()),
            Body::Parts { .. } => {
                return Err(Rejection::new(
                    body(),
                    None,
                    Invalid("is multipart; a plain body is expected".to_owned()),
                ))
            }
        };
        read(&text, body)
    }
}

/// What [`Incoming::multipart_form`] reads a body into.
pub trait FromForm: Sized {
    /// The value of `form` (`None` when no body was sent), or `None` when it is missing.
    fn from_form(form: Option<crate::MultipartForm>) -> Option<Self>;
}

/// A required body: missing when none was sent.
impl FromForm for crate::MultipartForm {
    fn from_form(form: Option<crate::MultipartForm>) -> Option<Self> {
        form
    }
}

/// An optional body: `None` when none was sent.
impl FromForm for Option<crate::MultipartForm> {
    fn from_form(form: Option<crate::MultipartForm>) -> Option<Self> {
        Some(form)
    }
}

fn body() -> String {
    "the body".to_owned()
}

/// Where a request carries a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamPlace {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// The `Cookie` header.
    Cookie,
}

impl ParamPlace {
    fn describe(self) -> &'static str {
        match self {
            ParamPlace::Path => "path parameter",
            ParamPlace::Query => "query parameter",
            ParamPlace::Header => "header",
            ParamPlace::Cookie => "cookie",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::MISSING;
    use super::*;
    use serde::Deserialize;

    fn incoming(query: &str, body: Body) -> Incoming {
        Incoming {
            path_params: vec![("petId".into(), "4%202".into())],
            query: pairs(query),
            headers: HeaderMap::new(),
            body,
        }
    }

    #[test]
    fn a_json_parameter_is_read_as_json_wherever_it_is_sent() {
        let mut request = incoming(
            "where=%7B%22name%22%3A%22Rex+%26+co%22%7D&bad=%7B",
            Body::Empty,
        );
        request.path_params = vec![("ids".into(), "%5B1%2C2%5D".into())];
        request.headers.insert(
            "x-filter",
            http::HeaderValue::from_static(r#"{"name":"Tom"}"#),
        );
        request.headers.insert(
            http::header::COOKIE,
            http::HeaderValue::from_static("a=1; prefs=[true,false]"),
        );
        let filter: Filter = request.json(ParamPlace::Query, "where").unwrap();
        assert_eq!(filter.name.as_deref(), Some("Rex & co"));
        let ids: Vec<i64> = request.json(ParamPlace::Path, "ids").unwrap();
        assert_eq!(ids, [1, 2]);
        let header: Filter = request.json(ParamPlace::Header, "x-filter").unwrap();
        assert_eq!(header.name.as_deref(), Some("Tom"));
        let prefs: Vec<bool> = request.json(ParamPlace::Cookie, "prefs").unwrap();
        assert_eq!(prefs, [true, false]);

        let absent: Option<Filter> = request.json(ParamPlace::Query, "other").unwrap();
        assert!(absent.is_none());
        let missing = request.json::<i64>(ParamPlace::Query, "other").unwrap_err();
        assert_eq!(missing.message, MISSING);
        let broken = request
            .json::<Filter>(ParamPlace::Query, "bad")
            .unwrap_err();
        assert_eq!(broken.what, "query parameter `bad`");
        assert!(broken.message.starts_with("is not the JSON"), "{broken:?}");
    }

    #[test]
    fn content_types_match_without_parameters_in_any_case_and_by_wildcard() {
        let mut request = incoming("", Body::Empty);
        assert!(!request.has_content_type("application/json"), "no header");
        request.headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("Multipart/Form-Data; boundary=x"),
        );
        assert!(request.has_content_type("multipart/form-data"));
        assert!(request.has_content_type("multipart/*"));
        assert!(request.has_content_type("*/*"));
        assert!(!request.has_content_type("application/json"));
        assert!(!request.has_content_type("multipart/form-data-x"));
        assert!(!request.has_content_type("text/*"));
    }

    #[test]
    fn an_open_form_reads_text_and_files_and_is_missing_only_when_required() {
        let parts = Text::Fields(vec![
            ("note".to_owned(), Text::Bytes(Bytes::from_static(b"hi"))),
            (
                "scan".to_owned(),
                Text::Bytes(Bytes::from_static(&[0xff, 0x00])),
            ),
            (
                "readme".to_owned(),
                Text::Bytes(Bytes::from_static(b"text")),
            ),
        ]);
        let body = Body::Parts {
            fields: parts,
            files: vec![false, false, true],
        };
        let form: crate::MultipartForm = incoming("", body).multipart_form().unwrap();
        assert_eq!(
            form,
            crate::MultipartForm::new()
                .text("note", "hi")
                .file("scan", vec![0xff, 0x00])
                .file("readme", b"text".to_vec())
        );
        let absent = incoming("", Body::Empty);
        let optional: Option<crate::MultipartForm> = absent.multipart_form().unwrap();
        assert_eq!(optional, None);
        let required = absent.multipart_form::<crate::MultipartForm>().unwrap_err();
        assert_eq!(required.message, MISSING);
        assert!(incoming("", Body::Bytes(Bytes::from_static(b"x")))
            .multipart_form::<crate::MultipartForm>()
            .is_err());
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Filter {
        name: Option<String>,
        #[serde(rename = "minAge")]
        min_age: Option<i64>,
    }

    #[test]
    fn parameters_decode_by_style() {
        let request = incoming(
            "tags=a,b&status=x&status=y&filter%5Bname%5D=Rex&filter%5BminAge%5D=3&limit=5",
            Body::Empty,
        );
        let tags: Vec<String> = request
            .query("tags", QueryStyle::Form { explode: false })
            .unwrap();
        assert_eq!(tags, ["a", "b"]);
        let status: Vec<String> = request
            .query("status", QueryStyle::Form { explode: true })
            .unwrap();
        assert_eq!(status, ["x", "y"]);
        let filter: Option<Filter> = request.query("filter", QueryStyle::DeepObject).unwrap();
        assert_eq!(
            filter,
            Some(Filter {
                name: Some("Rex".into()),
                min_age: Some(3)
            })
        );
        let limit: Option<i32> = request
            .query("limit", QueryStyle::Form { explode: true })
            .unwrap();
        assert_eq!(limit, Some(5));
        let missing: Option<i32> = request
            .query("after", QueryStyle::Form { explode: true })
            .unwrap();
        assert_eq!(missing, None);
        let id: String = request.path("petId").unwrap();
        assert_eq!(id, "4 2");
    }

    #[test]
    fn mismatches_name_the_value_and_the_field() {
        let request = incoming("filter%5BminAge%5D=old", Body::Empty);
        let error = request
            .query::<Filter>("filter", QueryStyle::DeepObject)
            .unwrap_err();
        assert_eq!(error.what, "query parameter `filter`");
        assert_eq!(error.path.as_deref(), Some("minAge"));
        let required = request
            .query::<i32>("limit", QueryStyle::Form { explode: true })
            .unwrap_err();
        assert_eq!(required.message, MISSING);
        let json = incoming("", Body::Bytes(Bytes::from_static(br#"{"name": 5}"#)));
        let error = json.json_body::<Filter>().unwrap_err();
        assert_eq!(error.path.as_deref(), Some("name"));
        assert!(
            error.message.contains("invalid type: integer `5`"),
            "{error:?}"
        );
        assert!(json.json_body::<Option<Filter>>().is_err());
        let empty = incoming("", Body::Empty);
        assert_eq!(empty.json_body::<Option<Filter>>().unwrap(), None);
    }
}
