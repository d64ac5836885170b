//! How a sandbox method receives its operation's request body. An operation that takes
//! its body in several kinds of media type (the client has a method per kind) gets an
//! enum of those kinds in the sandbox, and the request's `Content-Type` picks the variant.

use super::code::{Code, Name};
use super::operations::media_type;
use super::Emitter;
use crate::ir::{BodyEncoding, Operation, RequestBody};

impl Emitter<'_> {
    /// The body argument of `operation`'s sandbox method (`body: T`) and the expression
    /// that decodes it from the request (a `Result`).
    pub(crate) fn received_body(&self, operation: &Operation, body: &RequestBody) -> (Code, Code) {
        if operation.alternative_bodies.is_empty() {
            let ty = self.received_type(body);
            let ty = if body.required {
                ty
            } else {
                code!(Option<#ty>)
            };
            return (code!(body: #ty), decoder(body));
        }
        let name = kinds_enum_name(operation);
        let ty = if body.required {
            code!(#name)
        } else {
            code!(Option<#name>)
        };
        let decode_as = |body: &RequestBody| {
            let decode = decoder(body);
            let variant = variant_name(&body.encoding);
            if body.required {
                code!(#decode.map(#name::#variant))
            } else {
                code!(#decode.map(|body: Option<_>| body.map(#name::#variant)))
            }
        };
        // Each kind by its media type, wildcards last; a request naming none of them is
        // read as the first kind, as a body without a `Content-Type` always was.
        let mut kinds: Vec<&RequestBody> = operation.bodies().collect();
        kinds.sort_by_key(|body| media_type(&body.encoding).contains('*'));
        let branches = kinds.iter().map(|body| {
            let media = media_type(&body.encoding);
            let decode = decode_as(body);
            code!(if request.has_content_type(#media) { #decode })
        });
        let fallback = decode_as(body);
        (code!(body: #ty), code!((#(#branches else)* { #fallback })))
    }

    /// The enum of the kinds `operation` takes its body in, when it takes several.
    pub(crate) fn body_kinds_enum(&self, operation: &Operation) -> Option<Code> {
        if operation.alternative_bodies.is_empty() {
            return None;
        }
        let name = kinds_enum_name(operation);
        let doc = format!(
            " The request body of [`Api::{}`], in the kind of media type the request sent it as.",
            operation.method_name
        );
        let variants = operation.bodies().map(|body| {
            let variant = variant_name(&body.encoding);
            let ty = self.received_type(body);
            let doc = format!(" Sent as `{}`.", media_type(&body.encoding));
            code!(#[doc = #doc] #variant(#ty))
        });
        Some(code! {
            #[doc = #doc]
            #[derive(Debug)]
            pub enum #name {
                #(#variants),*
            }
        })
    }

    /// The body's type as a sandbox method receives it (without the `Option` of an
    /// optional body).
    fn received_type(&self, body: &RequestBody) -> Code {
        let runtime = self.runtime;
        match body.encoding {
            BodyEncoding::Bytes(_) => code!(#runtime::Bytes),
            BodyEncoding::Text(_) => code!(String),
            BodyEncoding::MultipartForm => code!(#runtime::MultipartForm),
            _ => self.ty(&body.ty),
        }
    }
}

/// The request method that decodes a body of this kind.
fn decoder(body: &RequestBody) -> Code {
    match body.encoding {
        BodyEncoding::Json(_) => code!(request.json_body()),
        BodyEncoding::Form { .. } => code!(request.form_body()),
        BodyEncoding::Multipart(_) => code!(request.multipart_body()),
        BodyEncoding::MultipartForm => code!(request.multipart_form()),
        BodyEncoding::Bytes(_) | BodyEncoding::Text(_) => code!(request.raw_body()),
    }
}

/// `<Builder>Bodies`: unique, since builder names are, and alone in the sandbox module
/// with that ending (`<Builder>Body` is often the name of the JSON body's own type).
fn kinds_enum_name(operation: &Operation) -> Name<'static> {
    Name::owned(format!("{}Bodies", operation.builder_name))
}

/// The variant of a kind; an operation takes each kind once.
fn variant_name(encoding: &BodyEncoding) -> Name<'static> {
    Name::new(match encoding {
        BodyEncoding::Json(_) => "Json",
        BodyEncoding::Form { .. } => "Form",
        BodyEncoding::Multipart(_) | BodyEncoding::MultipartForm => "Multipart",
        BodyEncoding::Text(_) => "Text",
        BodyEncoding::Bytes(_) => "Bytes",
    })
}
