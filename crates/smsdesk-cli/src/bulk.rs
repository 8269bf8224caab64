//! `smsdesk bulk`: reminders from a spreadsheet through the desk — every row checked before
//! anything is sent, the job stored, the rows paced through the same send gate as `send`.
//! Progress goes to standard error; `--json` is one line on standard output.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use smsdesk::bulk::columns::column;
use smsdesk::bulk::job::Counts;
use smsdesk::bulk::plan::{Columns, Plan};
use smsdesk::bulk::table::{read_table, ReadOptions, Row, Table};
use smsdesk::bulk::timing::{self, Clinic, When};
use smsdesk::desk::bulk::JobText;
use smsdesk::desk::{Desk, Via};
use smsdesk::phone::Country;
use smsdesk::schedule::Lead;
use smsdesk::states::RowOutcome;
use smsdesk::templates::Compiled;
use smsdesk::worker::Stop;
use smsdesk::Error;

use crate::args::{
    BulkArgs, BulkCommand, BulkListArgs, BulkReportArgs, BulkResumeArgs, BulkSendArgs,
};
use crate::data::{self, Purpose};
use crate::error::{exit, CliError, Result};
use crate::{output, route};

/// The largest file read (a list of 100,000 rows is a few MB).
const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

pub async fn run(args: &BulkArgs) -> Result<u8> {
    match &args.command {
        BulkCommand::Send(args) => send(args).await,
        BulkCommand::Resume(args) => resume(args).await,
        BulkCommand::Report(args) => report(args).await,
        BulkCommand::List(args) => list(args).await,
    }
}

/// The `--json` line of `send` and `resume`: every key present, the eight counts summing to
/// `total`.
#[derive(Serialize)]
struct JsonCounts {
    job_id: Option<i64>,
    total: u64,
    accepted: u64,
    rejected: u64,
    unauthorized: u64,
    not_sent: u64,
    unknown: u64,
    blocked: u64,
    invalid: u64,
    duplicate: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    would_send: Option<u64>,
}

impl JsonCounts {
    /// Rows not tried (a stopped job, or rows waiting for their time or missed) count as not
    /// sent; rows in flight (a job still running, or an outcome that could not be recorded) as
    /// unknown: they may have gone out, and a script must not send them again.
    fn of(job_id: Option<i64>, c: &Counts) -> Self {
        Self {
            job_id,
            total: c.total,
            accepted: c.accepted,
            rejected: c.rejected,
            unauthorized: c.unauthorized,
            not_sent: c.not_sent + c.pending + c.scheduled + c.missed,
            unknown: c.unknown + c.sending,
            blocked: c.blocked,
            invalid: c.invalid,
            duplicate: c.duplicate,
            would_send: None,
        }
    }
}

fn usage(message: String, hint: &str) -> CliError {
    CliError::Invalid {
        message,
        hint: hint.to_owned(),
    }
}

