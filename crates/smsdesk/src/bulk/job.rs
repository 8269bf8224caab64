//! Bulk jobs in the store: the job and every row are written in one transaction before the
//! first request; a row then follows the message it became (see `history.rs`). A job is run by
//! one process at a time: the runner stamps its sender token on the job, and a token whose
//! process is gone is taken over (rows it left in flight read `unknown`, never resent).

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::plan::PlannedRow;
use crate::error::{Error, Result};
use crate::states::{JobState, RowOutcome};
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
}

/// How many rows of a job stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub total: u64,
    pub pending: u64,
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

    /// Rows still to send or in flight.
    pub fn open(&self) -> u64 {
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
    })
}

const ROW_COLUMNS: &str = "row, to_number, name, body, segments, outcome, problem, message";
const JOB_COLUMNS: &str = "id, created_at, updated_at, file_name, template, template_name, \
    route, base_url, channel_id, channel_name, rate, state, problem";

impl Store {
    /// Stores a job and all its rows, in one transaction; returns its id.
    pub fn create_job(&self, job: &NewJob, rows: &[PlannedRow]) -> Result<i64> {
        let now = self.now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO jobs (created_at, updated_at, file_name, template, template_id,
                    template_name, route, base_url, channel_id, channel_name, rate, state)
                 VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
                ],
            )?;
            let id = tx.last_insert_rowid();
            let mut insert = tx.prepare(
                "INSERT INTO job_rows (job, row, to_number, name, body, segments, outcome,
                    problem) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for r in rows {
                insert.execute(params![
                    id,
                    i64::try_from(r.row).unwrap_or(i64::MAX),
                    r.to,
                    r.name,
                    r.body,
                    u32::try_from(r.segments).unwrap_or(u32::MAX),
                    r.outcome,
                    r.problem,
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
                r.message, m.message_id, m.status
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

    /// Rows not tried yet become `not_sent`, saying `why` (a refused key stops the job).
    pub fn close_pending(&self, id: i64, why: &str) -> Result<usize> {
        self.write(|tx| {
            Ok(tx.execute(
                "UPDATE job_rows SET outcome = ?3, problem = ?4 WHERE job = ?1 AND outcome = ?2",
                params![id, RowOutcome::Pending, RowOutcome::NotSent, why],
            )?)
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
    })
}
