//! Named types: structs, unions, aliases and response enums; enums are in [`super::enums`].

use super::code::{Code, Name, SharedCode, SizeHinted, ToCode, Unsuffixed, Writer};
use super::{docs, Emitter, TypeText};
use crate::ir::{
    EnumWire, Field, ResponseBody, ResponsesDef, StatusMatch, StructDef, TypeDef, TypeId, TypeKind,
    UnionDef,
};

/// The serde impls a type gets: only those of the directions it crosses the wire in.
#[derive(Clone, Copy)]
pub(super) struct Serde {
    pub(super) serialize: bool,
    pub(super) deserialize: bool,
}

impl Serde {
    /// The serde derives, for a type whose impls are all derived.
    fn derives(self) -> Code {
        let serialize = self.serialize.then(|| code!(serde::Serialize,));
        let deserialize = self.deserialize.then(|| code!(serde::Deserialize,));
        code!(#serialize #deserialize)
    }
}

impl<'a> Emitter<'a> {
    pub(crate) fn type_definition(&self, id: TypeId, definition: &TypeDef) -> Code {
        let data_derives = &self.data_derives;
        let name = Name::new(&definition.name);
        let doc = self.doc_attributes_or(&definition.docs, |text| {
            text.push_str(undescribed_type(&definition.kind));
        });
        let serde_path = &self.serde_path;
        // A type no operation reaches still gets one direction, so that its `#[serde]`
        // attributes have a derive to belong to.
        let serde = Serde {
            serialize: self.directions.sent(id),
            deserialize: self.directions.received(id) || !self.directions.sent(id),
        };
        match &definition.kind {
            TypeKind::Struct(structure) => self.structure(id, &name, &doc, serde, structure),
            TypeKind::Enum(enumeration) => self.enumeration(&name, &doc, serde, enumeration),
            TypeKind::Union(union) => self.union(&name, &doc, serde, union),
            TypeKind::Alias(ty) => {
                let ty = self.type_text(ty);
                code! { #doc pub type #name = #ty; }
            }
            TypeKind::Newtype { ty, boxed } => {
                let ty = self.type_text(ty).boxed(*boxed);
                let derives = serde.derives();
                code! {
                    #doc
                    #[derive(#data_derives #derives)]
                    #[serde(crate = #serde_path, transparent)]
                    pub struct #name(pub #ty);
                }
            }
            TypeKind::Responses(responses) => self.responses(&name, &doc, responses),
        }
    }

    /// The type of a field's value: the field's type without its `Option`.
    fn field_value_type<'e>(&'e self, field: &'e Field) -> TypeText<'e, 'a> {
        self.type_text(&field.ty).boxed(field.boxed)
    }

