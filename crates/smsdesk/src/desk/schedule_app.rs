//! Sending later as the app's screens show it: Settings › Sending (the clinic's time zone, the
//! sending window, the grace period, with the zones this computer knows), the dates New message
//! prefills, and the Scheduled screen — what is waiting and what was missed, each time said in
//! words on the clinic's clock ("tomorrow at 10:00 GMT"), so no screen formats a time itself
//! (the webview's clock may not be the clinic's).

use jiff::civil::Date;
use serde::Serialize;

use super::schedule::{Scheduled, SchedulingSettings};
use super::Desk;
use crate::bulk::job::Job;
use crate::error::Result;
use crate::phone;
use crate::schedule::ClinicZone;

/// The Settings of sending later, and what the screens need to show times on the clinic's
/// clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SchedulingView {
    #[serde(flatten)]
    pub settings: SchedulingSettings,
    /// The zone every time is read and shown in (the one of Settings, else the computer's).
    pub zone: String,
    /// The computer's own zone, for "This computer's time zone (…)".
    pub computer_zone: String,
    /// Today and tomorrow on the clinic's clock (`YYYY-MM-DD`), for the date pickers.
    pub today: String,
    pub tomorrow: String,
}

/// One waiting send or list on the Scheduled screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduledItem {
    #[serde(flatten)]
    pub job: Job,
    /// When its next row goes, in words on the clinic's clock ("tomorrow at 10:00 GMT").
    pub next_words: Option<String>,
    /// When its earliest missed row was due, in the same words.
    pub missed_words: Option<String>,
    /// A single message's number, grouped as every screen shows numbers.
    pub to_shown: Option<String>,
    /// The time "Change time" starts from, `YYYY-MM-DD HH:MM` on the clinic's clock: the
    /// next time, or for a missed one the same time tomorrow.
    pub change_from: String,
}

/// Everything waiting, missed first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduledList {
    /// The clinic's zone, shown next to the times.
    pub zone: String,
    pub items: Vec<ScheduledItem>,
    /// Rows whose time passed while SMS Desk was not running, in all (the tab's badge).
    pub missed: u64,
}

/// What "Send now" did on the Scheduled screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SentNow {
    /// The messages handed over to be sent.
    pub messages: usize,
    /// Whether they go at once: outside the sending window they wait for its opening.
    pub window_open: bool,
    /// When the window opens next, in words, when it is closed now.
    pub opens_words: Option<String>,
}

impl Desk {
    /// The Settings of sending later, with the zone in use and today's and tomorrow's dates on
    /// the clinic's clock.
    pub async fn scheduling_view(&self) -> Result<SchedulingView> {
        let settings = self.scheduling().await?;
        let zone = settings.zone();
        let today = day_of(&zone, self.now());
        let tomorrow = today.and_then(|d| d.tomorrow().ok());
        Ok(SchedulingView {
            zone: zone.name().to_owned(),
            computer_zone: ClinicZone::system().name().to_owned(),
            today: today.map(|d| d.to_string()).unwrap_or_default(),
            tomorrow: tomorrow.map(|d| d.to_string()).unwrap_or_default(),
            settings,
        })
    }

    /// Saves the Settings of sending later (checked: an unknown zone, a window that ends
    /// before it starts or a grace period out of range is refused in words) and returns them
    /// as the screens show them.
    pub async fn save_scheduling_view(
        &self,
        settings: SchedulingSettings,
    ) -> Result<SchedulingView> {
        self.save_scheduling(settings).await?;
        self.scheduling_view().await
    }

