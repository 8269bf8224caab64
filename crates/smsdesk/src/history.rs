//! History: every message ever attempted, its outcome and its delivery status, in the store.
//!
//! - A send is written as a row in `sending` **before** the request ([`Store::begin`]), in the
//!   same transaction that checks the do-not-text list, and updated with its outcome after
//!   ([`Store::finish`]). A row whose process is gone reads `unknown` from then on
//!   ([`Store::recover`]): never missing, never sent again by itself.
//! - [`tracking`]: accepted messages with a message id are asked about with backoff.
//! - [`query`]: the History screen's search, filters and pages; [`export`]: the CSV.
//! - [`entry`]: a row as front ends show it, with its state in plain words.

mod entry;
mod export;
mod query;
pub mod tracking;

use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

pub use entry::{Detail, Entry, Event};
pub use query::{Filter, Page, SeenChannel, STATUS_FILTERS};

use crate::channels::Workspace;
use crate::do_not_text::{DoNotText, OptOut};
use crate::error::Result;
use crate::report::SendReport;
use crate::states::{Outcome, RowOutcome, Tracking};
use crate::store::{owner, Store};
use crate::text_safety::{self, from_server};
use crate::time::millis;

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
    pub workspace: Workspace,
    pub teammate_id: Option<String>,
    pub teammate_name: Option<String>,
    pub template_id: Option<String>,
    pub template_name: Option<String>,
    pub open_conversation: bool,
    /// The bulk job row this message is, if any: the row follows the message's outcome.
    pub job: Option<JobRow>,
}

/// A row of a bulk job (its job's id, and its 1-based data record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobRow {
    pub job: i64,
    pub row: i64,
}

/// What [`Store::begin`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begun {
    /// A row in `sending`: make the request now.
    Sending(i64),
    /// The number is on the do-not-text list: a `blocked` row, and no request.
    Blocked { id: i64, entry: OptOut },
    /// The last attempt of this very message to this number may have gone out (its outcome
    /// is unknown, or it is still being sent): nothing was written; a person must confirm.
    MaybeSent { previous: i64, at: i64 },
}

impl Store {
    /// In one write transaction: refuses a number on `list` (writing a `blocked` row), refuses
    /// a repeat of a message that may have gone out unless `confirmed_resend`, and otherwise
    /// writes the row in state `sending`. Call before the request: if the process dies, the
    /// row remains. A STOP recorded by another process cannot fall between the check and
    /// the row.
    pub fn begin(
        &self,
        m: &NewMessage,
        list: &dyn DoNotText,
        confirmed_resend: bool,
    ) -> Result<Begun> {
        let m = &tidied(m);
        let now = self.now();
        let owner = self.owner_token().to_owned();
        self.write(|tx| {
            if let Some(entry) = list.lookup(tx, &m.to)? {
                // The list's reason was typed or imported: one line, like every stored name.
                let why = text_safety::line(&entry.refusal().to_string()).into_owned();
                let id = insert(
                    tx,
                    m,
                    now,
                    Outcome::Blocked,
                    None,
                    &why,
                    Some((&why, BLOCKED_HINT)),
                )?;
                return Ok(Begun::Blocked { id, entry });
            }
            if !confirmed_resend {
                if let Some((previous, at)) = maybe_sent(tx, m)? {
                    return Ok(Begun::MaybeSent { previous, at });
                }
            }
            let id = insert(tx, m, now, Outcome::Sending, Some(&owner), "Sending", None)?;
            Ok(Begun::Sending(id))
        })
    }

