//! The tray icon (issue 10): SMS Desk stays there while its window is closed and work waits.
//! Its menu: a status line (a disabled item: "3 reminders scheduled · next Wed 2 Dec, 10:00
//! GMT", "Sending tomorrow.csv: 12 of 40", "Nothing scheduled"), Open SMS Desk, Pause
//! everything / Resume everything, Quit SMS Desk. [`crate::background::watch`] keeps the status
//! as the jobs change ([`status_line`], pure, tested below); the actions are in
//! [`crate::background`].
//!
//! On Linux the icon is an AppIndicator (libayatana-appindicator3, loaded when the icon is
//! made): it has a menu only, no click of its own, hence "Open SMS Desk" first. A desktop
//! without that library cannot show the icon: [`build`] then fails (it does not crash the app)
//! and closing the window quits, as it did before.

use smsdesk::schedule::ClinicZone;
use tauri::image::Image;
use tauri::menu::{MenuBuilder, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::AppHandle;

use crate::background::{self, count, Work};
use crate::notify::short_time;

/// The icon: a white speech bubble on blue, 64×64 (`icons/tray.png`, committed).
const ICON: &[u8] = include_bytes!("../icons/tray.png");

const OPEN: &str = "open";
const PAUSE: &str = "pause";
const QUIT: &str = "quit";

/// The icon and the menu items that change.
pub struct Tray {
    icon: TrayIcon,
    status: MenuItem<tauri::Wry>,
    pause: MenuItem<tauri::Wry>,
}

/// Makes the tray icon and its menu; an error (or a panic of the platform's library, which
/// is loaded only now) when this desktop cannot show one.
pub fn build(app: &AppHandle) -> Result<Tray, String> {
    let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| make(app)));
    match made {
        Ok(Ok(tray)) => Ok(tray),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err("the system tray library could not be loaded".to_owned()),
    }
}

fn make(app: &AppHandle) -> tauri::Result<Tray> {
    let status = MenuItem::with_id(app, "status", "Nothing scheduled", false, None::<&str>)?;
    let open = MenuItem::with_id(app, OPEN, "Open SMS Desk", true, None::<&str>)?;
    let pause = MenuItem::with_id(app, PAUSE, "Pause everything", false, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, "Quit SMS Desk", true, None::<&str>)?;
    let menu = MenuBuilder::new(app)
        .item(&status)
        .item(&PredefinedMenuItem::separator(app)?)
        .item(&open)
        .item(&pause)
        .item(&PredefinedMenuItem::separator(app)?)
        .item(&quit)
        .build()?;
    let icon = TrayIconBuilder::with_id("smsdesk")
        .icon(Image::from_bytes(ICON)?)
        .tooltip("SMS Desk")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| match event.id().as_ref() {
            OPEN => background::show_window(app),
            PAUSE => background::toggle_pause(app),
            QUIT => background::quit(app),
            _ => {}
        })
        .build(app)?;
    Ok(Tray {
        icon,
        status,
        pause,
    })
}

impl Tray {
    /// Shows `work` in the menu (and the tooltip, where the platform has one). `resumable`:
    /// jobs paused from here are still paused ("Resume everything").
    pub fn show(&self, work: &Work, zone: &ClinicZone, now: i64, resumable: bool) {
        let line = status_line(work, zone, now);
        let _ = self.status.set_text(&line);
        let _ = self
            .icon
            .set_tooltip(Some(format!("SMS Desk \u{2014} {line}")));
        let (text, enabled) = pause_item(work, resumable);
        let _ = self.pause.set_text(text);
        let _ = self.pause.set_enabled(enabled);
    }
}

/// The pause item's words and whether it can be used.
pub fn pause_item(work: &Work, resumable: bool) -> (&'static str, bool) {
    if resumable {
        ("Resume everything", true)
    } else {
        ("Pause everything", work.running > 0)
    }
}

