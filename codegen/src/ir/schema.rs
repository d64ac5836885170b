//! Schemas to types: every schema reachable from an operation becomes a [`TypeRef`],
//! defining named types as it goes. Inline schemas are named from where they appear.

use std::borrow::Borrow;

use openapiv3::{IntegerType, NumberType, StringType};

use crate::load::ReferenceOr;
use rustc_hash::{FxHashMap, FxHashSet};

use super::naming::{self, Scope};
use super::reference::component_name;
use super::{
    Docs, EnumDef, EnumVariant, EnumWire, Field, Primitive, SmolStr, StructDef, TypeDef, TypeId,
    TypeKind, TypeRef, UnionDef, UnionVariant,
};
use crate::diagnostics::{pointer_push, At, Note};
use crate::load::{
    AdditionalProperties, AnySchema, Document, Map, Schema, SchemaData, SchemaKind, Type,
};

/// How deep `$ref` chains are followed before giving up (a chain that long is a loop).
const MAX_REF_DEPTH: usize = 32;

/// Names the generated module uses itself, so schemas may not take them.
pub(crate) const RESERVED_TYPE_NAMES: &[&str] = &[
    "Client", "Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err",
];

/// The type space being built: named types, and which component schema became which.
pub(crate) struct TypeSpace<'a> {
    pub(crate) document: &'a Document,
    pub(crate) types: Vec<TypeDef>,
    pub(crate) module_scope: Scope,
    /// The types of component schemas, by name (decoded, however a `$ref` spells it).
    components: FxHashMap<String, TypeRef>,
    /// Inline enums by their values, so that repeated enums become one type.
    enums: FxHashMap<(EnumWire, Vec<String>), TypeId>,
    /// The variants made for each list of enum values. Big specs repeat long lists
    /// (Stripe's currencies, countries and payment method types) inline, and naming every
    /// value again was a tenth of lowering them.
    enum_variants: FxHashMap<(EnumWire, Vec<String>), EnumDef>,
    /// Types made for inline schemas, by their shape: a repeat is the same type.
    inline_types: FxHashMap<TypeKind, TypeId>,
    /// Inline types met more than once, to be named after their common title.
    shared: indexmap::IndexSet<TypeId>,
    pub(crate) notes: Vec<Note>,
    /// Set while a multipart body is lowered: `format: binary` strings are file contents.
    binary_as_bytes: bool,
    /// The `allOf` merges being lowered, innermost last.
    merging: Vec<Merging>,
    pub(crate) spellings: naming::Spellings,
}

/// An `allOf` merge being lowered. Merging copies the parts' properties, so a property
/// that leads back to the same `allOf` (through a `$ref` to a part) is met again as a
/// copy, never as the component it came from: it is recognised by its content, and
/// given the type reserved here instead of being merged again without end.
struct Merging {
    parts: Vec<ReferenceOr<Schema>>,
    own: Option<Map<SmolStr, ReferenceOr<Box<Schema>>>>,
    /// The name the merged type is given.
    hint: String,
    /// The type reserved for the merge once something inside it refers back to it.
    reserved: Option<TypeId>,
}

/// `values` without repeats, in their order. A value listed twice (Vercel's `[production,
/// preview, development, preview]`) is one value: a second variant for it would be a match
/// arm no input reaches.
fn distinct(values: Vec<String>) -> Vec<String> {
    let mut seen = FxHashSet::with_capacity_and_hasher(values.len(), Default::default());
    if values.iter().all(|value| seen.insert(value.as_str())) {
        return values;
    }
    let mut seen = FxHashSet::with_capacity_and_hasher(values.len(), Default::default());
    values
        .into_iter()
        .filter(|value| seen.insert(value.clone()))
        .collect()
}

/// What a schema turns into before it is given a place.
enum Shape {
    /// An existing type or a primitive/container.
    Ref(TypeRef),
    /// A new named type.
    Def(TypeKind),
}

impl<'a> TypeSpace<'a> {
    pub(crate) fn new(document: &'a Document) -> Self {
        TypeSpace {
            document,
            types: Vec::new(),
            module_scope: Scope::with_reserved(RESERVED_TYPE_NAMES),
            components: FxHashMap::default(),
            enums: FxHashMap::default(),
            enum_variants: FxHashMap::default(),
            inline_types: FxHashMap::default(),
            shared: indexmap::IndexSet::new(),
            notes: Vec::new(),
            binary_as_bytes: false,
            merging: Vec::new(),
            spellings: naming::Spellings::default(),
        }
    }

    /// Runs `lower` with `format: binary` strings typed as bytes.
    pub(crate) fn with_binary_as_bytes(
        &mut self,
        lower: impl FnOnce(&mut Self) -> TypeRef,
    ) -> TypeRef {
        self.binary_as_bytes = true;
        let ty = lower(self);
        self.binary_as_bytes = false;
        ty
    }

    /// Notes a type that the cycle breaker found to lead only back to itself, at its
    /// component (an inline schema cannot be one: only a reference can lead back).
    pub(crate) fn note_endless_alias(&mut self, id: TypeId) {
        let component = self
            .components
            .iter()
            .find(|(_, ty)| **ty == TypeRef::Named(id))
            .map(|(name, _)| pointer_push("/components/schemas", name));
        let message = format!(
            "`{}` only leads back to itself through references and describes no value; typed as any JSON value",
            self.types[id.0].name
        );
        self.note(At::Pointer(component.as_deref().unwrap_or("")), message);
    }

    pub(crate) fn note(&mut self, pointer: At<'_>, message: impl Into<String>) {
        self.notes.push(Note::new(pointer.pointer(), message));
    }

    /// Adds a named type, claiming a unique name from `desired`.
    pub(crate) fn add_type(&mut self, desired: &str, docs: Docs, kind: TypeKind) -> TypeId {
        let name = self.module_scope.claim(desired);
        self.types.push(TypeDef { name, docs, kind });
        TypeId(self.types.len() - 1)
    }

