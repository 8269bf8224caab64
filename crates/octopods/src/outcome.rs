//! What became of a send, classified so that callers can never mistake "maybe sent" for "not sent".

use std::time::Duration;

use serde_json::Value;

use crate::wire::ErrorCode;

/// The result of one `POST /api/v1/sms/messages`.
#[derive(Debug, Clone, PartialEq)]
pub enum SendOutcome {
    /// 2xx whose body is a JSON object with a `request_id`: Octopods took the message.
    Accepted(Accepted),
    /// 400 (or another 4xx) with Octopods' error: the message was not sent.
    Rejected(Rejected),
    /// 401: the key is missing or unknown. The message was not sent.
    Unauthorized { http_status: u16 },
    /// 429: not accepted; safe to send again after a pause.
    RateLimited { retry_after: Option<Duration> },
    /// The request never reached the server (DNS, refused, a certificate not trusted, a proxy
    /// that said no, connect timeout). `reason` says which, in plain words.
    NotSent { reason: String },
    /// The request was written but the answer proves nothing (5xx, timeout, reset, HTML or
    /// other non-JSON body, a 2xx without a `request_id`, an answer over
    /// [`crate::MAX_ANSWER_BYTES`]). The message may have gone out: never resend automatically.
    Unknown {
        http_status: Option<u16>,
        reason: String,
    },
}

impl SendOutcome {
    /// The stable name used in JSON output and history: `accepted`, `rejected`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            SendOutcome::Accepted(_) => "accepted",
            SendOutcome::Rejected(_) => "rejected",
            SendOutcome::Unauthorized { .. } => "unauthorized",
            SendOutcome::RateLimited { .. } => "rate_limited",
            SendOutcome::NotSent { .. } => "not_sent",
            SendOutcome::Unknown { .. } => "unknown",
        }
    }

    /// True only for outcomes that prove the message was not accepted and may be retried.
    pub fn is_safe_to_retry(&self) -> bool {
        matches!(
            self,
            SendOutcome::RateLimited { .. } | SendOutcome::NotSent { .. }
        )
    }

    pub fn http_status(&self) -> Option<u16> {
        match self {
            SendOutcome::Accepted(a) => Some(a.http_status),
            SendOutcome::Rejected(r) => Some(r.http_status),
            SendOutcome::Unauthorized { http_status } => Some(*http_status),
            SendOutcome::RateLimited { .. } => Some(429),
            SendOutcome::NotSent { .. } => None,
            SendOutcome::Unknown { http_status, .. } => *http_status,
        }
    }
}

/// A 2xx answer. Only `request_id` is in every documented shape; everything else may be absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    pub http_status: u16,
    pub request_id: Option<String>,
    /// Present on Intercom workspaces (`message_id`, or `channel_message_id` on some pages),
    /// as a number or a string on the wire; always text here.
    pub message_id: Option<String>,
    pub phone_number: Option<String>,
    /// The whole body as received, unknown fields included, for the history.
    pub raw: Value,
}

/// A 4xx answer other than 401 and 429.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub http_status: u16,
    pub request_id: Option<String>,
    /// The numeric `error_code` as sent, known or not.
    pub error_code: Option<i64>,
    /// The documented meaning of `error_code`, when it is one of 1–5.
    pub code: Option<ErrorCode>,
    /// The server's own words (`error`), or a description of the answer when it had none.
    pub error: String,
    pub raw: Value,
}

/// Reads the answer fields shared by every shape: leniently, as octopods-api.md asks.
pub(crate) fn text_field(body: &Value, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| match body.get(*name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

pub(crate) fn accepted(http_status: u16, raw: Value) -> Accepted {
    Accepted {
        http_status,
        request_id: text_field(&raw, &["request_id"]),
        message_id: text_field(&raw, &["message_id", "channel_message_id"]),
        phone_number: text_field(&raw, &["phone_number"]),
        raw,
    }
}

pub(crate) fn rejected(http_status: u16, raw: Value, fallback_text: &str) -> Rejected {
    let error_code = raw.get("error_code").and_then(|c| match c {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    });
    let error = text_field(&raw, &["error", "message", "error_message"])
        .unwrap_or_else(|| fallback_text.to_owned());
    Rejected {
        http_status,
        request_id: text_field(&raw, &["request_id"]),
        error_code,
        code: error_code.and_then(ErrorCode::from_code),
        error,
        raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn message_id_may_be_number_or_string() {
        let a = accepted(201, json!({"request_id": "r", "message_id": 4829174}));
        assert_eq!(a.message_id.as_deref(), Some("4829174"));
        let b = accepted(
            201,
            json!({"request_id": "r", "channel_message_id": "SM123"}),
        );
        assert_eq!(b.message_id.as_deref(), Some("SM123"));
        let c = accepted(201, json!({"request_id": "r"}));
        assert_eq!(c.message_id, None, "HubSpot workspaces send no message id");
    }

    #[test]
    fn unknown_error_codes_keep_the_server_text() {
        let r = rejected(
            400,
            json!({"error_code": 42, "error": "Something new"}),
            "x",
        );
        assert_eq!(r.error_code, Some(42));
        assert_eq!(r.code, None);
        assert_eq!(r.error, "Something new");
    }
}
