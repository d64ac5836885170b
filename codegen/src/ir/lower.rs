//! Lowering a loaded document into the [`Api`] model, for the selected operations.

use std::fmt;

use crate::load::ReferenceOr;
use rustc_hash::FxHashMap;
use smol_str::StrExt as _;

use super::naming::{self, Scope};
use super::operations::{OperationContext, Site, RESERVED_PARAMETER_NAMES};
use super::pagination::{self, PaginationHint};
use super::schema::TypeSpace;

use super::{cycles, security, Api, Server, SmolStr};
use crate::diagnostics::{pointer_push, Note};
use crate::load::{
    additional_operation_keys, additional_operation_pointer, Document, Operation, Parameter,
    ADDITIONAL_OPERATIONS, PAGINATION_EXTENSION,
};

/// Which operations to generate. Empty lists select everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Operation ids (as written in the spec) to generate.
    pub operations: Vec<String>,
    /// Tags whose operations to generate.
    pub tags: Vec<String>,
    /// How operations page, where detection would guess wrong.
    pub pagination: Vec<PaginationHint>,
}

impl Selection {
    fn is_everything(&self) -> bool {
        self.operations.is_empty() && self.tags.is_empty()
    }
}

/// A selection naming operations or tags the spec does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionError {
    /// Selected operation ids that do not exist.
    pub unknown_operations: Vec<String>,
    /// Selected tags that do not exist.
    pub unknown_tags: Vec<String>,
    /// Every operation id of the spec.
    pub known_operations: Vec<String>,
    /// Every tag of the spec.
    pub known_tags: Vec<String>,
}

impl fmt::Display for SelectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |names: &[String]| {
            names
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.unknown_operations.is_empty() {
            write!(
                f,
                "the spec has no operation {}; it has: {}",
                list(&self.unknown_operations),
                list(&self.known_operations)
            )?;
        }
        if !self.unknown_tags.is_empty() {
            if !self.unknown_operations.is_empty() {
                writeln!(f)?;
            }
            write!(
                f,
                "the spec has no tag {}; it has: {}",
                list(&self.unknown_tags),
                list(&self.known_tags)
            )?;
        }
        Ok(())
    }
}

/// Why a document could not be lowered as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LowerError {
    /// The selection names operations or tags the spec does not have.
    Selection(SelectionError),
    /// A pagination hint does not fit its operation.
    Pagination {
        /// The operation the hint is for.
        operation: String,
        /// What does not fit.
        message: String,
    },
}

impl fmt::Display for LowerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LowerError::Selection(error) => error.fmt(f),
            LowerError::Pagination { operation, message } => {
                write!(f, "pagination of `{operation}`: {message}")
            }
        }
    }
}

impl std::error::Error for LowerError {}

/// Client methods every generated client has, which operations may not take.
const CLIENT_METHODS: [&str; 5] = ["new", "from_config", "base_url", "with_base_url", "clone"];

