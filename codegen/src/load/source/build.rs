//! The trees a reading builds: serde_json's `Value`, or a [`Lean`] tree that borrows from
//! the text, each from the same visitor (see [`super::Node`]).

use std::borrow::Cow;

use serde_json::map::Entry;
use serde_json::{Number, Value};

use super::super::lean::{Lean, LeanMap, Tree};
use super::super::position::Position;
use super::super::version_text;
use super::Reading;

// The methods below are called for every node of a spec, from the visitor in the parent
// module: `#[inline]` lets them be inlined there, across codegen units.

/// A tree a reading builds: serde_json's `Value`, or a [`Lean`] tree borrowing from the
/// text.
pub(super) trait Build<'de>: Tree {
    /// An object under way.
    type Object: Default;

    fn null() -> Self;
    fn bool(value: bool) -> Self;
    fn number(value: Number) -> Self;
    fn borrowed_str(value: &'de str) -> Self;
    fn string(value: String) -> Self;
    fn array(items: Vec<Self>) -> Self;

    /// The text of a key read as a node (YAML allows `200:`).
    fn into_key(self) -> Cow<'de, str>;

    /// Adds `key: value`, read in that order, to `object` (at `position`); `Err` where
    /// this tree leaves the text to the other.
    fn insert(
        reading: &Reading,
        object: &mut Self::Object,
        position: Position,
        key: Cow<'de, str>,
        value: Self,
    ) -> Result<(), GiveUp>;

    /// The object made; `Err` where this tree leaves the text to the other.
    fn object(object: Self::Object) -> Result<Self, GiveUp>;
}

/// A float as `Value::from` reads one: one JSON cannot write (infinite, NaN) is `null`.
#[inline]
pub(super) fn float<'de, B: Build<'de>>(value: f64) -> B {
    Number::from_f64(value).map_or_else(B::null, B::number)
}

/// What makes the lean reading leave a text to `Value`'s: a repeated key, a YAML merge key,
/// a document of another version than OpenAPI 3.0.
pub(super) struct GiveUp;

/// An object read into a `Value`, and the keys a merge key added to it, which keys written
/// after it replace.
#[derive(Default)]
pub(super) struct ValueObject {
    entries: serde_json::Map<String, Value>,
    merged: Vec<String>,
}

impl<'de> Build<'de> for Value {
    type Object = ValueObject;

    #[inline]
    fn null() -> Self {
        Value::Null
    }

    #[inline]
    fn bool(value: bool) -> Self {
        Value::Bool(value)
    }

    #[inline]
    fn number(value: Number) -> Self {
        Value::Number(value)
    }

    #[inline]
    fn borrowed_str(value: &'de str) -> Self {
        Value::String(value.to_owned())
    }

    #[inline]
    fn string(value: String) -> Self {
        Value::String(value)
    }

    #[inline]
    fn array(items: Vec<Self>) -> Self {
        Value::Array(items)
    }

    #[inline]
    fn into_key(self) -> Cow<'de, str> {
        Cow::Owned(match self {
            Value::String(text) => text,
            Value::Null => "null".to_owned(),
            other => other.to_string(),
        })
    }

    #[inline]
    fn insert(
        reading: &Reading,
        object: &mut ValueObject,
        _: Position,
        key: Cow<'de, str>,
        value: Self,
    ) -> Result<(), GiveUp> {
        if reading.merge_keys
            && key == MERGE_KEY
            && merge(&mut object.entries, &value, &mut object.merged)
        {
            reading.merged.set(true);
            return Ok(());
        }
        match object.entries.entry(key.into_owned()) {
            Entry::Vacant(entry) => {
                entry.insert(value);
            }
            Entry::Occupied(mut entry) => {
                let key = entry.key().clone();
                if let Some(at) = object.merged.iter().position(|added| *added == key) {
                    object.merged.swap_remove(at);
                    entry.insert(value);
                } else {
                    reading.repeated(entry.get_mut(), value, &key);
                }
            }
        }
        Ok(())
    }

    #[inline]
    fn object(object: ValueObject) -> Result<Self, GiveUp> {
        Ok(Value::Object(object.entries))
    }
}

impl<'de> Build<'de> for Lean<'de> {
    type Object = Vec<(Cow<'de, str>, Lean<'de>)>;

    #[inline]
    fn null() -> Self {
        Lean::Null
    }

    #[inline]
    fn bool(value: bool) -> Self {
        Lean::Bool(value)
    }

    #[inline]
    fn number(value: Number) -> Self {
        Lean::Number(value)
    }

    #[inline]
    fn borrowed_str(value: &'de str) -> Self {
        Lean::String(Cow::Borrowed(value))
    }

    #[inline]
    fn string(value: String) -> Self {
        Lean::String(Cow::Owned(value))
    }

    #[inline]
    fn array(items: Vec<Self>) -> Self {
        Lean::Array(items)
    }

    #[inline]
    fn into_key(self) -> Cow<'de, str> {
        match self {
            Lean::String(text) => text,
            other => Build::into_key(other.to_value()),
        }
    }

    #[inline]
    fn insert(
        reading: &Reading,
        object: &mut Vec<(Cow<'de, str>, Lean<'de>)>,
        position: Position,
        key: Cow<'de, str>,
        value: Self,
    ) -> Result<(), GiveUp> {
        // The version is known at its key (written first in nearly every spec): a 3.1 or
        // later document, which the lean tree is not for, is left at once, not read twice.
        let other_version = position == Position::Document
            && key == "openapi"
            && !version_text(&value).is_some_and(|version| version.starts_with("3.0"));
        if other_version || (reading.merge_keys && key == MERGE_KEY) {
            return Err(GiveUp);
        }
        object.push((key, value));
        Ok(())
    }

    #[inline]
    fn object(object: Vec<(Cow<'de, str>, Lean<'de>)>) -> Result<Self, GiveUp> {
        if repeats_a_key(&object) {
            return Err(GiveUp);
        }
        Ok(Lean::Object(LeanMap::from_unique(object)))
    }
}

/// Whether two of `entries` have the same key.
fn repeats_a_key(entries: &[(Cow<'_, str>, Lean<'_>)]) -> bool {
    // Most objects have a handful of keys, compared pairwise; a big one (`paths`, a
    // component section) is sorted.
    const COMPARED: usize = 16;
    if entries.len() <= COMPARED {
        return entries
            .iter()
            .enumerate()
            .any(|(index, (key, _))| entries[..index].iter().any(|(earlier, _)| earlier == key));
    }
    let mut keys: Vec<&str> = entries.iter().map(|(key, _)| key.as_ref()).collect();
    keys.sort_unstable();
    keys.windows(2).any(|pair| pair[0] == pair[1])
}

/// YAML's merge key (`<<: *defaults`): the mapping, or each mapping of a list, adds its
/// entries to the mapping it is written in.
const MERGE_KEY: &str = "<<";

/// Adds the entries of `merged` (a mapping, or a list of them, the first winning) that
/// `object` does not have yet, and their keys to `added`: keys written after the merge key
/// replace them as they are read. Returns whether `merged` was something to merge; if not,
/// `<<` is an ordinary key.
fn merge(
    object: &mut serde_json::Map<String, Value>,
    merged: &Value,
    added: &mut Vec<String>,
) -> bool {
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
                added.push(key.clone());
            }
        }
    }
    true
}
