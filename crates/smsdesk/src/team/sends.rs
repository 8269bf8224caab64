//! The team's history: every desk's live sends, so that any desk can answer "did the 3
//! o'clock patient get their reminder?" and a list warns before texting a number another
//! desk already sent the same message to.
//!
//! What goes to the server is what answers those questions and no more: the number, the
//! template's name, when, how it went, and a SHA-256 of the message's words (so "the same
//! message" can be recognised without the words, which may be a patient's details, leaving
//! the desk). Practice sends are not the team's business and never go.
//!
//! Local side: a trigger on `messages` (store migration 6) puts every live message that is
//! new or whose outcome or delivery status changed into `team_send_outbox`, with a revision
//! that grows with each change; a push sends the outbox's messages and takes out only the
//! revisions it sent (a change made meanwhile stays for the next push). The server keeps one
//! row per (desk, message), replaced by a later push, each write taking a new sequence number
//! under the table's write lock, so a pull by `seq >` the last one seen never skips one and a
//! repeated push duplicates nothing. Pulled sends of the other desks are kept in `team_sends`.

use crate::states::RowState;
use rusqlite::params;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio_postgres::Client;

use super::server::server;
use crate::error::Result;
use crate::states::Outcome;
use crate::store::Store;

/// Server migration 2.
pub(super) const SENDS_MIGRATION: &str = "
    CREATE SEQUENCE smsdesk_sends_seq;
    CREATE TABLE smsdesk_sends (
        desk_id       text NOT NULL REFERENCES smsdesk_desks (id),
        message       bigint NOT NULL,
        number        text NOT NULL,
        template_name text,
        body_hash     text NOT NULL,
        outcome       text NOT NULL,
        status        text,
        sent_at       bigint NOT NULL,
        seq           bigint NOT NULL,
        PRIMARY KEY (desk_id, message)
    );
    CREATE INDEX smsdesk_sends_seq_order ON smsdesk_sends (seq);
    CREATE INDEX smsdesk_sends_number ON smsdesk_sends (number, sent_at);
";

/// How far back the history goes to the team on joining.
pub const HISTORY_ON_JOIN_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// One live send of a desk, as the team sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamSend {
    pub desk_id: String,
    /// The desk's name when it was pulled (empty for this desk's own, pushed ones).
    pub desk_name: String,
    /// The message's id in that desk's history.
    pub message: i64,
    /// E.164.
    pub number: String,
    pub template_name: Option<String>,
    #[serde(skip)]
    pub body_hash: String,
    /// [`Outcome`]'s word: accepted, unknown, sending, rejected…
    pub outcome: String,
    /// The delivery status Octopods reported, if any (queued, sent, delivered, failed…).
    pub status: Option<String>,
    /// When it was sent (ms).
    pub sent_at: i64,
}

impl TeamSend {
    /// The send's state as the History screen words it (the same badge as this desk's own
    /// rows), and in plain words.
    pub fn state(&self) -> (RowState, &'static str) {
        match (self.outcome.as_str(), self.status.as_deref()) {
            ("accepted", Some("delivered")) => (RowState::Delivered, "Delivered"),
            ("accepted", Some("failed" | "undelivered")) => (RowState::Failed, "Not delivered"),
            ("accepted", Some("queued" | "sent" | "accepted" | "sending")) => {
                (RowState::Pending, "Accepted, waiting for delivery")
            }
            ("accepted", _) => (RowState::Accepted, "Accepted by Octopods"),
            ("sending", _) => (RowState::Sending, "Sending…"),
            ("unknown", _) => (RowState::Unknown, "Outcome unknown: it may have been sent"),
            ("blocked", _) => (
                RowState::Blocked,
                "Not sent: the number is on the do-not-text list",
            ),
            _ => (RowState::NotSent, "Not sent"),
        }
    }
}

