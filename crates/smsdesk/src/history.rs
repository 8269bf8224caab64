//! History: every message ever attempted, its outcome and its delivery status, in SQLite in
//! the data folder (the app and the command line share it).
//!
//! - A send is written as a row in `sending` **before** the request ([`History::begin`]) and
//!   updated with its outcome after ([`History::finish`]). A row whose process is gone (see
//!   `owner`) reads `unknown` from then on: never missing, never sent again by itself.
//! - [`tracking`]: accepted messages with a message id are polled for delivery with backoff.
//! - [`query`]: the History screen's search, filters and pages; [`export`]: the CSV.
//! - [`crate::optout`]: the do-not-text list lives in the same database.
//! - A damaged database is moved aside (kept, never deleted) and a fresh one started; the
//!   front end shows [`History::damaged`].

mod entry;
mod export;
mod owner;
mod query;
mod salvage;
mod schema;
pub mod tracking;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

pub use entry::{Detail, Entry, Event};
pub use export::local_time;
pub use query::{Filter, Page, SeenChannel, STATUS_FILTERS};

use crate::error::{Error, Result};
use crate::outbox::SendReport;
use owner::Owner;

/// The database's file name in the data folder.
pub const DB_FILE: &str = "history.sqlite3";
/// How long a write waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The history database, open for this process. Cheap calls; each takes the connection for
/// one short transaction, so run them off the async runtime (`spawn_blocking`).
#[derive(Debug)]
pub struct History {
    conn: Mutex<Connection>,
    owner: Owner,
    dir: PathBuf,
    damaged: Option<DamagedDatabase>,
}

/// The history file could not be read, so it was kept under another name and a new one begun,
/// with whatever could still be read from the old one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DamagedDatabase {
    /// Where the damaged file was kept.
    pub kept_as: String,
    /// What SQLite said about it.
    pub reason: String,
    /// How many do-not-text numbers were copied into the new history; `None` when the old
    /// list could not be read at all.
    pub recovered_opt_outs: Option<u64>,
    /// How many messages were copied into the new history; `None` when none could be read.
    pub recovered_messages: Option<u64>,
}

/// What is known about a message before it is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewMessage {
    /// E.164.
    pub to: String,
    pub name: String,
    pub body: String,
    pub channel_id: String,
    pub channel_name: String,
    pub practice: bool,
    /// `intercom` or `hubspot`.
    pub workspace: String,
    pub teammate_id: Option<String>,
    pub teammate_name: Option<String>,
    pub template_id: Option<String>,
    pub template_name: Option<String>,
    pub open_conversation: bool,
}

/// Milliseconds since 1970, the time unit of every column.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

fn db_error(e: impl std::fmt::Display) -> Error {
    Error::History(e.to_string())
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        db_error(e)
    }
}

/// Whether an error means the file is not a usable database (rather than, say, locked).
fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

enum OpenError {
    Damaged(String),
    /// Another process holds a lock SQLite would not wait for (switching a new file to WAL,
    /// migrating it): tried again.
    Busy(rusqlite::Error),
    Other(Error),
}

impl From<rusqlite::Error> for OpenError {
    fn from(e: rusqlite::Error) -> Self {
        if is_damage(&e) {
            OpenError::Damaged(e.to_string())
        } else if matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        ) {
            OpenError::Busy(e)
        } else {
            OpenError::Other(db_error(e))
        }
    }
}

/// Opens the file, trying again for up to [`BUSY_TIMEOUT`] while another process is opening
/// or migrating it at the same moment.
fn connect(path: &Path) -> std::result::Result<Connection, OpenError> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match connect_once(path) {
            Err(OpenError::Busy(e)) if std::time::Instant::now() >= deadline => {
                return Err(OpenError::Other(db_error(e)))
            }
            Err(OpenError::Busy(_)) => std::thread::sleep(Duration::from_millis(20)),
            other => return other,
        }
    }
}

fn connect_once(path: &Path) -> std::result::Result<Connection, OpenError> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a `sending` row is on disk before the request leaves, even if the power fails.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let check: String = conn.query_row("PRAGMA quick_check(1)", [], |row| row.get(0))?;
    if check != "ok" {
        return Err(OpenError::Damaged(check));
    }
    schema::migrate(&mut conn).map_err(|e| match e {
        schema::MigrateError::Newer { found, known } => {
            OpenError::Other(Error::HistoryTooNew { found, known })
        }
        schema::MigrateError::Sql(e) => OpenError::from(e),
    })?;
    Ok(conn)
}

