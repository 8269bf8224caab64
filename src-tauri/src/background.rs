//! Keeping SMS Desk running while work waits (issue 10): a scheduled reminder goes out only if
//! SMS Desk runs at its time, so closing the window while anything is scheduled or being sent
//! hides it to the tray instead of quitting, and says so once; quitting (from the tray) with
//! work pending asks first and says what will not go out.
//!
//! - The close button ([`close_requested`]): nothing pending (or another process is the
//!   worker) closes, as before. A list being sent by this app's worker asks in the window
//!   (`close-while-sending`, `ui/js/bulk_close.js`), where "Keep sending in the background" is
//!   the default answer ([`hide_to_tray`], the command `keep_in_tray`). Only scheduled work:
//!   the window hides without a question, and the first time a desktop notification says that
//!   SMS Desk is still there. Without a tray icon (one could not be made) the window cannot be
//!   found again once hidden: then closing asks the quit question instead.
//! - Quit from the tray ([`quit`]): the same question, as a native dialog; a list being sent
//!   is paused first and the messages on their way are recorded (as `bulk_close.js` does).
//! - "Pause everything" ([`toggle_pause`]) pauses every running job and remembers which, so
//!   that "Resume everything" resumes those only, never one a person paused for a reason.
//! - [`watch`] follows the desk's job changes (from the `Events` forwarder in `lib.rs`): the
//!   tray's status line, and the desktop notifications of [`crate::notify`].
//!
//! The words are pure functions of the jobs ([`Work`]), tested below.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use serde::Serialize;
use smsdesk::bulk::job::Job;
use smsdesk::desk::Desk;
use smsdesk::events::{Change, ChangeKind};
use smsdesk::states::{JobKind, JobState};
use smsdesk::worker::Worker;
use tauri::{AppHandle, Emitter, Manager, Window};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
use tokio::sync::mpsc;

use crate::notify::{self, Seen};
use crate::tray::Tray;
use crate::CLOSE_WHILE_SENDING_EVENT;

/// The window's label (`tauri.conf.json`).
pub const MAIN_WINDOW: &str = "main";

/// What the autostart entry starts SMS Desk with: the window starts hidden, in the tray.
pub const MINIMIZED_ARG: &str = "--minimized";

/// The longest wait, when quitting, for the messages on their way to be recorded.
const FINISH_AT_MOST: Duration = Duration::from_secs(20);
/// How often, when quitting, it looks whether they were.
const FINISH_POLL: Duration = Duration::from_millis(200);
/// Changes are taken together over this long (a list being sent tells one per row).
const COALESCE: Duration = Duration::from_millis(300);

/// What the shell keeps for running in the background (managed state).
#[derive(Default)]
pub struct Background {
    tray: OnceLock<Tray>,
    /// The "still running" notice was shown (once per run).
    told: AtomicBool,
    /// The jobs "Pause everything" paused, for "Resume everything".
    paused: Mutex<BTreeSet<i64>>,
    /// A quit question is on screen, or quitting has begun.
    quitting: AtomicBool,
}

impl Background {
    /// Whether the tray icon is there (the window can be hidden and found again).
    pub fn has_tray(&self) -> bool {
        self.tray.get().is_some()
    }

    pub fn set_tray(&self, tray: Tray) {
        let _ = self.tray.set(tray);
    }

    fn paused(&self) -> std::sync::MutexGuard<'_, BTreeSet<i64>> {
        self.paused.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The jobs paused from the tray that are still paused (the others are forgotten).
    fn paused_by_tray(&self, jobs: &[Job]) -> BTreeSet<i64> {
        let mut paused = self.paused();
        paused.retain(|id| {
            jobs.iter()
                .any(|j| j.id == *id && j.state == JobState::Paused)
        });
        paused.clone()
    }
}

