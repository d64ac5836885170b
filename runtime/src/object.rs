//! Generated structs decoded field by field: the `Deserialize` impl of every generated
//! struct is `decode_object`, and the struct itself only has [`FromMap`], one match arm
//! per property, both written by `__deserialize_object!` from the list of its properties.
//!
//! serde's derive writes, for every struct, a field enum with its own visitor (three
//! matches over the field names), a sequence visitor that no JSON object uses, and a map
//! visitor. A client of Stripe's size holds thousands of structs, and that code was a third
//! of everything rustc type-checked and borrow-checked for it. What generated code writes
//! instead keeps serde's behaviour for JSON objects: unknown properties are skipped, a
//! missing required property is serde's `missing field` error, a missing optional one is
//! `None`, and a property's name is borrowed from the input when it has no escapes.
//!
//! A struct lists its property names in a constant, and each name read is looked up there
//! ([`Names`]) while it is still a borrowed slice of the input: the match is then over
//! numbers. This costs rustc one constant per struct instead of a type and two impls, and
//! decoding a list of ten orders 2.4% more instructions than the derive (callgrind, the
//! calls benchmark's `CALLS_ONLY=tether,decode`; 3.7% before the seed below was marked
//! `#[inline]`, so that it is inlined into the deserializer's key reading; inlining the
//! lookup itself too made it 3.6% again).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

/// A generated struct read from the properties of an object.
pub trait FromMap<'de>: Sized {
    /// What the struct is called, for the error when the value is not an object.
    const NAME: &'static str;

    /// The names of its properties, shortest first (names of one length in any order); a
    /// name read is looked up here ([`Names`]).
    const NAMES: &'static [&'static str];

    /// Properties the spec allows one string for (`"type": "image"`), with that string: a
    /// union with this struct among its variants reads an object as this variant only when
    /// those properties, where present, hold those strings.
    const FIXED: &'static [(&'static str, &'static str)] = &[];

    /// Reads the struct from an object's properties.
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decodes a [`FromMap`] struct: the `Deserialize` impl of generated structs.
pub fn decode_object<'de, T: FromMap<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: FromMap<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        write!(formatter, "an object `{}`", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// A string read without a copy where the deserializer allows it: a property's name, or
/// the value of a string enum, which is only compared with the names it knows.
pub struct Text<'de>(Cow<'de, str>);

impl Text<'_> {
    /// The text as written, without escapes.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned: the key of an additional property, an enum value it does not know.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_borrowed_str<E: Error>(self, value: &'de str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Borrowed(value)))
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(value)))
    }
}

/// Up to this many names, a struct's name is looked up by comparing it with each.
const SHORT_LIST: usize = 16;

/// A property's name as a struct reads it: its index in the struct's [`FromMap::NAMES`],
/// or another name, which a struct with additional properties keeps (`Other` holds the
/// name, read by [`NamesAndOthers`]) and any other struct skips (`Other` holds nothing,
/// read by [`Names`]). One type for both, so that every struct matches its properties alike.
pub enum Key<Other> {
    /// The index of the name in the struct's list.
    Listed(usize),
    /// A name the struct does not list.
    Other(Other),
}

/// Reads a property's name as a [`Key`] without the name of one the struct does not list.
/// A seed per struct: where the struct is decoded, the compiler sees its names as constants.
pub struct Names<T>(PhantomData<fn() -> T>);

impl<'de, T: FromMap<'de>> Names<T> {
    /// The seed for `map.next_key_seed`.
    pub const SEED: Self = Names(PhantomData);

    fn find(name: &str) -> Option<usize> {
        let names = T::NAMES;
        // The names are constants here: a short list is compared in full, a long one only
        // where the lengths match, found by halving.
        if names.len() <= SHORT_LIST {
            return names.iter().position(|listed| *listed == name);
        }
        let first = names.partition_point(|listed| listed.len() < name.len());
        names[first..]
            .iter()
            .take_while(|listed| listed.len() == name.len())
            .position(|listed| *listed == name)
            .map(|offset| first + offset)
    }
}