    /// A struct's field; its `#[serde]` attributes only when `Serialize` is derived.
    fn field<'e>(&'e self, field: &'e Field, serialize: bool) -> impl ToCode + use<'e, 'a> {
        Writer(move |mut code: &mut Code| {
            let doc = self.doc_attributes_or(&field.docs, |text| {
                let presence = if field.required {
                    "always present"
                } else {
                    "may be absent"
                };
                for part in [
                    "The JSON property `",
                    &field.wire_name,
                    "` (",
                    presence,
                    ").",
                ] {
                    text.push_str(part);
                }
            });
            let deprecated = field.deprecated.then(|| code!(#[deprecated]));
            code_into!(code; #doc #deprecated);
            // Only `Serialize` is derived (decoding goes through `__deserialize_object!`),
            // so an absent field needs no `default`.
            let rename = (field.wire_name != field.name).then_some(&field.wire_name);
            match (serialize, rename, field.required) {
                (false, _, _) | (true, None, true) => {}
                (true, Some(wire), true) => {
                    code_into!(code; #[serde(rename = #wire)]);
                }
                (true, None, false) => {
                    code_into!(code; #[serde(skip_serializing_if = "Option::is_none")]);
                }
                (true, Some(wire), false) => {
                    code_into!(code; #[serde(rename = #wire, skip_serializing_if = "Option::is_none")]);
                }
            }
            let name = Name::new(&field.name);
            let ty = self.field_value_type(field).optional(field.is_option());
            code_into!(code; pub #name: #ty);
        })
    }

    fn structure(
        &self,
        id: TypeId,
        name: &Name,
        doc: &SharedCode,
        serde: Serde,
        structure: &StructDef,
    ) -> Code {
        let data_derives = &self.data_derives;
        let serde_path = &self.serde_path;
        let fields = structure
            .fields
            .iter()
            .map(|field| self.field(field, serde.serialize));
        let additional = structure.additional.as_ref().map(|value| {
            let value = self.type_text(value);
            let field = additional_field(structure);
            let flatten = serde.serialize.then(|| code!(#[serde(flatten)]));
            code! {
                /// Properties beyond the documented ones.
                #flatten
                pub #field: ::std::collections::HashMap<String, #value>
            }
        });
        let deprecated = structure
            .fields
            .iter()
            .any(|field| field.deprecated)
            .then(|| code!(#[allow(deprecated)]));
        let serialize = Writer(|code: &mut Code| {
            if serde.serialize {
                code_into!(code; serde::Serialize);
            }
        });
        let serde_crate = Writer(|mut code: &mut Code| {
            if serde.serialize {
                code_into!(code; #[serde(crate = #serde_path)]);
            }
        });
        let deserialize = serde
            .deserialize
            .then(|| self.struct_deserialize(id, name, structure, deprecated.as_ref()));
        code! {
            #doc
            #deprecated
            #[derive(#data_derives #serialize)]
            #serde_crate
            pub struct #name {
                #(#fields,)*
                #additional
            }

            #deserialize
        }
    }

    /// A struct's `Deserialize`, written out through the runtime's `FromMap` rather than
    /// derived (see `runtime/src/object.rs` for what the derive costs), by the runtime's
    /// `__deserialize_object!`: the struct's source lists each property once.
    fn struct_deserialize<'e>(
        &'e self,
        id: TypeId,
        name: &'e Name,
        structure: &'e StructDef,
        deprecated: Option<&'e Code>,
    ) -> impl ToCode + use<'e, 'a> {
        // `NAMES` lists the shortest first, as the runtime's lookup expects; a property is
        // read by its index there.
        let mut by_length: Vec<usize> = (0..structure.fields.len()).collect();
        by_length.sort_by_key(|&field| structure.fields[field].wire_name.len());
        let mut index_of = vec![0; structure.fields.len()];
        for (index, &field) in by_length.iter().enumerate() {
            index_of[field] = index;
        }
        let runtime = self.runtime;
        // The lists are written where they are interpolated, not gathered first; a line
        // of some 60 bytes for each property.
        let size = 100 + 60 * structure.fields.len();
        SizeHinted(
            size,
            Writer(move |mut code: &mut Code| {
                let names = by_length
                    .iter()
                    .map(|&field| &structure.fields[field].wire_name);
                let entries = |optional: bool| {
                    let index_of = &index_of;
                    Writer(move |mut code: &mut Code| {
                        let entries = structure
                            .fields
                            .iter()
                            .zip(index_of)
                            .filter(|(field, _)| field.is_option() == optional)
                            .map(|(field, &index)| {
                                let local = Name::new(&field.name);
                                let index = Unsuffixed(index);
                                let ty = self.field_value_type(field);
                                Writer(move |mut code: &mut Code| {
                                    code_into!(code; #index #local: #ty);
                                })
                            });
                        code_into!(code; #(#entries),*);
                    })
                };
                let (required, optional) = (entries(false), entries(true));
                let fixed = Writer(|mut code: &mut Code| {
                    let mut fixed = structure
                        .fields
                        .iter()
                        .filter_map(|field| Some((&field.wire_name, field.fixed.as_ref()?)))
                        .peekable();
                    if self.union_structs.contains(&id) && fixed.peek().is_some() {
                        let fixed = fixed.map(|(wire, value)| {
                            Writer(move |mut code: &mut Code| {
                                code_into!(code; (#wire, #value));
                            })
                        });
                        code_into!(code; fixed: [#(#fixed),*],);
                    }
                });
                let others = Writer(|mut code: &mut Code| {
                    if let Some(value) = &structure.additional {
                        let field = additional_field(structure);
                        let value = self.type_text(value);
                        code_into!(code; others: #field: #value,);
                    }
                });
                code_into!(code;
                    #runtime::__deserialize_object! {
                        #deprecated
                        #name,
                        names: [#(#names),*],
                        #fixed
                        required: [#required],
                        optional: [#optional],
                        #others
                    }
                );
            }),
        )
    }

    fn union(&self, name: &Name, doc: &SharedCode, serde: Serde, union: &UnionDef) -> Code {
        let data_derives = &self.data_derives;
        let serde_path = &self.serde_path;
        let variants: Vec<Code> = union
            .variants
            .iter()
            .map(|variant| {
                let variant_name = Name::new(&variant.name);
                let ty = self.type_text(&variant.ty).boxed(variant.boxed);
                let doc = match &union.discriminator {
                    Some(property) if variant.tags.is_empty() => format!(
                        "Never read: every `{property}` that names it names an earlier variant; it can still be sent."
                    ),
                    Some(property) => format!(
                        "The value when its `{property}` is {}.",
                        variant
                            .tags
                            .iter()
                            .map(|tag| format!("`{tag}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                    None => "The value when it reads as the type this variant holds.".to_owned(),
                };
                let doc = self.doc_lines(&docs::sanitize(&doc));
                code!(#doc #variant_name(#ty))
            })
            .collect();
        let Some(property) = &union.discriminator else {
            let by_shape = serde
                .deserialize
                .then(|| self.union_by_shape(name, union))
                .flatten();
            let derives = Serde {
                deserialize: serde.deserialize && by_shape.is_none(),
                ..serde
            };
            let attribute = (derives.serialize || derives.deserialize)
                .then(|| code!(#[serde(crate = #serde_path, untagged)]));
            let derives = derives.derives();
            return code! {
                #doc
                #[derive(#data_derives #derives)]
                #attribute
                pub enum #name {
                    #(#variants,)*
                }

                #by_shape
            };
        };
        let other = Name::new(&union.other);
        // A variant whose every tag an earlier one reads has no arm.
        let tagged = union
            .variants
            .iter()
            .filter(|variant| !variant.tags.is_empty());
        let arms = tagged.map(|variant| {
            let variant_name = Name::new(&variant.name);
            let tags = &variant.tags;
            let wrap = if variant.boxed {
                code!(|value| Self::#variant_name(Box::new(value)))
            } else {
                code!(Self::#variant_name)
            };
            code!(#(#tags)|* => __private::variant(value).map(#wrap))
        });
        let other_doc =
            format!(" A value whose `{property}` this version of the spec does not list.");
        let serialize = serde.serialize.then(|| {
            code! {
                #[derive(serde::Serialize)]
                #[serde(crate = #serde_path, untagged)]
            }
        });
        let deserialize = serde.deserialize.then(|| {
            code! {
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                        let (tag, value) = __private::tagged::<__D>(deserializer, #property)?;
                        match tag.as_str() {
                            #(#arms,)*
                            _ => Ok(Self::#other(value)),
                        }
                    }
                }
            }
        });
        code! {
            #doc
            #[derive(#data_derives)]
            #serialize
            pub enum #name {
                #(#variants,)*
                #[doc = #other_doc]
                #other(serde_json::Value),
            }

            #deserialize
        }
    }

    fn responses(&self, name: &Name, doc: &SharedCode, responses: &ResponsesDef) -> Code {
        let data_derives = &self.data_derives;
        let runtime = self.runtime;
        let variants = responses.variants.iter().map(|variant| {
            let variant_name = Name::new(&variant.name);
            let status = match variant.status {
                StatusMatch::Code(code) => format!("Status {code}."),
                StatusMatch::Range(range) => format!("Any {range}xx status."),
                StatusMatch::Default => "Any other status.".to_owned(),
            };
            let doc = self.doc_attributes(&variant.docs, &[status]);
            let body = match &variant.body {
                ResponseBody::Empty => None,
                ResponseBody::Json(ty) => Some(self.ty(ty)),
                ResponseBody::Text => Some(code!(String)),
                ResponseBody::Bytes => Some(code!(#runtime::Bytes)),
            };
            match body {
                Some(body) => code!(#doc #variant_name(#body)),
                None => code!(#doc #variant_name),
            }
        });
        let mut has_default = false;
        let arms: Vec<Code> = responses
            .variants
            .iter()
            .map(|variant| {
                let pattern = match variant.status {
                    StatusMatch::Code(code) => {
                        let code = Unsuffixed(code);
                        code!(#code)
                    }
                    StatusMatch::Range(range) => {
                        let (low, high) = (Unsuffixed(range * 100), Unsuffixed(range * 100 + 99));
                        code!(#low..=#high)
                    }
                    StatusMatch::Default => {
                        has_default = true;
                        code!(_)
                    }
                };
                let variant_name = Name::new(&variant.name);
                let decode = match &variant.body {
                    ResponseBody::Empty => code!(Ok(Self::#variant_name)),
                    ResponseBody::Json(_) => {
                        code!(__private::json(response).map(Self::#variant_name))
                    }
                    ResponseBody::Text => {
                        code!(__private::text(response).map(Self::#variant_name))
                    }
                    ResponseBody::Bytes => {
                        code!(__private::bytes(response).map(Self::#variant_name))
                    }
                };
                code!(#pattern => #decode)
            })
            .collect();
        let fallback = (!has_default).then(|| code!(_ => return None,));
        code! {
            #doc
            #[derive(#data_derives)]
            pub enum #name {
                #(#variants,)*
            }

            impl __private::FromResponse for #name {
                #[inline]
                fn from_response(response: &#runtime::RawResponse) -> Option<Result<Self, #runtime::DecodeFailure>> {
                    Some(match response.status.as_u16() {
                        #(#arms,)*
                        #fallback
                    })
                }
            }
        }
    }
}

/// The name of the field holding a struct's additional properties.
fn additional_field(structure: &StructDef) -> Name<'static> {
    let taken = structure
        .fields
        .iter()
        .any(|field| field.name == "additional_properties");
    Name::new(if taken {
        "additional_properties_"
    } else {
        "additional_properties"
    })
}

/// The docs of a type the spec gives no title or description.
fn undescribed_type(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "An object of the API; the spec does not describe it.",
        TypeKind::Enum(enumeration) => match enumeration.wire {
            EnumWire::String => {
                "A string of the API, one of the values below; the spec does not describe it."
            }
            EnumWire::Integer => {
                "An integer of the API, one of the values below; the spec does not describe it."
            }
        },
        TypeKind::Union(_) => "A value of one of the shapes below; the spec does not describe it.",
        TypeKind::Alias(_) | TypeKind::Newtype { .. } => {
            "A value of the API; the spec does not describe it."
        }
        TypeKind::Responses(_) => "The documented responses, by status.",
    }
}
