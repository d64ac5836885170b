//! Sandboxes: loopback servers generated from the spec, for testing an integration
//! without the real provider (the `sandbox` feature, and `sandbox = true` in the
//! attribute).
//!
//! The attribute generates a `sandbox` module beside the client with a trait, `Api`,
//! with one async method per operation, and `serve(api)`, which serves an
//! implementation of it on a fresh port of `127.0.0.1`:
//!
//! ```ignore
//! struct Pets;
//!
//! impl petstore::sandbox::Api for Pets {
//!     async fn get_pet_by_id(&self, pet_id: i64) -> Reply<petstore::Pet, petstore::GetPetByIdError> {
//!         Reply::ok(petstore::Pet { id: pet_id, name: "Rex".into(), ..pet_fields() })
//!     }
//! }
//!
//! let sandbox = petstore::sandbox::serve(Pets).await?;
//! let client = petstore::Client::new(sandbox.base_url())?;
//! ```
//!
//! Methods left unimplemented answer `501` with a JSON body naming the operation. A
//! request whose parameters or body do not fit the spec's types is answered `400` with
//! the value, the field path and the reason, and never reaches the implementation. A
//! [`Faults`] plan answers chosen requests `429` or `503` instead.

mod faults;
mod incoming;
mod reply;
mod routes;
mod server;
mod text;

pub use faults::{Fault, FaultRule, Faults};
pub use reply::{Reply, Streamed};
pub use server::{Builder, Sandbox};

/// What generated sandboxes use. Not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use super::incoming::{Incoming, ParamPlace, Rejection};
    pub use super::reply::{bytes, empty, json, streamed, text, Encoded, Respond};
    pub use super::routes::{Fixed, RouteKey, Routes};
}
