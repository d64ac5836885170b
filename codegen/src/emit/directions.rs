//! Which way each named type crosses the wire: sent in requests (it needs `Serialize`),
//! received in responses (it needs `Deserialize`), or both. Emitting only the impls a type
//! needs roughly halves the serde code of a big spec, where most types are only ever
//! received.

use crate::ir::{Api, BodyEncoding, ResponseBody, Success, TypeId, TypeKind, TypeRef};

/// The serde directions each named type of an [`Api`] needs, indexed by [`TypeId`].
pub(crate) struct Directions {
    sent: Vec<bool>,
    received: Vec<bool>,
}

impl Directions {
    /// The directions the operations of `api` need, following every type to the types it
    /// holds.
    pub(crate) fn of(api: &Api) -> Directions {
        let mut directions = Directions {
            sent: vec![false; api.types.len()],
            received: vec![false; api.types.len()],
        };
        for operation in &api.operations {
            for param in &operation.params {
                mark(api, &mut directions.sent, &param.ty);
            }
            for body in operation.bodies() {
                if !matches!(
                    body.encoding,
                    BodyEncoding::Bytes(_) | BodyEncoding::Text(_)
                ) {
                    mark(api, &mut directions.sent, &body.ty);
                }
            }
            match &operation.success {
                Success::One(body) => mark_body(api, &mut directions.received, body),
                Success::Several(id) => mark_named(api, &mut directions.received, *id),
            }
            if let Some(error) = operation.error {
                mark_named(api, &mut directions.received, error);
            }
            if let Some(events) = &operation.events {
                mark(api, &mut directions.received, &events.item);
            }
        }
        directions
    }

    /// Every type in both directions: for code that also has to play the server's part.
    pub(crate) fn both(api: &Api) -> Directions {
        Directions {
            sent: vec![true; api.types.len()],
            received: vec![true; api.types.len()],
        }
    }

    /// Whether values of `id` are sent, so it needs `Serialize`.
    pub(crate) fn sent(&self, id: TypeId) -> bool {
        self.sent[id.0]
    }

    /// Whether values of `id` are received, so it needs `Deserialize`.
    pub(crate) fn received(&self, id: TypeId) -> bool {
        self.received[id.0]
    }
}

fn mark_body(api: &Api, marks: &mut [bool], body: &ResponseBody) {
    if let ResponseBody::Json(ty) = body {
        mark(api, marks, ty);
    }
}

fn mark(api: &Api, marks: &mut [bool], ty: &TypeRef) {
    match ty {
        TypeRef::Primitive(_) | TypeRef::Any => {}
        TypeRef::Named(id) => mark_named(api, marks, *id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            mark(api, marks, inner)
        }
    }
}

/// Marks `id` and, the first time, everything it holds. Recursive types stop at the mark.
fn mark_named(api: &Api, marks: &mut [bool], id: TypeId) {
    if std::mem::replace(&mut marks[id.0], true) {
        return;
    }
    match &api.types[id.0].kind {
        TypeKind::Struct(structure) => {
            for field in &structure.fields {
                mark(api, marks, &field.ty);
            }
            if let Some(additional) = &structure.additional {
                mark(api, marks, additional);
            }
        }
        TypeKind::Union(union) => {
            for variant in &union.variants {
                mark(api, marks, &variant.ty);
            }
        }
        TypeKind::Alias(ty) | TypeKind::Newtype { ty, .. } => mark(api, marks, ty),
        TypeKind::Responses(responses) => {
            for variant in &responses.variants {
                mark_body(api, marks, &variant.body);
            }
        }
        TypeKind::Enum(_) => {}
    }
}
