//! A history row as front ends show it, with its state in plain words.

use rusqlite::Row;
use serde::Serialize;

use crate::channels::Workspace;
use octopods::DeliveryStatus;

use crate::states::{Delivery, Outcome, RowState, Tracking};
use crate::text_safety::{from_server, line, message};

/// The columns [`Entry::from_row`] and [`Detail::from_row`] read (by name).
pub(crate) const COLUMNS: &str = "id, created_at, updated_at, to_number, recipient_name, body, \
    channel_id, channel_name, practice, workspace, teammate_id, teammate_name, template_id, \
    template_name, open_conversation, outcome, attempts, http_status, request_id, message_id, \
    error_code, error, problem, hint, status, status_detail, status_at, tracking, next_poll_at, \
    raw_response, raw_status, job";

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
    pub workspace: Workspace,
    pub teammate_id: Option<String>,
    pub teammate_name: Option<String>,
    pub template_id: Option<String>,
    pub template_name: Option<String>,
    pub open_conversation: bool,
    pub outcome: Outcome,
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
    pub status: Option<Delivery>,
    /// Why it failed, as the server put it.
    pub status_detail: Option<String>,
    pub status_at: Option<i64>,
    pub tracking: Tracking,
    pub next_poll_at: Option<i64>,
    /// The bulk job it was sent in, if any.
    pub job: Option<i64>,
    /// One word for the row's colour and icon.
    pub state: RowState,
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
    /// Reads a row selected with [`COLUMNS`].
    pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Entry> {
        let to: String = row.get("to_number")?;
        let mut entry = Entry {
            id: row.get("id")?,
            created_at: row.get("created_at")?,
            updated_at: row.get("updated_at")?,
            to_display: crate::phone::display(&to),
            to,
            name: row.get("recipient_name")?,
            body: row.get("body")?,
            channel_id: row.get("channel_id")?,
            channel_name: row.get("channel_name")?,
            practice: row.get("practice")?,
            workspace: row.get("workspace")?,
            teammate_id: row.get("teammate_id")?,
            teammate_name: row.get("teammate_name")?,
            template_id: row.get("template_id")?,
            template_name: row.get("template_name")?,
            open_conversation: row.get("open_conversation")?,
            outcome: row.get("outcome")?,
            attempts: row.get("attempts")?,
            http_status: row.get("http_status")?,
            request_id: row.get("request_id")?,
            message_id: row.get("message_id")?,
            error_code: row.get("error_code")?,
            error: row.get("error")?,
            problem: row.get("problem")?,
            hint: row.get("hint")?,
            status: row.get("status")?,
            status_detail: row.get("status_detail")?,
            status_at: row.get("status_at")?,
            tracking: row.get("tracking")?,
            next_poll_at: row.get("next_poll_at")?,
            job: row.get("job")?,
            state: RowState::Unknown,
            summary: String::new(),
        };
        entry.tidy();
        let (state, summary) = describe(&entry);
        entry.state = state;
        entry.summary = summary;
        Ok(entry)
    }

    /// Control characters kept out of what is shown, whoever stored the row: this version
    /// stores none, but an older one stored the person's text and the server's words as they
    /// came, and delivery answers are stored as received. The person's text is tidied as it
    /// would be sent now ([`message`], [`line`]); the server's words lose whole escape
    /// sequences ([`from_server`]). Text without controls is left as it is.
    fn tidy(&mut self) {
        fn tidy_with(text: &mut String, how: fn(&str) -> std::borrow::Cow<'_, str>) {
            if let std::borrow::Cow::Owned(clean) = how(text) {
                *text = clean;
            }
        }
        tidy_with(&mut self.name, line);
        tidy_with(&mut self.body, message);
        tidy_with(&mut self.channel_name, line);
        for text in [&mut self.teammate_name, &mut self.template_name]
            .into_iter()
            .flatten()
        {
            tidy_with(text, line);
        }
        for text in [
            &mut self.request_id,
            &mut self.message_id,
            &mut self.error,
            &mut self.problem,
            &mut self.hint,
            &mut self.status_detail,
        ]
        .into_iter()
        .flatten()
        {
            tidy_with(text, from_server);
        }
        if let Some(Delivery(DeliveryStatus::Other(word))) = &self.status {
            if let std::borrow::Cow::Owned(clean) = from_server(word) {
                self.status = Some(Delivery(DeliveryStatus::parse(&clean)));
            }
        }
    }
}

impl Detail {
    /// Reads a row selected with [`COLUMNS`] (its timeline is read separately).
    pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Detail> {
        // The raw answers as received, their controls escaped (the same JSON value).
        let raw = |column: &str| -> rusqlite::Result<Option<String>> {
            let text: Option<String> = row.get(column)?;
            Ok(text.map(|t| crate::text_safety::json(&t).into_owned()))
        };
        Ok(Detail {
            entry: Entry::from_row(row)?,
            events: Vec::new(),
            raw_response: raw("raw_response")?,
            raw_status: raw("raw_status")?,
        })
    }
}

/// The row's state as one word and in plain words.
fn describe(e: &Entry) -> (RowState, String) {
    match e.outcome {
        Outcome::Sending => (RowState::Sending, "Sending…".to_owned()),
        Outcome::Blocked => (
            RowState::Blocked,
            "Not sent: the number is on the do-not-text list".to_owned(),
        ),
        Outcome::Rejected | Outcome::Unauthorized => (
            RowState::NotSent,
            "Not sent: Octopods refused it".to_owned(),
        ),
        Outcome::NotSent => (
            RowState::NotSent,
            "Not sent: Octopods could not be reached".to_owned(),
        ),
        Outcome::Unknown => (
            RowState::Unknown,
            "Outcome unknown: it may have been sent".to_owned(),
        ),
        Outcome::Accepted => describe_delivery(e),
    }
}

fn describe_delivery(e: &Entry) -> (RowState, String) {
    let reason = e
        .status_detail
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let status = e.status.as_ref().map(|s| &s.0);
    match status {
        Some(DeliveryStatus::Delivered) => return (RowState::Delivered, "Delivered".to_owned()),
        Some(status @ (DeliveryStatus::Failed | DeliveryStatus::Undelivered)) => {
            let words = match (status, reason) {
                (_, Some(reason)) => format!("Not delivered: {reason}"),
                (DeliveryStatus::Failed, None) => {
                    "Not delivered: the phone company refused it".to_owned()
                }
                _ => "Not delivered: it could not reach the phone".to_owned(),
            };
            return (RowState::Failed, words);
        }
        _ => {}
    }
    match e.tracking {
        Tracking::Unavailable => (
            RowState::Accepted,
            "Accepted by Octopods (tracking not available)".to_owned(),
        ),
        Tracking::GaveUp => (
            RowState::Accepted,
            "Accepted; no delivery report came within a day".to_owned(),
        ),
        Tracking::Stopped => (
            RowState::Accepted,
            match reason {
                Some(reason) => format!("Accepted; delivery tracking stopped: {reason}"),
                None => "Accepted; delivery tracking stopped".to_owned(),
            },
        ),
        _ => match status {
            Some(DeliveryStatus::Queued) => {
                (RowState::Pending, "Accepted, waiting to be sent".to_owned())
            }
            Some(DeliveryStatus::Sent) => (
                RowState::Pending,
                "Sent to the phone company, waiting for delivery".to_owned(),
            ),
            Some(DeliveryStatus::Other(other)) => {
                (RowState::Pending, format!("Accepted ({other})"))
            }
            _ => (RowState::Pending, "Accepted, checking delivery…".to_owned()),
        },
    }
}
