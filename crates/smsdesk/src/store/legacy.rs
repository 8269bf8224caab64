//! Versions before the store kept the settings, business details and first-run flag in
//! `settings.json` and the templates in `templates.json` (tauri-plugin-store files: one JSON
//! object, a key per entry). They are read once, when the store is first opened, and kept as
//! they were. A file that cannot be read is copied aside and the person is told (a notice
//! kept in the store until dismissed); nothing is reset behind their back.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::config::keys;
use super::Store;
use crate::error::Result;
use crate::notice::{damaged_file_notice, Notice};
use crate::settings::Settings;
use crate::templates::{BusinessInfo, Template};

pub const SETTINGS_FILE: &str = "settings.json";
pub const TEMPLATES_FILE: &str = "templates.json";

/// Moves what the old files hold into the store, once per data folder.
pub(crate) fn import_once(store: &Store) -> Result<()> {
    if store.config::<i64>(keys::LEGACY_IMPORTED)?.is_some() {
        return Ok(());
    }
    let mut notices = Vec::new();
    if let Some(file) = read_object(store, SETTINGS_FILE, &mut notices) {
        if let Some(settings) = entry::<Settings>(&file, "settings") {
            store.init_config(keys::SETTINGS, &settings)?;
            let had_channels = file
                .get("settings")
                .and_then(Value::as_object)
                .is_some_and(|s| s.contains_key("channels"));
            if !had_channels {
                // The old single address is not part of the settings any more: it goes with
                // the key check, for the channel it may become.
                store.set_config(keys::LEGACY_KEY_CHECK, &settings.base_url)?;
            }
        }
        if let Some(business) = entry::<BusinessInfo>(&file, "business") {
            store.init_config(keys::BUSINESS, &business)?;
        }
        if let Some(done) = file.get("firstRunDone").and_then(Value::as_bool) {
            store.init_config(keys::FIRST_RUN_DONE, &done)?;
        }
    }
    if let Some(file) = read_object(store, TEMPLATES_FILE, &mut notices) {
        if let Some(list) = entry::<Vec<Template>>(&file, "templates") {
            store.init_config(keys::TEMPLATES, &list)?;
        }
    }
    if !notices.is_empty() {
        store.edit_config(keys::NOTICES, Vec::<Notice>::new, |kept| {
            kept.extend(notices);
            Ok(((), true))
        })?;
    }
    store.set_config(keys::LEGACY_IMPORTED, &store.now())
}

/// The file's JSON object; `None` when there is no file. A file that is not a JSON object (or
/// whose entries cannot be read) is copied aside and a notice added.
fn read_object(store: &Store, name: &str, notices: &mut Vec<Notice>) -> Option<Map<String, Value>> {
    let path = store.dir().join(name);
    let bytes = std::fs::read(&path).ok()?;
    let object = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|v| match v {
            Value::Object(map) => Some(map),
            _ => None,
        });
    let readable = object.as_ref().is_some_and(|map| {
        let settings_ok = map.get("settings").is_none_or(readable::<Settings>)
            && map.get("business").is_none_or(readable::<BusinessInfo>);
        let templates_ok = map.get("templates").is_none_or(readable::<Vec<Template>>);
        settings_ok && templates_ok
    });
    if !readable {
        match crate::paths::copy_aside(&path) {
            Ok(copy) => notices.push(damaged_file_notice(name, &copy.display().to_string())),
            Err(error) => {
                crate::error::warn(format_args!("could not keep a copy of {name}: {error}"))
            }
        }
        return None;
    }
    object
}

fn readable<T: DeserializeOwned>(value: &Value) -> bool {
    serde_json::from_value::<T>(value.clone()).is_ok()
}

fn entry<T: DeserializeOwned>(file: &Map<String, Value>, key: &str) -> Option<T> {
    serde_json::from_value(file.get(key)?.clone()).ok()
}
