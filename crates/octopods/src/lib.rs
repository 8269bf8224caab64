//! Client for the Octopods SMS API (`POST /api/v1/sms/messages`, `GET /api/v1/sms/messages/{id}`).
//!
//! The main types:
//! - [`Client`]: one SMS channel (a base URL and that channel's [`ApiKey`]).
//! - [`SendRequest`]: what is sent; empty optional fields are left out of the JSON.
//! - [`SendOutcome`]: what became of a send. Only [`SendOutcome::NotSent`] and
//!   [`SendOutcome::RateLimited`] prove the message was not accepted and may be retried;
//!   [`SendOutcome::Unknown`] means it may have gone out and must never be resent automatically.
//! - [`DeliveryReport`] / [`StatusError`]: what the status endpoint said, in either of the two
//!   shapes Octopods documents.
//! - [`ErrorCode`]: the documented `error_code` values 1–5.
//! - [`KeyCheck`]: what [`Client::check_key`] (a harmless status read) says about a key.

mod client;
mod error;
mod key;
mod keycheck;
mod outcome;
mod status;
mod wire;

pub use client::{Client, Timeouts, DEFAULT_BASE_URL};
pub use error::{Error, Result};
pub use key::ApiKey;
pub use keycheck::KeyCheck;
pub use outcome::{Accepted, Rejected, SendOutcome};
pub use status::{DeliveryReport, DeliveryStatus, StatusError};
pub use wire::{ErrorCode, SendRequest, AUTH_HEADER, MAX_BODY_CHARS, MESSAGES_PATH};
