//! `tether inspect SPEC`: the review an engineer does by hand before building on an API.
//! What it is and where it runs, its operations by tag, who may call what, which errors
//! and rate limits are documented, and everything tether had to degrade, with where.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tether_codegen::ir::{self, Api, Operation, SecurityKind, StatusMatch, TypeKind};
use tether_codegen::load::{self, SpecVersion};
use tether_codegen::Selection;

/// Response headers whose names contain one of these (case-insensitively) document a
/// rate limit.
const RATE_LIMIT_MARKERS: [&str; 3] = ["ratelimit", "rate-limit", "retry-after"];

/// The arguments of `tether inspect`.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// The spec to review.
    pub spec: PathBuf,
}

impl Options {
    /// Reads the arguments after `inspect`.
    pub fn parse(arguments: &[String]) -> Result<Options, String> {
        match arguments {
            [spec] => Ok(Options {
                spec: PathBuf::from(spec),
            }),
            _ => Err("`inspect` takes one argument, the spec".to_owned()),
        }
    }
}

/// Prints the review; failure when the spec cannot be read.
pub fn run(options: &Options) -> ExitCode {
    match inspect(&options.spec) {
        Ok(review) => {
            print!("{review}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// What the review needs from the document beyond the model.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The version the spec was written in.
    pub version: Option<SpecVersion>,
    /// The servers: URL and description.
    pub servers: Vec<(String, Option<String>)>,
    /// The tags the document declares, in its order.
    pub tags: Vec<String>,
    /// Every security scheme the document declares, supported or not.
    pub declared_schemes: Vec<String>,
}

/// Reads the spec at `path` and writes its review.
pub fn inspect(path: &Path) -> Result<String, String> {
    let loaded = load::load(path).map_err(|problems| problems.to_string())?;
    let document = &loaded.document;
    let facts = Document {
        version: Some(loaded.version),
        servers: document
            .servers
            .iter()
            .map(|server| (server.url.clone(), server.description.clone()))
            .collect(),
        tags: document.tags.iter().map(|tag| tag.name.clone()).collect(),
        declared_schemes: document
            .components
            .iter()
            .flat_map(|components| components.security_schemes.keys().cloned())
            .collect(),
    };
    let api =
        tether_codegen::lower(&loaded, &Selection::default()).map_err(|error| error.to_string())?;
    Ok(review(&facts, &api))
}

/// The review of a spec, as text.
pub fn review(document: &Document, api: &Api) -> String {
    let mut out = String::new();
    overview(&mut out, document, api);
    operations_by_tag(&mut out, document, api);
    security(&mut out, document, api);
    errors(&mut out, api);
    rate_limits(&mut out, api);
    pagination(&mut out, api);
    degraded(&mut out, api);
    out
}

fn pagination(out: &mut String, api: &Api) {
    let paged: Vec<_> = api
        .operations
        .iter()
        .filter_map(|operation| Some((operation, operation.pagination.as_ref()?)))
        .collect();
    let _ = writeln!(out, "\nPagination ({} list operations)", paged.len());
    if paged.is_empty() {
        let _ = writeln!(out, "  none found");
    }
    for (operation, pagination) in paged {
        let _ = writeln!(out, "  {}: {}", operation.id, pagination.describe());
    }
}

fn overview(out: &mut String, document: &Document, api: &Api) {
    let version = match document.version {
        Some(SpecVersion::Swagger2) => "Swagger 2.0",
        Some(SpecVersion::OpenApi30) => "OpenAPI 3.0",
        Some(SpecVersion::OpenApi31) => "OpenAPI 3.1",
        Some(SpecVersion::OpenApi32) => "OpenAPI 3.2",
        None => "OpenAPI",
    };
    let _ = writeln!(out, "{} {}", api.title.trim(), api.version.trim());
    let _ = writeln!(
        out,
        "  {version}, {} operations, {} types",
        api.operations.len(),
        api.types.len()
    );
    if document.servers.is_empty() {
        let _ = writeln!(out, "  servers: none (the client needs a base URL)");
    } else {
        let _ = writeln!(out, "  servers:");
        for (url, description) in &document.servers {
            match description.as_deref().map(first_line) {
                Some(description) if !description.is_empty() => {
                    let _ = writeln!(out, "    {url} — {description}");
                }
                _ => {
                    let _ = writeln!(out, "    {url}");
                }
            }
        }
    }
}

fn operations_by_tag(out: &mut String, document: &Document, api: &Api) {
    // The document's tag order, then tags only operations name, then untagged.
    let mut tags: Vec<Option<&str>> = document.tags.iter().map(|tag| Some(tag.as_str())).collect();
    for operation in &api.operations {
        for tag in &operation.tags {
            if !tags.contains(&Some(tag.as_str())) {
                tags.push(Some(tag));
            }
        }
    }
    tags.push(None);
    let method_width = 7;
    let path_width = api
        .operations
        .iter()
        .map(|operation| operation.path.chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    let _ = writeln!(out, "\nOperations by tag");
    for tag in tags {
        let members: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|operation| match tag {
                Some(tag) => operation.tags.iter().any(|own| own == tag),
                None => operation.tags.is_empty(),
            })
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {} ({})", tag.unwrap_or("(untagged)"), members.len());
        for operation in members {
            let deprecated = if operation.deprecated {
                "  [deprecated]"
            } else {
                ""
            };
            // Without an operationId the id is made of method and path, said already.
            let derived = format!("{} {}", operation.http_method, operation.path);
            let id = if operation.id == derived {
                "(no operationId)"
            } else {
                &operation.id
            };
            // A required body in other kinds of media type has client methods of its own.
            let methods: Vec<String> = std::iter::once(&operation.method_name)
                .chain(
                    operation
                        .alternative_bodies
                        .iter()
                        .filter(|other| other.body.required)
                        .map(|other| &other.method_name),
                )
                .map(|name| format!("{name}()"))
                .collect();
            let _ = writeln!(
                out,
                "    {:<method_width$} {:<path_width$}  {id} → {}{deprecated}",
                operation.http_method,
                operation.path,
                methods.join(", ")
            );
        }
    }
}

fn security(out: &mut String, document: &Document, api: &Api) {
    let _ = writeln!(out, "\nSecurity");
    if api.security_schemes.is_empty() && document.declared_schemes.is_empty() {
        let _ = writeln!(out, "  no security schemes declared");
    }
    for scheme in &api.security_schemes {
        let kind = match &scheme.kind {
            SecurityKind::ApiKeyHeader(name) => format!("API key in header `{name}`"),
            SecurityKind::ApiKeyQuery(name) => format!("API key in query parameter `{name}`"),
            SecurityKind::ApiKeyCookie(name) => format!("API key in cookie `{name}`"),
            SecurityKind::Bearer => "bearer token".to_owned(),
            SecurityKind::Basic => "HTTP basic".to_owned(),
            SecurityKind::OAuth2(flows) => {
                let mut kind = "OAuth2 bearer token".to_owned();
                if let Some(flow) = &flows.client_credentials {
                    let _ = write!(
                        kind,
                        "; client credentials from {} with `{}`",
                        flow.token_url, flow.setter
                    );
                }
                if let Some(flow) = &flows.authorization_code {
                    let url = flow.refresh_url.as_ref().unwrap_or(&flow.token_url);
                    let _ = write!(
                        kind,
                        "; user tokens refreshed at {url} with `{}`",
                        flow.setter
                    );
                }
                kind
            }
        };
        let _ = writeln!(
            out,
            "  {}: {kind}, set with `{}`",
            scheme.name, scheme.setter
        );
    }
    for scheme in &api.signed_schemes {
        let _ = writeln!(
            out,
            "  {}: {}, added by a request signer (`ClientConfig::sign_requests`)",
            scheme.name, scheme.kind
        );
    }
    for name in &document.declared_schemes {
        let known = |scheme_name: &str| scheme_name == name;
        if !api
            .security_schemes
            .iter()
            .any(|scheme| known(&scheme.name))
            && !api.signed_schemes.iter().any(|scheme| known(&scheme.name))
        {
            let _ = writeln!(out, "  {name}: not supported by tether (see Degraded)");
        }
    }
    // Operations grouped by what they accept: "a", "a + b" (both), "a or b", "none".
    let mut by_requirement: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for operation in &api.operations {
        by_requirement
            .entry(requirement(&operation.security, &operation.signed_by))
            .or_default()
            .push(&operation.id);
    }
    let total = api.operations.len();
    for (requirement, operations) in &by_requirement {
        let list = operation_list(operations, total);
        let _ = writeln!(
            out,
            "{}",
            wrap(&format!("  needs {requirement}: {list}"), 4)
        );
    }
}

/// How an operation's alternatives read: `a + b` needs both, `a or b` either one.
fn requirement(alternatives: &[Vec<String>], signed_by: &[String]) -> String {
    if !signed_by.is_empty() {
        return format!("{} (request signer)", signed_by.join(" or "));
    }
    if alternatives.is_empty() {
        return "no credentials".to_owned();
    }
    let mut readable: Vec<String> = alternatives
        .iter()
        .filter(|schemes| !schemes.is_empty())
        .map(|schemes| schemes.join(" + "))
        .collect();
    if readable.len() < alternatives.len() {
        readable.push("nothing (credentials optional)".to_owned());
    }
    readable.join(" or ")
}

fn errors(out: &mut String, api: &Api) {
    let _ = writeln!(out, "\nDocumented errors");
    let width = api
        .operations
        .iter()
        .map(|operation| operation.id.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    for operation in &api.operations {
        // Operations with the same errors share one enum through an alias of their own name.
        let shared = |definition: &'_ ir::TypeDef| match &definition.kind {
            TypeKind::Alias(ir::TypeRef::Named(id)) => api.types.get(id.0),
            _ => None,
        };
        let error_type = operation.error.and_then(|id| api.types.get(id.0));
        let statuses = match error_type.map(|definition| shared(definition).unwrap_or(definition)) {
            None => "none documented".to_owned(),
            Some(definition) => match &definition.kind {
                TypeKind::Responses(responses) => responses
                    .variants
                    .iter()
                    .map(|variant| match &operation.error_when {
                        // A failure reported in a success status (`x-tether-error-when`).
                        Some(rule) if variant.name == ir::FAILED_VARIANT => format!(
                            "{} with `{}` = {}",
                            status(variant.status),
                            rule.property,
                            rule.equals
                        ),
                        _ => status(variant.status),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => format!("as `{}`, statuses not told apart", definition.name),
            },
        };
        let _ = writeln!(out, "  {:<width$}  {statuses}", operation.id);
    }
}

fn status(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(range) => format!("{range}XX"),
        StatusMatch::Default => "default".to_owned(),
    }
}

/// The documented response headers that tell about rate limits, with the operations
/// that document each (the first spelling met names the header). Takes each operation's
/// id and response header names.
fn rate_limit_headers<'a>(
    operations: impl IntoIterator<Item = (&'a str, &'a [String])>,
) -> Vec<(String, Vec<&'a str>)> {
    let mut headers: Vec<(String, Vec<&str>)> = Vec::new();
    for (id, names) in operations {
        for header in names {
            let lower = header.to_ascii_lowercase();
            if !RATE_LIMIT_MARKERS
                .iter()
                .any(|marker| lower.contains(marker))
            {
                continue;
            }
            match headers
                .iter_mut()
                .find(|(known, _)| known.eq_ignore_ascii_case(header))
            {
                Some((_, operations)) => operations.push(id),
                None => headers.push((header.clone(), vec![id])),
            }
        }
    }
    headers
}

fn rate_limits(out: &mut String, api: &Api) {
    let _ = writeln!(out, "\nRate-limit headers");
    let headers = rate_limit_headers(
        api.operations
            .iter()
            .map(|operation| (operation.id.as_str(), operation.response_headers.as_slice())),
    );
    if headers.is_empty() {
        let _ = writeln!(out, "  none documented");
    }
    for (header, operations) in &headers {
        let list = operation_list(operations, api.operations.len());
        let _ = writeln!(out, "{}", wrap(&format!("  {header}: {list}"), 4));
    }
}

fn degraded(out: &mut String, api: &Api) {
    let _ = writeln!(out, "\nDegraded ({})", api.notes.len());
    if api.notes.is_empty() {
        let _ = writeln!(out, "  nothing: every construct was generated as written");
    }
    for note in &api.notes {
        let pointer = if note.pointer.is_empty() {
            "/"
        } else {
            &note.pointer
        };
        let _ = writeln!(out, "  {pointer}: {}", note.message);
    }
}

/// "all N operations", or how many and which.
fn operation_list(operations: &[&str], total: usize) -> String {
    if operations.len() == total && total > 1 {
        format!("all {total} operations")
    } else if operations.len() == 1 {
        format!("1 operation: {}", operations[0])
    } else {
        format!("{} operations: {}", operations.len(), operations.join(", "))
    }
}

/// Text wider than the terminal broken at spaces, continuation lines indented.
fn wrap(text: &str, indent: usize) -> String {
    const WIDTH: usize = 100;
    let words = text.trim_start();
    let lead = text.len() - words.len();
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..lead]);
    let mut column = lead;
    for (index, word) in words.split(' ').enumerate() {
        let length = word.chars().count();
        if index > 0 {
            if column + 1 + length > WIDTH {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                column = indent;
            } else {
                out.push(' ');
                column += 1;
            }
        }
        out.push_str(word);
        column += length;
    }
    out
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default().trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn petstore() -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/petstore.yaml");
        inspect(&path).unwrap()
    }

    /// The lines of one section: from its heading to the next blank line.
    fn section<'r>(review: &'r str, heading: &str) -> Vec<&'r str> {
        review
            .lines()
            .skip_while(|line| *line != heading)
            .skip(1)
            .take_while(|line| !line.is_empty())
            .collect()
    }

    #[test]
    fn lists_operations_under_their_tag_with_method_path_and_id() {
        let review = petstore();
        assert!(
            review.starts_with("Tether Pet Store 1.0.0\n  OpenAPI 3.0, "),
            "{review}"
        );
        assert!(
            review.contains("    http://localhost:8080/v1 — Local test server (loopback only)."),
            "{review}"
        );
        let operations = section(&review, "Operations by tag");
        let pet = operations
            .iter()
            .position(|line| line.starts_with("  pet ("))
            .unwrap();
        let store = operations
            .iter()
            .position(|line| line.starts_with("  store ("))
            .unwrap();
        let get_pet = operations
            .iter()
            .position(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                words == ["GET", "/pets/{petId}", "getPetById", "→", "get_pet_by_id()"]
            })
            .unwrap_or_else(|| panic!("no getPetById line in {operations:#?}"));
        assert!(pet < get_pet && get_pet < store, "{operations:#?}");
        // The health check has no tag and no operationId.
        assert!(operations.contains(&"  (untagged) (1)"), "{operations:#?}");
    }

    #[test]
    fn lists_documented_errors_per_operation() {
        let review = petstore();
        let errors = section(&review, "Documented errors");
        let line = errors
            .iter()
            .find(|line| line.trim_start().starts_with("getPetById "))
            .unwrap_or_else(|| panic!("no getPetById in {errors:#?}"));
        assert_eq!(
            line.split_whitespace().collect::<Vec<_>>(),
            ["getPetById", "404,", "default"]
        );
    }

    #[test]
    fn tells_failures_reported_in_a_success_status() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/slack.yaml");
        let review = inspect(&path).unwrap();
        let errors = section(&review, "Documented errors");
        assert!(
            errors.contains(&"  chat.postMessage       200 with `ok` = false, 429")
                && errors.contains(&"  users.lookupByEmail    200 with `ok` = false, 429"),
            "{errors:#?}"
        );
    }

    #[test]
    fn tells_who_needs_which_credentials() {
        let review = petstore();
        let security = section(&review, "Security");
        assert!(
            security.contains(&"  api_key: API key in header `api_key`, set with `with_api_key`"),
            "{security:#?}"
        );
        assert!(
            security.contains(&"  petstore_auth: bearer token, set with `with_petstore_auth`"),
            "{security:#?}"
        );
        assert!(
            security
                .contains(&"  needs api_key: 2 operations: getInventory, getInventoryByCategory"),
            "{security:#?}"
        );
        let none = security
            .iter()
            .find(|line| line.starts_with("  needs no credentials: "))
            .unwrap_or_else(|| panic!("no operation without credentials in {security:#?}"));
        assert!(none.contains("logoutUser"), "{none}");
        assert!(
            security
                .iter()
                .any(|line| line.starts_with("  needs petstore_auth: ")),
            "{security:#?}"
        );
    }

    #[test]
    fn has_the_sections_still_to_fill_and_the_degradations() {
        let review = petstore();
        assert_eq!(
            section(&review, "Pagination (1 list operations)"),
            ["  listPets: cursor: query `after` from `paging.next.after`; items in results"]
        );
        assert_eq!(
            section(&review, "Rate-limit headers"),
            ["  none documented"]
        );
        assert!(review.contains("\nDegraded ("), "{review}");
    }

    #[test]
    fn requirements_read_as_alternatives() {
        assert_eq!(requirement(&[], &[]), "no credentials");
        assert_eq!(
            requirement(&[], &["UserToken".to_owned()]),
            "UserToken (request signer)"
        );
        let both = vec![vec!["a".to_owned(), "b".to_owned()], vec!["c".to_owned()]];
        assert_eq!(requirement(&both, &[]), "a + b or c");
        let optional = vec![vec!["a".to_owned()], vec![]];
        assert_eq!(
            requirement(&optional, &[]),
            "a or nothing (credentials optional)"
        );
    }

    #[test]
    fn finds_rate_limit_headers_in_any_spelling() {
        let names = |headers: &[&str]| -> Vec<String> {
            headers.iter().map(|name| (*name).to_owned()).collect()
        };
        let a = names(&["X-RateLimit-Limit", "ETag", "Retry-After"]);
        let b = names(&["x-ratelimit-limit", "X-Rate-Limit-Reset"]);
        assert_eq!(
            rate_limit_headers([("a", a.as_slice()), ("b", b.as_slice())]),
            vec![
                ("X-RateLimit-Limit".to_owned(), vec!["a", "b"]),
                ("Retry-After".to_owned(), vec!["a"]),
                ("X-Rate-Limit-Reset".to_owned(), vec!["b"]),
            ]
        );
    }

    #[test]
    fn long_lines_wrap_at_spaces() {
        let line = format!("  needs key: {}", ["operationName"; 12].join(", "));
        let wrapped = wrap(&line, 4);
        assert!(
            wrapped.lines().all(|line| line.chars().count() <= 100),
            "{wrapped}"
        );
        assert!(
            wrapped
                .lines()
                .skip(1)
                .all(|line| line.starts_with("    o")),
            "{wrapped}"
        );
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            line.split_whitespace().collect::<Vec<_>>()
        );
        assert_eq!(wrap("  short", 4), "  short");
    }

    #[test]
    fn operation_lists_say_all_when_all() {
        assert_eq!(operation_list(&["a", "b"], 2), "all 2 operations");
        assert_eq!(operation_list(&["a"], 1), "1 operation: a");
        assert_eq!(operation_list(&["a", "b"], 5), "2 operations: a, b");
    }
}
