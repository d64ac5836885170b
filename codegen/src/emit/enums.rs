//! Enums: the values a string or an integer may take, and a catch-all variant for values
//! a later version of the API adds. Their serde impls are written out rather than derived:
//! a derive with a catch-all variant buffers every value through serde's `Content`, which
//! costs compile time in specs with thousands of enums (Stripe has over two thousand).

use super::code::{Code, Name};
use super::types::Serde;
use super::{docs, Emitter};
use crate::ir::{EnumDef, EnumWire};

/// What differs between a string enum and an integer one.
struct Wire {
    /// The values as literals (`"placed"`, `3600i64`).
    values: Vec<Code>,
    /// The type the catch-all variant holds.
    held: Code,
    /// The value accessor's name, receiver and return type.
    accessor: Code,
    receiver: Code,
    returned: Code,
    /// Derives beyond those every enum has.
    derives: Code,
    /// The `Serializer` method that writes the value.
    serialize_value: Code,
    /// Statements that read the wire value into `value`.
    read: Code,
    /// What the `match` over known values looks at, and what the catch-all keeps.
    scrutinee: Code,
    unknown: Code,
}

impl Wire {
    fn of(enumeration: &EnumDef) -> Wire {
        let written = enumeration.variants.iter().map(|variant| &variant.value);
        match enumeration.wire {
            EnumWire::String => Wire {
                values: written.map(|value| code!(#value)).collect(),
                held: code!(String),
                accessor: code!(as_str),
                receiver: code!(&self),
                returned: code!(&str),
                derives: Code::new(),
                serialize_value: code!(serialize_str),
                // Compared without a copy; only a value the spec does not list is kept.
                read: code! {
                    let value = <__private::Text<'de> as serde::Deserialize>::deserialize(deserializer)?;
                },
                scrutinee: code!(value.as_str()),
                unknown: code!(value.into_string()),
            },
            EnumWire::Integer => Wire {
                // The model keeps integer values in decimal, as `i64` wrote them.
                values: written.map(Code::unsuffixed).collect(),
                held: code!(i64),
                accessor: code!(as_i64),
                receiver: code!(self),
                returned: code!(i64),
                derives: code!(Copy,),
                serialize_value: code!(serialize_i64),
                read: code! {
                    let value = <i64 as serde::Deserialize>::deserialize(deserializer)?;
                },
                scrutinee: code!(value),
                unknown: code!(value),
            },
        }
    }
}

impl Emitter<'_> {
    pub(super) fn enumeration(
        &self,
        name: &Name,
        doc: &Code,
        serde: Serde,
        enumeration: &EnumDef,
    ) -> Code {
        let names: Vec<Name> = enumeration
            .variants
            .iter()
            .map(|variant| Name::new(&variant.name))
            .collect();
        let docs = enumeration
            .variants
            .iter()
            .map(|variant| docs::enum_value_doc(&variant.value));
        let other = Name::new(&enumeration.other);
        let Wire {
            values,
            held,
            accessor,
            receiver,
            returned,
            derives,
            serialize_value,
            read,
            scrutinee,
            unknown,
        } = Wire::of(enumeration);
        let serialize = serde.serialize.then(|| {
            code! {
                impl serde::Serialize for #name {
                    fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                        serializer.#serialize_value(self.#accessor())
                    }
                }
            }
        });
        let deserialize = serde.deserialize.then(|| {
            code! {
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                        #read
                        Ok(match #scrutinee {
                            #(#values => Self::#names,)*
                            _ => Self::#other(#unknown),
                        })
                    }
                }
            }
        });
        code! {
            #doc
            #[derive(Debug, Clone, #derives PartialEq, Eq, Hash)]
            pub enum #name {
                #(#[doc = #docs] #names,)*
                /// A value this version of the spec does not list.
                #other(#held),
            }

            impl #name {
                /// The value as it is sent.
                #[inline]
                pub fn #accessor(#receiver) -> #returned {
                    match self {
                        #(Self::#names => #values,)*
                        Self::#other(value) => value,
                    }
                }
            }

            #serialize
            #deserialize
        }
    }
}
