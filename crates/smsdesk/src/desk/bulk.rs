//! Bulk jobs on the desk: check and render every row (the preview, and a dry run), store the
//! job with all its rows before the first request, and send its rows paced through the one
//! send gate — the do-not-text check and the history row before each request, the outcome
//! recorded on the row. Unknown outcomes are never resent; a job is resumed with the rows not
//! tried yet.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::stream::{FuturesUnordered, StreamExt};

use super::channels::Mode;
use super::send::{Target, Via};
use super::Desk;
use crate::bulk::job::{Counts, Job, NewJob, ReportRow, StoredRow};
use crate::bulk::pace::Pacer;
use crate::bulk::plan::{self, Columns, Plan, PlanOptions};
use crate::bulk::table::Table;
use crate::channels::Workspace;
use crate::do_not_text::{DoNotText, LocalList};
use crate::draft::Draft;
use crate::error::{Error, Result};
use crate::events::{Change, ChangeKind};
use crate::history::{JobRow, NewMessage};
use crate::outbox::{self, Pace, RetryPolicy, Route};
use crate::phone::Country;
use crate::states::{JobKind, JobState, Outcome, RowOutcome};
use crate::stop::Stop;
use crate::templates::Compiled;
use crate::time::{Clock, Pause, Sleeper};

/// What a job's text is: a saved template (its id and name kept) or text given as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobText {
    pub body: String,
    pub template_id: Option<String>,
    pub template_name: Option<String>,
}

/// How long a server is assumed to take to answer, for the number of requests in flight.
const ASSUMED_LATENCY_MS: i64 = 1_000;
/// Why a job is paused after its sender stopped without finishing (SMS Desk closed, a crash).
const INTERRUPTED: &str =
    "SMS Desk stopped while this job was being sent. Messages that were being sent read \"outcome unknown\"; resume to send the rest.";
/// Why the rows left are not sent after Octopods refused the key.
const KEY_REFUSED: &str =
    "Not sent: Octopods refused the channel's key on an earlier row, so the job stopped.";

impl Desk {
    /// Checks and renders every row of `table` with `template` (nothing is stored or sent):
    /// the command line's `--dry-run` and its jobs. Every template field must have a column.
    /// `keep_duplicates` sends every row of a number that appears twice.
    pub async fn plan_bulk(
        &self,
        table: Table,
        template: &Compiled,
        columns: Columns,
        region: Option<Country>,
        keep_duplicates: bool,
    ) -> Result<Plan> {
        let options = PlanOptions {
            keep_duplicates,
            send_repeats: true,
            ..PlanOptions::default()
        };
        self.plan_bulk_with(table, template, columns, region, options)
            .await
    }

    /// [`Desk::plan_bulk`] with the person's choices of the preview (`options`: keep both
    /// duplicates, read the numbers Excel dropped the leading 0 of with it): the app's preview
    /// and start.
    pub async fn plan_bulk_with(
        &self,
        table: Table,
        template: &Compiled,
        columns: Columns,
        region: Option<Country>,
        options: PlanOptions,
    ) -> Result<Plan> {
        let template = template.clone();
        if let Some(field) = template
            .fields()
            .into_iter()
            .find(|f| !columns.fields.contains_key(*f) && !columns.constants.contains_key(*f))
        {
            return Err(Error::FieldWithoutColumn(field.to_owned()));
        }
        let country = match region {
            Some(country) => Some(country),
            None => self.settings().await?.country(),
        };
        // In a team: the other desks' opt-outs and sends first (bounded; offline, the last copy).
        self.refresh_team_list().await;
        let since = self.now() - REPEAT_WINDOW_MS;
        self.with_store(move |store| {
            let theirs = store.team_sends_since(since)?;
            let conn = store.conn();
            let blocked = |e164: &str| LocalList.lookup(&conn, e164).ok().flatten();
            let mut plan = plan::plan_with(&table, &template, &columns, country, options, &blocked);
            if !options.send_repeats {
                leave_out_repeats(&mut plan, &recent_sends(&conn, since)?);
            }
            mark_team_repeats(&mut plan, &theirs, options.send_repeats);
            Ok(plan)
        })
        .await
    }