/// The desk's changes that the tray and the notifications follow (jobs, and the settings for
/// the clinic's time zone), handed over without blocking: the `Events` forwarder is called
/// from the send path and the worker.
pub struct Changes {
    tx: mpsc::UnboundedSender<()>,
    rx: Mutex<Option<mpsc::UnboundedReceiver<()>>>,
}

impl Default for Changes {
    fn default() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Self {
            tx,
            rx: Mutex::new(Some(rx)),
        }
    }
}

impl Changes {
    pub fn tell(&self, change: &Change) {
        if matches!(change.kind, ChangeKind::Job | ChangeKind::Settings) {
            let _ = self.tx.send(());
        }
    }

    /// The receiving end, once (for [`watch`]).
    pub fn take(&self) -> Option<mpsc::UnboundedReceiver<()>> {
        self.rx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

/// One job with rows to send now or in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Going {
    /// The list's file name, or "a scheduled message".
    pub name: String,
    /// Rows with an outcome, of `total` (the rows that were to be sent).
    pub done: u64,
    pub total: u64,
    /// Rows still to send or in flight.
    pub left: u64,
    /// A single scheduled message, not a list.
    pub single: bool,
}

/// What waits, in the jobs as read: what the tray shows and the questions say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Work {
    /// Jobs handed to the worker with rows to send now (running).
    pub going: Vec<Going>,
    /// Rows waiting for their time (in jobs not cancelled; paused ones included).
    pub scheduled: u64,
    /// Rows whose time passed while SMS Desk was not running: they wait for a person.
    pub missed: u64,
    /// When the next waiting row of a running job is due (ms).
    pub next_at: Option<i64>,
    /// When the earliest missed row was due (ms).
    pub missed_at: Option<i64>,
    /// Some of what waits is a single message, not a list's reminder (for the words).
    pub messages: bool,
    /// Jobs paused with rows left (by a person, or from the tray).
    pub paused: u64,
    /// Jobs "Pause everything" could pause now (running ones, scheduled ones included).
    pub running: u64,
}

impl Work {
    pub fn of(jobs: &[Job]) -> Self {
        let mut work = Work::default();
        for job in jobs {
            let c = &job.counts;
            if job.state == JobState::Running {
                work.running += 1;
                if c.pending + c.sending > 0 {
                    let total = c.total - c.invalid - c.duplicate;
                    let left = c.pending + c.sending + c.scheduled + c.missed;
                    work.going.push(Going {
                        name: job_name(job),
                        done: total.saturating_sub(left),
                        total,
                        left: c.pending + c.sending,
                        single: job.kind == JobKind::Single,
                    });
                }
                if c.scheduled > 0 {
                    work.next_at = earliest(work.next_at, job.next_at);
                }
            }
            if job.state == JobState::Paused && c.open() > 0 {
                work.paused += 1;
            }
            // What `Desk::scheduled` lists: waiting for its time, or for a person.
            if job.state != JobState::Cancelled && c.scheduled + c.missed > 0 {
                work.scheduled += c.scheduled;
                work.missed += c.missed;
                work.messages |= job.kind == JobKind::Single;
                if c.missed > 0 {
                    work.missed_at = earliest(work.missed_at, job.missed_at);
                }
            }
        }
        work
    }

    /// Whether anything waits that only a running SMS Desk sends or shows: a list being
    /// sent, or anything scheduled (`Desk::scheduled` not empty).
    pub fn is_pending(&self) -> bool {
        !self.going.is_empty() || self.scheduled + self.missed > 0
    }

    /// "reminder" / "reminders", or "message" / "messages" when a single message is among them.
    pub fn noun(&self, n: u64) -> String {
        if self.messages {
            count(n, "message", "messages")
        } else {
            count(n, "reminder", "reminders")
        }
    }

    /// "tomorrow.csv", or "2 lists".
    fn going_names(&self) -> String {
        match self.going.as_slice() {
            [one] => one.name.clone(),
            more => count(more.len() as u64, "list", "lists"),
        }
    }

    fn going_left(&self) -> u64 {
        self.going.iter().map(|g| g.left).sum()
    }
}

