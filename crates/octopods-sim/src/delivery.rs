//! Accepted messages and their delivery status, which advances one stage per poll:
//! 1st read `queued`, 2nd `sent`, 3rd and later the final status. Deterministic, so tests
//! never wait.

use std::collections::HashMap;
use std::time::SystemTime;

use serde::Serialize;

use crate::config::StatusShape;
use crate::magic::FinalStatus;
use crate::timefmt::rfc3339;

/// The first `message_id` handed out (the one in Octopods' own example).
pub const FIRST_MESSAGE_ID: u64 = 4_829_174;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Queued,
    Sent,
    Final(FinalStatus),
}

#[derive(Debug)]
struct Message {
    /// The key that sent it: only that key can read its status, as with a real channel.
    key: String,
    phone: String,
    outcome: FinalStatus,
    polls: u32,
    accepted_at: SystemTime,
    sent_at: Option<SystemTime>,
    finished_at: Option<SystemTime>,
}

impl Message {
    fn stage(&self) -> Stage {
        match self.polls {
            0 | 1 => Stage::Queued,
            2 => Stage::Sent,
            _ => Stage::Final(self.outcome),
        }
    }

    /// Counts one status read and stamps the stage it reaches.
    fn poll(&mut self, now: SystemTime) -> Stage {
        self.polls = self.polls.saturating_add(1);
        let stage = self.stage();
        if matches!(stage, Stage::Sent | Stage::Final(_)) && self.sent_at.is_none() {
            self.sent_at = Some(now);
        }
        if matches!(stage, Stage::Final(_)) && self.finished_at.is_none() {
            self.finished_at = Some(now);
        }
        stage
    }
}

/// Every message accepted since the simulator started.
#[derive(Debug)]
pub(crate) struct Messages {
    next_id: u64,
    by_id: HashMap<u64, Message>,
}

impl Default for Messages {
    fn default() -> Self {
        Self {
            next_id: FIRST_MESSAGE_ID,
            by_id: HashMap::new(),
        }
    }
}

impl Messages {
    /// Stores an accepted message and returns its id.
    pub(crate) fn accept(&mut self, key: &str, phone: &str, outcome: FinalStatus) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.by_id.insert(
            id,
            Message {
                key: key.to_owned(),
                phone: phone.to_owned(),
                outcome,
                polls: 0,
                accepted_at: SystemTime::now(),
                sent_at: None,
                finished_at: None,
            },
        );
        id
    }

    /// Reads (and so advances) a message's status, as the status endpoint's JSON body in the
    /// given shape. `None` when no message with this id was sent with this key.
    pub(crate) fn poll(
        &mut self,
        key: &str,
        id: u64,
        shape: StatusShape,
        request_id: &str,
    ) -> Option<StatusBody> {
        let message = self.by_id.get_mut(&id).filter(|m| m.key == key)?;
        let stage = message.poll(SystemTime::now());
        Some(match shape {
            StatusShape::Modern => modern(id, message, stage, request_id),
            StatusShape::Legacy => legacy(id, message, stage, request_id),
        })
    }
}

/// The SMS page's shape; `null` for the stages not reached yet.
#[derive(Debug, Serialize)]
pub(crate) struct Modern {
    request_id: String,
    message_id: u64,
    status: &'static str,
    phone_number: String,
    sent_at: Option<String>,
    delivered_at: Option<String>,
    failure_reason: Option<&'static str>,
}

/// The older page's shape: upper-case status, the id as a string.
#[derive(Debug, Serialize)]
pub(crate) struct Legacy {
    message_id: String,
    status: &'static str,
    status_message: &'static str,
    last_updated: String,
    request_id: String,
}

/// The status endpoint's JSON body, in the key's shape. Structs rather than `json!` so that
/// the fields come out in the documented order.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum StatusBody {
    Modern(Modern),
    Legacy(Legacy),
}

fn modern(id: u64, m: &Message, stage: Stage, request_id: &str) -> StatusBody {
    let (status, delivered, failure_reason) = match stage {
        Stage::Queued => ("queued", false, None),
        Stage::Sent => ("sent", false, None),
        Stage::Final(FinalStatus::Delivered) => ("delivered", true, None),
        Stage::Final(FinalStatus::Failed(why)) => ("failed", false, Some(why)),
        Stage::Final(FinalStatus::Undelivered(why)) => ("undelivered", false, Some(why)),
    };
    StatusBody::Modern(Modern {
        request_id: request_id.to_owned(),
        message_id: id,
        status,
        phone_number: m.phone.clone(),
        sent_at: m.sent_at.map(rfc3339),
        delivered_at: m.finished_at.filter(|_| delivered).map(rfc3339),
        failure_reason,
    })
}

