//! Where SMS Desk keeps its files. The app (through Tauri) and the command line agree on it.

use std::path::{Path, PathBuf};

/// The app's identifier: Tauri names the data folder after it.
pub const APP_IDENTIFIER: &str = "app.smsdesk.desktop";
/// Overrides the data folder (tests, portable installs).
pub const DATA_DIR_ENV: &str = "SMSDESK_DATA_DIR";

/// `SMSDESK_DATA_DIR`, or the platform's data folder followed by the identifier (what Tauri's
/// `app_data_dir()` gives). `None` only on a system with no home folder.
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::data_dir().map(|d| d.join(APP_IDENTIFIER)),
    }
}

/// The JSON files the app keeps in the data folder (settings and templates).
pub const JSON_FILES: [&str; 2] = ["settings.json", "templates.json"];

/// If `path` exists but is not a JSON object (damaged, half-written, edited by hand), copies
/// it to `<name>.damaged-<seconds since 1970>` beside it and returns the copy's path. The
/// store would otherwise treat it as empty and overwrite it on the next save: this way
/// nothing the person had is lost.
pub fn keep_damaged_copy(path: &Path) -> std::io::Result<Option<PathBuf>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let readable = serde_json::from_slice::<serde_json::Value>(&bytes)
        .map(|v| v.is_object())
        .unwrap_or(false);
    if readable {
        return Ok(None);
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let copy = path.with_file_name(format!("{name}.damaged-{seconds}"));
    std::fs::copy(path, &copy)?;
    Ok(Some(copy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_files_are_copied_aside_and_good_ones_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("settings.json");
        assert_eq!(keep_damaged_copy(&missing).expect("no file is fine"), None);

        let good = dir.path().join("templates.json");
        std::fs::write(&good, r#"{"templates": []}"#).expect("write");
        assert_eq!(keep_damaged_copy(&good).expect("read"), None);

        std::fs::write(&missing, "{ half-writ").expect("write");
        let copy = keep_damaged_copy(&missing)
            .expect("read")
            .expect("a damaged file is copied");
        assert_eq!(
            std::fs::read_to_string(&copy).expect("copy readable"),
            "{ half-writ",
            "the copy holds exactly what was there"
        );
        assert!(copy
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("settings.json.damaged-")));
        assert!(
            missing.exists(),
            "the original stays for the store to replace"
        );
    }
}
