//! Expanding the attribute: generate the client and put it inside the module.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;
use tether_codegen::{EmitOptions, GenerateError, Selection};

use crate::attribute;

pub(crate) fn integration(arguments: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let options = attribute::parse(arguments)?;
    let mut module: syn::ItemMod = syn::parse2(item)?;
    let Some((_, items)) = &mut module.content else {
        return Err(syn::Error::new_spanned(
            &module,
            "`#[tether::integration]` needs an inline module: `pub mod name {}`",
        ));
    };

    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_owned());
    let path = PathBuf::from(manifest_dir).join(options.spec.value());
    let selection = Selection {
        operations: options
            .operations
            .as_ref()
            .map(|(ids, _)| ids.clone())
            .unwrap_or_default(),
        tags: options
            .tags
            .as_ref()
            .map(|(tags, _)| tags.clone())
            .unwrap_or_default(),
    };
    let runtime = match &options.runtime {
        Some(path) => quote!(#path),
        None => quote!(::tether),
    };
    let generated = match tether_codegen::generate(&path, &selection, &EmitOptions { runtime }) {
        Ok(generated) => generated,
        Err(GenerateError::Spec(problems)) => {
            let mut errors = problems
                .0
                .iter()
                .map(|problem| syn::Error::new(options.spec.span(), problem.to_string()));
            let mut combined = errors.next().unwrap_or_else(|| {
                syn::Error::new(options.spec.span(), "the spec could not be read")
            });
            errors.for_each(|error| combined.combine(error));
            return Err(combined);
        }
        Err(GenerateError::Selection(error)) => {
            let span = match (
                &error.unknown_operations.is_empty(),
                &options.operations,
                &options.tags,
            ) {
                (false, Some((_, span)), _) => *span,
                (_, _, Some((_, span))) => *span,
                _ => options.spec.span(),
            };
            return Err(syn::Error::new(span, error.to_string()));
        }
    };

    // Reading every spec file through `include_bytes!` makes cargo rebuild the crate
    // when any of them changes.
    let tracked = generated
        .files
        .iter()
        .filter_map(|file| file.to_str())
        .map(|file| {
            quote!(
                const _: &[u8] = include_bytes!(#file);
            )
        });
    let tokens = generated.tokens;
    items.push(syn::Item::Verbatim(quote! {
        #(#tracked)*
        #tokens
    }));
    Ok(quote!(#module))
}
