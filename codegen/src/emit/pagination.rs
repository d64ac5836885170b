//! The paging of list operations: a description of where a page keeps its items and its
//! cursor, from which the runtime's `__request_builder!` writes a builder's `items()`,
//! `pages()` and `resume_from()`.

use super::code::{Code, Name};
use super::Emitter;
use crate::ir::{CursorPlace, FieldStep, NextPage, Pagination};

/// `Some(root)` followed along `steps` by reference: an `Option<&T>` of the last field.
fn borrowed_path(root: Code, steps: &[FieldStep]) -> Code {
    let steps = steps.iter().map(|step| {
        let field = Name::new(&step.name);
        if step.optional {
            code!(.and_then(|v| v.#field.as_ref()))
        } else {
            code!(.map(|v| &v.#field))
        }
    });
    code!(Some(#root) #(#steps)*)
}

/// `Some(root)` followed along `steps` by value: an `Option<T>` of the last field.
fn owned_path(root: Code, steps: &[FieldStep]) -> Code {
    let steps = steps.iter().map(|step| {
        let field = Name::new(&step.name);
        if step.optional {
            code!(.and_then(|v| v.#field))
        } else {
            code!(.map(|v| v.#field))
        }
    });
    code!(Some(#root) #(#steps)*)
}

impl Emitter<'_> {
    /// What a listing adds to its builder's `__request_builder!` (after a comma): where a page keeps its
    /// items and its cursor. The runtime's macro writes `items`, `pages` and
    /// `resume_from` from it.
    pub(crate) fn paging(&self, pagination: &Pagination) -> Code {
        let item = self.ty(&pagination.item);
        let direct = pagination.items.iter().all(|step| !step.optional);
        let (items, into_items) = if pagination.items.is_empty() {
            (code!(|page| page.as_slice()), code!(|page| page))
        } else if direct {
            let fields: Vec<_> = pagination
                .items
                .iter()
                .map(|step| Name::new(&step.name))
                .collect();
            (
                code!(|page| &page #(.#fields)*),
                code!(|page| page #(.#fields)*),
            )
        } else {
            let borrowed = borrowed_path(code!(page), &pagination.items);
            let owned = owned_path(code!(page), &pagination.items);
            (
                code!(|page| #borrowed.map(|v| v.as_slice()).unwrap_or(&[])),
                code!(|page| #owned.unwrap_or_default()),
            )
        };
        let next_page = code!(__private::NextPage);
        let next = match &pagination.next {
            NextPage::Cursor {
                param,
                place,
                cursor,
            } => {
                let cursor = borrowed_path(code!(page), cursor);
                let place = match place {
                    CursorPlace::Query => code!(Query),
                    CursorPlace::BodyText => code!(BodyText),
                    CursorPlace::BodyNumber => code!(BodyNumber),
                };
                code!(#next_page::Cursor { param: #param, place: __private::CursorPlace::#place, cursor: |page| #cursor.map(|v| v.to_string()) })
            }
            NextPage::HasMore {
                param,
                has_more,
                id,
            } => {
                let has_more = borrowed_path(code!(page), has_more);
                let id = borrowed_path(code!(item), id);
                code!(#next_page::HasMore {
                    param: #param,
                    has_more: |page| #has_more.copied().unwrap_or(false),
                    id: |item| #id.map(|v| v.to_string()),
                })
            }
            NextPage::Offset { param, limit } => {
                let limit = option_str(limit.as_deref());
                code!(#next_page::Offset { param: #param, limit: #limit })
            }
            NextPage::PageNumber { param, limit } => {
                let limit = option_str(limit.as_deref());
                code!(#next_page::PageNumber { param: #param, limit: #limit })
            }
            NextPage::LinkHeader => code!(#next_page::LinkHeader),
            NextPage::NextUrl { url } => {
                let url = borrowed_path(code!(page), url);
                code!(#next_page::NextUrl { url: |page| #url.map(|v| v.to_string()) })
            }
        };
        let how = pagination.describe().replace('`', "'");
        // Paging through a deprecated field is no use of it by the caller.
        let allow = pagination
            .reads_deprecated()
            .then(|| code!(#[allow(deprecated)]));
        code! {
            , #allow
            pages #item: #how {
                next: #next,
                items: #items,
                into_items: #into_items,
            }
        }
    }
}

fn option_str(value: Option<&str>) -> Code {
    match value {
        Some(value) => code!(Some(#value)),
        None => code!(None),
    }
}
