//! Finding how a list operation pages, from its parameters and its response type: the
//! items array, and a cursor, offset, page number or next-page link.

use super::{
    dealias, BodyEncoding, CursorPlace, Field, FieldStep, NextPage, Operation, Pagination,
    ParamLocation, Primitive, ResponseBody, SmolStr, Success, TypeDef, TypeKind, TypeRef,
};

/// Fields that hold a page's items, best first.
const ITEM_FIELDS: &[&str] = &[
    "results", "data", "items", "records", "entries", "values", "value", "elements", "objects",
    "members", "nodes", "list", "hits", "rows", "content",
];

/// Request parameters that carry a cursor.
const CURSOR_PARAMS: &[&str] = &[
    "after",
    "cursor",
    "page_token",
    "pagetoken",
    "next_page_token",
    "nextpagetoken",
    "continue",
    "marker",
    "next_token",
    "nexttoken",
    "continuation_token",
    "continuationtoken",
    "pagination_token",
    "paginationtoken",
    "page_cursor",
    "start_cursor",
    "startcursor",
];

/// Fields of a page that hold the next cursor.
const CURSOR_FIELDS: &[&str] = &[
    "next_cursor",
    "nextcursor",
    "next_page_token",
    "nextpagetoken",
    "next_token",
    "nexttoken",
    "continuation_token",
    "continuationtoken",
    "next_marker",
    "nextmarker",
    "next_page",
    "nextpage",
    "end_cursor",
    "endcursor",
    "next_key",
    "nextkey",
];

/// Fields of a page that hold the next page's URL.
const NEXT_URL_FIELDS: &[&str] = &[
    "nextrecordsurl",
    "@odata.nextlink",
    "odata.nextlink",
    "nextlink",
    "next_link",
    "next_url",
    "nexturl",
    "next_page_url",
    "nextpageurl",
];

const OFFSET_PARAMS: &[&str] = &["offset", "skip", "start", "startat", "start_at"];
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pagenumber", "pageno"];
const LIMIT_PARAMS: &[&str] = &[
    "limit",
    "per_page",
    "perpage",
    "page_size",
    "pagesize",
    "count",
    "max_results",
    "maxresults",
    "size",
    "top",
    "$top",
    "maxitems",
];

/// How deep the page is searched for a cursor.
const MAX_DEPTH: usize = 3;

/// Whether `name` is one of `names` (written in lowercase) in any case.
fn is_one_of(name: &str, names: &[&str]) -> bool {
    names.iter().any(|known| known.eq_ignore_ascii_case(name))
}

/// The type behind aliases and nullability.
fn resolve<'t>(ty: &'t TypeRef, types: &'t [TypeDef]) -> &'t TypeRef {
    let mut current = ty;
    for _ in 0..16 {
        match dealias(current, types) {
            TypeRef::Nullable(inner) => current = &**inner,
            other => return other,
        }
    }
    current
}

fn fields_of<'t>(ty: &TypeRef, types: &'t [TypeDef]) -> &'t [Field] {
    let TypeRef::Named(id) = resolve(ty, types) else {
        return &[];
    };
    let id = *id;
    match &types[id.0].kind {
        TypeKind::Struct(structure) => &structure.fields,
        _ => &[],
    }
}

fn step(field: &Field) -> FieldStep {
    FieldStep {
        name: field.name.clone(),
        wire_name: field.wire_name.clone(),
        optional: field.is_option(),
        deprecated: field.deprecated,
    }
}

/// The steps of a path of fields, as the generated code follows it.
fn steps(path: &[&Field]) -> Vec<FieldStep> {
    path.iter().map(|field| step(field)).collect()
}

/// A path of fields from a page to one of its scalars, and the scalar's type.
type Leaf<'t> = (Vec<&'t Field>, Primitive);

