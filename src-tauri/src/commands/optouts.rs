//! The do-not-text list: add, remove, search, and import / export as CSV through the system's
//! file dialogs. Numbers typed without a country code are read in the settings' country.

use std::io::BufWriter;

use serde::Serialize;
use smsdesk::history::History;
use smsdesk::optout::{self, OptOut, OptOutImport};
use smsdesk::UserError;
use tauri::{AppHandle, State};

use super::blocking;
use super::history::{not_saved, today, Exported};
use crate::file_dialog::{self, FileKind};
use crate::history_state::HistoryState;
use crate::settings_file;

const CSV_IMPORT: FileKind = FileKind {
    title: "Import do-not-text numbers",
    filter: "CSV spreadsheet",
    extension: "csv",
};
const CSV_EXPORT: FileKind = FileKind {
    title: "Export the do-not-text list",
    ..CSV_IMPORT
};

/// The list, newest first; `search` matches digits of the number or words of the reason.
#[tauri::command]
pub async fn list_opt_outs(
    history: State<'_, HistoryState>,
    search: Option<String>,
) -> Result<Vec<OptOut>, UserError> {
    let history = history.get()?;
    blocking(move || Ok(history.opt_outs(search.as_deref().unwrap_or_default())?)).await
}

/// A number on the list as it now stands, and whether it was there before.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Added {
    #[serde(flatten)]
    pub entry: OptOut,
    /// The number was already on the list (it keeps its first date and reason).
    pub already: bool,
}

/// Puts a number (any format) on the list; returns the entry as it now stands.
#[tauri::command]
pub async fn add_opt_out(
    app: AppHandle,
    history: State<'_, HistoryState>,
    number: String,
    reason: String,
    from_message: Option<i64>,
) -> Result<Added, UserError> {
    let history = history.get()?;
    let country = settings_file::load(&app).country();
    blocking(move || {
        let e164 = optout::normalize(&number, country)?;
        let already = history.opt_out_for(&e164)?.is_some();
        let entry = history.add_opt_out(&e164, &reason, country, from_message)?;
        Ok(Added { entry, already })
    })
    .await
}

/// Takes a number off the list; `false` when it was not on it.
#[tauri::command]
pub async fn remove_opt_out(
    app: AppHandle,
    history: State<'_, HistoryState>,
    number: String,
) -> Result<bool, UserError> {
    let history = history.get()?;
    let country = settings_file::load(&app).country();
    blocking(move || Ok(history.remove_opt_out(&number, country)?)).await
}

/// Asks for a CSV file and adds its numbers; `None` when the person cancels.
#[tauri::command]
pub async fn import_opt_outs(
    app: AppHandle,
    history: State<'_, HistoryState>,
) -> Result<Option<OptOutImport>, UserError> {
    let history = history.get()?;
    let Some(path) = file_dialog::pick_file(&app, CSV_IMPORT).await? else {
        return Ok(None);
    };
    let country = settings_file::load(&app).country();
    blocking(move || {
        let bytes = std::fs::read(&path).map_err(|e| {
            UserError::from(smsdesk::Error::FileUnreadable {
                file: "the CSV file".into(),
                reason: e.to_string(),
            })
        })?;
        // Spreadsheets do not always save UTF-8; numbers are ASCII either way.
        let text = String::from_utf8_lossy(&bytes);
        Ok(Some(history.import_opt_outs(&text, country)?))
    })
    .await
}

/// Asks where to save and writes the whole list as CSV; returns how many numbers and where,
/// or `None` when the person cancels.
#[tauri::command]
pub async fn export_opt_outs(
    app: AppHandle,
    history: State<'_, HistoryState>,
) -> Result<Option<Exported>, UserError> {
    let history = history.get()?;
    let name = format!("SMS Desk do-not-text list {}.csv", today());
    let Some(path) = file_dialog::pick_save(&app, CSV_EXPORT, &name).await? else {
        return Ok(None);
    };
    blocking(move || export(&history, &path).map(Some)).await
}

fn export(history: &History, path: &std::path::Path) -> Result<Exported, UserError> {
    let file = std::fs::File::create(path).map_err(|e| not_saved(&e))?;
    Ok(Exported {
        count: history.export_opt_outs(BufWriter::new(file))?,
        path: path.display().to_string(),
    })
}
