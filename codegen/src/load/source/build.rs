//! The trees a reading builds: serde_json's `Value`, or a [`Lean`] tree that borrows from
//! the text, each from the same visitor (see [`super::Node`]).

use std::borrow::Cow;
use std::cell::RefCell;

use serde_json::map::Entry;
use serde_json::{Number, Value};

use super::super::lean::{Arena, Lean, LeanEntry, LeanMap, LeanVec, Tree};
use super::super::position::Position;
use super::super::version_text;
use super::Reading;

// The methods below are called for every node of a spec, from the visitor in the parent
// module: `#[inline]` lets them be inlined there, across codegen units.

/// What builds the tree a reading makes: serde_json's `Value`, or a [`Lean`] tree
/// borrowing from the text.
pub(super) trait Build<'de>: Copy {
    /// The tree built.
    type Tree: Tree;
    /// An object under way.
    type Object;
    /// An array under way.
    type Array;

    fn null(self) -> Self::Tree;
    fn bool(self, value: bool) -> Self::Tree;
    fn number(self, value: Number) -> Self::Tree;
    fn borrowed_str(self, value: &'de str) -> Self::Tree;
    fn str(self, value: &str) -> Self::Tree;
    fn string(self, value: String) -> Self::Tree;

    /// The text of a key read as a node (YAML allows `200:`).
    fn into_key(self, key: Self::Tree) -> Cow<'de, str>;

    /// An array to be read, of about `size_hint` items where the reader knows.
    fn start_array(self, size_hint: Option<usize>) -> Self::Array;
    fn push_item(self, array: &mut Self::Array, item: Self::Tree);
    fn array(self, array: Self::Array) -> Self::Tree;

    fn start_object(self) -> Self::Object;

    /// Adds `key: value`, read in that order, to `object` (at `position`); `Err` where
    /// this tree leaves the text to the other.
    fn insert(
        self,
        reading: &Reading,
        object: &mut Self::Object,
        position: Position,
        key: Cow<'de, str>,
        value: Self::Tree,
    ) -> Result<(), GiveUp>;

    /// The object made; `Err` where this tree leaves the text to the other.
    fn object(self, object: Self::Object) -> Result<Self::Tree, GiveUp>;
}

/// A float as `Value::from` reads one: one JSON cannot write (infinite, NaN) is `null`.
#[inline]
pub(super) fn float<'de, B: Build<'de>>(build: B, value: f64) -> B::Tree {
    match Number::from_f64(value) {
        Some(number) => build.number(number),
        None => build.null(),
    }
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

/// Builds a `Value`.
#[derive(Clone, Copy)]
pub(super) struct BuildValue;

impl<'de> Build<'de> for BuildValue {
    type Tree = Value;
    type Object = ValueObject;
    type Array = Vec<Value>;

    #[inline]
    fn null(self) -> Value {
        Value::Null
    }

    #[inline]
    fn bool(self, value: bool) -> Value {
        Value::Bool(value)
    }

    #[inline]
    fn number(self, value: Number) -> Value {
        Value::Number(value)
    }

    #[inline]
    fn borrowed_str(self, value: &'de str) -> Value {
        Value::String(value.to_owned())
    }

    #[inline]
    fn str(self, value: &str) -> Value {
        Value::String(value.to_owned())
    }

    #[inline]
    fn string(self, value: String) -> Value {
        Value::String(value)
    }

    #[inline]
    fn into_key(self, key: Value) -> Cow<'de, str> {
        Cow::Owned(match key {
            Value::String(text) => text,
            Value::Null => "null".to_owned(),
            other => other.to_string(),
        })
    }

    #[inline]
    fn start_array(self, size_hint: Option<usize>) -> Vec<Value> {
        Vec::with_capacity(size_hint.unwrap_or(0))
    }

    #[inline]
    fn push_item(self, array: &mut Vec<Value>, item: Value) {
        array.push(item);
    }

    #[inline]
    fn array(self, array: Vec<Value>) -> Value {
        Value::Array(array)
    }

    #[inline]
    fn start_object(self) -> ValueObject {
        ValueObject::default()
    }

    #[inline]
    fn insert(
        self,
        reading: &Reading,
        object: &mut ValueObject,
        _: Position,
        key: Cow<'de, str>,
        value: Value,
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
    fn object(self, object: ValueObject) -> Result<Value, GiveUp> {
        Ok(Value::Object(object.entries))
    }
}

/// Builds a [`Lean`] tree in an arena. The entries of the objects still open, and the
/// items of the arrays, wait on one stack each (a node's children are read before the
/// node ends): each container is made once, at its size, when it ends.
pub(super) struct BuildLean<'de> {
    arena: &'de Arena,
    entries: RefCell<Vec<LeanEntry<'de>>>,
    items: RefCell<Vec<Lean<'de>>>,
}

