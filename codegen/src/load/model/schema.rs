//! Schemas, as `openapiv3` has them (the same types, fields and names) but for what a
//! schema seldom holds, which is boxed: the keywords of a schema of no one kind
//! (`AnySchema`), a discriminator and a default. Its examples and external docs are not
//! kept: nothing tether generates reads them.
//!
//! `openapiv3`'s schema holds all of those inline and takes about a kilobyte, most of it
//! empty: a property that only refers to a component took a kilobyte's allocation, just
//! past the sizes the allocator keeps at hand (whose larger requests merge its free lists
//! first), and every schema read was a kilobyte written and dropped. Kinds without
//! schemas inside (`StringType`, `NumberType`, `IntegerType`, `BooleanType`) are
//! `openapiv3`'s.

use openapiv3::{BooleanType, Discriminator, IntegerType, NumberType, StringType};
use serde::Deserialize;
use smol_str::SmolStr;

use super::{Map, ReferenceOr};
use serde_json::Value;

/// A schema: what any schema may say, and what its kind says.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "openapiv3::Schema")]
pub struct Schema {
    pub schema_data: SchemaData,
    pub schema_kind: SchemaKind,
}

/// What every kind of schema may say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaData {
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub title: Option<SmolStr>,
    pub description: Option<SmolStr>,
    pub discriminator: Option<Box<Discriminator>>,
    pub default: Option<Box<Value>>,
    pub extensions: Map<String, Value>,
}

/// The kind of a schema: one type, a composition, or keywords of no one kind.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaKind {
    Type(Type),
    OneOf { one_of: Vec<ReferenceOr<Schema>> },
    AllOf { all_of: Vec<ReferenceOr<Schema>> },
    AnyOf { any_of: Vec<ReferenceOr<Schema>> },
    Not { not: Box<ReferenceOr<Schema>> },
    Any(Box<AnySchema>),
}

/// A schema of one `type`.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    String(StringType),
    Number(NumberType),
    Integer(IntegerType),
    Object(ObjectType),
    Array(ArrayType),
    Boolean(BooleanType),
}

/// `type: object`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectType {
    pub properties: Map<SmolStr, ReferenceOr<Box<Schema>>>,
    pub required: Vec<SmolStr>,
    pub additional_properties: Option<AdditionalProperties>,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
}

/// `type: array`.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrayType {
    pub items: Option<ReferenceOr<Box<Schema>>>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
}

/// `additionalProperties`: allowed or not, or the schema of their values.
#[derive(Debug, Clone, PartialEq)]
pub enum AdditionalProperties {
    Any(bool),
    Schema(Box<ReferenceOr<Schema>>),
}

/// A schema whose keywords make no one kind: each keyword as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnySchema {
    pub typ: Option<String>,
    pub pattern: Option<String>,
    pub multiple_of: Option<f64>,
    pub exclusive_minimum: Option<bool>,
    pub exclusive_maximum: Option<bool>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub properties: Map<SmolStr, ReferenceOr<Box<Schema>>>,
    pub required: Vec<SmolStr>,
    pub additional_properties: Option<AdditionalProperties>,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    pub items: Option<ReferenceOr<Box<Schema>>>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: Option<bool>,
    pub enumeration: Vec<Value>,
    pub format: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub one_of: Vec<ReferenceOr<Schema>>,
    pub all_of: Vec<ReferenceOr<Schema>>,
    pub any_of: Vec<ReferenceOr<Schema>>,
    pub not: Option<Box<ReferenceOr<Schema>>>,
}
