//! `items()`, `pages()` and `resume_from()` on the builders of list operations: a
//! description of where a page keeps its items and its cursor, for the runtime's pager.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Emitter};
use crate::ir::{FieldStep, NextPage, Pagination};

/// `Some(root)` followed along `steps` by reference: an `Option<&T>` of the last field.
fn borrowed_path(root: TokenStream, steps: &[FieldStep]) -> TokenStream {
    let steps = steps.iter().map(|step| {
        let field = ident(&step.name);
        if step.optional {
            quote!(.and_then(|v| v.#field.as_ref()))
        } else {
            quote!(.map(|v| &v.#field))
        }
    });
    quote!(Some(#root) #(#steps)*)
}

/// `Some(root)` followed along `steps` by value: an `Option<T>` of the last field.
fn owned_path(root: TokenStream, steps: &[FieldStep]) -> TokenStream {
    let steps = steps.iter().map(|step| {
        let field = ident(&step.name);
        if step.optional {
            quote!(.and_then(|v| v.#field))
        } else {
            quote!(.map(|v| v.#field))
        }
    });
    quote!(Some(#root) #(#steps)*)
}

impl Emitter<'_> {
    /// The paging methods of a builder whose call yields `page` and fails with `error`.
    pub(crate) fn paging_methods(
        &self,
        pagination: &Pagination,
        page: &TokenStream,
        error: &TokenStream,
    ) -> TokenStream {
        let runtime = self.runtime;
        let item = self.ty(&pagination.item);
        let direct = pagination.items.iter().all(|step| !step.optional);
        let (items, into_items) = if pagination.items.is_empty() {
            (quote!(|page| page.as_slice()), quote!(|page| page))
        } else if direct {
            let fields: Vec<_> = pagination
                .items
                .iter()
                .map(|step| ident(&step.name))
                .collect();
            (
                quote!(|page| &page #(.#fields)*),
                quote!(|page| page #(.#fields)*),
            )
        } else {
            let borrowed = borrowed_path(quote!(page), &pagination.items);
            let owned = owned_path(quote!(page), &pagination.items);
            (
                quote!(|page| #borrowed.map(|v| v.as_slice()).unwrap_or(&[])),
                quote!(|page| #owned.unwrap_or_default()),
            )
        };
        let next_page = quote!(#runtime::__private::NextPage);
        let next = match &pagination.next {
            NextPage::Cursor {
                param,
                in_body,
                cursor,
            } => {
                let cursor = borrowed_path(quote!(page), cursor);
                quote!(#next_page::Cursor { param: #param, in_body: #in_body, cursor: |page| #cursor.map(|v| v.to_string()) })
            }
            NextPage::HasMore {
                param,
                has_more,
                id,
            } => {
                let has_more = borrowed_path(quote!(page), has_more);
                let id = borrowed_path(quote!(item), id);
                quote!(#next_page::HasMore {
                    param: #param,
                    has_more: |page| #has_more.copied().unwrap_or(false),
                    id: |item| #id.map(|v| v.to_string()),
                })
            }
            NextPage::Offset { param, limit } => {
                let limit = option_str(limit.as_deref());
                quote!(#next_page::Offset { param: #param, limit: #limit })
            }
            NextPage::PageNumber { param, limit } => {
                let limit = option_str(limit.as_deref());
                quote!(#next_page::PageNumber { param: #param, limit: #limit })
            }
            NextPage::LinkHeader => quote!(#next_page::LinkHeader),
            NextPage::NextUrl { url } => {
                let url = borrowed_path(quote!(page), url);
                quote!(#next_page::NextUrl { url: |page| #url.map(|v| v.to_string()) })
            }
        };
        let style = format!(" Pages: {}.", pagination.describe().replace('`', "'"));
        quote! {
            const PAGING: #runtime::__private::Paging<#page, #item> = #runtime::__private::Paging {
                next: #next,
                items: #items,
                into_items: #into_items,
            };

            /// Every item across all pages, one page in memory at a time.
            #[doc = ""]
            #[doc = #style]
            #[inline]
            pub fn items(self) -> #runtime::Items<#page, #item, #error> {
                #runtime::__private::items(self.0, Self::PAGING)
            }

            /// Every page, each with the cursor of the page after it.
            #[inline]
            pub fn pages(self) -> #runtime::Pages<#page, #item, #error> {
                #runtime::__private::pages(self.0, Self::PAGING)
            }

            /// Starts the listing at a cursor saved from an earlier page.
            #[inline]
            pub fn resume_from(mut self, cursor: #runtime::Cursor) -> Self {
                self.0.resume_from(cursor);
                self
            }
        }
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}
