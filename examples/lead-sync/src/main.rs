//! `cargo run -p lead-sync`: the sync every five minutes (or `--once`), against built-in
//! sandboxes unless real credentials or base URLs are given. See `--help`.

use std::path::PathBuf;
use std::process::ExitCode;

use lead_sync::config::{Config, Endpoint, NotRun, USAGE};
use lead_sync::providers::{Clients, Target};
use lead_sync::retries::RetryCounter;
use lead_sync::sandboxes::{Sandboxes, World};
use lead_sync::sync::{self, Settings};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::parse(std::env::args().skip(1), |name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(NotRun::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(NotRun::Invalid(message)) => {
            eprintln!("lead-sync: {message}");
            return ExitCode::from(2);
        }
    };
    let retries = RetryCounter::default();
    tracing_subscriber::registry().with(retries.layer()).init();
    match run(config, retries).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lead-sync: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The seed of the built-in sandboxes' made-up world.
const WORLD_SEED: u64 = 2026;
/// Contacts in the built-in HubSpot: a few hundred, on several pages.
const WORLD_CONTACTS: usize = 320;

async fn run(config: Config, retries: RetryCounter) -> Result<(), Box<dyn std::error::Error>> {
    let built_in = [&config.hubspot, &config.salesforce, &config.slack]
        .iter()
        .any(|endpoint| **endpoint == Endpoint::BuiltIn);
    let sandboxes = match built_in {
        true => Some(Sandboxes::start(World::generate(WORLD_SEED, WORLD_CONTACTS), true).await?),
        false => None,
    };
    let [hubspot_url, salesforce_url, slack_url] = sandboxes
        .as_ref()
        .map(|running| {
            [
                running.hubspot_url(),
                running.salesforce_url(),
                running.slack_url(),
            ]
        })
        .unwrap_or_default();
    let hubspot = target("HubSpot", &config.hubspot, hubspot_url);
    let salesforce = target("Salesforce", &config.salesforce, salesforce_url);
    let slack = target("Slack", &config.slack, slack_url);
    let clients = Clients::connect(hubspot, salesforce, slack)?;
    let checkpoint = config.checkpoint.clone().unwrap_or_else(|| {
        if config.all_built_in() {
            // The built-in sandboxes start afresh with every process; so does the checkpoint.
            std::env::temp_dir().join(format!("lead-sync-{}.checkpoint.json", std::process::id()))
        } else {
            PathBuf::from("lead-sync.checkpoint.json")
        }
    });
    println!("checkpoint: {}", checkpoint.display());
    let settings = Settings {
        min_score: config.min_score,
        page_size: config.page_size,
        checkpoint,
    };
    loop {
        println!(
            "pass started at {}",
            chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
        );
        match sync::run_pass(&clients, &settings, &retries, &mut std::io::stdout()).await {
            Ok(summary) => println!("summary: {summary}"),
            Err(error) if config.once => return Err(error.into()),
            // The checkpoint holds where the pass stopped; the next pass carries on there.
            Err(error) => eprintln!("lead-sync: the pass stopped: {error}"),
        }
        if config.once {
            return Ok(());
        }
        println!("next pass in {}s (Ctrl-C stops)", config.interval.as_secs());
        tokio::select! {
            _ = tokio::time::sleep(config.interval) => {}
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
    }
}

/// Where `provider` is: its remote endpoint, or the built-in sandbox at `sandbox_url`.
fn target<'a>(provider: &str, endpoint: &'a Endpoint, sandbox_url: &'a str) -> Target<'a> {
    let target = match endpoint {
        Endpoint::BuiltIn => Target {
            base_url: sandbox_url,
            credential: None,
        },
        Endpoint::Remote {
            base_url,
            credential,
        } => Target {
            base_url,
            credential: Some(credential),
        },
    };
    let kind = if target.credential.is_none() {
        "built-in sandbox"
    } else {
        "remote"
    };
    println!("{provider}: {} ({kind})", target.base_url);
    target
}