/// Renames the damaged file (and its journal files) to `<name>.damaged-<seconds>`.
fn set_aside(path: &Path) -> Result<PathBuf> {
    let seconds = now_ms() / 1000;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| DB_FILE.to_owned());
    let kept = path.with_file_name(format!("{name}.damaged-{seconds}"));
    std::fs::rename(path, &kept).map_err(db_error)?;
    for suffix in ["-wal", "-shm"] {
        let journal = path.with_file_name(format!("{name}{suffix}"));
        if journal.exists() {
            let kept_journal = path.with_file_name(format!("{name}.damaged-{seconds}{suffix}"));
            std::fs::rename(&journal, kept_journal).map_err(db_error)?;
        }
    }
    Ok(kept)
}

impl History {
    /// Opens (or creates) the history in `dir`, bringing it up to date. A damaged file is
    /// kept aside and a fresh one started ([`History::damaged`] says so). Rows left in
    /// `sending` by a process that is gone become `unknown`.
    pub fn open(dir: &Path) -> Result<History> {
        std::fs::create_dir_all(dir).map_err(db_error)?;
        let path = dir.join(DB_FILE);
        let (conn, damaged) = match connect(&path) {
            Ok(conn) => (conn, None),
            Err(OpenError::Other(e)) => return Err(e),
            Err(OpenError::Busy(e)) => return Err(db_error(e)),
            Err(OpenError::Damaged(reason)) => {
                let kept = set_aside(&path)?;
                let mut conn = connect(&path).map_err(|e| match e {
                    OpenError::Damaged(reason) => Error::History(reason),
                    OpenError::Busy(e) => db_error(e),
                    OpenError::Other(e) => e,
                })?;
                let (recovered_opt_outs, recovered_messages) = salvage::salvage(&kept, &mut conn);
                let damaged = DamagedDatabase {
                    kept_as: kept.display().to_string(),
                    reason,
                    recovered_opt_outs,
                    recovered_messages,
                };
                (conn, Some(damaged))
            }
        };
        let owner = Owner::claim(dir).map_err(db_error)?;
        owner::sweep(dir);
        let history = History {
            conn: Mutex::new(conn),
            owner,
            dir: dir.to_owned(),
            damaged,
        };
        history.recover()?;
        Ok(history)
    }

    /// Opens the history in the data folder (`SMSDESK_DATA_DIR` or the platform's).
    pub fn open_default() -> Result<History> {
        let dir = crate::paths::data_dir()
            .ok_or_else(|| Error::History("this computer has no home folder".into()))?;
        History::open(&dir)
    }

    /// Set when the file found at start-up was damaged and a new one was begun.
    pub fn damaged(&self) -> Option<&DamagedDatabase> {
        self.damaged.as_ref()
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll back).
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes the row for a message about to be sent, in state `sending`, and returns its id.
    /// Call before the request: if the process dies, this row remains.
    pub fn begin(&self, message: &NewMessage) -> Result<i64> {
        self.insert(
            message,
            "sending",
            Some(self.owner.token()),
            "Sending",
            None,
        )
    }

    /// Records a send refused because the number is on the do-not-text list (`why` says so).
    pub fn record_blocked(&self, message: &NewMessage, why: &str) -> Result<i64> {
        self.insert(message, "blocked", None, why, Some((why, BLOCKED_HINT)))
    }

