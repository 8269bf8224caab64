//! SMS Desk's desktop shell: wiring only. Everything SMS Desk does is in
//! [`smsdesk::desk::Desk`]; this crate hands the window's requests to it.
//!
//! - Managed state: one `Arc<Desk>` (the store, the keychain, the practice server) and one
//!   `Arc<Worker>` (delivery tracking in the background, [`smsdesk::worker`]).
//! - [`commands`]: the IPC surface, each a one- or two-line delegation to the desk; errors
//!   cross as [`smsdesk::UserError`] (`{code, message, hint}`). Their names are declared once,
//!   in `build.rs` (see there).
//! - [`file_dialog`]: the system's open / save dialogs for importing and exporting templates,
//!   the history and the do-not-text list, opened from Rust so the webview has no dialog or
//!   file permission. The desk then reads or writes the path picked.
//! - What the desk changes by itself (a delivery, a send's outcome, a bulk job's progress)
//!   reaches the window as the event [`CHANGED_EVENT`], payload [`smsdesk::events::Change`].
//! - A file given on the command line (`smsdesk-app tomorrow.csv`: "Open with SMS Desk") is
//!   kept until the window asks for it once ready (`commands::startup`), and opened in
//!   Reminders as a file picked in the dialog is.
//! - Closing the window while this app's worker sends a reminders job asks first: the close is
//!   held, the window hears [`CLOSE_WHILE_SENDING_EVENT`], and closes with the command
//!   `close_anyway` once the person said so, or hides to the tray (`keep_in_tray`).
//! - [`background`]: SMS Desk keeps running in the tray ([`tray`]) while anything is scheduled
//!   or being sent, and quitting with work pending asks; [`notify`]: desktop notifications for
//!   what needs a person; [`instance`]: one SMS Desk per data folder (a second launch brings
//!   the first window back); start at login, in the tray (`tauri-plugin-autostart`,
//!   `commands::autostart`).
//!
//! - The window may do only what it needs: SMS Desk's own commands and listening to the events
//!   above (`capabilities/default.json`; no other Tauri or plugin call), under a strict CSP
//!   (`tauri.conf.json`), and it never leaves the app's own pages ([`app_pages_only`]: a link,
//!   `location` or a redirect elsewhere is refused; the UI has no outside links).
//!
//! - [`updates`]: new versions, checked at start and every 12 hours, installed only when the
//!   person agrees and nothing is being sent or due soon; [`about`]: the About screen,
//!   "Copy diagnostics" and the window title (the channel messages go from). The log file is
//!   in the data folder ([`smsdesk::logfile`]); the window's size and place are kept there too
//!   (`tauri-plugin-window-state`).
//!
//! At start-up the store is opened in the background (its integrity check reads the whole
//! file, so it must not delay the window; commands wait for it, and a store that cannot be
//! opened is the error each command returns), the phone-number data is loaded, the practice
//! server is started, and the worker begins.

use std::sync::{Arc, OnceLock};

use smsdesk::desk::{Desk, DeskOptions};
use smsdesk::events::{Change, Events};
use smsdesk::worker::{Stop, Worker};
use tauri::webview::PageLoadEvent;
use tauri::{AppHandle, Emitter, Manager, RunEvent, WindowEvent};

mod about;
mod background;
mod commands;
mod file_dialog;
mod instance;
mod notify;
mod tray;
mod updates;

/// When set, the app prints a line to stderr once the compose form has loaded.
const STARTUP_PROBE_ENV: &str = "SMSDESK_STARTUP_PROBE";

/// Debug builds only: the first delivery question after this many milliseconds (and the same
/// pause after each), so the end-to-end tests see a delivery within a second or two.
const TEST_POLL_ENV: &str = "SMSDESK_TEST_POLL_MS";

/// The event the window hears each [`Change`] on (`onDeskChanged` in `ui/js/api.js`).
pub const CHANGED_EVENT: &str = "desk-changed";

/// The event the window hears when the person closes it while a reminders job is being sent
/// from here (`onCloseWhileSending` in `ui/js/api.js`; payload `{tray}`: whether it can hide
/// to the tray): the window asks, and hides with `keep_in_tray` or closes with the command
/// `close_anyway` only when the person says so.
pub const CLOSE_WHILE_SENDING_EVENT: &str = "close-while-sending";

/// Tells the window what changed, and the tray and notifications ([`background::watch`]).
/// The desk is made before the app (the window may call a command as soon as it loads), so
/// the app is given to it once built; a change before that has nobody to hear it.
#[derive(Default)]
struct ToWindow(OnceLock<AppHandle>, background::Changes);