    /// Stores the job and all its rows (in one transaction) before anything is sent, on the
    /// channel `via` resolves to; returns its id. Rows the plan gave a time wait for it.
    pub async fn create_job(
        &self,
        via: &Via,
        file_name: &str,
        text: &JobText,
        plan: &Plan,
        rate: f64,
    ) -> Result<i64> {
        self.store_job(via, file_name, text, plan, rate, JobKind::List)
            .await
    }

    /// [`Desk::create_job`] for a list or a single message sent later.
    pub(super) async fn store_job(
        &self,
        via: &Via,
        file_name: &str,
        text: &JobText,
        plan: &Plan,
        rate: f64,
        kind: JobKind,
    ) -> Result<i64> {
        let settings = self.settings().await?;
        let target = self.target(via.clone(), &settings).await?;
        if target.mode == Mode::Live && kind == JobKind::List {
            // A list goes to many numbers: not on a team list older than the limit, unless
            // the person confirmed it.
            self.check_team_list_fresh().await?;
        }
        let job = NewJob {
            file_name: file_name.to_owned(),
            template: text.body.clone(),
            template_id: text.template_id.clone(),
            template_name: text.template_name.clone(),
            route: route_word(via).to_owned(),
            base_url: match via {
                Via::SavedChannel { base_url } => base_url.clone(),
                Via::Key { base_url, .. } => Some(base_url.clone()),
                _ => None,
            },
            channel_id: target.channel_id,
            channel_name: target.channel_name,
            rate,
            kind,
            lead: plan
                .timing
                .as_ref()
                .and_then(|t| t.lead.as_ref().map(|l| l.describe())),
        };
        let (channel, rows) = (job.channel_id.clone(), plan.rows.clone());
        let id = self.with_store(move |s| s.create_job(&job, &rows)).await?;
        log::info!(
            "job {id} created ({kind}, channel {channel}): {} rows, {} to send",
            plan.rows.len(),
            plan.messages
        );
        self.tell(Change::row(ChangeKind::Job, id));
        Ok(id)
    }

    /// Sends the job's rows not tried yet, paced at its rate, until all have an outcome or
    /// `stop`; rows another runner left in flight read `unknown` first and are never resent.
    /// `progress` is told the counts after each row. A refused key (401) stops the job: the
    /// rows left read `not_sent`. Returns the counts at the end.
    pub async fn run_job(
        &self,
        id: i64,
        via: Via,
        stop: &Stop,
        progress: &(dyn Fn(&Counts) + Sync),
    ) -> Result<Counts> {
        self.run_job_with(id, via, stop, progress, false).await
    }

    /// [`Desk::run_job`] as the worker runs it: inside the sending window only (Settings >
    /// Sending): at its end no new row starts, and the rows left wait for the next morning.
    /// (A job sent from the command line goes at once, as `smsdesk send` does.)
    pub async fn run_job_in_window(
        &self,
        id: i64,
        via: Via,
        stop: &Stop,
        progress: &(dyn Fn(&Counts) + Sync),
    ) -> Result<Counts> {
        self.run_job_with(id, via, stop, progress, true).await
    }