fn earliest(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// "1 reminder", "3 reminders".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How a job is named to people: its file, or "a scheduled message" (a phone number is not
/// shown on a lock screen or in the tray).
pub fn job_name(job: &Job) -> String {
    match job.kind {
        JobKind::Single => "a scheduled message".to_owned(),
        JobKind::List => job.file_name.clone(),
    }
}

/// The notice shown the first time the window hides to the tray: that SMS Desk is still
/// there, why, and where to quit it.
pub fn still_running(work: &Work) -> String {
    let mut why = Vec::new();
    if !work.going.is_empty() {
        let names = work.going_names();
        why.push(if work.going.len() == 1 {
            format!("{names} is being sent")
        } else {
            format!("{names} are being sent")
        });
    }
    if work.scheduled > 0 {
        let verb = if work.scheduled == 1 { "is" } else { "are" };
        why.push(format!("{} {verb} scheduled", work.noun(work.scheduled)));
    }
    if work.missed > 0 {
        why.push(format!("{} missed their time", work.noun(work.missed)));
    }
    if why.is_empty() {
        why.push("paused lists wait to be resumed".to_owned());
    }
    format!(
        "SMS Desk is still running: {}. Open it or quit it from the tray icon.",
        why.join(" and ")
    )
}

/// The question before quitting with work pending, or `None` when nothing would be lost.
/// `sending_here`: this app's worker is sending a list now (quitting pauses it first).
pub fn quit_question(work: &Work, sending_here: bool) -> Option<String> {
    let mut lines = Vec::new();
    if !work.going.is_empty() {
        let names = work.going_names();
        let left = count(work.going_left(), "message", "messages");
        lines.push(if sending_here {
            format!(
                "{names}: {left} not sent yet. Quitting pauses sending; the rest waits until you open SMS Desk and press Resume under Reminders."
            )
        } else {
            format!("{names}: {left} wait to be sent and will not be sent while SMS Desk is closed.")
        });
    }
    if work.scheduled > 0 {
        lines.push(format!(
            "{} scheduled will not be sent while SMS Desk is closed.",
            work.noun(work.scheduled)
        ));
    }
    if lines.is_empty() {
        return None;
    }
    lines.push("Quit anyway?".to_owned());
    Some(lines.join(" "))
}

/// What the window is told when it is closed while a list is being sent.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
struct CloseQuestion {
    /// "Keep sending in the background" can be offered: the window can hide to the tray.
    tray: bool,
}

/// What the close button does now (see the module's text).
enum OnClose {
    Close,
    AskInWindow,
    Hide,
    AskToQuit(String),
}

/// The desk's jobs and what this app's worker is doing; `None` when they cannot be read (a
/// store that does not open keeps nothing running).
async fn read_work(desk: &Desk, worker: &Worker) -> Option<(Vec<Job>, bool, bool)> {
    let jobs = desk.jobs().await.ok()?;
    let ours = worker.is_active().await;
    let sending_here = ours && worker.sending() > 0;
    Some((jobs, ours, sending_here))
}

/// The close button was pressed (the close is held): closes, hides to the tray or asks.
pub fn close_requested(window: Window, desk: Arc<Desk>, worker: Arc<Worker>) {
    tauri::async_runtime::spawn(async move {
        let app = window.app_handle().clone();
        let background = app.state::<Background>();
        let on_close = match read_work(&desk, &worker).await {
            None => OnClose::Close,
            Some((jobs, ours, sending_here)) => {
                let work = Work::of(&jobs);
                let paused_here = !background.paused_by_tray(&jobs).is_empty();
                if !ours || !(work.is_pending() || paused_here) {
                    // Nothing this app would send while its window is closed.
                    OnClose::Close
                } else if sending_here && !work.going.is_empty() {
                    OnClose::AskInWindow
                } else if background.has_tray() {
                    OnClose::Hide
                } else {
                    match quit_question(&work, sending_here) {
                        Some(question) => OnClose::AskToQuit(question),
                        None => OnClose::Close,
                    }
                }
            }
        };
        match on_close {
            OnClose::Close => {
                let _ = window.destroy();
            }
            OnClose::AskInWindow => {
                let question = CloseQuestion {
                    tray: background.has_tray(),
                };
                if window.emit(CLOSE_WHILE_SENDING_EVENT, question).is_err() {
                    let _ = window.destroy();
                }
            }
            OnClose::Hide => {
                hide_to_tray(&app, &desk).await;
            }
            OnClose::AskToQuit(question) => {
                app.dialog()
                    .message(question)
                    .title("Close SMS Desk?")
                    .kind(MessageDialogKind::Warning)
                    .parent(&window)
                    .buttons(MessageDialogButtons::OkCancelCustom(
                        "Close anyway".to_owned(),
                        "Keep SMS Desk open".to_owned(),
                    ))
                    .show(move |close| {
                        if close {
                            let _ = window.destroy();
                        }
                    });
            }
        }
    });
}

/// Hides the window to the tray (the worker goes on), saying so the first time; `false`
/// when there is no tray icon to find it again (the window stays).
pub async fn hide_to_tray(app: &AppHandle, desk: &Desk) -> bool {
    let background = app.state::<Background>();
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        return false;
    };
    if !background.has_tray() || window.hide().is_err() {
        return false;
    }
    if !background.told.swap(true, Ordering::SeqCst) {
        let work = desk
            .jobs()
            .await
            .map(|jobs| Work::of(&jobs))
            .unwrap_or_default();
        notify::show(
            app,
            &notify::Notice::plain("SMS Desk is still running", still_running(&work)),
        );
    }
    true
}

