//! The delivery status endpoint, in both documented shapes.

use std::time::Duration;

use serde_json::Value;

use crate::outcome::{text_field, Rejected};

/// A message's delivery status. Compared case-insensitively; anything else is kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryStatus {
    Queued,
    Sent,
    Delivered,
    Failed,
    Undelivered,
    Unknown,
    Other(String),
}

impl DeliveryStatus {
    pub fn parse(text: &str) -> Self {
        match text.trim().to_ascii_lowercase().as_str() {
            "queued" | "accepted" | "scheduled" => DeliveryStatus::Queued,
            "sent" | "sending" => DeliveryStatus::Sent,
            "delivered" => DeliveryStatus::Delivered,
            "failed" => DeliveryStatus::Failed,
            "undelivered" => DeliveryStatus::Undelivered,
            "unknown" | "" => DeliveryStatus::Unknown,
            _ => DeliveryStatus::Other(text.trim().to_owned()),
        }
    }

    /// `delivered`, `failed` and `undelivered` never change again; the rest are polled later.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            DeliveryStatus::Delivered | DeliveryStatus::Failed | DeliveryStatus::Undelivered
        )
    }

    pub fn as_str(&self) -> &str {
        match self {
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Undelivered => "undelivered",
            DeliveryStatus::Unknown => "unknown",
            DeliveryStatus::Other(s) => s,
        }
    }
}

/// What the status endpoint said about one message.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryReport {
    pub message_id: Option<String>,
    pub status: DeliveryStatus,
    pub request_id: Option<String>,
    pub phone_number: Option<String>,
    pub sent_at: Option<String>,
    pub delivered_at: Option<String>,
    /// `failure_reason` (SMS page) or `status_message` (older page).
    pub detail: Option<String>,
    pub last_updated: Option<String>,
    pub raw: Value,
}

pub(crate) fn report(raw: Value) -> DeliveryReport {
    DeliveryReport {
        message_id: text_field(&raw, &["message_id", "channel_message_id"]),
        status: DeliveryStatus::parse(&text_field(&raw, &["status"]).unwrap_or_default()),
        request_id: text_field(&raw, &["request_id"]),
        phone_number: text_field(&raw, &["phone_number"]),
        sent_at: text_field(&raw, &["sent_at"]),
        delivered_at: text_field(&raw, &["delivered_at"]),
        detail: text_field(&raw, &["failure_reason", "status_message"]),
        last_updated: text_field(&raw, &["last_updated"]),
        raw,
    }
}

/// Why no status could be read. Reading a status is harmless, so every case may be retried.
#[derive(Debug, Clone, PartialEq)]
pub enum StatusError {
    /// 400 (unknown message id, deprecated key, ...) or another 4xx.
    Rejected(Rejected),
    Unauthorized,
    RateLimited {
        retry_after: Option<Duration>,
    },
    /// The network failed or the server answered something that is not a status.
    Unavailable {
        http_status: Option<u16>,
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_shapes_parse() {
        let modern = report(json!({
            "request_id": "r", "message_id": 7, "status": "undelivered",
            "phone_number": "+15551234567", "sent_at": "2026-01-01T10:00:00Z",
            "delivered_at": null, "failure_reason": "Carrier blocked"
        }));
        assert_eq!(modern.status, DeliveryStatus::Undelivered);
        assert_eq!(modern.detail.as_deref(), Some("Carrier blocked"));
        assert_eq!(modern.delivered_at, None, "null means not reached yet");

        let legacy = report(json!({
            "message_id": "7", "status": "DELIVERED", "status_message": "Delivered to handset",
            "last_updated": "2026-01-01T10:00:05Z", "request_id": "r"
        }));
        assert_eq!(legacy.status, DeliveryStatus::Delivered);
        assert!(legacy.status.is_final());
        assert_eq!(legacy.detail.as_deref(), Some("Delivered to handset"));
    }

    #[test]
    fn unknown_statuses_are_kept_and_not_final() {
        assert_eq!(DeliveryStatus::parse("UNKNOWN"), DeliveryStatus::Unknown);
        let other = DeliveryStatus::parse("Receiving");
        assert_eq!(other, DeliveryStatus::Other("Receiving".into()));
        assert!(!other.is_final());
        assert!(!DeliveryStatus::parse("Queued").is_final());
    }
}
