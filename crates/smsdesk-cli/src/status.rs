//! `smsdesk status`: a message's delivery status, also recorded on its history row (if this
//! computer sent it).

use octopods::{DeliveryReport, StatusError};
use serde::Serialize;
use smsdesk::history::now_ms;
use smsdesk::history::tracking::{PollPolicy, Polled};

use crate::args::StatusArgs;
use crate::channel;
use crate::error::{exit, json_error, Result};
use crate::store::{self, Purpose};

#[derive(Serialize)]
struct JsonStatus<'a> {
    message_id: &'a str,
    status: &'a str,
    #[serde(rename = "final")]
    is_final: bool,
    detail: Option<&'a str>,
    phone_number: Option<&'a str>,
    sent_at: Option<&'a str>,
    delivered_at: Option<&'a str>,
    request_id: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFailure<'a> {
    message_id: &'a str,
    status: Option<&'a str>,
    error_code: Option<i64>,
    error: String,
}

pub async fn run(args: &StatusArgs) -> Result<u8> {
    let client = channel::client(&args.server)?;
    let id = args.message_id.trim();
    match client.status(id).await {
        Ok(report) => {
            record(id, &report);
            print_report(id, &report, args.server.json)?;
            Ok(exit::OK)
        }
        Err(e) => {
            let (code, error_code, text) = describe(&e);
            if args.server.json {
                let line = JsonFailure {
                    message_id: id,
                    status: None,
                    error_code,
                    error: text,
                };
                println!("{}", to_json(&line)?);
            } else {
                eprintln!("Could not read the status of message {id}: {text}");
            }
            Ok(code)
        }
    }
}

/// Updates the history row of the message with this id, if there is one. Only answers are
/// recorded: a refusal may come from asking with another channel's key. A history that cannot
/// be opened is mentioned, and does not change what the command reports.
fn record(id: &str, report: &DeliveryReport) {
    let recorded = store::open(Purpose::Use).and_then(|history| {
        if let Some(due) = history.find_by_message_id(id)? {
            history.record_poll(
                &due,
                Polled::Report(report),
                &PollPolicy::default(),
                now_ms(),
            )?;
        }
        Ok(())
    });
    if let Err(e) = recorded {
        eprintln!("warning: the status was not saved in the history: {e}");
    }
}

fn describe(e: &StatusError) -> (u8, Option<i64>, String) {
    match e {
        StatusError::Rejected(r) => (exit::REJECTED, r.error_code, r.error.clone()),
        StatusError::Unauthorized => (
            exit::REJECTED,
            None,
            "Octopods did not accept the API key (HTTP 401).".into(),
        ),
        StatusError::RateLimited { .. } => (
            exit::NOT_SENT,
            None,
            "Octopods is busy (HTTP 429); try again in a minute.".into(),
        ),
        StatusError::Unavailable { reason, .. } => (exit::NOT_SENT, None, reason.clone()),
    }
}

fn print_report(id: &str, report: &DeliveryReport, json: bool) -> Result<()> {
    if json {
        let line = JsonStatus {
            message_id: report.message_id.as_deref().unwrap_or(id),
            status: report.status.as_str(),
            is_final: report.status.is_final(),
            detail: report.detail.as_deref(),
            phone_number: report.phone_number.as_deref(),
            sent_at: report.sent_at.as_deref(),
            delivered_at: report.delivered_at.as_deref(),
            request_id: report.request_id.as_deref(),
        };
        println!("{}", to_json(&line)?);
    } else {
        let state = if report.status.is_final() {
            "final"
        } else {
            "not final yet"
        };
        println!("Message {id}: {} ({state})", report.status.as_str());
        if let Some(detail) = &report.detail {
            println!("  {detail}");
        }
    }
    Ok(())
}

fn to_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(json_error)
}
