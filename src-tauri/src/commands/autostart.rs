//! Settings › "Start SMS Desk when I log in, in the tray" (`tauri-plugin-autostart`). The
//! window calls this command, never the plugin's own (it is granted no plugin permission).
//! The login's start passes `--minimized`: the window starts hidden, in the tray.

use smsdesk::UserError;
use tauri::{AppHandle, Manager};
use tauri_plugin_autostart::AutoLaunchManager;

/// Whether SMS Desk starts at login; with `enabled`, first turns it on or off.
#[tauri::command]
pub async fn autostart(app: AppHandle, enabled: Option<bool>) -> Result<bool, UserError> {
    let Some(manager) = app.try_state::<AutoLaunchManager>() else {
        return Err(failed("this computer gave SMS Desk no way to do it"));
    };
    match enabled {
        Some(true) => manager.enable(),
        Some(false) => manager.disable(),
        None => Ok(()),
    }
    .map_err(|e| failed(&e.to_string()))?;
    manager.is_enabled().map_err(|e| failed(&e.to_string()))
}

fn failed(why: &str) -> UserError {
    UserError::new(
        "autostart_failed",
        format!("SMS Desk could not change whether it starts when you log in: {why}."),
        "Try again. If it keeps happening, start SMS Desk yourself after logging in.",
    )
}
