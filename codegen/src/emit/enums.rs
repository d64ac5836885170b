//! Enums: the values a string or an integer may take, and a catch-all variant for values
//! a later version of the API adds. The enum, its value accessor and its serde impls come
//! from the runtime's `__value_enum!`, which the source gives only the variants (name and
//! value, after the value's doc) and the impls the type needs.

use super::code::{Code, Name, SharedCode, Unsuffixed};
use super::types::Serde;
use super::{docs, Emitter};
use crate::ir::{EnumDef, EnumWire};

impl Emitter<'_> {
    pub(super) fn enumeration(
        &self,
        name: &Name,
        doc: &SharedCode,
        serde: Serde,
        enumeration: &EnumDef,
    ) -> Code {
        let runtime = self.runtime;
        let names = enumeration
            .variants
            .iter()
            .map(|variant| Name::new(&variant.name));
        let docs = enumeration
            .variants
            .iter()
            .map(|variant| docs::enum_value_doc(&variant.value));
        let written = enumeration.variants.iter().map(|variant| &variant.value);
        let (wire, values): (Code, Vec<Code>) = match enumeration.wire {
            EnumWire::String => (code!(str), written.map(|value| code!(#value)).collect()),
            // The model keeps integer values in decimal, as `i64` wrote them.
            EnumWire::Integer => {
                let values = written.map(|value| {
                    let value = Unsuffixed(value);
                    code!(#value)
                });
                (code!(i64), values.collect())
            }
        };
        let other = Name::new(&enumeration.other);
        let serialize = serde.serialize.then(|| code!(, Serialize));
        let deserialize = serde.deserialize.then(|| code!(, Deserialize));
        code! {
            #runtime::__value_enum! {
                #doc
                #name: #wire,
                [#(#[doc = #docs] #names = #values,)*],
                #other
                #serialize
                #deserialize
            }
        }
    }
}
