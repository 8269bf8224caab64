//! The Intercom teammates offered in New message, and the one preselected. Each returns the
//! settings as saved.

use smsdesk::desk::Settings;
use smsdesk::UserError;
use tauri::AppHandle;

use crate::settings_file;

fn edit(
    app: &AppHandle,
    change: impl FnOnce(&mut Settings) -> smsdesk::Result<()>,
) -> Result<Settings, UserError> {
    settings_file::edit(app, |settings| {
        change(settings)?;
        Ok((settings.clone(), true))
    })
}

/// Adds a teammate by name and Intercom id (digits only).
#[tauri::command]
pub async fn add_teammate(
    app: AppHandle,
    name: String,
    teammate_id: String,
) -> Result<Settings, UserError> {
    edit(&app, |s| s.add_teammate(&name, &teammate_id).map(drop))
}

#[tauri::command]
pub async fn delete_teammate(app: AppHandle, teammate_id: String) -> Result<Settings, UserError> {
    edit(&app, |s| s.remove_teammate(&teammate_id).map(drop))
}

/// The teammate preselected in New message; `null` for the workspace's default sender.
#[tauri::command]
pub async fn set_default_teammate(
    app: AppHandle,
    teammate_id: Option<String>,
) -> Result<Settings, UserError> {
    edit(&app, |s| s.set_default_teammate(teammate_id.as_deref()))
}