async fn send(args: &BulkSendArgs) -> Result<u8> {
    if !(args.rate.is_finite() && args.rate > 0.0) {
        return Err(usage(
            format!(
                "--rate {} is not a rate: it is segments per second.",
                args.rate
            ),
            "Give a positive number, such as --rate 1 (what a long code number carries).",
        ));
    }
    let region = args.region.as_deref().map(Country::parse).transpose()?;
    let text = JobText {
        body: template_text(args)?,
        ..JobText::default()
    };
    let file_name = smsdesk::files::file_name(&args.file);
    let bytes = smsdesk::files::read_capped(&args.file, MAX_FILE_BYTES)?.ok_or_else(|| {
        usage(
            format!("{file_name} is larger than 50 MB: it is not a list of appointments."),
            "Export only the rows to text (the appointments of one day), then try again. Nothing was sent.",
        )
    })?;
    let table = read_table(&file_name, &bytes, &ReadOptions::default())
        .map_err(|e| Error::BulkFile(e.to_string()))?;
    let template = Compiled::lenient(&text.body).map_err(Error::from)?;
    let columns = columns_of(&table.headers, args, &template)?;
    let later = later_of(args, &table)?;
    let desk = data::open(Purpose::Send, true).await?;
    let mut plan = desk
        .plan_bulk(table, &template, columns, region, false)
        .await?;
    let clinic = match &later {
        Some(later) => Some(later.apply(&desk, &mut plan, region).await?),
        None => None,
    };
    if args.dry_run {
        let counts = plan_counts(&plan);
        let mut line = JsonCounts::of(None, &counts);
        line.would_send = Some(u64::try_from(plan.messages).unwrap_or(u64::MAX));
        say_plan(&plan);
        match &clinic {
            None => print(&line, args.server.json)?,
            Some(clinic) => {
                let first = plan.timing.as_ref().and_then(|t| t.first_at);
                if args.server.json {
                    output::line(json(&JsonDryLater {
                        counts: &line,
                        at: first.map(|ms| clinic.zone.rfc3339(ms)),
                        past: counts.not_sent,
                    })?);
                } else {
                    print(&line, false)?;
                    if let Some(ms) = first {
                        output::line(format_args!(
                            "Would send {} from {}; {} past. Nothing was stored.",
                            plan.messages,
                            clinic.zone.show(ms),
                            counts.not_sent
                        ));
                    }
                }
            }
        }
        return Ok(exit::OK);
    }
    let via = route::via(&desk, &args.server, args.practice).await?;
    if let (Some(clinic), Some(later)) = (clinic, &later) {
        return send_later(&desk, args, via, &text, &plan, &clinic, later.lead()).await;
    }
    let id = desk
        .create_job(&via, &file_name, &text, &plan, args.rate)
        .await?;
    say_plan(&plan);
    output::err(format_args!(
        "Job {id}: sending {} messages ({} segments) at {} segments per second.",
        plan.messages, plan.segments, args.rate
    ));
    let counts = go(&desk, id, via).await?;
    print(&JsonCounts::of(Some(id), &counts), args.server.json)?;
    Ok(exit::OK)
}

/// When a list goes, from `--at` or `--before`: the rule and columns checked before the desk
/// is opened (an unknown column stores nothing).
enum Later {
    At(String),
    Before {
        lead: Lead,
        /// The appointment's date and time cells of each row, as `timing::apply` reads them.
        cells: Table,
    },
}

fn later_of(args: &BulkSendArgs, table: &Table) -> Result<Option<Later>> {
    if let Some(at) = &args.at {
        return Ok(Some(Later::At(at.clone())));
    }
    let (Some(rule), Some(date_column)) = (&args.before, &args.date_column) else {
        return Ok(None);
    };
    let lead = Lead::parse(rule).map_err(Error::from)?;
    let find = |name: &str| {
        column(&table.headers, name).ok_or_else(|| Error::NoSuchColumn(name.to_owned()))
    };
    let date = find(date_column)?;
    let time = args.time_column.as_deref().map(find).transpose()?;
    let cell = |row: &Row, i: usize| row.cells.get(i).cloned().unwrap_or_default();
    let cells = Table {
        headers: Vec::new(),
        rows: table
            .rows
            .iter()
            .map(|row| Row {
                record: row.record,
                cells: vec![
                    cell(row, date),
                    time.map(|t| cell(row, t)).unwrap_or_default(),
                ],
            })
            .collect(),
        encoding: None,
        delimiter: None,
        sheets: Vec::new(),
        sheet: None,
    };
    Ok(Some(Later::Before { lead, cells }))
}

impl Later {
    /// Gives each row its time on the clinic's clock (dates read month first where the
    /// country, `--region` else the app's, writes them so); the clinic's rules used.
    async fn apply(&self, desk: &Desk, plan: &mut Plan, region: Option<Country>) -> Result<Clinic> {
        let mut clinic = desk.clinic().await?;
        if region.is_some() {
            clinic.month_first = Clinic::month_first_in(region);
        }
        let (when, cells) = match self {
            Later::At(text) => (When::At(desk.read_time(text).await?), None),
            Later::Before { lead, cells } => (
                When::Before {
                    lead: *lead,
                    date_column: 0,
                    time_column: Some(1),
                },
                Some(cells),
            ),
        };
        let empty = Table {
            headers: Vec::new(),
            rows: Vec::new(),
            encoding: None,
            delimiter: None,
            sheets: Vec::new(),
            sheet: None,
        };
        timing::apply(plan, cells.unwrap_or(&empty), &when, &clinic, false).map_err(Error::from)?;
        Ok(clinic)
    }

