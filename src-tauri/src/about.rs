//! Help for support: the About screen (version, build date, data folder, keychain, log) and
//! "Copy diagnostics", the text a person pastes into an email to whoever helps them. The
//! diagnostics hold versions, the system, settings without secrets and the codes of the last
//! problems; never a key, a message's words or a phone number (they are not read, and the text
//! is passed through [`smsdesk::logfile::redact`] as well). The window title shows the channel
//! messages go from ([`refresh_title`]).

use std::path::Path;

use serde::Serialize;
use smsdesk::desk::Desk;
use smsdesk::history::Filter;
use smsdesk::settings::Settings;
use smsdesk::UserError;
use tauri::{AppHandle, Manager, Runtime};

use crate::background::Work;
use crate::updates::{UpdateState, UpdateStatus};

/// The day this app was built (`build.rs`).
pub const BUILD_DATE: &str = env!("SMSDESK_BUILD_DATE");

/// What the About screen shows.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct About {
    pub version: String,
    pub build_date: &'static str,
    pub data_folder: String,
    pub log_file: String,
    /// Where API keys are kept, or why the keychain cannot be used.
    pub keychain: String,
    pub system: String,
}

pub fn about<R: Runtime>(app: &AppHandle<R>, desk: &Desk) -> About {
    About {
        version: app.package_info().version.to_string(),
        build_date: BUILD_DATE,
        data_folder: desk.dir().display().to_string(),
        log_file: desk
            .dir()
            .join(smsdesk::logfile::DIR)
            .join(smsdesk::logfile::FILE_NAME)
            .display()
            .to_string(),
        keychain: keychain(desk),
        system: system(),
    }
}

fn keychain(desk: &Desk) -> String {
    match desk.keys() {
        Ok(keys) => keys.describe().to_owned(),
        Err(error) => format!("not available: {}", UserError::from(&error).message),
    }
}

/// "Debian GNU/Linux 12 (bookworm), x86_64".
fn system() -> String {
    let name = os_name().unwrap_or_else(|| std::env::consts::OS.to_owned());
    format!("{name}, {}", std::env::consts::ARCH)
}

#[cfg(target_os = "linux")]
fn os_name() -> Option<String> {
    let text = std::fs::read_to_string("/etc/os-release").ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("PRETTY_NAME="))
        .map(|name| name.trim_matches('"').to_owned())
}

#[cfg(not(target_os = "linux"))]
fn os_name() -> Option<String> {
    None
}

/// The diagnostics text (see the module's text).
pub async fn diagnostics<R: Runtime>(
    app: &AppHandle<R>,
    desk: &Desk,
    updates: &UpdateStatus,
) -> String {
    let about = about(app, desk);
    let mut lines = vec![
        format!("SMS Desk {} (built {})", about.version, about.build_date),
        format!(
            "Tauri {}, WebView {}",
            tauri::VERSION,
            tauri::webview_version().unwrap_or_else(|_| "unknown".to_owned())
        ),
        format!("System: {}", about.system),
        format!("Data folder: {}", about.data_folder),
        format!("Keychain: {}", about.keychain),
        format!("Updates: {}", update_line(updates)),
    ];
    match desk.settings().await {
        Ok(settings) => lines.extend(settings_lines(&settings)),
        Err(error) => lines.push(format!(
            "Settings: cannot be read ({})",
            UserError::from(&error).code
        )),
    }
    if let Ok(scheduling) = desk.scheduling().await {
        lines.push(format!(
            "Sending: time zone {}, from {} to {}, late by up to {} min",
            scheduling.time_zone.as_deref().unwrap_or("this computer's"),
            scheduling.send_from,
            scheduling.send_until,
            scheduling.grace_minutes
        ));
    }
    if let Ok(jobs) = desk.jobs().await {
        let work = Work::of(&jobs);
        lines.push(format!(
            "Lists: {} being sent, {} paused; {} scheduled, {} missed",
            work.going.len(),
            work.paused,
            work.scheduled,
            work.missed
        ));
    }
    lines.push("Recent problems (newest first):".to_owned());
    lines.extend(problems(desk).await);
    smsdesk::logfile::redact(&lines.join("\n"))
}

