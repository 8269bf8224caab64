//! What became of a send, typed: the [`Outcome`] (also stored in the history) and the
//! [`SendReport`] a person and a script are told, with the problem in plain words.

use octopods::{ErrorCode, SendOutcome};
use serde::Serialize;

use crate::error::UserError;
use crate::states::Outcome;

/// What the person (and a script) is told about a send.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendReport {
    /// Accepted, rejected, unauthorized, not sent or unknown (never sending or blocked).
    pub outcome: Outcome,
    pub http_status: Option<u16>,
    pub request_id: Option<String>,
    pub message_id: Option<String>,
    pub phone_number: Option<String>,
    pub error_code: Option<i64>,
    /// The server's own words, or what went wrong on the way.
    pub error: Option<String>,
    /// How many requests were made (more than one only when the earlier ones provably failed).
    pub attempts: u32,
    /// For anything but `accepted`: what happened and what to do, in plain words. The
    /// technical detail (status, network error) is in `error`, for a "details" line.
    pub problem: Option<UserError>,
    /// The server's answer as received, for the history's detail view.
    #[serde(skip)]
    pub raw: Option<serde_json::Value>,
}

impl SendReport {
    pub fn new(outcome: &SendOutcome, attempts: u32) -> Self {
        let mut report = SendReport {
            outcome: Outcome::NotSent,
            http_status: outcome.http_status(),
            request_id: None,
            message_id: None,
            phone_number: None,
            error_code: None,
            error: None,
            attempts,
            problem: None,
            raw: None,
        };
        match outcome {
            SendOutcome::Accepted(a) => {
                report.outcome = Outcome::Accepted;
                report.request_id = a.request_id.clone();
                report.message_id = a.message_id.clone();
                report.phone_number = a.phone_number.clone();
                report.raw = Some(a.raw.clone());
            }
            SendOutcome::Rejected(r) => {
                report.outcome = Outcome::Rejected;
                report.request_id = r.request_id.clone();
                report.error_code = r.error_code;
                report.error = Some(r.error.clone());
                report.raw = Some(r.raw.clone());
                report.problem = Some(rejected_problem(r.code, r.error_code, &r.error));
            }
            SendOutcome::Unauthorized { .. } => {
                report.outcome = Outcome::Unauthorized;
                report.error = Some("Unauthorized (HTTP 401).".into());
                report.problem = Some(UserError::new(
                    "unauthorized",
                    "Octopods did not accept this channel's API key, so the message was not sent.",
                    "Paste the channel's current API key in Settings (Octopods: Settings > SMS channel > API key).",
                ));
            }
            SendOutcome::RateLimited { .. } => {
                report.error = Some("Too many requests (HTTP 429).".into());
                report.problem = Some(UserError::new(
                    "rate_limited",
                    "Octopods is receiving too many messages right now, so this one was not sent.",
                    "Wait a minute, then send it again. Nothing went out.",
                ));
            }
            SendOutcome::NotSent { reason } => {
                report.error = Some(reason.clone());
                // The reason is already in plain words (DNS, proxy, certificate, refused...),
                // without addresses or passwords: the person sees which it was.
                report.problem = Some(UserError::new(
                    "not_sent",
                    format!(
                        "The message was not sent: SMS Desk could not reach Octopods. {reason}"
                    ),
                    "Nothing went out: once that is fixed, send it again.",
                ));
            }
            SendOutcome::Unknown { reason, .. } => {
                report.outcome = Outcome::Unknown;
                report.error = Some(reason.clone());
                report.problem = Some(UserError::new(
                    "outcome_unknown",
                    "SMS Desk cannot tell whether this message was sent: the answer from Octopods was missing or broken.",
                    "It may have reached the recipient. Do not send it again straight away: check in Octopods or with the recipient first.",
                ));
            }
        }
        report
    }

    pub fn is_accepted(&self) -> bool {
        self.outcome == Outcome::Accepted
    }

    /// Octopods refused the channel's key as replaced or revoked (error 5).
    pub fn key_was_replaced(&self) -> bool {
        self.error_code == Some(ErrorCode::DeprecatedApiKey.code())
    }
}

fn rejected_problem(code: Option<ErrorCode>, raw_code: Option<i64>, server: &str) -> UserError {
    match code {
        Some(ErrorCode::ArgumentMissing) => UserError::new(
            "octopods_argument_missing",
            format!("Octopods says the recipient's number is missing (\"{server}\")."),
            "Enter the recipient's number and send again.",
        ),
        Some(ErrorCode::EmptyBody) => UserError::new(
            "octopods_empty_body",
            format!("Octopods says the message is empty (\"{server}\")."),
            "Write a message and send again.",
        ),
        Some(ErrorCode::PhoneInvalid) => UserError::new(
            "octopods_phone_invalid",
            format!("Octopods did not accept the number (\"{server}\")."),
            "Check the number and its country, then send again.",
        ),
        Some(ErrorCode::SmsError) => UserError::new(
            "octopods_sms_error",
            format!("The text message provider refused this message: \"{server}\""),
            "The number may be a landline, blocked, or have opted out (replied STOP). Check with the recipient before trying again.",
        ),
        Some(ErrorCode::DeprecatedApiKey) => UserError::new(
            "deprecated_api_key",
            "This channel's API key was replaced or revoked in Octopods, so the message was not sent.",
            "Copy the current key from the channel's page in Octopods (Settings > SMS channel > API key) and paste it in Settings.",
        ),
        None => UserError::new(
            "octopods_error",
            match raw_code {
                Some(n) => format!("Octopods refused the message (error {n}): \"{server}\""),
                None => format!("Octopods refused the message: {server}"),
            },
            "Nothing was sent. Check the message and the settings; if it keeps happening, contact Octopods support with the request id.",
        ),
    }
}
