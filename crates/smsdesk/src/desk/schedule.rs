//! Sending later on the desk (issue 10): the clinic's time zone, quiet hours and grace period
//! (Settings), a single message scheduled for a time, what is waiting, and the worker's step
//! that hands due rows over — or lists them as missed when SMS Desk was not running at their
//! time. A scheduled message is a job of one row (kind `single`), so one runner, one pacer and
//! one send gate serve everything.

use serde::{Deserialize, Serialize};

use super::bulk::JobText;
use super::send::Via;
use super::Desk;
use crate::bulk::job::Job;
use crate::bulk::plan::{Plan, PlannedRow};
use crate::bulk::timing::Clinic;
use crate::do_not_text::{DoNotText, LocalList};
use crate::draft::Draft;
use crate::error::{Error, Result};
use crate::events::{Change, ChangeKind};
use crate::schedule::{parse_time, ClinicZone, QuietHours, TimeError};
use crate::segments;
use crate::states::{JobKind, JobState, RowOutcome};
use crate::store::config::keys;
use crate::templates::{Template, TemplateFill};

/// The Settings of sending later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SchedulingSettings {
    /// The clinic's IANA time zone; `None`: the computer's.
    pub time_zone: Option<String>,
    /// The sending window (quiet hours are the rest of the day), on the clinic's clock:
    /// `08:00` to `21:00` by default.
    pub send_from: String,
    pub send_until: String,
    /// How late (minutes) a scheduled message may still go by itself after SMS Desk was not
    /// running at its time; later than that it waits for a person.
    pub grace_minutes: u32,
}

impl Default for SchedulingSettings {
    fn default() -> Self {
        Self {
            time_zone: None,
            send_from: "08:00".to_owned(),
            send_until: "21:00".to_owned(),
            grace_minutes: 15,
        }
    }
}

impl SchedulingSettings {
    /// The zone these settings name (the computer's when none, or one this computer does not
    /// know any more).
    pub fn zone(&self) -> ClinicZone {
        ClinicZone::from_setting(self.time_zone.as_deref())
    }

    /// The sending window; the default one if the saved one cannot be read.
    pub fn quiet_hours(&self) -> QuietHours {
        self.checked_window().unwrap_or_default()
    }

    fn checked_window(&self) -> std::result::Result<QuietHours, TimeError> {
        QuietHours::new(parse_time(&self.send_from)?, parse_time(&self.send_until)?)
    }

    pub fn grace_ms(&self) -> i64 {
        i64::from(self.grace_minutes.clamp(1, 24 * 60)) * 60_000
    }

    /// Refuses what cannot be used, in plain words; the time zone's name as the database
    /// spells it.
    fn checked(mut self) -> Result<Self> {
        if let Some(name) = self.time_zone.as_deref().map(str::trim) {
            self.time_zone = if name.is_empty() {
                None
            } else {
                Some(ClinicZone::named(name)?.name().to_owned())
            };
        }
        let window = self.checked_window()?;
        self.send_from = hh_mm(window.start());
        self.send_until = hh_mm(window.end());
        if !(1..=24 * 60).contains(&self.grace_minutes) {
            return Err(Error::Time(TimeError::Grace));
        }
        Ok(self)
    }
}

fn hh_mm(t: jiff::civil::Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// A message or list put off until its time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scheduled {
    /// The job's number (`smsdesk schedule cancel ID`).
    pub id: i64,
    /// When it goes (ms): the time asked for, or the next opening of the sending window.
    pub at: i64,
    /// The same, as people read it on the clinic's clock ("Wed 2 Dec 2026, 10:00 GMT").
    pub at_shown: String,
    /// The same in RFC 3339 with the clinic's offset.
    pub at_rfc3339: String,
    /// Quiet hours moved it from the time asked for.
    pub moved: bool,
}

