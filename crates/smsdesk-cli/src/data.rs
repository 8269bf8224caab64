//! The desk a command works on: one [`Desk`] per command, on the data folder the app uses
//! (`SMSDESK_DATA_DIR` overrides it); the keychain is opened only when a key is needed.

use smsdesk::desk::{Desk, DeskOptions};

use crate::error::{CliError, Result};
use crate::output;

/// What the history is opened for: it decides what the person is told to do if it cannot be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A send: a message that cannot be recorded is not sent.
    Send,
    /// Reading or changing the history or the do-not-text list, or tracking deliveries.
    Use,
}

impl Purpose {
    fn hint(self) -> &'static str {
        match self {
            Purpose::Send => "Nothing was sent: SMS Desk does not send a message it cannot record. Check that the folder exists and can be written to, and that the disk has free space (SMSDESK_DATA_DIR chooses another folder), then send again.",
            Purpose::Use => "Check that the folder exists and can be written to, and that the disk has free space (SMSDESK_DATA_DIR chooses another folder), then try again.",
        }
    }
}

/// The notice that holds live sends back; a send or a fix says it in its own words.
const OPT_OUTS_INCOMPLETE: &str = smsdesk::desk::notices::OPT_OUTS_INCOMPLETE;
/// What to do about it from the command line.
const OPT_OUTS_INCOMPLETE_HINT: &str = "Import your exported list again (smsdesk optout import FILE), or confirm that the list is complete (smsdesk optout confirm-complete). Add anyone who replied STOP.";

/// The desk on the data folder, its store opened (a message that cannot be recorded is not
/// sent), and what the person should know about it said on standard error: a damaged history
/// that was set aside, a do-not-text list that may be incomplete (unless `quiet_opt_outs`),
/// settings that cannot be read.
pub async fn open(purpose: Purpose, quiet_opt_outs: bool) -> Result<Desk> {
    let options =
        DeskOptions::from_env().map_err(|e| history_error("the data folder", e, purpose))?;
    let desk = Desk::new(options);
    if let Err(e) = desk.store().await {
        return Err(history_error(&desk.dir().display().to_string(), e, purpose));
    }
    for notice in desk.notices().await {
        if notice.code == OPT_OUTS_INCOMPLETE {
            if !quiet_opt_outs {
                output::err(format_args!(
                    "warning: {}\n{OPT_OUTS_INCOMPLETE_HINT}",
                    notice.message
                ));
            }
            continue;
        }
        output::err(format_args!("warning: {}\n{}", notice.message, notice.hint));
    }
    Ok(desk)
}

fn history_error(dir: &str, e: smsdesk::Error, purpose: Purpose) -> CliError {
    match e {
        smsdesk::Error::History(reason) => CliError::History {
            dir: dir.to_owned(),
            reason,
            hint: purpose.hint(),
        },
        other => CliError::Domain(other),
    }
}