    fn lead(&self) -> Option<&Lead> {
        match self {
            Later::At(_) => None,
            Later::Before { lead, .. } => Some(lead),
        }
    }
}

/// The `--json` line of `bulk send --dry-run --at/--before`: the dry run's, then the first
/// send time and the rows whose time had passed (in `not_sent` too).
#[derive(Serialize)]
struct JsonDryLater<'a> {
    #[serde(flatten)]
    counts: &'a JsonCounts,
    at: Option<String>,
    past: u64,
}

/// The `--json` line of `bulk send --at/--before`: `scheduled_id` and `at` (the contract),
/// then the rows that will go and those left out; the five counts sum to `total`.
#[derive(Serialize)]
struct JsonLater {
    scheduled_id: i64,
    at: String,
    total: u64,
    scheduled: u64,
    invalid: u64,
    duplicate: u64,
    blocked: u64,
    past: u64,
}

/// Stores the job with each row's time and hands it to the worker; nothing is sent now. A
/// list of which no row would go is refused, and nothing is stored.
async fn send_later(
    desk: &Desk,
    args: &BulkSendArgs,
    via: Via,
    text: &JobText,
    plan: &Plan,
    clinic: &Clinic,
    lead: Option<&Lead>,
) -> Result<u8> {
    let file_name = &smsdesk::files::file_name(&args.file);
    let c = plan_counts(plan);
    let first = plan.timing.as_ref().and_then(|t| t.first_at);
    let (Some(first), true) = (first, plan.messages > 0) else {
        say_plan(plan);
        return Err(usage(
            format!(
                "No row of {file_name} would be sent: of its {} rows, {} past (their time had already passed), {} invalid, {} duplicate, {} blocked.",
                c.total, c.not_sent, c.invalid, c.duplicate, c.blocked
            ),
            "Nothing was stored: a job with nothing to send would only wait in the list. Check the date and time columns and the reminder rule (each row's reason is above), or send a list of later appointments.",
        ));
    };
    crate::schedule::check_route(desk, &via).await?;
    let id = desk
        .create_job(&via, file_name, text, plan, args.rate)
        .await?;
    // Handed to the worker: its rows go when their time comes.
    if let Err(e) = desk.resume_job(id).await {
        let _ = desk.cancel_job(id).await;
        return Err(e.into());
    }
    say_plan(plan);
    let later = JsonLater {
        scheduled_id: id,
        at: clinic.zone.rfc3339(first),
        total: c.total,
        scheduled: c.pending,
        invalid: c.invalid,
        duplicate: c.duplicate,
        blocked: c.blocked,
        past: c.not_sent,
    };
    if args.server.json {
        output::line(json(&later)?);
    } else {
        output::line(later_words(desk, plan, clinic, &later, lead, first).await?);
    }
    crate::schedule::warn_key_route(&via, id);
    Ok(exit::OK)
}

