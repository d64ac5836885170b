//! lead-sync, tether's flagship example: every few minutes, the HubSpot contacts that
//! became high-fit leads since the last run are created or updated as Salesforce leads
//! (upserted by the HubSpot id, so a repeat never duplicates), and the lead's owner is
//! told in Slack, with the lead's title, employer, downloads and webinars.
//!
//! A checkpoint saved after every step makes a crash and restart lose no lead and repeat
//! none; Slack messages carry metadata naming the lead so that one which may have been
//! posted just before a crash is looked for before it is posted again ([`notify`]).
//!
//! The binary runs against built-in sandboxes of the three providers ([`sandboxes`]) unless
//! it is given real credentials or other base URLs ([`config`]).

pub mod checkpoint;
pub mod config;
pub mod error;
pub mod lead;
pub mod notify;
pub mod providers;
pub mod retries;
pub mod sandboxes;
pub mod sync;
