//! New versions of SMS Desk (`tauri-plugin-updater`): a signed manifest (`latest.json`) at the
//! address in `tauri.conf.json` (`plugins.updater.endpoints`), checked at start and every 12
//! hours. What was found is shown (the version and what is new) and installed only when the
//! person says so **and** nothing is being sent or due soon ([`refusal`]): installing closes
//! SMS Desk (on Windows the installer does), and a reminder must not miss its time for it.
//!
//! The package is verified against the public key in the config before anything is replaced;
//! one that does not match is refused and nothing changes. After installing, SMS Desk starts
//! again by itself.
//!
//! - `SMSDESK_UPDATE_URL`: another address for the manifest (a clinic's own mirror; release
//!   builds accept only `https`), or `off`: never check (the tests, and IT that deploys
//!   versions itself).
//! - Debug builds only: `SMSDESK_TEST_UPDATE_PUBKEY`, the public key the end-to-end test
//!   signs its update with. Release builds ignore it.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;
use smsdesk::desk::Desk;
use smsdesk::schedule::ClinicZone;
use smsdesk::UserError;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

use crate::background::Work;

/// Another address for the manifest, or `off`.
pub const UPDATE_URL_ENV: &str = "SMSDESK_UPDATE_URL";

/// Debug builds only: the public key updates are checked against, instead of the config's.
#[cfg(debug_assertions)]
pub const TEST_PUBKEY_ENV: &str = "SMSDESK_TEST_UPDATE_PUBKEY";

/// The event the window hears when what is known of updates changes (payload
/// [`UpdateStatus`]; `onUpdateChanged` in `ui/js/api.js`).
pub const UPDATE_EVENT: &str = "update-changed";

/// How often SMS Desk looks for a new version while it runs.
const CHECK_EVERY: Duration = Duration::from_secs(12 * 60 * 60);

/// Installing waits while a scheduled message is due within this long (ms): SMS Desk is
/// closed for the install, and a reminder must go at its time.
const DUE_SOON_MS: i64 = 60 * 60 * 1000;

/// Where the update check stands, as the window shows it (About, and the banner).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStatus {
    /// This version.
    pub current: String,
    /// What is happening.
    pub state: UpdateState,
    /// The version found, when there is one.
    pub available: Option<Available>,
    /// When the last check ended (ms).
    pub checked_at: Option<i64>,
    /// Why the last check or install failed, in words.
    pub problem: Option<UserError>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum UpdateState {
    /// Not checked yet.
    #[default]
    Unknown,
    /// Checking is turned off (`SMSDESK_UPDATE_URL=off`).
    Off,
    Checking,
    /// This is the newest version.
    Latest,
    /// A newer version can be installed.
    Available,
    /// Being downloaded, verified and installed.
    Installing,
    /// The last check could not reach the address.
    Failed,
}

/// A newer version: its number, what is new and when it was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Available {
    pub version: String,
    pub notes: String,
    /// `YYYY-MM-DD`, when the manifest says.
    pub date: Option<String>,
}

/// What is known of updates (managed state).
#[derive(Default)]
pub struct Updates {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    status: UpdateStatus,
    found: Option<Update>,
}

impl Updates {
    pub fn status(&self) -> UpdateStatus {
        self.lock().status.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Changes the status and tells the window.
    fn set<R: Runtime>(&self, app: &AppHandle<R>, change: impl FnOnce(&mut Inner)) {
        let status = {
            let mut inner = self.lock();
            change(&mut inner);
            inner.status.clone()
        };
        let _ = app.emit(UPDATE_EVENT, status);
    }
}

/// The address override: `None` (the config's), `Some(None)` (off) or another address.
fn address() -> Option<Option<String>> {
    let value = std::env::var(UPDATE_URL_ENV).ok()?;
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    Some((!value.eq_ignore_ascii_case("off")).then(|| value.to_owned()))
}

/// Starts the checks: now, then every 12 hours (none when turned off).
pub fn setup<R: Runtime>(app: &AppHandle<R>) {
    let updates = app.state::<Arc<Updates>>();
    updates.lock().status.current = app.package_info().version.to_string();
    if matches!(address(), Some(None)) {
        updates.lock().status.state = UpdateState::Off;
        log::info!("update checks are turned off ({UPDATE_URL_ENV}=off)");
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            check(&app).await;
            tokio::time::sleep(CHECK_EVERY).await;
        }
    });
}

