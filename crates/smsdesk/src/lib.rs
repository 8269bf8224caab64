//! SMS Desk's domain, shared by the desktop app and the `smsdesk` command line.
//!
//! - [`phone`]: numbers as people type them → [`phone::PhoneCheck`] (E.164, type, reason).
//! - [`draft::Draft`]: the compose form; [`draft::Draft::prepare`] checks it and builds the
//!   exact [`octopods::SendRequest`], so nothing invalid reaches the network.
//! - [`outbox`]: sends a prepared request, retrying only what provably did not go out, and
//!   reports the result in plain words ([`outbox::SendReport`]).
//! - [`segments`]: what a message costs ([`segments::count`]: GSM-7 or UCS-2, segments, the
//!   characters to blame) and the look-alike replacement that can bring it back to GSM-7.
//! - [`secrets::KeyStore`]: API keys in the system keychain, never anywhere else.
//! - [`desk::Desk`]: what a front end holds: sends on the active channel (Practice or a live
//!   one), keeps each channel's key, tests keys.
//! - [`settings::Settings`]: the person's settings; [`channels`] (the SMS numbers sent from,
//!   and what was learned about each) and [`teammates`] (Intercom teammates) are kept in them.
//! - [`practice::Practice`]: the built-in practice server.
//! - [`templates`]: message templates with `{{fields}}`; [`templates::render`] fills them for
//!   sending (refusing while a field is empty), [`templates::import`] and [`templates::export`]
//!   share them as a file.
//! - [`history::History`]: every message attempted (written before the request), its outcome
//!   and delivery status, in SQLite; [`optout`]: the do-not-text list in the same database.
//! - [`error`]: the crate's [`Error`] and the `{code, message, hint}` [`UserError`].

pub mod channels;
pub mod desk;
pub mod draft;
pub mod error;
pub mod first_run;
pub mod history;
pub mod optout;
pub mod outbox;
pub mod paths;
pub mod phone;
pub mod practice;
pub mod secrets;
pub mod segments;
pub mod settings;
pub mod teammates;
pub mod templates;

pub use error::{Error, Result, UserError};
