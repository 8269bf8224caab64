//! Desktop notifications for what needs a person (issue 10), sent from Rust with
//! `tauri-plugin-notification` (the webview has no notification permission): a list finished,
//! messages whose outcome is unknown, reminders that missed their time, a key Octopods
//! refused, a job that stopped by itself.
//!
//! The decision is pure: [`on_change`] compares a job with how it was last seen ([`Seen`]) and
//! gives at most one [`Notice`], the most urgent; [`at_start`] tells, once per run, about
//! missed reminders still waiting. [`crate::background::watch`] calls them on each job change.
//!
//! On Windows a notification shows under the app's AppUserModelID, which is the identifier in
//! `tauri.conf.json` (`app.smsdesk.desktop`): the plugin sets it for an installed app, and both
//! Windows installers (NSIS and MSI) stamp it on the Start menu shortcut. A build run from
//! `target/` has no such shortcut, and Windows shows its notifications as PowerShell's.

use smsdesk::bulk::job::{Counts, Job};
use smsdesk::schedule::ClinicZone;
use smsdesk::states::{JobKind, JobState};
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

use crate::background::{count, job_name, show_window};

/// What a notice is about, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Octopods refused a channel's key.
    KeyRefused,
    /// A job stopped by itself and says why (its sender stopped, no key, a channel removed).
    Stopped,
    /// Reminders were due while SMS Desk was not running: they wait for a person.
    Missed,
    /// Messages whose outcome is unknown (they may have been sent).
    Unknown,
    /// A list (or a scheduled message) was sent.
    Finished,
    /// Anything else (the "still running" notice).
    Plain,
}

/// One desktop notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: Kind,
    pub title: String,
    pub body: String,
}

impl Notice {
    pub fn plain(title: impl Into<String>, body: impl Into<String>) -> Self {
        Self {
            kind: Kind::Plain,
            title: title.into(),
            body: body.into(),
        }
    }

    fn new(kind: Kind, title: String, body: String) -> Self {
        Self { kind, title, body }
    }

    /// News the person sees anyway with the window in front (a list done); the rest needs
    /// them whatever they look at.
    pub fn is_routine(&self) -> bool {
        self.kind == Kind::Finished
    }
}

/// A job as last seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub state: JobState,
    pub counts: Counts,
    pub problem: Option<String>,
}

impl Seen {
    /// A job made during this run, before its first change was seen.
    pub fn new_job() -> Self {
        Self {
            state: JobState::Ready,
            counts: Counts::default(),
            problem: None,
        }
    }
}

impl From<&Job> for Seen {
    fn from(job: &Job) -> Self {
        Self {
            state: job.state,
            counts: job.counts,
            problem: job.problem.clone(),
        }
    }
}

/// What changed in `after` since `before` that needs a person, as one notice (the most
/// urgent), or `None`. Times are shown on the clinic's clock (`zone`).
pub fn on_change(before: &Seen, after: &Job, zone: &ClinicZone, now: i64) -> Option<Notice> {
    let (was, is) = (&before.counts, &after.counts);
    let name = job_name(after);
    if is.unauthorized > was.unauthorized {
        return Some(Notice::new(
            Kind::KeyRefused,
            "A channel's key stopped working".to_owned(),
            format!(
                "Octopods refused the API key of \u{201c}{}\u{201d}, so sending {name} stopped. Enter the channel's new key in Settings \u{203a} Channels, then send what was not sent again.",
                after.channel_name
            ),
        ));
    }
    if after.state == JobState::Paused {
        if let Some(problem) = after.problem.as_deref() {
            if before.state != JobState::Paused || before.problem.as_deref() != Some(problem) {
                return Some(Notice::new(
                    Kind::Stopped,
                    format!("Sending {name} stopped"),
                    problem.to_owned(),
                ));
            }
        }
    }
    if is.missed > was.missed {
        return Some(missed(
            is.missed - was.missed,
            after.kind,
            after.missed_at,
            zone,
            now,
        ));
    }
    let finished = after.state == JobState::Done && before.state != JobState::Done;
    if finished {
        return Some(finished_notice(after));
    }
    if is.unknown > was.unknown {
        let n = is.unknown - was.unknown;
        return Some(Notice::new(
            Kind::Unknown,
            format!("{} may not have been sent", count(n, "message", "messages")),
            format!(
                "Octopods gave no clear answer for {} of {name}. Check {} under Reminders before sending again.",
                count(n, "message", "messages"),
                if n == 1 { "it" } else { "them" }
            ),
        ));
    }
    None
}

