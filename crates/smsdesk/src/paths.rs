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

/// Copies the file at `path` to `<name>.damaged-<seconds since 1970>` beside it (the original
/// stays as it is) and returns the copy's path.
pub fn copy_aside(path: &Path) -> std::io::Result<PathBuf> {
    let seconds = crate::time::now_ms() / 1000;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let copy = path.with_file_name(format!("{name}.damaged-{seconds}"));
    std::fs::copy(path, &copy)?;
    Ok(copy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_kept_beside_the_original() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("settings.json");
        std::fs::write(&file, "{ half-writ").expect("write");
        let copy = copy_aside(&file).expect("copied");
        assert_eq!(
            std::fs::read_to_string(&copy).expect("copy readable"),
            "{ half-writ",
            "the copy holds exactly what was there"
        );
        assert!(copy
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("settings.json.damaged-")));
        assert!(file.exists(), "the original stays");
    }
}
