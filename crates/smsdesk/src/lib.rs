//! SMS Desk's domain, shared by the desktop app and the `smsdesk` command line.
//!
//! **[`desk::Desk`] is the one API**: the app's commands and the command line call its
//! functions and nothing else. Below it, by layer (each uses only those listed after it):
//!
//! - [`worker`]: the background runner (delivery tracking), one per data folder.
//! - [`desk`]: the façade — sending, channels and keys, teammates, settings, templates,
//!   business details, history, the do-not-text list, start-up notices.
//! - [`outbox`]: the send path — the history row before the request, retries only for what
//!   provably did not go out, the outcome recorded.
//! - [`history`]: every message attempted, its outcome and delivery ([`history::tracking`]).
//! - [`do_not_text`]: the do-not-text list, behind the [`do_not_text::DoNotText`] trait the
//!   send gate asks inside the row's transaction.
//! - [`store`]: the one SQLite file in the data folder (history, list, settings, templates),
//!   its migrations, its damage handling.
//! - [`settings`], [`channels`], [`teammates`], [`templates`], [`draft`], [`phone`],
//!   [`segments`], [`report`], [`states`], [`schedule`] (time zone, send times, reminder
//!   rules, quiet hours): the rules and types, no I/O.
//! - [`secrets`]: API keys in the system keychain; [`practice`]: the built-in practice server.
//! - [`blocking`] (work off the async runtime), [`time`] (the injected clock and sleeper), [`events`] (what changed, for the window),
//!   [`files`], [`paths`], [`spreadsheet`], [`notice`], [`error`] ([`Error`] and the
//!   `{code, message, hint}` [`UserError`]).
//! - [`text_safety`]: control characters kept out of messages, names, templates, the history
//!   and the terminal (one place decides for every entry point).
//! - [`logfile`]: the rotating, redacted log file in the data folder (`logs/smsdesk.log`),
//!   the `log` crate's logger; the other modules log through `log::info!` and its kin.

pub mod blocking;
pub mod bulk;
pub mod channels;
pub mod desk;
pub mod do_not_text;
pub mod draft;
pub mod error;
pub mod events;
pub mod files;
pub mod first_run;
pub mod history;
pub mod logfile;
pub mod notice;
pub mod outbox;
pub mod paths;
pub mod phone;
pub mod phone_forms;
pub mod practice;
pub mod report;
pub mod schedule;
pub mod secrets;
pub mod segments;
pub mod settings;
pub mod spreadsheet;
pub mod states;
pub mod stop;
pub mod store;
pub mod team;
pub mod teammates;
pub mod templates;
pub mod text_safety;
pub mod time;
pub mod worker;

pub use error::{Error, Result, UserError};
