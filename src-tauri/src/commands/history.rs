//! The History screen: pages of sent messages, one message in detail, the CSV export and
//! "Check delivery now". Every SQLite call runs off the async runtime.

use std::io::BufWriter;

use serde::Serialize;
use smsdesk::history::{local_time, now_ms, Detail, Filter, Page, SeenChannel};
use smsdesk::UserError;
use tauri::{AppHandle, State};

use super::blocking;
use crate::file_dialog::{self, FileKind};
use crate::history_state::HistoryState;

/// The most rows one page may ask for.
const MAX_PAGE: u64 = 500;

const CSV_EXPORT: FileKind = FileKind {
    title: "Export history",
    filter: "CSV spreadsheet",
    extension: "csv",
};

/// What an export wrote, and where.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub count: u64,
    pub path: String,
}

/// Up to `limit` messages matching `filter`, newest first, from `offset`; and how many match.
#[tauri::command]
pub async fn list_history(
    history: State<'_, HistoryState>,
    filter: Filter,
    offset: u64,
    limit: u64,
) -> Result<Page, UserError> {
    let history = history.get()?;
    blocking(move || Ok(history.list(&filter, offset, limit.min(MAX_PAGE))?)).await
}

/// One message with its timeline and the server's answers; `None` when there is no such row.
#[tauri::command]
pub async fn get_history_entry(
    history: State<'_, HistoryState>,
    id: i64,
) -> Result<Option<Detail>, UserError> {
    let history = history.get()?;
    blocking(move || Ok(history.get(id)?)).await
}

/// The channels that appear in the history, for the channel filter.
#[tauri::command]
pub async fn list_history_channels(
    history: State<'_, HistoryState>,
) -> Result<Vec<SeenChannel>, UserError> {
    let history = history.get()?;
    blocking(move || Ok(history.channels()?)).await
}

/// Asks where to save, then writes the messages matching `filter` as CSV; `None` when the
/// person cancels.
#[tauri::command]
pub async fn export_history(
    app: AppHandle,
    history: State<'_, HistoryState>,
    filter: Filter,
) -> Result<Option<Exported>, UserError> {
    let history = history.get()?;
    let name = format!("SMS Desk history {}.csv", today());
    let Some(path) = file_dialog::pick_save(&app, CSV_EXPORT, &name).await? else {
        return Ok(None);
    };
    blocking(move || {
        let file = std::fs::File::create(&path).map_err(|e| not_saved(&e))?;
        let count = history.export_csv(&filter, BufWriter::new(file))?;
        Ok(Some(Exported {
            count,
            path: path.display().to_string(),
        }))
    })
    .await
}

/// Asks Octopods about this message's delivery now. `false` when it cannot be tracked.
#[tauri::command]
pub async fn refresh_delivery(state: State<'_, HistoryState>, id: i64) -> Result<bool, UserError> {
    let history = state.get()?;
    let asked = blocking(move || Ok(history.poll_soon(id)?)).await?;
    if asked {
        state.wake_tracker();
    }
    Ok(asked)
}

/// Today in this computer's time zone, `YYYY-MM-DD`, for file names.
pub(super) fn today() -> String {
    local_time(now_ms()).chars().take(10).collect()
}

/// A file that could not be written, in the domain's words.
pub(super) fn not_saved(error: &std::io::Error) -> UserError {
    smsdesk::Error::FileNotSaved {
        file: "the CSV file".into(),
        reason: error.to_string(),
    }
    .into()
}