/// Brings the window back (the tray's "Open SMS Desk", a second launch, a notification).
pub fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// "Pause everything": every running job is paused (scheduled ones too: nothing goes until
/// resumed); "Resume everything": the ones it paused, still paused, are resumed.
pub fn toggle_pause(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let desk = Arc::clone(&app.state::<Arc<Desk>>());
        let background = app.state::<Background>();
        let Ok(jobs) = desk.jobs().await else {
            return;
        };
        let to_resume = background.paused_by_tray(&jobs);
        if to_resume.is_empty() {
            for job in jobs.iter().filter(|j| j.state == JobState::Running) {
                if desk.pause_job(job.id).await.is_ok() {
                    background.paused().insert(job.id);
                }
            }
        } else {
            for id in to_resume {
                if desk.resume_job(id).await.is_ok() {
                    background.paused().remove(&id);
                }
            }
            app.state::<Arc<Worker>>().wake();
        }
        refresh(&app, &desk).await;
    });
}

/// "Quit" in the tray: asks first when something would not go out, then quits (a list being
/// sent here is paused, and the messages on their way recorded, before).
pub fn quit(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let background = app.state::<Background>();
        if background.quitting.swap(true, Ordering::SeqCst) {
            return; // asked already
        }
        let desk = Arc::clone(&app.state::<Arc<Desk>>());
        let worker = Arc::clone(&app.state::<Arc<Worker>>());
        let (question, sending_here) = match read_work(&desk, &worker).await {
            Some((jobs, true, sending_here)) => {
                (quit_question(&Work::of(&jobs), sending_here), sending_here)
            }
            _ => (None, false),
        };
        let Some(question) = question else {
            app.exit(0);
            return;
        };
        let quitting = app.clone();
        app.dialog()
            .message(question)
            .title("Quit SMS Desk?")
            .kind(MessageDialogKind::Warning)
            .buttons(MessageDialogButtons::OkCancelCustom(
                "Quit anyway".to_owned(),
                "Keep SMS Desk running".to_owned(),
            ))
            .show(move |yes| {
                if !yes {
                    quitting
                        .state::<Background>()
                        .quitting
                        .store(false, Ordering::SeqCst);
                    return;
                }
                tauri::async_runtime::spawn(async move {
                    if sending_here {
                        pause_and_finish(&desk).await;
                    }
                    quitting.exit(0);
                });
            });
    });
}

