//! An operation's responses: the success type, and the documented error bodies.

use std::hash::{Hash as _, Hasher as _};

use openapiv3::{StatusCode, StringType};

use crate::load::ReferenceOr;

use super::error_when::FAILED_VARIANT;
use super::naming;
use super::reference::component_name;
use super::schema::TypeSpace;
use super::{
    is_watch_stream, media_essence, Docs, ErrorWhen, EventStream, Framing, ResponseBody,
    ResponseVariant, ResponsesDef, SmolStr, StatusMatch, Success, TypeId, TypeKind, TypeRef,
};
use crate::diagnostics::At;
use crate::load::{ObjectType, Response, Responses, Schema, SchemaData, SchemaKind, Type};

/// How a media type is read, best first: JSON, then text, then raw bytes. A stream of JSON
/// values (JSON lines, a JSON text sequence) is not one JSON value.
pub(crate) fn is_json(media_type: &str) -> bool {
    // Nearly every media type a spec writes is this one: it skips the parsing below.
    if media_type == "application/json" {
        return true;
    }
    let essence = media_essence(media_type);
    let json = essence == "*/*"
        || essence == "application/*"
        || essence.ends_with("/json")
        || essence.ends_with("+json")
        || essence.contains("json");
    json && Framing::of_essence(&essence, media_type).is_none()
}

/// The lowest success status the responses document (`2XX` counts as `200`), else `200`.
pub(crate) fn success_status(responses: &Responses) -> u16 {
    responses
        .responses
        .keys()
        .filter_map(|code| match code {
            StatusCode::Code(code) if (200..300).contains(code) => Some(*code),
            StatusCode::Range(2) => Some(200),
            _ => None,
        })
        .min()
        .unwrap_or(200)
}

/// Error-body types already made, by their shape, so that operations with the same
/// documented errors share one type.
#[derive(Default)]
pub(crate) struct ErrorTypes {
    /// Each shape (statuses and bodies) with its hash ([`shape_hash`]) and its type,
    /// looked up by the responses themselves: most operations share their errors with an
    /// earlier one, and the shape of each was made only to be looked up.
    by_shape: hashbrown::HashTable<(u64, Shape, TypeId)>,
    /// Where an error type's name and summary are joined before they are kept.
    scratch: String,
}

impl ErrorTypes {
    /// `parts` joined in the scratch text.
    fn joined(&mut self, parts: &[&str]) -> &str {
        self.scratch.clear();
        for part in parts {
            self.scratch.push_str(part);
        }
        &self.scratch
    }
}

/// The statuses and bodies of an operation's error responses, in order.
type Shape = Vec<(StatusMatch, ResponseBody)>;

/// The hash of the statuses and bodies of `failures`, as [`ErrorTypes`] keeps them.
fn shape_hash(failures: &[&Documented]) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    for response in failures {
        response.status.hash(&mut hasher);
        response.body.hash(&mut hasher);
    }
    hasher.finish()
}

/// Whether `shape` is the statuses and bodies of `failures`.
fn is_shape_of(shape: &[(StatusMatch, ResponseBody)], failures: &[&Documented]) -> bool {
    shape.len() == failures.len()
        && shape
            .iter()
            .zip(failures)
            .all(|((status, body), response)| *status == response.status && *body == response.body)
}

/// One documented response, resolved.
struct Documented {
    name: SmolStr,
    status: StatusMatch,
    body: ResponseBody,
    docs: Docs,
}

fn status_match(code: &StatusCode) -> StatusMatch {
    match code {
        StatusCode::Code(code) => StatusMatch::Code(*code),
        StatusCode::Range(range) => StatusMatch::Range(*range),
    }
}

