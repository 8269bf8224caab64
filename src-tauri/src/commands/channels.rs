//! Channels and their keys: add, rename, remove, pick the active one, set or replace a key,
//! test it. Keys go in and never come out: no command returns one. Each change returns the
//! channels' status as it now is.

use std::sync::Arc;

use smsdesk::channels::KeyTest;
use smsdesk::desk::{Desk, DeskStatus};
use smsdesk::UserError;
use tauri::State;

/// The channels (Practice first), the active one, each key's state, any keychain problem.
/// Only reads.
#[tauri::command]
pub async fn get_status(desk: State<'_, Arc<Desk>>) -> Result<DeskStatus, UserError> {
    Ok(desk.status().await?)
}

/// Adds a channel; `key` may be empty (added later), `base_url` empty means Octopods' own.
#[tauri::command]
pub async fn add_channel(
    desk: State<'_, Arc<Desk>>,
    name: String,
    key: String,
    base_url: String,
) -> Result<DeskStatus, UserError> {
    desk.add_channel(&name, &key, &base_url).await?;
    Ok(desk.status().await?)
}

#[tauri::command]
pub async fn rename_channel(
    desk: State<'_, Arc<Desk>>,
    id: String,
    name: String,
) -> Result<DeskStatus, UserError> {
    desk.rename_channel(&id, &name).await?;
    Ok(desk.status().await?)
}

/// Removes a channel and deletes its key from the keychain.
#[tauri::command]
pub async fn delete_channel(
    desk: State<'_, Arc<Desk>>,
    id: String,
) -> Result<DeskStatus, UserError> {
    desk.remove_channel(&id).await?;
    Ok(desk.status().await?)
}

/// Picks the channel New message sends on.
#[tauri::command]
pub async fn set_active_channel(
    desk: State<'_, Arc<Desk>>,
    id: String,
) -> Result<DeskStatus, UserError> {
    desk.set_active_channel(&id).await?;
    Ok(desk.status().await?)
}

/// Stores or replaces a channel's key (and forgets its key problem).
#[tauri::command]
pub async fn set_channel_key(
    desk: State<'_, Arc<Desk>>,
    id: String,
    key: String,
) -> Result<DeskStatus, UserError> {
    desk.set_channel_key(&id, &key).await?;
    Ok(desk.status().await?)
}

/// The first run's "paste your key": the key of the first channel ("Main number", made when
/// there is none), which becomes the active channel.
#[tauri::command]
pub async fn set_api_key(desk: State<'_, Arc<Desk>>, key: String) -> Result<DeskStatus, UserError> {
    desk.set_main_key(&key).await?;
    Ok(desk.status().await?)
}

/// "Test this key": a harmless request with the channel's key; the verdict is remembered.
#[tauri::command]
pub async fn test_channel_key(
    desk: State<'_, Arc<Desk>>,
    id: String,
) -> Result<KeyTest, UserError> {
    Ok(desk.test_channel_key(&id).await?)
}