impl Desk {
    /// The Settings of sending later (the defaults when none were saved).
    pub async fn scheduling(&self) -> Result<SchedulingSettings> {
        Ok(self
            .with_store(|s| s.config(keys::SCHEDULING))
            .await?
            .unwrap_or_default())
    }

    /// Saves the Settings of sending later, checked; returns them as saved.
    pub async fn save_scheduling(
        &self,
        settings: SchedulingSettings,
    ) -> Result<SchedulingSettings> {
        let settings = settings.checked()?;
        let saved = settings.clone();
        self.with_store(move |s| s.set_config(keys::SCHEDULING, &saved))
            .await?;
        self.tell(Change::of(ChangeKind::Settings));
        Ok(settings)
    }

    /// The clinic's rules for times, now.
    pub async fn clinic(&self) -> Result<Clinic> {
        let scheduling = self.scheduling().await?;
        let country = self.settings().await?.country();
        Ok(Clinic {
            zone: scheduling.zone(),
            quiet: scheduling.quiet_hours(),
            now: self.now(),
            month_first: Clinic::month_first_in(country),
        })
    }

    /// Reads a send time as typed (RFC 3339, or `YYYY-MM-DD HH:MM` on the clinic's clock).
    pub async fn read_time(&self, text: &str) -> Result<i64> {
        let clinic = self.clinic().await?;
        Ok(crate::schedule::parse_at(text, &clinic.zone)?)
    }

    /// The worker's step: rows whose time has come go to their job's runner; rows whose time
    /// passed more than the grace period ago while nothing ran are listed as missed.
    pub async fn release_due(&self) -> Result<usize> {
        let grace = self.scheduling().await?.grace_ms();
        let now = self.now();
        let changed = self.with_store(move |s| s.release_due(now, grace)).await?;
        for id in &changed {
            self.tell(Change::row(ChangeKind::Job, *id));
        }
        Ok(changed.len())
    }

    /// Whether lists and scheduled messages may go out now (inside the sending window).
    pub async fn sending_window_open(&self) -> Result<bool> {
        let scheduling = self.scheduling().await?;
        Ok(scheduling
            .quiet_hours()
            .is_open(self.now(), &scheduling.zone()))
    }

    /// Schedules one message for `at` (ms; moved to the next opening of the sending window
    /// when it falls outside). The draft is checked and the template rendered now, exactly as
    /// a send would, so what goes later is what was shown; a number on the do-not-text list is
    /// refused now (and checked again when it goes). Nothing is sent now.
    pub async fn schedule_message(
        &self,
        via: Via,
        mut draft: Draft,
        template: Option<TemplateFill>,
        at: i64,
    ) -> Result<Scheduled> {
        let clinic = self.clinic().await?;
        if at <= clinic.now {
            return Err(TimeError::InThePast(clinic.zone.show(at)).into());
        }
        let settings = self.settings().await?;
        let mut used: Option<Template> = None;
        if let Some(fill) = &template {
            let (list, business) = self.with_store(super::send::read_library).await?;
            let (saved, body) = fill.render(&list, &business)?;
            draft.body = body;
            used = Some(saved.clone());
        }
        let request = draft.prepare(settings.country())?.request;
        // As for a send now: nothing live is scheduled while the do-not-text list may be
        // incomplete (it is checked again when the message goes).
        let target = self.target(via.clone(), &settings).await?;
        if target.mode == super::channels::Mode::Live
            && self.store().await?.opt_outs_incomplete()?.is_some()
        {
            return Err(Error::OptOutsIncomplete);
        }
        let to = request.destination_phone.clone();
        let listed = {
            let to = to.clone();
            self.with_store(move |s| LocalList.lookup(&s.conn(), &to))
                .await?
        };
        if let Some(entry) = listed {
            return Err(entry.refusal());
        }
        let due = clinic.quiet.next_open(at, &clinic.zone)?;
        let row = PlannedRow {
            row: 1,
            to: Some(to.clone()),
            typed: draft.to.clone(),
            name: request.destination_user_name.clone().unwrap_or_default(),
            body: Some(request.body.clone()),
            segments: segments::count(&request.body).segments,
            outcome: RowOutcome::Pending,
            problem: None,
            foreign: false,
            leading_zero: None,
            due_at: Some(due),
        };
        let plan = Plan {
            messages: 1,
            segments: row.segments,
            rows: vec![row],
            leading_zero: None,
            timing: None,
            team_repeats: Vec::new(),
        };
        let text = JobText {
            body: request.body.clone(),
            template_id: used.as_ref().map(|t| t.id.clone()),
            template_name: used.map(|t| t.name),
        };
        let id = self
            .store_job(&via, &to, &text, &plan, 1.0, JobKind::Single)
            .await?;
        self.with_store(move |s| s.set_job_state(id, JobState::Running))
            .await?;
        self.tell(Change::row(ChangeKind::Job, id));
        Ok(Scheduled {
            id,
            at: due,
            at_shown: clinic.zone.show(due),
            at_rfc3339: clinic.zone.rfc3339(due),
            moved: due != at,
        })
    }

