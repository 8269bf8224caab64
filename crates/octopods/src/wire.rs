//! What goes over the wire: the send request body and the documented error codes.

use serde::{Deserialize, Serialize};

/// The header that carries the channel's API key (no `Bearer` prefix).
pub const AUTH_HEADER: &str = "X-Octopods-Auth";
/// The send endpoint; the status endpoint is this path followed by `/{message_id}`.
pub const MESSAGES_PATH: &str = "/api/v1/sms/messages";
/// Octopods' documented limit for `body`, in characters.
pub const MAX_BODY_CHARS: usize = 1600;

/// The JSON body of a send. Optional fields left empty are omitted, never sent as `null` or `""`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendRequest {
    pub destination_phone: String,
    pub body: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open_intercom_conversation: bool,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub intercom_teammate_id: Option<String>,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub destination_user_name: Option<String>,
}

fn is_blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(|v| v.trim().is_empty())
}

impl SendRequest {
    /// A plain send: no conversation, default sender.
    pub fn new(destination_phone: impl Into<String>, body: impl Into<String>) -> Self {
        Self {
            destination_phone: destination_phone.into(),
            body: body.into(),
            open_intercom_conversation: false,
            intercom_teammate_id: None,
            destination_user_name: None,
        }
    }
}

/// The `error_code` values Octopods documents for HTTP 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    ArgumentMissing,
    EmptyBody,
    PhoneInvalid,
    SmsError,
    DeprecatedApiKey,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 5] = [
        ErrorCode::ArgumentMissing,
        ErrorCode::EmptyBody,
        ErrorCode::PhoneInvalid,
        ErrorCode::SmsError,
        ErrorCode::DeprecatedApiKey,
    ];

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn code(self) -> i64 {
        match self {
            ErrorCode::ArgumentMissing => 1,
            ErrorCode::EmptyBody => 2,
            ErrorCode::PhoneInvalid => 3,
            ErrorCode::SmsError => 4,
            ErrorCode::DeprecatedApiKey => 5,
        }
    }

    /// The documented name, e.g. `PHONE_INVALID`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::ArgumentMissing => "ARGUMENT_MISSING",
            ErrorCode::EmptyBody => "EMPTY_BODY",
            ErrorCode::PhoneInvalid => "PHONE_INVALID",
            ErrorCode::SmsError => "SMS_ERROR",
            ErrorCode::DeprecatedApiKey => "DEPRECATED_API_KEY",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_optionals_are_omitted() {
        let mut req = SendRequest::new("+15551234567", "Hi");
        req.intercom_teammate_id = Some("  ".into());
        req.destination_user_name = Some(String::new());
        let json = serde_json::to_value(&req).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"destination_phone": "+15551234567", "body": "Hi"}),
            "blank optionals and a false flag must not be sent"
        );
    }

    #[test]
    fn codes_round_trip() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code(code.code()), Some(code));
        }
        assert_eq!(ErrorCode::from_code(99), None);
    }
}
