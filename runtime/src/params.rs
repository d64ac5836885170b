//! Turning parameter values into URL and header text, following OpenAPI's `style` and
//! `explode` rules. Arrays and objects arrive as `serde_json::Value`, scalars as
//! `&dyn Display` (generated code knows which), so that this code exists once, not once
//! per parameter type.

use std::fmt::{self, Write as _};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

/// Characters left as they are in a query key or value: RFC 3986's unreserved set.
const QUERY_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters left as they are in one path segment: unreserved plus the sub-delimiters
/// and `:`/`@` that RFC 3986 allows in a segment.
pub(crate) const PATH_SEGMENT: &AsciiSet = &QUERY_COMPONENT
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// How a query parameter is written, from the spec's `style` and `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `style: form`: `k=a&k=b` when exploded, `k=a,b` when not.
    Form {
        /// The spec's `explode` (default `true` for form).
        explode: bool,
    },
    /// `style: spaceDelimited`: `k=a%20b`.
    SpaceDelimited,
    /// `style: pipeDelimited`: `k=a|b`.
    PipeDelimited,
    /// `style: deepObject`: `k[field]=v`, nested as deep as the value goes.
    DeepObject,
}

fn encode_query(text: &str) -> String {
    utf8_percent_encode(text, QUERY_COMPONENT).to_string()
}

/// A scalar as parameter text: strings bare, numbers and booleans as JSON writes them.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Room made for a query when its first parameter is added: most fit, where growing from
/// nothing would take three or four reallocations.
const QUERY_ROOM: usize = 64;

/// Prepares `query` for one more `k=v` pair.
fn start_pair(query: &mut String) {
    if query.is_empty() {
        query.reserve(QUERY_ROOM);
    } else {
        query.push('&');
    }
}

fn push_pair(query: &mut String, encoded_key: &str, encoded_value: &str) {
    start_pair(query);
    query.push_str(encoded_key);
    query.push('=');
    query.push_str(encoded_value);
}

/// Appends one query parameter to `query` (already-encoded `k=v` pairs joined by `&`).
/// `null` values are left out, as an absent optional parameter is.
pub fn append_query(query: &mut String, name: &str, value: &Value, style: QueryStyle) {
    let key = encode_query(name);
    match (value, style) {
        (Value::Null, _) => {}
        (_, QueryStyle::DeepObject) => append_deep(query, &key, value),
        (Value::Array(items), QueryStyle::Form { explode: true }) => {
            for item in items {
                push_pair(query, &key, &encode_query(&scalar_text(item)));
            }
        }
        (Value::Array(items), _) => {
            let delimiter = match style {
                QueryStyle::SpaceDelimited => "%20",
                QueryStyle::PipeDelimited => "|",
                _ => ",",
            };
            let joined: Vec<String> = items
                .iter()
                .map(|item| encode_query(&scalar_text(item)))
                .collect();
            push_pair(query, &key, &joined.join(delimiter));
        }
        (Value::Object(fields), QueryStyle::Form { explode: true }) => {
            for (field, item) in fields {
                push_pair(
                    query,
                    &encode_query(field),
                    &encode_query(&scalar_text(item)),
                );
            }
        }
        (Value::Object(fields), _) => {
            let joined: Vec<String> = fields
                .iter()
                .flat_map(|(field, item)| [encode_query(field), encode_query(&scalar_text(item))])
                .collect();
            push_pair(query, &key, &joined.join(","));
        }
        (scalar, _) => push_pair(query, &key, &encode_query(&scalar_text(scalar))),
    }
}

/// Appends `name=value` to `query`, the value written as its `Display` (a scalar, which
/// every style writes the same way), both percent-encoded.
pub fn append_query_text(query: &mut String, name: &str, value: &dyn fmt::Display) {
    start_pair(query);
    query.extend(utf8_percent_encode(name, QUERY_COMPONENT));
    query.push('=');
    write_escaped(query, value, QUERY_COMPONENT);
}

/// Writes the `Display` text of `value` into `out`, percent-encoding what `escape` names,
/// without an intermediate `String`.
pub(crate) fn write_escaped(out: &mut String, value: &dyn fmt::Display, escape: &'static AsciiSet) {
    struct Escaping<'a> {
        out: &'a mut String,
        escape: &'static AsciiSet,
    }
    impl fmt::Write for Escaping<'_> {
        fn write_str(&mut self, text: &str) -> fmt::Result {
            self.out.extend(utf8_percent_encode(text, self.escape));
            Ok(())
        }
    }
    // Only a `Display` impl can fail here (writing into a `String` does not); what it
    // wrote until then is kept, as `to_string` would panic instead.
    let _ = write!(Escaping { out, escape }, "{value}");
}

