//! The `#[tether::integration]` attribute. Thin: it parses the attribute, calls
//! `tether-codegen`, and turns problems into compile errors. Use it through `tether`.

mod attribute;
mod expand;
mod spec_path;

use proc_macro::TokenStream;

/// Generates a typed client for an OpenAPI document inside the annotated module.
///
/// ```ignore
/// #[tether::integration(spec = "specs/petstore.yaml")]
/// pub mod petstore {}
/// ```
///
/// Options: `spec = "path"` (required, relative to the crate's `Cargo.toml`),
/// `operations = ["operationId", ...]`, `tags = ["tag", ...]`, and
/// `crate = "path::to::tether"` when the runtime dependency is renamed.
#[proc_macro_attribute]
pub fn integration(arguments: TokenStream, item: TokenStream) -> TokenStream {
    expand::integration(arguments.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