    /// Records what became of a send begun with [`Store::begin`]. `trackable`: whether the
    /// channel can report delivery (not HubSpot); `first_poll` is when to ask first. The
    /// server's words (its error, the ids, the problem and hint that quote it) are stored
    /// without control characters or escape sequences ([`text_safety::from_server`]); the raw
    /// answer keeps them, escaped as JSON ([`text_safety::json`]).
    pub fn finish(
        &self,
        id: i64,
        report: &SendReport,
        trackable: bool,
        first_poll: Duration,
    ) -> Result<()> {
        let now = self.now();
        let tracking = match (report.is_accepted(), &report.message_id) {
            (false, _) => Tracking::None,
            (true, Some(_)) if trackable => Tracking::Active,
            (true, _) => Tracking::Unavailable,
        };
        let next_poll =
            (tracking == Tracking::Active).then(|| now.saturating_add(millis(first_poll)));
        let event = match (report.outcome, tracking) {
            (Outcome::Accepted, Tracking::Active) => "Accepted by Octopods".to_owned(),
            (Outcome::Accepted, _) => {
                "Accepted by Octopods (delivery tracking not available)".to_owned()
            }
            (other, _) => match &report.problem {
                Some(problem) => from_server(&problem.message).into_owned(),
                None => other.as_str().to_owned(),
            },
        };
        let raw = report
            .raw
            .as_ref()
            .map(|v| text_safety::json(&v.to_string()).into_owned());
        let server = |text: &Option<String>| text.as_deref().map(|t| from_server(t).into_owned());
        let problem = report
            .problem
            .as_ref()
            .map(|p| from_server(&p.message).into_owned());
        let hint = report
            .problem
            .as_ref()
            .map(|p| from_server(&p.hint).into_owned());
        self.write(|tx| {
            tx.execute(
                "UPDATE messages SET updated_at = ?2, outcome = ?3, owner = NULL, attempts = ?4,
                    http_status = ?5, request_id = ?6, message_id = ?7, error_code = ?8,
                    error = ?9, problem = ?10, hint = ?11, raw_response = ?12, tracking = ?13,
                    next_poll_at = ?14
                 WHERE id = ?1",
                params![
                    id,
                    now,
                    report.outcome,
                    report.attempts,
                    report.http_status,
                    server(&report.request_id),
                    server(&report.message_id),
                    report.error_code,
                    server(&report.error),
                    problem,
                    hint,
                    raw,
                    tracking,
                    next_poll,
                ],
            )?;
            add_event(tx, id, now, &event)?;
            follow_in_job(tx, id, RowOutcome::from_outcome(report.outcome))
        })
    }