/// Once at start-up: reminders that missed their time and still wait for a person (from an
/// earlier run, or found by the worker's first look).
pub fn at_start(jobs: &[Job], zone: &ClinicZone, now: i64) -> Option<Notice> {
    let waiting: Vec<&Job> = jobs
        .iter()
        .filter(|j| j.state != JobState::Cancelled && j.counts.missed > 0)
        .collect();
    let n: u64 = waiting.iter().map(|j| j.counts.missed).sum();
    if n == 0 {
        return None;
    }
    let kind = if waiting.iter().any(|j| j.kind == JobKind::Single) {
        JobKind::Single
    } else {
        JobKind::List
    };
    let at = waiting.iter().filter_map(|j| j.missed_at).min();
    Some(missed(n, kind, at, zone, now))
}

fn missed(n: u64, kind: JobKind, at: Option<i64>, zone: &ClinicZone, now: i64) -> Notice {
    let what = match kind {
        JobKind::Single => count(n, "scheduled message", "scheduled messages"),
        JobKind::List => count(n, "reminder", "reminders"),
    };
    let when = at.map_or_else(String::new, |at| format!(" {}", short_time(zone, at, now)));
    let verb = if n == 1 { "was" } else { "were" };
    Notice::new(
        Kind::Missed,
        format!("{what} missed {}", if n == 1 { "its time" } else { "their time" }),
        format!(
            "{} {verb} due{when} while SMS Desk was not running, and {} not sent. Open SMS Desk to send {} now, choose another time or cancel.",
            if n == 1 { "It" } else { "They" },
            verb,
            if n == 1 { "it" } else { "them" }
        ),
    )
}

fn finished_notice(job: &Job) -> Notice {
    let c = &job.counts;
    let failed = c.rejected + c.unauthorized + c.not_sent;
    if job.kind == JobKind::Single {
        let (title, body) = if c.accepted > 0 {
            ("Scheduled message sent", "Octopods accepted it.".to_owned())
        } else if c.unknown > 0 {
            (
                "A scheduled message may not have been sent",
                "Octopods gave no clear answer. Check it under Reminders before sending again."
                    .to_owned(),
            )
        } else {
            (
                "A scheduled message was not sent",
                "Open SMS Desk to see why.".to_owned(),
            )
        };
        return Notice::new(Kind::Finished, title.to_owned(), body);
    }
    let mut parts = vec![format!("{} sent", count(c.accepted, "message", "messages"))];
    if failed > 0 {
        parts.push(format!("{failed} not sent"));
    }
    if c.blocked > 0 {
        parts.push(format!("{} on the do-not-text list", c.blocked));
    }
    if c.unknown > 0 {
        parts.push(format!(
            "{} outcome unknown: check them before sending again",
            c.unknown
        ));
    }
    Notice::new(
        Kind::Finished,
        format!("Reminders from {} are done", job.file_name),
        format!("{}.", parts.join(", ")),
    )
}

/// `Wed 2 Dec, 10:00 GMT` (the year only when it is not this year's), on the clinic's clock.
pub fn short_time(zone: &ClinicZone, at: i64, now: i64) -> String {
    match (zone.at(at), zone.at(now)) {
        (Ok(then), Ok(today)) if then.year() == today.year() => {
            then.strftime("%a %-d %b, %H:%M %Z").to_string()
        }
        (Ok(then), _) => then.strftime("%a %-d %b %Y, %H:%M %Z").to_string(),
        (Err(_), _) => zone.show(at),
    }
}

/// Shows `notice`; without a notification service (no desktop session) it is dropped.
pub fn show(app: &AppHandle, notice: &Notice) {
    let _ = app
        .notification()
        .builder()
        .title(&notice.title)
        .body(&notice.body)
        .show();
}

