//! Sending later from the command line: `send --at`, `bulk send --at/--before` (their shared
//! checks and words live here), and `smsdesk schedule list | cancel | send-now`. Nothing is
//! sent when something is scheduled: the job is stored and handed to the worker (the app's, or
//! `smsdesk worker`), which sends each row when its time comes.

use serde::Serialize;
use smsdesk::bulk::job::Job;
use smsdesk::desk::schedule::SchedulingSettings;
use smsdesk::desk::{Desk, Via};
use smsdesk::draft::Draft;
use smsdesk::phone::Country;
use smsdesk::schedule::{ClinicZone, Lead};
use smsdesk::states::JobKind;
use smsdesk::Error;

use crate::args::{ScheduleArgs, ScheduleCommand, ScheduleIdArgs, ScheduleListArgs, SendArgs};
use crate::data::{self, Purpose};
use crate::error::{exit, CliError, Result};
use crate::{output, route};

/// What to keep running, said after everything scheduled.
pub const KEEP_RUNNING: &str = "Keep SMS Desk or \"smsdesk worker\" running.";

pub async fn run(args: &ScheduleArgs) -> Result<u8> {
    match &args.command {
        ScheduleCommand::List(args) => list(args).await,
        ScheduleCommand::Cancel(args) => cancel(args).await,
        ScheduleCommand::SendNow(args) => send_now(args).await,
    }
}

/// The `--json` line of `send --at`: exactly these keys.
#[derive(Serialize)]
struct JsonScheduled<'a> {
    scheduled_id: i64,
    at: &'a str,
}

/// `smsdesk send --at TIME`: the message checked and stored now, sent by the worker at its
/// time.
pub async fn send_later(
    desk: &Desk,
    args: &SendArgs,
    draft: Draft,
    region: Option<Country>,
    at: &str,
) -> Result<u8> {
    let at_ms = desk.read_time(at).await?;
    // `--region` reads a number typed without a country code, as `send` does; the desk reads
    // the scheduled message's number with the app's country, so it is given in full here.
    let draft = match region {
        Some(country) => {
            let prepared = draft.prepare(Some(country))?;
            Draft {
                to: prepared.request.destination_phone,
                ..draft
            }
        }
        None => draft,
    };
    let via = route::via(desk, &args.server, args.practice).await?;
    check_route(desk, &via).await?;
    let scheduled = desk
        .schedule_message(via.clone(), draft, None, at_ms)
        .await?;
    if args.server.json {
        output::line(json(&JsonScheduled {
            scheduled_id: scheduled.id,
            at: &scheduled.at_rfc3339,
        })?);
    } else {
        let to = desk
            .job(scheduled.id)
            .await
            .ok()
            .and_then(|j| j.to)
            .unwrap_or_else(|| "the recipient".to_owned());
        let practice = if matches!(via, Via::Practice) {
            "; Practice: nobody will be texted"
        } else {
            ""
        };
        let mut line = format!(
            "Scheduled the message to {to} (job {}{practice}): it goes {}.",
            scheduled.id, scheduled.at_shown
        );
        if scheduled.moved {
            let window = window_words(&desk.scheduling().await?);
            let zone = desk.clinic().await?.zone;
            line.push_str(&format!(
                " {} is outside the sending window ({window}), so it waits for the window's next opening.",
                zone.show(at_ms)
            ));
        }
        output::line(format_args!("{line} Nothing was sent now. {KEEP_RUNNING}"));
    }
    warn_key_route(&via, scheduled.id);
    Ok(exit::OK)
}

/// Refuses what the worker could not send as asked: a live message while the do-not-text list
/// may be incomplete (as `send` refuses it), and a saved channel at another address than its
/// own (the worker sends on the channel as saved, so `--base-url` would be ignored).
pub async fn check_route(desk: &Desk, via: &Via) -> Result<()> {
    if !matches!(via, Via::Practice)
        && desk
            .notices()
            .await
            .iter()
            .any(|n| n.code == smsdesk::desk::notices::OPT_OUTS_INCOMPLETE)
    {
        return Err(Error::OptOutsIncomplete.into());
    }
    if let Via::SavedChannel {
        base_url: Some(url),
    } = via
    {
        let settings = desk.settings().await?;
        let channel = settings.sending_channel().ok_or(Error::NoChannel)?;
        if url.trim_end_matches('/') != channel.address().trim_end_matches('/') {
            return Err(CliError::Invalid {
                message: format!(
                    "A message sent later goes on the channel {} at its own address, {}, not at {url}.",
                    channel.name,
                    channel.address()
                ),
                hint: "Schedule it without --base-url (and without OCTOPODS_BASE_URL), or change the channel's address in SMS Desk first. Nothing was scheduled.".to_owned(),
            });
        }
    }
    Ok(())
}

/// A key given in `OCTOPODS_API_KEY` is never stored: said once, on standard error, after
/// scheduling with one.
pub fn warn_key_route(via: &Via, id: i64) {
    if matches!(via, Via::Key { .. }) {
        output::err(format_args!(
            "note: job {id} was scheduled with OCTOPODS_API_KEY, which SMS Desk never stores: it goes at its time only from \"smsdesk worker\" run with OCTOPODS_API_KEY set (the app cannot send it; without a key the worker holds it, paused, for smsdesk bulk resume {id}). To have the app send it, save the key as a channel in SMS Desk and schedule without OCTOPODS_API_KEY (or cancel it: smsdesk schedule cancel {id})."
        ));
    }
}

/// The sending window in words: "08:00 to 21:00".
pub fn window_words(settings: &SchedulingSettings) -> String {
    let hours = settings.quiet_hours();
    format!(
        "{:02}:{:02} to {:02}:{:02}",
        hours.start().hour(),
        hours.start().minute(),
        hours.end().hour(),
        hours.end().minute()
    )
}

