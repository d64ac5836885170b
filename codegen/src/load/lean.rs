//! A JSON tree that borrows its strings from the spec's text and lives in an arena, and the
//! reading both trees share ([`Tree`]).
//!
//! `serde_json::Value` gives every string and key an allocation of its own and every
//! object a hash table; building it and freeing it was most of the loader's time on an
//! OpenAPI 3.0 spec (parsing GitHub's into a `Value` and dropping it costs twice what the
//! same text costs as a [`Lean`] tree). An OpenAPI 3.0 or Swagger 2.0 document that
//! needs no other file and no repair made on a `Value` (a 3.1 keyword, AutoRest's path
//! items) is read from a lean tree, and a Swagger 2.0 document is upgraded on one (a
//! [`LeanMap`] changes as a `serde_json::Map` does); every other document, and any node
//! the model readers leave to serde, goes on as a `Value`, into which a lean tree
//! converts.

use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};

use serde_json::{Map, Number, Value};

/// Where a lean tree's containers and its few strings of its own (unescaped text, rewritten
/// references) are made: the allocations of a parse, thousands for a big spec, are each a
/// bump of a pointer, and the tree is freed with the arena, in a few calls and without a
/// walk over its nodes (the tree has no drop glue).
pub(crate) type Arena = bumpalo::Bump;

/// A JSON node whose strings are borrowed from the text where the text writes them
/// without escapes, and from its [`Arena`] otherwise. An object's keys are unique and in
/// the order written.
#[derive(Debug, Clone, Default)]
pub(crate) enum Lean<'a> {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(&'a str),
    Array(LeanVec<'a, Lean<'a>>),
    Object(LeanMap<'a>),
    /// A node the Swagger 2.0 upgrade places in several places at once: the media type of
    /// a response or body under each media type the operation names (Kubernetes names up
    /// to seven), and the rewritten text of a reference under every `$ref` that names it.
    /// Readers see the node itself ([`Lean::resolved`]); a model reader may read it once
    /// for all its places ([`Tree::is_same_node`]); changing one place copies it.
    Shared(&'a Lean<'a>),
}

// Freeing a tree is freeing its arena: nothing in it needs dropping.
const _: () = assert!(!std::mem::needs_drop::<Lean>());

/// Nodes are equal as the JSON they stand for: a shared place equals the node it shares.
impl PartialEq for Lean<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self.resolved(), other.resolved()) {
            (Lean::Null, Lean::Null) => true,
            (Lean::Bool(one), Lean::Bool(other)) => one == other,
            (Lean::Number(one), Lean::Number(other)) => one == other,
            (Lean::String(one), Lean::String(other)) => one == other,
            (Lean::Array(one), Lean::Array(other)) => one[..] == other[..],
            (Lean::Object(one), Lean::Object(other)) => one == other,
            _ => false,
        }
    }
}

impl<'a> From<&'a str> for Lean<'a> {
    fn from(text: &'a str) -> Self {
        Lean::String(text)
    }
}

/// A vector in an [`Arena`], never dropped: its memory goes with the arena's (its items
/// have no drop glue either), so that a tree of them is freed without a walk.
#[derive(Debug, Clone)]
pub(crate) struct LeanVec<'a, T>(ManuallyDrop<bumpalo::collections::Vec<'a, T>>);

impl<'a, T> LeanVec<'a, T> {
    pub(crate) fn new_in(arena: &'a Arena) -> Self {
        LeanVec(ManuallyDrop::new(bumpalo::collections::Vec::new_in(arena)))
    }

    pub(crate) fn with_capacity_in(capacity: usize, arena: &'a Arena) -> Self {
        LeanVec(ManuallyDrop::new(
            bumpalo::collections::Vec::with_capacity_in(capacity, arena),
        ))
    }

    /// The items of `items`, in a vector of their exact number.
    pub(crate) fn from_iter_in(
        items: impl IntoIterator<Item = T, IntoIter: ExactSizeIterator>,
        arena: &'a Arena,
    ) -> Self {
        let items = items.into_iter();
        let mut vector = LeanVec::with_capacity_in(items.len(), arena);
        vector.extend(items);
        vector
    }

    /// The arena the vector is in.
    pub(crate) fn arena(&self) -> &'a Arena {
        self.0.bump()
    }
}

impl<'a, T> Deref for LeanVec<'a, T> {
    type Target = bumpalo::collections::Vec<'a, T>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T> DerefMut for LeanVec<'_, T> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<'a, T> IntoIterator for LeanVec<'a, T> {
    type Item = T;
    type IntoIter = bumpalo::collections::vec::IntoIter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        ManuallyDrop::into_inner(self.0).into_iter()
    }
}

