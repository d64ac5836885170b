//! One client method and one request builder per operation. The method and the setters
//! only describe the request to the runtime's `Call`; the runtime sends it.

use std::fmt::Write as _;
use std::rc::Rc;

use super::code::{Code, Name, ToCode, Writer};
use super::{docs, Emitter, SameParam};
use crate::ir::{
    BodyEncoding, EnumWire, EventStream, FixedLocation, Framing, Operation, Param, ParamLocation,
    PathSegment, Primitive, QueryStyle, RequestBody, ResponseBody, Success, TypeKind, TypeRef,
};

/// The methods `http::Method` has a constant for.
const METHOD_CONSTANTS: [&str; 9] = [
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT",
];

/// The name of `http_method`'s `Method` constant; `None` for methods that have none.
fn method_constant_name(http_method: &str) -> Option<Name<'_>> {
    METHOD_CONSTANTS
        .contains(&http_method)
        .then(|| Name::new(http_method))
}

impl<'a> Emitter<'a> {
    /// `Method::GET` and the like; `None` for other methods (OpenAPI 3.2's `QUERY`, or an
    /// `additionalOperations` method), which are made from their name.
    pub(crate) fn method_constant(&self, http_method: &str) -> Option<Code> {
        let runtime = self.runtime;
        method_constant_name(http_method).map(|constant| code!(#runtime::Method::#constant))
    }

    /// The client method and the request builder of `operation`, whose builder writes
    /// `param_setters` (those of [`Emitter::optional_param_setters`] it does not share with
    /// other builders: see [`super::shared_setters`]), written from the copies kept there.
    pub(crate) fn operation(&self, operation: &Operation, param_setters: Vec<Rc<Code>>) -> Code {
        let runtime = self.runtime;
        let method_name = Name::new(&operation.method_name);
        let builder = Name::new(&operation.builder_name);
        let id = &operation.id;
        // The small pieces are written where they are interpolated (`Writer`), not made
        // as text of their own: each was an allocation per operation.
        let (output, decoder) = self.success(&operation.success);
        // The builder's `__start` (from the runtime's macro) makes the call from these.
        let http_method =
            Writer(
                |mut code: &mut Code| match method_constant_name(&operation.http_method) {
                    Some(constant) => {
                        code_into!(code; #constant);
                    }
                    None => {
                        let name = &operation.http_method;
                        code_into!(code; #name);
                    }
                },
            );
        let start_call = Writer(|mut code: &mut Code| {
            code_into!(code; #builder::__start(&self.http));
        });
        let error = Writer(|mut code: &mut Code| match operation.error {
            Some(id) => {
                let name = Name::new(&self.api.types[id.0].name);
                code_into!(code; #name);
            }
            None => {
                code_into!(code; ::std::convert::Infallible);
            }
        });

        // The statements that set the call up, written one after another into one text
        // (each its own piece of code was a tenth of emission's allocations).
        let call = &Name::new("call");
        // About a line of 50 bytes each, enough that the text seldom grows.
        let mut statements =
            Code::with_capacity(50 * (operation.path_segments.len() + operation.params.len() + 2));
        for segment in &operation.path_segments {
            match segment {
                PathSegment::Literal(text) => {
                    code_into!(statements; call.path(#text););
                }
                PathSegment::Param(index) => {
                    let param = &operation.params[*index];
                    self.set_param(&mut statements, call, param, &Name::new(&param.name));
                }
            }
        }
        let required = || operation.params.iter().filter(|param| param.required);
        for param in required().filter(|param| param.location != ParamLocation::Path) {
            self.set_param(&mut statements, call, param, &Name::new(&param.name));
        }
        // `, name: Type` for each required parameter, the body aside.
        let arguments = Writer(|mut code: &mut Code| {
            for param in required() {
                let name = Name::new(&param.name);
                let ty = self.argument_type(&param.ty);
                code_into!(code; , #name: #ty);
            }
        });
        for fixed in &operation.fixed_params {
            let (wire, value) = (&fixed.wire_name, &fixed.value);
            match fixed.location {
                FixedLocation::Query => {
                    code_into!(statements; call.query_text(#wire, &#value););
                }
                FixedLocation::Header => {
                    code_into!(statements; call.header_text(#wire, &#value););
                }
                FixedLocation::Cookie => {
                    code_into!(statements; call.cookie(#wire, &#value););
                }
            }
        }
        if let Some(server) = &operation.own_server {
            code_into!(statements; call.own_server(Self::DEFAULT_BASE_URL, #server););
        }
        if !operation.security.is_empty() {
            let alternatives = operation
                .security
                .iter()
                .map(|schemes| code!(&[#(#schemes),*]));
            code_into!(statements; call.security(&[#(#alternatives),*]););
        }
        if let Some(rule) = &operation.error_when {
            let (property, equals) = (&rule.property, rule.equals.to_string());
            code_into!(statements; call.error_when(#property, #equals););
        }
        // The runtime then sends a key with every write it makes, so that it can retry them.
        if let Some(header) = operation.params.iter().find(|param| {
            param.location == ParamLocation::Header
                && param.wire_name.eq_ignore_ascii_case("idempotency-key")
        }) {
            let wire = &header.wire_name;
            code_into!(statements; call.idempotency_header(#wire););
        }
        let mut body_setters = Vec::new();
        let deprecated = Writer(|code: &mut Code| {
            if operation.deprecated {
                code_into!(code; #[deprecated]);
            }
        });
        // Each other kind of body the operation takes: for a required body, a client method
        // with the same arguments but the body's type; for an optional one, a setter.
        let mut alternative_methods = Vec::new();
        for alternative in &operation.alternative_bodies {
            let body = &alternative.body;
            let name = Name::new(&alternative.method_name);
            let ty = self.body_type(body);
            let media = media_type(&body.encoding);
            if body.required {
                let mut set = Code::new();
                self.set_body(&mut set, call, body, &Name::new("body"));
                let doc = format!(
                    " Like [`Client::{}`], with the body sent as `{media}`.",
                    operation.method_name
                );
                alternative_methods.push(code! {
                    #[doc = #doc]
                    #deprecated
                    #[inline]
                    pub fn #name(&self #arguments, body: #ty) -> #builder {
                        let mut call = #start_call;
                        #statements
                        #set
                        #builder(call)
                    }
                });
            } else {
                let mut set = Code::new();
                self.set_body(&mut set, &code!(self.0), body, &Name::new("body"));
                let doc = format!(" The request body (optional), sent as `{media}`.");
                body_setters.push(code! {
                    #[doc = #doc]
                    #[inline]
                    pub fn #name(mut self, body: #ty) -> Self {
                        #set
                        self
                    }
                });
            }
        }
        let mut body_argument = None;
        if let Some(body) = &operation.body {
            let ty = self.body_type(body);
            if body.required {
                self.set_body(&mut statements, call, body, &Name::new("body"));
                body_argument = Some(code!(, body: #ty));
            } else {
                let mut set = Code::new();
                self.set_body(&mut set, &code!(self.0), body, &Name::new("body"));
                let doc =
                    self.doc_attributes(&body.docs, &["The request body (optional).".to_owned()]);
                body_setters.push(code! {
                    #doc
                    #[inline]
                    pub fn body(mut self, body: #ty) -> Self {
                        #set
                        self
                    }
                });
            }
        }
        // Binary and text bodies can be large (a download, a log followed as it grows).
        let bytes_stream = Writer(|code: &mut Code| {
            if matches!(
                operation.success,
                Success::One(ResponseBody::Bytes | ResponseBody::Text)
            ) {
                code_into!(code; , bytes_stream);
            }
        });
        let paging = operation
            .pagination
            .as_ref()
            .map(|pagination| self.paging(pagination));
        let events = operation.events.as_ref().map(|events| self.events(events));
        let method_doc = self.method_docs(operation);
        // What every builder has is written by the runtime's macro, once for all builders.
        let method = operation.method_name.as_str();
        let own_methods = Writer(|mut code: &mut Code| {
            if !body_setters.is_empty() || !param_setters.is_empty() {
                code_into!(code; impl #builder { #(#body_setters)* #(#param_setters)* });
            }
        });
        // A call with nothing to set (an empty path, no parameters, no credentials) is not changed.
        let body = Writer(|mut code: &mut Code| {
            if statements.as_str().is_empty() {
                code_into!(code; #builder(#start_call));
            } else {
                code_into!(code;
                    let mut call = #start_call;
                    #statements
                    #builder(call)
                );
            }
        });
        code! {
            impl Client {
                #method_doc
                #deprecated
                #[inline]
                pub fn #method_name(&self #arguments #body_argument) -> #builder {
                    #body
                }

                #(#alternative_methods)*
            }

            #runtime::__request_builder!(#builder, #method, #output, #error, #http_method #id #decoder #paging #events #bytes_stream);
            #own_methods
        }
    }

    /// The setters of `operation`'s optional parameters, in order. Specs repeat
    /// parameters word for word across operations (every Kubernetes list operation takes
    /// the same ten, with long descriptions): each distinct one is written once, and shared
    /// rather than copied.
    pub(crate) fn optional_param_setters(&self, operation: &'a Operation) -> Vec<Rc<Code>> {
        operation
            .params
            .iter()
            .filter(|param| !param.required)
            .map(|param| {
                let mut setters = self.setters.borrow_mut();
                let setter = setters
                    .entry(SameParam(param))
                    .or_insert_with(|| Rc::new(self.optional_param_setter(param)));
                Rc::clone(setter)
            })
            .collect()
    }

    /// The builder method that sets one optional parameter.
    fn optional_param_setter(&self, param: &Param) -> Code {
        let name = Name::new(&param.name);
        let ty = self.argument_type(&param.ty);
        let mut set = Code::new();
        self.set_param(&mut set, &code!(self.0), param, &name);
        let doc = self.doc_attributes(
            &param.docs,
            &[format!(
                "Sets the optional {} parameter `{}`.",
                location_word(param.location),
                param.wire_name
            )],
        );
        let deprecated = param.deprecated.then(|| code!(#[deprecated]));
        code! {
            #doc
            #deprecated
            #[inline]
            pub fn #name(mut self, #name: #ty) -> Self {
                #set
                self
            }
        }
    }

    /// What a builder whose success is also sent as a stream of values adds to its
    /// `__request_builder!` (after a comma): the runtime's macro writes its
    /// `event_stream` from it.
    fn events(&self, events: &EventStream) -> Code {
        let item = self.ty(&events.item);
        let framing = framing_variant(events.framing);
        let media_type = &events.media_type;
        code!(, events #item: #framing #media_type)
    }

    /// The output type and the decoder of a successful response (the name of the
    /// runtime's function).
    fn success<'s>(&'s self, success: &'s Success) -> (impl ToCode + use<'s, 'a>, Name<'static>) {
        let output = Writer(move |mut code: &mut Code| match success {
            Success::One(ResponseBody::Empty) => {
                code_into!(code; ());
            }
            Success::One(ResponseBody::Json(ty)) => self.type_text(ty).write_to(code),
            Success::One(ResponseBody::Text) => {
                code_into!(code; String);
            }
            Success::One(ResponseBody::Bytes) => {
                let runtime = self.runtime;
                code_into!(code; #runtime::Bytes);
            }
            Success::Several(id) => {
                let name = Name::new(&self.api.types[id.0].name);
                code_into!(code; #name);
            }
        });
        let decoder = match success {
            Success::One(ResponseBody::Empty) => "empty",
            Success::One(ResponseBody::Json(_)) => "json",
            Success::One(ResponseBody::Text) => "text",
            Success::One(ResponseBody::Bytes) => "bytes",
            Success::Several(_) => "by_status",
        };
        (output, Name::new(decoder))
    }

    /// Parameter types as arguments: strings are borrowed.
    fn argument_type<'t>(&'t self, ty: &'t TypeRef) -> impl ToCode + use<'t, 'a> {
        Writer(move |code: &mut Code| match ty {
            TypeRef::Primitive(Primitive::String) => {
                code_into!(code; &str);
            }
            other => self.type_text(other).write_to(code),
        })
    }

    fn body_type(&self, body: &RequestBody) -> Code {
        let runtime = self.runtime;
        match body.encoding {
            BodyEncoding::Bytes(_) => code!(impl Into<#runtime::Bytes>),
            BodyEncoding::Text(_) => code!(String),
            BodyEncoding::MultipartForm => code!(#runtime::MultipartForm),
            _ => self.ty(&body.ty),
        }
    }

    fn set_param(
        &self,
        mut out: &mut Code,
        target: &(impl ToCode + ?Sized),
        param: &Param,
        value: &(impl ToCode + ?Sized),
    ) {
        if param.as_json {
            // Its JSON text is sent as a string parameter's text would be.
            let wire = &param.wire_name;
            let string = TypeRef::Primitive(Primitive::String);
            let mut set = Code::new();
            self.set_typed_param(&mut set, target, param, &string, &Name::new("json"));
            code_into!(out;
                if let Some(json) = #target.json_text(#wire, &#value) {
                    #set
                }
            );
            return;
        }
        self.set_typed_param(out, target, param, &param.ty, value)
    }

    /// Sets `param` to `value`, of type `ty`.
    fn set_typed_param(
        &self,
        mut out: &mut Code,
        target: &(impl ToCode + ?Sized),
        param: &Param,
        ty: &TypeRef,
        value: &(impl ToCode + ?Sized),
    ) {
        let wire = &param.wire_name;
        let text = self.param_text(ty, value);
        match (param.location, text) {
            (ParamLocation::Path, Some(text)) => {
                code_into!(out; #target.path_text(#wire, #text););
            }
            (ParamLocation::Path, None) => {
                code_into!(out; #target.path_param(#wire, &#value););
            }
            (ParamLocation::Header, Some(text)) => {
                code_into!(out; #target.header_text(#wire, #text););
            }
            (ParamLocation::Header, None) => {
                code_into!(out; #target.header(#wire, &#value););
            }
            (ParamLocation::Cookie, _) => {
                code_into!(out; #target.cookie(#wire, &#value););
            }
            (ParamLocation::Query, Some(text)) => {
                code_into!(out; #target.query_text(#wire, #text););
            }
            (ParamLocation::Query, None) => {
                let style = self.query_style(param.style);
                code_into!(out; #target.query(#wire, &#value, #style););
            }
        }
    }

    /// A parameter value of type `ty` as the runtime's `&dyn Display`, when its text is what
    /// serde would write (strings, integers, booleans, UUIDs, enums): the runtime
    /// then writes it without serde, and no serde code is built for the parameter. `None`
    /// for arrays, objects, floats, dates and nullable values, which go through serde.
    fn param_text<'v, V: ToCode + ?Sized>(
        &self,
        ty: &TypeRef,
        value: &'v V,
    ) -> Option<impl ToCode + use<'v, V>> {
        let form = self.text_form(ty)?;
        Some(Writer(move |mut code: &mut Code| match form {
            TextForm::Itself => {
                code_into!(code; &#value);
            }
            TextForm::StringEnum => {
                code_into!(code; &#value.as_str());
            }
            TextForm::IntegerEnum => {
                code_into!(code; &#value.as_i64());
            }
        }))
    }

    /// How a value of type `ty` is its parameter text ([`Emitter::param_text`]), if it is.
    fn text_form(&self, ty: &TypeRef) -> Option<TextForm> {
        match ty {
            TypeRef::Primitive(primitive)
                if primitive.is_integer()
                    || matches!(
                        primitive,
                        Primitive::Bool | Primitive::String | Primitive::Uuid
                    ) =>
            {
                Some(TextForm::Itself)
            }
            TypeRef::Named(id) => match &self.api.types[id.0].kind {
                TypeKind::Enum(enumeration) => Some(match enumeration.wire {
                    EnumWire::String => TextForm::StringEnum,
                    EnumWire::Integer => TextForm::IntegerEnum,
                }),
                TypeKind::Alias(aliased) => self.text_form(aliased),
                _ => None,
            },
            _ => None,
        }
    }

    /// The runtime's `QueryStyle` for a query parameter written in `style`.
    pub(crate) fn query_style(&self, style: QueryStyle) -> Code {
        let runtime = self.runtime;
        match style {
            QueryStyle::Form { explode } => {
                code!(#runtime::QueryStyle::Form { explode: #explode })
            }
            QueryStyle::SpaceDelimited => code!(#runtime::QueryStyle::SpaceDelimited),
            QueryStyle::PipeDelimited => code!(#runtime::QueryStyle::PipeDelimited),
            QueryStyle::DeepObject => code!(#runtime::QueryStyle::DeepObject),
        }
    }

    fn set_body(
        &self,
        mut out: &mut Code,
        target: &(impl ToCode + ?Sized),
        body: &RequestBody,
        value: &(impl ToCode + ?Sized),
    ) {
        match &body.encoding {
            BodyEncoding::Json(media) => {
                code_into!(out; #target.json_body(#media, &#value););
            }
            BodyEncoding::Form { indexed_arrays } => {
                code_into!(out; #target.form_body(&#value, #indexed_arrays););
            }
            BodyEncoding::Bytes(media) | BodyEncoding::Text(media) => {
                code_into!(out; #target.bytes_body(#media, #value););
            }
            BodyEncoding::Multipart(parts) => {
                let parts = parts.iter().map(|part| {
                    let field = Name::new(&part.field);
                    let wire = &part.wire_name;
                    // Sending a deprecated field the caller set is no use of it.
                    let allow = part.deprecated.then(|| code!(#[allow(deprecated)]));
                    match (part.file, part.required) {
                        (true, true) => code!(#allow #target.multipart_file(#wire, #value.#field);),
                        (true, false) => code! {
                            #allow
                            if let Some(file) = #value.#field {
                                #target.multipart_file(#wire, file);
                            }
                        },
                        (false, _) => code!(#allow #target.multipart_field(#wire, &#value.#field);),
                    }
                });
                code_into!(out; #(#parts)*);
            }
            BodyEncoding::MultipartForm => {
                code_into!(out; #target.multipart_form(#value););
            }
        }
    }

    fn method_docs<'s>(&'s self, operation: &'s Operation) -> impl ToCode + use<'s, 'a> {
        // The lines after the spec's text, written into one paragraph text (the blank
        // lines between them included) rather than a string for each line and list.
        let mut extra = String::with_capacity(128 + 96 * operation.params.len());
        match &operation.own_server {
            Some(server) => {
                let _ = write!(
                    extra,
                    "`{} {}` on `{server}` while the client's base URL is [`Client::DEFAULT_BASE_URL`]",
                    operation.http_method, operation.path
                );
            }
            None => {
                for part in ["`", &operation.http_method, " ", &operation.path, "`"] {
                    extra.push_str(part);
                }
            }
        }
        if !operation.signed_by.is_empty() {
            extra.push_str("\n\nAuthenticated by ");
            for (index, name) in operation.signed_by.iter().enumerate() {
                if index > 0 {
                    extra.push_str(" or ");
                }
                let _ = write!(extra, "`{name}`");
            }
            extra.push_str(", which the request signer of the client's configuration adds (`tether::ClientConfig::sign_requests`).");
        }
        let mut sanitized = String::new();
        if !operation.fixed_params.is_empty() {
            extra.push_str("\n\nSends, as the only value the spec allows:");
            for fixed in &operation.fixed_params {
                let (wire, value) = (&fixed.wire_name, &fixed.value);
                let _ = match fixed.location {
                    FixedLocation::Query => {
                        write!(extra, "\n- the query parameter `{wire}={value}`")
                    }
                    FixedLocation::Header => write!(extra, "\n- the header `{wire}: {value}`"),
                    FixedLocation::Cookie => write!(extra, "\n- the cookie `{wire}={value}`"),
                };
                if let Some(text) = fixed.description.as_deref().map(str::trim) {
                    if !text.is_empty() {
                        extra.push_str(": ");
                        push_on_one_line(docs::sanitize_into(text, &mut sanitized), &mut extra);
                    }
                }
            }
        }
        let mut arguments = operation
            .params
            .iter()
            .filter(|param| param.required)
            .peekable();
        let body = operation.body.as_ref().filter(|body| body.required);
        if arguments.peek().is_some() || body.is_some() {
            extra.push_str("\n\nArguments:");
            for param in arguments {
                extra.push('\n');
                write_argument_line(param, &mut extra, &mut sanitized);
            }
            if body.is_some() {
                extra.push_str("\n- `body`: the request body");
            }
        }
        Writer(move |code: &mut Code| {
            self.write_unique_doc_attributes(&operation.docs, std::slice::from_ref(&extra), code);
        })
    }
}

/// How a parameter's value is written as its text (see [`Emitter::param_text`]).
#[derive(Clone, Copy)]
enum TextForm {
    /// The value itself: a string, integer, boolean or UUID.
    Itself,
    /// An enum of strings, by its `as_str`.
    StringEnum,
    /// An enum of integers, by its `as_i64`.
    IntegerEnum,
}

/// A parameter's line in a method's `Arguments:` list: its description, else where it goes.
pub(crate) fn argument_line(param: &Param) -> String {
    let mut line = String::new();
    write_argument_line(param, &mut line, &mut String::new());
    line
}

/// [`argument_line`] written at the end of `out`, the description made safe in `sanitized`.
fn write_argument_line(param: &Param, out: &mut String, sanitized: &mut String) {
    let description = param
        .docs
        .description
        .as_deref()
        .map(|text| docs::sanitize_into(text, sanitized));
    match description {
        Some(text) if !text.is_empty() => {
            for part in ["- `", &param.name, "`: "] {
                out.push_str(part);
            }
            push_on_one_line(text, out);
        }
        _ => {
            for part in [
                "- `",
                &param.name,
                "`: the ",
                location_word(param.location),
                " parameter `",
                &param.wire_name,
                "`",
            ] {
                out.push_str(part);
            }
        }
    }
}

/// Appends `text` to `out` with its line breaks as spaces: a list item's one line.
fn push_on_one_line(text: &str, out: &mut String) {
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        out.push_str(first);
    }
    for line in lines {
        out.push(' ');
        out.push_str(line);
    }
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The media type a body of `encoding` is sent with.
pub(crate) fn media_type(encoding: &BodyEncoding) -> &str {
    match encoding {
        BodyEncoding::Json(media) | BodyEncoding::Bytes(media) | BodyEncoding::Text(media) => media,
        BodyEncoding::Form { .. } => "application/x-www-form-urlencoded",
        BodyEncoding::Multipart(_) | BodyEncoding::MultipartForm => "multipart/form-data",
    }
}

/// The name of `framing`'s variant in the runtime's `Framing`.
pub(crate) fn framing_variant(framing: Framing) -> Code {
    match framing {
        Framing::ServerSentEvents => code!(ServerSentEvents),
        Framing::JsonLines => code!(JsonLines),
    }
}