fn legacy(id: u64, m: &Message, stage: Stage, request_id: &str) -> StatusBody {
    let (status, status_message) = match stage {
        Stage::Queued => ("QUEUED", "Message queued for sending."),
        Stage::Sent => ("SENT", "Message handed to the carrier."),
        Stage::Final(FinalStatus::Delivered) => ("DELIVERED", "Delivered to handset."),
        Stage::Final(FinalStatus::Failed(why)) => ("FAILED", why),
        Stage::Final(FinalStatus::Undelivered(why)) => ("UNDELIVERED", why),
    };
    let last_updated = m.finished_at.or(m.sent_at).unwrap_or(m.accepted_at);
    StatusBody::Legacy(Legacy {
        message_id: id.to_string(),
        status,
        status_message,
        last_updated: rfc3339(last_updated),
        request_id: request_id.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// Reads a status as JSON, as a client would see it.
    fn poll(messages: &mut Messages, key: &str, id: u64, shape: StatusShape) -> Option<Value> {
        let body = messages.poll(key, id, shape, "r")?;
        serde_json::to_value(body).ok()
    }

    #[test]
    fn modern_status_advances_one_stage_per_poll() {
        let mut messages = Messages::default();
        let id = messages.accept("k", "+15551234567", FinalStatus::Delivered);
        assert_eq!(id, FIRST_MESSAGE_ID);
        let first = poll(&mut messages, "k", id, StatusShape::Modern).expect("known");
        assert_eq!(first["status"], "queued");
        assert_eq!(first["sent_at"], Value::Null);
        assert_eq!(first["delivered_at"], Value::Null);
        assert_eq!(first["message_id"], json!(id));
        assert_eq!(first["request_id"], "r");
        let second = poll(&mut messages, "k", id, StatusShape::Modern).expect("known");
        assert_eq!(second["status"], "sent");
        assert!(second["sent_at"].is_string());
        assert_eq!(second["delivered_at"], Value::Null);
        for _ in 0..3 {
            let last = poll(&mut messages, "k", id, StatusShape::Modern).expect("known");
            assert_eq!(last["status"], "delivered");
            assert_eq!(last["sent_at"], second["sent_at"], "stamped once");
            assert!(last["delivered_at"].is_string());
            assert_eq!(last["failure_reason"], Value::Null);
        }
    }

    #[test]
    fn fields_come_in_the_documented_order() {
        let mut messages = Messages::default();
        let id = messages.accept("k", "+1", FinalStatus::Delivered);
        let modern = messages
            .poll("k", id, StatusShape::Modern, "r")
            .expect("known");
        let text = serde_json::to_string(&modern).expect("serialises");
        assert!(text.starts_with(r#"{"request_id":"r","message_id":4829174,"status":"queued","phone_number":"+1","sent_at":null"#), "{text}");
        let legacy = messages
            .poll("k", id, StatusShape::Legacy, "r")
            .expect("known");
        let text = serde_json::to_string(&legacy).expect("serialises");
        assert!(
            text.starts_with(r#"{"message_id":"4829174","status":"SENT","status_message":"#),
            "{text}"
        );
        assert!(text.ends_with(r#","request_id":"r"}"#), "{text}");
    }

    #[test]
    fn failures_carry_a_reason_and_no_delivery_time() {
        let mut messages = Messages::default();
        let id = messages.accept("k", "+1", FinalStatus::Undelivered("off"));
        let _ = poll(&mut messages, "k", id, StatusShape::Modern);
        let _ = poll(&mut messages, "k", id, StatusShape::Modern);
        let last = poll(&mut messages, "k", id, StatusShape::Modern).expect("known");
        assert_eq!(last["status"], "undelivered");
        assert_eq!(last["failure_reason"], "off");
        assert_eq!(last["delivered_at"], Value::Null);
    }

    #[test]
    fn legacy_shape() {
        let mut messages = Messages::default();
        let id = messages.accept("k", "+1", FinalStatus::Failed("rejected"));
        for status in ["QUEUED", "SENT", "FAILED", "FAILED"] {
            let body = poll(&mut messages, "k", id, StatusShape::Legacy).expect("known");
            assert_eq!(body["status"], status);
            assert_eq!(body["message_id"], json!(id.to_string()));
            assert!(body["last_updated"].is_string());
        }
        let body = poll(&mut messages, "k", id, StatusShape::Legacy).expect("known");
        assert_eq!(body["status_message"], "rejected");
    }

    #[test]
    fn only_the_sending_key_can_read_a_status() {
        let mut messages = Messages::default();
        let id = messages.accept("k", "+1", FinalStatus::Delivered);
        assert!(poll(&mut messages, "other", id, StatusShape::Modern).is_none());
        assert!(poll(&mut messages, "k", id + 1, StatusShape::Modern).is_none());
        let next = messages.accept("k", "+1", FinalStatus::Delivered);
        assert_eq!(next, id + 1, "ids count up");
    }
}