/// Every scalar field reachable from `ty` within [`MAX_DEPTH`] steps (boxed fields are
/// not followed), with the path to it.
fn leaves<'t>(
    ty: &TypeRef,
    types: &'t [TypeDef],
    path: &mut Vec<&'t Field>,
    out: &mut Vec<Leaf<'t>>,
) {
    if path.len() >= MAX_DEPTH {
        return;
    }
    for field in fields_of(ty, types) {
        if field.boxed {
            continue;
        }
        path.push(field);
        match resolve(&field.ty, types) {
            TypeRef::Primitive(primitive) => out.push((path.clone(), *primitive)),
            nested @ TypeRef::Named(_) => leaves(nested, types, path, out),
            _ => {}
        }
        path.pop();
    }
}

fn last_name<'f>(path: &[&'f Field]) -> &'f str {
    path.last().map_or("", |field| field.wire_name.as_str())
}

/// The items array of a page of type `page`: the page itself, one of its fields, or one of
/// the fields of its only object field (an envelope: Qdrant's `{status, time, result:
/// {points, next_page_offset}}`).
fn items(page: &TypeRef, types: &[TypeDef]) -> Option<(Vec<FieldStep>, TypeRef)> {
    if let TypeRef::Array(item) = resolve(page, types) {
        return Some((Vec::new(), (**item).clone()));
    }
    items_field(page, types).or_else(|| {
        let objects: Vec<&Field> = fields_of(page, types)
            .iter()
            .filter(|field| !field.boxed && !fields_of(&field.ty, types).is_empty())
            .collect();
        let [envelope] = objects.as_slice() else {
            return None;
        };
        let (mut path, item) = items_field(&envelope.ty, types)?;
        path.insert(0, step(envelope));
        Some((path, item))
    })
}

/// The field of `page` that holds its items: one named as items usually are, or its only
/// array.
fn items_field(page: &TypeRef, types: &[TypeDef]) -> Option<(Vec<FieldStep>, TypeRef)> {
    let fields = fields_of(page, types);
    // A deprecated array is not taken for the items (Getty Images' only typed array in a
    // page of images is its deprecated `related_searches`).
    let arrays: Vec<(&Field, &TypeRef)> = fields
        .iter()
        .filter(|field| !field.boxed && !field.deprecated)
        .filter_map(|field| match resolve(&field.ty, types) {
            TypeRef::Array(item) => Some((field, &**item)),
            _ => None,
        })
        .collect();
    let named = ITEM_FIELDS.iter().find_map(|name| {
        arrays
            .iter()
            .find(|(field, _)| field.wire_name.eq_ignore_ascii_case(name))
    });
    let (field, item) = named.or(if arrays.len() == 1 {
        arrays.first()
    } else {
        None
    })?;
    Some((vec![step(field)], (*item).clone()))
}

/// A request parameter of the operation by one of `names`: query parameters, or fields of
/// a JSON body (`true` in the second place).
fn request_param(
    operation: &Operation,
    types: &[TypeDef],
    names: &[&str],
) -> Option<(SmolStr, bool)> {
    let query = operation
        .params
        .iter()
        .filter(|param| param.location == ParamLocation::Query)
        .find(|param| is_one_of(&param.wire_name, names))
        .map(|param| (param.wire_name.clone(), false));
    query.or_else(|| {
        json_body_fields(operation, types)
            .iter()
            .find(|field| {
                is_one_of(&field.wire_name, names)
                    && matches!(
                        resolve(&field.ty, types),
                        TypeRef::Primitive(Primitive::String)
                    )
            })
            .map(|field| (field.wire_name.clone(), true))
    })
}

/// The fields of the operation's JSON body, if it has one.
fn json_body_fields<'t>(operation: &Operation, types: &'t [TypeDef]) -> &'t [Field] {
    match &operation.body {
        Some(body) if matches!(body.encoding, BodyEncoding::Json(_)) => fields_of(&body.ty, types),
        _ => &[],
    }
}

/// Whether a body field can carry a cursor, and how: an integer goes back as a JSON
/// number, text as a string.
fn body_cursor_place(field: &Field, types: &[TypeDef]) -> Option<CursorPlace> {
    match resolve(&field.ty, types) {
        TypeRef::Primitive(primitive) if primitive.is_integer() => Some(CursorPlace::BodyNumber),
        TypeRef::Primitive(Primitive::String) => Some(CursorPlace::BodyText),
        _ => None,
    }
}