    async fn run_job_with(
        &self,
        id: i64,
        via: Via,
        stop: &Stop,
        progress: &(dyn Fn(&Counts) + Sync),
        in_window: bool,
    ) -> Result<Counts> {
        let store = self.store().await?;
        let job = self.job(id).await?;
        let settings = self.settings().await?;
        let target = self.target(via, &settings).await?;
        if target.mode == Mode::Live && store.opt_outs_incomplete()?.is_some() {
            return Err(Error::OptOutsIncomplete);
        }
        if target.mode == Mode::Live {
            // In a team: the other desks' opt-outs first (bounded; offline, the last copy).
            self.refresh_team_list().await;
        }
        self.with_store(move |s| s.claim_job(id)).await?;
        let pending: VecDeque<StoredRow> = self
            .with_store(move |s| s.pending_rows(id, u32::MAX))
            .await?
            .into();
        log::info!(
            "job {id} started on channel {}: {} rows to send now",
            target.channel_id,
            pending.len()
        );
        let pacer = Mutex::new(Pacer::new(job.rate));
        let in_flight = pacer
            .lock()
            .map(|p| p.in_flight(ASSUMED_LATENCY_MS))
            .unwrap_or(2);
        let window = if in_window {
            let scheduling = self.scheduling().await?;
            Some((scheduling.zone(), scheduling.quiet_hours()))
        } else {
            None
        };
        let sending = Sending {
            desk: self,
            target: &target,
            job: &job,
            pacer: &pacer,
            list: Arc::new(LocalList),
            hold: AtomicBool::new(false),
            window,
        };
        let counts = match sending.all(pending, in_flight, stop, progress).await {
            Ok(counts) => counts,
            Err(error) => {
                // Let go of the job, paused with the reason, and say what went wrong.
                log::error!(
                    "job {id} paused: {}",
                    crate::error::UserError::from(&error).code
                );
                let why = error.to_string();
                let _ = self
                    .with_store(move |s| s.release_job(id, JobState::Paused, Some(&why)))
                    .await;
                self.tell(Change::row(ChangeKind::Job, id));
                return Err(error);
            }
        };
        let now = self.with_store(move |s| s.job_state(id)).await?;
        let state = match now {
            Some(JobState::Cancelled) => JobState::Cancelled,
            _ if counts.open() == 0 => JobState::Done,
            Some(JobState::Paused) => JobState::Paused,
            // Nothing left to send now, only rows waiting for their time (or for a person):
            // the worker keeps it, whether or not SMS Desk is closing.
            _ if counts.going() == 0 => JobState::Running,
            // Resumed while this run was finishing after a pause, or stopped at the end of
            // the sending window: the worker goes on with it.
            Some(JobState::Running) if !stop.is_stopped() => JobState::Running,
            _ => JobState::Paused,
        };
        let problem = (counts.unauthorized > 0 && state == JobState::Done).then_some(KEY_REFUSED);
        self.with_store(move |s| s.release_job(id, state, problem))
            .await?;
        log_run_end(id, state, &counts, problem.is_some());
        self.tell(Change::row(ChangeKind::Job, id));
        Ok(counts)
    }

    /// A job with its counts.
    pub async fn job(&self, id: i64) -> Result<Job> {
        self.with_store(move |s| s.job(id))
            .await?
            .ok_or(Error::JobNotFound(id))
    }

    /// The jobs handed to the worker and not being sent by anyone: started from the app, or
    /// resumed. A job whose runner died is not restarted by itself: it is set to paused, and
    /// offered for resumption.
    pub async fn jobs_to_run(&self) -> Result<Vec<Job>> {
        let jobs = self.jobs().await?;
        let open = self.sending_window_open().await?;
        let mut ready = Vec::new();
        for job in jobs.into_iter().filter(|j| j.state == JobState::Running) {
            let id = job.id;
            match self.with_store(move |s| s.job_runner(id)).await? {
                // Rows to send, inside the sending window; a job whose rows all wait for
                // their time is left for `release_due`.
                None if open && job.counts.going() > 0 => ready.push(job),
                None => {}
                Some(runner) if runner.alive => {}
                Some(_) => {
                    log::warn!("job {id} paused: its sender stopped without finishing");
                    self.with_store(move |s| {
                        s.release_job(id, JobState::Paused, Some(INTERRUPTED))
                    })
                    .await?;
                    self.tell(Change::row(ChangeKind::Job, id));
                }
            }
        }
        Ok(ready)
    }

    /// A job the worker could not start (no key, the channel removed, the do-not-text list
    /// incomplete): paused, saying why, rather than tried again every second.
    pub async fn hold_job(&self, id: i64, why: &str) -> Result<()> {
        let why = why.to_owned();
        self.with_store(move |s| s.release_job(id, JobState::Paused, Some(&why)))
            .await?;
        self.tell(Change::row(ChangeKind::Job, id));
        Ok(())
    }

    /// The channel a job was started on, to send the rest of it on.
    pub fn via_of(job: &Job) -> Via {
        Via::Channel {
            id: job.channel_id.clone(),
        }
    }

