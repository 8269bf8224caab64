//! Where the templates are kept: `templates.json` (tauri-plugin-store) in SMS Desk's data
//! folder, beside `settings.json`. Until a list is first saved, the list is the starter
//! templates; once saved (even empty) it is what was saved.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use smsdesk::templates::{self, ImportReport, Template};
use smsdesk::UserError;
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

const FILE_NAME: &str = "templates.json";
const KEY: &str = "templates";

/// One edit at a time: each reads the list, changes it and saves it.
static EDITS: Mutex<()> = Mutex::new(());

fn path() -> PathBuf {
    smsdesk::paths::data_dir()
        .map(|dir| dir.join(FILE_NAME))
        .unwrap_or_else(|| PathBuf::from(FILE_NAME))
}

/// The templates, in the person's order.
pub fn load<R: Runtime>(app: &AppHandle<R>) -> Result<Vec<Template>, UserError> {
    let store = app.store(path()).map_err(unreadable)?;
    templates::saved_or_starters(store.get(KEY)).map_err(unreadable)
}

/// Applies `change` to the saved list and saves the result; nothing is saved when it fails.
pub fn edit<R, T, E>(
    app: &AppHandle<R>,
    change: impl FnOnce(&mut Vec<Template>) -> Result<T, E>,
) -> Result<T, UserError>
where
    R: Runtime,
    E: Into<smsdesk::Error>,
{
    let _one_edit = EDITS.lock().unwrap_or_else(PoisonError::into_inner);
    let mut list = load(app)?;
    let result = change(&mut list).map_err(|e| UserError::from(e.into()))?;
    let store = app.store(path()).map_err(not_saved)?;
    store.set(KEY, serde_json::to_value(&list).map_err(not_saved)?);
    store.save().map_err(not_saved)?;
    Ok(result)
}

/// Adds what the templates file at `path` holds that is new, and says what it did.
pub fn import<R: Runtime>(app: &AppHandle<R>, path: &Path) -> Result<ImportReport, UserError> {
    edit(app, |list| {
        let report = templates::import_from_file(path, list)?;
        list.extend(report.imported.iter().cloned());
        Ok::<_, smsdesk::Error>(report)
    })
}

fn unreadable(error: impl std::fmt::Display) -> UserError {
    UserError::new(
        "templates_unreadable",
        format!("SMS Desk could not read its saved templates: {error}"),
        "Restart SMS Desk. If it happens again, the file templates.json in the SMS Desk data folder may be damaged: move it away and import your exported templates.",
    )
}

fn not_saved(error: impl std::fmt::Display) -> UserError {
    UserError::new(
        "templates_not_saved",
        format!("SMS Desk could not save the templates: {error}"),
        "Check that there is free disk space and that the SMS Desk data folder can be written to, then try again.",
    )
}