/// Pauses every list being sent and waits (a while at most) until the messages on their way
/// are recorded, so none is left "outcome unknown" by quitting.
async fn pause_and_finish(desk: &Desk) {
    let Ok(jobs) = desk.jobs().await else {
        return;
    };
    let going: Vec<i64> = jobs
        .iter()
        .filter(|j| j.state == JobState::Running && j.counts.going() > 0)
        .map(|j| j.id)
        .collect();
    for id in &going {
        let _ = desk.pause_job(*id).await;
    }
    let deadline = tokio::time::Instant::now() + FINISH_AT_MOST;
    while tokio::time::Instant::now() < deadline {
        let on_their_way = desk.jobs().await.map_or(0, |jobs| {
            jobs.iter()
                .filter(|j| going.contains(&j.id))
                .map(|j| j.counts.sending)
                .sum::<u64>()
        });
        if on_their_way == 0 {
            break;
        }
        tokio::time::sleep(FINISH_POLL).await;
    }
}

/// Shows the tray's status as the jobs are now.
async fn refresh(app: &AppHandle, desk: &Desk) {
    let Ok(jobs) = desk.jobs().await else {
        return;
    };
    let Ok(clinic) = desk.clinic().await else {
        return;
    };
    show_status(app, &jobs, &clinic.zone, clinic.now);
}

fn show_status(app: &AppHandle, jobs: &[Job], zone: &smsdesk::schedule::ClinicZone, now: i64) {
    let background = app.state::<Background>();
    if let Some(tray) = background.tray.get() {
        let work = Work::of(jobs);
        let resumable = !background.paused_by_tray(jobs).is_empty();
        tray.show(&work, zone, now, resumable);
    }
}

/// Follows the desk's job changes for as long as the app runs: the tray's status, and a
/// desktop notification when something needs a person ([`notify::on_change`]). The jobs as
/// first read are the baseline (what happened before this run is not told again, except
/// missed times still waiting: [`notify::at_start`]).
pub async fn watch(app: AppHandle, desk: Arc<Desk>, mut changes: mpsc::UnboundedReceiver<()>) {
    let mut seen: Option<HashMap<i64, Seen>> = None;
    loop {
        if let (Ok(jobs), Ok(clinic)) = (desk.jobs().await, desk.clinic().await) {
            let (zone, now) = (&clinic.zone, clinic.now);
            match &mut seen {
                None => {
                    if let Some(notice) = notify::at_start(&jobs, zone, now) {
                        notify::show(&app, &notice);
                    }
                }
                Some(before) => {
                    for job in &jobs {
                        let notice = match before.get(&job.id) {
                            Some(was) => notify::on_change(was, job, zone, now),
                            None => notify::on_change(&Seen::new_job(), job, zone, now),
                        };
                        if let Some(notice) = notice {
                            if !(notice.is_routine() && window_in_front(&app)) {
                                notify::show(&app, &notice);
                            }
                        }
                    }
                }
            }
            seen = Some(jobs.iter().map(|j| (j.id, Seen::from(j))).collect());
            show_status(&app, &jobs, zone, now);
        }
        if changes.recv().await.is_none() {
            return;
        }
        tokio::time::sleep(COALESCE).await;
        while changes.try_recv().is_ok() {}
    }
}

/// The person is looking at the window (a routine notice would only repeat it).
fn window_in_front(app: &AppHandle) -> bool {
    app.get_webview_window(MAIN_WINDOW)
        .is_some_and(|w| w.is_visible().unwrap_or(false) && w.is_focused().unwrap_or(false))
}

