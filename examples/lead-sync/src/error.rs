//! Why a sync pass stopped.

use std::fmt;

/// A step of the sync that failed for good, with the lead it was for.
#[derive(Debug)]
pub struct SyncError {
    /// What was being done, such as `upsert the Salesforce lead`.
    pub step: &'static str,
    /// The HubSpot contact id of the lead, when the step was for one.
    pub lead: Option<String>,
    /// The failure.
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl SyncError {
    /// A failure of `step`.
    pub fn new(
        step: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        SyncError {
            step,
            lead: None,
            source: source.into(),
        }
    }

    /// The same failure, for the lead with HubSpot id `id`.
    pub fn for_lead(mut self, id: &str) -> Self {
        self.lead = Some(id.to_owned());
        self
    }
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not {}", self.step)?;
        if let Some(lead) = &self.lead {
            write!(f, " for HubSpot contact {lead}")?;
        }
        write!(f, ": {}", self.source)
    }
}

impl std::error::Error for SyncError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// Makes a provider's error a [`SyncError`] of `step`.
pub fn at<E: fmt::Debug + Send + Sync + 'static>(
    step: &'static str,
) -> impl FnOnce(tether::Error<E>) -> SyncError {
    move |error| SyncError::new(step, error)
}
