//! Clients generated from the specs in `specs/`, shared by the tests in `tests/`.

/// The pet store: every parameter, body and response kind.
#[tether::integration(spec = "../specs/petstore.yaml")]
pub mod petstore {}

/// HubSpot CRM contacts (v3).
#[tether::integration(spec = "../specs/hubspot-crm.yaml")]
pub mod hubspot {}