/// Builds the model of the selected operations and the types they reach.
pub fn lower(
    document: &Document,
    load_notes: Vec<Note>,
    selection: &Selection,
) -> Result<Api, LowerError> {
    let mut notes = load_notes;
    let additional = additional_operations(document, &mut notes);
    let sites = sites(document, &additional);
    check_selection(&sites, document, selection).map_err(LowerError::Selection)?;
    for hint in &selection.pagination {
        if !sites
            .iter()
            .any(|site| site.operation.operation_id.as_deref() == Some(hint.operation.as_str()))
        {
            let message = "the spec has no operation with this id".to_owned();
            return Err(LowerError::Pagination {
                operation: hint.operation.clone(),
                message,
            });
        }
    }
    let mut space = TypeSpace::new(document);
    space.notes = notes;
    let mut methods = Scope::with_reserved(&CLIENT_METHODS);
    let (mut schemes, signed_schemes) = security::schemes(document, &mut methods, &mut space.notes);
    let mut context = OperationContext {
        schemes: &schemes,
        signed_schemes: &signed_schemes,
        errors: Default::default(),
        methods,
        reserved_parameters: Scope::with_reserved(&RESERVED_PARAMETER_NAMES),
        authorization_scheme: security::authorization_scheme_name(&schemes, &signed_schemes),
        authorization_parameters: Vec::new(),
    };
    let selected: Vec<&Site<'_>> = sites
        .iter()
        .filter(|site| {
            let id = site.operation.operation_id.as_deref().unwrap_or("");
            selection.is_everything()
                || selection.operations.iter().any(|wanted| wanted == id)
                || site
                    .operation
                    .tags
                    .iter()
                    .any(|tag| selection.tags.contains(tag))
        })
        .collect();
    let short_names: Vec<SmolStr> = selected
        .iter()
        .map(|site| {
            let id = site.operation.operation_id.as_deref().unwrap_or("");
            space
                .spellings
                .value_name(naming::operation_words(id, true))
        })
        .collect();
    let mut uses: FxHashMap<&str, usize> = FxHashMap::default();
    for short in &short_names {
        *uses.entry(short).or_default() += 1;
    }
    let mut operations = Vec::with_capacity(selected.len());
    for (site, short) in selected.iter().zip(&short_names) {
        let unique = uses.get(short.as_str()) == Some(&1);
        operations.push(space.operation(site, unique, &mut context));
    }
    let OperationContext {
        mut methods,
        authorization_scheme,
        authorization_parameters,
        ..
    } = context;
    if let Some(scheme) = security::scheme_for_authorization_parameters(
        authorization_scheme,
        &authorization_parameters,
        &mut methods,
        &mut space.notes,
    ) {
        schemes.push(scheme);
    }
    space.name_shared_types();
    // Builders are named last, so that schema names keep their natural form.
    for operation in &mut operations {
        operation.builder_name = space
            .module_scope
            .claim(std::mem::take(&mut operation.builder_name));
    }
    for endless in cycles::break_cycles(&mut space.types) {
        space.note_endless_alias(endless);
    }
    for (operation, site) in operations.iter_mut().zip(&selected) {
        let stated = selection
            .pagination
            .iter()
            .find(|hint| hint.operation == operation.id);
        if let Some(hint) = stated {
            operation.pagination =
                pagination::from_hint(hint, operation, &space.types).map_err(|message| {
                    LowerError::Pagination {
                        operation: operation.id.to_string(),
                        message,
                    }
                })?;
            continue;
        }
        let extension = site.operation.extensions.get(PAGINATION_EXTENSION);
        let from_spec = extension
            .and_then(|extension| pagination::hint_from_extension(&operation.id, extension));
        operation.pagination =
            match from_spec.map(|hint| pagination::from_hint(&hint, operation, &space.types)) {
                Some(Ok(found)) => found,
                Some(Err(message)) => {
                    space.notes.push(Note::new(
                        site.at(|at| at.pointer()),
                        format!("x-speakeasy-pagination ignored: {message}"),
                    ));
                    pagination::detect(operation, &space.types)
                }
                None => pagination::detect(operation, &space.types),
            };
    }
    let info = &document.info;
    Ok(Api {
        title: info.title.clone(),
        description: info.description.clone(),
        version: info.version.clone(),
        servers: servers(document, &mut space.notes),
        types: space.types,
        operations,
        security_schemes: schemes,
        signed_schemes,
        notes: space.notes,
    })
}

/// An operation of OpenAPI 3.2's `query` method or `additionalOperations`, read from
/// where loading kept it.
struct AdditionalOperation<'d> {
    path: &'d str,
    method: &'d str,
    operation: Operation,
    path_parameters: &'d [ReferenceOr<Parameter>],
}

/// The operations kept in each path item's [`ADDITIONAL_OPERATIONS`], in document order.
/// A method name that HTTP cannot carry is left out with a note: no request could send it.
fn additional_operations<'d>(
    document: &'d Document,
    notes: &mut Vec<Note>,
) -> Vec<AdditionalOperation<'d>> {
    let mut found = Vec::new();
    for (path, item) in &document.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let Some(serde_json::Value::Object(operations)) =
            item.extensions.get(ADDITIONAL_OPERATIONS)
        else {
            continue;
        };
        for (method, operation) in operations {
            let pointer = additional_operation_pointer(&pointer_push("/paths", path), method);
            if !is_method_name(method) {
                let message = format!("operation left out: `{method}` is not an HTTP method name");
                notes.push(Note::new(pointer, message));
                continue;
            }
            // Loading read it into the model already; only a model that cannot write
            // itself out again would fail here.
            match serde_json::from_value(operation.clone()) {
                Ok(operation) => found.push(AdditionalOperation {
                    path,
                    method,
                    operation,
                    path_parameters: &item.parameters,
                }),
                Err(error) => notes.push(Note::new(
                    pointer,
                    format!("operation left out: it could not be read ({error})"),
                )),
            }
        }
    }
    found
}

