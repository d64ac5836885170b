//! Schemas read into the model ([`super::super::model::Schema`]) in one pass over the
//! JSON. `openapiv3`'s serde reading, by which the model reads otherwise, buffers every
//! schema's subtree (its reference-or-item enum and its flattened fields both do), again
//! at each level of nesting, and tries every kind of its untagged schema kind in turn.
//!
//! This reader gives the model's result or gives up: any key the model reads that holds a
//! value of another JSON type than expected makes it answer `None`, and the caller reads
//! the node with serde, which then reports and repairs what is wrong. So it only has to
//! agree with serde on schemas that serde reads (the tests compare the two).

use std::str::FromStr;

use openapiv3::{BooleanType, IntegerType, NumberType, StringType, VariantOrUnknownOrEmpty};
use serde::de::DeserializeOwned;
use serde_json::{Number, Value};
use smol_str::SmolStr;

use super::super::lean::Tree;
use super::super::model::{
    AdditionalProperties, AnySchema, ArrayType, Map, ObjectType, ReferenceOr, Schema, SchemaData,
    SchemaKind, Type,
};
use super::{extension, read_all, smol_text, Direct};

/// `value` as a reference or a schema, as the model reads it.
fn reference_or_schema<N: Tree>(value: &N) -> Option<ReferenceOr<Schema>> {
    ReferenceOr::direct(value)
}

fn boxed<N: Tree>(value: &N) -> Option<ReferenceOr<Box<Schema>>> {
    ReferenceOr::direct(value)
}

impl Direct for Schema {
    fn direct<N: Tree>(value: &N) -> Option<Self> {
        let mut schema_data = SchemaData::default();
        let mut keywords = Keywords::default();
        for (key, value) in value.entries()? {
            if !data_keyword(&mut schema_data, key, value)? {
                keywords.read(key, value)?;
            }
        }
        Some(Schema {
            schema_data,
            schema_kind: schema_kind(keywords)?,
        })
    }
}

impl Direct for Box<Schema> {
    fn direct<N: Tree>(value: &N) -> Option<Self> {
        Schema::direct(value).map(Box::new)
    }
}

/// Sets `slot` to `value` as `read` reads it. `null` leaves it absent, as serde reads an
/// optional field; `None` (give up) when `read` does not accept the value.
fn set<'a, N: Tree, T>(
    slot: &mut Option<T>,
    value: &'a N,
    read: impl FnOnce(&'a N) -> Option<T>,
) -> Option<()> {
    if !value.is_null() {
        *slot = Some(read(value)?);
    }
    Some(())
}

fn string<N: Tree>(value: &N) -> Option<String> {
    value.as_str().map(str::to_owned)
}

fn boolean<N: Tree>(value: &N) -> Option<bool> {
    value.as_bool()
}

fn number<N: Tree>(value: &N) -> Option<Number> {
    value.as_number().cloned()
}

fn count<N: Tree>(value: &N) -> Option<usize> {
    value.as_u64().and_then(|count| usize::try_from(count).ok())
}

fn schemas<N: Tree>(value: &N) -> Option<Vec<ReferenceOr<Schema>>> {
    read_all(value.items()?, reference_or_schema)
}

fn properties<N: Tree>(value: &N) -> Option<Map<SmolStr, ReferenceOr<Box<Schema>>>> {
    // Sized up front, as collecting options into a map is not.
    let entries = value.entries()?;
    let mut properties = Map::with_capacity_and_hasher(entries.len(), Default::default());
    for (name, schema) in entries {
        properties.insert(SmolStr::new(name), boxed(schema)?);
    }
    Some(properties)
}

fn names<N: Tree>(value: &N) -> Option<Vec<SmolStr>> {
    read_all(value.items()?, smol_text)
}

fn additional_properties<N: Tree>(value: &N) -> Option<AdditionalProperties> {
    match value.as_bool() {
        Some(any) => Some(AdditionalProperties::Any(any)),
        None => {
            reference_or_schema(value).map(|schema| AdditionalProperties::Schema(Box::new(schema)))
        }
    }
}

/// A small object without enums of its own, read with serde.
fn small<N: Tree, T: DeserializeOwned>(value: &N) -> Option<T> {
    value.with_value(|value| T::deserialize(value).ok())
}