    /// Where the worker sends a job: on its channel; a job made with a command-line key (never
    /// stored) with `key`, the worker's own (`smsdesk worker` with `OCTOPODS_API_KEY`), at the
    /// job's address — without one, [`Error::KeyJobWithoutKey`].
    pub fn worker_via(job: &Job, key: Option<&octopods::ApiKey>) -> Result<Via> {
        if job.route != KEY_ROUTE {
            return Ok(Self::via_of(job));
        }
        match (key, &job.base_url) {
            (Some(key), Some(base_url)) => Ok(Via::Key {
                key: key.clone(),
                base_url: base_url.clone(),
            }),
            _ => Err(Error::KeyJobWithoutKey(job.id)),
        }
    }

    /// Every job, newest first.
    pub async fn jobs(&self) -> Result<Vec<Job>> {
        self.with_store(|s| s.jobs()).await
    }

    /// Every row of a job, in file order, with its outcome and what became of its message.
    pub async fn job_report(&self, id: i64) -> Result<Vec<ReportRow>> {
        self.job(id).await?;
        self.with_store(move |s| s.job_report(id)).await
    }
}

/// One line when a run of a job ends: how it stands, and its counts.
fn log_run_end(id: i64, state: JobState, counts: &Counts, key_refused: bool) {
    let summary = format!(
        "{} accepted, {} rejected, {} unauthorized, {} not_sent, {} unknown, {} blocked, \
         {} invalid, {} duplicate; {} waiting",
        counts.accepted,
        counts.rejected,
        counts.unauthorized,
        counts.not_sent,
        counts.unknown,
        counts.blocked,
        counts.invalid,
        counts.duplicate,
        counts.open()
    );
    let how = match state {
        JobState::Done if key_refused => "finished (the key was refused: unauthorized)",
        JobState::Done => "finished",
        JobState::Paused => "paused",
        JobState::Cancelled => "cancelled",
        JobState::Running => {
            "stopped sending for now (rows wait for their time or the sending window)"
        }
        JobState::Ready => "ready",
    };
    log::info!("job {id} {how}: {summary}");
}