/// Where a cursor in the request parameter `request_param` found goes back.
fn cursor_place(in_body: bool) -> CursorPlace {
    if in_body {
        CursorPlace::BodyText
    } else {
        CursorPlace::Query
    }
}

/// A JSON body field that the page names again as its next value (`offset` and
/// `next_page_offset` in Qdrant's scroll): a cursor of the field's type, text or integer,
/// whatever the field's name.
fn echoed_body_cursor(
    operation: &Operation,
    types: &[TypeDef],
    leaves: &[Leaf<'_>],
) -> Option<NextPage> {
    json_body_fields(operation, types).iter().find_map(|field| {
        let place = body_cursor_place(field, types)?;
        let param = field.wire_name.as_str();
        let (cursor, _) = leaves.iter().find(|(path, leaf)| {
            let name = last_name(path);
            let same_kind = if place == CursorPlace::BodyNumber {
                leaf.is_integer()
            } else {
                *leaf == Primitive::String
            };
            same_kind && (reads_as(name, "next", param) || reads_as(name, "nextpage", param))
        })?;
        Some(NextPage::Cursor {
            param: field.wire_name.clone(),
            place,
            cursor: steps(cursor),
        })
    })
}

/// How well a page field fits as the next cursor for request parameter `param`.
fn cursor_score(path: &[&Field], param: &str) -> u8 {
    let name = last_name(path);
    let on_next_path = path.iter().any(|step| {
        let step = step.wire_name.as_str();
        ["next", "paging", "pagination"]
            .iter()
            .any(|word| contains_ignoring_case(step, word))
            || step.eq_ignore_ascii_case("metadata")
            || step.eq_ignore_ascii_case("meta")
    });
    if reads_as(name, "next", param) || (reads_as(name, "", param) && on_next_path) {
        3
    } else if CURSOR_FIELDS
        .iter()
        .any(|field| field.eq_ignore_ascii_case(name))
    {
        2
    } else {
        0
    }
}

/// Whether `name` reads as `prefix` (lowercase) then `param`, both compared in lowercase
/// and without underscores (`next_page_token` reads as `next` then `pageToken`). Compared
/// letter by letter: pagination detection compares every field of a page with every
/// parameter, and spelling each pair out took a sixth of lowering GitHub's spec.
fn reads_as(name: &str, prefix: &str, param: &str) -> bool {
    plain_letters(name).eq(prefix.bytes().chain(plain_letters(param)))
}

/// The bytes of `text` in ASCII lowercase, underscores left out.
fn plain_letters(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.bytes()
        .filter(|byte| *byte != b'_')
        .map(|byte| byte.to_ascii_lowercase())
}

/// Whether `text` holds `word` (lowercase), in any ASCII case.
fn contains_ignoring_case(text: &str, word: &str) -> bool {
    text.as_bytes()
        .windows(word.len())
        .any(|window| window.eq_ignore_ascii_case(word.as_bytes()))
}

/// How `operation` pages, if it does.
pub(crate) fn detect(operation: &Operation, types: &[TypeDef]) -> Option<Pagination> {
    let Success::One(ResponseBody::Json(page)) = &operation.success else {
        return None;
    };
    let (items_path, item) = items(page, types)?;
    let mut found = Vec::new();
    leaves(page, types, &mut Vec::new(), &mut found);
    let strings = || {
        found
            .iter()
            .filter(|(_, primitive)| *primitive == Primitive::String)
            .map(|(path, _)| path)
    };
    let pagination = |next| Pagination {
        next,
        items: items_path.clone(),
        item: item.clone(),
    };
    let limit = request_param(operation, types, LIMIT_PARAMS)
        .filter(|(_, in_body)| !in_body)
        .map(|(name, _)| name);

    if let Some((param, false)) = request_param(operation, types, &["starting_after"]) {
        let has_more = found.iter().find(|(path, primitive)| {
            *primitive == Primitive::Bool && last_name(path) == "has_more"
        });
        let id = fields_of(&item, types)
            .iter()
            .find(|field| field.wire_name == "id" && matches!(resolve(&field.ty, types), TypeRef::Primitive(p) if *p != Primitive::Bytes))
            .map(|field| vec![step(field)]);
        if let (Some((has_more, _)), Some(id)) = (has_more, id) {
            return Some(pagination(NextPage::HasMore {
                param,
                has_more: steps(has_more),
                id,
            }));
        }
    }
    if let Some((param, in_body)) = request_param(operation, types, CURSOR_PARAMS) {
        let best = strings()
            .map(|path| (cursor_score(path, &param), path))
            .filter(|(score, _)| *score > 0)
            .max_by_key(|(score, _)| *score);
        if let Some((_, cursor)) = best {
            return Some(pagination(NextPage::Cursor {
                param,
                place: cursor_place(in_body),
                cursor: steps(cursor),
            }));
        }
    }
    if let Some(echoed) = echoed_body_cursor(operation, types, &found) {
        return Some(pagination(echoed));
    }
    let documents_link = operation
        .response_headers
        .iter()
        .any(|header| header.eq_ignore_ascii_case("link"));
    let page_param = request_param(operation, types, PAGE_PARAMS).filter(|(_, in_body)| !in_body);
    if documents_link && (page_param.is_some() || limit.is_some()) {
        return Some(pagination(NextPage::LinkHeader));
    }
    if let Some(url) = strings().find(|path| {
        let name = last_name(path).to_ascii_lowercase();
        NEXT_URL_FIELDS.contains(&name.as_str())
            || (name == "next"
                && path.len() >= 2
                && matches!(
                    path[path.len() - 2].wire_name.to_ascii_lowercase().as_str(),
                    "links" | "_links" | "paging" | "pagination"
                ))
    }) {
        return Some(pagination(NextPage::NextUrl { url: steps(url) }));
    }
    // A count; Meilisearch types its `offset` and `limit` as `number`.
    let numeric_param = |names: &[&str]| {
        operation
            .params
            .iter()
            .filter(|param| param.location == ParamLocation::Query)
            .find(|param| {
                is_one_of(&param.wire_name, names)
                    && matches!(resolve(&param.ty, types), TypeRef::Primitive(p)
                        if p.is_integer() || matches!(p, Primitive::F32 | Primitive::F64))
            })
            .map(|param| param.wire_name.clone())
    };
    if let Some(param) = numeric_param(OFFSET_PARAMS) {
        return Some(pagination(NextPage::Offset { param, limit }));
    }
    if let Some(param) = numeric_param(PAGE_PARAMS) {
        return Some(pagination(NextPage::PageNumber { param, limit }));
    }
    None
}

/// How an operation pages, as its user states it (in the attribute) or as the spec's
/// `x-speakeasy-pagination` extension does, when detection guesses wrong or finds nothing.
/// Paths are JSON property names joined by dots (`paging.next.after`); an empty `items`
/// means the response is the array.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaginationHint {
    /// The operation id.
    pub operation: String,
    /// `cursor`, `has_more`, `offset`, `page`, `link_header`, `next_url`, or `none`.
    pub style: String,
    /// The request parameter (or JSON body field, for `cursor`) that moves through pages.
    pub param: Option<String>,
    /// Where the next cursor (`cursor`) or URL (`next_url`) is in a page.
    pub next: Option<String>,
    /// Where the more-pages flag is in a page (`has_more`).
    pub has_more: Option<String>,
    /// Where the id is in an item (`has_more`).
    pub id: Option<String>,
    /// The page-size parameter (`offset`, `page`).
    pub limit: Option<String>,
    /// Where the items are in a page.
    pub items: Option<String>,
}