impl<'s, 'a, T> IntoIterator for &'s LeanVec<'a, T> {
    type Item = &'s T;
    type IntoIter = std::slice::Iter<'s, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'s, 'a, T> IntoIterator for &'s mut LeanVec<'a, T> {
    type Item = &'s mut T;
    type IntoIter = std::slice::IterMut<'s, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter_mut()
    }
}

/// An entry of a [`LeanMap`].
pub(crate) type LeanEntry<'a> = (&'a str, Lean<'a>);

/// The object of a lean tree: its entries in the order written, each key once. Its
/// methods do what `serde_json::Map`'s do (with the `preserve_order` feature tether
/// builds it with), so that code moving a document's parts around reads as it would on a
/// `Value`: `insert` replaces a key's value where it is, and `remove` moves the last entry
/// into the removed one's place.
#[derive(Debug, Clone)]
pub(crate) struct LeanMap<'a>(LeanVec<'a, LeanEntry<'a>>);

impl PartialEq for LeanMap<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0[..] == other.0[..]
    }
}

impl<'a> LeanMap<'a> {
    pub(crate) fn new_in(arena: &'a Arena) -> Self {
        LeanMap(LeanVec::new_in(arena))
    }

    pub(crate) fn with_capacity_in(capacity: usize, arena: &'a Arena) -> Self {
        LeanMap(LeanVec::with_capacity_in(capacity, arena))
    }

    /// The object of `entries`, whose keys the caller knows to be unique.
    pub(crate) fn from_unique(entries: LeanVec<'a, LeanEntry<'a>>) -> Self {
        LeanMap(entries)
    }

    /// The arena the object is in.
    pub(crate) fn arena(&self) -> &'a Arena {
        self.0.arena()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn index_of(&self, key: &str) -> Option<usize> {
        self.0.iter().position(|(listed, _)| *listed == key)
    }

    /// `key`'s value; on the hot path of every lean reading (the model readers' `field`).
    pub(crate) fn get(&self, key: &str) -> Option<&Lean<'a>> {
        self.0
            .iter()
            .find_map(|(listed, value)| (*listed == key).then_some(value))
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Lean<'a>> {
        let index = self.index_of(key)?;
        Some(&mut self.0[index].1)
    }

    pub(crate) fn get_key_value(&self, key: &str) -> Option<(&'a str, &Lean<'a>)> {
        let (key, value) = &self.0[self.index_of(key)?];
        Some((key, value))
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.index_of(key).is_some()
    }

    /// Sets `key` to `value`: in the key's place when it is there, last otherwise. Returns
    /// the value replaced.
    pub(crate) fn insert(&mut self, key: &'a str, value: Lean<'a>) -> Option<Lean<'a>> {
        match self.index_of(key) {
            Some(index) => Some(std::mem::replace(&mut self.0[index].1, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }

    /// Takes `key` out, the last entry moving into its place (`serde_json::Map::remove`).
    pub(crate) fn remove(&mut self, key: &str) -> Option<Lean<'a>> {
        let index = self.index_of(key)?;
        Some(self.0.swap_remove(index).1)
    }

    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = (&'a str, &Lean<'a>)> {
        self.0.iter().map(|(key, value)| (*key, value))
    }

    pub(crate) fn iter_mut(&mut self) -> impl ExactSizeIterator<Item = (&'a str, &mut Lean<'a>)> {
        self.0.iter_mut().map(|(key, value)| (*key, value))
    }

    pub(crate) fn keys(&self) -> impl ExactSizeIterator<Item = &'a str> + '_ {
        self.0.iter().map(|(key, _)| *key)
    }

    pub(crate) fn values_mut(&mut self) -> impl ExactSizeIterator<Item = &mut Lean<'a>> {
        self.0.iter_mut().map(|(_, value)| value)
    }

    /// The object with each value replaced by what `change` makes of it (given its key),
    /// and its entry left out where that is `None`. The keys stay unique without being
    /// compared, where collecting the entries would compare each with those before it:
    /// a component section can have thousands.
    pub(crate) fn filter_map_values(
        mut self,
        mut change: impl FnMut(&'a str, Lean<'a>) -> Option<Lean<'a>>,
    ) -> Self {
        // In place: a new vector would leave the old one's room unused in the arena.
        self.0
            .retain_mut(|(key, value)| match change(key, std::mem::take(value)) {
                Some(changed) => {
                    *value = changed;
                    true
                }
                None => false,
            });
        self
    }

    /// Keeps the entries `keep` accepts, in order.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&str, &mut Lean<'a>) -> bool) {
        self.0.retain_mut(|(key, value)| keep(key, value));
    }

    /// Sets each of `entries` as [`LeanMap::insert`] does, in order.
    pub(crate) fn extend(&mut self, entries: impl IntoIterator<Item = LeanEntry<'a>>) {
        for (key, value) in entries {
            self.insert(key, value);
        }
    }
}

