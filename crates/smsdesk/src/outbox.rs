//! The send path: one prepared request, written to the history before it goes, retried only
//! when the answer proves it was not accepted, and its outcome recorded.

use std::sync::Arc;
use std::time::Duration;

use octopods::{Client, SendOutcome, SendRequest};

use crate::do_not_text::DoNotText;
use crate::error::{Error, Result};
use crate::history::{Begun, NewMessage};
use crate::report::SendReport;
use crate::states::Outcome;
use crate::store::Store;
use crate::time::{Pause, Sleeper};

/// How often and how patiently a send that provably did not go out is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// Whether the pause doubles after each attempt (one message) or stays `base_delay` (a
    /// bulk job, whose retries are paced anyway).
    pub doubling: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            doubling: true,
        }
    }
}

impl RetryPolicy {
    /// A bulk job's rows: a 429 is waited out (`Retry-After`, else 1 s) and tried again, three
    /// times, before the row reads `not_sent`.
    pub const BULK: RetryPolicy = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(120),
        doubling: false,
    };

    /// The pause before attempt `attempt + 1`: `Retry-After` when the server gave one,
    /// otherwise `base_delay` (doubling after each attempt when `doubling`); never more than
    /// `max_delay`.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let factor = if self.doubling {
            2u32.saturating_pow(attempt.saturating_sub(1))
        } else {
            1
        };
        retry_after
            .unwrap_or(self.base_delay.saturating_mul(factor))
            .min(self.max_delay)
    }
}

/// Waits for a request's turn (a bulk job's pacing): [`send`] asks it before each retry; the
/// caller waits for the first attempt's turn itself, before the row is written.
pub trait Pace: Sync {
    fn wait(&self) -> Pause<'_>;
}

/// Sends `request`, retrying only `not_sent` and `rate_limited` outcomes. An unknown outcome
/// is never retried: the message may have gone out.
pub async fn send(
    client: &Client,
    request: &SendRequest,
    policy: &RetryPolicy,
    sleeper: &dyn Sleeper,
    pace: Option<&dyn Pace>,
) -> SendReport {
    let mut attempt = 1;
    loop {
        if let (Some(pace), true) = (pace, attempt > 1) {
            pace.wait().await;
        }
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

/// Runs blocking store work off the async runtime. A panic in it is an error, not a hang.
pub async fn blocking<T: Send + 'static>(
    store: &Arc<Store>,
    work: impl FnOnce(&Store) -> Result<T> + Send + 'static,
) -> Result<T> {
    let store = Arc::clone(store);
    crate::blocking::off_runtime(move || work(&store), Error::History).await
}

/// How a recorded send goes and is tracked afterwards.
pub struct Route<'a> {
    pub client: &'a Client,
    pub retry: &'a RetryPolicy,
    pub sleeper: &'a dyn Sleeper,
    pub list: Arc<dyn DoNotText>,
    /// Whether the channel reports delivery (HubSpot workspaces do not).
    pub trackable: bool,
    /// When to ask about delivery first.
    pub first_poll: Duration,
    /// Told the row's id once it is written in `sending`, before the request (so a screen can
    /// show "Sending…" at once).
    pub begun: &'a (dyn Fn(i64) + Sync),
    /// A bulk job's pacing, waited for before each retry (the first turn is the caller's).
    pub pace: Option<&'a dyn Pace>,
}

/// The send path every front end takes (through [`crate::desk::Desk::send`]): in one
/// transaction, refuses a number on the do-not-text list (recording the attempt as
/// `blocked`) or a repeat of a message that may have gone out (unless `confirmed_resend`),
/// else writes the row **before** the request; then sends and records the outcome. Returns
/// the report and the row's id.
pub async fn send_recorded(
    store: &Arc<Store>,
    route: Route<'_>,
    request: &SendRequest,
    message: NewMessage,
    confirmed_resend: bool,
) -> Result<(SendReport, i64)> {
    let list = Arc::clone(&route.list);
    let on = sent_on(&message);
    let begun = blocking(store, move |s| {
        s.begin(&message, list.as_ref(), confirmed_resend)
    })
    .await?;
    let id = match begun {
        Begun::Sending(id) => {
            (route.begun)(id);
            id
        }
        Begun::Blocked { id, entry } => {
            log::info!("message {id} blocked ({on}): on the do-not-text list, not sent");
            return Err(entry.refusal());
        }
        Begun::MaybeSent { previous, at } => {
            log::info!("send refused ({on}): message {previous} may have gone out (maybe_sent)");
            return Err(Error::MaybeSent { previous, at });
        }
    };
    let report = send(
        route.client,
        request,
        route.retry,
        route.sleeper,
        route.pace,
    )
    .await;
    let recorded = report.clone();
    let (trackable, first_poll) = (route.trackable, route.first_poll);
    let finished = blocking(store, move |s| {
        s.finish(id, &recorded, trackable, first_poll)
    })
    .await;
    log_outcome(id, &on, &report);
    if let Err(error) = finished {
        // The message went wherever it went: say what happened. The row stays `sending`
        // and reads "unknown" once this process ends.
        log::error!(
            "could not record the outcome of message {id}: {}",
            crate::error::UserError::from(&error).code
        );
        crate::error::warn(format_args!(
            "could not record the outcome of message {id}: {error}"
        ));
    }
    Ok((report, id))
}

/// Where a message goes, for the log: `practice`, or `channel <id>` (and its job row).
fn sent_on(message: &NewMessage) -> String {
    let channel = if message.practice {
        "practice".to_owned()
    } else {
        format!("channel {}", message.channel_id)
    };
    match message.job {
        Some(row) => format!("{channel}, job {} row {}", row.job, row.row),
        None => channel,
    }
}

/// One line per send: the history id and the outcome's word, with the problem's stable code
/// (and Octopods' error number) when it was not accepted. Never the number, text or key.
fn log_outcome(id: i64, on: &str, report: &SendReport) {
    let tries = match report.attempts {
        0 | 1 => String::new(),
        n => format!(", {n} attempts"),
    };
    let Some(problem) = report.problem.as_ref().filter(|_| !report.is_accepted()) else {
        log::info!("message {id} {} ({on}{tries})", report.outcome);
        return;
    };
    let number = report
        .error_code
        .map(|code| format!(", Octopods error {code}"))
        .unwrap_or_default();
    let code = problem.code;
    match report.outcome {
        Outcome::Unknown => log::warn!("message {id} unknown: {code} ({on}{tries})"),
        outcome => log::warn!("message {id} failed, {outcome}: {code} ({on}{number}{tries})"),
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