/// The styles a hint may name.
pub const STYLES: &[&str] = &[
    "cursor",
    "has_more",
    "offset",
    "page",
    "link_header",
    "next_url",
    "none",
];

/// The fields along `path` (JSON names joined by dots; a name may itself contain dots)
/// from `ty`, and the type at its end.
fn follow(
    ty: &TypeRef,
    path: &str,
    types: &[TypeDef],
) -> Result<(Vec<FieldStep>, TypeRef), String> {
    let mut steps = Vec::new();
    let mut current = ty.clone();
    let mut rest = path.trim().trim_start_matches('$').trim_start_matches('.');
    while !rest.is_empty() {
        let fields = fields_of(&current, types);
        let field = fields
            .iter()
            .filter(|field| {
                rest == field.wire_name || rest.starts_with(&format!("{}.", field.wire_name))
            })
            .max_by_key(|field| field.wire_name.len())
            .ok_or_else(|| {
                let names: Vec<&str> = fields
                    .iter()
                    .map(|field| field.wire_name.as_str())
                    .collect();
                if names.is_empty() {
                    format!("`{path}`: `{rest}` is not inside an object")
                } else {
                    format!(
                        "`{path}`: there is no field `{}` here; the fields are: {}",
                        rest.split('.').next().unwrap_or(rest),
                        names.join(", ")
                    )
                }
            })?;
        if field.boxed {
            return Err(format!(
                "`{path}`: `{}` is a recursive field, which pagination cannot go through",
                field.wire_name
            ));
        }
        steps.push(step(field));
        current = field.ty.clone();
        rest = rest[field.wire_name.len()..].trim_start_matches('.');
    }
    Ok((steps, resolve(&current, types).clone()))
}

