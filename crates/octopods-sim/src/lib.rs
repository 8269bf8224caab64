//! An Octopods-compatible SMS API server, for tests, demos and the app's Practice mode.
//!
//! [`Sim::start`] serves, on a free port of `127.0.0.1`:
//! - `POST /api/v1/sms/messages`: validates like Octopods (error codes 1–5, 401 for a missing
//!   or unknown `X-Octopods-Auth` key) and answers `201` in the Intercom or HubSpot shape of the
//!   key's [`Workspace`].
//! - `GET /api/v1/sms/messages/{id}`: the delivery status, one stage further on every read
//!   (`queued`, `sent`, then the final status), in the key's [`StatusShape`]; an unknown id is
//!   `400` with `error_code` 6.
//! - Admin endpoints for a standalone simulator, never recorded and never faulted:
//!   `GET`/`DELETE /_sim/requests` (list as a JSON array / forget the recorded requests),
//!   `POST /_sim/faults` with `{"fault": "latency", "ms": 500}`, `{"fault": "server_error"}`,
//!   `bad_gateway_html`, `rate_limited` (optional `"retry_after": 2`), `drop_connection` or
//!   `ok_html`, plus `"persistent": true` to keep it until cleared; `DELETE /_sim/faults`
//!   clears every fault.
//!
//! [`Sim::start_private`] (the app's Practice mode) serves the two Octopods endpoints only: no
//! admin endpoints (the app uses [`Sim::requests`] and the fault functions in-process), and
//! only to requests whose `Host` is the server's own loopback address (`127.0.0.1:PORT` or
//! `[::1]:PORT`), so that a web page cannot reach it through DNS rebinding; any other request
//! is answered `421` with an empty body, and not recorded.
//!
//! Misbehaviour on demand: [`Sim::push_fault`] (next request only) and [`Sim::set_fault`]
//! (every request) with a [`Fault`]; or send to one of the [`MAGIC_NUMBERS`].
//! Every API request is recorded as it arrives, before any fault: [`Sim::requests`].
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use octopods_sim::{Fault, Sim, SimConfig, PRACTICE_KEY};
//! let sim = Sim::start(SimConfig::default()).await?;
//! let base_url = sim.base_url(); // point an octopods::Client here, with PRACTICE_KEY
//! sim.push_fault(Fault::ServerError); // the next request gets a 500
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

mod admin;
mod config;
mod delivery;
mod faults;
mod handlers;
mod magic;
mod server;
mod state;
mod timefmt;
mod validate;

pub use config::{
    SimConfig, SimKey, StatusShape, Workspace, DEPRECATED_KEY, HUBSPOT_KEY, LEGACY_KEY,
    PRACTICE_KEY,
};
pub use delivery::FIRST_MESSAGE_ID;
pub use faults::Fault;
pub use handlers::MESSAGE_NOT_FOUND_CODE;
pub use magic::MAGIC_NUMBERS;
pub use server::Sim;
pub use state::RecordedRequest;
