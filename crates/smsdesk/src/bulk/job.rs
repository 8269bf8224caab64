//! Bulk jobs in the store: the job and every row are written in one transaction before the
//! first request; a row then follows the message it became (see `history.rs`). A job is run by
//! one process at a time: the runner stamps its sender token on the job, and a token whose
//! process is gone is taken over (rows it left in flight read `unknown`, never resent).

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::plan::PlannedRow;
use crate::error::{Error, Result};
use crate::states::{JobKind, JobState, RowOutcome};
use crate::store::{owner, Store};

/// What a job is made of, besides its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    pub file_name: String,
    /// The template's text, as sent.
    pub template: String,
    pub template_id: Option<String>,
    pub template_name: Option<String>,
    /// How it is sent: `active`, `practice`, `saved_channel` or `key` (a key is never stored:
    /// a job sent with one is resumed with the key given again).
    pub route: String,
    /// An address that replaces the channel's, if any.
    pub base_url: Option<String>,
    pub channel_id: String,
    pub channel_name: String,
    /// Segments per second.
    pub rate: f64,
    pub kind: JobKind,
    /// The reminder rule in words ("the day before at 10:00"), for a list sent relative to
    /// its appointments.
    pub lead: Option<String>,
}

/// A stored job.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub file_name: String,
    pub template: String,
    pub template_name: Option<String>,
    pub route: String,
    pub base_url: Option<String>,
    pub channel_id: String,
    pub channel_name: String,
    pub rate: f64,
    pub state: JobState,
    /// Why it stopped by itself, when it did (a key refused, a channel removed...).
    pub problem: Option<String>,
    pub counts: Counts,
    pub kind: JobKind,
    /// The reminder rule in words, for a list sent relative to its appointments.
    pub lead: Option<String>,
    /// When its next waiting row is due (ms), while any waits for its time.
    pub next_at: Option<i64>,
    /// When its earliest missed row was due (ms), while any waits for a person.
    pub missed_at: Option<i64>,
    /// The number of a single message (kind `single`), for the Scheduled screen.
    pub to: Option<String>,
}

/// How many rows of a job stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub total: u64,
    pub pending: u64,
    pub scheduled: u64,
    pub missed: u64,
    pub sending: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub unauthorized: u64,
    pub not_sent: u64,
    pub unknown: u64,
    pub blocked: u64,
    pub invalid: u64,
    pub duplicate: u64,
}

impl Counts {
    fn add(&mut self, outcome: RowOutcome, n: u64) {
        self.total += n;
        let slot = match outcome {
            RowOutcome::Pending => &mut self.pending,
            RowOutcome::Scheduled => &mut self.scheduled,
            RowOutcome::Missed => &mut self.missed,
            RowOutcome::Sending => &mut self.sending,
            RowOutcome::Accepted => &mut self.accepted,
            RowOutcome::Rejected => &mut self.rejected,
            RowOutcome::Unauthorized => &mut self.unauthorized,
            RowOutcome::NotSent => &mut self.not_sent,
            RowOutcome::Unknown => &mut self.unknown,
            RowOutcome::Blocked => &mut self.blocked,
            RowOutcome::Invalid => &mut self.invalid,
            RowOutcome::Duplicate => &mut self.duplicate,
        };
        *slot += n;
    }

    /// Rows without their final outcome: to send, in flight, waiting for their time or for
    /// a person.
    pub fn open(&self) -> u64 {
        self.pending + self.sending + self.scheduled + self.missed
    }

    /// Rows to send now or in flight.
    pub fn going(&self) -> u64 {
        self.pending + self.sending
    }
}

/// The process running a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runner {
    pub token: String,
    /// Still running (its sender lock is held).
    pub alive: bool,
}

/// A row of a job as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredRow {
    pub row: i64,
    pub to: Option<String>,
    pub name: String,
    pub body: Option<String>,
    pub segments: u32,
    pub outcome: RowOutcome,
    pub problem: Option<String>,
    /// The history message it became.
    pub message: Option<i64>,
    /// When it goes or went (ms), when it was scheduled.
    pub due_at: Option<i64>,
}

/// A row of a finished (or stopped) job, with what became of its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportRow {
    #[serde(flatten)]
    pub row: StoredRow,
    /// Octopods' message id, when it gave one.
    pub message_id: Option<String>,
    /// The delivery status, when one came.
    pub status: Option<String>,
}

/// Why a row waits for a person instead of going.
pub const MISSED: &str =
    "It was due while SMS Desk was not running (the computer was off or asleep), so it was not sent late by itself.";

