//! One pass of the sync: every HubSpot contact that became a high-fit lead since the
//! checkpoint, oldest change first, upserted into Salesforce and announced to its owner in
//! Slack, with the checkpoint saved after every step.

use std::io::Write;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use futures::TryStreamExt;

use crate::checkpoint::{Checkpoint, Stage};
use crate::error::{at, SyncError};
use crate::lead::{self, Lead};
use crate::notify::{Notified, Notifier};
use crate::providers::{hubspot, salesforce, Clients};
use crate::retries::{self, RetryCounter};

/// What a pass looks for and where it keeps its checkpoint.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The lowest HubSpot score (`hubspotscore`) of a high-fit lead.
    pub min_score: u32,
    /// How many contacts to ask HubSpot for per page (at most 200).
    pub page_size: i32,
    /// The checkpoint file.
    pub checkpoint: PathBuf,
}

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Leads synced to Salesforce and finished.
    pub synced: u64,
    /// Of those, leads Salesforce did not have before.
    pub created: u64,
    /// Of those, leads Salesforce had and updated.
    pub updated: u64,
    /// Slack messages posted to reps.
    pub notified: u64,
    /// Notifications an earlier, interrupted run had posted (found in Slack's history).
    pub already_notified: u64,
    /// Leads whose owner could not be found in Slack.
    pub without_rep: u64,
    /// Retries of failed calls seen during the pass.
    pub retries: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} leads synced ({} created, {} updated), {} reps notified",
            self.synced, self.created, self.updated, self.notified
        )?;
        if self.already_notified > 0 {
            write!(f, " (+{} found already notified)", self.already_notified)?;
        }
        if self.without_rep > 0 {
            write!(f, ", {} without a rep in Slack", self.without_rep)?;
        }
        write!(f, ", {} retries", self.retries)
    }
}

/// One pass over the leads, printing a line per lead to `progress`.
pub async fn run_pass(
    clients: &Clients,
    settings: &Settings,
    retries: &RetryCounter,
    progress: &mut (impl Write + Send),
) -> Result<Summary, SyncError> {
    let retries_before = retries.count();
    let mut checkpoint = Checkpoint::load(&settings.checkpoint)
        .map_err(|error| SyncError::new("read the checkpoint", error))?;
    let mut notifier = Notifier::new(
        clients.salesforce.clone(),
        clients.slack.clone(),
        retries.clone(),
    );
    let mut summary = Summary::default();
    let mut contacts = clients
        .hubspot
        .do_search(search(settings, &checkpoint))
        .items();
    while let Some(contact) = contacts
        .try_next()
        .await
        .map_err(at("search HubSpot for new high-fit leads"))?
    {
        let lead = Lead::from_contact(contact);
        if checkpoint.is_finished(&lead.id, lead.modified) {
            continue;
        }
        let outcome = sync_lead(
            clients,
            &mut notifier,
            &mut checkpoint,
            settings,
            retries,
            &lead,
        )
        .await
        .map_err(|error| error.for_lead(&lead.id))?;
        summary.count(&outcome);
        let line = format!(
            "[{:>4}] {} {} → Salesforce {} ({}) → Slack: {}",
            summary.synced,
            lead.id,
            lead.name(),
            outcome.salesforce_id,
            if outcome.created {
                "created"
            } else {
                "updated"
            },
            match outcome.notified {
                Some(Notified::Posted) => "rep notified",
                Some(Notified::AlreadyPosted) => "rep was notified by the run before",
                None => "owner not in Slack",
            }
        );
        // Progress is for people; a closed terminal must not stop the sync.
        let _ = writeln!(progress, "{line}");
    }
    summary.retries = retries.count() - retries_before;
    Ok(summary)
}

/// What happened to one lead.
struct Outcome {
    salesforce_id: String,
    created: bool,
    notified: Option<Notified>,
}

impl Summary {
    fn count(&mut self, outcome: &Outcome) {
        self.synced += 1;
        if outcome.created {
            self.created += 1;
        } else {
            self.updated += 1;
        }
        match outcome.notified {
            Some(Notified::Posted) => self.notified += 1,
            Some(Notified::AlreadyPosted) => self.already_notified += 1,
            None => self.without_rep += 1,
        }
    }
}

/// The search for high-fit contacts modified at or after the checkpoint, oldest first.
fn search(settings: &Settings, checkpoint: &Checkpoint) -> hubspot::PublicObjectSearchRequest {
    let filter = |property: &str, value: String| hubspot::Filter {
        property_name: property.to_owned(),
        operator: hubspot::FilterOperator::Gte,
        value: Some(value),
        high_value: None,
        values: None,
    };
    let mut filters = vec![filter("hubspotscore", settings.min_score.to_string())];
    if let Some(since) = checkpoint.since {
        filters.push(filter(
            "lastmodifieddate",
            since.timestamp_millis().to_string(),
        ));
    }
    hubspot::PublicObjectSearchRequest {
        query: None,
        limit: Some(settings.page_size),
        after: None,
        sorts: Some(vec!["lastmodifieddate".to_owned()]),
        properties: Some(
            lead::PROPERTIES
                .iter()
                .map(|name| (*name).to_owned())
                .collect(),
        ),
        filter_groups: Some(vec![hubspot::FilterGroup { filters }]),
    }
}