/// How the spec writes `code` as a key (`200`, `4XX`), as `StatusCode`'s `Display` does:
/// every response of every operation has one, and a number is written by `itoa` rather
/// than through the formatting machinery (about 1 M instructions for Kubernetes).
fn status_key(code: &StatusCode) -> SmolStr {
    const RANGES: [&str; 6] = ["0XX", "1XX", "2XX", "3XX", "4XX", "5XX"];
    match code {
        StatusCode::Code(number) => SmolStr::new(itoa::Buffer::new().format(*number)),
        // Nearly every operation of some specs has `4XX` and `5XX`: spelled from a table.
        StatusCode::Range(range) => match RANGES.get(usize::from(*range)) {
            Some(key) => SmolStr::new_static(key),
            None => smol_str::format_smolstr!("{code}"),
        },
    }
}

fn is_success(status: StatusMatch) -> bool {
    match status {
        StatusMatch::Code(code) => (200..300).contains(&code),
        StatusMatch::Range(range) => range == 2,
        StatusMatch::Default => false,
    }
}

fn variant_name(status: StatusMatch) -> SmolStr {
    match status {
        StatusMatch::Code(code) => naming::status_variant(code),
        StatusMatch::Range(4) => SmolStr::new_static("ClientError"),
        StatusMatch::Range(5) => SmolStr::new_static("ServerError"),
        StatusMatch::Range(range) => smol_str::format_smolstr!("Status{range}xx"),
        StatusMatch::Default => SmolStr::new_static("Default"),
    }
}

/// The name of the type an inline response body gets, in parts joined only when such a
/// type is made (most bodies name a component: joining the name for every response was
/// 8 % of lowering's allocations).
#[derive(Clone, Copy)]
struct NameHint<'h>([&'h str; 3]);

