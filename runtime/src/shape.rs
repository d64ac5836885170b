//! Untagged unions decoded by the shape of the JSON value (string, number, boolean, array,
//! object) instead of by trial: a union whose variants differ in shape reads the value once
//! and hands it to the one variant of that shape.
//!
//! serde's derived `untagged` buffers every value into its private `Content` and decodes
//! each variant from that buffer, so every type reachable through a union is compiled a
//! second time for the buffer's deserializer. In Stripe, where most objects are reachable
//! through an expandable field (`anyOf: [string, object]`), that doubled the decoding code
//! of the whole client. Here a variant of an object shape is decoded straight from the
//! deserializer's own map access: the code it needs is the code a plain field of that type
//! needs. Only a union with several variants of one shape buffers the value (as a
//! `serde_json::Value`) and tries them in order.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{
    DeserializeOwned, Deserializer, Error, IntoDeserializer, MapAccess, SeqAccess, Unexpected,
    Visitor,
};
use serde::Deserialize;

use crate::object::FromMap;

/// An untagged union whose variants generated code tells apart by the JSON shape of the
/// value. Each method decodes a value of one shape; the shapes the union has no variant of
/// keep the default, an error.
pub trait ByShape<'de>: Sized {
    /// The shapes the union accepts, for the error when a value has none of them.
    const EXPECTING: &'static str;

    /// Decodes a string.
    fn from_str<E: Error>(value: &str) -> Result<Self, E> {
        Err(E::invalid_type(Unexpected::Str(value), &Self::EXPECTING))
    }

    /// Decodes a boolean.
    fn from_bool<E: Error>(value: bool) -> Result<Self, E> {
        Err(E::invalid_type(Unexpected::Bool(value), &Self::EXPECTING))
    }

    /// Decodes a negative integer (or any integer the deserializer reads as signed).
    fn from_i64<E: Error>(value: i64) -> Result<Self, E> {
        Err(E::invalid_type(Unexpected::Signed(value), &Self::EXPECTING))
    }

    /// Decodes a non-negative integer.
    fn from_u64<E: Error>(value: u64) -> Result<Self, E> {
        Err(E::invalid_type(
            Unexpected::Unsigned(value),
            &Self::EXPECTING,
        ))
    }

    /// Decodes a number with a fraction or an exponent.
    fn from_f64<E: Error>(value: f64) -> Result<Self, E> {
        Err(E::invalid_type(Unexpected::Float(value), &Self::EXPECTING))
    }

    /// Decodes an array.
    fn from_seq<A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        let _ = seq;
        Err(A::Error::invalid_type(Unexpected::Seq, &Self::EXPECTING))
    }

    /// Decodes an object.
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let _ = map;
        Err(A::Error::invalid_type(Unexpected::Map, &Self::EXPECTING))
    }
}

/// Decodes a [`ByShape`] union: the `Deserialize` impl of generated unions.
pub fn by_shape<'de, T: ByShape<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(ShapeVisitor(PhantomData))
}

