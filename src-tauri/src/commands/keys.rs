//! The channel's API key: set, replace, ask whether one is saved, remove. There is no command
//! that returns a key: the webview can never read one back.

use std::sync::Arc;

use smsdesk::desk::Desk;
use smsdesk::UserError;
use tauri::State;

use super::blocking;

/// Stores (or replaces) the key in the system keychain.
#[tauri::command]
pub async fn set_api_key(desk: State<'_, Arc<Desk>>, key: String) -> Result<(), UserError> {
    let desk = Arc::clone(&desk);
    blocking(move || desk.set_key(&key)).await
}

#[tauri::command]
pub async fn has_api_key(desk: State<'_, Arc<Desk>>) -> Result<bool, UserError> {
    let desk = Arc::clone(&desk);
    blocking(move || desk.has_key()).await
}

/// Removes the key; removing a key that is not there is fine.
#[tauri::command]
pub async fn delete_api_key(desk: State<'_, Arc<Desk>>) -> Result<(), UserError> {
    let desk = Arc::clone(&desk);
    blocking(move || desk.delete_key()).await
}
