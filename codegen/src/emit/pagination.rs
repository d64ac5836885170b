//! The paging of list operations: a description of where a page keeps its items and its
//! cursor, from which the runtime's `__request_builder!` writes a builder's `items()`,
//! `pages()` and `resume_from()`.

use super::code::{Code, Name, ToCode, Writer};
use super::Emitter;
use crate::ir::{CursorPlace, FieldStep, NextPage, Pagination};

/// `Some(root)` followed along `steps` by reference: an `Option<&T>` of the last field.
fn borrowed_path<'s>(root: &'s str, steps: &'s [FieldStep]) -> impl ToCode + 's {
    field_path(root, steps, true)
}

/// `Some(root)` followed along `steps` by value: an `Option<T>` of the last field.
fn owned_path<'s>(root: &'s str, steps: &'s [FieldStep]) -> impl ToCode + 's {
    field_path(root, steps, false)
}

/// `Some(root)` followed along `steps`, by reference when `borrowed`.
fn field_path<'s>(root: &'s str, steps: &'s [FieldStep], borrowed: bool) -> impl ToCode + 's {
    Writer(move |mut code: &mut Code| {
        let root = Name::new(root);
        code_into!(code; Some(#root));
        for step in steps {
            let field = Name::new(&step.name);
            match (step.optional, borrowed) {
                (true, true) => {
                    code_into!(code; .and_then(|v| v.#field.as_ref()));
                }
                (true, false) => {
                    code_into!(code; .and_then(|v| v.#field));
                }
                (false, true) => {
                    code_into!(code; .map(|v| &v.#field));
                }
                (false, false) => {
                    code_into!(code; .map(|v| v.#field));
                }
            }
        }
    })
}

impl Emitter<'_> {
    /// What a listing adds to its builder's `__request_builder!` (after a comma): where a page keeps its
    /// items and its cursor. The runtime's macro writes `items`, `pages` and
    /// `resume_from` from it.
    pub(crate) fn paging(&self, pagination: &Pagination) -> Code {
        // The pieces are written where they are interpolated, not made as text of their own.
        let item = self.type_text(&pagination.item);
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
            let borrowed = borrowed_path("page", &pagination.items);
            let owned = owned_path("page", &pagination.items);
            (
                code!(|page| #borrowed.map(|v| v.as_slice()).unwrap_or(&[])),
                code!(|page| #owned.unwrap_or_default()),
            )
        };
        let next = Writer(|mut code: &mut Code| match &pagination.next {
            NextPage::Cursor {
                param,
                place,
                cursor,
            } => {
                let cursor = borrowed_path("page", cursor);
                let place = Name::new(match place {
                    CursorPlace::Query => "Query",
                    CursorPlace::BodyText => "BodyText",
                    CursorPlace::BodyNumber => "BodyNumber",
                });
                code_into!(code; __private::NextPage::Cursor { param: #param, place: __private::CursorPlace::#place, cursor: |page| #cursor.map(|v| v.to_string()) });
            }
            NextPage::HasMore {
                param,
                has_more,
                id,
            } => {
                let has_more = borrowed_path("page", has_more);
                let id = borrowed_path("item", id);
                code_into!(code; __private::NextPage::HasMore {
                    param: #param,
                    has_more: |page| #has_more.copied().unwrap_or(false),
                    id: |item| #id.map(|v| v.to_string()),
                });
            }
            NextPage::Offset { param, limit } => {
                let limit = option_str(limit.as_deref());
                code_into!(code; __private::NextPage::Offset { param: #param, limit: #limit });
            }
            NextPage::PageNumber { param, limit } => {
                let limit = option_str(limit.as_deref());
                code_into!(code; __private::NextPage::PageNumber { param: #param, limit: #limit });
            }
            NextPage::LinkHeader => {
                code_into!(code; __private::NextPage::LinkHeader);
            }
            NextPage::NextUrl { url } => {
                let url = borrowed_path("page", url);
                code_into!(code; __private::NextPage::NextUrl { url: |page| #url.map(|v| v.to_string()) });
            }
        });
        let how = pagination.describe_quoted('\'');
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

fn option_str(value: Option<&str>) -> impl ToCode + '_ {
    Writer(move |mut code: &mut Code| match value {
        Some(value) => {
            code_into!(code; Some(#value));
        }
        None => {
            code_into!(code; None);
        }
    })
}
