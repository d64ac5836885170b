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
/// `sandbox = true` for a loopback server of the API (needs `tether`'s `sandbox` feature),
/// `partial_eq = true` for `PartialEq` on structs, unions and response enums (enums of values
/// always have it; off by default because it costs build time in big specs),
/// and `crate = "path::to::tether"` when the runtime dependency is renamed.
#[proc_macro_attribute]
pub fn integration(arguments: TokenStream, item: TokenStream) -> TokenStream {
    expand::integration(arguments.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Keeps a generated sandbox module as it is (`tether` with its `sandbox` feature).
#[doc(hidden)]
#[proc_macro_attribute]
pub fn sandbox_module(_: TokenStream, module: TokenStream) -> TokenStream {
    module
}

/// Replaces a generated sandbox module by one error that says how to enable it (`tether`
/// without its `sandbox` feature).
#[doc(hidden)]
#[proc_macro_attribute]
pub fn sandbox_without_feature(_: TokenStream, _: TokenStream) -> TokenStream {
    syn::Error::new(
        proc_macro2::Span::call_site(),
        "`sandbox = true` needs the `sandbox` feature of `tether`: in Cargo.toml, `tether = { version = \"...\", features = [\"sandbox\"] }`",
    )
    .into_compile_error()
    .into()
}
