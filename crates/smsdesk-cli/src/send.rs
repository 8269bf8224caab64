//! `smsdesk send`: one message through the same checks and send path as the app.

use serde::Serialize;
use smsdesk::draft::Draft;
use smsdesk::outbox::{self, RetryPolicy, SendReport, TokioSleeper};
use smsdesk::phone::Country;

use crate::args::SendArgs;
use crate::channel;
use crate::error::{exit, CliError, Result};

/// The `--json` output; the field set is part of the interface.
#[derive(Serialize)]
struct JsonReport<'a> {
    outcome: &'a str,
    http_status: Option<u16>,
    request_id: Option<&'a str>,
    message_id: Option<&'a str>,
    phone_number: Option<&'a str>,
    error_code: Option<i64>,
    error: Option<&'a str>,
}

pub async fn run(args: &SendArgs) -> Result<u8> {
    let country = args.region.as_deref().map(Country::parse).transpose()?;
    let draft = Draft {
        to: args.to.clone(),
        body: args.body.clone(),
        name: args.name.clone().unwrap_or_default(),
        open_conversation: args.open_conversation,
        teammate_id: args.teammate.clone().unwrap_or_default(),
    };
    let prepared = draft.prepare(country)?;
    let client = channel::client(&args.server)?;
    let report = outbox::send(
        &client,
        &prepared.request,
        &RetryPolicy::default(),
        &TokioSleeper,
    )
    .await;
    print(&report, args.server.json)?;
    Ok(match report.outcome {
        "accepted" => exit::OK,
        "rejected" | "unauthorized" => exit::REJECTED,
        "unknown" => exit::UNKNOWN,
        _ => exit::NOT_SENT,
    })
}

fn print(report: &SendReport, json: bool) -> Result<()> {
    if json {
        let line = JsonReport {
            outcome: report.outcome,
            http_status: report.http_status,
            request_id: report.request_id.as_deref(),
            message_id: report.message_id.as_deref(),
            phone_number: report.phone_number.as_deref(),
            error_code: report.error_code,
            error: report.error.as_deref(),
        };
        let text =
            serde_json::to_string(&line).map_err(|e| CliError::Stdout(std::io::Error::other(e)))?;
        println!("{text}");
        return Ok(());
    }
    if report.is_accepted() {
        let to = report.phone_number.as_deref().unwrap_or("the recipient");
        println!("Sent to {to}.");
        if let Some(id) = &report.request_id {
            println!("Request id: {id}");
        }
        match &report.message_id {
            Some(id) => println!("Message id: {id} (delivery: smsdesk status {id})"),
            None => {
                println!("No message id: delivery tracking is not available on this workspace.")
            }
        }
    } else if let Some(problem) = &report.problem {
        eprintln!("{}\n{}", problem.message, problem.hint);
        if let Some(id) = &report.request_id {
            eprintln!("Request id: {id}");
        }
    }
    Ok(())
}
