//! Expanding the attribute: generate the client and put it inside the module.

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;
use tether_codegen::{EmitOptions, GenerateError, LowerError, Problem, Selection, SelectionError};

use crate::attribute::{self, Options};
use crate::spec_path::SpecPath;

pub(crate) fn integration(arguments: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let options = attribute::parse(arguments)?;
    let mut module: syn::ItemMod = syn::parse2(item)?;
    let Some((_, items)) = &mut module.content else {
        return Err(syn::Error::new_spanned(
            &module,
            "`#[tether::integration]` needs an inline module: `pub mod name {}`",
        ));
    };

    let spec_path = SpecPath::new(&options.spec.value());
    if !spec_path.file().exists() {
        return Err(syn::Error::new(
            options.spec.span(),
            format!(
                "spec file `{}` not found: there is no `{}`; the path is relative to the directory of the crate's Cargo.toml",
                options.spec.value(),
                spec_path.file().display(),
            ),
        ));
    }
    let selection = Selection {
        operations: attribute::values(&options.operations),
        tags: attribute::values(&options.tags),
        pagination: options
            .pagination
            .iter()
            .map(|(hint, _)| hint.clone())
            .collect(),
    };
    let runtime = match &options.runtime {
        Some(path) => quote!(#path),
        None => quote!(::tether),
    };
    let emit = EmitOptions {
        runtime,
        sandbox: options.sandbox,
    };
    let generated = match tether_codegen::generate(spec_path.file(), &selection, &emit) {
        Ok(generated) => generated,
        Err(GenerateError::Spec(problems)) => {
            let errors = problems.0.into_iter().map(|problem| {
                let problem = Problem {
                    file: spec_path.shown(&problem.file),
                    ..problem
                };
                syn::Error::new(options.spec.span(), problem)
            });
            return Err(combine(errors).unwrap_or_else(|| {
                syn::Error::new(options.spec.span(), "the spec could not be read")
            }));
        }
        Err(GenerateError::Lower(LowerError::Selection(error))) => {
            return Err(selection_errors(&options, &error));
        }
        Err(GenerateError::Lower(LowerError::Pagination { operation, message })) => {
            let span = options
                .pagination
                .iter()
                .find(|(hint, _)| hint.operation == operation)
                .map_or(options.spec.span(), |(_, span)| *span);
            let message = format!("pagination of `{operation}`: {message}");
            return Err(syn::Error::new(span, message));
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

/// One error per name the spec lacks, each at that name in the attribute.
fn selection_errors(options: &Options, error: &SelectionError) -> syn::Error {
    let list = |names: &[String]| {
        names
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unknown =
        |written: &Option<Vec<LitStr>>, missing: &[String], kind: &str, known: &[String]| {
            let known = if known.is_empty() {
                format!("it has no {kind}s")
            } else {
                format!("its {kind}s are: {}", list(known))
            };
            written
                .iter()
                .flatten()
                .filter(|name| missing.contains(&name.value()))
                .map(|name| {
                    syn::Error::new(
                        name.span(),
                        format!("the spec has no {kind} `{}`; {known}", name.value()),
                    )
                })
                .collect::<Vec<_>>()
        };
    let operations = unknown(
        &options.operations,
        &error.unknown_operations,
        "operation",
        &error.known_operations,
    );
    let tags = unknown(&options.tags, &error.unknown_tags, "tag", &error.known_tags);
    combine(operations.into_iter().chain(tags))
        .unwrap_or_else(|| syn::Error::new(options.spec.span(), error.to_string()))
}

/// All of `errors` as one, so that the user sees every problem in one build.
fn combine(errors: impl IntoIterator<Item = syn::Error>) -> Option<syn::Error> {
    errors.into_iter().reduce(|mut all, error| {
        all.combine(error);
        all
    })
}
