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
//!
//! The network: the operating system's certificate store and proxy settings (and
//! `HTTPS_PROXY` / `NO_PROXY`; this computer by its number never goes through a proxy), ring
//! as the TLS crypto provider ([`install_tls_provider`]), at most [`MAX_ANSWER_BYTES`] of any
//! answer read. A failure on the way says in plain words which it was (DNS, refused,
//! certificate, proxy, time limit), never with a URL or a proxy's password.

mod client;
mod error;
mod key;
mod keycheck;
mod outcome;
mod status;
mod transport;
mod wire;

pub use client::{install_tls_provider, Client, Timeouts, DEFAULT_BASE_URL, MAX_ANSWER_BYTES};
pub use error::{Error, Result};
pub use key::ApiKey;
pub use keycheck::KeyCheck;
pub use outcome::{Accepted, Rejected, SendOutcome};
pub use status::{DeliveryReport, DeliveryStatus, StatusError};
pub use wire::{ErrorCode, SendRequest, AUTH_HEADER, MAX_BODY_CHARS, MESSAGES_PATH};
