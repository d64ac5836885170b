//! The field path (`data[3].customer.id`) of a position in a JSON document: where a body
//! failed to decode, found from the line and column serde_json reports.
//!
//! Tracking the path while decoding (with `serde_path_to_error`) would compile every
//! response type's decoding a second time, for the tracking deserializer; a big client
//! pays for that in build time on every build. Reading the path off the failed body costs a
//! scan of that one body, and only when decoding failed.

/// One step of a path: a key of an object or an index of an array.
enum Step {
    /// In an object, before its next key, or at the value of this key.
    Object(Option<String>),
    /// In an array, at the element of this index.
    Array(usize),
}

/// The path, as `serde_path_to_error` writes it (`.` for the document itself), of the value
/// being read at `line` and `column` (1-based line, bytes into the line: what
/// `serde_json::Error` reports) of `body`.
pub(crate) fn at(body: &[u8], line: usize, column: usize) -> String {
    let end = offset(body, line, column).min(body.len());
    let mut steps: Vec<Step> = Vec::new();
    let mut index = 0;
    // Whether a string that starts now is an object's key (rather than a value).
    let mut key_next = false;
    while index < end {
        match body[index] {
            b'{' => {
                steps.push(Step::Object(None));
                key_next = true;
            }
            b'[' => {
                steps.push(Step::Array(0));
                key_next = false;
            }
            b'}' | b']' => {
                steps.pop();
                key_next = false;
            }
            b':' => key_next = false,
            b',' => match steps.last_mut() {
                Some(Step::Object(key)) => {
                    *key = None;
                    key_next = true;
                }
                Some(Step::Array(element)) => *element += 1,
                None => {}
            },
            b'"' => {
                let close = string_end(body, index + 1);
                if key_next {
                    if let Some(Step::Object(key)) = steps.last_mut() {
                        *key = Some(unescape(&body[index + 1..close.min(body.len())]));
                    }
                }
                index = close;
            }
            _ => {}
        }
        index += 1;
    }
    write(&steps)
}

/// The byte offset of a 1-based line and a byte column.
fn offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(line - 2)
            .map_or(body.len(), |(index, _)| index + 1)
    };
    line_start + column
}

/// The index of the quote that closes a string whose text starts at `start`.
fn string_end(body: &[u8], start: usize) -> usize {
    let mut index = start;
    while index < body.len() {
        match body[index] {
            b'\\' => index += 2,
            b'"' => return index,
            _ => index += 1,
        }
    }
    body.len()
}

/// The text of a key, escapes resolved where they are valid.
fn unescape(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    if !raw.contains(&b'\\') {
        return text.into_owned();
    }
    serde_json::from_str(&format!("\"{text}\"")).unwrap_or_else(|_| text.into_owned())
}

fn write(steps: &[Step]) -> String {
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Step::Object(None) => {}
            Step::Array(element) => {
                path.push('[');
                path.push_str(&element.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    /// The path this module finds and the one `serde_path_to_error` tracks, for a body that
    /// fails to decode as `T`.
    fn both<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> (String, String) {
        let error = serde_json::from_str::<T>(body).expect_err("the body does not decode");
        let found = super::at(body.as_bytes(), error.line(), error.column());
        let mut deserializer = serde_json::Deserializer::from_str(body);
        let tracked = serde_path_to_error::deserialize::<_, T>(&mut deserializer)
            .expect_err("the body does not decode")
            .path()
            .to_string();
        (found, tracked)
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Pet {
        id: i64,
        name: String,
        category: Option<Category>,
        tags: Option<Vec<Category>>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Category {
        id: i64,
        name: String,
    }

    #[test]
    fn the_path_is_the_one_serde_path_to_error_tracks() {
        for body in [
            r#"{"id": 7, "name": "Rex", "category": {"id": "seven", "name": "Dogs"}}"#,
            r#"{"id": 7, "name": "Rex", "category": {"name": "Dogs"}}"#,
            r#"{"id": 7, "name": "Rex", "tags": [{"id": 1, "name": "a"}, {"id": 2, "name": 3}]}"#,
            "{\n  \"id\": 7,\n  \"name\": \"Rex\",\n  \"tags\": [\n    {\"id\": 1, \"name\": \"a\"},\n    {\"id\": true, \"name\": \"b\"}\n  ]\n}",
            r#"{"na\"me": "x", "id": "7", "name": "Rex"}"#,
            r#"{"id": 7}"#,
            r#"[1, 2]"#,
            r#"{"id": 7, "name": "Rex", "category": {"id": 1, "name": "a\"b", "x": [1, {"y": "}"}]}, "tags": 5}"#,
        ] {
            let (found, tracked) = both::<Pet>(body);
            assert_eq!(found, tracked, "{body}");
        }
    }

    #[test]
    fn a_list_of_items_is_indexed() {
        let (found, tracked) =
            both::<Vec<Category>>(r#"[{"id": 1, "name": "a"}, {"id": 2, "name": null}]"#);
        assert_eq!(found, "[1].name");
        assert_eq!(found, tracked);
    }
}
