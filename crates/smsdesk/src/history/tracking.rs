//! Delivery tracking: accepted messages with a message id are asked about on the status
//! endpoint, soon at first and then less and less often, until a final status or a day has
//! passed. The schedule is in the table, so it survives a restart.

use std::time::Duration;

use octopods::{DeliveryReport, StatusError};
use rusqlite::{params, OptionalExtension};

use super::{add_event, now_ms, History};
use crate::error::Result;

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

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
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

/// Reads `id, channel_id, practice, message_id, created_at`.
fn due_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Due> {
    Ok(Due {
        id: row.get(0)?,
        channel_id: row.get(1)?,
        practice: row.get(2)?,
        message_id: row.get(3)?,
        created_at: row.get(4)?,
    })
}

/// What asking gave.
#[derive(Debug, Clone)]
pub enum Polled<'a> {
    Report(&'a DeliveryReport),
    Failed(&'a StatusError),
}

impl History {
    /// Up to `limit` tracked messages whose next question is due at `now`, oldest due first.
    pub fn due_for_polling(&self, now: i64, limit: u32) -> Result<Vec<Due>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, channel_id, practice, message_id, created_at FROM messages
             WHERE tracking = 'active' AND next_poll_at <= ?1 AND message_id IS NOT NULL
             ORDER BY next_poll_at LIMIT ?2",
        )?;
        let due = stmt
            .query_map(params![now, limit], due_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(due)
    }

    /// The newest accepted message sent on a live channel (not Practice, whose ids start over
    /// with each practice server) with this `message_id`, to record a status answer obtained
    /// outside the tracker (`smsdesk status`) with [`History::record_poll`].
    pub fn find_by_message_id(&self, message_id: &str) -> Result<Option<Due>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, channel_id, practice, message_id, created_at FROM messages
             WHERE message_id = ?1 AND outcome = 'accepted' AND practice = 0
             ORDER BY id DESC LIMIT 1",
        )?;
        let due = stmt.query_row([message_id], due_from_row).optional()?;
        Ok(due)
    }

    /// When the next question is due, if any message is tracked.
    pub fn next_poll_at(&self) -> Result<Option<i64>> {
        Ok(self.conn().query_row(
            "SELECT MIN(next_poll_at) FROM messages WHERE tracking = 'active'",
            [],
            |row| row.get(0),
        )?)
    }

    /// Asks about a message now: its next question is due at once (tracking resumes if it
    /// had given up or stopped). `false` when the message cannot be tracked.
    pub fn poll_soon(&self, id: i64) -> Result<bool> {
        let changed = self.conn().execute(
            "UPDATE messages SET tracking = 'active', next_poll_at = ?2
             WHERE id = ?1 AND outcome = 'accepted' AND message_id IS NOT NULL
               AND tracking IN ('active', 'gave_up', 'stopped')",
            params![id, now_ms()],
        )?;
        Ok(changed > 0)
    }

    /// Records the answer to a status question and schedules the next one (or ends tracking).
    pub fn record_poll(
        &self,
        due: &Due,
        polled: Polled<'_>,
        policy: &PollPolicy,
        now: i64,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let (polls, old_status): (u32, Option<String>) = tx.query_row(
            "SELECT polls, status FROM messages WHERE id = ?1",
            [due.id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let polls = polls.saturating_add(1);
        let expired = now.saturating_sub(due.created_at) >= millis(policy.give_up);
        let next = now.saturating_add(millis(policy.delay(polls)));
        match polled {
            Polled::Report(report) => {
                let status = report.status.as_str().to_owned();
                let final_status = report.status.is_final();
                let tracking = match (final_status, expired) {
                    (true, _) => "done",
                    (false, true) => "gave_up",
                    (false, false) => "active",
                };
                tx.execute(
                    "UPDATE messages SET status = ?2, status_detail = ?3, status_at = ?4,
                        raw_status = ?5, tracking = ?6, polls = ?7, next_poll_at = ?8,
                        updated_at = ?4
                     WHERE id = ?1",
                    params![
                        due.id,
                        status,
                        report.detail,
                        now,
                        report.raw.to_string(),
                        tracking,
                        polls,
                        (tracking == "active").then_some(next),
                    ],
                )?;
                if old_status.as_deref() != Some(status.as_str()) {
                    let what = match &report.detail {
                        Some(detail) => format!("Delivery status: {status} ({detail})"),
                        None => format!("Delivery status: {status}"),
                    };
                    add_event(&tx, due.id, now, &what)?;
                }
                if tracking == "gave_up" {
                    add_event(&tx, due.id, now, GAVE_UP)?;
                }
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
                    None => format!("Octopods could not find the message ({})", rejected.error),
                };
                self::stop(&tx, due.id, now, &why)?;
            }
            // The network, a busy server, or a key that was replaced (401, error 5): asked
            // again later, so tracking picks up by itself once the key is fixed.
            Polled::Failed(_) => {
                let tracking = if expired { "gave_up" } else { "active" };
                tx.execute(
                    "UPDATE messages SET tracking = ?2, polls = ?3, next_poll_at = ?4
                     WHERE id = ?1",
                    params![due.id, tracking, polls, (!expired).then_some(next)],
                )?;
                if expired {
                    add_event(&tx, due.id, now, GAVE_UP)?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Ends tracking for a message, saying why (the channel was removed, ...).
    pub fn stop_tracking(&self, id: i64, why: &str) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        stop(&tx, id, now_ms(), why)?;
        tx.commit()?;
        Ok(())
    }
}

const GAVE_UP: &str = "No delivery report came within a day; SMS Desk stopped asking.";

fn stop(conn: &rusqlite::Connection, id: i64, now: i64, why: &str) -> Result<()> {
    conn.execute(
        "UPDATE messages SET tracking = 'stopped', next_poll_at = NULL, status_detail = ?3,
            updated_at = ?2
         WHERE id = ?1",
        params![id, now, why],
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
