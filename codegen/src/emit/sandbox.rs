//! The `sandbox` module (`sandbox = true`): a trait with one async method per operation,
//! and `serve`, which routes requests to an implementation of it. Per operation only the
//! method and a small closure that decodes its arguments are generated; routing,
//! decoding, answering and fault injection are the runtime's (`tether::sandbox`).

use super::code::{Code, Name, Unsuffixed};
use super::operations::{argument_line, framing_variant};
use super::{docs, Emitter};
use crate::ir::{
    Docs, FixedLocation, Framing, Operation, ParamLocation, ResponseBody, ResponsesDef,
    StatusMatch, Success, TypeKind,
};

/// How many operations' routes one function adds. rustc's checks of a function grow faster
/// than its closures: with one function adding all 2,958 routes of Autotask's spec, the
/// check of its client and sandbox had not ended after eleven minutes (the client alone:
/// 22 s); with 64 routes a function it took 114 s, with 16 106 s.
const ROUTES_PER_FUNCTION: usize = 16;

impl Emitter<'_> {
    /// The module; `types_path` must lead from it to the named types (`super::`).
    pub(crate) fn sandbox(&self) -> Code {
        let runtime = self.runtime;
        let title = self.api.title.trim();
        let methods = self.api.operations.iter().map(|op| self.sandbox_method(op));
        let body_kinds = self
            .api
            .operations
            .iter()
            .filter_map(|op| self.body_kinds_enum(op));
        let routes: Vec<Code> = self
            .api
            .operations
            .iter()
            .map(|op| self.sandbox_route(op))
            .collect();
        let responds = self.api.types.iter().filter_map(|definition| {
            let TypeKind::Responses(responses) = &definition.kind else {
                return None;
            };
            Some(self.respond(&definition.name, responses))
        });
        let base_path = base_path(self.api.default_base_url().unwrap_or(""));
        let module_doc = self.doc_lines(&format!(
            "A sandbox of {}: implement `sandbox::Api`, serve it on a loopback port with `sandbox::serve`, then point the `Client` at the sandbox's `base_url()`.",
            docs::sanitize(title)
        ));
        let route_groups: Vec<(Name, &[Code])> = routes
            .chunks(ROUTES_PER_FUNCTION)
            .enumerate()
            .map(|(index, group)| (Name::owned(format!("add_routes_{}", index + 1)), group))
            .collect();
        let route_group_names = route_groups.iter().map(|(name, _)| name);
        let route_group_functions = route_groups.iter().map(|(name, group)| {
            code! {
                /// Adds some of `builder`'s routes: split so that rustc checks a large
                /// sandbox as many small functions.
                fn #name<A: Api>(routes: &mut support::Routes<A>) {
                    #(#group)*
                }
            }
        });
        let routes_binding = if routes.is_empty() {
            code!(let routes)
        } else {
            code!(let mut routes)
        };
        code! {
                #module_doc
                #[#runtime::__private::sandbox_module]
                pub mod sandbox {
                    #[allow(unused_imports)]
                    use #runtime::__private::{self, chrono, serde_json, uuid};
                    use #runtime::sandbox::__private as support;

                    /// The API as a server: one method per operation, each answering
                    /// `501 Not Implemented` until it is implemented. Requests whose
                    /// parameters or body do not fit the spec's types are answered `400`
                    /// before they reach a method.
                    // A method takes every parameter of its operation, however many.
                    #[allow(clippy::too_many_arguments)]
                    pub trait Api: Send + Sync + 'static {
                        #(#methods)*
                    }

                    /// Serves `api` on a fresh port of `127.0.0.1`, on the current tokio
                    /// runtime, until the returned handle is shut down or dropped.
                    pub async fn serve(api: impl Api) -> ::std::io::Result<#runtime::sandbox::Sandbox> {
                        builder(api).serve().await
                    }

                    /// The sandbox of `api`, to configure (fault injection) before serving it.
                    pub fn builder(api: impl Api) -> #runtime::sandbox::Builder {
                        #routes_binding = support::Routes::new(api, #base_path);
                        #(#route_group_names(&mut routes);)*
                        routes.into()
                    }

                    #(#route_group_functions)*

                    #(#body_kinds)*
                    #(#responds)*
                }
        }
    }

    /// The success type of an operation, and how a success is written.
    fn reply_body(&self, success: &Success) -> (Code, Code) {
        let runtime = self.runtime;
        match success {
            Success::One(ResponseBody::Empty) => (code!(()), code!(support::empty)),
            Success::One(ResponseBody::Json(ty)) => (self.ty(ty), code!(support::json)),
            Success::One(ResponseBody::Text) => (code!(String), code!(support::text)),
            Success::One(ResponseBody::Bytes) => (code!(#runtime::Bytes), code!(support::bytes)),
            Success::Several(id) => {
                let name = Name::new(&self.api.types[id.0].name);
                let path = &self.types_path;
                (
                    code!(#path #name),
                    code!(<#path #name as support::Respond>::respond),
                )
            }
        }
    }

    /// The success type of an operation in the sandbox, and how a success is written: an
    /// operation whose response streams values answers them or its whole body.
    fn sandbox_success(&self, operation: &Operation) -> (Code, Code) {
        let (whole, encode) = self.reply_body(&operation.success);
        let Some(events) = &operation.events else {
            return (whole, encode);
        };
        let runtime = self.runtime;
        let item = self.ty(&events.item);
        let framing = framing_variant(events.framing);
        let framing = code!(__private::Framing::#framing);
        let media_type = &events.media_type;
        (
            code!(#runtime::sandbox::Streamed<#whole, #item>),
            code!(|body| support::streamed(body, #encode, #framing, #media_type)),
        )
    }

    fn reply_type(&self, operation: &Operation) -> Code {
        let runtime = self.runtime;
        let (output, _) = self.sandbox_success(operation);
        let error = match operation.error {
            Some(id) => {
                let name = Name::new(&self.api.types[id.0].name);
                let path = &self.types_path;
                code!(#path #name)
            }
            None => code!(::std::convert::Infallible),
        };
        code!(#runtime::sandbox::Reply<#output, #error>)
    }

    /// The method's arguments in order: required parameters, the body, optional
    /// parameters; each with its type and the expression that decodes it.
    fn sandbox_arguments(&self, operation: &Operation) -> Vec<(Code, Code)> {
        let required = operation.params.iter().filter(|param| param.required);
        let optional = operation.params.iter().filter(|param| !param.required);
        let param = |param: &crate::ir::Param| {
            let name = Name::new(&param.name);
            let ty = self.type_text(&param.ty).optional(!param.required);
            let wire = &param.wire_name;
            let decode = match param.location {
                _ if param.as_json => {
                    let place = match param.location {
                        ParamLocation::Path => code!(Path),
                        ParamLocation::Query => code!(Query),
                        ParamLocation::Header => code!(Header),
                        ParamLocation::Cookie => code!(Cookie),
                    };
                    code!(request.json(support::ParamPlace::#place, #wire))
                }
                ParamLocation::Path => code!(request.path(#wire)),
                ParamLocation::Query => {
                    let style = self.query_style(param.style);
                    code!(request.query(#wire, #style))
                }
                ParamLocation::Header => code!(request.header(#wire)),
                ParamLocation::Cookie => code!(request.cookie(#wire)),
            };
            (code!(#name: #ty), decode)
        };
        let body = operation
            .body
            .iter()
            .map(|body| self.received_body(operation, body));
        required
            .map(param)
            .chain(body)
            .chain(optional.map(param))
            .collect()
    }

    fn sandbox_method(&self, operation: &Operation) -> Code {
        let name = Name::new(&operation.method_name);
        let arguments = self
            .sandbox_arguments(operation)
            .into_iter()
            .map(|(argument, _)| argument);
        let reply = self.reply_type(operation);
        let mut extra = vec![format!(
            "`{} {}` (`{}`)",
            operation.http_method, operation.path, operation.id
        )];
        let described: Vec<String> = operation
            .params
            .iter()
            .map(|param| {
                let line = argument_line(param);
                if param.required {
                    line
                } else {
                    format!("{line} (`None` when not sent)")
                }
            })
            .chain(operation.body.iter().map(|body| {
                let requirement = if body.required {
                    ""
                } else {
                    " (`None` when not sent)"
                };
                let kinds = if operation.alternative_bodies.is_empty() {
                    ""
                } else {
                    ", in the media type it came in"
                };
                format!("- `body`: the request body{kinds}{requirement}")
            }))
            .collect();
        if !described.is_empty() {
            extra.push(format!("Arguments:\n{}", described.join("\n")));
        }
        if let Some(events) = &operation.events {
            let framing = match events.framing {
                Framing::ServerSentEvents => "one server-sent event each",
                Framing::JsonLines => "one line of JSON each",
            };
            extra.push(format!(
                "Answers `Streamed::Whole` with the whole response, or `Streamed::Values` with the values the response streams ({framing})."
            ));
        }
        extra.push("Answers `501 Not Implemented` until implemented.".to_owned());
        let docs = self.doc_attributes(
            &Docs {
                summary: operation.docs.summary.clone(),
                description: operation.docs.description.clone(),
                notes: Vec::new(),
            },
            &extra,
        );
        let runtime = self.runtime;
        code! {
            #docs
            #[allow(unused_variables)]
            fn #name(&self, #(#arguments),*) -> impl ::std::future::Future<Output = #reply> + Send {
                async { #runtime::sandbox::Reply::not_implemented() }
            }
        }
    }

    fn sandbox_route(&self, operation: &Operation) -> Code {
        let runtime = self.runtime;
        // A method without a constant is made from its name, which lowering checked.
        let (method, made) = match self.method_constant(&operation.http_method) {
            Some(constant) => (constant, None),
            None => {
                let name = &operation.http_method;
                let made =
                    code!(if let Ok(method) = #runtime::Method::from_bytes(#name.as_bytes()));
                (code!(method), Some(made))
            }
        };
        let template = operation.sent_template();
        let id = &operation.id;
        let status = Unsuffixed(operation.success_status);
        let (_, encode) = self.sandbox_success(operation);
        let name = Name::new(&operation.method_name);
        let (names, decodes): (Vec<_>, Vec<_>) = self
            .sandbox_arguments(operation)
            .into_iter()
            .enumerate()
            .map(|(index, (_, decode))| (Name::owned(format!("a{index}")), decode))
            .unzip();
        // An operation without parameters or body reads nothing from the request.
        let request = if names.is_empty() {
            code!(_)
        } else {
            code!(request)
        };
        // A request of the operation carries its fixed parameters, which is how operations
        // that share a method and path (AWS's `POST /`) are told apart.
        let fixed: Vec<Code> = operation
            .fixed_params
            .iter()
            .filter_map(|fixed| {
                let (wire, value) = (&fixed.wire_name, &fixed.value);
                match fixed.location {
                    FixedLocation::Query => Some(code!(support::Fixed::Query(#wire, #value))),
                    FixedLocation::Header => Some(code!(support::Fixed::Header(#wire, #value))),
                    FixedLocation::Cookie => None,
                }
            })
            .collect();
        let key = if fixed.is_empty() {
            code!((#method, #template, #id))
        } else {
            code!((#method, #template, #id, &[#(#fixed),*]))
        };
        let add = code! {
            routes.add(
                #key,
                #status,
                #encode,
                |api, #request: &support::Incoming| {
                    #(let #names = #decodes?;)*
                    Ok(async move { api.#name(#(#names),*).await })
                },
            );
        };
        match made {
            Some(made) => code!(#made { #add }),
            None => add,
        }
    }

    /// How a response enum is answered: each variant's body with its status.
    fn respond(&self, name: &str, responses: &ResponsesDef) -> Code {
        let name = Name::new(name);
        let path = &self.types_path;
        let arms = responses.variants.iter().map(|variant| {
            let variant_name = Name::new(&variant.name);
            let status = Unsuffixed(match variant.status {
                StatusMatch::Code(code) => code,
                StatusMatch::Range(range) => range * 100,
                StatusMatch::Default => 500,
            });
            match &variant.body {
                ResponseBody::Empty => {
                    code!(Self::#variant_name => support::empty(()).status(#status))
                }
                ResponseBody::Json(_) => {
                    code!(Self::#variant_name(body) => support::json(body).status(#status))
                }
                ResponseBody::Text => {
                    code!(Self::#variant_name(body) => support::text(body).status(#status))
                }
                ResponseBody::Bytes => {
                    code!(Self::#variant_name(body) => support::bytes(body).status(#status))
                }
            }
        });
        code! {
            impl support::Respond for #path #name {
                fn respond(self) -> support::Encoded {
                    match self {
                        #(#arms,)*
                    }
                }
            }
        }
    }
}

/// The path of the spec's server URL (`https://api.example.com/v1` → `/v1`), which the
/// client's requests start with.
fn base_path(url: &str) -> String {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |start| &rest[start..]),
        None if url.starts_with('/') => url,
        None => "",
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::base_path;

    #[test]
    fn base_paths_are_the_server_urls_paths() {
        assert_eq!(base_path("http://localhost:8080/v1"), "/v1");
        assert_eq!(base_path("https://api.hubapi.com"), "");
        assert_eq!(base_path("https://slack.com/api/"), "/api");
        assert_eq!(base_path("/services/data"), "/services/data");
        assert_eq!(base_path(""), "");
    }
}