    /// The schema a reference names, following chains of references. A schema is held
    /// inline in some places of the model and boxed in others, hence `S`.
    pub(crate) fn resolve<'s, S: Borrow<Schema>>(
        &self,
        schema: &'s ReferenceOr<S>,
    ) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Some(schema.borrow()),
            ReferenceOr::Reference { reference } => self.resolve_name(reference),
        }
    }

    /// The component schema `reference` names, following chains of references.
    pub(crate) fn resolve_name(&self, reference: &str) -> Option<&'a Schema> {
        let schemas = &self.document.components.as_ref()?.schemas;
        let mut reference = reference;
        for _ in 0..MAX_REF_DEPTH {
            match schemas.get(component_name(reference, "schemas")?.as_ref())? {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }

    /// Whether the schema allows `null`.
    pub(crate) fn is_nullable<S: Borrow<Schema>>(&self, schema: &ReferenceOr<S>) -> bool {
        self.resolve(schema)
            .is_some_and(|schema| schema.schema_data.nullable)
    }

    /// The type of a schema or reference; inline definitions are named `hint`.
    pub(crate) fn type_of<S: Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        pointer: At<'_>,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.component(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema.borrow(), hint, pointer),
        }
    }

    /// [`TypeSpace::type_of`], the name for an inline definition made by `hint` only where
    /// one may be needed: most parameters are a reference or a plain scalar.
    pub(crate) fn type_of_hinted(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: impl FnOnce(&mut Self) -> String,
        pointer: At<'_>,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Item(inline) if !is_plain_scalar(inline) => {
                let hint = hint(self);
                self.type_of(schema, &hint, pointer)
            }
            _ => self.type_of(schema, "", pointer),
        }
    }

    /// The type of an inline schema. An inline schema of the same shape as one met before
    /// is the type made for that one: specs repeat their inline objects (Stripe writes the
    /// same address parameters into 52 operations), and each copy would be a type of its
    /// own for rustc to check. Nested schemas are typed first, so a repeated parent finds
    /// its children already shared and matches too.
    pub(crate) fn inline(&mut self, schema: &Schema, hint: &str, pointer: At<'_>) -> TypeRef {
        match self.shape(schema, hint, pointer) {
            Shape::Ref(ty) => ty,
            Shape::Def(kind) => {
                let docs = docs_of(&schema.schema_data);
                if let Some(&id) = self.inline_types.get(&kind) {
                    self.share(id, docs);
                    return TypeRef::Named(id);
                }
                let id = self.add_type(hint, docs, kind.clone());
                self.inline_types.insert(kind, id);
                TypeRef::Named(id)
            }
        }
    }

    /// Records another use of the inline type `id`. Its docs keep what every use says
    /// alike: a property's description describes that property (the field keeps it), not
    /// the shape the properties share.
    fn share(&mut self, id: TypeId, docs: Docs) {
        let kept = &mut self.types[id.0].docs;
        if kept.summary != docs.summary {
            kept.summary = None;
        }
        if kept.description != docs.description {
            kept.description = None;
        }
        for note in docs.notes {
            if !kept.notes.contains(&note) {
                kept.notes.push(note);
            }
        }
        self.shared.insert(id);
    }

    /// Names each shared inline type after the `title` all its uses give, where that name
    /// is free, instead of after the place it was met first.
    pub(crate) fn name_shared_types(&mut self) {
        for id in std::mem::take(&mut self.shared) {
            let Some(title) = self.types[id.0].docs.summary.clone() else {
                continue;
            };
            let name = self.spellings.type_name(&title, "T");
            if self.module_scope.claim_if_free(&name) {
                self.types[id.0].name = name;
            }
        }
    }

    /// A reference that names no schema, noted where it stands, as any JSON value.
    fn names_no_schema(&mut self, reference: &str, pointer: At<'_>) -> TypeRef {
        // An empty reference (a spec generator that lost its target) is shown as written.
        let shown = if reference.is_empty() {
            "\"\""
        } else {
            reference
        };
        self.note(
            pointer,
            format!("`$ref: {shown}` names no schema; typed as any JSON value"),
        );
        TypeRef::Any
    }

    /// The type of the component schema `reference` names, defined on first use.
    fn component(&mut self, reference: &str, pointer: At<'_>) -> TypeRef {
        let Some(name) = component_name(reference, "schemas") else {
            return self.names_no_schema(reference, pointer);
        };
        if let Some(ty) = self.components.get(name.as_ref()) {
            return ty.clone();
        }
        let document = self.document;
        let Some(schema) = document
            .components
            .as_ref()
            .and_then(|components| components.schemas.get(name.as_ref()))
        else {
            return self.names_no_schema(reference, pointer);
        };
        // Reserve the name first: the schema may refer to itself.
        let type_name = self.spellings.type_name(&name, "T");
        let id = self.add_type(&type_name, Docs::default(), TypeKind::Alias(TypeRef::Any));
        let schemas = At::Pointer("/components/schemas");
        let own_pointer = schemas.key(&name);
        self.components.insert(name.to_string(), TypeRef::Named(id));
        let (docs, kind) = match schema {
            ReferenceOr::Reference { reference } => (
                Docs::default(),
                TypeKind::Alias(self.component(reference, own_pointer)),
            ),
            ReferenceOr::Item(schema) => {
                // Named after the component as claimed (`Client2Item`), but `SelfItem` for
                // `Self_`: an underscore inside a name is not camel case.
                let hint = self.types[id.0].name.trim_end_matches('_').to_owned();
                let kind = match self.shape(schema, &hint, own_pointer) {
                    Shape::Ref(ty) => TypeKind::Alias(ty),
                    Shape::Def(kind) => kind,
                };
                (docs_of(&schema.schema_data), kind)
            }
        };
        self.define(id, docs, kind);
        TypeRef::Named(id)
    }

    fn shape(&mut self, schema: &Schema, hint: &str, pointer: At<'_>) -> Shape {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => self.string_shape(string),
            SchemaKind::Type(Type::Number(number)) => Shape::Ref(number_type(number)),
            SchemaKind::Type(Type::Integer(integer)) => self.integer_shape(integer),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Ref(TypeRef::Primitive(Primitive::Bool)),
            SchemaKind::Type(Type::Object(object)) => self.object_shape(
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                hint,
                pointer,
            ),
            SchemaKind::Type(Type::Array(array)) => {
                Shape::Ref(self.array_type(array.items.as_ref(), hint, pointer))
            }
            SchemaKind::OneOf { one_of } => {
                self.union_shape(one_of, schema, hint, pointer, "oneOf")
            }
            SchemaKind::AnyOf { any_of } => {
                self.union_shape(any_of, schema, hint, pointer, "anyOf")
            }
            SchemaKind::AllOf { all_of } => self.all_of_shape(all_of, None, hint, pointer),
            SchemaKind::Not { .. } => {
                self.note(
                    pointer,
                    "`not` schemas cannot be typed; typed as any JSON value",
                );
                Shape::Ref(TypeRef::Any)
            }
            SchemaKind::Any(any) => self.any_shape(any, schema, hint, pointer),
        }
    }

    fn string_shape(&mut self, string: &StringType) -> Shape {
        let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
        if values.is_empty() {
            let format = match &string.format {
                openapiv3::VariantOrUnknownOrEmpty::Item(format) => match format {
                    openapiv3::StringFormat::Date => "date",
                    openapiv3::StringFormat::DateTime => "date-time",
                    openapiv3::StringFormat::Binary => "binary",
                    _ => "",
                },
                openapiv3::VariantOrUnknownOrEmpty::Unknown(format) => format.as_str(),
                openapiv3::VariantOrUnknownOrEmpty::Empty => "",
            };
            if format == "binary" && self.binary_as_bytes {
                return Shape::Ref(TypeRef::Primitive(Primitive::Bytes));
            }
            return Shape::Ref(TypeRef::Primitive(string_primitive(format)));
        }
        self.enum_shape(EnumWire::String, values)
    }

    /// An integer, or an integer enum when the spec lists its values (`enum: [60, 3600]`).
    fn integer_shape(&mut self, integer: &IntegerType) -> Shape {
        let values: Vec<String> = integer
            .enumeration
            .iter()
            .flatten()
            .map(i64::to_string)
            .collect();
        if values.is_empty() {
            return Shape::Ref(integer_type(integer));
        }
        self.enum_shape(EnumWire::Integer, values)
    }

    fn enum_shape(&mut self, wire: EnumWire, values: Vec<String>) -> Shape {
        let values = distinct(values);
        // A single value is a constant marker (Stripe's `object: "customer"`): a type of
        // its own would cost compile time and buy nothing.
        if values.len() == 1 {
            return Shape::Ref(TypeRef::Primitive(match wire {
                EnumWire::String => Primitive::String,
                EnumWire::Integer => Primitive::I64,
            }));
        }
        let key = (wire, values);
        if let Some(id) = self.enums.get(&key) {
            return Shape::Ref(TypeRef::Named(*id));
        }
        if let Some(enumeration) = self.enum_variants.get(&key) {
            return Shape::Def(TypeKind::Enum(enumeration.clone()));
        }
        let mut scope = Scope::with_capacity(key.1.len() + 1);
        let variants = key
            .1
            .iter()
            .map(|value| EnumVariant {
                name: scope.claim(self.spellings.type_name(value, "V")),
                value: value.clone(),
            })
            .collect();
        let other = scope.claim("Unknown");
        let enumeration = EnumDef {
            variants,
            other,
            wire,
        };
        self.enum_variants.insert(key, enumeration.clone());
        Shape::Def(TypeKind::Enum(enumeration))
    }

    /// Places a new definition at `id`, remembering enums so that a repeat reuses it.
    fn define(&mut self, id: TypeId, docs: Docs, kind: TypeKind) {
        if let TypeKind::Enum(enumeration) = &kind {
            let values = enumeration
                .variants
                .iter()
                .map(|variant| variant.value.clone())
                .collect();
            self.enums.entry((enumeration.wire, values)).or_insert(id);
        }
        let definition = &mut self.types[id.0];
        definition.docs = docs;
        definition.kind = kind;
    }

    fn array_type(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        hint: &str,
        pointer: At<'_>,
    ) -> TypeRef {
        let Some(items) = items else {
            return TypeRef::Array(Box::new(TypeRef::Any));
        };
        let item_pointer = pointer.key("items");
        let item = self.type_of(items, &[hint, "Item"].concat(), item_pointer);
        let nullable = self
            .resolve(items)
            .is_some_and(|schema| schema.schema_data.nullable);
        TypeRef::Array(Box::new(nullable_if(item, nullable)))
    }

    fn object_shape(
        &mut self,
        properties: &Map<SmolStr, ReferenceOr<Box<Schema>>>,
        required: &[SmolStr],
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: At<'_>,
    ) -> Shape {
        let additional = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value_pointer = pointer.key("additionalProperties");
                let value = self.type_of(schema, &[hint, "Value"].concat(), value_pointer);
                Some(nullable_if(value, self.is_nullable(schema)))
            }
            // Said outright, `true` means keys beyond the properties are expected (Notion's
            // page properties): they are kept, as for `{}`. Left unsaid, extras are ignored.
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            _ => None,
        };
        if properties.is_empty() {
            return Shape::Ref(TypeRef::Map(Box::new(additional.unwrap_or(TypeRef::Any))));
        }
        let mut fields = self.fields(properties, required, hint, pointer);
        if additional.is_none() {
            self.undescribed_required(&mut fields, properties, required, pointer);
        }
        Shape::Def(TypeKind::Struct(StructDef { fields, additional }))
    }

    /// Fields for the names `required` lists that `properties` does not describe (Mixpanel's
    /// `token`): without one, a request could not carry the property. They hold any JSON
    /// value and are optional, so that an answer without them (a spec that misspells a
    /// property in `required`) still decodes.
    fn undescribed_required(
        &mut self,
        fields: &mut Vec<Field>,
        properties: &Map<SmolStr, ReferenceOr<Box<Schema>>>,
        required: &[SmolStr],
        pointer: At<'_>,
    ) {
        let undescribed: Vec<&SmolStr> = required
            .iter()
            .filter(|name| !properties.contains_key(*name))
            .collect();
        if undescribed.is_empty() {
            return;
        }
        let mut scope = Scope::default();
        for field in fields.iter() {
            scope.claim(field.name.clone());
        }
        for wire_name in undescribed {
            // A spec may list a name twice in `required`.
            if fields.iter().any(|field| field.wire_name == *wire_name) {
                continue;
            }
            self.note(
                pointer,
                format!("`{wire_name}` is required but not among the properties; it is an optional field of any JSON value"),
            );
            fields.push(Field {
                name: scope.claim(self.spellings.value_name(wire_name)),
                wire_name: wire_name.clone(),
                ty: TypeRef::Any,
                required: false,
                nullable: false,
                boxed: false,
                docs: Docs::default(),
                deprecated: false,
                fixed: None,
            });
        }
    }

    fn fields(
        &mut self,
        properties: &Map<SmolStr, ReferenceOr<Box<Schema>>>,
        required: &[SmolStr],
        hint: &str,
        pointer: At<'_>,
    ) -> Vec<Field> {
        let mut scope = Scope::with_capacity(properties.len());
        let properties_pointer = pointer.key("properties");
        let undescribed = SchemaData::default();
        properties
            .iter()
            .map(|(wire_name, schema)| {
                let field_pointer = properties_pointer.key(wire_name);
                // Only an inline schema is named from its field: a reference has its name.
                let (ty, inline_docs) = match schema {
                    ReferenceOr::Reference { reference } => {
                        (self.component(reference, field_pointer), Docs::default())
                    }
                    // A plain scalar is typed without a name: none is made for it.
                    ReferenceOr::Item(schema) if is_plain_scalar(schema) => {
                        (self.inline(schema, "", field_pointer), field_docs(schema))
                    }
                    ReferenceOr::Item(schema) => {
                        let field_hint =
                            [hint, &self.spellings.type_name(wire_name, "Field")].concat();
                        let ty = self.inline(schema, &field_hint, field_pointer);
                        (ty, field_docs(schema))
                    }
                };
                // A value-or-null union is the field's own nullability: one `Option`.
                let (ty, null_alternative) = match ty {
                    TypeRef::Nullable(inner) => (*inner, true),
                    ty => (ty, false),
                };
                let resolved = self.resolve(schema);
                let fixed = resolved.and_then(fixed_value);
                let data = resolved.map_or(&undescribed, |schema| &schema.schema_data);
                // Read-only and write-only properties are absent in one direction, so
                // they can never be required in both.
                let one_way = data.read_only || data.write_only;
                Field {
                    name: scope.claim(self.spellings.value_name(wire_name)),
                    wire_name: wire_name.clone(),
                    ty,
                    required: required.contains(wire_name) && !one_way,
                    nullable: data.nullable || null_alternative,
                    boxed: false,
                    docs: inline_docs,
                    deprecated: data.deprecated,
                    fixed,
                }
            })
            .collect()
    }

    fn union_shape(
        &mut self,
        alternatives: &[ReferenceOr<Schema>],
        schema: &Schema,
        hint: &str,
        pointer: At<'_>,
        keyword: &str,
    ) -> Shape {
        let keyword_pointer = pointer.key(keyword);
        if only_constraints(alternatives) {
            return Shape::Ref(TypeRef::Any);
        }
        // `anyOf: [{$ref: X}, {nullable: true}]`, an optional X in 3.0's words (Qdrant): X
        // or null, not a union of X and any value.
        if let [first, second] = alternatives {
            let null = |alternative| {
                shapeless(alternative).is_some_and(|(schema, _)| schema.schema_data.nullable)
            };
            let value = match (null(first), null(second)) {
                (false, true) => Some((first, "0")),
                (true, false) => Some((second, "1")),
                _ => None,
            };
            if let Some((value, index)) = value {
                let at = keyword_pointer.key(index);
                return Shape::Ref(nullable_if(self.type_of(value, hint, at), true));
            }
        }
        if alternatives.len() == 1 {
            let only = keyword_pointer.key("0");
            return Shape::Ref(self.type_of(&alternatives[0], hint, only));
        }
        let discriminator = schema.schema_data.discriminator.as_ref().filter(|_| {
            alternatives
                .iter()
                .all(|alternative| matches!(alternative, ReferenceOr::Reference { .. }))
        });
        let mut scope = Scope::with_capacity(alternatives.len() + 1);
        let mut variants: Vec<UnionVariant> = Vec::with_capacity(alternatives.len());
        for (index, alternative) in alternatives.iter().enumerate() {
            let alternative_pointer = keyword_pointer.index(index);
            let ty = self.type_of(
                alternative,
                &[hint, "Variant", itoa::Buffer::new().format(index + 1)].concat(),
                alternative_pointer,
            );
            let desired = self.variant_name(&ty);
            let tags = match (discriminator, alternative) {
                (Some(discriminator), ReferenceOr::Reference { reference }) => {
                    let mapped: Vec<String> = discriminator
                        .mapping
                        .iter()
                        .filter(|(_, target)| {
                            *target == reference || reference.ends_with(&format!("/{target}"))
                        })
                        .map(|(value, _)| value.clone())
                        .collect();
                    if mapped.is_empty() {
                        reference
                            .rsplit('/')
                            .next()
                            .map(str::to_owned)
                            .into_iter()
                            .collect()
                    } else {
                        mapped
                    }
                }
                _ => Vec::new(),
            };
            // A value read as an earlier alternative cannot be read as this one too (the
            // same `$ref` listed twice, or two components of one name in different files).
            let (tags, taken): (Vec<String>, Vec<String>) = tags
                .into_iter()
                .partition(|tag| !variants.iter().any(|earlier| earlier.tags.contains(tag)));
            for tag in taken {
                self.note(
                    alternative_pointer,
                    format!("the discriminator value `{tag}` is an earlier alternative's already; this alternative is not read for it"),
                );
            }
            variants.push(UnionVariant {
                name: scope.claim(desired),
                ty,
                tags,
                boxed: false,
            });
        }
        let other = scope.claim("Unknown");
        Shape::Def(TypeKind::Union(UnionDef {
            variants,
            discriminator: discriminator.map(|discriminator| discriminator.property_name.clone()),
            other,
        }))
    }

    /// A variant name that says what the variant holds.
    fn variant_name(&self, ty: &TypeRef) -> SmolStr {
        match ty {
            TypeRef::Named(id) => self.types[id.0].name.clone(),
            TypeRef::Primitive(Primitive::String) => SmolStr::new_static("String"),
            TypeRef::Primitive(Primitive::Bool) => SmolStr::new_static("Boolean"),
            TypeRef::Primitive(Primitive::F32 | Primitive::F64) => SmolStr::new_static("Number"),
            TypeRef::Primitive(_) => SmolStr::new_static("Integer"),
            TypeRef::Array(_) => SmolStr::new_static("Array"),
            TypeRef::Map(_) => SmolStr::new_static("Map"),
            TypeRef::Nullable(inner) => self.variant_name(inner),
            TypeRef::Any => SmolStr::new_static("Value"),
        }
    }

    /// `allOf`: the properties of every part merged into one struct. A single part, or a
    /// single part beside parts that only document, is that part (a common way to add a
    /// description or `nullable` to a reference).
    fn all_of_shape(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        own: Option<&AnySchema>,
        hint: &str,
        pointer: At<'_>,
    ) -> Shape {
        let all_of_pointer = pointer.key("allOf");
        let own_is_empty = own.is_none_or(|own| own.properties.is_empty());
        // Parts that only document (`{description: ...}` beside a `$ref`, as 3.0 specs add
        // a description to a reference) add nothing to merge.
        let mut typed = parts
            .iter()
            .enumerate()
            .filter(|(_, part)| !only_documents(part));
        if let (Some((index, part)), None, true) = (typed.next(), typed.next(), own_is_empty) {
            let only = all_of_pointer.index(index);
            return Shape::Ref(self.type_of(part, hint, only));
        }
        let own_properties = own.map(|own| own.properties.clone());
        let again = self
            .merging
            .iter()
            .position(|merging| merging.parts == parts && merging.own == own_properties);
        if let Some(index) = again {
            let id = match self.merging[index].reserved {
                Some(id) => id,
                None => {
                    let hint = self.merging[index].hint.clone();
                    let id = self.add_type(&hint, Docs::default(), TypeKind::Alias(TypeRef::Any));
                    self.merging[index].reserved = Some(id);
                    id
                }
            };
            return Shape::Ref(TypeRef::Named(id));
        }
        self.merging.push(Merging {
            parts: parts.to_vec(),
            own: own_properties,
            hint: hint.to_owned(),
            reserved: None,
        });
        let shape = self.merged_shape(parts, own, hint, pointer);
        match self.merging.pop().and_then(|merging| merging.reserved) {
            Some(id) => {
                let kind = match shape {
                    Shape::Def(kind) => kind,
                    Shape::Ref(ty) => TypeKind::Alias(ty),
                };
                self.define(id, Docs::default(), kind);
                Shape::Ref(TypeRef::Named(id))
            }
            None => shape,
        }
    }

    /// The struct an `allOf` of several parts merges into.
    fn merged_shape(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        own: Option<&AnySchema>,
        hint: &str,
        pointer: At<'_>,
    ) -> Shape {
        let all_of_pointer = pointer.key("allOf");
        let mut merged = Merged::default();
        for part in parts {
            self.merge_into(&mut merged, part, 0);
        }
        if let Some(own) = own {
            merged.add(
                &own.properties,
                &own.required,
                own.additional_properties.as_ref(),
            );
        }
        if merged.properties.is_empty() {
            // No object among the parts: the first part that says anything decides.
            let first = parts.iter().position(|part| {
                self.resolve(part)
                    .is_some_and(|schema| !is_empty_schema(schema))
            });
            return match first {
                Some(index) => {
                    let part_pointer = all_of_pointer.index(index);
                    Shape::Ref(self.type_of(&parts[index], hint, part_pointer))
                }
                None => Shape::Ref(TypeRef::Any),
            };
        }
        let required: Vec<SmolStr> = merged.required.clone();
        self.object_shape(
            &merged.properties,
            &required,
            merged.additional.as_ref(),
            hint,
            pointer,
        )
    }

    fn merge_into(&self, merged: &mut Merged, part: &ReferenceOr<Schema>, depth: usize) {
        if let ReferenceOr::Reference { reference } = part {
            // A schema merged once adds nothing the second time; merging it again would
            // cost time exponential in the depth when parts repeat or refer back.
            if merged.references.contains(reference) {
                return;
            }
            merged.references.push(reference.clone());
        }
        let Some(schema) = self.resolve(part) else {
            return;
        };
        if depth > MAX_REF_DEPTH {
            return;
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => merged.add(
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
            ),
            SchemaKind::AllOf { all_of } => {
                for nested in all_of {
                    self.merge_into(merged, nested, depth + 1);
                }
            }
            SchemaKind::Any(any) => {
                for nested in &any.all_of {
                    self.merge_into(merged, nested, depth + 1);
                }
                merged.add(
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                );
            }
            _ => {}
        }
    }

    /// Schemas without a single `type`: decided by the keywords they do have.
    fn any_shape(
        &mut self,
        any: &AnySchema,
        schema: &Schema,
        hint: &str,
        pointer: At<'_>,
    ) -> Shape {
        if !any.all_of.is_empty() {
            return self.all_of_shape(&any.all_of, Some(any), hint, pointer);
        }
        // Alternatives that only constrain (`oneOf: [{required: [a]}, {required: [b]}]`,
        // "exactly one of a and b is set") leave the shape to the other keywords.
        if !only_constraints(&any.one_of) {
            return self.union_shape(&any.one_of, schema, hint, pointer, "oneOf");
        }
        if !only_constraints(&any.any_of) {
            return self.union_shape(&any.any_of, schema, hint, pointer, "anyOf");
        }
        let typ = any.typ.as_deref();
        if !any.properties.is_empty() || typ == Some("object") {
            return self.object_shape(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                hint,
                pointer,
            );
        }
        if any.items.is_some() || typ == Some("array") {
            return Shape::Ref(self.array_type(any.items.as_ref(), hint, pointer));
        }
        if let Some((wire, values)) = untyped_enum(&any.enumeration, typ) {
            return self.enum_shape(wire, values);
        }
        let format = any.format.as_deref().unwrap_or("");
        let primitive = match typ {
            Some("string") => string_primitive(format),
            Some("integer") => integer_primitive(format),
            Some("number") => number_primitive(format),
            Some("boolean") => Primitive::Bool,
            None | Some("null") => return Shape::Ref(TypeRef::Any),
            Some(unknown) => {
                // Mistral writes `bool`, `int`, `str` and `float`.
                self.note(
                    pointer.key("type"),
                    format!("`type: {unknown}` is not a JSON Schema type; typed as any JSON value"),
                );
                return Shape::Ref(TypeRef::Any);
            }
        };
        Shape::Ref(TypeRef::Primitive(primitive))
    }
}

