//! Where the person's settings are kept: `settings.json` (tauri-plugin-store) in SMS Desk's data
//! folder, the same folder the command line uses (`smsdesk::paths::data_dir`).

use std::path::PathBuf;
use std::sync::Mutex;

use smsdesk::desk::Settings;
use smsdesk::templates::BusinessInfo;
use smsdesk::UserError;
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

use smsdesk::settings::{SETTINGS_ENTRY as KEY, SETTINGS_FILE as FILE_NAME};

/// An absolute path makes the store plugin use it as is; a relative one would be resolved in
/// Tauri's app data folder, which is what `data_dir()` computes anyway.
fn path() -> PathBuf {
    smsdesk::paths::data_dir()
        .map(|dir| dir.join(FILE_NAME))
        .unwrap_or_else(|| PathBuf::from(FILE_NAME))
}

/// The saved settings; the defaults when none were saved or the file cannot be read.
pub fn load<R: Runtime>(app: &AppHandle<R>) -> Settings {
    app.store(path())
        .ok()
        .and_then(|store| store.get(KEY))
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default()
}

/// Held from reading the settings to writing them back, so two changes at once (a send
/// learning about its channel while the person renames it) cannot undo each other.
static EDITING: Mutex<()> = Mutex::new(());

/// Reads the saved settings, lets `change` change them, and writes them back when it asks to
/// (`Ok((value, true))`), all under one lock. Never hold it across an `.await`: do the slow
/// part first, then record its result here.
pub fn edit<R: Runtime, T>(
    app: &AppHandle<R>,
    change: impl FnOnce(&mut Settings) -> Result<(T, bool), UserError>,
) -> Result<T, UserError> {
    let _one_at_a_time = EDITING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut settings = load(app);
    let (value, changed) = change(&mut settings)?;
    if changed {
        save(app, &settings)?;
    }
    Ok(value)
}

/// Writes checked settings to disk. Changes go through [`edit`].
fn save<R: Runtime>(app: &AppHandle<R>, settings: &Settings) -> Result<(), UserError> {
    let store = app.store(path()).map_err(storage_error)?;
    let value = serde_json::to_value(settings).map_err(storage_error)?;
    store.set(KEY, value);
    store.save().map_err(storage_error)
}

fn storage_error(error: impl std::fmt::Display) -> UserError {
    UserError::new(
        "settings_not_saved",
        format!("SMS Desk could not save the settings: {error}"),
        "Check that there is free disk space and that the SMS Desk data folder can be written to, then save again.",
    )
}

const BUSINESS_KEY: &str = "business";

/// The saved business details; empty when none were saved or the file cannot be read.
pub fn load_business<R: Runtime>(app: &AppHandle<R>) -> BusinessInfo {
    app.store(path())
        .ok()
        .and_then(|store| store.get(BUSINESS_KEY))
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default()
}

/// Writes the business details to disk, beside the settings.
pub fn save_business<R: Runtime>(
    app: &AppHandle<R>,
    business: &BusinessInfo,
) -> Result<(), UserError> {
    let store = app.store(path()).map_err(storage_error)?;
    let value = serde_json::to_value(business).map_err(storage_error)?;
    store.set(BUSINESS_KEY, value);
    store.save().map_err(storage_error)
}

const FIRST_RUN_KEY: &str = "firstRunDone";

/// Whether the welcome was already shown and finished; `false` when never recorded or the file
/// cannot be read (showing the welcome again is the harmless mistake).
pub fn load_first_run_done<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.store(path())
        .ok()
        .and_then(|store| store.get(FIRST_RUN_KEY))
        .and_then(|value| value.as_bool())
        .unwrap_or(false)
}

/// Records that the welcome is finished, so it is not shown on the next launch.
pub fn save_first_run_done<R: Runtime>(app: &AppHandle<R>) -> Result<(), UserError> {
    let store = app.store(path()).map_err(storage_error)?;
    store.set(FIRST_RUN_KEY, serde_json::Value::Bool(true));
    store.save().map_err(storage_error)
}
