//! Decoding of untagged unions by the JSON shape of the value (the runtime's `ByShape`),
//! for unions whose variants' shapes are known: a variant is read straight from the
//! deserializer rather than from a buffered copy of the value, so the types it holds are
//! not compiled a second time for the buffer. See `runtime/src/shape.rs`.

use rustc_hash::FxHashSet;

use super::code::{Code, Name};
use super::Emitter;
use crate::ir::{
    dealias, Api, EnumWire, Primitive, StructDef, TypeId, TypeKind, TypeRef, UnionDef, UnionVariant,
};

/// The JSON shape of a variant's values.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    String,
    Bool,
    /// Integers and floating-point numbers alike: a float variant takes integers too.
    Number,
    Array,
    Object,
}

impl Shape {
    fn describe(self) -> &'static str {
        match self {
            Shape::String => "a string",
            Shape::Bool => "a boolean",
            Shape::Number => "a number",
            Shape::Array => "an array",
            Shape::Object => "an object",
        }
    }
}

/// The structs that are variants of some union, directly or through aliases.
pub(crate) fn union_structs(api: &Api) -> FxHashSet<TypeId> {
    api.types
        .iter()
        .filter_map(|definition| match &definition.kind {
            TypeKind::Union(union) => Some(&union.variants),
            _ => None,
        })
        .flatten()
        .filter_map(|variant| struct_id(api, &variant.ty))
        .collect()
}

/// The generated struct `ty` names, through aliases.
fn struct_id(api: &Api, ty: &TypeRef) -> Option<TypeId> {
    match dealias(ty, &api.types) {
        TypeRef::Named(id) if matches!(api.types[id.0].kind, TypeKind::Struct(_)) => Some(*id),
        _ => None,
    }
}