/// The values of an `enum` in a schema the model could not type: all strings, or all
/// integers where the schema says `integer` or no type.
fn untyped_enum(
    enumeration: &[serde_json::Value],
    typ: Option<&str>,
) -> Option<(EnumWire, Vec<String>)> {
    if enumeration.is_empty() {
        return None;
    }
    let strings: Option<Vec<String>> = enumeration
        .iter()
        .map(|value| value.as_str().map(str::to_owned))
        .collect();
    if let Some(values) = strings {
        return Some((EnumWire::String, values));
    }
    if !matches!(typ, None | Some("integer")) {
        return None;
    }
    let integers: Option<Vec<String>> = enumeration
        .iter()
        .map(|value| value.as_i64().map(|integer| integer.to_string()))
        .collect();
    integers.map(|values| (EnumWire::Integer, values))
}

/// The one string `schema` allows, when its `enum` has a single string value.
fn fixed_value(schema: &Schema) -> Option<String> {
    let only = |values: &mut dyn Iterator<Item = Option<&str>>| match (values.next(), values.next())
    {
        (Some(Some(value)), None) => Some(value.to_owned()),
        _ => None,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            only(&mut string.enumeration.iter().map(Option::as_deref))
        }
        SchemaKind::Any(any) if matches!(any.typ.as_deref(), None | Some("string")) => {
            only(&mut any.enumeration.iter().map(serde_json::Value::as_str))
        }
        _ => None,
    }
}