/// The one line `bulk send --at/--before` says: how many, when, and what was left out.
async fn later_words(
    desk: &Desk,
    plan: &Plan,
    clinic: &Clinic,
    later: &JsonLater,
    lead: Option<&Lead>,
    first: i64,
) -> Result<String> {
    use crate::schedule::{lead_words, plural, KEEP_RUNNING};
    let n = later.scheduled;
    let last = plan
        .timing
        .as_ref()
        .and_then(|t| t.last_at)
        .filter(|l| *l != first);
    let mut line = match lead {
        Some(lead) => format!(
            "Scheduled {n} {} (job {}): the first goes {}, {}",
            plural(n, "reminder"),
            later.scheduled_id,
            clinic.zone.show(first),
            lead_words(lead)
        ),
        None => format!(
            "Scheduled {n} {} (job {}): {} {}",
            plural(n, "message"),
            later.scheduled_id,
            if n == 1 { "it goes" } else { "they go" },
            clinic.zone.show(first)
        ),
    };
    if let Some(last) = last {
        line.push_str(&format!(" (the last {})", clinic.zone.show(last)));
    }
    line.push('.');
    let moved = plan.timing.as_ref().map_or(0, |t| t.moved_by_quiet_hours);
    if moved > 0 {
        let window = crate::schedule::window_words(&desk.scheduling().await?);
        let moved = u64::try_from(moved).unwrap_or(u64::MAX);
        line.push_str(&format!(
            " Quiet hours moved {} to the next opening of the sending window ({window}).",
            if moved >= n && n > 1 {
                "all of them".to_owned()
            } else if n == 1 {
                "it".to_owned()
            } else {
                format!("{moved} of them")
            }
        ));
    }
    let left_out = later.invalid + later.duplicate + later.blocked;
    if later.past > 0 {
        line.push_str(&format!(
            " {} {} not sent: {} time had already passed.",
            later.past,
            if later.past == 1 {
                "row is"
            } else {
                "rows are"
            },
            if later.past == 1 { "its" } else { "their" }
        ));
    }
    if left_out > 0 {
        line.push_str(&format!(
            " {left_out} {} left out ({} invalid, {} duplicate, {} blocked).",
            if left_out == 1 { "row is" } else { "rows are" },
            later.invalid,
            later.duplicate,
            later.blocked
        ));
    }
    line.push_str(" Nothing was sent now. ");
    line.push_str(KEEP_RUNNING);
    Ok(line)
}

async fn resume(args: &BulkResumeArgs) -> Result<u8> {
    let desk = data::open(Purpose::Send, true).await?;
    let job = desk.job(args.job).await?;
    let via = match job.route.as_str() {
        "practice" => Via::Practice,
        "key" => {
            let server = crate::args::ServerArgs {
                base_url: job.base_url.clone(),
                json: false,
            };
            match route::via(&desk, &server, false).await? {
                via @ Via::Key { .. } => via,
                _ => {
                    return Err(usage(
                        format!("Job {} was sent with OCTOPODS_API_KEY, which is not set now.", job.id),
                        "Set OCTOPODS_API_KEY to the same channel's key and resume again. Nothing was sent.",
                    ))
                }
            }
        }
        // The address given when it started replaces its channel's: only while that channel
        // is still the one the command line sends from.
        "saved_channel" if job.base_url.is_some() => {
            let now = desk
                .settings()
                .await?
                .sending_channel()
                .map(|c| c.id.clone());
            if now.as_deref() != Some(job.channel_id.as_str()) {
                return Err(usage(
                    format!("Job {} was sent on the channel {}, which is no longer the one SMS Desk sends from.", job.id, job.channel_name),
                    "Make it the active channel in SMS Desk again, then resume. Nothing was sent.",
                ));
            }
            Via::SavedChannel {
                base_url: job.base_url.clone(),
            }
        }
        // The channel it was started on, as the worker resumes it (never the channel that
        // happens to be active now: a Practice job is never sent to real numbers).
        _ => Desk::via_of(&job),
    };
    output::err(format_args!(
        "Job {}: {} rows not tried yet.",
        job.id, job.counts.pending
    ));
    let counts = go(&desk, job.id, via).await?;
    print(&JsonCounts::of(Some(job.id), &counts), args.json)?;
    Ok(exit::OK)
}

