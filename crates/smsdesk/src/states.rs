//! The states a message goes through, typed. Each is stored in SQLite as its snake_case word
//! (through `ToSql` / `FromSql`) and crosses to a front end as the same word, so a state is
//! never a string literal spelled in several files.

use octopods::DeliveryStatus;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Serialize, Serializer};

use crate::channels::Workspace;

/// Declares a unit enum stored and shown as fixed words.
macro_rules! worded {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stored (and shown) word.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word,)+ }
            }

            /// The state a stored word names, if any.
            pub fn parse(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let word = value.as_str()?;
                $name::parse(word).ok_or_else(|| FromSqlError::Other(
                    format!("\"{word}\" is not a {} this SMS Desk knows", stringify!($name)).into(),
                ))
            }
        }
    };
}

worded! {
    /// What became of a send attempt.
    pub enum Outcome {
        /// Written before the request; the answer is not in yet.
        Sending => "sending",
        Accepted => "accepted",
        /// A 400: Octopods refused it (with an error code).
        Rejected => "rejected",
        /// A 401: the key is not known.
        Unauthorized => "unauthorized",
        /// Provably not sent: no connection, or 429.
        NotSent => "not_sent",
        /// It may have gone out: never resent by itself.
        Unknown => "unknown",
        /// On the do-not-text list: no request was made.
        Blocked => "blocked",
    }
}

worded! {
    /// Where delivery tracking of an accepted message stands.
    pub enum Tracking {
        /// Not accepted: nothing to track.
        None => "none",
        /// Asked about on the status endpoint until a final status.
        Active => "active",
        /// A final status came.
        Done => "done",
        /// The workspace gives no message id (HubSpot).
        Unavailable => "unavailable",
        /// No final status within the tracking period.
        GaveUp => "gave_up",
        /// Stopped for a reason (kept in `status_detail`).
        Stopped => "stopped",
    }
}

worded! {
    /// One word for a row's colour and icon on the History screen.
    pub enum RowState {
        Sending => "sending",
        Delivered => "delivered",
        Pending => "pending",
        Accepted => "accepted",
        Failed => "failed",
        NotSent => "not_sent",
        Unknown => "unknown",
        Blocked => "blocked",
    }
}

worded! {
    /// Where one row of a bulk job stands. The last eight are final: each row ends in
    /// exactly one of them; the first three wait (to be sent, for their time, for a person).
    pub enum RowOutcome {
        /// Checked and rendered; not tried yet.
        Pending => "pending",
        /// Waiting for its time (sent later, or a reminder before the appointment).
        Scheduled => "scheduled",
        /// Its time passed while SMS Desk was not running (the computer was off or asleep):
        /// never sent late by itself; waits for a person to send it now, reschedule or cancel.
        Missed => "missed",
        /// Its request is being made (its history row is `sending`).
        Sending => "sending",
        Accepted => "accepted",
        Rejected => "rejected",
        Unauthorized => "unauthorized",
        /// Provably not sent (no connection, 429 after the retries, the job stopped).
        NotSent => "not_sent",
        /// It may have gone out: never resent by itself.
        Unknown => "unknown",
        /// On the do-not-text list.
        Blocked => "blocked",
        /// Not sendable: no valid mobile number, or a template field's cell is blank.
        Invalid => "invalid",
        /// The same number earlier in the file (that one is sent).
        Duplicate => "duplicate",
    }
}

impl RowOutcome {
    /// What a send's outcome makes of the row.
    pub fn from_outcome(outcome: Outcome) -> RowOutcome {
        match outcome {
            Outcome::Sending => RowOutcome::Sending,
            Outcome::Accepted => RowOutcome::Accepted,
            Outcome::Rejected => RowOutcome::Rejected,
            Outcome::Unauthorized => RowOutcome::Unauthorized,
            Outcome::NotSent => RowOutcome::NotSent,
            Outcome::Unknown => RowOutcome::Unknown,
            Outcome::Blocked => RowOutcome::Blocked,
        }
    }
}

worded! {
    /// What a job is: a list of reminders, or one message sent later.
    pub enum JobKind {
        List => "list",
        Single => "single",
    }
}

worded! {
    /// Where a bulk job stands.
    pub enum JobState {
        /// Stored, rows checked; nothing sent yet.
        Ready => "ready",
        Running => "running",
        Paused => "paused",
        /// Stopped by a person: no new sends; what was in flight was recorded.
        Cancelled => "cancelled",
        /// Every row has its outcome.
        Done => "done",
    }
}

impl ToSql for Workspace {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Workspace {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(Workspace::parse(value.as_str()?))
    }
}

/// A delivery status as stored: the known ones by their word, any other as the server's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery(pub DeliveryStatus);

impl Delivery {
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn is_final(&self) -> bool {
        self.0.is_final()
    }
}

impl Serialize for Delivery {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl ToSql for Delivery {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str().to_owned()))
    }
}

impl FromSql for Delivery {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(Delivery(DeliveryStatus::parse(value.as_str()?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_as_itself() {
        let conn = rusqlite::Connection::open_in_memory().expect("sqlite");
        for &outcome in Outcome::ALL {
            let back: Outcome = conn
                .query_row("SELECT ?1", [outcome], |row| row.get(0))
                .expect("round trip");
            assert_eq!(back, outcome);
        }
        for &tracking in Tracking::ALL {
            assert_eq!(Tracking::parse(tracking.as_str()), Some(tracking));
        }
        let unknown: rusqlite::Result<Outcome> =
            conn.query_row("SELECT 'posted'", [], |row| row.get(0));
        assert!(
            unknown.is_err(),
            "an unknown word is an error, not a default"
        );
        assert_eq!(
            serde_json::to_value(Outcome::NotSent).expect("json"),
            "not_sent"
        );
    }
}
