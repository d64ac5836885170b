//! A high-fit lead as HubSpot describes it, and what the other two providers are told
//! about it: the Salesforce Lead fields and the Slack message to the owning rep.

use crate::providers::{hubspot, salesforce, slack};
use chrono::{DateTime, Utc};

/// The HubSpot contact properties the sync reads.
pub const PROPERTIES: [&str; 7] = [
    "email",
    "firstname",
    "lastname",
    "jobtitle",
    "company",
    "content_downloads",
    "webinars_attended",
];

/// The Salesforce external ID field that holds the HubSpot contact id: upserting by it
/// makes a repeated sync update the lead instead of creating another.
pub const EXTERNAL_ID_FIELD: &str = "External_Id__c";

/// The Slack message metadata event type that marks a lead notification.
pub const EVENT_TYPE: &str = "lead_synced";

/// A HubSpot contact that became a high-fit lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    /// The HubSpot contact id.
    pub id: String,
    /// When HubSpot last modified the contact.
    pub modified: DateTime<Utc>,
    /// Email address.
    pub email: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Employer.
    pub company: Option<String>,
    /// Content the lead downloaded.
    pub downloads: Vec<String>,
    /// Webinars the lead attended.
    pub webinars: Vec<String>,
}

impl Lead {
    /// The lead in a contact from HubSpot's search.
    pub fn from_contact(contact: hubspot::SimplePublicObject) -> Lead {
        let mut properties = contact.properties;
        let mut take = |name: &str| {
            properties
                .remove(name)
                .flatten()
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        Lead {
            email: take("email"),
            first_name: take("firstname"),
            last_name: take("lastname"),
            title: take("jobtitle"),
            company: take("company"),
            downloads: list(take("content_downloads")),
            webinars: list(take("webinars_attended")),
            id: contact.id,
            modified: contact.updated_at,
        }
    }

    /// This change of this contact: the contact id and its modification time. A contact
    /// that changes again later is a new event.
    pub fn sync_key(&self) -> String {
        format!("{}@{}", self.id, self.modified.timestamp_millis())
    }

    /// The name to show: first and last name, else the email address, else the id.
    pub fn name(&self) -> String {
        let name = [&self.first_name, &self.last_name]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        match (name.is_empty(), &self.email) {
            (false, _) => name,
            (true, Some(email)) => email.clone(),
            (true, None) => format!("contact {}", self.id),
        }
    }

    /// The Salesforce Lead fields (`LastName` and `Company` are required there).
    pub fn to_salesforce(&self) -> salesforce::LeadInput {
        salesforce::LeadInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone().unwrap_or_else(|| self.name()),
            company: self
                .company
                .clone()
                .unwrap_or_else(|| "[not provided]".to_owned()),
            email: self.email.clone(),
            title: self.title.clone(),
            lead_source: Some("HubSpot".to_owned()),
            status: None,
            description: None,
            rating: Some("Hot".to_owned()),
            // The URL carries the external id on upsert.
            external_id_c: None,
            content_downloads_c: Some(self.downloads.join("\n")).filter(|text| !text.is_empty()),
            webinars_attended_c: Some(self.webinars.join("\n")).filter(|text| !text.is_empty()),
        }
    }

    /// The Slack message to the rep in `channel`, with metadata that identifies this sync
    /// event so that a later run can find out whether it was posted.
    pub fn to_slack(&self, channel: &str, salesforce_id: &str) -> slack::ChatPostMessageRequest {
        let role = match (&self.title, &self.company) {
            (Some(title), Some(company)) => format!("{title} at {company}"),
            (Some(title), None) => title.clone(),
            (None, Some(company)) => format!("works at {company}"),
            (None, None) => "title and employer unknown".to_owned(),
        };
        let mut text = format!(":fire: New high-fit lead *{}*, {role}", self.name());
        if let Some(email) = &self.email {
            text.push_str(&format!(" ({email})"));
        }
        text.push_str(&format!("\nSalesforce lead: {salesforce_id}"));
        text.push_str(&format!("\nDownloaded: {}", or_none(&self.downloads)));
        text.push_str(&format!("\nWebinars attended: {}", or_none(&self.webinars)));
        let event_payload = [
            ("sync_key", self.sync_key()),
            ("hubspot_id", self.id.clone()),
            ("salesforce_id", salesforce_id.to_owned()),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), serde_json::Value::String(value)))
        .collect();
        slack::ChatPostMessageRequest {
            channel: channel.to_owned(),
            text: Some(text),
            blocks: None,
            thread_ts: None,
            unfurl_links: Some(false),
            mrkdwn: None,
            metadata: Some(slack::MessageMetadata {
                event_type: EVENT_TYPE.to_owned(),
                event_payload,
            }),
        }
    }
}

/// Whether a Slack message is the notification of the sync event `sync_key`.
pub fn is_notification_of(message: &slack::Message, sync_key: &str) -> bool {
    message.metadata.as_ref().is_some_and(|metadata| {
        metadata.event_type == EVENT_TYPE
            && metadata
                .event_payload
                .get("sync_key")
                .and_then(|key| key.as_str())
                == Some(sync_key)
    })
}

/// HubSpot multi-select values are separated by semicolons.
fn list(value: Option<String>) -> Vec<String> {
    value
        .iter()
        .flat_map(|value| value.split(';'))
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}
