//! Command-line flags and environment: how often to run, where the checkpoint is, and
//! where each provider is (its real API, a sandbox in another process, or a sandbox in
//! this one).

use std::path::PathBuf;
use std::time::Duration;

/// The usage text.
pub const USAGE: &str = "\
lead-sync: new high-fit HubSpot leads to Salesforce, and a Slack message to the owning rep.

USAGE: lead-sync [OPTIONS]

OPTIONS:
  --once                  run one pass and exit (default: a pass every --interval)
  --interval DURATION     time between passes: 300, 90s, 5m, 1h (default 5m)
  --checkpoint PATH       the checkpoint file (default: lead-sync.checkpoint.json, or a
                          fresh temporary file when every provider is a built-in sandbox)
  --min-score N           the lowest HubSpot score of a high-fit lead (default 70)
  --page-size N           contacts per HubSpot search page, at most 200 (default 100)
  --hubspot-url URL       HubSpot API base URL      (env HUBSPOT_BASE_URL)
  --salesforce-url URL    Salesforce API base URL   (env SALESFORCE_BASE_URL)
  --slack-url URL         Slack API base URL        (env SLACK_BASE_URL)
  -h, --help              this text

ENVIRONMENT (a provider with neither a URL nor credentials is a built-in sandbox):
  HUBSPOT_TOKEN                 a private app token
  SALESFORCE_INSTANCE_URL       the org's My Domain URL, e.g. https://acme.my.salesforce.com
  SALESFORCE_ACCESS_TOKEN       an access token, or instead:
  SALESFORCE_CLIENT_ID          a connected app's consumer key and secret, for the
  SALESFORCE_CLIENT_SECRET        client-credentials flow at the instance's token URL
  SLACK_TOKEN                   a bot token (xoxb-...) with chat:write, im:write,
                                im:history, users:read, users:read.email
";

/// The Salesforce REST API version of `specs/salesforce.yaml`.
const SALESFORCE_API_PATH: &str = "/services/data/v60.0";

/// Sent where a provider is a sandbox in another process, which takes any token.
const SANDBOX_TOKEN: &str = "sandbox-token";

/// Everything a run needs to know.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// One pass, then exit.
    pub once: bool,
    /// Time between passes.
    pub interval: Duration,
    /// The checkpoint file, when given.
    pub checkpoint: Option<PathBuf>,
    /// The lowest HubSpot score of a high-fit lead.
    pub min_score: u32,
    /// Contacts per search page.
    pub page_size: i32,
    /// Where HubSpot is.
    pub hubspot: Endpoint,
    /// Where Salesforce is.
    pub salesforce: Endpoint,
    /// Where Slack is.
    pub slack: Endpoint,
}

/// Where a provider is.
#[derive(Debug, Clone, PartialEq)]
pub enum Endpoint {
    /// A sandbox this process starts.
    BuiltIn,
    /// An API at this base URL.
    Remote {
        /// The base URL.
        base_url: String,
        /// How to authenticate.
        credential: Credential,
    },
}

/// How the program authenticates to a remote provider.
#[derive(Debug, Clone, PartialEq)]
pub enum Credential {
    /// A bearer token.
    Token(String),
    /// OAuth2 client credentials, exchanged for tokens at `token_url`.
    ClientCredentials {
        /// The token endpoint.
        token_url: String,
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: String,
    },
}

/// What the command line asked for instead of a run.
#[derive(Debug, Clone, PartialEq)]
pub enum NotRun {
    /// `--help`.
    Help,
    /// A mistake, explained.
    Invalid(String),
}

impl Config {
    /// Reads flags from `args` (without the program name) and the environment from `env`.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, NotRun> {
        let mut config = Config {
            once: false,
            interval: Duration::from_secs(300),
            checkpoint: env("LEAD_SYNC_CHECKPOINT").map(PathBuf::from),
            min_score: 70,
            page_size: 100,
            hubspot: Endpoint::BuiltIn,
            salesforce: Endpoint::BuiltIn,
            slack: Endpoint::BuiltIn,
        };
        let mut urls = [
            env("HUBSPOT_BASE_URL"),
            env("SALESFORCE_BASE_URL"),
            env("SLACK_BASE_URL"),
        ];
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .ok_or_else(|| NotRun::Invalid(format!("{name} needs a value")))
            };
            match flag.as_str() {
                "-h" | "--help" => return Err(NotRun::Help),
                "--once" => config.once = true,
                "--interval" => config.interval = duration(&value("--interval")?)?,
                "--checkpoint" => config.checkpoint = Some(PathBuf::from(value("--checkpoint")?)),
                "--min-score" => config.min_score = number(&value("--min-score")?, "--min-score")?,
                "--page-size" => {
                    config.page_size = number(&value("--page-size")?, "--page-size")?;
                    if !(1..=200).contains(&config.page_size) {
                        return Err(NotRun::Invalid("--page-size is 1 to 200".to_owned()));
                    }
                }
                "--hubspot-url" => urls[0] = Some(value("--hubspot-url")?),
                "--salesforce-url" => urls[1] = Some(value("--salesforce-url")?),
                "--slack-url" => urls[2] = Some(value("--slack-url")?),
                other => {
                    return Err(NotRun::Invalid(format!(
                        "unknown option `{other}` (see --help)"
                    )))
                }
            }
        }
        let [hubspot_url, salesforce_url, slack_url] = urls;
        config.hubspot = bearer(hubspot_url, env("HUBSPOT_TOKEN"), "https://api.hubapi.com");
        config.slack = bearer(slack_url, env("SLACK_TOKEN"), "https://slack.com/api");
        config.salesforce = salesforce(salesforce_url, &env)?;
        Ok(config)
    }

    /// Whether every provider is a sandbox this process starts.
    pub fn all_built_in(&self) -> bool {
        [&self.hubspot, &self.salesforce, &self.slack]
            .iter()
            .all(|endpoint| **endpoint == Endpoint::BuiltIn)
    }
}