fn stored_row(row: &Row<'_>) -> rusqlite::Result<StoredRow> {
    Ok(StoredRow {
        row: row.get("row")?,
        to: row.get("to_number")?,
        name: row.get("name")?,
        body: row.get("body")?,
        segments: row.get("segments")?,
        outcome: row.get("outcome")?,
        problem: row.get("problem")?,
        message: row.get("message")?,
        due_at: row.get("due_at")?,
    })
}

const ROW_COLUMNS: &str = "row, to_number, name, body, segments, outcome, problem, message, due_at";
const JOB_COLUMNS: &str = "id, created_at, updated_at, file_name, template, template_name, \
    route, base_url, channel_id, channel_name, rate, state, problem, kind, lead";

impl Store {
    /// Stores a job and all its rows, in one transaction; returns its id.
    pub fn create_job(&self, job: &NewJob, rows: &[PlannedRow]) -> Result<i64> {
        let now = self.now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO jobs (created_at, updated_at, file_name, template, template_id,
                    template_name, route, base_url, channel_id, channel_name, rate, state, kind,
                    lead)
                 VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    now,
                    job.file_name,
                    job.template,
                    job.template_id,
                    job.template_name,
                    job.route,
                    job.base_url,
                    job.channel_id,
                    job.channel_name,
                    job.rate,
                    JobState::Ready,
                    job.kind,
                    job.lead,
                ],
            )?;
            let id = tx.last_insert_rowid();
            let mut insert = tx.prepare(
                "INSERT INTO job_rows (job, row, to_number, name, body, segments, outcome,
                    problem, due_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for r in rows {
                // A row to send that has a time waits for it.
                let outcome = match (r.outcome, r.due_at) {
                    (RowOutcome::Pending, Some(_)) => RowOutcome::Scheduled,
                    (outcome, _) => outcome,
                };
                insert.execute(params![
                    id,
                    i64::try_from(r.row).unwrap_or(i64::MAX),
                    r.to,
                    r.name,
                    r.body,
                    u32::try_from(r.segments).unwrap_or(u32::MAX),
                    outcome,
                    r.problem,
                    r.due_at,
                ])?;
            }
            Ok(id)
        })
    }

    /// The job with its counts; `None` when there is no such job.
    pub fn job(&self, id: i64) -> Result<Option<Job>> {
        let job = self
            .conn()
            .query_row(
                &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"),
                [id],
                job_from_row,
            )
            .optional()?;
        job.map(|mut job| {
            job.counts = self.job_counts(id)?;
            let conn = self.conn();
            let due = |outcome: RowOutcome| -> Result<Option<i64>> {
                Ok(conn.query_row(
                    "SELECT MIN(due_at) FROM job_rows WHERE job = ?1 AND outcome = ?2",
                    params![id, outcome],
                    |row| row.get(0),
                )?)
            };
            job.next_at = due(RowOutcome::Scheduled)?;
            job.missed_at = due(RowOutcome::Missed)?;
            if job.kind == JobKind::Single {
                job.to = conn
                    .query_row(
                        "SELECT to_number FROM job_rows WHERE job = ?1 ORDER BY row LIMIT 1",
                        [id],
                        |row| row.get(0),
                    )
                    .optional()?
                    .flatten();
            }
            Ok(job)
        })
        .transpose()
    }

    /// Every job, newest first, with its counts.
    pub fn jobs(&self) -> Result<Vec<Job>> {
        let ids: Vec<i64> = {
            let conn = self.conn();
            let mut stmt = conn.prepare("SELECT id FROM jobs ORDER BY id DESC")?;
            let ids = stmt.query_map([], |row| row.get(0))?;
            ids.collect::<rusqlite::Result<_>>()?
        };
        ids.into_iter()
            .filter_map(|id| self.job(id).transpose())
            .collect()
    }

    /// How many rows of the job stand where.
    pub fn job_counts(&self, id: i64) -> Result<Counts> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT outcome, COUNT(*) FROM job_rows WHERE job = ?1 GROUP BY outcome",
        )?;
        let mut counts = Counts::default();
        for pair in stmt.query_map([id], |row| Ok((row.get(0)?, row.get::<_, i64>(1)?)))? {
            let (outcome, n): (RowOutcome, i64) = pair?;
            counts.add(outcome, u64::try_from(n).unwrap_or_default());
        }
        Ok(counts)
    }

    /// Every row of the job, in file order.
    pub fn job_rows(&self, id: i64) -> Result<Vec<StoredRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {ROW_COLUMNS} FROM job_rows WHERE job = ?1 ORDER BY row"
        ))?;
        let rows = stmt.query_map([id], stored_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every row of the job with its message's id and delivery status, in file order.
    pub fn job_report(&self, id: i64) -> Result<Vec<ReportRow>> {
        self.recover()?;
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT r.row, r.to_number, r.name, r.body, r.segments, r.outcome, r.problem,
                r.message, r.due_at, m.message_id, m.status
             FROM job_rows r LEFT JOIN messages m ON m.id = r.message
             WHERE r.job = ?1 ORDER BY r.row",
        )?;
        let rows = stmt.query_map([id], |row| {
            Ok(ReportRow {
                row: stored_row(row)?,
                message_id: row.get("message_id")?,
                status: row.get("status")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Up to `limit` rows not tried yet, in file order.
    pub fn pending_rows(&self, id: i64, limit: u32) -> Result<Vec<StoredRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {ROW_COLUMNS} FROM job_rows WHERE job = ?1 AND outcome = ?2
             ORDER BY row LIMIT ?3"
        ))?;
        let rows = stmt.query_map(params![id, RowOutcome::Pending, limit], stored_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Makes this process the job's runner, unless another process that is still running is;
    /// rows a runner that is gone left in flight are recovered first (they read `unknown`).
    pub fn claim_job(&self, id: i64) -> Result<()> {
        self.recover()?;
        let runner: Option<Option<String>> = self
            .conn()
            .query_row("SELECT runner FROM jobs WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()?;
        let Some(runner) = runner else {
            return Err(Error::JobNotFound(id));
        };
        if let Some(token) = runner.filter(|t| t != self.owner_token()) {
            if owner::is_alive(self.dir(), &token) {
                return Err(Error::JobBusy(id));
            }
        }
        let now = self.now();
        let token = self.owner_token().to_owned();
        self.write(|tx| {
            tx.execute(
                "UPDATE jobs SET runner = ?2, state = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, token, JobState::Running, now],
            )?;
            Ok(())
        })
    }

    /// Who is running the job: `None` when nobody claimed it (it waits for the worker).
    pub fn job_runner(&self, id: i64) -> Result<Option<Runner>> {
        let runner: Option<String> = self
            .conn()
            .query_row("SELECT runner FROM jobs WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()?
            .flatten();
        Ok(runner.map(|token| Runner {
            alive: token == self.owner_token() || owner::is_alive(self.dir(), &token),
            token,
        }))
    }

    /// Sets the job's state (a running job nobody claimed is handed to the worker, which
    /// claims it with [`Store::claim_job`]; a runner still finishing keeps its claim).
    pub fn set_job_state(&self, id: i64, state: JobState) -> Result<()> {
        let now = self.now();
        self.write(|tx| {
            // Resumed: the reason it had stopped is no longer true.
            tx.execute(
                "UPDATE jobs SET state = ?2, updated_at = ?3,
                    problem = CASE WHEN ?2 = ?4 THEN NULL ELSE problem END
                 WHERE id = ?1",
                params![id, state, now, JobState::Running],
            )?;
            Ok(())
        })
    }

    /// The runner is done with the job: its state as it ends, why when it stopped by itself,
    /// and the claim let go.
    pub fn release_job(&self, id: i64, state: JobState, problem: Option<&str>) -> Result<()> {
        let now = self.now();
        self.write(|tx| {
            tx.execute(
                "UPDATE jobs SET state = ?2, runner = NULL, updated_at = ?3, problem = ?4
                 WHERE id = ?1",
                params![id, state, now, problem],
            )?;
            Ok(())
        })
    }

    /// The job's state as stored (another process may have paused or cancelled it).
    pub fn job_state(&self, id: i64) -> Result<Option<JobState>> {
        Ok(self
            .conn()
            .query_row("SELECT state FROM jobs WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// One row not tried yet becomes `not_sent`, saying `why` (it cannot be sent as it is).
    pub fn close_row(&self, id: i64, row: i64, why: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE job_rows SET outcome = ?4, problem = ?5
                 WHERE job = ?1 AND row = ?2 AND outcome = ?3",
                params![id, row, RowOutcome::Pending, RowOutcome::NotSent, why],
            )?;
            Ok(())
        })
    }

    /// Rows not tried yet (to send, waiting for their time or for a person) become
    /// `not_sent`, saying `why` (a cancel, a refused key stops the job).
    pub fn close_pending(&self, id: i64, why: &str) -> Result<usize> {
        self.write(|tx| {
            Ok(tx.execute(
                "UPDATE job_rows SET outcome = ?5, problem = ?6
                 WHERE job = ?1 AND outcome IN (?2, ?3, ?4)",
                params![
                    id,
                    RowOutcome::Pending,
                    RowOutcome::Scheduled,
                    RowOutcome::Missed,
                    RowOutcome::NotSent,
                    why
                ],
            )?)
        })
    }

    /// Hands the worker what is due at `now`: rows of running jobs whose time has come (no
    /// more than `grace_ms` ago) become `pending`; rows whose time passed longer ago than that
    /// without being handed over (SMS Desk was not running: the computer was off or asleep)
    /// become `missed`, for a person to decide. Returns the jobs changed.
    pub fn release_due(&self, now: i64, grace_ms: i64) -> Result<Vec<i64>> {
        let (changed, released, missed) = self.write(|tx| {
            let mut changed: Vec<i64> = {
                let mut stmt = tx.prepare_cached(
                    "SELECT DISTINCT r.job FROM job_rows r JOIN jobs j ON j.id = r.job
                     WHERE r.outcome = ?1 AND r.due_at <= ?2 AND j.state = ?3",
                )?;
                let ids = stmt.query_map(
                    params![RowOutcome::Scheduled, now, JobState::Running],
                    |row| row.get(0),
                )?;
                ids.collect::<rusqlite::Result<_>>()?
            };
            if changed.is_empty() {
                return Ok((changed, 0, 0));
            }
            let missed = tx.execute(
                "UPDATE job_rows SET outcome = ?4, problem = ?5
                 WHERE outcome = ?1 AND due_at < ?2 - ?6
                   AND job IN (SELECT id FROM jobs WHERE state = ?3)",
                params![
                    RowOutcome::Scheduled,
                    now,
                    JobState::Running,
                    RowOutcome::Missed,
                    MISSED,
                    grace_ms
                ],
            )?;
            let released = tx.execute(
                "UPDATE job_rows SET outcome = ?4
                 WHERE outcome = ?1 AND due_at <= ?2
                   AND job IN (SELECT id FROM jobs WHERE state = ?3)",
                params![
                    RowOutcome::Scheduled,
                    now,
                    JobState::Running,
                    RowOutcome::Pending
                ],
            )?;
            changed.sort_unstable();
            Ok((changed, released, missed))
        })?;
        if released > 0 {
            log::info!("scheduled rows released to send: {released} (jobs {changed:?})");
        }
        if missed > 0 {
            log::warn!(
                "scheduled rows missed, their time passed while SMS Desk was not running: \
                 {missed} (jobs {changed:?})"
            );
        }
        Ok(changed)
    }

    /// Rows of the job in one of `from` go now: they become `pending` (send now, for waiting
    /// or missed rows). Returns how many.
    pub fn send_rows_now(&self, id: i64, from: &[RowOutcome]) -> Result<usize> {
        let now = self.now();
        self.write(|tx| {
            let mut n = 0;
            for outcome in from {
                n += tx.execute(
                    "UPDATE job_rows SET outcome = ?3, problem = NULL, due_at = ?4
                     WHERE job = ?1 AND outcome = ?2",
                    params![id, outcome, RowOutcome::Pending, now],
                )?;
            }
            Ok(n)
        })
    }

    /// Rows of the job in one of `from` wait for `at` instead (change the time, reschedule
    /// what was missed). Returns how many.
    pub fn reschedule_rows(&self, id: i64, from: &[RowOutcome], at: i64) -> Result<usize> {
        self.write(|tx| {
            let mut n = 0;
            for outcome in from {
                n += tx.execute(
                    "UPDATE job_rows SET outcome = ?3, problem = NULL, due_at = ?4
                     WHERE job = ?1 AND outcome = ?2",
                    params![id, outcome, RowOutcome::Scheduled, at],
                )?;
            }
            Ok(n)
        })
    }
}

fn job_from_row(row: &Row<'_>) -> rusqlite::Result<Job> {
    Ok(Job {
        id: row.get("id")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        file_name: row.get("file_name")?,
        template: row.get("template")?,
        template_name: row.get("template_name")?,
        route: row.get("route")?,
        base_url: row.get("base_url")?,
        channel_id: row.get("channel_id")?,
        channel_name: row.get("channel_name")?,
        rate: row.get("rate")?,
        state: row.get("state")?,
        problem: row.get("problem")?,
        counts: Counts::default(),
        kind: row.get("kind")?,
        lead: row.get("lead")?,
        next_at: None,
        missed_at: None,
        to: None,
    })
}