impl Emitter<'_> {
    /// `ByShape` and `Deserialize` for `union`, or `None` when a variant's shape is not
    /// known (any JSON, a nullable value, another union): serde's derive decodes those.
    pub(crate) fn union_by_shape(&self, name: &Name, union: &UnionDef) -> Option<Code> {
        let shapes = union
            .variants
            .iter()
            .map(|variant| self.shape(&variant.ty, 0))
            .collect::<Option<Vec<Shape>>>()?;
        if shapes.is_empty() {
            return None;
        }
        let union_name = name.to_string();
        let wrap = |variant: &UnionVariant| {
            let variant_name = Name::new(&variant.name);
            if variant.boxed {
                code!(|value| Self::#variant_name(Box::new(value)))
            } else {
                code!(Self::#variant_name)
            }
        };
        let of_shape = |shape: Shape| -> Vec<Code> {
            union
                .variants
                .iter()
                .zip(&shapes)
                .filter(|(_, variant_shape)| **variant_shape == shape)
                .map(|(variant, _)| wrap(variant))
                .collect()
        };
        // One variant of a shape is decoded from the value as read; several are tried in
        // turn, from the scalar itself or from a buffered object or array.
        let scalar = |wraps: &[Code]| match wraps {
            [wrap] => code!(__private::scalar(value).map(#wrap)),
            [first, rest @ ..] => code! {
                __private::try_scalar(value).map(#first)
                    #(.or_else(|| __private::try_scalar(value).map(#rest)))*
                    .ok_or_else(|| __private::no_variant(#union_name))
            },
            [] => code!(Err(__private::no_variant(#union_name))),
        };
        // `attempts`: how each variant is tried on the buffered value, in order, when the
        // shape has several.
        let compound = |wraps: &[Code], attempts: Vec<Code>, access: Code, buffer: Code| match wraps
        {
            [wrap] => code!(__private::#access(#access).map(#wrap)),
            [_, _, ..] => {
                let mut attempts = attempts.into_iter();
                let first = attempts.next();
                code! {
                    let value = __private::#buffer(#access)?;
                    #first
                        #(.or_else(|| #attempts))*
                        .ok_or_else(|| __private::no_variant(#union_name))
                }
            }
            [] => code!(Err(__private::no_variant(#union_name))),
        };

        let mut methods = Vec::new();
        let mut expecting = Vec::new();
        let strings = of_shape(Shape::String);
        if !strings.is_empty() {
            let body = scalar(&strings);
            methods.push(code! {
                fn from_str<__E: serde::de::Error>(value: &str) -> Result<Self, __E> { #body }
            });
            expecting.push(Shape::String);
        }
        let booleans = of_shape(Shape::Bool);
        if !booleans.is_empty() {
            let body = scalar(&booleans);
            methods.push(code! {
                fn from_bool<__E: serde::de::Error>(value: bool) -> Result<Self, __E> { #body }
            });
            expecting.push(Shape::Bool);
        }
        let numbers = of_shape(Shape::Number);
        if !numbers.is_empty() {
            let body = scalar(&numbers);
            methods.push(code! {
                fn from_i64<__E: serde::de::Error>(value: i64) -> Result<Self, __E> { #body }
                fn from_u64<__E: serde::de::Error>(value: u64) -> Result<Self, __E> { #body }
                fn from_f64<__E: serde::de::Error>(value: f64) -> Result<Self, __E> { #body }
            });
            expecting.push(Shape::Number);
        }
        let arrays = of_shape(Shape::Array);
        if !arrays.is_empty() {
            let attempts = arrays
                .iter()
                .map(|wrap| code!(__private::attempt(&value).map(#wrap)))
                .collect();
            let body = compound(&arrays, attempts, code!(seq), code!(buffer_seq));
            methods.push(code! {
                fn from_seq<__A: serde::de::SeqAccess<'de>>(seq: __A) -> Result<Self, __A::Error> { #body }
            });
            expecting.push(Shape::Array);
        }
        let objects = of_shape(Shape::Object);
        if !objects.is_empty() {
            // Structs that keep no other properties are tried first on the objects whose
            // properties they all name; then every variant, a struct only where its
            // one-string properties hold their strings.
            let object_variants: Vec<&UnionVariant> = union
                .variants
                .iter()
                .zip(&shapes)
                .filter(|(_, shape)| **shape == Shape::Object)
                .map(|(variant, _)| variant)
                .collect();
            let exact = object_variants
                .iter()
                .filter(|variant| {
                    self.struct_of(&variant.ty)
                        .is_some_and(|s| s.additional.is_none())
                })
                .map(|variant| {
                    let wrap = wrap(variant);
                    code!(__private::attempt_exact(&value).map(#wrap))
                });
            let plain = object_variants.iter().map(|variant| {
                let wrap = wrap(variant);
                if self.struct_of(&variant.ty).is_some() {
                    code!(__private::attempt_struct(&value).map(#wrap))
                } else {
                    code!(__private::attempt(&value).map(#wrap))
                }
            });
            let attempts = exact.chain(plain).collect();
            let body = compound(&objects, attempts, code!(map), code!(buffer_map));
            methods.push(code! {
                fn from_map<__A: serde::de::MapAccess<'de>>(map: __A) -> Result<Self, __A::Error> { #body }
            });
            expecting.push(Shape::Object);
        }
        let expecting = match expecting.split_last() {
            Some((last, [])) => last.describe().to_owned(),
            Some((last, rest)) => {
                let rest: Vec<&str> = rest.iter().map(|shape| shape.describe()).collect();
                format!("{} or {}", rest.join(", "), last.describe())
            }
            None => return None,
        };
        Some(code! {
            impl<'de> __private::ByShape<'de> for #name {
                const EXPECTING: &'static str = #expecting;
                #(#methods)*
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                    __private::by_shape(deserializer)
                }
            }
        })
    }

    /// The generated struct `ty` is (through aliases). One that keeps no properties beyond
    /// its own (`additional` is `None`) has all it reads in its `FromMap::NAMES`.
    fn struct_of(&self, ty: &TypeRef) -> Option<&StructDef> {
        match &self.api.types[struct_id(self.api, ty)?.0].kind {
            TypeKind::Struct(definition) => Some(definition),
            _ => None,
        }
    }

    /// The shape of `ty`'s values, when it has one. `depth` counts the aliases followed, so
    /// that aliases of each other end.
    fn shape(&self, ty: &TypeRef, depth: usize) -> Option<Shape> {
        match ty {
            TypeRef::Primitive(primitive) => match primitive {
                Primitive::Bool => Some(Shape::Bool),
                Primitive::I8
                | Primitive::I16
                | Primitive::I32
                | Primitive::I64
                | Primitive::U8
                | Primitive::U16
                | Primitive::U32
                | Primitive::U64
                | Primitive::F32
                | Primitive::F64 => Some(Shape::Number),
                Primitive::String | Primitive::Date | Primitive::DateTime | Primitive::Uuid => {
                    Some(Shape::String)
                }
                Primitive::Bytes => None,
            },
            TypeRef::Named(id) => match &self.api.types[id.0].kind {
                TypeKind::Struct(_) => Some(Shape::Object),
                TypeKind::Enum(enumeration) => Some(match enumeration.wire {
                    EnumWire::String => Shape::String,
                    EnumWire::Integer => Shape::Number,
                }),
                TypeKind::Alias(ty) | TypeKind::Newtype { ty, .. } if depth < 8 => {
                    self.shape(ty, depth + 1)
                }
                TypeKind::Alias(_) | TypeKind::Newtype { .. } => None,
                TypeKind::Union(_) | TypeKind::Responses(_) => None,
            },
            TypeRef::Array(_) => Some(Shape::Array),
            TypeRef::Map(_) => Some(Shape::Object),
            TypeRef::Nullable(_) | TypeRef::Any => None,
        }
    }
}
