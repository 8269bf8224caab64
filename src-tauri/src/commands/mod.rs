//! The commands the webview may call, grouped by area. Each one delegates to `smsdesk`;
//! errors cross the IPC as [`smsdesk::UserError`]. Every name here is also listed in
//! `build.rs`, which gives it an `allow-*` permission.

pub mod channels;
pub mod first_run;
pub mod history;
pub mod message;
pub mod notices;
pub mod optouts;
pub mod phone;
pub mod send;
pub mod settings;
pub mod teammates;
pub mod templates;

use smsdesk::UserError;

/// Runs blocking work (the keychain, the settings file, SQLite) off the async runtime.
async fn blocking<T, F>(work: F) -> Result<T, UserError>
where
    F: FnOnce() -> Result<T, UserError> + Send + 'static,
    T: Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| UserError::from(smsdesk::Error::Keychain(e.to_string())))?
}
