//! Reading one spec file into JSON, whatever its syntax (JSON or YAML).

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::Problem;

/// Reads and parses `path`. JSON is tried first when the text looks like JSON; YAML
/// otherwise (YAML is a superset, but the JSON parser is faster and its errors clearer).
pub(crate) fn read(path: &Path) -> Result<Value, Problem> {
    let problem = |line: Option<usize>, message: String| Problem {
        file: path.to_path_buf(),
        pointer: String::new(),
        line,
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|error| {
        problem(None, format!("cannot read the spec ({error}); check the path, which is relative to the crate's Cargo.toml"))
    })?;
    parse(&text).map_err(|(line, message)| problem(line, message))
}

/// Parses spec text; on failure gives the line (where known) and the parser's message.
pub(crate) fn parse(text: &str) -> Result<Value, (Option<usize>, String)> {
    // A byte order mark, as some Windows editors write: the YAML parser would read it as
    // content.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text)
            .map_err(|error| (Some(error.line()), format!("invalid JSON: {error}")));
    }
    serde_yaml_ng::from_str::<YamlValue>(text)
        .map(|value| value.0)
        .map_err(|error| {
            let line = error.location().map(|location| location.line());
            (line, format!("invalid YAML: {error}"))
        })
}

/// A JSON value read from YAML. Unlike `serde_json::Value`'s own reader it accepts
/// integers beyond 64 bits (OpenAI's spec has one) as floats, and non-string keys (YAML
/// allows `200:`) as their text.
struct YamlValue(Value);

impl<'de> serde::Deserialize<'de> for YamlValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor).map(YamlValue)
    }
}

struct YamlVisitor;

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_i128<E>(self, value: i128) -> Result<Value, E> {
        Ok(Value::from(value as f64))
    }

    fn visit_u128<E>(self, value: u128) -> Result<Value, E> {
        Ok(Value::from(value as f64))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(YamlVisitor)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(YamlValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some((YamlValue(key), YamlValue(value))) = map.next_entry()? {
            let key = match key {
                Value::String(text) => text,
                Value::Null => "null".to_owned(),
                other => other.to_string(),
            };
            if key == MERGE_KEY && merge(&mut object, &value) {
                continue;
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// YAML's merge key (`<<: *defaults`): the mapping, or each mapping of a list, adds its
/// entries to the mapping it is written in.
const MERGE_KEY: &str = "<<";

/// Adds the entries of `merged` (a mapping, or a list of them, the first winning) that
/// `object` does not have yet; keys written after the merge key replace them as they are
/// read. Returns whether `merged` was something to merge; if not, `<<` is an ordinary key.
fn merge(object: &mut serde_json::Map<String, Value>, merged: &Value) -> bool {
    let mappings: Vec<&serde_json::Map<String, Value>> = match merged {
        Value::Object(mapping) => vec![mapping],
        Value::Array(items) if items.iter().all(Value::is_object) => {
            items.iter().filter_map(Value::as_object).collect()
        }
        _ => return false,
    };
    for mapping in mappings {
        for (key, value) in mapping {
            if !object.contains_key(key) {
                object.insert(key.clone(), value.clone());
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_give_the_same_value() {
        let json = parse(r#"{"openapi": "3.0.3", "paths": {}}"#).unwrap();
        let yaml = parse("openapi: 3.0.3\npaths: {}\n").unwrap();
        assert_eq!(json, yaml);
    }

    #[test]
    fn yaml_accepts_huge_integers_and_numeric_keys() {
        let value = parse("minimum: -9223372036854776000\nresponses:\n  200: ok\n").unwrap();
        assert_eq!(value["minimum"].as_f64(), Some(-9223372036854776000.0));
        assert_eq!(value["responses"]["200"], "ok");
    }

    #[test]
    fn merge_keys_add_what_the_mapping_does_not_say_itself() {
        let yaml = "base: &base {type: object, description: base, nullable: true}\n\
                    other: &other {description: other, title: other}\n\
                    one: {description: own, <<: *base}\n\
                    two: {<<: [*other, *base], nullable: false}\n";
        let value = parse(yaml).unwrap();
        assert_eq!(
            value["one"],
            serde_json::json!({"description": "own", "type": "object", "nullable": true})
        );
        assert_eq!(
            value["two"],
            serde_json::json!({"description": "other", "title": "other", "type": "object", "nullable": false})
        );
        assert_eq!(parse("<<: 5\n").unwrap()["<<"], 5);
    }

    #[test]
    fn a_byte_order_mark_is_not_content() {
        let yaml = parse("\u{feff}openapi: 3.0.3\npaths: {}\n").unwrap();
        let json = parse("\u{feff}{\"openapi\": \"3.0.3\", \"paths\": {}}").unwrap();
        assert_eq!(yaml["openapi"], "3.0.3");
        assert_eq!(yaml, json);
    }

    #[test]
    fn errors_carry_the_line() {
        let (line, message) = parse("{\n  \"openapi\": ,\n}").unwrap_err();
        assert_eq!(line, Some(2));
        assert!(message.starts_with("invalid JSON"), "{message}");
        let (line, _) = parse("openapi: 3.0.3\npaths: [\n").unwrap_err();
        assert!(line.is_some());
    }
}