/// Runs the job until every row has its outcome (Ctrl+C stops new sends; what is in flight
/// is recorded), saying how far it got on standard error.
async fn go(desk: &Desk, id: i64, via: Via) -> Result<Counts> {
    let stop = Stop::new();
    let on_signal = stop.clone();
    let watch = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_signal.stop();
        }
    });
    // At most a line a second, and the last one once.
    let last = std::sync::Mutex::new((Instant::now(), u64::MAX));
    let progress = |c: &Counts| {
        let Ok(mut last) = last.lock() else { return };
        let done = c.total - c.open();
        let due = c.open() == 0 || last.0.elapsed() >= Duration::from_secs(1);
        if !due || done == last.1 {
            return;
        }
        *last = (Instant::now(), done);
        output::err(format_args!(
            "Job {id}: {} of {} done — {} accepted, {} refused, {} not sent, {} unknown.",
            c.total - c.open(),
            c.total,
            c.accepted,
            c.rejected + c.unauthorized,
            c.not_sent,
            c.unknown
        ));
    };
    let counts = desk.run_job(id, via, &stop, &progress).await;
    watch.abort();
    let counts = counts?;
    if counts.unknown > 0 {
        output::err(format_args!(
            "{} messages may or may not have gone out (outcome unknown): check them before sending again (smsdesk bulk report {id} --json).",
            counts.unknown
        ));
    }
    Ok(counts)
}

async fn report(args: &BulkReportArgs) -> Result<u8> {
    let desk = data::open(Purpose::Use, true).await?;
    let rows = desk.job_report(args.job).await?;
    for r in &rows {
        if args.json {
            output::line(json(&serde_json::json!({
                "row": r.row.row,
                // The contract: E.164, or null when the row is invalid.
                "to": r.row.to.as_ref().filter(|_| r.row.outcome != RowOutcome::Invalid),
                "name": r.row.name,
                "outcome": final_word(r.row.outcome),
                "problem": r.row.problem,
                "history_id": r.row.message,
                "message_id": r.message_id,
                "status": r.status,
                // When it goes (or went), for a row sent later; else null.
                "due_at": r.row.due_at.map(output::rfc3339),
            }))?);
        } else {
            output::line(format_args!(
                "{:>5}  {:<16}  {:<12}  {}",
                r.row.row,
                r.row.to.as_deref().unwrap_or("-"),
                match r.row.outcome {
                    // Text says it as it is: waiting for its time, or missed.
                    o @ (RowOutcome::Scheduled | RowOutcome::Missed) => o.as_str(),
                    o => final_word(o),
                },
                r.row
                    .problem
                    .as_deref()
                    .or(r.status.as_deref())
                    .unwrap_or("")
            ));
        }
    }
    Ok(exit::OK)
}

async fn list(args: &BulkListArgs) -> Result<u8> {
    let desk = data::open(Purpose::Use, true).await?;
    for job in desk.jobs().await? {
        let counts = JsonCounts::of(Some(job.id), &job.counts);
        if args.json {
            let mut line = serde_json::to_value(&counts).map_err(crate::error::json_error)?;
            line["created_at"] = output::rfc3339(job.created_at).into();
            line["file"] = job.file_name.clone().into();
            line["state"] = job.state.as_str().into();
            line["channel"] = job.channel_name.clone().into();
            line["rate"] = job.rate.into();
            // Sending later: the rows waiting for their time and those missed (both in
            // `not_sent` too), and whether it is a list or a single message.
            line["kind"] = job.kind.as_str().into();
            line["scheduled"] = job.counts.scheduled.into();
            line["missed"] = job.counts.missed.into();
            output::line(json(&line)?);
        } else {
            output::line(format_args!(
                "{:>4}  {}  {:<10}  {}  {} rows, {} accepted",
                job.id,
                output::rfc3339(job.created_at),
                job.state.as_str(),
                job.file_name,
                counts.total,
                counts.accepted
            ));
        }
    }
    Ok(exit::OK)
}

/// A row's outcome as one of the eight final words: not tried yet (or waiting for its time,
/// or missed) reads `not_sent`, in flight reads `unknown` (it may have gone out).
fn final_word(outcome: RowOutcome) -> &'static str {
    match outcome {
        RowOutcome::Pending | RowOutcome::Scheduled | RowOutcome::Missed => {
            RowOutcome::NotSent.as_str()
        }
        RowOutcome::Sending => RowOutcome::Unknown.as_str(),
        other => other.as_str(),
    }
}