/// Whether every alternative of a `oneOf` or `anyOf` (none, too) is an inline schema that
/// only constrains a value (`required`, bounds, a pattern) and says nothing of its shape.
fn only_constraints(alternatives: &[ReferenceOr<Schema>]) -> bool {
    alternatives
        .iter()
        .all(|alternative| shapeless(alternative).is_some())
}

/// Properties gathered from the parts of an `allOf`.
#[derive(Default)]
struct Merged {
    properties: Map<SmolStr, ReferenceOr<Box<Schema>>>,
    required: Vec<SmolStr>,
    additional: Option<AdditionalProperties>,
    /// The `$ref`s already merged.
    references: Vec<SmolStr>,
}

impl Merged {
    fn add(
        &mut self,
        properties: &Map<SmolStr, ReferenceOr<Box<Schema>>>,
        required: &[SmolStr],
        additional: Option<&AdditionalProperties>,
    ) {
        for (name, schema) in properties {
            self.properties
                .entry(name.clone())
                .or_insert_with(|| schema.clone());
        }
        for name in required {
            if !self.required.contains(name) {
                self.required.push(name.clone());
            }
        }
        match additional {
            Some(schema @ AdditionalProperties::Schema(_)) => {
                self.additional = Some(schema.clone())
            }
            Some(open @ AdditionalProperties::Any(true)) if self.additional.is_none() => {
                self.additional = Some(open.clone());
            }
            _ => {}
        }
    }
}

