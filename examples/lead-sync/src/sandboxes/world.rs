//! The made-up company the built-in sandboxes share: sales reps who are Salesforce users
//! and Slack members, and HubSpot contacts, some of them high-fit leads. Generated from a
//! seed without randomness from outside, so every run sees the same world.

use chrono::{DateTime, Duration, Utc};

/// A sales rep: a Salesforce user who is also in Slack.
#[derive(Debug, Clone, PartialEq)]
pub struct Rep {
    /// Salesforce user id.
    pub salesforce_id: String,
    /// Slack user id.
    pub slack_id: String,
    /// Full name.
    pub name: String,
    /// Email address, the same in both.
    pub email: String,
}

/// A HubSpot contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// HubSpot id.
    pub id: String,
    /// HubSpot score; 70 and up is a high-fit lead.
    pub score: u32,
    /// When HubSpot last modified it.
    pub modified: DateTime<Utc>,
    /// When it was created.
    pub created: DateTime<Utc>,
    /// Property values.
    pub properties: Vec<(&'static str, String)>,
}

/// Everything the sandboxes start with.
#[derive(Debug, Clone)]
pub struct World {
    /// The sales reps.
    pub reps: Vec<Rep>,
    /// The HubSpot contacts.
    pub contacts: Vec<Contact>,
}

const FIRST: [&str; 12] = [
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Leslie",
    "Margaret", "Tony",
];
const LAST: [&str; 10] = [
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman",
    "Lamport",
];
const TITLES: [&str; 6] = [
    "CTO",
    "VP Engineering",
    "Head of Data",
    "Platform Lead",
    "Director of IT",
    "Staff Engineer",
];
const COMPANIES: [&str; 8] = [
    "Initech", "Globex", "Umbrella", "Hooli", "Soylent", "Vandelay", "Acme", "Stark",
];
const DOWNLOADS: [&str; 5] = [
    "State of APIs 2026 report",
    "Integration checklist",
    "Rate limits whitepaper",
    "OpenAPI buyer's guide",
    "Case study: Globex",
];
const WEBINARS: [&str; 4] = [
    "Typed clients in 30 minutes",
    "Retries without regrets",
    "Exactly-once in practice",
    "Pagination patterns",
];
const REPS: [&str; 4] = [
    "Dana Scully",
    "Fox Mulder",
    "Walter Skinner",
    "Monica Reyes",
];

/// A small deterministic generator (SplitMix64), enough to vary made-up data.
struct Draws(u64);

impl Draws {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// Up to `most` distinct items, joined as HubSpot joins multi-select values.
    fn some(&mut self, items: &[&str], most: usize) -> String {
        let count = self.below(most + 1);
        let mut chosen: Vec<&str> = Vec::new();
        for _ in 0..count {
            let item = self.pick(items);
            if !chosen.contains(&item) {
                chosen.push(item);
            }
        }
        chosen.join(";")
    }
}

impl World {
    /// `contacts` HubSpot contacts (about four in five high-fit) and four reps. Every
    /// tenth contact shares its modification time with the one before, as contacts
    /// changed by one import do.
    pub fn generate(seed: u64, contacts: usize) -> World {
        let mut draws = Draws(seed);
        let reps = REPS
            .iter()
            .enumerate()
            .map(|(index, name)| Rep {
                salesforce_id: format!("005{index:015}"),
                slack_id: format!("U{:08}", index + 1),
                name: (*name).to_owned(),
                email: format!(
                    "{}@sales.example.com",
                    name.to_ascii_lowercase().replace(' ', ".")
                ),
            })
            .collect();
        let start = DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default();
        let mut modified = start;
        let contacts = (0..contacts)
            .map(|index| {
                if index % 10 != 9 {
                    modified += Duration::seconds(1 + draws.below(600) as i64);
                }
                let first = draws.pick(&FIRST);
                let last = draws.pick(&LAST);
                let company = draws.pick(&COMPANIES);
                let score = if draws.below(5) == 0 {
                    draws.below(70) as u32
                } else {
                    70 + draws.below(31) as u32
                };
                let email = format!(
                    "{}.{}{index}@{}.example.com",
                    first.to_ascii_lowercase(),
                    last.to_ascii_lowercase(),
                    company.to_ascii_lowercase()
                );
                Contact {
                    id: (1001 + index).to_string(),
                    score,
                    modified,
                    created: start - Duration::days(30),
                    properties: vec![
                        ("email", email),
                        ("firstname", first.to_owned()),
                        ("lastname", last.to_owned()),
                        ("jobtitle", draws.pick(&TITLES).to_owned()),
                        ("company", company.to_owned()),
                        ("hubspotscore", score.to_string()),
                        ("content_downloads", draws.some(&DOWNLOADS, 3)),
                        ("webinars_attended", draws.some(&WEBINARS, 2)),
                        (
                            "lastmodifieddate",
                            modified.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                        ),
                    ],
                }
            })
            .collect();
        World { reps, contacts }
    }

    /// The contacts that are high-fit leads (score of at least `min_score`).
    pub fn leads(&self, min_score: u32) -> impl Iterator<Item = &Contact> {
        self.contacts
            .iter()
            .filter(move |contact| contact.score >= min_score)
    }
}
