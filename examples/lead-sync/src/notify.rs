//! The Slack side: the direct message with a lead's owner, and a notification posted
//! exactly once even across crashes.
//!
//! Each message carries metadata naming the sync event it announces
//! ([`crate::lead::Lead::sync_key`]). Whenever a message may already have been posted (a
//! run stopped after recording that it was about to post, or a post failed without a
//! clear answer), the direct message's history since just before the first attempt is
//! searched for that metadata first; only when it is not there is the message posted.

use std::collections::HashMap;
use std::future::IntoFuture;

use futures::TryStreamExt;

use crate::error::{at, SyncError};
use crate::lead::{self, Lead};
use crate::providers::{salesforce, slack};
use crate::retries::{self, RetryCounter};

/// How a notification ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notified {
    /// Posted now.
    Posted,
    /// Found in the history: an earlier run posted it.
    AlreadyPosted,
}

/// Finds reps and posts to them, remembering each owner's direct message.
pub struct Notifier {
    salesforce: salesforce::Client,
    slack: slack::Client,
    retries: RetryCounter,
    /// Salesforce owner id → the direct message with them, `None` if they are not in Slack.
    channels: HashMap<String, Option<String>>,
}

impl Notifier {
    /// A notifier that reads owners from `salesforce` and posts with `slack`.
    pub fn new(
        salesforce: salesforce::Client,
        slack: slack::Client,
        retries: RetryCounter,
    ) -> Self {
        Notifier {
            salesforce,
            slack,
            retries,
            channels: HashMap::new(),
        }
    }

    /// The direct message with the owner of the Salesforce lead `salesforce_id`: the
    /// owner's email in Salesforce, the Slack user with that email, their direct message.
    /// `None` when the lead has no owning user or the owner is not in Slack.
    pub async fn channel_for(&mut self, salesforce_id: &str) -> Result<Option<String>, SyncError> {
        let lead = self
            .salesforce
            .get_lead(salesforce_id)
            .fields(vec!["OwnerId".to_owned()])
            .await
            .map_err(at("read the Salesforce lead's owner"))?;
        let Some(owner) = lead.owner_id else {
            return Ok(None);
        };
        if let Some(channel) = self.channels.get(&owner) {
            return Ok(channel.clone());
        }
        let channel = self.open_channel(&owner).await?;
        self.channels.insert(owner, channel.clone());
        Ok(channel)
    }

    async fn open_channel(&self, owner: &str) -> Result<Option<String>, SyncError> {
        let user = match self.salesforce.get_user(owner).await {
            Ok(user) => user,
            // A queue owns the lead, not a user: nobody to notify.
            Err(tether::Error::Api { status, .. }) if status == 404 => return Ok(None),
            Err(error) => return Err(at("read the lead's owner in Salesforce")(error)),
        };
        let Some(email) = user.email else {
            return Ok(None);
        };
        let found = match self.slack.users_lookup_by_email(&email).await {
            Ok(found) => found,
            Err(tether::Error::Api {
                body: slack::UsersLookupByEmailError::Failed(failure),
                ..
            }) if failure.error == "users_not_found" => return Ok(None),
            Err(error) => return Err(at("find the rep in Slack by email")(error)),
        };
        let request = slack::ConversationsOpenRequest {
            users: found.user.id,
            return_im: None,
        };
        // Opening a direct message that is open already answers the same channel.
        let opened = retries::idempotent(&self.retries, || {
            self.slack.conversations_open(request.clone()).into_future()
        })
        .await
        .map_err(at("open a direct message with the rep"))?;
        Ok(Some(opened.channel.id))
    }

    /// Posts the notification of `lead` to `channel` unless it is there already. With
    /// `maybe_posted`, an earlier attempt may have posted it: the history since `oldest`
    /// (a Slack timestamp) is searched first.
    pub async fn notify(
        &self,
        lead: &Lead,
        channel: &str,
        salesforce_id: &str,
        oldest: &str,
        mut maybe_posted: bool,
    ) -> Result<Notified, SyncError> {
        let sync_key = lead.sync_key();
        let mut attempt = 1;
        loop {
            if maybe_posted && self.was_posted(channel, oldest, &sync_key).await? {
                return Ok(Notified::AlreadyPosted);
            }
            let message = lead.to_slack(channel, salesforce_id);
            match self.slack.chat_post_message(message).await {
                Ok(_) => return Ok(Notified::Posted),
                Err(error) if attempt < retries::ATTEMPTS && retries::is_transient(&error) => {
                    // A 429 was refused before anything was done; any other failure may
                    // have come after Slack stored the message.
                    maybe_posted |= error.status().is_none_or(|status| status != 429);
                    self.retries.add();
                    tokio::time::sleep(retries::backoff(attempt)).await;
                    attempt += 1;
                }
                Err(error) => return Err(at("post the Slack message")(error)),
            }
        }
    }

    /// Whether a message announcing `sync_key` is in `channel` since `oldest`.
    async fn was_posted(
        &self,
        channel: &str,
        oldest: &str,
        sync_key: &str,
    ) -> Result<bool, SyncError> {
        let mut messages = self
            .slack
            .conversations_history(channel)
            .oldest(oldest)
            .include_all_metadata(true)
            .limit(200)
            .items();
        while let Some(message) = messages
            .try_next()
            .await
            .map_err(at("search the direct message's history"))?
        {
            if lead::is_notification_of(&message, sync_key) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
