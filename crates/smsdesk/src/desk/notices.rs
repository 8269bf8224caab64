//! What to tell the person when SMS Desk starts, kept in the store so that whichever opens it
//! first (the app or the command line) does not swallow it: a damaged history that was kept
//! aside, a do-not-text list that may be incomplete (until it is resolved), a settings or
//! templates file from an older version that could not be read, or a store that cannot be
//! opened at all.

use super::Desk;
use crate::error::{Error, Result, UserError};
use crate::events::{Change, ChangeKind};
pub use crate::notice::Notice;
use crate::store::config::keys;
use crate::store::{DamagedDatabase, Store};

/// The notice that cannot be dismissed: it goes once the list is re-imported or confirmed.
pub const OPT_OUTS_INCOMPLETE: &str = "opt_outs_incomplete";
const HISTORY_DAMAGED: &str = "history_damaged";

impl Desk {
    /// The notices, most serious first; empty when all is well. Only reads.
    pub async fn notices(&self) -> Vec<Notice> {
        let store = match self.store().await {
            Ok(store) => store,
            Err(error) => {
                let error = UserError::from(&error);
                return vec![Notice {
                    code: "history_unavailable".into(),
                    message: format!(
                        "Your message history could not be opened, so nothing can be sent. {}",
                        error.message
                    ),
                    hint: error.hint,
                }];
            }
        };
        let read = crate::outbox::blocking(&store, |s| Ok(read_notices(s))).await;
        read.unwrap_or_else(|error| vec![notice_for(&error)])
    }

    /// The person closed a notice: it is not shown again (the incomplete do-not-text list's
    /// notice stays until the list is fixed). `false` when there was no such notice.
    pub async fn dismiss_notice(&self, code: &str) -> Result<bool> {
        let code = code.to_owned();
        let dismissed = self
            .with_store(move |s| match code.as_str() {
                OPT_OUTS_INCOMPLETE => Ok(false),
                HISTORY_DAMAGED => s.remove_config(keys::DAMAGE),
                _ => s.edit_config(keys::NOTICES, Vec::<Notice>::new, |kept| {
                    let before = kept.len();
                    kept.retain(|n| n.code != code);
                    let changed = kept.len() != before;
                    Ok((changed, changed))
                }),
            })
            .await?;
        if dismissed {
            self.tell(Change::of(ChangeKind::Settings));
        }
        Ok(dismissed)
    }
}

fn read_notices(store: &Store) -> Vec<Notice> {
    let mut notices = Vec::new();
    match store.opt_outs_incomplete() {
        Ok(Some(marker)) => notices.push(Notice {
            code: OPT_OUTS_INCOMPLETE.into(),
            message: format!(
                "The do-not-text list could not be read and is empty now: it was in the damaged history file (kept at {}), so it may be missing numbers. Messages to real numbers are paused until this is fixed.",
                marker.kept_as
            ),
            hint: "On the Do not text screen, import your exported list again (Import CSV…), or confirm that the list is complete. Add anyone who replied STOP.".into(),
        }),
        Ok(None) => {}
        Err(error) => notices.push(notice_for(&error)),
    }
    match store.damaged() {
        Ok(Some(damaged)) => notices.push(damaged_history_notice(&damaged)),
        Ok(None) => {}
        Err(error) => notices.push(notice_for(&error)),
    }
    match store.config::<Vec<Notice>>(keys::NOTICES) {
        Ok(kept) => notices.extend(kept.unwrap_or_default()),
        Err(error) => notices.push(notice_for(&error)),
    }
    // Settings that cannot be read stop sending: say so at once, not at the first send.
    if let Err(error) = super::read_settings(store) {
        notices.push(notice_for(&error));
    }
    notices
}

fn notice_for(error: &Error) -> Notice {
    let error = UserError::from(error);
    Notice {
        code: error.code.to_owned(),
        message: error.message,
        hint: error.hint,
    }
}

/// The notice for a damaged history: what was kept, what was carried over, what to check.
fn damaged_history_notice(damaged: &DamagedDatabase) -> Notice {
    let carried = match damaged.recovered_messages {
        Some(0) | None => "Earlier messages are not shown in History.".to_owned(),
        Some(n) => format!("The {n} messages it could still read were copied into it."),
    };
    let hint = match damaged.recovered_opt_outs {
        Some(n) => format!(
            "The do-not-text list was carried over ({n} numbers): check it on the Do not text screen."
        ),
        None => "The do-not-text list could not be read: see the notice about it.".to_owned(),
    };
    Notice {
        code: HISTORY_DAMAGED.into(),
        message: format!(
            "Your message history file could not be read, so SMS Desk started a new one. {carried} The damaged file was kept at {}.",
            damaged.kept_as
        ),
        hint,
    }
}