impl Events for ToWindow {
    fn changed(&self, change: Change) {
        if let Some(app) = self.0.get() {
            // A window that is closing misses it; it asks again when it is shown.
            let _ = app.emit(CHANGED_EVENT, change);
            if change.kind == smsdesk::events::ChangeKind::Settings {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    let desk = Arc::clone(&app.state::<Arc<Desk>>());
                    about::refresh_title(&app, &desk).await;
                });
            }
        }
        self.1.tell(&change);
    }
}

/// The desk's options from the environment (`SMSDESK_DATA_DIR`, `SMSDESK_KEYSTORE`), with
/// the end-to-end tests' short delivery pauses in debug builds.
fn desk_options(events: Arc<ToWindow>) -> smsdesk::Result<DeskOptions> {
    let mut options = DeskOptions::from_env()?;
    options.events = events;
    if cfg!(debug_assertions) {
        if let Some(ms) = std::env::var(TEST_POLL_ENV)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            options.poll.first = std::time::Duration::from_millis(ms);
            options.poll.max = std::time::Duration::from_millis(ms);
        }
    }
    Ok(options)
}

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    if let Err(error) = start() {
        eprintln!("SMS Desk could not start: {error}");
        std::process::exit(1);
    }
}

fn start() -> Result<(), Box<dyn std::error::Error>> {
    let events = Arc::new(ToWindow::default());
    let desk = Arc::new(Desk::new(desk_options(Arc::clone(&events))?));
    start_log(&desk);
    let worker = Worker::new(Arc::clone(&desk));
    let stop = Stop::new();
    let (background, work) = (Arc::clone(&desk), Arc::clone(&worker));
    let stop_worker = stop.clone();
    let (closing_desk, closing_worker) = (Arc::clone(&desk), Arc::clone(&worker));
    let app = instance::register(tauri::Builder::default())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(window_state(&desk))
        .plugin(app_pages_only())
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .arg(background::MINIMIZED_ARG)
                .build(),
        )
        .manage(background::Background::default())
        .manage(Arc::new(updates::Updates::default()))
        .manage(desk)
        .manage(worker)
        .manage(commands::startup::StartupFile::from_args(
            std::env::args_os().skip(1),
        ))
        .on_page_load(|_webview, payload| {
            // For scripts/measure-app: the compose form is static HTML, on screen once loaded.
            if payload.event() == PageLoadEvent::Finished
                && std::env::var_os(STARTUP_PROBE_ENV).is_some()
            {
                eprintln!("smsdesk: compose form shown");
            }
        })
        .on_window_event(move |window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                api.prevent_close();
                background::close_requested(
                    window.clone(),
                    Arc::clone(&closing_desk),
                    Arc::clone(&closing_worker),
                );
            }
        })
        .setup(move |app| {
            let _ = events.0.set(app.handle().clone());
            background::setup(app.handle(), Arc::clone(&background), events.1.take());
            updates::setup(app.handle());
            let (handle, desk) = (app.handle().clone(), Arc::clone(&background));
            tauri::async_runtime::spawn(async move {
                about::refresh_title(&handle, &desk).await;
            });
            let desk = Arc::clone(&background);
            tauri::async_runtime::spawn(async move {
                if let Err(error) = desk.store().await {
                    // The notices (and every command) tell the person.
                    eprintln!("SMS Desk (start-up): {error}");
                }
            });
            let desk = background;
            tauri::async_runtime::spawn(async move {
                if let Err(error) = desk.practice().await {
                    // The first practice send tries again and shows why.
                    eprintln!("SMS Desk: {error}");
                }
            });
            std::thread::spawn(smsdesk::phone::warm_up);
            tauri::async_runtime::spawn(async move {
                work.run(&stop_worker, report_once()).await;
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
            commands::team::team_status,
            commands::team::test_team_connection,
            commands::team::join_team,
            commands::team::leave_team,
            commands::team::sync_team,
            commands::team::confirm_stale_team_list,
            commands::team::set_team_stale_limit,
            commands::team::list_team_history,
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
            commands::optouts::confirm_opt_outs_complete,
            commands::notices::get_notices,
            commands::notices::dismiss_notice,
            commands::bulk::choose_bulk_file,
            commands::startup::open_startup_file,
            commands::bulk::reopen_bulk_file,
            commands::bulk::preview_bulk,
            commands::bulk::send_bulk_test,
            commands::bulk::start_bulk,
            commands::bulk::forget_bulk_file,
            commands::bulk::list_jobs,
            commands::bulk::get_job,
            commands::bulk::get_job_report,
            commands::bulk::pause_job,
            commands::bulk::resume_job,
            commands::bulk::cancel_job,
            commands::bulk::export_job,
            commands::bulk::opted_out_in_job,
            commands::bulk::add_opted_out_in_job,
            commands::bulk::close_anyway,
            commands::background::keep_in_tray,
            commands::autostart::autostart,
            commands::schedule::get_scheduling,
            commands::schedule::save_scheduling,
            commands::schedule::list_time_zones,
            commands::schedule::schedule_message,
            commands::schedule::list_scheduled,
            commands::schedule::send_scheduled_now,
            commands::schedule::reschedule,
            commands::schedule::cancel_scheduled,
            commands::about::get_update,
            commands::about::check_for_update,
            commands::about::install_update,
            commands::about::get_about,
            commands::about::get_diagnostics,
            commands::about::open_data_folder,
        ])
        .build(tauri::generate_context!())?;
    app.run(move |_app, event| {
        // The worker is told to stop; the process ends right after without waiting for it (an
        // answer being recorded is one transaction, kept whole or not at all, and the
        // operating system releases the worker's lock).
        if let RunEvent::Exit = event {
            stop.stop();
        }
    });
    Ok(())
}

/// Opens the log file in the data folder and says who started; without it SMS Desk runs on
/// (the reason goes to stderr).
fn start_log(desk: &Desk) {
    match smsdesk::logfile::install(desk.dir()) {
        Ok(_) => log::info!(
            "SMS Desk {} (built {}) started on {} {}",
            env!("CARGO_PKG_VERSION"),
            about::BUILD_DATE,
            std::env::consts::OS,
            std::env::consts::ARCH,
        ),
        Err(error) => eprintln!("SMS Desk: no log file: {error}"),
    }
}

/// The window's size, place and maximised state, kept in the data folder (not the system's
/// config folder: the data folder is SMS Desk's one place, and the tests' is a scratch one).
/// Visibility is not restored: starting at login opens in the tray. On Linux under Wayland
/// the compositor places windows, so only the size comes back there.
fn window_state(desk: &Desk) -> tauri::plugin::TauriPlugin<tauri::Wry> {
    use tauri_plugin_window_state::StateFlags;
    let file = desk.dir().join("window-state.json");
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED)
        .with_filename(file.to_string_lossy())
        .build()
}

