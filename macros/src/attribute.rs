//! The attribute's options, each checked at its own span.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, Lit, LitStr};
use tether_codegen::PaginationHint;

/// The options of one `#[tether::integration(...)]`.
pub(crate) struct Options {
    pub(crate) spec: LitStr,
    pub(crate) operations: Option<Vec<LitStr>>,
    pub(crate) tags: Option<Vec<LitStr>>,
    pub(crate) runtime: Option<syn::Path>,
    /// `paginate(...)` entries, each with the span to report a problem at.
    pub(crate) pagination: Vec<(PaginationHint, Span)>,
    /// `sandbox = true`: generate the sandbox server too.
    pub(crate) sandbox: bool,
    /// `partial_eq = true`: data types derive `PartialEq`.
    pub(crate) partial_eq: bool,
}

/// The values of a list option, as the generator wants them.
pub(crate) fn values(list: &Option<Vec<LitStr>>) -> Vec<String> {
    list.iter().flatten().map(LitStr::value).collect()
}

const VALID: &str = "valid options: `spec = \"path/to/spec.yaml\"`, `operations = [\"operationId\", ...]`, `tags = [\"tag\", ...]`, `paginate(operation = \"operationId\", style = \"cursor\", ...)`, `sandbox = true`, `partial_eq = true`, `crate = \"path::to::tether\"`";

const PAGINATE_KEYS: &str =
    "`operation`, `style`, `param`, `next`, `has_more`, `id`, `limit`, `items`";

/// One `paginate(operation = "...", style = "...", ...)` entry.
fn paginate(meta: &syn::meta::ParseNestedMeta) -> syn::Result<(PaginationHint, Span)> {
    let span = meta.path.span();
    let mut hint = PaginationHint::default();
    meta.parse_nested_meta(|entry| {
        let key = entry
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        let value: LitStr = entry.value()?.parse()?;
        let text = Some(value.value());
        match key.as_str() {
            "operation" => hint.operation = value.value(),
            "style" => {
                let style = value.value();
                if !tether_codegen::ir::PAGINATION_STYLES.contains(&style.as_str()) {
                    let styles = tether_codegen::ir::PAGINATION_STYLES.join(", ");
                    return Err(syn::Error::new(
                        value.span(),
                        format!("unknown pagination style `{style}`; the styles are: {styles}"),
                    ));
                }
                hint.style = style;
            }
            "param" => hint.param = text,
            "next" => hint.next = text,
            "has_more" => hint.has_more = text,
            "id" => hint.id = text,
            "limit" => hint.limit = text,
            "items" => hint.items = text,
            other => {
                return Err(entry.error(format!(
                    "unknown `paginate` key `{other}`; the keys are: {PAGINATE_KEYS}"
                )))
            }
        }
        Ok(())
    })?;
    if hint.operation.is_empty() || hint.style.is_empty() {
        return Err(syn::Error::new(span, format!("`paginate(...)` needs `operation = \"...\"` and `style = \"...\"`; the keys are: {PAGINATE_KEYS}")));
    }
    Ok((hint, span))
}

// The literals themselves are kept, so that a name the spec lacks is reported at its own span.
fn strings(array: &ExprArray) -> syn::Result<Vec<LitStr>> {
    array
        .elems
        .iter()
        .map(|element| match element {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(text),
                ..
            }) => Ok(text.clone()),
            other => Err(syn::Error::new_spanned(other, "expected a string literal")),
        })
        .collect()
}

pub(crate) fn parse(arguments: TokenStream) -> syn::Result<Options> {
    let mut spec = None;
    let mut operations = None;
    let mut tags = None;
    let mut runtime = None;
    let mut pagination = Vec::new();
    let mut sandbox = false;
    let mut partial_eq = false;
    let parser = syn::meta::parser(|meta| {
        let Some(name) = meta.path.get_ident().map(ToString::to_string) else {
            return Err(meta.error(format!("unknown option; {VALID}")));
        };
        match name.as_str() {
            "spec" => spec = Some(meta.value()?.parse::<LitStr>()?),
            "operations" | "tags" => {
                let array: ExprArray = meta.value()?.parse()?;
                let list = strings(&array)?;
                if name == "operations" {
                    operations = Some(list);
                } else {
                    tags = Some(list);
                }
            }
            "paginate" => pagination.push(paginate(&meta)?),
            "sandbox" => sandbox = meta.value()?.parse::<syn::LitBool>()?.value,
            "partial_eq" => partial_eq = meta.value()?.parse::<syn::LitBool>()?.value,
            "crate" => {
                let path: LitStr = meta.value()?.parse()?;
                runtime = Some(path.parse::<syn::Path>()?);
            }
            other => return Err(meta.error(format!("unknown option `{other}`; {VALID}"))),
        }
        Ok(())
    });
    parser.parse2(arguments)?;
    let spec = spec.ok_or_else(|| {
        syn::Error::new(
            Span::call_site(),
            format!("missing `spec = \"...\"`; {VALID}"),
        )
    })?;
    Ok(Options {
        spec,
        operations,
        tags,
        runtime,
        pagination,
        sandbox,
        partial_eq,
    })
}
