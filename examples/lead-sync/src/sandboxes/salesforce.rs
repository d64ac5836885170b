//! A Salesforce org with a Lead object keyed by the external id field, lead assignment to
//! the [`World`](super::World)'s reps, and the users behind them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use tether::sandbox::Reply;

use crate::lead::EXTERNAL_ID_FIELD;
use crate::providers::salesforce::{
    sandbox, ApiError, Attributes, GetLeadError, GetUserError, Lead, LeadInput, SaveResult,
    UpsertLeadByExternalIdError, UpsertLeadByExternalIdResponse, User,
};
use crate::sandboxes::world::Rep;

/// A Lead as the fake org stores it.
#[derive(Debug, Clone)]
pub struct StoredLead {
    /// Record id.
    pub id: String,
    /// The external id (the HubSpot contact id).
    pub external_id: String,
    /// The owning rep's user id.
    pub owner_id: String,
    /// The fields last written.
    pub fields: LeadInput,
    /// How many upserts wrote it.
    pub writes: u32,
}

#[derive(Debug, Default)]
struct Org {
    /// By external id.
    leads: BTreeMap<String, StoredLead>,
}

/// The fake Salesforce; clones share the org.
#[derive(Debug, Clone)]
pub struct FakeSalesforce {
    org: Arc<Mutex<Org>>,
    reps: Arc<Vec<Rep>>,
}

/// Why the fake org refused a request: a status and Salesforce's error body.
pub type Refusal = (u16, Vec<ApiError>);

fn refusal(status: u16, code: &str, message: String) -> Refusal {
    let error = ApiError {
        message,
        error_code: code.to_owned(),
        fields: None,
    };
    (status, vec![error])
}

impl FakeSalesforce {
    /// An org whose users are `reps`, with no leads.
    pub fn new(reps: Vec<Rep>) -> Self {
        FakeSalesforce {
            org: Arc::default(),
            reps: Arc::new(reps),
        }
    }

    fn org(&self) -> std::sync::MutexGuard<'_, Org> {
        self.org.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every lead, by external id.
    pub fn leads(&self) -> Vec<StoredLead> {
        self.org().leads.values().cloned().collect()
    }

    /// Creates or updates the lead whose `field` is `value`; whether it was created.
    pub fn upsert(
        &self,
        field: &str,
        value: &str,
        fields: LeadInput,
    ) -> Result<(SaveResult, bool), Refusal> {
        if field != EXTERNAL_ID_FIELD {
            return Err(refusal(
                404,
                "NOT_FOUND",
                format!("Provided external ID field does not exist or is not accessible: {field}"),
            ));
        }
        if fields.last_name.trim().is_empty() || fields.company.trim().is_empty() {
            return Err(refusal(
                400,
                "REQUIRED_FIELD_MISSING",
                "Required fields are missing: [LastName, Company]".to_owned(),
            ));
        }
        let mut org = self.org();
        let count = org.leads.len();
        let created = !org.leads.contains_key(value);
        let lead = org
            .leads
            .entry(value.to_owned())
            .or_insert_with(|| StoredLead {
                id: format!("00Q{:015}", count + 1),
                external_id: value.to_owned(),
                // Round-robin assignment, as a lead assignment rule would.
                owner_id: self.reps[count % self.reps.len().max(1)]
                    .salesforce_id
                    .clone(),
                fields: fields.clone(),
                writes: 0,
            });
        lead.fields = fields;
        lead.writes += 1;
        let saved = SaveResult {
            id: lead.id.clone(),
            success: true,
            errors: Vec::new(),
            created: Some(created),
        };
        Ok((saved, created))
    }

    /// The lead with record id `id`.
    pub fn lead(&self, id: &str) -> Result<Lead, Refusal> {
        let org = self.org();
        let lead = org
            .leads
            .values()
            .find(|lead| lead.id == id)
            .ok_or_else(not_found)?;
        Ok(Lead {
            attributes: attributes("Lead", &lead.id),
            id: Some(lead.id.clone()),
            first_name: lead.fields.first_name.clone(),
            last_name: Some(lead.fields.last_name.clone()),
            company: Some(lead.fields.company.clone()),
            email: lead.fields.email.clone(),
            title: lead.fields.title.clone(),
            lead_source: lead.fields.lead_source.clone(),
            status: Some("Open - Not Contacted".to_owned()),
            rating: lead.fields.rating.clone(),
            description: lead.fields.description.clone(),
            is_converted: Some(false),
            owner_id: Some(lead.owner_id.clone()),
            external_id_c: Some(lead.external_id.clone()),
            content_downloads_c: lead.fields.content_downloads_c.clone(),
            webinars_attended_c: lead.fields.webinars_attended_c.clone(),
            created_date: None,
            last_modified_date: None,
        })
    }

    /// The user with record id `id`.
    pub fn user(&self, id: &str) -> Result<User, Refusal> {
        let rep = self
            .reps
            .iter()
            .find(|rep| rep.salesforce_id == id)
            .ok_or_else(not_found)?;
        Ok(User {
            attributes: attributes("User", &rep.salesforce_id),
            id: Some(rep.salesforce_id.clone()),
            name: Some(rep.name.clone()),
            email: Some(rep.email.clone()),
            username: Some(rep.email.clone()),
            is_active: Some(true),
        })
    }
}

fn attributes(object: &str, id: &str) -> Attributes {
    Attributes {
        r#type: object.to_owned(),
        url: Some(format!("/services/data/v60.0/sobjects/{object}/{id}")),
    }
}

impl sandbox::Api for FakeSalesforce {
    async fn upsert_lead_by_external_id(
        &self,
        field: String,
        value: String,
        body: LeadInput,
    ) -> Reply<UpsertLeadByExternalIdResponse, UpsertLeadByExternalIdError> {
        match self.upsert(&field, &value, body) {
            Ok((saved, true)) => Reply::ok(UpsertLeadByExternalIdResponse::Created(saved)),
            Ok((saved, false)) => Reply::ok(UpsertLeadByExternalIdResponse::Ok(saved)),
            Err((404, errors)) => Reply::error(UpsertLeadByExternalIdError::NotFound(errors)),
            Err((_, errors)) => Reply::error(UpsertLeadByExternalIdError::BadRequest(errors)),
        }
    }

    async fn get_lead(
        &self,
        id: String,
        _fields: Option<Vec<String>>,
    ) -> Reply<Lead, GetLeadError> {
        self.lead(&id)
            .map_err(|(_, errors)| GetLeadError::NotFound(errors))
            .into()
    }

    async fn get_user(&self, id: String) -> Reply<User, GetUserError> {
        self.user(&id)
            .map_err(|(_, errors)| GetUserError::NotFound(errors))
            .into()
    }
}

/// Salesforce's answer for a record id it does not have.
fn not_found() -> Refusal {
    refusal(
        404,
        "NOT_FOUND",
        "The requested resource does not exist".to_owned(),
    )
}
