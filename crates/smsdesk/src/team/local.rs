//! This desk's side of the team list, in its SQLite store: the outbox, the newest change per
//! number, and pulled changes applied to the local `optouts` table (the send gate's list).

use rusqlite::{params, OptionalExtension, Transaction};

use super::{wins, Action, Change, Membership};
use crate::error::Result;
use crate::store::config::keys;
use crate::store::Store;

impl Store {
    /// This desk's team membership, if it has joined one.
    pub fn team(&self) -> Result<Option<Membership>> {
        self.config(keys::TEAM)
    }

    pub fn set_team(&self, membership: Option<&Membership>) -> Result<()> {
        match membership {
            Some(m) => self.set_config(keys::TEAM, m),
            None => self.remove_config(keys::TEAM).map(|_| ()),
        }
    }

    /// Records a change of the list made at this desk (already applied to `optouts` by the
    /// caller, in `tx`), for the team: into the outbox and as the number's newest change.
    pub(crate) fn record_team_change(
        tx: &Transaction<'_>,
        desk: &str,
        number: &str,
        action: Action,
        reason: &str,
        made_at: i64,
    ) -> Result<()> {
        let change = Change {
            change_id: uuid::Uuid::new_v4().to_string(),
            number: number.to_owned(),
            action,
            reason: reason.to_owned(),
            desk: desk.to_owned(),
            made_at,
        };
        tx.execute(
            "INSERT INTO team_outbox (change_id, number, action, reason, made_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                change.change_id,
                change.number,
                change.action.as_str(),
                change.reason,
                change.made_at
            ],
        )?;
        note_state(tx, &change)?;
        Ok(())
    }

    /// The changes not pushed yet, in the order they were made here.
    pub fn team_outbox(&self, desk: &str) -> Result<Vec<(i64, Change)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT seq, change_id, number, action, reason, made_at FROM team_outbox ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([], |row| {
                let action: String = row.get(3)?;
                Ok((
                    row.get(0)?,
                    Change {
                        change_id: row.get(1)?,
                        number: row.get(2)?,
                        action: Action::parse(&action).unwrap_or(Action::Add),
                        reason: row.get(4)?,
                        desk: desk.to_owned(),
                        made_at: row.get(5)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// How many changes wait to be pushed.
    pub fn team_pending(&self) -> Result<u64> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM team_outbox", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The outbox's changes up to `seq` reached the server: they are taken out.
    pub fn team_pushed(&self, up_to: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM team_outbox WHERE seq <= ?1", [up_to])?;
            Ok(())
        })
    }

    /// Applies changes pulled from the server (oldest first) to this desk's list, and
    /// remembers the last one's sequence number; all or nothing. A change older than the
    /// newest one known for its number (this desk's own, pulled back, among them) changes
    /// nothing. Returns how many changed the list.
    pub fn apply_team_changes(&self, pulled: &[(i64, Change)], synced_at: i64) -> Result<u64> {
        self.write(move |tx| {
            let mut changed = 0u64;
            let mut last_seq = None;
            for (seq, change) in pulled {
                last_seq = Some(*seq);
                if !note_state(tx, change)? {
                    continue;
                }
                let rows = match change.action {
                    Action::Add => tx.execute(
                        "INSERT OR IGNORE INTO optouts (number, reason, added_at, message)
                         VALUES (?1, ?2, ?3, NULL)",
                        params![change.number, change.reason, change.made_at],
                    )?,
                    Action::Remove => {
                        tx.execute("DELETE FROM optouts WHERE number = ?1", [&change.number])?
                    }
                };
                if rows > 0 {
                    changed += 1;
                }
            }
            let mut membership: Membership = crate::store::config::read(tx, keys::TEAM)?
                .ok_or(crate::error::Error::TeamNotJoined)?;
            if let Some(seq) = last_seq {
                membership.last_seq = membership.last_seq.max(seq);
            }
            membership.last_sync = Some(synced_at);
            crate::store::config::write(tx, keys::TEAM, &membership, synced_at)?;
            Ok(changed)
        })
    }

    /// On joining: every number on this desk's list goes to the team (as added when it was
    /// added here), so nothing is lost either way.
    pub fn queue_whole_list_for_team(&self, desk: &str) -> Result<u64> {
        self.write(|tx| {
            let list: Vec<(String, String, i64)> = {
                let mut stmt = tx.prepare("SELECT number, reason, added_at FROM optouts")?;
                let rows = stmt
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                rows
            };
            for (number, reason, added_at) in &list {
                Store::record_team_change(tx, desk, number, Action::Add, reason, *added_at)?;
            }
            Ok(u64::try_from(list.len()).unwrap_or(0))
        })
    }
}

/// Remembers `change` as its number's newest if it wins over the one known; `false` when it
/// does not (it changes nothing).
fn note_state(tx: &Transaction<'_>, change: &Change) -> Result<bool> {
    let known: Option<(i64, String)> = tx
        .query_row(
            "SELECT made_at, action FROM team_optout_state WHERE number = ?1",
            [&change.number],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((made_at, action)) = known {
        let old = (made_at, Action::parse(&action).unwrap_or(Action::Add));
        if !wins((change.made_at, change.action), old) {
            return Ok(false);
        }
    }
    tx.execute(
        "INSERT INTO team_optout_state (number, action, made_at, desk, reason)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (number) DO UPDATE SET action = excluded.action, made_at = excluded.made_at,
             desk = excluded.desk, reason = excluded.reason",
        params![
            change.number,
            change.action.as_str(),
            change.made_at,
            change.desk,
            change.reason
        ],
    )?;
    Ok(true)
}