/// Reads `key` into `data` if it is one of the keywords every kind of schema has (an
/// extension included): `Some(false)` for any other key, `None` when it holds a value of
/// another type. A schema is read in one pass over its keys: looking each keyword up in
/// the map would hash some thirty keys per schema, most of them absent.
fn data_keyword<N: Tree>(data: &mut SchemaData, key: &str, value: &N) -> Option<bool> {
    match key {
        // A flag defaults to `false`; `null` or another type gives up, as serde does.
        "nullable" => data.nullable = value.as_bool()?,
        "readOnly" => data.read_only = value.as_bool()?,
        "writeOnly" => data.write_only = value.as_bool()?,
        "deprecated" => data.deprecated = value.as_bool()?,
        // Nothing tether generates reads them (see the model's `MediaType`).
        "externalDocs" | "example" => {}
        "title" => set(&mut data.title, value, smol_text)?,
        "description" => set(&mut data.description, value, smol_text)?,
        "discriminator" => set(&mut data.discriminator, value, small)?,
        "default" => set(&mut data.default, value, any)?,
        // An extension is a schema's keyword whether or not the model keeps it.
        key if key.starts_with("x-") => extension(&mut data.extensions, key, value),
        _ => return Some(false),
    }
    Some(true)
}

fn any<N: Tree>(value: &N) -> Option<Box<Value>> {
    Some(Box::new(value.to_value()))
}

/// Every keyword the model's schema kinds read, before the kind is chosen; `type` and
/// `format` borrowed from the tree, as most are one of a few known words that the model
/// keeps as no text (a copy of each was an allocation per schema).
#[derive(Default)]
struct Keywords<'a> {
    typ: Option<&'a str>,
    pattern: Option<String>,
    multiple_of: Option<Number>,
    exclusive_minimum: Option<bool>,
    exclusive_maximum: Option<bool>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    properties: Option<Map<SmolStr, ReferenceOr<Box<Schema>>>>,
    required: Option<Vec<SmolStr>>,
    additional_properties: Option<AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    items: Option<ReferenceOr<Box<Schema>>>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: Option<bool>,
    enumeration: Option<Vec<Value>>,
    format: Option<&'a str>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    one_of: Option<Vec<ReferenceOr<Schema>>>,
    all_of: Option<Vec<ReferenceOr<Schema>>>,
    any_of: Option<Vec<ReferenceOr<Schema>>>,
    not: Option<Box<ReferenceOr<Schema>>>,
}

impl<'a> Keywords<'a> {
    /// Reads `key` if it is one of the kinds' keywords (other keys are ignored, as serde
    /// ignores them); `None` when it holds a value of another type.
    fn read<N: Tree>(&mut self, key: &str, value: &'a N) -> Option<()> {
        match key {
            "type" => set(&mut self.typ, value, Tree::as_str),
            "pattern" => set(&mut self.pattern, value, string),
            "multipleOf" => set(&mut self.multiple_of, value, number),
            "exclusiveMinimum" => set(&mut self.exclusive_minimum, value, boolean),
            "exclusiveMaximum" => set(&mut self.exclusive_maximum, value, boolean),
            "minimum" => set(&mut self.minimum, value, number),
            "maximum" => set(&mut self.maximum, value, number),
            "properties" => set(&mut self.properties, value, properties),
            "required" => set(&mut self.required, value, names),
            "additionalProperties" => set(
                &mut self.additional_properties,
                value,
                additional_properties,
            ),
            "minProperties" => set(&mut self.min_properties, value, count),
            "maxProperties" => set(&mut self.max_properties, value, count),
            "items" => set(&mut self.items, value, boxed),
            "minItems" => set(&mut self.min_items, value, count),
            "maxItems" => set(&mut self.max_items, value, count),
            "uniqueItems" => set(&mut self.unique_items, value, boolean),
            "enum" => set(&mut self.enumeration, value, |value| {
                value
                    .items()
                    .map(|items| items.iter().map(Tree::to_value).collect())
            }),
            "format" => set(&mut self.format, value, Tree::as_str),
            "minLength" => set(&mut self.min_length, value, count),
            "maxLength" => set(&mut self.max_length, value, count),
            "oneOf" => set(&mut self.one_of, value, schemas),
            "allOf" => set(&mut self.all_of, value, schemas),
            "anyOf" => set(&mut self.any_of, value, schemas),
            "not" => set(&mut self.not, value, |value| {
                reference_or_schema(value).map(Box::new)
            }),
            _ => Some(()),
        }
    }

