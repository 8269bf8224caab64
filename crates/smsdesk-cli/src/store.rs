//! The history database the app and the command line share, opened for one command.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Local, SecondsFormat, TimeZone, Utc};
use smsdesk::history::History;
use smsdesk::phone::Country;

use crate::channel;
use crate::error::{CliError, Result};

/// What the history is opened for: it decides what the person is told to do if it cannot be.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    /// A send: a message that cannot be recorded is not sent.
    Send,
    /// Reading or changing the history or the do-not-text list.
    Use,
}

const FOLDER_HINT: &str = "Check that the folder exists and can be written to, and that the disk has free space (SMSDESK_DATA_DIR chooses another folder), then try again.";

impl Purpose {
    fn hint(self) -> &'static str {
        match self {
            Purpose::Send => "Nothing was sent: SMS Desk does not send a message it cannot record. Check that the folder exists and can be written to, and that the disk has free space (SMSDESK_DATA_DIR chooses another folder), then send again.",
            Purpose::Use => FOLDER_HINT,
        }
    }
}

/// The data folder: `SMSDESK_DATA_DIR`, else the app's.
fn data_dir(purpose: Purpose) -> Result<PathBuf> {
    smsdesk::paths::data_dir().ok_or_else(|| CliError::History {
        dir: "the data folder".into(),
        reason: "this computer has no home folder".into(),
        hint: purpose.hint(),
    })
}

/// Opens the history, saying on standard error if a damaged file had to be set aside.
pub fn open(purpose: Purpose) -> Result<Arc<History>> {
    let dir = data_dir(purpose)?;
    let history = History::open(&dir).map_err(|e| match e {
        smsdesk::Error::History(reason) => CliError::History {
            dir: dir.display().to_string(),
            reason,
            hint: purpose.hint(),
        },
        other => CliError::Domain(other),
    })?;
    if let Some(damaged) = history.damaged() {
        eprintln!(
            "warning: the message history could not be read ({}), so it was kept as {} and a new one was started.",
            damaged.reason, damaged.kept_as
        );
    }
    Ok(Arc::new(history))
}

/// `--region`, else the app's default country, else none.
pub fn country(region: Option<&str>) -> Result<Option<Country>> {
    match region {
        Some(code) => Ok(Some(Country::parse(code)?)),
        None => Ok(channel::app_settings().and_then(|s| s.country())),
    }
}

/// Milliseconds since 1970 as RFC 3339 in this computer's time zone, e.g.
/// `2026-11-27T15:57:21.123+01:00`.
pub fn rfc3339(ms: i64) -> String {
    match Local.timestamp_millis_opt(ms).single() {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Millis, false),
        None => Utc
            .timestamp_millis_opt(ms)
            .single()
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, false))
            .unwrap_or_default(),
    }
}
