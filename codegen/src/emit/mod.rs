//! Stage three: Rust source text from the [`Api`] model, written with `code!`
//! (`quote!`'s syntax, text instead of `proc_macro2` tokens; see [`code`]). Types, the client, and one request
//! builder per operation; all sending logic stays in the runtime crate.

#[macro_use]
pub mod code;
mod client;
mod directions;
mod docs;
mod enums;
mod operations;
mod pagination;
mod sandbox;
mod sandbox_body;
mod shared_setters;
mod types;
mod untagged;

use std::cell::RefCell;
use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHashSet};

pub use code::{Code, Name, ToCode};

use crate::ir::{Api, Param, Primitive, TypeId, TypeRef};
use directions::Directions;

/// Options of the emitter.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// The path generated code reaches the runtime by (`::tether` unless renamed).
    pub runtime: Code,
    /// Whether to generate the `sandbox` module: a server trait and a loopback server.
    /// It receives what the client sends and sends what the client receives, so every
    /// type then needs both serde directions.
    pub sandbox: bool,
    /// Whether structs, unions and response enums derive `PartialEq` (enums of values always
    /// do). Off by default: in a client of Stripe's size the derive is a quarter of the
    /// build, and a client compares few values it receives.
    pub partial_eq: bool,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            runtime: code!(::tether),
            sandbox: false,
            partial_eq: false,
        }
    }
}

/// What every emitting function needs: the model and the runtime path.
pub(crate) struct Emitter<'a> {
    pub(crate) api: &'a Api,
    pub(crate) runtime: &'a Code,
    /// The runtime's serde, as the string `#[serde(crate = "...")]` wants.
    pub(crate) serde_path: String,
    /// The path from where the code goes to the module of the named types (empty at the
    /// top, `super::` in the sandbox module).
    pub(crate) types_path: Code,
    /// Which serde impls each type needs.
    pub(crate) directions: Directions,
    /// The derives of every data type but enums of values: `Debug`, `Clone`, and `PartialEq`
    /// when asked for.
    pub(crate) data_derives: Code,
    /// Doc attributes made so far, for the repeats.
    pub(crate) docs: docs::Cache,
    /// The setters of optional parameters made so far, by parameter.
    pub(crate) setters: RefCell<FxHashMap<SameParam<'a>, Rc<Code>>>,
    /// The structs that are object variants of a union: they list their one-string
    /// properties (`FromMap::FIXED`) for the union to tell its variants apart by.
    pub(crate) union_structs: FxHashSet<TypeId>,
}

/// A parameter as a key of the setters made: equal to another that is equal in every
/// field, hashed by what tells most parameters apart (their names and place). Hashing every
/// field hashed each description, which repeats by the thousand in Kubernetes' parameters.
#[derive(PartialEq, Eq)]
pub(crate) struct SameParam<'a>(pub(crate) &'a Param);

impl std::hash::Hash for SameParam<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let Param {
            wire_name,
            name,
            location,
            ..
        } = self.0;
        (wire_name, name, location).hash(state);
    }
}

/// The items of the generated module, as one text.
pub fn emit(api: &Api, options: &EmitOptions) -> Code {
    let items = emit_items(api, options);
    // The module's text is written once its items are: growing it as they came copied
    // it over and again (Kubernetes' client is 3 MB).
    let mut code = Code::with_capacity(items.iter().map(Code::size_hint).sum());
    for item in &items {
        item.write_to(&mut code);
    }
    code
}

/// The items of the generated module (whole items each), in the order the module writes
/// them: what [`emit`] joins, and what [`crate::generate_source`] lays out without
/// joining them.
pub fn emit_items(api: &Api, options: &EmitOptions) -> Vec<Code> {
    let runtime = &options.runtime;
    let serde_path = format!("{}::__private::serde", runtime.to_string().replace(' ', ""));
    let directions = if options.sandbox {
        Directions::both(api)
    } else {
        Directions::of(api)
    };
    let data_derives = if options.partial_eq {
        code!(Debug, Clone, PartialEq,)
    } else {
        code!(Debug, Clone,)
    };
    let emitter = Emitter {
        api,
        runtime,
        serde_path,
        types_path: Code::new(),
        directions,
        data_derives: data_derives.clone(),
        docs: docs::Cache::default(),
        setters: RefCell::default(),
        union_structs: untagged::union_structs(api),
    };
    let mut items = Vec::with_capacity(api.operations.len() + api.types.len() + 4);
    items.push(code!(
        #[allow(unused_imports)]
        use #runtime::__private::{self, chrono, serde, serde_json, uuid};
    ));
    items.push(emitter.client());
    let setters = shared_setters::split(
        api.operations
            .iter()
            .map(|operation| emitter.optional_param_setters(operation))
            .collect::<Vec<_>>(),
        &api.operations
            .iter()
            .map(|operation| Name::new(&operation.builder_name))
            .collect::<Vec<_>>(),
        runtime,
    );
    items.extend(
        api.operations
            .iter()
            .zip(setters.own)
            .map(|(operation, own_setters)| emitter.operation(operation, own_setters)),
    );
    items.push(setters.shared);
    items.extend(
        api.types
            .iter()
            .enumerate()
            .map(|(index, definition)| emitter.type_definition(TypeId(index), definition)),
    );
    if options.sandbox {
        let sandbox = Emitter {
            api,
            runtime,
            serde_path: emitter.serde_path.clone(),
            types_path: code!(super::),
            directions: Directions::both(api),
            data_derives,
            docs: docs::Cache::default(),
            setters: RefCell::default(),
            // The sandbox module writes no types; it names those above.
            union_structs: FxHashSet::default(),
        }
        .sandbox();
        items.push(sandbox);
    }
    items
}

