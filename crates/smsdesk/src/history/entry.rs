//! A history row as front ends show it, with its state in plain words.

use rusqlite::Row;
use serde::Serialize;

/// The columns [`Entry::from_row`] reads, in order.
pub(crate) const COLUMNS: &str = "id, created_at, updated_at, to_number, recipient_name, body, \
    channel_id, channel_name, practice, workspace, teammate_id, teammate_name, template_id, \
    template_name, open_conversation, outcome, attempts, http_status, request_id, message_id, \
    error_code, error, problem, hint, status, status_detail, status_at, tracking, next_poll_at";
pub(crate) const COLUMN_COUNT: usize = 29;

/// One message in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: i64,
    /// Milliseconds since 1970 (UTC).
    pub created_at: i64,
    pub updated_at: i64,
    /// E.164.
    pub to: String,
    /// The number grouped for reading (`+1 201-555-0123`); in pages and details, not exports.
    pub to_display: String,
    pub name: String,
    pub body: String,
    pub channel_id: String,
    pub channel_name: String,
    pub practice: bool,
    pub workspace: String,
    pub teammate_id: Option<String>,
    pub teammate_name: Option<String>,
    pub template_id: Option<String>,
    pub template_name: Option<String>,
    pub open_conversation: bool,
    /// `sending`, `accepted`, `rejected`, `unauthorized`, `not_sent`, `unknown` or `blocked`.
    pub outcome: String,
    pub attempts: u32,
    pub http_status: Option<u16>,
    pub request_id: Option<String>,
    pub message_id: Option<String>,
    pub error_code: Option<i64>,
    /// The server's words, or what went wrong on the way.
    pub error: Option<String>,
    /// What happened, for a person.
    pub problem: Option<String>,
    /// What to do next.
    pub hint: Option<String>,
    /// Delivery: `queued`, `sent`, `delivered`, `failed`, `undelivered`, or what the server said.
    pub status: Option<String>,
    /// Why it failed, as the server put it.
    pub status_detail: Option<String>,
    pub status_at: Option<i64>,
    /// `none`, `active`, `done`, `unavailable`, `gave_up` or `stopped`.
    pub tracking: String,
    pub next_poll_at: Option<i64>,
    /// `sending`, `delivered`, `pending`, `accepted`, `failed`, `not_sent`, `unknown` or
    /// `blocked`: one word for the row's colour and icon.
    pub state: &'static str,
    /// The state in plain words, such as "Delivered" or "Not delivered: the phone is off".
    pub summary: String,
}

/// A step in a message's life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub at: i64,
    pub what: String,
}

/// A row with everything the detail view shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Detail {
    #[serde(flatten)]
    pub entry: Entry,
    pub events: Vec<Event>,
    /// The send's answer as received (JSON text), when there was one.
    pub raw_response: Option<String>,
    /// The last delivery status answer as received (JSON text).
    pub raw_status: Option<String>,
}

impl Entry {
    pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Entry> {
        let mut entry = Entry {
            id: row.get(0)?,
            created_at: row.get(1)?,
            updated_at: row.get(2)?,
            to: row.get(3)?,
            to_display: String::new(),
            name: row.get(4)?,
            body: row.get(5)?,
            channel_id: row.get(6)?,
            channel_name: row.get(7)?,
            practice: row.get(8)?,
            workspace: row.get(9)?,
            teammate_id: row.get(10)?,
            teammate_name: row.get(11)?,
            template_id: row.get(12)?,
            template_name: row.get(13)?,
            open_conversation: row.get(14)?,
            outcome: row.get(15)?,
            attempts: row.get(16)?,
            http_status: row.get(17)?,
            request_id: row.get(18)?,
            message_id: row.get(19)?,
            error_code: row.get(20)?,
            error: row.get(21)?,
            problem: row.get(22)?,
            hint: row.get(23)?,
            status: row.get(24)?,
            status_detail: row.get(25)?,
            status_at: row.get(26)?,
            tracking: row.get(27)?,
            next_poll_at: row.get(28)?,
            state: "",
            summary: String::new(),
        };
        entry.to_display = entry.to.clone();
        let (state, summary) = describe(&entry);
        entry.state = state;
        entry.summary = summary;
        Ok(entry)
    }
}

/// The row's state as one word and in plain words.
fn describe(e: &Entry) -> (&'static str, String) {
    match e.outcome.as_str() {
        "sending" => ("sending", "Sending…".to_owned()),
        "blocked" => (
            "blocked",
            "Not sent: the number is on the do-not-text list".to_owned(),
        ),
        "rejected" | "unauthorized" => ("not_sent", "Not sent: Octopods refused it".to_owned()),
        "not_sent" => (
            "not_sent",
            "Not sent: Octopods could not be reached".to_owned(),
        ),
        "unknown" => (
            "unknown",
            "Outcome unknown: it may have been sent".to_owned(),
        ),
        "accepted" => describe_delivery(e),
        other => ("unknown", other.to_owned()),
    }
}

fn describe_delivery(e: &Entry) -> (&'static str, String) {
    let reason = e
        .status_detail
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    match e.status.as_deref() {
        Some("delivered") => return ("delivered", "Delivered".to_owned()),
        Some(status @ ("failed" | "undelivered")) => {
            let words = match (status, reason) {
                (_, Some(reason)) => format!("Not delivered: {reason}"),
                ("failed", None) => "Not delivered: the phone company refused it".to_owned(),
                _ => "Not delivered: it could not reach the phone".to_owned(),
            };
            return ("failed", words);
        }
        _ => {}
    }
    match e.tracking.as_str() {
        "unavailable" => (
            "accepted",
            "Accepted by Octopods (tracking not available)".to_owned(),
        ),
        "gave_up" => (
            "accepted",
            "Accepted; no delivery report came within a day".to_owned(),
        ),
        "stopped" => (
            "accepted",
            match reason {
                Some(reason) => format!("Accepted; delivery tracking stopped: {reason}"),
                None => "Accepted; delivery tracking stopped".to_owned(),
            },
        ),
        _ => match e.status.as_deref() {
            Some("queued") => ("pending", "Accepted, waiting to be sent".to_owned()),
            Some("sent") => (
                "pending",
                "Sent to the phone company, waiting for delivery".to_owned(),
            ),
            Some(other) if other != "unknown" => ("pending", format!("Accepted ({other})")),
            _ => ("pending", "Accepted, checking delivery…".to_owned()),
        },
    }
}
