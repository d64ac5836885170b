//! Schemas read into `openapiv3`'s model in one pass over the JSON. The model's own serde
//! reading buffers every schema's subtree (its reference-or-item enum and its flattened
//! fields both do), again at each level of nesting, and tries every kind of its untagged
//! schema kind in turn.
//!
//! This reader gives the model's result or gives up: any key the model reads that holds a
//! value of another JSON type than expected makes it answer `None`, and the caller reads
//! the node with serde, which then reports and repairs what is wrong. So it only has to
//! agree with serde on schemas that serde reads (the tests compare the two).

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, Discriminator, ExternalDocumentation,
    IntegerType, NumberType, ObjectType, ReferenceOr, Schema, SchemaData, SchemaKind, StringType,
    Type,
};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

use super::Direct;

/// `value` as a reference or a schema, as the model reads it.
fn reference_or_schema(value: &Value) -> Option<ReferenceOr<Schema>> {
    ReferenceOr::direct(value)
}

fn boxed(value: &Value) -> Option<ReferenceOr<Box<Schema>>> {
    Some(match reference_or_schema(value)? {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(schema) => ReferenceOr::Item(Box::new(schema)),
    })
}

impl Direct for Schema {
    fn direct(value: &Value) -> Option<Self> {
        schema(value.as_object()?)
    }
}

/// What a key holds: absent (or `null`, which serde reads as absent for an optional
/// field), a value of the expected type, or a value of another type (give up).
type Field<T> = Option<Option<T>>;

/// Reads the optional field `key` of `map` with `read`; `None` when it holds a value
/// `read` does not accept.
fn field<'a, T>(
    map: &'a Map<String, Value>,
    key: &str,
    read: impl FnOnce(&'a Value) -> Option<T>,
) -> Field<T> {
    match map.get(key) {
        None | Some(Value::Null) => Some(None),
        Some(value) => read(value).map(Some),
    }
}

