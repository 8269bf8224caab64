//! Finding messages: search, filters and pages, each an indexed query.

use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use octopods::DeliveryStatus;

use super::entry::{Entry, COLUMNS};
use crate::error::{Error, Result};
use crate::states::{Outcome, Tracking};
use crate::store::Store;

/// The History screen's filters (all optional) and the command line's `--status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Filter {
    /// Part of a number (any format), a name, or words of the message.
    pub search: String,
    /// One of [`STATUS_FILTERS`]; empty for all.
    pub status: String,
    /// A channel id; empty for all.
    pub channel: String,
    /// From this time (milliseconds since 1970), inclusive.
    pub from: Option<i64>,
    /// Until this time, exclusive.
    pub until: Option<i64>,
}

/// The `status` filter's words (the command line's `--status` too).
pub const STATUS_FILTERS: &[&str] = &[
    "delivered",
    "pending",
    "not_delivered",
    "refused",
    "sending",
    "accepted",
    "rejected",
    "unauthorized",
    "not_sent",
    "unknown",
    "blocked",
    "queued",
    "sent",
    "failed",
    "undelivered",
];

/// What a `status` filter word selects, as SQL built from the typed states.
fn status_clause(word: &str) -> Option<String> {
    let outcome = |o: Outcome| format!("outcome = '{o}'");
    let status = |s: DeliveryStatus| format!("status = '{}'", s.as_str());
    let final_statuses = format!(
        "'{}', '{}', '{}'",
        DeliveryStatus::Delivered.as_str(),
        DeliveryStatus::Failed.as_str(),
        DeliveryStatus::Undelivered.as_str()
    );
    let not_delivered = format!(
        "status IN ('{}', '{}')",
        DeliveryStatus::Failed.as_str(),
        DeliveryStatus::Undelivered.as_str()
    );
    Some(match word {
        "delivered" => status(DeliveryStatus::Delivered),
        "pending" => format!(
            "outcome = '{}' AND tracking = '{}' AND IFNULL(status, '') NOT IN ({final_statuses})",
            Outcome::Accepted,
            Tracking::Active
        ),
        "not_delivered" => not_delivered,
        "refused" => format!(
            "outcome IN ('{}', '{}', '{}')",
            Outcome::Rejected,
            Outcome::Unauthorized,
            Outcome::NotSent
        ),
        "queued" => status(DeliveryStatus::Queued),
        "sent" => status(DeliveryStatus::Sent),
        "failed" => status(DeliveryStatus::Failed),
        "undelivered" => status(DeliveryStatus::Undelivered),
        other => outcome(Outcome::parse(other)?),
    })
}

/// One page of results, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub entries: Vec<Entry>,
    /// How many rows match the filter in all.
    pub total: u64,
    pub offset: u64,
}

/// A channel that appears in the history, for the channel filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeenChannel {
    pub id: String,
    pub name: String,
}

/// `LIKE` text with its wildcards taken literally.
fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// A search that looks like (part of) a phone number: its digits, to match the E.164 form
/// whatever way it was typed.
fn phone_digits(search: &str) -> Option<String> {
    let looks_like_number = search
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits: String = search.chars().filter(char::is_ascii_digit).collect();
    (looks_like_number && digits.len() >= 3).then_some(digits)
}

impl Filter {
    /// The `WHERE` clause and its parameters.
    pub(crate) fn to_sql(&self) -> Result<(String, Vec<Value>)> {
        let mut clauses: Vec<String> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        let search = self.search.trim();
        if !search.is_empty() {
            match phone_digits(search) {
                Some(digits) => {
                    params.push(Value::Text(like_pattern(&digits)));
                    clauses.push(format!("to_number LIKE ?{} ESCAPE '\\'", params.len()));
                }
                None => {
                    params.push(Value::Text(like_pattern(search)));
                    let n = params.len();
                    clauses.push(format!(
                        "(recipient_name LIKE ?{n} ESCAPE '\\' OR body LIKE ?{n} ESCAPE '\\' OR to_number LIKE ?{n} ESCAPE '\\')"
                    ));
                }
            }
        }
        let status = self.status.trim();
        if !status.is_empty() {
            let clause = status_clause(&status.to_ascii_lowercase())
                .ok_or_else(|| Error::UnknownStatusFilter(status.to_owned()))?;
            clauses.push(format!("({clause})"));
        }
        if !self.channel.trim().is_empty() {
            params.push(Value::Text(self.channel.trim().to_owned()));
            clauses.push(format!("channel_id = ?{}", params.len()));
        }
        if let Some(from) = self.from {
            params.push(Value::Integer(from));
            clauses.push(format!("created_at >= ?{}", params.len()));
        }
        if let Some(until) = self.until {
            params.push(Value::Integer(until));
            clauses.push(format!("created_at < ?{}", params.len()));
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        Ok((sql, params))
    }
}

impl Store {
    /// Up to `limit` rows matching `filter`, newest first, skipping `offset`; and how many
    /// match in all.
    pub fn list(&self, filter: &Filter, offset: u64, limit: u64) -> Result<Page> {
        self.recover()?;
        let (where_sql, mut params) = filter.to_sql()?;
        let conn = self.conn();
        let total: i64 = conn.query_row(
            &format!("SELECT COUNT(*) FROM messages {where_sql}"),
            rusqlite::params_from_iter(params.iter()),
            |row| row.get(0),
        )?;
        params.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        params.push(Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)));
        let n = params.len();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM messages {where_sql} ORDER BY id DESC LIMIT ?{} OFFSET ?{n}",
            n - 1
        ))?;
        let entries = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), Entry::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page {
            entries,
            total: u64::try_from(total).unwrap_or_default(),
            offset,
        })
    }

    /// Every channel that has messages in the history, by name.
    pub fn channels(&self) -> Result<Vec<SeenChannel>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT channel_id, (SELECT channel_name FROM messages m2 WHERE m2.channel_id = m1.channel_id ORDER BY id DESC LIMIT 1) AS name
             FROM (SELECT DISTINCT channel_id FROM messages) m1 ORDER BY 2",
        )?;
        let channels = stmt
            .query_map([], |row| {
                Ok(SeenChannel {
                    id: row.get("channel_id")?,
                    name: row.get("name")?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(channels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_are_literal_and_numbers_match_by_digits() {
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(
            phone_digits("(201) 555-0123").as_deref(),
            Some("2015550123")
        );
        assert_eq!(phone_digits("Jane 555"), None);
        assert_eq!(phone_digits("12"), None);
    }

    #[test]
    fn every_status_word_selects_something() {
        for word in STATUS_FILTERS {
            assert!(status_clause(word).is_some(), "{word}");
        }
    }

    #[test]
    fn an_unknown_status_is_refused() {
        let filter = Filter {
            status: "deliverd".into(),
            ..Filter::default()
        };
        assert!(matches!(
            filter.to_sql(),
            Err(Error::UnknownStatusFilter(_))
        ));
    }
}