/// Whether an `allOf` part says nothing about the value: no shape (see [`shapeless`]), no
/// requirements or nullability, only words (`description`, `title`).
fn only_documents(part: &ReferenceOr<Schema>) -> bool {
    shapeless(part)
        .is_some_and(|(schema, any)| !schema.schema_data.nullable && any.required.is_empty())
}

/// An inline schema that says nothing of a value's shape (no type, format, properties,
/// items, values or composition), with its keywords; `None` for any other.
fn shapeless(part: &ReferenceOr<Schema>) -> Option<(&Schema, &AnySchema)> {
    let ReferenceOr::Item(schema) = part else {
        return None;
    };
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return None;
    };
    let shapeless = is_empty_schema(schema)
        && any.format.is_none()
        && any.additional_properties.is_none()
        && any.all_of.is_empty()
        && any.any_of.is_empty()
        && any.one_of.is_empty()
        && any.not.is_none();
    shapeless.then_some((schema, any))
}

fn is_empty_schema(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.properties.is_empty()
                && any.items.is_none()
                && any.enumeration.is_empty()
        }
        _ => false,
    }
}

/// Whether `schema` is a string, number, integer or boolean without an `enum`: a type of
/// the language, never one named after where it is (see [`TypeSpace::shape`]).
fn is_plain_scalar(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string.enumeration.iter().all(Option::is_none),
        SchemaKind::Type(Type::Integer(integer)) => integer.enumeration.iter().all(Option::is_none),
        SchemaKind::Type(Type::Number(_) | Type::Boolean(_)) => true,
        _ => false,
    }
}