/// Takes one lead from the stage the checkpoint has for it to the end, saving each stage.
async fn sync_lead(
    clients: &Clients,
    notifier: &mut Notifier,
    checkpoint: &mut Checkpoint,
    settings: &Settings,
    retries: &RetryCounter,
    lead: &Lead,
) -> Result<Outcome, SyncError> {
    let sync_key = lead.sync_key();
    let save = |checkpoint: &Checkpoint| {
        checkpoint
            .save(&settings.checkpoint)
            .map_err(|error| SyncError::new("save the checkpoint", error))
    };
    let (salesforce_id, created, notifying) = match checkpoint.stage_of(&sync_key).cloned() {
        Some(Stage::Notifying {
            salesforce_id,
            created,
            channel,
            oldest,
        }) => (salesforce_id, created, Some((channel, oldest))),
        Some(Stage::Upserted {
            salesforce_id,
            created,
        }) => (salesforce_id, created, None),
        None => {
            let (salesforce_id, created) = upsert(&clients.salesforce, retries, lead).await?;
            checkpoint.reach(
                &sync_key,
                Stage::Upserted {
                    salesforce_id: salesforce_id.clone(),
                    created,
                },
            );
            save(checkpoint)?;
            (salesforce_id, created, None)
        }
    };
    let notified = match notifying {
        Some((channel, oldest)) => Some(
            notifier
                .notify(lead, &channel, &salesforce_id, &oldest, true)
                .await?,
        ),
        None => match notifier.channel_for(&salesforce_id).await? {
            None => None,
            Some(channel) => {
                let oldest = slack_timestamp_a_minute_ago();
                checkpoint.reach(
                    &sync_key,
                    Stage::Notifying {
                        salesforce_id: salesforce_id.clone(),
                        created,
                        channel: channel.clone(),
                        oldest: oldest.clone(),
                    },
                );
                save(checkpoint)?;
                Some(
                    notifier
                        .notify(lead, &channel, &salesforce_id, &oldest, false)
                        .await?,
                )
            }
        },
    };
    checkpoint.finish(&lead.id, lead.modified);
    save(checkpoint)?;
    Ok(Outcome {
        salesforce_id,
        created,
        notified,
    })
}

/// Creates or updates the Salesforce lead whose external id is the HubSpot contact id;
/// its record id, and whether it was created.
async fn upsert(
    salesforce: &salesforce::Client,
    retries: &RetryCounter,
    lead: &Lead,
) -> Result<(String, bool), SyncError> {
    use salesforce::UpsertLeadByExternalIdResponse as Upserted;
    let fields = lead.to_salesforce();
    // An upsert by external id is idempotent: sending it again cannot make a duplicate.
    let upserted = retries::idempotent(retries, || {
        std::future::IntoFuture::into_future(salesforce.upsert_lead_by_external_id(
            lead::EXTERNAL_ID_FIELD,
            &lead.id,
            fields.clone(),
        ))
    })
    .await
    .map_err(at("upsert the Salesforce lead"))?;
    match upserted {
        Upserted::Created(saved) => Ok((saved.id, true)),
        Upserted::Ok(saved) => Ok((saved.id, saved.created.unwrap_or(false))),
        // API versions before 46.0 answer an update with no body: look the id up.
        Upserted::NoContent => Ok((find_by_external_id(salesforce, &lead.id).await?, false)),
    }
}

async fn find_by_external_id(
    salesforce: &salesforce::Client,
    id: &str,
) -> Result<String, SyncError> {
    let escaped = id.replace('\\', "\\\\").replace('\'', "\\'");
    let soql = format!(
        "SELECT Id FROM Lead WHERE {} = '{escaped}' LIMIT 1",
        lead::EXTERNAL_ID_FIELD
    );
    let found = salesforce
        .query(&soql)
        .await
        .map_err(at("find the upserted Salesforce lead"))?;
    found
        .records
        .into_iter()
        .find_map(|record| record.id)
        .ok_or_else(|| {
            SyncError::new(
                "find the upserted Salesforce lead",
                "the query found no lead",
            )
        })
}

/// A Slack timestamp (seconds since the epoch) a minute ago: history searches start there,
/// so a clock a little off still finds the message.
fn slack_timestamp_a_minute_ago() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0);
    format!("{}.000000", now.saturating_sub(60))
}