/// The tray's status line: what is being sent, what waits and when the next goes.
pub fn status_line(work: &Work, zone: &ClinicZone, now: i64) -> String {
    let mut parts = Vec::new();
    match work.going.as_slice() {
        [] => {}
        [one] if one.single => {
            parts.push("Sending a scheduled message".to_owned());
        }
        [one] => parts.push(format!(
            "Sending {}: {} of {}",
            one.name, one.done, one.total
        )),
        more => {
            let done: u64 = more.iter().map(|g| g.done).sum();
            let total: u64 = more.iter().map(|g| g.total).sum();
            parts.push(format!("Sending {} lists: {done} of {total}", more.len()));
        }
    }
    if work.scheduled > 0 {
        let when = match work.next_at {
            Some(at) => format!("next {}", short_time(zone, at, now)),
            None => "paused".to_owned(),
        };
        parts.push(format!(
            "{} scheduled \u{b7} {when}",
            work.noun(work.scheduled)
        ));
    }
    if work.missed > 0 {
        parts.push(format!("{} missed their time", work.noun(work.missed)));
    }
    if work.going.is_empty() && work.paused > 0 {
        parts.push(format!("{} paused", count(work.paused, "list", "lists")));
    }
    if parts.is_empty() {
        return "Nothing scheduled".to_owned();
    }
    parts.join(" \u{b7} ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::background::tests::{counts, job};
    use smsdesk::bulk::job::Counts;
    use smsdesk::states::{JobKind, JobState};

    /// 2026-12-02T10:00:00Z: Wednesday, 10:00 in Dublin (GMT).
    const WED_10: i64 = 1_796_205_600_000;

    fn zone() -> ClinicZone {
        ClinicZone::named("Europe/Dublin").expect("a known zone")
    }

    fn line(jobs: &[smsdesk::bulk::job::Job]) -> String {
        status_line(&Work::of(jobs), &zone(), WED_10 - 86_400_000)
    }

    #[test]
    fn nothing_waiting_says_so() {
        assert_eq!(line(&[]), "Nothing scheduled");
        let done = job(1, JobKind::List, JobState::Done, counts(0, 0, 0, 40));
        assert_eq!(line(&[done]), "Nothing scheduled");
    }

    #[test]
    fn a_list_being_sent_shows_its_progress() {
        let sending = job(1, JobKind::List, JobState::Running, counts(26, 2, 0, 12));
        let mut named = sending.clone();
        named.file_name = "tomorrow.csv".to_owned();
        assert_eq!(line(&[named]), "Sending tomorrow.csv: 12 of 40");
        let other = job(2, JobKind::List, JobState::Running, counts(10, 0, 0, 0));
        assert_eq!(line(&[sending, other]), "Sending 2 lists: 12 of 50");
        let single = job(3, JobKind::Single, JobState::Running, counts(0, 1, 0, 0));
        assert_eq!(line(&[single]), "Sending a scheduled message");
    }

    #[test]
    fn scheduled_reminders_show_when_the_next_goes() {
        let mut a = job(1, JobKind::List, JobState::Running, counts(0, 0, 2, 0));
        a.next_at = Some(WED_10 + 3_600_000);
        let mut b = job(2, JobKind::List, JobState::Running, counts(0, 0, 1, 0));
        b.next_at = Some(WED_10);
        assert_eq!(
            line(&[a, b.clone()]),
            "3 reminders scheduled \u{b7} next Wed 2 Dec, 10:00 GMT"
        );
        let sending = job(3, JobKind::List, JobState::Running, counts(5, 0, 0, 5));
        assert_eq!(
            line(&[sending, b]),
            "Sending list3.csv: 5 of 10 \u{b7} 1 reminder scheduled \u{b7} next Wed 2 Dec, 10:00 GMT"
        );
        let mut one = job(4, JobKind::Single, JobState::Running, counts(0, 0, 1, 0));
        one.next_at = Some(WED_10);
        assert_eq!(
            line(&[one]),
            "1 message scheduled \u{b7} next Wed 2 Dec, 10:00 GMT"
        );
    }

    #[test]
    fn paused_and_missed_work_is_shown() {
        let paused = job(1, JobKind::List, JobState::Paused, counts(0, 0, 3, 0));
        assert_eq!(
            line(&[paused]),
            "3 reminders scheduled \u{b7} paused \u{b7} 1 list paused"
        );
        let c = Counts {
            total: 4,
            missed: 4,
            ..Counts::default()
        };
        let missed = job(2, JobKind::List, JobState::Running, c);
        assert_eq!(line(&[missed]), "4 reminders missed their time");
    }

    #[test]
    fn pause_everything_toggles_to_resume_everything() {
        let running = Work::of(&[job(1, JobKind::List, JobState::Running, counts(0, 0, 1, 0))]);
        assert_eq!(pause_item(&running, false), ("Pause everything", true));
        assert_eq!(
            pause_item(&Work::default(), false),
            ("Pause everything", false)
        );
        assert_eq!(
            pause_item(&Work::default(), true),
            ("Resume everything", true)
        );
    }
}