fn scalar_path(
    ty: &TypeRef,
    path: Option<&str>,
    what: &str,
    types: &[TypeDef],
) -> Result<Vec<FieldStep>, String> {
    let path = path.ok_or_else(|| format!("this style needs `{what} = \"...\"`"))?;
    match follow(ty, path, types)? {
        (steps, TypeRef::Primitive(primitive))
            if !steps.is_empty() && primitive != Primitive::Bytes =>
        {
            Ok(steps)
        }
        _ => Err(format!("`{path}` is not a string, number or boolean field")),
    }
}

/// The pagination `hint` describes for `operation`, checked against its types.
pub(crate) fn from_hint(
    hint: &PaginationHint,
    operation: &Operation,
    types: &[TypeDef],
) -> Result<Option<Pagination>, String> {
    if hint.style == "none" {
        return Ok(None);
    }
    let Success::One(ResponseBody::Json(page)) = &operation.success else {
        return Err(
            "the operation's success response is not one JSON type, so it cannot be paged"
                .to_owned(),
        );
    };
    let (items, item) = match hint.items.as_deref() {
        Some(path) => match follow(page, path, types)? {
            (steps, TypeRef::Array(item)) => (steps, *item),
            _ => return Err(format!("`items = \"{path}\"` is not an array")),
        },
        None => items(page, types)
            .ok_or("the items cannot be found in the response; name them with `items = \"...\"`")?,
    };
    let query_param = |what: &str| -> Result<SmolStr, String> {
        let name = hint
            .param
            .as_deref()
            .ok_or_else(|| format!("this style needs `param = \"...\"`, the {what} parameter"))?;
        operation
            .params
            .iter()
            .find(|param| param.location == ParamLocation::Query && param.wire_name == name)
            .map(|param| param.wire_name.clone())
            .ok_or_else(|| {
                let names: Vec<&str> = operation
                    .params
                    .iter()
                    .filter(|p| p.location == ParamLocation::Query)
                    .map(|p| p.wire_name.as_str())
                    .collect();
                format!(
                    "the operation has no query parameter `{name}`; it has: {}",
                    names.join(", ")
                )
            })
    };
    let limit = match hint.limit.as_deref() {
        Some(name)
            if operation
                .params
                .iter()
                .any(|param| param.location == ParamLocation::Query && param.wire_name == name) =>
        {
            Some(SmolStr::new(name))
        }
        Some(name) => {
            return Err(format!(
                "the operation has no query parameter `{name}` for `limit`"
            ))
        }
        None => None,
    };
    let next = match hint.style.as_str() {
        "cursor" => {
            let name = hint
                .param
                .as_deref()
                .ok_or("this style needs `param = \"...\"`, the cursor parameter")?;
            let text_param = request_param(operation, types, &[&name.to_ascii_lowercase()])
                .map(|(param, in_body)| (param, cursor_place(in_body)));
            // A JSON body field of a cursor's type (an integer one is not a text parameter).
            let body_field = || {
                json_body_fields(operation, types)
                    .iter()
                    .filter(|field| field.wire_name.eq_ignore_ascii_case(name))
                    .find_map(|field| {
                        Some((field.wire_name.clone(), body_cursor_place(field, types)?))
                    })
            };
            let (param, place) = text_param.or_else(body_field).ok_or_else(|| {
                format!("the operation has no query parameter or JSON body field `{name}`")
            })?;
            NextPage::Cursor {
                param,
                place,
                cursor: scalar_path(page, hint.next.as_deref(), "next", types)?,
            }
        }
        "has_more" => NextPage::HasMore {
            param: query_param("starting-after")?,
            has_more: scalar_path(
                page,
                hint.has_more.as_deref().or(Some("has_more")),
                "has_more",
                types,
            )?,
            id: scalar_path(&item, hint.id.as_deref().or(Some("id")), "id", types)?,
        },
        "offset" => NextPage::Offset {
            param: query_param("offset")?,
            limit,
        },
        "page" => NextPage::PageNumber {
            param: query_param("page")?,
            limit,
        },
        "link_header" => NextPage::LinkHeader,
        "next_url" => NextPage::NextUrl {
            url: scalar_path(page, hint.next.as_deref(), "next", types)?,
        },
        other => {
            return Err(format!(
                "unknown style `{other}`; the styles are: {}",
                STYLES.join(", ")
            ))
        }
    };
    Ok(Some(Pagination { next, items, item }))
}

