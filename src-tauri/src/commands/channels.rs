//! Channels and their keys: add, rename, remove, pick the active one, set or replace a key,
//! test it. Keys go in and never come out: no command returns one. Each change is made by
//! `smsdesk` on the saved settings, which are then saved again; the new status is returned.

use std::sync::Arc;

use smsdesk::channels::KeyTest;
use smsdesk::desk::{Desk, DeskStatus, Settings};
use smsdesk::UserError;
use tauri::{AppHandle, State};

use super::blocking;
use crate::settings_file;

/// Loads the settings, applies `edit` off the async runtime (keychain work blocks), saves them,
/// and returns the channels' status.
async fn change<F>(app: AppHandle, desk: &Arc<Desk>, edit: F) -> Result<DeskStatus, UserError>
where
    F: FnOnce(&Desk, &mut Settings) -> smsdesk::Result<()> + Send + 'static,
{
    let desk = Arc::clone(desk);
    blocking(move || {
        settings_file::edit(&app, |settings| {
            edit(&desk, settings)?;
            Ok((desk.status(settings), true))
        })
    })
    .await
}

/// The channels (Practice first), the active one, each key's state, any keychain problem.
/// Settings saved before channels existed are moved over here, once.
#[tauri::command]
pub async fn get_status(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
) -> Result<DeskStatus, UserError> {
    let desk = Arc::clone(&desk);
    blocking(move || {
        settings_file::edit(&app, |settings| {
            let migrated = desk.migrate(settings);
            Ok((desk.status(settings), migrated))
        })
    })
    .await
}

/// Adds a channel; `key` may be empty (added later), `base_url` empty means Octopods' own.
#[tauri::command]
pub async fn add_channel(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    name: String,
    key: String,
    base_url: String,
) -> Result<DeskStatus, UserError> {
    change(app, &desk, move |desk, s| {
        desk.add_channel(s, &name, &key, &base_url).map(drop)
    })
    .await
}

#[tauri::command]
pub async fn rename_channel(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    id: String,
    name: String,
) -> Result<DeskStatus, UserError> {
    change(app, &desk, move |_, s| s.rename_channel(&id, &name)).await
}

/// Removes a channel and deletes its key from the keychain.
#[tauri::command]
pub async fn delete_channel(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    id: String,
) -> Result<DeskStatus, UserError> {
    change(app, &desk, move |desk, s| desk.remove_channel(s, &id)).await
}

/// Picks the channel New message sends on.
#[tauri::command]
pub async fn set_active_channel(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    id: String,
) -> Result<DeskStatus, UserError> {
    change(app, &desk, move |_, s| s.set_active_channel(&id)).await
}

/// Stores or replaces a channel's key (and forgets its key problem).
#[tauri::command]
pub async fn set_channel_key(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    id: String,
    key: String,
) -> Result<DeskStatus, UserError> {
    change(app, &desk, move |desk, s| desk.set_key(s, &id, &key)).await
}

/// The first run's "paste your key": the key of the first channel ("Main number", made when
/// there is none), which becomes the active channel.
#[tauri::command]
pub async fn set_api_key(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    key: String,
) -> Result<DeskStatus, UserError> {
    change(app, &desk, move |desk, s| desk.set_main_key(s, &key)).await
}

/// "Test this key": a harmless request with the channel's key; the verdict is remembered.
#[tauri::command]
pub async fn test_channel_key(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    id: String,
) -> Result<KeyTest, UserError> {
    // The test takes a network round trip: the verdict is recorded on the settings as they
    // are then, not on a copy read before (which could undo a change made meanwhile).
    let mut before = settings_file::load(&app);
    let test = desk.test_key(&mut before, &id).await?;
    let recorded = test.clone();
    blocking(move || {
        settings_file::edit(&app, |settings| {
            settings.record_key_test(&id, &recorded)?;
            Ok(((), true))
        })
    })
    .await?;
    Ok(test)
}
