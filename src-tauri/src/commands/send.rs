//! Sending, and which channel messages go to.

use std::sync::Arc;

use smsdesk::desk::{Desk, DeskStatus, Sent};
use smsdesk::draft::Draft;
use smsdesk::UserError;
use tauri::{AppHandle, State};

use super::blocking;
use crate::settings_file;

/// Checks the draft (nothing is sent when a check fails) and sends it on the active channel.
#[tauri::command]
pub async fn send_message(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    draft: Draft,
) -> Result<Sent, UserError> {
    let settings = settings_file::load(&app);
    Ok(desk.send(&draft, &settings).await?)
}

/// Practice or live, whether the keychain works, and the practice numbers to try.
#[tauri::command]
pub async fn get_status(desk: State<'_, Arc<Desk>>) -> Result<DeskStatus, UserError> {
    let desk = Arc::clone(&desk);
    blocking(move || Ok(desk.status())).await
}
