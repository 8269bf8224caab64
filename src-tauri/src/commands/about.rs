//! The About screen and help for support (see [`crate::about`]), and new versions (see
//! [`crate::updates`]).

use std::sync::Arc;

use smsdesk::desk::Desk;
use smsdesk::worker::Worker;
use smsdesk::UserError;
use tauri::{AppHandle, State};

use crate::about::About;
use crate::updates::{UpdateStatus, Updates};

/// Version, build date, data folder, log file, keychain and system. Async, so that opening the
/// keychain to name it (it may wait for the system) never holds the window's thread.
#[tauri::command]
pub async fn get_about(app: AppHandle, desk: State<'_, Arc<Desk>>) -> Result<About, UserError> {
    Ok(crate::about::about(&app, &desk))
}

/// The text "Copy diagnostics" copies: no key, message or phone number.
#[tauri::command]
pub async fn get_diagnostics(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    updates: State<'_, Arc<Updates>>,
) -> Result<String, UserError> {
    Ok(crate::about::diagnostics(&app, &desk, &updates.status()).await)
}

/// Opens the data folder in the file manager.
#[tauri::command]
pub fn open_data_folder(desk: State<'_, Arc<Desk>>) -> Result<(), UserError> {
    crate::about::open_folder(desk.dir())
}

/// What is known of new versions.
#[tauri::command]
pub fn get_update(updates: State<'_, Arc<Updates>>) -> UpdateStatus {
    updates.status()
}

/// Looks for a new version now.
#[tauri::command]
pub async fn check_for_update(app: AppHandle) -> Result<UpdateStatus, UserError> {
    Ok(crate::updates::check(&app).await)
}

/// Installs the new version found, when nothing is being sent or due soon; SMS Desk then
/// starts again. An error says why nothing was installed.
#[tauri::command]
pub async fn install_update(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    worker: State<'_, Arc<Worker>>,
) -> Result<(), UserError> {
    crate::updates::install(&app, &desk, &worker).await
}