fn string(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

fn boolean(value: &Value) -> Option<bool> {
    value.as_bool()
}

fn number(value: &Value) -> Option<Number> {
    match value {
        Value::Number(number) => Some(number.clone()),
        _ => None,
    }
}

fn count(value: &Value) -> Option<usize> {
    value.as_u64().and_then(|count| usize::try_from(count).ok())
}

fn schemas(value: &Value) -> Option<Vec<ReferenceOr<Schema>>> {
    value.as_array()?.iter().map(reference_or_schema).collect()
}

fn properties(value: &Value) -> Option<IndexMap<String, ReferenceOr<Box<Schema>>>> {
    value
        .as_object()?
        .iter()
        .map(|(name, schema)| Some((name.clone(), boxed(schema)?)))
        .collect()
}

fn strings(value: &Value) -> Option<Vec<String>> {
    value.as_array()?.iter().map(string).collect()
}

fn additional_properties(value: &Value) -> Option<AdditionalProperties> {
    match value {
        Value::Bool(any) => Some(AdditionalProperties::Any(*any)),
        _ => {
            reference_or_schema(value).map(|schema| AdditionalProperties::Schema(Box::new(schema)))
        }
    }
}

/// A small object without enums of its own, read with serde.
fn small<'a, T: Deserialize<'a>>(value: &'a Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// A flag with a default: absent is `false`; `null` or another type gives up, as serde does.
fn flag(map: &Map<String, Value>, key: &str) -> Option<bool> {
    match map.get(key) {
        None => Some(false),
        Some(value) => value.as_bool(),
    }
}

fn schema(map: &Map<String, Value>) -> Option<Schema> {
    Some(Schema {
        schema_data: schema_data(map)?,
        schema_kind: schema_kind(map)?,
    })
}

fn schema_data(map: &Map<String, Value>) -> Option<SchemaData> {
    Some(SchemaData {
        nullable: flag(map, "nullable")?,
        read_only: flag(map, "readOnly")?,
        write_only: flag(map, "writeOnly")?,
        deprecated: flag(map, "deprecated")?,
        external_docs: field(map, "externalDocs", small::<ExternalDocumentation>)?,
        example: field(map, "example", |value| Some(value.clone()))?,
        title: field(map, "title", string)?,
        description: field(map, "description", string)?,
        discriminator: field(map, "discriminator", small::<Discriminator>)?,
        default: field(map, "default", |value| Some(value.clone()))?,
        extensions: map
            .iter()
            .filter(|(key, _)| key.starts_with("x-"))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
    })
}

/// Every keyword the model's schema kinds read, before the kind is chosen.
struct Keywords {
    typ: Option<String>,
    pattern: Option<String>,
    multiple_of: Option<Number>,
    exclusive_minimum: Option<bool>,
    exclusive_maximum: Option<bool>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    properties: Option<IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: Option<Vec<String>>,
    additional_properties: Option<AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    items: Option<ReferenceOr<Box<Schema>>>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: Option<bool>,
    enumeration: Option<Vec<Value>>,
    format: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    one_of: Option<Vec<ReferenceOr<Schema>>>,
    all_of: Option<Vec<ReferenceOr<Schema>>>,
    any_of: Option<Vec<ReferenceOr<Schema>>>,
    not: Option<Box<ReferenceOr<Schema>>>,
}

impl Keywords {
    fn read(map: &Map<String, Value>) -> Option<Keywords> {
        Some(Keywords {
            typ: field(map, "type", string)?,
            pattern: field(map, "pattern", string)?,
            multiple_of: field(map, "multipleOf", number)?,
            exclusive_minimum: field(map, "exclusiveMinimum", boolean)?,
            exclusive_maximum: field(map, "exclusiveMaximum", boolean)?,
            minimum: field(map, "minimum", number)?,
            maximum: field(map, "maximum", number)?,
            properties: field(map, "properties", properties)?,
            required: field(map, "required", strings)?,
            additional_properties: field(map, "additionalProperties", additional_properties)?,
            min_properties: field(map, "minProperties", count)?,
            max_properties: field(map, "maxProperties", count)?,
            items: field(map, "items", boxed)?,
            min_items: field(map, "minItems", count)?,
            max_items: field(map, "maxItems", count)?,
            unique_items: field(map, "uniqueItems", boolean)?,
            enumeration: field(map, "enum", |value| value.as_array().cloned())?,
            format: field(map, "format", string)?,
            min_length: field(map, "minLength", count)?,
            max_length: field(map, "maxLength", count)?,
            one_of: field(map, "oneOf", schemas)?,
            all_of: field(map, "allOf", schemas)?,
            any_of: field(map, "anyOf", schemas)?,
            not: field(map, "not", |value| reference_or_schema(value).map(Box::new))?,
        })
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
    enumeration
        .unwrap_or_default()
        .iter()
        .map(|value| match value {
            Value::Null => Some(None),
            value => convert(value).map(Some),
        })
        .collect()
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

fn schema_kind(map: &Map<String, Value>) -> Option<SchemaKind> {
    let keywords = Keywords::read(map)?;
    let present = keywords.present();
    let typed = |allowed: Present| present.only(allowed);
    let kind = match keywords.typ.as_deref() {
        Some("string")
            if typed(Present {
                string: true,
                enumeration: true,
                format: true,
                ..Present::default()
            }) && enumeration_fits(&keywords.enumeration, Value::is_string) =>
        {
            SchemaKind::Type(Type::String(StringType {
                format: keywords.format.into(),
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
                format: keywords.format.into(),
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
                format: keywords.format.into(),
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
        _ => SchemaKind::Any(AnySchema {
            typ: keywords.typ,
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
            format: keywords.format,
            min_length: keywords.min_length,
            max_length: keywords.max_length,
            one_of: keywords.one_of.unwrap_or_default(),
            all_of: keywords.all_of.unwrap_or_default(),
            any_of: keywords.any_of.unwrap_or_default(),
            not: keywords.not,
        }),
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
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
