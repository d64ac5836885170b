//! Typed values from request text: path segments, query and form pairs, headers, cookies
//! and multipart parts are all text (or bytes) on the wire, and become the operation's
//! parameter types through one serde `Deserializer` that parses each scalar as the type
//! asks for it. Generic over the target type, so it exists once, not once per parameter.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use percent_encoding::percent_decode_str;
use serde::de::value::{MapDeserializer, SeqDeserializer, StringDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};

/// Why request text does not fit the type it is read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid(pub(crate) String);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Invalid {}

impl de::Error for Invalid {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Invalid(message.to_string())
    }
}

/// The message of a value that was not sent at all.
pub(crate) const MISSING: &str = "is required but was not sent";

/// How the raw text of a value is turned into characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Percent-encoding with `+` for space (query strings, form bodies).
    Form,
    /// Percent-encoding (path segments).
    Percent,
    /// As it is (headers, cookies).
    Plain,
}

impl Encoding {
    pub(crate) fn decode(self, raw: &str) -> Cow<'_, str> {
        match self {
            Encoding::Plain => Cow::Borrowed(raw),
            Encoding::Percent => percent_decode_str(raw).decode_utf8_lossy(),
            Encoding::Form => {
                let spaced = raw.replace('+', " ");
                Cow::Owned(percent_decode_str(&spaced).decode_utf8_lossy().into_owned())
            }
        }
    }
}

/// A value as it arrived, before it is read as a type.
#[derive(Debug, Clone)]
pub(crate) enum Text {
    /// Not sent.
    Absent,
    /// Each time the key was sent, the raw text; `delimiter` separates the items of an
    /// array sent as one value (`a,b`), split before decoding so that an encoded
    /// delimiter (`a%2Cb`) stays part of its item.
    Values {
        raw: Vec<String>,
        delimiter: Option<&'static str>,
        encoding: Encoding,
    },
    /// Bracketed keys (`filter[name]=x`, `items[0][id]=y`): an object, or an array when
    /// the keys are indexes.
    Fields(Vec<(String, Text)>),
    /// Raw bytes (a multipart part).
    Bytes(Bytes),
}

impl Text {
    /// The values of `pairs` (decoded key, raw value) as nested fields: `a[b][c]=v` is
    /// field `a`, then `b`, then `c`. Keys sent more than once collect their values.
    pub(crate) fn fields<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        encoding: Encoding,
    ) -> Text {
        let mut root = Vec::new();
        for (key, raw) in pairs {
            let mut steps = key.split('[').map(|step| step.trim_end_matches(']'));
            let Some(first) = steps.next() else { continue };
            insert(&mut root, first, steps, raw, encoding);
        }
        Text::Fields(root)
    }
}

fn insert<'a>(
    fields: &mut Vec<(String, Text)>,
    name: &str,
    mut rest: impl Iterator<Item = &'a str>,
    raw: &str,
    encoding: Encoding,
) {
    let position = match fields.iter().position(|(field, _)| field == name) {
        Some(position) => position,
        None => {
            fields.push((name.to_owned(), Text::Absent));
            fields.len() - 1
        }
    };
    let slot = &mut fields[position].1;
    match rest.next() {
        Some(next) => {
            if !matches!(slot, Text::Fields(_)) {
                *slot = Text::Fields(Vec::new());
            }
            if let Text::Fields(children) = slot {
                insert(children, next, rest, raw, encoding);
            }
        }
        None => match slot {
            Text::Values { raw: values, .. } => values.push(raw.to_owned()),
            _ => {
                *slot = Text::Values {
                    raw: vec![raw.to_owned()],
                    delimiter: None,
                    encoding,
                }
            }
        },
    }
}

/// Reads a [`Text`] as any type.
#[derive(Clone, Copy)]
pub(crate) struct TextDeserializer<'a>(pub(crate) &'a Text);

/// One scalar, parsed as the type asks.
struct Scalar(String);

impl Scalar {
    fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<T, Invalid>
    where
        T::Err: fmt::Display,
    {
        self.0
            .parse()
            .map_err(|error| Invalid(format!("`{}` is not {what}: {error}", self.0)))
    }
}

impl<'de> IntoDeserializer<'de, Invalid> for Scalar {
    type Deserializer = Scalar;