/// How far back a list's row counts as already sent when the same message went to the same
/// number (the same list opened twice in a day).
const REPEAT_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// The messages that went out, or may have (accepted, unknown, being sent), since `since`: by
/// number and text, when.
fn recent_sends(
    conn: &rusqlite::Connection,
    since: i64,
) -> Result<std::collections::HashMap<(String, String), i64>> {
    let mut stmt = conn.prepare(
        "SELECT to_number, body, MAX(created_at) FROM messages
         WHERE created_at >= ?1 AND outcome IN (?2, ?3, ?4) GROUP BY to_number, body",
    )?;
    let rows = stmt.query_map(
        rusqlite::params![since, Outcome::Accepted, Outcome::Unknown, Outcome::Sending],
        |row| Ok(((row.get(0)?, row.get(1)?), row.get(2)?)),
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Rows whose exact message already went to their number lately are left out as duplicates,
/// saying when, so a list opened twice is not sent twice.
fn leave_out_repeats(plan: &mut Plan, sent: &std::collections::HashMap<(String, String), i64>) {
    if sent.is_empty() {
        return;
    }
    for row in plan
        .rows
        .iter_mut()
        .filter(|r| r.outcome == RowOutcome::Pending)
    {
        let (Some(to), Some(body)) = (&row.to, &row.body) else {
            continue;
        };
        if let Some(at) = sent.get(&(to.clone(), body.clone())) {
            row.outcome = RowOutcome::Duplicate;
            row.problem = Some(format!(
                "This exact message already went to this number at {}: left out so that it is not sent twice.",
                crate::time::local_time(*at)
            ));
        }
    }
    recount(plan);
}

/// The plan's totals, after rows were left out.
fn recount(plan: &mut Plan) {
    let going = plan
        .rows
        .iter()
        .filter(|r| r.outcome == RowOutcome::Pending);
    let (messages, segments) = going.fold((0, 0), |(m, s), r| (m + 1, s + r.segments));
    plan.messages = messages;
    plan.segments = segments;
}

/// Rows whose exact message another desk of the team sent to their number within the
/// repeat window (a double reminder across desks): left out, saying which desk and when; or,
/// when repeats are sent (the command line), kept with a warning each.
fn mark_team_repeats(
    plan: &mut Plan,
    theirs: &std::collections::HashMap<(String, String), (String, i64)>,
    send_repeats: bool,
) {
    if theirs.is_empty() {
        return;
    }
    for row in plan
        .rows
        .iter_mut()
        .filter(|r| r.outcome == RowOutcome::Pending)
    {
        let (Some(to), Some(body)) = (&row.to, &row.body) else {
            continue;
        };
        let Some((desk, at)) = theirs.get(&(to.clone(), crate::team::sends::body_hash(body)))
        else {
            continue;
        };
        let when = crate::time::local_time(*at);
        if send_repeats {
            plan.team_repeats.push(format!(
                "row {}: \"{desk}\" already sent this exact message to {to} at {when}; it is sent again, as the file asks.",
                row.row
            ));
        } else {
            row.outcome = RowOutcome::Duplicate;
            row.problem = Some(format!(
                "\"{desk}\" already sent this exact message to this number at {when}: left out so that the patient does not get it twice."
            ));
        }
    }
    recount(plan);
}

/// The route word of a job made with a command-line key.
const KEY_ROUTE: &str = "key";

/// The word a job keeps for how it is sent.
fn route_word(via: &Via) -> &'static str {
    match via {
        Via::Active => "active",
        Via::Practice => "practice",
        Via::SavedChannel { .. } => "saved_channel",
        Via::Key { .. } => KEY_ROUTE,
        Via::Channel { .. } => "channel",
    }
}

/// One job's sending.
struct Sending<'a> {
    desk: &'a Desk,
    target: &'a Target,
    job: &'a Job,
    pacer: &'a Mutex<Pacer>,
    list: Arc<dyn DoNotText>,
    /// Set when no new row may start (a refused key, a pause or cancel, a failing store, the
    /// end of the sending window).
    hold: AtomicBool,
    /// The clinic's zone and sending window, when rows may go only inside it.
    window: Option<(crate::schedule::ClinicZone, crate::schedule::QuietHours)>,
}