/// A click on one of SMS Desk's notifications brings its window back.
pub fn on_click(app: &AppHandle) {
    let handle = app.clone();
    let _ = app.notification().on_action(move |_| show_window(&handle));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> ClinicZone {
        ClinicZone::named("Europe/Dublin").expect("a known zone")
    }

    /// 2026-12-02T10:00:00Z: Wednesday, 10:00 in Dublin (GMT).
    const WED_10: i64 = 1_796_205_600_000;

    fn job(kind: JobKind, state: JobState, counts: Counts) -> Job {
        crate::background::tests::job(7, kind, state, counts)
    }

    fn seen(state: JobState, counts: Counts) -> Seen {
        Seen {
            state,
            counts,
            problem: None,
        }
    }

    fn counts(f: impl FnOnce(&mut Counts)) -> Counts {
        let mut c = Counts::default();
        f(&mut c);
        c.total = c.pending
            + c.scheduled
            + c.missed
            + c.sending
            + c.accepted
            + c.rejected
            + c.unauthorized
            + c.not_sent
            + c.unknown
            + c.blocked
            + c.invalid
            + c.duplicate;
        c
    }

    #[test]
    fn nothing_new_says_nothing() {
        let c = counts(|c| {
            c.pending = 30;
            c.accepted = 10;
        });
        let now = job(JobKind::List, JobState::Running, c);
        assert_eq!(
            on_change(&seen(JobState::Running, c), &now, &zone(), WED_10),
            None
        );
        // Progress is not news.
        let before = counts(|c| {
            c.pending = 31;
            c.accepted = 9;
        });
        assert_eq!(
            on_change(&seen(JobState::Running, before), &now, &zone(), WED_10),
            None
        );
    }

    #[test]
    fn a_finished_list_says_what_went() {
        let before = counts(|c| {
            c.sending = 1;
            c.accepted = 37;
            c.rejected = 1;
            c.unknown = 1;
        });
        let after = counts(|c| {
            c.accepted = 38;
            c.rejected = 1;
            c.unknown = 1;
        });
        let notice = on_change(
            &seen(JobState::Running, before),
            &job(JobKind::List, JobState::Done, after),
            &zone(),
            WED_10,
        )
        .expect("a notice");
        assert_eq!(notice.kind, Kind::Finished);
        assert_eq!(notice.title, "Reminders from list7.csv are done");
        assert_eq!(
            notice.body,
            "38 messages sent, 1 not sent, 1 outcome unknown: check them before sending again."
        );
        assert!(notice.is_routine());
        // Told once.
        assert_eq!(
            on_change(
                &seen(JobState::Done, after),
                &job(JobKind::List, JobState::Done, after),
                &zone(),
                WED_10
            ),
            None
        );
    }

    #[test]
    fn a_cancelled_list_is_not_news() {
        let after = counts(|c| {
            c.accepted = 3;
            c.not_sent = 5;
        });
        assert_eq!(
            on_change(
                &seen(JobState::Running, counts(|c| c.pending = 8)),
                &job(JobKind::List, JobState::Cancelled, after),
                &zone(),
                WED_10
            ),
            None
        );
    }

    #[test]
    fn a_scheduled_message_sent_says_so_without_its_number() {
        let notice = on_change(
            &Seen::new_job(),
            &job(JobKind::Single, JobState::Done, counts(|c| c.accepted = 1)),
            &zone(),
            WED_10,
        )
        .expect("a notice");
        assert_eq!(notice.title, "Scheduled message sent");
        assert!(!format!("{notice:?}").contains("+353"));
    }

    #[test]
    fn unknown_outcomes_are_told_as_they_appear() {
        let notice = on_change(
            &seen(JobState::Running, counts(|c| c.pending = 10)),
            &job(
                JobKind::List,
                JobState::Running,
                counts(|c| {
                    c.pending = 8;
                    c.unknown = 2;
                }),
            ),
            &zone(),
            WED_10,
        )
        .expect("a notice");
        assert_eq!(notice.kind, Kind::Unknown);
        assert_eq!(notice.title, "2 messages may not have been sent");
        assert_eq!(
            notice.body,
            "Octopods gave no clear answer for 2 messages of list7.csv. Check them under Reminders before sending again."
        );
        assert!(!notice.is_routine());
    }

    #[test]
    fn missed_times_are_told_with_when_they_were_due() {
        let mut after = job(
            JobKind::List,
            JobState::Running,
            counts(|c| {
                c.missed = 12;
                c.scheduled = 3;
            }),
        );
        after.missed_at = Some(WED_10);
        let notice = on_change(
            &seen(JobState::Running, counts(|c| c.scheduled = 15)),
            &after,
            &zone(),
            WED_10 + 3_600_000,
        )
        .expect("a notice");
        assert_eq!(notice.kind, Kind::Missed);
        assert_eq!(notice.title, "12 reminders missed their time");
        assert_eq!(
            notice.body,
            "They were due Wed 2 Dec, 10:00 GMT while SMS Desk was not running, and were not sent. Open SMS Desk to send them now, choose another time or cancel."
        );
    }

    #[test]
    fn at_start_missed_reminders_still_waiting_are_told_once() {
        let mut a = job(JobKind::List, JobState::Running, counts(|c| c.missed = 2));
        a.missed_at = Some(WED_10 + 60_000);
        let mut b = job(JobKind::Single, JobState::Running, counts(|c| c.missed = 1));
        b.missed_at = Some(WED_10);
        let cancelled = job(JobKind::List, JobState::Cancelled, counts(|c| c.missed = 9));
        let notice = at_start(&[a, b, cancelled], &zone(), WED_10).expect("a notice");
        assert_eq!(notice.title, "3 scheduled messages missed their time");
        assert!(
            notice.body.contains("due Wed 2 Dec, 10:00 GMT"),
            "{notice:?}"
        );
        let done = job(JobKind::List, JobState::Done, counts(|c| c.accepted = 2));
        assert_eq!(at_start(&[done], &zone(), WED_10), None);
    }

    #[test]
    fn a_refused_key_comes_first() {
        let after = counts(|c| {
            c.accepted = 3;
            c.unauthorized = 1;
            c.not_sent = 36;
        });
        let notice = on_change(
            &seen(JobState::Running, counts(|c| c.pending = 40)),
            &job(JobKind::List, JobState::Done, after),
            &zone(),
            WED_10,
        )
        .expect("a notice");
        assert_eq!(notice.kind, Kind::KeyRefused);
        assert_eq!(notice.title, "A channel's key stopped working");
        assert!(
            notice.body.contains("\u{201c}Main number\u{201d}"),
            "{notice:?}"
        );
        assert!(
            notice.body.contains("sending list7.csv stopped"),
            "{notice:?}"
        );
    }

    #[test]
    fn a_job_that_stopped_by_itself_says_why_once() {
        let c = counts(|c| c.pending = 10);
        let mut held = job(JobKind::List, JobState::Paused, c);
        held.problem = Some("This channel has no API key yet. Add it in Settings.".to_owned());
        let notice =
            on_change(&seen(JobState::Running, c), &held, &zone(), WED_10).expect("a notice");
        assert_eq!(notice.kind, Kind::Stopped);
        assert_eq!(notice.title, "Sending list7.csv stopped");
        assert_eq!(
            notice.body,
            "This channel has no API key yet. Add it in Settings."
        );
        assert_eq!(
            on_change(&Seen::from(&held), &held, &zone(), WED_10),
            None,
            "told once"
        );
        // Paused by a person (or from the tray): no reason, no notice.
        let paused = job(JobKind::List, JobState::Paused, c);
        assert_eq!(
            on_change(&seen(JobState::Running, c), &paused, &zone(), WED_10),
            None
        );
    }

    #[test]
    fn times_show_the_year_only_when_it_is_not_this_one() {
        let year = 365 * 24 * 3_600_000;
        assert_eq!(short_time(&zone(), WED_10, WED_10), "Wed 2 Dec, 10:00 GMT");
        assert_eq!(
            short_time(&zone(), WED_10, WED_10 - year),
            "Wed 2 Dec 2026, 10:00 GMT"
        );
    }
}