/// Keeps the window on SMS Desk's own pages: a navigation anywhere else (a link, `location`, a
/// redirect, a page a script or a pasted link points at) is refused, so nothing but the app's
/// own files ever runs with the window's permissions. Each refusal is logged (the scheme and
/// host only). The UI has no links to outside sites; one added would have to be opened in the
/// system's browser from Rust.
fn app_pages_only() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    tauri::plugin::Builder::new("app-pages")
        .on_navigation(|_webview, url| {
            let allowed = is_app_page(url);
            if !allowed {
                log::warn!(
                    "kept the window on SMS Desk's own pages (it was sent to {}://{})",
                    url.scheme(),
                    url.host_str().unwrap_or_default()
                );
            }
            allowed
        })
        .build()
}

/// Whether `url` is one of the app's own pages, as Tauri serves them: `tauri://localhost/...`
/// (Linux, macOS) or `http://tauri.localhost/...` (Windows; `https` with `useHttpsScheme`). The
/// app has no development server (`frontendDist` only), so there is no other origin.
fn is_app_page(url: &tauri::Url) -> bool {
    let host = match url.scheme() {
        "tauri" => "localhost",
        "http" | "https" => "tauri.localhost",
        _ => return false,
    };
    url.host_str() == Some(host)
        && url.port().is_none()
        && url.username().is_empty()
        && url.password().is_none()
}

/// The worker's error report on standard error: an error is printed once, not again while the
/// same one repeats (a store that cannot be opened fails every tick, each second). The log file
/// has it already, by its code, from the worker itself (`Worker::run_observed`).
fn report_once() -> impl Fn(&smsdesk::Error) {
    let last = std::sync::Mutex::new(String::new());
    move |error| {
        let text = error.to_string();
        let mut last = last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *last != text {
            eprintln!("SMS Desk: background work: {text}");
            *last = text;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_app_page;

    fn page(text: &str) -> bool {
        is_app_page(&tauri::Url::parse(text).expect("a URL"))
    }

    #[test]
    fn only_the_apps_own_pages_are_app_pages() {
        for own in [
            "tauri://localhost",
            "tauri://localhost/",
            "tauri://localhost/index.html#main",
            "http://tauri.localhost/",
            "https://tauri.localhost/index.html?x=1",
        ] {
            assert!(page(own), "{own}");
        }
        for elsewhere in [
            "https://example.com/",
            "http://localhost/",
            "http://127.0.0.1:8787/",
            "tauri://example.com/",
            "tauri://localhost.example.com/",
            "http://tauri.localhost.example.com/",
            "http://tauri.localhost:8080/",
            "http://user@tauri.localhost/",
            "https://example.com@tauri.localhost.evil/",
            "ipc://localhost/",
            "file:///etc/passwd",
            "data:text/html,<p>hi</p>",
            "javascript:alert(1)",
            "about:blank",
        ] {
            assert!(!page(elsewhere), "{elsewhere}");
        }
    }
}
