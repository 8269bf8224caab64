//! Team desks (issue 13): several copies of SMS Desk share one do-not-text list through a
//! PostgreSQL server, each keeping its own SQLite store as its working copy.
//!
//! - [`server`]: the team's database — its schema (numbered, add-only migrations, applied
//!   under an advisory lock so two desks joining at once do not collide), desks, and the
//!   append-only log of do-not-text changes (`optout_changes`, one row per add or removal,
//!   each with the `change_id` the desk made, so a push that is retried never duplicates).
//! - [`local`]: this desk's side in its SQLite store — the outbox of changes not pushed yet
//!   (`team_outbox`), the newest change known for each number (`team_optout_state`), and
//!   applying pulled changes to the local `optouts` table, which stays what the send gate
//!   asks (so sending goes on, offline, against the last copy of the team list).
//!
//! **Which change wins**: for each number, the change made last (by the desk's clock when it
//! was made) decides whether it is on the list; at the same moment an addition wins over a
//! removal. So an opt-out recorded anywhere wins over an older removal, and a removal, made
//! explicitly and recorded with its desk and reason, wins over the additions before it.
//!
//! **Nothing lost, nothing twice**: a change is written to the outbox in the same SQLite
//! transaction as the local list; a push inserts the outbox's changes in one server
//! transaction (`ON CONFLICT (change_id) DO NOTHING`) and only then clears them locally; a kill
//! at any point leaves them to be pushed again, harmlessly. Pushes take the table's write lock
//! so that the change log's sequence numbers are committed in order, and a pull (`seq >` the
//! last one seen) never skips one.

pub mod connection;
pub mod documents;
pub mod local;
pub mod sends;
pub mod server;

use serde::{Deserialize, Serialize};

/// One change of the team's do-not-text list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Made by the desk (random): the same change pushed twice is stored once.
    pub change_id: String,
    /// E.164.
    pub number: String,
    pub action: Action,
    /// Why (an addition's reason, or who removed it and why).
    pub reason: String,
    /// The desk that made it (its id).
    pub desk: String,
    /// Milliseconds since 1970, by the desk's clock when it was made.
    pub made_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Add,
    Remove,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Remove => "remove",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "add" => Some(Action::Add),
            "remove" => Some(Action::Remove),
            _ => None,
        }
    }
}

/// Whether `new` decides over `old` for the same number: made later, or at the same moment
/// and an addition.
pub fn wins(new: (i64, Action), old: (i64, Action)) -> bool {
    new.0 > old.0 || (new.0 == old.0 && new.1 == Action::Add && old.1 == Action::Remove)
}

/// This desk's membership, kept in the store's config (never the password: that is in the
/// keychain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The connection string without its password.
    pub server: String,
    pub desk_id: String,
    pub desk_name: String,
    /// The last change of the team's log this desk has applied.
    pub last_seq: i64,
    /// When this desk last pushed and pulled successfully (ms), if ever.
    pub last_sync: Option<i64>,
    /// The last change of the team's history this desk has pulled.
    #[serde(default)]
    pub last_send_seq: i64,
    /// Past how many minutes without a sync the list is too old for a live list to start
    /// unconfirmed.
    #[serde(default = "default_stale_minutes")]
    pub stale_after_minutes: u32,
    /// When the person last confirmed sending lists on an old copy (ms): good for
    /// `stale_after_minutes` from then.
    #[serde(default)]
    pub stale_confirmed_at: Option<i64>,
}

/// An hour, as the issue asks.
pub const DEFAULT_STALE_MINUTES: u32 = 60;

fn default_stale_minutes() -> u32 {
    DEFAULT_STALE_MINUTES
}

impl Membership {
    fn limit_ms(&self) -> i64 {
        i64::from(self.stale_after_minutes) * 60_000
    }

    /// Whether this desk's copy of the team list is older than the limit at `now` (never
    /// synced counts as old).
    pub fn stale(&self, now: i64) -> bool {
        self.last_sync.is_none_or(|at| now - at > self.limit_ms())
    }

    /// Whether a live list may start at `now`: the copy is fresh, or the person confirmed
    /// the old one lately.
    pub fn may_start_list(&self, now: i64) -> bool {
        !self.stale(now)
            || self
                .stale_confirmed_at
                .is_some_and(|at| now - at <= self.limit_ms())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_later_change_wins_and_an_addition_wins_a_tie() {
        assert!(wins((2, Action::Remove), (1, Action::Add)));
        assert!(wins((2, Action::Add), (1, Action::Remove)));
        assert!(!wins((1, Action::Remove), (2, Action::Add)));
        assert!(wins((5, Action::Add), (5, Action::Remove)));
        assert!(!wins((5, Action::Remove), (5, Action::Add)));
        assert!(
            !wins((5, Action::Add), (5, Action::Add)),
            "the same change is no news"
        );
    }
}