    /// Everything waiting for its time or for a person (missed), soonest first.
    pub async fn scheduled(&self) -> Result<Vec<Job>> {
        let mut waiting: Vec<Job> = self
            .jobs()
            .await?
            .into_iter()
            .filter(|j| j.state != JobState::Cancelled && j.counts.scheduled + j.counts.missed > 0)
            .collect();
        waiting.sort_by_key(|j| (j.missed_at.is_none(), j.missed_at.or(j.next_at), j.id));
        Ok(waiting)
    }

    /// What is waiting in job `id` goes now (waiting and missed rows alike), inside the sending
    /// window; the job is handed to the worker.
    pub async fn send_scheduled_now(&self, id: i64) -> Result<usize> {
        self.waiting_job(id).await?;
        let n = self
            .with_store(move |s| {
                let n = s.send_rows_now(id, &[RowOutcome::Scheduled, RowOutcome::Missed])?;
                s.set_job_state(id, JobState::Running)?;
                Ok(n)
            })
            .await?;
        log::info!("job {id}: {n} waiting rows sent now, by a person");
        self.tell(Change::row(ChangeKind::Job, id));
        Ok(n)
    }

    /// What is waiting in job `id` (waiting and missed rows) goes at `at` instead.
    pub async fn reschedule(&self, id: i64, at: i64) -> Result<Scheduled> {
        self.waiting_job(id).await?;
        let clinic = self.clinic().await?;
        if at <= clinic.now {
            return Err(TimeError::InThePast(clinic.zone.show(at)).into());
        }
        let due = clinic.quiet.next_open(at, &clinic.zone)?;
        self.with_store(move |s| {
            s.reschedule_rows(id, &[RowOutcome::Scheduled, RowOutcome::Missed], due)?;
            s.set_job_state(id, JobState::Running)
        })
        .await?;
        log::info!("job {id} rescheduled by a person");
        self.tell(Change::row(ChangeKind::Job, id));
        Ok(Scheduled {
            id,
            at: due,
            at_shown: clinic.zone.show(due),
            at_rfc3339: clinic.zone.rfc3339(due),
            moved: due != at,
        })
    }

    /// Job `id` with rows still waiting, else [`Error::NotScheduled`].
    async fn waiting_job(&self, id: i64) -> Result<Job> {
        match self.with_store(move |s| s.job(id)).await? {
            Some(job)
                if job.state != JobState::Cancelled
                    && job.counts.scheduled + job.counts.missed > 0 =>
            {
                Ok(job)
            }
            _ => Err(Error::NotScheduled(id)),
        }
    }

    /// Cancels job `id` if anything in it still waits ([`Error::NotScheduled`] otherwise): it
    /// never goes.
    pub async fn cancel_scheduled(&self, id: i64) -> Result<()> {
        self.waiting_job(id).await?;
        self.cancel_job(id).await
    }
}