fn update_line(status: &UpdateStatus) -> String {
    let state = match status.state {
        UpdateState::Unknown => "not checked yet",
        UpdateState::Off => "checks turned off",
        UpdateState::Checking => "checking",
        UpdateState::Latest => "this is the newest version",
        UpdateState::Available => "a new version is available",
        UpdateState::Installing => "installing",
        UpdateState::Failed => "the last check failed",
    };
    let mut line = state.to_owned();
    if let Some(available) = &status.available {
        line.push_str(&format!(" ({})", available.version));
    }
    if let Some(at) = status.checked_at {
        line.push_str(&format!(", checked {}", smsdesk::time::local_time(at)));
    }
    if let Some(problem) = &status.problem {
        line.push_str(&format!(", problem: {}", problem.code));
    }
    line
}

/// The settings, without secrets (keys are in the keychain, never in the settings) and
/// without the business's details.
fn settings_lines(settings: &Settings) -> Vec<String> {
    let active = if settings.practice_active() {
        "Practice".to_owned()
    } else {
        settings
            .channels
            .iter()
            .find(|c| c.id == settings.active_channel)
            .map_or_else(|| "none".to_owned(), |c| format!("\"{}\"", c.name))
    };
    vec![
        format!(
            "Sending from: {active} ({} live channel(s))",
            settings.channels.len()
        ),
        format!(
            "Country: {}; teammates: {}",
            settings.default_country.as_deref().unwrap_or("not set"),
            settings.teammates.len()
        ),
    ]
}

/// The last problems' codes from the history: when, which message (its number in the
/// history, not the phone's), the outcome and the codes; at most ten.
async fn problems(desk: &Desk) -> Vec<String> {
    let mut lines = Vec::new();
    for status in [
        "refused",
        "not_delivered",
        "rejected",
        "unauthorized",
        "not_sent",
    ] {
        let filter = Filter {
            status: status.to_owned(),
            ..Filter::default()
        };
        if let Ok(page) = desk.history(filter, 0, 10).await {
            for entry in page.entries {
                let mut line = format!(
                    "  {}  message {}  {}",
                    smsdesk::time::local_time(entry.updated_at),
                    entry.id,
                    entry.outcome.as_str()
                );
                if let Some(code) = entry.error_code {
                    line.push_str(&format!("  Octopods error {code}"));
                }
                if let Some(http) = entry.http_status {
                    line.push_str(&format!("  HTTP {http}"));
                }
                lines.push((entry.updated_at, line));
            }
        }
    }
    lines.sort_by_key(|line| std::cmp::Reverse(line.0));
    lines.truncate(10);
    if lines.is_empty() {
        return vec!["  none".to_owned()];
    }
    lines.into_iter().map(|(_, line)| line).collect()
}

/// Opens the data folder in the system's file manager.
pub fn open_folder(path: &Path) -> Result<(), UserError> {
    let program = if cfg!(windows) {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program)
        .arg(path)
        .spawn()
        .map(|_| ())
        .map_err(|error| {
            log::warn!("could not open the data folder: {error}");
            UserError::new(
                "folder_not_opened",
                "SMS Desk could not open the folder.",
                "Copy its path from this screen and open it in your file manager.",
            )
        })
}

/// "SMS Desk · Practice", "SMS Desk · Main desk": the channel messages go from.
pub fn window_title(settings: &Settings) -> String {
    let channel = if settings.practice_active() {
        Some("Practice".to_owned())
    } else {
        settings
            .channels
            .iter()
            .find(|c| c.id == settings.active_channel)
            .map(|c| c.name.clone())
    };
    match channel {
        Some(name) if !name.trim().is_empty() => format!("SMS Desk \u{b7} {}", name.trim()),
        _ => "SMS Desk".to_owned(),
    }
}

/// Sets the window title from the settings as saved.
pub async fn refresh_title<R: Runtime>(app: &AppHandle<R>, desk: &Desk) {
    if let (Ok(settings), Some(window)) = (desk.settings().await, app.get_webview_window("main")) {
        let _ = window.set_title(&window_title(&settings));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_names_the_channel_messages_go_from() {
        let mut settings = Settings::default();
        assert_eq!(window_title(&settings), "SMS Desk \u{b7} Practice");
        let id = settings
            .add_channel("Main desk", "")
            .expect("a channel added");
        settings.active_channel = id;
        assert_eq!(window_title(&settings), "SMS Desk \u{b7} Main desk");
    }
}
