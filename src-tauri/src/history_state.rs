//! The message history, opened once at start-up and shared by the commands and the delivery
//! tracker. If it cannot be opened (a newer SMS Desk made it, the disk is full), the app still
//! opens, shows why, and refuses to send: a message that cannot be recorded is not sent.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use smsdesk::desk::Desk;
use smsdesk::history::{now_ms, History};
use smsdesk::UserError;
use tauri::{AppHandle, Runtime};
use tokio::sync::Notify;

use crate::settings_file;

/// Debug builds only: the first delivery question after this many milliseconds (and the same
/// pause after each), so end-to-end tests see a delivery within a second or two.
pub const TEST_POLL_ENV: &str = "SMSDESK_TEST_POLL_MS";

/// The history, or why there is none (once opened); and a way to wake the delivery tracker.
pub struct HistoryState {
    history: Arc<OnceLock<Result<Arc<History>, UserError>>>,
    wake: Arc<Notify>,
}

impl HistoryState {
    /// Opens the history on a background thread (its integrity check reads the whole file, so
    /// it must not delay the window), then starts the delivery tracker on it.
    pub fn open_in_background<R: Runtime>(app: &AppHandle<R>, desk: Arc<Desk>) -> Self {
        let state = Self {
            history: Arc::new(OnceLock::new()),
            wake: Arc::new(Notify::new()),
        };
        let (cell, wake, app) = (Arc::clone(&state.history), state.wake_signal(), app.clone());
        std::thread::spawn(move || {
            let opened = History::open_default()
                .map(Arc::new)
                .map_err(UserError::from);
            if let Ok(history) = &opened {
                let history = Arc::clone(history);
                tauri::async_runtime::spawn(track_deliveries(app, desk, history, wake));
            }
            let _ = cell.set(opened);
        });
        state
    }

    /// The history, or the error every command that needs it returns. Right after start-up
    /// this waits (briefly) until the history is open.
    pub fn get(&self) -> Result<Arc<History>, UserError> {
        self.history.wait().clone()
    }

    /// What [`track_deliveries`] waits on between two looks.
    pub fn wake_signal(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Makes the tracker look at once (after "Check delivery now"), not after its pause.
    pub fn wake_tracker(&self) {
        self.wake.notify_one();
    }
}

/// The poll policy, shortened in debug builds for the end-to-end tests.
pub fn poll_policy() -> smsdesk::history::tracking::PollPolicy {
    let mut policy = smsdesk::history::tracking::PollPolicy::default();
    if cfg!(debug_assertions) {
        if let Some(ms) = std::env::var(TEST_POLL_ENV)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            policy.first = Duration::from_millis(ms);
            policy.max = Duration::from_millis(ms);
        }
    }
    policy
}

/// The shortest and longest pause between two looks at the tracked messages.
const MIN_TICK: Duration = Duration::from_millis(200);
const MAX_TICK: Duration = Duration::from_secs(5);

/// Asks about deliveries for as long as the app runs: whatever is due, then a pause until the
/// next one is due (at most a few seconds, so new sends are picked up soon) or until `wake`.
pub async fn track_deliveries<R: Runtime>(
    app: AppHandle<R>,
    desk: Arc<Desk>,
    history: Arc<History>,
    wake: Arc<Notify>,
) {
    loop {
        let settings = settings_file::load(&app);
        if let Err(error) = desk.poll_deliveries(&history, &settings).await {
            eprintln!("SMS Desk: delivery tracking: {error}");
        }
        let next = {
            let history = Arc::clone(&history);
            tauri::async_runtime::spawn_blocking(move || history.next_poll_at())
                .await
                .ok()
                .and_then(Result::ok)
                .flatten()
        };
        let pause = next
            .map(|at| {
                Duration::from_millis(u64::try_from(at.saturating_sub(now_ms())).unwrap_or(0))
            })
            .unwrap_or(MAX_TICK)
            .clamp(MIN_TICK, MAX_TICK);
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = wake.notified() => {}
        }
    }
}
