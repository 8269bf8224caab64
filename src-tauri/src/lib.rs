//! SMS Desk's desktop shell: wiring only.
//!
//! - Managed state: one [`smsdesk::desk::Desk`] (in an `Arc`, so blocking keychain calls can
//!   take it to another thread).
//! - [`commands`]: the IPC surface, each a short delegation into `smsdesk`; errors cross as
//!   [`smsdesk::UserError`] (`{code, message, hint}`).
//! - [`settings_file`]: the person's settings, kept with `tauri-plugin-store` in
//!   `settings.json` in the data folder (`SMSDESK_DATA_DIR` overrides it), with the business
//!   details that fill templates.
//! - [`templates_file`]: the message templates, in `templates.json` beside it.
//! - [`history_state`]: the message history (SQLite, with the do-not-text list) and the
//!   delivery tracker that asks Octopods what became of accepted messages.
//! - [`file_dialog`]: the system's open / save dialogs for importing and exporting templates,
//!   the history and the do-not-text list, opened from Rust so the webview has no dialog or
//!   file permission.
//!
//! At startup the phone-number data is loaded on a background thread and the Practice server
//! is started, so the first keystroke and the first practice send are answered at once.

use std::sync::Arc;

use smsdesk::desk::Desk;
use smsdesk::secrets::KeyStore;
use tauri::webview::PageLoadEvent;
use tauri::Manager;

use commands::notices::{DamagedFile, StartupNotices};

mod commands;
mod file_dialog;
mod history_state;
mod settings_file;
mod templates_file;

/// When set, the app prints a line to stderr once the compose form has loaded.
const STARTUP_PROBE_ENV: &str = "SMSDESK_STARTUP_PROBE";

/// Before any store opens them: a damaged settings or templates file is copied aside, since
/// the store would read it as empty and overwrite it on the next save. Returns the copies
/// made, for the start-up notices.
fn keep_damaged_files() -> Vec<DamagedFile> {
    let Some(dir) = smsdesk::paths::data_dir() else {
        return Vec::new();
    };
    let mut kept = Vec::new();
    for name in smsdesk::paths::JSON_FILES {
        match smsdesk::paths::keep_damaged_copy(&dir.join(name)) {
            Ok(Some(copy)) => {
                eprintln!(
                    "SMS Desk: {name} could not be read; a copy was kept as {}",
                    copy.display()
                );
                kept.push(DamagedFile {
                    name: name.to_owned(),
                    kept_as: copy.display().to_string(),
                });
            }
            Ok(None) => {}
            Err(error) => eprintln!("SMS Desk: could not check {name}: {error}"),
        }
    }
    kept
}

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    let desk =
        Arc::new(Desk::new(KeyStore::from_env()).with_poll_policy(history_state::poll_policy()));
    let practice = Arc::clone(&desk);
    let tracker = Arc::clone(&desk);
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .manage(desk)
        .on_page_load(|_webview, payload| {
            // For scripts/measure-app: the compose form is static HTML, on screen once loaded.
            if payload.event() == PageLoadEvent::Finished
                && std::env::var_os(STARTUP_PROBE_ENV).is_some()
            {
                eprintln!("smsdesk: compose form shown");
            }
        })
        .setup(move |app| {
            app.manage(StartupNotices(keep_damaged_files()));
            app.manage(history_state::HistoryState::open_in_background(
                app.handle(),
                tracker,
            ));
            std::thread::spawn(smsdesk::phone::warm_up);
            tauri::async_runtime::spawn(async move {
                if let Err(error) = practice.practice().await {
                    // The first practice send will retry and show this as a UserError.
                    eprintln!("SMS Desk: {error}");
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::phone::validate_phone,
            commands::phone::list_countries,
            commands::send::send_message,
            commands::channels::get_status,
            commands::channels::add_channel,
            commands::channels::rename_channel,
            commands::channels::delete_channel,
            commands::channels::set_active_channel,
            commands::channels::set_channel_key,
            commands::channels::set_api_key,
            commands::channels::test_channel_key,
            commands::teammates::add_teammate,
            commands::teammates::delete_teammate,
            commands::teammates::set_default_teammate,
            commands::settings::get_settings,
            commands::settings::save_settings,
            commands::settings::get_business,
            commands::settings::save_business,
            commands::templates::list_templates,
            commands::templates::save_template,
            commands::templates::duplicate_template,
            commands::templates::delete_template,
            commands::templates::move_template,
            commands::templates::import_templates,
            commands::templates::export_templates,
            commands::templates::get_template_help,
            commands::message::preview_message,
            commands::message::render_message,
            commands::message::count_segments,
            commands::message::find_lookalikes,
            commands::message::replace_lookalikes,
            commands::first_run::is_first_run,
            commands::first_run::finish_first_run,
            commands::first_run::guess_country,
            commands::history::list_history,
            commands::history::get_history_entry,
            commands::history::list_history_channels,
            commands::history::export_history,
            commands::history::refresh_delivery,
            commands::optouts::list_opt_outs,
            commands::optouts::add_opt_out,
            commands::optouts::remove_opt_out,
            commands::optouts::import_opt_outs,
            commands::optouts::export_opt_outs,
            commands::notices::get_notices,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(error) = result {
        eprintln!("SMS Desk could not start: {error}");
        std::process::exit(1);
    }
}
