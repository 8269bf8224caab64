//! The send path: one prepared request, retried only when the answer proves it was not
//! accepted, and a report in plain words.

use std::future::Future;
use std::time::Duration;

use std::sync::Arc;

use octopods::{Client, ErrorCode, SendOutcome, SendRequest};
use serde::Serialize;

use crate::draft::Prepared;
use crate::error::{Error, Result, UserError};
use crate::history::{History, NewMessage};

/// Waits between attempts; tests swap in one that does not sleep.
pub trait Sleeper: Send + Sync {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(duration)
    }
}

/// How often and how patiently a send that provably did not go out is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The pause before attempt `attempt + 1`: `Retry-After` when the server gave one,
    /// otherwise doubling from `base_delay`; never more than `max_delay`.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let doubling = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        retry_after.unwrap_or(doubling).min(self.max_delay)
    }
}

/// Sends `request`, retrying only `not_sent` and `rate_limited` outcomes. An unknown outcome
/// is never retried: the message may have gone out.
pub async fn send(
    client: &Client,
    request: &SendRequest,
    policy: &RetryPolicy,
    sleeper: &impl Sleeper,
) -> SendReport {
    let mut attempt = 1;
    loop {
        let outcome = client.send(request).await;
        if outcome.is_safe_to_retry() && attempt < policy.max_attempts {
            let retry_after = match &outcome {
                SendOutcome::RateLimited { retry_after } => *retry_after,
                _ => None,
            };
            sleeper.sleep(policy.delay(attempt, retry_after)).await;
            attempt += 1;
            continue;
        }
        return SendReport::new(&outcome, attempt);
    }
}

/// Runs blocking history work off the async runtime.
pub async fn blocking<T: Send + 'static>(
    history: &Arc<History>,
    work: impl FnOnce(&History) -> Result<T> + Send + 'static,
) -> Result<T> {
    let history = Arc::clone(history);
    tokio::task::spawn_blocking(move || work(&history))
        .await
        .map_err(|e| Error::History(e.to_string()))?
}

/// How a recorded send is tracked afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tracking {
    /// Whether the channel reports delivery (HubSpot workspaces do not).
    pub available: bool,
    /// When to ask about delivery first.
    pub first_poll: Duration,
}

/// The send path every front end uses: refuses a number on the do-not-text list (recording
/// the attempt as `blocked`, with no request), writes the history row **before** the request,
/// sends with [`send`], and records the outcome. Returns the report and the row's id.
pub async fn send_recorded(
    history: &Arc<History>,
    client: &Client,
    prepared: &Prepared,
    message: NewMessage,
    policy: &RetryPolicy,
    tracking: Tracking,
) -> Result<(SendReport, i64)> {
    let to = prepared.request.destination_phone.clone();
    let about = message.clone();
    let blocked = blocking(history, move |h| match h.opt_out_for(&to)? {
        Some(entry) => {
            let error = Error::OptedOut {
                number: entry.number.clone(),
                shown: entry.display.clone(),
                reason: entry.reason.clone(),
                since: crate::history::local_time(entry.added_at)
                    .get(..10)
                    .unwrap_or_default()
                    .to_owned(),
            };
            h.record_blocked(&about, &error.to_string())?;
            Ok(Some(error))
        }
        None => Ok(None),
    })
    .await?;
    if let Some(error) = blocked {
        return Err(error);
    }
    let id = blocking(history, move |h| h.begin(&message)).await?;
    let report = send(client, &prepared.request, policy, &TokioSleeper).await;
    let recorded = report.clone();
    let finished = blocking(history, move |h| {
        h.finish(id, &recorded, tracking.available, tracking.first_poll)
    })
    .await;
    if let Err(error) = finished {
        // The message went wherever it went: say what happened. The row stays `sending`
        // and reads "unknown" once this process ends.
        eprintln!("SMS Desk: could not record the outcome of message {id}: {error}");
    }
    Ok((report, id))
}

/// What the person (and a script) is told about a send.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SendReport {
    /// `accepted`, `rejected`, `unauthorized`, `not_sent` or `unknown`.
    pub outcome: &'static str,
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
            outcome: "not_sent",
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
                report.outcome = "accepted";
                report.request_id = a.request_id.clone();
                report.message_id = a.message_id.clone();
                report.phone_number = a.phone_number.clone();
                report.raw = Some(a.raw.clone());
            }
            SendOutcome::Rejected(r) => {
                report.outcome = "rejected";
                report.request_id = r.request_id.clone();
                report.error_code = r.error_code;
                report.error = Some(r.error.clone());
                report.raw = Some(r.raw.clone());
                report.problem = Some(rejected_problem(r.code, r.error_code, &r.error));
            }
            SendOutcome::Unauthorized { .. } => {
                report.outcome = "unauthorized";
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
                report.problem = Some(UserError::new(
                    "not_sent",
                    "The message was not sent: SMS Desk could not reach Octopods.",
                    "Check the internet connection, then send again. Nothing went out.",
                ));
            }
            SendOutcome::Unknown { reason, .. } => {
                report.outcome = "unknown";
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
        self.outcome == "accepted"
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_and_honour_retry_after() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(1, None), Duration::from_secs(1));
        assert_eq!(p.delay(2, None), Duration::from_secs(2));
        assert_eq!(p.delay(3, None), Duration::from_secs(4));
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(p.delay(1, Some(Duration::from_secs(700))), p.max_delay);
        assert_eq!(p.delay(40, None), p.max_delay);
    }
}