/// A provider that takes a bearer token: remote when a URL or a token is given.
fn bearer(url: Option<String>, token: Option<String>, real_url: &str) -> Endpoint {
    if url.is_none() && token.is_none() {
        return Endpoint::BuiltIn;
    }
    Endpoint::Remote {
        base_url: url.unwrap_or_else(|| real_url.to_owned()),
        credential: Credential::Token(token.unwrap_or_else(|| SANDBOX_TOKEN.to_owned())),
    }
}

fn salesforce(
    url: Option<String>,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<Endpoint, NotRun> {
    let instance = env("SALESFORCE_INSTANCE_URL").map(|url| url.trim_end_matches('/').to_owned());
    let base_url = match (url, &instance) {
        (Some(url), _) => url,
        (None, Some(instance)) => format!("{instance}{SALESFORCE_API_PATH}"),
        (None, None) => return Ok(Endpoint::BuiltIn),
    };
    let credential = match (
        env("SALESFORCE_ACCESS_TOKEN"),
        env("SALESFORCE_CLIENT_ID"),
        env("SALESFORCE_CLIENT_SECRET"),
    ) {
        (Some(token), _, _) => Credential::Token(token),
        (None, Some(client_id), Some(client_secret)) => {
            let Some(instance) = instance else {
                return Err(NotRun::Invalid(
                    "SALESFORCE_CLIENT_ID needs SALESFORCE_INSTANCE_URL, whose token endpoint issues the tokens".to_owned(),
                ));
            };
            Credential::ClientCredentials {
                token_url: format!("{instance}/services/oauth2/token"),
                client_id,
                client_secret,
            }
        }
        _ => Credential::Token(SANDBOX_TOKEN.to_owned()),
    };
    Ok(Endpoint::Remote {
        base_url,
        credential,
    })
}

fn number<N: std::str::FromStr>(text: &str, name: &str) -> Result<N, NotRun> {
    text.parse()
        .map_err(|_| NotRun::Invalid(format!("{name} takes a number, not `{text}`")))
}

/// `300`, `90s`, `5m`, `1h`.
fn duration(text: &str) -> Result<Duration, NotRun> {
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let count: u64 = number(digits, "--interval")?;
    let seconds = match unit {
        "s" => count,
        "m" => count * 60,
        "h" => count * 3600,
        _ => {
            return Err(NotRun::Invalid(format!(
                "--interval takes 300, 90s, 5m or 1h, not `{text}`"
            )))
        }
    };
    if seconds == 0 {
        return Err(NotRun::Invalid(
            "--interval must be more than zero".to_owned(),
        ));
    }
    Ok(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Config, NotRun> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        Config::parse(args.iter().map(|arg| (*arg).to_owned()), |name| {
            env.iter()
                .find(|(known, _)| known == name)
                .map(|(_, value)| value.clone())
        })
    }

    #[test]
    fn nothing_given_is_all_built_in_every_five_minutes() {
        let config = parse(&[], &[]).expect("valid");
        assert!(config.all_built_in() && !config.once);
        assert_eq!(config.interval, Duration::from_secs(300));
    }

    #[test]
    fn urls_and_tokens_make_a_provider_remote() {
        let config = parse(
            &[
                "--once",
                "--interval",
                "5m",
                "--slack-url",
                "http://127.0.0.1:9/api",
            ],
            &[
                ("HUBSPOT_TOKEN", "pat-1"),
                ("SALESFORCE_INSTANCE_URL", "https://acme.my.salesforce.com/"),
                ("SALESFORCE_CLIENT_ID", "id"),
                ("SALESFORCE_CLIENT_SECRET", "secret"),
            ],
        )
        .expect("valid");
        assert!(config.once);
        assert_eq!(
            config.hubspot,
            Endpoint::Remote {
                base_url: "https://api.hubapi.com".to_owned(),
                credential: Credential::Token("pat-1".to_owned())
            }
        );
        assert_eq!(
            config.salesforce,
            Endpoint::Remote {
                base_url: "https://acme.my.salesforce.com/services/data/v60.0".to_owned(),
                credential: Credential::ClientCredentials {
                    token_url: "https://acme.my.salesforce.com/services/oauth2/token".to_owned(),
                    client_id: "id".to_owned(),
                    client_secret: "secret".to_owned(),
                }
            }
        );
        assert_eq!(
            config.slack,
            Endpoint::Remote {
                base_url: "http://127.0.0.1:9/api".to_owned(),
                credential: Credential::Token(SANDBOX_TOKEN.to_owned())
            }
        );
    }

    #[test]
    fn mistakes_are_explained() {
        assert_eq!(parse(&["--help"], &[]), Err(NotRun::Help));
        assert!(matches!(
            parse(&["--interval", "5 minutes"], &[]),
            Err(NotRun::Invalid(_))
        ));
        assert!(matches!(
            parse(&["--page-size", "500"], &[]),
            Err(NotRun::Invalid(_))
        ));
        assert!(matches!(
            parse(&["--frobnicate"], &[]),
            Err(NotRun::Invalid(_))
        ));
        assert!(matches!(
            parse(&["--once", "--checkpoint"], &[]),
            Err(NotRun::Invalid(_))
        ));
    }
}