fn nullable_if(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable && !matches!(ty, TypeRef::Nullable(_) | TypeRef::Any) {
        TypeRef::Nullable(Box::new(ty))
    } else {
        ty
    }
}

/// Documentation from a schema's `title` and `description`.
pub(crate) fn docs_of(data: &SchemaData) -> Docs {
    let degraded = data
        .extensions
        .get(crate::load::DEGRADED)
        .and_then(|reason| reason.as_str());
    Docs {
        summary: data.title.clone(),
        description: data.description.clone(),
        notes: degraded.map(str::to_owned).into_iter().collect(),
    }
}

/// The docs of a property's inline schema; for an `allOf` that says nothing itself, the
/// words of its parts that only document (the description 3.0 specs put beside a `$ref`).
fn field_docs(schema: &Schema) -> Docs {
    let docs = docs_of(&schema.schema_data);
    let SchemaKind::AllOf { all_of } = &schema.schema_kind else {
        return docs;
    };
    if docs.summary.is_some() || docs.description.is_some() {
        return docs;
    }
    all_of
        .iter()
        .filter(|part| only_documents(part))
        .find_map(|part| match part {
            ReferenceOr::Item(part) => Some(docs_of(&part.schema_data)),
            ReferenceOr::Reference { .. } => None,
        })
        .unwrap_or(docs)
}

fn string_primitive(format: &str) -> Primitive {
    match format {
        "date-time" => Primitive::DateTime,
        "date" => Primitive::Date,
        "uuid" => Primitive::Uuid,
        _ => Primitive::String,
    }
}

fn integer_primitive(format: &str) -> Primitive {
    match format {
        "int8" => Primitive::I8,
        "int16" => Primitive::I16,
        "int32" => Primitive::I32,
        "uint8" => Primitive::U8,
        "uint16" => Primitive::U16,
        "uint32" | "uint" => Primitive::U32,
        "uint64" => Primitive::U64,
        _ => Primitive::I64,
    }
}

fn number_primitive(format: &str) -> Primitive {
    match format {
        "float" => Primitive::F32,
        _ => Primitive::F64,
    }
}

fn integer_type(integer: &IntegerType) -> TypeRef {
    let format = match &integer.format {
        openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => "int32",
        openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => "int64",
        openapiv3::VariantOrUnknownOrEmpty::Unknown(format) => format.as_str(),
        openapiv3::VariantOrUnknownOrEmpty::Empty => "",
    };
    TypeRef::Primitive(integer_primitive(format))
}

