//! # tether
//!
//! Typed API clients generated at compile time from a provider's OpenAPI document.
//!
//! ```ignore
//! #[tether::integration(spec = "specs/petstore.yaml")]
//! pub mod petstore {}
//!
//! let client = petstore::Client::new("http://127.0.0.1:8080/v1")?;
//! let pet = client.get_pet_by_id(42).await?;
//! ```
//!
//! The attribute reads the spec (relative to the crate's `Cargo.toml`) and generates the
//! spec's types, a `Client` with one method per operation, and typed errors. Everything
//! the generated code needs at run time lives in this crate.

mod adaptive;
mod attempts;
mod auth;
mod body_stream;
mod call;
mod client;
mod error;
mod error_when;
mod event_stream;
mod generated_items;
mod header_text;
mod json_path;
mod limit_headers;
mod multipart;
mod oauth2;
mod object;
mod origin;
mod paging;
mod params;
mod rate_limit;
mod response;
mod retry;
mod retry_budget;
#[cfg(feature = "sandbox")]
pub mod sandbox;
mod secret;
mod send;
mod shape;
mod sign;
mod target;
mod throttle;
mod token;
mod unprocessed;

pub use auth::{ApiKeyLocation, Credential, SchemeKind, SecurityScheme};
pub use body_stream::{ByteStream, ByteStreamFuture};
pub use bytes::Bytes;
pub use call::CallOptions;
pub use client::{ClientConfig, HttpClient};
pub use error::{ConfigError, DecodeFailure, Error, RequestSummary};
pub use event_stream::{EventStream, EventStreamFuture};
pub use http::{HeaderMap, Method, StatusCode};
pub use multipart::{MultipartForm, PartContent};
pub use oauth2::{ClientCredentialsGrant, OAuth2Client, RefreshTokenGrant};
pub use paging::{Cursor, Items, Page, Pages};
pub use params::QueryStyle;
pub use response::{RawResponse, Response};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use send::ResponseFuture;
pub use sign::{SignError, SignRequest};
pub use tether_macros::integration;
pub use token::{AccessToken, TokenSource};

/// What generated code uses. Not a stable API: do not use it directly.
#[doc(hidden)]
pub mod __private {
    pub use crate::call::Call;
    pub use crate::event_stream::Framing;
    pub use crate::object::{
        decode_object, read, read_additional, read_nullable, required, skip, FromMap, Key, Names,
        NamesAndOthers, Text,
    };
    pub use crate::paging::{items, pages, CursorPlace, NextPage, Paging};
    pub use crate::response::{by_status, bytes, empty, json, tagged, text, variant, FromResponse};
    pub use crate::send::{send, send_body, send_events, send_stream};
    pub use crate::shape::{
        attempt, attempt_exact, attempt_struct, buffer_map, buffer_seq, by_shape, map, no_variant,
        scalar, seq, try_scalar, ByShape,
    };
    pub use chrono;
    pub use serde;
    pub use serde_json;
    // A generated sandbox module carries this attribute: it keeps the module with the
    // `sandbox` feature, and without it is one error that says to enable the feature.
    #[cfg(feature = "sandbox")]
    pub use tether_macros::sandbox_module;
    #[cfg(not(feature = "sandbox"))]
    pub use tether_macros::sandbox_without_feature as sandbox_module;
    pub use uuid;
}
