//! A reference to a component, or the component written in place: `openapiv3`'s
//! `ReferenceOr`, but with the reference's text a [`SmolStr`]. A spec refers to one
//! component from many places (Kubernetes' 1,100 operations name a few hundred schemas
//! 37,000 times), and each reference was a string of its own; the direct reader gives
//! every place of one reference the same shared text (see `direct::references`), which a
//! copy of the node shares too.

use serde::Deserialize;
use smol_str::SmolStr;

/// A `$ref` to a component, or the item itself.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(
    from = "openapiv3::ReferenceOr<T>",
    bound(deserialize = "T: Deserialize<'de>")
)]
pub enum ReferenceOr<T> {
    Reference { reference: SmolStr },
    Item(T),
}

impl<T> ReferenceOr<T> {
    /// The item, unless this is a reference.
    pub fn as_item(&self) -> Option<&T> {
        match self {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { .. } => None,
        }
    }
}

impl<T> From<openapiv3::ReferenceOr<T>> for ReferenceOr<T> {
    fn from(node: openapiv3::ReferenceOr<T>) -> Self {
        match node {
            openapiv3::ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                reference: reference.into(),
            },
            openapiv3::ReferenceOr::Item(item) => ReferenceOr::Item(item),
        }
    }
}