    fn into_deserializer(self) -> Scalar {
        self
    }
}

macro_rules! parse_number {
    ($($method:ident => $visit:ident($ty:ty, $what:literal)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
            visitor.$visit(self.parse::<$ty>($what)?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Scalar {
    type Error = Invalid;

    /// Untyped targets (unions, `serde_json::Value`) get a number when the text is one.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        if let Ok(number) = self.0.parse::<i64>() {
            return visitor.visit_i64(number);
        }
        if let Ok(number) = self.0.parse::<u64>() {
            return visitor.visit_u64(number);
        }
        match self.0.parse::<f64>() {
            Ok(number) if number.is_finite() && !self.0.chars().any(char::is_alphabetic) => {
                visitor.visit_f64(number)
            }
            _ => visitor.visit_string(self.0),
        }
    }

    parse_number! {
        deserialize_bool => visit_bool(bool, "`true` or `false`"),
        deserialize_i8 => visit_i8(i8, "an 8-bit integer"),
        deserialize_i16 => visit_i16(i16, "a 16-bit integer"),
        deserialize_i32 => visit_i32(i32, "a 32-bit integer"),
        deserialize_i64 => visit_i64(i64, "a 64-bit integer"),
        deserialize_u8 => visit_u8(u8, "an 8-bit unsigned integer"),
        deserialize_u16 => visit_u16(u16, "a 16-bit unsigned integer"),
        deserialize_u32 => visit_u32(u32, "a 32-bit unsigned integer"),
        deserialize_u64 => visit_u64(u64, "a 64-bit unsigned integer"),
        deserialize_f32 => visit_f32(f32, "a number"),
        deserialize_f64 => visit_f64(f64, "a number"),
        deserialize_char => visit_char(char, "one character"),
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_string(self.0)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_string(self.0)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_string(self.0)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_byte_buf(self.0.into_bytes())
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_byte_buf(self.0.into_bytes())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        visitor.visit_newtype_struct(self)
    }

    /// An array sent as one value is an array of one.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_seq(SeqDeserializer::new(std::iter::once(self)))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Invalid> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Invalid> {
        Err(Invalid(format!("`{}` is not an object", self.0)))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        let variant: StringDeserializer<Invalid> = self.0.into_deserializer();
        visitor.visit_enum(variant)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_unit()
    }
}

impl<'a> TextDeserializer<'a> {
    /// The items of an array: the delimited parts of one value, each value sent, or the
    /// fields of an indexed object in index order.
    fn items(self) -> Result<Vec<TextItem<'a>>, Invalid> {
        match self.0 {
            Text::Absent => Err(Invalid(MISSING.to_owned())),
            Text::Values {
                raw,
                delimiter,
                encoding,
            } => {
                let parts: Vec<&str> = match (raw.as_slice(), delimiter) {
                    ([one], Some(_)) if one.is_empty() => Vec::new(),
                    ([one], Some(delimiter)) => one.split(delimiter).collect(),
                    (all, _) => all.iter().map(String::as_str).collect(),
                };
                Ok(parts
                    .into_iter()
                    .map(|part| TextItem::Scalar(Scalar(encoding.decode(part).into_owned())))
                    .collect())
            }
            Text::Fields(fields) => {
                let mut indexed = fields
                    .iter()
                    .map(|(key, value)| {
                        key.parse::<usize>()
                            .map(|index| (index, value))
                            .map_err(|_| Invalid(format!("`{key}` is not an array index")))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                indexed.sort_by_key(|(index, _)| *index);
                Ok(indexed
                    .into_iter()
                    .map(|(_, value)| TextItem::Text(TextDeserializer(value)))
                    .collect())
            }
            Text::Bytes(_) => Ok(vec![TextItem::Text(self)]),
        }
    }

    /// The one scalar a non-array type is read from.
    fn scalar(self) -> Result<Scalar, Invalid> {
        match self.0 {
            Text::Absent => Err(Invalid(MISSING.to_owned())),
            Text::Values { raw, encoding, .. } => match raw.as_slice() {
                [one] => Ok(Scalar(encoding.decode(one).into_owned())),
                many => Err(Invalid(format!(
                    "was sent {} times; one value is expected",
                    many.len()
                ))),
            },
            Text::Fields(_) => Err(Invalid(
                "was sent as an object (with `[...]` keys); one value is expected".to_owned(),
            )),
            Text::Bytes(bytes) => String::from_utf8(bytes.to_vec())
                .map(Scalar)
                .map_err(|_| Invalid("is not UTF-8 text".to_owned())),
        }
    }
}

/// An array item: a decoded scalar, or a nested value.
enum TextItem<'a> {
    Scalar(Scalar),
    Text(TextDeserializer<'a>),
}

impl<'de> IntoDeserializer<'de, Invalid> for TextItem<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> IntoDeserializer<'de, Invalid> for TextDeserializer<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

macro_rules! forward_item {
    ($($method:ident($($argument:ident: $ty:ty),*)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, $($argument: $ty,)* visitor: V) -> Result<V::Value, Invalid> {
            match self {
                TextItem::Scalar(scalar) => scalar.$method($($argument,)* visitor),
                TextItem::Text(text) => text.$method($($argument,)* visitor),
            }
        }
    )*};
}

macro_rules! all_methods {
    ($forward:ident) => {
        $forward! {
            deserialize_any(), deserialize_bool(), deserialize_i8(), deserialize_i16(),
            deserialize_i32(), deserialize_i64(), deserialize_u8(), deserialize_u16(),
            deserialize_u32(), deserialize_u64(), deserialize_f32(), deserialize_f64(),
            deserialize_char(), deserialize_str(), deserialize_string(), deserialize_bytes(),
            deserialize_byte_buf(), deserialize_option(), deserialize_unit(),
            deserialize_unit_struct(name: &'static str),
            deserialize_newtype_struct(name: &'static str), deserialize_seq(),
            deserialize_tuple(length: usize),
            deserialize_tuple_struct(name: &'static str, length: usize), deserialize_map(),
            deserialize_struct(name: &'static str, fields: &'static [&'static str]),
            deserialize_enum(name: &'static str, variants: &'static [&'static str]),
            deserialize_identifier(), deserialize_ignored_any(),
        }
    };
}

impl<'de> de::Deserializer<'de> for TextItem<'_> {
    type Error = Invalid;

    all_methods!(forward_item);
}

macro_rules! scalar_methods {
    ($($method:ident($($argument:ident: $ty:ty),*)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, $($argument: $ty,)* visitor: V) -> Result<V::Value, Invalid> {
            self.scalar()?.$method($($argument,)* visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for TextDeserializer<'_> {
    type Error = Invalid;

    scalar_methods! {
        deserialize_bool(), deserialize_i8(), deserialize_i16(), deserialize_i32(),
        deserialize_i64(), deserialize_u8(), deserialize_u16(), deserialize_u32(),
        deserialize_u64(), deserialize_f32(), deserialize_f64(), deserialize_char(),
        deserialize_str(), deserialize_string(), deserialize_identifier(),
        deserialize_unit(), deserialize_unit_struct(name: &'static str),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        match self.0 {
            Text::Fields(_) => self.deserialize_map(visitor),
            Text::Values { raw, .. } if raw.len() > 1 => self.deserialize_seq(visitor),
            _ => self.scalar()?.deserialize_any(visitor),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        match self.0 {
            Text::Bytes(bytes) => visitor.visit_byte_buf(bytes.to_vec()),
            _ => self.scalar()?.deserialize_bytes(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        match self.0 {
            Text::Absent => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        match self.0 {
            Text::Bytes(bytes) if bytes.trim_ascii_start().starts_with(b"[") => {
                json_part(bytes, |value| value.deserialize_seq(visitor))
            }
            _ => visitor.visit_seq(SeqDeserializer::new(self.items()?.into_iter())),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Invalid> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        match self.0 {
            Text::Bytes(bytes) => json_part(bytes, |value| value.deserialize_map(visitor)),
            Text::Fields(fields) => visitor.visit_map(MapDeserializer::new(
                fields
                    .iter()
                    .map(|(key, value)| (key.clone(), TextDeserializer(value))),
            )),
            Text::Absent => Err(Invalid(MISSING.to_owned())),
            _ => Err(Invalid(
                "is not an object (send its fields as `name[field]=value`)".to_owned(),
            )),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        self.deserialize_map(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        visitor.visit_unit()
    }
}

/// A multipart part that holds an object or an array: JSON, as the client sends it.
fn json_part<T>(
    bytes: &[u8],
    read: impl FnOnce(serde_json::Value) -> Result<T, serde_json::Error>,
) -> Result<T, Invalid> {
    let value = serde_json::from_slice(bytes)
        .map_err(|error| Invalid(format!("is not a JSON object or array: {error}")))?;
    read(value).map_err(|error| Invalid(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn values(raw: &[&str], delimiter: Option<&'static str>) -> Text {
        Text::Values {
            raw: raw.iter().map(|text| (*text).to_owned()).collect(),
            delimiter,
            encoding: Encoding::Form,
        }
    }

    fn read<T: for<'de> Deserialize<'de>>(text: &Text) -> Result<T, String> {
        serde_path_to_error::deserialize(TextDeserializer(text)).map_err(|error| {
            let path = error.path().to_string();
            format!("{path}: {}", error.into_inner())
        })
    }

    #[test]
    fn scalars_parse_as_their_type() {
        assert_eq!(read::<i64>(&values(&["42"], None)), Ok(42));
        assert_eq!(read::<bool>(&values(&["true"], None)), Ok(true));
        assert_eq!(
            read::<String>(&values(&["a%20b+c"], None)),
            Ok("a b c".into())
        );
        assert_eq!(read::<Option<i32>>(&Text::Absent), Ok(None));
        let error = read::<i32>(&values(&["ten"], None)).unwrap_err();
        assert!(error.contains("`ten` is not a 32-bit integer"), "{error}");
        assert!(read::<i32>(&Text::Absent).unwrap_err().contains(MISSING));
    }

    #[test]
    fn multipart_parts_holding_objects_or_arrays_are_json() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Crop {
            width: u32,
            height: u32,
        }
        #[derive(Deserialize, Debug, PartialEq)]
        struct Upload {
            crop: Crop,
            sizes: Vec<u32>,
            tags: Vec<String>,
        }
        let part = |text: &'static str| Text::Bytes(Bytes::from_static(text.as_bytes()));
        let parts = Text::Fields(vec![
            ("crop".into(), part(r#"{"width": 600, "height": 900}"#)),
            ("sizes".into(), part("[1, 2]")),
            ("tags".into(), part("solo")),
        ]);
        assert_eq!(
            read::<Upload>(&parts),
            Ok(Upload {
                crop: Crop {
                    width: 600,
                    height: 900
                },
                sizes: vec![1, 2],
                tags: vec!["solo".into()],
            })
        );
        let broken = Text::Fields(vec![("crop".into(), part("width=600"))]);
        #[derive(Deserialize, Debug)]
        struct Holder {
            #[allow(dead_code)]
            crop: Crop,
        }
        let error = read::<Holder>(&broken).unwrap_err();
        assert!(
            error.starts_with("crop: is not a JSON object or array"),
            "{error}"
        );
    }

    #[test]
    fn arrays_split_before_decoding() {
        let joined = values(&["a,b%2Cc"], Some(","));
        assert_eq!(
            read::<Vec<String>>(&joined),
            Ok(vec!["a".into(), "b,c".into()])
        );
        let repeated = values(&["1", "2"], None);
        assert_eq!(read::<Vec<u8>>(&repeated), Ok(vec![1, 2]));
        assert!(read::<u8>(&repeated).unwrap_err().contains("2 times"));
    }

    #[test]
    fn bracketed_keys_are_objects_with_paths_in_errors() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Filter {
            name: Option<String>,
            #[serde(rename = "minAge")]
            min_age: Option<i64>,
            tags: Option<Vec<String>>,
        }
        let text = Text::fields(
            [("f[name]", "Rex"), ("f[tags][1]", "b"), ("f[tags][0]", "a")],
            Encoding::Form,
        );
        let Text::Fields(fields) = &text else {
            panic!("fields expected")
        };
        let filter: Filter = read(&fields[0].1).unwrap();
        assert_eq!(filter.name.as_deref(), Some("Rex"));
        assert_eq!(filter.tags, Some(vec!["a".into(), "b".into()]));
        let wrong = Text::fields([("minAge", "old")], Encoding::Form);
        let error = read::<Filter>(&wrong).unwrap_err();
        assert!(error.starts_with("minAge: `old` is not"), "{error}");
    }
}