    /// Which keyword groups are present, to tell the kinds apart as the model does: a
    /// typed kind takes only its own keywords; anything else is the catch-all kind.
    fn present(&self) -> Present {
        Present {
            string: self.pattern.is_some()
                || self.min_length.is_some()
                || self.max_length.is_some(),
            numeric: self.multiple_of.is_some()
                || self.exclusive_minimum.is_some()
                || self.exclusive_maximum.is_some()
                || self.minimum.is_some()
                || self.maximum.is_some(),
            object: self.properties.is_some()
                || self.required.is_some()
                || self.additional_properties.is_some()
                || self.min_properties.is_some()
                || self.max_properties.is_some(),
            array: self.items.is_some()
                || self.min_items.is_some()
                || self.max_items.is_some()
                || self.unique_items.is_some(),
            enumeration: self.enumeration.is_some(),
            format: self.format.is_some(),
            one_of: self.one_of.is_some(),
            all_of: self.all_of.is_some(),
            any_of: self.any_of.is_some(),
            not: self.not.is_some(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Default)]
struct Present {
    string: bool,
    numeric: bool,
    object: bool,
    array: bool,
    enumeration: bool,
    format: bool,
    one_of: bool,
    all_of: bool,
    any_of: bool,
    not: bool,
}

impl Present {
    /// Whether nothing is present beyond `allowed`.
    fn only(self, allowed: Present) -> bool {
        let Present {
            string,
            numeric,
            object,
            array,
            enumeration,
            format,
            one_of,
            all_of,
            any_of,
            not,
        } = self;
        (!string || allowed.string)
            && (!numeric || allowed.numeric)
            && (!object || allowed.object)
            && (!array || allowed.array)
            && (!enumeration || allowed.enumeration)
            && (!format || allowed.format)
            && (!one_of || allowed.one_of)
            && (!all_of || allowed.all_of)
            && (!any_of || allowed.any_of)
            && (!not || allowed.not)
    }
}

/// Whether every listed value is `null` or passes `check`.
fn enumeration_fits(enumeration: &Option<Vec<Value>>, check: impl Fn(&Value) -> bool) -> bool {
    enumeration
        .iter()
        .flatten()
        .all(|value| value.is_null() || check(value))
}

/// The listed values, each `None` for `null`; `None` when one does not convert.
fn enumeration_of<T>(
    enumeration: Option<Vec<Value>>,
    convert: impl Fn(&Value) -> Option<T>,
) -> Option<Vec<Option<T>>> {
    read_all(&enumeration.unwrap_or_default(), |value| match value {
        Value::Null => Some(None),
        value => convert(value).map(Some),
    })
}

/// A `format` as the model keeps it (what `openapiv3`'s conversion from an owned string
/// gives): a known one as its variant, any other as its text, none as empty.
fn format_of<T: FromStr>(format: Option<&str>) -> VariantOrUnknownOrEmpty<T> {
    match format {
        Some(text) => text.parse().map_or_else(
            |_| VariantOrUnknownOrEmpty::Unknown(text.to_owned()),
            VariantOrUnknownOrEmpty::Item,
        ),
        None => VariantOrUnknownOrEmpty::Empty,
    }
}

fn integer(number: Option<Number>) -> Option<Option<i64>> {
    match number {
        None => Some(None),
        Some(number) => number.as_i64().map(Some),
    }
}

fn float(number: Option<Number>) -> Option<Option<f64>> {
    match number {
        None => Some(None),
        Some(number) => number.as_f64().map(Some),
    }
}

fn schema_kind(keywords: Keywords<'_>) -> Option<SchemaKind> {
    let present = keywords.present();
    let typed = |allowed: Present| present.only(allowed);
    let kind = match keywords.typ {
        Some("string")
            if typed(Present {
                string: true,
                enumeration: true,
                format: true,
                ..Present::default()
            }) && enumeration_fits(&keywords.enumeration, Value::is_string) =>
        {
            SchemaKind::Type(Type::String(StringType {
                format: format_of(keywords.format),
                pattern: keywords.pattern,
                enumeration: enumeration_of(keywords.enumeration, string)?,
                min_length: keywords.min_length,
                max_length: keywords.max_length,
            }))
        }
        Some("number")
            if typed(Present {
                numeric: true,
                enumeration: true,
                format: true,
                ..Present::default()
            }) && enumeration_fits(&keywords.enumeration, Value::is_number) =>
        {
            SchemaKind::Type(Type::Number(NumberType {
                format: format_of(keywords.format),
                multiple_of: float(keywords.multiple_of)?,
                exclusive_minimum: keywords.exclusive_minimum.unwrap_or_default(),
                exclusive_maximum: keywords.exclusive_maximum.unwrap_or_default(),
                minimum: float(keywords.minimum)?,
                maximum: float(keywords.maximum)?,
                enumeration: enumeration_of(keywords.enumeration, Value::as_f64)?,
            }))
        }
        Some("integer")
            if typed(Present {
                numeric: true,
                enumeration: true,
                format: true,
                ..Present::default()
            }) && enumeration_fits(&keywords.enumeration, Value::is_i64)
                && [&keywords.multiple_of, &keywords.minimum, &keywords.maximum]
                    .iter()
                    .all(|bound| bound.as_ref().is_none_or(Number::is_i64)) =>
        {
            SchemaKind::Type(Type::Integer(IntegerType {
                format: format_of(keywords.format),
                multiple_of: integer(keywords.multiple_of)?,
                exclusive_minimum: keywords.exclusive_minimum.unwrap_or_default(),
                exclusive_maximum: keywords.exclusive_maximum.unwrap_or_default(),
                minimum: integer(keywords.minimum)?,
                maximum: integer(keywords.maximum)?,
                enumeration: enumeration_of(keywords.enumeration, Value::as_i64)?,
            }))
        }
        Some("boolean")
            if typed(Present {
                enumeration: true,
                ..Present::default()
            }) && enumeration_fits(&keywords.enumeration, Value::is_boolean) =>
        {
            SchemaKind::Type(Type::Boolean(BooleanType {
                enumeration: enumeration_of(keywords.enumeration, Value::as_bool)?,
            }))
        }
        Some("object")
            if typed(Present {
                object: true,
                ..Present::default()
            }) =>
        {
            SchemaKind::Type(Type::Object(ObjectType {
                properties: keywords.properties.unwrap_or_default(),
                required: keywords.required.unwrap_or_default(),
                additional_properties: keywords.additional_properties,
                min_properties: keywords.min_properties,
                max_properties: keywords.max_properties,
            }))
        }
        Some("array")
            if typed(Present {
                array: true,
                ..Present::default()
            }) =>
        {
            SchemaKind::Type(Type::Array(ArrayType {
                items: keywords.items,
                min_items: keywords.min_items,
                max_items: keywords.max_items,
                unique_items: keywords.unique_items.unwrap_or_default(),
            }))
        }
        None if present
            == (Present {
                one_of: true,
                ..Present::default()
            }) =>
        {
            SchemaKind::OneOf {
                one_of: keywords.one_of.unwrap_or_default(),
            }
        }
        None if present
            == (Present {
                all_of: true,
                ..Present::default()
            }) =>
        {
            SchemaKind::AllOf {
                all_of: keywords.all_of.unwrap_or_default(),
            }
        }
        None if present
            == (Present {
                any_of: true,
                ..Present::default()
            }) =>
        {
            SchemaKind::AnyOf {
                any_of: keywords.any_of.unwrap_or_default(),
            }
        }
        None if present
            == (Present {
                not: true,
                ..Present::default()
            }) =>
        {
            SchemaKind::Not { not: keywords.not? }
        }
        _ => SchemaKind::Any(Box::new(AnySchema {
            typ: keywords.typ.map(str::to_owned),
            pattern: keywords.pattern,
            multiple_of: float(keywords.multiple_of)?,
            exclusive_minimum: keywords.exclusive_minimum,
            exclusive_maximum: keywords.exclusive_maximum,
            minimum: float(keywords.minimum)?,
            maximum: float(keywords.maximum)?,
            properties: keywords.properties.unwrap_or_default(),
            required: keywords.required.unwrap_or_default(),
            additional_properties: keywords.additional_properties,
            min_properties: keywords.min_properties,
            max_properties: keywords.max_properties,
            items: keywords.items,
            min_items: keywords.min_items,
            max_items: keywords.max_items,
            unique_items: keywords.unique_items,
            enumeration: keywords.enumeration.unwrap_or_default(),
            format: keywords.format.map(str::to_owned),
            min_length: keywords.min_length,
            max_length: keywords.max_length,
            one_of: keywords.one_of.unwrap_or_default(),
            all_of: keywords.all_of.unwrap_or_default(),
            any_of: keywords.any_of.unwrap_or_default(),
            not: keywords.not,
        })),
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    /// The reader agrees with serde wherever it answers, and answers for these.
    fn agrees(schema: Value) {
        let serde = ReferenceOr::<Schema>::deserialize(&schema).ok();
        let read = reference_or_schema(&schema);
        assert!(read.is_some(), "the reader gave up on {schema}");
        assert_eq!(read, serde, "{schema}");
    }

    /// The reader gives up where serde fails, so that the failure is repaired as before.
    fn gives_up(schema: Value) {
        assert!(
            ReferenceOr::<Schema>::deserialize(&schema).is_err(),
            "{schema}"
        );
        assert_eq!(reference_or_schema(&schema), None, "{schema}");
    }

    #[test]
    fn every_kind_reads_as_serde_reads_it() {
        for schema in [
            json!({"$ref": "#/components/schemas/A", "description": "beside"}),
            json!({"type": "string", "format": "date-time", "enum": ["a", null], "maxLength": 3}),
            json!({"type": "string", "format": "uri-map", "pattern": "^a"}),
            json!({"type": "string", "enum": ["a", 1]}),
            json!({"type": "string", "minimum": 1}),
            json!({"type": "number", "minimum": 1, "maximum": 2.5, "exclusiveMinimum": true, "enum": [1.5, null]}),
            json!({"type": "integer", "format": "int64", "multipleOf": 2, "enum": [1, 2]}),
            json!({"type": "integer", "maximum": 2.5}),
            json!({"type": "integer", "enum": [18446744073709551615u64]}),
            json!({"type": "boolean", "enum": [true, null]}),
            json!({"type": "boolean", "format": "flag"}),
            json!({"type": "object", "properties": {"a": {"$ref": "#/x"}, "b": {"type": "array", "items": {"type": "string"}}},
                   "required": ["a"], "additionalProperties": {"type": "integer"}, "minProperties": 1}),
            json!({"type": "object", "additionalProperties": false, "nullable": true, "readOnly": true}),
            json!({"type": "object", "oneOf": [{"type": "string"}]}),
            json!({"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]}, "uniqueItems": true}),
            json!({"type": "array"}),
            json!({"oneOf": [{"$ref": "#/a"}, {"type": "null"}], "discriminator": {"propertyName": "kind", "mapping": {"a": "#/a"}}}),
            json!({"allOf": [{"$ref": "#/a"}], "title": "T", "x-extra": {"k": 1}}),
            json!({"anyOf": [{"type": "string"}], "nullable": true}),
            json!({"not": {"type": "string"}}),
            json!({"oneOf": [{"type": "string"}], "anyOf": [{"type": "integer"}]}),
            json!({"type": "thing", "pattern": null, "default": null, "example": {"a": 1}}),
            json!({"description": "anything", "default": [1], "externalDocs": {"url": "https://e.x"}, "xml": {"name": "n"}}),
            json!({"properties": {"a": {}}, "items": {}, "enum": [1, "a"], "minLength": 0}),
            json!({}),
        ] {
            agrees(schema);
        }
    }

    #[test]
    fn what_serde_refuses_the_reader_leaves_to_it() {
        for schema in [
            json!({"type": {}}),
            json!({"type": "object", "properties": {"a": {"type": "string", "required": true}}}),
            json!({"nullable": null}),
            json!({"type": "array", "minItems": -1}),
            json!({"type": "array", "maxItems": 1.5}),
            json!({"oneOf": {"type": "string"}}),
            json!({"additionalProperties": 3}),
            json!({"discriminator": {"mapping": {}}}),
            json!("string"),
        ] {
            gives_up(schema);
        }
    }
}