/// The words' fingerprint: the same message to the same number is the same hash.
pub fn body_hash(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// This desk's live sends waiting to be pushed, with the revision each was read at.
    pub fn team_send_outbox(&self, desk: &str) -> Result<Vec<(i64, TeamSend)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT o.rev, m.id, m.to_number, m.template_name, m.body, m.outcome, m.status,
                    m.created_at
             FROM team_send_outbox o JOIN messages m ON m.id = o.message
             WHERE m.practice = 0 ORDER BY m.id",
        )?;
        let rows = stmt
            .query_map([], |row| {
                let body: String = row.get(4)?;
                Ok((
                    row.get(0)?,
                    TeamSend {
                        desk_id: desk.to_owned(),
                        desk_name: String::new(),
                        message: row.get(1)?,
                        number: row.get(2)?,
                        template_name: row.get(3)?,
                        body_hash: body_hash(&body),
                        outcome: row.get(5)?,
                        status: row.get(6)?,
                        sent_at: row.get(7)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The sends pushed, each at the revision read: taken out unless changed since.
    pub fn team_sends_pushed(&self, pushed: &[(i64, i64)]) -> Result<()> {
        self.write(|tx| {
            let mut stmt =
                tx.prepare_cached("DELETE FROM team_send_outbox WHERE message = ?1 AND rev = ?2")?;
            for (message, rev) in pushed {
                stmt.execute([message, rev])?;
            }
            Ok(())
        })
    }

    /// Keeps the other desks' sends pulled from the server (a later state of one replaces
    /// it), and remembers the last sequence number seen; all or nothing.
    pub fn apply_team_sends(&self, pulled: &[(i64, TeamSend)]) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO team_sends (desk_id, message, desk_name, number, template_name,
                                         body_hash, outcome, status, sent_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (desk_id, message) DO UPDATE SET desk_name = excluded.desk_name,
                     outcome = excluded.outcome, status = excluded.status",
            )?;
            let mut last = None;
            for (seq, s) in pulled {
                last = Some(*seq);
                stmt.execute(params![
                    s.desk_id,
                    s.message,
                    s.desk_name,
                    s.number,
                    s.template_name,
                    s.body_hash,
                    s.outcome,
                    s.status,
                    s.sent_at
                ])?;
            }
            if let Some(seq) = last {
                let key = crate::store::config::keys::TEAM;
                let mut membership: super::Membership = crate::store::config::read(tx, key)?
                    .ok_or(crate::error::Error::TeamNotJoined)?;
                membership.last_send_seq = membership.last_send_seq.max(seq);
                let now = membership.last_sync.unwrap_or_default();
                crate::store::config::write(tx, key, &membership, now)?;
            }
            Ok(())
        })
    }

    /// On joining: this desk's live sends of the last [`HISTORY_ON_JOIN_MS`] go to the team.
    pub fn queue_history_for_team(&self, since: i64) -> Result<u64> {
        self.write(|tx| {
            let n = tx.execute(
                "INSERT INTO team_send_outbox (message, rev)
                 SELECT id, 1 FROM messages WHERE practice = 0 AND created_at >= ?1
                 ON CONFLICT (message) DO NOTHING",
                [since],
            )?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }

    /// The other desks' sends that went out, or may have (accepted, unknown, being sent),
    /// since `since`: by number and words' hash, the newest, with the desk's name.
    pub fn team_sends_since(
        &self,
        since: i64,
    ) -> Result<std::collections::HashMap<(String, String), (String, i64)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT number, body_hash, desk_name, MAX(sent_at) FROM team_sends
             WHERE sent_at >= ?1 AND outcome IN (?2, ?3, ?4) GROUP BY number, body_hash",
        )?;
        let rows = stmt.query_map(
            params![since, Outcome::Accepted, Outcome::Unknown, Outcome::Sending],
            |row| Ok(((row.get(0)?, row.get(1)?), (row.get(2)?, row.get(3)?))),
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The other desks' sends kept here, newest first, at most `limit`; only those to
    /// `number` when given (E.164).
    pub fn team_history(&self, number: Option<&str>, limit: u32) -> Result<Vec<TeamSend>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT desk_id, desk_name, message, number, template_name, body_hash, outcome,
                    status, sent_at
             FROM team_sends WHERE ?1 IS NULL OR number = ?1
             ORDER BY sent_at DESC, desk_id, message DESC LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![number, limit], |row| {
                Ok(TeamSend {
                    desk_id: row.get(0)?,
                    desk_name: row.get(1)?,
                    message: row.get(2)?,
                    number: row.get(3)?,
                    template_name: row.get(4)?,
                    body_hash: row.get(5)?,
                    outcome: row.get(6)?,
                    status: row.get(7)?,
                    sent_at: row.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

/// Stores this desk's `sends` (a later state replaces an earlier one).
pub async fn push(client: &mut Client, sends: &[TeamSend]) -> Result<()> {
    if sends.is_empty() {
        return Ok(());
    }
    let tx = client.transaction().await.map_err(server)?;
    tx.batch_execute("LOCK TABLE smsdesk_sends IN EXCLUSIVE MODE")
        .await
        .map_err(server)?;
    let upsert = tx
        .prepare(
            "INSERT INTO smsdesk_sends (desk_id, message, number, template_name, body_hash,
                                        outcome, status, sent_at, seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nextval('smsdesk_sends_seq'))
             ON CONFLICT (desk_id, message) DO UPDATE SET outcome = EXCLUDED.outcome,
                 status = EXCLUDED.status, seq = EXCLUDED.seq",
        )
        .await
        .map_err(server)?;
    for s in sends {
        tx.execute(
            &upsert,
            &[
                &s.desk_id,
                &s.message,
                &s.number,
                &s.template_name,
                &s.body_hash,
                &s.outcome,
                &s.status,
                &s.sent_at,
            ],
        )
        .await
        .map_err(server)?;
    }
    tx.commit().await.map_err(server)
}

/// The other desks' sends written after `after` (a sequence number), oldest first.
pub async fn pull(client: &Client, after: i64, me: &str) -> Result<Vec<(i64, TeamSend)>> {
    let rows = client
        .query(
            "SELECT s.seq, s.desk_id, d.name, s.message, s.number, s.template_name, s.body_hash,
                    s.outcome, s.status, s.sent_at
             FROM smsdesk_sends s JOIN smsdesk_desks d ON d.id = s.desk_id
             WHERE s.seq > $1 AND s.desk_id <> $2 ORDER BY s.seq",
            &[&after, &me],
        )
        .await
        .map_err(server)?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get(0).map_err(server)?,
                TeamSend {
                    desk_id: row.try_get(1).map_err(server)?,
                    desk_name: shown(row.try_get(2).map_err(server)?),
                    message: row.try_get(3).map_err(server)?,
                    number: row.try_get(4).map_err(server)?,
                    template_name: row
                        .try_get::<_, Option<String>>(5)
                        .map_err(server)?
                        .map(shown),
                    body_hash: row.try_get(6).map_err(server)?,
                    outcome: shown(row.try_get(7).map_err(server)?),
                    status: row
                        .try_get::<_, Option<String>>(8)
                        .map_err(server)?
                        .map(shown),
                    sent_at: row.try_get(9).map_err(server)?,
                },
            ))
        })
        .collect()
}

/// What another desk wrote, as it may be shown: one line, no control characters.
fn shown(text: String) -> String {
    crate::text_safety::line(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send(outcome: &str, status: Option<&str>) -> TeamSend {
        TeamSend {
            desk_id: "d".into(),
            desk_name: "Branch".into(),
            message: 1,
            number: "+12015550124".into(),
            template_name: None,
            body_hash: String::new(),
            outcome: outcome.into(),
            status: status.map(str::to_owned),
            sent_at: 0,
        }
    }

    #[test]
    fn another_desks_send_is_worded_as_this_desks_rows_are() {
        let cases = [
            ("accepted", Some("delivered"), RowState::Delivered),
            ("accepted", Some("undelivered"), RowState::Failed),
            ("accepted", Some("failed"), RowState::Failed),
            ("accepted", Some("queued"), RowState::Pending),
            ("accepted", None, RowState::Accepted),
            ("sending", None, RowState::Sending),
            ("unknown", None, RowState::Unknown),
            ("blocked", None, RowState::Blocked),
            ("rejected", None, RowState::NotSent),
            ("not_sent", None, RowState::NotSent),
        ];
        for (outcome, status, expected) in cases {
            assert_eq!(
                send(outcome, status).state().0,
                expected,
                "{outcome} {status:?}"
            );
        }
    }
}