fn number_type(number: &NumberType) -> TypeRef {
    let format = match &number.format {
        openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => "float",
        _ => "double",
    };
    TypeRef::Primitive(number_primitive(format))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::ir::{lower, Api, EnumDef, EnumWire, Primitive, Selection, TypeKind, TypeRef};

    /// Lowers a document whose one operation returns `schema`, with `schemas` as components.
    fn lower_schemas(schemas: serde_json::Value, schema: serde_json::Value) -> Api {
        let document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {
                "description": "ok", "content": {"application/json": {"schema": schema}}
            }}}}},
            "components": {"schemas": schemas}
        });
        let loaded =
            crate::load::load_value(document, std::path::Path::new("t.json")).expect("loads");
        lower(&loaded.document, loaded.notes, &Selection::default()).expect("lowers")
    }

    fn named<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
        &api.types
            .iter()
            .find(|definition| definition.name == name)
            .unwrap_or_else(|| panic!("no type {name}"))
            .kind
    }

    #[test]
    fn an_enum_value_listed_twice_is_one_variant() {
        let api = lower_schemas(
            json!({"Target": {"type": "string", "enum": ["production", "preview", "preview", "Preview"]}}),
            json!({"$ref": "#/components/schemas/Target"}),
        );
        let TypeKind::Enum(target) = named(&api, "Target") else {
            panic!("Target is an enum")
        };
        let values: Vec<&str> = target
            .variants
            .iter()
            .map(|variant| variant.value.as_str())
            .collect();
        assert_eq!(values, ["production", "preview", "Preview"]);
    }

    fn enum_named<'a>(api: &'a Api, name: &str) -> &'a EnumDef {
        match named(api, name) {
            TypeKind::Enum(enumeration) => enumeration,
            other => panic!("{name} is not an enum: {other:?}"),
        }
    }

    #[test]
    fn integer_enums_are_enums_of_their_own_wire() {
        let api = lower_schemas(
            json!({
                "Delta": {"type": "integer", "enum": [-1, 0, 1]},
                "Texts": {"type": "string", "enum": ["-1", "0", "1"]},
                "Untyped": {"enum": [60, 3600]},
                "Only": {"type": "integer", "enum": [24000]},
                "Holder": {"type": "object", "properties": {
                    "delta": {"$ref": "#/components/schemas/Delta"},
                    "texts": {"$ref": "#/components/schemas/Texts"},
                    "untyped": {"$ref": "#/components/schemas/Untyped"},
                    "only": {"$ref": "#/components/schemas/Only"}}}
            }),
            json!({"$ref": "#/components/schemas/Holder"}),
        );
        let delta = enum_named(&api, "Delta");
        assert_eq!(delta.wire, EnumWire::Integer);
        let variants: Vec<(&str, &str)> = delta
            .variants
            .iter()
            .map(|variant| (variant.name.as_str(), variant.value.as_str()))
            .collect();
        assert_eq!(variants, [("Minus1", "-1"), ("V0", "0"), ("V1", "1")]);
        // The same values as strings are another type, not the integer enum again.
        assert_eq!(enum_named(&api, "Texts").wire, EnumWire::String);
        assert_eq!(enum_named(&api, "Untyped").wire, EnumWire::Integer);
        // One value is a constant, as for strings: the integer itself.
        assert_eq!(
            named(&api, "Only"),
            &TypeKind::Alias(TypeRef::Primitive(Primitive::I64))
        );
    }

    #[test]
    fn additional_properties_said_true_are_kept_beside_the_properties() {
        let api = lower_schemas(
            json!({
                "Open": {"type": "object", "properties": {"id": {"type": "string"}},
                         "additionalProperties": true},
                "Closed": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Merged": {"allOf": [{"$ref": "#/components/schemas/Closed"},
                    {"type": "object", "properties": {"name": {"type": "string"}},
                     "additionalProperties": true}]}
            }),
            json!({"type": "object", "properties": {
                "open": {"$ref": "#/components/schemas/Open"},
                "closed": {"$ref": "#/components/schemas/Closed"},
                "merged": {"$ref": "#/components/schemas/Merged"}
            }}),
        );
        let additional = |name: &str| match named(&api, name) {
            TypeKind::Struct(definition) => definition.additional.clone(),
            other => panic!("{name} is not a struct: {other:?}"),
        };
        assert_eq!(additional("Open"), Some(TypeRef::Any));
        assert_eq!(additional("Closed"), None);
        assert_eq!(additional("Merged"), Some(TypeRef::Any));
    }

    #[test]
    fn a_required_name_without_a_property_is_an_optional_field_of_any_json() {
        let api = lower_schemas(
            json!({}),
            json!({"type": "object", "required": ["ids", "token", "token"],
                   "properties": {"ids": {"type": "array", "items": {"type": "string"}}}}),
        );
        let TypeKind::Struct(definition) = named(&api, "GetXResponse") else {
            panic!("a struct");
        };
        assert_eq!(
            definition.fields.len(),
            2,
            "`token` once, though required twice"
        );
        let token = &definition.fields[1];
        assert_eq!(
            (token.wire_name.as_str(), &token.ty, token.required),
            ("token", &TypeRef::Any, false)
        );
        assert!(
            api.notes.iter().any(|note| note
                .message
                .starts_with("`token` is required but not among")),
            "{:?}",
            api.notes
        );
    }

    #[test]
    fn a_reference_beside_parts_that_only_document_is_the_reference() {
        let api = lower_schemas(
            json!({"Image": {"type": "object", "properties": {"url": {"type": "string"}}}}),
            json!({"type": "object", "properties": {
                "original": {"allOf": [{"$ref": "#/components/schemas/Image"},
                                       {"description": "The original image"}]},
                "still": {"allOf": [{"description": "A still"},
                                    {"$ref": "#/components/schemas/Image"}]}
            }}),
        );
        let TypeKind::Struct(response) = named(&api, "GetXResponse") else {
            panic!("a struct");
        };
        let image = api
            .types
            .iter()
            .position(|definition| definition.name == "Image")
            .expect("the component is a type");
        for field in &response.fields {
            assert_eq!(
                field.ty,
                TypeRef::Named(crate::ir::TypeId(image)),
                "{}",
                field.wire_name
            );
        }
        assert_eq!(api.types.len(), 2, "no copies of Image");
        assert_eq!(
            response.fields[0].docs.description.as_deref(),
            Some("The original image"),
            "the part's words are the field's"
        );
    }

    #[test]
    fn all_of_merges_properties_and_required() {
        let api = lower_schemas(
            json!({
                "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "format": "int32"}}},
                "Dog": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "required": ["bark"], "properties": {"bark": {"type": "boolean"}}}]}
            }),
            json!({"$ref": "#/components/schemas/Dog"}),
        );
        let TypeKind::Struct(dog) = named(&api, "Dog") else {
            panic!("Dog is a struct")
        };
        let fields: Vec<(&str, bool)> = dog
            .fields
            .iter()
            .map(|field| (field.wire_name.as_str(), field.required))
            .collect();
        assert_eq!(fields, [("id", true), ("bark", true)]);
    }

    #[test]
    fn self_reference_is_boxed_and_nullable_kept() {
        let api = lower_schemas(
            json!({"Node": {"type": "object", "properties": {
                "next": {"$ref": "#/components/schemas/Node"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "label": {"type": "string", "nullable": true}
            }}}),
            json!({"$ref": "#/components/schemas/Node"}),
        );
        let TypeKind::Struct(node) = named(&api, "Node") else {
            panic!("Node is a struct")
        };
        let boxed: Vec<bool> = node.fields.iter().map(|field| field.boxed).collect();
        assert_eq!(
            boxed,
            [true, false, false],
            "only the by-value self reference needs a box"
        );
        assert!(node.fields[2].nullable);
    }

    #[test]
    fn all_of_property_leading_back_to_its_own_merge_is_one_type() {
        // `child` merges `Node`, whose properties include `child` again: the merge is met
        // again as a copy and must become a type that refers to itself, not recurse.
        let api = lower_schemas(
            json!({"Node": {"type": "object", "properties": {
                "name": {"type": "string"},
                "child": {"allOf": [{"$ref": "#/components/schemas/Node"}, {"nullable": true}]}
            }}}),
            json!({"$ref": "#/components/schemas/Node"}),
        );
        let child = api
            .types
            .iter()
            .position(|definition| definition.name == "NodeChild")
            .expect("the merge is a type of its own");
        let TypeKind::Struct(merged) = &api.types[child].kind else {
            panic!("NodeChild is a struct")
        };
        let inner = &merged.fields[1];
        assert_eq!(inner.ty, TypeRef::Named(crate::ir::TypeId(child)));
        assert!(inner.boxed, "NodeChild holds itself");
        assert_eq!(api.types.len(), 2);
    }

    #[test]
    fn all_of_repeating_a_part_that_refers_back_merges_it_once() {
        // Each level repeats `Loop` twice: merging every repeat would take 2^32 steps.
        let part = json!({"$ref": "#/components/schemas/Loop"});
        let api = lower_schemas(
            json!({"Loop": {"allOf": [
                {"type": "object", "properties": {"n": {"type": "integer"}}},
                part, part
            ]}}),
            json!({"$ref": "#/components/schemas/Loop"}),
        );
        let TypeKind::Struct(looped) = named(&api, "Loop") else {
            panic!("Loop is a struct")
        };
        assert_eq!(looped.fields.len(), 1);
    }

    #[test]
    fn colliding_enum_values_get_distinct_variants() {
        let api = lower_schemas(
            json!({"Order": {"type": "string", "enum": ["ASC", "asc", "=", "!=", "Etc/GMT+0", "Etc/GMT-0"]}}),
            json!({"$ref": "#/components/schemas/Order"}),
        );
        let TypeKind::Enum(order) = named(&api, "Order") else {
            panic!("Order is an enum")
        };
        let mut names: Vec<&str> = order
            .variants
            .iter()
            .map(|variant| variant.name.as_str())
            .collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "{names:?}");
        assert!(
            names.contains(&"Eq") && names.contains(&"NotEq"),
            "{names:?}"
        );
    }

    #[test]
    fn alternatives_that_only_say_what_is_required_leave_the_object_as_it_is() {
        let api = lower_schemas(
            json!({
                "Expression": {"type": "object",
                    "properties": {"attr": {"type": "string"}, "call": {"type": "integer"}},
                    "oneOf": [{"required": ["attr"]}, {"required": ["call"]}]},
                "Either": {"anyOf": [{"required": ["x"]}, {"minProperties": 1}]}
            }),
            json!({"type": "object", "properties": {
                "expression": {"$ref": "#/components/schemas/Expression"},
                "either": {"$ref": "#/components/schemas/Either"}
            }}),
        );
        let TypeKind::Struct(expression) = named(&api, "Expression") else {
            panic!("Expression is a struct: {:?}", named(&api, "Expression"))
        };
        let fields: Vec<&str> = expression
            .fields
            .iter()
            .map(|field| field.name.as_str())
            .collect();
        assert_eq!(fields, ["attr", "call"]);
        assert!(expression.fields.iter().all(|field| !field.required));
        assert!(
            matches!(named(&api, "Either"), TypeKind::Alias(TypeRef::Any)),
            "a union of constraints is any value, not a union: {:?}",
            named(&api, "Either")
        );
    }

    #[test]
    fn a_value_or_a_null_alternative_is_an_optional_value() {
        let api = lower_schemas(
            json!({"Point": {"type": "object", "properties": {"x": {"type": "number"}}}}),
            json!({"type": "object", "properties": {
                "a": {"anyOf": [{"$ref": "#/components/schemas/Point"}, {"nullable": true}]},
                "b": {"oneOf": [{"nullable": true}, {"type": "integer"}]}
            }}),
        );
        let point = api
            .types
            .iter()
            .position(|definition| definition.name == "Point")
            .expect("the Point component");
        // The null alternative makes the field nullable (one `Option`), not its type.
        assert_eq!(
            field_type(&api, "GetXResponse", "a"),
            TypeRef::Named(crate::ir::TypeId(point))
        );
        assert_eq!(
            field_type(&api, "GetXResponse", "b"),
            TypeRef::Primitive(crate::ir::Primitive::I64)
        );
        let TypeKind::Struct(response) = named(&api, "GetXResponse") else {
            panic!("the response is a struct")
        };
        assert!(response.fields.iter().all(|field| field.nullable));
    }

    #[test]
    fn a_type_json_schema_does_not_have_is_any_value_with_a_note() {
        let api = two_properties(json!({"type": "bool"}), json!({"type": "boolean"}));
        assert_eq!(field_type(&api, "GetXResponse", "a"), TypeRef::Any);
        assert!(
            api.notes
                .iter()
                .any(|note| note.pointer.ends_with("/properties/a/type")
                    && note
                        .message
                        .contains("`type: bool` is not a JSON Schema type")),
            "{:?}",
            api.notes
        );
    }

    #[test]
    fn discriminated_one_of_is_tagged() {
        let api = lower_schemas(
            json!({
                "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
                "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
                "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                        "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}}
            }),
            json!({"$ref": "#/components/schemas/Pet"}),
        );
        let TypeKind::Union(pet) = named(&api, "Pet") else {
            panic!("Pet is a union")
        };
        assert_eq!(pet.discriminator.as_deref(), Some("kind"));
        let tags: Vec<Vec<String>> = pet
            .variants
            .iter()
            .map(|variant| variant.tags.clone())
            .collect();
        assert_eq!(tags, [vec!["cat".to_owned()], vec!["Dog".to_owned()]]);
    }

    #[test]
    fn references_that_only_lead_back_are_any_value_and_recursion_through_a_list_is_not() {
        let api = lower_schemas(
            json!({
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"allOf": [{"$ref": "#/components/schemas/C"}]},
                "C": {"$ref": "#/components/schemas/A"},
                "Tree": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
                "Pair": {"type": "object", "properties": {
                    "a": {"$ref": "#/components/schemas/A"},
                    "tree": {"$ref": "#/components/schemas/Tree"}
                }}
            }),
            json!({"$ref": "#/components/schemas/Pair"}),
        );
        for name in ["A", "B", "C"] {
            assert_eq!(named(&api, name), &TypeKind::Alias(TypeRef::Any), "{name}");
            let pointer = format!("/components/schemas/{name}");
            assert!(
                api.notes.iter().any(|note| note.pointer == pointer
                    && note.message.contains("only leads back to itself")),
                "{name}: {:?}",
                api.notes
            );
        }
        assert!(matches!(named(&api, "Tree"), TypeKind::Newtype { .. }));
    }

    #[test]
    fn a_discriminator_value_reads_as_its_first_alternative_only() {
        let api = lower_schemas(
            json!({
                "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
                "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
                "Pet": {"oneOf": [
                            {"$ref": "#/components/schemas/Cat"},
                            {"$ref": "#/components/schemas/Dog"},
                            {"$ref": "#/components/schemas/Cat"}
                        ],
                        "discriminator": {"propertyName": "kind",
                            "mapping": {"dog": "#/components/schemas/Dog", "hound": "#/components/schemas/Dog"}}}
            }),
            json!({"$ref": "#/components/schemas/Pet"}),
        );
        let TypeKind::Union(pet) = named(&api, "Pet") else {
            panic!("Pet is a union")
        };
        let tags: Vec<Vec<String>> = pet
            .variants
            .iter()
            .map(|variant| variant.tags.clone())
            .collect();
        assert_eq!(
            tags,
            [
                vec!["Cat".to_owned()],
                vec!["dog".to_owned(), "hound".to_owned()],
                Vec::new()
            ]
        );
        assert!(
            api.notes
                .iter()
                .any(|note| note.pointer == "/components/schemas/Pet/oneOf/2"
                    && note.message.contains(
                        "the discriminator value `Cat` is an earlier alternative's already"
                    )),
            "{:?}",
            api.notes
        );
    }

    /// The response of `getX`: an object with properties `a` and `b`, each `schema`.
    fn two_properties(a: serde_json::Value, b: serde_json::Value) -> Api {
        lower_schemas(
            json!({}),
            json!({"type": "object", "properties": {"a": a, "b": b}}),
        )
    }

    fn field_type(api: &Api, name: &str, field: &str) -> TypeRef {
        let TypeKind::Struct(structure) = named(api, name) else {
            panic!("{name} is a struct")
        };
        structure
            .fields
            .iter()
            .find(|candidate| candidate.name == field)
            .unwrap_or_else(|| panic!("{name} has no field {field}"))
            .ty
            .clone()
    }

    #[test]
    fn repeated_inline_schemas_are_one_type_named_after_their_common_title() {
        let address = |description: &str| {
            json!({"type": "object", "title": "address_specs", "description": description,
                   "properties": {"line1": {"type": "string"}, "tags": {"type": "object", "properties": {"x": {"type": "string"}}}}})
        };
        let api = two_properties(address("Where it ships."), address("Where it bills."));
        let a = field_type(&api, "GetXResponse", "a");
        assert_eq!(a, field_type(&api, "GetXResponse", "b"));
        let TypeRef::Named(id) = a else {
            panic!("`a` is a named type")
        };
        let shared = &api.types[id.0];
        assert_eq!(shared.name, "AddressSpecs");
        // The uses describe different properties: the shared type keeps only the title.
        assert_eq!(shared.docs.summary.as_deref(), Some("address_specs"));
        assert_eq!(shared.docs.description, None);
        // The nested object is shared too, which is what made the parents equal.
        let structs = api
            .types
            .iter()
            .filter(|definition| matches!(definition.kind, TypeKind::Struct(_)))
            .count();
        assert_eq!(structs, 3, "the response, the address and its tags");
    }

    #[test]
    fn inline_schemas_that_differ_stay_apart() {
        let api = two_properties(
            json!({"type": "object", "properties": {"n": {"type": "integer"}}}),
            json!({"type": "object", "properties": {"n": {"type": "integer", "description": "A count."}}}),
        );
        assert_ne!(
            field_type(&api, "GetXResponse", "a"),
            field_type(&api, "GetXResponse", "b")
        );
    }

    #[test]
    fn inline_schemas_are_named_from_their_place() {
        let api = lower_schemas(
            json!({}),
            json!({"type": "object", "properties": {"meta": {"type": "object", "properties": {"n": {"type": "integer"}}}}}),
        );
        assert!(matches!(named(&api, "GetXResponse"), TypeKind::Struct(_)));
        let TypeKind::Struct(meta) = named(&api, "GetXResponseMeta") else {
            panic!("GetXResponseMeta is a struct")
        };
        assert_eq!(
            meta.fields[0].ty,
            TypeRef::Primitive(crate::ir::Primitive::I64)
        );
    }
}