impl<'de> BuildLean<'de> {
    pub(super) fn new(arena: &'de Arena) -> Self {
        BuildLean {
            arena,
            entries: RefCell::default(),
            items: RefCell::default(),
        }
    }
}

impl<'de> Build<'de> for &BuildLean<'de> {
    type Tree = Lean<'de>;
    /// Where the object's entries start on the stack.
    type Object = usize;
    /// Where the array's items start on the stack.
    type Array = usize;

    #[inline]
    fn null(self) -> Lean<'de> {
        Lean::Null
    }

    #[inline]
    fn bool(self, value: bool) -> Lean<'de> {
        Lean::Bool(value)
    }

    #[inline]
    fn number(self, value: Number) -> Lean<'de> {
        Lean::Number(value)
    }

    #[inline]
    fn borrowed_str(self, value: &'de str) -> Lean<'de> {
        Lean::String(value)
    }

    #[inline]
    fn str(self, value: &str) -> Lean<'de> {
        Lean::copied(value, self.arena)
    }

    #[inline]
    fn string(self, value: String) -> Lean<'de> {
        self.str(&value)
    }

    #[inline]
    fn into_key(self, key: Lean<'de>) -> Cow<'de, str> {
        match key {
            Lean::String(text) => Cow::Borrowed(text),
            other => BuildValue.into_key(other.to_value()),
        }
    }

    #[inline]
    fn start_array(self, _: Option<usize>) -> usize {
        self.items.borrow().len()
    }

    #[inline]
    fn push_item(self, _: &mut usize, item: Lean<'de>) {
        self.items.borrow_mut().push(item);
    }

    #[inline]
    fn array(self, start: usize) -> Lean<'de> {
        let mut items = self.items.borrow_mut();
        Lean::Array(LeanVec::from_iter_in(items.drain(start..), self.arena))
    }

    #[inline]
    fn start_object(self) -> usize {
        self.entries.borrow().len()
    }

    #[inline]
    fn insert(
        self,
        reading: &Reading,
        _: &mut usize,
        position: Position,
        key: Cow<'de, str>,
        value: Lean<'de>,
    ) -> Result<(), GiveUp> {
        // The version is known at its key (written first in nearly every spec): a 3.1 or
        // later document, which the lean tree is not for, is left at once, not read twice.
        let other_version = position == Position::Document
            && key == "openapi"
            && !version_text(&value).is_some_and(|version| version.starts_with("3.0"));
        if other_version || (reading.merge_keys && key == MERGE_KEY) {
            return Err(GiveUp);
        }
        let key = match key {
            Cow::Borrowed(key) => key,
            Cow::Owned(key) => self.arena.alloc_str(&key),
        };
        self.entries.borrow_mut().push((key, value));
        Ok(())
    }

    #[inline]
    fn object(self, start: usize) -> Result<Lean<'de>, GiveUp> {
        let mut entries = self.entries.borrow_mut();
        if repeats_a_key(&entries[start..]) {
            return Err(GiveUp);
        }
        let object = LeanVec::from_iter_in(entries.drain(start..), self.arena);
        Ok(Lean::Object(LeanMap::from_unique(object)))
    }
}

/// Whether two of `entries` have the same key.
fn repeats_a_key(entries: &[LeanEntry<'_>]) -> bool {
    // Most objects have a handful of keys, compared pairwise; a big one (`paths`, a
    // component section) is sorted.
    const COMPARED: usize = 16;
    if entries.len() <= COMPARED {
        return entries
            .iter()
            .enumerate()
            .any(|(index, (key, _))| entries[..index].iter().any(|(earlier, _)| earlier == key));
    }
    let mut keys: Vec<&str> = entries.iter().map(|(key, _)| *key).collect();
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