    /// One new row and its first event, in one transaction. `refused`: the problem and hint of
    /// a send refused before any request.
    fn insert(
        &self,
        m: &NewMessage,
        outcome: &str,
        owner: Option<&str>,
        event: &str,
        refused: Option<(&str, &str)>,
    ) -> Result<i64> {
        let now = now_ms();
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO messages (created_at, updated_at, to_number, recipient_name, body,
                channel_id, channel_name, practice, workspace, teammate_id, teammate_name,
                template_id, template_name, open_conversation, outcome, owner, error, problem,
                hint)
             VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                ?16, ?17)",
            params![
                now,
                m.to,
                m.name,
                m.body,
                m.channel_id,
                m.channel_name,
                m.practice,
                m.workspace,
                m.teammate_id,
                m.teammate_name,
                m.template_id,
                m.template_name,
                m.open_conversation,
                outcome,
                owner,
                refused.map(|(why, _)| why),
                refused.map(|(_, hint)| hint),
            ],
        )?;
        let id = tx.last_insert_rowid();
        add_event(&tx, id, now, event)?;
        tx.commit()?;
        Ok(id)
    }

    /// Records what became of a send begun with [`History::begin`]. `trackable`: whether the
    /// channel can report delivery (not HubSpot); `first_poll` is when to ask first.
    pub fn finish(
        &self,
        id: i64,
        report: &SendReport,
        trackable: bool,
        first_poll: Duration,
    ) -> Result<()> {
        let now = now_ms();
        let tracking = match (report.is_accepted(), &report.message_id) {
            (false, _) => "none",
            (true, Some(_)) if trackable => "active",
            (true, _) => "unavailable",
        };
        let next_poll = (tracking == "active")
            .then(|| now.saturating_add(i64::try_from(first_poll.as_millis()).unwrap_or(0)));
        let event = match report.outcome {
            "accepted" => match tracking {
                "active" => "Accepted by Octopods".to_owned(),
                _ => "Accepted by Octopods (delivery tracking not available)".to_owned(),
            },
            _ => match &report.problem {
                Some(problem) => problem.message.clone(),
                None => report.outcome.to_owned(),
            },
        };
        let raw = report.raw.as_ref().map(|v| v.to_string());
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE messages SET updated_at = ?2, outcome = ?3, owner = NULL, attempts = ?4,
                http_status = ?5, request_id = ?6, message_id = ?7, error_code = ?8, error = ?9,
                problem = ?10, hint = ?11, raw_response = ?12, tracking = ?13, next_poll_at = ?14
             WHERE id = ?1",
            params![
                id,
                now,
                report.outcome,
                report.attempts,
                report.http_status,
                report.request_id,
                report.message_id,
                report.error_code,
                report.error,
                report.problem.as_ref().map(|p| p.message.clone()),
                report.problem.as_ref().map(|p| p.hint.clone()),
                raw,
                tracking,
                next_poll,
            ],
        )?;
        add_event(&tx, id, now, &event)?;
        tx.commit()?;
        Ok(())
    }

    /// Rows left in `sending` by a process that is no longer running become `unknown`: the
    /// request may have reached Octopods. Returns how many. Never resends.
    pub fn recover(&self) -> Result<usize> {
        let owners: Vec<Option<String>> = {
            let conn = self.conn();
            let mut stmt = conn
                .prepare_cached("SELECT DISTINCT owner FROM messages WHERE outcome = 'sending'")?;
            let rows = stmt.query_map([], |row| row.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut recovered = 0;
        for owner in owners {
            let owner = owner.unwrap_or_default();
            if owner == self.owner.token() || owner::is_alive(&self.dir, &owner) {
                continue;
            }
            recovered += self.mark_orphans_unknown(&owner)?;
        }
        Ok(recovered)
    }

    fn mark_orphans_unknown(&self, owner: &str) -> Result<usize> {
        let now = now_ms();
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let ids: Vec<i64> = {
            let mut stmt = tx.prepare(
                "SELECT id FROM messages WHERE outcome = 'sending' AND IFNULL(owner, '') = ?1",
            )?;
            let rows = stmt.query_map([owner], |row| row.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for &id in &ids {
            tx.execute(
                "UPDATE messages SET outcome = 'unknown', owner = NULL, updated_at = ?2,
                    error = ?3, problem = ?4, hint = ?5
                 WHERE id = ?1",
                params![id, now, ORPHAN_ERROR, ORPHAN_PROBLEM, ORPHAN_HINT],
            )?;
            add_event(&tx, id, now, ORPHAN_PROBLEM)?;
        }
        tx.commit()?;
        Ok(ids.len())
    }

    /// One row, with its timeline and the raw answers; `None` when there is no such row.
    pub fn get(&self, id: i64) -> Result<Option<Detail>> {
        self.recover()?;
        let conn = self.conn();
        let Some((mut entry, raw_response, raw_status)) = conn
            .query_row(
                &format!(
                    "SELECT {}, raw_response, raw_status FROM messages WHERE id = ?1",
                    entry::COLUMNS
                ),
                [id],
                |row| {
                    let n = entry::COLUMN_COUNT;
                    Ok((Entry::from_row(row)?, row.get(n)?, row.get(n + 1)?))
                },
            )
            .optional()?
        else {
            return Ok(None);
        };
        entry.to_display = crate::phone::display(&entry.to);
        let mut stmt =
            conn.prepare_cached("SELECT at, what FROM events WHERE message = ?1 ORDER BY id")?;
        let events = stmt
            .query_map([id], |row| {
                Ok(Event {
                    at: row.get(0)?,
                    what: row.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(Detail {
            entry,
            events,
            raw_response,
            raw_status,
        }))
    }
}

const BLOCKED_HINT: &str = "This person asked not to be texted. Only if they asked to hear from you again, take the number off the do-not-text list, then send again.";
const ORPHAN_ERROR: &str = "SMS Desk stopped while this message was being sent.";
const ORPHAN_PROBLEM: &str =
    "SMS Desk was closed or stopped while sending this message, so it cannot tell whether it went out.";
const ORPHAN_HINT: &str =
    "It may have reached the recipient. Check in Octopods or with the recipient before sending it again.";

pub(crate) fn add_event(conn: &Connection, id: i64, at: i64, what: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO events (message, at, what) VALUES (?1, ?2, ?3)")?
        .execute(params![id, at, what])?;
    Ok(())
}