/// The hint an operation's `x-speakeasy-pagination` extension gives, if it has one tether
/// understands.
pub(crate) fn hint_from_extension(
    operation_id: &str,
    extension: &serde_json::Value,
) -> Option<PaginationHint> {
    let input = |kind: &str| {
        extension
            .get("inputs")?
            .as_array()?
            .iter()
            .find(|input| input.get("type").and_then(|t| t.as_str()) == Some(kind))?
            .get("name")?
            .as_str()
            .map(str::to_owned)
    };
    let output = |name: &str| {
        extension
            .get("outputs")?
            .get(name)?
            .as_str()
            .map(str::to_owned)
    };
    let style = match extension.get("type")?.as_str()? {
        "cursor" => "cursor",
        "offsetLimit" if input("page").is_some() => "page",
        "offsetLimit" => "offset",
        "url" => "next_url",
        _ => return None,
    };
    Some(PaginationHint {
        operation: operation_id.to_owned(),
        style: style.to_owned(),
        param: input("cursor")
            .or_else(|| input("offset"))
            .or_else(|| input("page")),
        next: output("nextCursor").or_else(|| output("nextUrl")),
        limit: input("limit"),
        items: output("results"),
        ..PaginationHint::default()
    })
}

#[cfg(test)]
mod tests {
    use super::{contains_ignoring_case, reads_as};

    #[test]
    fn names_are_compared_in_lowercase_without_underscores() {
        assert!(reads_as("next_page_token", "next", "page_token"));
        assert!(reads_as("NextPageToken", "next", "pageToken"));
        assert!(reads_as("nextCursor", "next", "CURSOR"));
        assert!(reads_as("next_page_offset", "nextpage", "offset"));
        assert!(reads_as("after", "", "AFTER"));
        assert!(!reads_as("next_cursors", "next", "cursor"));
        assert!(!reads_as("cursor", "next", "cursor"));
        assert!(!reads_as("next", "next", "cursor"));
    }

    #[test]
    fn words_are_found_in_any_case() {
        assert!(contains_ignoring_case("PagingInfo", "paging"));
        assert!(contains_ignoring_case("links_next", "next"));
        assert!(!contains_ignoring_case("nex", "next"));
        assert!(!contains_ignoring_case("page", "paging"));
    }
}
