//! The attribute's options, each checked at its own span.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::{Expr, ExprArray, Lit, LitStr};

/// The options of one `#[tether::integration(...)]`.
pub(crate) struct Options {
    pub(crate) spec: LitStr,
    pub(crate) operations: Option<Vec<LitStr>>,
    pub(crate) tags: Option<Vec<LitStr>>,
    pub(crate) runtime: Option<syn::Path>,
}

/// The values of a list option, as the generator wants them.
pub(crate) fn values(list: &Option<Vec<LitStr>>) -> Vec<String> {
    list.iter().flatten().map(LitStr::value).collect()
}

const VALID: &str = "valid options: `spec = \"path/to/spec.yaml\"`, `operations = [\"operationId\", ...]`, `tags = [\"tag\", ...]`, `crate = \"path::to::tether\"`";

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
    })
}
