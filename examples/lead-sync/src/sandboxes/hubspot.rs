//! A HubSpot that answers the contact search from the [`World`](super::World)'s contacts: filters
//! combined as HubSpot combines them, sorted by one property, paged with `after`.

use std::sync::Arc;

use tether::sandbox::Reply;

use crate::providers::hubspot::{
    sandbox, CollectionResponseWithTotalSimplePublicObjectForwardPaging as SearchPage,
    DoSearchError, Error, Filter, FilterGroup, FilterOperator, ForwardPaging, NextPage,
    PublicObjectSearchRequest, SimplePublicObject,
};
use crate::sandboxes::world::Contact;

/// The largest page HubSpot's search returns.
const MAX_PAGE: usize = 200;

/// The fake HubSpot; clones share the contacts.
#[derive(Debug, Clone)]
pub struct FakeHubSpot {
    contacts: Arc<Vec<Contact>>,
}

impl FakeHubSpot {
    /// A HubSpot holding `contacts`.
    pub fn new(contacts: Vec<Contact>) -> Self {
        FakeHubSpot {
            contacts: Arc::new(contacts),
        }
    }

    /// One page of a search. `Err` is HubSpot's message for a request it refuses.
    pub fn search(&self, request: &PublicObjectSearchRequest) -> Result<SearchPage, String> {
        let groups = request.filter_groups.as_deref().unwrap_or_default();
        let mut found: Vec<&Contact> = Vec::new();
        for contact in self.contacts.iter() {
            if contact_matches(contact, groups)? {
                found.push(contact);
            }
        }
        let sort = request
            .sorts
            .as_ref()
            .and_then(|sorts| sorts.first())
            .map(String::as_str)
            .unwrap_or("hs_object_id");
        let (property, descending) = match sort.strip_prefix('-') {
            Some(property) => (property, true),
            None => (sort, false),
        };
        found.sort_by(|a, b| {
            let order = sort_key(a, property)
                .cmp(&sort_key(b, property))
                .then_with(|| numeric(&a.id).cmp(&numeric(&b.id)));
            if descending {
                order.reverse()
            } else {
                order
            }
        });
        let offset = match &request.after {
            Some(after) => after
                .parse::<usize>()
                .map_err(|_| format!("`after` must be a paging cursor, not `{after}`"))?,
            None => 0,
        };
        let limit = request
            .limit
            .map_or(10, |limit| limit.clamp(1, MAX_PAGE as i32) as usize);
        let total = found.len();
        let end = (offset + limit).min(total);
        let results = found
            .get(offset.min(total)..end)
            .unwrap_or_default()
            .iter()
            .map(|contact| object(contact, request.properties.as_deref()))
            .collect();
        let paging = (end < total).then(|| ForwardPaging {
            next: Some(NextPage {
                after: end.to_string(),
                link: None,
            }),
        });
        Ok(SearchPage {
            total: total as i32,
            results,
            paging,
        })
    }
}

/// Filter groups are combined with OR (no group: every contact), filters with AND.
fn contact_matches(contact: &Contact, groups: &[FilterGroup]) -> Result<bool, String> {
    if groups.is_empty() {
        return Ok(true);
    }
    for group in groups {
        if group_matches(contact, &group.filters)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn group_matches(contact: &Contact, filters: &[Filter]) -> Result<bool, String> {
    for filter in filters {
        if !filter_matches(contact, filter)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn filter_matches(contact: &Contact, filter: &Filter) -> Result<bool, String> {
    let value = property(contact, &filter.property_name);
    let Some(wanted) = &filter.value else {
        return match filter.operator {
            FilterOperator::HasProperty => Ok(value.is_some()),
            FilterOperator::NotHasProperty => Ok(value.is_none()),
            _ => Err(format!(
                "filter on `{}` needs a value",
                filter.property_name
            )),
        };
    };
    let Some(value) = value else {
        return Ok(false);
    };
    let ordering = compare(&filter.property_name, &value, wanted)?;
    Ok(match filter.operator {
        FilterOperator::Eq => ordering.is_eq(),
        FilterOperator::Neq => ordering.is_ne(),
        FilterOperator::Lt => ordering.is_lt(),
        FilterOperator::Lte => ordering.is_le(),
        FilterOperator::Gt => ordering.is_gt(),
        FilterOperator::Gte => ordering.is_ge(),
        ref other => return Err(format!("this sandbox does not support {}", other.as_str())),
    })
}

/// Compares a property with a filter value: numbers as numbers, dates as epoch
/// milliseconds (as HubSpot takes them in filters), anything else as text.
fn compare(name: &str, value: &str, wanted: &str) -> Result<std::cmp::Ordering, String> {
    if name == "lastmodifieddate" {
        let value = millis(value).ok_or_else(|| format!("bad date `{value}`"))?;
        let wanted = wanted
            .parse::<i64>()
            .ok()
            .or_else(|| millis(wanted))
            .ok_or_else(|| format!("`{wanted}` is not a date for `{name}`"))?;
        return Ok(value.cmp(&wanted));
    }
    match (value.parse::<f64>(), wanted.parse::<f64>()) {
        (Ok(value), Ok(wanted)) => Ok(value.total_cmp(&wanted)),
        _ => Ok(value.cmp(wanted)),
    }
}

fn millis(date: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(date)
        .ok()
        .map(|date| date.timestamp_millis())
}

fn numeric(id: &str) -> u64 {
    id.parse().unwrap_or(u64::MAX)
}

fn property(contact: &Contact, name: &str) -> Option<String> {
    match name {
        "hs_object_id" => Some(contact.id.clone()),
        _ => contact
            .properties
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, value)| value.clone()),
    }
}

fn sort_key(contact: &Contact, name: &str) -> (i64, String) {
    match name {
        "lastmodifieddate" => (contact.modified.timestamp_millis(), String::new()),
        "hs_object_id" => (numeric(&contact.id) as i64, String::new()),
        _ => (0, property(contact, name).unwrap_or_default()),
    }
}

fn object(contact: &Contact, wanted: Option<&[String]>) -> SimplePublicObject {
    let properties = contact
        .properties
        .iter()
        .filter(|(name, _)| wanted.is_none_or(|wanted| wanted.iter().any(|w| w == name)))
        .map(|(name, value)| ((*name).to_owned(), Some(value.clone())))
        .collect();
    SimplePublicObject {
        id: contact.id.clone(),
        properties,
        properties_with_history: None,
        created_at: contact.created,
        updated_at: contact.modified,
        archived: Some(false),
        archived_at: None,
    }
}

impl sandbox::Api for FakeHubSpot {
    async fn do_search(&self, body: PublicObjectSearchRequest) -> Reply<SearchPage, DoSearchError> {
        match self.search(&body) {
            Ok(page) => Reply::ok(page),
            Err(message) => Reply::error(DoSearchError::Default(Error {
                category: "VALIDATION_ERROR".to_owned(),
                correlation_id: uuid::Uuid::nil(),
                message,
                sub_category: None,
                context: None,
                links: None,
                errors: None,
            }))
            .with_status(tether::StatusCode::BAD_REQUEST),
        }
    }
}
