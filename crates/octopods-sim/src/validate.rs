//! Checks a send's JSON body in the order Octopods does, returning the documented error code.

use octopods::{ErrorCode, MAX_BODY_CHARS};
use serde_json::Value;

/// Why a send was refused with HTTP 400.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid {
    pub(crate) code: ErrorCode,
    pub(crate) error: String,
}

fn invalid(code: ErrorCode, error: impl Into<String>) -> Invalid {
    Invalid {
        code,
        error: error.into(),
    }
}

/// Validates a send body and returns its destination number. `body` is `None` when the
/// request body is not JSON at all.
pub(crate) fn send_body(body: Option<&Value>) -> Result<String, Invalid> {
    let Some(fields) = body.and_then(Value::as_object) else {
        return Err(invalid(
            ErrorCode::ArgumentMissing,
            "The request body must be a JSON object with destination_phone and body.",
        ));
    };
    // Like Rails' `params.require`, a blank value counts as missing.
    let phone = match fields.get("destination_phone") {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        _ => {
            return Err(invalid(
                ErrorCode::ArgumentMissing,
                "param is missing or the value is empty: destination_phone",
            ))
        }
    };
    let text = match fields.get("body") {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        _ => {
            return Err(invalid(
                ErrorCode::EmptyBody,
                "Message body cannot be empty.",
            ))
        }
    };
    if !is_e164(phone) {
        return Err(invalid(ErrorCode::PhoneInvalid, "Invalid Phone number."));
    }
    if let Some(flag) = fields.get("open_intercom_conversation") {
        if !is_flag(flag) {
            return Err(invalid(
                ErrorCode::SmsError,
                "open_intercom_conversation must be true or false.",
            ));
        }
    }
    if text.chars().count() > MAX_BODY_CHARS {
        return Err(invalid(
            ErrorCode::SmsError,
            format!("Message body exceeds {MAX_BODY_CHARS} characters."),
        ));
    }
    Ok(phone.clone())
}

/// `^\+[1-9]\d{6,14}$`: a plus, then 7 to 15 ASCII digits, the first not zero.
pub(crate) fn is_e164(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else {
        return false;
    };
    (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// The values Octopods accepts for `open_intercom_conversation`; `null` counts as absent.
fn is_flag(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(_) => true,
        Value::Number(n) => matches!(n.as_u64(), Some(0 | 1)),
        Value::String(s) => matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "1" | "0" | "yes" | "no" | "on" | "off"
        ),
        Value::Array(_) | Value::Object(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn code_of(body: Value) -> Option<i64> {
        send_body(Some(&body)).err().map(|e| e.code.code())
    }

    #[test]
    fn e164() {
        for ok in [
            "+15551234567",
            "+1234567",
            "+123456789012345",
            "+442071838750",
        ] {
            assert!(is_e164(ok), "{ok}");
        }
        for bad in [
            "15551234567",
            "+0555123456",
            "+123456",
            "+1234567890123456",
            "+1 555 123 4567",
            "+1555123456٣",
            "",
            "+",
            " +15551234567",
        ] {
            assert!(!is_e164(bad), "{bad}");
        }
    }

    #[test]
    fn error_codes_in_order() {
        assert_eq!(send_body(None).map_err(|e| e.code.code()), Err(1));
        assert_eq!(code_of(json!([1, 2])), Some(1));
        assert_eq!(code_of(json!({"body": "hi"})), Some(1));
        assert_eq!(
            code_of(json!({"destination_phone": 15551234567_u64, "body": "hi"})),
            Some(1)
        );
        assert_eq!(
            code_of(json!({"destination_phone": "  ", "body": "hi"})),
            Some(1)
        );
        assert_eq!(
            code_of(json!({"destination_phone": "nope"})),
            Some(2),
            "2 before 3"
        );
        assert_eq!(
            code_of(json!({"destination_phone": "+15551234567", "body": " \n"})),
            Some(2)
        );
        assert_eq!(
            code_of(json!({"destination_phone": "+15551234567", "body": 5})),
            Some(2)
        );
        assert_eq!(
            code_of(json!({"destination_phone": "555", "body": "hi"})),
            Some(3)
        );
        let phone = "+15551234567";
        assert_eq!(
            code_of(
                json!({"destination_phone": phone, "body": "hi", "open_intercom_conversation": "maybe"})
            ),
            Some(4)
        );
        let long = "é".repeat(MAX_BODY_CHARS + 1);
        assert_eq!(
            code_of(json!({"destination_phone": phone, "body": long})),
            Some(4)
        );
        let at_limit = "😀".repeat(MAX_BODY_CHARS);
        assert_eq!(
            code_of(json!({"destination_phone": phone, "body": at_limit})),
            None,
            "counted in characters, not bytes"
        );
    }

    #[test]
    fn flags() {
        for ok in [
            json!(true),
            json!(false),
            json!(1),
            json!(0),
            json!("YES"),
            json!("off"),
            json!("True"),
            json!("0"),
            Value::Null,
        ] {
            assert!(is_flag(&ok), "{ok}");
        }
        for bad in [
            json!(2),
            json!(-1),
            json!(1.5),
            json!("y"),
            json!(""),
            json!([]),
            json!({}),
        ] {
            assert!(!is_flag(&bad), "{bad}");
        }
    }
}