impl Sending<'_> {
    /// Keeps up to `in_flight` rows going until none are left, `stop`, a refused key, a
    /// pause or cancel, or a store that fails (then the error, once what is in flight is done).
    async fn all(
        &self,
        mut pending: VecDeque<StoredRow>,
        in_flight: usize,
        stop: &Stop,
        progress: &(dyn Fn(&Counts) + Sync),
    ) -> Result<Counts> {
        let mut going = FuturesUnordered::new();
        let mut key_refused = false;
        let mut failed: Option<Error> = None;
        let id = self.job.id;
        loop {
            while going.len() < in_flight && !self.holding(stop) {
                let Some(row) = pending.pop_front() else {
                    break;
                };
                going.push(self.one(row, stop));
            }
            let Some(done) = going.next().await else {
                break;
            };
            match done {
                Ok(Some(Outcome::Unauthorized)) => {
                    key_refused = true;
                    self.hold.store(true, Ordering::SeqCst);
                }
                Ok(_) => {}
                Err(error) => {
                    // The store failed: no new rows; what is in flight finishes.
                    self.hold.store(true, Ordering::SeqCst);
                    failed.get_or_insert(error);
                }
            }
            let read = self
                .desk
                .with_store(move |s| Ok((s.job_counts(id)?, s.job_state(id)?)))
                .await;
            if let Ok((counts, state)) = read {
                // Paused or cancelled from another screen or process: no new rows.
                if matches!(state, Some(JobState::Paused | JobState::Cancelled)) {
                    self.hold.store(true, Ordering::SeqCst);
                }
                progress(&counts);
                self.desk.tell(Change::row(ChangeKind::Job, id));
            }
        }
        if let Some(error) = failed {
            return Err(error);
        }
        if key_refused {
            self.desk
                .with_store(move |s| s.close_pending(id, KEY_REFUSED))
                .await?;
        }
        self.desk.with_store(move |s| s.job_counts(id)).await
    }

    /// Whether no new row may start now.
    fn holding(&self, stop: &Stop) -> bool {
        stop.is_stopped() || self.hold.load(Ordering::SeqCst)
    }

    /// Sends one row through the send gate once its turn at the job's rate has come (the row
    /// is marked in flight only then, just before its request); its outcome, or `None` when
    /// it was blocked, could not be sent, or the job stopped while it waited.
    async fn one(&self, row: StoredRow, stop: &Stop) -> Result<Option<Outcome>> {
        let (Some(to), Some(body)) = (row.to.clone(), row.body.clone()) else {
            return Ok(None);
        };
        let pace = RowPace {
            pacer: self.pacer,
            segments: row.segments,
            clock: self.desk.clock(),
            sleeper: self.desk.sleeper(),
        };
        pace.wait().await;
        // Its turn has come: not if the job was paused or cancelled meanwhile (from another
        // screen or process), nor once a key was refused.
        let job = self.job.id;
        let state = self.desk.with_store(move |s| s.job_state(job)).await?;
        if matches!(state, Some(JobState::Paused | JobState::Cancelled)) {
            self.hold.store(true, Ordering::SeqCst);
        }
        if let Some((zone, quiet)) = &self.window {
            if !quiet.is_open(self.desk.now(), zone) {
                // Quiet hours: this row and the rest wait (pending) for the next morning.
                self.hold.store(true, Ordering::SeqCst);
            }
        }
        if self.holding(stop) {
            return Ok(None);
        }
        let draft = Draft {
            to: to.clone(),
            body: body.clone(),
            name: row.name.clone(),
            ..Draft::default()
        };
        let request = match draft.prepare(None) {
            Ok(prepared) => prepared.request,
            Err(refused) => {
                // This row cannot be sent as it is; the others go on.
                let (job, why) = (self.job.id, refused.to_string());
                self.desk
                    .with_store(move |s| s.close_row(job, row.row, &why))
                    .await?;
                return Ok(None);
            }
        };
        let hubspot = self.target.workspace == Workspace::Hubspot;
        let message = NewMessage {
            to,
            name: row.name.clone(),
            body,
            channel_id: self.target.channel_id.clone(),
            channel_name: self.target.channel_name.clone(),
            practice: self.target.mode == Mode::Practice,
            workspace: self.target.workspace,
            teammate_id: None,
            teammate_name: None,
            template_id: None,
            template_name: self.job.template_name.clone(),
            open_conversation: false,
            job: Some(JobRow {
                job: self.job.id,
                row: row.row,
            }),
        };
        let route = Route {
            client: &self.target.client,
            retry: &RetryPolicy::BULK,
            sleeper: self.desk.sleeper(),
            list: Arc::clone(&self.list),
            trackable: !hubspot,
            first_poll: self.desk.poll_policy().first,
            begun: &|id| self.desk.tell(Change::row(ChangeKind::History, id)),
            pace: Some(&pace),
        };
        let store = self.desk.store().await?;
        match outbox::send_recorded(&store, route, &request, message, true).await {
            Ok((report, id)) => {
                self.desk.tell(Change::row(ChangeKind::History, id));
                Ok(Some(report.outcome))
            }
            Err(Error::OptedOut { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

/// Waits for a row's turn at the job's rate, on the desk's clock and sleeper.
struct RowPace<'a> {
    pacer: &'a Mutex<Pacer>,
    segments: u32,
    clock: &'a dyn Clock,
    sleeper: &'a dyn Sleeper,
}

impl Pace for RowPace<'_> {
    fn wait(&self) -> Pause<'_> {
        let now = self.clock.now_ms();
        let at = self
            .pacer
            .lock()
            .map(|mut p| p.reserve(now, self.segments))
            .unwrap_or(now);
        let wait = Duration::from_millis(u64::try_from(at.saturating_sub(now)).unwrap_or(0));
        Box::pin(async move {
            if !wait.is_zero() {
                self.sleeper.sleep(wait).await;
            }
        })
    }
}