impl<'a> IntoIterator for LeanMap<'a> {
    type Item = LeanEntry<'a>;
    type IntoIter = bumpalo::collections::vec::IntoIter<'a, LeanEntry<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> Lean<'a> {
    /// A string node of `text` copied into `arena`: text the spec does not write as it
    /// is (unescaped, or made by the loader).
    pub(crate) fn copied(text: &str, arena: &'a Arena) -> Self {
        Lean::String(arena.alloc_str(text))
    }

    /// A `Value` as a lean tree in `arena`.
    pub(crate) fn from_value(value: &Value, arena: &'a Arena) -> Lean<'a> {
        match value {
            Value::Null => Lean::Null,
            Value::Bool(flag) => Lean::Bool(*flag),
            Value::Number(number) => Lean::Number(number.clone()),
            Value::String(text) => Lean::copied(text, arena),
            Value::Array(items) => Lean::Array(LeanVec::from_iter_in(
                items.iter().map(|item| Lean::from_value(item, arena)),
                arena,
            )),
            Value::Object(object) => Lean::Object(LeanMap(LeanVec::from_iter_in(
                object
                    .iter()
                    .map(|(key, value)| (&*arena.alloc_str(key), Lean::from_value(value, arena))),
                arena,
            ))),
        }
    }

    /// The node itself, where this is a [`Lean::Shared`] place of it (which holds no other
    /// shared place: the upgrade shares plain nodes). On the path of every read.
    #[inline]
    fn resolved(&self) -> &Lean<'a> {
        match self {
            Lean::Shared(node) => node,
            node => node,
        }
    }

    pub(crate) fn as_object(&self) -> Option<&LeanMap<'a>> {
        match self.resolved() {
            Lean::Object(object) => Some(object),
            _ => None,
        }
    }

    /// An object to change; a shared one is first copied into this place.
    pub(crate) fn as_object_mut(&mut self) -> Option<&mut LeanMap<'a>> {
        if let Lean::Shared(node) = self {
            *self = (*node).clone();
        }
        match self {
            Lean::Object(object) => Some(object),
            _ => None,
        }
    }

    /// A string's text, for as long as the tree.
    pub(crate) fn as_text(&self) -> Option<&'a str> {
        match self.resolved() {
            Lean::String(text) => Some(text),
            _ => None,
        }
    }

    pub(crate) fn is_string(&self) -> bool {
        matches!(self.resolved(), Lean::String(_))
    }

    /// An object's `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Lean<'a>> {
        self.as_object()?.get(key)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Lean<'a>> {
        self.as_object_mut()?.get_mut(key)
    }

    /// The node, `null` left in its place.
    pub(crate) fn take(&mut self) -> Lean<'a> {
        std::mem::take(self)
    }

    /// The node as a `Value`, read in place: the strings a `Value` owns are made from the
    /// text either way, and no copy of the node is made first.
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Lean::Null => Value::Null,
            Lean::Bool(flag) => Value::Bool(*flag),
            Lean::Number(number) => Value::Number(number.clone()),
            Lean::String(text) => Value::String((*text).to_owned()),
            Lean::Array(items) => Value::Array(items.iter().map(Lean::to_value).collect()),
            Lean::Object(entries) => {
                let mut object = Map::with_capacity(entries.len());
                for (key, value) in entries.iter() {
                    object.insert(key.to_owned(), value.to_value());
                }
                Value::Object(object)
            }
            Lean::Shared(node) => node.to_value(),
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

    /// Whether `self` and `other` are places of one shared node (see [`Lean::Shared`]),
    /// which reads the same in both; nodes that are only equal are not.
    fn is_same_node(&self, other: &Self) -> bool;

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

    /// A `Value` shares no nodes.
    fn is_same_node(&self, _other: &Self) -> bool {
        false
    }
}