/// `key[field][index]=value`, the bracket convention of `deepObject` and of Stripe-style
/// form bodies. Brackets are percent-encoded, which servers decode before parsing.
fn append_deep(query: &mut String, encoded_key: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Object(fields) => {
            for (field, item) in fields {
                let nested = format!("{encoded_key}%5B{}%5D", encode_query(field));
                append_deep(query, &nested, item);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                append_deep(query, &format!("{encoded_key}%5B{index}%5D"), item);
            }
        }
        scalar => push_pair(query, encoded_key, &encode_query(&scalar_text(scalar))),
    }
}

/// A path parameter (`style: simple`) as one percent-encoded segment: arrays and
/// objects are comma-separated.
pub fn path_segment(value: &Value) -> String {
    let text = match value {
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        Value::Object(fields) => fields
            .iter()
            .flat_map(|(field, item)| [field.clone(), scalar_text(item)])
            .collect::<Vec<_>>()
            .join(","),
        scalar => scalar_text(scalar),
    };
    utf8_percent_encode(&text, PATH_SEGMENT).to_string()
}

/// A header parameter (`style: simple`): arrays comma-separated.
pub fn header_text(value: &Value) -> String {
    match value {
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        scalar => scalar_text(scalar),
    }
}

/// An `application/x-www-form-urlencoded` body. Top-level fields are form fields; nested
/// objects and arrays use brackets (`metadata[key]=v`, `items[0][price]=p`) when
/// `indexed_arrays` is set (as Stripe expects), otherwise arrays repeat the key.
pub fn form_body(value: &Value, indexed_arrays: bool) -> String {
    let mut body = String::new();
    if let Value::Object(fields) = value {
        for (field, item) in fields {
            let key = encode_query(field);
            match item {
                Value::Array(_) if !indexed_arrays => {
                    append_query(&mut body, field, item, QueryStyle::Form { explode: true })
                }
                _ => append_deep(&mut body, &key, item),
            }
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query(name: &str, value: Value, style: QueryStyle) -> String {
        let mut query = String::new();
        append_query(&mut query, name, &value, style);
        query
    }

    #[test]
    fn form_arrays_explode_both_ways() {
        let tags = json!(["a b", "c&d"]);
        let exploded = QueryStyle::Form { explode: true };
        let joined = QueryStyle::Form { explode: false };
        assert_eq!(query("tag", tags.clone(), exploded), "tag=a%20b&tag=c%26d");
        assert_eq!(query("tag", tags, joined), "tag=a%20b,c%26d");
    }

    #[test]
    fn delimited_styles_use_their_delimiter() {
        let ids = json!([1, 2]);
        assert_eq!(
            query("id", ids.clone(), QueryStyle::SpaceDelimited),
            "id=1%202"
        );
        assert_eq!(query("id", ids, QueryStyle::PipeDelimited), "id=1|2");
    }

    #[test]
    fn deep_object_nests_brackets() {
        let filter = json!({"name": "rex", "age": {"gt": 3}});
        assert_eq!(
            query("filter", filter, QueryStyle::DeepObject),
            "filter%5Bname%5D=rex&filter%5Bage%5D%5Bgt%5D=3"
        );
    }

    #[test]
    fn null_is_left_out_and_scalars_are_plain() {
        assert_eq!(
            query("x", Value::Null, QueryStyle::Form { explode: true }),
            ""
        );
        assert_eq!(
            query("flag", json!(true), QueryStyle::Form { explode: true }),
            "flag=true"
        );
    }

    #[test]
    fn scalar_text_is_written_as_the_value_path_writes_it() {
        let exploded = QueryStyle::Form { explode: true };
        let mut written = String::new();
        append_query_text(&mut written, "q name", &"a b&c/é");
        append_query_text(&mut written, "limit", &-42);
        append_query_text(&mut written, "flag", &true);
        let mut through_value = String::new();
        append_query(&mut through_value, "q name", &json!("a b&c/é"), exploded);
        append_query(&mut through_value, "limit", &json!(-42), exploded);
        append_query(&mut through_value, "flag", &json!(true), exploded);
        assert_eq!(written, "q%20name=a%20b%26c%2F%C3%A9&limit=-42&flag=true");
        assert_eq!(written, through_value);

        let mut segment = String::new();
        write_escaped(&mut segment, &"a/b c", PATH_SEGMENT);
        assert_eq!(segment, path_segment(&json!("a/b c")));
    }

    #[test]
    fn path_segments_encode_slashes() {
        assert_eq!(path_segment(&json!("a/b c")), "a%2Fb%20c");
        assert_eq!(path_segment(&json!(["x", "y"])), "x,y");
        assert_eq!(path_segment(&json!(42)), "42");
    }

    #[test]
    fn form_bodies_index_nested_values() {
        let body = json!({"email": "a@b.c", "metadata": {"k": "v"}, "expand": ["x", "y"]});
        assert_eq!(
            form_body(&body, true),
            "email=a%40b.c&metadata%5Bk%5D=v&expand%5B0%5D=x&expand%5B1%5D=y"
        );
        assert_eq!(form_body(&json!({"tag": ["x", "y"]}), false), "tag=x&tag=y");
    }
}