/// Sets the app up to run in the background: the tray icon (if the desktop can show one),
/// the window hidden at a start with [`MINIMIZED_ARG`], the watcher, and a click on a
/// notification bringing the window back.
pub fn setup(app: &AppHandle, desk: Arc<Desk>, changes: Option<mpsc::UnboundedReceiver<()>>) {
    match crate::tray::build(app) {
        Ok(tray) => app.state::<Background>().set_tray(tray),
        Err(why) => eprintln!("SMS Desk: no tray icon ({why}); closing the window quits."),
    }
    let minimized = std::env::args_os().any(|arg| arg == MINIMIZED_ARG);
    if minimized && app.state::<Background>().has_tray() {
        if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
            let _ = window.hide();
        }
    }
    notify::on_click(app);
    if let Some(changes) = changes {
        tauri::async_runtime::spawn(watch(app.clone(), desk, changes));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use smsdesk::bulk::job::Counts;

    pub(crate) fn job(id: i64, kind: JobKind, state: JobState, counts: Counts) -> Job {
        Job {
            id,
            created_at: 0,
            updated_at: 0,
            file_name: if kind == JobKind::Single {
                "+353861234567".to_owned()
            } else {
                format!("list{id}.csv")
            },
            template: String::new(),
            template_name: None,
            route: "active".to_owned(),
            base_url: None,
            channel_id: "main".to_owned(),
            channel_name: "Main number".to_owned(),
            rate: 1.0,
            state,
            problem: None,
            counts,
            kind,
            lead: None,
            next_at: None,
            missed_at: None,
            to: None,
        }
    }

    /// A job's counts with these rows pending, on their way, waiting and accepted.
    pub(crate) fn counts(pending: u64, sending: u64, scheduled: u64, accepted: u64) -> Counts {
        Counts {
            total: pending + sending + scheduled + accepted,
            pending,
            sending,
            scheduled,
            accepted,
            ..Counts::default()
        }
    }

    #[test]
    fn a_list_being_sent_is_counted_with_what_is_done() {
        let mut c = counts(25, 3, 0, 12);
        c.total += 2;
        c.invalid = 2;
        let work = Work::of(&[job(1, JobKind::List, JobState::Running, c)]);
        assert_eq!(
            work.going,
            vec![Going {
                name: "list1.csv".to_owned(),
                done: 12,
                total: 40,
                left: 28,
                single: false,
            }]
        );
        assert!(work.is_pending());
    }

    #[test]
    fn scheduled_rows_wait_in_jobs_not_cancelled_and_the_next_one_is_found() {
        let mut a = job(1, JobKind::List, JobState::Running, counts(0, 0, 3, 0));
        a.next_at = Some(2_000);
        let mut b = job(2, JobKind::Single, JobState::Running, counts(0, 0, 1, 0));
        b.next_at = Some(1_000);
        let cancelled = job(3, JobKind::List, JobState::Cancelled, counts(0, 0, 9, 0));
        let mut paused = job(4, JobKind::List, JobState::Paused, counts(0, 0, 2, 0));
        paused.next_at = Some(500);
        let work = Work::of(&[a, b, cancelled, paused]);
        assert_eq!(work.scheduled, 6, "cancelled rows never go");
        assert_eq!(
            work.next_at,
            Some(1_000),
            "a paused job's rows do not go next"
        );
        assert!(work.messages);
        assert!(work.going.is_empty());
        assert!(work.is_pending());
        assert_eq!(work.running, 2);
        assert_eq!(work.paused, 1);
    }

    #[test]
    fn finished_and_paused_lists_keep_nothing_running() {
        let done = job(1, JobKind::List, JobState::Done, counts(0, 0, 0, 40));
        let paused = job(2, JobKind::List, JobState::Paused, counts(10, 0, 0, 5));
        let work = Work::of(&[done, paused]);
        assert!(!work.is_pending());
        assert_eq!(quit_question(&work, false), None);
    }

    #[test]
    fn missed_rows_are_pending_like_the_scheduled_screen_lists_them() {
        let c = Counts {
            total: 12,
            missed: 12,
            ..Counts::default()
        };
        let mut missed = job(1, JobKind::List, JobState::Running, c);
        missed.missed_at = Some(77);
        let work = Work::of(&[missed]);
        assert!(work.is_pending());
        assert_eq!(work.missed_at, Some(77));
        assert_eq!(
            still_running(&work),
            "SMS Desk is still running: 12 reminders missed their time. Open it or quit it from the tray icon."
        );
        assert_eq!(
            quit_question(&work, false),
            None,
            "missed rows never go by themselves"
        );
    }

    #[test]
    fn the_still_running_notice_says_why() {
        let scheduled = job(1, JobKind::List, JobState::Running, counts(0, 0, 3, 0));
        assert_eq!(
            still_running(&Work::of(std::slice::from_ref(&scheduled))),
            "SMS Desk is still running: 3 reminders are scheduled. Open it or quit it from the tray icon."
        );
        let one = job(2, JobKind::Single, JobState::Running, counts(0, 0, 1, 0));
        assert_eq!(
            still_running(&Work::of(&[one])),
            "SMS Desk is still running: 1 message is scheduled. Open it or quit it from the tray icon."
        );
        let sending = job(3, JobKind::List, JobState::Running, counts(5, 1, 0, 0));
        assert_eq!(
            still_running(&Work::of(&[sending, scheduled])),
            "SMS Desk is still running: list3.csv is being sent and 3 reminders are scheduled. Open it or quit it from the tray icon."
        );
    }

    #[test]
    fn the_quit_question_says_what_will_not_go_out() {
        let scheduled = job(1, JobKind::List, JobState::Running, counts(0, 0, 3, 0));
        assert_eq!(
            quit_question(&Work::of(std::slice::from_ref(&scheduled)), false).as_deref(),
            Some("3 reminders scheduled will not be sent while SMS Desk is closed. Quit anyway?")
        );
        let sending = job(2, JobKind::List, JobState::Running, counts(25, 3, 0, 12));
        assert_eq!(
            quit_question(&Work::of(&[sending.clone(), scheduled]), true).as_deref(),
            Some(
                "list2.csv: 28 messages not sent yet. Quitting pauses sending; the rest waits until you open SMS Desk and press Resume under Reminders. \
                 3 reminders scheduled will not be sent while SMS Desk is closed. Quit anyway?"
            )
        );
        // Waiting for the sending window (quiet hours), not being sent now.
        assert_eq!(
            quit_question(&Work::of(&[sending]), false).as_deref(),
            Some("list2.csv: 28 messages wait to be sent and will not be sent while SMS Desk is closed. Quit anyway?")
        );
        let two = [
            job(3, JobKind::List, JobState::Running, counts(1, 0, 0, 0)),
            job(4, JobKind::List, JobState::Running, counts(0, 1, 0, 0)),
        ];
        assert_eq!(
            quit_question(&Work::of(&two), true).as_deref(),
            Some("2 lists: 2 messages not sent yet. Quitting pauses sending; the rest waits until you open SMS Desk and press Resume under Reminders. Quit anyway?")
        );
    }

    #[test]
    fn a_single_message_is_not_named_by_its_number() {
        let single = job(1, JobKind::Single, JobState::Running, counts(1, 0, 0, 0));
        assert_eq!(job_name(&single), "a scheduled message");
        assert!(!still_running(&Work::of(&[single])).contains("+353"));
    }

    #[test]
    fn changes_of_jobs_and_settings_are_followed_and_the_rest_ignored() {
        let changes = Changes::default();
        let mut rx = changes.take().expect("the receiver, once");
        assert!(changes.take().is_none());
        changes.tell(&Change::row(ChangeKind::History, 1));
        changes.tell(&Change::row(ChangeKind::Job, 2));
        changes.tell(&Change::of(ChangeKind::Settings));
        changes.tell(&Change::row(ChangeKind::Delivery, 3));
        assert!(rx.try_recv().is_ok());
        assert!(rx.try_recv().is_ok());
        assert!(rx.try_recv().is_err());
    }
}
