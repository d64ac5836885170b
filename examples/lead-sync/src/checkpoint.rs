//! Where a run stopped, saved after every step of every lead so that a crash and restart
//! neither loses a lead nor repeats one.
//!
//! Leads are synced in the order HubSpot last modified them. The checkpoint holds the
//! modification time reached (`since`), the leads already finished at exactly that time
//! (the next search starts *at* `since`, so ties are fetched again and skipped), and the
//! one lead in flight with the last stage it reached. It is written atomically: a
//! temporary file beside it, flushed to disk, then renamed over it.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The saved state of the sync.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The HubSpot modification time of the last finished lead: the next search starts here.
    pub since: Option<DateTime<Utc>>,
    /// The HubSpot ids of the finished leads modified exactly at `since`.
    #[serde(default)]
    pub finished_at_since: Vec<String>,
    /// The lead being synced, if a run stopped in the middle of one.
    pub in_flight: Option<InFlight>,
}

/// A lead part of the way through the sync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InFlight {
    /// Which change of which contact this is: [`crate::lead::Lead::sync_key`].
    pub sync_key: String,
    /// The last stage it reached.
    pub stage: Stage,
}

/// How far a lead got. Each stage is saved before the step that follows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    /// Salesforce holds the lead (upsert done).
    Upserted {
        /// The Salesforce record id.
        salesforce_id: String,
        /// Whether the upsert created the record.
        created: bool,
    },
    /// A Slack message to the rep may have been posted: it is about to be, or was and
    /// the checkpoint did not record it yet. Before posting again, the channel's history
    /// is searched for it.
    Notifying {
        /// The Salesforce record id.
        salesforce_id: String,
        /// Whether the upsert created the record.
        created: bool,
        /// The direct-message channel with the rep.
        channel: String,
        /// Slack timestamp (seconds since the epoch) before the first post attempt: the
        /// history is searched from there.
        oldest: String,
    },
}

impl Checkpoint {
    /// Reads the checkpoint at `path`; a missing file is a fresh start.
    pub fn load(path: &Path) -> io::Result<Checkpoint> {
        match fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: not a lead-sync checkpoint: {error}", path.display()),
                )
            }),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Checkpoint::default()),
            Err(error) => Err(error),
        }
    }

    /// Writes the checkpoint to `path` atomically: whatever happens, the file holds either
    /// the previous checkpoint or this one, whole.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        let temporary = temporary_path(path);
        let mut file = File::create(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, path)?;
        // The rename itself is durable only once the directory is.
        if let Some(directory) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            File::open(directory)?.sync_all()?;
        }
        Ok(())
    }

    /// Whether the lead modified at `modified` with HubSpot id `id` was finished already.
    pub fn is_finished(&self, id: &str, modified: DateTime<Utc>) -> bool {
        match self.since {
            Some(since) if modified < since => true,
            Some(since) if modified == since => {
                self.finished_at_since.iter().any(|done| done == id)
            }
            _ => false,
        }
    }

    /// The stage the lead with `sync_key` reached in an earlier run, if it was in flight.
    pub fn stage_of(&self, sync_key: &str) -> Option<&Stage> {
        self.in_flight
            .as_ref()
            .filter(|in_flight| in_flight.sync_key == sync_key)
            .map(|in_flight| &in_flight.stage)
    }

    /// Records that the lead with `sync_key` reached `stage`.
    pub fn reach(&mut self, sync_key: &str, stage: Stage) {
        self.in_flight = Some(InFlight {
            sync_key: sync_key.to_owned(),
            stage,
        });
    }

    /// Records that the lead `id`, modified at `modified`, is finished.
    pub fn finish(&mut self, id: &str, modified: DateTime<Utc>) {
        if self.since != Some(modified) {
            self.since = Some(modified);
            self.finished_at_since.clear();
        }
        self.finished_at_since.push(id.to_owned());
        self.in_flight = None;
    }
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).expect("a valid time")
    }

    #[test]
    fn finished_leads_are_those_before_since_and_the_ties_recorded() {
        let mut checkpoint = Checkpoint::default();
        assert!(!checkpoint.is_finished("1", at(10)));
        checkpoint.finish("1", at(10));
        checkpoint.finish("2", at(10));
        assert!(checkpoint.is_finished("1", at(10)) && checkpoint.is_finished("2", at(10)));
        assert!(!checkpoint.is_finished("3", at(10)));
        assert!(checkpoint.is_finished("0", at(9)));
        checkpoint.finish("3", at(11));
        assert_eq!(checkpoint.finished_at_since, ["3"]);
        assert!(checkpoint.is_finished("2", at(10)));
    }

    #[test]
    fn saved_checkpoints_load_back_and_replace_the_file_whole() {
        let directory = std::env::temp_dir().join(format!("lead-sync-cp-{}", std::process::id()));
        fs::create_dir_all(&directory).expect("a temporary directory");
        let path = directory.join("checkpoint.json");
        assert_eq!(
            Checkpoint::load(&path).expect("missing is fresh"),
            Checkpoint::default()
        );
        let mut checkpoint = Checkpoint::default();
        checkpoint.reach(
            "7@1",
            Stage::Notifying {
                salesforce_id: "00Q1".to_owned(),
                created: true,
                channel: "D1".to_owned(),
                oldest: "1700000000".to_owned(),
            },
        );
        checkpoint.save(&path).expect("saved");
        checkpoint.finish("7", at(5));
        checkpoint.save(&path).expect("saved again");
        assert_eq!(Checkpoint::load(&path).expect("loads"), checkpoint);
        assert!(!temporary_path(&path).exists());
        fs::write(&path, b"{ torn").expect("written");
        assert!(Checkpoint::load(&path).is_err());
        fs::remove_dir_all(&directory).expect("cleaned up");
    }
}