impl<'de, T: FromMap<'de>> DeserializeSeed<'de> for Names<T> {
    type Value = Key<()>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<()>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, T: FromMap<'de>> Visitor<'de> for Names<T> {
    type Value = Key<()>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a property name")
    }

    #[inline]
    fn visit_str<E: Error>(self, name: &str) -> Result<Key<()>, E> {
        Ok(Self::find(name).map_or(Key::Other(()), Key::Listed))
    }
}

/// Reads a property's name as a [`Key`] that keeps a name the struct does not list: the
/// seed of structs with additional properties.
pub struct NamesAndOthers<T>(PhantomData<fn() -> T>);

impl<'de, T: FromMap<'de>> NamesAndOthers<T> {
    /// The seed for `map.next_key_seed`.
    pub const SEED: Self = NamesAndOthers(PhantomData);
}

impl<'de, T: FromMap<'de>> DeserializeSeed<'de> for NamesAndOthers<T> {
    type Value = Key<Text<'de>>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Key<Text<'de>>, D::Error> {
        let name = Text::deserialize(deserializer)?;
        Ok(match Names::<T>::find(name.as_str()) {
            Some(index) => Key::Listed(index),
            None => Key::Other(name),
        })
    }
}

/// Reads the value of a property into `slot`. Generated code calls these helpers with
/// slots of written-out types and applies one `?` to the whole match, instead of inferring
/// each arm's type through its own `?`: Stripe's client (964 structs) builds 14% faster.
#[inline]
pub fn read<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the value of a property that may be `null` (or absent) into `slot`.
#[inline]
pub fn read_nullable<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// Reads the value of a property the struct does not name into its additional properties.
#[inline]
pub fn read_additional<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    additional: &mut HashMap<String, T>,
    key: Text<'de>,
) -> Result<(), A::Error> {
    additional.insert(key.into_string(), map.next_value()?);
    Ok(())
}

