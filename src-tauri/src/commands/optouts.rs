//! The do-not-text list: add, remove, search, import / export as CSV through the system's
//! file dialogs, and "the list is complete" after a damaged history. Numbers typed without a
//! country code are read in the settings' country.

use std::sync::Arc;

use smsdesk::desk::lists::Exported;
use smsdesk::desk::Desk;
use smsdesk::do_not_text::{Added, OptOut, OptOutImport};
use smsdesk::UserError;
use tauri::{AppHandle, State};

use crate::file_dialog::{self, FileKind};

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
    desk: State<'_, Arc<Desk>>,
    search: Option<String>,
) -> Result<Vec<OptOut>, UserError> {
    Ok(desk.opt_outs(search.as_deref().unwrap_or_default()).await?)
}

/// Puts a number (any format) on the list; returns the entry as it now stands, and whether it
/// was there already.
#[tauri::command]
pub async fn add_opt_out(
    desk: State<'_, Arc<Desk>>,
    number: String,
    reason: String,
    from_message: Option<i64>,
) -> Result<Added, UserError> {
    Ok(desk
        .add_opt_out(&number, &reason, None, from_message)
        .await?)
}

/// Takes a number off the list; `false` when it was not on it.
#[tauri::command]
pub async fn remove_opt_out(desk: State<'_, Arc<Desk>>, number: String) -> Result<bool, UserError> {
    Ok(desk.remove_opt_out(&number, None).await?)
}

/// Asks for a CSV file and adds its numbers; `None` when the person cancels.
#[tauri::command]
pub async fn import_opt_outs(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
) -> Result<Option<OptOutImport>, UserError> {
    let Some(path) = file_dialog::pick_file(&app, CSV_IMPORT).await? else {
        return Ok(None);
    };
    Ok(Some(desk.import_opt_outs(&path, None).await?))
}

/// Asks where to save and writes the whole list as CSV; returns how many numbers and where,
/// or `None` when the person cancels.
#[tauri::command]
pub async fn export_opt_outs(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
) -> Result<Option<Exported>, UserError> {
    let name = format!("SMS Desk do-not-text list {}.csv", super::today());
    let Some(path) = file_dialog::pick_save(&app, CSV_EXPORT, &name).await? else {
        return Ok(None);
    };
    Ok(Some(desk.export_opt_outs(&path).await?))
}

/// The person says the list is complete after a damaged history file: live sends (refused
/// with `opt_outs_incomplete` until then) go on.
#[tauri::command]
pub async fn confirm_opt_outs_complete(desk: State<'_, Arc<Desk>>) -> Result<(), UserError> {
    desk.confirm_opt_outs_complete().await?;
    Ok(())
}
