//! A JSON tree that borrows its strings from the spec's text, and the reading both trees
//! share ([`Tree`]).
//!
//! `serde_json::Value` gives every string and key an allocation of its own and every
//! object a hash table; building it and freeing it was most of the loader's time on an
//! OpenAPI 3.0 spec (parsing GitHub's into a `Value` and dropping it costs twice what the
//! same text costs as a [`Lean`] tree). An OpenAPI 3.0 document that needs nothing but
//! reading into the model (no other file, no 3.1 keyword to repair) is read from a lean
//! tree; every other document, and any node the model readers leave to serde, goes on as
//! a `Value`, into which a lean tree converts.

use std::borrow::Cow;

use serde_json::{Map, Number, Value};

/// A JSON node whose strings are borrowed from the text where the text writes them
/// without escapes. An object's keys are unique and in the order written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lean<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Lean<'a>>),
    Object(Vec<(Cow<'a, str>, Lean<'a>)>),
}

impl Lean<'_> {
    /// The node as a `Value`, its owned strings moved rather than copied.
    pub(crate) fn into_value(self) -> Value {
        match self {
            Lean::Null => Value::Null,
            Lean::Bool(flag) => Value::Bool(flag),
            Lean::Number(number) => Value::Number(number),
            Lean::String(text) => Value::String(text.into_owned()),
            Lean::Array(items) => Value::Array(items.into_iter().map(Lean::into_value).collect()),
            Lean::Object(entries) => {
                let mut object = Map::with_capacity(entries.len());
                for (key, value) in entries {
                    object.insert(key.into_owned(), value.into_value());
                }
                Value::Object(object)
            }
        }
    }
}

/// What the model readers ask of a JSON node, answered by `serde_json::Value` and by
/// [`Lean`] alike, so that one reader serves both.
pub(crate) trait Tree: Sized {
    /// An object's entries, in the order written; `None` when the node is no object.
    fn entries(&self) -> Option<impl ExactSizeIterator<Item = (&str, &Self)>>;

    /// An array's items; `None` when the node is no array.
    fn items(&self) -> Option<&[Self]>;

    fn as_str(&self) -> Option<&str>;

    fn as_bool(&self) -> Option<bool>;

    fn as_number(&self) -> Option<&Number>;

    fn is_null(&self) -> bool;

    /// The node as a `Value`, copied.
    fn to_value(&self) -> Value;

    /// `read` given the node as a `Value`: the node itself, or a copy of a lean one.
    fn with_value<R>(&self, read: impl FnOnce(&Value) -> R) -> R;

    /// An object's `key`, found by comparing its keys: an OpenAPI object has a handful,
    /// and comparing costs less than hashing (see [`super::keys`]).
    fn field(&self, key: &str) -> Option<&Self> {
        self.entries()?
            .find_map(|(listed, value)| (listed == key).then_some(value))
    }

    fn is_object(&self) -> bool {
        self.entries().is_some()
    }

    fn as_u64(&self) -> Option<u64> {
        self.as_number()?.as_u64()
    }
}

impl Tree for Value {
    fn entries(&self) -> Option<impl ExactSizeIterator<Item = (&str, &Self)>> {
        self.as_object()
            .map(|object| object.iter().map(|(key, value)| (key.as_str(), value)))
    }

    fn items(&self) -> Option<&[Self]> {
        self.as_array().map(Vec::as_slice)
    }

    fn field(&self, key: &str) -> Option<&Self> {
        super::keys::field(self.as_object()?, key)
    }

    fn as_str(&self) -> Option<&str> {
        Value::as_str(self)
    }

    fn as_bool(&self) -> Option<bool> {
        Value::as_bool(self)
    }

    fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(number) => Some(number),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        Value::is_null(self)
    }

    fn to_value(&self) -> Value {
        self.clone()
    }

    fn with_value<R>(&self, read: impl FnOnce(&Value) -> R) -> R {
        read(self)
    }
}

