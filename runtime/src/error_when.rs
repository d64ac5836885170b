//! Failures reported in a success status, as Slack's `200 {"ok": false, "error": "..."}`:
//! the spec's `x-tether-error-when` names a top-level property of the JSON body and the
//! value that marks a failure. Such a response is decoded as the operation's error type,
//! not as its success.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// The rule of one operation: `property` equal to `equals` marks a failure.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ErrorWhen {
    property: &'static str,
    equals: Value,
}

impl ErrorWhen {
    /// A rule from the property name and the value's JSON text (`false`, `"error"`).
    pub(crate) fn new(property: &'static str, equals: &str) -> Result<Self, String> {
        let equals = serde_json::from_str(equals)
            .map_err(|error| format!("x-tether-error-when: `{equals}` is not JSON: {error}"))?;
        Ok(ErrorWhen { property, equals })
    }

    /// Whether `body` is a JSON object whose property has the failure value. Only that
    /// property is kept while the body is read; a body that is not such an object is no
    /// failure (the success decoder then says what is wrong with it).
    pub(crate) fn matches(&self, body: &[u8]) -> bool {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let probe = Probe {
            property: self.property,
        };
        matches!(probe.deserialize(&mut deserializer), Ok(Some(found)) if found == self.equals)
    }
}

/// Reads one property of a JSON object, skipping the others without building them.
struct Probe {
    property: &'static str,
}

impl<'de> DeserializeSeed<'de> for Probe {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Probe {
    type Value = Option<Value>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.property {
                found = Some(map.next_value::<Value>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> ErrorWhen {
        ErrorWhen::new("ok", "false").expect("valid JSON")
    }

    #[test]
    fn the_failure_value_matches() {
        assert!(rule().matches(br#"{"ok": false, "error": "channel_not_found"}"#));
        assert!(rule().matches(br#"{"error": "x", "nested": {"ok": true}, "ok": false}"#));
    }

    #[test]
    fn other_values_and_other_bodies_do_not() {
        assert!(!rule().matches(br#"{"ok": true, "ts": "1.2"}"#));
        assert!(!rule().matches(br#"{"ok": "false"}"#));
        assert!(!rule().matches(br#"{"nested": {"ok": false}}"#));
        assert!(!rule().matches(b"[false]"));
        assert!(!rule().matches(b"not json"));
        assert!(!rule().matches(b""));
    }

    #[test]
    fn a_value_that_is_not_json_is_refused() {
        assert!(ErrorWhen::new("ok", "fals").is_err());
    }
}
