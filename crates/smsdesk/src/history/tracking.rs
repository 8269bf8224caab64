//! Delivery tracking: accepted messages with a message id are asked about on the status
//! endpoint, soon at first and then less and less often, until a final status or a day has
//! passed. The schedule is in the table, so it survives a restart.

use std::time::Duration;

use octopods::{DeliveryReport, StatusError};
use rusqlite::{params, OptionalExtension};

use super::add_event;
use crate::error::Result;
use crate::states::{Delivery, Outcome, Tracking};
use crate::store::Store;
use crate::text_safety::{self, from_server};
use crate::time::millis;

/// How patiently delivery is tracked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPolicy {
    /// The pause before the first question, doubled after each answer that is not final.
    pub first: Duration,
    /// The longest pause between two questions.
    pub max: Duration,
    /// After this long since the message was sent, tracking gives up.
    pub give_up: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            first: Duration::from_secs(5),
            max: Duration::from_secs(30 * 60),
            give_up: Duration::from_secs(24 * 60 * 60),
        }
    }
}

impl PollPolicy {
    /// The pause after the `polls`-th question.
    pub fn delay(&self, polls: u32) -> Duration {
        self.first
            .saturating_mul(2u32.saturating_pow(polls.min(20)))
            .min(self.max)
    }
}

/// A message whose delivery should be asked about now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub id: i64,
    pub channel_id: String,
    pub practice: bool,
    pub message_id: String,
    pub created_at: i64,
}

/// The columns [`due_from_row`] reads.
const DUE_COLUMNS: &str = "id, channel_id, practice, message_id, created_at";

fn due_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Due> {
    Ok(Due {
        id: row.get("id")?,
        channel_id: row.get("channel_id")?,
        practice: row.get("practice")?,
        message_id: row.get("message_id")?,
        created_at: row.get("created_at")?,
    })
}