/// The value of a required property, or serde's `missing field` error.
#[inline]
pub fn required<T, E: Error>(value: Option<T>, property: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(property))
}
/// Reads past the value of a property the struct does not have.
#[inline]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What generated code writes for `{id: string (required), note: string, extra: {}}`
    /// with additional properties.
    #[derive(Debug, PartialEq)]
    struct Thing {
        id: String,
        note: Option<String>,
        additional: HashMap<String, serde_json::Value>,
    }

    crate::__deserialize_object! {
        Thing,
        names: ["id", "note"],
        required: [0 id: String],
        optional: [1 note: String],
        others: additional: serde_json::Value,
    }

    #[test]
    fn properties_are_read_by_name_and_the_rest_kept_aside() {
        let thing: Thing =
            serde_json::from_str(r#"{"extra": [1], "id": "a\"b", "note": null}"#).unwrap();
        assert_eq!(thing.id, "a\"b");
        assert_eq!(thing.note, None);
        assert_eq!(thing.additional["extra"], serde_json::json!([1]));
    }

    #[test]
    fn an_escaped_key_still_names_its_property() {
        let thing: Thing = serde_json::from_str(r#"{"\u0069d": "x", "note": "n"}"#).unwrap();
        assert_eq!(thing.id, "x");
        assert_eq!(thing.note.as_deref(), Some("n"));
    }

    #[test]
    fn a_missing_required_property_is_serdes_error() {
        let error = serde_json::from_str::<Thing>(r#"{"note": "n"}"#).unwrap_err();
        assert!(error.to_string().contains("missing field `id`"), "{error}");
    }

    #[test]
    fn a_value_that_is_not_an_object_names_the_struct() {
        let error = serde_json::from_str::<Thing>("[1]").unwrap_err();
        assert!(error.to_string().contains("an object `Thing`"), "{error}");
    }

    /// What generated code writes for `{kind: "circle" (required), label: string, radius:
    /// number (required)}` without additional properties: its names listed shortest
    /// first, so that an index is not the field's place in the struct.
    #[derive(Debug, PartialEq)]
    struct Circle {
        kind: String,
        radius: f64,
        label: Option<String>,
    }

    crate::__deserialize_object! {
        #[allow(deprecated)]
        Circle,
        names: ["kind", "label", "radius"],
        fixed: [("kind", "circle")],
        required: [0 kind: String, 2 radius: f64],
        optional: [1 label: String],
    }

    #[test]
    fn a_struct_without_additional_properties_skips_the_rest() {
        let circle: Circle =
            serde_json::from_str(r#"{"radius": 2.5, "colour": "red", "kind": "circle"}"#).unwrap();
        let expected = Circle {
            kind: "circle".to_owned(),
            radius: 2.5,
            label: None,
        };
        assert_eq!(circle, expected);
        assert_eq!(Circle::FIXED, &[("kind", "circle")]);
        assert_eq!(Circle::NAME, "Circle");
    }

    #[test]
    fn the_first_required_property_missing_in_the_structs_order_is_reported() {
        let error = serde_json::from_str::<Circle>(r#"{"label": "l"}"#).unwrap_err();
        assert!(
            error.to_string().contains("missing field `kind`"),
            "{error}"
        );
        let error = serde_json::from_str::<Circle>(r#"{"kind": "circle"}"#).unwrap_err();
        assert!(
            error.to_string().contains("missing field `radius`"),
            "{error}"
        );
    }

    /// Fields named like the macro's own locals.
    #[derive(Debug, PartialEq)]
    struct Clash {
        __map: String,
        __key: Option<i64>,
        __name: HashMap<String, u8>,
    }

    crate::__deserialize_object! {
        Clash,
        names: ["__map", "__key"],
        required: [0 __map: String],
        optional: [1 __key: i64],
        others: __name: u8,
    }

    #[test]
    fn fields_named_like_the_macros_locals_are_read() {
        let clash: Clash =
            serde_json::from_str(r#"{"__key": 1, "__map": "m", "other": 2}"#).unwrap();
        let expected = Clash {
            __map: "m".to_owned(),
            __key: Some(1),
            __name: HashMap::from([("other".to_owned(), 2)]),
        };
        assert_eq!(clash, expected);
    }

    /// A struct with names of the same and of other lengths, for the lookup alone.
    struct Order;

    impl<'de> FromMap<'de> for Order {
        const NAME: &'static str = "Order";
        const NAMES: &'static [&'static str] = &[
            "a", "id", "note", "total", "lines", "status", "customer", "currency",
        ];

        fn from_map<A: MapAccess<'de>>(_: A) -> Result<Self, A::Error> {
            Ok(Order)
        }
    }

    /// A struct with more names than are compared one by one.
    struct Account;

    impl<'de> FromMap<'de> for Account {
        const NAME: &'static str = "Account";
        const NAMES: &'static [&'static str] = &[
            "id",
            "url",
            "type",
            "email",
            "object",
            "created",
            "country",
            "company",
            "business",
            "metadata",
            "settings",
            "controller",
            "individual",
            "requirements",
            "capabilities",
            "tos_acceptance",
            "charges_enabled",
            "payouts_enabled",
            "default_currency",
            "details_submitted",
            "external_accounts",
        ];

        fn from_map<A: MapAccess<'de>>(_: A) -> Result<Self, A::Error> {
            Ok(Account)
        }
    }

    #[test]
    fn a_long_list_of_names_is_searched_by_length() {
        assert!(Account::NAMES.len() > SHORT_LIST);
        assert!(Account::NAMES
            .windows(2)
            .all(|pair| pair[0].len() <= pair[1].len()));
        for (index, name) in Account::NAMES.iter().enumerate() {
            assert_eq!(Names::<Account>::find(name), Some(index), "{name}");
        }
        for absent in [
            "",
            "i",
            "ids",
            "object_",
            "metadatas",
            "external_account",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        ] {
            assert_eq!(Names::<Account>::find(absent), None, "{absent}");
        }
    }

    #[test]
    fn names_are_found_by_their_index_and_others_are_not_listed() {
        for (index, name) in Order::NAMES.iter().enumerate() {
            assert_eq!(Names::<Order>::find(name), Some(index), "{name}");
        }
        for absent in ["", "b", "ids", "statuses", "Status"] {
            assert_eq!(Names::<Order>::find(absent), None, "{absent}");
        }
    }

    #[test]
    fn a_wrongly_typed_property_fails() {
        let error = serde_json::from_str::<Thing>(r#"{"id": 5}"#).unwrap_err();
        assert!(error.to_string().contains("expected a string"), "{error}");
    }
}