impl<'a> Emitter<'a> {
    /// The Rust type of a type reference.
    pub(crate) fn ty(&self, ty: &TypeRef) -> Code {
        let mut code = Code::with_capacity(32);
        self.type_text(ty).write_to(&mut code);
        code
    }

    /// [`Emitter::ty`] written where it is interpolated, with no text of its own.
    pub(crate) fn type_text<'e>(&'e self, ty: &'e TypeRef) -> TypeText<'e, 'a> {
        TypeText {
            emitter: self,
            ty,
            boxed: false,
            optional: false,
        }
    }
}

/// The Rust type of a [`TypeRef`], in a `Box` and then an `Option` where asked, written into
/// the code it is interpolated in: made as text of its own, a struct field's type took a
/// copy for each level it nests and each wrapper.
#[derive(Clone, Copy)]
pub(crate) struct TypeText<'e, 'a> {
    emitter: &'e Emitter<'a>,
    ty: &'e TypeRef,
    boxed: bool,
    optional: bool,
}

impl<'e, 'a> TypeText<'e, 'a> {
    /// The type in a `Box` when `boxed`.
    pub(crate) fn boxed(self, boxed: bool) -> Self {
        TypeText { boxed, ..self }
    }

    /// The type in an `Option` when `optional`.
    pub(crate) fn optional(self, optional: bool) -> Self {
        TypeText { optional, ..self }
    }

    /// `ty`, a type inside this one, bare.
    fn nested<'n>(&self, ty: &'n TypeRef) -> TypeText<'n, 'a>
    where
        'e: 'n,
    {
        TypeText {
            emitter: self.emitter,
            ty,
            boxed: false,
            optional: false,
        }
    }
}

impl ToCode for TypeText<'_, '_> {
    fn write_to(&self, mut code: &mut Code) {
        if self.optional {
            let inner = self.optional(false);
            code_into!(code; Option<#inner>);
            return;
        }
        if self.boxed {
            let inner = self.boxed(false);
            code_into!(code; Box<#inner>);
            return;
        }
        match self.ty {
            TypeRef::Primitive(primitive) => match primitive_text(*primitive) {
                Some(text) => code.push(text),
                None => {
                    let runtime = self.emitter.runtime;
                    code_into!(code; #runtime::Bytes);
                }
            },
            TypeRef::Named(id) => {
                let name = Name::new(&self.emitter.api.types[id.0].name);
                let path = &self.emitter.types_path;
                code_into!(code; #path #name);
            }
            TypeRef::Array(item) => {
                let item = self.nested(item);
                code_into!(code; Vec<#item>);
            }
            TypeRef::Map(value) => {
                let value = self.nested(value);
                code_into!(code; ::std::collections::HashMap<String, #value>);
            }
            TypeRef::Nullable(inner) => {
                let inner = self.nested(inner);
                code_into!(code; Option<#inner>);
            }
            TypeRef::Any => code.push("serde_json :: Value"),
        }
    }
}

/// The tokens of a primitive type, spaced as [`Code`] keeps them; `None` for bytes, whose
/// type is the runtime's.
fn primitive_text(primitive: Primitive) -> Option<&'static str> {
    Some(match primitive {
        Primitive::Bool => "bool",
        Primitive::I8 => "i8",
        Primitive::I16 => "i16",
        Primitive::I32 => "i32",
        Primitive::I64 => "i64",
        Primitive::U8 => "u8",
        Primitive::U16 => "u16",
        Primitive::U32 => "u32",
        Primitive::U64 => "u64",
        Primitive::F32 => "f32",
        Primitive::F64 => "f64",
        Primitive::String => "String",
        Primitive::Date => "chrono :: NaiveDate",
        Primitive::DateTime => "chrono :: DateTime < chrono :: Utc >",
        Primitive::Uuid => "uuid :: Uuid",
        Primitive::Bytes => return None,
    })
}
