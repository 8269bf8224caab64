//! Where SMS Desk keeps its files. The app (through Tauri) and the command line agree on it.

use std::path::PathBuf;

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