    /// The time zones this computer knows (IANA names, sorted), for the Settings picker.
    pub fn time_zones(&self) -> Vec<String> {
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .map(|name| name.as_str().to_owned())
            .filter(|name| is_place(name))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// One message scheduled from a time typed on the clinic's clock (`YYYY-MM-DD HH:MM`, or
    /// RFC 3339): [`Desk::schedule_message`] after [`Desk::read_time`].
    pub async fn schedule_message_at(
        &self,
        via: super::Via,
        draft: crate::draft::Draft,
        template: Option<crate::templates::TemplateFill>,
        at: &str,
    ) -> Result<Scheduled> {
        let at = self.read_time(at).await?;
        self.schedule_message(via, draft, template, at).await
    }

    /// [`Desk::reschedule`] to a time typed on the clinic's clock.
    pub async fn reschedule_at(&self, id: i64, at: &str) -> Result<Scheduled> {
        let at = self.read_time(at).await?;
        self.reschedule(id, at).await
    }

    /// [`Desk::send_scheduled_now`], saying whether the sending window is open now (else when
    /// it opens).
    pub async fn send_scheduled_now_shown(&self, id: i64) -> Result<SentNow> {
        let messages = self.send_scheduled_now(id).await?;
        let window_open = self.sending_window_open().await?;
        let opens_words = if window_open {
            None
        } else {
            let clinic = self.clinic().await?;
            let opens = clinic.quiet.next_open(clinic.now, &clinic.zone)?;
            Some(when_words(&clinic.zone, opens, clinic.now))
        };
        Ok(SentNow {
            messages,
            window_open,
            opens_words,
        })
    }

    /// Everything waiting (missed first), each time in words on the clinic's clock.
    pub async fn scheduled_list(&self) -> Result<ScheduledList> {
        let jobs = self.scheduled().await?;
        let zone = self.scheduling().await?.zone();
        let country = self.settings().await?.country();
        let now = self.now();
        let missed = jobs.iter().map(|j| j.counts.missed).sum();
        let items = jobs
            .into_iter()
            .map(|job| {
                let next_words = job.next_at.map(|at| when_words(&zone, at, now));
                let missed_words = job.missed_at.map(|at| when_words(&zone, at, now));
                let to_shown = job.to.as_deref().map(|to| {
                    phone::validate(to, country)
                        .international
                        .unwrap_or_else(|| to.to_owned())
                });
                let change_from = change_from(&zone, &job, now);
                ScheduledItem {
                    job,
                    next_words,
                    missed_words,
                    to_shown,
                    change_from,
                }
            })
            .collect();
        Ok(ScheduledList {
            zone: zone.name().to_owned(),
            items,
            missed,
        })
    }
}

/// A zone people live in (`Europe/Dublin`, `UTC`), not a legacy alias or a fixed offset.
fn is_place(name: &str) -> bool {
    const REGIONS: &[&str] = &[
        "Africa/",
        "America/",
        "Antarctica/",
        "Arctic/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    ];
    name == "UTC" || REGIONS.iter().any(|r| name.starts_with(r))
}

/// The date of `ms` on the clinic's clock.
fn day_of(zone: &ClinicZone, ms: i64) -> Option<Date> {
    zone.at(ms).ok().map(|z| z.date())
}

/// `ms` in words on the clinic's clock, from `now`: "today at 10:00 GMT", "tomorrow at 08:00
/// GMT", "yesterday at 10:00 GMT", else "on Wed 2 Dec 2026 at 10:00 GMT".
pub fn when_words(zone: &ClinicZone, ms: i64, now: i64) -> String {
    let (Ok(at), Some(today)) = (zone.at(ms), day_of(zone, now)) else {
        return zone.show(ms);
    };
    let clock = at.strftime("%H:%M %Z");
    let day = at.date();
    if day == today {
        format!("today at {clock}")
    } else if today.tomorrow().ok() == Some(day) {
        format!("tomorrow at {clock}")
    } else if today.yesterday().ok() == Some(day) {
        format!("yesterday at {clock}")
    } else {
        format!("on {} at {clock}", at.strftime("%a %-d %b %Y"))
    }
}

/// Where "Change time" starts: the next time; for a missed one, its time tomorrow.
fn change_from(zone: &ClinicZone, job: &Job, now: i64) -> String {
    let local = |ms: i64| {
        zone.at(ms)
            .map(|z| z.strftime("%Y-%m-%d %H:%M").to_string())
            .ok()
    };
    if job.missed_at.is_none() {
        if let Some(next) = job.next_at.and_then(local) {
            return next;
        }
    }
    let clock = job
        .missed_at
        .or(job.next_at)
        .and_then(|ms| zone.at(ms).ok())
        .map_or_else(|| "10:00".to_owned(), |z| z.strftime("%H:%M").to_string());
    let tomorrow = day_of(zone, now)
        .and_then(|d| d.tomorrow().ok())
        .map(|d| d.to_string())
        .unwrap_or_default();
    format!("{tomorrow} {clock}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> i64 {
        text.parse::<jiff::Timestamp>()
            .expect("timestamp")
            .as_millisecond()
    }

    #[test]
    fn times_are_said_from_today_on_the_clinics_clock() {
        let dublin = ClinicZone::named("Europe/Dublin").expect("zone");
        let now = utc("2026-12-02T12:00:00Z");
        assert_eq!(
            when_words(&dublin, utc("2026-12-02T15:30:00Z"), now),
            "today at 15:30 GMT"
        );
        assert_eq!(
            when_words(&dublin, utc("2026-12-03T10:00:00Z"), now),
            "tomorrow at 10:00 GMT"
        );
        assert_eq!(
            when_words(&dublin, utc("2026-12-01T10:00:00Z"), now),
            "yesterday at 10:00 GMT"
        );
        assert_eq!(
            when_words(&dublin, utc("2026-12-09T10:00:00Z"), now),
            "on Wed 9 Dec 2026 at 10:00 GMT"
        );
        // 23:30 in New York on the 1st is already the 2nd in UTC: the clinic's day counts.
        let ny = ClinicZone::named("America/New_York").expect("zone");
        assert_eq!(
            when_words(
                &ny,
                utc("2026-12-02T04:30:00Z"),
                utc("2026-12-01T20:00:00Z")
            ),
            "today at 23:30 EST"
        );
    }

    #[test]
    fn only_zones_people_live_in_are_offered() {
        assert!(is_place("Europe/Dublin"));
        assert!(is_place("America/Argentina/Buenos_Aires"));
        assert!(is_place("UTC"));
        assert!(!is_place("Etc/GMT+5"));
        assert!(!is_place("EST5EDT"));
        assert!(!is_place("posix/Europe/Dublin"));
    }
}