fn template_text(args: &BulkSendArgs) -> Result<String> {
    match (&args.template, &args.template_file) {
        (Some(text), _) => Ok(text.clone()),
        (None, Some(path)) => {
            let bytes = smsdesk::files::read_capped(path, 64 * 1024)?.ok_or_else(|| {
                usage(
                    format!("{} is too large to be a message.", path.display()),
                    "A template file holds the text of one message (at most 1,600 characters).",
                )
            })?;
            String::from_utf8(bytes).map_err(|_| {
                usage(
                    format!("{} is not UTF-8 text.", path.display()),
                    "Save the template as UTF-8 text and try again. Nothing was sent.",
                )
            })
        }
        (None, None) => Err(usage(
            "No template: give --template TEXT or --template-file F.".to_owned(),
            "Nothing was sent.",
        )),
    }
}

/// The phone and name columns and each field's column, by name; an unknown column or a field
/// without one is an input error.
fn columns_of(headers: &[String], args: &BulkSendArgs, template: &Compiled) -> Result<Columns> {
    let find =
        |name: &str| column(headers, name).ok_or_else(|| Error::NoSuchColumn(name.to_owned()));
    let phone = find(&args.phone_column)?;
    let name = args.name_column.as_deref().map(find).transpose()?;
    let mut mapped: BTreeMap<String, String> = BTreeMap::new();
    for pair in &args.map {
        let Some((field, col)) = pair.split_once('=') else {
            return Err(usage(
                format!("--map {pair} is not PLACEHOLDER=COLUMN."),
                "Write it as --map first_name=\"First name\". Nothing was sent.",
            ));
        };
        mapped.insert(field.trim().to_lowercase(), col.trim().to_owned());
    }
    let mut fields = BTreeMap::new();
    for field in template.fields() {
        let given = mapped.get(&field.to_lowercase());
        let col = given.map_or(field, String::as_str);
        let index = column(headers, col).ok_or_else(|| match given {
            Some(col) => Error::NoSuchColumn(col.clone()),
            None => Error::FieldWithoutColumn(field.to_owned()),
        })?;
        fields.insert(field.to_owned(), index);
    }
    Ok(Columns {
        phone,
        name,
        fields,
        constants: BTreeMap::new(),
    })
}

fn plan_counts(plan: &Plan) -> Counts {
    let mut c = Counts {
        total: u64::try_from(plan.rows.len()).unwrap_or(u64::MAX),
        ..Counts::default()
    };
    for row in &plan.rows {
        match row.outcome {
            RowOutcome::Invalid => c.invalid += 1,
            RowOutcome::Duplicate => c.duplicate += 1,
            RowOutcome::Blocked => c.blocked += 1,
            // A time that had already passed (`--before`): stored as not sent.
            RowOutcome::NotSent => c.not_sent += 1,
            _ => c.pending += 1,
        }
    }
    c
}

/// Each row left out, with its reason, on standard error.
fn say_plan(plan: &Plan) {
    for row in plan
        .rows
        .iter()
        .filter(|r| r.outcome != RowOutcome::Pending)
    {
        // With times, a row left out as not sent is one whose time had already passed.
        let word = match row.outcome {
            RowOutcome::NotSent if plan.timing.is_some() => "past",
            other => other.as_str(),
        };
        output::err(format_args!(
            "row {}: {word} — {}",
            row.row,
            row.problem.as_deref().unwrap_or("")
        ));
    }
    for warning in &plan.team_repeats {
        output::err(format_args!("warning: {warning}"));
    }
}

fn print(counts: &JsonCounts, as_json: bool) -> Result<()> {
    if as_json {
        output::line(json(counts)?);
    } else {
        output::line(format_args!(
            "{} rows: {} accepted, {} rejected, {} unauthorized, {} not sent, {} unknown, {} blocked, {} invalid, {} duplicate.",
            counts.total,
            counts.accepted,
            counts.rejected,
            counts.unauthorized,
            counts.not_sent,
            counts.unknown,
            counts.blocked,
            counts.invalid,
            counts.duplicate
        ));
    }
    Ok(())
}

fn json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(crate::error::json_error)
}