impl TypeSpace<'_> {
    /// The JSON content of a response, with the pointer of its schema.
    fn json_schema<'r>(
        response: &'r Response,
        pointer: At<'_>,
    ) -> Option<(&'r ReferenceOr<Box<Schema>>, String)> {
        let (media, content) = response.content.iter().find(|(media, _)| is_json(media))?;
        let content_pointer = pointer.key("content");
        let media_pointer = content_pointer.key(media);
        Some((
            content.schema.as_ref()?,
            media_pointer.key("schema").pointer(),
        ))
    }

    /// The body of a success under `rule`, and the body of the failure it may report.
    fn success_or_failure(
        &mut self,
        response: &Response,
        rule: &ErrorWhen,
        hint: NameHint<'_>,
        pointer: At<'_>,
    ) -> (ResponseBody, ResponseBody) {
        let split = Self::json_schema(response, pointer).and_then(|(schema, schema_pointer)| {
            self.failure_branches(schema, rule, At::Pointer(&schema_pointer))
        });
        match split {
            Some(branches) => {
                let (success, success_pointer) = branches.success;
                let (failure, failure_pointer) = branches.failure;
                let success = self.hinted_type(success, hint, At::Pointer(&success_pointer));
                let failure_hint = NameHint([hint.0[0], hint.0[1], "Failure"]);
                let failure =
                    self.hinted_type(failure, failure_hint, At::Pointer(&failure_pointer));
                (ResponseBody::Json(success), ResponseBody::Json(failure))
            }
            None => {
                let body = self.response_body(response, hint, pointer);
                (body.clone(), body)
            }
        }
    }

    /// [`TypeSpace::type_of`], the hint joined only for an inline schema (one that may be
    /// named after it).
    fn hinted_type<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: NameHint<'_>,
        pointer: At<'_>,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { .. } => self.type_of(schema, "", pointer),
            ReferenceOr::Item(_) => self.type_of(schema, &hint.0.concat(), pointer),
        }
    }

    fn response_body(
        &mut self,
        response: &Response,
        hint: NameHint<'_>,
        pointer: At<'_>,
    ) -> ResponseBody {
        let content_pointer = pointer.key("content");
        let chosen = response
            .content
            .iter()
            .find(|(media, _)| is_json(media))
            .or_else(|| {
                response
                    .content
                    .iter()
                    .find(|(media, _)| media.starts_with("text/"))
            })
            .or_else(|| response.content.first());
        let Some((media, content)) = chosen else {
            return ResponseBody::Empty;
        };
        let media_pointer = content_pointer.key(media);
        let schema_pointer = media_pointer.key("schema");
        if is_json(media) {
            let ty = match &content.schema {
                Some(schema) => self.hinted_type(schema, hint, schema_pointer),
                None => TypeRef::Any,
            };
            ResponseBody::Json(ty)
        } else if media.starts_with("text/") {
            // A number or a boolean written as text (Mixpanel's `1`) is its JSON as well:
            // it is read as its type rather than handed over as a string.
            let scalar = content.schema.as_ref().filter(|schema| {
                self.resolve(schema).is_some_and(|schema| {
                    matches!(
                        schema.schema_kind,
                        SchemaKind::Type(Type::Integer(_) | Type::Number(_) | Type::Boolean(_))
                    )
                })
            });
            match scalar {
                Some(schema) => ResponseBody::Json(self.hinted_type(schema, hint, schema_pointer)),
                None => ResponseBody::Text,
            }
        } else {
            ResponseBody::Bytes
        }
    }

    /// The stream of values `response` can be sent as, when it documents a streaming media
    /// type with a schema; its values are named after `operation`.
    fn event_stream(
        &mut self,
        response: &Response,
        operation: &str,
        response_pointer: At<'_>,
    ) -> Option<EventStream> {
        let (framing, media, schema) = response.content.iter().find_map(|(media, content)| {
            Some((Framing::of(media)?, media, content.schema.as_ref()?))
        })?;
        let content_pointer = response_pointer.key("content");
        let media_pointer = content_pointer.key(media);
        let schema_pointer = media_pointer.key("schema");
        let item = match self.watch_event(media, schema, operation) {
            Some((event, name)) => self.inline(&event, &name, schema_pointer),
            None => self.type_of(schema, &format!("{operation}Event"), schema_pointer),
        };
        Some(EventStream {
            item,
            framing,
            media_type: media.to_string(),
        })
    }

    /// Kubernetes documents the watch of a list operation (`stream=watch`) with the list's
    /// schema, but sends watch events, `{"type": "ADDED", "object": {..}}` one per line, each
    /// about one item of the list. For such a stream: the schema of those events, and the
    /// name of their type (after the item's component, so that the lists and watches of one
    /// kind of object share it).
    fn watch_event(
        &self,
        media_type: &str,
        schema: &ReferenceOr<Box<Schema>>,
        operation: &str,
    ) -> Option<(Schema, SmolStr)> {
        if !is_watch_stream(media_type) {
            return None;
        }
        let SchemaKind::Type(Type::Object(list)) = &self.resolve(schema)?.schema_kind else {
            return None;
        };
        if list.properties.contains_key("object") {
            // Already the events (the `WatchEvent` of Kubernetes' watch operations).
            return None;
        }
        let ReferenceOr::Item(items) = list.properties.get("items")? else {
            return None;
        };
        let SchemaKind::Type(Type::Array(array)) = &items.schema_kind else {
            return None;
        };
        let object = array.items.clone()?;
        let name = match &object {
            ReferenceOr::Reference { reference } => component_name(reference, "schemas")
                .map(|item| naming::type_name(&format!("{item} watch event"), "WatchEvent")),
            ReferenceOr::Item(_) => None,
        };
        let change = Schema {
            schema_data: SchemaData {
                description: Some(
                    "What happened to the object: `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or \
                     `ERROR`."
                        .into(),
                ),
                ..SchemaData::default()
            },
            schema_kind: SchemaKind::Type(Type::String(StringType::default())),
        };
        let event = ObjectType {
            properties: [
                (
                    SmolStr::new_static("type"),
                    ReferenceOr::Item(Box::new(change)),
                ),
                (SmolStr::new_static("object"), object),
            ]
            .into_iter()
            .collect(),
            required: vec![SmolStr::new_static("type"), SmolStr::new_static("object")],
            ..ObjectType::default()
        };
        let event = Schema {
            schema_data: SchemaData {
                description: Some(
                    "A change to one object, as a watch sends it. The object of an `ERROR` \
                     event is a `Status`, which reads as a decode error here."
                        .into(),
                ),
                ..SchemaData::default()
            },
            schema_kind: SchemaKind::Type(Type::Object(event)),
        };
        Some((
            event,
            name.unwrap_or_else(|| smol_str::format_smolstr!("{operation}WatchEvent")),
        ))
    }

    /// The success type and the error type of an operation named `operation` (a type
    /// name used to name inline types), and the stream of values the lowest success status
    /// that documents one can be sent as. Under `error_when`, a success response may report
    /// a failure: that failure is an error variant of its own (`Failed`).
    pub(crate) fn responses(
        &mut self,
        responses: &Responses,
        operation: &str,
        error_when: Option<&ErrorWhen>,
        errors: &mut ErrorTypes,
        pointer: At<'_>,
    ) -> (Success, Option<TypeId>, Option<EventStream>) {
        let responses_pointer = pointer.key("responses");
        let entries = responses
            .responses
            .iter()
            .map(|(code, response)| (status_match(code), status_key(code), response))
            .chain(responses.default.as_ref().map(|response| {
                let key = SmolStr::new_static("default");
                (StatusMatch::Default, key, response)
            }));
        let mut documented = Vec::with_capacity(responses.responses.len() + 1);
        let mut reported_failures = Vec::new();
        // The streamed success of the lowest status: its status, response and key.
        let mut streamed = None;
        for (status, key, response) in entries {
            let response_pointer = responses_pointer.key(&key);
            let Some(response) = self.resolve_response(response, response_pointer) else {
                continue;
            };
            let success = is_success(status);
            let lower = streamed
                .as_ref()
                .is_none_or(|(best, _, _): &(StatusMatch, &Response, SmolStr)| status < *best);
            if success
                && lower
                && response
                    .content
                    .keys()
                    .any(|media| Framing::of(media).is_some())
            {
                streamed = Some((status, response, key.clone()));
            }
            let name = variant_name(status);
            let hint = NameHint([operation, if success { "Response" } else { &name }, ""]);
            let docs = Docs {
                description: Some(response.description.clone())
                    .filter(|text| !text.trim().is_empty()),
                ..Docs::default()
            };
            let body = match error_when.filter(|_| success) {
                Some(rule) => {
                    let (body, failure) =
                        self.success_or_failure(response, rule, hint, response_pointer);
                    reported_failures.push(Documented {
                        name: SmolStr::new_static(FAILED_VARIANT),
                        status,
                        body: failure,
                        docs: Docs {
                            summary: Some(smol_str::format_smolstr!(
                                "A failure reported with a success status: `{}` is {}.",
                                rule.property,
                                rule.equals
                            )),
                            ..Docs::default()
                        },
                    });
                    body
                }
                None => self.response_body(response, hint, response_pointer),
            };
            documented.push(Documented {
                name,
                status,
                body,
                docs,
            });
        }
        documented.sort_by_key(|response| response.status);

        // The successes, then the failures, in one vector.
        let mut by_kind: Vec<&Documented> = Vec::with_capacity(documented.len() + 1);
        by_kind.extend(
            documented
                .iter()
                .filter(|response| is_success(response.status)),
        );
        let successes_end = by_kind.len();
        by_kind.extend(
            documented
                .iter()
                .filter(|response| !is_success(response.status)),
        );
        // One `Failed` variant, for the first success status: providers that report
        // failures in a success status use one (Slack's 200).
        by_kind.extend(reported_failures.iter().take(1));
        let (successes, failures) = by_kind.split_at_mut(successes_end);
        failures.sort_by_key(|response| response.status);
        let success = match &*successes {
            [] => match failures
                .iter()
                .find(|response| response.status == StatusMatch::Default)
            {
                // Only `default` documented: it describes the success too (common in
                // Swagger 2.0 specs).
                Some(default) => Success::One(default.body.clone()),
                None => Success::One(ResponseBody::Bytes),
            },
            [first, rest @ ..] if rest.iter().all(|response| response.body == first.body) => {
                Success::One(first.body.clone())
            }
            several => {
                let variants = several
                    .iter()
                    .map(|response| self.variant(response))
                    .collect();
                let name = [operation, "Response"].concat();
                let kind = TypeKind::Responses(ResponsesDef { variants });
                let docs = Docs {
                    summary: Some(smol_str::format_smolstr!(
                        "The successful responses of `{operation}`, by status."
                    )),
                    ..Docs::default()
                };
                Success::Several(self.add_type(&name, docs, kind))
            }
        };
        let error = self.error_type(failures, operation, errors);
        let events = streamed.and_then(|(_, response, key)| {
            self.event_stream(response, operation, responses_pointer.key(&key))
        });
        (success, error, events)
    }

    fn variant(&self, response: &Documented) -> ResponseVariant {
        ResponseVariant {
            name: response.name.clone(),
            status: response.status,
            body: response.body.clone(),
            docs: response.docs.clone(),
        }
    }

    fn error_type(
        &mut self,
        failures: &[&Documented],
        operation: &str,
        errors: &mut ErrorTypes,
    ) -> Option<TypeId> {
        if failures.is_empty() {
            return None;
        }
        let hash = shape_hash(failures);
        let found = errors
            .by_shape
            .find(hash, |(known, shape, _)| {
                *known == hash && is_shape_of(shape, failures)
            })
            .map(|(_, _, id)| *id);
        if let Some(id) = found {
            // The same errors as another operation: one enum, and a name of its own.
            let shared = &self.types[id.0].name;
            let summary = errors.joined(&[
                "The error responses `",
                operation,
                "` documents: the same as [`",
                shared,
                "`].",
            ]);
            let docs = Docs {
                summary: Some(SmolStr::new(summary)),
                ..Docs::default()
            };
            let alias = TypeKind::Alias(TypeRef::Named(id));
            return Some(self.add_type(errors.joined(&[operation, "Error"]), docs, alias));
        }
        let variants = failures
            .iter()
            .map(|response| self.variant(response))
            .collect();
        let summary = errors.joined(&[
            "The error responses `",
            operation,
            "` documents, by status.",
        ]);
        let docs = Docs {
            summary: Some(SmolStr::new(summary)),
            ..Docs::default()
        };
        let id = self.add_type(
            errors.joined(&[operation, "Error"]),
            docs,
            TypeKind::Responses(ResponsesDef { variants }),
        );
        let shape = failures
            .iter()
            .map(|response| (response.status, response.body.clone()))
            .collect();
        errors
            .by_shape
            .insert_unique(hash, (hash, shape, id), |(known, ..)| *known);
        Some(id)
    }

    fn resolve_response<'r>(
        &mut self,
        response: &'r ReferenceOr<Response>,
        pointer: At<'_>,
    ) -> Option<&'r Response>
    where
        Self: 'r,
    {
        match response {
            ReferenceOr::Item(response) => Some(response),
            ReferenceOr::Reference { reference } => {
                let found = self.component_response(reference);
                if found.is_none() {
                    self.note(
                        pointer,
                        format!("`$ref: {reference}` names no response; ignored"),
                    );
                }
                found
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys_are_written_as_the_spec_writes_them() {
        for status in [0, 7, 200, 404, 65535]
            .map(StatusCode::Code)
            .into_iter()
            .chain([0, 2, 5, 6, 9].map(StatusCode::Range))
        {
            assert_eq!(status_key(&status), status.to_string());
        }
    }

    #[test]
    fn json_media_types_are_told_apart_from_streams_of_json() {
        for json in ["application/json", "application/JSON; charset=utf-8", "*/*"] {
            assert!(is_json(json), "{json}");
        }
        for other in [
            "application/x-ndjson",
            "application/json;stream=watch",
            "text/plain",
        ] {
            assert!(!is_json(other), "{other}");
        }
    }
}
