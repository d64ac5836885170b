//! Finding keys in the small objects of a spec without hashing them. serde_json's maps hash
//! every lookup with SipHash (about 170 instructions for a short key), which costs more
//! than comparing the handful of keys an OpenAPI object has: on Kubernetes, hashing was 7 %
//! of generation's instructions, mostly lookups of keys the objects did not have. Neither
//! helper is for maps keyed by names (`paths`, a component section), which can be large.

use serde_json::{Map, Value};

use super::lean::{Lean, LeanMap};

/// The value of an OpenAPI object's `key`, found by comparing its keys.
pub(crate) fn field<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object
        .iter()
        .find_map(|(listed, value)| (listed == key).then_some(value))
}

/// Which of a short list of keywords an object has, found in one pass over its keys, so
/// that only those are then looked up (or taken out): each lookup in a lean object is a
/// pass over its keys too.
#[derive(Clone, Copy)]
pub(crate) struct Present<'k> {
    list: &'k [&'k str],
    /// Bit `i` for `list[i]`.
    bits: u32,
}

impl<'k> Present<'k> {
    /// Which of `list` (at most 32 keywords) `object` has.
    pub(crate) fn of(object: &LeanMap<'_>, list: &'k [&'k str]) -> Present<'k> {
        debug_assert!(list.len() <= 32);
        let mut bits = 0;
        for key in object.keys() {
            if let Some(index) = list.iter().position(|keyword| *keyword == key) {
                bits |= 1 << index;
            }
        }
        Present { list, bits }
    }

    /// Whether the object has `keyword`, which must be one of the list.
    pub(crate) fn has(self, keyword: &str) -> bool {
        let index = self.list.iter().position(|listed| *listed == keyword);
        debug_assert!(index.is_some(), "`{keyword}` is not in the list");
        index.is_some_and(|index| self.bits >> index & 1 == 1)
    }

    /// `object`'s `keyword`, looked up only when the object has it.
    pub(crate) fn get<'o, 'a>(
        self,
        object: &'o LeanMap<'a>,
        keyword: &str,
    ) -> Option<&'o Lean<'a>> {
        self.has(keyword).then(|| object.get(keyword)).flatten()
    }

    /// [`Present::get`], to change the value.
    pub(crate) fn get_mut<'o, 'a>(
        self,
        object: &'o mut LeanMap<'a>,
        keyword: &str,
    ) -> Option<&'o mut Lean<'a>> {
        self.has(keyword).then(|| object.get_mut(keyword)).flatten()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::lean::Arena;
    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(object) => object,
            _ => Map::new(),
        }
    }

    #[test]
    fn a_field_is_found_as_a_lookup_finds_it() {
        let object = object(json!({"in": "query", "name": "q", "$ref": 1}));
        for key in ["in", "name", "$ref", "schema", ""] {
            assert_eq!(field(&object, key), object.get(key), "{key}");
        }
    }

    fn lean_object(value: Value, arena: &Arena) -> LeanMap<'_> {
        match Lean::from_value(&value, arena) {
            Lean::Object(object) => object,
            _ => LeanMap::new_in(arena),
        }
    }

    #[test]
    fn present_keywords_are_those_the_object_has() {
        let list = ["a", "b", "c", "d"];
        let arena = Arena::new();
        let present = Present::of(
            &lean_object(json!({"d": 1, "x": 2, "b": null}), &arena),
            &list,
        );
        let found: Vec<&str> = list
            .into_iter()
            .filter(|keyword| present.has(keyword))
            .collect();
        assert_eq!(found, ["b", "d"]);
        let mut object = lean_object(json!({"d": 1, "a": 2}), &arena);
        let present = Present::of(&object, &list);
        assert_eq!(present.get(&object, "d"), Some(&Lean::Number(1.into())));
        assert_eq!(present.get(&object, "b"), None);
        // Added after the object was looked at: not seen.
        object.insert("b", Lean::Number(3.into()));
        assert_eq!(present.get_mut(&mut object, "b"), None);
    }
}
