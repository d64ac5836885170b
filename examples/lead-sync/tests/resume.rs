//! The window the checkpoint cannot close by itself: a run that stopped after saving that
//! it was about to notify a rep, before or after the Slack post went out. The next run must
//! post the message if it is missing and must not post it again if it is there.

use lead_sync::checkpoint::{Checkpoint, Stage};
use lead_sync::lead::{Lead, EXTERNAL_ID_FIELD};
use lead_sync::providers::hubspot;
use lead_sync::retries::RetryCounter;
use lead_sync::sandboxes::{Sandboxes, World};
use lead_sync::sync::{run_pass, Settings};
use tempfile::TempDir;

/// A world with one high-fit lead, its sandboxes, and a checkpoint path in a temporary
/// directory that is removed when the returned handle drops.
async fn one_lead() -> (Sandboxes, Lead, Settings, TempDir) {
    let mut world = World::generate(11, 20);
    world.contacts.retain(|contact| contact.score >= 70);
    world.contacts.truncate(1);
    let contact = world.contacts[0].clone();
    let sandboxes = Sandboxes::start(world, false)
        .await
        .expect("sandboxes start");
    let lead = Lead::from_contact(hubspot::SimplePublicObject {
        id: contact.id.clone(),
        properties: contact
            .properties
            .iter()
            .map(|(name, value)| ((*name).to_owned(), Some(value.clone())))
            .collect(),
        properties_with_history: None,
        created_at: contact.created,
        updated_at: contact.modified,
        archived: None,
        archived_at: None,
    });
    let directory = TempDir::new().expect("a temporary directory");
    let settings = Settings {
        min_score: 70,
        page_size: 10,
        checkpoint: directory.path().join("checkpoint.json"),
    };
    (sandboxes, lead, settings, directory)
}

/// Saves the checkpoint of a run stopped at `notifying` for `lead`.
fn stopped_while_notifying(sandboxes: &Sandboxes, lead: &Lead, settings: &Settings) {
    let (saved, created) = sandboxes
        .salesforce
        .upsert(EXTERNAL_ID_FIELD, &lead.id, lead.to_salesforce())
        .expect("the lead is upserted");
    let owner = sandboxes
        .salesforce
        .lead(&saved.id)
        .expect("the lead")
        .owner_id;
    let email = sandboxes
        .salesforce
        .user(&owner.expect("an owner"))
        .expect("the owner")
        .email
        .expect("an email");
    let member = sandboxes.slack.lookup_by_email(&email).expect("in Slack");
    let channel = sandboxes
        .slack
        .open(&member.id)
        .expect("a direct message")
        .id;
    let mut checkpoint = Checkpoint::default();
    checkpoint.reach(
        &lead.sync_key(),
        Stage::Notifying {
            salesforce_id: saved.id,
            created,
            channel,
            oldest: "0".to_owned(),
        },
    );
    checkpoint.save(&settings.checkpoint).expect("saved");
}

async fn resume(sandboxes: &Sandboxes, settings: &Settings) -> lead_sync::sync::Summary {
    let clients = sandboxes.clients().expect("clients");
    run_pass(
        &clients,
        settings,
        &RetryCounter::default(),
        &mut std::io::sink(),
    )
    .await
    .expect("the pass succeeds")
}

#[tokio::test]
async fn a_message_posted_before_the_crash_is_found_not_posted_again() {
    let (sandboxes, lead, settings, _directory) = one_lead().await;
    stopped_while_notifying(&sandboxes, &lead, &settings);
    let channel = match Checkpoint::load(&settings.checkpoint)
        .expect("loads")
        .in_flight
    {
        Some(in_flight) => match in_flight.stage {
            Stage::Notifying {
                channel,
                salesforce_id,
                ..
            } => {
                // The post went out; the crash came before the checkpoint said so.
                sandboxes
                    .slack
                    .post(lead.to_slack(&channel, &salesforce_id))
                    .expect("posted");
                channel
            }
            other => panic!("unexpected stage {other:?}"),
        },
        None => panic!("a lead in flight"),
    };
    let summary = resume(&sandboxes, &settings).await;
    assert_eq!(
        (summary.synced, summary.notified, summary.already_notified),
        (1, 0, 1)
    );
    let posted = sandboxes.slack.posted();
    assert_eq!(posted.len(), 1, "{posted:#?}");
    assert_eq!(posted[0].channel, channel);
    let checkpoint = Checkpoint::load(&settings.checkpoint).expect("loads");
    assert!(checkpoint.in_flight.is_none() && checkpoint.is_finished(&lead.id, lead.modified));
}

#[tokio::test]
async fn a_message_not_yet_posted_is_posted_once() {
    let (sandboxes, lead, settings, _directory) = one_lead().await;
    stopped_while_notifying(&sandboxes, &lead, &settings);
    let summary = resume(&sandboxes, &settings).await;
    assert_eq!(
        (summary.synced, summary.notified, summary.already_notified),
        (1, 1, 0)
    );
    assert_eq!(
        summary.created, 1,
        "the stage remembers the upsert created the lead"
    );
    assert_eq!(sandboxes.slack.posted().len(), 1);
    assert_eq!(
        sandboxes.salesforce.leads()[0].writes,
        1,
        "not upserted again"
    );
    // Another pass finds nothing new.
    let again = resume(&sandboxes, &settings).await;
    assert_eq!(again.synced, 0);
    assert_eq!(sandboxes.slack.posted().len(), 1);
}
