//! The three generated clients, from the specs in `specs/`.

use crate::config::Credential;

/// HubSpot CRM contacts: the search for new high-fit leads.
#[tether::integration(spec = "../../specs/hubspot-crm.yaml", sandbox = true)]
pub mod hubspot {}

/// Salesforce: leads upserted by external id, and their owners.
#[tether::integration(spec = "../../specs/salesforce.yaml", sandbox = true)]
pub mod salesforce {}

/// Slack: finding the rep, their direct message, posting and reading history.
#[tether::integration(spec = "../../specs/slack.yaml", sandbox = true)]
pub mod slack {}

/// A client for each provider.
#[derive(Debug, Clone)]
pub struct Clients {
    /// HubSpot.
    pub hubspot: hubspot::Client,
    /// Salesforce.
    pub salesforce: salesforce::Client,
    /// Slack.
    pub slack: slack::Client,
}

/// Where one provider is, resolved: a base URL, and credentials unless it is a sandbox.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The base URL.
    pub base_url: &'a str,
    /// The credentials; `None` for a built-in sandbox, which takes any token.
    pub credential: Option<&'a Credential>,
}

impl Clients {
    /// A client for each provider at its target.
    pub fn connect(
        hubspot: Target<'_>,
        salesforce: Target<'_>,
        slack: Target<'_>,
    ) -> Result<Clients, tether::ConfigError> {
        Ok(Clients {
            hubspot: hubspot::Client::new(hubspot.base_url)?
                .with_private_apps(bearer(hubspot.credential)),
            salesforce: salesforce_client(salesforce)?,
            slack: slack::Client::new(slack.base_url)?.with_bot_token(bearer(slack.credential)),
        })
    }
}

/// What a built-in sandbox is sent: it checks that a token is there, not which.
const BUILT_IN_TOKEN: &str = "built-in-sandbox";

fn bearer(credential: Option<&Credential>) -> String {
    match credential {
        Some(Credential::Token(token)) => token.clone(),
        _ => BUILT_IN_TOKEN.to_owned(),
    }
}

fn salesforce_client(target: Target<'_>) -> Result<salesforce::Client, tether::ConfigError> {
    let client = salesforce::Client::new(target.base_url)?;
    Ok(match target.credential {
        Some(Credential::ClientCredentials {
            token_url,
            client_id,
            client_secret,
        }) => client.with_oauth2(tether::ClientCredentialsGrant::new(
            token_url.as_str(),
            tether::OAuth2Client::new(client_id.as_str(), client_secret.as_str()),
        )),
        other => client.with_oauth2(bearer(other)),
    })
}