impl Tree for Lean<'_> {
    fn entries(&self) -> Option<impl ExactSizeIterator<Item = (&str, &Self)>> {
        match self {
            Lean::Object(entries) => Some(entries.iter().map(|(key, value)| (key.as_ref(), value))),
            _ => None,
        }
    }

    fn items(&self) -> Option<&[Self]> {
        match self {
            Lean::Array(items) => Some(items),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Lean::String(text) => Some(text),
            _ => None,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        match self {
            Lean::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<&Number> {
        match self {
            Lean::Number(number) => Some(number),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Lean::Null)
    }

    fn to_value(&self) -> Value {
        self.clone().into_value()
    }

    fn with_value<R>(&self, read: impl FnOnce(&Value) -> R) -> R {
        read(&self.to_value())
    }
}

/// A tree the loader owns and takes apart as it reads it into the model, handing serde a
/// `Value` of any node the model readers leave to it.
pub(crate) trait OwnedTree: Tree {
    /// The node as a `Value`, moved.
    fn into_value(self) -> Value;

    /// An object's entries, in the order written; the node itself when it is no object.
    fn into_entries(self) -> Result<Vec<(String, Self)>, Self>;

    /// An object's `key`, left `null` in its place (as `Value::take` leaves it).
    fn take_field(&mut self, key: &str) -> Option<Self>;
}

impl OwnedTree for Value {
    fn into_value(self) -> Value {
        self
    }

    fn into_entries(self) -> Result<Vec<(String, Self)>, Self> {
        match self {
            Value::Object(object) => Ok(object.into_iter().collect()),
            other => Err(other),
        }
    }

    fn take_field(&mut self, key: &str) -> Option<Self> {
        self.get_mut(key).map(Value::take)
    }
}

impl OwnedTree for Lean<'_> {
    fn into_value(self) -> Value {
        Lean::into_value(self)
    }

    fn into_entries(self) -> Result<Vec<(String, Self)>, Self> {
        match self {
            Lean::Object(entries) => Ok(entries
                .into_iter()
                .map(|(key, value)| (key.into_owned(), value))
                .collect()),
            other => Err(other),
        }
    }

    fn take_field(&mut self, key: &str) -> Option<Self> {
        let Lean::Object(entries) = self else {
            return None;
        };
        let (_, value) = entries.iter_mut().find(|(listed, _)| listed == key)?;
        Some(std::mem::replace(value, Lean::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lean(text: &str) -> Lean<'_> {
        Lean::Object(vec![
            (
                Cow::Borrowed("a"),
                Lean::Array(vec![Lean::Null, Lean::Bool(true)]),
            ),
            (
                Cow::Owned("b\"".to_owned()),
                Lean::String(Cow::Borrowed(text)),
            ),
            (Cow::Borrowed("c"), Lean::Number(Number::from(7))),
        ])
    }

    #[test]
    fn a_lean_tree_reads_as_the_value_it_converts_to() {
        let node = lean("text");
        let value = node.to_value();
        assert_eq!(
            value,
            serde_json::json!({"a": [null, true], "b\"": "text", "c": 7})
        );
        let keys: Vec<&str> = node
            .entries()
            .into_iter()
            .flatten()
            .map(|(key, _)| key)
            .collect();
        assert_eq!(keys, ["a", "b\"", "c"]);
        assert_eq!(node.field("c").and_then(Tree::as_u64), Some(7));
        assert_eq!(value.field("c").and_then(Tree::as_u64), Some(7));
        assert_eq!(node.field("b\"").and_then(Tree::as_str), Some("text"));
        assert_eq!(
            node.field("a").and_then(Tree::items).map(<[_]>::len),
            Some(2)
        );
        assert!(node.field("z").is_none() && !node.field("a").is_some_and(Tree::is_object));
        assert_eq!(node.clone().into_value(), value);
    }
}
