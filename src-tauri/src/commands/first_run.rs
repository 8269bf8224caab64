//! The welcome shown the first time SMS Desk opens: asked once, then remembered.

use std::sync::Arc;

use smsdesk::desk::Desk;
use smsdesk::UserError;
use tauri::State;

/// `true` until the welcome has been finished once.
#[tauri::command]
pub async fn is_first_run(desk: State<'_, Arc<Desk>>) -> Result<bool, UserError> {
    Ok(desk.is_first_run().await?)
}

/// Remembers that the welcome is finished (the country is saved separately, with
/// `save_settings`).
#[tauri::command]
pub async fn finish_first_run(desk: State<'_, Arc<Desk>>) -> Result<(), UserError> {
    Ok(desk.finish_first_run().await?)
}

/// The country in the system's language setting (`LANG=en_IE.UTF-8` gives `IE`), or `null`.
/// The webview's own language is not enough: WebKitGTK reports `en-US` whenever the system's
/// locale is not installed.
#[tauri::command]
pub async fn guess_country() -> Result<Option<String>, UserError> {
    Ok(sys_locale::get_locale().and_then(|locale| smsdesk::first_run::country_of_locale(&locale)))
}
