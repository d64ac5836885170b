//! `x-tether-error-when`: providers that report failures in a success status, as Slack's
//! `200 {"ok": false, "error": "channel_not_found"}`. The extension names the property and
//! the value that mark a failure, on an operation or at the document root (a default for
//! every operation). A success body that is `oneOf` a success object and an error object
//! is split here: the call yields the success branch, and the error branch becomes the
//! error type's `Failed` variant.

use crate::load::ReferenceOr;
use serde_json::Value;

use super::schema::TypeSpace;
use super::ErrorWhen;
use crate::diagnostics::At;
use crate::load::{Operation, Schema, SchemaKind, Type};

/// The extension's name.
pub(crate) const EXTENSION: &str = "x-tether-error-when";

/// The name of the error variant that holds a failure reported in a success status.
pub const FAILED_VARIANT: &str = "Failed";

/// The two branches of a success body that may be a failure.
pub(crate) struct Branches<'s> {
    /// The branch a real success has, with its pointer.
    pub(crate) success: (&'s ReferenceOr<Schema>, String),
    /// The branch a failure has, with its pointer.
    pub(crate) failure: (&'s ReferenceOr<Schema>, String),
}

impl<'a> TypeSpace<'a> {
    /// The rule of an operation: its own `x-tether-error-when`, else the document's.
    pub(crate) fn error_when(
        &mut self,
        operation: &Operation,
        pointer: At<'_>,
    ) -> Option<ErrorWhen> {
        if let Some(value) = operation.extensions.get(EXTENSION) {
            return self.parse_error_when(value, pointer.key(EXTENSION));
        }
        let value = self.document.extensions.get(EXTENSION)?;
        self.parse_error_when(value, At::Pointer("").key(EXTENSION))
    }

    fn parse_error_when(&mut self, value: &Value, pointer: At<'_>) -> Option<ErrorWhen> {
        let property = value.get("property").and_then(Value::as_str);
        let equals = value.get("equals");
        match (property, equals) {
            (Some(property), Some(equals)) if !property.is_empty() => Some(ErrorWhen {
                property: property.to_owned(),
                equals: equals.clone(),
            }),
            _ => {
                self.note(
                    pointer,
                    "ignored: expected `{property: <name>, equals: <value>}`",
                );
                None
            }
        }
    }

    /// Splits a success body that is `oneOf` (or `anyOf`) one success object and one
    /// failure object, the failure being the branch whose `rule.property` allows only
    /// `rule.equals` (`enum: [false]`). `None`, with a note, when the body is a union that
    /// cannot be split so; `None` without a note when it is no union (the whole body is
    /// then both the success and the failure type).
    pub(crate) fn failure_branches<'s>(
        &mut self,
        schema: &'s ReferenceOr<Box<Schema>>,
        rule: &ErrorWhen,
        pointer: At<'_>,
    ) -> Option<Branches<'s>>
    where
        'a: 's,
    {
        let (keyword, branches) = match &self.resolve(schema)?.schema_kind {
            SchemaKind::OneOf { one_of } => ("oneOf", one_of),
            SchemaKind::AnyOf { any_of } => ("anyOf", any_of),
            _ => return None,
        };
        let union_pointer = pointer.key(keyword);
        let (failures, successes): (Vec<_>, Vec<_>) = branches
            .iter()
            .enumerate()
            .map(|(index, branch)| (branch, union_pointer.index(index).pointer()))
            .partition(|(branch, _)| self.only_allows(branch, rule));
        match (successes.as_slice(), failures.as_slice()) {
            ([success], [failure]) => Some(Branches {
                success: success.clone(),
                failure: failure.clone(),
            }),
            _ => {
                self.note(
                    union_pointer,
                    format!(
                        "{EXTENSION}: expected one branch whose `{}` allows only {} and one other; the whole union is both the success and the failure type",
                        rule.property, rule.equals
                    ),
                );
                None
            }
        }
    }

    /// Whether `branch` is an object whose `rule.property` allows only `rule.equals`.
    fn only_allows(&self, branch: &ReferenceOr<Schema>, rule: &ErrorWhen) -> bool {
        let Some(branch) = self.resolve(branch) else {
            return false;
        };
        let properties = match &branch.schema_kind {
            SchemaKind::Type(Type::Object(object)) => &object.properties,
            SchemaKind::Any(any) => &any.properties,
            _ => return false,
        };
        properties
            .get(rule.property.as_str())
            .and_then(|property| self.resolve(property))
            .and_then(listed_values)
            .is_some_and(|values| values == [rule.equals.clone()])
    }
}