/// A reminder rule said of each appointment: "the day before each appointment at 10:00",
/// "2 hours before each appointment".
pub fn lead_words(lead: &Lead) -> String {
    match *lead {
        Lead::DaysBefore { days, at } => {
            let at = format!("{:02}:{:02}", at.hour(), at.minute());
            match days {
                0 => format!("on the day of each appointment at {at}"),
                1 => format!("the day before each appointment at {at}"),
                n => format!("{n} days before each appointment at {at}"),
            }
        }
        Lead::Before(_) => format!("{} each appointment", lead.describe()),
    }
}

/// The `--json` line of `schedule list`, one per message or list.
#[derive(Serialize)]
struct JsonWaiting<'a> {
    id: i64,
    at: Option<String>,
    to: Option<&'a str>,
    rows: u64,
    missed: u64,
    kind: &'a str,
    channel: &'a str,
    file: Option<&'a str>,
    lead: Option<&'a str>,
}

/// When a waiting job is shown as due: its first missed row's time, else its next row's.
fn due_at(job: &Job) -> Option<i64> {
    if job.counts.missed > 0 {
        job.missed_at.or(job.next_at)
    } else {
        job.next_at
    }
}

async fn list(args: &ScheduleListArgs) -> Result<u8> {
    let desk = data::open(Purpose::Use, true).await?;
    let zone = desk.clinic().await?.zone;
    let waiting = desk.scheduled().await?;
    if args.json {
        for job in &waiting {
            let single = job.kind == JobKind::Single;
            output::line(json(&JsonWaiting {
                id: job.id,
                at: due_at(job).map(|ms| zone.rfc3339(ms)),
                to: job.to.as_deref().filter(|_| single),
                rows: job.counts.scheduled,
                missed: job.counts.missed,
                kind: job.kind.as_str(),
                channel: &job.channel_name,
                file: (!single).then_some(job.file_name.as_str()),
                lead: job.lead.as_deref(),
            })?);
        }
        return Ok(exit::OK);
    }
    if waiting.is_empty() {
        output::line("Nothing is scheduled.");
        return Ok(exit::OK);
    }
    for job in &waiting {
        output::line(text_line(job, &zone));
    }
    Ok(exit::OK)
}

/// One line of `schedule list`: number, when (clinic time), to whom, channel; missed ones say
/// what to do.
fn text_line(job: &Job, zone: &ClinicZone) -> String {
    let when = due_at(job).map_or_else(|| "-".to_owned(), |ms| zone.show(ms));
    let what = match job.kind {
        JobKind::Single => job.to.clone().unwrap_or_else(|| "-".to_owned()),
        JobKind::List => {
            let n = job.counts.scheduled + job.counts.missed;
            let mut what = format!("{n} {} from {}", plural(n, "reminder"), job.file_name);
            if let Some(lead) = &job.lead {
                what.push_str(&format!(" ({lead})"));
            }
            what
        }
    };
    if job.counts.missed == 0 {
        return format!("{:>4}  {when}  {what}  {}", job.id, job.channel_name);
    }
    let mut line = format!(
        "{id:>4}  MISSED {when}  {what}  {} — {} not sent: SMS Desk was not running at {}. Send now: smsdesk schedule send-now {id}, or cancel: smsdesk schedule cancel {id}",
        job.channel_name,
        job.counts.missed,
        if job.counts.missed == 1 { "its time" } else { "their times" },
        id = job.id
    );
    if job.counts.scheduled > 0 {
        line.push_str(&format!(
            " ({} more waiting for their time)",
            job.counts.scheduled
        ));
    }
    line
}

pub fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

async fn cancel(args: &ScheduleIdArgs) -> Result<u8> {
    let desk = data::open(Purpose::Use, true).await?;
    // What it was, for the line that says what was cancelled (read before it is cancelled).
    let before = desk.job(args.id).await.ok();
    desk.cancel_scheduled(args.id).await?;
    let zone = desk.clinic().await?.zone;
    let line = match before {
        Some(job) if job.kind == JobKind::Single => format!(
            "Cancelled job {}: the message to {}{} will not be sent.",
            job.id,
            job.to.as_deref().unwrap_or("the recipient"),
            due_at(&job).map_or_else(String::new, |ms| format!(
                " that was to go {}",
                zone.show(ms)
            ))
        ),
        Some(job) => {
            let n = job.counts.scheduled + job.counts.missed;
            format!(
                "Cancelled job {} ({}): its {n} {} not sent yet will not be sent.",
                job.id,
                job.file_name,
                plural(n, "reminder")
            )
        }
        None => format!("Cancelled job {}: it will not be sent.", args.id),
    };
    output::line(line);
    Ok(exit::OK)
}

async fn send_now(args: &ScheduleIdArgs) -> Result<u8> {
    let desk = data::open(Purpose::Send, true).await?;
    let job = desk.job(args.id).await.ok();
    let n = desk.send_scheduled_now(args.id).await?;
    let n = u64::try_from(n).unwrap_or(u64::MAX);
    let window = window_words(&desk.scheduling().await?);
    output::line(format_args!(
        "Job {}: {n} {} handed over to be sent now (inside the sending window, {window}). {KEEP_RUNNING}",
        args.id,
        plural(n, "message")
    ));
    if job.is_some_and(|j| j.route == "key") {
        output::err(format_args!(
            "note: job {} was scheduled with OCTOPODS_API_KEY, which SMS Desk never stores: it goes from \"smsdesk worker\" run with OCTOPODS_API_KEY set (or: smsdesk bulk resume {}).",
            args.id, args.id
        ));
    }
    Ok(exit::OK)
}

fn json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(crate::error::json_error)
}
