//! `smsdesk status`: a message's delivery status, also recorded on its history row (if this
//! computer sent it).

use octopods::{DeliveryReport, StatusError};
use serde::Serialize;

use crate::args::StatusArgs;
use crate::data::{self, Purpose};
use crate::error::{exit, json_error, Result};
use crate::{output, route};

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
    let desk = data::open(Purpose::Use, false).await?;
    let via = route::via(&desk, &args.server, false).await?;
    let client = desk.client_for(via).await?;
    let id = args.message_id.trim();
    // The answer is also recorded on the message's history row, when this computer sent it.
    let (answer, not_recorded) = desk.status_of(&client, id).await;
    if let Some(e) = not_recorded {
        output::err(format_args!(
            "warning: the status was not saved in the history: {e}"
        ));
    }
    match answer {
        Ok(report) => {
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
                output::line(to_json(&line)?);
            } else {
                output::err(format_args!(
                    "Could not read the status of message {id}: {text}"
                ));
            }
            Ok(code)
        }
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
        output::line(to_json(&line)?);
    } else {
        let state = if report.status.is_final() {
            "final"
        } else {
            "not final yet"
        };
        output::line(format_args!(
            "Message {id}: {} ({state})",
            report.status.as_str()
        ));
        if let Some(detail) = &report.detail {
            output::line(format_args!("  {detail}"));
        }
    }
    Ok(())
}

fn to_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(json_error)
}
