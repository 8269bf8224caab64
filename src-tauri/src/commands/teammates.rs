//! The Intercom teammates offered in New message, and the one preselected. Each returns the
//! settings as saved.

use std::sync::Arc;

use smsdesk::desk::Desk;
use smsdesk::settings::Settings;
use smsdesk::UserError;
use tauri::State;

/// Adds a teammate by name and Intercom id (digits only).
#[tauri::command]
pub async fn add_teammate(
    desk: State<'_, Arc<Desk>>,
    name: String,
    teammate_id: String,
) -> Result<Settings, UserError> {
    Ok(desk.add_teammate(&name, &teammate_id).await?)
}

#[tauri::command]
pub async fn delete_teammate(
    desk: State<'_, Arc<Desk>>,
    teammate_id: String,
) -> Result<Settings, UserError> {
    Ok(desk.remove_teammate(&teammate_id).await?)
}

/// The teammate preselected in New message; `null` for the workspace's default sender.
#[tauri::command]
pub async fn set_default_teammate(
    desk: State<'_, Arc<Desk>>,
    teammate_id: Option<String>,
) -> Result<Settings, UserError> {
    Ok(desk.set_default_teammate(teammate_id.as_deref()).await?)
}
