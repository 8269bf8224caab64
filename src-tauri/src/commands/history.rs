//! The History screen: pages of sent messages, one message in detail, the CSV export and
//! "Check delivery now".

use std::sync::Arc;

use smsdesk::desk::lists::Exported;
use smsdesk::desk::Desk;
use smsdesk::history::{Detail, Filter, Page, SeenChannel};
use smsdesk::worker::Worker;
use smsdesk::UserError;
use tauri::{AppHandle, State};

use crate::file_dialog::{self, FileKind};

const CSV_EXPORT: FileKind = FileKind {
    title: "Export history",
    filter: "CSV spreadsheet",
    extension: "csv",
};

/// Up to `limit` messages matching `filter`, newest first, from `offset`; and how many match.
#[tauri::command]
pub async fn list_history(
    desk: State<'_, Arc<Desk>>,
    filter: Filter,
    offset: u64,
    limit: u64,
) -> Result<Page, UserError> {
    Ok(desk.history(filter, offset, limit).await?)
}

/// One message with its timeline and the server's answers; `None` when there is no such row.
#[tauri::command]
pub async fn get_history_entry(
    desk: State<'_, Arc<Desk>>,
    id: i64,
) -> Result<Option<Detail>, UserError> {
    Ok(desk.history_entry(id).await?)
}

/// The channels that appear in the history, for the channel filter.
#[tauri::command]
pub async fn list_history_channels(
    desk: State<'_, Arc<Desk>>,
) -> Result<Vec<SeenChannel>, UserError> {
    Ok(desk.history_channels().await?)
}

/// Asks where to save, then writes the messages matching `filter` as CSV; `None` when the
/// person cancels.
#[tauri::command]
pub async fn export_history(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    filter: Filter,
) -> Result<Option<Exported>, UserError> {
    let name = format!("SMS Desk history {}.csv", super::today());
    let Some(path) = file_dialog::pick_save(&app, CSV_EXPORT, &name).await? else {
        return Ok(None);
    };
    Ok(Some(desk.export_history(filter, &path).await?))
}

/// Asks Octopods about this message's delivery now (the worker is woken for it). `false`
/// when it cannot be tracked.
#[tauri::command]
pub async fn refresh_delivery(
    desk: State<'_, Arc<Desk>>,
    worker: State<'_, Arc<Worker>>,
    id: i64,
) -> Result<bool, UserError> {
    let asked = desk.refresh_delivery(id).await?;
    if asked {
        worker.wake();
    }
    Ok(asked)
}