/// Looks for a newer version now; the status says what was found.
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> UpdateStatus {
    let updates = Arc::clone(&app.state::<Arc<Updates>>());
    if matches!(
        updates.lock().status.state,
        UpdateState::Off | UpdateState::Installing | UpdateState::Checking
    ) {
        return updates.status();
    }
    updates.set(app, |inner| {
        inner.status.state = UpdateState::Checking;
        inner.status.problem = None;
    });
    let found = match updater(app) {
        Ok(updater) => updater.check().await.map_err(check_failed),
        Err(error) => Err(error),
    };
    let now = smsdesk::time::now_ms();
    updates.set(app, |inner| {
        inner.status.checked_at = Some(now);
        match found {
            Ok(Some(update)) => {
                log::info!("update check: version {} is available", update.version);
                inner.status.state = UpdateState::Available;
                inner.status.available = Some(Available {
                    version: update.version.clone(),
                    notes: update.body.clone().unwrap_or_default(),
                    date: update.date.map(|d| d.date().to_string()),
                });
                inner.found = Some(update);
            }
            Ok(None) => {
                log::info!("update check: this is the newest version");
                inner.status.state = UpdateState::Latest;
                inner.status.available = None;
                inner.found = None;
            }
            Err(problem) => {
                log::warn!("update check failed: {}", problem.code);
                // What was found before stays installable.
                inner.status.state = if inner.found.is_some() {
                    UpdateState::Available
                } else {
                    UpdateState::Failed
                };
                inner.status.problem = Some(problem);
            }
        }
    });
    updates.status()
}

/// The updater, with the address and (debug builds) the test key from the environment.
fn updater<R: Runtime>(app: &AppHandle<R>) -> Result<tauri_plugin_updater::Updater, UserError> {
    let mut builder = app.updater_builder();
    if let Some(Some(address)) = address() {
        let url = address.parse().map_err(|_| {
            UserError::new(
                "update_address_invalid",
                format!("{UPDATE_URL_ENV} is not a web address."),
                "Ask whoever set up this computer to correct it, or remove it.",
            )
        })?;
        builder = builder.endpoints(vec![url]).map_err(check_failed)?;
    }
    #[cfg(debug_assertions)]
    if let Some(key) = std::env::var(TEST_PUBKEY_ENV)
        .ok()
        .filter(|k| !k.is_empty())
    {
        builder = builder.pubkey(key);
    }
    builder.build().map_err(check_failed)
}

fn check_failed(error: tauri_plugin_updater::Error) -> UserError {
    log::warn!("update check: {error}");
    UserError::new(
        "update_check_failed",
        "SMS Desk could not find out whether a new version is available.",
        "This needs the internet. SMS Desk tries again by itself; everything else works as usual.",
    )
}

/// Why installing must wait, in words; `None` when it may go ahead: nothing is being sent
/// and no scheduled message is due within the hour.
pub fn refusal(work: &Work, sending_now: bool, zone: &ClinicZone, now: i64) -> Option<String> {
    if sending_now || !work.going.is_empty() {
        return Some(
            "SMS Desk is sending messages now. Install the update once they have gone: it \
             closes SMS Desk for a minute."
                .to_owned(),
        );
    }
    match work.next_at {
        Some(at) if work.scheduled > 0 && at - now < DUE_SOON_MS => Some(format!(
            "A scheduled message is due {}. Install the update after it has gone: it closes \
             SMS Desk for a minute, and the message must go on time.",
            crate::notify::short_time(zone, at, now)
        )),
        _ => None,
    }
}

