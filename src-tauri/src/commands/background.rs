//! The window's part in keeping SMS Desk running (see [`crate::background`]).

use std::sync::Arc;

use smsdesk::desk::Desk;
use smsdesk::UserError;
use tauri::{AppHandle, State};

/// "Keep sending in the background", the default answer when the window is closed while a
/// list is being sent: the window hides to the tray and the worker goes on. `false` when
/// there is no tray icon to find it again: the window stays open.
#[tauri::command]
pub async fn keep_in_tray(app: AppHandle, desk: State<'_, Arc<Desk>>) -> Result<bool, UserError> {
    Ok(crate::background::hide_to_tray(&app, &desk).await)
}
