//! The binary against sandboxes served by this test: killed with SIGKILL in the middle of
//! a run and started again, it must leave Salesforce with every lead once and have sent
//! every rep notification once.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use lead_sync::lead::EVENT_TYPE;
use lead_sync::sandboxes::{Sandboxes, World};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// Contacts in the made-up HubSpot: about 130 leads, on three pages of 50.
const CONTACTS: usize = 160;

/// Leads the first run syncs before it is killed.
const KILL_AFTER: usize = 45;

fn lead_sync(sandboxes: &Sandboxes, checkpoint: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lead-sync"));
    command
        .args(["--once", "--page-size", "50", "--checkpoint"])
        .arg(checkpoint)
        .args(["--hubspot-url", sandboxes.hubspot_url()])
        .args(["--salesforce-url", sandboxes.salesforce_url()])
        .args(["--slack-url", sandboxes.slack_url()])
        .env_remove("HUBSPOT_TOKEN")
        .env_remove("SLACK_TOKEN")
        .env_remove("SALESFORCE_INSTANCE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_midway_and_restarted_syncs_every_lead_exactly_once() {
    let world = World::generate(7, CONTACTS);
    let mut expected: Vec<String> = world.leads(70).map(|contact| contact.id.clone()).collect();
    expected.sort();
    assert!(
        expected.len() > KILL_AFTER + 50,
        "the run must outlast the kill"
    );
    assert!(expected.len() > 100, "the leads span several pages");
    let sandboxes = Sandboxes::start(world, true)
        .await
        .expect("the sandboxes start");
    let directory = std::env::temp_dir().join(format!("lead-sync-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a temporary directory");
    let checkpoint = directory.join("checkpoint.json");

    // First run: killed without warning once it has synced some leads.
    let mut first = lead_sync(&sandboxes, &checkpoint)
        .spawn()
        .expect("the binary starts");
    let stdout = first.stdout.take().expect("stdout is piped");
    let mut lines = BufReader::new(stdout).lines();
    let mut synced = 0;
    while synced < KILL_AFTER {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("progress within 30 s")
            .expect("stdout is readable")
            .expect("the run goes on until killed");
        if line.starts_with('[') {
            synced += 1;
        }
    }
    first.start_kill().expect("SIGKILL sent");
    let status = first.wait().await.expect("the killed run ends");
    assert!(!status.success(), "the first run was killed: {status:?}");
    assert!(
        checkpoint.exists(),
        "a checkpoint was saved before the kill"
    );

    // Second run: from the checkpoint to the end.
    let second = lead_sync(&sandboxes, &checkpoint)
        .output()
        .await
        .expect("the binary runs");
    let output = String::from_utf8_lossy(&second.stdout);
    assert!(
        second.status.success(),
        "the second run succeeds:\n{output}"
    );
    assert!(
        output.contains("leads synced"),
        "a summary is printed:\n{output}"
    );

    // Salesforce: every lead, once.
    let mut in_salesforce: Vec<String> = sandboxes
        .salesforce
        .leads()
        .into_iter()
        .map(|lead| lead.external_id)
        .collect();
    in_salesforce.sort();
    assert_eq!(in_salesforce, expected, "Salesforce holds each lead once");

    // Slack: one notification per lead, whatever the kill interrupted.
    let mut notifications: HashMap<String, usize> = HashMap::new();
    for posted in sandboxes.slack.posted() {
        let metadata = posted.message.metadata.expect("every message has metadata");
        assert_eq!(metadata.event_type, EVENT_TYPE);
        let lead = metadata.event_payload["hubspot_id"]
            .as_str()
            .expect("the payload names the lead")
            .to_owned();
        *notifications.entry(lead).or_default() += 1;
    }
    let twice: Vec<_> = notifications
        .iter()
        .filter(|(_, count)| **count > 1)
        .collect();
    assert!(twice.is_empty(), "notified more than once: {twice:?}");
    let mut notified: Vec<String> = notifications.into_keys().collect();
    notified.sort();
    assert_eq!(notified, expected, "every lead's rep was notified");

    std::fs::remove_dir_all(&directory).expect("cleaned up");
}
