//! Stage three: Rust tokens from the [`Api`] model. Types, the client, and one request
//! builder per operation; all sending logic stays in the runtime crate.

mod client;
mod directions;
mod docs;
mod operations;
mod pagination;
mod sandbox;
mod sandbox_body;
mod types;
mod untagged;

use std::collections::HashSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{naming, Api, Primitive, TypeId, TypeRef};
use directions::Directions;

/// Options of the emitter.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// The path generated code reaches the runtime by (`::tether` unless renamed).
    pub runtime: TokenStream,
    /// Whether to generate the `sandbox` module: a server trait and a loopback server.
    /// It receives what the client sends and sends what the client receives, so every
    /// type then needs both serde directions.
    pub sandbox: bool,
    /// Whether structs, unions and response enums derive `PartialEq` (string enums always
    /// do). Off by default: in a client of Stripe's size the derive is a quarter of the
    /// build, and a client compares few values it receives.
    pub partial_eq: bool,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            runtime: quote!(::tether),
            sandbox: false,
            partial_eq: false,
        }
    }
}

/// What every emitting function needs: the model and the runtime path.
pub(crate) struct Emitter<'a> {
    pub(crate) api: &'a Api,
    pub(crate) runtime: &'a TokenStream,
    /// The runtime's serde, as the string `#[serde(crate = "...")]` wants.
    pub(crate) serde_path: String,
    /// The path from where the code goes to the module of the named types (empty at the
    /// top, `super::` in the sandbox module).
    pub(crate) types_path: TokenStream,
    /// Which serde impls each type needs.
    pub(crate) directions: Directions,
    /// The derives of every data type but string enums: `Debug`, `Clone`, and `PartialEq`
    /// when asked for.
    pub(crate) data_derives: TokenStream,
    /// Doc attributes made so far, for the repeats.
    pub(crate) docs: docs::Cache,
    /// The structs that are object variants of a union: they list their one-string
    /// properties (`FromMap::FIXED`) for the union to tell its variants apart by.
    pub(crate) union_structs: HashSet<TypeId>,
}

/// The items of the generated module.
pub fn emit(api: &Api, options: &EmitOptions) -> TokenStream {
    let runtime = &options.runtime;
    let serde_path = format!("{}::__private::serde", runtime.to_string().replace(' ', ""));
    let directions = if options.sandbox {
        Directions::both(api)
    } else {
        Directions::of(api)
    };
    let data_derives = if options.partial_eq {
        quote!(Debug, Clone, PartialEq,)
    } else {
        quote!(Debug, Clone,)
    };
    let emitter = Emitter {
        api,
        runtime,
        serde_path,
        types_path: TokenStream::new(),
        directions,
        data_derives: data_derives.clone(),
        docs: docs::Cache::default(),
        union_structs: untagged::union_structs(api),
    };
    let types = api
        .types
        .iter()
        .enumerate()
        .map(|(index, definition)| emitter.type_definition(TypeId(index), definition));
    let client = emitter.client();
    let operations = api
        .operations
        .iter()
        .map(|operation| emitter.operation(operation));
    let sandbox = options.sandbox.then(|| {
        Emitter {
            api,
            runtime,
            serde_path: emitter.serde_path.clone(),
            types_path: quote!(super::),
            directions: Directions::both(api),
            data_derives,
            docs: docs::Cache::default(),
            // The sandbox module writes no types; it names those above.
            union_structs: HashSet::new(),
        }
        .sandbox()
    });
    quote! {
        #[allow(unused_imports)]
        use #runtime::__private::{chrono, serde, serde_json, uuid};
        #client
        #(#operations)*
        #(#types)*
        #sandbox
    }
}

/// An identifier, raw when it is a keyword.
pub(crate) fn ident(name: &str) -> Ident {
    if naming::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

impl Emitter<'_> {
    /// The Rust type of a type reference.
    pub(crate) fn ty(&self, ty: &TypeRef) -> TokenStream {
        let runtime = self.runtime;
        match ty {
            TypeRef::Primitive(primitive) => match primitive {
                Primitive::Bool => quote!(bool),
                Primitive::I8 => quote!(i8),
                Primitive::I16 => quote!(i16),
                Primitive::I32 => quote!(i32),
                Primitive::I64 => quote!(i64),
                Primitive::U8 => quote!(u8),
                Primitive::U16 => quote!(u16),
                Primitive::U32 => quote!(u32),
                Primitive::U64 => quote!(u64),
                Primitive::F32 => quote!(f32),
                Primitive::F64 => quote!(f64),
                Primitive::String => quote!(String),
                Primitive::Date => quote!(chrono::NaiveDate),
                Primitive::DateTime => quote!(chrono::DateTime<chrono::Utc>),
                Primitive::Uuid => quote!(uuid::Uuid),
                Primitive::Bytes => quote!(#runtime::Bytes),
            },
            TypeRef::Named(id) => {
                let name = ident(&self.api.types[id.0].name);
                let path = &self.types_path;
                quote!(#path #name)
            }
            TypeRef::Array(item) => {
                let item = self.ty(item);
                quote!(Vec<#item>)
            }
            TypeRef::Map(value) => {
                let value = self.ty(value);
                quote!(::std::collections::HashMap<String, #value>)
            }
            TypeRef::Nullable(inner) => {
                let inner = self.ty(inner);
                quote!(Option<#inner>)
            }
            TypeRef::Any => quote!(serde_json::Value),
        }
    }
}