struct ShapeVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: ByShape<'de>> Visitor<'de> for ShapeVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(T::EXPECTING)
    }

    fn visit_bool<E: Error>(self, value: bool) -> Result<T, E> {
        T::from_bool(value)
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<T, E> {
        T::from_i64(value)
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<T, E> {
        T::from_u64(value)
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<T, E> {
        T::from_f64(value)
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        T::from_str(value)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::from_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// Decodes the one variant of a scalar's shape from the scalar.
pub fn scalar<'de, T, V, E>(value: V) -> Result<T, E>
where
    T: Deserialize<'de>,
    V: IntoDeserializer<'de, E>,
    E: Error,
{
    T::deserialize(value.into_deserializer())
}

/// Tries one of several variants of a scalar's shape: `None` when it does not fit.
pub fn try_scalar<'de, T, V>(value: V) -> Option<T>
where
    T: Deserialize<'de>,
    V: IntoDeserializer<'de, serde::de::value::Error>,
{
    T::deserialize(value.into_deserializer()).ok()
}

/// Decodes the one variant of the object shape from the deserializer's own map access.
pub fn map<'de, T: Deserialize<'de>, A: MapAccess<'de>>(map: A) -> Result<T, A::Error> {
    T::deserialize(MapAccessDeserializer::new(map))
}

/// Decodes the one variant of the array shape from the deserializer's own sequence access.
pub fn seq<'de, T: Deserialize<'de>, A: SeqAccess<'de>>(seq: A) -> Result<T, A::Error> {
    T::deserialize(SeqAccessDeserializer::new(seq))
}

/// Reads a whole object, for a union with several variants of the object shape.
pub fn buffer_map<'de, A: MapAccess<'de>>(map: A) -> Result<serde_json::Value, A::Error> {
    serde_json::Value::deserialize(MapAccessDeserializer::new(map))
}

/// Reads a whole array, for a union with several variants of the array shape.
pub fn buffer_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<serde_json::Value, A::Error> {
    serde_json::Value::deserialize(SeqAccessDeserializer::new(seq))
}

/// Tries one of several variants of a buffered value's shape: `None` when it does not fit.
pub fn attempt<T: DeserializeOwned>(value: &serde_json::Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// Tries a struct variant only if it names every property of the buffered object. Object
/// variants are tried this way first: one whose properties are all optional decodes from
/// any object, unknown properties skipped, and would take another variant's values if the
/// first that decodes won.
pub fn attempt_exact<T: DeserializeOwned + FromMap<'static>>(
    value: &serde_json::Value,
) -> Option<T> {
    let object = value.as_object()?;
    let named = |key: &String| T::NAMES.contains(&key.as_str());
    if object.keys().all(named) {
        attempt_struct(value)
    } else {
        None
    }
}

/// Tries a struct variant unless a property it allows one string for holds another
/// ([`FromMap::FIXED`]; absent or `null` is no other): an image asset (`"type": "image"`)
/// does not decode as the video asset whose other properties it happens to fit.
pub fn attempt_struct<T: DeserializeOwned + FromMap<'static>>(
    value: &serde_json::Value,
) -> Option<T> {
    let object = value.as_object()?;
    let fits = |(property, fixed): &(&str, &str)| {
        object
            .get(*property)
            .is_none_or(|value| value.is_null() || value.as_str() == Some(*fixed))
    };
    if T::FIXED.iter().all(fits) {
        attempt(value)
    } else {
        None
    }
}

/// The error when no variant of `union` fits a value of a shape it has several variants of.
pub fn no_variant<E: Error>(union: &str) -> E {
    E::custom(format_args!("the value fits no variant of `{union}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What generated code writes for `anyOf: [string, integer, object, object]`.
    #[derive(Debug, PartialEq)]
    enum Expandable {
        Id(String),
        Count(i64),
        Customer(Customer),
        Deleted(Deleted),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Customer {
        id: String,
        name: String,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Deleted {
        id: String,
        deleted: bool,
    }

    impl<'de> ByShape<'de> for Expandable {
        const EXPECTING: &'static str = "a string, an integer or an object";

        fn from_str<E: Error>(value: &str) -> Result<Self, E> {
            scalar(value).map(Self::Id)
        }

        fn from_i64<E: Error>(value: i64) -> Result<Self, E> {
            scalar(value).map(Self::Count)
        }

        fn from_u64<E: Error>(value: u64) -> Result<Self, E> {
            try_scalar(value)
                .map(Self::Count)
                .ok_or_else(|| no_variant("Expandable"))
        }

        fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            let value = buffer_map(map)?;
            attempt(&value)
                .map(Self::Customer)
                .or_else(|| attempt(&value).map(Self::Deleted))
                .ok_or_else(|| no_variant("Expandable"))
        }
    }

    impl<'de> Deserialize<'de> for Expandable {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            by_shape(deserializer)
        }
    }

    #[derive(Debug, PartialEq)]
    enum IdOrCustomer {
        Id(String),
        Customer(Customer),
    }

    impl<'de> ByShape<'de> for IdOrCustomer {
        const EXPECTING: &'static str = "a string or an object";

        fn from_str<E: Error>(value: &str) -> Result<Self, E> {
            scalar(value).map(Self::Id)
        }

        fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            super::map(map).map(Self::Customer)
        }
    }

    impl<'de> Deserialize<'de> for IdOrCustomer {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            by_shape(deserializer)
        }
    }

    fn decode<T: DeserializeOwned>(json: &str) -> Result<T, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    #[test]
    fn each_shape_reaches_its_variant() {
        assert_eq!(
            decode::<Expandable>(r#""cus_1""#),
            Ok(Expandable::Id("cus_1".into()))
        );
        assert_eq!(decode::<Expandable>("-3"), Ok(Expandable::Count(-3)));
        assert_eq!(decode::<Expandable>("3"), Ok(Expandable::Count(3)));
        assert_eq!(
            decode::<IdOrCustomer>(r#"{"id": "cus_1", "name": "Ada"}"#),
            Ok(IdOrCustomer::Customer(Customer {
                id: "cus_1".into(),
                name: "Ada".into()
            }))
        );
    }

    #[test]
    fn variants_of_one_shape_are_tried_in_order() {
        assert_eq!(
            decode::<Expandable>(r#"{"id": "cus_1", "name": "Ada"}"#),
            Ok(Expandable::Customer(Customer {
                id: "cus_1".into(),
                name: "Ada".into()
            }))
        );
        assert_eq!(
            decode::<Expandable>(r#"{"id": "cus_1", "deleted": true}"#),
            Ok(Expandable::Deleted(Deleted {
                id: "cus_1".into(),
                deleted: true
            }))
        );
        let error = decode::<Expandable>(r#"{"id": "cus_1"}"#).unwrap_err();
        assert!(error.contains("fits no variant of `Expandable`"), "{error}");
        let error = decode::<Expandable>(&u64::MAX.to_string()).unwrap_err();
        assert!(error.contains("fits no variant of `Expandable`"), "{error}");
    }

    #[test]
    fn a_shape_without_a_variant_is_an_error_that_says_what_fits() {
        let error = decode::<IdOrCustomer>("true").unwrap_err();
        assert!(error.contains("expected a string or an object"), "{error}");
        let error = decode::<IdOrCustomer>("[1]").unwrap_err();
        assert!(error.contains("expected a string or an object"), "{error}");
    }

    #[test]
    fn a_variant_of_the_right_shape_reports_its_own_error() {
        let error = decode::<IdOrCustomer>(r#"{"id": "cus_1"}"#).unwrap_err();
        assert!(error.contains("missing field `name`"), "{error}");
    }

    /// A union variant whose `format` the spec allows only `"audio"` for.
    #[derive(Debug, PartialEq, Deserialize)]
    struct AudioEdition {
        format: Option<String>,
        narrator: Option<String>,
    }

    impl<'de> FromMap<'de> for AudioEdition {
        const NAME: &'static str = "AudioEdition";
        const NAMES: &'static [&'static str] = &["format", "narrator"];
        const FIXED: &'static [(&'static str, &'static str)] = &[("format", "audio")];

        fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            Self::deserialize(MapAccessDeserializer::new(map))
        }
    }

    #[test]
    fn a_struct_variant_is_tried_only_where_its_one_value_properties_fit() {
        let attempt = |text: &str| {
            let value: serde_json::Value = serde_json::from_str(text).expect("JSON");
            (
                attempt_struct::<AudioEdition>(&value).is_some(),
                attempt_exact::<AudioEdition>(&value).is_some(),
            )
        };
        assert_eq!(
            attempt(r#"{"format": "audio", "narrator": "K"}"#),
            (true, true)
        );
        assert_eq!(
            attempt(r#"{"format": "print", "narrator": "K"}"#),
            (false, false)
        );
        assert_eq!(
            attempt(r#"{"format": null}"#),
            (true, true),
            "null is no other"
        );
        assert_eq!(
            attempt(r#"{"narrator": "K"}"#),
            (true, true),
            "absent is no other"
        );
        assert_eq!(
            attempt(r#"{"format": "audio", "pages": 3}"#),
            (true, false),
            "exact needs every property named"
        );
    }
}