/// Installs the version found, when the person has said so and nothing waits
/// ([`refusal`]); SMS Desk then starts again. An error says why nothing was installed.
pub async fn install<R: Runtime>(
    app: &AppHandle<R>,
    desk: &Desk,
    worker: &smsdesk::worker::Worker,
) -> Result<(), UserError> {
    let updates = Arc::clone(&app.state::<Arc<Updates>>());
    let Some(update) = updates.lock().found.clone() else {
        return Err(UserError::new(
            "update_not_found",
            "There is no new version to install.",
            "SMS Desk looks for new versions by itself; About shows the last check.",
        ));
    };
    let jobs = desk.jobs().await?;
    let clinic = desk.clinic().await?;
    let sending_now = worker.sending() > 0;
    if let Some(why) = refusal(&Work::of(&jobs), sending_now, &clinic.zone, clinic.now) {
        log::info!("update {}: waits for sending", update.version);
        return Err(UserError::new(
            "update_waits_for_sending",
            why,
            "Nothing was installed. The update stays ready here.",
        ));
    }
    log::info!("update {}: downloading and installing", update.version);
    updates.set(app, |inner| {
        inner.status.state = UpdateState::Installing;
        inner.status.problem = None;
    });
    if let Err(error) = update.download_and_install(|_, _| {}, || {}).await {
        let problem = install_failed(&error);
        log::warn!("update {}: not installed: {error}", update.version);
        updates.set(app, |inner| {
            inner.status.state = UpdateState::Available;
            inner.status.problem = Some(problem.clone());
        });
        return Err(problem);
    }
    log::info!("update {}: installed, starting again", update.version);
    app.restart();
}

fn install_failed(error: &tauri_plugin_updater::Error) -> UserError {
    use tauri_plugin_updater::Error as E;
    match error {
        E::Minisign(_)
        | E::Base64(_)
        | E::SignatureUtf8(_)
        | E::SignedVersionMismatch { .. }
        | E::MissingSignedVersion => UserError::new(
            "update_not_verified",
            "The update could not be verified as coming from SMS Desk, so it was not installed. \
             Nothing has changed.",
            "Try again later. If it keeps happening, tell whoever looks after this computer.",
        ),
        E::Reqwest(_) | E::Network(_) => UserError::new(
            "update_download_failed",
            "The update could not be downloaded. Nothing has changed.",
            "Check the internet connection and try again.",
        ),
        E::AuthenticationFailed => UserError::new(
            "update_not_allowed",
            "The update needs this computer's administrator password, and none was given. \
             Nothing has changed.",
            "Try again and enter the password, or ask whoever looks after this computer.",
        ),
        _ => UserError::new(
            "update_install_failed",
            "The update could not be installed. Nothing has changed.",
            "Try again later. If it keeps happening, tell whoever looks after this computer.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::background::tests::{counts, job};
    use smsdesk::states::{JobKind, JobState};

    const NOW: i64 = 1_796_200_000_000;
    const MINUTE: i64 = 60_000;

    fn zone() -> ClinicZone {
        ClinicZone::named("Europe/Dublin").expect("a known zone")
    }

    fn scheduled_at(at: i64) -> Work {
        let mut waiting = job(1, JobKind::List, JobState::Running, counts(0, 0, 3, 0));
        waiting.next_at = Some(at);
        Work::of(&[waiting])
    }

    #[test]
    fn nothing_waiting_lets_the_update_in() {
        assert_eq!(refusal(&Work::default(), false, &zone(), NOW), None);
    }

    #[test]
    fn a_list_being_sent_holds_it() {
        let sending = job(1, JobKind::List, JobState::Running, counts(5, 1, 0, 2));
        let why = refusal(&Work::of(&[sending]), false, &zone(), NOW).expect("held");
        assert!(why.contains("sending messages now"), "{why}");
        assert!(refusal(&Work::default(), true, &zone(), NOW).is_some());
    }

    #[test]
    fn a_message_due_within_the_hour_holds_it_and_says_when() {
        let why = refusal(&scheduled_at(NOW + 30 * MINUTE), false, &zone(), NOW).expect("held");
        assert!(why.contains("is due"), "{why}");
        assert!(why.contains(':'), "the time is given: {why}");
    }

    #[test]
    fn reminders_booked_for_later_do_not_hold_it() {
        // Reminders are booked days ahead: they would hold an update for ever. SMS Desk starts
        // again right after installing, and sends them at their time.
        assert_eq!(
            refusal(&scheduled_at(NOW + 2 * 60 * MINUTE), false, &zone(), NOW),
            None
        );
    }
}