/// Whether `name` is an HTTP method name: a token (RFC 9110, section 5.6.2).
fn is_method_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

/// Every path + method of the document, in document order, each path's own methods first.
fn sites<'d>(document: &'d Document, additional: &'d [AdditionalOperation<'d>]) -> Vec<Site<'d>> {
    let mut sites = Vec::new();
    for (path, item) in &document.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            sites.push(Site {
                path,
                http_method: method.to_ascii_uppercase_smolstr(),
                keys: (method, None),
                operation,
                path_parameters: &item.parameters,
                path_servers: &item.servers,
            });
        }
        for extra in additional
            .iter()
            .filter(|extra| extra.path == path.as_str())
        {
            sites.push(Site {
                path,
                http_method: SmolStr::new(extra.method),
                keys: additional_operation_keys(extra.method),
                operation: &extra.operation,
                path_parameters: extra.path_parameters,
                path_servers: &[],
            });
        }
    }
    sites
}

fn check_selection(
    sites: &[Site<'_>],
    document: &Document,
    selection: &Selection,
) -> Result<(), SelectionError> {
    let known_operations = || {
        sites
            .iter()
            .filter_map(|site| site.operation.operation_id.as_deref())
    };
    let site_tags = || {
        sites
            .iter()
            .flat_map(|site| site.operation.tags.iter().map(String::as_str))
    };
    let is_known_tag = |tag: &str| {
        document.tags.iter().any(|known| known.name == tag) || site_tags().any(|known| known == tag)
    };
    // Checked against the spec's own texts: the lists of known names are made only for
    // the error (the whole spec's operation ids, copied for every build before).
    let unknown_operations: Vec<String> = selection
        .operations
        .iter()
        .filter(|id| !known_operations().any(|known| known == id.as_str()))
        .cloned()
        .collect();
    let unknown_tags: Vec<String> = selection
        .tags
        .iter()
        .filter(|tag| !is_known_tag(tag))
        .cloned()
        .collect();
    if unknown_operations.is_empty() && unknown_tags.is_empty() {
        return Ok(());
    }
    let mut known_tags: Vec<String> = document.tags.iter().map(|tag| tag.name.clone()).collect();
    for tag in site_tags() {
        if !known_tags.iter().any(|known| known == tag) {
            known_tags.push(tag.to_owned());
        }
    }
    Err(SelectionError {
        unknown_operations,
        unknown_tags,
        known_operations: known_operations().map(str::to_owned).collect(),
        known_tags,
    })
}

/// A server's URL with its variables at their defaults
/// (`https://{instance}.example.com` → `https://login.example.com`).
pub(crate) fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}

/// Whether a server URL can be called as it is: `http(s)`, with a host, and no variable
/// left without a default (DigitalOcean names `https://{your-agent-url}`).
pub(crate) fn is_full_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.starts_with(['/', ':']) && !rest.is_empty() && !rest.contains(['{', '}'])
    })
}

/// The document's servers. One whose URL keeps a placeholder that `variables` gives no
/// value (Asana's app components name just `{siteUrl}`) is noted: a client cannot call it
/// as it is.
fn servers(document: &Document, notes: &mut Vec<Note>) -> Vec<Server> {
    let mut servers = Vec::with_capacity(document.servers.len());
    for (index, server) in document.servers.iter().enumerate() {
        let url = server_url(server);
        if url.contains('{') {
            notes.push(Note::new(
                format!("/servers/{index}/url"),
                format!("the server URL `{url}` has a placeholder that `variables` gives no value; a client needs the URL with it filled in"),
            ));
        }
        servers.push(Server {
            url,
            description: server.description.clone(),
        });
    }
    servers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_variables_take_their_defaults() {
        let server: openapiv3::Server = serde_json::from_value(serde_json::json!({
            "url": "https://{instance}.my.example.com/{version}",
            "variables": {"instance": {"default": "login"}, "version": {"default": "v60.0"}}
        }))
        .expect("a server object");
        assert_eq!(server_url(&server), "https://login.my.example.com/v60.0");
    }
}