impl Tree for Lean<'_> {
    fn entries(&self) -> Option<impl ExactSizeIterator<Item = (&str, &Self)>> {
        let object = self.as_object()?;
        Some(object.0.iter().map(|(key, value)| (*key, value)))
    }

    fn items(&self) -> Option<&[Self]> {
        match self.resolved() {
            Lean::Array(items) => Some(&items[..]),
            _ => None,
        }
    }

    fn field(&self, key: &str) -> Option<&Self> {
        self.get(key)
    }

    fn as_str(&self) -> Option<&str> {
        self.as_text()
    }

    fn as_bool(&self) -> Option<bool> {
        match self.resolved() {
            Lean::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<&Number> {
        match self.resolved() {
            Lean::Number(number) => Some(number),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.resolved(), Lean::Null)
    }

    fn to_value(&self) -> Value {
        Lean::to_value(self)
    }

    fn with_value<R>(&self, read: impl FnOnce(&Value) -> R) -> R {
        read(&self.to_value())
    }

    fn is_same_node(&self, other: &Self) -> bool {
        matches!((self, other), (Lean::Shared(one), Lean::Shared(other)) if std::ptr::eq(*one, *other))
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
        Lean::to_value(&self)
    }

    fn into_entries(self) -> Result<Vec<(String, Self)>, Self> {
        match self {
            Lean::Object(entries) => Ok(entries
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect()),
            Lean::Shared(node) if node.is_object() => node.clone().into_entries(),
            other => Err(other),
        }
    }

    fn take_field(&mut self, key: &str) -> Option<Self> {
        self.get_mut(key).map(Lean::take)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lean<'a>(text: &'a str, arena: &'a Arena) -> Lean<'a> {
        let entries = [
            (
                "a",
                Lean::Array(LeanVec::from_iter_in([Lean::Null, Lean::Bool(true)], arena)),
            ),
            (&*arena.alloc_str("b\""), Lean::String(text)),
            ("c", Lean::Number(Number::from(7))),
        ];
        Lean::Object(LeanMap::from_unique(LeanVec::from_iter_in(entries, arena)))
    }

    #[test]
    fn a_lean_tree_reads_as_the_value_it_converts_to() {
        let arena = Arena::new();
        let node = lean("text", &arena);
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
        assert_eq!(Lean::from_value(&value, &arena), node);
    }

    /// A lean object changes as a `serde_json::Map` does under the same calls: the same
    /// entries in the same order after each of thousands of inserts, removes, retains and
    /// extends (keys from a small set, so that most calls meet a key already there). The
    /// Swagger 2.0 upgrade's output depends on that order.
    #[test]
    fn a_shared_node_reads_as_itself_in_each_place_and_changes_in_one() {
        let arena = Arena::new();
        let shared = Lean::Shared(arena.alloc(lean("text", &arena)));
        let mut places = [shared.clone(), shared];
        let expected = lean("text", &arena).to_value();
        for place in &places {
            assert_eq!(place.to_value(), expected);
            assert_eq!(place.field("c").and_then(Tree::as_u64), Some(7));
            assert_eq!(
                place.entries().map(|entries| entries.count()),
                Some(3),
                "{place:?}"
            );
        }
        assert!(places[0].is_same_node(&places[1]));
        assert_eq!(places[0], lean("text", &arena));
        assert!(!places[0].is_same_node(&lean("text", &arena)));
        assert!(!lean("text", &arena).is_same_node(&lean("text", &arena)));

        // Changing one place copies the node there; the other place keeps it as it was.
        places[0].take_field("c");
        assert_eq!(places[0].field("c"), Some(&Lean::Null));
        assert_eq!(places[1].to_value(), expected);
        assert!(!places[0].is_same_node(&places[1]));
        // Taken apart, a shared object gives its entries.
        let [_, second] = places;
        let entries = second.into_entries().expect("an object");
        assert_eq!(entries.len(), 3);
    }

    #[test]
    fn a_lean_object_changes_as_a_serde_map_does() {
        let keys = ["a", "b", "c", "d", "e", "f", "g", "h"];
        // A fixed xorshift sequence: the same calls on every run.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        let mut map = Map::new();
        let arena = Arena::new();
        let mut lean = LeanMap::new_in(&arena);
        for step in 0..5000 {
            let key = keys[next(keys.len())];
            let value = next(100);
            match next(5) {
                0 | 1 => {
                    let replaced = map.insert(key.to_owned(), Value::from(value));
                    let lean_replaced = lean.insert(key, Lean::Number(Number::from(value)));
                    assert_eq!(replaced, lean_replaced.map(Lean::into_value), "step {step}");
                }
                2 => {
                    let removed = map.remove(key);
                    let lean_removed = lean.remove(key);
                    assert_eq!(removed, lean_removed.map(Lean::into_value), "step {step}");
                }
                3 => {
                    let odd = |text: &str| text.as_bytes()[0] % 2 == 1;
                    map.retain(|key, _| !odd(key) || value % 2 == 0);
                    lean.retain(|key, _| !odd(key) || value % 2 == 0);
                }
                _ => {
                    let more = [(keys[next(keys.len())], value), (key, value + 1)];
                    map.extend(more.map(|(key, value)| (key.to_owned(), Value::from(value))));
                    lean.extend(more.map(|(key, value)| (key, Lean::Number(Number::from(value)))));
                }
            }
            assert_eq!(
                Lean::Object(lean.clone()).into_value(),
                Value::Object(map.clone()),
                "step {step}"
            );
            let order: Vec<&str> = map.keys().map(String::as_str).collect();
            assert_eq!(lean.keys().collect::<Vec<_>>(), order, "step {step}");
        }
    }
}