/// What asking gave.
#[derive(Debug, Clone)]
pub enum Polled<'a> {
    Report(&'a DeliveryReport),
    Failed(&'a StatusError),
}

impl Store {
    /// Up to `limit` tracked messages whose next question is due at `now`, oldest due first.
    pub fn due_for_polling(&self, now: i64, limit: u32) -> Result<Vec<Due>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {DUE_COLUMNS} FROM messages
             WHERE tracking = ?3 AND next_poll_at <= ?1 AND message_id IS NOT NULL
             ORDER BY next_poll_at LIMIT ?2"
        ))?;
        let due = stmt
            .query_map(params![now, limit, Tracking::Active], due_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(due)
    }

    /// The newest accepted message sent on a live channel (not Practice, whose ids start over
    /// with each practice server) with this `message_id`, to record a status answer obtained
    /// outside the tracker (`smsdesk status`) with [`History::record_poll`].
    pub fn find_by_message_id(&self, message_id: &str) -> Result<Option<Due>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {DUE_COLUMNS} FROM messages
             WHERE message_id = ?1 AND outcome = ?2 AND practice = 0
             ORDER BY id DESC LIMIT 1"
        ))?;
        let due = stmt
            .query_row(params![message_id, Outcome::Accepted], due_from_row)
            .optional()?;
        Ok(due)
    }

    /// When the next question is due, if any message is tracked.
    pub fn next_poll_at(&self) -> Result<Option<i64>> {
        Ok(self.conn().query_row(
            "SELECT MIN(next_poll_at) FROM messages WHERE tracking = ?1",
            [Tracking::Active],
            |row| row.get(0),
        )?)
    }

    /// Asks about a message now: its next question is due at once (tracking resumes if it
    /// had given up or stopped). `false` when the message cannot be tracked.
    pub fn poll_soon(&self, id: i64) -> Result<bool> {
        let changed = self.conn().execute(
            "UPDATE messages SET tracking = ?3, next_poll_at = ?2
             WHERE id = ?1 AND outcome = ?4 AND message_id IS NOT NULL
               AND tracking IN (?3, ?5, ?6)",
            params![
                id,
                self.now(),
                Tracking::Active,
                Outcome::Accepted,
                Tracking::GaveUp,
                Tracking::Stopped
            ],
        )?;
        Ok(changed > 0)
    }

    /// Records the answer to a status question asked at `now` and schedules the next one
    /// (or ends tracking). A busy server's `Retry-After` is honoured. `true` when what the
    /// person sees changed (a new status, or tracking ended).
    pub fn record_poll(
        &self,
        due: &Due,
        polled: Polled<'_>,
        policy: &PollPolicy,
        now: i64,
    ) -> Result<bool> {
        self.write(|tx| {
            let (polls, old_status): (u32, Option<Delivery>) = tx.query_row(
                "SELECT polls, status FROM messages WHERE id = ?1",
                [due.id],
                |row| Ok((row.get("polls")?, row.get("status")?)),
            )?;
            let polls = polls.saturating_add(1);
            let expired = now.saturating_sub(due.created_at) >= millis(policy.give_up);
            let mut pause = policy.delay(polls);
            if let Polled::Failed(StatusError::RateLimited {
                retry_after: Some(wait),
            }) = polled
            {
                pause = pause.max(*wait);
            }
            let next = now.saturating_add(millis(pause));
            match polled {
                Polled::Report(report) => {
                    // The server's words are stored without control characters or escape
                    // sequences; the raw answer keeps them, escaped as JSON.
                    let status = Delivery(match &report.status {
                        octopods::DeliveryStatus::Other(said) => {
                            octopods::DeliveryStatus::Other(from_server(said).into_owned())
                        }
                        known => known.clone(),
                    });
                    let detail = report
                        .detail
                        .as_deref()
                        .map(|d| from_server(d).into_owned());
                    let raw = text_safety::json(&report.raw.to_string()).into_owned();
                    let tracking = match (status.is_final(), expired) {
                        (true, _) => Tracking::Done,
                        (false, true) => Tracking::GaveUp,
                        (false, false) => Tracking::Active,
                    };
                    tx.execute(
                        "UPDATE messages SET status = ?2, status_detail = ?3, status_at = ?4,
                            raw_status = ?5, tracking = ?6, polls = ?7, next_poll_at = ?8,
                            updated_at = ?4
                         WHERE id = ?1",
                        params![
                            due.id,
                            status,
                            detail,
                            now,
                            raw,
                            tracking,
                            polls,
                            (tracking == Tracking::Active).then_some(next),
                        ],
                    )?;
                    let changed = old_status.as_ref() != Some(&status);
                    if changed {
                        let what = match &detail {
                            Some(detail) => {
                                format!("Delivery status: {} ({detail})", status.as_str())
                            }
                            None => format!("Delivery status: {}", status.as_str()),
                        };
                        add_event(tx, due.id, now, &what)?;
                    }
                    if tracking == Tracking::GaveUp {
                        add_event(tx, due.id, now, GAVE_UP)?;
                    }
                    Ok(changed || tracking != Tracking::Active)
                }
                Polled::Failed(StatusError::Rejected(rejected))
                    if rejected.code != Some(octopods::ErrorCode::DeprecatedApiKey) =>
                {
                    // Octopods does not know this message id (or refuses the key for good):
                    // asking again will not help.
                    let why = match rejected.error_code {
                        Some(code) => format!(
                            "Octopods could not find the message (error {code}: {})",
                            rejected.error
                        ),
                        None => {
                            format!("Octopods could not find the message ({})", rejected.error)
                        }
                    };
                    stop(tx, due.id, now, &why)?;
                    Ok(true)
                }
                // The network, a busy server, or a key that was replaced (401, error 5): asked
                // again later, so tracking picks up by itself once the key is fixed.
                Polled::Failed(_) => {
                    let tracking = if expired {
                        Tracking::GaveUp
                    } else {
                        Tracking::Active
                    };
                    tx.execute(
                        "UPDATE messages SET tracking = ?2, polls = ?3, next_poll_at = ?4
                         WHERE id = ?1",
                        params![due.id, tracking, polls, (!expired).then_some(next)],
                    )?;
                    if expired {
                        add_event(tx, due.id, now, GAVE_UP)?;
                    }
                    Ok(expired)
                }
            }
        })
    }

    /// Ends tracking for a message, saying why (the channel was removed, ...).
    pub fn stop_tracking(&self, id: i64, why: &str) -> Result<()> {
        let now = self.now();
        self.write(|tx| stop(tx, id, now, why))
    }
}

const GAVE_UP: &str = "No delivery report came within a day; SMS Desk stopped asking.";

fn stop(conn: &rusqlite::Connection, id: i64, now: i64, why: &str) -> Result<()> {
    conn.execute(
        "UPDATE messages SET tracking = ?4, next_poll_at = NULL, status_detail = ?3,
            updated_at = ?2
         WHERE id = ?1",
        params![id, now, why, Tracking::Stopped],
    )?;
    add_event(conn, id, now, &format!("Delivery tracking stopped: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_maximum() {
        let p = PollPolicy::default();
        assert_eq!(p.delay(0), Duration::from_secs(5));
        assert_eq!(p.delay(1), Duration::from_secs(10));
        assert_eq!(p.delay(3), Duration::from_secs(40));
        assert_eq!(p.delay(9), Duration::from_secs(30 * 60));
        assert_eq!(p.delay(u32::MAX), p.max);
    }
}
