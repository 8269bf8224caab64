//! What to tell the person when SMS Desk starts: a damaged history database or settings /
//! templates file that was kept aside, or a history that could not be opened at all.

use serde::Serialize;
use smsdesk::UserError;
use tauri::State;

use crate::history_state::HistoryState;

/// A settings or templates file that could not be read at start-up and was copied aside.
#[derive(Debug, Clone)]
pub struct DamagedFile {
    /// `settings.json` or `templates.json`.
    pub name: String,
    pub kept_as: String,
}

/// The damaged files found at start-up (managed state, filled before any store opens them).
#[derive(Debug, Default)]
pub struct StartupNotices(pub Vec<DamagedFile>);

/// One thing to tell the person, in the shape of an error: `{code, message, hint}`.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

/// The notices for this start, most serious first; empty when all is well.
#[tauri::command]
pub async fn get_notices(
    history: State<'_, HistoryState>,
    startup: State<'_, StartupNotices>,
) -> Result<Vec<Notice>, UserError> {
    let mut notices = Vec::new();
    match history.get() {
        Err(error) => notices.push(Notice {
            code: "history_unavailable",
            message: format!(
                "Your message history could not be opened, so nothing can be sent. {}",
                error.message
            ),
            hint: error.hint,
        }),
        Ok(history) => {
            if let Some(damaged) = history.damaged() {
                notices.push(damaged_history_notice(damaged));
            }
        }
    }
    for file in &startup.0 {
        notices.push(file_notice(file));
    }
    Ok(notices)
}

/// The notice for a damaged history: what was kept, what was carried over, what to check.
fn damaged_history_notice(damaged: &smsdesk::history::DamagedDatabase) -> Notice {
    let carried = match damaged.recovered_messages {
        Some(0) | None => "Earlier messages are not shown in History.".to_owned(),
        Some(n) => format!("The {n} messages it could still read were copied into it."),
    };
    let hint = match damaged.recovered_opt_outs {
        Some(n) => format!(
            "The do-not-text list was carried over ({n} numbers): check it on the Do not text screen."
        ),
        None => "The do-not-text list could not be read and is empty now: if you exported it, import it again with Import CSV… on the Do not text screen, and add anyone who replied STOP.".to_owned(),
    };
    Notice {
        code: "history_damaged",
        message: format!(
            "Your message history file could not be read, so SMS Desk started a new one. {carried} The damaged file was kept at {}.",
            damaged.kept_as
        ),
        hint,
    }
}

fn file_notice(file: &DamagedFile) -> Notice {
    let (what, hint) = match file.name.as_str() {
        "templates.json" => (
            "templates",
            "If you exported your templates, import that file again with Import… on the Templates screen.",
        ),
        _ => (
            "settings",
            "Check Settings: your country, channels, teammates and business details may need to be entered again.",
        ),
    };
    Notice {
        code: "file_damaged",
        message: format!(
            "Your {what} file could not be read. A copy was kept at {}.",
            file.kept_as
        ),
        hint: hint.into(),
    }
}