/// The values a schema's `enum` lists, as JSON; `None` for a kind that lists none.
fn listed_values(schema: &Schema) -> Option<Vec<Value>> {
    fn or_null<T: Clone + Into<Value>>(value: &Option<T>) -> Value {
        value.clone().map_or(Value::Null, Into::into)
    }
    let values = match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string.enumeration.iter().map(or_null).collect(),
        SchemaKind::Type(Type::Integer(integer)) => {
            integer.enumeration.iter().map(or_null).collect()
        }
        SchemaKind::Type(Type::Number(number)) => number.enumeration.iter().map(or_null).collect(),
        SchemaKind::Type(Type::Boolean(boolean)) => {
            boolean.enumeration.iter().map(or_null).collect()
        }
        SchemaKind::Any(any) => any.enumeration.clone(),
        _ => return None,
    };
    Some(values)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::ir::{lower, ResponseBody, Selection, Success, TypeKind, TypeRef};

    fn lowered(document: serde_json::Value) -> crate::ir::Api {
        let document: crate::load::Document =
            serde_json::from_value(document).expect("an OpenAPI document");
        lower(&document, Vec::new(), &Selection::default()).expect("lowers")
    }

    fn slack_like(operation_rule: Option<serde_json::Value>) -> serde_json::Value {
        let mut operation = json!({
            "operationId": "chat.postMessage",
            "responses": {"200": {"description": "ok or not", "content": {"application/json": {
                "schema": {"oneOf": [
                    {"$ref": "#/components/schemas/Posted"},
                    {"$ref": "#/components/schemas/SlackError"}
                ]}
            }}}}
        });
        if let Some(rule) = operation_rule {
            operation["x-tether-error-when"] = rule;
        }
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "x-tether-error-when": {"property": "ok", "equals": false},
            "paths": {"/chat.postMessage": {"post": operation}},
            "components": {"schemas": {
                "Posted": {"type": "object", "required": ["ok", "ts"], "properties": {
                    "ok": {"type": "boolean", "enum": [true]}, "ts": {"type": "string"}}},
                "SlackError": {"type": "object", "required": ["ok", "error"], "properties": {
                    "ok": {"type": "boolean", "enum": [false]}, "error": {"type": "string"}}}
            }}
        })
    }

    fn type_name(api: &crate::ir::Api, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => api.types[id.0].name.to_string(),
            other => format!("{other:?}"),
        }
    }

    fn check_split(api: &crate::ir::Api, operation: &crate::ir::Operation) {
        let rule = operation.error_when.as_ref().expect("the rule is read");
        assert_eq!(rule.property, "ok");
        assert_eq!(rule.equals, json!(false));
        let Success::One(ResponseBody::Json(success)) = &operation.success else {
            panic!("one JSON success: {:?}", operation.success);
        };
        assert_eq!(type_name(api, success), "Posted");
        let error = operation.error.expect("an error type");
        let TypeKind::Responses(responses) = &api.types[error.0].kind else {
            panic!("a responses enum");
        };
        let failed = responses
            .variants
            .iter()
            .find(|variant| variant.name == "Failed")
            .expect("a Failed variant");
        assert_eq!(failed.status, crate::ir::StatusMatch::Code(200));
        let ResponseBody::Json(body) = &failed.body else {
            panic!("a JSON failure body");
        };
        assert_eq!(type_name(api, body), "SlackError");
    }

    #[test]
    fn document_default_splits_the_success_union() {
        let api = lowered(slack_like(None));
        check_split(&api, &api.operations[0]);
    }

    #[test]
    fn operation_rule_overrides_the_document_default() {
        let rule = json!({"property": "ok", "equals": true});
        let api = lowered(slack_like(Some(rule)));
        let operation = &api.operations[0];
        assert_eq!(
            operation.error_when.as_ref().map(|rule| &rule.equals),
            Some(&json!(true))
        );
        let Success::One(ResponseBody::Json(success)) = &operation.success else {
            panic!("one JSON success");
        };
        assert_eq!(type_name(&api, success), "SlackError");
    }

    #[test]
    fn the_marking_property_may_be_a_reference_or_a_schema_of_no_one_kind() {
        let referring = json!({"$ref": "#/components/schemas/NotOk"});
        // `enum` without `type`: a schema of no one kind, which lists its values as written.
        let kindless = json!({"enum": [false], "description": "no"});
        for ok in [referring, kindless] {
            let mut document = slack_like(None);
            let schemas = &mut document["components"]["schemas"];
            schemas["NotOk"] = json!({"type": "boolean", "enum": [false]});
            schemas["SlackError"]["properties"]["ok"] = ok;
            let api = lowered(document);
            check_split(&api, &api.operations[0]);
        }
    }

    #[test]
    fn a_marking_property_that_allows_more_than_the_value_splits_nothing() {
        let mut document = slack_like(None);
        document["components"]["schemas"]["SlackError"]["properties"]["ok"] =
            json!({"type": "boolean", "enum": [false, true]});
        let api = lowered(document);
        let Success::One(ResponseBody::Json(success)) = &api.operations[0].success else {
            panic!("one JSON success");
        };
        assert_ne!(type_name(&api, success), "Posted", "the union stays whole");
        assert!(
            api.notes
                .iter()
                .any(|note| note.message.contains("the whole union")),
            "{:?}",
            api.notes
        );
    }

    #[test]
    fn a_malformed_rule_is_a_note_and_no_rule() {
        let mut document = slack_like(Some(json!({"equals": false})));
        document
            .as_object_mut()
            .expect("an object")
            .remove("x-tether-error-when");
        let api = lowered(document);
        assert!(api.operations[0].error_when.is_none());
        assert!(
            api.notes
                .iter()
                .any(|note| note.pointer.ends_with("/x-tether-error-when")),
            "{:?}",
            api.notes
        );
    }
}
