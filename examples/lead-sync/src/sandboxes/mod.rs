//! Built-in sandboxes of the three providers: in-memory fakes of HubSpot, Salesforce and
//! Slack that implement the generated `sandbox::Api` traits, served on loopback ports,
//! seeded from one made-up [`World`], with a plan of injected 429s and 503s.

mod hubspot;
mod salesforce;
mod slack;
mod world;

use std::time::Duration;

use tether::sandbox::{Fault, FaultRule, Faults, Sandbox};

pub use hubspot::FakeHubSpot;
pub use salesforce::{FakeSalesforce, StoredLead};
pub use slack::{FakeSlack, Posted};
pub use world::{Contact, Rep, World};

use crate::providers::{self, Clients, Target};

/// The three fakes, each served on a loopback port until this is dropped.
pub struct Sandboxes {
    /// HubSpot's state.
    pub hubspot: FakeHubSpot,
    /// Salesforce's state.
    pub salesforce: FakeSalesforce,
    /// Slack's state.
    pub slack: FakeSlack,
    servers: [Sandbox; 3],
}

impl Sandboxes {
    /// Serves fakes of the three providers holding `world`; with `faults`, they answer some
    /// requests with 429 or 503 (see [`fault_plan`]).
    pub async fn start(world: World, faults: bool) -> std::io::Result<Sandboxes> {
        let hubspot = FakeHubSpot::new(world.contacts);
        let salesforce = FakeSalesforce::new(world.reps.clone());
        let slack = FakeSlack::new(world.reps);
        let plan = |provider| {
            if faults {
                fault_plan(provider)
            } else {
                Faults::new()
            }
        };
        let servers = [
            providers::hubspot::sandbox::builder(hubspot.clone())
                .faults(plan(Provider::HubSpot))
                .serve()
                .await?,
            providers::salesforce::sandbox::builder(salesforce.clone())
                .faults(plan(Provider::Salesforce))
                .serve()
                .await?,
            providers::slack::sandbox::builder(slack.clone())
                .faults(plan(Provider::Slack))
                .serve()
                .await?,
        ];
        Ok(Sandboxes {
            hubspot,
            salesforce,
            slack,
            servers,
        })
    }

    /// HubSpot's base URL.
    pub fn hubspot_url(&self) -> &str {
        self.servers[0].base_url()
    }

    /// Salesforce's base URL.
    pub fn salesforce_url(&self) -> &str {
        self.servers[1].base_url()
    }

    /// Slack's base URL.
    pub fn slack_url(&self) -> &str {
        self.servers[2].base_url()
    }

    /// Clients of the three sandboxes.
    pub fn clients(&self) -> Result<Clients, tether::ConfigError> {
        let target = |base_url| Target {
            base_url,
            credential: None,
        };
        Clients::connect(
            target(self.hubspot_url()),
            target(self.salesforce_url()),
            target(self.slack_url()),
        )
    }
}

/// A provider, to choose its fault plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// HubSpot.
    HubSpot,
    /// Salesforce.
    Salesforce,
    /// Slack.
    Slack,
}

/// The injected failures: a 503 on every third search page and some 429s and 503s on
/// Salesforce and Slack calls, each asking for a wait of 50 ms (`Retry-After`) so that a
/// run stays quick.
pub fn fault_plan(provider: Provider) -> Faults {
    let wait = Duration::from_millis(50);
    let unavailable = Fault::Unavailable {
        retry_after: Some(wait),
    };
    let rules = match provider {
        Provider::HubSpot => vec![FaultRule::every(3, unavailable.clone())
            .operation("post-/crm/v3/objects/contacts/search_doSearch")],
        Provider::Salesforce => vec![
            FaultRule::every(37, Fault::rate_limited(wait)).operation("upsertLeadByExternalId"),
            FaultRule::every(41, unavailable.clone()).operation("upsertLeadByExternalId"),
            FaultRule::every(43, unavailable.clone()).operation("getLead"),
        ],
        Provider::Slack => vec![
            FaultRule::every(29, Fault::rate_limited(wait)).operation("chat.postMessage"),
            FaultRule::every(31, unavailable.clone()).operation("chat.postMessage"),
            FaultRule::every(7, unavailable.clone()).operation("conversations.history"),
        ],
    };
    rules.into_iter().fold(Faults::new().seed(7), Faults::rule)
}