    /// Rows left in `sending` by a process that is no longer running become `unknown`: the
    /// request may have reached Octopods. Returns how many. Never resends.
    pub fn recover(&self) -> Result<usize> {
        let owners: Vec<Option<String>> = {
            let conn = self.conn();
            let mut stmt =
                conn.prepare_cached("SELECT DISTINCT owner FROM messages WHERE outcome = ?1")?;
            let rows = stmt.query_map([Outcome::Sending], |row| row.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut recovered = 0;
        for owner in owners {
            let owner = owner.unwrap_or_default();
            if owner == self.owner_token() || owner::is_alive(self.dir(), &owner) {
                continue;
            }
            recovered += self.mark_orphans_unknown(&owner)?;
        }
        Ok(recovered)
    }

    fn mark_orphans_unknown(&self, owner: &str) -> Result<usize> {
        let now = self.now();
        self.write(|tx| {
            let ids: Vec<i64> = {
                let mut stmt = tx.prepare(
                    "SELECT id FROM messages WHERE outcome = ?1 AND IFNULL(owner, '') = ?2",
                )?;
                let rows = stmt.query_map(params![Outcome::Sending, owner], |row| row.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            for &id in &ids {
                tx.execute(
                    "UPDATE messages SET outcome = ?2, owner = NULL, updated_at = ?3,
                        error = ?4, problem = ?5, hint = ?6
                     WHERE id = ?1",
                    params![
                        id,
                        Outcome::Unknown,
                        now,
                        ORPHAN_ERROR,
                        ORPHAN_PROBLEM,
                        ORPHAN_HINT
                    ],
                )?;
                add_event(tx, id, now, ORPHAN_PROBLEM)?;
                follow_in_job(tx, id, RowOutcome::Unknown)?;
            }
            Ok(ids.len())
        })
    }

    /// One row, with its timeline and the raw answers; `None` when there is no such row.
    pub fn get(&self, id: i64) -> Result<Option<Detail>> {
        self.recover()?;
        let conn = self.conn();
        let Some(mut detail) = conn
            .query_row(
                &format!("SELECT {} FROM messages WHERE id = ?1", entry::COLUMNS),
                [id],
                Detail::from_row,
            )
            .optional()?
        else {
            return Ok(None);
        };
        let mut stmt =
            conn.prepare_cached("SELECT at, what FROM events WHERE message = ?1 ORDER BY id")?;
        // Events quote the server (delivery statuses and reasons): shown without controls,
        // whoever stored them.
        detail.events = stmt
            .query_map([id], |row| {
                let what: String = row.get("what")?;
                Ok(Event {
                    at: row.get("at")?,
                    what: from_server(&what).into_owned(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(detail))
    }
}

/// The message as it is stored: the names one line and the body as message text, without
/// control characters ([`text_safety`]). What a send carries is tidied the same way before
/// (`Draft::prepare`), so the row holds what was sent.
fn tidied(m: &NewMessage) -> NewMessage {
    let one_line = |text: &str| text_safety::line(text).into_owned();
    NewMessage {
        name: one_line(&m.name),
        body: text_safety::message(&m.body).into_owned(),
        channel_name: one_line(&m.channel_name),
        teammate_name: m.teammate_name.as_deref().map(one_line),
        template_name: m.template_name.as_deref().map(one_line),
        ..m.clone()
    }
}

/// The newest attempt of this message (same number, same text but for spaces and line breaks
/// around it), when it may have gone out.
fn maybe_sent(tx: &Transaction<'_>, m: &NewMessage) -> Result<Option<(i64, i64)>> {
    const AROUND: &str = " \t\r\n";
    let last: Option<(i64, Outcome, i64)> = tx
        .query_row(
            "SELECT id, outcome, created_at FROM messages
             WHERE to_number = ?1 AND trim(body, ?3) = trim(?2, ?3)
             ORDER BY id DESC LIMIT 1",
            params![m.to, m.body, AROUND],
            |row| Ok((row.get("id")?, row.get("outcome")?, row.get("created_at")?)),
        )
        .optional()?;
    Ok(last
        .filter(|(_, outcome, _)| matches!(outcome, Outcome::Unknown | Outcome::Sending))
        .map(|(id, _, at)| (id, at)))
}

/// One new row and its first event. `refused`: the problem and hint of a send refused
/// before any request.
fn insert(
    tx: &Transaction<'_>,
    m: &NewMessage,
    now: i64,
    outcome: Outcome,
    owner: Option<&str>,
    event: &str,
    refused: Option<(&str, &str)>,
) -> Result<i64> {
    // Rows have always said "intercom" for a workspace not known to be HubSpot.
    let workspace = match m.workspace {
        Workspace::Hubspot => Workspace::Hubspot,
        _ => Workspace::Intercom,
    };
    tx.execute(
        "INSERT INTO messages (created_at, updated_at, to_number, recipient_name, body,
            channel_id, channel_name, practice, workspace, teammate_id, teammate_name,
            template_id, template_name, open_conversation, outcome, owner, error, problem,
            hint, job)
         VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
            ?16, ?17, ?18)",
        params![
            now,
            m.to,
            m.name,
            m.body,
            m.channel_id,
            m.channel_name,
            m.practice,
            workspace,
            m.teammate_id,
            m.teammate_name,
            m.template_id,
            m.template_name,
            m.open_conversation,
            outcome,
            owner,
            refused.map(|(why, _)| why),
            refused.map(|(_, hint)| hint),
            m.job.map(|j| j.job),
        ],
    )?;
    let id = tx.last_insert_rowid();
    add_event(tx, id, now, event)?;
    if let Some(job) = m.job {
        tx.execute(
            "UPDATE job_rows SET outcome = ?3, message = ?4, problem = ?5
             WHERE job = ?1 AND row = ?2",
            params![
                job.job,
                job.row,
                RowOutcome::from_outcome(outcome),
                id,
                refused.map(|(why, _)| why)
            ],
        )?;
    }
    Ok(id)
}

/// A bulk job's row follows the outcome of the message it became.
fn follow_in_job(tx: &Transaction<'_>, message: i64, outcome: RowOutcome) -> Result<()> {
    tx.prepare_cached("UPDATE job_rows SET outcome = ?2 WHERE message = ?1")?
        .execute(params![message, outcome])?;
    Ok(())
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
